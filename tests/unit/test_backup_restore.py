"""Backups and restore on real encrypted notebooks."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from counsellor_app.core.backups import list_backups, restore, verify_backup
from counsellor_app.core.connection import SQLITE_HEADER
from counsellor_app.core.domain import Step
from counsellor_app.core.errors import (
    BackupError,
    NotebookDamaged,
    NotebookInUse,
    WrongPassphrase,
)
from counsellor_app.core.keys import PASSPHRASE_SLOT, KeyFile, key_file_path
from counsellor_app.core.settings import AppSettings, remember_backup_folder
from counsellor_app.core.store import Notebook

PASSPHRASE = "korrekt hest batteri hæfteklamme"
PAGE = 4096


def add_case(nb: Notebook, note: str) -> int:
    case = nb.new_case()
    conv = nb.new_conversation(case.id)
    nb.save_note(conv.id, Step.LISTEN, note)
    return case.id


def backups_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix == ".cnb")


def test_backup_is_verified_and_has_key_file(notebook, tmp_path: Path) -> None:
    add_case(notebook, "første samtale")
    assert notebook.changed_since_backup
    folder = tmp_path / "bk"
    made = notebook.backup(folder)
    assert made.parent == folder and made.exists()
    assert key_file_path(made).read_bytes() == key_file_path(notebook.path).read_bytes()
    assert not made.read_bytes().startswith(SQLITE_HEADER)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no partial left
    data_key = KeyFile.read(notebook.path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    verify_backup(made, data_key, notebook.notebook_id)
    assert [b.path for b in list_backups(folder, notebook.path.stem)] == [made]


def test_backup_goes_to_default_folder_under_app_home(notebook, app_home: Path) -> None:
    made = notebook.backup()
    assert app_home in made.parents
    assert notebook.backup_dir == made.parent
    add_case(notebook, "ny")
    assert notebook.changed_since_backup
    assert notebook.backup_if_due() is not None


def test_no_change_since_backup_means_no_new_backup(notebook, tmp_path: Path) -> None:
    add_case(notebook, "første samtale")
    notebook.backup()
    assert not notebook.changed_since_backup
    assert notebook.backup_if_due() is None


def test_rotation_keeps_newest(notebook, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    made = []
    for i in range(5):
        add_case(notebook, f"samtale {i}")
        made.append(notebook.backup(folder, keep=3))
        time.sleep(0.01)
    left = backups_in(folder)
    assert set(left) == set(made[-3:])
    assert all(key_file_path(p).exists() for p in left)
    assert not any(key_file_path(p).exists() for p in made[:2])


def test_backup_opens_with_its_data(created, tmp_path: Path) -> None:
    nb, recovery_key = created
    case_id = add_case(nb, "Skolevægring hos datteren")
    made = nb.backup(tmp_path / "bk")
    add_case(nb, "efter backup")
    nb.close()
    elsewhere = tmp_path / "copy"
    elsewhere.mkdir()
    shutil.copy2(made, elsewhere / made.name)
    shutil.copy2(key_file_path(made), elsewhere / key_file_path(made).name)
    with Notebook.open(elsewhere / made.name, PASSPHRASE) as copy:
        assert copy.case_count() == 1
        assert copy.find_case_ids("skolevæ") == [case_id]
        assert copy.integrity_check()
    with Notebook.open(elsewhere / made.name, recovery_key=recovery_key):
        pass


def test_restore_replaces_and_moves_aside(created, notebook_path: Path, tmp_path: Path) -> None:
    nb, _ = created
    add_case(nb, "før backup")
    made = nb.backup(tmp_path / "bk")
    add_case(nb, "efter backup")
    nb.close()
    before = notebook_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        restore(notebook_path, made, "forkert")
    assert notebook_path.read_bytes() == before
    aside = restore(notebook_path, made, PASSPHRASE)
    assert aside is not None and aside.exists() and aside != notebook_path
    assert aside.read_bytes() == before
    assert key_file_path(aside).exists()
    with Notebook.open(notebook_path, PASSPHRASE) as restored:
        assert restored.case_count() == 1
        assert restored.find_case_ids("efter") == []
    # The notebook moved aside still opens with all its data.
    with Notebook.open(aside, PASSPHRASE) as old:
        assert old.case_count() == 2


def test_restore_refused_while_open(notebook, notebook_path: Path, tmp_path: Path) -> None:
    made = notebook.backup(tmp_path / "bk")
    with pytest.raises(NotebookInUse):
        restore(notebook_path, made, PASSPHRASE)
    assert notebook.case_count() == 0


def test_restore_to_missing_path_uses_backup_key(created, tmp_path: Path) -> None:
    nb, recovery_key = created
    add_case(nb, "på en ny computer")
    made = nb.backup(tmp_path / "bk")
    nb.close()
    target = tmp_path / "new-pc" / "restored.cnb"
    target.parent.mkdir()
    assert restore(target, made, recovery_key=recovery_key.lower()) is None
    with Notebook.open(target, PASSPHRASE) as nb2:
        assert nb2.find_case_ids("computer")


def test_restore_with_backup_of_another_notebook_changes_nothing(
    created, notebook_path: Path, tmp_path: Path, fast_kdf
) -> None:
    nb, _ = created
    add_case(nb, "min")
    nb.close()
    other, _ = Notebook.create(tmp_path / "other.cnb", PASSPHRASE, kdf=fast_kdf)
    foreign = other.backup(tmp_path / "otherbk")
    other.close()
    before = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    with pytest.raises(BackupError) as info:
        restore(notebook_path, foreign, PASSPHRASE)
    assert str(info.value)
    after = sorted((p.name, p.read_bytes()) for p in tmp_path.iterdir() if p.is_file())
    assert after == before
    with Notebook.open(notebook_path, PASSPHRASE) as again:
        assert again.find_case_ids("min")


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "plain"])
def test_corrupted_backup_is_refused(
    created, notebook_path: Path, tmp_path: Path, damage: str
) -> None:
    nb, _ = created
    for i in range(20):
        add_case(nb, f"samtale nummer {i} " * 50)
    made = nb.backup(tmp_path / "bk")
    nb.close()
    data = bytearray(made.read_bytes())
    if damage == "flip":
        for i in range(2 * PAGE + 100, 2 * PAGE + 108):
            data[i] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(SQLITE_HEADER + bytes(PAGE))
    made.write_bytes(bytes(data))
    before = notebook_path.read_bytes()
    with pytest.raises(BackupError) as info:
        restore(notebook_path, made, PASSPHRASE)
    assert str(info.value)
    assert notebook_path.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_over_a_notebook_whose_key_file_was_lost(
    created, notebook_path: Path, tmp_path: Path
) -> None:
    nb, _ = created
    add_case(nb, "nøglefilen forsvandt")
    made = nb.backup(tmp_path / "bk")
    nb.close()
    damaged = notebook_path.read_bytes()
    key_file_path(notebook_path).unlink()
    aside = restore(notebook_path, made, PASSPHRASE)
    assert aside is not None and aside.read_bytes() == damaged
    with Notebook.open(notebook_path, PASSPHRASE) as restored:
        assert restored.find_case_ids("nøglefilen")


def test_a_damaged_notebook_is_offered_its_backup_in_the_chosen_folder(
    created, notebook_path: Path, tmp_path: Path
) -> None:
    """The chosen backup folder is kept in the notebook, which is what cannot be read
    when it is damaged: the caller passes the folders this computer remembers."""
    notebook, _recovery = created
    chosen = tmp_path / "usb-stick" / "backups"
    notebook.set_backup_dir(chosen)
    notebook.new_case()
    made = notebook.backup()
    assert made.parent == chosen
    notebook.close()
    data = bytearray(notebook_path.read_bytes())
    data[5000:5100] = bytes(100)  # a page overwritten: its authentication fails
    notebook_path.write_bytes(bytes(data))
    # The store reads no settings: remembered on this computer is not enough, the caller
    # (the window, the command line) passes the folders.
    remember_backup_folder(chosen)
    assert AppSettings.load().backup_folders == [str(chosen)]
    with pytest.raises(NotebookDamaged) as raised:
        Notebook.open(notebook_path, PASSPHRASE)
    assert raised.value.backup is None
    with pytest.raises(NotebookDamaged) as raised:
        Notebook.open(notebook_path, PASSPHRASE, backup_folders=[chosen])
    assert raised.value.backup == made
    assert str(made) in str(raised.value)


def test_a_restore_stopped_before_its_rename_keeps_the_live_notebooks_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live notebook's last edits may be only in its WAL (a program killed while it
    was open). A restore that stops just before it renames the backup into place (a power
    cut) leaves the old notebook with those edits, not an older state of it: the WAL is
    checkpointed into it before it is removed."""
    import os
    import subprocess
    import sys

    from tests.helpers import FAST_KDF, PASSPHRASE

    path = tmp_path / "n.cnb"
    with Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)[0] as notebook:
        notebook.new_case()
        backup = notebook.backup(tmp_path / "backups")
    killed = (
        "import os, sys\n"
        "from counsellor_app.core.store import Notebook\n"
        "notebook = Notebook.open(sys.argv[1], sys.argv[2])\n"
        "notebook.new_case()\n"
        "os._exit(0)  # killed: the WAL is never checkpointed\n"
    )
    subprocess.run([sys.executable, "-c", killed, str(path), PASSPHRASE], check=True)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0

    class PowerCut(BaseException):
        pass

    real_replace = os.replace

    def cut(source: object, target: object) -> None:
        if Path(str(target)) == path:
            raise PowerCut
        real_replace(source, target)  # type: ignore[arg-type]

    with monkeypatch.context() as patch, pytest.raises(PowerCut):
        patch.setattr(os, "replace", cut)
        restore(path, backup, PASSPHRASE)
    with Notebook.open(path, PASSPHRASE) as notebook:
        assert notebook.case_count() == 2, "the edits in the WAL were lost"
