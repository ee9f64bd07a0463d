"""PDF reports and the research export over a supervisor's notebook.

Builds real encrypted notebooks with the demo data in a temporary folder: ``--counsellors``
counsellor notebooks of ``--per-counsellor`` cases each (default 10 x 100 = 1,000 cases),
exported to and imported by one supervisor notebook (regions set for the counsellors),
then measures:

* **the period report PDF** over all imported cases (the dashboard's figures, the charts,
  the PDF with the embedded font, the atomic write), for all counsellors and for one;
* **the research export** (rows, k-anonymity with k = 5, CSV, codebook, README);
* **one-case summaries**: an imported case and a case of a counsellor's own notebook
  (built as an export builds it, every text through the anonymity guard).

Key derivation is kept cheap (it is measured in ``bench_store.py``); nothing is asserted.

Run:  python benchmarks/bench_reports.py [--counsellors 10] [--per-counsellor 100]
It prints a table and writes ``benchmarks/results/reports.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "reports.json"

from counsellor_app.core.anonymity import warm_up  # noqa: E402
from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import Role  # noqa: E402
from counsellor_app.core.exchange import ensure_key_pair, export_bundle  # noqa: E402
from counsellor_app.core.keys import KdfParams  # noqa: E402
from counsellor_app.core.reports import (  # noqa: E402
    write_case_summary,
    write_imported_case_summary,
    write_period_report,
)
from counsellor_app.core.research import Region, research_export, set_counsellor_region  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.core.supervision import counsellors, import_bundles, imported_cases  # noqa: E402

KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
PASSPHRASE = "benchmark"


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counsellors", type=int, default=10)
    parser.add_argument("--per-counsellor", type=int, default=100)
    args = parser.parse_args()

    results: dict[str, object] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ["COUNSELLOR_APP_HOME"] = str(tmp / "home")
        warm_up()
        supervisor, _ = Notebook.create(
            tmp / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=KDF
        )
        key = ensure_key_pair(supervisor)
        start = time.perf_counter()
        paths = []
        for n in range(args.counsellors):
            counsellor, _ = Notebook.create(tmp / f"c{n}.cnb", PASSPHRASE, kdf=KDF)
            fill_demo(counsellor, args.per_counsellor, seed=200 + n)
            paths.append(export_bundle(counsellor, key, tmp / f"c{n}.cnbundle").path)
            if n:
                counsellor.close()
            else:
                own = counsellor
        import_bundles(supervisor, paths)
        regions = list(Region)[:5]
        for n, info in enumerate(counsellors(supervisor)):
            set_counsellor_region(supervisor, info.counsellor_id, regions[n % len(regions)])
        setup_s = time.perf_counter() - start
        cases = imported_cases(supervisor, texts=False)

        path, all_s = timed(write_period_report, supervisor, tmp / "period.pdf")
        one = cases[0].counsellor_id
        _one, one_s = timed(write_period_report, supervisor, tmp / "one.pdf", counsellor=one)
        results["period report"] = {
            "imported cases": len(cases),
            "conversations": sum(len(c.case.conversations) for c in cases),
            "setup_s (notebooks, bundles, import)": round(setup_s, 1),
            "all counsellors_s": round(all_s, 3),
            "one counsellor_s": round(one_s, 3),
            "pdf_kb": round(path.stat().st_size / 1024),
        }

        export, research_s = timed(research_export, supervisor, tmp / "research")
        results["research export"] = {
            "conversations": export.conversations,
            "rows written": export.rows,
            "rows suppressed": export.suppressed,
            "time_s": round(research_s, 3),
            "csv_kb": round(export.data_path.stat().st_size / 1024),
        }

        biggest = max(cases, key=lambda c: len(c.case.conversations))
        _p, imported_s = timed(write_imported_case_summary, supervisor, biggest.id, tmp / "i.pdf")
        own_id = max(own.find_case_ids(), key=lambda i: len(own.conversations(i)))
        _p, own_s = timed(write_case_summary, own, own_id, tmp / "o.pdf")
        results["case summary"] = {
            "imported case_s": round(imported_s, 3),
            "own case_s": round(own_s, 3),
            "conversations": len(biggest.case.conversations),
        }
        own.close()
        supervisor.close()

    parts = ("period report", "research export", "case summary")
    width = max(len(k) for part in parts for k in results[part])  # type: ignore[union-attr]
    for part in parts:
        print(part)
        for name, value in results[part].items():  # type: ignore[union-attr]
            print(f"  {name:<{width}}  {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
