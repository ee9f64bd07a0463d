"""Review files away from the student's computer: a case for review to the mentor, the
mentor's comments back to the student, both encrypted with age.

The student::

    preview_case_for_review(notebook, case_id) -> ReviewPreview   # what would leave
    export_case_for_review(notebook, case_id, mentor_key, out) -> ReviewExportResult

The mentor (any notebook but a student's, see :func:`~.records.is_mentor`)::

    import_review_files(notebook, paths) -> ReviewImportReport      # either kind
    export_comments(notebook, review_case_id, out, recipient=None) -> CommentsExportResult

and the student imports the comments with the same :func:`import_review_files`.

What leaves the student's computer is built by the code that builds summary bundles
(:mod:`counsellor_app.core.exchange.export`): the structured fields, days (never times),
and every free text through the anonymity guard; the export is refused while any text
still holds something that looks like an identifier, and never carries the case code or
a call-back number. The student's notebook makes its own key pair on the first export:
its public key travels in the file, so the mentor's comments can only be read there.

Importing changes nothing unless the whole file is good: a file that is not a review
file, altered, made for another key, too new, malformed, or about a case this notebook
does not have, is refused with a sentence naming the file and the reason. The same file
(or the same comments) again adds nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pyrage import x25519

from counsellor_app import __version__
from counsellor_app.core.anonymity import IdentifierKind
from counsellor_app.core.domain import Case
from counsellor_app.core.exchange.common import (
    FileReport,
    ImportStatus,
    KeyHolder,
    read_limited,
    read_public_key,
)
from counsellor_app.core.exchange.crypto import (
    decrypt,
    encrypt,
    ensure_key_pair,
    public_key,
)
from counsellor_app.core.exchange.errors import (
    BundleAltered,
    BundleError,
    BundleInvalid,
    BundleNotTrusted,
    BundleTooNew,
    BundleWrongKey,
    ExchangeError,
    NoKeyPair,
    NotABundle,
)
from counsellor_app.core.exchange.export import (
    COUNSELLOR_META,
    PreviewBuilder,
    PreviewText,
    Recipient,
    case_ref,
    case_secret,
    counsellor_id,
    export_case,
    field_label,
    local_day,
    refusal,
)
from counsellor_app.core.exchange.format import (
    MAX_TEXT,
    FormatProblem,
    NotBundleJson,
    TooNew,
    TooOld,
    map_texts,
)
from counsellor_app.core.exchange.signing import (
    BadSignature,
    NotSigned,
    Signed,
    decode_key,
    encode_key,
    fingerprint,
    sign,
    signing_key,
    verify,
)
from counsellor_app.core.gate import CleanText, Gate, Place
from counsellor_app.core.i18n import _
from counsellor_app.core.kept_words import kept_words
from counsellor_app.core.mentoring.format import (
    REVIEW_FORMAT_VERSION,
    CaseForReview,
    CommentRecord,
    ReflectionRecord,
    ReviewComments,
    RubricRecord,
    SignOffRecord,
    comments_to_dict,
    from_json,
    review_to_dict,
    to_json,
)
from counsellor_app.core.mentoring.records import (
    STUDENT_META,
    MentoringError,
    Subject,
    case_version,
    comments,
    deleted_comments,
    display_ref,
    exchange_secret,
    is_mentor,
    merge_comments,
    merge_deletions,
    merge_rubric,
    merge_sign_offs,
    own_conversations,
    reflections,
    rubric_records,
    sign_offs,
    utc_stamp,
)
from counsellor_app.core.mentoring.sentences import (
    comments_changed_text,
    comments_received_text,
    conversations_text,
)
from counsellor_app.core.safefile import atomic_write_bytes
from counsellor_app.core.store import Notebook, guarded, now
from counsellor_app.core.supervision import replaced_on_import
from counsellor_app.core.taxonomy import taxonomy

#: Larger files are refused before they are read (one case is far below a megabyte).
MAX_REVIEW_FILE_BYTES = 64 * 1024 * 1024

Progress = Callable[[int, int], None]

SEQUENCE_META = "mentoring_sequence"
#: The mentor's public key last exported to (public, not a secret): offered next time.
MENTOR_KEY_META = "mentoring_mentor_key"
#: The signing key pinned for a student (by student id), on the mentor's side, at the
#: first case that student sent; and for a case's comments (by case reference), on the
#: student's side, at the first comments file on it.
STUDENT_PIN_META = "mentoring_student_key:"
MENTOR_PIN_META = "mentoring_mentor_signing_key:"


class ReviewFileForeign(BundleError):
    """The file is a good review file, but not for this notebook: comments on a case it
    does not have, or a case for review given to a student's notebook."""


class SenderKeyChanged(BundleNotTrusted):
    """The file is signed with another key than the one pinned for its sender (reason
    ``key_mismatch``): ``pinned`` is the fingerprint of the key pinned, ``fingerprint``
    the one the file is signed with. Imported only when the user accepts the new key
    (``accept_keys``), the explicit act of a key change."""

    def __init__(self, path: Path, sentence: str, pinned: str, new: str) -> None:
        super().__init__(path, "key_mismatch", sentence, "", new)
        self.pinned = pinned


# ---------------------------------------------------------------------------- the student


@dataclass(frozen=True)
class ReviewPreview:
    """A case for review, built but not yet encrypted or written."""

    case_id: int
    #: The case's own code, for the student (it never leaves).
    case_code: str
    #: The reference the mentor will see (``R-…``).
    review_ref: str
    #: Every free text that would leave, de-identified, with its replacements.
    texts: tuple[PreviewText, ...]
    #: Texts that still hold an identifier after de-identification: export refused.
    blocking: tuple[PreviewText, ...]
    replacements: dict[IdentifierKind, int]
    document: CaseForReview[CleanText]

    @property
    def conversation_count(self) -> int:
        return len(self.document.conversation_refs)

    @property
    def comment_count(self) -> int:
        return len(self.document.comments)

    @property
    def reflection_count(self) -> int:
        return len(self.document.reflections)


@dataclass(frozen=True)
class ReviewExportResult:
    path: Path
    review_ref: str
    conversation_count: int
    comment_count: int
    reflection_count: int
    replacements: dict[IdentifierKind, int]
    size: int


def _recipient(recipient: Recipient, holder: KeyHolder) -> x25519.Recipient:
    """The key to encrypt to; a wrong one is refused with a sentence naming ``holder``
    (the mentor for a case for review, the student for comments)."""
    return read_public_key(recipient, holder)


def _field_title(field_name: str) -> str:
    titles = {
        "comment": _("a mentor's comment"),
        "comment_answer": _("your answer to a comment"),
        "rubric_note": _("a note in the mentor's rubric"),
        "reflection_worked": _("a reflection (what worked)"),
        "reflection_differently": _("a reflection (what you would do differently)"),
        "reflection_learn": _("a reflection (what you want to learn)"),
    }
    return titles[field_name] if field_name in titles else field_label(field_name)


@guarded
def preview_case_for_review(
    notebook: Notebook,
    case_id: int,
    *,
    student: str | None = None,
    include_reflections: bool = True,
    today: date | None = None,
) -> ReviewPreview:
    """Build the case for review of case ``case_id`` without writing anything that
    leaves: every conversation with its four step notes, the alliances, follow-ups and
    concerns, the comments so far with their answers and (``include_reflections``) the
    reflection log, every text through the anonymity guard.

    ``student``: the student's initials or pseudonym for the mentor (remembered; None
    uses the remembered ones). Makes the notebook's key pair, pseudonymous id and case
    secret on first use.
    """
    today = today or date.today()
    case = notebook.case(case_id)
    if student is None:
        student = notebook.meta(STUDENT_META) or ""
    student = " ".join(student.split())[:24]
    reply_key = ensure_key_pair(notebook)
    signing_key(notebook)  # made now, so that the export itself writes only its counter
    ident = counsellor_id(notebook)
    secret = case_secret(notebook)
    builder = PreviewBuilder(notebook, secret, show_ref=display_ref)
    bundle_case = export_case(notebook, builder, secret, case, today)
    talks = own_conversations(notebook, case_id)
    records: list[CommentRecord[CleanText]] = []
    for comment in comments(notebook, Subject.own(case_id)):
        conversation_id = talks.ids.get(comment.conversation_ref)
        day = local_day(comment.created_at)
        records.append(
            CommentRecord(
                uid=comment.uid,
                conversation_ref=comment.conversation_ref if conversation_id else "",
                step=comment.step,
                author=comment.author,
                text=builder.clean(
                    comment.text, case, "comment", conversation_id=conversation_id, day=day
                ),
                created_at=comment.created_at,
                status=comment.status,
                answer=builder.clean(
                    comment.answer,
                    case,
                    "comment_answer",
                    conversation_id=conversation_id,
                    day=day,
                ),
                answered_at=comment.answered_at,
                resolved_at=comment.resolved_at,
            )
        )
    notes: list[ReflectionRecord[CleanText]] = []
    if include_reflections:
        for entry in reflections(notebook, case_id):
            notes.append(
                ReflectionRecord(
                    day=entry.day,
                    worked=builder.clean(
                        entry.worked, case, "reflection_worked", row_id=entry.id, day=entry.day
                    ),
                    differently=builder.clean(
                        entry.differently,
                        case,
                        "reflection_differently",
                        row_id=entry.id,
                        day=entry.day,
                    ),
                    learn=builder.clean(
                        entry.learn, case, "reflection_learn", row_id=entry.id, day=entry.day
                    ),
                )
            )
    sequence = int(notebook.meta(SEQUENCE_META) or 0) + 1
    document = CaseForReview(
        review_id=str(uuid.uuid4()),
        app_version=__version__,
        taxonomy_version=taxonomy().version,
        student_id=ident,
        student=student,
        reply_key=reply_key,
        recipient="",  # the mentor's key, set by the export
        case_version=case_version(notebook, case_id),
        sent_at=now(),
        sequence=sequence,
        case=bundle_case,
        conversation_refs=talks.refs,
        comments=tuple(r for r in records if r.conversation_ref),
        reflections=tuple(notes),
        replacements=dict(builder.counts),
    )
    return ReviewPreview(
        case_id=case_id,
        case_code=case.code,
        review_ref=display_ref(bundle_case.ref),
        texts=tuple(builder.texts),
        blocking=tuple(builder.blocking),
        replacements=dict(builder.counts),
        document=document,
    )


@guarded
def export_case_for_review(
    notebook: Notebook,
    case_id: int,
    recipient: Recipient,
    out_path: Path,
    *,
    student: str | None = None,
    include_reflections: bool = True,
    preview: ReviewPreview | None = None,
) -> ReviewExportResult:
    """Encrypt the case for review to the mentor's public key (``recipient``: the key, a
    ``.pub`` file's text or its path) and write it to ``out_path`` atomically.

    Sends exactly ``preview`` when given (what the student looked at). Refuses
    (:class:`~counsellor_app.core.gate.IdentifierLeaves`) while a text still holds an
    identifier, and the notebook's own key (the mentor's key is wanted).
    """
    target = _recipient(recipient, KeyHolder.MENTOR)
    own = public_key(notebook)
    if own is not None and str(target) == own:
        raise ExchangeError(
            _(
                "That is this notebook's own public key. Export the case to your mentor's "
                "public key (ask your mentor for it)."
            )
        )
    if preview is None or preview.case_id != case_id:
        preview = preview_case_for_review(
            notebook, case_id, student=student, include_reflections=include_reflections
        )
    if preview.blocking:
        raise refusal(preview.blocking[0], _field_title)
    # The mentor's key inside the signed content: the file cannot be passed on.
    document = dataclasses.replace(preview.document, recipient=str(target))
    plaintext = to_json(review_to_dict(document))
    from_json(plaintext)  # never write a file this very version could not read back
    ciphertext = encrypt(sign(notebook, plaintext), target)
    out_path = Path(out_path)
    atomic_write_bytes(out_path, ciphertext)
    with notebook.transaction():
        current = int(notebook.meta(SEQUENCE_META) or 0)
        notebook.set_meta(SEQUENCE_META, str(max(current, preview.document.sequence)))
        notebook.set_meta(MENTOR_KEY_META, str(target))
        if preview.document.student:
            notebook.set_meta(STUDENT_META, preview.document.student)
    return ReviewExportResult(
        path=out_path,
        review_ref=preview.review_ref,
        conversation_count=preview.conversation_count,
        comment_count=preview.comment_count,
        reflection_count=preview.reflection_count,
        replacements=dict(preview.replacements),
        size=len(ciphertext),
    )


@guarded
def remembered_mentor_key(notebook: Notebook) -> str:
    """The mentor's public key the last case for review went to ("" if none yet)."""
    return notebook.meta(MENTOR_KEY_META) or ""


# ---------------------------------------------------------------------------- the mentor


@dataclass(frozen=True)
class CommentsExportResult:
    path: Path
    review_ref: str
    comment_count: int
    sign_off_count: int
    #: The public key the file was encrypted to (the student's).
    recipient: str
    size: int
    rubric_count: int = 0
    deleted_count: int = 0


@guarded
def export_comments(
    notebook: Notebook,
    review_case_id: int,
    out_path: Path,
    recipient: Recipient | None = None,
) -> CommentsExportResult:
    """Write the comments and sign-offs on a received case, encrypted to the student's
    public key, for the student to import.

    ``recipient`` defaults to the key the student's case for review carried (the
    student's own notebook); give one only to override it.
    """
    rows = notebook.query(
        "SELECT student_id, case_ref, review_id, reply_key FROM review_cases WHERE id = ?",
        (review_case_id,),
    )
    if not rows:
        raise MentoringError(_("That case received for review is not in this notebook."))
    student_id, reference, review_id, reply_key = rows[0]
    target = _recipient(recipient if recipient is not None else reply_key, KeyHolder.STUDENT)
    subject = Subject.received(review_case_id)
    shown = display_ref(reference)
    # The mentor's comments leave through the gate like every text (the mentor can
    # edit a comment that is refused); the student's answers went through it already.
    # The words the mentor's notebook keeps as "not an identifier" leave as written.
    gate = Gate(MAX_TEXT, kept=kept_words(notebook))
    records: list[CommentRecord[CleanText]] = []
    for comment in comments(notebook, subject):
        record = comment.record()
        place = Place(shown, "comment")
        records.append(
            record.with_texts(
                gate.clean(record.text, place, _field_title("comment")),
                gate.clean(
                    record.answer, Place(shown, "comment_answer"), _field_title("comment_answer")
                ),
            )
        )
    ratings: list[RubricRecord[CleanText]] = [
        rating.with_note(
            gate.clean(rating.note, Place(shown, "rubric_note"), _field_title("rubric_note"))
        )
        for rating in rubric_records(notebook, subject)
    ]
    document = ReviewComments(
        comments_id=str(uuid.uuid4()),
        app_version=__version__,
        student_id=student_id,
        case_ref=reference,
        review_id=review_id,
        recipient=str(target),
        sent_at=now(),
        comments=tuple(records),
        sign_offs=tuple(sign_offs(notebook, subject)),
        rubric=tuple(ratings),
        deleted=tuple(deleted_comments(notebook, subject)),
    )
    plaintext = to_json(comments_to_dict(document))
    from_json(plaintext)
    ciphertext = encrypt(sign(notebook, plaintext), target)
    out_path = Path(out_path)
    atomic_write_bytes(out_path, ciphertext)
    return CommentsExportResult(
        path=out_path,
        review_ref=shown,
        comment_count=len(document.comments),
        sign_off_count=len(document.sign_offs),
        recipient=str(target),
        size=len(ciphertext),
        rubric_count=sum(1 for r in document.rubric if r.level is not None),
        deleted_count=len(document.deleted),
    )


# ---------------------------------------------------------------------------- import


ReviewImportStatus = ImportStatus


class ReviewFileKind:
    CASE = "case"
    COMMENTS = "comments"


@dataclass(frozen=True)
class ReviewFileImport:
    """What happened to one file."""

    path: Path
    status: str
    #: :attr:`ReviewFileKind.CASE` or ``COMMENTS`` (None when refused before it was read).
    kind: str | None = None
    #: The case it was about, in this notebook.
    subject: Subject | None = None
    #: The case code (comments, at the student) or the reference (``R-…``, at the mentor).
    title: str = ""
    #: For a case: "added", "updated", or "kept" (a newer one was already here).
    content: str = ""
    conversations: int = 0
    comments_added: int = 0
    comments_updated: int = 0
    sign_offs_added: int = 0
    #: Comments the mentor deleted, deleted here too; rubric ratings new or changed.
    comments_deleted: int = 0
    rubric_changed: int = 0
    error: BundleError | None = field(default=None)
    #: Identifiers the gate found and replaced in the file's texts before storing them.
    identifiers_replaced: int = 0

    def sentence(self) -> str:
        """What happened to the file, in one sentence (the window and the CLI show it)."""
        said = self._sentence()
        if self.identifiers_replaced:
            said += " " + replaced_on_import(self.identifiers_replaced)
        return said

    def _sentence(self) -> str:
        name = self.path.name
        if self.status == ImportStatus.REFUSED:
            return str(self.error)
        if self.status == ImportStatus.ALREADY_IMPORTED:
            return _("{name}: already imported; nothing was added.").format(name=name)
        if self.kind == ReviewFileKind.CASE:
            if self.content == "kept":
                return _(
                    "{name}: an older copy of {ref}; the newer one already here is kept."
                ).format(name=name, ref=self.title)
            sentence = (
                _("{name}: case for review {ref} updated ({conversations}).")
                if self.content == "updated"
                else _("{name}: case for review {ref} imported ({conversations}).")
            )
            return sentence.format(
                name=name, ref=self.title, conversations=conversations_text(self.conversations)
            )
        received = comments_received_text(
            self.comments_added, self.comments_updated, self.sign_offs_added
        )
        if self.comments_deleted or self.rubric_changed:
            received += "; " + comments_changed_text(self.comments_deleted, self.rubric_changed)
        return _("{name}: comments on case {code}: {received}.").format(
            name=name, code=self.title, received=received
        )


@dataclass(frozen=True)
class ReviewImportReport(FileReport[ReviewFileImport]):
    pass


def _read(path: Path) -> bytes:
    too_large = _("{name} is far too large to be a review file. It was not imported.")
    return read_limited(path, MAX_REVIEW_FILE_BYTES, too_large.format(name=path.name))


def _decrypt(notebook: Notebook, data: bytes, path: Path) -> bytes:
    """Decrypt with the notebook's key, with sentences about review files."""
    name = path.name
    try:
        return decrypt(notebook, data, path)
    except BundleWrongKey:
        raise BundleWrongKey(
            path,
            "wrong_key",
            _(
                "{name} was not made for this notebook's key (or its beginning was changed). "
                "It was not imported; ask for it to be made again with this notebook's "
                "public key."
            ).format(name=name),
        ) from None
    except BundleAltered:
        raise BundleAltered(
            path,
            "altered",
            _(
                "{name} is altered or incomplete, so it cannot be trusted. It was not "
                "imported; ask for it to be sent again."
            ).format(name=name),
        ) from None
    except NotABundle as error:
        raise NotABundle(
            path,
            error.reason,
            _("{name} is not an encrypted review file. It was not imported.").format(name=name),
        ) from None


def _verified(plaintext: bytes, path: Path) -> Signed:
    """The signed content of a decrypted review file; refused when unsigned or wrongly
    signed."""
    name = path.name
    try:
        return verify(plaintext)
    except NotSigned:
        raise BundleNotTrusted(
            path,
            "old_format",
            _(
                "{name} is a review file of an older format, without a signature, so it "
                "cannot be trusted. It was not imported; ask for it to be made again from an "
                "updated app."
            ).format(name=name),
        ) from None
    except BadSignature:
        raise BundleNotTrusted(
            path,
            "bad_signature",
            _(
                "{name} is not signed correctly: it was changed or forged after it was "
                "made. It was not imported."
            ).format(name=name),
        ) from None


def _check_pin(
    db: Any, path: Path, meta_key: str, signed: Signed, accept_keys: AbstractSet[str]
) -> None:
    """The file's key must be the one pinned under ``meta_key``; the first file pins it.
    Another key replaces the pin only when its fingerprint is in ``accept_keys`` (the
    user accepted it, seeing both fingerprints). Raises :class:`SenderKeyChanged` inside
    the import's transaction (nothing written)."""
    key = encode_key(signed.key)
    row = db.execute("SELECT value FROM meta WHERE key = ?", (meta_key,)).fetchone()
    if row is None:
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (meta_key, key))
        return
    if row[0] == key:
        return
    if signed.fingerprint in accept_keys:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (key, meta_key))
        return
    try:
        pinned = fingerprint(decode_key(str(row[0])))
    except ValueError:
        pinned = "?"
    raise SenderKeyChanged(
        path,
        _(
            "{name} is signed with another key (fingerprint {fingerprint}) than the "
            "earlier files of the same sender. It was not imported: it may be forged. Ask "
            "the sender, and compare the fingerprint."
        ).format(name=path.name, fingerprint=signed.fingerprint),
        pinned,
        signed.fingerprint,
    )


def _parse(plaintext: bytes, path: Path) -> CaseForReview[str] | ReviewComments[str]:
    name = path.name
    try:
        return from_json(plaintext)
    except NotBundleJson:
        raise NotABundle(
            path,
            "not_a_review_file",
            _(
                "{name} opens with this notebook's key but holds no case for review and no "
                "review comments. It was not imported."
            ).format(name=name),
        ) from None
    except TooNew as error:
        raise BundleTooNew(
            path,
            "too_new",
            _(
                "{name} was made by a newer version of Counsellor's Notebook (review format "
                "{version}; this version reads up to {known}). It was not imported; install "
                "the newest version and import it again."
            ).format(name=name, version=error.version, known=REVIEW_FORMAT_VERSION),
        ) from None
    except TooOld as error:
        raise BundleNotTrusted(
            path,
            "old_format",
            _(
                "{name} is a review file of an older format ({version}; this version reads "
                "format {known}), which does not name the notebook it was made for. It was "
                "not imported; ask for it to be made again from an updated app."
            ).format(name=name, version=error.version, known=REVIEW_FORMAT_VERSION),
        ) from None
    except FormatProblem as problem:
        raise BundleInvalid(
            path,
            "invalid",
            _(
                "{name} does not follow the review file format ({where}: {what}). It was not "
                "imported; ask for it to be made again."
            ).format(name=name, where=problem.where, what=problem.what),
            problem.where,
        ) from None


def _invalid_comment(path: Path) -> BundleInvalid:
    return BundleInvalid(
        path,
        "invalid",
        _("{name} holds a comment that belongs to another case. It was not imported.").format(
            name=path.name
        ),
        "comments",
    )


def _merge_file(
    db: Any,
    path: Path,
    subject: Subject,
    records: Iterable[CommentRecord[CleanText]],
    talk_ids: dict[str, int],
    sign_off_records: Iterable[SignOffRecord],
    file_row: tuple[str, str, str, str, str | None],
    *,
    from_mentor: bool = False,
) -> tuple[int, int, int]:
    """Merge a file's comments and sign-offs into ``subject`` and remember the file
    (``file_row``: its SHA-256, kind, id, name and when); returns the comments added and
    updated and the sign-offs added. Edits of comments are taken only ``from_mentor``."""
    try:
        added, updated = merge_comments(db, subject, records, talk_ids, take_edits=from_mentor)
    except ValueError:
        raise _invalid_comment(path) from None
    signed = merge_sign_offs(db, subject, sign_off_records)
    db.execute(
        "INSERT INTO review_files (sha256, kind, file_id, file_name, imported_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        file_row,
    )
    return added, updated, signed


def _wrong_recipient(path: Path) -> BundleWrongKey:
    return BundleWrongKey(
        path,
        "wrong_recipient",
        _(
            "{name} was signed for another notebook's key and passed on. It was not "
            "imported; ask for it to be made again with this notebook's public key."
        ).format(name=path.name),
    )


def _import_case(
    notebook: Notebook,
    path: Path,
    document: CaseForReview[CleanText],
    digest: str,
    replaced: int,
    signed: Signed,
    accept_keys: AbstractSet[str],
) -> ReviewFileImport:
    if not is_mentor(notebook.role):
        raise ReviewFileForeign(
            path,
            "not_a_mentor",
            _(
                "{name} is a case sent for review: it is imported in the mentor's notebook, "
                "not in a student's. It was not imported."
            ).format(name=path.name),
        )
    reference = document.case.ref
    content = json.dumps(
        {
            "case": review_to_dict(document)["case"],
            "conversation_refs": list(document.conversation_refs),
            # what the gate replaced as the file arrived, for the mentor to tell the student
            "identifiers_replaced": replaced,
            "reflections": [
                {"day": r.day.isoformat(), "worked": r.worked, "differently": r.differently,
                 "learn": r.learn}
                for r in document.reflections
            ],
        },
        ensure_ascii=False,
    )  # fmt: skip
    with notebook.transaction() as db:
        # The student's key is pinned at their first case: a later file (which could send
        # the mentor's comments to another reply key) must be signed by that key.
        _check_pin(db, path, STUDENT_PIN_META + document.student_id, signed, accept_keys)
        row = db.execute(
            "SELECT id, sent_at, sequence FROM review_cases WHERE student_id = ? AND case_ref = ?",
            (document.student_id, reference),
        ).fetchone()
        stamp = utc_stamp(now())
        sent = utc_stamp(document.sent_at)
        if row is None:
            cursor = db.execute(
                "INSERT INTO review_cases (student_id, case_ref, student, reply_key, review_id, "
                "sent_at, sequence, imported_at, content, case_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (document.student_id, reference, document.student, document.reply_key,
                 document.review_id, sent, document.sequence, stamp, content,
                 document.case_version),
            )  # fmt: skip
            review_case_id, outcome = int(cursor.lastrowid), "added"
        else:
            review_case_id = int(row[0])
            # The newer of the two (by when it was sent, then its sequence) stays.
            if (str(row[1]), int(row[2])) <= (str(sent), document.sequence):
                db.execute(
                    "UPDATE review_cases SET student = ?, reply_key = ?, review_id = ?, "
                    "sent_at = ?, sequence = ?, imported_at = ?, content = ?, case_version = ? "
                    "WHERE id = ?",
                    (document.student, document.reply_key, document.review_id, sent,
                     document.sequence, stamp, content, document.case_version, review_case_id),
                )  # fmt: skip
                outcome = "updated"
            else:
                outcome = "kept"
        subject = Subject.received(review_case_id)
        if outcome == "kept":
            # An older file's comments may only be on conversations the newer case has.
            known = set(json.loads(
                db.execute("SELECT content FROM review_cases WHERE id = ?",
                           (review_case_id,)).fetchone()[0]
            )["conversation_refs"])  # fmt: skip
            records = [c for c in document.comments if c.conversation_ref in known]
        else:
            records = list(document.comments)
        # Sign-offs are the mentor's own: none come from a student's file.
        added, updated, signed_off = _merge_file(
            db, path, subject, records, {}, (),
            (digest, ReviewFileKind.CASE, document.review_id, path.name, stamp),
        )  # fmt: skip
    return ReviewFileImport(
        path,
        ReviewImportStatus.IMPORTED,
        kind=ReviewFileKind.CASE,
        subject=subject,
        title=display_ref(reference),
        content=outcome,
        conversations=len(document.conversation_refs),
        comments_added=added,
        comments_updated=updated,
        sign_offs_added=signed_off,
    )


def _foreign_comments(path: Path) -> ReviewFileForeign:
    return ReviewFileForeign(
        path,
        "foreign",
        _(
            "{name} holds comments on a case this notebook does not have (they are for "
            "another notebook, or the case was deleted). It was not imported."
        ).format(name=path.name),
    )


def _import_comments(
    notebook: Notebook,
    path: Path,
    document: ReviewComments[CleanText],
    digest: str,
    signed: Signed,
    accept_keys: AbstractSet[str],
) -> ReviewFileImport:
    if notebook.meta(COUNSELLOR_META) != document.student_id:
        raise _foreign_comments(path)
    secret = exchange_secret(notebook)
    case_id = code = None
    for row_id, row_code in notebook.query("SELECT id, code FROM cases"):
        if case_ref(secret, Case(code=row_code, id=int(row_id))) == document.case_ref:
            case_id, code = int(row_id), str(row_code)
            break
    if case_id is None or code is None:
        raise _foreign_comments(path)
    talks = own_conversations(notebook, case_id)
    if any(c.conversation_ref not in talks.ids for c in document.comments) or any(
        r.conversation_ref not in talks.ids for r in document.rubric
    ):
        raise ReviewFileForeign(
            path,
            "foreign",
            _(
                "{name} holds comments on conversations case {code} does not have. It was "
                "not imported."
            ).format(name=path.name, code=code),
        )
    subject = Subject.own(case_id)
    with notebook.transaction() as db:
        # The mentor's key is pinned at the first comments on the case.
        _check_pin(db, path, MENTOR_PIN_META + document.case_ref, signed, accept_keys)
        deleted = merge_deletions(db, subject, document.deleted)
        added, updated, signed_off = _merge_file(
            db, path, subject, document.comments, talks.ids, document.sign_offs,
            (digest, ReviewFileKind.COMMENTS, document.comments_id, path.name, utc_stamp(now())),
            from_mentor=True,
        )  # fmt: skip
        rated = merge_rubric(db, subject, document.rubric, talks.ids)
    return ReviewFileImport(
        path,
        ReviewImportStatus.IMPORTED,
        kind=ReviewFileKind.COMMENTS,
        subject=subject,
        title=code,
        conversations=len(talks.refs),
        comments_added=added,
        comments_updated=updated,
        sign_offs_added=signed_off,
        comments_deleted=deleted,
        rubric_changed=rated,
    )


def _require_key_pair(notebook: Notebook) -> None:
    if public_key(notebook) is None:
        raise NoKeyPair(
            _(
                "This notebook has no key pair yet, so no review file can have been made for "
                "it. A mentor shows the public key first and gives it to the student; a "
                "student's notebook makes its key when it first exports a case for review."
            )
        )


@guarded
def import_review_file(
    notebook: Notebook, path: Path, *, accept_keys: AbstractSet[str] = frozenset()
) -> ReviewFileImport:
    """Import one review file of either kind in one transaction.

    Raises a :class:`BundleError` naming the file when it is refused; then nothing
    was written. A file signed with another key than its sender's pinned one is refused
    (:class:`SenderKeyChanged`) unless that key's fingerprint is in ``accept_keys``: then
    the new key is pinned (the user's explicit act, seeing both fingerprints).
    """
    path = Path(path)
    _require_key_pair(notebook)
    plaintext = _decrypt(notebook, _read(path), path)
    signed = _verified(plaintext, path)
    digest = hashlib.sha256(plaintext).hexdigest()
    known = notebook.query("SELECT kind FROM review_files WHERE sha256 = ?", (digest,))
    if known:
        return ReviewFileImport(path, ReviewImportStatus.ALREADY_IMPORTED, kind=known[0][0])
    document, replaced = _settled(_parse(signed.payload, path))
    if document.recipient != public_key(notebook):
        raise _wrong_recipient(path)
    if isinstance(document, CaseForReview):
        result = _import_case(notebook, path, document, digest, replaced, signed, accept_keys)
    else:
        result = _import_comments(notebook, path, document, digest, signed, accept_keys)
    return dataclasses.replace(result, identifiers_replaced=replaced)


def _settled(
    document: CaseForReview[str] | ReviewComments[str],
) -> tuple[CaseForReview[CleanText] | ReviewComments[CleanText], int]:
    """The document with every text passed through the gate as it arrives (what the
    engine finds is replaced before anything is stored), and how many were replaced."""
    gate = Gate(MAX_TEXT)
    comments_settled = tuple(
        c.with_texts(gate.settle(c.text), gate.settle(c.answer)) for c in document.comments
    )
    settled: CaseForReview[CleanText] | ReviewComments[CleanText]
    if isinstance(document, ReviewComments):
        settled = document.with_texts(
            comments_settled, tuple(r.with_note(gate.settle(r.note)) for r in document.rubric)
        )
    else:
        settled = document.with_texts(
            map_texts(document.case, gate.settle),
            comments_settled,
            tuple(
                r.with_texts(
                    gate.settle(r.worked), gate.settle(r.differently), gate.settle(r.learn)
                )
                for r in document.reflections
            ),
        )
    return settled, sum(gate.counts.values())


def import_review_files(
    notebook: Notebook,
    paths: Sequence[Path | str],
    progress: Progress | None = None,
    *,
    accept_keys: AbstractSet[str] = frozenset(),
) -> ReviewImportReport:
    """Import several review files, each on its own (a refused one is reported and the
    others still imported). Errors not about one file (no key pair, a full disk) stop
    the import and are raised. ``accept_keys``: see :func:`import_review_file`."""
    _require_key_pair(notebook)
    total = len(paths)
    results: list[ReviewFileImport] = []
    if progress:
        progress(0, total)
    for done, raw in enumerate(paths, start=1):
        path = Path(raw)
        try:
            results.append(import_review_file(notebook, path, accept_keys=accept_keys))
        except BundleError as error:
            results.append(ReviewFileImport(path, ReviewImportStatus.REFUSED, error=error))
        if progress:
            progress(done, total)
    return ReviewImportReport(tuple(results))
