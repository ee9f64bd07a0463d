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
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Qt, Signal

from counsellor_app.core.anonymity import Finding, IdentifierKind
from counsellor_app.core.anonymity.engine import new_finding
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
        #: key -> the findings made for its last answer (see :func:`paragraphs`).
        self._made: dict[int, Made] = {}
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

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
        """Can a text be scanned in the process now? (If not, it is being started.)"""
        if os.environ.get(ENVIRONMENT_SWITCH) == "0":
            return False
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

    def scan(self, key: int, revision: int, text: str) -> None:
        """Scan ``text`` of the guard ``key`` at ``revision``; the answer comes to its
        callback (a newer text sent before it was scanned replaces it)."""
        if key in self._callbacks:
            self._process.scan(key, revision, current_language(), text)

    def busy(self, key: int) -> bool:
        """Is a text of ``key`` waiting or being scanned in the process?"""
        return self._process.busy(key)

    def stop(self) -> None:
        """End the process (the lock); unanswered texts are dropped."""
        self._drop_notifier()
        self._process.stop()

    def close(self) -> None:
        self._drop_notifier()
        self._process.close()

    def _on_answer(
        self, key: int, revision: int, text: str, findings: ParagraphFindings | None
    ) -> None:
        shown = None if findings is None else paragraphs(text, findings, self._made.get(key))
        if shown is not None:
            self._made[key] = shown[1]
        self._answered.emit(key, revision, (text, shown and shown[0]))

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


#: A paragraph's findings as the process answers them, where it starts -> the same as
#: findings of the whole text and as spans (see :func:`paragraphs`).
Made = dict[
    tuple[int, tuple[tuple[int, int, str, str, str], ...]],
    tuple[tuple[Finding, ...], tuple[tuple[int, int], ...]],
]


def paragraphs(
    text: str, findings: ParagraphFindings, known: Made | None = None
) -> tuple[list[ScannedParagraph], Made] | None:
    """The paragraphs of ``text`` with ``findings`` (each paragraph's, within it), and
    what was made for them; those ``known`` (from the answer before: a note typed into
    keeps most paragraphs where they were) are not made again. None if they do not fit
    (an answer for another text: cannot be)."""
    out: list[ScannedParagraph] = []
    made: Made = {}
    start = 0
    lines = text.split("\n")
    if len(lines) != len(findings):
        return None
    known = known or {}
    for line, found in zip(lines, findings, strict=True):
        if found:
            place = (start, found)
            both = known.get(place)
            if both is None:
                both = (
                    tuple(
                        new_finding(s + start, e + start, IdentifierKind(kind), reason, other)
                        for s, e, kind, reason, other in found
                    ),
                    tuple((s, e) for s, e, _kind, _reason, _other in found),
                )
            made[place] = both
            out.append(ScannedParagraph(start, line, *both))
        else:
            out.append(ScannedParagraph(start, line, (), ()))
        start += len(line) + 1
    return out, made


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
