"""Where things live: the files the app ships with, and the user's notebooks, backups,
settings and log on each OS (via platformdirs).

The shipped files (``resources/``: taxonomy, word lists, fonts, icons; ``i18n/``: the
compiled catalogs) sit at the top of the source tree and are mapped into the package when
it is installed (``counsellor_app/resources``, ``counsellor_app/i18n``: pyproject.toml's
``package-dir``; the PyInstaller spec puts them in the same place). :func:`resource_path`
and :func:`catalog_dir` are the one way to find them, in every mode.

``COUNSELLOR_APP_HOME`` moves all of the user's folders under one folder (used by tests
and by people who keep their notebook on an encrypted drive).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "CounsellorsNotebook"
_dirs = PlatformDirs(APP_NAME, appauthor=False, roaming=False)

#: The package folder: site-packages/counsellor_app in a wheel, _internal/counsellor_app
#: in the bundle, <checkout>/counsellor_app in an editable install or on PYTHONPATH.
_PACKAGE = Path(__file__).resolve().parent.parent


def _shipped(folder: str) -> Path:
    # Installed (a wheel, the bundle): mapped into the package. A source checkout (an
    # editable install, PYTHONPATH): the top-level folder beside the package. Looking at
    # the files rather than importing lets a checkout on PYTHONPATH use its own files
    # even when another checkout is installed in the virtualenv.
    installed = _PACKAGE / folder
    return installed if installed.is_dir() else _PACKAGE.parent / folder


def resource_path(*parts: str) -> Path:
    """A file or folder under ``resources/``, e.g. ``resource_path("fonts", "X.ttf")``."""
    return _shipped("resources").joinpath(*parts)


def catalog_dir() -> Path:
    """The gettext locale folder (``i18n/<lang>/LC_MESSAGES/messages.mo``)."""
    return _shipped("i18n")


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
