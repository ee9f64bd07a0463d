"""Crash during a passphrase change, a backup, a restore, a purge and an import: a child
process repeats the operation and is killed with SIGKILL at a random moment, ten times
for each. After every kill the notebook opens (with the old or the new passphrase),
passes its integrity checks, and holds every case it held: none lost, none half-purged,
none half-imported; every backup that is listed verifies and has its key file."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from counsellor_app.core.backups import list_backups, verify_backup
from counsellor_app.core.domain import CaseStatus, Role, Step
from counsellor_app.core.errors import WrongPassphrase
from counsellor_app.core.exchange import ensure_key_pair
from counsellor_app.core.keys import PASSPHRASE_SLOT, KeyFile, key_file_path
from counsellor_app.core.store import Notebook
from tests.faults.support import (
    PASSPHRASE,
    ForkServer,
    Run,
    consistent_import,
    synthetic_bundle,
    write_bundle,
)
from tests.helpers import FAST_KDF

KILLS = 10


def kill_rounds(finished: Callable[[], int]) -> Iterator[float]:
    """At least KILLS kills, and more (up to five times as many) while fewer than KILLS
    operations finished between them: on a loaded machine less gets done before each
    kill, and the test is about kills amid the work, not about how fast it goes.

    Yields how far to stretch the kill window: by a quarter after each round that left
    fewer operations finished than rounds run (at most 20 times: a machine so loaded that
    an operation outlasts the window, as when other tests run beside these)."""
    stretch = 1.0
    for round_ in range(KILLS * 5):
        if round_ >= KILLS and finished() >= KILLS:
            return
        if round_ and finished() < round_:
            stretch = min(stretch * 1.25, 20.0)
        yield stretch


def kill_at_random(
    server: ForkServer, rng: random.Random, low: float, high: float, job: str, **args: Any
) -> Run:
    """Start ``job``, let it work for a random while after it is ready, SIGKILL it."""
    run = server.run(job, **args)
    run.wait_for("ready")
    run.collect(rng.uniform(low, high))
    run.kill()
    run.wait_exit()
    assert run.exited is not None
    return run


def data_key(path: Path, passphrase: str = PASSPHRASE) -> bytes:
    return KeyFile.read(path).unwrap(PASSPHRASE_SLOT, passphrase)


def check_backups(folder: Path, notebook_path: Path) -> list[Path]:
    """Every backup listed in ``folder`` verifies with the notebook's key and has its key
    file beside it; returns them, newest first."""
    key_file = KeyFile.read(notebook_path)
    key = key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    listed = [info.path for info in list_backups(folder, notebook_path.stem)]
    for backup in listed:
        verify_backup(backup, key, key_file.notebook_id)
        assert key_file_path(backup).exists(), f"{backup.name} has no key file"
    return listed


def notes_in_backup(backup: Path, scratch: Path) -> dict[int, list[str]]:
    """The note texts held in ``backup``, by case (opened as a copy, with its own key file)."""
    scratch.mkdir(exist_ok=True)
    copy = scratch / backup.name
    shutil.copyfile(backup, copy)
    shutil.copyfile(key_file_path(backup), key_file_path(copy))
    try:
        with Notebook.open(copy, PASSPHRASE) as notebook:
            rows = notebook.query(
                "SELECT case_id, note_listen, note_advise, note_alliances, note_follow_up "
                "FROM conversations"
            )
    finally:
        for leftover in scratch.iterdir():
            leftover.unlink()
    found: dict[int, list[str]] = {}
    for case_id, *texts in rows:
        found.setdefault(case_id, []).extend(text for text in texts if text)
    return found


# ---------------------------------------------------------------------- passphrase


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL")
def test_passphrase_change_and_reset_killed(zygote: ForkServer, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    notebook, recovery_key = Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        code = notebook.new_case().code
    rng = random.Random(21)
    current, other = PASSPHRASE, "et helt andet løsen"
    changed = 0
    for _ in kill_rounds(lambda: changed):  # noqa: B023 (read as it grows)
        # Each change re-encrypts the notebook: the kill comes after a first one is done.
        run = zygote.run(
            "change_passphrase", path=str(path), secrets=[current, other], recovery_key=recovery_key
        )
        ready = run.wait_for("ready")
        first = run.wait_for("done")
        run.collect(rng.uniform(0.0, 1.5 * (first.t - ready.t)))
        run.kill()
        run.wait_exit()
        KeyFile.read(path)  # never a broken key file
        opens = []
        for secret in (current, other):
            try:
                with Notebook.open(path, secret) as notebook:
                    assert notebook.integrity_check()
                    assert notebook.case_by_code(code) is not None
                opens.append(secret)
            except WrongPassphrase:
                pass
        assert len(opens) == 1, "exactly one of the old and the new passphrase opens it"
        changed += len(run.named("done"))
        if opens[0] != current:
            current, other = other, current
        with Notebook.open(path, recovery_key=recovery_key):
            pass  # the recovery key always opens it
    assert changed >= KILLS  # the kills came amid changes, not before the first


# ---------------------------------------------------------------------- backup


def test_backup_killed(zygote: ForkServer, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    folder = tmp_path / "backups"
    with Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)[0] as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        notebook.save_note(talk.id, Step.LISTEN, "Det vigtige fra første samtale.")
    rng = random.Random(22)
    made = 0
    for stretch in kill_rounds(lambda: made):  # noqa: B023 (read as it grows)
        run = kill_at_random(
            zygote,
            rng,
            0.02,
            0.4 * stretch,
            "backup",
            path=str(path),
            passphrase=PASSPHRASE,
            folder=str(folder),
            conversation=talk.id,
        )
        with Notebook.open(path, PASSPHRASE) as notebook:
            assert notebook.integrity_check()
            notes = notebook.conversation(talk.id).notes
            assert notes[Step.LISTEN] == "Det vigtige fra første samtale."
        done = run.named("done")
        made += len(done)
        listed = check_backups(folder, path)
        if done:
            assert Path(done[-1]["path"]) in listed  # a finished backup is kept
            assert notes[Step.ADVISE] in (
                f"ændring {done[-1]['i']}",
                f"ændring {done[-1]['i'] + 1}",
            )
        # A kill leaves at most the one half-written copy; the next backup removes it.
        assert len(list(folder.glob(".*.partial"))) <= 1
    assert made >= KILLS  # the kills came during backups, not before the first


# ---------------------------------------------------------------------- restore


def test_restore_killed(zygote: ForkServer, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    folder = tmp_path / "backups"
    with Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)[0] as notebook:
        notebook.new_case()
        older = notebook.backup(folder)
        notebook.new_case()
        newer = notebook.backup(folder)
    rng = random.Random(23)
    restored = 0
    for stretch in kill_rounds(lambda: restored):  # noqa: B023 (read as it grows)
        run = kill_at_random(
            zygote,
            rng,
            0.01,
            0.3 * stretch,
            "restore",
            path=str(path),
            passphrase=PASSPHRASE,
            backups=[str(older), str(newer)],
        )
        restored += len(run.named("done"))
        assert path.exists(), "a restore killed halfway left no notebook at its place"
        with Notebook.open(path, PASSPHRASE) as notebook:
            assert notebook.integrity_check()
            assert notebook.case_count() in (1, 2)
        # What a restore replaced is kept aside, and opens too.
        aside = sorted(tmp_path.glob("n.cnb.before-restore-*[0-9]"))
        if aside:
            with Notebook.open(aside[-1], PASSPHRASE) as notebook:
                assert notebook.case_count() in (1, 2)
    assert restored >= KILLS


# ---------------------------------------------------------------------- purge


def test_purge_killed(zygote: ForkServer, tmp_path: Path, app_home: Path) -> None:
    path = tmp_path / "n.cnb"
    marker = "Zorbaxpurgemarker"
    with Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)[0] as notebook:
        kept = notebook.new_case()
        talk = notebook.new_conversation(kept.id)
        notebook.save_note(talk.id, Step.LISTEN, "Denne sag er åben og bliver.")
        folder = notebook.backup_dir
    rng = random.Random(24)
    closed: set[int] = set()
    for _ in range(KILLS):
        run = kill_at_random(
            zygote,
            rng,
            0.02,
            0.5,
            "purge",
            path=str(path),
            passphrase=PASSPHRASE,
            marker=marker,
            home=str(app_home),
        )
        closed |= {event["case"] for event in run.named("closed")}
        with Notebook.open(path, PASSPHRASE) as notebook:
            assert notebook.integrity_check()
            assert notebook.conversations(kept.id)[0].notes[Step.LISTEN].startswith("Denne")
            for case_id in closed:
                case = notebook.case(case_id)  # never lost
                assert case.status is CaseStatus.CLOSED
                notes = [t for c in notebook.conversations(case_id) for t in c.notes.values()]
                if case.purged_at is not None:
                    assert not any(notes), "a purged case kept text"
                else:
                    assert any(marker in t for t in notes), "half a purge"
        check_backups(folder, path)
    with Notebook.open(path, PASSPHRASE) as notebook:
        notebook.purge(at=notebook.case(kept.id).created_at.replace(year=2099))  # type: ignore[union-attr]
        purged = {row[0] for row in notebook.query("SELECT id FROM cases WHERE purged_at")}
    assert purged
    # Once a purge has run to its end, no backup holds the text of a purged case.
    scratch = tmp_path / "scratch"
    for backup in check_backups(folder, path):
        held = notes_in_backup(backup, scratch)
        assert not [held[c] for c in purged if held.get(c)], backup.name


def test_purge_stopped_before_its_backups_were_replaced_finishes_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deterministic case of the kills above: a purge that stops after its transaction
    (the text gone from the notebook) but before the older backups, which still hold the
    text, were replaced. The next purge, with nothing new to purge, replaces them."""
    with Notebook.create(tmp_path / "n.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        notebook.save_note(talk.id, Step.LISTEN, "Tekst der skal slettes")
        notebook.set_status(case.id, CaseStatus.CLOSED)
        notebook.backup()
        later = notebook.case(case.id).created_at.replace(year=2099)  # type: ignore[union-attr]

        class PowerCut(BaseException):
            pass

        def cut(*_args: object) -> None:
            raise PowerCut

        with monkeypatch.context() as patch, pytest.raises(PowerCut):
            patch.setattr(Notebook, "compact", cut)
            notebook.purge(at=later)
        assert notebook.case(case.id).purged_at is not None
        assert notebook.purge(at=later) == 0  # nothing new, but the backups are replaced
        folder = notebook.backup_dir
    for backup in check_backups(folder, tmp_path / "n.cnb"):
        assert not notes_in_backup(backup, tmp_path / "scratch").get(case.id), backup.name


# ---------------------------------------------------------------------- import


def test_import_killed(zygote: ForkServer, tmp_path: Path) -> None:
    path = tmp_path / "supervisor.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[0] as notebook:
        key = ensure_key_pair(notebook)
    rng = random.Random(25)
    bundles: dict[str, Any] = {}
    files: list[str] = []
    first_of: list[Any] = []
    for i in range(160):
        if i % 3 == 2 and first_of:  # a newer bundle of a counsellor: replaces its cases
            earlier = first_of.pop(0)
            bundle = synthetic_bundle(
                rng,
                earlier.header.counsellor_id,
                earlier.header.sequence + 1,
                [c.ref for c in earlier.cases],
            )
        else:
            bundle = synthetic_bundle(rng, cases=rng.randrange(1, 8))
            first_of.append(bundle)
        bundles[bundle.header.bundle_id] = bundle
        files.append(str(write_bundle(bundle, key, tmp_path / f"b{i:03}.cnbundle")))
    imported: set[str] = set()
    for stretch in kill_rounds(lambda: len(imported)):  # noqa: B023 (read as it grows)
        run = kill_at_random(
            zygote,
            rng,
            0.01,
            0.3 * stretch,
            "import",
            path=str(path),
            passphrase=PASSPHRASE,
            bundles=files,
        )
        imported |= {event["bundle"] for event in run.named("done")}
        with Notebook.open(path, PASSPHRASE) as notebook:
            assert notebook.integrity_check()
            consistent_import(notebook, bundles)
            held = {row[0] for row in notebook.query("SELECT bundle_id FROM imported_bundles")}
        assert imported <= held, "an import that finished was lost"
    assert len(imported) >= KILLS
