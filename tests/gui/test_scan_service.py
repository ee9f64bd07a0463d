"""The guard's scans after a pause run in the scanning process (gui.scan_service) once it
is ready: none in the window's process, the same findings, the underlines drawn; when the
process dies or is stopped (the lock), the guard scans on its own thread meanwhile and the
process starts again."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from counsellor_app.core.anonymity import Finding, find_identifiers
from counsellor_app.core.anonymity.paragraphs import ParagraphScanner, ScannedParagraph
from counsellor_app.gui import guard as guard_module
from counsellor_app.gui.guard import AnonymityGuard
from counsellor_app.gui.scan_service import scan_service, stop_scan_process
from tests.gui.helpers import WAIT_MS, big_note, underlined


@pytest.fixture(autouse=True)
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guards made here wait for the process however long it takes (on a busy machine
    it may take longer than LATE_ANSWER_MS): these tests follow where the scans run."""
    monkeypatch.setattr(guard_module, "LATE_ANSWER_MS", 600_000)


def key(findings: list[Finding]) -> list[tuple[int, int, str, str]]:
    return [(f.start, f.end, str(f.kind), f.reason) for f in findings]


def _scans_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads that scan in this process from now on."""
    threads: list[str] = []
    real_scan = ParagraphScanner.scan

    def noted(scanner: ParagraphScanner, text: str) -> list[ScannedParagraph]:
        threads.append(threading.current_thread().name)
        return real_scan(scanner, text)

    monkeypatch.setattr(ParagraphScanner, "scan", noted)
    return threads


def _editor(qtbot: QtBot) -> tuple[QPlainTextEdit, AnonymityGuard]:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(big_note(20_000))
    guard = AnonymityGuard(editor)
    qtbot.waitUntil(lambda: bool(guard.findings()), timeout=WAIT_MS)
    qtbot.waitUntil(scan_service().ready, timeout=WAIT_MS)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    return editor, guard


def test_a_pause_in_typing_is_scanned_in_the_process(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, guard = _editor(qtbot)
    here = _scans_here(monkeypatch)
    qtbot.keyClicks(editor, " Han hedder Oliver, tlf. 22 33 44 55.")
    final = editor.toPlainText()
    number = final.rindex("22 33 44 55")
    qtbot.waitUntil(lambda: any(f.start == number for f in guard.findings()), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not guard.scanning(), timeout=WAIT_MS)
    assert here == []  # not on the UI thread, nor on the guard's worker thread
    assert key(guard.findings()) == key(find_identifiers(final))
    qtbot.waitUntil(lambda: number in underlined(editor), timeout=WAIT_MS)
    assert final.rindex("Oliver") in underlined(editor)


def test_when_the_process_dies_the_guard_scans_itself_and_it_starts_again(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor, guard = _editor(qtbot)
    pid = scan_service().pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    here = _scans_here(monkeypatch)
    qtbot.keyClicks(editor, " Mor: 22 33 44 55.")
    final = editor.toPlainText()
    number = final.rindex("22 33 44 55")
    qtbot.waitUntil(lambda: any(f.start == number for f in guard.findings()), timeout=WAIT_MS)
    assert key(guard.findings()) == key(find_identifiers(final))
    assert here and threading.main_thread().name not in here  # on the guard's thread
    # The next pause asked for a new process; once it is ready, scans go there again.
    qtbot.waitUntil(scan_service().ready, timeout=WAIT_MS)
    assert scan_service().pid() not in (None, pid)
    here.clear()
    qtbot.keyClicks(editor, " Far hedder Søren.")
    final = editor.toPlainText()
    qtbot.waitUntil(lambda: key(guard.findings()) == key(find_identifiers(final)), timeout=WAIT_MS)
    assert here == []


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="no way to hold a process here")
def test_a_process_that_does_not_answer_in_time_is_not_waited_for(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux the process runs only where no other work wants a core: on a machine kept
    busy by other programs its answer could come never, and the underlines stayed where
    they were. After LATE_ANSWER_MS the guard scans on its own thread; the process's
    late answer is dropped, and it is asked again at the next pause."""
    monkeypatch.setattr(guard_module, "LATE_ANSWER_MS", 300)
    editor, guard = _editor(qtbot)
    pid = scan_service().pid()
    assert pid is not None
    here = _scans_here(monkeypatch)
    os.kill(pid, signal.SIGSTOP)  # as starved as a process can be
    try:
        qtbot.keyClicks(editor, " Mor: 22 33 44 55.")
        final = editor.toPlainText()
        number = final.rindex("22 33 44 55")
        qtbot.waitUntil(lambda: any(f.start == number for f in guard.findings()), timeout=WAIT_MS)
        assert here and threading.main_thread().name not in here  # on the guard's thread
        assert key(guard.findings()) == key(find_identifiers(final))
    finally:
        os.kill(pid, signal.SIGCONT)
    guard._late.setInterval(600_000)  # from now on, as patient as the other tests
    qtbot.waitUntil(lambda: not scan_service().busy(guard._service_key), timeout=WAIT_MS)
    assert key(guard.findings()) == key(find_identifiers(final))  # the late answer dropped
    here.clear()
    qtbot.keyClicks(editor, " Far hedder Søren.")
    final = editor.toPlainText()
    qtbot.waitUntil(lambda: key(guard.findings()) == key(find_identifiers(final)), timeout=WAIT_MS)
    assert here == []  # the process again
    assert scan_service().pid() == pid


def test_stopped_at_the_lock_and_started_again_after_it(qtbot: QtBot) -> None:
    editor, guard = _editor(qtbot)
    pid = scan_service().pid()
    assert pid is not None
    stop_scan_process()
    assert scan_service().pid() is None and not guard.scanning()
    with pytest.raises(OSError):
        os.kill(pid, 0)
    qtbot.keyClicks(editor, " Ring til Oliver.")
    final = editor.toPlainText()
    qtbot.waitUntil(lambda: key(guard.findings()) == key(find_identifiers(final)), timeout=WAIT_MS)
    qtbot.waitUntil(scan_service().ready, timeout=WAIT_MS)
    assert scan_service().pid() not in (None, pid)


def test_after_random_edits_the_process_holds_the_editors_text(qtbot: QtBot) -> None:
    """Only the part of the text edited since the last pause travels to the process (and
    only the paragraphs whose findings changed come back): after typed keys, pastes of
    several lines, cuts, no-break spaces and undos, each pause leaves the process holding
    exactly the editor's text, and the findings shown are those of the whole text."""
    import random

    from PySide6.QtGui import QTextCursor

    editor, guard = _editor(qtbot)
    rng = random.Random(11)
    service = scan_service()
    for step in range(24):
        cursor = editor.textCursor()
        length = editor.document().characterCount() - 1
        start = rng.randrange(length + 1)
        cursor.setPosition(start)
        kind = step % 6
        if kind == 0:
            editor.setTextCursor(cursor)
            qtbot.keyClicks(editor, rng.choice((" Oliver", "x", " ringer.")))
        elif kind == 1:
            cursor.insertText(rng.choice(("Han hedder Søren\nMor: 22 33 44 55\n\n", "\n")))
        elif kind == 2:
            cursor.setPosition(
                min(length, start + rng.randrange(1, 400)), cursor.MoveMode.KeepAnchor
            )
            cursor.removeSelectedText()
        elif kind == 3:
            cursor.insertText("Aarhus\u00a0C ")
        elif kind == 4:
            editor.undo()
        else:
            editor.moveCursor(QTextCursor.MoveOperation.End)
            qtbot.keyClicks(editor, " Hun bor på Vestergade 12.")
        final = editor.toPlainText()
        qtbot.waitUntil(lambda f=final: guard._scanned_text == f, timeout=WAIT_MS)
        assert not guard.scanning()
        assert service.known_text(guard._service_key) == final
        assert key(guard.findings()) == key(find_identifiers(final))
