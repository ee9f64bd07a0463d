"""Damaged files: notebooks and backups cut short, bit-flipped, emptied, replaced by a
plain SQLite file or by another program's file. Each is refused with a plain sentence;
nothing is written over; and where the notebook will not open, the newest backup that
does is named (by the core, the command line and the unlock page) and can be restored.

The damage is seeded (``random.Random``), so every failure can be made again.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counsellor_app.core.backups import (
    list_backups,
    newest_good_backup,
    restore,
    verify_backup,
)
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.errors import BackupError, UserError, WrongPassphrase
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import PASSPHRASE_SLOT, KeyFile, key_file_path
from counsellor_app.core.paths import default_backup_dir
from counsellor_app.core.store import Notebook
from tests.faults.support import PASSPHRASE, ROOT, one_sentence
from tests.helpers import FAST_KDF

PAGE = 4096


class Setup:
    """A notebook of 30 cases and three backups of it in the default backup folder, made
    one after another (their times set apart so that "newest" is certain): 10, 20 and 30
    cases."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "notebook.cnb"
        self.backups: list[Path] = []
        notebook, self.recovery_key = Notebook.create(self.path, PASSPHRASE, kdf=FAST_KDF)
        with notebook:
            for round_number in range(3):
                fill_demo(notebook, 10, seed=round_number)
                self.backups.append(notebook.backup())
            self.folder = notebook.backup_dir
        for age, backup in zip((300, 200, 100), self.backups, strict=True):
            moment = backup.stat().st_mtime - age
            os.utime(backup, (moment, moment))
        self.good = self.path.read_bytes()

    def files(self) -> dict[str, bytes]:
        """Every file of the notebook and its backups, by name."""
        return {
            str(p): p.read_bytes()
            for folder in (self.path.parent, self.folder)
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")
        }


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return Setup(tmp_path_factory.mktemp("damage"))


@pytest.fixture
def setup(made: Setup, tmp_path: Path) -> Setup:
    """A fresh copy of the module's notebook and backups (making them takes a while)."""
    copy = Setup.__new__(Setup)
    (tmp_path / "copy").mkdir()
    copy.path = tmp_path / "copy" / made.path.name
    for name in (made.path, key_file_path(made.path)):
        shutil.copyfile(name, copy.path.with_name(name.name))
    # This test's own default backup folder (each test has its own data folder).
    copy.folder = default_backup_dir(KeyFile.read(made.path).notebook_id)
    shutil.copytree(made.folder, copy.folder)
    copy.backups = [copy.folder / b.name for b in made.backups]
    for original, backup in zip(made.backups, copy.backups, strict=True):
        stat = original.stat()
        os.utime(backup, (stat.st_atime, stat.st_mtime))
    copy.recovery_key = made.recovery_key
    copy.good = made.good
    return copy


def plain_sqlite() -> bytes:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"plain-{os.getpid()}.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text)")
        connection.execute("INSERT INTO notes VALUES ('not a notebook')")
    connection.close()
    data = path.read_bytes()
    path.unlink()
    return data


def zip_file() -> bytes:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"other-{os.getpid()}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("document.xml", "<w:document/>" * 200)
    data = path.read_bytes()
    path.unlink()
    return data


def damages(good: bytes, seed: int) -> list[tuple[str, bytes]]:
    """Seeded damage to ``good``: every kind the issue names, at random places."""
    rng = random.Random(seed)
    found: list[tuple[str, bytes]] = [
        ("empty", b""),
        ("cut in the header", good[:10]),
        ("one page", good[:PAGE]),
        ("plain SQLite", plain_sqlite()),
        ("PNG", b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(3000))),
        ("zip (a word document)", zip_file()),
        ("PDF", b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 100),
        ("text", "Kære dagbog, i dag ...\n".encode() * 300),
    ]
    for _ in range(4):
        cut = rng.randrange(PAGE + 1, len(good) - 1)
        found.append((f"cut at {cut}", good[:cut]))
    for _ in range(10):
        data = bytearray(good)
        at = rng.randrange(len(data))
        data[at] ^= 1 << rng.randrange(8)
        found.append((f"bit flipped at {at}", bytes(data)))
    page = rng.randrange(1, len(good) // PAGE)
    found.append(
        (f"page {page} zeroed", good[: page * PAGE] + bytes(PAGE) + good[(page + 1) * PAGE :])
    )
    return found


DAMAGES = [name for name, _data in damages(b"x" * PAGE * 40, 0)]


def other_programs_notebook(tmp_path: Path) -> bytes:
    """A SQLCipher file of the same kind made with another key (another notebook)."""
    other, _key = Notebook.create(tmp_path / "other.cnb", PASSPHRASE, kdf=FAST_KDF)
    other.close()
    return (tmp_path / "other.cnb").read_bytes()


# ---------------------------------------------------------------------- notebooks


@pytest.mark.parametrize("index", range(len(DAMAGES)), ids=DAMAGES)
def test_damaged_notebook_refused_untouched_newest_good_backup_offered(
    setup: Setup, index: int
) -> None:
    name, data = damages(setup.good, seed=80)[index]
    setup.path.write_bytes(data)
    # The newest backup is damaged too (cut short): the one before it is offered.
    newest = setup.backups[-1]
    newest.write_bytes(newest.read_bytes()[: 3 * PAGE])
    before = setup.files()
    try:
        notebook = Notebook.open(setup.path, PASSPHRASE)
    except WrongPassphrase:
        pytest.fail(f"{name}: the right passphrase was called wrong")
    except UserError as error:
        text = str(error)
        assert one_sentence(text), text
        assert error.backup == setup.backups[1], (name, text)  # type: ignore[attr-defined]
        assert str(setup.backups[1]) in text
    else:
        # Damage in a page not read on opening: the integrity check finds it (or says
        # plainly that the notebook cannot be read).
        with notebook:
            try:
                intact = notebook.integrity_check()
            except UserError as error:
                assert one_sentence(str(error))
                intact = False
            assert not intact, f"{name} went unnoticed"
    assert setup.files() == before, f"{name}: a file was changed"


def test_notebook_of_another_key_refused_untouched(setup: Setup, tmp_path: Path) -> None:
    setup.path.write_bytes(other_programs_notebook(tmp_path))
    before = setup.files()
    with pytest.raises(UserError) as info:
        Notebook.open(setup.path, PASSPHRASE)
    assert one_sentence(str(info.value))
    assert info.value.backup == setup.backups[-1]  # type: ignore[attr-defined]
    assert setup.files() == before


def test_no_backup_offered_without_a_good_one_or_the_right_secret(setup: Setup) -> None:
    setup.path.write_bytes(b"")
    assert newest_good_backup(setup.path, "forkert") is None  # a wrong secret proves nothing
    for backup in setup.backups:
        data = bytearray(backup.read_bytes())
        data[2 * PAGE + 7] ^= 0x20
        backup.write_bytes(bytes(data))
    assert newest_good_backup(setup.path, PASSPHRASE) is None
    with pytest.raises(UserError) as info:
        Notebook.open(setup.path, PASSPHRASE)
    assert getattr(info.value, "backup", None) is None
    assert str(setup.folder) not in str(info.value)  # no backup named


def test_newest_good_backup_without_the_notebooks_key_file(setup: Setup) -> None:
    """The notebook and its key file both gone bad: each backup's own key file opens it,
    and the recovery key does too."""
    setup.path.write_bytes(setup.good[: 2 * PAGE])
    key_file_path(setup.path).write_text("{ this is not a key file")
    found = newest_good_backup(setup.path, PASSPHRASE)
    assert found is not None and found.path == setup.backups[-1]
    by_recovery = newest_good_backup(setup.path, recovery_key=setup.recovery_key)
    assert by_recovery is not None and by_recovery.path == setup.backups[-1]


def test_restoring_the_offered_backup_keeps_the_damaged_file(setup: Setup) -> None:
    damaged = setup.good[: 5 * PAGE]
    setup.path.write_bytes(damaged)
    with pytest.raises(UserError) as info:
        Notebook.open(setup.path, PASSPHRASE)
    offered = info.value.backup  # type: ignore[attr-defined]
    aside = restore(setup.path, offered, PASSPHRASE)
    assert aside is not None and aside.read_bytes() == damaged
    with Notebook.open(setup.path, PASSPHRASE) as notebook:
        assert notebook.integrity_check() and notebook.case_count() == 30


@pytest.mark.parametrize(
    "language,words",
    [("da", "Den nyeste brugbare sikkerhedskopi er"), ("en", "The newest good backup is")],
)
def test_the_offer_is_a_sentence_in_both_languages(setup: Setup, language: str, words: str) -> None:
    setup.path.write_bytes(setup.good[: 2 * PAGE])
    set_language(language)
    with pytest.raises(UserError) as info:
        Notebook.open(setup.path, PASSPHRASE)
    set_language("da")
    text = str(info.value)
    assert one_sentence(text)
    assert f"{words} {setup.backups[-1]}" in text


# ---------------------------------------------------------------------- backups


@pytest.mark.parametrize("index", range(len(DAMAGES)), ids=DAMAGES)
def test_damaged_backup_refused_and_restore_changes_nothing(setup: Setup, index: int) -> None:
    backup = setup.backups[-1]
    name, data = damages(backup.read_bytes(), seed=81)[index]
    backup.write_bytes(data)
    key_file = KeyFile.read(setup.path)
    with pytest.raises(BackupError) as info:
        verify_backup(backup, key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE), key_file.notebook_id)
    assert one_sentence(str(info.value)) and backup.name in str(info.value)
    before = setup.files()
    with pytest.raises(BackupError):
        restore(setup.path, backup, PASSPHRASE)
    assert setup.files() == before, f"{name}: restoring a damaged backup changed a file"
    found = newest_good_backup(setup.path, PASSPHRASE)
    assert found is not None and found.path == setup.backups[1]
    assert len(list_backups(setup.folder)) == 3  # a damaged backup is not deleted either


# ---------------------------------------------------------------------- command line and window


def test_command_line_names_the_newest_good_backup(setup: Setup, app_home: Path) -> None:
    setup.path.write_bytes(setup.good[: 3 * PAGE])
    before = setup.files()
    result = subprocess.run(
        [sys.executable, "-m", "counsellor_app", "search", str(setup.path)],
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COUNSELLOR_APP_HOME": str(app_home), "COUNSELLOR_APP_LANG": "da"},
    )
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert str(setup.backups[-1]) in line
    assert setup.files() == before


def test_unlock_page_offers_and_restores_the_newest_good_backup(qtbot: QtBot, setup: Setup) -> None:
    from tests.gui.helpers import shown_window

    damaged = bytearray(setup.good)
    damaged[PAGE + 100] ^= 0xFF  # page 2, read on opening
    setup.path.write_bytes(bytes(damaged))
    window = shown_window(qtbot, setup.path)
    unlock = window.unlock_page
    assert not unlock.restore_button.isVisibleTo(unlock)
    unlock.passphrase.setText(PASSPHRASE)
    unlock.try_unlock()
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    assert window.notebook is None
    assert str(setup.backups[-1]) in unlock.error.text()
    assert unlock.restore_button.isVisibleTo(unlock)
    unlock.restore_button.click()
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    assert window.notebook is not None  # restored, then unlocked
    assert window.notebook.case_count() == 30
    assert not unlock.restore_button.isVisibleTo(unlock)
    (aside,) = setup.path.parent.glob("notebook.cnb.before-restore-*[0-9]")
    assert aside.read_bytes() == bytes(damaged)  # the damaged notebook is kept, as it was
    window.lock()
    window.chores.wait()
