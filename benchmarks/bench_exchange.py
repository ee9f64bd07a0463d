"""Export and import of summary bundles, and the supervisor's dashboard.

Builds real encrypted notebooks with the demo data in a temporary folder and measures:

* **export of 1,000 cases**: ``preview_export`` (every text through the anonymity guard,
  and the changed ones scanned again) and ``export_bundle`` from that preview (JSON,
  self-check, age encryption, atomic write), and the bundle's size;
* **import of 100 bundles of 100 cases** (100 counsellor notebooks, one bundle each) into
  one supervisor notebook with ``import_bundles`` (one transaction per bundle), and the
  same 100 files again (all already imported);
* **the dashboard** over the 10,000 imported cases, all of them and one counsellor.

Key derivation is kept cheap (it is measured in ``bench_store.py``); nothing is asserted.

Run:  python benchmarks/bench_exchange.py [--cases 1000] [--bundles 100] [--per-bundle 100]
It prints a table and writes ``benchmarks/results/exchange.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "exchange.json"

from counsellor_app.core.anonymity import warm_up  # noqa: E402
from counsellor_app.core.dashboard import dashboard  # noqa: E402
from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import Role  # noqa: E402
from counsellor_app.core.exchange import (  # noqa: E402
    ensure_key_pair,
    export_bundle,
    preview_export,
)
from counsellor_app.core.keys import KdfParams  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.core.supervision import counsellors, import_bundles  # noqa: E402

KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
PASSPHRASE = "benchmark"


def time_export(
    notebook: Notebook, key: str, out_path: Path, since: date | datetime | None = None
) -> dict[str, Any]:
    """Preview and export (every case changed since ``since``; all when None), timed."""
    start = time.perf_counter()
    preview = preview_export(notebook, since)
    preview_s = time.perf_counter() - start
    start = time.perf_counter()
    result = export_bundle(notebook, key, out_path, preview=preview)
    write_s = time.perf_counter() - start
    text_chars = sum(len(t.original) for t in preview.texts)
    return {
        "cases": result.case_count,
        "conversations": result.conversation_count,
        "texts": len(preview.texts),
        "text_mb": round(text_chars / 1e6, 2),
        "preview_s": round(preview_s, 3),
        "encrypt_write_s": round(write_s, 3),
        "total_s": round(preview_s + write_s, 3),
        "bundle_mb": round(result.size / 1e6, 2),
    }


def time_import(supervisor: Notebook, paths: list[Path]) -> dict[str, Any]:
    """Import ``paths`` into ``supervisor``, then the same files again; timed."""
    start = time.perf_counter()
    report = import_bundles(supervisor, paths, accept_new=True)
    import_s = time.perf_counter() - start
    start = time.perf_counter()
    again = import_bundles(supervisor, paths, accept_new=True)
    again_s = time.perf_counter() - start
    return {
        "bundles": len(paths),
        "cases": sum(r.cases_added for r in report.imported),
        "conversations": sum(r.conversations for r in report.imported),
        "refused": len(report.refused),
        "import_s": round(import_s, 3),
        "per_bundle_ms": round(import_s / max(1, len(paths)) * 1000, 1),
        "again_s (all already imported)": round(again_s, 3),
        "already": len(again.already_imported),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--bundles", type=int, default=100)
    parser.add_argument("--per-bundle", type=int, default=100)
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

        # ------------------------------------------------------------ export
        counsellor, _ = Notebook.create(tmp / "counsellor.cnb", PASSPHRASE, kdf=KDF)
        fill_demo(counsellor, args.cases, seed=1)
        results["export"] = time_export(counsellor, key, tmp / "big.cnbundle")
        counsellor.close()

        # ------------------------------------------------------------ import
        start = time.perf_counter()
        paths = []
        for n in range(args.bundles):
            notebook, _ = Notebook.create(tmp / f"c{n}.cnb", PASSPHRASE, kdf=KDF)
            with notebook:
                fill_demo(notebook, args.per_bundle, seed=100 + n)
                paths.append(export_bundle(notebook, key, tmp / f"c{n}.cnbundle").path)
        setup_s = time.perf_counter() - start
        imported = time_import(supervisor, paths)
        results["import"] = {
            **imported,
            "setup_s (make notebooks and bundles)": round(setup_s, 2),
        }

        # ------------------------------------------------------------ dashboard
        start = time.perf_counter()
        figures = dashboard(supervisor)
        all_s = time.perf_counter() - start
        one = counsellors(supervisor)[0].counsellor_id
        start = time.perf_counter()
        dashboard(supervisor, counsellor=one)
        one_s = time.perf_counter() - start
        results["dashboard"] = {
            "cases": figures.cases,
            "contacts": figures.contacts,
            "all_s": round(all_s, 3),
            "one_counsellor_s": round(one_s, 3),
        }
        supervisor.close()

    width = max(len(k) for part in ("export", "import", "dashboard") for k in results[part])  # type: ignore[union-attr]
    for part in ("export", "import", "dashboard"):
        print(part)
        for name, value in results[part].items():  # type: ignore[union-attr]
            print(f"  {name:<{width}}  {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
