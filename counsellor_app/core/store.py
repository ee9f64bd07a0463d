"""The notebook: one SQLCipher-encrypted file, its key file, its backups.

A :class:`Notebook` owns one connection, guarded by a lock so that the GUI may run writes
on a worker thread (every public method is safe to call from any one thread at a time).
Every edit is its own small transaction in WAL mode with ``synchronous=FULL``: once a
method returns, the edit survives a crash or a power cut.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import functools
import itertools
import json
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlcipher3
from filelock import FileLock, Timeout

from counsellor_app.core.domain import (
    CODE_ALPHABET,
    AgeBand,
    AgendaItem,
    Alliance,
    AllianceStatus,
    CallerRole,
    Case,
    CaseStatus,
    Channel,
    Concern,
    ConcernDecision,
    ConcernSigns,
    Consent,
    Conversation,
    FollowUp,
    Gender,
    HelpSystemActor,
    HelpSystemStatus,
    Partner,
    Role,
    StatusChange,
    Step,
    WellbeingLevel,
    new_case_code,
)
from counsellor_app.core.errors import (
    BackupError,
    EncryptionNotInEffect,
    NotANotebook,
    NotebookDamaged,
    NotebookExists,
    NotebookInUse,
    NotebookTooNew,
    UserError,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import (
    DEFAULT_KDF,
    NEW_PAGE_HMAC,
    PAGE_HMACS,
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KdfParams,
    KeyFile,
    key_file_path,
    new_key_file,
    new_recovery_key,
    normalise_recovery_key,
)
from counsellor_app.core.safefile import fsync_directory, sqlite_io_error, storage_error
from counsellor_app.core.schema import MIGRATIONS, SCHEMA_VERSION
from counsellor_app.core.settings import AppSettings, remember_backup_folder

SQLITE_HEADER = b"SQLite format 3\x00"
NOTEBOOK_SUFFIX = ".cnb"
BACKUP_KEEP = 10
DEFAULT_RETENTION_MONTHS = 12
DEFAULT_AUTO_LOCK_MINUTES = 5
#: Meta key set while older backups may still hold text that a purge removed.
_PURGE_PENDING = "purge_backups_pending"

NOTE_COLUMNS: dict[Step, str] = {
    Step.LISTEN: "note_listen",
    Step.ADVISE: "note_advise",
    Step.ALLIANCES: "note_alliances",
    Step.FOLLOW_UP: "note_follow_up",
}

P = ParamSpec("P")
T = TypeVar("T")


def now() -> datetime:
    """The current time, timezone-aware (UTC), to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def _ts(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _enum_or_none(kind: Any, value: str | None) -> Any:
    return kind(value) if value else None


def _storable(text: str) -> str:
    """``text`` as SQLite can store it (UTF-8): half of a surrogate pair, which no keyboard
    types but a broken program's paste may hold, becomes U+FFFD instead of an error that
    would lose the whole note."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _load_list(text: str) -> list[str]:
    value = json.loads(text)
    return [str(item) for item in value] if isinstance(value, list) else []


def _classify_sqlite_error(error: Exception, what: str, path: Path | None = None) -> UserError:
    """A sqlite error met while writing ``path``, as a sentence for the user."""
    message = str(error).lower()
    if "full" in message:
        return storage_error(OSError(28, "No space left on device"), what)
    if "readonly" in message or "read-only" in message:
        return storage_error(OSError(30, "Read-only file system"), what)
    if "disk i/o" in message and path is not None:
        # SQLite reports a file at its size limit (EFBIG) as a disk I/O error, too.
        return sqlite_io_error(path, what)
    if "disk i/o" in message or "unable to open" in message:
        return storage_error(OSError(5, "Input/output error"), what)
    if "locked" in message or "busy" in message:
        return NotebookInUse(_("The notebook is busy in another program. Try again in a moment."))
    return NotebookDamaged(
        _(
            "The notebook could not be read: it may be damaged. Nothing was written to it. "
            "Restore the newest backup."
        )
    )


def guarded(method: Callable[P, T]) -> Callable[P, T]:
    """Run a store method under the connection lock; turn database errors into sentences."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        notebook = args[0]
        assert isinstance(notebook, Notebook)
        with notebook._lock:
            notebook._require_open()
            try:
                return method(*args, **kwargs)
            except sqlcipher3.DatabaseError as error:
                raise _classify_sqlite_error(error, notebook.path.name, notebook.path) from error
            except OSError as error:
                raise storage_error(error, notebook.path.name) from error

    return wrapper


@dataclass(frozen=True)
class CaseSummary:
    """What a list of cases shows for one case (no note text)."""

    id: int
    code: str
    status: CaseStatus
    themes: tuple[str, ...]
    age_band: AgeBand | None
    latest_wellbeing: WellbeingLevel | None
    updated_at: datetime
    next_due: date | None


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list; ``None`` means any."""

    status: CaseStatus | None = None
    theme: str | None = None
    wellbeing: WellbeingLevel | None = None
    #: "overdue", "today", "week" or "any" (cases with an open follow-up).
    due: str | None = None


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    size: int


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word must match, as a prefix, a word in the
    notes of one conversation (an index row)."""
    words = [word for word in "".join(ch if ch.isalnum() else " " for ch in text).split()]
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _code_prefixes(text: str) -> tuple[str, ...]:
    """The starts of a case code as typed ("K-7F3Q", "k7f3", "7F3", "K 7F"): none unless the
    text is one short word (or "K" and one) of code letters."""
    words = text.upper().split()
    if len(words) == 2 and words[0] in ("K", "K-"):
        words = ["K-" + words[1]]
    if len(words) != 1:
        return ()
    word = words[0]
    compact = "".join(ch for ch in word if ch.isalnum())
    if not 2 <= len(compact) <= 7 or any(ch not in CODE_ALPHABET for ch in compact):
        return ()
    if word.startswith("K-"):
        return (f"K-{compact[1:]}",)
    # "K7F" may be the start of K-7F.. (the K typed) or of K-K7F.. (K is a code letter too).
    if compact.startswith("K"):
        return (f"K-{compact[1:]}", f"K-{compact}")
    return (f"K-{compact}",)


class _CaseSearch:
    """The work of :meth:`Notebook.find_case_ids` on one connection (the benchmark runs it on
    a plain database too).

    Two cheap steps instead of one join: the ids of the cases that pass the filter, most
    recently changed first, and the set of cases whose notes (or code) match; the result is
    the first list kept where it is in the set. The filtered order is kept until the
    connection next writes (``total_changes``), so while someone types it costs nothing;
    the note search is one FTS5 query whose rowids carry their case (schema version 2), its
    ids passed back as one JSON array rather than thousands of rows.
    """

    def __init__(self) -> None:
        self._order_key: tuple[Any, ...] | None = None
        self._order: list[int] = []
        self._order_max = 0

    def find(self, connection: Any, text: str, case_filter: CaseFilter) -> list[int]:
        order = self._ordered(connection, case_filter)
        query = fts_query(text)
        if not query:
            return list(order)
        try:
            (found,) = connection.execute(
                "SELECT json_group_array(rowid >> 32) FROM note_index WHERE note_index MATCH ?",
                (query,),
            ).fetchone()
        except sqlcipher3.OperationalError:
            return []  # an FTS syntax the user could not have meant: no results, no crash
        matched: list[int] = json.loads(found)
        prefixes = _code_prefixes(text)
        if prefixes:
            # Codes are stored in capitals: GLOB (unlike LIKE) can use their unique index.
            matched += [
                row[0]
                for row in connection.execute(
                    "SELECT id FROM cases WHERE " + " OR ".join(["code GLOB ?"] * len(prefixes)),
                    [prefix + "*" for prefix in prefixes],
                )
            ]
        if not matched:
            return []
        # One byte per case id rather than a set: filling it and keeping the order by it
        # take a third of the time at 100,000 cases (the loops run in C).
        hit = bytearray(max(self._order_max, max(matched)) + 1)
        collections.deque(map(hit.__setitem__, matched, itertools.repeat(1)), maxlen=0)
        return list(itertools.compress(order, map(hit.__getitem__, order)))

    def _ordered(self, connection: Any, case_filter: CaseFilter) -> list[int]:
        """Ids of the cases passing the filter, most recently changed first."""
        where: list[str] = []
        params: list[Any] = []
        if case_filter.status is not None:
            where.append("c.status = ?")
            params.append(case_filter.status.value)
        if case_filter.theme:
            where.append("EXISTS (SELECT 1 FROM json_each(c.themes) WHERE value = ?)")
            params.append(case_filter.theme)
        if case_filter.wellbeing is not None:
            where.append("c.latest_wellbeing = ?")
            params.append(case_filter.wellbeing.value)
        if case_filter.due:
            today = date.today()
            bounds = {
                "overdue": ("0000-01-01", (today - timedelta(days=1)).isoformat()),
                "today": (today.isoformat(), today.isoformat()),
                "week": (today.isoformat(), (today + timedelta(days=7)).isoformat()),
                "any": ("0000-01-01", "9999-12-31"),
            }[case_filter.due]
            where.append(
                "c.id IN (SELECT f.case_id FROM follow_ups f WHERE f.done = 0 "
                "AND f.due BETWEEN ? AND ?)"
            )
            params += list(bounds)
        sql = "SELECT c.id FROM cases c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.updated_at DESC, c.id DESC"
        # Inside a transaction the order may yet be rolled back: read it, do not keep it.
        key = (connection.total_changes, sql, *params)
        if key != self._order_key or connection.in_transaction:
            self._order = [row[0] for row in connection.execute(sql, params)]
            self._order_max = max(self._order, default=0)
            self._order_key = None if connection.in_transaction else key
        return self._order


def _check_file_header(path: Path) -> None:
    """Refuse a missing, empty or unencrypted file before any key is tried."""
    try:
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


def _connect(path: Path, data_key: bytes, page_hmac: str, *, create: bool = False) -> Any:
    """An open, keyed connection; raises if SQLCipher is not in effect."""
    mode = "rwc" if create else "rw"
    uri = Path(path).resolve().as_uri() + f"?mode={mode}"
    try:
        connection = sqlcipher3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=2.0
        )
    except sqlcipher3.Error as error:
        raise _classify_sqlite_error(error, path.name, path) from error
    connection.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
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
    return connection


def _connect_existing(path: Path, data_key: bytes, page_hmac: str) -> tuple[Any, str]:
    """A connection to an existing notebook or backup, and the page authentication it uses.

    The key file says which (:data:`~counsellor_app.core.keys.PAGE_HMACS`); should the first
    page not authenticate with it (a key file copied from elsewhere, or edited), the other
    one is tried before anything is called damaged. Otherwise, and where neither works, the
    connection with the key file's choice is returned, for the caller's checks to say what
    is wrong."""
    connection = _connect(path, data_key, page_hmac)
    if not _first_page_refused(connection):
        return connection, page_hmac
    for other in PAGE_HMACS:
        if other != page_hmac:
            alternative = _connect(path, data_key, other)
            if not _first_page_refused(alternative):
                connection.close()
                return alternative, other
            alternative.close()
    return connection, page_hmac


def _first_page_refused(connection: Any) -> bool:
    """Whether the header page fails its authentication ("file is not a database"), as
    opposed to reading, or failing for another reason such as a file cut short."""
    try:
        # Not a SELECT: that would also make SQLCipher write error lines to stderr.
        connection.execute("PRAGMA user_version").fetchone()
    except sqlcipher3.DatabaseError as error:
        return "not a database" in str(error)
    return False


class Notebook:
    """An open, unlocked notebook. Use :meth:`create` or :meth:`open`, then :meth:`close`."""

    def __init__(
        self, path: Path, connection: Any, lock: FileLock, data_key: bytes, page_hmac: str
    ) -> None:
        self.path = path
        self._connection = connection
        self._file_lock = lock
        self._data_key = data_key
        self._page_hmac = page_hmac
        self._lock = threading.RLock()
        self._depth = 0
        self._changes_at_backup = 0
        self._case_search = _CaseSearch()
        self.notebook_id = self.meta("notebook_id") or ""

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        role: Role = Role.COUNSELLOR,
        *,
        kdf: KdfParams = DEFAULT_KDF,
    ) -> tuple[Notebook, str]:
        """Make a new notebook at ``path``; return it and its recovery key (show it once)."""
        path = Path(path)
        if path.exists() or key_file_path(path).exists():
            raise NotebookExists(
                _("There is already a file at {path}; choose another name.").format(path=path)
            )
        if not passphrase:
            raise UserError(_("The passphrase cannot be empty."))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise storage_error(error, path.name) from error
        notebook_id = str(uuid.uuid4())
        recovery_key = new_recovery_key()
        key_file, data_key = new_key_file(notebook_id, passphrase, recovery_key, kdf)
        lock = cls._acquire(path)
        try:
            connection = _connect(path, data_key, key_file.page_hmac, create=True)
            try:
                cls._configure(connection)
                cls._migrate(connection, path)
                stamp = _ts(now())
                connection.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("notebook_id", notebook_id),
                        ("role", role.value),
                        ("created_at", stamp),
                        ("retention_months", str(DEFAULT_RETENTION_MONTHS)),
                        ("auto_lock_minutes", str(DEFAULT_AUTO_LOCK_MINUTES)),
                    ],
                )
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except BaseException:
                connection.close()
                raise
            key_file.write(path)
            with open(path, "rb") as handle:
                if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                    raise EncryptionNotInEffect(
                        _("The notebook was not encrypted; it was removed.")
                    )
        except BaseException:
            lock.release()
            for leftover in (path, key_file_path(path), *_sidecars(path)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise
        return cls(path, connection, lock, data_key, key_file.page_hmac), recovery_key

    @classmethod
    def open(
        cls, path: Path, passphrase: str | None = None, *, recovery_key: str | None = None
    ) -> Notebook:
        """Unlock the notebook at ``path`` with its passphrase or its recovery key.

        A wrong secret raises :class:`WrongPassphrase` before the notebook file is even
        opened, so the file stays byte for byte the same.
        """
        path = Path(path)
        if path.suffix != NOTEBOOK_SUFFIX and path.is_file() and not key_file_path(path).exists():
            # Some other file (a text, a PDF): not a damaged notebook, no backup to offer.
            raise NotANotebook(
                _(
                    "{name} is not a notebook. A notebook is a {suffix} file with its key "
                    "file ({suffix}.key) beside it. Nothing was changed."
                ).format(name=path.name, suffix=NOTEBOOK_SUFFIX)
            )
        try:
            _check_file_header(path)
            key_file = KeyFile.read(path)
            if recovery_key is not None:
                data_key = key_file.unwrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key))
            else:
                data_key = key_file.unwrap(PASSPHRASE_SLOT, passphrase or "")
            return cls._open_with_key(path, data_key, key_file)
        except (NotebookDamaged, NotANotebook) as error:
            offered = _offer_newest_backup(error, path, passphrase, recovery_key)
            if offered is None:
                raise
            raise offered from error

    @classmethod
    def _open_with_key(cls, path: Path, data_key: bytes, key_file: KeyFile) -> Notebook:
        lock = cls._acquire(path)
        try:
            connection, page_hmac = _connect_existing(path, data_key, key_file.page_hmac)
            try:
                cls._verify(connection, path, key_file.notebook_id)
                cls._configure(connection)
                cls._migrate(connection, path)
                cls._require_writable(connection, path)
            except BaseException:
                connection.close()
                raise
        except BaseException:
            lock.release()
            raise
        return cls(path, connection, lock, data_key, page_hmac)

    @staticmethod
    def _acquire(path: Path) -> FileLock:
        # Not thread-local: the window closes the notebook from its chores thread.
        lock = FileLock(str(path) + ".lock", timeout=0, is_singleton=False, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise NotebookInUse(
                _(
                    "The notebook is already open in another window or program. Close it "
                    "there first."
                )
            ) from None
        except OSError as error:
            raise storage_error(error, path.name) from error
        return lock

    @staticmethod
    def _verify(connection: Any, path: Path, notebook_id: str) -> None:
        try:
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            row = None
            if version >= 1 and "meta" in tables:
                row = connection.execute(
                    "SELECT value FROM meta WHERE key = 'notebook_id'"
                ).fetchone()
        except sqlcipher3.DatabaseError as error:
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
                    _("The key file beside {name} belongs to another notebook.").format(
                        name=path.name
                    )
                )

    @staticmethod
    def _require_writable(connection: Any, path: Path) -> None:
        """Refuse a notebook that cannot be written (a read-only file or medium) at once,
        with a sentence, rather than at the first note typed into it."""
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE meta SET value = value WHERE key = 'notebook_id'")
        except sqlcipher3.DatabaseError as error:
            raise _classify_sqlite_error(error, path.name, path) from error
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")

    @staticmethod
    def _configure(connection: Any) -> None:
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

    @staticmethod
    def _migrate(connection: Any, path: Path) -> None:
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
                    raise _classify_sqlite_error(error, path.name, path) from error
                raise
            version += 1

    def close(self) -> None:
        """Checkpoint the WAL into the notebook and release it. Safe to call twice."""
        with self._lock:
            if self._connection is None:
                return
            try:
                self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlcipher3.Error:
                pass  # the WAL stays and is replayed on the next open: nothing is lost
            finally:
                self._connection.close()
                self._connection = None
                self._data_key = b""
                self._file_lock.release()

    @property
    def is_open(self) -> bool:
        return self._connection is not None

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _require_open(self) -> None:
        if self._connection is None:
            raise UserError(_("The notebook is locked."))

    # ------------------------------------------------------------------ plumbing

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction (nested calls join the outer one); rolls back on any error."""
        with self._lock:
            self._require_open()
            connection = self._connection
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

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows of one SQL statement on the notebook's connection (for the core modules
        that keep their own tables; call under :func:`guarded`)."""
        return list(self._connection.execute(sql, params).fetchall())

    def meta(self, key: str) -> str | None:
        """The value stored under ``key`` in the notebook's meta table, or None."""
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM meta WHERE key = ?", (key,)
            ).fetchone()
        return str(row[0]) if row else None

    @guarded
    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` in the notebook's meta table (one transaction)."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @guarded
    def cipher_version(self) -> str:
        """SQLCipher's version string: proof that encryption is in effect."""
        return str(self.query("PRAGMA cipher_version")[0][0])

    @guarded
    def schema_version(self) -> int:
        return int(self.query("PRAGMA user_version")[0][0])

    # ------------------------------------------------------------------ settings

    @property
    def role(self) -> Role:
        return Role(self.meta("role") or Role.COUNSELLOR.value)

    @property
    def retention_months(self) -> int:
        return int(self.meta("retention_months") or DEFAULT_RETENTION_MONTHS)

    def set_retention_months(self, months: int) -> None:
        if months < 1:
            raise UserError(_("Retention must be at least one month."))
        self.set_meta("retention_months", str(months))

    @property
    def auto_lock_minutes(self) -> int:
        return int(self.meta("auto_lock_minutes") or DEFAULT_AUTO_LOCK_MINUTES)

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.set_meta("auto_lock_minutes", str(max(1, minutes)))

    @property
    def backup_dir(self) -> Path:
        """Where backups go: the chosen folder, else the user's data folder."""
        chosen = self.meta("backup_dir")
        if chosen:
            return Path(chosen)
        from counsellor_app.core.paths import default_backup_dir

        return default_backup_dir(self.notebook_id)

    def set_backup_dir(self, folder: Path | None) -> None:
        self.set_meta("backup_dir", str(folder) if folder else "")
        if folder:
            remember_backup_folder(Path(folder))

    # ------------------------------------------------------------------ cases

    _CASE_COLUMNS = (
        "id, code, status, caller_role, help_system, known_by, age_band, gender, arenas, "
        "themes, protective_factors, risk_factors, retention_hold, created_at, updated_at, "
        "closed_at, purged_at"
    )

    @staticmethod
    def _case_from_row(row: Sequence[Any]) -> Case:
        return Case(
            id=row[0],
            code=row[1],
            status=CaseStatus(row[2]),
            caller_role=_enum_or_none(CallerRole, row[3]),
            help_system=_enum_or_none(HelpSystemStatus, row[4]),
            known_by=[HelpSystemActor(v) for v in _load_list(row[5])],
            age_band=_enum_or_none(AgeBand, row[6]),
            gender=_enum_or_none(Gender, row[7]),
            arenas=_load_list(row[8]),
            themes=_load_list(row[9]),
            protective_factors=_load_list(row[10]),
            risk_factors=_load_list(row[11]),
            retention_hold=bool(row[12]),
            created_at=_dt(row[13]),
            updated_at=_dt(row[14]),
            closed_at=_dt(row[15]),
            purged_at=_dt(row[16]),
        )

    @guarded
    def new_case(self, **fields: Any) -> Case:
        """A new open case with a fresh, unused case code."""
        case = Case(code="", **fields)
        stamp = _ts(now())
        with self.transaction() as db:
            while True:
                code = new_case_code()
                if not db.execute("SELECT 1 FROM cases WHERE code = ?", (code,)).fetchone():
                    break
            case.code = code
            cursor = db.execute(
                "INSERT INTO cases (code, status, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (code, case.status.value, stamp, stamp),
            )
            case.id = int(cursor.lastrowid)
            db.execute(
                "INSERT INTO status_changes (case_id, at, old, new) VALUES (?, ?, NULL, ?)",
                (case.id, stamp, case.status.value),
            )
            self.update_case(case)
        return self.case(case.id)

    @guarded
    def update_case(self, case: Case) -> None:
        """Store the structured fields of ``case`` (status changes go through set_status)."""
        if case.id is None:
            raise ValueError("case has no id")
        with self.transaction() as db:
            db.execute(
                "UPDATE cases SET caller_role = ?, help_system = ?, known_by = ?, age_band = ?, "
                "gender = ?, arenas = ?, themes = ?, protective_factors = ?, risk_factors = ?, "
                "retention_hold = ?, updated_at = ? WHERE id = ?",
                (
                    case.caller_role.value if case.caller_role else None,
                    case.help_system.value if case.help_system else None,
                    json.dumps([v.value for v in case.known_by]),
                    case.age_band.value if case.age_band else None,
                    case.gender.value if case.gender else None,
                    json.dumps(case.arenas),
                    json.dumps(case.themes),
                    json.dumps(case.protective_factors),
                    json.dumps(case.risk_factors),
                    int(case.retention_hold),
                    _ts(now()),
                    case.id,
                ),
            )

    @guarded
    def set_status(self, case_id: int, status: CaseStatus) -> None:
        """Change a case's status; closing it deletes its call-back detail for good."""
        stamp = _ts(now())
        with self.transaction() as db:
            row = db.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
            if row is None or row[0] == status.value:
                return
            db.execute(
                "UPDATE cases SET status = ?, updated_at = ?, closed_at = ? WHERE id = ?",
                (status.value, stamp, stamp if status is CaseStatus.CLOSED else None, case_id),
            )
            db.execute(
                "INSERT INTO status_changes (case_id, at, old, new) VALUES (?, ?, ?, ?)",
                (case_id, stamp, row[0], status.value),
            )
            if status is CaseStatus.CLOSED:
                db.execute("DELETE FROM callbacks WHERE case_id = ?", (case_id,))

    @guarded
    def case(self, case_id: int) -> Case:
        rows = self.query(f"SELECT {self._CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        if not rows:
            raise KeyError(case_id)
        return self._case_from_row(rows[0])

    @guarded
    def case_by_code(self, code: str) -> Case | None:
        rows = self.query(
            f"SELECT {self._CASE_COLUMNS} FROM cases WHERE code = ?", (code.strip().upper(),)
        )
        return self._case_from_row(rows[0]) if rows else None

    @guarded
    def case_count(self) -> int:
        return int(self.query("SELECT count(*) FROM cases")[0][0])

    @guarded
    def status_changes(self, case_id: int) -> list[StatusChange]:
        return [
            StatusChange(case_id, _dt(at) or now(), _enum_or_none(CaseStatus, old), CaseStatus(new))
            for at, old, new in self.query(
                "SELECT at, old, new FROM status_changes WHERE case_id = ? ORDER BY id",
                (case_id,),
            )
        ]

    # ------------------------------------------------------------------ conversations

    _CONVERSATION_COLUMNS = (
        "id, case_id, started_at, duration_seconds, channel, note_listen, note_advise, "
        "note_alliances, note_follow_up, wellbeing, updated_at"
    )

    @staticmethod
    def _conversation_from_row(row: Sequence[Any]) -> Conversation:
        wellbeing = {str(k): WellbeingLevel(v) for k, v in json.loads(row[9]).items()}
        return Conversation(
            id=row[0],
            case_id=row[1],
            started_at=_dt(row[2]) or now(),
            duration_seconds=row[3],
            channel=Channel(row[4]),
            notes=dict(zip(Step, row[5:9], strict=True)),
            wellbeing=wellbeing,
            updated_at=_dt(row[10]),
        )

    @guarded
    def new_conversation(
        self, case_id: int, channel: Channel = Channel.PHONE, started_at: datetime | None = None
    ) -> Conversation:
        """Start a new contact on a case (a call begins now unless told otherwise)."""
        stamp = _ts(now())
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO conversations (case_id, started_at, channel, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (case_id, _ts(started_at or now()), channel.value, stamp),
            )
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (stamp, case_id))
            return self.conversation(int(cursor.lastrowid))

    @guarded
    def conversation(self, conversation_id: int) -> Conversation:
        rows = self.query(
            f"SELECT {self._CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
            (conversation_id,),
        )
        if not rows:
            raise KeyError(conversation_id)
        return self._conversation_from_row(rows[0])

    @guarded
    def conversations(self, case_id: int) -> list[Conversation]:
        """The contacts of a case, oldest first."""
        return [
            self._conversation_from_row(row)
            for row in self.query(
                f"SELECT {self._CONVERSATION_COLUMNS} FROM conversations "
                "WHERE case_id = ? ORDER BY started_at, id",
                (case_id,),
            )
        ]

    @guarded
    def save_note(self, conversation_id: int, step: Step, text: str) -> None:
        """Store one step's note: the autosave path, one small durable transaction."""
        column = NOTE_COLUMNS[step]
        stamp = _ts(now())
        with self.transaction() as db:
            db.execute(
                f"UPDATE conversations SET {column} = ?, updated_at = ? WHERE id = ?",
                (_storable(text), stamp, conversation_id),
            )
            db.execute(
                "UPDATE cases SET updated_at = ? WHERE id = "
                "(SELECT case_id FROM conversations WHERE id = ?)",
                (stamp, conversation_id),
            )

    @guarded
    def update_conversation(self, conversation: Conversation) -> None:
        """Store a conversation's channel, duration, wellbeing levels and notes."""
        if conversation.id is None:
            raise ValueError("conversation has no id")
        stamp = _ts(now())
        with self.transaction() as db:
            db.execute(
                "UPDATE conversations SET started_at = ?, duration_seconds = ?, channel = ?, "
                "note_listen = ?, note_advise = ?, note_alliances = ?, note_follow_up = ?, "
                "wellbeing = ?, updated_at = ? WHERE id = ?",
                (
                    _ts(conversation.started_at),
                    conversation.duration_seconds,
                    conversation.channel.value,
                    *(_storable(conversation.notes.get(step, "")) for step in Step),
                    json.dumps({k: v.value for k, v in conversation.wellbeing.items()}),
                    stamp,
                    conversation.id,
                ),
            )
            self._refresh_latest_wellbeing(db, conversation.case_id, stamp)

    @guarded
    def set_duration(self, conversation_id: int, seconds: int) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE conversations SET duration_seconds = ? WHERE id = ?",
                (max(0, int(seconds)), conversation_id),
            )

    @guarded
    def set_channel(self, conversation_id: int, channel: Channel) -> None:
        """Set how the contact came (only that: the notes may be saving meanwhile)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE conversations SET channel = ?, updated_at = ? WHERE id = ?",
                (Channel(channel).value, _ts(now()), conversation_id),
            )

    @guarded
    def set_wellbeing(self, conversation_id: int, arena: str, level: WellbeingLevel | None) -> None:
        """Set (or clear) the level for one arena, or :data:`OVERALL`, at this contact."""
        stamp = _ts(now())
        with self.transaction() as db:
            row = db.execute(
                "SELECT case_id, wellbeing FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                raise KeyError(conversation_id)
            levels = json.loads(row[1])
            if level is None:
                levels.pop(arena, None)
            else:
                levels[arena] = level.value
            db.execute(
                "UPDATE conversations SET wellbeing = ?, updated_at = ? WHERE id = ?",
                (json.dumps(levels), stamp, conversation_id),
            )
            self._refresh_latest_wellbeing(db, row[0], stamp)

    def _refresh_latest_wellbeing(self, db: Any, case_id: int, stamp: str | None) -> None:
        # The case list filters on the latest assessed level: keep it on the case row.
        latest: WellbeingLevel | None = None
        for (levels,) in db.execute(
            "SELECT wellbeing FROM conversations WHERE case_id = ? "
            "ORDER BY started_at DESC, id DESC",
            (case_id,),
        ):
            parsed = {k: WellbeingLevel(v) for k, v in json.loads(levels).items()}
            if parsed:
                latest = Conversation(case_id, now(), wellbeing=parsed).overall_wellbeing()
                break
        db.execute(
            "UPDATE cases SET latest_wellbeing = ?, updated_at = ? WHERE id = ?",
            (latest.value if latest else None, stamp, case_id),
        )

    @guarded
    def wellbeing_trajectory(
        self, case_id: int
    ) -> list[tuple[datetime, dict[str, WellbeingLevel]]]:
        """The levels assessed at each contact of a case, oldest first."""
        return [
            (c.started_at, dict(c.wellbeing)) for c in self.conversations(case_id) if c.wellbeing
        ]

    # ------------------------------------------------------------------ alliances

    _ALLIANCE_COLUMNS = (
        "id, case_id, partner, role, agreed, consent, status, created_at, updated_at"
    )

    @guarded
    def save_alliance(self, alliance: Alliance) -> Alliance:
        """Add (no id) or update an alliance; returns it as stored."""
        stamp = _ts(now())
        values = (
            alliance.partner.value,
            alliance.role,
            alliance.agreed,
            alliance.consent.value,
            alliance.status.value,
        )
        with self.transaction() as db:
            if alliance.id is None:
                cursor = db.execute(
                    "INSERT INTO alliances (partner, role, agreed, consent, status, case_id, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, alliance.case_id, stamp, stamp),
                )
                alliance_id = int(cursor.lastrowid)
            else:
                alliance_id = alliance.id
                db.execute(
                    "UPDATE alliances SET partner = ?, role = ?, agreed = ?, consent = ?, "
                    "status = ?, updated_at = ? WHERE id = ?",
                    (*values, stamp, alliance_id),
                )
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (stamp, alliance.case_id))
        return next(a for a in self.alliances(alliance.case_id) if a.id == alliance_id)

    @guarded
    def delete_alliance(self, alliance_id: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM alliances WHERE id = ?", (alliance_id,))

    @guarded
    def alliances(self, case_id: int) -> list[Alliance]:
        return [
            Alliance(
                id=row[0],
                case_id=row[1],
                partner=Partner(row[2]),
                role=row[3],
                agreed=row[4],
                consent=Consent(row[5]),
                status=AllianceStatus(row[6]),
                created_at=_dt(row[7]),
                updated_at=_dt(row[8]),
            )
            for row in self.query(
                f"SELECT {self._ALLIANCE_COLUMNS} FROM alliances WHERE case_id = ? ORDER BY id",
                (case_id,),
            )
        ]

    # ------------------------------------------------------------------ follow-ups

    _FOLLOW_UP_COLUMNS = (
        "id, case_id, due, counsellor_task, parent_task, others_task, done, done_at, "
        "created_at, conversation_id"
    )

    @staticmethod
    def _follow_up_from_row(row: Sequence[Any]) -> FollowUp:
        return FollowUp(
            id=row[0],
            case_id=row[1],
            due=date.fromisoformat(row[2]),
            counsellor_task=row[3],
            parent_task=row[4],
            others_task=row[5],
            done=bool(row[6]),
            done_at=_dt(row[7]),
            created_at=_dt(row[8]),
            conversation_id=row[9],
        )

    @guarded
    def save_follow_up(self, follow_up: FollowUp) -> FollowUp:
        """Add (no id) or update a follow-up (the conversation it came from is set when it
        is added, and kept). An open follow-up puts an open case on
        "awaiting follow-up"."""
        stamp = _ts(now())
        values = (
            follow_up.due.isoformat(),
            follow_up.counsellor_task,
            follow_up.parent_task,
            follow_up.others_task,
            int(follow_up.done),
        )
        with self.transaction() as db:
            if follow_up.id is None:
                cursor = db.execute(
                    "INSERT INTO follow_ups (due, counsellor_task, parent_task, others_task, "
                    "done, case_id, created_at, conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, follow_up.case_id, stamp, follow_up.conversation_id),
                )
                follow_up_id = int(cursor.lastrowid)
            else:
                follow_up_id = follow_up.id
                db.execute(
                    "UPDATE follow_ups SET due = ?, counsellor_task = ?, parent_task = ?, "
                    "others_task = ?, done = ?, done_at = CASE WHEN ? THEN coalesce(done_at, ?) "
                    "END WHERE id = ?",
                    (*values, int(follow_up.done), stamp, follow_up_id),
                )
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (stamp, follow_up.case_id))
            self._follow_status_to_follow_ups(follow_up.case_id)
        return self._follow_up_from_row(
            self.query(
                f"SELECT {self._FOLLOW_UP_COLUMNS} FROM follow_ups WHERE id = ?", (follow_up_id,)
            )[0]
        )

    @guarded
    def mark_follow_up_done(self, follow_up_id: int, done: bool = True) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE follow_ups SET done = ?, done_at = ? WHERE id = ?",
                (int(done), _ts(now()) if done else None, follow_up_id),
            )
            row = db.execute(
                "SELECT case_id FROM follow_ups WHERE id = ?", (follow_up_id,)
            ).fetchone()
            if row is not None:
                self._follow_status_to_follow_ups(int(row[0]))

    def _follow_status_to_follow_ups(self, case_id: int) -> None:
        """An open case with an open follow-up awaits it; a case awaiting follow-up whose
        last open follow-up is done is open again. Any other status is the counsellor's
        own choice and stays."""
        status, waiting = self._connection.execute(
            "SELECT status, EXISTS (SELECT 1 FROM follow_ups WHERE case_id = ?1 AND done = 0) "
            "FROM cases WHERE id = ?1",
            (case_id,),
        ).fetchone()
        if waiting and status == CaseStatus.OPEN.value:
            self.set_status(case_id, CaseStatus.AWAITING_FOLLOW_UP)
        elif not waiting and status == CaseStatus.AWAITING_FOLLOW_UP.value:
            self.set_status(case_id, CaseStatus.OPEN)

    @guarded
    def follow_ups(self, case_id: int) -> list[FollowUp]:
        return [
            self._follow_up_from_row(row)
            for row in self.query(
                f"SELECT {self._FOLLOW_UP_COLUMNS} FROM follow_ups WHERE case_id = ? "
                "ORDER BY due, id",
                (case_id,),
            )
        ]

    @guarded
    def agenda(self, today: date | None = None) -> dict[str, list[AgendaItem]]:
        """Open follow-ups: ``overdue`` (before today), ``today``, and ``week`` (the next 7
        days after today)."""
        today = today or date.today()
        week_end = today + timedelta(days=7)
        columns = ", ".join(f"f.{c.strip()}" for c in self._FOLLOW_UP_COLUMNS.split(","))
        rows = self.query(
            f"SELECT {columns}, c.code, c.status FROM follow_ups f "
            "JOIN cases c ON c.id = f.case_id "
            "WHERE f.done = 0 AND f.due <= ? ORDER BY f.due, f.id",
            (week_end.isoformat(),),
        )
        agenda: dict[str, list[AgendaItem]] = {"overdue": [], "today": [], "week": []}
        for *follow_up, code, status in rows:
            item = AgendaItem(self._follow_up_from_row(follow_up), code, CaseStatus(status))
            due = item.follow_up.due
            bucket = "overdue" if due < today else "today" if due == today else "week"
            agenda[bucket].append(item)
        return agenda

    # ------------------------------------------------------------------ call-back, concern

    @guarded
    def set_callback(self, case_id: int, phone: str | None) -> None:
        """Keep (or with ``None`` delete) the number a parent chose to leave for a call back."""
        with self.transaction() as db:
            if phone and phone.strip():
                status = db.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
                if status and status[0] == CaseStatus.CLOSED.value:
                    raise UserError(_("A closed case keeps no call-back number."))
                db.execute(
                    "INSERT INTO callbacks (case_id, phone) VALUES (?, ?) "
                    "ON CONFLICT (case_id) DO UPDATE SET phone = excluded.phone",
                    (case_id, phone.strip()),
                )
            else:
                db.execute("DELETE FROM callbacks WHERE case_id = ?", (case_id,))

    @guarded
    def callback(self, case_id: int) -> str | None:
        rows = self.query("SELECT phone FROM callbacks WHERE case_id = ?", (case_id,))
        return str(rows[0][0]) if rows else None

    @guarded
    def record_concern(self, concern: Concern) -> Concern:
        """Record what was decided about a possible serious risk, and why."""
        stamp = _ts(now())
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO concerns (case_id, conversation_id, signs, decision, reasoning, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    concern.case_id,
                    concern.conversation_id,
                    concern.signs.value,
                    concern.decision.value,
                    concern.reasoning,
                    stamp,
                ),
            )
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (stamp, concern.case_id))
        return next(c for c in self.concerns(concern.case_id) if c.id == cursor.lastrowid)

    @guarded
    def concerns(self, case_id: int) -> list[Concern]:
        return [
            Concern(
                id=row[0],
                case_id=row[1],
                conversation_id=row[2],
                signs=ConcernSigns(row[3]),
                decision=ConcernDecision(row[4]),
                reasoning=row[5],
                created_at=_dt(row[6]),
            )
            for row in self.query(
                "SELECT id, case_id, conversation_id, signs, decision, reasoning, created_at "
                "FROM concerns WHERE case_id = ? ORDER BY id",
                (case_id,),
            )
        ]

    # ------------------------------------------------------------------ search

    @guarded
    def find_case_ids(self, text: str = "", case_filter: CaseFilter | None = None) -> list[int]:
        """Ids of the cases matching ``text`` (every word the prefix of a word in the notes
        of one conversation, or a case code) and the filter, most recently changed first.
        Cheap enough to run on every keystroke (a few ms at 10,000 cases)."""
        return self._case_search.find(self._connection, text, case_filter or CaseFilter())

    @guarded
    def case_summaries(self, case_ids: Sequence[int]) -> list[CaseSummary]:
        """Summaries of the given cases, in the given order (for lazy list models)."""
        if not case_ids:
            return []
        found: dict[int, CaseSummary] = {}
        for start in range(0, len(case_ids), 500):
            chunk = list(case_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.query(
                "SELECT c.id, c.code, c.status, c.themes, c.age_band, c.latest_wellbeing, "
                "c.updated_at, (SELECT min(due) FROM follow_ups f WHERE f.case_id = c.id "
                f"AND f.done = 0) FROM cases c WHERE c.id IN ({marks})",
                chunk,
            ):
                found[row[0]] = CaseSummary(
                    id=row[0],
                    code=row[1],
                    status=CaseStatus(row[2]),
                    themes=tuple(_load_list(row[3])),
                    age_band=_enum_or_none(AgeBand, row[4]),
                    latest_wellbeing=_enum_or_none(WellbeingLevel, row[5]),
                    updated_at=_dt(row[6]) or now(),
                    next_due=date.fromisoformat(row[7]) if row[7] else None,
                )
        return [found[i] for i in case_ids if i in found]

    def search(self, text: str = "", case_filter: CaseFilter | None = None) -> list[CaseSummary]:
        """Matching cases with their summaries (for the command line and small lists)."""
        return self.case_summaries(self.find_case_ids(text, case_filter))

    # ------------------------------------------------------------------ backups

    @property
    def changed_since_backup(self) -> bool:
        with self._lock:
            self._require_open()
            return bool(self._connection.total_changes > self._changes_at_backup)

    @guarded
    def backup(self, folder: Path | None = None, keep: int = BACKUP_KEEP) -> Path:
        """Write a verified, encrypted copy of the notebook (and its key file) into the
        backup folder, then drop the oldest beyond ``keep``. Returns the new backup's path.

        The copy is written under a temporary name, opened with the key and checked
        (SQLCipher's page authentication, SQLite's integrity check, the schema version)
        and only then renamed into place.
        """
        folder = Path(folder) if folder else self.backup_dir
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        final = folder / f"{self.path.stem}-{stamp}{NOTEBOOK_SUFFIX}"
        tmp = folder / f".{final.name}.partial"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Copies left half-written by a backup that was killed: never listed, only in
            # the way (a whole notebook's size each).
            for stale in folder.glob(f".{self.path.stem}-*{NOTEBOOK_SUFFIX}.partial"):
                _remove_quietly(stale)
            # Made here first, so that a folder refusing it is said as such (SQLite would
            # only say that it cannot open the file).
            with open(tmp, "wb"):
                pass
            # The same page authentication: SQLite's backup copies pages as they are.
            target = _connect(tmp, self._data_key, self._page_hmac, create=True)
            try:
                self._connection.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            verify_backup(tmp, self._data_key, self.notebook_id, self._page_hmac)
            # The key file first: a backup that is listed always has its key file beside it.
            shutil.copyfile(key_file_path(self.path), key_file_path(final))
            os.replace(tmp, final)
            fsync_directory(folder)
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
        self.set_meta("last_backup_at", _ts(now()) or "")
        # After the meta write, which is itself a change but not one the backup lacks.
        self._changes_at_backup = self._connection.total_changes
        for old in list_backups(folder, self.path.stem)[keep:]:
            _remove_quietly(old.path, key_file_path(old.path))
        return final

    def backup_if_due(self, max_age: timedelta = timedelta(days=1)) -> Path | None:
        """Back up if anything changed since the last backup or the last one is older than
        ``max_age`` (called on close and daily)."""
        last = _dt(self.meta("last_backup_at"))
        if self.changed_since_backup or last is None or now() - last > max_age:
            return self.backup()
        return None

    # ------------------------------------------------------------------ retention

    @guarded
    def purge(self, at: datetime | None = None) -> int:
        """Retention: closed cases closed longer than the retention period ago (and not on
        hold) lose their free text and call-back number for good; their structured fields
        stay for statistics. Deleted text is overwritten (secure_delete), the full-text
        index rebuilt and the file vacuumed; older backups, which still hold the text, are
        replaced by one fresh backup. Returns the number of cases purged."""
        at = at or now()
        cutoff = _months_before(at, self.retention_months)
        with self.transaction() as db:
            ids = [
                row[0]
                for row in db.execute(
                    "SELECT id FROM cases WHERE status = 'closed' AND closed_at <= ? "
                    "AND retention_hold = 0 AND purged_at IS NULL",
                    (_ts(cutoff),),
                )
            ]
            for case_id in ids:
                db.execute(
                    "UPDATE conversations SET note_listen = '', note_advise = '', "
                    "note_alliances = '', note_follow_up = '' WHERE case_id = ?",
                    (case_id,),
                )
                db.execute(
                    "UPDATE alliances SET role = '', agreed = '' WHERE case_id = ?", (case_id,)
                )
                db.execute(
                    "UPDATE follow_ups SET counsellor_task = '', parent_task = '', "
                    "others_task = '' WHERE case_id = ?",
                    (case_id,),
                )
                db.execute("UPDATE concerns SET reasoning = '' WHERE case_id = ?", (case_id,))
                # A mentor's comments, the answers and the reflections may quote the notes.
                db.execute(
                    "UPDATE mentor_comments SET text = '', answer = '' WHERE case_id = ?",
                    (case_id,),
                )
                db.execute(
                    "UPDATE reflections SET worked = '', differently = '', learn = '' "
                    "WHERE case_id = ?",
                    (case_id,),
                )
                db.execute("DELETE FROM callbacks WHERE case_id = ?", (case_id,))
                db.execute("UPDATE cases SET purged_at = ? WHERE id = ?", (_ts(at), case_id))
            if ids:
                # Merge the index segments so no old token of the purged text remains.
                db.execute("INSERT INTO note_index (note_index) VALUES ('optimize')")
                # Older backups hold the text until they are replaced below; remembered, so
                # that a purge interrupted before that finishes it the next time it runs.
                db.execute(
                    "INSERT INTO meta (key, value) VALUES (?, '1') "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (_PURGE_PENDING,),
                )
            pending = db.execute(
                "SELECT value FROM meta WHERE key = ?", (_PURGE_PENDING,)
            ).fetchone()
        if pending and pending[0]:
            self.compact()
            folder = self.backup_dir
            fresh = self.backup(folder)
            for old in list_backups(folder, self.path.stem):
                if old.path != fresh:
                    _remove_quietly(old.path, key_file_path(old.path))
            self.set_meta(_PURGE_PENDING, "")
        return len(ids)

    @guarded
    def checkpoint(self) -> None:
        """Copy the WAL into the notebook file without blocking anyone (call when idle)."""
        self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def tidy_index(self, steps: int = 40, pages: int = 250) -> int:
        """Merge the search index's segments, which autosaves leave to idle time (schema 5),
        one bounded step at a time, each under the lock on its own: an autosave or a search
        waits for one step at most (about 10 ms). Returns how many steps found work."""
        done = 0
        while done < steps and self._merge_step(pages):
            done += 1
        return done

    @guarded
    def _merge_step(self, pages: int) -> bool:
        before = self._connection.total_changes
        self._connection.execute(
            "INSERT INTO note_index (note_index, rank) VALUES ('merge', ?)", (pages,)
        )
        # FTS5's documented sign: two or more changes mean the step merged something.
        return bool(self._connection.total_changes - before >= 2)

    @guarded
    def compact(self) -> None:
        """VACUUM and truncate the WAL: freed pages (and deleted text) leave the files."""
        self._connection.execute("VACUUM")
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------------ integrity

    @guarded
    def integrity_check(self) -> bool:
        """SQLCipher's page authentication and SQLite's integrity check both pass."""
        cipher_errors = self.query("PRAGMA cipher_integrity_check")
        result = self.query("PRAGMA integrity_check")
        return not cipher_errors and result == [("ok",)]


# ---------------------------------------------------------------------- module functions


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _discard_backup(tmp: Path, final: Path) -> None:
    """A backup that failed: its partial copy, and its key file unless the copy got its
    name (then it is a good backup, listed, and needs the key file)."""
    _remove_quietly(tmp)
    if not final.exists():
        _remove_quietly(key_file_path(final))


def _months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)


def verify_backup(
    path: Path, data_key: bytes, notebook_id: str, page_hmac: str = NEW_PAGE_HMAC
) -> None:
    """Open a backup with the data key and check it fully; raise :class:`BackupError`.
    ``page_hmac`` is the key file's (the other one is tried too)."""
    try:
        _check_file_header(path)
        connection, _page_hmac = _connect_existing(path, data_key, page_hmac)
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
    from counsellor_app.core.paths import data_dir, default_backup_dir

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


def _offer_newest_backup(
    error: NotebookDamaged | NotANotebook,
    path: Path,
    passphrase: str | None,
    recovery_key: str | None,
) -> NotebookDamaged | NotANotebook | None:
    """``error`` again, its sentence naming the newest good backup (also kept as
    ``error.backup``, for a window to offer it); None where there is no such backup."""
    if passphrase is None and recovery_key is None:
        return None
    chosen = [Path(folder) for folder in AppSettings.load().backup_folders]
    found = newest_good_backup(path, passphrase, recovery_key=recovery_key, folders=chosen)
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


def change_passphrase(path: Path, old: str, new: str) -> None:
    """Set a new passphrase. Crash-safe: only the key file is replaced, atomically, so an
    interruption leaves the notebook opening with either the old or the new passphrase."""
    _require_passphrase(new)
    key_file = KeyFile.read(Path(path))
    data_key = key_file.unwrap(PASSPHRASE_SLOT, old)
    key_file.wrap(PASSPHRASE_SLOT, new, data_key)
    key_file.write(Path(path))


def reset_passphrase(path: Path, recovery_key: str, new: str) -> None:
    """Forgotten passphrase: open with the recovery key and set a new passphrase."""
    _require_passphrase(new)
    key_file = KeyFile.read(Path(path))
    data_key = key_file.unwrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key))
    key_file.wrap(PASSPHRASE_SLOT, new, data_key)
    key_file.write(Path(path))


def _require_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise UserError(_("The passphrase cannot be empty."))


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
    key_source = path if key_file_path(path).exists() else backup
    key_file = KeyFile.read(key_source)
    if recovery_key is not None:
        data_key = key_file.unwrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key))
    else:
        data_key = key_file.unwrap(PASSPHRASE_SLOT, passphrase or "")
    verify_backup(backup, data_key, key_file.notebook_id, key_file.page_hmac)
    lock = Notebook._acquire(path)
    moved_aside: Path | None = None
    tmp = path.with_name(f".{path.name}.restoring")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if path.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            moved_aside = path.with_name(f"{path.name}.before-restore-{stamp}")
            # Copied aside, not moved: until the restored file is renamed over it, the
            # notebook stays whole at its place, so a crash at any moment leaves one there.
            if key_file_path(path).exists():
                shutil.copyfile(key_file_path(path), key_file_path(moved_aside))
            for sidecar in _sidecars(path):
                if sidecar.exists():
                    shutil.copyfile(
                        sidecar,
                        moved_aside.with_name(moved_aside.name + sidecar.name[len(path.name) :]),
                    )
            try:
                os.link(path, moved_aside)
            except OSError:  # a file system without hard links
                shutil.copyfile(path, moved_aside)
            fsync_directory(path.parent)
            # The old notebook's WAL must not be replayed into the restored file.
            for sidecar in _sidecars(path):
                if sidecar.exists():
                    sidecar.unlink()
        os.replace(tmp, path)
        if not key_file_path(path).exists():
            shutil.copyfile(key_file_path(backup), key_file_path(path))
        fsync_directory(path.parent)
    except OSError as error:
        _remove_quietly(tmp)
        raise storage_error(error, path.name) from error
    finally:
        lock.release()
    return moved_aside
