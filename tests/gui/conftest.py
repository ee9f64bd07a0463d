"""Fixtures for the GUI tests, and a guard: a modal dialog left open fails the test."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from counsellor_app.gui import conversation
from tests.gui import helpers
from tests.gui.helpers import FakeClock, Student, close_modal

#: A modal dialog up this long is taken as a test waiting on a dialog nobody answers: it
#: is closed (its exec() returns) and the test fails, instead of hanging until the
#: suite's timeout kills the whole run.
MODAL_PATIENCE_S = 20.0


@pytest.fixture
def student(tmp_path: Path) -> Iterator[Student]:
    """A student's notebook with one case of two conversations (see Student)."""
    made = Student(tmp_path / "student.cnb")
    yield made
    made.nb.close()


@pytest.fixture
def call_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The clock of the call timer, standing still until the test moves it."""
    clock = FakeClock()
    monkeypatch.setattr(conversation, "call_clock", clock)
    return clock


class _ModalWatch:
    """Closes a modal dialog that stays up longer than MODAL_PATIENCE_S; notes it."""

    def __init__(self) -> None:
        self.closed: list[str] = []
        self._current: QWidget | None = None
        self._since = 0.0
        self.timer = QTimer(interval=500)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if box is not self._current:
            self._current, self._since = box, time.monotonic()
        elif box is not None and time.monotonic() - self._since > MODAL_PATIENCE_S:
            self.closed.append(f"{type(box).__name__} {box.windowTitle()!r}")
            self._current = None
            close_modal(box)


@pytest.fixture(autouse=True)
def no_modal_left_open(qapp: QApplication) -> Iterator[None]:
    """Fail a test that left a modal dialog open, or that waited on one nobody answered,
    or whose dialog answer (helpers.answer_modal) failed without the test looking."""
    watch = _ModalWatch()
    yield
    watch.timer.stop()
    problems = [
        f"{name} stayed open; closed after {MODAL_PATIENCE_S:.0f} s" for name in watch.closed
    ]
    box = QApplication.activeModalWidget()
    while box is not None:
        problems.append(f"{type(box).__name__} {box.windowTitle()!r} was left open")
        close_modal(box)
        QApplication.processEvents()
        if QApplication.activeModalWidget() is box:
            break
        box = QApplication.activeModalWidget()
    answers, helpers.armed_answers[:] = list(helpers.armed_answers), []
    for answer in answers:
        answer.stop()
        if answer.error is not None and not answer.checked:
            problems.append(f"answering {answer.kind.__name__} failed: {answer.error!r}")
    if problems:
        pytest.fail("; ".join(problems))
