"""Crash while typing: the real ConversationEditor, in a child process, types into a note
at a typist's pace and is killed with SIGKILL at random moments, 50 times. After every
kill the notebook opens, passes SQLCipher's and SQLite's integrity checks, and holds
everything typed up to one second before the kill (and nothing that was not typed).

Half the runs type without a pause (a steady typist): a save that waits for a pause would
never come for them. Two lanes run at once (two notebooks, two child processes) to keep
the test under a minute.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from counsellor_app.core.domain import Step
from counsellor_app.core.store import Notebook
from tests.faults.jobs import typed_text
from tests.faults.support import PASSPHRASE, ForkServer
from tests.helpers import FAST_KDF

KILLS = 50
#: The promise: what was typed one second before a crash is on the disk.
WITHIN_S = 1.0


def kill_while_typing(server: ForkServer, path: Path, runs: range) -> int:
    """Kill a typing child once per run; returns how many kills came after something
    had to be saved."""
    rng = random.Random(runs.start)
    checked = 0
    for run_number in runs:
        seed = 1000 + run_number
        run = server.run("typing", path=str(path), passphrase=PASSPHRASE, seed=seed)
        ready = run.wait_for("ready")
        # Mostly well into the typing (where something must have been saved), sometimes
        # in its first second (the first save, the notebook just opened).
        delay = rng.uniform(1.02, 1.6) if rng.random() < 0.8 else rng.uniform(0.0, 1.0)
        run.collect(delay)
        killed_at = run.kill()
        run.wait_exit()
        assert run.exited is not None and run.exited["signal"] == 9, run.exited
        typed = typed_text(seed)
        must_have = max((k["n"] for k in run.named("k") if k.t <= killed_at - WITHIN_S), default=0)
        with Notebook.open(path, PASSPHRASE) as notebook:
            assert notebook.integrity_check()
            note = notebook.conversation(ready["conversation"]).notes[Step.LISTEN]
        assert note == typed[: len(note)], f"run {run_number}: the note is not what was typed"
        assert len(note) >= must_have, (
            f"run {run_number} (seed {seed}): {must_have} characters were typed more than "
            f"{WITHIN_S} s before the kill, only {len(note)} were kept"
        )
        checked += must_have > 0
    return checked


def test_sigkill_while_typing_loses_nothing_older_than_a_second(
    zygotes: list[ForkServer], tmp_path: Path
) -> None:
    lanes = []
    for lane, server in enumerate(zygotes):
        path = tmp_path / f"typing-{lane}.cnb"
        Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)[0].close()
        share = KILLS // len(zygotes)
        lanes.append((server, path, range(lane * share, (lane + 1) * share)))
    with ThreadPoolExecutor(len(lanes)) as pool:
        checked = sum(pool.map(lambda lane: kill_while_typing(*lane), lanes))
    assert checked >= KILLS // 2  # most kills came after something had to be saved
    with Notebook.open(lanes[0][1], PASSPHRASE) as notebook:
        assert notebook.case_count() == KILLS // len(zygotes)  # every call's case is kept
