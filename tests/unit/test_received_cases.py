"""The supervisor's case list: the query in the database equals its plain definition, pages
follow each other without gaps, and each filter lists the cases behind a dashboard figure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from counsellor_app.core.dashboard import LEVELS, dashboard
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    HelpSystemStatus,
    Partner,
    WellbeingLevel,
)
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.received_cases import (
    UNKNOWN,
    CaseFilter,
    Movement,
    case_matches,
    count_received_cases,
    received_cases,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import imported_cases
from tests.helpers import FAST_KDF
from tests.unit.exchange_support import received_supervisor

TODAY = date.today()


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Notebook, list[str]]]:
    notebook, ids = received_supervisor(tmp_path_factory.mktemp("received"), FAST_KDF)
    with notebook:
        yield notebook, ids


@pytest.fixture
def supervisor(received: tuple[Notebook, list[str]]) -> Notebook:
    return received[0]


def _expected(notebook: Notebook, case_filter: CaseFilter) -> list[int]:
    """The row ids the plain definition lists, most recent contact first."""
    chosen = [
        item
        for item in imported_cases(notebook, texts=False)
        if case_matches(item.case, item.counsellor_id, case_filter)
    ]

    def latest(item: object) -> str:
        days = [c.day for c in item.case.conversations]  # type: ignore[attr-defined]
        return max(days).isoformat() if days else ""

    # Newest contact first, the cases without contacts last; the same day: newest row first.
    chosen.sort(key=lambda item: (latest(item), item.id), reverse=True)
    return [item.id for item in chosen]


def _filters(ids: list[str]) -> list[CaseFilter]:
    periods = [
        (None, None),
        (TODAY - timedelta(days=120), None),
        (None, TODAY - timedelta(days=100)),
        (TODAY - timedelta(days=400), TODAY - timedelta(days=60)),
        (TODAY - timedelta(days=100), TODAY - timedelta(days=100)),
    ]
    filters = []
    for period_from, period_to in periods:
        base = CaseFilter(period_from=period_from, period_to=period_to)
        filters += [
            base,
            CaseFilter(counsellor=ids[1], period_from=period_from, period_to=period_to),
            *(
                CaseFilter(theme=theme, period_from=period_from, period_to=period_to)
                for theme in ("sleep", "school_absence", UNKNOWN)
            ),
            *(
                CaseFilter(age_band=band, period_from=period_from, period_to=period_to)
                for band in (AgeBand.A13_15.value, UNKNOWN)
            ),
            CaseFilter(help_system=HelpSystemStatus.KNOWN.value, period_from=period_from),
            *(
                CaseFilter(level=level, period_from=period_from, period_to=period_to)
                for level in WellbeingLevel
            ),
            *(
                CaseFilter(movement=movement, period_from=period_from, period_to=period_to)
                for movement in Movement
            ),
            CaseFilter(
                first_level=WellbeingLevel.STRUGGLING,
                level=WellbeingLevel.MILD,
                period_from=period_from,
                period_to=period_to,
            ),
            CaseFilter(
                follow_up=FollowUpOutcome.MISSED, period_from=period_from, period_to=period_to
            ),
            CaseFilter(concern=ConcernSigns.YES, period_from=period_from, period_to=period_to),
            CaseFilter(
                concern=ConcernSigns.YES,
                decision=ConcernDecision.NOT_NEEDED,
                period_from=period_from,
                period_to=period_to,
            ),
            CaseFilter(partner=Partner.SCHOOL, period_from=period_from, period_to=period_to),
            CaseFilter(
                counsellor=ids[0],
                theme="sleep",
                movement=Movement.WORSE,
                follow_up=FollowUpOutcome.MISSED,
                period_from=period_from,
                period_to=period_to,
            ),
        ]
    return filters


def test_the_query_lists_what_the_plain_definition_lists(
    received: tuple[Notebook, list[str]],
) -> None:
    notebook, ids = received
    nonempty = 0
    for case_filter in _filters(ids):
        expected = _expected(notebook, case_filter)
        listed = [row.id for row in received_cases(notebook, case_filter, limit=10_000)]
        assert listed == expected, case_filter
        assert count_received_cases(notebook, case_filter) == len(expected), case_filter
        nonempty += bool(expected)
    # The data is varied enough that most filters find something.
    assert nonempty >= len(_filters(ids)) * 2 // 3


def test_every_case_is_listed_without_a_filter(supervisor: Notebook) -> None:
    rows = received_cases(supervisor, limit=10_000)
    assert len(rows) == len(imported_cases(supervisor, texts=False)) == 77
    # The case without a contact is listed, last.
    assert rows[-1].latest_day is None and rows[-1].contacts == 0
    assert rows[-1].missed_follow_ups == 1 and rows[-1].concern == ConcernSigns.YES
    assert rows[0].latest_day == max(row.latest_day for row in rows[:-1] if row.latest_day)


def test_pages_follow_each_other_without_gaps_or_repeats(supervisor: Notebook) -> None:
    for case_filter in (
        CaseFilter(),
        CaseFilter(theme="sleep"),
        CaseFilter(period_from=TODAY - timedelta(days=300), follow_up=FollowUpOutcome.ON_TIME),
    ):
        whole = [row.id for row in received_cases(supervisor, case_filter, limit=10_000)]
        paged: list[int] = []
        after = None
        while True:
            page = received_cases(supervisor, case_filter, limit=7, after=after)
            paged += [row.id for row in page]
            if len(page) < 7:
                break
            after = page[-1].cursor
        assert paged == whole and len(whole) > 7


def test_a_row_shows_what_the_case_holds(supervisor: Notebook) -> None:
    by_id = {item.id: item for item in imported_cases(supervisor, texts=False)}
    for row in received_cases(supervisor, limit=10_000):
        case = by_id[row.id].case
        assert row.ref == case.ref and row.themes == case.themes
        assert row.contacts == len(case.conversations)
        levels = [
            lv
            for c in sorted(case.conversations, key=lambda c: c.day)
            if (lv := c.overall_wellbeing())
        ]
        assert row.latest_level == (levels[-1] if levels else None)
        assert row.missed_follow_ups == sum(
            f.outcome == FollowUpOutcome.MISSED for f in case.follow_ups
        )
        latest = sorted(case.concerns, key=lambda k: k.day)[-1] if case.concerns else None
        assert row.concern == (latest.signs if latest else None)
        assert row.counsellor in (row.counsellor_id, row.counsellor_label)


@pytest.mark.parametrize(
    "period",
    [
        (None, None),
        (TODAY - timedelta(days=200), None),
        (TODAY - timedelta(days=400), TODAY - timedelta(days=30)),
    ],
)
def test_each_dashboard_figure_opens_its_cases(
    supervisor: Notebook, period: tuple[date | None, date | None]
) -> None:
    """The click-through: the cases listed for a bar or a cell are the cases it counts."""
    start, end = period
    figures = dashboard(supervisor, start, end)

    def count(**given: object) -> int:
        return count_received_cases(
            supervisor,
            CaseFilter(period_from=start, period_to=end, **given),  # type: ignore[arg-type]
        )

    assert count() == figures.cases or (start is None and count() == figures.cases + 1)
    for theme, cases in figures.themes.items():
        assert count(theme=theme) == cases, theme
    for band, cases in figures.age_bands.items():
        assert count(age_band=band) == cases, band
    for status, cases in figures.help_system.items():
        assert count(help_system=status) == cases, status
    for i, first in enumerate(LEVELS):
        for j, latest in enumerate(LEVELS):
            assert count(first_level=first, level=latest) == figures.wellbeing_movement[i][j]
    assert count(movement=Movement.IMPROVED) == figures.improved
    assert count(movement=Movement.WORSE) == figures.worsened
    assert count(movement=Movement.SAME) == figures.unchanged
    # Follow-ups, concerns and alliances are counted one by one; each case has at least one.
    for outcome, rows in figures.follow_ups.items():
        assert (count(follow_up=outcome) > 0) == (rows > 0) and count(follow_up=outcome) <= rows
    for decision, rows in figures.concern_decisions.items():
        assert (count(decision=decision) > 0) == (rows > 0) and count(decision=decision) <= rows
    assert sum(figures.wellbeing_movement[i][j] for i in range(4) for j in range(4)) > 0


def test_a_counsellor_s_cases_only(received: tuple[Notebook, list[str]]) -> None:
    notebook, ids = received
    rows = received_cases(notebook, CaseFilter(counsellor=ids[1]), limit=10_000)
    assert len(rows) == 25 and {row.counsellor_id for row in rows} == {ids[1]}


def test_an_empty_notebook_lists_nothing(tmp_path: Path) -> None:
    from counsellor_app.core.domain import Role
    from tests.helpers import PASSPHRASE

    with Notebook.create(tmp_path / "s.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[0] as nb:
        assert received_cases(nb) == [] and count_received_cases(nb, CaseFilter(theme="sleep")) == 0
