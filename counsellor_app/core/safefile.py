"""Crash-safe file writing and plain sentences for disk errors."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from counsellor_app.core.errors import StorageError
from counsellor_app.core.i18n import _


def storage_error(error: OSError, what: str) -> StorageError:
    """Turn an ``OSError`` into a sentence saying what happened to ``what`` and what to do."""
    if error.errno == errno.ENOSPC:
        text = _("The disk is full, so {what} could not be saved. Free some space and try again.")
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
