"""Bad input at the command line: one clear line (in Danish and in English), exit status
1 and no file changed (issue 15)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from counsellor_app.core.store import Notebook
from tests.e2e.helpers import run
from tests.helpers import FAST_KDF

PW = "korrekt hest batteri"


def _snapshot(folder: Path, home: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` but the app's own folders (its log): bytes and mode."""
    return {
        str(path): (path.read_bytes() if path.is_file() else b"", path.stat().st_mode)
        for path in sorted(folder.rglob("*"))
        if not path.is_fifo() and home not in (path, *path.parents)
    }


@pytest.fixture
def notebook(tmp_path: Path) -> Path:
    path = tmp_path / "mine.cnb"
    made, _recovery = Notebook.create(path, PW, kdf=FAST_KDF)
    made.close()
    return path


def _refused(tmp_path: Path, home: Path, *args: str, stdin: str | bytes, says: str) -> None:
    """Both languages: exit status 1, one line naming ``says`` (its English), nothing changed."""
    before = _snapshot(tmp_path, home)
    english = run("--lang", "en", *args, stdin=stdin, home=home)
    assert english.returncode == 1, english.stderr
    lines = english.stderr.strip().splitlines()
    assert len(lines) == 1, english.stderr
    assert says in lines[0]
    danish = run("--lang", "da", *args, stdin=stdin, home=home)
    assert danish.returncode == 1, danish.stderr
    assert len(danish.stderr.strip().splitlines()) == 1, danish.stderr
    assert danish.stderr != english.stderr  # said in Danish
    assert _snapshot(tmp_path, home) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_given_as_a_notebook_is_refused_at_once(tmp_path: Path, home: Path) -> None:
    fifo = tmp_path / "pipe.cnb"
    os.mkfifo(fifo)
    _refused(tmp_path, home, "search", str(fifo), stdin=PW + "\n", says="pipe or a device")


def test_a_device_given_as_a_notebook_is_refused(tmp_path: Path, home: Path) -> None:
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null here")
    _refused(tmp_path, home, "search", "/dev/null", stdin=PW + "\n", says="pipe or a device")


def test_a_passphrase_that_is_not_utf8_is_refused(
    tmp_path: Path, home: Path, notebook: Path
) -> None:
    latin1 = PW.replace("e", "\xe6").encode("latin-1") + b"\n"
    _refused(tmp_path, home, "search", str(notebook), stdin=latin1, says="not UTF-8")
    new = b"korrekt hest\nny hemmelig fr\xe6se\n"
    _refused(tmp_path, home, "change-passphrase", str(notebook), stdin=new, says="not UTF-8")


def test_a_nul_in_a_new_passphrase_is_refused(tmp_path: Path, home: Path, notebook: Path) -> None:
    stdin = f"{PW}\nnew secret\0 with a nul\n"
    _refused(tmp_path, home, "change-passphrase", str(notebook), stdin=stdin, says="NUL")
    made = run(
        "--lang", "en", "init", str(tmp_path / "other.cnb"), stdin="a\0bcdefghij\n", home=home
    )
    assert made.returncode == 1 and "NUL" in made.stderr
    assert not (tmp_path / "other.cnb").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["report", "{nb}", "--out", "{out}.pdf"],
        ["public-key", "{nb}", "--out", "{out}.pub"],
        ["research-export", "{nb}", "--out", "{out}"],
    ],
)
def test_out_into_a_folder_that_does_not_exist(
    tmp_path: Path, home: Path, notebook: Path, command: list[str]
) -> None:
    out = tmp_path / "not-there" / "file"
    args = [word.format(nb=notebook, out=out) for word in command]
    _refused(tmp_path, home, *args, stdin=PW + "\n", says="does not exist")


def test_research_export_k_below_the_windows_minimum(
    tmp_path: Path, home: Path, notebook: Path
) -> None:
    args = ["research-export", str(notebook), "--out", str(tmp_path / "r"), "--k", "1"]
    _refused(tmp_path, home, *args, stdin=PW + "\n", says="at least 2")
