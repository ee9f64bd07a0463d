"""Every released schema version's fixture notebook opens (migrated) with its data intact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from counsellor_app.core.domain import CaseStatus, Step
from counsellor_app.core.schema import SCHEMA_VERSION
from counsellor_app.core.store import Notebook

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "notebooks").glob("schema_v*"))


@pytest.mark.parametrize("folder", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixture_notebook_opens_with_data_intact(folder: Path, tmp_path: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    for name in ("notebook.cnb", "notebook.cnb.key"):
        shutil.copy(folder / name, tmp_path / name)
    path = tmp_path / "notebook.cnb"
    with Notebook.open(path, expected["passphrase"]) as notebook:
        assert notebook.schema_version() == SCHEMA_VERSION
        assert notebook.integrity_check()
        first = notebook.case_by_code(expected["cases"][0])
        closed = notebook.case_by_code(expected["cases"][1])
        assert first is not None and closed is not None
        assert closed.status is CaseStatus.CLOSED
        # schema 11: the count kept in meta, set by the migration, kept by triggers
        assert notebook.case_count() == notebook.query("SELECT count(*) FROM cases")[0][0]
        assert notebook.case_count() == len(expected["cases"])
        conversation = notebook.conversations(first.id)[0]
        assert conversation.notes[Step.LISTEN] == expected["note"]
        assert {k: v.value for k, v in conversation.wellbeing.items()} == expected["wellbeing"]
        assert notebook.alliances(first.id)[0].agreed == expected["alliance_agreed"]
        assert notebook.callback(first.id) == expected["callback"]
        assert [s.code for s in notebook.search("skole")] == [first.code]
        (follow_up,) = notebook.follow_ups(first.id)
        assert follow_up.parent_task == "Tale med AKT"
        linked = expected.get("follow_up_in_first_conversation", False)
        assert follow_up.conversation_id == (conversation.id if linked else None)
        # schema 9: a follow-up can carry a time of day; older ones have none
        due_time = follow_up.due_time.strftime("%H:%M") if follow_up.due_time else None
        assert due_time == expected.get("follow_up_due_time")
        if "comment" in expected:  # schema 4: students and mentors
            from counsellor_app.core import mentoring

            subject = mentoring.Subject.own(first.id or 0)
            (comment,) = mentoring.comments(notebook, subject)
            assert (comment.text, comment.answer) == (expected["comment"], expected["answer"])
            assert comment.step is Step.ADVISE and comment.conversation_number == 1
            (signed,) = mentoring.sign_offs(notebook, subject)
            assert signed.day.isoformat() == expected["sign_off"]
            # schema 13: a sign-off keeps the case's version (older ones: none, so never
            # outdated); the version is the same after the migrations (the case did not change)
            assert signed.case_version == expected.get("sign_off_version", "")
            (state,) = mentoring.sign_off_states(notebook, subject)
            assert not state.outdated
            levels = [r.level.value for r in mentoring.rubric(notebook, subject) if r.level]
            assert levels == ([expected["rubric_level"]] if "rubric_level" in expected else [])
            (entry,) = mentoring.reflections(notebook, first.id or 0)
            assert entry.worked == expected["reflection"]
        if "directory_entry" in expected:  # schema 6: the help directory
            from counsellor_app.core import directory

            names = [entry.organisation for entry in directory.entries(notebook)]
            assert expected["directory_entry"] in names and "Livslinien" in names
        elif expected["schema_version"] < 6:  # migrated: the starter set is there
            from counsellor_app.core import directory

            assert "Livslinien" in [e.organisation for e in directory.entries(notebook)]
        # schema 7: a received case remembers what the gate replaced as it arrived
        columns = [row[1] for row in notebook.query("PRAGMA table_info(imported_cases)")]
        assert "identifiers_replaced" in columns
        if "imported_alliance_kind" in expected:  # schema 12: the kind travels in a bundle
            from counsellor_app.core.supervision import imported_cases

            kinds = [a.directory_kind for c in imported_cases(notebook) for a in c.case.alliances]
            assert kinds == [expected["imported_alliance_kind"]]
        if "signing_fingerprint" in expected:  # schema 8: the signing key is kept
            from counsellor_app.core.exchange.signing import fingerprint, signing_key

            assert fingerprint(signing_key(notebook)) == expected["signing_fingerprint"]
        # schema 10: corrections of ended contacts, kept in the case's history
        corrected = [step.value for c in notebook.corrections(first.id or 0) for step in c.steps]
        assert corrected == expected.get("corrected_steps", [])
        # every version migrates to the provenance columns of schema 8 (from schema 12
        # the fixture imports a bundle of its own, signed)
        assert "imported_alliance_kind" in expected or notebook.query(
            "SELECT count(*) FROM imported_bundles WHERE withdrawn_at IS NOT NULL "
            "OR signing_key IS NOT NULL OR cases_added > 0"
        ) == [(0,)]
    with Notebook.open(path, recovery_key=expected["recovery_key"]) as notebook:
        assert notebook.case_count() == 2


def test_there_is_a_fixture_for_the_current_schema() -> None:
    assert any(f.name == f"schema_v{SCHEMA_VERSION}" for f in FIXTURES)
