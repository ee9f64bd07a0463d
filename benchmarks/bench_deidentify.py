"""Benchmark of the de-identification engine (``counsellor_app.core.anonymity``).

The engine runs on every (debounced) keystroke in the editor, so a whole long note must
scan in a few milliseconds. This script builds a realistic 20,000-character note (ordinary
counselling text with identifiers planted in it), scans it repeatedly and reports:

* the one-off time to load the word lists (``warm_up``),
* p50 / p95 / max of ``find_identifiers`` and ``deidentify`` on the 20,000-character note,
* p50 / p95 on a typical 2,000-character note,
* throughput in characters per second.

Run:  python benchmarks/bench_deidentify.py [--repeat N]
It prints a table and writes ``benchmarks/results/deidentify.json``.

With ``--large 1,10,50`` it also de-identifies texts of those many MB (UTF-8) made of
the same notes, each in a fresh process (so its peak memory is its own), and reports
seconds, MB/s and the peak resident memory above the loaded word lists (the text itself
included): the issue asks for time linear in the text, >= 5 MB/s and memory <= 10x the
text. The CLI refuses input above ``counsellor_app.cli.MAX_DEIDENTIFY_BYTES``. Besides the
seconds on the clock it reports the process's CPU seconds (``time.process_time``): on a
machine shared with other work the clock counts the waiting too, the CPU time far less.
On Linux a row "parallel N" follows each size: the same text by ``deidentify_large``
(``core/anonymity/large.py``, N worker processes, as the CLI's ``deidentify`` runs it),
its CPU seconds those of all the processes, its memory the peak of their summed
proportional set size (sampled every 50 ms; an upper bound that counts shared pages in
each process is printed beside it). Beside it, what the clock would show on idle cores
(one per worker): the caller's CPU seconds plus the busiest worker's, an estimate that
a shared machine's load does not move much.

With ``--reference DIR`` (a checkout of older code, e.g. ``git worktree add /tmp/ref
main``) the same measurements run for that code too, in the same run, alternating, each
in a fresh process (this script's notes; the engine imported from DIR), and the ratios are
printed: on a loaded machine only a comparison in one run means much.

With ``--detectors MB`` it times each stage of the engine (the text's facts, every
pattern detector, the name pass and its parts, merging and choosing) on a text of that
many MB, in CPU seconds: where the time goes.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARAGRAPHS = (
    "Mor ringer. Hun er bekymret for sin søn på 13 år, som ikke har været i skole i tre "
    "uger. Det startede efter efterårsferien. Han siger, at han har ondt i maven om "
    "morgenen, og når mor presser på, bliver han vred og låser sig inde på værelset. Hans "
    "far bor i en anden by. Mor har talt med klasselæreren, som har foreslået et møde med "
    "PPR. Skolen har også nævnt, at de kan lave en plan for gradvis tilbagevenden.\n",
    "Rådgivning: Vi talte om at anerkende drengens følelser uden at give slip på "
    "forventningen om skole. Små skridt: først en time om dagen, gerne med en voksen han er "
    "tryg ved. Mor vil skrive til kontaktlæreren på Aula i morgen og bede om et møde.\n",
    "Far fortæller, at sønnen på 12 spiller Fortnite og Roblox flere timer hver dag og "
    "bliver voldsom, når han skal stoppe. Der har været grimme beskeder i en gruppechat fra "
    "klassen. Vi talte om aftaler om skærmtid og om SletDet hos Red Barnet.\n",
    "Mother called about her son, 11, who refuses to go to school. He says the other boys "
    "tease him during the breaks. The school has offered a meeting with the psychologist "
    "from PPR next Tuesday. She will call back after the meeting.\n",
    # planted identifiers
    "Mor (Mette Hansen, tlf. 20 30 40 50) ringer om Oliver, født 03.03.2014. De bor på "
    "Vestergade 12, 3. th., 8000 Aarhus C. Oliver går på Vestervang Skole, og lærer Hanne "
    "har skrevet. Aarhus Kommune har sagsnr. 2023-1234. Mail: mette.hansen@gmail.com.\n",
)


def _paragraphs() -> tuple[str, ...]:
    """The realistic notes of the unit tests (varied vocabulary), else the ones above."""
    corpus = ROOT / "tests" / "unit" / "anonymity" / "corpus.py"
    try:
        spec = importlib.util.spec_from_file_location("_bench_corpus", corpus)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        notes: tuple[str, ...] = module.CLEAN_NOTES
    except (OSError, AttributeError, AssertionError):
        return PARAGRAPHS
    return notes


def build_note(size: int) -> str:
    """Ordinary counselling text with a paragraph of planted identifiers every ~2,000 chars."""
    paragraphs = _paragraphs()
    planted = PARAGRAPHS[-1]
    parts: list[str] = []  # joined once: adding to a str each time is quadratic at 50 MB
    length = 0
    i = 0
    next_planted = 1_000
    while length < size:
        part = paragraphs[i % len(paragraphs)] + "\n\n"
        parts.append(part)
        length += len(part)
        i += 1
        if length >= next_planted:
            parts.append(planted + "\n")
            length += len(planted) + 1
            next_planted += 2_000
    return "".join(parts)[:size]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(function: object, text: str, repeat: int) -> list[float]:
    call = function  # type: ignore[assignment]
    for _ in range(10):  # warm caches
        call(text)  # type: ignore[operator]
    gc.collect()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call(text)  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def _row(samples: list[float], chars: int) -> dict[str, float]:
    p50 = statistics.median(samples)
    return {
        "chars": chars,
        "p50_ms": round(p50, 3),
        "p95_ms": round(percentile(samples, 0.95), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "throughput_chars_per_s": round(chars / (p50 / 1000.0)),
    }


def large(megabytes: float) -> dict[str, float]:
    """De-identify a text of ``megabytes`` MB in this process; time and peak memory."""
    import resource

    from counsellor_app.core.anonymity import deidentify, warm_up

    warm_up()
    # The peak counts from before the text is made, so it holds the text itself too.
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = build_note(int(megabytes * 1e6))
    size = len(text.encode("utf-8"))
    start, cpu_start = time.perf_counter(), time.process_time()
    result = deidentify(text)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "mb": round(size / 1e6, 2),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "mb_per_s": round(size / 1e6 / seconds, 3),
        "mb_per_cpu_s": round(size / 1e6 / cpu, 3),
        "peak_mb_above_start": round((peak - before) / 1024, 1),
        "memory_x_text": round((peak - before) * 1024 / size, 2),
        "findings": len(result.findings),
    }


class _ProcessMemory:
    """The memory of this process and its children (the workers), sampled every 50 ms on
    a thread (Linux /proc): the peak of their summed proportional set size (PSS: a page
    shared by n processes counts 1/n in each, so shared word lists and text count once),
    and each child's own peak resident size (VmHWM, shared pages counted in each). The
    thread's own CPU seconds (reading /proc walks the processes' page tables) are kept in
    :attr:`cpu_seconds`, to be taken from the measured process's."""

    def __init__(self) -> None:
        import threading

        self.cpu_seconds = 0.0
        self.peak_pss_kb = 0
        self.child_peaks_kb: dict[int, int] = {}
        #: Each child's CPU seconds when last seen (up to a sampling interval short).
        self.child_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _field(path: str, name: str) -> int:
        try:
            with open(path, encoding="ascii") as handle:
                for line in handle:
                    if line.startswith(name):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    @staticmethod
    def _cpu(pid: int) -> float:
        """The CPU seconds process ``pid`` has used (user and system, /proc/PID/stat)."""
        import os

        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _children(self) -> list[int]:
        import os

        pids: list[int] = []
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/children", encoding="ascii") as handle:
                    pids.extend(int(pid) for pid in handle.read().split())
            except OSError:
                pass
        return pids

    def sample(self) -> None:
        total = self._field("/proc/self/smaps_rollup", "Pss:")
        for pid in self._children():
            total += self._field(f"/proc/{pid}/smaps_rollup", "Pss:")
            peak = self._field(f"/proc/{pid}/status", "VmHWM:")
            self.child_peaks_kb[pid] = max(self.child_peaks_kb.get(pid, 0), peak)
            self.child_cpu[pid] = max(self.child_cpu.get(pid, 0.0), self._cpu(pid))
        self.peak_pss_kb = max(self.peak_pss_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.sample()
        self.cpu_seconds = time.thread_time()

    def __enter__(self) -> _ProcessMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def large_parallel(megabytes: float) -> dict[str, float]:
    """:func:`large` by ``deidentify_large`` (worker processes, one per core): the CPU
    seconds of this process and its workers, the clock, and the memory of all of them
    above this process's before the text was made: the peak of their summed PSS (sampled),
    and, an upper bound, this process's peak plus each worker's own peak resident size."""
    import resource

    from counsellor_app.core.anonymity import warm_up
    from counsellor_app.core.anonymity.large import _cores, deidentify_large

    warm_up()
    gc.collect()
    start_pss = _ProcessMemory._field("/proc/self/smaps_rollup", "Pss:")
    own_start = time.process_time()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = build_note(int(megabytes * 1e6))
    size = len(text.encode("utf-8"))

    def cpu_now() -> float:
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime

    with _ProcessMemory() as memory:
        start, cpu_start = time.perf_counter(), cpu_now()
        result = deidentify_large(text)
        seconds = time.perf_counter() - start
        cpu = cpu_now() - cpu_start
        own = time.process_time() - own_start
        memory.sample()
    cpu -= memory.cpu_seconds  # the measuring, not the measured
    own -= memory.cpu_seconds
    # On idle cores, one per worker, the clock would be about the caller's CPU time plus
    # the busiest worker's (an estimate: the caller's work partly overlaps the workers').
    idle = own + max(memory.child_cpu.values(), default=0.0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    pss = memory.peak_pss_kb - start_pss
    bound = peak - before + sum(memory.child_peaks_kb.values())
    return {
        "mb": round(size / 1e6, 2),
        "workers": min(_cores(), len(memory.child_peaks_kb)) or 1,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "mb_per_s": round(size / 1e6 / seconds, 3),
        "mb_per_cpu_s": round(size / 1e6 / cpu, 3),
        "idle_cores_seconds": round(idle, 2),
        "idle_cores_mb_per_s": round(size / 1e6 / idle, 3),
        "peak_mb_above_start": round(pss / 1024, 1),
        "memory_x_text": round(pss * 1024 / size, 2),
        "upper_bound_mb": round(bound / 1024, 1),
        "upper_bound_x_text": round(bound * 1024 / size, 2),
        "findings": len(result.findings),
    }


def notes(repeat: int) -> dict[str, float]:
    """p50 of ``find_identifiers`` and ``deidentify`` on the 20,000-character note, on the
    clock and in CPU time (this process)."""
    from counsellor_app.core.anonymity import deidentify, find_identifiers, warm_up

    warm_up()
    note = build_note(20_000)
    out: dict[str, float] = {}
    for label, function in (("find_identifiers", find_identifiers), ("deidentify", deidentify)):
        for _ in range(10):
            function(note)
        gc.collect()
        wall, cpu = [], []
        for _ in range(repeat):
            start, cpu_start = time.perf_counter(), time.process_time()
            function(note)
            cpu.append((time.process_time() - cpu_start) * 1000.0)
            wall.append((time.perf_counter() - start) * 1000.0)
        out[f"{label}_p50_ms"] = round(statistics.median(wall), 3)
        out[f"{label}_cpu_p50_ms"] = round(statistics.median(cpu), 3)
    return out


def in_child(call: str, engine: Path = ROOT) -> dict[str, float]:
    """``call`` (e.g. ``large(5.0)``) of this script in a fresh process that imports the
    engine from the checkout ``engine`` (this one by default)."""
    import subprocess

    code = (
        f"import json, sys; import importlib.util as u; "
        f"s = u.spec_from_file_location('b', {str(Path(__file__).resolve())!r}); "
        f"b = u.module_from_spec(s); s.loader.exec_module(b); "
        f"sys.path.insert(0, {str(engine)!r}); "
        f"print(json.dumps(b.{call}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _print_large(row: dict[str, float], label: str) -> None:
    print(
        f"{row['mb']:6.1f} MB {label:10} {row['seconds']:7.1f} s {row['mb_per_s']:7.2f} MB/s "
        f"{row['cpu_seconds']:7.1f} s {row['mb_per_cpu_s']:7.2f} MB/s "
        f"{row['peak_mb_above_start']:7.0f} MB ({row['memory_x_text']:.1f}x)",
        flush=True,
    )


def large_rows(
    sizes: list[float], reference: Path | None = None, parallel: bool = True
) -> list[dict[str, object]]:
    """:func:`large` for each size, each in a fresh process, and :func:`large_parallel`
    right after it (when ``parallel``); and for the ``reference`` checkout, when given."""
    print(f"{'size':>9} {'code':10} {'clock':>9} {'':>12} {'CPU':>9} {'':>12} {'peak above start'}")
    rows: list[dict[str, object]] = []
    for megabytes in sizes:
        mine = in_child(f"large({megabytes!r})")
        _print_large(mine, "this")
        row: dict[str, object] = dict(mine)
        if parallel:
            both = in_child(f"large_parallel({megabytes!r})")
            _print_large(both, f"parallel {both['workers']:.0f}")
            print(
                f"{'':9} parallel: CPU of all processes; memory: peak summed PSS (sampled), "
                f"at most {both['upper_bound_mb']:.0f} MB ({both['upper_bound_x_text']:.1f}x) "
                "counting shared pages in each;\n"
                f"{'':9} on idle cores about {both['idle_cores_seconds']:.1f} s "
                f"({both['idle_cores_mb_per_s']:.2f} MB/s: the caller's CPU time plus the "
                "busiest worker's)",
                flush=True,
            )
            row["parallel"] = both
        if reference is not None:
            old = in_child(f"large({megabytes!r})", reference)
            _print_large(old, "reference")
            row["reference"] = old
            row["speed_up_cpu"] = round(old["cpu_seconds"] / max(mine["cpu_seconds"], 1e-9), 2)
            print(f"{'':9} speed-up (CPU): {row['speed_up_cpu']}x", flush=True)
        rows.append(row)
    return rows


def detectors(megabytes: float) -> dict[str, float]:
    """CPU milliseconds of each stage of the engine on a text of ``megabytes`` MB."""
    from counsellor_app.core.anonymity import engine, names, patterns
    from counsellor_app.core.anonymity.data import lexicon

    lex = lexicon()
    text = build_note(int(megabytes * 1e6))
    out: dict[str, float] = {}

    def timed(label: str, function: object) -> object:
        start = time.process_time()
        result = function()  # type: ignore[operator]
        out[label] = round((time.process_time() - start) * 1000.0, 1)
        return result

    facts = patterns.TextFacts(text)
    timed("facts: lower case", lambda: facts.low)
    timed("facts: runs of digits", lambda: facts.digit_runs)
    found: list[object] = []
    for detector in patterns.DETECTORS:
        name = f"patterns: {detector.__name__.strip('_')}"
        timed(name, lambda detector=detector: detector(facts, lex, found))
    scanner = names._Scanner(text, lex, facts)
    parts = ("lower_case", "capitals_and_clubs", "propagate")
    originals = {part: getattr(scanner, part) for part in parts}
    for part in parts:
        setattr(scanner, part, lambda part=part: timed(f"names: {part}", originals[part]))
    timed("names: whole pass", scanner.scan)
    out["names: capitalised words"] = round(
        out["names: whole pass"] - sum(out[f"names: {part}"] for part in parts), 1
    )
    merged = timed("merge names", lambda: names.merge_names(sorted(scanner.out), text))
    timed("choose findings", lambda: engine.choose_findings(text, found, merged))  # type: ignore[arg-type]
    out["total"] = round(sum(v for k, v in out.items() if k not in ("names: whole pass",)), 1)
    out["mb"] = round(len(text.encode("utf-8")) / 1e6, 2)
    return out


def detector_rows(megabytes: float, reference: Path | None) -> dict[str, object]:
    mine = in_child(f"detectors({megabytes!r})")
    old = in_child(f"detectors({megabytes!r})", reference) if reference is not None else {}
    print(f"\nwhere the time goes, {mine['mb']} MB (CPU ms, each in a fresh process):")
    print(f"{'stage':34} {'this':>9} {'reference':>10}")
    for label, ms in mine.items():
        if label != "mb":
            print(f"{label:34} {ms:9.1f} {old.get(label, float('nan')):10.1f}")
    return {"this": mine, "reference": old}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="scans per measurement")
    parser.add_argument(
        "--large", default="", help="also texts of these many MB, comma-separated (1,10,50)"
    )
    parser.add_argument(
        "--reference", type=Path, help="a checkout of older code to measure beside this one"
    )
    parser.add_argument(
        "--detectors", type=float, default=0.0, help="time each stage on a text of this many MB"
    )
    parser.add_argument(
        "--output", type=Path, default=ROOT / "benchmarks" / "results" / "deidentify.json"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    from counsellor_app.core.anonymity import deidentify, find_identifiers, warm_up

    warm_up()
    load_ms = (time.perf_counter() - start) * 1000.0

    long_note = build_note(20_000)
    short_note = build_note(2_000)
    start = time.perf_counter()
    findings = len(find_identifiers(long_note))
    first_scan_ms = (time.perf_counter() - start) * 1000.0  # per-word memos still empty

    rows: dict[str, dict[str, float]] = {}
    for label, function, text in (
        ("find_identifiers 20k", find_identifiers, long_note),
        ("deidentify 20k", deidentify, long_note),
        ("find_identifiers 2k", find_identifiers, short_note),
    ):
        rows[label] = _row(measure(function, text, args.repeat), len(text))

    print(f"Load word lists (warm_up, incl. import): {load_ms:8.1f} ms")
    print(f"First scan of the 20,000-char note:      {first_scan_ms:8.1f} ms")
    print(f"Findings in the 20,000-character note:  {findings:8d}")
    print()
    header = (
        f"{'measurement':24} {'chars':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'Mchar/s':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, row in rows.items():
        print(
            f"{label:24} {row['chars']:7.0f} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} "
            f"{row['max_ms']:8.2f} {row['throughput_chars_per_s'] / 1e6:8.2f}"
        )

    compared: dict[str, object] = {}
    if args.reference is not None:
        mine = in_child(f"notes({args.repeat!r})")
        old = in_child(f"notes({args.repeat!r})", args.reference)
        compared = {"this": mine, "reference": old, "reference_dir": str(args.reference)}
        print(f"\n20,000-char note, p50 ms (fresh processes)   {'this':>9} {'reference':>10}")
        for key in mine:
            print(f"{key:44} {mine[key]:9.2f} {old[key]:10.2f}")
        print(
            "20k note MB/s (deidentify, CPU)              "
            f"{len(long_note.encode()) / 1e3 / mine['deidentify_cpu_p50_ms']:9.2f} "
            f"{len(long_note.encode()) / 1e3 / old['deidentify_cpu_p50_ms']:10.2f}"
        )

    large_results: list[dict[str, object]] = []
    if args.large:
        print("\nlarge texts (deidentify, each in a fresh process):")
        large_results = large_rows(
            [float(size) for size in args.large.split(",")],
            args.reference,
            parallel=sys.platform.startswith("linux"),  # (its memory is read from /proc)
        )
    stages: dict[str, object] = {}
    if args.detectors:
        stages = detector_rows(args.detectors, args.reference)

    result = {
        "benchmark": "deidentify",
        "large": large_results,
        "compared_20k": compared,
        "stages": stages,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "repeat": args.repeat,
        "load_ms": round(load_ms, 1),
        "first_scan_20k_ms": round(first_scan_ms, 2),
        "findings_in_20k_note": findings,
        "results": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("\nwrote", args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
