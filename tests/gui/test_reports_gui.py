"""PDFs and the research export from the window: a counsellor's case summary leaves no
identifier behind; a supervisor's research export stores the regions and writes the files."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.i18n import _
from counsellor_app.core.research import Region, counsellor_regions
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle
from counsellor_app.gui.research import ResearchExportDialog
from tests.gui.helpers import unlocked_window
from tests.helpers import FAST_KDF


def test_a_case_summary_pdf_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    case = notebook.new_case(themes=["anxiety"])
    conversation = notebook.new_conversation(case.id)
    notebook.save_note(
        conversation.id, Step.LISTEN, "Mor fortæller, at Mette Hansen på Lindehøjskolen driller."
    )
    window.notebook_page.case_view.load(notebook, case.id)
    target = tmp_path / "summary.pdf"
    assert window.write_case_summary(case.id, target)
    # Written on the notebook lane: the menu item waits, the status bar says so.
    assert not window.case_summary_action.isEnabled()
    assert window.statusBar().currentMessage() == _("Writing the case summary…")
    qtbot.waitUntil(window.case_summary_action.isEnabled, timeout=20_000)
    assert str(target) in window.statusBar().currentMessage()
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "driller" in text  # the counselling content is the point
    for identifier in ("Mette", "Hansen", "Lindehøjskolen", case.code):
        assert identifier not in text


def test_the_case_summary_file_name_holds_no_case_code(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file goes to a mentor or a supervisor: its suggested name carries the reference
    the PDF shows, not the case code the parent knows."""
    import counsellor_app.gui.app as app_module
    from counsellor_app.core.reports import own_case_ref

    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    case = notebook.new_case(themes=["anxiety"])
    window.notebook_page.case_view.load(notebook, case.id)
    suggested: list[str] = []

    def choose(_parent: object, _title: str, name: str, _filter: str) -> Path:
        suggested.append(name)  # the user takes the name offered
        return tmp_path / name

    monkeypatch.setattr(app_module, "choose_save_path", choose)
    window.save_case_summary()
    qtbot.waitUntil(window.case_summary_action.isEnabled, timeout=20_000)
    [name] = suggested
    assert case.code not in name and case.code.replace("K-", "") not in name
    ref = own_case_ref(notebook, case.id)
    assert ref[:8] in name
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / name).pages)
    assert ref in text.replace(" ", "").replace("\n", "")


def test_research_export_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    supervisor, _recovery = Notebook.create(
        tmp_path / "supervisor.cnb", "pass", Role.SUPERVISOR, kdf=FAST_KDF
    )
    key = ensure_key_pair(supervisor)
    counsellor, _recovery = Notebook.create(tmp_path / "c.cnb", "pass", kdf=FAST_KDF)
    with counsellor:
        fill_demo(counsellor, 120, seed=3)
        bundle = export_bundle(counsellor, key, tmp_path / "c.bundle", today=date.today()).path
    import_bundle(supervisor, bundle, accept_new=True)
    with supervisor:
        dialog = ResearchExportDialog(supervisor)
        qtbot.addWidget(dialog)
        [(counsellor_id, combo)] = dialog.region_combos.items()
        combo.setCurrentIndex(combo.findData(Region.SYDDANMARK.value))
        dialog.k.setValue(3)
        with qtbot.waitSignal(dialog.exported, timeout=20_000):
            assert dialog.export_to(tmp_path / "research")
            # Written on the notebook lane: the dialog shows it is busy meanwhile.
            assert not dialog.export_button.isEnabled()
        assert dialog.export_button.isEnabled()
        assert counsellor_regions(supervisor)[counsellor_id] is Region.SYDDANMARK
        data = (tmp_path / "research" / "conversations.csv").read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(data, newline=""), delimiter=";"))
        assert rows and str(len(rows)) in dialog.status.text()
        assert (tmp_path / "research" / "codebook.md").exists()
        # A folder that cannot be made: a sentence, not a crash.
        (tmp_path / "file").write_text("x")
        with qtbot.waitSignal(dialog.export_failed, timeout=20_000) as failed:
            dialog.export_to(tmp_path / "file" / "research")
        assert dialog.status.text() == failed.args[0]
