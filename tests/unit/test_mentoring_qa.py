"""Mentoring as quality work (issue 17): sign-offs of a version of the case, comments
edited and deleted by their author, the mentor's rubric over time, review files naming
their recipient and a sender's key changed only on purpose; on real encrypted notebooks
and real signed files, student -> mentor -> student."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from counsellor_app.core.domain import Role, Step, WellbeingLevel
from counsellor_app.core.exchange import (
    BundleNotTrusted,
    BundleWrongKey,
    ensure_key_pair,
)
from counsellor_app.core.exchange.common import load_recipient
from counsellor_app.core.exchange.crypto import decrypt, encrypt
from counsellor_app.core.exchange.signing import sign_with, verify
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.mentoring import (
    CommentStatus,
    MentoringError,
    ReviewImportStatus,
    RubricLevel,
    SenderKeyChanged,
    Subject,
    add_comment,
    answer_comment,
    can_change_comments,
    case_version,
    comments,
    comments_changed_text,
    conversation_refs,
    delete_comment,
    edit_comment,
    export_case_for_review,
    export_comments,
    import_review_file,
    learning_overview,
    rate_conversation,
    received_cases,
    rubric,
    rubric_over_time,
    sign_off,
    sign_off_states,
)
from counsellor_app.core.mentoring.format import to_json
from counsellor_app.core.store import Notebook
from tests.helpers import PASSPHRASE, SteppedClock

AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
TABLES = (
    "mentor_comments",
    "case_sign_offs",
    "review_cases",
    "review_comments",
    "review_sign_offs",
    "review_files",
    "rubric_ratings",
    "review_rubric_ratings",
    "deleted_comments",
)


def counts(notebook: Notebook) -> dict[str, int]:
    return {t: notebook.query(f"SELECT count(*) FROM {t}")[0][0] for t in TABLES}


def student_case(notebook: Notebook, contacts: int = 2, day: int = 2) -> int:
    case = notebook.new_case(themes=["school_absence"])
    assert case.id is not None
    for number in range(contacts):
        talk = notebook.new_conversation(case.id, started_at=AT.replace(day=day + 7 * number))
        assert talk.id is not None
        notebook.save_note(talk.id, Step.LISTEN, f"Mor fortæller om morgenerne ({number}).")
        notebook.save_note(talk.id, Step.ADVISE, "Råd om en fast morgenrutine.")
        notebook.set_wellbeing(talk.id, "overall", WellbeingLevel.STRUGGLING)
    return case.id


class Review:
    """A student's case sent to a mentor: both notebooks, the paths, the subjects."""

    def __init__(self, student: Notebook, mentor: Notebook, folder: Path) -> None:
        self.student, self.mentor, self.folder = student, mentor, folder
        self.mentor_key = ensure_key_pair(mentor)
        self.case_id = student_case(student)
        self.own = Subject.own(self.case_id)
        self.files = 0
        imported = import_review_file(mentor, self.send())
        assert imported.subject is not None
        self.received = imported.subject

    def send(self) -> Path:
        """The student's case for review, now."""
        self.files += 1
        path = self.folder / f"case-{self.files}.cnreview"
        export_case_for_review(self.student, self.case_id, self.mentor_key, path)
        return path

    def send_again(self) -> None:
        assert import_review_file(self.mentor, self.send()).status == ReviewImportStatus.IMPORTED

    def back(self) -> Path:
        """The mentor's comments file, now."""
        self.files += 1
        path = self.folder / f"comments-{self.files}.cncomments"
        export_comments(self.mentor, self.received.id, path)
        return path

    def back_to_student(self) -> None:
        assert import_review_file(self.student, self.back()).status == ReviewImportStatus.IMPORTED

    def payload(self, notebook: Notebook, path: Path) -> dict[str, object]:
        data: dict[str, object] = json.loads(
            verify(decrypt(notebook, path.read_bytes(), path)).payload
        )
        return data


@pytest.fixture
def review(student: Notebook, mentor: Notebook, tmp_path: Path) -> Review:
    return Review(student, mentor, tmp_path)


# ---------------------------------------------------------------------------- sign-offs


def test_only_the_mentor_signs_off_and_a_sign_off_is_of_one_version(review: Review) -> None:
    student, mentor = review.student, review.mentor
    # the student cannot sign off, not even with the mentor beside: nothing is stored
    with pytest.raises(MentoringError):
        sign_off(student, review.own, date(2026, 4, 2), "MK")
    # nor can the mentor sign off an own case
    with pytest.raises(MentoringError):
        sign_off(mentor, Subject.own(mentor.new_case().id or 0), date(2026, 4, 2), "MK")
    assert counts(student)["case_sign_offs"] == 0

    signed = sign_off(mentor, review.received, date(2026, 4, 2), "MK")
    assert signed.case_version == case_version(student, review.case_id)
    sign_off(mentor, review.received, date(2026, 4, 2), "MK")  # the same twice: kept once
    (state,) = sign_off_states(mentor, review.received)
    assert not state.outdated
    review.back_to_student()
    (arrived,) = sign_off_states(student, review.own)
    assert arrived.record == signed and not arrived.outdated
    assert learning_overview(student).cases_reviewed == 1
    assert learning_overview(student).outdated == ()

    # the student changes a note after the sign-off: outdated at the student's ...
    talk = student.conversations(review.case_id)[1]
    student.save_note(talk.id or 0, Step.ADVISE, "Et andet råd, skrevet efter godkendelsen.")
    (state,) = sign_off_states(student, review.own)
    assert state.outdated
    overview = learning_overview(student)
    assert overview.cases_reviewed == 0
    assert [(case_id, record.day) for case_id, _code, record in overview.outdated] == [
        (review.case_id, date(2026, 4, 2))
    ]
    # ... and at the mentor's once the changed case is sent again
    assert not received_cases(mentor)[0].sign_off_outdated
    review.send_again()
    assert received_cases(mentor)[0].sign_off_outdated
    assert [s.outdated for s in sign_off_states(mentor, review.received)] == [True]
    # the mentor signs the new version off the same day: a second sign-off, current
    sign_off(mentor, review.received, date(2026, 4, 2), "MK")
    assert [s.outdated for s in sign_off_states(mentor, review.received)] == [True, False]
    assert not received_cases(mentor)[0].sign_off_outdated
    review.back_to_student()
    assert [s.outdated for s in sign_off_states(student, review.own)] == [True, False]
    assert learning_overview(student).cases_reviewed == 1

    # an autosave of the same text is no change; undoing a change gives the version back
    version = case_version(student, review.case_id)
    student.save_note(talk.id or 0, Step.LISTEN, talk.notes[Step.LISTEN])
    assert case_version(student, review.case_id) == version
    student.save_note(talk.id or 0, Step.LISTEN, "Ændret.")
    assert case_version(student, review.case_id) != version
    student.save_note(talk.id or 0, Step.LISTEN, talk.notes[Step.LISTEN])
    assert case_version(student, review.case_id) == version


def test_the_case_for_review_carries_the_version_and_its_recipient(review: Review) -> None:
    data = review.payload(review.mentor, review.folder / "case-1.cnreview")
    assert data["case_version"] == case_version(review.student, review.case_id)
    assert data["recipient"] == review.mentor_key and data["format_version"] == 2
    assert "sign_offs" not in data  # only the mentor signs off: none come from a student


# ---------------------------------------------------------------------------- comments


def test_the_mentor_edits_and_deletes_comments_and_it_travels(review: Review) -> None:
    student, mentor, received = review.student, review.mentor, review.received
    refs = conversation_refs(mentor, received)
    kept = add_comment(mentor, received, refs[0], Step.LISTEN, "MK", "Godt lyttet.")
    gone = add_comment(mentor, received, refs[1], None, "MK", "Den her sletter jeg.")
    review.back_to_student()
    assert {c.uid for c in comments(student, review.own)} == {kept.uid, gone.uid}

    # the student answers in the student's notebook and cannot change the mentor's words
    answer_comment(student, review.own, kept.uid, "Tak, jeg ventede med råd.")
    assert not can_change_comments(student) and can_change_comments(mentor)
    with pytest.raises(MentoringError):
        edit_comment(student, review.own, kept.uid, "Ændret af den studerende")
    with pytest.raises(MentoringError):
        delete_comment(student, review.own, kept.uid)

    edited = edit_comment(mentor, received, kept.uid, "Godt lyttet; du lod mor tale færdig.")
    assert edited.edited_at is not None and edited.created_at == kept.created_at
    delete_comment(mentor, received, gone.uid)
    with pytest.raises(MentoringError):
        edit_comment(mentor, received, kept.uid, "   ")
    assert [c.uid for c in comments(mentor, received)] == [kept.uid]
    back = review.back()
    data = review.payload(student, back)
    assert data["deleted"] == [gone.uid]
    arrived = import_review_file(student, back)
    assert arrived.comments_deleted == 1 and comments_changed_text(1, 0) in arrived.sentence()
    (comment,) = comments(student, review.own)
    assert comment.text == "Godt lyttet; du lod mor tale færdig."
    assert comment.answer == "Tak, jeg ventede med råd."  # the student's answer stays
    # the student's next case for review still carried the deleted comment? never again
    review.send_again()
    assert [c.uid for c in comments(mentor, received)] == [kept.uid]
    assert counts(mentor)["deleted_comments"] == 1


def test_an_older_comments_file_does_not_undo_an_edit_or_bring_a_comment_back(
    review: Review, store_clock: SteppedClock
) -> None:
    student, mentor, received = review.student, review.mentor, review.received
    refs = conversation_refs(mentor, received)
    first = add_comment(mentor, received, refs[0], None, "MK", "Første ordlyd.")
    other = add_comment(mentor, received, refs[1], None, "MK", "Forsvinder.")
    old = review.back()
    store_clock.advance(60)
    edit_comment(mentor, received, first.uid, "Anden ordlyd.")
    delete_comment(mentor, received, other.uid)
    new = review.back()
    import_review_file(student, new)
    import_review_file(student, old)  # arrives late
    assert [(c.uid, c.text) for c in comments(student, review.own)] == [
        (first.uid, "Anden ordlyd.")
    ]


def test_the_student_changes_and_takes_back_an_answer_and_it_travels(
    review: Review, store_clock: SteppedClock
) -> None:
    student, mentor, received = review.student, review.mentor, review.received
    comment = add_comment(
        mentor, received, conversation_refs(mentor, received)[0], None, "MK", "Hvorfor?"
    )
    review.back_to_student()
    store_clock.advance(60)
    answer_comment(student, review.own, comment.uid, "Fordi.")
    review.send_again()
    (seen,) = comments(mentor, received)
    assert (seen.answer, seen.status) == ("Fordi.", CommentStatus.ANSWERED)
    store_clock.advance(60)
    answer_comment(student, review.own, comment.uid, "")  # taken back
    review.send_again()
    (seen,) = comments(mentor, received)
    assert (seen.answer, seen.status) == ("", CommentStatus.OPEN)
    # a forged text change in the student's file is not taken by the mentor
    path = review.send()
    data = review.payload(review.mentor, path)
    assert isinstance(data["comments"], list)
    data["comments"][0]["text"] = "Ændret af den studerende"
    data["comments"][0]["edited_at"] = "2026-12-01T10:00:00+00:00"
    data["review_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e48"
    data["sequence"] = int(str(data["sequence"])) + 1
    forged = review.folder / "edited.cnreview"
    from counsellor_app.core.exchange.signing import sign

    forged.write_bytes(encrypt(sign(student, to_json(data)), load_recipient(review.mentor_key)))
    import_review_file(mentor, forged)
    assert comments(mentor, received)[0].text == "Hvorfor?"


def test_an_edited_comment_passes_the_gate_on_its_way_back(review: Review) -> None:
    mentor, received = review.mentor, review.received
    comment = add_comment(
        mentor, received, conversation_refs(mentor, received)[0], None, "MK", "Fint."
    )
    edit_comment(
        mentor, received, comment.uid, "Ring til Mette Jensen, Bakkevej 12, cpr 010203-1234."
    )
    text = json.dumps(review.payload(review.student, review.back()), ensure_ascii=False)
    assert "Mette" not in text and "Bakkevej 12" not in text and "010203-1234" not in text
    assert "Ring til" in text  # the edit itself travels, de-identified
    # a rubric note, too
    rate_conversation(
        mentor,
        received,
        conversation_refs(mentor, received)[0],
        "MK",
        {Step.LISTEN: (RubricLevel.WELL, "Du lyttede godt til Mette Jensen.")},
    )
    text = json.dumps(review.payload(review.student, review.back()), ensure_ascii=False)
    assert "Mette" not in text and "Du lyttede godt" in text


# ---------------------------------------------------------------------------- the rubric


def test_the_rubric_travels_and_shows_over_time(
    student: Notebook, mentor: Notebook, tmp_path: Path, store_clock: SteppedClock
) -> None:
    review = Review(student, mentor, tmp_path)
    received, refs = review.received, conversation_refs(mentor, review.received)
    with pytest.raises(MentoringError):  # only the mentor fills in the rubric
        rate_conversation(student, review.own, refs[0], "MK", {Step.LISTEN: (RubricLevel.WELL, "")})
    with pytest.raises(MentoringError):  # a note without a level
        rate_conversation(mentor, received, refs[0], "MK", {Step.LISTEN: (None, "Hm")})
    with pytest.raises(MentoringError):
        rate_conversation(
            mentor, received, refs[0], "MK", {Step.LISTEN: (RubricLevel.WELL, "x" * 501)}
        )
    rate_conversation(
        mentor,
        received,
        refs[0],
        "MK",
        {
            Step.LISTEN: (RubricLevel.PARTLY, "Afbrød mor to gange."),
            Step.ADVISE: (RubricLevel.NOT_YET, "Rådet kom før problemet var forstået."),
            Step.ALLIANCES: (None, ""),
            Step.FOLLOW_UP: (RubricLevel.WELL, ""),
        },
    )
    rate_conversation(
        mentor,
        received,
        refs[1],
        "MK",
        {Step.LISTEN: (RubricLevel.WELL, "Roligt."), Step.ADVISE: (RubricLevel.EXEMPLARY, "")},
    )
    assert [(r.conversation_number, r.step) for r in rubric(mentor, received)] == [
        (1, Step.LISTEN),
        (1, Step.ADVISE),
        (1, Step.FOLLOW_UP),
        (2, Step.LISTEN),
        (2, Step.ADVISE),
    ]
    back = review.back()
    assert len(review.payload(student, back)["rubric"]) == 5  # type: ignore[arg-type]
    arrived = import_review_file(student, back)
    assert arrived.rubric_changed == 5 and comments_changed_text(0, 5) in arrived.sentence()
    rows = rubric_over_time(student)
    assert [(r.day, r.conversation_number) for r in rows] == [
        (date(2026, 3, 2), 1),
        (date(2026, 3, 9), 2),
    ]
    assert {s: r.level for s, r in rows[0].ratings.items()} == {
        Step.LISTEN: RubricLevel.PARTLY,
        Step.ADVISE: RubricLevel.NOT_YET,
        Step.FOLLOW_UP: RubricLevel.WELL,
    }
    assert rows[1].ratings[Step.ADVISE].level is RubricLevel.EXEMPLARY
    assert rows[0].ratings[Step.LISTEN].note == "Afbrød mor to gange."
    assert rows[0].case_code == student.case(review.case_id).code

    # the mentor changes one rating and takes one back; the same file again changes nothing
    store_clock.advance(60)
    rate_conversation(
        mentor,
        received,
        refs[0],
        "MK",
        {Step.LISTEN: (RubricLevel.WELL, "Bedre ved anden gennemlytning."),
         Step.FOLLOW_UP: (None, "")},
    )  # fmt: skip
    later = review.back()
    assert import_review_file(student, later).rubric_changed == 2
    assert import_review_file(student, back).status == ReviewImportStatus.ALREADY_IMPORTED
    first = rubric_over_time(student)[0].ratings
    assert first[Step.LISTEN].level is RubricLevel.WELL and Step.FOLLOW_UP not in first
    # an older file arriving late does not undo it
    older = tmp_path / "older.cncomments"
    older.write_bytes(back.read_bytes())
    data = review.payload(student, back)
    data["comments_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e49"
    older.write_bytes(
        encrypt(sign_with_mentor(mentor, to_json(data)), load_recipient(ensure_key_pair(student)))
    )
    assert import_review_file(student, older).rubric_changed == 0
    assert rubric_over_time(student)[0].ratings[Step.LISTEN].level is RubricLevel.WELL


def sign_with_mentor(mentor: Notebook, data: bytes) -> bytes:
    from counsellor_app.core.exchange.signing import sign

    return sign(mentor, data)


# ---------------------------------------------------------------------------- recipient, keys


def test_a_file_signed_for_another_recipient_is_refused(
    review: Review, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    """A mentor passes a student's signed case on to a second mentor (re-encrypted, the
    signature intact): refused; a comments file passed on to another student likewise."""
    second, _key = Notebook.create(tmp_path / "second.cnb", PASSPHRASE, kdf=fast_kdf)
    with second:
        second_key = ensure_key_pair(second)
        path = review.send()
        signed = decrypt(review.mentor, path.read_bytes(), path)
        passed = tmp_path / "passed-on.cnreview"
        passed.write_bytes(encrypt(signed, load_recipient(second_key)))
        before = counts(second)
        with pytest.raises(BundleWrongKey) as refused:
            import_review_file(second, passed)
        assert refused.value.reason == "wrong_recipient" and "passed-on.cnreview" in str(
            refused.value
        )
        assert counts(second) == before
    add_comment(
        review.mentor,
        review.received,
        conversation_refs(review.mentor, review.received)[0],
        None,
        "MK",
        "ok",
    )
    back = review.back()
    other, _key = Notebook.create(tmp_path / "s2.cnb", PASSPHRASE, Role.STUDENT, kdf=fast_kdf)
    with other:
        signed = decrypt(review.student, back.read_bytes(), back)
        passed = tmp_path / "passed-on.cncomments"
        passed.write_bytes(encrypt(signed, load_recipient(ensure_key_pair(other))))
        with pytest.raises(BundleWrongKey) as refused:
            import_review_file(other, passed)
        assert refused.value.reason == "wrong_recipient"
    # the genuine recipient imports the same file
    assert import_review_file(review.student, back).comments_added == 1


def test_a_changed_sender_key_is_accepted_only_on_purpose(review: Review, tmp_path: Path) -> None:
    """The mentor moves to a new notebook key: the student's notebook refuses the comments,
    naming both fingerprints, until the student accepts the new key; then the old key is
    the one refused."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    student, mentor = review.student, review.mentor
    add_comment(
        mentor, review.received, conversation_refs(mentor, review.received)[0], None, "MK", "1"
    )
    genuine = review.back()
    review.back_to_student()  # pins the mentor's key for the case
    data = review.payload(student, genuine)
    data["comments_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e50"
    new_key = Ed25519PrivateKey.generate()
    moved = tmp_path / "new-key.cncomments"
    student_key = load_recipient(ensure_key_pair(student))
    moved.write_bytes(encrypt(sign_with(new_key, to_json(data)), student_key))
    before = counts(student)
    with pytest.raises(SenderKeyChanged) as refused:
        import_review_file(student, moved)
    error = refused.value
    assert isinstance(error, BundleNotTrusted) and error.reason == "key_mismatch"
    assert error.pinned and error.fingerprint and error.pinned != error.fingerprint
    assert counts(student) == before
    with pytest.raises(SenderKeyChanged):
        import_review_file(student, moved, accept_keys=frozenset({"AAAA-BBBB-CCCC-DDDD"}))
    accepted = import_review_file(student, moved, accept_keys=frozenset({error.fingerprint}))
    assert accepted.status == ReviewImportStatus.IMPORTED
    # now the old key is the stranger
    data["comments_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e51"
    old = tmp_path / "old-key.cncomments"
    old.write_bytes(encrypt(sign_with_mentor(mentor, to_json(data)), student_key))
    with pytest.raises(SenderKeyChanged) as again:
        import_review_file(student, old)
    assert again.value.pinned == error.fingerprint
