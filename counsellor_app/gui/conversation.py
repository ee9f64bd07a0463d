"""The conversation editor: the four counselling steps on one page, saved as you type.

A counsellor is on the phone, so nothing here may make the window wait: a change starts
a short timer (one that further typing does not restart, so a steady typist's text is
saved too, never more than that long after a keystroke), and the note is written on the
task runner's lane for notes (:data:`Lane.NOTES`: one thread, so saves are written in
order). :meth:`ConversationEditor.flush` writes whatever is still pending, synchronously,
before the notebook is locked or closed; text the disk refuses stays pending (and on
screen) until a save succeeds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFocusEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counsellor_app.core.domain import Step, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.callback import CallbackField
from counsellor_app.gui.guard import AnonymityGuard, GuardStatus
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import risk_label

#: Milliseconds from a change to the save that takes it (typing on does not postpone it:
#: a crash loses at most this much, plus the save itself; tests/faults proves it).
DEBOUNCE_MS = 700

#: What the call timer reads: seconds on a clock that never jumps. Tests set their own,
#: so that a call lasts a minute without a minute of waiting.
call_clock: Callable[[], float] = time.monotonic


def step_prompt(step: Step) -> str:
    """The short prompt shown in an empty step, in the current language."""
    prompts = {
        Step.LISTEN: _(
            "What happens? Since when? In which arena? What has been tried? "
            "The child's own perspective."
        ),
        Step.ADVISE: _("Advice and guidance given: preventive and remedial."),
        Step.ALLIANCES: _(
            "Who is or should be involved (school, daycare, PPR, ...)? What was agreed? "
            "Does the parent consent?"
        ),
        Step.FOLLOW_UP: _("Next contact, and what each party will do before it."),
    }
    return prompts[step]


class NoteEdit(QPlainTextEdit):
    """A step's notes: a plain text editor that says when the focus leaves it (its text is
    saved then). Not an event filter: that would run Python for every event of the
    editor, i.e. several for every key."""

    #: The focus left the editor.
    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.left.emit()
        super().focusOutEvent(event)


class ConversationEditor(QWidget):
    """The notes of one conversation: Lyt, Rådgiv, Alliancer, Opfølgning, and a call timer."""

    saved = Signal()
    save_failed = Signal(str)

    def __init__(
        self, notebook: Notebook, conversation_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._conversation_id = conversation_id
        self.call_case_code = ""
        self._state_lock = threading.Lock()
        conversation = notebook.conversation(conversation_id)
        self._wiped = False
        self._last_saved: dict[Step, str] = {
            step: conversation.notes.get(step, "") or "" for step in Step
        }

        self._tasks = TaskRunner(self, Lane.NOTES)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._save_changed)

        # The call timer: the length counted before (kept across a lock or a crash) plus
        # the stretch running since the timer was last started (None: not running).
        self.live = False
        self._counted = 0
        self._call_started: float | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self._show_time)
        self.timer_label = QLabel("00:00")
        self.timer_label.setAccessibleName(_("Call time"))
        # After a lock or a crash the call comes back with its timer paused: typing in a
        # step, or this button, goes on counting.
        self.resume_button = QPushButton(_("Resume the timer"))
        self.resume_button.hide()
        self.resume_button.clicked.connect(self.resume)
        #: Shown when the case has a concern with signs of serious risk.
        self.risk_label = risk_label()
        #: What happened to the call (paused by a lock, interrupted by a crash).
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()

        # The call-back number, beside the notes and apart from them: a phone number the
        # guard finds in a note moves here by one key (Ctrl+Shift+T).
        self.callback = CallbackField()
        self.callback.load(notebook, conversation.case_id)
        self.callback.save_failed.connect(self.save_failed.emit)

        #: What the guard's keys did: identifiers left after a replacement, or none at the
        #: cursor (Ctrl+Shift+R, Ctrl+Alt+R, Ctrl+Alt+I).
        self.guard_status = GuardStatus()
        self.editors: dict[Step, QPlainTextEdit] = {}
        #: Identifiers underlined as the counsellor types (Ctrl+Shift+R replaces one).
        self.guards: dict[Step, AnonymityGuard] = {}
        page = QWidget()
        page_layout = QVBoxLayout(page)
        for number, step in enumerate(Step, start=1):
            heading = QLabel(f"{number}. {label(step)}")
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            editor = NoteEdit()
            editor.setObjectName(f"note_{step.value}")
            editor.setAccessibleName(label(step))
            editor.setAccessibleDescription(step_prompt(step))
            editor.setPlaceholderText(step_prompt(step))
            editor.setTabChangesFocus(True)
            editor.setPlainText(self._last_saved[step])
            editor.left.connect(lambda s=step: self._queue(s))
            heading.setBuddy(editor)
            page_layout.addWidget(heading)
            page_layout.addWidget(editor)
            self.editors[step] = editor
            # The guard reads, stores and follows the notebook's kept words (Ctrl+Alt+I).
            guard = self.guards[step] = AnonymityGuard(editor, notebook)
            guard.takes_phone = True
            # The autosave follows the text through the guard's one slot for every change
            # (a slot of its own would be a second Python call for every key).
            guard.on_edit = self._on_edit
            guard.phone_taken.connect(self.callback.set_number)
            self.guard_status.watch(guard)
            # From anywhere in the window during the call (the search box, the case's
            # fields): the counsellor goes back to the notes without the mouse.
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda s=step: self.focus_step(s))

        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the notes inside
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)

        top = QHBoxLayout()
        top.addWidget(self.risk_label)
        top.addWidget(self.callback, 1)
        top.addWidget(self.resume_button)
        top.addWidget(self.timer_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        # On a row of its own: in the header row a wrapped sentence was squeezed into a
        # tall, narrow column beside the call-back field.
        layout.addWidget(self.notice)
        layout.addWidget(scroll)
        layout.addWidget(self.guard_status)

    # ------------------------------------------------------------------ kept words

    def set_kept_words(self, words: frozenset[str]) -> None:
        """Underline none of ``words`` (the notebook's kept words, as they are now)."""
        for guard in self.guards.values():
            guard.set_kept(words)

    # ------------------------------------------------------------------ steps

    def focus_step(self, step: Step) -> None:
        editor = self.editors[step]
        editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
        parent = editor.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(editor)

    def place(self) -> tuple[Step, int]:
        """Where the counsellor is writing: the step whose notes have the focus (else the
        first step) and the text cursor's position in it."""
        focused = next((step for step, box in self.editors.items() if box.hasFocus()), None)
        step = focused if focused is not None else Step.LISTEN
        return step, self.editors[step].textCursor().position()

    def go_to(self, place: tuple[Step, int] | None) -> None:
        """Put the focus and the text cursor back at ``place`` (see :meth:`place`); None:
        at the end of the first step's notes, where a call taken up goes on."""
        step, position = place if place is not None else (Step.LISTEN, -1)
        box = self.editors[step]
        end = box.document().characterCount() - 1
        cursor = box.textCursor()
        cursor.setPosition(end if position < 0 else min(position, end))
        box.setTextCursor(cursor)
        self.focus_step(step)

    @property
    def conversation_id(self) -> int:
        return self._conversation_id

    def text(self, step: Step) -> str:
        return self.editors[step].toPlainText()

    def pending_steps(self) -> list[Step]:
        """The steps whose text differs from what was last saved."""
        with self._state_lock:
            return [s for s in Step if self.editors[s].toPlainText() != self._last_saved[s]]

    # ------------------------------------------------------------------ call timer

    def start_call(self, elapsed: int = 0, running: bool = True) -> None:
        """Start the call timer at ``elapsed`` seconds (a call taken up again after a lock
        or a crash), counting or paused."""
        self.live = True
        self._counted = max(0, elapsed)
        if running:
            self.resume()
        else:
            self._show_time()

    @property
    def paused(self) -> bool:
        """The call is live but its timer stands still (after a lock or a crash)."""
        return self.live and self._call_started is None

    def elapsed(self) -> int:
        """The call's length so far in whole seconds."""
        running = 0.0 if self._call_started is None else call_clock() - self._call_started
        # A hair over: a difference of two large floats can fall just short of a second.
        return int(self._counted + running + 1e-6)

    def pause(self) -> None:
        if self._call_started is not None:
            self._counted = self.elapsed()
            self._call_started = None
            self._tick.stop()
        self._show_time()

    def resume(self) -> None:
        if self.live and self._call_started is None:
            self._call_started = call_clock() - (self._counted - int(self._counted))
            self._counted = int(self._counted)
            self._tick.start()
        self._show_time()

    def stop_call(self) -> int:
        """Stop the call timer; return the call's length in whole seconds."""
        if not self.live:
            return 0
        seconds = self.elapsed()
        self._tick.stop()
        self._call_started = None
        self.live = False
        self._counted = seconds
        self._show_time()
        return seconds

    def set_serious_risk(self, risk: bool) -> None:
        self.risk_label.setVisible(risk)

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _show_time(self) -> None:
        minutes, seconds = divmod(self.elapsed(), 60)
        shown = f"{minutes:02d}:{seconds:02d}"
        if self.paused:
            shown = _("{time} (paused)").format(time=shown)
        self.timer_label.setText(shown)
        self.resume_button.setVisible(self.paused)

    def save_length(self) -> None:
        """Keep the length so far with the notes (on the notes lane, after them), so a
        crash does not lose it."""
        if not self.live or self._wiped:
            return
        seconds, notebook, conversation_id = self.elapsed(), self._notebook, self._conversation_id

        def save(_task: Task[None]) -> None:
            notebook.set_live_call(conversation_id, seconds)

        # The next save tries again; a newer length makes an older one not yet begun moot.
        self._tasks.run(save, failure=lambda _sentence: None, key="length")

    # ------------------------------------------------------------------ saving

    def _on_edit(self) -> None:
        # Not restarted by each keystroke: a pure debounce never fires while someone types
        # without a pause, and a crash would then lose everything since the last pause.
        # Called by the step's guard for every change of its text (see its on_edit).
        if self.paused:
            self.resume()  # the counsellor goes on with the call
        if not self._debounce.isActive():
            self._debounce.start()

    def _save_changed(self) -> None:
        # Each step's text is copied once (a long note's copy is most of what the UI
        # thread pays for an autosave); the writing is the notes lane's.
        texts = {step: editor.toPlainText() for step, editor in self.editors.items()}
        with self._state_lock:
            changed = [step for step in Step if texts[step] != self._last_saved[step]]
        for step in changed:
            self._queue(step, texts[step])
        self.save_length()

    def _queue(self, step: Step, text: str | None = None) -> None:
        if self._wiped:
            return
        if text is None:
            text = self.editors[step].toPlainText()
            with self._state_lock:
                if text == self._last_saved[step]:
                    return

        def save(_task: Task[None]) -> None:
            self._write(step, text)

        self._tasks.run(
            save, success=lambda _none: self.saved.emit(), failure=self.save_failed.emit
        )

    def _write(self, step: Step, text: str) -> None:
        """Write one note (on the worker, or on the UI thread from :meth:`flush`); only a
        save that succeeded counts as saved (a refused text stays pending)."""
        self._notebook.save_note(self._conversation_id, step, text)
        with self._state_lock:
            self._last_saved[step] = text

    def _save_now(self, step: Step, text: str) -> bool:
        try:
            self._write(step, text)
        except UserError as error:
            self.save_failed.emit(str(error))
            return False
        self.saved.emit()
        return True

    def flush(self) -> bool:
        """Save every pending change now; True when nothing is left unsaved."""
        if self._wiped:
            return True
        self._debounce.stop()
        self._tasks.wait()  # the saves under way end first, in order
        ok = self.callback.flush()
        for step in self.pending_steps():
            ok = self._save_now(step, self.editors[step].toPlainText()) and ok
        return ok

    def wipe(self) -> None:
        """Take the text out of the widgets at once (on lock it must not wait for the
        deferred delete). Signals are blocked, so nothing is saved by it."""
        self._wiped = True  # no save may follow, not even the focus leaving an editor
        self._debounce.stop()
        self._tasks.wait()
        self.callback.clear()
        for editor in self.editors.values():
            document = editor.document()
            document.blockSignals(True)
            document.clear()
            document.blockSignals(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._debounce.stop()
        self._tick.stop()
        self._tasks.wait()
        super().closeEvent(event)
