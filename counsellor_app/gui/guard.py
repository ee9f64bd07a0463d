"""Underline identifiers in a note while it is typed, explain them, replace them by one key.

:class:`AnonymityGuard` attaches to a :class:`QPlainTextEdit`. After a short pause in
typing it scans the text with a :class:`~counsellor_app.core.anonymity.paragraphs.
ParagraphScanner` (the findings of :func:`counsellor_app.core.anonymity.find_identifiers`
for the whole text, but only the paragraphs an edit touched are scanned again),
underlines every finding with a red wavy line, shows the reason as a tooltip when the
mouse rests on one, and replaces the finding at the text cursor with its placeholder on
Ctrl+Shift+R (one undoable edit). Only the paragraphs whose underlines changed are
redrawn, so a key after a pause in a long note costs about what a key costs.

Every scan after a pause in typing runs in the scanning process
(:mod:`counsellor_app.gui.scan_service`: another core, and no share in this process's
interpreter lock), or, until that is ready or when it died, on the task runner
(:data:`Lane.SCAN`, one thread); never on the UI thread, so a key that arrives as the
pause ends does not wait for it: the UI thread only takes a copy of the text and, when
the result comes back, redraws the paragraphs whose underlines changed. Each scan
carries the text's revision (a count of its edits): a result that arrives after the text
changed again is dropped (the next pause scans the new text), so a stale scan never
overwrites a newer one; and each scan supersedes the one before: a scan still waiting
never runs. A long new text (a big paste: 1 MB scans in about a quarter of a
second) has its underlines redrawn a slice of the document at a time, so the editor
keeps answering. :meth:`AnonymityGuard.refresh_now` (the replace keys, a tooltip's
lookup) scans on the UI thread, at once.
"""

from __future__ import annotations

import itertools
import re
import threading
import weakref
from bisect import bisect_right
from collections.abc import Callable
from operator import attrgetter, itemgetter
from typing import cast

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeySequence,
    QShortcut,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QLabel,
    QLayout,
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QToolTip,
    QWidget,
)

from counsellor_app.core.anonymity import Finding, IdentifierKind, warm_up
from counsellor_app.core.anonymity.paragraphs import ParagraphScanner, ScannedParagraph
from counsellor_app.core.gate import KEEPABLE  # what may be kept: the gate's rule
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.kept_words import keep_word, kept_words
from counsellor_app.core.store import Notebook
from counsellor_app.gui.scan_service import scan_service, wanted
from counsellor_app.gui.tasks import Lane, Task, TaskRunner

#: How long a scan may wait for the scanning process before the guard scans on its own
#: thread instead (ms): on Linux the process runs only where no other work wants a core,
#: so on a machine kept busy by other programs its answer could come late or never.
LATE_ANSWER_MS = 1500

#: Milliseconds of quiet after the last change before the text is scanned again.
DEBOUNCE_MS = 150
#: The key that replaces the finding at the text cursor with its placeholder.
REPLACE_SHORTCUT = "Ctrl+Shift+R"
#: The key that moves the phone number at the text cursor into the call-back field.
TAKE_PHONE_SHORTCUT = "Ctrl+Shift+T"
#: The key that replaces every occurrence of the identifier at the text cursor.
REPLACE_ALL_SHORTCUT = "Ctrl+Alt+R"
#: The key that marks the word at the text cursor as "not an identifier" (this notebook).
KEEP_WORD_SHORTCUT = "Ctrl+Alt+I"
#: From this many characters on, a text is long (a big paste: notes are far shorter): its
#: underlines are redrawn in slices, and :meth:`AnonymityGuard.refresh_now` does not wait
#: for a scan of it on the worker thread (it scans with a scanner of its own).
BACKGROUND_SCAN_CHARS = 50_000
#: From this many paragraphs to redraw on, a long text's underlines are redrawn in slices.
SLICED_REDRAW_BLOCKS = 64
#: How long one slice of redrawing the underlines of a long text may take, in ms.
HIGHLIGHT_SLICE_MS = 8
#: Up to this many paragraphs whose underlines were drawn at once are laid out and
#: repainted alone (see :class:`_UnderlinedLayout`); more, and the view is repainted, which
#: lays out only the paragraphs it shows (measured at 900x800: about 0.07 ms to lay out a
#: paragraph, 6-12 ms to repaint the view; a slice of a long text's first underlines drew
#: 600 paragraphs and laying them all out took 40 ms against its 8).
RELAYOUT_ALONE_BLOCKS = 16
#: A paragraph's text, its findings, its spans (of a ScannedParagraph; ``map`` runs them
#: in C: the loops over every paragraph after a scan are paid by a key).
_text_of, _findings_of, _spans_of = itemgetter(1), itemgetter(2), itemgetter(3)
_end_of = attrgetter("end")
#: The block state of a block drawn with an underline (any other is -1, Qt's default): a
#: sliced redraw visits only such blocks and those with a finding now.
_UNDERLINED = 1


class KeptWordsHub(QObject):
    """Tells every guard of a notebook that its kept words changed (a word marked in one
    note, or forgotten in the list of kept words), so all open notes follow at once."""

    #: (the notebook, its kept words now)
    changed = Signal(object, frozenset)


_hub: KeptWordsHub | None = None


def kept_words_hub() -> KeptWordsHub:
    """The one :class:`KeptWordsHub` of the application."""
    global _hub
    if _hub is None:
        _hub = KeptWordsHub()
    return _hub


def publish_kept(notebook: Notebook, words: frozenset[str]) -> None:
    """``notebook`` keeps ``words`` now: every guard of it underlines none of them."""
    kept_words_hub().changed.emit(notebook, words)


class _UnderlinedLayout(QPlainTextDocumentLayout):
    """A plain text editor's own layout, which lays out and repaints only the paragraphs
    whose underlines alone changed (:attr:`formatted`, during the underliner's
    :meth:`QTextDocument.markContentsDirty`).

    Qt takes a change of a paragraph's formats for a change of all its text, and its
    plain text layout counts such a change twice: it reaches into the paragraphs after
    it, whose layouts are cleared, and the whole view is repainted (measured: 3-4 ms at
    640x640 against about 1 ms for the paragraph). Every other change goes to Qt's own
    handling, and so does one whose paragraph's height changed (cannot be: an underline
    takes no room)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        #: The paragraphs whose formats were set, while the document is told so.
        self.formatted: list[QTextBlock] | None = None
        #: An edit (position, removed, added) whose paragraph's underlines were moved
        #: with it while the document told its listeners (see :meth:`_Underliner.note_edit`):
        #: the edit this layout lays out, not the whole paragraph the moved formats add.
        self.moved_with: tuple[int, int, int] | None = None

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        edit = self.moved_with
        if edit is not None:
            self.moved_with = None
            position, removed, added = edit
        blocks = self.formatted
        if blocks and removed == added:
            first = blocks[0].position()
            last = blocks[-1].position() + blocks[-1].length()
            if first <= position and position + added <= last:
                lines = [block.lineCount() for block in blocks]
                for block in blocks:
                    self.ensureBlockLayout(block)  # (its layout was cleared with its formats)
                if lines == [block.lineCount() for block in blocks]:
                    for block in blocks:
                        self.updateBlock.emit(block)
                    return
        super().documentChanged(position, removed, added)


def underlined_layout(editor: QPlainTextEdit) -> _UnderlinedLayout:
    """``editor``'s document laid out by an :class:`_UnderlinedLayout` (given one now, if
    it has another)."""
    document = editor.document()
    layout = document.documentLayout()
    if isinstance(layout, _UnderlinedLayout):
        return layout
    layout = _UnderlinedLayout(document)
    width = editor.cursorWidth()  # (a setting of the layout)
    # Quietly: Qt announces a new layout as the whole text inserted (contentsChange(0, 0,
    # length), which a screen reader is told as typed text); it is no edit.
    blocked = document.blockSignals(True)
    try:
        document.setDocumentLayout(layout)  # (Qt deletes the editor's own)
    finally:
        document.blockSignals(blocked)
    document.documentLayoutChanged.emit()  # the editor's control follows the new layout
    editor.setDocument(document)  # the editor takes the new layout (and lays it out)
    editor.setCursorWidth(width)
    return layout


class _Underliner(QObject):
    """Underlines the guard's findings in a :class:`QPlainTextEdit`'s document: a
    paragraph's from the last scan of its text, or (a paragraph edited since, or one
    whose text stands twice with other findings) from the findings' offsets into the
    whole document text.

    Not a :class:`QSyntaxHighlighter`: that one runs Python for every paragraph an edit
    touches and sets its underlines again, which marks the whole paragraph changed; a
    plain text document counts such a change twice, so it reaches into the paragraphs
    after it, which are laid out again, and the whole view is repainted: for every key
    typed into an underlined paragraph. Here the underlines are the formats of the
    paragraph's layout, and they are set only after a scan, only where they differ from
    what is drawn, and the document is told once for all of them. A key typed moves the
    underlines after it in its paragraph while Qt lays the paragraph out for the key
    (:meth:`_move_with`), so it costs about what a bare editor's does, and the scan's
    answer after the pause draws only what the scan changed."""

    def __init__(self, document: QTextDocument, layout: _UnderlinedLayout) -> None:
        super().__init__(document)
        self._document = document
        self._layout = layout
        self.findings: list[Finding] = []
        #: The findings' ends, ascending (they never overlap): a block's first finding is
        #: found by bisection, not by walking every finding before it.
        self._ends: list[int] = []
        #: A paragraph's text -> its findings' spans in it (None: the text stands twice
        #: with different findings, its offsets tell).
        self._spans: dict[str, tuple[tuple[int, int], ...] | None] = {}
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(QColor(Qt.GlobalColor.red))
        #: Where the next slice of a sliced redraw starts (a position: blocks come and go).
        self._next_position = -1
        self._slices = QTimer(self)
        self._slices.setSingleShot(True)
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._redraw_slice)
        #: The part of the document edited since the last scan (from, to), or None: its
        #: paragraphs are redrawn after the next scan.
        self._edited: tuple[int, int] | None = None
        #: The document's paragraphs after the last edit: an edit that leaves their number
        #: and adds no new line stays in one paragraph (a key typed, a word replaced).
        self._blocks = document.blockCount()

    def note_edit(self, position: int, removed: int, added: int) -> None:
        """The document was edited (the guard's one handler of ``contentsChange`` calls
        this, for every key): remember the part edited, for the next scan. Where
        paragraphs were split, joined, pasted or cut, Qt keeps the first's underlines (or
        none): those of the paragraphs around the edit are drawn again now."""
        edited = self._edited
        if edited is None:
            self._edited = (position, position + added)
        else:  # (the end: where it is after this edit, or this edit's end if further on)
            self._edited = (
                min(edited[0], position),
                max(edited[1], position + removed) + added - removed,
            )
        document = self._document
        blocks = document.blockCount()
        if blocks == self._blocks:
            block = document.findBlock(position)
            if added <= 1 or position + added < block.position() + block.length():
                # A key typed, text taken out of a paragraph or a word pasted into it.
                self._move_with(block, position, removed, added)
                return
        self._blocks = blocks
        # The first and the last paragraph of the edited part hold what is left of those
        # that were there (the ones in between are new, without underlines): drawn from
        # the findings' offsets, moved by this edit. Inside the edit: laid out with it.
        first = document.findBlock(position)
        last = document.findBlock(position + added)
        edit = (position, removed, added)
        for block in (first, last) if last != first else (first,):
            if block.isValid():
                self._draw(block, self._block_spans(block, edit), sure=True)

    def _move_with(self, block: QTextBlock, position: int, removed: int, added: int) -> None:
        """Move the underlines of ``block`` with an edit inside it, as it is laid out: Qt
        leaves them where they were, so the words after the edit would be underlined
        wrongly until the next scan, and the scan's answer would lay out and repaint the
        paragraph once more. Set now, while the document tells its listeners of the edit,
        they are laid out with the edit (see :attr:`_UnderlinedLayout.moved_with`)."""
        if block.userState() != _UNDERLINED:
            return
        layout = block.layout()
        if layout.preeditAreaText():
            return  # an input method composes there: drawn after the next scan
        at = position - block.position()
        cut = at + removed  # (the end of the part taken out)
        moved: list[QTextLayout.FormatRange] = []
        changed = False
        for r in layout.formats():
            start, end = r.start, r.start + r.length
            # Text typed right before an underline or right after it is not underlined;
            # inside it, it is (the word changed: the scan tells).
            new_start = (
                start if start < at else (start + added - removed if start >= cut else at + added)
            )
            new_end = end if end <= at else (end + added - removed if end >= cut else at)
            if (new_start, new_end) != (start, end):
                changed = True
                r.start, r.length = new_start, new_end - new_start
            if r.length > 0:
                moved.append(r)
        if changed:
            layout.setFormats(moved)
            self._layout.moved_with = (position, removed, added)

    def edited(self) -> tuple[int, int] | None:
        """The part of the document edited since the last scan shown (from, to), if any."""
        return self._edited

    def set_findings(
        self,
        paragraphs: list[ScannedParagraph],
        findings: list[Finding],
        *,
        long: bool,
        current: bool = True,
        cursor_block: int = -1,
    ) -> None:
        """Show the findings of a scan of the whole document: redraw the paragraphs whose
        underlines change (every paragraph drawn since the last scan was drawn from the
        spans of its text then, or from offsets if its text was unknown, and those edited
        since are redrawn; so is the paragraph of the text cursor, ``cursor_block``, whose
        underlines an input method may have taken while it composed). Many of them in a
        ``long`` text: a few blocks per turn of the event loop, so that it never holds the
        window up. Not ``current`` (the document was edited after the text scanned): the
        part edited is redrawn again after the next scan too."""
        old = self._spans
        texts = list(map(_text_of, paragraphs))
        each = list(map(_spans_of, paragraphs))
        spans: dict[str, tuple[tuple[int, int], ...] | None] = dict(zip(texts, each, strict=True))
        redraw: set[int] = set()
        twice = len(spans) < len(texts)  # a text stands twice (empty lines do)
        if not twice or len(set(zip(texts, each, strict=True))) == len(spans):
            # Each text with one set of underlines: the changed ones are found in C.
            where = dict(zip(texts, itertools.count()))
            for text, _spans in spans.items() - old.items():
                if twice and texts.count(text) > 1:
                    redraw.update(n for n, other in enumerate(texts) if other == text)
                else:
                    redraw.add(where[text])
        else:
            spans = {}
            for paragraph in paragraphs:
                known = spans.get(paragraph.text, paragraph.spans)
                spans[paragraph.text] = known if known == paragraph.spans else None
            redraw = {
                number
                for number, paragraph in enumerate(paragraphs)
                if spans[paragraph.text] is None or old.get(paragraph.text) != paragraph.spans
            }
        document = self._document
        if self._edited is not None:
            first = document.findBlock(self._edited[0]).blockNumber()
            last = document.findBlock(self._edited[1]).blockNumber()
            redraw.update(range(max(first, 0), (last if last >= 0 else len(paragraphs) - 1) + 1))
        if cursor_block >= 0:
            redraw.add(cursor_block)
        if current:
            self._edited = None
        self.findings = findings
        self._ends = list(map(_end_of, findings))
        self._spans = spans
        if self.redrawing() or (long and len(redraw) >= SLICED_REDRAW_BLOCKS):
            self._next_position = 0
            self._redraw_slice()
            return
        drawn = []
        for number in sorted(redraw):
            block = document.findBlockByNumber(number)
            if block.isValid() and self._draw(block, self._block_spans(block)):
                drawn.append(block)
        self._relayout(drawn)

    def redraw_all(self) -> None:
        """Draw every paragraph's underlines again (at once, however long the text)."""
        block = self._document.firstBlock()
        drawn = []
        while block.isValid():
            if self._draw(block, self._block_spans(block), sure=True):
                drawn.append(block)
            block = block.next()
        self._relayout(drawn)

    def redrawing(self) -> bool:
        """Is a sliced redraw still under way?"""
        return self._next_position >= 0

    def _redraw_slice(self) -> None:
        if self._next_position < 0:
            return
        block = self._document.findBlock(self._next_position)
        clock = QElapsedTimer()
        clock.start()
        ends, findings = self._ends, self.findings
        drawn = []
        while block.isValid() and not clock.hasExpired(HIGHLIGHT_SLICE_MS):
            start = block.position()
            if block.userState() != _UNDERLINED:
                index = bisect_right(ends, start)
                if index >= len(findings) or findings[index].start >= start + block.length() - 1:
                    block = block.next()
                    continue  # no underline drawn, none to draw
            if self._draw(block, self._block_spans(block)):
                drawn.append(block)
            block = block.next()
        self._relayout(drawn)
        if block.isValid():
            self._next_position = block.position()
            self._slices.start()
        else:
            self._next_position = -1

    def _block_spans(
        self, block: QTextBlock, edit: tuple[int, int, int] | None = None
    ) -> tuple[tuple[int, int], ...]:
        """The underlines of ``block`` (start, end within it): its text's from the last
        scan, or those the findings' offsets give (moved by ``edit``, (position, removed,
        added), when they are from before it)."""
        text = block.text()
        spans = self._spans.get(text)
        if spans is not None:
            return spans
        block_start = block.position()
        block_end = block_start + len(text)
        findings = self.findings
        if edit is None:
            position, removed, added = block_start, 0, 0
        else:
            position, removed, added = edit
        # The first finding that ends after the block (offsets before the edit stay).
        index = bisect_right(self._ends, min(block_start, position))
        found: list[tuple[int, int]] = []
        for finding in itertools.islice(findings, index, None):
            start, end = finding.start, finding.end
            if edit is not None:  # where they are after the edit
                if start > position:
                    start = (
                        position + added if start <= position + removed else start + added - removed
                    )
                if end > position:
                    end = position + added if end <= position + removed else end + added - removed
            if start >= block_end:
                break
            start, end = max(start, block_start), min(end, block_end)
            if end > start:
                found.append((start - block_start, end - block_start))
        return tuple(found)

    def _draw(
        self, block: QTextBlock, spans: tuple[tuple[int, int], ...], *, sure: bool = False
    ) -> bool:
        """Underline ``spans`` of ``block`` and nothing else of it; True if that changed
        its layout (see :meth:`_relayout`). Not ``sure``: a block not marked underlined
        has none (a block Qt joined to another may hold the other's: they are ``sure``)."""
        if not spans and not sure and block.userState() != _UNDERLINED:
            return False  # nothing underlined there, nothing to underline
        layout = block.layout()
        if layout.preeditAreaText():
            return False  # an input method composes there: drawn after the next edit
        drawn = layout.formats()
        block.setUserState(_UNDERLINED if spans else -1)
        if len(drawn) == len(spans) and all(
            r.start == start and r.length == end - start
            for r, (start, end) in zip(drawn, spans, strict=True)
        ):
            return False  # as it is drawn
        ranges: list[QTextLayout.FormatRange] = []
        for start, end in spans:
            r = QTextLayout.FormatRange()
            r.start = start
            r.length = end - start
            r.format = self._format
            ranges.append(r)
        layout.setFormats(ranges)
        return True

    def _relayout(self, drawn: list[QTextBlock]) -> None:
        """Have the blocks whose underlines were ``drawn`` (in the document's order) laid
        out and repainted: setting a layout's formats tells the document only that they
        changed, and the document would pass that on with the next edit (as an edit of
        all of them, to every listener of ``contentsChange``). Told now, the layout lays
        out and repaints only them (see :class:`_UnderlinedLayout`), if they are few."""
        if drawn:
            self._layout.formatted = drawn if len(drawn) <= RELAYOUT_ALONE_BLOCKS else None
            try:
                self._document.markContentsDirty(drawn[0].position(), 1)
            finally:
                self._layout.formatted = None


class AnonymityGuard(QObject):
    """Watches ``editor`` for names, numbers, addresses and places that identify someone."""

    #: The findings were replaced by those of a new scan (see :meth:`findings`).
    findings_changed = Signal()
    #: A phone number was taken out of the note for the call-back field (the number).
    phone_taken = Signal(str)
    #: A sentence for the status line: how many identifiers are left after a replacement,
    #: or that the key was pressed off an identifier.
    message = Signal(str)
    #: The counsellor marked this word (as written) "not an identifier" (Ctrl+Alt+I).
    word_kept = Signal(str)
    #: A replacement by a key left this many identifiers in the note (after
    #: :attr:`message` said so): a status line over several notes counts them all.
    replaced = Signal(int)

    def __init__(self, editor: QPlainTextEdit, notebook: Notebook | None = None) -> None:
        super().__init__(editor)
        warm_up()  # the word lists load once, here rather than mid-keystroke
        self._editor = editor
        self._scanned_text: str | None = None
        self._findings: list[Finding] = []
        self._underliner = _Underliner(editor.document(), underlined_layout(editor))
        self._scanner = ParagraphScanner()
        self._scanner_lock = threading.Lock()
        #: Counts the edits of the text, so that a late background result can be told stale.
        self._revision = 0

        #: The revision last sent to be scanned in the background.
        self._requested = -1
        #: The revision whose scan is shown: an older result never replaces it.
        self._shown = -1
        self._tasks = TaskRunner(self, Lane.SCAN)
        #: The scans after a pause run in the scanning process once it is ready (before
        #: that, on the thread of ``_tasks``).
        self._service = scan_service()
        self._in_process = wanted()
        self._service_key = self._service.register(self._on_processed)
        #: A scan was handed to ``_tasks`` since the last pause's scan went to the process.
        self._threaded = False
        #: The revision and text last sent to the process, scanned here if its answer is
        #: late (:data:`LATE_ANSWER_MS`).
        self._asked: tuple[int, str] | None = None
        self._late = QTimer(self)
        self._late.setSingleShot(True)
        self._late.setInterval(LATE_ANSWER_MS)
        self._late.timeout.connect(self._answer_late)
        weakref.finalize(self, self._service.forget, self._service_key)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        # The one slot a key calls here. contentsChange, not contentsChanged: that one is
        # also emitted for a change of format, which would restart the pause.
        editor.document().contentsChange.connect(self._on_contents_change)
        #: Called after every change of the text, from that slot: an owner that follows
        #: the text too (the autosave of a call's notes) hooks in here rather than connect
        #: a slot of its own, which would be a second Python call for every key.
        self.on_edit: Callable[[], None] | None = None
        #: The tooltips' event filter is on the editor's viewport while there is a finding
        #: to explain and the counsellor is not typing: it sees every paint there (one for
        #: every key), and a key would wait for the interpreter while a scan runs.
        self._explaining = False

        self._shortcut = QShortcut(QKeySequence(REPLACE_SHORTCUT), editor)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._shortcut.activated.connect(self.replace_at_cursor)
        #: Set where a call-back field listens to :attr:`phone_taken` (during a call).
        self.takes_phone = False
        self._take_shortcut = QShortcut(QKeySequence(TAKE_PHONE_SHORTCUT), editor)
        self._take_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._take_shortcut.activated.connect(self.take_phone_at_cursor)
        self._replace_all_shortcut = QShortcut(QKeySequence(REPLACE_ALL_SHORTCUT), editor)
        self._replace_all_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._replace_all_shortcut.activated.connect(self.replace_all_at_cursor)
        self._keep_shortcut = QShortcut(QKeySequence(KEEP_WORD_SHORTCUT), editor)
        self._keep_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._keep_shortcut.activated.connect(self.keep_word_at_cursor)
        #: Words (case-folded) the counsellor marked "not an identifier" in this notebook:
        #: not underlined; they leave in exports as written (see :meth:`set_kept`).
        self.kept: frozenset[str] = frozenset()
        #: Given a notebook (here, or later by :meth:`set_notebook`), the guard keeps its
        #: words itself: it reads them, stores a word marked by Ctrl+Alt+I, and follows
        #: every change (:func:`publish_kept`).
        self._notebook = notebook
        self._store: TaskRunner | None = None
        if notebook is not None:
            self.kept = kept_words(notebook)  # one meta read; scanned below, off this thread
        kept_words_hub().changed.connect(self._on_kept_changed)
        self.word_kept.connect(self._store_kept)

        self.refresh()

    def set_notebook(self, notebook: Notebook | None) -> None:
        """Keep the words of ``notebook`` from now on: an editor that is given its notebook
        after it was built (the learning window's answers and reflections), or a new one
        after a lock. Its kept words are read now and underlined no longer; a word marked
        by Ctrl+Alt+I is stored in it. None: no notebook, no kept words."""
        if notebook is self._notebook:
            return
        self._notebook = notebook
        self.set_kept(kept_words(notebook) if notebook is not None else frozenset())

    def _on_kept_changed(self, notebook: object, words: frozenset[str]) -> None:
        if notebook is self._notebook and words != self.kept:
            self.set_kept(words)

    def _store_kept(self, word: str) -> None:
        notebook = self._notebook
        if notebook is None:
            return
        if self._store is None:
            self._store = TaskRunner(self, Lane.NOTES)

        def keep(_task: Task[frozenset[str]]) -> frozenset[str]:
            return keep_word(notebook, word)

        def kept(words: frozenset[str]) -> None:
            publish_kept(notebook, words)
            self.message.emit(
                _("“{word}” is no longer marked in this notebook's notes.").format(word=word)
            )

        self._store.run(keep, success=kept, failure=self.message.emit, key="kept_words")

    def findings(self) -> list[Finding]:
        """The findings of the last scan (see :meth:`refresh_now`)."""
        return list(self._findings)

    def scanning(self) -> bool:
        """Is the text being scanned right now (on the worker thread, or waiting for the
        scanning process or in it)?"""
        return self._tasks.running("scan") or self._service.busy(self._service_key)

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        if removed or added:
            if self.on_edit is not None:
                self.on_edit()
            self._revision += 1
            self._timer.start()
            self._underliner.note_edit(position, removed, added)
            if self._explaining:
                self._explain(False)  # until the pause: a key hides a tooltip anyway

    def _explain(self, on: bool) -> None:
        """Have the tooltips' event filter on the viewport (``on``) or not."""
        if on != self._explaining:
            self._explaining = on
            viewport = self._editor.viewport()
            if on:
                viewport.installEventFilter(self)
            else:
                viewport.removeEventFilter(self)

    def _is_long(self) -> bool:
        return self._editor.document().characterCount() > BACKGROUND_SCAN_CHARS

    def refresh(self) -> None:
        """After a pause in typing: scan the text in the scanning process (or, until that
        is ready, on the worker thread), superseding a scan not yet begun, and show the
        result if the text is still the one scanned."""
        # Every call here is paid by a key that comes as the pause ends, on a core that
        # went cold in the pause: as few as can be.
        self._timer.stop()
        if self._requested == self._revision and (self._shown == self._revision or self.scanning()):
            # This very text is being scanned (its findings are explained when they are
            # shown), or has been (not: the lock dropped it).
            self._explain(bool(self._findings))
            return
        text = self._editor.toPlainText()
        if text == self._scanned_text:
            self._requested = self._revision
            self._tasks.cancel_all()  # back to the text shown: an older scan is moot
            self._explain(bool(self._findings))  # the pause: the findings are explained
            return
        if not text:
            self.refresh_now()  # nothing to scan: no thread needed to say so
            return
        revision = self._requested = self._revision
        if self._in_process and self._service.ready():
            if self._threaded:  # a scan on the thread (before the process was ready)
                self._threaded = False
                self._tasks.cancel_all()
            self._service.scan(self._service_key, revision, text, self._underliner.edited())
            self._asked = (revision, text)
            self._late.start()
        else:
            self._scan_on_thread(revision, text)

    def _answer_late(self) -> None:
        """The process has not answered the last text sent within :data:`LATE_ANSWER_MS`
        (a machine busy with other work starves it): scanned on the thread instead, and
        the process's answer, if it comes, is dropped as old."""
        asked, self._asked = self._asked, None
        if asked is not None and asked[0] == self._requested > self._shown:
            self._scan_on_thread(*asked)

    def _scan_on_thread(self, revision: int, text: str) -> None:
        self._threaded = True

        def scan(_task: Task[list[ScannedParagraph]]) -> list[ScannedParagraph]:
            return self._scan(text)

        self._tasks.run(
            scan,
            key="scan",
            success=lambda paragraphs: self._on_scanned(revision, text, paragraphs),
            # A bug (logged by the runner): no underlines rather than a dead guard.
            failure=lambda _sentence: self._on_failed(revision, text),
        )

    def _scan(self, text: str, *, wait: bool = True) -> list[ScannedParagraph]:
        # One scan at a time: the scanner remembers the last text (on either thread). Not
        # waiting (the UI thread while a long text is scanned): a scanner of its own, from
        # scratch. A short text's scan on the worker ends within a few milliseconds: the
        # UI thread waits for it, and then scans only what changed.
        if not self._scanner_lock.acquire(blocking=wait):
            return ParagraphScanner().scan(text)
        try:
            return self._scanner.scan(text)
        finally:
            self._scanner_lock.release()

    def _on_processed(
        self, revision: int, text: str, paragraphs: list[ScannedParagraph] | None
    ) -> None:
        """The scanning process's answer for ``text``."""
        if revision != self._requested:
            return  # a newer text was sent since, or the one shown came back
        self._late.stop()
        if paragraphs is None:  # the process failed on it, or ended: scanned here instead
            self._scan_on_thread(revision, text)
            return
        self._on_scanned(revision, text, paragraphs)

    def _on_scanned(self, revision: int, text: str, paragraphs: list[ScannedParagraph]) -> None:
        if revision <= self._shown or text == self._scanned_text:
            return  # a newer text's findings are shown already, or this text's
        current = revision == self._revision
        if not current and (
            self._is_long() or len(paragraphs) != self._editor.document().blockCount()
        ):
            # A long text redrawn for a text already gone, or paragraphs added or taken
            # away since (the paragraphs' numbers moved): the next pause's result is due.
            return
        # Keys typed into a paragraph while it was scanned (a few milliseconds) do not drop
        # a short text's result: its underlines keep up with steady typing, and the next
        # pause scans again.
        self._show(text, paragraphs, revision, current=current)

    def _on_failed(self, revision: int, text: str) -> None:
        with self._scanner_lock:
            self._scanner.clear()  # it may have stopped half-way
        bare: list[ScannedParagraph] = []
        start = 0
        for line in text.split("\n"):
            bare.append(ScannedParagraph(start, line, (), ()))
            start += len(line) + 1
        self._on_scanned(revision, text, bare)

    def refresh_now(self) -> None:
        """Scan the text now, on this thread (instead of after the pause), and update the
        underlines. This waits for the scan even when the text is long."""
        self._timer.stop()
        text = self._editor.toPlainText()
        if text == self._scanned_text:
            return
        self._requested = self._revision
        self._tasks.cancel_all()  # a background scan is moot now
        self._show(text, self._scan(text, wait=not self._is_long()), self._revision)

    def set_kept(self, words: frozenset[str]) -> None:
        """Underline no longer the words in ``words`` (case-folded): the counsellor's "not
        an identifier" for this notebook (the gate lets them leave as written, and the
        export previews show them as the counsellor's own decision)."""
        if words == self.kept:
            return  # nothing to show differently (a new editor, a notebook without any)
        self.kept = words
        self._scanned_text = None  # shown again with the new words left out
        self.refresh_now()

    def _without_kept(
        self, text: str, paragraphs: list[ScannedParagraph]
    ) -> list[ScannedParagraph]:
        if not self.kept:
            return paragraphs
        shown: list[ScannedParagraph] = []
        for paragraph in paragraphs:
            pairs = [
                (finding, span)
                for finding, span in zip(paragraph.findings, paragraph.spans, strict=True)
                if text[finding.start : finding.end].casefold() not in self.kept
            ]
            if len(pairs) != len(paragraph.findings):
                paragraph = paragraph._replace(
                    findings=tuple(f for f, _span in pairs), spans=tuple(s for _f, s in pairs)
                )
            shown.append(paragraph)
        return shown

    def _show(
        self,
        text: str,
        paragraphs: list[ScannedParagraph],
        revision: int,
        *,
        current: bool = True,
    ) -> None:
        paragraphs = self._without_kept(text, paragraphs)
        self._scanned_text = text
        self._shown = revision
        self._findings = list(itertools.chain.from_iterable(map(_findings_of, paragraphs)))
        self._underliner.set_findings(
            paragraphs,
            self._findings,
            long=len(text) >= BACKGROUND_SCAN_CHARS,
            current=current,
            cursor_block=self._editor.textCursor().blockNumber(),
        )
        self._explain(bool(self._findings))
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
            self.message.emit(_("There is no identifier at the cursor."))
            return False
        cursor.beginEditBlock()
        cursor.setPosition(finding.start)
        cursor.setPosition(finding.end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(finding.placeholder)
        cursor.endEditBlock()
        self._editor.setTextCursor(cursor)
        self._say_left()  # scans the text now
        return True

    def replace_all_at_cursor(self) -> int:
        """Replace the identifier at the text cursor wherever the note writes it (as a
        whole word, in the same case or not), in one undoable edit; how many were
        replaced (0: none at the cursor)."""
        cursor = self._editor.textCursor()
        finding = self.finding_at(cursor.position())
        if finding is None:
            self.message.emit(_("There is no identifier at the cursor."))
            return 0
        text = self._editor.toPlainText()
        spans = occurrences(text, text[finding.start : finding.end])
        cursor.beginEditBlock()
        for start, end in reversed(spans):  # from the end: earlier offsets stay right
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(finding.placeholder)
        cursor.endEditBlock()
        self._editor.setTextCursor(cursor)
        self._say_left()  # scans the text now
        return len(spans)

    def keep_word_at_cursor(self) -> bool:
        """Mark the word at the text cursor "not an identifier" for this notebook
        (:attr:`word_kept`; stored in the guard's notebook, and every guard of it follows).
        Only words that may be a name or a place: a number, an address or an e-mail stays
        marked."""
        finding = self.finding_at(self._editor.textCursor().position())
        if finding is None:
            self.message.emit(_("There is no identifier at the cursor."))
            return False
        if finding.kind not in KEEPABLE:
            self.message.emit(
                _("Only a word can be marked as no identifier; numbers and addresses stay.")
            )
            return False
        self.word_kept.emit(self._editor.toPlainText()[finding.start : finding.end])
        return True

    def _say_left(self) -> None:
        self.refresh_now()
        left = len(self._findings)
        self.message.emit(
            ngettext(
                "{count} identifier is left in this note.",
                "{count} identifiers are left in this note.",
                left,
            ).format(count=left)
        )
        self.replaced.emit(left)

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
        hint += "\n" + _(
            "Ctrl+Alt+R replaces it everywhere in the note; Ctrl+Alt+I marks it as no "
            "identifier in this notebook."
        )
        return finding.reason + "\n" + hint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip:
            return False  # a paint, the mouse: the editor's own
        if isinstance(event, QHelpEvent):
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


class GuardStatus(QLabel):
    """The status line under guarded editors (the call's notes, a concern's reasoning,
    an alliance, a follow-up's tasks, comments, answers and reflections): how many
    identifiers are left in them, after every scan, and what the guard's keys did (a
    replacement, a key pressed off an identifier). Empty until an identifier is found."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guard_status")
        self.setWordWrap(True)
        self.setAccessibleName(_("Identifiers in the notes"))
        self._guards: list[AnonymityGuard] = []
        self._left: int | None = None

    def watch(self, guard: AnonymityGuard) -> None:
        """Say what ``guard`` finds and does here."""
        self._guards.append(guard)
        guard.message.connect(self.setText)
        guard.findings_changed.connect(self._count)
        guard.replaced.connect(lambda _left: self._count(say=len(self._guards) > 1))
        self._count()

    def left(self) -> int:
        """How many identifiers the watched guards underline now."""
        return sum(len(guard.findings()) for guard in self._guards)

    def _count(self, *, say: bool = False) -> None:
        """Say how many identifiers are left when the count changed (or ``say``: after a
        replacement in one of several notes, whose guard spoke of its own note only)."""
        left = self.left()
        if not say and (left == self._left or (self._left is None and not left)):
            return  # the same count: a message said since stays
        self._left = left
        self.setText(
            ngettext(
                "{count} identifier is left in these notes.",
                "{count} identifiers are left in these notes.",
                left,
            ).format(count=left)
            if len(self._guards) > 1
            else ngettext(
                "{count} identifier is left in this note.",
                "{count} identifiers are left in this note.",
                left,
            ).format(count=left)
        )

    @classmethod
    def below(cls, editor: QPlainTextEdit, *guards: AnonymityGuard) -> GuardStatus:
        """A status line put right below ``editor`` in its layout (a form's row or a box
        layout), watching ``guards``."""
        status = cls(editor.parentWidget())
        parent = editor.parentWidget()
        holder = _layout_holding(parent.layout(), editor) if parent is not None else None
        if isinstance(holder, QFormLayout):
            row, _role = cast("tuple[int, object]", holder.getWidgetPosition(editor))
            holder.insertRow(row + 1, "", status)
        elif isinstance(holder, QBoxLayout):
            holder.insertWidget(holder.indexOf(editor) + 1, status)
        for guard in guards:
            status.watch(guard)
        return status


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    """The layout, ``layout`` or one nested in it, that holds ``widget`` itself."""
    if layout is None:
        return None
    if layout.indexOf(widget) >= 0:
        return layout
    for index in range(layout.count()):
        item = layout.itemAt(index)
        inner = item.layout() if item is not None else None
        found = _layout_holding(inner, widget)
        if found is not None:
            return found
    return None


def occurrences(text: str, word: str) -> list[tuple[int, int]]:
    """Where ``word`` stands in ``text`` as a whole word, in any case: (start, end)."""
    if not word.strip():
        return []
    pattern = re.compile(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]
