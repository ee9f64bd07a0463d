"""Changing a notebook's secrets: each change gives the notebook a new data key.

A passphrase change, a reset with the recovery key and a new recovery key all re-encrypt
the notebook under a fresh data key, so that an old key file (from a copy, a backup, a
former colleague) with the old secret opens nothing current. Crash-safe in two phases:

1. *Prepare*, beside the notebook: the notebook is exported under the new key into
   ``<notebook>.new`` (flushed and checked), then the new key file is written as
   ``<notebook>.key.new``. The notebook and its key file are untouched: the old secret
   opens them.
2. *Commit*: ``<notebook>.new`` is renamed over the notebook (the moment of the change),
   then ``<notebook>.key.new`` over the key file, each rename made durable before the next.

An interruption is settled by :func:`settle_key_change` before the notebook is next
opened, from the names alone: a ``.new`` notebook means the commit had not begun (both
``.new`` files are removed: the old secret opens it); a ``.key.new`` without it means the
notebook was renamed (the key file is renamed too: the new secret opens it). At every
instant exactly one of the two secrets opens the notebook, and it holds all its content.

Backups keep the data key and key file of their time: the secrets of that time open
them (see :mod:`counsellor_app.core.backups`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import sqlcipher3

from counsellor_app.core.connection import (
    acquire_file_lock,
    classify_sqlite_error,
    connect,
    connect_existing,
    remove_quietly,
    sidecars,
    verify_notebook,
)
from counsellor_app.core.errors import NotebookDamaged, StorageError
from counsellor_app.core.hardening import forget
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import (
    DATA_KEY_BYTES,
    KEY_FILE_VERSION,
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KeyFile,
    key_file_path,
    new_key_file,
    new_recovery_key,
    normalise_recovery_key,
    require_passphrase,
)
from counsellor_app.core.safefile import (
    atomic_write_bytes,
    create_private_file,
    fsync_directory,
    storage_error,
)

_ATTACHED = "rekeyed"


def pending_paths(path: Path) -> tuple[Path, Path]:
    """The notebook and key file a change of secrets prepares beside the notebook at
    ``path`` (``<notebook>.new``, ``<notebook>.key.new``)."""
    key = key_file_path(path)
    return path.with_name(path.name + ".new"), key.with_name(key.name + ".new")


def settle_key_change(path: Path) -> None:
    """Finish or roll back a change of secrets of the notebook at ``path`` that was
    interrupted (see the module's description); nothing when none was. Takes the
    notebook's file lock while it works (:class:`NotebookInUse` if another program holds
    it, which may be the change itself, still running)."""
    path = Path(path)
    new_notebook, new_key = pending_paths(path)
    if not (new_notebook.exists() or new_key.exists()):
        return
    lock = acquire_file_lock(path)
    try:
        _settle(path)
    except OSError as error:
        raise storage_error(error, key_file_path(path).name) from error
    finally:
        lock.release()


def _settle(path: Path) -> None:
    new_notebook, new_key = pending_paths(path)
    key = key_file_path(path)
    # Key files half-written by an atomic write that was killed: never read, only in the way.
    remove_quietly(*key.parent.glob(f".{key.name}.*.tmp"))
    if new_notebook.exists():
        # Not committed: the old notebook and key file are whole. The new key file goes
        # first, so that a crash amid this never leaves it alone (which would read as a
        # committed change).
        remove_quietly(new_key, *new_key.parent.glob(f".{new_key.name}.*.tmp"))
        fsync_directory(path.parent)
        remove_quietly(*sidecars(new_notebook), new_notebook)
        fsync_directory(path.parent)
    elif new_key.exists():
        # Committed: the notebook already has the new data key.
        os.replace(new_key, key_file_path(path))
        fsync_directory(path.parent)


def change_passphrase(path: Path, old: str, new: str) -> str | None:
    """Set a new passphrase for the notebook at ``path`` and give it a new data key.

    Returns a new recovery key (to show once) when one had to be made: a key file of
    version 1 cannot seal the new data key for the recovery key without knowing it, so
    the change upgrades it with a new recovery key, and the old one stops working.
    Otherwise None, and the recovery key stays the same."""
    require_passphrase(new)
    path = Path(path)
    return _change(path, PASSPHRASE_SLOT, old, new, fresh_recovery=False)


def reset_passphrase(path: Path, recovery_key: str, new: str) -> None:
    """Forgotten passphrase: unlock the notebook at ``path`` with its recovery key, set a
    new passphrase and give it a new data key (the recovery key stays)."""
    require_passphrase(new)
    _change(
        Path(path), RECOVERY_SLOT, normalise_recovery_key(recovery_key), new, fresh_recovery=False
    )


def replace_recovery_key(path: Path, passphrase: str) -> str:
    """A new recovery key for the notebook at ``path`` (unlocked with its passphrase),
    returned to show once; the notebook gets a new data key and the old recovery key
    stops working."""
    recovery = _change(Path(path), PASSPHRASE_SLOT, passphrase, passphrase, fresh_recovery=True)
    assert recovery is not None
    return recovery


def _change(
    path: Path, slot: str, secret: str, passphrase: str, *, fresh_recovery: bool
) -> str | None:
    lock = acquire_file_lock(path)
    try:
        return change_secrets_held(path, slot, secret, passphrase, fresh_recovery=fresh_recovery)[0]
    finally:
        lock.release()


def change_secrets_held(
    path: Path, slot: str, secret: str, passphrase: str, *, fresh_recovery: bool
) -> tuple[str | None, bytes]:
    """The change of secrets behind :func:`change_passphrase`, :func:`reset_passphrase`
    and :func:`replace_recovery_key`, for a caller that holds the notebook's file lock and
    has no connection open to it (an open notebook that closed its connection): unlock
    ``slot`` with ``secret``, then re-encrypt under a new data key with ``passphrase``
    (and a fresh recovery key if ``fresh_recovery``). Returns the new recovery key, if one
    was made, and the new data key."""
    try:
        _settle(path)
    except OSError as error:
        raise storage_error(error, key_file_path(path).name) from error
    key_file = KeyFile.read(path)
    data_key = key_file.unwrap(slot, secret)
    recovery: str | None = None
    if slot == RECOVERY_SLOT and not fresh_recovery:
        new_file, new_data_key = new_key_file(
            key_file.notebook_id, passphrase, secret, key_file.kdf, key_file.page_hmac
        )
    elif key_file.version >= KEY_FILE_VERSION and not fresh_recovery:
        # The recovery key is not known here: its key pair stays, the new data key is
        # sealed to it.
        new_file, new_data_key = _same_recovery(key_file, passphrase)
    else:
        recovery = new_recovery_key()
        new_file, new_data_key = new_key_file(
            key_file.notebook_id, passphrase, recovery, key_file.kdf, key_file.page_hmac
        )
    _rekey(path, key_file, data_key, new_file, new_data_key)
    return recovery, new_data_key


def _same_recovery(key_file: KeyFile, passphrase: str) -> tuple[KeyFile, bytes]:
    new_data_key = secrets.token_bytes(DATA_KEY_BYTES)
    new_file = KeyFile(
        key_file.notebook_id,
        key_file.kdf,
        {RECOVERY_SLOT: dict(key_file.slots[RECOVERY_SLOT])},
        key_file.page_hmac,
        key_file.version,
        key_file.recipient,
    )
    new_file.seal(new_data_key)
    new_file.wrap(PASSPHRASE_SLOT, passphrase, new_data_key)
    return new_file, new_data_key


def _rekey(
    path: Path, key_file: KeyFile, data_key: bytes, new_file: KeyFile, new_data_key: bytes
) -> None:
    """Re-encrypt the notebook at ``path`` under ``new_data_key`` and put ``new_file`` in
    place of its key file, in the two phases of the module's description. The caller
    holds the file lock."""
    new_notebook, new_key = pending_paths(path)
    what = key_file_path(path).name
    try:
        # Made here first, so that a folder refusing it is said as such.
        os.close(create_private_file(new_notebook))  # 0600, never through a link
        export_rekeyed(
            path, key_file.page_hmac, key_file.notebook_id, data_key, new_notebook, new_data_key
        )
        with open(new_notebook, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            atomic_write_bytes(new_key, new_file.to_bytes())  # durable, its folder too
        except StorageError as error:
            # Said of the key file, not of its temporary name.
            if isinstance(error.__cause__, OSError):
                raise error.__cause__ from None
            raise
        # The commit. The old notebook's WAL was checkpointed into it and it is closed:
        # nothing of it may be replayed into the new file.
        remove_quietly(*sidecars(path))
        os.replace(new_notebook, path)
        fsync_directory(path.parent)
        os.replace(new_key, key_file_path(path))
        fsync_directory(path.parent)
    except OSError as error:
        _give_up(path)
        raise storage_error(error, what) from error
    except sqlcipher3.Error as error:
        _give_up(path)
        raise classify_sqlite_error(error, what, new_notebook) from error
    except BaseException:
        _give_up(path)
        raise


def _give_up(path: Path) -> None:
    """After a failed change: roll it back, or forward when the notebook was renamed; a
    failure here is left to :func:`settle_key_change` at the next open."""
    with contextlib.suppress(OSError):
        _settle(path)


def export_rekeyed(
    path: Path,
    page_hmac: str,
    notebook_id: str,
    data_key: bytes | bytearray,
    target: Path,
    new_data_key: bytes | bytearray,
    new_page_hmac: str | None = None,
) -> None:
    """Copy the notebook (or backup) at ``path``, of ``notebook_id``, into the empty file
    ``target``, encrypted under ``new_data_key`` (with ``new_page_hmac``, else the same
    page authentication), and check the copy; the caller flushes it."""
    new_page_hmac = new_page_hmac or page_hmac
    connection, _page_hmac = connect_existing(path, data_key, page_hmac)
    try:
        verify_notebook(connection, path, notebook_id)
        # Everything into the notebook file: the export reads through the WAL anyway, but
        # the old WAL must be empty before the new file takes the notebook's name.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        counts = _row_counts(connection, "main")
        hex_key = bytes(new_data_key).hex()
        attach = f"ATTACH DATABASE ? AS {_ATTACHED} KEY \"x'{hex_key}'\""
        try:
            connection.execute(attach, (str(target),))
        finally:  # SQLCipher has its own copy: the key as text does not linger
            forget(attach)
            forget(hex_key)
        try:
            connection.execute(f"PRAGMA {_ATTACHED}.cipher_hmac_algorithm = {new_page_hmac}")
            # No journal and no flush per table: until it is complete, flushed once and
            # checked, the copy is nothing but a file to delete.
            connection.execute(f"PRAGMA {_ATTACHED}.journal_mode = OFF")
            connection.execute(f"PRAGMA {_ATTACHED}.synchronous = OFF")
            connection.execute(f"SELECT sqlcipher_export('{_ATTACHED}')")
            # sqlcipher_export copies schema and rows, not the schema version.
            connection.execute(f"PRAGMA {_ATTACHED}.user_version = {version}")
        finally:
            connection.execute(f"DETACH DATABASE {_ATTACHED}")
    finally:
        connection.close()
    check = connect(target, new_data_key, new_page_hmac)
    try:
        verify_notebook(check, target, notebook_id)
        cipher_errors = check.execute("PRAGMA cipher_integrity_check").fetchall()
        result = check.execute("PRAGMA integrity_check").fetchall()
        same = _row_counts(check, "main") == counts
    finally:
        check.close()
    if cipher_errors or result != [("ok",)] or not same:
        raise NotebookDamaged(
            _(
                "The notebook could not be re-encrypted: the copy did not check out. "
                "Nothing was changed."
            )
        )


def _row_counts(connection: object, schema: str) -> dict[str, int]:
    """Rows per ordinary table (a check that the export copied everything)."""
    execute = connection.execute  # type: ignore[attr-defined]
    tables = [
        row[0]
        for row in execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    return {
        name: int(execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0])
        for name in tables
    }
