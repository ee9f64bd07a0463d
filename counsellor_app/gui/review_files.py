"""Review files in the window: the student exports a case for review (with a preview of
what leaves), the mentor shows the public key, imports cases for review, keeps a list of
them and exports comments; the student imports the comments.

All of it is done by :mod:`counsellor_app.core.mentoring`; one case is small, so the
work runs on the UI thread with a wait cursor.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QTreeWidgetItem,
    QWidget,
)

from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import (
    PUBLIC_KEY_SUFFIX,
    PreviewText,
    replacements_text,
)
from counsellor_app.core.exchange.common import KeyHolder, read_public_key
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.mentoring import (
    COMMENTS_SUFFIX,
    REVIEW_SUFFIX,
    CommentsExportResult,
    ReceivedCase,
    ReviewExportResult,
    ReviewFileImport,
    ReviewImportReport,
    ReviewPreview,
    SenderKeyChanged,
    comments_text,
    delete_received_case,
    export_case_for_review,
    export_comments,
    import_review_files,
    preview_case_for_review,
    received_cases,
    remembered_mentor_key,
    review_contents_text,
    rubric,
    rubric_ratings_text,
)
from counsellor_app.core.mentoring.records import STUDENT_META
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.exchange import (
    PublicKeyDialogBase,
    field_title,
    legend_html,
    legend_text,
    short_key,
    texts_html,
)
from counsellor_app.gui.formatting import format_day
from counsellor_app.gui.forms.ui_comments_export import Ui_CommentsExportDialog
from counsellor_app.gui.forms.ui_received_cases import Ui_ReceivedCasesWindow
from counsellor_app.gui.forms.ui_review_export import Ui_ReviewExportDialog
from counsellor_app.gui.forms.ui_review_import import Ui_ReviewImportDialog
from counsellor_app.gui.review import ReviewWindow, save_case_study
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    FittingDialog,
    ask_yes,
    button,
    choose_save_path,
    documents_folder,
    is_dark,
    names_buddy,
    with_suffix,
)


def review_field_title(item: PreviewText) -> str:
    """Where a text of a case for review comes from, as a short heading."""
    titles = {
        "comment": _("A mentor's comment"),
        "comment_answer": _("Your answer to a comment"),
        "reflection_worked": _("Reflection: what worked"),
        "reflection_differently": _("Reflection: what I would do differently"),
        "reflection_learn": _("Reflection: what I want to learn"),
    }
    return titles.get(item.field) or field_title(item)


# ---------------------------------------------------------------------- the student's export


class ReviewExportDialog(FittingDialog):
    """Export one case for the mentor: the mentor's key, the student's initials, whether
    the reflection log goes along; a preview of every text that leaves (replacements
    marked); then Export writes exactly that."""

    exported = Signal(str)

    def __init__(self, notebook: Notebook, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook, self._case_id = notebook, case_id
        self._preview: ReviewPreview | None = None
        self._result: ReviewExportResult | None = None
        # The preview and the export (encrypting and writing the file) run on the
        # notebook lane.
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self._generation = 0
        code = notebook.case(case_id).code
        self.ui = Ui_ReviewExportDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Send case {code} to your mentor for review").format(code=code))
        self.key_edit = self.ui.key_edit
        self.key_edit.textChanged.connect(self._invalidate)
        self.key_file_button = self.ui.key_file_button
        self.key_file_button.clicked.connect(self.browse_key_file)
        self.key_status = self.ui.key_status
        self.initials = self.ui.initials
        self.initials.setText(notebook.meta(STUDENT_META) or "")
        self.initials.textChanged.connect(self._invalidate)
        self.include_reflections = self.ui.include_reflections
        self.include_reflections.toggled.connect(self._invalidate)
        self.preview_button = self.ui.preview_button
        self.preview_button.clicked.connect(self.preview)
        self.counts_label = self.ui.counts_label
        self.texts = self.ui.texts
        self._texts_caption = self.ui.texts_caption
        self.legend_label = self.ui.legend_label
        self.legend_label.setAccessibleDescription(legend_text())
        for field_caption in (self.ui.key_caption, self.ui.initials_caption, self._texts_caption):
            names_buddy(field_caption)
        self.error_label = self.ui.error_label
        self.status_label = self.ui.status_label
        self.buttons = self.ui.buttons
        # (Designer cannot put a button of our own into a button box.)
        self.export_button = button(_("&Export…"), self.choose_output, _("Export the case"))
        self.export_button.setEnabled(False)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        for first, second in itertools.pairwise(
            [self.key_edit, self.key_file_button, self.initials, self.include_reflections,
             self.preview_button, self.texts, self.export_button]
        ):  # fmt: skip
            QWidget.setTabOrder(first, second)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.lineSpacing() * 34)
        remembered = remembered_mentor_key(notebook)
        if remembered:
            self.key_edit.setText(remembered)
            self.check_key()
        self.key_edit.setFocus()

    def browse_key_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose the mentor's public key file"),
            str(documents_folder()),
            _("Public keys (*{suffix})").format(suffix=PUBLIC_KEY_SUFFIX)
            + ";;"
            + _("All files (*)"),
        )
        if chosen:
            self.set_key_text(chosen)

    def set_key_text(self, text: str) -> bool:
        self.key_edit.setText(text)
        self.key_edit.setCursorPosition(0)
        return self.check_key()

    def recipient_key(self) -> str | None:
        text = self.key_edit.text().strip()
        if not text:
            return None
        try:
            return str(read_public_key(text, KeyHolder.MENTOR))
        except UserError as error:
            self.key_status.show_error(str(error))
            return None

    def check_key(self) -> bool:
        key = self.recipient_key()
        if key is None:
            return False
        self.key_status.say(
            _("Key {key}: check with your mentor that it is theirs.").format(key=short_key(key)),
        )
        return True

    def _invalidate(self) -> None:
        self._generation += 1  # a preview being built is for the choices before
        self._preview = None
        self.export_button.setEnabled(False)
        self.error_label.clear()

    def preview(self) -> bool:
        """Build what would leave, in the background (the dialog says so meanwhile), and
        show it (the texts with their replacements); False when nothing was started."""
        if self.recipient_key() is None:
            self.error_label.show_error(
                _("Paste your mentor's public key, or choose its file, first."),
            )
            self.key_edit.setFocus()
            return False
        if self._tasks.busy():
            return False
        self.check_key()
        notebook, case_id = self._notebook, self._case_id
        student, reflections = self.initials.text(), self.include_reflections.isChecked()

        def build(_task: Task[ReviewPreview]) -> ReviewPreview:
            return preview_case_for_review(
                notebook, case_id, student=student, include_reflections=reflections
            )

        def failed(sentence: str) -> None:
            self.preview_button.setEnabled(True)
            self.status_label.clear()
            self.error_label.show_error(sentence)

        def built(preview: ReviewPreview) -> None:
            self.preview_button.setEnabled(True)
            self.status_label.clear()
            if generation == self._generation:  # else a choice changed while it was built
                self.show_preview(preview)

        self._invalidate()
        generation = self._generation
        self.preview_button.setEnabled(False)
        self.status_label.say(_("Preparing the preview…"))
        self._tasks.run(build, success=built, failure=failed)
        return True

    def current_preview(self) -> ReviewPreview | None:
        """The preview shown (what Export would write), or None."""
        return self._preview

    def show_preview(self, preview: ReviewPreview) -> None:
        self._preview = preview
        self.counts_label.setText(
            _(
                "What will leave, encrypted for your mentor, as {ref}: {contents}. "
                "Identifiers replaced: {list}."
            ).format(
                ref=preview.review_ref,
                contents=review_contents_text(
                    preview.conversation_count, preview.comment_count, preview.reflection_count
                ),
                list=replacements_text(preview.replacements),
            )
        )
        self.texts.setHtml(
            texts_html(preview.texts, is_dark(self.texts), review_field_title)
            or html.escape(_("No text leaves, only the fields."))
        )
        self.texts.show()
        self._texts_caption.show()
        self.legend_label.setText(legend_html(is_dark(self.texts)))
        self.legend_label.show()
        if preview.blocking:
            self.error_label.show_error(
                ngettext(
                    "{count} text still holds something that looks like an identifier "
                    "(underlined in red). Change it in the case, and preview again.",
                    "{count} texts still hold something that looks like an identifier "
                    "(underlined in red). Change them in the case, and preview again.",
                    len(preview.blocking),
                ).format(count=len(preview.blocking)),
            )
        else:
            self.error_label.clear()
        self.export_button.setEnabled(not preview.blocking)

    def default_file_name(self) -> str:
        ref = self._preview.review_ref if self._preview else ""
        return _("case-for-review") + f"-{ref}{REVIEW_SUFFIX}"

    def choose_output(self) -> None:
        if self._preview is None:
            return
        chosen = choose_save_path(
            self,
            _("Export the case for review"),
            self.default_file_name(),
            _("Cases for review (*{suffix})").format(suffix=REVIEW_SUFFIX),
        )
        if chosen:
            self.export_to(chosen)

    def busy(self) -> bool:
        """Is the export being written in the background?"""
        return self._tasks.busy()

    def export_to(self, path: Path) -> bool:
        """Encrypt the previewed case to the mentor's key and write it to ``path``, in
        the background (the dialog says so meanwhile); False when there is nothing to
        export. :attr:`exported` follows, or the reason is shown."""
        preview = self._preview
        key = self.recipient_key()
        if preview is None or key is None or self._tasks.busy():
            return False
        path = with_suffix(path, REVIEW_SUFFIX)
        notebook, case_id = self._notebook, self._case_id

        def export(_task: Task[ReviewExportResult]) -> ReviewExportResult:
            return export_case_for_review(notebook, case_id, key, path, preview=preview)

        def failed(sentence: str) -> None:
            self.status_label.clear()
            self.export_button.setEnabled(self._preview is not None)
            self.error_label.show_error(sentence)

        self.export_button.setEnabled(False)
        self.status_label.say(_("Exporting…"))
        self._tasks.run(export, success=self._exported, failure=failed)
        return True

    def _exported(self, result: ReviewExportResult) -> None:
        self._result = result
        self._preview = None
        self.export_button.setEnabled(False)
        self.error_label.clear()
        self.status_label.say(
            _(
                "The case was written to {path}. Send this file to your mentor: it is "
                "encrypted, and only your mentor's notebook can open it. Your mentor's "
                "comments come back as a file you import here."
            ).format(path=result.path),
        )
        self.exported.emit(str(result.path))

    def last_result(self) -> ReviewExportResult | None:
        return self._result


# ---------------------------------------------------------------------- import (both sides)


def result_line(result: ReviewFileImport) -> str:
    """One plain line saying what happened to a file."""
    return result.sentence()


class ReviewImportDialog(FittingDialog):
    """Import review files: cases for review (a mentor) or a mentor's comments (a
    student). One line per file says what happened."""

    #: Files were imported (how many), e.g. to refresh a list.
    imported = Signal(int)

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._report: ReviewImportReport | None = None
        #: The new sender keys the user accepted (fingerprints), asked once each.
        self._accepted: set[str] = set()
        self._asked: set[str] = set()
        self._earlier: tuple[ReviewFileImport, ...] = ()
        # Importing (decrypting, checking, storing) runs on the notebook lane.
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        student = notebook.role.value == "student"
        self.ui = Ui_ReviewImportDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(
            _("Import your mentor's comments") if student else _("Import cases for review")
        )
        self.ui.intro.setText(
            _(
                "Choose the comments file your mentor sent you. The comments are attached to "
                "the conversations and steps they are about."
            )
            if student
            else _(
                "Choose the files students sent you for review. Each case is kept in this "
                "notebook, read only, until you remove it."
            )
        )
        self.choose_button = self.ui.choose_button
        self.choose_button.clicked.connect(self.browse)
        self.results = self.ui.results
        self.summary = self.ui.summary
        self.buttons = self.ui.buttons
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 90, metrics.lineSpacing() * 20)
        self.choose_button.setFocus()

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self,
            self.windowTitle(),
            str(documents_folder()),
            _("Review files (*{review} *{comments})").format(
                review=REVIEW_SUFFIX, comments=COMMENTS_SUFFIX
            )
            + ";;"
            + _("All files (*)"),
        )
        if chosen:
            self.import_files([Path(p) for p in chosen])

    def busy(self) -> bool:
        """Are files being imported in the background?"""
        return self._tasks.busy()

    def import_files(self, paths: Sequence[Path | str]) -> bool:
        """Import ``paths`` in the background (the dialog says so meanwhile), then list
        what happened to each; False while an import is under way."""
        if self._tasks.busy():
            return False
        notebook, files, accepted = self._notebook, list(paths), frozenset(self._accepted)

        def import_all(_task: Task[ReviewImportReport]) -> ReviewImportReport:
            return import_review_files(notebook, files, accept_keys=accepted)

        def failed(sentence: str) -> None:
            self.choose_button.setEnabled(True)
            self.summary.show_error(sentence)

        self.choose_button.setEnabled(False)
        self.summary.say(_("Importing…"))
        self._tasks.run(import_all, success=self._imported, failure=failed)
        return True

    def ask_to_change_key(self, error: SenderKeyChanged) -> bool:
        """Ask whether the sender of a file really has a new key, showing both
        fingerprints (the explicit act of a key change)."""
        return ask_yes(
            self,
            _("The sender's key has changed"),
            str(error)
            + "\n\n"
            + _(
                "Key so far: {pinned}\nNew key: {new}\n\nAccept the new key only if the "
                "sender told you they have a new notebook or key, and the fingerprint is the "
                "one they read out to you. Later files must then be signed with the new key."
            ).format(pinned=error.pinned, new=error.fingerprint),
        )

    def _imported(self, report: ReviewImportReport) -> None:
        self.choose_button.setEnabled(True)
        results = self._earlier + report.results
        self._earlier = ()
        again: list[Path] = []
        for result in results:
            error = result.error
            if isinstance(error, SenderKeyChanged) and error.fingerprint not in self._asked:
                self._asked.add(error.fingerprint)
                if self.ask_to_change_key(error):
                    self._accepted.add(error.fingerprint)
                    again.append(result.path)
        if again:  # imported again with the new key accepted, then listed with the rest
            self._earlier = tuple(r for r in results if r.path not in again)
            self.import_files(again)
            return
        self._show_report(ReviewImportReport(results))

    def _show_report(self, report: ReviewImportReport) -> None:
        self._report = report
        for result in report.results:
            self.results.addItem(result_line(result))
        refused = len(report.refused)
        text = ngettext("{count} file imported.", "{count} files imported.", len(report.imported))
        text = text.format(count=len(report.imported))
        if refused:
            text += " " + ngettext(
                "{count} file was refused; nothing of it was used.",
                "{count} files were refused; nothing of them was used.",
                refused,
            ).format(count=refused)
        self.summary.say(text, error=bool(refused))
        if report.imported:
            self.imported.emit(len(report.imported))

    def report(self) -> ReviewImportReport | None:
        return self._report

    def lines(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]


# ---------------------------------------------------------------------- the mentor


class MentorKeyDialog(PublicKeyDialogBase):
    """The mentor's public key for students (made on first use, then always the same)."""

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(
            notebook,
            _("Your public key for students"),
            _(
                "Students encrypt the cases they send you for review to this public key, so "
                "that only this notebook can open them. Give it to them as a file or as "
                "text. It is not secret; the private key stays inside this notebook."
            ),
            parent,
        )
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

    def default_file_name(self) -> str:
        return _("mentor-public-key") + PUBLIC_KEY_SUFFIX

    def file_header(self) -> str:
        return _("Public key of a Counsellor's Notebook; give it to students.")

    def saved_sentence(self, path: Path) -> str:
        return _("The public key was written to {path}; give that file to your students.").format(
            path=path
        )


class CommentsExportDialog(FittingDialog):
    """Send the comments and sign-offs on a received case back to the student, encrypted
    to the student's key (the one the case came with, unless another is given)."""

    def __init__(
        self, notebook: Notebook, case: ReceivedCase, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook, self._case = notebook, case
        self._result: CommentsExportResult | None = None
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self.ui = Ui_CommentsExportDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Send your comments on {ref}").format(ref=case.ref))
        self.ui.intro.setText(
            _(
                "The comments, sign-offs and rubric ratings on {ref} go back to the student "
                "as one encrypted file, for the student's notebook only: {comments}, "
                "{ratings}. Importing it attaches them to the conversations and steps they "
                "are about."
            ).format(
                ref=case.ref,
                comments=comments_text(case.comments),
                ratings=rubric_ratings_text(len(rubric(notebook, case.subject))),
            )
        )
        self.key_edit = self.ui.key_edit
        names_buddy(self.ui.key_caption)
        self.error_label = self.ui.error_label
        self.status_label = self.ui.status_label
        self.buttons = self.ui.buttons
        # (Designer cannot put a button of our own into a button box.)
        self.export_button = button(_("&Export…"), self.choose_output, _("Export the comments"))
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.export_button.setFocus()

    def choose_output(self) -> None:
        name = _("comments") + f"-{self._case.ref}{COMMENTS_SUFFIX}"
        chosen = choose_save_path(
            self,
            _("Export the comments"),
            name,
            _("Review comments (*{suffix})").format(suffix=COMMENTS_SUFFIX),
        )
        if chosen:
            self.export_to(chosen)

    def busy(self) -> bool:
        """Is the comments file being written in the background?"""
        return self._tasks.busy()

    def export_to(self, path: Path) -> bool:
        """Write the comments file to ``path`` in the background (the dialog says so
        meanwhile); False while one is under way."""
        if self._tasks.busy():
            return False
        path = with_suffix(path, COMMENTS_SUFFIX)
        key = self.key_edit.text().strip() or None
        notebook, case_id = self._notebook, self._case.id

        def export(_task: Task[CommentsExportResult]) -> CommentsExportResult:
            return export_comments(notebook, case_id, path, key)

        def failed(sentence: str) -> None:
            self.export_button.setEnabled(True)
            self.status_label.clear()
            self.error_label.show_error(sentence)

        self.export_button.setEnabled(False)
        self.status_label.say(_("Exporting…"))
        self._tasks.run(export, success=self._exported, failure=failed)
        return True

    def _exported(self, result: CommentsExportResult) -> None:
        self.export_button.setEnabled(True)
        self._result = result
        self.error_label.clear()
        self.status_label.say(
            _(
                "The comments were written to {path}, encrypted to the student's key {key}. "
                "Send the file to the student."
            ).format(path=result.path, key=short_key(result.recipient)),
        )

    def last_result(self) -> CommentsExportResult | None:
        return self._result


def _signed_off_text(case: ReceivedCase) -> str:
    """The last sign-off's day, and "outdated" when the student sent a changed case since."""
    if case.last_sign_off is None:
        return "–"
    day = format_day(case.last_sign_off)
    return _("{day} (outdated)").format(day=day) if case.sign_off_outdated else day


class ReceivedCasesWindow(QDialog):
    """The mentor's cases received for review: import more, open one in review mode,
    send the comments back, save a case study, remove one when the review is over."""

    COLUMNS = 6

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._cases: list[ReceivedCase] = []
        self.review_window: ReviewWindow | None = None
        self.dialog: QDialog | None = None
        self.ui = Ui_ReceivedCasesWindow()
        self.ui.setupUi(self)
        self.tree = self.ui.tree
        self.tree.itemActivated.connect(lambda *_args: self.open_selected())
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.import_button = self.ui.import_button
        self.key_button = self.ui.key_button
        self.open_button = self.ui.open_button
        self.comments_button = self.ui.comments_button
        self.study_button = self.ui.study_button
        self.remove_button = self.ui.remove_button
        for widget, slot in (
            (self.import_button, self.open_import),
            (self.key_button, self.open_key),
            (self.open_button, self.open_selected),
            (self.comments_button, self.open_comments_export),
            (self.study_button, self.save_study),
            (self.remove_button, self.remove_selected),
        ):
            # Named by its words, without the Alt-key mark and the dots.
            widget.setAccessibleName(widget.text().replace("&", "").replace("…", ""))
            widget.clicked.connect(slot)
        self.empty_label = self.ui.empty_label
        self.buttons = self.ui.buttons
        # No default button: a dialog presses its default (here Close) on Enter, which
        # closed the window where the mentor meant to open a case (see keyPressEvent).
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.setDefault(False)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 110, metrics.lineSpacing() * 24)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        if select_id is None:
            current = self.selected()
            select_id = current.id if current else None
        self._cases = received_cases(self._notebook)
        self.tree.clear()
        tax = taxonomy()
        for case in self._cases:
            item = QTreeWidgetItem(
                [
                    case.ref,
                    case.student or case.student_id,
                    format_day(case.sent_at),
                    ", ".join(tax.label("themes", t) for t in case.themes),
                    f"{case.comments_open} / {case.comments}",
                    _signed_off_text(case),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, case.id)
            self.tree.addTopLevelItem(item)
            if case.id == select_id:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        for column in range(self.COLUMNS):
            self.tree.resizeColumnToContents(column)
        self.empty_label.setVisible(not self._cases)
        self._update_buttons()

    def cases(self) -> list[ReceivedCase]:
        return list(self._cases)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Return presses the button that has the focus (as Space does), and
        anywhere else opens the selected case in review mode. It no longer reaches
        QDialog, which pressed the default button, Close, and shut the window."""
        keypad = event.modifiers() == Qt.KeyboardModifier.KeypadModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() == Qt.KeyboardModifier.NoModifier or keypad
        ):
            focused = self.focusWidget()
            if isinstance(focused, QAbstractButton):
                if focused.isEnabled():
                    focused.click()
            elif focused is not self.tree:  # the list opens it itself (itemActivated)
                self.open_selected()
            event.accept()
            return
        super().keyPressEvent(event)

    def selected(self) -> ReceivedCase | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((c for c in self._cases if c.id == wanted), None)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for widget in (
            self.open_button,
            self.comments_button,
            self.study_button,
            self.remove_button,
        ):
            widget.setEnabled(chosen)

    def open_selected(self) -> ReviewWindow | None:
        case = self.selected()
        if case is None:
            return None
        if self.review_window is not None:
            self.review_window.close()
        window = ReviewWindow(self._notebook, case.subject, self)
        window.view.changed.connect(lambda: self.reload(case.id))
        window.show()
        self.review_window = window
        return window

    def open_comments_export(self) -> CommentsExportDialog | None:
        case = self.selected()
        if case is None:
            return None
        dialog = CommentsExportDialog(self._notebook, case, self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_import(self) -> ReviewImportDialog:
        dialog = ReviewImportDialog(self._notebook, self)
        dialog.imported.connect(lambda _count: self.reload())
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_key(self) -> MentorKeyDialog:
        dialog = MentorKeyDialog(self._notebook, self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def save_study(self) -> None:
        case = self.selected()
        if case is not None:
            save_case_study(self, self._notebook, case.subject)

    def remove_selected(self, *, confirm: bool = True) -> bool:
        case = self.selected()
        if case is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                _("Remove the case?"),
                _(
                    "Remove {ref} and your comments on it from this notebook? Export your "
                    "comments to the student first if they have not had them."
                ).format(ref=case.ref),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if self.review_window is not None:
            self.review_window.close()
            self.review_window = None
        try:
            delete_received_case(self._notebook, case.id)
        except UserError as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return False
        self.reload()
        return True

    def done(self, result: int) -> None:
        if self.review_window is not None:
            self.review_window.close()
            self.review_window = None
        if self.dialog is not None:
            self.dialog.reject()
            self.dialog = None
        self.tree.clear()
        super().done(result)


__all__ = [
    "CommentsExportDialog",
    "MentorKeyDialog",
    "ReceivedCasesWindow",
    "ReviewExportDialog",
    "ReviewImportDialog",
    "result_line",
    "review_field_title",
]
