"""Qt's file dialogs do not record the folders a counsellor used (issue 15): a real
window and a real file dialog in a process of its own, its home folder in tmp, so that
Qt's own settings file (``~/.config/QtProject.conf``) is looked at where Qt writes it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog
    from counsellor_app.gui.app import MainWindow
    from counsellor_app.gui.widgets import choose_save_path

    app = QApplication([])
    chosen = Path(sys.argv[1]) / "report.pdf"
    if sys.argv[2] == "window":
        window = MainWindow(Path(sys.argv[1]) / "nb.cnb")  # what the app shows first
        window.show()

    def answer():
        for widget in app.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                widget.selectFile(str(chosen))
                widget.accept()
                return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)
    print(choose_save_path(None, "Save", "report.pdf", "PDF (*.pdf)"))
    app.processEvents()
    """
)


def _run(tmp_path: Path, mode: str) -> str:
    home, chosen = tmp_path / "home", tmp_path / "secret-clients-folder"
    home.mkdir(exist_ok=True)
    chosen.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), COUNSELLOR_APP_HOME=str(tmp_path / "app"))
    env.pop("XDG_CONFIG_HOME", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(chosen), mode],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("report.pdf"), done.stdout + done.stderr
    written = home / ".config" / "QtProject.conf"
    return written.read_text(encoding="utf-8") if written.exists() else ""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's settings file on Linux")
def test_the_folder_of_a_file_dialog_is_not_recorded(tmp_path: Path) -> None:
    # Without the app's window, Qt records the folder: the test sees what it looks for.
    assert "secret-clients-folder" in _run(tmp_path, "bare")
    recorded = _run(tmp_path, "window")
    assert "secret-clients-folder" not in recorded
    assert "lastVisited" not in recorded and "history" not in recorded
