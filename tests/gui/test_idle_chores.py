"""What the window does while nobody types: the search index is merged and retention runs,
on the chores thread, never inside an autosave."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import CaseStatus, Step
from counsellor_app.core.store import Notebook, now
from tests.gui.helpers import unlocked_window


def test_the_idle_checkpoint_merges_what_autosaves_left(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    case = notebook.new_case()
    conversation = notebook.new_conversation(case.id or 0)
    for i in range(30):  # as autosaves during a call: each leaves an index segment
        notebook.save_note(conversation.id or 0, Step.ADVISE, f"aftale nummer{i} med skolen")
    window.checkpoint()
    window.chores.waitForDone()
    assert notebook.tidy_index() == 0  # the chore left nothing to merge
    assert notebook.find_case_ids("nummer29") == [case.id]
    assert notebook.find_case_ids("nummer3") == []


def test_retention_runs_hourly_in_a_window_left_unlocked(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    notebook: Notebook | None = window.notebook
    assert notebook is not None
    case = notebook.new_case()
    conversation = notebook.new_conversation(case.id or 0)
    notebook.save_note(conversation.id or 0, Step.LISTEN, "zqxretentionmarker")
    notebook.set_status(case.id or 0, CaseStatus.CLOSED)
    # Closed long ago: past the retention period.
    with notebook.transaction() as db:
        stamp = (now() - timedelta(days=3 * 365)).isoformat(timespec="seconds")
        db.execute("UPDATE cases SET closed_at = ? WHERE id = ?", (stamp, case.id))
    window.daily_backup()  # the hourly timer's slot
    window.chores.waitForDone()
    assert notebook.conversations(case.id or 0)[0].notes.get(Step.LISTEN, "") == ""
    assert window.notebook is notebook  # still unlocked
