"""The live call survives a lock (Ctrl+L, the idle lock) and a crash: it comes back as it
was, its timer paused, its length so far kept; the lock screen says a call waits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step
from counsellor_app.core.store import Notebook
from tests.gui.helpers import FakeClock, make_notebook, shown_window, unlock, unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_l_during_a_call_pauses_it_and_the_unlock_takes_it_up(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    assert not window.unlock_page.call_waiting.isVisible()
    qtbot.keyClick(page.search, Qt.Key.Key_N, CTRL)
    editor = page.editor
    assert editor is not None
    conversation_id = editor.conversation_id
    listen = editor.editors[Step.LISTEN]
    qtbot.keyClicks(listen, "Mor græder; sønnen har ikke spist i tre dage.")
    advise = editor.editors[Step.ADVISE]
    qtbot.keyClick(listen, Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(advise, "Ring til lægen.")
    for _word in range(2):
        qtbot.keyClick(advise, Qt.Key.Key_Left, CTRL)  # back before "lægen"
    call_clock.advance(95)
    qtbot.keyClick(advise, Qt.Key.Key_L, CTRL)

    # Locked: the notes are off the screen, and the lock screen says a call waits.
    assert window.notebook is None and page.editor is None
    assert window.stack.currentWidget() is window.unlock_page
    notice = window.unlock_page.call_waiting
    assert notice.isVisible()
    # Read in full: wrapped at the column's width, not cut to one line over the field.
    qtbot.waitUntil(lambda: notice.height() >= notice.heightForWidth(notice.width()))
    assert notice.heightForWidth(notice.width()) > notice.fontMetrics().height()
    assert not notice.geometry().intersects(window.unlock_page.passphrase.geometry())
    window.chores.wait()
    with Notebook.open(path, passphrase) as notebook:
        # The contact is not closed: still live, its length so far kept.
        assert notebook.live_call() == conversation_id
        conversation = notebook.conversation(conversation_id)
        assert conversation.duration_seconds == 95
        assert conversation.notes[Step.LISTEN].startswith("Mor græder")

    call_clock.advance(600)  # ten minutes behind the lock do not count
    unlock(qtbot, window, passphrase)
    editor = page.editor
    assert editor is not None and editor.conversation_id == conversation_id
    assert page.right.currentWidget() is page.call_view
    assert not window.unlock_page.call_waiting.isVisible()
    assert editor.text(Step.LISTEN) == "Mor græder; sønnen har ikke spist i tre dage."
    assert editor.paused and "01:35" in editor.timer_label.text()
    assert editor.timer_label.text() != "01:35"  # it says it is paused
    assert editor.notice.isVisible() and editor.resume_button.isVisible()
    call_clock.advance(30)
    editor._show_time()
    assert editor.elapsed() == 95  # paused: the clock stands still

    # Typing goes on where it stopped (the second step, before its last word), not at
    # the start of the first step's notes.
    advise = editor.editors[Step.ADVISE]
    assert advise.hasFocus() and advise.textCursor().position() == len("Ring til ")
    qtbot.keyClicks(advise, "straks ")
    assert editor.text(Step.ADVISE) == "Ring til straks lægen."
    assert editor.text(Step.LISTEN) == "Mor græder; sønnen har ikke spist i tre dage."

    # Typing goes on with the call, and its timer.
    qtbot.keyClick(editor.editors[Step.LISTEN], Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(editor.editors[Step.ADVISE], " Kontakt lægen i dag.")
    assert not editor.paused
    call_clock.advance(20)
    qtbot.keyClick(editor.editors[Step.ADVISE], Qt.Key.Key_E, CTRL)
    assert page.editor is None
    notebook = window.notebook
    assert notebook is not None
    assert notebook.live_call() is None
    assert notebook.conversation(conversation_id).duration_seconds == 115
    assert len(notebook.conversations(notebook.conversation(conversation_id).case_id)) == 1


def test_the_idle_lock_during_a_call_keeps_the_call(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    window, _path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    conversation_id = page.editor.conversation_id
    call_clock.advance(300)  # five minutes of listening, nothing typed
    window.idle_timer.setInterval(1)  # the setting is minutes; the mechanism is the same
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.notebook is None)
    assert window.unlock_page.call_waiting.isVisible()

    unlock(qtbot, window, passphrase)
    assert page.editor is not None and page.editor.conversation_id == conversation_id
    assert page.editor.paused and page.editor.elapsed() == 300
    page.editor.resume_button.click()
    assert not page.editor.paused
    call_clock.advance(60)
    page.end_call()
    assert window.notebook is not None
    assert window.notebook.conversation(conversation_id).duration_seconds == 360


def test_the_autosave_keeps_the_length_so_far(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    editor = page.editor
    assert editor is not None and window.notebook is not None
    call_clock.advance(40)
    with qtbot.waitSignal(editor.saved, timeout=5000):
        qtbot.keyClicks(editor.editors[Step.LISTEN], "Far ringer fra arbejdet.")
    editor._tasks.wait()
    conversation = window.notebook.conversation(editor.conversation_id)
    assert conversation.duration_seconds == 40
    assert window.notebook.live_call() == editor.conversation_id
    # Listening without typing: the half-minute chores keep the length too.
    call_clock.advance(35)
    window.checkpoint()
    editor._tasks.wait()
    assert window.notebook.conversation(editor.conversation_id).duration_seconds == 75
    window.chores.wait()


def test_a_call_interrupted_by_a_crash_says_so_and_keeps_its_length(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    # What the autosave left when the app stopped in the middle of a call.
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.new_case()
        conversation = notebook.new_conversation(case.id)
        notebook.save_note(conversation.id, Step.LISTEN, "Datteren skader sig selv.")
        notebook.set_live_call(conversation.id, 95)
    window = shown_window(qtbot, path)
    unlock(qtbot, window, passphrase)
    page = window.notebook_page
    editor = page.editor
    assert editor is not None and editor.conversation_id == conversation.id
    assert editor.call_case_code == case.code
    assert editor.text(Step.LISTEN) == "Datteren skader sig selv."
    assert "afbrudt" in editor.notice.text() and editor.notice.isVisible()  # interrupted
    # The sentence reads across the call, in a few lines, not as a narrow column.
    notice = editor.notice
    assert notice.width() > editor.width() // 2
    assert notice.heightForWidth(notice.width()) <= 4 * notice.fontMetrics().lineSpacing()
    assert editor.paused and editor.elapsed() == 95
    editor.resume()
    call_clock.advance(5)
    page.end_call()
    assert window.notebook is not None
    assert window.notebook.conversation(conversation.id).duration_seconds == 100
    assert window.notebook.live_call() is None
