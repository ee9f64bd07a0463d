#!/usr/bin/env python3
"""Set up and run Counsellor's Notebook from a source checkout with nothing but Python 3.11+.

    python3 dev.py run     # install into .venv and open the app on a demo notebook
    python3 dev.py test    # install into .venv (with test tools), run the checks, then the tests
    python3 dev.py check   # only the checks: ruff check, ruff format --check, mypy

Extra arguments are passed on (to counsellor-app for run, to pytest for test). The tests
run in one process per core (pytest-xdist); ``python3 dev.py test -n 0`` runs them in one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
#: The exact versions, with their hashes, that the tests (and CI, and the packaged builds)
#: run with; regenerate it as packaging/README.md says.
LOCK = ROOT / "requirements" / "lock.txt"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _install_stamp(extras: str) -> str:
    """What an install depends on: the project's metadata, the lock and this Python. The
    install is editable, so changed code needs no new install; changed metadata does."""
    digest = hashlib.sha256(f"{extras}|{sys.version}|{os.name}".encode())
    for path in (ROOT / "pyproject.toml", LOCK):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (says so plainly on an old Python)
        sys.exit("Counsellor's Notebook needs Python 3.11 or newer.")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Nothing changed since the last install: start at once (pip alone took 4-7 s).
    stamp_file = VENV / f".installed-{extras or 'app'}"
    stamp = _install_stamp(extras)
    if stamp_file.exists() and stamp_file.read_text(encoding="utf-8") == stamp:
        return
    pip = [str(PYTHON), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if extras == "test":
        # What CI tests is what the lock says, each file checked against its hash; the app
        # itself asks for nothing more (its build tools are in the lock too).
        subprocess.run([*pip, "--require-hashes", "-r", str(LOCK)], check=True)
        subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    else:
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        subprocess.run([*pip, "-e", target], check=True)
    stamp_file.write_text(stamp, encoding="utf-8")


def _tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", name, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def check() -> int:
    """ruff (lint and format) over the tree, mypy over the package (strict on the core,
    as pyproject.toml says; the GUI with no error). Prints one line per check; 1 if any
    failed."""
    failed = []
    for title, name, args in (
        ("ruff check", "ruff", ("check", "--quiet", ".")),
        ("ruff format --check", "ruff", ("format", "--check", "--quiet", ".")),
    ):
        result = _tool(name, *args)
        if result.returncode:
            print(result.stdout + result.stderr, end="")
            failed.append(title)
        print(f"{'ok  ' if not result.returncode else 'FAIL'} {title}", flush=True)
    result = _tool("mypy", "counsellor_app")
    if result.returncode:
        print(result.stdout + result.stderr, end="")
        failed.append("mypy")
    print(f"{'ok  ' if not result.returncode else 'FAIL'} mypy counsellor_app", flush=True)
    if failed:
        print(f"checks failed: {', '.join(failed)} (fix these before the tests run)")
    return 1 if failed else 0


def worker_count() -> int:
    """How many processes run the tests: one per core this process may use, at most four
    (beyond that each worker's start-up and Qt cost more than they save)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def pytest_command(rest: list[str]) -> list[str]:
    """pytest over every core (``-n``), the modules ``tests/conftest.py`` groups kept in
    one process; a developer's own ``-n`` (``-n 0``: no workers) comes later, so it wins."""
    parallel = ["-n", str(worker_count()), "--dist", "loadgroup"]
    if any("no:xdist" in arg for arg in rest):  # ``-p no:xdist``: no -n then
        parallel = []
    return [str(PYTHON), "-m", "pytest", *parallel, *rest]


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    rest = sys.argv[2:]
    if command == "run":
        ensure_venv("")
        return subprocess.call([str(PYTHON), "-m", "counsellor_app", *(rest or ["--demo"])])
    if command == "check":
        ensure_venv("test")
        return check()
    if command == "test":
        ensure_venv("test")
        if check():
            return 1
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        return subprocess.call(pytest_command(rest), cwd=ROOT, env=env)
    sys.exit(f"usage: python3 dev.py run|test|check [arguments]  (unknown: {command})")


if __name__ == "__main__":
    sys.exit(main())
