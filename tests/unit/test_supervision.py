"""The supervisor's side: import bundles, refuse bad ones, and the dashboard's figures."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

from counsellor_app.core.dashboard import UNKNOWN, dashboard
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import (
    BundleAltered,
    BundleError,
    BundleInvalid,
    BundleNotTrusted,
    BundleTooNew,
    BundleUnreadable,
    BundleWrongKey,
    FollowUpOutcome,
    NoKeyPair,
    NotABundle,
    ensure_key_pair,
    export_bundle,
    own_key_card,
)
from counsellor_app.core.exchange.crypto import decrypt, encrypt
from counsellor_app.core.exchange.format import FORMAT_VERSION, texts_of
from counsellor_app.core.exchange.signing import (
    parse_key_card,
    sign,
    verify,
)
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    ImportStatus,
    counsellors,
    enrol_key_card,
    import_bundle,
    import_bundles,
    imported_bundles,
    imported_case,
    imported_cases,
    set_counsellor_label,
)
from tests.helpers import PASSPHRASE
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    nonzero,
    plant_corpus_case,
    planted_identifiers,
    snapshot,
    source_figures,
)

TODAY = date.today()


def make(tmp_path: Path, name: str, kdf: KdfParams, role: Role = Role.COUNSELLOR) -> Notebook:
    return Notebook.create(tmp_path / f"{name}.cnb", PASSPHRASE, role, kdf=kdf)[0]


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    with make(tmp_path, "supervisor", fast_kdf, Role.SUPERVISOR) as notebook:
        yield notebook


@pytest.fixture
def key(supervisor: Notebook) -> str:
    return ensure_key_pair(supervisor)


@pytest.fixture
def counsellor(notebook: Notebook) -> Notebook:
    fill_demo(notebook, 80, seed=7)
    return notebook


@pytest.fixture
def bundle(counsellor: Notebook, supervisor: Notebook, key: str, tmp_path: Path) -> Path:
    # The supervisor enrols the counsellor's key card first, as they would in practice.
    enrol_key_card(supervisor, parse_key_card(own_key_card(counsellor)))
    return export_bundle(counsellor, key, tmp_path / "all.cnbundle", today=TODAY).path


# ---------------------------------------------------------------------------- round trip


def check_figures(supervisor: Notebook, source: Notebook, **period: Any) -> None:
    figures = dashboard(supervisor, **period)
    expected = source_figures(source, today=TODAY, **period)
    assert figures.cases == expected["cases"] > 0
    assert figures.contacts == expected["contacts"]
    assert nonzero(figures.contacts_per_month) == expected["months"]
    assert nonzero(figures.themes) == expected["themes"]
    assert nonzero(figures.age_bands) == expected["ages"]
    assert nonzero(figures.help_system) == expected["help_system"]
    assert nonzero(figures.steps_covered) == expected["steps"]
    assert nonzero(figures.alliances) == expected["partners"]
    assert nonzero(figures.follow_ups) == expected["outcomes"]
    assert nonzero(figures.concern_decisions) == expected["decisions"]
    assert [list(row) for row in figures.wellbeing_movement] == expected["movement"]
    assert figures.wellbeing_single == expected["single"]


def test_round_trip_dashboard_equals_the_source_notebook(
    supervisor: Notebook, counsellor: Notebook, bundle: Path
) -> None:
    progress: list[tuple[int, int]] = []
    report = import_bundles(supervisor, [bundle], progress=lambda d, t: progress.append((d, t)))
    assert progress == [(0, 1), (1, 1)]
    (result,) = report.imported
    assert result.cases_added == 80 and result.cases_updated == 0
    check_figures(supervisor, counsellor)
    check_figures(supervisor, counsellor, period_from=TODAY - timedelta(days=120))
    check_figures(
        supervisor,
        counsellor,
        period_from=TODAY - timedelta(days=400),
        period_to=TODAY - timedelta(days=60),
    )
    figures = dashboard(supervisor)
    assert sum(figures.follow_ups.values()) > 0 and sum(figures.alliances.values()) > 0
    assert figures.improved + figures.worsened + figures.unchanged == sum(
        map(sum, figures.wellbeing_movement)
    )
    assert set(figures.age_bands) >= {UNKNOWN, "0-2", "18-24"}
    months = list(figures.contacts_per_month)
    assert months == sorted(months) and len(months) >= 12


def test_dashboard_months_cover_the_period_even_when_empty(
    supervisor: Notebook, bundle: Path
) -> None:
    import_bundle(supervisor, bundle)
    figures = dashboard(supervisor, date(1990, 1, 1), date(1990, 3, 31))
    assert figures.contacts_per_month == {"1990-01": 0, "1990-02": 0, "1990-03": 0}
    assert figures.cases == 0 and figures.contacts == 0


def test_imported_cases_read_back_whole(
    supervisor: Notebook, counsellor: Notebook, bundle: Path
) -> None:
    import_bundle(supervisor, bundle)
    cases = imported_cases(supervisor)
    assert len(cases) == 80
    one = imported_case(supervisor, cases[3].id)
    assert one == cases[3]
    first = cases[0].case
    assert first.conversations and all(set(c.summary) == set(Step) for c in first.conversations)
    source_notes = {
        note
        for case_id in counsellor.find_case_ids()
        for talk in counsellor.conversations(case_id)
        for note in talk.notes.values()
        if note
    }
    # demo notes hold no identifiers, so they arrive word for word
    assert first.conversations[0].summary[Step.LISTEN] in source_notes
    (info,) = imported_bundles(supervisor)
    assert info.case_count == 80 and info.file_name == "all.cnbundle"


# ---------------------------------------------------------------------------- idempotence


def test_the_same_bundle_again_adds_nothing(
    supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    first = import_bundle(supervisor, bundle)
    assert first.status == ImportStatus.IMPORTED
    # Counted words, in Danish: "12 nye sager, 0 opdaterede, ...; 30 samtaler."
    sentence = first.sentence()
    assert f"{first.cases_added} nye sager" in sentence or first.cases_added == 1
    assert f"{first.conversations} samtale" in sentence
    before = snapshot(supervisor)
    copy = tmp_path / "renamed copy.cnbundle"
    shutil.copy(bundle, copy)
    report = import_bundles(supervisor, [bundle, copy])
    assert [r.status for r in report.results] == [ImportStatus.ALREADY_IMPORTED] * 2
    assert snapshot(supervisor) == before


def test_re_encrypted_same_content_is_known_by_its_hash(
    supervisor: Notebook, key: str, bundle: Path, tmp_path: Path
) -> None:
    import_bundle(supervisor, bundle)
    before = snapshot(supervisor)
    plaintext = decrypt(supervisor, bundle.read_bytes(), bundle)
    again = tmp_path / "again.cnbundle"
    again.write_bytes(encrypt(plaintext, x25519.Recipient.from_str(key)))
    assert again.read_bytes() != bundle.read_bytes()
    assert import_bundle(supervisor, again).status == ImportStatus.ALREADY_IMPORTED
    assert snapshot(supervisor) == before


# ---------------------------------------------------------------------------- newer bundles


def _changed_case(counsellor: Notebook) -> int:
    case_id = counsellor.find_case_ids()[5]
    case = counsellor.case(case_id)
    case.themes = ["sleep", "eating"]
    counsellor.update_case(case)
    talk = counsellor.new_conversation(case_id)  # now: after every demo contact
    counsellor.save_note(talk.id or 0, Step.LISTEN, "En ny samtale om søvn og måltider.")
    return case_id


def test_a_newer_bundle_updates_the_cases_it_holds(
    supervisor: Notebook, counsellor: Notebook, key: str, bundle: Path, tmp_path: Path
) -> None:
    import_bundle(supervisor, bundle)
    _changed_case(counsellor)
    newer = export_bundle(counsellor, key, tmp_path / "newer.cnbundle", today=TODAY)
    assert 1 <= newer.case_count < 80  # only what changed since the first export
    result = import_bundle(supervisor, newer.path)
    assert result.status == ImportStatus.IMPORTED
    assert result.cases_added == 0 and result.cases_updated == newer.case_count
    cases = imported_cases(supervisor)
    assert len(cases) == 80
    updated = [c for c in cases if c.case.themes == ("sleep", "eating")]
    assert len(updated) == 1
    assert updated[0].case.conversations[-1].summary[Step.LISTEN].startswith("En ny samtale")
    assert updated[0].bundle_id == newer.bundle_id
    check_figures(supervisor, counsellor)
    assert counsellors(supervisor)[0].bundles == 2


def test_an_older_bundle_imported_later_keeps_the_newer_cases(
    tmp_path: Path,
    fast_kdf: KdfParams,
    counsellor: Notebook,
    supervisor: Notebook,
    key: str,
    bundle: Path,
) -> None:
    _changed_case(counsellor)
    newer = export_bundle(counsellor, key, tmp_path / "newer.cnbundle", today=TODAY)
    first = import_bundle(supervisor, newer.path)
    assert first.cases_added == newer.case_count
    older = import_bundle(supervisor, bundle)
    assert older.cases_kept_newer == newer.case_count
    assert older.cases_added == 80 - newer.case_count
    assert len([c for c in imported_cases(supervisor) if c.case.themes == ("sleep", "eating")]) == 1
    check_figures(supervisor, counsellor)


def test_two_counsellors_labels_and_filter(
    tmp_path: Path, fast_kdf: KdfParams, supervisor: Notebook, key: str
) -> None:
    paths = []
    for name, cases in (("anna", 12), ("bo", 7)):
        with make(tmp_path, name, fast_kdf) as notebook:
            fill_demo(notebook, cases, seed=len(name))
            paths.append(export_bundle(notebook, key, tmp_path / f"{name}.cnbundle").path)
    report = import_bundles(supervisor, paths, accept_new=True)
    assert len(report.imported) == 2
    ids = [r.counsellor_id for r in report.results]
    assert ids[0] != ids[1]
    assert dashboard(supervisor).cases == 19
    only = dashboard(supervisor, counsellor=ids[1])
    assert only.cases == 7 and only.counsellor == ids[1]
    assert len(only.counsellors) == 2
    set_counsellor_label(supervisor, ids[1], "  Rådgiver på tirsdage ")
    listed = {c.counsellor_id: c for c in counsellors(supervisor)}
    assert listed[ids[1]].display_name == "Rådgiver på tirsdage"
    assert listed[ids[0]].display_name == ids[0] and listed[ids[0]].cases == 12
    assert imported_cases(supervisor, ids[1])[0].counsellor_label == "Rådgiver på tirsdage"
    with pytest.raises(KeyError):
        set_counsellor_label(supervisor, "C-NOBODY2345", "x")


# ---------------------------------------------------------------------------- refusals


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def _payload(supervisor: Notebook, bundle: Path) -> bytes:
    return verify(decrypt(supervisor, bundle.read_bytes(), bundle)).payload


def _reencrypt(
    supervisor: Notebook, key: str, bundle: Path, change: Any, signer: Notebook | None = None
) -> bytes:
    """The bundle's content changed by ``change``, signed again by ``signer`` (the
    counsellor's own key: signed but hostile) or left unsigned (None)."""
    data = json.loads(_payload(supervisor, bundle))
    change(data)
    plain = json.dumps(data).encode()
    return encrypt(sign(signer, plain) if signer else plain, x25519.Recipient.from_str(key))


REFUSALS: list[tuple[str, type[BundleError], str]] = [
    ("altered byte in the content", BundleAltered, "altered"),
    ("altered byte in the header", BundleAltered, "altered"),
    ("last byte altered", BundleAltered, "altered"),
    ("truncated", BundleAltered, "altered"),
    ("truncated in the header", BundleAltered, "altered"),
    ("for another key", BundleWrongKey, "wrong_key"),
    ("foreign file", NotABundle, "not_a_bundle"),
    ("empty file", NotABundle, "not_a_bundle"),
    ("plain JSON bundle", NotABundle, "not_encrypted"),
    ("encrypted, but not a bundle", NotABundle, "not_a_bundle"),
    ("signed, but not a bundle", NotABundle, "not_a_bundle"),
    ("too new a format", BundleTooNew, "too_new"),
    ("malformed content", BundleInvalid, "invalid"),
    ("missing file", BundleUnreadable, "unreadable"),
    ("unsigned (the old format)", BundleNotTrusted, "old_format"),
    ("signature broken", BundleNotTrusted, "bad_signature"),
    ("signed by another key", BundleNotTrusted, "key_mismatch"),
    ("signed for another supervisor", BundleWrongKey, "wrong_recipient"),
    ("made in the future", BundleInvalid, "invalid"),
    ("a conversation after the bundle", BundleInvalid, "invalid"),
    ("before 2000", BundleInvalid, "invalid"),
]


@pytest.mark.parametrize("case,error,reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_bad_bundle_is_refused_names_the_file_and_changes_nothing(
    case: str,
    error: type[BundleError],
    reason: str,
    supervisor: Notebook,
    key: str,
    bundle: Path,
    tmp_path: Path,
    counsellor: Notebook,
    fast_kdf: KdfParams,
) -> None:
    good = bundle.read_bytes()
    header_end = good.index(b"\n---") + 4
    bad = tmp_path / "suspicious bundle.cnbundle"
    if case == "altered byte in the content":
        content = _flip(good, len(good) // 2)
    elif case == "altered byte in the header":
        content = _flip(good, header_end - 10)
    elif case == "last byte altered":
        content = _flip(good, len(good) - 1)
    elif case == "truncated":
        content = good[: len(good) - 1000]
    elif case == "truncated in the header":
        content = good[: header_end - 20]
    elif case == "for another key":
        other = x25519.Identity.generate().to_public()
        content = encrypt(decrypt(supervisor, good, bundle), other)
    elif case == "foreign file":
        content = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    elif case == "empty file":
        content = b""
    elif case == "plain JSON bundle":
        content = _payload(supervisor, bundle)
    elif case == "encrypted, but not a bundle":
        content = encrypt(b'{"hello": "world"}', x25519.Recipient.from_str(key))
    elif case == "signed, but not a bundle":
        content = encrypt(sign(counsellor, b'{"hello": "world"}'), x25519.Recipient.from_str(key))
    elif case == "too new a format":
        content = _reencrypt(
            supervisor,
            key,
            bundle,
            lambda d: d.update(format_version=FORMAT_VERSION + 1),
            counsellor,
        )
    elif case == "malformed content":
        content = _reencrypt(
            supervisor,
            key,
            bundle,
            lambda d: d["cases"][2].update(age_band="about ten"),
            counsellor,
        )
    elif case == "unsigned (the old format)":
        content = _reencrypt(supervisor, key, bundle, lambda d: d.update(format_version=1))
    elif case == "signature broken":
        signed = bytearray(decrypt(supervisor, good, bundle))
        signed[-3] ^= 0x01  # a changed byte of the signed content
        content = encrypt(bytes(signed), x25519.Recipient.from_str(key))
    elif case == "signed by another key":
        with make(tmp_path, "attacker", fast_kdf) as attacker:
            content = _reencrypt(supervisor, key, bundle, lambda d: None, attacker)
    elif case == "signed for another supervisor":
        other_key = str(x25519.Identity.generate().to_public())
        content = _reencrypt(
            supervisor, key, bundle, lambda d: d.update(recipient=other_key), counsellor
        )
    elif case == "made in the future":
        content = _reencrypt(
            supervisor, key, bundle, lambda d: d.update(created_on="2099-01-01"), counsellor
        )
    elif case == "a conversation after the bundle":

        def later(d: dict[str, Any]) -> None:
            d["created_on"] = d["period"]["to"] = "2020-01-01"
            d["period"]["from"] = "2019-01-01"

        content = _reencrypt(supervisor, key, bundle, later, counsellor)
    elif case == "before 2000":

        def early(d: dict[str, Any]) -> None:
            d["period"]["from"] = "1999-12-31"

        content = _reencrypt(supervisor, key, bundle, early, counsellor)
    if case != "missing file":
        bad.write_bytes(content)

    import_bundle(supervisor, bundle)  # something already there, which must stay as it is
    before = snapshot(supervisor)
    report = import_bundles(supervisor, [bad])
    (result,) = report.results
    assert result.status == ImportStatus.REFUSED
    assert isinstance(result.error, error)
    assert result.error.reason == reason
    assert result.error.path == bad
    assert "suspicious bundle.cnbundle" in str(result.error)
    assert "Traceback" not in str(result.error) and "\n" not in str(result.error)
    assert snapshot(supervisor) == before
    if case != "missing file":
        assert bad.read_bytes() == content
    with pytest.raises(error):
        import_bundle(supervisor, bad)


def test_malformed_error_says_where(
    supervisor: Notebook, key: str, bundle: Path, counsellor: Notebook
) -> None:
    bad = bundle.with_name("bad.cnbundle")
    bad.write_bytes(
        _reencrypt(
            supervisor, key, bundle, lambda d: d["cases"][2].update(age_band="ti"), counsellor
        )
    )
    with pytest.raises(BundleInvalid) as caught:
        import_bundle(supervisor, bad)
    assert caught.value.where == "cases[2].age_band"
    assert "cases[2].age_band" in str(caught.value)


def test_good_files_are_imported_beside_a_bad_one(
    supervisor: Notebook, counsellor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.cnbundle"
    bad.write_bytes(bundle.read_bytes()[:-5])
    progress: list[tuple[int, int]] = []
    report = import_bundles(
        supervisor, [bad, bundle], progress=lambda d, t: progress.append((d, t))
    )
    assert [r.status for r in report.results] == [ImportStatus.REFUSED, ImportStatus.IMPORTED]
    assert len(report.refused) == 1 and len(report.imported) == 1
    assert progress == [(0, 2), (1, 2), (2, 2)]
    check_figures(supervisor, counsellor)


# ---------------------------------------------------------------------------- no identifiers


def test_planted_identifiers_never_reach_the_supervisor(
    supervisor: Notebook, notebook: Notebook, key: str, tmp_path: Path
) -> None:
    plant_corpus_case(notebook, datetime(2026, 2, 1, 9, tzinfo=UTC))
    out = export_bundle(notebook, key, tmp_path / "planted.cnbundle").path
    import_bundle(supervisor, out, accept_new=True)
    (case,) = imported_cases(supervisor)
    texts = "\n".join(texts_of(case.case))
    assert "[navn]" in texts and "[telefon]" in texts and "[cpr]" in texts
    assert [p for p in sorted(planted_identifiers()) if contains_word(texts, p)] == []
    everything = json.dumps(snapshot(supervisor), ensure_ascii=False, default=str)
    assert [p for p in sorted(planted_identifiers()) if contains_word(everything, p)] == []
    assert CALLBACK not in everything and CALLBACK.replace(" ", "") not in everything
    code = notebook.case(notebook.find_case_ids()[0]).code
    assert code not in everything
    (info,) = imported_bundles(supervisor)
    assert info.replacements["name"] > 50


def test_follow_up_outcomes_arrive(supervisor: Notebook, notebook: Notebook, key: str) -> None:
    from counsellor_app.core.domain import FollowUp

    case = notebook.new_case()
    notebook.new_conversation(case.id or 0, started_at=datetime.now(UTC) - timedelta(days=30))
    for due, done in ((-20, True), (-10, False), (5, False)):
        saved = notebook.save_follow_up(FollowUp(case.id or 0, TODAY + timedelta(days=due)))
        if done:
            notebook.mark_follow_up_done(saved.id or 0)  # done today: late
    out = export_bundle(notebook, key, notebook.path.with_name("f.cnbundle"), today=TODAY).path
    import_bundle(supervisor, out, accept_new=True)
    figures = dashboard(supervisor)
    assert figures.follow_ups == {
        FollowUpOutcome.ON_TIME: 0,
        FollowUpOutcome.LATE: 1,
        FollowUpOutcome.MISSED: 1,
        FollowUpOutcome.PENDING: 1,
    }


def test_a_notebook_without_a_key_pair_imports_nothing(
    notebook: Notebook, supervisor: Notebook, bundle: Path
) -> None:
    progress: list[tuple[int, int]] = []
    with pytest.raises(NoKeyPair):
        import_bundles(notebook, [bundle], progress=lambda d, t: progress.append((d, t)))
    assert progress == []
