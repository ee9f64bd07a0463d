"""Changes of secrets in the window: Notebook → Change passphrase (the notebook is
re-encrypted, the old passphrase stops opening it), a reset with the recovery key on the
unlock page; after each the backups made before are offered for re-encryption or
deletion. And the backup folders a retention purge could not reach are shown at unlock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from counsellor_app.core.backups import list_backups
from counsellor_app.core.domain import CaseStatus, Step
from counsellor_app.core.errors import WrongPassphrase
from counsellor_app.core.store import Notebook, now
from counsellor_app.gui.rekey import ChangePassphraseDialog, unreached_folders_sentence
from tests.gui.helpers import WINDOW_PASSPHRASE, answer_modal, shown_window, unlocked_window
from tests.helpers import FAST_KDF, opens_with

NEW = "en helt ny og længere adgangsfrase"


def click(box: QMessageBox, role: QMessageBox.ButtonRole) -> None:
    (button,) = [b for b in box.buttons() if box.buttonRole(b) is role]
    button.click()


def test_the_passphrase_is_changed_from_the_menu_and_older_backups_re_encrypted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    notebook.set_backup_dir(tmp_path / "backups")
    before = notebook.backup()
    asked: dict[str, str] = {}

    def reencrypt(box: QMessageBox) -> None:
        asked["question"] = box.text()
        click(box, QMessageBox.ButtonRole.AcceptRole)

    offered = answer_modal(QMessageBox, reencrypt)
    (action,) = [
        action
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
        if action.text() == "Skift &adgangsfrase…"
    ]
    action.trigger()
    dialog = window.change_passphrase_dialog
    assert isinstance(dialog, ChangePassphraseDialog) and dialog.isVisible()
    dialog.current.setText(passphrase)
    dialog.fields.passphrase.setText(NEW)
    dialog.fields.repeat.setText(NEW)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: offered.seen, timeout=20_000)
    offered.check()
    assert not dialog.isVisible() and dialog.current.text() == ""
    assert "1" in asked["question"]
    qtbot.waitUntil(lambda: not notebook.older_backups(), timeout=20_000)
    window.chores.wait()
    assert not before.exists()
    (reencrypted,) = [info.path for info in list_backups(notebook.backup_dir, path.stem)]
    assert opens_with(reencrypted, tmp_path / "s", NEW)
    assert not opens_with(reencrypted, tmp_path / "s", passphrase)
    window.close()
    qtbot.waitUntil(lambda: not notebook.is_open, timeout=20_000)
    with pytest.raises(WrongPassphrase):
        Notebook.open(path, passphrase)
    with Notebook.open(path, NEW):
        pass


def test_a_wrong_current_passphrase_keeps_the_dialog_open(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    window.change_passphrase()
    dialog = window.change_passphrase_dialog
    dialog.current.setText("ikke den rigtige")
    dialog.fields.passphrase.setText(NEW)
    dialog.fields.repeat.setText(NEW)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    assert dialog.isVisible() and "adgangsfrase" in dialog.error.text().lower()
    dialog.reject()
    window.close()
    window.chores.wait()
    with Notebook.open(path, passphrase):
        pass


def test_after_a_reset_on_the_unlock_page_older_backups_can_be_deleted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    notebook, recovery_key = Notebook.create(path, WINDOW_PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        notebook.set_backup_dir(tmp_path / "backups")
        notebook.backup()
    window = shown_window(qtbot, path)
    page = window.unlock_page
    page.recover()
    dialog = page.recovery_dialog
    assert dialog is not None
    dialog.key.setText(recovery_key)
    dialog.fields.passphrase.setText(NEW)
    dialog.fields.repeat.setText(NEW)
    dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: page.recovery_dialog is None, timeout=20_000)

    offered = answer_modal(
        QMessageBox, lambda box: click(box, QMessageBox.ButtonRole.DestructiveRole)
    )
    page.passphrase.setText(NEW)
    page.try_unlock()
    qtbot.waitUntil(lambda: offered.seen, timeout=20_000)
    offered.check()
    unlocked = window.notebook
    assert unlocked is not None
    qtbot.waitUntil(lambda: not unlocked.older_backups(), timeout=20_000)
    assert list_backups(tmp_path / "backups", path.stem) == []
    # Kept only until that unlock.
    assert page.take_reset_key(path) is None
    window.close()
    window.chores.wait()


def test_the_hourly_purge_says_which_backup_folders_it_could_not_reach(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    stick, second = tmp_path / "stick", tmp_path / "second"
    notebook, _recovery = Notebook.create(path, WINDOW_PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        for folder in (stick, second):
            notebook.set_backup_dir(folder)
            notebook.backup()
    window = shown_window(qtbot, path)
    window.unlock_page.passphrase.setText(WINDOW_PASSPHRASE)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: window.notebook is not None, timeout=20_000)
    unlocked = window.notebook
    assert unlocked is not None
    bar = window.statusBar()
    window.daily_backup()  # the hourly timer's purge: every folder reached
    qtbot.waitUntil(lambda: not window.chores.busy(), timeout=20_000)
    assert str(stick) not in bar.currentMessage()

    case = unlocked.new_case()
    talk = unlocked.new_conversation(case.id)
    unlocked.save_note(talk.id, Step.LISTEN, "Tekst der skal væk")
    unlocked.set_status(case.id, CaseStatus.CLOSED)
    stick.rename(tmp_path / "stick-unplugged")  # a USB stick not plugged in
    unlocked.purge(at=now() + timedelta(days=800))  # as an earlier hourly purge did
    window.daily_backup()  # the next hourly purge tries the stick again, in vain
    qtbot.waitUntil(lambda: str(stick) in bar.currentMessage(), timeout=20_000)
    assert bar.currentMessage() == unreached_folders_sentence([stick])

    (tmp_path / "stick-unplugged").rename(stick)  # plugged in again
    window.daily_backup()
    qtbot.waitUntil(lambda: str(stick) not in bar.currentMessage(), timeout=20_000)
    assert list_backups(stick, path.stem) == []
    window.close()
    window.chores.wait()


def test_backup_folders_the_purge_could_not_reach_are_shown_at_unlock(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    stick, second = tmp_path / "stick", tmp_path / "second"
    notebook, _recovery = Notebook.create(path, WINDOW_PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        notebook.save_note(talk.id, Step.LISTEN, "Tekst der skal væk")
        notebook.set_status(case.id, CaseStatus.CLOSED)
        for folder in (stick, second):
            notebook.set_backup_dir(folder)
            notebook.backup()
        stick.rename(tmp_path / "stick-unplugged")  # a USB stick not plugged in
        notebook.purge(at=now() + timedelta(days=800))
        assert notebook.unreached_backup_folders == [stick]
    window = shown_window(qtbot, path)
    window.unlock_page.passphrase.setText(WINDOW_PASSPHRASE)
    window.unlock_page.try_unlock()

    def shown() -> QMessageBox | None:
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        return next((b for b in boxes if b.objectName() == "unreached_backup_folders"), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=20_000)
    box = shown()
    assert box is not None and str(stick) in box.text()
    box.accept()
    window.close()
    window.chores.wait()
