"""Students and mentors: comments, sign-offs, reflections, the learning overview, and the
review files both ways (student -> mentor -> student) on real encrypted notebooks."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from counsellor_app.core.domain import Alliance, FollowUp, Partner, Role, Step, WellbeingLevel
from counsellor_app.core.exchange import (
    BundleAltered,
    BundleInvalid,
    BundleNotTrusted,
    BundleTooNew,
    BundleWrongKey,
    ExchangeError,
    NoKeyPair,
    NotABundle,
    ensure_key_pair,
    export_bundle,
)
from counsellor_app.core.exchange.common import load_recipient
from counsellor_app.core.exchange.crypto import decrypt, encrypt
from counsellor_app.core.exchange.signing import sign, sign_with, verify
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.mentoring import (
    CommentStatus,
    MentoringError,
    ReviewFileForeign,
    ReviewImportStatus,
    Subject,
    add_comment,
    add_reflection,
    answer_comment,
    comments,
    conversation_refs,
    delete_received_case,
    export_case_for_review,
    export_comments,
    find_received,
    import_review_file,
    import_review_files,
    learning_overview,
    open_comments,
    preview_case_for_review,
    received_cases,
    reflections,
    remembered_initials,
    resolve_comment,
    review_material,
    sign_off,
    sign_offs,
    update_reflection,
)
from counsellor_app.core.mentoring.format import (
    COMMENTS_FORMAT,
    REVIEW_FORMAT,
    SignOffRecord,
    from_json,
    to_json,
)
from counsellor_app.core.mentoring.records import case_version, merge_sign_offs
from counsellor_app.core.store import Notebook
from tests.helpers import PASSPHRASE
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    plant_corpus_case,
    planted_identifiers,
)

AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
MENTORING_TABLES = (
    "mentor_comments",
    "case_sign_offs",
    "reflections",
    "review_cases",
    "review_comments",
    "review_sign_offs",
    "review_files",
)


def make(tmp_path: Path, name: str, kdf: KdfParams, role: Role) -> Notebook:
    return Notebook.create(tmp_path / f"{name}.cnb", PASSPHRASE, role, kdf=kdf)[0]


@pytest.fixture
def mentor_key(mentor: Notebook) -> str:
    return ensure_key_pair(mentor)


def student_case(notebook: Notebook) -> int:
    """A case of three conversations with notes in every step, an alliance, a follow-up."""
    case = notebook.new_case(themes=["school_absence", "anxiety"], arenas=["school"])
    assert case.id is not None
    notes = [
        ("Mor fortæller at sønnen ikke vil i skole om morgenen.", "Råd om en fast morgenrutine."),
        ("Det går lidt bedre; to dage i skole.", "Tal med klasselæreren om en plan."),
        ("Nu i skole hver dag, men træt.", "Fortsæt rutinen; ros det der lykkes."),
    ]
    for day, (listen, advise) in enumerate(notes):
        talk = notebook.new_conversation(case.id, started_at=AT.replace(day=2 + 7 * day))
        assert talk.id is not None
        notebook.save_note(talk.id, Step.LISTEN, listen)
        notebook.save_note(talk.id, Step.ADVISE, advise)
        notebook.save_note(talk.id, Step.ALLIANCES, "Skolen kontaktes med samtykke.")
        notebook.save_note(talk.id, Step.FOLLOW_UP, "Ny samtale om en uge.")
        level = [WellbeingLevel.SEVERE, WellbeingLevel.STRUGGLING, WellbeingLevel.MILD][day]
        notebook.set_wellbeing(talk.id, "overall", level)
    notebook.save_alliance(Alliance(case.id, Partner.SCHOOL, role="Klasselærer", agreed="Plan"))
    notebook.save_follow_up(FollowUp(case.id, date(2026, 3, 30), counsellor_task="Ring op"))
    notebook.set_callback(case.id, CALLBACK)
    return case.id


def counts(notebook: Notebook) -> dict[str, int]:
    return {t: notebook.query(f"SELECT count(*) FROM {t}")[0][0] for t in MENTORING_TABLES}


def signed_off_by_the_mentor(notebook: Notebook, subject: Subject, day: date) -> None:
    """A sign-off of the case as it is now, stored the way a mentor's comments file
    stores it (the student cannot sign off)."""
    with notebook.transaction() as db:
        merge_sign_offs(db, subject, [SignOffRecord(day, "MK", case_version(notebook, subject.id))])


def plaintext(notebook: Notebook, path: Path) -> str:
    return verify(decrypt(notebook, path.read_bytes(), path)).payload.decode("utf-8")


# ---------------------------------------------------------------------------- at one computer


def test_comments_at_the_students_computer(student: Notebook) -> None:
    case_id = student_case(student)
    subject = Subject.own(case_id)
    refs = conversation_refs(student, subject)
    assert len(refs) == 3 and len(set(refs)) == 3
    on_step = add_comment(student, subject, refs[1], Step.ADVISE, " MK ", "Godt råd. Hvorfor?")
    whole = add_comment(student, subject, refs[0], None, "MK", "En rolig start på samtalen.")
    assert on_step.author == "MK" and on_step.conversation_number == 2
    assert whole.step is None and whole.status is CommentStatus.OPEN
    assert remembered_initials(student) == "MK"
    # sorted by conversation, then the whole conversation before its steps
    assert [c.uid for c in comments(student, subject)] == [whole.uid, on_step.uid]

    answered = answer_comment(student, subject, on_step.uid, "Fordi rutinen giver ro.")
    assert answered.status is CommentStatus.ANSWERED and answered.answered_at is not None
    assert [t.comment.uid for t in open_comments(student)] == [whole.uid]
    assert {t.comment.uid for t in open_comments(student, include_answered=True)} == {
        whole.uid,
        on_step.uid,
    }
    assert open_comments(student)[0].case_code == student.case(case_id).code
    resolved = resolve_comment(student, subject, on_step.uid)
    assert resolved.status is CommentStatus.RESOLVED
    assert resolve_comment(student, subject, on_step.uid, False).status is CommentStatus.ANSWERED

    # only the mentor signs off, in the mentor's notebook (it comes back with the comments)
    with pytest.raises(MentoringError):
        sign_off(student, subject, date(2026, 4, 1), "MK")
    assert sign_offs(student, subject) == []

    with pytest.raises(MentoringError):
        add_comment(student, subject, refs[0], None, "", "tekst")
    with pytest.raises(MentoringError):
        add_comment(student, subject, refs[0], None, "x" * 25, "tekst")
    with pytest.raises(MentoringError):
        add_comment(student, subject, refs[0], None, "MK", "   ")
    with pytest.raises(MentoringError):
        add_comment(student, subject, "a" * 26, None, "MK", "tekst")


def test_reflection_log(student: Notebook) -> None:
    case_id = student_case(student)
    first = add_reflection(
        student,
        case_id,
        worked="At lytte længe.",
        learn="Mere om skolevægring",
        day=date(2026, 3, 3),
    )
    second = add_reflection(student, case_id, differently="Spørge til barnets syn.")
    assert [r.id for r in reflections(student, case_id)] == [first.id, second.id]
    changed = update_reflection(student, first.id, "At lytte.", "", "Mere om angst")
    assert changed.day == date(2026, 3, 3) and changed.learn == "Mere om angst"
    with pytest.raises(MentoringError):
        add_reflection(student, case_id, " ", "", "")
    assert review_material(student, Subject.own(case_id)).reflections[0].worked == "At lytte."


def test_learning_overview_figures(student: Notebook) -> None:
    first = student_case(student)
    second = student.new_case(themes=["anxiety", "sleep"]).id
    assert second is not None
    s1 = Subject.own(first)
    refs = conversation_refs(student, s1)
    a = add_comment(student, s1, refs[0], Step.ADVISE, "MK", "1")
    add_comment(student, s1, refs[1], Step.ADVISE, "MK", "2")
    b = add_comment(student, s1, refs[2], Step.LISTEN, "MK", "3")
    add_comment(student, s1, refs[2], None, "MK", "4")
    answer_comment(student, s1, a.uid, "svar")
    resolve_comment(student, s1, b.uid)
    signed_off_by_the_mentor(student, s1, date(2026, 4, 1))
    add_reflection(student, first, worked="x")

    overview = learning_overview(student)
    assert overview.cases == 2 and overview.conversations == 3
    assert overview.cases_reviewed == 1 and overview.cases_commented == 1
    assert (overview.comments_open, overview.comments_answered, overview.comments_resolved) == (
        2,
        1,
        1,
    )
    assert overview.comments_total == 4
    assert overview.steps[0] == (Step.ADVISE, 2)
    assert dict(overview.steps) == {
        Step.ADVISE: 2,
        Step.LISTEN: 1,
        None: 1,
        Step.ALLIANCES: 0,
        Step.FOLLOW_UP: 0,
    }
    assert overview.themes[0] == ("anxiety", 2)
    assert set(dict(overview.themes)) == {"anxiety", "school_absence", "sleep"}
    assert overview.reflections == 1 and overview.last_sign_off == date(2026, 4, 1)


# ---------------------------------------------------------------------------- away: both ways


def test_round_trip_student_mentor_student(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path
) -> None:
    case_id = student_case(student)
    own = Subject.own(case_id)
    # a comment made earlier with the mentor beside, and a reflection, travel too
    refs = conversation_refs(student, own)
    beside = add_comment(student, own, refs[0], Step.LISTEN, "MK", "Godt lyttet.")
    add_reflection(student, case_id, worked="Rolig stemme.")

    review = tmp_path / "case.cnreview"
    result = export_case_for_review(student, case_id, mentor_key, review, student="AB")
    assert result.conversation_count == 3 and result.comment_count == 1
    assert review.read_bytes().startswith(b"age-encryption.org/v1\n")
    code = student.case(case_id).code
    assert code not in plaintext(mentor, review)

    imported = import_review_file(mentor, review)
    assert imported.status == ReviewImportStatus.IMPORTED and imported.content == "added"
    assert imported.comments_added == 1 and imported.title == result.review_ref
    (received,) = received_cases(mentor)
    assert received.ref == result.review_ref and received.student == "AB"
    assert received.conversations == 3 and received.comments == 1
    subject = received.subject
    material = review_material(mentor, subject)
    assert material.de_identified and material.callback is None
    assert [c.number for c in material.conversations] == [1, 2, 3]
    assert material.conversations[1].notes[Step.ADVISE] == "Tal med klasselæreren om en plan."
    assert material.conversations[2].overall_wellbeing() is WellbeingLevel.MILD
    assert material.case.alliances[0].partner is Partner.SCHOOL
    assert material.reflections[0].worked == "Rolig stemme."
    mentor_refs = [c.ref for c in material.conversations]
    assert mentor_refs == refs  # the same references on both computers

    # the mentor comments on step 2 of the second conversation and the third as a whole
    on_advise = add_comment(mentor, subject, mentor_refs[1], Step.ADVISE, "MK", "Hvilken plan?")
    whole = add_comment(mentor, subject, mentor_refs[2], None, "MK", "Flot udvikling.")
    resolve_comment(mentor, subject, beside.uid)
    sign_off(mentor, subject, date(2026, 4, 2), "MK")
    back = tmp_path / "comments.cncomments"
    sent = export_comments(mentor, find_received(mentor, received.ref), back)
    assert sent.comment_count == 3 and sent.sign_off_count == 1

    # the student imports them: attached to the right conversations and steps
    arrived = import_review_file(student, back)
    assert arrived.status == ReviewImportStatus.IMPORTED and arrived.title == code
    assert (arrived.comments_added, arrived.comments_updated, arrived.sign_offs_added) == (2, 1, 1)
    by_uid = {c.uid: c for c in comments(student, own)}
    conversation_ids = [c.id for c in student.conversations(case_id)]
    rows = dict(
        student.query(
            "SELECT uid, conversation_id FROM mentor_comments WHERE case_id = ?", (case_id,)
        )
    )
    assert rows[on_advise.uid] == conversation_ids[1] and by_uid[on_advise.uid].step is Step.ADVISE
    assert rows[whole.uid] == conversation_ids[2] and by_uid[whole.uid].step is None
    assert by_uid[beside.uid].status is CommentStatus.RESOLVED
    assert by_uid[beside.uid].text == "Godt lyttet."  # the student's own text is kept
    assert [(s.day, s.mentor) for s in sign_offs(student, own)] == [(date(2026, 4, 2), "MK")]
    assert learning_overview(student).cases_reviewed == 1

    # the student answers; the next case for review carries the answer to the mentor
    answer_comment(student, own, on_advise.uid, "En plan for fremmødet.")
    again = tmp_path / "case-2.cnreview"
    export_case_for_review(student, case_id, mentor_key, again)
    updated = import_review_file(mentor, again)
    assert updated.content == "updated" and updated.comments_updated == 1
    mentor_view = {c.uid: c for c in comments(mentor, subject)}
    assert mentor_view[on_advise.uid].answer == "En plan for fremmødet."
    assert mentor_view[on_advise.uid].status is CommentStatus.ANSWERED
    assert len(received_cases(mentor)) == 1  # the same case, updated

    # the mentor resolves it; the student's answer survives the trip back
    resolve_comment(mentor, subject, on_advise.uid)
    last = tmp_path / "comments-2.cncomments"
    export_comments(mentor, subject.id, last)
    import_review_file(student, last)
    final = {c.uid: c for c in comments(student, own)}[on_advise.uid]
    assert final.status is CommentStatus.RESOLVED and final.answer == "En plan for fremmødet."


def test_comments_go_to_the_students_key(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    case_id = student_case(student)
    review = tmp_path / "c.cnreview"
    export_case_for_review(student, case_id, mentor_key, review)
    subject = import_review_file(mentor, review).subject
    assert subject is not None
    back = tmp_path / "b.cncomments"
    result = export_comments(mentor, subject.id, back)
    assert result.recipient == ensure_key_pair(student)  # the key the case carried
    # the mentor itself cannot read what it sent: it is for the student only
    with pytest.raises(BundleWrongKey):
        import_review_file(mentor, back)


def test_reimport_is_idempotent(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path
) -> None:
    case_id = student_case(student)
    review = tmp_path / "c.cnreview"
    export_case_for_review(student, case_id, mentor_key, review)
    assert import_review_file(mentor, review).status == ReviewImportStatus.IMPORTED
    subject = Subject.received(received_cases(mentor)[0].id)
    add_comment(mentor, subject, conversation_refs(mentor, subject)[0], Step.LISTEN, "MK", "Fint")
    before = counts(mentor)
    again = import_review_file(mentor, review)
    assert again.status == ReviewImportStatus.ALREADY_IMPORTED and counts(mentor) == before
    # the very same content encrypted again is known by its hash
    copy = tmp_path / "copy.cnreview"
    copy.write_bytes(
        encrypt(decrypt(mentor, review.read_bytes(), review), load_recipient(mentor_key))
    )
    assert import_review_file(mentor, copy).status == ReviewImportStatus.ALREADY_IMPORTED

    back = tmp_path / "b.cncomments"
    export_comments(mentor, subject.id, back)
    assert import_review_file(student, back).comments_added == 1
    student_before = counts(student)
    assert import_review_file(student, back).status == ReviewImportStatus.ALREADY_IMPORTED
    # a new comments file with the same comments adds nothing (merged by their ids)
    again_back = tmp_path / "b2.cncomments"
    export_comments(mentor, subject.id, again_back)
    result = import_review_file(student, again_back)
    assert (result.comments_added, result.comments_updated, result.sign_offs_added) == (0, 0, 0)
    assert counts(student)["mentor_comments"] == student_before["mentor_comments"]


def test_an_older_case_for_review_keeps_the_newer(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path
) -> None:
    case_id = student_case(student)
    old = tmp_path / "old.cnreview"
    export_case_for_review(student, case_id, mentor_key, old)
    talk = student.new_conversation(case_id, started_at=AT.replace(day=28))
    student.save_note(talk.id or 0, Step.LISTEN, "En fjerde samtale.")
    new = tmp_path / "new.cnreview"
    preview = preview_case_for_review(student, case_id)
    export_case_for_review(student, case_id, mentor_key, new, preview=preview)
    import_review_file(mentor, new)
    kept = import_review_file(mentor, old)
    assert kept.status == ReviewImportStatus.IMPORTED and kept.content == "kept"
    assert received_cases(mentor)[0].conversations == 4


# ---------------------------------------------------------------------------- refusals


def test_bad_files_are_refused_naming_the_file_and_change_nothing(
    student: Notebook,
    mentor: Notebook,
    mentor_key: str,
    tmp_path: Path,
    fast_kdf: KdfParams,
) -> None:
    case_id = student_case(student)
    good = tmp_path / "good.cnreview"
    export_case_for_review(student, case_id, mentor_key, good)
    plain = decrypt(mentor, good.read_bytes(), good)
    payload = verify(plain).payload
    recipient = load_recipient(mentor_key)

    def encrypted(name: str, data: dict[str, Any] | bytes) -> Path:
        """Signed by the student's own key: signed, but not a good file."""
        path = tmp_path / name
        body = data if isinstance(data, bytes) else to_json(data)
        path.write_bytes(encrypt(sign(student, body), recipient))
        return path

    altered = tmp_path / "altered.cnreview"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    other = make(tmp_path, "other", fast_kdf, Role.SUPERVISOR)
    wrong = tmp_path / "wrong.cnreview"
    wrong.write_bytes(encrypt(plain, load_recipient(ensure_key_pair(other))))
    other.close()
    clear = tmp_path / "clear.cnreview"
    clear.write_bytes(payload)
    decoded = json.loads(payload)
    unsigned = tmp_path / "unsigned.cnreview"
    unsigned.write_bytes(encrypt(payload, recipient))
    newer = encrypted("newer.cnreview", {**decoded, "format_version": 99})
    broken = encrypted("broken.cnreview", {**decoded, "conversation_refs": ["x"]})
    # a summary bundle for the mentor's key is not a review file
    bundle = tmp_path / "summaries.cnbundle"
    export_bundle(student, mentor_key, bundle)
    # comments for a case the mentor's notebook does not have (the mentor has no such id)
    foreign = encrypted(
        "foreign.cncomments",
        {
            "format": COMMENTS_FORMAT,
            "format_version": 2,
            "comments_id": "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e44",
            "app_version": "0.1.0",
            "student_id": "C-2345678923",
            "case_ref": "a" * 26,
            "review_id": "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e45",
            "recipient": mentor_key,
            "sent_at": "2026-03-02T10:00:00+00:00",
            "comments": [],
            "sign_offs": [],
            "rubric": [],
            "deleted": [],
        },
    )
    # format 1 (no recipient inside the signed content) is refused as too old
    older = encrypted("older.cnreview", {**decoded, "format_version": 1})
    before = counts(mentor)
    report = import_review_files(
        mentor,
        [
            altered,
            wrong,
            clear,
            unsigned,
            newer,
            older,
            broken,
            bundle,
            foreign,
            tmp_path / "missing",
        ],
    )
    reasons = {r.path.name: (type(r.error), r.error.reason) for r in report.refused if r.error}
    assert reasons == {
        "altered.cnreview": (BundleAltered, "altered"),
        "wrong.cnreview": (BundleWrongKey, "wrong_key"),
        "clear.cnreview": (NotABundle, "not_encrypted"),
        "unsigned.cnreview": (BundleNotTrusted, "old_format"),
        "newer.cnreview": (BundleTooNew, "too_new"),
        "older.cnreview": (BundleNotTrusted, "old_format"),
        "broken.cnreview": (BundleInvalid, "invalid"),
        "summaries.cnbundle": (NotABundle, "not_a_review_file"),
        "foreign.cncomments": (ReviewFileForeign, "foreign"),
        "missing": (reasons["missing"][0], "unreadable"),
    }
    for result in report.refused:
        assert result.error is not None and result.path.name in str(result.error)
    assert counts(mentor) == before

    # a case for review is for a mentor: a student's notebook refuses it
    student_key = ensure_key_pair(student)
    to_student = tmp_path / "to-student.cnreview"
    for_student = to_json({**decoded, "recipient": student_key})
    to_student.write_bytes(encrypt(sign(student, for_student), load_recipient(student_key)))
    student_before = counts(student)
    with pytest.raises(ReviewFileForeign) as refused:
        import_review_file(student, to_student)
    assert refused.value.reason == "not_a_mentor" and "to-student.cnreview" in str(refused.value)
    assert counts(student) == student_before

    # comments on a conversation the case does not have are refused whole
    subject = import_review_file(mentor, good).subject
    assert subject is not None
    add_comment(mentor, subject, conversation_refs(mentor, subject)[0], None, "MK", "ok")
    back = tmp_path / "back.cncomments"
    export_comments(mentor, subject.id, back)
    document = json.loads(verify(decrypt(student, back.read_bytes(), back)).payload)
    document["comments"][0]["conversation_ref"] = "b" * 26
    odd = tmp_path / "odd.cncomments"
    odd.write_bytes(encrypt(sign(mentor, to_json(document)), load_recipient(student_key)))
    with pytest.raises(ReviewFileForeign):
        import_review_file(student, odd)
    assert counts(student) == student_before


def test_a_notebook_without_a_key_pair_imports_nothing(mentor: Notebook, tmp_path: Path) -> None:
    path = tmp_path / "x.cnreview"
    path.write_bytes(b"age-encryption.org/v1\n")
    with pytest.raises(NoKeyPair):
        import_review_files(mentor, [path])


def test_export_to_the_notebooks_own_key_is_refused(student: Notebook, tmp_path: Path) -> None:
    case_id = student_case(student)
    own = ensure_key_pair(student)
    with pytest.raises(ExchangeError):
        export_case_for_review(student, case_id, own, tmp_path / "x.cnreview")
    assert not (tmp_path / "x.cnreview").exists()


def test_planted_identifiers_never_leave_in_a_review_file(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path
) -> None:
    case_id = plant_corpus_case(student, AT)
    subject = Subject.own(case_id)
    refs = conversation_refs(student, subject)
    corpus_note = student.conversations(case_id)[0].notes[Step.LISTEN]
    comment = add_comment(student, subject, refs[0], Step.LISTEN, "MK", corpus_note)
    answer_comment(student, subject, comment.uid, corpus_note)
    add_reflection(student, case_id, worked=corpus_note, differently=corpus_note, learn=corpus_note)
    review = tmp_path / "planted.cnreview"
    preview = preview_case_for_review(student, case_id)
    assert not preview.blocking and preview.replacements
    export_case_for_review(student, case_id, mentor_key, review, preview=preview)
    text = plaintext(mentor, review)
    leaked = [p for p in sorted(planted_identifiers()) if contains_word(text, p)]
    assert leaked == []
    digits = "".join(ch for ch in CALLBACK if ch.isdigit())
    assert CALLBACK not in text and digits not in text.replace(" ", "")
    assert student.case(case_id).code not in text
    document = from_json(verify(decrypt(mentor, review.read_bytes(), review)).payload)
    assert document.case.conversations and document.comments and document.reflections
    assert json.loads(text)["format"] == REVIEW_FORMAT


def test_find_and_delete_received(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path
) -> None:
    case_id = student_case(student)
    review = tmp_path / "c.cnreview"
    result = export_case_for_review(student, case_id, mentor_key, review)
    import_review_file(mentor, review)
    row = received_cases(mentor)[0]
    assert find_received(mentor, result.review_ref) == row.id
    assert find_received(mentor, result.review_ref.lower()[2:]) == row.id
    assert find_received(mentor, row.case_ref[:10]) == row.id
    with pytest.raises(MentoringError):
        find_received(mentor, "R-ZZ")
    with pytest.raises(MentoringError):
        find_received(mentor, "R-" + ("2" if row.case_ref[0] != "2" else "3") * 6)
    subject = row.subject
    add_comment(mentor, subject, conversation_refs(mentor, subject)[0], None, "MK", "x")
    delete_received_case(mentor, row.id)
    assert received_cases(mentor) == []
    assert counts(mentor)["review_comments"] == 0


def test_retention_purge_removes_comment_and_reflection_text(student: Notebook) -> None:
    from datetime import timedelta

    from counsellor_app.core.domain import CaseStatus

    case_id = student_case(student)
    subject = Subject.own(case_id)
    comment = add_comment(
        student, subject, conversation_refs(student, subject)[0], None, "MK", "Om Mette"
    )
    answer_comment(student, subject, comment.uid, "Mette igen")
    add_reflection(student, case_id, worked="Mette", differently="x", learn="y")
    student.set_status(case_id, CaseStatus.CLOSED)
    assert student.purge(at=datetime.now(UTC) + timedelta(days=400)) == 1
    (kept,) = comments(student, subject)
    assert (kept.text, kept.answer, kept.author) == ("", "", "MK")
    (entry,) = reflections(student, case_id)
    assert (entry.worked, entry.differently, entry.learn) == ("", "", "")


def test_a_forged_review_file_cannot_redirect_the_comments(
    student: Notebook, mentor: Notebook, mentor_key: str, tmp_path: Path
) -> None:
    """The issue's forgery: a review file under the student's id with the attacker's reply
    key, signed with the attacker's key, after the student's first genuine file."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import x25519

    case_id = student_case(student)
    good = tmp_path / "good.cnreview"
    export_case_for_review(student, case_id, mentor_key, good)
    assert import_review_file(mentor, good).status == ReviewImportStatus.IMPORTED
    (received,) = mentor.query("SELECT id, reply_key FROM review_cases")
    document = json.loads(verify(decrypt(mentor, good.read_bytes(), good)).payload)
    attacker_reply = str(x25519.Identity.generate().to_public())
    document.update(
        review_id="2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e46",
        reply_key=attacker_reply,
        sequence=10**6,
        sent_at="2026-12-31T10:00:00+00:00",
    )
    forged = tmp_path / "forged.cnreview"
    attacker = Ed25519PrivateKey.generate()
    forged.write_bytes(encrypt(sign_with(attacker, to_json(document)), load_recipient(mentor_key)))
    before = counts(mentor)
    with pytest.raises(BundleNotTrusted) as refused:
        import_review_file(mentor, forged)
    assert refused.value.reason == "key_mismatch" and "forged.cnreview" in str(refused.value)
    assert counts(mentor) == before
    assert mentor.query("SELECT id, reply_key FROM review_cases") == [received]
    # the mentor's comments still go to the student's own key
    add_comment(
        mentor,
        Subject.received(received[0]),
        conversation_refs(mentor, Subject.received(received[0]))[0],
        None,
        "MK",
        "ok",
    )
    back = export_comments(mentor, received[0], tmp_path / "back.cncomments")
    assert back.recipient == ensure_key_pair(student) != attacker_reply
    assert import_review_file(student, back.path).comments_added == 1
    # comments signed by another key than the mentor's first are refused on the student's side
    document = json.loads(verify(decrypt(student, back.path.read_bytes(), back.path)).payload)
    document["comments_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e47"
    fake = tmp_path / "fake.cncomments"
    fake.write_bytes(
        encrypt(sign_with(attacker, to_json(document)), load_recipient(ensure_key_pair(student)))
    )
    with pytest.raises(BundleNotTrusted):
        import_review_file(student, fake)
