"""The conversation editor on a real notebook: autosave, flush, shortcuts, call timer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step, label
from counsellor_app.core.store import Notebook
from counsellor_app.gui import conversation
from counsellor_app.gui.conversation import ConversationEditor
from tests.gui.helpers import FakeClock
from tests.helpers import FAST_KDF


class Setup:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.nb, _recovery = Notebook.create(path, "pw", kdf=FAST_KDF)
        case = self.nb.new_case()
        self.conv_id = self.nb.new_conversation(case.id).id


@pytest.fixture(autouse=True)
def short_autosave_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pause before an autosave, shortened: the tests wait for it, not for 0.7 s."""
    monkeypatch.setattr(conversation, "DEBOUNCE_MS", 20)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    made = Setup(tmp_path / "n.cnb")
    yield made
    made.nb.close()


def make_editor(qtbot: QtBot, setup: Setup) -> ConversationEditor:
    editor = ConversationEditor(setup.nb, setup.conv_id)
    qtbot.addWidget(editor)
    return editor


def test_typing_is_saved_after_the_debounce(qtbot: QtBot, setup: Setup) -> None:
    editor = make_editor(qtbot, setup)
    text = "Mor fortæller om skolevægring siden efterårsferien."
    with qtbot.waitSignal(editor.saved, timeout=3000):
        qtbot.keyClicks(editor.editors[Step.LISTEN], text)
    qtbot.waitUntil(
        lambda: setup.nb.conversation(setup.conv_id).notes[Step.LISTEN] == text, timeout=3000
    )
    assert editor.pending_steps() == []
    editor.flush()


def test_each_step_has_a_label_and_a_prompt(qtbot: QtBot, setup: Setup) -> None:
    editor = make_editor(qtbot, setup)
    for step in Step:
        assert editor.editors[step].accessibleName() == label(step)
        assert editor.editors[step].placeholderText()


def test_ctrl_number_moves_focus_to_a_step(qtbot: QtBot, setup: Setup) -> None:
    editor = make_editor(qtbot, setup)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.editors[Step.LISTEN].setFocus()
    qtbot.waitUntil(lambda: editor.editors[Step.LISTEN].hasFocus())
    qtbot.keyClick(editor.editors[Step.LISTEN], Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.editors[Step.ADVISE])
    qtbot.keyClick(editor.editors[Step.ADVISE], Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.editors[Step.FOLLOW_UP])
    editor.flush()


def test_flush_saves_at_once_and_survives_reopening(qtbot: QtBot, setup: Setup) -> None:
    editor = make_editor(qtbot, setup)
    qtbot.keyClicks(editor.editors[Step.ADVISE], "Tal med klasselæreren.")
    qtbot.keyClicks(editor.editors[Step.FOLLOW_UP], "Ringer igen torsdag.")
    assert editor.flush()
    notes = setup.nb.conversation(setup.conv_id).notes
    assert notes[Step.ADVISE] == "Tal med klasselæreren."
    assert notes[Step.FOLLOW_UP] == "Ringer igen torsdag."
    setup.nb.close()
    setup.nb = Notebook.open(setup.path, "pw")
    notes = setup.nb.conversation(setup.conv_id).notes
    assert notes[Step.ADVISE] == "Tal med klasselæreren."
    assert notes[Step.FOLLOW_UP] == "Ringer igen torsdag."
    reopened = make_editor(qtbot, setup)
    assert reopened.text(Step.ADVISE) == "Tal med klasselæreren."


def test_a_failed_save_keeps_the_text_pending(qtbot: QtBot, setup: Setup) -> None:
    editor = make_editor(qtbot, setup)
    setup.nb.close()  # a locked notebook makes save_note raise UserError
    with qtbot.waitSignal(editor.save_failed, timeout=3000) as blocker:
        qtbot.keyClicks(editor.editors[Step.ALLIANCES], "Skolen")
    assert blocker.args and blocker.args[0]
    assert editor.pending_steps() == [Step.ALLIANCES]
    setup.nb = Notebook.open(setup.path, "pw")
    editor._notebook = setup.nb  # the notebook is unlocked again
    assert editor.flush()
    assert setup.nb.conversation(setup.conv_id).notes[Step.ALLIANCES] == "Skolen"


def test_the_call_timer_counts(qtbot: QtBot, setup: Setup, call_clock: FakeClock) -> None:
    editor = make_editor(qtbot, setup)
    editor.start_call()
    assert editor.timer_label.text() == "00:00"
    call_clock.advance(61.5)
    qtbot.waitUntil(lambda: editor.timer_label.text() == "01:01", timeout=1000)
    assert editor.stop_call() == 61
    call_clock.advance(10)
    assert editor.timer_label.text() == "01:01"  # stopped


def test_typing_goes_on_while_a_save_is_under_way(
    qtbot: QtBot, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The autosave runs on the task runner: a slow disk does not hold up the typing."""
    gate = threading.Event()
    writing = threading.Event()
    opened: list[bool] = []  # False if the gate timed out: the save blocked the test
    real_save = Notebook.save_note

    def slow_save(self: Notebook, conversation_id: int, step: Step, text: str) -> None:
        writing.set()
        opened.append(gate.wait(5))
        real_save(self, conversation_id, step, text)

    monkeypatch.setattr(Notebook, "save_note", slow_save)
    editor = make_editor(qtbot, setup)
    try:
        qtbot.keyClicks(editor.editors[Step.LISTEN], "Første del.")
        qtbot.waitUntil(writing.is_set, timeout=3000)  # the save waits on the "disk"
        qtbot.keyClicks(editor.editors[Step.LISTEN], " Anden del.")  # handled meanwhile
        assert editor.text(Step.LISTEN) == "Første del. Anden del."
        assert editor.pending_steps() == [Step.LISTEN]
    finally:
        gate.set()
    with qtbot.waitSignal(editor.saved, timeout=3000):
        pass
    assert editor.flush()
    assert setup.nb.conversation(setup.conv_id).notes[Step.LISTEN] == "Første del. Anden del."
    assert opened and all(opened)


def test_text_typed_during_a_background_save_is_saved_by_the_next(
    qtbot: QtBot, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No flush needed: the keys typed while a save was being written make the next
    autosave, which stores them (a crash after it loses nothing)."""
    gate = threading.Event()
    writing = threading.Event()
    real_save = Notebook.save_note
    written: list[str] = []

    def slow_save(self: Notebook, conversation_id: int, step: Step, text: str) -> None:
        if not written:
            writing.set()
            gate.wait(5)  # the first save waits on the "disk"
        real_save(self, conversation_id, step, text)
        written.append(text)

    monkeypatch.setattr(Notebook, "save_note", slow_save)
    editor = make_editor(qtbot, setup)
    try:
        qtbot.keyClicks(editor.editors[Step.LISTEN], "Første del.")
        qtbot.waitUntil(writing.is_set, timeout=3000)
        qtbot.keyClicks(editor.editors[Step.LISTEN], " Anden del.")
    finally:
        gate.set()
    qtbot.waitUntil(lambda: editor.pending_steps() == [], timeout=5000)
    assert written == ["Første del.", "Første del. Anden del."]
    # What a crash now would find on disk: the notebook opened afresh.
    setup.nb.close()
    setup.nb = Notebook.open(setup.path, "pw")
    assert setup.nb.conversation(setup.conv_id).notes[Step.LISTEN] == "Første del. Anden del."


def test_the_focus_leaving_a_step_saves_it_at_once(
    qtbot: QtBot, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conversation, "DEBOUNCE_MS", 60_000)  # no autosave in this test
    editor = make_editor(qtbot, setup)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.focus_step(Step.LISTEN)
    qtbot.waitUntil(lambda: editor.editors[Step.LISTEN].hasFocus())
    qtbot.keyClicks(editor.editors[Step.LISTEN], "Mor ringer om skolen.")
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.focus_step(Step.ADVISE)
    assert setup.nb.conversation(setup.conv_id).notes[Step.LISTEN] == "Mor ringer om skolen."
    assert editor.pending_steps() == []
    editor.flush()


def test_every_stretch_of_typing_is_saved_and_a_key_goes_on_with_a_paused_call(
    qtbot: QtBot, setup: Setup, call_clock: FakeClock
) -> None:
    """The first change after a save starts the pause before the next: keys typed while
    it runs are in that save, and a key after it starts the next pause (in any step)."""
    editor = make_editor(qtbot, setup)
    editor.start_call()
    typed = {Step.LISTEN: "", Step.FOLLOW_UP: ""}
    for stretch, step in enumerate([Step.LISTEN, Step.FOLLOW_UP, Step.LISTEN]):
        words = f" ord{stretch} æøå"
        typed[step] += words
        with qtbot.waitSignal(editor.saved, timeout=3000):
            qtbot.keyClicks(editor.editors[step], words)
        qtbot.waitUntil(lambda: editor.pending_steps() == [], timeout=3000)
        notes = setup.nb.conversation(setup.conv_id).notes
        assert notes[Step.LISTEN] == typed[Step.LISTEN]
        assert notes[Step.FOLLOW_UP] == typed[Step.FOLLOW_UP]
    # The call is paused (a lock) while a pause before a save is running: the next key
    # goes on with it all the same.
    qtbot.keyClicks(editor.editors[Step.ADVISE], "a")
    editor.pause()
    assert editor.paused
    call_clock.advance(5)
    qtbot.keyClicks(editor.editors[Step.ADVISE], "b")
    assert not editor.paused
    assert editor.flush()
    assert setup.nb.conversation(setup.conv_id).notes[Step.ADVISE] == "ab"
    # An undo is a change like any other: saved after its pause.
    editor.editors[Step.ADVISE].document().undo()
    assert editor.text(Step.ADVISE) != "ab"
    qtbot.waitUntil(lambda: editor.pending_steps() == [], timeout=3000)
    assert setup.nb.conversation(setup.conv_id).notes[Step.ADVISE] == editor.text(Step.ADVISE)
    editor.flush()
