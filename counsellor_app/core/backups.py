"""Backups of a notebook: writing and verifying them, listing them, finding the newest
good one when the notebook itself will not open, and restoring one.

A backup is an encrypted copy of the notebook (same key, same page authentication) with
a copy of its key file beside it, named ``<notebook>-<time>.cnb``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from counsellor_app.core.connection import (
    NOTEBOOK_SUFFIX,
    acquire_file_lock,
    check_file_header,
    connect,
    connect_existing,
    remove_quietly,
    sidecars,
)
from counsellor_app.core.errors import BackupError, NotANotebook, NotebookDamaged, UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import (
    NEW_PAGE_HMAC,
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KeyFile,
    key_file_path,
    normalise_recovery_key,
)
from counsellor_app.core.paths import data_dir, default_backup_dir
from counsellor_app.core.rekey import export_rekeyed, settle_key_change
from counsellor_app.core.safefile import (
    copy_private,
    create_private_file,
    fsync_directory,
    make_private_folder,
    storage_error,
)
from counsellor_app.core.schema import SCHEMA_VERSION

#: How many backups of a notebook a folder keeps (the oldest beyond go).
BACKUP_KEEP = 10


@dataclass(frozen=True)
class BackupInfo:
    """One backup file found in a folder."""

    path: Path
    created_at: datetime
    size: int


def write_backup(
    connection: Any,
    notebook_path: Path,
    data_key: bytes | bytearray,
    page_hmac: str,
    notebook_id: str,
    folder: Path,
) -> Path:
    """Write a verified, encrypted copy of the notebook open on ``connection`` into
    ``folder``, with its key file; return the new backup's path.

    The copy is written under a temporary name, opened with the key and checked
    (SQLCipher's page authentication, SQLite's integrity check, the schema version) and
    only then renamed into place.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    final = folder / f"{notebook_path.stem}-{stamp}{NOTEBOOK_SUFFIX}"
    tmp = folder / f".{final.name}.partial"
    with _backup_attempt(tmp, final):
        make_private_folder(folder)
        # Copies left half-written by a backup that was killed (and SQLite's journal of
        # one): never listed, only in the way (a whole notebook's size each).
        for end in (".partial", ".partial-journal"):
            for stale in folder.glob(f".{notebook_path.stem}-*{NOTEBOOK_SUFFIX}{end}"):
                remove_quietly(stale)
        # Made here first, so that a folder refusing it is said as such (SQLite would
        # only say that it cannot open the file), and private: SQLite keeps the mode of
        # a file that exists, and gives its journal the same.
        os.close(create_private_file(tmp, replace_stale=True))
        # The same page authentication: SQLite's backup copies pages as they are.
        target = connect(tmp, data_key, page_hmac, create=True)
        try:
            connection.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        verify_backup(tmp, data_key, notebook_id, page_hmac)
        # The key file first: a backup that is listed always has its key file beside it.
        copy_private(key_file_path(notebook_path), key_file_path(final), temporary=True)
        os.replace(tmp, final)
        fsync_directory(folder)
    return final


@contextlib.contextmanager
def _backup_attempt(tmp: Path, final: Path) -> Iterator[None]:
    """Writing a backup at ``tmp`` to be named ``final``: on any failure its partial
    files go, and a failure the user can meet is said in their words."""
    try:
        yield
    except OSError as error:
        _discard_backup(tmp, final)
        raise storage_error(error, _("The backup")) from error
    except sqlcipher3.Error as error:
        _discard_backup(tmp, final)
        raise BackupError(
            _("The backup could not be written: {reason}").format(reason=error)
        ) from error
    except BaseException:
        _discard_backup(tmp, final)
        raise


def _discard_backup(tmp: Path, final: Path) -> None:
    """A backup that failed: its partial copy, and its key file unless the copy got its
    name (then it is a good backup, listed, and needs the key file)."""
    remove_quietly(tmp, tmp.with_name(tmp.name + "-journal"))
    if not final.exists():
        remove_quietly(key_file_path(final))


def reencrypt_backup(
    backup: Path, secret_slot: str, secret: str, notebook_path: Path, data_key: bytes | bytearray
) -> Path:
    """Re-encrypt ``backup`` (made before a change of secrets; unlocked with ``secret``
    in ``secret_slot`` of its own key file) under the current data key of the notebook at
    ``notebook_path``, with a copy of its key file; return the new backup's path.

    The copy gets a new name and the old backup's time, and is checked, flushed and given
    its key file before it is listed; the old backup and its key file go last. A crash
    leaves the old backup, or both.
    """
    own = KeyFile.read(backup)
    old_data_key = own.unwrap(secret_slot, secret)
    current = KeyFile.read(notebook_path)
    folder = backup.parent
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    final = folder / f"{notebook_path.stem}-{stamp}{NOTEBOOK_SUFFIX}"
    tmp = folder / f".{final.name}.partial"
    with _backup_attempt(tmp, final):
        times = backup.stat()
        os.close(create_private_file(tmp, replace_stale=True))
        export_rekeyed(
            backup,
            own.page_hmac,
            own.notebook_id,
            old_data_key,
            tmp,
            data_key,
            current.page_hmac,
        )
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        copy_private(key_file_path(notebook_path), key_file_path(final), temporary=True)
        os.replace(tmp, final)
        os.utime(final, ns=(times.st_atime_ns, times.st_mtime_ns))  # its place in the list
        fsync_directory(folder)
        remove_quietly(backup, key_file_path(backup))
        fsync_directory(folder)
    return final


def backups_of_older_keys(notebook_path: Path, folders: Sequence[Path]) -> list[BackupInfo]:
    """The backups of the notebook at ``notebook_path`` in ``folders`` whose key file is
    not the notebook's own: made before a change of secrets, they open with the secrets
    of their time (newest first)."""
    try:
        own = key_file_path(notebook_path).read_bytes()
    except OSError:
        return []
    found: dict[Path, BackupInfo] = {}
    for folder in folders:
        try:
            for info in list_backups(Path(folder), notebook_path.stem):
                with contextlib.suppress(OSError):
                    if key_file_path(info.path).read_bytes() != own:
                        found[info.path] = info
        except OSError:
            continue  # a folder that cannot be read: nothing to list there
    return sorted(found.values(), key=lambda i: (i.created_at, i.path.name), reverse=True)


def remove_backups(folder: Path, stem: str, keep: int = 0, *, but: Path | None = None) -> None:
    """Delete the backups of notebook ``stem`` in ``folder`` beyond the newest ``keep``
    (except ``but``), each with its key file."""
    for old in list_backups(folder, stem)[keep:]:
        if old.path != but:
            remove_quietly(old.path, key_file_path(old.path))


def verify_backup(
    path: Path, data_key: bytes | bytearray, notebook_id: str, page_hmac: str = NEW_PAGE_HMAC
) -> None:
    """Open a backup with the data key and check it fully; raise :class:`BackupError`.
    ``page_hmac`` is the key file's (the other one is tried too)."""
    try:
        check_file_header(path)
        connection, _page_hmac = connect_existing(path, data_key, page_hmac)
        try:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            cipher_errors = connection.execute("PRAGMA cipher_integrity_check").fetchall()
            result = connection.execute("PRAGMA integrity_check").fetchall()
            row = connection.execute("SELECT value FROM meta WHERE key = 'notebook_id'").fetchone()
        finally:
            connection.close()
    except (sqlcipher3.Error, UserError) as error:
        raise BackupError(
            _("The backup {name} does not open with this notebook's key.").format(name=path.name)
        ) from error
    if cipher_errors or result != [("ok",)]:
        raise BackupError(_("The backup {name} is damaged.").format(name=path.name))
    if version > SCHEMA_VERSION:
        raise BackupError(_("The backup {name} is from a newer version.").format(name=path.name))
    if not row or row[0] != notebook_id:
        raise BackupError(
            _("The backup {name} belongs to another notebook.").format(name=path.name)
        )


def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """Backups in ``folder`` (of notebook ``stem`` if given), newest first."""
    if not folder.is_dir():
        return []
    pattern = f"{stem}-*{NOTEBOOK_SUFFIX}" if stem else f"*{NOTEBOOK_SUFFIX}"
    infos = []
    for path in folder.glob(pattern):
        if path.name.startswith("."):
            continue
        stat = path.stat()
        infos.append(
            BackupInfo(path, datetime.fromtimestamp(stat.st_mtime).astimezone(), stat.st_size)
        )
    return sorted(infos, key=lambda info: (info.created_at, info.path.name), reverse=True)


def newest_good_backup(
    path: Path,
    passphrase: str | None = None,
    *,
    recovery_key: str | None = None,
    folders: Sequence[Path] = (),
) -> BackupInfo | None:
    """The newest backup of the notebook at ``path`` that opens with the passphrase (or
    the recovery key) and passes every check of :func:`verify_backup`; None if none does.

    For when the notebook itself will not open, so it reads nothing from it: it looks in
    ``folders`` and the default backup folder (of the notebook's key file, or of every
    notebook when that is gone too), and unlocks with the notebook's key file or else
    each backup's own.
    """
    path = Path(path)
    try:
        own_key: KeyFile | None = KeyFile.read(path)
    except UserError:
        own_key = None
    places = [Path(folder) for folder in folders]
    if own_key is not None:
        places.append(default_backup_dir(own_key.notebook_id))
    else:
        places += sorted(p for p in (data_dir() / "backups").glob("*") if p.is_dir())
    found = {info.path: info for place in places for info in list_backups(place, path.stem)}
    slot = RECOVERY_SLOT if recovery_key is not None else PASSPHRASE_SLOT
    secret = normalise_recovery_key(recovery_key) if recovery_key is not None else passphrase
    unwrapped: dict[str, bytes | None] = {}
    for info in sorted(found.values(), key=lambda i: (i.created_at, i.path.name), reverse=True):
        try:
            key_file = own_key or KeyFile.read(info.path)
            salt = key_file.slots.get(slot, {}).get("salt", "")
            if salt not in unwrapped:  # one key derivation per key file, not per backup
                try:
                    unwrapped[salt] = key_file.unwrap(slot, secret or "")
                except UserError:
                    unwrapped[salt] = None
            data_key = unwrapped[salt]
            if data_key is None:
                continue
            verify_backup(info.path, data_key, key_file.notebook_id, key_file.page_hmac)
        except (UserError, OSError):
            continue
        return info
    return None


def offer_newest_backup(
    error: NotebookDamaged | NotANotebook,
    path: Path,
    passphrase: str | None,
    recovery_key: str | None,
    folders: Sequence[Path],
) -> NotebookDamaged | NotANotebook | None:
    """``error`` again, its sentence naming the newest good backup (also kept as
    ``error.backup``, for a window to offer it); None where there is no such backup.
    ``folders`` are the backup folders to look in besides the default one."""
    if passphrase is None and recovery_key is None:
        return None
    found = newest_good_backup(path, passphrase, recovery_key=recovery_key, folders=folders)
    if found is None:
        return None
    offered = type(error)(
        str(error)
        + " "
        + _("The newest good backup is {path}, from {time}.").format(
            path=found.path, time=found.created_at.strftime("%Y-%m-%d %H:%M")
        )
    )
    offered.backup = found.path
    return offered


def restore(
    path: Path, backup: Path, passphrase: str | None = None, *, recovery_key: str | None = None
) -> Path | None:
    """Put ``backup`` in place of the notebook at ``path``.

    The backup is verified first (with the notebook's key file where it exists, else the
    backup's own). The notebook it replaces is not deleted: it is kept aside as
    ``<name>.before-restore-<time>`` (returned) so that a restore never loses data; a
    crash at any moment leaves the old or the restored notebook in place.
    """
    path, backup = Path(path), Path(backup)
    settle_key_change(path)  # the key file beside it must be the notebook's
    key_source = path if key_file_path(path).exists() else backup
    key_file = KeyFile.read(key_source)
    if recovery_key is not None:
        data_key = key_file.unwrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key))
    else:
        data_key = key_file.unwrap(PASSPHRASE_SLOT, passphrase or "")
    verify_backup(backup, data_key, key_file.notebook_id, key_file.page_hmac)
    lock = acquire_file_lock(path)
    moved_aside: Path | None = None
    tmp = path.with_name(f".{path.name}.restoring")
    try:
        if path.exists() and key_source == path:
            # The live notebook's WAL into the notebook first: what is set aside below is
            # then whole in one file, and the WAL removed before the rename holds nothing.
            _checkpoint_quietly(path, data_key, key_file.page_hmac)
        copy_private(backup, tmp, temporary=True)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            moved_aside = path.with_name(f"{path.name}.before-restore-{stamp}")
            # Copied aside, not moved: until the restored file is renamed over it, the
            # notebook stays whole at its place, so a crash at any moment leaves one there.
            if key_file_path(path).exists():
                copy_private(key_file_path(path), key_file_path(moved_aside))
            for sidecar in sidecars(path):
                if sidecar.exists():
                    aside = moved_aside.with_name(moved_aside.name + sidecar.name[len(path.name) :])
                    copy_private(sidecar, aside)
                    with open(aside, "rb+") as handle:  # on disk before the WAL goes below
                        os.fsync(handle.fileno())
            try:
                os.link(path, moved_aside)
            except OSError:  # a file system without hard links
                copy_private(path, moved_aside)
            fsync_directory(path.parent)
            # The old notebook's WAL must not be replayed into the restored file.
            for sidecar in sidecars(path):
                if sidecar.exists():
                    sidecar.unlink()
        os.replace(tmp, path)
        if not key_file_path(path).exists():
            copy_private(key_file_path(backup), key_file_path(path))
        fsync_directory(path.parent)
    except OSError as error:
        remove_quietly(tmp)
        raise storage_error(error, path.name) from error
    finally:
        lock.release()
    return moved_aside


def _checkpoint_quietly(path: Path, data_key: bytes, page_hmac: str) -> None:
    """Copy the WAL of the (closed) notebook at ``path`` into it and empty it; a notebook
    that will not (damaged: the reason for a restore) keeps its WAL, which is set aside
    with it."""
    try:
        connection, _page_hmac = connect_existing(path, data_key, page_hmac)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            connection.execute("PRAGMA user_version").fetchone()
        finally:
            connection.close()
    except (sqlcipher3.Error, UserError):
        pass
