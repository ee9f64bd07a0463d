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
import hashlib
import hmac
import json
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
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
    BundleAlliance,
    BundleCase,
    BundleConcern,
    BundleConversation,
    BundleFollowUp,
    case_from_dict,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.mentoring.format import (
    MAX_COMMENT,
    MAX_INITIALS,
    CommentRecord,
    CommentStatus,
    ReflectionRecord,
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

    def record(self) -> CommentRecord:
        """The comment as it travels in a review file."""
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
        )


def utc_stamp(moment: datetime | None) -> str | None:
    """``moment`` as stored: ISO 8601 in UTC, to the second (None stays None)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat() if moment else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_COMMENT_COLUMNS = (
    "id, uid, step, author, text, created_at, status, answer, answered_at, resolved_at"
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
        db.execute(
            "UPDATE mentor_comments SET answer = ?, answered_at = ?, status = ? "
            "WHERE uid = ? AND case_id = ?",
            (text, utc_stamp(now()) if text else None, status.value, uid, subject.id),
        )
    return next(c for c in comments(notebook, subject) if c.uid == uid)


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
def sign_off(notebook: Notebook, subject: Subject, day: date, mentor: str) -> SignOffRecord:
    """Record that ``mentor`` (initials or a pseudonym) signed off the review of the case
    on ``day``. The same sign-off twice is kept once."""
    mentor = _clean_initials(mentor)
    _require_subject(notebook, subject)
    _comments, table, column = _tables(subject)
    with notebook.transaction() as db:
        db.execute(
            f"INSERT INTO {table} ({column}, signed_on, mentor, created_at) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT ({column}, signed_on, mentor) DO NOTHING",
            (subject.id, day.isoformat(), mentor, utc_stamp(now())),
        )
        notebook.set_meta(INITIALS_META, mentor)
    return SignOffRecord(day, mentor)


@guarded
def sign_offs(notebook: Notebook, subject: Subject) -> list[SignOffRecord]:
    """The sign-offs of the case's review, oldest first."""
    _comments, table, column = _tables(subject)
    return [
        SignOffRecord(date.fromisoformat(row[0]), row[1])
        for row in notebook.query(
            f"SELECT signed_on, mentor FROM {table} WHERE {column} = ? ORDER BY signed_on, id",
            (subject.id,),
        )
    ]


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

    def record(self) -> ReflectionRecord:
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
    #: Cases whose review a mentor signed off.
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
    return LearningOverview(
        cases=int(q("SELECT count(*) FROM cases")[0][0]),
        conversations=int(q("SELECT count(*) FROM conversations")[0][0]),
        cases_reviewed=int(q("SELECT count(DISTINCT case_id) FROM case_sign_offs")[0][0]),
        cases_commented=int(q("SELECT count(DISTINCT case_id) FROM mentor_comments")[0][0]),
        comments_open=statuses[CommentStatus.OPEN.value],
        comments_answered=statuses[CommentStatus.ANSWERED.value],
        comments_resolved=statuses[CommentStatus.RESOLVED.value],
        steps=tuple(steps),
        themes=tuple(sorted(themes.items(), key=lambda item: (-item[1], item[0]))),
        reflections=int(q("SELECT count(*) FROM reflections")[0][0]),
        last_sign_off=date.fromisoformat(last) if last else None,
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
    #: The structured fields, alliances, follow-ups and concerns (free texts as above).
    case: BundleCase
    conversations: tuple[ReviewConversation, ...]
    callback: str | None
    reflections: tuple[ReflectionRecord, ...]
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


def own_case_as_bundle(notebook: Notebook, case_id: int, today: date | None = None) -> BundleCase:
    """An own case in the shape of a bundle's case, with its texts as they are (not
    de-identified: for review mode at the student's computer)."""
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
            summary={step: talk.notes.get(step, "") for step in Step},
        )
        for talk in notebook.conversations(case_id)
    )
    alliances = tuple(
        BundleAlliance(
            a.partner, a.status, a.consent, local_day(a.created_at) or today, a.role, a.agreed
        )
        for a in notebook.alliances(case_id)
    )
    follow_ups = []
    for f in notebook.follow_ups(case_id):
        outcome, done_on = follow_up_outcome(f, today)
        follow_ups.append(
            BundleFollowUp(f.due, outcome, done_on, f.counsellor_task, f.parent_task, f.others_task)
        )
    concerns = tuple(
        BundleConcern(local_day(k.created_at) or today, k.signs, k.decision, k.reasoning)
        for k in notebook.concerns(case_id)
    )
    return bundle_case(secret, case, talks, alliances, follow_ups, concerns)


def _review_conversations(
    case: BundleCase, refs: Sequence[str], moments: Sequence[datetime | None]
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
    case = case_from_dict(content["case"], "case")
    refs = [str(r) for r in content["conversation_refs"]]
    return ReviewMaterial(
        subject=subject,
        title=display_ref(reference),
        case_ref=reference,
        student_id=student_id,
        student=student,
        de_identified=True,
        case=case,
        conversations=_review_conversations(case, refs, [None] * len(refs)),
        callback=None,
        reflections=tuple(
            ReflectionRecord(
                date.fromisoformat(r["day"]), r["worked"], r["differently"], r["learn"]
            )
            for r in content.get("reflections", [])
        ),
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
        "(SELECT max(signed_on) FROM review_sign_offs s WHERE s.review_case_id = r.id) "
        "FROM review_cases r ORDER BY r.sent_at DESC, r.id DESC"
    ):
        content = json.loads(row[6])
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
    db: Any, subject: Subject, records: Iterable[CommentRecord], ids: dict[str, int]
) -> tuple[int, int]:
    """Merge comments that came in a review file into the subject's (inside the caller's
    transaction); returns (added, updated).

    A comment is known by its uid. A new one is added as it came. A known one keeps its
    text; it takes the newer answer (by when it was answered), the furthest status (open,
    answered, resolved) and the first resolution. So merging is idempotent and the order
    of files does not matter. ``ids`` maps conversation references to conversation ids
    (own cases). A uid that belongs to another case makes the whole file invalid
    (raises ValueError).
    """
    table, _sign_offs, column = _tables(subject)
    added = updated = 0
    for record in records:
        row = db.execute(
            f"SELECT {column}, status, answer, answered_at, resolved_at FROM {table} WHERE uid = ?",
            (record.uid,),
        ).fetchone()
        if row is None:
            conversation: int | str = (
                ids[record.conversation_ref] if subject.is_own else record.conversation_ref
            )
            conversation_column = "conversation_id" if subject.is_own else "conversation_ref"
            db.execute(
                f"INSERT INTO {table} (uid, {column}, {conversation_column}, step, author, text, "
                "created_at, status, answer, answered_at, resolved_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )
            added += 1
            continue
        if int(row[0]) != subject.id:
            raise ValueError(record.uid)
        status = CommentStatus(row[1])
        answer, answered_at, resolved_at = row[2], _dt(row[3]), _dt(row[4])
        new_answer, new_answered = answer, answered_at
        if _later(record.answered_at, answered_at):
            new_answer, new_answered = record.answer, record.answered_at
        new_status = max(status, record.status, key=lambda s: s.rank)
        new_resolved = min(
            (m for m in (resolved_at, record.resolved_at) if m is not None), default=None
        )
        if new_status is not CommentStatus.RESOLVED:
            new_resolved = None
        if (new_answer, new_answered, new_status, new_resolved) != (
            answer,
            answered_at,
            status,
            resolved_at,
        ):
            db.execute(
                f"UPDATE {table} SET answer = ?, answered_at = ?, status = ?, resolved_at = ? "
                "WHERE uid = ?",
                (
                    new_answer,
                    utc_stamp(new_answered),
                    new_status.value,
                    utc_stamp(new_resolved),
                    record.uid,
                ),
            )
            updated += 1
    return added, updated


def merge_sign_offs(db: Any, subject: Subject, records: Iterable[SignOffRecord]) -> int:
    """Add the sign-offs not yet known (inside the caller's transaction); returns how many."""
    _comments, table, column = _tables(subject)
    added = 0
    for record in records:
        cursor = db.execute(
            f"INSERT INTO {table} ({column}, signed_on, mentor, created_at) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT ({column}, signed_on, mentor) DO NOTHING",
            (subject.id, record.day.isoformat(), record.mentor, utc_stamp(now())),
        )
        added += cursor.rowcount
    return added
