"""The window on a laptop (1366×768 less the task bar; the same in Qt's pixels at 200 %
scaling of a 2732×1536 screen): no list scrolls sideways, no column heading or button is
cut off, the check lists of themes, arenas and factors wrap rather than scroll, and the
case view does not jump when the first follow-up is saved. In Danish and in English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QListWidget, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Alliance, AllianceStatus, Consent, FollowUp, Partner
from counsellor_app.core.i18n import set_language
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.gui.app import MainWindow
from tests.gui.helpers import WINDOW_PASSPHRASE, make_notebook, shown_window

LAPTOP = (1366, 728)


def cut_off(root: QWidget) -> list[str]:
    """What a user would see cut: a list scrolled sideways, a heading or a button
    narrower than its text."""
    problems = []
    for tree in root.findChildren(QTreeWidget):
        if tree.isVisible() and tree.horizontalScrollBar().isVisible():
            problems.append(f"{tree.accessibleName()} scrolls sideways")
        header: QHeaderView = tree.header()
        for column in range(header.count()):
            if tree.isVisible() and header.sectionSize(column) < header.sectionSizeHint(column):
                problems.append(f"heading {tree.headerItem().text(column)!r} cut")
    for checklist in root.findChildren(QListWidget):
        if not checklist.isVisible():
            continue
        if checklist.horizontalScrollBar().isVisible():
            problems.append(f"{checklist.objectName()} scrolls sideways")
        # A label either fits beside its check box or wraps onto more lines.
        width = checklist.viewport().width() - 32
        metrics = checklist.fontMetrics()
        for row in range(checklist.count()):
            item = checklist.item(row)
            wrapped = checklist.visualItemRect(item).height() > 1.5 * metrics.lineSpacing()
            if metrics.horizontalAdvance(item.text()) > width and not wrapped:
                problems.append(f"{item.text()!r} wider than its list")
    for button in root.findChildren(QAbstractButton):
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
            problems.append(f"button {button.text()!r} cut")
    return problems


@pytest.fixture(params=["da", "en"])
def language(request: pytest.FixtureRequest) -> str:
    """The window's language (it follows the settings, as at a real start)."""
    settings = AppSettings.load()
    settings.language = request.param
    settings.save()
    set_language(request.param)
    return str(request.param)


def laptop_window(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, int]:
    path = tmp_path / "n.cnb"
    make_notebook(path)
    with Notebook.open(path, WINDOW_PASSPHRASE) as notebook:
        case_id = notebook.find_case_ids("")[0]
        long = "Familierådgiveren i kommunen ringer moren op inden næste møde på skolen"
        notebook.save_alliance(
            Alliance(
                case_id,
                Partner.MUNICIPALITY,
                role="Familierådgiver i kommunens familieafdeling",
                agreed=long,
                consent=Consent.GIVEN,
                status=AllianceStatus.CONTACTED,
            )
        )
    window = shown_window(qtbot, path)
    window.resize(*LAPTOP)
    window.unlock_page.passphrase.setText(WINDOW_PASSPHRASE)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    return window, case_id


def test_the_case_view_fits_a_laptop(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    window, case_id = laptop_window(qtbot, tmp_path)
    assert window.minimumSizeHint().width() <= LAPTOP[0]
    page = window.notebook_page
    page.show_case_id(case_id)
    qtbot.wait(50)
    assert (
        page.list.horizontalScrollBar().isHidden()
        or not page.list.horizontalScrollBar().isVisible()
    )
    assert cut_off(window) == []
    # The first follow-up saved: the lists keep their places (no jump under the mouse).
    notes = page.case_view.timeline.geometry()
    alliances = page.case_view.alliances.mapTo(window, page.case_view.alliances.rect().topLeft())
    assert page.notebook is not None
    page.notebook.save_follow_up(FollowUp(case_id, date(2030, 1, 2), counsellor_task="Ringe op"))
    page.case_view.reload()
    qtbot.wait(50)
    assert page.case_view.timeline.geometry() == notes
    assert (
        page.case_view.alliances.mapTo(window, page.case_view.alliances.rect().topLeft())
        == alliances
    )
    assert cut_off(window) == []


def test_the_call_fits_a_laptop(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    window, case_id = laptop_window(qtbot, tmp_path)
    page = window.notebook_page
    page.start_conversation(case_id)
    for tab in range(page.call_tabs.count()):
        page.call_tabs.setCurrentIndex(tab)
        qtbot.wait(50)
        assert cut_off(window) == [], page.call_tabs.tabText(tab)
    page.end_call()
