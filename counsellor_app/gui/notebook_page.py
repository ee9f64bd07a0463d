"""The notebook once unlocked: search and filter the cases, the agenda, a case, a call."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import (
    Case,
    CaseStatus,
    Conversation,
    Role,
    Step,
    WellbeingLevel,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.search import CaseFilter, CaseMatches, CaseSummary
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.alliances import AlliancesPanel
from counsellor_app.gui.call_history import CallHistory
from counsellor_app.gui.case_fields import CaseFieldsPanel
from counsellor_app.gui.case_view import CaseView
from counsellor_app.gui.concern import ConcernDialog, ConcernPanel
from counsellor_app.gui.conversation import ConversationEditor
from counsellor_app.gui.drafts import DraftKeeper, embed_dialog
from counsellor_app.gui.follow_ups import FollowUpsPanel, due_text
from counsellor_app.gui.formatting import format_count
from counsellor_app.gui.tasks import TaskRunner
from counsellor_app.gui.widgets import show_error

#: Rows fetched at a time: a screenful and a bit (the list shows about 30).
BATCH = 64
#: The roles a case row answers: its label, and the label read aloud.
_ACCESSIBLE_ROLE = Qt.ItemDataRole.AccessibleTextRole.value
#: The tooltip has a row whole: a narrow list (a laptop's screen) elides its end.
_LABEL_ROLES = frozenset(
    {Qt.ItemDataRole.DisplayRole.value, _ACCESSIBLE_ROLE, Qt.ItemDataRole.ToolTipRole.value}
)


class CaseListModel(QAbstractListModel):
    """Case codes and summaries, fetched on demand in batches: no widget per row, and a
    keystroke in the search finds only the first screenful (``Notebook.search_cases``);
    the rest is found and fetched as the view scrolls (``fetchMore``), and counted when
    :meth:`total` is asked."""

    def __init__(self, notebook: Notebook | None = None) -> None:
        super().__init__()
        self._notebook = notebook
        self._matches: CaseMatches | None = None
        #: A case listed first whether it matches or not (the case of the call).
        self._pinned: int | None = None
        #: How many ids of the matches have been looked at for rows.
        self._next = 0
        self._rows: list[CaseSummary] = []
        self._labels: list[str] = []

    def set_query(
        self, text: str, case_filter: CaseFilter | None = None, pinned: int | None = None
    ) -> None:
        """The cases matching ``text`` and the filter; case ``pinned`` (the case of the call
        in progress) is listed whether it matches or not."""
        self.beginResetModel()
        notebook = self._notebook
        self._matches = notebook.search_cases(text, case_filter, BATCH) if notebook else None
        self._pinned, self._next = None, 0
        self._rows = self._load(BATCH)
        self._labels = [self._label(summary) for summary in self._rows]
        self.endResetModel()
        if pinned is not None:
            self.pin(pinned)

    def _load(self, count: int) -> list[CaseSummary]:
        """The summaries of the next ``count`` matches (finding more when needed)."""
        matches, notebook = self._matches, self._notebook
        if matches is None or notebook is None:
            return []
        if self._next + count > len(matches.ids) and not matches.complete:
            notebook.more_cases(matches)
        ids = [i for i in matches.ids[self._next : self._next + count] if i != self._pinned]
        self._next = min(self._next + count, len(matches.ids))
        return notebook.case_summaries(ids)

    @staticmethod
    def _label(summary: CaseSummary) -> str:
        themes = ", ".join(taxonomy().label("themes", t) for t in summary.themes[:2])
        text = f"{summary.code}  ·  {label(summary.status)}  ·  {themes}"
        # A case with signs of serious risk is marked where the counsellor looks first.
        return "⚠ " + text if summary.serious_risk else text

    def row_of(self, case_id: int) -> int:
        """The row of case ``case_id`` among the rows loaded, or -1."""
        return next((row for row, s in enumerate(self._rows) if s.id == case_id), -1)

    def pin(self, case_id: int) -> int:
        """The row of case ``case_id``, put first when it is not among the rows loaded (a
        new case, or one the search or filter leaves out); -1 without a notebook."""
        row = self.row_of(case_id)
        if row >= 0 or self._notebook is None:
            return row
        summaries = self._notebook.case_summaries([case_id])
        if not summaries:
            return -1
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._pinned = case_id  # further down, not fetched yet: it moves up
        self._rows.insert(0, summaries[0])
        self._labels.insert(0, self._label(summaries[0]))
        self.endInsertRows()
        return 0

    def clear(self) -> None:
        self.beginResetModel()
        self._notebook, self._matches, self._pinned = None, None, None
        self._next, self._rows, self._labels = 0, [], []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        matches = self._matches
        if parent.isValid() or matches is None:
            return False
        return self._next < len(matches.ids) or not matches.complete

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid():
            return
        start = len(self._rows)
        batch = self._load(BATCH)
        if not batch:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
        self._rows += batch
        self._labels += [self._label(summary) for summary in batch]
        self.endInsertRows()

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def counted(self) -> bool:
        """Whether :meth:`total` is known without finding every match first."""
        return self._matches is None or self._matches.countable

    def total(self) -> int:
        """How many cases the list holds, scrolled to its end (every match found)."""
        return self.counter()()

    @property
    def matches(self) -> CaseMatches | None:
        """The search the list shows (a new one at every :meth:`set_query`)."""
        return self._matches

    def counter(self) -> Callable[[], int]:
        """What :meth:`total` does, for the search the list shows now: it may run on a
        worker thread (finding the rest of a search's matches takes a while in a large
        notebook) while the list moves on to another search."""
        matches, notebook = self._matches, self._notebook
        if matches is None or notebook is None:
            rows = len(self._rows)
            return lambda: rows

        def count() -> int:
            total = notebook.count_cases(matches)
            pinned = self._pinned
            # (A list not found whole holds every case: the pinned one is among them.)
            elsewhere = pinned is not None and matches.complete and pinned not in matches.ids
            return total + elsewhere

        return count

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        # Called for a dozen roles of every row shown at every paint: plain ints compared.
        if role in _LABEL_ROLES and index.isValid():
            text = self._labels[index.row()]
            if role == _ACCESSIBLE_ROLE and text.startswith("⚠"):
                text += "  ·  " + _("Signs of serious risk recorded")
            return text
        return None


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
        layout.addLayout(self._filter_bar())
        self.count = QLabel()
        layout.addWidget(self.count)
        # A search with more matches than a screenful is counted after a pause in typing
        # (counting them all is the one part that grows with the notebook).
        self._count_timer = QTimer(self, singleShot=True, interval=300)
        self._count_timer.timeout.connect(self._count_after_pause)
        self._count_shown = ""
        self._counting = TaskRunner(self)
        # The follow-up agenda: overdue, today, this week. Enter starts the follow-up call.
        self.agenda_title = QLabel()
        self.agenda = QListWidget()
        self.agenda.setAccessibleName(_("Follow-up agenda"))
        # Empty, it is hidden and disabled: nothing can give it the focus (a hidden list
        # with the focus would swallow every key, even Alt+N).
        self.agenda.setEnabled(False)
        self.agenda.hide()
        self.agenda_title.hide()
        self.agenda_title.setBuddy(self.agenda)
        layout.addWidget(self.agenda_title)
        self.agenda.itemActivated.connect(self.call_from_agenda)
        layout.addWidget(self.agenda)
        self.model = CaseListModel()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        # A row longer than the list is elided (its tooltip has it whole), never scrolled
        # sideways: the case code and status, at the start, are what is looked for.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setAccessibleName(_("Cases"))
        self.case_view = CaseView()
        self.case_view.start_conversation_requested.connect(self.start_conversation)
        self.case_view.concern_requested.connect(self.record_concern_on)
        self.case_view.correct_requested.connect(self.correct_contact)
        self.case_view.changed.connect(lambda _case_id: self._refresh_keeping_selection())
        self.editor: ConversationEditor | None = None
        self.call_case_id: int | None = None
        #: The concern form beside the notes of the call (Ctrl+K), while it is open.
        self.concern_panel: ConcernPanel | None = None
        self._closing_call = False
        self._forms: list[tuple[QDialog, DraftKeeper, QWidget]] = []
        self.concern_dialog: ConcernDialog | ConcernPanel | None = None
        #: While a row is selected for the call (see _select_in_list).
        self._quiet_selection = False
        self._supervisor = False
        # Note text the disk refused, by conversation: kept until it can be saved.
        self.unsaved: dict[int, dict[Step, str]] = {}
        #: The conversation whose call was put aside by a lock (it comes back at the
        #: unlock, its timer paused); a live call the notebook names otherwise was
        #: interrupted by a crash.
        self.paused_call: int | None = None
        #: Where the counsellor was writing in the paused call (step, cursor position): the
        #: unlock puts the cursor back there, not at the start of the notes.
        self.paused_place: tuple[Step, int] | None = None
        #: Take the paused call up with its timer running (a language switch, not a lock).
        self.resume_running = False
        self.right = QStackedWidget()
        self.right.addWidget(self.case_view)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 800])
        layout.addWidget(self.splitter, 1)
        self.search.textChanged.connect(self.refresh)
        # Enter (or a double click) on a case found by code or words: a new call on it.
        # Not `activated`: where the style activates on a single click (KDE), merely
        # selecting a case would start a call.
        self.list.doubleClicked.connect(self.call_on_case)
        for key in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(key), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.call_on_case(self.list.currentIndex()))
        # Enter in the search shows the first case found and says that Enter (again, in
        # the list) starts a call on it: never a call on a case not seen.
        self.search.returnPressed.connect(self.show_first_found)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.search.clear)
        self.list.selectionModel().currentChanged.connect(self.show_case)

    def attach(self, notebook: Notebook) -> None:
        self.notebook = notebook
        self._supervisor = notebook.role is Role.SUPERVISOR
        self.model = CaseListModel(notebook)
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(self.show_case)
        self.refresh()
        self.refresh_agenda()
        self.retry_unsaved()
        self.resume_live_call()

    def resume_live_call(self) -> bool:
        """Take up the call that was in progress when the notebook was locked (timer
        paused) or when the app stopped (and say it was interrupted); False if none."""
        notebook = self.notebook
        if notebook is None or self.editor is not None:
            return False
        paused, self.paused_call = self.paused_call, None
        place, self.paused_place = self.paused_place, None
        running, self.resume_running = self.resume_running, False
        try:
            conversation_id = notebook.live_call()
            if conversation_id is None:
                return False
            conversation = notebook.conversation(conversation_id)
            case = notebook.case(conversation.case_id)
        except (UserError, KeyError):
            return False
        if conversation_id == paused:
            notice = (
                ""
                if running
                else _("The call was paused while the notebook was locked. It goes on here.")
            )
        else:
            notice = _(
                "This call was interrupted: the app stopped before the call ended. Its notes "
                "and its length so far are kept, and it goes on here."
            )
            running = False
        self._open_call(case, conversation, running=running, notice=notice)
        assert self.editor is not None
        self.editor.go_to(place if conversation_id == paused else None)
        return True

    def new_call(self) -> None:
        """A new case and its first conversation, the four steps open, the timer running
        (Ctrl+N)."""
        if self.notebook is None:
            return
        self.end_call()
        try:
            case = self.notebook.new_case()
        except UserError as error:  # the disk refused (full, read-only, removed)
            self.count.setText(str(error))
            return
        assert case.id is not None  # a stored case has its id
        self.start_conversation(case.id)

    def show_first_found(self) -> None:
        """Enter in the search: the case chosen in the list (else the first found) is
        shown and selected, the focus in the list; the count line says Enter starts a
        call on it."""
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.notebook is None or self.model.rowCount() == 0 or self.editor is not None:
            return
        index = self.list.currentIndex()
        if not index.isValid():
            index = self.model.index(0)
            self.list.setCurrentIndex(index)  # shows the case (show_case)
        self.count.setText(
            _("Case {code} is shown. Enter starts a new conversation on it.").format(
                code=self.model.summary(index.row()).code
            )
        )

    def call_from_agenda(self, item: QListWidgetItem) -> None:
        """A call on the case of an agenda entry; the follow-up it was is marked done
        (the status line says so; the follow-ups beside the call can undo it)."""
        case_id = item.data(Qt.ItemDataRole.UserRole)
        follow_up_id = item.data(Qt.ItemDataRole.UserRole + 1)
        self.start_conversation(case_id)
        if self.notebook is None or self.editor is None or follow_up_id is None:
            return
        try:
            self.notebook.mark_follow_up_done(follow_up_id)
        except UserError as error:
            self.count.setText(str(error))
            return
        self.refresh_agenda()
        self.call_follow_ups.reload()
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(
                _("The follow-up is marked as done (it can be opened again beside the call)."),
                10_000,
            )

    def call_on_case(self, index: QModelIndex) -> None:
        if index.isValid():
            self.start_conversation(self.model.summary(index.row()).id)

    def start_conversation(self, case_id: int) -> None:
        """Open a new conversation on a case, the four steps showing, the timer running."""
        if self.notebook is None:
            return
        self.end_call()
        try:
            case = self.notebook.case(case_id)
            conversation = self.notebook.new_conversation(case_id)
            assert conversation.id is not None  # a stored conversation has its id
            # Live from the first second: a lock or a crash does not end it.
            self.notebook.set_live_call(conversation.id, 0)
        except UserError as error:  # the disk refused (full, read-only, removed)
            self.count.setText(str(error))
            return
        self._open_call(case, conversation)

    def _open_call(
        self, case: Case, conversation: Conversation, running: bool = True, notice: str = ""
    ) -> None:
        """Show the call view on a conversation: the notes, the case beside them."""
        assert self.notebook is not None and conversation.id is not None
        assert case.id is not None
        case_id = case.id
        self.editor = ConversationEditor(self.notebook, conversation.id)
        self.editor.call_case_code = case.code
        self.editor.save_failed.connect(self.count.setText)
        self.call_case_id = case_id
        self.case_fields = CaseFieldsPanel(self.notebook, case_id, conversation.id)
        # Beside the notes: the case's fields, and its alliances and follow-ups, which the
        # third and fourth steps lead to (Ctrl+Shift+A / Ctrl+Shift+O add one).
        self.call_alliances = AlliancesPanel(self.notebook, case_id)
        self.call_follow_ups = FollowUpsPanel(self.notebook, case_id)
        self.call_follow_ups.conversation_id = conversation.id
        self.call_follow_ups.changed.connect(self.refresh_agenda)
        # Their forms open beside the notes, not over them, kept as drafts as typed.
        self.call_alliances.embed = lambda dialog, record: self._embed_form(
            dialog, "alliance", record
        )
        self.call_follow_ups.embed = lambda dialog, record: self._embed_form(
            dialog, "follow_up", record
        )
        self._forms = []
        agreements = QWidget()
        agreements_layout = QVBoxLayout(agreements)
        for title, panel in (
            (_("Alliances"), self.call_alliances),
            (_("Follow-ups"), self.call_follow_ups),
        ):
            heading = QLabel(f"<b>{html.escape(title)}</b>")
            agreements_layout.addWidget(heading)
            agreements_layout.addWidget(panel)
        agreements_layout.addStretch()
        self.call_tabs = QTabWidget()
        self.call_tabs.setAccessibleName(_("Case details"))
        self.call_tabs.addTab(_scrolling(self.case_fields), _("Fields"))
        self.call_tabs.addTab(_scrolling(agreements), _("Alliances and &follow-ups"))
        # Above them, what was said and agreed before (a follow-up call), foldable.
        self.call_history = CallHistory()
        self.call_history.load(self.notebook, case_id, conversation.id)
        for panel in (self.call_alliances, self.call_follow_ups):
            panel.changed.connect(self._reload_call_history)
        side = QSplitter(Qt.Orientation.Vertical)
        side.setChildrenCollapsible(False)
        side.addWidget(self.call_history)
        side.addWidget(self.call_tabs)
        self.call_view = QSplitter()
        self.call_view.addWidget(self.editor)
        self.call_view.addWidget(side)
        self.call_view.setStretchFactor(0, 3)
        self.call_view.setStretchFactor(1, 2)
        self.right.addWidget(self.call_view)
        self.right.setCurrentWidget(self.call_view)
        # The case of the call is in the list, selected, from the first second (a new
        # case too, and one the search or a filter would leave out).
        self._select_in_list(self.model.pin(case_id))
        self.count.setText(_("Call in progress: case {code}").format(code=case.code))
        self.editor.start_call(conversation.duration_seconds, running=running)
        self.editor.show_notice(notice)
        self._show_serious_risk()
        self.editor.focus_step(Step.LISTEN)
        # Forms typed in before a lock or a crash come back as they were.
        with contextlib.suppress(UserError):
            for kind in self.notebook.draft_kinds(case_id):
                self._reopen_draft(kind)
        self.call_tabs.setCurrentIndex(0)
        self.editor.focus_step(Step.LISTEN)

    def _reload_call_history(self) -> None:
        if self.notebook is not None and self.editor is not None and self.call_case_id:
            self.call_history.load(self.notebook, self.call_case_id, self.editor.conversation_id)

    def record_concern(self) -> None:
        """Guidance and a record of the decision, for the case of the call or else the case
        shown (Ctrl+K)."""
        if self.editor is not None and self.call_case_id is not None:
            self.record_concern_on(self.call_case_id)
        elif self.case_view.case_id is not None:
            self.record_concern_on(self.case_view.case_id)

    def record_concern_on(self, case_id: int) -> None:
        if self.notebook is None:
            return
        if self.editor is not None and case_id == self.call_case_id:
            self.show_concern_panel()
            return
        dialog = ConcernDialog(self.notebook, case_id, None, self)
        dialog.accepted.connect(self.case_view.reload)
        dialog.accepted.connect(self._refresh_keeping_selection)  # the list marks the case
        dialog.open()
        self.concern_dialog = dialog

    def correct_contact(self, conversation_id: int, number: int) -> None:
        """Open an ended contact to be corrected (not the call in progress: its notes are
        open in the call already)."""
        if self.notebook is None:
            return
        if self.editor is not None and self.editor.conversation_id == conversation_id:
            self.editor.focus_step(Step.LISTEN)
            return
        from counsellor_app.gui.correction import CorrectionDialog  # loaded on first use

        try:
            dialog = CorrectionDialog(self.notebook, conversation_id, number, self)
        except UserError as error:
            show_error(self, error)
            return
        dialog.finished.connect(lambda _result: self._corrected(dialog.case_id))
        dialog.show()
        self.correction_dialog = dialog

    def _corrected(self, case_id: int) -> None:
        if self.case_view.case_id == case_id:
            self.case_view.reload()
        self._refresh_keeping_selection()

    def show_concern_panel(self, focus: bool = True) -> ConcernPanel | None:
        """The concern form beside the notes of the call, in the first tab: the notes stay
        in view, and what is typed into it is kept as a draft as it is typed."""
        if self.notebook is None or self.editor is None or self.call_case_id is None:
            return None
        panel = self.concern_panel
        if panel is None:
            panel = self.concern_panel = ConcernPanel(
                self.notebook, self.call_case_id, self.editor.conversation_id
            )
            self.concern_dialog = panel  # the name the tests and older callers know
            panel.recorded.connect(self._concern_recorded)
            panel.closed.connect(self._close_concern_panel)
            self._concern_area = _scrolling(panel)
            self.call_tabs.insertTab(0, self._concern_area, _("Concern"))
        self.call_tabs.setCurrentIndex(0)
        if focus:
            panel.signs.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return panel

    def _concern_recorded(self, _concern: object) -> None:
        self._show_serious_risk()
        self._reload_call_history()

    def _close_concern_panel(self) -> None:
        panel, self.concern_panel = self.concern_panel, None
        if panel is None:
            return
        index = self.call_tabs.indexOf(self._concern_area)
        if index >= 0:
            self.call_tabs.removeTab(index)
        self._concern_area.deleteLater()
        panel.hide()
        if self.editor is not None:
            self.editor.focus_step(Step.LISTEN)

    def _embed_form(self, dialog: QDialog, kind: str, record: object) -> None:
        """Show an alliance or follow-up form as a tab beside the notes of the call."""
        assert self.notebook is not None and self.call_case_id is not None
        record_id = getattr(record, "id", None)  # None: a new one
        # The field the form chose for the cursor, asked before it becomes a child widget.
        first = dialog.focusWidget()
        keeper = DraftKeeper(
            embed_dialog(dialog),
            self.notebook,
            f"{kind}:{record_id if record_id is not None else 'new'}",
            self.call_case_id,
        )
        area = _scrolling(dialog)
        self._forms.append((dialog, keeper, area))
        dialog.finished.connect(lambda _result: self._form_closed(dialog))
        self.call_tabs.insertTab(0, area, dialog.windowTitle())
        self.call_tabs.setCurrentIndex(0)
        dialog.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _form_closed(self, dialog: QDialog) -> None:
        for entry in list(self._forms):
            if entry[0] is dialog:
                self._forms.remove(entry)
                index = self.call_tabs.indexOf(entry[2])
                if index >= 0:
                    self.call_tabs.removeTab(index)
                entry[2].deleteLater()
        if self.editor is not None and not self._closing_call:
            self.editor.focus_step(Step.LISTEN)

    def _reopen_draft(self, kind: str) -> None:
        """Open the form a draft of ``kind`` belongs to ("concern", "alliance:new",
        "follow_up:7"), filled from the draft."""
        if kind == "concern":
            self.show_concern_panel(focus=False)
            return
        name, _sep, record = kind.partition(":")
        panel = {"alliance": self.call_alliances, "follow_up": self.call_follow_ups}.get(name)
        if panel is None:
            return
        if record == "new":
            panel.add()
        elif record.isdigit():
            panel.select(int(record))
            panel.edit_selected()

    def _show_serious_risk(self) -> None:
        """Mark the call when the case has a concern with signs of serious risk."""
        if self.notebook is None or self.editor is None or self.call_case_id is None:
            return
        with contextlib.suppress(UserError):
            self.editor.set_serious_risk(self.notebook.serious_risk(self.call_case_id))

    def add_alliance(self) -> None:
        """A new alliance on the case of the call, or else the case shown (Ctrl+Shift+A)."""
        panel = self.call_alliances if self.editor is not None else self.case_view.alliances
        panel.add()

    def add_alliance_from_directory(self) -> None:
        """A new alliance, searching the help directory first (Ctrl+Shift+D)."""
        panel = self.call_alliances if self.editor is not None else self.case_view.alliances
        panel.add_from_directory()

    def add_follow_up(self) -> None:
        """A new follow-up on the case of the call, or else the case shown (Ctrl+Shift+O)."""
        panel = self.call_follow_ups if self.editor is not None else self.case_view.follow_ups
        panel.add()

    def end_call(self) -> None:
        """Stop the timer, keep the call's length, save every note (Ctrl+E)."""
        self._close_call(ending=True)

    def _close_call(self, ending: bool) -> None:
        """Take the call off the screen: ended (its length kept, no longer live), or put
        aside by a lock (live, its length so far kept, to be taken up at the unlock)."""
        editor, self.editor = self.editor, None
        if editor is None:
            return
        self._closing_call = True
        for form, keeper, _area in list(self._forms):
            # Kept as a draft: it comes back with the call (a lock), or with the next
            # call on the case (Ctrl+E with the form still open).
            keeper.flush()
            keeper.keep = True
            form.reject()
        self._closing_call = False
        if self.concern_panel is not None:
            # Kept as a draft: it comes back with the call, or with the next Ctrl+K.
            self.concern_panel.flush()
            self.concern_panel.form.wipe()
            self.concern_panel = None
        if ending:
            seconds = editor.stop_call()
        else:
            editor.pause()
            seconds = editor.elapsed()
            self.paused_call = editor.conversation_id
            self.paused_place = editor.place()
        if not editor.flush():
            # The disk refused (full, removed): the text stays in memory, off the screen,
            # and is saved as soon as the notebook takes it (see retry_unsaved).
            self.unsaved[editor.conversation_id] = {
                step: editor.text(step) for step in editor.pending_steps()
            }
        if self.notebook is not None:
            # The length of a call is not worth an error on top of the notes' own.
            with contextlib.suppress(UserError):
                if ending:
                    self.notebook.set_duration(editor.conversation_id, seconds)
                    self.notebook.set_live_call(None)
                else:
                    self.notebook.set_live_call(editor.conversation_id, seconds)
        editor.wipe()
        self.call_history.clear()
        editor.close()
        self.right.removeWidget(self.call_view)
        self.call_view.deleteLater()
        case_id, self.call_case_id = self.call_case_id, None
        self.right.setCurrentWidget(self.case_view)
        if ending and self.notebook is not None and case_id is not None:
            self.refresh()
            self.refresh_agenda()
            # The case stays selected when the list still holds it.
            self._select_in_list(self.model.row_of(case_id))
            self.case_view.load(self.notebook, case_id)

    def discard_call(self) -> bool:
        """End the call in progress and delete it, when nothing was written in it (a wrong
        number, a call of a few seconds); its case too when the call made it and nothing
        else is on it. The status line says what happened; False if nothing was deleted."""
        editor, notebook = self.editor, self.notebook
        if editor is None or notebook is None:
            return False
        if any(editor.text(step).strip() for step in Step):
            self.count.setText(_("Only an empty call can be discarded: this one has notes."))
            return False
        conversation_id, case_id = editor.conversation_id, self.call_case_id
        self.end_call()
        try:
            discarded = notebook.discard_conversation(conversation_id)
        except UserError as error:
            self.count.setText(str(error))
            return False
        if not discarded:
            self.count.setText(
                _("The call was ended, not discarded: something was recorded in it.")
            )
            return False
        self.refresh()
        self.refresh_agenda()
        try:
            if case_id is not None:
                notebook.case(case_id)
                self.case_view.load(notebook, case_id)
        except KeyError:  # the case went with its only, empty call
            self.case_view.clear()
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_("The empty call was discarded."), 8000)
        return True

    def retry_unsaved(self) -> bool:
        """Save text the disk refused earlier; True when nothing is left unsaved."""
        if self.notebook is None:
            return not self.unsaved
        for conversation_id, notes in list(self.unsaved.items()):
            try:
                for step, text in list(notes.items()):
                    self.notebook.save_note(conversation_id, step, text)
                    del notes[step]
            except UserError as error:
                self.count.setText(
                    _(
                        "Some text could not be saved yet: {reason} It is kept until it can be."
                    ).format(reason=error)
                )
                return False
            del self.unsaved[conversation_id]
        return True

    def save_call_length(self) -> None:
        """Keep the live call's length so far (every half minute, beside the autosave)."""
        if self.editor is not None:
            self.editor.save_length()

    def call_in_progress(self) -> bool:
        return self.editor is not None

    def detach(self) -> None:
        """Off the screen with everything (a lock): a call in progress is put aside,
        live, and taken up again at the unlock (:meth:`resume_live_call`)."""
        self._close_call(ending=False)
        self.notebook = None
        self.agenda.clear()
        self.agenda_title.clear()
        for widget in (self.agenda, self.agenda_title):
            widget.hide()
        self.agenda.setEnabled(False)
        self.model.clear()
        self.case_view.clear()
        self.search.clear()
        self.count.clear()

    def _filter_bar(self) -> QHBoxLayout:
        """Status, theme, wellbeing and follow-up filters; each narrows the list at once."""
        bar = QHBoxLayout()
        any_text = _("any")

        def combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
            box = QComboBox()
            box.addItem(any_text, None)
            for text, value in items:
                box.addItem(text, value)
            box.setAccessibleName(name)
            box.currentIndexChanged.connect(self.refresh)
            caption = QLabel(name)
            caption.setBuddy(box)
            bar.addWidget(caption)
            bar.addWidget(box)
            return box

        self.status_filter = combo(_("&Status"), [(label(s), s) for s in CaseStatus])
        self.theme_filter = combo(
            _("&Theme"), [(t.label, t.id) for t in sorted(taxonomy().themes, key=lambda t: t.label)]
        )
        self.wellbeing_filter = combo(_("Well&being"), [(label(w), w) for w in WellbeingLevel])
        self.due_filter = combo(
            _("F&ollow-up"),
            [
                (_("overdue"), "overdue"),
                (_("today"), "today"),
                (_("within a week"), "week"),
                (_("any open"), "any"),
            ],
        )
        bar.addStretch()
        return bar

    def case_filter(self) -> CaseFilter:
        status = self.status_filter.currentData()
        wellbeing = self.wellbeing_filter.currentData()
        return CaseFilter(
            status=CaseStatus(status) if status else None,
            theme=self.theme_filter.currentData(),
            wellbeing=WellbeingLevel(wellbeing) if wellbeing else None,
            due=self.due_filter.currentData(),
        )

    def refresh(self) -> None:
        self.model.set_query(self.search.text(), self.case_filter(), pinned=self.call_case_id)
        if self.call_case_id is not None:  # during a call its case stays selected
            self._select_in_list(self.model.row_of(self.call_case_id))
        self._count_timer.stop()
        if self.model.counted():
            self._show_count()
        else:  # said after a pause, unless the line says something else by then
            self._count_shown = self.count.text()
            self._count_timer.start()

    def _count_after_pause(self) -> None:
        """Count the matches on a worker thread (at 100,000 cases finding them all takes
        longer than a frame) and say the number if the list still shows them then."""
        if self.notebook is None or self.count.text() != self._count_shown:
            return
        model, matches, shown = self.model, self.model.matches, self._count_shown
        count = model.counter()

        def counted(total: int) -> None:
            if self.model is model and model.matches is matches and self.count.text() == shown:
                self._show_count(total)

        # A failure (the notebook locked meanwhile) leaves the line as it is.
        self._counting.run(
            lambda _task: count(), success=counted, failure=lambda _: None, key="count"
        )

    def _show_count(self, total: int | None = None) -> None:
        if total is None:
            total = self.model.total()
        text = ngettext("{n} case", "{n} cases", total).format(n=format_count(total))
        if total == 0 and self._supervisor and not self.search.text():
            # A supervisor's own list is usually empty: say where the imported cases are.
            text += " · " + _("The counsellors' imported cases are in the overview (Ctrl+D).")
        self.count.setText(text)

    def _select_in_list(self, row: int) -> None:
        """Select a row without loading its case into the case view (the caller shows
        what belongs there: the call, or the case just called about)."""
        if row < 0:
            return
        index = self.model.index(row)
        self._quiet_selection = True
        try:
            self.list.setCurrentIndex(index)
        finally:
            self._quiet_selection = False
        self.list.scrollTo(index)

    def focus_agenda(self) -> bool:
        """Move to the follow-up agenda (Ctrl+G), its first entry chosen. When nothing is
        due, the focus stays where it was and the status line says so; False then."""
        if self.agenda.count() == 0:
            text = _("No follow-ups due in the coming week.")
            window = self.window()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage(text, 8000)
            else:
                self.count.setText(text)
            return False
        if self.agenda.currentRow() < 0:
            self.agenda.setCurrentRow(0)
        self.agenda.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def call_on_selected(self) -> None:
        """A new conversation on the case selected in the list (Ctrl+Shift+N)."""
        self.call_on_case(self.list.currentIndex())

    def flush(self) -> None:
        """Store every pending keystroke now (before a backup or a language switch)."""
        if self.editor is not None:
            self.editor.flush()

    def refresh_agenda(self) -> None:
        """Open follow-ups that are overdue, due today or this week; the call-back number
        a parent left is shown here and nowhere else."""
        self.agenda.clear()
        if self.notebook is None:
            return
        titles = {"overdue": _("Overdue"), "today": _("Today"), "week": _("This week")}
        agenda = self.notebook.agenda()
        for bucket, items in agenda.items():
            for entry in items:
                follow_up = entry.follow_up
                parts = [
                    titles[bucket],
                    entry.case_code,
                    due_text(follow_up, short=True),
                ]
                if follow_up.counsellor_task:
                    parts.append(follow_up.counsellor_task[:60])
                phone = self.notebook.callback(follow_up.case_id)
                if phone:
                    parts.append(_("call back: {phone}").format(phone=phone))
                item = QListWidgetItem("  ·  ".join(parts))
                item.setData(Qt.ItemDataRole.UserRole, follow_up.case_id)
                item.setData(Qt.ItemDataRole.UserRole + 1, follow_up.id)
                self.agenda.addItem(item)
        summary = " · ".join(
            f"{titles[bucket].lower()}: {format_count(len(items))}"
            for bucket, items in agenda.items()
            if items
        )
        self.agenda_title.setText(_("Follow-&ups (Ctrl+G): {summary}").format(summary=summary))
        # At most five rows: the agenda is a reminder, the cases stay in view.
        rows = min(self.agenda.count(), 5)
        self.agenda.setFixedHeight(
            self.agenda.sizeHintForRow(0) * rows + 2 * self.agenda.frameWidth()
        )
        due = self.agenda.count() > 0
        for widget in (self.agenda, self.agenda_title):
            widget.setVisible(due)
        self.agenda.setEnabled(due)

    def show_case(self, index: QModelIndex) -> None:
        if self.notebook is None or not index.isValid() or self._quiet_selection:
            return
        self.case_view.load(self.notebook, self.model.summary(index.row()).id)

    def show_case_id(self, case_id: int) -> None:
        """Show a case (e.g. from the export preview, to fix a note before it leaves)."""
        if self.notebook is None or self.editor is not None:
            return
        self.case_view.load(self.notebook, case_id)
        self.window().activateWindow()

    def _refresh_keeping_selection(self) -> None:
        """After a change in the case view (status, follow-ups) the list and agenda follow;
        the case stays shown."""
        self.refresh_agenda()
        self.model.set_query(self.search.text(), self.case_filter(), pinned=self.call_case_id)


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    # Tab goes to the controls inside, and the area scrolls to show them.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
