"""The case view: a case's conversations, wellbeing trajectory, alliances and follow-ups
(the lists and their dialogs are :mod:`~counsellor_app.gui.alliances` and
:mod:`~counsellor_app.gui.follow_ups`, the chart is in :mod:`~counsellor_app.gui.charts`).

Everything shown here is read from the notebook on :meth:`CaseView.load` and forgotten
on :meth:`CaseView.clear` (the app calls it when it locks). The few edits made here
(status, alliances, follow-ups) are single small transactions, stored at once.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import (
    CODE_ALPHABET,
    CODE_PREFIX,
    CaseStatus,
    Conversation,
    FollowUp,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.alliances import AlliancesPanel
from counsellor_app.gui.callback import CallbackField
from counsellor_app.gui.charts import WellbeingChart
from counsellor_app.gui.follow_ups import FollowUpsPanel, follow_up_summary
from counsellor_app.gui.formatting import format_day, format_duration, format_moment
from counsellor_app.gui.widgets import (
    combo_value,
    enum_combo,
    form_caption,
    risk_label,
    select_data,
    show_error,
)

# ---------------------------------------------------------------------- the case view


class _SideScroll(QScrollArea):
    """A vertical scroll area never narrower than what it holds: without a horizontal
    scroll bar, anything wider than the space left beside the vertical one would be cut
    off (the last button of a row, "Mark done")."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        widget = self.widget()
        if widget is None:
            return hint
        margins = self.contentsMargins()
        width = (
            widget.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + margins.left()
            + margins.right()
        )
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # (QScrollArea already filters its widget's events.) When a button's text grows
        # ("Mark not done", another language), the area grows with it.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)


def code_width(metrics: QFontMetrics, code: str = "") -> int:
    """Room for ``code`` and for any code of the usual length, so that the header does
    not move (or clip the code) from one case to the next."""
    widest = max(CODE_ALPHABET, key=metrics.horizontalAdvance)
    usual = metrics.horizontalAdvance(CODE_PREFIX + widest * 4)
    # A little more than the advance: some fonts draw the last letter past it.
    return max(usual, metrics.horizontalAdvance(code)) + metrics.averageCharWidth()


#: The scheme of the timeline's "correct this contact" links (``correct:<conversation id>``).
CORRECT_LINK = "correct"


def conversations_html(
    conversations: Sequence[Conversation],
    follow_ups: Sequence[FollowUp] = (),
    *,
    correctable: bool = False,
) -> str:
    """The timeline of a case, newest first, as escaped rich text; under each conversation
    the follow-ups agreed in it; with ``correctable``, a link to correct each one."""
    if not conversations:
        return "<p><i>{}</i></p>".format(html.escape(_("No conversations yet.")))
    parts = []
    numbered = list(enumerate(conversations, start=1))
    for number, conversation in reversed(numbered):
        facts = [
            format_moment(conversation.started_at),
            label(conversation.channel),
        ]
        minutes = format_duration(conversation.duration_seconds)
        if minutes:
            facts.append(minutes)
        level = conversation.overall_wellbeing()
        if level is not None:
            facts.append(_("wellbeing: {level}").format(level=label(level)))
        heading = _("Contact {number}").format(number=number)
        parts.append(f"<h3>{html.escape(heading)}</h3><p>{html.escape(' · '.join(facts))}")
        if correctable:
            link = html.escape(_("correct this contact"))
            parts.append(f' · <a href="{CORRECT_LINK}:{conversation.id}">{link}</a>')
        parts.append("</p>")
        steps = conversation.steps_covered()
        if not steps:
            parts.append("<p><i>{}</i></p>".format(html.escape(_("No notes."))))
        for step in steps:
            text = conversation.notes.get(step, "").strip()
            parts.append(
                f"<p><b>{html.escape(label(step))}</b></p>"
                f'<p style="white-space: pre-wrap; margin-left: 12px">{html.escape(text)}</p>'
            )
        for follow_up in follow_ups:
            if follow_up.conversation_id == conversation.id:
                agreed = _("Follow-up agreed, due {day}").format(day=format_day(follow_up.due))
                summary = follow_up_summary(follow_up)
                parts.append(
                    f"<p><b>{html.escape(agreed)}</b>"
                    + (f": {html.escape(summary)}" if summary else "")
                    + "</p>"
                )
        parts.append("<hr/>")
    return "".join(parts[:-1])


class CaseView(QWidget):
    """One case: its status and themes, its conversations (newest first), the wellbeing
    trajectory, alliances, follow-ups, and the history of status changes and concerns."""

    #: The counsellor asks to start a new conversation on this case (its id).
    start_conversation_requested = Signal(int)
    #: The counsellor asks to record a concern for this case (its id).
    concern_requested = Signal(int)
    #: Something on the case was stored from this view (status, alliance, follow-up).
    changed = Signal(int)
    #: The counsellor asks to correct an ended contact (its conversation id, its number).
    correct_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._case_id: int | None = None
        self._conversations: list[Conversation] = []

        # Header: code, status, themes, the two actions.
        self.code_label = QLabel()
        code_font = QFont(self.font())
        code_font.setBold(True)
        code_font.setPointSizeF(code_font.pointSizeF() * 1.4)
        self.code_label.setFont(code_font)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Wide enough for a code before one is shown: a window drawn before the layout
        # catches up with a new code (a grab, a slow machine) showed "K" alone.
        self.code_label.setMinimumWidth(code_width(self.code_label.fontMetrics()))
        self.code_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        #: Shown when a concern with signs of serious risk was recorded on the case.
        self.risk_label = risk_label()
        self.status_combo = enum_combo(CaseStatus)
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        status_caption = form_caption(_("C&ase status"), self.status_combo)
        self.status_combo.currentIndexChanged.connect(self._status_chosen)
        self.themes_label = QLabel()
        self.themes_label.setWordWrap(True)
        # The call-back number, apart from the notes (never exported, deleted at closing).
        self.callback = CallbackField()
        self.new_conversation_button = QPushButton(_("Ne&w conversation on this case"))
        self.new_conversation_button.setAccessibleName(_("New conversation on this case"))
        self.new_conversation_button.clicked.connect(self._request_conversation)
        self.concern_button = QPushButton(_("Recor&d concern…"))
        self.concern_button.setAccessibleName(_("Record concern"))
        self.concern_button.clicked.connect(self._request_concern)
        self.correct_button = QPushButton(_("Fi&x a contact…"))
        self.correct_button.setAccessibleName(_("Fix a contact"))
        self.correct_button.clicked.connect(self._choose_correction)

        header_top = QHBoxLayout()
        header_top.addWidget(self.code_label)
        header_top.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        header_top.addWidget(status_caption)
        header_top.addWidget(self.status_combo)
        header_top.addWidget(self.risk_label)
        header_top.addStretch(1)
        header_top.addWidget(self.new_conversation_button)
        header_top.addWidget(self.concern_button)
        header_top.addWidget(self.correct_button)

        # Left: the conversations.
        self.timeline = QTextBrowser()
        self.timeline.setAccessibleName(_("Conversations, newest first"))
        self.timeline.setOpenLinks(False)
        self.timeline.setTabChangesFocus(True)
        self.timeline.anchorClicked.connect(self._link_clicked)
        timeline_box = QGroupBox(_("Conversations"))
        QVBoxLayout(timeline_box).addWidget(self.timeline)

        # Right: chart, alliances, follow-ups, history, in a scroll area.
        self.chart = WellbeingChart()
        self.alliances = AlliancesPanel()
        self.follow_ups = FollowUpsPanel()
        self.history = QListWidget()
        self.history.setAccessibleName(_("Status changes, corrections and concerns"))
        self.history.setWordWrap(True)
        self.alliances.changed.connect(self._panel_changed)
        self.follow_ups.changed.connect(self._panel_changed)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        for title, widget in (
            (_("Wellbeing across contacts"), self.chart),
            (_("Alliances"), self.alliances),
            (_("Follow-ups"), self.follow_ups),
            (_("Status changes, corrections and concerns"), self.history),
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            side_layout.addWidget(box)
        self.history.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        side_layout.addStretch(1)
        self.side_scroll = _SideScroll()
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setWidget(side)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Tab goes to the controls inside, and the area scrolls to show them.
        self.side_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(timeline_box)
        self.splitter.addWidget(self.side_scroll)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)

        layout = QVBoxLayout(self)
        layout.addLayout(header_top)
        header_second = QHBoxLayout()
        header_second.addWidget(self.themes_label, 3)
        header_second.addWidget(self.callback, 2)
        layout.addLayout(header_second)
        layout.addWidget(self.splitter, 1)

        chain: list[QWidget] = [
            self.status_combo,
            self.callback.edit,
            self.new_conversation_button,
            self.concern_button,
            self.correct_button,
            self.timeline,
            self.chart,
            self.alliances.tree,
            self.alliances.add_button,
            self.alliances.edit_button,
            self.alliances.status_button,
            self.follow_ups.tree,
            self.follow_ups.add_button,
            self.follow_ups.edit_button,
            self.follow_ups.done_button,
            self.history,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.clear()

    # -------------------------------------------------------------- loading

    @property
    def case_id(self) -> int | None:
        """The case shown, or None."""
        return self._case_id

    def load(self, notebook: Notebook, case_id: int) -> None:
        """Show case ``case_id`` of ``notebook``."""
        self._notebook = notebook
        self._case_id = case_id
        self.alliances.load(notebook, case_id)
        self.follow_ups.load(notebook, case_id)
        self.reload()

    def reload(self) -> None:
        """Read the case again (after a conversation or a concern was stored elsewhere)."""
        if self._notebook is None or self._case_id is None:
            return
        self._load_header()
        conversations = self._notebook.conversations(self._case_id)
        scroll = self.timeline.verticalScrollBar().value()
        follow_ups = self._notebook.follow_ups(self._case_id)
        self._conversations = conversations
        self.timeline.setHtml(conversations_html(conversations, follow_ups, correctable=True))
        self.timeline.verticalScrollBar().setValue(scroll)
        self.chart.set_contacts([(c.started_at, c.wellbeing) for c in conversations])
        self.alliances.reload()
        self.follow_ups.reload()
        self._load_history()
        self._set_enabled(True)

    def clear(self) -> None:
        """Forget the case: nothing of it stays on screen or in this widget's memory."""
        self._notebook = None
        self._case_id = None
        self._conversations = []
        self.code_label.clear()
        self.themes_label.clear()
        self.risk_label.hide()
        self.callback.clear()
        self.status_combo.blockSignals(True)
        self.status_combo.setCurrentIndex(0)
        self.status_combo.blockSignals(False)
        self.timeline.clear()
        self.timeline.document().clearUndoRedoStacks()
        self.chart.clear()
        self.alliances.clear()
        self.follow_ups.clear()
        self.history.clear()
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.status_combo, self.new_conversation_button, self.concern_button):
            widget.setEnabled(enabled)
        self.correct_button.setEnabled(enabled and bool(self._conversations))

    def _load_header(self) -> None:
        assert self._notebook is not None and self._case_id is not None
        case = self._notebook.case(self._case_id)
        self.code_label.setText(case.code)
        self.code_label.setMinimumWidth(code_width(self.code_label.fontMetrics(), case.code))
        self.code_label.setAccessibleName(_("Case {code}").format(code=case.code))
        self.callback.load(self._notebook, self._case_id)
        self.risk_label.setVisible(self._notebook.serious_risk(self._case_id))
        self.callback.setEnabled(case.status is not CaseStatus.CLOSED)
        self.status_combo.blockSignals(True)
        select_data(self.status_combo, case.status)
        self.status_combo.blockSignals(False)
        tax = taxonomy()
        themes = [tax.label("themes", theme) for theme in case.themes]
        if themes:
            text = _("Themes: {themes}").format(themes=", ".join(themes))
        else:
            text = _("No themes chosen yet.")
        self.themes_label.setText(text)

    def _load_history(self) -> None:
        assert self._notebook is not None and self._case_id is not None
        entries: list[tuple[datetime, str]] = []
        for change in self._notebook.status_changes(self._case_id):
            if change.old is None:
                text = _("{when}: case opened as {status}").format(
                    when=format_moment(change.at), status=label(change.new)
                )
            else:
                text = _("{when}: {old} → {new}").format(
                    when=format_moment(change.at), old=label(change.old), new=label(change.new)
                )
            entries.append((change.at, text))
        for concern in self._notebook.concerns(self._case_id):
            when = concern.created_at
            if when is None:
                continue
            text = _("{when}: concern recorded ({signs}); decision: {decision}").format(
                when=format_moment(when),
                signs=label(concern.signs),
                decision=label(concern.decision),
            )
            entries.append((when, text))
        numbers = {c.id: number for number, c in enumerate(self._conversations, start=1)}
        for correction in self._notebook.corrections(self._case_id):
            number = numbers.get(correction.conversation_id)
            if number is None:
                continue
            if correction.steps:
                text = _("{when}: contact {number} corrected ({steps})").format(
                    when=format_moment(correction.at),
                    number=number,
                    steps=", ".join(label(step) for step in correction.steps),
                )
            else:  # opened to be corrected, and the app stopped before it was closed
                text = _("{when}: contact {number} opened for correction").format(
                    when=format_moment(correction.at), number=number
                )
            entries.append((correction.at, text))
        self.history.clear()
        # Newest first; within one second, the later recorded first.
        order = sorted(enumerate(entries), key=lambda e: (e[1][0], e[0]), reverse=True)
        for _index, (_when, text) in order:
            self.history.addItem(text)

    # -------------------------------------------------------------- actions

    def _status_chosen(self) -> None:
        if self._notebook is None or self._case_id is None:
            return
        status = combo_value(self.status_combo, CaseStatus)
        self.callback.flush()  # a number just typed is asked about too
        if (
            status is CaseStatus.CLOSED
            and self._notebook.callback(self._case_id)
            and QMessageBox.question(
                self,
                _("Close the case?"),
                _(
                    "Closing the case deletes the call-back number the parent left, for "
                    "good. Close it?"
                ),
            )
            != QMessageBox.StandardButton.Yes
        ):
            self._load_header()
            return
        try:
            self._notebook.set_status(self._case_id, status)
        except UserError as error:
            show_error(self, error)
        self._load_header()
        self._load_history()
        self.changed.emit(self._case_id)

    def _panel_changed(self) -> None:
        if self._notebook is None or self._case_id is None:
            return
        # Follow-ups move a case between "open" and "awaiting follow-up", and show in the
        # timeline under the conversation they were agreed in: all of it follows.
        self.reload()
        self.changed.emit(self._case_id)

    def _request_conversation(self) -> None:
        if self._case_id is not None:
            self.start_conversation_requested.emit(self._case_id)

    def _request_concern(self) -> None:
        if self._case_id is not None:
            self.concern_requested.emit(self._case_id)

    def request_correction(self, conversation_id: int) -> None:
        """Ask to correct the case's contact ``conversation_id``."""
        for number, conversation in enumerate(self._conversations, start=1):
            if conversation.id == conversation_id:
                self.correct_requested.emit(conversation_id, number)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == CORRECT_LINK and url.path().isdigit():
            self.request_correction(int(url.path()))

    def _choose_correction(self) -> None:
        """Which contact: the only one at once, else chosen from a list (newest first)."""
        if len(self._conversations) == 1:
            conversation_id = self._conversations[0].id
            if conversation_id is not None:
                self.request_correction(conversation_id)
            return
        numbered = list(enumerate(self._conversations, start=1))
        choices = {
            _("Contact {number}, {when}").format(
                number=number, when=format_moment(conversation.started_at)
            ): conversation.id
            for number, conversation in reversed(numbered)
        }
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Fix a contact"))
        dialog.setLabelText(_("Which contact do you want to correct?"))
        dialog.setComboBoxItems(list(choices))
        dialog.setComboBoxEditable(False)

        def chosen(text: str) -> None:
            conversation_id = choices.get(text)
            if conversation_id is not None:
                self.request_correction(conversation_id)

        dialog.textValueSelected.connect(chosen)
        dialog.open()
        self.correction_chooser = dialog
