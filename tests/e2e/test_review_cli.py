"""review-export, review-import, comments-export and review-list as separate processes:
a student's case to the mentor and the mentor's comments back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pyrage import x25519

from counsellor_app.core.domain import Step
from counsellor_app.core.exchange.crypto import decrypt
from counsellor_app.core.exchange.signing import verify
from counsellor_app.core.mentoring import (
    CommentStatus,
    RubricLevel,
    Subject,
    add_comment,
    comments,
    conversation_refs,
    rate_conversation,
    received_cases,
    sign_off,
    sign_offs,
)
from counsellor_app.core.store import Notebook
from tests.e2e.helpers import run

PW = "pw-pw-pw-pw\n"


def test_review_round_trip_on_the_command_line(tmp_path: Path, home: Path) -> None:
    student = tmp_path / "student.cnb"
    mentor = tmp_path / "mentor.cnb"
    assert run("init", str(student), "--role", "student", stdin=PW, home=home).returncode == 0
    assert run("init", str(mentor), stdin=PW, home=home).returncode == 0
    shown = run("public-key", str(mentor), stdin=PW, home=home)
    assert shown.returncode == 0, shown.stderr
    mentor_pub = tmp_path / "mentor.pub"

    with Notebook.open(student, "pw-pw-pw-pw") as notebook:
        case = notebook.new_case(themes=["anxiety"])
        case_id = case.id or 0
        talk_ids = []
        for day, text in enumerate(["Mor ringer om Mette på 9 år.", "Det går bedre."]):
            talk = notebook.new_conversation(case_id)
            notebook.save_note(talk.id or 0, Step.LISTEN, text)
            notebook.save_note(talk.id or 0, Step.ADVISE, f"Råd nummer {day + 1}.")
            talk_ids.append(talk.id)
        notebook.set_callback(case_id, "22 33 44 55")
        code = case.code

    review = tmp_path / "case.cnreview"
    exported = run(
        "review-export",
        str(student),
        code.lower().replace("-", ""),  # as typed: k7f3q
        "--to",
        str(mentor_pub),
        "--out",
        str(review),
        "--initials",
        "AB",
        stdin=PW,
        home=home,
    )
    assert exported.returncode == 0, exported.stderr
    assert str(review) in exported.stdout and "Identifikatorer erstattet" in exported.stdout
    assert "2 samtaler, 0 kommentarer, 0 refleksioner." in exported.stdout  # counted words
    ref = next(word for word in exported.stdout.split() if word.startswith("R-")).rstrip(":")

    imported = run("--lang", "en", "review-import", str(mentor), str(review), stdin=PW, home=home)
    assert imported.returncode == 0, imported.stderr
    assert ref in imported.stdout and "(2 conversations)" in imported.stdout
    again = run("--lang", "en", "review-import", str(mentor), str(review), stdin=PW, home=home)
    assert again.returncode == 0 and "already imported" in again.stdout
    listed = run("review-list", str(mentor), stdin=PW, home=home)
    assert listed.returncode == 0 and ref in listed.stdout and "AB" in listed.stdout

    with Notebook.open(mentor, "pw-pw-pw-pw") as notebook:
        (received,) = received_cases(notebook)
        text = verify(decrypt(notebook, review.read_bytes(), review)).payload.decode("utf-8")
        assert "Mette" not in text and code not in text and "22 33 44 55" not in text
        subject = received.subject
        refs = conversation_refs(notebook, subject)
        add_comment(notebook, subject, refs[1], Step.ADVISE, "MK", "Hvilket råd præcist?")
        add_comment(notebook, subject, refs[0], None, "MK", "God start.")
        sign_off(notebook, subject, date(2026, 4, 2), "MK")

    back = tmp_path / "comments.cncomments"
    sent = run(
        "--lang",
        "en",
        "comments-export",
        str(mentor),
        ref.lower(),
        "--out",
        str(back),
        stdin=PW,
        home=home,
    )
    assert sent.returncode == 0, sent.stderr
    assert "2 comments and 1 sign-off," in sent.stdout

    arrived = run("--lang", "en", "review-import", str(student), str(back), stdin=PW, home=home)
    assert arrived.returncode == 0, arrived.stderr
    assert code in arrived.stdout and "2 new comments, 0 updated; 1 new sign-off." in arrived.stdout
    todo = run("--lang", "en", "review-list", str(student), stdin=PW, home=home)
    assert todo.returncode == 0 and "Hvilket råd præcist?" in todo.stdout
    assert "comments open: 2" in todo.stdout

    with Notebook.open(student, "pw-pw-pw-pw") as notebook:
        found = comments(notebook, Subject.own(case_id))
        rows = dict(notebook.query("SELECT text, conversation_id FROM mentor_comments"))
        assert rows == {"Hvilket råd præcist?": talk_ids[1], "God start.": talk_ids[0]}
        assert {c.text: c.step for c in found} == {"Hvilket råd præcist?": Step.ADVISE,
                                                   "God start.": None}  # fmt: skip
        assert all(c.status is CommentStatus.OPEN for c in found)
        assert [s.mentor for s in sign_offs(notebook, Subject.own(case_id))] == ["MK"]

    # the case for review is not for the student's key: refused in one line, naming it
    wrong = run("--lang", "en", "review-import", str(student), str(review), stdin=PW, home=home)
    assert wrong.returncode == 1
    lines = wrong.stderr.strip().splitlines()
    assert len(lines) == 1 and "case.cnreview" in lines[0] and "key" in lines[0]
    assert "Traceback" not in wrong.stderr


def test_review_export_refuses_an_unknown_case_and_a_bad_key(tmp_path: Path, home: Path) -> None:
    student = tmp_path / "s.cnb"
    assert run("init", str(student), "--role", "student", stdin=PW, home=home).returncode == 0
    bad = tmp_path / "bad.pub"
    bad.write_text("nope\n", encoding="utf-8")
    out = tmp_path / "x.cnreview"
    result = run(
        "review-export", str(student), "K-2222", "--to", str(bad), "--out", str(out), home=home
    )
    assert result.returncode == 1 and "bad.pub" in result.stderr and not out.exists()
    key = str(x25519.Identity.generate().to_public())
    unknown = run(
        "--lang",
        "en",
        "review-export",
        str(student),
        "K-2222",
        "--to",
        key,
        "--out",
        str(out),
        stdin=PW,
        home=home,
    )
    assert unknown.returncode == 1, unknown.stderr
    assert "K-2222" in unknown.stderr and not out.exists()
    missing = run("--lang", "en", "comments-export", str(student), "R-ABCD", "--out", str(out),
                  stdin=PW, home=home)  # fmt: skip
    assert missing.returncode == 1 and "R-ABCD" in missing.stderr


def test_sign_offs_outdated_and_the_rubric_on_the_command_line(tmp_path: Path, home: Path) -> None:
    """A mentor scripts the review: the mentor's key file speaks of students, the listing
    marks a sign-off the case has outgrown, review-rubric prints the rubric on both sides."""
    student = tmp_path / "student.cnb"
    mentor = tmp_path / "mentor.cnb"
    assert run("init", str(student), "--role", "student", stdin=PW, home=home).returncode == 0
    assert run("init", str(mentor), stdin=PW, home=home).returncode == 0
    shown = run("--lang", "en", "public-key", str(mentor), stdin=PW, home=home)
    assert shown.returncode == 0 and "your students" in shown.stdout
    mentor_pub = tmp_path / "mentor.pub"
    assert "give it to students" in mentor_pub.read_text(encoding="utf-8")
    with Notebook.open(student, "pw-pw-pw-pw") as notebook:
        case = notebook.new_case(themes=["anxiety"])
        talk = notebook.new_conversation(case.id or 0)
        notebook.save_note(talk.id or 0, Step.LISTEN, "Mor fortæller om morgenerne.")
        code, talk_id = case.code, talk.id or 0

    def review_export(name: str) -> Path:
        out = tmp_path / name
        made = run("review-export", str(student), code, "--to", str(mentor_pub), "--out",
                   str(out), stdin=PW, home=home)  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert run("review-import", str(mentor), str(out), stdin=PW, home=home).returncode == 0
        return out

    review_export("1.cnreview")
    with Notebook.open(mentor, "pw-pw-pw-pw") as notebook:
        (received,) = received_cases(notebook)
        subject = received.subject
        ref = conversation_refs(notebook, subject)[0]
        sign_off(notebook, subject, date(2026, 4, 2), "MK")
        rate_conversation(notebook, subject, ref, "MK",
                          {Step.LISTEN: (RubricLevel.WELL, "Roligt"),
                           Step.ADVISE: (RubricLevel.NOT_YET, "")})  # fmt: skip
        shown_ref = received.ref
    listed = run("--lang", "en", "review-list", str(mentor), stdin=PW, home=home)
    assert "signed off: 2026-04-02" in listed.stdout and "outdated" not in listed.stdout
    rated = run("--lang", "en", "review-rubric", str(mentor), shown_ref, stdin=PW, home=home)
    assert rated.returncode == 0, rated.stderr
    assert rated.stdout.splitlines() == [
        f"{shown_ref}\t1\tListen\tWell\tRoligt",
        f"{shown_ref}\t1\tAdvise\tNot yet\t",
    ]
    back = tmp_path / "back.cncomments"
    assert run("comments-export", str(mentor), shown_ref, "--out", str(back), stdin=PW,
               home=home).returncode == 0  # fmt: skip
    arrived = run("--lang", "en", "review-import", str(student), str(back), stdin=PW, home=home)
    assert "2 rubric ratings" in arrived.stdout
    rubric_lines = run("--lang", "en", "review-rubric", str(student), stdin=PW, home=home)
    day = rubric_lines.stdout.split("\t")[0]
    assert rubric_lines.stdout.splitlines() == [
        f"{day}\t{code}\t1\tListen\tWell\tRoligt",
        f"{day}\t{code}\t1\tAdvise\tNot yet\t",
    ]

    # the student changes the case after the sign-off: outdated on both sides
    with Notebook.open(student, "pw-pw-pw-pw") as notebook:
        notebook.save_note(talk_id, Step.ADVISE, "Et råd skrevet efter godkendelsen.")
    todo = run("--lang", "en", "review-list", str(student), stdin=PW, home=home)
    assert f"{code}: signed off on 2026-04-02 by MK; the case has changed since." in todo.stdout
    assert "Cases reviewed: 0 of 1" in todo.stdout
    review_export("2.cnreview")
    listed = run("--lang", "en", "review-list", str(mentor), stdin=PW, home=home)
    assert "signed off: 2026-04-02 (outdated)" in listed.stdout


def test_a_senders_new_key_is_refused_until_accepted_by_its_fingerprint(
    tmp_path: Path, home: Path
) -> None:
    """The mentor's comments signed by a new key: review-import refuses them in one line
    naming the file and the new fingerprint; with --accept-key and that fingerprint they
    are imported (the explicit act of a key change)."""
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from counsellor_app.core.exchange import ensure_key_pair
    from counsellor_app.core.exchange.common import load_recipient
    from counsellor_app.core.exchange.crypto import encrypt
    from counsellor_app.core.exchange.signing import fingerprint, sign_with
    from counsellor_app.core.mentoring import export_case_for_review, export_comments
    from counsellor_app.core.mentoring import import_review_file as import_file
    from counsellor_app.core.mentoring.format import to_json

    student = tmp_path / "student.cnb"
    mentor = tmp_path / "mentor.cnb"
    assert run("init", str(student), "--role", "student", stdin=PW, home=home).returncode == 0
    assert run("init", str(mentor), stdin=PW, home=home).returncode == 0
    with (
        Notebook.open(student, "pw-pw-pw-pw") as s_nb,
        Notebook.open(mentor, "pw-pw-pw-pw") as m_nb,
    ):
        case = s_nb.new_case(themes=["anxiety"])
        talk = s_nb.new_conversation(case.id or 0)
        s_nb.save_note(talk.id or 0, Step.LISTEN, "Mor fortæller om morgenerne.")
        review = tmp_path / "case.cnreview"
        export_case_for_review(s_nb, case.id or 0, ensure_key_pair(m_nb), review)
        subject = import_file(m_nb, review).subject
        assert subject is not None
        add_comment(m_nb, subject, conversation_refs(m_nb, subject)[0], None, "MK", "Først.")
        first = tmp_path / "first.cncomments"
        export_comments(m_nb, subject.id, first)
        import_file(s_nb, first)  # pins the mentor's key
        data = json.loads(verify(decrypt(s_nb, first.read_bytes(), first)).payload)
        data["comments_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e53"
        new_key = Ed25519PrivateKey.generate()
        moved = tmp_path / "moved.cncomments"
        moved.write_bytes(
            encrypt(sign_with(new_key, to_json(data)), load_recipient(ensure_key_pair(s_nb)))
        )
        new = fingerprint(new_key.public_key().public_bytes_raw())
    refused = run("--lang", "en", "review-import", str(student), str(moved), stdin=PW, home=home)
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert "moved.cncomments" in line and new in line
    accepted = run("--lang", "en", "review-import", str(student), str(moved), "--accept-key",
                   new.lower(), stdin=PW, home=home)  # fmt: skip
    assert accepted.returncode == 0, accepted.stderr
    assert "moved.cncomments: comments on case" in accepted.stdout
