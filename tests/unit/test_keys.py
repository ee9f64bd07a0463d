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
    KdfParams,
    KeyFile,
    _checksum,
    key_file_path,
    new_key_file,
    new_recovery_key,
    normalise_recovery_key,
)
from counsellor_app.core.rekey import change_passphrase, replace_recovery_key, reset_passphrase
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
from counsellor_app.core.rekey import change_passphrase
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


# ---------------------------------------------------------------------- revocation


def _reads_with(path: Path, data_key: bytes) -> bool:
    """Whether raw SQLCipher reads the notebook at ``path`` with ``data_key``."""
    import sqlcipher3

    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        connection.execute(f"PRAGMA cipher_hmac_algorithm = {KeyFile.read(path).page_hmac}")
        connection.execute("PRAGMA user_version").fetchone()
    except sqlcipher3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def test_a_changed_passphrase_revokes_the_old_key_file(
    notebook, notebook_path: Path, recovery_key: str
) -> None:
    """An old key file (a copy, a backup's) with the old passphrase or the recovery key
    opens nothing current after a change: the notebook has a new data key."""
    notebook.new_case()
    notebook.close()
    old_key_file = key_file_path(notebook_path).read_bytes()
    old_data_key = KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    assert _reads_with(notebook_path, old_data_key)
    assert change_passphrase(notebook_path, PASSPHRASE, "ny løsen her") is None
    assert not _reads_with(notebook_path, old_data_key)
    # The old key file put back beside it, with the old passphrase: refused.
    key_file_path(notebook_path).write_bytes(old_key_file)
    with pytest.raises(UserError):
        Notebook.open(notebook_path, PASSPHRASE)
    with pytest.raises(UserError):
        Notebook.open(notebook_path, recovery_key=recovery_key)


def test_reset_and_new_recovery_key_give_a_new_data_key(
    notebook, notebook_path: Path, recovery_key: str
) -> None:
    case = notebook.new_case()
    notebook.close()
    first = KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    reset_passphrase(notebook_path, recovery_key, "glemt og fundet")
    second = KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, "glemt og fundet")
    assert second != first and not _reads_with(notebook_path, first)
    made = replace_recovery_key(notebook_path, "glemt og fundet")
    assert normalise_recovery_key(made) == made and made != recovery_key
    assert not _reads_with(notebook_path, second)
    with pytest.raises(WrongPassphrase):
        Notebook.open(notebook_path, recovery_key=recovery_key)
    with Notebook.open(notebook_path, recovery_key=made) as reopened:
        assert reopened.case(case.id).code == case.code
    with Notebook.open(notebook_path, "glemt og fundet"):
        pass


def test_a_version_1_key_file_is_upgraded_with_a_new_recovery_key(
    notebook, notebook_path: Path, recovery_key: str
) -> None:
    """Notebooks made before December 2026 have key files of version 1, which cannot seal
    a new data key for a recovery key they do not know: a passphrase change upgrades the
    key file with a new recovery key, returned to show; a reset keeps the one typed."""
    notebook.new_case()
    notebook.close()
    key_file = KeyFile.read(notebook_path)
    data_key = key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    old = KeyFile(key_file.notebook_id, key_file.kdf, page_hmac=key_file.page_hmac)
    old.wrap(PASSPHRASE_SLOT, PASSPHRASE, data_key)
    old.wrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key), data_key)
    old.write(notebook_path)
    assert json.loads(key_file_path(notebook_path).read_bytes())["version"] == 1
    reset_passphrase(notebook_path, recovery_key, "nulstillet løsen")
    assert KeyFile.read(notebook_path).version == 2
    with Notebook.open(notebook_path, recovery_key=recovery_key):
        pass
    old.write(notebook_path)  # version 1 again (and the old data key: it is refused)
    with pytest.raises(UserError):
        Notebook.open(notebook_path, PASSPHRASE)


def test_a_version_1_passphrase_change_makes_a_recovery_key(tmp_path: Path, fast_kdf) -> None:
    from counsellor_app.core.store import Notebook

    path = tmp_path / "v1.cnb"
    notebook, recovery_key = Notebook.create(path, PASSPHRASE, kdf=fast_kdf)
    case = notebook.new_case()
    notebook.close()
    key_file = KeyFile.read(path)
    data_key = key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    old = KeyFile(key_file.notebook_id, key_file.kdf, page_hmac=key_file.page_hmac)
    old.wrap(PASSPHRASE_SLOT, PASSPHRASE, data_key)
    old.wrap(RECOVERY_SLOT, normalise_recovery_key(recovery_key), data_key)
    old.write(path)
    made = change_passphrase(path, PASSPHRASE, "opgraderet løsen")
    assert made and made != recovery_key
    with pytest.raises(WrongPassphrase):
        Notebook.open(path, recovery_key=recovery_key)
    with Notebook.open(path, recovery_key=made) as reopened:
        assert reopened.case(case.id).code == case.code


# ---------------------------------------------------------------------- tampering, costs


def test_an_edited_key_file_is_said_to_be_tampered(notebook, notebook_path: Path) -> None:
    from counsellor_app.core.errors import KeyFileTampered
    from counsellor_app.core.i18n import set_language

    notebook.close()
    key_path = key_file_path(notebook_path)
    original = key_path.read_bytes()
    edited = json.loads(original)
    edited["slots"][PASSPHRASE_SLOT]["kdf"] = "argon2id:t=4,m=8192,p=1"
    key_path.write_text(json.dumps(edited))
    with pytest.raises(KeyFileTampered) as info:
        Notebook.open(notebook_path, PASSPHRASE)
    assert "passphrase" not in str(info.value).lower()
    set_language("da")
    try:
        with pytest.raises(KeyFileTampered, match="nøglefil"):
            KeyFile.read(notebook_path)
    finally:
        set_language("en")
    # Fields changed and the checksum made to match: the associated data still refuses.
    for field, value in (("page_hmac", "HMAC_SHA512"), ("recipient", edited["recipient"][::-1])):
        again = json.loads(original)
        again[field] = value
        del again["checksum"]
        again["checksum"] = _checksum(again)
        key_path.write_text(json.dumps(again))
        with pytest.raises(WrongPassphrase):
            KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    key_path.write_bytes(original)
    with Notebook.open(notebook_path, PASSPHRASE):
        pass


@pytest.mark.parametrize(
    "kdf",
    [
        {"name": "argon2id", "time_cost": 3, "memory_kib": 4 * 1024 * 1024, "parallelism": 4},
        {"name": "argon2id", "time_cost": 10_000, "memory_kib": 65536, "parallelism": 4},
        {"name": "argon2id", "time_cost": 3, "memory_kib": 65536, "parallelism": 0},
    ],
)
def test_costs_past_the_ceiling_are_refused_before_any_derivation(kdf: dict) -> None:
    from counsellor_app.core.errors import KeyFileTampered

    raw = json.dumps(
        {
            "format": "counsellor-notebook-key",
            "version": 1,
            "notebook_id": "x",
            "kdf": kdf,
            "slots": {PASSPHRASE_SLOT: {"salt": "AAAA", "nonce": "AAAA", "wrapped": "AAAA"}},
        }
    ).encode()
    start = time.perf_counter()
    with pytest.raises(KeyFileTampered):
        KeyFile.from_bytes(raw).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    assert time.perf_counter() - start < 0.5


def test_new_key_files_are_calibrated_never_below_the_floor() -> None:
    from counsellor_app.core.keys import DEFAULT_KDF, MAX_KDF, calibrated_kdf

    assert calibrated_kdf(0.0) == DEFAULT_KDF
    assert calibrated_kdf(1e6) == KdfParams(
        MAX_KDF.time_cost, DEFAULT_KDF.memory_kib, DEFAULT_KDF.parallelism
    )


def test_a_new_notebook_without_costs_given_is_calibrated(tmp_path: Path) -> None:
    from counsellor_app.core.keys import DEFAULT_KDF, MAX_KDF

    notebook, _recovery = Notebook.create(tmp_path / "c.cnb", PASSPHRASE)
    notebook.close()
    kdf = KeyFile.read(tmp_path / "c.cnb").kdf
    assert DEFAULT_KDF.time_cost <= kdf.time_cost <= MAX_KDF.time_cost
    assert kdf.memory_kib == DEFAULT_KDF.memory_kib


def test_an_open_notebook_changes_its_secrets_and_stays_open(
    notebook, notebook_path: Path, recovery_key: str
) -> None:
    from counsellor_app.core.domain import Step

    case = notebook.new_case()
    talk = notebook.new_conversation(case.id)
    notebook.save_note(talk.id, Step.LISTEN, "bedsteforældre hver weekend")
    before = KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        notebook.replace_recovery_key("not it")
    assert notebook.search("bedsteforældre")  # still open and whole after a refusal
    made = notebook.replace_recovery_key(PASSPHRASE)
    assert not _reads_with(notebook_path, before)
    assert [s.code for s in notebook.search("bedsteforældre")] == [case.code]
    notebook.save_note(talk.id, Step.ADVISE, "skrevet efter skiftet")
    assert notebook.change_passphrase(PASSPHRASE, "endnu et løsen") is None
    notebook.save_note(talk.id, Step.FOLLOW_UP, "og efter det næste")
    assert notebook.integrity_check()
    notebook.close()
    with pytest.raises(WrongPassphrase):
        Notebook.open(notebook_path, recovery_key=recovery_key)
    with Notebook.open(notebook_path, recovery_key=made) as reopened:
        notes = reopened.conversation(talk.id).notes
        assert notes[Step.ADVISE] == "skrevet efter skiftet"
        assert notes[Step.FOLLOW_UP] == "og efter det næste"
    with Notebook.open(notebook_path, "endnu et løsen"):
        pass
