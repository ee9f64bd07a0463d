"""The command line on a supervisor's notebook holding a case an older version imported
before imports were scanned (issue 13): at open it stores the texts de-identified (and
says so once, on standard error); the case summary prints the placeholders and the mark;
``cases`` lists the case. Separate processes on a real encrypted notebook."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import imported_case, unscanned_imports
from tests.e2e.helpers import run
from tests.helpers import FAST_KDF, PASSPHRASE
from tests.unit.exchange_support import UNSCANNED, UNSCANNED_PARTS, older_supervisor


def test_the_command_line_settles_them_at_open_and_prints_them_replaced(
    tmp_path: Path, home: Path
) -> None:
    supervisor, counsellor, planted = older_supervisor(tmp_path, FAST_KDF)
    counsellor.close()
    with supervisor:
        ref = imported_case(supervisor, planted).case.ref
    path = tmp_path / "supervisor.cnb"
    listed = run("--lang", "en", "cases", str(path), stdin=PASSPHRASE + "\n", home=home)
    assert listed.returncode == 0, listed.stderr
    assert "De-identifying the texts of 1 case imported by an older version" in listed.stderr
    assert ref in listed.stdout and len(listed.stdout.splitlines()) == 3
    with Notebook.open(path, PASSPHRASE) as notebook:
        assert unscanned_imports(notebook) == 0
        stored = "\n".join(
            str(v) for row in notebook.query("SELECT * FROM imported_conversations") for v in row
        )
        assert UNSCANNED not in stored and "[navn]" in stored
        replaced = imported_case(notebook, planted).identifiers_replaced
    assert replaced is not None and replaced >= 30

    out = tmp_path / "case.pdf"
    printed = run(
        "--lang", "en", "case-summary", str(path), ref, "--out", str(out),
        stdin=PASSPHRASE + "\n", home=home,
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "De-identifying" not in printed.stderr  # once only
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert not [part for part in UNSCANNED_PARTS if part in pdf] and "[navn]" in pdf
    assert f"{replaced} identifiers were replaced on import: tell the counsellor" in pdf
