#!/usr/bin/env python3
"""Regenerate ``requirements/lock.txt``: the exact versions, with the hashes of every file
of each, that CI (``dev.py test``) and the packaged builds (``build.py --install``)
install, for Python 3.11 and newer on Linux, Windows and macOS alike.

    python3 packaging/lock.py            # the newest versions pyproject.toml allows
    python3 packaging/lock.py --upgrade-package cryptography

Uses ``uv pip compile --universal`` (one lock for every OS: pip-compile would lock only
this machine's), installed into a temporary virtualenv, never into ``.venv``. Extra
arguments go to ``uv pip compile``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="lock-") as folder:
        venv.EnvBuilder(with_pip=True).create(folder)
        bin_dir = Path(folder) / ("Scripts" if sys.platform == "win32" else "bin")
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "uv"], check=True)
        command = [
            str(bin_dir / "uv"),
            "pip",
            "compile",
            "../pyproject.toml",
            "build.in",
            "--extra",
            "test",
            "--extra",
            "package",
            "--universal",
            "--python-version",
            "3.11",
            "--generate-hashes",
            "--custom-compile-command",
            "python3 packaging/lock.py  # see packaging/README.md",
            "-o",
            "lock.txt",
            *sys.argv[1:],
        ]
        return subprocess.run(command, cwd=REQUIREMENTS, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
