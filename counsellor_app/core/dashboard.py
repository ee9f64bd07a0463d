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
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    HelpSystemStatus,
    Partner,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import CounsellorInfo, counsellors, imported_cases

#: The key for cases without the field (age band or help-system status not recorded).
UNKNOWN = "unknown"

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
    follow_ups: dict[FollowUpOutcome, int] = field(default_factory=dict)
    concern_decisions: dict[ConcernDecision, int] = field(default_factory=dict)
    concern_signs: dict[ConcernSigns, int] = field(default_factory=dict)
    #: Every counsellor known from imports (not only the one filtered on), for the filter.
    counsellors: tuple[CounsellorInfo, ...] = ()

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


def _months(first: date, last: date) -> list[str]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def compute_dashboard(
    cases: list[BundleCase],
    period_from: date | None = None,
    period_to: date | None = None,
) -> Dashboard:
    """The figures over ``cases`` (bundle cases, imported or not) for the period."""

    def within(day: date) -> bool:
        return (period_from is None or day >= period_from) and (
            period_to is None or day <= period_to
        )

    per_month: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    ages: Counter[str] = Counter({str(band): 0 for band in AgeBand} | {UNKNOWN: 0})
    help_system: Counter[str] = Counter({str(s): 0 for s in HelpSystemStatus} | {UNKNOWN: 0})
    movement = [[0] * len(LEVELS) for _ in LEVELS]
    single = 0
    steps: Counter[Step] = Counter({step: 0 for step in Step})
    partners: Counter[Partner] = Counter({partner: 0 for partner in Partner})
    outcomes: Counter[FollowUpOutcome] = Counter({o: 0 for o in FollowUpOutcome})
    decisions: Counter[ConcernDecision] = Counter({d: 0 for d in ConcernDecision})
    signs: Counter[ConcernSigns] = Counter({s: 0 for s in ConcernSigns})
    case_count = contacts = 0
    first_day: date | None = None
    last_day: date | None = None
    for case in cases:
        talks = [c for c in case.conversations if within(c.day)]
        for alliance in case.alliances:
            if within(alliance.created_on):
                partners[alliance.partner] += 1
        for follow_up in case.follow_ups:
            if within(follow_up.due):
                outcomes[follow_up.outcome] += 1
        for concern in case.concerns:
            if within(concern.day):
                decisions[concern.decision] += 1
                signs[concern.signs] += 1
        if not talks:
            continue
        case_count += 1
        contacts += len(talks)
        for talk in talks:
            per_month[f"{talk.day.year:04d}-{talk.day.month:02d}"] += 1
            for step in talk.steps_covered:
                steps[step] += 1
            first_day = talk.day if first_day is None else min(first_day, talk.day)
            last_day = talk.day if last_day is None else max(last_day, talk.day)
        themes.update(case.themes)
        ages[str(case.age_band) if case.age_band else UNKNOWN] += 1
        help_system[str(case.help_system) if case.help_system else UNKNOWN] += 1
        levels = [
            level
            for talk in sorted(talks, key=lambda t: t.day)
            if (level := talk.overall_wellbeing())
        ]
        if len(levels) >= 2:
            movement[_RANK[levels[0]]][_RANK[levels[-1]]] += 1
        elif len(levels) == 1:
            single += 1
    start = period_from or first_day
    end = period_to or last_day
    months = _months(start, end) if start and end and start <= end else []
    return Dashboard(
        period_from=period_from,
        period_to=period_to,
        counsellor=None,
        cases=case_count,
        contacts=contacts,
        contacts_per_month={month: per_month.get(month, 0) for month in months},
        themes=dict(sorted(themes.items(), key=lambda item: (-item[1], item[0]))),
        age_bands=dict(ages),
        help_system=dict(help_system),
        wellbeing_movement=tuple(tuple(row) for row in movement),
        wellbeing_single=single,
        steps_covered=dict(steps),
        alliances=dict(partners),
        follow_ups=dict(outcomes),
        concern_decisions=dict(decisions),
        concern_signs=dict(signs),
    )


def dashboard(
    notebook: Notebook,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
) -> Dashboard:
    """The dashboard of a supervisor's notebook: figures over the imported cases, in the
    period (days inclusive; None leaves that end open), of one counsellor or of all."""
    cases = [item.case for item in imported_cases(notebook, counsellor, texts=False)]
    figures = compute_dashboard(cases, period_from, period_to)
    return replace(figures, counsellor=counsellor, counsellors=tuple(counsellors(notebook)))
