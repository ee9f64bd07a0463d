"""Before the notes: unlock a notebook, or make one (role, passphrase, recovery key)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from counsellor_app.core.domain import Role, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.hardening import forget
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import (
    MIN_PASSPHRASE_LENGTH,
    key_file_path,
    short_passphrase_problem,
)
from counsellor_app.core.settings import AppSettings
from counsellor_app.gui.forms.ui_unlock_page import Ui_UnlockPage
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import ErrorLine, FittingDialog, documents_folder

if TYPE_CHECKING:  # the store (SQLCipher) loads when a notebook is opened or made
    from counsellor_app.core.store import Notebook

DEMO_PASSPHRASE = "demo-demo-demo"


def passphrase_hint(passphrase: str) -> str:
    """A short strength hint: length and variety, said plainly (nothing before typing)."""
    if not passphrase:
        return ""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return _(
            "Too short: at least {n} characters are needed; 12 or more, or four or more "
            "words, is better."
        ).format(n=MIN_PASSPHRASE_LENGTH)
    kinds = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    # Words joined by hyphens (or dots, underscores) count as words too.
    words = len([w for w in re.split(r"[\s\-_.]+", passphrase) if w])
    if len(passphrase) >= 20 or (words >= 4 and len(passphrase) >= 16):
        return _("Strong: a long passphrase.")
    if len(passphrase) >= 12 and kinds >= 3:
        return _("Fair. Longer is stronger: four or more ordinary words work well.")
    return _("Weak: use at least 12 characters, or better four or more words.")


def new_passphrase_problem(passphrase: str, repeat: str) -> str:
    """Why ``passphrase`` (typed twice) cannot become a notebook's passphrase; "" if it can."""
    problem = short_passphrase_problem(passphrase)
    if problem:
        return problem
    if passphrase != repeat:
        return _("The two passphrases differ.")
    return ""


def documents_start(name: str = "") -> str:
    """Where a file dialog starts: the user's Documents folder (the home folder when
    there is none), not the folder the app happened to be started in."""
    folder = documents_folder()
    if not folder.is_dir():
        folder = Path.home()
    return str(folder / name) if name else str(folder)


def pick_notebook(parent: QWidget) -> Path | None:
    """Ask for a notebook file (one copied from another computer, say), or None."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, _("Open a notebook"), documents_start(), _("Notebooks (*.cnb)")
    )
    return Path(chosen) if chosen else None


def notebook_to_open(path: Path) -> tuple[Path, str]:
    """The notebook meant by ``path`` (its key file may have been picked instead), and
    why it cannot be opened ("" when it can: it is there, with its key file beside it)."""
    if path.name.endswith(".cnb.key"):
        path = path.with_name(path.name.removesuffix(".key"))
    if not path.is_file():
        return path, _("There is no notebook at {path}.").format(path=path)
    key = key_file_path(path)
    if not key.is_file():
        return path, _(
            "The key file {key} must be in the same folder as {name}. Copy it from the "
            "other computer into that folder, then open the notebook again."
        ).format(key=key.name, name=path.name)
    return path, ""


def say_in_dialog(label: QLabel, text: str) -> None:
    """Set a word-wrapped ``label`` of a dialog and grow the dialog to the height the text
    needs at its width (Qt does not grow a window for a wrapped label by itself, so a
    long sentence would be squeezed onto the rows around it)."""
    label.setText(text)
    window = label.window()
    layout = window.layout()
    if layout is None or window is label:
        return
    layout.activate()
    needed = layout.totalHeightForWidth(window.width())
    if needed > window.height():
        window.resize(window.width(), needed)


class NewPassphraseFields:
    """A new passphrase typed twice with a strength hint under it: the same rows in every
    dialog where a passphrase is chosen (each form has them), so the same minimum holds
    everywhere."""

    def __init__(
        self, passphrase: QLineEdit, repeat: QLineEdit, hint: QLabel, error: ErrorLine
    ) -> None:
        self.passphrase, self.repeat, self.hint, self.error = passphrase, repeat, hint, error
        # An error the typing has since put right goes (not only at the next OK).
        for field in (passphrase, repeat):
            field.textChanged.connect(self._recheck)
        # Room for a long passphrase, and for the hint and errors to wrap in few lines.
        self.passphrase.setMinimumWidth(self.passphrase.fontMetrics().averageCharWidth() * 48)
        # One line kept free, so the dialog does not jump when the hint appears.
        self.hint.setMinimumHeight(self.hint.fontMetrics().lineSpacing())
        self.passphrase.textChanged.connect(
            lambda text: say_in_dialog(self.hint, passphrase_hint(text))
        )

    def problem(self) -> str:
        return new_passphrase_problem(self.passphrase.text(), self.repeat.text())

    def _recheck(self) -> None:
        shown = self.error.text()
        if not shown or not self.error.is_error():
            return
        passphrase_problems = {
            _("The two passphrases differ."),
            short_passphrase_problem(""),
            short_passphrase_problem("x"),
        }
        if shown in passphrase_problems and shown != self.problem():
            self.error.clear()

    def clear(self) -> None:
        """Forget what was typed (as soon as the passphrase has been used)."""
        self.passphrase.clear()
        self.repeat.clear()


class UnlockPage(QWidget):
    unlocked = Signal(object)
    #: Another notebook was chosen (its path): the window remembers it for the next start.
    notebook_chosen = Signal(object)
    #: The notebook is being opened in the background (the key is being derived).
    opening = Signal()

    def __init__(self, path: Path, demo: bool) -> None:
        super().__init__()
        self.path = path
        # Opening (with the search for a good backup of a damaged notebook) and restoring
        # run on the notebook lane: after the close of a lock still under way, and never
        # on the UI thread.
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self._opening = False
        self.recovery_dialog: RecoveryDialog | None = None
        self._reset_key: tuple[Path, str] | None = None
        self.ui = Ui_UnlockPage()
        self.ui.setupUi(self)
        self.path_label = self.ui.path_label
        self.path_label.setText(str(path))
        self.demo_hint: QLabel | None = None
        if demo:
            self.demo_hint = self.ui.demo_hint
            self.demo_hint.setText(
                _("Demo notebook. Its passphrase is: {p}").format(p=DEMO_PASSPHRASE)
            )
        else:
            self.ui.demo_hint.hide()
        #: Shown while a call waits behind the lock (see :meth:`set_call_waiting`).
        self.call_waiting = self.ui.call_waiting
        self.call_waiting.hide()
        # The column's width is fixed: a word-wrapped label gets the height of its text
        # only when its layout knows the width it wraps at (an AlignHCenter item in the
        # page's own layout is measured at the page's width, and cut to one line).
        column = self.ui.unlock_column
        column.setFixedWidth(max(400, column.fontMetrics().averageCharWidth() * 58))
        self.passphrase = self.ui.passphrase
        if demo:
            self.passphrase.setText(DEMO_PASSPHRASE)
        self.error = self.ui.error
        self.unlock_button = self.ui.unlock_button
        # Shown when the notebook will not open but a good backup of it does (the error
        # above names it): one click puts it in place, the damaged file kept aside.
        self.backup_offered: Path | None = None
        self.restore_button = self.ui.restore_button
        self.restore_button.clicked.connect(self.restore_offered_backup)
        self.forgot_button = self.ui.forgot_button
        # A notebook copied from another computer (or kept elsewhere) is opened here,
        # not only with --notebook on the command line.
        self.open_other = self.ui.open_other
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.forgot_button.clicked.connect(self.recover)
        self.open_other.clicked.connect(self.choose_notebook)

    def set_call_waiting(self, waiting: bool) -> None:
        """Say on the lock screen that a call is in progress and comes back after the
        unlock (the counsellor who locked, or was locked out, knows it is not lost)."""
        self.call_waiting.setVisible(waiting)

    def _say(self, text: str, error: bool = True) -> None:
        self.error.say(text, error=error)

    def busy(self) -> bool:
        """Is the notebook being opened (or a backup restored) in the background?"""
        return self._opening

    def _set_busy(self, busy: bool) -> None:
        self._opening = busy
        self.unlock_button.setText(_("Unlocking…") if busy else _("Unlock"))
        for widget in (self.unlock_button, self.restore_button, self.forgot_button):
            widget.setEnabled(not busy)
        self.open_other.setEnabled(not busy)
        self.passphrase.setReadOnly(busy)  # what was typed stays, for a second try

    def try_unlock(self) -> None:
        """Open the notebook with the passphrase typed, in the background; the page shows
        it is busy meanwhile, then :attr:`unlocked` is emitted or the reason shown."""
        self._open(None)

    def restore_offered_backup(self) -> None:
        """Put the backup offered in place of the notebook that would not open (which is
        kept aside, not deleted), then unlock it."""
        if self.backup_offered is not None:
            self._open(self.backup_offered)

    def _open(self, backup: Path | None) -> None:
        if self._opening:
            return
        from counsellor_app.core.backups import restore
        from counsellor_app.core.store import Notebook

        path, passphrase = self.path, self.passphrase.text()
        folders = AppSettings.load().backup_folders  # where to look for a good backup

        def open_notebook(_task: Task[Notebook | UserError]) -> Notebook | UserError:
            try:
                if backup is not None:
                    restore(path, backup, passphrase)  # its failure is the sentence shown
                try:
                    return Notebook.open(path, passphrase, backup_folders=folders)
                except UserError as error:  # kept whole: it may name a backup to offer
                    return error
            finally:
                # This copy of what was typed (the field's text, made for this open) is
                # overwritten once used; see forget() for what cannot be.
                forget(passphrase)

        self._set_busy(True)
        self._tasks.run(open_notebook, success=self._opened, failure=self._not_restored)
        self.opening.emit()

    def _not_restored(self, sentence: str) -> None:
        self._set_busy(False)
        self._say(sentence)

    def _opened(self, outcome: Notebook | UserError) -> None:
        self._set_busy(False)
        if isinstance(outcome, UserError):
            self._say(str(outcome))
            self.backup_offered = getattr(outcome, "backup", None)
            self.restore_button.setVisible(self.backup_offered is not None)
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.error.clear()
        self.backup_offered = None
        self.restore_button.setVisible(False)
        self.passphrase.clear()
        self.unlocked.emit(outcome)

    def choose_notebook(self) -> None:
        """Pick a notebook file (say, one copied from another computer) to unlock."""
        chosen = pick_notebook(self)
        if chosen is not None:
            self.switch_to(chosen)

    def switch_to(self, path: Path) -> bool:
        """Unlock the notebook at ``path`` from now on (and say so to the window, which
        remembers it); False, with the reason shown, when it cannot be opened."""
        path, problem = notebook_to_open(path)
        if problem:
            self._say(problem)
            return False
        self.path = path
        self._reset_key = None
        self.path_label.setText(str(path))
        if self.demo_hint is not None:
            self.demo_hint.hide()
        self.passphrase.clear()
        self.error.clear()
        self.backup_offered = None
        self.restore_button.setVisible(False)
        self.passphrase.setFocus()
        self.notebook_chosen.emit(path)
        return True

    def take_reset_key(self, path: Path) -> str | None:
        """The recovery key of a reset of the notebook at ``path`` made on this page
        since the last unlock (once; forgotten after)."""
        kept, self._reset_key = self._reset_key, None
        return kept[1] if kept is not None and kept[0] == path else None

    def recover(self) -> None:
        """Forgotten passphrase: a dialog sets a new one with the recovery key."""
        dialog = RecoveryDialog(self.path, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._recovery_finished)
        self.recovery_dialog = dialog
        dialog.open()

    def _recovery_finished(self, result: int) -> None:
        dialog, self.recovery_dialog = self.recovery_dialog, None
        if result == QDialog.DialogCode.Accepted:
            # Kept until this notebook is unlocked: the backups made before the reset
            # still open with the forgotten passphrase, and re-encrypting them for the
            # new one needs the recovery key they were also made under.
            self._reset_key = (self.path, dialog.used_key) if dialog is not None else None
            self._say(_("The passphrase was changed. Unlock with the new one."), error=False)
            self.passphrase.clear()
            self.passphrase.setFocus()


class RecoveryDialog(QDialog):
    """Set a new passphrase with the recovery key. A wrong key leaves the dialog open with
    the reason in it, so nothing typed has to be typed again."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        #: The recovery key a successful reset used (for the backups made before it).
        self.used_key = ""
        # The key derivation takes a moment: on the notebook lane (after a close still
        # under way), while the dialog shows it is busy.
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        from counsellor_app.gui.forms.ui_recovery import Ui_RecoveryDialog  # on first use

        self.ui = Ui_RecoveryDialog()
        self.ui.setupUi(self)
        self.ui.intro.setText(
            _(
                "Type the recovery key you wrote down or printed when the notebook was "
                "made, and choose a new passphrase for {name}."
            ).format(name=path.name)
        )
        self.key = self.ui.key
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # Wide enough for the whole key (8 groups of 4 and 7 dashes) with room to spare.
        sample = "-".join(["W0M8"] * 8)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance(sample) + 24)
        self.error = self.ui.error
        self.fields = NewPassphraseFields(
            self.ui.passphrase, self.ui.repeat, self.ui.hint, self.error
        )
        self.ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ui.buttons.accepted.connect(self.reset)
        # The whole title in the title bar (drawn bold by most window managers), with room
        # for the window buttons.
        bold = QFont(self.font())
        bold.setBold(True)
        self.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(self.windowTitle()) + 160)
        self.key.setFocus()

    def reset(self) -> None:
        problem = self.fields.problem()
        if problem:
            self.error.show_error(problem)
            self.fields.passphrase.setFocus()
            return
        if self._tasks.busy():
            return
        path, key, passphrase = self.path, self.key.text(), self.fields.passphrase.text()

        def reset(_task: Task[None]) -> None:
            # Not at start-up: it brings SQLCipher, which the unlock window waits without.
            from counsellor_app.core.rekey import reset_passphrase

            reset_passphrase(path, key, passphrase)

        def done(_none: None) -> None:
            self.used_key = key
            self.accept()

        self.ok.setEnabled(False)
        self._tasks.run(reset, success=done, failure=self._not_reset)

    def busy(self) -> bool:
        """Is the new passphrase being set in the background?"""
        return not self.ok.isEnabled()

    def _not_reset(self, sentence: str) -> None:
        self.ok.setEnabled(True)
        self.error.show_error(sentence)
        self.key.selectAll()
        self.key.setFocus()

    def done(self, result: int) -> None:
        """However it closes (OK, Cancel, the lock), nothing typed is kept."""
        self.fields.clear()
        self.key.clear()
        super().done(result)


class CreateNotebookDialog(QDialog):
    """First start: choose a role and a passphrase; the recovery key is shown once. The
    notebook made is left open in :attr:`notebook`, for the window to show at once. Or,
    on a new computer, an existing notebook is chosen instead (:attr:`existing`)."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.notebook: Notebook | None = None
        self.existing: Path | None = None
        from counsellor_app.gui.forms.ui_create_notebook import Ui_CreateNotebookDialog

        self.ui = Ui_CreateNotebookDialog()
        self.ui.setupUi(self)
        self.role = self.ui.role
        for role in Role:
            self.role.addItem(label(role), role)
        self.passphrase, self.repeat, self.hint = self.ui.passphrase, self.ui.repeat, self.ui.hint
        self.error = self.ui.error
        self.fields = NewPassphraseFields(self.passphrase, self.repeat, self.hint, self.error)
        buttons = self.ui.buttons
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._ok_text = self.ok.text()
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        # A notebook copied from another computer: nothing to create, it is unlocked.
        # (Designer cannot put a button of our own into a button box.)
        self.open_existing = QPushButton(_("Open an &existing notebook…"))
        self.open_existing.setAutoDefault(False)
        buttons.addButton(self.open_existing, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_existing.clicked.connect(self.choose_existing)
        buttons.accepted.connect(self.create_notebook)
        buttons.rejected.connect(self.reject)
        # Typing goes into the passphrase at once; the role (most are counsellors) is a
        # Shift+Tab away.
        self.passphrase.setFocus()

    def create_notebook(self) -> None:
        """Make the notebook in the background (deriving the key takes a second); the
        dialog shows it is busy meanwhile, then shows the recovery key."""
        problem = self.fields.problem()
        if problem:
            self.error.show_error(problem)
            self.passphrase.setFocus()
            return
        if self._tasks.busy():
            return
        from counsellor_app.core.store import Notebook

        path, passphrase, role = self.path, self.passphrase.text(), Role(self.role.currentData())

        def make(_task: Task[tuple[Notebook, str]]) -> tuple[Notebook, str]:
            return Notebook.create(path, passphrase, role)

        self._set_busy(True)
        self._tasks.run(make, success=self._created, failure=self._not_created)

    def busy(self) -> bool:
        """Is the notebook being made in the background?"""
        return self._tasks.busy()

    def _set_busy(self, busy: bool) -> None:
        self.ui.buttons.setEnabled(not busy)
        self.ok.setText(_("Creating the notebook…") if busy else self._ok_text)
        for field in (self.passphrase, self.repeat):
            field.setReadOnly(busy)  # what was typed stays, for a second try

    def _not_created(self, sentence: str) -> None:
        self._set_busy(False)
        self.error.show_error(sentence)

    def _created(self, made: tuple[Notebook, str]) -> None:
        self._set_busy(False)
        self.notebook, recovery_key = made
        self.fields.clear()  # the notebook is open: the passphrase is not needed any more
        self.error.clear()
        RecoveryKeyDialog(recovery_key, self.path, self).exec()
        self.accept()

    def reject(self) -> None:
        """Not while the notebook is being made (it would be left open, unseen)."""
        if not self._tasks.busy():
            super().reject()

    def choose_existing(self) -> None:
        chosen = pick_notebook(self)
        if chosen is not None:
            self.use_existing(chosen)

    def use_existing(self, path: Path) -> bool:
        """Open the notebook at ``path`` instead of making one (False, with the reason
        shown, when it cannot be opened)."""
        path, problem = notebook_to_open(path)
        if problem:
            self.error.show_error(problem)
            return False
        self.existing = path
        self.fields.clear()
        self.accept()
        return True


class RecoveryKeyDialog(FittingDialog):
    """The recovery key, shown once: it can be saved as a PDF to print, and the dialog
    closes only when the user says the key was kept."""

    def __init__(self, recovery_key: str, notebook_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.notebook_path = notebook_path
        from counsellor_app.gui.forms.ui_recovery_key import Ui_RecoveryKeyDialog

        self.ui = Ui_RecoveryKeyDialog()
        self.ui.setupUi(self)
        self.key = self.ui.key
        self.key.setText(recovery_key)
        # The system's fixed font, larger: a font of its own for each platform, which a
        # form cannot name.
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.key.setFont(font)
        self.save_pdf = self.ui.save_pdf
        self.status = self.ui.status
        self.kept = self.ui.kept
        self.buttons = self.ui.buttons
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.kept.toggled.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        self.save_pdf.clicked.connect(self.choose_pdf)
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)

    def choose_pdf(self) -> None:
        suggested = documents_start(self.notebook_path.stem + "-recovery-key.pdf")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery key as a PDF"), suggested, "PDF (*.pdf)"
        )
        if chosen:
            self.write_pdf(Path(chosen))

    def write_pdf(self, target: Path) -> Task[Path]:
        """Write the recovery sheet to ``target`` on the notebook lane (reportlab and a
        page take longer than a frame); the status line says where it went, or why not."""
        # reportlab is imported there, not at start-up: it costs ~100 ms and most starts
        # never make a PDF.
        from counsellor_app.core.recovery_sheet import write_recovery_sheet

        key, name = self.recovery_key, self.notebook_path.name

        def write(_task: Task[Path]) -> Path:
            write_recovery_sheet(target, key, name, datetime.now())
            return target

        def written(where: Path) -> None:
            self.status.say(
                _("Saved as {file}. Print it, then delete the file.").format(file=where)
            )

        return self._tasks.run(write, success=written, failure=self.status.show_error)

    def reject(self) -> None:
        """Escape does not close it: the key must be kept first."""
        if self.kept.isChecked():
            super().reject()
