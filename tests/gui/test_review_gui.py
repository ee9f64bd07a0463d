"""Review mode, comments, sign-off, the student's to-do list, reflection log and learning
overview, and the review files, on real encrypted notebooks through the real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import (
    Step,
    label,
)
from counsellor_app.core.exchange import ensure_key_pair
from counsellor_app.core.i18n import _
from counsellor_app.core.mentoring import (
    CommentStatus,
    add_comment,
    comments,
    conversation_refs,
    export_case_for_review,
    import_review_file,
    reflections,
    sign_offs,
)
from counsellor_app.core.store import Notebook
from counsellor_app.gui.learning import (
    LearningOverviewPanel,
    LearningWindow,
    OpenCommentsPanel,
    ReflectionLog,
)
from counsellor_app.gui.mentoring_menu import MentoringMenu
from counsellor_app.gui.review import DEFAULT_ZOOM, CommentDialog, ReviewWindow
from counsellor_app.gui.review_files import (
    ReceivedCasesWindow,
    ReviewExportDialog,
    ReviewImportDialog,
)
from tests.gui.helpers import (
    REVIEW_CALLBACK,
    REVIEW_REASONING,
    Student,
    duplicates,
    make_review_view,
    mnemonics,
    unnamed_controls,
)
from tests.helpers import FAST_KDF


@pytest.fixture
def mentor(tmp_path: Path) -> Iterator[Notebook]:
    notebook, _recovery = Notebook.create(tmp_path / "mentor.cnb", "pw", kdf=FAST_KDF)
    yield notebook
    notebook.close()


def click_save(qtbot: QtBot, buttons: QDialogButtonBox) -> None:
    qtbot.mouseClick(
        buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )


# ---------------------------------------------------------------------- review mode


def test_review_mode_shows_the_four_steps_side_by_side(qtbot: QtBot, student: Student) -> None:
    view = make_review_view(qtbot, student.nb, student.subject)
    assert student.code in view.title.text()
    assert len(view.conversation_panels) == 2
    for number, panel in enumerate(view.conversation_panels, start=1):
        panels = [panel.steps[step] for step in Step]
        assert [p.note_text() for p in panels] == [
            f"Samtale {number}: {step.value} note." for step in Step
        ]
        tops = {p.mapTo(view, p.rect().topLeft()).y() for p in panels}
        lefts = [p.mapTo(view, p.rect().topLeft()).x() for p in panels]
        assert len(tops) == 1  # one row ...
        assert lefts == sorted(lefts) and len(set(lefts)) == 4  # ... four columns
    # larger text than the rest of the app, and the zoom keys work
    assert view.zoom == DEFAULT_ZOOM
    base = QWidget().font().pointSizeF()
    assert view.conversation_panels[0].steps[Step.LISTEN].note.font().pointSizeF() > base
    before = view.font().pointSizeF()
    view.zoom_in()
    assert view.font().pointSizeF() > before and len(view.conversation_panels) == 2
    view.reset_zoom()
    assert view.zoom == DEFAULT_ZOOM
    assert view.chart.contact_count() == 2
    assert "Klasselærer" in view.alliances.text()


def test_call_back_and_concern_reasoning_hidden_until_asked(qtbot: QtBot, student: Student) -> None:
    view = make_review_view(qtbot, student.nb, student.subject)
    assert not view.details_shown()
    shown = view.visible_text()
    assert REVIEW_CALLBACK not in shown and REVIEW_REASONING not in shown
    assert view.concern_labels  # the concern itself (signs, decision) is there
    view.details_toggle.setFocus()
    qtbot.keyClick(view.details_toggle, Qt.Key.Key_Space)
    assert view.details_shown()
    shown = view.visible_text()
    assert REVIEW_CALLBACK in shown and REVIEW_REASONING in shown
    view.details_toggle.setChecked(False)
    assert REVIEW_CALLBACK not in view.visible_text()
    # a case loaded again starts hidden
    view.details_toggle.setChecked(True)
    view.load(student.nb, student.subject)
    assert not view.details_shown() and REVIEW_CALLBACK not in view.visible_text()
    view.clear()
    assert view.visible_text().strip() == "" and not view.conversation_panels


def test_comment_on_a_step_and_sign_off(qtbot: QtBot, student: Student) -> None:
    view = make_review_view(qtbot, student.nb, student.subject)
    step_panel = view.conversation_panels[1].steps[Step.ADVISE]
    assert label(Step.ADVISE) in step_panel.comment_button.accessibleName()
    qtbot.mouseClick(step_panel.comment_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, CommentDialog)
    qtbot.keyClicks(dialog.initials, "MK")
    qtbot.keyClicks(dialog.text, "Hvorfor netop det råd?")
    click_save(qtbot, dialog.buttons)
    (stored,) = comments(student.nb, student.subject)
    assert (stored.step, stored.conversation_number, stored.author) == (Step.ADVISE, 2, "MK")
    assert stored.text == "Hvorfor netop det råd?"
    # the comment is shown beside the step it is about
    card = view.conversation_panels[1].steps[Step.ADVISE].cards[0]
    assert card.comment.uid == stored.uid
    assert not view.conversation_panels[0].steps[Step.ADVISE].cards
    # a comment on the whole contact, initials remembered
    qtbot.mouseClick(view.conversation_panels[0].comment_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, CommentDialog) and dialog.initials.text() == "MK"
    qtbot.keyClicks(dialog.text, "God start.")
    click_save(qtbot, dialog.buttons)
    assert view.conversation_panels[0].cards[0].comment.step is None
    # an empty comment is not stored; the dialog says why
    qtbot.mouseClick(view.conversation_panels[0].comment_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, CommentDialog)
    click_save(qtbot, dialog.buttons)
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog)
    dialog.reject()
    assert len(comments(student.nb, student.subject)) == 2
    # resolve from the card
    card = view.conversation_panels[1].steps[Step.ADVISE].cards[0]
    qtbot.mouseClick(card.resolve_button, Qt.MouseButton.LeftButton)
    resolved = {c.uid: c for c in comments(student.nb, student.subject)}[stored.uid]
    assert resolved.status is CommentStatus.RESOLVED
    # only the mentor signs off, in the mentor's notebook: not on the student's own case
    assert not view.sign_off_button.isVisibleTo(view)
    assert view.open_sign_off_dialog() is None and view.dialog is None
    assert sign_offs(student.nb, student.subject) == []


def test_student_answers_a_comment_in_review_mode(qtbot: QtBot, student: Student) -> None:
    refs = conversation_refs(student.nb, student.subject)
    add_comment(student.nb, student.subject, refs[0], Step.LISTEN, "MK", "Hvad sagde barnet?")
    view = make_review_view(qtbot, student.nb, student.subject)
    card = view.conversation_panels[0].steps[Step.LISTEN].cards[0]
    assert card.answer_button is not None
    qtbot.mouseClick(card.answer_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.answer, "Det spurgte jeg ikke om.")  # type: ignore[attr-defined]
    click_save(qtbot, dialog.buttons)  # type: ignore[attr-defined]
    (stored,) = comments(student.nb, student.subject)
    assert stored.status is CommentStatus.ANSWERED and stored.answer == "Det spurgte jeg ikke om."
    answer_label = view.conversation_panels[0].steps[Step.LISTEN].cards[0].answer_label
    assert answer_label is not None and "Det spurgte jeg ikke om." in answer_label.text()


def test_review_window_is_named_and_forgets_on_close(qtbot: QtBot, student: Student) -> None:
    window = ReviewWindow(student.nb, student.subject)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert student.code in window.windowTitle()
    assert unnamed_controls(window) == []
    window.reject()
    assert window.view.material is None and not window.view.conversation_panels


# ---------------------------------------------------------------------- the student's side


def test_open_comments_to_do_and_answer(qtbot: QtBot, student: Student) -> None:
    refs = conversation_refs(student.nb, student.subject)
    first = add_comment(student.nb, student.subject, refs[0], Step.ADVISE, "MK", "Første")
    add_comment(student.nb, student.subject, refs[1], None, "MK", "Anden")
    panel = OpenCommentsPanel()
    qtbot.addWidget(panel)
    panel.load(student.nb)
    panel.show()
    assert [item.comment.text for item in panel.items()] == ["Første", "Anden"]
    assert student.code in panel.list.item(0).text()
    assert "2" in panel.count_label.text()
    panel.list.setCurrentRow(0)
    assert "Første" in panel.detail.text()
    qtbot.keyClicks(panel.answer, "Mit svar")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    stored = {c.uid: c for c in comments(student.nb, student.subject)}[first.uid]
    assert stored.status is CommentStatus.ANSWERED and stored.answer == "Mit svar"
    assert [item.comment.text for item in panel.items()] == ["Anden"]
    panel.show_answered.setChecked(True)
    assert len(panel.items()) == 2
    with qtbot.waitSignal(panel.open_case_requested) as requested:
        qtbot.mouseClick(panel.review_button, Qt.MouseButton.LeftButton)
    assert requested.args == [student.case_id]
    assert unnamed_controls(panel) == []


def test_reflection_entry_is_saved_and_changed(qtbot: QtBot, student: Student) -> None:
    log = ReflectionLog()
    qtbot.addWidget(log)
    log.load(student.nb, student.case_id)
    log.show()
    qtbot.keyClicks(log.worked, "At lytte færdigt.")
    qtbot.keyClicks(log.learn, "Mere om skolevægring.")
    qtbot.mouseClick(log.save_button, Qt.MouseButton.LeftButton)
    (entry,) = reflections(student.nb, student.case_id)
    assert (entry.worked, entry.differently, entry.learn) == (
        "At lytte færdigt.",
        "",
        "Mere om skolevægring.",
    )
    assert entry.day == date.today()
    assert log.selected() is not None and log.save_button.text().replace("&", "")
    log.differently.setPlainText("Spørge til barnet.")
    qtbot.mouseClick(log.save_button, Qt.MouseButton.LeftButton)
    (entry,) = reflections(student.nb, student.case_id)
    assert entry.differently == "Spørge til barnet."
    qtbot.mouseClick(log.new_button, Qt.MouseButton.LeftButton)
    assert log.selected() is None and log.worked.toPlainText() == ""
    qtbot.mouseClick(log.save_button, Qt.MouseButton.LeftButton)  # empty: not stored
    assert len(reflections(student.nb, student.case_id)) == 1 and log.status.text()
    assert unnamed_controls(log) == []


def test_learning_overview_figures_and_chart(qtbot: QtBot, student: Student) -> None:
    refs = conversation_refs(student.nb, student.subject)
    for ref, step in ((refs[0], Step.ADVISE), (refs[1], Step.ADVISE), (refs[1], Step.LISTEN)):
        add_comment(student.nb, student.subject, ref, step, "MK", "x")
    panel = LearningOverviewPanel()
    qtbot.addWidget(panel)
    panel.load(student.nb)
    assert panel.figures["reviewed"].text().startswith("0")
    assert panel.figures["comments"].text().startswith("3")
    bars = panel.steps_chart.bars()
    assert (bars[0].value, bars[1].value) == (2, 1)
    assert "Skolefravær" in panel.themes.text() or "school" in panel.themes.text().lower()


def test_learning_window_tabs(qtbot: QtBot, student: Student) -> None:
    window = LearningWindow(student.nb, student.case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.case_choice.currentData() == student.case_id
    for index in range(window.tabs.count()):
        window.show_tab(index)
        assert unnamed_controls(window) == []
        assert duplicates(mnemonics(window)) == set()
    window.reject()
    assert window.comments.items() == []


# ---------------------------------------------------------------------- away: the files


def test_review_files_through_the_dialogs(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    key = ensure_key_pair(mentor)
    export = ReviewExportDialog(student.nb, student.case_id)
    qtbot.addWidget(export)
    export.show()
    assert export.set_key_text(key)
    export.initials.setText("AB")
    assert export.preview()
    # Built on the notebook lane: the dialog says so meanwhile.
    assert export.busy() and not export.preview_button.isEnabled()
    qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
    preview = export.current_preview()
    assert preview is not None and export.export_button.isEnabled()
    assert "Samtale 1" in export.texts.toPlainText()
    # the marks explained, as in the bundle's preview
    assert export.legend_label.isVisibleTo(export) and _("Kept word") in export.legend_label.text()
    assert export.export_to(tmp_path / "case")
    # Written on the notebook lane: the dialog says so, and takes no second export.
    assert export.busy() and not export.export_button.isEnabled()
    assert export.status_label.text() == _("Exporting…")
    assert not export.export_to(tmp_path / "again")
    qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
    result = export.last_result()
    assert result is not None and result.path.name == "case.cnreview"
    assert str(result.path) in export.status_label.text()
    assert unnamed_controls(export) == [] and duplicates(mnemonics(export)) == set()

    importer = ReviewImportDialog(mentor)
    qtbot.addWidget(importer)
    assert importer.import_files([result.path])
    assert importer.busy() and not importer.choose_button.isEnabled()
    qtbot.waitUntil(lambda: not importer.busy(), timeout=20_000)
    report = importer.report()
    assert report is not None and len(report.imported) == 1
    assert importer.choose_button.isEnabled()
    assert result.review_ref in importer.lines()[0]

    received = ReceivedCasesWindow(mentor)
    qtbot.addWidget(received)
    received.show()
    (case,) = received.cases()
    assert case.student == "AB"
    window = received.open_selected()
    assert window is not None
    view = window.view
    assert view.material is not None and view.material.de_identified
    assert REVIEW_CALLBACK not in view.visible_text()
    view.details_toggle.setChecked(True)
    assert REVIEW_CALLBACK not in view.visible_text()  # it never left the student's notebook
    assert "Samtale 2: advise note." in view.visible_text()
    qtbot.mouseClick(
        view.conversation_panels[1].steps[Step.FOLLOW_UP].comment_button,
        Qt.MouseButton.LeftButton,
    )
    dialog = view.dialog
    assert isinstance(dialog, CommentDialog)
    qtbot.keyClicks(dialog.initials, "MK")
    qtbot.keyClicks(dialog.text, "Aftal et tidspunkt.")
    click_save(qtbot, dialog.buttons)
    assert received.cases()[0].comments == 1
    assert unnamed_controls(received) == [] and duplicates(mnemonics(received)) == set()

    sender = received.open_comments_export()
    assert sender is not None
    assert sender.export_to(tmp_path / "back")
    qtbot.waitUntil(lambda: not sender.busy(), timeout=20_000)
    sent = sender.last_result()
    assert sent is not None and sent.path.suffix == ".cncomments"

    back = ReviewImportDialog(student.nb)
    qtbot.addWidget(back)
    back.import_files([sent.path])
    qtbot.waitUntil(lambda: not back.busy(), timeout=20_000)
    assert student.code in back.lines()[0]
    (arrived,) = comments(student.nb, student.subject)
    assert arrived.step is Step.FOLLOW_UP and arrived.conversation_number == 2
    # the same file again: nothing added, and said so
    back.import_files([sent.path])
    qtbot.waitUntil(lambda: not back.busy(), timeout=20_000)
    assert len(comments(student.nb, student.subject)) == 1
    assert sent.path.name in back.lines()[1]
    # a file for the mentor is refused at the student's, naming it
    back.import_files([result.path])
    qtbot.waitUntil(lambda: not back.busy(), timeout=20_000)
    assert result.path.name in back.lines()[2] and not back.summary.isHidden()

    assert received.remove_selected(confirm=False)
    assert received.cases() == []
    received.reject()


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_wrong_key_in_the_review_dialogs_names_the_mentor_or_the_student(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path, language: str
) -> None:
    """The student's export dialog says to ask the mentor (not a supervisor) for a key
    file again; the mentor's comments dialog says to ask the student."""
    from counsellor_app.core.i18n import set_language

    ask = {
        "da": ("bed din mentor", "bed den studerende"),
        "en": ("ask your mentor", "ask the student"),
    }[language]
    set_language(language)
    try:
        export = ReviewExportDialog(student.nb, student.case_id)
        qtbot.addWidget(export)
        export.show()
        wrong = tmp_path / "mentor.pub"
        wrong.write_text("Her er min nøgle\n", encoding="utf-8")
        assert not export.set_key_text(str(wrong))
        said = export.key_status.text().lower()
        assert "mentor.pub" in said and ask[0] in said and "supervisor" not in said
        assert not export.preview() and not export.export_button.isEnabled()
        assert "mentor" in export.error_label.text().lower()
        assert "supervisor" not in export.error_label.text().lower()
        export.key_edit.setText("age1-fra-min-mentor")  # pasted, but no key
        assert not export.check_key()
        said = export.key_status.text().lower()
        assert ask[0] in said and "supervisor" not in said
        # the mentor's real key file: accepted and used
        key = ensure_key_pair(mentor)
        right = tmp_path / "right.pub"
        right.write_text(f"# {key[:4]}\n{key}\n", encoding="utf-8")
        assert export.set_key_text(str(right))
        assert export.preview()
        qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
        assert export.current_preview() is not None
        assert export.export_to(tmp_path / "case")
        qtbot.waitUntil(lambda: not export.busy(), timeout=20_000)
        result = export.last_result()
        assert result is not None

        assert import_review_file(mentor, result.path).subject is not None
        received = ReceivedCasesWindow(mentor)
        qtbot.addWidget(received)
        received.show()
        sender = received.open_comments_export()
        assert sender is not None
        sender.key_edit.setText(str(wrong))
        sender.export_to(tmp_path / "back")
        qtbot.waitUntil(lambda: not sender.busy(), timeout=20_000)
        assert sender.last_result() is None
        said = sender.error_label.text().lower()
        assert "mentor.pub" in said and ask[1] in said and "supervisor" not in said
        assert not (tmp_path / "back.cncomments").exists()
        sender.key_edit.clear()  # the student's key from the case file
        sender.export_to(tmp_path / "back")
        qtbot.waitUntil(lambda: not sender.busy(), timeout=20_000)
        assert sender.last_result() is not None
        received.reject()
    finally:
        set_language("da")


def test_received_case_comment_made_at_the_mentor(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    path = tmp_path / "c.cnreview"
    export_case_for_review(student.nb, student.case_id, ensure_key_pair(mentor), path)
    subject = import_review_file(mentor, path).subject
    assert subject is not None
    view = make_review_view(qtbot, mentor, subject)
    assert view.material is not None and view.material.callback is None
    # no answering at the mentor's: the answer is the student's
    refs = conversation_refs(mentor, subject)
    add_comment(mentor, subject, refs[0], None, "MK", "Fint")
    view.reload()
    assert view.conversation_panels[0].cards[0].answer_button is None


# ---------------------------------------------------------------------- the menu


def test_menu_by_role(qtbot: QtBot, student: Student, mentor: Notebook) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = QMenu("&Review", window)
    window.menuBar().addMenu(menu)
    current: dict[str, Notebook | None] = {"notebook": None}
    controller = MentoringMenu(window, menu, lambda: current["notebook"], lambda: student.case_id)
    assert all(not a.isVisible() for a in controller.student_actions + controller.mentor_actions)
    current["notebook"] = student.nb
    controller.set_notebook(student.nb)
    assert all(a.isVisible() for a in controller.student_actions)
    assert not any(a.isVisible() for a in controller.mentor_actions)
    review = controller.open_review_mode()
    assert isinstance(review, ReviewWindow) and review.isVisible()
    learning = controller.open_reflections()
    assert learning is not None and learning.tabs.currentIndex() == LearningWindow.REFLECTIONS
    assert controller.open_overview() is learning
    assert learning.tabs.currentIndex() == LearningWindow.OVERVIEW
    export = controller.open_export()
    assert isinstance(export, ReviewExportDialog)
    for dialog in list(controller.windows.values()):
        dialog.reject()
    assert controller.windows == {}

    current["notebook"] = mentor
    controller.set_notebook(mentor)
    assert all(a.isVisible() for a in controller.mentor_actions)
    assert not any(a.isVisible() for a in controller.student_actions)
    received = controller.open_received()
    assert isinstance(received, ReceivedCasesWindow)
    received.reject()
    texts = [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]
    keys = [t[t.find("&") + 1].lower() for t in texts if "&" in t]
    assert len(keys) == len(set(keys))


def test_wired_into_the_main_window_and_closed_by_the_lock(qtbot: QtBot, tmp_path: Path) -> None:
    """The Review menu on the real window: review mode opens on the case shown, with
    Ctrl+R, and the lock closes it."""
    from counsellor_app.gui.app import MainWindow

    made = Student(tmp_path / "w.cnb")
    made.nb.close()
    window = MainWindow(tmp_path / "w.cnb")
    qtbot.addWidget(window)
    mentoring = window.mentoring
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.unlock_page.passphrase.setText("pw")
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    notebook = window.notebook
    assert notebook is not None
    assert all(a.isVisible() for a in mentoring.student_actions)
    assert not any(a.isVisible() for a in mentoring.mentor_actions)
    page = window.notebook_page
    page.list.setCurrentIndex(page.model.index(0))
    assert page.case_view.case_id == made.case_id
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    review = mentoring.windows.get("review")
    assert isinstance(review, ReviewWindow) and review.isVisible()
    assert made.code in review.view.title.text()
    window.lock()
    assert not review.isVisible() or review.view.material is None
    assert mentoring.windows == {}
    window.close()


def test_case_study_from_review_mode(qtbot: QtBot, student: Student, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtWidgets import QMessageBox

    from counsellor_app.gui.review import save_case_study

    refs = conversation_refs(student.nb, student.subject)
    add_comment(student.nb, student.subject, refs[0], Step.LISTEN, "MK", "Godt lyttet.")
    view = make_review_view(qtbot, student.nb, student.subject)
    task = save_case_study(view, student.nb, student.subject, tmp_path / "cs")
    assert task is not None
    qtbot.waitUntil(task.settled)
    written = tmp_path / "cs.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(written).pages)
    assert "Godt lyttet." in " ".join(text.split())
    assert student.code not in text and REVIEW_CALLBACK not in text
    boxes = [b for b in view.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and str(written) in boxes[0].text()
    boxes[0].accept()
