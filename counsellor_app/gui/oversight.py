"""The supervisor's oversight in the window: the table of concern signs against decisions
(shown on the dashboard) and the view per counsellor (a dialog opened from it).

Both show what :mod:`counsellor_app.core.oversight` counts. Where a supervisor would go
on to the cases behind a row or a cell, the views emit :attr:`cases_requested` with the
filters (a :class:`CaseFilters`); the window connects it to the list of imported cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import ConcernDecision, ConcernSigns, label
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.i18n import _
from counsellor_app.core.oversight import ConcernTable, CounsellorPeriod, counsellor_periods
from counsellor_app.core.store import Notebook
from counsellor_app.gui.formatting import format_day
from counsellor_app.gui.forms.ui_counsellors import Ui_CounsellorsDialog
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    ErrorLine,
    FittingDialog,
    apply_on_enter,
    name_by_caption,
    pydate,
    set_dates_quietly,
    show_dates,
)

#: The red of a cell a supervisor must see (the period report's too); the text on it is
#: dark whatever the palette, so that it reads in a dark theme as well.
ALARM = QColor("#f6d5d0")
ALARM_TEXT = QColor("#1f2933")


@dataclass(frozen=True)
class CaseFilters:
    """The cases behind a row or cell: what the list of imported cases is asked to show
    (None: not filtered on)."""

    counsellor: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    signs: ConcernSigns | None = None
    decision: ConcernDecision | None = None


def _number(value: int | str) -> QTableWidgetItem:
    item = QTableWidgetItem(str(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


# ---------------------------------------------------------------------- concern table


class ConcernTableView(QWidget):
    """Concern signs (rows) against decisions (columns) with the count that must stand
    out in words; cells of serious signs with neither a notification nor a reason are
    red and bold. Activating a cell asks for its cases (:attr:`cases_requested`)."""

    #: The cases of a cell were asked for: a :class:`CaseFilters`.
    cases_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table: ConcernTable | None = None
        self.title = QLabel(_("Concern signs and decisions"))
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.grid = QTableWidget(len(ConcernSigns), len(ConcernDecision) + 1)
        self.grid.setAccessibleName(_("Concern signs and decisions"))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.setHorizontalHeaderLabels([label(d) for d in ConcernDecision] + [_("All")])
        self.grid.setVerticalHeaderLabels([label(s) for s in ConcernSigns])
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        # Two lines, so that a long decision wraps rather than being cut.
        header.setFixedHeight(2 * header.fontMetrics().lineSpacing() + 8)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.grid.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid.cellActivated.connect(self._activated)
        self.sentence_label = QLabel()
        self.sentence_label.setWordWrap(True)
        self.sentence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid)
        layout.addWidget(self.sentence_label)

    def table(self) -> ConcernTable | None:
        """The table shown."""
        return self._table

    def set_table(self, table: ConcernTable) -> None:
        """Show ``table`` (as :func:`~counsellor_app.core.oversight.concern_table` made it)."""
        self._table = table
        decisions = list(ConcernDecision)
        flagged_words = []
        for row, signs in enumerate(ConcernSigns):
            for column, decision in enumerate(decisions):
                count = table.counts[(signs, decision)]
                bare = table.without_reason[(signs, decision)]
                text = str(count)
                if bare:
                    text += "\n" + _("{n} without a reason").format(n=bare)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if table.flagged(signs, decision):
                    item.setBackground(QBrush(ALARM))
                    item.setForeground(QBrush(ALARM_TEXT))
                    font = QFont(self.grid.font())
                    font.setBold(True)
                    item.setFont(font)
                    flagged_words.append(f"{label(signs)}, {label(decision)}: {text}")
                self.grid.setItem(row, column, item)
            total = sum(table.counts[(signs, d)] for d in decisions)
            all_item = _number(total)
            all_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.grid.setItem(row, len(decisions), all_item)
        self.grid.resizeRowsToContents()
        height = self.grid.horizontalHeader().height() + 2 * self.grid.frameWidth()
        height += sum(self.grid.rowHeight(r) for r in range(self.grid.rowCount()))
        self.grid.setFixedHeight(height)
        sentence = table.sentence()
        self.sentence_label.setText(sentence)
        font = QFont(self.sentence_label.font())
        font.setBold(bool(table.unexplained))
        self.sentence_label.setFont(font)
        self.grid.setAccessibleDescription(" ".join([sentence, *flagged_words]))

    def flagged_cells(self) -> list[tuple[int, int]]:
        """The (row, column) of the red cells."""
        return [
            (row, column)
            for row in range(self.grid.rowCount())
            for column in range(self.grid.columnCount() - 1)
            if (item := self.grid.item(row, column)) is not None
            and item.background().color() == ALARM
        ]

    def _activated(self, row: int, column: int) -> None:
        table = self._table
        if table is None or column >= len(ConcernDecision):
            return
        self.cases_requested.emit(
            CaseFilters(
                counsellor=table.counsellor,
                period_from=table.period_from,
                period_to=table.period_to,
                signs=list(ConcernSigns)[row],
                decision=list(ConcernDecision)[column],
            )
        )


# ---------------------------------------------------------------------- per counsellor


class CounsellorsDialog(FittingDialog):
    """The supervisor's notebook per counsellor: for the period, each counsellor's cases
    and contacts, follow-ups kept of those due, open concerns and the last bundle
    received. Counted off the UI thread; :attr:`updated` once shown."""

    #: The rows shown were updated.
    updated = Signal()
    #: A counsellor's cases in the period were asked for: a :class:`CaseFilters`.
    cases_requested = Signal(object)

    COLUMNS = 7

    def __init__(
        self,
        notebook: Notebook,
        parent: QWidget | None = None,
        *,
        period: tuple[date, date] | None = None,
        counsellor: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._items: list[CounsellorPeriod] = []
        self._generation = 0
        self._chosen = counsellor
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self.ui = Ui_CounsellorsDialog()
        self.ui.setupUi(self)
        today = date.today()
        start, end = period or (date(today.year, 1, 1), today)
        self.from_edit = show_dates(self.ui.from_edit, start)
        self.to_edit = show_dates(self.ui.to_edit, end)
        for caption in (self.ui.from_label, self.ui.to_label):
            name_by_caption(caption)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _day: self.refresh())
            apply_on_enter(edit, self.refresh)
        self.summary_label = self.ui.summary_label
        self.table = self.ui.table
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellActivated.connect(lambda _row, _column: self.show_cases())
        self.cases_button = self.ui.cases_button
        self.cases_button.setAccessibleName(
            self.cases_button.text().replace("&", "").replace("…", "")
        )
        self.cases_button.clicked.connect(self.show_cases)
        # Shown once the window has a list of cases to show them in (connect_case_list).
        self.cases_button.setVisible(False)
        self.error_label = ErrorLine()
        self.ui.main_layout.insertWidget(
            self.ui.main_layout.indexOf(self.table) + 1, self.error_label
        )
        close = self.ui.buttons.button(QDialogButtonBox.StandardButton.Close)
        # Enter belongs to the fields and the table here, never to Close.
        close.setAutoDefault(False)
        close.setDefault(False)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 150, metrics.lineSpacing() * 22)
        self.refresh()

    def connect_case_list(self, show: object) -> None:
        """Show the cases of a row in the window's list of imported cases: ``show`` is
        called with a :class:`CaseFilters` (the button appears)."""
        self.cases_requested.connect(show)
        self.cases_button.setVisible(True)
        self._update_buttons()

    def period(self) -> tuple[date, date]:
        """The period shown (first and last day, inclusive)."""
        return pydate(self.from_edit.date()), pydate(self.to_edit.date())

    def set_period(self, start: date, end: date) -> None:
        """Show ``start`` to ``end``; the rows follow at once."""
        set_dates_quietly((self.from_edit, start), (self.to_edit, end))
        self.refresh()

    def refresh(self) -> None:
        """Count the rows for the period shown, off the UI thread."""
        start, end = self.period()
        if start > end:
            self.error_label.show_error(
                _("The period ends before it begins. Choose a later last day.")
            )
            return
        self.error_label.clear()
        self._generation += 1
        generation, notebook = self._generation, self._notebook

        def job(
            _task: Task[tuple[int, list[CounsellorPeriod]]],
        ) -> tuple[int, list[CounsellorPeriod]]:
            return generation, counsellor_periods(notebook, start, end)

        self._tasks.run(job, key="rows", success=self._done, failure=self.error_label.show_error)

    def _done(self, outcome: tuple[int, list[CounsellorPeriod]]) -> None:
        generation, items = outcome
        if generation != self._generation:
            return
        self.show_items(items)

    def items(self) -> list[CounsellorPeriod]:
        """The rows shown."""
        return list(self._items)

    def show_items(self, items: list[CounsellorPeriod]) -> None:
        """Show ``items`` (one row per counsellor)."""
        chosen = self.chosen() or self._chosen
        self._items = list(items)
        table = self.table
        table.setRowCount(len(items))
        for row, item in enumerate(items):
            name = QTableWidgetItem(item.display_name)
            if item.label:
                name.setToolTip(item.counsellor_id)
            table.setItem(row, 0, name)
            table.setItem(row, 1, _number(item.cases))
            table.setItem(row, 2, _number(item.contacts))
            table.setItem(
                row,
                3,
                _number(
                    _("{kept} of {due}").format(
                        kept=item.follow_ups[FollowUpOutcome.ON_TIME], due=item.follow_ups_due
                    )
                ),
            )
            table.setItem(
                row,
                4,
                _number(
                    _("{late} late, {missed} missed").format(
                        late=item.follow_ups[FollowUpOutcome.LATE],
                        missed=item.follow_ups[FollowUpOutcome.MISSED],
                    )
                ),
            )
            concerns = _number(item.open_concerns)
            table.setItem(row, 5, concerns)
            bundle = item.last_bundle
            last = QTableWidgetItem(
                format_day(bundle.created_on) if bundle else _("none that counts")
            )
            if bundle:
                last.setToolTip(
                    _("made {made}, imported {imported}").format(
                        made=format_day(bundle.created_on),
                        imported=format_day(date.fromisoformat(bundle.imported_at[:10])),
                    )
                )
            table.setItem(row, 6, last)
            if item.counsellor_id == chosen:
                table.selectRow(row)
        start, end = self.period()
        self.summary_label.setText(
            _(
                "From {start} to {end}: cases and contacts in the period, follow-ups due in "
                "it. Open concerns (a case not closed whose latest concern shows signs) as "
                "the latest bundle had them."
            ).format(start=format_day(start), end=format_day(end))
        )
        self._widen_to_fit()
        self._update_buttons()
        self.updated.emit()

    def _widen_to_fit(self) -> None:
        """Wide enough for every column (Danish words are long), within the screen."""
        table = self.table
        need = sum(table.columnWidth(c) for c in range(table.columnCount()))
        need += 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        margins = self.ui.main_layout.contentsMargins()
        need += margins.left() + margins.right()
        screen = self.screen().availableGeometry().width() if self.screen() else need
        if self.width() < need:
            self.resize(min(need, int(screen * 0.9)), self.height())

    def chosen(self) -> str | None:
        """The counsellor of the selected row (pseudonymous id), or None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._items):
            return None
        return self._items[rows[0].row()].counsellor_id

    def _update_buttons(self) -> None:
        self.cases_button.setEnabled(self.chosen() is not None)

    def show_cases(self) -> None:
        """Ask for the chosen counsellor's cases in the period (:attr:`cases_requested`)."""
        counsellor = self.chosen()
        if counsellor is None:
            return
        start, end = self.period()
        self.cases_requested.emit(CaseFilters(counsellor, start, end))

    def done(self, result: int) -> None:
        self._tasks.cancel_all()
        super().done(result)


__all__ = ["ALARM", "CaseFilters", "ConcernTableView", "CounsellorsDialog"]
