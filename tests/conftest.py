"""Test set-up: Qt offscreen before Qt is imported; no test touches the real user folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counsellor_app.core import store
from counsellor_app.core.i18n import set_language
from tests.helpers import FAST_KDF, SteppedClock

__all__ = ["FAST_KDF"]  # still importable from here; new code imports tests.helpers


#: Test modules whose tests run in one pytest-xdist worker, one after the other
#: (``dev.py test`` runs ``-n <cores> --dist loadgroup``); the other tests go one by one to
#: whichever worker is free. A module's own module- or session-wide fixture is then made
#: once, not once per worker; the kill harness's timing is never shared with a second one.
XDIST_GROUPS = {
    # One PyInstaller build (a session fixture of half a minute and more), one wheel.
    "tests/packaging/test_bundle.py": "bundle",
    "tests/packaging/test_wheel.py": "wheel",
    # The fork servers (a session fixture: two per worker that uses them) and the kill
    # tests, whose kill moments follow how long the child took: one harness at a time.
    "tests/faults/test_crash_during_operations.py": "kill",
    "tests/faults/test_crash_during_rekey.py": "kill",
    "tests/faults/test_crash_while_typing.py": "kill",
    "tests/faults/test_disk_faults.py": "kill",
    # A notebook (or several processes' work) made once for the module.
    "tests/e2e/test_cases_cli.py": "cases_cli",
    "tests/e2e/test_reports_cli.py": "reports_cli",
    "tests/faults/test_damaged_files.py": "damaged_files",
    "tests/faults/test_fuzz_bundles.py": "fuzz_bundles",
    "tests/faults/test_hostile_text.py": "hostile_text",
    "tests/gui/test_received_cases_gui.py": "received_cases_gui",
    "tests/unit/test_case_index.py": "case_index",
    "tests/unit/test_dashboard.py": "dashboard",
    "tests/unit/test_oversight.py": "oversight",
    "tests/unit/test_period_report_bases.py": "period_report_bases",
    "tests/unit/test_received_cases.py": "received_cases",
    "tests/unit/test_research.py": "research",
    "tests/unit/anonymity/test_recall_floors.py": "recall_floors",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gui" in parts or "e2e" in parts:
            item.add_marker(pytest.mark.gui)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` with the groups of :data:`XDIST_GROUPS`, told by the test's
    path. (pytest-xdist 3.8 groups by ``@pytest.mark.xdist_group`` through the test's
    node id, which pytest 9.2 no longer lets it change: pytest-xdist issue 1386.)"""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupsByPath(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = XDIST_GROUPS.get(nodeid.split("::", 1)[0])
            return f"group:{group}" if group else super()._split_scope(nodeid)

    return GroupsByPath(config, log)


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
