#!/usr/bin/env python3
"""Screenshots of the real window on a demo notebook, for README.md (docs/*.png).

QT_QPA_PLATFORM=offscreen python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import Step  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.gui.app import DEMO_PASSPHRASE, MainWindow  # noqa: E402


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COUNSELLOR_APP_HOME"] = folder
        path = Path(folder) / "demo.cnb"
        notebook, _recovery = Notebook.create(path, DEMO_PASSPHRASE)
        with notebook:
            fill_demo(notebook, 200, seed=7)
        window = MainWindow(path, demo=True)
        window.resize(1100, 700)
        window.show()
        app.processEvents()
        window.grab().save(str(docs / "unlock.png"))
        window.unlock_page.try_unlock()
        page = window.notebook_page
        page.search.setText("skole")
        page.list.setCurrentIndex(page.model.index(0))
        app.processEvents()
        window.grab().save(str(docs / "cases.png"))
        page.new_call()
        editor = page.editor
        assert editor is not None
        editor.editors[Step.LISTEN].setPlainText(
            "Mor ringer, fordi sønnen på 13 år ikke vil i skole om morgenen. Det startede efter "
            "efterårsferien. Han siger, at han har ondt i maven."
        )
        app.processEvents()
        window.grab().save(str(docs / "call.png"))
        window.close()
    print("wrote unlock.png, cases.png and call.png in", docs)


if __name__ == "__main__":
    main()
