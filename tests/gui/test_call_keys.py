"""During a call the keys work from anywhere in the window: Ctrl+E, Ctrl+1…4 and Ctrl+K
from the search box too; Esc clears the search; Enter there does not start a call unseen;
Tab leaves a date field; a call from the agenda marks its follow-up done."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import FollowUp, Step
from counsellor_app.core.store import Notebook
from counsellor_app.gui.follow_ups import FollowUpDialog
from tests.gui.helpers import FakeClock, make_notebook, shown_window, unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier


def test_step_keys_work_from_the_search_box(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    editor = page.editor
    assert editor is not None
    page.focus_search()
    qtbot.waitUntil(page.search.hasFocus)
    shown = page.model.rowCount()
    qtbot.keyClick(page.search, Qt.Key.Key_2, CTRL)
    qtbot.waitUntil(editor.editors[Step.ADVISE].hasFocus)
    # What is typed next goes into the note, not into the search (no filtering).
    qtbot.keyClicks(QApplication.focusWidget(), "Ro på")
    assert editor.text(Step.ADVISE) == "Ro på"
    assert page.search.text() == "" and page.model.rowCount() == shown


def test_ctrl_e_ends_the_call_from_the_search_box(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    call_clock.advance(30)
    page.focus_search()
    qtbot.waitUntil(page.search.hasFocus)
    qtbot.keyClick(page.search, Qt.Key.Key_E, CTRL)
    assert page.editor is None


def test_ctrl_k_records_a_concern_from_the_search_box(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    page.focus_search()
    qtbot.waitUntil(page.search.hasFocus)
    qtbot.keyClicks(page.search, "abc")
    page.search.setCursorPosition(0)
    qtbot.keyClick(page.search, Qt.Key.Key_K, CTRL)
    assert page.search.text() == "abc"  # not the line edit's "delete to the end"
    assert page.concern_panel is not None and page.concern_panel.isVisible()
    page.concern_panel.cancel()


def test_escape_clears_the_search(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    qtbot.keyClicks(page.search, "mobning")
    assert page.model.rowCount() == 1
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == "" and page.model.rowCount() == 3


def test_enter_in_the_search_shows_the_case_and_asks_before_a_call(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    qtbot.keyClicks(page.search, "mobning")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.editor is None  # no call yet
    found = page.model.summary(0)
    # The case found is shown, and the line under the search says what Enter does next.
    assert page.case_view.case_id == found.id
    assert found.code in page.count.text()
    qtbot.waitUntil(page.list.hasFocus)
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    assert page.editor is not None and page.call_case_id == found.id
    page.end_call()


def test_tab_leaves_a_date_field(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    make_notebook(path)
    with Notebook.open(path, "correct horse") as notebook:
        case_id = notebook.find_case_ids("")[0]
        dialog = FollowUpDialog(notebook, case_id)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        dialog.due.setFocus()
        qtbot.waitUntil(dialog.due.hasFocus)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert not dialog.due.hasFocus()
        dialog.reject()


def test_a_call_from_the_agenda_marks_its_follow_up_done(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.new_case()
        follow_up = notebook.save_follow_up(
            FollowUp(case.id, date.today() - timedelta(days=1), counsellor_task="Ring far op")
        )
    window = shown_window(qtbot, path)
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    page = window.notebook_page
    assert page.focus_agenda()
    qtbot.keyClick(page.agenda, Qt.Key.Key_Return)
    assert page.editor is not None and page.call_case_id == case.id
    notebook = window.notebook
    assert notebook is not None
    [stored] = notebook.follow_ups(case.id)
    assert stored.id == follow_up.id and stored.done
    page.end_call()
