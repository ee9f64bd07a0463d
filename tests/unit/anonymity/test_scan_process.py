"""The scanning process (core.anonymity.scan_process): a real child process scans the texts
sent to it and answers each with the findings find_identifiers gives, paragraph by
paragraph, in the language asked for; a newer text of an editor replaces one waiting; a
process that dies hands its texts back (None) and a new one starts; it is hardened."""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsellor_app.core.anonymity.scan_process import ParagraphFindings, ScanProcess
from counsellor_app.core.i18n import current_language
from tests.helpers import scan_answer
from tests.unit.anonymity.corpus import CLEAN_NOTES, PLANTED_NOTE

WAIT_S = 60.0

Answer = tuple[int, int, str, ParagraphFindings | None]


def spans(findings: ParagraphFindings | None) -> list[list[tuple[int, int, str]]]:
    assert findings is not None
    return [[(s, e, kind) for s, e, kind, _reason, _r in paragraph] for paragraph in findings]


class Harness:
    """A ScanProcess and the answers it handed over; ``driven`` pumps it from here."""

    def __init__(self, driven: bool) -> None:
        self.answers: list[Answer] = []
        self.lock = threading.Lock()
        self.driven = driven
        self.process = ScanProcess(self._answer, driven=driven)

    def _answer(self, key: int, revision: int, text: str, found: ParagraphFindings | None) -> None:
        with self.lock:
            self.answers.append((key, revision, text, found))

    def wait(self, condition: object, timeout: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout
        while not condition():  # type: ignore[operator]
            assert time.monotonic() < deadline, "timed out"
            fd = self.process.answers_fd()
            if self.driven and fd >= 0:
                readable, _w, _x = select.select([fd], [], [], 0.05)
                if readable:
                    self.process.pump()
            else:
                time.sleep(0.01)

    def start(self) -> None:
        self.process.start()
        self.wait(self.process.ready)


@pytest.fixture(params=[True, False], ids=["driven", "threaded"])
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    made = Harness(driven=request.param)
    if made.driven and sys.platform == "win32":
        pytest.skip("the window reads the pipe itself only where select() works on it")
    made.start()
    yield made
    made.process.close()


def note(planted: int = 1) -> str:
    return "\n".join([*CLEAN_NOTES[:3], *([PLANTED_NOTE] * planted), "Ring til 22 33 44 55."])


def test_it_answers_with_what_find_identifiers_finds(harness: Harness) -> None:
    first, second = note(), note(2) + "\nHan hedder Oliver og bor i Aarhus."
    harness.process.scan(1, 7, current_language(), first)
    harness.process.scan(2, 3, current_language(), second)
    harness.wait(lambda: len(harness.answers) == 2)
    answers = {key: (revision, text, found) for key, revision, text, found in harness.answers}
    assert answers[1][:2] == (7, first) and answers[2][:2] == (3, second)
    assert answers[1][2] == scan_answer(first)
    assert answers[2][2] == scan_answer(second)
    assert any(answers[2][2])  # something was found
    # An edit in one place: the process's scanner for that editor scans it again.
    edited = second.replace("Oliver", "Sinthuja")
    harness.process.scan(2, 4, current_language(), edited)
    harness.wait(lambda: len(harness.answers) == 3)
    assert harness.answers[-1][:3] == (2, 4, edited)
    assert harness.answers[-1][3] == scan_answer(edited)
    assert not harness.process.busy(1) and not harness.process.busy(2)


def test_the_reasons_are_in_the_language_asked_for(harness: Harness) -> None:
    text = "Ring til 22 33 44 55."
    harness.process.scan(1, 1, "en", text)
    harness.process.scan(2, 1, "da", text)
    harness.wait(lambda: len(harness.answers) == 2)
    reasons = {key: found[0][0][3] for key, _r, _t, found in harness.answers if found}
    assert reasons[1] != reasons[2]
    assert "phone" in reasons[1].lower()
    assert "telefon" in reasons[2].lower()


def test_a_newer_text_replaces_the_one_waiting(harness: Harness) -> None:
    """While one text is in the process, an editor's two later texts wait: only the
    newest is scanned."""
    big = "\n".join([PLANTED_NOTE, *CLEAN_NOTES] * 40)
    harness.process.scan(1, 1, current_language(), big)
    harness.process.scan(2, 1, current_language(), "Han hedder Oliver.")
    harness.process.scan(2, 2, current_language(), "Hun hedder Mette, tlf. 22 33 44 55.")
    assert harness.process.busy(2)
    harness.wait(lambda: len(harness.answers) == 2)
    assert [(key, revision) for key, revision, _t, _f in harness.answers] == [(1, 1), (2, 2)]
    assert spans(harness.answers[1][3]) == spans(scan_answer(harness.answers[1][2]))


def test_a_process_that_dies_hands_its_texts_back_and_another_starts(harness: Harness) -> None:
    big = "\n".join([PLANTED_NOTE, *CLEAN_NOTES] * 200)
    pid = harness.process.pid()
    assert pid is not None
    harness.process.scan(1, 1, current_language(), big)
    harness.process.scan(2, 5, current_language(), "Oliver ringer.")
    os.kill(pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    harness.wait(lambda: len(harness.answers) == 2)
    assert sorted((key, revision, found) for key, revision, _t, found in harness.answers) == [
        (1, 1, None),
        (2, 5, None),
    ]
    assert not harness.process.ready() and harness.process.pid() is None
    harness.start()  # a new one
    assert harness.process.pid() not in (None, pid)
    harness.process.scan(2, 6, current_language(), "Oliver ringer.")
    harness.wait(lambda: len(harness.answers) == 3)
    assert harness.answers[-1][3] == scan_answer("Oliver ringer.")


def test_stop_ends_the_process_and_answers_nothing_more(harness: Harness) -> None:
    pid = harness.process.pid()
    assert pid is not None
    harness.process.scan(1, 1, current_language(), "\n".join(CLEAN_NOTES * 50))
    harness.process.stop()
    assert harness.process.pid() is None and not harness.process.ready()
    assert not harness.process.busy(1)
    with pytest.raises(OSError):
        os.kill(pid, 0)  # gone (and reaped)
    time.sleep(0.2)
    assert harness.answers == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_process_is_hardened_and_gives_way_to_the_window() -> None:
    made = Harness(driven=True)
    made.start()
    try:
        pid = made.process.pid()
        assert pid is not None
        limits = Path(f"/proc/{pid}/limits").read_text(encoding="ascii")
        core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
        assert core.split()[4:6] == ["0", "0"]
        assert os.sched_getscheduler(pid) == os.SCHED_IDLE
        assert os.readlink(f"/proc/{pid}/fd/2") == os.devnull  # an error's text goes nowhere
    finally:
        made.process.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are Linux's")
def test_the_window_writes_itself_only_what_fits_into_the_pipe() -> None:
    """A user with many pipes gets pipes of one page (Linux): a text longer than the pipe
    holds is then written by a thread, never by the window's, which would wait."""
    import fcntl
    import subprocess

    from counsellor_app.core.anonymity.scan_process import DIRECT_BYTES, _direct_bytes

    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert child.stdin is not None
        assert _direct_bytes(child) == DIRECT_BYTES
        fcntl.fcntl(child.stdin.fileno(), fcntl.F_SETPIPE_SZ, 4096)
        assert _direct_bytes(child) == 4096 - 1024
    finally:
        child.kill()
        child.wait()
