"""Finding cases: the case list's filters, and the search over case codes and notes.

:class:`CaseSearch` is the work behind :meth:`Notebook.find_case_ids
<counsellor_app.core.store.Notebook.find_case_ids>`, on any connection with the notebook's
schema (the benchmark runs it on a plain SQLite database too).
"""

from __future__ import annotations

import collections
import itertools
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlcipher3

from counsellor_app.core.domain import (
    CODE_ALPHABET,
    AgeBand,
    CaseStatus,
    WellbeingLevel,
)


@dataclass(frozen=True)
class CaseSummary:
    """What a list of cases shows for one case (no note text)."""

    id: int
    code: str
    status: CaseStatus
    themes: tuple[str, ...]
    age_band: AgeBand | None
    latest_wellbeing: WellbeingLevel | None
    updated_at: datetime
    next_due: date | None


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the case list; ``None`` means any."""

    status: CaseStatus | None = None
    theme: str | None = None
    wellbeing: WellbeingLevel | None = None
    #: "overdue", "today", "week" or "any" (cases with an open follow-up).
    due: str | None = None


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word must match, as a prefix, a word in the
    notes of one conversation (an index row)."""
    words = [word for word in "".join(ch if ch.isalnum() else " " for ch in text).split()]
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def _code_prefixes(text: str) -> tuple[str, ...]:
    """The starts of a case code as typed ("K-7F3Q", "k7f3", "7F3", "K 7F"): none unless the
    text is one short word (or "K" and one) of code letters."""
    words = text.upper().split()
    if len(words) == 2 and words[0] in ("K", "K-"):
        words = ["K-" + words[1]]
    if len(words) != 1:
        return ()
    word = words[0]
    compact = "".join(ch for ch in word if ch.isalnum())
    if not 2 <= len(compact) <= 7 or any(ch not in CODE_ALPHABET for ch in compact):
        return ()
    if word.startswith("K-"):
        return (f"K-{compact[1:]}",)
    # "K7F" may be the start of K-7F.. (the K typed) or of K-K7F.. (K is a code letter too).
    if compact.startswith("K"):
        return (f"K-{compact[1:]}", f"K-{compact}")
    return (f"K-{compact}",)


class CaseSearch:
    """The work of ``Notebook.find_case_ids`` on one connection (the benchmark runs it on
    a plain database too).

    Two cheap steps instead of one join: the ids of the cases that pass the filter, most
    recently changed first, and the set of cases whose notes (or code) match; the result is
    the first list kept where it is in the set. The filtered order is kept until the
    connection next writes (``total_changes``), so while someone types it costs nothing;
    the note search is one FTS5 query whose rowids carry their case (schema version 2), its
    ids passed back as one JSON array rather than thousands of rows.
    """

    def __init__(self) -> None:
        self._order_key: tuple[Any, ...] | None = None
        self._order: list[int] = []
        self._order_max = 0

    def find(self, connection: Any, text: str, case_filter: CaseFilter) -> list[int]:
        order = self._ordered(connection, case_filter)
        query = fts_query(text)
        if not query:
            return list(order)
        try:
            (found,) = connection.execute(
                "SELECT json_group_array(rowid >> 32) FROM note_index WHERE note_index MATCH ?",
                (query,),
            ).fetchone()
        except sqlcipher3.OperationalError:
            return []  # an FTS syntax the user could not have meant: no results, no crash
        matched: list[int] = json.loads(found)
        prefixes = _code_prefixes(text)
        if prefixes:
            # Codes are stored in capitals: GLOB (unlike LIKE) can use their unique index.
            matched += [
                row[0]
                for row in connection.execute(
                    "SELECT id FROM cases WHERE " + " OR ".join(["code GLOB ?"] * len(prefixes)),
                    [prefix + "*" for prefix in prefixes],
                )
            ]
        if not matched:
            return []
        # One byte per case id rather than a set: filling it and keeping the order by it
        # take a third of the time at 100,000 cases (the loops run in C).
        hit = bytearray(max(self._order_max, max(matched)) + 1)
        collections.deque(map(hit.__setitem__, matched, itertools.repeat(1)), maxlen=0)
        return list(itertools.compress(order, map(hit.__getitem__, order)))

    def _ordered(self, connection: Any, case_filter: CaseFilter) -> list[int]:
        """Ids of the cases passing the filter, most recently changed first."""
        where: list[str] = []
        params: list[Any] = []
        if case_filter.status is not None:
            where.append("c.status = ?")
            params.append(case_filter.status.value)
        if case_filter.theme:
            where.append("EXISTS (SELECT 1 FROM json_each(c.themes) WHERE value = ?)")
            params.append(case_filter.theme)
        if case_filter.wellbeing is not None:
            where.append("c.latest_wellbeing = ?")
            params.append(case_filter.wellbeing.value)
        if case_filter.due:
            today = date.today()
            bounds = {
                "overdue": ("0000-01-01", (today - timedelta(days=1)).isoformat()),
                "today": (today.isoformat(), today.isoformat()),
                "week": (today.isoformat(), (today + timedelta(days=7)).isoformat()),
                "any": ("0000-01-01", "9999-12-31"),
            }[case_filter.due]
            where.append(
                "c.id IN (SELECT f.case_id FROM follow_ups f WHERE f.done = 0 "
                "AND f.due BETWEEN ? AND ?)"
            )
            params += list(bounds)
        sql = "SELECT c.id FROM cases c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.updated_at DESC, c.id DESC"
        # Inside a transaction the order may yet be rolled back: read it, do not keep it.
        key = (connection.total_changes, sql, *params)
        if key != self._order_key or connection.in_transaction:
            self._order = [row[0] for row in connection.execute(sql, params)]
            self._order_max = max(self._order, default=0)
            self._order_key = None if connection.in_transaction else key
        return self._order
