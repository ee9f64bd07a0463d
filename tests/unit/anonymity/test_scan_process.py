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
        #: Each answer's paragraphs the same as the one's before, at the start and the end.
        self.same: list[tuple[int, int]] = []
        self.lock = threading.Lock()
        self.driven = driven
        self.process = ScanProcess(self._answer, driven=driven)

    def _answer(
        self,
        key: int,
        revision: int,
        text: str,
        found: ParagraphFindings | None,
        same: tuple[int, int],
    ) -> None:
        with self.lock:
            self.same.append(same)
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


# ------------------------------------------------ only what changed travels, both ways


PIECES = (
    "Han hedder Oliver",
    "\n",
    "\n\nMor: 22 33 44 55. ",
    "bor på Vestergade 12, 8000 Aarhus C",
    " og går i skole",
    "Søren",
    "\u00a0",
    "x",
)


def _edits(seed: int, text: str, steps: int) -> Iterator[tuple[str, tuple[int, int] | None]]:
    """Texts made by random inserts, deletes, pastes and replacements (and one undone),
    each with a hint of where it was edited: right, too wide, wrong, or none."""
    import random

    rng = random.Random(seed)
    history = [text]
    for step in range(steps):
        if step % 7 == 6 and len(history) > 2:
            text = history[-3]  # an undo of two edits
            yield text, None
            history.append(text)
            continue
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.choice((0, 0, 1, 5, 40, 300)))
        inserted = "".join(rng.choice(PIECES) for _ in range(rng.choice((0, 1, 1, 2, 4))))
        text = text[:start] + inserted + text[end:]
        history.append(text)
        hint = rng.choice(("right", "wide", "wrong", "none"))
        if hint == "right":
            yield text, (start, start + len(inserted))
        elif hint == "wide":
            yield text, (max(0, start - 50), min(len(text), start + len(inserted) + 9))
        elif hint == "wrong":
            yield text, (rng.randrange(len(text) + 1), len(text) // 2)
        else:
            yield text, None


def _answered(harness: Harness, count: int) -> Answer:
    harness.wait(lambda: len(harness.answers) == count)
    return harness.answers[-1]


def test_edits_travel_alone_and_the_findings_are_those_of_the_whole_text(
    harness: Harness,
) -> None:
    """The process keeps each editor's text and applies the parts sent to it; its answers
    carry the paragraphs that changed: after every random edit (with a right, a too wide,
    a wrong or no hint of where), the text the process holds is the editor's, and the
    findings put together are those of a scan of the whole text."""
    first = note(2)
    harness.process.scan(1, 0, current_language(), first)
    assert _answered(harness, 1)[3] == scan_answer(first)
    assert harness.same[-1] == (0, 0)  # the first answer: whole
    sent_whole = 0
    for revision, (text, hint) in enumerate(_edits(5, first, 40), start=1):
        harness.process.scan(1, revision, current_language(), text, hint)
        _key, answered_revision, answered_text, found = _answered(harness, revision + 1)
        assert (answered_revision, answered_text) == (revision, text)
        assert harness.process.known_text(1) == text
        assert found == scan_answer(text)
        head, tail = harness.same[-1]
        before = harness.answers[-2][3]
        assert before is not None and head + tail <= min(len(before), len(found))
        old_lines, lines = harness.answers[-2][2].split("\n"), text.split("\n")
        assert before[:head] == found[:head] and old_lines[:head] == lines[:head]
        if tail:
            assert before[-tail:] == found[-tail:] and old_lines[-tail:] == lines[-tail:]
        sent_whole += head + tail == 0
    assert sent_whole < 20  # most answers carried only the paragraphs that changed


def test_an_editor_the_process_forgot_is_sent_whole(harness: Harness) -> None:
    """The process keeps the last KEPT_SCANNERS editors: an edit of one it forgot is
    answered by a request for the whole text, which the window's side sends; an answer
    the window's side dropped (the editor forgotten meanwhile) is not built on."""
    from counsellor_app.core.anonymity.scan_process import KEPT_SCANNERS

    text = note()
    harness.process.scan(1, 1, current_language(), text)
    _answered(harness, 1)
    for key in range(2, KEPT_SCANNERS + 3):
        harness.process.scan(key, 1, current_language(), f"Ring til {key}.")
    _answered(harness, KEPT_SCANNERS + 2)
    edited = text.replace("22 33 44 55", "Oliver Hansen", 1)
    harness.process.scan(1, 2, current_language(), edited)
    key, revision, answered_text, found = _answered(harness, KEPT_SCANNERS + 3)
    assert (key, revision, answered_text) == (1, 2, edited)
    assert found == scan_answer(edited)
    assert harness.same[-1] == (0, 0)
    # The window forgets an editor while its scan is in the process: the answer comes,
    # and the next one for that key is whole again (nothing half-known is built on).
    again = edited + "\nHun bor i Aarhus."
    harness.process.scan(1, 3, current_language(), again)
    harness.process.forget(1)
    _answered(harness, KEPT_SCANNERS + 4)
    final = again.replace("Aarhus", "Odense")
    harness.process.scan(1, 4, current_language(), final, (len(again) - 7, len(again) - 1))
    assert _answered(harness, KEPT_SCANNERS + 5)[3] == scan_answer(final)
    assert harness.same[-1] == (0, 0)


def test_after_a_restart_the_text_goes_whole(harness: Harness) -> None:
    text = note()
    harness.process.scan(1, 1, current_language(), text)
    _answered(harness, 1)
    pid = harness.process.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    harness.wait(lambda: not harness.process.ready())
    assert harness.process.known_text(1) is None
    harness.start()
    edited = text + " Far hedder Søren Jensen."
    harness.process.scan(1, 2, current_language(), edited, (len(text), len(edited)))
    _key, revision, _text, found = _answered(harness, 2)
    assert revision == 2 and found == scan_answer(edited)
    assert harness.same[-1] == (0, 0)
    harness.process.stop()
    assert harness.process.known_text(1) is None  # the lock: no text kept here either


def test_edits_sent_while_another_text_is_scanned_build_on_what_was_sent(
    harness: Harness,
) -> None:
    """Texts of two editors sent while a big text is in the process, several per editor
    before any answer (each replaces the one waiting): every answer is that of the
    editor's newest text, and the process holds each editor's text as sent."""
    big = "\n".join([PLANTED_NOTE, *CLEAN_NOTES] * 40)
    first, second = note(1), note(2)
    harness.process.scan(1, 0, current_language(), first)
    harness.process.scan(2, 0, current_language(), second)
    harness.wait(lambda: len(harness.answers) == 2)
    count = 2

    def newest() -> dict[int, tuple[int, str, ParagraphFindings | None]]:
        with harness.lock:
            return {key: (rev, text, found) for key, rev, text, found in harness.answers}

    edits_1 = list(_edits(11, first, 12))
    edits_2 = list(_edits(12, second, 12))
    for round_ in range(4):
        harness.process.scan(3, round_, current_language(), big)  # keeps the process busy
        for step in range(3):
            revision = round_ * 3 + step + 1
            text_1, hint_1 = edits_1[revision - 1]
            text_2, hint_2 = edits_2[revision - 1]
            harness.process.scan(1, revision, current_language(), text_1, hint_1)
            harness.process.scan(2, revision, current_language(), text_2, hint_2)
        expected = {1: round_ * 3 + 3, 2: round_ * 3 + 3, 3: round_}
        harness.wait(lambda expected=expected: {k: v[0] for k, v in newest().items()} == expected)
        count += 3
        assert len(harness.answers) <= count  # (an editor's waiting texts: the newest only)
        count = len(harness.answers)
        for key, edits in ((1, edits_1), (2, edits_2)):
            revision, text, found = newest()[key]
            assert (revision, text) == (round_ * 3 + 3, edits[round_ * 3 + 2][0])
            assert harness.process.known_text(key) == text
            assert found == scan_answer(text)
