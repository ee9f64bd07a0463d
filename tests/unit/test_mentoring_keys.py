"""A wrong public key names the right person: the mentor for a case for review, the
student for comments sent back, the supervisor for a summary bundle (Danish and English),
on real encrypted notebooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsellor_app.core.domain import Step
from counsellor_app.core.exchange import (
    InvalidPublicKey,
    ensure_key_pair,
    export_bundle,
    write_public_key_file,
)
from counsellor_app.core.exchange.common import KeyHolder, read_public_key
from counsellor_app.core.i18n import set_language
from counsellor_app.core.mentoring import (
    export_case_for_review,
    export_comments,
    import_review_file,
)
from counsellor_app.core.store import Notebook

LANGUAGES = ("da", "en")
#: How each language names the person to ask (and the ones it must not name).
NAMED = {
    ("da", KeyHolder.MENTOR): "din mentor",
    ("en", KeyHolder.MENTOR): "your mentor",
    ("da", KeyHolder.STUDENT): "den studerende",
    ("en", KeyHolder.STUDENT): "the student",
    ("da", KeyHolder.SUPERVISOR): "din supervisor",
    ("en", KeyHolder.SUPERVISOR): "your supervisor",
}


def names_only(text: str, language: str, holder: KeyHolder) -> None:
    """``text`` tells the user to ask ``holder``, and nobody else."""
    assert NAMED[language, holder] in text.lower()
    for other in KeyHolder:
        if other is not holder:
            assert NAMED[language, other] not in text.lower()
    assert "supervisor" not in text.lower() or holder is KeyHolder.SUPERVISOR


@pytest.fixture
def case_id(student: Notebook) -> int:
    case = student.new_case(themes=["school_absence"])
    assert case.id is not None
    talk = student.new_conversation(case.id)
    assert talk.id is not None
    student.save_note(talk.id, Step.LISTEN, "Mor fortæller om morgenerne.")
    return case.id


def bad_key_files(folder: Path) -> dict[str, Path]:
    """A key file holding no key, one holding a broken key, and a secret key by mistake."""
    files = {
        "empty.pub": "",
        "note.pub": "Her er min nøgle\n",
        "broken.pub": "# Offentlig nøgle\nage1notakey\n",
        "secret.pub": "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n",
    }
    made = {}
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        made[name] = path
    return made


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_key_file_for_a_case_for_review_names_the_mentor(
    student: Notebook, case_id: int, tmp_path: Path, language: str, language_of_test: None
) -> None:
    out = tmp_path / "case.cnreview"
    set_language(language)
    for name, path in bad_key_files(tmp_path).items():
        with pytest.raises(InvalidPublicKey) as caught:
            export_case_for_review(student, case_id, path, out)
        assert name in str(caught.value)
        names_only(str(caught.value), language, KeyHolder.MENTOR)
    # a pasted text that is no key, as typed into the dialog's field
    with pytest.raises(InvalidPublicKey) as caught:
        export_case_for_review(student, case_id, "age1-fra-min-mentor", out)
    names_only(str(caught.value), language, KeyHolder.MENTOR)
    # a file that is not there names the path (nobody to ask: it is the student's choice)
    with pytest.raises(InvalidPublicKey) as caught:
        export_case_for_review(student, case_id, tmp_path / "gone.pub", out)
    assert "gone.pub" in str(caught.value)
    assert not out.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_key_for_comments_names_the_student(
    student: Notebook,
    mentor: Notebook,
    case_id: int,
    tmp_path: Path,
    language: str,
    language_of_test: None,
) -> None:
    review = tmp_path / "case.cnreview"
    export_case_for_review(student, case_id, ensure_key_pair(mentor), review)
    subject = import_review_file(mentor, review).subject
    assert subject is not None and not subject.is_own
    out = tmp_path / "comments.cncomments"
    set_language(language)
    for name, path in bad_key_files(tmp_path).items():
        with pytest.raises(InvalidPublicKey) as caught:
            export_comments(mentor, subject.id, out, path)
        assert name in str(caught.value)
        names_only(str(caught.value), language, KeyHolder.STUDENT)
    with pytest.raises(InvalidPublicKey) as caught:
        export_comments(mentor, subject.id, out, "age1ikke-en-nøgle")
    names_only(str(caught.value), language, KeyHolder.STUDENT)
    assert not out.exists()
    # the key the case carried still works
    assert export_comments(mentor, subject.id, out).path == out


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_key_file_for_a_summary_bundle_still_names_the_supervisor(
    student: Notebook, case_id: int, tmp_path: Path, language: str, language_of_test: None
) -> None:
    out = tmp_path / "bundle.cnbundle"
    set_language(language)
    for name, path in bad_key_files(tmp_path).items():
        with pytest.raises(InvalidPublicKey) as caught:
            export_bundle(student, path, out)
        assert name in str(caught.value)
        names_only(str(caught.value), language, KeyHolder.SUPERVISOR)
    assert not out.exists()


def test_a_good_key_is_read_alike_for_everyone(mentor: Notebook, tmp_path: Path) -> None:
    key = ensure_key_pair(mentor)
    pub = tmp_path / "mentor.pub"
    write_public_key_file(key, pub)
    for holder in KeyHolder:
        assert str(read_public_key(pub, holder)) == key
        assert str(read_public_key(key, holder)) == key
        assert str(read_public_key("  " + key.upper() + "\n", holder)) == key
        recipient = read_public_key(key, holder)
        assert read_public_key(recipient, holder) is recipient


def test_an_unreadable_key_file_is_named(tmp_path: Path) -> None:
    binary = tmp_path / "photo.pub"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    folder = tmp_path / "a-folder.pub"
    folder.mkdir()
    for path in (binary, folder):
        with pytest.raises(InvalidPublicKey, match=path.name):
            read_public_key(path, KeyHolder.MENTOR)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_word_typed_where_the_key_goes_is_no_key_not_a_missing_file(
    tmp_path: Path, language: str, language_of_test: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "hello" in the key field is not a file that is missing: the sentence says it is no
    public key (one starts with "age1") and names whom to ask, as for a pasted key."""
    monkeypatch.chdir(tmp_path)  # "hello" is looked for as a file in the working folder
    set_language(language)
    for holder in KeyHolder:
        for typed in ("hello", "  hello \n", "min nøgle"):
            with pytest.raises(InvalidPublicKey) as caught:
                read_public_key(typed, holder)
            said = str(caught.value)
            assert '"age1"' in said and "hello" not in said
            names_only(said, language, holder)
            with pytest.raises(InvalidPublicKey) as pasted:
                read_public_key("age1-not-a-key", holder)
            assert said == str(pasted.value)
    # what reads as a path still says the file is missing, naming it
    for path in ("mentor.pub", "keys/mentor.pub", str(tmp_path / "gone"), "~/mentor"):
        with pytest.raises(InvalidPublicKey) as caught:
            read_public_key(path, KeyHolder.MENTOR)
        assert Path(path).name in str(caught.value) and '"age1"' not in str(caught.value)
    # and a file that is there is read, whatever its name
    (tmp_path / "hello").write_text("Her er min nøgle\n", encoding="utf-8")
    with pytest.raises(InvalidPublicKey) as caught:
        read_public_key("hello", KeyHolder.MENTOR)
    assert "hello" in str(caught.value)  # "hello holds no public key ..."
