"""One whole call, from a new case to the follow-up set, driven from the keyboard on the
real window and a real notebook; then everything is read back after a lock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import AllianceStatus, CaseStatus, Consent, Partner, Step
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.alliances import AllianceDialog
from counsellor_app.gui.follow_ups import FollowUpDialog
from tests.gui.helpers import FakeClock, unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def back_to(qtbot: QtBot, window: QWidget) -> None:
    """After a dialog the window manager activates the main window again; the offscreen
    platform has none, so the test does it."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def modal(qtbot: QtBot, kind: type) -> object:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    return QApplication.activeModalWidget()


def test_a_whole_call_from_new_case_to_follow_up(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page

    # Ctrl+N: a new case, the four steps, the timer running, the cursor in "Lyt".
    qtbot.keyClick(page.search, Qt.Key.Key_N, CTRL)
    editor = page.editor
    assert editor is not None
    code = editor.call_case_code
    listen = editor.editors[Step.LISTEN]
    qtbot.waitUntil(listen.hasFocus)
    qtbot.keyClicks(listen, "Mor fortæller, at sønnen ikke vil i skole siden efterårsferien.")

    # The structured fields beside the note, without the mouse.
    fields = page.case_fields
    fields.caller_role.setCurrentIndex(fields.caller_role.findData("mother"))
    fields.age_band.setCurrentIndex(fields.age_band.findData("13-15"))
    school_refusal = taxonomy().themes[0].id
    fields.themes.setCurrentRow(0)
    qtbot.keyClick(fields.themes, Qt.Key.Key_Space)

    # Step 2 and 3: advice, then an alliance with the school (Ctrl+Shift+A).
    qtbot.keyClick(listen, Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(editor.editors[Step.ADVISE], "Tal med klasselæreren om en plan.")
    qtbot.keyClick(editor.editors[Step.ADVISE], Qt.Key.Key_3, CTRL)
    alliances_note = editor.editors[Step.ALLIANCES]
    qtbot.keyClicks(alliances_note, "Skolen inddrages; mor giver samtykke.")
    qtbot.keyClick(alliances_note, Qt.Key.Key_A, CTRL_SHIFT)
    # The form opens beside the notes (a tab of the call), not as a modal dialog over them.
    alliance = page.call_alliances.dialog
    assert isinstance(alliance, AllianceDialog) and alliance.isVisible()
    assert QApplication.activeModalWidget() is None and listen.isVisible()
    alliance.partner.setCurrentIndex(alliance.partner.findData(Partner.SCHOOL))
    qtbot.keyClicks(alliance.role, "Klasselærer")
    qtbot.keyClicks(alliance.agreed, "Møde om fremmøde i næste uge.")
    alliance.consent.setCurrentIndex(alliance.consent.findData(Consent.GIVEN))
    alliance.status.setCurrentIndex(alliance.status.findData(AllianceStatus.ACTIVE))
    alliance.buttons.accepted.emit()
    qtbot.waitUntil(lambda: len(page.call_alliances.alliances()) == 1)
    back_to(qtbot, window)

    # Step 4: the follow-up, due in three days (Ctrl+Shift+O).
    qtbot.keyClick(alliances_note, Qt.Key.Key_4, CTRL)
    follow_up_note = editor.editors[Step.FOLLOW_UP]
    qtbot.keyClicks(follow_up_note, "Ringer igen torsdag.")
    qtbot.keyClick(follow_up_note, Qt.Key.Key_O, CTRL_SHIFT)
    dialog = page.call_follow_ups.dialog
    assert isinstance(dialog, FollowUpDialog) and dialog.isVisible()
    assert QApplication.activeModalWidget() is None
    due = date.today() + timedelta(days=3)
    dialog.due.setDate(QDate(due.year, due.month, due.day))
    qtbot.keyClicks(dialog.counsellor_task, "Høre hvordan mødet gik")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: len(page.call_follow_ups.follow_ups()) == 1)
    back_to(qtbot, window)
    call_clock.advance(12 * 60)  # the call lasts twelve minutes

    # Ctrl+E ends the call: the case is shown with its timeline, alliance and follow-up,
    # and the follow-up is on the agenda.
    qtbot.keyClick(follow_up_note, Qt.Key.Key_E, CTRL)
    assert page.editor is None
    view = page.case_view
    assert view.case_id is not None and view.code_label.text().endswith(code)
    assert "efterårsferien" in view.timeline.toPlainText()
    assert [a.partner for a in view.alliances.alliances()] == [Partner.SCHOOL]
    assert [f.due for f in view.follow_ups.follow_ups()] == [due]
    # ... and the timeline says, under the conversation, what was agreed in it.
    assert "Høre hvordan mødet gik" in view.timeline.toPlainText()
    agenda = [page.agenda.item(row).text() for row in range(page.agenda.count())]
    assert any(code in line and "Høre hvordan mødet gik" in line for line in agenda)

    window.lock()
    window.chores.wait()
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        assert case.caller_role is not None and case.caller_role.value == "mother"
        assert case.themes == [school_refusal]
        assert case.status is CaseStatus.AWAITING_FOLLOW_UP  # an open follow-up does that
        [conversation] = notebook.conversations(case.id)
        assert conversation.notes == {
            Step.LISTEN: "Mor fortæller, at sønnen ikke vil i skole siden efterårsferien.",
            Step.ADVISE: "Tal med klasselæreren om en plan.",
            Step.ALLIANCES: "Skolen inddrages; mor giver samtykke.",
            Step.FOLLOW_UP: "Ringer igen torsdag.",
        }
        assert conversation.duration_seconds == 12 * 60
        [stored_alliance] = notebook.alliances(case.id)
        assert stored_alliance.role == "Klasselærer"
        assert stored_alliance.agreed == "Møde om fremmøde i næste uge."
        assert stored_alliance.consent is Consent.GIVEN
        assert stored_alliance.status is AllianceStatus.ACTIVE
        [follow_up] = notebook.follow_ups(case.id)
        assert follow_up.due == due and follow_up.counsellor_task == "Høre hvordan mødet gik"
        assert follow_up.conversation_id == conversation.id  # agreed in this call
