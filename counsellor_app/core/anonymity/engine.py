"""Find identifiers in a note and replace them with placeholders."""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress, count, islice
from operator import itemgetter, lt

from counsellor_app.core.anonymity.contacts import is_allowed_contact
from counsellor_app.core.anonymity.data import lexicon
from counsellor_app.core.anonymity.kinds import (
    Candidate,
    IdentifierKind,
    all_placeholders,
    placeholder,
)
from counsellor_app.core.anonymity.names import find_names, merge_names
from counsellor_app.core.anonymity.patterns import TextFacts, find_patterns
from counsellor_app.core.i18n import _

_PLACEHOLDER = re.compile(
    "|".join(re.escape(p) for p in sorted(all_placeholders(), key=len, reverse=True))
)


@dataclass(frozen=True)
class Finding:
    """One identifier: ``text[start:end]`` of the scanned text is of ``kind``."""

    start: int
    end: int
    kind: IdentifierKind
    #: A short sentence in the current language: what was found and why it matters.
    reason: str = field(compare=False)
    #: What :func:`deidentify` writes instead; usually ``placeholder(kind)``, more specific
    #: for institutions ("[skole]") and municipalities ("[kommune i Region Midtjylland]").
    replacement: str = ""

    @property
    def placeholder(self) -> str:
        return self.replacement or placeholder(self.kind)


@dataclass(frozen=True)
class Deidentified:
    """The result of :func:`deidentify`."""

    #: The text with every identifier replaced by its placeholder.
    text: str
    #: The identifiers, with offsets into the *input* text.
    findings: list[Finding]
    #: How many identifiers of each kind were replaced (kinds not found are left out).
    counts: dict[IdentifierKind, int]


def _resolve(candidates: list[Candidate], blocked: list[tuple[int, int]]) -> list[Candidate]:
    """Keep the best candidates that do not overlap each other or ``blocked`` spans.

    Greedy, best first (priority, then length, then position, then the order given). Only
    spans that overlap (directly or through others) can exclude each other, so the greedy
    runs apart in each cluster of overlapping spans, and a span alone is kept as it is:
    one list of chosen spans for the whole text would cost a list insertion per candidate,
    quadratic in a long text (10 s at 20 MB).

    The spans sorted, a cluster's second span overlaps its first (nothing else is before
    it in the cluster): C-level passes find where a span overlaps the one before it, a
    loop grows a cluster from each such place, and the spans between clusters (most of
    them) are taken in one go, not looked at one by one.
    """
    starts = list(map(_start_of, candidates))
    ends = list(map(_end_of, candidates))
    spans = list(zip(starts, ends, count()))
    if not all(map(lt, starts, ends)):  # empty candidates take no place
        spans = [span for span in spans if span[0] < span[1]]
    if blocked:
        spans += [(start, end, -1) for start, end in blocked]
    spans.sort()
    n = len(spans)
    starts = list(map(_start_of, spans))
    ends = list(map(_end_of, spans))
    take = candidates.__getitem__
    out: list[Candidate] = []
    done = 0  # the spans before this one are dealt with
    for second in compress(count(1), map(lt, islice(starts, 1, None), ends)):
        if second < done:
            continue  # in the cluster just resolved
        first = second - 1
        reach = max(ends[first], ends[second])
        last = second + 1
        while last < n and starts[last] < reach:
            if ends[last] > reach:
                reach = ends[last]
            last += 1
        if first > done:  # spans that overlap nothing: each kept (but a blocked one)
            if blocked:
                out.extend(candidates[i] for _s, _e, i in spans[done:first] if i >= 0)
            else:
                out.extend(map(take, map(_index_of, spans[done:first])))
        done = last
        if last - first == 2:
            # Two spans that overlap (the usual cluster): the better one, unless either
            # is blocked (then neither). What the greedy below would choose, cheaper.
            one, other = spans[first][2], spans[second][2]
            if one >= 0 and other >= 0:
                a, b = candidates[one], candidates[other]
                if (-a.priority, a.start - a.end, a.start, one) < (
                    -b.priority,
                    b.start - b.end,
                    b.start,
                    other,
                ):
                    out.append(a)
                else:
                    out.append(b)
        else:
            out.extend(_resolve_cluster(candidates, spans[first:last]))
    if n > done:
        if blocked:
            out.extend(candidates[i] for _s, _e, i in spans[done:] if i >= 0)
        else:
            out.extend(map(take, map(_index_of, spans[done:])))
    return out


_start_of = itemgetter(0)
_end_of = itemgetter(1)
_index_of = itemgetter(2)
#: Up to this many spans a cluster's chosen ones are compared one by one.
_SMALL_CLUSTER = 12


def _resolve_cluster(
    candidates: list[Candidate], spans: list[tuple[int, int, int]]
) -> list[Candidate]:
    """:func:`_resolve` for one cluster of overlapping spans (index -1: a blocked span)."""
    ranked: list[tuple[int, int, int, int]] = []
    taken: list[tuple[int, int]] = []  # the blocked spans, then the chosen ones
    for start, end, index in spans:
        if index < 0:
            taken.append((start, end))
        else:
            ranked.append((-candidates[index].priority, start - end, start, index))
    ranked.sort()
    if len(spans) <= _SMALL_CLUSTER:
        chosen: list[int] = []
        for _rank, _length, start, index in ranked:
            end = candidates[index].end
            for taken_start, taken_end in taken:
                if taken_start < end and start < taken_end:
                    break
            else:
                taken.append((start, end))
                chosen.append(index)
        chosen.sort(key=lambda i: candidates[i].start)
        return [candidates[i] for i in chosen]
    chosen_starts: list[int] = [start for start, _end in taken]
    chosen_ends: list[int] = [end for _start, end in taken]
    chosen_indices: list[int] = [-1] * len(taken)
    for _rank, _length, start, index in ranked:
        end = candidates[index].end
        j = bisect_left(chosen_starts, start)
        if j > 0 and chosen_ends[j - 1] > start:
            continue
        if j < len(chosen_starts) and chosen_starts[j] < end:
            continue
        chosen_starts.insert(j, start)
        chosen_ends.insert(j, end)
        chosen_indices.insert(j, index)
    return [candidates[i] for i in chosen_indices if i >= 0]


def find_identifiers(text: str) -> list[Finding]:
    """Every identifier in ``text``: sorted by position and never overlapping.

    Placeholders already in the text ("[navn]", ...) are left alone, so a de-identified
    note scans clean.
    """
    if not text:
        return []
    with collection_paused(len(text) >= _LARGE_TEXT):
        lex = lexicon()
        facts = TextFacts(text)  # what both kinds of detector need, worked out once
        names = merge_names(sorted(find_names(text, lex, facts)), text)
        return choose_findings(text, find_patterns(facts, lex), names)


#: From this many characters on, a scan pauses Python's cyclic garbage collector.
_LARGE_TEXT = 1_000_000


@contextmanager
def collection_paused(pause: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector (when ``pause``) while a long text is scanned.

    A scan makes a few small objects per word and keeps the candidates of the whole text
    (hundreds of thousands in a 50 MB text): each full collection walks them all, about a
    quarter of the CPU time of a scan of a few MB. The scan makes no reference cycles, so
    nothing is left for the collector; reference counting frees everything as before.
    Another thread's pause is respected: only the pause begun here is ended here.
    """
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def choose_findings(text: str, patterns: list[Candidate], names: list[Candidate]) -> list[Finding]:
    """The findings among the candidates of ``text`` (shaped ones first, then the merged
    names, as :func:`find_identifiers` finds them): placeholders already in the text are
    left alone, overlaps resolved, a help directory's public contacts dropped."""
    blocked = [m.span() for m in _PLACEHOLDER.finditer(text)] if "[" in text else []
    chosen = _resolve([*patterns, *names], blocked)
    phone, url = IdentifierKind.PHONE, IdentifierKind.URL
    reasons: dict[str, str] = {}  # a few reasons, translated once per scan
    findings: list[Finding] = []
    append = findings.append
    for start, end, kind, reason, _priority, replacement in chosen:
        # A help directory's public phone number or web address names no family.
        if (kind is phone or kind is url) and is_allowed_contact(kind, text[start:end]):
            continue
        said = reasons.get(reason)
        if said is None:
            said = reasons[reason] = _(reason)
        # As new_finding makes it (without a call a finding).
        finding: Finding = _new_object(Finding)
        finding.__dict__.update(
            start=start, end=end, kind=kind, reason=said, replacement=replacement
        )
        append(finding)
    for finding in findings:  # (a cheap test first: a mark is beyond U+02FF)
        before = text[finding.start - 1 : finding.start]
        if (
            before > "\u02ff"
            or text[finding.end : finding.end + 1] > "\u02ff"
            or (before.isalpha() and finding.kind in _ADDRESSES)
        ):
            _whole_letters(text, findings)
            break
    return findings


_new_object = object.__new__

#: Combining marks (a letter's accent written as a character of its own: "i" + U+0307 is
#: the Turkish dotted "i̇" of "İlkay" lower-cased). The patterns' ``\w`` is no such mark,
#: so a match stopped at one and left the letters before it out.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
#: What an e-mail address, a handle or a web address is written with, beside letters.
_ADDRESS_SIGNS = frozenset("._+-@/:")
#: Kinds whose finding never begins inside a word: a web address's pattern knows only
#: ASCII letters, so "heðin.dk" was found as "in.dk".
_ADDRESSES = frozenset({IdentifierKind.EMAIL, IdentifierKind.HANDLE, IdentifierKind.URL})


def _in_word(ch: str, signs: frozenset[str]) -> bool:
    """Is ``ch`` part of a word (or of an address, written with ``signs``)?"""
    return ch.isalnum() or ch == "_" or ch in signs or bool(_COMBINING.match(ch))


def _whole_letters(text: str, findings: list[Finding]) -> None:
    """Widen each finding that begins or ends at a combining mark over the whole word
    (of an address: over the whole address; an address that begins inside a word too),
    so that no part of it is left in the text; never into the finding before or after
    it."""
    before = 0
    for number, finding in enumerate(findings):
        start, end = finding.start, finding.end
        address = finding.kind in _ADDRESSES
        # (A web address widened over letters only: "ringer.www.x.dk" keeps "ringer.")
        url = finding.kind is IdentifierKind.URL
        signs = _ADDRESS_SIGNS if address and not url else frozenset()
        if start > before and (
            _COMBINING.match(text, start - 1) or (address and text[start - 1].isalpha())
        ):
            while start > before and _in_word(text[start - 1], signs):
                start -= 1
        after = findings[number + 1].start if number + 1 < len(findings) else len(text)
        if end < after and _COMBINING.match(text, end):
            while end < after and _in_word(text[end], signs):
                end += 1
        if (start, end) != (finding.start, finding.end):
            finding.__dict__.update(start=start, end=end)
        before = end


def new_finding(
    start: int, end: int, kind: IdentifierKind, reason: str, replacement: str = ""
) -> Finding:
    """``Finding(start, end, kind, reason, replacement)``, made without the frozen
    dataclass's ``__init__``, which sets each field through ``object.__setattr__`` (a
    third of the time of choosing the findings): the same object, its fields set at once."""
    finding: Finding = _new_object(Finding)
    finding.__dict__.update(start=start, end=end, kind=kind, reason=reason, replacement=replacement)
    return finding


def moved_finding(finding: Finding, by: int) -> Finding:
    """``finding`` ``by`` characters further on, made as :func:`new_finding` makes one
    (a copy of its fields): a guard's edit moves every finding after it."""
    fields = finding.__dict__.copy()
    fields["start"] += by
    fields["end"] += by
    moved: Finding = _new_object(Finding)
    object.__setattr__(moved, "__dict__", fields)
    return moved


def deidentify(text: str) -> Deidentified:
    """Replace every identifier in ``text`` with its fixed Danish placeholder."""
    return deidentified(text, find_identifiers(text))


def deidentified(text: str, findings: list[Finding]) -> Deidentified:
    """``text`` with ``findings`` (as :func:`find_identifiers` finds them) replaced."""
    counts = Counter(finding.kind for finding in findings)
    return Deidentified(replace_findings(text, findings), findings, dict(counts))


def replace_findings(text: str, findings: Sequence[Finding]) -> str:
    """``text`` with each of ``findings`` (sorted and not overlapping, as
    :func:`find_identifiers` gives them) replaced by its placeholder."""
    parts: list[str] = []
    position = 0
    for finding in findings:
        parts.append(text[position : finding.start])
        parts.append(finding.placeholder)
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)


def warm_up() -> None:
    """Load the word lists now (about 0.1 s) rather than on the first scan."""
    lexicon()
