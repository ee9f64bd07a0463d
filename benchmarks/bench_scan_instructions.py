"""Instructions per scan of the 20,000-character note, counted by valgrind's callgrind.

On a shared machine the clock and even the CPU time of a scan vary by a quarter or more
with what else runs; the count of instructions does not. This runs Python under
``valgrind --tool=callgrind`` twice: the word lists loaded and the note scanned a few
times to warm the memos, then ``--scans`` more scans, or none; the difference divided by
``--scans`` is the cost of one scan (``find_identifiers``). String hashing is fixed
(``PYTHONHASHSEED=0``) so that both runs do the same work before the scans.

Run:  python benchmarks/bench_scan_instructions.py [--scans 10] [--reference DIR]
(``--reference``: a checkout of older code counted the same way, e.g.
``git worktree add --detach /tmp/ref main``). Each count takes about 20 s per run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child(engine: str, scans: int) -> None:
    """Warm up, then scan ``scans`` times (run under valgrind)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_deidentify

    sys.path.insert(0, engine)  # the engine from this checkout (after the benchmark's own)
    from counsellor_app.core.anonymity import find_identifiers, warm_up

    warm_up()
    note = bench_deidentify.build_note(20_000)
    for _ in range(5):
        find_identifiers(note)
    for _ in range(scans):
        find_identifiers(note)


def _collected(engine: Path, scans: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={folder}/out",
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                str(engine),
                str(scans),
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise RuntimeError("callgrind printed no count")
    return int(found.group(1))


def per_scan(engine: Path, scans: int) -> float:
    """Instructions of one scan of the 20,000-character note by the engine in ``engine``."""
    return (_collected(engine, scans) - _collected(engine, 0)) / scans


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=10, help="scans counted")
    parser.add_argument("--reference", type=Path, help="an older checkout counted the same way")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)")
        return 1
    mine = per_scan(ROOT, args.scans)
    print(f"this checkout: {mine / 1e6:.2f} M instructions per scan of the 20,000-char note")
    if args.reference is not None:
        old = per_scan(args.reference, args.scans)
        print(f"reference:     {old / 1e6:.2f} M ({(mine - old) / old:+.1%} this against it)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
