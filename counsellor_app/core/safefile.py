"""Crash-safe file writing and plain sentences for disk errors."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import time
from collections.abc import Iterable
from pathlib import Path

from counsellor_app.core.errors import StorageError
from counsellor_app.core.i18n import _

#: Windows' own code for a file that would grow past what the file system holds
#: (ERROR_FILE_TOO_LARGE); Python gives it no errno of its own.
_WINDOWS_FILE_TOO_LARGE = 223
#: The largest file FAT32 holds (4 GiB less a byte): many USB sticks and memory cards.
FAT32_LARGEST_FILE = 2**32 - 1
#: The most SQLite writes at once (a WAL frame: a page of at most 64 KiB and its header).
#: A file nearer than this to a size limit was refused for its size.
_LARGEST_WRITE = 64 * 1024 + 24


def _too_large(error: OSError) -> bool:
    return error.errno == errno.EFBIG or getattr(error, "winerror", None) == _WINDOWS_FILE_TOO_LARGE


def storage_error(error: OSError, what: str) -> StorageError:
    """Turn an ``OSError`` into a sentence saying what happened to ``what`` and what to do."""
    if error.errno == errno.ENOSPC:
        text = _("The disk is full, so {what} could not be saved. Free some space and try again.")
    elif _too_large(error):
        # Not a drive gone: the file would outgrow what its file system (FAT32: 4 GB) or
        # the system's file size limit allows. Nothing is lost; the text stays in memory.
        text = _(
            "{what} could not be saved because the file would be larger than this disk or "
            "the system allows (a USB stick formatted as FAT32 takes files of at most 4 GB). "
            "Use a drive that takes larger files, or ask whoever looks after this computer "
            "about the limit."
        )
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        text = _(
            "{what} could not be saved because the folder or file is read-only. "
            "Choose a folder you can write to."
        )
    elif error.errno in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO):
        text = _(
            "{what} could not be saved because the drive or folder is no longer there. "
            "Reconnect it and try again."
        )
    else:
        text = _("{what} could not be saved: {reason}")
    return StorageError(text.format(what=what, reason=error.strerror or str(error)))


def file_size_limits() -> list[int]:
    """The largest sizes a file may have here: FAT32's, and the file size limit the system
    set for this program (RLIMIT_FSIZE), if any."""
    limits = [FAT32_LARGEST_FILE]
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return limits
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY:
        limits.append(soft)
    return limits


def at_size_limit(paths: Iterable[Path]) -> bool:
    """Whether one of ``paths`` has grown to within one write of the largest size a file
    may have (see :func:`file_size_limits`): then a write to it was refused for its size
    (EFBIG), not because the drive went away."""
    limits = file_size_limits()
    for path in paths:
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if any(limit - _LARGEST_WRITE < size <= limit for limit in limits):
            return True
    return False


def sqlite_io_error(database: Path, what: str) -> StorageError:
    """The sentence for a write to the SQLite ``database`` refused with nothing but
    "disk I/O error" to go on, as SQLite reports both a drive gone and a file at its size
    limit (EFBIG): the size limit's when the database or its ``-wal`` or ``-journal`` file
    is at one, else the drive-gone one."""
    files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-journal"))]
    code = errno.EFBIG if at_size_limit(files) else errno.EIO
    return storage_error(OSError(code, os.strerror(code)), what)


def fsync_directory(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (a no-op where the OS has no such thing)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Every file the app writes is readable by its user alone, every folder it makes too:
#: another account on the computer must not copy a key file to guess at offline.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
#: What a temporary file of the app is named like (``.<file>.<pid>.tmp``).
_TMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
#: A temporary file whose writer cannot be asked (Windows) is stale after this long.
_STALE_AFTER_SECONDS = 3600


def create_private_file(path: Path, *, replace_stale: bool = False) -> int:
    """Create ``path`` as a new file only its user may read or write (0600) and return a
    descriptor open for writing. It must not exist yet (``O_EXCL``) and a symbolic link
    planted at its name is not followed (``O_NOFOLLOW``), so nothing is written through
    a name another account prepared. ``replace_stale``: ``path`` is one of the app's own
    temporary names, and a file left there by an interrupted run is removed first (the
    name itself: a link is removed, not what it points to)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    except FileExistsError:
        if not replace_stale:
            raise
        os.unlink(path)
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    if hasattr(os, "fchmod"):
        # The mode given to open() is narrowed by the umask, never widened; this sets it.
        os.fchmod(fd, PRIVATE_FILE_MODE)
    return fd


def make_private(path: Path) -> None:
    """Make an existing file (0600) or folder (0700) of the app's readable by its user
    alone, where the OS has such modes."""
    if os.name == "posix":
        os.chmod(path, PRIVATE_FOLDER_MODE if path.is_dir() else PRIVATE_FILE_MODE)


def make_private_files(*paths: Path) -> None:
    """Make the files ``paths`` 0600 where they are more open (a file of an older version
    of the app); a file that is not there, or not the user's to change, is left."""
    if os.name != "posix":
        return
    for path in paths:
        with contextlib.suppress(OSError):
            if stat.S_IMODE(path.stat().st_mode) & ~PRIVATE_FILE_MODE:
                os.chmod(path, PRIVATE_FILE_MODE)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and every missing folder above it, each 0700 (folders that exist
    already are the user's and keep their mode)."""
    missing: list[Path] = []
    current = Path(folder)
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:
            if not level.is_dir():
                raise
            continue
        make_private(level)


def copy_private(source: Path, target: Path, *, temporary: bool = False) -> None:
    """Copy ``source`` to a new file ``target`` readable by its user alone (see
    :func:`create_private_file`; ``temporary`` is its ``replace_stale``)."""
    fd = create_private_file(target, replace_stale=temporary)
    with open(fd, "wb") as out, open(source, "rb") as into:
        shutil.copyfileobj(into, out, 1024 * 1024)


def _writer_gone(match: re.Match[str], path: Path) -> bool:
    pid = int(match.group("pid"))
    if pid == os.getpid():
        return False  # another thread of this program may be writing it now
    if os.name == "posix":
        try:
            os.kill(pid, 0)  # signal 0 only asks whether the process is there
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False
    try:
        return time.time() - path.stat().st_mtime > _STALE_AFTER_SECONDS
    except OSError:
        return False


def sweep_stale_temporaries(folder: Path, names: Iterable[str]) -> list[Path]:
    """Delete the temporary files an interrupted run of the app left in ``folder`` for
    the files ``names`` (``.<name>.<pid>.tmp`` of a program no longer running,
    ``.<name>.partial``, ``.<name>.partial-journal``, ``.<name>.restoring``); return
    those deleted. Call it holding the notebook's lock, which every writer holds."""
    wanted = set(names)
    swept: list[Path] = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return swept
    for entry in entries:
        name = entry.name
        match = _TMP_NAME.match(name)
        stale = False
        if match and match.group("name") in wanted:
            stale = _writer_gone(match, entry)
        else:
            for end in (".partial", ".partial-journal", ".restoring"):
                if name.startswith(".") and name.endswith(end) and name[1 : -len(end)] in wanted:
                    stale = True
        if stale:
            with contextlib.suppress(OSError):
                entry.unlink()  # a link is removed, not followed
                swept.append(entry)
    return swept


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.
    The new file is readable by its user alone (0600), whatever the old one's mode was;
    its temporary file is made as :func:`create_private_file` makes one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = create_private_file(tmp, replace_stale=True)
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error(error, path.name) from error
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
