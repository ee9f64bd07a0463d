"""Test set-up: Qt offscreen before Qt is imported; no test touches the real user folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counsellor_app.core import store
from counsellor_app.core.i18n import set_language
from tests.helpers import FAST_KDF, SteppedClock

__all__ = ["FAST_KDF"]  # still importable from here; new code imports tests.helpers


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gui" in parts or "e2e" in parts:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every default folder (data, config, logs, backups) under ``tmp_path/home``."""
    home = tmp_path / "home"
    monkeypatch.setenv("COUNSELLOR_APP_HOME", str(home))
    set_language("da")
    return home


@pytest.fixture(autouse=True, scope="session")
def one_day() -> Iterator[None]:
    """The notebook's clock stays within the day the session began. Test modules take
    their TODAY (the day bundles are made, reports are dated) once, as they are
    imported: a session that ran past midnight made cases dated after it, and a bundle
    then refused them as "after the day the file was made". After midnight the store's
    clock stands at the last second of the first day."""
    last = datetime.combine(date.today(), time(23, 59, 59)).astimezone(UTC)
    running = store.clock
    store.clock = lambda: min(running(), last)
    yield
    store.clock = running


@pytest.fixture
def store_clock(monkeypatch: pytest.MonkeyPatch) -> SteppedClock:
    """The clock of the notebook's times (core.store.now), standing still until moved."""
    clock = SteppedClock()
    monkeypatch.setattr(store, "clock", clock)
    return clock


@pytest.fixture(autouse=True)
def no_modal_left_open(request: pytest.FixtureRequest) -> Iterator[None]:
    """In a test that uses Qt: fail it if it left a modal dialog open, waited on one that
    nobody answered (closed after a while, so the test fails instead of hanging), or
    answered one (tests.gui.helpers.answer_modal) with a failure nobody looked at."""
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield  # no Qt here: the unit tests run without it
        return
    from tests.gui.helpers import ModalWatch

    request.getfixturevalue("qapp")
    watch = ModalWatch()
    yield
    problems = watch.finish()
    if problems:
        pytest.fail("; ".join(problems))
