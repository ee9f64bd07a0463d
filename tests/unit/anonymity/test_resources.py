"""The anonymity package stays Qt-free, its data is documented and its texts translated."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import counsellor_app.core.anonymity as anonymity
from counsellor_app.core.anonymity import kinds
from counsellor_app.core.anonymity.data import RESOURCE_DIR, lexicon

PACKAGE_DIR = Path(anonymity.__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[2]


def test_importing_the_engine_loads_no_qt() -> None:
    code = (
        "import sys; import counsellor_app.core.anonymity as a; a.warm_up(); "
        "a.deidentify('Oliver 20304050'); "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'shiboken'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_of_the_package_imports_qt() -> None:
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.startswith(("PySide6", "PyQt", "shiboken")) for n in names), path


def test_every_data_file_is_documented_in_sources() -> None:
    sources = (RESOURCE_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for path in RESOURCE_DIR.iterdir():
        if path.name != "SOURCES.md":
            assert f"`{path.name}`" in sources, path.name


def test_every_reason_has_a_danish_translation() -> None:
    msgids = {
        value
        for name, value in vars(kinds).items()
        if name.startswith("R_") and isinstance(value, str)
    }
    lines = (PACKAGE_DIR / "DANISH_MSGIDS.txt").read_text(encoding="utf-8").splitlines()
    table = dict(line.split("\t") for line in lines if line.strip())
    assert msgids == set(table)
    assert all(danish.strip() for danish in table.values())


def test_word_lists_load_and_are_sane() -> None:
    lex = lexicon()
    assert len(lex.words) > 300_000
    assert {"skolen", "kommunen", "marken", "bekymret", "mistrivsel"} <= lex.words
    assert {"Oliver", "Hanne", "Jensen", "Ahmed", "Bo", "Mark"} <= lex.names
    assert "oliver" in lex.lower_names and "mark" not in lex.lower_names
    assert len(lex.municipalities) == 98
    assert set(lex.municipalities.values()) == set(kinds.REGIONS)
    assert {"Aarhus", "Nørrebro", "Vejle"} <= lex.towns
    assert {"ppr", "headspace", "aula"} <= lex.allowed
