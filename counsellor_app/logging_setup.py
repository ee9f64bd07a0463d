"""The local log file: bugs and warnings only, never note contents."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os

from counsellor_app.core.paths import log_dir
from counsellor_app.core.safefile import PRIVATE_FILE_MODE, make_private_folder


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (also those begun at a rotation) is 0600."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.baseFilename, flags, PRIVATE_FILE_MODE)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, PRIVATE_FILE_MODE)  # also a log written by an older version
        stream = open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        assert isinstance(stream, io.TextIOWrapper)  # a text mode ("a")
        return stream


def setup_logging() -> None:
    """Log warnings and errors to a rotating file in the user's log folder."""
    root = logging.getLogger("counsellor_app")
    if root.handlers:
        return
    root.setLevel(logging.WARNING)
    try:
        folder = log_dir()
        make_private_folder(folder)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            folder / "counsellor-app.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # an unwritable log folder must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
