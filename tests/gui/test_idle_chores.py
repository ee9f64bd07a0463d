"""What the window does while nobody types: the search index is merged and retention runs,
on the chores thread, never inside an autosave."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import CaseStatus, Step
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook, now
from tests.gui.helpers import unlocked_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_idle_checkpoint_merges_what_autosaves_left(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    case = notebook.new_case()
    conversation = notebook.new_conversation(case.id or 0)
    for i in range(30):  # as autosaves during a call: each leaves an index segment
        notebook.save_note(conversation.id or 0, Step.ADVISE, f"aftale nummer{i} med skolen")
    window.checkpoint()
    window.chores.wait()
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
    window.chores.wait()
    assert notebook.conversations(case.id or 0)[0].notes.get(Step.LISTEN, "") == ""
    assert window.notebook is notebook  # still unlocked


def test_back_up_now_runs_while_the_window_answers(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, app_home: Path
) -> None:
    gate = threading.Event()
    real_backup = Notebook.backup

    def backup(self: Notebook, folder: Path | None = None) -> Path:
        assert gate.wait(10), "the backup was waited for on the UI thread"
        return real_backup(self, folder)

    monkeypatch.setattr(Notebook, "backup", backup)
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    try:
        qtbot.keyClick(window, Qt.Key.Key_B, CTRL_SHIFT)  # Back up now
        # The window shows it is busy and goes on answering: a new call can be typed.
        assert not window.back_up_action.isEnabled()
        assert window.statusBar().currentMessage() == _("Backing up…")
        page = window.notebook_page
        page.new_call()
        assert page.editor is not None
        qtbot.keyClicks(page.editor.editors[Step.LISTEN], "Ringede under backuppen.")
        assert page.editor.text(Step.LISTEN) == "Ringede under backuppen."
    finally:
        gate.set()
    qtbot.waitUntil(window.back_up_action.isEnabled, timeout=10_000)
    assert _("Backed up to {file}").format(file="") in window.statusBar().currentMessage()
    assert list((app_home / "data" / "backups").rglob("*.cnb"))
    window.lock()
    window.chores.wait()
