"""When the disk refuses a note (full, removed drive), the text is never lost: it is
kept in memory, off the screen, and saved as soon as the notebook takes it again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step
from counsellor_app.core.errors import StorageError
from counsellor_app.core.store import Notebook
from tests.gui.helpers import unlocked_window


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A switch: while on, every note save on the real notebook fails as on a full disk."""
    state = [False]
    real_save = Notebook.save_note

    def save_note(self: Notebook, conversation_id: int, step: Step, text: str) -> None:
        if state[0]:
            raise StorageError("The disk is full, so n.cnb could not be saved.")
        real_save(self, conversation_id, step, text)

    monkeypatch.setattr(Notebook, "save_note", save_note)
    return state


def test_text_refused_by_the_disk_survives_a_lock(
    qtbot: QtBot, tmp_path: Path, full_disk: list[bool]
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    full_disk[0] = True
    qtbot.keyClicks(page.editor.editors[Step.LISTEN], "Skrevet mens disken var fuld.")
    window.lock()  # the flush fails: nothing on screen, the text kept in memory
    assert window.notebook is None and page.editor is None
    assert list(page.unsaved.values()) == [{Step.LISTEN: "Skrevet mens disken var fuld."}]

    full_disk[0] = False  # space was freed
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    assert page.unsaved == {}
    window.lock()
    window.chores.wait()
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        assert notebook.conversations(case.id)[0].notes[Step.LISTEN] == (
            "Skrevet mens disken var fuld."
        )


def test_quitting_with_unsaved_text_asks_first(
    qtbot: QtBot, tmp_path: Path, full_disk: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    full_disk[0] = True
    qtbot.keyClicks(page.editor.editors[Step.LISTEN], "Må ikke gå tabt.")
    asked: list[str] = []

    def answer_no(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", answer_no)
    assert not window.close()  # refused: the text would be lost
    assert asked and "tabt" in asked[0]
    assert window.notebook is not None  # still unlocked, so it can be saved later
    full_disk[0] = False
    window.checkpoint()  # the half-minute housekeeping saves it
    assert page.unsaved == {}
    assert window.close()
