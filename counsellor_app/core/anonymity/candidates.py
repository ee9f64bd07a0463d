"""Candidates: what may still identify someone in a de-identified text, though the engine
did not call it an identifier (issue 13).

The export previews mark them in a colour of their own; they never block an export (the
engine's own second scan does that), they ask the counsellor to look once more before
anything leaves:

* **digits**: a run of four or more digits left in the text ("4821", "12 34", "2-0-3-0"),
  which may be part of a number the engine did not recognise (a birth year is one too);
* **capitalised**: a word written with a capital inside a sentence (where a name stands
  in Danish) that is neither a dictionary word nor one of the allowed proper nouns
  (public bodies, countries, brands), as an unlisted name or place would be.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from counsellor_app.core.anonymity.data import lexicon


class CandidateKind(StrEnum):
    """Why a span of a de-identified text is a candidate."""

    DIGITS = "digits"
    CAPITALISED = "capitalised"


@dataclass(frozen=True)
class Candidate:
    """``text[start:end]`` may identify someone (see the module); it does not block."""

    start: int
    end: int
    kind: CandidateKind


#: Four or more digits, each separated from the next by at most one space or dash
#: ("4821", "48 21", "4-8-2-1"); a time or a date with dots ("16.30") is no run. (No
#: look-behind: a match starts at a run's first digit anyway, and is three times faster.)
_DIGITS = re.compile(r"\d(?:[ \-\u2010-\u2013]?\d){3,}")
#: Public numbers a note may name (the helplines the engine keeps too): no candidates.
_PUBLIC_NUMBERS = frozenset({"116111", "116123", "70201201", "1813", "33141414"})
#: A word of letters (an apostrophe inside, for English possessives) that begins with a
#: letter other than a lower-case Latin one: most words of a note are not even looked at.
_WORD = re.compile(r"\b[^\W\d_a-z\u00df-\u00f6\u00f8-\u00ff][^\W\d_]*(?:['\u2019][^\W\d_]+)?")
#: English months and weekdays, capitalised inside a sentence in English notes.
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
#: After these (and spaces, quotes, brackets before the word) a new sentence begins.
_SENTENCE_END = frozenset(".!?:;…\n•*")
_OPENERS = frozenset(" \t\"'“”‘’«»([{-–—")


def _starts_sentence(text: str, start: int) -> bool:
    at = start - 1
    while at >= 0 and text[at] in _OPENERS:
        at -= 1
    return at < 0 or text[at] in _SENTENCE_END


@lru_cache(maxsize=8192)
def _known(word: str) -> bool:
    lex = lexicon()
    low = word.casefold().replace("\u2019", "'")
    stems = {low}
    for ending in ("'s", "'", "s"):  # possessives: "Mettes", "Jensen's"
        if low.endswith(ending) and len(low) > len(ending) + 1:
            stems.add(low[: -len(ending)])
    return any(stem in lex.words or stem in lex.allowed or stem in _CALENDAR for stem in stems)


class _Spans:
    """Sorted, non-overlapping (start, end) spans, asked whether a span overlaps one of
    them by bisection (a long text holds a thousand placeholders)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._ends = [end for _start, end in self._spans]

    def overlap(self, start: int, end: int) -> bool:
        index = bisect_right(self._ends, start)  # the first span ending after start
        return index < len(self._spans) and self._spans[index][0] < end


def find_candidates(
    text: str, *, kept: Collection[str] = (), skip: Iterable[tuple[int, int]] = ()
) -> list[Candidate]:
    """The candidates in ``text`` (a de-identified text), sorted by position: leftover
    runs of four or more digits and unknown capitalised words inside a sentence. Words in
    ``kept`` (case-folded: the counsellor's "not an identifier") and spans in ``skip``
    ((start, end): placeholders, kept words) are no candidates."""
    spans = _Spans(skip)
    found: list[Candidate] = []
    for match in _DIGITS.finditer(text):
        digits = "".join(ch for ch in match.group() if ch.isdigit())
        if digits not in _PUBLIC_NUMBERS and not spans.overlap(match.start(), match.end()):
            found.append(Candidate(match.start(), match.end(), CandidateKind.DIGITS))
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) < 2 or not word[0].isupper() or word.isupper():
            continue  # lower case, or an abbreviation in capitals (PPR, ADHD)
        start, end = match.span()
        if start > 0 and text[start - 1] == "[":
            continue  # a placeholder's word
        if word.casefold() in kept or _known(word) or _starts_sentence(text, start):
            continue  # (the cheap look-ups first)
        if text[end : end + 2] in {"- ", "-\n"}:
            continue  # the first part of a compound ("Børne- og Ungeudvalget")
        if not spans.overlap(start, end):
            found.append(Candidate(start, end, CandidateKind.CAPITALISED))
    found.sort(key=lambda candidate: candidate.start)
    return found
