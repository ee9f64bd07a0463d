"""Identifiers with a shape: CPR and phone numbers, e-mail, links, user names, dates of
birth, case numbers, street addresses and postcodes.

Each detector is one precompiled regular expression (most of them led by a literal or a
digit, so that the regex engine skips ordinary text fast) plus a little validation.

A scan of the whole text costs about 0.1-0.2 ms per 20,000 characters for each pattern,
and more for one that starts with a look-behind. So where every match of a pattern must
start at a digit (numbers; phone numbers also at "+") or with a cue word ("sagsnr",
"født"), those places are found once per text with fast string methods
(:class:`TextFacts`) and the pattern is tried only there (:func:`matches_at`): the
matches are the same as a scan's, as tests/unit/anonymity/test_same_as_before.py checks
against the scanning implementation.
"""

from __future__ import annotations

import re
import string
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar

from counsellor_app.core.anonymity import kinds as k
from counsellor_app.core.anonymity.data import Lexicon, word_set
from counsellor_app.core.anonymity.kinds import Candidate, IdentifierKind

Kind = IdentifierKind
P = k.PRIORITY

# ---------------------------------------------------------------------------- the text

#: A run of digits of any script (``\d`` without ``re.ASCII``, as most patterns use it).
_DIGIT_RUN = re.compile(r"\d+")
#: The text as one byte a character (Latin-1, "?" for any other) is translated to "0" for
#: a digit and "1" for anything else: then each run is two ``bytes.find`` calls, several
#: times faster than ``\d+`` (whose cost is mostly making a match object a run). No
#: Latin-1 character but 0-9 is a digit; digits of other scripts are looked at apart.
_DIGIT_MARKS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x31 for b in range(256))
#: ``str.lower()`` of each Latin-1 character, which is one Latin-1 character too.
_LATIN_LOWER = bytes(ord(chr(b).lower()) for b in range(256))
#: Above this many characters outside Latin-1, ``\d+`` over the text is the quicker way.
_MAX_WIDE_CHARACTERS = 256
#: Capital letters of the Latin, Greek and Cyrillic scripts, as a regex class (a compact
#: class is much faster than a full Unicode one; scripts without case have no capitalised
#: names anyway). Some small letters fall in its ranges too; they count as it says.
CAPITALS = "A-ZÀ-ÖØ-Þ\u0100-\u024f\u0370-\u03ff\u0400-\u042f\u1e00-\u1eff"
_CAPITAL = re.compile(f"[{CAPITALS}]")
#: A word that starts with a capital (the look-behind after the first letter keeps the
#: regex engine's fast skip over other characters).
CAPITAL_WORD = re.compile(rf"[{CAPITALS}](?<![^\W_][{CAPITALS}])[^\W_]*(?:[-'’][^\W_]+)*")
#: Where a word led by one of :data:`CAPITALS` starts (the scan for texts of many
#: characters beyond Latin-1).
_CAPITAL_START = re.compile(rf"[{CAPITALS}](?<![^\W_][{CAPITALS}])")
#: The text as one byte a character: "U" for one of :data:`CAPITALS`, "d" for another
#: digit, "a" for another letter or digit (``str.isalnum``), "." for a full stop, "h" for
#: a hyphen or an apostrophe ("-", "'", "’") and " " for anything else. A word led by a
#: capital starts where " U", ".U" or "hU" is (or at a "U" first).
_CAPITAL_MARKS = bytes(
    0x55
    if _CAPITAL.match(c)
    else 0x64
    if c.isdecimal()
    else 0x61
    if c.isalnum()
    else 0x2E
    if c == "."
    else 0x68
    if c in "-'"
    else 0x20
    for c in map(chr, range(256))
)


class CapitalWords(NamedTuple):
    """Where some words led by a capital start (:attr:`TextFacts.capital_words`; every
    such word: :attr:`TextFacts.capital_starts`)."""

    #: Those whose second character is a capital too ("PPR", "JENSEN"), and perhaps more.
    capital_next: list[int]
    #: Those whose second character is a capital or a digit ("B93", "HIK"), and perhaps
    #: more.
    club: list[int]
    #: Those after a space or another sign but a full stop with a full stop next ("A.").
    initial: list[int]


#: In the marks: a capital after a space or a full stop (then after no letter or digit),
#: one followed by a capital, one by a capital or a digit, one by a full stop after a space.
#: Each is led by a literal "U", so that the regex engine skips to the next one in C.
_MARKED_CAPITAL = re.compile(rb"U(?<=[ .h]U)")
_MARKED_TWO = re.compile(rb"UU(?<=[ .h]UU)")
_MARKED_CLUB = re.compile(rb"U[Ud](?<=[ .h]U[Ud])")
_MARKED_INITIAL = re.compile(rb"U\.(?<=[ h]U\.)")
#: :data:`CAPITAL_WORD` in the marks (led by a literal "U": the regex engine skips to it).
_MARKED_WORD = re.compile(rb"U(?<=[ .h]U)[Uda]*(?:h[Uda]+)*")
_MARKED_FIRST_WORD = re.compile(rb"U[Uda]*(?:h[Uda]+)*")
_span = re.Match.span
_first = itemgetter(0)
_start = re.Match.start


#: The only characters that the regex engine's case-insensitive matching pairs with a
#: letter other than their ``str.lower()``: "ſ" matches "s", "ı" and "İ" match "i" ("İ"
#: also lowers to two characters). tests/unit/anonymity checks this against all of Unicode.
FOLDS_APART = ("ſ", "ı", "İ")
#: How many characters of a long text are split into words at once (TextFacts.words).
WORD_PIECE = 1 << 18
#: What ``str.split()`` splits at.
_WHITE = re.compile(r"\s")
#: Signs that lead some cues and are rare in notes: such a cue is looked for where the
#: sign is (a search for one sign is much faster than for several).
_RARE_LEADS = frozenset("([{@+_.:/-")


def _positions(text: str, signs: Iterable[str]) -> list[int]:
    """Where any of ``signs`` starts in ``text``, ascending (``str.find`` is fast C code)."""
    found: list[int] = []
    for sign in signs:
        position = text.find(sign)
        while position != -1:
            found.append(position)
            position = text.find(sign, position + 1)
    found.sort()
    return found


def _byte_positions(data: bytes, sign: bytes) -> list[int]:
    """Where ``sign`` (one byte) is in ``data``, ascending."""
    found: list[int] = []
    position = data.find(sign)
    while position != -1:
        found.append(position)
        position = data.find(sign, position + 1)
    return found


_T = TypeVar("_T")


class computed_once(Generic[_T]):
    """``functools.cached_property`` without its lock: worked out on the first read and
    kept in the instance's ``__dict__``, where later reads find it before this descriptor.
    (Python 3.11's cached_property takes a lock on every first read: a paragraph's scan
    reads a dozen of them, a tenth of its cost. A text's facts serve one scan, one thread.)"""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> _T:
        value = instance.__dict__[self.name] = self.func(instance)
        return value


#: Up to this many characters a text's capital marks are kept for their second reader
#: (see :meth:`TextFacts._capital_marks`).
_KEPT_MARKS = 1 << 20
#: Up to this many characters a text is short (a paragraph): a cue is looked for in it
#: by a plain search each time it is asked for. A search of a paragraph costs less than
#: the bookkeeping that spares a long text its searches (memos, the text's vocabulary).
SHORT_TEXT = 2_000


class TextFacts:
    """One text and what several detectors need from it, each computed once, on demand."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: Is the text short (see :data:`SHORT_TEXT`)?
        self.short = len(text) <= SHORT_TEXT
        #: Are all digits of the text ASCII (known once :attr:`digit_runs` is worked out)?
        #: Then a pattern under ``re.ASCII`` sees the same runs of digits as ``\d+``.
        self.ascii_digits = True
        #: Per cue (lower case): where it is written in :attr:`low` (see :meth:`places`).
        self._places: dict[str, array[int]] = {}
        #: Per cue: where it is first written in :attr:`low`, -1 if nowhere.
        self._first: dict[str, int] = {}
        #: Per piece size: the text's words (see :meth:`words`).
        self._words: dict[int, frozenset[str]] = {}

    @computed_once
    def low(self) -> str:
        """``text.lower()`` (its length may differ from the text's: "İ" lowers to two)."""
        text = self.text
        if text.isascii():
            return text.lower()  # fast in C
        try:  # one byte a character: a table (str.lower() looks each letter up in Unicode's)
            return text.encode("latin-1").translate(_LATIN_LOWER).decode("latin-1")
        except UnicodeEncodeError:
            return text.lower()

    @computed_once
    def low_per_char(self) -> bool:
        """Is each character of :attr:`low` the lower case of the text's character there,
        lowered alone (an ASCII or Latin-1 text)? Then ``low[i:j]`` is
        ``text[i:j].lower()`` (in other scripts a letter's lower case may depend on the
        letters beside it, or be two letters)."""
        return self.text.isascii() or self.wide == []

    def lower_slice(self, start: int, end: int) -> str:
        """``text[start:end].lower()``, a slice of :attr:`low` where that is the same."""
        if self.low_per_char:
            return self.low[start:end]
        return self.text[start:end].lower()

    @computed_once
    def wide(self) -> list[int] | None:
        """Where the characters beyond Latin-1 are, in order; None when they are more than
        :data:`_MAX_WIDE_CHARACTERS` (then a regex scan is the quicker way)."""
        text = self.text
        try:
            text.encode("latin-1")  # mostly so (a copy of each character)
        except UnicodeEncodeError:
            narrow = text.encode("latin-1", "replace")
            wide = [i for i in _byte_positions(narrow, b"?") if text[i] != "?"]
            return wide if len(wide) <= _MAX_WIDE_CHARACTERS else None
        return []

    @computed_once
    def digit_runs(self) -> list[tuple[int, int]]:
        """(start, end) of every run of digits (what ``\\d+`` matches: any script), in order."""
        text = self.text
        narrow = text.encode("latin-1", "replace")  # one byte per character
        wide = self.wide
        if wide is None or wide:  # characters beyond Latin-1
            if wide is None:
                spans = [m.span() for m in _DIGIT_RUN.finditer(text)]
                self.ascii_digits = all(text[s:e].isascii() for s, e in spans)
                return spans
            digits = [i for i in wide if text[i].isdecimal()]
            if digits:  # digits of another script: mark them, so they join the runs
                self.ascii_digits = False
                marked = bytearray(narrow)
                for i in digits:
                    marked[i] = 0x30
                narrow = bytes(marked)
        marks = narrow.translate(_DIGIT_MARKS)
        runs: list[tuple[int, int]] = []
        start = marks.find(b"0")
        while start != -1:
            end = marks.find(b"1", start)
            if end == -1:
                runs.append((start, len(marks)))
                break
            runs.append((start, end))
            start = marks.find(b"0", end)
        return runs

    @computed_once
    def capital_starts(self) -> Sequence[int]:
        """Where a word led by one of :data:`CAPITALS` starts: such a letter that no letter
        or digit precedes, in order (an array: a long text has a capital every few dozen
        characters). The scan itself needs only the few of :attr:`capital_words` and the
        words of :meth:`capital_word_spans`; these are every start (for the tests and
        for callers that need them all)."""
        marks = self._capital_marks()
        if marks is None:
            return array("q", [m.start() for m in _CAPITAL_START.finditer(self.text)])
        starts = array("q", [0] if marks[:1] == b"U" else [])
        starts.extend(map(_start, _MARKED_CAPITAL.finditer(marks)))
        return starts

    @computed_once
    def capital_words(self) -> CapitalWords:
        """Where some of the words led by one of :data:`CAPITALS` start (see
        :attr:`capital_starts`): every match of a pattern that starts with such a capital
        after no letter or digit (``[A-Z](?<![^\\W_][A-Z])``) and a capital, a digit or a
        full stop next starts at one of these: a few passes over the text's marks (one
        byte a character) by patterns led by a literal, instead of each pattern's own scan
        of the text, whose regex engine tests every character against the class."""
        marks = self._capital_marks()
        if marks is None:
            return _capital_words_scanned(self.text)
        head = [0] if marks[:1] == b"U" else []  # (the patterns below need a sign before)
        two = [*head, *map(_start, _MARKED_TWO.finditer(marks))]
        digit = [*head, *map(_start, _MARKED_CLUB.finditer(marks))]
        initial = [*head, *map(_start, _MARKED_INITIAL.finditer(marks))]
        return CapitalWords(two, digit, initial)

    def _capital_marks(self) -> bytes | None:
        """The text's marks (see :data:`_CAPITAL_MARKS`), or None when they cannot tell
        (many characters beyond Latin-1, or a capital that is no letter: scan the text).

        Two readers want them (:attr:`capital_words` and :meth:`capital_word_spans`): for
        a text up to :data:`_KEPT_MARKS` characters the first reader's marks are kept for
        the second, which takes them away (the marks are a function of the text alone, so
        the same bytes); a longer text's are made again rather than kept (they are as long
        as the text)."""
        kept: bytes | None = self.__dict__.pop("_kept_marks", None)
        if kept is not None:
            return kept
        text, wide = self.text, self.wide
        if wide is None:
            return None
        marks = text.encode("latin-1", "replace").translate(_CAPITAL_MARKS)
        if wide:  # characters beyond Latin-1
            marked = bytearray(marks)
            for i in wide:
                char = text[i]
                if _CAPITAL.match(char):
                    if not char.isalnum():  # "͵": may start a word and not end one
                        return None
                    marked[i] = 0x55
                elif char.isdecimal():
                    marked[i] = 0x64
                elif char.isalnum():
                    marked[i] = 0x61
                elif char == "’":
                    marked[i] = 0x68
            marks = bytes(marked)
        if len(text) <= _KEPT_MARKS:
            self._kept_marks = marks
        return marks

    def capital_word_spans(self) -> Iterator[tuple[int, int]]:
        """(start, end) of each word led by a capital, as ``CAPITAL_WORD.finditer(text)``
        finds them (found in the marks of :attr:`capital_words`)."""
        marks = self._capital_marks()
        if marks is None:
            return map(_span, CAPITAL_WORD.finditer(self.text))
        first = _MARKED_FIRST_WORD.match(marks)
        if first is None:
            return map(_span, _MARKED_WORD.finditer(marks))
        return chain((first.span(),), map(_span, _MARKED_WORD.finditer(marks, first.end())))

    @computed_once
    def run_starts(self) -> list[int]:
        """Where the runs of digits start: every match of a pattern led by a digit that
        no word character may precede (most of them) starts at one of these."""
        return list(map(_first, self.digit_runs))

    @computed_once
    def ascii_starts(self) -> list[int]:
        """:attr:`run_starts`, and every ASCII digit right after a digit of another script:
        under ``re.ASCII`` that digit is no word character, so a number may start there."""
        runs = self.digit_runs
        if self.ascii_digits:  # (known once the runs are) the same as run_starts
            return self.run_starts
        text = self.text
        starts: list[int] = []
        for start, end in runs:
            starts.append(start)
            if not text[start:end].isascii():
                starts.extend(
                    i
                    for i in range(start + 1, end)
                    if "0" <= text[i] <= "9" and not text[i - 1].isascii()
                )
        return starts

    def ascii_runs(self, shortest: int, longest: int = 1 << 62) -> list[int] | None:
        """Where the runs of ``shortest`` to ``longest`` digits start, when all digits
        are ASCII (else None: then a pattern under ``re.ASCII`` may start inside a run).
        A pattern whose every match begins with such a run is tried only there."""
        runs = self.digit_runs
        if not self.ascii_digits:
            return None
        return [start for start, end in runs if shortest <= end - start <= longest]

    @computed_once
    def low_aligned(self) -> bool:
        """Does ``low[i]`` equal a letter exactly where ``text[i]`` matches it ignoring case?"""
        text = self.text
        return len(self.low) == len(text) and not any(c in text for c in FOLDS_APART)

    def words(self, piece: int = WORD_PIECE) -> frozenset[str]:
        """The text's words as ``str.split()`` gives them, each once. Split a piece of
        about ``piece`` characters at a time, each ending at white space (no word is cut):
        a list of every word of a long text at once would hold some ten times the text."""
        known = self._words.get(piece)
        if known is not None:
            return known
        text = self.text
        position, n = 0, len(text)
        if n <= piece:  # one piece: the words made into the set at once (no copies)
            words = self._words[piece] = frozenset(text.split())
            return words
        found: set[str] = set()
        while position < n:
            cut = position + piece
            if cut < n:
                white = _WHITE.search(text, cut)  # what str.split splits at
                cut = n if white is None else white.start()
            found.update(text[position:cut].split())
            position = cut
        words = self._words[piece] = frozenset(found)
        return words

    @computed_once
    def vocabulary(self) -> str:
        """The text's words, each once, lower-cased and joined by spaces: far shorter than
        the text when words repeat (a long text), so a word absent from it is found absent
        sooner (see :meth:`_absent`)."""
        joined = " ".join(self.words())
        if self.low_per_char:  # one byte a character: a table, as for :attr:`low`
            return joined.encode("latin-1").translate(_LATIN_LOWER).decode("latin-1")
        return joined.lower()

    def _absent(self, cue: str) -> bool:
        """Is ``cue`` known not to be written in :attr:`low`, because its longest part
        without white space is in none of the text's lower-cased words? (Each word lowered
        is a slice of :attr:`low` when that is lowered a character at a time; no
        character lowers to white space or from it.)"""
        if not self.low_per_char:
            return False
        part = _longest_part(cue)
        # (A whole word of the text is there: no search of the vocabulary needed.)
        return bool(part) and part not in self.words() and part not in self.vocabulary

    def cue_starts(self, cues: Sequence[str]) -> Sequence[int] | None:
        """Where one of ``cues`` (lower case) is written, in any case, in ascending order;
        None when the lower-cased text cannot tell (then scan the whole text)."""
        if not self.low_aligned:
            return None
        shortest = _shortest_cues(tuple(cues))
        if self.short:  # searched for here (no memo: a cue is rarely asked for twice)
            low = self.low
            # (Most cues are not there: a test costs less than a find call.) No place is
            # found twice: two cues written at one place would be one the other's
            # beginning, and the shorter alone is among ``shortest``.
            return _positions(low, [cue for cue in shortest if cue in low])
        if len(shortest) == 1:
            return self.places(shortest[0])
        found: set[int] = set()
        for cue in shortest:
            found.update(self.places(cue))
        return sorted(found)

    def places(self, cue: str) -> array[int]:
        """Where ``cue`` (lower case) is written in :attr:`low`, ascending; each cue is
        looked for once per text, whichever detectors ask (a search of a text for a short
        word that is not there reads every character: ~1 ns each, some hundred cues).
        Kept as arrays (8 bytes a place, not an int object's 36: a 50 MB text has a
        million places of its cues)."""
        known = self._places.get(cue)
        if known is not None:
            return known
        low = self.low
        if self.short:
            places = self._places[cue] = array("q", _positions(low, (cue,)))
            return places
        startswith = low.startswith
        get = self._places.get
        for beginning in _beginnings(cue):
            shorter = get(beginning)
            if shorter is not None:  # a cue looked for already that begins this one
                found = [p for p in shorter if startswith(cue, p)]
                break
        else:
            if len(cue) > 1 and cue[0] in _RARE_LEADS:
                # One sign searched for (memchr, much faster), the cue checked there.
                found = [p for p in self.places(cue[0]) if startswith(cue, p)]
            else:
                found = []
                position = self._first.get(cue)
                if position is None:
                    position = -1 if self._absent(cue) else low.find(cue)
                while position != -1:
                    found.append(position)
                    position = low.find(cue, position + 1)
        places = self._places[cue] = array("q", found)
        return places

    def has(self, cue: str) -> bool:
        """Is ``cue`` (lower case) written in :attr:`low` (``cue in low``, remembered)?"""
        if self.short:
            return cue in self.low
        found = self._places.get(cue)
        if found is not None:
            return bool(found)
        first = self._first.get(cue)
        if first is None:
            if len(cue) > 1 and cue[0] in _RARE_LEADS:
                return bool(self.places(cue))
            first = self._first[cue] = -1 if self._absent(cue) else self.low.find(cue)
        return first != -1

    def has_any(self, cues: Iterable[str]) -> bool:
        """Is any of ``cues`` (lower case) written in :attr:`low`?"""
        if self.short:
            low = self.low
            for cue in cues:  # noqa: SIM110 (a loop: no generator made, a paragraph asks often)
                if cue in low:
                    return True
            return False
        has = self.has
        return any(has(cue) for cue in cues)

    @computed_once
    def plus_signs(self) -> list[int]:
        """Where each "+" is, in order."""
        return _positions(self.text, "+")

    @computed_once
    def phone_starts(self) -> list[int]:
        """:attr:`ascii_starts` and every "+" (an international number's first sign)."""
        plus = self.plus_signs
        return sorted(self.ascii_starts + plus) if plus else self.ascii_starts


def _capital_words_scanned(text: str) -> CapitalWords:
    """:attr:`TextFacts.capital_words` by a regex scan (a text of many characters beyond
    Latin-1); each list of starts that may be more is every start."""
    every = [m.start() for m in _CAPITAL_START.finditer(text)]
    return CapitalWords(every, every, every)


@lru_cache(maxsize=1024)
def _longest_part(cue: str) -> str:
    """The longest part of ``cue`` without white space ("" if none)."""
    return max(cue.split(), key=len, default="")


@lru_cache(maxsize=1024)
def _beginnings(cue: str) -> tuple[str, ...]:
    """The beginnings of ``cue``, longest first, without the cue itself."""
    return tuple(cue[:n] for n in range(len(cue) - 1, 0, -1))


@lru_cache(maxsize=64)
def _shortest_cues(cues: tuple[str, ...]) -> tuple[str, ...]:
    """``cues`` without those that begin with another of them ("snapchat" after "snap"):
    where the longer one is written the shorter one is too, so the places are the same,
    and each cue left costs a search through the whole text. Each once."""
    cues = tuple(dict.fromkeys(cues))
    return tuple(
        cue for cue in cues if not any(cue != other and cue.startswith(other) for other in cues)
    )


def matches_at(pattern: re.Pattern[str], text: str, starts: Sequence[int]) -> list[re.Match[str]]:
    """What ``pattern.finditer(text)`` finds, when every match must start at one of
    ``starts`` (ascending; more are harmless).

    ``pattern.match(text, pos)`` sees the whole text, look-behinds included, so each match
    is the one the scan would find there; positions inside a match are skipped as the scan
    skips them. None of the patterns used with it can match an empty string.
    """
    found: list[re.Match[str]] = []
    end = 0
    match = pattern.match
    for start in starts:
        if start >= end:
            m = match(text, start)
            if m is not None:
                found.append(m)
                end = m.end()
    return found


def matches_after_cues(
    pattern: re.Pattern[str], facts: TextFacts, cues: Sequence[str]
) -> Iterable[re.Match[str]]:
    """What ``pattern.finditer(facts.text)`` finds, when every match starts with one of
    ``cues`` (lower case, matched ignoring case): only there is the pattern tried."""
    starts = facts.cue_starts(cues)
    if starts is None:
        return pattern.finditer(facts.text)
    return matches_at(pattern, facts.text, starts)


# ---------------------------------------------------------------------------- CPR

# Every pattern starts with a plain character class (no look-behind, no alternation, no
# IGNORECASE before it), so that the regex engine can skip to candidate positions in C.
_CPR = re.compile(r"\d(?<![\w.,/+-]\d)\d{5}[ \t]?[-–—./ ]?[ \t]?\d{4}(?!\w|[.,/-]\d)", re.ASCII)
# The date part spaced in pairs ("14 03 12-1234", "14 03 12 1234").
_CPR_PAIRS = re.compile(
    r"\d(?<![\w.,/+-]\d)\d[ ]\d\d[ ]\d\d[ \t]?[-–—/ ]?[ \t]?\d{4}(?!\w|[.,/-]\d)", re.ASCII
)
# Glued to its label ("CPR140312-1234", "cpr.nr.140312-1234", "personnr:140312-1234").
_CPR_GLUED = re.compile(
    r"(?i)(?<![^\W\d_])(?:cpr|personnr|pers\.nr)\.?(?:-?nr\.?)?:?"
    r"(\d{6}[ \t]?[-–—./]?[ \t]?\d{4})(?![\w]|[.,/-]\d)"
)
_CPR_GLUED_CUES = ("cpr", "personnr", "pers.nr")
# The birth date written as a date ("13.04.76-1957", "13/04/76-1957").
_CPR_DATED = re.compile(
    r"\d(?<![\w.,/+-]\d)\d[./]\d\d[./]\d\d[ \t]?[-/][ \t]?\d{4}(?!\w|[.,/-]\d)", re.ASCII
)


#: What follows a CPR date's first pair when it is spaced in pairs (_CPR_PAIRS).
_SPACED_PAIR = frozenset(f" {a}{b}" for a in "0123456789" for b in "0123456789")


def cpr_is_valid(day: int, month: int, year: int, seventh: int) -> bool:
    """Is this a real date under the CPR century rules of the 7th digit? (No modulus 11.)"""
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year <= 36 else 1900
    else:  # 5-8
        century = 2000 if year <= 57 else 1800
    try:
        date(century + year, month, day)
    except ValueError:
        return False
    return True


def _cprs(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text, starts = facts.text, facts.ascii_starts
    # _CPR begins with six digits, the other two with two and a separator.
    six = facts.ascii_runs(6)
    two = facts.ascii_runs(2, 2)
    if two is None:
        dated = pairs = starts
    else:  # the date's two digits, then "." or "/" (_CPR_DATED) or a space (_CPR_PAIRS)
        dated = [start for start in two if text[start + 2 : start + 3] in "./"]
        pairs = [start for start in two if text[start + 2 : start + 5] in _SPACED_PAIR]
    found = [
        *((m, 0) for m in matches_at(_CPR, text, starts if six is None else six)),
        *((m, 0) for m in matches_at(_CPR_DATED, text, dated)),
        *((m, 0) for m in matches_at(_CPR_PAIRS, text, pairs)),
    ]
    if facts.has_any(_CPR_GLUED_CUES):
        found += [(m, 1) for m in matches_after_cues(_CPR_GLUED, facts, _CPR_GLUED_CUES)]
    for m, group in found:
        digits = "".join(c for c in m.group(group) if c.isdigit())
        day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
        if cpr_is_valid(day, month, year, int(digits[6])):
            out.append(Candidate(m.start(group), m.end(group), Kind.CPR, k.R_CPR, P[Kind.CPR]))


# ---------------------------------------------------------------------------- phones

_SEP = r"[ .\-]"
_PHONE_DK = re.compile(
    rf"""[+0-9](?<![\w+.,/-][+0-9])
    (?:
        (?:(?<=\+)|(?<=0)0)[ ]?45[ .\-]?\(?\d{{2}}\)?{_SEP}?\d{{2}}{_SEP}?\d{{2}}{_SEP}?\d{{2}}
      | (?<=[2-9])\d{{7}}
      | (?<=[2-9])\d{{3}}{_SEP}\d{{4}}
      | (?<=[2-9])\d({_SEP})\d\d\1\d\d\1\d\d
      | (?<=[2-9])\d\d{_SEP}\d\d{_SEP}\d{{3}}
      | (?<=[2-9])\d([-.])\d{{3}}\2\d{{3}}
      | (?<=[2-9])\d{_SEP}\d\d{_SEP}\d{{4}}
      | (?<=[2-9])\d{{3}}{_SEP}\d\d{_SEP}\d\d
      | (?<=[2-9])(?:[ ]\d){{7}}
    )
    (?!\w|[.,/-]\d)""",
    re.VERBOSE | re.ASCII,
)
#: What separates the groups of a Danish number (_SEP), each a character.
_SEPARATORS = frozenset(" .-")
_PHONE_INTL = re.compile(
    r"[+0](?<![\w+][+0])(?:(?<=\+)|(?<=0)0)(?!45)[1-9](?:[ .()\-]{0,2}\d){6,14}(?!\w)", re.ASCII
)


# A number glued to its label or to a word ("tlf.nr.28459123", "mob.28459123",
# "ringtil28459123") or after a comma with no space ("kl. 12,28459123"): eight digits,
# the first 2-9, after a letter, a label's dot or a number and a comma.
_PHONE_GLUED = re.compile(
    r"[2-9](?:(?<=[^\W\d_][2-9])|(?<=[^\W\d_][.:][2-9])|(?<=\d,[2-9]))\d{7}(?!\d)"
)
#: A foreign number in its own country's form, led by its trunk "0" (Swedish "070-123 45
#: 67", "08-123 456 78"; German "0171 1234567", "030/12345678"): nine to twelve digits.
#: No Danish number starts with 0, so it is taken when a phone word or a country stands
#: shortly before it (:data:`_FOREIGN_PHONE_CUES`).
_PHONE_NATIONAL = re.compile(
    r"0(?<![\w+.,/-]0)[1-9]\d{0,3}(?:[ ]?[-/][ ]?|[ ])?\d{2,8}(?:[ \-]\d{2,8}){0,3}"
    r"(?![\w]|[.,/-]\d)",
    re.ASCII,
)
_FOREIGN_PHONE_CUES = (
    "tlf", "telefon", "nummer", "nr", "mobil", "mob.", "ring", "sms", "phone", "call",
    "handy", "whatsapp", "svensk", "sverige", "tysk", "norsk", "norge", "udenlandsk",
    "polsk", "polen", "abroad", "number",
)  # fmt: skip
#: One of those cues where a word starts ("varenummer" is no phone word).
_FOREIGN_PHONE_CUE = re.compile(
    r"(?<![^\W\d_])(?:" + "|".join(re.escape(cue) for cue in _FOREIGN_PHONE_CUES) + ")"
)


def _is_range(number: str) -> bool:
    """ "2023-2024", "2500-3000": a span of years or an amount, not a phone number; and
    two years written with a space ("skoleåret 2012 2013"), the second the same or a few
    years later."""
    halves = re.split(r"[-/ ]", number)
    if len(halves) != 2 or not all(len(h) == 4 and h.isdigit() for h in halves):
        return False
    first, second = int(halves[0]), int(halves[1])
    if " " in number:
        return 1950 <= first <= 2039 and 0 <= second - first <= 20
    years = 1900 <= first <= 2099 and 1900 <= second <= 2099
    return years or first % 100 == 0 or second % 100 == 0


def _phones(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    runs = facts.digit_runs
    national = [start for start, _end in runs if text[start] == "0"]
    if facts.ascii_digits:
        # A Danish number starts at a "+", at "00", at a run of eight digits led by 2-9 or
        # at one of one to four before a space, a dot or a dash (see the forms of
        # _PHONE_DK): only there is it tried.
        doubled = [start for start in national if text.startswith("00", start)]
        plus = facts.plus_signs
        starts = [
            start
            for start, end in runs
            if text[start] in "23456789"
            and (end - start == 8 or (end - start <= 4 and text[end : end + 1] in _SEPARATORS))
        ]
        if plus or doubled:
            starts = sorted(starts + plus + doubled)
    else:
        starts = facts.phone_starts
    for m in matches_at(_PHONE_DK, text, starts):
        if not _is_range(m.group()):
            out.append(Candidate(m.start(), m.end(), Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))
    # Eight digits in a row (of any script, as \\d matches them): a run at least as long.
    eight = [start for start, end in facts.digit_runs if end - start >= 8]
    for m in matches_at(_PHONE_GLUED, text, eight):
        out.append(Candidate(m.start(), m.end(), Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))
    for m in matches_at(_PHONE_NATIONAL, text, national):
        digits = sum(c.isdigit() for c in m.group())
        before = facts.low[max(0, m.start() - 40) : m.start()]
        if 9 <= digits <= 12 and _FOREIGN_PHONE_CUE.search(before):
            out.append(Candidate(m.start(), m.end(), Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))
    if facts.ascii_digits:  # it begins with "+" or "00"
        intl = sorted(plus + doubled) if plus and doubled else plus or doubled
    elif "+" in text or "00" in text:
        intl = [s for s in facts.phone_starts if text[s] == "+" or text.startswith("00", s)]
    else:
        intl = []
    if intl:
        for m in matches_at(_PHONE_INTL, text, intl):
            number = m.group()
            digits = sum(c.isdigit() for c in number)
            if 8 <= digits <= 15:
                end = m.end()
                while text[end - 1] in " .()-":
                    end -= 1
                out.append(Candidate(m.start(), end, Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))


# ---------------------------------------------------------------------------- e-mail, handles

#: The top-level domains an obfuscated e-mail address may end in (as for links).
_TLDS_EARLY = (
    "dk|com|org|net|eu|se|no|de|uk|io|info|app|me|tv|gg|ly|co|fo|gl|is|fi|nl|be|fr|es|it|"
    "pl|tr|online|site|link|shop|biz"
)

_AT = re.compile("@")
_EMAIL_LOCAL = re.compile(r"(?<![\w.+-])[\w.+-]+\Z")
_EMAIL_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_HANDLE = re.compile(r"@(?<![\w@.]@)(?=[\w.]*[^\W\d_])[\w.]{2,30}(?<!\.)")
_HANDLE_CUE_WORDS = (
    "snap", "snapchat", "insta", "instagram", "tiktok", "discord", "twitch", "roblox",
    "brugernavn", "brugernavnet", "username", "user name", "gamertag", "profilnavn", "profil",
    "uni-login", "unilogin", "uni-c", "aula", "elevnummer", "elevnr", "elevnr.", "elev-id",
    "studienummer", "studienr", "login",
)  # fmt: skip
_HANDLE_CUE_STEMS = ("snap", "insta", "tiktok", "discord", "twitch", "roblox", "brugernavn",
                     "username", "user name", "gamertag", "profil", "login", "uni-c", "aula",
                     "elevn", "elev-id", "studien")  # fmt: skip
#: The stems and the cue words, once each.
_HANDLE_CUES = tuple(dict.fromkeys(_HANDLE_CUE_STEMS + _HANDLE_CUE_WORDS))
#: A handle after a platform or login word and a little verb, without ":" ("snap som
#: mette2010", "elevnummer er 123456", "UNI-login hedder abcd1234").
_HANDLE_AFTER_VERB = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(re.escape(w) for w in _HANDLE_CUE_WORDS) + r")"
    r"[ \t]+(?:er|som|is|hedder|:)(?:[ \t]+(?:hun|han|de|jeg|du|vi|she|he))?"
    r"[ \t]+(@?[\w.\-]{2,30}(?<![.\-]))"
)
#: A handle right after a platform's name ("på snap mille.k", "tiktok hieuxx"): taken
#: when it is no dictionary word (see _emails_and_handles).
_PLATFORMS = ("snapchat", "snap", "instagram", "insta", "tiktok", "discord", "twitch", "roblox")
_PLATFORM_HANDLE = re.compile(
    r"(?i)(?<!\w)(?:" + "|".join(_PLATFORMS) + r")[ \t]+(@?[\w.\-]{3,30}(?<![.\-]))(?![\w@])"
)
_HANDLE_CUE = re.compile(r"(?i)(?<!\w)(?:" + "|".join(_HANDLE_CUE_WORDS) + r")[ \t]*\Z")
#: How a text that _HANDLE_CUE matches at its end ends once its spaces and tabs are cut,
#: in lower case: a cue word, or a cue word with its last sign left out (in the pattern a
#: final "." of a cue word, "elevnr.", stands for any sign, perhaps a space).
_HANDLE_CUE_ENDINGS = (
    *_HANDLE_CUE_WORDS,
    *(word[:-1] for word in _HANDLE_CUE_WORDS if "." in word),
)
#: Such an ending with one more sign after it ("elevnr" + any sign).
_HANDLE_CUE_ENDINGS_BEFORE_ONE = tuple(word[:-1] for word in _HANDLE_CUE_WORDS if "." in word)
assert all("." not in word[:-1] for word in _HANDLE_CUE_WORDS)  # only a final "." stands so
_HANDLE_AFTER_CUE = re.compile(r"[ \t]*(@?[\w.\-]{2,30}(?<![.\-]))")
_UNDERSCORE_HANDLE = re.compile(r"(?<![\w@])[^\W_]+_[\w]*[^\W_](?!\w)")


def _underscore_word_starts(text: str) -> list[int]:
    """Where each word (a run of ``str.isalnum`` characters and "_") that holds an
    underscore starts: such a handle is a whole word (nothing of a word may precede it)."""
    starts: list[int] = []
    n = len(text)
    position = text.find("_")
    while position != -1:
        start = position
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        end = position + 1
        while end < n and (text[end].isalnum() or text[end] == "_"):
            end += 1
        starts.append(start)
        position = text.find("_", end)
    return starts


# An e-mail address written so that machines miss it: "name(at)domain.dk",
# "name [at] domain [dot] dk", "name at domain dot com".
_OBFUSCATED_AT = r"(?:[ \t]?[(\[{][ \t]?at[ \t]?[)\]}][ \t]?|[ \t]at[ \t])"
_OBFUSCATED_DOT = r"(?:\.|[ \t]?[(\[{][ \t]?dot[ \t]?[)\]}][ \t]?|[ \t]dot[ \t])"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?i)(?<![\w.+-])[\w.+-]+{_OBFUSCATED_AT}[\w-]+(?:{_OBFUSCATED_DOT}[\w-]+)*"
    rf"{_OBFUSCATED_DOT}(?:{_TLDS_EARLY})(?![\w-])"
)
_OBFUSCATION_CUES = ("(at)", "[at]", "{at}", "( at )", "[ at ]", " dot ")


def _obfuscated_emails(facts: TextFacts, out: list[Candidate]) -> None:
    if not facts.has_any(_OBFUSCATION_CUES):
        return
    for m in _OBFUSCATED_EMAIL.finditer(facts.text):
        out.append(Candidate(m.start(), m.end(), Kind.EMAIL, k.R_EMAIL, P[Kind.EMAIL]))


def _not_word(handle: str, lex: Lexicon) -> bool:
    """Is ``handle`` no word that may follow a platform's name ("på snap hele dagen")?"""
    low = handle.lower()
    return low not in lex.words and low not in lex.allowed


def _emails_and_handles(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    _obfuscated_emails(facts, out)
    if "@" in text:
        for at in _AT.finditer(text):
            domain = _EMAIL_DOMAIN.match(text, at.start())
            if not domain:
                continue
            local = _EMAIL_LOCAL.search(text, max(0, at.start() - 80), at.start())
            if local:
                out.append(
                    Candidate(local.start(), domain.end(), Kind.EMAIL, k.R_EMAIL, P[Kind.EMAIL])
                )
        for m in _HANDLE.finditer(text):
            out.append(Candidate(m.start(), m.end(), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))
    low = facts.low
    # Where a stem or a cue word is written: one search each for them all (every cue word
    # holds a stem, so there is a stem in the text exactly when there is one of these).
    # (Every cue holds a stem and every stem is a cue: where no stem is written, there is
    # nothing to look for, known at the cost of a test per stem, not a search per cue.)
    written = facts.cue_starts(_HANDLE_CUES) if facts.has_any(_HANDLE_CUE_STEMS) else []
    cues = bool(written) if written is not None else any(cue in low for cue in _HANDLE_CUE_STEMS)
    aligned = facts.low_aligned
    for pos in _positions(text, ":=") if cues else ():
        if aligned:  # a cue word must end the window (a test of its end before the regex)
            before = low[max(0, pos - 20) : pos].rstrip(" \t")
            if not before.endswith(_HANDLE_CUE_ENDINGS) and not (
                before[:-1].endswith(_HANDLE_CUE_ENDINGS_BEFORE_ONE)
            ):
                continue
        if not _HANDLE_CUE.search(text, max(0, pos - 20), pos):
            continue
        after = _HANDLE_AFTER_CUE.match(text, pos + 1)
        if after:
            handle = after.group(1)
            if any(c.isdigit() or c in "_.@" for c in handle) or handle.lower() not in lex.words:
                out.append(
                    Candidate(after.start(1), after.end(1), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE])
                )
    if not cues:
        verbs: Iterable[re.Match[str]] = ()
    elif written is None:
        verbs = _HANDLE_AFTER_VERB.finditer(text)
    else:  # where a cue word starts (as cue_starts(_HANDLE_CUE_WORDS) would find)
        words = [at for at in written if low.startswith(_HANDLE_CUE_WORDS, at)]
        verbs = matches_at(_HANDLE_AFTER_VERB, text, words)
    for m in verbs:
        handle = m.group(1)
        if any(c.isdigit() or c in "_.@" for c in handle) or _not_word(handle, lex):
            out.append(Candidate(m.start(1), m.end(1), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))
    if cues:
        platforms = (
            _PLATFORM_HANDLE.finditer(text)
            if written is None
            else matches_at(
                _PLATFORM_HANDLE, text, [at for at in written if low.startswith(_PLATFORMS, at)]
            )
        )
        for m in platforms:
            handle = m.group(1)
            if any(c.isdigit() or c in "_.@" for c in handle) or _not_word(handle, lex):
                out.append(Candidate(m.start(1), m.end(1), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))
    if "_" in text:
        for m in matches_at(_UNDERSCORE_HANDLE, text, _underscore_word_starts(text)):
            out.append(Candidate(m.start(), m.end(), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))


# ---------------------------------------------------------------------------- links

_TLDS = (
    "dk|com|org|net|eu|se|no|de|uk|io|info|app|me|tv|gg|ly|co|fo|gl|is|fi|nl|be|fr|es|it|"
    "pl|tr|online|site|link|shop|biz"
)
_URL_SCHEME = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'\]\[]+")
#: How every match of _URL_SCHEME begins, in lower case.
_URL_CUES = ("http", "www.")
#: A link is written with one of these ("://" is only ever lower-cased to itself).
_URL_GATE = ("://", "www.")
_URL_TLD = re.compile(r"\.([A-Za-z]{2,6})(?![\w-])")
_TLD_SET = frozenset(_TLDS.split("|"))
#: Top-level domains that are also Danish or English words: only a link with "www." or a path.
_WORDY_TLDS = frozenset({"de", "se", "no", "it", "me", "is", "be", "co", "tv", "fo", "gl", "link"})
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzæøå0123456789-.")
_PATH = re.compile(r"(?:[/?#:][^\s<>\"'\]\[]*)?")
_TRAILING = ".,;:!?)]}'\"»”’"


def _host_allowed(host: str, lex: Lexicon) -> bool:
    host = host.lower()
    host = host.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in lex.allowed_domains)


def _links(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    spans: list[tuple[int, int]] = []
    if facts.has_any(_URL_GATE):
        for m in matches_after_cues(_URL_SCHEME, facts, _URL_CUES):
            end = m.end()
            while end > m.start() and text[end - 1] in _TRAILING:
                end -= 1
            spans.append((m.start(), end))
    for m in _URL_TLD.finditer(text):
        tld = m.group(1)
        if tld.lower() not in _TLD_SET or not (tld.islower() or tld.isupper()):
            continue
        start = m.start()
        while start > 0 and text[start - 1].lower() in _HOST_CHARS:
            start -= 1
        if start == m.start() or text[start] in ".-":
            continue
        if start > 0 and text[start - 1] in "@":  # an e-mail address
            continue
        label = text[start : m.start()].rsplit(".", 1)[-1]
        if len(label) < 2 or label.isdigit():
            continue
        path = _PATH.match(text, m.end())
        stop = path.end() if path else m.end()
        while stop > m.end() and text[stop - 1] in _TRAILING:
            stop -= 1
        if tld.lower() in _WORDY_TLDS and stop == m.end() and "www." not in text[start:stop]:
            continue  # "sagde.de gik": a missing space, not a link
        spans.append((start, stop))
    for start, end in spans:
        if not _host_allowed(text[start:end], lex):
            out.append(Candidate(start, end, Kind.URL, k.R_URL, P[Kind.URL]))


# ---------------------------------------------------------------------------- dates of birth

_MONTHS = (
    "(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|"
    "january|february|march|may|june|july|october"
    "|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec)\\.?)"
)
_DATE = (
    r"(?i:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[ ]?[./-][ ]?\d{1,2}(?:[ ]?[./-][ ]?(?:\d{4}|\d{2}))?"
    rf"|\d{{1,2}}(?:\.|st|nd|rd|th)?[ ]*(?:of[ ]+)?{_MONTHS}(?:,?[ ]+(?:\d{{4}}|'\d{{2}}))?"
    rf"|{_MONTHS}[ ]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ ]+\d{{4}})?)"
)
_BIRTH_DATE = re.compile(
    r"[FfBbDd](?<![^\W_][FfBbDd])(?i:"
    r"(?<=f)(?:ødt|\.|ødselsdato|ødselsdag|ødselsdagen|ødselsdagsdato|ylder[ ]+\d{1,2}(?:[ ]+år)?)"
    r"|(?<=b)(?:orn|irth[ ]?date|irthday)"
    r"|(?<=d)(?:ate[ ]+of[ ]+birth|ob|\.o\.b\.))"
    rf"[ \t]*[:.,]?[ \t]*(?i:(?:den|d\.|on|the|er)[ \t]+)?(?P<date>{_DATE})(?![\w])"
)


_BIRTH_GATE = ("født", "fødsel", "fylder", "born", "birth", "dob", "d.o.b")
_F_DOT_DATE = re.compile(r"[Ff]\.[ ]?\d")  # "f. 3.3.14", not "f.eks."
#: How every match of _BIRTH_DATE begins, in lower case.
_BIRTH_CUES = ("fød", "f.", "fyl", "born", "birth", "date", "dob", "d.o")


#: A birth year after "f." ("f. 2012", "f.2009"): with the age band it narrows to a child.
_BIRTH_YEAR = re.compile(r"[Ff](?<![\w.]f|[\w.]F)\.[ ]?((?:19|20)\d\d)(?![\w]|[.,/-]\d)")


def _birth_dates(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    # Only "f" and "F" lower to "f", only "." to "." (tests/unit/anonymity checks it).
    f_dots = facts.places("f.") if facts.low_aligned else _positions(text, ("f.", "F."))
    for m in matches_at(_BIRTH_YEAR, text, f_dots):
        out.append(Candidate(m.start(1), m.end(1), Kind.DATE, k.R_DATE, P[Kind.DATE]))
    if not facts.has_any(_BIRTH_GATE) and not matches_at(_F_DOT_DATE, text, f_dots):
        return
    for m in matches_after_cues(_BIRTH_DATE, facts, _BIRTH_CUES):
        out.append(Candidate(m.start("date"), m.end("date"), Kind.DATE, k.R_DATE, P[Kind.DATE]))


# ---------------------------------------------------------------------------- exact dates

#: An exact date in any note ("den 27/11-2023", "siden 20.03.2024", "den 23. september"):
#: it ties the note to an event others can recognise. Numeric dates need a year, or "den"
#: / "d." before them, so that fractions and scores ("1/2 time", "3-1") are left alone.
_EXACT_DATE = re.compile(
    r"(?<![\w./-])(?:"
    r"(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:(?:19|20)\d{2}|\d{2})"
    rf"|(?:0?[1-9]|[12]\d|3[01])\.?[ ]?(?i:{_MONTHS})(?![\w])(?:[ ]+(?:19|20)\d{{2}})?"
    r")(?![\w/-]|\.\d)"
    r"|(?<=den )(?<![\w])(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?![\w/.-])"
)


#: The letters a month's name may begin with, as the pattern matches them ignoring case
#: ("ſ" matches "s"; tests/unit/anonymity checks this against all of Unicode).
MONTH_FIRST = frozenset("jfmasondJFMASONDſ")


#: What may follow a day that starts an exact date: "-", ".", "/" or a month's first letter.
_AFTER_DAY = frozenset("-./") | MONTH_FIRST


def _exact_dates(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    # Every form starts with a digit that no word character precedes: at a run's start.
    # The pattern's leading look-behind would make a scan try it at every character.
    # A run can start one when it is a day ("3", "27") before "-", ".", "/" or a month
    # ("3. juni", "3 juni", "3juni"), or a year before "-". ("13 år" cannot: no month
    # begins with "å"; trying the pattern there is slow.)
    text = facts.text
    starts = [
        start
        for start, end in facts.digit_runs
        if (end - start == 4 and text[end : end + 1] == "-")
        or (
            end - start <= 2
            and (
                (after := text[end : end + 1]) in _AFTER_DAY
                or (after == " " and text[end + 1 : end + 2] in MONTH_FIRST)
            )
        )
    ]
    for m in matches_at(_EXACT_DATE, text, starts):
        out.append(Candidate(m.start(), m.end(), Kind.DATE, k.R_EXACT_DATE, P[Kind.DATE]))


# ---------------------------------------------------------------------------- case numbers

#: A year and a serial number ("sag 2024-49796"), the way Danish case systems number cases.
_YEAR_SERIAL = re.compile(r"(?<![\w./-])(?:19|20)\d{2}-\d{5,7}(?![\w/-]|\.\d)")

_CASE = re.compile(
    r"[SsJjRrCcFf](?<![^\W_][SsJjRrCcFf])(?i:"
    r"(?<=s)(?:ags?(?:nummer|nr|[ .\-]nr)|agsnummeret)"
    r"|(?<=j)(?:(?:ournal)?[ .\-]?(?:nummer|nr)|ournalnummeret|r)"
    r"|(?<=r)(?:ef(?:erence)?(?:[ .\-]?(?:nummer|nr|no))?)"
    r"|(?<=c)(?:ase[ ]+(?:no|number|ref)|pr-?nr)"
    r"|(?<=f)(?:ile[ ]+(?:no|number)))\.?[ \t]*(?:[:#][ \t]*)?(?:(?:nr|no)\.?[ \t]*)?"
    r"(?:(?:er|is|lyder[ ]+på)[ \t]+(?=[\w./\-]{3}))?"
    r"(?P<id>(?=[\w./\-]*\d)[^\W_][\w./\-]*[^\W_]|\d)"
)


_CASE_GATE = ("nr", "nummer", "ref", "case", "file", "jr")
#: Capitals "JR" and five digits with no dot: a licence plate's letters, not "jr." (journal).
_PLATE_NOT_JOURNAL = re.compile(r"JR[ ]?\d{2}[ ]?\d{3}")
#: How every match of _CASE begins, in lower case.
_CASE_CUES = ("sag", "j", "ref", "case", "cpr", "file")


def _case_numbers(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    # A year is a run of four digits (with a look-behind first, a scan would be slow).
    years = [
        start for start, end in facts.digit_runs if end - start == 4 and text[end : end + 1] == "-"
    ]
    for m in matches_at(_YEAR_SERIAL, text, years):
        out.append(
            Candidate(m.start(), m.end(), Kind.CASE_NUMBER, k.R_CASE_NUMBER, P[Kind.CASE_NUMBER])
        )
    if not facts.has_any(_CASE_GATE):
        return
    for m in matches_after_cues(_CASE, facts, _CASE_CUES):
        if _PLATE_NOT_JOURNAL.fullmatch(text, m.start(), m.end("id")):
            continue  # "JR42040": a licence plate (see _plates), not "jr. 42040"
        out.append(
            Candidate(
                m.start("id"), m.end("id"), Kind.CASE_NUMBER, k.R_CASE_NUMBER, P[Kind.CASE_NUMBER]
            )
        )


# ---------------------------------------------------------------------------- addresses

#: Street-name endings that make a word a street, capitalised or not.
STRONG_STREET_SUFFIXES = (
    "vej", "vejen", "gade", "gaden", "allé", "alle", "alléen", "stræde", "strædet",
    "boulevard", "boulevarden", "plads", "pladsen", "torv", "torvet", "vænge", "vænget",
)  # fmt: skip
#: Endings that make a *capitalised* word (that is no dictionary word) a street.
WEAK_STREET_SUFFIXES = (
    "park", "parken", "have", "haven", "høj", "højen", "bakke", "bakken", "toften", "tofte",
    "lund", "lunden", "vang", "vangen", "engen", "ager", "ageren", "sti", "stien", "kær",
    "kæret", "dal", "dalen", "bjerg", "bjerget", "holm", "hegn", "hegnet", "skoven", "gård",
    "gården", "marken", "ringen", "løkke", "løkken", "stykket", "bro", "broen", "kvarter",
    "kvarteret", "hus", "huse", "byen", "brink", "brinken", "mose", "mosen", "eng", "krogen",
)  # fmt: skip
#: Street words written apart: "Jens Baggesens Vej", "Baker Street".
STREET_WORDS = word_set(
    """
    vej gade allé alle stræde boulevard plads torv vænge park have bakke sti street road
    avenue lane drive close court place way crescent terrace square
    """
)
_HOUSE_NUMBER = re.compile(
    r"\d(?<=[^\W\d_][ \t]\d)\d{0,3}(?:[ ]?[A-Za-z](?![^\W_]))?(?![\d\w]|[.,]\d)"
)
#: A space or a tab (the test ``in _BLANK`` of an empty slice is true too: a cheap
#: filter, the pattern decides).
_BLANK = " \t"
#: A space or a tab (as a set, the empty slice is not in it).
_BLANKS = frozenset(" \t")
_ASCII_LETTERS = frozenset(string.ascii_letters)
_ASCII_CAPITALS = frozenset(string.ascii_uppercase)
_ASCII_DIGITS = frozenset(string.digits)
#: A space, a tab or a capital of A-Z (one character; the empty slice is in it too).
_BLANK_CAPITAL = " \tABCDEFGHIJKLMNOPQRSTUVWXYZ"
_FLOOR = re.compile(
    r"(?i),?[ \t]*(?:(?:st|stuen|kl|kld|\d{1,2})\.?[ \t]*(?:th|tv|mf|sal)\b\.?|st\b\.?|kld\b\.?)"
)
_EN_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Court|Place|Way|Crescent|Terrace|"
    r"Gardens|Square|Boulevard|Blvd)\b"
)
_EN_ADDRESS = re.compile(
    r"\d(?<![\w.,]\d)\d{0,4}[A-Za-z]?[ \t]+(?:[A-Z][\w'’\-]*[ \t]+){1,3}" + _EN_STREET + r"\.?"
)
#: The street word alone, and the letters it begins with (the plain form of the one below).
_EN_STREET_WORD = re.compile(_EN_STREET)
_EN_STREET_FIRSTS = frozenset(word[0] for word in re.findall(r"[A-Z][a-z]*", _EN_STREET))


def _at_word_start(words: Iterable[str]) -> str:
    """A pattern of ``words`` where no letter or digit precedes them, grouped by their first
    letter, which leads each group (the regex engine skips to those letters in C)."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(
        f"{first}(?<![^\\W_]{first})(?:{'|'.join(sorted(rests, key=len, reverse=True))})"
        for first, rests in groups.items()
    )


#: The street word where a word led by a capital starts (where :data:`_EN_STREET_WORD`
#: matches at one of :attr:`TextFacts.capital_starts`), in one scan: a text without one
#: holds no English address.
_EN_STREET_AT_WORD = re.compile(
    "(?:" + _at_word_start(re.findall(r"[A-Z][a-z]*", _EN_STREET)) + r")\b"
)
_FUNCTION_CAPS = word_set(
    """
    i på til fra ved med og eller men hun han de den det en et min din hans hendes deres
    vores jeres sin sit sine mor far bor boede flyttet flytter adresse adressen in on at to
    from and or the a an my his her their our lives lived
    """
)


def prev_word(text: str, pos: int) -> tuple[str, int, str]:
    """The word before ``pos`` on the same line: (word, its start, the gap up to pos).

    The gap is at most four characters of spaces, tabs, dots and commas ("hr. Jensen").
    """
    if pos > 1 and text[pos - 1] == " " and text[pos - 2] not in " \t.,":
        # The usual case, "lærer Hanne": a word of letters, a space (str methods are fast).
        end = pos - 1
        space = text.rfind(" ", max(0, end - 40), end)
        if space != -1 and text[space + 1 : end].isalpha():
            return text[space + 1 : end], space + 1, " "
    j = pos
    limit = max(0, pos - 4)
    while j > limit and text[j - 1] in " \t.,":
        j -= 1
    end = j
    limit = max(0, end - 40)
    while j > limit and (text[j - 1].isalnum() or text[j - 1] in "-'’."):
        j -= 1
    while j < end and not text[j].isalnum():
        j += 1
    return text[j:end], j, text[end:pos]


def _street_start(text: str, end: int, lex: Lexicon, has_floor: bool) -> int | None:
    """Where the street name that ends at ``end`` starts, or None if it is no street."""
    word, start, gap = prev_word(text, end)
    if not word or gap.strip(" \t"):
        return None
    word = word.rstrip(".")
    low = word.lower()
    capitalised = word[:1].isupper()
    if low in STREET_WORDS and capitalised:
        street, need_more = True, True
    elif (
        low.endswith(STRONG_STREET_SUFFIXES)
        and len(low) >= 6
        and (capitalised or low not in lex.words)
    ) or (
        capitalised
        and low not in lex.words
        and (low.endswith(WEAK_STREET_SUFFIXES) or (has_floor and word not in lex.names))
    ):
        street, need_more = True, False
    else:
        street, need_more = False, False
    if not street:
        return None
    # Take in the capitalised words before it: "Gammel Kongevej", "H.C. Andersens Boulevard".
    taken = 0
    while taken < 3:
        prev, prev_start, gap = prev_word(text, start)
        if gap not in (" ", ". ") or not prev[:1].isupper():
            break
        if prev.lower().rstrip(".") in _FUNCTION_CAPS:
            break
        start = prev_start
        taken += 1
    if need_more and taken == 0:
        return None
    return start


def _addresses(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text, runs = facts.text, facts.digit_runs
    # A house number is a run of one to four digits after a letter and a space or a tab
    # (the letter, ``[^\W\d_]``, is one of str.isalnum's characters).
    numbers = [
        start
        for start, end in runs
        if end - start <= 4
        and text[start - 1 : start] in _BLANK
        and text[start - 2 : start - 1].isalnum()
    ]
    for m in matches_at(_HOUSE_NUMBER, text, numbers):
        # Cheap filter first: a street name is capitalised or has a street ending.
        space = m.start() - 1
        lower_bound = max(0, space - 40)
        word_start = max(text.rfind(" ", lower_bound, space), text.rfind("\n", lower_bound, space))
        word_start = word_start + 1 if word_start >= 0 else lower_bound
        word = text[word_start:space].rstrip(".").lstrip("(\"'«“„[")
        if not word[:1].isupper() and not word.lower().endswith(STRONG_STREET_SUFFIXES):
            continue
        floor = _FLOOR.match(text, m.end())
        start = _street_start(text, space, lex, floor is not None)
        if start is None:
            continue
        end = floor.end() if floor else m.end()
        out.append(Candidate(start, end, Kind.ADDRESS, k.R_ADDRESS, P[Kind.ADDRESS]))
    # Up to five digits, then a letter of A-Z or not, blanks and a capital of A-Z: after
    # the run a space before a blank or a capital, a tab, or an ASCII letter.
    starts = [
        start
        for start, end in runs
        if end - start <= 5
        and (
            ((after := text[end : end + 1]) == " " and text[end + 1 : end + 2] in _BLANK_CAPITAL)
            or after == "\t"
            or (after in _ASCII_LETTERS and text[end + 1 : end + 2] in _BLANKS)
        )
    ]
    # The street word follows a space there, so it starts a word led by a capital: a text
    # without one holds no English address. Where the runs are few, they are tried at
    # once: a match tried at a run costs less than a scan of some 40 characters.
    if len(starts) > len(text) // 40 and not _EN_STREET_AT_WORD.search(text):
        return
    for m in matches_at(_EN_ADDRESS, text, starts):
        out.append(Candidate(m.start(), m.end(), Kind.ADDRESS, k.R_ADDRESS, P[Kind.ADDRESS]))


_POSTCODE = re.compile(
    r"[1-9](?<![\w.,/+][1-9])\d{3}[ \t]+([^\W\d_][^\W\d_]*(?:-[^\W\d_]+)?)"
    r"(?:[ ]+(?:C|K|N|S|V|Ø|J|NV|NØ|SV|SØ)(?![\w]))?"
)


def _postcodes(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    # Four digits (of any script after the first, as \\d matches them) and a blank: a run
    # of four before a space or a tab.
    four = [
        start
        for start, end in facts.digit_runs
        if end - start == 4 and text[end : end + 1] in _BLANKS
    ]
    for m in matches_at(_POSTCODE, text, four):
        town = m.group(1)
        if not town[:1].isupper():
            continue
        low = town.lower()
        end = m.end()
        phrases = lex.town_phrases.get(low)
        if phrases:
            following = facts.lower_slice(m.start(1), m.start(1) + 40)
            for phrase in phrases:
                if (
                    following.startswith(phrase)
                    and not following[len(phrase) : len(phrase) + 1].isalnum()
                ):
                    end = max(end, m.start(1) + len(phrase))
                    break
        known = town in lex.towns or low in lex.lower_towns
        unknown = low not in lex.words and town not in lex.names and low not in lex.allowed
        if known or unknown:
            out.append(
                Candidate(
                    m.start(), end, Kind.POSTCODE_TOWN, k.R_POSTCODE_TOWN, P[Kind.POSTCODE_TOWN]
                )
            )


Detector = Callable[[TextFacts, Lexicon, list[Candidate]], None]

# ---------------------------------------------------------------------------- initials

#: A person's initials ("A.K.", "M.J.", "A. K.", "N.Ç."): two capitals each with a dot.
_INITIALS = re.compile(
    rf"[{CAPITALS}](?<![\w.][{CAPITALS}])\.[ ]?[{CAPITALS}]\.(?![\w]|[{CAPITALS}]\.)"
)
#: Abbreviations of the same shape that name no one.
_NOT_INITIALS = frozenset({"PS", "AP", "US", "EU", "UK", "TV", "PC", "OK", "DR", "AM", "PM"})


#: An initial and a surname ("Z. Vlokh", "M. Jensen", "B. Çelik"): taken when the word is a name or
#: no dictionary word.
_INITIAL_SURNAME = re.compile(
    rf"[{CAPITALS}](?<![\w.][{CAPITALS}])\.[ ]([{CAPITALS}][^\W\d_]+(?:-[{CAPITALS}][^\W\d_]+)?)"
    r"(?![\w])"
)


def _initials(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    if "." not in text:
        return
    # A capital that starts a word, a dot after it (one pass over the words led by a
    # capital, not a scan of the whole text by the regex engine).
    starts = facts.capital_words.initial
    for m in matches_at(_INITIALS, text, starts):
        letters = "".join(c for c in m.group() if c.isalpha())
        if letters not in _NOT_INITIALS:
            out.append(Candidate(m.start(), m.end(), Kind.NAME, k.R_NAME, P[Kind.NAME]))
    for m in matches_at(_INITIAL_SURNAME, text, starts):
        word = m.group(1)
        low = word.lower()
        if word in lex.names or (low not in lex.words and low not in lex.allowed):
            out.append(Candidate(m.start(), m.end(), Kind.NAME, k.R_NAME, P[Kind.NAME]))


# ---------------------------------------------------------------------------- plates, passports

#: A Danish licence plate: two letters and five digits ("AB 12 345", "ab12345", "AB 12345").
#: Both letters in one case; the digits are tried where a run of two or five digits starts.
_PLATE = re.compile(
    r"(?<![\w])(?:[A-Z]{2}|[a-z]{2})[ ]?(?:\d{2}[ ]?\d{3})(?![\w]|[.,:/-]\d)", re.ASCII
)
#: Words before a plate that make two lower-case letters a plate, whatever they spell.
_PLATE_CUES = ("plade", "bil", "nummerplade", "nr.plade", "registrering")
#: Those that speak of the plate itself.
_STRONG_PLATE_CUES = ("plade", "registrering", "reg.nr", "regnr")
#: Two-letter words and units that stand before an amount ("på 12 345", "ca 12 345").
_NOT_PLATE_LETTERS = word_set(
    """
    på er om af at de en et og så nu jo ca kr kl nr to in on of is it an as by or no se
    ud op da ja vi os du mv fx ml km cm mm dl kg ialt til
    """
)


#: A plate written as on the plate: "er 46 492".
_SPACED_PLATE = re.compile(r"[a-z]{2} \d{2} \d{3}")
#: A unit or a currency after a number: an amount, no plate.
_UNIT_AFTER = re.compile(
    r"[ ]?(?:kr|dkk|kroner|km|kilometer|mil|euro|eur|€|\$|,-|timer|minutter|m\b|kg|g\b)",
    re.IGNORECASE,
)


def _plates(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    starts: list[int] = []
    for start, end in facts.digit_runs:
        if end - start in (2, 5) and start >= 2:
            starts.append(start - 3 if text[start - 1] == " " else start - 2)
    # (Two letters first: an ASCII letter's str.isalpha() is true, and a cheap test.)
    starts = sorted(s for s in starts if s >= 0 and text[s : s + 2].isalpha())
    for m in matches_at(_PLATE, text, starts):
        if m.start() and text[m.start() - 1].isalnum():
            continue  # "kørt 12 345 km": the pattern's look-behind knows only ASCII letters
        letters = m.group()[:2]
        if letters.islower() and not m.group()[2:3].isdigit():
            # "på 12 345 kr.": two lower-case letters apart from the digits are a small
            # word, or a dictionary word unless the sentence speaks of a car.
            before = facts.low[max(0, m.start() - 40) : m.start()]
            cued = any(cue in before for cue in _PLATE_CUES)
            if letters in _NOT_PLATE_LETTERS:
                # "nummerplade nr 80 084", "Bilen (Skoda, er 46 492)": a small word too,
                # in the plate's own spacing, after a plate's cue (or a car's, closed by a
                # bracket), with no unit after it ("bilen kostede ca 46 492 kr." stays).
                if not (
                    _SPACED_PLATE.fullmatch(m.group())
                    and not _UNIT_AFTER.match(text, m.end())
                    and (
                        any(cue in before for cue in _STRONG_PLATE_CUES)
                        or (cued and text[m.end() : m.end() + 1] == ")")
                    )
                ):
                    continue
            elif letters in lex.words and not cued:
                continue
        out.append(
            Candidate(
                m.start(), m.end(), Kind.LICENCE_PLATE, k.R_LICENCE_PLATE, P[Kind.LICENCE_PLATE]
            )
        )


#: A passport number after its word: "pasnummer 206123456", "pas nr. FA1234567",
#: "passport no: C01X00T47". Six to ten letters and digits, at least five of them digits.
_PASSPORT = re.compile(
    r"(?i)(?<![\w])(?:pasnummer(?:et)?|pas-?nr\.?|pas[ \t]+nr\.?|pas|passet|passport"
    r"(?:[ \t]+(?:number|no\.?|nr\.?))?)[ \t]*(?:(?:er|is|har|:|#)[ \t]*)?(?:nr\.?[ \t]*)?"
    r"(?P<id>(?=(?:[A-Z]*\d){5})[A-Z0-9]{6,10})(?![\w]|[.,/-]\d)"
)
_PASSPORT_CUES = ("pas",)


def _passports(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    if not facts.has("pas"):
        return
    for m in matches_after_cues(_PASSPORT, facts, _PASSPORT_CUES):
        out.append(
            Candidate(m.start("id"), m.end("id"), Kind.PASSPORT, k.R_PASSPORT, P[Kind.PASSPORT])
        )


# ---------------------------------------------------------------------------- accounts

#: An IBAN: a country's two capitals, two check digits and groups of letters and digits
#: ("DK50 0040 0440 1162 43", "DK5000400440116243"); 15 to 34 signs in all.
_IBAN = re.compile(r"[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])", re.ASCII)
#: A Danish account: a registration number and the account ("reg.nr. 1234 konto
#: 1234567890", "reg. nr. 9570 kontonr. 12345678", "1234-1234567890" after "konto").
_REG_ACCOUNT = re.compile(
    r"(?i)(?<![\w])(?:reg(?:istrerings)?(?:[ .\-]*(?:nr|nummer))?\.?)[ \t]*(?:er|:)?[ \t]*"
    r"(?P<id>\d{4}(?:[ \t]*(?:[,/\-]|og)?[ \t]*(?:(?:konto|kto)(?:[ .\-]*(?:nr|nummer))?\.?"
    r"[ \t]*(?:er|:)?[ \t]*)?\d(?:[ \-]?\d){5,13})?)(?![\w]|[.,/-]\d)"
)
_ACCOUNT = re.compile(
    r"(?i)(?<![\w])(?:konto|kto|bankkonto|account)(?:[ .\-]*(?:nr|nummer|number|no))?\.?"
    r"[ \t]*(?:er|is|:)?[ \t]*(?P<id>\d{4}[ \t]?[-/ ]?[ \t]?\d{6,10}|\d{6,14})"
    r"(?![\w]|[.,/-]\d)"
)
#: MobilePay and the like are phone numbers that stand for an account: "MobilePay 28459123",
#: "mobilepay: 28 45 91 23", "på MobilePay nr. 28 45 91 23", "Swish 070-123 45 67".
_MOBILEPAY = re.compile(
    r"(?i)(?<![\w])(?:mobile[ ]?pay|mobilpay|swish|vipps)[ \t]*(?:(?:på|er|is|:|til)[ \t]*)?"
    r"(?:(?:nr|nummer|number|no)\.?[ \t]*:?[ \t]*)?"
    r"(?P<id>\+?\d(?:[ .\-]?\d){7,11})(?![\w]|[.,/-]\d)"
)
#: A registration number, a gap and an account of ten digits.
_REG_AND_ACCOUNT = re.compile(r"\d{4}[^\d]+\d{10}")
_ACCOUNT_GATE = ("reg", "konto", "kto", "account", "mobilepay", "mobile pay", "mobilpay",
                 "swish", "vipps")  # fmt: skip
_ACCOUNT_CUES = ("konto", "kto", "bankkonto", "account")
_MOBILEPAY_CUES = ("mobile", "mobilpay", "swish", "vipps")


def _accounts(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    text = facts.text
    # Two capitals of A-Z before the run (tested a character at a time: no slice made).
    ibans = [
        start
        for start, _end in facts.digit_runs
        if text[start - 1 : start] in _ASCII_CAPITALS
        and start >= 2
        and text[start - 2 : start - 1] in _ASCII_CAPITALS
    ]
    for start in ibans:
        m = _IBAN.match(text, start - 2)
        if (
            m is not None
            and (start < 3 or not text[start - 3].isalnum())
            and sum(c.isalnum() for c in m.group()) >= 15
        ):
            out.append(Candidate(m.start(), m.end(), Kind.ACCOUNT, k.R_ACCOUNT, P[Kind.ACCOUNT]))
    if not facts.has_any(_ACCOUNT_GATE):
        return
    found = [
        *matches_after_cues(_REG_ACCOUNT, facts, ("reg",)),
        *matches_after_cues(_ACCOUNT, facts, _ACCOUNT_CUES),
        *matches_after_cues(_MOBILEPAY, facts, _MOBILEPAY_CUES),
    ]
    for m in found:
        # A labelled registration number and account ("konto: 6215 2504606375") is one
        # account, also where its ten digits could be read as a CPR number: it ranks
        # above the CPR reading, which would leave the registration number out.
        whole = _REG_AND_ACCOUNT.fullmatch(m.group("id"))
        out.append(
            Candidate(
                m.start("id"), m.end("id"), Kind.ACCOUNT, k.R_ACCOUNT,
                P[Kind.CPR] + 1 if whole else P[Kind.ACCOUNT],
            )
        )  # fmt: skip


# ---------------------------------------------------------------------------- cued numbers

#: A phone number right after its label, in any grouping ("mob.2293 55 18",
#: "tlf: 6 12 84 37 7", "ring på 61 2 84 377"): eight digits, the first 2-9, with single
#: spaces, dots or dashes anywhere between them.
_CUED_PHONE = re.compile(
    r"(?i)(?<![^\W\d_])(?:tlf|telefon|mob|mobil|mobilnr|mobilnummer|ring|sms|phone|tel"
    r"|nummer|nummeret|number)"
    r"(?:[ .\-]?(?:nr|nummer))?\.?:?[ \t]*(?:(?:på|til|er|nr\.?|on|is)[ \t]+)?"
    r"([2-9](?:[ .\-]?\d){7})(?![\w]|[.,/-]\d)"
)
_CUED_PHONE_CUES = ("tlf", "telefon", "mob", "ring", "sms", "phone", "tel", "nummer", "number")
#: Eight digits, the first 2-9, in three to five uneven groups by single spaces, with no
#: label ("28 1 44 901", "4 22 18 93 1"): no amount, date or time is written so.
_UNEVEN_PHONE = re.compile(
    r"[2-9](?<![\w+.,/:-][2-9])(?=(?:\d{1,4}[ ]){2,4}\d{1,4}(?![\w]|[.,/:-]\d))"
    r"(?:\d{0,3}[ ]){2,4}\d{1,4}(?![\w]|[.,/:-]\d)",
    re.ASCII,
)
#: A student, member or customer number after its label ("elevnummer 20446",
#: "elevnr. A20446", "medlemsnr 88123"): a code of four or more signs with a digit.
_CUED_ID = re.compile(
    r"(?i)(?<![^\W\d_])(?:elev|studie|medlems|kunde|bruger|lokker|skab)"
    r"(?:[ \-]?(?:nummer|nr|id))\.?:?[ \t]*(?:(?:er|is)[ \t]+)?"
    r"((?=[\w\-]*\d)[A-Za-z0-9][A-Za-z0-9\-]{3,19})(?![\w])"
)
_CUED_ID_CUES = ("elev", "studie", "medlems", "kunde", "bruger", "lokker", "skab")
#: A MobilePay box or shop number ("MobilePay Box 38211", "mobilepay boks 38211").
_PAY_BOX = re.compile(
    r"(?i)(?<![\w])(?:mobile[ ]?pay|mobilpay)[ \t]+(?:box|boks|myshop)[ \t]*(?:nr\.?[ \t]*)?:?"
    r"[ \t]*(\d{4,6})(?![\w]|[.,/-]\d)"
)
#: How every match of _PAY_BOX begins, in lower case.
_PAY_BOX_CUES = ("mobile", "mobilpay")
#: An e-mail address with "(a)", "[a]", "(snabel-a)" or a lone " a " for the "@":
#: "mille.k(a)gmail.com", "mille.k a gmail.com" (the lone "a" only before a mail
#: provider's domain or after a local part with a digit, a dot or an underscore).
_A_MARKS = (
    "(a)", "[a]", "{a}", "( a )", "[ a ]", "(snabel-a)", "(snabela)", " snabel-a ",
    " snabela ", " a ",
)  # fmt: skip
#: Each of the marks holds one of these.
_A_MARK_SIGNS = (" a ", "a)", "a]", "a}", "snabel")
assert all(any(sign in mark for sign in _A_MARK_SIGNS) for mark in _A_MARKS)
_A_MARK = re.compile("(?i)" + "|".join(re.escape(mark) for mark in _A_MARKS))
_EMAIL_A_LOCAL = re.compile(r"(?<![\w.+-])[\w.+-]+\Z")
_EMAIL_A_DOMAIN = re.compile(rf"(?i)([\w-]+)(?:\.[\w-]+)*\.(?:{_TLDS_EARLY})(?![\w-])")
_MAIL_HOSTS = word_set(
    "gmail hotmail live outlook yahoo icloud me mail jubii stofanet ofir protonmail msn "
    "webspeed youmail post"
)
#: A hospital ward or unit by its number or code ("afsnit 812", "afs. 7", "afd. R2",
#: "afdeling 14", "sengeafsnit 3A") and a club known by its number ("klub 12").
_WARD = re.compile(
    r"(?i)(?<![^\W\d_])(afsnit|afs\.|afd\.|afdeling|sengeafsnit|sengeafdeling|ward|klub)"
    r"[ \t]?((?-i:[A-ZÆØÅ]{1,3})?\d{1,4}(?-i:[A-Z])?)(?![\w]|[.,/-]\d)"
)
_WARD_CUES = ("afs", "afd", "sengeaf", "ward", "klub")
#: The same after a compound's first part ("børneafsnit 41", "intensivafdeling 3"): the
#: finding starts where the word does.
_WARD_TAIL = re.compile(
    r"(?i)(?<=[^\W\d_])(afsnit|afdeling|afd\.)[ \t]?((?-i:[A-ZÆØÅ]{1,3})?\d{1,4}(?-i:[A-Z])?)"
    r"(?![\w]|[.,/-]\d)"
)
_WARD_TAIL_CUE = re.compile(r"(?i)afsnit|afdeling|afd\.")
_HOSPITAL_CUE = re.compile(r"(?i)sygehus|hospital")
#: A hospital named by its type word first ("Sygehus Lillebælt", "Regionshospitalet
#: Gødstrup", "Hospitalsenhed Midt"): the type word capitalised, a capitalised word after it.
_HOSPITAL_FIRST = re.compile(
    r"(?:[A-ZÆØÅ][a-zæøå]*)?(?:Sygehus|sygehus|Hospital|hospital)(?:et|senhed|senheden)?"
    r"[ ]((?:[A-ZÆØÅ][\w\-]+)(?:[ ][A-ZÆØÅ][\w\-]+)?)"
)


def _email_at_mark(text: str, at: int, after: int, lone: bool, out: list[Candidate]) -> None:
    """An e-mail address whose "@" is written as the mark at ``text[at:after]``."""
    local_end = at - 1 if not lone and text[at - 1 : at] in (" ", "\t") else at
    local = _EMAIL_A_LOCAL.search(text, max(0, local_end - 80), local_end)
    if local is None:
        return
    domain_start = after + 1 if not lone and text[after : after + 1] in (" ", "\t") else after
    domain = _EMAIL_A_DOMAIN.match(text, domain_start)
    if domain is None:
        return
    if lone and not (
        domain.group(1).lower() in _MAIL_HOSTS
        or any(c.isdigit() or c in "._" for c in local.group())
    ):
        return
    out.append(Candidate(local.start(), domain.end(), Kind.EMAIL, k.R_EMAIL, P[Kind.EMAIL]))


def _cued_numbers(facts: TextFacts, lex: Lexicon, out: list[Candidate]) -> None:
    """Identifiers known by the word before them: a phone number in uneven groups after
    its label, a student or member number, a MobilePay box, an e-mail address with "(a)"
    for the "@", a hospital ward or a club by its number."""
    text = facts.text
    digits = bool(facts.digit_runs)  # each of these numbers holds one (\d) or more
    if digits and facts.has_any(_CUED_PHONE_CUES):
        for m in matches_after_cues(_CUED_PHONE, facts, _CUED_PHONE_CUES):
            out.append(Candidate(m.start(1), m.end(1), Kind.PHONE, k.R_PHONE, P[Kind.PHONE]))
    # A group of up to four digits led by 2-9, a space and a digit (of 0-9) after it.
    groups = [
        start
        for start, end in facts.digit_runs
        if end - start <= 4
        and text[end : end + 1] == " "
        and text[end + 1 : end + 2] in _ASCII_DIGITS
        and "2" <= text[start] <= "9"
    ]
    for start in groups:
        uneven = _UNEVEN_PHONE.match(text, start)
        # (Digits and single spaces: the digits are the characters but the spaces.)
        if uneven is not None:
            number = uneven.group()
            if len(number) - number.count(" ") == 8:
                out.append(
                    Candidate(uneven.start(), uneven.end(), Kind.PHONE, k.R_PHONE, P[Kind.PHONE])
                )
    if digits and facts.has_any(_CUED_ID_CUES):
        for m in matches_after_cues(_CUED_ID, facts, _CUED_ID_CUES):
            out.append(Candidate(m.start(1), m.end(1), Kind.HANDLE, k.R_HANDLE, P[Kind.HANDLE]))
    if digits and facts.has("pay"):
        for m in matches_after_cues(_PAY_BOX, facts, _PAY_BOX_CUES):
            out.append(Candidate(m.start(1), m.end(1), Kind.ACCOUNT, k.R_ACCOUNT, P[Kind.ACCOUNT]))
    if facts.low_aligned:
        # Every place of each mark (no mark can be written again less than its length
        # but one sign after itself, as the search from there found them).
        if facts.short:  # searched for here: a search of a short text is cheap
            low = facts.low
            # Each mark holds one of these (a test each, not a search per mark).
            marks = _A_MARKS if any(sign in low for sign in _A_MARK_SIGNS) else ()
            for mark in marks:
                position = low.find(mark)
                while position != -1:
                    _email_at_mark(text, position, position + len(mark), mark == " a ", out)
                    position = low.find(mark, position + 1)
        else:
            facts.places(" snabel")  # the two marks that begin so are found among these
            for mark in _A_MARKS:
                for position in facts.places(mark):
                    _email_at_mark(text, position, position + len(mark), mark == " a ", out)
    else:  # the lower-cased text's offsets are not the text's: find the marks in it
        for m in _A_MARK.finditer(text):
            _email_at_mark(text, m.start(), m.end(), m.group() == " a " or m.group() == " A ", out)
    if digits and facts.has_any(_WARD_CUES):
        for m in matches_after_cues(_WARD, facts, _WARD_CUES):
            # A hospital's ward keeps its arena ("[hospital]"), as a named school does.
            replacement = "[klub]" if m.group(1).lower() == "klub" else "[hospital]"
            out.append(_institution(m.start(), m.end(), replacement))
        tails = facts.cue_starts(("afsnit", "afdeling", "afd."))
        if tails is None:  # the lower-cased text's offsets are not the text's
            tails = [m.start() for m in _WARD_TAIL_CUE.finditer(text)]
        for start in tails:
            tail = _WARD_TAIL.match(text, start)
            if tail is not None and start > 0 and text[start - 1].isalpha():
                first = start
                while first > 0 and text[first - 1].isalpha():
                    first -= 1
                out.append(_institution(first, tail.end(), "[hospital]"))
    if facts.has("sygehus") or facts.has("hospital"):
        if facts.low_aligned:
            hospitals = sorted(facts.places("sygehus") + facts.places("hospital"))
        else:  # the lower-cased text's offsets are not the text's
            hospitals = [m.start() for m in _HOSPITAL_CUE.finditer(text)]
        for start in hospitals:
            first = start
            while first > 0 and text[first - 1].isalpha():
                first -= 1
            if not text[first].isupper():
                continue
            named = _HOSPITAL_FIRST.match(text, first)
            if named is not None and named.group(1).split()[0].lower() not in _FUNCTION_CAPS:
                out.append(_institution(named.start(), named.end(), "[hospital]"))


def _institution(start: int, end: int, replacement: str) -> Candidate:
    return Candidate(
        start, end, Kind.INSTITUTION, k.R_INSTITUTION, P[Kind.INSTITUTION], replacement
    )


DETECTORS: tuple[Detector, ...] = (
    _cprs,
    _phones,
    _emails_and_handles,
    _links,
    _birth_dates,
    _exact_dates,
    _case_numbers,
    _addresses,
    _postcodes,
    _initials,
    _plates,
    _passports,
    _accounts,
    _cued_numbers,
)


#: The detectors whose every finding holds a digit (``\d``, of any script): a text
#: without one is not given to them (most paragraphs of a note hold no number).
NEED_A_DIGIT = frozenset(
    {
        _cprs,
        _phones,
        _birth_dates,
        _exact_dates,
        _case_numbers,
        _addresses,
        _postcodes,
        _plates,
        _passports,
        _accounts,
    }
)
_WITHOUT_DIGITS = tuple(detector for detector in DETECTORS if detector not in NEED_A_DIGIT)


def find_patterns(text: str | TextFacts, lex: Lexicon) -> list[Candidate]:
    """All shaped identifiers in ``text`` (they may overlap; the engine resolves that)."""
    facts = text if isinstance(text, TextFacts) else TextFacts(text)
    out: list[Candidate] = []
    for detector in DETECTORS if facts.digit_runs else _WITHOUT_DIGITS:
        detector(facts, lex, out)
    return out
