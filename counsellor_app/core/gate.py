"""The one gate every text passes on its way out of the notebook.

Summary bundles, review files to a mentor, comments back to a student, the case summary
PDF, the case-study PDF, any copy of a de-identified text and the help directory's exports
(CSV and the signed file, :meth:`Gate.settle_public`) take their free texts from
:class:`Gate` only. The gate

1. de-identifies the text (:func:`counsellor_app.core.anonymity.deidentify`), except the
   words the notebook keeps as "not an identifier": the counsellor's own decision, which
   the previews show as such,
2. cuts it to the exit's size limit (visibly, with "…"),
3. scans the result once more, and
4. looks for the case's call-back number in it in any spacing or punctuation ("2 0 3 0 4 0
   5 0", "2030-4050", "ring20304050"),
5. notes the *candidates* left in it (:mod:`counsellor_app.core.anonymity.candidates`:
   runs of four or more digits, unknown capitalised words), which never block,

and refuses (:class:`IdentifierLeaves`, naming the case by its reference, the
conversation and the field) when anything is left. Texts that arrive from another
notebook (bundles, review files) are *settled* instead (:meth:`Gate.settle`): whatever the
engine finds is replaced until nothing is left, since the receiver cannot fix the note.

Raw text of one's own case and text the gate let through are different types,
:data:`RawText` and :data:`CleanText`; only this module makes a ``CleanText``, so code
that writes an export and asks for one cannot be handed a raw note (mypy checks it).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NewType

from counsellor_app.core.anonymity import (
    Finding,
    IdentifierKind,
    deidentify,
    find_identifiers,
    replace_findings,
)
from counsellor_app.core.anonymity.candidates import Candidate, find_candidates
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _

#: A free text as the counsellor wrote it in their own notebook: it never leaves.
RawText = NewType("RawText", str)
#: A text the gate de-identified, cut and scanned clean: the only kind an export writes.
CleanText = NewType("CleanText", str)

#: The empty text passes as it is.
EMPTY = CleanText("")

#: Kinds of finding a counsellor may mark "not an identifier" in a notebook (software
#: words, key names, local terms that look like a name, a place or an institution): the
#: gate lets such a word leave as written, and the previews show it as the counsellor's
#: own decision. A number, an address or an e-mail is never kept.
KEEPABLE = frozenset(
    {
        IdentifierKind.NAME,
        IdentifierKind.PLACE,
        IdentifierKind.INSTITUTION,
        IdentifierKind.MUNICIPALITY,
    }
)

#: A call-back number is looked for by its last eight digits; a shorter one is not.
_CALLBACK_DIGITS = 8
_MIN_CALLBACK_DIGITS = 6
#: Up to this many characters that are neither letters nor digits may stand between two
#: digits of one number ("2 0 3 0", "20 - 30", "20.30", "20, 30").
_MAX_GAP = 3
#: Texts that arrive are de-identified again until nothing is found (each round replaces
#: at least one finding); this bounds the rounds.
_MAX_ROUNDS = 8


@dataclass(frozen=True)
class Place:
    """Where a text stands: the case by its reference (never the code the parent was
    given), the conversation (its number or id, None for texts of the whole case) and the
    field (``listen``, ``alliance_agreed``, ``comment``, ...)."""

    case: str
    field: str
    conversation: int | None = None


class IdentifierLeaves(UserError):
    """A text would leave the notebook with an identifier in it: nothing was written.

    ``case`` is the case's reference, ``conversation`` the conversation (or None),
    ``field`` the text's field, ``kind`` what was found (None for the call-back number),
    ``callback`` whether it is the case's call-back number.
    """

    def __init__(
        self,
        sentence: str,
        place: Place,
        kind: IdentifierKind | None = None,
        *,
        callback: bool = False,
        where: str = "",
    ) -> None:
        super().__init__(sentence)
        self.place = place
        self.case = place.case
        self.conversation = place.conversation
        self.field = place.field
        self.kind = kind
        self.callback = callback
        #: The field in words, as the sentence says it.
        self.where = where or place.field


@dataclass(frozen=True)
class Replacement:
    """A placeholder in a text that passed: ``text[start:end]`` replaced an identifier."""

    start: int
    end: int
    kind: IdentifierKind


@dataclass(frozen=True)
class KeptWord:
    """A word the counsellor marked "not an identifier" in a text that passed:
    ``text[start:end]``, which the engine took for a ``kind``."""

    start: int
    end: int
    kind: IdentifierKind


def kept_form(word: str) -> str:
    """How a kept word is compared: spaces collapsed, case-folded."""
    return " ".join(word.split()).casefold()


def is_kept(finding: Finding, text: str, kept: frozenset[str]) -> bool:
    """Whether ``finding`` (in ``text``) is a word of ``kept`` (case-folded, see
    :func:`kept_form`) of a kind that may be kept (:data:`KEEPABLE`)."""
    return (
        bool(kept)
        and finding.kind in KEEPABLE
        and kept_form(text[finding.start : finding.end]) in kept
    )


@dataclass(frozen=True)
class Passage:
    """What the gate made of one text (see :meth:`Gate.examine`)."""

    place: Place
    original: str
    #: De-identified and cut; it may leave only when :attr:`blocked` is False.
    text: CleanText
    #: The identifiers in ``original`` (offsets into it).
    findings: tuple[Finding, ...]
    #: The placeholders in ``text``.
    replacements: tuple[Replacement, ...]
    #: What the second scan still finds in ``text``.
    remaining: tuple[Finding, ...] = ()
    #: The case's call-back number is in ``text``.
    callback: bool = False
    counts: dict[IdentifierKind, int] = field(default_factory=dict)
    #: The words of ``text`` the counsellor kept ("not an identifier"): they leave.
    kept: tuple[KeptWord, ...] = ()
    #: What may still identify someone in ``text``: shown, never blocking.
    candidates: tuple[Candidate, ...] = ()

    @property
    def blocked(self) -> bool:
        return bool(self.remaining) or self.callback


def callback_digits(phone: str | None) -> str | None:
    """The last eight digits of a call-back number: what is looked for in texts. None for
    a number of fewer than six digits (too short to look for)."""
    digits = "".join(ch for ch in phone or "" if ch.isdecimal())
    return digits[-_CALLBACK_DIGITS:] if len(digits) >= _MIN_CALLBACK_DIGITS else None


def digit_runs(text: str) -> list[str]:
    """The digits of each number in ``text``, where a number's digits may be separated
    by up to three spaces or punctuation marks ("2 0 3 0", "20-30-40", "20.30") and may be
    glued to words ("ring20304050nu"): a letter ends a number, a digit of any script
    counts as its value."""
    runs: list[str] = []
    current: list[str] = []
    gap = 0
    for ch in text:
        if ch.isdecimal():
            current.append(str(unicodedata.decimal(ch)))
            gap = 0
        elif current and not ch.isalpha() and gap < _MAX_GAP:
            gap += 1
        elif current:
            runs.append("".join(current))
            current = []
            gap = 0
    if current:
        runs.append("".join(current))
    return runs


def holds_callback(text: str, number: str | None) -> bool:
    """Whether ``text`` holds the call-back number ``number`` (its digits, as
    :func:`callback_digits` gives them) in any spacing or punctuation."""
    if not number:
        return False
    return any(number in run for run in digit_runs(text))


def _marks(
    found: Iterable[Finding], replaced: set[Finding]
) -> tuple[list[Replacement], list[KeptWord]]:
    """Where the placeholders of ``replaced`` and the kept words (the other findings of
    ``found``) stand in the text ``found`` was replaced into."""
    spans: list[Replacement] = []
    kept: list[KeptWord] = []
    shift = 0
    for finding in found:
        start = finding.start + shift
        if finding not in replaced:
            kept.append(KeptWord(start, start + finding.end - finding.start, finding.kind))
            continue
        end = start + len(finding.placeholder)
        spans.append(Replacement(start, end, finding.kind))
        shift += len(finding.placeholder) - (finding.end - finding.start)
    return spans, kept


def refusal(
    place: Place, remaining: Iterable[Finding], *, callback: bool, where: str = ""
) -> IdentifierLeaves:
    """The error that stops an export: the text at ``place`` still holds ``remaining``
    after de-identification, or (``callback``) the case's call-back number. ``where``:
    the field in words, for the sentence."""
    found = tuple(remaining)
    where = where or place.field
    if found:
        sentence = _(
            "Nothing was written: {where} of case {case} still holds something that looks "
            "like an identifier after de-identification. Edit the note and try again."
        )
    else:
        sentence = _(
            "Nothing was written: {where} of case {case} holds the case's call-back number. "
            "Remove the number from the note and try again."
        )
    return IdentifierLeaves(
        sentence.format(where=where, case=place.case),
        place,
        found[0].kind if found else IdentifierKind.PHONE,
        callback=callback and not found,
        where=where,
    )


class Gate:
    """De-identifies, cuts, scans again and checks call-back numbers (see the module).

    ``limit``: the most characters a text may have at this exit (None: no limit).
    ``callbacks``: the call-back number of each case, by the case's reference in
    :class:`Place`; set with :meth:`know_callback`. ``kept``: the words the notebook
    keeps as "not an identifier" (:mod:`counsellor_app.core.kept_words`): the counsellor's
    decision, so they leave as written (names, places and institutions only).
    """

    def __init__(self, limit: int | None = None, kept: Iterable[str] = ()) -> None:
        self.limit = limit
        self.kept = frozenset(kept_form(word) for word in kept)
        self._callbacks: dict[str, str] = {}
        #: How many identifiers of each kind the gate replaced so far.
        self.counts: Counter[IdentifierKind] = Counter()

    def know_callback(self, case: str, phone: str | None) -> None:
        """Remember case ``case``'s call-back number (a reference and the number as
        stored); a number too short to look for is ignored."""
        if number := callback_digits(phone):
            self._callbacks[case] = number

    def examine(self, text: RawText | str, place: Place) -> Passage:
        """What leaving would make of ``text``; never raises (a preview shows it)."""
        if not text.strip():
            return Passage(place, text, EMPTY, (), ())
        result = deidentify(text)
        findings = [f for f in result.findings if not is_kept(f, text, self.kept)]
        replaced = result.text
        if len(findings) != len(result.findings):
            replaced = replace_findings(text, findings)
        replacements, kept = _marks(result.findings, set(findings))
        cleaned = replaced
        if self.limit is not None and len(cleaned) > self.limit:
            cleaned = cleaned[: self.limit - 1] + "…"
            replacements = [r for r in replacements if r.end < self.limit]
            kept = [k for k in kept if k.end < self.limit]
        # A text without findings comes back unchanged, and scanning it again would find
        # nothing again (nor but its kept words); a changed (or cut) text is scanned once
        # more.
        changed = bool(findings) or cleaned != replaced
        remaining = (
            tuple(f for f in find_identifiers(cleaned) if not is_kept(f, cleaned, self.kept))
            if changed
            else ()
        )
        callback = holds_callback(cleaned, self._callbacks.get(place.case))
        counts = Counter(finding.kind for finding in findings)
        self.counts.update(counts)
        marked = [(r.start, r.end) for r in replacements] + [(k.start, k.end) for k in kept]
        return Passage(
            place,
            text,
            CleanText(cleaned),
            tuple(findings),
            tuple(replacements),
            remaining,
            callback,
            dict(counts),
            tuple(kept),
            tuple(find_candidates(cleaned, kept=self.kept, skip=marked)),
        )

    def refusal(self, passage: Passage, where: str = "") -> IdentifierLeaves:
        """The error that stops an export because of ``passage`` (``where``: its field in
        words, for the sentence)."""
        return refusal(passage.place, passage.remaining, callback=passage.callback, where=where)

    def clean(self, text: RawText | str, place: Place, where: str = "") -> CleanText:
        """``text`` as it may leave; raises :class:`IdentifierLeaves` when something
        identifying is left (``where``: the field in words, for the sentence)."""
        passage = self.examine(text, place)
        if passage.blocked:
            raise self.refusal(passage, where)
        return passage.text

    def check(self, passages: Iterable[Passage], where: str = "") -> None:
        """Raise :class:`IdentifierLeaves` for the first blocked passage of
        ``passages``."""
        for passage in passages:
            if passage.blocked:
                raise self.refusal(passage, where)

    def settle(self, text: str) -> CleanText:
        """A text that arrived from another notebook, with everything the engine finds
        replaced (again, until nothing is found) and cut to the limit; never refuses:
        the receiver cannot fix another's note."""
        current = text
        for _round in range(_MAX_ROUNDS):
            if not current.strip():
                break
            result = deidentify(current)
            found = [f for f in result.findings if not is_kept(f, current, self.kept)]
            if not found:
                break
            self.counts.update(f.kind for f in found)
            current = (
                result.text
                if len(found) == len(result.findings)
                else replace_findings(current, found)
            )
        if self.limit is not None and len(current) > self.limit:
            current = current[: self.limit - 1] + "…"
        return CleanText(current)

    def settle_public(self, text: str, personal: Callable[[Finding, str], bool]) -> CleanText:
        """A text about a public organisation (the help directory) as it may leave: the
        findings that ``personal(finding, found_text)`` says name a person are replaced
        (again, until none is left); the organisation's own name, place, address and
        public contacts stay, since naming them is the directory's purpose."""
        current = text
        for _round in range(_MAX_ROUNDS):
            if not current.strip():
                break
            found = [f for f in find_identifiers(current) if personal(f, current[f.start : f.end])]
            if not found:
                break
            self.counts.update(f.kind for f in found)
            current = replace_findings(current, found)
        if self.limit is not None and len(current) > self.limit:
            current = current[: self.limit - 1] + "…"
        return CleanText(current)


def copy_text(text: RawText | str) -> CleanText:
    """A text as it may be copied out of the app (to the clipboard): de-identified until
    nothing is found."""
    return Gate().settle(text)
