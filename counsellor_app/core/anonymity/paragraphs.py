"""Scan a text paragraph by paragraph, and again only where it changed.

:class:`ParagraphScanner` finds what :func:`find_identifiers` finds in the whole text,
but remembers each paragraph's part of the work, so that a note edited in one place costs
a scan of that paragraph (and of the next, whose look-back it is), not of the whole note:
the anonymity guard scans a note after every pause in typing.

A paragraph (a line of the text) is scanned with up to :data:`CONTEXT_CHARS` of the text
before it, so that a detector that looks back ("tlf." on the line above a number) sees
what it would see in the whole text; what lies in that context is dropped. Then what the
whole text decides about a paragraph is added, as the whole-text scan does it: a name at
a sentence start that is also a word counts when the same name is found anywhere (the
deferred names), and a lower-case name or unknown word written anywhere is looked for in
every paragraph (where it is glued to other signs, "x/oliver"). Should a candidate cross
a line (none does), the whole text is scanned as one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from itertools import accumulate, chain
from operator import itemgetter
from typing import NamedTuple

from counsellor_app.core.anonymity import kinds as k
from counsellor_app.core.anonymity import names
from counsellor_app.core.anonymity.data import Lexicon, lexicon
from counsellor_app.core.anonymity.engine import (
    Finding,
    choose_findings,
    find_identifiers,
    moved_finding,
)
from counsellor_app.core.anonymity.kinds import Candidate, IdentifierKind
from counsellor_app.core.anonymity.names import (
    carried_lower_names,
    find_lower_case_words,
    find_name_parts,
    lower_name_candidates,
    merge_names,
)
from counsellor_app.core.anonymity.patterns import TextFacts, find_patterns
from counsellor_app.core.i18n import _

#: How much of the text before a paragraph its scan sees (detectors look back 40 signs).
CONTEXT_CHARS = 64
#: A word as the whole-text scan looks for lower-case words: letters and digits, joined
#: by single hyphens or apostrophes.
_RUN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
#: A whole word, as a name carried in lower case is looked for (names.lower_name_candidates).
_WORD = re.compile(r"[^\W_]+")
_NONE: frozenset[str] = frozenset()
_NO_LINES: frozenset[int] = frozenset()
#: ``n + 1`` (a method of C, for ``map``).
_plus_one = (1).__add__
#: Signs stripped from a word's ends before it counts as a plain word of the paragraph.
_EDGES = ".,;:!?\"'()"


class ScannedParagraph(NamedTuple):
    """One paragraph (line) of a scanned text and its findings."""

    #: Where the paragraph starts in the whole text.
    start: int
    text: str
    #: Its findings, with offsets into the whole text.
    findings: tuple[Finding, ...]
    #: The same findings as (start, end) within the paragraph.
    spans: tuple[tuple[int, int], ...]


class Part(NamedTuple):
    """What a paragraph's own words decide (offsets within the paragraph)."""

    patterns: list[Candidate]
    names: list[Candidate]
    deferred: list[tuple[int, int]]
    #: The texts of the name candidates (they make deferred names count anywhere).
    flagged: frozenset[str]
    #: Lower-case words looked for in the whole text (see ``NameParts.lower_words``).
    lower_words: frozenset[str]
    #: Words of the paragraph that are not written apart ("x/oliver", "oliver,"): where
    #: another paragraph's lower-case word may stand glued.
    glued: frozenset[str]
    #: Lower-case words of the paragraph that are no dictionary word: where a name found
    #: capitalised in another paragraph may stand in lower case (carried_lower_names).
    lower_tokens: frozenset[str]
    #: A candidate crossed from the context into the paragraph.
    crosses: bool


class _Result(NamedTuple):
    findings: tuple[Finding, ...]
    spans: tuple[tuple[int, int], ...]


class _Line(NamedTuple):
    """A paragraph of the last text: what it decides itself, and what it found."""

    part: Part
    accepted: tuple[tuple[int, int], ...]
    extra: frozenset[str]
    result: _Result
    scanned: ScannedParagraph


class ParagraphScanner:
    """Scans texts for identifiers, remembering each paragraph's findings; the findings
    are those of :func:`find_identifiers` of the whole text.

    The paragraphs the last text began and ended with are compared first: those the edit
    left alone keep their findings (moved by what the edit added or removed), unless a
    word the edit added or removed is one their findings depend on.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget every paragraph."""
        self._lines: list[_Line] = []
        self._texts: list[str] = []
        self._length = 0
        #: Parts scanned lately, for text that comes back (undo, a line moved).
        self._recent: dict[tuple[str, str], Part] = {}
        #: How many paragraphs of the last text hold each word (see Part).
        self._lower_words: Counter[str] = Counter()
        self._flagged: Counter[str] = Counter()
        self._crossing = 0
        self._language = _(k.R_NAME)

    def scan(self, text: str) -> list[ScannedParagraph]:
        """The paragraphs of ``text`` with their findings."""
        if _(k.R_NAME) != self._language:  # the reasons are in another language now
            self.clear()
        lines = text.split("\n")
        old_lines, old_texts = self._lines, self._texts
        n_new, n_old = len(lines), len(old_texts)
        head = 0
        most = min(n_new, n_old)
        while head < most and lines[head] == old_texts[head]:
            head += 1
        tail = 0
        while tail < most - head and lines[n_new - 1 - tail] == old_texts[n_old - 1 - tail]:
            tail += 1
        # A paragraph whose context reaches into the edit is scanned again.
        before = 0
        first_tail = n_new - tail
        while first_tail < n_new and before < CONTEXT_CHARS:
            before += len(lines[first_tail]) + 1
            first_tail += 1
        tail = n_new - first_tail
        delta = len(text) - self._length

        starts = list(accumulate(map(_plus_one, map(len, lines)), initial=0))
        starts.pop()  # (where a line after the last would start)

        recent = self._recent
        if len(recent) > 4 * (n_new - head - tail) + 256:
            recent.clear()
        parts: list[Part] = []
        for index in range(head, n_new - tail):
            line = lines[index]
            key = (context_before(text, starts[index]), line)
            part = recent.get(key)
            if part is None:
                part = recent[key] = scan_part(key[0], line)
            parts.append(part)
        gone = [old.part for old in old_lines[head : n_old - tail]]
        changed_lower, changed_flagged = self._count(gone, parts)

        # The paragraphs left alone keep their findings (moved by what the edit added or
        # removed), unless a word that came or went is one their findings depend on.
        redo = (
            self._affected(lines, head, tail, changed_lower, changed_flagged)
            if changed_lower or changed_flagged
            else _NO_LINES
        )
        finish = self._finish
        new_lines = old_lines[:head]
        for index in redo:
            if index < head:
                new_lines[index] = finish(lines[index], starts[index], new_lines[index].part)
        new_lines.extend(
            finish(lines[index], starts[index], part) for index, part in enumerate(parts, head)
        )
        shift = n_old - n_new
        for index in range(n_new - tail, n_new):
            old = old_lines[index + shift]
            if index in redo:
                new_lines.append(finish(lines[index], starts[index], old.part))
            elif delta:  # moved
                result = old.result
                placed = _placed(result, starts[index], lines[index])
                new_lines.append(_Line(old.part, old.accepted, old.extra, result, placed))
            else:
                new_lines.append(old)
        self._lines, self._texts, self._length = new_lines, lines, len(text)
        if self._crossing:
            return _whole(text, lines, starts)
        return [new_line.scanned for new_line in new_lines]

    def _affected(
        self,
        lines: list[str],
        head: int,
        tail: int,
        changed_lower: frozenset[str],
        changed_flagged: frozenset[str],
    ) -> frozenset[int]:
        """The paragraphs left alone by the edit (the first ``head`` and the last ``tail``
        of ``lines``) whose findings depend on a word that came or went: a lower-case
        word glued to others there, a deferred name, a name carried in lower case."""
        old_lines = self._lines
        n_new, n_old = len(lines), len(self._texts)
        found = []
        for index in chain(range(head), range(n_new - tail, n_new)):
            part = old_lines[index if index < head else index - n_new + n_old].part
            if (changed_lower and part.glued and not changed_lower.isdisjoint(part.glued)) or (
                changed_flagged
                and (
                    (part.deferred and _defers(lines[index], part, changed_flagged))
                    or (part.lower_tokens and _carries(part, changed_flagged))
                )
            ):
                found.append(index)
        return frozenset(found)

    def _finish(self, line: str, start: int, part: Part) -> _Line:
        accepted, extra, result = decide(line, part, self._flagged, self._lower_words)
        return _Line(part, accepted, extra, result, _placed(result, start, line))

    def _count(self, gone: list[Part], added: list[Part]) -> tuple[frozenset[str], frozenset[str]]:
        """Count the words of ``added`` in and those of ``gone`` out; return the words that
        came or went (lower-case words, names)."""
        changes: list[frozenset[str]] = []
        for counter, field in ((self._lower_words, "lower_words"), (self._flagged, "flagged")):
            # (as dicts: Counter's update and subtract test for a Mapping, through abc)
            old = [getattr(part, field) for part in gone]
            new = [getattr(part, field) for part in added]
            touched: set[str] = set().union(*old, *new)
            if not touched:
                changes.append(_NONE)
                continue
            get = counter.get
            present = {word for word in touched if get(word, 0) > 0}
            for words in old:
                for word in words:
                    counter[word] = get(word, 0) - 1
            for words in new:
                for word in words:
                    counter[word] = get(word, 0) + 1
            now = set()
            for word in touched:
                if counter[word] > 0:
                    now.add(word)
                else:
                    del counter[word]
            changes.append(frozenset(present ^ now))
        self._crossing += sum(part.crosses for part in added) - sum(p.crosses for p in gone)
        return changes[0], changes[1]


def decide(
    line: str, part: Part, flagged: Mapping[str, int], lower_words: Mapping[str, int]
) -> tuple[tuple[tuple[int, int], ...], frozenset[str], _Result]:
    """What the whole text decides about the paragraph ``line`` (scanned into ``part`` by
    :func:`scan_part`): its deferred names that are names (``flagged``: how many
    paragraphs flag each name), the other paragraphs' lower-case words glued to signs in
    it (``lower_words``: how many paragraphs look for each), and its findings with them."""
    # (Mapping.get: a missing word costs no call of Counter.__missing__; most paragraphs
    # have none of these, then nothing is made.)
    is_flagged, is_lower_word = flagged.get, lower_words.get
    accepted = (
        tuple(d for d in part.deferred if is_flagged(line[d[0] : d[1]], 0)) if part.deferred else ()
    )
    extra = (
        frozenset(w for w in part.glued if is_lower_word(w, 0) and w not in part.lower_words)
        if part.glued
        else _NONE
    )
    carried = (
        carried_lower_names(
            [w.capitalize() for w in part.lower_tokens if is_flagged(w.capitalize(), 0)],
            lexicon(),
        )
        if part.lower_tokens
        else _NONE
    )
    return accepted, extra, part_findings(line, part, accepted, extra, carried)


def _defers(line: str, part: Part, names: frozenset[str]) -> bool:
    return any(line[start:end] in names for start, end in part.deferred)


def _carries(part: Part, names: frozenset[str]) -> bool:
    return any(n.lower() in part.lower_tokens for n in names)


def _placed(result: _Result, start: int, line: str) -> ScannedParagraph:
    """The paragraph's findings placed at ``start`` in the whole text. (An edit moves
    every paragraph after it: each of their findings is made again, so the making is
    cheap: :func:`moved_finding`, no NamedTuple ``__new__``.)"""
    findings = result.findings
    if start and findings:
        findings = tuple([moved_finding(finding, start) for finding in findings])
    return _new_tuple(ScannedParagraph, (start, line, findings, result.spans))


_new_tuple = tuple.__new__


def context_before(text: str, start: int) -> str:
    """The text before the paragraph at ``start`` that its scan sees, from a word's start."""
    if start == 0:
        return ""
    begin = start - CONTEXT_CHARS
    if begin <= 0:
        return text[:start]
    if not text[begin - 1].isspace():  # from after a space or a line's end, not mid-word
        space = text.find(" ", begin, start)
        line = text.find("\n", begin, start)  # there is one: the paragraph's own
        begin = (min(space, line) if space != -1 else line) + 1
    return text[begin:start]


def scan_part(context: str, line: str, tokens: bool = True) -> Part:
    """What ``line`` decides by its own words, scanned after ``context`` (the text before
    it that its scan sees, :func:`context_before`). ``line`` is a paragraph, or several
    lines of a long text scanned as one (``large.py``): the same decomposition, coarser.
    Without ``tokens`` the words other parts' words are looked for among (``glued``,
    ``lower_tokens``) are left empty: a caller that looks for all of those words in the
    part (``large.py``) needs no such list of them."""
    lex = lexicon()
    unit = context + line
    offset = len(context)
    facts = TextFacts(unit)
    patterns = find_patterns(facts, lex)
    found = find_name_parts(unit, lex, facts)
    crosses = any(c.start < offset < c.end for c in (*patterns, *found.candidates))
    names = [_shift(c, offset) for c in found.candidates if c.start >= offset]
    # Per white-space token, what it holds (the line's words and runs are its tokens').
    held = list(map(_token_words(lex).__getitem__, line.split())) if tokens else []
    return Part(
        patterns=[_shift(c, offset) for c in patterns if c.start >= offset],
        names=names,
        deferred=[(s - offset, e - offset) for s, e in found.deferred if s >= offset],
        flagged=frozenset(line[c.start : c.end] for c in names if c.kind is IdentifierKind.NAME),
        lower_words=found.lower_words,
        glued=frozenset(chain.from_iterable(map(_second, held))).difference(map(_first, held))
        if held
        else _NONE,
        lower_tokens=frozenset(chain.from_iterable(map(_third, held))) if held else _NONE,
        crosses=crosses,
    )


class _TokenWords(dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]):
    """Per white-space token (``str.split``) of a line: the token without the signs at its
    ends (:data:`_EDGES`), the runs (:data:`_RUN`) in it other than that, and its words
    (:data:`_WORD`) in lower case, of letters, that are no dictionary word. Worked out once
    per token (a note repeats its words, its scans more so). No run or word crosses white
    space, so a line's are those of its tokens."""

    def __init__(self, words: frozenset[str]) -> None:
        super().__init__()
        self.words = words

    def __missing__(self, token: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        words = self.words
        stripped = token.strip(_EDGES)
        value = (
            stripped,
            # (the stripped token itself is one of the line's tokens: never glued)
            tuple(run for run in _RUN.findall(token) if run != stripped),
            tuple(
                word
                for word in _WORD.findall(token)
                if word.islower() and word.isalpha() and word not in words
            ),
        )
        if len(self) < 100_000:
            self[token] = value
        return value


def forget_seen_words() -> None:
    """Drop every memo of the words the scans have seen (words of the notes): the name
    pass's (:func:`names.forget_seen_words`) and the paragraph scan's tokens; at a lock."""
    names.forget_seen_words()
    _token_words.cache_clear()


@cache
def _token_words(lex: Lexicon) -> _TokenWords:
    return _TokenWords(lex.words)


_first, _second, _third = itemgetter(0), itemgetter(1), itemgetter(2)


def _shift(candidate: Candidate, offset: int) -> Candidate:
    if not offset:
        return candidate
    return candidate._replace(start=candidate.start - offset, end=candidate.end - offset)


def part_findings(
    line: str,
    part: Part,
    accepted: tuple[tuple[int, int], ...],
    extra: frozenset[str],
    carried: frozenset[str] = frozenset(),
) -> _Result:
    """The findings of ``line`` (scanned into ``part``) with what the whole text decides:
    the ``accepted`` deferred names, the other parts' lower-case words ``extra`` looked
    for in it, and the names ``carried`` in lower case (see :func:`decide`)."""
    names = list(part.names)
    for start, end in accepted:
        names.append(
            Candidate(start, end, IdentifierKind.NAME, k.R_NAME, k.PRIORITY[IdentifierKind.NAME])
        )
    if extra:
        names.extend(find_lower_case_words(line, lexicon(), sorted(extra)))
    if carried:
        names.extend(lower_name_candidates(line, carried, names))
    merged = merge_names(sorted(names), line)
    findings = tuple(choose_findings(line, part.patterns, merged))
    return _Result(findings, tuple((f.start, f.end) for f in findings))


def _whole(text: str, lines: list[str], starts: list[int]) -> list[ScannedParagraph]:
    """The findings of the whole text, handed out to its paragraphs."""
    findings = find_identifiers(text)
    out: list[ScannedParagraph] = []
    index = 0
    for line, start in zip(lines, starts, strict=True):
        end = start + len(line)
        mine: list[Finding] = []
        while index < len(findings) and findings[index].start <= end:
            mine.append(findings[index])
            index += 1
        spans = tuple((f.start - start, min(f.end, end) - start) for f in mine)
        out.append(ScannedParagraph(start, line, tuple(mine), spans))
    return out
