"""The store's part of the live call: the call in progress and its length so far, drafts
of forms typed during a call, and discarding an empty call."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counsellor_app.core.domain import FollowUp, Step
from counsellor_app.core.store import Notebook
from tests.helpers import FAST_KDF


def make(tmp_path: Path) -> Notebook:
    return Notebook.create(tmp_path / "n.cnb", "pw-pw-pw-pw", kdf=FAST_KDF)[0]


def test_the_live_call_and_its_length_so_far_are_kept(tmp_path: Path) -> None:
    with make(tmp_path) as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        assert notebook.live_call() is None
        notebook.set_live_call(talk.id, 95)
        assert notebook.live_call() == talk.id
        assert notebook.conversation(talk.id).duration_seconds == 95
        notebook.set_live_call(None)
        assert notebook.live_call() is None
        assert notebook.conversation(talk.id).duration_seconds == 95


def test_drafts_are_kept_listed_and_deleted(tmp_path: Path) -> None:
    with make(tmp_path) as notebook:
        case = notebook.new_case()
        other = notebook.new_case()
        notebook.save_draft("concern", case.id, {"reasoning": "Far drikker."})
        notebook.save_draft("alliance:new", case.id, {"agreed": "Møde"})
        notebook.save_draft("concern", other.id, {"reasoning": "x"})
        assert notebook.draft("concern", case.id) == {"reasoning": "Far drikker."}
        assert notebook.draft_kinds(case.id) == ["alliance:new", "concern"]
        notebook.delete_draft("concern", case.id)
        assert notebook.draft("concern", case.id) is None
        assert notebook.draft_kinds(other.id) == ["concern"]


def test_only_an_empty_call_is_discarded_and_a_case_it_made_goes_with_it(
    tmp_path: Path,
) -> None:
    with make(tmp_path) as notebook:
        wrong_number = notebook.new_case()
        talk = notebook.new_conversation(wrong_number.id)
        notebook.set_live_call(talk.id, 8)
        assert notebook.discard_conversation(talk.id)
        assert notebook.case_by_code(wrong_number.code) is None
        assert notebook.live_call() is None

        case = notebook.new_case(themes=["anxiety"])
        first = notebook.new_conversation(case.id)
        notebook.save_note(first.id, Step.LISTEN, "Mor er bekymret.")
        assert not notebook.discard_conversation(first.id)  # it has notes
        second = notebook.new_conversation(case.id)
        notebook.save_follow_up(FollowUp(case.id, date.today(), conversation_id=second.id))
        assert not notebook.discard_conversation(second.id)  # a follow-up agreed in it
        third = notebook.new_conversation(case.id)
        assert notebook.discard_conversation(third.id)
        assert [c.id for c in notebook.conversations(case.id)] == [first.id, second.id]


def test_a_correction_is_recorded_with_its_steps_and_never_the_old_text(tmp_path: Path) -> None:
    with make(tmp_path) as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        notebook.save_note(talk.id, Step.LISTEN, "Mor hedder Mette Jensen.")
        correction = notebook.begin_correction(talk.id)
        # Opened and not (yet) finished: the history knows it was opened (a crash).
        (opened,) = notebook.corrections(case.id)
        assert opened.conversation_id == talk.id and opened.steps == ()
        notebook.save_note(talk.id, Step.LISTEN, "Mor fortæller.")
        notebook.finish_correction(correction, [Step.LISTEN])
        (done,) = notebook.corrections(case.id)
        assert done.steps == (Step.LISTEN,)
        assert notebook.conversation(talk.id).notes[Step.LISTEN] == "Mor fortæller."
        assert notebook.search("Mette") == []
        # Nothing of the replaced text is kept anywhere in the notebook's tables.
        for (table,) in notebook.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
            if table.startswith("note_index"):
                continue  # the full-text index's own shadow tables, checked by the search
            for row in notebook.query(f"SELECT * FROM {table}"):
                assert not any("Mette" in str(value) for value in row), table
        # A correction that changed nothing leaves no trace.
        nothing = notebook.begin_correction(talk.id)
        notebook.finish_correction(nothing, [])
        assert len(notebook.corrections(case.id)) == 1
