"""The core never imports Qt: import every core module with PySide6 blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import counsellor_app.core

CORE = Path(counsellor_app.core.__file__).parent

BLOCK_QT = """
import importlib, pkgutil, sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):
            raise ImportError('the core must not import ' + name)
sys.meta_path.insert(0, BlockQt())
import counsellor_app.core as core
for module in pkgutil.walk_packages(core.__path__, 'counsellor_app.core.'):
    importlib.import_module(module.name)
import counsellor_app.cli  # the command line, too, until it opens the window
print('ok')
"""


def test_core_modules_import_with_qt_blocked() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_no_qt_import_statement_in_core() -> None:
    offenders = [
        str(path)
        for path in CORE.rglob("*.py")
        if any(
            line.lstrip().startswith(("import PySide6", "from PySide6", "import shiboken6"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
