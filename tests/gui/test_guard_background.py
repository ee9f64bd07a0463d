"""The guard scans off the UI thread after a pause in typing (a big paste as much as a
word typed into a long note): the editor keeps answering, and the guard's findings arrive
afterwards, for the text as it is then (a result for an older text is dropped)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from counsellor_app.core.anonymity import Finding, find_identifiers
from counsellor_app.core.anonymity.paragraphs import ParagraphScanner, ScannedParagraph
from counsellor_app.core.domain import Step
from counsellor_app.core.store import Notebook
from counsellor_app.gui.conversation import ConversationEditor
from counsellor_app.gui.guard import BACKGROUND_SCAN_CHARS, DEBOUNCE_MS, AnonymityGuard
from counsellor_app.gui.scan_service import ENVIRONMENT_SWITCH
from tests.gui.helpers import WAIT_MS, big_note, underlined
from tests.helpers import FAST_KDF


def key(findings: list[Finding]) -> list[tuple[int, int, str, str]]:
    return [(f.start, f.end, str(f.kind), f.placeholder) for f in findings]


class Setup:
    def __init__(self, path: Path) -> None:
        self.nb, _recovery = Notebook.create(path, "pw", kdf=FAST_KDF)
        case = self.nb.new_case()
        self.conv_id = self.nb.new_conversation(case.id).id


@pytest.fixture
def thread_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard scans on its own worker thread (as before the scanning process is
    ready), where a test can hold a scan (the process's are tested in test_scan_process)."""
    monkeypatch.setenv(ENVIRONMENT_SWITCH, "0")


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    made = Setup(tmp_path / "n.cnb")
    yield made
    made.nb.close()


def test_a_big_paste_leaves_the_editor_responsive(qtbot: QtBot, setup: Setup) -> None:
    conversation = ConversationEditor(setup.nb, setup.conv_id)
    qtbot.addWidget(conversation)
    conversation.show()
    editor = conversation.editors[Step.LISTEN]
    guard = conversation.guards[Step.LISTEN]
    text = big_note()
    assert len(text) > BACKGROUND_SCAN_CHARS

    # What the guard showed, and the editor's text at that moment.
    shown: list[tuple[str, list[Finding]]] = []
    guard.findings_changed.connect(lambda: shown.append((editor.toPlainText(), guard.findings())))
    # A timer that fires while the event loop runs; note whether a scan was under way.
    ticks: list[bool] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(guard.scanning()))
    heartbeat.start()

    QApplication.clipboard().setText(text)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == text

    # The scan starts after the pause in typing and runs on the worker thread.
    qtbot.waitUntil(guard.scanning, timeout=WAIT_MS)
    scanning_ticks = sum(ticks)
    QApplication.processEvents()  # returns while the worker scans
    qtbot.waitUntil(lambda: sum(ticks) > scanning_ticks or not guard.scanning(), timeout=WAIT_MS)

    # Typing goes on (during the scan, unless the machine was quicker than this): the
    # result for the pasted text alone is for an old text then, and is dropped.
    typed = " Ring til 22 33 44 55."
    qtbot.keyClicks(editor, typed)
    final = editor.toPlainText()
    assert final == text + typed

    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == final, timeout=WAIT_MS)
    heartbeat.stop()

    # The event loop ran while a scan was under way (the timer fired then).
    assert any(ticks), "no event was handled while a scan ran"
    # Every result shown belonged to the text in the editor when it was shown.
    for shown_text, findings in shown:
        assert key(findings) == key(find_identifiers(shown_text))
    assert key(guard.findings()) == key(find_identifiers(final))

    # The typed phone number, at the very end of the megabyte, is underlined once the
    # underlines are redrawn (a slice at a time).
    number = final.rindex("22 33 44 55")
    assert any(f.start == number and str(f.kind) == "phone" for f in guard.findings())
    qtbot.waitUntil(lambda: number in underlined(editor), timeout=WAIT_MS)
    first = guard.findings()[0]
    assert first.start in underlined(editor)
    conversation.flush()


def test_refresh_now_answers_at_once_for_a_small_note(qtbot: QtBot) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    guard = AnonymityGuard(editor)
    note = "Mor ringede fra 22 33 44 55 om sønnen."
    editor.setPlainText(note)
    qtbot.waitUntil(lambda: len(guard.findings()) == 1)
    assert not guard.scanning()
    # The replace keys ask for the findings of the text as it is: no waiting for a pause.
    editor.setPlainText(note + " Han hedder Oliver.")
    guard.refresh_now()
    assert [str(f.kind) for f in guard.findings()] == ["phone", "name"]


def test_refresh_now_scans_a_long_text_at_once_and_cancels_the_pending_scan(
    qtbot: QtBot,
) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    guard = AnonymityGuard(editor)
    # The pause in typing that starts a scan.
    [pause] = [timer for timer in guard.findChildren(QTimer) if timer.interval() == DEBOUNCE_MS]
    text = big_note(BACKGROUND_SCAN_CHARS * 2)
    editor.setPlainText(text)
    assert pause.isActive()  # a background scan would start when the pause ends
    guard.refresh_now()
    assert key(guard.findings()) == key(find_identifiers(text))
    # The background scan that the pause would start is not needed: it is cancelled
    # (not left to find out later that the text is known), and none is running.
    assert not pause.isActive()
    assert not guard.scanning()


def test_closing_the_editor_during_a_scan_is_safe(qtbot: QtBot) -> None:
    editor = QPlainTextEdit()
    guard = AnonymityGuard(editor)
    editor.setPlainText(big_note())
    qtbot.waitUntil(guard.scanning, timeout=WAIT_MS)
    editor.deleteLater()
    qtbot.waitUntil(lambda: not guard.scanning(), timeout=WAIT_MS)
    QApplication.processEvents()


def test_a_newer_scan_supersedes_one_still_waiting(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, thread_scans: None
) -> None:
    """While a long scan runs, the text changes twice: only the newest text is scanned
    next (the scan in between is cancelled before it begins), and only its findings are
    shown; the editor answers all the while."""
    gate = threading.Event()
    scanned: list[str] = []
    real_scan = ParagraphScanner.scan

    def gated_scan(scanner: ParagraphScanner, text: str) -> list[ScannedParagraph]:
        scanned.append(text[-10:])
        if text.endswith(" first...."):
            gate.wait(WAIT_MS / 1000)  # the first scan is held until the test lets it go
        return real_scan(scanner, text)

    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    guard = AnonymityGuard(editor)
    monkeypatch.setattr(ParagraphScanner, "scan", gated_scan)
    base = big_note(BACKGROUND_SCAN_CHARS * 2)
    try:
        editor.setPlainText(base + " first....")
        qtbot.waitUntil(guard.scanning, timeout=WAIT_MS)
        editor.setPlainText(base + " second...")
        guard.refresh()  # the pause in typing ended: a scan of the second text waits
        editor.setPlainText(base + " third....")
        guard.refresh()  # and this one supersedes it
        assert guard.scanning() and scanned == [" first...."]
    finally:
        gate.set()
    qtbot.waitUntil(lambda: bool(guard.findings()) and not guard.scanning(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: scanned[-1] == " third....", timeout=WAIT_MS)
    assert scanned == [" first....", " third...."]  # the second never ran
    assert key(guard.findings()) == key(find_identifiers(editor.toPlainText()))


def _typed_note() -> str:
    """About 20,000 characters of notes, as a long call's first step holds."""
    return big_note(20_000)


def _long_note_at_its_end(qtbot: QtBot) -> tuple[QPlainTextEdit, AnonymityGuard, QTextCursor]:
    """An editor holding :func:`_typed_note`, its guard's first findings in, and the
    cursor at the end, where the tests type on."""
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(_typed_note())
    guard = AnonymityGuard(editor)
    qtbot.waitUntil(lambda: bool(guard.findings()), timeout=WAIT_MS)
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    return editor, guard, cursor


def test_the_scan_after_a_pause_runs_off_the_ui_thread(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, thread_scans: None
) -> None:
    """A word typed into a long note is scanned on the worker, not on the UI thread
    that handles the next key; its underline arrives all the same."""
    threads: list[threading.Thread] = []
    real_scan = ParagraphScanner.scan

    def noted_scan(scanner: ParagraphScanner, text: str) -> list[ScannedParagraph]:
        threads.append(threading.current_thread())
        return real_scan(scanner, text)

    editor, guard, _cursor = _long_note_at_its_end(qtbot)
    monkeypatch.setattr(ParagraphScanner, "scan", noted_scan)
    threads.clear()
    qtbot.keyClicks(editor, " Ring til 22 33 44 55.")
    final = editor.toPlainText()
    number = final.rindex("22 33 44 55")
    qtbot.waitUntil(lambda: any(f.start == number for f in guard.findings()), timeout=WAIT_MS)
    assert threads and threading.main_thread() not in threads
    assert key(guard.findings()) == key(find_identifiers(final))
    qtbot.waitUntil(lambda: number in underlined(editor), timeout=WAIT_MS)


def test_underlines_keep_up_with_typing_and_end_with_the_final_text(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, thread_scans: None
) -> None:
    """The counsellor types on while a word's scan is under way: its result is shown
    (underlines keep up with steady typing), then the final text's, never the other
    way round."""
    gate = threading.Event()
    held = threading.Event()
    real_scan = ParagraphScanner.scan

    def gated_scan(scanner: ParagraphScanner, text: str) -> list[ScannedParagraph]:
        if text.endswith("Oliver"):
            held.set()
            gate.wait(WAIT_MS / 1000)  # held until the test has typed on
        return real_scan(scanner, text)

    editor, guard, _cursor = _long_note_at_its_end(qtbot)
    shown: list[list[Finding]] = []
    guard.findings_changed.connect(lambda: shown.append(guard.findings()))
    monkeypatch.setattr(ParagraphScanner, "scan", gated_scan)
    try:
        qtbot.keyClicks(editor, " Han hedder Oliver")
        qtbot.waitUntil(held.is_set, timeout=WAIT_MS)  # its scan runs (and waits)
        older = editor.toPlainText()
        qtbot.keyClicks(editor, ", tlf. 22 33 44 55.")  # typed meanwhile
    finally:
        gate.set()
    final = editor.toPlainText()
    qtbot.waitUntil(lambda: bool(shown) and key(shown[-1]) == key(find_identifiers(final)))
    assert [key(findings) for findings in shown] == [
        key(find_identifiers(older)),
        key(find_identifiers(final)),
    ]


def test_an_older_result_never_replaces_a_newer_one(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, thread_scans: None
) -> None:
    """Ctrl+Shift+R while the worker scans: the UI thread waits for that short scan and
    answers for the text as it is; the worker's result, for an older text, arrives after
    it and is not shown."""
    gate = threading.Event()
    held = threading.Event()
    real_scan = ParagraphScanner.scan

    def gated_scan(scanner: ParagraphScanner, text: str) -> list[ScannedParagraph]:
        if threading.current_thread() is not threading.main_thread():
            held.set()
            gate.wait(WAIT_MS / 1000)
        return real_scan(scanner, text)

    editor, guard, cursor = _long_note_at_its_end(qtbot)
    shown: list[list[Finding]] = []
    guard.findings_changed.connect(lambda: shown.append(guard.findings()))
    monkeypatch.setattr(ParagraphScanner, "scan", gated_scan)
    qtbot.keyClicks(editor, " Mor: 22 33 44 55")
    qtbot.waitUntil(held.is_set, timeout=WAIT_MS)
    cursor.insertText(" og Oliver.")  # not yet scanned by anyone
    release = threading.Timer(0.2, gate.set)  # the worker's scan ends while the UI waits
    release.start()
    guard.refresh_now()
    final = editor.toPlainText()
    assert [key(findings) for findings in shown] == [key(find_identifiers(final))]
    qtbot.waitUntil(lambda: not guard.scanning(), timeout=WAIT_MS)
    qtbot.wait(50)  # the worker's result is handed over on the event loop
    assert [key(findings) for findings in shown] == [key(find_identifiers(final))]
    assert key(guard.findings()) == key(find_identifiers(final))
    release.join()
