#!/usr/bin/env python3
"""Compile the Qt Designer forms in ``ui/`` into Python modules the GUI imports.

python scripts/forms.py          # ui/<name>.ui -> counsellor_app/gui/forms/ui_<name>.py
python scripts/forms.py --check  # exit 1 when a generated module is not its form's output

Run it after editing a form in Designer (``pyside6-designer ui/<name>.ui``) and commit
both files. The generated modules are what the app runs; ``ui/`` is not needed at run
time. Strings go through ``counsellor_app.gui.forms.tr`` (uic's ``--tr``), that is
through gettext, so ``scripts/i18n.py extract`` finds them in the generated modules.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "ui"
GENERATED = ROOT / "counsellor_app" / "gui" / "forms"
HEADER = "# generated from ui/{name}.ui by scripts/forms.py; do not edit\n# ruff: noqa\n"
IMPORT_TR = "from counsellor_app.gui.forms import tr\n"


def uic() -> str:
    """The pyside6-uic beside this Python (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "pyside6-uic"
    found = str(beside) if beside.exists() else shutil.which("pyside6-uic")
    if found is None:
        sys.exit("pyside6-uic not found: install the project with its dev dependencies")
    return found


def module_path(form: Path) -> Path:
    return GENERATED / f"ui_{form.stem}.py"


#: uic's imports from PySide6: every class a form might use, whether it does or not.
_QT_IMPORT = re.compile(r"^from (PySide6\.Qt\w+) import \(([^)]*)\)\n", re.MULTILINE)


def only_used_imports(text: str) -> str:
    """``text`` with its PySide6 imports cut to the names the module uses. Taking a class
    from PySide6 builds it with its enums (QGradient's alone has some 180 members): uic
    imports sixteen of QtGui for every form, and the unlock window, the first one shown,
    paid for them all before it was painted."""
    used = {node.id for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Name)}

    def keep(match: re.Match[str]) -> str:
        names = [name.strip() for name in match.group(2).split(",") if name.strip()]
        kept = [name for name in names if name in used]
        return f"from {match.group(1)} import {', '.join(kept)}\n" if kept else ""

    return _QT_IMPORT.sub(keep, text)


def compile_form(form: Path) -> str:
    """The module text for ``form``: uic's output with its own banner (which names the
    uic version and so differs between machines) replaced by ours, ``tr`` imported, and
    only the Qt classes it uses imported."""
    output = subprocess.run(
        [uic(), "--generator", "python", "--no-autoconnection", "--tr", "tr", str(form)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = output.splitlines(keepends=True)
    # uic's banner: the coding line and a block of '#' lines, up to the first import.
    start = next(i for i, line in enumerate(lines) if line.startswith(("from ", "import ")))
    body = lines[start:]
    first_class = next(i for i, line in enumerate(body) if line.startswith("class "))
    body[first_class:first_class] = [IMPORT_TR, "\n\n"]
    return HEADER.format(name=form.stem) + "\n" + only_used_imports("".join(body))


def forms() -> list[Path]:
    return sorted(FORMS.glob("*.ui"))


def stale() -> list[str]:
    """What is out of date: forms whose module is missing or differs from a fresh
    compile, and modules whose form is gone."""
    problems = []
    for form in forms():
        target = module_path(form)
        if not target.exists():
            problems.append(f"{form.relative_to(ROOT)}: no {target.relative_to(ROOT)}")
        elif target.read_text(encoding="utf-8") != compile_form(form):
            problems.append(f"{target.relative_to(ROOT)} is not the output of its form")
    names = {module_path(form).name for form in forms()}
    for module in sorted(GENERATED.glob("ui_*.py")):
        if module.name not in names:
            problems.append(f"{module.relative_to(ROOT)}: its form ui/{module.stem[3:]}.ui is gone")
    return problems


def main() -> None:
    if "--check" in sys.argv[1:]:
        problems = stale()
        for problem in problems:
            print(problem)
        sys.exit(1 if problems else 0)
    names = set()
    for form in forms():
        target = module_path(form)
        names.add(target.name)
        text = compile_form(form)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
            print(f"{form.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    for module in GENERATED.glob("ui_*.py"):
        if module.name not in names:
            module.unlink()
            print(f"removed {module.relative_to(ROOT)} (its form is gone)")


if __name__ == "__main__":
    main()
