"""The case view on a real notebook: chart, timeline, alliances, follow-ups, status."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import (
    OVERALL,
    Alliance,
    AllianceStatus,
    CaseStatus,
    Concern,
    ConcernDecision,
    ConcernSigns,
    Consent,
    Partner,
    Step,
    WellbeingLevel,
    label,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.gui.alliances import AllianceDialog
from counsellor_app.gui.case_view import CaseView
from counsellor_app.gui.follow_ups import FollowUpDialog
from tests.helpers import FAST_KDF

LEVELS = [WellbeingLevel.SEVERE, WellbeingLevel.STRUGGLING, WellbeingLevel.MILD]
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


class Setup:
    def __init__(self, path: Path) -> None:
        self.nb, _recovery = Notebook.create(path, "pw", kdf=FAST_KDF)
        case = self.nb.new_case()
        assert case.id is not None
        self.case_id = case.id
        case.themes = ["school_absence", "anxiety"]
        self.nb.update_case(case)
        self.conversation_ids = []
        for number, level in enumerate(LEVELS):
            conversation = self.nb.new_conversation(
                self.case_id, started_at=START + timedelta(days=7 * number)
            )
            assert conversation.id is not None
            conversation.notes[Step.LISTEN] = f"Note {number + 1}: <b>ikke fed</b>"
            conversation.wellbeing = {OVERALL: level, "school": WellbeingLevel.SEVERE}
            conversation.duration_seconds = 600
            self.nb.update_conversation(conversation)
            self.conversation_ids.append(conversation.id)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    made = Setup(tmp_path / "n.cnb")
    yield made
    made.nb.close()


def make_view(qtbot: QtBot, setup: Setup) -> CaseView:
    view = CaseView()
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.load(setup.nb, setup.case_id)
    return view


def save(qtbot: QtBot, dialog: AllianceDialog | FollowUpDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ---------------------------------------------------------------------- chart and timeline


def test_chart_has_a_point_per_contact_and_says_the_levels(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    chart = view.chart
    assert chart.contact_count() == 3
    assert chart.overall_levels() == LEVELS
    assert chart.arena_ids() == ["school"]
    description = chart.accessibleDescription()
    assert description == chart.description()
    positions = [description.index(label(level)) for level in LEVELS]
    assert positions == sorted(positions)
    assert description.count("; ") == 2  # one part per contact
    assert chart.accessibleName()
    view.show()
    assert not chart.grab().isNull()  # paints without a warning (warnings fail the test)


def test_chart_with_no_points_and_with_one(qtbot: QtBot, tmp_path: Path) -> None:
    nb, _recovery = Notebook.create(tmp_path / "empty.cnb", "pw", kdf=FAST_KDF)
    try:
        case = nb.new_case()
        assert case.id is not None
        view = CaseView()
        qtbot.addWidget(view)
        view.load(nb, case.id)
        assert not view.chart.has_points()
        assert view.chart.accessibleDescription() == _("No wellbeing assessed yet")
        view.chart.grab()

        conversation = nb.new_conversation(case.id)
        assert conversation.id is not None
        nb.set_wellbeing(conversation.id, OVERALL, WellbeingLevel.THRIVING)
        view.reload()
        assert view.chart.overall_levels() == [WellbeingLevel.THRIVING]
        assert label(WellbeingLevel.THRIVING) in view.chart.accessibleDescription()
        view.chart.grab()
    finally:
        nb.close()


def test_chart_scales_with_the_font(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    small = view.chart.sizeHint()
    font = view.chart.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.chart.setFont(font)
    large = view.chart.sizeHint()
    assert large.width() > small.width() and large.height() > small.height()


def test_timeline_is_newest_first_and_shows_notes_as_text(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    text = view.timeline.toPlainText()
    assert text.index("Note 3") < text.index("Note 2") < text.index("Note 1")
    assert "<b>ikke fed</b>" in text  # escaped, not interpreted
    assert label(Step.LISTEN) in text
    assert "10" in text  # ten minutes
    assert view.code_label.text() == setup.nb.case(setup.case_id).code
    assert "Angst" in view.themes_label.text() or "Anxiety" in view.themes_label.text()


# ---------------------------------------------------------------------- alliances


def test_add_an_alliance_through_the_dialog(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    panel = view.alliances
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, AllianceDialog)
    for widget in (dialog.partner, dialog.role, dialog.agreed, dialog.consent, dialog.status):
        assert widget.accessibleName()
    dialog.partner.setCurrentIndex(dialog.partner.findData(Partner.PPR.value))
    qtbot.keyClicks(dialog.role, "psykolog")
    dialog.agreed.setPlainText("Mor kontakter PPR for en samtale.")
    dialog.consent.setCurrentIndex(dialog.consent.findData(Consent.GIVEN.value))
    dialog.status.setCurrentIndex(dialog.status.findData(AllianceStatus.CONTACTED.value))
    with qtbot.waitSignal(panel.changed, timeout=2000):
        save(qtbot, dialog)

    [stored] = setup.nb.alliances(setup.case_id)
    assert stored.partner is Partner.PPR
    assert stored.role == "psykolog"
    assert stored.agreed == "Mor kontakter PPR for en samtale."
    assert stored.consent is Consent.GIVEN
    assert stored.status is AllianceStatus.CONTACTED
    assert panel.tree.topLevelItemCount() == 1
    assert panel.tree.topLevelItem(0).text(0) == label(Partner.PPR)
    qtbot.waitUntil(lambda: panel.dialog is None)


def test_edit_an_alliance_and_change_its_status(qtbot: QtBot, setup: Setup) -> None:
    alliance = setup.nb.save_alliance(Alliance(setup.case_id, Partner.SCHOOL, role="lærer"))
    assert alliance.id is not None
    view = make_view(qtbot, setup)
    panel = view.alliances
    assert not panel.edit_button.isEnabled()
    panel.select(alliance.id)
    assert panel.edit_button.isEnabled()

    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, AllianceDialog)
    assert dialog.role.text() == "lærer"
    dialog.status.setCurrentIndex(dialog.status.findData(AllianceStatus.ACTIVE.value))
    save(qtbot, dialog)
    [stored] = setup.nb.alliances(setup.case_id)
    assert stored.id == alliance.id
    assert stored.status is AllianceStatus.ACTIVE

    panel.select(alliance.id)
    assert panel.status_actions[AllianceStatus.ACTIVE].isChecked()
    with qtbot.waitSignal(panel.changed, timeout=2000):
        panel.status_actions[AllianceStatus.ENDED].trigger()
    assert setup.nb.alliances(setup.case_id)[0].status is AllianceStatus.ENDED
    assert panel.tree.topLevelItem(0).text(1) == label(AllianceStatus.ENDED)


# ---------------------------------------------------------------------- follow-ups


def test_add_a_follow_up_and_mark_it_done(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    panel = view.follow_ups
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, FollowUpDialog)
    week_ahead = date.today() + timedelta(days=7)
    assert dialog.due.date() == QDate(week_ahead.year, week_ahead.month, week_ahead.day)
    assert dialog.due.calendarPopup()
    dialog.due.setDate(QDate(2030, 1, 15))
    qtbot.keyClicks(dialog.counsellor_task, "Ringer op og hører hvordan mødet gik")
    dialog.parent_task.setPlainText("Taler med klasselæreren")
    with qtbot.waitSignal(view.changed, timeout=2000) as changed:
        save(qtbot, dialog)
    assert changed.args == [setup.case_id]

    [stored] = setup.nb.follow_ups(setup.case_id)
    assert stored.due == date(2030, 1, 15)
    assert stored.counsellor_task == "Ringer op og hører hvordan mødet gik"
    assert stored.parent_task == "Taler med klasselæreren"
    assert not stored.done
    assert panel.tree.topLevelItemCount() == 1
    # An open follow-up puts the open case on "awaiting follow-up": the header follows.
    assert setup.nb.case(setup.case_id).status is CaseStatus.AWAITING_FOLLOW_UP
    assert view.status_combo.currentData() == CaseStatus.AWAITING_FOLLOW_UP.value

    assert stored.id is not None
    panel.select(stored.id)
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    assert setup.nb.follow_ups(setup.case_id)[0].done
    assert panel.tree.topLevelItem(0).text(1) == _("Done")
    assert panel.done_button.text() == _("&Mark not done")
    # The last open follow-up done: the case is open again, and the header says so.
    assert view.status_combo.currentData() == CaseStatus.OPEN.value
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    assert not setup.nb.follow_ups(setup.case_id)[0].done
    assert view.status_combo.currentData() == CaseStatus.AWAITING_FOLLOW_UP.value


def test_cancelled_follow_up_is_not_stored(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    dialog = view.follow_ups.add()
    assert dialog is not None
    dialog.counsellor_task.setPlainText("noget")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert setup.nb.follow_ups(setup.case_id) == []
    qtbot.waitUntil(lambda: view.follow_ups.dialog is None)


# ---------------------------------------------------------------------- status and history


def test_status_change_through_the_combo(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    before = view.history.count()
    with qtbot.waitSignal(view.changed, timeout=2000):
        view.status_combo.setCurrentIndex(
            view.status_combo.findData(CaseStatus.AWAITING_FOLLOW_UP.value)
        )
    assert setup.nb.case(setup.case_id).status is CaseStatus.AWAITING_FOLLOW_UP
    changes = setup.nb.status_changes(setup.case_id)
    assert changes[-1].old is CaseStatus.OPEN
    assert changes[-1].new is CaseStatus.AWAITING_FOLLOW_UP
    assert view.history.count() == before + 1
    assert label(CaseStatus.AWAITING_FOLLOW_UP) in view.history.item(0).text()


def test_closing_a_case_with_a_call_back_number_asks_first(
    qtbot: QtBot, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup.nb.set_callback(setup.case_id, "12345678")
    view = make_view(qtbot, setup)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: answers.pop(0))
    closed = view.status_combo.findData(CaseStatus.CLOSED.value)
    view.status_combo.setCurrentIndex(closed)
    assert setup.nb.case(setup.case_id).status is CaseStatus.OPEN
    assert setup.nb.callback(setup.case_id) == "12345678"
    assert view.status_combo.currentData() == CaseStatus.OPEN.value
    view.status_combo.setCurrentIndex(closed)
    assert setup.nb.case(setup.case_id).status is CaseStatus.CLOSED
    assert setup.nb.callback(setup.case_id) is None


def test_history_shows_concerns_without_their_reasoning(qtbot: QtBot, setup: Setup) -> None:
    setup.nb.record_concern(
        Concern(
            setup.case_id,
            ConcernSigns.UNSURE,
            ConcernDecision.TALK_WITH_SUPERVISOR,
            reasoning="Hemmelig begrundelse",
        )
    )
    view = make_view(qtbot, setup)
    texts = [view.history.item(row).text() for row in range(view.history.count())]
    assert any(label(ConcernDecision.TALK_WITH_SUPERVISOR) in text for text in texts)
    assert not any("Hemmelig" in text for text in texts)


# ---------------------------------------------------------------------- signals, clear, a11y


def test_buttons_ask_for_a_conversation_and_a_concern(qtbot: QtBot, setup: Setup) -> None:
    view = make_view(qtbot, setup)
    with qtbot.waitSignal(view.start_conversation_requested, timeout=2000) as started:
        qtbot.mouseClick(view.new_conversation_button, Qt.MouseButton.LeftButton)
    assert started.args == [setup.case_id]
    with qtbot.waitSignal(view.concern_requested, timeout=2000) as concern:
        qtbot.mouseClick(view.concern_button, Qt.MouseButton.LeftButton)
    assert concern.args == [setup.case_id]


def test_clear_forgets_the_case(qtbot: QtBot, setup: Setup) -> None:
    setup.nb.save_alliance(Alliance(setup.case_id, Partner.SCHOOL, agreed="Møde"))
    view = make_view(qtbot, setup)
    view.follow_ups.add()
    assert view.follow_ups.dialog is not None
    view.clear()
    assert view.case_id is None
    assert view.code_label.text() == ""
    assert view.themes_label.text() == ""
    assert view.timeline.toPlainText() == ""
    assert view.chart.contact_count() == 0
    assert view.alliances.tree.topLevelItemCount() == 0
    assert view.alliances.alliances() == []
    assert view.follow_ups.tree.topLevelItemCount() == 0
    assert view.follow_ups.dialog is None
    assert view.history.count() == 0
    assert not view.new_conversation_button.isEnabled()
    assert not view.alliances.add_button.isEnabled()
    with qtbot.assertNotEmitted(view.start_conversation_requested):
        view.new_conversation_button.click()
    # Loading again after an unlock shows the case again.
    view.load(setup.nb, setup.case_id)
    assert view.alliances.tree.topLevelItemCount() == 1


def test_every_control_has_an_accessible_name_and_a_place_in_the_tab_order(
    qtbot: QtBot, setup: Setup
) -> None:
    view = make_view(qtbot, setup)
    controls: list[QWidget] = [
        view.status_combo,
        view.callback.edit,
        view.new_conversation_button,
        view.concern_button,
        view.correct_button,
        view.timeline,
        view.chart,
        view.alliances.tree,
        view.alliances.add_button,
        view.alliances.edit_button,
        view.alliances.status_button,
        view.follow_ups.tree,
        view.follow_ups.add_button,
        view.follow_ups.edit_button,
        view.follow_ups.done_button,
        view.history,
    ]
    for control in controls:
        assert control.accessibleName(), control
    for first, second in itertools.pairwise(controls):
        assert first.nextInFocusChain() is second or _reaches(first, second), (first, second)
    for button in (view.new_conversation_button, view.concern_button, view.correct_button):
        assert "&" in button.text()


def _reaches(first: QWidget, second: QWidget) -> bool:
    """``second`` follows ``first`` in the focus chain, past widgets that take no Tab."""
    widget = first.nextInFocusChain()
    while widget is not first:
        if widget is second:
            return True
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisibleTo(first.window()):
            return False
        widget = widget.nextInFocusChain()
    return False
