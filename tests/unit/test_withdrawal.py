"""Withdrawing a bundle puts back the earlier version of a case it updated (issue 14):
the cases it brought leave, the cases it changed are as the earlier bundle brought them,
and the figures follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from counsellor_app.core.dashboard import dashboard
from counsellor_app.core.domain import CaseStatus, Role, Step
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.research import research_rows
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    import_bundle,
    imported_bundles,
    imported_cases,
    withdraw_bundle,
    withdraw_counsellor,
)
from tests.helpers import PASSPHRASE

TODAY = date.today()


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    path = tmp_path / "supervisor.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)[0] as notebook:
        yield notebook


def _state(supervisor: Notebook) -> dict[str, tuple[str, int, str]]:
    """Each imported case: status, contacts, the first contact's Listen note."""
    return {
        item.case.ref: (
            item.case.status.value,
            len(item.case.conversations),
            item.case.conversations[0].summary[Step.LISTEN],
        )
        for item in imported_cases(supervisor)
    }


def test_withdrawing_an_update_puts_the_earlier_version_back(
    notebook: Notebook, supervisor: Notebook, tmp_path: Path
) -> None:
    key = ensure_key_pair(supervisor)
    started = datetime.now(UTC) - timedelta(days=3)
    first, second = notebook.new_case(themes=["sleep"]), notebook.new_case(themes=["anxiety"])
    for case in (first, second):
        talk = notebook.new_conversation(case.id, started_at=started)
        notebook.save_note(talk.id, Step.LISTEN, "Barnet sover dårligt.")
    one = export_bundle(notebook, key, tmp_path / "1.cnbundle", today=TODAY).path
    import_bundle(supervisor, one, accept_new=True)
    before = _state(supervisor)
    assert len(before) == 2

    # The counsellor's next bundle: the first case changed (closed, a second contact),
    # and a third case.
    notebook.set_status(first.id, CaseStatus.CLOSED)
    talk = notebook.new_conversation(first.id, started_at=datetime.now(UTC))
    notebook.save_note(talk.id, Step.LISTEN, "Det går bedre nu.")
    third = notebook.new_case(themes=["loneliness"])
    notebook.new_conversation(third.id, started_at=datetime.now(UTC))
    two = export_bundle(notebook, key, tmp_path / "2.cnbundle", today=TODAY).path
    updated = import_bundle(supervisor, two).cases_updated
    after = _state(supervisor)
    assert len(after) == 3 and dashboard(supervisor).contacts == 4
    changed = next(ref for ref in before if after[ref] != before[ref])
    assert after[changed][:2] == ("closed", 2)

    second_id = next(h.bundle_id for h in imported_bundles(supervisor) if h.sequence == 2)
    withdrawal = withdraw_bundle(supervisor, second_id)
    assert (withdrawal.removed, withdrawal.restored) == (1, updated)
    assert str(updated) in withdrawal.sentence()
    assert _state(supervisor) == before  # the changed case as the first bundle had it
    assert dashboard(supervisor).contacts == 2
    assert research_rows(supervisor, k=1).result.conversations == 2
    # The earlier version is now the case's own again: withdrawing the first bundle
    # removes both cases.
    first_id = next(h.bundle_id for h in imported_bundles(supervisor) if h.sequence == 1)
    assert withdraw_bundle(supervisor, first_id).removed == 2
    assert imported_cases(supervisor) == []
    assert supervisor.query("SELECT count(*) FROM imported_case_versions") == [(0,)]


def test_withdrawing_the_earlier_bundle_keeps_the_later_version(
    notebook: Notebook, supervisor: Notebook, tmp_path: Path
) -> None:
    """Withdrawn first, the earlier bundle is no version to go back to: withdrawing the
    later one then removes the case rather than bringing back what was withdrawn."""
    key = ensure_key_pair(supervisor)
    case = notebook.new_case(themes=["sleep"])
    notebook.new_conversation(case.id, started_at=datetime.now(UTC) - timedelta(days=2))
    import_bundle(
        supervisor,
        export_bundle(notebook, key, tmp_path / "1.cnbundle", today=TODAY).path,
        accept_new=True,
    )
    notebook.set_status(case.id, CaseStatus.CLOSED)
    import_bundle(supervisor, export_bundle(notebook, key, tmp_path / "2.cnbundle").path)
    history = {h.sequence: h.bundle_id for h in imported_bundles(supervisor)}
    earlier = withdraw_bundle(supervisor, history[1])
    assert (earlier.removed, earlier.restored) == (0, 0)
    assert [c.case.status for c in imported_cases(supervisor)] == [CaseStatus.CLOSED]
    later = withdraw_bundle(supervisor, history[2])
    assert (later.removed, later.restored) == (1, 0)
    assert imported_cases(supervisor) == []


def test_withdrawing_a_counsellor_leaves_no_versions(
    notebook: Notebook, supervisor: Notebook, tmp_path: Path
) -> None:
    key = ensure_key_pair(supervisor)
    case = notebook.new_case(themes=["sleep"])
    notebook.new_conversation(case.id, started_at=datetime.now(UTC) - timedelta(days=2))
    one = export_bundle(notebook, key, tmp_path / "1.cnbundle", today=TODAY).path
    report = import_bundle(supervisor, one, accept_new=True)
    notebook.set_status(case.id, CaseStatus.CLOSED)
    import_bundle(supervisor, export_bundle(notebook, key, tmp_path / "2.cnbundle").path)
    assert supervisor.query("SELECT count(*) FROM imported_case_versions") == [(1,)]
    assert withdraw_counsellor(supervisor, report.counsellor_id or "").removed == 1
    assert supervisor.query("SELECT count(*) FROM imported_case_versions") == [(0,)]
