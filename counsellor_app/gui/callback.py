"""The call-back number a parent chooses to leave: one field, in the call and in the case.

The number is kept apart from the notes (its own table, see ``Notebook.set_callback``):
it is shown to the counsellor here and in the agenda, never exported, and deleted when
the case closes. Like the notes it is saved as it is typed, on the task runner's lane for
notes (so a lock or a crash loses at most the last moment), and :meth:`CallbackField.flush`
writes what is pending before the notebook locks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.tasks import Lane, Task, TaskRunner

#: Milliseconds from a change to its save (the notes' pause: typing on does not delay it).
DEBOUNCE_MS = 700


class CallbackField(QWidget):
    """A caption and a line edit for the case's call-back number, saved as typed."""

    #: A save failed: the sentence to show (the number stays in the field and pending).
    save_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._case_id: int | None = None
        self._saved = ""
        self._tasks = TaskRunner(self, Lane.NOTES)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save)
        self.edit = QLineEdit()
        self.edit.setObjectName("callback")
        self.edit.setAccessibleName(_("Call-back number"))
        self.edit.setPlaceholderText(_("only for you: never exported, deleted at closing"))
        self.edit.setToolTip(
            _(
                "The number the parent asks to be called back on. It is kept apart from "
                "the notes, shown in the agenda, never exported, and deleted when the case "
                "closes."
            )
        )
        # Room for a whole number with its country code, in any font and scaling.
        self.edit.setMinimumWidth(
            self.edit.fontMetrics().horizontalAdvance("+45 00 00 00 00 ") + 12
        )
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self.save)
        caption = QLabel(_("Call back:"))
        caption.setBuddy(self.edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addWidget(self.edit, 1)
        self.setEnabled(False)

    def load(self, notebook: Notebook, case_id: int) -> None:
        """Show the call-back number of case ``case_id`` (empty when none)."""
        self.flush()
        self._notebook, self._case_id = notebook, case_id
        try:
            self._saved = notebook.callback(case_id) or ""
        except UserError:
            self._saved = ""
        self.edit.setText(self._saved)
        self.setEnabled(True)

    def clear(self) -> None:
        """Forget the number (a lock): nothing of it stays in the widget."""
        self.flush()
        self._notebook, self._case_id, self._saved = None, None, ""
        self.edit.clear()
        self.setEnabled(False)

    def number(self) -> str:
        return self.edit.text().strip()

    def set_number(self, number: str) -> None:
        """Put ``number`` in the field (the guard moved it out of a note) and save it."""
        self.edit.setText(number.strip())
        self.save()

    def pending(self) -> bool:
        return self._notebook is not None and self.number() != self._saved

    def _edited(self, _text: str) -> None:
        if not self._debounce.isActive():
            self._debounce.start()

    def save(self) -> None:
        """Save the number on the notes lane, if it changed."""
        self._debounce.stop()
        if not self.pending():
            return
        notebook, case_id, number = self._notebook, self._case_id, self.number()
        assert notebook is not None and case_id is not None

        def save(_task: Task[None]) -> None:
            notebook.set_callback(case_id, number or None)
            self._saved = number  # only a save that succeeded counts as saved

        self._tasks.run(save, failure=self.save_failed.emit, key="callback")

    def flush(self) -> bool:
        """Save what is pending now, synchronously; True when nothing is left unsaved."""
        self._debounce.stop()
        self._tasks.wait()
        if not self.pending():
            return True
        assert self._notebook is not None and self._case_id is not None
        number = self.number()
        try:
            self._notebook.set_callback(self._case_id, number or None)
        except UserError as error:
            self.save_failed.emit(str(error))
            return False
        self._saved = number
        return True

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()
