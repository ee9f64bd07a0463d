"""PDF reports and the research export over a supervisor's notebook.

Builds real encrypted notebooks with the demo data in a temporary folder: ``--counsellors``
counsellor notebooks of ``--per-counsellor`` cases each (default 10 x 100 = 1,000 cases),
exported to and imported by one supervisor notebook (regions set for the counsellors),
then measures:

* **the period report PDF** over all imported cases (the dashboard's figures, the charts,
  the PDF with the embedded font, the atomic write), for all counsellors and for one;
  **before and after** counting in the database: the dashboard's figures alone and the
  whole PDF, counted by grouped SQL queries (``dashboard.dashboard``, what the app does)
  and by reading every case back and counting in Python (``dashboard_from_cases``, what
  it did before, kept as the tests' definition), for all time, this year and one
  counsellor, interleaved, median of ``--runs``; the two must give the same figures;
* **the research export** (cases and conversations, k-anonymity with k = 5 and
  l-diversity, two CSVs, two codebooks, the data package, README);
* **one-case summaries**: an imported case and a case of a counsellor's own notebook
  (built as an export builds it, every text through the anonymity guard).

Key derivation is kept cheap (it is measured in ``bench_store.py``); nothing is asserted.

Run:  python benchmarks/bench_reports.py [--counsellors 10] [--per-counsellor 100] [--runs 3]
It prints a table and writes ``benchmarks/results/reports.json``.

On the performance table's data (``run_all.py``'s work folder), the period report alone,
on a copy of the supervisor's notebook (opened with ``run_all.py``'s passphrase):

      python benchmarks/bench_reports.py --supervisor /tmp/bw/sup-100000.cnb

which writes ``benchmarks/results/reports-<N>.json`` (N imported cases).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "reports.json"

from counsellor_app.core import reports  # noqa: E402
from counsellor_app.core.anonymity import warm_up  # noqa: E402
from counsellor_app.core.dashboard import Dashboard, dashboard, dashboard_from_cases  # noqa: E402
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


#: How the figures are counted: in the database (now), or every case read back and
#: counted in Python (before; the tests' definition of the figures).
COUNTINGS: dict[str, Callable[..., Dashboard]] = {
    "sql": dashboard,
    "python (before)": dashboard_from_cases,
}


def period_report(supervisor: Notebook, folder: Path, runs: int) -> dict[str, Any]:
    """The dashboard's figures and the period report PDF, each counting, interleaved."""
    one = counsellors(supervisor)[0].counsellor_id
    today = date.today()
    filters: dict[str, dict[str, Any]] = {
        "all counsellors": {},
        "this year": {"period_from": date(today.year, 1, 1), "period_to": today},
        "one counsellor": {"counsellor": one},
    }
    times: dict[tuple[str, str, str], list[float]] = {}
    figures: dict[tuple[str, str], Dashboard] = {}
    pdf = folder / "period.pdf"
    for _ in range(runs):
        for name, kwargs in filters.items():
            for how, count in COUNTINGS.items():
                start, end = kwargs.get("period_from"), kwargs.get("period_to")
                found, seconds = timed(count, supervisor, start, end, kwargs.get("counsellor"))
                figures[name, how] = found
                times.setdefault((name, how, "figures"), []).append(seconds)
                # The same report, its figures counted this way (the module's own name).
                reports.dashboard = count  # type: ignore[attr-defined]
                try:
                    _path, seconds = timed(write_period_report, supervisor, pdf, **kwargs)
                finally:
                    reports.dashboard = dashboard  # type: ignore[attr-defined]
                times.setdefault((name, how, "pdf"), []).append(seconds)
    result: dict[str, Any] = {
        "imported cases": supervisor.query("SELECT count(*) FROM imported_cases")[0][0],
        "conversations": supervisor.query("SELECT count(*) FROM imported_conversations")[0][0],
        "runs": runs,
        "pdf_kb": round(pdf.stat().st_size / 1024),
        "same figures": all(
            figures[name, "sql"] == figures[name, "python (before)"] for name in filters
        ),
    }
    for (name, how, what), values in times.items():
        result[f"{name}, {what}, {how}_s"] = round(statistics.median(values), 3)
    return result


def print_period_report(result: dict[str, Any]) -> None:
    print(
        f"period report: {result['imported cases']:,} imported cases, "
        f"{result['conversations']:,} conversations, median of {result['runs']} "
        f"(same figures both ways: {result['same figures']})"
    )
    print(f"  {'':<34}{'before (python)':>16}{'after (sql)':>13}{'speed-up':>10}")
    for name in ("all counsellors", "this year", "one counsellor"):
        for what, label in (("figures", "dashboard figures"), ("pdf", "period report PDF")):
            before = result[f"{name}, {what}, python (before)_s"]
            after = result[f"{name}, {what}, sql_s"]
            ratio = before / after if after else float("inf")
            print(f"  {label + ', ' + name:<34}{before:>14.3f} s{after:>11.3f} s{ratio:>9.1f}x")


def on_supervisor(source: Path, runs: int) -> None:
    """The period report on a copy of an existing supervisor's notebook (run_all.py's)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run_all import SUP_PASSPHRASE

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ["COUNSELLOR_APP_HOME"] = str(tmp / "home")
        copy = tmp / source.name
        for suffix in ("", ".key"):
            shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
        with Notebook.open(copy, SUP_PASSPHRASE) as supervisor:
            result = period_report(supervisor, tmp, runs)
    print_period_report(result)
    out = RESULTS.with_name(f"reports-{result['imported cases']}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {"python": platform.python_version(), "cpus": os.cpu_count(), **result}, indent=2
        ),
        encoding="utf-8",
    )
    print(f"written: {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counsellors", type=int, default=10)
    parser.add_argument("--per-counsellor", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="runs of each period report")
    parser.add_argument(
        "--supervisor",
        type=Path,
        help="only the period report, on a copy of this supervisor notebook (run_all.py's)",
    )
    args = parser.parse_args()
    if args.supervisor:
        on_supervisor(args.supervisor, args.runs)
        return

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
        import_bundles(supervisor, paths, accept_new=True)
        regions = list(Region)[:5]
        for n, info in enumerate(counsellors(supervisor)):
            set_counsellor_region(supervisor, info.counsellor_id, regions[n % len(regions)])
        setup_s = time.perf_counter() - start
        cases = imported_cases(supervisor, texts=False)

        results["period report"] = {
            "setup_s (notebooks, bundles, import)": round(setup_s, 1),
            **period_report(supervisor, tmp, args.runs),
        }

        export, research_s = timed(research_export, supervisor, tmp / "research")
        results["research export"] = {
            "conversations": export.conversations,
            "rows written": export.rows,
            "rows suppressed": export.suppressed,
            "cases": export.imported,
            "case rows written": export.case_rows,
            "time_s": round(research_s, 3),
            "csv_kb": round(
                (export.data_path.stat().st_size + export.cases_path.stat().st_size) / 1024
            ),
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

    print_period_report(results["period report"])  # type: ignore[arg-type]
    parts = ("research export", "case summary")
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
