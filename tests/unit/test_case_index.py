"""The supervisor's cases in memory give exactly what the database's counting gives: the
case list (every page, the count) and the dashboard's figures, concern table and
counsellors' periods, on a real supervisor notebook of signed bundles, over many filters
and periods; and the index is read again when the notebook changes."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest

from counsellor_app.core.case_index import CaseIndex, case_index
from counsellor_app.core.dashboard import Dashboard, dashboard
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    HelpSystemStatus,
    Partner,
    WellbeingLevel,
)
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.oversight import concern_table, counsellor_periods
from counsellor_app.core.received_cases import (
    UNKNOWN,
    CaseFilter,
    Movement,
    count_received_cases,
    received_cases,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import set_counsellor_label, withdraw_counsellor
from tests.helpers import FAST_KDF
from tests.unit.exchange_support import received_supervisor

TODAY = date.today()
NOBODY = "C-NOBODY"


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Notebook, list[str]]]:
    notebook, ids = received_supervisor(tmp_path_factory.mktemp("index"), FAST_KDF)
    with notebook:
        set_counsellor_label(notebook, ids[1], "Bo (tirsdage)")
        yield notebook, ids


def _days(notebook: Notebook) -> list[date | None]:
    """Days that cut the data in varied places: its ends, days inside, a day before and
    after it, the edge cases' day, and open ends."""
    first, last = (
        date.fromisoformat(day)
        for day in notebook.query("SELECT min(day), max(day) FROM imported_conversations")[0]
    )
    middle = first + (last - first) / 2
    return [
        None,
        first,
        first + timedelta(days=20),
        middle,
        TODAY - timedelta(days=100),
        TODAY - timedelta(days=90),
        date(TODAY.year, 1, 1),
        last,
        last + timedelta(days=1),
        first - timedelta(days=1),
    ]


def _periods(notebook: Notebook) -> list[tuple[date | None, date | None]]:
    days = _days(notebook)
    # Every pair: open ends, single days, periods ending before they begin.
    return list(itertools.product(days, days))


def _fields(ids: list[str]) -> list[CaseFilter]:
    """Filters on each field, and some together (without a period)."""
    return [
        CaseFilter(),
        CaseFilter(counsellor=ids[0]),
        CaseFilter(counsellor=ids[1]),
        CaseFilter(counsellor=NOBODY),
        *(CaseFilter(theme=theme) for theme in ("sleep", "school_absence", "anxiety", UNKNOWN)),
        *(CaseFilter(age_band=band) for band in (AgeBand.A13_15.value, UNKNOWN)),
        *(CaseFilter(help_system=s) for s in (HelpSystemStatus.KNOWN.value, UNKNOWN)),
        *(CaseFilter(level=level) for level in WellbeingLevel),
        *(CaseFilter(movement=movement) for movement in Movement),
        *(CaseFilter(first_level=level) for level in WellbeingLevel),
        CaseFilter(first_level=WellbeingLevel.STRUGGLING, level=WellbeingLevel.MILD),
        CaseFilter(first_level=WellbeingLevel.MILD, movement=Movement.SAME),
        *(CaseFilter(follow_up=outcome) for outcome in FollowUpOutcome),
        *(CaseFilter(concern=signs) for signs in ConcernSigns),
        *(CaseFilter(decision=decision) for decision in ConcernDecision),
        CaseFilter(concern=ConcernSigns.YES, decision=ConcernDecision.NOT_NEEDED),
        *(CaseFilter(partner=partner) for partner in (Partner.SCHOOL, Partner.PPR)),
        CaseFilter(
            counsellor=ids[0],
            theme="sleep",
            movement=Movement.WORSE,
            follow_up=FollowUpOutcome.MISSED,
        ),
        CaseFilter(counsellor=ids[1], level=WellbeingLevel.SEVERE, age_band=AgeBand.A13_15.value),
        CaseFilter(theme="anxiety", partner=Partner.SCHOOL, concern=ConcernSigns.UNSURE),
    ]


def _listed_in_pages(index: CaseIndex, case_filter: CaseFilter) -> list[int]:
    rows, after = [], None
    while True:
        page = index.cases(case_filter, limit=7, after=after)
        rows += [row.id for row in page]
        if len(page) < 7:
            return rows
        after = page[-1].cursor


def assert_same(mine: Dashboard, reference: Dashboard) -> None:
    """Every figure equal, and mappings in the same order (charts draw them in order)."""
    for item in fields(Dashboard):
        ours, theirs = getattr(mine, item.name), getattr(reference, item.name)
        if isinstance(theirs, dict):
            assert list(ours.items()) == list(theirs.items()), item.name
        else:
            assert ours == theirs, item.name


def test_the_list_from_memory_equals_the_database_s(
    received: tuple[Notebook, list[str]],
) -> None:
    notebook, ids = received
    index = case_index(notebook)
    periods = [(None, None), *_periods(notebook)[::7]]
    compared = nonempty = 0
    for (start, end), base in itertools.product(periods, _fields(ids)):
        case_filter = CaseFilter(
            **{f.name: getattr(base, f.name) for f in fields(CaseFilter)}
            | {"period_from": start, "period_to": end}
        )
        reference = received_cases(notebook, case_filter, limit=10_000)
        assert index.cases(case_filter, limit=10_000) == reference, case_filter
        assert index.count(case_filter) == count_received_cases(notebook, case_filter)
        assert _listed_in_pages(index, case_filter) == [row.id for row in reference]
        compared += 1
        nonempty += bool(reference)
    assert compared > 600 and nonempty > compared // 3  # the filters find cases


def test_the_figures_from_memory_equal_the_database_s(
    received: tuple[Notebook, list[str]],
) -> None:
    notebook, ids = received
    index = case_index(notebook)
    for start, end in _periods(notebook):
        for counsellor in (None, *ids, NOBODY):
            board, table, periods = index.figures(start, end, counsellor)
            assert_same(board, dashboard(notebook, start, end, counsellor))
            assert table == concern_table(notebook, start, end, counsellor)
            assert index.counsellor_periods(start, end, counsellor) == counsellor_periods(
                notebook, start, end, counsellor
            )
        assert periods == counsellor_periods(notebook, start, end)
    everything = index.dashboard()
    assert everything.cases > 70 and everything.improved and everything.worsened
    assert everything.themes[UNKNOWN] == 1 and everything.wellbeing_single > 0


def test_the_index_is_read_again_after_a_change(tmp_path: Path) -> None:
    notebook, ids = received_supervisor(tmp_path, FAST_KDF)
    with notebook:
        index = case_index(notebook)
        assert case_index(notebook) is index  # nothing written: the same
        set_counsellor_label(notebook, ids[0], "Anna")
        named = case_index(notebook)
        assert named is not index
        assert [c.label for c in named.counsellor_periods() if c.counsellor_id == ids[0]] == [
            "Anna"
        ]
        withdraw_counsellor(notebook, ids[0])
        after = case_index(notebook)
        assert after.count() == count_received_cases(notebook) < named.count()
        assert all(row.counsellor_id == ids[1] for row in after.cases(limit=1000))
        assert_same(after.dashboard(), dashboard(notebook))
