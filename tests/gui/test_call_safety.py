"""Safety in view: a case with signs of serious risk is marked in the list, the case
header and the call; the guidance covers suicidal thoughts and self-harm, offers
"referred to emergency help" and shows the supervisor's on-call number. And the concern
is a panel beside the notes of the call, its text kept as typed through a lock and a
crash."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, Step
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.gui.concern import ConcernPanel
from counsellor_app.gui.settings_dialog import SettingsDialog
from tests.gui.helpers import make_notebook, shown_window, unlock, unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_case_at_serious_risk_is_marked_everywhere_and_the_guidance_covers_suicide(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    with Notebook.open(path, passphrase) as notebook:
        risky = notebook.new_case()
        notebook.record_concern(
            Concern(risky.id, ConcernSigns.YES, ConcernDecision.TALK_WITH_SUPERVISOR)
        )
    window = shown_window(qtbot, path)
    unlock(qtbot, window, passphrase)
    page = window.notebook_page
    rows = {
        page.model.summary(row).id: str(page.model.data(page.model.index(row)))
        for row in range(page.model.rowCount())
    }
    assert rows[risky.id].startswith("⚠")
    assert [text for case_id, text in rows.items() if case_id != risky.id and "⚠" in text] == []
    page.show_case_id(risky.id)
    assert page.case_view.risk_label.isVisible()
    page.show_case_id(next(i for i in rows if i != risky.id))
    assert not page.case_view.risk_label.isVisible()

    # The supervisor's on-call number, from the settings.
    notebook = window.notebook
    assert notebook is not None
    dialog = SettingsDialog(notebook, AppSettings.load(), window)
    qtbot.addWidget(dialog)
    dialog.supervisor_phone.setText("40 11 22 33")
    assert dialog.apply()
    dialog.reject()
    assert notebook.supervisor_phone == "40 11 22 33"

    page.start_conversation(risky.id)
    assert page.editor is not None and page.editor.risk_label.isVisible()
    qtbot.keyClick(page.editor.editors[Step.LISTEN], Qt.Key.Key_K, CTRL)
    panel = page.concern_panel
    assert panel is not None and panel.isVisible()
    guidance = panel.ui.guidance.text()
    for number in ("70 201 201", "116 111", "112", "Livslinien", "40 11 22 33"):
        assert number in guidance, number
    assert panel.decision.findData(ConcernDecision.REFERRED_TO_EMERGENCY_HELP.value) >= 0
    panel.cancel()
    page.end_call()


def test_the_concern_is_a_panel_beside_the_notes_and_survives_a_lock(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    editor = page.editor
    assert editor is not None and window.notebook is not None
    case_id = page.call_case_id
    assert case_id is not None
    qtbot.keyClicks(editor.editors[Step.LISTEN], "Mor siger, datteren skærer i sig selv.")
    qtbot.keyClick(editor.editors[Step.LISTEN], Qt.Key.Key_K, CTRL)
    panel = page.concern_panel
    assert isinstance(panel, ConcernPanel)
    # Not a modal dialog over the notes: the notes stay in view and take typing.
    assert QApplication.activeModalWidget() is None
    assert editor.editors[Step.LISTEN].isVisible() and panel.isVisible()
    assert panel.signs.hasFocus()
    panel.signs.setCurrentIndex(panel.signs.findData(ConcernSigns.YES.value))
    qtbot.keyClicks(panel.reasoning, "Selvskade; talt om Livslinien.")
    notebook = window.notebook
    qtbot.waitUntil(lambda: (notebook.draft("concern", case_id) or {}).get("reasoning", "") != "")
    qtbot.keyClick(editor.editors[Step.LISTEN], Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(editor.editors[Step.ADVISE], "Ring 112 ved fare.")
    assert panel.isVisible()

    qtbot.keyClick(editor.editors[Step.ADVISE], Qt.Key.Key_L, CTRL)
    assert window.notebook is None
    window.chores.wait()
    with Notebook.open(path, passphrase) as stored:
        draft = stored.draft("concern", case_id)
        assert draft is not None
        assert draft["reasoning"] == "Selvskade; talt om Livslinien."
        assert draft["signs"] == ConcernSigns.YES.value
        assert stored.concerns(case_id) == []

    unlock(qtbot, window, passphrase)
    panel = page.concern_panel
    assert panel is not None and panel.isVisible()
    assert panel.reasoning.toPlainText() == "Selvskade; talt om Livslinien."
    assert panel.signs.currentData() == ConcernSigns.YES.value
    panel.decision.setCurrentIndex(
        panel.decision.findData(ConcernDecision.REFERRED_TO_EMERGENCY_HELP.value)
    )
    panel.reasoning.setFocus()
    qtbot.waitUntil(panel.reasoning.hasFocus)
    qtbot.keyClick(panel.reasoning, Qt.Key.Key_Return, CTRL)  # saves from the panel
    assert page.concern_panel is None
    notebook = window.notebook
    assert notebook is not None
    [concern] = notebook.concerns(case_id)
    assert concern.decision is ConcernDecision.REFERRED_TO_EMERGENCY_HELP
    assert concern.reasoning == "Selvskade; talt om Livslinien."
    assert notebook.draft("concern", case_id) is None
    assert page.editor is not None and page.editor.risk_label.isVisible()
    page.end_call()


def test_a_concern_typed_before_a_crash_comes_back_with_the_call(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.new_case()
        conversation = notebook.new_conversation(case.id)
        notebook.set_live_call(conversation.id, 60)
        notebook.save_draft("concern", case.id, {"signs": "unsure", "reasoning": "Far drikker."})
    window = shown_window(qtbot, path)
    unlock(qtbot, window, passphrase)
    panel = window.notebook_page.concern_panel
    assert panel is not None and panel.isVisible()
    assert panel.reasoning.toPlainText() == "Far drikker."
    assert panel.signs.currentData() == "unsure" and panel.decision.currentIndex() == -1
    panel.cancel()
    assert window.notebook is not None and window.notebook.draft("concern", case.id) is None
    window.notebook_page.end_call()
