"""The guard's keys in the call's notes (issue 13): replace every occurrence of an
identifier, the status line's count, a key off an identifier, and words a counsellor
marks "not an identifier" in this notebook (kept in it; exports let it leave as written,
marked in the preview, tests/unit/test_gate.py; a copy to the clipboard replaces it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step
from counsellor_app.core.gate import copy_text
from counsellor_app.core.kept_words import kept_words
from counsellor_app.core.store import Notebook
from counsellor_app.gui.conversation import ConversationEditor
from tests.helpers import FAST_KDF, PASSPHRASE

NOTE = (
    "Mor siger at Nguyet er ked af det. Nguyet sover dårligt, og NGUYET græder. Ring 22 33 44 55."
)


@pytest.fixture
def notebook(tmp_path: Path) -> Iterator[Notebook]:
    made, _recovery = Notebook.create(tmp_path / "n.cnb", PASSPHRASE, kdf=FAST_KDF)
    with made:
        yield made


def _open(qtbot: QtBot, notebook: Notebook, text: str) -> ConversationEditor:
    case = notebook.new_case()
    assert case.id is not None
    talk = notebook.new_conversation(case.id)
    assert talk.id is not None
    notebook.save_note(talk.id, Step.LISTEN, text)
    view = ConversationEditor(notebook, talk.id)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def _cursor_at(view: ConversationEditor, position: int) -> None:
    editor = view.editors[Step.LISTEN]
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)
    editor.setFocus()
    QApplication.processEvents()


def test_ctrl_alt_r_replaces_every_occurrence_and_says_what_is_left(
    qtbot: QtBot, notebook: Notebook
) -> None:
    view = _open(qtbot, notebook, NOTE)
    editor = view.editors[Step.LISTEN]
    _cursor_at(view, NOTE.index("Nguyet") + 2)
    qtbot.keyClick(
        editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    text = editor.toPlainText()
    assert "nguyet" not in text.lower()
    assert text.count("[navn]") == 3
    # One undoable edit: Ctrl+Z brings all three back.
    editor.undo()
    assert editor.toPlainText() == NOTE
    editor.redo()
    # The phone number is left, and the status line says so (of the four notes).
    assert view.guard_status.text() == "1 identifikator er tilbage i disse notater."


def test_a_key_off_an_identifier_says_so(qtbot: QtBot, notebook: Notebook) -> None:
    view = _open(qtbot, notebook, NOTE)
    editor = view.editors[Step.LISTEN]
    _cursor_at(view, NOTE.index("ked"))
    qtbot.keyClick(
        editor,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.toPlainText() == NOTE
    assert view.guard_status.text() == "Der er ingen identifikator ved markøren."


def test_a_word_kept_as_no_identifier_is_not_marked_but_replaced_in_a_copy(
    qtbot: QtBot, notebook: Notebook, tmp_path: Path
) -> None:
    view = _open(qtbot, notebook, NOTE)
    guard = view.guards[Step.LISTEN]
    qtbot.waitUntil(lambda: any(f.kind == "name" for f in guard.findings()))
    _cursor_at(view, NOTE.index("Nguyet") + 1)
    qtbot.keyClick(
        view.editors[Step.LISTEN],
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    qtbot.waitUntil(lambda: kept_words(notebook) == frozenset({"nguyet"}), timeout=3000)
    qtbot.waitUntil(lambda: [f.kind for f in guard.findings()] == ["phone"], timeout=3000)
    # A number is never kept.
    _cursor_at(view, NOTE.index("22 33"))
    assert not guard.keep_word_at_cursor()
    assert kept_words(notebook) == frozenset({"nguyet"})

    # Kept in the notebook: a new view of it does not mark the word either.
    again = ConversationEditor(notebook, view.conversation_id)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: [f.kind for f in again.guards[Step.LISTEN].findings()] == ["phone"])
    # A copy to the clipboard shows no preview of what is kept: it replaces the word.
    assert "Nguyet" not in copy_text(NOTE)
