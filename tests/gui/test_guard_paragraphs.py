"""The guard scans only the paragraphs an edit touched and redraws only the paragraphs
whose underlines change: what is underlined after every edit is exactly what a scan of the
whole text finds, also where an edit of one paragraph changes another's underlines."""

from __future__ import annotations

import json
import random
from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from counsellor_app.core.anonymity import find_identifiers
from counsellor_app.gui.guard import AnonymityGuard
from tests.gui.helpers import underlined
from tests.unit.anonymity.corpus import CLEAN_NOTES, PLANTED_NOTE

NOTES = Path(__file__).resolve().parents[1] / "fixtures" / "anonymity_corpus" / "notes.jsonl"


def real_notes() -> list[str]:
    with NOTES.open(encoding="utf-8") as lines:
        planted = [json.loads(line)["text"] for line in lines if line.strip()]
    return [*planted[:30], *CLEAN_NOTES, PLANTED_NOTE]


def expected(text: str) -> set[int]:
    return {i for f in find_identifiers(text) for i in range(f.start, f.end)}


def _guarded(qtbot: QtBot, text: str) -> tuple[QPlainTextEdit, AnonymityGuard]:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    guard = AnonymityGuard(editor)
    guard.refresh_now()
    return editor, guard


def test_underlines_after_edits_are_those_of_a_whole_text_scan(qtbot: QtBot) -> None:
    rng = random.Random(5)
    notes = real_notes()
    editor, guard = _guarded(qtbot, "\n".join(notes))
    snippets = (" oliver", " Mark har", " mor,oliver", " lærer Mark", "\n", "22 33 44 55", " Tom")
    for _edit in range(120):
        text = editor.toPlainText()
        assert underlined(editor) == expected(text)
        cursor = QTextCursor(editor.document())
        cursor.setPosition(rng.randrange(len(text) + 1))
        choice = rng.random()
        if choice < 0.4:
            source = rng.choice(notes)
            at = rng.randrange(len(source))
            cursor.insertText(source[at : at + rng.randrange(1, 50)])
        elif choice < 0.7:
            cursor.movePosition(
                QTextCursor.MoveOperation.Right,
                QTextCursor.MoveMode.KeepAnchor,
                rng.randrange(1, 30),
            )
            cursor.removeSelectedText()
        else:
            cursor.insertText(rng.choice(snippets))
        guard.refresh_now()
    assert underlined(editor) == expected(editor.toPlainText())


def test_an_edit_of_one_paragraph_redraws_another_whose_names_it_decides(qtbot: QtBot) -> None:
    learnt = "Mark og de andre kom.\nVi talte om skolen.\nHan talte med lærer Mark i går."
    editor, guard = _guarded(qtbot, learnt)
    assert underlined(editor) == expected(learnt)
    assert 0 in underlined(editor)  # "Mark" in the first paragraph: learnt in the third
    # Only the third paragraph is edited; the first loses its underline.
    cursor = QTextCursor(editor.document())
    at = learnt.rindex("Mark")
    cursor.setPosition(at)
    cursor.setPosition(at + 4, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText("Hans")
    guard.refresh_now()
    assert 0 not in underlined(editor)
    assert underlined(editor) == expected(editor.toPlainText())
    editor.document().undo()
    guard.refresh_now()
    assert underlined(editor) == expected(learnt)


def test_the_same_line_twice_and_lines_moved(qtbot: QtBot) -> None:
    line = "Ring til Ole på 22 33 44 55."
    editor, guard = _guarded(qtbot, f"{line}\n\n{line}\nintet her")
    cursor = QTextCursor(editor.document())
    cursor.setPosition(0)
    cursor.insertText("Ny første linje om Aarhus.\n")
    guard.refresh_now()
    assert underlined(editor) == expected(editor.toPlainText())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(f"\n{line}")
    guard.refresh_now()
    assert underlined(editor) == expected(editor.toPlainText())
