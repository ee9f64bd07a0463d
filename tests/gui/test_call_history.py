"""On a follow-up call, what was said and agreed before is in view beside the new notes:
earlier contacts (their steps and wellbeing), open follow-ups (who does what), alliances
and concerns; the panel folds away. A first call has none."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import (
    OVERALL,
    Alliance,
    Concern,
    ConcernDecision,
    ConcernSigns,
    FollowUp,
    Partner,
    Step,
    WellbeingLevel,
    label,
)
from counsellor_app.core.store import Notebook
from tests.gui.helpers import make_notebook, shown_window


def test_a_follow_up_call_shows_the_earlier_contacts_and_agreements(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.new_case()
        before = notebook.new_conversation(case.id)
        notebook.save_note(before.id, Step.LISTEN, "Sønnen græder hver morgen.")
        notebook.save_note(before.id, Step.ADVISE, "Faste morgenrutiner.")
        notebook.set_wellbeing(before.id, OVERALL, WellbeingLevel.STRUGGLING)
        notebook.save_follow_up(
            FollowUp(
                case.id,
                date.today() + timedelta(days=2),
                counsellor_task="Ringe til mor",
                parent_task="Tale med klasselæreren",
            )
        )
        notebook.save_alliance(Alliance(case.id, Partner.SCHOOL, agreed="Møde på fredag"))
        notebook.record_concern(
            Concern(case.id, ConcernSigns.UNSURE, ConcernDecision.TALK_WITH_SUPERVISOR)
        )
    window = shown_window(qtbot, path)
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    page = window.notebook_page
    page.start_conversation(case.id)
    history = page.call_history
    assert history.isVisible() and history.expanded()
    text = history.browser.toPlainText()
    for expected in (
        "Sønnen græder hver morgen.",
        "Faste morgenrutiner.",
        label(WellbeingLevel.STRUGGLING),
        "Tale med klasselæreren",
        "Ringe til mor",
        "Møde på fredag",
        label(ConcernSigns.UNSURE),
    ):
        assert expected in text, expected
    # The new notes stay empty and in view beside it.
    assert page.editor is not None and page.editor.text(Step.LISTEN) == ""
    assert page.editor.editors[Step.LISTEN].isVisible()
    # It folds to its title, and opens again.
    qtbot.mouseClick(history.toggle, Qt.MouseButton.LeftButton)
    assert not history.expanded() and not history.browser.isVisible()
    qtbot.mouseClick(history.toggle, Qt.MouseButton.LeftButton)
    assert history.expanded() and history.browser.isVisible()
    page.end_call()
    assert history.browser.toPlainText() == ""  # forgotten with the call

    # A first call on a new case has no history to show.
    page.new_call()
    assert not page.call_history.isVisible()
    page.end_call()
