"""``counsellor-app counsellors`` as a separate process on a real supervisor notebook that
imported two counsellors' real signed bundles: text, CSV and JSON say what the core counts
for the chosen period."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.oversight import counsellor_periods
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle, set_counsellor_label
from tests.e2e.helpers import run
from tests.helpers import FAST_KDF, PASSPHRASE

PW = PASSPHRASE + "\n"
TODAY = date.today()


@pytest.fixture
def supervisor(tmp_path: Path) -> Path:
    path = tmp_path / "supervisor.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[0] as notebook:
        key = ensure_key_pair(notebook)
        for name, count, seed in (("anna", 20, 3), ("bo", 8, 5)):
            with Notebook.create(tmp_path / f"{name}.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as other:
                fill_demo(other, count, seed=seed)
                bundle = export_bundle(other, key, tmp_path / f"{name}.cnbundle").path
            result = import_bundle(notebook, bundle, accept_new=True)
            if name == "bo":
                set_counsellor_label(notebook, str(result.counsellor_id), "Bo på tirsdage")
    return path


def expected(path: Path, start: date | None, end: date | None) -> list:  # type: ignore[type-arg]
    with Notebook.open(path, PASSPHRASE) as notebook:
        return counsellor_periods(notebook, start, end)


def test_counsellors_as_json_csv_and_text(supervisor: Path, home: Path) -> None:
    start, end = TODAY - timedelta(days=90), TODAY
    span = ["--from", start.isoformat(), "--to", end.isoformat()]
    done = run("counsellors", str(supervisor), *span, "--format", "json", stdin=PW, home=home)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    core = expected(supervisor, start, end)
    assert [r["counsellor_id"] for r in rows] == [c.counsellor_id for c in core]
    for row, item in zip(rows, core, strict=True):
        assert (row["cases"], row["contacts"]) == (item.cases, item.contacts)
        assert row["follow_ups_due"] == item.follow_ups_due
        assert row["open_concerns"] == item.open_concerns
        assert row["last_bundle_made"] == TODAY.isoformat()
    # Counts are for the period: all time holds more.
    always = json.loads(
        run("counsellors", str(supervisor), "--format", "json", stdin=PW, home=home).stdout
    )
    assert sum(r["contacts"] for r in always) > sum(r["contacts"] for r in rows)

    done = run("counsellors", str(supervisor), *span, "--format", "csv", stdin=PW, home=home)
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [int(r["contacts"]) for r in table] == [c.contacts for c in core]
    assert "Bo på tirsdage" in {r["label"] for r in table}

    done = run("--lang", "da", "counsellors", str(supervisor), *span, stdin=PW, home=home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    bo = next(line for line in lines if line.startswith("Bo på tirsdage"))
    item = next(c for c in core if c.label)
    assert bo.startswith(f"Bo på tirsdage: {item.cases} sager med {item.contacts} kontakter;")
    assert "opfølgninger holdt til tiden" in bo and f"{item.open_concerns} åb" in bo


def test_one_counsellor_and_mistakes(supervisor: Path, home: Path) -> None:
    core = expected(supervisor, None, None)
    one = run(
        "counsellors",
        str(supervisor),
        "--counsellor",
        core[0].counsellor_id,
        "--format",
        "json",
        stdin=PW,
        home=home,
    )
    assert one.returncode == 0, one.stderr
    assert [r["counsellor_id"] for r in json.loads(one.stdout)] == [core[0].counsellor_id]
    unknown = run(
        "counsellors", str(supervisor), "--counsellor", "C-2222222222", stdin=PW, home=home
    )
    assert unknown.returncode == 1 and len(unknown.stderr.strip().splitlines()) == 1
    backwards = run(
        "counsellors", str(supervisor), "--from", "2026-05-01", "--to", "2026-04-01", home=home
    )
    assert backwards.returncode == 1
    assert "Perioden slutter, før den begynder" in backwards.stderr
    assert run("counsellors", str(supervisor), "--from", "2026-13-01", home=home).returncode == 2


def test_concerns_marks_serious_signs_without_notification_or_reason(
    tmp_path: Path, home: Path
) -> None:
    from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns

    path = tmp_path / "sup.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[0] as notebook:
        key = ensure_key_pair(notebook)
        with Notebook.create(tmp_path / "c.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as counsellor:
            for decision, reason in (
                (ConcernDecision.TALK_WITH_SUPERVISOR, ""),
                (ConcernDecision.NOT_NEEDED, "Barnet er i sikkerhed; talt med supervisor."),
                (ConcernDecision.NOTIFICATION_MADE, ""),
            ):
                case = counsellor.new_case(themes=["anxiety"])
                assert case.id is not None
                counsellor.new_conversation(case.id)
                counsellor.record_concern(
                    Concern(case.id, ConcernSigns.YES, decision, reasoning=reason)
                )
            bundle = export_bundle(counsellor, key, tmp_path / "c.cnbundle").path
        import_bundle(notebook, bundle, accept_new=True)

    done = run("concerns", str(path), "--format", "json", stdin=PW, home=home)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["unexplained"] == 1
    flagged = [c for c in found["cells"] if c["flagged"]]
    assert flagged == [
        {
            "signs": "yes",
            "decision": "talk_with_supervisor",
            "concerns": 1,
            "without_reason": 1,
            "flagged": True,
        }
    ]
    done = run("--lang", "da", "concerns", str(path), stdin=PW, home=home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "! Tegn på alvorlig risiko / Tal med supervisoren: 1 (1 uden begrundelse)" in lines
    assert "  Tegn på alvorlig risiko / Underretning er sendt: 1 (1 uden begrundelse)" in lines
    assert lines[-1] == (
        "1 bekymring med tegn på alvorlig risiko har ingen underretning og ingen begrundelse."
    )
    csv_out = run("concerns", str(path), "--format", "csv", stdin=PW, home=home).stdout
    assert len(list(csv.DictReader(io.StringIO(csv_out)))) == 15
