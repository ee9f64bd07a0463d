"""Raw own-case text and de-identified text are different types (issue 13): mypy refuses
code that hands a raw note, or a file's text the gate has not settled, to an exit.

The exits (the bundle's and the review files' writers, a PDF's case) ask for
:data:`~counsellor_app.core.gate.CleanText`, which only the gate makes; a bundle or
review file as it was read holds ``str``, an own case in a bundle's shape (review mode)
``RawText``. The test runs mypy, with the project's configuration, on a small module that
uses the real signatures: each line marked ``# refused`` must be an error, and the
unmarked lines (the same calls with the gate in between) must not, so the errors come
from the text types and nothing else.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "counsellor_app"

SNIPPET = """\
from counsellor_app.core.exchange.format import Bundle, bundle_from_json, bundle_to_json, map_texts
from counsellor_app.core.gate import CleanText, Gate, Place, RawText
from counsellor_app.core.mentoring.format import CaseForReview, review_to_dict
from counsellor_app.core.mentoring.records import own_case_as_bundle
from counsellor_app.core.store import Notebook


def exits(notebook: Notebook, received: bytes, review: CaseForReview[str], note: str) -> None:
    gate = Gate()
    arrived = bundle_from_json(received)
    own = own_case_as_bundle(notebook, 1)
    bundle_to_json(arrived)  # refused
    bundle_to_json(Bundle(arrived.header, (own,)))  # refused
    bundle_to_json(Bundle(arrived.header, tuple(map_texts(c, gate.settle) for c in arrived.cases)))
    bundle_to_json(Bundle(arrived.header, (map_texts(own, gate.settle),)))
    map_texts(own, lambda text: text)  # refused
    map_texts(own, lambda text: RawText(text))  # refused
    review_to_dict(review)  # refused
    review_to_dict(review.with_texts(map_texts(review.case, gate.settle), (), ()))
    clean: CleanText = note  # refused
    clean = RawText(note)  # refused
    clean = gate.clean(note, Place("case", "listen"))
    print(clean)
"""


def test_mypy_refuses_raw_or_unsettled_text_at_an_exit(tmp_path: Path) -> None:
    module = tmp_path / "exits_snippet.py"
    module.write_text(SNIPPET, encoding="utf-8")
    refused = {number for number, line in enumerate(SNIPPET.splitlines(), 1) if "# refused" in line}
    # This tree's package first (not the one an editable install may point at), the
    # project's configuration, and its cache: a warm run checks the one small module.
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--follow-imports",
            "silent",
            "--no-error-summary",
            "--show-error-codes",
            str(module),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    found = {int(m.group(1)) for e in errors if (m := re.search(r":(\d+): error: ", e))}
    assert found == refused, result.stdout + result.stderr
    # and each for the kind of text: one that is not a CleanText where one is asked for
    assert all("CleanText" in e for e in errors), result.stdout


def test_only_the_gate_makes_clean_text() -> None:
    """Nothing but core/gate.py calls ``CleanText(...)`` or casts to it: a de-identified
    text comes from the gate or not at all."""
    maker = re.compile(r"\bCleanText\(|cast\(\s*[\"']?CleanText")
    makers = sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.name != "gate.py" or path.parent.name != "core"
        if maker.search(path.read_text(encoding="utf-8"))
    )
    assert makers == []
    assert maker.search((PACKAGE / "core" / "gate.py").read_text(encoding="utf-8"))
