"""The help directory in the window (issue 18): the search under the alliance dialog's
first field (type, arrow down, Enter), and the window where the supervisor keeps the
directory (a counsellor their own entries): a table with add, edit, delete, CSV import
and export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core import directory as d
from counsellor_app.core.directory import DirectoryEntry, EntryKind, Origin, kind_label
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import directory_file as df
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.forms.ui_directory_entry import Ui_DirectoryEntryDialog
from counsellor_app.gui.tasks import Lane, TaskRunner
from counsellor_app.gui.widgets import (
    ErrorLine,
    ask_yes,
    choose_save_path,
    connect_save_cancel,
    documents_folder,
    name_by_caption,
    note_height,
    show_error,
)

#: The key that puts the focus in the directory's search (in the alliance dialog).
SEARCH_KEY = "F4"
#: How many entries the search under a field shows at most.
SHOWN = 30


def entry_text(entry: DirectoryEntry) -> str:
    """One line for an entry: organisation — kind · place · phone."""
    details = [kind_label(entry.kind), entry.place, entry.phone]
    return f"{entry.organisation} — " + " · ".join(part for part in details if part)


class DirectoryPicker(QObject):
    """A search field and the list under it: typing shows the matching entries, arrow
    down moves into the list, Enter (or a double click) chooses one."""

    chosen = Signal(object)

    def __init__(
        self, notebook: Notebook, field: QLineEdit, results: QListWidget, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.results = results
        self._index = d.index_of(notebook)
        results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        results.setMaximumHeight(results.fontMetrics().lineSpacing() * 7)
        results.hide()
        field.textChanged.connect(self.search)
        results.itemActivated.connect(self._activated)
        field.installEventFilter(self)
        results.installEventFilter(self)

    def search(self, text: str) -> list[DirectoryEntry]:
        """Show the entries matching ``text`` (none for no text); returns them."""
        found = self._index.search(text, limit=SHOWN) if text.strip() else []
        self.results.clear()
        for entry in found:
            item = QListWidgetItem(entry_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip("\n".join(p for p in (entry.web, entry.hours, entry.note) if p))
            self.results.addItem(item)
        self.results.setVisible(bool(found))
        if found:
            self.results.setCurrentRow(0)
        return found

    def _activated(self, item: QListWidgetItem) -> None:
        self.choose(item.data(Qt.ItemDataRole.UserRole))

    def choose(self, entry: DirectoryEntry) -> None:
        self.results.hide()
        self.chosen.emit(entry)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        shown = self.results.isVisible() and self.results.count() > 0
        if watched is self.field and key == Qt.Key.Key_Down and shown:
            self.results.setFocus()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and shown:
            # Enter chooses the entry, never the dialog's default button.
            item = self.results.currentItem() or self.results.item(0)
            self.choose(item.data(Qt.ItemDataRole.UserRole))
            return True
        if watched is self.results and key == Qt.Key.Key_Up and self.results.currentRow() <= 0:
            self.field.setFocus()
            return True
        if watched is self.results and key == Qt.Key.Key_Escape:
            self.results.hide()
            self.field.setFocus()
            return True
        return False


def add_search_key(dialog: QWidget, field: QLineEdit) -> QShortcut:
    """F4 anywhere in ``dialog`` puts the focus in the directory's search."""
    shortcut = QShortcut(QKeySequence(SEARCH_KEY), dialog)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def focus() -> None:
        field.setFocus()
        field.selectAll()

    shortcut.activated.connect(focus)
    return shortcut


# ---------------------------------------------------------------------------- one entry


class DirectoryEntryDialog(QDialog):
    """Add or edit one entry of the directory."""

    def __init__(
        self, notebook: Notebook, entry: DirectoryEntry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._entry = entry
        #: The entry as stored, once saved.
        self.saved: DirectoryEntry | None = None
        self.ui = Ui_DirectoryEntryDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Edit directory entry") if entry else _("Add directory entry"))
        ui = self.ui
        for kind in EntryKind:
            ui.kind.addItem(kind_label(kind), kind.value)
        ui.municipality.addItem(_("National"), d.NATIONAL)
        for name in d.municipalities():
            ui.municipality.addItem(name, name)
        for term in taxonomy().themes:
            item = QListWidgetItem(term.label)
            item.setData(Qt.ItemDataRole.UserRole, term.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = entry is not None and term.id in entry.themes
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            ui.themes.addItem(item)
        note_height(ui.note, lines=3)
        if entry is not None:
            ui.organisation.setText(entry.organisation)
            ui.kind.setCurrentIndex(ui.kind.findData(entry.kind.value))
            ui.municipality.setCurrentIndex(max(0, ui.municipality.findData(entry.municipality)))
            ui.phone.setText(entry.phone)
            ui.web.setText(entry.web)
            ui.hours.setText(entry.hours)
            ui.note.setPlainText(entry.note)
            ui.checked_on.setText(entry.checked_on.isoformat() if entry.checked_on else "")
            ui.source.setText(entry.source)
        else:
            ui.checked_on.setText(date.today().isoformat())
        for caption in (
            ui.organisation_caption,
            ui.kind_caption,
            ui.municipality_caption,
            ui.themes_caption,
            ui.phone_caption,
            ui.web_caption,
            ui.hours_caption,
            ui.note_caption,
            ui.checked_on_caption,
            ui.source_caption,
        ):
            name_by_caption(caption)
        self.buttons = connect_save_cancel(self, ui.buttons, self.save)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        ui.organisation.setFocus()

    def entry(self) -> DirectoryEntry:
        """The entry as filled in (not yet checked)."""
        ui = self.ui
        checked_text = ui.checked_on.text().strip()
        try:
            checked_on = date.fromisoformat(checked_text) if checked_text else None
        except ValueError as error:
            raise UserError(
                _("“{date}” is not a date; write it as 2026-03-31.").format(date=checked_text)
            ) from error
        themes = [
            str(ui.themes.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(ui.themes.count())
            if ui.themes.item(row).checkState() == Qt.CheckState.Checked
        ]
        old = self._entry
        return DirectoryEntry(
            organisation=ui.organisation.text(),
            kind=EntryKind(ui.kind.currentData()),
            municipality=str(ui.municipality.currentData()),
            themes=themes,
            phone=ui.phone.text(),
            web=ui.web.text(),
            hours=ui.hours.text(),
            note=ui.note.toPlainText(),
            checked_on=checked_on,
            source=ui.source.text(),
            origin=old.origin if old else d.default_origin(self._notebook),
            id=old.id if old else None,
            uid=old.uid if old else "",
        )

    def save(self) -> None:
        try:
            self.saved = d.save_entry(self._notebook, self.entry())
        except UserError as error:
            show_error(self, error)
            return
        self.accept()


# ---------------------------------------------------------------------------- the window


class DirectoryWindow(QDialog):
    """The directory as a table: search, add, edit, delete, import and export CSV.

    A supervisor edits every entry; a counsellor adds and edits their own, and sees the
    supervisor's (which the next directory from the supervisor replaces) read-only.
    """

    COLUMNS = 7

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._supervisor = d.default_origin(notebook) is Origin.SUPERVISOR
        self._shown: list[DirectoryEntry] = []
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self.entry_dialog: DirectoryEntryDialog | None = None
        self.setWindowTitle(_("Help directory"))
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Find by municipality, theme or name"))
        self.search.setAccessibleName(_("Find in the directory"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.reload())
        layout.addWidget(self.search)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setAccessibleName(_("Directory entries"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Organisation"),
                _("Type"),
                _("Municipality"),
                _("Phone"),
                _("Web"),
                _("Checked on"),
                _("Kept by"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        layout.addWidget(self.table)
        self.status = ErrorLine()
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("&Add…"))
        self.edit_button = QPushButton(_("&Edit…"))
        self.delete_button = QPushButton(_("De&lete"))
        self.import_button = QPushButton(_("&Import CSV…"))
        self.export_button = QPushButton(_("E&xport CSV…"))
        # The signed file: the supervisor sends it, a counsellor receives it.
        self.send_button = QPushButton(_("Send to &counsellors…"))
        self.receive_button = QPushButton(_("From the su&pervisor…"))
        self.send_button.setVisible(self._supervisor)
        self.receive_button.setVisible(not self._supervisor)
        for button, slot in (
            (self.add_button, self.add),
            (self.edit_button, self.edit_selected),
            (self.delete_button, self.delete_selected),
            (self.import_button, self.choose_import),
            (self.export_button, self.choose_export),
            (self.send_button, self.choose_send),
            (self.receive_button, self.choose_receive),
        ):
            button.clicked.connect(lambda _checked=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(self.fontMetrics().averageCharWidth() * 120, 480)
        self.reload()
        self.search.setFocus()

    # -------------------------------------------------------------- the table

    def entries(self) -> list[DirectoryEntry]:
        """The entries shown, in order."""
        return list(self._shown)

    def reload(self, select_id: int | None = None) -> None:
        text = self.search.text()
        index = d.index_of(self._notebook)
        self._shown = (
            index.search(text, limit=len(index)) if text.strip() else d.entries(self._notebook)
        )
        self.table.setRowCount(len(self._shown))
        for row, entry in enumerate(self._shown):
            kept_by = _("Supervisor") if entry.origin is Origin.SUPERVISOR else _("Own")
            cells = [
                entry.organisation,
                kind_label(entry.kind),
                entry.place,
                entry.phone,
                entry.web,
                entry.checked_on.isoformat() if entry.checked_on else "",
                kept_by,
            ]
            for column, text_ in enumerate(cells):
                item = QTableWidgetItem(text_)
                if column == 0 and entry.note:
                    item.setToolTip(entry.note)
                self.table.setItem(row, column, item)
            if entry.id == select_id:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def selected(self) -> DirectoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self._shown[rows[0].row()] if rows else None

    def _editable(self, entry: DirectoryEntry | None) -> bool:
        return entry is not None and d.can_edit(self._notebook, entry)

    def _update_buttons(self) -> None:
        editable = self._editable(self.selected())
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)

    # -------------------------------------------------------------- actions

    def add(self) -> DirectoryEntryDialog:
        return self._open(None)

    def edit_selected(self) -> DirectoryEntryDialog | None:
        entry = self.selected()
        return self._open(entry) if self._editable(entry) else None

    def _open(self, entry: DirectoryEntry | None) -> DirectoryEntryDialog:
        dialog = DirectoryEntryDialog(self._notebook, entry, self)
        dialog.accepted.connect(lambda: self.reload(dialog.saved.id if dialog.saved else None))
        self.entry_dialog = dialog
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None or entry.id is None or not self._editable(entry):
            return
        try:
            d.delete_entry(self._notebook, entry.id)
        except UserError as error:
            show_error(self, error)
        self.status.say(_("Deleted: {entry}").format(entry=entry.organisation))
        self.reload()

    def choose_import(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import a directory (CSV)"),
            str(documents_folder()),
            _("CSV files (*.csv)") + ";;" + _("All files (*)"),
        )
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        """Import the CSV at ``path`` off the UI thread (every line is checked by the
        anonymity engine); nothing is imported when a line is wrong."""
        from counsellor_app.core.safefile import storage_error

        notebook = self._notebook
        origin = Origin.SUPERVISOR if self._supervisor else Origin.OWN
        self.import_button.setEnabled(False)
        self.status.say(_("Importing…"))

        def job(_task: object) -> d.ImportResult:
            try:
                data = path.read_bytes()
            except OSError as error:
                raise storage_error(error, path.name) from error
            return d.import_csv(notebook, data, origin)

        self._tasks.run(job, success=self._imported, failure=self._import_failed)

    def _imported(self, result: d.ImportResult) -> None:
        self.import_button.setEnabled(True)
        self.status.say(
            _("Imported: {added} new, {updated} updated.").format(
                added=result.added, updated=result.updated
            )
        )
        self.reload()

    def _import_failed(self, sentence: str) -> None:
        self.import_button.setEnabled(True)
        self.status.show_error(sentence)

    def choose_export(self) -> None:
        chosen = choose_save_path(
            self, _("Export the directory (CSV)"), _("directory") + ".csv", _("CSV files (*.csv)")
        )
        if chosen:
            self.export_file(chosen)

    def export_file(self, path: Path) -> None:
        """Write the whole directory as CSV to ``path``."""
        from counsellor_app.core.safefile import atomic_write_bytes, storage_error

        try:
            try:
                atomic_write_bytes(path, d.export_csv(self._notebook))
            except OSError as error:
                raise storage_error(error, path.name) from error
        except UserError as error:
            self.status.show_error(str(error))
            return
        self.status.say(_("Directory written: {path}").format(path=path))

    # -------------------------------------------------------------- the signed file

    def choose_send(self) -> None:
        chosen = choose_save_path(
            self,
            _("Send the directory to the counsellors"),
            _("directory") + df.DIRECTORY_SUFFIX,
            _("Directory files (*{suffix})").format(suffix=df.DIRECTORY_SUFFIX),
        )
        if chosen:
            self.send_file(chosen)

    def send_file(self, path: Path) -> None:
        """Write the directory to ``path`` signed and encrypted for every enrolled
        counsellor (a supervisor's notebook)."""
        try:
            sent = df.export_directory(self._notebook, path)
        except UserError as error:
            self.status.show_error(str(error))
            return
        self.status.say(sent.sentence())

    def choose_receive(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("The directory from the supervisor"),
            str(documents_folder()),
            _("Directory files (*{suffix})").format(suffix=df.DIRECTORY_SUFFIX)
            + ";;"
            + _("All files (*)"),
        )
        if chosen:
            self.receive_file(Path(chosen))

    def receive_file(self, path: Path, accept: str = "", change: str = "") -> None:
        """Import the supervisor's signed directory at ``path`` off the UI thread; the
        first one asks to accept the supervisor's key, showing its fingerprint."""
        notebook = self._notebook
        self.receive_button.setEnabled(False)
        self.status.say(_("Importing…"))

        def job(_task: object) -> df.DirectoryUpdate | df.DirectoryRefused:
            try:
                return df.import_directory(
                    notebook, path, accept_new=accept or False, change_key=change
                )
            except df.DirectoryRefused as refused:
                return refused  # the window may ask to accept the key, then try again

        self._tasks.run(
            job,
            success=lambda outcome: self._received(path, outcome),
            failure=self._receive_failed,
        )

    def ask_to_accept(self, fingerprint: str) -> bool:
        """Ask whether to accept the supervisor's key of a first directory."""
        return self._ask_about_key(
            _(
                "This directory is signed with a key whose fingerprint is:\n\n{fingerprint}"
                "\n\nAccept it only if your supervisor tells you the same fingerprint. Later "
                "directories are then accepted only when signed with this key."
            ).format(fingerprint=fingerprint)
        )

    def ask_to_change(self, fingerprint: str) -> bool:
        """Ask whether to replace the supervisor's key by another (an explicit act)."""
        return self._ask_about_key(
            _(
                "This directory is signed with another key than your supervisor's:"
                "\n\n{fingerprint}\n\nChange to this key only if your supervisor tells you "
                "they have a new key with this fingerprint. Directories signed with the "
                "old key are then refused."
            ).format(fingerprint=fingerprint)
        )

    def _ask_about_key(self, question: str) -> bool:
        return ask_yes(self, _("The supervisor's key"), question)

    def _received(self, path: Path, outcome: df.DirectoryUpdate | df.DirectoryRefused) -> None:
        self.receive_button.setEnabled(True)
        if isinstance(outcome, df.DirectoryUpdate):
            self.status.say(outcome.sentence())
            self.reload()
            return
        if outcome.reason == "unknown_signer" and self.ask_to_accept(outcome.fingerprint):
            self.receive_file(path, accept=outcome.fingerprint)
            return
        if outcome.reason == "key_mismatch" and self.ask_to_change(outcome.fingerprint):
            self.receive_file(path, change=outcome.fingerprint)
            return
        self.status.show_error(str(outcome))

    def _receive_failed(self, sentence: str) -> None:
        self.receive_button.setEnabled(True)
        self.status.show_error(sentence)
