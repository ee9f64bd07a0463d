"""Helpers for the end-to-end tests: the command line run as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, stdin: str | bytes = "", home: Path) -> subprocess.CompletedProcess[str]:
    """``counsellor-app *args`` in a new process, its folders under ``home``. ``stdin``
    as bytes is given as it is (to give text that is not UTF-8)."""
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home))
    raw = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "counsellor_app", *args],
        input=raw,
        capture_output=True,
        env=env,
        timeout=60,  # a few seconds at most; a hang fails the test, not the suite
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )
