"""A change of secrets gives the notebook a new data key (core/rekey.py), in two phases,
and is killed: at random moments (40 times), and right after each of its renames and
fsyncs in turn. After every kill the notebook opens with exactly one of the old and the
new secret and holds all its content; once a change has completed, the old key file with
the old secret no longer reads the notebook."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlcipher3

from counsellor_app.core.domain import Step
from counsellor_app.core.errors import WrongPassphrase
from counsellor_app.core.keys import PAGE_HMACS, PASSPHRASE_SLOT, KeyFile, key_file_path
from counsellor_app.core.rekey import pending_paths
from counsellor_app.core.store import Notebook
from tests.faults.support import PASSPHRASE, ForkServer
from tests.helpers import FAST_KDF

pytestmark = pytest.mark.skipif(
    not hasattr(__import__("signal"), "SIGKILL"), reason="needs SIGKILL"
)

OTHER = "et helt andet løsen"


def make_notebook(path: Path) -> tuple[str, dict[str, list[str]]]:
    """A notebook with a few cases and notes; its recovery key and its content."""
    notebook, recovery_key = Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        for i in range(6):
            case = notebook.new_case()
            talk = notebook.new_conversation(case.id)
            notebook.save_note(talk.id, Step.LISTEN, f"Samtale {i}: mor og skolen. " * 40)
            notebook.save_note(talk.id, Step.ADVISE, f"Råd {i} 🙂")
        return recovery_key, content(notebook)


def content(notebook: Notebook) -> dict[str, list[str]]:
    rows = notebook.query(
        "SELECT c.code, v.note_listen, v.note_advise FROM cases c "
        "JOIN conversations v ON v.case_id = c.id ORDER BY c.code"
    )
    return {code: [listen, advise] for code, listen, advise in rows}


def opening(path: Path, expected: dict[str, list[str]], **secrets: str) -> list[str]:
    """Which of ``secrets`` (name: passphrase, or recovery:<key>) open the notebook; each
    that does finds it whole."""
    opens = []
    for name, secret in secrets.items():
        try:
            if name.startswith("recovery"):
                notebook = Notebook.open(path, recovery_key=secret)
            else:
                notebook = Notebook.open(path, secret)
        except WrongPassphrase:
            continue
        with notebook:
            assert notebook.integrity_check()
            assert content(notebook) == expected, "content lost in a change of secrets"
        opens.append(name)
    assert not any(p.exists() for p in pending_paths(path)), "an interrupted change was left"
    return opens


def reads_with(path: Path, data_key: bytes) -> bool:
    """Whether raw SQLCipher reads the notebook with ``data_key`` (either page HMAC)."""
    for algorithm in PAGE_HMACS:
        connection = sqlcipher3.connect(str(path))
        try:
            connection.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
            connection.execute(f"PRAGMA cipher_hmac_algorithm = {algorithm}")
            connection.execute("PRAGMA user_version").fetchone()
            return True
        except sqlcipher3.DatabaseError:
            pass
        finally:
            connection.close()
    return False


def test_passphrase_change_killed_at_random_forty_times(zygote: ForkServer, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    recovery_key, expected = make_notebook(path)
    rng = random.Random(2026)
    current, other = PASSPHRASE, OTHER
    changed = 0
    for _ in range(40):
        old_key_file = key_file_path(path).read_bytes()
        run = zygote.run(
            "change_passphrase",
            path=str(path),
            secrets=[current, other],
            recovery_key=recovery_key,
        )
        ready = run.wait_for("ready")
        # After a first change, whose length (on this machine, under this load) sets the
        # window: the kill lands anywhere in one of the changes that follow.
        first = run.wait_for("done")
        run.collect(rng.uniform(0.0, 1.5 * (first.t - ready.t)))
        run.kill()
        run.wait_exit()
        opens = opening(path, expected, current=current, other=other)
        assert len(opens) == 1, "exactly one of the old and the new passphrase opens it"
        assert opening(path, expected, recovery=recovery_key) == ["recovery"]
        done = len(run.named("done"))
        changed += done
        if done:
            # A change completed: the key file of before, with its passphrase, is revoked.
            old_data_key = KeyFile.from_bytes(old_key_file).unwrap(PASSPHRASE_SLOT, current)
            assert not reads_with(path, old_data_key)
        if opens == ["other"]:
            current, other = other, current
    assert changed >= 40  # the kills came amid changes, not before the first


@pytest.mark.parametrize("kind", ["change", "reset", "recovery"])
def test_change_of_secrets_killed_at_each_rename_and_fsync(
    zygote: ForkServer, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "n.cnb"
    recovery_key, expected = make_notebook(path)
    current = PASSPHRASE
    for step in range(1, 40):
        before = current
        new = OTHER if current == PASSPHRASE else PASSPHRASE
        old_key_file = key_file_path(path).read_bytes()
        run = zygote.run(
            "change_secret_once",
            path=str(path),
            kind=kind,
            step=step,
            old=current,
            new=new,
            recovery_key=recovery_key,
        )
        run.wait_exit()
        finished = bool(run.named("done"))
        assert finished or (run.exited and run.exited["signal"]), "the change failed"
        if kind == "recovery":
            (made,) = [event["key"] for event in run.named("recovery")]
            opens = opening(path, expected, recovery_old=recovery_key, recovery_new=made)
            assert len(opens) == 1, "exactly one of the old and the new recovery key opens it"
            assert opening(path, expected, passphrase=current) == ["passphrase"]
            committed = opens == ["recovery_new"]
            if committed:
                recovery_key = made
        else:
            opens = opening(path, expected, old=current, new=new)
            assert len(opens) == 1, "exactly one of the old and the new passphrase opens it"
            assert opening(path, expected, recovery=recovery_key) == ["recovery"]
            committed = opens == ["new"]
            if committed:
                current = new
        if committed:
            old_data_key = KeyFile.from_bytes(old_key_file).unwrap(PASSPHRASE_SLOT, before)
            assert not reads_with(path, old_data_key), "the old key file still reads it"
        if finished:
            assert step > 6, f"a change of secrets has more durable steps than {step - 1}"
            assert committed
            return
    raise AssertionError("the change never finished")
