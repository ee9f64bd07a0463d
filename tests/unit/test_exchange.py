"""The counsellor's side of the exchange: keys, the bundle format, preview and export."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Alliance, FollowUp, Partner, Role, Step
from counsellor_app.core.exchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    InvalidPublicKey,
    NoKeyPair,
    NothingToExport,
    ensure_key_pair,
    export_bundle,
    last_export,
    load_recipient,
    parse_recipient,
    preview_export,
    public_key,
    replacements_text,
    write_public_key_file,
)
from counsellor_app.core.exchange.crypto import IDENTITY_META, decrypt
from counsellor_app.core.exchange.export import case_ref, case_secret
from counsellor_app.core.exchange.format import (
    FormatProblem,
    NotBundleJson,
    TooNew,
    bundle_from_dict,
    bundle_from_json,
    bundle_to_dict,
    bundle_to_json,
)
from counsellor_app.core.exchange.signing import signing_key, verify
from counsellor_app.core.gate import IdentifierLeaves
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import read_bundle
from tests.helpers import PASSPHRASE, SteppedClock
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    plant_corpus_case,
    planted_identifiers,
)

AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    notebook, _ = Notebook.create(tmp_path / "sup.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)
    with notebook:
        yield notebook


@pytest.fixture
def key(supervisor: Notebook) -> str:
    return ensure_key_pair(supervisor)


def plaintext_of(supervisor: Notebook, path: Path) -> str:
    return verify(decrypt(supervisor, path.read_bytes(), path)).payload.decode("utf-8")


# ---------------------------------------------------------------------------- key pair


def test_key_pair_is_made_once_and_kept_inside_the_notebook(
    tmp_path: Path, fast_kdf: KdfParams
) -> None:
    path = tmp_path / "s.cnb"
    notebook, _ = Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)
    with notebook:
        assert public_key(notebook) is None
        made = ensure_key_pair(notebook)
        assert made.startswith("age1") and ensure_key_pair(notebook) == made
        secret = notebook.meta(IDENTITY_META)
        assert secret and secret.startswith("AGE-SECRET-KEY-1")
    # the private key lives only inside the encrypted notebook
    assert secret.encode() not in path.read_bytes()
    with Notebook.open(path, PASSPHRASE) as again:
        assert public_key(again) == made


def test_public_key_file_and_pasted_key_are_read(tmp_path: Path, key: str) -> None:
    pub = tmp_path / "supervisor.pub"
    write_public_key_file(key, pub)
    text = pub.read_text(encoding="utf-8")
    assert text.startswith("#") and key in text
    assert str(load_recipient(pub)) == key
    assert str(load_recipient(key)) == key
    assert str(load_recipient("  " + key.upper() + "\n")) == key
    assert str(parse_recipient(f"# comment\n\n{key}  # trailing\n")) == key


@pytest.mark.parametrize(
    "content",
    ["", "hello", "age1notakey", "AGE-SECRET-KEY-1ABC", "\x89PNG\r\n"],
)
def test_a_bad_public_key_file_is_refused(tmp_path: Path, content: str) -> None:
    pub = tmp_path / "bad.pub"
    pub.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidPublicKey) as caught:
        load_recipient(pub)
    assert "bad.pub" in str(caught.value)
    with pytest.raises(InvalidPublicKey, match=r"nokey\.pub"):
        load_recipient(tmp_path / "nokey.pub")


def test_a_notebook_without_key_pair_cannot_decrypt(
    notebook: Notebook, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    case = notebook.new_case(themes=["sleep"])
    notebook.new_conversation(case.id or 0, started_at=AT)
    out = tmp_path / "b.cnbundle"
    export_bundle(notebook, key, out)
    with pytest.raises(NoKeyPair):
        decrypt(notebook, out.read_bytes(), out)


# ---------------------------------------------------------------------------- the format


@pytest.fixture
def demo_counsellor(notebook: Notebook) -> Notebook:
    fill_demo(notebook, 40, seed=11)
    return notebook


def test_format_round_trip_and_header(
    demo_counsellor: Notebook, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    out = tmp_path / "all.cnbundle"
    today = date.today()
    result = export_bundle(demo_counsellor, key, out, today=today)
    assert result.case_count == 40 and out.stat().st_size == result.size
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")
    data = json.loads(plaintext_of(supervisor, out))
    assert data["format"] == FORMAT_NAME and data["format_version"] == FORMAT_VERSION
    assert re.fullmatch(r"C-[2-9A-Z]{10}", data["counsellor_id"])
    assert data["created_on"] == data["period"]["to"] == today.isoformat()
    assert data["recipient"] == key
    assert data["sequence"] == 1
    bundle, _digest, signer = read_bundle(supervisor, out)
    assert signer.key == signing_key(demo_counsellor)
    assert bundle_from_dict(bundle_to_dict(bundle)) == bundle
    assert bundle_from_json(bundle_to_json(bundle)) == bundle
    assert len(bundle.cases) == 40
    assert bundle.conversation_count == result.conversation_count


def test_nothing_finer_than_a_day_no_codes_no_callbacks_no_raw_notes(
    demo_counsellor: Notebook, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    out = tmp_path / "all.cnbundle"
    export_bundle(demo_counsellor, key, out)
    text = plaintext_of(supervisor, out)
    assert not re.search(r"\d{2}:\d{2}", text)  # no time of day anywhere
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)
    codes = [s.code for s in demo_counsellor.search("")]
    assert codes and not any(code in text for code in codes)
    callbacks = [demo_counsellor.callback(s.id) for s in demo_counsellor.search("")]
    numbers = [n for n in callbacks if n]
    assert numbers and not any(n in text for n in numbers)
    assert "callback" not in text and 'phone":' not in text


def _valid(demo_counsellor: Notebook, supervisor: Notebook, key: str, tmp_path: Path) -> Any:
    out = tmp_path / "v.cnbundle"
    export_bundle(demo_counsellor, key, out)
    return json.loads(plaintext_of(supervisor, out))


BROKEN: list[tuple[str, Any]] = [
    ("unknown top-level key", lambda d: d.update(extra=1)),
    ("missing cases", lambda d: d.pop("cases")),
    ("bad bundle id", lambda d: d.update(bundle_id="not-a-uuid")),
    ("bad counsellor id", lambda d: d.update(counsellor_id="Jens Hansen")),
    ("sequence is a bool", lambda d: d.update(sequence=True)),
    ("bad day", lambda d: d.update(created_on="2026-02-30")),
    ("time in a day", lambda d: d.update(created_on="2026-02-03T10:00")),
    ("period reversed", lambda d: d.update(period={"from": "2026-02-03", "to": "2026-01-01"})),
    ("unknown identifier kind", lambda d: d.update(replacements={"shoe_size": 1})),
    ("case is a list", lambda d: d["cases"].__setitem__(0, [])),
    ("case code as ref", lambda d: d["cases"][0].update(ref="K-7F3Q")),
    ("repeated ref", lambda d: d["cases"].append(copy.deepcopy(d["cases"][0]))),
    ("unknown status", lambda d: d["cases"][0].update(status="lost")),
    ("theme not an id", lambda d: d["cases"][0].update(themes=["Skole fravær"])),
    ("repeated theme", lambda d: d["cases"][0].update(themes=["sleep", "sleep"])),
    ("callback smuggled in", lambda d: d["cases"][0].update(callback="20304050")),
    ("time of a call", lambda d: d["cases"][0]["conversations"][0].update(time="10:30")),
    (
        "negative duration",
        lambda d: d["cases"][0]["conversations"][0].update(duration_minutes=-1),
    ),
    (
        "unknown level",
        lambda d: d["cases"][0]["conversations"][0].update(wellbeing={"school": "fine"}),
    ),
    (
        "summary not text",
        lambda d: d["cases"][0]["conversations"][0]["summary"].update(listen=5),
    ),
    (
        "summary missing a step",
        lambda d: d["cases"][0]["conversations"][0]["summary"].pop("advise"),
    ),
    (
        "text too long",
        lambda d: d["cases"][0]["conversations"][0]["summary"].update(listen="x" * 100_001),
    ),
]


@pytest.mark.parametrize("name,breaker", BROKEN, ids=[b[0] for b in BROKEN])
def test_strict_validation_names_where(
    name: str,
    breaker: Any,
    demo_counsellor: Notebook,
    supervisor: Notebook,
    key: str,
    tmp_path: Path,
) -> None:
    data = _valid(demo_counsellor, supervisor, key, tmp_path)
    bundle_from_dict(data)
    breaker(data)
    with pytest.raises(FormatProblem) as caught:
        bundle_from_dict(data)
    assert caught.value.where


def test_envelope_tells_foreign_json_and_too_new_apart() -> None:
    with pytest.raises(NotBundleJson):
        bundle_from_json(b'{"hello": 1}')
    with pytest.raises(NotBundleJson):
        bundle_from_json(b"\xff\xfe")
    with pytest.raises(NotBundleJson):
        bundle_from_json(json.dumps({"format": FORMAT_NAME, "format_version": "1"}).encode())
    with pytest.raises(TooNew) as caught:
        bundle_from_json(
            json.dumps({"format": FORMAT_NAME, "format_version": FORMAT_VERSION + 1}).encode()
        )
    assert caught.value.version == FORMAT_VERSION + 1


# ---------------------------------------------------------------------------- pseudonyms


def test_case_refs_are_stable_pseudonyms_not_codes(
    notebook: Notebook, supervisor: Notebook, key: str, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    fill_demo(notebook, 5, seed=2)
    first = read_bundle(supervisor, export_bundle(notebook, key, tmp_path / "1").path)[0]
    again = read_bundle(
        supervisor, export_bundle(notebook, key, tmp_path / "2", date(2000, 1, 1)).path
    )[0]
    assert [c.ref for c in first.cases] == [c.ref for c in again.cases]
    assert first.header.counsellor_id == again.header.counsellor_id
    assert again.header.sequence == first.header.sequence + 1
    codes = {s.code for s in notebook.search("")}
    for case in first.cases:
        assert case.ref not in codes and re.fullmatch(r"[a-z2-7]{26}", case.ref)
    other, _ = Notebook.create(tmp_path / "other.cnb", PASSPHRASE, kdf=fast_kdf)
    with other:
        fill_demo(other, 5, seed=2)
        theirs = read_bundle(supervisor, export_bundle(other, key, tmp_path / "3").path)[0]
    assert theirs.header.counsellor_id != first.header.counsellor_id
    assert not {c.ref for c in theirs.cases} & {c.ref for c in first.cases}


# ---------------------------------------------------------------------------- preview


def test_preview_marks_replacements_and_sends_what_was_shown(
    notebook: Notebook, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    case = notebook.new_case(themes=["bullying"])
    talk = notebook.new_conversation(case.id or 0, started_at=AT)
    original = "Mor ringer om Ella, lærer Hanne er bekymret. Ring på 22 33 44 55."
    notebook.save_note(talk.id or 0, Step.LISTEN, original)
    notebook.save_note(talk.id or 0, Step.ADVISE, "Vi talte om en fast voksen i frikvarteret.")
    notebook.save_alliance(Alliance(case.id or 0, Partner.SCHOOL, agreed="Møde med Hanne"))

    preview = preview_export(notebook)
    assert preview.case_count == 1 and preview.conversation_count == 1
    assert preview.alliance_count == 1 and not preview.blocking
    assert preview.replacements == {"name": 3, "phone": 1}
    listen = next(t for t in preview.conversation_texts if t.field == "listen")
    assert listen.original == original and listen.case_code == case.code
    assert listen.day == AT.astimezone().date()
    assert [listen.text[r.start : r.end] for r in listen.replacements] == [
        "[navn]",
        "[navn]",
        "[telefon]",
    ]
    assert [original[f.start : f.end] for f in listen.findings] == ["Ella", "Hanne", "22 33 44 55"]
    assert any(t.field == "alliance_agreed" and t.text == "Møde med [navn]" for t in preview.texts)

    # what leaves is exactly what was shown, even if the note changes in between
    notebook.save_note(talk.id or 0, Step.LISTEN, "Ændret efter forhåndsvisningen.")
    out = tmp_path / "b.cnbundle"
    result = export_bundle(notebook, key, out, preview=preview)
    assert result.replacements == preview.replacements
    sent = read_bundle(supervisor, out)[0]
    # exactly what was shown, under the recipient's key (signed with the rest)
    assert sent == replace(preview.bundle, header=replace(preview.bundle.header, recipient=key))
    assert sent.cases[0].conversations[0].summary[Step.LISTEN] == listen.text
    assert sent.cases[0].conversations[0].steps_covered == (Step.LISTEN, Step.ADVISE)
    # ... and the change made after the preview goes with the next export
    nxt = preview_export(notebook, recipient=key)
    assert nxt.case_count == 1
    assert nxt.conversation_texts[0].text == "Ændret efter forhåndsvisningen."


def test_replacements_text_in_both_languages() -> None:
    """Counts read as counted words, singular or plural: "2 names, 1 CPR number" (not
    "name 2, CPR number 1")."""
    from counsellor_app.core.anonymity import IdentifierKind

    counts = {IdentifierKind.NAME: 3, IdentifierKind.PHONE: 1}
    shot = {IdentifierKind.INSTITUTION: 1, IdentifierKind.NAME: 2, IdentifierKind.CPR: 1}
    try:
        set_language("en")
        assert replacements_text(counts) == "3 names, 1 phone number"
        assert replacements_text(shot) == "2 names, 1 CPR number, 1 institution"
        assert replacements_text({IdentifierKind.CPR: 2}) == "2 CPR numbers"
        assert replacements_text({}) == "none"
        set_language("da")
        assert replacements_text(counts) == "3 navne, 1 telefonnummer"
        assert replacements_text(shot) == "2 navne, 1 CPR-nummer, 1 institution"
        assert replacements_text({IdentifierKind.CPR: 2}) == "2 CPR-numre"
        assert replacements_text({}) == "ingen"
    finally:
        set_language("da")


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_kind_of_identifier_is_counted_in_words(language: str) -> None:
    from counsellor_app.core.anonymity import IdentifierKind
    from counsellor_app.core.exchange.export import kind_count

    try:
        set_language(language)
        for kind in IdentifierKind:
            one, two = kind_count(kind, 1), kind_count(kind, 2)
            assert one.startswith("1 ") and two.startswith("2 ")
            assert one[2:] != two[2:], kind  # a plural of its own
            assert kind_count(kind, 0)[2:] == two[2:]  # "0 names", as the plural
    finally:
        set_language("da")


# ---------------------------------------------------------------------------- since


def test_since_last_export_sends_only_changed_cases(
    notebook: Notebook, supervisor: Notebook, key: str, tmp_path: Path, store_clock: SteppedClock
) -> None:
    ids = []
    for n in range(3):
        case = notebook.new_case(themes=["sleep"])
        talk = notebook.new_conversation(case.id or 0, started_at=AT + timedelta(days=n))
        notebook.save_note(talk.id or 0, Step.LISTEN, f"Samtale nummer {n + 1} om søvn.")
        ids.append(case.id or 0)
    assert last_export(notebook, key) is None
    # Times are kept to the second, and a change made in the very second of an export is
    # sent again with the next one (never lost): so let the second pass before exporting.
    store_clock.advance(1)
    first = export_bundle(notebook, key, tmp_path / "1.cnbundle")
    assert first.case_count == 3
    assert last_export(notebook, key) is not None
    with pytest.raises(NothingToExport):
        export_bundle(notebook, key, tmp_path / "2.cnbundle")
    assert not (tmp_path / "2.cnbundle").exists()

    talk = notebook.conversations(ids[1])[0]
    notebook.save_note(talk.id or 0, Step.ADVISE, "Faste rutiner om aftenen.")
    store_clock.advance(1)
    second = export_bundle(notebook, key, tmp_path / "3.cnbundle")
    assert second.case_count == 1
    bundle = read_bundle(supervisor, second.path)[0]
    assert bundle.header.period_from == date.today()
    # a follow-up marked done is a change too
    follow_up = notebook.save_follow_up(FollowUp(ids[2], date.today() + timedelta(days=3)))
    store_clock.advance(1)
    assert export_bundle(notebook, key, tmp_path / "4.cnbundle").case_count == 1
    notebook.mark_follow_up_done(follow_up.id or 0)
    store_clock.advance(1)
    assert export_bundle(notebook, key, tmp_path / "5.cnbundle").case_count == 1
    # --since a day: every case changed on or after it, whatever was exported before
    assert export_bundle(notebook, key, tmp_path / "6.cnbundle", date(2000, 1, 1)).case_count == 3
    # another recipient has its own "last export"
    other = str(x25519.Identity.generate().to_public())
    assert export_bundle(notebook, other, tmp_path / "7.cnbundle").case_count == 3


def test_empty_notebook_has_nothing_to_export(notebook: Notebook, key: str, tmp_path: Path) -> None:
    with pytest.raises(NothingToExport):
        export_bundle(notebook, key, tmp_path / "x.cnbundle")
    assert not (tmp_path / "x.cnbundle").exists()


# ---------------------------------------------------------------------------- no identifiers


def test_planted_identifiers_never_leave(
    notebook: Notebook, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    plant_corpus_case(notebook, AT)
    fill_demo(notebook, 10, seed=4)
    out = tmp_path / "planted.cnbundle"
    result = export_bundle(notebook, key, out)
    text = plaintext_of(supervisor, out)
    planted = planted_identifiers()
    assert len(planted) > 100
    leaked = sorted(p for p in planted if contains_word(text, p))
    assert leaked == []
    assert CALLBACK not in text and CALLBACK.replace(" ", "") not in text
    for kind in ("name", "cpr", "phone", "email", "address", "institution"):
        assert result.replacements.get(kind, 0) > 0, kind
    data = json.loads(text)
    assert sum(data["replacements"].values()) == sum(result.replacements.values())


def test_an_identifier_left_after_deidentification_stops_the_export(
    notebook: Notebook, key: str, tmp_path: Path
) -> None:
    case = notebook.new_case()
    talk = notebook.new_conversation(case.id or 0, started_at=AT)
    # The address is replaced, and then the guard sees the phone number glued to it.
    notebook.save_note(talk.id or 0, Step.FOLLOW_UP, "Vi mødtes på Kirkevej+4529772493.")
    preview = preview_export(notebook)
    assert [t.field for t in preview.blocking] == ["follow_up"]
    assert preview.blocking[0].remaining[0].kind == "phone"
    out = tmp_path / "never.cnbundle"
    with pytest.raises(IdentifierLeaves) as caught:
        export_bundle(notebook, key, out)
    # named by the case's reference (never the code the parent knows), conversation, field
    ref = case_ref(case_secret(notebook), case)
    assert ref in str(caught.value) and case.code not in str(caught.value)
    assert (caught.value.case, caught.value.conversation) == (ref, talk.id)
    assert caught.value.field == "follow_up"
    assert not out.exists() and not list(tmp_path.glob(".never*"))
    assert last_export(notebook, key) is None


def test_a_callback_number_the_guard_does_not_know_still_never_leaves(
    notebook: Notebook, key: str, tmp_path: Path
) -> None:
    case = notebook.new_case()
    notebook.set_callback(case.id or 0, "12345678")  # not a valid Danish number
    talk = notebook.new_conversation(case.id or 0, started_at=AT)
    notebook.save_note(talk.id or 0, Step.FOLLOW_UP, "Ring tilbage på 1234 5678 i morgen.")
    out = tmp_path / "cb.cnbundle"
    with pytest.raises(IdentifierLeaves) as caught:
        export_bundle(notebook, key, out)
    assert caught.value.callback and caught.value.field == "follow_up"
    assert caught.value.case == case_ref(case_secret(notebook), case)
    assert not out.exists()


def test_export_to_a_read_only_folder_is_a_plain_error(
    notebook: Notebook, key: str, tmp_path: Path
) -> None:
    from counsellor_app.core.errors import StorageError

    case = notebook.new_case()
    notebook.new_conversation(case.id or 0, started_at=AT)
    with pytest.raises(StorageError):
        export_bundle(notebook, key, tmp_path / "missing-folder" / "b.cnbundle")
    assert last_export(notebook, key) is None
