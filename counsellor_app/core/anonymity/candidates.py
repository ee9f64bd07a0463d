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
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

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
#: ("4821", "48 21", "4-8-2-1"); a time or a date with dots ("16.30") is no run.
_DIGITS = re.compile(r"(?<!\d)\d(?:[ \-\u2010-\u2013]?\d){3,}(?!\d)")
#: Public numbers a note may name (the helplines the engine keeps too): no candidates.
_PUBLIC_NUMBERS = frozenset({"116111", "116123", "70201201", "1813", "33141414"})
#: A word of letters (an apostrophe inside, for English possessives).
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
#: After these (and spaces, quotes, brackets before the word) a new sentence begins.
_SENTENCE_END = frozenset(".!?:;…\n•*")
_OPENERS = frozenset(" \t\"'“”‘’«»([{-–—")


def _starts_sentence(text: str, start: int) -> bool:
    at = start - 1
    while at >= 0 and text[at] in _OPENERS:
        at -= 1
    return at < 0 or text[at] in _SENTENCE_END


def _known(word: str) -> bool:
    lex = lexicon()
    low = word.casefold().replace("\u2019", "'")
    stems = {low}
    for ending in ("'s", "'", "s"):  # possessives: "Mettes", "Jensen's"
        if low.endswith(ending) and len(low) > len(ending) + 1:
            stems.add(low[: -len(ending)])
    return any(stem in lex.words or stem in lex.allowed for stem in stems)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < to and end > at for at, to in spans)


def find_candidates(
    text: str, *, kept: Collection[str] = (), skip: Iterable[tuple[int, int]] = ()
) -> list[Candidate]:
    """The candidates in ``text`` (a de-identified text), sorted by position: leftover
    runs of four or more digits and unknown capitalised words inside a sentence. Words in
    ``kept`` (case-folded: the counsellor's "not an identifier") and spans in ``skip``
    ((start, end): placeholders, kept words) are no candidates."""
    spans = list(skip)
    found: list[Candidate] = []
    for match in _DIGITS.finditer(text):
        digits = "".join(ch for ch in match.group() if ch.isdigit())
        if digits not in _PUBLIC_NUMBERS and not _overlaps(match.start(), match.end(), spans):
            found.append(Candidate(match.start(), match.end(), CandidateKind.DIGITS))
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) < 2 or not word[0].isupper() or word.isupper():
            continue  # lower case, or an abbreviation in capitals (PPR, ADHD)
        start, end = match.span()
        if start > 0 and text[start - 1] == "[":
            continue  # a placeholder's word
        if _starts_sentence(text, start) or word.casefold() in kept or _known(word):
            continue
        if not _overlaps(start, end, spans):
            found.append(Candidate(start, end, CandidateKind.CAPITALISED))
    found.sort(key=lambda candidate: candidate.start)
    return found
