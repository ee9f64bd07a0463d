"""After a change of secrets on the command line: the backups made before it, which still
open with the old secrets, are named per folder and re-encrypted, deleted or kept."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.helpers import run
from tests.helpers import opens_with

OLD, NEW = "first secret", "second secret"


def _notebook_with_a_backup(tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """A notebook (passphrase OLD) and the folder of its one backup."""
    path, folder = tmp_path / "mine.cnb", tmp_path / "backups"
    made = run("init", str(path), stdin=f"{OLD}\n", home=home)
    assert made.returncode == 0, made.stderr
    backed = run("backup", str(path), "--folder", str(folder), stdin=f"{OLD}\n", home=home)
    assert backed.returncode == 0, backed.stderr
    return path, folder


def _backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.cnb"))


def test_reencrypted_backups_open_with_the_new_passphrase_only(tmp_path: Path, home: Path) -> None:
    path, folder = _notebook_with_a_backup(tmp_path, home)
    changed = run(
        "change-passphrase", str(path), "--older-backups", "reencrypt",
        stdin=f"{OLD}\n{NEW}\n", home=home,
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    lines = [line for line in changed.stdout.splitlines() if str(folder) in line]
    assert len(lines) == 2  # how many there were, then what became of them
    assert "stadig" in lines[0] and "krypteret igen" in lines[1]
    [backup] = _backups(folder)
    assert opens_with(backup, tmp_path / "scratch", NEW)
    assert not opens_with(backup, tmp_path / "scratch", OLD)


def test_deleted_older_backups_are_gone(tmp_path: Path, home: Path) -> None:
    path, folder = _notebook_with_a_backup(tmp_path, home)
    changed = run(
        "change-passphrase", str(path), "--older-backups", "delete",
        stdin=f"{OLD}\n{NEW}\n", home=home,
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert "slettet" in changed.stdout
    assert _backups(folder) == [] and list(folder.glob("*.key")) == []
    assert run("search", str(path), stdin=f"{NEW}\n", home=home).returncode == 0


def test_by_default_older_backups_are_kept_and_the_later_command_named(
    tmp_path: Path, home: Path
) -> None:
    path, folder = _notebook_with_a_backup(tmp_path, home)
    changed = run("change-passphrase", str(path), stdin=f"{OLD}\n{NEW}\n", home=home)
    assert changed.returncode == 0, changed.stderr
    assert str(folder) in changed.stdout and "older-backups" in changed.stdout
    [backup] = _backups(folder)
    assert opens_with(backup, tmp_path / "scratch", OLD)

    listed = run("older-backups", str(path), stdin=f"{NEW}\n", home=home)
    assert listed.returncode == 0, listed.stderr
    assert str(folder) in listed.stdout and _backups(folder) == [backup]

    # Later, the separate command: the current passphrase, then the one of their time.
    later = run("older-backups", str(path), "--reencrypt", stdin=f"{NEW}\n{OLD}\n", home=home)
    assert later.returncode == 0, later.stderr
    [backup] = _backups(folder)
    assert opens_with(backup, tmp_path / "scratch", NEW)
    assert not opens_with(backup, tmp_path / "scratch", OLD)
    assert str(folder) not in run("older-backups", str(path), stdin=f"{NEW}\n", home=home).stdout


def test_a_new_recovery_key_stays_the_last_line_after_deleting_older_backups(
    tmp_path: Path, home: Path
) -> None:
    path, folder = _notebook_with_a_backup(tmp_path, home)
    fresh = run(
        "new-recovery-key", str(path), "--older-backups", "delete", stdin=f"{OLD}\n", home=home
    )
    assert fresh.returncode == 0, fresh.stderr
    assert _backups(folder) == []
    key = fresh.stdout.strip().splitlines()[-1]
    assert len(key.replace("-", "")) == 32


def test_a_wrong_old_passphrase_fails_and_leaves_the_backup_as_it_was(
    tmp_path: Path, home: Path
) -> None:
    path, folder = _notebook_with_a_backup(tmp_path, home)
    assert run("change-passphrase", str(path), stdin=f"{OLD}\n{NEW}\n", home=home).returncode == 0
    wrong = run(
        "older-backups", str(path), "--reencrypt", stdin=f"{NEW}\nnot the old one\n", home=home
    )
    # A script must not take the re-encryption as done.
    assert wrong.returncode == 1
    assert "ikke" in wrong.stdout
    [backup] = _backups(folder)
    assert opens_with(backup, tmp_path / "scratch", OLD)
