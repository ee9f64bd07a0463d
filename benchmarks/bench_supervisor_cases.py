"""The supervisor's case list at 100,000 imported cases: each filter change, and the
dashboard for the same filter.

Builds a real encrypted supervisor notebook: ``--seed-cases`` demo cases (default 1,000)
exported by a counsellor's notebook as a signed bundle and imported the ordinary way, then
copied by SQL inside the same notebook (through its own connection) until it holds
``--cases`` (default 100,000): each copy under one of 10 counsellors, its days moved back
a week per round, so that the contacts spread over the years as a real service's would.

Then reads the codes of the imported cases into memory once (:func:`case_index`, what
the window does when the list or dashboard opens and after an import: its time, and the
peak and resident memory it adds), and, for each filter of a list (a period, a counsellor,
a theme, an age band, a level, a movement, follow-ups missed, concern signs and decision,
and combinations), measures both ways of answering a filter change:

* **memory** (what the app does): the first screenful (100 rows) and the count from the
  index, and the dashboard's recompute for the same period and counsellor (its figures,
  the concern table and every counsellor's period) from it: what the workers of the list
  and of the dashboard do;
* **SQL** (the reference, what the app did before): :func:`received_cases`,
  :func:`count_received_cases`, and :func:`dashboard`, :func:`concern_table` and
  :func:`counsellor_periods` in the database, with SQLCipher's memory security on.

Each is the median of ``--runs`` after one warm-up (the app keeps the notebook open, so
its page cache is warm; the index forgets the last filter before each run, since a filter
change is a new filter). The machine is shared: a pure-Python loop is timed too, so that
a slow run can be told from a slow machine.

Run:  python benchmarks/bench_supervisor_cases.py [--cases 100000] [--runs 5] [--no-sql]
      python benchmarks/bench_supervisor_cases.py --keep /tmp/sup100k.cnb   # build once
It prints a table and writes ``benchmarks/results/supervisor_cases.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "supervisor_cases.json"

from counsellor_app.core.case_index import CaseIndex, case_index  # noqa: E402
from counsellor_app.core.dashboard import dashboard  # noqa: E402
from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import (  # noqa: E402
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    Role,
    WellbeingLevel,
)
from counsellor_app.core.exchange import ensure_key_pair, export_bundle  # noqa: E402
from counsellor_app.core.exchange.format import FollowUpOutcome  # noqa: E402
from counsellor_app.core.keys import KdfParams  # noqa: E402
from counsellor_app.core.oversight import concern_table, counsellor_periods  # noqa: E402
from counsellor_app.core.received_cases import (  # noqa: E402
    CaseFilter,
    Movement,
    count_received_cases,
    received_cases,
)
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.core.supervision import import_bundle  # noqa: E402

PASSPHRASE = "benchmark supervisor"
KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
COUNSELLORS = [f"C-BENCH{n:03d}".replace("0", "Z").replace("1", "Y") for n in range(10)]
TARGET_MS = 100.0

_CASE_COLUMNS = (
    "bundle, source_key, source_created_on, source_sequence, status, caller_role, "
    "help_system, known_by, age_band, gender, arenas, themes, protective_factors, "
    "risk_factors, purged, identifiers_replaced, first_level, latest_level, assessed, contacts"
)
_CHILDREN = {
    "imported_conversations": (
        "position, channel, duration_minutes, wellbeing, overall_wellbeing, steps_covered, "
        "summary_listen, summary_advise, summary_alliances, summary_follow_up",
        "day",
    ),
    "imported_alliances": ("position, partner, status, consent, role, agreed", "created_on"),
    "imported_follow_ups": (
        "position, outcome, counsellor_task, parent_task, others_task, done_on",
        "due",
    ),
    "imported_concerns": ("position, signs, decision, reasoning", "day"),
}


def load_average() -> str:
    """The machine's load (1, 5, 15 min), for the printout."""
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def _tag(n: int) -> str:
    """Two letters of a case reference that tell the copies apart."""
    return chr(97 + n // 26) + chr(97 + n % 26)


def open_or_build(path: Path, args: argparse.Namespace) -> Notebook:
    """The notebook at ``path`` (``--keep``: built once, then reused), or one built there
    with ``args.cases`` imported cases from ``args.seed_cases`` distinct ones."""
    if path.exists():
        return Notebook.open(path, PASSPHRASE)
    path.parent.mkdir(parents=True, exist_ok=True)
    return build(path, args.cases, args.seed_cases)


def build(path: Path, cases: int, seed_cases: int) -> Notebook:
    """The supervisor's notebook of ``cases`` imported cases (see the module)."""
    folder = path.parent
    supervisor = Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=KDF)[0]
    key = ensure_key_pair(supervisor)
    with Notebook.create(folder / "seed-counsellor.cnb", PASSPHRASE, kdf=KDF)[0] as counsellor:
        fill_demo(counsellor, seed_cases, seed=1)
        bundle = export_bundle(counsellor, key, folder / "seed.cnbundle").path
    import_bundle(supervisor, bundle, accept_new=True)
    rounds = -(-cases // seed_cases)
    with supervisor.transaction() as db:
        (base,) = db.execute("SELECT max(id) FROM imported_cases").fetchone()
        (source,) = db.execute("SELECT min(counsellor_id) FROM imported_cases").fetchone()
        for name in COUNSELLORS:
            db.execute(
                "INSERT OR IGNORE INTO exchange_counsellors (counsellor_id, first_seen_at) "
                "VALUES (?, '2026-01-01')",
                (name,),
            )
        for n in range(1, rounds):
            shift = f"-{7 * n} days"
            offset = base * n
            wanted = min(seed_cases, cases - n * seed_cases)
            db.execute(
                f"INSERT INTO imported_cases (id, counsellor_id, ref, {_CASE_COLUMNS}, first_day, "
                f"latest_day) SELECT id + ?, ?, substr(ref, 1, 24) || ?, {_CASE_COLUMNS}, "
                "date(first_day, ?), date(latest_day, ?) FROM imported_cases "
                "WHERE counsellor_id = ? ORDER BY id LIMIT ?",
                (offset, COUNSELLORS[n % 10], _tag(n), shift, shift, source, wanted),
            )
            for table, (columns, day) in _CHILDREN.items():
                db.execute(
                    f"INSERT INTO {table} (case_id, {columns}, {day}) "
                    f"SELECT case_id + ?, {columns}, date({day}, ?) FROM {table} "
                    "WHERE case_id IN (SELECT id FROM imported_cases WHERE counsellor_id = ? "
                    "ORDER BY id LIMIT ?)",
                    (offset, shift, source, wanted),
                )
    return supervisor


def _median_ms(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = function()  # warm-up: the app keeps its notebook (and its page cache) open
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1), result


def filters(today: date, one: str = COUNSELLORS[3]) -> dict[str, CaseFilter]:
    """The filter changes a supervisor makes, one after another (``one``: a counsellor)."""
    year = (date(today.year, 1, 1), today)
    quarter = (today - timedelta(days=90), today)
    return {
        "all cases": CaseFilter(),
        "this year": CaseFilter(period_from=year[0], period_to=year[1]),
        "last 90 days": CaseFilter(period_from=quarter[0], period_to=quarter[1]),
        "a year long ago": CaseFilter(period_from=date(2015, 1, 1), period_to=date(2015, 12, 31)),
        "one counsellor": CaseFilter(counsellor=one),
        "one counsellor, this year": CaseFilter(
            counsellor=one, period_from=year[0], period_to=year[1]
        ),
        "theme anxiety": CaseFilter(theme="anxiety"),
        "theme anxiety, this year": CaseFilter(
            theme="anxiety", period_from=year[0], period_to=year[1]
        ),
        "age band 13-15": CaseFilter(age_band=AgeBand.A13_15.value),
        "latest level severe": CaseFilter(level=WellbeingLevel.SEVERE),
        "worsened": CaseFilter(movement=Movement.WORSE),
        "worsened, this year": CaseFilter(
            movement=Movement.WORSE, period_from=year[0], period_to=year[1]
        ),
        "heat-map cell struggling -> thriving": CaseFilter(
            first_level=WellbeingLevel.STRUGGLING, level=WellbeingLevel.THRIVING
        ),
        "follow-ups missed": CaseFilter(follow_up=FollowUpOutcome.MISSED),
        "follow-ups missed, last 90 days": CaseFilter(
            follow_up=FollowUpOutcome.MISSED, period_from=quarter[0], period_to=quarter[1]
        ),
        "concern signs yes": CaseFilter(concern=ConcernSigns.YES),
        "signs yes, not needed": CaseFilter(
            concern=ConcernSigns.YES, decision=ConcernDecision.NOT_NEEDED
        ),
        "decision notification": CaseFilter(decision=ConcernDecision.NOTIFICATION_MADE),
        "counsellor + theme + worsened + missed": CaseFilter(
            counsellor=one,
            theme="anxiety",
            movement=Movement.WORSE,
            follow_up=FollowUpOutcome.MISSED,
        ),
    }


def recompute(notebook: Notebook, case_filter: CaseFilter) -> None:
    """What the dashboard's worker counts at a filter change (gui/dashboard.py): the
    figures, the concern table and every counsellor's period."""
    start, end, counsellor = case_filter.period_from, case_filter.period_to, case_filter.counsellor
    dashboard(notebook, start, end, counsellor)
    concern_table(notebook, start, end, counsellor)
    counsellor_periods(notebook, start, end)


def _rss_mib() -> tuple[float, float]:
    """(resident now, peak resident) of this process, in MiB (Linux; 0 elsewhere)."""
    now = peak = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return now, peak


def _give_back() -> None:
    """Return freed memory to the system, so that the resident size is what is held."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def load_index(notebook: Notebook) -> tuple[CaseIndex, dict[str, float]]:
    """The index of the notebook's cases, read now, with its time and memory."""
    _give_back()
    before, _peak = _rss_mib()
    start = time.perf_counter()
    index = case_index(notebook)
    seconds = time.perf_counter() - start
    _give_back()
    after, peak_after = _rss_mib()
    return index, {
        "load_s": round(seconds, 2),
        "resident_mib": round(after - before, 1),
        "peak_mib": round(max(peak_after, before) - before, 1),
    }


def cpu_reference_ms() -> float:
    """A fixed pure-Python loop: how busy the machine was (the longer, the busier)."""
    start = time.perf_counter()
    sum(n * n for n in range(1_000_000))
    return round((time.perf_counter() - start) * 1000, 1)


def measure(
    notebook: Notebook, runs: int, with_dashboard: bool = True, reference: bool = True
) -> list[dict[str, Any]]:
    """Per filter: the memory path's list (first screenful and count) and dashboard, and
    the SQL path's (unless ``reference`` is False), in ms."""
    index = case_index(notebook)
    rows = []
    # The counsellor with the most cases (in any notebook, also run_all.py's).
    ((one,),) = notebook.query(
        "SELECT counsellor_id FROM imported_cases GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    nan = float("nan")
    for name, case_filter in filters(date.today(), one).items():
        start, end, who = case_filter.period_from, case_filter.period_to, case_filter.counsellor

        def listed(f: CaseFilter = case_filter) -> tuple[list[Any], int]:
            index.forget_last()
            return index.cases(f), index.count(f)

        def figures(s: date | None = start, e: date | None = end, c: str | None = who) -> None:
            index.forget_last()
            index.figures(s, e, c)

        list_ms, (page, count) = _median_ms(listed, runs)
        dash_ms = _median_ms(figures, runs)[0] if with_dashboard else nan
        row: dict[str, Any] = {
            "filter": name,
            "first_screenful_ms": list_ms,
            "rows_shown": len(page),
            "matching": count,
            "dashboard_ms": dash_ms,
        }
        if reference:
            sql_first, sql_page = _median_ms(
                lambda f=case_filter: received_cases(notebook, f), runs
            )
            started = time.perf_counter()
            sql_count = count_received_cases(notebook, case_filter)
            row["sql_first_ms"] = sql_first
            row["sql_count_ms"] = round((time.perf_counter() - started) * 1000, 1)
            row["sql_dashboard_ms"] = (
                _median_ms(lambda f=case_filter: recompute(notebook, f), runs)[0]
                if with_dashboard
                else nan
            )
            # The two ways list the same cases (the tests hold them equal everywhere).
            assert [r.id for r in sql_page] == [r.id for r in page] and sql_count == count
        rows.append(row)
        before = (
            f"{row['sql_first_ms']:>8.1f} {row['sql_count_ms']:>8.1f} "
            f"{row['sql_dashboard_ms']:>8.1f}"
            if reference
            else ""
        )
        print(f"  {name:<40} {count:>7} {before} {list_ms:>8.1f} {dash_ms:>8.1f}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed-cases", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-dashboard", action="store_true", help="time the list only")
    parser.add_argument(
        "--no-sql", action="store_true", help="leave out the SQL reference (slow at 100,000)"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the notebook here once and reuse it"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("COUNSELLOR_APP_HOME", str(Path(folder) / "home"))
        start = time.perf_counter()
        notebook = open_or_build(args.keep or Path(folder) / "supervisor.cnb", args)
        build_s = round(time.perf_counter() - start, 1)
        with notebook:
            (cases,) = notebook.query("SELECT count(*) FROM imported_cases")[0]
            (contacts,) = notebook.query("SELECT count(*) FROM imported_conversations")[0]
            print(f"{cases} imported cases, {contacts} contacts (ready in {build_s} s)")
            cpu_before = cpu_reference_ms()
            print(f"CPU reference (a fixed Python loop): {cpu_before} ms; load {load_average()}")
            index, memory = load_index(notebook)
            print(
                f"index read in {memory['load_s']} s; it holds {memory['resident_mib']} MiB "
                f"resident (peak while reading: +{memory['peak_mib']} MiB)"
            )
            del index
            sql = "" if args.no_sql else f" {'SQL list':>8} {'count':>8} {'dash':>8}"
            print(f"  {'filter':<40} {'matching':>7}{sql} {'mem list':>8} {'dash':>8}  (ms)")
            rows = measure(notebook, args.runs, not args.no_dashboard, not args.no_sql)
            cpu_after = cpu_reference_ms()
    worst = max(row["first_screenful_ms"] for row in rows)
    worst_dash = max(row["dashboard_ms"] for row in rows)
    print(
        f"slowest filter change from memory: list {worst} ms, dashboard {worst_dash} ms "
        f"(aim: at most {TARGET_MS:.0f} ms); CPU reference after: {cpu_after} ms"
    )
    if not args.no_sql:
        print(
            f"the same by SQL: list {max(r['sql_first_ms'] + r['sql_count_ms'] for r in rows)} "
            f"ms (first screenful + count), dashboard {max(r['sql_dashboard_ms'] for r in rows)} ms"
        )
    results = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
        "cpu_reference_ms": [cpu_before, cpu_after],
        "cases": cases,
        "contacts": contacts,
        "build_s": build_s,
        "runs": args.runs,
        "index": memory,
        "slowest_first_screenful_ms": worst,
        "slowest_dashboard_ms": worst_dash,
        "filters": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
