"""The anonymity guard's scans in a process of their own, beside the window's.

A scan is Python work, and a Python thread holds the interpreter's lock while it runs:
the window's thread, which needs that lock for every key typed, waits for it. A key that
arrives as a pause in typing ends (when the guard scans) paid for the scan that way, and
a note opened or pasted paid for its whole first scan. In a process of its own the scan
runs on another core and shares no lock with the window.

:class:`ScanProcess` (the window's side) starts the process, sends it texts and hands
each text's findings to a callback. The process (:func:`main`, started as
``python -m counsellor_app.core.anonymity.scan_process``, or the frozen app with
:data:`WORKER_ARGUMENT`) keeps a :class:`ParagraphScanner` for every editor that sends it
texts, so that a text edited in one place is scanned again in that place only.

Both ways only what changed travels (the window's thread pays for every byte it writes
and every answer it reads): the window's side sends an editor's text the first time, and
after that only the part that differs from the text it sent before (the process keeps
each editor's last text and applies it); the process answers the findings of the
paragraphs that differ from its answer before, with how many paragraphs before and after
them are as they were (text and findings). Each message names the text and the answer it
builds on; where the other side does not hold those (a process that forgot an editor,
an answer not handed over), the text goes whole and the answer complete: the process
never scans a text other than the editor's, and an answer is never put together from
another's parts.

Safety: the process holds note text only in memory. It turns core dumps and debuggers off
for itself as the window does (:func:`~counsellor_app.core.hardening.harden_process`),
writes nothing but its answers (its standard error goes nowhere: an error message could
hold note text), and ends when the window's side closes its input, is stopped (the lock
stops it, so that no note text outlives the lock there) or dies. Messages go both ways as
a length and a ``marshal``-ed value (plain tuples of numbers and strings): nothing in
them is run or looked up.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import marshal
import os
import struct
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: The argument that makes the frozen app (which has no ``-m``) run :func:`main`.
WORKER_ARGUMENT = "--scan-worker"
#: Editors whose scanners the process keeps (the least recently used goes first).
KEPT_SCANNERS = 32
#: How nice (lower in priority) the process is to the rest of the machine: a scan of a
#: big paste never slows the window, or the softphone the call is on.
NICENESS = 10
_HEADER = struct.Struct("<I")
#: The longest message the window's thread writes itself: one that fits into an empty pipe
#: (64 KiB on Linux, unless the user's pipes are many: then the pipe's own size, see
#: :func:`_direct_bytes`; macOS's starts at 16 KiB), so the write never waits.
DIRECT_BYTES = 60_000 if sys.platform.startswith("linux") else 16_000

#: What :class:`ScanProcess` hands its callback for a text: each paragraph's findings as
#: (start, end, kind value, reason, replacement) within the paragraph; or None: the scan
#: failed (a bug, logged by the process as nothing but its type) or the process died.
ParagraphFindings = list[tuple[tuple[int, int, str, str, str], ...]]
#: An answer's head: the process does not hold the text the edit was made to (it forgot
#: the editor): the window's side sends the text whole.
_MISSING = -1


def _write(stream: IO[bytes], value: Any) -> None:
    stream.write(encode_message(value))
    stream.flush()


def read_message(stream: IO[bytes]) -> Any:
    """The next message of ``stream``, or None at its end."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return marshal.loads(data)


# ---------------------------------------------------------------- the scanning process


class _Editor:
    """What the process keeps of one editor: its scanner, its last text, and the
    paragraphs and findings of its last answer (``answered`` -1: none to build on)."""

    def __init__(self) -> None:
        from counsellor_app.core.anonymity.paragraphs import ParagraphScanner

        self.scanner = ParagraphScanner()
        #: The serial number of the last text (-1: none) and the text.
        self.serial = -1
        self.text = ""
        #: The serial number of the last answer, its paragraphs' texts and findings.
        self.answered = -1
        self.lines: list[str] = []
        self.findings: ParagraphFindings = []


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer ``("scan", key, revision, language, serial, base, start, end, inserted,
    known)`` (the text of serial number ``serial``: the text ``base`` with its
    ``[start:end]`` replaced by ``inserted``, or ``inserted`` itself if ``base`` is -1)
    with ``(key, revision, head, tail, findings)``: the findings of its paragraphs (see
    :data:`ParagraphFindings`) but the first ``head`` and the last ``tail``, which are
    those of the answer ``known`` (text and findings; 0 and 0 if the process holds no
    such answer); ``findings`` None if the scan failed; ``head`` :data:`_MISSING` if
    the process does not hold the text ``base``. ``("forget", key)`` forgets an editor.
    Until ``requests`` ends."""
    from counsellor_app.core.i18n import current_language, set_language

    editors: OrderedDict[int, _Editor] = OrderedDict()
    while True:
        request = read_message(requests)
        if request is None:
            return
        if request[0] == "forget":
            editors.pop(request[1], None)
            continue
        _verb, key, revision, language, serial, base, start, end, inserted, known = request
        if language != current_language():
            set_language(language)  # the findings' reasons are in the window's language
        editor = editors.pop(key, None) or _Editor()
        editors[key] = editor
        while len(editors) > KEPT_SCANNERS:
            editors.popitem(last=False)
        if base < 0:
            text = inserted
        elif editor.serial == base:
            text = editor.text[:start] + inserted + editor.text[end:]
        else:  # forgotten (or never had): the window's side sends it whole
            _write(answers, (key, revision, _MISSING, 0, None))
            continue
        editor.serial, editor.text = serial, text
        try:
            scanned = editor.scanner.scan(text)
            lines = [p.text for p in scanned]
            findings: ParagraphFindings = [
                tuple(
                    (f.start - p.start, f.end - p.start, f.kind.value, f.reason, f.replacement)
                    for f in p.findings
                )
                for p in scanned
            ]
        except Exception as error:  # a bug: no underlines for this text, not a dead guard
            log.error("scan failed: %s", type(error).__name__)
            editor.scanner.clear()  # it may have stopped half-way
            editor.answered = -1
            _write(answers, (key, revision, 0, 0, None))
            continue
        head = tail = 0
        if known >= 0 and editor.answered == known:
            head, tail = _same_ends(editor.lines, lines, editor.findings, findings)
        editor.answered, editor.lines, editor.findings = serial, lines, findings
        _write(answers, (key, revision, head, tail, findings[head : len(findings) - tail]))


def _same_ends(
    old_lines: list[str],
    lines: list[str],
    old_findings: ParagraphFindings,
    findings: ParagraphFindings,
) -> tuple[int, int]:
    """How many paragraphs at the start and at the end are the same in both (text and
    findings), not counting one twice."""
    limit = min(len(lines), len(old_lines))
    head = 0
    while head < limit and lines[head] == old_lines[head] and findings[head] == old_findings[head]:
        head += 1
    tail = 0
    while (
        tail < limit - head
        and lines[-1 - tail] == old_lines[-1 - tail]
        and findings[-1 - tail] == old_findings[-1 - tail]
    ):
        tail += 1
    return head, tail


def main() -> int:
    """The scanning process: hardened, its word lists loaded, then :func:`serve` on its
    standard input and output."""
    from counsellor_app.core.anonymity import warm_up
    from counsellor_app.core.hardening import harden_process

    harden_process()
    # The answers go to the window's side on the standard output's pipe; anything else
    # written there (a stray print) would break them, so that one goes to standard error
    # (which the window's side sends nowhere).
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
    warm_up()
    gc.freeze()  # the word lists: a full collection would walk their million words
    if hasattr(os, "sched_setscheduler"):
        # From now on it runs only where no other work wants the core (Linux): a scan
        # never takes a core from the window, whose keys come first. (Not while the word
        # lists load: on a busy machine the editors would scan on their own until then.)
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    _write(answers, ("ready",))
    serve(sys.stdin.buffer, answers)
    return 0


# ---------------------------------------------------------------- the window's side


def worker_command() -> list[str]:
    """How the scanning process is started: the frozen app with
    :data:`WORKER_ARGUMENT`, or this interpreter with this module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_ARGUMENT]
    return [sys.executable, "-m", __name__]


class ScanProcess:
    """Sends texts to the scanning process and hands back their findings, each by
    ``on_result(key, revision, text, findings, same)`` (see :data:`ParagraphFindings`):
    ``same`` is (head, tail), how many paragraphs at the start and at the end of ``text``
    are as they were in the text last handed over for ``key`` with findings (their text,
    and their findings within them; (0, 0) after a failure, or where nothing is known).

    One text is in the process at a time; the others wait, one per key (an editor): a
    newer text of a key replaces the one waiting, so scans never pile up behind a fast
    typist. Two ways to run it:

    * ``driven`` (the window, where :func:`select` works on pipes: not Windows): the
      caller's thread writes a text when the process is idle (into an empty pipe, which
      never blocks; a text longer than :data:`DIRECT_BYTES` is written by a thread), and
      the caller calls :meth:`pump` when :meth:`answers_fd` is readable; the answers are
      handed over there, on the caller's thread. No thread of this object runs Python
      while the window's thread types: a thread that wakes for an answer takes the
      interpreter's lock from the window's, which on a busy machine then waits for a core.
    * not driven: a thread reads the answers and hands them over on itself.

    Starting the process (about a second, for its word lists) runs on a thread either way.
    """

    def __init__(
        self,
        on_result: Callable[[int, int, str, ParagraphFindings | None, tuple[int, int]], None],
        *,
        driven: bool = False,
    ) -> None:
        self._on_result = on_result
        self._driven = driven
        self._lock = threading.RLock()
        #: key -> (revision, language, text, edited) waiting to be sent.
        self._waiting: dict[int, tuple[int, str, str, tuple[int, int] | None]] = {}
        #: (key, revision, language, text, the answer it builds on, its serial number)
        #: sent and not yet answered.
        self._sent: tuple[int, int, str, str, int, int] | None = None
        #: Numbers the texts sent (and so their answers).
        self._serial = 0
        #: key -> the serial number of the text last sent (which the process holds unless
        #: it forgot the editor) and the text.
        self._texts: dict[int, tuple[int, str]] = {}
        #: key -> the serial number of the answer last handed over, and its findings.
        self._answers: dict[int, tuple[int, ParagraphFindings]] = {}
        self._forget: list[int] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._starting = False
        self._ready = False
        self._stopped = False
        #: Counts the processes started: an answer or a death of an older one is ignored.
        self._generation = 0
        self._received = bytearray()
        #: The longest message written on the caller's thread (see :data:`DIRECT_BYTES`).
        self._direct = DIRECT_BYTES

    def ready(self) -> bool:
        """Is the process running, with its word lists loaded?"""
        return self._ready

    def start(self) -> None:
        """Start the process (on a thread: this returns at once), unless it runs."""
        with self._lock:
            if self._process is not None or self._starting or self._stopped:
                return
            self._starting = True
            generation = self._generation
        threading.Thread(
            target=self._start, args=(generation,), name="scan-process", daemon=True
        ).start()

    def pid(self) -> int | None:
        """The process's id while it runs (or starts), else None."""
        process = self._process
        return process.pid if process is not None else None

    def answers_fd(self) -> int:
        """The pipe the answers come on (driven: :meth:`pump` when it is readable); -1
        while the process is not ready."""
        process = self._process
        if not self._ready or process is None or process.stdout is None:
            return -1
        return process.stdout.fileno()

    def scan(
        self,
        key: int,
        revision: int,
        language: str,
        text: str,
        edited: tuple[int, int] | None = None,
    ) -> None:
        """Send ``text`` (of the editor ``key``, at ``revision``) to be scanned. ``edited``:
        where it may differ from the text of ``key`` sent before, (start, end) in it, as
        far as the caller knows (checked: a wrong one costs a comparison of the two)."""
        with self._lock:
            self._waiting[key] = (revision, language, text, edited)
            self._send_next()

    def busy(self, key: int) -> bool:
        """Is a text of ``key`` waiting or being scanned?"""
        with self._lock:
            return key in self._waiting or (self._sent is not None and self._sent[0] == key)

    def known_text(self, key: int) -> str | None:
        """The text of ``key`` last sent to the process (tests: what it holds), or None."""
        with self._lock:
            sent = self._texts.get(key)
            return None if sent is None else sent[1]

    def forget(self, key: int) -> None:
        """The editor ``key`` is gone: its waiting text is dropped, its scanner too."""
        with self._lock:
            self._waiting.pop(key, None)
            self._texts.pop(key, None)
            self._answers.pop(key, None)
            if self._ready:
                self._forget.append(key)
                self._send_next()

    def stop(self) -> None:
        """End the process now (the lock): its memory, with the texts it scanned, goes
        back to the system. Nothing waiting or sent is answered; the next :meth:`start`
        starts a new process."""
        with self._lock:
            process = self._process
            self._process = None
            self._starting = self._ready = False
            self._forget_all()
            self._generation += 1
        if process is not None:
            _end(process)

    def close(self) -> None:
        """Stop, and start no process again (the program ends)."""
        with self._lock:
            self._stopped = True
        self.stop()

    def pump(self) -> None:
        """Driven: read what the process answered (without waiting) and hand it over."""
        with self._lock:
            process, generation = self._process, self._generation
            fd = self.answers_fd()
        if fd < 0 or process is None:
            return
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost(process, generation)
            return
        with self._lock:
            if generation != self._generation:
                return
            self._received += data
            answers: list[Any] = []
            while len(self._received) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(self._received)
                if len(self._received) < _HEADER.size + size:
                    break
                answers.append(marshal.loads(self._received[_HEADER.size : _HEADER.size + size]))
                del self._received[: _HEADER.size + size]
        for answer in answers:
            self._answered(answer, generation)

    # -- inside

    def _start(self, generation: int) -> None:
        """Start the process and wait for it to be ready (on a thread of its own); not
        driven, go on reading its answers."""
        try:
            process = _spawn()
        except OSError as error:
            log.warning("the scanning process did not start (%s)", type(error).__name__)
            with self._lock:
                if self._generation == generation:
                    self._starting = False
            return
        with self._lock:
            stopped = self._generation != generation
            if not stopped:
                self._process, self._starting = process, False
                self._direct = _direct_bytes(process)
        if stopped:  # meanwhile
            _end(process)
            return
        assert process.stdout is not None
        answers = process.stdout
        if read_message(answers) != ("ready",):
            self._lost(process, generation)
            return
        with self._lock:
            if self._generation != generation:
                return
            if self._driven:
                os.set_blocking(answers.fileno(), False)
            self._ready = True
            self._send_next()
        if self._driven:
            return
        while (answer := read_message(answers)) is not None:
            if not self._answered(answer, generation):
                return
        self._lost(process, generation)

    def _answered(self, answer: Any, generation: int) -> bool:
        """Hand ``answer`` over, and send the next text; False if the process it came
        from was stopped."""
        key, revision, head, tail, changed = answer
        with self._lock:
            if generation != self._generation:
                return False
            sent = self._sent
            if sent is None or sent[:2] != (key, revision):
                return True  # not asked for (cannot be): dropped
            self._sent = None
            _key, _revision, language, text, known, serial = sent
            findings: ParagraphFindings | None = changed
            if head == _MISSING:  # it forgot the editor: the text again, whole
                self._texts.pop(key, None)
                self._waiting.setdefault(key, (revision, language, text, None))
                self._send_next()
                return True
            before = self._answers.pop(key, None)
            if changed is None:
                head = tail = 0
            elif head or tail:
                if before is None or before[0] != known:  # (cannot be)
                    findings, head, tail = None, 0, 0
                else:
                    old = before[1]
                    findings = old[:head] + changed + old[len(old) - tail :]
            if findings is not None and key in self._texts:  # (not forgotten meanwhile)
                self._answers[key] = (serial, findings)
            self._send_next()
        self._on_result(key, revision, text, findings, (head, tail))
        return True

    def _send_next(self) -> None:
        """Send the keys to forget and the next waiting text, if the process is idle
        (with the lock held)."""
        process = self._process
        if not self._ready or self._sent is not None or process is None:
            return
        messages: list[tuple[object, ...]] = [("forget", key) for key in self._forget]
        self._forget.clear()
        if self._waiting:
            key = next(iter(self._waiting))
            revision, language, text, edited = self._waiting.pop(key)
            self._serial += 1
            base, start, end, inserted = -1, 0, 0, text
            before = self._texts.get(key)
            if before is not None:
                old = before[1]
                head, tail = _edit(old, text, edited)
                if head + tail > 0:
                    base, start, end = before[0], head, len(old) - tail
                    inserted = text[head : len(text) - tail]
            answered = self._answers.get(key)
            known = answered[0] if answered is not None else -1
            self._texts[key] = (self._serial, text)
            self._sent = (key, revision, language, text, known, self._serial)
            messages.append(
                ("scan", key, revision, language, self._serial, base, start, end, inserted, known)
            )
        if not messages:
            return
        data = b"".join(encode_message(message) for message in messages)
        assert process.stdin is not None
        if len(data) <= self._direct:
            _send(process, data)  # the process read all before: the pipe is empty
        else:
            threading.Thread(target=_send, args=(process, data), daemon=True).start()

    def _lost(self, process: subprocess.Popen[bytes], generation: int) -> None:
        """The process ended by itself (or never became ready): every text sent or
        waiting is answered with None (the editors scan it themselves), and the next
        :meth:`start` starts a new process."""
        with self._lock:
            if self._generation != generation:
                return
            log.warning("the scanning process ended (exit code %s)", process.poll())
            lost = {key: (w[0], w[2]) for key, w in self._waiting.items()}
            if self._sent is not None:
                lost[self._sent[0]] = (self._sent[1], self._sent[3])
            self._forget_all()
            self._process = None
            self._starting = self._ready = False
            self._generation += 1
        _end(process)
        for key, (revision, text) in lost.items():
            self._on_result(key, revision, text, None, (0, 0))

    def _forget_all(self) -> None:
        """Drop every text and answer (the process is gone; with the lock held)."""
        self._waiting.clear()
        self._sent = None
        self._forget.clear()
        self._received.clear()
        self._texts.clear()
        self._answers.clear()


def _edit(old: str, new: str, edited: tuple[int, int] | None) -> tuple[int, int]:
    """:func:`_shared_ends`, or, where ``edited`` says so rightly, (start, what is left
    after end): the text outside ``edited`` is the same in both (checked)."""
    if edited is not None:
        start, end = edited
        end = min(end, len(new))  # Qt's edits may count the last paragraph's end
        moved = len(new) - len(old)
        if (
            0 <= start <= end - max(moved, 0)
            and new[:start] == old[:start]
            and new[end:] == old[end - moved :]
        ):
            return start, len(new) - end
    return _shared_ends(old, new)


def _shared_ends(old: str, new: str) -> tuple[int, int]:
    """How many characters ``old`` and ``new`` share at the start and (of the rest) at the
    end: the edit between them. Compared a slice at a time (C), the slices growing, then
    narrowed down by halves: a note edited in one place costs some tens of slices."""
    limit = min(len(old), len(new))
    head = _shared(old, new, limit, 0, 0)
    tail = _shared(old, new, limit - head, len(old), len(new))
    return head, tail


def _shared(a: str, b: str, limit: int, a_end: int, b_end: int) -> int:
    """How many characters ``a`` and ``b`` share (at most ``limit``): from their start,
    or, with ``a_end`` and ``b_end`` (their lengths), back from their end."""

    def same(low: int, high: int) -> bool:  # characters [low, high) from the start or end
        if a_end:
            return a[a_end - high : a_end - low] == b[b_end - high : b_end - low]
        return a[low:high] == b[low:high]

    low, step = 0, 256
    while low < limit:
        high = min(low + step, limit)
        if not same(low, high):
            while high - low > 1:  # the first difference is in [low, high)
                middle = (low + high) // 2
                if same(low, middle):
                    low = middle
                else:
                    high = middle
            return low
        low, step = high, step * 2
    return limit


def encode_message(value: Any) -> bytes:
    """``value`` as one message: its length, then it ``marshal``-ed."""
    data = marshal.dumps(value)
    return _HEADER.pack(len(data)) + data


def _send(process: subprocess.Popen[bytes], data: bytes) -> None:
    """Write ``data`` to the process (a process that died is found by the reading side)."""
    if process.stdin is None:
        return
    with contextlib.suppress(OSError, ValueError):
        fd = process.stdin.fileno()
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]


def _direct_bytes(process: subprocess.Popen[bytes]) -> int:
    """:data:`DIRECT_BYTES`, or less where the pipe to ``process`` holds less (Linux
    gives a user's pipes one page each once they have many)."""
    get = getattr(fcntl, "F_GETPIPE_SZ", None) if fcntl is not None else None
    if get is None or process.stdin is None:
        return DIRECT_BYTES
    try:
        size = int(fcntl.fcntl(process.stdin.fileno(), get))
    except (OSError, ValueError):
        return DIRECT_BYTES
    return min(DIRECT_BYTES, size - 1024)


def _spawn() -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    if not getattr(sys, "frozen", False):
        # The package is found where this one was (a source tree run with -m).
        root = str(Path(__file__).resolve().parents[3])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    flags = 0
    if sys.platform == "win32":
        flags = subprocess.CREATE_NO_WINDOW | subprocess.BELOW_NORMAL_PRIORITY_CLASS
    return subprocess.Popen(
        worker_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        creationflags=flags,
    )


def _end(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError, ValueError):
        process.kill()
    with contextlib.suppress(OSError, ValueError):
        process.wait(timeout=5)
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.close()


if __name__ == "__main__":
    sys.exit(main())
