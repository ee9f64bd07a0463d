"""A supervisor's notebook holding a case an older version imported before imports were
scanned (issue 13), opened in the real window: the case view and its summary PDF show the
placeholders and the mark, never the identifiers stored; and after the unlock the texts
are stored de-identified in the background (the notebook lane), marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from counsellor_app.core.i18n import set_language
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import imported_case, unscanned_imports
from tests.gui.helpers import shown_window, unlock
from tests.helpers import FAST_KDF, PASSPHRASE
from tests.unit.exchange_support import UNSCANNED, UNSCANNED_PARTS, older_supervisor


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    set_language("en")


def leaks(text: str) -> list[str]:
    return [part for part in UNSCANNED_PARTS if part in text]


def test_the_window_shows_and_prints_them_replaced_and_stores_them_so(
    qtbot: QtBot, tmp_path: Path
) -> None:
    supervisor, counsellor, planted = older_supervisor(tmp_path, FAST_KDF)
    counsellor.close()
    with supervisor:
        assert unscanned_imports(supervisor) == 1
    window = shown_window(qtbot, tmp_path / "supervisor.cnb")
    unlock(qtbot, window, PASSPHRASE)
    # Supervision -> Received cases opens by itself at a supervisor's unlock.
    qtbot.waitUntil(lambda: getattr(window, "received_cases_window", None) is not None)
    cases = window.received_cases_window.cases
    qtbot.waitUntil(lambda: cases.model.rowCount() == 3, timeout=10_000)
    (row,) = [r for r in range(3) if cases.model.row(r).id == planted]
    cases.open_row(row)
    view = cases.case_view
    shown = view.texts.toPlainText()
    assert not leaks(shown) and shown.count("[navn]") >= 10
    assert "identifiers were replaced on import: tell the counsellor" in view.header.text()
    target = tmp_path / "summary.pdf"
    with qtbot.waitSignal(view.summary_saved, timeout=30_000):
        assert view.save_summary(target)
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())
    assert not leaks(pdf) and "[navn]" in pdf and "replaced on import" in pdf

    # Stored de-identified after the unlock, on the notebook lane.
    notebook = window.notebook
    assert notebook is not None
    qtbot.waitUntil(lambda: not window.chores.busy(), timeout=30_000)
    assert unscanned_imports(notebook) == 0
    stored = "\n".join(
        str(v) for row in notebook.query("SELECT * FROM imported_conversations") for v in row
    )
    assert UNSCANNED not in stored and not leaks(stored)
    item = imported_case(notebook, planted)
    assert item.identifiers_replaced is not None and item.identifiers_replaced >= 30
    window.lock()
    window.chores.wait()
    with Notebook.open(tmp_path / "supervisor.cnb", PASSPHRASE) as again:
        assert unscanned_imports(again) == 0
