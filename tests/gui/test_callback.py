"""The call-back number: a field in the call and in the case, apart from the notes, saved
as typed, shown in the agenda as "ring tilbage", never in a summary PDF, deleted at
closing; the guard moves a phone number from a note into it with one key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import CaseStatus, FollowUp, Step
from counsellor_app.core.reports import write_case_summary
from counsellor_app.core.store import Notebook
from tests.gui.helpers import unlocked_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NUMBER = "28 91 44 07"


def test_the_number_typed_in_the_call_is_kept_apart_and_shown_in_the_agenda(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    editor = page.editor
    assert editor is not None and window.notebook is not None
    case_id = page.call_case_id
    assert case_id is not None
    qtbot.keyClicks(editor.callback.edit, NUMBER)
    qtbot.waitUntil(lambda: not editor.callback.pending())  # saved as typed
    editor.callback._tasks.wait()
    assert window.notebook.callback(case_id) == NUMBER
    assert all(
        NUMBER not in text
        for text in window.notebook.conversation(editor.conversation_id).notes.values()
    )
    window.notebook.save_follow_up(FollowUp(case_id, date.today(), counsellor_task="Ring op"))
    page.end_call()
    agenda = [page.agenda.item(row).text() for row in range(page.agenda.count())]
    assert any(f"ring tilbage: {NUMBER}" in line for line in agenda)
    # The case shows it too, and a change there is kept.
    assert page.case_view.callback.edit.text() == NUMBER
    page.case_view.callback.edit.clear()
    qtbot.keyClicks(page.case_view.callback.edit, "20 30 40 50")
    window.lock()
    window.chores.wait()
    with Notebook.open(path, passphrase) as notebook:
        assert notebook.callback(case_id) == "20 30 40 50"


def test_the_guard_moves_a_phone_number_into_the_call_back_field(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    editor = page.editor
    assert editor is not None and window.notebook is not None
    listen = editor.editors[Step.LISTEN]
    qtbot.keyClicks(listen, f"Mor vil ringes op på {NUMBER}")
    editor.guards[Step.LISTEN].refresh_now()
    qtbot.keyClick(listen, Qt.Key.Key_T, CTRL_SHIFT)
    assert NUMBER not in listen.toPlainText() and "[telefon]" in listen.toPlainText()
    assert editor.callback.number() == NUMBER
    editor.flush()
    assert page.call_case_id is not None
    assert window.notebook.callback(page.call_case_id) == NUMBER
    page.end_call()


def test_closing_the_case_deletes_the_number_and_no_summary_carries_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    notebook = window.notebook
    assert notebook is not None
    page.new_call()
    assert page.editor is not None
    case_id = page.call_case_id
    assert case_id is not None
    page.editor.callback.set_number(NUMBER)
    page.end_call()
    assert notebook.callback(case_id) == NUMBER
    # The case summary (what goes to a mentor or supervision) never carries it.
    pdf = write_case_summary(notebook, case_id, tmp_path / "sag.pdf")
    shown = "".join(sheet.extract_text() for sheet in PdfReader(pdf).pages).replace(" ", "")
    assert NUMBER.replace(" ", "") not in shown
    assert NUMBER.encode() not in pdf.read_bytes()
    view = page.case_view
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.status_combo.setCurrentIndex(view.status_combo.findData(CaseStatus.CLOSED.value))
    assert notebook.callback(case_id) is None
    assert view.callback.edit.text() == "" and not view.callback.isEnabled()
