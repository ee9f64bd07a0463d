"""A case's follow-ups (when the next contact is due and who does what before it): the
list shown in the case view and during a call, and the dialog that adds or edits one."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QDialog, QPushButton, QTreeWidgetItem, QWidget

from counsellor_app.core.domain import FollowUp
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.formatting import format_day, format_short_day
from counsellor_app.gui.forms.ui_follow_up import Ui_FollowUpDialog
from counsellor_app.gui.guard import AnonymityGuard, GuardStatus
from counsellor_app.gui.record_list import RecordListPanel
from counsellor_app.gui.widgets import (
    connect_save_cancel,
    note_height,
    pydate,
    show_dates,
    show_error,
)

#: Days ahead a new follow-up is due unless the counsellor chooses otherwise.
FOLLOW_UP_DAYS_AHEAD = 7


def due_text(follow_up: FollowUp, short: bool = False) -> str:
    """When a follow-up is due: its day, and its time of day when one was agreed."""
    day = (format_short_day if short else format_day)(follow_up.due)
    if follow_up.due_time is None:
        return day
    return _("{day} at {time}").format(day=day, time=follow_up.due_time.strftime("%H:%M"))


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
        self.ui = Ui_FollowUpDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Edit follow-up") if follow_up else _("Add follow-up"))
        due = follow_up.due if follow_up else date.today() + timedelta(days=FOLLOW_UP_DAYS_AHEAD)
        self.due = show_dates(self.ui.due, due)
        # A time of day when one was agreed ("I call you Thursday at 14"), else none.
        self.at_time, self.due_time = self.ui.at_time, self.ui.due_time
        agreed = follow_up.due_time if follow_up else None
        self.due_time.setTime(QTime(agreed.hour, agreed.minute) if agreed else QTime(10, 0))
        self.at_time.toggled.connect(self.due_time.setEnabled)
        self.at_time.setChecked(agreed is not None)
        self.counsellor_task = note_height(self.ui.counsellor_task)
        self.parent_task = note_height(self.ui.parent_task)
        self.others_task = note_height(self.ui.others_task)
        self.guards = []
        for editor, text in (
            (self.counsellor_task, follow_up.counsellor_task if follow_up else ""),
            (self.parent_task, follow_up.parent_task if follow_up else ""),
            (self.others_task, follow_up.others_task if follow_up else ""),
        ):
            editor.setPlainText(text)
            self.guards.append(AnonymityGuard(editor, notebook))
        self.guard_status = GuardStatus.below(self.others_task, *self.guards)
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
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
            due_time=(
                time(self.due_time.time().hour(), self.due_time.time().minute())
                if self.at_time.isChecked()
                else None
            ),
        )
        try:
            self.saved = self._notebook.save_follow_up(follow_up)
        except UserError as error:
            show_error(self, error)
            return
        self.accept()


class FollowUpsPanel(RecordListPanel):
    """A case's follow-ups: due date, who does what, done; Add, Edit and Mark done."""

    def __init__(
        self,
        notebook: Notebook | None = None,
        case_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Follow-ups"), [_("Due"), _("State"), _("Who does what")], parent)
        self.add_button = QPushButton(_("Add follow-u&p…"))
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
        if not isinstance(dialog, FollowUpDialog):
            return None
        dialog.conversation_id = self.conversation_id
        return dialog

    # -------------------------------------------------------------- data

    def _fetch(self, notebook: Notebook, case_id: int) -> list[FollowUp]:
        return notebook.follow_ups(case_id)

    def _dialog(self, notebook: Notebook, case_id: int, record: Any) -> FollowUpDialog:
        return FollowUpDialog(notebook, case_id, record, self)

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
            item = QTreeWidgetItem([due_text(follow_up), state, summary])
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
