"""Who can read the files (issue 15): every file the app writes is 0600 and every folder
it makes 0700, even under a permissive umask; temporary files are made with O_EXCL and
O_NOFOLLOW and stale ones are swept."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pyrage import x25519

from counsellor_app.core.backups import restore
from counsellor_app.core.connection import sidecars
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role
from counsellor_app.core.errors import StorageError
from counsellor_app.core.exchange.crypto import ensure_key_pair, write_public_key_file
from counsellor_app.core.exchange.export import export_bundle
from counsellor_app.core.keys import key_file_path
from counsellor_app.core.paths import config_dir, data_dir, log_dir
from counsellor_app.core.recovery_sheet import write_recovery_sheet
from counsellor_app.core.rekey import change_passphrase
from counsellor_app.core.reports import write_case_summary
from counsellor_app.core.research import research_export
from counsellor_app.core.safefile import (
    atomic_write_bytes,
    create_private_file,
    sweep_stale_temporaries,
)
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle
from counsellor_app.logging_setup import setup_logging
from tests.helpers import FAST_KDF, PASSPHRASE

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual 022: what the app writes must be private by its own doing."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _new_notebook(tmp_path: Path) -> Notebook:
    made, _recovery = Notebook.create(
        tmp_path / "new" / "folder" / "nb.cnb", PASSPHRASE, kdf=FAST_KDF
    )
    return made


def _notebook_files(tmp_path: Path) -> list[Path]:
    notebook = _new_notebook(tmp_path)
    path = notebook.path
    with notebook:
        with notebook.transaction() as db:  # a write, so that the WAL is there
            db.execute("UPDATE meta SET value = value")
        # The WAL and shared memory go when the notebook closes: looked at while open.
        # (No shared-memory file where SQLite's lock is kept exclusive: connect().)
        files = [Path(str(path) + ".lock"), *[f for f in sidecars(path)[:2] if f.exists()]]
        assert sidecars(path)[0] in files
        assert {file: _mode(file) for file in files} == dict.fromkeys(files, 0o600)
    return [path, key_file_path(path), path.parent, path.parent.parent]


def _backup_files(tmp_path: Path) -> list[Path]:
    with _new_notebook(tmp_path) as notebook:
        backup = notebook.backup()
    return [backup, key_file_path(backup), backup.parent, data_dir() / "backups", data_dir()]


def _changed_key_file(tmp_path: Path) -> list[Path]:
    notebook = _new_notebook(tmp_path)
    notebook.close()
    os.chmod(key_file_path(notebook.path), 0o644)  # a mode the change must not keep
    change_passphrase(notebook.path, PASSPHRASE, "a new passphrase here")
    # The notebook is re-encrypted into a new file too.
    return [key_file_path(notebook.path), notebook.path]


def _restored(tmp_path: Path) -> list[Path]:
    with _new_notebook(tmp_path) as notebook:
        backup = notebook.backup()
        path = notebook.path
    os.chmod(backup, 0o644)
    aside = restore(path, backup, PASSPHRASE)
    assert aside is not None
    return [path, key_file_path(path), key_file_path(aside)]


def _settings(_tmp_path: Path) -> list[Path]:
    AppSettings(last_notebook="x").save()
    return [AppSettings.path(), config_dir()]


def _log(_tmp_path: Path) -> list[Path]:
    logger = logging.getLogger("counsellor_app")
    kept = logger.handlers[:]
    logger.handlers.clear()
    try:
        setup_logging()
        logger.warning("a line")
        for handler in logger.handlers:
            handler.close()
    finally:
        logger.handlers[:] = kept
    return [log_dir() / "counsellor-app.log", log_dir()]


def _pdfs_and_exports(tmp_path: Path) -> list[Path]:
    out = tmp_path / "out"
    out.mkdir()
    with _new_notebook(tmp_path) as notebook:
        fill_demo(notebook, 3, seed=1)
        case = notebook.search()[0]
        summary = write_case_summary(notebook, case.id, out / "summary.pdf")
        key = str(x25519.Identity.generate().to_public())
        export_bundle(notebook, key, out / "bundle.cnbx")
    write_recovery_sheet(out / "sheet.pdf", "AAAA-BBBB", "nb.cnb", datetime.now())
    write_public_key_file(key, out / "key.pub")
    return [summary, out / "bundle.cnbx", out / "sheet.pdf", out / "key.pub"]


def _research_folder(tmp_path: Path) -> list[Path]:
    made, _recovery = Notebook.create(
        tmp_path / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF
    )
    with made as supervisor:
        key = ensure_key_pair(supervisor)
        with _new_notebook(tmp_path) as counsellor:
            fill_demo(counsellor, 20, seed=2)
            bundle = export_bundle(counsellor, key, tmp_path / "b.cnbundle").path
        import_bundle(supervisor, bundle, accept_new=True)
        result = research_export(supervisor, tmp_path / "new" / "research", k=2)
    return [result.folder, *result.folder.iterdir(), tmp_path / "new", bundle]


KINDS: dict[str, Callable[[Path], list[Path]]] = {
    "notebook, key file, lock, WAL, shared memory, folders": _notebook_files,
    "backup, its key file, backup folders": _backup_files,
    "notebook and key file after a passphrase change": _changed_key_file,
    "restored notebook and the one kept aside": _restored,
    "settings": _settings,
    "log": _log,
    "PDFs and exports": _pdfs_and_exports,
    "research export folder and its files": _research_folder,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_file_is_private_to_its_user(tmp_path: Path, kind: str) -> None:
    for path in KINDS[kind](tmp_path):
        expected = 0o700 if path.is_dir() else 0o600
        assert _mode(path) == expected, f"{path}: {oct(_mode(path))}"


def test_a_link_planted_at_a_temporary_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"mine")
    target = tmp_path / "settings.json"
    planted = tmp_path / f".settings.json.{os.getpid()}.tmp"
    planted.symlink_to(victim)
    with pytest.raises(FileExistsError):
        create_private_file(planted)
    atomic_write_bytes(target, b"{}")
    assert victim.read_bytes() == b"mine"
    assert target.read_bytes() == b"{}" and not target.is_symlink()
    assert not planted.exists() and not planted.is_symlink()


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.mkdir()
    (target / "in the way").write_bytes(b"")  # os.replace onto a full folder fails
    with pytest.raises(StorageError):
        atomic_write_bytes(target, b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_stale_temporary_files_are_swept_when_a_notebook_opens(tmp_path: Path) -> None:
    notebook = _new_notebook(tmp_path)
    notebook.close()
    folder, name = notebook.path.parent, notebook.path.name
    dead = _dead_pid()
    stale = [
        f".{name}.{dead}.tmp",
        f".{name}.key.{dead}.tmp",
        f".{name}.restoring",
        f".{name}.partial-journal",
    ]
    kept = [f".{name}.{os.getpid()}.tmp", f".other.cnb.{dead}.tmp", "notes.txt"]
    for file in stale + kept:
        (folder / file).write_bytes(b"half")
    Notebook.open(notebook.path, PASSPHRASE).close()
    left = {p.name for p in folder.iterdir()}
    assert not left & set(stale)
    assert set(kept) <= left
    assert sweep_stale_temporaries(folder, [name]) == []


def test_a_stale_partial_backup_and_its_journal_are_swept(tmp_path: Path) -> None:
    with _new_notebook(tmp_path) as notebook:
        folder = tmp_path / "backups"
        folder.mkdir()
        stale = [
            folder / ".nb-20200101-000000-000000.cnb.partial",
            folder / ".nb-20200101-000000-000000.cnb.partial-journal",
        ]
        for file in stale:
            file.write_bytes(b"half")
        notebook.backup(folder)
    assert not any(file.exists() for file in stale)


def test_a_notebook_of_an_older_version_becomes_private_when_opened(tmp_path: Path) -> None:
    notebook = _new_notebook(tmp_path)
    notebook.close()
    for file in (notebook.path, key_file_path(notebook.path)):
        os.chmod(file, 0o644)  # as an older version made them
    with Notebook.open(notebook.path, PASSPHRASE) as opened:
        with opened.transaction() as db:
            db.execute("UPDATE meta SET value = value")
        sidecar_files = [f for f in sidecars(notebook.path)[:2] if f.exists()]
        files = [notebook.path, key_file_path(notebook.path), *sidecar_files]
        assert {file: _mode(file) for file in files} == dict.fromkeys(files, 0o600)


def test_a_stale_temporary_settings_file_is_swept_at_the_next_save() -> None:
    AppSettings().save()
    stale = AppSettings.path().with_name(f".settings.json.{_dead_pid()}.tmp")
    stale.write_bytes(b"{")
    AppSettings(language="en").save()
    assert not stale.exists()
