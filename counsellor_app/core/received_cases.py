"""The supervisor's case list: the imported cases, filtered, most recent contact first.

A supervisor finds a case by what it is about, not by a reference someone told them:
:func:`received_cases` pages through the imported cases of a supervisor's notebook
(:mod:`counsellor_app.core.supervision`) that match a :class:`CaseFilter`, newest contact
first, a screenful at a time (keyset paging: the next page starts after the last row
shown, so a page costs the same however deep it lies); :func:`count_received_cases`
counts them, for a caller that can wait.

The filters follow the dashboard's counting rules (:mod:`counsellor_app.core.dashboard`),
so that a bar or a cell of a chart opens the cases behind it:

* **period**: a case is in the period when it has a contact in it. A filter on dated rows
  (a follow-up's outcome, a concern's signs or decision, an alliance's partner) looks at
  the rows of the period instead, as the dashboard counts them "by their own day, in
  every case";
* **wellbeing**: the overall level (or else the most severe arena level) of the case's
  contacts in the period that have one; ``level`` is the latest, ``first_level`` the
  first, and **movement** compares the two, for cases assessed at least twice;
* **theme** :data:`~counsellor_app.core.dashboard.UNKNOWN` is a theme this version's list
  does not know; **age band** and **help system** ``UNKNOWN`` are "not recorded".

:func:`case_matches` is the same rules written plainly over a bundle case; the tests hold
the query in the database to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

from counsellor_app.core.domain import (
    AgeBand,
    CaseStatus,
    ConcernDecision,
    ConcernSigns,
    Partner,
    WellbeingLevel,
)
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import stored_terms
from counsellor_app.core.taxonomy import taxonomy

#: A field not recorded (age band, help system) or a theme this version does not know:
#: the dashboard's key for them (:data:`counsellor_app.core.dashboard.UNKNOWN`).
UNKNOWN = "unknown"

#: How many rows a first screenful holds.
PAGE = 100


class Movement(StrEnum):
    """How a case's wellbeing moved from its first to its latest assessed contact."""

    IMPROVED = "improved"
    SAME = "same"
    WORSE = "worse"


def movement_label(movement: Movement) -> str:
    """The words a user sees for ``movement``, in the current language."""
    return {
        Movement.IMPROVED: _("Improved"),
        Movement.SAME: _("Unchanged"),
        Movement.WORSE: _("Worsened"),
    }[movement]


@dataclass(frozen=True)
class CaseFilter:
    """Which imported cases to list; a field left None (or False) does not filter."""

    counsellor: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    #: A theme id, or :data:`UNKNOWN`: a theme this version's list does not know.
    theme: str | None = None
    #: An :class:`AgeBand` value, or :data:`UNKNOWN` (not recorded).
    age_band: str | None = None
    #: A :class:`HelpSystemStatus` value, or :data:`UNKNOWN` (not recorded).
    help_system: str | None = None
    #: The latest level in the period.
    level: WellbeingLevel | None = None
    #: The first level in the period, of a case assessed at least twice (a heat-map row).
    first_level: WellbeingLevel | None = None
    movement: Movement | None = None
    #: A follow-up due in the period had this outcome (``MISSED``: follow-ups missed).
    follow_up: FollowUpOutcome | None = None
    #: A concern assessed in the period with these signs (and ``decision``, on the same
    #: assessment when both are given).
    concern: ConcernSigns | None = None
    decision: ConcernDecision | None = None
    #: An alliance with this partner made in the period.
    partner: Partner | None = None

    @property
    def is_empty(self) -> bool:
        """Whether nothing is filtered on."""
        return all(getattr(self, f.name) is None for f in fields(self))

    @property
    def needs_contact(self) -> bool:
        """Whether a case must have a contact (in the period, if one is given) to be
        listed: when anything is filtered on, unless it is a follow-up, concern or
        alliance, whose own days say whether the case is in the period (see the module)."""
        dated = (self.follow_up, self.concern, self.decision, self.partner)
        return not self.is_empty and all(value is None for value in dated)


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list: what a supervisor needs to pick a case."""

    #: The row id of the imported case (for :func:`~.supervision.imported_case`).
    id: int
    counsellor_id: str
    #: The supervisor's label for the counsellor ("" if none).
    counsellor_label: str
    ref: str
    status: CaseStatus
    age_band: AgeBand | None
    themes: tuple[str, ...]
    first_day: date | None
    latest_day: date | None
    contacts: int
    #: The overall level at the latest contact that has one (all the case's contacts).
    latest_level: WellbeingLevel | None
    missed_follow_ups: int
    #: The latest concern assessment's signs and decision (None: none recorded).
    concern: ConcernSigns | None
    decision: ConcernDecision | None

    @property
    def counsellor(self) -> str:
        """The supervisor's label, else the pseudonymous id."""
        return self.counsellor_label or self.counsellor_id

    @property
    def cursor(self) -> tuple[str | None, int]:
        """Where the next page starts (pass as ``after``)."""
        return (self.latest_day.isoformat() if self.latest_day else None, self.id)


# ---------------------------------------------------------------------------- the rules


def _within(day: date, case_filter: CaseFilter) -> bool:
    return (case_filter.period_from is None or day >= case_filter.period_from) and (
        case_filter.period_to is None or day <= case_filter.period_to
    )


def _known_theme(theme: str) -> bool:
    return taxonomy().term("themes", theme) is not None


def case_matches(case: BundleCase[str], counsellor: str, case_filter: CaseFilter) -> bool:
    """Whether ``case`` (of ``counsellor``) is listed for ``case_filter``: the module's
    rules written plainly (the definition :func:`received_cases` is held to)."""
    f = case_filter
    if f.counsellor is not None and counsellor != f.counsellor:
        return False
    talks = sorted(
        (talk for talk in case.conversations if _within(talk.day, f)),
        key=lambda talk: talk.day,  # stable: the same day keeps the order held
    )
    if f.needs_contact and not talks:
        return False
    if f.theme is not None:
        if f.theme == UNKNOWN:
            if all(_known_theme(t) for t in case.themes):
                return False
        elif f.theme not in case.themes:
            return False
    if f.age_band is not None and (str(case.age_band) if case.age_band else UNKNOWN) != f.age_band:
        return False
    if f.help_system is not None and (
        (str(case.help_system) if case.help_system else UNKNOWN) != f.help_system
    ):
        return False
    levels = [level for talk in talks if (level := talk.overall_wellbeing())]
    if f.level is not None and (not levels or levels[-1] != f.level):
        return False
    if f.first_level is not None or f.movement is not None:
        if len(levels) < 2:
            return False
        if f.first_level is not None and levels[0] != f.first_level:
            return False
        if f.movement is not None and _moved(levels[0], levels[-1]) != f.movement:
            return False
    if f.follow_up is not None and not any(
        fu.outcome == f.follow_up and _within(fu.due, f) for fu in case.follow_ups
    ):
        return False
    if (f.concern is not None or f.decision is not None) and not any(
        (f.concern is None or k.signs == f.concern)
        and (f.decision is None or k.decision == f.decision)
        and _within(k.day, f)
        for k in case.concerns
    ):
        return False
    return f.partner is None or any(
        a.partner == f.partner and _within(a.created_on, f) for a in case.alliances
    )


def _moved(first: WellbeingLevel, latest: WellbeingLevel) -> Movement:
    if latest.rank < first.rank:
        return Movement.IMPROVED
    return Movement.WORSE if latest.rank > first.rank else Movement.SAME


# ---------------------------------------------------------------------------- the query


class _Sql:
    """SQL conditions with their parameters, kept in the order they are written."""

    def __init__(self, case_filter: CaseFilter) -> None:
        self.filter = case_filter
        self.where: list[str] = []
        self.params: list[Any] = []

    def add(self, condition: str, *params: Any) -> None:
        self.where.append(condition)
        self.params += params

    def period(self, column: str) -> tuple[str, list[str]]:
        """Conditions keeping the ISO days of ``column`` in the period, and their values."""
        sql, params = "", []
        if self.filter.period_from is not None:
            sql += f" AND {column} >= ?"
            params.append(self.filter.period_from.isoformat())
        if self.filter.period_to is not None:
            sql += f" AND {column} <= ?"
            params.append(self.filter.period_to.isoformat())
        return sql, params

    def inside(self) -> tuple[str, list[str]]:
        """Whether all of the case's contacts lie in the period: then what the case keeps
        of them (first and latest level) holds for the period too."""
        sql, params = self.period("c.first_day")
        later, more = self.period("c.latest_day")
        return f"(c.first_day IS NOT NULL{sql}{later})", params + more

    def level(self, order: str, offset: int = 0) -> tuple[str, list[str]]:
        """The level of the first (``order`` "ASC") or latest ("DESC") assessed contact
        of the case in the period (``offset``: the one after it); looked up in the index
        of the contacts only for a case partly in the period."""
        period, params = self.period("v.day")
        kept = {"ASC": "c.first_level", "DESC": "c.latest_level"}[order]
        inside, inside_params = self.inside()
        lookup = (
            "(SELECT v.overall_wellbeing FROM imported_conversations v "
            f"WHERE v.case_id = c.id AND v.overall_wellbeing IS NOT NULL{period} "
            f"ORDER BY v.day {order}, v.position {order} LIMIT 1 OFFSET {offset})"
        )
        if offset:
            kept = f"CASE WHEN c.assessed > {offset} THEN c.latest_level END"
        return f"(CASE WHEN {inside} THEN {kept} ELSE {lookup} END)", inside_params + params


_RANK_SQL = (
    "(CASE {x} "
    + " ".join(f"WHEN '{level.value}' THEN {level.rank}" for level in WellbeingLevel)
    + " END)"
)


def _conditions(case_filter: CaseFilter) -> tuple[list[str], list[Any]]:
    """The SQL conditions on ``imported_cases c`` (and their parameters) of a filter."""
    f = case_filter
    sql = _Sql(f)
    if f.counsellor is not None:
        sql.add("c.counsellor_id = ?", f.counsellor)
    if f.needs_contact:
        # The case's first and latest days rule most cases out, and a case wholly in
        # the period is in it, without reading a contact.
        if f.period_from is not None:
            sql.add("c.latest_day >= ?", f.period_from.isoformat())
        if f.period_to is not None:
            sql.add("c.first_day <= ?", f.period_to.isoformat())
        if f.period_from is None and f.period_to is None:
            sql.add("c.latest_day IS NOT NULL")
        else:
            inside, inside_params = sql.inside()
            period, params = sql.period("v.day")
            sql.add(
                f"({inside} OR EXISTS (SELECT 1 FROM imported_conversations v "
                f"WHERE v.case_id = c.id{period}))",
                *inside_params,
                *params,
            )
    if f.theme == UNKNOWN:
        known = [term.id for term in taxonomy().themes]
        sql.add(
            "EXISTS (SELECT 1 FROM json_each(c.themes) "
            f"WHERE value NOT IN ({','.join('?' * len(known))}))",
            *known,
        )
    elif f.theme is not None:
        # Theme ids are plain words, so their JSON form is found as it is written.
        sql.add("instr(c.themes, ?) > 0", json.dumps(f.theme))
    for column, value in (("age_band", f.age_band), ("help_system", f.help_system)):
        if value == UNKNOWN:
            sql.add(f"c.{column} IS NULL")
        elif value is not None:
            sql.add(f"c.{column} = ?", value)
    if f.level is not None:
        latest, params = sql.level("DESC")
        sql.add(f"{latest} = ?", *params, f.level.value)
    if f.first_level is not None or f.movement is not None:
        # Assessed at least twice in the period: a second assessed contact there.
        second, second_params = sql.level("ASC", offset=1)
        sql.add(f"{second} IS NOT NULL", *second_params)
        first, first_params = sql.level("ASC")
        if f.first_level is not None:
            sql.add(f"{first} = ?", *first_params, f.first_level.value)
        if f.movement is not None:
            latest, latest_params = sql.level("DESC")
            compare = {Movement.IMPROVED: "<", Movement.SAME: "=", Movement.WORSE: ">"}
            sql.add(
                f"{_RANK_SQL.format(x=latest)} {compare[f.movement]} {_RANK_SQL.format(x=first)}",
                *latest_params,
                *first_params,
            )
    # Follow-ups, concerns and alliances: the set of their cases is found once through an
    # index on what is asked, and the walk in order of the latest contact keeps the cases
    # in it ("+c.id": SQLite is not to fetch each case of the set and sort them all,
    # which at thousands of cases costs more than walking the index to a screenful).
    if f.follow_up is not None:
        period, params = sql.period("u.due")
        sql.add(
            f"+c.id IN (SELECT u.case_id FROM imported_follow_ups u WHERE u.outcome = ?{period})",
            f.follow_up.value,
            *params,
        )
    if f.concern is not None or f.decision is not None:
        terms, values = "1", []
        if f.concern is not None:
            terms += " AND k.signs = ?"
            values.append(f.concern.value)
        if f.decision is not None:
            terms += " AND k.decision = ?"
            values.append(f.decision.value)
        period, params = sql.period("k.day")
        sql.add(
            f"+c.id IN (SELECT k.case_id FROM imported_concerns k WHERE {terms}{period})",
            *values,
            *params,
        )
    if f.partner is not None:
        period, params = sql.period("a.created_on")
        sql.add(
            f"+c.id IN (SELECT a.case_id FROM imported_alliances a WHERE a.partner = ?{period})",
            f.partner.value,
            *params,
        )
    return sql.where, sql.params


_ROW_COLUMNS = (
    "c.id, c.counsellor_id, coalesce(k.label, ''), c.ref, c.status, c.age_band, c.themes, "
    "c.first_day, c.latest_day"
)


@guarded
def received_cases(
    notebook: Notebook,
    case_filter: CaseFilter = CaseFilter(),
    *,
    limit: int = PAGE,
    after: tuple[str | None, int] | None = None,
) -> list[CaseRow]:
    """The imported cases matching ``case_filter``, most recent contact first (then the
    latest imported first), at most ``limit`` of them, starting after the row whose
    :attr:`CaseRow.cursor` is ``after`` (None: from the top).

    Walks the cases in that order through an index and stops at ``limit`` matches, so a
    screenful is quick whatever the notebook holds; a filter that few cases match reads
    further (the benchmark, ``benchmarks/bench_supervisor_cases.py``, measures the worst).
    """
    where, params = _conditions(case_filter)
    if after is not None:
        day, last_id = after
        if day is None:
            where.append("c.latest_day IS NULL AND c.id < ?")
            params.append(last_id)
        else:
            # The cases without contacts (no latest day) come last.
            where.append(
                "(c.latest_day < ? OR (c.latest_day = ? AND c.id < ?) OR c.latest_day IS NULL)"
            )
            params += [day, day, last_id]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    # The walk in order, stopped at a screenful: without statistics SQLite would rather
    # read every case of a filter it takes for selective and sort them (age band 13-15 at
    # 100,000 cases: 345 ms, against 0.3 ms along the index).
    index = (
        "imported_cases_latest"
        if case_filter.counsellor is None
        else "imported_cases_counsellor_latest"
    )
    rows = notebook.query(
        f"SELECT {_ROW_COLUMNS} FROM imported_cases c INDEXED BY {index} "
        "LEFT JOIN exchange_counsellors k ON k.counsellor_id = c.counsellor_id"
        f"{clause} ORDER BY c.latest_day DESC, c.id DESC LIMIT ?",
        [*params, limit],
    )
    return _with_details(notebook, rows)


def _with_details(notebook: Notebook, rows: Sequence[Any]) -> list[CaseRow]:
    """The rows of a page with what the list shows of their contacts, follow-ups and
    concerns (a few queries over the page's cases alone)."""
    if not rows:
        return []
    ids = [int(row[0]) for row in rows]
    marks = ",".join("?" * len(ids))
    contacts: dict[int, tuple[int, str | None]] = {}
    for case_id, count, latest in notebook.query(
        "SELECT case_id, count(*), max(CASE WHEN overall_wellbeing IS NOT NULL "
        "THEN day || printf('%09d', position) || overall_wellbeing END) "
        f"FROM imported_conversations WHERE case_id IN ({marks}) GROUP BY case_id",
        ids,
    ):
        contacts[case_id] = (int(count), latest[19:] if latest else None)
    missed = dict(
        notebook.query(
            "SELECT case_id, count(*) FROM imported_follow_ups "
            f"WHERE case_id IN ({marks}) AND outcome = ? GROUP BY case_id",
            [*ids, FollowUpOutcome.MISSED.value],
        )
    )
    concerns: dict[int, tuple[str, str]] = {}
    for case_id, signs, decision in notebook.query(
        "SELECT case_id, signs, decision FROM imported_concerns "
        f"WHERE case_id IN ({marks}) ORDER BY case_id, day, position",
        ids,
    ):
        concerns[case_id] = (signs, decision)  # the latest assessment wins
    result = []
    for row, case_id in zip(rows, ids, strict=True):
        count, level = contacts.get(case_id, (0, None))
        signs, decision = concerns.get(case_id, (None, None))
        result.append(
            CaseRow(
                id=case_id,
                counsellor_id=row[1],
                counsellor_label=row[2],
                ref=row[3],
                status=CaseStatus(row[4]),
                age_band=AgeBand(row[5]) if row[5] else None,
                themes=stored_terms(row[6]),
                first_day=date.fromisoformat(row[7]) if row[7] else None,
                latest_day=date.fromisoformat(row[8]) if row[8] else None,
                contacts=count,
                latest_level=WellbeingLevel(level) if level else None,
                missed_follow_ups=int(missed.get(case_id, 0)),
                concern=ConcernSigns(signs) if signs else None,
                decision=ConcernDecision(decision) if decision else None,
            )
        )
    return result


@guarded
def count_received_cases(notebook: Notebook, case_filter: CaseFilter = CaseFilter()) -> int:
    """How many imported cases match ``case_filter`` (every case is looked at: slower than
    a page at 100,000 cases; count off the UI thread)."""
    where, params = _conditions(case_filter)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    return int(notebook.query(f"SELECT count(*) FROM imported_cases c{clause}", params)[0][0])
