"""The main window: unlock, the notebook, locking (on demand, when idle, with the
screen), housekeeping, and starting the app."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
)

from counsellor_app import __version__
from counsellor_app.core.domain import Role
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, current_language, set_language
from counsellor_app.core.paths import default_notebook_path, demo_notebook_path
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.gui.about import app_icon, show_about
from counsellor_app.gui.clipboard import ClipboardGuard
from counsellor_app.gui.mentoring_menu import MentoringMenu
from counsellor_app.gui.notebook_page import NotebookPage
from counsellor_app.gui.session import SessionWatcher
from counsellor_app.gui.settings_dialog import SettingsDialog
from counsellor_app.gui.unlock import DEMO_PASSPHRASE, CreateNotebookDialog, UnlockPage

log = logging.getLogger(__name__)

__all__ = ["DEMO_PASSPHRASE", "MainWindow", "run_gui"]


class MainWindow(QMainWindow):
    """Unlock page and notebook page in one window; every action is in the menus with its
    shortcut, so it can be found by a screen reader and by someone who forgot the key."""

    def __init__(self, path: Path, demo: bool = False) -> None:
        super().__init__()
        self.path, self.demo = path, demo
        self.resize(1100, 720)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        # Chores (WAL checkpoints, backups, closing) run here, never on the UI thread;
        # one thread, so they run in order and never two at once.
        self.chores = QThreadPool(self)
        self.chores.setMaxThreadCount(1)
        self.checkpoint_timer = QTimer(self, interval=30_000, timeout=self.checkpoint)
        self.backup_timer = QTimer(self, interval=3600 * 1000, timeout=self.daily_backup)
        self.clipboard_guard = ClipboardGuard(QApplication.clipboard(), parent=self)
        # Auto-lock: any key or mouse input in the app restarts the idle timer; the
        # session watcher locks when the screen locks or the computer sleeps.
        self.idle_timer = QTimer(self, singleShot=True, timeout=self.lock)
        self.session_watcher = SessionWatcher(self)
        self.session_watcher.lock_requested.connect(self.lock_for)
        QApplication.instance().installEventFilter(self)
        self.unlock_page: UnlockPage
        self.notebook_page: NotebookPage
        self._build()

    def _build(self) -> None:
        """Make the pages and menus in the current language (again after a switch)."""
        for old in (getattr(self, "unlock_page", None), getattr(self, "notebook_page", None)):
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
        self.setWindowTitle(_("Counsellor's Notebook") + f" {__version__}")
        self.unlock_page = UnlockPage(self.path, self.demo)
        self.unlock_page.before_open = self.chores.waitForDone
        self.notebook_page = NotebookPage()
        self.stack.addWidget(self.unlock_page)
        self.stack.addWidget(self.notebook_page)
        self.unlock_page.unlocked.connect(self.on_unlocked)
        self._build_menus()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        page = self.notebook_page
        notebook_menu = bar.addMenu(_("&Notebook"))
        call_menu = bar.addMenu(_("&Call"))
        self.supervision_menu = bar.addMenu(_("Super&vision"))
        review_menu = bar.addMenu(_("&Review"))
        help_menu = bar.addMenu(_("&Help"))
        self.notebook_actions: list[QAction] = []
        self.mentoring = MentoringMenu(
            self, review_menu, lambda: self.notebook, lambda: self.notebook_page.case_view.case_id
        )
        self.notebook_actions += self.mentoring.actions

        def add(menu: QMenu, text: str, keys: str | QKeySequence.StandardKey, slot) -> QAction:  # type: ignore[no-untyped-def]
            action = QAction(text, self, shortcut=QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.notebook_actions.append(action)
            return action

        add(call_menu, _("&New call"), "Ctrl+N", page.new_call)
        add(
            call_menu,
            _("New conversation on the &selected case"),
            "Ctrl+Shift+N",
            page.call_on_selected,
        )
        add(call_menu, _("&End call"), "Ctrl+E", page.end_call)
        add(call_menu, _("Record a &concern…"), "Ctrl+K", page.record_concern)
        call_menu.addSeparator()
        add(call_menu, _("Add an &alliance…"), "Ctrl+Shift+A", page.add_alliance)
        add(call_menu, _("Add a &follow-up…"), "Ctrl+Shift+O", page.add_follow_up)
        add(notebook_menu, _("&Find"), QKeySequence.StandardKey.Find, page.focus_search)
        add(notebook_menu, _("Follow-up &agenda"), "Ctrl+G", page.agenda.setFocus)
        notebook_menu.addSeparator()
        add(notebook_menu, _("&Settings…"), "Ctrl+,", self.open_settings)
        add(notebook_menu, _("&Back up now"), "Ctrl+Shift+B", self.back_up_now)
        notebook_menu.addSeparator()
        self.case_summary_action = add(
            notebook_menu,
            _("Case summary as &PDF…"),
            "Ctrl+Shift+P",
            self.save_case_summary,
        )
        self.export_action = add(
            notebook_menu,
            _("&Export summaries for the supervisor…"),
            "Ctrl+Shift+E",
            self.open_export,
        )
        supervision = self.supervision_menu
        add(supervision, _("&Public key for the counsellors…"), "", self.open_public_key)
        add(supervision, _("&Import summary bundles…"), "Ctrl+I", self.open_import)
        add(supervision, _("&Dashboard…"), "Ctrl+D", self.open_dashboard)
        add(supervision, _("&Research export…"), "", self.open_research_export)
        notebook_menu.addSeparator()
        lock = QAction(_("&Lock"), self, shortcut=QKeySequence("Ctrl+L"), triggered=self.lock)
        notebook_menu.addAction(lock)
        quit_action = QAction(_("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        notebook_menu.addAction(quit_action)
        keys = QAction(_("&Keyboard shortcuts"), self, shortcut=QKeySequence("F1"))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        about = QAction(
            _("&About Counsellor's Notebook"), self, menuRole=QAction.MenuRole.AboutRole
        )
        about.triggered.connect(lambda: show_about(self))
        help_menu.addAction(about)
        self._set_notebook_actions_enabled(self.notebook is not None)

    def _set_notebook_actions_enabled(self, enabled: bool) -> None:
        for action in self.notebook_actions:
            action.setEnabled(enabled)
        # A supervisor imports and follows the service; everyone else exports to one.
        supervisor = self.notebook is not None and self.notebook.role is Role.SUPERVISOR
        self.export_action.setVisible(not supervisor)
        self.case_summary_action.setVisible(not supervisor)
        self.supervision_menu.menuAction().setVisible(supervisor)
        self.mentoring.set_notebook(self.notebook)

    _INPUT_EVENTS = (
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start()
        return False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.session_watcher.watch_window(int(self.winId()))

    @property
    def notebook(self) -> Notebook | None:
        return self.notebook_page.notebook

    def on_unlocked(self, notebook: Notebook) -> None:
        self.notebook_page.attach(notebook)
        self.stack.setCurrentWidget(self.notebook_page)
        self._set_notebook_actions_enabled(True)
        self.checkpoint_timer.start()
        self.backup_timer.start()
        self.idle_timer.setInterval(notebook.auto_lock_minutes * 60_000)
        self.idle_timer.start()
        self.notebook_page.focus_search()

    def _chore(self, notebook: Notebook | None, job: str, then_close: bool = False) -> None:
        """Run a chore on the notebook off the UI thread; a failure is logged, never shown
        as a crash (the notes themselves are already saved)."""
        if notebook is None:
            return

        def run() -> None:
            try:
                if job == "checkpoint":
                    notebook.tidy_index()
                    notebook.checkpoint()
                elif job in ("backup", "lock"):
                    # Retention first (cheap when none is due): closed cases past the
                    # period lose their text, at every lock and hourly, so also in a
                    # window left unlocked for weeks. Then a backup when one is due.
                    notebook.purge()
                    notebook.backup_if_due()
            except UserError as error:
                log.warning("%s failed: %s", job, type(error).__name__)
            finally:
                if then_close:
                    notebook.close()

        self.chores.start(run)

    def checkpoint(self) -> None:
        self.notebook_page.retry_unsaved()
        self._chore(self.notebook, "checkpoint")

    def daily_backup(self) -> None:
        self._chore(self.notebook, "backup")

    def back_up_now(self) -> None:
        notebook = self.notebook
        if notebook is None:
            return
        self.notebook_page.flush()
        try:
            made = notebook.backup()
        except UserError as error:
            QMessageBox.warning(self, _("Back up now"), str(error))
            return
        self.statusBar().showMessage(_("Backed up to {file}").format(file=made), 8000)

    def lock_for(self, reason: str) -> None:
        if self.notebook is not None:
            log.info("locking: %s", reason)
            self.lock()

    def lock(self) -> None:
        """Take every note off the screen and out of memory, then back up and close the
        notebook in the background (Ctrl+L)."""
        notebook = self.notebook
        self.checkpoint_timer.stop()
        self.backup_timer.stop()
        self.idle_timer.stop()
        self._close_dialogs()
        self.notebook_page.detach()
        self.clipboard_guard.clear_now()
        self._set_notebook_actions_enabled(False)
        self._chore(notebook, "lock", then_close=True)
        self.stack.setCurrentWidget(self.unlock_page)
        self.unlock_page.passphrase.setFocus()

    def _close_dialogs(self) -> None:
        """Dialogs showing notes (concern, settings) close with the lock."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()

    def open_export(self) -> None:
        notebook = self.notebook
        if notebook is None:
            return
        self.notebook_page.flush()
        from counsellor_app.gui.exchange import ExportDialog  # loaded on first use

        dialog = ExportDialog(notebook, self, settings=AppSettings.load())
        dialog.open_case_requested.connect(self.notebook_page.show_case_id)
        dialog.show()  # not modal: a note can be fixed in the window, then exported
        self.export_dialog = dialog

    def save_case_summary(self) -> None:
        """A de-identified summary of the case shown, for a mentor or supervision."""
        notebook, case_id = self.notebook, self.notebook_page.case_view.case_id
        if notebook is None:
            return
        if case_id is None:
            self.statusBar().showMessage(_("Choose a case first."), 6000)
            return
        self.notebook_page.flush()
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save the case summary"), "", "PDF (*.pdf)"
        )
        if chosen:
            self.write_case_summary(case_id, Path(chosen))

    def write_case_summary(self, case_id: int, target: Path) -> bool:
        from counsellor_app.core.reports import write_case_summary  # reportlab: only now

        if self.notebook is None:
            return False
        try:
            write_case_summary(self.notebook, case_id, target)
        except UserError as error:
            QMessageBox.warning(self, _("Case summary"), str(error))
            return False
        self.statusBar().showMessage(_("Case summary written: {path}").format(path=target), 8000)
        return True

    def open_research_export(self) -> None:
        from counsellor_app.gui.research import ResearchExportDialog

        if self.notebook is not None:
            ResearchExportDialog(self.notebook, self).open()

    def open_public_key(self) -> None:
        from counsellor_app.gui.supervision import PublicKeyDialog

        if self.notebook is not None:
            PublicKeyDialog(self.notebook, self).open()

    def open_import(self) -> None:
        if self.notebook is None:
            return
        from counsellor_app.gui.supervision import ImportDialog

        dialog = ImportDialog(self.notebook, self)
        dialog.imported.connect(lambda _count: self._refresh_dashboard())
        dialog.open()

    def open_dashboard(self) -> None:
        if self.notebook is None:
            return
        from counsellor_app.gui.supervision import DashboardDialog

        self.dashboard_dialog = DashboardDialog(self.notebook, self)
        self.dashboard_dialog.show()

    def _refresh_dashboard(self) -> None:
        dialog = getattr(self, "dashboard_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.refresh()

    def open_settings(self) -> None:
        notebook = self.notebook
        if notebook is None:
            return
        dialog = SettingsDialog(notebook, AppSettings.load(), self)
        dialog.language_changed.connect(self.apply_language)
        dialog.accepted.connect(
            lambda: self.idle_timer.setInterval(notebook.auto_lock_minutes * 60_000)
        )
        dialog.open()
        self.settings_dialog = dialog

    def apply_language(self, language: str) -> None:
        """Switch the whole window to ``language`` without locking: the notes are saved,
        the pages made anew, and the same case shown again."""
        set_language(language)
        install_qt_translator(QApplication.instance(), language)
        notebook = self.notebook
        if notebook is not None:
            self.notebook_page.detach()
        unsaved = self.notebook_page.unsaved
        self._build()
        self.notebook_page.unsaved = unsaved
        if notebook is not None:
            self.on_unlocked(notebook)
        else:
            self.stack.setCurrentWidget(self.unlock_page)

    def show_shortcuts(self) -> None:
        rows = [
            (
                action.text().replace("&", ""),
                action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
            )
            for menu in self.menuBar().findChildren(QMenu)
            for action in menu.actions()
            if not action.isSeparator() and action.isVisible()
        ]
        rows += [
            (_("Go to step 1–4 of the call"), "Ctrl+1 … Ctrl+4"),
            (_("Replace the marked identifier with a placeholder"), "Ctrl+Shift+R"),
        ]
        text = "\n".join(f"{keys}\t{name}" for name, keys in rows)
        QMessageBox.information(self, _("Keyboard shortcuts"), text)

    def closeEvent(self, event: QCloseEvent) -> None:
        page = self.notebook_page
        page.end_call()
        if not page.retry_unsaved() and not self._may_drop_unsaved():
            event.ignore()
            return
        self.lock()
        self.chores.waitForDone()
        super().closeEvent(event)

    def _may_drop_unsaved(self) -> bool:
        """Text the disk refused is still in memory: quitting would lose it, so ask."""
        answer = QMessageBox.warning(
            self,
            _("Unsaved text"),
            _(
                "Some note text could not be saved, because the disk refused it. If you "
                "quit now, that text is lost. Free some space or reconnect the drive, and "
                "it is saved within half a minute. Quit anyway?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def install_qt_translator(app: QCoreApplication, language: str) -> None:
    """Qt's own texts (buttons of standard dialogs, context menus) in ``language``."""
    global _qt_translator
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if language == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _qt_translator = translator
    else:
        log.warning("Qt's own translations for %s were not found", language)


_qt_translator: QTranslator | None = None


def ensure_demo_notebook(path: Path) -> None:
    """Make the demo notebook on first use (200 synthetic cases)."""
    if path.exists():
        return
    from counsellor_app.core.demo import fill_demo

    notebook, _recovery = Notebook.create(path, DEMO_PASSPHRASE)
    with notebook:
        fill_demo(notebook, 200, seed=7)


def run_gui(demo: bool = False, notebook: Path | None = None, language: str | None = None) -> int:
    """Open the window; returns the application's exit status."""
    settings = AppSettings.load()
    set_language(language or settings.language)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Counsellor's Notebook")
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("counsellor-app")
    install_qt_translator(app, current_language())
    if demo:
        path = demo_notebook_path()
        try:
            ensure_demo_notebook(path)
        except UserError as error:
            QMessageBox.critical(None, _("Counsellor's Notebook"), str(error))
            return 1
    else:
        path = notebook or Path(settings.last_notebook or default_notebook_path())
        if not path.exists():
            dialog = CreateNotebookDialog(path)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.notebook is None:
                return 0
            dialog.notebook.close()
        settings.last_notebook = str(path)
        try:
            settings.save()
        except UserError:
            log.warning("settings could not be saved")
    window = MainWindow(path, demo=demo)
    window.show()
    return int(app.exec())
