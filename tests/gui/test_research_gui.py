"""The research export's dialog: l-diversity is on unless the supervisor turns it off, and
the export writes both files, both codebooks and the data package."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle
from counsellor_app.gui.research import ResearchExportDialog
from tests.helpers import FAST_KDF


def test_l_diversity_from_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    supervisor, _recovery = Notebook.create(
        tmp_path / "supervisor.cnb", "pass", Role.SUPERVISOR, kdf=FAST_KDF
    )
    key = ensure_key_pair(supervisor)
    counsellor, _recovery = Notebook.create(tmp_path / "c.cnb", "pass", kdf=FAST_KDF)
    with counsellor:
        fill_demo(counsellor, 80, seed=5)
        bundle = export_bundle(counsellor, key, tmp_path / "c.bundle", today=date.today()).path
    import_bundle(supervisor, bundle, accept_new=True)
    with supervisor:
        dialog = ResearchExportDialog(supervisor)
        qtbot.addWidget(dialog)
        assert dialog.l_diversity.isChecked()  # on unless turned off
        for folder, diverse in (("on", True), ("off", False)):
            if not diverse:
                qtbot.mouseClick(dialog.l_diversity, Qt.MouseButton.LeftButton)
                assert not dialog.l_diversity.isChecked()
            with qtbot.waitSignal(dialog.exported, timeout=20_000):
                assert dialog.export_to(tmp_path / folder)
            written = {p.name for p in (tmp_path / folder).iterdir()}
            assert {"cases.csv", "conversations.csv", "codebook.en.md"} <= written
            assert "datapackage.json" in written
            book = json.loads((tmp_path / folder / "codebook.json").read_text(encoding="utf-8"))
            assert book["disclosure_control"]["l_diversity"] is diverse
            readme = (tmp_path / folder / "README.md").read_text(encoding="utf-8")
            assert ("l-diversitet: i de kolonner" in readme) is diverse
