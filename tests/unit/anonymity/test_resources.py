"""The anonymity package stays Qt-free, its data is documented and its texts translated."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

import counsellor_app.core.anonymity as anonymity
from counsellor_app.core import i18n
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
    # The catalog is the one source of the Danish texts (tests/unit/test_i18n.py checks it
    # is complete); this names the guard's reasons, which are marked with N_ in a table.
    reasons = {
        value
        for name, value in vars(kinds).items()
        if name.startswith("R_") and isinstance(value, str)
    }
    assert len(reasons) >= 15
    with open(REPO_ROOT / "i18n" / "da" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    untranslated = {r for r in reasons if not (catalog.get(r) and catalog.get(r).string)}
    assert not untranslated, "translate in i18n/da/LC_MESSAGES/messages.po"
    i18n.set_language("da")
    try:  # and the compiled catalog the app reads has them too
        assert {r for r in reasons if i18n._(r) == catalog.get(r).string} == reasons
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)


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
