"""The window's one scanning process (see :mod:`counsellor_app.core.anonymity.scan_process`),
shared by every anonymity guard, with its answers delivered on the UI thread.

A guard sends its text after a pause in typing with :meth:`ScanService.scan` and gets
:class:`ScannedParagraph` back through its callback, on the UI thread, through a queued
signal. Until the process is ready (its first second, or after a lock stopped it) a guard
scans on its own thread (:data:`Lane.SCAN`) as before: :meth:`ScanService.ready` tells.
The lock calls :func:`stop_scan_process`; the process starts again when a guard next asks.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Qt, Signal

from counsellor_app.core.anonymity import IdentifierKind
from counsellor_app.core.anonymity.engine import moved_finding, new_finding
from counsellor_app.core.anonymity.paragraphs import ScannedParagraph
from counsellor_app.core.anonymity.scan_process import ParagraphFindings, ScanProcess
from counsellor_app.core.i18n import current_language

#: Set to "0" to scan on the window's own thread pool only (no process): for a machine
#: where a second process cannot be started.
ENVIRONMENT_SWITCH = "COUNSELLOR_APP_SCAN_PROCESS"

#: What a guard is handed: the revision and the text it sent, and the paragraphs with
#: their findings, or None (the process failed on this text or ended: the guard scans it
#: itself).
Answer = Callable[[int, str, list[ScannedParagraph] | None], None]


class ScanService(QObject):
    """See the module's docstring."""

    _answered = Signal(int, int, object)

    def __init__(self) -> None:
        super().__init__()
        # Driven where a pipe can be watched (not Windows): the answers are read here, on
        # the UI thread, when the notifier says they are there.
        self._driven = sys.platform != "win32"
        self._process = ScanProcess(self._on_answer, driven=self._driven)
        self._notifier: QSocketNotifier | None = None
        self._keys = itertools.count(1)
        #: key -> the guard's callback (weakly).
        self._callbacks: dict[int, weakref.WeakMethod[Answer]] = {}
        #: key -> the text of its last answer and the paragraphs made for it (see
        #: :func:`paragraphs`).
        self._made: dict[int, tuple[str, list[ScannedParagraph]]] = {}
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        #: The UI thread: an answer read there (driven) is handed to its guard at once,
        #: not through the event queue (a second turn of it, paid by the same key).
        self._ui_thread = threading.get_ident()

    def register(self, callback: Answer) -> int:
        """A key for a guard whose answers go to ``callback`` (a bound method, kept
        weakly: a guard that is gone gets none)."""
        key = next(self._keys)
        self._callbacks[key] = weakref.WeakMethod(callback)
        return key

    def forget(self, key: int) -> None:
        """The guard ``key`` is gone."""
        self._callbacks.pop(key, None)
        self._made.pop(key, None)
        self._process.forget(key)

    def ready(self) -> bool:
        """Can a text be scanned in the process now? (If not, it is being started.) See
        :func:`wanted` first."""
        if not self._process.ready():
            self._process.start()
            return False
        if self._driven and self._notifier is None:
            notifier = self._notifier = QSocketNotifier(
                self._process.answers_fd(), QSocketNotifier.Type.Read, self
            )
            notifier.activated.connect(self._pump)
        return True

    def _pump(self) -> None:
        self._process.pump()
        if self._process.answers_fd() < 0:  # it ended (the texts were handed back)
            self._drop_notifier()

    def _drop_notifier(self) -> None:
        notifier, self._notifier = self._notifier, None
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.deleteLater()

    def pid(self) -> int | None:
        """The scanning process's id while it runs, else None."""
        return self._process.pid()

    def scan(
        self, key: int, revision: int, text: str, edited: tuple[int, int] | None = None
    ) -> None:
        """Scan ``text`` of the guard ``key`` at ``revision``; the answer comes to its
        callback (a newer text sent before it was scanned replaces it). ``edited``: where
        the text may differ from the one sent before (see :meth:`ScanProcess.scan`)."""
        if key in self._callbacks:
            self._process.scan(key, revision, current_language(), text, edited)

    def known_text(self, key: int) -> str | None:
        """The text of the guard ``key`` the process was last sent (it holds it), if any."""
        return self._process.known_text(key)

    def busy(self, key: int) -> bool:
        """Is a text of ``key`` waiting or being scanned in the process?"""
        return self._process.busy(key)

    def stop(self) -> None:
        """End the process (the lock); unanswered texts are dropped, and so are the texts
        of the last answers."""
        self._drop_notifier()
        self._made.clear()
        self._process.stop()

    def close(self) -> None:
        self._drop_notifier()
        self._made.clear()
        self._process.close()

    def _on_answer(
        self,
        key: int,
        revision: int,
        text: str,
        findings: ParagraphFindings | None,
        same: tuple[int, int],
    ) -> None:
        made = self._made.pop(key, None)
        shown = None
        if findings is not None:
            shown = paragraphs(text, findings, made, same)
            if shown is not None and key in self._callbacks:
                self._made[key] = (text, shown)
        if threading.get_ident() == self._ui_thread:
            self._deliver(key, revision, (text, shown))
        else:  # the reader thread (Windows), or the starting one (a process never ready)
            self._answered.emit(key, revision, (text, shown))

    def _deliver(
        self, key: int, revision: int, answer: tuple[str, list[ScannedParagraph] | None]
    ) -> None:
        reference = self._callbacks.get(key)
        callback = reference() if reference is not None else None
        if callback is None:
            return
        if not shiboken6.isValid(callback.__self__):  # type: ignore[attr-defined]
            self.forget(key)  # the guard's editor was deleted (its wrapper lives on)
            return
        callback(revision, *answer)


def paragraphs(
    text: str,
    findings: ParagraphFindings,
    before: tuple[str, list[ScannedParagraph]] | None = None,
    same: tuple[int, int] = (0, 0),
) -> list[ScannedParagraph] | None:
    """The paragraphs of ``text`` with ``findings`` (each paragraph's, within it). Given
    the text and the paragraphs made for the answer ``before``, and ``same``: how many
    paragraphs at the start and at the end are as they were there (text and findings),
    those are taken over (the ones at the end moved, if the text before them grew or
    shrank), and only those in between are made: a note typed into in one place costs
    that paragraph. None if they do not fit (an answer for another text: cannot be)."""
    head, tail = same
    if before is not None and (head or tail):
        made = _around(text, findings, before, head, tail)
        if made is not None:
            return made
    lines = text.split("\n")
    if len(lines) != len(findings):
        return None
    return _made(lines, findings, 0)


def _around(
    text: str,
    findings: ParagraphFindings,
    before: tuple[str, list[ScannedParagraph]],
    head: int,
    tail: int,
) -> list[ScannedParagraph] | None:
    """:func:`paragraphs` from ``before``'s first ``head`` and last ``tail`` paragraphs;
    None if ``text`` does not hold them where they must be (cannot be)."""
    old_text, old = before
    count = len(findings) - head - tail
    if count < 0 or head + tail > len(old):
        return None
    moved = len(text) - len(old_text)
    # The changed paragraphs are text[start:end] (and the newline after them).
    start = old[head - 1].start + len(old[head - 1].text) + 1 if head else 0
    end = old[len(old) - tail].start + moved - 1 if tail else len(text)
    if text[:start] != old_text[:start] or text[end:] != old_text[end - moved :]:
        return None
    lines = text[start:end].split("\n") if count else []
    if len(lines) != count or (not count and start != end + 1):
        return None
    out = old[:head]
    out += _made(lines, findings[head : head + count], start)
    if not moved:
        out += old[len(old) - tail :]
        return out
    for at, line, found, spans in old[len(old) - tail :]:
        out.append(
            ScannedParagraph(
                at + moved,
                line,
                tuple([moved_finding(finding, moved) for finding in found]) if found else (),
                spans,
            )
        )
    return out


def _made(lines: list[str], findings: ParagraphFindings, start: int) -> list[ScannedParagraph]:
    """The paragraphs ``lines`` (the first at ``start``) with their ``findings``."""
    out: list[ScannedParagraph] = []
    for line, found in zip(lines, findings, strict=True):
        if found:
            out.append(
                ScannedParagraph(
                    start,
                    line,
                    tuple(
                        new_finding(s + start, e + start, IdentifierKind(kind), reason, other)
                        for s, e, kind, reason, other in found
                    ),
                    tuple((s, e) for s, e, _kind, _reason, _other in found),
                )
            )
        else:
            out.append(ScannedParagraph(start, line, (), ()))
        start += len(line) + 1
    return out


def wanted() -> bool:
    """Are the guards' scans to run in the process (see :data:`ENVIRONMENT_SWITCH`)?"""
    return os.environ.get(ENVIRONMENT_SWITCH) != "0"


_service: ScanService | None = None


def scan_service() -> ScanService:
    """The program's one :class:`ScanService` (made on first use, on the UI thread)."""
    global _service
    if _service is None:
        _service = ScanService()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_service.close)
    return _service


def stop_scan_process() -> None:
    """End the scanning process, if there is one (the lock: no note text outlives it
    there); it starts again when a guard next asks."""
    if _service is not None:
        _service.stop()
