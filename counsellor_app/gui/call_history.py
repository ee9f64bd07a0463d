"""What happened on a case before this call, in view beside the new notes.

A follow-up call starts with four empty steps; what was said and agreed last time is
shown beside them: concerns recorded, open follow-ups (what each party agreed to do),
alliances, and the earlier contacts with their four steps and wellbeing, newest first.
The panel folds away to its title (the counsellor decides what stays in view).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextBrowser, QToolButton, QVBoxLayout, QWidget

from counsellor_app.core.domain import label
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.case_view import conversations_html
from counsellor_app.gui.follow_ups import due_text, follow_up_summary
from counsellor_app.gui.formatting import format_day


def history_html(notebook: Notebook, case_id: int, conversation_id: int | None) -> str:
    """The case's story before conversation ``conversation_id`` as escaped rich text, or
    "" when there is none (a new case)."""
    conversations = [c for c in notebook.conversations(case_id) if c.id != conversation_id]
    follow_ups = notebook.follow_ups(case_id)
    open_follow_ups = [f for f in follow_ups if not f.done]
    alliances = notebook.alliances(case_id)
    concerns = notebook.concerns(case_id)
    if not (conversations or open_follow_ups or alliances or concerns):
        return ""
    parts: list[str] = []

    def section(title: str, lines: list[str]) -> None:
        if lines:
            parts.append(f"<h3>{html.escape(title)}</h3>")
            parts.extend(f"<p>{html.escape(line)}</p>" for line in lines)

    section(
        _("Concerns"),
        [
            _("{day}: {signs}; decision: {decision}").format(
                day=format_day(c.created_at.date()) if c.created_at else "",
                signs=label(c.signs),
                decision=label(c.decision),
            )
            for c in concerns
        ],
    )
    section(
        _("Open follow-ups"),
        [
            _("Due {day}").format(day=due_text(f))
            + (f": {summary}" if (summary := follow_up_summary(f)) else "")
            for f in open_follow_ups
        ],
    )
    section(
        _("Alliances"),
        [
            " · ".join(
                part
                for part in (
                    label(a.partner) + (f" ({a.role})" if a.role else ""),
                    label(a.status),
                    a.agreed,
                )
                if part
            )
            for a in alliances
        ],
    )
    if conversations:
        title = _("Earlier contacts")
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(conversations_html(conversations, follow_ups))
    return "".join(parts)


class CallHistory(QWidget):
    """The case's earlier contacts and agreements, beside the call; folds to its title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText(_("Earlier contacts and agreements"))
        self.toggle.setAccessibleName(_("Show or hide the earlier contacts and agreements"))
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.toggled.connect(self.set_expanded)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(_("Earlier contacts and agreements"))
        self.browser.setOpenLinks(False)
        self.browser.setTabChangesFocus(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.browser, 1)
        self.set_expanded(True)

    def load(self, notebook: Notebook, case_id: int, conversation_id: int | None) -> bool:
        """Show the case's story before this call; False (and hidden) when there is none."""
        text = history_html(notebook, case_id, conversation_id)
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(text)
        self.browser.verticalScrollBar().setValue(scroll)
        self.setVisible(bool(text))
        return bool(text)

    def expanded(self) -> bool:
        return not self.browser.isHidden()

    def set_expanded(self, expanded: bool) -> None:
        self.browser.setVisible(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)

    def clear(self) -> None:
        """Forget the text (a lock): nothing of the notes stays in the widget."""
        self.browser.clear()
        self.browser.document().clearUndoRedoStacks()
