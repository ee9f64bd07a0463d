"""Settings: the language of the app on this computer and whether its window is hidden
from screen captures there, and of the open notebook the auto-lock time, how long closed
cases keep their notes, and where backups go.

Nothing is stored until OK. OK stores the notebook's settings in one transaction and saves
the computer's settings inside it, so a failure of either leaves both as they were; the
error is shown as a sentence in the dialog, which stays open. "Back up now" writes a
backup on the task runner's notebook lane (after any chore under way, before the close of
a lock), into the folder shown (chosen or not yet stored).
"""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QWidget,
)

from counsellor_app.core.errors import StorageError, UserError
from counsellor_app.core.i18n import LANGUAGES, _, ngettext
from counsellor_app.core.paths import default_backup_dir
from counsellor_app.core.safefile import make_private_folder, storage_error
from counsellor_app.core.settings import AppSettings, remember_backup_folder
from counsellor_app.core.store import Notebook
from counsellor_app.gui.forms.ui_settings import Ui_SettingsDialog
from counsellor_app.gui.native import capture_exclusion_available
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import start_folder

#: Each language by its own name, so that someone who cannot read the current language
#: still finds theirs (deliberately not translated).
LANGUAGE_NAMES: dict[str, str] = {"da": "Dansk", "en": "English"}

#: Upper bounds offered here (the store accepts any value from 1); a larger value already
#: in the notebook is kept selectable.
MAX_AUTO_LOCK_MINUTES = 120
MAX_RETENTION_MONTHS = 120


def check_backup_folder(folder: Path) -> None:
    """Raise a :class:`UserError` with a sentence unless backups can be written in
    ``folder`` (made if missing, probed with a small file that is removed again)."""
    try:
        make_private_folder(folder)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            text = _(
                "Backups cannot be written to {folder} because it is read-only. "
                "Choose a folder you can write to."
            )
        elif error.errno in (errno.ENOTDIR, errno.EEXIST):
            text = _("{folder} is not a folder. Choose a folder you can write to.")
        else:
            raise storage_error(error, _("The backup")) from error
        raise StorageError(text.format(folder=folder)) from error


class SettingsDialog(QDialog):
    """Language, auto-lock, retention and backup folder; OK stores, Cancel forgets."""

    #: The language code ("da", "en") after OK changed it; the caller applies it.
    language_changed = Signal(str)
    #: The new auto-lock time in minutes after OK changed it (to restart the idle timer).
    auto_lock_changed = Signal(int)
    #: Whether the window is hidden from screen captures, after OK changed it.
    capture_changed = Signal(bool)
    #: A "Back up now" backup was written: its path.
    backup_finished = Signal(str)
    #: A "Back up now" backup failed: the sentence shown.
    backup_failed = Signal(str)

    def __init__(
        self, notebook: Notebook, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._settings = settings
        self._stored_backup_folder = self._chosen_backup_folder()
        #: The backup folder shown: a chosen folder, or None for the default one.
        self._backup_folder = self._stored_backup_folder
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)

        self._tasks = TaskRunner(self, Lane.NOTEBOOK)

        # Language
        self.language = self.ui.language
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))

        # Auto-lock
        self.auto_lock = self.ui.auto_lock
        minutes = notebook.auto_lock_minutes
        self.auto_lock.setRange(1, max(MAX_AUTO_LOCK_MINUTES, minutes))
        self.auto_lock.setValue(minutes)
        self.auto_lock.valueChanged.connect(self._update_suffixes)

        # Retention
        self.retention = self.ui.retention
        months = notebook.retention_months
        self.retention.setRange(1, max(MAX_RETENTION_MONTHS, months))
        self.retention.setValue(months)
        self.retention.valueChanged.connect(self._update_suffixes)
        self.retention_hint = self.ui.retention_hint
        self.retention.setAccessibleDescription(self.retention_hint.text())

        # Backup folder
        self.backup_line = self.ui.backup_line
        self.backup_line.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        self.choose_button = self.ui.choose_button
        self.choose_button.clicked.connect(self.browse_backup_folder)
        self.default_button = self.ui.default_button
        self.default_button.clicked.connect(lambda: self.choose_backup_folder(None))
        self.back_up_button = self.ui.back_up_button
        self.back_up_button.clicked.connect(self.back_up_now)
        self.backup_status = self.ui.backup_status
        # Shown with the guidance on a concern: whom to call now.
        self.supervisor_phone = self.ui.supervisor_phone
        self.supervisor_phone.setText(notebook.supervisor_phone)

        # Screen capture (Windows and macOS; Linux has no switch for it)
        self.capture_box = self.ui.capture_box
        self.capture_box.setChecked(settings.hide_from_screen_capture)
        self.capture_hint = self.ui.capture_hint
        if capture_exclusion_available():
            self.capture_hint.setText(
                _(
                    "Screen sharing in a video call and recording programs show the "
                    "window as black or leave it out."
                )
            )
        else:
            self.capture_box.setEnabled(False)
            self.capture_hint.setText(
                _(
                    "Not possible on Linux: any program of your session can read the "
                    "screen under X11, and under Wayland the system asks you before a "
                    "capture."
                )
            )
        self.capture_box.setAccessibleDescription(self.capture_hint.text())

        # Each field is named by its caption, without the Alt-key mark.
        for caption, field in (
            (self.ui.language_caption, self.language),
            (self.ui.auto_lock_caption, self.auto_lock),
            (self.ui.retention_caption, self.retention),
            (self.ui.backup_caption, self.backup_line),
            (self.ui.supervisor_phone_caption, self.supervisor_phone),
        ):
            field.setAccessibleName(caption.text().replace("&", ""))
        self._form = self.ui.form
        self.error_label = self.ui.error_label
        self.buttons = self.ui.buttons

        self._update_suffixes()
        self._show_backup_folder()
        self._set_backup_status("")
        self.language.setFocus()

    # ------------------------------------------------------------------ display

    def _chosen_backup_folder(self) -> Path | None:
        """The folder stored in the notebook, or None when backups go to the default."""
        current = self._notebook.backup_dir
        return None if current == default_backup_dir(self._notebook.notebook_id) else current

    def _effective_backup_folder(self) -> Path:
        return self._backup_folder or default_backup_dir(self._notebook.notebook_id)

    def _show_backup_folder(self) -> None:
        folder = str(self._effective_backup_folder())
        self.backup_line.setText(folder)
        self.backup_line.setCursorPosition(0)
        self.backup_line.setToolTip(folder)
        self.default_button.setEnabled(self._backup_folder is not None)

    def _update_suffixes(self) -> None:
        self.auto_lock.setSuffix(" " + ngettext("minute", "minutes", self.auto_lock.value()))
        self.retention.setSuffix(" " + ngettext("month", "months", self.retention.value()))

    def _fit_height(self) -> None:
        """Keep the window tall enough for the wrapped sentences at its width (a dialog
        does not follow its layout's height-for-width by itself, so they would be clipped,
        most visibly at 200 % scaling)."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def _set_backup_status(self, text: str) -> None:
        self.backup_status.setText(text)
        self._form.setRowVisible(self.backup_status, bool(text))
        self._fit_height()

    def show_error(self, message: str) -> None:
        """Show ``message`` (a sentence for the user) in red below the form."""
        self.error_label.show_error(message)

    def error_text(self) -> str:
        """The error sentence shown, or "" when there is none."""
        return self.error_label.text() if not self.error_label.isHidden() else ""

    # ------------------------------------------------------------------ backup folder

    def backup_folder(self) -> Path | None:
        """The backup folder shown: a chosen folder, or None for the default one."""
        return self._backup_folder

    def choose_backup_folder(self, folder: Path | None) -> bool:
        """Show ``folder`` (None: the default) as the backup folder if backups can be
        written there; otherwise show why and keep the folder shown before. Stored on OK."""
        try:
            check_backup_folder(Path(folder) if folder else self._default_folder())
        except UserError as error:
            self.show_error(str(error))
            return False
        self._backup_folder = Path(folder) if folder else None
        self.show_error("")
        self._show_backup_folder()
        return True

    def _default_folder(self) -> Path:
        return default_backup_dir(self._notebook.notebook_id)

    def browse_backup_folder(self) -> None:
        """Ask for a folder with the system's folder dialog."""
        # The backup folder when it exists already, else the Documents folder (a folder
        # that does not exist would open the dialog in the program's current folder).
        chosen = QFileDialog.getExistingDirectory(
            self, _("Choose a backup folder"), str(start_folder(self._effective_backup_folder()))
        )
        if chosen:
            self.choose_backup_folder(Path(chosen))

    # ------------------------------------------------------------------ back up now

    def back_up_now(self) -> None:
        """Write a backup into the folder shown, off the UI thread."""
        if self._tasks.busy():
            return
        self.back_up_button.setEnabled(False)
        self._set_backup_status(_("Backing up…"))
        self.show_error("")
        notebook, folder = self._notebook, self._effective_backup_folder()

        def back_up(_task: Task[str]) -> str:
            # First the probe: its sentences say more than the store's for a bad folder.
            check_backup_folder(folder)
            return str(notebook.backup(folder))

        self._tasks.run(back_up, success=self._backup_done, failure=self._backup_error)

    def _backup_done(self, path: str) -> None:
        self.back_up_button.setEnabled(True)
        self._set_backup_status(_("Backup written: {path}").format(path=path))
        self.backup_finished.emit(path)

    def _backup_error(self, message: str) -> None:
        self.back_up_button.setEnabled(True)
        self._set_backup_status("")
        self.show_error(message)
        self.backup_failed.emit(message)

    # ------------------------------------------------------------------ OK / Cancel

    def apply(self) -> bool:
        """Store what changed; True on success. On failure nothing is stored and the
        sentence is shown."""
        notebook, settings = self._notebook, self._settings
        language = str(self.language.currentData())
        minutes = self.auto_lock.value()
        months = self.retention.value()
        folder = self._backup_folder
        language_changed = language != settings.language
        minutes_changed = minutes != notebook.auto_lock_minutes
        months_changed = months != notebook.retention_months
        folder_changed = folder != self._stored_backup_folder
        phone = self.supervisor_phone.text().strip()
        phone_changed = phone != notebook.supervisor_phone
        hidden = self.capture_box.isChecked()
        capture_changed = hidden != settings.hide_from_screen_capture
        old_language, old_hidden = settings.language, settings.hide_from_screen_capture
        try:
            if folder_changed:
                check_backup_folder(folder or self._default_folder())
            with notebook.transaction():
                if months_changed:
                    notebook.set_retention_months(months)
                if minutes_changed:
                    notebook.set_auto_lock_minutes(minutes)
                if phone_changed:
                    notebook.set_supervisor_phone(phone)
                if folder_changed:
                    notebook.set_backup_dir(folder)
                    remember_backup_folder(folder)
                if language_changed or capture_changed:
                    # Last, inside the transaction: if it fails the notebook rolls back.
                    settings.language = language
                    settings.hide_from_screen_capture = hidden
                    try:
                        settings.save()
                    except OSError as error:
                        raise storage_error(error, AppSettings.path().name) from error
        except UserError as error:
            settings.language = old_language
            settings.hide_from_screen_capture = old_hidden
            self.show_error(str(error))
            return False
        self._stored_backup_folder = folder
        self.show_error("")
        if language_changed:
            self.language_changed.emit(language)
        if minutes_changed:
            self.auto_lock_changed.emit(minutes)
        if capture_changed:
            self.capture_changed.emit(hidden)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()
