"""Size and start-up time of the packaged (PyInstaller one-folder) build.

Builds the bundle for this OS with ``packaging/build.py`` (or measures one already built,
``--bundle PATH``) and reports:

* the build time,
* the bundle's size on disk, its file count, the largest parts, and the size of a
  ``.tar.gz`` of it (about what a user downloads),
* start-up: ``--version`` (bootloader, Python, the command line: no Qt), and the time from
  starting ``--self-test`` until its main window is shown (Qt, all GUI modules, the
  window), median of ``--repeat`` runs, each for the bundle and for the source tree
  (``python -m counsellor_app``) for comparison,
* the whole self-test's time.

Run:  python benchmarks/bench_bundle.py [--bundle dist/counsellor-app/counsellor-app]
          [--repeat 5] [--no-archive]
It prints a table and writes ``benchmarks/results/bundle.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "bundle.json"


def _build_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("_packaging_build", ROOT / "packaging/build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_"))}
    env.update(COUNSELLOR_APP_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def time_version(command: list[str], home: Path) -> float:
    started = time.perf_counter()
    subprocess.run([*command, "--version"], env=_env(home), capture_output=True, check=True)
    return time.perf_counter() - started


def time_self_test(command: list[str], home: Path) -> tuple[float, float]:
    """Seconds until the self-test reports its window shown, and until it ends."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--self-test"],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    window = float("nan")
    for line in process.stdout:
        if line.startswith("ok   window") and window != window:
            window = time.perf_counter() - started
    if process.wait() != 0:
        raise SystemExit(f"the self-test failed for {command}")
    return window, time.perf_counter() - started


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def largest_parts(internal: Path, count: int = 8) -> list[tuple[str, int]]:
    """The biggest entries one and two levels down (PySide6 split into Qt libs, plugins)."""
    parts: list[tuple[str, int]] = []
    for entry in internal.iterdir():
        if entry.is_symlink():
            continue
        if entry.name == "PySide6":
            for sub in (entry / "Qt" / "lib", entry / "Qt" / "plugins"):
                parts.append((f"PySide6/Qt/{sub.name}", folder_size(sub)[0]))
            python_side = sum(p.stat().st_size for p in entry.glob("*") if p.is_file())
            parts.append(("PySide6 (bindings)", python_side))
        else:
            size = entry.stat().st_size if entry.is_file() else folder_size(entry)[0]
            parts.append((entry.name, size))
    return sorted(parts, key=lambda item: -item[1])[:count]


def archive_size(folder: Path) -> int:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
        archive.add(folder, arcname=folder.name)
    return buffer.tell()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="an already built executable")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-archive", action="store_true", help="skip the .tar.gz size")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as scratch:
        home = Path(scratch) / "home"
        build_seconds = None
        if args.bundle:
            program = args.bundle.resolve()
        else:
            build = _build_script()
            program, build_seconds = build.build_bundle(
                Path(scratch) / "dist", Path(scratch) / "work"
            )
        folder = program.parent
        size, files = folder_size(folder)
        parts = largest_parts(folder / "_internal")
        archive = None if args.no_archive else archive_size(folder)

        commands = {
            "bundle": [str(program)],
            "source": [sys.executable, "-m", "counsellor_app"],
        }
        startup: dict[str, dict[str, float]] = {}
        for name, command in commands.items():
            time_version(command, home)  # warm the file cache: we measure warm starts
            versions = [time_version(command, home) for _ in range(args.repeat)]
            runs = [time_self_test(command, home) for _ in range(args.repeat)]
            startup[name] = {
                "version_s": statistics.median(versions),
                "window_s": statistics.median(run[0] for run in runs),
                "self_test_s": statistics.median(run[1] for run in runs),
            }

    mib = 1024 * 1024
    print(f"bundle: {folder}")
    if build_seconds is not None:
        print(f"build time: {build_seconds:.0f} s")
    line = f"size: {size / mib:.0f} MiB in {files} files"
    if archive is not None:
        line += f"; as .tar.gz: {archive / mib:.0f} MiB"
    print(line)
    print("largest parts: " + ", ".join(f"{n} {s / mib:.1f} MiB" for n, s in parts))
    print()
    print(f"{'start-up (median of ' + str(args.repeat) + ')':<28}{'bundle':>10}{'source':>10}")
    for key, title in (
        ("version_s", "--version"),
        ("window_s", "to the main window shown"),
        ("self_test_s", "whole --self-test"),
    ):
        bundle_s, source_s = startup["bundle"][key], startup["source"][key]
        print(f"{title:<28}{bundle_s:>9.2f}s{source_s:>9.2f}s")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                },
                "build_seconds": build_seconds,
                "size_bytes": size,
                "files": files,
                "archive_bytes": archive,
                "largest_parts": dict(parts),
                "repeat": args.repeat,
                "startup": startup,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
