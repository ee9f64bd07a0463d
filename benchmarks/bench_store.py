"""Benchmark of the encrypted notebook (``counsellor_app.core.store``) against plain SQLite.

For each size (number of cases) it builds a notebook with :func:`fill_demo` in a temporary
folder and a plain, unencrypted database with the same schema, the same pragmas (WAL,
``synchronous=FULL``, ``secure_delete``, in-memory temp store), the same rows and the same
search index (its FTS5 tables copied as they are, so that both merge index segments at the
same saves), then runs the same workload on both. The plain database is opened with
``sqlcipher3`` and no key: the same SQLite build (the schema needs FTS5 options newer than
many system SQLites), so the ratio is the cost of the encryption alone.

* **open**: opening the notebook after key derivation (``Notebook._open_with_key``: lock,
  key, verify, configure, migrate check, write check) and counting the cases (the count
  kept in meta since schema 11) vs. the same lock file, connect, configure, the same
  statements and ``count(*)`` on the plain file; **open_only** the same without counting,
  on both sides (what the encryption costs an open). The
  Argon2 key derivation is reported separately; it is the same for every notebook size and
  deliberately slow.
* **save**: 500 ``save_note`` calls of a note growing from 2,000 to 20,000 characters on
  random conversations (the autosave path: one durable transaction each) vs. the same two
  UPDATE statements in their own transaction on the plain database, interleaved.
* **search**: ``find_case_ids`` for a word as it is typed ("s", "sk", ... "skole"),
  realistic Danish queries, a case-code prefix and a whole code vs. the same search code
  (``CaseSearch``) on the plain database. Each query runs ``repeat`` times in a row, as
  keystrokes do (nothing is written between them); ``search_cold`` times each query once
  right after a write (the first keystroke after an autosave, when the case order is read
  again).
* **search as you type, first screenful**: ``search_cases`` (what the case list asks: the
  first 200 matches, the rest when scrolled; a word being typed narrows the one before)
  for every keystroke of typing the queries letter by letter, the field cleared between
  them, ``repeat`` times (a write before each round, so nothing kept from the round
  before is taken as is), vs. the full search (``CaseSearch.find``) of the same keystrokes
  on the plain database; wall clock and the thread's CPU time (on a loaded machine the
  wall clock also holds the waits for a core), and p95 by the letters typed. The window's
  index is made first (``prepare_search``, as the window does after unlocking), and timed
  apart. ``--keep DIR`` builds the data there once and measures a copy; ``--before
  FILE`` prints an earlier run's figures (say, of the code before a change) beside.

Run:  python benchmarks/bench_store.py [--sizes 1000,10000] [--saves 500] [--repeat 30]
It prints a table and writes ``benchmarks/results/store.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlcipher3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counsellor_app.core.connection import acquire_file_lock  # noqa: E402
from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import Step  # noqa: E402
from counsellor_app.core.keys import (  # noqa: E402
    DEFAULT_KDF,
    PASSPHRASE_SLOT,
    KeyFile,
    key_file_path,
)
from counsellor_app.core.schema import MIGRATIONS  # noqa: E402
from counsellor_app.core.search import CaseFilter, CaseSearch  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402

PASSPHRASE = "benchmark passphrase"
TABLES = (
    "meta",
    "cases",
    "conversations",
    "alliances",
    "follow_ups",
    "callbacks",
    "concerns",
    "status_changes",
)
#: The search index's own tables (FTS5, contentless): copied as they are.
FTS_SHADOW_TABLES = ("note_index_data", "note_index_idx", "note_index_docsize", "note_index_config")
#: Search p95 well under a 16.7 ms frame (issue #3: search as you type at 10,000 cases).
AIMS = {"save_p99_ms": 5.0, "search_p95_ms": 8.0, "ratio": 1.3}
TYPED = ["s", "sk", "sko", "skol", "skole"]

NOTE_TEXT = (
    "Mor ringer igen. Drengen har haft det svært i skolen, og morgenerne er en kamp. Vi "
    "talte om små skridt, faste rutiner og om at anerkende hans følelser uden at slippe "
    "forventningen om at komme af sted. Skolen har tilbudt et møde med PPR, og mor vil "
    "gerne have, at klasselæreren er med. Søvnen er blevet bedre, men skærmen fylder "
    "stadig meget om aftenen, og der er konflikter, når den skal slukkes. "
)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def _connect_plain(path: Path) -> Any:
    """The same SQLite as the notebook's, unencrypted (sqlcipher3 without a key)."""
    return sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)


def _configure_plain(connection: Any) -> None:
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("PRAGMA cache_size = -65536")  # as the notebook does
    connection.execute("PRAGMA wal_autocheckpoint = 10000")


def open_plain(path: Path) -> Any:
    """The plain-SQLite reference database, opened as the notebook is (same checks)."""
    connection = _connect_plain(path)
    connection.execute("PRAGMA user_version").fetchone()
    connection.execute("SELECT name FROM sqlite_master").fetchall()
    connection.execute("SELECT value FROM meta WHERE key = 'notebook_id'").fetchone()
    _configure_plain(connection)
    connection.execute("PRAGMA user_version").fetchone()
    # What the notebook does besides: its check that the file can be written, and the
    # notebook's id read once more for the open notebook.
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE meta SET value = value WHERE key = 'notebook_id'")
    connection.execute("ROLLBACK")
    connection.execute("SELECT value FROM meta WHERE key = 'notebook_id'").fetchone()
    return connection


def build_plain(notebook: Notebook, path: Path) -> None:
    """A plain database with the notebook's schema and a copy of all its rows."""
    plain = _connect_plain(path)
    _configure_plain(plain)
    plain.execute("BEGIN IMMEDIATE")
    for migration in MIGRATIONS:
        migration(plain)
    plain.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
    with notebook.transaction() as db:
        for table in TABLES:
            cursor = db.execute(f"SELECT * FROM {table} ORDER BY rowid")
            columns = len(cursor.description)
            marks = ",".join("?" * columns)
            # OR REPLACE: the migrations wrote rows of their own (meta's case count).
            plain.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", cursor.fetchall())
        plain.execute("COMMIT")
        # The triggers built the plain search index in one go: a few large segments. Copy
        # the notebook's own (its shadow tables) instead, so that both merge segments at the
        # same saves: FTS5's merges are what makes a save slow now and then.
        plain.execute("BEGIN IMMEDIATE")
        for table in FTS_SHADOW_TABLES:
            plain.execute(f"DELETE FROM {table}")
            cursor = db.execute(f"SELECT * FROM {table}")
            marks = ",".join("?" * len(cursor.description))
            plain.executemany(f"INSERT INTO {table} VALUES ({marks})", cursor.fetchall())
    plain.execute("COMMIT")
    plain.close()
    plain = _connect_plain(path)  # no search-index state cached from before the copy
    plain.execute("INSERT INTO note_index (note_index) VALUES ('integrity-check')")
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.close()


def _queries(notebook: Notebook) -> list[str]:
    codes = [row[0] for row in notebook.query("SELECT code FROM cases ORDER BY id LIMIT 50")]
    # A code prefix as typed without the "K-" (the store reads "K-7F"/"K7F" as "K-K7F%").
    prefix = next(code[2:4] for code in codes if code[2] != "K")
    return [*TYPED, "angst", "mor bekymret", "søvn", prefix, codes[7]]


def build_size(size: int, folder: Path, seed: int = 1) -> dict[str, Any]:
    """Make ``bench-<size>.cnb`` (demo data, the default key derivation) and its plain copy
    ``bench-<size>.sqlite`` in ``folder``; return their paths and how long the fill took."""
    path = folder / f"bench-{size}.cnb"
    plain_path = folder / f"bench-{size}.sqlite"
    notebook, _recovery = Notebook.create(path, PASSPHRASE)
    started = time.perf_counter()
    fill_demo(notebook, size, seed=seed)
    fill_seconds = time.perf_counter() - started
    build_plain(notebook, plain_path)
    notebook.close()
    return {"path": path, "plain_path": plain_path, "fill_seconds": round(fill_seconds, 2)}


def run_size(
    size: int, folder: Path, saves: int, repeat: int, seed: int, keep: Path | None = None
) -> dict[str, Any]:
    """Build the data of ``size`` cases in ``folder`` and measure it; with ``keep``, the
    data is built there once and a copy of it measured (the saves change notes)."""
    if keep is None:
        built = build_size(size, folder, seed)
    else:
        kept = keep / f"bench-{size}.cnb", keep / f"bench-{size}.sqlite"
        if not all(path.exists() for path in kept):
            keep.mkdir(parents=True, exist_ok=True)
            build_size(size, keep, seed)
        built = {"path": folder / kept[0].name, "plain_path": folder / kept[1].name}
        built["fill_seconds"] = None
        for source, target in zip(kept, (built["path"], built["plain_path"]), strict=True):
            shutil.copyfile(source, target)
        shutil.copyfile(key_file_path(kept[0]), key_file_path(built["path"]))
    result = measure_store(built["path"], built["plain_path"], saves, repeat, seed)
    return {"cases": size, "fill_seconds": built["fill_seconds"], **result}


def measure_store(
    path: Path, plain_path: Path, saves: int = 500, repeat: int = 30, seed: int = 1
) -> dict[str, Any]:
    """The open/search/save workload on a notebook made by :func:`build_size` and its
    plain copy (the notebook's notes are changed by the saves)."""
    # ---- open
    key_file = KeyFile.read(path)
    kdf_times: list[float] = []
    for _ in range(3):
        t0 = time.perf_counter()
        data_key = key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
        kdf_times.append(time.perf_counter() - t0)
    enc_open: list[float] = []
    plain_open: list[float] = []
    enc_open_only: list[float] = []
    plain_open_only: list[float] = []
    for _ in range(max(5, repeat // 3)):
        t0 = time.perf_counter()
        book = Notebook.open_with_key(path, data_key, key_file)
        enc_open_only.append(time.perf_counter() - t0)
        book.case_count()  # kept in meta (schema 11)
        enc_open.append(time.perf_counter() - t0)
        book.close()
        # The reference takes the same lock file as the notebook: not encryption's cost.
        t0 = time.perf_counter()
        lock = acquire_file_lock(plain_path)
        plain = open_plain(plain_path)
        plain_open_only.append(time.perf_counter() - t0)
        plain.execute("SELECT count(*) FROM cases").fetchone()  # as a plain database counts
        plain_open.append(time.perf_counter() - t0)
        plain.close()
        lock.release()

    notebook = Notebook.open_with_key(path, data_key, key_file)
    plain = open_plain(plain_path)
    conversation_ids = [row[0] for row in notebook.query("SELECT id FROM conversations")]
    queries = _queries(notebook)

    # ---- search (before the saves, so both search the same text)
    plain_searcher = CaseSearch()

    def plain_find(text: str) -> list[int]:
        return plain_searcher.find(plain, text, CaseFilter())

    enc_search: dict[str, list[float]] = {}
    plain_search: dict[str, list[float]] = {}
    enc_cold: dict[str, list[float]] = {}
    plain_cold: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    for query in queries:
        enc_search[query], plain_search[query] = [], []
        enc_cold[query], plain_cold[query] = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            found = notebook.find_case_ids(query)
            enc_search[query].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            plain_found = plain_find(query)
            plain_search[query].append(time.perf_counter() - t0)
        assert found == plain_found, query
        hits[query] = len(found)
        for i in range(max(3, repeat // 3)):
            # Any write (here a meta row) makes the next search read the case order again.
            notebook.set_meta("bench_tick", str(i))
            t0 = time.perf_counter()
            notebook.find_case_ids(query)
            enc_cold[query].append(time.perf_counter() - t0)
            plain.execute("REPLACE INTO meta (key, value) VALUES ('bench_tick', ?)", (str(i),))
            t0 = time.perf_counter()
            plain_find(query)
            plain_cold[query].append(time.perf_counter() - t0)

    # ---- search as you type: a screenful per keystroke
    t0 = time.perf_counter()
    notebook.prepare_search()
    prepare_seconds = time.perf_counter() - t0
    # Each query typed letter by letter, then the field cleared.
    keystrokes = [q[:n] for q in queries for n in [*range(1, len(q) + 1), 0]]
    enc_first: list[float] = []
    plain_full: list[float] = []
    # The same in CPU time of the thread (what a loaded machine's waits for a core leave
    # out), and by the length of the text typed.
    enc_first_cpu: list[float] = []
    plain_full_cpu: list[float] = []
    by_length: dict[str, list[float]] = {"0": [], "1": [], "2": [], "3+": []}
    for round_ in range(repeat):
        # A write between the rounds (as a save between two searches): nothing the search
        # keeps from the round before (the order, the words no note holds) is taken as is.
        notebook.set_meta("bench_tick", f"typed {round_}")
        plain.execute("REPLACE INTO meta (key, value) VALUES ('bench_tick', ?)", (str(round_),))
        for text in keystrokes:
            c0, t0 = time.thread_time(), time.perf_counter()
            matches = notebook.search_cases(text)
            enc_first.append(time.perf_counter() - t0)
            enc_first_cpu.append(time.thread_time() - c0)
            by_length[str(len(text)) if len(text) < 3 else "3+"].append(enc_first[-1])
            c0, t0 = time.thread_time(), time.perf_counter()
            plain_found = plain_find(text)
            plain_full.append(time.perf_counter() - t0)
            plain_full_cpu.append(time.thread_time() - c0)
            assert matches.ids == plain_found[: len(matches.ids)], text

    # ---- save
    rng = random.Random(seed)
    long_text = (NOTE_TEXT * (20_000 // len(NOTE_TEXT) + 2))[:20_000]
    targets = [rng.choice(conversation_ids) for _ in range(saves)]
    lengths = [2_000 + (18_000 * i) // max(1, saves - 1) for i in range(saves)]
    # Interleaved, one encrypted save and then the same on plain SQLite, so that both
    # meet the same moments of a shared machine.
    enc_save: list[float] = []
    plain_save: list[float] = []
    for target, length in zip(targets, lengths, strict=True):
        text = long_text[:length]
        t0 = time.perf_counter()
        notebook.save_note(target, Step.LISTEN, text)
        enc_save.append(time.perf_counter() - t0)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        t0 = time.perf_counter()
        plain.execute("BEGIN IMMEDIATE")
        plain.execute(
            "UPDATE conversations SET note_listen = ?, updated_at = ? WHERE id = ?",
            (text, stamp, target),
        )
        plain.execute(
            "UPDATE cases SET updated_at = ? WHERE id = "
            "(SELECT case_id FROM conversations WHERE id = ?)",
            (stamp, target),
        )
        plain.execute("COMMIT")
        plain_save.append(time.perf_counter() - t0)
    notebook.close()
    plain.close()

    all_enc_search = [t for times in enc_search.values() for t in times]
    all_plain_search = [t for times in plain_search.values() for t in times]
    all_enc_cold = [t for times in enc_cold.values() for t in times]
    all_plain_cold = [t for times in plain_cold.values() for t in times]
    metrics = {
        "open_ms": (statistics.median(enc_open), statistics.median(plain_open)),
        # The same opens without the count: what the encryption itself costs an open.
        "open_only_ms": (statistics.median(enc_open_only), statistics.median(plain_open_only)),
        "save_p50_ms": (_pct(enc_save, 50), _pct(plain_save, 50)),
        "save_p99_ms": (_pct(enc_save, 99), _pct(plain_save, 99)),
        "search_p50_ms": (_pct(all_enc_search, 50), _pct(all_plain_search, 50)),
        "search_p95_ms": (_pct(all_enc_search, 95), _pct(all_plain_search, 95)),
        "search_cold_p95_ms": (_pct(all_enc_cold, 95), _pct(all_plain_cold, 95)),
        # The case list's search (a screenful) vs. plain SQLite's full search.
        "search_first_p50_ms": (_pct(enc_first, 50), _pct(plain_full, 50)),
        "search_first_p95_ms": (_pct(enc_first, 95), _pct(plain_full, 95)),
        "search_first_cpu_p50_ms": (_pct(enc_first_cpu, 50), _pct(plain_full_cpu, 50)),
        "search_first_cpu_p95_ms": (_pct(enc_first_cpu, 95), _pct(plain_full_cpu, 95)),
    }
    return {
        "conversations": len(conversation_ids),
        "kdf_ms": _ms(statistics.median(kdf_times)),
        "search_prepare_ms": _ms(prepare_seconds),
        "file_mb": round(os.path.getsize(path) / 1e6, 1),
        "metrics": {
            name: {
                "encrypted": _ms(enc),
                "plain": _ms(pln),
                "ratio": round(enc / pln, 2) if pln else None,
            }
            for name, (enc, pln) in metrics.items()
        },
        "search_first_by_length": {
            letters: {"p50_ms": _ms(_pct(times, 50)), "p95_ms": _ms(_pct(times, 95))}
            for letters, times in by_length.items()
        },
        "search_by_query": {
            query: {
                "hits": hits[query],
                "encrypted_p50_ms": _ms(_pct(enc_search[query], 50)),
                "encrypted_p95_ms": _ms(_pct(enc_search[query], 95)),
                "plain_p95_ms": _ms(_pct(plain_search[query], 95)),
                "encrypted_cold_p95_ms": _ms(_pct(enc_cold[query], 95)),
            }
            for query in queries
        },
    }


#: The search-as-you-type figures printed before and after (issue 19).
TYPED_METRICS = (
    "search_first_p50_ms",
    "search_first_p95_ms",
    "search_first_cpu_p50_ms",
    "search_first_cpu_p95_ms",
)


def _print_search_as_typed(results: list[dict[str, Any]], before: Path | None) -> None:
    """The screenful as typed (wall clock and CPU), at each size, beside plain SQLite's
    whole result and, with ``before``, beside an earlier run's figures."""
    earlier: dict[int, dict[str, Any]] = {}
    if before is not None:
        earlier = {r["cases"]: r for r in json.loads(before.read_text("utf-8"))["results"]}
    print(f"\n{'cases':>7} {'search as typed (ms)':<24} {'before':>8} {'now':>8} {'plain':>8}")
    for result in results:
        for name in TYPED_METRICS:
            now = result["metrics"][name]
            old = earlier.get(result["cases"], {}).get("metrics", {}).get(name)
            was = f"{old['encrypted']:>8.2f}" if old else f"{'-':>8}"
            print(
                f"{result['cases']:>7} {name[:-3]:<24} {was} {now['encrypted']:>8.2f} "
                f"{now['plain']:>8.2f}"
            )
        lengths = result["search_first_by_length"]
        print(
            f"{result['cases']:>7} {'p95 by letters typed':<24} "
            + "  ".join(f"{k}: {v['p95_ms']:.2f}" for k, v in lengths.items())
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "store.json")
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the data in this folder once, reuse it"
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        help="an earlier run's JSON (say, of the code before a change): its search figures "
        "are printed beside this run's",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        os.environ.setdefault("COUNSELLOR_APP_HOME", tmp)
        for size in sizes:
            print(f"building and measuring {size} cases ...", flush=True)
            results.append(run_size(size, Path(tmp), args.saves, args.repeat, args.seed, args.keep))

    print()
    print(f"{'cases':>7} {'metric':<18} {'encrypted':>10} {'plain':>10} {'ratio':>6}")
    for result in results:
        for name, values in result["metrics"].items():
            print(
                f"{result['cases']:>7} {name:<18} {values['encrypted']:>10.3f} "
                f"{values['plain']:>10.3f} {values['ratio'] or 0:>6.2f}"
            )
        print(
            f"{result['cases']:>7} {'(kdf, once)':<18} {result['kdf_ms']:>10.1f}    "
            f"fill {result['fill_seconds']} s, {result['conversations']} conversations, "
            f"{result['file_mb']} MB"
        )
    print(
        f"\n{'cases':>7} {'query':<15} {'hits':>6} {'p50':>8} {'p95':>8} {'plain95':>8} "
        f"{'cold95':>8}"
    )
    for result in results:
        for query, row in result["search_by_query"].items():
            print(
                f"{result['cases']:>7} {query:<15} {row['hits']:>6} "
                f"{row['encrypted_p50_ms']:>8.3f} {row['encrypted_p95_ms']:>8.3f} "
                f"{row['plain_p95_ms']:>8.3f} {row['encrypted_cold_p95_ms']:>8.3f}"
            )
    _print_search_as_typed(results, args.before)
    largest = max(results, key=lambda r: r["cases"])
    checks = {
        "save_p99_ms": largest["metrics"]["save_p99_ms"]["encrypted"] < AIMS["save_p99_ms"],
        "search_p95_ms": largest["metrics"]["search_p95_ms"]["encrypted"] < AIMS["search_p95_ms"],
        "ratio": all(
            (m["ratio"] or 0) < AIMS["ratio"] for r in results for m in r["metrics"].values()
        ),
    }
    print(f"\naims at {largest['cases']} cases: {AIMS}")
    print("met:", checks)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "sqlite": sqlcipher3.sqlite_version,
                "platform": platform.platform(),
                "kdf": DEFAULT_KDF.as_dict(),
                "aims": AIMS,
                "aims_met_at_largest": checks,
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
