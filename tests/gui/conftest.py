"""Fixtures for the GUI tests (a modal dialog left open fails any Qt test: see
tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counsellor_app.gui import conversation
from tests.gui.helpers import FakeClock, Student


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
