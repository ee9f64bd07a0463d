"""Underline identifiers in a note while it is typed, explain them, replace them by one key.

:class:`AnonymityGuard` attaches to a :class:`QPlainTextEdit`. After a short pause in
typing it scans the whole text with :func:`counsellor_app.core.anonymity.find_identifiers`,
underlines every finding with a red wavy line, shows the reason as a tooltip when the
mouse rests on one, and replaces the finding at the text cursor with its placeholder on
Ctrl+Shift+R (one undoable edit).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeySequence,
    QShortcut,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from counsellor_app.core.anonymity import Finding, find_identifiers, warm_up
from counsellor_app.core.i18n import _

#: Milliseconds of quiet after the last change before the text is scanned again.
DEBOUNCE_MS = 150
#: The key that replaces the finding at the text cursor with its placeholder.
REPLACE_SHORTCUT = "Ctrl+Shift+R"


class _FindingHighlighter(QSyntaxHighlighter):
    """Underlines the guard's findings; offsets are into the whole document text."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.findings: list[Finding] = []
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor(Qt.GlobalColor.red))

    def highlightBlock(self, text: str) -> None:
        block_start = self.currentBlock().position()
        block_end = block_start + len(text)
        for finding in self.findings:
            if finding.end <= block_start:
                continue
            if finding.start >= block_end:
                break
            start = max(finding.start, block_start)
            end = min(finding.end, block_end)
            self.setFormat(start - block_start, end - start, self._format)


class AnonymityGuard(QObject):
    """Watches ``editor`` for names, numbers, addresses and places that identify someone."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        warm_up()  # the word lists load once, here rather than mid-keystroke
        self._editor = editor
        self._scanned_text: str | None = None
        self._findings: list[Finding] = []
        self._highlighter = _FindingHighlighter(editor.document())

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)
        # contentsChange, not contentsChanged: re-highlighting emits the latter too, which
        # would restart the pause after every scan.
        editor.document().contentsChange.connect(self._on_contents_change)

        editor.viewport().installEventFilter(self)

        self._shortcut = QShortcut(QKeySequence(REPLACE_SHORTCUT), editor)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._shortcut.activated.connect(self.replace_at_cursor)

        self.refresh_now()

    def findings(self) -> list[Finding]:
        """The findings of the last scan (see :meth:`refresh_now`)."""
        return list(self._findings)

    def _on_contents_change(self, _position: int, removed: int, added: int) -> None:
        if removed or added:
            self._timer.start()

    def refresh_now(self) -> None:
        """Scan the text now (instead of after the pause) and update the underlines."""
        self._timer.stop()
        text = self._editor.toPlainText()
        if text == self._scanned_text:
            return
        self._scanned_text = text
        self._findings = find_identifiers(text)
        self._highlighter.findings = self._findings
        self._highlighter.rehighlight()

    def finding_at(self, position: int) -> Finding | None:
        """The finding that contains ``position`` or ends right before it."""
        self.refresh_now()
        for finding in self._findings:
            if finding.start <= position <= finding.end:
                return finding
        return None

    def replace_at_cursor(self) -> bool:
        """Replace the finding at the text cursor with its placeholder; False if none."""
        cursor = self._editor.textCursor()
        finding = self.finding_at(cursor.position())
        if finding is None:
            return False
        cursor.beginEditBlock()
        cursor.setPosition(finding.start)
        cursor.setPosition(finding.end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(finding.placeholder)
        cursor.endEditBlock()
        self._editor.setTextCursor(cursor)
        self.refresh_now()
        return True

    def tooltip_text(self, finding: Finding) -> str:
        """What the tooltip says about ``finding``."""
        hint = _("Press Ctrl+Shift+R to replace it with {placeholder}.").format(
            placeholder=finding.placeholder
        )
        return finding.reason + "\n" + hint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self._editor.cursorForPosition(event.pos()).position()
            finding = None
            for candidate in self._findings:
                if candidate.start <= position < candidate.end:
                    finding = candidate
                    break
            if finding is not None:
                QToolTip.showText(event.globalPos(), self.tooltip_text(finding), self._editor)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)
