"""The supervisor's oversight: each counsellor's period, and concern signs against decisions.

Two views over the imported (de-identified) cases of a supervisor's notebook, counted by
the rules of :mod:`counsellor_app.core.dashboard` (a contact is a conversation on a day
in the period; a case counts when it has a contact in the period; follow-ups count by
their due day, concerns by their day):

* :func:`counsellor_periods`: per counsellor, the cases and contacts in the period, the
  follow-ups due in it and how they were kept, the concerns still open and the last
  bundle received (from the import history, :func:`~.supervision.imported_bundles`);
* :func:`concern_table`: concern records by their signs and their decision, with how many
  give no reason, so that "signs of serious risk, no notification and no reason" stands
  out (:attr:`ConcernTable.unexplained`).

Both count in the database; :func:`compute_concern_table` is the table's rule written
plainly over bundle cases, which the tests hold :func:`concern_table` to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from counsellor_app.core.domain import CaseStatus, ConcernDecision, ConcernSigns
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import (
    ImportedBundleInfo,
    counsellors,
    imported_bundles,
)

#: The decisions that act on signs of serious risk: a notification to the municipality,
#: or the caller sent to emergency help. Any other decision on such signs needs a reason.
ACTING_DECISIONS = frozenset(
    {ConcernDecision.NOTIFICATION_MADE, ConcernDecision.REFERRED_TO_EMERGENCY_HELP}
)

Cell = tuple[ConcernSigns, ConcernDecision]


def _within(day: date, period_from: date | None, period_to: date | None) -> bool:
    return (period_from is None or day >= period_from) and (period_to is None or day <= period_to)


def _period_sql(
    column: str, period_from: date | None, period_to: date | None
) -> tuple[str, list[str]]:
    """A SQL condition keeping the ISO days of ``column`` in the period (days sort as text)."""
    terms, params = ["1"], []
    if period_from is not None:
        terms.append(f"{column} >= ?")
        params.append(period_from.isoformat())
    if period_to is not None:
        terms.append(f"{column} <= ?")
        params.append(period_to.isoformat())
    return " AND ".join(terms), params


# ---------------------------------------------------------------------------- concern table


def zero_cells() -> dict[Cell, int]:
    """Every (signs, decision) cell of the table, at 0."""
    return {(signs, decision): 0 for signs in ConcernSigns for decision in ConcernDecision}


def needs_notice(signs: ConcernSigns, decision: ConcernDecision) -> bool:
    """Whether a concern with these signs and this decision must at least give a reason:
    signs of serious risk met by neither a notification nor emergency help."""
    return signs is ConcernSigns.YES and decision not in ACTING_DECISIONS


@dataclass(frozen=True)
class ConcernTable:
    """Concern records of the period by signs (rows) and decision (columns). Every pair of
    codes is present, with 0 where none."""

    period_from: date | None
    period_to: date | None
    counsellor: str | None
    #: (signs, decision) -> concern records.
    counts: dict[Cell, int] = field(default_factory=zero_cells)
    #: (signs, decision) -> those of them whose reason is empty.
    without_reason: dict[Cell, int] = field(default_factory=zero_cells)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def flagged(self, signs: ConcernSigns, decision: ConcernDecision) -> bool:
        """Whether the cell holds concerns with signs of serious risk, no notification and
        no reason (the cell a supervisor must see)."""
        return needs_notice(signs, decision) and self.without_reason[(signs, decision)] > 0

    @property
    def serious_without_notification(self) -> int:
        """Concerns with signs of serious risk met by neither a notification nor emergency
        help (with or without a reason)."""
        return sum(n for (s, d), n in self.counts.items() if needs_notice(s, d))

    @property
    def unexplained(self) -> int:
        """Concerns with signs of serious risk, no notification and no reason."""
        return sum(n for (s, d), n in self.without_reason.items() if needs_notice(s, d))

    def sentence(self) -> str:
        """The count that must stand out, in words (the dashboard and the report say it)."""
        if not self.unexplained:
            return _(
                "No concern with signs of serious risk is without both a notification and a reason."
            )
        return ngettext(
            "{n} concern with signs of serious risk has no notification and no reason.",
            "{n} concerns with signs of serious risk have no notification and no reason.",
            self.unexplained,
        ).format(n=self.unexplained)


def compute_concern_table(
    cases: list[BundleCase[str]],
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
) -> ConcernTable:
    """The table over ``cases`` (bundle cases with their texts), plainly: the definition
    :func:`concern_table` is held to. A reason of only spaces is no reason."""
    counts, without = zero_cells(), zero_cells()
    for case in cases:
        for concern in case.concerns:
            if _within(concern.day, period_from, period_to):
                counts[(concern.signs, concern.decision)] += 1
                if not concern.reasoning.strip():
                    without[(concern.signs, concern.decision)] += 1
    return ConcernTable(period_from, period_to, counsellor, counts, without)


@guarded
def concern_table(
    notebook: Notebook,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
) -> ConcernTable:
    """The concern records of a supervisor's notebook in the period (days inclusive; None
    leaves that end open), of one counsellor or all, by signs and decision."""
    where, params = _period_sql("day", period_from, period_to)
    if counsellor is not None:
        where += " AND case_id IN (SELECT id FROM imported_cases WHERE counsellor_id = ?)"
        params.append(counsellor)
    counts, without = zero_cells(), zero_cells()
    for signs, decision, count, empty in notebook.query(
        "SELECT signs, decision, count(*), total(trim(reasoning) = '') "
        f"FROM imported_concerns WHERE {where} GROUP BY signs, decision",
        params,
    ):
        cell = (ConcernSigns(signs), ConcernDecision(decision))
        counts[cell] += int(count)
        without[cell] += int(empty)
    return ConcernTable(period_from, period_to, counsellor, counts, without)


# ---------------------------------------------------------------------------- per counsellor


@dataclass(frozen=True)
class CounsellorPeriod:
    """One counsellor's period, as the supervisor's notebook holds it."""

    counsellor_id: str
    #: The supervisor's own label for the counsellor ("" if none given).
    label: str
    #: Cases with a contact in the period, and those contacts.
    cases: int
    contacts: int
    #: Follow-ups due in the period, by how they stood when the bundle was made.
    follow_ups: dict[FollowUpOutcome, int]
    #: Cases not closed whose latest concern record shows signs (serious or unsure), as
    #: the latest bundle had them: whatever the period, they are open now.
    open_concerns: int
    #: The last bundle received from the counsellor that still counts (None: none).
    last_bundle: ImportedBundleInfo | None

    @property
    def display_name(self) -> str:
        """The supervisor's label, else the pseudonymous id."""
        return self.label or self.counsellor_id

    @property
    def follow_ups_due(self) -> int:
        """Follow-ups whose due day has come (kept on time, late or missed)."""
        return sum(
            n for outcome, n in self.follow_ups.items() if outcome != FollowUpOutcome.PENDING
        )

    @property
    def follow_ups_kept(self) -> int:
        """Follow-ups kept, on time or late."""
        return self.follow_ups[FollowUpOutcome.ON_TIME] + self.follow_ups[FollowUpOutcome.LATE]


def _work_per_counsellor(
    notebook: Notebook, period_from: date | None, period_to: date | None
) -> dict[str, tuple[int, int]]:
    """Per counsellor, the cases with a contact in the period and those contacts.

    Read from indexes alone, in the order they group by (schema 16), never from the
    contacts' rows (the notes): a case whose contacts all lie in the period counts with
    the number of contacts it keeps; only a case partly in the period has its contacts in
    it looked up (by case and day). The rule is the dashboard's."""
    start, end = (None if day is None else day.isoformat() for day in (period_from, period_to))
    bounds = [day for day in (start, end) if day is not None]
    whole = ["first_day IS NOT NULL"]
    whole += [] if start is None else ["first_day >= ?"]
    whole += [] if end is None else ["latest_day <= ?"]
    work: dict[str, tuple[int, int]] = {}
    for who, cases, contacts in notebook.query(
        "SELECT counsellor_id, count(*), total(contacts) FROM imported_cases "
        f"INDEXED BY imported_cases_counsellor_period WHERE {' AND '.join(whole)} "
        "GROUP BY counsellor_id",
        bounds,
    ):
        work[who] = (int(cases), int(contacts))
    if not bounds:
        return work
    span = [] if end is None else ["first_day <= ?"]
    span += [] if start is None else ["latest_day >= ?"]
    outside = [] if start is None else ["first_day < ?"]
    outside += [] if end is None else ["latest_day > ?"]
    within, params = _period_sql("day", period_from, period_to)
    for who, cases, contacts in notebook.query(
        "WITH p AS MATERIALIZED ("
        "  SELECT case_id, count(*) AS contacts FROM imported_conversations "
        "  INDEXED BY imported_conversations_levels WHERE case_id IN ("
        "    SELECT id FROM imported_cases INDEXED BY imported_cases_latest "
        f"   WHERE {' AND '.join(span)} AND ({' OR '.join(outside)})"
        f"  ) AND {within} GROUP BY case_id"
        ") SELECT c.counsellor_id, count(*), total(p.contacts) "
        "FROM p JOIN imported_cases c ON c.id = p.case_id GROUP BY c.counsellor_id",
        [*reversed(bounds), *bounds, *params],
    ):
        before = work.get(who, (0, 0))
        work[who] = (before[0] + int(cases), before[1] + int(contacts))
    return work


#: A case's concern is open while the case is not closed and its latest record shows signs.
_OPEN_CONCERNS = (
    "SELECT c.counsellor_id, count(*) FROM imported_cases c "
    "JOIN imported_concerns k ON k.case_id = c.id "
    "AND k.position = (SELECT max(position) FROM imported_concerns WHERE case_id = c.id) "
    "WHERE c.status != ? AND k.signs != ? GROUP BY c.counsellor_id"
)


@guarded
def counsellor_periods(
    notebook: Notebook,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
) -> list[CounsellorPeriod]:
    """Per counsellor known from imports (or only ``counsellor``), by label then id: the
    cases and contacts in the period, the follow-ups due in it, the open concerns and the
    last bundle received. Counted in a few grouped queries however many cases there are.
    """
    known = [c for c in counsellors(notebook) if counsellor in (None, c.counsellor_id)]
    work = _work_per_counsellor(notebook, period_from, period_to)
    due, params = _period_sql("f.due", period_from, period_to)
    # The cases walked in counsellor order, each one's follow-ups found by case and due
    # day in their index (schema 16), one sum per outcome: nothing is sorted.
    kinds = list(FollowUpOutcome)
    sums = ", ".join("total(f.outcome = ?)" for _ in kinds)
    outcomes: dict[str, dict[FollowUpOutcome, int]] = {}
    for who, *counts in notebook.query(
        f"SELECT c.counsellor_id, {sums} FROM imported_cases c "
        "INDEXED BY imported_cases_counsellor_period "
        f"JOIN imported_follow_ups f ON f.case_id = c.id WHERE {due} GROUP BY c.counsellor_id",
        [*(kind.value for kind in kinds), *params],
    ):
        outcomes[who] = {kind: int(count) for kind, count in zip(kinds, counts, strict=True)}
    open_concerns = {
        row[0]: int(row[1])
        for row in notebook.query(_OPEN_CONCERNS, (CaseStatus.CLOSED.value, ConcernSigns.NO.value))
    }
    last: dict[str, ImportedBundleInfo] = {}
    for info in imported_bundles(notebook, counsellor, withdrawn=False):  # last imported first
        last.setdefault(info.counsellor_id, info)
    return [
        CounsellorPeriod(
            counsellor_id=info.counsellor_id,
            label=info.label,
            cases=work.get(info.counsellor_id, (0, 0))[0],
            contacts=work.get(info.counsellor_id, (0, 0))[1],
            follow_ups={
                outcome: outcomes.get(info.counsellor_id, {}).get(outcome, 0)
                for outcome in FollowUpOutcome
            },
            open_concerns=open_concerns.get(info.counsellor_id, 0),
            last_bundle=last.get(info.counsellor_id),
        )
        for info in known
    ]


def counsellor_period(
    notebook: Notebook,
    counsellor_id: str,
    period_from: date | None = None,
    period_to: date | None = None,
) -> CounsellorPeriod:
    """One counsellor's period (see :func:`counsellor_periods`); KeyError when no bundle
    or key card of theirs is known."""
    found = counsellor_periods(notebook, period_from, period_to, counsellor_id)
    if not found:
        raise KeyError(counsellor_id)
    return found[0]
