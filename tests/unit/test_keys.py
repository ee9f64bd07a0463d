"""The key file: wrapping, recovery keys, passphrase change and reset, crash safety."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counsellor_app.core.errors import NotANotebook, UserError, WrongPassphrase
from counsellor_app.core.keys import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KeyFile,
    change_passphrase,
    key_file_path,
    new_key_file,
    new_recovery_key,
    normalise_recovery_key,
    reset_passphrase,
)
from counsellor_app.core.store import Notebook

PASSPHRASE = "korrekt hest batteri hæfteklamme"


def test_recovery_key_shape_and_normalisation() -> None:
    key = new_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert not set(key) & set("ILOU")
    assert normalise_recovery_key(key) == key
    assert normalise_recovery_key(" ".join(groups).lower()) == key
    assert normalise_recovery_key("".join(groups)) == key
    assert normalise_recovery_key("oil0-") == normalise_recovery_key("0110")
    assert new_recovery_key() != key


def test_wrap_unwrap_and_slots_are_bound(fast_kdf) -> None:
    key_file, data_key = new_key_file("nb-1", PASSPHRASE, "ABCD-EFGH", fast_kdf)
    assert len(data_key) == 32
    assert key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE) == data_key
    assert key_file.unwrap(RECOVERY_SLOT, "ABCD-EFGH") == data_key
    with pytest.raises(WrongPassphrase) as by_passphrase:
        key_file.unwrap(PASSPHRASE_SLOT, "wrong")
    with pytest.raises(WrongPassphrase) as by_recovery:
        key_file.unwrap(RECOVERY_SLOT, "wrong")
    # Each says which secret was wrong.
    assert str(by_passphrase.value) and str(by_recovery.value)
    assert str(by_passphrase.value) != str(by_recovery.value)
    # Swapping slots, or moving a slot to another notebook id, does not open.
    swapped = KeyFile("nb-1", fast_kdf, {PASSPHRASE_SLOT: key_file.slots[RECOVERY_SLOT]})
    with pytest.raises(WrongPassphrase):
        swapped.unwrap(PASSPHRASE_SLOT, "ABCD-EFGH")
    moved = KeyFile("nb-2", fast_kdf, dict(key_file.slots))
    with pytest.raises(WrongPassphrase):
        moved.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    with pytest.raises(NotANotebook):
        KeyFile("nb-1", fast_kdf).unwrap(PASSPHRASE_SLOT, PASSPHRASE)


def test_key_file_round_trip_holds_no_secret(tmp_path: Path, fast_kdf) -> None:
    key_file, data_key = new_key_file("nb-1", PASSPHRASE, "ABCD-EFGH", fast_kdf)
    raw = key_file.to_bytes()
    assert data_key not in raw and data_key.hex().encode() not in raw
    assert PASSPHRASE.encode() not in raw and b"ABCD-EFGH" not in raw
    again = KeyFile.from_bytes(raw)
    assert again.kdf == fast_kdf and again.notebook_id == "nb-1"
    assert again.unwrap(PASSPHRASE_SLOT, PASSPHRASE) == data_key


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"format": "something-else"}',
        b'{"format": "counsellor-notebook-key", "version": 999}',
        json.dumps(
            {
                "format": "counsellor-notebook-key",
                "version": 1,
                "notebook_id": "x",
                "kdf": {"name": "scrypt", "time_cost": 1, "memory_kib": 8, "parallelism": 1},
                "slots": {},
            }
        ).encode(),
    ],
)
def test_damaged_key_file_is_not_a_notebook(raw: bytes) -> None:
    with pytest.raises(NotANotebook) as info:
        KeyFile.from_bytes(raw)
    assert str(info.value)


def test_damaged_slot_is_not_a_notebook(fast_kdf) -> None:
    key_file, _ = new_key_file("nb-1", PASSPHRASE, "ABCD", fast_kdf)
    key_file.slots[PASSPHRASE_SLOT]["salt"] = "not base64!"
    with pytest.raises(NotANotebook):
        key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)


def test_missing_key_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(NotANotebook) as info:
        KeyFile.read(tmp_path / "nb.cnb")
    assert "nb.cnb.key" in str(info.value)


def test_kdf_params_are_stored(notebook_path: Path, notebook, fast_kdf) -> None:
    assert KeyFile.read(notebook_path).kdf == fast_kdf


# ---------------------------------------------------------------------- passphrase change


def test_change_passphrase(notebook, notebook_path: Path, recovery_key: str) -> None:
    case = notebook.new_case()
    notebook.close()
    with pytest.raises(WrongPassphrase):
        change_passphrase(notebook_path, "not it", "new one")
    with pytest.raises(UserError):
        change_passphrase(notebook_path, PASSPHRASE, "")
    change_passphrase(notebook_path, PASSPHRASE, "ny løsen")
    with pytest.raises(WrongPassphrase):
        Notebook.open(notebook_path, PASSPHRASE)
    with Notebook.open(notebook_path, "ny løsen") as nb:
        assert nb.case(case.id).code == case.code
    # The recovery key still works after a change.
    with Notebook.open(notebook_path, recovery_key=recovery_key.lower()):
        pass
    assert not [p for p in notebook_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_reset_passphrase_with_recovery_key(
    notebook, notebook_path: Path, recovery_key: str
) -> None:
    notebook.close()
    with pytest.raises(WrongPassphrase):
        reset_passphrase(notebook_path, new_recovery_key(), "glemt")
    reset_passphrase(notebook_path, recovery_key.replace("-", " ").lower(), "glemt og fundet")
    with pytest.raises(WrongPassphrase):
        Notebook.open(notebook_path, PASSPHRASE)
    with Notebook.open(notebook_path, "glemt og fundet"):
        pass
    with Notebook.open(notebook_path, recovery_key=recovery_key):
        pass


def test_stray_temp_key_file_is_harmless(notebook, notebook_path: Path) -> None:
    notebook.close()
    key = key_file_path(notebook_path)
    stray = key.with_name(f".{key.name}.{os.getpid()}.tmp")
    stray.write_bytes(key.read_bytes()[:40])  # an interrupted write of the same process id
    other = key.with_name(f".{key.name}.99999.tmp")
    other.write_bytes(b"{")
    with Notebook.open(notebook_path, PASSPHRASE):
        pass
    change_passphrase(notebook_path, PASSPHRASE, "efter nedbrud")
    assert not stray.exists()  # reused and renamed into place
    with Notebook.open(notebook_path, "efter nedbrud"):
        pass


_CHANGER = """
import sys
path, a, b = sys.argv[1:4]
print("ready", flush=True)
while True:
    try:
        change_passphrase(path, a, b)
    except Exception:
        change_passphrase(path, b, a)
    a, b = b, a
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_passphrase_change_survives_sigkill(notebook, notebook_path: Path) -> None:
    case = notebook.new_case()
    notebook.close()
    old, new = PASSPHRASE, "det nye løsen"
    rng = random.Random(1234)
    for _ in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHANGER, str(notebook_path), old, new],
            stdout=subprocess.PIPE,
            env=os.environ.copy(),
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.0, 0.08))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            if child.stdout:
                child.stdout.close()
        opened = []
        for secret in (old, new):
            try:
                with Notebook.open(notebook_path, secret) as nb:
                    assert nb.case(case.id).code == case.code
                opened.append(secret)
            except WrongPassphrase:
                pass
        assert len(opened) == 1, "exactly one of old/new must open after a kill"
        KeyFile.read(notebook_path)  # never a broken key file
