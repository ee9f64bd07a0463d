"""The student's side: comments to answer (a to-do list), the reflection log of a case,
and the learning overview, together in one window (:class:`LearningWindow`).

Everything is read from the notebook when shown and stored at once when saved (one small
transaction each); the window forgets it all when it closes (also with the app's lock).
"""

from __future__ import annotations

import html
import itertools

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import Step, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.mentoring import (
    CommentStatus,
    CommentTodo,
    Reflection,
    RubricLevel,
    RubricRow,
    Subject,
    add_reflection,
    answer_comment,
    delete_reflection,
    learning_overview,
    level_label,
    open_comments,
    reflections,
    rubric_over_time,
    status_label,
    update_reflection,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.charts import Bar, HorizontalBarChart, TrendStripChart
from counsellor_app.gui.formatting import format_day
from counsellor_app.gui.forms import settle
from counsellor_app.gui.forms.ui_open_comments import Ui_OpenCommentsPanel
from counsellor_app.gui.forms.ui_reflection_log import Ui_ReflectionLog
from counsellor_app.gui.guard import AnonymityGuard, GuardStatus
from counsellor_app.gui.review import where_text
from counsellor_app.gui.widgets import (
    name_by_caption,
    plain_editor,
    show_error,
)


def _editor(accessible: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    return _lines(plain_editor(accessible, placeholder), lines)


def _lines(editor: QPlainTextEdit, lines: int = 3) -> QPlainTextEdit:
    """``editor`` (from a form, or :func:`_editor`) at least ``lines`` lines tall."""
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * lines + 12)
    return editor


# ---------------------------------------------------------------------- comments to answer


def todo_text(item: CommentTodo) -> str:
    """One line of the to-do list: case, where, who, the start of the comment."""
    comment = item.comment
    where = where_text(None, comment.conversation_number, comment.step)
    text = " ".join(comment.text.split())
    if len(text) > 90:
        text = text[:89] + "…"
    state = "" if comment.status is CommentStatus.OPEN else f" ({status_label(comment.status)})"
    return f"{item.case_code} · {where} — {comment.author}: {text}{state}"


class OpenCommentsPanel(QWidget):
    """The mentor's comments that wait for the student, oldest first: choose one, read
    it, write an answer, save it (it then leaves the list, unless answered ones are
    shown too)."""

    #: The student asks to see the comment's case in review mode (its id).
    open_case_requested = Signal(int)
    #: An answer was stored.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._items: list[CommentTodo] = []
        self.ui = Ui_OpenCommentsPanel()
        self.ui.setupUi(self)
        self.count_label = self.ui.count_label
        self.list = self.ui.list
        self.show_answered = self.ui.show_answered
        self.show_answered.toggled.connect(lambda _checked: self.reload())
        self.detail = self.ui.detail
        self.answer = _lines(self.ui.answer, 5)
        self.guard = AnonymityGuard(self.answer)
        self.guard_status = GuardStatus.below(self.answer, self.guard)
        name_by_caption(self.ui.list_caption)
        name_by_caption(self.ui.answer_caption)
        self.save_button = self.ui.save_button
        self.save_button.clicked.connect(self.save_answer)
        self.review_button = self.ui.review_button
        self.review_button.clicked.connect(self._request_case)
        self.list.currentRowChanged.connect(self._show_current)
        self.ui.splitter.setStretchFactor(0, 1)
        self.ui.splitter.setStretchFactor(1, 1)
        settle(self)
        for first, second in itertools.pairwise(
            [self.list, self.show_answered, self.detail, self.answer, self.save_button,
             self.review_button]
        ):  # fmt: skip
            QWidget.setTabOrder(first, second)
        self._show_current(-1)

    def load(self, notebook: Notebook) -> None:
        self._notebook = notebook
        self.guard.set_notebook(notebook)  # its kept words, and Ctrl+Alt+I stores in it
        self.reload()

    def reload(self, keep_row: int | None = None) -> None:
        if self._notebook is None:
            return
        row = self.list.currentRow() if keep_row is None else keep_row
        self._items = open_comments(self._notebook, include_answered=self.show_answered.isChecked())
        self.list.blockSignals(True)
        self.list.clear()
        for item in self._items:
            entry = QListWidgetItem(todo_text(item))
            entry.setToolTip(item.comment.text)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        waiting = sum(1 for item in self._items if item.comment.status is CommentStatus.OPEN)
        self.count_label.setText(
            ngettext(
                "{count} comment from your mentor waits for your answer.",
                "{count} comments from your mentor wait for your answer.",
                waiting,
            ).format(count=waiting)
            if waiting
            else _("No comment waits for your answer.")
        )
        if self._items:
            self.list.setCurrentRow(min(max(row, 0), len(self._items) - 1))
        self._show_current(self.list.currentRow())

    def clear(self) -> None:
        self._notebook = None
        self.guard.set_notebook(None)
        self._items = []
        self.list.clear()
        self.answer.clear()
        self.detail.clear()
        self.count_label.clear()

    def items(self) -> list[CommentTodo]:
        return list(self._items)

    def current(self) -> CommentTodo | None:
        row = self.list.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _show_current(self, _row: int) -> None:
        item = self.current()
        for widget in (self.answer, self.save_button, self.review_button):
            widget.setEnabled(item is not None)
        if item is None:
            self.detail.setText(html.escape(_("Choose a comment in the list.")))
            self.answer.clear()
            return
        comment = item.comment
        where = where_text(None, comment.conversation_number, comment.step)
        self.detail.setText(
            "<p><b>{}</b><br>{}</p><p>{}</p>".format(
                html.escape(f"{item.case_code} · {where}"),
                html.escape(
                    _("{author} wrote on {day}:").format(
                        author=comment.author, day=format_day(comment.created_at)
                    )
                ),
                html.escape(comment.text).replace("\n", "<br>"),
            )
        )
        self.answer.setPlainText(comment.answer)

    def save_answer(self) -> bool:
        """Store the answer to the chosen comment; True when stored."""
        item = self.current()
        if item is None or self._notebook is None:
            return False
        try:
            answer_comment(
                self._notebook,
                Subject.own(item.case_id),
                item.comment.uid,
                self.answer.toPlainText(),
            )
        except UserError as error:
            show_error(self, error)
            return False
        self.reload(keep_row=self.list.currentRow())
        self.changed.emit()
        return True

    def _request_case(self) -> None:
        item = self.current()
        if item is not None:
            self.open_case_requested.emit(item.case_id)


# ---------------------------------------------------------------------- reflection log


class ReflectionLog(QWidget):
    """The student's reflections on one case: dated entries of what worked, what I would
    do differently, what I want to learn. Choose an entry to change it; New entry starts
    an empty one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._case_id: int | None = None
        self._entries: list[Reflection] = []
        self.ui = Ui_ReflectionLog()
        self.ui.setupUi(self)
        self.entries = self.ui.entries
        self.worked = _lines(self.ui.worked)
        self.differently = _lines(self.ui.differently)
        self.learn = _lines(self.ui.learn)
        for field_caption in (
            self.ui.entries_caption,
            self.ui.worked_caption,
            self.ui.differently_caption,
            self.ui.learn_caption,
        ):
            name_by_caption(field_caption)
        self.guards = [AnonymityGuard(e) for e in (self.worked, self.differently, self.learn)]
        self.guard_status = GuardStatus.below(self.learn, *self.guards)
        self.new_button = self.ui.new_button
        self.new_button.clicked.connect(self.new_entry)
        self.save_button = self.ui.save_button
        self.save_button.clicked.connect(self.save)
        self.delete_button = self.ui.delete_button
        self.delete_button.clicked.connect(self.delete_selected)
        self.status = self.ui.status
        splitter = self.ui.splitter
        settle(self)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        self.entries.currentRowChanged.connect(self._show_entry)
        for first, second in itertools.pairwise(
            [self.entries, self.worked, self.differently, self.learn, self.new_button,
             self.save_button, self.delete_button]
        ):  # fmt: skip
            QWidget.setTabOrder(first, second)
        self._update_buttons()

    def load(self, notebook: Notebook, case_id: int) -> None:
        self._notebook, self._case_id = notebook, case_id
        for guard in self.guards:  # their kept words, and Ctrl+Alt+I stores in it
            guard.set_notebook(notebook)
        self.reload()
        self.new_entry()

    def reload(self, select_id: int | None = None) -> None:
        if self._notebook is None or self._case_id is None:
            return
        self._entries = reflections(self._notebook, self._case_id)
        self.entries.blockSignals(True)
        self.entries.clear()
        for entry in reversed(self._entries):  # newest first
            first = next(
                (t for t in (entry.worked, entry.differently, entry.learn) if t.strip()), ""
            )
            text = " ".join(first.split())
            item = QListWidgetItem(
                f"{format_day(entry.day)}: {text[:60]}{'…' if len(text) > 60 else ''}"
            )
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.entries.addItem(item)
            if entry.id == select_id:
                self.entries.setCurrentItem(item)
        self.entries.blockSignals(False)
        self._update_buttons()

    def clear(self) -> None:
        self._notebook = self._case_id = None
        for guard in self.guards:
            guard.set_notebook(None)
        self._entries = []
        self.entries.clear()
        for editor in (self.worked, self.differently, self.learn):
            editor.clear()
        self.status.clear()
        self._update_buttons()

    def reflections(self) -> list[Reflection]:
        return list(self._entries)

    def selected(self) -> Reflection | None:
        item = self.entries.currentItem()
        if item is None or not item.isSelected():
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self._entries if e.id == wanted), None)

    def _show_entry(self, _row: int) -> None:
        entry = self.selected()
        if entry is not None:
            self.worked.setPlainText(entry.worked)
            self.differently.setPlainText(entry.differently)
            self.learn.setPlainText(entry.learn)
            self.status.say(
                _("Entry of {day}: change it and save.").format(day=format_day(entry.day))
            )
        self._update_buttons()

    def new_entry(self) -> None:
        """Empty fields for a new entry of today."""
        self.entries.clearSelection()
        self.entries.setCurrentRow(-1)
        for editor in (self.worked, self.differently, self.learn):
            editor.clear()
        self.status.say(_("A new entry for today."))
        self._update_buttons()
        self.worked.setFocus()

    def save(self) -> Reflection | None:
        """Store the fields: as a new entry, or as the changed entry chosen."""
        if self._notebook is None or self._case_id is None:
            return None
        texts = (
            self.worked.toPlainText(),
            self.differently.toPlainText(),
            self.learn.toPlainText(),
        )
        entry = self.selected()
        try:
            if entry is None:
                saved = add_reflection(self._notebook, self._case_id, *texts)
            else:
                saved = update_reflection(self._notebook, entry.id, *texts)
        except UserError as error:
            self.status.show_error(str(error))
            return None
        self.reload(select_id=saved.id)
        self.status.say(_("Saved."))
        self.changed.emit()
        return saved

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None or self._notebook is None:
            return
        answer = QMessageBox.question(
            self, _("Delete the entry?"), _("Delete this reflection for good?")
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_reflection(self._notebook, entry.id)
        except UserError as error:
            show_error(self, error)
            return
        self.reload()
        self.new_entry()
        self.changed.emit()

    def _update_buttons(self) -> None:
        loaded = self._case_id is not None
        selected = self.selected() is not None
        for widget in (self.worked, self.differently, self.learn, self.new_button):
            widget.setEnabled(loaded)
        self.save_button.setEnabled(loaded)
        self.save_button.setText(_("&Save changes") if selected else _("&Save entry"))
        self.delete_button.setEnabled(selected)


# ---------------------------------------------------------------------- learning overview


#: The rubric table's columns after date, case and contact: the four steps in order.
RUBRIC_STEPS = (Step.LISTEN, Step.ADVISE, Step.ALLIANCES, Step.FOLLOW_UP)


class LearningOverviewPanel(QWidget):
    """The student's learning at a glance: cases reviewed, sign-offs the case has
    outgrown, comments open and answered, the mentor's rubric over time (a table: one
    row per contact rated, by date, a column per step), which steps the feedback
    concerns (a small chart), themes met so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self.figures: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        captions = {
            "reviewed": _("Cases reviewed (signed off)"),
            "outdated": _("Sign-offs outdated"),
            "comments": _("Comments"),
            "reflections": _("Reflections written"),
            "last": _("Last sign-off"),
        }
        for row, (key, caption) in enumerate(captions.items()):
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption)
            name = QLabel(caption + ":")
            name.setBuddy(value)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.figures[key] = value
        self.figures["outdated"].setWordWrap(True)
        self.rubric_rows: list[RubricRow] = []
        self.rubric_table = QTableWidget(0, 3 + len(RUBRIC_STEPS))
        self.rubric_table.setHorizontalHeaderLabels(
            [_("Date"), _("Case"), _("Contact")] + [label(step) for step in RUBRIC_STEPS]
        )
        self.rubric_table.setAccessibleName(_("The mentor's rubric over time"))
        self.rubric_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rubric_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rubric_table.verticalHeader().setVisible(False)
        self.rubric_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.rubric_empty = QLabel(_("Your mentor has not filled in a rubric yet."))
        rubric_caption = QLabel("<b>{}</b>".format(html.escape(_("The mentor's rubric over time"))))
        rubric_caption.setBuddy(self.rubric_table)
        # Beside the table, each step's levels in time order at a glance (taller is better).
        self.rubric_chart = TrendStripChart(
            _("The mentor's rubric over time"),
            _("Your mentor has not filled in a rubric yet."),
            len(RubricLevel),
        )
        self.steps_chart = HorizontalBarChart(
            _("Which steps the feedback concerns"), _("No comments yet.")
        )
        self.themes = QLabel()
        self.themes.setWordWrap(True)
        self.themes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.themes.setAccessibleName(_("Themes met so far"))
        themes_caption = QLabel("<b>{}</b>".format(html.escape(_("Themes met so far"))))
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(rubric_caption)
        layout.addWidget(self.rubric_empty)
        rubric_row = QHBoxLayout()
        rubric_row.addWidget(self.rubric_table, 3)
        rubric_row.addWidget(self.rubric_chart, 2, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(rubric_row, 1)
        layout.addWidget(self.steps_chart)
        layout.addWidget(themes_caption)
        layout.addWidget(self.themes)

    def load(self, notebook: Notebook) -> None:
        self._notebook = notebook
        self.reload()

    def reload(self) -> None:
        if self._notebook is None:
            return
        overview = learning_overview(self._notebook)
        self.figures["reviewed"].setText(
            _("{reviewed} of {cases} cases").format(
                reviewed=overview.cases_reviewed, cases=overview.cases
            )
        )
        self.figures["comments"].setText(
            _("{open} open, {answered} answered, {resolved} resolved").format(
                open=overview.comments_open,
                answered=overview.comments_answered,
                resolved=overview.comments_resolved,
            )
        )
        self.figures["outdated"].setText(
            "; ".join(
                _("{code}, signed off {day}: the case has changed since").format(
                    code=code, day=format_day(record.day)
                )
                for _case_id, code, record in overview.outdated
            )
            or _("none")
        )
        self._fill_rubric(rubric_over_time(self._notebook))
        self.figures["reflections"].setText(str(overview.reflections))
        self.figures["last"].setText(
            format_day(overview.last_sign_off) if overview.last_sign_off else _("none yet")
        )
        bars = [
            Bar(label(step) if isinstance(step, Step) else _("The contact as a whole"), count)
            for step, count in overview.steps
        ]
        self.steps_chart.set_bars(bars)
        tax = taxonomy()
        themes = [
            _("{theme} ({count})").format(theme=tax.label("themes", theme), count=count)
            for theme, count in overview.themes
        ]
        self.themes.setText(", ".join(themes) if themes else _("No themes chosen yet."))

    def _fill_rubric(self, rows: list[RubricRow]) -> None:
        self.rubric_rows = rows
        table = self.rubric_table
        table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = [format_day(row.day), row.case_code, str(row.conversation_number)]
            for column, text in enumerate(cells):
                table.setItem(index, column, QTableWidgetItem(text))
            for column, step in enumerate(RUBRIC_STEPS, start=len(cells)):
                rating = row.ratings.get(step)
                item = QTableWidgetItem(
                    level_label(rating.level) if rating and rating.level else "–"
                )
                if rating is not None and rating.note:
                    item.setToolTip(f"{rating.author}: {rating.note}")
                table.setItem(index, column, item)
        table.setVisible(bool(rows))
        self.rubric_chart.setVisible(bool(rows))
        self.rubric_empty.setVisible(not rows)
        strips, said = [], []
        for step in RUBRIC_STEPS:
            levels = [row.ratings[step].level if step in row.ratings else None for row in rows]
            strips.append((label(step), [level.score if level else None for level in levels]))
            words = " → ".join(level_label(level) for level in levels if level is not None)
            said.append(f"{label(step)}: {words or '–'}")
        words = "; ".join(said)
        self.rubric_chart.set_rows(strips, words)

    def rubric_cell(self, row: int, step: Step) -> str:
        """The level shown for ``step`` in ``row`` of the rubric table (for tests)."""
        item = self.rubric_table.item(row, 3 + RUBRIC_STEPS.index(step))
        return item.text() if item is not None else ""

    def clear(self) -> None:
        self._notebook = None
        for value in self.figures.values():
            value.clear()
        self.rubric_table.setRowCount(0)
        self.rubric_chart.set_rows([], "")
        self.rubric_rows = []
        self.steps_chart.set_bars([])
        self.themes.clear()


# ---------------------------------------------------------------------- the window


class LearningWindow(QDialog):
    """The student's learning: comments to answer, the reflection log of a case, the
    learning overview. Not modal; forgets everything when closed (and with the lock)."""

    #: The student asks for a case in review mode (its id).
    open_case_requested = Signal(int)

    COMMENTS, REFLECTIONS, OVERVIEW = range(3)

    def __init__(
        self, notebook: Notebook, case_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self.setWindowTitle(_("Learning"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.comments = OpenCommentsPanel()
        self.comments.open_case_requested.connect(self.open_case_requested)
        self.reflection_log = ReflectionLog()
        self.case_choice = QComboBox()
        self.case_choice.setAccessibleName(_("Case"))
        case_caption = QLabel(_("C&ase"))
        case_caption.setBuddy(self.case_choice)
        for summary in notebook.search():
            self.case_choice.addItem(summary.code, summary.id)
        self.case_choice.currentIndexChanged.connect(self._case_chosen)
        reflections_page = QWidget()
        page_layout = QVBoxLayout(reflections_page)
        chooser = QHBoxLayout()
        chooser.addWidget(case_caption)
        chooser.addWidget(self.case_choice)
        chooser.addStretch(1)
        page_layout.addLayout(chooser)
        page_layout.addWidget(self.reflection_log, 1)
        self.overview = LearningOverviewPanel()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Learning"))
        self.tabs.addTab(self.comments, _("&Comments to answer"))
        self.tabs.addTab(reflections_page, _("&Reflection log"))
        self.tabs.addTab(self.overview, _("Learning &overview"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.comments.changed.connect(self.overview.reload)
        self.reflection_log.changed.connect(self.overview.reload)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.comments.load(notebook)
        self.overview.load(notebook)
        self.choose_case(case_id)
        metrics = self.fontMetrics()
        self.resize(QSize(metrics.averageCharWidth() * 120, metrics.lineSpacing() * 36))

    def choose_case(self, case_id: int | None) -> None:
        """Show the reflection log of ``case_id`` (the first case when None)."""
        index = self.case_choice.findData(case_id) if case_id is not None else 0
        if index < 0:
            index = 0
        if self.case_choice.count() == 0:
            self.reflection_log.clear()
            return
        if index == self.case_choice.currentIndex():
            self._case_chosen(index)
        else:
            self.case_choice.setCurrentIndex(index)

    def _case_chosen(self, index: int) -> None:
        case_id = self.case_choice.itemData(index)
        if case_id is not None:
            self.reflection_log.load(self._notebook, int(case_id))

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        if index == self.OVERVIEW:
            self.overview.reload()
        elif index == self.COMMENTS:
            self.comments.reload()

    def done(self, result: int) -> None:
        self.comments.clear()
        self.reflection_log.clear()
        self.overview.clear()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.comments.clear()
        self.reflection_log.clear()
        super().closeEvent(event)


__all__ = [
    "LearningOverviewPanel",
    "LearningWindow",
    "OpenCommentsPanel",
    "ReflectionLog",
]
