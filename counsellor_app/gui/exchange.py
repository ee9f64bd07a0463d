"""The counsellor's export: a de-identified, encrypted summary bundle for the supervisor.

The dialog shows first exactly what would leave the computer (counts, the identifiers
replaced, every summary text with its placeholders marked), lets the counsellor open a
case to fix a note, and only then writes the bundle that was shown (``export_bundle``
with that very preview). Building the preview runs on the task runner's notebook lane, so
the window stays responsive for a notebook of a thousand cases.

Also the public key dialog the supervisor's windows share (:mod:`counsellor_app.gui.supervision`).
"""

from __future__ import annotations

import html
import itertools
import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    Qt,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFileDialog,
    QListWidgetItem,
    QWidget,
)

from counsellor_app.core.domain import Step, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import (
    BUNDLE_SUFFIX,
    PUBLIC_KEY_SUFFIX,
    ExportPreview,
    ExportResult,
    PreviewText,
    ensure_key_pair,
    export_bundle,
    last_export,
    preview_export,
    replacements_text,
    write_public_key_file,
)
from counsellor_app.core.exchange.common import KeyHolder, read_public_key
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.gui.clipboard import copy_to_clipboard
from counsellor_app.gui.formatting import format_day
from counsellor_app.gui.forms import settle
from counsellor_app.gui.forms.ui_export import Ui_ExportDialog
from counsellor_app.gui.forms.ui_public_key import Ui_PublicKeyDialog
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    FittingDialog,
    button,
    choose_save_path,
    documents_folder,
    is_dark,
    names_buddy,
    pydate,
    qdate,
    show_dates,
    with_suffix,
)

log = logging.getLogger(__name__)

#: The default start of "since a day" when no export was made yet.
DEFAULT_SINCE_DAYS = 30


# ---------------------------------------------------------------------- preview texts


def field_title(item: PreviewText) -> str:
    """Where a previewed text comes from, as a short heading."""
    steps = {step.value: step for step in Step}
    if item.field in steps:
        return _("Note: {step}").format(step=label(steps[item.field]))
    titles = {
        "alliance_role": _("Alliance: role"),
        "alliance_agreed": _("Alliance: what was agreed"),
        "counsellor_task": _("Follow-up: the counsellor's task"),
        "parent_task": _("Follow-up: the parent's task"),
        "others_task": _("Follow-up: the others' task"),
        "concern_reasoning": _("Concern: the reasoning"),
    }
    return titles.get(item.field, item.field)


def mark_styles(dark: bool) -> dict[str, str]:
    """The CSS of each mark in a previewed text, by what it marks: ``placeholder`` (an
    identifier replaced), ``remaining`` (still found: blocks), ``kept`` (the counsellor's
    own "not an identifier") and ``candidate`` (may identify someone: check it). Each
    differs by more than its colour (bold, underlined, italic, dotted with a line
    above), for a counsellor who does not tell the colours apart."""
    if dark:
        return {
            "placeholder": "background-color:#5b4a00; color:#ffe9a3; font-weight:600;",
            "remaining": "color:#ff8a80; text-decoration:underline; font-weight:600;",
            "kept": "background-color:#1e4a2a; color:#c6f5d0; font-style:italic;",
            "candidate": "background-color:#22386a; color:#d6e2ff; text-decoration:overline;",
        }
    return {
        "placeholder": "background-color:#ffe680; color:#000000; font-weight:600;",
        "remaining": "color:#b00020; text-decoration:underline; font-weight:600;",
        "kept": "background-color:#d3f2d9; color:#0b4d1e; font-style:italic;",
        "candidate": "background-color:#dce6ff; color:#0b2a6b; text-decoration:overline;",
    }


def marked_html(item: PreviewText, dark: bool) -> str:
    """The de-identified text as HTML, each placeholder highlighted (and bold, so the
    mark does not rest on colour alone), any identifier still found underlined in red,
    the words the counsellor kept as no identifier in their own colour (italic), and the
    candidates (leftover digits, unknown capitalised words) in another (a line above)."""
    text = item.text
    styles = mark_styles(dark)
    # By position; at one position the mark that matters more first: what blocks, then
    # a placeholder, a kept word, a candidate.
    order = {"remaining": 0, "placeholder": 1, "kept": 2, "candidate": 3}
    spans = sorted(
        [(r.start, r.end, "placeholder") for r in item.replacements]
        + [(f.start, f.end, "remaining") for f in item.remaining]
        + [(k.start, k.end, "kept") for k in item.kept]
        + [(c.start, c.end, "candidate") for c in item.candidates],
        key=lambda span: (span[0], order[span[2]]),
    )
    parts: list[str] = []
    at = 0
    for start, end, mark in spans:
        if start < at or end > len(text) or start >= end:
            continue  # overlapping marks: the first one wins
        parts.append(html.escape(text[at:start]))
        parts.append(f'<span style="{styles[mark]}">{html.escape(text[start:end])}</span>')
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts).replace("\n", "<br>")


def legend_html(dark: bool) -> str:
    """What the marks of the previewed texts mean, each shown as it is marked."""
    styles = mark_styles(dark)
    entries = [
        ("placeholder", "[…]", _("an identifier replaced")),
        ("remaining", _("Identifier"), _("still found: the export is refused")),
        ("kept", _("Kept word"), _("your own decision: no identifier in this notebook")),
        ("candidate", _("To check"), _("may still identify someone; it does not block")),
    ]
    return " · ".join(
        f'<span style="{styles[mark]}">{html.escape(term)}</span> {html.escape(meaning)}'
        for mark, term, meaning in entries
    )


def legend_text() -> str:
    """The legend as plain text (for a screen reader)."""
    return _(
        "Marks: an identifier replaced; an identifier still found (the export is refused); "
        "a kept word, your own decision that it is no identifier in this notebook; a "
        "candidate to check, which may still identify someone and does not block."
    )


def texts_html(
    texts: Iterable[PreviewText], dark: bool, title: Callable[[PreviewText], str] = field_title
) -> str:
    """Texts as they would leave, each under its heading (and day), with the marks."""
    parts = []
    for item in texts:
        heading = title(item)
        if item.day is not None:
            heading = f"{heading} · {format_day(item.day)}"
        parts.append(f"<p><b>{html.escape(heading)}</b><br>{marked_html(item, dark)}</p>")
    return "".join(parts)


def counts_sentence(preview: ExportPreview) -> str:
    """``12 cases, 30 conversations, …`` as a sentence of what leaves."""
    items = [
        ngettext("{count} case", "{count} cases", preview.case_count),
        ngettext("{count} conversation", "{count} conversations", preview.conversation_count),
        ngettext("{count} alliance", "{count} alliances", preview.alliance_count),
        ngettext("{count} follow-up", "{count} follow-ups", preview.follow_up_count),
        ngettext("{count} concern", "{count} concerns", preview.concern_count),
    ]
    counts = (
        preview.case_count,
        preview.conversation_count,
        preview.alliance_count,
        preview.follow_up_count,
        preview.concern_count,
    )
    listed = ", ".join(text.format(count=n) for text, n in zip(items, counts, strict=True))
    return _("What will leave this computer, encrypted for your supervisor: {list}.").format(
        list=listed
    )


# ---------------------------------------------------------------------- the dialog


class ExportDialog(FittingDialog):
    """Choose the supervisor's key and the period, look at what would leave, export.

    Best opened without blocking the main window (``show()``), so that the counsellor
    can open a case from the preview, fix a note, and come back: the preview is then
    built again when the dialog is active again.
    """

    #: The counsellor asks to see a case of the preview (its id in this notebook).
    open_case_requested = Signal(int)
    #: A preview was built and shown.
    preview_ready = Signal()
    #: Building the preview failed: the sentence shown.
    preview_failed = Signal(str)
    #: The bundle was written: its path.
    exported = Signal(str)

    def __init__(
        self,
        notebook: Notebook,
        parent: QWidget | None = None,
        *,
        settings: AppSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._settings = settings
        self._preview: ExportPreview | None = None
        self._result: ExportResult | None = None
        self._recipient_text = ""
        self._generation = 0
        self._stale_after_open = False
        self.ui = Ui_ExportDialog()
        self.ui.setupUi(self)

        # On the notebook lane: it reads the notebook, so it runs before the close of a
        # lock, never beside it, and closing the dialog need not wait for it.
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)

        # The supervisor's public key: a file, or the key itself pasted.
        self.key_edit = self.ui.key_edit
        self.key_edit.textChanged.connect(self._key_changed)
        self.key_edit.editingFinished.connect(self.check_key)
        self.key_file_button = self.ui.key_file_button
        self.key_file_button.clicked.connect(self.browse_key_file)
        self.key_status = self.ui.key_status

        # The period.
        self.since_last = self.ui.since_last
        self.since_day = self.ui.since_day
        self.period_group = QButtonGroup(self)
        self.period_group.addButton(self.since_last)
        self.period_group.addButton(self.since_day)
        self.day_edit = show_dates(
            self.ui.day_edit, date.today() - timedelta(days=DEFAULT_SINCE_DAYS)
        )
        self.day_edit.setMaximumDate(qdate(date.today()))
        self.since_day.toggled.connect(self.day_edit.setEnabled)
        self.since_day.toggled.connect(lambda _checked: self._invalidate())
        self.day_edit.dateChanged.connect(lambda _day: self._invalidate())
        self.preview_button = self.ui.preview_button
        self.preview_button.clicked.connect(self.preview)

        # The preview.
        self.counts_label = self.ui.counts_label
        self.replacements_label = self.ui.replacements_label
        self.blocking_label = self.ui.blocking_label
        self.only_replaced = self.ui.only_replaced
        self.only_replaced.toggled.connect(lambda _checked: self._fill_cases())
        self.case_list = self.ui.case_list
        self.case_list.currentItemChanged.connect(lambda *_args: self._show_case_texts())
        self.case_list.itemActivated.connect(lambda _item: self.open_selected_case())
        self.texts = self.ui.texts
        self.legend_label = self.ui.legend_label
        self.legend_label.setAccessibleDescription(legend_text())
        self.open_case_button = self.ui.open_case_button
        self.open_case_button.clicked.connect(self.open_selected_case)
        for field_caption in (self.ui.key_caption, self.ui.cases_caption, self.ui.texts_caption):
            names_buddy(field_caption)
        self.splitter = self.ui.splitter
        settle(self)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.preview_box = self.ui.preview_box
        self._filler = self.ui.filler

        self.status_label = self.ui.status_label
        self.error_label = self.ui.error_label
        self.buttons = self.ui.buttons
        # (Designer cannot put a button of our own into a button box.)
        self.export_button = button(_("&Export…"), self.choose_output, _("Export the bundle"))
        self.export_button.setEnabled(False)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)

        chain: list[QWidget] = [
            self.key_edit,
            self.key_file_button,
            self.since_last,
            self.since_day,
            self.day_edit,
            self.preview_button,
            self.case_list,
            self.only_replaced,
            self.texts,
            self.open_case_button,
            self.export_button,
            self.buttons.button(QDialogButtonBox.StandardButton.Close),
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 110, metrics.lineSpacing() * 40)
        self.key_status.hide()
        remembered = self._remembered_key()
        if remembered:
            self.set_key_text(remembered)
        self.key_edit.setFocus()

    # ------------------------------------------------------------------ the key

    # The last public key is remembered in this computer's settings: a public key is no
    # secret, and keeping the key itself, not a path, survives a moved ``.pub`` file.
    def _remembered_key(self) -> str:
        return self._settings.last_public_key if self._settings is not None else ""

    def _remember_key(self, key: str) -> None:
        settings = self._settings
        if settings is None or settings.last_public_key == key:
            return
        settings.last_public_key = key
        try:
            settings.save()
        except UserError as error:  # not worth failing the export for
            log.warning("the last public key was not remembered: %s", type(error).__name__)

    def browse_key_file(self) -> None:
        """Ask for the supervisor's ``.pub`` file with the system's file dialog."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose the supervisor's public key file"),
            str(documents_folder()),
            _("Public keys (*{suffix})").format(suffix=PUBLIC_KEY_SUFFIX)
            + ";;"
            + _("All files (*)"),
        )
        if chosen:
            self.choose_key_file(Path(chosen))

    def choose_key_file(self, path: Path) -> bool:
        """Use the public key in the file at ``path``; True when it holds one."""
        return self.set_key_text(str(path))

    def set_key_text(self, text: str) -> bool:
        """Use ``text`` as the key (``age1…``) or as a key file's path."""
        self.key_edit.setText(text)
        self.key_edit.setCursorPosition(0)
        return self.check_key()

    def recipient_key(self) -> str | None:
        """The supervisor's public key (``age1…``) in the field, or None when the field
        holds none (the reason is shown)."""
        text = self.key_edit.text().strip()
        if not text:
            self.key_status.clear()
            return None
        try:
            key = str(read_public_key(text, KeyHolder.SUPERVISOR))
        except UserError as error:
            self.key_status.show_error(str(error))
            return None
        return key

    def check_key(self) -> bool:
        """Read the key in the field and say which one it is and when it was last used."""
        key = self.recipient_key()
        if key is None:
            self._show_last_export(None)
            return False
        self._recipient_text = key
        self.key_status.say(
            _("Key {key}: check with your supervisor that it is theirs.").format(
                key=short_key(key)
            ),
        )
        self._show_last_export(key)
        return True

    def _show_last_export(self, key: str | None) -> None:
        if key is None:
            self.since_last.setText(_("Since the &last export"))
        else:
            try:
                last = last_export(self._notebook, key)
            except UserError:
                last = None
                self.since_last.setText(_("Since the &last export"))
            if last is None:
                self.since_last.setText(_("Since the &last export (none yet: every case)"))
            else:
                self.since_last.setText(
                    _("Since the &last export ({day})").format(day=format_day(last))
                )
                if not self.since_day.isChecked():  # a day the counsellor chose stays
                    self.day_edit.setDate(qdate(last.astimezone().date()))
        self.since_last.setAccessibleName(self.since_last.text().replace("&", ""))

    def _key_changed(self) -> None:
        self._recipient_text = ""
        self._invalidate()

    # ------------------------------------------------------------------ the preview

    def since(self) -> date | None:
        """The first day chosen, or None for "since the last export"."""
        return pydate(self.day_edit.date()) if self.since_day.isChecked() else None

    def _invalidate(self) -> None:
        """A choice changed: the preview shown no longer is what would leave."""
        self._generation += 1
        self._preview = None
        self.export_button.setEnabled(False)
        self.preview_box.hide()
        self._filler.show()
        self.error_label.clear()

    def preview(self) -> None:
        """Build what would leave, off the UI thread; shown by :meth:`_preview_built`."""
        key = self.recipient_key()
        if key is None:
            if not self.key_edit.text().strip():
                self.error_label.show_error(
                    _("Paste your supervisor's public key, or choose its file, first."),
                )
            self.key_edit.setFocus()
            return
        self.check_key()
        self._invalidate()
        self._result = None
        self.status_label.say(_("Preparing the preview…"))
        self.preview_button.setEnabled(False)
        generation = self._generation
        notebook, since = self._notebook, self.since()

        def job(_task: Task[tuple[int, ExportPreview]]) -> tuple[int, ExportPreview]:
            return generation, preview_export(notebook, since, recipient=key)

        self._tasks.run(job, success=self._preview_built, failure=self._preview_error)

    def _preview_built(self, outcome: tuple[int, ExportPreview]) -> None:
        self.preview_button.setEnabled(True)
        generation, preview = outcome
        if generation != self._generation:
            return  # a choice changed while it was built
        self.show_preview(preview)

    def _preview_error(self, message: str) -> None:
        self.preview_button.setEnabled(True)
        self.status_label.clear()
        self.error_label.show_error(message)
        self.preview_failed.emit(message)

    def current_preview(self) -> ExportPreview | None:
        return self._preview

    def show_preview(self, preview: ExportPreview) -> None:
        """Show ``preview``: what Export would write."""
        self._preview = preview
        self.status_label.clear()
        self.error_label.clear()
        if preview.case_count == 0:
            if preview.since is not None:
                text = _("No case changed since {day}: there is nothing to export.").format(
                    day=format_day(preview.since)
                )
            else:
                text = _("The notebook has no cases: there is nothing to export.")
            self.counts_label.setText(text)
        else:
            self.counts_label.setText(counts_sentence(preview))
        self.replacements_label.setText(
            _("Identifiers replaced: {list}").format(list=replacements_text(preview.replacements))
        )
        if preview.blocking:
            self.blocking_label.show_error(
                ngettext(
                    "{count} text still holds something that looks like an identifier "
                    "(underlined in red). Open its case, change the note, and preview again.",
                    "{count} texts still hold something that looks like an identifier "
                    "(underlined in red). Open their cases, change the notes, and preview "
                    "again.",
                    len(preview.blocking),
                ).format(count=len(preview.blocking)),
            )
        else:
            self.blocking_label.clear()
        for widget in (self.counts_label, self.replacements_label):
            widget.setAccessibleName(widget.text())
        self.legend_label.setText(legend_html(is_dark(self.texts)))
        self._fill_cases()
        self._filler.hide()
        self.preview_box.show()
        self.export_button.setEnabled(preview.case_count > 0 and not preview.blocking)
        self.preview_ready.emit()

    def _texts_by_case(self) -> dict[int, list[PreviewText]]:
        grouped: dict[int, list[PreviewText]] = {}
        if self._preview is not None:
            for item in self._preview.texts:
                grouped.setdefault(item.case_id, []).append(item)
        return grouped

    def _fill_cases(self) -> None:
        previous = self.selected_case_id()
        self.case_list.clear()
        preview = self._preview
        if preview is None:
            return
        grouped = self._texts_by_case()
        blocking = {item.case_id for item in preview.blocking}
        only_replaced = self.only_replaced.isChecked()
        rows = []
        for case_id, code in zip(preview.case_ids, preview.case_codes, strict=True):
            replaced = sum(len(item.replacements) for item in grouped.get(case_id, []))
            rows.append((case_id, code, replaced))
        # The cases to look at first: any still holding an identifier, then the most
        # replacements (the notebook's order among equals).
        rows.sort(key=lambda row: (row[0] not in blocking, -row[2]))
        for case_id, code, replaced in rows:
            # a candidate is worth the counsellor's look as a replacement is
            to_check = sum(len(item.candidates) for item in grouped.get(case_id, []))
            if only_replaced and not replaced and not to_check and case_id not in blocking:
                continue
            text = ngettext("{code}: {count} replacement", "{code}: {count} replacements", replaced)
            text = text.format(code=code, count=replaced)
            if to_check:
                text = ngettext(
                    "{case}, {count} to check", "{case}, {count} to check", to_check
                ).format(case=text, count=to_check)
            if case_id in blocking:
                text = _("{case} (still holds an identifier)").format(case=text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, case_id)
            self.case_list.addItem(item)
            if case_id == previous:
                self.case_list.setCurrentItem(item)
        if self.case_list.currentItem() is None and self.case_list.count():
            self.case_list.setCurrentRow(0)
        self._show_case_texts()

    def selected_case_id(self) -> int | None:
        item = self.case_list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select_case(self, case_id: int) -> bool:
        """Show the texts of case ``case_id`` (False when it is not in the list)."""
        for row in range(self.case_list.count()):
            if self.case_list.item(row).data(Qt.ItemDataRole.UserRole) == case_id:
                self.case_list.setCurrentRow(row)
                return True
        return False

    def case_html(self, case_id: int) -> str:
        """The texts of one case as they would leave, as HTML with the marks."""
        texts = self._texts_by_case().get(case_id, [])
        if not texts:
            return "<p>{}</p>".format(
                html.escape(
                    _(
                        "No note of this case leaves, only its structured fields (themes, "
                        "ages, levels)."
                    )
                )
            )
        return texts_html(texts, is_dark(self.texts))

    def _show_case_texts(self) -> None:
        case_id = self.selected_case_id()
        self.open_case_button.setEnabled(case_id is not None)
        if case_id is None:
            self.texts.clear()
            return
        self.texts.setHtml(self.case_html(case_id))

    def open_selected_case(self) -> None:
        """Ask the main window to show the selected case, to fix its notes; the preview
        is built again when the counsellor comes back to this dialog."""
        case_id = self.selected_case_id()
        if case_id is None:
            return
        self._stale_after_open = True
        self.open_case_requested.emit(case_id)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and self._stale_after_open:
            self._stale_after_open = False
            if self._preview is not None and not self._tasks.busy():
                self.preview()
        return super().event(event)

    # ------------------------------------------------------------------ the export

    def default_file_name(self) -> str:
        return _("summaries") + f"-{date.today().isoformat()}{BUNDLE_SUFFIX}"

    def choose_output(self) -> None:
        """Ask where to write the bundle, then write it."""
        if self._preview is None:
            return
        chosen = choose_save_path(
            self,
            _("Export the summary bundle"),
            self.default_file_name(),
            _("Summary bundles (*{suffix})").format(suffix=BUNDLE_SUFFIX),
        )
        if chosen:
            self.export_to(chosen)

    def busy(self) -> bool:
        """Is a preview being built, or the bundle written, in the background?"""
        return self._tasks.busy()

    def export_to(self, path: Path) -> bool:
        """Encrypt the preview shown to the supervisor's key and write it to ``path``
        (the suffix added when missing), in the background: the dialog says so, then
        where it went (and :attr:`exported`), or why it did not. False when there is
        nothing to export, or a task is under way."""
        preview = self._preview
        key = self._recipient_text or self.recipient_key()
        if preview is None or key is None or self._tasks.busy():
            return False
        path = with_suffix(path, BUNDLE_SUFFIX)
        notebook = self._notebook

        def export(_task: Task[ExportResult]) -> ExportResult:
            return export_bundle(notebook, key, path, preview=preview)

        def failed(sentence: str) -> None:
            self.export_button.setEnabled(self._preview is not None)
            self.status_label.clear()
            self.error_label.show_error(sentence)

        self.export_button.setEnabled(False)
        self.status_label.say(_("Exporting…"))
        self._tasks.run(export, success=lambda result: self._exported(key, result), failure=failed)
        return True

    def _exported(self, key: str, result: ExportResult) -> None:
        self._result = result
        self._remember_key(key)
        # The same preview again would be the same bundle: build a new one to export more.
        self._preview = None
        self.export_button.setEnabled(False)
        self.error_label.clear()
        self.status_label.say(
            _(
                "The bundle was written to {path}. Send this file to your supervisor (by "
                "e-mail or on a USB stick): it is encrypted, and only your supervisor's "
                "notebook can open it. The next export holds only what changes from now on."
            ).format(path=result.path),
        )
        self.status_label.setAccessibleName(self.status_label.text())
        self.exported.emit(str(result.path))

    def last_result(self) -> ExportResult | None:
        return self._result

    def error_text(self) -> str:
        return self.error_label.text() if not self.error_label.isHidden() else ""

    def status_text(self) -> str:
        return self.status_label.text() if not self.status_label.isHidden() else ""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # With a remembered key the next step is the preview.
        (self.preview_button if self._recipient_text else self.key_edit).setFocus()


class PublicKeyDialogBase(FittingDialog):
    """This notebook's public key, made on first use and then the same, to copy or save.

    It is not secret (it can only lock files for this notebook); the private key never
    leaves the encrypted notebook. Subclasses give the title, the introduction, the
    default file name and the sentence said once the file is written.
    """

    #: The key file was written: its path.
    saved = Signal(str)

    def __init__(
        self, notebook: Notebook, title: str, intro_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self.ui = Ui_PublicKeyDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(title)
        self.error_label = self.ui.error_label
        try:
            self._key = ensure_key_pair(notebook)
        except UserError as error:
            self._key = ""
            problem = str(error)
        else:
            problem = ""
        self.ui.intro.setText(intro_text)
        self.key_edit = self.ui.key_edit
        self.key_edit.setText(self._key)
        names_buddy(self.ui.key_caption)
        self.copy_button = self.ui.copy_button
        self.copy_button.clicked.connect(self.copy_key)
        self.save_button = self.ui.save_button
        self.save_button.clicked.connect(self.choose_file)
        self.status_label = self.ui.status_label
        self.buttons = self.ui.buttons
        self.key_layout = self.ui.key_layout
        if problem:
            self.error_label.show_error(problem)
        self.key_edit.setFocus()
        self.key_edit.selectAll()

    def public_key(self) -> str:
        """The key shown (``age1…``), or "" when it could not be made."""
        return self._key

    def copy_key(self) -> None:
        if not self._key:
            return
        copy_to_clipboard(self._key)  # the one way out (a key passes the gate unchanged)
        # The app clears what it copied after 30 seconds (ClipboardGuard), so say so.
        self.status_label.say(
            _("Copied. Paste it within half a minute: the app then clears the clipboard."),
        )

    def default_file_name(self) -> str:
        raise NotImplementedError

    def saved_sentence(self, path: Path) -> str:
        """What to say once the key file is written to ``path``."""
        raise NotImplementedError

    def file_header(self) -> str | None:
        """The key file's comment line: whom to give it to (None: the counsellors)."""
        return None

    def choose_file(self) -> None:
        chosen = choose_save_path(
            self,
            _("Save the public key"),
            self.default_file_name(),
            _("Public keys (*{suffix})").format(suffix=PUBLIC_KEY_SUFFIX),
        )
        if chosen:
            self.save_to(chosen)

    def save_to(self, path: Path) -> bool:
        """Write the key file to ``path`` (``.pub`` added when missing)."""
        if not self._key:
            return False
        path = with_suffix(path, PUBLIC_KEY_SUFFIX)
        try:
            write_public_key_file(self._key, path, self.file_header())
        except UserError as error:
            self.status_label.clear()
            self.error_label.show_error(str(error))
            return False
        self.error_label.clear()
        self.status_label.say(self.saved_sentence(path))
        self.saved.emit(str(path))
        return True


def short_key(key: str) -> str:
    """A public key shortened for reading aloud: its start and end (``age1qx…k3pz``)."""
    return key if len(key) <= 20 else f"{key[:10]}…{key[-6:]}"


__all__ = [
    "ExportDialog",
    "PublicKeyDialogBase",
    "short_key",
]
