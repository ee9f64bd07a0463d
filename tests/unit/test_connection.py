"""SQLite's errors, each made for real on an encrypted database, classified by its result
code into the sentence the user sees."""

from __future__ import annotations

import errno
import os
import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from counsellor_app.core.connection import classify_sqlite_error, connect, sqlite_code
from counsellor_app.core.errors import NotebookDamaged, NotebookInUse, StorageError
from counsellor_app.core.keys import NEW_PAGE_HMAC
from counsellor_app.core.safefile import storage_error

KEY = bytes(range(32))
WHAT = "n.cnb"


def sentence(code: int) -> str:
    return str(storage_error(OSError(code, os.strerror(code)), WHAT))


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    path = tmp_path / "n.cnb"
    connection = connect(path, KEY, NEW_PAGE_HMAC, create=True)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE t (x)")
    yield path, connection
    connection.close()


def raised(action: Any) -> sqlcipher3.Error:
    with pytest.raises(sqlcipher3.Error) as info:
        action()
    return info.value


def test_a_full_database_is_a_full_disk(database: tuple[Path, Any]) -> None:
    path, connection = database
    connection.execute("PRAGMA max_page_count = 3")  # SQLite's own SQLITE_FULL
    error = raised(lambda: connection.execute("INSERT INTO t VALUES (randomblob(100000))"))
    assert sqlite_code(error) == sqlcipher3.SQLITE_FULL
    classified = classify_sqlite_error(error, WHAT, path)
    assert isinstance(classified, StorageError)
    assert str(classified) == sentence(errno.ENOSPC)


def test_a_read_only_database_is_a_read_only_file(database: tuple[Path, Any]) -> None:
    path, _connection = database
    reader = sqlcipher3.connect(path.as_uri() + "?mode=ro", uri=True, isolation_level=None)
    try:
        reader.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
        reader.execute(f"PRAGMA cipher_hmac_algorithm = {NEW_PAGE_HMAC}")
        error = raised(lambda: reader.execute("INSERT INTO t VALUES (1)"))
    finally:
        reader.close()
    assert sqlite_code(error) == sqlcipher3.SQLITE_READONLY
    assert str(classify_sqlite_error(error, WHAT, path)) == sentence(errno.EROFS)


def test_a_database_busy_elsewhere_is_in_use(database: tuple[Path, Any]) -> None:
    path, connection = database
    other = connect(path, KEY, NEW_PAGE_HMAC)
    try:
        other.execute("PRAGMA busy_timeout = 0")
        connection.execute("BEGIN IMMEDIATE")
        error = raised(lambda: other.execute("BEGIN IMMEDIATE"))
        connection.execute("ROLLBACK")
    finally:
        other.close()
    assert sqlite_code(error) == sqlcipher3.SQLITE_BUSY
    assert isinstance(classify_sqlite_error(error, WHAT, path), NotebookInUse)


def test_a_folder_that_is_gone_is_a_drive_gone(tmp_path: Path) -> None:
    gone = tmp_path / "usb-stick" / "n.cnb"
    error = raised(lambda: sqlcipher3.connect(gone.as_uri() + "?mode=rw", uri=True))
    assert sqlite_code(error) == sqlcipher3.SQLITE_CANTOPEN
    assert str(classify_sqlite_error(error, WHAT)) == sentence(errno.EIO)


def test_a_file_at_the_size_limit_says_so(database: tuple[Path, Any]) -> None:
    """SQLite says only "disk I/O error" (SQLITE_IOERR) for the kernel's EFBIG; the files'
    sizes tell it from a drive gone."""
    path, connection = database
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
    try:
        error = raised(lambda: connection.execute("INSERT INTO t VALUES (randomblob(200000))"))
        at_limit = classify_sqlite_error(error, WHAT, path)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert sqlite_code(error) == sqlcipher3.SQLITE_IOERR
    assert str(at_limit) == sentence(errno.EFBIG)
    # Without the database's path, the same code is the drive-gone sentence.
    assert str(classify_sqlite_error(error, WHAT)) == sentence(errno.EIO)


def test_a_wrong_key_and_a_damaged_page_are_damage(database: tuple[Path, Any]) -> None:
    path, connection = database
    for _ in range(20):
        connection.execute("INSERT INTO t VALUES (randomblob(3000))")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wrong = connect(path, bytes(32), NEW_PAGE_HMAC)
    try:
        not_a_database = raised(lambda: wrong.execute("PRAGMA user_version").fetchone())
    finally:
        wrong.close()
    assert sqlite_code(not_a_database) == sqlcipher3.SQLITE_NOTADB
    assert isinstance(classify_sqlite_error(not_a_database, WHAT, path), NotebookDamaged)

    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 100] = bytes(100)
    path.write_bytes(bytes(data))
    reader = connect(path, KEY, NEW_PAGE_HMAC)
    try:
        corrupt = raised(lambda: reader.execute("SELECT count(*) FROM t").fetchall())
    finally:
        reader.close()
    assert sqlite_code(corrupt) in (sqlcipher3.SQLITE_CORRUPT, sqlcipher3.SQLITE_NOTADB)
    assert isinstance(classify_sqlite_error(corrupt, WHAT, path), NotebookDamaged)


def test_the_words_of_the_message_do_not_decide(database: tuple[Path, Any]) -> None:
    """A syntax error whose text names "full", "locked" and "readonly" is none of them."""
    path, connection = database
    error = raised(lambda: connection.execute("SELECT full, locked, readonly FROM t"))
    assert "full" in str(error) and sqlite_code(error) == sqlcipher3.SQLITE_ERROR
    assert isinstance(classify_sqlite_error(error, WHAT, path), NotebookDamaged)


def test_an_error_of_the_driver_has_no_code(database: tuple[Path, Any]) -> None:
    path, _connection = database
    closed = connect(path, KEY, NEW_PAGE_HMAC)
    closed.close()
    error = raised(lambda: closed.execute("SELECT 1"))
    assert sqlite_code(error) is None
    assert isinstance(classify_sqlite_error(error, WHAT), NotebookDamaged)


# ---------------------------------------------------------------------- one program per file


def test_a_second_name_for_an_open_notebook_is_in_use(tmp_path: Path) -> None:
    """A hard link or a symlink to an open notebook (and to its key file) is another path
    to the same file: it is refused as in use, in this program and in another, and opens
    once the notebook is closed."""
    import os
    import subprocess
    import sys

    from counsellor_app.core.store import Notebook
    from tests.helpers import FAST_KDF, PASSPHRASE

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path = tmp_path / "a" / "n.cnb"
    notebook, _recovery = Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)
    linked, symlinked = tmp_path / "b" / "n.cnb", tmp_path / "b" / "s.cnb"
    for other in (linked, symlinked):
        make = os.link if other is linked else os.symlink
        make(path, other)
        make(str(path) + ".key", str(other) + ".key")
    with notebook:
        for other in (linked, symlinked):
            with pytest.raises(NotebookInUse):
                Notebook.open(other, PASSPHRASE)
        script = (
            "import sys\n"
            "from counsellor_app.core.errors import NotebookInUse\n"
            "from counsellor_app.core.store import Notebook\n"
            "try:\n"
            "    Notebook.open(sys.argv[1], sys.argv[2])\n"
            "except NotebookInUse:\n"
            "    sys.exit(3)\n"
        )
        elsewhere = subprocess.run(
            [sys.executable, "-c", script, str(linked), PASSPHRASE], timeout=60
        )
        assert elsewhere.returncode == 3
    with Notebook.open(linked, PASSPHRASE):
        pass
