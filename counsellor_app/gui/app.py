"""The main window: unlock, the notebook, locking (on demand, when idle, with the
screen), housekeeping, and starting the app."""

from __future__ import annotations

import gc
import logging
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QObject,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from counsellor_app import __version__
from counsellor_app.core.domain import Role
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, current_language, set_language
from counsellor_app.core.paths import default_notebook_path, demo_notebook_path
from counsellor_app.core.settings import AppSettings
from counsellor_app.gui.about import app_icon, show_about
from counsellor_app.gui.clipboard import ClipboardGuard, release_clipboard
from counsellor_app.gui.dialog_history import keep_file_dialogs_from_remembering
from counsellor_app.gui.mentoring_menu import MentoringMenu
from counsellor_app.gui.native import CaptureShield
from counsellor_app.gui.session import SessionWatcher
from counsellor_app.gui.tasks import Lane, Task, TaskRunner, run_on_lane_threads, shutdown_lanes
from counsellor_app.gui.unlock import DEMO_PASSPHRASE, CreateNotebookDialog, UnlockPage
from counsellor_app.gui.widgets import choose_save_path, with_suffix

if TYPE_CHECKING:  # the notebook's code loads after the unlock window shows
    from PySide6.QtWidgets import QStyle, QStyleHintReturn, QStyleOption

    from counsellor_app.core.store import Notebook
    from counsellor_app.gui.dashboard import DashboardFilters
    from counsellor_app.gui.notebook_page import NotebookPage

log = logging.getLogger(__name__)

__all__ = ["DEMO_PASSPHRASE", "MainWindow", "run_gui", "start_window"]


def _still_central_style(owner: QObject) -> QStyle:
    """The central widget's style: the application's, except that the main window's
    layout moves it without an animation (one of 0 ms, which it runs whenever the window
    is laid out, since the style animates widgets).

    That animation's timer is a Qt-internal class: the first time one of its events passes
    a Python event filter (the window's own, on the application), PySide looks through
    every Qt class it knows for the closest one and builds them all, with their enums
    (some 130): a fifth of what the app added to a bare window's start-up, before the
    unlock window was painted. Set on the stack only (a widget's style does not pass to
    its children); the stack draws nothing itself.
    """
    from PySide6.QtWidgets import QProxyStyle, QStyle

    class StillStyle(QProxyStyle):
        def styleHint(
            self,
            hint: QStyle.StyleHint,
            option: QStyleOption | None = None,
            widget: QWidget | None = None,
            returnData: QStyleHintReturn | None = None,
        ) -> int:
            if hint == QStyle.StyleHint.SH_Widget_Animation_Duration:
                return 0
            return super().styleHint(hint, option, widget, returnData)

    style = StillStyle()  # the application's style, made for it alone
    style.setParent(owner)
    return style


def forget_notes_in_memory() -> None:
    """After a lock, once the notebook is closed: drop the anonymity engine's memos of
    the words it saw, let the lanes' last work end and its results (a scan's copy of the
    text) be delivered and dropped, then overwrite the freed memory that still holds note
    text (:func:`_scrub_after_lock`)."""
    from counsellor_app.core.anonymity.paragraphs import forget_seen_words

    forget_seen_words()
    re.purge()  # the compiled patterns' cache: a pattern of a text's names holds them
    run_on_lane_threads(lambda: None)  # what each lane took before the lock has ended
    # Its results are queued to this thread: delivered (and dropped, the notebook being
    # closed) before the zero timer's turn comes.
    QTimer.singleShot(0, _scrub_after_lock)


#: When the lock's scrub runs a second time, for what work in flight at the first one
#: (a lane's last task, Qt's deferred deletions) freed after it.
SCRUB_AGAIN_MS = 1500


def _scrub_after_lock(again: bool = True) -> None:
    """Overwrite the freed memory that still holds note text (the editors' documents,
    Python's strings), on the UI thread, whose C allocator cache holds Qt's freed text,
    and on each lane's threads (core.hardening.scrub_freed_memory); once more a moment
    later (``again``)."""
    from counsellor_app.core.hardening import scrub_freed_memory, scrub_thread_cache

    # The widgets the lock deleted later (the call's editors, with their guards' copies
    # of the text) are deleted now, before the scrub, not after it.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Garbage in reference cycles (a scan's closure, the page's widgets) is collected
    # first. The guard scans, the autosave writes and the searches run on the lanes'
    # threads: their caches too.
    done = scrub_freed_memory(other_threads=lambda: run_on_lane_threads(scrub_thread_cache))
    log.info("freed memory overwritten after the lock: %s", done)
    if again:
        QTimer.singleShot(SCRUB_AGAIN_MS, lambda: _scrub_after_lock(again=False))


#: How long after the window shows the word lists start loading (after its first paint:
#: the start-up is the unlock window's, tests/e2e/test_startup_imports.py).
WORD_LISTS_AFTER_MS = 400


class MainWindow(QMainWindow):
    """Unlock page and notebook page in one window; every action is in the menus with its
    shortcut, so it can be found by a screen reader and by someone who forgot the key."""

    def __init__(self, path: Path, demo: bool = False) -> None:
        super().__init__()
        keep_file_dialogs_from_remembering()
        self.path, self.demo = path, demo
        #: The dashboard's filters while the notebook is open (DashboardFilters; None: the
        #: defaults), so that it opens again as it was left.
        self.dashboard_filters: DashboardFilters | None = None
        screen = QApplication.primaryScreen().availableGeometry()
        self.resize(*window_size(screen.width(), screen.height(), AppSettings.load().window_size))
        self.stack = QStackedWidget()
        self.stack.setStyle(_still_central_style(self.stack))
        self.setCentralWidget(self.stack)
        # Chores (WAL checkpoints, backups, closing) run on the task runner's notebook
        # lane, never on the UI thread: one thread, so they run in order and never two at
        # once, and an unlock (on the same lane) opens only after the last close.
        self.chores = TaskRunner(self, Lane.NOTEBOOK)
        self._word_lists_asked = False
        self.checkpoint_timer = QTimer(self, interval=30_000)
        self.checkpoint_timer.timeout.connect(self.checkpoint)
        self.backup_timer = QTimer(self, interval=3600 * 1000)
        self.backup_timer.timeout.connect(self.daily_backup)
        self._unreached_message = ""  # the status bar's, after an hourly purge
        self.clipboard_guard = ClipboardGuard(QApplication.clipboard(), parent=self)
        # Auto-lock: any key or mouse input in the app restarts the idle timer; the
        # session watcher locks when the screen locks or the computer sleeps.
        self.idle_timer = QTimer(self, singleShot=True)
        self.idle_timer.timeout.connect(self.lock)
        self.session_watcher = SessionWatcher(self)
        self.session_watcher.lock_requested.connect(self.lock_for)
        # Windows and macOS: every window of the app left out of screen captures (a
        # setting, on by default); set as each window shows, before it is painted.
        self.capture_shield = CaptureShield(AppSettings.load().hide_from_screen_capture)
        app = QApplication.instance()
        assert app is not None  # the window is made inside a running application
        app.installEventFilter(self)
        self.unlock_page: UnlockPage
        self._notebook_page: NotebookPage | None = None
        self._build()

    def _build(self) -> None:
        """Make the pages and menus in the current language (again after a switch)."""
        for old in (getattr(self, "unlock_page", None), self._notebook_page):
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
        self._notebook_page = None
        self.setWindowTitle(_("Counsellor's Notebook") + f" {__version__}")
        self.unlock_page = UnlockPage(self.path, self.demo)
        self.stack.addWidget(self.unlock_page)
        self.unlock_page.unlocked.connect(self.on_unlocked)
        self.unlock_page.notebook_chosen.connect(self.on_notebook_chosen)
        # The notebook page is made while the key is derived (or on first use), not
        # before the unlock window shows: its code is most of the app's.
        self.unlock_page.opening.connect(self._make_notebook_page_soon)
        self._build_menus()

    @property
    def notebook_page(self) -> NotebookPage:
        """The page of the unlocked notebook (made on first use)."""
        if self._notebook_page is None:
            from counsellor_app.gui.notebook_page import NotebookPage

            self._notebook_page = NotebookPage()
            self.stack.addWidget(self._notebook_page)
        return self._notebook_page

    def _make_notebook_page_soon(self) -> None:
        # After the "Unlocking…" the click caused is painted, while Argon2 runs.
        QTimer.singleShot(0, lambda: self.notebook_page)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
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
            action.triggered.connect(lambda _checked=False: slot())
            menu.addAction(action)
            self.notebook_actions.append(action)
            return action

        add(call_menu, _("&New call"), "Ctrl+N", lambda: self.notebook_page.new_call())
        add(
            call_menu,
            _("New conversation on the &selected case"),
            "Ctrl+Shift+N",
            lambda: self.notebook_page.call_on_selected(),
        )
        add(call_menu, _("&End call"), "Ctrl+E", lambda: self.notebook_page.end_call())
        add(
            call_menu,
            _("&Discard this empty call"),
            "",
            lambda: self.notebook_page.discard_call(),
        )
        add(
            call_menu,
            _("Record a &concern…"),
            "Ctrl+K",
            lambda: self.notebook_page.record_concern(),
        )
        call_menu.addSeparator()
        add(
            call_menu,
            _("Add an &alliance…"),
            "Ctrl+Shift+A",
            lambda: self.notebook_page.add_alliance(),
        )
        add(
            call_menu,
            _("Alliance from the help &directory…"),
            "Ctrl+Shift+D",
            lambda: self.notebook_page.add_alliance_from_directory(),
        )
        add(
            call_menu,
            _("Add a &follow-up…"),
            "Ctrl+Shift+O",
            lambda: self.notebook_page.add_follow_up(),
        )
        add(
            notebook_menu,
            _("&Find"),
            QKeySequence.StandardKey.Find,
            lambda: self.notebook_page.focus_search(),
        )
        add(
            notebook_menu,
            _("Follow-up &agenda"),
            "Ctrl+G",
            lambda: self.notebook_page.focus_agenda(),
        )
        notebook_menu.addSeparator()
        add(notebook_menu, _("&Settings…"), "Ctrl+,", self.open_settings)
        add(notebook_menu, _("&Words kept as no identifier…"), "", self.open_kept_words)
        self.back_up_action = add(
            notebook_menu, _("&Back up now"), "Ctrl+Shift+B", self.back_up_now
        )
        add(notebook_menu, _("&Change passphrase…"), "", self.change_passphrase)
        add(notebook_menu, _("New &recovery key…"), "", self.new_recovery_key)
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
        self.key_card_action = add(
            notebook_menu, _("&Key card for the supervisor…"), "", self.save_key_card
        )
        supervision = self.supervision_menu
        # The cases first: where a supervisor starts (it also opens at unlock).
        add(supervision, _("Received &cases…"), "Ctrl+Shift+C", self.open_received_cases)
        add(supervision, _("&Public key for the counsellors…"), "", self.open_public_key)
        add(supervision, _("&Import summary bundles…"), "Ctrl+I", self.open_import)
        add(supervision, _("Import hi&story…"), "", self.open_import_history)
        add(supervision, _("&Enrol a counsellor's key card…"), "", self.enrol_key_card)
        add(supervision, _("&Dashboard…"), "Ctrl+D", self.open_dashboard)
        # Its mnemonic differs from the dashboard button's: "&Overblik…" is in this menu.
        add(supervision, _("O&verview per counsellor…"), "Ctrl+Shift+K", self.open_counsellors)
        add(supervision, _("&Research export…"), "", self.open_research_export)
        add(supervision, _("&Help directory…"), "", self.open_directory)
        # A counsellor keeps their own entries beside the supervisor's.
        self.own_directory_action = add(
            notebook_menu, _("&Help directory…"), "", self.open_directory
        )
        notebook_menu.addSeparator()
        lock = QAction(_("&Lock"), self, shortcut=QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        notebook_menu.addAction(lock)
        quit_action = QAction(
            _("&Quit"), self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit)
        )
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
        self.key_card_action.setVisible(not supervisor)
        self.case_summary_action.setVisible(not supervisor)
        self.own_directory_action.setVisible(not supervisor)
        self.supervision_menu.menuAction().setVisible(supervisor)
        self.mentoring.set_notebook(self.notebook)

    _INPUT_EVENTS = (
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    )

    #: The call's keys. A line edit claims some for itself where the platform has Emacs
    #: bindings (Ctrl+E: end of line, Ctrl+K: delete to the end); during a call they are
    #: the call's, wherever the focus is.
    _CALL_KEYS = frozenset(
        (Qt.Key.Key_E, Qt.Key.Key_K, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)
    )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start()
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self.capture_shield.apply(watched)
        # Not overridden by the widget during a call: the window's shortcut fires.
        return (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and event.key() in self._CALL_KEYS
            and self._notebook_page is not None
            and self._notebook_page.call_in_progress()
            and isinstance(watched, QWidget)
            and watched.window() is self
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.session_watcher.watch_window(int(self.winId()))
        if not self._word_lists_asked:
            self._word_lists_asked = True
            QTimer.singleShot(WORD_LISTS_AFTER_MS, self._load_word_lists)

    def _load_word_lists(self) -> None:
        """Load the anonymity guard's word lists while the unlock page waits (off this
        thread), then set them aside from the garbage collector (:func:`_set_aside`)."""
        from counsellor_app.core.anonymity import warm_up  # not before the window shows

        TaskRunner(self, Lane.COMPUTE).run(
            lambda _task: warm_up(), success=lambda _none: self._set_aside()
        )

    def _set_aside(self) -> None:
        """Freeze what the program holds for its whole life (``gc.freeze``): the word
        lists are sets of some million words, and every full collection of Python's garbage
        walked them, which held the window (and the key being typed) for 70-120 ms now and
        then. Only while nothing of a notebook or a passphrase is in Python's objects: on
        the unlock page, before an unlock began (frozen objects are never freed)."""
        if self.notebook is None and not self.unlock_page.busy():
            gc.collect()  # the garbage there is now is freed first, not frozen
            gc.freeze()

    @property
    def notebook(self) -> Notebook | None:
        page = self._notebook_page
        return page.notebook if page is not None else None

    def on_notebook_chosen(self, path: Path) -> None:
        """Another notebook was chosen on the unlock page: it is the one opened from now
        on, also at the next start."""
        self.path, self.demo = path, False
        remember_notebook(path)

    def on_unlocked(self, notebook: Notebook) -> None:
        self.dashboard_filters = None  # a new unlock: the dashboard's defaults
        self.notebook_page.attach(notebook)
        self.stack.setCurrentWidget(self.notebook_page)
        self._set_notebook_actions_enabled(True)
        self.checkpoint_timer.start()
        self.backup_timer.start()
        self.idle_timer.setInterval(notebook.auto_lock_minutes * 60_000)
        self.idle_timer.start()
        self.unlock_page.set_call_waiting(False)
        self._chore(notebook, "search")  # the search's index of the top of the list
        self._after_secrets_and_purge(notebook)
        if not self.notebook_page.call_in_progress():  # else the call is taken up again
            self.notebook_page.focus_search()
        if notebook.role is Role.SUPERVISOR:
            self.settle_old_imports(notebook)
            # A supervisor has no cases of their own: the received ones are what they
            # look at first.
            QTimer.singleShot(0, lambda: self.open_received_cases(activate=False))

    def settle_old_imports(self, notebook: Notebook) -> None:
        """Store de-identified the texts an older version imported before imports were
        scanned, a batch per task on the notebook lane (the window's other writes go
        between them), until none is left or the notebook is locked. What is not yet
        stored so is settled as it is read (:func:`~counsellor_app.core.supervision.
        imported_cases`), so no exit waits for this."""
        from counsellor_app.core.case_index import settle_keeping_index

        def settle(_task: Task[int]) -> int:
            return settle_keeping_index(notebook)

        def settled(count: int) -> None:
            if count and self.notebook is notebook:
                self.settle_old_imports(notebook)

        # A failure (the notebook locked meanwhile, a full disk) leaves the rest for the
        # next unlock; the runner logs a bug.
        self.chores.run(settle, success=settled, failure=lambda _sentence: None, key="old_imports")

    def _after_secrets_and_purge(self, notebook: Notebook) -> None:
        """At unlock: after a reset with the recovery key, offer to re-encrypt or delete
        the backups made before it (they still open with the forgotten passphrase);
        and say which backup folders the last retention purge could not reach."""
        from counsellor_app.gui import rekey

        recovery_key = self.unlock_page.take_reset_key(notebook.path)
        if recovery_key:
            from counsellor_app.core.keys import RECOVERY_SLOT

            rekey.offer_older_backups(self, notebook, self.chores, RECOVERY_SLOT, recovery_key)
        else:
            rekey.show_unreached_backup_folders(self, notebook, self.chores)

    def _chore(self, notebook: Notebook | None, job: str, then_close: bool = False) -> None:
        """Run a chore on the notebook off the UI thread; a failure is logged, never shown
        as a crash (the notes themselves are already saved)."""
        if notebook is None:
            return

        def run(_task: Task[list[Path]]) -> list[Path]:
            try:
                if job == "search":
                    notebook.prepare_search()
                elif job == "checkpoint":
                    notebook.tidy_index()
                    notebook.checkpoint()
                elif job in ("backup", "lock"):
                    # Retention first (cheap when none is due): closed cases past the
                    # period lose their text, at every lock and hourly, so also in a
                    # window left unlocked for weeks. Then a backup when one is due.
                    notebook.purge()
                    notebook.backup_if_due()
                    return notebook.unreached_backup_folders
            except UserError as error:
                log.warning("%s failed: %s", job, type(error).__name__)
            finally:
                if then_close:
                    notebook.close()
            return []

        def purged(unreached: list[Path]) -> None:
            # The lock's purge is told at the next unlock (rekey.show_unreached_...).
            if job == "backup" and self.notebook is notebook:
                self.show_unreached_backup_folders(unreached)
            elif job == "lock" and self.notebook is None:
                forget_notes_in_memory()

        self.chores.run(run, success=purged)

    def show_unreached_backup_folders(self, folders: list[Path]) -> None:
        """After a purge in an unlocked window (hourly): say in the status bar which
        backup folders it could not reach, as the unlock does; take it back once
        every folder was reached."""
        from counsellor_app.gui.rekey import unreached_folders_sentence

        bar = self.statusBar()
        if folders:
            self._unreached_message = unreached_folders_sentence(folders)
            bar.showMessage(self._unreached_message)
        elif self._unreached_message:
            if bar.currentMessage() == self._unreached_message:
                bar.clearMessage()
            self._unreached_message = ""

    def checkpoint(self) -> None:
        if self._notebook_page is not None:
            self._notebook_page.retry_unsaved()
            self._notebook_page.save_call_length()
        self._chore(self.notebook, "checkpoint")

    def daily_backup(self) -> None:
        self._chore(self.notebook, "backup")

    def back_up_now(self) -> None:
        notebook = self.notebook
        if notebook is None:
            return
        self.notebook_page.flush()
        if not self.back_up_action.isEnabled():
            return  # one is under way
        self.back_up_action.setEnabled(False)
        self.statusBar().showMessage(_("Backing up…"))

        def back_up(_task: Task[Path]) -> Path:
            return notebook.backup()

        def done() -> None:
            self.statusBar().clearMessage()
            self.back_up_action.setEnabled(self.notebook is not None)

        def written(made: Path) -> None:
            done()
            self.statusBar().showMessage(_("Backed up to {file}").format(file=made), 8000)

        def failed(sentence: str) -> None:
            done()
            QMessageBox.warning(self, _("Back up now"), sentence)

        self.chores.run(back_up, success=written, failure=failed)

    def new_recovery_key(self) -> None:
        """Notebook → New recovery key: the old one stops working (gui/rekey.py)."""
        if self.notebook is None:
            return
        self.notebook_page.flush()
        from counsellor_app.gui.rekey import make_new_recovery_key

        make_new_recovery_key(self, self.notebook, self.chores)

    def change_passphrase(self) -> None:
        """Notebook → Change passphrase: the old one stops working (gui/rekey.py)."""
        if self.notebook is None:
            return
        self.notebook_page.flush()
        from counsellor_app.gui.rekey import ChangePassphraseDialog

        self.change_passphrase_dialog = ChangePassphraseDialog(self.notebook, self.chores, self)
        self.change_passphrase_dialog.open()

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
        if self._notebook_page is not None:
            self._notebook_page.detach()
        # A call in progress is not ended by a lock: it waits, and the lock screen says so.
        self.unlock_page.set_call_waiting(
            self._notebook_page is not None and self._notebook_page.paused_call is not None
        )
        self.clipboard_guard.clear_now()
        from counsellor_app.gui.scan_service import stop_scan_process

        stop_scan_process()  # the texts it scanned go with its memory
        self._set_notebook_actions_enabled(False)
        self._chore(notebook, "lock", then_close=True)
        self.stack.setCurrentWidget(self.unlock_page)
        self.unlock_page.passphrase.setFocus()

    def _close_dialogs(self) -> None:
        """Dialogs showing notes (concern, settings) close with the lock."""
        for dialog in self.findChildren(QDialog):
            # A form shown inside the call is the call's: it is kept with it (detach).
            if dialog.isVisible() and dialog.isWindow():
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
        from counsellor_app.core.reports import own_case_ref

        # The reference the PDF shows, never the case code (which the parent knows).
        ref = own_case_ref(notebook, case_id)
        chosen = choose_save_path(
            self,
            _("Save the case summary"),
            _("case-summary") + f"-{ref[:8]}.pdf",
            _("PDF documents (*.pdf)"),
        )
        if chosen:
            self.write_case_summary(case_id, with_suffix(chosen, ".pdf"))

    def write_case_summary(self, case_id: int, target: Path) -> bool:
        """Write the case summary PDF to ``target`` on the notebook lane (the menu item is
        disabled and the status bar says so meanwhile); False if nothing was started."""
        from counsellor_app.core.reports import write_case_summary  # reportlab: only now

        notebook = self.notebook
        if notebook is None or not self.case_summary_action.isEnabled():
            return False  # locked, or one is under way

        def write(_task: Task[Path]) -> Path:
            write_case_summary(notebook, case_id, target)
            return target

        def done() -> None:
            self.statusBar().clearMessage()
            self.case_summary_action.setEnabled(self.notebook is not None)

        def written(path: Path) -> None:
            done()
            self.statusBar().showMessage(_("Case summary written: {path}").format(path=path), 8000)

        def failed(sentence: str) -> None:
            done()
            QMessageBox.warning(self, _("Case summary"), sentence)

        self.case_summary_action.setEnabled(False)
        self.statusBar().showMessage(_("Writing the case summary…"))
        self.chores.run(write, success=written, failure=failed)
        return True

    def open_research_export(self) -> None:
        from counsellor_app.gui.research import ResearchExportDialog

        if self.notebook is not None:
            ResearchExportDialog(self.notebook, self).open()

    def open_directory(self) -> None:
        """The help directory's window (Supervision menu; a counsellor's Notebook menu)."""
        from counsellor_app.gui.directory import DirectoryWindow

        if self.notebook is not None:
            self.directory_window = DirectoryWindow(self.notebook, self)
            self.directory_window.open()

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

    def open_import_history(self) -> None:
        if self.notebook is None:
            return
        from counsellor_app.gui.supervision import ImportHistoryDialog

        dialog = ImportHistoryDialog(self.notebook, self)
        dialog.withdrawn.connect(self._refresh_dashboard)
        dialog.open()

    def enrol_key_card(self) -> None:
        if self.notebook is None:
            return
        from counsellor_app.gui.supervision import choose_and_enrol_key_card

        sentence = choose_and_enrol_key_card(self, self.notebook)
        if sentence:
            self.statusBar().showMessage(sentence)

    def save_key_card(self) -> bool:
        """Write this notebook's key card (for the supervisor to enrol) where chosen."""
        if self.notebook is None:
            return False
        from counsellor_app.core.exchange import own_key_card
        from counsellor_app.core.exchange.signing import KEY_CARD_SUFFIX
        from counsellor_app.core.safefile import atomic_write_bytes
        from counsellor_app.gui.widgets import choose_save_path

        path = choose_save_path(
            self,
            _("Key card for the supervisor"),
            _("key-card") + KEY_CARD_SUFFIX,
            _("Key cards (*{suffix})").format(suffix=KEY_CARD_SUFFIX),
        )
        if path is None:
            return False
        try:
            atomic_write_bytes(path, own_key_card(self.notebook).encode("utf-8"))
        except OSError as error:
            QMessageBox.warning(self, _("Key card for the supervisor"), str(error))
            return False
        self.statusBar().showMessage(
            _("The key card was written to {path}; give it to your supervisor.").format(path=path)
        )
        return True

    def open_dashboard(self) -> None:
        if self.notebook is None:
            return
        from counsellor_app.gui.dashboard import DashboardDialog

        # The filters as they were left, while this notebook stays open.
        self.dashboard_dialog = DashboardDialog(self.notebook, self, filters=self.dashboard_filters)
        self.dashboard_dialog.dashboard.filters_changed.connect(self._keep_dashboard_filters)
        from counsellor_app.gui.received_cases import connect_dashboard

        # A bar, a cell or a row of the dashboard opens the cases behind it.
        connect_dashboard(self.dashboard_dialog.dashboard, self.open_received_cases)
        self.dashboard_dialog.show()

    def open_counsellors(self) -> None:
        """The overview per counsellor (Supervision menu), for the dashboard's period and
        counsellor as last left while this notebook is open, else the dashboard's defaults."""
        if self.notebook is None:
            return
        from counsellor_app.gui.dashboard import DashboardFilters
        from counsellor_app.gui.oversight import CounsellorsDialog
        from counsellor_app.gui.received_cases import case_filter_of

        filters = self.dashboard_filters or DashboardFilters.defaults()
        dialog = CounsellorsDialog(
            self.notebook,
            self,
            period=(filters.period_from, filters.period_to),
            counsellor=filters.counsellor,
        )
        dialog.connect_case_list(lambda asked: self.open_received_cases(case_filter_of(asked)))
        dialog.show()
        self.counsellors_dialog = dialog

    def open_received_cases(self, case_filter: object = None, *, activate: bool = True) -> None:
        """The supervisor's list of imported cases (one window, brought to the front),
        filtered to ``case_filter`` (a :class:`~counsellor_app.core.received_cases.CaseFilter`)
        when given; without ``activate`` it opens beside the main window, which keeps the
        keyboard (at unlock)."""
        if self.notebook is None:
            return
        from counsellor_app.core.received_cases import CaseFilter
        from counsellor_app.gui.received_cases import ReceivedCasesWindow

        window = getattr(self, "received_cases_window", None)
        if window is None or not window.isVisible():
            window = ReceivedCasesWindow(self.notebook, self)
            self.received_cases_window = window
        if isinstance(case_filter, CaseFilter):
            window.show_filter(case_filter)
        window.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
        window.show()
        if activate:
            window.raise_()
            window.activateWindow()
        else:  # a platform that activates a new window anyway: the keyboard stays here
            self.activateWindow()

    def _keep_dashboard_filters(self, filters: DashboardFilters) -> None:
        self.dashboard_filters = filters

    def _refresh_dashboard(self) -> None:
        dialog = getattr(self, "dashboard_dialog", None)
        if dialog is not None and dialog.isVisible():
            dialog.refresh()
        counsellors = getattr(self, "counsellors_dialog", None)
        if counsellors is not None and counsellors.isVisible():
            counsellors.refresh()
        # The received cases too: an import or a withdrawal changed them.
        cases = getattr(self, "received_cases_window", None)
        if cases is not None and cases.isVisible():
            cases.refresh()

    def open_kept_words(self) -> None:
        """The words this notebook keeps as no identifier, to forget one."""
        if self.notebook is None:
            return
        from counsellor_app.gui.kept_words import KeptWordsDialog

        dialog = KeptWordsDialog(self.notebook, self)
        dialog.open()
        self.kept_words_dialog = dialog

    def open_settings(self) -> None:
        notebook = self.notebook
        if notebook is None:
            return
        from counsellor_app.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(notebook, AppSettings.load(), self)
        dialog.language_changed.connect(self.apply_language)
        dialog.capture_changed.connect(self.capture_shield.set_excluded)
        dialog.accepted.connect(
            lambda: self.idle_timer.setInterval(notebook.auto_lock_minutes * 60_000)
        )
        dialog.open()
        self.settings_dialog = dialog

    def apply_language(self, language: str) -> None:
        """Switch the whole window to ``language`` without locking: the notes are saved,
        the pages made anew, and the same case shown again."""
        set_language(language)
        app = QApplication.instance()
        if app is not None:
            install_qt_translator(app, language)
        notebook, page = self.notebook, self._notebook_page
        shown = page.case_view.case_id if page is not None else None
        search = page.search.text() if page is not None else ""
        if page is not None and notebook is not None:
            page.detach()
        self._build()
        if page is not None and page.unsaved:
            self.notebook_page.unsaved = page.unsaved
        if page is not None and page.paused_call is not None:
            # The call goes on in the new language, its timer running.
            self.notebook_page.paused_call = page.paused_call
            self.notebook_page.paused_place = page.paused_place
            self.notebook_page.resume_running = True
        if notebook is not None:
            self.on_unlocked(notebook)
            self.notebook_page.search.setText(search)
            if shown is not None:
                self.notebook_page.show_case_id(shown)
        else:
            self.stack.setCurrentWidget(self.unlock_page)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action this notebook's user can use now that has keys:
        items of menus hidden for the role, disabled items and items without keys are
        left out, and so are the menu titles themselves."""
        rows: list[tuple[str, str]] = []

        def walk(menu: QMenu) -> None:
            for action in menu.actions():
                if action.isSeparator() or not action.isVisible():
                    continue
                sub = action.menu()
                if sub is not None:
                    if action.isEnabled() and isinstance(sub, QMenu):
                        walk(sub)
                    continue
                if action.isEnabled() and not action.shortcut().isEmpty():
                    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                    name = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                    rows.append((name, keys))

        for title in self.menuBar().actions():
            menu = title.menu()
            if title.isVisible() and title.isEnabled() and isinstance(menu, QMenu):
                walk(menu)
        if self.notebook is not None:  # keys of the call editor, which has no menu
            rows += [
                (_("Go to step 1–4 of the call"), "Ctrl+1 … Ctrl+4"),
                (_("Replace the marked identifier with a placeholder"), "Ctrl+Shift+R"),
                (_("Move the marked phone number into the call-back field"), "Ctrl+Shift+T"),
                (_("Replace the marked identifier everywhere in the note"), "Ctrl+Alt+R"),
                (_("Mark the marked word as no identifier in this notebook"), "Ctrl+Alt+I"),
            ]
        return rows

    def show_shortcuts(self) -> None:
        """F1: the keyboard shortcuts as a table of two columns, what and which keys."""
        # Here, not before the unlock window: each Qt class is built with its enums.
        from PySide6.QtWidgets import (
            QAbstractItemView,
            QDialogButtonBox,
            QHeaderView,
            QTableWidget,
            QTableWidgetItem,
            QVBoxLayout,
        )

        rows = self.shortcut_rows()
        dialog = QDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(_("Keyboard shortcuts"))
        layout = QVBoxLayout(dialog)
        table = QTableWidget(len(rows), 2, dialog)
        table.setObjectName("shortcutTable")
        table.setAccessibleName(_("Keyboard shortcuts"))
        table.setHorizontalHeaderLabels([_("Action"), _("Shortcut")])
        for row, (name, keys) in enumerate(rows):
            for column, text in enumerate((name, keys)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        # Every row and both columns in view when the screen has room for them.
        frame = 2 * table.frameWidth()
        width = table.columnWidth(0) + table.columnWidth(1) + frame + 48
        height = header.height() + sum(map(table.rowHeight, range(len(rows)))) + frame
        screen = self.screen().availableGeometry()
        table.setMinimumSize(
            min(width, int(screen.width() * 0.8)), min(height, int(screen.height() * 0.7))
        )
        self.shortcuts_dialog = dialog
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        page = self._notebook_page
        if page is not None:
            page.end_call()
        if page is not None and not page.retry_unsaved() and not self._may_drop_unsaved():
            event.ignore()
            return
        self.lock()
        self.chores.wait()  # the notebook is closed before the window goes
        self.remember_size()
        super().closeEvent(event)

    def remember_size(self) -> None:
        """Keep the window's size for the next start (not a maximised or full-screen one,
        which the next start would turn into a window as large as the screen)."""
        if self.isMaximized() or self.isFullScreen():
            return
        settings = AppSettings.load()
        size = f"{self.width()}x{self.height()}"
        if settings.window_size == size:
            return
        settings.window_size = size
        try:
            settings.save()
        except UserError:
            log.warning("the window size could not be saved")

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


#: The window's size at a first start, where the screen has room for it.
DEFAULT_WINDOW_SIZE = (1100, 720)


def window_size(screen_width: int, screen_height: int, remembered: str = "") -> tuple[int, int]:
    """The size the window opens at: the size it had when last closed (else the default),
    never larger than the screen's free area (a laptop at 1366×768, or at 200 % scaling,
    where Qt's screen is half as many of its own pixels), nor absurdly small."""
    width, height = DEFAULT_WINDOW_SIZE
    remembered_width, _x, remembered_height = remembered.partition("x")
    if remembered_width.isdigit() and remembered_height.isdigit():
        width, height = max(int(remembered_width), 480), max(int(remembered_height), 360)
    return min(width, int(screen_width * 0.95)), min(height, int(screen_height * 0.92))


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
    from counsellor_app.core.store import Notebook

    notebook, _recovery = Notebook.create(path, DEMO_PASSPHRASE)
    with notebook:
        fill_demo(notebook, 200, seed=7)


def remember_notebook(path: Path) -> None:
    """Open the notebook at ``path`` at the next start (a failure to save is logged: the
    notebook itself is not at stake)."""
    settings = AppSettings.load()
    # Absolute: a path given relative to the folder the app was started in would point
    # elsewhere at the next start.
    absolute = str(Path(path).expanduser().absolute())
    if settings.last_notebook == absolute:
        return  # the usual start: nothing to write (a durable write, before the window)
    settings.last_notebook = absolute
    try:
        settings.save()
    except UserError:
        log.warning("settings could not be saved")


def start_window(path: Path, demo: bool = False) -> MainWindow | None:
    """Show the window on the notebook at ``path``. On a first start (no notebook there
    yet) the notebook is made first and shown unlocked at once: it is open already, so
    the passphrase just chosen is not asked for again. Or an existing notebook (copied
    from another computer) is chosen instead, and unlocked as usual. None when the first
    start is cancelled."""
    created: Notebook | None = None
    if not demo:
        if not path.exists():
            dialog = CreateNotebookDialog(path)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            if dialog.notebook is not None:
                created = dialog.notebook
            elif dialog.existing is not None:
                path = dialog.existing
            else:
                return None
        remember_notebook(path)
    window = MainWindow(path, demo=demo)
    window.show()
    if created is not None:
        window.on_unlocked(created)
    return window


def run_gui(demo: bool = False, notebook: Path | None = None, language: str | None = None) -> int:
    """Open the window; returns the application's exit status."""
    settings = AppSettings.load()
    set_language(language or settings.language)
    app = QApplication.instance() or QApplication(sys.argv)
    QApplication.setApplicationName("Counsellor's Notebook")
    QApplication.setWindowIcon(app_icon())
    QApplication.setDesktopFileName("counsellor-app")
    install_qt_translator(app, current_language())
    keep_file_dialogs_from_remembering()  # before the first start's dialogs
    if demo:
        path = demo_notebook_path()
        try:
            ensure_demo_notebook(path)
        except UserError as error:
            QMessageBox.critical(None, _("Counsellor's Notebook"), str(error))
            return 1
    else:
        path = notebook or Path(settings.last_notebook or default_notebook_path())
    window = start_window(path, demo=demo)
    if window is None:
        return 0
    status = int(app.exec())
    # Before Python's teardown takes Qt apart: the workers end, the app's copies go.
    shutdown_lanes()
    release_clipboard()
    return status
