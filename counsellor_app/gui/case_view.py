"""The case view: a case's conversations, wellbeing trajectory, alliances and follow-ups.

Everything shown here is read from the notebook on :meth:`CaseView.load` and forgotten
on :meth:`CaseView.clear` (the app calls it when it locks). The few edits made here
(status, alliances, follow-ups) are single small transactions, stored at once.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QLocale, QObject, QSize, Qt, Signal
from PySide6.QtGui import (
    QActionGroup,
    QFont,
    QFontMetrics,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import (
    CODE_ALPHABET,
    CODE_PREFIX,
    Alliance,
    AllianceStatus,
    CaseStatus,
    Consent,
    Conversation,
    FollowUp,
    Partner,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, current_language
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.charts import WellbeingChart
from counsellor_app.gui.formatting import format_day, format_duration, format_moment
from counsellor_app.gui.guard import AnonymityGuard
from counsellor_app.gui.widgets import (
    form_caption,
    plain_editor,
    pydate,
    qdate,
    save_cancel_buttons,
    show_error,
)

E = TypeVar("E", bound=StrEnum)

#: Days ahead a new follow-up is due unless the counsellor chooses otherwise.
FOLLOW_UP_DAYS_AHEAD = 7


def _enum_combo(values: type[StrEnum], current: StrEnum | None = None) -> QComboBox:
    combo = QComboBox()
    for value in values:
        combo.addItem(label(value), value.value)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current.value)))
    return combo


def _combo_value(combo: QComboBox, kind: type[E]) -> E:
    """The enum chosen in ``combo`` (Qt hands a StrEnum's data back as a plain str)."""
    return kind(combo.currentData())


def _select_data(combo: QComboBox, value: StrEnum) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value.value)))


def _plain_editor(accessible_name: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    """A short note field of about ``lines`` lines (Tab moves on, as in a form)."""
    editor = plain_editor(accessible_name, placeholder)
    line = editor.fontMetrics().lineSpacing()
    margins = 2 * (editor.frameWidth() + int(editor.document().documentMargin())) + 4
    editor.setMinimumHeight(line * lines + margins)
    editor.setMaximumHeight(line * (lines + 2) + margins)
    return editor


def _fit_tree_height(tree: QTreeWidget) -> None:
    """Make a short list as tall as its rows (two to six), plus a scroll bar if needed."""
    rows = min(max(tree.topLevelItemCount(), 2), 6)
    row = max(tree.sizeHintForRow(0), tree.fontMetrics().lineSpacing() + 6)
    height = tree.header().sizeHint().height() + rows * row + 2 * tree.frameWidth() + 4
    if tree.header().length() > tree.width() - 2 * tree.frameWidth():
        height += tree.horizontalScrollBar().sizeHint().height()
    if tree.height() != height:
        tree.setFixedHeight(height)


class _CaseListPanel(QWidget):
    """A short list of a case's records with Add and Edit buttons and one add/edit dialog.

    Subclasses set the dialog class, add their own buttons and describe the rows.
    """

    #: A record was added or changed (and is stored).
    changed = Signal()

    #: The add/edit dialog class: ``Dialog(notebook, case_id, record, parent)``.
    DIALOG_CLASS: type[QDialog] = QDialog
    #: How many leading columns are sized to their contents.
    RESIZED_COLUMNS = 0

    def __init__(self, accessible_name: str, headers: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._case_id: int | None = None
        self._records: list[Any] = []
        #: The add/edit dialog while it is open (for tests and for closing on lock).
        self.dialog: Any = None

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(accessible_name)
        self.tree.setHeaderLabels(headers)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(lambda *_args: self.edit_selected())
        self.tree.itemSelectionChanged.connect(self._update_buttons)

    def _finish(self, notebook: Notebook | None, case_id: int | None, *row: QPushButton) -> None:
        """Lay out the list over its buttons (in tab order) and load the case if given."""
        buttons = QHBoxLayout()
        for widget in row:
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        previous: QWidget = self.tree
        for widget in row:
            QWidget.setTabOrder(previous, widget)
            previous = widget
        self._fit_height()
        if notebook is not None and case_id is not None:
            self.load(notebook, case_id)
        else:
            self._update_buttons()

    # -------------------------------------------------------------- data

    def _fetch(self, notebook: Notebook, case_id: int) -> list[Any]:
        raise NotImplementedError

    def _items(self, records: list[Any]) -> list[QTreeWidgetItem]:
        raise NotImplementedError

    def load(self, notebook: Notebook, case_id: int) -> None:
        self._notebook = notebook
        self._case_id = case_id
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        if self._notebook is None or self._case_id is None:
            return
        if select_id is None:
            current = self.selected()
            select_id = current.id if current else None
        self._records = self._fetch(self._notebook, self._case_id)
        self.tree.clear()
        for record, item in zip(self._records, self._items(self._records), strict=True):
            item.setData(0, Qt.ItemDataRole.UserRole, record.id)
            self.tree.addTopLevelItem(item)
            if record.id == select_id:
                self.tree.setCurrentItem(item)
        for column in range(self.RESIZED_COLUMNS):
            self.tree.resizeColumnToContents(column)
        self._fit_height()
        self._update_buttons()

    def clear(self) -> None:
        """Forget the case: the list, the notebook, and any open dialog."""
        dialog, self.dialog = self.dialog, None
        self._notebook = None
        self._case_id = None
        self._records = []
        if dialog is not None:
            dialog.reject()
        self.tree.clear()
        self._update_buttons()

    def selected(self) -> Any:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            return None
        record_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((r for r in self._records if r.id == record_id), None)

    def select(self, record_id: int) -> None:
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == record_id:
                self.tree.setCurrentItem(item)
                item.setSelected(True)
                return

    # -------------------------------------------------------------- actions

    def add(self) -> Any:
        return self._open(None)

    def edit_selected(self) -> Any:
        record = self.selected()
        return self._open(record) if record else None

    def _open(self, record: Any) -> Any:
        if self._notebook is None or self._case_id is None or self.dialog is not None:
            return None
        dialog = self.DIALOG_CLASS(self._notebook, self._case_id, record, self)  # type: ignore[call-arg]
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, dialog: Any) -> None:
        self.reload(dialog.saved.id if dialog.saved else None)
        self.changed.emit()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        if self._case_id is not None:
            self.tree.setFocus()

    def _update_buttons(self) -> None:
        raise NotImplementedError

    def _fit_height(self) -> None:
        _fit_tree_height(self.tree)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        _fit_tree_height(self.tree)


# ---------------------------------------------------------------------- alliances


class AllianceDialog(QDialog):
    """Add or edit one alliance: partner, role, what was agreed, consent, status."""

    def __init__(
        self,
        notebook: Notebook,
        case_id: int,
        alliance: Alliance | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case_id = case_id
        self._alliance = alliance
        #: The alliance as stored, once saved.
        self.saved: Alliance | None = None
        self.setWindowTitle(_("Edit alliance") if alliance else _("Add alliance"))
        self.partner = _enum_combo(Partner, alliance.partner if alliance else None)
        self.role = QLineEdit(alliance.role if alliance else "")
        self.role.setPlaceholderText(_("For example: class teacher, PPR psychologist"))
        self.agreed = _plain_editor(
            _("What was agreed"), _("What was agreed? No names or other identities."), lines=4
        )
        self.agreed.setPlainText(alliance.agreed if alliance else "")
        self.guard = AnonymityGuard(self.agreed)
        self.consent = _enum_combo(Consent, alliance.consent if alliance else None)
        self.status = _enum_combo(AllianceStatus, alliance.status if alliance else None)
        form = QFormLayout(self)
        form.addRow(form_caption(_("&Partner"), self.partner), self.partner)
        form.addRow(form_caption(_("&Role"), self.role), self.role)
        form.addRow(form_caption(_("What was &agreed"), self.agreed), self.agreed)
        form.addRow(form_caption(_("&Consent"), self.consent), self.consent)
        form.addRow(form_caption(_("&Status"), self.status), self.status)
        self.buttons = save_cancel_buttons(self, self.save)
        form.addRow(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.partner.setFocus()

    def save(self) -> None:
        alliance = Alliance(
            case_id=self._case_id,
            partner=_combo_value(self.partner, Partner),
            id=self._alliance.id if self._alliance else None,
            role=self.role.text().strip(),
            agreed=self.agreed.toPlainText().strip(),
            consent=_combo_value(self.consent, Consent),
            status=_combo_value(self.status, AllianceStatus),
        )
        try:
            self.saved = self._notebook.save_alliance(alliance)
        except UserError as error:
            show_error(self, error)
            return
        self.accept()


class AlliancesPanel(_CaseListPanel):
    """A case's alliances, with Add (Ctrl+Shift+A), Edit and a status change."""

    COLUMNS = 5
    RESIZED_COLUMNS = COLUMNS - 1
    DIALOG_CLASS = AllianceDialog

    def __init__(
        self,
        notebook: Notebook | None = None,
        case_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            _("Alliances"),
            [_("Partner"), _("Status"), _("Consent"), _("Role"), _("What was agreed")],
            parent,
        )
        self.add_button = QPushButton(_("Add a&lliance…"))
        self.add_button.setAccessibleName(_("Add alliance"))
        self.add_button.setToolTip(_("Add alliance") + " (Ctrl+Shift+A)")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("&Edit alliance…"))
        self.edit_button.setAccessibleName(_("Edit alliance"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.status_button = QPushButton(_("Alliance stat&us"))
        self.status_button.setAccessibleName(_("Change the alliance's status"))
        self.status_menu = QMenu(self.status_button)
        group = QActionGroup(self.status_menu)
        self.status_actions = {}
        for status in AllianceStatus:
            action = self.status_menu.addAction(label(status))
            action.setCheckable(True)
            action.setData(status.value)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, s=status: self.set_selected_status(s))
            self.status_actions[status] = action
        self.status_button.setMenu(self.status_menu)
        self._finish(notebook, case_id, self.add_button, self.edit_button, self.status_button)

    # -------------------------------------------------------------- data

    def _fetch(self, notebook: Notebook, case_id: int) -> list[Alliance]:
        return notebook.alliances(case_id)

    def _items(self, records: list[Alliance]) -> list[QTreeWidgetItem]:
        items = []
        for alliance in records:
            item = QTreeWidgetItem(
                [
                    label(alliance.partner),
                    label(alliance.status),
                    label(alliance.consent),
                    alliance.role,
                    " ".join(alliance.agreed.split()),
                ]
            )
            item.setToolTip(4, alliance.agreed)
            items.append(item)
        return items

    def alliances(self) -> list[Alliance]:
        """The alliances shown, in order."""
        return list(self._records)

    # -------------------------------------------------------------- actions

    def set_selected_status(self, status: AllianceStatus) -> None:
        alliance = self.selected()
        if alliance is None or self._notebook is None or alliance.status == status:
            self._update_buttons()
            return
        alliance.status = status
        try:
            self._notebook.save_alliance(alliance)
        except UserError as error:
            show_error(self, error)
        self.reload(alliance.id)
        self.changed.emit()

    def _update_buttons(self) -> None:
        loaded = self._case_id is not None
        alliance = self.selected()
        self.add_button.setEnabled(loaded)
        self.edit_button.setEnabled(alliance is not None)
        self.status_button.setEnabled(alliance is not None)
        for status, action in self.status_actions.items():
            action.setChecked(alliance is not None and alliance.status == status)


# ---------------------------------------------------------------------- follow-ups


def follow_up_summary(follow_up: FollowUp) -> str:
    """Who does what before the next contact, on one line."""
    parts = []
    for caption, text in (
        (_("Counsellor"), follow_up.counsellor_task),
        (_("Parent"), follow_up.parent_task),
        (_("Others"), follow_up.others_task),
    ):
        if text.strip():
            parts.append(f"{caption}: {' '.join(text.split())}")
    return "; ".join(parts)


class FollowUpDialog(QDialog):
    """Add or edit a follow-up: when the next contact is due and who does what before."""

    def __init__(
        self,
        notebook: Notebook,
        case_id: int,
        follow_up: FollowUp | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case_id = case_id
        self._follow_up = follow_up
        #: The conversation a new follow-up is agreed in (set by the panel during a call).
        self.conversation_id = follow_up.conversation_id if follow_up else None
        #: The follow-up as stored, once saved.
        self.saved: FollowUp | None = None
        self.setWindowTitle(_("Edit follow-up") if follow_up else _("Add follow-up"))
        due = follow_up.due if follow_up else date.today() + timedelta(days=FOLLOW_UP_DAYS_AHEAD)
        self.due = QDateEdit(qdate(due))
        self.due.setCalendarPopup(True)
        locale = QLocale(QLocale.Language.Danish if current_language() == "da" else "en_GB")
        self.due.setLocale(locale)
        self.due.setDisplayFormat(locale.dateFormat(QLocale.FormatType.ShortFormat))
        self.counsellor_task = _plain_editor(
            _("What the counsellor will do"), _("For example: call back, send information")
        )
        self.parent_task = _plain_editor(_("What the parent will do"))
        self.others_task = _plain_editor(_("What others will do"))
        self.guards = []
        for editor, text in (
            (self.counsellor_task, follow_up.counsellor_task if follow_up else ""),
            (self.parent_task, follow_up.parent_task if follow_up else ""),
            (self.others_task, follow_up.others_task if follow_up else ""),
        ):
            editor.setPlainText(text)
            self.guards.append(AnonymityGuard(editor))
        form = QFormLayout(self)
        form.addRow(form_caption(_("&Due"), self.due), self.due)
        form.addRow(
            form_caption(_("The &counsellor will"), self.counsellor_task), self.counsellor_task
        )
        form.addRow(form_caption(_("The &parent will"), self.parent_task), self.parent_task)
        form.addRow(form_caption(_("&Others will"), self.others_task), self.others_task)
        self.due.setAccessibleName(_("Due date"))
        self.counsellor_task.setAccessibleName(_("What the counsellor will do"))
        self.parent_task.setAccessibleName(_("What the parent will do"))
        self.others_task.setAccessibleName(_("What others will do"))
        self.buttons = save_cancel_buttons(self, self.save)
        form.addRow(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.due.setFocus()

    def save(self) -> None:
        follow_up = FollowUp(
            case_id=self._case_id,
            due=pydate(self.due.date()),
            id=self._follow_up.id if self._follow_up else None,
            counsellor_task=self.counsellor_task.toPlainText().strip(),
            parent_task=self.parent_task.toPlainText().strip(),
            others_task=self.others_task.toPlainText().strip(),
            done=self._follow_up.done if self._follow_up else False,
            conversation_id=self.conversation_id,
        )
        try:
            self.saved = self._notebook.save_follow_up(follow_up)
        except UserError as error:
            show_error(self, error)
            return
        self.accept()


class FollowUpsPanel(_CaseListPanel):
    """A case's follow-ups: due date, who does what, done; Add, Edit and Mark done."""

    RESIZED_COLUMNS = 2
    DIALOG_CLASS = FollowUpDialog

    def __init__(
        self,
        notebook: Notebook | None = None,
        case_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Follow-ups"), [_("Due"), _("State"), _("Who does what")], parent)
        self.add_button = QPushButton(_("Add &follow-up…"))
        self.add_button.setAccessibleName(_("Add follow-up"))
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton(_("Ed&it follow-up…"))
        self.edit_button.setAccessibleName(_("Edit follow-up"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.done_button = QPushButton(_("&Mark done"))
        self.done_button.setAccessibleName(_("Mark done"))
        self.done_button.clicked.connect(self.toggle_done)
        #: During a call: the conversation a follow-up added here is agreed in.
        self.conversation_id: int | None = None
        self._finish(notebook, case_id, self.add_button, self.edit_button, self.done_button)

    def add(self) -> FollowUpDialog | None:
        dialog = super().add()
        if isinstance(dialog, FollowUpDialog):
            dialog.conversation_id = self.conversation_id
        return dialog

    # -------------------------------------------------------------- data

    def _fetch(self, notebook: Notebook, case_id: int) -> list[FollowUp]:
        return notebook.follow_ups(case_id)

    def _items(self, records: list[FollowUp]) -> list[QTreeWidgetItem]:
        items = []
        today = date.today()
        for follow_up in records:
            if follow_up.done:
                state = _("Done")
            elif follow_up.due < today:
                state = _("Overdue")
            elif follow_up.due == today:
                state = _("Today")
            else:
                state = _("Open")
            summary = follow_up_summary(follow_up)
            item = QTreeWidgetItem([format_day(follow_up.due), state, summary])
            item.setToolTip(2, summary)
            if follow_up.done:
                item.setForeground(
                    2, self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
                )
            elif follow_up.due < today:
                font = QFont(self.tree.font())
                font.setBold(True)
                item.setFont(1, font)
            items.append(item)
        return items

    def follow_ups(self) -> list[FollowUp]:
        """The follow-ups shown, in order (by due date)."""
        return list(self._records)

    # -------------------------------------------------------------- actions

    def toggle_done(self) -> None:
        """Mark the selected follow-up done, or not done again."""
        follow_up = self.selected()
        if follow_up is None or follow_up.id is None or self._notebook is None:
            return
        try:
            self._notebook.mark_follow_up_done(follow_up.id, not follow_up.done)
        except UserError as error:
            show_error(self, error)
        self.reload(follow_up.id)
        self.changed.emit()

    def _update_buttons(self) -> None:
        follow_up = self.selected()
        self.add_button.setEnabled(self._case_id is not None)
        self.edit_button.setEnabled(follow_up is not None)
        self.done_button.setEnabled(follow_up is not None)
        text = _("&Mark not done") if follow_up and follow_up.done else _("&Mark done")
        self.done_button.setText(text)
        self.done_button.setAccessibleName(text.replace("&", ""))


# ---------------------------------------------------------------------- the case view


class _SideScroll(QScrollArea):
    """A vertical scroll area never narrower than what it holds: without a horizontal
    scroll bar, anything wider than the space left beside the vertical one would be cut
    off (the last button of a row, "Mark done")."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        margins = self.contentsMargins()
        width = (
            widget.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + margins.left()
            + margins.right()
        )
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (QScrollArea already filters its widget's events.) When a button's text grows
        # ("Mark not done", another language), the area grows with it.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


def code_width(metrics: QFontMetrics, code: str = "") -> int:
    """Room for ``code`` and for any code of the usual length, so that the header does
    not move (or clip the code) from one case to the next."""
    widest = max(CODE_ALPHABET, key=metrics.horizontalAdvance)
    usual = metrics.horizontalAdvance(CODE_PREFIX + widest * 4)
    # A little more than the advance: some fonts draw the last letter past it.
    return max(usual, metrics.horizontalAdvance(code)) + metrics.averageCharWidth()


def conversations_html(
    conversations: Sequence[Conversation], follow_ups: Sequence[FollowUp] = ()
) -> str:
    """The timeline of a case, newest first, as escaped rich text; under each conversation
    the follow-ups agreed in it."""
    if not conversations:
        return "<p><i>{}</i></p>".format(html.escape(_("No conversations yet.")))
    parts = []
    numbered = list(enumerate(conversations, start=1))
    for number, conversation in reversed(numbered):
        facts = [
            format_moment(conversation.started_at),
            label(conversation.channel),
        ]
        minutes = format_duration(conversation.duration_seconds)
        if minutes:
            facts.append(minutes)
        level = conversation.overall_wellbeing()
        if level is not None:
            facts.append(_("wellbeing: {level}").format(level=label(level)))
        heading = _("Contact {number}").format(number=number)
        parts.append(f"<h3>{html.escape(heading)}</h3><p>{html.escape(' · '.join(facts))}</p>")
        steps = conversation.steps_covered()
        if not steps:
            parts.append("<p><i>{}</i></p>".format(html.escape(_("No notes."))))
        for step in steps:
            text = conversation.notes.get(step, "").strip()
            parts.append(
                f"<p><b>{html.escape(label(step))}</b></p>"
                f'<p style="white-space: pre-wrap; margin-left: 12px">{html.escape(text)}</p>'
            )
        for follow_up in follow_ups:
            if follow_up.conversation_id == conversation.id:
                agreed = _("Follow-up agreed, due {day}").format(day=format_day(follow_up.due))
                summary = follow_up_summary(follow_up)
                parts.append(
                    f"<p><b>{html.escape(agreed)}</b>"
                    + (f": {html.escape(summary)}" if summary else "")
                    + "</p>"
                )
        parts.append("<hr/>")
    return "".join(parts[:-1])


class CaseView(QWidget):
    """One case: its status and themes, its conversations (newest first), the wellbeing
    trajectory, alliances, follow-ups, and the history of status changes and concerns."""

    #: The counsellor asks to start a new conversation on this case (its id).
    start_conversation_requested = Signal(int)
    #: The counsellor asks to record a concern for this case (its id).
    concern_requested = Signal(int)
    #: Something on the case was stored from this view (status, alliance, follow-up).
    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._case_id: int | None = None

        # Header: code, status, themes, the two actions.
        self.code_label = QLabel()
        code_font = QFont(self.font())
        code_font.setBold(True)
        code_font.setPointSizeF(code_font.pointSizeF() * 1.4)
        self.code_label.setFont(code_font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Wide enough for a code before one is shown: a window drawn before the layout
        # catches up with a new code (a grab, a slow machine) showed "K" alone.
        self.code_label.setMinimumWidth(code_width(self.code_label.fontMetrics()))
        self.code_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.status_combo = _enum_combo(CaseStatus)
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        status_caption = form_caption(_("Case s&tatus"), self.status_combo)
        self.status_combo.currentIndexChanged.connect(self._status_chosen)
        self.themes_label = QLabel()
        self.themes_label.setWordWrap(True)
        self.new_conversation_button = QPushButton(_("&New conversation on this case"))
        self.new_conversation_button.setAccessibleName(_("New conversation on this case"))
        self.new_conversation_button.clicked.connect(self._request_conversation)
        self.concern_button = QPushButton(_("Record &concern…"))
        self.concern_button.setAccessibleName(_("Record concern"))
        self.concern_button.clicked.connect(self._request_concern)

        header_top = QHBoxLayout()
        header_top.addWidget(self.code_label)
        header_top.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        header_top.addWidget(status_caption)
        header_top.addWidget(self.status_combo)
        header_top.addStretch(1)
        header_top.addWidget(self.new_conversation_button)
        header_top.addWidget(self.concern_button)

        # Left: the conversations.
        self.timeline = QTextBrowser()
        self.timeline.setAccessibleName(_("Conversations, newest first"))
        self.timeline.setOpenLinks(False)
        self.timeline.setTabChangesFocus(True)
        timeline_box = QGroupBox(_("Conversations"))
        QVBoxLayout(timeline_box).addWidget(self.timeline)

        # Right: chart, alliances, follow-ups, history, in a scroll area.
        self.chart = WellbeingChart()
        self.alliances = AlliancesPanel()
        self.follow_ups = FollowUpsPanel()
        self.history = QListWidget()
        self.history.setAccessibleName(_("Status changes and concerns"))
        self.history.setWordWrap(True)
        self.alliances.changed.connect(self._panel_changed)
        self.follow_ups.changed.connect(self._panel_changed)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        for title, widget in (
            (_("Wellbeing across contacts"), self.chart),
            (_("Alliances"), self.alliances),
            (_("Follow-ups"), self.follow_ups),
            (_("Status changes and concerns"), self.history),
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            side_layout.addWidget(box)
        self.history.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        side_layout.addStretch(1)
        self.side_scroll = _SideScroll()
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setWidget(side)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Tab goes to the controls inside, and the area scrolls to show them.
        self.side_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(timeline_box)
        self.splitter.addWidget(self.side_scroll)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)

        layout = QVBoxLayout(self)
        layout.addLayout(header_top)
        layout.addWidget(self.themes_label)
        layout.addWidget(self.splitter, 1)

        chain: list[QWidget] = [
            self.status_combo,
            self.new_conversation_button,
            self.concern_button,
            self.timeline,
            self.chart,
            self.alliances.tree,
            self.alliances.add_button,
            self.alliances.edit_button,
            self.alliances.status_button,
            self.follow_ups.tree,
            self.follow_ups.add_button,
            self.follow_ups.edit_button,
            self.follow_ups.done_button,
            self.history,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.clear()

    # -------------------------------------------------------------- loading

    @property
    def case_id(self) -> int | None:
        """The case shown, or None."""
        return self._case_id

    def load(self, notebook: Notebook, case_id: int) -> None:
        """Show case ``case_id`` of ``notebook``."""
        self._notebook = notebook
        self._case_id = case_id
        self.alliances.load(notebook, case_id)
        self.follow_ups.load(notebook, case_id)
        self.reload()

    def reload(self) -> None:
        """Read the case again (after a conversation or a concern was stored elsewhere)."""
        if self._notebook is None or self._case_id is None:
            return
        self._load_header()
        conversations = self._notebook.conversations(self._case_id)
        scroll = self.timeline.verticalScrollBar().value()
        follow_ups = self._notebook.follow_ups(self._case_id)
        self.timeline.setHtml(conversations_html(conversations, follow_ups))
        self.timeline.verticalScrollBar().setValue(scroll)
        self.chart.set_contacts([(c.started_at, c.wellbeing) for c in conversations])
        self.alliances.reload()
        self.follow_ups.reload()
        self._load_history()
        self._set_enabled(True)

    def clear(self) -> None:
        """Forget the case: nothing of it stays on screen or in this widget's memory."""
        self._notebook = None
        self._case_id = None
        self.code_label.clear()
        self.themes_label.clear()
        self.status_combo.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.status_combo.blockSignals(False)
        self.timeline.clear()
        self.timeline.document().clearUndoRedoStacks()
        self.chart.clear()
        self.alliances.clear()
        self.follow_ups.clear()
        self.history.clear()
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.status_combo, self.new_conversation_button, self.concern_button):
            widget.setEnabled(enabled)

    def _load_header(self) -> None:
        assert self._notebook is not None and self._case_id is not None
        case = self._notebook.case(self._case_id)
        self.code_label.setText(case.code)
        self.code_label.setMinimumWidth(code_width(self.code_label.fontMetrics(), case.code))
        self.code_label.setAccessibleName(_("Case {code}").format(code=case.code))
        self.status_combo.blockSignals(True)
        _select_data(self.status_combo, case.status)
        self.status_combo.blockSignals(False)
        tax = taxonomy()
        themes = [tax.label("themes", theme) for theme in case.themes]
        if themes:
            text = _("Themes: {themes}").format(themes=", ".join(themes))
        else:
            text = _("No themes chosen yet.")
        self.themes_label.setText(text)

    def _load_history(self) -> None:
        assert self._notebook is not None and self._case_id is not None
        entries: list[tuple[datetime, str]] = []
        for change in self._notebook.status_changes(self._case_id):
            if change.old is None:
                text = _("{when}: case opened as {status}").format(
                    when=format_moment(change.at), status=label(change.new)
                )
            else:
                text = _("{when}: {old} → {new}").format(
                    when=format_moment(change.at), old=label(change.old), new=label(change.new)
                )
            entries.append((change.at, text))
        for concern in self._notebook.concerns(self._case_id):
            when = concern.created_at
            if when is None:
                continue
            text = _("{when}: concern recorded ({signs}); decision: {decision}").format(
                when=format_moment(when),
                signs=label(concern.signs),
                decision=label(concern.decision),
            )
            entries.append((when, text))
        self.history.clear()
        # Newest first; within one second, the later recorded first.
        order = sorted(enumerate(entries), key=lambda e: (e[1][0], e[0]), reverse=True)
        for _index, (_when, text) in order:
            self.history.addItem(text)

    # -------------------------------------------------------------- actions

    def _status_chosen(self) -> None:
        if self._notebook is None or self._case_id is None:
            return
        status = _combo_value(self.status_combo, CaseStatus)
        if (
            status is CaseStatus.CLOSED
            and self._notebook.callback(self._case_id)
            and QMessageBox.question(
                self,
                _("Close the case?"),
                _(
                    "Closing the case deletes the call-back number the parent left, for "
                    "good. Close it?"
                ),
            )
            != QMessageBox.StandardButton.Yes
        ):
            self._load_header()
            return
        try:
            self._notebook.set_status(self._case_id, status)
        except UserError as error:
            show_error(self, error)
        self._load_header()
        self._load_history()
        self.changed.emit(self._case_id)

    def _panel_changed(self) -> None:
        if self._notebook is None or self._case_id is None:
            return
        # Follow-ups move a case between "open" and "awaiting follow-up", and show in the
        # timeline under the conversation they were agreed in: all of it follows.
        self.reload()
        self.changed.emit(self._case_id)

    def _request_conversation(self) -> None:
        if self._case_id is not None:
            self.start_conversation_requested.emit(self._case_id)

    def _request_concern(self) -> None:
        if self._case_id is not None:
            self.concern_requested.emit(self._case_id)
