"""The size of a real export and the memory an import of it takes (issue 14).

Builds a counsellor notebook with the demo data (``--cases``, 10,000 by default: the
largest export the import cap must admit), exports every case to a supervisor's key,
then imports the bundle into the supervisor's notebook under ``tracemalloc`` and reports
the file's size, the peak of Python allocations during the import and their ratio (the
aim: at most 4× the file). Allocations made outside Python (SQLCipher's page cache, the
age decryption's own buffers) are not traced; the bytes objects they hand back are.

Run:  python benchmarks/bench_import_memory.py [--cases 10000]
It prints a small table and writes ``benchmarks/results/import_memory.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "import_memory.json"

from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import Role  # noqa: E402
from counsellor_app.core.exchange import ensure_key_pair, export_bundle  # noqa: E402
from counsellor_app.core.keys import KdfParams  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.core.supervision import MAX_BUNDLE_BYTES, import_bundle  # noqa: E402

KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
PASSPHRASE = "benchmark"


def measure(cases: int, folder: Path) -> dict[str, Any]:
    counsellor, _ = Notebook.create(folder / "c.cnb", PASSPHRASE, kdf=KDF)
    supervisor, _ = Notebook.create(folder / "s.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=KDF)
    with counsellor, supervisor:
        start = time.perf_counter()
        fill_demo(counsellor, cases, seed=1)
        filled_s = time.perf_counter() - start
        key = ensure_key_pair(supervisor)
        start = time.perf_counter()
        result = export_bundle(counsellor, key, folder / "all.cnbundle")
        export_s = time.perf_counter() - start
        tracemalloc.start()
        start = time.perf_counter()
        imported = import_bundle(supervisor, result.path, accept_new=True)
        import_s = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert imported.cases_added == cases, imported
    return {
        "cases": cases,
        "conversations": result.conversation_count,
        "file_bytes": result.size,
        "bytes_per_case": round(result.size / cases),
        "cap_bytes": MAX_BUNDLE_BYTES,
        "import_peak_bytes": peak,
        "peak_over_file": round(peak / result.size, 2),
        "fill_s": round(filled_s, 1),
        "export_s": round(export_s, 1),
        "import_s": round(import_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        row = measure(args.cases, Path(folder))
    for name, value in row.items():
        print(f"{name:>20}  {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
