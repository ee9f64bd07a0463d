"""report, case-summary and research-export on the command line, as separate processes."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.helpers import run, supervisor_with_demo_bundle

PW = "pw-pw-pw-pw\n"


@pytest.fixture(scope="module")
def notebooks_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A counsellor's demo notebook exported to and imported by a supervisor's notebook,
    made once for the module (six processes, each deriving the default key)."""
    folder = tmp_path_factory.mktemp("reports-template")
    supervisor_with_demo_bundle(folder, PW)
    return folder


@pytest.fixture
def notebooks(notebooks_template: Path, tmp_path: Path, home: Path) -> tuple[Path, Path]:
    """The template's notebooks (and key files, and app folders) copied for this test."""
    shutil.copytree(notebooks_template, tmp_path, dirs_exist_ok=True)
    return tmp_path / "supervisor.cnb", tmp_path / "counsellor.cnb"


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_period_report(notebooks: tuple[Path, Path], tmp_path: Path, home: Path) -> None:
    supervisor, _counsellor = notebooks
    out = tmp_path / "period.pdf"
    result = run(
        "--lang",
        "en",
        "report",
        str(supervisor),
        "--out",
        str(out),
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
        stdin=PW,
        home=home,
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    text = text_of(out)
    assert "Period report" in text and "1 January 2020 to 31 December 2030" in text
    assert re.search(r"Page 1 of \d", text)

    bad = run("report", str(supervisor), "--out", str(out), "--from", "2020-13-01", home=home)
    assert bad.returncode == 2  # argparse: not a day
    unknown = run(
        "report",
        str(supervisor),
        "--out",
        str(out),
        "--counsellor",
        "C-2222222222",
        stdin=PW,
        home=home,
    )
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1


def test_case_summaries(notebooks: tuple[Path, Path], tmp_path: Path, home: Path) -> None:
    supervisor, counsellor = notebooks
    listed = run("search", str(counsellor), stdin=PW, home=home)
    code = listed.stdout.split()[0]
    assert code.startswith("K-")

    own = tmp_path / "own.pdf"
    result = run("case-summary", str(counsellor), code, "--out", str(own), stdin=PW, home=home)
    assert result.returncode == 0, result.stderr
    text = text_of(own)
    assert code not in text
    ref = re.search(r"\b[a-z2-7]{26}\b", text)
    assert ref is not None

    # the same case, imported, found by (the beginning of) its reference
    imported = tmp_path / "imported.pdf"
    result = run(
        "case-summary",
        str(supervisor),
        ref.group(0)[:10],
        "--out",
        str(imported),
        stdin=PW,
        home=home,
    )
    assert result.returncode == 0, result.stderr
    assert ref.group(0) in text_of(imported)

    missing = run(
        "case-summary",
        str(supervisor),
        "K-2222",
        "--out",
        str(tmp_path / "x.pdf"),
        stdin=PW,
        home=home,
    )
    assert missing.returncode == 1 and len(missing.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_research_export(notebooks: tuple[Path, Path], tmp_path: Path, home: Path) -> None:
    supervisor, _counsellor = notebooks
    out = tmp_path / "research"
    result = run(
        "--lang",
        "en",
        "research-export",
        str(supervisor),
        "--out",
        str(out),
        "--k",
        "2",
        stdin=PW,
        home=home,
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout and "k = 2" in result.stdout
    assert "cases.csv" in result.stdout and "conversations.csv" in result.stdout
    assert {p.name for p in out.iterdir()} == {
        "cases.csv",
        "conversations.csv",
        "codebook.md",
        "codebook.en.md",
        "codebook.json",
        "datapackage.json",
        "README.md",
        "README.en.md",
    }
    rows = list(
        csv.DictReader(
            io.StringIO((out / "conversations.csv").read_bytes().decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows and all(r["year"].isdigit() for r in rows) and "case_no" not in rows[0]

    comma = run(
        "research-export",
        str(supervisor),
        "--out",
        str(tmp_path / "c"),
        "--comma",
        stdin=PW,
        home=home,
    )
    assert comma.returncode == 0, comma.stderr
    package = json.loads((tmp_path / "c" / "codebook.json").read_text(encoding="utf-8"))
    assert package["disclosure_control"]["l_diversity"] is True
    plain = run(
        "research-export",
        str(supervisor),
        "--out",
        str(tmp_path / "p"),
        "--no-l-diversity",
        stdin=PW,
        home=home,
    )
    assert plain.returncode == 0, plain.stderr
    package = json.loads((tmp_path / "p" / "codebook.json").read_text(encoding="utf-8"))
    assert package["disclosure_control"]["l_diversity"] is False
    assert (tmp_path / "c" / "conversations.csv").read_bytes()[3:].startswith(b"year,")

    bad = run(
        "research-export", str(supervisor), "--out", str(out), "--k", "0", stdin=PW, home=home
    )
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
