"""Underline identifiers in a note while it is typed, explain them, replace them by one key.

:class:`AnonymityGuard` attaches to a :class:`QPlainTextEdit`. After a short pause in
typing it scans the whole text with :func:`counsellor_app.core.anonymity.find_identifiers`,
underlines every finding with a red wavy line, shows the reason as a tooltip when the
mouse rests on one, and replaces the finding at the text cursor with its placeholder on
Ctrl+Shift+R (one undoable edit).

A note is scanned on the UI thread, at once, as long as that takes a few milliseconds. A
long text (a big paste: 1 MB scans in about a quarter of a second) is scanned by the task
runner instead (:data:`Lane.SCAN`, one thread), and its underlines are redrawn a slice of
the document at a time, so the editor keeps answering. Each scan supersedes the one before
(task key ``"scan"``): a scan still waiting for the thread never runs, and a result that
arrives after the text changed again is dropped (the next pause in typing scans the new
text).
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
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

from counsellor_app.core.anonymity import Finding, IdentifierKind, find_identifiers, warm_up
from counsellor_app.core.i18n import _
from counsellor_app.gui.tasks import Lane, Task, TaskRunner

#: Milliseconds of quiet after the last change before the text is scanned again.
DEBOUNCE_MS = 150
#: The key that replaces the finding at the text cursor with its placeholder.
REPLACE_SHORTCUT = "Ctrl+Shift+R"
#: The key that moves the phone number at the text cursor into the call-back field.
TAKE_PHONE_SHORTCUT = "Ctrl+Shift+T"
#: From this many characters on, a text is scanned on a worker thread and its underlines
#: are redrawn in slices (a scan takes about 10 ms here; notes are far shorter).
BACKGROUND_SCAN_CHARS = 50_000
#: How long one slice of redrawing the underlines of a long text may take, in ms.
HIGHLIGHT_SLICE_MS = 8
#: The block state of a block drawn with an underline (any other is -1, Qt's default): a
#: sliced redraw visits only such blocks and those with a finding now.
_UNDERLINED = 1


class _FindingHighlighter(QSyntaxHighlighter):
    """Underlines the guard's findings; offsets are into the whole document text."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.findings: list[Finding] = []
        #: The findings' ends, ascending (they never overlap): a block's first finding is
        #: found by bisection, not by walking every finding before it.
        self._ends: list[int] = []
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor(Qt.GlobalColor.red))
        #: Where the next slice of a sliced redraw starts (a position: blocks come and go).
        self._next_position = -1
        self._slices = QTimer(self)
        self._slices.setSingleShot(True)
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._redraw_slice)

    def set_findings(self, findings: list[Finding], *, sliced: bool) -> None:
        """Show ``findings``: at once, or (``sliced``) a few blocks per turn of the event
        loop, redrawing only the blocks that are or will be underlined, so that a long
        document never holds the window up."""
        self.findings = findings
        self._ends = [finding.end for finding in findings]
        if not sliced:
            self._slices.stop()
            self._next_position = -1
            self.rehighlight()
            return
        self._next_position = 0
        self._redraw_slice()

    def redrawing(self) -> bool:
        """Is a sliced redraw still under way?"""
        return self._next_position >= 0

    def _redraw_slice(self) -> None:
        document = self.document()
        if document is None or self._next_position < 0:
            return
        block = document.findBlock(self._next_position)
        clock = QElapsedTimer()
        clock.start()
        ends, findings = self._ends, self.findings
        while block.isValid() and not clock.hasExpired(HIGHLIGHT_SLICE_MS):
            if block.userState() == _UNDERLINED:
                self.rehighlightBlock(block)
            else:
                start = block.position()
                index = bisect_right(ends, start)
                if index < len(findings) and findings[index].start < start + block.length() - 1:
                    self.rehighlightBlock(block)
            block = block.next()
        if block.isValid():
            self._next_position = block.position()
            self._slices.start()
        else:
            self._next_position = -1

    def highlightBlock(self, text: str) -> None:
        block_start = self.currentBlock().position()
        block_end = block_start + len(text)
        findings = self.findings
        index = bisect_right(self._ends, block_start)  # the first finding ending after it
        underlined = False
        while index < len(findings):
            finding = findings[index]
            if finding.start >= block_end:
                break
            start = max(finding.start, block_start)
            end = min(finding.end, block_end)
            self.setFormat(start - block_start, end - start, self._format)
            underlined = True
            index += 1
        self.setCurrentBlockState(_UNDERLINED if underlined else -1)


class AnonymityGuard(QObject):
    """Watches ``editor`` for names, numbers, addresses and places that identify someone."""

    #: The findings were replaced by those of a new scan (see :meth:`findings`).
    findings_changed = Signal()
    #: A phone number was taken out of the note for the call-back field (the number).
    phone_taken = Signal(str)

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        warm_up()  # the word lists load once, here rather than mid-keystroke
        self._editor = editor
        self._scanned_text: str | None = None
        self._findings: list[Finding] = []
        self._highlighter = _FindingHighlighter(editor.document())
        #: Counts the edits of the text, so that a late background result can be told stale.
        self._revision = 0

        #: The revision last sent to be scanned in the background.
        self._requested = -1
        self._tasks = TaskRunner(self, Lane.SCAN)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        # contentsChange, not contentsChanged: re-highlighting emits the latter too, which
        # would restart the pause after every scan.
        editor.document().contentsChange.connect(self._on_contents_change)

        editor.viewport().installEventFilter(self)

        self._shortcut = QShortcut(QKeySequence(REPLACE_SHORTCUT), editor)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._shortcut.activated.connect(self.replace_at_cursor)
        #: Set where a call-back field listens to :attr:`phone_taken` (during a call).
        self.takes_phone = False
        self._take_shortcut = QShortcut(QKeySequence(TAKE_PHONE_SHORTCUT), editor)
        self._take_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._take_shortcut.activated.connect(self.take_phone_at_cursor)

        self.refresh()

    def findings(self) -> list[Finding]:
        """The findings of the last scan (see :meth:`refresh_now`)."""
        return list(self._findings)

    def scanning(self) -> bool:
        """Is a long text being scanned on the worker thread right now?"""
        return self._tasks.running("scan")

    def _on_contents_change(self, _position: int, removed: int, added: int) -> None:
        if removed or added:
            self._revision += 1
            self._timer.start()

    def _is_long(self) -> bool:
        return self._editor.document().characterCount() > BACKGROUND_SCAN_CHARS

    def refresh(self) -> None:
        """After a pause in typing: scan a short text now, a long one in the background
        (superseding a background scan not yet begun)."""
        if not self._is_long():
            self.refresh_now()
            return
        self._timer.stop()
        if self._requested == self._revision:
            return  # this very text is being scanned, or has been
        text = self._editor.toPlainText()
        revision = self._requested = self._revision
        if text == self._scanned_text:
            self._tasks.cancel_all()  # back to the text shown: an older scan is moot
            return

        def scan(_task: Task[list[Finding]]) -> list[Finding]:
            return find_identifiers(text)

        self._tasks.run(
            scan,
            key="scan",
            success=lambda findings: self._on_scanned(revision, text, findings),
            # A bug (logged by the runner): no underlines rather than a dead guard.
            failure=lambda _sentence: self._on_scanned(revision, text, []),
        )

    def _on_scanned(self, revision: int, text: str, findings: list[Finding]) -> None:
        if revision != self._revision or text == self._scanned_text:
            return  # the text changed meanwhile (the pause after it scans again), or known
        self._show(text, findings)

    def refresh_now(self) -> None:
        """Scan the text now, on this thread (instead of after the pause), and update the
        underlines. This waits for the scan even when the text is long."""
        self._timer.stop()
        text = self._editor.toPlainText()
        if text == self._scanned_text:
            return
        self._requested = self._revision
        self._tasks.cancel_all()  # a background scan is moot now
        self._show(text, find_identifiers(text))

    def _show(self, text: str, findings: list[Finding]) -> None:
        self._scanned_text = text
        self._findings = findings
        self._highlighter.set_findings(findings, sliced=len(text) >= BACKGROUND_SCAN_CHARS)
        self.findings_changed.emit()

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
        self.refresh()
        return True

    def take_phone_at_cursor(self) -> bool:
        """Move the phone number at the text cursor out of the note (its placeholder
        stays) into the call-back field; False if there is none, or no field."""
        if not self.takes_phone:
            return False
        finding = self.finding_at(self._editor.textCursor().position())
        if finding is None or finding.kind is not IdentifierKind.PHONE:
            return False
        number = self._editor.toPlainText()[finding.start : finding.end]
        if not self.replace_at_cursor():
            return False
        self.phone_taken.emit(number)
        return True

    def tooltip_text(self, finding: Finding) -> str:
        """What the tooltip says about ``finding``."""
        hint = _("Press Ctrl+Shift+R to replace it with {placeholder}.").format(
            placeholder=finding.placeholder
        )
        if self.takes_phone and finding.kind is IdentifierKind.PHONE:
            hint += "\n" + _("Press Ctrl+Shift+T to move it into the call-back field.")
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
