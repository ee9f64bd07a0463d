"""Before the notes: unlock a notebook, or make one (role, passphrase, recovery key)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import Role, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook, reset_passphrase, restore
from counsellor_app.gui.widgets import ERROR_STYLE

DEMO_PASSPHRASE = "demo-demo-demo"


def passphrase_hint(passphrase: str) -> str:
    """A short strength hint: length and variety, said plainly."""
    kinds = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if len(passphrase) >= 20 or (words >= 4 and len(passphrase) >= 16):
        return _("Strong: a long passphrase.")
    if len(passphrase) >= 12 and kinds >= 3:
        return _("Fair. Longer is stronger: four or more ordinary words work well.")
    return _("Weak: use at least 12 characters, or better four or more words.")


class UnlockPage(QWidget):
    unlocked = Signal(object)

    def __init__(self, path: Path, demo: bool) -> None:
        super().__init__()
        self.path = path
        # Waits for the notebook's last close (run in the background) before opening.
        self.before_open: Callable[[], object] = lambda: None
        layout = QVBoxLayout(self)
        layout.addStretch()
        title = QLabel(_("Counsellor's Notebook"))
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(QLabel(str(path)), alignment=Qt.AlignmentFlag.AlignHCenter)
        if demo:
            hint = QLabel(_("Demo notebook. Its passphrase is: {p}").format(p=DEMO_PASSPHRASE))
            hint.setObjectName("demoHint")
            layout.addWidget(hint, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("Passphrase"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.setMinimumWidth(320)
        if demo:
            self.passphrase.setText(DEMO_PASSPHRASE)
        layout.addWidget(self.passphrase, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        layout.addWidget(self.unlock_button, alignment=Qt.AlignmentFlag.AlignHCenter)
        # Shown when the notebook will not open but a good backup of it does (the error
        # above names it): one click puts it in place, the damaged file kept aside.
        self.backup_offered: Path | None = None
        self.restore_button = QPushButton(_("Restore the newest backup"))
        self.restore_button.setVisible(False)
        self.restore_button.clicked.connect(self.restore_offered_backup)
        layout.addWidget(self.restore_button, alignment=Qt.AlignmentFlag.AlignHCenter)
        forgot = QPushButton(_("Forgot passphrase? Use the recovery key"))
        forgot.setFlat(True)
        layout.addWidget(forgot, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        forgot.clicked.connect(self.recover)

    def try_unlock(self) -> None:
        self.before_open()
        try:
            notebook = Notebook.open(self.path, self.passphrase.text())
        except UserError as error:
            self.error.setText(str(error))
            self.backup_offered = getattr(error, "backup", None)
            self.restore_button.setVisible(self.backup_offered is not None)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.error.clear()
        self.backup_offered = None
        self.restore_button.setVisible(False)
        self.passphrase.clear()
        self.unlocked.emit(notebook)

    def restore_offered_backup(self) -> None:
        """Put the backup offered in place of the notebook that would not open (which is
        kept aside, not deleted), then unlock it."""
        if self.backup_offered is None:
            return
        self.before_open()
        try:
            restore(self.path, self.backup_offered, self.passphrase.text())
        except UserError as error:
            self.error.setText(str(error))
            return
        self.try_unlock()

    def recover(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Set a new passphrase with the recovery key"))
        form = QFormLayout(dialog)
        key = QLineEdit()
        new = QLineEdit()
        new.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Recovery key"), key)
        form.addRow(_("New passphrase"), new)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form.addRow(buttons)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.before_open()
            reset_passphrase(self.path, key.text(), new.text())
        except UserError as error:
            self.error.setText(str(error))
            return
        self.error.setText(_("The passphrase was changed. Unlock with the new one."))


class CreateNotebookDialog(QDialog):
    """First start: choose a role and a passphrase; the recovery key is shown once."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.notebook: Notebook | None = None
        self.setWindowTitle(_("Create your notebook"))
        form = QFormLayout(self)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(label(role), role)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(passphrase_hint(""))
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Repeat passphrase"), self.repeat)
        form.addRow("", self.hint)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form.addRow(buttons)
        self.passphrase.textChanged.connect(lambda text: self.hint.setText(passphrase_hint(text)))
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)

    def create(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self.error.setText(_("The two passphrases differ."))
            return
        try:
            self.notebook, recovery_key = Notebook.create(
                self.path, self.passphrase.text(), Role(self.role.currentData())
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        RecoveryKeyDialog(recovery_key, self.path, self).exec()
        self.accept()


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once: it can be saved as a PDF to print, and the dialog
    closes only when the user says the key was kept."""

    def __init__(self, recovery_key: str, notebook_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.notebook_path = notebook_path
        self.setWindowTitle(_("Your recovery key"))
        layout = QVBoxLayout(self)
        text = QLabel(
            _(
                "Write this recovery key down or print it, and keep it somewhere safe away "
                "from this computer. It is shown only now, and it is the only way into the "
                "notebook if the passphrase is forgotten."
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.key = QLabel(recovery_key)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.key.setFont(font)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setAccessibleName(_("Recovery key"))
        layout.addWidget(self.key, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.save_pdf = QPushButton(_("&Save as PDF to print…"))
        layout.addWidget(self.save_pdf, alignment=Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.kept = QCheckBox(_("I have &kept the recovery key"))
        layout.addWidget(self.kept)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout.addWidget(self.buttons)
        self.kept.toggled.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        self.buttons.accepted.connect(self.accept)
        self.save_pdf.clicked.connect(self.choose_pdf)

    def choose_pdf(self) -> None:
        suggested = self.notebook_path.with_name(self.notebook_path.stem + "-recovery-key.pdf")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery key as a PDF"), str(suggested), "PDF (*.pdf)"
        )
        if chosen:
            self.write_pdf(Path(chosen))

    def write_pdf(self, target: Path) -> bool:
        # reportlab is imported here, not at start-up: it costs ~100 ms and most starts
        # never make a PDF.
        from counsellor_app.core.recovery_sheet import write_recovery_sheet

        try:
            write_recovery_sheet(target, self.recovery_key, self.notebook_path.name, datetime.now())
        except UserError as error:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(str(error))
            return False
        self.status.setStyleSheet("")
        self.status.setText(
            _("Saved as {file}. Print it, then delete the file.").format(file=target)
        )
        return True

    def reject(self) -> None:
        """Escape does not close it: the key must be kept first."""
        if self.kept.isChecked():
            super().reject()
