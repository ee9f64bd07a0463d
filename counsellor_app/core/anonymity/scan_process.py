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


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer ``("scan", key, revision, language, text)`` with ``(key, revision,
    findings)`` (see :data:`ParagraphFindings`; None if the scan failed) and forget a
    key's scanner on ``("forget", key)``, until ``requests`` ends."""
    from counsellor_app.core.anonymity.paragraphs import ParagraphScanner
    from counsellor_app.core.i18n import current_language, set_language

    scanners: OrderedDict[int, ParagraphScanner] = OrderedDict()
    while True:
        request = read_message(requests)
        if request is None:
            return
        if request[0] == "forget":
            scanners.pop(request[1], None)
            continue
        _verb, key, revision, language, text = request
        if language != current_language():
            set_language(language)  # the findings' reasons are in the window's language
        scanner = scanners.pop(key, None) or ParagraphScanner()
        scanners[key] = scanner
        while len(scanners) > KEPT_SCANNERS:
            scanners.popitem(last=False)
        findings: ParagraphFindings | None
        try:
            findings = [
                tuple(
                    (f.start - p.start, f.end - p.start, f.kind.value, f.reason, f.replacement)
                    for f in p.findings
                )
                for p in scanner.scan(text)
            ]
        except Exception as error:  # a bug: no underlines for this text, not a dead guard
            log.error("scan failed: %s", type(error).__name__)
            scanner.clear()  # it may have stopped half-way
            findings = None
        _write(answers, (key, revision, findings))


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
    ``on_result(key, revision, text, findings)`` (see :data:`ParagraphFindings`).

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
        on_result: Callable[[int, int, str, ParagraphFindings | None], None],
        *,
        driven: bool = False,
    ) -> None:
        self._on_result = on_result
        self._driven = driven
        self._lock = threading.RLock()
        #: key -> (revision, language, text) waiting to be sent.
        self._waiting: dict[int, tuple[int, str, str]] = {}
        #: (key, revision, text) sent and not yet answered.
        self._sent: tuple[int, int, str] | None = None
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

    def scan(self, key: int, revision: int, language: str, text: str) -> None:
        """Send ``text`` (of the editor ``key``, at ``revision``) to be scanned."""
        with self._lock:
            self._waiting[key] = (revision, language, text)
            self._send_next()

    def busy(self, key: int) -> bool:
        """Is a text of ``key`` waiting or being scanned?"""
        with self._lock:
            return key in self._waiting or (self._sent is not None and self._sent[0] == key)

    def forget(self, key: int) -> None:
        """The editor ``key`` is gone: its waiting text is dropped, its scanner too."""
        with self._lock:
            self._waiting.pop(key, None)
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
            self._waiting.clear()
            self._sent = None
            self._forget.clear()
            self._received.clear()
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
        key, revision, findings = answer
        with self._lock:
            if generation != self._generation:
                return False
            sent = self._sent
            if sent is None or sent[:2] != (key, revision):
                return True  # not asked for (cannot be): dropped
            self._sent = None
            self._send_next()
        self._on_result(key, revision, sent[2], findings)
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
            revision, language, text = self._waiting.pop(key)
            self._sent = (key, revision, text)
            messages.append(("scan", key, revision, language, text))
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
                lost[self._sent[0]] = self._sent[1:]
            self._waiting.clear()
            self._sent = None
            self._forget.clear()
            self._received.clear()
            self._process = None
            self._starting = self._ready = False
            self._generation += 1
        _end(process)
        for key, (revision, text) in lost.items():
            self._on_result(key, revision, text, None)


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
