"""Where notebooks, backups, settings and the log live on each OS (via platformdirs).

``COUNSELLOR_APP_HOME`` moves all of them under one folder (used by tests and by people
who keep their notebook on an encrypted drive).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "CounsellorsNotebook"
_dirs = PlatformDirs(APP_NAME, appauthor=False, roaming=False)


def _home() -> Path | None:
    value = os.environ.get("COUNSELLOR_APP_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    """Notebooks live here by default (e.g. ~/.local/share/CounsellorsNotebook on Linux,
    %LOCALAPPDATA%\\CounsellorsNotebook on Windows, ~/Library/Application Support/... on
    macOS)."""
    home = _home()
    return home / "data" if home else Path(_dirs.user_data_dir)


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(_dirs.user_config_dir)


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(_dirs.user_log_dir)


def default_notebook_path() -> Path:
    return data_dir() / "notebook.cnb"


def demo_notebook_path() -> Path:
    return data_dir() / "demo.cnb"


def default_backup_dir(notebook_id: str) -> Path:
    """Backups of one notebook, beside the notebooks, in a folder of its own."""
    return data_dir() / "backups" / (notebook_id[:8] or "notebook")
