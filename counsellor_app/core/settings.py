"""Settings of the app on this computer (not of one notebook): language, last notebook.

Kept as a small JSON file in the user's config folder, written atomically.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from counsellor_app.core.errors import StorageError
from counsellor_app.core.i18n import _
from counsellor_app.core.paths import config_dir
from counsellor_app.core.safefile import (
    atomic_write_bytes,
    make_private_folder,
    storage_error,
    sweep_stale_temporaries,
)

#: How many backup folders the settings remember (a notebook's own folder is kept in the
#: notebook; these are for a notebook too damaged to say it). Enough for a few notebooks
#: and a changed folder or two, not a list of every place a counsellor kept backups.
BACKUP_FOLDERS_KEPT = 4


@dataclass
class AppSettings:
    language: str = "da"
    last_notebook: str = ""
    #: The supervisor's public key (``age1…``) last exported to; public, not a secret.
    last_public_key: str = ""
    #: The backup folders chosen last on this computer, of any notebook, oldest first (at
    #: most :data:`BACKUP_FOLDERS_KEPT`): when a notebook is too damaged to say its own,
    #: its backups are looked for here too. Not a history of every folder ever used.
    backup_folders: list[str] = field(default_factory=list)
    #: Windows and macOS: the window is left out of screen captures and recordings
    #: (screen sharing in a video call, a recording program). Linux has no such switch.
    hide_from_screen_capture: bool = True
    #: The main window's size when it was last closed, "<width>x<height>" ("": none yet).
    window_size: str = ""

    @staticmethod
    def path() -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> AppSettings:
        """The saved settings; defaults where the file is missing or unreadable."""
        try:
            data = json.loads(cls.path().read_text(encoding="utf-8"))
            settings = cls()
            for name, value in data.items():
                if name not in cls.__dataclass_fields__:
                    continue  # a setting of another version of the app
                if isinstance(getattr(settings, name), list):
                    if isinstance(value, list):
                        setattr(settings, name, [str(item) for item in value])
                elif isinstance(getattr(settings, name), bool):
                    if isinstance(value, bool):
                        setattr(settings, name, value)
                else:
                    setattr(settings, name, str(value))
            # A longer list, of an older version, is cut at the next save.
            settings.backup_folders = settings.backup_folders[-BACKUP_FOLDERS_KEPT:]
            return settings
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def save(self) -> None:
        """Write the settings; a failure is a :class:`StorageError` with a sentence."""
        try:
            make_private_folder(self.path().parent)
            # What a killed save left (this program's own temporary name is replaced).
            sweep_stale_temporaries(self.path().parent, [self.path().name])
        except OSError as error:
            raise storage_error(error, _("The settings")) from error
        atomic_write_bytes(self.path(), json.dumps(asdict(self), indent=2).encode("utf-8"))


def remember_backup_folder(folder: Path | None) -> None:
    """Make ``folder`` the newest of :attr:`AppSettings.backup_folders`, forgetting the
    oldest beyond :data:`BACKUP_FOLDERS_KEPT` (None, the default folder, needs no
    remembering; a failure to write the settings is not the user's concern here: the
    notebook knows its folder)."""
    if folder is None:
        return
    settings = AppSettings.load()
    kept = [known for known in settings.backup_folders if known != str(folder)]
    kept = [*kept, str(folder)][-BACKUP_FOLDERS_KEPT:]
    if kept != settings.backup_folders:
        settings.backup_folders = kept
        with contextlib.suppress(StorageError):
            settings.save()
