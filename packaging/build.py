#!/usr/bin/env python3
"""Build the one-folder bundle for this OS with PyInstaller and the spec beside this file.

    python packaging/build.py --install        # the locked dependencies and the app
    python packaging/build.py [--dist DIR] [--work DIR]

Needs the app installed with the ``package`` extra: ``--install`` installs exactly the
versions of ``requirements/lock.txt``, each checked against its hash (what CI's packaged
builds do; ``pip install -e ".[package]"`` is fine for a try at home). Prints the path
of the executable. The same function is used by ``tests/packaging`` and
``benchmarks/bench_bundle.py``; the CI workflow runs this script and then makes the
installer (Inno Setup) or the disk image (``packaging/macos``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "counsellor-app.spec"
NAME = "counsellor-app"
#: The exact versions (and hashes) that CI and the packaged builds install; how to
#: regenerate it: packaging/README.md.
LOCK = ROOT / "requirements" / "lock.txt"


def install_locked() -> None:
    """Install the dependencies from :data:`LOCK`, refusing any file whose hash differs
    (``--require-hashes``), then the app itself without asking for anything more (its
    build tools, setuptools and wheel, are in the lock too)."""
    pip = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(LOCK)], cwd=ROOT, check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", "."], cwd=ROOT, check=True)


def executable(dist: Path, cli: bool = True) -> Path:
    """The built program; on Windows the console one (``cli``) or the windowed one."""
    if sys.platform == "win32":
        return dist / NAME / (f"{NAME}-cli.exe" if cli else f"{NAME}.exe")
    return dist / NAME / NAME


def build_bundle(dist: Path, work: Path, log: Path | None = None) -> tuple[Path, float]:
    """Run PyInstaller; return the executable and the seconds the build took.

    On failure raises ``RuntimeError`` with the end of PyInstaller's output.
    """
    dist.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    log = log or work / "pyinstaller.log"
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
    ]
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as output:
        result = subprocess.run(
            command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, check=False
        )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        raise RuntimeError("PyInstaller failed:\n" + "\n".join(tail))
    program = executable(dist)
    if not program.exists():
        raise RuntimeError(f"PyInstaller finished but {program} is missing")
    return program, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument(
        "--install",
        action="store_true",
        help="install the locked dependencies (hashes checked) and the app, then stop",
    )
    args = parser.parse_args()
    if args.install:
        install_locked()
        return 0
    try:
        program, seconds = build_bundle(args.dist.resolve(), args.work.resolve())
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"built {program} in {seconds:.0f} s", file=sys.stderr)
    print(program)
    return 0


if __name__ == "__main__":
    sys.exit(main())
