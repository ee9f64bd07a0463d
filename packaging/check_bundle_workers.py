#!/usr/bin/env python3
"""Prove that the BUILT program's parallel de-identification runs in spawned workers.

    python packaging/check_bundle_workers.py [--bundle dist/counsellor-app/counsellor-app]

Windows and macOS start the workers of ``counsellor-app deidentify``
(``core/anonymity/large.py``) by spawning: each is the bundle's program started again,
which its entry point (``packaging/counsellor_app_main.py``) must hand to
``multiprocessing.freeze_support()`` before anything else, or it would become a second
app. This script runs the built program's ``deidentify --json`` on a text just above the
spawned workers' threshold (``2 * large.CHARS_PER_SPAWNED_WORKER`` characters, about
33 MB) with ``COUNSELLOR_APP_START_METHOD=spawn`` (so that Linux, which forks, spawns
too) and checks, while it runs and after:

* it succeeds, and its text and findings are those of one scan of the whole text by this
  checkout's engine (``deidentify``, in this process);
* two or more processes of the program were started with ``--multiprocessing-fork`` (the
  workers), and every one of them answered its chunks: no "parallel scan" warning in the
  log. A worker that went on to run the app instead (what the entry point does without
  ``freeze_support()``: its command line is the same) answers nothing; the caller logs
  that and scans the text itself, and the app's complaint about its arguments appears on
  standard error (a bundle built without the call fails these checks and "none left");
* nothing else was started but multiprocessing's resource tracker (on Linux also: no
  worker loaded Qt's GUI libraries);
* nothing is printed on standard error, and no process it started outlives it.

Without ``--bundle`` it builds one first (``packaging/build.py``, in a temporary folder).
Needs two cores or more (one worker per 16 MB, at most one per core). The processes are
listed with ``ps`` (Linux, macOS) or PowerShell's ``Get-CimInstance`` (Windows). Exit
status 0 only if every check passed; one line per check.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: How a process of the program started by multiprocessing is told apart.
WORKER_MARK = "--multiprocessing-fork"
TRACKER_MARK = "multiprocessing.resource_tracker"
#: The warnings large.py logs when a worker failed and the caller scans the text itself.
FALLBACK_MARK = "a worker of the parallel scan"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def processes() -> dict[int, tuple[int, str]]:
    """Every process: pid -> (parent's pid, command line)."""
    if sys.platform == "win32":
        script = (
            "Get-CimInstance Win32_Process | ForEach-Object "
            "{ '{0} {1} {2}' -f $_.ProcessId, $_.ParentProcessId, $_.CommandLine }"
        )
        command = ["powershell", "-NoProfile", "-NonInteractive", "-Command", script]
    else:
        command = ["ps", "-A", "-o", "pid=", "-o", "ppid=", "-o", "command="]
    listing = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    out: dict[int, tuple[int, str]] = {}
    for line in listing.splitlines():
        fields = line.split(None, 2)
        if len(fields) >= 2 and fields[0].isdigit() and fields[1].isdigit():
            out[int(fields[0])] = (int(fields[1]), fields[2] if len(fields) == 3 else "")
    return out


def descendants(root: int, table: dict[int, tuple[int, str]]) -> dict[int, str]:
    """The processes below ``root`` in ``table``: pid -> command line."""
    found: dict[int, str] = {}
    parents = {root}
    while True:
        new = {
            pid: line
            for pid, (parent, line) in table.items()
            if parent in parents and pid not in found and pid != root
        }
        if not new:
            return found
        found.update(new)
        parents = set(new)


class Watch:
    """The processes the program starts, listed every 0.2 s on a thread while it runs:
    every command line each showed (between its fork and exec a child shows its
    parent's; an ending one none)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.lines: dict[int, set[str]] = {}
        #: Linux: the workers whose memory map could be read, and those that held Qt.
        self.mapped: set[int] = set()
        self.with_qt: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, line in descendants(self.pid, processes()).items():
                self.lines.setdefault(pid, set()).add(line)
                if WORKER_MARK in line and sys.platform.startswith("linux"):
                    self._map(pid)
            self._stop.wait(0.2)

    def _map(self, pid: int) -> None:
        """Note whether the worker has loaded Qt's GUI libraries, as the app would."""
        try:
            maps = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return  # gone, or not readable (hardened: a user who is not root)
        if maps:
            self.mapped.add(pid)
        if "libQt6Gui" in maps or "libQt6Widgets" in maps:
            self.with_qt.add(pid)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def marked(self, mark: str) -> set[int]:
        """The processes that showed ``mark`` in their command line."""
        return {pid for pid, lines in self.lines.items() if any(mark in x for x in lines)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, help="the built program (else build one)")
    parser.add_argument(
        "--chars",
        type=int,
        default=0,
        help="characters of text (default: above the threshold)",
    )
    args = parser.parse_args()

    from counsellor_app.core.anonymity import deidentify
    from counsellor_app.core.anonymity.large import CHARS_PER_SPAWNED_WORKER

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (cores or 1) < 2:
        print("FAIL cores: one core here; the workers need two")
        return 1
    build_note = _load(ROOT / "benchmarks" / "bench_deidentify.py", "_bench").build_note
    with tempfile.TemporaryDirectory(prefix="cn-workers-") as scratch:
        folder = Path(scratch)
        program = args.bundle
        if program is None:
            build = _load(ROOT / "packaging" / "build.py", "_build")
            program, seconds = build.build_bundle(folder / "dist", folder / "work")
            print(f"built {program} in {seconds:.0f} s")
        program = program.resolve()
        chars = args.chars or 2 * CHARS_PER_SPAWNED_WORKER + 100_000
        text = build_note(chars)
        source = folder / "notes.txt"
        source.write_bytes(text.encode("utf-8"))
        print(f"text: {len(text):,} characters, {source.stat().st_size / 1e6:.1f} MB")

        started = time.perf_counter()
        whole = deidentify(text)
        print(f"one scan in this process: {time.perf_counter() - started:.1f} s")

        home = folder / "home"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "VIRTUAL_ENV", "QT_", "COUNSELLOR_APP_"))
        }
        env.update(
            COUNSELLOR_APP_HOME=str(home),
            QT_QPA_PLATFORM="offscreen",
            COUNSELLOR_APP_START_METHOD="spawn",
        )
        started = time.perf_counter()
        run = subprocess.Popen(
            [str(program), "deidentify", str(source), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=folder,
        )
        watch = Watch(run.pid)
        try:
            out, err = run.communicate(timeout=900)
        finally:
            watch.stop()
            if run.poll() is None:
                run.kill()
        print(f"the bundle in spawned workers: {time.perf_counter() - started:.1f} s")

        def still_there(pids: set[int] | None = None) -> list[int]:
            now = processes()
            return [
                pid
                for pid, lines in watch.lines.items()
                if (pids is None or pid in pids) and now.get(pid, (0, ""))[1] in lines
            ]

        # The caller joins its workers before it returns: none may be there as it ends.
        # The resource tracker ends once it reads the end of its pipe: a moment later.
        left = still_there(watch.marked(WORKER_MARK))
        for _wait in range(50):
            if left or not still_there():
                break
            time.sleep(0.1)
        left = left or still_there()
        log = "".join(
            path.read_text(encoding="utf-8", errors="replace") for path in home.rglob("*.log*")
        )

        checks: list[tuple[str, bool, str]] = []
        checks.append(("exit", run.returncode == 0, f"status {run.returncode}"))
        try:
            data = json.loads(out.decode("utf-8"))
        except ValueError:
            data = {"text": None, "findings": []}
        same_text = data["text"] == whole.text
        same_findings = [(f["start"], f["end"], f["kind"]) for f in data["findings"]] == [
            (f.start, f.end, str(f.kind)) for f in whole.findings
        ]
        checks.append(
            ("same output", same_text and same_findings, f"{len(whole.findings):,} findings")
        )
        workers = watch.marked(WORKER_MARK)
        trackers = watch.marked(TRACKER_MARK)
        checks.append(("workers", len(workers) >= 2, f"{len(workers)} spawned"))
        # A worker that ran the app instead would never answer its chunks: the caller
        # logs that and scans the text itself (same output).
        checks.append(("workers answered", FALLBACK_MARK not in log, "no parallel scan warning"))
        own = " ".join([str(program), "deidentify", str(source), "--json"])
        others = {
            pid: lines
            for pid, lines in watch.lines.items()
            if pid not in workers | trackers
            # (what a child shows before its exec, and once it is ending: "[name]" or
            # "<defunct>" on Linux, "(name)" on macOS; Windows gives a console program a
            # console host of its own, conhost.exe)
            and not all(
                x == own or x.startswith(("[", "(")) or "conhost.exe" in x.lower() or not x
                for x in lines
            )
        }
        detail = f"{len(workers)} workers, {len(trackers)} resource tracker; others: "
        detail += "; ".join(" | ".join(sorted(x)) for x in others.values()) or "none"
        checks.append(("nothing else started", not others, detail))
        if sys.platform.startswith("linux"):
            checks.append(
                (
                    "no Qt in workers",
                    not watch.with_qt,
                    f"{len(watch.with_qt)} of {len(watch.mapped)} readable maps hold Qt",
                )
            )
        error_text = err.decode("utf-8", "replace").strip()
        checks.append(("quiet", not error_text, error_text[-300:] or "nothing on stderr"))
        checks.append(("none left", not left, ", ".join(map(str, left)) or "all ended"))

    for name, passed, detail in checks:
        print(f"{'ok  ' if passed else 'FAIL'} {name}: {detail}")
    failed = [name for name, passed, _detail in checks if not passed]
    print("check failed: " + ", ".join(failed) if failed else "check passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
