"""The unlock window starts on Qt and the key file alone: Argon2 and AES-GCM load at the
first unlock, the rest of the app (the encrypted store, PDFs, age, the anonymity engine,
reports, supervision, mentoring) after the window is shown. Not timed
(benchmarks/bench_gui.py times the start-up); this holds what is imported by the time the
window is first painted, and which Qt classes PySide has built by then (each with its enums,
built on first use: the classes of other windows are not)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import counsellor_app
from counsellor_app.core.store import Notebook
from tests.helpers import FAST_KDF, PASSPHRASE

#: ``python -c CHILD <notebook>``: the app as ``python -m counsellor_app --notebook``, which
#: prints the modules loaded when its first window is first painted, then quits.
CHILD = r"""
import json, runpy, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6 import QtWidgets
from PySide6.QtWidgets import QApplication

lazy = "QWizard" not in vars(QtWidgets)  # this PySide builds its classes on first use

app = QApplication(sys.argv)  # run_gui uses the running one
seen = {}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if not seen and event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
            seen.update(window=type(obj).__name__, modules=sorted(sys.modules))
            # PySide builds a class (and its enums) on first use, then it is in the module.
            seen["built"] = sorted(name for name in vars(QtWidgets) if name.startswith("Q"))
            QTimer.singleShot(0, app.quit)
        return False

watch = Watch()
app.installEventFilter(watch)
sys.argv = ["counsellor_app", "--notebook", sys.argv[1]]
try:
    runpy.run_module("counsellor_app", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print(json.dumps(dict(seen, lazy=lazy)))
"""

#: Modules the unlock window must not wait for (a package stands for its submodules).
NOT_BEFORE_UNLOCK = (
    "sqlcipher3",
    "filelock",
    "reportlab",
    "pyrage",
    "babel",
    "importlib.metadata",
    # Argon2 and AES-GCM load at the first unlock (argon2 brings platform); html compiles
    # a large pattern (the about box escapes one title).
    "argon2",
    "cryptography",
    "html",
    "counsellor_app.core.store",
    "counsellor_app.core.connection",
    "counsellor_app.core.backups",
    "counsellor_app.core.search",
    "counsellor_app.core.anonymity",
    "counsellor_app.core.exchange",
    "counsellor_app.core.mentoring",
    "counsellor_app.core.pdf",
    "counsellor_app.core.reports",
    "counsellor_app.core.research",
    "counsellor_app.core.supervision",
    "counsellor_app.core.dashboard",
    "counsellor_app.core.taxonomy",
    "counsellor_app.gui.notebook_page",
    "counsellor_app.gui.case_view",
    "counsellor_app.gui.conversation",
    "counsellor_app.gui.guard",
    "counsellor_app.gui.charts",
    "counsellor_app.gui.dashboard",
    "counsellor_app.gui.settings_dialog",
)


#: Qt classes of windows the unlock window does not show: PySide builds them (each with
#: its enums) only when asked for one, or when it looks for the closest class of an object
#: of a class it does not know (a Qt-internal one passing an event filter).
NOT_BUILT_BEFORE_UNLOCK = (
    "QWizard",
    "QMdiArea",
    "QGraphicsView",
    "QCalendarWidget",
    "QFileSystemModel",
    "QTableWidget",
    "QHeaderView",
    "QTreeView",
    "QListView",
)


def _first_paint(tmp_path: Path, home: Path) -> dict[str, Any]:
    path = tmp_path / "notebook.cnb"
    notebook, _recovery = Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)
    notebook.close()
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    # The child runs the code under test (the same as this process imports).
    source = str(Path(counsellor_app.__file__).parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (source, env.get("PYTHONPATH"))))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return seen


def test_the_unlock_window_shows_before_the_rest_of_the_app_is_loaded(
    tmp_path: Path, home: Path
) -> None:
    seen = _first_paint(tmp_path, home)
    assert seen["window"] == "MainWindow"
    modules = set(seen["modules"])
    # The unlock page itself and the key file's reader are there (Argon2 comes with the
    # first unlock, while the passphrase is typed it is not needed).
    assert {"counsellor_app.gui.unlock", "counsellor_app.core.keys"} <= modules
    loaded = sorted(
        name
        for name in modules
        for heavy in NOT_BEFORE_UNLOCK
        if name == heavy or name.startswith(heavy + ".")
    )
    assert loaded == []


def test_the_unlock_window_builds_only_the_qt_classes_it_shows(tmp_path: Path, home: Path) -> None:
    seen = _first_paint(tmp_path, home)
    if not seen["lazy"]:
        pytest.skip("this PySide builds every class when its module is imported")
    assert seen["window"] == "MainWindow"
    assert {"QMainWindow", "QLineEdit", "QPushButton"} <= set(seen["built"])
    assert sorted(set(NOT_BUILT_BEFORE_UNLOCK) & set(seen["built"])) == []
