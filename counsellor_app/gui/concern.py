"""Recording a concern for a child's safety (the duty to notify), with concise guidance."""

from __future__ import annotations

import contextlib
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QWidget,
)

from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.callback import DEBOUNCE_MS
from counsellor_app.gui.forms.ui_concern import Ui_ConcernDialog
from counsellor_app.gui.guard import AnonymityGuard, GuardStatus
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import SAVE_KEYS, connect_save_cancel


def concern_guidance(supervisor_phone: str = "") -> str:
    """What to do now, in the user's language; with the supervisor's on-call number when
    the settings have one."""
    text = _(
        "Talk with the supervisor now if there are signs that a child may be at serious "
        "risk.\n\n"
        "The duty to notify (Barnets Lov): anyone who learns that a child may need special "
        "support because of neglect, violence or abuse must tell the municipality where the "
        "child lives.\n\n"
        "The parent can contact the municipality's children and families department "
        "directly. The counsellor can notify the municipality, after talking with the "
        "supervisor. Outside office hours the police take notifications: 114, or 112 in "
        "an emergency.\n\n"
        "Record below what was decided and why, without names or other identities."
    )
    text += "\n\n" + suicide_guidance()
    if supervisor_phone:
        text += "\n\n" + _("Your supervisor on call: {phone}").format(phone=supervisor_phone)
    else:
        text += "\n\n" + _("No on-call number for the supervisor is set yet (Notebook, Settings).")
    return text


def suicide_guidance() -> str:
    """Suicidal thoughts and self-harm: what to say and the numbers to give."""
    return _(
        "Suicidal thoughts or self-harm (the child's or the parent's): ask directly, take "
        "it seriously, and do not end the call without a plan for the next hours. Life in "
        "danger now: 112. Give the numbers: Livslinien 70 201 201 (thoughts of suicide, "
        "also for relatives), the psychiatric emergency line of the region where the family "
        "lives (psykiatrisk akutmodtagelse), and for the child BørneTelefonen 116 111. "
        "If you send the caller on to emergency help, record it below."
    )


def _unchosen(combo: QComboBox, values: type[StrEnum]) -> QComboBox:
    """``combo`` listing ``values`` with none chosen yet: its placeholder shows until one is."""
    for value in values:
        combo.addItem(label(value), value.value)
    combo.setCurrentIndex(-1)
    return combo


class ConcernForm(QObject):
    """The concern form on ``host`` (the dialog, or the panel in a call): guidance first,
    then the signs, the decision and its reasoning. What is typed is kept as a draft as
    it is typed (on the notes lane, like the notes), so a lock or a crash does not lose it;
    the draft goes when the concern is recorded or cancelled.

    The signs and the decision start unchosen, and the form refuses to record until both
    are chosen: a record saved without a thought must not say "no signs"."""

    def __init__(
        self, host: QWidget, notebook: Notebook, case_id: int, conversation_id: int | None
    ) -> None:
        super().__init__(host)
        self._notebook = notebook
        self._case_id = case_id
        self._conversation_id = conversation_id
        self._wiped = False
        self.ui = Ui_ConcernDialog()
        self.ui.setupUi(host)
        self.ui.guidance.setText(concern_guidance(notebook.supervisor_phone))
        self.signs = _unchosen(self.ui.signs, ConcernSigns)
        self.decision = _unchosen(self.ui.decision, ConcernDecision)
        self.reasoning = self.ui.reasoning
        self.guard = AnonymityGuard(self.reasoning, notebook)
        self.guard_status = GuardStatus.below(self.reasoning, self.guard)
        self.error = self.ui.error
        self._tasks = TaskRunner(self, Lane.NOTES)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.save_draft)
        self._saved_draft: dict[str, str] | None = None
        with contextlib.suppress(UserError):
            self._load_draft(notebook.draft("concern", case_id))
        for combo in (self.signs, self.decision):
            combo.currentIndexChanged.connect(self._chosen)
            combo.currentIndexChanged.connect(self._changed)
        self.reasoning.document().contentsChange.connect(self._text_changed)

    # -------------------------------------------------------------- the draft

    def _load_draft(self, draft: dict[str, str] | None) -> None:
        if not draft:
            return
        for combo, key in ((self.signs, "signs"), (self.decision, "decision")):
            combo.setCurrentIndex(combo.findData(draft.get(key, "")))
        self.reasoning.setPlainText(draft.get("reasoning", ""))
        self._saved_draft = self.fields()

    def fields(self) -> dict[str, str]:
        return {
            "signs": str(self.signs.currentData() or ""),
            "decision": str(self.decision.currentData() or ""),
            "reasoning": self.reasoning.toPlainText(),
        }

    def has_draft(self) -> bool:
        return any(self.fields().values())

    def _text_changed(self, _position: int, removed: int, added: int) -> None:
        if removed or added:  # not the guard's underlining
            self._changed()

    def _changed(self) -> None:
        if not self._debounce.isActive():
            self._debounce.start()

    def save_draft(self) -> None:
        """Keep what is typed so far (on the notes lane)."""
        self._debounce.stop()
        fields = self.fields()
        if self._wiped or fields == self._saved_draft or not any(fields.values()):
            return
        notebook, case_id = self._notebook, self._case_id

        def save(_task: Task[None]) -> None:
            notebook.save_draft("concern", case_id, fields)
            self._saved_draft = fields

        self._tasks.run(save, failure=self.error.show_error, key="draft")

    def flush(self) -> None:
        """Keep the draft now, synchronously (before a lock, or the call ends)."""
        self._debounce.stop()
        self._tasks.wait()
        fields = self.fields()
        if self._wiped or fields == self._saved_draft or not any(fields.values()):
            return
        try:
            self._notebook.save_draft("concern", self._case_id, fields)
            self._saved_draft = fields
        except UserError as error:
            self.error.show_error(str(error))

    def discard(self) -> None:
        """Cancelled: the draft goes."""
        self._debounce.stop()
        self._tasks.wait()
        with contextlib.suppress(UserError):
            self._notebook.delete_draft("concern", self._case_id)
        self._saved_draft = None

    def wipe(self) -> None:
        """Take the text out of the widgets at once (a lock); nothing is saved by it."""
        self._wiped = True
        self._debounce.stop()
        self._tasks.wait()
        document = self.reasoning.document()
        document.blockSignals(True)
        document.clear()
        document.blockSignals(False)

    # -------------------------------------------------------------- recording

    def missing(self) -> list[QComboBox]:
        """The lists with nothing chosen yet, in the form's order."""
        return [combo for combo in (self.signs, self.decision) if combo.currentIndex() < 0]

    def _chosen(self) -> None:
        # Once the counsellor has chosen what was missing, the reminder goes.
        if self.error.isVisible() and not self.missing():
            self.error.clear()

    def record(self) -> Concern | None:
        """Store the concern (and drop its draft), or say what is still to be chosen."""
        missing = self.missing()
        if missing:
            sentences = {
                self.signs: _("Choose whether there are signs of serious risk."),
                self.decision: _("Choose what was decided."),
            }
            self.error.show_error(" ".join(sentences[c] for c in missing))
            missing[0].setFocus()
            return None
        self._debounce.stop()
        self._tasks.wait()
        try:
            with self._notebook.transaction():
                recorded = self._notebook.record_concern(
                    Concern(
                        self._case_id,
                        ConcernSigns(self.signs.currentData()),
                        ConcernDecision(self.decision.currentData()),
                        conversation_id=self._conversation_id,
                        reasoning=self.reasoning.toPlainText().strip(),
                    )
                )
                self._notebook.delete_draft("concern", self._case_id)
        except UserError as error:  # the disk refused: the form and its text stay
            self.error.show_error(str(error))
            return None
        self._saved_draft = None
        return recorded


class ConcernDialog(QDialog):
    """The concern form as a dialog (from the case view, where no call is under way)."""

    def __init__(
        self,
        notebook: Notebook,
        case_id: int,
        conversation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorded: Concern | None = None
        self.form = ConcernForm(self, notebook, case_id, conversation_id)
        self.ui = self.form.ui
        self.signs, self.decision = self.form.signs, self.form.decision
        self.reasoning, self.guard, self.error = (
            self.form.reasoning,
            self.form.guard,
            self.form.error,
        )
        # Ctrl+Return saves from any field (the shared wiring brings the shortcut).
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
        self.buttons.rejected.connect(self.form.discard)  # Cancel: the draft goes too
        self.signs.setFocus()

    def missing(self) -> list[QComboBox]:
        return self.form.missing()

    def save(self) -> None:
        """Store the concern and close, or say what is still to be chosen."""
        recorded = self.form.record()
        if recorded is not None:
            self.recorded = recorded
            self.accept()

    def reject(self) -> None:
        # Closed by the lock (or Esc): what was typed is kept as a draft.
        self.form.flush()
        super().reject()


class ConcernPanel(QWidget):
    """The concern form as a panel beside the notes of a call (Ctrl+K): the notes stay in
    view and can be typed in while it is open; Ctrl+Return saves it."""

    #: The concern was stored (the Concern).
    recorded = Signal(object)
    #: Recorded or cancelled: the panel can go.
    closed = Signal()

    def __init__(
        self,
        notebook: Notebook,
        case_id: int,
        conversation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = ConcernForm(self, notebook, case_id, conversation_id)
        self.ui = self.form.ui
        self.ui.guidance.setMinimumSize(0, 0)  # it wraps in the width of the side pane
        self.signs, self.decision = self.form.signs, self.form.decision
        self.reasoning, self.guard, self.error = (
            self.form.reasoning,
            self.form.guard,
            self.form.error,
        )
        self.buttons = self.ui.buttons
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.cancel)
        for keys in SAVE_KEYS:
            shortcut = QShortcut(QKeySequence(keys), self, self.save)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def missing(self) -> list[QComboBox]:
        return self.form.missing()

    def save(self) -> None:
        recorded = self.form.record()
        if recorded is not None:
            self.recorded.emit(recorded)
            self.closed.emit()

    def cancel(self) -> None:
        self.form.discard()
        self.closed.emit()

    def flush(self) -> None:
        self.form.flush()
