"""``counsellor-app --self-test`` from the source tree: it passes, it says so line by line,
and one failing check makes the whole run fail (exit status 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counsellor_app import selftest

pytestmark = pytest.mark.gui


def test_self_test_passes_from_source(tmp_path: Path) -> None:
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "counsellor_app", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert all(line.startswith(("ok   ", "self-test passed")) for line in lines), lines
    assert "source" in lines[0]
    # Nothing was left in the folders the app would use.
    assert not (tmp_path / "home" / "data").exists()


def test_one_failing_check_fails_the_run(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_pdf(self: selftest.SelfTest) -> str:
        raise selftest.CheckFailed("reportlab is missing from this build")

    monkeypatch.setattr(selftest.SelfTest, "check_pdf", broken_pdf)
    folder_before = os.environ.get("COUNSELLOR_APP_HOME")
    assert selftest.run_self_test() == 1
    out = capsys.readouterr().out
    assert "FAIL pdf: reportlab is missing from this build" in out
    assert "ok   read back:" in out
    assert out.splitlines()[-1].startswith("self-test FAILED: 1 of")
    assert os.environ.get("COUNSELLOR_APP_HOME") == folder_before


def test_a_failed_prerequisite_is_reported_not_skipped(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_unlock(self: selftest.SelfTest) -> str:
        raise selftest.CheckFailed("wrong passphrase")

    monkeypatch.setattr(selftest.SelfTest, "check_unlock", no_unlock)
    assert selftest.run_self_test() == 1
    out = capsys.readouterr().out
    assert "FAIL read back: not run: needs unlock again" in out
    assert "FAIL encrypted: not run: needs read back" in out
