"""The first window: unlock (or create) a notebook, then find and read its cases.

The full desktop for a phone call (the four steps, autosave, agenda, concern) builds on
this; see the desktop issue.
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from babel.dates import format_date
from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsellor_app import __version__
from counsellor_app.core.domain import Role, Step, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, current_language, set_language
from counsellor_app.core.paths import default_notebook_path, demo_notebook_path
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import CaseSummary, Notebook, reset_passphrase
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.case_fields import CaseFieldsPanel
from counsellor_app.gui.clipboard import ClipboardGuard
from counsellor_app.gui.concern import ConcernDialog
from counsellor_app.gui.conversation import ConversationEditor

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo-demo-demo"
BATCH = 200


def passphrase_hint(passphrase: str) -> str:
    """A short strength hint: length and variety, said plainly."""
    kinds = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if len(passphrase) >= 20 or (words >= 4 and len(passphrase) >= 16):
        return _("Strong: a long passphrase.")
    if len(passphrase) >= 12 and kinds >= 3:
        return _("Fair. Longer is stronger: four or more ordinary words work well.")
    return _("Weak: use at least 12 characters, or better four or more words.")


class CaseListModel(QAbstractListModel):
    """Case codes and summaries, fetched lazily in batches: no widget per row."""

    def __init__(self, notebook: Notebook | None = None) -> None:
        super().__init__()
        self._notebook = notebook
        self._ids: list[int] = []
        self._rows: list[CaseSummary] = []

    def set_query(self, text: str) -> None:
        self.beginResetModel()
        self._ids = self._notebook.find_case_ids(text) if self._notebook else []
        # The first screenful comes at once; the rest as the view scrolls (fetchMore).
        self._rows = self._notebook.case_summaries(self._ids[:BATCH]) if self._notebook else []
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._notebook, self._ids, self._rows = None, [], []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and len(self._rows) < len(self._ids)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if self._notebook is None:
            return
        start = len(self._rows)
        batch = self._notebook.case_summaries(self._ids[start : start + BATCH])
        self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
        self._rows.extend(batch)
        self.endInsertRows()

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def total(self) -> int:
        return len(self._ids)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            themes = ", ".join(taxonomy().label("themes", t) for t in summary.themes[:2])
            return f"{summary.code}  ·  {label(summary.status)}  ·  {themes}"
        return None


class UnlockPage(QWidget):
    unlocked = Signal(object)

    def __init__(self, path: Path, demo: bool) -> None:
        super().__init__()
        self.path = path
        layout = QVBoxLayout(self)
        layout.addStretch()
        title = QLabel(_("Counsellor's Notebook"))
        title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(QLabel(str(path)), alignment=Qt.AlignmentFlag.AlignHCenter)
        if demo:
            hint = QLabel(_("Demo notebook. Its passphrase is: {p}").format(p=DEMO_PASSPHRASE))
            hint.setObjectName("demoHint")
            layout.addWidget(hint, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(_("Passphrase"))
        self.passphrase.setAccessibleName(_("Passphrase"))
        self.passphrase.setMinimumWidth(320)
        if demo:
            self.passphrase.setText(DEMO_PASSPHRASE)
        layout.addWidget(self.passphrase, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.unlock_button = QPushButton(_("Unlock"))
        self.unlock_button.setDefault(True)
        layout.addWidget(self.unlock_button, alignment=Qt.AlignmentFlag.AlignHCenter)
        forgot = QPushButton(_("Forgot passphrase? Use the recovery key"))
        forgot.setFlat(True)
        layout.addWidget(forgot, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self.unlock_button.clicked.connect(self.try_unlock)
        self.passphrase.returnPressed.connect(self.try_unlock)
        forgot.clicked.connect(self.recover)

    def try_unlock(self) -> None:
        try:
            notebook = Notebook.open(self.path, self.passphrase.text())
        except UserError as error:
            self.error.setText(str(error))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.error.clear()
        self.passphrase.clear()
        self.unlocked.emit(notebook)

    def recover(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(_("Set a new passphrase with the recovery key"))
        form = QFormLayout(dialog)
        key = QLineEdit()
        new = QLineEdit()
        new.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Recovery key"), key)
        form.addRow(_("New passphrase"), new)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form.addRow(buttons)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            reset_passphrase(self.path, key.text(), new.text())
        except UserError as error:
            self.error.setText(str(error))
            return
        self.error.setText(_("The passphrase was changed. Unlock with the new one."))


class CreateNotebookDialog(QDialog):
    """First start: choose a role and a passphrase; the recovery key is shown once."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.notebook: Notebook | None = None
        self.setWindowTitle(_("Create your notebook"))
        form = QFormLayout(self)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(label(role), role)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel(passphrase_hint(""))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form.addRow(_("Role"), self.role)
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Repeat passphrase"), self.repeat)
        form.addRow("", self.hint)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form.addRow(buttons)
        self.passphrase.textChanged.connect(lambda text: self.hint.setText(passphrase_hint(text)))
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)

    def create(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self.error.setText(_("The two passphrases differ."))
            return
        try:
            self.notebook, recovery_key = Notebook.create(
                self.path, self.passphrase.text(), Role(self.role.currentData())
            )
        except UserError as error:
            self.error.setText(str(error))
            return
        box = QMessageBox(self)
        box.setWindowTitle(_("Your recovery key"))
        box.setText(
            _(
                "Write this recovery key down and keep it somewhere safe. It is shown only "
                "now, and it is the only way into the notebook if the passphrase is "
                "forgotten."
            )
        )
        box.setInformativeText(recovery_key)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        kept = QCheckBox(_("I have kept the recovery key"))
        box.setCheckBox(kept)
        while True:
            box.exec()
            if kept.isChecked():
                break
        self.accept()


class NotebookPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.notebook: Notebook | None = None
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            _(
                "Search notes or a case code (Ctrl+F) · New call: Ctrl+N · Concern: Ctrl+K "
                "· End call: Ctrl+E"
            )
        )
        self.search.setAccessibleName(_("Search"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.count = QLabel()
        layout.addWidget(self.count)
        # The follow-up agenda: overdue, today, this week. Enter starts the follow-up call.
        self.agenda = QListWidget()
        self.agenda.setAccessibleName(_("Follow-up agenda"))
        self.agenda.setMaximumHeight(120)
        self.agenda.itemActivated.connect(
            lambda item: self.start_conversation(item.data(Qt.ItemDataRole.UserRole))
        )
        layout.addWidget(self.agenda)
        splitter = QSplitter()
        self.model = CaseListModel()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName(_("Cases"))
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(_("Case"))
        self.editor: ConversationEditor | None = None
        self.right = QStackedWidget()
        self.right.addWidget(self.detail)
        splitter.addWidget(self.list)
        splitter.addWidget(self.right)
        splitter.setSizes([320, 640])
        layout.addWidget(splitter, 1)
        self.search.textChanged.connect(self.refresh)
        # Enter (or a double click) on a case found by code or words: a new call on it.
        # Not `activated`: where the style activates on a single click (KDE), merely
        # selecting a case would start a call.
        self.list.doubleClicked.connect(self.call_on_case)
        for key in ("Return", "Enter"):
            QShortcut(
                QKeySequence(key),
                self.list,
                context=Qt.ShortcutContext.WidgetShortcut,
                activated=lambda: self.call_on_case(self.list.currentIndex()),
            )
        self.search.returnPressed.connect(self.list.setFocus)
        self.list.selectionModel().currentChanged.connect(self.show_case)

    def attach(self, notebook: Notebook) -> None:
        self.notebook = notebook
        self.model = CaseListModel(notebook)
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(self.show_case)
        self.refresh()
        self.refresh_agenda()

    def new_call(self) -> None:
        """A new case and its first conversation, the four steps open, the timer running
        (Ctrl+N)."""
        if self.notebook is None:
            return
        self.end_call()
        self.start_conversation(self.notebook.new_case().id)

    def call_on_case(self, index: QModelIndex) -> None:
        if index.isValid():
            self.start_conversation(self.model.summary(index.row()).id)

    def start_conversation(self, case_id: int) -> None:
        """Open a new conversation on a case, the four steps showing, the timer running."""
        if self.notebook is None:
            return
        self.end_call()
        case = self.notebook.case(case_id)
        conversation = self.notebook.new_conversation(case_id)
        self.editor = ConversationEditor(self.notebook, conversation.id)
        self.editor.call_case_code = case.code
        self.editor.save_failed.connect(self.count.setText)
        self.case_fields = CaseFieldsPanel(self.notebook, case_id, conversation.id)
        self.call_view = QSplitter()
        self.call_view.addWidget(self.editor)
        self.call_view.addWidget(self.case_fields)
        self.call_view.setSizes([640, 300])
        self.right.addWidget(self.call_view)
        self.right.setCurrentWidget(self.call_view)
        self.count.setText(_("Call in progress: case {code}").format(code=case.code))
        self.editor.start_call()
        self.editor.focus_step(Step.LISTEN)

    def record_concern(self) -> None:
        """Guidance and a record of the decision, for the case of the call (Ctrl+K)."""
        if self.notebook is None or self.editor is None:
            return
        case_id = self.notebook.conversation(self.editor.conversation_id).case_id
        self.editor.flush()
        dialog = ConcernDialog(self.notebook, case_id, self.editor.conversation_id, self)
        dialog.open()
        self.concern_dialog = dialog

    def end_call(self) -> None:
        """Stop the timer, keep the call's length, save every note (Ctrl+E)."""
        editor, self.editor = self.editor, None
        if editor is None:
            return
        seconds = editor.stop_call()
        editor.flush()
        if self.notebook is not None:
            self.notebook.set_duration(editor.conversation_id, seconds)
        editor.close()
        self.right.removeWidget(self.call_view)
        self.call_view.deleteLater()
        self.right.setCurrentWidget(self.detail)
        if self.notebook is not None:
            self.refresh()

    def detach(self) -> None:
        self.end_call()
        self.notebook = None
        self.agenda.clear()
        self.model.clear()
        self.detail.clear()
        self.search.clear()
        self.count.clear()

    def refresh(self) -> None:
        self.model.set_query(self.search.text())
        self.count.setText(_("{n} cases").format(n=self.model.total()))

    def refresh_agenda(self) -> None:
        """Open follow-ups that are overdue, due today or this week; the call-back number
        a parent left is shown here and nowhere else."""
        self.agenda.clear()
        if self.notebook is None:
            return
        titles = {"overdue": _("Overdue"), "today": _("Today"), "week": _("This week")}
        for bucket, items in self.notebook.agenda().items():
            for entry in items:
                follow_up = entry.follow_up
                parts = [
                    titles[bucket],
                    entry.case_code,
                    format_date(follow_up.due, format="d. MMM", locale=current_language()),
                ]
                if follow_up.counsellor_task:
                    parts.append(follow_up.counsellor_task[:60])
                phone = self.notebook.callback(follow_up.case_id)
                if phone:
                    parts.append(_("call back: {phone}").format(phone=phone))
                item = QListWidgetItem("  ·  ".join(parts))
                item.setData(Qt.ItemDataRole.UserRole, follow_up.case_id)
                self.agenda.addItem(item)
        self.agenda.setVisible(self.agenda.count() > 0)

    def show_case(self, index: QModelIndex) -> None:
        if self.notebook is None or not index.isValid():
            return
        summary = self.model.summary(index.row())
        case = self.notebook.case(summary.id)
        tax = taxonomy()
        parts = [f"<h2>{html.escape(case.code)}</h2>", f"<p>{html.escape(label(case.status))}"]
        if case.age_band:
            parts.append(" · " + html.escape(_("Age {band}").format(band=case.age_band.value)))
        parts.append("</p><p>")
        parts.append(html.escape(", ".join(tax.label("themes", t) for t in case.themes)))
        parts.append("</p>")
        for conversation in self.notebook.conversations(summary.id):
            stamp = conversation.started_at.astimezone().strftime("%d.%m.%Y %H:%M")
            parts.append(f"<h3>{html.escape(stamp)}</h3>")
            for step in Step:
                text = conversation.notes.get(step, "")
                if text:
                    parts.append(f"<p><b>{html.escape(label(step))}</b><br>{html.escape(text)}</p>")
        self.detail.setHtml("".join(parts))


class MainWindow(QMainWindow):
    def __init__(self, path: Path, demo: bool = False) -> None:
        super().__init__()
        self.setWindowTitle(_("Counsellor's Notebook") + f" {__version__}")
        self.resize(1000, 680)
        self.stack = QStackedWidget()
        self.unlock_page = UnlockPage(path, demo)
        self.notebook_page = NotebookPage()
        self.stack.addWidget(self.unlock_page)
        self.stack.addWidget(self.notebook_page)
        self.setCentralWidget(self.stack)
        self.unlock_page.unlocked.connect(self.on_unlocked)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.lock)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.notebook_page.new_call)
        QShortcut(QKeySequence("Ctrl+E"), self, activated=self.notebook_page.end_call)
        QShortcut(QKeySequence("Ctrl+G"), self, activated=self.notebook_page.agenda.setFocus)
        QShortcut(QKeySequence("Ctrl+K"), self, activated=self.notebook_page.record_concern)
        # Idle housekeeping: WAL checkpoints (kept out of autosaves) and the daily backup.
        self.checkpoint_timer = QTimer(self, interval=30_000, timeout=self.checkpoint)
        self.backup_timer = QTimer(self, interval=24 * 3600 * 1000, timeout=self.daily_backup)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.notebook_page.search.setFocus)
        self.clipboard_guard = ClipboardGuard(QApplication.clipboard(), parent=self)
        # Auto-lock: any key or mouse input in the app restarts the idle timer.
        self.idle_timer = QTimer(self, singleShot=True, timeout=self.lock)
        QApplication.instance().installEventFilter(self)

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

    @property
    def notebook(self) -> Notebook | None:
        return self.notebook_page.notebook

    def on_unlocked(self, notebook: Notebook) -> None:
        self.notebook_page.attach(notebook)
        self.stack.setCurrentWidget(self.notebook_page)
        self.checkpoint_timer.start()
        self.backup_timer.start()
        self.idle_timer.setInterval(notebook.auto_lock_minutes * 60_000)
        self.idle_timer.start()
        self.notebook_page.search.setFocus()

    @staticmethod
    def _housekeeping(notebook: Notebook | None, job: str) -> None:
        """Run a background chore on the notebook; a failure is logged, never shown as a
        crash (the notes themselves are already saved)."""
        if notebook is None:
            return
        try:
            if job == "checkpoint":
                notebook.checkpoint()
            else:
                notebook.backup_if_due()
        except UserError as error:
            log.warning("%s failed: %s", job, type(error).__name__)

    def checkpoint(self) -> None:
        self._housekeeping(self.notebook, "checkpoint")

    def daily_backup(self) -> None:
        self._housekeeping(self.notebook, "backup")

    def lock(self) -> None:
        """Close the notebook and clear everything it showed (Ctrl+L)."""
        notebook = self.notebook
        self.checkpoint_timer.stop()
        self.backup_timer.stop()
        self.idle_timer.stop()
        self.notebook_page.detach()
        self.clipboard_guard.clear_now()
        if notebook is not None:
            self._housekeeping(notebook, "backup")
            notebook.close()
        self.stack.setCurrentWidget(self.unlock_page)
        self.unlock_page.passphrase.setFocus()

    def closeEvent(self, event: object) -> None:
        self.lock()
        super().closeEvent(event)  # type: ignore[arg-type]


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
