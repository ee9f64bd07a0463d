"""Finding cases: the case list's filters, and the search over case codes and notes.

:class:`CaseSearch` is the work behind :meth:`Notebook.find_case_ids
<counsellor_app.core.store.Notebook.find_case_ids>`, on any connection with the notebook's
schema (the benchmark runs it on a plain SQLite database too).
"""

from __future__ import annotations

import collections
import contextlib
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
    #: A concern with signs of serious risk was recorded on the case (marked in lists).
    serious_risk: bool = False


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


#: How many cases, from the top of the list, the search keeps a small index of: a search
#: that finds a screenful among them reads nothing else (see :class:`CaseSearch`).
WINDOW = 1000

#: At most this many cases are added to the window's index in one search (a keystroke);
#: :meth:`CaseSearch.prepare` adds a whole window at once (after an unlock).
WINDOW_STEP = 64

#: At most this many cases changed since the list's order was read are moved in it where
#: they now belong (more, and the order is read anew).
ORDER_MOVES = 64

#: The cases whose place in the list (or whether a filter keeps them) may have changed
#: since the order was read: what :meth:`CaseSearch._ordered` brings up to date.
_ORDER_SCHEMA = (
    "CREATE TEMP TABLE IF NOT EXISTS order_changed (case_id INTEGER)",
    *(
        f"CREATE TEMP TRIGGER IF NOT EXISTS order_changed_{table}_{event[0]} "
        f"AFTER {event} ON main.{table} BEGIN "
        + "".join(f"INSERT INTO order_changed VALUES ({row}.{column}); " for row in rows)
        + "END"
        for table, column in (("cases", "id"), ("follow_ups", "case_id"))
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new")))
    ),
)

#: How many searches, each narrowing the one before, are kept for letters deleted again.
TYPED = 16

#: The columns and tokenizer of ``note_index`` (schema version 2), so that the window's
#: index finds exactly what the notebook's finds. (Its prefixes of three letters are kept
#: too: "sko", "mor" are read from one list instead of merging every word they start.)
_INDEX_COLUMNS = "note_listen, note_advise, note_alliances, note_follow_up"
_WINDOW_SCHEMA = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_window USING fts5 ({_INDEX_COLUMNS}, "
    "content = '', contentless_delete = 1, detail = column, prefix = '1 2 3', "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TEMP TABLE IF NOT EXISTS search_changed (case_id INTEGER)",
    # (On main.conversations: dropping the temp tables would leave them in place.)
    "CREATE TEMP TRIGGER IF NOT EXISTS search_changed_ai "
    "AFTER INSERT ON main.conversations BEGIN "
    "INSERT INTO search_changed VALUES (new.case_id); END",
    "CREATE TEMP TRIGGER IF NOT EXISTS search_changed_ad "
    "AFTER DELETE ON main.conversations BEGIN "
    "INSERT INTO search_changed VALUES (old.case_id); END",
    "CREATE TEMP TRIGGER IF NOT EXISTS search_changed_au "
    f"AFTER UPDATE OF id, case_id, {_INDEX_COLUMNS} ON main.conversations BEGIN "
    "INSERT INTO search_changed VALUES (old.case_id); "
    "INSERT INTO search_changed VALUES (new.case_id); END",
)


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text).split()


def narrows(previous: str, text: str) -> bool:
    """Whether every case ``text`` finds is one that ``previous`` finds: each word typed
    before is still the start of the word in its place (more letters, or words, added), and
    a case code typed is a longer start of the code typed before."""
    old, new = _words(previous), _words(text)
    if not old or len(new) < len(old):
        return False
    if not all(n.startswith(o) for o, n in zip(old, new, strict=False)):
        return False
    old_codes, new_codes = _code_prefixes(previous), _code_prefixes(text)
    return all(any(n.startswith(o) for o in old_codes) for n in new_codes)


@dataclass
class CaseMatches:
    """The cases matching one search, in the case list's order, found only as far as they
    are asked for (:meth:`Notebook.search_cases
    <counsellor_app.core.store.Notebook.search_cases>`): a screenful first, the rest when
    the list scrolls or the number is wanted."""

    text: str
    case_filter: CaseFilter
    #: The ids found so far, in order (every match when :attr:`complete`).
    ids: list[int]
    #: Whether :attr:`ids` holds every match.
    complete: bool
    #: The cases that may still match, in order, and how far they have been looked at.
    _candidates: list[int]
    _position: int
    _key: tuple[Any, ...]

    @property
    def countable(self) -> bool:
        """Whether their number is known without finding the rest: all found, or every
        case of the notebook (nothing searched or filtered: the notebook keeps the count)."""
        return self.complete or (not fts_query(self.text) and self.case_filter == CaseFilter())


class CaseSearch:
    """The work of ``Notebook.find_case_ids`` and ``Notebook.search_cases`` on one
    connection (the benchmark runs it on a plain database too).

    :meth:`find`, every match: two cheap steps instead of one join: the ids of the cases
    that pass the filter, most recently changed first, and the set of cases whose notes (or
    code) match; the result is the first list kept where it is in the set. The filtered
    order is kept until the connection next writes (``total_changes``), so while someone
    types it costs nothing; the note search is one FTS5 query whose rowids carry their case
    (schema version 2), its ids passed back as one JSON array rather than thousands of rows.

    :meth:`start`, a screenful first (as mail clients do): the notes of the first
    :data:`WINDOW` cases of the list are kept in a small in-memory index of their own
    (``temp.search_window``, on this connection only; triggers note which cases' notes
    change, and those are indexed again before the next search). A search that finds a
    screenful there is done without reading the notebook's index, whose lists for a
    one-letter word hold nearly every conversation; one that does not is rare enough that
    the notebook's index has little to read. A search whose text extends the one before
    (a word being typed) looks only at the cases the one before found or had not yet
    looked at. The rest, and the count, are found when asked for (:meth:`more`).
    """

    #: How many cases from the top of the list the window's index holds.
    window = WINDOW

    def __init__(self) -> None:
        self._order_key: tuple[Any, ...] | None = None
        self._order: list[int] = []
        self._order_max = 0
        #: Changes this search made itself (its temp tables), not counted as the notebook's.
        self._own_changes = 0
        self._window_made = False
        self._indexed: set[int] = set()
        #: Words no note holds (see :meth:`_absent`), and the change count they hold for.
        self._absent_words: tuple[int | None, set[str]] = (None, set())
        #: The searches typed since the field was empty, each narrowing the one before.
        self._typed: list[CaseMatches] = []
        self._codes: tuple[tuple[str, int] | None, list[int]] = (None, [])

    def find(self, connection: Any, text: str, case_filter: CaseFilter) -> list[int]:
        """Every case matching ``text`` and ``case_filter``, most recently changed first."""
        order = self._ordered(connection, case_filter)
        query = fts_query(text)
        if not query:
            return list(order)
        return self._matching(connection, text, query, order)

    def _matching(
        self,
        connection: Any,
        text: str,
        query: str,
        candidates: list[int],
        case_filter: CaseFilter | None = None,
        examined: list[int] | None = None,
    ) -> list[int]:
        """The candidates (in their order) whose notes or code match, from the notebook's
        own index. With ``case_filter``, the candidates are the whole list under it now
        but the ``examined`` ones: few matches are then put in order by SQLite rather
        than by a walk over every case."""
        if not candidates:
            return []
        words = _words(text)
        try:
            if self._known_absent(connection, words) or self._in_no_note(connection, words):
                found = "[]"
            else:
                (found,) = connection.execute(
                    "SELECT json_group_array(rowid >> 32) FROM note_index WHERE note_index MATCH ?",
                    (query,),
                ).fetchone()
                if found == "[]" and len(words) == 1:
                    self._absent(connection).add(words[0])
        except sqlcipher3.OperationalError:
            return []  # an FTS syntax the user could not have meant: no results, no crash
        matched: list[int] = json.loads(found)
        matched += self._code_matches(connection, text)
        if not matched:
            return []
        # Few matches: SQLite puts them in order (a look-up each, about 3 µs); more: the
        # walk below over the candidates in C (about 20 ns each) is quicker.
        if case_filter is not None and len(matched) * 128 < len(candidates):
            where, params = _filter_sql(case_filter)
            rows = connection.execute(
                "SELECT c.id, c.updated_at FROM cases c "
                "WHERE c.id IN (SELECT value FROM json_each(?))"
                + "".join(" AND " + condition for condition in where),
                [json.dumps(matched), *params],
            ).fetchall()
            rows.sort(key=lambda row: (row[1], row[0]), reverse=True)  # the list's order
            seen = set(examined or ())
            return [row[0] for row in rows if row[0] not in seen]
        # One byte per case id rather than a set: filling it and keeping the order by it
        # take a third of the time at 100,000 cases (the loops run in C).
        # (The candidates are some of the list's cases: none above its largest id.)
        hit = bytearray(max(self._order_max, max(matched)) + 1)
        collections.deque(map(hit.__setitem__, matched, itertools.repeat(1)), maxlen=0)
        return list(itertools.compress(candidates, map(hit.__getitem__, candidates)))

    def _in_no_note(self, connection: Any, words: list[str]) -> bool:
        """Whether one of several ``words`` is in no note at all (then no note holds them
        all). A word in no note of the window's index is looked up alone in the notebook's:
        a case code being typed ("K-7F") would have the notebook's index read the long
        lists of every word that starts with "k" only to find that none starts with "7f"."""
        if len(words) < 2 or not self._window_made:
            return False
        for word in words:
            query = fts_query(word)
            try:
                in_window = connection.execute(
                    "SELECT 1 FROM temp.search_window WHERE search_window MATCH ? LIMIT 1",
                    (query,),
                ).fetchone()
            except sqlcipher3.OperationalError:
                return False  # no window to ask (whatever the reason): the whole query says
            if not in_window:
                if connection.execute(
                    "SELECT 1 FROM note_index WHERE note_index MATCH ? LIMIT 1", (query,)
                ).fetchone():
                    return False
                self._absent(connection).add(word)
                return True
        return False

    def _absent(self, connection: Any) -> set[str]:
        """Words (as typed) the notebook's index was found not to hold, since its last
        change: nothing starting with them is in a note either."""
        if connection.in_transaction:
            return set()  # what a transaction sees may yet be rolled back: not kept
        key = connection.total_changes - self._own_changes
        if self._absent_words[0] != key:
            self._absent_words = (key, set())
        return self._absent_words[1]

    def _known_absent(self, connection: Any, words: list[str]) -> bool:
        """Whether a word being typed on is one the notebook's index was found not to
        hold ("K-7F" then "K-7FQ": the index is not read again for "7FQ")."""
        absent = self._absent(connection)
        return any(word.startswith(gone) for word in words for gone in absent)

    def _code_matches(self, connection: Any, text: str) -> list[int]:
        prefixes = _code_prefixes(text)
        if not prefixes:
            return []
        # A search asks twice (its window, then the rest): the answer is kept until a write.
        key = (text, connection.total_changes)
        if self._codes[0] == key:
            return self._codes[1]
        # Codes are stored in capitals: GLOB (unlike LIKE) can use their unique index.
        # (One JSON array rather than a row per case: "K-H" is the start of 3,000 codes
        # at 100,000 cases.)
        (found_json,) = connection.execute(
            "SELECT json_group_array(id) FROM cases WHERE "
            + " OR ".join(["code GLOB ?"] * len(prefixes)),
            [prefix + "*" for prefix in prefixes],
        ).fetchone()
        found: list[int] = json.loads(found_json)
        if not connection.in_transaction:
            self._codes = (key, found)
        return found

    # ------------------------------------------------------------ a screenful first

    def start(self, connection: Any, text: str, case_filter: CaseFilter, want: int) -> CaseMatches:
        """The matches of ``text`` and ``case_filter``: at least the first ``want`` (all of
        them when there are fewer), the rest left for :meth:`more`."""
        query = fts_query(text)
        if not query:
            self._typed = []
        if not query and not self._order_known(connection, case_filter):
            # The whole list, its order not read yet (an unlock, a filter changed, a write):
            # its top only, from the index of the order; the rest when asked for.
            where, params = _filter_sql(case_filter)
            sql = "SELECT c.id FROM cases c"
            if where:
                sql += " WHERE " + " AND ".join(where)
            sql += " ORDER BY c.updated_at DESC, c.id DESC LIMIT ?"
            top = [row[0] for row in connection.execute(sql, [*params, want + 1])]
            if len(top) <= want:
                return CaseMatches(text, case_filter, top, True, top, len(top), (None,))
            return CaseMatches(text, case_filter, top[:want], False, [], 0, (None,))
        order = self._ordered(connection, case_filter)
        key = (self._order_key, connection.total_changes - self._own_changes)
        if not query:  # the whole list: its top, the rest when asked for (see _finish)
            top = order[:want]
            return CaseMatches(text, case_filter, top, len(top) == len(order), order, 0, key)
        # The searches typed since the field was last empty, each narrowing the one before:
        # a letter deleted goes back to one of them; a letter typed narrows the last.
        typed = [m for m in self._typed if m._key == key and m.case_filter == case_filter]
        while typed and not (typed[-1].text == text or narrows(typed[-1].text, text)):
            typed.pop()
        self._typed = typed
        if typed and typed[-1].text == text and key[0] is not None:
            found = typed[-1]
            if len(found.ids) < want and not found.complete:
                self._finish(connection, found)
            return found
        candidates = order
        last = typed[-1] if typed else None
        if last is not None:
            # The word is being typed: what the last search ruled out stays out.
            candidates = last.ids + last._candidates[last._position :]
        matches = CaseMatches(text, case_filter, [], False, candidates, 0, key)
        if not connection.in_transaction and (len(candidates) > want or candidates is not order):
            self._from_window(connection, matches, query, order)
        if len(matches.ids) < want:
            self._finish(connection, matches)
        if key[0] is not None:
            self._typed = [*typed[-(TYPED - 1) :], matches]
        return matches

    def more(self, connection: Any, matches: CaseMatches) -> None:
        """Find the rest of ``matches`` (for a list scrolled past the first screenful, or
        for their number)."""
        if not matches.complete:
            self._finish(connection, matches)

    def count(self, connection: Any, matches: CaseMatches) -> int:
        """How many cases ``matches`` holds: every case, from the notebook's count (kept
        in ``meta``), when nothing is searched or filtered; else by finding the rest."""
        if not matches.complete and matches.countable:
            row = connection.execute("SELECT value FROM meta WHERE key = 'case_count'").fetchone()
            if row is not None:
                return int(row[0])
        self.more(connection, matches)
        return len(matches.ids)

    def _finish(self, connection: Any, matches: CaseMatches) -> None:
        rest = matches._candidates[matches._position :]
        query = fts_query(matches.text)
        if not query:  # the whole list, its top found before: the rest, each case once
            order = self._ordered(connection, matches.case_filter)
            if order[: len(matches.ids)] == matches.ids:
                matches.ids = list(order)
            else:  # (the list has changed since)
                shown = set(matches.ids)
                matches.ids += [case_id for case_id in order if case_id not in shown]
            matches._candidates, matches._position = matches.ids, len(matches.ids)
            matches.complete = True
            return
        # The list as it is now (nothing written since): SQLite may order a few matches of
        # the whole list. So also when a word typed on narrowed the candidates: a case the
        # search before ruled out cannot match a text that narrows its text.
        whole = self._order_key is not None and matches._key == (
            self._order_key,
            connection.total_changes - self._own_changes,
        )
        if whole:
            examined = matches._candidates[: matches._position]
            found = self._matching(
                connection, matches.text, query, rest, matches.case_filter, examined
            )
        else:
            found = self._matching(connection, matches.text, query, rest)
        matches.ids += found
        matches._position = len(matches._candidates)
        matches.complete = True

    def prepare(self, connection: Any, case_filter: CaseFilter) -> None:
        """Index the whole window of the list under ``case_filter`` now (say, after an
        unlock), rather than a step at every search."""
        if connection.in_transaction:
            return
        order = self._ordered(connection, case_filter)
        before = connection.total_changes
        try:
            self._index_window(connection, order[: self.window], self.window)
        finally:
            self._own_changes += connection.total_changes - before

    def _from_window(
        self, connection: Any, matches: CaseMatches, query: str, order: list[int]
    ) -> None:
        """Look at the candidates among the first :attr:`window` of the list in the
        window's own index."""
        before = connection.total_changes
        to_index = order[: self.window]
        if len(matches._candidates) <= WINDOW_STEP:
            # A word typed on has left a few cases: index them, whatever their place.
            to_index = matches._candidates + to_index
        try:
            self._index_window(connection, to_index, WINDOW_STEP)
            # The candidates follow the list's order: those in its window come first.
            head = list(
                itertools.takewhile(self._indexed.__contains__, matches._candidates[: self.window])
            )
            (found,) = connection.execute(
                "SELECT json_group_array(rowid >> 32) FROM temp.search_window "
                "WHERE search_window MATCH ?",
                (query,),
            ).fetchone()
            hits = set(json.loads(found))
        except sqlcipher3.OperationalError:
            return  # an odd query: the notebook's own index says what it finds
        finally:
            self._own_changes += connection.total_changes - before
        hits.update(self._code_matches(connection, matches.text))
        matches.ids = [case_id for case_id in head if case_id in hits]
        matches._position = len(head)
        matches.complete = len(head) == len(matches._candidates)

    def _index_window(self, connection: Any, head: list[int], step: int) -> None:
        """Bring the window's index up to date, adding up to ``step`` cases of ``head``
        not in it yet (and start it anew when it has grown to many times the window, as
        filters and saves move cases in)."""
        if not self._window_made or len(self._indexed) > 4 * self.window:
            # (The list of changed cases stays: it is read below, then emptied.)
            connection.execute("DROP TABLE IF EXISTS temp.search_window")
            for statement in _WINDOW_SCHEMA:
                connection.execute(statement)
            self._window_made, self._indexed = True, set()
        changed = {row[0] for row in connection.execute("SELECT case_id FROM search_changed")}
        if changed:
            connection.execute("DELETE FROM search_changed")
        stale = changed & self._indexed
        for case_id in stale:
            connection.execute(
                "DELETE FROM temp.search_window WHERE rowid BETWEEN ? AND ?",
                (case_id << 32, (case_id << 32) | 0xFFFFFFFF),
            )
        missing = [case_id for case_id in head if case_id not in self._indexed][:step]
        wanted = missing + sorted(stale)
        if wanted:
            connection.execute(
                f"INSERT INTO temp.search_window (rowid, {_INDEX_COLUMNS}) "
                f"SELECT (case_id << 32) | id, {_INDEX_COLUMNS} FROM main.conversations "
                "WHERE case_id IN (SELECT value FROM json_each(?))",
                (json.dumps(wanted),),
            )
        self._indexed.update(missing)

    def _order_sql(self, connection: Any, case_filter: CaseFilter) -> tuple[str, list[Any], Any]:
        """The query of the list's order under ``case_filter``, its parameters, and the
        key its result is kept under (until the connection next writes)."""
        where, params = _filter_sql(case_filter)
        sql = "SELECT c.id FROM cases c"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.updated_at DESC, c.id DESC"
        return sql, params, (connection.total_changes - self._own_changes, sql, *params)

    def _order_known(self, connection: Any, case_filter: CaseFilter) -> bool:
        """Whether the order under ``case_filter`` is kept from before (not to be read)."""
        return (
            not connection.in_transaction
            and self._order_key == self._order_sql(connection, case_filter)[2]
        )

    def _ordered(self, connection: Any, case_filter: CaseFilter) -> list[int]:
        """Ids of the cases passing the filter, most recently changed first."""
        sql, params, key = self._order_sql(connection, case_filter)
        if key == self._order_key and not connection.in_transaction:
            return self._order
        if (
            not connection.in_transaction
            and self._order_key is not None
            and self._order_key[1:] == key[1:]
            and self._order_moved(connection, case_filter)
        ):
            self._order_key = key
            return self._order
        # Inside a transaction the order may yet be rolled back: read it, do not keep it.
        before = connection.total_changes
        if not connection.in_transaction:
            for statement in _ORDER_SCHEMA:
                connection.execute(statement)
            connection.execute("DELETE FROM temp.order_changed")  # all read below
        self._own_changes += connection.total_changes - before
        self._order = [row[0] for row in connection.execute(sql, params)]
        self._order_max = max(self._order, default=0)
        self._order_key = None if connection.in_transaction else key
        return self._order

    def _order_moved(self, connection: Any, case_filter: CaseFilter) -> bool:
        """Bring the kept order up to date with the few cases changed since it was read
        (a save moves its case to the top): a keystroke after a save then reads a few
        rows, not every case. False when too many changed (then it is read anew)."""
        changed = [
            row[0] for row in connection.execute("SELECT DISTINCT case_id FROM temp.order_changed")
        ]
        if len(changed) > ORDER_MOVES:
            return False
        before = connection.total_changes
        connection.execute("DELETE FROM temp.order_changed")
        self._own_changes += connection.total_changes - before
        order = self._order
        for case_id in changed:
            with contextlib.suppress(ValueError):  # (a new case, or one the filter left out)
                order.remove(case_id)
        if not changed:
            return True
        where, params = _filter_sql(case_filter)
        conditions = "".join(" AND " + condition for condition in where)
        rows = connection.execute(
            "SELECT c.id, c.updated_at FROM cases c "
            "WHERE c.id IN (SELECT value FROM json_each(?))" + conditions,
            [json.dumps(changed), *params],
        ).fetchall()
        # Each case's place is the number of cases before it in the list now; put in from
        # the top down, every case before it is in its place by then.
        places = []
        for case_id, updated_at in rows:
            (place,) = connection.execute(
                "SELECT count(*) FROM cases c WHERE (c.updated_at > ? OR "
                "(c.updated_at = ? AND c.id > ?))" + conditions,
                [updated_at, updated_at, case_id, *params],
            ).fetchone()
            places.append((place, case_id))
        for place, case_id in sorted(places):
            order.insert(place, case_id)
        self._order_max = max(self._order_max, *changed)
        return True


def _filter_sql(case_filter: CaseFilter) -> tuple[list[str], list[Any]]:
    """The conditions on ``cases c`` of a filter, and their parameters."""
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
    return where, params
