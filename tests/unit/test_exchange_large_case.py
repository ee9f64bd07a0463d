"""A case of more than a thousand conversations leaves and arrives whole: as a summary
bundle to the supervisor and as a case for review to the mentor (and the comments back),
on real encrypted notebooks, read back by the import side.

A case held 1,000 conversations at most in a file (a count limit of the format's
reader, which the export checks its file against), so the export of a case of 1,200 failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.mentoring import (
    Subject,
    add_comment,
    comments,
    conversation_refs,
    export_case_for_review,
    export_comments,
    import_review_file,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundles, read_bundle
from tests.helpers import PASSPHRASE

CONVERSATIONS = 1_200
FIRST = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


def long_case(notebook: Notebook) -> int:
    """A case of :data:`CONVERSATIONS` conversations, each with a Listen note of its own."""
    case = notebook.new_case(themes=["school_absence"], arenas=["school"])
    assert case.id is not None
    with notebook.transaction():  # one transaction: the store's calls join it
        for number in range(CONVERSATIONS):
            talk = notebook.new_conversation(case.id, started_at=FIRST + timedelta(hours=number))
            assert talk.id is not None
            notebook.save_note(talk.id, Step.LISTEN, f"Samtale {number + 1} om morgenerne.")
    return case.id


def make(tmp_path: Path, name: str, role: Role, kdf: KdfParams) -> Notebook:
    return Notebook.create(tmp_path / f"{name}.cnb", PASSPHRASE, role, kdf=kdf)[0]


@pytest.fixture
def counsellor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    with make(tmp_path, "counsellor", Role.STUDENT, fast_kdf) as notebook:
        yield notebook


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    with make(tmp_path, "supervisor", Role.SUPERVISOR, fast_kdf) as notebook:
        yield notebook


def test_a_summary_bundle_of_a_case_of_1200_conversations(
    counsellor: Notebook, supervisor: Notebook, tmp_path: Path
) -> None:
    long_case(counsellor)
    key = ensure_key_pair(supervisor)
    out = tmp_path / "til-supervisor.cnbundle"
    result = export_bundle(counsellor, key, out)
    assert result.case_count == 1 and result.conversation_count == CONVERSATIONS
    bundle, _digest, _signer = read_bundle(supervisor, out)  # decrypted and read back
    (case,) = bundle.cases
    assert len(case.conversations) == CONVERSATIONS
    assert case.conversations[-1].summary[Step.LISTEN] == f"Samtale {CONVERSATIONS} om morgenerne."
    report = import_bundles(supervisor, [out], accept_new=True)
    (imported,) = report.imported
    assert imported.cases_added == 1 and imported.conversations == CONVERSATIONS
    (count,) = supervisor.query("SELECT count(*) FROM imported_conversations")[0]
    assert count == CONVERSATIONS


def test_a_case_of_1200_conversations_for_review_and_the_comments_back(
    counsellor: Notebook, mentor: Notebook, tmp_path: Path
) -> None:
    case_id = long_case(counsellor)
    review = tmp_path / "case.cnreview"
    sent = export_case_for_review(counsellor, case_id, ensure_key_pair(mentor), review)
    assert sent.conversation_count == CONVERSATIONS
    arrived = import_review_file(mentor, review)
    assert arrived.conversations == CONVERSATIONS and arrived.subject is not None
    refs = conversation_refs(mentor, arrived.subject)
    assert len(refs) == CONVERSATIONS
    add_comment(mentor, arrived.subject, refs[-1], Step.LISTEN, "MK", "Godt lyttet.")
    back = export_comments(mentor, arrived.subject.id, tmp_path / "back.cncomments")
    assert back.comment_count == 1
    assert import_review_file(counsellor, back.path).comments_added == 1
    (comment,) = comments(counsellor, Subject.own(case_id))
    assert comment.conversation_number == CONVERSATIONS and comment.text == "Godt lyttet."
