"""The notebook: one SQLCipher-encrypted file, its key file, its backups.

A :class:`Notebook` owns one connection, guarded by a lock so that the GUI may run writes
on a worker thread (every public method is safe to call from any one thread at a time).
Every edit is its own small transaction in WAL mode with ``synchronous=FULL``: once a
method returns, the edit survives a crash or a power cut.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlcipher3
from filelock import FileLock

from counsellor_app.core.backups import (
    BACKUP_KEEP,
    BackupInfo,
    backups_of_older_keys,
    list_backups,
    offer_newest_backup,
    reencrypt_backup,
    remove_backups,
    write_backup,
)
from counsellor_app.core.connection import (
    NOTEBOOK_SUFFIX,
    SQLITE_HEADER,
    Database,
    acquire_file_lock,
    check_file_header,
    classify_sqlite_error,
    configure,
    connect,
    connect_existing,
    migrate,
    note_held,
    refuse_if_open_here,
    remove_quietly,
    require_writable,
    sidecars,
    verify_notebook,
)
from counsellor_app.core.domain import (
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
    Correction,
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
    overall_level,
)
from counsellor_app.core.errors import (
    EncryptionNotInEffect,
    NotANotebook,
    NotebookDamaged,
    NotebookExists,
    UserError,
    WrongPassphrase,
)
from counsellor_app.core.hardening import forget, wipe
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KdfParams,
    KeyFile,
    calibrated_kdf,
    key_file_path,
    new_key_file,
    new_recovery_key,
    normalise_recovery_key,
    require_passphrase,
)
from counsellor_app.core.rekey import change_secrets_held, settle_key_change
from counsellor_app.core.safefile import (
    create_private_file,
    make_private_files,
    make_private_folder,
    storage_error,
    sweep_stale_temporaries,
)
from counsellor_app.core.search import CaseFilter, CaseMatches, CaseSearch, CaseSummary

DEFAULT_RETENTION_MONTHS = 12
DEFAULT_AUTO_LOCK_MINUTES = 5
#: Meta key set while older backups may still hold text that a purge removed.
_PURGE_PENDING = "purge_backups_pending"
#: Meta key: every folder this notebook has written backups into (a JSON list).
_BACKUP_FOLDERS = "backup_folders_used"
#: Meta key: folders a purge could not reach, whose backups may still hold purged text.
_PURGE_UNREACHED = "purge_backups_unreached"

NOTE_COLUMNS: dict[Step, str] = {
    Step.LISTEN: "note_listen",
    Step.ADVISE: "note_advise",
    Step.ALLIANCES: "note_alliances",
    Step.FOLLOW_UP: "note_follow_up",
}

P = ParamSpec("P")
T = TypeVar("T")


def system_clock() -> datetime:
    """The computer's clock, timezone-aware (UTC)."""
    return datetime.now(UTC)


#: What :func:`now` reads. The app keeps the computer's clock; a test sets a clock of its
#: own, so that a second can pass between two changes without waiting for it.
clock: Callable[[], datetime] = system_clock


def now() -> datetime:
    """The current time, timezone-aware (UTC), to the second."""
    return clock().replace(microsecond=0)


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


def guarded(method: Callable[P, T]) -> Callable[P, T]:
    """Run a store method under the connection lock; turn database errors into sentences."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        notebook = args[0]
        assert isinstance(notebook, Notebook)
        with notebook._db.lock:
            notebook._db.require_open()
            try:
                return method(*args, **kwargs)
            except sqlcipher3.DatabaseError as error:
                raise classify_sqlite_error(error, notebook.path.name, notebook.path) from error
            except OSError as error:
                raise storage_error(error, notebook.path.name) from error

    return wrapper


class Notebook:
    """An open, unlocked notebook. Use :meth:`create` or :meth:`open`, then :meth:`close`."""

    def __init__(
        self, path: Path, connection: Any, lock: FileLock, data_key: bytes, page_hmac: str
    ) -> None:
        self.path = path
        self._db = Database(connection, lock)
        note_held(path, lock)
        # Held (for backups and changes of secrets) in a buffer of its own, overwritten
        # when the notebook closes.
        self._data_key = bytearray(data_key)
        self._page_hmac = page_hmac
        self._changes_at_backup = 0
        self._case_search = CaseSearch()
        self.notebook_id = self.meta("notebook_id") or ""
        from counsellor_app.core.directory import allow_directory_contacts  # imports us

        allow_directory_contacts(self)

    # ------------------------------------------------------------------ life cycle

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        role: Role = Role.COUNSELLOR,
        *,
        kdf: KdfParams | None = None,
    ) -> tuple[Notebook, str]:
        """Make a new notebook at ``path``; return it and its recovery key (show it once).
        ``kdf``: the key file's Argon2 costs (default: calibrated to this computer)."""
        path = Path(path)
        if path.exists() or key_file_path(path).exists():
            raise NotebookExists(
                _("There is already a file at {path}; choose another name.").format(path=path)
            )
        require_passphrase(passphrase)
        try:
            make_private_folder(path.parent)
        except OSError as error:
            raise storage_error(error, path.name) from error
        notebook_id = str(uuid.uuid4())
        recovery_key = new_recovery_key()
        key_file, data_key = new_key_file(
            notebook_id, passphrase, recovery_key, kdf or calibrated_kdf()
        )
        lock = acquire_file_lock(path)
        try:
            # Made private before SQLite sees it: SQLite keeps the mode of a file that
            # exists and gives its WAL and shared-memory files the same.
            try:
                os.close(create_private_file(path))
            except OSError as error:
                raise storage_error(error, path.name) from error
            connection = connect(path, data_key, key_file.page_hmac, create=True)
            try:
                configure(connection)
                migrate(connection, path)
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
            finally:
                connection.close()
            key_file.write(path)
            with open(path, "rb") as handle:
                if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                    raise EncryptionNotInEffect(
                        _("The notebook was not encrypted; it was removed.")
                    )
            # Opened afresh: only a connection that reads the file in WAL mode keeps
            # SQLite's lock on it (the one that made it did not).
            connection, _page_hmac = connect_existing(
                path, data_key, key_file.page_hmac, exclusive=True
            )
            configure(connection)
        except BaseException:
            lock.release()
            for leftover in (path, key_file_path(path), *sidecars(path)):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            raise
        made = cls(path, connection, lock, data_key, key_file.page_hmac)
        forget(data_key)  # the notebook holds its own copy, overwritten at close
        return made, recovery_key

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase: str | None = None,
        *,
        recovery_key: str | None = None,
        backup_folders: Sequence[Path | str] = (),
    ) -> Notebook:
        """Unlock the notebook at ``path`` with its passphrase or its recovery key.

        A wrong secret raises :class:`WrongPassphrase` before the notebook file is even
        opened, so the file stays byte for byte the same. A damaged notebook's error names
        its newest good backup, looked for in ``backup_folders`` (the folders chosen on this
        computer, which the damaged notebook itself can no longer say) and the default one.
        """
        path = Path(path)
        refuse_if_open_here(path)  # before anything reads it (see there)
        if path.suffix != NOTEBOOK_SUFFIX and path.is_file() and not key_file_path(path).exists():
            # Some other file (a text, a PDF): not a damaged notebook, no backup to offer.
            raise NotANotebook(
                _(
                    "{name} is not a notebook. A notebook is a {suffix} file with its key "
                    "file ({suffix}.key) beside it. Nothing was changed."
                ).format(name=path.name, suffix=NOTEBOOK_SUFFIX)
            )
        try:
            settle_key_change(path)  # a change of secrets interrupted: finish or undo it
            check_file_header(path)
            key_file = KeyFile.read(path)
            if recovery_key is not None:
                data_key = key_file.unwrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key))
            else:
                data_key = key_file.unwrap(PASSPHRASE_SLOT, passphrase or "")
            try:
                return cls.open_with_key(path, data_key, key_file)
            finally:
                forget(data_key)  # the notebook holds its own copy, overwritten at close
        except (NotebookDamaged, NotANotebook) as error:
            folders = [Path(folder) for folder in backup_folders]
            offered = offer_newest_backup(error, path, passphrase, recovery_key, folders)
            if offered is None:
                raise
            raise offered from error

    @classmethod
    def open_with_key(cls, path: Path, data_key: bytes, key_file: KeyFile) -> Notebook:
        """Open the notebook at ``path`` with its data key, already unwrapped from
        ``key_file`` (for measurements that leave the key derivation out)."""
        lock = acquire_file_lock(path)
        try:
            # What a killed run of the app left half-written beside it (under the lock,
            # which every writer of these files holds).
            sweep_stale_temporaries(path.parent, (path.name, key_file_path(path).name))
            # A notebook made by an older version (0644) becomes private too, before
            # SQLite opens it: its WAL takes the notebook's mode.
            make_private_files(path, key_file_path(path))
            connection, page_hmac = connect_existing(
                path, data_key, key_file.page_hmac, exclusive=True
            )
            try:
                verify_notebook(connection, path, key_file.notebook_id)
                configure(connection)
                migrate(connection, path)
                require_writable(connection, path)
            except BaseException:
                connection.close()
                raise
        except BaseException:
            lock.release()
            raise
        return cls(path, connection, lock, data_key, page_hmac)

    def close(self) -> None:
        """Checkpoint the WAL into the notebook and release it. Safe to call twice."""
        with self._db.lock:
            wipe(self._data_key)
            self._data_key = bytearray()
            self._db.close()
            # The last search's text and the found ids go with the notebook's memory.
            self._case_search = CaseSearch()

    def replace_recovery_key(self, passphrase: str) -> str:
        """A new recovery key for this open notebook (its passphrase asked again), shown
        once: the notebook is re-encrypted under a new data key, so the old recovery key
        and every old copy of the key file stop opening it (see
        :mod:`~counsellor_app.core.rekey`). It stays open, on the new file."""
        made = self._change_secrets(PASSPHRASE_SLOT, passphrase, passphrase, fresh_recovery=True)
        assert made is not None
        return made

    def change_passphrase(self, old: str, new: str) -> str | None:
        """:func:`~counsellor_app.core.rekey.change_passphrase` for this open notebook,
        which stays open on the re-encrypted file."""
        require_passphrase(new)
        return self._change_secrets(PASSPHRASE_SLOT, old, new, fresh_recovery=False)

    def _change_secrets(
        self, slot: str, secret: str, passphrase: str, *, fresh_recovery: bool
    ) -> str | None:
        with self._db.lock:
            self._db.require_open()
            # The change reads the file itself: everything in it, and no connection to the
            # file it replaces. The file lock stays held throughout.
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._connection.close()
            self._db.connection = None
            data_key: bytes | bytearray = self._data_key
            try:
                recovery, data_key = change_secrets_held(
                    self.path, slot, secret, passphrase, fresh_recovery=fresh_recovery
                )
            except UserError:
                # Rolled back, or forward if the file was already renamed: the key file
                # says which key is in force now, and the old or the new secret opens it.
                for tried_slot, tried in ((slot, secret), (PASSPHRASE_SLOT, passphrase)):
                    with contextlib.suppress(UserError):
                        data_key = KeyFile.read(self.path).unwrap(tried_slot, tried)
                        break
                raise
            finally:
                connection, self._page_hmac = connect_existing(
                    self.path, data_key, self._page_hmac, exclusive=True
                )
                configure(connection)
                self._db.connection = connection
                note_held(self.path, self._db.file_lock)
                if data_key is not self._data_key:  # a new key: the old one is overwritten
                    wipe(self._data_key)
                    self._data_key = bytearray(data_key)
                    forget(data_key)
                self._case_search = CaseSearch()  # its index was on the old connection
                self._changes_at_backup = -1  # the next backup is of the new key
            return recovery

    @property
    def is_open(self) -> bool:
        """Whether the notebook is open (not closed by :meth:`close` or a lock)."""
        return self._db.is_open

    @property
    def _connection(self) -> Any:
        return self._db.connection

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def transaction(self) -> AbstractContextManager[Any]:
        """One transaction (nested calls join the outer one); rolls back on any error.
        ``with notebook.transaction() as db:`` gives the connection."""
        return self._db.transaction()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows of one SQL statement on the notebook's connection (for the core modules
        that keep their own tables; call under :func:`guarded`)."""
        return list(self._connection.execute(sql, params).fetchall())

    def meta(self, key: str) -> str | None:
        """The value stored under ``key`` in the notebook's meta table, or None."""
        with self._db.lock:
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
        """Choose the backup folder (None: the default one). The caller also keeps it in
        this computer's settings, where it is found when the notebook is damaged."""
        self.set_meta("backup_dir", str(folder) if folder else "")

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
        """How many cases the notebook holds (kept in meta by triggers: no index read)."""
        return int(self.query("SELECT value FROM meta WHERE key = 'case_count'")[0][0])

    @guarded
    def status_changes(self, case_id: int) -> list[StatusChange]:
        return [
            StatusChange(case_id, _dt(at) or now(), _enum_or_none(CaseStatus, old), CaseStatus(new))
            for at, old, new in self.query(
                "SELECT at, old, new FROM status_changes WHERE case_id = ? ORDER BY id",
                (case_id,),
            )
        ]

    # ------------------------------------------------------------------ corrections

    @guarded
    def begin_correction(self, conversation_id: int) -> int:
        """An ended contact is opened to be corrected: recorded at once (a crash while
        correcting still leaves a trace in the case's history); returns its id for
        :meth:`finish_correction`. The notes are saved with :meth:`save_note` as typed."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO corrections (case_id, conversation_id, at) "
                "SELECT case_id, id, ? FROM conversations WHERE id = ?",
                (_ts(now()), conversation_id),
            )
            if cursor.rowcount != 1:
                raise KeyError(conversation_id)
            return int(cursor.lastrowid or 0)

    @guarded
    def finish_correction(self, correction_id: int, steps: Sequence[Step]) -> None:
        """The correction ``correction_id`` is done and changed ``steps``; one that changed
        nothing leaves no trace."""
        with self.transaction() as db:
            if steps:
                db.execute(
                    "UPDATE corrections SET steps = ?, at = ? WHERE id = ?",
                    (",".join(step.value for step in steps), _ts(now()), correction_id),
                )
            else:
                db.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))

    @guarded
    def corrections(self, case_id: int) -> list[Correction]:
        """The corrections of the case's ended contacts, oldest first."""
        return [
            Correction(
                case_id,
                conversation_id,
                _dt(at) or now(),
                tuple(Step(value) for value in steps.split(",") if value),
            )
            for conversation_id, at, steps in self.query(
                "SELECT conversation_id, at, steps FROM corrections WHERE case_id = ? ORDER BY id",
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
    def discard_conversation(self, conversation_id: int) -> bool:
        """Delete a conversation in which nothing was written (an empty call of a few
        seconds, a wrong number), and its case too when the call made it and nothing else
        was recorded on it. False (and nothing deleted) when the conversation has notes,
        or a follow-up or a concern was recorded in it."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT case_id, note_listen, note_advise, note_alliances, note_follow_up "
                "FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
            if row is None or any(str(note).strip() for note in row[1:]):
                return False
            case_id = int(row[0])
            for table in ("follow_ups", "concerns"):
                if db.execute(
                    f"SELECT 1 FROM {table} WHERE conversation_id = ?", (conversation_id,)
                ).fetchone():
                    return False
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            if db.execute("SELECT value FROM meta WHERE key = 'live_call'").fetchone() == (
                str(conversation_id),
            ):
                db.execute("DELETE FROM meta WHERE key = 'live_call'")
            untouched = db.execute(
                "SELECT 1 FROM cases WHERE id = ? AND caller_role IS NULL AND help_system IS "
                "NULL AND age_band IS NULL AND gender IS NULL AND known_by = '[]' AND arenas "
                "= '[]' AND themes = '[]' AND protective_factors = '[]' AND risk_factors = "
                "'[]'",
                (case_id,),
            ).fetchone()
            others = any(
                db.execute(
                    f"SELECT 1 FROM {table} WHERE case_id = ? LIMIT 1", (case_id,)
                ).fetchone()
                for table in ("conversations", "alliances", "follow_ups", "concerns", "callbacks")
            )
            if untouched and not others:
                db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
        return True

    @guarded
    def set_live_call(self, conversation_id: int | None, seconds: int = 0) -> None:
        """Keep the call in progress and its length so far (``None``: no call is live).

        The GUI saves it with the autosave and at a lock, so a lock or a crash never
        ends a call: the conversation is reopened where it was, its length kept.
        """
        with self.transaction() as db:
            if conversation_id is None:
                db.execute("DELETE FROM meta WHERE key = 'live_call'")
                return
            db.execute(
                "UPDATE conversations SET duration_seconds = ? WHERE id = ?",
                (max(0, int(seconds)), conversation_id),
            )
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('live_call', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(conversation_id),),
            )

    @guarded
    def live_call(self) -> int | None:
        """The conversation whose call was in progress when the notebook was last locked
        or the app stopped, or None; its length so far is its ``duration_seconds``."""
        value = self.meta("live_call")
        if not value:
            return None
        found = self.query("SELECT id FROM conversations WHERE id = ?", (int(value),))
        return int(found[0][0]) if found else None

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
                latest = overall_level(parsed)
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
        "created_at, conversation_id, due_time"
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
            due_time=time.fromisoformat(row[10]) if row[10] else None,
        )

    @guarded
    def save_follow_up(self, follow_up: FollowUp) -> FollowUp:
        """Add (no id) or update a follow-up (the conversation it came from is set when it
        is added, and kept). An open follow-up puts an open case on
        "awaiting follow-up"."""
        stamp = _ts(now())
        values = (
            follow_up.due.isoformat(),
            follow_up.due_time.strftime("%H:%M") if follow_up.due_time else None,
            follow_up.counsellor_task,
            follow_up.parent_task,
            follow_up.others_task,
            int(follow_up.done),
        )
        with self.transaction() as db:
            if follow_up.id is None:
                cursor = db.execute(
                    "INSERT INTO follow_ups (due, due_time, counsellor_task, parent_task, "
                    "others_task, done, case_id, created_at, conversation_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, follow_up.case_id, stamp, follow_up.conversation_id),
                )
                follow_up_id = int(cursor.lastrowid)
            else:
                follow_up_id = follow_up.id
                db.execute(
                    "UPDATE follow_ups SET due = ?, due_time = ?, counsellor_task = ?, "
                    "parent_task = ?, "
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
                "ORDER BY due, due_time, id",
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
            "WHERE f.done = 0 AND f.due <= ? ORDER BY f.due, f.due_time, f.id",
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
    def serious_risk(self, case_id: int) -> bool:
        """Was a concern with signs of serious risk recorded on the case?"""
        return bool(
            self.query(
                "SELECT 1 FROM concerns WHERE case_id = ? AND signs = ? LIMIT 1",
                (case_id, ConcernSigns.YES.value),
            )
        )

    @guarded
    def save_draft(self, kind: str, case_id: int, fields: dict[str, str]) -> None:
        """Keep what is typed into a record not yet saved (a concern during a call), so a
        lock or a crash does not lose it; :meth:`delete_draft` when saved or cancelled."""
        self.set_meta(f"draft:{kind}:{case_id}", json.dumps(fields))

    def draft(self, kind: str, case_id: int) -> dict[str, str] | None:
        """The draft kept by :meth:`save_draft`, or None."""
        value = self.meta(f"draft:{kind}:{case_id}")
        if not value:
            return None
        loaded = json.loads(value)
        return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else None

    @guarded
    def draft_kinds(self, case_id: int) -> list[str]:
        """The kinds of the drafts kept for case ``case_id`` (see :meth:`save_draft`)."""
        suffix = f":{case_id}"
        return [
            str(key)[len("draft:") : -len(suffix)]
            for (key,) in self.query(
                "SELECT key FROM meta WHERE key LIKE ? ORDER BY key", (f"draft:%{suffix}",)
            )
            if str(key).endswith(suffix)
        ]

    @guarded
    def delete_draft(self, kind: str, case_id: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM meta WHERE key = ?", (f"draft:{kind}:{case_id}",))

    @property
    def supervisor_phone(self) -> str:
        """The supervisor's on-call number, shown with the concern guidance ("" if none)."""
        return self.meta("supervisor_phone") or ""

    def set_supervisor_phone(self, phone: str) -> None:
        self.set_meta("supervisor_phone", phone.strip())

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
    def search_cases(
        self, text: str = "", case_filter: CaseFilter | None = None, first: int = 200
    ) -> CaseMatches:
        """The cases :meth:`find_case_ids` finds, in its order, but only the first ``first``
        of them at once (or all, when fewer): a keystroke in the search field costs about
        the same at 100,000 cases as at 1,000. :meth:`more_cases` finds the rest."""
        return self._case_search.start(self._connection, text, case_filter or CaseFilter(), first)

    @guarded
    def more_cases(self, matches: CaseMatches) -> None:
        """Find every match of ``matches`` (``matches.ids`` then holds them all)."""
        self._case_search.more(self._connection, matches)

    @guarded
    def count_cases(self, matches: CaseMatches) -> int:
        """How many cases ``matches`` holds in all (the rest found when needed; every case
        from the notebook's kept count when nothing is searched or filtered)."""
        return self._case_search.count(self._connection, matches)

    @guarded
    def prepare_search(self, case_filter: CaseFilter | None = None) -> None:
        """Make :meth:`search_cases` quick from its first keystroke (an index of the notes
        of the top of the case list, in memory; a tenth of a second at 100,000 cases)."""
        self._case_search.prepare(self._connection, case_filter or CaseFilter())

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
                "AND f.done = 0), EXISTS (SELECT 1 FROM concerns k WHERE k.case_id = c.id "
                f"AND k.signs = 'yes') FROM cases c WHERE c.id IN ({marks})",
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
                    serious_risk=bool(row[8]),
                )
        return [found[i] for i in case_ids if i in found]

    def search(self, text: str = "", case_filter: CaseFilter | None = None) -> list[CaseSummary]:
        """Matching cases with their summaries (for the command line and small lists)."""
        return self.case_summaries(self.find_case_ids(text, case_filter))

    # ------------------------------------------------------------------ backups

    @property
    def changed_since_backup(self) -> bool:
        with self._db.lock:
            self._db.require_open()
            return bool(self._connection.total_changes > self._changes_at_backup)

    @guarded
    def backup(self, folder: Path | None = None, keep: int = BACKUP_KEEP) -> Path:
        """Write a verified, encrypted copy of the notebook (and its key file) into the
        backup folder, then drop the oldest beyond ``keep``. Returns the new backup's path.

        The copy is checked before it gets its name (see
        :func:`~counsellor_app.core.backups.write_backup`).
        """
        folder = Path(folder) if folder else self.backup_dir
        final = write_backup(
            self._connection, self.path, self._data_key, self._page_hmac, self.notebook_id, folder
        )
        self.set_meta("last_backup_at", _ts(now()) or "")
        used = self._folders_meta(_BACKUP_FOLDERS)
        if str(folder) not in used:
            self.set_meta(_BACKUP_FOLDERS, json.dumps([*used, str(folder)]))
        # After the meta write, which is itself a change but not one the backup lacks.
        self._changes_at_backup = self._connection.total_changes
        remove_backups(folder, self.path.stem, keep)
        return final

    def _folders_meta(self, key: str) -> list[str]:
        return _load_list(self.meta(key) or "[]")

    @property
    def backup_folders(self) -> list[Path]:
        """Every folder this notebook keeps or has kept backups in: the current one first,
        then the others it wrote to before (kept in the notebook, not in the settings)."""
        folders = [self.backup_dir]
        for text in self._folders_meta(_BACKUP_FOLDERS):
            if Path(text) not in folders:
                folders.append(Path(text))
        return folders

    @property
    def unreached_backup_folders(self) -> list[Path]:
        """Backup folders a purge could not reach (a drive not plugged in, a folder gone or
        refused): their backups may still hold text the purge removed. The next purge
        tries them again."""
        return [Path(text) for text in self._folders_meta(_PURGE_UNREACHED)]

    def older_backups(self) -> list[BackupInfo]:
        """Backups made before the last change of secrets (their key file is not this
        notebook's): they still open with the passphrase and recovery key of their time."""
        return backups_of_older_keys(self.path, self.backup_folders)

    def reencrypt_backups(
        self, backups: Sequence[BackupInfo | Path], slot: str, secret: str
    ) -> list[Path]:
        """Re-encrypt ``backups`` under this notebook's current key, each unlocked with
        ``secret`` (the passphrase or, with ``slot`` RECOVERY_SLOT, the recovery key of its
        time); return those the secret did not open, which are left as they were."""
        with self._db.lock:
            self._db.require_open()
            data_key = self._data_key
        if slot == RECOVERY_SLOT:
            secret = normalise_recovery_key(secret)
        refused = []
        for item in backups:
            backup = item.path if isinstance(item, BackupInfo) else Path(item)
            try:
                reencrypt_backup(backup, slot, secret, self.path, data_key)
            except WrongPassphrase:
                refused.append(backup)
        return refused

    def delete_backups(self, backups: Sequence[BackupInfo | Path]) -> None:
        """Delete ``backups`` (each with its key file), e.g. those made before a change of
        secrets that should no longer open with the old ones."""
        for item in backups:
            backup = item.path if isinstance(item, BackupInfo) else Path(item)
            remove_quietly(backup, key_file_path(backup))

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
                db.execute("UPDATE rubric_ratings SET note = '' WHERE case_id = ?", (case_id,))
                db.execute("DELETE FROM callbacks WHERE case_id = ?", (case_id,))
                db.execute("DELETE FROM meta WHERE key LIKE ?", (f"draft:%:{case_id}",))
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
            remove_backups(folder, self.path.stem, but=fresh)
            # Every other folder this notebook wrote backups into, and those missed before.
            unreached = {Path(text) for text in self._folders_meta(_PURGE_UNREACHED)}
            unreached |= set(self.backup_folders[1:])
            self.set_meta(_PURGE_UNREACHED, json.dumps(sorted(map(str, unreached))))
            self.set_meta(_PURGE_PENDING, "")
        self._purge_other_folders()
        return len(ids)

    def _purge_other_folders(self) -> None:
        """Delete the backups in the folders a purge has yet to reach; those still out of
        reach stay listed (:attr:`unreached_backup_folders`)."""
        still = []
        for folder in self.unreached_backup_folders:
            if folder == self.backup_dir:
                continue  # replaced by the fresh backup above
            try:
                if not folder.is_dir():
                    raise FileNotFoundError(folder)
                for old in list_backups(folder, self.path.stem):
                    old.path.unlink()
                    remove_quietly(key_file_path(old.path))
            except OSError:
                still.append(str(folder))
        if still != self._folders_meta(_PURGE_UNREACHED):
            self.set_meta(_PURGE_UNREACHED, json.dumps(still))

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


def _months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)
