"""Ctrl+Alt+I in the learning window (issue 13): its editors (the answer to a mentor's
comment, the three fields of a reflection) get their notebook after they are built, and a
new one after a lock; the word marked at the cursor is kept in that notebook all the same:
no longer underlined, listed under Notebook -> Words kept, stored encrypted in it. The
real window on a real student's notebook, with a real comment from a real mentor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step
from counsellor_app.core.exchange import ensure_key_pair
from counsellor_app.core.kept_words import keep_word, kept_words
from counsellor_app.core.mentoring import (
    Subject,
    add_comment,
    export_case_for_review,
    export_comments,
    import_review_file,
    open_comments,
    review_material,
)
from counsellor_app.core.store import Notebook
from counsellor_app.gui.app import MainWindow
from counsellor_app.gui.follow_ups import FollowUpDialog
from counsellor_app.gui.guard import AnonymityGuard
from counsellor_app.gui.learning import LearningWindow
from counsellor_app.gui.review import AnswerDialog, CommentDialog
from tests.gui.helpers import Student, shown_window, unlock
from tests.helpers import FAST_KDF


def _student_with_a_comment(folder: Path) -> Path:
    """A student's notebook (passphrase "pw") holding one comment of a mentor's."""
    student = Student(folder / "student.cnb")
    mentor, _recovery = Notebook.create(folder / "mentor.cnb", "pw", kdf=FAST_KDF)
    with mentor:
        review = folder / "1.cnreview"
        export_case_for_review(student.nb, student.case_id, ensure_key_pair(mentor), review)
        received = import_review_file(mentor, review).subject
        assert received is not None
        ref = review_material(mentor, received).conversations[0].ref
        add_comment(mentor, received, ref, Step.LISTEN, "MK", "Hvad sagde mor så?")
        back = folder / "back.cncomments"
        export_comments(mentor, received.id, back)
    import_review_file(student.nb, back)
    student.nb.close()
    return folder / "student.cnb"


def _found(editor: QPlainTextEdit, guard: AnonymityGuard) -> list[str]:
    text = editor.toPlainText()
    return [text[f.start : f.end] for f in guard.findings()]


def _keep(qtbot: QtBot, window: QWidget, editor: QPlainTextEdit, name: str) -> None:
    """Type a sentence naming ``name`` into ``editor``, wait for the underline, and press
    Ctrl+Alt+I on the name (then Ctrl+Shift+R on the number)."""
    guard = editor.findChild(AnonymityGuard)
    assert guard is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    editor.setFocus()
    qtbot.keyClicks(editor, f"Vi talte om {name} i dag. Ring 22 33 44 55.")
    qtbot.waitUntil(lambda: name in _found(editor, guard), timeout=10_000)
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index(name) + 1)
    editor.setTextCursor(cursor)
    QApplication.processEvents()
    qtbot.keyClick(
        editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    # kept: no longer underlined (the phone number still is)
    qtbot.waitUntil(lambda: _found(editor, guard) == ["22 33 44 55"], timeout=10_000)
    # and Ctrl+Shift+R replaces the number at the cursor here too
    cursor.setPosition(editor.toPlainText().index("22 33") + 1)
    editor.setTextCursor(cursor)
    qtbot.keyClick(
        editor,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert "22 33 44 55" not in editor.toPlainText() and name in editor.toPlainText()
    assert _found(editor, guard) == []


def _listed(qtbot: QtBot, window: MainWindow) -> list[str]:
    window.open_kept_words()
    dialog = window.kept_words_dialog
    words = [dialog.words.item(i).text() for i in range(dialog.words.count())]
    dialog.close()
    return words


def test_ctrl_alt_i_keeps_the_word_in_every_learning_editor_also_after_a_lock(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = _student_with_a_comment(tmp_path)
    window = shown_window(qtbot, path)
    unlock(qtbot, window, "pw")
    learning = window.mentoring.open_comments()
    assert learning is not None
    assert learning.comments.answer.isEnabled()  # the mentor's comment is chosen
    log = learning.reflection_log
    editors = {
        "Nguyet": learning.comments.answer,
        "Fatima": log.worked,
        "Mehmet": log.differently,
        "Sigrid": log.learn,
    }
    kept: set[str] = set()
    for name, editor in editors.items():
        if editor is log.worked:
            learning.show_tab(LearningWindow.REFLECTIONS)
        _keep(qtbot, learning, editor, name)
        kept.add(name.casefold())
        assert window.notebook is not None
        qtbot.waitUntil(lambda: kept_words(window.notebook) == kept, timeout=10_000)
    # a word kept in one editor is no longer underlined in the others either
    assert "Nguyet" not in _found(log.learn, log.guards[2])
    learning.close()
    assert _listed(qtbot, window) == sorted(kept)

    # After a lock and an unlock: a new notebook object, a new learning window.
    window.lock()
    window.chores.wait()
    with Notebook.open(path, "pw") as stored:  # stored in the notebook, encrypted
        assert kept_words(stored) == kept
    unlock(qtbot, window, "pw")
    learning = window.mentoring.open_comments()
    assert learning is not None
    learning.show_tab(LearningWindow.REFLECTIONS)
    log = learning.reflection_log
    # the words kept before are read from the notebook unlocked now
    log.worked.setPlainText("Fatima og Sigrid var glade.")
    log.guards[0].refresh_now()
    assert _found(log.worked, log.guards[0]) == []
    _keep(qtbot, learning, log.differently, "Zeynep")
    kept.add("zeynep")
    assert window.notebook is not None
    qtbot.waitUntil(lambda: kept_words(window.notebook) == kept, timeout=10_000)
    learning.close()
    assert _listed(qtbot, window) == sorted(kept)


def test_a_guard_follows_the_notebook_it_is_given_later(qtbot: QtBot, tmp_path: Path) -> None:
    first, _r1 = Notebook.create(tmp_path / "a.cnb", "pw", kdf=FAST_KDF)
    second, _r2 = Notebook.create(tmp_path / "b.cnb", "pw", kdf=FAST_KDF)
    with first, second:
        keep_word(second, "Nguyet")
        editor = QPlainTextEdit()
        qtbot.addWidget(editor)
        guard = AnonymityGuard(editor)
        editor.setPlainText("Nguyet ringede.")
        guard.refresh_now()
        assert _found(editor, guard) == ["Nguyet"]
        guard.set_notebook(first)
        assert _found(editor, guard) == ["Nguyet"]
        guard.set_notebook(second)  # its kept words are read and left unmarked
        assert _found(editor, guard) == []
        guard.set_notebook(None)
        assert _found(editor, guard) == ["Nguyet"]


def test_ctrl_alt_i_keeps_the_word_in_the_review_and_follow_up_editors(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The other editors built with their notebook (the call's notes, a concern and an
    alliance: tests/gui/test_kept_words_gui.py): a follow-up's three tasks, a comment in
    review mode, the answer to a comment."""
    path = _student_with_a_comment(tmp_path)
    with Notebook.open(path, "pw") as notebook:
        [todo] = open_comments(notebook)
        dialogs: list[tuple[QDialog, list[QPlainTextEdit]]] = []
        follow_up = FollowUpDialog(notebook, todo.case_id)
        dialogs.append(
            (follow_up, [follow_up.counsellor_task, follow_up.parent_task, follow_up.others_task])
        )
        comment = CommentDialog(
            notebook, Subject.own(todo.case_id), "ref", Step.LISTEN, "samtale 1"
        )
        dialogs.append((comment, [comment.text]))
        answer = AnswerDialog(notebook, todo.comment, "samtale 1")
        dialogs.append((answer, [answer.answer]))
        names = iter(["Nguyet", "Fatima", "Mehmet", "Sigrid", "Zeynep"])
        kept: set[str] = set()
        for dialog, editors in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            for editor in editors:
                name = next(names)
                _keep(qtbot, dialog, editor, name)
                kept.add(name.casefold())
                qtbot.waitUntil(lambda: kept_words(notebook) == kept, timeout=10_000)
            dialog.close()
