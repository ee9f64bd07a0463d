"""Record forms (alliance, follow-up) as panels beside the notes of a call, their text kept
as a draft as it is typed.

During a call the alliance and follow-up forms are not modal dialogs over the notes: the
dialog is shown inside the call's side tabs (:func:`embed_dialog`), the notes stay in view.
What is typed into it is kept as a draft in the notebook (``Notebook.save_draft``) on the
task runner's lane for notes, like the notes themselves, so a lock or a crash does not lose
it; the call comes back with the form as it was. The draft goes when the record is saved
or the form cancelled.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QLineEdit, QPlainTextEdit, QWidget

from counsellor_app.core.errors import UserError
from counsellor_app.core.store import Notebook
from counsellor_app.gui.callback import DEBOUNCE_MS
from counsellor_app.gui.tasks import Lane, Task, TaskRunner


def _fields(dialog: QWidget) -> list[QWidget]:
    """The dialog's named input fields, in a stable order."""
    kinds = (QPlainTextEdit, QLineEdit, QComboBox, QDateEdit)
    found = [
        widget
        for widget in dialog.findChildren(QWidget)
        if isinstance(widget, kinds)
        and widget.objectName()
        and not widget.objectName().startswith("qt_")
        # A combo box's own line edit is the combo's.
        and not isinstance(widget.parentWidget(), QComboBox)
    ]
    return sorted(found, key=lambda w: w.objectName())


def _value(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return "" if data is None else str(data)
    if isinstance(widget, QDateEdit):
        return widget.date().toString(Qt.DateFormat.ISODate)
    return ""


def _restore(widget: QWidget, value: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index < 0:  # the data of an enum combo is the enum, whose str is its value
            index = next((i for i in range(widget.count()) if str(widget.itemData(i)) == value), -1)
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, QDateEdit):
        day = QDate.fromString(value, Qt.DateFormat.ISODate)
        if day.isValid():
            widget.setDate(day)


class DraftKeeper(QObject):
    """Keeps the fields of ``dialog`` as the draft ``kind`` of case ``case_id``: restored
    when made, saved as typed, dropped when the dialog is saved or cancelled (unless
    :attr:`keep` is set: the call was put aside by a lock)."""

    def __init__(self, dialog: QDialog, notebook: Notebook, kind: str, case_id: int) -> None:
        super().__init__(dialog)
        self._notebook, self.kind, self._case_id = notebook, kind, case_id
        self.keep = False
        self._tasks = TaskRunner(self, Lane.NOTES)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save)
        self._fields = _fields(dialog)
        self._pristine = self.values()
        self._saved: dict[str, str] | None = None
        with contextlib.suppress(UserError):
            draft = notebook.draft(kind, case_id)
            if draft:
                for widget in self._fields:
                    if widget.objectName() in draft:
                        _restore(widget, draft[widget.objectName()])
                self._saved = self.values()
        for widget in self._fields:
            if isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self._changed)
            elif isinstance(widget, QLineEdit):
                widget.textEdited.connect(self._changed)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._changed)
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(self._changed)
        dialog.finished.connect(self._finished)

    def values(self) -> dict[str, str]:
        return {widget.objectName(): _value(widget) for widget in self._fields}

    def _changed(self) -> None:
        if not self._debounce.isActive():
            self._debounce.start()

    def _due(self) -> dict[str, str] | None:
        values = self.values()
        if values == self._saved or (self._saved is None and values == self._pristine):
            return None
        return values

    def save(self) -> None:
        """Keep the fields as they are now (on the notes lane)."""
        self._debounce.stop()
        values = self._due()
        if values is None:
            return
        notebook, kind, case_id = self._notebook, self.kind, self._case_id

        def save(_task: Task[None]) -> None:
            notebook.save_draft(kind, case_id, values)
            self._saved = values

        self._tasks.run(save, failure=lambda _sentence: None, key="draft")  # tried again

    def flush(self) -> None:
        """Keep the fields now, synchronously (before a lock)."""
        self._debounce.stop()
        self._tasks.wait()
        values = self._due()
        if values is None:
            return
        with contextlib.suppress(UserError):
            self._notebook.save_draft(self.kind, self._case_id, values)
            self._saved = values

    def _finished(self, _result: int) -> None:
        self._debounce.stop()
        self._tasks.wait()
        if self.keep:
            return
        with contextlib.suppress(UserError):
            self._notebook.delete_draft(self.kind, self._case_id)


def embed_dialog(dialog: QDialog) -> QDialog:
    """Make ``dialog`` a widget to show inside the window (not a window of its own, not
    modal); its save keys work only from inside it."""
    dialog.setWindowFlags(Qt.WindowType.Widget)
    dialog.setModal(False)
    dialog.setSizeGripEnabled(False)
    dialog.setMinimumWidth(0)
    for shortcut in dialog.findChildren(QShortcut):
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return dialog
