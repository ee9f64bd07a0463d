#!/usr/bin/env python3
"""Screenshots of the real window on a demo notebook, for README.md (docs/*.png).

QT_QPA_PLATFORM=offscreen python scripts/screenshots.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import Step  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.gui.app import DEMO_PASSPHRASE, MainWindow, install_qt_translator  # noqa: E402


def dark_palette() -> QPalette:
    """A dark palette like the ones Windows, macOS and GNOME give in dark mode."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e",
        QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8a8a8a",
        QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f65ca",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#353535",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Link: "#7aa7ff",
        QPalette.ColorRole.Mid: "#4a4a4a",
        QPalette.ColorRole.Dark: "#151515",
        QPalette.ColorRole.Light: "#505050",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    return palette


def shoot(app: QApplication, path: Path, docs: Path, scheme: str) -> list[str]:
    """The main screens in one colour scheme; returns the file names written."""
    # The offscreen platform has no system theme to follow, so the dark scheme a
    # desktop would hand the app is set here as a palette.
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())
    written: list[str] = []

    def grab(window: QWidget, name: str) -> None:
        app.processEvents()
        file_name = f"{name}-{scheme}.png"
        window.grab().save(str(docs / file_name))
        written.append(file_name)

    window = MainWindow(path, demo=True)
    window.resize(1200, 760)
    window.show()
    grab(window, "unlock")
    window.unlock_page.try_unlock()  # opens in the background, then reports
    while window.unlock_page.busy():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    page = window.notebook_page
    page.search.setText("skole")
    page.list.setCurrentIndex(page.model.index(0))
    grab(window, "cases")
    # A follow-up call on a case with earlier contacts and a concern with signs of serious
    # risk: the history beside the notes, the mark, the call-back number apart.
    notebook = window.notebook
    assert notebook is not None
    case_id = max(
        notebook.search(""),
        key=lambda s: (s.serious_risk, min(len(notebook.conversations(s.id)), 3)),
    ).id
    page.start_conversation(case_id)
    editor = page.editor
    assert editor is not None
    editor.callback.edit.setText("20 30 40 50")
    editor.editors[Step.LISTEN].setPlainText(
        "Mor ringer, fordi sønnen på 13 år ikke vil i skole om morgenen. Det startede efter "
        "efterårsferien. Han siger, at han har ondt i maven. Klasselæreren Mette har ringet "
        "hjem to gange."
    )
    editor.focus_step(Step.LISTEN)
    QTest.qWait(600)  # the anonymity guard marks names after a pause in typing
    grab(window, "call")
    window.close()
    window.chores.wait()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    parser.add_argument("--only", choices=("light", "dark"), help="one colour scheme only")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translator(app, "da")  # Qt's own buttons in Danish, as in the app
    docs = args.out
    docs.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COUNSELLOR_APP_HOME"] = folder
        path = Path(folder) / "demo.cnb"
        notebook, _recovery = Notebook.create(path, DEMO_PASSPHRASE)
        with notebook:
            fill_demo(notebook, 200, seed=7)
        for scheme in [args.only] if args.only else ["light", "dark"]:
            written += shoot(app, path, docs, scheme)
    print("wrote", ", ".join(written), "in", docs)


if __name__ == "__main__":
    main()
