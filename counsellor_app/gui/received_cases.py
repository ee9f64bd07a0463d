"""The supervisor's cases: the imported cases, filtered, and one case read in full.

The list is a table model that fetches on demand (:class:`ReceivedCasesModel`, like the
counsellor's case list): a filter change lists the first screenful and counts the matching
cases off the UI thread, from the codes of the imported cases held in memory
(:func:`~counsellor_app.core.case_index.case_index`, read there at the first filter and
after an import); the rest is fetched from them as the view scrolls. A result of an
earlier filter that arrives late is dropped. A case opens read-only beside the list
(:class:`ReceivedCaseView`): the de-identified texts as the counsellor's case view shows a
timeline, the wellbeing chart, alliances, follow-ups and concerns, and the case summary
PDF (written on the task runner).

A bar or cell of the dashboard opens the window filtered to the cases behind it
(:meth:`ReceivedCasesWindow.show_filter`).
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.case_index import CaseIndex, case_index
from counsellor_app.core.dashboard import LEVELS, UNKNOWN
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    HelpSystemStatus,
    Partner,
    WellbeingLevel,
    label,
)
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome, outcome_label
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.received_cases import (
    PAGE,
    CaseFilter,
    CaseRow,
    Movement,
    movement_label,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    ImportedCase,
    counsellors,
    imported_case,
    replaced_on_import,
)
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.charts import Chart, WellbeingChart
from counsellor_app.gui.dashboard import FOLLOW_UP_HUES, DashboardWidget
from counsellor_app.gui.formatting import format_day
from counsellor_app.gui.oversight import CaseFilters
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    ErrorLine,
    button,
    caption,
    choose_save_path,
    date_edit,
    pydate,
    qdate,
    with_suffix,
)

#: What the list's worker returns: the generation it was asked for, the filter, the index
#: it listed from, the first screenful and the number of matching cases.
_Listed = tuple[int, CaseFilter, CaseIndex, list[CaseRow], int]

#: A date field at this day is empty ("—"): that end of the period is open.
_NO_DAY = QDate(2000, 1, 1)


def _themes(themes: tuple[str, ...]) -> str:
    tax = taxonomy()
    return ", ".join(tax.label("themes", theme) for theme in themes)


class ReceivedCasesModel(QAbstractTableModel):
    """The imported cases matching a filter, newest contact first, a page at a time."""

    COLUMNS = (
        "ref",
        "counsellor",
        "latest",
        "contacts",
        "level",
        "missed",
        "concern",
        "themes",
    )

    def __init__(self, notebook: Notebook) -> None:
        super().__init__()
        self._notebook = notebook
        self._filter = CaseFilter()
        self._rows: list[CaseRow] = []
        self._more = False
        self._index: CaseIndex | None = None

    def headers(self) -> list[str]:
        return [
            _("Reference"),
            _("Counsellor"),
            _("Latest contact"),
            _("Contacts"),
            _("Wellbeing"),
            _("Follow-ups missed"),
            _("Concern"),
            _("Themes"),
        ]

    def set_rows(self, case_filter: CaseFilter, index: CaseIndex, rows: list[CaseRow]) -> None:
        """List the cases of ``case_filter``: its first screenful ``rows`` (from
        ``index``, which gives the rest on scrolling)."""
        self.beginResetModel()
        self._filter = case_filter
        self._index = index
        self._rows = rows
        self._more = len(self._rows) == PAGE
        self.endResetModel()

    def case_filter(self) -> CaseFilter:
        return self._filter

    def clear(self) -> None:
        """Forget the rows (the window closes, or the app locks)."""
        self.beginResetModel()
        self._rows, self._more, self._index = [], False, None
        self.endResetModel()

    def row(self, row: int) -> CaseRow:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid() or not self._more or not self._rows or self._index is None:
            return
        # From memory: the matching cases were found when the filter was applied.
        page = self._index.cases(self._filter, limit=PAGE, after=self._rows[-1].cursor)
        self._more = len(page) == PAGE
        if page:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self._rows += page
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def text(self, row: CaseRow, column: int) -> str:
        """What cell ``column`` of ``row`` says."""
        kind = self.COLUMNS[column]
        if kind == "ref":
            return row.ref[:8]
        if kind == "counsellor":
            return row.counsellor
        if kind == "latest":
            return format_day(row.latest_day) if row.latest_day else "—"
        if kind == "contacts":
            return str(row.contacts)
        if kind == "level":
            return label(row.latest_level) if row.latest_level else "—"
        if kind == "missed":
            return str(row.missed_follow_ups) if row.missed_follow_ups else ""
        if kind == "concern":
            return label(row.concern) if row.concern else ""
        return _themes(row.themes)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(self._rows[index.row()], index.column())
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[index.column()] == "ref":
            return self._rows[index.row()].ref
        return None


# ---------------------------------------------------------------------- one case


def _line(*bits: str) -> str:
    """The non-empty ``bits`` as one line, a middle dot between them."""
    return " · ".join(bit for bit in bits if bit)


def _section(title: str, lines: Iterable[str]) -> str:
    """A heading and one paragraph a line, escaped."""
    return f"<h3>{html.escape(title)}</h3>" + "".join(
        f"<p>{html.escape(line)}</p>" for line in lines
    )


def received_case_html(case: BundleCase[str]) -> str:
    """An imported case's de-identified texts as rich text, newest contact first (the
    counsellor's timeline), then its alliances, follow-ups and concern assessments."""
    parts: list[str] = []
    numbered = list(enumerate(case.conversations, start=1))
    if not numbered:
        parts.append("<p><i>{}</i></p>".format(html.escape(_("No conversations yet."))))
    for number, talk in reversed(numbered):
        facts = [format_day(talk.day), label(talk.channel)]
        if talk.duration_minutes:
            facts.append(_("{minutes} min").format(minutes=talk.duration_minutes))
        level = talk.overall_wellbeing()
        if level is not None:
            facts.append(_("wellbeing: {level}").format(level=label(level)))
        heading = _("Contact {number}").format(number=number)
        parts.append(f"<h3>{html.escape(heading)}</h3><p>{html.escape(' · '.join(facts))}</p>")
        written = [(step, text.strip()) for step, text in talk.summary.items() if text.strip()]
        if not written:
            parts.append("<p><i>{}</i></p>".format(html.escape(_("No notes."))))
        for step, text in written:
            parts.append(
                f"<p><b>{html.escape(label(step))}</b></p>"
                f'<p style="white-space: pre-wrap; margin-left: 12px">{html.escape(text)}</p>'
            )
    if case.alliances:
        lines = (
            _line(format_day(a.created_on), label(a.partner), label(a.status), a.role, a.agreed)
            for a in case.alliances
        )
        parts.append(_section(_("Alliances"), lines))
    if case.follow_ups:
        lines = (
            _line(
                format_day(f.due),
                outcome_label(f.outcome),
                f.counsellor_task,
                f.parent_task,
                f.others_task,
            )
            for f in case.follow_ups
        )
        parts.append(_section(_("Follow-ups"), lines))
    if case.concerns:
        lines = (
            _line(format_day(c.day), label(c.signs), label(c.decision), c.reasoning)
            for c in case.concerns
        )
        parts.append(_section(_("Concerns"), lines))
    return "".join(parts)


class ReceivedCaseView(QWidget):
    """One imported case, read-only: its facts, its wellbeing across contacts, its
    de-identified texts, and its case summary as PDF."""

    #: The case summary PDF was written: its path.
    summary_saved = Signal(str)

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case: ImportedCase | None = None
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = WellbeingChart()
        self.texts = QTextBrowser()
        self.texts.setAccessibleName(_("Conversations"))
        self.pdf_button = button(_("Case summary as &PDF…"), self.choose_summary_file)
        self.status_line = ErrorLine()
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.pdf_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status_line)
        layout.addWidget(self.chart)
        layout.addWidget(self.texts, 1)
        self.clear()

    def case(self) -> ImportedCase | None:
        return self._case

    def load(self, case_id: int) -> None:
        """Show the imported case ``case_id`` (its row id)."""
        item = imported_case(self._notebook, case_id)
        self._case = item
        case = item.case
        facts = [
            _("Counsellor {counsellor}").format(
                counsellor=item.counsellor_label or item.counsellor_id
            ),
            label(case.status),
        ]
        if case.age_band:
            facts.append(_("{band} years").format(band=case.age_band))
        themes = _themes(case.themes)
        # The gate replaced identifiers in its texts (on import, or as read for a case an
        # older version stored unscanned): the supervisor tells the counsellor.
        replaced = item.identifiers_replaced or 0
        self.header.setText(
            f"<b>{html.escape(case.ref)}</b><br/>{html.escape(' · '.join(facts))}"
            + (f"<br/>{html.escape(themes)}" if themes else "")
            + (f"<br/><i>{html.escape(replaced_on_import(replaced))}</i>" if replaced else "")
        )
        self.chart.set_contacts(
            [(datetime.combine(talk.day, time(12)), talk.wellbeing) for talk in case.conversations]
        )
        self.texts.setHtml(received_case_html(case))
        self.pdf_button.setEnabled(True)
        self.status_line.clear()

    def clear(self) -> None:
        self._case = None
        self.header.setText(_("Choose a case in the list."))
        self.chart.clear()
        self.texts.clear()
        self.pdf_button.setEnabled(False)

    def choose_summary_file(self) -> None:
        if self._case is None:
            return
        chosen = choose_save_path(
            self,
            _("Save the case summary"),
            _("case-summary") + f"-{self._case.case.ref[:8]}.pdf",
            _("PDF documents (*.pdf)"),
        )
        if chosen:
            self.save_summary(with_suffix(chosen, ".pdf"))

    def save_summary(self, path: Path) -> bool:
        """Write the shown case's summary PDF to ``path`` on the task runner."""
        from counsellor_app.core.reports import write_imported_case_summary  # reportlab

        item, notebook = self._case, self._notebook
        if item is None or not self.pdf_button.isEnabled():
            return False

        def job(_task: Task[str]) -> str:
            write_imported_case_summary(notebook, item.id, path)
            return str(path)

        self.pdf_button.setEnabled(False)
        self.status_line.say(_("Writing the case summary…"))
        self._tasks.run(job, success=self._written, failure=self._failed)
        return True

    def _written(self, path: str) -> None:
        self.pdf_button.setEnabled(self._case is not None)
        self.status_line.say(_("Case summary written: {path}").format(path=path))
        self.summary_saved.emit(path)

    def _failed(self, message: str) -> None:
        self.pdf_button.setEnabled(self._case is not None)
        self.status_line.show_error(message)

    def stop(self) -> None:
        self._tasks.cancel_all()


# ---------------------------------------------------------------------- the window


def _day_edit() -> QDateEdit:
    edit = date_edit(date.today())
    edit.setMinimumDate(_NO_DAY)
    edit.setSpecialValueText("—")  # at the minimum: no day, that end is open
    edit.setDate(_NO_DAY)
    return edit


class ReceivedCasesWidget(QWidget):
    """Filters, the list of imported cases, and the chosen case beside it."""

    #: The list was filled anew (after a filter change).
    listed = Signal()
    #: The number of matching cases was counted.
    counted = Signal(int)

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self._generation = 0
        #: Conditions from a dashboard click that have no field here (a heat-map row,
        #: the help system, a partner, a follow-up's outcome other than missed).
        self._extra = CaseFilter()
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.apply)

        self.counsellor_combo = QComboBox()
        self._fill_counsellors()
        self.from_edit = _day_edit()
        self.to_edit = _day_edit()
        self.from_edit.setAccessibleName(_("From day"))
        self.to_edit.setAccessibleName(_("To day"))
        self.theme_combo = QComboBox()
        self.theme_combo.addItem(_("Any"), "")
        tax = taxonomy()
        for term in sorted(tax.themes, key=lambda term: term.label.casefold()):
            self.theme_combo.addItem(term.label, term.id)
        self.theme_combo.addItem(_("Themes not known"), UNKNOWN)
        self.age_combo = QComboBox()
        self.age_combo.addItem(_("Any"), "")
        for band in AgeBand:
            self.age_combo.addItem(_("{band} years").format(band=band.value), band.value)
        self.age_combo.addItem(_("Not recorded"), UNKNOWN)
        self.level_combo = self._enum_combo([(label(lv), lv.value) for lv in WellbeingLevel])
        self.movement_combo = self._enum_combo([(movement_label(m), m.value) for m in Movement])
        self.missed_check = QCheckBox(_("Follow-ups missed"))
        self.signs_combo = self._enum_combo([(label(s), s.value) for s in ConcernSigns])
        self.decision_combo = self._enum_combo([(label(d), d.value) for d in ConcernDecision])
        self._combos = (
            self.counsellor_combo,
            self.theme_combo,
            self.age_combo,
            self.level_combo,
            self.movement_combo,
            self.signs_combo,
            self.decision_combo,
        )
        for combo in self._combos:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._changed())
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self._changed())
        self.missed_check.toggled.connect(lambda _on: self._changed())
        self.clear_button = button(_("&Clear filters"), self.clear_filters)

        rows: list[list[tuple[str, QWidget]]] = [
            [
                (_("Coun&sellor"), self.counsellor_combo),
                (_("&From"), self.from_edit),
                (_("&To"), self.to_edit),
                (_("T&heme"), self.theme_combo),
                (_("&Age band"), self.age_combo),
            ],
            [
                (_("Well&being"), self.level_combo),
                (_("&Movement"), self.movement_combo),
                (_("Concern si&gns"), self.signs_combo),
                (_("&Decision"), self.decision_combo),
            ],
        ]
        layout = QVBoxLayout(self)
        for fields in rows:
            line = QHBoxLayout()
            for text, field in fields:
                line.addWidget(caption(text, field))
                line.addWidget(field)
            line.addStretch(1)
            layout.addLayout(line)
        extra_line = QHBoxLayout()
        extra_line.addWidget(self.missed_check)
        self.extra_label = QLabel()
        self.extra_label.setWordWrap(True)
        extra_line.addWidget(self.extra_label, 1)
        extra_line.addWidget(self.clear_button)
        layout.addLayout(extra_line)

        self.count_label = QLabel()
        self.error_line = ErrorLine()
        self.model = ReceivedCasesModel(notebook)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Cases"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._open_row(current.row())
        )
        self.case_view = ReceivedCaseView(notebook)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.table, 1)
        splitter.addWidget(left)
        splitter.addWidget(self.case_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(self.error_line)
        layout.addWidget(splitter, 1)

        chain: list[QWidget] = [field for fields in rows for _text, field in fields]
        chain += [self.missed_check, self.clear_button, self.table, self.case_view.pdf_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.apply()

    def _fill_counsellors(self) -> None:
        combo = self.counsellor_combo
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All counsellors"), "")
        for info in counsellors(self._notebook):
            combo.addItem(info.display_name, info.counsellor_id)
        combo.setCurrentIndex(max(0, combo.findData(chosen or "")))
        combo.blockSignals(False)

    def refresh(self) -> None:
        """List the cases again with the counsellors known now (after an import)."""
        self._fill_counsellors()
        self.apply()

    @staticmethod
    def _enum_combo(items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(_("Any"), "")
        for text, value in items:
            combo.addItem(text, value)
        return combo

    # ------------------------------------------------------------------ filters

    def _changed(self) -> None:
        self._debounce.start()

    @staticmethod
    def _value(combo: QComboBox) -> str | None:
        data = combo.currentData()
        return str(data) if data else None

    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        return None if edit.date() == _NO_DAY else pydate(edit.date())

    def case_filter(self) -> CaseFilter:
        """The filter the fields (and a dashboard click) describe."""
        level, movement = self._value(self.level_combo), self._value(self.movement_combo)
        signs, decision = self._value(self.signs_combo), self._value(self.decision_combo)
        return replace(
            self._extra,
            counsellor=self._value(self.counsellor_combo),
            period_from=self._day(self.from_edit),
            period_to=self._day(self.to_edit),
            theme=self._value(self.theme_combo),
            age_band=self._value(self.age_combo),
            level=WellbeingLevel(level) if level else None,
            movement=Movement(movement) if movement else None,
            follow_up=FollowUpOutcome.MISSED
            if self.missed_check.isChecked()
            else self._extra.follow_up,
            concern=ConcernSigns(signs) if signs else None,
            decision=ConcernDecision(decision) if decision else None,
        )

    def show_filter(self, case_filter: CaseFilter) -> None:
        """Set the fields to ``case_filter`` and list its cases now."""
        widgets = (*self._combos, self.from_edit, self.to_edit, self.missed_check)
        for widget in widgets:
            widget.blockSignals(True)

        def choose(combo: QComboBox, value: str | None) -> None:
            combo.setCurrentIndex(max(0, combo.findData(value or "")))

        f = case_filter
        choose(self.counsellor_combo, f.counsellor)
        self.from_edit.setDate(qdate(f.period_from) if f.period_from else _NO_DAY)
        self.to_edit.setDate(qdate(f.period_to) if f.period_to else _NO_DAY)
        choose(self.theme_combo, f.theme)
        choose(self.age_combo, f.age_band)
        choose(self.level_combo, f.level.value if f.level else None)
        choose(self.movement_combo, f.movement.value if f.movement else None)
        choose(self.signs_combo, f.concern.value if f.concern else None)
        choose(self.decision_combo, f.decision.value if f.decision else None)
        missed = f.follow_up == FollowUpOutcome.MISSED
        self.missed_check.setChecked(missed)
        for widget in widgets:
            widget.blockSignals(False)
        self._extra = CaseFilter(
            help_system=f.help_system,
            first_level=f.first_level,
            follow_up=None if missed else f.follow_up,
            partner=f.partner,
        )
        self.apply()

    def clear_filters(self) -> None:
        self.show_filter(CaseFilter())

    def _describe_extra(self) -> str:
        extra = self._extra
        bits = []
        if extra.first_level is not None:
            bits.append(
                _("wellbeing at the first contact: {level}").format(level=label(extra.first_level))
            )
        if extra.help_system is not None:
            bits.append(
                _("Not recorded")
                if extra.help_system == UNKNOWN
                else label(HelpSystemStatus(extra.help_system))
            )
        if extra.partner is not None:
            bits.append(label(extra.partner))
        if extra.follow_up is not None:
            bits.append(outcome_label(extra.follow_up))
        return _("Also: {conditions}").format(conditions=", ".join(bits)) if bits else ""

    # ------------------------------------------------------------------ the list

    def apply(self) -> None:
        """List the cases of the filter shown and count them, off the UI thread."""
        self._debounce.stop()
        case_filter = self.case_filter()
        self.extra_label.setText(self._describe_extra())
        start, end = case_filter.period_from, case_filter.period_to
        if start and end and start > end:
            self.error_line.show_error(
                _("The period ends before it begins. Choose a later last day.")
            )
            return
        self.error_line.clear()
        self.case_view.clear()
        self.count_label.setText(_("Counting…"))
        self._generation += 1
        generation, notebook = self._generation, self._notebook

        def job(_task: Task[_Listed]) -> _Listed:
            # Read into memory at the first filter and after an import (seconds at
            # 100,000 cases), then milliseconds per filter.
            index = case_index(notebook)
            rows = index.cases(case_filter, limit=PAGE)
            return generation, case_filter, index, rows, index.count(case_filter)

        # A newer filter supersedes one still waiting; one already running is dropped
        # when it returns (its generation is old).
        self._tasks.run(job, key="list", success=self._listed, failure=self.error_line.show_error)

    def _listed(self, outcome: _Listed) -> None:
        generation, case_filter, index, rows, count = outcome
        if generation != self._generation:
            return
        self.model.set_rows(case_filter, index, rows)
        self.listed.emit()
        self.count_label.setText(
            ngettext("{count} case", "{count} cases", count).format(count=count)
        )
        self.counted.emit(count)

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.case_view.load(self.model.row(row).id)

    def open_row(self, row: int) -> None:
        """Select row ``row`` and show its case."""
        self.table.selectRow(row)
        self._open_row(row)

    def stop(self) -> None:
        """Stop counting and writing, and forget what is shown (closing, or a lock)."""
        self._debounce.stop()
        self._tasks.cancel_all()
        self.case_view.stop()
        self.case_view.clear()
        self.model.clear()


# ---------------------------------------------------------------------- click-through


def chart_filter(board: DashboardWidget, chart: Chart, key: object) -> CaseFilter | None:
    """The cases behind bar or cell ``key`` of ``chart`` on the dashboard ``board``, for
    the period and counsellor of the figures shown (None: the chart counts contacts, not
    cases, or nothing is shown)."""
    figures = board.figures()
    if figures is None:
        return None
    base = CaseFilter(
        counsellor=figures.counsellor,
        period_from=figures.period_from,
        period_to=figures.period_to,
    )
    if chart is board.movement_chart and isinstance(key, tuple):
        first, latest = key
        return replace(base, first_level=LEVELS[first], level=LEVELS[latest])
    if not isinstance(key, int):
        return None
    if chart is board.contacts_chart:
        year, month = (int(part) for part in list(figures.contacts_per_month)[key].split("-"))
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return replace(
            base,
            period_from=max(start, base.period_from) if base.period_from else start,
            period_to=min(end, base.period_to) if base.period_to else end,
        )
    choices: dict[object, list[CaseFilter]] = {
        board.themes_chart: [replace(base, theme=theme) for theme in figures.themes],
        board.ages_chart: [
            replace(base, age_band=band) for band in [*(str(b) for b in AgeBand), UNKNOWN]
        ],
        board.help_chart: [
            replace(base, help_system=status)
            for status in [*(str(s) for s in HelpSystemStatus), UNKNOWN]
        ],
        board.alliances_chart: [replace(base, partner=partner) for partner in Partner],
        board.follow_ups_chart: [replace(base, follow_up=outcome) for outcome in FOLLOW_UP_HUES],
        board.concerns_chart: [replace(base, decision=decision) for decision in ConcernDecision],
    }
    listed = choices.get(chart)
    return listed[key] if listed is not None and 0 <= key < len(listed) else None


def connect_dashboard(board: DashboardWidget, show: Callable[[CaseFilter], object]) -> None:
    """Open the cases behind what is clicked on ``board`` with ``show``: a bar or a cell
    of its charts, a cell of its concern table, a counsellor's row of its overview."""
    for chart in board.charts:
        if chart is board.steps_chart:
            continue  # it counts contacts, not cases

        def clicked(key: object, chart: Chart = chart) -> None:
            case_filter = chart_filter(board, chart, key)
            if case_filter is not None:
                show(case_filter)

        chart.clickable = True
        chart.activated.connect(clicked)

    board.connect_case_list(lambda filters: show(case_filter_of(filters)))


def case_filter_of(filters: CaseFilters) -> CaseFilter:
    """The list's filter for what the oversight asked for (a concern cell, a counsellor's
    row of the overview)."""
    return CaseFilter(
        counsellor=filters.counsellor,
        period_from=filters.period_from,
        period_to=filters.period_to,
        concern=filters.signs,
        decision=filters.decision,
    )


class ReceivedCasesWindow(QDialog):
    """The supervisor's cases in their own window beside the main one (closed when the
    app locks, as every dialog of the main window is)."""

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Received cases"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.cases = ReceivedCasesWidget(notebook, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.cases, 1)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 160, metrics.lineSpacing() * 42)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            self.resize(self.size().boundedTo(screen.size() * 0.9))

    def show_filter(self, case_filter: CaseFilter) -> None:
        """List the cases of ``case_filter`` (a dashboard click)."""
        self.cases.show_filter(case_filter)

    def refresh(self) -> None:
        """List the cases again (after an import or a withdrawal), with the counsellors."""
        self.cases.refresh()

    def done(self, result: int) -> None:
        self.cases.stop()
        super().done(result)


__all__ = [
    "ReceivedCaseView",
    "ReceivedCasesModel",
    "ReceivedCasesWidget",
    "ReceivedCasesWindow",
    "chart_filter",
    "connect_dashboard",
    "received_case_html",
]
