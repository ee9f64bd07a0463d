"""The supervisor's dashboard: figures over the imported cases, for a period and counsellor.

Everything is computed from the imported (de-identified) data of a supervisor's notebook
(:mod:`counsellor_app.core.supervision`), so the figures need nothing from the
counsellors' own notebooks. Counting rules, so that charts and reports agree:

* a **contact** is an imported conversation whose day lies in the period;
* a **case in the period** has at least one contact in it; themes, age bands and newly
  worried vs known count such cases once each;
* **wellbeing movement** uses, per case in the period, the overall level (or else the most
  severe arena level) at its first and at its latest contact in the period that has a
  level; cases with only one such contact are counted apart (``wellbeing_single``);
* **steps covered** count contacts whose note for the step held text;
* **alliances** count by the day they were made, **follow-ups** by their due day,
  **concern decisions** by their day, each in the period.

:func:`dashboard` counts in the database (grouped queries over indexes of the
``imported_*`` tables, never the contacts' rows, which hold the notes), so a notebook of
100,000 imported cases gives its figures in a fraction of a second. :func:`compute_dashboard`
is the same rules written plainly in Python over bundle cases; :func:`dashboard_from_cases`
applies it to the imported cases read back whole, and the tests hold :func:`dashboard`
equal to it.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    EntryKind,
    HelpSystemStatus,
    Partner,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import (
    CounsellorInfo,
    counsellors,
    imported_cases,
    stored_steps,
    stored_terms,
)
from counsellor_app.core.taxonomy import taxonomy

#: The key for cases without the field (age band or help-system status not recorded).
UNKNOWN = "unknown"


@functools.lru_cache(maxsize=1024)
def theme_key(theme: str) -> str:
    """The theme as the dashboard counts it: an id this version's taxonomy does not know
    (a newer list, or a file not made by the app) is counted apart as :data:`UNKNOWN`,
    never shown as it was written."""
    return theme if taxonomy().term("themes", theme) is not None else UNKNOWN


LEVELS: tuple[WellbeingLevel, ...] = tuple(WellbeingLevel)
_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def _zero_matrix() -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(0 for _ in LEVELS) for _ in LEVELS)


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures. Mapping keys are the stable codes (enum members, which are
    strings, or :data:`UNKNOWN`); every known code is present, with 0 where none."""

    period_from: date | None
    period_to: date | None
    counsellor: str | None
    cases: int
    contacts: int
    #: ``"YYYY-MM"`` -> contacts, every month of the period (or of the data) in order.
    contacts_per_month: dict[str, int]
    #: Theme id -> cases, most frequent first.
    themes: dict[str, int]
    #: Age band (and :data:`UNKNOWN`) -> cases.
    age_bands: dict[str, int]
    #: ``newly_worried``, ``known`` and :data:`UNKNOWN` -> cases.
    help_system: dict[str, int]
    #: ``wellbeing_movement[first.rank][latest.rank]`` = cases (rows: first contact).
    wellbeing_movement: tuple[tuple[int, ...], ...] = field(default_factory=_zero_matrix)
    #: Cases in the period with a level at only one contact (no movement to show).
    wellbeing_single: int = 0
    steps_covered: dict[Step, int] = field(default_factory=dict)
    alliances: dict[Partner, int] = field(default_factory=dict)
    #: Alliances by the kind of help directory entry the partner came from (EntryKind
    #: values), and :data:`UNKNOWN` for partners typed by hand (or from an older app).
    alliance_kinds: dict[str, int] = field(default_factory=dict)
    follow_ups: dict[FollowUpOutcome, int] = field(default_factory=dict)
    concern_decisions: dict[ConcernDecision, int] = field(default_factory=dict)
    concern_signs: dict[ConcernSigns, int] = field(default_factory=dict)
    #: Every counsellor known from imports (not only the one filtered on), for the filter.
    counsellors: tuple[CounsellorInfo, ...] = ()
    #: The first and the last day with a contact counted (None: no contact), so that a
    #: period left open ("all contacts") can name its days.
    first_contact: date | None = None
    last_contact: date | None = None

    @property
    def improved(self) -> int:
        """Cases whose latest level is better than their first."""
        return sum(self.wellbeing_movement[i][j] for i in range(len(LEVELS)) for j in range(i))

    @property
    def worsened(self) -> int:
        """Cases whose latest level is worse than their first."""
        return sum(
            self.wellbeing_movement[i][j]
            for i in range(len(LEVELS))
            for j in range(i + 1, len(LEVELS))
        )

    @property
    def unchanged(self) -> int:
        return sum(self.wellbeing_movement[i][i] for i in range(len(LEVELS)))

    @property
    def assessed_twice(self) -> int:
        """Cases with a level at two or more contacts in the period: the base of
        "improved", "unchanged" and "worsened" (never all the cases)."""
        return sum(sum(row) for row in self.wellbeing_movement)


def _months(first: date, last: date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass
class Tally:
    """The counters every way of counting fills (here and in :mod:`.case_index`), and the
    :class:`Dashboard` they make."""

    per_month: Counter[str] = field(default_factory=Counter)
    themes: Counter[str] = field(default_factory=Counter)
    ages: Counter[str] = field(
        default_factory=lambda: Counter({str(band): 0 for band in AgeBand} | {UNKNOWN: 0})
    )
    help_system: Counter[str] = field(
        default_factory=lambda: Counter({str(s): 0 for s in HelpSystemStatus} | {UNKNOWN: 0})
    )
    movement: list[list[int]] = field(default_factory=lambda: [[0] * len(LEVELS) for _ in LEVELS])
    single: int = 0
    steps: Counter[Step] = field(default_factory=lambda: Counter({step: 0 for step in Step}))
    partners: Counter[Partner] = field(default_factory=lambda: Counter(dict.fromkeys(Partner, 0)))
    kinds: Counter[str] = field(
        default_factory=lambda: Counter({str(kind): 0 for kind in EntryKind} | {UNKNOWN: 0})
    )
    outcomes: Counter[FollowUpOutcome] = field(
        default_factory=lambda: Counter(dict.fromkeys(FollowUpOutcome, 0))
    )
    decisions: Counter[ConcernDecision] = field(
        default_factory=lambda: Counter(dict.fromkeys(ConcernDecision, 0))
    )
    signs: Counter[ConcernSigns] = field(
        default_factory=lambda: Counter(dict.fromkeys(ConcernSigns, 0))
    )
    cases: int = 0
    contacts: int = 0
    first_day: date | None = None
    last_day: date | None = None

    def seen(self, first: date, last: date) -> None:
        """Contacts from ``first`` to ``last`` were counted."""
        self.first_day = first if self.first_day is None else min(self.first_day, first)
        self.last_day = last if self.last_day is None else max(self.last_day, last)

    def dashboard(
        self,
        period_from: date | None,
        period_to: date | None,
        counsellor: str | None = None,
        known: tuple[CounsellorInfo, ...] = (),
    ) -> Dashboard:
        start = period_from or self.first_day
        end = period_to or self.last_day
        months = _months(start, end) if start and end and start <= end else []
        return Dashboard(
            period_from=period_from,
            period_to=period_to,
            counsellor=counsellor,
            cases=self.cases,
            contacts=self.contacts,
            contacts_per_month={month: self.per_month.get(month, 0) for month in months},
            themes=dict(sorted(self.themes.items(), key=lambda item: (-item[1], item[0]))),
            age_bands=dict(self.ages),
            help_system=dict(self.help_system),
            wellbeing_movement=tuple(tuple(row) for row in self.movement),
            wellbeing_single=self.single,
            steps_covered=dict(self.steps),
            alliances=dict(self.partners),
            alliance_kinds=dict(self.kinds),
            follow_ups=dict(self.outcomes),
            concern_decisions=dict(self.decisions),
            concern_signs=dict(self.signs),
            counsellors=known,
            first_contact=self.first_day,
            last_contact=self.last_day,
        )


def compute_dashboard(
    cases: list[BundleCase[str]],
    period_from: date | None = None,
    period_to: date | None = None,
) -> Dashboard:
    """The figures over ``cases`` (bundle cases, imported or not) for the period: the
    counting rules of the module, plainly (the definition :func:`dashboard` is held to)."""

    def within(day: date) -> bool:
        return (period_from is None or day >= period_from) and (
            period_to is None or day <= period_to
        )

    tally = Tally()
    for case in cases:
        talks = [c for c in case.conversations if within(c.day)]
        for alliance in case.alliances:
            if within(alliance.created_on):
                tally.partners[alliance.partner] += 1
                tally.kinds[str(alliance.directory_kind or UNKNOWN)] += 1
        for follow_up in case.follow_ups:
            if within(follow_up.due):
                tally.outcomes[follow_up.outcome] += 1
        for concern in case.concerns:
            if within(concern.day):
                tally.decisions[concern.decision] += 1
                tally.signs[concern.signs] += 1
        if not talks:
            continue
        tally.cases += 1
        tally.contacts += len(talks)
        for talk in talks:
            tally.per_month[f"{talk.day.year:04d}-{talk.day.month:02d}"] += 1
            for step in talk.steps_covered:
                tally.steps[step] += 1
            tally.seen(talk.day, talk.day)
        tally.themes.update(theme_key(theme) for theme in case.themes)
        tally.ages[str(case.age_band) if case.age_band else UNKNOWN] += 1
        tally.help_system[str(case.help_system) if case.help_system else UNKNOWN] += 1
        levels = [
            level
            for talk in sorted(talks, key=lambda talk: talk.day)
            if (level := talk.overall_wellbeing())
        ]
        if len(levels) >= 2:
            tally.movement[_RANK[levels[0]]][_RANK[levels[-1]]] += 1
        elif len(levels) == 1:
            tally.single += 1
    return tally.dashboard(period_from, period_to)


def _in_period(
    column: str, period_from: date | None, period_to: date | None
) -> tuple[str, list[str]]:
    """A SQL condition (and its parameters) keeping the ISO days of ``column`` in the period.

    ISO days (``YYYY-MM-DD``) sort as text the way the days sort, so the comparison can use
    an index on the column."""
    terms = ["1"]
    params: list[str] = []
    if period_from is not None:
        terms.append(f"{column} >= ?")
        params.append(period_from.isoformat())
    if period_to is not None:
        terms.append(f"{column} <= ?")
        params.append(period_to.isoformat())
    return " AND ".join(terms), params


def _of_counsellor(counsellor: str | None) -> tuple[str, list[str]]:
    """A SQL condition on ``case_id`` keeping the rows of one counsellor's cases."""
    if counsellor is None:
        return "1", []
    return "case_id IN (SELECT id FROM imported_cases WHERE counsellor_id = ?)", [counsellor]


def _where(*parts: tuple[str, list[str]]) -> tuple[str, list[str]]:
    return " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


# The first and the latest level of a case in the period: the smallest and the largest
# "day + position + level" of its contacts that have a level. Days are 10 characters,
# positions are padded to 9 digits, so the level starts at character 20 and the order is
# (day, position), the order compute_dashboard sorts its contacts in. The level is the
# column the import stored from BundleConversation.overall_wellbeing(), as read back.
_KEYED_LEVEL = (
    "CASE WHEN overall_wellbeing IS NOT NULL "
    "THEN day || printf('%09d', position) || overall_wellbeing END"
)
_LEVEL_AT = 20


#: The indexes the dashboard reads instead of the rows (schema 16), each in the order it
#: groups by, so nothing is sorted: the contacts by day and steps covered, with their
#: case, position and level (a few MB at 100,000 cases where their rows, the notes, are
#: hundreds), the cases by the codes and levels counted, the alliances by partner and kind.
#: Named, so that the planner never goes to the rows (or sorts) instead.
_TALKS_INDEX = "imported_conversations_dashboard"
_CASES_INDEX = "imported_cases_dashboard"
_ALLIANCES_INDEX = "imported_alliances_dashboard"
#: The cases by latest then first day (schema 15): the cases partly in a period are found
#: in it, never by reading every case's row.
_SPAN_INDEX = "imported_cases_latest"
_OWN_SPAN_INDEX = "imported_cases_counsellor_period"


def _add_case(
    tally: Tally,
    codes: tuple[str, str | None, str | None],
    first: str | None,
    latest: str | None,
    levels: int,
    count: int,
) -> None:
    """``count`` cases in the period with these codes (themes, age band, help system), the
    first and latest level of their contacts in it and how many had a level."""
    themes, age, help_system = codes
    tally.cases += count
    for theme in stored_terms(themes):
        tally.themes[theme_key(theme)] += count
    tally.ages[str(AgeBand(age)) if age else UNKNOWN] += count
    tally.help_system[str(HelpSystemStatus(help_system)) if help_system else UNKNOWN] += count
    if levels >= 2 and first and latest:
        tally.movement[_RANK[WellbeingLevel(first)]][_RANK[WellbeingLevel(latest)]] += count
    elif levels == 1:
        tally.single += count


@guarded
def _count_imported(
    notebook: Notebook,
    period_from: date | None,
    period_to: date | None,
    counsellor: str | None,
) -> Dashboard:
    """The dashboard's figures counted by the database: the same rules and figures as
    :func:`compute_dashboard` over :func:`imported_cases` (the tests hold them equal), in a
    few grouped queries over indexes, each read in the order it groups by (no sorting of
    contacts), whose results hold a few thousand rows however many cases there are.
    """
    tally = Tally()
    start, end = (None if day is None else day.isoformat() for day in (period_from, period_to))

    # The contacts: per day and set of steps covered, the order of their index.
    talks, params = _where(_in_period("day", period_from, period_to), _of_counsellor(counsellor))
    for day, steps, count in notebook.query(
        f"SELECT day, steps_covered, count(*) FROM imported_conversations "
        f"INDEXED BY {_TALKS_INDEX} WHERE {talks} GROUP BY day, steps_covered",
        params,
    ):
        tally.contacts += count
        tally.per_month[day[:7]] += count
        for step in stored_steps(steps):
            tally.steps[step] += count
        seen = date.fromisoformat(day)
        tally.seen(seen, seen)

    # The cases whose contacts all lie in the period: as a whole, from the levels the
    # import kept (schema 15: the first and latest of all their contacts, and how many).
    mine = [] if counsellor is None else [counsellor]
    whole = ["first_day IS NOT NULL"] + ["counsellor_id = ?"] * len(mine)
    whole += [] if start is None else ["first_day >= ?"]
    whole += [] if end is None else ["latest_day <= ?"]
    for themes, age, help_system, first, latest, levels, count in notebook.query(
        "SELECT themes, age_band, help_system, first_level, latest_level, assessed, "
        f"count(*) FROM imported_cases INDEXED BY {_CASES_INDEX} WHERE {' AND '.join(whole)} "
        "GROUP BY 1, 2, 3, 4, 5, 6",
        [*mine, *(day for day in (start, end) if day is not None)],
    ):
        _add_case(tally, (themes, age, help_system), first, latest, levels, count)

    # The cases only partly in the period: their contacts in it, read from the period's
    # range of the contacts' index (in order, where a look-up per case would jump about)
    # (a case spanning the period without a contact in it has no row here).
    if start is not None or end is not None:
        span = [] if end is None else ["first_day <= ?"]
        span += [] if start is None else ["latest_day >= ?"]
        outside = [] if start is None else ["first_day < ?"]
        outside += [] if end is None else ["latest_day > ?"]
        # Picked in the index of the cases' days alone and grouped per case, kept apart
        # (MATERIALIZED), then their rows read for the codes: reading the rows while
        # grouping costs ten times more.
        # (Of one counsellor: the index of their cases by day.)
        cases = f"{_OWN_SPAN_INDEX} WHERE counsellor_id = ? AND" if mine else f"{_SPAN_INDEX} WHERE"
        partly = (
            f"case_id IN (SELECT id FROM imported_cases INDEXED BY {cases} "
            f"{' AND '.join(span)} AND ({' OR '.join(outside)}))"
        )
        within, within_params = _in_period("day", period_from, period_to)
        for themes, age, help_system, levels, first, latest in notebook.query(
            "WITH p AS MATERIALIZED ("
            f"  SELECT case_id, count(overall_wellbeing) AS levels, min({_KEYED_LEVEL}) AS first, "
            f"  max({_KEYED_LEVEL}) AS latest FROM imported_conversations "
            f"  INDEXED BY {_TALKS_INDEX} WHERE {within} AND {partly} GROUP BY case_id"
            ") SELECT c.themes, c.age_band, c.help_system, p.levels, p.first, p.latest "
            "FROM p JOIN imported_cases c ON c.id = p.case_id",
            [
                *within_params,
                *mine,
                *(day for day in (end, start) if day is not None),
                *(day for day in (start, end) if day is not None),
            ],
        ):
            _add_case(
                tally,
                (themes, age, help_system),
                first and first[_LEVEL_AT - 1 :],
                latest and latest[_LEVEL_AT - 1 :],
                levels,
                1,
            )

    # Alliances, follow-ups and concern decisions: by their own day, in every case.
    def grouped(table: str, day: str, columns: str) -> list[Any]:
        where, params = _where(_in_period(day, period_from, period_to), _of_counsellor(counsellor))
        return notebook.query(
            f"SELECT {columns}, count(*) FROM {table} WHERE {where} GROUP BY {columns}", params
        )

    for partner, kind, count in grouped(
        f"imported_alliances INDEXED BY {_ALLIANCES_INDEX}", "created_on", "partner, directory_kind"
    ):
        tally.partners[Partner(partner)] += count
        tally.kinds[str(EntryKind(kind)) if kind else UNKNOWN] += count
    for outcome, count in grouped("imported_follow_ups", "due", "outcome"):
        tally.outcomes[FollowUpOutcome(outcome)] += count
    for sign, decision, count in grouped("imported_concerns", "day", "signs, decision"):
        tally.decisions[ConcernDecision(decision)] += count
        tally.signs[ConcernSigns(sign)] += count
    return tally.dashboard(period_from, period_to, counsellor, tuple(counsellors(notebook)))


def dashboard(
    notebook: Notebook,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
) -> Dashboard:
    """The dashboard of a supervisor's notebook: figures over the imported cases, in the
    period (days inclusive; None leaves that end open), of one counsellor or of all.

    Counted by the database, without reading the cases back (see the module); the same
    figures as :func:`dashboard_from_cases`.
    """
    return _count_imported(notebook, period_from, period_to, counsellor)


def dashboard_from_cases(
    notebook: Notebook,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
) -> Dashboard:
    """:func:`dashboard` computed from the imported cases read back whole, by
    :func:`compute_dashboard`: the plain definition of the figures, which the tests hold
    the counting in the database to."""
    cases = [item.case for item in imported_cases(notebook, counsellor, texts=False)]
    figures = compute_dashboard(cases, period_from, period_to)
    return replace(figures, counsellor=counsellor, counsellors=tuple(counsellors(notebook)))
