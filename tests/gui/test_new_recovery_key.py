"""Notebook → New recovery key: the passphrase is asked, the notebook re-encrypted, the new
key shown once in the recovery key dialog (the old one stops working), then the backups
made before are offered for re-encryption."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from counsellor_app.core.keys import PASSPHRASE_SLOT, KeyFile
from counsellor_app.core.store import Notebook
from counsellor_app.gui.unlock import RecoveryKeyDialog
from tests.gui.helpers import answer_modal, unlocked_window


def test_a_new_recovery_key_from_the_menu(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    notebook.set_backup_dir(tmp_path / "backups")
    notebook.backup()  # made before the change
    old_data_key = KeyFile.read(path).unwrap(PASSPHRASE_SLOT, passphrase)
    shown: dict[str, str] = {}

    def type_passphrase(box: QInputDialog) -> None:
        box.setTextValue(passphrase)
        box.accept()

    def keep_key(box: RecoveryKeyDialog) -> None:
        shown["key"] = box.recovery_key
        box.kept.setChecked(True)
        box.accept()

    def reencrypt(box: QMessageBox) -> None:
        shown["question"] = box.text()
        (button,) = [b for b in box.buttons() if box.buttonRole(b) is box.ButtonRole.AcceptRole]
        button.click()

    asked = answer_modal(QInputDialog, type_passphrase)
    key_shown = answer_modal(RecoveryKeyDialog, keep_key)
    offered = answer_modal(QMessageBox, reencrypt)
    (action,) = [
        action
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
        if action.text() == "Ny &gendannelsesnøgle…"
    ]
    action.trigger()
    asked.check()
    qtbot.waitUntil(lambda: key_shown.seen, timeout=20_000)
    key_shown.check()
    qtbot.waitUntil(lambda: offered.seen, timeout=20_000)
    offered.check()
    assert "1" in shown["question"]
    qtbot.waitUntil(lambda: not notebook.older_backups(), timeout=20_000)
    window.chores.wait()
    window.close()
    qtbot.waitUntil(lambda: not notebook.is_open, timeout=20_000)
    # The old key file's data key no longer reads the notebook; the new key opens it.
    assert KeyFile.read(path).unwrap(PASSPHRASE_SLOT, passphrase) != old_data_key
    with Notebook.open(path, recovery_key=shown["key"]):
        pass
    with Notebook.open(path, passphrase):
        pass


def test_a_wrong_passphrase_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, _passphrase = unlocked_window(qtbot, tmp_path)
    before = KeyFile.read(path).to_bytes()

    def type_wrong(box: QInputDialog) -> None:
        box.setTextValue("ikke det rigtige")
        box.accept()

    def read_refusal(box: QMessageBox) -> None:
        assert "adgangsfrase" in box.text().lower()
        box.accept()

    asked = answer_modal(QInputDialog, type_wrong)
    refused = answer_modal(QMessageBox, read_refusal)
    window.new_recovery_key()
    asked.check()
    qtbot.waitUntil(lambda: refused.seen, timeout=20_000)
    refused.check()
    assert KeyFile.read(path).to_bytes() == before
    assert window.notebook is not None and window.notebook.case_count() >= 0  # still open
