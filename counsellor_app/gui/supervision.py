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
    QFileDialog,
    QListWidgetItem,
    QStyle,
    QWidget,
)

from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import (
    BUNDLE_SUFFIX,
    PUBLIC_KEY_SUFFIX,
    public_key,
)
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    BundleImport,
    ImportReport,
    ImportStatus,
    import_bundles,
)
from counsellor_app.gui.exchange import PublicKeyDialogBase
from counsellor_app.gui.forms.ui_bundle_import import Ui_ImportDialog
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    FittingDialog,
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

        def job(task: Task[ImportReport]) -> ImportReport:
            # One file at a time, so that closing the window (or locking the app) waits
            # for the file being imported only; the rest is left for another time.
            results: list[BundleImport] = []
            task.progress(0, len(files))
            for done, path in enumerate(files, start=1):
                if stop.is_set():
                    break
                results += import_bundles(notebook, [path]).results
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

    def _import_done(self, report: ImportReport) -> None:
        for result in report.results:
            self._counts[result.status] += 1
            self._add_result(result)
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


__all__ = ["ImportDialog", "PublicKeyDialog", "bundle_paths"]
