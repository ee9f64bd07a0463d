"""The supervisor's windows for the counsellors' bundles: the public key to hand out and
the import of bundles (the dashboard over them is :mod:`counsellor_app.gui.dashboard`).

Imports run on a worker thread (the notebook serialises its own access), so the window
stays responsive with a hundred bundles.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFontDatabase,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QListWidgetItem,
    QMessageBox,
    QStyle,
    QTableWidgetItem,
    QWidget,
)

from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import (
    BUNDLE_SUFFIX,
    PUBLIC_KEY_SUFFIX,
    BundleNotTrusted,
    ExchangeError,
    public_key,
)
from counsellor_app.core.exchange.signing import KEY_CARD_SUFFIX, read_key_card
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    BundleImport,
    ImportReport,
    ImportStatus,
    Withdrawal,
    counsellors,
    enrol_key_card,
    import_bundles,
    imported_bundles,
    withdraw_bundle,
    withdraw_counsellor,
)
from counsellor_app.gui.exchange import PublicKeyDialogBase
from counsellor_app.gui.forms.ui_bundle_import import Ui_ImportDialog
from counsellor_app.gui.forms.ui_change_key import Ui_ChangeKeyDialog
from counsellor_app.gui.forms.ui_import_history import Ui_ImportHistoryDialog
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    FittingDialog,
    ask_yes,
    documents_folder,
    names_buddy,
)

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------- public key


class PublicKeyDialog(PublicKeyDialogBase):
    """The notebook's public key for the counsellors: made on first use, then the same.

    It is not secret (it can only lock bundles for this notebook), so it may be copied
    and saved freely; the private key never leaves the encrypted notebook.
    """

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(
            notebook,
            _("Public key for the counsellors"),
            _(
                "Counsellors encrypt the summaries they send you to this public key, so "
                "that only this notebook can open them. Give it to them as a file, or as "
                "text to paste. It is not secret. The matching private key stays inside "
                "this notebook: keep its backups, or bundles made for this key cannot be "
                "opened."
            ),
            parent,
        )
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(self.font().pointSizeF())
        self.key_edit.setFont(mono)
        self.key_edit.setMinimumWidth(
            self.key_edit.fontMetrics().horizontalAdvance(self._key or "x" * 62)
            + 4 * self.key_edit.fontMetrics().averageCharWidth()
        )
        for widget in (self.copy_button, self.save_button):
            widget.setEnabled(bool(self._key))
        self.key_layout.insertStretch(self.key_layout.indexOf(self.buttons), 1)

    def default_file_name(self) -> str:
        return _("supervisor-public-key") + PUBLIC_KEY_SUFFIX

    def saved_sentence(self, path: Path) -> str:
        return _("The public key was written to {path}; give that file to the counsellors.").format(
            path=path
        )


# ---------------------------------------------------------------------- import


def bundle_paths(paths: Iterable[Path | str]) -> list[Path]:
    """The files to import: each file given, and the bundles inside each folder given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() == BUNDLE_SUFFIX)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


class ImportDialog(FittingDialog):
    """Import summary bundles: chosen (several at once) or dropped onto the window.

    Each file is checked and imported in its own transaction on a worker thread, with
    progress; then one line per file says what happened (imported, already imported, or
    refused with the reason, naming the file). Files dropped while an import runs are
    imported after it.
    """

    #: An import run finished: its :class:`ImportReport`.
    finished_import = Signal(object)
    #: Bundles were imported (their number), e.g. to refresh a dashboard.
    imported = Signal(int)
    #: An import run stopped for a reason not about one file (no key pair, a full disk,
    #: the notebook locked): the sentence shown. Bundles imported before stay imported.
    import_failed = Signal(str)

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._queue: list[Path] = []
        self._running = False
        # Not a cancel: the files imported before it are still reported (and refresh the
        # dashboard), only the rest is left for another time.
        self._stop = threading.Event()
        #: Fingerprints of new counsellors' keys the supervisor accepted in this window.
        self._accepted: set[str] = set()
        self._counts = {
            ImportStatus.IMPORTED: 0,
            ImportStatus.ALREADY_IMPORTED: 0,
            ImportStatus.REFUSED: 0,
        }
        self.ui = Ui_ImportDialog()
        self.ui.setupUi(self)

        self._tasks = TaskRunner(self, Lane.NOTEBOOK)

        self.ui.intro.setText(
            _(
                "Import the summary bundles ({suffix} files) that counsellors sent you. "
                "Each file is checked first; a file that is refused changes nothing, and "
                "a bundle imported before adds nothing."
            ).format(suffix=BUNDLE_SUFFIX)
        )
        self.drop_zone = self.ui.drop_zone
        self.drop_zone.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.choose_button = self.ui.choose_button
        self.choose_button.clicked.connect(self.browse_files)
        self.progress_bar = self.ui.progress_bar
        self.status_label = self.ui.status_label
        self.results = self.ui.results
        self.results.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        names_buddy(self.ui.results_caption)
        self.error_label = self.ui.error_label
        self.buttons = self.ui.buttons
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 90, metrics.lineSpacing() * 28)
        self.choose_button.setFocus()
        if self._has_no_key_pair():
            self.error_label.show_error(
                _(
                    "This notebook has no public key yet, so no bundle can have been made "
                    "for it. Make its public key first (Public key for the counsellors) and "
                    "give it to the counsellors."
                ),
            )

    def _has_no_key_pair(self) -> bool:
        try:
            return public_key(self._notebook) is None
        except UserError:
            return False

    # ------------------------------------------------------------------ choosing

    def browse_files(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Choose summary bundles"),
            str(documents_folder()),
            _("Summary bundles (*{suffix})").format(suffix=BUNDLE_SUFFIX)
            + ";;"
            + _("All files (*)"),
        )
        if chosen:
            self.import_files([Path(name) for name in chosen])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._local_files(event.mimeData().urls() if event.mimeData().hasUrls() else []):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._local_files(event.mimeData().urls() if event.mimeData().hasUrls() else [])
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.drop_urls([QUrl.fromLocalFile(str(path)) for path in files])

    @staticmethod
    def _local_files(urls: Sequence[QUrl]) -> list[Path]:
        return [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]

    def drop_urls(self, urls: Sequence[QUrl]) -> None:
        """Import the local files (and folders' bundles) of dropped ``urls``."""
        files = self._local_files(urls)
        if files:
            self.import_files(files)

    # ------------------------------------------------------------------ importing

    def is_running(self) -> bool:
        return self._running

    def import_files(self, paths: Sequence[Path | str]) -> None:
        """Import ``paths`` off the UI thread (after the run in progress, if any)."""
        files = bundle_paths(paths)
        if not files:
            self.error_label.show_error(
                _("There is no bundle file ({suffix}) in what was dropped.").format(
                    suffix=BUNDLE_SUFFIX
                ),
            )
            return
        self._queue += files
        if not self._running:
            self._start_next()

    def _start_next(self) -> None:
        files, self._queue = self._queue, []
        if not files:
            return
        self._running = True
        self._stop.clear()
        self.error_label.clear()
        self.progress_bar.setRange(0, len(files))
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self._progress(0, len(files))
        notebook, stop = self._notebook, self._stop
        accepted = frozenset(self._accepted)

        def job(task: Task[ImportReport]) -> ImportReport:
            # One file at a time, so that closing the window (or locking the app) waits
            # for the file being imported only; the rest is left for another time.
            results: list[BundleImport] = []
            task.progress(0, len(files))
            for done, path in enumerate(files, start=1):
                if stop.is_set():
                    break
                results += import_bundles(notebook, [path], accept_new=accepted).results
                task.progress(done, len(files))
            return ImportReport(tuple(results))

        self._tasks.run(
            job, success=self._import_done, failure=self._import_failed, progress=self._progress
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)
        self.status_label.say(
            ngettext(
                "Checked and imported {done} of {total} file…",
                "Checked and imported {done} of {total} files…",
                total,
            ).format(done=done, total=total),
        )

    def ask_to_accept(self, counsellor: str, fingerprint: str) -> bool:
        """Ask whether to enrol a new counsellor's key, showing its fingerprint."""
        return ask_yes(
            self,
            _("A new counsellor"),
            _(
                "This bundle comes from counsellor {counsellor}, who is not enrolled yet. "
                "Its key's fingerprint is:\n\n{fingerprint}\n\nAccept it only if it is "
                "the fingerprint on the counsellor's key card (or the one they read out to "
                "you). Later bundles of this counsellor must then be signed with this key."
            ).format(counsellor=counsellor, fingerprint=fingerprint),
        )

    def _import_done(self, report: ImportReport) -> None:
        again: list[Path] = []
        for result in report.results:
            error = result.error
            if (
                isinstance(error, BundleNotTrusted)
                and error.reason == "unknown_signer"
                and error.fingerprint not in self._accepted
                and self.ask_to_accept(error.counsellor_id, error.fingerprint)
            ):
                self._accepted.add(error.fingerprint)
                again.append(result.path)  # imported again, now with the key accepted
                continue
            self._counts[result.status] += 1
            self._add_result(result)
        self._queue = again + self._queue
        self._running = False
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.status_label.say(self.summary())
        self.finished_import.emit(report)
        if report.imported:
            self.imported.emit(len(report.imported))
        self._start_next()

    def _import_failed(self, message: str) -> None:
        # Not about one file (a full disk, the notebook locked): bundles imported before
        # stay imported; the rest was not tried.
        self._running = False
        self._queue = []
        self.progress_bar.hide()
        self.status_label.clear()
        self.error_label.show_error(message)
        self.import_failed.emit(message)

    def _add_result(self, result: Any) -> None:
        style = self.style()
        text = result.sentence()
        if result.status == ImportStatus.IMPORTED:
            icon = QStyle.StandardPixmap.SP_DialogApplyButton
            spoken = _("Imported: {text}").format(text=text)
        elif result.status == ImportStatus.ALREADY_IMPORTED:
            icon = QStyle.StandardPixmap.SP_MessageBoxInformation
            spoken = text
        else:
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
            spoken = _("Refused: {text}").format(text=text)
        item = QListWidgetItem(style.standardIcon(icon), text)
        item.setData(Qt.ItemDataRole.UserRole, result.status)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
        item.setToolTip(str(result.path))
        self.results.addItem(item)
        self.results.scrollToItem(item)

    def summary(self) -> str:
        """What the imports of this window came to, in one sentence."""
        return _("Imported: {imported}. Already imported: {already}. Refused: {refused}.").format(
            imported=self._counts[ImportStatus.IMPORTED],
            already=self._counts[ImportStatus.ALREADY_IMPORTED],
            refused=self._counts[ImportStatus.REFUSED],
        )

    def result_lines(self) -> list[tuple[str, str]]:
        """(status, sentence) of each file listed, in order."""
        return [
            (
                str(self.results.item(row).data(Qt.ItemDataRole.UserRole)),
                self.results.item(row).text(),
            )
            for row in range(self.results.count())
        ]

    def done(self, result: int) -> None:
        # An import in progress finishes the file it is at (one transaction), no more.
        self._queue = []
        self._stop.set()
        self._tasks.wait()
        super().done(result)


# ---------------------------------------------------------------------- key cards


def enrol_key_card_file(parent: QWidget, notebook: Notebook, path: Path) -> str | None:
    """Enrol the counsellor's key card at ``path``; returns the sentence shown, or None if
    nothing was enrolled. A counsellor already enrolled with another key is changed only
    when the supervisor says so, seeing both fingerprints (the explicit act of a key
    change)."""
    try:
        card = read_key_card(path)
        try:
            counsellor = enrol_key_card(notebook, card)
        except ExchangeError:
            pinned = {c.counsellor_id: c.fingerprint for c in counsellors(notebook)}
            if not pinned.get(card.sender):
                raise
            change = ChangeKeyDialog(card.sender, pinned[card.sender], card.fingerprint, parent)
            if change.exec() != QDialog.DialogCode.Accepted:
                return None
            counsellor = enrol_key_card(notebook, card, replace=True)
    except UserError as error:
        QMessageBox.warning(parent, _("Enrol a key card"), str(error))
        return None
    return _("Counsellor {counsellor} is enrolled with the key {fingerprint}.").format(
        counsellor=counsellor, fingerprint=card.fingerprint
    )


def choose_and_enrol_key_card(parent: QWidget, notebook: Notebook) -> str | None:
    """Choose a counsellor's key card file and enrol it (see :func:`enrol_key_card_file`)."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        _("Enrol a key card"),
        str(documents_folder()),
        _("Key cards (*{suffix})").format(suffix=KEY_CARD_SUFFIX) + ";;" + _("All files (*)"),
    )
    return enrol_key_card_file(parent, notebook, Path(chosen)) if chosen else None


class ChangeKeyDialog(FittingDialog):
    """Changing a counsellor's enrolled key, an explicit act: both fingerprints shown,
    and the key changed only once the supervisor ticks that the counsellor told them
    they have a new key."""

    def __init__(
        self, counsellor: str, enrolled: str, new: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ChangeKeyDialog()
        self.ui.setupUi(self)
        self.ui.intro.setText(
            _(
                "Counsellor {counsellor} is already enrolled with another key. Bundles "
                "signed with the enrolled key are refused once it is changed; change it "
                "only if the counsellor told you they have a new key (a new notebook)."
            ).format(counsellor=counsellor)
        )
        self.ui.counsellor.setText(counsellor)
        self.ui.enrolled.setText(enrolled)
        self.ui.new_key.setText(new)
        self.change_button = self.ui.buttons.addButton(
            _("C&hange the key"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.change_button.setEnabled(False)
        self.change_button.clicked.connect(self.accept)
        self.ui.confirmed.toggled.connect(self.change_button.setEnabled)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)


# ---------------------------------------------------------------------- history


class ImportHistoryDialog(FittingDialog):
    """The import history: each bundle with its counsellor, key fingerprint, counter, day,
    the cases it added and updated and when it was imported; a bundle, or all of one
    counsellor's data, can be withdrawn (the dashboard and the research export then no
    longer count it)."""

    #: Something was withdrawn (e.g. to refresh a dashboard).
    withdrawn = Signal()

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self.ui = Ui_ImportHistoryDialog()
        self.ui.setupUi(self)
        self.table = self.ui.table
        self.status_label = self.ui.status_label
        self.withdraw_button = self.ui.withdraw_button
        self.withdraw_counsellor_button = self.ui.withdraw_counsellor_button
        self.enrol_button = self.ui.enrol_button
        self.withdraw_button.clicked.connect(self._withdraw_bundle)
        self.withdraw_counsellor_button.clicked.connect(self._withdraw_counsellor)
        self.enrol_button.clicked.connect(self._enrol)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 130, metrics.lineSpacing() * 24)
        self.refresh()

    def refresh(self) -> None:
        """Read the history again."""
        self._history = imported_bundles(self._notebook)
        labels = {c.counsellor_id: c.display_name for c in counsellors(self._notebook)}
        self.table.setRowCount(len(self._history))
        for row, info in enumerate(self._history):
            status = (
                _("Withdrawn {when}").format(when=info.withdrawn_at[:10])
                if info.withdrawn_at
                else _("Counted")
            )
            cells = [
                info.imported_at[:16].replace("T", " "),
                info.file_name,
                labels.get(info.counsellor_id, info.counsellor_id),
                info.fingerprint or "–",
                str(info.sequence),
                info.created_on.isoformat(),
                str(info.cases_added),
                str(info.cases_updated),
                status,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def history_rows(self) -> list[list[str]]:
        """The table's text, row by row."""
        return [
            [
                item.text() if (item := self.table.item(r, c)) is not None else ""
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self._history[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        info = self._selected()
        self.withdraw_button.setEnabled(info is not None and not info.withdrawn_at)
        self.withdraw_counsellor_button.setEnabled(info is not None)

    def _confirm(self, text: str) -> bool:
        return ask_yes(self, _("Withdraw"), text)

    def _done(self, withdrawal: Withdrawal) -> None:
        self.status_label.say(withdrawal.sentence())
        self.refresh()
        self.withdrawn.emit()

    def _withdraw_bundle(self) -> None:
        info = self._selected()
        if info is None or not self._confirm(
            _(
                "Withdraw {file} (counsellor {counsellor}, made {day})? The cases it brought "
                "leave the figures and the research export; the cases it updated are put "
                "back as the earlier bundle brought them."
            ).format(
                file=info.file_name, counsellor=info.counsellor_id, day=info.created_on.isoformat()
            )
        ):
            return
        self._done(withdraw_bundle(self._notebook, info.bundle_id))

    def _withdraw_counsellor(self) -> None:
        info = self._selected()
        if info is None or not self._confirm(
            _(
                "Withdraw all of counsellor {counsellor}'s data? Their cases leave the figures "
                "and the research export; their key stays enrolled."
            ).format(counsellor=info.counsellor_id)
        ):
            return
        self._done(withdraw_counsellor(self._notebook, info.counsellor_id))

    def _enrol(self) -> None:
        sentence = choose_and_enrol_key_card(self, self._notebook)
        if sentence:
            self.status_label.say(sentence)


__all__ = [
    "ChangeKeyDialog",
    "ImportDialog",
    "ImportHistoryDialog",
    "PublicKeyDialog",
    "bundle_paths",
    "choose_and_enrol_key_card",
    "enrol_key_card_file",
]
