"""The supervisor's directory as a signed file for counsellors (issue 18): the round trip,
and a forged, foreign-signed, older or not-for-me file refused with nothing changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from counsellor_app.core import directory
from counsellor_app.core.directory import DirectoryEntry, EntryKind, Origin
from counsellor_app.core.domain import Role
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange import own_key_card
from counsellor_app.core.exchange.directory_file import (
    DirectoryRefused,
    export_directory,
    import_directory,
    own_fingerprint,
    pinned_fingerprint,
)
from counsellor_app.core.exchange.signing import (
    age_identity,
    age_recipient,
    encode_key,
    parse_key_card,
    sign,
    sign_with,
    signing_key,
    verify,
)
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import enrol_key_card
from tests.helpers import PASSPHRASE

PPR_VEJLE = DirectoryEntry(
    "PPR Vejle",
    EntryKind.PPR,
    "Vejle",
    themes=["school_absence"],
    phone="76 81 00 00",
    web="https://vejle.dk/ppr",
)
OWN = DirectoryEntry("Svømmeklubben Vejle", EntryKind.CLUB, "Vejle", origin=Origin.OWN)


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    path = tmp_path / "supervisor.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)[0] as notebook:
        yield notebook


@pytest.fixture
def counsellor(notebook: Notebook, supervisor: Notebook) -> Notebook:
    """A counsellor enrolled with the supervisor, with an own entry."""
    enrol_key_card(supervisor, parse_key_card(own_key_card(notebook)))
    directory.save_entry(notebook, OWN)
    return notebook


def snapshot(notebook: Notebook) -> list[Any]:
    return [
        notebook.query("SELECT * FROM directory ORDER BY id"),
        notebook.query("SELECT * FROM meta WHERE key LIKE 'directory_%' ORDER BY key"),
    ]


def names(notebook: Notebook, origin: Origin) -> set[str]:
    return {e.organisation for e in directory.entries(notebook) if e.origin is origin}


def test_round_trip_keeps_the_counsellors_own_entries(
    supervisor: Notebook, counsellor: Notebook, tmp_path: Path
) -> None:
    directory.save_entry(supervisor, PPR_VEJLE)
    livslinien = next(e for e in directory.entries(supervisor) if e.organisation == "Livslinien")
    directory.save_entry(supervisor, replace(livslinien, note="Døgnåbent."))
    out = tmp_path / "vejviser.cndirectory"
    sent = export_directory(supervisor, out)
    assert (sent.counter, sent.counsellors) == (1, 1)
    assert sent.fingerprint == own_fingerprint(supervisor)
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")

    # The first file from the supervisor: refused until its key is accepted.
    with pytest.raises(DirectoryRefused) as refused:
        import_directory(counsellor, out)
    assert refused.value.reason == "unknown_signer"
    assert sent.fingerprint in str(refused.value) and out.name in str(refused.value)
    assert pinned_fingerprint(counsellor) == ""
    update = import_directory(counsellor, out, accept_new=sent.fingerprint)
    assert (update.added, update.counter) == (1, 1)
    assert pinned_fingerprint(counsellor) == sent.fingerprint
    assert "PPR Vejle" in names(counsellor, Origin.SUPERVISOR)
    assert OWN.organisation in names(counsellor, Origin.OWN)
    theirs = {e.organisation: e for e in directory.entries(counsellor)}
    assert theirs["Livslinien"].note == "Døgnåbent."
    # The directory's number is now no identifier for the guard in the counsellor's notebook.
    assert directory.index_of(counsellor).search("ppr vejle")[0].phone == "76 81 00 00"

    # An update: an entry removed, one changed; the own entry survives, no key asked.
    ppr = next(e for e in directory.entries(supervisor) if e.organisation == "PPR Vejle")
    directory.save_entry(supervisor, replace(ppr, phone="76 81 00 01"))
    directory.delete_entry(supervisor, livslinien.id or 0)
    second = tmp_path / "vejviser-2.cndirectory"
    assert export_directory(supervisor, second).counter == 2
    update = import_directory(counsellor, second)
    assert (update.removed, update.counter) == (1, 2)
    theirs = {e.organisation: e for e in directory.entries(counsellor)}
    assert theirs["PPR Vejle"].phone == "76 81 00 01" and "Livslinien" not in theirs
    assert theirs[OWN.organisation].origin is Origin.OWN
    assert names(counsellor, Origin.SUPERVISOR) == names(supervisor, Origin.SUPERVISOR)

    # The first file again is older now: refused, nothing changes.
    before = snapshot(counsellor)
    with pytest.raises(DirectoryRefused) as older:
        import_directory(counsellor, out)
    assert older.value.reason == "older" and out.name in str(older.value)
    assert "\n" not in str(older.value)
    assert snapshot(counsellor) == before


def _forged(path: Path, counsellor: Notebook, attacker: Ed25519PrivateKey, counter: int) -> Path:
    document = {
        "format": "counsellors-notebook-directory",
        "version": 1,
        "counter": counter,
        "made_on": "2026-12-01",
        "recipients": [encode_key(signing_key(counsellor))],
        "entries": [
            {
                "uid": "x",
                "organisation": "Falsk rådgivning",
                "kind": "helpline",
                "municipality": "",
                "themes": [],
                "phone": "12 34 56 78",
                "web": "",
                "hours": "",
                "note": "",
                "source": "",
                "checked_on": None,
            }
        ],
    }
    signed = sign_with(attacker, json.dumps(document).encode())
    recipient = age_recipient(signing_key(counsellor))
    path.write_bytes(bytes(pyrage.encrypt(signed, [recipient])))
    return path


def test_forged_foreign_signed_and_altered_files_are_refused(
    supervisor: Notebook, counsellor: Notebook, tmp_path: Path
) -> None:
    genuine = tmp_path / "genuine.cndirectory"
    export_directory(supervisor, genuine)
    import_directory(counsellor, genuine, accept_new=True)
    before = snapshot(counsellor)

    # Signed by another key than the supervisor's, with a high counter: refused even
    # when the counsellor would accept a new key.
    attacker = Ed25519PrivateKey.generate()
    forged = _forged(tmp_path / "forged.cndirectory", counsellor, attacker, 10**9)
    for accept in (False, True):
        with pytest.raises(DirectoryRefused) as refused:
            import_directory(counsellor, forged, accept_new=accept)
        assert refused.value.reason == "key_mismatch"
        assert own_fingerprint(supervisor) in str(refused.value)
    # The genuine signature with the content changed inside the encryption.
    plain = pyrage.decrypt(genuine.read_bytes(), [age_identity(counsellor)])
    tampered = plain.replace(b'"counter": 1', b'"counter": 7')
    assert tampered != plain
    changed = tmp_path / "changed.cndirectory"
    recipient = age_recipient(signing_key(counsellor))
    changed.write_bytes(bytes(pyrage.encrypt(tampered, [recipient])))
    with pytest.raises(DirectoryRefused) as refused:
        import_directory(counsellor, changed)
    assert refused.value.reason == "bad_signature"
    # A cut-off file, and plain text.
    cut = tmp_path / "cut.cndirectory"
    cut.write_bytes(genuine.read_bytes()[:-20])
    with pytest.raises(DirectoryRefused) as refused:
        import_directory(counsellor, cut)
    assert refused.value.reason == "altered"
    text = tmp_path / "text.cndirectory"
    text.write_text("organisation;type\n", encoding="utf-8")
    with pytest.raises(DirectoryRefused) as refused:
        import_directory(counsellor, text)
    assert refused.value.reason == "not_a_directory"
    assert snapshot(counsellor) == before
    assert verify(plain).key == signing_key(supervisor)


def test_a_file_for_another_counsellor_or_from_a_counsellor_is_refused(
    supervisor: Notebook, counsellor: Notebook, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    other_path = tmp_path / "other.cnb"
    with Notebook.create(other_path, PASSPHRASE, kdf=fast_kdf)[0] as stranger:
        out = tmp_path / "d.cndirectory"
        export_directory(supervisor, out)
        before = snapshot(stranger)
        with pytest.raises(DirectoryRefused) as refused:
            import_directory(stranger, out, accept_new=True)
        assert refused.value.reason == "wrong_key"
        assert snapshot(stranger) == before
        with pytest.raises(UserError):
            export_directory(stranger, tmp_path / "mine.cndirectory")
    # A supervisor with nobody enrolled has no one to send to.
    fresh_path = tmp_path / "fresh.cnb"
    with Notebook.create(fresh_path, PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)[0] as fresh:
        with pytest.raises(UserError):
            export_directory(fresh, tmp_path / "nobody.cndirectory")
        assert not (tmp_path / "nobody.cndirectory").exists()


def test_a_person_in_a_signed_file_is_refused(
    supervisor: Notebook, counsellor: Notebook, tmp_path: Path
) -> None:
    """The counsellor checks every entry as if typed: a person's name is refused even
    from the supervisor (an older app, or a hand-made file)."""
    import_directory(counsellor, export_directory(supervisor, tmp_path / "a").path, accept_new=True)
    before = snapshot(counsellor)
    plain = pyrage.decrypt((tmp_path / "a").read_bytes(), [age_identity(counsellor)])
    document = json.loads(verify(plain).payload)
    document["counter"] = 2
    document["entries"][0]["note"] = "Spørg efter Anna Hansen."
    # Signed by the supervisor's own key (as a careless older app would).
    data = sign(supervisor, json.dumps(document).encode())
    bad = tmp_path / "b"
    bad.write_bytes(bytes(pyrage.encrypt(data, [age_recipient(signing_key(counsellor))])))
    with pytest.raises(DirectoryRefused) as refused:
        import_directory(counsellor, bad)
    assert refused.value.reason == "bad_entry" and "Anna Hansen" in str(refused.value)
    assert snapshot(counsellor) == before


def test_the_signed_file_passes_the_gate(
    supervisor: Notebook, counsellor: Notebook, tmp_path: Path
) -> None:
    saved = directory.save_entry(supervisor, PPR_VEJLE)
    with supervisor.transaction() as db:  # stored before the guard knew the name
        db.execute(
            "UPDATE directory SET note = ? WHERE id = ?",
            ("Spørg efter Nguyet Tran på 28 45 91 23.", saved.id),
        )
    out = tmp_path / "vejviser.cndirectory"
    sent = export_directory(supervisor, out)
    import_directory(counsellor, out, accept_new=sent.fingerprint)
    theirs = {e.organisation: e for e in directory.entries(counsellor)}
    assert theirs["PPR Vejle"].note == "Spørg efter [navn] på [telefon]."


def test_a_new_supervisor_key_is_taken_only_by_an_explicit_change(
    supervisor: Notebook, counsellor: Notebook, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    """A supervisor with a new notebook: the counsellor changes the key only naming its
    fingerprint; then the new key's counter counts and the old key is refused."""
    old = tmp_path / "old-1.cndirectory"
    export_directory(supervisor, old)
    export_directory(supervisor, tmp_path / "old-2.cndirectory")
    import_directory(counsellor, tmp_path / "old-2.cndirectory", accept_new=True)
    path = tmp_path / "new.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)[0] as new:
        enrol_key_card(new, parse_key_card(own_key_card(counsellor)))
        directory.save_entry(new, PPR_VEJLE)
        fresh = export_directory(new, tmp_path / "new-1.cndirectory")
        assert fresh.counter == 1
        before = snapshot(counsellor)
        for wrong in ("", own_fingerprint(supervisor), "AAAA-BBBB-CCCC-DDDD"):
            with pytest.raises(DirectoryRefused) as refused:
                import_directory(counsellor, fresh.path, accept_new=True, change_key=wrong)
            assert refused.value.reason == "key_mismatch"
            assert fresh.fingerprint in str(refused.value)
        assert snapshot(counsellor) == before
        update = import_directory(counsellor, fresh.path, change_key=fresh.fingerprint)
        assert update.counter == 1 and pinned_fingerprint(counsellor) == fresh.fingerprint
        assert "PPR Vejle" in names(counsellor, Origin.SUPERVISOR)
    # The old supervisor's files are now the other key.
    with pytest.raises(DirectoryRefused) as refused:
        import_directory(counsellor, old)
    assert refused.value.reason == "key_mismatch"
