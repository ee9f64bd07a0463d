"""Crash-safe file writing and plain sentences for disk errors."""

from __future__ import annotations

import contextlib
import errno
import os
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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error(error, path.name) from error
