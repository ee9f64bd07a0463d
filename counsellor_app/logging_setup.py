"""The local log file: bugs and warnings only, never note contents."""

from __future__ import annotations

import logging
import logging.handlers

from counsellor_app.core.paths import log_dir


def setup_logging() -> None:
    """Log warnings and errors to a rotating file in the user's log folder."""
    root = logging.getLogger("counsellor_app")
    if root.handlers:
        return
    root.setLevel(logging.WARNING)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "counsellor-app.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # an unwritable log folder must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
