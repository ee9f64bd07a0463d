"""What the tester saw, on the real dialogs and real encrypted notebooks, in Danish and
English: counts in words ("1 samtale", "2 navne"), a word typed where a key goes, and
Enter in the mentor's window of received cases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import ensure_key_pair, replacements_text
from counsellor_app.core.i18n import set_language
from counsellor_app.core.mentoring import export_case_for_review, import_review_file
from counsellor_app.core.store import Notebook
from counsellor_app.gui.exchange import ExportDialog
from counsellor_app.gui.review import ReviewWindow
from counsellor_app.gui.review_files import (
    ReceivedCasesWindow,
    ReviewExportDialog,
    ReviewImportDialog,
)
from tests.helpers import FAST_KDF

NOTE = (
    "Far ringer om Mads, 14 år, der spiller hele natten. Mor hedder Anne Hansen, cpr "
    "010203-1234. Hun arbejder på Rigshospitalet."
)
#: A count written the wrong way round, as the tester saw it: "navn 2", "name 2".
BACKWARDS = re.compile(r"\b(navn|name|CPR-nummer|CPR number|institution) \d")


@pytest.fixture
def language() -> Iterator[None]:
    yield
    set_language("da")


@pytest.fixture
def student(tmp_path: Path) -> Iterator[tuple[Notebook, int]]:
    """A student's case of one conversation (the tester's "1 samtaler")."""
    notebook, _recovery = Notebook.create(tmp_path / "s.cnb", "pw", Role.STUDENT, kdf=FAST_KDF)
    case = notebook.new_case(themes=["school_absence"])
    assert case.id is not None
    talk = notebook.new_conversation(case.id)
    assert talk.id is not None
    notebook.save_note(talk.id, Step.LISTEN, NOTE)
    yield notebook, case.id
    notebook.close()


@pytest.fixture
def mentor(tmp_path: Path) -> Iterator[Notebook]:
    notebook, _recovery = Notebook.create(tmp_path / "m.cnb", "pw", kdf=FAST_KDF)
    yield notebook
    notebook.close()


@pytest.mark.parametrize(
    ("lang", "contents", "conversation", "comments"),
    [
        (
            "da",
            "1 samtale, 0 kommentarer, 0 refleksioner",
            "(1 samtale)",
            ": 0 kommentarer, 0 vurderinger.",
        ),
        (
            "en",
            "1 conversation, 0 comments, 0 reflections",
            "(1 conversation)",
            ": 0 comments, 0 rubric ratings.",
        ),
    ],
)
def test_counts_in_the_review_dialogs_read_as_words(
    qtbot: QtBot,
    student: tuple[Notebook, int],
    mentor: Notebook,
    tmp_path: Path,
    language: None,
    lang: str,
    contents: str,
    conversation: str,
    comments: str,
) -> None:
    set_language(lang)
    notebook, case_id = student
    export = ReviewExportDialog(notebook, case_id)
    qtbot.addWidget(export)
    export.show()
    assert export.set_key_text(ensure_key_pair(mentor))
    export.initials.setText("AB")
    assert export.preview()
    qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
    preview = export.current_preview()
    assert preview is not None and preview.replacements
    said = export.counts_label.text()
    assert contents in said
    assert replacements_text(preview.replacements) in said
    assert not BACKWARDS.search(said), said
    assert export.export_to(tmp_path / "case")
    qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
    result = export.last_result()
    assert result is not None

    importer = ReviewImportDialog(mentor)
    qtbot.addWidget(importer)
    importer.import_files([result.path])
    qtbot.waitUntil(lambda: not importer.busy(), timeout=20_000)
    (line,) = importer.lines()
    assert result.review_ref in line and conversation in line

    received = ReceivedCasesWindow(mentor)
    qtbot.addWidget(received)
    received.show()
    sender = received.open_comments_export()
    assert sender is not None
    assert any(comments in label.text() for label in sender.findChildren(QLabel))
    received.reject()


@pytest.mark.parametrize(
    ("lang", "ask"),
    [("da", ("bed din supervisor", "bed din mentor")),
     ("en", ("ask your supervisor", "ask your mentor"))],
)  # fmt: skip
def test_a_word_typed_in_the_key_field_is_said_to_be_no_key(
    qtbot: QtBot,
    student: tuple[Notebook, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: None,
    lang: str,
    ask: tuple[str, str],
) -> None:
    """Shot 47: "hello" in the supervisor's key field said there was no file at hello."""
    monkeypatch.chdir(tmp_path)
    set_language(lang)
    notebook, case_id = student
    for dialog, person in (
        (ExportDialog(notebook), ask[0]),
        (ReviewExportDialog(notebook, case_id), ask[1]),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.keyClicks(dialog.key_edit, "hello")
        assert not dialog.check_key()
        said = dialog.key_status.text()
        assert not dialog.key_status.isHidden()
        assert '"age1"' in said and person in said.lower() and "hello" not in said
        dialog.key_edit.clear()
        qtbot.keyClicks(dialog.key_edit, "mentor.pub")  # a file's name: it is missing
        assert not dialog.check_key()
        assert "mentor.pub" in dialog.key_status.text()


# ---------------------------------------------------------------------- Enter, shot 77a/81b


@pytest.fixture
def received(
    qtbot: QtBot, student: tuple[Notebook, int], mentor: Notebook, tmp_path: Path
) -> ReceivedCasesWindow:
    notebook, case_id = student
    path = tmp_path / "case.cnreview"
    export_case_for_review(notebook, case_id, ensure_key_pair(mentor), path, student="AB")
    assert import_review_file(mentor, path).subject is not None
    window = ReceivedCasesWindow(mentor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    assert window.selected() is not None
    return window


def opened(window: ReceivedCasesWindow) -> int:
    return len(window.findChildren(ReviewWindow))


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter], ids=["Return", "Enter"])
def test_enter_on_the_open_button_opens_the_case_and_keeps_the_window(
    qtbot: QtBot, received: ReceivedCasesWindow, key: Qt.Key
) -> None:
    received.open_button.setFocus()
    assert received.focusWidget() is received.open_button
    before = opened(received)
    modifier = (
        Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Enter
        else Qt.KeyboardModifier.NoModifier
    )
    qtbot.keyClick(received.open_button, key, modifier)
    assert opened(received) == before + 1
    window = received.review_window
    assert window is not None and window.isVisible()
    assert received.isVisible()


def test_enter_on_a_row_opens_it_once_and_keeps_the_window(
    qtbot: QtBot, received: ReceivedCasesWindow
) -> None:
    received.tree.setFocus()
    before = opened(received)
    qtbot.keyClick(received.tree, Qt.Key.Key_Return)
    assert opened(received) == before + 1  # once: by the list, not again by the window
    assert received.review_window is not None and received.review_window.isVisible()
    assert received.isVisible()
    # Enter with the focus on no list and no button opens the selected case too
    received.review_window.close()
    received.tree.clearFocus()
    assert received.focusWidget() is None
    qtbot.keyClick(received, Qt.Key.Key_Return)
    assert opened(received) == before + 2 and received.isVisible()


def test_a_double_click_on_a_row_opens_it(qtbot: QtBot, received: ReceivedCasesWindow) -> None:
    item = received.tree.topLevelItem(0)
    assert item is not None
    before = opened(received)
    at = received.tree.visualItemRect(item).center()
    qtbot.mouseClick(received.tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert opened(received) == before  # one click selects, it does not open
    qtbot.mouseDClick(received.tree.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert opened(received) == before + 1 and received.isVisible()


def test_enter_on_another_button_presses_that_button_and_escape_still_closes(
    qtbot: QtBot, received: ReceivedCasesWindow
) -> None:
    received.comments_button.setFocus()
    qtbot.keyClick(received.comments_button, Qt.Key.Key_Return)
    assert received.dialog is not None and received.dialog.isVisible()
    assert opened(received) == 0 and received.isVisible()
    received.dialog.reject()
    qtbot.keyClick(received.tree, Qt.Key.Key_Escape)
    assert not received.isVisible()


def test_the_mentors_key_file_says_to_give_it_to_students(
    qtbot: QtBot, mentor: Notebook, tmp_path: Path
) -> None:
    from counsellor_app.core.exchange import load_recipient
    from counsellor_app.gui.review_files import MentorKeyDialog

    dialog = MentorKeyDialog(mentor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_to(tmp_path / "for students")
    written = (tmp_path / "for students.pub").read_text(encoding="utf-8")
    assert written.startswith("# ") and "studerende" in written.splitlines()[0]
    assert "rådgiverne" not in written
    assert str(load_recipient(tmp_path / "for students.pub")) == dialog.key_edit.text()
