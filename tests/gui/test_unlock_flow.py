"""Before the notes, as a new user meets it: a long error shown whole, the first start
opening the new notebook at once, a notebook from another computer, the recovery key."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.i18n import _
from counsellor_app.core.keys import key_file_path, new_recovery_key
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.gui.app import start_window
from counsellor_app.gui.unlock import (
    MIN_PASSPHRASE_LENGTH,
    CreateNotebookDialog,
    RecoveryDialog,
    RecoveryKeyDialog,
    UnlockPage,
)
from tests.gui.helpers import (
    ModalAnswer,
    answer_modal,
    duplicates,
    make_notebook,
    mnemonics,
    shown_window,
    unlocked_window,
    unnamed_controls,
)
from tests.helpers import FAST_KDF


def in_page(page: UnlockPage, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def test_a_long_error_is_shown_whole_under_the_field(qtbot: QtBot, tmp_path: Path) -> None:
    # A notebook copied without care: its key file is another notebook's. The sentence
    # that says so is long.
    other = tmp_path / "other.cnb"
    passphrase = make_notebook(other)
    path = tmp_path / "copied.cnb"
    path.write_bytes(os.urandom(16 * 1024))
    shutil.copyfile(key_file_path(other), key_file_path(path))
    window = shown_window(qtbot, path)
    unlock = window.unlock_page
    unlock.passphrase.setText(passphrase)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    label = unlock.error
    assert window.notebook is None and len(label.text()) > 120

    line = label.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.heightForWidth(label.width()) >= 2 * line  # wrapped: more than one line
    assert label.width() >= unlock.passphrase.width()  # as wide as the field, not squeezed
    field, error, button = (
        in_page(unlock, unlock.passphrase),
        in_page(unlock, label),
        in_page(unlock, unlock.unlock_button),
    )
    assert not error.intersects(field) and error.top() >= field.bottom()
    assert button.top() >= error.bottom()  # the button is pushed down, not drawn over
    window.close()


def test_first_start_opens_the_new_notebook_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "first" / "notebook.cnb"
    good = "fire ord er nok her"
    seen: dict[str, object] = {}

    def keep_the_key(box: RecoveryKeyDialog) -> None:
        seen["key"] = box.key.text()
        box.kept.setChecked(True)
        box.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    def fill(box: CreateNotebookDialog) -> None:
        # Only notes what it sees and answers: the checks follow once exec() returned.
        seen["dialog"] = box
        # Typing goes into the passphrase, not into the role.
        qtbot.waitUntil(lambda: QApplication.focusWidget() is box.passphrase)
        seen["hint before typing"] = box.hint.text()
        qtbot.keyClicks(QApplication.focusWidget(), "kort")
        seen["hint after typing"] = box.hint.text()
        qtbot.keyClicks(box.repeat, "kort")
        box.ok.click()
        seen["short refused"] = (box.isVisible(), box.error.text(), path.exists())
        for field in (box.passphrase, box.repeat):
            field.clear()
            qtbot.keyClicks(field, good)
        seen["key answer"] = answer_modal(RecoveryKeyDialog, keep_the_key)
        box.ok.click()  # made in the background, then the recovery key is shown
        seen["busy"] = box.busy() and not box.ok.isEnabled()
        qtbot.waitUntil(lambda: not box.isVisible(), timeout=20_000)

    answer = answer_modal(CreateNotebookDialog, fill)
    window = start_window(path)
    answer.check()
    key_answer = seen["key answer"]
    assert isinstance(key_answer, ModalAnswer)
    key_answer.check()
    assert seen["hint before typing"] == ""  # no verdict before anything is typed
    assert seen["hint after typing"] != ""
    visible, error, made = seen["short refused"]  # type: ignore[misc]
    assert visible and str(MIN_PASSPHRASE_LENGTH) in error
    assert not made  # refused: nothing was made
    assert seen["busy"] is True
    assert window is not None
    qtbot.addWidget(window)
    dialog = seen["dialog"]
    assert isinstance(dialog, CreateNotebookDialog)
    assert dialog.passphrase.text() == "" and dialog.repeat.text() == ""  # not kept
    # Open at once: no second typing of the passphrase just chosen.
    assert window.notebook is not None
    assert window.stack.currentWidget() is window.notebook_page
    assert AppSettings.load().last_notebook == str(path)
    window.lock()
    window.chores.wait()
    with Notebook.open(path, good) as notebook:
        assert notebook.case_count() == 0
    with Notebook.open(path, recovery_key=str(seen["key"])) as notebook:
        assert notebook.case_count() == 0


def test_a_short_passphrase_is_refused_when_creating(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    dialog = CreateNotebookDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    short = "x" * (MIN_PASSPHRASE_LENGTH - 1)
    qtbot.keyClicks(dialog.passphrase, short)
    qtbot.keyClicks(dialog.repeat, short)
    dialog.create_notebook()
    assert dialog.notebook is None and not path.exists()
    assert str(MIN_PASSPHRASE_LENGTH) in dialog.error.text()
    assert "12" in dialog.hint.text()  # the hint still asks for more
    # The dialog grows for the sentences: each label as high as its wrapped text.
    for label in (dialog.hint, dialog.error):
        qtbot.waitUntil(lambda label=label: label.height() >= label.heightForWidth(label.width()))


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose Documents folder is ``tmp_path/user/Documents``."""
    user = tmp_path / "user"
    (user / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(user))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(user / ".config"))
    return user / "Documents"


def test_open_a_notebook_copied_from_another_computer(
    qtbot: QtBot, tmp_path: Path, documents: Path
) -> None:
    window = shown_window(qtbot, tmp_path / "home" / "data" / "notebook.cnb")
    unlock = window.unlock_page
    copied = tmp_path / "usb" / "from-office.cnb"
    copied.parent.mkdir()
    passphrase = make_notebook(copied)
    started_in: list[Path] = []

    def pick(box: QFileDialog) -> None:
        started_in.append(Path(box.directory().absolutePath()))
        # The path typed into the file name field (as a user may), then Open.
        box.findChild(QLineEdit, "fileNameEdit").setText(str(copied))
        box.accept()

    answer = answer_modal(QFileDialog, pick)
    unlock.open_other.click()
    answer.check()
    assert started_in == [documents]  # not the folder the app was started in
    assert unlock.path == copied and str(copied) in unlock.path_label.text()
    assert window.path == copied
    assert AppSettings.load().last_notebook == str(copied)  # opened at the next start too
    unlock.passphrase.setText(passphrase)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    assert window.notebook is not None and window.notebook.path == copied
    assert window.notebook_page.model.rowCount() == 3
    window.lock()
    window.chores.wait()
    assert unlock.path == copied  # still this notebook after the lock


def test_a_first_start_on_a_new_computer_opens_a_copied_notebook(
    qtbot: QtBot, tmp_path: Path, documents: Path
) -> None:
    copied = documents / "notebook.cnb"  # brought from the old computer
    passphrase = make_notebook(copied)
    default = tmp_path / "home" / "data" / "notebook.cnb"
    answers: list[ModalAnswer[QFileDialog]] = []
    started_in: list[Path] = []

    def pick(box: QFileDialog) -> None:
        started_in.append(Path(box.directory().absolutePath()))
        box.findChild(QLineEdit, "fileNameEdit").setText(str(copied))
        box.accept()

    def open_existing(box: CreateNotebookDialog) -> None:
        answers.append(answer_modal(QFileDialog, pick))
        box.open_existing.click()

    answer = answer_modal(CreateNotebookDialog, open_existing)
    window = start_window(default)
    answer.check()
    [file_answer] = answers
    file_answer.check()
    assert started_in == [documents]
    assert window is not None
    qtbot.addWidget(window)
    assert not default.exists()  # nothing was made
    assert window.unlock_page.path == copied and window.notebook is None
    assert AppSettings.load().last_notebook == str(copied)
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    assert window.notebook is not None and window.notebook_page.model.rowCount() == 3
    window.lock()
    window.chores.wait()


def test_a_notebook_without_its_key_file_says_what_to_copy(qtbot: QtBot, tmp_path: Path) -> None:
    window = shown_window(qtbot, tmp_path / "n.cnb")
    unlock = window.unlock_page
    source = tmp_path / "source.cnb"
    make_notebook(source)
    alone = tmp_path / "usb" / "alone.cnb"
    alone.parent.mkdir()
    shutil.copyfile(source, alone)  # the notebook, but not its key file
    assert not unlock.switch_to(alone)
    assert "alone.cnb.key" in unlock.error.text()
    assert unlock.path == tmp_path / "n.cnb"  # still the notebook it was
    assert AppSettings.load().last_notebook != str(alone)
    # Its key file picked instead of the notebook: the notebook beside it is meant.
    shutil.copyfile(key_file_path(source), key_file_path(alone))
    assert unlock.switch_to(key_file_path(alone))
    assert unlock.path == alone and unlock.error.text() == ""
    # The same on a first start: the dialog says what is missing and stays.
    dialog = CreateNotebookDialog(tmp_path / "new.cnb")
    qtbot.addWidget(dialog)
    dialog.show()
    key_file_path(alone).unlink()
    assert not dialog.use_existing(alone)
    assert dialog.isVisible() and "alone.cnb.key" in dialog.error.text()


def test_the_unlock_page_has_unique_alt_keys_and_names(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    make_notebook(path)
    window = shown_window(qtbot, path)
    keys = mnemonics(window)
    assert duplicates(keys) == set()
    assert window.unlock_page.open_other.text().replace("&&", "").count("&") == 1
    assert unnamed_controls(window) == []


def test_recovery_keeps_what_was_typed_when_the_key_is_wrong(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    notebook, recovery_key = Notebook.create(path, "the old passphrase", kdf=FAST_KDF)
    notebook.close()
    window = shown_window(qtbot, path)
    unlock = window.unlock_page
    unlock.forgot_button.click()
    dialog = unlock.recovery_dialog
    assert isinstance(dialog, RecoveryDialog)
    qtbot.waitUntil(dialog.isVisible)

    # The whole title fits in the title bar (drawn bold), and the whole key in its field.
    bold = QFont(dialog.font())
    bold.setBold(True)
    assert dialog.width() > QFontMetrics(bold).horizontalAdvance(dialog.windowTitle())
    dialog.key.setText(recovery_key)
    dialog.key.end(False)  # where a field too narrow scrolls its start out of sight
    left = dialog.key.contentsRect().left() + 4
    assert dialog.key.cursorPositionAt(QPoint(left, dialog.key.height() // 2)) == 0
    dialog.key.clear()

    # The new passphrase: twice, with the hint, and the same minimum as when creating.
    assert dialog.fields.hint.text() == ""
    qtbot.keyClicks(dialog.key, new_recovery_key())  # a key, but not this notebook's
    qtbot.keyClicks(dialog.fields.passphrase, "kort")
    assert dialog.fields.hint.text() != ""
    qtbot.keyClicks(dialog.fields.repeat, "kort")
    dialog.ok.click()
    assert dialog.isVisible() and str(MIN_PASSPHRASE_LENGTH) in dialog.error.text()
    new = "en ny og lang adgangsfrase"
    for field in (dialog.fields.passphrase, dialog.fields.repeat):
        field.clear()
        qtbot.keyClicks(field, new)
    dialog.ok.click()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=10_000)
    # A wrong key: the dialog stays, says why, and keeps everything typed.
    assert dialog.isVisible() and unlock.recovery_dialog is dialog
    assert "gendannelsesnøgle" in dialog.error.text().lower()
    assert dialog.fields.passphrase.text() == new and dialog.fields.repeat.text() == new
    assert dialog.key.hasFocus() or dialog.key.selectedText() == dialog.key.text()
    with Notebook.open(path, "the old passphrase"):
        pass  # nothing was changed

    dialog.key.setText(recovery_key.lower().replace("-", " "))  # as typed from paper
    dialog.ok.click()
    qtbot.waitUntil(lambda: unlock.recovery_dialog is None, timeout=10_000)  # it closed
    assert unlock.error.text()  # the page says the passphrase was changed
    unlock.passphrase.setText(new)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    assert window.notebook is not None
    window.lock()
    window.chores.wait()


def test_unlocking_waits_for_the_last_close_off_the_ui_thread(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unlocking right after a lock whose close is slow: the open waits behind the close
    on the notebook lane, while the page shows it is busy and the window answers."""
    window, _path, passphrase = unlocked_window(qtbot, tmp_path)
    gate = threading.Event()
    real_close = Notebook.close

    def close(self: Notebook) -> None:
        assert gate.wait(10), "the close was waited for on the UI thread"
        real_close(self)

    monkeypatch.setattr(Notebook, "close", close)
    unlock = window.unlock_page
    try:
        window.lock()  # the close runs in the background and waits on the gate
        unlock.passphrase.setText(passphrase)
        unlock.try_unlock()
        assert unlock.busy() and not unlock.unlock_button.isEnabled()
        assert unlock.unlock_button.text() == _("Unlocking…")
        ticks: list[int] = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks))  # the event loop runs meanwhile
        assert window.notebook is None and unlock.passphrase.text() == passphrase
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    assert window.notebook is not None
    assert unlock.unlock_button.isEnabled() and unlock.unlock_button.text() == _("Unlock")
    window.lock()
    window.chores.wait()


def test_the_word_lists_are_set_aside_from_the_garbage_collector_on_the_unlock_page(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A full collection of Python's garbage walked the anonymity guard's word lists (some
    million words: 70-120 ms in which the window answered no key): they are loaded while
    the unlock page waits, and frozen (gc.freeze) with what else lives as long as the
    program, before anything of a notebook exists."""
    from counsellor_app.core.anonymity.data import lexicon

    path = tmp_path / "n.cnb"
    make_notebook(path)
    frozen = gc.get_freeze_count()
    window = shown_window(qtbot, path)
    try:
        qtbot.waitUntil(lambda: gc.get_freeze_count() > frozen, timeout=60_000)
        assert window.notebook is None
        words = lexicon().words
        assert len(words) > 10_000
        assert gc.is_tracked(words)
        assert not any(tracked is words for tracked in gc.get_objects())  # not walked
    finally:
        gc.unfreeze()
