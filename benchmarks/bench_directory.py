"""The help directory's search as the counsellor types (issue 18: at most 10 ms at
5,000 entries).

Builds ``--entries`` directory entries in memory (organisations spread over the 98
municipalities, every kind, one or two themes each), indexes them with
``core.directory.DirectoryIndex`` as the alliance step does, then times every prefix of a
few queries as they are typed, letter by letter ("p", "pp", "ppr", "ppr ", "ppr v", ...),
with and without a municipality, ``--repeat`` times. Nothing is asserted.

Run:  python benchmarks/bench_directory.py [--entries 5000] [--repeat 20]
It prints p50/p95/max and writes ``benchmarks/results/directory.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "directory.json"

from counsellor_app.core.directory import (  # noqa: E402
    DirectoryEntry,
    DirectoryIndex,
    EntryKind,
    municipalities,
)
from counsellor_app.core.taxonomy import taxonomy  # noqa: E402

QUERIES = ("ppr vejle", "forening ensomhed", "headspace", "35 55", "familierådgivning aarhus")
WORDS = ("Forening", "Klub", "Rådgivning", "Center", "Netværk", "Hus", "Ungdom", "Familie")


def build(count: int) -> list[DirectoryEntry]:
    """``count`` entries spread over municipalities, kinds and themes."""
    kinds = list(EntryKind)
    places = municipalities()
    themes = [term.id for term in taxonomy().themes]
    return [
        DirectoryEntry(
            f"{WORDS[n % len(WORDS)]} {places[n % len(places)]} {n}",
            kinds[n % len(kinds)],
            places[(n * 7) % len(places)] if n % 10 else "",
            themes=[themes[n % len(themes)], themes[(n * 3) % len(themes)]],
            phone=f"{20000000 + n * 13}",
            note="Ring i telefontiden.",
        )
        for n in range(count)
    ]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    started = time.perf_counter()
    index = DirectoryIndex(build(options.entries))
    build_ms = (time.perf_counter() - started) * 1000
    results = {}
    for municipality in (None, "Vejle"):
        samples = []
        for _round in range(options.repeat):
            for query in QUERIES:
                for end in range(1, len(query) + 1):
                    start = time.perf_counter()
                    index.search(query[:end], municipality=municipality)
                    samples.append((time.perf_counter() - start) * 1000)
        key = "all" if municipality is None else "one municipality"
        results[key] = {
            "searches": len(samples),
            "p50_ms": round(statistics.median(samples), 3),
            "p95_ms": round(percentile(samples, 0.95), 3),
            "max_ms": round(max(samples), 3),
        }
    print(f"Directory search, {options.entries} entries (index built in {build_ms:.1f} ms)")
    print(f"{'scope':<18} {'searches':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for key, row in results.items():
        print(
            f"{key:<18} {row['searches']:>9} {row['p50_ms']:>8.3f} {row['p95_ms']:>8.3f} "
            f"{row['max_ms']:>8.3f}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "entries": options.entries,
                "build_ms": round(build_ms, 1),
                "search": results,
                "python": platform.python_version(),
                "machine": platform.machine(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
