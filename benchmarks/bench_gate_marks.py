"""Benchmark of what the export preview adds to the gate (issue 13): the candidates
(``counsellor_app.core.anonymity.candidates``) and the kept words.

The gate de-identifies every text that leaves; the preview now also marks candidates
(leftover runs of four or more digits, unknown capitalised words) and the words the
notebook keeps as no identifier. This script measures, in one run and in CPU seconds
(the machine is shared), on ``bench_deidentify.build_note`` texts:

* ``deidentify`` alone (the reference),
* ``Gate().examine`` (de-identify, cut, scan again, call-back, candidates),
* ``find_candidates`` alone on the de-identified text, and its share of ``examine``,
* ``Gate(kept=...).examine`` with ten kept words.

Run:  python benchmarks/bench_gate_marks.py [--sizes 20000,1000000] [--repeat N]
It prints a table and writes ``benchmarks/results/gate_marks.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_deidentify import build_note  # noqa: E402

from counsellor_app.core.anonymity import deidentify, warm_up  # noqa: E402
from counsellor_app.core.anonymity.candidates import find_candidates  # noqa: E402
from counsellor_app.core.gate import Gate, Place  # noqa: E402

KEPT = ["Fortnite", "Roblox", "Aula", "Teams", "Ctrl", "Mette", "Jensen", "Zoom", "Snap", "Ole"]


def cpu_ms(work: Callable[[], object], repeat: int) -> float:
    """The median CPU milliseconds of ``work()`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warm_up()
    place = Place("ref", "listen")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        text = build_note(size)
        repeat = args.repeat if size <= 100_000 else max(1, args.repeat // 2)
        passage = Gate().examine(text, place)
        marked = [(r.start, r.end) for r in passage.replacements]
        row = {
            "chars": len(text),
            "deidentify_ms": cpu_ms(lambda t=text: deidentify(t), repeat),
            "examine_ms": cpu_ms(lambda t=text: Gate().examine(t, place), repeat),
            "candidates_ms": cpu_ms(
                lambda c=passage.text, m=marked: find_candidates(c, skip=m), repeat
            ),
            "examine_kept_ms": cpu_ms(lambda t=text: Gate(kept=KEPT).examine(t, place), repeat),
            "candidates": len(passage.candidates),
        }
        row["candidates_share"] = row["candidates_ms"] / row["examine_ms"]
        rows.append(row)
    print(
        f"{'chars':>10} {'deidentify':>11} {'examine':>9} {'candidates':>11} "
        f"{'share':>6} {'with kept':>10} {'found':>6}   (CPU ms, median)"
    )
    for row in rows:
        print(
            f"{row['chars']:>10,} {row['deidentify_ms']:>11.1f} {row['examine_ms']:>9.1f} "
            f"{row['candidates_ms']:>11.1f} {row['candidates_share']:>6.1%} "
            f"{row['examine_kept_ms']:>10.1f} {row['candidates']:>6}"
        )
    out = ROOT / "benchmarks" / "results" / "gate_marks.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
