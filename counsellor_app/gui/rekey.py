"""Changes of secrets from the window: a new recovery key (Notebook menu), and what to do
with the backups made before a change, which still open with the secrets of their time.

The work (re-encrypting the notebook or its backups, listing folders) runs on the window's
notebook lane; only the questions and the answers are on the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from counsellor_app.core.backups import BackupInfo
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.keys import PASSPHRASE_SLOT
from counsellor_app.gui.tasks import Task, TaskRunner
from counsellor_app.gui.unlock import RecoveryKeyDialog

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
