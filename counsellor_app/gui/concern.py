"""Recording a concern for a child's safety (the duty to notify), with concise guidance."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QWidget,
)

from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.forms.ui_concern import Ui_ConcernDialog
from counsellor_app.gui.guard import AnonymityGuard
from counsellor_app.gui.widgets import connect_save_cancel


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


def _unchosen(combo: QComboBox, values: type[StrEnum]) -> QComboBox:
    """``combo`` listing ``values`` with none chosen yet: its placeholder shows until one is."""
    for value in values:
        combo.addItem(label(value), value.value)
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
        self.ui = Ui_ConcernDialog()
        self.ui.setupUi(self)
        self.ui.guidance.setText(concern_guidance())
        self.signs = _unchosen(self.ui.signs, ConcernSigns)
        self.decision = _unchosen(self.ui.decision, ConcernDecision)
        self.reasoning = self.ui.reasoning
        self.guard = AnonymityGuard(self.reasoning)
        self.error = self.ui.error
        # Ctrl+Return saves from any field (the shared wiring brings the shortcut).
        self.buttons = connect_save_cancel(self, self.ui.buttons, self.save)
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
