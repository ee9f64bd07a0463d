"""The supervisor's oversight in the real window on a real supervisor notebook holding real
signed bundles: Enter in a date field of the dashboard applies the filter (and closes
nothing), the dashboard opens again with its filters while the notebook is open (a new
unlock: the defaults), the concern table marks serious signs without notification or
reason in red, and the overview per counsellor shows what the core counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counsellor_app.core.dashboard import dashboard
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, Role
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.i18n import set_language
from counsellor_app.core.oversight import concern_table, counsellor_periods
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle, set_counsellor_label
from counsellor_app.gui.dashboard import DashboardDialog, DashboardFilters, DashboardWidget
from counsellor_app.gui.oversight import ALARM, CaseFilters, CounsellorsDialog
from counsellor_app.gui.widgets import mnemonic_key
from tests.gui.helpers import (
    EXCHANGE_PASSPHRASE,
    duplicates,
    mnemonics,
    named_notebook,
    save_screenshot,
    shown_window,
    unnamed_controls,
)

TODAY = date.today()
#: The demo's contacts reach about 18 months back; date fields begin in 2000.
ALL_TIME = (date(2000, 1, 1), TODAY + timedelta(days=1))


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    set_language("en")


@pytest.fixture
def supervisor_path(tmp_path: Path) -> Path:
    """A supervisor's notebook (closed) with Anna's and Bo's bundles; two of Anna's
    concerns show signs of serious risk with neither a notification nor a reason."""
    with named_notebook(tmp_path, "supervisor", Role.SUPERVISOR) as supervisor:
        key = ensure_key_pair(supervisor)
        for name, count, seed in (("anna", 25, 2), ("bo", 8, 7)):
            with named_notebook(tmp_path, name) as other:
                fill_demo(other, count, seed=seed)
                if name == "anna":
                    for decision in (
                        ConcernDecision.TALK_WITH_SUPERVISOR,
                        ConcernDecision.NOT_NEEDED,
                    ):
                        case = other.new_case(themes=["anxiety"])
                        assert case.id is not None
                        other.new_conversation(case.id)
                        other.record_concern(Concern(case.id, ConcernSigns.YES, decision))
                bundle = export_bundle(other, key, tmp_path / f"{name}.cnbundle").path
            result = import_bundle(supervisor, bundle, accept_new=True)
            if name == "bo":
                set_counsellor_label(supervisor, str(result.counsellor_id), "Bo (Tuesdays)")
    return tmp_path / "supervisor.cnb"


@pytest.fixture
def supervisor(supervisor_path: Path) -> Iterator[Notebook]:
    with Notebook.open(supervisor_path, EXCHANGE_PASSPHRASE) as notebook:
        yield notebook


def shown_dashboard(qtbot: QtBot, notebook: Notebook) -> DashboardDialog:
    dialog = DashboardDialog(notebook)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.dashboard.updated, timeout=20_000):
        dialog.show()
        dialog.resize(1300, 1500)
    return dialog


def test_enter_in_a_date_field_applies_the_filter_and_keeps_the_dashboard(
    qtbot: QtBot, supervisor: Notebook
) -> None:
    dialog = shown_dashboard(qtbot, supervisor)
    widget = dialog.dashboard
    dialog.activateWindow()
    for edit, day in ((widget.from_edit, ALL_TIME[0]), (widget.to_edit, TODAY)):
        edit.setFocus()
        # The day as typed: no signal yet, only Enter applies it.
        edit.blockSignals(True)
        edit.setDate(day)
        edit.blockSignals(False)
        with qtbot.waitSignal(widget.updated, timeout=5_000, raising=False) as applied:
            qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.result() == 0  # Enter closed it before
        assert applied.signal_triggered
    assert widget.period() == (ALL_TIME[0], TODAY)
    assert widget.figures() == dashboard(supervisor, ALL_TIME[0], TODAY)
    qtbot.keyClick(widget.to_edit, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert dialog.isVisible()


def test_the_dashboard_remembers_its_filters_until_a_new_unlock(
    qtbot: QtBot, supervisor_path: Path
) -> None:
    window = shown_window(qtbot, supervisor_path)

    def unlock() -> None:
        window.unlock_page.passphrase.setText(EXCHANGE_PASSPHRASE)
        window.unlock_page.try_unlock()
        qtbot.waitUntil(lambda: window.notebook is not None, timeout=10_000)

    def open_dashboard() -> DashboardWidget:
        window.open_dashboard()
        widget = window.dashboard_dialog.dashboard
        qtbot.waitUntil(lambda: widget.figures() is not None, timeout=20_000)
        return widget

    unlock()
    assert window.notebook is not None
    bo = next(p for p in counsellor_periods(window.notebook) if p.label)
    widget = open_dashboard()
    defaults = widget.current_filters()
    start = date(TODAY.year - 1, 3, 1)
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        widget.set_period(start, TODAY)
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        assert widget.set_counsellor(bo.counsellor_id)
    window.dashboard_dialog.close()

    widget = open_dashboard()
    assert widget.period() == (start, TODAY) and widget.counsellor() == bo.counsellor_id
    assert widget.figures() == dashboard(window.notebook, start, TODAY, bo.counsellor_id)
    assert widget.counsellor_combo.currentText().startswith("Bo (Tuesdays) (")
    window.dashboard_dialog.close()

    window.lock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    unlock()
    widget = open_dashboard()
    assert widget.current_filters() == defaults and widget.counsellor() is None
    window.dashboard_dialog.close()


def test_the_concern_table_marks_serious_signs_without_notification_or_reason(
    qtbot: QtBot, supervisor: Notebook
) -> None:
    dialog = shown_dashboard(qtbot, supervisor)
    widget = dialog.dashboard
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        widget.set_period(*ALL_TIME)
    view = widget.concern_view
    table = concern_table(supervisor, *ALL_TIME)
    assert widget.concerns() == table and table.unexplained == 2
    yes = list(ConcernSigns).index(ConcernSigns.YES)
    decisions = list(ConcernDecision)
    assert view.flagged_cells() == [
        (yes, decisions.index(ConcernDecision.TALK_WITH_SUPERVISOR)),
        (yes, decisions.index(ConcernDecision.NOT_NEEDED)),
    ]
    for row, signs in enumerate(ConcernSigns):
        for column, decision in enumerate(decisions):
            assert view.grid.item(row, column).text().split("\n")[0] == str(
                table.counts[(signs, decision)]
            )
    said = "2 concerns with signs of serious risk have no notification and no reason."
    assert view.sentence_label.text() == said and view.sentence_label.font().bold()
    assert said in view.grid.accessibleDescription()
    image = view.grid.grab().toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 3)
    }
    assert ALARM.name() in colours  # the red is drawn, not only set

    asked: list[CaseFilters] = []
    widget.connect_case_list(asked.append)
    row, column = view.flagged_cells()[0]
    view.grid.setCurrentCell(row, column)
    view.grid.cellActivated.emit(row, column)
    assert asked == [
        CaseFilters(None, *ALL_TIME, ConcernSigns.YES, ConcernDecision.TALK_WITH_SUPERVISOR)
    ]
    # A period without them: no red, a calm sentence.
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        widget.set_period(date(2000, 1, 1), date(2000, 12, 31))
    assert view.flagged_cells() == [] and not view.sentence_label.font().bold()
    assert dialog.isVisible()


def test_the_overview_per_counsellor_from_the_dashboard(qtbot: QtBot, supervisor: Notebook) -> None:
    dialog = shown_dashboard(qtbot, supervisor)
    widget = dialog.dashboard
    start, end = TODAY - timedelta(days=120), TODAY
    with qtbot.waitSignal(widget.updated, timeout=20_000):
        widget.set_period(start, end)
    # The counsellor filter counts the cases of the chosen period, as every figure does.
    periods = counsellor_periods(supervisor, start, end)
    combo = [widget.counsellor_combo.itemText(i) for i in range(widget.counsellor_combo.count())]
    for item in periods:
        noun = "case" if item.cases == 1 else "cases"
        assert f"{item.display_name} ({item.cases} {noun})" in combo

    assert widget.counsellors_button.isVisibleTo(widget)
    widget.counsellors_button.click()
    overview = widget.counsellors_dialog
    assert overview is not None
    qtbot.waitUntil(lambda: len(overview.items()) == 2, timeout=20_000)
    assert overview.period() == (start, end) and overview.items() == periods
    table = overview.table
    for row, item in enumerate(periods):
        assert table.item(row, 0).text() == item.display_name
        assert table.item(row, 1).text() == str(item.cases)
        assert table.item(row, 2).text() == str(item.contacts)
        on_time = item.follow_ups[FollowUpOutcome.ON_TIME]
        assert table.item(row, 3).text() == f"{on_time} of {item.follow_ups_due}"
        assert table.item(row, 5).text() == str(item.open_concerns)
        assert item.last_bundle is not None
        assert table.item(row, 6).toolTip().startswith("made ")
    # No list of cases connected yet: no button that does nothing.
    assert not overview.cases_button.isVisibleTo(overview)
    asked: list[CaseFilters] = []
    overview.connect_case_list(asked.append)
    overview.table.selectRow(0)
    overview.cases_button.click()
    assert asked == [CaseFilters(periods[0].counsellor_id, start, end)]

    # Another period (Enter in its field applies it, and keeps the window).
    overview.activateWindow()
    overview.from_edit.setFocus()
    overview.from_edit.blockSignals(True)
    overview.from_edit.setDate(ALL_TIME[0])
    overview.from_edit.blockSignals(False)
    with qtbot.waitSignal(overview.updated, timeout=20_000):
        qtbot.keyClick(overview.from_edit, Qt.Key.Key_Return)
    assert overview.isVisible()
    assert overview.items() == counsellor_periods(supervisor, ALL_TIME[0], end)
    assert unnamed_controls(overview) == []
    assert duplicates(mnemonics(overview)) == set()
    save_screenshot(overview, "counsellors")
    overview.close()


def test_the_dashboard_mnemonics_stay_distinct_in_danish(
    qtbot: QtBot, supervisor: Notebook
) -> None:
    set_language("da")
    dialog = shown_dashboard(qtbot, supervisor)
    buttons = [
        w.text()
        for w in (
            dialog.dashboard.month_button,
            dialog.dashboard.quarter_button,
            dialog.dashboard.year_button,
            dialog.dashboard.twelve_button,
            dialog.dashboard.name_button,
            dialog.dashboard.counsellors_button,
            dialog.dashboard.report_button,
        )
    ]
    assert "&Oversigt pr. rådgiver…" in buttons
    keys = [mnemonic_key(text) for text in buttons]
    assert duplicates(keys) == set()


def test_the_overview_per_counsellor_from_the_supervision_menu(
    qtbot: QtBot, supervisor_path: Path
) -> None:
    """The Supervision menu opens the overview (the dashboard's defaults, then the filters
    the dashboard was left with), with its own key and an Alt key of its own in Danish."""
    window = shown_window(qtbot, supervisor_path)
    window.unlock_page.passphrase.setText(EXCHANGE_PASSPHRASE)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: window.notebook is not None, timeout=10_000)
    assert window.notebook is not None
    (action,) = [
        a for a in window.supervision_menu.actions() if a.text() == "O&verview per counsellor…"
    ]
    assert action.isVisible() and action.isEnabled()

    def opened() -> CounsellorsDialog:
        action.trigger()
        overview = window.counsellors_dialog
        qtbot.waitUntil(lambda: bool(overview.items()), timeout=20_000)
        assert overview.isVisible()
        return overview

    overview = opened()
    assert overview.period() == (DashboardFilters.defaults().period_from, TODAY)
    names = [overview.table.item(row, 0).text() for row in range(overview.table.rowCount())]
    assert "Bo (Tuesdays)" in names
    assert overview.items() == counsellor_periods(window.notebook, *overview.period())
    # A row opens its cases in the window's list of received cases.
    assert overview.cases_button.isVisibleTo(overview)
    overview.close()

    # The dashboard's filters, as it was left, are the overview's.
    window.open_dashboard()
    board = window.dashboard_dialog.dashboard
    qtbot.waitUntil(lambda: board.figures() is not None, timeout=20_000)
    start = TODAY - timedelta(days=120)
    with qtbot.waitSignal(board.updated, timeout=20_000):
        board.set_period(start, TODAY)
    window.dashboard_dialog.close()
    overview = opened()
    assert overview.period() == (start, TODAY)
    assert overview.items() == counsellor_periods(window.notebook, start, TODAY)
    overview.close()

    # The key is the item's alone, and listed by F1.
    rows = window.shortcut_rows()
    assert ("Overview per counsellor…", "Ctrl+Shift+K") in rows
    assert [keys for _name, keys in rows].count("Ctrl+Shift+K") == 1
    # In Danish no two items of the menu share an Alt key.
    window.apply_language("da")
    texts = [a.text() for a in window.supervision_menu.actions() if not a.isSeparator()]
    assert "Oversigt pr. &rådgiver…" in texts
    keys = [text[text.find("&") + 1].lower() for text in texts if "&" in text]
    assert len(keys) == len(texts) and duplicates(keys) == set()
