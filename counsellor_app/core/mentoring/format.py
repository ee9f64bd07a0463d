"""The two review files as dataclasses, their JSON and their strict validation.

* A **case for review** (``.cnreview``) goes from a student to a mentor: one case, made
  by the very code that builds a summary bundle (structured fields, days, the four step
  notes of each conversation de-identified), plus a stable reference per conversation,
  the comments and sign-offs made so far (with the student's answers, de-identified) and
  optionally the student's reflections (de-identified). It names the student only by
  the pseudonymous id of the notebook and, if the student gives them, initials; and it
  carries the student notebook's *public* key, so the mentor's comments can go back.
* **Review comments** (``.cncomments``) go from the mentor back to the student: the
  comments (with their edits, and the ones the mentor deleted), the sign-offs (each with
  the version of the case it approved) and the rubric on that case, addressed by the
  case's and its conversations' references.

Format 2 (issue 17) names the recipient's public key inside the signed content (a file
signed for one notebook and passed on to another is refused), carries the case's
version, comment edits and deletions, and the rubric; a case for review no longer
carries sign-offs (only the mentor signs off, in the mentor's notebook). Format 1 is
refused with a sentence asking for the file to be made again from an updated app.

Both are UTF-8 JSON encrypted with age (:mod:`counsellor_app.core.exchange.crypto`), and
both are validated as strictly as a summary bundle (the helpers are shared): every key
known, every value of the right type and in range; a reader refuses a newer format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from counsellor_app.core.anonymity import IdentifierKind
from counsellor_app.core.domain import Step
from counsellor_app.core.exchange.format import (
    CASE_REF_PATTERN,
    COUNSELLOR_ID_PATTERN,
    BundleCase,
    FormatProblem,
    NotBundleJson,
    Text_co,
    TooNew,
    TooOld,
    case_from_dict,
    case_to_dict,
    check_date,
    check_enum,
    check_int,
    check_list,
    check_match,
    check_object,
    check_opt_enum,
    check_str,
    check_unique,
    check_uuid,
)
from counsellor_app.core.gate import EMPTY, CleanText
from counsellor_app.core.i18n import N_, _

REVIEW_FORMAT = "counsellors-notebook/case-for-review"
COMMENTS_FORMAT = "counsellors-notebook/review-comments"
#: The version this app writes and the only one it reads (of both kinds). Version 2 counts
#: three more kinds of replaced identifiers (licence plates, passport and account numbers),
#: names the recipient's key inside the signed content and carries the case's version,
#: comment edits and deletions and the rubric (issue 17); version 1 files are refused.
REVIEW_FORMAT_VERSION = 2
#: The usual file name endings (the content is age-encrypted, not JSON).
REVIEW_SUFFIX = ".cnreview"
COMMENTS_SUFFIX = ".cncomments"

#: A conversation's reference: like a case reference, 26 base32 letters.
CONVERSATION_REF_PATTERN = CASE_REF_PATTERN
PUBLIC_KEY_PATTERN = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")
#: A mentor's initials or pseudonym (never a full name required); also a student's.
MAX_INITIALS = 24
MAX_COMMENT = 20_000
#: A rubric note is a short text beside the level.
MAX_RUBRIC_NOTE = 500
#: Another kind of text, for a record's copy with its texts passed through the gate.
TextT = TypeVar("TextT", bound=str)

#: A case's version: 26 base32 letters ("" for a sign-off made before versions were kept).
CASE_VERSION_PATTERN = re.compile(r"^([a-z2-7]{26})?$")


class CommentStatus(StrEnum):
    """Where a mentor's comment stands. Only ever moves forward (open → answered →
    resolved), also when the two notebooks' copies are merged."""

    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"

    @property
    def rank(self) -> int:
        return list(CommentStatus).index(self)


_STATUS_LABELS = {
    CommentStatus.OPEN: N_("Open"),
    CommentStatus.ANSWERED: N_("Answered"),
    CommentStatus.RESOLVED: N_("Resolved"),
}


def status_label(status: CommentStatus) -> str:
    """The word a user sees for a comment's status."""
    return _(_STATUS_LABELS[status])


class RubricLevel(StrEnum):
    """How well a step of a conversation went, in the mentor's rubric (issue 17)."""

    NOT_YET = "not_yet"
    PARTLY = "partly"
    WELL = "well"
    EXEMPLARY = "exemplary"

    @property
    def score(self) -> int:
        """1 (not yet) to 4 (exemplary), for a chart over time."""
        return list(RubricLevel).index(self) + 1


_LEVEL_LABELS = {
    RubricLevel.NOT_YET: N_("Not yet"),
    RubricLevel.PARTLY: N_("Partly"),
    RubricLevel.WELL: N_("Well"),
    RubricLevel.EXEMPLARY: N_("Exemplary"),
}


def level_label(level: RubricLevel) -> str:
    """The word a user sees for a rubric level."""
    return _(_LEVEL_LABELS[level])


@dataclass(frozen=True)
class CommentRecord(Generic[Text_co]):
    """A mentor's comment as it travels between the two notebooks (its texts: ``str`` as
    stored or read from a file, ``CleanText`` in a file that is written; see
    :data:`~counsellor_app.core.exchange.format.Text_co`)."""

    uid: str
    conversation_ref: str
    #: The step the comment is about; None for the conversation as a whole.
    step: Step | None
    author: str
    text: Text_co
    created_at: datetime
    status: CommentStatus = CommentStatus.OPEN
    # The empty text is clean, raw and received alike: mypy cannot see it is a Text_co.
    answer: Text_co = EMPTY  # type: ignore[assignment]
    #: When the answer last changed (also when the student took it back).
    answered_at: datetime | None = None
    resolved_at: datetime | None = None
    #: When the mentor last changed the text (None: as first written).
    edited_at: datetime | None = None

    def with_texts(self, text: TextT, answer: TextT) -> CommentRecord[TextT]:
        """The same comment with ``text`` and ``answer`` (what the gate made of them)."""
        return CommentRecord(
            uid=self.uid,
            conversation_ref=self.conversation_ref,
            step=self.step,
            author=self.author,
            text=text,
            created_at=self.created_at,
            status=self.status,
            answer=answer,
            answered_at=self.answered_at,
            resolved_at=self.resolved_at,
            edited_at=self.edited_at,
        )


@dataclass(frozen=True)
class SignOffRecord:
    """A mentor signed off the review of the case on ``day``, approving the case as it
    was at ``case_version`` ("" for a sign-off made before versions were kept)."""

    day: date
    mentor: str
    case_version: str = ""


@dataclass(frozen=True)
class RubricRecord(Generic[Text_co]):
    """The mentor's rating of one step of one conversation (``level`` None: taken back)."""

    conversation_ref: str
    step: Step
    level: RubricLevel | None
    note: Text_co
    author: str
    rated_at: datetime

    def with_note(self, note: TextT) -> RubricRecord[TextT]:
        """The same rating with ``note`` (what the gate made of it)."""
        return RubricRecord(
            self.conversation_ref, self.step, self.level, note, self.author, self.rated_at
        )


@dataclass(frozen=True)
class ReflectionRecord(Generic[Text_co]):
    """One dated entry of the student's reflection log."""

    day: date
    worked: Text_co = EMPTY  # type: ignore[assignment]
    differently: Text_co = EMPTY  # type: ignore[assignment]
    learn: Text_co = EMPTY  # type: ignore[assignment]

    def with_texts(
        self, worked: TextT, differently: TextT, learn: TextT
    ) -> ReflectionRecord[TextT]:
        """The same entry with these texts (what the gate made of them)."""
        return ReflectionRecord(self.day, worked, differently, learn)


@dataclass(frozen=True)
class CaseForReview(Generic[Text_co]):
    """The content of a ``.cnreview`` file (its texts: ``str`` as read, ``CleanText`` as
    written or once the gate settled them)."""

    review_id: str
    app_version: str
    taxonomy_version: int
    #: The student notebook's pseudonymous id (``C-`` and ten characters).
    student_id: str
    #: The student's initials or pseudonym, if given ("" otherwise).
    student: str
    #: The student notebook's public key: the mentor's comments are encrypted to it.
    reply_key: str
    #: The mentor's public key the file is encrypted to (signed: it cannot be passed on).
    recipient: str
    #: The version of the case as sent (an HMAC of its content under the student's
    #: secret): a sign-off approves this version.
    case_version: str
    sent_at: datetime
    #: Counts up with every case for review the student's notebook makes: orders two
    #: made within the same second.
    sequence: int
    case: BundleCase[Text_co]
    #: One reference per conversation of ``case``, in the same order.
    conversation_refs: tuple[str, ...]
    comments: tuple[CommentRecord[Text_co], ...] = ()
    reflections: tuple[ReflectionRecord[Text_co], ...] = ()
    replacements: dict[IdentifierKind, int] = field(default_factory=dict)
    format_version: int = REVIEW_FORMAT_VERSION

    def with_texts(
        self,
        case: BundleCase[TextT],
        comments: tuple[CommentRecord[TextT], ...],
        reflections: tuple[ReflectionRecord[TextT], ...],
    ) -> CaseForReview[TextT]:
        """The same file with these texts (what the gate made of them)."""
        return CaseForReview(
            review_id=self.review_id,
            app_version=self.app_version,
            taxonomy_version=self.taxonomy_version,
            student_id=self.student_id,
            student=self.student,
            reply_key=self.reply_key,
            recipient=self.recipient,
            case_version=self.case_version,
            sent_at=self.sent_at,
            sequence=self.sequence,
            case=case,
            conversation_refs=self.conversation_refs,
            comments=comments,
            reflections=reflections,
            replacements=self.replacements,
            format_version=self.format_version,
        )


@dataclass(frozen=True)
class ReviewComments(Generic[Text_co]):
    """The content of a ``.cncomments`` file (texts as in :class:`CaseForReview`)."""

    comments_id: str
    app_version: str
    student_id: str
    case_ref: str
    #: The case for review the mentor last had (for the record).
    review_id: str
    #: The student's public key the file is encrypted to (signed: it cannot be passed on).
    recipient: str
    sent_at: datetime
    comments: tuple[CommentRecord[Text_co], ...] = ()
    sign_offs: tuple[SignOffRecord, ...] = ()
    rubric: tuple[RubricRecord[Text_co], ...] = ()
    #: The ids of comments the mentor deleted.
    deleted: tuple[str, ...] = ()
    format_version: int = REVIEW_FORMAT_VERSION

    def with_texts(
        self, comments: tuple[CommentRecord[TextT], ...], rubric: tuple[RubricRecord[TextT], ...]
    ) -> ReviewComments[TextT]:
        """The same file with these texts (what the gate made of them)."""
        return ReviewComments(
            comments_id=self.comments_id,
            app_version=self.app_version,
            student_id=self.student_id,
            case_ref=self.case_ref,
            review_id=self.review_id,
            recipient=self.recipient,
            sent_at=self.sent_at,
            comments=comments,
            sign_offs=self.sign_offs,
            rubric=rubric,
            deleted=self.deleted,
            format_version=self.format_version,
        )


# ---------------------------------------------------------------------------- to JSON


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).replace(microsecond=0).isoformat() if value else None


def comment_to_dict(comment: CommentRecord[CleanText]) -> dict[str, Any]:
    return {
        "id": comment.uid,
        "conversation_ref": comment.conversation_ref,
        "step": comment.step.value if comment.step else None,
        "author": comment.author,
        "text": comment.text,
        "created_at": _moment(comment.created_at),
        "status": comment.status.value,
        "answer": comment.answer,
        "answered_at": _moment(comment.answered_at),
        "resolved_at": _moment(comment.resolved_at),
        "edited_at": _moment(comment.edited_at),
    }


def _sign_off_to_dict(sign_off: SignOffRecord) -> dict[str, Any]:
    return {
        "day": sign_off.day.isoformat(),
        "mentor": sign_off.mentor,
        "case_version": sign_off.case_version,
    }


def _rubric_to_dict(rating: RubricRecord[CleanText]) -> dict[str, Any]:
    return {
        "conversation_ref": rating.conversation_ref,
        "step": rating.step.value,
        "level": rating.level.value if rating.level else None,
        "note": rating.note,
        "author": rating.author,
        "rated_at": _moment(rating.rated_at),
    }


def _reflection_to_dict(reflection: ReflectionRecord[CleanText]) -> dict[str, Any]:
    return {
        "day": reflection.day.isoformat(),
        "worked": reflection.worked,
        "differently": reflection.differently,
        "learn": reflection.learn,
    }


def review_to_dict(review: CaseForReview[CleanText]) -> dict[str, Any]:
    return {
        "format": REVIEW_FORMAT,
        "format_version": review.format_version,
        "review_id": review.review_id,
        "app_version": review.app_version,
        "taxonomy_version": review.taxonomy_version,
        "student_id": review.student_id,
        "student": review.student,
        "reply_key": review.reply_key,
        "recipient": review.recipient,
        "case_version": review.case_version,
        "sent_at": _moment(review.sent_at),
        "sequence": review.sequence,
        "replacements": {kind.value: n for kind, n in sorted(review.replacements.items())},
        "case": case_to_dict(review.case),
        "conversation_refs": list(review.conversation_refs),
        "comments": [comment_to_dict(c) for c in review.comments],
        "reflections": [_reflection_to_dict(r) for r in review.reflections],
    }


def comments_to_dict(document: ReviewComments[CleanText]) -> dict[str, Any]:
    return {
        "format": COMMENTS_FORMAT,
        "format_version": document.format_version,
        "comments_id": document.comments_id,
        "app_version": document.app_version,
        "student_id": document.student_id,
        "case_ref": document.case_ref,
        "review_id": document.review_id,
        "recipient": document.recipient,
        "sent_at": _moment(document.sent_at),
        "comments": [comment_to_dict(c) for c in document.comments],
        "sign_offs": [_sign_off_to_dict(s) for s in document.sign_offs],
        "rubric": [_rubric_to_dict(r) for r in document.rubric],
        "deleted": list(document.deleted),
    }


def to_json(data: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON: the plaintext that is encrypted."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------------------- validation


def _datetime(value: Any, where: str) -> datetime:
    text = check_str(value, where, 40)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FormatProblem(where, _("not a valid time")) from None
    if moment.tzinfo is None:
        raise FormatProblem(where, _("not a valid time"))
    return moment.astimezone(UTC)


def _opt_datetime(value: Any, where: str) -> datetime | None:
    return None if value is None else _datetime(value, where)


def _initials(value: Any, where: str, *, required: bool = True) -> str:
    text = check_str(value, where, MAX_INITIALS)
    if text != text.strip() or (required and not text) or "\n" in text:
        raise FormatProblem(where, _("not valid initials"))
    return text


def comment_from_dict(value: Any, where: str) -> CommentRecord[str]:
    d = check_object(
        value,
        where,
        {
            "id",
            "conversation_ref",
            "step",
            "author",
            "text",
            "created_at",
            "status",
            "answer",
            "answered_at",
            "resolved_at",
            "edited_at",
        },
    )
    return CommentRecord(
        uid=check_uuid(d["id"], f"{where}.id"),
        conversation_ref=check_match(
            d["conversation_ref"], f"{where}.conversation_ref", CONVERSATION_REF_PATTERN
        ),
        step=check_opt_enum(Step, d["step"], f"{where}.step"),
        author=_initials(d["author"], f"{where}.author"),
        text=check_str(d["text"], f"{where}.text", MAX_COMMENT),
        created_at=_datetime(d["created_at"], f"{where}.created_at"),
        status=check_enum(CommentStatus, d["status"], f"{where}.status"),
        answer=check_str(d["answer"], f"{where}.answer", MAX_COMMENT),
        answered_at=_opt_datetime(d["answered_at"], f"{where}.answered_at"),
        resolved_at=_opt_datetime(d["resolved_at"], f"{where}.resolved_at"),
        edited_at=_opt_datetime(d["edited_at"], f"{where}.edited_at"),
    )


def _sign_off_from_dict(value: Any, where: str) -> SignOffRecord:
    d = check_object(value, where, {"day", "mentor", "case_version"})
    return SignOffRecord(
        day=check_date(d["day"], f"{where}.day"),
        mentor=_initials(d["mentor"], f"{where}.mentor"),
        case_version=check_match(d["case_version"], f"{where}.case_version", CASE_VERSION_PATTERN),
    )


def _rubric_from_dict(value: Any, where: str) -> RubricRecord[str]:
    d = check_object(value, where, {"conversation_ref", "step", "level", "note", "author",
                                    "rated_at"})  # fmt: skip
    return RubricRecord(
        conversation_ref=check_match(
            d["conversation_ref"], f"{where}.conversation_ref", CONVERSATION_REF_PATTERN
        ),
        step=check_enum(Step, d["step"], f"{where}.step"),
        level=check_opt_enum(RubricLevel, d["level"], f"{where}.level"),
        note=check_str(d["note"], f"{where}.note", MAX_RUBRIC_NOTE),
        author=_initials(d["author"], f"{where}.author"),
        rated_at=_datetime(d["rated_at"], f"{where}.rated_at"),
    )


def _rubric(value: Any, where: str) -> tuple[RubricRecord[str], ...]:
    """The ratings; at most one per conversation and step."""
    ratings = check_list(value, where, _rubric_from_dict)
    check_unique(tuple(f"{r.conversation_ref}:{r.step.value}" for r in ratings), where)
    return ratings


def _reflection_from_dict(value: Any, where: str) -> ReflectionRecord[str]:
    d = check_object(value, where, {"day", "worked", "differently", "learn"})
    return ReflectionRecord(
        day=check_date(d["day"], f"{where}.day"),
        worked=check_str(d["worked"], f"{where}.worked", MAX_COMMENT),
        differently=check_str(d["differently"], f"{where}.differently", MAX_COMMENT),
        learn=check_str(d["learn"], f"{where}.learn", MAX_COMMENT),
    )


def _comments(value: Any, where: str, refs: set[str] | None) -> tuple[CommentRecord[str], ...]:
    """The comments; each must be on one of ``refs`` (unless None: checked on import)."""
    comments = check_list(value, where, comment_from_dict)
    check_unique(tuple(c.uid for c in comments), f"{where}[].id")
    for index, comment in enumerate(comments):
        if refs is not None and comment.conversation_ref not in refs:
            raise FormatProblem(
                f"{where}[{index}].conversation_ref", _("not a conversation of the case")
            )
    return comments


def envelope(data: Any) -> tuple[str, int]:
    """Which review file a decoded JSON value is (``REVIEW_FORMAT`` or
    ``COMMENTS_FORMAT``) and its version; raises :class:`NotBundleJson` for anything
    else and :class:`TooNew` for a newer version."""
    if not isinstance(data, dict) or data.get("format") not in (REVIEW_FORMAT, COMMENTS_FORMAT):
        raise NotBundleJson
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise NotBundleJson
    if version > REVIEW_FORMAT_VERSION:
        raise TooNew(version)
    if version < REVIEW_FORMAT_VERSION:
        raise TooOld(version)
    return str(data["format"]), version


def review_from_dict(data: Any) -> CaseForReview[str]:
    """Validate a decoded case for review strictly (raises FormatProblem and friends)."""
    _kind, version = envelope(data)
    d = check_object(
        data,
        "$",
        {
            "format",
            "format_version",
            "review_id",
            "app_version",
            "taxonomy_version",
            "student_id",
            "student",
            "reply_key",
            "recipient",
            "case_version",
            "sent_at",
            "sequence",
            "replacements",
            "case",
            "conversation_refs",
            "comments",
            "reflections",
        },
    )
    case = case_from_dict(d["case"], "case")
    refs = check_list(
        d["conversation_refs"],
        "conversation_refs",
        lambda v, w: check_match(v, w, CONVERSATION_REF_PATTERN),
    )
    check_unique(refs, "conversation_refs")
    if len(refs) != len(case.conversations):
        raise FormatProblem("conversation_refs", _("does not match the conversations"))
    replacements_raw = d["replacements"]
    if not isinstance(replacements_raw, dict):
        raise FormatProblem("replacements", _("expected an object"))
    replacements = {
        check_enum(IdentifierKind, kind, f"replacements.{str(kind)[:40]}"): check_int(
            n, f"replacements.{str(kind)[:40]}", 0, 10**9
        )
        for kind, n in replacements_raw.items()
    }
    return CaseForReview(
        review_id=check_uuid(d["review_id"], "review_id"),
        app_version=check_str(d["app_version"], "app_version", 40),
        taxonomy_version=check_int(d["taxonomy_version"], "taxonomy_version", 1, 10**6),
        student_id=check_match(d["student_id"], "student_id", COUNSELLOR_ID_PATTERN),
        student=_initials(d["student"], "student", required=False),
        reply_key=check_match(d["reply_key"], "reply_key", PUBLIC_KEY_PATTERN),
        recipient=check_match(d["recipient"], "recipient", PUBLIC_KEY_PATTERN),
        case_version=check_match(d["case_version"], "case_version", CASE_VERSION_PATTERN),
        sent_at=_datetime(d["sent_at"], "sent_at"),
        sequence=check_int(d["sequence"], "sequence", 1, 10**9),
        case=case,
        conversation_refs=refs,
        comments=_comments(d["comments"], "comments", set(refs)),
        reflections=check_list(d["reflections"], "reflections", _reflection_from_dict),
        replacements=replacements,
        format_version=version,
    )


def comments_from_dict(data: Any) -> ReviewComments[str]:
    """Validate a decoded comments file strictly."""
    _kind, version = envelope(data)
    d = check_object(
        data,
        "$",
        {
            "format",
            "format_version",
            "comments_id",
            "app_version",
            "student_id",
            "case_ref",
            "review_id",
            "recipient",
            "sent_at",
            "comments",
            "sign_offs",
            "rubric",
            "deleted",
        },
    )
    deleted = check_list(d["deleted"], "deleted", check_uuid)
    check_unique(deleted, "deleted")
    return ReviewComments(
        comments_id=check_uuid(d["comments_id"], "comments_id"),
        app_version=check_str(d["app_version"], "app_version", 40),
        student_id=check_match(d["student_id"], "student_id", COUNSELLOR_ID_PATTERN),
        case_ref=check_match(d["case_ref"], "case_ref", CASE_REF_PATTERN),
        review_id=check_uuid(d["review_id"], "review_id"),
        recipient=check_match(d["recipient"], "recipient", PUBLIC_KEY_PATTERN),
        sent_at=_datetime(d["sent_at"], "sent_at"),
        comments=_comments(d["comments"], "comments", None),
        sign_offs=check_list(d["sign_offs"], "sign_offs", _sign_off_from_dict),
        rubric=_rubric(d["rubric"], "rubric"),
        deleted=deleted,
        format_version=version,
    )


def from_json(plaintext: bytes) -> CaseForReview[str] | ReviewComments[str]:
    """Decode and validate either kind of review file."""
    try:
        decoded = json.loads(plaintext.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a number of 5,000 digits
        raise NotBundleJson from None
    kind, _version = envelope(decoded)
    if kind == REVIEW_FORMAT:
        return review_from_dict(decoded)
    return comments_from_dict(decoded)
