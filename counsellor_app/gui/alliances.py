"""A case's alliances with partners around the family (school, health visitor, ...): the
list shown in the case view and during a call, and the dialog that adds or edits one."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (
    QDialog,
    QMenu,
    QPushButton,
    QTreeWidgetItem,
    QWidget,
)

from counsellor_app.core.directory import PARTNER_OF_KIND, DirectoryEntry, link_alliance
from counsellor_app.core.domain import Alliance, AllianceStatus, Consent, Partner, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.directory import DirectoryPicker, add_search_key
from counsellor_app.gui.forms.ui_alliance import Ui_AllianceDialog
from counsellor_app.gui.guard import AnonymityGuard, GuardStatus
from counsellor_app.gui.record_list import RecordListPanel
from counsellor_app.gui.widgets import (
    combo_value,
    connect_save_cancel,
    fill_enum_combo,
    name_by_caption,
    note_height,
    show_error,
)


class AllianceDialog(QDialog):
    """Add or edit one alliance: partner, role, what was agreed, consent, status."""

    def __init__(
        self,
        notebook: Notebook,
        case_id: int,
        alliance: Alliance | None = None,
        parent: QWidget | None = None,
        *,
        search: bool = False,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case_id = case_id
        self._alliance = alliance
        #: The alliance as stored, once saved.
        self.saved: Alliance | None = None
        self.ui = Ui_AllianceDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Edit alliance") if alliance else _("Add alliance"))
        self.partner = fill_enum_combo(
            self.ui.partner, Partner, alliance.partner if alliance else None
        )
        self.role = self.ui.role
        self.role.setText(alliance.role if alliance else "")
        self.agreed = note_height(self.ui.agreed, lines=4)
        self.agreed.setPlainText(alliance.agreed if alliance else "")
        self.guard = AnonymityGuard(self.agreed, notebook)
        self.guard_status = GuardStatus.below(self.agreed, self.guard)
        self.consent = fill_enum_combo(
            self.ui.consent, Consent, alliance.consent if alliance else None
        )
        self.status = fill_enum_combo(
            self.ui.status, AllianceStatus, alliance.status if alliance else None
        )
        # The help directory: type, arrow down, Enter fills the partner (F4 to get there).
        self.directory_entry: DirectoryEntry | None = None
        self.directory = DirectoryPicker(
            notebook, self.ui.directory_search, self.ui.directory_results, self
        )
        self.directory.chosen.connect(self.use_entry)
        add_search_key(self, self.ui.directory_search)
        for field_caption in (
            self.ui.directory_caption,
            self.ui.partner_caption,
            self.ui.role_caption,
            self.ui.agreed_caption,
            self.ui.consent_caption,
            self.ui.status_caption,
        ):
            name_by_caption(field_caption)
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        (self.ui.directory_search if search else self.partner).setFocus()

    def use_entry(self, entry: DirectoryEntry) -> None:
        """Fill the partner and role from a directory entry, then on to what was agreed."""
        self.directory_entry = entry
        self.partner.setCurrentIndex(self.partner.findData(PARTNER_OF_KIND[entry.kind].value))
        self.role.setText(", ".join(part for part in (entry.organisation, entry.phone) if part))
        self.agreed.setFocus()

    def save(self) -> None:
        alliance = Alliance(
            case_id=self._case_id,
            partner=combo_value(self.partner, Partner),
            id=self._alliance.id if self._alliance else None,
            role=self.role.text().strip(),
            agreed=self.agreed.toPlainText().strip(),
            consent=combo_value(self.consent, Consent),
            status=combo_value(self.status, AllianceStatus),
        )
        try:
            self.saved = self._notebook.save_alliance(alliance)
            if self.directory_entry is not None and self.saved.id is not None:
                link_alliance(self._notebook, self.saved.id, self.directory_entry)
        except UserError as error:
            show_error(self, error)
            return
        self.accept()


class AlliancesPanel(RecordListPanel):
    """A case's alliances, with Add (Ctrl+Shift+A), Edit and a status change."""

    COLUMNS = 5

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

    def _dialog(self, notebook: Notebook, case_id: int, record: Any) -> AllianceDialog:
        search, self._search_next = getattr(self, "_search_next", False), False
        return AllianceDialog(notebook, case_id, record, self, search=search)

    def add_from_directory(self) -> Any:
        """A new alliance with the focus in the directory's search (Ctrl+Shift+D)."""
        self._search_next = True
        dialog = self.add()
        self._search_next = False
        return dialog

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
