"""During a call the alliance and follow-up forms are panels beside the notes, not modal
dialogs over them, and what is typed into them is kept as typed: through a lock and a
crash the call comes back with the form as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Partner, Step
from counsellor_app.core.store import Notebook
from counsellor_app.gui.alliances import AllianceDialog
from counsellor_app.gui.follow_ups import FollowUpDialog
from tests.gui.helpers import make_notebook, shown_window, unlock, unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def test_an_alliance_form_in_the_call_survives_a_lock(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    editor = page.editor
    assert editor is not None and window.notebook is not None
    case_id = page.call_case_id
    assert case_id is not None
    listen = editor.editors[Step.LISTEN]
    qtbot.keyClick(listen, Qt.Key.Key_A, CTRL_SHIFT)
    form = page.call_alliances.dialog
    assert isinstance(form, AllianceDialog) and form.isVisible() and not form.isWindow()
    assert QApplication.activeModalWidget() is None and listen.isVisible()
    form.partner.setCurrentIndex(form.partner.findData(Partner.SCHOOL))
    qtbot.keyClicks(form.agreed, "Klasselæreren ringer til mor i morgen.")
    notebook = window.notebook
    qtbot.waitUntil(lambda: bool(notebook.draft("alliance:new", case_id)))
    # The notes take typing while the form is open.
    qtbot.keyClicks(listen, "Skolen er med.")
    assert editor.text(Step.LISTEN) == "Skolen er med."

    window.lock()
    window.chores.wait()
    with Notebook.open(path, passphrase) as stored:
        draft = stored.draft("alliance:new", case_id)
        assert draft is not None and draft["agreed"] == "Klasselæreren ringer til mor i morgen."
        assert stored.alliances(case_id) == []

    unlock(qtbot, window, passphrase)
    form = page.call_alliances.dialog
    assert isinstance(form, AllianceDialog) and form.isVisible()
    assert form.agreed.toPlainText() == "Klasselæreren ringer til mor i morgen."
    assert form.partner.currentData() == Partner.SCHOOL
    form.buttons.accepted.emit()
    notebook = window.notebook
    assert notebook is not None
    [alliance] = notebook.alliances(case_id)
    assert alliance.agreed == "Klasselæreren ringer til mor i morgen."
    assert notebook.draft("alliance:new", case_id) is None
    assert page.call_alliances.dialog is None
    page.end_call()


def test_a_follow_up_typed_before_a_crash_comes_back_with_the_call(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.new_case()
        conversation = notebook.new_conversation(case.id)
        notebook.set_live_call(conversation.id, 30)
        notebook.save_draft("follow_up:new", case.id, {"parent_task": "Tale med lægen"})
    window = shown_window(qtbot, path)
    unlock(qtbot, window, passphrase)
    page = window.notebook_page
    form = page.call_follow_ups.dialog
    assert isinstance(form, FollowUpDialog) and form.isVisible()
    assert form.parent_task.toPlainText() == "Tale med lægen"
    # Cancel: the draft goes with it.
    form.buttons.rejected.emit()
    assert window.notebook is not None
    assert window.notebook.draft("follow_up:new", case.id) is None
    page.end_call()


def test_a_follow_up_can_carry_a_time_of_day(qtbot: QtBot, tmp_path: Path) -> None:
    from datetime import date, time

    from PySide6.QtCore import QDate, QTime

    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None and window.notebook is not None
    case_id = page.call_case_id
    assert case_id is not None
    qtbot.keyClick(page.editor.editors[Step.FOLLOW_UP], Qt.Key.Key_O, CTRL_SHIFT)
    form = page.call_follow_ups.dialog
    assert isinstance(form, FollowUpDialog)
    assert not form.due_time.isEnabled()  # no time unless one was agreed
    today = date.today()
    form.due.setDate(QDate(today.year, today.month, today.day))
    form.at_time.setChecked(True)
    assert form.due_time.isEnabled()
    form.due_time.setTime(QTime(14, 30))
    qtbot.keyClicks(form.counsellor_task, "Ringe til mor")
    form.buttons.accepted.emit()
    [stored] = window.notebook.follow_ups(case_id)
    assert stored.due_time == time(14, 30)
    page.end_call()
    agenda = [page.agenda.item(row).text() for row in range(page.agenda.count())]
    assert any("14:30" in line and "Ringe til mor" in line for line in agenda)
