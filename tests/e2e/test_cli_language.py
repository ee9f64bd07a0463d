"""The command line's help and argparse's own words (usage, headings, errors) in the
user's language, as a separate process: Danish by default and with
COUNSELLOR_APP_LANG=da, English with COUNSELLOR_APP_LANG=en or --lang en."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counsellor_app.core.i18n import _, set_language

#: argparse's English words that a Danish help must not show.
ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message and exit",
    "show program's version number",
    "error:",
    "the following arguments are required",
)


def run(*args: str, home: Path, lang: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home))
    env.pop("COUNSELLOR_APP_LANG", None)
    if lang is not None:
        env["COUNSELLOR_APP_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "counsellor_app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def danish(message: str) -> str:
    set_language("da")
    try:
        translated = _(message)
    finally:
        set_language("da")
    assert translated != message, f"no Danish for {message!r}"
    return translated


@pytest.mark.parametrize("lang", ["da", None])
@pytest.mark.parametrize("command", [(), ("review-export",), ("search",)])
def test_help_is_danish(tmp_path: Path, lang: str | None, command: tuple[str, ...]) -> None:
    shown = run(*command, "--help", home=tmp_path / "home", lang=lang)
    assert shown.returncode == 0, shown.stderr
    for english in ENGLISH:
        assert english not in shown.stdout, english
    assert shown.stdout.startswith(danish("usage: "))
    assert danish("positional arguments") + ":" in shown.stdout
    assert danish("options") + ":" in shown.stdout
    assert danish("show this help message and exit") in shown.stdout
    if not command:
        assert danish("show the program's version number and exit") in shown.stdout
        assert "Rådgiverens notesbog" in shown.stdout  # the app's own words, as before


def test_help_is_english_when_asked(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for shown in (
        run("--help", home=home, lang="en"),
        run("--lang", "en", "--help", home=home, lang=None),
        run("--lang=en", "--help", home=home, lang="da"),  # --lang wins over the variable
    ):
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("usage: counsellor-app")
        assert "positional arguments:" in shown.stdout and "options:" in shown.stdout
        assert "show this help message and exit" in shown.stdout
        assert "Counsellor's Notebook: encrypted case notes" in shown.stdout
    danish_anyway = run("--lang", "da", "--help", home=home, lang="en")
    assert danish_anyway.stdout.startswith(danish("usage: "))


def test_a_usage_error_is_said_in_danish(tmp_path: Path) -> None:
    wrong = run("search", home=tmp_path / "home", lang="da")
    assert wrong.returncode == 2
    assert "error:" not in wrong.stderr and "usage:" not in wrong.stderr
    assert danish("usage: ") in wrong.stderr
    said = danish("the following arguments are required: %s") % "path, query"
    assert (
        danish("%(prog)s: error: %(message)s\n")
        % {"prog": "counsellor-app search", "message": said}
        in wrong.stderr
    )
    english = run("--lang", "en", "search", home=tmp_path / "home", lang=None)
    assert "error: the following arguments are required: path" in english.stderr
    bad = run("--lang", "fr", home=tmp_path / "home", lang=None)
    assert bad.returncode == 2 and "'fr'" in bad.stderr and "invalid choice" not in bad.stderr
