"""The supervisor's dashboard over the imported cases: filters by period and counsellor,
the figures as charts (from :mod:`counsellor_app.gui.charts`), and the period report.

The figures are computed on a worker thread (the notebook serialises its own access), so
the window stays responsive over many imported cases.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.case_index import case_index
from counsellor_app.core.dashboard import UNKNOWN, Dashboard
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    HelpSystemStatus,
    Partner,
    Step,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import FollowUpOutcome
from counsellor_app.core.exchange.format import outcome_label
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.oversight import ConcernTable, CounsellorPeriod
from counsellor_app.core.reports import write_period_report
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import counsellors, replaced_on_import, set_counsellor_label
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.charts import Bar, Chart, ColumnChart, HorizontalBarChart, MovementChart
from counsellor_app.gui.formatting import format_day, format_month, format_month_long
from counsellor_app.gui.oversight import CaseFilters, ConcernTableView, CounsellorsDialog
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    ErrorLine,
    apply_on_enter,
    button,
    caption,
    choose_save_path,
    date_edit,
    pydate,
    set_dates_quietly,
    with_suffix,
)

#: How many themes the dashboard draws (the most frequent).
TOP_THEMES = 10

#: Writes the period report PDF: ``(notebook, path, *, period_from, period_to,
#: counsellor)``; :func:`~counsellor_app.core.reports.write_period_report` unless a test
#: gives another.
PeriodReport = Callable[..., object]

#: What the dashboard's worker counts: the generation it was asked for, the figures, the
#: concern table and each counsellor's period.
_Outcome = tuple[int, Dashboard, ConcernTable, list[CounsellorPeriod]]


def _month_labels(key: str) -> tuple[str, str]:
    """``"2025-03"`` as a short label under a bar and a long one for the description."""
    year, month = (int(part) for part in key.split("-"))
    day = date(year, month, 1)
    return format_month(day), format_month_long(day)


def age_band_label(band: str) -> str:
    if band == UNKNOWN:
        return _("Not recorded")
    return _("{band} years").format(band=band)


#: Hues that carry meaning: kept on time green, late amber, missed red, pending grey-blue.
FOLLOW_UP_HUES = {
    FollowUpOutcome.ON_TIME: 130,
    FollowUpOutcome.LATE: 38,
    FollowUpOutcome.MISSED: 0,
    FollowUpOutcome.PENDING: 210,
}


@dataclass(frozen=True)
class DashboardFilters:
    """The filters of the dashboard, kept by the window while the notebook is open so
    that the dashboard opens again as it was left (a new unlock starts from the
    defaults)."""

    period_from: date
    period_to: date
    #: The counsellor filtered on (pseudonymous id), or None for all.
    counsellor: str | None = None

    @classmethod
    def defaults(cls, today: date | None = None) -> DashboardFilters:
        """The filters a dashboard opens with at first: the last 12 months, everyone."""
        today = today or date.today()
        return cls(_first_of_month(today, 11), today)


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
    #: The filters applied changed: a :class:`DashboardFilters`.
    filters_changed = Signal(object)

    def __init__(
        self,
        notebook: Notebook,
        parent: QWidget | None = None,
        *,
        period_report: PeriodReport | None = None,
        today: date | None = None,
        filters: DashboardFilters | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._concerns: ConcernTable | None = None
        self._periods: list[CounsellorPeriod] = []
        self._case_list: Callable[[CaseFilters], object] | None = None
        self.counsellors_dialog: CounsellorsDialog | None = None
        self._today = today or date.today()
        self._period_report: PeriodReport = period_report or write_period_report
        self._figures: Dashboard | None = None
        self._generation = 0
        self._columns = 0
        # Figures and reports read the notebook: on its lane, before the close of a lock.
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)

        # Filters: the period, quick periods, the counsellor.
        shown = filters or DashboardFilters.defaults(self._today)
        self.from_edit = date_edit(shown.period_from)
        self.to_edit = date_edit(shown.period_to)
        from_caption = caption(_("&From"), self.from_edit)
        to_caption = caption(_("&To"), self.to_edit)
        self.from_edit.setAccessibleName(_("From day"))
        self.to_edit.setAccessibleName(_("To day"))
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _day: self._debounce.start())
            # Enter applies the day typed at once; it never reaches (and closes) a dialog.
            apply_on_enter(edit, self.refresh)
        self.month_button = button(_("This &month"), lambda: self.quick_period("month"))
        self.quarter_button = button(_("Last &3 months"), lambda: self.quick_period("3months"))
        self.year_button = button(_("This &year"), lambda: self.quick_period("year"))
        self.twelve_button = button(_("Last 1&2 months"), lambda: self.quick_period("12months"))
        self.counsellor_combo = QComboBox()
        self.counsellor_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.counsellor_combo.addItem(_("All counsellors"), "")
        if filters and filters.counsellor:
            # Named properly once the first figures have listed the counsellors.
            self.counsellor_combo.addItem(filters.counsellor, filters.counsellor)
            self.counsellor_combo.setCurrentIndex(1)
        self.counsellor_combo.currentIndexChanged.connect(lambda _index: self._counsellor_chosen())
        counsellor_caption = caption(_("Coun&sellor"), self.counsellor_combo)
        self.name_button = button(
            _("&Name…"), self.ask_counsellor_label, _("Name the chosen counsellor")
        )
        self.name_button.setEnabled(self.counsellor() is not None)
        self.counsellors_button = button(
            _("&Overview per counsellor…"), self.open_counsellors, _("Overview per counsellor")
        )
        self.report_button = button(
            _("Period report as &PDF…"), self.choose_report_file, _("Period report as PDF")
        )

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
        who_row.addWidget(self.counsellors_button)
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
        # Concern signs against decisions, under the charts across the whole width.
        self.concern_view = ConcernTableView()
        self.concern_view.cases_requested.connect(self._cases_requested)
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
            self.counsellors_button,
            self.report_button,
            *self.charts,
            self.concern_view.grid,
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
        last = 1 + (len(self.charts) - 2) // columns  # the last row of charts
        self.chart_grid.removeWidget(self.concern_view)
        self.chart_grid.addWidget(self.concern_view, last + 1, 0, 1, columns, top)
        for row in range(self.chart_grid.rowCount()):
            self.chart_grid.setRowStretch(row, 1 if row == last + 2 else 0)
        self.chart_grid.setRowStretch(last + 2, 1)

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
        set_dates_quietly((self.from_edit, start), (self.to_edit, end))
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
        # The cases of the chosen period (as every figure shown), once they are counted.
        in_period = {p.counsellor_id: p.cases for p in self._periods}
        for info in figures.counsellors:
            count = in_period.get(info.counsellor_id, info.cases)
            text = ngettext("{name} ({count} case)", "{name} ({count} cases)", count).format(
                name=info.display_name, count=count
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

        self.filters_changed.emit(DashboardFilters(start, end, counsellor))

        def job(_task: Task[_Outcome]) -> _Outcome:
            # From the codes of the imported cases in memory (read at the first refresh
            # and after an import): milliseconds where the database takes a second with
            # SQLCipher's memory security on. The same figures (the tests hold them so).
            return (generation, *case_index(notebook).figures(start, end, counsellor))

        # A newer refresh supersedes one still waiting (the filters changed again).
        self._tasks.run(
            job, key="figures", success=self._figures_done, failure=self._figures_failed
        )

    def _figures_done(self, outcome: _Outcome) -> None:
        generation, figures, concerns, periods = outcome
        if generation != self._generation:
            return  # the filters changed meanwhile; a newer result follows
        self._periods = periods
        self._concerns = concerns
        self.concern_view.set_table(concerns)
        self.show_figures(figures)

    def _figures_failed(self, message: str) -> None:
        self.error_label.show_error(message)
        self.failed.emit(message)

    def figures(self) -> Dashboard | None:
        """The figures shown."""
        return self._figures

    def concerns(self) -> ConcernTable | None:
        """The concern table shown."""
        return self._concerns

    def current_filters(self) -> DashboardFilters:
        """The filters shown (to open the dashboard again with them)."""
        start, end = self.period()
        return DashboardFilters(start, end, self.counsellor())

    # ------------------------------------------------------------------ oversight

    def connect_case_list(self, show: Callable[[CaseFilters], object]) -> None:
        """Where the cases behind a concern cell or a counsellor's row are shown: ``show``
        is called with a :class:`~counsellor_app.gui.oversight.CaseFilters`."""
        self._case_list = show
        if self.counsellors_dialog is not None:
            self.counsellors_dialog.connect_case_list(show)

    def _cases_requested(self, filters: CaseFilters) -> None:
        if self._case_list is not None:
            self._case_list(filters)

    def open_counsellors(self) -> CounsellorsDialog:
        """The overview per counsellor for the period shown (the counsellor filtered on
        chosen in it)."""
        dialog = CounsellorsDialog(
            self._notebook, self, period=self.period(), counsellor=self.counsellor()
        )
        if self._case_list is not None:
            dialog.connect_case_list(self._case_list)
        dialog.show()
        self.counsellors_dialog = dialog
        return dialog

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
        replaced = sum(
            c.identifiers_replaced
            for c in figures.counsellors
            if figures.counsellor in (None, c.counsellor_id)
        )
        if replaced:  # the gate replaced identifiers in imported texts: tell the counsellor
            self.summary_label.setText(
                self.summary_label.text() + " " + replaced_on_import(replaced)
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
        shown = [
            Bar(tax.label("themes", key) if key != UNKNOWN else _("Themes not known"), count)
            for key, count in themes[:TOP_THEMES]
        ]
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
                Bar(outcome_label(outcome), figures.follow_ups.get(outcome, 0), hue)
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
        path = with_suffix(path, ".pdf")
        start, end = self.period()
        notebook, counsellor = self._notebook, self.counsellor()
        self.report_button.setEnabled(False)
        self.status_label.say(_("Writing the period report…"))

        def job(_task: Task[str]) -> str:
            report(notebook, path, period_from=start, period_to=end, counsellor=counsellor)
            return str(path)

        self._tasks.run(job, success=self._report_done, failure=self._report_failed)
        return True

    def _report_done(self, path: str) -> None:
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

    def stop(self) -> None:
        """Drop the figures still being computed: closing never waits for them. They run
        on the notebook lane, so the notebook's close (after a lock) queues behind them."""
        self._debounce.stop()
        self._tasks.cancel_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
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
        filters: DashboardFilters | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Supervisor's dashboard"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.dashboard = DashboardWidget(
            notebook, self, period_report=period_report, filters=filters
        )
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
        self.dashboard.stop()
        super().done(result)


__all__ = ["DashboardDialog", "DashboardFilters", "DashboardWidget", "age_band_label"]
