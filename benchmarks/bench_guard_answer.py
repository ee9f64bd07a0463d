"""Benchmark of what showing a scan's answer costs the window (issue 19): after a pause in
typing, the scanning process answers and the guard draws the underlines that changed.

Words are typed in the middle of the benchmark's 20,000-character note, in a big guarded
editor (900x800, a counsellor's maximised window is bigger still), before underlined
words of the same paragraph, so every word moves underlines. For each answer this
measures the UI thread's CPU time from the answer's arrival until it is drawn (the
guard's Python, and the layout and repaint of any paragraph drawn again), and for each
key typed its own (the edit, its layout and repaint), in one run:

* ``with the keys``: as the app does it since session 12: the underlines move with every
  key, while Qt lays the edited paragraph out (``_Underliner._move_with``), and the
  answer draws only what the scan changed;
* ``at the answer``: session 11's way: Qt leaves the underlines where they were, and the
  answer draws the paragraph again (only that one, see ``guard._UnderlinedLayout``);
* ``whole view``: as ``at the answer``, with Qt's own handling of new formats (the layout
  takes them for an edit of the paragraph's text counted twice, lays out the paragraphs
  after it and repaints the whole view), the way the guard drew them before session 11;
* ``bare key``: a key typed into a bare ``QPlainTextEdit`` of the same size and text (the
  reference of what a frame's work is).

Run:  python benchmarks/bench_guard_answer.py [--answers 60]
It prints a table and writes ``benchmarks/results/guard_answer.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_gui import TYPED, _set_cursor, _settle, build_note  # noqa: E402
from PySide6.QtGui import QTextBlock  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from counsellor_app.core.anonymity import warm_up  # noqa: E402
from counsellor_app.gui import guard as guard_module  # noqa: E402
from counsellor_app.gui.guard import AnonymityGuard  # noqa: E402

SIZE = (900, 800)


def _editor(app: QApplication, note: str) -> QPlainTextEdit:
    editor = QPlainTextEdit()
    editor.resize(*SIZE)
    editor.show()
    QTest.qWaitForWindowExposed(editor)
    editor.setPlainText(note)
    return editor


def _middle(app: QApplication, editor: QPlainTextEdit, note: str) -> None:
    _set_cursor(editor, note.rfind(" ", 0, len(note) // 2) + 1)
    editor.setFocus()
    editor.centerCursor()
    _settle(app, 0.3)


#: The ways of drawing the underlines measured (see the module's docstring).
MODES = ("with the keys", "at the answer", "whole view")


def answers(app: QApplication, note: str, count: int, mode: str) -> tuple[list[float], list[float]]:
    """UI CPU ms per answer shown and per key typed (see the module's docstring)."""
    editor = _editor(app, note)
    guard = AnonymityGuard(editor)
    guard.refresh_now()
    _middle(app, editor, note)
    service = guard._service
    started = time.monotonic()
    while not service.ready() and time.monotonic() - started < 20:
        _settle(app, 0.1)
    spent: list[float] = []
    per_key: list[float] = []
    relayout = guard_module._Underliner._relayout
    move_with = guard_module._Underliner._move_with

    def whole(self: guard_module._Underliner, drawn: list[QTextBlock]) -> None:
        if drawn:  # the document told as before: Qt's own handling
            self._document.markContentsDirty(drawn[0].position(), 1)

    if mode != "with the keys":
        guard_module._Underliner._move_with = lambda *_args: None  # type: ignore[method-assign]
    if mode == "whole view":
        guard_module._Underliner._relayout = whole  # type: ignore[method-assign]
    try:
        words = (TYPED * (count // 10 + 2)).split(" ")
        for word in words:
            if len(spent) >= count:
                break
            for character in word + " ":
                cpu = time.thread_time()
                QTest.keyClicks(editor, character)
                app.processEvents()
                per_key.append((time.thread_time() - cpu) * 1000)
            _settle(app, 0.01)
            guard.refresh()
            # Until the answer is in the pipe (it is read on this thread, by the events;
            # where a pipe cannot be watched, Windows, a reader thread reads it: a pause).
            fd = service._process.answers_fd()
            if fd >= 0:
                select.select([fd], [], [], 5)
            time.sleep(0.002 if fd >= 0 else 0.05)
            shown = guard._shown
            cpu = time.thread_time()
            app.processEvents()
            app.processEvents()
            if guard._shown != shown:  # an answer shown
                spent.append((time.thread_time() - cpu) * 1000)
    finally:
        guard_module._Underliner._relayout = relayout  # type: ignore[method-assign]
        guard_module._Underliner._move_with = move_with  # type: ignore[method-assign]
        editor.close()
        editor.deleteLater()
        _settle(app, 0.1)
    return spent, per_key


def keys(app: QApplication, note: str, count: int) -> list[float]:
    """UI CPU ms per key typed into a bare editor of the same size and text."""
    editor = _editor(app, note)
    _middle(app, editor, note)
    spent: list[float] = []
    for character in (TYPED * (count // len(TYPED) + 1))[:count]:
        _settle(app, 0.005)
        cpu = time.thread_time()
        QTest.keyClicks(editor, character)
        app.processEvents()
        spent.append((time.thread_time() - cpu) * 1000)
    editor.close()
    editor.deleteLater()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=60)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    warm_up()
    note = build_note()
    rows: dict[str, list[float]] = {"bare key": keys(app, note, args.answers * 2)}
    for round_ in range(2):  # alternating, so that all meet the same load
        for mode in MODES:
            shown, typed = answers(app, note, args.answers // 2, mode)
            rows.setdefault(f"{mode}: answer", []).extend(shown)
            rows.setdefault(f"{mode}: key", []).extend(typed)
        del round_
    print(
        "UI-thread CPU per scan answer shown and per key, "
        f"{SIZE[0]}x{SIZE[1]} editor, 20,000 characters"
    )
    print(f"{'':<24} {'n':>4} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    result: dict[str, dict[str, float]] = {}
    for name, values in rows.items():
        values.sort()
        p50, p90 = statistics.median(values), values[int(len(values) * 0.9)]
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        result[name] = {"n": len(values), "p50_ms": p50, "p90_ms": p90, "p99_ms": p99}
        print(f"{name:<24} {len(values):>4} {p50:>8.2f} {p90:>8.2f} {p99:>8.2f}")
    out = ROOT / "benchmarks" / "results" / "guard_answer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
