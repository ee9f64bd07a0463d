"""The settings dialog on a real encrypted notebook: what OK stores, what Cancel forgets,
and how a folder that cannot take backups is refused."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.i18n import set_language
from counsellor_app.core.paths import default_backup_dir
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.gui.settings_dialog import SettingsDialog
from counsellor_app.gui.tasks import Lane, lane_pool
from tests.helpers import FAST_KDF

PASSPHRASE = "correct horse battery"


class Setup:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.nb, _recovery = Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)

    def reopen(self) -> Notebook:
        self.nb.close()
        self.nb = Notebook.open(self.path, PASSPHRASE)
        return self.nb


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    """The sentences are checked in English (after conftest has set Danish)."""
    set_language("en")


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    made = Setup(tmp_path / "n.cnb")
    yield made
    made.nb.close()


def make_dialog(qtbot: QtBot, setup: Setup, settings: AppSettings | None = None) -> SettingsDialog:
    dialog = SettingsDialog(setup.nb, settings or AppSettings.load())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click_ok(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def click_cancel(dialog: SettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


def read_only_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


needs_non_root = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write to read-only folders"
)


def test_shows_the_notebooks_current_settings(qtbot: QtBot, setup: Setup) -> None:
    setup.nb.set_auto_lock_minutes(7)
    setup.nb.set_retention_months(18)
    dialog = make_dialog(qtbot, setup, AppSettings(language="en"))
    assert dialog.auto_lock.value() == 7
    assert dialog.retention.value() == 18
    assert dialog.language.currentData() == "en"
    assert dialog.language.currentText() == "English"
    assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == [
        "Dansk",
        "English",
    ]
    assert dialog.backup_line.text() == str(default_backup_dir(setup.nb.notebook_id))
    assert dialog.backup_folder() is None
    assert not dialog.default_button.isEnabled()


def test_auto_lock_and_retention_are_stored_in_the_notebook(qtbot: QtBot, setup: Setup) -> None:
    dialog = make_dialog(qtbot, setup)
    with qtbot.waitSignal(dialog.auto_lock_changed) as changed:
        dialog.auto_lock.setValue(15)
        dialog.retention.setValue(24)
        click_ok(dialog)
    assert changed.args == [15]
    assert dialog.result() == QDialog.DialogCode.Accepted
    notebook = setup.reopen()
    assert notebook.auto_lock_minutes == 15
    assert notebook.retention_months == 24


def test_chosen_backup_folder_takes_backups(qtbot: QtBot, setup: Setup, tmp_path: Path) -> None:
    folder = tmp_path / "usb" / "backups"
    dialog = make_dialog(qtbot, setup)
    assert dialog.choose_backup_folder(folder)
    assert dialog.backup_line.text() == str(folder)
    assert dialog.default_button.isEnabled()
    assert dialog.error_text() == ""

    # "Back up now" writes into the folder shown, before OK.
    with qtbot.waitSignal(dialog.backup_finished, timeout=10_000) as written:
        dialog.back_up_button.click()
    backup = Path(written.args[0])
    assert backup.parent == folder and backup.is_file()
    assert str(backup) in dialog.backup_status.text()
    assert dialog.back_up_button.isEnabled()

    click_ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    notebook = setup.reopen()
    assert notebook.backup_dir == folder
    assert notebook.backup().parent == folder


def test_default_button_goes_back_to_the_default_folder(
    qtbot: QtBot, setup: Setup, tmp_path: Path
) -> None:
    setup.nb.set_backup_dir(tmp_path / "elsewhere")
    dialog = make_dialog(qtbot, setup)
    assert dialog.backup_line.text() == str(tmp_path / "elsewhere")
    dialog.default_button.click()
    assert dialog.backup_folder() is None
    assert dialog.backup_line.text() == str(default_backup_dir(setup.nb.notebook_id))
    click_ok(dialog)
    assert setup.reopen().backup_dir == default_backup_dir(setup.nb.notebook_id)


def test_a_file_instead_of_a_folder_is_refused_and_the_old_folder_kept(
    qtbot: QtBot, setup: Setup, tmp_path: Path
) -> None:
    good = tmp_path / "good"
    setup.nb.set_backup_dir(good)
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    dialog = make_dialog(qtbot, setup)
    assert not dialog.choose_backup_folder(not_a_folder / "backups")
    assert "not a folder" in dialog.error_text()
    assert dialog.error_label.isVisible()
    assert dialog.backup_line.text() == str(good)
    assert dialog.backup_folder() == good
    click_ok(dialog)
    assert setup.reopen().backup_dir == good


@needs_non_root
def test_a_read_only_folder_is_refused_and_the_old_folder_kept(
    qtbot: QtBot, setup: Setup, tmp_path: Path
) -> None:
    folder = read_only_folder(tmp_path)
    try:
        dialog = make_dialog(qtbot, setup)
        assert not dialog.choose_backup_folder(folder)
        assert "read-only" in dialog.error_text()
        assert dialog.backup_folder() is None
        click_ok(dialog)
        assert setup.reopen().backup_dir == default_backup_dir(setup.nb.notebook_id)
    finally:
        folder.chmod(0o700)


def test_a_folder_gone_bad_before_ok_keeps_the_dialog_open_and_stores_nothing(
    qtbot: QtBot, setup: Setup, tmp_path: Path
) -> None:
    folder = tmp_path / "stick"
    dialog = make_dialog(qtbot, setup)
    dialog.retention.setValue(36)
    dialog.auto_lock.setValue(9)
    assert dialog.choose_backup_folder(folder)
    # The folder is replaced by a file (say, a drive swapped) before OK.
    folder.rmdir()
    folder.write_text("not a folder")
    with qtbot.assertNotEmitted(dialog.auto_lock_changed):
        click_ok(dialog)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "not a folder" in dialog.error_text()
    notebook = setup.reopen()
    assert notebook.retention_months == 12
    assert notebook.auto_lock_minutes == 5
    assert notebook.backup_dir == default_backup_dir(notebook.notebook_id)


def test_back_up_now_into_a_bad_folder_shows_the_sentence(
    qtbot: QtBot, setup: Setup, tmp_path: Path
) -> None:
    folder = tmp_path / "later-a-file"
    dialog = make_dialog(qtbot, setup)
    assert dialog.choose_backup_folder(folder)
    folder.rmdir()
    folder.write_text("x")
    with qtbot.waitSignal(dialog.backup_failed, timeout=10_000) as failed:
        dialog.back_up_button.click()
    assert failed.args[0] == dialog.error_text()
    assert "not a folder" in dialog.error_text()
    assert dialog.backup_status.text() == ""
    assert dialog.back_up_button.isEnabled()


def test_language_change_is_saved_and_announced(qtbot: QtBot, setup: Setup) -> None:
    assert AppSettings.load().language == "da"
    settings = AppSettings(language="da", last_notebook=str(setup.path))
    dialog = make_dialog(qtbot, setup, settings)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.waitSignal(dialog.language_changed) as changed:
        click_ok(dialog)
    assert changed.args == ["en"]
    saved = AppSettings.load()
    assert saved.language == "en"
    assert saved.last_notebook == str(setup.path)


def test_unchanged_language_is_not_announced(qtbot: QtBot, setup: Setup) -> None:
    dialog = make_dialog(qtbot, setup, AppSettings(language="da"))
    with qtbot.assertNotEmitted(dialog.language_changed):
        click_ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_settings_that_cannot_be_saved_roll_back_the_notebook(
    qtbot: QtBot, setup: Setup, app_home: Path
) -> None:
    # The config folder is a file, so the computer's settings cannot be written.
    app_home.mkdir(parents=True, exist_ok=True)
    (app_home / "config").write_text("in the way")
    settings = AppSettings(language="da")
    dialog = make_dialog(qtbot, setup, settings)
    dialog.retention.setValue(30)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    with qtbot.assertNotEmitted(dialog.language_changed):
        click_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error_text()
    assert settings.language == "da"
    assert setup.reopen().retention_months == 12


def test_cancel_changes_nothing(qtbot: QtBot, setup: Setup, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, setup, AppSettings(language="da"))
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.auto_lock.setValue(30)
    dialog.retention.setValue(48)
    assert dialog.choose_backup_folder(tmp_path / "elsewhere")
    with qtbot.assertNotEmitted(dialog.language_changed):
        click_cancel(dialog)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not AppSettings.path().exists()
    notebook = setup.reopen()
    assert notebook.auto_lock_minutes == 5
    assert notebook.retention_months == 12
    assert notebook.backup_dir == default_backup_dir(notebook.notebook_id)


def test_controls_are_named_labelled_and_in_tab_order(qtbot: QtBot, setup: Setup) -> None:
    dialog = make_dialog(qtbot, setup)
    controls = [
        dialog.language,
        dialog.auto_lock,
        dialog.retention,
        dialog.backup_line,
        dialog.choose_button,
        dialog.default_button,
        dialog.back_up_button,
    ]
    for control in controls:
        assert control.accessibleName(), control
    buddies = {
        label.buddy(): label.text() for label in dialog.findChildren(QLabel) if label.buddy()
    }
    for control in controls[:4]:
        assert "&" in buddies[control]
    assert dialog.retention.accessibleDescription() == dialog.retention_hint.text()
    assert dialog.auto_lock.suffix().strip() and dialog.retention.suffix().strip()
    order: list[QWidget] = []
    widget: QWidget = dialog.language
    for _step in range(200):
        if widget in controls and widget not in order:
            order.append(widget)
        following = widget.nextInFocusChain()
        assert following is not None
        widget = following
    assert order == controls


def test_wrapped_sentences_are_not_clipped(qtbot: QtBot, setup: Setup) -> None:
    dialog = make_dialog(qtbot, setup)
    dialog.show_error("A long sentence that has to wrap over several lines. " * 4)
    dialog.resize(dialog.minimumSizeHint().width(), 50)
    qtbot.waitUntil(lambda: dialog.height() > 50)
    for label in (dialog.retention_hint, dialog.error_label):
        assert label.height() >= label.heightForWidth(label.width()), label.text()


@pytest.fixture
def slow_backup(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every backup of a real notebook waits for this gate (opened at the end at the
    latest); the gate is "not yet opened" while the backup is under way."""
    gate = threading.Event()
    real_backup = Notebook.backup

    def backup(self: Notebook, folder: Path | None = None) -> Path:
        assert gate.wait(10), "the backup was waited for on the UI thread"
        return real_backup(self, folder)

    monkeypatch.setattr(Notebook, "backup", backup)
    yield gate
    gate.set()


def test_back_up_now_keeps_the_dialog_answering(
    qtbot: QtBot, setup: Setup, tmp_path: Path, slow_backup: threading.Event
) -> None:
    dialog = make_dialog(qtbot, setup)
    assert dialog.choose_backup_folder(tmp_path / "backups")
    finished: list[str] = []
    dialog.backup_finished.connect(finished.append)
    dialog.back_up_button.click()
    # The backup waits on its thread; the dialog shows it is busy and takes input.
    assert not dialog.back_up_button.isEnabled()
    assert dialog.backup_status.text() == "Backing up…"
    dialog.auto_lock.setFocus()
    dialog.auto_lock.selectAll()
    qtbot.keyClicks(dialog.auto_lock, "9")
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks))  # the event loop runs meanwhile
    dialog.back_up_button.click()  # a second click starts no second backup
    assert finished == []
    slow_backup.set()
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=10_000)
    assert dialog.back_up_button.isEnabled()
    assert len(list((tmp_path / "backups").glob("*.cnb"))) == 1
    assert dialog.auto_lock.value() == 9  # typed while it ran: not lost


def test_closing_the_dialog_does_not_wait_for_the_backup(
    qtbot: QtBot, setup: Setup, tmp_path: Path, slow_backup: threading.Event
) -> None:
    dialog = SettingsDialog(setup.nb, AppSettings.load())  # destroyed below, not by qtbot
    dialog.show()
    assert dialog.choose_backup_folder(tmp_path / "backups")
    finished: list[str] = []
    dialog.backup_finished.connect(finished.append)
    dialog.back_up_button.click()
    click_cancel(dialog)  # returns at once: the backup holds the notebook, not the dialog
    assert dialog.result() == QDialog.DialogCode.Rejected
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    slow_backup.set()
    lane_pool(Lane.NOTEBOOK).waitForDone()
    QApplication.processEvents()
    assert finished == []  # nothing called into the closed dialog
    assert len(list((tmp_path / "backups").glob("*.cnb"))) == 1  # and it was written
