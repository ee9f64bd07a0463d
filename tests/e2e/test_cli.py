"""The command line, end to end, as a separate process on real notebooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from counsellor_app import __version__
from counsellor_app.core.keys import DEFAULT_KDF, KdfParams, KeyFile, key_file_path
from tests.e2e.helpers import ROOT, run
from tests.e2e.helpers import run as run_cli

if TYPE_CHECKING:
    from counsellor_app.core.anonymity import Deidentified


def test_version(home: Path) -> None:
    result = run("--version", home=home, calibrated_kdf=True)
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_init_then_wrong_passphrase_then_change(tmp_path: Path, home: Path) -> None:
    """The plain ``python -m counsellor_app`` (the other tests give new notebooks the
    tests' cheap key derivation): the notebook gets the calibrated costs and keeps them."""
    path = tmp_path / "mine.cnb"

    def run(*args: str, stdin: str, home: Path) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, stdin=stdin, home=home, calibrated_kdf=True)

    def costs() -> KdfParams:
        return KeyFile.from_bytes(key_file_path(path).read_bytes()).kdf

    result = run("init", str(path), "--role", "student", stdin="first secret\n", home=home)
    assert result.returncode == 0, result.stderr
    recovery = result.stdout.strip().splitlines()[-1]
    assert len(recovery.replace("-", "")) == 32
    calibrated = costs()
    assert calibrated.time_cost >= DEFAULT_KDF.time_cost
    assert calibrated.memory_kib == DEFAULT_KDF.memory_kib

    before = path.read_bytes()
    wrong = run("search", str(path), "x", stdin="not it\n", home=home)
    assert wrong.returncode == 1
    assert len(wrong.stderr.strip().splitlines()) == 1
    assert "adgangsfrase" in wrong.stderr.lower()  # Danish by default
    assert path.read_bytes() == before

    again = run("init", str(path), stdin="x\n", home=home)
    assert again.returncode == 1 and path.read_bytes() == before

    changed = run("change-passphrase", str(path), stdin="first secret\nsecond secret\n", home=home)
    assert changed.returncode == 0, changed.stderr
    assert run("search", str(path), stdin="first secret\n", home=home).returncode == 1
    assert run("search", str(path), stdin="second secret\n", home=home).returncode == 0

    recovered = run(
        "change-passphrase",
        str(path),
        "--recovery",
        stdin=f"{recovery.lower()}\nthird secret\n",
        home=home,
    )
    assert recovered.returncode == 0, recovered.stderr
    assert run("search", str(path), stdin="third secret\n", home=home).returncode == 0
    assert costs() == calibrated


def test_demo_search_backup_restore_purge(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "demo.cnb"
    made = run("demo", str(path), "--cases", "40", "--seed", "3", stdin="pw-pw-pw-pw\n", home=home)
    assert made.returncode == 0, made.stderr
    listed = run("search", str(path), stdin="pw-pw-pw-pw\n", home=home)
    assert listed.returncode == 0
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 40 and all(line.startswith("K-") for line in lines)
    code = lines[0].split("\t")[0]
    by_code = run("search", str(path), code.lower(), stdin="pw-pw-pw-pw\n", home=home)
    assert by_code.stdout.split("\t")[0] == code
    # Nothing matched: it says so (on stderr; stdout keeps one line per case).
    none = run("search", str(path), "zzqqxx", stdin="pw-pw-pw-pw\n", home=home)
    assert none.returncode == 0 and none.stdout == ""
    assert "Ingen sag passede til søgningen." in none.stderr or "No case matched." in none.stderr

    backup_folder = tmp_path / "backups"
    backed = run(
        "backup", str(path), "--folder", str(backup_folder), stdin="pw-pw-pw-pw\n", home=home
    )
    assert backed.returncode == 0, backed.stderr
    backup = Path(backed.stdout.strip().split(": ", 1)[1])
    assert backup.exists() and backup.parent == backup_folder

    restored = run("restore", str(path), str(backup), stdin="pw-pw-pw-pw\n", home=home)
    assert restored.returncode == 0, restored.stderr
    assert len(run("search", str(path), stdin="pw-pw-pw-pw\n", home=home).stdout.splitlines()) == 40

    purged = run("purge", str(path), stdin="pw-pw-pw-pw\n", home=home)
    assert purged.returncode == 0, purged.stderr


def test_garbage_file_is_refused_and_left_alone(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "photo.cnb"
    path.write_bytes(b"\x89PNG not a notebook" * 100)
    result = run("search", str(path), stdin="pw-pw-pw-pw\n", home=home)
    assert result.returncode == 1
    assert result.stderr.startswith("counsellor-app: ")
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == b"\x89PNG not a notebook" * 100


def test_deidentify_text_and_json(tmp_path: Path, home: Path) -> None:
    text = "Mor ringede fra 22 33 44 55 om sønnen, cpr 010203-1234, lærer Hanne er bekymret.\n"
    plain = run("deidentify", stdin=text, home=home)
    assert plain.returncode == 0
    assert "22 33 44 55" not in plain.stdout and "010203-1234" not in plain.stdout
    assert "Hanne" not in plain.stdout and "[telefon]" in plain.stdout

    source = tmp_path / "note.txt"
    source.write_text(text, encoding="utf-8")
    as_json = run("deidentify", str(source), "--json", home=home)
    assert as_json.returncode == 0
    data = json.loads(as_json.stdout)
    kinds = {f["kind"] for f in data["findings"]}
    assert {"phone", "cpr", "name"} <= kinds
    for finding in data["findings"]:
        assert text[finding["start"] : finding["end"]].strip()


def _noting_workers(size: str, noted: str, body: str) -> str:
    """A script that makes the parallel scan's workers take 5,000 characters each (the
    setting ``size`` of ``large``) in chunks of 2,000, prints "by workers:" and ``noted``
    (an expression of the call's ``kwargs`` and its result ``found``) on standard error
    after each parallel scan, and then runs ``body``."""
    head = f"""
        import multiprocessing, sys
        from counsellor_app.core.anonymity import large
        large.{size}, large.CHUNK_CHARS = 5_000, 2_000
        real = large.scan_in_workers
        def noted(*args, **kwargs):
            found = real(*args, **kwargs)
            print("by workers:", {noted}, file=sys.stderr)
            return found
        large.scan_in_workers = noted
        """
    return textwrap.dedent(head) + textwrap.dedent(body)


def _run_script(
    script: str, args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def _assert_as_one_scan(output: str, whole: Deidentified) -> None:
    """``output`` (``--json``) is what one scan of the whole text, ``whole``, gives."""
    data = json.loads(output)
    assert data["text"] == whole.text
    assert [(f["start"], f["end"]) for f in data["findings"]] == [
        (f.start, f.end) for f in whole.findings
    ]


def test_deidentify_scans_a_long_text_in_worker_processes(tmp_path: Path, home: Path) -> None:
    """The command's text goes through the worker processes (here one per 5,000 characters,
    in chunks of 2,000, so that the text stays small) and comes out as one scan of the
    whole text has it."""
    from counsellor_app.core.anonymity import deidentify
    from tests.unit.anonymity.test_paragraphs import real_notes

    text = "\n".join(real_notes()) + "\n"
    assert len(text) > 20_000
    source = tmp_path / "notes.txt"
    source.write_text(text, encoding="utf-8")
    script = _noting_workers(
        "CHARS_PER_WORKER",
        "found is not None",
        """
        from counsellor_app.cli import main
        status = main(["deidentify", *sys.argv[1:]])
        sys.stdout.flush()
        print("left:", len(multiprocessing.active_children()), file=sys.stderr)
        sys.exit(status)
        """,
    )
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home), PYTHONPATH=str(ROOT))
    for extra in ([], ["--json"]):
        done = _run_script(script, [str(source), *extra], env)
        assert done.returncode == 0, done.stderr
        assert "by workers: True" in done.stderr and "left: 0" in done.stderr
        whole = deidentify(text)
        if extra:
            _assert_as_one_scan(done.stdout, whole)
        else:
            assert done.stdout == whole.text
        assert whole.findings


def test_deidentify_in_spawned_workers_through_the_frozen_entry_point(
    tmp_path: Path, home: Path
) -> None:
    """``COUNSELLOR_APP_START_METHOD=spawn`` (as Windows and macOS start the workers) with
    the frozen app's entry point as the main script: each spawned worker starts by running
    that script as ``__mp_main__`` and must only scan (were it the app, the caller would
    find its worker failed, log it and scan the text itself). The output is that of one
    scan of the whole text; no worker is left. (The built bundle itself:
    packaging/check_bundle_workers.py.)"""
    from counsellor_app.core.anonymity import deidentify
    from tests.unit.anonymity.test_paragraphs import real_notes

    text = "\n".join(real_notes()) + "\n"
    source = tmp_path / "notes.txt"
    source.write_text(text, encoding="utf-8")
    script = _noting_workers(
        "CHARS_PER_SPAWNED_WORKER",
        'kwargs.get("start_method"), found is not None',
        """
        import runpy
        entry = sys.argv[1]
        sys.argv = [entry, "deidentify", *sys.argv[2:]]
        try:
            runpy.run_path(entry, run_name="__main__")
        finally:
            sys.stdout.flush()
            print("left:", len(multiprocessing.active_children()), file=sys.stderr)
        """,
    )
    env = dict(os.environ, COUNSELLOR_APP_HOME=str(home), PYTHONPATH=str(ROOT))
    env["COUNSELLOR_APP_START_METHOD"] = "spawn"
    entry = ROOT / "packaging" / "counsellor_app_main.py"
    done = _run_script(script, [str(entry), str(source), "--json"], env)
    assert done.returncode == 0, done.stderr
    assert "by workers: spawn True" in done.stderr and "left: 0" in done.stderr
    logs = "".join(p.read_text(encoding="utf-8") for p in home.rglob("*.log"))
    assert "parallel scan" not in logs
    _assert_as_one_scan(done.stdout, deidentify(text))


def test_the_start_method_variable_takes_fork_or_spawn_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    from counsellor_app.cli import START_METHOD_ENV, start_method_asked

    monkeypatch.delenv(START_METHOD_ENV, raising=False)
    assert start_method_asked() is None
    for method in multiprocessing.get_all_start_methods():
        monkeypatch.setenv(START_METHOD_ENV, method)
        assert start_method_asked() == (method if method in ("fork", "spawn") else None)
    monkeypatch.setenv(START_METHOD_ENV, "thread")
    assert start_method_asked() is None


def test_deidentify_refuses_input_above_its_cap(tmp_path: Path, home: Path) -> None:
    from counsellor_app.cli import MAX_DEIDENTIFY_BYTES

    source = tmp_path / "big.txt"
    line = "Mor ringer om sin søn, som ikke vil i skole.\n"
    source.write_text(line * (MAX_DEIDENTIFY_BYTES // len(line.encode()) + 1), encoding="utf-8")
    assert source.stat().st_size > MAX_DEIDENTIFY_BYTES
    refused = run("deidentify", str(source), home=home)
    assert refused.returncode == 1
    limit = f"{MAX_DEIDENTIFY_BYTES // (1024 * 1024)} MB"
    assert limit in refused.stderr and "Traceback" not in refused.stderr
    assert refused.stdout == ""


def test_a_short_passphrase_is_refused(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "short.cnb"
    refused = run("init", str(path), stdin="kort\n", home=home)
    assert refused.returncode == 1
    assert "for kort" in refused.stderr and "8" in refused.stderr
    assert not path.exists()


def test_new_recovery_key_revokes_the_old_one(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "mine.cnb"
    made = run("init", str(path), stdin="first secret\n", home=home)
    assert made.returncode == 0, made.stderr
    old = made.stdout.strip().splitlines()[-1]
    fresh = run("new-recovery-key", str(path), stdin="first secret\n", home=home)
    assert fresh.returncode == 0, fresh.stderr
    new = fresh.stdout.strip().splitlines()[-1]
    assert len(new.replace("-", "")) == 32 and new != old
    refused = run(
        "change-passphrase", str(path), "--recovery", stdin=f"{old}\nsecond secret\n", home=home
    )
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    reset = run(
        "change-passphrase", str(path), "--recovery", stdin=f"{new}\nsecond secret\n", home=home
    )
    assert reset.returncode == 0, reset.stderr
    assert run("search", str(path), stdin="second secret\n", home=home).returncode == 0
