"""A short list of a case's records (its alliances, its follow-ups) with Add and Edit
buttons and one add/edit dialog at a time, as the case view and a call show them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.store import Notebook
from counsellor_app.gui.widgets import fit_columns, fit_tree_height


class RecordListPanel(QWidget):
    """A short list of a case's records with Add and Edit buttons and one add/edit dialog.

    Subclasses set the dialog class, add their own buttons and describe the rows.
    """

    #: A record was added or changed (and is stored).
    changed = Signal()

    def __init__(self, accessible_name: str, headers: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._case_id: int | None = None
        self._records: list[Any] = []
        #: The add/edit dialog while it is open (for tests and for closing on lock).
        self.dialog: Any = None
        #: Shows the dialog somewhere else than as a modal window (during a call: a panel
        #: beside the notes); None: the dialog opens as usual.
        self.embed: Callable[[QDialog, Any], None] | None = None

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(accessible_name)
        self.tree.setHeaderLabels(headers)
        self.tree.setRootIsDecorated(False)
        # The columns share the width (fit_columns): a side panel never scrolls sideways.
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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

    def _dialog(self, notebook: Notebook, case_id: int, record: Any) -> QDialog:
        """The add (``record`` None) or edit dialog, with a ``saved`` attribute."""
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
        fit_columns(self.tree)
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
        dialog = self._dialog(self._notebook, self._case_id, record)
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        if self.embed is not None:
            self.embed(dialog, record)
        else:
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
        fit_tree_height(self.tree)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_columns(self.tree)
        fit_tree_height(self.tree)
