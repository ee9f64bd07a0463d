"""A search of several words, one of them in no note of the window (a case code typed,
"K-7F", or a rare word), finds what the full search finds: the notebook's index is asked
about the rare word alone first, and only a word in no note at all ends the search early."""

from __future__ import annotations

import pytest

from counsellor_app.core.domain import Step
from counsellor_app.core.search import CaseSearch
from counsellor_app.core.store import Notebook


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CaseSearch, "window", 5)
    monkeypatch.setattr("counsellor_app.core.search.WINDOW_STEP", 3)


def typed(notebook: Notebook, text: str) -> None:
    """Every keystroke of ``text``: the first screenful, then the rest, as the full search."""
    for end in range(1, len(text) + 1):
        matches = notebook.search_cases(text[:end], None, 4)
        want = notebook.find_case_ids(text[:end])
        assert matches.ids == want[: len(matches.ids)], text[:end]
        assert len(matches.ids) >= min(4, len(want))
        notebook.more_cases(matches)
        assert matches.ids == want, text[:end]


def test_a_word_only_in_old_notes_is_found_beyond_the_window(
    notebook: Notebook, small_window: None
) -> None:
    old = notebook.new_case()
    talk = notebook.new_conversation(old.id)
    notebook.save_note(talk.id, Step.LISTEN, "Mor ringer om zebrafinken og kl. 7 i skolen.")
    for _ in range(12):  # newer cases fill the window; the old one is far below it
        case = notebook.new_case()
        other = notebook.new_conversation(case.id)
        notebook.save_note(other.id, Step.LISTEN, "Mor ringer om skolen og søvnen.")
    notebook.prepare_search()
    typed(notebook, "mor zebrafinken")
    typed(notebook, "skolen 7")
    assert old.id in notebook.find_case_ids("mor zebra")
    typed(notebook, "mor gnu")  # in no note at all
    assert notebook.find_case_ids("mor gnu") == []
    typed(notebook, old.code)  # "K-…": the code's words are in no note, its case is found
    assert notebook.find_case_ids(old.code) == [old.id]
