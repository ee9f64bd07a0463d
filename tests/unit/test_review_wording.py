"""Counts in the sentences about review files read right in Danish and English: "1
conversation", "2 conversations" (never "1 conversations"), on real encrypted notebooks
and real review files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from counsellor_app.core.domain import Step
from counsellor_app.core.exchange import ensure_key_pair
from counsellor_app.core.i18n import set_language
from counsellor_app.core.mentoring import (
    Subject,
    add_comment,
    comments_received_text,
    conversation_refs,
    export_case_for_review,
    export_comments,
    import_review_file,
    preview_case_for_review,
    review_contents_text,
    sign_off,
    sign_offs_text,
)
from counsellor_app.core.store import Notebook

#: language -> (what leaves for 1, 0, 0), (for 2, 1, 2), (for 0, 2, 1)
CONTENTS = {
    "da": (
        "1 samtale, 0 kommentarer, 0 refleksioner",
        "2 samtaler, 1 kommentar, 2 refleksioner",
        "0 samtaler, 2 kommentarer, 1 refleksion",
    ),
    "en": (
        "1 conversation, 0 comments, 0 reflections",
        "2 conversations, 1 comment, 2 reflections",
        "0 conversations, 2 comments, 1 reflection",
    ),
}


@pytest.fixture
def case_id(student: Notebook) -> int:
    """A case of one conversation (the tester's: "1 samtaler")."""
    case = student.new_case(themes=["school_absence"])
    assert case.id is not None
    talk = student.new_conversation(case.id)
    assert talk.id is not None
    student.save_note(talk.id, Step.LISTEN, "Far ringer om sønnen, der spiller hele natten.")
    return case.id


@pytest.mark.parametrize("language", ["da", "en"])
def test_counted_words(language: str, language_of_test: None) -> None:
    set_language(language)
    one, two, three = CONTENTS[language]
    assert review_contents_text(1, 0, 0) == one
    assert review_contents_text(2, 1, 2) == two
    assert review_contents_text(0, 2, 1) == three
    assert sign_offs_text(1) == {"da": "1 godkendelse", "en": "1 sign-off"}[language]
    assert (
        comments_received_text(1, 0, 2)
        == {
            "da": "1 ny kommentar, 0 opdaterede; 2 nye godkendelser",
            "en": "1 new comment, 0 updated; 2 new sign-offs",
        }[language]
    )
    assert (
        comments_received_text(2, 1, 1)
        == {
            "da": "2 nye kommentarer, 1 opdateret; 1 ny godkendelse",
            "en": "2 new comments, 1 updated; 1 new sign-off",
        }[language]
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_what_a_review_file_brought_is_said_with_counted_words(
    student: Notebook,
    mentor: Notebook,
    case_id: int,
    tmp_path: Path,
    language: str,
    language_of_test: None,
) -> None:
    set_language(language)
    preview = preview_case_for_review(student, case_id, student="AB")
    assert (
        review_contents_text(
            preview.conversation_count, preview.comment_count, preview.reflection_count
        )
        == CONTENTS[language][0]
    )

    review = tmp_path / "case.cnreview"
    export_case_for_review(student, case_id, ensure_key_pair(mentor), review)
    arrived = import_review_file(mentor, review)
    said = arrived.sentence()
    assert said.startswith("case.cnreview: ") and arrived.title in said
    assert {"da": "(1 samtale)", "en": "(1 conversation)"}[language] in said
    assert "samtaler" not in said and "conversations" not in said

    subject = arrived.subject
    assert subject is not None
    add_comment(mentor, subject, conversation_refs(mentor, subject)[0], None, "MK", "Godt.")
    sign_off(mentor, subject, date(2026, 4, 2), "MK")
    back = tmp_path / "back.cncomments"
    export_comments(mentor, subject.id, back)
    answered = import_review_file(student, back)
    assert answered.subject == Subject.own(case_id)
    assert (
        answered.sentence()
        == {
            "da": f"back.cncomments: kommentarer til sag {answered.title}: 1 ny kommentar, "
            "0 opdaterede; 1 ny godkendelse.",
            "en": f"back.cncomments: comments on case {answered.title}: 1 new comment, "
            "0 updated; 1 new sign-off.",
        }[language]
    )
    again = import_review_file(student, back).sentence()
    assert again.startswith("back.cncomments: ") and "1" not in again  # nothing new
