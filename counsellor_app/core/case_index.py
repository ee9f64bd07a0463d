"""The supervisor's cases in memory: the codes of every imported case, read once, so that
a filter change of the case list or the dashboard is counted in Python in milliseconds.

With SQLCipher's memory security on (issue 15: every allocation of SQLite is wiped), a
grouped query over 100,000 imported cases costs hundreds of milliseconds; the same
counting over a compact table of codes costs a few. :class:`CaseIndex` holds, per
imported case, only codes: its id, reference, counsellor, status, days (as day
numbers), theme ids, age band, help system, the first and latest level the import kept,
and per contact, follow-up, concern and alliance their day and codes (of a concern's
reason only whether there is one). No note, no free text.

:func:`case_index` gives the index of a notebook, read anew when the notebook was
written since (an import, a withdrawal, a counsellor's name): call it off the UI thread.
The figures are exactly those of the database's counting
(:func:`~counsellor_app.core.received_cases.received_cases`,
:func:`~counsellor_app.core.received_cases.count_received_cases`,
:func:`~counsellor_app.core.dashboard.dashboard`,
:func:`~counsellor_app.core.oversight.concern_table`,
:func:`~counsellor_app.core.oversight.counsellor_periods`), which stay the reference: the
tests hold the two equal over many filters.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from counsellor_app.core.dashboard import LEVELS, UNKNOWN, Dashboard, Tally, theme_key
from counsellor_app.core.domain import (
    AgeBand,
    CaseStatus,
    ConcernDecision,
    ConcernSigns,
    EntryKind,
    Partner,
    Step,
)
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.oversight import ConcernTable, CounsellorPeriod, zero_cells
from counsellor_app.core.received_cases import PAGE, CaseFilter, CaseRow, Movement
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import (
    SETTLE_BATCH,
    CounsellorInfo,
    ImportedBundleInfo,
    counsellors,
    imported_bundles,
    settle_unscanned_imports,
    stored_steps,
    stored_terms,
)
from counsellor_app.core.taxonomy import taxonomy

_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_RANK_OF = {level.value: rank for level, rank in _RANK.items()}
_NO_LEVEL = -1
#: A day number for "no day" (a case without contacts): before every real day.
_NO_DAY = 0
_LAST_DAY = date.max.toordinal()
#: A case's contacts spanning at most this many days is "short": a case that crosses a
#: period's bound is then found among those that begin this many days before it.
_SHORT = 92
_STEPS = tuple(Step)
_NO_CELL, _SINGLE = 0, 1


def _cell(first: int, latest: int, levels: int) -> int:
    """A case's place in the wellbeing figures: moved from ``first`` to ``latest``, one
    level only, or none (the dashboard's rule)."""
    if levels >= 2 and first != _NO_LEVEL and latest != _NO_LEVEL:
        return 2 + first * len(LEVELS) + latest
    return _SINGLE if levels == 1 else _NO_CELL


def _moved(first: int, latest: int) -> Movement:
    if latest < first:
        return Movement.IMPROVED
    return Movement.WORSE if latest > first else Movement.SAME


class _Ordinals(dict[str, int]):
    """ISO days as day numbers, each parsed once."""

    def __missing__(self, text: str) -> int:
        day = self[text] = date.fromisoformat(text).toordinal()
        return day


def _by_day(counted: Counter[tuple[int, Any]]) -> tuple[list[int], list[dict[Any, int]]]:
    per_day: dict[int, dict[Any, int]] = defaultdict(dict)
    for (day, code), n in counted.items():
        per_day[day][code] = n
    days = sorted(per_day)
    return days, [per_day[day] for day in days]


class _Days:
    """Counts of codes by day, summed from the first day on (per code): the counts of a
    period are two look-ups per code."""

    def __init__(self, counted: Counter[tuple[int, Any]]) -> None:
        days, counts = _by_day(counted)
        self.days = days
        self.codes = sorted({code for per_day in counts for code in per_day}, key=repr)
        self.sums = []
        for code in self.codes:
            running = array("l", [0])
            for per_day in counts:
                running.append(running[-1] + per_day.get(code, 0))
            self.sums.append(running)

    def total(self, start: int, end: int) -> Counter[Any]:
        """The counts of the days from ``start`` to ``end`` (day numbers, inclusive)."""
        first, last = bisect_left(self.days, start), bisect_right(self.days, end)
        return Counter(
            {
                code: sums[last] - sums[first]
                for code, sums in zip(self.codes, self.sums, strict=True)
                if sums[last] != sums[first]
            }
        )


class _Contacts:
    """The contacts of one counsellor (or all) by day: how many, and steps covered,
    summed from the first day on; and where each month begins."""

    def __init__(self, counted: Counter[tuple[int, tuple[Step, ...]]]) -> None:
        per_day: dict[int, list[int]] = {}
        for (day, covered), n in counted.items():
            tally = per_day.get(day)
            if tally is None:
                tally = per_day[day] = [0] * (len(_STEPS) + 1)
            tally[0] += n
            for step in covered:
                tally[1 + _STEPS.index(step)] += n
        self.days = sorted(per_day)
        #: sums[0]: contacts, sums[1 + i]: contacts covering step i, before each day.
        self.sums = [array("l", [0]) for _ in range(len(_STEPS) + 1)]
        for day in self.days:
            for sums, n in zip(self.sums, per_day[day], strict=True):
                sums.append(sums[-1] + n)
        self.months: list[str] = []
        self.month_starts: list[int] = []
        for i, day in enumerate(self.days):
            real = date.fromordinal(day)
            month = f"{real.year:04d}-{real.month:02d}"
            if not self.months or self.months[-1] != month:
                self.months.append(month)
                self.month_starts.append(i)
        self.month_starts.append(len(self.days))


class _Dated:
    """Rows of one code (a follow-up's outcome, a concern's signs and decision, a
    partner) by day: which cases have one in a period."""

    def __init__(self, rows: list[tuple[int, int]]) -> None:
        rows.sort()
        self.days = array("l", (day for day, _p in rows))
        self.cases = array("l", (p for _day, p in rows))

    def between(self, start: int, end: int) -> set[int]:
        """The cases (positions) with a row from ``start`` to ``end``."""
        return set(self.cases[bisect_left(self.days, start) : bisect_right(self.days, end)])


class _Group:
    """The cases of one counsellor (or all) that have contacts, by their first day (the
    cases that begin in a period are a slice), with the codes the figures count."""

    def __init__(self, index: CaseIndex, positions: Iterable[int]) -> None:
        first = index.first
        order = sorted((p for p in positions if first[p] != _NO_DAY), key=first.__getitem__)
        self.cases = array("l", order)
        self.days = array("l", (first[p] for p in order))
        self.themes = array("l", (index.theme_code[p] for p in order))
        self.ages = [index.age[p] for p in order]
        self.help = [index.help[p] for p in order]
        self.cells = array("l", (index.cell[p] for p in order))
        talk_start = index.talk_start
        self.contacts = array("l", [0])
        for p in order:
            self.contacts.append(self.contacts[-1] + talk_start[p + 1] - talk_start[p])
        #: Cases whose contacts span more than :data:`_SHORT` days (looked at apart).
        self.long = [p for p in order if index.latest[p] - first[p] > _SHORT]
        self.whole = self.counts(0, len(order))

    def counts(self, low: int, high: int) -> list[Counter[Any]]:
        """Theme sets, age bands, help systems and wellbeing cells of cases low..high."""
        return [
            Counter(self.themes[low:high]),
            Counter(self.ages[low:high]),
            Counter(self.help[low:high]),
            Counter(self.cells[low:high]),
        ]


def _bounds(period_from: date | None, period_to: date | None) -> tuple[int, int]:
    """The period as day numbers; one that ends before it begins holds no day."""
    start = period_from.toordinal() if period_from else 1
    end = period_to.toordinal() if period_to else _LAST_DAY
    return start, max(end, start - 1)


class CaseIndex:
    """The codes of a supervisor's imported cases, in the case list's order (latest contact
    first, then the latest imported; cases without contacts last). Read-only once made;
    safe to use from any thread. Make it with :func:`case_index`."""

    def __init__(self, notebook: Notebook) -> None:
        self._last: tuple[CaseFilter, Sequence[int]] | None = None
        self._period: tuple[int, int, set[int], list[int]] | None = None
        ordinals = _Ordinals()
        (self.stamp,) = notebook.query("SELECT total_changes()")[0]
        self.known: tuple[CounsellorInfo, ...] = tuple(counsellors(notebook))
        self.labels = {info.counsellor_id: info.label for info in self.known}
        self.last_bundle: dict[str, ImportedBundleInfo] = {}
        for info in imported_bundles(notebook, withdrawn=False):  # last imported first
            self.last_bundle.setdefault(info.counsellor_id, info)
        position = self._cases(notebook, ordinals)
        self._contacts(notebook, position, ordinals)
        self._dated(notebook, position, ordinals)
        self.cell = array(
            "l",
            (
                _cell(self.first_level[p], self.latest_level[p], self.assessed[p])
                for p in range(self.size)
            ),
        )
        self.everyone = _Group(self, range(self.size))
        self.groups = [_Group(self, cases) for cases in self.per_counsellor]
        self._sets()

    def forget_last(self) -> None:
        """Forget the last filter's cases and period kept for the next call (for a
        measurement of a filter change that is not one)."""
        self._last = None
        self._period = None

    # ------------------------------------------------------------------ reading

    def _cases(self, notebook: Notebook, ordinals: _Ordinals) -> dict[int, int]:
        rows = notebook.query(
            "SELECT id, counsellor_id, ref, status, age_band, help_system, themes, first_day, "
            "latest_day, first_level, latest_level, assessed FROM imported_cases"
        )
        rows.sort(key=lambda r: (r[8] is not None, r[8] or "", r[0]), reverse=True)
        self.size = len(rows)
        statuses = {s.value: s for s in CaseStatus}
        strings: dict[str, str] = {}
        theme_codes: dict[str, int] = {}
        #: Per theme code: the case's themes, and as the dashboard counts them.
        self.theme_sets: list[tuple[str, ...]] = []
        self.theme_keys: list[tuple[str, ...]] = []

        def code(text: str) -> int:
            found = theme_codes.get(text)
            if found is None:
                found = theme_codes[text] = len(self.theme_sets)
                themes = stored_terms(text)
                self.theme_sets.append(themes)
                self.theme_keys.append(tuple(theme_key(t) for t in themes))
            return found

        self.ids = array("l", (r[0] for r in rows))
        self.who: dict[str, int] = {}
        self.names: list[str] = []
        for r in rows:
            if r[1] not in self.who:
                self.who[r[1]] = len(self.names)
                self.names.append(r[1])
        self.counsellor = array("l", (self.who[r[1]] for r in rows))
        # The references in one block of text: 100,000 small strings made while the rows
        # are read would each hold on to the memory of the rows around them.
        encoded = [r[2].encode("utf-8") for r in rows]
        self.refs = b"".join(encoded)
        #: Where each reference begins in :attr:`refs` (and, one on, where it ends).
        self.ref_starts = array("l", [0])
        for ref in encoded:
            self.ref_starts.append(self.ref_starts[-1] + len(ref))
        del encoded
        self.status = [statuses[r[3]] for r in rows]
        self.age = [strings.setdefault(r[4] or UNKNOWN, r[4] or UNKNOWN) for r in rows]
        self.help = [strings.setdefault(r[5] or UNKNOWN, r[5] or UNKNOWN) for r in rows]
        self.theme_code = array("l", (code(r[6]) for r in rows))
        self.first = array("l", (ordinals[r[7]] if r[7] else _NO_DAY for r in rows))
        self.latest = array("l", (ordinals[r[8]] if r[8] else _NO_DAY for r in rows))
        # The levels the import kept for all of a case's contacts (schema 15).
        self.first_level = array("b", (_RANK_OF.get(r[9], _NO_LEVEL) for r in rows))
        self.latest_level = array("b", (_RANK_OF.get(r[10], _NO_LEVEL) for r in rows))
        self.assessed = array("l", (r[11] or 0 for r in rows))
        position = {case_id: p for p, case_id in enumerate(self.ids)}
        del rows
        # Each counsellor's cases, in list order.
        self.per_counsellor = [array("l") for _ in self.names]
        for p, n in enumerate(self.counsellor):
            self.per_counsellor[n].append(p)
        return position

    def _contacts(self, notebook: Notebook, position: dict[int, int], ordinals: _Ordinals) -> None:
        """The contacts, by case then day and position: day and level; and per
        counsellor, how many by day and steps covered."""
        talks = [
            (position[case_id], ordinals[day], pos, _RANK_OF.get(level, _NO_LEVEL), steps)
            for case_id, day, pos, level, steps in notebook.query(
                "SELECT case_id, day, position, overall_wellbeing, steps_covered "
                "FROM imported_conversations INDEXED BY imported_conversations_dashboard"
            )
        ]
        talks.sort()
        self.talk_day = array("l", (t[1] for t in talks))
        self.talk_level = array("b", (t[3] for t in talks))
        counts = Counter(t[0] for t in talks)
        counted = Counter((self.counsellor[t[0]], t[1], t[4]) for t in talks)
        del talks
        start = [0] * (self.size + 1)
        for p in range(self.size):
            start[p + 1] = start[p] + counts.get(p, 0)
        self.talk_start = array("l", start)
        per: list[Counter[tuple[int, tuple[Step, ...]]]] = [Counter() for _ in self.names]
        everyone: Counter[tuple[int, tuple[Step, ...]]] = Counter()
        for (n, day, steps), count in counted.items():
            key = (day, stored_steps(steps))
            per[n][key] += count
            everyone[key] += count
        self.contacts_of = [_Contacts(counts) for counts in per]
        self.contacts_all = _Contacts(everyone)

    def _dated(self, notebook: Notebook, position: dict[int, int], ordinals: _Ordinals) -> None:
        """Follow-ups, concerns and alliances: counts by day for the figures, cases by
        code and day for the list's filters, and what a row of the list shows."""
        outcomes = {o.value: o for o in FollowUpOutcome}
        signs_of = {s.value: s for s in ConcernSigns}
        decisions = {d.value: d for d in ConcernDecision}
        partners = {p.value: p for p in Partner}
        kinds = {k.value: str(k) for k in EntryKind}
        counsellor = self.counsellor

        follow = [
            (position[case_id], ordinals[due], outcomes[outcome])
            for case_id, due, outcome in notebook.query(
                "SELECT case_id, due, outcome FROM imported_follow_ups"
            )
        ]
        self.missed = array("l", [0] * self.size)
        for p, _day, outcome in follow:
            if outcome is FollowUpOutcome.MISSED:
                self.missed[p] += 1
        self.follow_rows = self._rows_by_code(follow)
        self.follow_days = self._days(Counter((counsellor[p], d, o) for p, d, o in follow))
        del follow

        concerns = [
            (position[case_id], ordinals[day], signs_of[signs], decisions[decision], pos, empty)
            for case_id, day, pos, signs, decision, empty in notebook.query(
                "SELECT case_id, day, position, signs, decision, trim(reasoning) = '' "
                "FROM imported_concerns"
            )
        ]
        self.concern_rows = self._rows_by_code([(p, d, (s, k)) for p, d, s, k, _n, _e in concerns])
        self.concern_days = self._days(
            Counter((counsellor[p], d, (s, k, bool(e))) for p, d, s, k, _n, e in concerns)
        )
        #: Per case, its latest concern record by day then position (what a row shows).
        self.latest_concern: dict[int, tuple[ConcernSigns, ConcernDecision]] = {}
        for p, _d, s, k, _n, _e in sorted(concerns, key=lambda c: (c[0], c[1], c[4])):
            self.latest_concern[p] = (s, k)
        # Open concerns (whatever the period): a case not closed whose last concern
        # record (by position, the import's order) shows signs.
        last_recorded: dict[int, tuple[int, ConcernSigns]] = {}
        for p, _d, s, _k, pos, _e in concerns:
            if p not in last_recorded or pos > last_recorded[p][0]:
                last_recorded[p] = (pos, s)
        self.open_concerns: Counter[str] = Counter(
            self.names[counsellor[p]]
            for p, (_pos, signs) in last_recorded.items()
            if self.status[p] is not CaseStatus.CLOSED and signs is not ConcernSigns.NO
        )
        del concerns

        alliances = [
            (position[case_id], ordinals[made], partners[partner], kinds.get(kind, UNKNOWN))
            for case_id, made, partner, kind in notebook.query(
                "SELECT case_id, created_on, partner, directory_kind FROM imported_alliances"
            )
        ]
        self.alliance_rows = self._rows_by_code([(p, d, a) for p, d, a, _k in alliances])
        self.alliance_days = self._days(
            Counter((counsellor[p], d, (a, k)) for p, d, a, k in alliances)
        )

    @staticmethod
    def _rows_by_code(rows: list[tuple[int, int, Any]]) -> dict[Any, _Dated]:
        by_code: dict[Any, list[tuple[int, int]]] = defaultdict(list)
        for p, day, code in rows:
            by_code[code].append((day, p))
        return {code: _Dated(items) for code, items in by_code.items()}

    def _days(self, counted: Counter[tuple[int, int, Any]]) -> list[_Days]:
        """Per counsellor, then for all (the last): counts by day and code."""
        per: list[Counter[tuple[int, Any]]] = [Counter() for _ in range(len(self.names) + 1)]
        for (n, day, code), count in counted.items():
            per[n][(day, code)] += count
            per[-1][(day, code)] += count
        return [_Days(counts) for counts in per]

    def _sets(self) -> None:
        """The cases of each value of a field, for the list's filters."""
        size = range(self.size)
        self.all_positions = array("l", size)
        self.with_contacts = {p for p in size if self.latest[p] != _NO_DAY}
        known = {term.id for term in taxonomy().themes}
        self.theme_cases: dict[str, set[int]] = defaultdict(set)
        self.age_cases: dict[str, set[int]] = defaultdict(set)
        self.help_cases: dict[str, set[int]] = defaultdict(set)
        self.latest_cases: dict[int, set[int]] = defaultdict(set)
        self.first_cases: dict[int, set[int]] = defaultdict(set)
        self.moved_cases: dict[Movement, set[int]] = defaultdict(set)
        self.twice: set[int] = set()
        for p in size:
            for theme in self.theme_sets[self.theme_code[p]]:
                self.theme_cases[theme].add(p)
                if theme not in known:
                    self.theme_cases[UNKNOWN].add(p)
            self.age_cases[self.age[p]].add(p)
            self.help_cases[self.help[p]].add(p)
            low, high = self.first_level[p], self.latest_level[p]
            self.latest_cases[high].add(p)
            self.first_cases[low].add(p)
            if self.assessed[p] >= 2:
                self.twice.add(p)
                if _NO_LEVEL not in (low, high):
                    self.moved_cases[_moved(low, high)].add(p)

    # ------------------------------------------------------------------ the period

    def _levels(self, p: int, start: int, end: int) -> tuple[int, int, int, int]:
        """Case ``p``'s contacts in the period: the first and latest level, how many had
        one, and how many there were."""
        first = latest = _NO_LEVEL
        count = talks = 0
        days, levels = self.talk_day, self.talk_level
        for t in range(self.talk_start[p], self.talk_start[p + 1]):
            if start <= days[t] <= end:
                talks += 1
                if (level := levels[t]) != _NO_LEVEL:
                    if not count:
                        first = level
                    latest = level
                    count += 1
        return first, latest, count, talks

    def _in_period(self, p: int, start: int, end: int) -> bool:
        """Whether case ``p`` has a contact in the period."""
        days = self.talk_day
        return any(
            start <= days[t] <= end for t in range(self.talk_start[p], self.talk_start[p + 1])
        )

    def _crossing(self, group: _Group, start: int, end: int) -> tuple[list[int], list[int]]:
        """The cases of ``group`` that cross the period's bounds: those that begin before
        it and end in or after it, and those that begin in it and end after it."""
        first, latest, days, cases = self.first, self.latest, group.days, group.cases
        before: list[int] = []
        after: list[int] = []
        if start > 1:
            low = bisect_left(days, start - _SHORT)
            high = bisect_left(days, start)
            before = [
                p for p in cases[low:high] if latest[p] >= start and latest[p] - first[p] <= _SHORT
            ]
            before += [p for p in group.long if first[p] < start <= latest[p]]
        if end < _LAST_DAY:
            low = bisect_left(days, max(start, end - _SHORT))
            high = bisect_right(days, end)
            after = [
                p for p in cases[low:high] if latest[p] > end and latest[p] - first[p] <= _SHORT
            ]
            after += [p for p in group.long if start <= first[p] <= end < latest[p]]
        return before, after

    def _in(self, start: int, end: int) -> tuple[set[int], list[int]]:
        """The cases wholly in the period, and those that cross its bounds with contacts
        in it (the last period asked is kept)."""
        kept = self._period
        if kept is not None and kept[:2] == (start, end):
            return kept[2], kept[3]
        group = self.everyone
        before, after = self._crossing(group, start, end)
        low, high = bisect_left(group.days, start), bisect_right(group.days, end)
        whole = set(group.cases[low:high])
        whole.difference_update(after)
        partly = [p for p in before + after if self._in_period(p, start, end)]
        self._period = (start, end, whole, partly)
        return whole, partly

    # ------------------------------------------------------------------ the figures

    def figures(
        self,
        period_from: date | None = None,
        period_to: date | None = None,
        counsellor: str | None = None,
    ) -> tuple[Dashboard, ConcernTable, list[CounsellorPeriod]]:
        """The dashboard's figures, its concern table (both of ``counsellor`` or all) and
        every counsellor's period: what the dashboard shows at a filter change."""
        start, end = _bounds(period_from, period_to)
        mine = None if counsellor is None else self.who.get(counsellor, -1)
        tally = Tally()
        # The contacts, by day.
        contacts = self.contacts_all if mine is None else self._contacts_of(mine)
        first, last = bisect_left(contacts.days, start), bisect_right(contacts.days, end)
        if first < last:
            tally.contacts = contacts.sums[0][last] - contacts.sums[0][first]
            for step, sums in zip(_STEPS, contacts.sums[1:], strict=True):
                tally.steps[step] += sums[last] - sums[first]
            month = bisect_right(contacts.month_starts, first) - 1
            while month < len(contacts.months) and contacts.month_starts[month] < last:
                low = max(first, contacts.month_starts[month])
                high = min(last, contacts.month_starts[month + 1])
                tally.per_month[contacts.months[month]] += (
                    contacts.sums[0][high] - contacts.sums[0][low]
                )
                month += 1
            tally.seen(
                date.fromordinal(contacts.days[first]), date.fromordinal(contacts.days[last - 1])
            )
        # The cases: those that begin in the period, less those that end after it, are
        # wholly in it (counted by the codes and levels the import kept); those that
        # cross a bound with contacts in it count by those contacts.
        before, after = self._crossing(self.everyone, start, end)
        work = {}
        for n, group in enumerate(self.groups):
            low, high = bisect_left(group.days, start), bisect_right(group.days, end)
            work[n] = [high - low, group.contacts[high] - group.contacts[low]]
        themes, ages, helps, cells = [Counter[Any]() for _ in range(4)]
        if mine is None or mine >= 0:
            group = self.everyone if mine is None else self.groups[mine]
            low, high = bisect_left(group.days, start), bisect_right(group.days, end)
            counted = (
                group.whole if (low, high) == (0, len(group.days)) else group.counts(low, high)
            )
            themes, ages, helps, cells = (counts.copy() for counts in counted)
            tally.cases = high - low
        talk_start = self.talk_start
        for p in after:
            n = self.counsellor[p]
            work[n][0] -= 1
            work[n][1] -= talk_start[p + 1] - talk_start[p]
            if mine is None or n == mine:
                tally.cases -= 1
                themes[self.theme_code[p]] -= 1
                ages[self.age[p]] -= 1
                helps[self.help[p]] -= 1
                cells[self.cell[p]] -= 1
        for p in before + after:
            low_level, high_level, levels, talks = self._levels(p, start, end)
            if not talks:
                continue
            n = self.counsellor[p]
            work[n][0] += 1
            work[n][1] += talks
            if mine is None or n == mine:
                tally.cases += 1
                themes[self.theme_code[p]] += 1
                ages[self.age[p]] += 1
                helps[self.help[p]] += 1
                cells[_cell(low_level, high_level, levels)] += 1
        for code, n in themes.items():
            if n:
                for theme in self.theme_keys[code]:
                    tally.themes[theme] += n
        for age, n in ages.items():
            tally.ages[age] += n
        for help_system, n in helps.items():
            tally.help_system[help_system] += n
        for cell, n in cells.items():
            if cell == _SINGLE:
                tally.single += n
            elif cell != _NO_CELL:
                low_level, high_level = divmod(cell - 2, len(LEVELS))
                tally.movement[low_level][high_level] += n

        # Alliances, follow-ups and concerns: by their own day.
        def of(days: list[_Days]) -> Counter[Any]:
            if mine is None:
                return days[-1].total(start, end)
            return days[mine].total(start, end) if mine >= 0 else Counter()

        for (partner, kind), n in of(self.alliance_days).items():
            tally.partners[partner] += n
            tally.kinds[kind] += n
        for outcome, n in of(self.follow_days).items():
            tally.outcomes[outcome] += n
        counts, without = zero_cells(), zero_cells()
        for (signs, decision, empty), n in of(self.concern_days).items():
            tally.decisions[decision] += n
            tally.signs[signs] += n
            counts[(signs, decision)] += n
            if empty:
                without[(signs, decision)] += n
        board = tally.dashboard(period_from, period_to, counsellor, self.known)
        table = ConcernTable(period_from, period_to, counsellor, counts, without)
        periods = []
        for info in self.known:
            n = self.who.get(info.counsellor_id, -1)
            cases, talks = work[n] if n >= 0 else (0, 0)
            outcomes = self.follow_days[n].total(start, end) if n >= 0 else Counter()
            periods.append(
                CounsellorPeriod(
                    counsellor_id=info.counsellor_id,
                    label=info.label,
                    cases=cases,
                    contacts=talks,
                    follow_ups={outcome: outcomes.get(outcome, 0) for outcome in FollowUpOutcome},
                    open_concerns=self.open_concerns.get(info.counsellor_id, 0),
                    last_bundle=self.last_bundle.get(info.counsellor_id),
                )
            )
        return board, table, periods

    def _contacts_of(self, n: int) -> _Contacts:
        return self.contacts_of[n] if n >= 0 else _Contacts(Counter())

    def dashboard(
        self,
        period_from: date | None = None,
        period_to: date | None = None,
        counsellor: str | None = None,
    ) -> Dashboard:
        """:func:`~counsellor_app.core.dashboard.dashboard`, from memory."""
        return self.figures(period_from, period_to, counsellor)[0]

    def concern_table(
        self,
        period_from: date | None = None,
        period_to: date | None = None,
        counsellor: str | None = None,
    ) -> ConcernTable:
        """:func:`~counsellor_app.core.oversight.concern_table`, from memory."""
        return self.figures(period_from, period_to, counsellor)[1]

    def counsellor_periods(
        self,
        period_from: date | None = None,
        period_to: date | None = None,
        counsellor: str | None = None,
    ) -> list[CounsellorPeriod]:
        """:func:`~counsellor_app.core.oversight.counsellor_periods`, from memory."""
        periods = self.figures(period_from, period_to)[2]
        return [c for c in periods if counsellor in (None, c.counsellor_id)]

    # ------------------------------------------------------------------ the list

    def _matching(self, case_filter: CaseFilter) -> Sequence[int]:
        """The positions of the cases ``case_filter`` lists, in the list's order (the
        rules of :mod:`counsellor_app.core.received_cases`), as sets of cases narrowed
        one field after another."""
        last = self._last
        if last is not None and last[0] == case_filter:
            return last[1]
        f = case_filter
        start, end = _bounds(f.period_from, f.period_to)
        period = f.period_from is not None or f.period_to is not None
        chosen: set[int] | None = None

        def narrow(cases: set[int]) -> None:
            nonlocal chosen
            # Never changed in place: a set of the index may stand for the cases chosen.
            chosen = cases if chosen is None else chosen & cases

        if f.follow_up is not None:
            narrow(self._dated_cases(self.follow_rows, (f.follow_up,), start, end))
        if f.concern is not None or f.decision is not None:
            cells = [
                cell
                for cell in self.concern_rows
                if f.concern in (None, cell[0]) and f.decision in (None, cell[1])
            ]
            narrow(self._dated_cases(self.concern_rows, cells, start, end))
        if f.partner is not None:
            narrow(self._dated_cases(self.alliance_rows, (f.partner,), start, end))
        if f.theme is not None:
            narrow(self.theme_cases.get(f.theme, set()))
        if f.age_band is not None:
            narrow(self.age_cases.get(f.age_band, set()))
        if f.help_system is not None:
            narrow(self.help_cases.get(f.help_system, set()))
        if f.level is not None or f.first_level is not None or f.movement is not None:
            narrow(self._by_levels(f, start, end, period))
        if f.needs_contact:
            if not period:
                narrow(self.with_contacts)
            elif chosen is None:
                whole, partly = self._in(start, end)
                chosen = whole.union(partly)
            else:
                whole, partly = self._in(start, end)
                chosen = (chosen & whole).union(p for p in partly if p in chosen)
        if f.counsellor is not None:
            n = self.who.get(f.counsellor)
            mine = array("l") if n is None else self.per_counsellor[n]
            found = mine if chosen is None else [p for p in mine if p in chosen]
        else:
            found = self.all_positions if chosen is None else sorted(chosen)
        self._last = (case_filter, found)
        return found

    @staticmethod
    def _dated_cases(
        rows: dict[Any, _Dated], codes: Iterable[Any], start: int, end: int
    ) -> set[int]:
        chosen: set[int] = set()
        for code in codes:
            if code in rows:
                chosen |= rows[code].between(start, end)
        return chosen

    def _by_levels(self, f: CaseFilter, start: int, end: int, period: bool) -> set[int]:
        """The cases whose levels in the period match ``f``: those wholly in it by the
        levels the import kept, those crossing its bounds by their contacts in it."""
        sets = []
        if f.level is not None:
            sets.append(self.latest_cases.get(_RANK[f.level], set()))
        if f.first_level is not None:
            sets.append(self.first_cases.get(_RANK[f.first_level], set()))
        if f.movement is not None:
            sets.append(self.moved_cases.get(f.movement, set()))
        elif f.first_level is not None:
            sets.append(self.twice)
        sets.sort(key=len)
        kept = sets[0].intersection(*sets[1:])
        if not period:
            return kept & self.with_contacts
        whole, partly = self._in(start, end)
        kept &= whole
        for p in partly:
            low, high, count, _talks = self._levels(p, start, end)
            if f.level is not None and (count < 1 or high != _RANK[f.level]):
                continue
            if (f.first_level is not None or f.movement is not None) and count < 2:
                continue
            if f.first_level is not None and low != _RANK[f.first_level]:
                continue
            if f.movement is not None and (
                _NO_LEVEL in (low, high) or _moved(low, high) is not f.movement
            ):
                continue
            kept.add(p)
        return kept

    def count(self, case_filter: CaseFilter | None = None) -> int:
        """:func:`~counsellor_app.core.received_cases.count_received_cases`, from memory."""
        return len(self._matching(case_filter or CaseFilter()))

    def cases(
        self,
        case_filter: CaseFilter | None = None,
        *,
        limit: int = PAGE,
        after: tuple[str | None, int] | None = None,
    ) -> list[CaseRow]:
        """:func:`~counsellor_app.core.received_cases.received_cases`, from memory."""
        ps = self._matching(case_filter or CaseFilter())
        begin = 0
        if after is not None:
            day, last_id = after
            cursor = (day is not None, date.fromisoformat(day).toordinal() if day else 0, last_id)
            latest, ids = self.latest, self.ids

            def before_cursor(p: int) -> bool:  # the list's order is this key's, descending
                return (latest[p] != _NO_DAY, latest[p], ids[p]) < cursor

            begin = bisect_left(ps, True, key=before_cursor)
        return [self._row(p) for p in ps[begin : begin + limit]]

    def _row(self, p: int) -> CaseRow:
        name = self.names[self.counsellor[p]]
        latest_level = None
        for t in range(self.talk_start[p + 1] - 1, self.talk_start[p] - 1, -1):
            if self.talk_level[t] != _NO_LEVEL:
                latest_level = LEVELS[self.talk_level[t]]
                break
        concern = self.latest_concern.get(p)
        first, latest = self.first[p], self.latest[p]
        return CaseRow(
            id=self.ids[p],
            counsellor_id=name,
            counsellor_label=self.labels.get(name, ""),
            ref=self.refs[self.ref_starts[p] : self.ref_starts[p + 1]].decode("utf-8"),
            status=self.status[p],
            age_band=AgeBand(self.age[p]) if self.age[p] != UNKNOWN else None,
            themes=self.theme_sets[self.theme_code[p]],
            first_day=date.fromordinal(first) if first != _NO_DAY else None,
            latest_day=date.fromordinal(latest) if latest != _NO_DAY else None,
            contacts=self.talk_start[p + 1] - self.talk_start[p],
            latest_level=latest_level,
            missed_follow_ups=self.missed[p],
            concern=concern[0] if concern else None,
            decision=concern[1] if concern else None,
        )


_INDEXES: weakref.WeakKeyDictionary[Notebook, CaseIndex] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@guarded
def case_index(notebook: Notebook) -> CaseIndex:
    """The index of ``notebook``'s imported cases: the one read before while nothing was
    written to the notebook since, else read now (seconds at 100,000 cases: call it off
    the UI thread)."""
    with _LOCK:
        index = _INDEXES.get(notebook)
        if index is not None:
            (stamp,) = notebook.query("SELECT total_changes()")[0]
            if stamp == index.stamp:
                return index
        index = CaseIndex(notebook)
        _INDEXES[notebook] = index
        return index


@guarded
def settle_keeping_index(notebook: Notebook, limit: int = SETTLE_BATCH) -> int:
    """:func:`~counsellor_app.core.supervision.settle_unscanned_imports` (the window's
    background pass over cases an older version imported unscanned), keeping the index
    read before it: the pass changes texts and the count of replacements, never the codes
    the index holds, so the next filter change need not read every case again (seconds at
    100,000). The counsellors' counts of replacements are read again when it ends."""
    with _LOCK:
        index = _INDEXES.get(notebook)
        if index is not None and notebook.query("SELECT total_changes()")[0][0] != index.stamp:
            index = None  # out of date anyway: read again when next asked
        settled = settle_unscanned_imports(notebook, limit)
        if index is not None:
            # Only imports and withdrawals write what the index holds, on the notebook
            # lane as this pass does: a write on another lane meanwhile changed none of it.
            if settled < limit:  # the last batch: the counts it changed
                index.known = tuple(counsellors(notebook))
            (index.stamp,) = notebook.query("SELECT total_changes()")[0]
        return settled
