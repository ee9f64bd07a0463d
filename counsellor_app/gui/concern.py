"""Recording a concern for a child's safety (the duty to notify), with concise guidance."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.guard import AnonymityGuard
from counsellor_app.gui.widgets import ErrorLine, save_cancel_buttons


def concern_guidance() -> str:
    """What to do now, in the user's language."""
    return _(
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


def _unchosen_combo(values: type[StrEnum], accessible: str) -> QComboBox:
    """A list of ``values`` with none chosen yet: a placeholder shows until one is."""
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    for value in values:
        combo.addItem(label(value), value.value)
    combo.setPlaceholderText(_("Choose…"))
    combo.setCurrentIndex(-1)
    return combo


class ConcernDialog(QDialog):
    """Guidance first, then the decision and its reasoning, stored on the case.

    The signs and the decision start unchosen, and the dialog refuses to save until both
    are chosen: a record saved without a thought must not say "no signs"."""

    def __init__(
        self,
        notebook: Notebook,
        case_id: int,
        conversation_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case_id = case_id
        self._conversation_id = conversation_id
        self.recorded: Concern | None = None
        self.setWindowTitle(_("Concern for a child's safety"))
        form = QFormLayout(self)
        guidance = QLabel(concern_guidance())
        guidance.setWordWrap(True)
        guidance.setMinimumWidth(520)
        form.addRow(guidance)
        self.signs = _unchosen_combo(ConcernSigns, _("Signs of serious risk"))
        self.decision = _unchosen_combo(ConcernDecision, _("Decision"))
        self.reasoning = QPlainTextEdit()
        self.reasoning.setAccessibleName(_("Reasoning"))
        self.reasoning.setPlaceholderText(_("Why this decision? No names or other identities."))
        self.reasoning.setTabChangesFocus(True)
        self.guard = AnonymityGuard(self.reasoning)
        form.addRow(_("Signs"), self.signs)
        form.addRow(_("Decision"), self.decision)
        form.addRow(_("Reasoning"), self.reasoning)
        self.error = ErrorLine()
        form.addRow(self.error)
        # Ctrl+Return saves from any field (the shared buttons bring the shortcut).
        self.buttons = save_cancel_buttons(self, self.save)
        form.addRow(self.buttons)
        for combo in (self.signs, self.decision):
            combo.currentIndexChanged.connect(self._chosen)
        self.signs.setFocus()

    def missing(self) -> list[QComboBox]:
        """The lists with nothing chosen yet, in the dialog's order."""
        return [combo for combo in (self.signs, self.decision) if combo.currentIndex() < 0]

    def _chosen(self) -> None:
        # Once the counsellor has chosen what was missing, the reminder goes.
        if self.error.isVisible() and not self.missing():
            self.error.clear()

    def save(self) -> None:
        """Store the concern and close, or say what is still to be chosen."""
        missing = self.missing()
        if missing:
            sentences = {
                self.signs: _("Choose whether there are signs of serious risk."),
                self.decision: _("Choose what was decided."),
            }
            self.error.show_error(" ".join(sentences[c] for c in missing))
            missing[0].setFocus()
            return
        try:
            self.recorded = self._notebook.record_concern(
                Concern(
                    self._case_id,
                    ConcernSigns(self.signs.currentData()),
                    ConcernDecision(self.decision.currentData()),
                    conversation_id=self._conversation_id,
                    reasoning=self.reasoning.toPlainText().strip(),
                )
            )
        except UserError as error:  # the disk refused: the dialog and its text stay
            self.error.show_error(str(error))
            return
        self.accept()
