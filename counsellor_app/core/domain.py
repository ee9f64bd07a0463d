"""The domain of the counselling line: cases, conversations, alliances, follow-ups.

Everything here is plain data. Identifiers are English; the words a counsellor sees come
from :func:`label` (through gettext) or from the versioned taxonomy
(:mod:`counsellor_app.core.taxonomy`). The string values of the enums are stored in the
notebook and written into exports, so they never change meaning.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from counsellor_app.core.i18n import N_, _


class CaseStatus(StrEnum):
    OPEN = "open"
    AWAITING_FOLLOW_UP = "awaiting_follow_up"
    CLOSED = "closed"


class CallerRole(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    OTHER_CARER = "other_carer"
    GRANDPARENT = "grandparent"
    FOSTER_PARENT = "foster_parent"
    PROFESSIONAL = "professional"


class HelpSystemStatus(StrEnum):
    NEWLY_WORRIED = "newly_worried"
    KNOWN = "known"


class HelpSystemActor(StrEnum):
    PPR = "ppr"
    MUNICIPALITY = "municipality"
    PSYCHIATRY = "psychiatry"
    OTHER = "other"


class AgeBand(StrEnum):
    A0_2 = "0-2"
    A3_5 = "3-5"
    A6_9 = "6-9"
    A10_12 = "10-12"
    A13_15 = "13-15"
    A16_17 = "16-17"
    A18_24 = "18-24"


class Gender(StrEnum):
    GIRL = "girl"
    BOY = "boy"
    OTHER = "other"


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    IN_PERSON = "in_person"


class Step(StrEnum):
    """The service's four counselling steps, in the order of a conversation."""

    LISTEN = "listen"
    ADVISE = "advise"
    ALLIANCES = "alliances"
    FOLLOW_UP = "follow_up"


class WellbeingLevel(StrEnum):
    """The four levels of wellbeing used across Danish municipalities (best first)."""

    THRIVING = "trivsel"
    MILD = "let_mistrivsel"
    STRUGGLING = "mistrivsel"
    SEVERE = "svaer_mistrivsel"

    @property
    def rank(self) -> int:
        """0 for trivsel up to 3 for svær mistrivsel: for charts and movement."""
        return list(WellbeingLevel).index(self)


#: Key of the overall level in :attr:`Conversation.wellbeing` (the others are arena ids).
OVERALL = "overall"


def overall_level(levels: Mapping[str, WellbeingLevel]) -> WellbeingLevel | None:
    """The overall level given, or else the most severe level given for any arena.

    The one definition of a contact's overall wellbeing: the case view, its chart, the
    exports, review files and the research data all use it.
    """
    if OVERALL in levels:
        return levels[OVERALL]
    if not levels:
        return None
    return max(levels.values(), key=lambda level: level.rank)


class Partner(StrEnum):
    SCHOOL = "school"
    DAYCARE = "daycare"
    PPR = "ppr"
    HEALTH_VISITOR = "health_visitor"
    FAMILY_DOCTOR = "family_doctor"
    MUNICIPALITY = "municipality"
    PSYCHIATRY = "psychiatry"
    ASSOCIATION = "association"
    OTHER = "other"


class EntryKind(StrEnum):
    """What kind of organisation a help directory entry is (``core/directory.py``); an
    alliance made from an entry keeps it, and a summary bundle carries it. The values are
    stable (stored, in CSV and in bundles)."""

    PPR = "ppr"
    FAMILY_COUNSELLING = "family_counselling"
    HEALTH_VISITOR = "health_visitor"
    PSYCHIATRY = "psychiatry"
    HELPLINE = "helpline"
    ASSOCIATION = "association"
    CLUB = "club"
    SCHOOL = "school"
    DAYCARE = "daycare"
    MUNICIPALITY = "municipality"
    OTHER = "other"


class Consent(StrEnum):
    NOT_ASKED = "not_asked"
    GIVEN = "given"
    REFUSED = "refused"


class AllianceStatus(StrEnum):
    SUGGESTED = "suggested"
    CONTACTED = "contacted"
    ACTIVE = "active"
    ENDED = "ended"


class ConcernSigns(StrEnum):
    NO = "no"
    UNSURE = "unsure"
    YES = "yes"


class ConcernDecision(StrEnum):
    TALK_WITH_SUPERVISOR = "talk_with_supervisor"
    PARENT_GUIDED_TO_MUNICIPALITY = "parent_guided_to_municipality"
    NOTIFICATION_MADE = "notification_made"
    #: Suicidal thoughts, self-harm, danger now: the caller was sent to emergency help.
    REFERRED_TO_EMERGENCY_HELP = "referred_to_emergency_help"
    NOT_NEEDED = "not_needed"


class Role(StrEnum):
    """Whose notebook it is."""

    COUNSELLOR = "counsellor"
    STUDENT = "student"
    SUPERVISOR = "supervisor"


_LABELS: dict[StrEnum, str] = {
    CaseStatus.OPEN: N_("Open"),
    CaseStatus.AWAITING_FOLLOW_UP: N_("Awaiting follow-up"),
    CaseStatus.CLOSED: N_("Closed"),
    CallerRole.MOTHER: N_("Mother"),
    CallerRole.FATHER: N_("Father"),
    CallerRole.OTHER_CARER: N_("Other carer"),
    CallerRole.GRANDPARENT: N_("Grandparent"),
    CallerRole.FOSTER_PARENT: N_("Foster parent"),
    CallerRole.PROFESSIONAL: N_("Professional"),
    HelpSystemStatus.NEWLY_WORRIED: N_("Newly worried"),
    HelpSystemStatus.KNOWN: N_("Known to the help system"),
    HelpSystemActor.PPR: N_("PPR"),
    HelpSystemActor.MUNICIPALITY: N_("The municipality"),
    HelpSystemActor.PSYCHIATRY: N_("Psychiatry"),
    HelpSystemActor.OTHER: N_("Other"),
    Gender.GIRL: N_("Girl"),
    Gender.BOY: N_("Boy"),
    Gender.OTHER: N_("Other gender"),
    Channel.PHONE: N_("Phone"),
    Channel.CHAT: N_("Chat"),
    Channel.EMAIL: N_("E-mail"),
    Channel.IN_PERSON: N_("In person"),
    Step.LISTEN: N_("Listen"),
    Step.ADVISE: N_("Advise"),
    Step.ALLIANCES: N_("Alliances"),
    Step.FOLLOW_UP: N_("Follow-up"),
    WellbeingLevel.THRIVING: N_("Thriving"),
    WellbeingLevel.MILD: N_("Mild distress"),
    WellbeingLevel.STRUGGLING: N_("Distress"),
    WellbeingLevel.SEVERE: N_("Severe distress"),
    Partner.SCHOOL: N_("School"),
    Partner.DAYCARE: N_("Daycare"),
    Partner.PPR: N_("PPR"),
    Partner.HEALTH_VISITOR: N_("Health visitor"),
    Partner.FAMILY_DOCTOR: N_("Family doctor"),
    Partner.MUNICIPALITY: N_("Municipality"),
    Partner.PSYCHIATRY: N_("Psychiatry"),
    Partner.ASSOCIATION: N_("Association"),
    Partner.OTHER: N_("Other"),
    Consent.NOT_ASKED: N_("Not asked"),
    Consent.GIVEN: N_("Consent given"),
    Consent.REFUSED: N_("Consent refused"),
    AllianceStatus.SUGGESTED: N_("Suggested"),
    AllianceStatus.CONTACTED: N_("Contacted"),
    AllianceStatus.ACTIVE: N_("Active"),
    AllianceStatus.ENDED: N_("Ended"),
    ConcernSigns.NO: N_("No signs"),
    ConcernSigns.UNSURE: N_("Unsure"),
    ConcernSigns.YES: N_("Signs of serious risk"),
    ConcernDecision.TALK_WITH_SUPERVISOR: N_("Talk with the supervisor"),
    ConcernDecision.PARENT_GUIDED_TO_MUNICIPALITY: N_("Parent guided to contact the municipality"),
    ConcernDecision.NOTIFICATION_MADE: N_("Notification made"),
    ConcernDecision.REFERRED_TO_EMERGENCY_HELP: N_("Referred to emergency help"),
    ConcernDecision.NOT_NEEDED: N_("Not needed"),
    Role.COUNSELLOR: N_("Counsellor"),
    Role.STUDENT: N_("Student"),
    Role.SUPERVISOR: N_("Supervisor"),
}


def label(value: StrEnum) -> str:
    """The word a user sees for ``value``, in the current language."""
    return _(_LABELS[value])


def label_id(value: StrEnum) -> str:
    """The message id (English) of :func:`label`, for a text written in a language other
    than the current one (the research export's two codebooks)."""
    return _LABELS[value]


# Case codes avoid letters and digits that are misread over the phone (0/O, 1/I/L, 5/S).
CODE_ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
CODE_PREFIX = "K-"


def new_case_code(length: int = 4) -> str:
    """A short random case code such as ``K-7F3Q`` that a parent can be given."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_case_code(text: str) -> str:
    """``k7f3q`` or ``K 7F3Q`` as typed -> ``K-7F3Q``; other text is returned stripped."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.startswith("K") and 5 <= len(compact) <= 7:
        rest = compact[1:]
        if all(ch in CODE_ALPHABET for ch in rest):
            return CODE_PREFIX + rest
    return text.strip()


@dataclass
class Case:
    """An anonymous case: one family's concern, followed over one or more conversations."""

    code: str
    id: int | None = None
    status: CaseStatus = CaseStatus.OPEN
    caller_role: CallerRole | None = None
    help_system: HelpSystemStatus | None = None
    known_by: list[HelpSystemActor] = field(default_factory=list)
    age_band: AgeBand | None = None
    gender: Gender | None = None
    arenas: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    protective_factors: list[str] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    retention_hold: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    purged_at: datetime | None = None


@dataclass
class Conversation:
    """One contact within a case, with a note for each counselling step."""

    case_id: int
    started_at: datetime
    id: int | None = None
    duration_seconds: int = 0
    channel: Channel = Channel.PHONE
    notes: dict[Step, str] = field(default_factory=lambda: {step: "" for step in Step})
    #: Assessed level per arena id, plus :data:`OVERALL` where the counsellor gives one.
    wellbeing: dict[str, WellbeingLevel] = field(default_factory=dict)
    updated_at: datetime | None = None

    def overall_wellbeing(self) -> WellbeingLevel | None:
        """The overall level, or else the most severe level given for any arena."""
        return overall_level(self.wellbeing)

    def steps_covered(self) -> list[Step]:
        """The steps whose note holds text."""
        return [step for step in Step if self.notes.get(step, "").strip()]


@dataclass
class Alliance:
    """A learning environment or professional the family works with (or should)."""

    case_id: int
    partner: Partner
    id: int | None = None
    role: str = ""
    agreed: str = ""
    consent: Consent = Consent.NOT_ASKED
    status: AllianceStatus = AllianceStatus.SUGGESTED
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class FollowUp:
    """The next contact on a case and what each party will do before it."""

    case_id: int
    due: date
    id: int | None = None
    counsellor_task: str = ""
    parent_task: str = ""
    others_task: str = ""
    done: bool = False
    done_at: datetime | None = None
    created_at: datetime | None = None
    #: The conversation it was agreed in (None when added outside a call).
    conversation_id: int | None = None
    #: The time of day agreed (None: any time that day).
    due_time: time | None = None


@dataclass
class Concern:
    """A record for the duty to notify (Barnets Lov): what was decided and why, no identities."""

    case_id: int
    signs: ConcernSigns
    decision: ConcernDecision
    id: int | None = None
    conversation_id: int | None = None
    reasoning: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class Correction:
    """An ended contact was corrected: kept for the case's history, without the text it
    replaced. ``steps`` is empty when the correction was interrupted (a crash) before the
    app could tell which steps changed."""

    case_id: int
    conversation_id: int
    at: datetime
    steps: tuple[Step, ...]


@dataclass
class StatusChange:
    """A case's status changed: kept for the case's timeline."""

    case_id: int
    at: datetime
    old: CaseStatus | None
    new: CaseStatus


@dataclass(frozen=True)
class AgendaItem:
    """A follow-up that is due, with its case (for the agenda)."""

    follow_up: FollowUp
    case_code: str
    case_status: CaseStatus
