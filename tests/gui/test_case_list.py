"""The case list fetches its rows on demand: a keystroke finds a screenful, scrolling to
the end finds and loads the rest (in the full search's order, each case once), the
selection stays where it was meanwhile, and the number of cases follows after a pause."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QListView
from pytestqt.qtbot import QtBot

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.search import CaseSearch
from counsellor_app.core.store import Notebook
from counsellor_app.gui import notebook_page
from counsellor_app.gui.notebook_page import CaseListModel, NotebookPage
from tests.helpers import FAST_KDF, PASSPHRASE


@pytest.fixture
def notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Notebook:
    """260 demo cases; a batch of 40 rows and a search window of 60 cases, so that the
    list is found and fetched in several steps."""
    monkeypatch.setattr(notebook_page, "BATCH", 40)
    monkeypatch.setattr(CaseSearch, "window", 60)
    made, _recovery = Notebook.create(tmp_path / "n.cnb", PASSPHRASE, kdf=FAST_KDF)
    fill_demo(made, 260, seed=3)
    yield made
    made.close()


def _ids(model: CaseListModel) -> list[int]:
    return [model.summary(row).id for row in range(model.rowCount())]


def _scroll_to_the_end(qtbot: QtBot, view: QListView) -> None:
    model = view.model()

    def at_the_end() -> bool:
        view.scrollToBottom()
        return not model.canFetchMore(QModelIndex())

    qtbot.waitUntil(at_the_end, timeout=10_000)


def test_scrolling_to_the_end_loads_every_row_in_order(qtbot: QtBot, notebook: Notebook) -> None:
    model = CaseListModel(notebook)
    view = QListView()
    qtbot.addWidget(view)
    view.setUniformItemSizes(True)
    view.setModel(model)
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    model.set_query("s")
    everyone = notebook.find_case_ids("s")
    assert len(everyone) > 200
    assert model.rowCount() == 40 and not model.counted()  # a screenful, the rest not sought
    assert _ids(model) == everyone[:40]
    _scroll_to_the_end(qtbot, view)
    assert _ids(model) == everyone and model.counted() and model.total() == len(everyone)
    # The case of a call, pinned first, is listed once when the rest is fetched.
    deep = everyone[150]
    model.set_query("s", pinned=deep)
    _scroll_to_the_end(qtbot, view)
    assert _ids(model) == [deep] + [i for i in everyone if i != deep]
    assert model.total() == len(everyone)


def test_the_selection_stays_while_rows_are_fetched_and_the_count_follows(
    qtbot: QtBot, notebook: Notebook
) -> None:
    page = NotebookPage()
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    page.attach(notebook)
    qtbot.keyClicks(page.search, "s")
    everyone = notebook.find_case_ids("s")
    page.list.setCurrentIndex(page.model.index(5))
    chosen = page.model.summary(5).id
    assert page.case_view.case_id == chosen
    # The number of cases is said after a pause in typing (counting is the slow part).
    qtbot.waitUntil(lambda: page.count.text() == f"{len(everyone)} sager")
    _scroll_to_the_end(qtbot, page.list)
    assert page.model.rowCount() == len(everyone)
    assert page.list.currentIndex().row() == 5
    assert page.model.summary(page.list.currentIndex().row()).id == chosen
    assert page.case_view.case_id == chosen
    page.detach()
