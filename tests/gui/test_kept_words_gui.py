"""Kept words and the guard's status line in every guarded editor (issue 13): the list
of words kept as no identifier forgets one (the open notes underline it again), a word
kept in one editor is kept in all of the notebook's, and the concern, alliance and
follow-up editors say how many identifiers are left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step
from counsellor_app.core.i18n import set_language
from counsellor_app.core.kept_words import keep_word, kept_words
from counsellor_app.core.store import Notebook
from counsellor_app.gui.alliances import AllianceDialog
from counsellor_app.gui.concern import ConcernDialog
from counsellor_app.gui.conversation import ConversationEditor
from counsellor_app.gui.follow_ups import FollowUpDialog
from counsellor_app.gui.kept_words import KeptWordsDialog
from tests.gui.helpers import save_screenshot, unlocked_window
from tests.helpers import FAST_KDF, PASSPHRASE

NOTE = "Mor siger at Nguyet er ked af det. Hun ringer fra 22 33 44 55."


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    set_language("en")


@pytest.fixture
def notebook(tmp_path: Path) -> Iterator[Notebook]:
    made, _recovery = Notebook.create(tmp_path / "n.cnb", PASSPHRASE, kdf=FAST_KDF)
    with made:
        yield made


def _found(view: ConversationEditor) -> list[str]:
    text = view.text(Step.LISTEN)
    return [text[f.start : f.end] for f in view.guards[Step.LISTEN].findings()]


def test_forgetting_a_kept_word_has_the_guard_mark_it_again(
    qtbot: QtBot, notebook: Notebook
) -> None:
    case = notebook.new_case()
    talk = notebook.new_conversation(case.id or 0)
    notebook.save_note(talk.id or 0, Step.LISTEN, NOTE)
    keep_word(notebook, "Nguyet")
    keep_word(notebook, "Ctrl")
    view = ConversationEditor(notebook, talk.id or 0)
    qtbot.addWidget(view)
    # The note is scanned off the UI thread once the editor is open.
    qtbot.waitUntil(lambda: "22 33 44 55" in _found(view), timeout=10_000)
    assert "Nguyet" not in _found(view)

    dialog = KeptWordsDialog(notebook)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.words.item(i).text() for i in range(dialog.words.count())] == [
        "ctrl",
        "nguyet",
    ]
    save_screenshot(dialog, "kept-words")
    # by the keyboard: the list has the focus, Down chooses the word, Delete forgets it
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.words.setFocus()
    qtbot.keyClick(dialog.words, Qt.Key.Key_Down)
    assert dialog.words.currentItem().text() == "nguyet"
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.keyClick(dialog.words, Qt.Key.Key_Delete)
    assert kept_words(notebook) == {"ctrl"}
    assert "Nguyet" in _found(view)
    assert "underlined and replaced again" in dialog.status_label.text()
    # and by the button, down to an empty list
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.forget_button.click()
    assert dialog.words.count() == 0 and not dialog.forget_button.isEnabled()
    assert kept_words(notebook) == frozenset()


def test_the_kept_words_are_reached_from_the_notebook_menu(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    assert window.notebook is not None
    keep_word(window.notebook, "Nguyet")
    (action,) = [a for a in window.notebook_actions if "Words kept" in a.text()]
    action.trigger()
    dialog = window.kept_words_dialog
    assert dialog.isVisible() and dialog.words.item(0).text() == "nguyet"
    dialog.close()


def test_every_guarded_editor_says_how_many_identifiers_are_left(
    qtbot: QtBot, notebook: Notebook
) -> None:
    case = notebook.new_case()
    alliance = AllianceDialog(notebook, case.id or 0)
    follow_up = FollowUpDialog(notebook, case.id or 0)
    concern = ConcernDialog(notebook, case.id or 0)
    for dialog in (alliance, follow_up, concern):
        qtbot.addWidget(dialog)
        dialog.show()
    # nothing found: nothing said
    assert alliance.guard_status.text() == ""
    alliance.agreed.setPlainText(NOTE)
    alliance.guard.refresh_now()
    assert alliance.guard_status.text() == "2 identifiers are left in this note."
    assert alliance.guard_status.isVisibleTo(alliance)
    # right below the editor it counts
    assert alliance.guard_status.geometry().top() >= alliance.agreed.geometry().bottom()

    follow_up.parent_task.setPlainText("Ring til Nguyet.")
    follow_up.others_task.setPlainText("Skolen ringer på 22 33 44 55.")
    for guard in follow_up.guards:
        guard.refresh_now()
    assert follow_up.guard_status.text() == "2 identifiers are left in these notes."
    # a replacement by the key: the count follows
    cursor = follow_up.others_task.textCursor()
    cursor.setPosition(len("Skolen ringer på 22"))
    follow_up.others_task.setTextCursor(cursor)
    follow_up.guards[2].replace_at_cursor()
    QApplication.processEvents()
    assert follow_up.guard_status.text() == "1 identifier is left in these notes."

    concern.form.reasoning.setPlainText(NOTE)
    concern.form.guard.refresh_now()
    assert concern.form.guard_status.text() == "2 identifiers are left in this note."
    concern.form.reasoning.setPlainText("Mor er bekymret.")
    concern.form.guard.refresh_now()
    assert concern.form.guard_status.text() == "0 identifiers are left in this note."
    save_screenshot(alliance, "alliance-guard-status")


def test_a_word_kept_in_one_editor_is_kept_in_every_editor_of_the_notebook(
    qtbot: QtBot, notebook: Notebook
) -> None:
    case = notebook.new_case()
    alliance = AllianceDialog(notebook, case.id or 0)
    concern = ConcernDialog(notebook, case.id or 0)
    for dialog in (alliance, concern):
        qtbot.addWidget(dialog)
        dialog.show()
    alliance.agreed.setPlainText(NOTE)
    concern.form.reasoning.setPlainText(NOTE)
    for guard in (alliance.guard, concern.form.guard):
        guard.refresh_now()
        assert len(guard.findings()) == 2
    alliance.activateWindow()
    qtbot.waitUntil(alliance.isActiveWindow)
    alliance.agreed.setFocus()
    cursor = alliance.agreed.textCursor()
    cursor.setPosition(NOTE.index("Nguyet") + 2)
    alliance.agreed.setTextCursor(cursor)
    qtbot.keyClick(
        alliance.agreed,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    qtbot.waitUntil(lambda: kept_words(notebook) == {"nguyet"}, timeout=5000)
    for guard in (alliance.guard, concern.form.guard):
        qtbot.waitUntil(lambda g=guard: len(g.findings()) == 1, timeout=5000)
    assert "no longer marked" in alliance.guard_status.text()
    assert concern.form.guard_status.text() == "1 identifier is left in this note."
