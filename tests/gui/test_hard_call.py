"""What a counsellor met during a hard call, on real notebooks through the real window:
the concern record starts unchosen and saves with Ctrl+Return, Ctrl+G with nothing due
keeps the focus, the case of the call is in the list at once, a case study is offered
under its pseudonym, file dialogs start in the Documents folder, and the case view fits
its buttons and its code at the default window size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import ConcernDecision, ConcernSigns, FollowUp, Role, Step
from counsellor_app.core.i18n import _
from counsellor_app.core.mentoring import Subject, display_ref, review_material
from counsellor_app.core.store import Notebook
from counsellor_app.gui.alliances import AllianceDialog
from counsellor_app.gui.case_view import CaseView
from counsellor_app.gui.concern import ConcernDialog
from counsellor_app.gui.follow_ups import FollowUpDialog
from counsellor_app.gui.research import ResearchExportDialog
from counsellor_app.gui.review import CommentDialog, SignOffDialog, case_study_file_name
from counsellor_app.gui.settings_dialog import SettingsDialog
from counsellor_app.gui.widgets import (
    choose_save_path,
    documents_folder,
    mnemonic_key,
    start_folder,
)
from tests.gui.helpers import (
    Student,
    answer_modal,
    make_review_view,
    mnemonics,
    unlocked_window,
)
from tests.helpers import FAST_KDF


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own (Qt reads $HOME and the XDG folders each time)."""
    folder = tmp_path / "user"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    return folder


def file_dialog_answer(qtbot: QtBot, open_dialog: Callable[[], object]) -> dict[str, Any]:
    """Run ``open_dialog``, which opens a (modal) file dialog; note the folder it starts
    in ("directory") and the files it offers ("files"), then cancel it."""
    seen: dict[str, Any] = {}

    def look(dialog: QFileDialog) -> None:
        seen["directory"] = Path(dialog.directory().absolutePath())
        seen["files"] = [Path(f) for f in dialog.selectedFiles()]
        dialog.reject()

    answer = answer_modal(QFileDialog, look)
    open_dialog()
    answer.check()
    return seen


# ---------------------------------------------------------------------- 1. the concern record


def test_a_concern_is_not_saved_until_signs_and_decision_are_chosen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None and page.call_case_id is not None
    case_id = page.call_case_id
    qtbot.keyClick(
        page.editor.editors[Step.LISTEN], Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
    )
    dialog = page.concern_dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    # Nothing is chosen: a placeholder asks for a choice, no "no signs" by default.
    for combo in (dialog.signs, dialog.decision):
        assert combo.currentIndex() == -1
        assert combo.currentText() == ""
        assert combo.placeholderText() == _("Choose…")

    # Ctrl+Return from the reasoning saves ... or says what is missing.
    qtbot.keyClicks(dialog.reasoning, "Barnet virker bange.")
    qtbot.keyClick(dialog.reasoning, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert _("Choose whether there are signs of serious risk.") in dialog.error.text()
    assert _("Choose what was decided.") in dialog.error.text()
    assert page.notebook is not None and page.notebook.concerns(case_id) == []
    assert dialog.signs.hasFocus()  # the first thing still to choose

    dialog.signs.setCurrentIndex(dialog.signs.findData(ConcernSigns.UNSURE))
    qtbot.keyClick(dialog.signs, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    assert dialog.error.text() == _("Choose what was decided.")
    assert dialog.decision.hasFocus()
    assert page.notebook.concerns(case_id) == []

    dialog.decision.setCurrentIndex(dialog.decision.findData(ConcernDecision.TALK_WITH_SUPERVISOR))
    assert not dialog.error.isVisible()  # the reminder goes once all is chosen
    # Ctrl+Enter (the keypad's Enter) saves too.
    qtbot.keyClick(
        dialog.decision,
        Qt.Key.Key_Enter,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.KeypadModifier,
    )
    assert not dialog.isVisible()
    [concern] = page.notebook.concerns(case_id)
    assert concern.signs is ConcernSigns.UNSURE
    assert concern.decision is ConcernDecision.TALK_WITH_SUPERVISOR
    assert concern.reasoning == "Barnet virker bange."
    page.end_call()


def test_every_save_dialog_saves_with_ctrl_return_and_its_save_key_is_its_own(
    qtbot: QtBot, tmp_path: Path
) -> None:
    notebook, _recovery = Notebook.create(tmp_path / "n.cnb", "pw", kdf=FAST_KDF)
    with notebook:
        case = notebook.new_case()
        assert case.id is not None
        talk = notebook.new_conversation(case.id)
        assert talk.id is not None
        subject = Subject.own(case.id)
        ref = review_material(notebook, subject).conversations[0].ref
        dialogs: list[QDialog] = [
            ConcernDialog(notebook, case.id, talk.id),
            AllianceDialog(notebook, case.id),
            FollowUpDialog(notebook, case.id),
            CommentDialog(notebook, subject, ref, Step.LISTEN, "Kontakt 1"),
            SignOffDialog(notebook, subject),
        ]
        for dialog in dialogs:
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
            key = mnemonic_key(save.text())
            keys = mnemonics(dialog)
            # A Save key, when given, is used by nothing else in the dialog.
            assert not key or keys.count(key) == 1, type(dialog).__name__
        concern, alliance, follow_up, comment, sign_off = dialogs
        # The Concern dialog has no other keys: Save has one there.
        assert mnemonic_key(concern.buttons.button(QDialogButtonBox.StandardButton.Save).text())

        # Ctrl+Return saves the follow-up from its note field (Return there is a new line).
        assert isinstance(follow_up, FollowUpDialog)
        follow_up.activateWindow()
        qtbot.waitUntil(follow_up.isActiveWindow)
        qtbot.keyClicks(follow_up.counsellor_task, "Ringe op")
        qtbot.keyClick(
            follow_up.counsellor_task, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
        assert not follow_up.isVisible()
        assert [f.counsellor_task for f in notebook.follow_ups(case.id)] == ["Ringe op"]
        for dialog in (concern, alliance, comment, sign_off):
            dialog.reject()


# ---------------------------------------------------------------------- 2. Ctrl+G


def test_ctrl_g_with_nothing_due_keeps_the_focus_and_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    assert page.agenda.count() == 0
    page.focus_search()
    qtbot.waitUntil(page.search.hasFocus)
    # The window's Ctrl+G leaves the focus in the search field and says why.
    qtbot.keyClick(page.search, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    assert window.statusBar().currentMessage() == _("No follow-ups due in the coming week.")
    window.statusBar().clearMessage()
    assert not page.agenda.isVisible() and not page.agenda.isEnabled()
    assert page.focus_agenda() is False
    assert page.search.hasFocus()
    assert window.statusBar().currentMessage() == _("No follow-ups due in the coming week.")
    # Keys still reach the search field.
    qtbot.keyClicks(page.search, "søvn")
    assert page.search.text() == "søvn"
    assert page.model.rowCount() == 1


def test_ctrl_g_with_follow_ups_due_moves_to_the_visible_agenda(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    assert page.notebook is not None
    case_id = page.model.summary(0).id
    page.notebook.save_follow_up(FollowUp(case_id, date.today(), counsellor_task="Ring op"))
    page.refresh_agenda()
    page.focus_search()
    assert page.focus_agenda() is True
    assert page.agenda.isVisible() and page.agenda.isEnabled()
    assert page.agenda.hasFocus()
    assert page.agenda.currentRow() == 0
    assert page.agenda.height() >= page.agenda.sizeHintForRow(0)


# ---------------------------------------------------------------------- 3. the call's case


def test_the_case_of_a_new_call_is_listed_and_selected_at_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    before = page.model.total()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.editor is not None
    code = page.editor.call_case_code
    codes = [page.model.summary(row).code for row in range(page.model.rowCount())]
    assert code in codes and page.model.total() == before + 1
    current = page.list.currentIndex()
    assert current.isValid() and page.model.summary(current.row()).code == code
    assert page.list.selectionModel().isSelected(current)
    assert page.right.currentWidget() is page.call_view  # the call stays on screen
    page.end_call()


def test_the_case_of_a_call_stays_listed_when_the_search_leaves_it_out(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    qtbot.keyClicks(page.search, "søvn")
    assert page.model.rowCount() == 1
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    assert page.model.summary(page.list.currentIndex().row()).code == code
    # More typing during the call: the call's case is still there, with what was found.
    qtbot.keyClicks(page.search, "problemer")
    codes = [page.model.summary(row).code for row in range(page.model.rowCount())]
    assert codes[0] == code and len(codes) == 2
    assert page.model.summary(page.list.currentIndex().row()).code == code
    page.editor.editors[Step.LISTEN].setPlainText("Mor fortæller om søvnproblemer.")
    page.end_call()
    # After the call its case is found by its notes, selected, and shown.
    current = page.list.currentIndex()
    assert current.isValid() and page.model.summary(current.row()).code == code
    assert page.case_view.code_label.text() == code
    assert "søvnproblemer" in page.case_view.timeline.toPlainText()


# ---------------------------------------------------------------------- 4. case study name


def test_a_case_study_is_offered_under_its_pseudonym_not_the_case_code(
    qtbot: QtBot, student: Student, home: Path, tmp_path: Path
) -> None:
    (home / "Documents").mkdir()
    material = review_material(student.nb, student.subject)
    pseudonym = display_ref(material.case_ref)
    assert case_study_file_name(material) == f"{_('case-study')}-{pseudonym}.pdf"
    view = make_review_view(qtbot, student.nb, student.subject)
    # Review mode's button: the dialog starts in Documents and offers the pseudonym.
    seen = file_dialog_answer(qtbot, view.case_study_button.click)
    [offered] = seen["files"]
    assert seen["directory"] == home / "Documents"
    assert offered.name == case_study_file_name(material)
    assert student.code not in str(offered)
    assert student.code.split("-")[1] not in offered.name

    # What the case study shows: the PDF (text and properties) and the message after it.
    from counsellor_app.gui.review import save_case_study

    task = save_case_study(view, student.nb, student.subject, path=tmp_path / offered.name)
    assert task is not None
    qtbot.waitUntil(task.settled)
    written = tmp_path / offered.name
    reader = PdfReader(written)
    text = " ".join(page.extract_text() for page in reader.pages)
    properties = " ".join(str(value) for value in (reader.metadata or {}).values())
    assert pseudonym in text
    for shown in (text, properties):
        assert student.code not in shown and student.code.split("-")[1] not in shown
    boxes = [b for b in view.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and student.code not in boxes[0].text() and boxes[0].windowTitle()
    boxes[0].accept()


def test_the_case_study_menu_item_offers_the_pseudonym(
    qtbot: QtBot, tmp_path: Path, home: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.list.setCurrentIndex(page.model.index(0))
    assert page.notebook is not None and page.case_view.case_id is not None
    code = page.notebook.case(page.case_view.case_id).code
    material = review_material(page.notebook, Subject.own(page.case_view.case_id))
    seen = file_dialog_answer(qtbot, window.mentoring.save_case_study)
    [offered] = seen["files"]
    assert offered.name == case_study_file_name(material)
    assert code not in offered.name and code.split("-")[1] not in offered.name
    assert seen["directory"] == home  # no Documents folder here: the home folder


# ---------------------------------------------------------------------- 5. Documents


def test_file_dialogs_start_in_documents_or_else_home(
    qtbot: QtBot, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Started from another folder: the dialogs must not open there.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert documents_folder() == home  # no Documents folder: home
    (home / "Documents").mkdir()
    assert documents_folder() == home / "Documents"
    assert start_folder(tmp_path) == tmp_path
    assert start_folder(tmp_path / "missing") == home / "Documents"

    parent = QWidget()
    qtbot.addWidget(parent)
    seen = file_dialog_answer(
        qtbot, lambda: choose_save_path(parent, "Save", "a.pdf", "PDF (*.pdf)")
    )
    assert seen["directory"] == home / "Documents"

    supervisor, _recovery = Notebook.create(
        tmp_path / "sup.cnb", "pw", Role.SUPERVISOR, kdf=FAST_KDF
    )
    with supervisor:
        research = ResearchExportDialog(supervisor)
        qtbot.addWidget(research)
        seen = file_dialog_answer(qtbot, research.choose_folder)
        assert seen["directory"] == home / "Documents"

        from counsellor_app.core.settings import AppSettings

        settings = SettingsDialog(supervisor, AppSettings.load())
        qtbot.addWidget(settings)
        # The default backup folder is not made yet: the dialog starts in Documents.
        seen = file_dialog_answer(qtbot, settings.browse_backup_folder)
        assert seen["directory"] == home / "Documents"
        backups = tmp_path / "backups"
        backups.mkdir()
        assert settings.choose_backup_folder(backups)
        seen = file_dialog_answer(qtbot, settings.browse_backup_folder)
        assert seen["directory"] == backups
        settings.reject()


# ---------------------------------------------------------------------- 6. layout


def fits_in_its_scroll_area(button: QPushButton, view: CaseView) -> bool:
    """The whole button is inside the side panel's viewport (not under its scroll bar)."""
    viewport = view.side_scroll.viewport()
    right = button.mapTo(viewport, QPoint(button.width(), 0)).x()
    return right <= viewport.width()


def test_case_view_fits_its_buttons_and_code_at_the_default_window_size(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    window.resize(1100, 720)
    page = window.notebook_page
    page.list.setCurrentIndex(page.model.index(0))
    view = page.case_view
    assert page.notebook is not None and view.case_id is not None
    done = page.notebook.save_follow_up(
        FollowUp(view.case_id, date.today(), counsellor_task="Ring op", done=True)
    )
    view.reload()
    qtbot.waitUntil(lambda: window.width() == 1100 and view.isVisible())
    buttons = (
        view.alliances.add_button,
        view.alliances.edit_button,
        view.alliances.status_button,
        view.follow_ups.add_button,
        view.follow_ups.edit_button,
        view.follow_ups.done_button,
    )

    def all_fit() -> bool:
        return all(
            b.width() >= b.sizeHint().width()
            and b.fontMetrics().horizontalAdvance(b.text().replace("&", "")) < b.width()
            and fits_in_its_scroll_area(b, view)
            for b in buttons
        )

    qtbot.waitUntil(all_fit)
    # Its longer text ("Markér som ikke gjort") fits too, once a done follow-up is chosen.
    assert done.id is not None
    view.follow_ups.select(done.id)
    assert view.follow_ups.done_button.text() == _("&Mark not done")
    qtbot.waitUntil(all_fit)

    # The whole code shows, and the header has room for it before it is even laid out
    # again (a grab right after a case was loaded showed only "K").
    code = view.code_label.text()
    metrics = view.code_label.fontMetrics()
    assert view.code_label.width() >= metrics.horizontalAdvance(code)
    view.clear()
    qtbot.wait(10)
    view.load(page.notebook, page.model.summary(1).id)
    new_code = view.code_label.text()
    assert new_code != code
    assert view.code_label.width() >= metrics.horizontalAdvance(new_code)
    assert view.code_label.contentsRect().width() >= metrics.horizontalAdvance(new_code)
