"""Cases an older version imported before imports were scanned (issue 13), at 100,000
imported cases: what settling them costs.

Builds (or reuses, ``--keep``) the supervisor's notebook of ``bench_supervisor_cases.py``
(1,000 demo cases imported from a real signed bundle, copied by SQL to ``--cases``), then
measures, each the median of ``--runs`` after a warm-up:

* **none left**: :func:`unscanned_imports` and :func:`settle_unscanned_imports` on a
  notebook that has none (what every unlock of a supervisor's window and every open on the
  command line pays);
* **read**: :func:`imported_case` of a case stored scanned and of one stored unscanned
  (settled as it is read: what opening it in the window or printing it adds);
* **settle**: ``--unscanned`` cases (default 2,000) marked unscanned by SQL, then stored
  settled a batch at a time (:data:`SETTLE_BATCH` cases per transaction, as the window's
  notebook lane does after an unlock): the slowest batch (what a lock or another write
  waits for at most), cases per second, and the time for every case of the notebook
  extrapolated from that rate.

The machine is shared: the load is printed with the figures.

Run:  python benchmarks/bench_old_imports.py [--cases 100000] [--unscanned 2000]
      python benchmarks/bench_old_imports.py --keep /tmp/sup100k.cnb   # build once
It prints a table and writes ``benchmarks/results/old_imports.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results" / "old_imports.json"

from bench_supervisor_cases import load_average, open_or_build  # noqa: E402

from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.core.supervision import (  # noqa: E402
    SETTLE_BATCH,
    imported_case,
    settle_unscanned_imports,
    unscanned_imports,
)


def _median_ms(function: Callable[[], Any], runs: int) -> float:
    function()  # warm-up: the app keeps its notebook (and its page cache) open
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def measure(notebook: Notebook, runs: int, unscanned: int) -> dict[str, Any]:
    (cases,) = notebook.query("SELECT count(*) FROM imported_cases")[0]
    while settle_unscanned_imports(notebook):  # a kept notebook of an earlier run
        pass
    result: dict[str, Any] = {"cases": cases, "batch": SETTLE_BATCH, "load_before": load_average()}
    result["none_left_count_ms"] = _median_ms(lambda: unscanned_imports(notebook), runs)
    result["none_left_settle_ms"] = _median_ms(lambda: settle_unscanned_imports(notebook), runs)
    ids = [int(r[0]) for r in notebook.query("SELECT id FROM imported_cases ORDER BY id")]
    step = max(1, len(ids) // max(1, unscanned))
    chosen = ids[::step][:unscanned]
    result["read_scanned_ms"] = _median_ms(lambda: imported_case(notebook, chosen[0]), runs)
    with notebook.transaction() as db:
        db.executemany(
            "UPDATE imported_cases SET identifiers_replaced = NULL WHERE id = ?",
            [(case_id,) for case_id in chosen],
        )
    result["read_unscanned_ms"] = _median_ms(lambda: imported_case(notebook, chosen[0]), runs)
    (chars,) = notebook.query(
        "SELECT sum(length(summary_listen) + length(summary_advise) + "
        "length(summary_alliances) + length(summary_follow_up)) FROM imported_conversations "
        "WHERE case_id IN (SELECT id FROM imported_cases WHERE identifiers_replaced IS NULL)"
    )[0]
    batches: list[float] = []
    start = time.perf_counter()
    while True:
        begun = time.perf_counter()
        if not settle_unscanned_imports(notebook):
            break
        batches.append(time.perf_counter() - begun)
    total = time.perf_counter() - start
    result.update(
        unscanned=len(chosen),
        unscanned_note_chars=int(chars or 0),
        settle_s=round(total, 2),
        slowest_batch_s=round(max(batches), 2),
        median_batch_s=round(statistics.median(batches), 2),
        cases_per_s=round(len(chosen) / total, 1),
        all_cases_extrapolated_s=round(cases / (len(chosen) / total), 0),
        load_after=load_average(),
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed-cases", type=int, default=1_000)
    parser.add_argument("--unscanned", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the notebook here once and reuse it"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("COUNSELLOR_APP_HOME", str(Path(folder) / "home"))
        start = time.perf_counter()
        notebook = open_or_build(args.keep or Path(folder) / "supervisor.cnb", args)
        print(f"notebook ready in {time.perf_counter() - start:.1f} s; load {load_average()}")
        with notebook:
            result = measure(notebook, args.runs, args.unscanned)
    rows = [
        ("imported cases", f"{result['cases']:,}"),
        ("none left: count (ms)", result["none_left_count_ms"]),
        ("none left: settle call (ms)", result["none_left_settle_ms"]),
        ("read a scanned case (ms)", result["read_scanned_ms"]),
        ("read an unscanned case, settled (ms)", result["read_unscanned_ms"]),
        ("cases settled and stored", f"{result['unscanned']:,}"),
        ("  their notes (characters)", f"{result['unscanned_note_chars']:,}"),
        ("  in (s)", result["settle_s"]),
        ("  cases per second", result["cases_per_s"]),
        (f"  slowest batch of {result['batch']} (s)", result["slowest_batch_s"]),
        ("  median batch (s)", result["median_batch_s"]),
        ("every case of the notebook, extrapolated (s)", result["all_cases_extrapolated_s"]),
        ("load before / after", f"{result['load_before']} / {result['load_after']}"),
    ]
    for name, value in rows:
        print(f"  {name:<46} {value:>14}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
