"""Mentor comments, review sign-offs, the reflection log, the learning overview, and the
material review mode shows: all read and written in one notebook.

A review is about a :class:`Subject`: a case of this notebook (``Subject.own``: the
student's own case, reviewed at the student's computer with the mentor beside, or
commented on from afar) or a case a student sent for review (``Subject.received``: the
mentor's read-only, de-identified copy). The same functions serve both, so review mode
works the same on either computer.

Conversations are addressed by a reference (26 base32 letters, an HMAC under the
notebook's exchange secret, like a case's reference in a bundle): the same reference on
both computers, so a comment made at the mentor's comes back to the right conversation,
and nothing in it can be turned back into the notebook's own ids.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from counsellor_app.core.domain import (
    AgeBand,
    CaseStatus,
    Channel,
    Role,
    Step,
    WellbeingLevel,
    label,
    overall_level,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.export import (
    CASE_SECRET_META,
    COUNSELLOR_META,
    bundle_case,
    case_ref,
    case_secret,
    duration_minutes,
    follow_up_outcome,
    local_day,
)
from counsellor_app.core.exchange.format import (
    MAX_TEXT,
    BundleAlliance,
    BundleCase,
    BundleConcern,
    BundleConversation,
    BundleFollowUp,
    case_from_dict,
    map_texts,
)
from counsellor_app.core.gate import CleanText, Gate, RawText
from counsellor_app.core.i18n import _
from counsellor_app.core.mentoring.format import (
    MAX_COMMENT,
    MAX_INITIALS,
    MAX_RUBRIC_NOTE,
    CommentRecord,
    CommentStatus,
    ReflectionRecord,
    RubricLevel,
    RubricRecord,
    SignOffRecord,
)
from counsellor_app.core.store import Notebook, guarded, now

INITIALS_META = "mentoring_initials"
STUDENT_META = "mentoring_student"


class SubjectKind(StrEnum):
    OWN = "own"
    RECEIVED = "received"


@dataclass(frozen=True)
class Subject:
    """What a review is about: a case of this notebook or a case received for review."""

    kind: SubjectKind
    #: The case's id (own) or the received case's row id.
    id: int

    @classmethod
    def own(cls, case_id: int) -> Subject:
        return cls(SubjectKind.OWN, case_id)

    @classmethod
    def received(cls, review_case_id: int) -> Subject:
        return cls(SubjectKind.RECEIVED, review_case_id)

    @property
    def is_own(self) -> bool:
        return self.kind is SubjectKind.OWN


class MentoringError(UserError):
    """A comment, sign-off or reflection that cannot be stored as given (a sentence)."""


def is_mentor(role: Role) -> bool:
    """Whether a notebook of ``role`` acts as a mentor: any notebook but a student's (an
    experienced counsellor's or a supervisor's). It may make its key pair, import cases
    for review, comment on them and send the comments back."""
    return role is not Role.STUDENT


# ---------------------------------------------------------------------------- references


def conversation_ref(secret: bytes, case_reference: str, conversation_id: int) -> str:
    """A conversation's reference in review files: HMAC-SHA256 under the notebook's
    secret, 26 base32 letters; stable for the conversation, different between notebooks."""
    digest = hmac.new(
        secret, f"conversation:{case_reference}:{conversation_id}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:20]).decode("ascii").lower()[:26]


def _case_content(notebook: Notebook, case_id: int) -> dict[str, Any]:
    """What a review approves of an own case: its fields, conversations (notes, wellbeing),
    alliances, follow-ups and concerns, without the moments of saving (an autosave of the
    same text is no change) and without the call-back number (it never leaves)."""

    def plain(item: Any, *skip: str) -> dict[str, Any]:
        # Empty values are left out, so that a field a later version adds (empty on the
        # cases of before) does not make every earlier sign-off outdated.
        return {
            k: v
            for k, v in dataclasses.asdict(item).items()
            if k not in skip and v not in (None, "", [], {}, False, 0)
        }

    case = notebook.case(case_id)
    return {
        "case": plain(case, "created_at", "updated_at", "purged_at", "retention_hold"),
        "conversations": [plain(c, "updated_at") for c in notebook.conversations(case_id)],
        "alliances": [plain(a, "created_at", "updated_at") for a in notebook.alliances(case_id)],
        "follow_ups": [plain(f, "created_at") for f in notebook.follow_ups(case_id)],
        "concerns": [plain(k, "created_at") for k in notebook.concerns(case_id)],
    }


@guarded
def case_version(notebook: Notebook, case_id: int) -> str:
    """The version of an own case as a review sees it: an HMAC of its content under the
    notebook's exchange secret (26 base32 letters). Any change to a note, a field, an
    alliance, a follow-up or a concern gives another version; undoing it gives the same
    one again. The value tells nothing of the content (it travels to the mentor)."""
    content = json.dumps(
        _case_content(notebook, case_id), sort_keys=True, default=str, ensure_ascii=False
    )
    digest = hmac.new(
        exchange_secret(notebook), b"case-version:" + content.encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b32encode(digest[:20]).decode("ascii").lower()[:26]


def display_ref(case_reference: str) -> str:
    """How a received case is named to the mentor (and on the command line): ``R-`` and
    the first six letters of its reference, e.g. ``R-K7QF2M``."""
    return "R-" + case_reference[:6].upper()


@dataclass(frozen=True)
class ConversationRefs:
    """The conversation references of a subject, in the case's order."""

    refs: tuple[str, ...]
    #: Own cases only: reference -> conversation id.
    ids: dict[str, int]

    def number(self, ref: str) -> int:
        """1 for the first conversation; 0 when ``ref`` is not one of the case's."""
        try:
            return self.refs.index(ref) + 1
        except ValueError:
            return 0


def exchange_secret(notebook: Notebook) -> bytes:
    """The notebook's exchange secret (the key of its references): read, and made only
    when there is none yet (making it is a write; reading review material is not)."""
    existing = notebook.meta(CASE_SECRET_META)
    return bytes.fromhex(existing) if existing else case_secret(notebook)


def own_conversations(notebook: Notebook, case_id: int) -> ConversationRefs:
    """The references of an own case's conversations, in order, with their ids."""
    case = notebook.case(case_id)
    secret = exchange_secret(notebook)
    reference = case_ref(secret, case)
    ids = [
        int(row[0])
        for row in notebook.query(
            "SELECT id FROM conversations WHERE case_id = ? ORDER BY started_at, id", (case_id,)
        )
    ]
    refs = tuple(conversation_ref(secret, reference, i) for i in ids)
    return ConversationRefs(refs, dict(zip(refs, ids, strict=True)))


def _received_content(notebook: Notebook, review_case_id: int) -> dict[str, Any]:
    rows = notebook.query("SELECT content FROM review_cases WHERE id = ?", (review_case_id,))
    if not rows:
        raise KeyError(review_case_id)
    content: dict[str, Any] = json.loads(rows[0][0])
    return content


def _conversations(notebook: Notebook, subject: Subject) -> ConversationRefs:
    if subject.is_own:
        return own_conversations(notebook, subject.id)
    refs = tuple(str(r) for r in _received_content(notebook, subject.id)["conversation_refs"])
    return ConversationRefs(refs, {})


@guarded
def conversation_refs(notebook: Notebook, subject: Subject) -> list[str]:
    """The references of the subject's conversations, oldest first."""
    return list(_conversations(notebook, subject).refs)


# ---------------------------------------------------------------------------- comments


@dataclass(frozen=True)
class MentorComment:
    """A mentor's comment on a conversation (or one of its four steps), and the
    student's answer."""

    id: int
    uid: str
    subject: Subject
    conversation_ref: str
    #: The conversation's number in the case (1 = the first); 0 if no longer there.
    conversation_number: int
    step: Step | None
    author: str
    text: str
    created_at: datetime
    status: CommentStatus
    answer: str = ""
    answered_at: datetime | None = None
    resolved_at: datetime | None = None
    #: When the mentor last changed the text (None: as first written).
    edited_at: datetime | None = None

    def record(self) -> CommentRecord[str]:
        """The comment as stored; a review file takes it through the gate."""
        return CommentRecord(
            uid=self.uid,
            conversation_ref=self.conversation_ref,
            step=self.step,
            author=self.author,
            text=self.text,
            created_at=self.created_at,
            status=self.status,
            answer=self.answer,
            answered_at=self.answered_at,
            resolved_at=self.resolved_at,
            edited_at=self.edited_at,
        )


def utc_stamp(moment: datetime | None) -> str | None:
    """``moment`` as stored: ISO 8601 in UTC, to the second (None stays None)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat() if moment else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_COMMENT_COLUMNS = (
    "id, uid, step, author, text, created_at, status, answer, answered_at, resolved_at, edited_at"
)


def _tables(subject: Subject) -> tuple[str, str, str]:
    """(comments table, sign-offs table, the column naming the subject)."""
    if subject.is_own:
        return "mentor_comments", "case_sign_offs", "case_id"
    return "review_comments", "review_sign_offs", "review_case_id"


def _require_subject(notebook: Notebook, subject: Subject) -> None:
    table = "cases" if subject.is_own else "review_cases"
    if not notebook.query(f"SELECT 1 FROM {table} WHERE id = ?", (subject.id,)):
        raise KeyError(subject.id)


def _step_order(step: Step | None) -> int:
    return -1 if step is None else list(Step).index(step)


@guarded
def comments(notebook: Notebook, subject: Subject) -> list[MentorComment]:
    """The comments on a case, by conversation, then step (the whole conversation
    first), then when they were made."""
    talks = _conversations(notebook, subject)
    table, _sign_offs, column = _tables(subject)
    conversation = "conversation_id" if subject.is_own else "conversation_ref"
    by_id = {i: ref for ref, i in talks.ids.items()}
    found = []
    for row in notebook.query(
        f"SELECT {conversation}, {_COMMENT_COLUMNS} FROM {table} WHERE {column} = ?",
        (subject.id,),
    ):
        ref = by_id.get(row[0], "") if subject.is_own else str(row[0])
        found.append(
            MentorComment(
                id=int(row[1]),
                uid=row[2],
                subject=subject,
                conversation_ref=ref,
                conversation_number=talks.number(ref),
                step=Step(row[3]) if row[3] else None,
                author=row[4],
                text=row[5],
                created_at=_dt(row[6]) or now(),
                status=CommentStatus(row[7]),
                answer=row[8],
                answered_at=_dt(row[9]),
                resolved_at=_dt(row[10]),
                edited_at=_dt(row[11]),
            )
        )
    found.sort(key=lambda c: (c.conversation_number, _step_order(c.step), c.created_at, c.id))
    return found


def _clean_initials(text: str) -> str:
    initials = " ".join(text.split())
    if not initials or len(initials) > MAX_INITIALS:
        raise MentoringError(
            _("Give the mentor's initials or a pseudonym (at most {n} characters).").format(
                n=MAX_INITIALS
            )
        )
    return initials


def _clean_text(text: str, empty: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise MentoringError(empty)
    if len(cleaned) > MAX_COMMENT:
        raise MentoringError(
            _("The text is too long (at most {n} characters).").format(n=MAX_COMMENT)
        )
    return cleaned


@guarded
def add_comment(
    notebook: Notebook,
    subject: Subject,
    conversation: str,
    step: Step | None,
    author: str,
    text: str,
) -> MentorComment:
    """A mentor's comment on conversation ``conversation`` (its reference) of the
    subject, on one of its steps or (``step=None``) on the whole conversation.

    ``author`` is the mentor's initials or a pseudonym (never a full name required);
    it is remembered for the next comment.
    """
    author = _clean_initials(author)
    text = _clean_text(text, _("Write the comment first."))
    talks = _conversations(notebook, subject)
    if conversation not in talks.refs:
        raise MentoringError(_("That conversation is not part of this case."))
    uid = str(uuid.uuid4())
    with notebook.transaction() as db:
        if subject.is_own:
            db.execute(
                "INSERT INTO mentor_comments (uid, case_id, conversation_id, step, author, "
                "text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    subject.id,
                    talks.ids[conversation],
                    step.value if step else None,
                    author,
                    text,
                    utc_stamp(now()),
                ),
            )
        else:
            db.execute(
                "INSERT INTO review_comments (uid, review_case_id, conversation_ref, step, "
                "author, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (uid, subject.id, conversation, step.value if step else None, author, text,
                 utc_stamp(now())),
            )  # fmt: skip
        notebook.set_meta(INITIALS_META, author)
    return next(c for c in comments(notebook, subject) if c.uid == uid)


def _comment_row(notebook: Notebook, subject: Subject, uid: str) -> tuple[Any, ...]:
    table, _sign_offs, column = _tables(subject)
    rows = notebook.query(
        f"SELECT status, answer, answered_at FROM {table} WHERE uid = ? AND {column} = ?",
        (uid, subject.id),
    )
    if not rows:
        raise KeyError(uid)
    return tuple(rows[0])


@guarded
def answer_comment(notebook: Notebook, subject: Subject, uid: str, answer: str) -> MentorComment:
    """The student's answer to a comment on an own case (an empty answer takes it back);
    an open comment becomes answered."""
    if not subject.is_own:
        raise MentoringError(_("Only the student answers comments, in the student's notebook."))
    status = CommentStatus(_comment_row(notebook, subject, uid)[0])
    text = answer.strip()
    if len(text) > MAX_COMMENT:
        raise MentoringError(
            _("The text is too long (at most {n} characters).").format(n=MAX_COMMENT)
        )
    if status is not CommentStatus.RESOLVED:
        status = CommentStatus.ANSWERED if text else CommentStatus.OPEN
    with notebook.transaction() as db:
        # Stamped also when the answer is taken back, so that the taking back travels to
        # the mentor (the newer change wins when the two copies merge).
        db.execute(
            "UPDATE mentor_comments SET answer = ?, answered_at = ?, status = ? "
            "WHERE uid = ? AND case_id = ?",
            (text, utc_stamp(now()), status.value, uid, subject.id),
        )
    return next(c for c in comments(notebook, subject) if c.uid == uid)


def can_change_comments(notebook: Notebook) -> bool:
    """Whether comments can be edited and deleted in this notebook: in the mentor's (where
    the mentor writes them), never in a student's (the student answers them)."""
    return is_mentor(notebook.role)


def _require_author(notebook: Notebook) -> None:
    if not can_change_comments(notebook):
        raise MentoringError(
            _("Only the mentor who wrote a comment changes or deletes it, in the mentor's "
              "notebook. You can answer it, and change or take back your answer.")
        )  # fmt: skip


@guarded
def edit_comment(notebook: Notebook, subject: Subject, uid: str, text: str) -> MentorComment:
    """The mentor changes the text of a comment (in the mentor's notebook). The change
    travels to the student in the next comments file (the newer text wins there)."""
    _require_author(notebook)
    cleaned = _clean_text(text, _("Write the comment first."))
    _comment_row(notebook, subject, uid)
    table, _sign_offs, column = _tables(subject)
    with notebook.transaction() as db:
        db.execute(
            f"UPDATE {table} SET text = ?, edited_at = ? WHERE uid = ? AND {column} = ?",
            (cleaned, utc_stamp(now()), uid, subject.id),
        )
    return next(c for c in comments(notebook, subject) if c.uid == uid)


@guarded
def delete_comment(notebook: Notebook, subject: Subject, uid: str) -> None:
    """The mentor deletes a comment (in the mentor's notebook), with the student's answer
    to it. Its id is kept, so the next comments file deletes it at the student's too, and
    an older file does not bring it back."""
    _require_author(notebook)
    _comment_row(notebook, subject, uid)
    table, _sign_offs, column = _tables(subject)
    with notebook.transaction() as db:
        db.execute(f"DELETE FROM {table} WHERE uid = ? AND {column} = ?", (uid, subject.id))
        _remember_deleted(db, subject, uid)


def _remember_deleted(db: Any, subject: Subject, uid: str) -> None:
    db.execute(
        "INSERT INTO deleted_comments (uid, subject_kind, subject_id, deleted_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (uid) DO NOTHING",
        (uid, subject.kind.value, subject.id, utc_stamp(now())),
    )


@guarded
def deleted_comments(notebook: Notebook, subject: Subject) -> list[str]:
    """The ids of the comments on the subject deleted in this notebook."""
    return [
        str(row[0])
        for row in notebook.query(
            "SELECT uid FROM deleted_comments WHERE subject_kind = ? AND subject_id = ? "
            "ORDER BY uid",
            (subject.kind.value, subject.id),
        )
    ]


@guarded
def resolve_comment(
    notebook: Notebook, subject: Subject, uid: str, resolved: bool = True
) -> MentorComment:
    """Mark a comment resolved (the mentor is satisfied), or open it again."""
    _status, answer, _answered = _comment_row(notebook, subject, uid)
    table, _sign_offs, column = _tables(subject)
    if resolved:
        status, stamp = CommentStatus.RESOLVED, utc_stamp(now())
    else:
        status, stamp = (CommentStatus.ANSWERED if answer else CommentStatus.OPEN), None
    with notebook.transaction() as db:
        db.execute(
            f"UPDATE {table} SET status = ?, resolved_at = ? WHERE uid = ? AND {column} = ?",
            (status.value, stamp, uid, subject.id),
        )
    return next(c for c in comments(notebook, subject) if c.uid == uid)


@guarded
def remembered_initials(notebook: Notebook) -> str:
    """The initials last given for a comment or a sign-off in this notebook ("" if none)."""
    return notebook.meta(INITIALS_META) or ""


# ---------------------------------------------------------------------------- sign-offs


@guarded
def current_version(notebook: Notebook, subject: Subject) -> str:
    """The version of the subject's case now: an own case's :func:`case_version`, or the
    version a received case came with ("" for one received before versions were kept)."""
    if subject.is_own:
        return case_version(notebook, subject.id)
    rows = notebook.query("SELECT case_version FROM review_cases WHERE id = ?", (subject.id,))
    if not rows:
        raise KeyError(subject.id)
    return str(rows[0][0])


@guarded
def sign_off(notebook: Notebook, subject: Subject, day: date, mentor: str) -> SignOffRecord:
    """Record that ``mentor`` (initials or a pseudonym) signed off the review of a case
    received for review on ``day``, approving the version of the case received. Only the
    mentor signs off, in the mentor's notebook: an own case is refused (its sign-offs come
    with the mentor's comments file, signed by the mentor's key). The same sign-off twice
    is kept once."""
    if subject.is_own or not is_mentor(notebook.role):
        raise MentoringError(
            _("Only the mentor signs a review off, in the mentor's notebook, on the case the "
              "student sent for review. The sign-off comes back with the mentor's comments.")
        )  # fmt: skip
    mentor = _clean_initials(mentor)
    version = current_version(notebook, subject)
    _comments, table, column = _tables(subject)
    with notebook.transaction() as db:
        db.execute(
            f"INSERT INTO {table} ({column}, signed_on, mentor, created_at, case_version) "
            "VALUES (?, ?, ?, ?, ?) "
            f"ON CONFLICT ({column}, signed_on, mentor, case_version) DO NOTHING",
            (subject.id, day.isoformat(), mentor, utc_stamp(now()), version),
        )
        notebook.set_meta(INITIALS_META, mentor)
    return SignOffRecord(day, mentor, version)


@guarded
def sign_offs(notebook: Notebook, subject: Subject) -> list[SignOffRecord]:
    """The sign-offs of the case's review, oldest first, each with the version of the
    case it approved."""
    _comments, table, column = _tables(subject)
    return [
        SignOffRecord(date.fromisoformat(row[0]), row[1], row[2])
        for row in notebook.query(
            f"SELECT signed_on, mentor, case_version FROM {table} WHERE {column} = ? "
            "ORDER BY signed_on, id",
            (subject.id,),
        )
    ]


@dataclass(frozen=True)
class SignOffState:
    """A sign-off as the window shows it: is the case still the version it approved?"""

    record: SignOffRecord
    #: The case changed after the sign-off (a sign-off made before versions were kept,
    #: or of a case whose texts were purged, is never outdated: it cannot be told).
    outdated: bool

    @property
    def day(self) -> date:
        return self.record.day

    @property
    def mentor(self) -> str:
        return self.record.mentor


def _is_outdated(record: SignOffRecord, current: str) -> bool:
    return bool(record.case_version) and bool(current) and record.case_version != current


@guarded
def sign_off_states(notebook: Notebook, subject: Subject) -> list[SignOffState]:
    """The sign-offs of the case's review, oldest first, each marked outdated when the
    case changed after it (an own case edited since; a received case sent again changed)."""
    records = sign_offs(notebook, subject)
    if not records:
        return []
    if subject.is_own and notebook.case(subject.id).purged_at is not None:
        current = ""
    else:
        current = current_version(notebook, subject)
    return [SignOffState(r, _is_outdated(r, current)) for r in records]


# ---------------------------------------------------------------------------- the rubric


@dataclass(frozen=True)
class Rating:
    """The mentor's rating of one step of one conversation in the rubric."""

    subject: Subject
    conversation_ref: str
    #: The conversation's number in the case (1 = the first); 0 if no longer there.
    conversation_number: int
    step: Step
    level: RubricLevel | None
    note: str
    author: str
    rated_at: datetime

    def record(self) -> RubricRecord[str]:
        """The rating as stored; a comments file takes it through the gate."""
        return RubricRecord(
            self.conversation_ref, self.step, self.level, self.note, self.author, self.rated_at
        )


def _rubric_table(subject: Subject) -> tuple[str, str, str]:
    """(table, the column naming the subject, the column naming the conversation)."""
    if subject.is_own:
        return "rubric_ratings", "case_id", "conversation_id"
    return "review_rubric_ratings", "review_case_id", "conversation_ref"


@guarded
def rubric(notebook: Notebook, subject: Subject) -> list[Rating]:
    """The rubric of the subject's case: every rating given (levels taken back are left
    out), by conversation, then step."""
    talks = _conversations(notebook, subject)
    table, column, conversation = _rubric_table(subject)
    by_id = {i: ref for ref, i in talks.ids.items()}
    found = []
    for row in notebook.query(
        f"SELECT {conversation}, step, level, note, author, rated_at FROM {table} "
        f"WHERE {column} = ? AND level IS NOT NULL",
        (subject.id,),
    ):
        ref = by_id.get(row[0], "") if subject.is_own else str(row[0])
        found.append(
            Rating(
                subject=subject,
                conversation_ref=ref,
                conversation_number=talks.number(ref),
                step=Step(row[1]),
                level=RubricLevel(row[2]),
                note=row[3],
                author=row[4],
                rated_at=_dt(row[5]) or now(),
            )
        )
    found.sort(key=lambda r: (r.conversation_number, _step_order(r.step)))
    return found


@guarded
def rate_conversation(
    notebook: Notebook,
    subject: Subject,
    conversation: str,
    author: str,
    ratings: Mapping[Step, tuple[RubricLevel | None, str]],
) -> list[Rating]:
    """The mentor's rubric for conversation ``conversation`` (its reference) of a case
    received for review: for each step given, a level (None takes a rating back) and a
    short note. Stored in one transaction; only in the mentor's notebook. The ratings go
    to the student with the next comments file."""
    if subject.is_own or not is_mentor(notebook.role):
        raise MentoringError(
            _("The mentor fills in the rubric, in the mentor's notebook, on the case the "
              "student sent for review. It comes back with the mentor's comments.")
        )  # fmt: skip
    author = _clean_initials(author)
    if conversation not in _conversations(notebook, subject).refs:
        raise MentoringError(_("That conversation is not part of this case."))
    cleaned: dict[Step, tuple[RubricLevel | None, str]] = {}
    for step, (level, note) in ratings.items():
        text = " ".join(note.split())
        if len(text) > MAX_RUBRIC_NOTE:
            raise MentoringError(
                _("The text is too long (at most {n} characters).").format(n=MAX_RUBRIC_NOTE)
            )
        if level is None and text:
            raise MentoringError(
                _("Choose a level for {step}, or leave its note empty.").format(step=label(step))
            )
        cleaned[step] = (level, text)
    stamp = utc_stamp(now())
    with notebook.transaction() as db:
        for step, (level, text) in cleaned.items():
            known = db.execute(
                "SELECT level, note FROM review_rubric_ratings WHERE review_case_id = ? AND "
                "conversation_ref = ? AND step = ?",
                (subject.id, conversation, step.value),
            ).fetchone()
            value = level.value if level else None
            if known is None and value is None:
                continue
            if known is not None and (known[0], known[1]) == (value, text):
                continue  # unchanged: keeps its date
            db.execute(
                "INSERT INTO review_rubric_ratings (review_case_id, conversation_ref, step, "
                "level, note, author, rated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (review_case_id, conversation_ref, step) DO UPDATE SET "
                "level = excluded.level, note = excluded.note, author = excluded.author, "
                "rated_at = excluded.rated_at",
                (subject.id, conversation, step.value, value, text, author, stamp),
            )
        notebook.set_meta(INITIALS_META, author)
    return [r for r in rubric(notebook, subject) if r.conversation_ref == conversation]


def rubric_records(notebook: Notebook, subject: Subject) -> list[RubricRecord[str]]:
    """Every rating of a received case as it travels, levels taken back included (so the
    taking back reaches the student)."""
    table, column, conversation = _rubric_table(subject)
    return [
        RubricRecord(
            str(row[0]),
            Step(row[1]),
            RubricLevel(row[2]) if row[2] else None,
            row[3],
            row[4],
            _dt(row[5]) or now(),
        )
        for row in notebook.query(
            f"SELECT {conversation}, step, level, note, author, rated_at FROM {table} "
            f"WHERE {column} = ? ORDER BY {conversation}, step",
            (subject.id,),
        )
    ]


def merge_rubric(
    db: Any, subject: Subject, records: Iterable[RubricRecord[CleanText]], ids: dict[str, int]
) -> int:
    """Merge ratings that came in a comments file into an own case (inside the caller's
    transaction): the newer rating of a conversation's step wins. Returns how many
    changed. ``ids`` maps conversation references to conversation ids."""
    changed = 0
    for record in records:
        conversation_id = ids[record.conversation_ref]
        known = db.execute(
            "SELECT rated_at FROM rubric_ratings WHERE conversation_id = ? AND step = ?",
            (conversation_id, record.step.value),
        ).fetchone()
        if known is not None and not _later(record.rated_at, _dt(known[0])):
            continue
        db.execute(
            "INSERT INTO rubric_ratings (case_id, conversation_id, step, level, note, author, "
            "rated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, step) DO "
            "UPDATE SET level = excluded.level, note = excluded.note, author = excluded.author, "
            "rated_at = excluded.rated_at",
            (subject.id, conversation_id, record.step.value,
             record.level.value if record.level else None, record.note, record.author,
             utc_stamp(record.rated_at)),
        )  # fmt: skip
        changed += 1
    return changed


@dataclass(frozen=True)
class RubricRow:
    """One conversation of the student's own cases with the mentor's rubric of it."""

    day: date
    case_id: int
    case_code: str
    conversation_number: int
    ratings: dict[Step, Rating]


@guarded
def rubric_over_time(notebook: Notebook) -> list[RubricRow]:
    """The student's rubric over time: every conversation of the own cases that the
    mentor rated, oldest first, with its ratings by step."""
    rows = notebook.query(
        "SELECT DISTINCT r.case_id, c.code FROM rubric_ratings r JOIN cases c ON c.id = r.case_id "
        "WHERE r.level IS NOT NULL"
    )
    found: list[tuple[datetime, RubricRow]] = []
    for case_id, code in rows:
        subject = Subject.own(int(case_id))
        moments = {
            int(row[0]): datetime.fromisoformat(row[1])
            for row in notebook.query(
                "SELECT id, started_at FROM conversations WHERE case_id = ?", (int(case_id),)
            )
        }
        talks = own_conversations(notebook, int(case_id))
        by_ref: dict[str, dict[Step, Rating]] = {}
        for rating in rubric(notebook, subject):
            by_ref.setdefault(rating.conversation_ref, {})[rating.step] = rating
        for ref, ratings in by_ref.items():
            if ref not in talks.ids:
                continue
            moment = moments[talks.ids[ref]]
            found.append(
                (
                    moment,
                    RubricRow(
                        day=local_day(moment) or moment.date(),
                        case_id=int(case_id),
                        case_code=str(code),
                        conversation_number=talks.number(ref),
                        ratings=ratings,
                    ),
                )
            )
    found.sort(key=lambda item: (item[0], item[1].case_code))
    return [row for _moment, row in found]


# ---------------------------------------------------------------------------- reflections


@dataclass(frozen=True)
class Reflection:
    """One entry of the student's reflection log on a case."""

    id: int
    case_id: int
    day: date
    worked: str
    differently: str
    learn: str
    created_at: datetime
    updated_at: datetime

    def record(self) -> ReflectionRecord[str]:
        return ReflectionRecord(self.day, self.worked, self.differently, self.learn)


_REFLECTION_COLUMNS = "id, case_id, written_on, worked, differently, learn, created_at, updated_at"


def _reflection(row: Sequence[Any]) -> Reflection:
    return Reflection(
        id=int(row[0]),
        case_id=int(row[1]),
        day=date.fromisoformat(row[2]),
        worked=row[3],
        differently=row[4],
        learn=row[5],
        created_at=_dt(row[6]) or now(),
        updated_at=_dt(row[7]) or now(),
    )


def _reflection_texts(worked: str, differently: str, learn: str) -> tuple[str, str, str]:
    texts = (worked.strip(), differently.strip(), learn.strip())
    if not any(texts):
        raise MentoringError(
            _("Write at least one of the three: what worked, what you would do differently, "
              "what you want to learn.")
        )  # fmt: skip
    if any(len(t) > MAX_COMMENT for t in texts):
        raise MentoringError(
            _("The text is too long (at most {n} characters).").format(n=MAX_COMMENT)
        )
    return texts


@guarded
def reflections(notebook: Notebook, case_id: int) -> list[Reflection]:
    """The student's reflections on a case, oldest first."""
    return [
        _reflection(row)
        for row in notebook.query(
            f"SELECT {_REFLECTION_COLUMNS} FROM reflections WHERE case_id = ? "
            "ORDER BY written_on, id",
            (case_id,),
        )
    ]


@guarded
def add_reflection(
    notebook: Notebook,
    case_id: int,
    worked: str = "",
    differently: str = "",
    learn: str = "",
    day: date | None = None,
) -> Reflection:
    """A new entry of the reflection log: what worked, what I would do differently,
    what I want to learn (at least one of them)."""
    texts = _reflection_texts(worked, differently, learn)
    _require_subject(notebook, Subject.own(case_id))
    stamp = utc_stamp(now())
    with notebook.transaction() as db:
        cursor = db.execute(
            "INSERT INTO reflections (case_id, written_on, worked, differently, learn, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (case_id, (day or date.today()).isoformat(), *texts, stamp, stamp),
        )
        row_id = int(cursor.lastrowid)
    return _reflection(
        notebook.query(f"SELECT {_REFLECTION_COLUMNS} FROM reflections WHERE id = ?", (row_id,))[0]
    )


@guarded
def update_reflection(
    notebook: Notebook, reflection_id: int, worked: str, differently: str, learn: str
) -> Reflection:
    """Change the three texts of an entry (its day stays)."""
    texts = _reflection_texts(worked, differently, learn)
    with notebook.transaction() as db:
        cursor = db.execute(
            "UPDATE reflections SET worked = ?, differently = ?, learn = ?, updated_at = ? "
            "WHERE id = ?",
            (*texts, utc_stamp(now()), reflection_id),
        )
        if cursor.rowcount == 0:
            raise KeyError(reflection_id)
    return _reflection(
        notebook.query(
            f"SELECT {_REFLECTION_COLUMNS} FROM reflections WHERE id = ?", (reflection_id,)
        )[0]
    )


@guarded
def delete_reflection(notebook: Notebook, reflection_id: int) -> None:
    with notebook.transaction() as db:
        db.execute("DELETE FROM reflections WHERE id = ?", (reflection_id,))


# ---------------------------------------------------------------------------- to-do, overview


@dataclass(frozen=True)
class CommentTodo:
    """A comment waiting for the student: on which case (its code, for the student)."""

    case_id: int
    case_code: str
    comment: MentorComment


@guarded
def open_comments(notebook: Notebook, *, include_answered: bool = False) -> list[CommentTodo]:
    """The comments on the notebook's own cases that wait for the student (open; with
    ``include_answered`` also those answered but not yet resolved), oldest first."""
    wanted = [CommentStatus.OPEN.value]
    if include_answered:
        wanted.append(CommentStatus.ANSWERED.value)
    marks = ",".join("?" * len(wanted))
    rows = notebook.query(
        "SELECT DISTINCT m.case_id, c.code FROM mentor_comments m JOIN cases c ON c.id = m.case_id "
        f"WHERE m.status IN ({marks})",
        wanted,
    )
    todo = [
        CommentTodo(int(case_id), code, comment)
        for case_id, code in rows
        for comment in comments(notebook, Subject.own(int(case_id)))
        if comment.status.value in wanted
    ]
    todo.sort(key=lambda t: (t.comment.created_at, t.comment.id))
    return todo


@dataclass(frozen=True)
class LearningOverview:
    """A student's learning at a glance."""

    cases: int
    conversations: int
    #: Cases whose review a mentor signed off (a sign-off of the case as it is now).
    cases_reviewed: int
    #: Cases with at least one comment.
    cases_commented: int
    comments_open: int
    comments_answered: int
    comments_resolved: int
    #: How many comments concern each step (None: the conversation as a whole), most
    #: first; every step is listed, also with 0.
    steps: tuple[tuple[Step | None, int], ...]
    #: Themes of the notebook's cases (theme id, cases), most first.
    themes: tuple[tuple[str, int], ...]
    reflections: int
    last_sign_off: date | None
    #: Cases whose every sign-off is outdated (the case changed after it): (case id,
    #: case code, the last sign-off), by code.
    outdated: tuple[tuple[int, str, SignOffRecord], ...] = ()

    @property
    def comments_total(self) -> int:
        return self.comments_open + self.comments_answered + self.comments_resolved


@guarded
def learning_overview(notebook: Notebook) -> LearningOverview:
    """The figures of the learning overview: cases reviewed (signed off), comments open,
    answered and resolved, which steps the feedback concerns, themes met so far."""
    q = notebook.query
    statuses: Counter[str] = Counter(
        {
            row[0]: int(row[1])
            for row in q("SELECT status, count(*) FROM mentor_comments GROUP BY 1")
        }
    )
    per_step: Counter[Step | None] = Counter()
    for step, count in q("SELECT step, count(*) FROM mentor_comments GROUP BY 1"):
        per_step[Step(step) if step else None] += int(count)
    steps: list[tuple[Step | None, int]] = [(s, per_step[s]) for s in Step]
    steps.append((None, per_step[None]))
    steps.sort(key=lambda item: -item[1])  # stable: the steps' own order among equals
    themes: Counter[str] = Counter()
    for (text,) in q("SELECT themes FROM cases"):
        value = json.loads(text)
        if isinstance(value, list):
            themes.update(set(str(v) for v in value))
    last = q("SELECT max(signed_on) FROM case_sign_offs")[0][0]
    reviewed = 0
    outdated: list[tuple[int, str, SignOffRecord]] = []
    for case_id, code in q(
        "SELECT DISTINCT s.case_id, c.code FROM case_sign_offs s JOIN cases c ON c.id = s.case_id "
        "ORDER BY c.code"
    ):
        states = sign_off_states(notebook, Subject.own(int(case_id)))
        if any(not state.outdated for state in states):
            reviewed += 1
        else:
            outdated.append((int(case_id), str(code), states[-1].record))
    return LearningOverview(
        cases=int(q("SELECT count(*) FROM cases")[0][0]),
        conversations=int(q("SELECT count(*) FROM conversations")[0][0]),
        cases_reviewed=reviewed,
        cases_commented=int(q("SELECT count(DISTINCT case_id) FROM mentor_comments")[0][0]),
        comments_open=statuses[CommentStatus.OPEN.value],
        comments_answered=statuses[CommentStatus.ANSWERED.value],
        comments_resolved=statuses[CommentStatus.RESOLVED.value],
        steps=tuple(steps),
        themes=tuple(sorted(themes.items(), key=lambda item: (-item[1], item[0]))),
        reflections=int(q("SELECT count(*) FROM reflections")[0][0]),
        last_sign_off=date.fromisoformat(last) if last else None,
        outdated=tuple(outdated),
    )


# ---------------------------------------------------------------------------- review material


@dataclass(frozen=True)
class ReviewConversation:
    """One conversation as review mode shows it, with its four step notes."""

    ref: str
    number: int
    day: date
    #: The moment it began (own cases only; a received case has days only).
    started_at: datetime | None
    channel: Channel
    duration_minutes: int
    wellbeing: dict[str, WellbeingLevel]
    notes: dict[Step, str]

    def overall_wellbeing(self) -> WellbeingLevel | None:
        return overall_level(self.wellbeing)


@dataclass(frozen=True)
class ReviewMaterial:
    """Everything review mode shows of one case.

    For an own case the texts are the notebook's own (the review happens at the
    student's computer); for a received case they are the de-identified texts that came
    in the file, and there is never a call-back number.
    """

    subject: Subject
    #: The case code (own) or the received case's reference (``R-…``).
    title: str
    case_ref: str
    #: The student notebook's pseudonymous id and the initials the student gave.
    student_id: str
    student: str
    de_identified: bool
    #: The structured fields, alliances, follow-ups and concerns (free texts as above:
    #: ``RawText`` of an own case, as stored of a received one; shown, never written out).
    case: BundleCase[str]
    conversations: tuple[ReviewConversation, ...]
    callback: str | None
    reflections: tuple[ReflectionRecord[str], ...]
    #: When the case was sent for review (received cases).
    sent_at: datetime | None = None

    @property
    def themes(self) -> tuple[str, ...]:
        return self.case.themes

    @property
    def age_band(self) -> AgeBand | None:
        return self.case.age_band

    @property
    def status(self) -> CaseStatus:
        return self.case.status


def own_case_as_bundle(
    notebook: Notebook, case_id: int, today: date | None = None
) -> BundleCase[RawText]:
    """An own case in the shape of a bundle's case, with its texts as they are (not
    de-identified: for review mode at the student's computer). Its texts are
    :data:`~counsellor_app.core.gate.RawText`: nothing that writes a file or a PDF takes
    it (they ask for ``CleanText``, which only the gate makes)."""
    today = today or date.today()
    case = notebook.case(case_id)
    secret = exchange_secret(notebook)
    talks = tuple(
        BundleConversation(
            day=local_day(talk.started_at) or today,
            channel=talk.channel,
            duration_minutes=duration_minutes(talk.duration_seconds),
            wellbeing=dict(talk.wellbeing),
            steps_covered=tuple(talk.steps_covered()),
            summary={step: RawText(talk.notes.get(step, "")) for step in Step},
        )
        for talk in notebook.conversations(case_id)
    )
    alliances = tuple(
        BundleAlliance(
            a.partner,
            a.status,
            a.consent,
            local_day(a.created_at) or today,
            RawText(a.role),
            RawText(a.agreed),
        )
        for a in notebook.alliances(case_id)
    )
    follow_ups = []
    for f in notebook.follow_ups(case_id):
        outcome, done_on = follow_up_outcome(f, today)
        follow_ups.append(
            BundleFollowUp(
                f.due,
                outcome,
                done_on,
                RawText(f.counsellor_task),
                RawText(f.parent_task),
                RawText(f.others_task),
            )
        )
    concerns = tuple(
        BundleConcern(local_day(k.created_at) or today, k.signs, k.decision, RawText(k.reasoning))
        for k in notebook.concerns(case_id)
    )
    return bundle_case(secret, case, talks, alliances, follow_ups, concerns)


def _review_conversations(
    case: BundleCase[str], refs: Sequence[str], moments: Sequence[datetime | None]
) -> tuple[ReviewConversation, ...]:
    return tuple(
        ReviewConversation(
            ref=ref,
            number=number,
            day=talk.day,
            started_at=moment,
            channel=talk.channel,
            duration_minutes=talk.duration_minutes,
            wellbeing=dict(talk.wellbeing),
            notes=dict(talk.summary),
        )
        for number, (talk, ref, moment) in enumerate(
            zip(case.conversations, refs, moments, strict=True), start=1
        )
    )


@guarded
def review_material(notebook: Notebook, subject: Subject) -> ReviewMaterial:
    """What review mode shows of the subject (raises KeyError if it is not there)."""
    if subject.is_own:
        record = notebook.case(subject.id)
        case = own_case_as_bundle(notebook, subject.id)
        talks = own_conversations(notebook, subject.id)
        moments = [c.started_at for c in notebook.conversations(subject.id)]
        return ReviewMaterial(
            subject=subject,
            title=record.code,
            case_ref=case.ref,
            student_id=notebook.meta(COUNSELLOR_META) or "",
            student=notebook.meta(STUDENT_META) or "",
            de_identified=False,
            case=case,
            conversations=_review_conversations(case, talks.refs, moments),
            callback=notebook.callback(subject.id),
            reflections=tuple(r.record() for r in reflections(notebook, subject.id)),
        )
    rows = notebook.query(
        "SELECT student_id, case_ref, student, sent_at, content FROM review_cases WHERE id = ?",
        (subject.id,),
    )
    if not rows:
        raise KeyError(subject.id)
    student_id, reference, student, sent_at, text = rows[0]
    content = json.loads(text)
    received = case_from_dict(content["case"], "case")
    refs = [str(r) for r in content["conversation_refs"]]
    logged = tuple(
        ReflectionRecord(date.fromisoformat(r["day"]), r["worked"], r["differently"], r["learn"])
        for r in content.get("reflections", [])
    )
    if "identifiers_replaced" not in content:
        # Stored by a version before review files were scanned as they arrived: settled
        # now, as they are read, so review mode and the case-study PDF never show them.
        gate = Gate(MAX_TEXT)
        received = map_texts(received, gate.settle)
        logged = tuple(
            r.with_texts(gate.settle(r.worked), gate.settle(r.differently), gate.settle(r.learn))
            for r in logged
        )
    return ReviewMaterial(
        subject=subject,
        title=display_ref(reference),
        case_ref=reference,
        student_id=student_id,
        student=student,
        de_identified=True,
        case=received,
        conversations=_review_conversations(received, refs, [None] * len(refs)),
        callback=None,
        reflections=logged,
        sent_at=_dt(sent_at),
    )


# ---------------------------------------------------------------------------- received cases


@dataclass(frozen=True)
class ReceivedCase:
    """A case a student sent for review, as the mentor's list shows it."""

    id: int
    #: ``R-`` and six letters: how the mentor names it (also on the command line).
    ref: str
    case_ref: str
    student_id: str
    student: str
    sent_at: datetime
    imported_at: datetime
    themes: tuple[str, ...]
    conversations: int
    comments: int
    comments_open: int
    last_sign_off: date | None
    #: The last sign-off approved an earlier version than the one received since.
    sign_off_outdated: bool = False

    @property
    def subject(self) -> Subject:
        return Subject.received(self.id)


@guarded
def received_cases(notebook: Notebook) -> list[ReceivedCase]:
    """The cases received for review, the most recently sent first."""
    found = []
    for row in notebook.query(
        "SELECT r.id, r.case_ref, r.student_id, r.student, r.sent_at, r.imported_at, r.content, "
        "(SELECT count(*) FROM review_comments c WHERE c.review_case_id = r.id), "
        "(SELECT count(*) FROM review_comments c WHERE c.review_case_id = r.id "
        "  AND c.status != 'resolved'), "
        "(SELECT max(signed_on) FROM review_sign_offs s WHERE s.review_case_id = r.id), "
        "r.case_version, "
        "(SELECT s.case_version FROM review_sign_offs s WHERE s.review_case_id = r.id "
        "  ORDER BY s.signed_on DESC, s.id DESC LIMIT 1) "
        "FROM review_cases r ORDER BY r.sent_at DESC, r.id DESC"
    ):
        content = json.loads(row[6])
        last_version = SignOffRecord(date.min, "", row[11] or "")
        found.append(
            ReceivedCase(
                id=int(row[0]),
                ref=display_ref(row[1]),
                case_ref=row[1],
                student_id=row[2],
                student=row[3],
                sent_at=_dt(row[4]) or now(),
                imported_at=_dt(row[5]) or now(),
                themes=tuple(str(t) for t in content["case"]["themes"]),
                conversations=len(content["conversation_refs"]),
                comments=int(row[7]),
                comments_open=int(row[8]),
                last_sign_off=date.fromisoformat(row[9]) if row[9] else None,
                sign_off_outdated=row[9] is not None and _is_outdated(last_version, row[10]),
            )
        )
    return found


@guarded
def find_received(notebook: Notebook, reference: str) -> int:
    """The row id of the received case named by ``reference`` (``R-K7QF2M``, any case,
    with or without ``R-``; at least four of its letters). Raises MentoringError."""
    text = "".join(ch for ch in reference.strip().lower() if ch.isalnum())
    if reference.strip().lower().startswith("r-"):
        text = text[1:]
    if len(text) < 4:
        raise MentoringError(
            _("Give at least four letters of the review reference (such as R-K7QF2M).")
        )
    rows = notebook.query(
        "SELECT id FROM review_cases WHERE case_ref GLOB ?", (text.replace("*", "") + "*",)
    )
    if not rows:
        raise MentoringError(
            _("No case received for review has the reference {ref}.").format(ref=reference)
        )
    if len(rows) > 1:
        raise MentoringError(
            _("More than one case received for review begins with {ref}; give more of it.").format(
                ref=reference
            )
        )
    return int(rows[0][0])


@guarded
def delete_received_case(notebook: Notebook, review_case_id: int) -> None:
    """Remove a received case, its comments and sign-offs from the mentor's notebook
    (when the review is over)."""
    with notebook.transaction() as db:
        db.execute("DELETE FROM review_cases WHERE id = ?", (review_case_id,))


# ---------------------------------------------------------------------------- merging


def _later(a: datetime | None, b: datetime | None) -> bool:
    """``a`` is set and after ``b`` (or ``b`` is not set)."""
    return a is not None and (b is None or a > b)


def merge_comments(
    db: Any,
    subject: Subject,
    records: Iterable[CommentRecord[CleanText]],
    ids: dict[str, int],
    *,
    take_edits: bool = False,
) -> tuple[int, int]:
    """Merge comments that came in a review file into the subject's (inside the caller's
    transaction); returns (added, updated).

    A comment is known by its uid; one deleted here (its id kept) is not added again. A
    new one is added as it came. A known one takes the newer answer (by when the answer
    last changed, a taken-back answer too), the furthest resolution, and, with
    ``take_edits`` (a comments file from the mentor, who alone edits), the newer text (by
    when it was edited). So merging is idempotent and the order of files does not matter.
    ``ids`` maps conversation references to conversation ids (own cases). A uid that
    belongs to another case makes the whole file invalid (raises ValueError).
    """
    table, _sign_offs, column = _tables(subject)
    added = updated = 0
    for record in records:
        if db.execute("SELECT 1 FROM deleted_comments WHERE uid = ?", (record.uid,)).fetchone():
            continue
        row = db.execute(
            f"SELECT {column}, status, answer, answered_at, resolved_at, text, edited_at "
            f"FROM {table} WHERE uid = ?",
            (record.uid,),
        ).fetchone()
        if row is None:
            conversation: int | str = (
                ids[record.conversation_ref] if subject.is_own else record.conversation_ref
            )
            conversation_column = "conversation_id" if subject.is_own else "conversation_ref"
            db.execute(
                f"INSERT INTO {table} (uid, {column}, {conversation_column}, step, author, text, "
                "created_at, status, answer, answered_at, resolved_at, edited_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.uid,
                    subject.id,
                    conversation,
                    record.step.value if record.step else None,
                    record.author,
                    record.text,
                    utc_stamp(record.created_at),
                    record.status.value,
                    record.answer,
                    utc_stamp(record.answered_at),
                    utc_stamp(record.resolved_at),
                    utc_stamp(record.edited_at),
                ),
            )
            added += 1
            continue
        if int(row[0]) != subject.id:
            raise ValueError(record.uid)
        status = CommentStatus(row[1])
        answer, answered_at, resolved_at = row[2], _dt(row[3]), _dt(row[4])
        text, edited_at = row[5], _dt(row[6])
        new_answer, new_answered = answer, answered_at
        if _later(record.answered_at, answered_at):
            new_answer, new_answered = record.answer, record.answered_at
        new_text, new_edited = text, edited_at
        if take_edits and _later(record.edited_at, edited_at):
            new_text, new_edited = record.text, record.edited_at
        if CommentStatus.RESOLVED in (status, record.status):
            new_status = CommentStatus.RESOLVED
        else:
            new_status = CommentStatus.ANSWERED if new_answer else CommentStatus.OPEN
        new_resolved = min(
            (m for m in (resolved_at, record.resolved_at) if m is not None), default=None
        )
        if new_status is not CommentStatus.RESOLVED:
            new_resolved = None
        if (new_answer, new_answered, new_status, new_resolved, new_text, new_edited) != (
            answer,
            answered_at,
            status,
            resolved_at,
            text,
            edited_at,
        ):
            db.execute(
                f"UPDATE {table} SET answer = ?, answered_at = ?, status = ?, resolved_at = ?, "
                "text = ?, edited_at = ? WHERE uid = ?",
                (
                    new_answer,
                    utc_stamp(new_answered),
                    new_status.value,
                    utc_stamp(new_resolved),
                    new_text,
                    utc_stamp(new_edited),
                    record.uid,
                ),
            )
            updated += 1
    return added, updated


def merge_deletions(db: Any, subject: Subject, uids: Iterable[str]) -> int:
    """Delete the subject's comments the mentor deleted (inside the caller's
    transaction), and keep their ids so an older file does not bring them back. Returns
    how many were deleted here."""
    table, _sign_offs, column = _tables(subject)
    deleted = 0
    for uid in uids:
        cursor = db.execute(
            f"DELETE FROM {table} WHERE uid = ? AND {column} = ?", (uid, subject.id)
        )
        deleted += cursor.rowcount
        _remember_deleted(db, subject, uid)
    return deleted


def merge_sign_offs(db: Any, subject: Subject, records: Iterable[SignOffRecord]) -> int:
    """Add the sign-offs not yet known (inside the caller's transaction); returns how many."""
    _comments, table, column = _tables(subject)
    added = 0
    for record in records:
        cursor = db.execute(
            f"INSERT INTO {table} ({column}, signed_on, mentor, created_at, case_version) "
            "VALUES (?, ?, ?, ?, ?) "
            f"ON CONFLICT ({column}, signed_on, mentor, case_version) DO NOTHING",
            (subject.id, record.day.isoformat(), record.mentor, utc_stamp(now()),
             record.case_version),
        )  # fmt: skip
        added += cursor.rowcount
    return added
