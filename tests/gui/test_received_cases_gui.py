"""The supervisor's case list in the window: filters, fetching on scroll, a case opened
read-only with its PDF, and the dashboard's bars and cells opening the cases behind them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from counsellor_app.core.dashboard import LEVELS
from counsellor_app.core.domain import WellbeingLevel
from counsellor_app.core.i18n import set_language
from counsellor_app.core.received_cases import (
    CaseFilter,
    Movement,
    count_received_cases,
    received_cases,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import imported_case
from counsellor_app.gui import received_cases as gui_cases
from counsellor_app.gui.charts import Chart
from counsellor_app.gui.dashboard import DashboardDialog
from counsellor_app.gui.received_cases import (
    ReceivedCasesWidget,
    ReceivedCasesWindow,
    connect_dashboard,
)
from tests.helpers import FAST_KDF, PASSPHRASE
from tests.unit.exchange_support import received_supervisor


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    set_language("en")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The supervisor's notebook, made once for the module (closed; each test opens it)."""
    path = tmp_path_factory.mktemp("received-gui")
    notebook, _ids = received_supervisor(path, FAST_KDF)
    notebook.close()
    return path


@pytest.fixture
def supervisor(folder: Path) -> Iterator[Notebook]:
    with Notebook.open(folder / "supervisor.cnb", PASSPHRASE) as notebook:
        yield notebook


def listed_ids(widget: ReceivedCasesWidget) -> list[int]:
    model = widget.model
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    return [model.row(row).id for row in range(model.rowCount())]


def core_ids(notebook: Notebook, case_filter: CaseFilter) -> list[int]:
    return [row.id for row in received_cases(notebook, case_filter, limit=10_000)]


def shown(qtbot: QtBot, notebook: Notebook) -> ReceivedCasesWidget:
    widget = ReceivedCasesWidget(notebook)
    qtbot.addWidget(widget)
    # The first list is counted off the UI thread: settled before a filter changes.
    qtbot.waitUntil(lambda: widget.count_label.text().endswith(("case", "cases")))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_each_filter_field_lists_what_the_core_lists(qtbot: QtBot, supervisor: Notebook) -> None:
    widget = shown(qtbot, supervisor)
    assert (
        listed_ids(widget) == core_ids(supervisor, CaseFilter()) and len(listed_ids(widget)) == 77
    )
    steps = [
        (widget.theme_combo, "sleep", CaseFilter(theme="sleep")),
        (
            widget.movement_combo,
            Movement.WORSE.value,
            CaseFilter(theme="sleep", movement=Movement.WORSE),
        ),
        (widget.movement_combo, "", CaseFilter(theme="sleep")),
        (widget.theme_combo, "", CaseFilter()),
        (
            widget.level_combo,
            WellbeingLevel.SEVERE.value,
            CaseFilter(level=WellbeingLevel.SEVERE),
        ),
    ]
    for combo, value, expected in steps:
        with qtbot.waitSignal(widget.counted, timeout=10_000):
            combo.setCurrentIndex(combo.findData(value))
        assert widget.case_filter() == expected
        assert listed_ids(widget) == core_ids(supervisor, expected)
        count = count_received_cases(supervisor, expected)
        assert widget.count_label.text() == (f"{count} case" if count == 1 else f"{count} cases")
    with qtbot.waitSignal(widget.counted, timeout=10_000):
        widget.missed_check.setChecked(True)
    assert widget.case_filter().follow_up is not None
    assert listed_ids(widget) == core_ids(supervisor, widget.case_filter())
    with qtbot.waitSignal(widget.counted, timeout=10_000):
        widget.clear_button.click()
    assert widget.case_filter() == CaseFilter() and widget.model.rowCount() == 77


def test_a_late_result_of_an_earlier_filter_is_dropped(qtbot: QtBot, supervisor: Notebook) -> None:
    widget = shown(qtbot, supervisor)
    counts: list[int] = []
    widget.counted.connect(counts.append)
    earlier = CaseFilter(level=WellbeingLevel.SEVERE)
    newer = CaseFilter(theme="sleep")
    # Both asked before either answers: the earlier one's answer, if it comes, is old.
    widget.show_filter(earlier)
    widget.show_filter(newer)
    qtbot.waitUntil(lambda: counts != [], timeout=10_000)
    qtbot.wait(500)  # time for the earlier one's answer, were it to arrive late
    assert counts == [count_received_cases(supervisor, newer)]
    assert widget.case_filter() == newer
    assert listed_ids(widget) == core_ids(supervisor, newer) != core_ids(supervisor, earlier)


def test_the_list_fetches_more_as_it_scrolls(
    qtbot: QtBot, supervisor: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui_cases, "PAGE", 10)
    widget = shown(qtbot, supervisor)
    # A page at a time: what fills the view, not all 77.
    assert widget.model.rowCount() % 10 == 0 and widget.model.rowCount() < 77

    def scrolled_to_the_end() -> bool:
        widget.table.scrollToBottom()
        return widget.model.rowCount() == 77

    qtbot.waitUntil(scrolled_to_the_end)
    rows = [widget.model.row(row).id for row in range(77)]
    assert rows == core_ids(supervisor, CaseFilter())


def test_a_case_opens_read_only_and_its_summary_pdf_is_written(
    qtbot: QtBot, supervisor: Notebook, tmp_path: Path
) -> None:
    widget = shown(qtbot, supervisor)
    assert not widget.case_view.pdf_button.isEnabled()
    widget.open_row(0)
    row = widget.model.row(0)
    item = imported_case(supervisor, row.id)
    texts = widget.case_view.texts
    assert texts.isReadOnly()
    notes = [
        text.strip() for talk in item.case.conversations for text in talk.summary.values() if text
    ]
    shown_text = texts.toPlainText()
    assert notes and all(note.splitlines()[0] in shown_text for note in notes)
    assert item.case.ref in widget.case_view.header.text()
    assert widget.case_view.chart.contact_count() == len(item.case.conversations)
    target = tmp_path / "summary.pdf"
    with qtbot.waitSignal(widget.case_view.summary_saved, timeout=30_000):
        assert widget.case_view.save_summary(target)
    pdf = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert item.case.ref[:8] in pdf.replace("\n", "")


def click(qtbot: QtBot, chart: Chart, key: object) -> None:
    chart.grab()  # paints it: where the bars are drawn
    rect = next(rect for rect, hit in chart.hit_areas() if hit == key)
    QTest.mouseClick(chart, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())


def test_a_bar_or_a_cell_of_the_dashboard_opens_the_cases_behind_it(
    qtbot: QtBot, supervisor: Notebook
) -> None:
    window = ReceivedCasesWindow(supervisor)
    qtbot.addWidget(window)
    dialog = DashboardDialog(supervisor)
    qtbot.addWidget(dialog)
    board = dialog.dashboard
    connect_dashboard(board, window.show_filter)
    with qtbot.waitSignal(board.updated, timeout=20_000):
        board.refresh()
    dialog.show()
    qtbot.waitExposed(dialog)
    figures = board.figures()
    assert figures is not None
    start, end = figures.period_from, figures.period_to

    theme, cases = next(iter(figures.themes.items()))
    board.chart_scroll.ensureWidgetVisible(board.themes_chart)
    with qtbot.waitSignal(window.cases.counted, timeout=10_000) as counted:
        click(qtbot, board.themes_chart, 0)
    assert window.cases.case_filter() == CaseFilter(period_from=start, period_to=end, theme=theme)
    assert counted.args == [cases] and window.cases.model.rowCount() == min(cases, 100)

    first, latest = next(
        (i, j) for i in range(4) for j in range(4) if figures.wellbeing_movement[i][j]
    )
    board.chart_scroll.ensureWidgetVisible(board.movement_chart)
    with qtbot.waitSignal(window.cases.counted, timeout=10_000) as counted:
        click(qtbot, board.movement_chart, (first, latest))
    assert window.cases.case_filter().first_level == LEVELS[first]
    assert window.cases.case_filter().level == LEVELS[latest]
    assert counted.args == [figures.wellbeing_movement[first][latest]]
    # The heat map's row has no field of its own: the window says it is filtered on.
    assert window.cases.extra_label.text()

    # The steps count contacts, not cases: a click there opens nothing.
    assert not board.steps_chart.clickable


def test_a_supervisor_finds_the_list_in_the_supervision_menu(qtbot: QtBot, folder: Path) -> None:
    from tests.gui.helpers import shown_window

    window = shown_window(qtbot, folder / "supervisor.cnb")
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    # At unlock the received cases open beside the main window, which keeps the keys.
    qtbot.waitUntil(lambda: getattr(window, "received_cases_window", None) is not None)
    opened = window.received_cases_window
    qtbot.waitUntil(opened.isVisible)
    # Listed off the UI thread (the first time, after reading the cases into memory).
    qtbot.waitUntil(lambda: opened.cases.model.rowCount() == 77, timeout=10_000)
    texts = [action.text() for action in window.supervision_menu.actions()]
    assert texts[0] == "Received &cases…"
    window.lock()
    assert not opened.isVisible() and opened.cases.model.rowCount() == 0


def test_the_list_follows_a_withdrawal(qtbot: QtBot, folder: Path, tmp_path: Path) -> None:
    import shutil

    from counsellor_app.core.supervision import withdraw_counsellor

    for name in ("supervisor.cnb", "supervisor.cnb.key"):
        shutil.copy(folder / name, tmp_path / name)
    with Notebook.open(tmp_path / "supervisor.cnb", PASSPHRASE) as notebook:
        widget = shown(qtbot, notebook)
        assert widget.model.rowCount() == 77
        bo = widget.model.row(0).counsellor_id
        removed = sum(1 for row in range(77) if widget.model.row(row).counsellor_id == bo)
        withdraw_counsellor(notebook, bo)
        with qtbot.waitSignal(widget.counted, timeout=10_000) as counted:
            widget.refresh()
        assert counted.args == [77 - removed] and widget.model.rowCount() == 77 - removed
        widget.stop()
