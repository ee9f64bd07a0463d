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


def supervisor_notebook(folder: Path) -> Path:
    """A supervisor's notebook that imported three counsellors' demo bundles (real,
    signed), one counsellor named by the supervisor."""
    from counsellor_app.core.domain import Role
    from counsellor_app.core.exchange import ensure_key_pair, export_bundle
    from counsellor_app.core.supervision import import_bundle, set_counsellor_label

    path = folder / "supervisor.cnb"
    supervisor, _recovery = Notebook.create(path, DEMO_PASSPHRASE, Role.SUPERVISOR)
    with supervisor:
        key = ensure_key_pair(supervisor)
        for name, count, seed in (("anna", 80, 3), ("bo", 40, 5), ("cai", 25, 9)):
            with Notebook.create(folder / f"{name}.cnb", DEMO_PASSPHRASE)[0] as counsellor:
                fill_demo(counsellor, count, seed=seed)
                bundle = export_bundle(counsellor, key, folder / f"{name}.cnbundle").path
            result = import_bundle(supervisor, bundle, accept_new=True)
            if name == "bo":
                set_counsellor_label(supervisor, str(result.counsellor_id), "Bo (tirsdage)")
    return path


def shoot_supervisor(app: QApplication, path: Path, docs: Path, scheme: str) -> list[str]:
    """The supervisor's overview per counsellor, opened from the dashboard, and the
    received cases."""
    from datetime import date

    from counsellor_app.gui.dashboard import DashboardDialog

    app.setStyle("Fusion")
    app.setPalette(dark_palette() if scheme == "dark" else app.style().standardPalette())
    with Notebook.open(path, DEMO_PASSPHRASE) as notebook:
        dashboard = DashboardDialog(notebook)
        dashboard.show()
        today = date.today()
        dashboard.dashboard.set_period(date(today.year, 1, 1), today)
        overview = dashboard.dashboard.open_counsellors()
        while not overview.items():
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        overview.table.selectRow(1)
        overview.resize(1080, 330)  # the offscreen screen is smaller than a real one
        app.processEvents()
        file_name = f"counsellors-{scheme}.png"
        overview.grab().save(str(docs / file_name))
        overview.close()
        dashboard.close()
        dashboard.dashboard.stop()
        app.processEvents()
        cases_name = shoot_received_cases(app, notebook, docs, scheme)
    return [file_name, cases_name]


def shoot_received_cases(app: QApplication, notebook: Notebook, docs: Path, scheme: str) -> str:
    """The supervisor's received cases, filtered to those that worsened, one case open."""
    from counsellor_app.core.received_cases import CaseFilter, Movement
    from counsellor_app.gui.received_cases import ReceivedCasesWindow

    window = ReceivedCasesWindow(notebook)
    window.resize(1280, 760)  # the offscreen screen is smaller than a real one
    window.show()
    window.show_filter(CaseFilter(movement=Movement.WORSE))
    while not window.cases.count_label.text()[:1].isdigit():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    window.cases.open_row(0)
    app.processEvents()
    file_name = f"received-cases-{scheme}.png"
    window.grab().save(str(docs / file_name))
    window.close()
    app.processEvents()
    return file_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    parser.add_argument("--only", choices=("light", "dark"), help="one colour scheme only")
    parser.add_argument(
        "--screens",
        choices=("all", "counsellor", "supervisor"),
        default="all",
        help="the counsellor's screens, the supervisor's, or both",
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translator(app, "da")  # Qt's own buttons in Danish, as in the app
    docs = args.out
    docs.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COUNSELLOR_APP_HOME"] = folder
        schemes = [args.only] if args.only else ["light", "dark"]
        if args.screens in ("all", "counsellor"):
            path = Path(folder) / "demo.cnb"
            notebook, _recovery = Notebook.create(path, DEMO_PASSPHRASE)
            with notebook:
                fill_demo(notebook, 200, seed=7)
            for scheme in schemes:
                written += shoot(app, path, docs, scheme)
        if args.screens in ("all", "supervisor"):
            supervisor = supervisor_notebook(Path(folder))
            for scheme in schemes:
                written += shoot_supervisor(app, supervisor, docs, scheme)
    print("wrote", ", ".join(written), "in", docs)


if __name__ == "__main__":
    main()
