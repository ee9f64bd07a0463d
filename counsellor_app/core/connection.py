"""The notebook's file: its lock, its encrypted connection, its transactions, its schema,
and SQLite's errors as typed errors.

Everything that opens a notebook or a backup goes through here: the header check before
any key is tried, the keyed SQLCipher connection (and its page authentication), the file
lock that keeps a second window out, the pragmas, the migrations to the current schema,
:class:`Database` (an open file with its thread lock and transactions) and
:func:`classify_sqlite_error`, which turns SQLite's error codes into sentences.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from filelock import FileLock, Timeout

from counsellor_app.core.errors import (
    EncryptionNotInEffect,
    NotANotebook,
    NotebookDamaged,
    NotebookInUse,
    NotebookTooNew,
    UserError,
)
from counsellor_app.core.hardening import forget
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import PAGE_HMACS
from counsellor_app.core.safefile import PRIVATE_FILE_MODE, sqlite_io_error, storage_error
from counsellor_app.core.schema import MIGRATIONS, SCHEMA_VERSION

SQLITE_HEADER = b"SQLite format 3\x00"
NOTEBOOK_SUFFIX = ".cnb"


def sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of ``error`` (``SQLITE_BUSY``, ``SQLITE_FULL``, ...), or
    None for an error the driver raised itself (a closed connection, a misuse), which
    carries no code."""
    code = getattr(error, "sqlite_errorcode", None)
    # The extended codes (SQLITE_IOERR_WRITE, ...) keep the primary one in the low byte.
    return code & 0xFF if isinstance(code, int) else None


def classify_sqlite_error(error: Exception, what: str, path: Path | None = None) -> UserError:
    """A SQLite error met on ``path`` (named ``what`` to the user), as a sentence, by its
    result code. An error without a code (see :func:`sqlite_code`) is not the disk's: it
    is said as damage, so that nothing more is written."""
    code = sqlite_code(error)
    if code == sqlcipher3.SQLITE_FULL:
        return storage_error(OSError(errno.ENOSPC, "No space left on device"), what)
    if code == sqlcipher3.SQLITE_READONLY:
        return storage_error(OSError(errno.EROFS, "Read-only file system"), what)
    if code == sqlcipher3.SQLITE_IOERR and path is not None:
        # SQLite reports a file at its size limit (EFBIG) as an I/O error, too.
        return sqlite_io_error(path, what)
    if code in (sqlcipher3.SQLITE_IOERR, sqlcipher3.SQLITE_CANTOPEN):
        return storage_error(OSError(errno.EIO, "Input/output error"), what)
    if code in (sqlcipher3.SQLITE_BUSY, sqlcipher3.SQLITE_LOCKED):
        return NotebookInUse(_("The notebook is busy in another program. Try again in a moment."))
    return NotebookDamaged(
        _(
            "The notebook could not be read: it may be damaged. Nothing was written to it. "
            "Restore the newest backup."
        )
    )


def check_file_header(path: Path) -> None:
    """Refuse a missing, empty or unencrypted file, or one that is not a file at all (a
    pipe, a device: reading one could wait for ever), before any key is tried."""
    try:
        if not path.is_dir() and not stat.S_ISREG(path.stat().st_mode):
            raise NotANotebook(
                _(
                    "{path} is not a file but a pipe or a device, so it is not a notebook. "
                    "Nothing was changed."
                ).format(path=path)
            )
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise NotANotebook(_("There is no notebook at {path}.").format(path=path)) from None
    except IsADirectoryError:
        raise NotANotebook(_("{path} is a folder, not a notebook.").format(path=path)) from None
    except OSError as error:
        raise storage_error(error, path.name) from error
    if head == SQLITE_HEADER:
        raise NotANotebook(
            _(
                "{name} is an unencrypted database, not a notebook. It was not opened "
                "and nothing was changed."
            ).format(name=path.name)
        )
    if len(head) < len(SQLITE_HEADER):
        raise NotebookDamaged(
            _(
                "{name} is empty or cut short. Nothing was changed; restore the newest backup."
            ).format(name=path.name)
        )


def connect(
    path: Path,
    data_key: bytes | bytearray,
    page_hmac: str,
    *,
    create: bool = False,
    exclusive: bool = False,
) -> Any:
    """An open, keyed connection; raises if SQLCipher is not in effect. ``exclusive``: the
    connection keeps SQLite's lock on the file from its first read until it closes
    (``locking_mode = EXCLUSIVE``), so that no other program opens the same file under
    another name (a hard link, a symlink, another path) while the notebook is open."""
    mode = "rwc" if create else "rw"
    uri = Path(path).resolve().as_uri() + f"?mode={mode}"
    try:
        connection = sqlcipher3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=2.0
        )
    except sqlcipher3.Error as error:
        raise classify_sqlite_error(error, path.name, path) from error
    # SQLCipher wipes (and locks in RAM, where it may) every buffer it frees: no key or
    # page of notes lingers in freed memory. It is for the whole process, set at every
    # open so that no path opens a file without it; before the key, so that SQLite's
    # copies of the statement below are wiped too when the connection closes.
    connection.execute("PRAGMA cipher_memory_security = ON")
    # The key as SQL text is the one form sqlcipher3 takes: both strings are overwritten
    # once SQLCipher has its own copy, not left to linger in freed memory.
    hex_key = bytes(data_key).hex()
    statement = f"PRAGMA key = \"x'{hex_key}'\""
    try:
        connection.execute(statement)
    finally:
        forget(statement)
        forget(hex_key)
    version = connection.execute("PRAGMA cipher_version").fetchone()
    if not version or not version[0]:
        connection.close()
        raise EncryptionNotInEffect(
            _("Encryption is not available in this installation, so no notebook was opened.")
        )
    if page_hmac not in PAGE_HMACS:
        connection.close()
        raise ValueError(page_hmac)
    connection.execute(f"PRAGMA cipher_hmac_algorithm = {page_hmac}")
    if exclusive:
        # Before the first read: in WAL mode SQLite then keeps no shared-memory index either.
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
    return connection


def connect_existing(
    path: Path, data_key: bytes | bytearray, page_hmac: str, *, exclusive: bool = False
) -> tuple[Any, str]:
    """A connection to an existing notebook or backup, and the page authentication it uses.

    The key file says which (:data:`~counsellor_app.core.keys.PAGE_HMACS`); should the first
    page not authenticate with it (a key file copied from elsewhere, or edited), the other
    one is tried before anything is called damaged. Otherwise, and where neither works, the
    connection with the key file's choice is returned, for the caller's checks to say what
    is wrong."""
    connection = connect(path, data_key, page_hmac, exclusive=exclusive)
    if not _first_page_refused(connection):
        return connection, page_hmac
    for other in PAGE_HMACS:
        if other != page_hmac:
            alternative = connect(path, data_key, other, exclusive=exclusive)
            if not _first_page_refused(alternative):
                connection.close()
                return alternative, other
            alternative.close()
    return connection, page_hmac


def _first_page_refused(connection: Any) -> bool:
    """Whether the header page fails its authentication (``SQLITE_NOTADB``), as opposed to
    reading, or failing for another reason such as a file cut short."""
    try:
        # Not a SELECT: that would also make SQLCipher write error lines to stderr.
        connection.execute("PRAGMA user_version").fetchone()
    except sqlcipher3.DatabaseError as error:
        return bool(sqlite_code(error) == sqlcipher3.SQLITE_NOTADB)
    return False


def acquire_file_lock(path: Path) -> FileLock:
    """The lock file beside the notebook at ``path``, taken; :class:`NotebookInUse` if
    another window or program holds it."""
    # Not thread-local: the window closes the notebook from its chores thread. Beside the
    # file itself, not a symlink to it; a hard link is kept out by the connection's own
    # lock (connect(exclusive=True)).
    lock = FileLock(
        str(Path(path).resolve()) + ".lock",
        timeout=0,
        mode=PRIVATE_FILE_MODE,
        is_singleton=False,
        thread_local=False,
    )
    try:
        refuse_if_open_here(path)
        identity = _identity(Path(path))
        lock.acquire()
    except Timeout:
        raise _in_use() from None
    except OSError as error:
        raise storage_error(error, path.name) from error
    if identity:
        _held_here[identity] = lock
    return lock


def refuse_if_open_here(path: Path) -> None:
    """:class:`NotebookInUse` if this program has the file at ``path`` open under any name.
    Call it before reading the file at all: on POSIX, closing any handle of a file drops
    the locks the program holds on it, SQLite's too."""
    identity = _identity(Path(path))
    held = _held_here.get(identity) if identity else None
    if held is not None and held.is_locked:
        raise _in_use()


def note_held(path: Path, lock: FileLock) -> None:
    """Remember that ``lock`` (taken) stands for the file now at ``path``: after the file
    was made, or replaced by a re-encrypted one (a new inode)."""
    identity = _identity(Path(path))
    if identity:
        _held_here[identity] = lock


#: The notebook files this program holds the lock of, by (device, inode).
_held_here: dict[tuple[int, int], FileLock] = {}


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None  # a notebook being made
    return stat.st_dev, stat.st_ino


def _in_use() -> NotebookInUse:
    return NotebookInUse(
        _("The notebook is already open in another window or program. Close it there first.")
    )


def verify_notebook(connection: Any, path: Path, notebook_id: str) -> None:
    """Check that the keyed ``connection`` reads the notebook of ``notebook_id`` and that
    its schema is not newer than this version knows."""
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        row = None
        if version >= 1 and "meta" in tables:
            row = connection.execute("SELECT value FROM meta WHERE key = 'notebook_id'").fetchone()
    except sqlcipher3.DatabaseError as error:
        if sqlite_code(error) in (sqlcipher3.SQLITE_BUSY, sqlcipher3.SQLITE_LOCKED):
            # Held by a program that has it open under another name (see connect()).
            raise _in_use() from error
        if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # SQLite cannot make the WAL beside a notebook in a read-only folder: that
            # is not damage, and restoring a backup would not help.
            raise storage_error(OSError(errno.EROFS, "read-only"), path.name) from error
        raise NotebookDamaged(
            _(
                "{name} could not be read with its key: it is damaged, or its key file "
                "belongs to another notebook. Nothing was changed; restore the newest "
                "backup."
            ).format(name=path.name)
        ) from error
    if version > SCHEMA_VERSION:
        raise NotebookTooNew(
            _(
                "This notebook was made by a newer version of Counsellor's Notebook. "
                "Install the newest version to open it; it has not been changed."
            )
        )
    if version >= 1:
        if "meta" not in tables:
            raise NotANotebook(_("{name} is not a notebook.").format(name=path.name))
        if not row or row[0] != notebook_id:
            raise NotANotebook(
                _("The key file beside {name} belongs to another notebook.").format(name=path.name)
            )


def require_writable(connection: Any, path: Path) -> None:
    """Refuse a notebook that cannot be written (a read-only file or medium) at once,
    with a sentence, rather than at the first note typed into it."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE meta SET value = value WHERE key = 'notebook_id'")
    except sqlcipher3.DatabaseError as error:
        raise classify_sqlite_error(error, path.name, path) from error
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


def configure(connection: Any) -> None:
    """The pragmas every notebook connection runs with (durability, privacy, speed)."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    # Deleted text is overwritten with zeros, not just unlinked from the b-tree.
    connection.execute("PRAGMA secure_delete = ON")
    # Sorts and temporary indexes stay in memory: no temporary files at all.
    connection.execute("PRAGMA temp_store = MEMORY")
    # Pages are decrypted on every cache miss: a 64 MiB cache keeps a notebook of
    # 10,000 cases in memory once read (search 77 ms -> 18 ms in benchmarks/).
    connection.execute("PRAGMA cache_size = -65536")
    # Checkpoints copy the WAL into the notebook and fsync it: tens of milliseconds a
    # time. They run when the app is idle (checkpoint()) and on close, not inside an
    # autosave; this bound only keeps the WAL from growing without end (40 MiB).
    connection.execute("PRAGMA wal_autocheckpoint = 10000")


def migrate(connection: Any, path: Path) -> None:
    """Bring the notebook to :data:`SCHEMA_VERSION`: each step in its own transaction,
    which also sets the version it reached."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    while version < SCHEMA_VERSION:
        try:
            connection.execute("BEGIN IMMEDIATE")
            MIGRATIONS[version](connection)
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(error, sqlcipher3.DatabaseError):
                raise classify_sqlite_error(error, path.name, path) from error
            raise
        version += 1


def sidecars(path: Path) -> list[Path]:
    """The files SQLite may keep beside the database at ``path`` (WAL, shared memory,
    rollback journal)."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def remove_quietly(*paths: Path) -> None:
    """Delete ``paths`` where they exist; a file that cannot be deleted is left."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


class Database:
    """An open database file: its keyed connection, the file lock held for it, and a thread
    lock around the connection, so that it may be used from any one thread at a time (the
    GUI writes from a worker thread). Every edit is a transaction: :meth:`transaction`."""

    def __init__(self, connection: Any, file_lock: FileLock) -> None:
        #: The SQLCipher connection; None once closed. Use it under :attr:`lock`.
        self.connection: Any = connection
        self.file_lock = file_lock
        self.lock = threading.RLock()
        self._depth = 0

    @property
    def is_open(self) -> bool:
        """Whether the connection is still open."""
        return self.connection is not None

    def require_open(self) -> None:
        """Refuse to use a closed (locked) notebook, with a sentence."""
        if self.connection is None:
            raise UserError(_("The notebook is locked."))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction (nested calls join the outer one); rolls back on any error."""
        with self.lock:
            self.require_open()
            connection = self.connection
            if self._depth:
                self._depth += 1
                try:
                    yield connection
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                connection.execute("BEGIN IMMEDIATE")
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def close(self) -> None:
        """Checkpoint the WAL into the file, close it and release the file lock. Safe to
        call twice."""
        with self.lock:
            if self.connection is None:
                return
            try:
                self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.Error:
                pass  # the WAL stays and is replayed on the next open: nothing is lost
            finally:
                self.connection.close()
                self.connection = None
                self.file_lock.release()
