"""The counsellor's side: what leaves the notebook, shown first, then written encrypted.

:func:`preview_export` builds the bundle and shows every free text that would leave, with
its replacements marked; :func:`export_bundle` encrypts exactly that to the supervisor's
public key and writes it atomically. Only structured fields, days (never times) and
de-identified texts leave; never a call-back number, a case code or a raw note.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TypeAlias, TypeVar

from pyrage import x25519

from counsellor_app import __version__
from counsellor_app.core.anonymity import Finding, IdentifierKind
from counsellor_app.core.anonymity.candidates import Candidate
from counsellor_app.core.domain import (
    Case,
    Conversation,
    EntryKind,
    FollowUp,
    Step,
)
from counsellor_app.core.exchange.common import KeyHolder, read_public_key
from counsellor_app.core.exchange.crypto import encrypt
from counsellor_app.core.exchange.errors import NothingToExport
from counsellor_app.core.exchange.format import (
    MAX_TEXT,
    Bundle,
    BundleAlliance,
    BundleCase,
    BundleConcern,
    BundleConversation,
    BundleFollowUp,
    BundleHeader,
    FollowUpOutcome,
    bundle_from_json,
    bundle_to_json,
)
from counsellor_app.core.exchange.signing import key_card_text, sign, signing_key
from counsellor_app.core.gate import (
    EMPTY,
    CleanText,
    Gate,
    IdentifierLeaves,
    KeptWord,
    Place,
    RawText,
    Replacement,
)
from counsellor_app.core.gate import refusal as gate_refusal
from counsellor_app.core.i18n import N_, _, ngettext
from counsellor_app.core.kept_words import kept_words
from counsellor_app.core.safefile import atomic_write_bytes
from counsellor_app.core.store import Notebook, guarded, now
from counsellor_app.core.taxonomy import taxonomy

COUNSELLOR_META = "exchange_counsellor_id"
CASE_SECRET_META = "exchange_case_secret"
SEQUENCE_META = "exchange_sequence"
#: Followed by the recipient's public key: "changed since the last export" is per recipient.
LAST_EXPORT_META = "exchange_last_export:"

#: The kind of text of a case in a bundle's shape: ``CleanText`` or ``RawText``.
TextT = TypeVar("TextT", bound=str)

#: A recipient: the key itself, the text of a ``.pub`` file holding it, or its path.
Recipient: TypeAlias = x25519.Recipient | str | Path


@dataclass(frozen=True)
class PreviewText:
    """One free text as it would leave: where it comes from, the original and the result."""

    case_id: int
    #: The case's own code, for the counsellor to find the note (it never leaves).
    case_code: str
    #: The conversation, for the notes of the four steps and a concern's reasoning.
    conversation_id: int | None
    #: ``listen``, ``advise``, ``alliances``, ``follow_up`` (a conversation's notes),
    #: ``alliance_role``, ``alliance_agreed``, ``counsellor_task``, ``parent_task``,
    #: ``others_task`` or ``concern_reasoning``.
    field: str
    #: The row the text belongs to (conversation, alliance, follow-up or concern id).
    row_id: int | None
    day: date | None
    original: str
    #: The de-identified text that leaves.
    text: CleanText
    #: The placeholders in ``text``.
    replacements: tuple[Replacement, ...]
    #: The identifiers in ``original`` (for jumping to them to fix the note).
    findings: tuple[Finding, ...]
    #: Identifiers the guard still finds in ``text``: the export is refused while any.
    remaining: tuple[Finding, ...] = ()
    #: The case's call-back number is in ``text`` (in any spacing): refused too.
    callback: bool = False
    #: Where the gate saw the text (the case by its reference).
    place: Place | None = None
    #: The words the counsellor kept ("not an identifier" in this notebook) in ``text``.
    kept: tuple[KeptWord, ...] = ()
    #: What may still identify someone in ``text`` (shown in the preview, not blocking).
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class ExportPreview:
    """What an export would send, built but not yet encrypted or written."""

    #: Changes at or after this moment are included (None: every case).
    since: datetime | None
    #: When the preview was built: the next export's "since" once this one is written.
    as_of: datetime
    case_count: int
    conversation_count: int
    alliance_count: int
    follow_up_count: int
    concern_count: int
    #: How many identifiers of each kind were replaced.
    replacements: dict[IdentifierKind, int]
    #: Every non-empty free text that would leave, in case order.
    texts: tuple[PreviewText, ...]
    #: The texts that still hold an identifier after de-identification (export refused).
    blocking: tuple[PreviewText, ...]
    #: The content itself (what :func:`export_bundle` encrypts).
    bundle: Bundle[CleanText]
    #: The sequence number the bundle carries; the notebook's counter moves on export.
    sequence: int = 0
    #: The exported cases' ids and codes in the counsellor's notebook (never exported).
    case_ids: tuple[int, ...] = field(default=(), repr=False)
    case_codes: tuple[str, ...] = field(default=(), repr=False)

    @property
    def conversation_texts(self) -> tuple[PreviewText, ...]:
        """The texts of the conversations' four notes only."""
        steps = {step.value for step in Step}
        return tuple(t for t in self.texts if t.field in steps)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    counsellor_id: str
    case_count: int
    conversation_count: int
    replacements: dict[IdentifierKind, int]
    size: int


# ---------------------------------------------------------------------------- identity


@guarded
def counsellor_id(notebook: Notebook) -> str:
    """The notebook's pseudonymous counsellor id (``C-`` and ten characters), made on
    first use. It is random, so it says nothing about the counsellor; it only tells the
    supervisor which bundles come from the same notebook."""
    with notebook.transaction():
        existing = notebook.meta(COUNSELLOR_META)
        if existing:
            return existing
        made = "C-" + "".join(secrets.choice("23456789ABCDEFGHJKMNPQRTUVWXYZ") for _ in range(10))
        notebook.set_meta(COUNSELLOR_META, made)
        return made


def case_secret(notebook: Notebook) -> bytes:
    """The notebook's secret for case references, made (and stored) on first use; it
    never leaves the notebook."""
    with notebook.transaction():
        existing = notebook.meta(CASE_SECRET_META)
        if existing:
            return bytes.fromhex(existing)
        made = secrets.token_bytes(32)
        notebook.set_meta(CASE_SECRET_META, made.hex())
        return made


def case_ref(secret: bytes, case: Case) -> str:
    """The case's pseudonymous reference in bundles: HMAC-SHA256 under the notebook's own
    secret of the case's id and code, as 26 base32 letters (130 bits).

    Not the case code: the parent knows that code, and the supervisor must not be able to
    link a bundle to a parent who mentions it. Stable for a case across exports (so a
    newer bundle updates the same case), different between notebooks, and without the
    secret (which never leaves the notebook) it cannot be turned back into the code.
    """
    digest = hmac.new(secret, f"case:{case.id}:{case.code}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode("ascii").lower()[:26]


# ---------------------------------------------------------------------------- selection


def local_day(moment: datetime | None) -> date | None:
    """The day on the counsellor's clock (stored times are UTC)."""
    return moment.astimezone().date() if moment is not None else None


def _since_moment(since: date | datetime | None) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since
    return datetime.combine(since, time()).astimezone()


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


@guarded
def last_export(notebook: Notebook, recipient: Recipient) -> datetime | None:
    """When the last bundle for ``recipient`` was built (None: never)."""
    value = notebook.meta(LAST_EXPORT_META + _recipient_key(recipient))
    return datetime.fromisoformat(value) if value else None


def _recipient_key(recipient: Recipient) -> str:
    return str(read_public_key(recipient, KeyHolder.SUPERVISOR))


def changed_case_ids(notebook: Notebook, since: datetime | None, today: date) -> list[int]:
    """Cases with any change at or after ``since`` (all cases when None), oldest first.

    A change is to the case, a conversation, an alliance, a follow-up (made or done), a
    concern or the status; also an open follow-up that has become overdue since then, as
    that changes what the supervisor should see.
    """
    if since is None:
        rows = notebook.query("SELECT id FROM cases ORDER BY id")
        return [int(row[0]) for row in rows]
    stamp = _ts(since)
    since_day = (local_day(since) or today).isoformat()
    rows = notebook.query(
        "SELECT c.id FROM cases c WHERE c.updated_at >= :t "
        "OR EXISTS (SELECT 1 FROM conversations v WHERE v.case_id = c.id AND v.updated_at >= :t) "
        "OR EXISTS (SELECT 1 FROM alliances a WHERE a.case_id = c.id AND a.updated_at >= :t) "
        "OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.case_id = c.id "
        "    AND (f.created_at >= :t OR f.done_at >= :t "
        "         OR (f.done = 0 AND f.due >= :d AND f.due < :today))) "
        "OR EXISTS (SELECT 1 FROM concerns k WHERE k.case_id = c.id AND k.created_at >= :t) "
        "OR EXISTS (SELECT 1 FROM status_changes s WHERE s.case_id = c.id AND s.at >= :t) "
        "ORDER BY c.id",
        {"t": stamp, "d": since_day, "today": today.isoformat()},  # type: ignore[arg-type]
    )
    return [int(row[0]) for row in rows]


# ---------------------------------------------------------------------------- building


class PreviewBuilder:
    """Passes every text of the selected cases through the gate and collects the
    preview; the case's call-back number is looked for in each (``notebook``)."""

    def __init__(
        self,
        notebook: Notebook,
        secret: bytes,
        limit: int = MAX_TEXT,
        show_ref: Callable[[str], str] | None = None,
    ) -> None:
        self.notebook = notebook
        self.secret = secret
        #: How a refusal names the case (the bundle reference; ``R-…`` in review files).
        self.show_ref = show_ref or (lambda ref: ref)
        # A bundle holds at most MAX_TEXT characters a text (a 1 MB paste would else stop
        # every export): the rest is cut off, visibly, in the preview as well.
        # The words the notebook keeps as "not an identifier" leave as written: the
        # counsellor's decision, shown as such in the preview.
        self.gate = Gate(limit, kept=kept_words(notebook))
        self.texts: list[PreviewText] = []
        self.blocking: list[PreviewText] = []
        self._refs: dict[int, str] = {}

    @property
    def counts(self) -> Counter[IdentifierKind]:
        return self.gate.counts

    def ref(self, case: Case) -> str:
        """The case's reference; its call-back number made known to the gate."""
        case_id = case.id or 0
        if case_id not in self._refs:
            self._refs[case_id] = self.show_ref(case_ref(self.secret, case))
            self.gate.know_callback(self._refs[case_id], self.notebook.callback(case_id))
        return self._refs[case_id]

    def clean(
        self,
        text: RawText | str,
        case: Case,
        field_name: str,
        *,
        conversation_id: int | None = None,
        row_id: int | None = None,
        day: date | None = None,
    ) -> CleanText:
        if not text.strip():
            return EMPTY
        place = Place(self.ref(case), field_name, conversation_id)
        passage = self.gate.examine(text, place)
        item = PreviewText(
            case_id=case.id or 0,
            case_code=case.code,
            conversation_id=conversation_id,
            field=field_name,
            row_id=row_id,
            day=day,
            original=text,
            text=passage.text,
            replacements=passage.replacements,
            findings=passage.findings,
            remaining=passage.remaining,
            callback=passage.callback,
            place=place,
            kept=passage.kept,
            candidates=passage.candidates,
        )
        self.texts.append(item)
        if passage.blocked:
            self.blocking.append(item)
        return passage.text

    def refusal(self, where: Callable[[str], str] | None = None) -> IdentifierLeaves | None:
        """The error for the first blocking text (None when nothing blocks); ``where``
        says a field in words."""
        if not self.blocking:
            return None
        return refusal(self.blocking[0], where)


def refusal(item: PreviewText, where: Callable[[str], str] | None = None) -> IdentifierLeaves:
    """The gate's error for a blocking preview text (``where``: a field in words)."""
    place = item.place or Place("", item.field, item.conversation_id)
    words = (where or field_label)(item.field)
    return gate_refusal(place, item.remaining, callback=item.callback, where=words)


def follow_up_outcome(follow_up: FollowUp, today: date) -> tuple[FollowUpOutcome, date | None]:
    """How a follow-up went by ``today``, and the day it was done (None while not done)."""
    if follow_up.done:
        done_on = local_day(follow_up.done_at) or follow_up.due
        return (FollowUpOutcome.ON_TIME if done_on <= follow_up.due else FollowUpOutcome.LATE), (
            done_on
        )
    return (FollowUpOutcome.MISSED if follow_up.due < today else FollowUpOutcome.PENDING), None


def bundle_case(
    secret: bytes,
    case: Case,
    conversations: Iterable[BundleConversation[TextT]],
    alliances: Iterable[BundleAlliance[TextT]],
    follow_ups: Iterable[BundleFollowUp[TextT]],
    concerns: Iterable[BundleConcern[TextT]],
) -> BundleCase[TextT]:
    """A case's structured fields (each list without repeats) with the given parts: the
    texts of a case that leaves are ``CleanText``, those of an own case shown in the same
    shape ``RawText``."""
    return BundleCase(
        ref=case_ref(secret, case),
        status=case.status,
        caller_role=case.caller_role,
        help_system=case.help_system,
        known_by=tuple(dict.fromkeys(case.known_by)),
        age_band=case.age_band,
        gender=case.gender,
        arenas=tuple(dict.fromkeys(case.arenas)),
        themes=tuple(dict.fromkeys(case.themes)),
        protective_factors=tuple(dict.fromkeys(case.protective_factors)),
        risk_factors=tuple(dict.fromkeys(case.risk_factors)),
        purged=case.purged_at is not None,
        conversations=tuple(conversations),
        alliances=tuple(alliances),
        follow_ups=tuple(follow_ups),
        concerns=tuple(concerns),
    )


def duration_minutes(seconds: int) -> int:
    """A conversation's length in whole minutes (rounded), at most a day."""
    return min(24 * 60, (max(0, seconds) + 30) // 60)


def _conversation(
    builder: PreviewBuilder, case: Case, talk: Conversation
) -> BundleConversation[CleanText]:
    day = local_day(talk.started_at) or date.today()
    summary: dict[Step, CleanText] = {
        step: builder.clean(
            talk.notes.get(step, ""),
            case,
            step.value,
            conversation_id=talk.id,
            row_id=talk.id,
            day=day,
        )
        for step in Step
    }
    return BundleConversation(
        day=day,
        channel=talk.channel,
        duration_minutes=duration_minutes(talk.duration_seconds),
        wellbeing=dict(talk.wellbeing),
        steps_covered=tuple(talk.steps_covered()),
        summary=summary,
    )


def export_case(
    notebook: Notebook, builder: PreviewBuilder, secret: bytes, case: Case, today: date
) -> BundleCase[CleanText]:
    """A case as a bundle holds it: structured fields, and every text de-identified by
    ``builder``."""
    conversations = tuple(
        _conversation(builder, case, talk) for talk in notebook.conversations(case.id or 0)
    )
    alliances = []
    kinds = {
        int(row[0]): EntryKind(row[1])
        for row in notebook.query(
            "SELECT id, directory_kind FROM alliances WHERE case_id = ? "
            "AND directory_kind IS NOT NULL",
            (case.id or 0,),
        )
        if row[1] in {kind.value for kind in EntryKind}
    }
    for alliance in notebook.alliances(case.id or 0):
        day = local_day(alliance.created_at) or today
        alliances.append(
            BundleAlliance(
                partner=alliance.partner,
                status=alliance.status,
                consent=alliance.consent,
                created_on=day,
                role=builder.clean(
                    alliance.role, case, "alliance_role", row_id=alliance.id, day=day
                ),
                agreed=builder.clean(
                    alliance.agreed, case, "alliance_agreed", row_id=alliance.id, day=day
                ),
                directory_kind=kinds.get(alliance.id or 0),
            )
        )
    follow_ups = []
    for follow_up in notebook.follow_ups(case.id or 0):
        outcome, done_on = follow_up_outcome(follow_up, today)
        tasks = {
            name: builder.clean(
                getattr(follow_up, name), case, name, row_id=follow_up.id, day=follow_up.due
            )
            for name in ("counsellor_task", "parent_task", "others_task")
        }
        follow_ups.append(
            BundleFollowUp(due=follow_up.due, outcome=outcome, done_on=done_on, **tasks)
        )
    concerns = []
    for concern in notebook.concerns(case.id or 0):
        day = local_day(concern.created_at) or today
        concerns.append(
            BundleConcern(
                day=day,
                signs=concern.signs,
                decision=concern.decision,
                reasoning=builder.clean(
                    concern.reasoning,
                    case,
                    "concern_reasoning",
                    conversation_id=concern.conversation_id,
                    row_id=concern.id,
                    day=day,
                ),
            )
        )
    return bundle_case(secret, case, conversations, alliances, follow_ups, concerns)


@guarded
def preview_export(
    notebook: Notebook,
    since: date | datetime | None = None,
    *,
    recipient: Recipient | None = None,
    today: date | None = None,
) -> ExportPreview:
    """Build what an export would send, without writing anything that leaves.

    ``since``: a day (changes on or after it) or a moment; when None, the cases changed
    since the last export to ``recipient`` (every case if there was none, or when no
    recipient is given). Every free text goes through the anonymity guard; the preview
    lists each with its replacements marked (``PreviewText.replacements``: spans into the
    de-identified text) and the texts that would block the export (``blocking``).

    It does make the notebook's pseudonymous counsellor id and case secret on first use.
    """
    as_of = now()
    today = today or date.today()
    moment = _since_moment(since)
    if moment is None and since is None and recipient is not None:
        moment = last_export(notebook, recipient)
    ident = counsellor_id(notebook)
    secret = case_secret(notebook)
    signing_key(notebook)  # made now, so that the export itself writes only its counter
    sequence = int(notebook.meta(SEQUENCE_META) or 0) + 1
    builder = PreviewBuilder(notebook, secret)
    cases: list[BundleCase[CleanText]] = []
    codes: list[str] = []
    ids: list[int] = []
    for case_id in changed_case_ids(notebook, moment, today):
        case = notebook.case(case_id)
        cases.append(export_case(notebook, builder, secret, case, today))
        codes.append(case.code)
        ids.append(case_id)
    days = [c.day for case in cases for c in case.conversations]
    period_from = min((local_day(moment) if moment else min(days, default=today)) or today, today)
    header = BundleHeader(
        bundle_id=str(uuid.uuid4()),
        app_version=__version__,
        taxonomy_version=taxonomy().version,
        counsellor_id=ident,
        sequence=sequence,
        created_on=today,
        period_from=period_from,
        period_to=today,
        replacements=dict(builder.counts),
        recipient=_recipient_key(recipient) if recipient is not None else "",
    )
    bundle = Bundle(header, tuple(cases))
    return ExportPreview(
        since=moment,
        as_of=as_of,
        case_count=len(cases),
        conversation_count=bundle.conversation_count,
        alliance_count=sum(len(c.alliances) for c in cases),
        follow_up_count=sum(len(c.follow_ups) for c in cases),
        concern_count=sum(len(c.concerns) for c in cases),
        replacements=dict(builder.counts),
        texts=tuple(builder.texts),
        blocking=tuple(builder.blocking),
        bundle=bundle,
        sequence=sequence,
        case_ids=tuple(ids),
        case_codes=tuple(codes),
    )


_KIND_LABELS: dict[IdentifierKind, str] = {
    IdentifierKind.CPR: N_("CPR number"),
    IdentifierKind.PHONE: N_("phone number"),
    IdentifierKind.EMAIL: N_("e-mail address"),
    IdentifierKind.URL: N_("link"),
    IdentifierKind.HANDLE: N_("user name"),
    IdentifierKind.ADDRESS: N_("address"),
    IdentifierKind.POSTCODE_TOWN: N_("postcode and town"),
    IdentifierKind.NAME: N_("name"),
    IdentifierKind.INSTITUTION: N_("institution"),
    IdentifierKind.PLACE: N_("place"),
    IdentifierKind.MUNICIPALITY: N_("municipality"),
    IdentifierKind.DATE: N_("date"),
    IdentifierKind.CASE_NUMBER: N_("case number"),
    IdentifierKind.LICENCE_PLATE: N_("licence plate"),
    IdentifierKind.PASSPORT: N_("passport number"),
    IdentifierKind.ACCOUNT: N_("account number"),
}


def kind_label(kind: IdentifierKind) -> str:
    """What a kind of identifier is called, in the current language (for counts)."""
    return _(_KIND_LABELS[kind])


#: How many identifiers of a kind were replaced, as words: "2 names", "1 CPR number". One
#: ngettext per kind, since the plural of each word is its own (and Danish ones differ
#: more than English ones: "navne", "CPR-numre", "institutioner").
_KIND_COUNTS: dict[IdentifierKind, Callable[[int], str]] = {
    IdentifierKind.CPR: lambda n: ngettext("{count} CPR number", "{count} CPR numbers", n),
    IdentifierKind.PHONE: lambda n: ngettext("{count} phone number", "{count} phone numbers", n),
    IdentifierKind.EMAIL: lambda n: ngettext(
        "{count} e-mail address", "{count} e-mail addresses", n
    ),
    IdentifierKind.URL: lambda n: ngettext("{count} link", "{count} links", n),
    IdentifierKind.HANDLE: lambda n: ngettext("{count} user name", "{count} user names", n),
    IdentifierKind.ADDRESS: lambda n: ngettext("{count} address", "{count} addresses", n),
    IdentifierKind.POSTCODE_TOWN: lambda n: ngettext(
        "{count} postcode and town", "{count} postcodes and towns", n
    ),
    IdentifierKind.NAME: lambda n: ngettext("{count} name", "{count} names", n),
    IdentifierKind.INSTITUTION: lambda n: ngettext(
        "{count} institution", "{count} institutions", n
    ),
    IdentifierKind.PLACE: lambda n: ngettext("{count} place", "{count} places", n),
    IdentifierKind.MUNICIPALITY: lambda n: ngettext(
        "{count} municipality", "{count} municipalities", n
    ),
    IdentifierKind.DATE: lambda n: ngettext("{count} date", "{count} dates", n),
    IdentifierKind.CASE_NUMBER: lambda n: ngettext(
        "{count} case number", "{count} case numbers", n
    ),
    IdentifierKind.LICENCE_PLATE: lambda n: ngettext(
        "{count} licence plate", "{count} licence plates", n
    ),
    IdentifierKind.PASSPORT: lambda n: ngettext(
        "{count} passport number", "{count} passport numbers", n
    ),
    IdentifierKind.ACCOUNT: lambda n: ngettext(
        "{count} account number", "{count} account numbers", n
    ),
}


def kind_count(kind: IdentifierKind, count: int) -> str:
    """``count`` identifiers of ``kind`` as words in the current language ("2 names")."""
    return _KIND_COUNTS[kind](count).format(count=count)


def replacements_text(counts: dict[IdentifierKind, int]) -> str:
    """``3 names, 1 phone number`` (most first), or a word for none, in the current
    language."""
    if not any(counts.values()):
        return _("none")
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].value))
    return ", ".join(kind_count(kind, n) for kind, n in ordered if n)


def field_label(field_name: str) -> str:
    """What a text field is called in a sentence to the user ("the Listen note")."""
    labels = {
        "listen": _("the Listen note"),
        "advise": _("the Advise note"),
        "alliances": _("the Alliances note"),
        "follow_up": _("the Follow-up note"),
        "alliance_role": _("an alliance's role"),
        "alliance_agreed": _("what was agreed with an alliance"),
        "counsellor_task": _("the counsellor's follow-up task"),
        "parent_task": _("the parent's follow-up task"),
        "others_task": _("the others' follow-up task"),
        "concern_reasoning": _("the reasoning of a concern"),
    }
    return labels.get(field_name, field_name)


@guarded
def export_bundle(
    notebook: Notebook,
    recipient: Recipient,
    out_path: Path,
    since: date | datetime | None = None,
    *,
    preview: ExportPreview | None = None,
    today: date | None = None,
) -> ExportResult:
    """Encrypt a bundle to ``recipient`` (a public key, its text, or a ``.pub`` file) and
    write it to ``out_path`` atomically.

    Sends exactly ``preview`` when given (what the counsellor looked at), else builds one
    with :func:`preview_export`. Refuses (the gate's :class:`IdentifierLeaves`) while any text still
    holds an identifier after de-identification, and (:class:`NothingToExport`) when no
    case changed. Afterwards the notebook remembers the export, so the next one sends only
    the cases changed since.
    """
    target = read_public_key(recipient, KeyHolder.SUPERVISOR)
    if preview is None:
        preview = preview_export(notebook, since, recipient=target, today=today)
    if preview.blocking:
        raise refusal(preview.blocking[0])
    if not preview.bundle.cases:
        if preview.since is not None:
            raise NothingToExport(
                _("Nothing to export: no case changed since {day}.").format(
                    day=(local_day(preview.since) or date.today()).isoformat()
                )
            )
        raise NothingToExport(_("Nothing to export: the notebook has no cases."))
    # The recipient's key is signed with the rest: the bundle is for this supervisor only.
    bundle = preview.bundle
    if bundle.header.recipient != str(target):
        bundle = replace(bundle, header=replace(bundle.header, recipient=str(target)))
    plaintext = bundle_to_json(bundle)
    # Never write a bundle this very version could not read back.
    bundle_from_json(plaintext)
    ciphertext = encrypt(sign(notebook, plaintext), target)
    out_path = Path(out_path)
    atomic_write_bytes(out_path, ciphertext)
    with notebook.transaction():
        current = int(notebook.meta(SEQUENCE_META) or 0)
        notebook.set_meta(SEQUENCE_META, str(max(current, preview.sequence)))
        notebook.set_meta(LAST_EXPORT_META + str(target), preview.as_of.isoformat())
    header = preview.bundle.header
    return ExportResult(
        path=out_path,
        bundle_id=header.bundle_id,
        counsellor_id=header.counsellor_id,
        case_count=preview.case_count,
        conversation_count=preview.conversation_count,
        replacements=dict(preview.replacements),
        size=len(ciphertext),
    )


@guarded
def own_key_card(notebook: Notebook) -> str:
    """This notebook's key card: its counsellor id and public signing key with the key's
    fingerprint, for the supervisor to enrol before the first bundle."""
    return key_card_text(counsellor_id(notebook), signing_key(notebook))
