"""Helpers for the end-to-end tests: the command line run as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, stdin: str | bytes = "", home: Path, calibrated_kdf: bool = False
) -> subprocess.CompletedProcess[str]:
    """``counsellor-app *args`` in a new process, its folders under ``home``. ``stdin``
    as bytes is given as it is (to give text that is not UTF-8).

    A notebook the process makes gets the tests' cheap Argon2 costs
    (``tests/e2e/cli_fast_kdf.py``: about a second less per process); with
    ``calibrated_kdf`` it is the plain ``python -m counsellor_app``, whose new notebooks
    get the costs calibrated to this computer, as a user's do."""
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home))
    module = "counsellor_app"
    if not calibrated_kdf:
        module = "tests.e2e.cli_fast_kdf"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    raw = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
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


def supervisor_with_demo_bundle(folder: Path, passphrase_line: str) -> Path:
    """A supervisor's notebook (``folder/supervisor.cnb``) that imported a bundle of a
    counsellor's demo notebook (``folder/counsellor.cnb``, 40 cases, seed 4), made through
    the command line with the app's folders under ``folder/home``; its path."""
    home = folder / "home"
    pw = passphrase_line
    supervisor = folder / "supervisor.cnb"
    counsellor = folder / "counsellor.cnb"
    assert run("init", str(supervisor), "--role", "supervisor", stdin=pw, home=home).returncode == 0
    made = run("demo", str(counsellor), "--cases", "40", "--seed", "4", stdin=pw, home=home)
    assert made.returncode == 0, made.stderr
    assert run("public-key", str(supervisor), stdin=pw, home=home).returncode == 0
    bundle = folder / "b.cnbundle"
    exported = run(
        "export", str(counsellor), "--to", str(folder / "supervisor.pub"), "--out", str(bundle),
        stdin=pw, home=home,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    imported = run("import", str(supervisor), str(bundle), "--accept-new", stdin=pw, home=home)
    assert imported.returncode == 0, imported.stderr
    return supervisor
