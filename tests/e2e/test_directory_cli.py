"""``counsellor-app directory``, end to end: a separate process on a real notebook."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import run

SECRET = "directory secret\n"

CSV = (
    "\ufefforganisation;type;kommune;temaer;telefon;web;åbningstider;note;tjekket;kilde\r\n"
    "PPR Vejle;ppr;Vejle;school_absence;76 81 00 00;https://vejle.dk/ppr;8-15;;2026-11-30;"
    "https://vejle.dk/ppr\r\n"
)


def _lines(path: Path, home: Path, *args: str) -> list[str]:
    result = run("directory", str(path), *args, stdin=SECRET, home=home)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_directory_list_add_edit_import_export(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "sup.cnb"
    made = run("init", str(path), "--role", "supervisor", stdin=SECRET, home=home)
    assert made.returncode == 0, made.stderr
    listed = _lines(path, home, "list")
    assert any("Livslinien" in line and "70 201 201" in line for line in listed)

    added = _lines(
        path,
        home,
        *("add", "--organisation", "Familierådgivningen Vejle", "--type", "family_counselling"),
        *("--municipality", "Vejle", "--themes", "divorce_custody|loneliness"),
        *("--phone", "76 81 50 00", "--checked-on", "2026-12-01"),
    )
    assert "Familierådgivning" in added[0] and "Vejle" in added[0]
    changed = _lines(path, home, "edit", "Familierådgivningen Vejle", "--phone", "76 81 50 01")
    assert "76 81 50 01" in changed[0]

    refused = run(
        "directory",
        str(path),
        *("add", "--organisation", "Anna Hansen", "--type", "other"),
        stdin=SECRET,
        home=home,
    )
    assert refused.returncode == 1 and "Anna Hansen" in refused.stderr

    csv_file = tmp_path / "vejle.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    assert "1" in _lines(path, home, "import", str(csv_file))[0]
    found = _lines(path, home, "search", "ppr", "vejle")
    assert len(found) == 1 and "PPR Vejle" in found[0]
    in_vejle = _lines(path, home, "search", "--municipality", "Vejle")
    assert any("Familierådgivningen" in line for line in in_vejle)

    out = tmp_path / "out.csv"
    _lines(path, home, "export", str(out))
    text = out.read_bytes().decode("utf-8-sig")
    assert "PPR Vejle;ppr;Vejle;school_absence;76 81 00 00" in text
    assert "Familierådgivningen Vejle;family_counselling;Vejle" in text

    _lines(path, home, "delete", "PPR Vejle")
    assert not any("PPR Vejle" in line for line in _lines(path, home, "list"))


def test_a_bad_csv_names_the_line_and_imports_nothing(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "mine.cnb"
    assert run("init", str(path), stdin=SECRET, home=home).returncode == 0
    before = _lines(path, home, "list")
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Klub;bowling;Vejle;;;;;;;\r\n", encoding="utf-8")
    result = run("directory", str(path), "import-csv", str(bad), stdin=SECRET, home=home)
    assert result.returncode == 1
    assert "Linje 3" in result.stderr and "bowling" in result.stderr
    assert _lines(path, home, "list") == before
    # A counsellor's notebook: the supervisor's entries are not theirs to change.
    refused = run("directory", str(path), "delete", "Livslinien", stdin=SECRET, home=home)
    assert refused.returncode == 1 and "supervisor" in refused.stderr


def test_directory_help_in_danish_and_english(home: Path) -> None:
    danish = run("directory", "--help", home=home)
    english = run("--lang", "en", "directory", "x.cnb", "import", "--help", home=home)
    assert danish.returncode == 0 and english.returncode == 0
    assert "vejviser" in danish.stdout.lower()
    assert "semicolon or comma" in english.stdout


# About twenty separate processes, each opening a notebook with the real key derivation.
@pytest.mark.timeout(360)
def test_signed_directory_from_supervisor_to_counsellor(tmp_path: Path, home: Path) -> None:
    """``export --out`` signed by the supervisor; ``import`` accepted only with the
    supervisor's key (explicitly the first time); older and foreign-signed files refused
    with one line, nothing changed; the counsellor's own entries kept."""
    sup, other, mine = tmp_path / "sup.cnb", tmp_path / "other.cnb", tmp_path / "mine.cnb"
    for path, role in ((sup, "supervisor"), (other, "supervisor"), (mine, "counsellor")):
        made = run("init", str(path), "--role", role, stdin=SECRET, home=home)
        assert made.returncode == 0, made.stderr
    card = tmp_path / "mine.keycard"
    assert run("key-card", str(mine), "--out", str(card), stdin=SECRET, home=home).returncode == 0
    for supervisor in (sup, other):
        enrolled = run("enrol", str(supervisor), str(card), stdin=SECRET, home=home)
        assert enrolled.returncode == 0, enrolled.stderr
    _lines(
        sup, home, "add", "--organisation", "PPR Vejle", "--type", "ppr", "--phone", "76 81 00 00"
    )
    _lines(mine, home, "add", "--organisation", "Svømmeklubben Vejle", "--type", "club")

    first = tmp_path / "vejviser-1.cndirectory"
    sent = _lines(sup, home, "export", "--out", str(first))
    assert str(first) in sent[0]
    fingerprint = sent[0].rstrip(".").split()[-1]
    before = _lines(mine, home, "list")

    refused = run(
        "--lang", "en", "directory", str(mine), "import", str(first), stdin=SECRET, home=home
    )
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert first.name in line and fingerprint in line and "not accepted" in line
    assert _lines(mine, home, "list") == before

    imported = _lines(mine, home, "import", str(first), "--accept-new")
    assert first.name in imported[0]
    listed = _lines(mine, home, "list")
    assert any("PPR Vejle" in line and "76 81 00 00" in line for line in listed)
    assert any("Svømmeklubben Vejle" in line for line in listed)

    _lines(sup, home, "edit", "PPR Vejle", "--phone", "76 81 00 01")
    second = tmp_path / "vejviser-2.cndirectory"
    _lines(sup, home, "export", "--out", str(second))
    _lines(mine, home, "import", str(second))
    after = _lines(mine, home, "list")
    assert any("76 81 00 01" in line for line in after)
    assert any("Svømmeklubben Vejle" in line for line in after)

    # The first file again (older), and a file of another supervisor's key: refused.
    foreign = tmp_path / "foreign.cndirectory"
    foreign_print = _lines(other, home, "export", "--out", str(foreign))[0].rstrip(".").split()[-1]
    for path, why in ((first, "not newer"), (foreign, "another key")):
        again = run(
            "--lang",
            "en",
            "directory",
            str(mine),
            "import",
            str(path),
            "--accept-new",
            stdin=SECRET,
            home=home,
        )
        assert again.returncode == 1
        (line,) = again.stderr.strip().splitlines()
        assert path.name in line and why in line
        assert _lines(mine, home, "list") == after

    # The other key taken only by naming its fingerprint (the supervisor's new notebook).
    changed = _lines(mine, home, "import", str(foreign), "--change-key", foreign_print)
    assert foreign.name in changed[0]
    assert not any("PPR Vejle" in line for line in _lines(mine, home, "list"))

    # A counsellor's notebook sends no signed directory; the CSV export stays.
    assert (
        run(
            "directory", str(mine), "export", "--out", str(tmp_path / "x"), stdin=SECRET, home=home
        ).returncode
        == 1
    )
    csv_out = tmp_path / "mine.csv"
    _lines(mine, home, "export", str(csv_out))
    assert "Svømmeklubben Vejle" in csv_out.read_bytes().decode("utf-8-sig")


def test_the_notebook_may_come_after_the_action(tmp_path: Path, home: Path) -> None:
    """The order the issue writes (``directory import-csv NOTEBOOK FILE.csv``) works as
    well as ``directory NOTEBOOK import FILE.csv``."""
    path = tmp_path / "sup.cnb"
    assert run("init", str(path), "--role", "supervisor", stdin=SECRET, home=home).returncode == 0
    csv_file = tmp_path / "vejle.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    imported = run("directory", "import-csv", str(path), str(csv_file), stdin=SECRET, home=home)
    assert imported.returncode == 0, imported.stderr
    listed = run("directory", "list", str(path), stdin=SECRET, home=home)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == "\n".join(_lines(path, home, "list")) + "\n"
    found = run("directory", "search", str(path), "ppr", "vejle", stdin=SECRET, home=home)
    assert found.returncode == 0 and found.stdout.strip(), found.stderr
