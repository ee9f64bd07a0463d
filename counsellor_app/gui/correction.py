"""Correcting an ended contact (a typo, a name left in): its four notes in the call's
editor, saved as they are typed; the case's history records that the contact was
corrected and in which steps, never the text it replaced."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from counsellor_app.core.domain import Step
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.conversation import ConversationEditor
from counsellor_app.gui.formatting import format_moment
from counsellor_app.gui.forms.ui_correction import Ui_CorrectionDialog
from counsellor_app.gui.widgets import FittingDialog

__all__ = ["CorrectionDialog"]


class CorrectionDialog(FittingDialog):
    """Contact ``number`` of its case opened to be corrected. Not modal: the case stays
    readable beside it. Closing it (or the lock) saves what is pending and records the
    correction; nothing typed is lost, as in a call."""

    def __init__(
        self, notebook: Notebook, conversation_id: int, number: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_CorrectionDialog()
        self.ui.setupUi(self)
        self._notebook = notebook
        conversation = notebook.conversation(conversation_id)
        self.case_id = conversation.case_id
        self._before = {step: conversation.notes.get(step, "") or "" for step in Step}
        self.ui.intro.setText(
            _("Contact {number}, {when}").format(
                number=number, when=format_moment(conversation.started_at)
            )
        )
        self.editor = ConversationEditor(notebook, conversation_id, self)
        # Not a call: no timer, and the call-back number belongs to the case's fields.
        for widget in (
            self.editor.timer_label,
            self.editor.resume_button,
            self.editor.callback,
            self.editor.risk_label,
        ):
            widget.hide()
        for guard in self.editor.guards.values():
            guard.takes_phone = False
        self.editor.save_failed.connect(self.ui.error.show_error)
        self.ui.editor_layout.addWidget(self.editor)
        self.ui.buttons.button(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)
        self._correction: int | None = notebook.begin_correction(conversation_id)
        # Room for the four notes as in a call (its own size hint gave four slits).
        window = parent.window() if parent is not None else None
        width, height = (window.width(), window.height()) if window else (900, 720)
        self.resize(max(640, int(width * 0.6)), max(480, int(height * 0.9)))
        self.editor.editors[Step.LISTEN].setFocus()  # typing goes into the notes at once

    def changed_steps(self) -> list[Step]:
        """The steps whose note differs from the one the contact had when opened."""
        return [step for step in Step if self.editor.text(step) != self._before[step]]

    def done(self, result: int) -> None:
        if self._correction is not None:
            if not self.editor.flush():
                return  # the disk refused: the text stays here, and the error says so
            try:
                self._notebook.finish_correction(self._correction, self.changed_steps())
            except UserError as error:
                self.ui.error.show_error(str(error))
                return
            self._correction = None
            self.editor.wipe()
        super().done(result)
