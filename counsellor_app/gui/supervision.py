"""The supervisor's windows: the public key to hand out, the import of bundles, and the
dashboard over the imported cases.

Imports and the dashboard's figures run on a worker thread (the notebook serialises its
own access), so the window stays responsive with a hundred bundles. The charts are drawn
with QPainter in the palette's colours (light and dark), sized by the font (200 %
scaling), and each states its numbers in words as its accessible description.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from babel.dates import format_skeleton
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QThreadPool, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.dashboard import LEVELS, UNKNOWN, Dashboard, dashboard
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    HelpSystemStatus,
    Partner,
    Step,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import (
    BUNDLE_SUFFIX,
    PUBLIC_KEY_SUFFIX,
    FollowUpOutcome,
    public_key,
)
from counsellor_app.core.i18n import _, current_language, ngettext
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    BundleImport,
    ImportReport,
    ImportStatus,
    counsellors,
    import_bundles,
    set_counsellor_label,
)
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.case_view import format_day
from counsellor_app.gui.exchange import (
    PublicKeyDialogBase,
    Task,
    TaskBridge,
)
from counsellor_app.gui.widgets import (
    ErrorLine,
    FittingDialog,
    button,
    caption,
    choose_save_path,
    date_edit,
    documents_folder,
    is_dark,
    pydate,
    qdate,
    with_suffix,
)

log = logging.getLogger(__name__)

#: How many themes the dashboard draws (the most frequent).
TOP_THEMES = 10

#: Writes the period report PDF: ``(notebook, path, *, period_from, period_to,
#: counsellor)``. Provided by :mod:`counsellor_app.core.reports` when it exists.
PeriodReport = Callable[..., object]

#: The name the dashboard looks for in :mod:`counsellor_app.core.reports`.
PERIOD_REPORT_FUNCTION = "write_period_report"


def default_period_report() -> PeriodReport | None:
    """The report module's period report, if the module is there (it is optional)."""
    name = "counsellor_app.core.reports"
    try:
        if importlib.util.find_spec(name) is None:
            return None
        module = importlib.import_module(name)
    except Exception:
        log.exception("the reports module could not be loaded")
        return None
    found = getattr(module, PERIOD_REPORT_FUNCTION, None)
    return found if callable(found) else None


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
        self._stop = threading.Event()
        self._counts = {
            ImportStatus.IMPORTED: 0,
            ImportStatus.ALREADY_IMPORTED: 0,
            ImportStatus.REFUSED: 0,
        }
        self.setWindowTitle(_("Import summary bundles"))
        self.setAcceptDrops(True)

        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = TaskBridge(self)
        self._bridge.finished.connect(self._import_done)
        self._bridge.failed.connect(self._import_failed)
        self._bridge.progress.connect(self._progress)

        intro = QLabel(
            _(
                "Import the summary bundles ({suffix} files) that counsellors sent you. "
                "Each file is checked first; a file that is refused changes nothing, and "
                "a bundle imported before adds nothing."
            ).format(suffix=BUNDLE_SUFFIX)
        )
        intro.setWordWrap(True)
        self.drop_zone = QLabel(_("Drop bundle files or a folder here"))
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setFrameShape(QFrame.Shape.StyledPanel)
        self.drop_zone.setFrameShadow(QFrame.Shadow.Sunken)
        self.drop_zone.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.choose_button = button(
            _("C&hoose files…"), self.browse_files, _("Choose bundle files to import")
        )
        self.choose_button.setDefault(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(_("Import progress"))
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.hide()
        self.status_label = ErrorLine()
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.results.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        results_caption = caption(_("&Results, one line per file"), self.results)
        self.error_label = ErrorLine()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        choose_row = QHBoxLayout()
        choose_row.addWidget(self.choose_button)
        choose_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.drop_zone)
        layout.addLayout(choose_row)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(results_caption)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
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

        def job(bridge: TaskBridge) -> object:
            # One file at a time, so that closing the window (or locking the app) waits
            # for the file being imported only; the rest is left for another time.
            results: list[BundleImport] = []
            bridge.progress.emit(0, len(files))
            for done, path in enumerate(files, start=1):
                if stop.is_set():
                    break
                results += import_bundles(notebook, [path]).results
                bridge.progress.emit(done, len(files))
            return ImportReport(tuple(results))

        self._pool.start(Task(job, self._bridge))

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

    def _import_done(self, report: object) -> None:
        assert isinstance(report, ImportReport)
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
        self._pool.waitForDone()
        super().done(result)


# ---------------------------------------------------------------------- charts


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    #: A hue (0–359) for a bar whose colour means something; None: the palette's accent.
    hue: int | None = None


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = min(1.0, max(0.0, t))
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def _nice_step(top: int, lines: int = 4) -> int:
    """A round step for about ``lines`` grid lines up to ``top``."""
    raw = max(1.0, top / lines)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


class Chart(QWidget):
    """A titled chart drawn with QPainter: a frame in the palette's base colour, the title,
    and a body drawn by the subclass; "empty" text when there is nothing to show. The
    chart can take focus, so a screen reader reads its name and description."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._empty_text = empty_text
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def title(self) -> str:
        return self._title

    def description(self) -> str:
        return self.accessibleDescription()

    def _set_description(self, text: str) -> None:
        self.setAccessibleDescription(text)
        self.setToolTip(text if len(text) < 400 else text[:400] + "…")

    # ------------------------------------------------------------------ sizes

    def line(self) -> int:
        return self.fontMetrics().lineSpacing()

    def pad(self) -> int:
        return max(4, self.line() // 2)

    def is_empty(self) -> bool:
        raise NotImplementedError

    def body_height(self) -> int:
        raise NotImplementedError

    def body_min_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * 40

    def _title_height(self) -> int:
        return round(self.line() * 1.6)

    def sizeHint(self) -> QSize:
        body = self.line() * 3 if self.is_empty() else self.body_height()
        width = self.body_min_width() + 2 * self.pad()
        return QSize(
            max(width, self.fontMetrics().averageCharWidth() * 50),
            self._title_height() + body + 2 * self.pad(),
        )

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(self.body_min_width() + 2 * self.pad(), hint.height())

    def _update(self) -> None:
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ colours

    def accent(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Highlight)

    def hue_colour(self, hue: int) -> QColor:
        """A colour of ``hue`` that reads well on the base colour (light or dark)."""
        return QColor.fromHsv(hue, 120, 225) if is_dark(self) else QColor.fromHsv(hue, 190, 175)

    def text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(frame, 4, 4)
        if self.hasFocus():
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(frame.adjusted(1, 1, -1, -1), 4, 4)
        pad = self.pad()
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(self.text_colour())
        title_rect = QRectF(pad, pad, self.width() - 2 * pad, self._title_height())
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            painter.fontMetrics().elidedText(
                self._title, Qt.TextElideMode.ElideRight, int(title_rect.width())
            ),
        )
        painter.setFont(self.font())
        body = QRectF(
            pad,
            pad + self._title_height(),
            self.width() - 2 * pad,
            self.height() - 2 * pad - self._title_height(),
        )
        if body.width() < 10 or body.height() < 10:
            painter.end()
            return
        if self.is_empty():
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(body, Qt.AlignmentFlag.AlignCenter, self._empty_text)
        else:
            self.paint_body(painter, body)
        painter.end()

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        raise NotImplementedError


class HorizontalBarChart(Chart):
    """One bar per category, its label at the left and its number at the bar's end."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, empty_text, parent)
        self._bars: list[Bar] = []
        self._set_description(empty_text)

    def set_bars(self, bars: Sequence[Bar], intro: str = "") -> None:
        """Show ``bars``; the description names each with its number (``intro`` first)."""
        self._bars = list(bars)
        if self.is_empty():
            words = self._empty_text
        else:
            words = "; ".join(
                _("{label}: {count}").format(label=bar.label, count=bar.value) for bar in self._bars
            )
        self._set_description(f"{intro} {words}".strip() if intro else words)
        self._update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def is_empty(self) -> bool:
        return not any(bar.value for bar in self._bars)

    def _row_height(self) -> int:
        return round(self.line() * 1.45)

    def body_height(self) -> int:
        return self._row_height() * max(1, len(self._bars))

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        # A few pixels more than the advance: eliding rounds, and would cut a word that fits.
        widest = max((metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0)
        return widest + 4 if widest else 0

    def body_min_width(self) -> int:
        metrics = self.fontMetrics()
        return min(self._label_width(), metrics.averageCharWidth() * 28) + (
            metrics.averageCharWidth() * 18
        )

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        pad = self.pad()
        top = max(bar.value for bar in self._bars)
        value_width = metrics.horizontalAdvance(str(top)) + pad
        label_width = min(self._label_width(), int(body.width() * 0.5))
        left = body.left() + label_width + pad
        span = max(1.0, body.right() - value_width - left)
        row = self._row_height()
        bar_height = max(4.0, row * 0.62)
        grid = QColor(self.palette().color(QPalette.ColorRole.Mid))
        grid.setAlpha(140)
        painter.setPen(QPen(grid, 1))
        painter.drawLine(
            QPointF(left, body.top()), QPointF(left, body.top() + row * len(self._bars))
        )
        for index, bar in enumerate(self._bars):
            y = body.top() + index * row
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(body.left(), y, label_width, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width),
            )
            length = span * bar.value / top if top else 0
            colour = self.accent() if bar.hue is None else self.hue_colour(bar.hue)
            if length > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(
                    QRectF(left, y + (row - bar_height) / 2, max(2.0, length), bar_height), 2, 2
                )
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(left + length + pad / 2, y, value_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(bar.value),
            )


class ColumnChart(Chart):
    """Vertical bars along time (contacts per month), with a value scale at the left."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, empty_text, parent)
        self._bars: list[Bar] = []
        self._long_labels: list[str] = []
        self._set_description(empty_text)

    def set_bars(self, bars: Sequence[Bar], long_labels: Sequence[str]) -> None:
        """Show ``bars`` (short labels under them); the description uses ``long_labels``."""
        self._bars = list(bars)
        self._long_labels = list(long_labels)
        if self.is_empty():
            words = self._empty_text
        else:
            words = "; ".join(
                _("{label}: {count}").format(label=name, count=bar.value)
                for name, bar in zip(self._long_labels, self._bars, strict=True)
            )
        self._set_description(words)
        self._update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def is_empty(self) -> bool:
        return not any(bar.value for bar in self._bars)

    def body_height(self) -> int:
        return self.line() * 11

    def body_min_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * 50

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        line = self.line()
        pad = self.pad()
        top = max(bar.value for bar in self._bars)
        step = _nice_step(top)
        scale_top = step * -(-top // step)
        axis_width = metrics.horizontalAdvance(str(scale_top)) + pad
        plot = QRectF(
            body.left() + axis_width,
            body.top() + line / 2,
            body.width() - axis_width,
            body.height() - line * 2,
        )
        grid = QColor(self.palette().color(QPalette.ColorRole.Mid))
        grid.setAlpha(120)
        for value in range(0, scale_top + 1, step):
            y = plot.bottom() - plot.height() * value / scale_top
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine if value else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(body.left(), y - line / 2, axis_width - pad / 2, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )
        count = len(self._bars)
        slot = plot.width() / count
        width = max(2.0, slot * 0.7)
        painter.setBrush(self.accent())
        value_room = all(
            metrics.horizontalAdvance(str(bar.value)) + 2 <= slot for bar in self._bars
        )
        for index, bar in enumerate(self._bars):
            height = plot.height() * bar.value / scale_top
            x = plot.left() + slot * index + (slot - width) / 2
            if height > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawRect(QRectF(x, plot.bottom() - height, width, height))
            if value_room and bar.value:
                painter.setPen(self.text_colour())
                painter.drawText(
                    QRectF(x - pad, plot.bottom() - height - line, width + 2 * pad, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    str(bar.value),
                )
        # Labels under the bars where there is room: the last always, then from the
        # first on, skipping any that would overlap one already placed.
        boxes: list[tuple[QRectF, str]] = []
        for index, bar in enumerate(self._bars):
            text_width = metrics.horizontalAdvance(bar.label) + 2
            centre = plot.left() + slot * (index + 0.5)
            left = min(max(centre - text_width / 2, body.left()), body.right() - text_width)
            boxes.append((QRectF(left, plot.bottom() + line / 4, text_width, line), bar.label))
        placed = [boxes[-1]]
        for rect, text in boxes[:-1]:
            if all(
                rect.right() + pad < other.left() or rect.left() > other.right() + pad
                for other, _text in placed
            ):
                placed.append((rect, text))
        painter.setPen(self.text_colour())
        for rect, text in placed:
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class MovementChart(Chart):
    """Wellbeing at the first and the latest contact: a 4×4 heat map with the number of
    cases in each cell (rows: first level, columns: latest), and the cases that improved,
    stayed or worsened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Wellbeing, first and latest contact"),
            _("No case with wellbeing assessed at two contacts in this period."),
            parent,
        )
        self._matrix: tuple[tuple[int, ...], ...] = tuple((0,) * len(LEVELS) for _ in LEVELS)
        self._improved = self._unchanged = self._worsened = self._single = 0
        self._set_description(self._empty_text)

    def set_figures(self, figures: Dashboard) -> None:
        self._matrix = figures.wellbeing_movement
        self._improved = figures.improved
        self._unchanged = figures.unchanged
        self._worsened = figures.worsened
        self._single = figures.wellbeing_single
        self._set_description(self.words())
        self._update()

    def matrix(self) -> tuple[tuple[int, ...], ...]:
        return self._matrix

    def summary(self) -> str:
        return _(
            "Improved: {improved} · Unchanged: {unchanged} · Worsened: {worsened} · "
            "Assessed at one contact only: {single}"
        ).format(
            improved=self._improved,
            unchanged=self._unchanged,
            worsened=self._worsened,
            single=self._single,
        )

    def words(self) -> str:
        parts = [
            _(
                "Improved: {improved}, unchanged: {unchanged}, worsened: {worsened}; "
                "assessed at one contact only: {single}."
            ).format(
                improved=self._improved,
                unchanged=self._unchanged,
                worsened=self._worsened,
                single=self._single,
            )
        ]
        for first, row in zip(LEVELS, self._matrix, strict=True):
            moved = [
                _("{level}: {count}").format(level=label(latest), count=count)
                for latest, count in zip(LEVELS, row, strict=True)
                if count
            ]
            if moved:
                parts.append(
                    _("From {level} at the first contact to {list}.").format(
                        level=label(first), list=", ".join(moved)
                    )
                )
        return " ".join(parts)

    def is_empty(self) -> bool:
        return not any(map(any, self._matrix)) and not self._single

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(label(level)) for level in LEVELS) + 4

    def _cell_height(self) -> int:
        return round(self.line() * 1.9)

    def body_height(self) -> int:
        line = self.line()
        return line + line * 2 + self._cell_height() * len(LEVELS) + line // 2 + line * 2

    def body_min_width(self) -> int:
        metrics = self.fontMetrics()
        return self._label_width() + metrics.averageCharWidth() * 9 * len(LEVELS)

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        palette = self.palette()
        line = self.line()
        pad = self.pad()
        text = self.text_colour()
        painter.setPen(text)
        painter.drawText(
            QRectF(body.left(), body.top(), body.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                _("Rows: level at the first contact · Columns: at the latest contact"),
                Qt.TextElideMode.ElideRight,
                int(body.width()),
            ),
        )
        label_width = min(self._label_width(), int(body.width() * 0.35))
        grid_left = body.left() + label_width + pad
        cell_width = (body.right() - grid_left) / len(LEVELS)
        header_top = body.top() + line
        header_height = line * 2
        for column, level in enumerate(LEVELS):
            rect = QRectF(grid_left + column * cell_width, header_top, cell_width, header_height)
            painter.drawText(
                rect.adjusted(2, 0, -2, 0),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignBottom
                | Qt.TextFlag.TextWordWrap,
                label(level),
            )
        cells_top = header_top + header_height
        cell_height = self._cell_height()
        top = max(max(row) for row in self._matrix) or 1
        base = palette.color(QPalette.ColorRole.Base)
        accent = self.accent()
        edge = QColor(palette.color(QPalette.ColorRole.Mid))
        count_font = QFont(self.font())
        count_font.setBold(True)
        for row_index, (level, row) in enumerate(zip(LEVELS, self._matrix, strict=True)):
            y = cells_top + row_index * cell_height
            painter.setPen(text)
            painter.setFont(self.font())
            painter.drawText(
                QRectF(body.left(), y, label_width, cell_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label(level), Qt.TextElideMode.ElideRight, label_width),
            )
            for column, count in enumerate(row):
                rect = QRectF(grid_left + column * cell_width, y, cell_width, cell_height)
                fill = _mix(base, accent, 0.15 + 0.85 * count / top) if count else base
                painter.setPen(QPen(edge, 1))
                painter.setBrush(fill)
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
                if column == row_index:
                    # The diagonal (unchanged) is outlined, so it reads without colour.
                    painter.setPen(QPen(text, 1.5, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect.adjusted(3, 3, -3, -3))
                painter.setFont(count_font)
                painter.setPen(QColor("#000000") if fill.lightness() > 140 else QColor("#ffffff"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        painter.setFont(self.font())
        painter.setPen(text)
        footer = QRectF(
            body.left(),
            cells_top + cell_height * len(LEVELS) + line / 2,
            body.width(),
            line * 2,
        )
        painter.drawText(
            footer,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.summary(),
        )


# ---------------------------------------------------------------------- dashboard


def _month_labels(key: str) -> tuple[str, str]:
    """``"2025-03"`` as a short label under a bar and a long one for the description."""
    year, month = (int(part) for part in key.split("-"))
    day = date(year, month, 1)
    language = current_language()
    return (
        format_skeleton("MMMyy", day, locale=language),
        format_skeleton("yMMMM", day, locale=language),
    )


def age_band_label(band: str) -> str:
    if band == UNKNOWN:
        return _("Not recorded")
    return _("{band} years").format(band=band)


def follow_up_label(outcome: FollowUpOutcome) -> str:
    labels = {
        FollowUpOutcome.ON_TIME: _("Kept on time"),
        FollowUpOutcome.LATE: _("Kept late"),
        FollowUpOutcome.MISSED: _("Missed"),
        FollowUpOutcome.PENDING: _("Not yet due"),
    }
    return labels[outcome]


#: Hues that carry meaning: kept on time green, late amber, missed red, pending grey-blue.
FOLLOW_UP_HUES = {
    FollowUpOutcome.ON_TIME: 130,
    FollowUpOutcome.LATE: 38,
    FollowUpOutcome.MISSED: 0,
    FollowUpOutcome.PENDING: 210,
}


def _first_of_month(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + (day.month - 1) - months_back
    return date(index // 12, index % 12 + 1, 1)


class DashboardWidget(QWidget):
    """The supervisor's dashboard: filters by period and counsellor, the figures as charts.

    The figures are computed on a worker thread whenever a filter changes (debounced);
    :attr:`updated` is emitted once they are shown.
    """

    #: The figures shown were updated (after a filter change or :meth:`refresh`).
    updated = Signal()
    #: Computing the figures failed: the sentence shown.
    failed = Signal(str)
    #: The period report PDF was written: its path.
    report_saved = Signal(str)

    def __init__(
        self,
        notebook: Notebook,
        parent: QWidget | None = None,
        *,
        period_report: PeriodReport | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._today = today or date.today()
        self._period_report = (
            period_report if period_report is not None else (default_period_report())
        )
        self._figures: Dashboard | None = None
        self._generation = 0
        self._columns = 0
        # The pool before the bridge: destroyed first, it waits for a running task.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = TaskBridge(self)
        self._bridge.finished.connect(self._figures_done)
        self._bridge.failed.connect(self._figures_failed)
        self._report_bridge = TaskBridge(self)
        self._report_bridge.finished.connect(self._report_done)
        self._report_bridge.failed.connect(self._report_failed)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)

        # Filters: the period, quick periods, the counsellor.
        start = _first_of_month(self._today, 11)
        self.from_edit = date_edit(start)
        self.to_edit = date_edit(self._today)
        from_caption = caption(_("&From"), self.from_edit)
        to_caption = caption(_("&To"), self.to_edit)
        self.from_edit.setAccessibleName(_("From day"))
        self.to_edit.setAccessibleName(_("To day"))
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _day: self._debounce.start())
        self.month_button = button(_("This &month"), lambda: self.quick_period("month"))
        self.quarter_button = button(_("Last &3 months"), lambda: self.quick_period("3months"))
        self.year_button = button(_("This &year"), lambda: self.quick_period("year"))
        self.twelve_button = button(_("Last 1&2 months"), lambda: self.quick_period("12months"))
        self.counsellor_combo = QComboBox()
        self.counsellor_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.counsellor_combo.addItem(_("All counsellors"), "")
        self.counsellor_combo.currentIndexChanged.connect(lambda _index: self._counsellor_chosen())
        counsellor_caption = caption(_("Coun&sellor"), self.counsellor_combo)
        self.name_button = button(
            _("&Name…"), self.ask_counsellor_label, _("Name the chosen counsellor")
        )
        self.name_button.setEnabled(False)
        self.report_button = button(
            _("Period report as &PDF…"), self.choose_report_file, _("Period report as PDF")
        )
        self.report_button.setVisible(self._period_report is not None)

        # Three short rows rather than one long one: they fit at 200 % scaling too.
        period_row = QHBoxLayout()
        period_row.addWidget(from_caption)
        period_row.addWidget(self.from_edit)
        period_row.addWidget(to_caption)
        period_row.addWidget(self.to_edit)
        period_row.addStretch(1)
        quick_row = QHBoxLayout()
        for quick in (self.month_button, self.quarter_button, self.year_button, self.twelve_button):
            quick_row.addWidget(quick)
        quick_row.addStretch(1)
        who_row = QHBoxLayout()
        who_row.addWidget(counsellor_caption)
        who_row.addWidget(self.counsellor_combo)
        who_row.addWidget(self.name_button)
        who_row.addStretch(1)
        who_row.addWidget(self.report_button)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary_font = QFont(self.font())
        summary_font.setBold(True)
        self.summary_label.setFont(summary_font)
        self.status_label = ErrorLine()
        self.error_label = ErrorLine()

        # The charts.
        nothing = _("Nothing in this period.")
        self.contacts_chart = ColumnChart(_("Contacts per month"), _("No contacts in this period."))
        self.themes_chart = HorizontalBarChart(
            _("Themes (the {count} most frequent)").format(count=TOP_THEMES), nothing
        )
        self.ages_chart = HorizontalBarChart(_("Age bands"), nothing)
        self.help_chart = HorizontalBarChart(
            _("Newly worried or known to the help system"), nothing
        )
        self.movement_chart = MovementChart()
        self.steps_chart = HorizontalBarChart(_("Steps covered in the contacts"), nothing)
        self.alliances_chart = HorizontalBarChart(_("Alliances made, by partner"), nothing)
        self.follow_ups_chart = HorizontalBarChart(_("Follow-ups due in the period"), nothing)
        self.concerns_chart = HorizontalBarChart(_("Concern decisions"), nothing)
        self.charts: list[Chart] = [
            self.contacts_chart,
            self.themes_chart,
            self.ages_chart,
            self.help_chart,
            self.movement_chart,
            self.steps_chart,
            self.alliances_chart,
            self.follow_ups_chart,
            self.concerns_chart,
        ]
        self.chart_area = QWidget()
        self.chart_grid = QGridLayout(self.chart_area)
        self.chart_grid.setContentsMargins(0, 0, 0, 0)
        self.chart_scroll = QScrollArea()
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setWidget(self.chart_area)
        self.chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.chart_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        # Tab goes to the charts inside, and the area scrolls to show them.
        self.chart_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._arrange(2)

        layout = QVBoxLayout(self)
        layout.addLayout(period_row)
        layout.addLayout(quick_row)
        layout.addLayout(who_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.chart_scroll, 1)

        chain: list[QWidget] = [
            self.from_edit,
            self.to_edit,
            self.month_button,
            self.quarter_button,
            self.year_button,
            self.twelve_button,
            self.counsellor_combo,
            self.name_button,
            self.report_button,
            *self.charts,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.refresh()

    # ------------------------------------------------------------------ layout

    def _arrange(self, columns: int) -> None:
        """Place the charts in ``columns`` columns (the first one across all)."""
        if columns == self._columns:
            return
        self._columns = columns
        for chart in self.charts:
            self.chart_grid.removeWidget(chart)
        top = Qt.AlignmentFlag.AlignTop
        self.chart_grid.addWidget(self.contacts_chart, 0, 0, 1, columns, top)
        for index, chart in enumerate(self.charts[1:]):
            self.chart_grid.addWidget(chart, 1 + index // columns, index % columns, top)
        for column in range(2):
            self.chart_grid.setColumnStretch(column, 1 if column < columns else 0)
        self.chart_grid.setRowStretch(1 + (len(self.charts) - 2) // columns + 1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        widest = max(chart.minimumSizeHint().width() for chart in self.charts[1:])
        spacing = self.chart_grid.horizontalSpacing()
        need = 2 * widest + spacing
        if self._columns == 1:
            need += self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)  # no ping-pong
        self._arrange(2 if self.chart_scroll.viewport().width() >= need else 1)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 130, metrics.lineSpacing() * 48)

    # ------------------------------------------------------------------ filters

    def period(self) -> tuple[date, date]:
        """The period shown (first and last day, inclusive)."""
        return pydate(self.from_edit.date()), pydate(self.to_edit.date())

    def counsellor(self) -> str | None:
        """The counsellor filtered on (pseudonymous id), or None for all."""
        data = self.counsellor_combo.currentData()
        return str(data) if data else None

    def set_period(self, start: date, end: date) -> None:
        """Show ``start`` to ``end`` (inclusive); the figures follow at once."""
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(qdate(day))
            edit.blockSignals(False)
        self.refresh()

    def quick_period(self, which: str) -> None:
        """``month``, ``3months``, ``year`` or ``12months``, up to today."""
        today = self._today
        starts = {
            "month": _first_of_month(today),
            "3months": _first_of_month(today, 2),
            "year": date(today.year, 1, 1),
            "12months": _first_of_month(today, 11),
        }
        self.set_period(starts[which], today)

    def set_counsellor(self, counsellor_id: str | None) -> bool:
        """Filter on ``counsellor_id`` (None: all); False when it is not known."""
        index = self.counsellor_combo.findData(counsellor_id or "")
        if index < 0:
            return False
        self.counsellor_combo.setCurrentIndex(index)
        self.refresh()
        return True

    def _counsellor_chosen(self) -> None:
        self.name_button.setEnabled(self.counsellor() is not None)
        self._debounce.start()

    def _fill_counsellors(self, figures: Dashboard) -> None:
        current = self.counsellor()
        combo = self.counsellor_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All counsellors"), "")
        for info in figures.counsellors:
            text = ngettext("{name} ({count} case)", "{name} ({count} cases)", info.cases).format(
                name=info.display_name, count=info.cases
            )
            combo.addItem(text, info.counsellor_id)
        combo.setCurrentIndex(max(0, combo.findData(current or "")))
        combo.blockSignals(False)
        self.name_button.setEnabled(self.counsellor() is not None)

    def ask_counsellor_label(self) -> None:
        """Ask for a name for the chosen counsellor (kept only in this notebook)."""
        counsellor_id = self.counsellor()
        if counsellor_id is None:
            return
        current = next(
            (c.label for c in counsellors(self._notebook) if c.counsellor_id == counsellor_id),
            "",
        )
        text, ok = QInputDialog.getText(
            self,
            _("Name a counsellor"),
            _("A name for counsellor {id}, kept only in this notebook (empty: no name):").format(
                id=counsellor_id
            ),
            QLineEdit.EchoMode.Normal,
            current,
        )
        if ok:
            self.label_counsellor(counsellor_id, text)

    def label_counsellor(self, counsellor_id: str, text: str) -> bool:
        try:
            set_counsellor_label(self._notebook, counsellor_id, text)
        except (UserError, KeyError) as error:
            self.error_label.show_error(str(error))
            return False
        self.refresh()
        return True

    # ------------------------------------------------------------------ figures

    def refresh(self) -> None:
        """Compute the figures for the filters shown, off the UI thread."""
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        start, end = self.period()
        notebook, counsellor = self._notebook, self.counsellor()
        if start > end:
            self.error_label.show_error(
                _("The period ends before it begins. Choose a later last day."),
            )
            return
        self.error_label.clear()

        def job(_bridge: TaskBridge) -> object:
            return generation, dashboard(notebook, start, end, counsellor)

        self._pool.start(Task(job, self._bridge))

    def _figures_done(self, outcome: object) -> None:
        generation, figures = cast(tuple[int, Dashboard], outcome)
        if generation != self._generation:
            return  # the filters changed meanwhile; a newer result follows
        self.show_figures(figures)

    def _figures_failed(self, message: str) -> None:
        self.error_label.show_error(message)
        self.failed.emit(message)

    def figures(self) -> Dashboard | None:
        """The figures shown."""
        return self._figures

    def show_figures(self, figures: Dashboard) -> None:
        """Draw ``figures`` (as :func:`dashboard` computed them)."""
        self._figures = figures
        self._fill_counsellors(figures)
        who = next(
            (c.display_name for c in figures.counsellors if c.counsellor_id == figures.counsellor),
            _("all counsellors"),
        )
        start, end = self.period()
        self.summary_label.setText(
            _("From {start} to {end}, {who}: {cases} with {contacts}.").format(
                start=format_day(figures.period_from or start),
                end=format_day(figures.period_to or end),
                who=who,
                cases=ngettext("{count} case", "{count} cases", figures.cases).format(
                    count=figures.cases
                ),
                contacts=ngettext("{count} contact", "{count} contacts", figures.contacts).format(
                    count=figures.contacts
                ),
            )
        )
        self.summary_label.setAccessibleName(self.summary_label.text())

        months = list(figures.contacts_per_month.items())
        labels = [_month_labels(key) for key, _count in months]
        self.contacts_chart.set_bars(
            [
                Bar(short, count)
                for (short, _long), (_key, count) in zip(labels, months, strict=True)
            ],
            [long for _short, long in labels],
        )
        tax = taxonomy()
        themes = list(figures.themes.items())
        shown = [Bar(tax.label("themes", key), count) for key, count in themes[:TOP_THEMES]]
        intro = ""
        if len([1 for _key, count in themes if count]) > TOP_THEMES:
            intro = _("The {shown} most frequent of {total} themes, in cases:").format(
                shown=TOP_THEMES, total=len([1 for _key, count in themes if count])
            )
        self.themes_chart.set_bars(shown, intro)
        bands = [str(band) for band in AgeBand] + [UNKNOWN]
        self.ages_chart.set_bars(
            [Bar(age_band_label(band), figures.age_bands.get(band, 0)) for band in bands],
            _("Cases:"),
        )
        statuses = [str(status) for status in HelpSystemStatus] + [UNKNOWN]
        self.help_chart.set_bars(
            [
                Bar(
                    label(HelpSystemStatus(key)) if key != UNKNOWN else _("Not recorded"),
                    figures.help_system.get(key, 0),
                )
                for key in statuses
            ],
            _("Cases:"),
        )
        self.movement_chart.set_figures(figures)
        self.steps_chart.set_bars(
            [Bar(label(step), figures.steps_covered.get(step, 0)) for step in Step],
            _("Contacts:"),
        )
        self.alliances_chart.set_bars(
            [Bar(label(partner), figures.alliances.get(partner, 0)) for partner in Partner]
        )
        self.follow_ups_chart.set_bars(
            [
                Bar(follow_up_label(outcome), figures.follow_ups.get(outcome, 0), hue)
                for outcome, hue in FOLLOW_UP_HUES.items()
            ]
        )
        self.concerns_chart.set_bars(
            [
                Bar(label(decision), figures.concern_decisions.get(decision, 0))
                for decision in ConcernDecision
            ]
        )
        # Lay the charts out at their new heights now, not at the next turn of the loop.
        self.chart_grid.invalidate()
        self.chart_grid.activate()
        self.updated.emit()

    # ------------------------------------------------------------------ the report

    def choose_report_file(self) -> None:
        if self._period_report is None:
            return
        start, end = self.period()
        chosen = choose_save_path(
            self,
            _("Save the period report"),
            f"{_('period-report')}-{start}-{end}.pdf",
            _("PDF documents (*.pdf)"),
        )
        if chosen:
            self.save_report(chosen)

    def save_report(self, path: Path) -> bool:
        """Write the period report for the filters shown to ``path``, off the UI thread."""
        report = self._period_report
        if report is None:
            return False
        path = with_suffix(path, ".pdf")
        start, end = self.period()
        notebook, counsellor = self._notebook, self.counsellor()
        self.report_button.setEnabled(False)
        self.status_label.say(_("Writing the period report…"))

        def job(_bridge: TaskBridge) -> object:
            report(notebook, path, period_from=start, period_to=end, counsellor=counsellor)
            return str(path)

        self._pool.start(Task(job, self._report_bridge))
        return True

    def _report_done(self, path: object) -> None:
        self.report_button.setEnabled(True)
        self.status_label.say(
            _("The period report was saved to {path}.").format(path=path),
        )
        self.report_saved.emit(str(path))

    def _report_failed(self, message: str) -> None:
        self.report_button.setEnabled(True)
        self.status_label.clear()
        self.error_label.show_error(message)

    # ------------------------------------------------------------------ closing

    def wait(self) -> None:
        """Let a computation in progress finish (before the notebook closes)."""
        self._debounce.stop()
        self._pool.waitForDone()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.wait()
        super().closeEvent(event)


class DashboardDialog(QDialog):
    """The dashboard in its own window, beside the main one (closed when the app locks,
    as every dialog of the main window is)."""

    def __init__(
        self,
        notebook: Notebook,
        parent: QWidget | None = None,
        *,
        period_report: PeriodReport | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Supervisor's dashboard"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.dashboard = DashboardWidget(notebook, self, period_report=period_report)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.dashboard, 1)
        layout.addWidget(self.buttons)
        hint = self.dashboard.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            hint = hint.boundedTo(screen.size() * 0.9)
        self.resize(hint)

    def refresh(self) -> None:
        self.dashboard.refresh()

    def done(self, result: int) -> None:
        self.dashboard.wait()
        super().done(result)


__all__ = [
    "DashboardDialog",
    "DashboardWidget",
    "ImportDialog",
    "PublicKeyDialog",
    "default_period_report",
]
