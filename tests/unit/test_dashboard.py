"""The dashboard counted by the database equals its plain definition in Python.

:func:`dashboard.dashboard` counts the imported cases with grouped SQL queries;
:func:`dashboard.dashboard_from_cases` reads every imported case back whole and counts it
with :func:`dashboard.compute_dashboard`. Both run here on one real supervisor notebook
holding varied imported data (three counsellors, demo cases and hand-made edge cases, a
newer bundle that updates cases), for every filter the dashboard offers, and must agree
on every figure, down to the order of the themes and the months.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from counsellor_app.core.dashboard import (
    UNKNOWN,
    Dashboard,
    dashboard,
    dashboard_from_cases,
)
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import (
    OVERALL,
    AgeBand,
    Alliance,
    CaseStatus,
    Concern,
    ConcernDecision,
    ConcernSigns,
    FollowUp,
    HelpSystemStatus,
    Partner,
    Role,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    ImportStatus,
    import_bundle,
    set_counsellor_label,
)
from tests.helpers import FAST_KDF, PASSPHRASE

TODAY = date.today()
#: A day well inside the demo data's history (the last ~18 months), at midday, so that
#: the day is the same in every time zone's reading of it.
EDGE_DAY = TODAY - timedelta(days=100)
NOBODY = "C-NOBODY2345"


def _at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour)).astimezone()


def _talk(
    notebook: Notebook, case_id: int, day: date, hour: int, levels: dict[str, WellbeingLevel]
) -> None:
    talk = notebook.new_conversation(case_id, started_at=_at(day, hour))
    assert talk.id is not None
    notebook.save_note(talk.id, Step.LISTEN, "Forælderen fortalte om ugen derhjemme.")
    for arena, level in levels.items():
        notebook.set_wellbeing(talk.id, arena, level)


def _edge_cases(notebook: Notebook) -> None:
    """Cases the demo data may lack: no levels at all, several contacts on one day with
    levels given differently, one level only, arena levels without an overall one, no
    contact at all (but alliances, a follow-up and a concern), no age band or help-system
    status, a theme of a newer taxonomy."""
    bare = notebook.new_case(themes=[], arenas=[])
    assert bare.id is not None
    _talk(notebook, bare.id, EDGE_DAY, 9, {})
    _talk(notebook, bare.id, EDGE_DAY + timedelta(days=3), 9, {})

    same_day = notebook.new_case(
        themes=["sleep", "not_in_any_taxonomy_yet"],
        arenas=["school", "home"],
        age_band=AgeBand.A6_9,
        help_system=HelpSystemStatus.KNOWN,
    )
    assert same_day.id is not None
    _talk(notebook, same_day.id, EDGE_DAY, 8, {OVERALL: WellbeingLevel.SEVERE})
    _talk(notebook, same_day.id, EDGE_DAY, 10, {})
    # The most severe arena level stands in for the missing overall one: struggling.
    _talk(
        notebook,
        same_day.id,
        EDGE_DAY,
        14,
        {"school": WellbeingLevel.MILD, "home": WellbeingLevel.STRUGGLING},
    )
    _talk(notebook, same_day.id, EDGE_DAY + timedelta(days=1), 9, {"school": WellbeingLevel.MILD})

    one_level = notebook.new_case(themes=["anxiety"], help_system=HelpSystemStatus.NEWLY_WORRIED)
    assert one_level.id is not None
    _talk(notebook, one_level.id, EDGE_DAY + timedelta(days=2), 9, {})
    _talk(notebook, one_level.id, EDGE_DAY + timedelta(days=5), 9, {OVERALL: WellbeingLevel.MILD})

    silent = notebook.new_case(themes=["school_absence"], age_band=AgeBand.A18_24)
    assert silent.id is not None
    notebook.save_alliance(Alliance(silent.id, Partner.SCHOOL, role="lærer", agreed="møde"))
    notebook.save_alliance(Alliance(silent.id, Partner.PPR, role="psykolog", agreed="test"))
    notebook.save_follow_up(FollowUp(silent.id, TODAY + timedelta(days=3)))
    notebook.record_concern(
        Concern(silent.id, ConcernSigns.UNSURE, ConcernDecision.TALK_WITH_SUPERVISOR)
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Notebook, str]]:
    """A supervisor's notebook with the bundles of three counsellors, the first one's
    updated by a newer bundle (changed codes, a new contact, a case closed)."""
    folder: Path = tmp_path_factory.mktemp("dashboard")
    with Notebook.create(folder / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
        0
    ] as notebook:
        key = ensure_key_pair(notebook)
        anna = Notebook.create(folder / "anna.cnb", PASSPHRASE, kdf=FAST_KDF)[0]
        fill_demo(anna, 60, seed=3)
        _edge_cases(anna)
        paths = [export_bundle(anna, key, folder / "anna-1.cnbundle", today=TODAY).path]
        for name, count, seed in (("bo", 30, 5), ("cai", 15, 9)):
            with Notebook.create(folder / f"{name}.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as other:
                fill_demo(other, count, seed=seed)
                paths.append(export_bundle(other, key, folder / f"{name}.cnbundle").path)
        ids = []
        for path in paths:
            result = import_bundle(notebook, path, accept_new=True)
            assert result.status == ImportStatus.IMPORTED
            ids.append(result.counsellor_id)
        set_counsellor_label(notebook, ids[1], "Bo (tirsdage)")

        # Anna's newer bundle replaces the cases it holds, children and all.
        with anna:
            demo_ids = sorted(anna.find_case_ids())[:10]  # the demo's, made before the edges
            for case_id in demo_ids[:8]:
                case = anna.case(case_id)
                case.themes = ["sleep", "eating"]
                case.age_band = None
                case.help_system = None
                anna.update_case(case)
                _talk(anna, case_id, TODAY - timedelta(days=1), 9, {OVERALL: WellbeingLevel.MILD})
            anna.set_status(demo_ids[9], CaseStatus.CLOSED)
            newer = export_bundle(anna, key, folder / "anna-2.cnbundle", today=TODAY)
        result = import_bundle(notebook, newer.path, accept_new=True)
        assert result.cases_updated == newer.case_count >= 9 and result.cases_added == 0
        yield notebook, ids[0]


@pytest.fixture
def supervisor(imported: tuple[Notebook, str]) -> Notebook:
    return imported[0]


@pytest.fixture
def anna(imported: tuple[Notebook, str]) -> str:
    """The counsellor id of the first counsellor, whose newer bundle updated cases."""
    return imported[1]


def _counsellor_ids(notebook: Notebook) -> list[str]:
    return [
        row[0]
        for row in notebook.query("SELECT counsellor_id FROM exchange_counsellors ORDER BY 1")
    ]


def _days(notebook: Notebook) -> tuple[date, date]:
    first, last = notebook.query("SELECT min(day), max(day) FROM imported_conversations")[0]
    return date.fromisoformat(first), date.fromisoformat(last)


def _periods(notebook: Notebook) -> dict[str, tuple[date | None, date | None]]:
    first, last = _days(notebook)
    return {
        "all time": (None, None),
        "until the edge day": (None, EDGE_DAY),
        "from the edge day": (EDGE_DAY, None),
        "the edge day only": (EDGE_DAY, EDGE_DAY),
        "the edge days": (EDGE_DAY, EDGE_DAY + timedelta(days=3)),
        "first day only": (first, first),
        "last day only": (last, last),
        "data's own span": (first, last),
        "last 90 days": (TODAY - timedelta(days=90), TODAY),
        "this year": (date(TODAY.year, 1, 1), TODAY),
        "a month": (date(TODAY.year - 1, 6, 1), date(TODAY.year - 1, 6, 30)),
        "wider than the data": (first - timedelta(days=400), last + timedelta(days=400)),
        "empty, long ago": (date(1990, 1, 1), date(1990, 3, 31)),
        "empty, in the future": (TODAY + timedelta(days=800), None),
        "ends before it begins": (TODAY, TODAY - timedelta(days=30)),
    }


def assert_same(counted: Dashboard, oracle: Dashboard) -> None:
    """Every figure equal, and mappings in the same order (charts draw them in order)."""
    for item in fields(Dashboard):
        mine, theirs = getattr(counted, item.name), getattr(oracle, item.name)
        if isinstance(theirs, dict):
            assert list(mine.items()) == list(theirs.items()), item.name
        else:
            assert mine == theirs, item.name
    assert counted == oracle


def test_the_data_is_varied_enough_to_compare_on(supervisor: Notebook) -> None:
    figures = dashboard_from_cases(supervisor)
    assert len(figures.counsellors) == 3
    assert figures.cases == 60 + 3 + 30 + 15  # the edge case without contacts is not counted
    assert figures.age_bands[UNKNOWN] > 0 and figures.help_system[UNKNOWN] > 0
    assert figures.improved > 0 and figures.worsened > 0 and figures.unchanged > 0
    assert figures.wellbeing_single > 0
    # an id this version does not know is counted apart, never shown as written
    assert figures.themes[UNKNOWN] == 1 and "not_in_any_taxonomy_yet" not in figures.themes
    assert figures.themes["sleep"] >= 8
    assert figures.alliances[Partner.PPR] > 0 and figures.alliances[Partner.SCHOOL] > 0
    assert sum(figures.follow_ups.values()) > 0 and sum(figures.concern_decisions.values()) > 0
    # A case without any level: counted as a case, but neither moved nor single.
    edge = dashboard_from_cases(supervisor, EDGE_DAY, EDGE_DAY)
    moved = edge.improved + edge.worsened + edge.unchanged
    assert edge.cases >= 2 and moved >= 1  # the same-day case moved
    assert moved + edge.wellbeing_single <= edge.cases - 1  # the bare case is neither


@pytest.mark.parametrize(
    "period",
    [
        "all time",
        "until the edge day",
        "from the edge day",
        "the edge day only",
        "the edge days",
        "first day only",
        "last day only",
        "data's own span",
        "last 90 days",
        "this year",
        "a month",
        "wider than the data",
        "empty, long ago",
        "empty, in the future",
        "ends before it begins",
    ],
)
def test_counted_in_the_database_equals_the_python_definition(
    supervisor: Notebook, period: str
) -> None:
    start, end = _periods(supervisor)[period]
    for counsellor in [None, *_counsellor_ids(supervisor), NOBODY]:
        counted = dashboard(supervisor, start, end, counsellor)
        oracle = dashboard_from_cases(supervisor, start, end, counsellor)
        assert_same(counted, oracle)


def test_an_empty_period_has_its_months_and_nothing_else(supervisor: Notebook) -> None:
    figures = dashboard(supervisor, date(1990, 1, 1), date(1990, 3, 31))
    assert figures.contacts_per_month == {"1990-01": 0, "1990-02": 0, "1990-03": 0}
    assert figures.cases == figures.contacts == figures.wellbeing_single == 0
    assert not any(figures.themes.values())
    assert set(figures.age_bands) == {str(band) for band in AgeBand} | {UNKNOWN}
    assert figures.steps_covered == dict.fromkeys(Step, 0)


def test_a_notebook_without_imports_counts_nothing(tmp_path: Path) -> None:
    with Notebook.create(tmp_path / "empty.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
        0
    ] as empty:
        for period in ((None, None), (date(2026, 1, 1), date(2026, 2, 15))):
            assert_same(dashboard(empty, *period), dashboard_from_cases(empty, *period))
        figures = dashboard(empty)
        assert figures.contacts_per_month == {} and figures.counsellors == ()


def test_the_same_day_contacts_move_in_the_order_they_were_held(supervisor: Notebook) -> None:
    # On the edge day the same-day case went from severe (8 o'clock) to struggling (14
    # o'clock, from its arena levels); the contact in between had no level.
    rank = {level: n for n, level in enumerate(WellbeingLevel)}
    figures: Any = dashboard(supervisor, EDGE_DAY, EDGE_DAY)
    severe, struggling = rank[WellbeingLevel.SEVERE], rank[WellbeingLevel.STRUGGLING]
    assert figures.wellbeing_movement[severe][struggling] >= 1
    assert_same(figures, dashboard_from_cases(supervisor, EDGE_DAY, EDGE_DAY))


def test_a_case_s_contacts_at_day_boundaries_are_counted_once(supervisor: Notebook) -> None:
    first, last = _days(supervisor)
    whole = dashboard(supervisor, first, last)
    assert whole.contacts == supervisor.query("SELECT count(*) FROM imported_conversations")[0][0]
    split = EDGE_DAY
    before = dashboard(supervisor, first, split - timedelta(days=1))
    after = dashboard(supervisor, split, last)
    assert before.contacts + after.contacts == whole.contacts
    assert sum(whole.alliances.values()) == sum(before.alliances.values()) + sum(
        after.alliances.values()
    )
    unbounded = dashboard(supervisor)
    assert_same(
        dashboard(supervisor, first, last),
        dashboard_from_cases(supervisor, first, last),
    )
    assert unbounded.contacts == whole.contacts


def test_the_newer_bundle_s_changes_are_what_is_counted(supervisor: Notebook, anna: str) -> None:
    figures = dashboard(supervisor, TODAY - timedelta(days=1), TODAY - timedelta(days=1))
    mine = dashboard(supervisor, TODAY - timedelta(days=1), TODAY - timedelta(days=1), anna)
    assert mine.contacts >= 8 and mine.themes["sleep"] >= 8 and mine.themes["eating"] >= 8
    assert mine.age_bands[UNKNOWN] >= 8 and mine.help_system[UNKNOWN] >= 8
    assert figures.contacts >= mine.contacts
    assert_same(mine, dashboard_from_cases(supervisor, mine.period_from, mine.period_to, anna))


def test_the_counsellor_filter_keeps_every_counsellor_for_the_list(supervisor: Notebook) -> None:
    ids = _counsellor_ids(supervisor)
    total = dashboard(supervisor)
    parts = [dashboard(supervisor, counsellor=i) for i in ids]
    assert sum(p.cases for p in parts) == total.cases
    assert sum(p.contacts for p in parts) == total.contacts
    assert all(p.counsellors == total.counsellors for p in parts)
    assert dashboard(supervisor, counsellor=NOBODY).cases == 0
