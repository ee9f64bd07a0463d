"""Qt's file dialogs do not record the folders a counsellor used.

Every QFileDialog, also those of the static ``QFileDialog.get...`` functions, writes the
folders it showed (``history``, ``lastVisited``) into Qt's own settings when it is
destroyed: ``~/.config/QtProject.conf`` on Linux, the registry or a plist elsewhere. That
cannot be turned off, so those two keys are removed as each file dialog is destroyed
(after Qt wrote them; a dialog is known by the focus it takes), and at start and
quit for what an older version or a crash left.
Native dialogs of Windows and macOS keep their own lists of recent folders, which Qt
cannot reach.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

#: The keys of QFileDialog's settings (group "FileDialog" of "QtProject") naming folders.
_FOLDER_KEYS = ("history", "lastVisited")
_WATCHED = "counsellorForgetsHistory"


def forget_file_dialog_history() -> None:
    """Remove the folders Qt's file dialogs recorded from Qt's settings."""
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    if any(settings.contains(f"FileDialog/{key}") for key in _FOLDER_KEYS):
        for key in _FOLDER_KEYS:
            settings.remove(f"FileDialog/{key}")
        settings.sync()


def _watch(_old: QWidget | None, new: QWidget | None) -> None:
    """A widget took the focus: if it is in a file dialog not yet watched, forget the
    dialog's folders once it is destroyed. (The focus, not an event filter on every
    event of the application: that would run Python for each paint and mouse move.)"""
    dialog = new.window() if new is not None else None
    if isinstance(dialog, QFileDialog) and not dialog.property(_WATCHED):
        dialog.setProperty(_WATCHED, True)
        # Emitted by ~QObject, after ~QFileDialog saved its settings.
        dialog.destroyed.connect(forget_file_dialog_history)


def keep_file_dialogs_from_remembering() -> None:
    """Make every file dialog of the application forget the folders it showed (once per
    application), and forget what is recorded already; again at quit."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or app.property(_WATCHED):
        return
    app.setProperty(_WATCHED, True)
    app.focusChanged.connect(_watch)
    app.aboutToQuit.connect(forget_file_dialog_history)
    forget_file_dialog_history()
