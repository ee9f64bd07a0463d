"""The summary bundle: its content as dataclasses, its JSON form and its strict validation.

The format is described for people in ``docs/exchange-format.md``; this module is its
definition. A bundle is one JSON object (UTF-8) holding a header and the de-identified
cases. It is encrypted with age before it leaves the counsellor's computer
(:mod:`counsellor_app.core.exchange.crypto`), so the JSON is only ever seen by the
notebook that holds the matching private key.

Validation is written by hand (the format is small and fixed) and strict: every key must
be known, every value of the right type and in range, every code one this version knows.
:data:`FORMAT_VERSION` changes whenever the format does, and a reader refuses a bundle of
a higher version instead of guessing at it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

from counsellor_app.core.anonymity import IdentifierKind
from counsellor_app.core.domain import (
    AgeBand,
    AllianceStatus,
    CallerRole,
    CaseStatus,
    Channel,
    ConcernDecision,
    ConcernSigns,
    Consent,
    EntryKind,
    Gender,
    HelpSystemActor,
    HelpSystemStatus,
    Partner,
    Step,
    WellbeingLevel,
    overall_level,
)
from counsellor_app.core.gate import EMPTY, CleanText
from counsellor_app.core.i18n import _

#: The value of the ``format`` key: tells a bundle from any other JSON.
FORMAT_NAME = "counsellors-notebook/summary-bundle"
#: The version this app writes and the only one it reads: since version 2 bundles are
#: signed (:mod:`counsellor_app.core.exchange.signing`) and name their recipient; version 3
#: counts three more kinds of replaced identifiers (licence plates, passport and account
#: numbers), which a version 2 reader would take for a broken bundle, and an alliance's
#: ``directory_kind``. Older bundles are refused (version 1 is unsigned; version 2 was
#: never released).
FORMAT_VERSION = 3
#: The usual file name ending of a bundle (the content is age-encrypted, not JSON).
BUNDLE_SUFFIX = ".cnbundle"

#: Pseudonymous ids: a counsellor (``C-`` and 10 characters) and a case (26 characters).
COUNSELLOR_ID_PATTERN = re.compile(r"^C-[2-9A-Z]{10}$")
CASE_REF_PATTERN = re.compile(r"^[a-z2-7]{26}$")
#: Ids of the taxonomy (themes, arenas, factors) and arena keys of wellbeing levels.
TERM_PATTERN = re.compile(r"^[a-z0-9_]{1,64}$")
_DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Bounds that keep a hostile or broken file from exhausting memory or the notebook.
#: How many cases, conversations, alliances, follow-ups or concerns a file holds has no
#: bound of its own: a notebook may hold any number of them (a case of 1,200
#: conversations is real), and the size of the file an import reads bounds them already.
MAX_TEXT = 100_000
MAX_DURATION_MINUTES = 24 * 60


class FollowUpOutcome(StrEnum):
    """Whether a follow-up was kept, as it stood on the day the bundle was made."""

    ON_TIME = "on_time"  # done on or before its due day
    LATE = "late"  # done after its due day
    MISSED = "missed"  # not done and its due day has passed
    PENDING = "pending"  # not done, not yet due


#: The type of a case's free texts: :data:`~counsellor_app.core.gate.CleanText` in what
#: an export writes (only the gate makes one), ``str`` in what a file brought before the
#: gate settled it, :data:`~counsellor_app.core.gate.RawText` in an own case shown in the
#: same shape (review mode). Covariant: any of them is a ``BundleCase[str]`` for code that
#: only shows or counts texts, while a writer that asks for ``BundleCase[CleanText]``
#: cannot be handed the other two (mypy checks it).
Text_co = TypeVar("Text_co", bound=str, covariant=True)


def outcome_label(outcome: FollowUpOutcome) -> str:
    """The words a user sees for ``outcome``, in the current language."""
    return {
        FollowUpOutcome.ON_TIME: _("Kept on time"),
        FollowUpOutcome.LATE: _("Kept late"),
        FollowUpOutcome.MISSED: _("Missed"),
        FollowUpOutcome.PENDING: _("Not yet due"),
    }[outcome]


@dataclass(frozen=True)
class BundleConversation(Generic[Text_co]):
    """One contact: its day, never its time; the notes only de-identified."""

    day: date
    channel: Channel
    duration_minutes: int
    #: Level per arena id, plus ``"overall"`` where the counsellor gave one.
    wellbeing: dict[str, WellbeingLevel]
    #: The steps whose note held text (in the order of the four steps).
    steps_covered: tuple[Step, ...]
    #: The note of each of the four steps ("" where empty), de-identified in a bundle
    #: (a Mapping: a dict could take in a text of another type behind a covariant view).
    summary: Mapping[Step, Text_co]

    def overall_wellbeing(self) -> WellbeingLevel | None:
        """The overall level, or else the most severe level given for any arena."""
        return overall_level(self.wellbeing)


@dataclass(frozen=True)
class BundleAlliance(Generic[Text_co]):
    partner: Partner
    status: AllianceStatus
    consent: Consent
    created_on: date
    #: De-identified free texts: who (by role) and what was agreed.
    # The empty text is clean, raw and received alike: mypy cannot see it is a Text_co.
    role: Text_co = EMPTY  # type: ignore[assignment]
    agreed: Text_co = EMPTY  # type: ignore[assignment]
    #: The kind of help directory entry the partner was chosen from (None: typed by hand).
    directory_kind: EntryKind | None = None


@dataclass(frozen=True)
class BundleFollowUp(Generic[Text_co]):
    due: date
    outcome: FollowUpOutcome
    done_on: date | None = None
    counsellor_task: Text_co = EMPTY  # type: ignore[assignment]
    parent_task: Text_co = EMPTY  # type: ignore[assignment]
    others_task: Text_co = EMPTY  # type: ignore[assignment]


@dataclass(frozen=True)
class BundleConcern(Generic[Text_co]):
    day: date
    signs: ConcernSigns
    decision: ConcernDecision
    #: De-identified.
    reasoning: Text_co = EMPTY  # type: ignore[assignment]


@dataclass(frozen=True)
class BundleCase(Generic[Text_co]):
    """A case as it leaves the counsellor's notebook: structured fields and de-identified
    texts, under a pseudonymous reference (never the case code the parent was given)."""

    ref: str
    status: CaseStatus
    caller_role: CallerRole | None = None
    help_system: HelpSystemStatus | None = None
    known_by: tuple[HelpSystemActor, ...] = ()
    age_band: AgeBand | None = None
    gender: Gender | None = None
    arenas: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    protective_factors: tuple[str, ...] = ()
    risk_factors: tuple[str, ...] = ()
    #: True when the counsellor's retention period removed the case's free texts.
    purged: bool = False
    conversations: tuple[BundleConversation[Text_co], ...] = ()
    alliances: tuple[BundleAlliance[Text_co], ...] = ()
    follow_ups: tuple[BundleFollowUp[Text_co], ...] = ()
    concerns: tuple[BundleConcern[Text_co], ...] = ()


@dataclass(frozen=True)
class BundleHeader:
    bundle_id: str
    app_version: str
    taxonomy_version: int
    #: The counsellor's pseudonymous id: random, kept in the counsellor's notebook.
    counsellor_id: str
    #: Counts up with every export from that notebook: orders bundles made the same day.
    sequence: int
    created_on: date
    #: The days between which the cases in the bundle changed (their conversations may
    #: be older: a changed case is sent whole).
    period_from: date
    period_to: date
    #: How many identifiers of each kind were replaced in the bundle's texts.
    replacements: dict[IdentifierKind, int] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    #: The supervisor's public key (``age1...``) the bundle was made for: signed with the
    #: rest, so a bundle cannot be passed on to another supervisor as if made for them.
    recipient: str = ""


@dataclass(frozen=True)
class Bundle(Generic[Text_co]):
    header: BundleHeader
    cases: tuple[BundleCase[Text_co], ...]

    @property
    def conversation_count(self) -> int:
        return sum(len(case.conversations) for case in self.cases)


# ---------------------------------------------------------------------------- to JSON


def _opt(value: StrEnum | None) -> str | None:
    return value.value if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def bundle_to_dict(bundle: Bundle[CleanText]) -> dict[str, Any]:
    """The bundle as the JSON object of the format (plain dicts, lists and strings)."""
    h = bundle.header
    return {
        "format": FORMAT_NAME,
        "format_version": h.format_version,
        "bundle_id": h.bundle_id,
        "app_version": h.app_version,
        "taxonomy_version": h.taxonomy_version,
        "counsellor_id": h.counsellor_id,
        "sequence": h.sequence,
        "recipient": h.recipient,
        "created_on": h.created_on.isoformat(),
        "period": {"from": h.period_from.isoformat(), "to": h.period_to.isoformat()},
        "replacements": {kind.value: n for kind, n in sorted(h.replacements.items())},
        "cases": [case_to_dict(case) for case in bundle.cases],
    }


def case_to_dict(case: BundleCase[str]) -> dict[str, Any]:
    """A bundle case as JSON-ready values (the inverse of :func:`case_from_dict`); also
    how a supervisor's notebook keeps a replaced version. What leaves is a whole file, and
    its writers (:func:`bundle_to_json`, the review file's) ask for ``CleanText``."""
    return {
        "ref": case.ref,
        "status": case.status.value,
        "caller_role": _opt(case.caller_role),
        "help_system": _opt(case.help_system),
        "known_by": [v.value for v in case.known_by],
        "age_band": _opt(case.age_band),
        "gender": _opt(case.gender),
        "arenas": list(case.arenas),
        "themes": list(case.themes),
        "protective_factors": list(case.protective_factors),
        "risk_factors": list(case.risk_factors),
        "purged": case.purged,
        "conversations": [
            {
                "day": c.day.isoformat(),
                "channel": c.channel.value,
                "duration_minutes": c.duration_minutes,
                "wellbeing": {k: v.value for k, v in c.wellbeing.items()},
                "steps_covered": [s.value for s in c.steps_covered],
                "summary": {step.value: c.summary.get(step, "") for step in Step},
            }
            for c in case.conversations
        ],
        "alliances": [
            {
                "partner": a.partner.value,
                "status": a.status.value,
                "consent": a.consent.value,
                "created_on": a.created_on.isoformat(),
                "role": a.role,
                "agreed": a.agreed,
                # Only when there is one: a review file without any stays readable by
                # an app that does not know the key.
                **({"directory_kind": a.directory_kind.value} if a.directory_kind else {}),
            }
            for a in case.alliances
        ],
        "follow_ups": [
            {
                "due": f.due.isoformat(),
                "outcome": f.outcome.value,
                "done_on": _day(f.done_on),
                "counsellor_task": f.counsellor_task,
                "parent_task": f.parent_task,
                "others_task": f.others_task,
            }
            for f in case.follow_ups
        ],
        "concerns": [
            {
                "day": k.day.isoformat(),
                "signs": k.signs.value,
                "decision": k.decision.value,
                "reasoning": k.reasoning,
            }
            for k in case.concerns
        ],
    }


def bundle_to_json(bundle: Bundle[CleanText]) -> bytes:
    """The bundle as compact UTF-8 JSON: the plaintext that is encrypted."""
    return json.dumps(bundle_to_dict(bundle), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


# ---------------------------------------------------------------------------- validation


class FormatProblem(Exception):
    """Where (a JSON path such as ``cases[3].conversations[0].day``) and what is wrong.

    Internal: the import turns it into a :class:`~.errors.BundleInvalid` naming the file.
    """

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what


class TooNew(Exception):
    """The bundle's ``format_version`` is higher than :data:`FORMAT_VERSION` (internal)."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


class TooOld(Exception):
    """The bundle's ``format_version`` is older than :data:`FORMAT_VERSION` (1: unsigned)
    (internal)."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


class NotBundleJson(Exception):
    """Valid JSON, but not a summary bundle (no ``format`` of ours) (internal)."""


E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def _short(value: object, limit: int = 40) -> str:
    """A key or value of a hostile file as it may appear in a sentence: short, and with
    no character that cannot be shown or written (a lone surrogate is escaped)."""
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[:limit] + "…"


def _keys(keys: set[Any]) -> str:
    names = sorted(_short(key) for key in keys)
    return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")


def check_object(value: Any, where: str, keys: set[str]) -> Any:
    """``value`` if it is a JSON object with exactly ``keys``; else :class:`FormatProblem`."""
    if not isinstance(value, dict):
        raise FormatProblem(where, _("expected an object"))
    missing = keys - value.keys()
    if missing:
        raise FormatProblem(where, _("missing {keys}").format(keys=_keys(missing)))
    unknown = value.keys() - keys
    if unknown:
        raise FormatProblem(where, _("unknown {keys}").format(keys=_keys(unknown)))
    return value


def check_uuid(value: Any, where: str) -> str:
    """``value`` if it is a UUID in its canonical text form."""
    text = check_str(value, where, 64)
    try:
        if str(uuid.UUID(text)) != text:
            raise ValueError(text)
    except ValueError:
        raise FormatProblem(where, _("not a valid id")) from None
    return text


def check_int(value: Any, where: str, low: int, high: int) -> int:
    """``value`` if it is a whole number (not a boolean) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatProblem(where, _("expected a whole number"))
    if not low <= value <= high:
        raise FormatProblem(where, _("out of range {low}..{high}").format(low=low, high=high))
    return value


def check_str(value: Any, where: str, limit: int = MAX_TEXT) -> str:
    """``value`` if it is a text of at most ``limit`` characters, all encodable."""
    if not isinstance(value, str):
        raise FormatProblem(where, _("expected a text"))
    if len(value) > limit:
        raise FormatProblem(where, _("text too long"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" in the JSON: half a character, not text
        raise FormatProblem(where, _("expected a text")) from None
    return value


def check_match(value: Any, where: str, pattern: re.Pattern[str]) -> str:
    """``value`` if it is a short text matching ``pattern`` (an id or a term)."""
    text = check_str(value, where, 200)
    if not pattern.match(text):
        raise FormatProblem(where, _("not a valid id"))
    return text


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise FormatProblem(where, _("expected true or false"))
    return value


def check_date(value: Any, where: str) -> date:
    """``value`` as a day, if it is a text YYYY-MM-DD naming a real day."""
    text = check_str(value, where, 10)
    if not _DAY_PATTERN.match(text):
        raise FormatProblem(where, _("expected a day as YYYY-MM-DD"))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FormatProblem(where, _("not a valid day")) from None


def _opt_date(value: Any, where: str) -> date | None:
    return None if value is None else check_date(value, where)


def check_enum(kind: type[E], value: Any, where: str) -> E:
    """``value`` as a member of ``kind``, if it is one of its codes."""
    if not isinstance(value, str):
        raise FormatProblem(where, _("expected a code"))
    try:
        return kind(value)
    except ValueError:
        raise FormatProblem(where, _("unknown code {code!r}").format(code=value[:40])) from None


def check_opt_enum(kind: type[E], value: Any, where: str) -> E | None:
    """As :func:`check_enum`, with None (JSON null) allowed."""
    return None if value is None else check_enum(kind, value, where)


def check_list(
    value: Any, where: str, item: Callable[[Any, str], T], limit: int | None = None
) -> tuple[T, ...]:
    """The items of a JSON list, each checked by ``item``: at most ``limit`` of them, or
    any number (None) for the rows of a notebook."""
    if not isinstance(value, list):
        raise FormatProblem(where, _("expected a list"))
    if limit is not None and len(value) > limit:
        raise FormatProblem(where, _("too many items"))
    return tuple(item(element, f"{where}[{i}]") for i, element in enumerate(value))


def check_unique(values: tuple[T, ...], where: str) -> tuple[T, ...]:
    """``values`` if no value is repeated."""
    if len(set(values)) != len(values):
        raise FormatProblem(where, _("repeated value"))
    return values


def _terms(value: Any, where: str) -> tuple[str, ...]:
    return check_unique(
        check_list(value, where, lambda v, w: check_match(v, w, TERM_PATTERN), 200), where
    )


def _enums(kind: type[E], value: Any, where: str) -> tuple[E, ...]:
    return check_unique(check_list(value, where, lambda v, w: check_enum(kind, v, w), 50), where)


def check_envelope(data: Any) -> int:
    """Tell a bundle from other JSON and check its version before anything else.

    Returns the format version; raises :class:`NotBundleJson` or :class:`TooNew`.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise NotBundleJson
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise NotBundleJson
    if version > FORMAT_VERSION:
        raise TooNew(version)
    if version < FORMAT_VERSION:
        raise TooOld(version)
    return version


_HEADER_KEYS = {
    "format",
    "format_version",
    "bundle_id",
    "app_version",
    "taxonomy_version",
    "counsellor_id",
    "sequence",
    "recipient",
    "created_on",
    "period",
    "replacements",
    "cases",
}


def bundle_from_dict(data: Any, *, consume: bool = False) -> Bundle[str]:
    """Validate a decoded bundle strictly and build its dataclasses (``consume``: the
    cases of ``data`` are emptied as they are built, to save memory).

    Raises :class:`NotBundleJson`, :class:`TooNew` or :class:`FormatProblem`.
    """
    version = check_envelope(data)
    check_object(data, "$", _HEADER_KEYS)
    bundle_id = check_uuid(data["bundle_id"], "bundle_id")
    period = check_object(data["period"], "period", {"from", "to"})
    period_from = check_date(period["from"], "period.from")
    period_to = check_date(period["to"], "period.to")
    if period_from > period_to:
        raise FormatProblem("period", _("ends before it begins"))
    replacements_raw = data["replacements"]
    if not isinstance(replacements_raw, dict):
        raise FormatProblem("replacements", _("expected an object"))
    replacements = {
        check_enum(IdentifierKind, kind, f"replacements.{_short(kind)}"): check_int(
            n, f"replacements.{_short(kind)}", 0, 10**9
        )
        for kind, n in replacements_raw.items()
    }
    header = BundleHeader(
        bundle_id=bundle_id,
        app_version=check_str(data["app_version"], "app_version", 40),
        taxonomy_version=check_int(data["taxonomy_version"], "taxonomy_version", 1, 10**6),
        counsellor_id=check_match(data["counsellor_id"], "counsellor_id", COUNSELLOR_ID_PATTERN),
        sequence=check_int(data["sequence"], "sequence", 1, 10**9),
        recipient=check_str(data["recipient"], "recipient", 200),
        created_on=check_date(data["created_on"], "created_on"),
        period_from=period_from,
        period_to=period_to,
        replacements=replacements,
        format_version=version,
    )
    raw_cases = data["cases"]
    if not isinstance(raw_cases, list):
        raise FormatProblem("cases", _("expected a list"))
    built: list[BundleCase[str]] = []
    for i, raw in enumerate(raw_cases):
        built.append(case_from_dict(raw, f"cases[{i}]"))
        if consume:
            # Each case's JSON is let go of once built: a large bundle is not held twice.
            raw_cases[i] = None
    cases = tuple(built)
    check_unique(tuple(case.ref for case in cases), "cases[].ref")
    return Bundle(header, cases)


_CASE_KEYS = {
    "ref",
    "status",
    "caller_role",
    "help_system",
    "known_by",
    "age_band",
    "gender",
    "arenas",
    "themes",
    "protective_factors",
    "risk_factors",
    "purged",
    "conversations",
    "alliances",
    "follow_ups",
    "concerns",
}


def case_from_dict(value: Any, where: str) -> BundleCase[str]:
    """Check a case read from JSON at ``where`` and build it; raises :class:`FormatProblem`."""
    d = check_object(value, where, _CASE_KEYS)
    return BundleCase(
        ref=check_match(d["ref"], f"{where}.ref", CASE_REF_PATTERN),
        status=check_enum(CaseStatus, d["status"], f"{where}.status"),
        caller_role=check_opt_enum(CallerRole, d["caller_role"], f"{where}.caller_role"),
        help_system=check_opt_enum(HelpSystemStatus, d["help_system"], f"{where}.help_system"),
        known_by=_enums(HelpSystemActor, d["known_by"], f"{where}.known_by"),
        age_band=check_opt_enum(AgeBand, d["age_band"], f"{where}.age_band"),
        gender=check_opt_enum(Gender, d["gender"], f"{where}.gender"),
        arenas=_terms(d["arenas"], f"{where}.arenas"),
        themes=_terms(d["themes"], f"{where}.themes"),
        protective_factors=_terms(d["protective_factors"], f"{where}.protective_factors"),
        risk_factors=_terms(d["risk_factors"], f"{where}.risk_factors"),
        purged=_bool(d["purged"], f"{where}.purged"),
        conversations=check_list(d["conversations"], f"{where}.conversations", _conversation),
        alliances=check_list(d["alliances"], f"{where}.alliances", _alliance),
        follow_ups=check_list(d["follow_ups"], f"{where}.follow_ups", _follow_up),
        concerns=check_list(d["concerns"], f"{where}.concerns", _concern),
    )


def _wellbeing(value: Any, where: str) -> dict[str, WellbeingLevel]:
    if not isinstance(value, dict):
        raise FormatProblem(where, _("expected an object"))
    if len(value) > 50:
        raise FormatProblem(where, _("too many items"))
    return {
        check_match(arena, f"{where}.{_short(arena)}", TERM_PATTERN): check_enum(
            WellbeingLevel, level, f"{where}.{_short(arena)}"
        )
        for arena, level in value.items()
    }


def _summary(value: Any, where: str) -> dict[Step, str]:
    d = check_object(value, where, {step.value for step in Step})
    return {step: check_str(d[step.value], f"{where}.{step.value}") for step in Step}


def _conversation(value: Any, where: str) -> BundleConversation[str]:
    d = check_object(
        value,
        where,
        {"day", "channel", "duration_minutes", "wellbeing", "steps_covered", "summary"},
    )
    steps = _enums(Step, d["steps_covered"], f"{where}.steps_covered")
    return BundleConversation(
        day=check_date(d["day"], f"{where}.day"),
        channel=check_enum(Channel, d["channel"], f"{where}.channel"),
        duration_minutes=check_int(
            d["duration_minutes"], f"{where}.duration_minutes", 0, MAX_DURATION_MINUTES
        ),
        wellbeing=_wellbeing(d["wellbeing"], f"{where}.wellbeing"),
        steps_covered=tuple(step for step in Step if step in steps),
        summary=_summary(d["summary"], f"{where}.summary"),
    )


def _alliance(value: Any, where: str) -> BundleAlliance[str]:
    keys = {"partner", "status", "consent", "created_on", "role", "agreed"}
    if isinstance(value, dict) and "directory_kind" in value:  # optional (format 3)
        keys.add("directory_kind")
    d = check_object(value, where, keys)
    return BundleAlliance(
        partner=check_enum(Partner, d["partner"], f"{where}.partner"),
        status=check_enum(AllianceStatus, d["status"], f"{where}.status"),
        consent=check_enum(Consent, d["consent"], f"{where}.consent"),
        created_on=check_date(d["created_on"], f"{where}.created_on"),
        role=check_str(d["role"], f"{where}.role"),
        agreed=check_str(d["agreed"], f"{where}.agreed"),
        directory_kind=check_enum(EntryKind, d["directory_kind"], f"{where}.directory_kind")
        if "directory_kind" in d
        else None,
    )


def _follow_up(value: Any, where: str) -> BundleFollowUp[str]:
    d = check_object(
        value,
        where,
        {"due", "outcome", "done_on", "counsellor_task", "parent_task", "others_task"},
    )
    outcome = check_enum(FollowUpOutcome, d["outcome"], f"{where}.outcome")
    done_on = _opt_date(d["done_on"], f"{where}.done_on")
    if (done_on is None) != (outcome in (FollowUpOutcome.MISSED, FollowUpOutcome.PENDING)):
        raise FormatProblem(f"{where}.done_on", _("does not fit the outcome"))
    return BundleFollowUp(
        due=check_date(d["due"], f"{where}.due"),
        outcome=outcome,
        done_on=done_on,
        counsellor_task=check_str(d["counsellor_task"], f"{where}.counsellor_task"),
        parent_task=check_str(d["parent_task"], f"{where}.parent_task"),
        others_task=check_str(d["others_task"], f"{where}.others_task"),
    )


def _concern(value: Any, where: str) -> BundleConcern[str]:
    d = check_object(value, where, {"day", "signs", "decision", "reasoning"})
    return BundleConcern(
        day=check_date(d["day"], f"{where}.day"),
        signs=check_enum(ConcernSigns, d["signs"], f"{where}.signs"),
        decision=check_enum(ConcernDecision, d["decision"], f"{where}.decision"),
        reasoning=check_str(d["reasoning"], f"{where}.reasoning"),
    )


def bundle_from_json(data: bytes | memoryview | str) -> Bundle[str]:
    """Decode and validate the plaintext of a bundle, as bytes or already decoded (see
    :func:`bundle_from_dict`)."""
    try:
        decoded = json.loads(data if isinstance(data, str) else str(data, "utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a number of 5,000 digits
        raise NotBundleJson from None
    return bundle_from_dict(decoded, consume=True)


#: No day in an exchange file lies before this (a typing error or a forgery).
EARLIEST_DAY = date(2000, 1, 1)
#: How far ahead of a file's day a follow-up may be due.
FOLLOW_UP_HORIZON = timedelta(days=5 * 366)


def check_days(bundle: Bundle[str], today: date) -> None:
    """Refuse days no genuine bundle holds (:class:`FormatProblem`): a bundle made after
    tomorrow (a day of slack for clocks and time zones) or before 2000, and a
    conversation, alliance, concern, period or done follow-up dated after the bundle's own
    day. A follow-up may be due later, up to :data:`FOLLOW_UP_HORIZON`."""
    header = bundle.header
    made = header.created_on
    if made > today + timedelta(days=1):
        raise FormatProblem("created_on", _("lies in the future"))

    def within(day: date, where: str, latest: date = made) -> None:
        if day < EARLIEST_DAY:
            raise FormatProblem(where, _("before the year 2000"))
        if day > latest:
            raise FormatProblem(where, _("after the day the file was made"))

    within(made, "created_on")
    within(header.period_from, "period.from")
    within(header.period_to, "period.to")
    for i, case in enumerate(bundle.cases):
        where = f"cases[{i}]"
        for j, c in enumerate(case.conversations):
            within(c.day, f"{where}.conversations[{j}].day")
        for j, a in enumerate(case.alliances):
            within(a.created_on, f"{where}.alliances[{j}].created_on")
        for j, f in enumerate(case.follow_ups):
            within(f.due, f"{where}.follow_ups[{j}].due", made + FOLLOW_UP_HORIZON)
            if f.done_on is not None:
                within(f.done_on, f"{where}.follow_ups[{j}].done_on")
        for j, k in enumerate(case.concerns):
            within(k.day, f"{where}.concerns[{j}].day")


def texts_of(case: BundleCase[str]) -> list[str]:
    """Every free text of a case (for checks that no identifier is in them)."""
    texts: list[str] = []
    for c in case.conversations:
        texts += c.summary.values()
    for a in case.alliances:
        texts += (a.role, a.agreed)
    for f in case.follow_ups:
        texts += (f.counsellor_task, f.parent_task, f.others_task)
    texts += (k.reasoning for k in case.concerns)
    return [text for text in texts if text]


def map_texts(case: BundleCase[str], change: Callable[[str], CleanText]) -> BundleCase[CleanText]:
    """``case`` with every free text replaced by ``change(text)``: the gate's settling of
    texts that arrive, and of a received case before it is printed (``change`` is one of
    :class:`~counsellor_app.core.gate.Gate`'s, the only makers of a ``CleanText``)."""

    def one(text: str) -> CleanText:
        return change(text) if text else EMPTY

    return BundleCase(
        ref=case.ref,
        status=case.status,
        caller_role=case.caller_role,
        help_system=case.help_system,
        known_by=case.known_by,
        age_band=case.age_band,
        gender=case.gender,
        arenas=case.arenas,
        themes=case.themes,
        protective_factors=case.protective_factors,
        risk_factors=case.risk_factors,
        purged=case.purged,
        conversations=tuple(
            BundleConversation(
                day=c.day,
                channel=c.channel,
                duration_minutes=c.duration_minutes,
                wellbeing=c.wellbeing,
                steps_covered=c.steps_covered,
                summary={step: one(t) for step, t in c.summary.items()},
            )
            for c in case.conversations
        ),
        alliances=tuple(
            BundleAlliance(
                partner=a.partner,
                status=a.status,
                consent=a.consent,
                created_on=a.created_on,
                role=one(a.role),
                agreed=one(a.agreed),
                directory_kind=a.directory_kind,
            )
            for a in case.alliances
        ),
        follow_ups=tuple(
            BundleFollowUp(
                due=f.due,
                outcome=f.outcome,
                done_on=f.done_on,
                counsellor_task=one(f.counsellor_task),
                parent_task=one(f.parent_task),
                others_task=one(f.others_task),
            )
            for f in case.follow_ups
        ),
        concerns=tuple(
            BundleConcern(day=k.day, signs=k.signs, decision=k.decision, reasoning=one(k.reasoning))
            for k in case.concerns
        ),
    )
