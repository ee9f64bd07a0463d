"""``counsellor-app cases``: the supervisor's case list on the command line, as a process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from counsellor_app.core.received_cases import CaseFilter, Movement, received_cases
from counsellor_app.core.store import Notebook
from tests.e2e.helpers import run, supervisor_with_demo_bundle

PW = "pw-pw-pw-pw\n"


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A counsellor's demo notebook exported to and imported by a supervisor's notebook."""
    folder = tmp_path_factory.mktemp("cases-cli")
    return supervisor_with_demo_bundle(folder, PW), folder / "home"


def _listed(supervisor: Path, case_filter: CaseFilter) -> list[str]:
    with Notebook.open(supervisor, PW.strip()) as notebook:
        return [row.ref for row in received_cases(notebook, case_filter, limit=1000)]


def test_the_list_as_text_newest_contact_first(supervisor: tuple[Path, Path]) -> None:
    path, home = supervisor
    done = run("cases", str(path), stdin=PW, home=home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 40
    days = [line.split("\t")[2] for line in lines]
    assert days == sorted(days, reverse=True)
    # Danish first: the levels and concern signs in words a counsellor uses.
    assert any("trivsel" in line.lower() for line in lines)


def test_filters_and_json_give_what_the_core_lists(supervisor: tuple[Path, Path]) -> None:
    path, home = supervisor
    done = run(
        "cases", str(path), "--movement", "worse", "--from", "2000-01-01", "--format", "json",
        stdin=PW, home=home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    expected = _listed(path, CaseFilter(movement=Movement.WORSE, period_from=_day("2000-01-01")))
    assert [row["ref"] for row in rows] == expected and rows
    assert set(rows[0]) >= {"ref", "counsellor", "latest_contact", "latest_level", "themes"}
    # Nothing but codes and days: the case list holds no free text.
    assert all(len(row["ref"]) == 26 for row in rows)


def test_csv_with_a_limit_and_a_theme_by_its_danish_name(supervisor: tuple[Path, Path]) -> None:
    path, home = supervisor
    done = run(
        "cases", str(path), "--theme", "Søvn", "--limit", "3", "--format", "csv",
        stdin=PW, home=home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [row["ref"] for row in table] == _listed(path, CaseFilter(theme="sleep"))[:3]
    assert all("sleep" in row["themes"].split(";") for row in table)


def test_no_match_and_a_bad_theme(supervisor: tuple[Path, Path]) -> None:
    path, home = supervisor
    none = run(
        "cases", str(path), "--from", "1990-01-01", "--to", "1990-12-31", stdin=PW, home=home
    )
    assert none.returncode == 0 and none.stdout == ""
    assert "Ingen sag" in none.stderr or "No case" in none.stderr
    bad = run("cases", str(path), "--theme", "no-such-theme", stdin=PW, home=home)
    assert bad.returncode == 2 and "no-such-theme" in bad.stderr


def _day(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    return date.fromisoformat(text)
