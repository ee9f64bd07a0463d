"""Helpers for the end-to-end tests: the command line run as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    """``counsellor-app *args`` in a new process, its folders under ``home``."""
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "counsellor_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # a few seconds at most; a hang fails the test, not the suite
        check=False,
    )
