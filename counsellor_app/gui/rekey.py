"""Changes of secrets from the window: a new passphrase and a new recovery key (Notebook
menu), what to do with the backups made before a change (also a reset from the unlock
page), which still open with the secrets of their time, and the backup folders a
retention purge could not reach.

The work (re-encrypting the notebook or its backups, listing folders) runs on the window's
notebook lane; only the questions and the answers are on the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from counsellor_app.core.backups import BackupInfo
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.keys import PASSPHRASE_SLOT
from counsellor_app.gui.tasks import Task, TaskRunner
from counsellor_app.gui.unlock import NewPassphraseFields, RecoveryKeyDialog

if TYPE_CHECKING:
    from counsellor_app.core.store import Notebook


def make_new_recovery_key(parent: QWidget, notebook: Notebook, tasks: TaskRunner) -> None:
    """Ask for the passphrase, make a new recovery key (the notebook is re-encrypted; the
    old key stops working), show it once, then offer to re-encrypt or delete the backups
    made before."""
    passphrase, ok = QInputDialog.getText(
        parent,
        _("New recovery key"),
        _(
            "A new recovery key makes the old one stop working, and the notebook is "
            "re-encrypted. Type your passphrase to go on:"
        ),
        QLineEdit.EchoMode.Password,
    )
    if not ok or not passphrase:
        return

    def change(_task: Task[str]) -> str:
        return notebook.replace_recovery_key(passphrase)

    def made(recovery_key: str) -> None:
        RecoveryKeyDialog(recovery_key, notebook.path, parent).exec()
        offer_older_backups(parent, notebook, tasks, PASSPHRASE_SLOT, passphrase)

    def failed(sentence: str) -> None:
        QMessageBox.warning(parent, _("New recovery key"), sentence)

    tasks.run(change, success=made, failure=failed)


class ChangePassphraseDialog(QDialog):
    """Notebook → Change passphrase: the current passphrase and a new one twice. The
    notebook is re-encrypted on the window's notebook lane and stays open; then the
    backups made before are offered for re-encryption (unlocked with the old passphrase)
    or deletion. A wrong current passphrase leaves the dialog open with the reason."""

    def __init__(self, notebook: Notebook, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        from counsellor_app.gui.forms.ui_change_passphrase import Ui_ChangePassphraseDialog

        self.notebook, self._tasks = notebook, tasks
        self.ui = Ui_ChangePassphraseDialog()
        self.ui.setupUi(self)
        self.current = self.ui.current
        self.error = self.ui.error
        self.fields = NewPassphraseFields(
            self.ui.passphrase, self.ui.repeat, self.ui.hint, self.error
        )
        self.ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ui.buttons.accepted.connect(self.change)
        self.current.setFocus()

    def change(self) -> None:
        problem = self.fields.problem()
        if not self.current.text():
            self.error.show_error(_("Type your current passphrase."))
            self.current.setFocus()
            return
        if problem:
            self.error.show_error(problem)
            self.fields.passphrase.setFocus()
            return
        if self.busy():
            return
        notebook, old, new = self.notebook, self.current.text(), self.fields.passphrase.text()
        parent = self.parentWidget() or self

        def change(_task: Task[str | None]) -> str | None:
            return notebook.change_passphrase(old, new)

        def changed(recovery_key: str | None) -> None:
            self.accept()
            if recovery_key:  # an older key file was upgraded and got a new recovery key
                RecoveryKeyDialog(recovery_key, notebook.path, parent).exec()
            offer_older_backups(parent, notebook, self._tasks, PASSPHRASE_SLOT, old)

        self.ok.setEnabled(False)
        self._tasks.run(change, success=changed, failure=self._not_changed)

    def busy(self) -> bool:
        """Is the notebook being re-encrypted in the background?"""
        return not self.ok.isEnabled()

    def _not_changed(self, sentence: str) -> None:
        self.ok.setEnabled(True)
        self.error.show_error(sentence)
        self.current.selectAll()
        self.current.setFocus()

    def done(self, result: int) -> None:
        """However it closes (OK, Cancel, the lock), nothing typed is kept in the fields."""
        self.fields.clear()
        self.current.clear()
        super().done(result)


def unreached_folders_sentence(folders: list[Path]) -> str:
    """What the window says about backup folders a retention purge could not reach."""
    return ngettext(
        "The retention purge could not reach the backup folder {folders}. Backups there "
        "may still hold notes that were deleted for good here. Connect the drive, or "
        "delete the old backups there yourself; the next purge tries again.",
        "The retention purge could not reach these backup folders: {folders}. Backups "
        "there may still hold notes that were deleted for good here. Connect the drives, "
        "or delete the old backups there yourself; the next purge tries again.",
        len(folders),
    ).format(folders=", ".join(str(folder) for folder in folders))


def show_unreached_backup_folders(parent: QWidget, notebook: Notebook, tasks: TaskRunner) -> None:
    """Say (once, not modal) which backup folders the retention purge could not reach."""

    def listing(_task: Task[list[Path]]) -> list[Path]:
        return notebook.unreached_backup_folders

    def say(folders: list[Path]) -> None:
        if folders and parent.isVisible():
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                _("Backup folders not reached"),
                unreached_folders_sentence(folders),
                QMessageBox.StandardButton.Ok,
                parent,
            )
            box.setObjectName("unreached_backup_folders")
            box.open()

    tasks.run(listing, success=say)


def offer_older_backups(
    parent: QWidget, notebook: Notebook, tasks: TaskRunner, slot: str, secret: str
) -> None:
    """After a change of secrets: say how many backups still open with the old ones and
    offer to re-encrypt them (unlocked with ``secret`` in ``slot``) or delete them."""

    def listing(_task: Task[list[BackupInfo]]) -> list[BackupInfo]:
        return notebook.older_backups()

    def ask(older: list[BackupInfo]) -> None:
        if older:
            OlderBackupsQuestion(parent, notebook, tasks, older, slot, secret).ask()

    tasks.run(listing, success=ask)


class OlderBackupsQuestion:
    """The question about the backups made before a change, and its answer's work."""

    def __init__(
        self,
        parent: QWidget,
        notebook: Notebook,
        tasks: TaskRunner,
        older: list[BackupInfo],
        slot: str,
        secret: str,
    ) -> None:
        self.parent, self.notebook, self.tasks = parent, notebook, tasks
        self.older, self.slot, self.secret = older, slot, secret
        self.box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Backups made before the change"),
            ngettext(
                "{n} backup made before the change still opens with the old passphrase "
                "and recovery key. Re-encrypt it for the new ones, or delete it?",
                "{n} backups made before the change still open with the old passphrase "
                "and recovery key. Re-encrypt them for the new ones, or delete them?",
                len(older),
            ).format(n=len(older)),
            parent=parent,
        )
        self.box.setObjectName("older_backups")
        self.reencrypt = self.box.addButton(_("&Re-encrypt"), QMessageBox.ButtonRole.AcceptRole)
        self.delete = self.box.addButton(_("&Delete"), QMessageBox.ButtonRole.DestructiveRole)
        self.keep = self.box.addButton(_("&Keep as they are"), QMessageBox.ButtonRole.RejectRole)
        self.box.setDefaultButton(self.reencrypt)

    def ask(self) -> None:
        self.box.exec()
        clicked = self.box.clickedButton()
        if clicked is self.reencrypt:
            self.tasks.run(self._reencrypt, success=self._reencrypted, failure=self._failed)
        elif clicked is self.delete:
            self.tasks.run(self._delete, failure=self._failed)

    def _reencrypt(self, _task: Task[int]) -> int:
        return len(self.notebook.reencrypt_backups(self.older, self.slot, self.secret))

    def _reencrypted(self, refused: int) -> None:
        if refused:
            QMessageBox.information(
                self.parent,
                _("Backups made before the change"),
                ngettext(
                    "{n} backup does not open with this passphrase (it is from before an "
                    "earlier change) and was left as it was.",
                    "{n} backups do not open with this passphrase (they are from before an "
                    "earlier change) and were left as they were.",
                    refused,
                ).format(n=refused),
            )

    def _delete(self, _task: Task[None]) -> None:
        self.notebook.delete_backups(self.older)

    def _failed(self, sentence: str) -> None:
        QMessageBox.warning(self.parent, _("Backups made before the change"), sentence)
