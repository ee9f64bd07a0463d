"""The demo data: realistic, varied, anonymous and consistent with the store's rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from counsellor_app.core.anonymity import IdentifierKind, find_identifiers
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import CaseStatus, Step
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook

FORBIDDEN = {
    IdentifierKind.CPR,
    IdentifierKind.PHONE,
    IdentifierKind.EMAIL,
    IdentifierKind.ADDRESS,
    IdentifierKind.NAME,
}


@pytest.fixture
def notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Notebook]:
    monkeypatch.setenv("COUNSELLOR_APP_HOME", str(tmp_path))
    book, _ = Notebook.create(tmp_path / "demo.cnb", "pw", kdf=KdfParams(1, 8192, 1))
    seen: list[int] = []
    fill_demo(book, 50, seed=7, progress=seen.append)
    assert seen == [50]
    yield book
    book.close()


def test_count_and_conversations(notebook: Notebook) -> None:
    assert notebook.case_count() == 50
    complete = 0
    total = 0
    for case_id in notebook.find_case_ids():
        conversations = notebook.conversations(case_id)
        assert 1 <= len(conversations) <= 4
        starts = [c.started_at for c in conversations]
        assert starts == sorted(starts)
        for conversation in conversations:
            total += 1
            assert conversation.notes[Step.LISTEN] and conversation.notes[Step.ADVISE]
            complete += len(conversation.steps_covered()) == 4
            for text in conversation.notes.values():
                assert not text or 100 <= len(text) <= 600
    assert complete >= 0.7 * total


def test_varied_structured_fields(notebook: Notebook) -> None:
    cases = [notebook.case(i) for i in notebook.find_case_ids()]
    assert len({theme for case in cases for theme in case.themes}) >= 8
    assert len({case.caller_role for case in cases}) >= 3
    assert len({case.age_band for case in cases}) >= 4
    assert {case.status for case in cases} == set(CaseStatus)
    assert any(case.known_by for case in cases)
    assert all(case.arenas for case in cases)


def test_latest_wellbeing_and_status_rules(notebook: Notebook) -> None:
    for summary in notebook.search():
        conversations = notebook.conversations(summary.id)
        assessed = [c for c in conversations if c.wellbeing]
        expected = assessed[-1].overall_wellbeing() if assessed else None
        assert summary.latest_wellbeing == expected
        changes = notebook.status_changes(summary.id)
        assert changes[0].old is None and changes[-1].new is summary.status
        if summary.status is CaseStatus.CLOSED:
            assert notebook.callback(summary.id) is None
        phone = notebook.callback(summary.id)
        if phone:
            assert len(phone) == 8 and phone[0] in "25"


def test_search_finds_danish_words(notebook: Notebook) -> None:
    for word in ("skole", "bekymret", "søvn", "rutiner"):
        assert notebook.find_case_ids(word), word
    code = notebook.case(notebook.find_case_ids()[0]).code
    assert notebook.find_case_ids(code)


def test_notes_are_anonymous(notebook: Notebook) -> None:
    texts: list[str] = []
    for case_id in notebook.find_case_ids():
        for conversation in notebook.conversations(case_id):
            texts += conversation.notes.values()
        for alliance in notebook.alliances(case_id):
            texts += [alliance.role, alliance.agreed]
        for follow_up in notebook.follow_ups(case_id):
            texts += [follow_up.counsellor_task, follow_up.parent_task, follow_up.others_task]
        texts += [concern.reasoning for concern in notebook.concerns(case_id)]
    flagged = [
        (finding.kind, text[finding.start : finding.end])
        for text in texts
        for finding in find_identifiers(text)
        if finding.kind in FORBIDDEN
    ]
    assert flagged == []


def test_agenda_and_wellbeing_trajectories(notebook: Notebook) -> None:
    agenda = notebook.agenda()
    assert sum(len(items) for items in agenda.values()) > 0
    assert all(item.case_status is CaseStatus.AWAITING_FOLLOW_UP for item in agenda["overdue"])
    trajectories = [notebook.wellbeing_trajectory(i) for i in notebook.find_case_ids()]
    assert sum(len(t) >= 2 for t in trajectories) >= 5


def test_same_seed_same_structure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNSELLOR_APP_HOME", str(tmp_path))
    rows = []
    for name in ("a.cnb", "b.cnb"):
        book, _ = Notebook.create(tmp_path / name, "pw", kdf=KdfParams(1, 8192, 1))
        with book:
            fill_demo(book, 20, seed=3)
            rows.append(
                json.dumps(book.query("SELECT code, themes, arenas FROM cases ORDER BY id"))
            )
    assert rows[0] == rows[1]
