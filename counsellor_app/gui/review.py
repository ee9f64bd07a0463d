"""Review mode: a calm, read-only view of one case for a mentor and a student at one
screen, with the mentor's comments beside the steps and the sign-off of the review.

Larger text (a zoom factor, Ctrl++ / Ctrl+- / Ctrl+0), the conversations as a timeline
with the four steps side by side, the wellbeing trajectory, alliances, follow-ups and the
student's reflections. The call-back number and the reasoning of a concern stay hidden
until asked for ("Show call-back number and concern reasoning"), so that a screen shared
by two shows only what the review needs.

It works the same on the student's computer (an own case; the mentor beside) and on the
mentor's (a case received for review, de-identified): :class:`ReviewView` reads
everything through :mod:`counsellor_app.core.mentoring`. Nothing of a note can be changed
here; comments, answers and sign-offs are stored at once, each in its own transaction.
"""

from __future__ import annotations

import contextlib
import html
import itertools
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import FollowUp, Step, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.format import outcome_label
from counsellor_app.core.i18n import _
from counsellor_app.core.mentoring import (
    MAX_INITIALS,
    MAX_RUBRIC_NOTE,
    CommentStatus,
    MentorComment,
    Rating,
    ReviewConversation,
    ReviewMaterial,
    RubricLevel,
    SignOffRecord,
    SignOffState,
    Subject,
    add_comment,
    answer_comment,
    can_change_comments,
    comments,
    delete_comment,
    display_ref,
    edit_comment,
    is_mentor,
    level_label,
    rate_conversation,
    remembered_initials,
    resolve_comment,
    review_material,
    rubric,
    sign_off,
    sign_off_states,
    status_label,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.charts import WellbeingChart
from counsellor_app.gui.follow_ups import follow_up_summary
from counsellor_app.gui.formatting import format_day, format_duration, format_moment
from counsellor_app.gui.forms.ui_answer import Ui_AnswerDialog
from counsellor_app.gui.forms.ui_comment import Ui_CommentDialog
from counsellor_app.gui.forms.ui_review_rubric import Ui_RubricDialog
from counsellor_app.gui.forms.ui_sign_off import Ui_SignOffDialog
from counsellor_app.gui.guard import AnonymityGuard, GuardStatus
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import (
    choose_save_path,
    connect_save_cancel,
    is_dark,
    mix_colours,
    plain_button,
    pydate,
    show_dates,
    with_suffix,
)

#: Review mode starts a quarter larger than the rest of the window: two people read it.
DEFAULT_ZOOM = 1.25
ZOOM_STEPS = (1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)


# ---------------------------------------------------------------------- colours


def _comment_colours(widget: QWidget) -> tuple[str, str]:
    """(background, edge) of a comment card: a warm tint of the palette's base, so it
    reads as a note beside the text in light and dark mode alike."""
    palette = widget.palette()
    base = palette.color(QPalette.ColorRole.Base)
    warm = QColor("#8a6a00") if is_dark(widget) else QColor("#ffd966")
    edge = QColor("#e0b040") if is_dark(widget) else QColor("#b07d00")
    return mix_colours(base, warm, 0.28).name(), edge.name()


def _panel_colours(widget: QWidget) -> tuple[str, str]:
    """(background, border) of a step panel: the base colour framed by the palette's mid."""
    palette = widget.palette()
    return (
        palette.color(QPalette.ColorRole.Base).name(),
        palette.color(QPalette.ColorRole.Mid).name(),
    )


# ---------------------------------------------------------------------- small dialogs


def _initials(edit: QLineEdit, notebook: Notebook) -> QLineEdit:
    """``edit`` holding at most the initials' length, with the initials used last."""
    edit.setMaxLength(MAX_INITIALS)
    with contextlib.suppress(UserError):
        edit.setText(remembered_initials(notebook))
    return edit


def _five_lines(editor: QPlainTextEdit) -> QPlainTextEdit:
    editor.setMinimumHeight(editor.fontMetrics().lineSpacing() * 5)
    return editor


def where_text(material: ReviewMaterial | None, number: int, step: Step | None) -> str:
    """``Contact 2 · Advise`` (or the contact as a whole)."""
    contact = _("Contact {number}").format(number=number)
    if step is None:
        return _("{contact} as a whole").format(contact=contact)
    return f"{contact} · {label(step)}"


class CommentDialog(QDialog):
    """A mentor's comment on a conversation or one of its steps: initials and text; or,
    given ``editing``, the mentor changes the text of that comment (its author stays)."""

    def __init__(
        self,
        notebook: Notebook,
        subject: Subject,
        conversation_ref: str,
        step: Step | None,
        where: str,
        parent: QWidget | None = None,
        *,
        editing: MentorComment | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook, self._subject = notebook, subject
        self._ref, self._step = conversation_ref, step
        self._editing = editing
        #: The comment as stored, once saved.
        self.saved: MentorComment | None = None
        self.ui = Ui_CommentDialog()
        self.ui.setupUi(self)
        self.initials = _initials(self.ui.initials, notebook)
        self.text = _five_lines(self.ui.text)
        if editing is None:
            self.setWindowTitle(_("Comment on {where}").format(where=where))
        else:
            self.setWindowTitle(_("Change the comment on {where}").format(where=where))
            self.initials.setText(editing.author)
            self.initials.setEnabled(False)  # the comment stays its author's
            self.text.setPlainText(editing.text)
        self.guard = AnonymityGuard(self.text, notebook)
        self.guard_status = GuardStatus.below(self.text, self.guard)
        self.error = self.ui.error
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        (self.text if self.initials.text() else self.initials).setFocus()

    def save(self) -> None:
        try:
            if self._editing is not None:
                self.saved = edit_comment(
                    self._notebook, self._subject, self._editing.uid, self.text.toPlainText()
                )
            else:
                self.saved = add_comment(
                    self._notebook,
                    self._subject,
                    self._ref,
                    self._step,
                    self.initials.text(),
                    self.text.toPlainText(),
                )
        except UserError as error:
            self.error.show_error(str(error))
            return
        self.accept()


class AnswerDialog(QDialog):
    """The student's answer to a comment (on the student's own case)."""

    def __init__(
        self,
        notebook: Notebook,
        comment: MentorComment,
        where: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook, self._comment = notebook, comment
        self.saved: MentorComment | None = None
        self.ui = Ui_AnswerDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Answer the comment on {where}").format(where=where))
        self.ui.shown.setText(
            "<p><b>{}</b></p><p>{}</p>".format(
                html.escape(_("{author} wrote:").format(author=comment.author)),
                html.escape(comment.text).replace("\n", "<br>"),
            )
        )
        self.answer = _five_lines(self.ui.answer)
        self.answer.setPlainText(comment.answer)
        self.guard = AnonymityGuard(self.answer, notebook)
        self.guard_status = GuardStatus.below(self.answer, self.guard)
        self.error = self.ui.error
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        self.answer.setFocus()

    def save(self) -> None:
        try:
            self.saved = answer_comment(
                self._notebook, self._comment.subject, self._comment.uid, self.answer.toPlainText()
            )
        except UserError as error:
            self.error.show_error(str(error))
            return
        self.accept()


class SignOffDialog(QDialog):
    """The mentor signs off the review of the case: a date and initials."""

    def __init__(self, notebook: Notebook, subject: Subject, parent: QWidget | None = None):
        super().__init__(parent)
        self._notebook, self._subject = notebook, subject
        self.saved: SignOffRecord | None = None
        self.ui = Ui_SignOffDialog()
        self.ui.setupUi(self)
        self.day = show_dates(self.ui.day, date.today())
        self.initials = _initials(self.ui.initials, notebook)
        self.error = self.ui.error
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Sign &off"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        (self.day if self.initials.text() else self.initials).setFocus()

    def save(self) -> None:
        try:
            self.saved = sign_off(
                self._notebook, self._subject, pydate(self.day.date()), self.initials.text()
            )
        except UserError as error:
            self.error.show_error(str(error))
            return
        self.accept()


class RubricDialog(QDialog):
    """The mentor's rubric of one contact: a level and a short note for each of the four
    steps (a level left at "–" is no rating), and the mentor's initials."""

    def __init__(
        self,
        notebook: Notebook,
        subject: Subject,
        conversation_ref: str,
        where: str,
        ratings: Sequence[Rating] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook, self._subject, self._ref = notebook, subject, conversation_ref
        self.saved: list[Rating] = []
        self.ui = Ui_RubricDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(_("Rubric for {where}").format(where=where))
        self.initials = _initials(self.ui.initials, notebook)
        given = {r.step: r for r in ratings}
        rows = {
            Step.LISTEN: (self.ui.listen_level, self.ui.listen_note),
            Step.ADVISE: (self.ui.advise_level, self.ui.advise_note),
            Step.ALLIANCES: (self.ui.alliances_level, self.ui.alliances_note),
            Step.FOLLOW_UP: (self.ui.follow_up_level, self.ui.follow_up_note),
        }
        self.levels: dict[Step, QComboBox] = {}
        self.notes: dict[Step, QLineEdit] = {}
        for step, (combo, note) in rows.items():
            combo.addItem("–", None)
            for level in RubricLevel:
                combo.addItem(level_label(level), level.value)  # Qt keeps a str, not the enum
            combo.setAccessibleName(_("Level: {step}").format(step=label(step)))
            note.setAccessibleName(_("Note: {step}").format(step=label(step)))
            note.setMaxLength(MAX_RUBRIC_NOTE)
            rating = given.get(step)
            if rating is not None and rating.level is not None:
                combo.setCurrentIndex(max(0, combo.findData(rating.level.value)))
                note.setText(rating.note)
            self.levels[step], self.notes[step] = combo, note
        # (The notes pass the gate on their way to the student, as comments do.)
        self.error = self.ui.error
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.levels[Step.LISTEN].setFocus()

    def choose(self, step: Step, level: RubricLevel | None, note: str = "") -> None:
        """Set one row (for tests and scripts, as a mentor would)."""
        combo = self.levels[step]
        combo.setCurrentIndex(max(0, combo.findData(level.value)) if level else 0)
        self.notes[step].setText(note)

    def level(self, step: Step) -> RubricLevel | None:
        """The level chosen for ``step`` (None: "–")."""
        data = self.levels[step].currentData()
        return RubricLevel(data) if data else None

    def save(self) -> None:
        ratings = {step: (self.level(step), self.notes[step].text()) for step in self.levels}
        try:
            self.saved = rate_conversation(
                self._notebook, self._subject, self._ref, self.initials.text(), ratings
            )
        except UserError as error:
            self.error.show_error(str(error))
            return
        self.accept()


def rubric_text(ratings: Sequence[Rating]) -> str:
    """The rubric of a contact in one line: ``Listen: Well (a note) · Advise: Partly``."""
    parts = []
    for rating in sorted(ratings, key=lambda r: list(Step).index(r.step)):
        if rating.level is None:
            continue
        part = f"{label(rating.step)}: {level_label(rating.level)}"
        if rating.note:
            part += f" ({rating.note})"
        parts.append(part)
    return " · ".join(parts)


def sign_off_text(state: SignOffState) -> str:
    """``Signed off by MK on 2 Apr 2026.``, and that it is outdated when it is."""
    text = _("Signed off by {mentor} on {day}.").format(
        mentor=state.mentor, day=format_day(state.day)
    )
    if state.outdated:
        text += " " + _("Outdated: the case has changed since.")
    return text


# ---------------------------------------------------------------------- the pieces


def _wrapping_label(text: str = "", *, rich: bool = False) -> QLabel:
    widget = QLabel()
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setWordWrap(True)
    widget.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


def _small_button(text: str, accessible: str, slot: Callable[[], object]) -> QPushButton:
    made = plain_button(text, accessible)
    made.clicked.connect(slot)
    made.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return made


class CommentCard(QFrame):
    """One comment beside the text it is about: who, when, its status, the text, the
    student's answer; Answer… (the student's own case) and Resolve / Reopen."""

    answer_requested = Signal(object)
    resolve_requested = Signal(object, bool)
    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(
        self,
        comment: MentorComment,
        where: str,
        *,
        can_answer: bool,
        can_change: bool = False,
        font: QFont | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if font is not None:
            self.setFont(font)
        self.comment = comment
        resolved = comment.status is CommentStatus.RESOLVED
        facts = f"{format_day(comment.created_at)} · {status_label(comment.status)}"
        if comment.edited_at is not None:
            facts += " · " + _("changed {day}").format(day=format_day(comment.edited_at))
        head = _wrapping_label(
            f"<b>{html.escape(comment.author)}</b> · {html.escape(facts)}", rich=True
        )
        body = _wrapping_label(comment.text)
        body.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        body.setAccessibleName(
            _("Comment by {author} on {where}").format(author=comment.author, where=where)
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(head)
        layout.addWidget(body)
        self.answer_label: QLabel | None = None
        if comment.answer.strip():
            self.answer_label = _wrapping_label(
                "<i>{}</i> {}".format(
                    html.escape(_("Answer:")), html.escape(comment.answer).replace("\n", "<br>")
                ),
                rich=True,
            )
            self.answer_label.setAccessibleName(_("The student's answer"))
            layout.addWidget(self.answer_label)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 2, 0, 0)
        self.answer_button: QPushButton | None = None
        if can_answer:
            self.answer_button = _small_button(
                _("Answer…") if not comment.answer else _("Change answer…"),
                _("Answer the comment on {where}").format(where=where),
                lambda: self.answer_requested.emit(self.comment),
            )
            buttons.addWidget(self.answer_button)
        self.resolve_button = _small_button(
            _("Reopen") if resolved else _("Resolve"),
            (
                _("Reopen the comment on {where}")
                if resolved
                else _("Resolve the comment on {where}")
            ).format(where=where),
            lambda: self.resolve_requested.emit(self.comment, not resolved),
        )
        buttons.addWidget(self.resolve_button)
        self.edit_button: QPushButton | None = None
        self.delete_button: QPushButton | None = None
        if can_change:
            self.edit_button = _small_button(
                _("Change…"),
                _("Change the comment on {where}").format(where=where),
                lambda: self.edit_requested.emit(self.comment),
            )
            self.delete_button = _small_button(
                _("Delete…"),
                _("Delete the comment on {where}").format(where=where),
                lambda: self.delete_requested.emit(self.comment),
            )
            buttons.addWidget(self.edit_button)
            buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Painted rather than styled: a style sheet would stop the zoomed font from
        # reaching the labels inside.
        background, edge = _comment_colours(self)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(QRectF(self.rect()), 3, 3)
        painter.setBrush(QColor(edge))
        painter.drawRect(QRectF(0, 0, 3, self.height()))
        painter.end()


class StepPanel(QFrame):
    """One step of a conversation: its note, the comments on it, and Comment…."""

    comment_requested = Signal(str, object)

    def __init__(
        self,
        conversation: ReviewConversation,
        step: Step,
        cards: Sequence[CommentCard],
        font: QFont | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if font is not None:
            self.setFont(font)
        self.step = step
        where = where_text(None, conversation.number, step)
        title = QLabel(f"{list(Step).index(step) + 1}. {label(step)}")
        title_font = QFont(self.font())
        title_font.setBold(True)
        title.setFont(title_font)
        text = conversation.notes.get(step, "").strip()
        self.note = _wrapping_label(text or _("(no note)"))
        self.note.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.note.setAccessibleName(where)
        if not text:
            self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.cards = list(cards)
        self.comment_button = _small_button(
            _("Comment…"),
            _("Comment on {where}").format(where=where),
            lambda: self.comment_requested.emit(conversation.ref, step),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.note)
        for card in self.cards:
            layout.addWidget(card)
        layout.addStretch(1)
        layout.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignLeft)

    def note_text(self) -> str:
        return self.note.text()

    def paintEvent(self, event: QPaintEvent) -> None:
        background, border = _panel_colours(self)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(border), 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.end()


class ConversationPanel(QGroupBox):
    """One conversation of the timeline: when, how, its wellbeing; the comments on it as
    a whole; its four steps side by side."""

    comment_requested = Signal(str, object)
    #: The mentor asks for the rubric of this contact (its reference).
    rubric_requested = Signal(str)

    def __init__(
        self,
        conversation: ReviewConversation,
        comment_cards: dict[Step | None, list[CommentCard]],
        font: QFont | None = None,
        parent: QWidget | None = None,
        *,
        ratings: Sequence[Rating] = (),
        can_rate: bool = False,
    ) -> None:
        super().__init__(_("Contact {number}").format(number=conversation.number), parent)
        if font is not None:
            self.setFont(font)
        self.conversation = conversation
        facts = [
            format_moment(conversation.started_at)
            if conversation.started_at is not None
            else format_day(conversation.day),
            label(conversation.channel),
        ]
        minutes = format_duration(conversation.duration_minutes * 60)
        if minutes:
            facts.append(minutes)
        level = conversation.overall_wellbeing()
        if level is not None:
            facts.append(_("wellbeing: {level}").format(level=label(level)))
        self.facts = _wrapping_label(" · ".join(facts))
        whole = where_text(None, conversation.number, None)
        self.comment_button = _small_button(
            _("Comment on the contact…"),
            _("Comment on {where}").format(where=whole),
            lambda: self.comment_requested.emit(conversation.ref, None),
        )
        top = QHBoxLayout()
        top.addWidget(self.facts, 1)
        top.addWidget(self.comment_button, 0, Qt.AlignmentFlag.AlignTop)
        self.rubric_button: QPushButton | None = None
        if can_rate:
            self.rubric_button = _small_button(
                _("Rubric…"),
                _("Rubric for {where}").format(where=whole),
                lambda: self.rubric_requested.emit(conversation.ref),
            )
            top.addWidget(self.rubric_button, 0, Qt.AlignmentFlag.AlignTop)
        self.ratings = list(ratings)
        summary = rubric_text(self.ratings)
        self.rubric_label = _wrapping_label(
            _("Rubric: {ratings}").format(ratings=summary) if summary else ""
        )
        self.rubric_label.setAccessibleName(_("Rubric for {where}").format(where=whole))
        self.rubric_label.setVisible(bool(summary))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rubric_label)
        self.cards = list(comment_cards.get(None, []))
        for card in self.cards:
            layout.addWidget(card)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.steps: dict[Step, StepPanel] = {}
        for step in Step:
            panel = StepPanel(conversation, step, comment_cards.get(step, []), font)
            panel.comment_requested.connect(self.comment_requested)
            self.steps[step] = panel
            row.addWidget(panel, 1)
        layout.addLayout(row)


# ---------------------------------------------------------------------- review mode


class ReviewView(QWidget):
    """Review mode for one case (see the module's docstring). :meth:`load` it with a
    notebook and a :class:`Subject`; :meth:`clear` forgets everything."""

    #: A comment, an answer or a sign-off was stored.
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, zoom: float = DEFAULT_ZOOM) -> None:
        super().__init__(parent)
        self._notebook: Notebook | None = None
        self._subject: Subject | None = None
        self._material: ReviewMaterial | None = None
        self._comments: list[MentorComment] = []
        self._sign_offs: list[SignOffState] = []
        self._ratings: list[Rating] = []
        self._base_font = QFont(self.font())
        self._zoom = zoom
        self.conversation_panels: list[ConversationPanel] = []
        #: The dialog open from review mode (comment, answer, sign-off), for tests.
        self.dialog: QDialog | None = None

        self.title = QLabel()
        self.title.setAccessibleName(_("Case under review"))
        self.summary = _wrapping_label()
        self.smaller_button = _small_button(_("A−"), _("Smaller text"), self.zoom_out)
        self.smaller_button.setToolTip(_("Smaller text") + " (Ctrl+-)")
        self.larger_button = _small_button(_("A+"), _("Larger text"), self.zoom_in)
        self.larger_button.setToolTip(_("Larger text") + " (Ctrl++)")
        self.details_toggle = QCheckBox(_("Show call-back number and concern &reasoning"))
        self.details_toggle.setAccessibleName(_("Show call-back number and concern reasoning"))
        self.details_toggle.toggled.connect(self._show_details)
        self.sign_off_button = QPushButton(_("Sign &off the review…"))
        self.sign_off_button.setAccessibleName(_("Sign off the review"))
        self.sign_off_button.clicked.connect(self.open_sign_off_dialog)
        self.case_study_button = QPushButton(_("Case st&udy PDF…"))
        self.case_study_button.setAccessibleName(_("Save a de-identified case study as PDF"))
        self.case_study_button.clicked.connect(self.save_case_study)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.smaller_button)
        header.addWidget(self.larger_button)
        header.addSpacing(12)
        header.addWidget(self.details_toggle)
        header.addSpacing(12)
        header.addWidget(self.sign_off_button)
        header.addWidget(self.case_study_button)

        # Left: the timeline of conversations (oldest first, as a review reads a story).
        self.timeline = QWidget()
        self.timeline_layout = QVBoxLayout(self.timeline)
        self.timeline_layout.setContentsMargins(0, 0, 6, 0)
        self.timeline_scroll = QScrollArea()
        self.timeline_scroll.setWidgetResizable(True)
        self.timeline_scroll.setWidget(self.timeline)
        self.timeline_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.timeline_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # Right: trajectory, alliances, follow-ups, concerns, reflections, sign-offs.
        self.chart = WellbeingChart()
        # Wrapped text rather than tables: the side panel is narrow, the text large.
        self.alliances = _wrapping_label(rich=True)
        self.alliances.setAccessibleName(_("Alliances"))
        self.follow_ups = _wrapping_label(rich=True)
        self.follow_ups.setAccessibleName(_("Follow-ups"))
        for widget in (self.alliances, self.follow_ups):
            widget.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        self.callback_label = _wrapping_label()
        self.callback_label.setAccessibleName(_("Call-back number"))
        self.concerns_box = QWidget()
        self.concerns_layout = QVBoxLayout(self.concerns_box)
        self.concerns_layout.setContentsMargins(0, 0, 0, 0)
        self.concern_labels: list[QLabel] = []
        self.reflections_label = _wrapping_label(rich=True)
        self.reflections_label.setAccessibleName(_("The student's reflections"))
        self.reflections_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.sign_offs_label = _wrapping_label()
        self.sign_offs_label.setAccessibleName(_("Sign-offs"))

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        privacy = QWidget()
        privacy_layout = QVBoxLayout(privacy)
        privacy_layout.setContentsMargins(0, 0, 0, 0)
        privacy_layout.addWidget(self.callback_label)
        privacy_layout.addWidget(self.concerns_box)
        self.side_boxes: dict[str, QGroupBox] = {}
        boxes: tuple[tuple[str, str, QWidget], ...] = (
            ("chart", _("Wellbeing across contacts"), self.chart),
            ("alliances", _("Alliances"), self.alliances),
            ("follow_ups", _("Follow-ups"), self.follow_ups),
            ("privacy", _("Call-back and concerns"), privacy),
            ("reflections", _("The student's reflections"), self.reflections_label),
            ("sign_offs", _("Sign-offs"), self.sign_offs_label),
        )
        for key, title, content in boxes:
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(content)
            side_layout.addWidget(box)
            self.side_boxes[key] = box
        side_layout.addStretch(1)
        self.side_scroll = QScrollArea()
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setWidget(side)
        self.side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.side_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.timeline_scroll)
        self.splitter.addWidget(self.side_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self._splitter_moved = False
        self.splitter.splitterMoved.connect(lambda *_args: setattr(self, "_splitter_moved", True))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)

        zoom_keys: tuple[tuple[tuple[QKeySequence, ...], Callable[[], None]], ...] = (
            ((QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")), self.zoom_in),
            ((QKeySequence(QKeySequence.StandardKey.ZoomOut),), self.zoom_out),
            ((QKeySequence("Ctrl+0"),), self.reset_zoom),
        )
        for sequences, slot in zoom_keys:
            for sequence in sequences:
                shortcut = QShortcut(sequence, self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)
        self._apply_zoom()
        self.clear()

    # -------------------------------------------------------------- loading

    @property
    def subject(self) -> Subject | None:
        return self._subject

    @property
    def material(self) -> ReviewMaterial | None:
        return self._material

    def load(self, notebook: Notebook, subject: Subject) -> None:
        """Show ``subject`` of ``notebook``; the details start hidden."""
        self._notebook, self._subject = notebook, subject
        self.details_toggle.blockSignals(True)
        self.details_toggle.setChecked(False)
        self.details_toggle.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Read the case again (after a comment or a sign-off, or an import)."""
        if self._notebook is None or self._subject is None:
            return
        self._material = review_material(self._notebook, self._subject)
        self._comments = comments(self._notebook, self._subject)
        self._sign_offs = sign_off_states(self._notebook, self._subject)
        self._ratings = rubric(self._notebook, self._subject)
        self._render()

    def clear(self) -> None:
        """Forget the case: nothing of it stays on screen or in this widget."""
        self._notebook = self._subject = self._material = None
        self._comments, self._sign_offs, self._ratings = [], [], []
        self.details_toggle.setChecked(False)
        self._render()

    # -------------------------------------------------------------- zoom

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, factor: float) -> None:
        self._zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], factor))
        self._apply_zoom()
        self._render()

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self._zoom - 0.01]
        self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def reset_zoom(self) -> None:
        self.set_zoom(DEFAULT_ZOOM)

    def _apply_zoom(self) -> None:
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * self._zoom)
        self.setFont(font)
        title_font = QFont(font)
        title_font.setBold(True)
        title_font.setPointSizeF(font.pointSizeF() * 1.35)
        self.title.setFont(title_font)
        self.smaller_button.setEnabled(self._zoom > ZOOM_STEPS[0] + 0.01)
        self.larger_button.setEnabled(self._zoom < ZOOM_STEPS[-1] - 0.01)

    # -------------------------------------------------------------- rendering

    def _can_answer(self) -> bool:
        return self._subject is not None and self._subject.is_own

    def can_review(self) -> bool:
        """Whether this is the mentor's review: a case received for review in the
        mentor's notebook (the mentor signs it off and fills in the rubric there)."""
        return (
            self._notebook is not None
            and self._subject is not None
            and not self._subject.is_own
            and is_mentor(self._notebook.role)
        )

    def _can_change(self) -> bool:
        return self._notebook is not None and can_change_comments(self._notebook)

    def _render(self) -> None:
        material = self._material
        enabled = material is not None
        for widget in (self.details_toggle, self.sign_off_button, self.case_study_button):
            widget.setEnabled(enabled)
        # Only the mentor signs off, on the case received (a student's sign-offs come
        # with the mentor's comments).
        self.sign_off_button.setVisible(self.can_review())
        # the timeline
        for panel in self.conversation_panels:
            panel.setParent(None)
            panel.deleteLater()
        self.conversation_panels = []
        while self.timeline_layout.count():
            item = self.timeline_layout.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.setParent(None)
                old.deleteLater()
        if material is None:
            self.title.clear()
            self.summary.clear()
            self.chart.clear()
            self.alliances.clear()
            self.follow_ups.clear()
            self.callback_label.clear()
            self._set_concerns([])
            self.reflections_label.clear()
            self.sign_offs_label.clear()
            return
        self.title.setText(_("Review of case {title}").format(title=material.title))
        self.summary.setText(self._summary_text(material))
        by_conversation: dict[str, dict[Step | None, list[CommentCard]]] = {}
        for comment in self._comments:
            where = where_text(material, comment.conversation_number, comment.step)
            card = CommentCard(
                comment,
                where,
                can_answer=self._can_answer(),
                can_change=self._can_change(),
                font=self.font(),
            )
            card.answer_requested.connect(self.open_answer_dialog)
            card.resolve_requested.connect(self.set_resolved)
            card.edit_requested.connect(self.open_edit_dialog)
            card.delete_requested.connect(self.delete_comment)
            by_conversation.setdefault(comment.conversation_ref, {}).setdefault(
                comment.step, []
            ).append(card)
        if not material.conversations:
            self.timeline_layout.addWidget(_wrapping_label(_("No conversations yet.")))
        for conversation in material.conversations:
            panel = ConversationPanel(
                conversation,
                by_conversation.get(conversation.ref, {}),
                self.font(),
                ratings=[r for r in self._ratings if r.conversation_ref == conversation.ref],
                can_rate=self.can_review(),
            )
            panel.comment_requested.connect(self.open_comment_dialog)
            panel.rubric_requested.connect(self.open_rubric_dialog)
            self.timeline_layout.addWidget(panel)
            self.conversation_panels.append(panel)
        self.timeline_layout.addStretch(1)
        self._render_side(material)
        self._set_tab_order()

    def _summary_text(self, material: ReviewMaterial) -> str:
        tax = taxonomy()
        parts = []
        themes = [tax.label("themes", t) for t in material.themes]
        parts.append(
            _("Themes: {themes}").format(themes=", ".join(themes))
            if themes
            else _("No themes chosen yet.")
        )
        if material.age_band is not None:
            parts.append(_("{band} years").format(band=material.age_band.value))
        parts.append(label(material.status))
        if material.de_identified:
            who = material.student or material.student_id
            sent = format_day(material.sent_at) if material.sent_at else ""
            parts.append(
                _("A de-identified copy sent by {student} on {day}; read only.").format(
                    student=who, day=sent
                )
            )
        return " · ".join(parts)

    def _render_side(self, material: ReviewMaterial) -> None:
        self.chart.set_contacts(
            [
                (c.started_at or datetime.combine(c.day, time(12)), c.wellbeing)
                for c in material.conversations
            ]
        )
        rows = []
        for a in material.case.alliances:
            head = " · ".join([label(a.partner), label(a.status), label(a.consent)])
            lines = [f"<b>{html.escape(head)}</b>"]
            if a.role.strip():
                lines.append(html.escape(_("Role: {text}").format(text=a.role)))
            if a.agreed.strip():
                lines.append(html.escape(_("Agreed: {text}").format(text=a.agreed)))
            rows.append("<br>".join(lines))
        self.alliances.setText(
            "<p>" + "</p><p>".join(rows) + "</p>"
            if rows
            else html.escape(_("No alliances recorded."))
        )
        rows = []
        for f in material.case.follow_ups:
            head = f"{format_day(f.due)} · {outcome_label(f.outcome)}"
            tasks = follow_up_summary(
                FollowUp(0, f.due, counsellor_task=f.counsellor_task, parent_task=f.parent_task,
                         others_task=f.others_task)
            )  # fmt: skip
            rows.append(f"<b>{html.escape(head)}</b><br>{html.escape(tasks)}" if tasks
                        else f"<b>{html.escape(head)}</b>")  # fmt: skip
        self.follow_ups.setText(
            "<p>" + "</p><p>".join(rows) + "</p>"
            if rows
            else html.escape(_("No follow-ups recorded."))
        )
        self._set_concerns(list(material.case.concerns))
        if material.reflections:
            parts = []
            for entry in material.reflections:
                parts_of_entry = (
                    (_("What worked"), entry.worked),
                    (_("What I would do differently"), entry.differently),
                    (_("What I want to learn"), entry.learn),
                )
                written = "".join(
                    f"<br><i>{html.escape(caption)}:</i> {html.escape(text)}"
                    for caption, text in parts_of_entry
                    if text.strip()
                )
                parts.append(f"<p><b>{html.escape(format_day(entry.day))}</b>{written}</p>")
            self.reflections_label.setText("".join(parts))
        else:
            self.reflections_label.setText(html.escape(_("No reflections written yet.")))
        self._render_sign_offs()
        self._show_details(self.details_toggle.isChecked())

    def _render_sign_offs(self) -> None:
        if self._sign_offs:
            self.sign_offs_label.setText("\n".join(sign_off_text(s) for s in self._sign_offs))
        else:
            self.sign_offs_label.setText(_("The review has not been signed off yet."))

    def _set_concerns(self, _concerns: list[object]) -> None:
        for widget in self.concern_labels:
            widget.setParent(None)
            widget.deleteLater()
        self.concern_labels = []

    # -------------------------------------------------------------- hidden details

    def details_shown(self) -> bool:
        return self.details_toggle.isChecked()

    def _show_details(self, shown: bool) -> None:
        """Show or hide the call-back number and the reasoning of concerns."""
        material = self._material
        self._set_concerns(list(material.case.concerns) if material else [])
        if material is None:
            return
        if material.de_identified:
            callback = _("Call-back numbers never leave the student's notebook.")
        elif not material.callback:
            callback = _("No call-back number was left.")
        elif shown:
            callback = _("Call-back number: {phone}").format(phone=material.callback)
        else:
            callback = _("Call-back number: hidden")
        self.callback_label.setText(callback)
        if not material.case.concerns:
            empty = _wrapping_label(_("No concern recorded."))
            self.concerns_layout.addWidget(empty)
            self.concern_labels.append(empty)
        for concern in material.case.concerns:
            text = _("{day}: {signs}; decision: {decision}").format(
                day=format_day(concern.day),
                signs=label(concern.signs),
                decision=label(concern.decision),
            )
            if concern.reasoning.strip():
                if shown:
                    text += "\n" + _("Reasoning: {text}").format(text=concern.reasoning)
                else:
                    text += "\n" + _("Reasoning: hidden")
            item = _wrapping_label(text)
            item.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.concerns_layout.addWidget(item)
            self.concern_labels.append(item)

    def visible_text(self) -> str:
        """Every text review mode shows now (for tests: what a second person could read)."""
        texts = [self.title.text(), self.summary.text(), self.callback_label.text()]
        texts += [w.text() for w in self.concern_labels]
        for panel in self.conversation_panels:
            texts.append(panel.facts.text())
            texts.append(panel.rubric_label.text())
            texts += [step.note_text() for step in panel.steps.values()]
        return "\n".join(texts)

    # -------------------------------------------------------------- actions

    def open_comment_dialog(self, conversation_ref: str, step: Step | None) -> CommentDialog | None:
        """Ask for a comment on a conversation (``step`` None) or one of its steps."""
        if self._notebook is None or self._subject is None or self._material is None:
            return None
        number = next(
            (c.number for c in self._material.conversations if c.ref == conversation_ref), 0
        )
        dialog = CommentDialog(
            self._notebook,
            self._subject,
            conversation_ref,
            step,
            where_text(self._material, number, step),
            self,
        )
        self._open(dialog)
        return dialog

    def open_answer_dialog(self, comment: MentorComment) -> AnswerDialog | None:
        if self._notebook is None or self._material is None:
            return None
        where = where_text(self._material, comment.conversation_number, comment.step)
        dialog = AnswerDialog(self._notebook, comment, where, self)
        self._open(dialog)
        return dialog

    def open_edit_dialog(self, comment: MentorComment) -> CommentDialog | None:
        """The mentor changes the text of a comment."""
        if self._notebook is None or self._subject is None or self._material is None:
            return None
        where = where_text(self._material, comment.conversation_number, comment.step)
        dialog = CommentDialog(
            self._notebook,
            self._subject,
            comment.conversation_ref,
            comment.step,
            where,
            self,
            editing=comment,
        )
        self._open(dialog)
        return dialog

    def delete_comment(self, comment: MentorComment, *, confirm: bool = True) -> bool:
        """The mentor deletes a comment (asked first); True when deleted."""
        if self._notebook is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self,
                _("Delete the comment?"),
                _(
                    "Delete your comment for good? The student's answer to it goes too, and "
                    "the student's copy is deleted with your next comments file."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            delete_comment(self._notebook, comment.subject, comment.uid)
        except UserError as error:
            QMessageBox.warning(self, _("Review mode"), str(error))
            return False
        self._stored()
        return True

    def open_rubric_dialog(self, conversation_ref: str) -> RubricDialog | None:
        """The mentor's rubric of one contact."""
        if self._notebook is None or self._subject is None or self._material is None:
            return None
        number = next(
            (c.number for c in self._material.conversations if c.ref == conversation_ref), 0
        )
        dialog = RubricDialog(
            self._notebook,
            self._subject,
            conversation_ref,
            where_text(self._material, number, None),
            [r for r in self._ratings if r.conversation_ref == conversation_ref],
            self,
        )
        self._open(dialog)
        return dialog

    def sign_off_states(self) -> list[SignOffState]:
        return list(self._sign_offs)

    def open_sign_off_dialog(self) -> SignOffDialog | None:
        if self._notebook is None or self._subject is None or not self.can_review():
            return None
        dialog = SignOffDialog(self._notebook, self._subject, self)
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog
        dialog.accepted.connect(self._stored)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _stored(self) -> None:
        self.reload()
        self.changed.emit()

    def set_resolved(self, comment: MentorComment, resolved: bool) -> None:
        if self._notebook is None:
            return
        try:
            resolve_comment(self._notebook, comment.subject, comment.uid, resolved)
        except UserError as error:
            QMessageBox.warning(self, _("Review mode"), str(error))
            return
        self._stored()

    def save_case_study(self) -> None:
        if self._notebook is not None and self._subject is not None and self._material:
            save_case_study(self, self._notebook, self._subject, material=self._material)

    # -------------------------------------------------------------- keyboard order

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.smaller_button,
            self.larger_button,
            self.details_toggle,
            self.sign_off_button,
            self.case_study_button,
        ]
        for panel in self.conversation_panels:
            chain.append(panel.comment_button)
            if panel.rubric_button is not None:
                chain.append(panel.rubric_button)
            for card in panel.cards:
                chain += _card_widgets(card)
            for step_panel in panel.steps.values():
                chain.append(step_panel.note)
                for card in step_panel.cards:
                    chain += _card_widgets(card)
                chain.append(step_panel.comment_button)
        chain += [self.chart, self.alliances, self.follow_ups]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 160, metrics.lineSpacing() * 40)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._share_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share_width()

    def _share_width(self) -> None:
        """The timeline gets about seven tenths of the width, the side panel the rest
        (until someone drags the splitter)."""
        if self._splitter_moved:
            return
        total = self.splitter.width()
        side = max(self.chart.minimumSizeHint().width() + 40, round(total * 0.3))
        self.splitter.blockSignals(True)
        self.splitter.setSizes([max(1, total - side), side])
        self.splitter.blockSignals(False)


def _card_widgets(card: CommentCard) -> list[QWidget]:
    widgets: list[QWidget] = []
    if card.answer_button is not None:
        widgets.append(card.answer_button)
    widgets.append(card.resolve_button)
    widgets += [w for w in (card.edit_button, card.delete_button) if w is not None]
    return widgets


# ---------------------------------------------------------------------- the window


class ReviewWindow(QDialog):
    """Review mode in a window of its own (not modal: the notebook stays usable). It
    forgets the case when closed, and closes with the app's lock."""

    def __init__(self, notebook: Notebook, subject: Subject, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.view = ReviewView(self)
        self.view.load(notebook, subject)
        material = self.view.material
        title = material.title if material else ""
        self.setWindowTitle(_("Review mode: {title}").format(title=title))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        hint = self.view.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            hint = hint.boundedTo(QSize(screen.width() - 40, screen.height() - 80))
        self.resize(hint)

    def done(self, result: int) -> None:
        dialog = self.view.dialog
        if dialog is not None:
            dialog.reject()
        self.view.clear()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.clear()
        super().closeEvent(event)


def open_review(
    notebook: Notebook, subject: Subject, parent: QWidget | None = None
) -> ReviewWindow:
    """Open review mode for ``subject`` in its own window and return it."""
    window = ReviewWindow(notebook, subject, parent)
    window.show()
    return window


def case_study_file_name(material: ReviewMaterial) -> str:
    """The name offered for a case study's PDF: the case's review reference (``R-…``), as
    in the PDF itself, never the case code the parent was given."""
    return _("case-study") + f"-{display_ref(material.case_ref)}.pdf"


def save_case_study(
    parent: QWidget,
    notebook: Notebook,
    subject: Subject,
    path: Path | None = None,
    *,
    material: ReviewMaterial | None = None,
) -> Task[Path] | None:
    """Ask where to save the de-identified case study PDF (unless ``path`` is given),
    write it on the notebook lane, and then say where it went or why not (a message that
    does not block). Returns the task writing it, or None if nothing was started.

    The name offered is :func:`case_study_file_name` (``material`` saves reading the case
    again)."""
    from counsellor_app.core.case_study import write_case_study

    if path is None:
        try:
            material = material or review_material(notebook, subject)
        except UserError as error:
            _tell(parent, QMessageBox.Icon.Warning, str(error))
            return None
        chosen = choose_save_path(
            parent,
            _("Save the case study"),
            case_study_file_name(material),
            _("PDF documents (*.pdf)"),
        )
        if not chosen:
            return None
        path = chosen
    target = with_suffix(path, ".pdf")
    runner = TaskRunner(parent, Lane.NOTEBOOK)

    def written(where: Path) -> None:
        runner.deleteLater()
        _tell(
            parent,
            QMessageBox.Icon.Information,
            _(
                "The de-identified case study was saved to {path}. Read it through before "
                "you share it: the anonymity guard is a careful helper, not a guarantee."
            ).format(path=where),
        )

    def failed(sentence: str) -> None:
        runner.deleteLater()
        _tell(parent, QMessageBox.Icon.Warning, sentence)

    return runner.run(
        lambda _task: write_case_study(notebook, subject, target), success=written, failure=failed
    )


def _tell(parent: QWidget, icon: QMessageBox.Icon, text: str) -> QMessageBox:
    """A message that does not block (it closes with the window, and with the lock)."""
    box = QMessageBox(icon, _("Case study"), text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


__all__ = [
    "DEFAULT_ZOOM",
    "AnswerDialog",
    "CommentCard",
    "CommentDialog",
    "ConversationPanel",
    "ReviewView",
    "ReviewWindow",
    "RubricDialog",
    "SignOffDialog",
    "StepPanel",
    "case_study_file_name",
    "open_review",
    "rubric_text",
    "save_case_study",
    "sign_off_text",
]
