"""Recording a concern for a child's safety (the duty to notify), with concise guidance."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, label
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.guard import AnonymityGuard


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


class ConcernDialog(QDialog):
    """Guidance first, then the decision and its reasoning, stored on the case."""

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
        self.signs = QComboBox()
        self.signs.setAccessibleName(_("Signs of serious risk"))
        for signs in ConcernSigns:
            self.signs.addItem(label(signs), signs)
        self.decision = QComboBox()
        self.decision.setAccessibleName(_("Decision"))
        for decision in ConcernDecision:
            self.decision.addItem(label(decision), decision)
        self.reasoning = QPlainTextEdit()
        self.reasoning.setAccessibleName(_("Reasoning"))
        self.reasoning.setPlaceholderText(_("Why this decision? No names or other identities."))
        self.reasoning.setTabChangesFocus(True)
        self.guard = AnonymityGuard(self.reasoning)
        form.addRow(_("Signs"), self.signs)
        form.addRow(_("Decision"), self.decision)
        form.addRow(_("Reasoning"), self.reasoning)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.signs.setFocus()

    def save(self) -> None:
        self.recorded = self._notebook.record_concern(
            Concern(
                self._case_id,
                ConcernSigns(self.signs.currentData()),
                ConcernDecision(self.decision.currentData()),
                conversation_id=self._conversation_id,
                reasoning=self.reasoning.toPlainText().strip(),
            )
        )
        self.accept()
