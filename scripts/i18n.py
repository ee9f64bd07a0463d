#!/usr/bin/env python3
"""Manage the gettext catalogs with babel.

python scripts/i18n.py extract   # counsellor_app/**.py -> i18n/messages.pot
python scripts/i18n.py update    # merge the template into da and en .po files
python scripts/i18n.py compile   # .po -> .mo (committed, so a fresh install needs no step)
python scripts/i18n.py all       # the three in order
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
POT = I18N / "messages.pot"
LANGUAGES = ("da", "en")


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def extract(target: Path = POT) -> None:
    """Every message marked with _, N_ or ngettext in the package, into ``target``; and
    the Designer forms' strings, which their generated modules (counsellor_app/gui/forms,
    see scripts/forms.py) pass to ``tr(text, disambiguation)``."""
    pybabel(
        *("extract", "--no-location", "--sort-output", "--project=counsellor-app"),
        *("-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "tr:1"),
        *("-o", str(target), "counsellor_app"),
    )


def update() -> None:
    for lang in LANGUAGES:
        po = I18N / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            pybabel("update", "--no-fuzzy-matching", "-i", str(POT), "-d", str(I18N), "-l", lang)
        else:
            pybabel("init", "-i", str(POT), "-d", str(I18N), "-l", lang)


def compile_catalogs() -> None:
    pybabel("compile", "-d", str(I18N), "--statistics")


def main() -> None:
    steps = {"extract": [extract], "update": [update], "compile": [compile_catalogs]}
    steps["all"] = [extract, update, compile_catalogs]
    for step in steps[sys.argv[1] if len(sys.argv) > 1 else "all"]:
        step()


if __name__ == "__main__":
    main()
