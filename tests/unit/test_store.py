"""The notebook store on real SQLCipher files: open/close, encryption, refusals, schema,
locking, autosave, search, agenda, call-backs, retention and disk errors."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from counsellor_app.core import connection as connection_module
from counsellor_app.core import store as store_module
from counsellor_app.core.connection import SQLITE_HEADER
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import (
    CODE_ALPHABET,
    OVERALL,
    AgeBand,
    Alliance,
    AllianceStatus,
    CallerRole,
    CaseStatus,
    Channel,
    Concern,
    ConcernDecision,
    ConcernSigns,
    Consent,
    FollowUp,
    Gender,
    HelpSystemActor,
    HelpSystemStatus,
    Partner,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.errors import (
    NotANotebook,
    NotebookDamaged,
    NotebookExists,
    NotebookInUse,
    NotebookTooNew,
    StorageError,
    UserError,
    WrongPassphrase,
)
from counsellor_app.core.keys import (
    PASSPHRASE_SLOT,
    RECOVERY_SLOT,
    KeyFile,
    key_file_path,
    new_key_file,
    new_recovery_key,
)
from counsellor_app.core.safefile import storage_error
from counsellor_app.core.schema import MIGRATIONS, SCHEMA_VERSION
from counsellor_app.core.search import CaseFilter, fts_query
from counsellor_app.core.store import Notebook

PASSPHRASE = "korrekt hest batteri hæfteklamme"
PAGE = 4096

# ---------------------------------------------------------------------- helpers


def all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def assert_absent(root: Path, *markers: str) -> None:
    """No file under ``root`` holds any marker in UTF-8 or UTF-16 (either byte order)."""
    files = all_files(root)
    assert files
    for path in files:
        data = path.read_bytes()
        for marker in markers:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert marker.encode(encoding) not in data, f"{marker!r} in clear in {path.name}"


def snapshot(path: Path) -> tuple[bytes, int]:
    stat = path.stat()
    return path.read_bytes(), stat.st_mtime_ns


def sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]


def make_plain_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES ('plain')")
    connection.close()


def fill_case(nb: Notebook) -> dict[str, object]:
    """A case with every kind of data; returns what was written, to compare after reopening."""
    case = nb.new_case()
    case.caller_role = CallerRole.MOTHER
    case.help_system = HelpSystemStatus.KNOWN
    case.known_by = [HelpSystemActor.PPR, HelpSystemActor.MUNICIPALITY]
    case.age_band = AgeBand.A13_15
    case.gender = Gender.GIRL
    case.arenas = ["school", "home"]
    case.themes = ["school_refusal", "anxiety"]
    case.protective_factors = ["grandparents"]
    case.risk_factors = ["isolation"]
    nb.update_case(case)
    conv = nb.new_conversation(case.id, Channel.CHAT)
    notes = {
        Step.LISTEN: "Mor fortæller om skolevægring siden efteråret.",
        Step.ADVISE: "Vi talte om små skridt og faste morgener.",
        Step.ALLIANCES: "Kontakt til klasselæreren er aftalt.",
        Step.FOLLOW_UP: "Ring igen om en uge.",
    }
    for step, text in notes.items():
        nb.save_note(conv.id, step, text)
    nb.set_wellbeing(conv.id, "school", WellbeingLevel.SEVERE)
    nb.set_wellbeing(conv.id, "home", WellbeingLevel.MILD)
    nb.set_duration(conv.id, 1260)
    alliance = nb.save_alliance(
        Alliance(
            case.id,
            Partner.SCHOOL,
            role="Klasselærer",
            agreed="Ugentlig besked",
            consent=Consent.GIVEN,
            status=AllianceStatus.CONTACTED,
        )
    )
    follow_up = nb.save_follow_up(
        FollowUp(
            case.id,
            date(2031, 5, 1),
            counsellor_task="Ringe op",
            parent_task="Tale med skolen",
            others_task="PPR vurderer",
        )
    )
    concern = nb.record_concern(
        Concern(
            case.id,
            ConcernSigns.UNSURE,
            ConcernDecision.TALK_WITH_SUPERVISOR,
            conversation_id=conv.id,
            reasoning="Uklart billede",
        )
    )
    nb.set_callback(case.id, "+45 12 34 56 78")
    nb.set_status(case.id, CaseStatus.OPEN)  # awaiting_follow_up -> open
    return {
        "case_id": case.id,
        "code": case.code,
        "conv_id": conv.id,
        "notes": notes,
        "alliance": alliance,
        "follow_up": follow_up,
        "concern": concern,
    }


# ---------------------------------------------------------------------- create and reopen


def test_create_refuses_existing_file_and_empty_passphrase(tmp_path: Path, fast_kdf) -> None:
    existing = tmp_path / "x.cnb"
    existing.write_bytes(b"keep me")
    with pytest.raises(NotebookExists):
        Notebook.create(existing, PASSPHRASE, kdf=fast_kdf)
    assert existing.read_bytes() == b"keep me"
    with pytest.raises(UserError):
        Notebook.create(tmp_path / "y.cnb", "", kdf=fast_kdf)
    assert not (tmp_path / "y.cnb").exists()


@pytest.mark.parametrize("how", ["passphrase", "recovery"])
def test_reopen_keeps_all_data(created, notebook_path: Path, how: str) -> None:
    nb, recovery_key = created
    written = fill_case(nb)
    nb.close()
    if how == "passphrase":
        nb = Notebook.open(notebook_path, PASSPHRASE)
    else:
        typed = " ".join(recovery_key.lower().split("-"))  # lower-case, spaces for dashes
        nb = Notebook.open(notebook_path, recovery_key=typed)
    with nb:
        case = nb.case(written["case_id"])
        assert case.code == written["code"]
        assert nb.case_by_code(str(written["code"]).lower()).id == case.id
        assert case.status is CaseStatus.OPEN
        assert case.caller_role is CallerRole.MOTHER
        assert case.help_system is HelpSystemStatus.KNOWN
        assert case.known_by == [HelpSystemActor.PPR, HelpSystemActor.MUNICIPALITY]
        assert case.age_band is AgeBand.A13_15
        assert case.gender is Gender.GIRL
        assert case.arenas == ["school", "home"]
        assert case.themes == ["school_refusal", "anxiety"]
        assert case.protective_factors == ["grandparents"]
        assert case.risk_factors == ["isolation"]
        [conv] = nb.conversations(case.id)
        assert conv.id == written["conv_id"]
        assert conv.channel is Channel.CHAT
        assert conv.duration_seconds == 1260
        assert conv.notes == written["notes"]
        assert conv.wellbeing == {"school": WellbeingLevel.SEVERE, "home": WellbeingLevel.MILD}
        assert conv.overall_wellbeing() is WellbeingLevel.SEVERE
        assert nb.search(case.code)[0].latest_wellbeing is WellbeingLevel.SEVERE
        assert nb.alliances(case.id) == [written["alliance"]]
        assert nb.follow_ups(case.id) == [written["follow_up"]]
        assert nb.concerns(case.id) == [written["concern"]]
        assert nb.callback(case.id) == "+45 12 34 56 78"
        timeline = [(c.old, c.new) for c in nb.status_changes(case.id)]
        assert timeline == [
            (None, CaseStatus.OPEN),
            (CaseStatus.OPEN, CaseStatus.AWAITING_FOLLOW_UP),
            (CaseStatus.AWAITING_FOLLOW_UP, CaseStatus.OPEN),
        ]
        assert nb.integrity_check()


# ---------------------------------------------------------------------- encryption


MARKERS = ("zqxnotemarker", "zqxalliancemarker", "zqxcallbackmarker", "zqxtaskmarker")


def _write_markers(nb: Notebook) -> None:
    case = nb.new_case()
    conv = nb.new_conversation(case.id)
    nb.save_note(conv.id, Step.LISTEN, f"Forælder siger {MARKERS[0]} om barnet")
    nb.save_alliance(Alliance(case.id, Partner.PPR, role=MARKERS[1], agreed=MARKERS[1]))
    nb.save_follow_up(FollowUp(case.id, date(2030, 1, 1), counsellor_task=MARKERS[3]))
    nb.set_callback(case.id, MARKERS[2])


def test_markers_never_in_clear_while_open_and_after_close(
    created, notebook_path: Path, tmp_path: Path
) -> None:
    nb, _ = created
    assert nb.cipher_version()
    _write_markers(nb)
    # Still open: the edits sit in the WAL.
    wal = notebook_path.with_name(notebook_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    assert_absent(tmp_path, *MARKERS)
    nb.backup(tmp_path / "backups")
    nb.close()
    assert_absent(tmp_path, *MARKERS)
    assert not notebook_path.read_bytes().startswith(SQLITE_HEADER)
    # The markers really are in there, behind the key.
    with Notebook.open(notebook_path, PASSPHRASE) as nb:
        assert nb.find_case_ids(MARKERS[0])


def test_plain_sqlite_cannot_read_the_notebook(notebook, notebook_path: Path) -> None:
    notebook.close()
    connection = sqlcipher3.connect(str(notebook_path))
    try:
        with pytest.raises(sqlcipher3.DatabaseError):
            connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        connection.close()


# ---------------------------------------------------------------------- refusals


def _closed_notebook(created, notebook_path: Path) -> tuple[Path, Path]:
    nb, _ = created
    fill_case(nb)
    nb.close()
    return notebook_path, key_file_path(notebook_path)


@pytest.mark.parametrize("wrong", ["passphrase", "recovery"])
def test_wrong_secret_changes_nothing(created, notebook_path: Path, wrong: str) -> None:
    path, key = _closed_notebook(created, notebook_path)
    before = snapshot(path), snapshot(key)
    with pytest.raises(WrongPassphrase) as info:
        if wrong == "passphrase":
            Notebook.open(path, PASSPHRASE + "x")
        else:
            Notebook.open(path, recovery_key=new_recovery_key())
    assert str(info.value)
    assert (snapshot(path), snapshot(key)) == before
    assert not any(s.exists() for s in sidecars(path))
    with pytest.raises(WrongPassphrase):
        Notebook.open(path, "")
    with pytest.raises(WrongPassphrase):
        Notebook.open(path, None)


def _check_refused(path: Path, expected: type[UserError] | tuple, passphrase=PASSPHRASE) -> None:
    before = path.read_bytes()
    with pytest.raises(expected) as info:
        Notebook.open(path, passphrase)
    assert isinstance(info.value, UserError)
    assert str(info.value).strip()
    assert path.read_bytes() == before


def test_plain_sqlite_file_is_refused(tmp_path: Path, created, notebook_path: Path) -> None:
    plain = tmp_path / "plain.cnb"
    make_plain_sqlite(plain)
    _check_refused(plain, NotANotebook)
    # With a key file beside it (fake, and a real one of another notebook).
    key_file_path(plain).write_text('{"format": "counsellor-notebook-key"}')
    _check_refused(plain, NotANotebook)
    created[0].close()
    key_file_path(plain).write_bytes(key_file_path(notebook_path).read_bytes())
    _check_refused(plain, NotANotebook)
    with sqlite3.connect(plain) as connection:
        assert connection.execute("SELECT x FROM t").fetchall() == [("plain",)]
    connection.close()


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.cnb"
    empty.write_bytes(b"")
    _check_refused(empty, (NotANotebook, NotebookDamaged))


def test_text_file_is_refused(tmp_path: Path, created, notebook_path: Path) -> None:
    text = tmp_path / "letter.cnb"
    text.write_text("Kære forælder,\n" * 500, encoding="utf-8")
    _check_refused(text, NotANotebook)  # no key file
    created[0].close()
    key_file_path(text).write_bytes(key_file_path(notebook_path).read_bytes())
    _check_refused(text, (NotANotebook, NotebookDamaged))


def test_missing_path_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotANotebook) as info:
        Notebook.open(tmp_path / "nothing.cnb", PASSPHRASE)
    assert str(info.value)
    with pytest.raises(NotANotebook):
        Notebook.open(tmp_path, PASSPHRASE)


def test_missing_key_file_is_refused(created, notebook_path: Path) -> None:
    path, key = _closed_notebook(created, notebook_path)
    key.unlink()
    _check_refused(path, NotANotebook)


def test_damaged_key_file_is_refused(created, notebook_path: Path) -> None:
    path, key = _closed_notebook(created, notebook_path)
    key.write_bytes(b"\xff\xfe not json")
    _check_refused(path, NotANotebook)


@pytest.mark.parametrize("keep", [PAGE, PAGE + 100, 3 * PAGE])
def test_truncated_notebook_is_refused(created, notebook_path: Path, keep: int) -> None:
    path, _ = _closed_notebook(created, notebook_path)
    with open(path, "r+b") as handle:
        handle.truncate(keep)
    _check_refused(path, (NotebookDamaged, NotANotebook))


def _flip(path: Path, offset: int, count: int = 8) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_bit_flipped_page_one_is_refused(created, notebook_path: Path) -> None:
    path, _ = _closed_notebook(created, notebook_path)
    _flip(path, PAGE // 2)
    _check_refused(path, NotebookDamaged)


def test_bit_flipped_page_two_is_refused(created, notebook_path: Path) -> None:
    path, _ = _closed_notebook(created, notebook_path)
    _flip(path, PAGE + PAGE // 2)
    _check_refused(path, NotebookDamaged)


def test_key_file_of_another_notebook_is_refused(
    created, notebook_path: Path, tmp_path: Path, fast_kdf
) -> None:
    path, key = _closed_notebook(created, notebook_path)
    other_path = tmp_path / "other.cnb"
    other, _ = Notebook.create(other_path, PASSPHRASE, kdf=fast_kdf)
    other.close()
    key.write_bytes(key_file_path(other_path).read_bytes())
    _check_refused(path, (NotebookDamaged, NotANotebook))
    assert not path.with_name(path.name + "-wal").exists()


def test_key_file_with_same_key_but_other_notebook_id_is_refused(
    created, notebook_path: Path, fast_kdf
) -> None:
    """A key file that unwraps the right data key but names another notebook."""
    nb, _ = created
    data_key = KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    nb.close()
    forged = KeyFile("another-notebook-id", fast_kdf)
    forged.wrap(PASSPHRASE_SLOT, PASSPHRASE, data_key)
    forged.wrap(RECOVERY_SLOT, new_recovery_key(), data_key)
    forged.write(notebook_path)
    _check_refused(notebook_path, NotANotebook)


# ---------------------------------------------------------------------- schema


def test_new_notebook_is_at_current_schema(notebook) -> None:
    assert notebook.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)


def test_newer_schema_is_refused_without_change(created, notebook_path: Path) -> None:
    nb, _ = created
    nb.query("PRAGMA user_version = 99")
    nb.close()
    before = snapshot(notebook_path), snapshot(key_file_path(notebook_path))
    with pytest.raises(NotebookTooNew) as info:
        Notebook.open(notebook_path, PASSPHRASE)
    assert str(info.value)
    assert (snapshot(notebook_path), snapshot(key_file_path(notebook_path))) == before
    # The lock was released: a second attempt meets the same refusal, not "in use".
    with pytest.raises(NotebookTooNew):
        Notebook.open(notebook_path, PASSPHRASE)


def _version_zero_notebook(path: Path, fast_kdf) -> None:
    """An encrypted file at user_version 0 with a valid key file (as before migration 0)."""
    key_file, data_key = new_key_file("v0-notebook", PASSPHRASE, new_recovery_key(), fast_kdf)
    connection = sqlcipher3.connect(str(path))
    connection.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    connection.execute("CREATE TABLE scratch (x)")
    connection.commit()
    connection.close()
    key_file.write(path)


def test_version_zero_is_migrated_on_open(tmp_path: Path, fast_kdf) -> None:
    path = tmp_path / "old.cnb"
    _version_zero_notebook(path, fast_kdf)
    with Notebook.open(path, PASSPHRASE) as nb:
        assert nb.schema_version() == SCHEMA_VERSION
        case = nb.new_case()
        assert nb.case(case.id).code == case.code


def test_interrupted_migration_leaves_previous_version(
    tmp_path: Path, fast_kdf, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.cnb"
    _version_zero_notebook(path, fast_kdf)

    def half_then_crash(connection) -> None:
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")
        raise RuntimeError("power cut during migration")

    with monkeypatch.context() as patch:
        patch.setattr(connection_module, "MIGRATIONS", (half_then_crash, *MIGRATIONS[1:]))
        with pytest.raises(RuntimeError):
            Notebook.open(path, PASSPHRASE)
    # Nothing of the half migration stayed; the real one now runs cleanly.
    with Notebook.open(path, PASSPHRASE) as nb:
        assert nb.schema_version() == SCHEMA_VERSION
        nb.new_case()


def test_each_migration_bumps_version_in_its_own_transaction(
    created, notebook_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created[0].close()
    failing_calls = []

    def to_next_failing(connection) -> None:
        failing_calls.append(connection.in_transaction)
        connection.execute("CREATE TABLE extra (x)")
        raise RuntimeError("interrupted")

    def to_next(connection) -> None:
        assert connection.in_transaction
        connection.execute("CREATE TABLE extra (x)")

    future = SCHEMA_VERSION + 1
    monkeypatch.setattr(connection_module, "MIGRATIONS", [*MIGRATIONS, to_next_failing])
    monkeypatch.setattr(connection_module, "SCHEMA_VERSION", future)
    with pytest.raises(RuntimeError):
        Notebook.open(notebook_path, PASSPHRASE)
    assert failing_calls == [True]
    monkeypatch.setattr(connection_module, "SCHEMA_VERSION", SCHEMA_VERSION)
    with Notebook.open(notebook_path, PASSPHRASE) as nb:
        assert nb.schema_version() == SCHEMA_VERSION
        tables = {r[0] for r in nb.query("SELECT name FROM sqlite_master")}
        assert "extra" not in tables
    monkeypatch.setattr(connection_module, "MIGRATIONS", [*MIGRATIONS, to_next])
    monkeypatch.setattr(connection_module, "SCHEMA_VERSION", future)
    with Notebook.open(notebook_path, PASSPHRASE) as nb:
        assert nb.schema_version() == future
        tables = {r[0] for r in nb.query("SELECT name FROM sqlite_master")}
        assert "extra" in tables


def test_v1_fixture_is_migrated_and_search_follows_every_save(tmp_path: Path) -> None:
    folder = Path(__file__).parents[1] / "fixtures" / "notebooks" / "schema_v1"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    for name in ("notebook.cnb", "notebook.cnb.key"):
        shutil.copy(folder / name, tmp_path / name)
    with Notebook.open(tmp_path / "notebook.cnb", expected["passphrase"]) as nb:
        assert nb.schema_version() == SCHEMA_VERSION >= 2
        [sql] = nb.query("SELECT sql FROM sqlite_master WHERE name = 'note_index'")[0]
        assert "prefix" in sql and "contentless_delete" in sql
        assert nb.integrity_check()
        first = nb.case_by_code(expected["cases"][0])
        assert first is not None
        # The notes written at version 1 are found, by every prefix of their words.
        for typed in ("s", "sk", "sko", "skole", "sønnen", "SØNNEN 14", "æ ø å"):
            assert nb.find_case_ids(typed) == [first.id], typed
        assert nb.find_case_ids("sonnen") == []
        # The triggers of version 2 keep the index in step with every save.
        [talk] = nb.conversations(first.id)
        nb.save_note(talk.id, Step.ADVISE, "Vi aftalte et møde med klasselæreren.")
        assert nb.find_case_ids("klasselær") == [first.id]
        assert nb.find_case_ids("sønnen klasse") == [first.id]  # two notes, one conversation
        nb.save_note(talk.id, Step.LISTEN, "Datteren trives nu.")
        assert nb.find_case_ids("sønnen") == []
        assert nb.find_case_ids("datter") == [first.id]
        other = nb.new_case()
        call = nb.new_conversation(other.id)
        nb.save_note(call.id, Step.FOLLOW_UP, "Datteren ringer selv.")
        assert nb.find_case_ids("datteren") == [other.id, first.id]  # most recent first
        assert nb.integrity_check()


def test_v1_notebook_with_demo_data_searches_alike_after_migration(
    created, notebook_path: Path, fast_kdf, monkeypatch: pytest.MonkeyPatch
) -> None:
    created[0].close()
    notebook_path.unlink()
    key_file_path(notebook_path).unlink()
    monkeypatch.setattr(connection_module, "MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr(connection_module, "SCHEMA_VERSION", 1)
    nb, _ = Notebook.create(notebook_path, PASSPHRASE, kdf=fast_kdf)
    with nb:
        assert nb.schema_version() == 1
        fill_demo(nb, 120, seed=3)
        # Version 1's own search: its index (rowid = conversation) mapped to cases.
        before = {
            query: [
                row[0]
                for row in nb.query(
                    "SELECT c.id FROM cases c WHERE c.id IN (SELECT v.case_id FROM "
                    "conversations v WHERE v.id IN (SELECT rowid FROM note_index "
                    "WHERE note_index MATCH ?)) ORDER BY c.updated_at DESC, c.id DESC",
                    (fts_query(query),),
                )
            ]
            for query in ("s", "sk", "skole", "mor bekymret", "søvn", "ø", "far b")
        }
        assert all(before.values())
    monkeypatch.undo()
    with Notebook.open(notebook_path, PASSPHRASE) as nb:
        assert nb.schema_version() == SCHEMA_VERSION
        assert {q: nb.find_case_ids(q) for q in before} == before
        assert_search_like_reference(nb, random.Random(3), 40)


# ---------------------------------------------------------------------- one at a time


def test_second_open_in_same_process_is_refused(notebook, notebook_path: Path) -> None:
    with pytest.raises(NotebookInUse) as info:
        Notebook.open(notebook_path, PASSPHRASE)
    assert str(info.value)
    notebook.new_case()  # the first one still works
    notebook.close()
    with Notebook.open(notebook_path, PASSPHRASE) as again:
        assert again.case_count() == 1


def test_second_open_from_child_process_is_refused(notebook, notebook_path: Path) -> None:
    code = (
        "import sys\n"
        "from counsellor_app.core.store import Notebook\n"
        "from counsellor_app.core.errors import NotebookInUse\n"
        "try:\n"
        f"    Notebook.open(sys.argv[1], {PASSPHRASE!r})\n"
        "except NotebookInUse:\n"
        "    print('in use'); sys.exit(3)\n"
        "print('opened')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(notebook_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert result.returncode == 3, result.stderr
    assert "in use" in result.stdout


def test_closed_notebook_refuses_calls(notebook) -> None:
    notebook.close()
    notebook.close()  # twice is fine
    assert not notebook.is_open
    with pytest.raises(UserError):
        notebook.case_count()


# ---------------------------------------------------------------------- autosave and search


def test_autosave_200_times(created, notebook_path: Path) -> None:
    nb, _ = created
    case = nb.new_case()
    conv = nb.new_conversation(case.id)
    text = ""
    for i in range(200):
        text += f"ord{i} "
        nb.save_note(conv.id, Step.LISTEN, text)
    nb.close()
    with Notebook.open(notebook_path, PASSPHRASE) as nb:
        assert nb.conversation(conv.id).notes[Step.LISTEN] == text
        assert nb.find_case_ids("ord199") == [case.id]
        assert nb.find_case_ids("ord0") == [case.id]


def _case_with_note(nb: Notebook, text: str, step: Step = Step.LISTEN) -> int:
    case = nb.new_case()
    conv = nb.new_conversation(case.id)
    nb.save_note(conv.id, step, text)
    return case.id


def test_search_danish_words(notebook) -> None:
    refusal = _case_with_note(notebook, "Skolevægring i 8. klasse")
    wishes = _case_with_note(notebook, "Mor ØNSKER hjælp", Step.ADVISE)
    years = _case_with_note(notebook, "Sådan er han 12 år", Step.FOLLOW_UP)
    assert notebook.find_case_ids("skolevæ") == [refusal]
    assert notebook.find_case_ids("SKOLEVÆGRING") == [refusal]
    assert notebook.find_case_ids("ønsker") == [wishes]
    assert notebook.find_case_ids("år") == [years]
    # å is not a ("sadan" could not be a case code either: S is not a code letter).
    assert notebook.find_case_ids("sådan") == [years]
    assert notebook.find_case_ids("sadan") == []
    assert notebook.find_case_ids("skolevæ ønsker") == []  # every word must match
    assert set(notebook.find_case_ids("")) == {refusal, wishes, years}
    # Odd input never raises.
    for odd in ['"', "*", "NEAR(", "a OR", "-", "æ\"ø'å"]:
        assert isinstance(notebook.find_case_ids(odd), list)
    assert fts_query("  ") == ""


def test_search_by_case_code(notebook) -> None:
    case = notebook.new_case()
    other = notebook.new_case()
    code = case.code  # "K-XXXX"
    typed_forms = (
        code,
        code.lower(),
        code[2:],
        code[2:].lower(),
        code.replace("-", ""),
        code.replace("-", " ").lower(),
    )
    for typed in typed_forms:
        found = notebook.find_case_ids(typed)
        assert case.id in found, typed
        assert other.id not in found or other.code.startswith(code[:4]), typed
    # Other multi-word text is never taken for a code.
    assert notebook.find_case_ids(f"{code} mor") == []


def test_filters_by_status_theme_wellbeing_and_due(notebook) -> None:
    today = date.today()
    a = notebook.new_case(themes=["anxiety"])
    b = notebook.new_case(themes=["school_refusal"])
    c = notebook.new_case()
    conv = notebook.new_conversation(a.id)
    notebook.set_wellbeing(conv.id, OVERALL, WellbeingLevel.STRUGGLING)
    conv_b = notebook.new_conversation(b.id)
    notebook.set_wellbeing(conv_b.id, "school", WellbeingLevel.THRIVING)
    notebook.save_follow_up(FollowUp(a.id, today - timedelta(days=2)))
    notebook.save_follow_up(FollowUp(b.id, today))
    notebook.save_follow_up(FollowUp(c.id, today + timedelta(days=5)))
    notebook.set_status(c.id, CaseStatus.CLOSED)

    def ids(**kw) -> set[int]:
        return set(notebook.find_case_ids("", CaseFilter(**kw)))

    assert ids(status=CaseStatus.CLOSED) == {c.id}
    assert ids(status=CaseStatus.AWAITING_FOLLOW_UP) == {a.id, b.id}
    assert ids(status=CaseStatus.OPEN) == set()
    assert ids(theme="anxiety") == {a.id}
    assert ids(theme="school_refusal") == {b.id}
    assert ids(wellbeing=WellbeingLevel.STRUGGLING) == {a.id}
    assert ids(wellbeing=WellbeingLevel.THRIVING) == {b.id}
    assert ids(due="overdue") == {a.id}
    assert ids(due="today") == {b.id}
    assert ids(due="week") == {b.id, c.id}
    assert ids(due="any") == {a.id, b.id, c.id}
    assert ids(due="overdue", theme="school_refusal") == set()
    summaries = notebook.search("", CaseFilter(due="today"))
    assert [s.next_due for s in summaries] == [today]


def _words(value: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in value).lower().split()


class ReferenceSearch:
    """What search must find, the straightforward way in Python over the notebook's rows as
    they are now: every word of the text is the start of a word in the notes of one
    conversation of the case (case folded; å is not a), or the text is the start of the
    case's code as typed; then the filter; the most recently changed case first."""

    def __init__(self, nb: Notebook) -> None:
        self.starts: dict[int, list[set[str]]] = {}  # per case, per conversation
        for case_id, *notes in nb.query(
            "SELECT case_id, note_listen, note_advise, note_alliances, note_follow_up "
            "FROM conversations"
        ):
            words = {word for note in notes for word in _words(note)}
            starts = {word[:n] for word in words for n in range(1, len(word) + 1)}
            self.starts.setdefault(case_id, []).append(starts)
        self.open_due: dict[int, list[date]] = {}
        for case_id, due in nb.query("SELECT case_id, due FROM follow_ups WHERE done = 0"):
            self.open_due.setdefault(case_id, []).append(date.fromisoformat(due))
        self.cases = nb.query(
            "SELECT id, code, status, themes, latest_wellbeing, updated_at FROM cases"
        )

    @staticmethod
    def code_starts(text: str) -> list[str]:
        typed = text.upper().split()
        if len(typed) == 2 and typed[0] in ("K", "K-"):
            typed = ["K-" + typed[1]]
        if len(typed) != 1:
            return []
        letters = "".join(ch for ch in typed[0] if ch.isalnum())
        if not 2 <= len(letters) <= 7 or any(ch not in CODE_ALPHABET for ch in letters):
            return []
        if typed[0].startswith("K-"):
            return ["K-" + letters[1:]]
        return ["K-" + letters] + (["K-" + letters[1:]] if letters[0] == "K" else [])

    def ids(self, text: str, case_filter: CaseFilter) -> list[int]:
        words = _words(text)
        code_starts = self.code_starts(text)
        today = date.today()
        low, high = {
            None: (date.min, date.max),
            "overdue": (date.min, today - timedelta(days=1)),
            "today": (today, today),
            "week": (today, today + timedelta(days=7)),
            "any": (date.min, date.max),
        }[case_filter.due]
        found = []
        for case_id, code, status, themes, wellbeing, updated_at in self.cases:
            if words and not (
                any(all(w in starts for w in words) for starts in self.starts.get(case_id, []))
                or any(code.startswith(start) for start in code_starts)
            ):
                continue
            if case_filter.status is not None and status != case_filter.status.value:
                continue
            if case_filter.theme and case_filter.theme not in json.loads(themes):
                continue
            if case_filter.wellbeing is not None and wellbeing != case_filter.wellbeing.value:
                continue
            if case_filter.due and not any(
                low <= due <= high for due in self.open_due.get(case_id, [])
            ):
                continue
            found.append((updated_at, case_id))
        return [case_id for _, case_id in sorted(found, reverse=True)]


def assert_search_like_reference(nb: Notebook, rng: random.Random, count: int) -> None:
    """Random searches as typed (every prefix of words from the notes, one or two words,
    codes in their typed forms, odd input) under random filters give the reference's ids."""
    reference = ReferenceSearch(nb)
    by_case: dict[int, list[list[str]]] = {}
    for case_id, *notes in nb.query(
        "SELECT case_id, note_listen, note_advise, note_alliances, note_follow_up "
        "FROM conversations"
    ):
        if words := _words(" ".join(notes)):
            by_case.setdefault(case_id, []).append(words)
    talks = list(by_case.values())
    codes = [row[1] for row in reference.cases]
    themes = sorted({t for row in reference.cases for t in json.loads(row[3])})
    filters = [
        CaseFilter(),
        CaseFilter(),
        CaseFilter(status=rng.choice(list(CaseStatus))),
        CaseFilter(theme=rng.choice(themes)),
        CaseFilter(wellbeing=rng.choice(list(WellbeingLevel))),
        CaseFilter(due=rng.choice(["overdue", "today", "week", "any"])),
        CaseFilter(status=CaseStatus.OPEN, due="any"),
    ]
    texts = ["", "å", "sadan", "s k", "Ø", '"', "NEAR(", "a OR", "K-", "k 7", "7", "sk*"]
    for _ in range(count):
        case_talks = rng.choice(talks)
        words = rng.choice(case_talks)
        first = rng.choice(words)
        texts += [first[:n] for n in range(1, len(first) + 1)]  # typed letter by letter
        # A second word from the same conversation, another one of the case, or anywhere.
        other = rng.choice([words, rng.choice(case_talks), rng.choice(rng.choice(talks))])
        second = rng.choice(other)
        texts.append(f"{first.upper()} {second[: rng.randint(1, len(second))]}")
        code = rng.choice(codes)
        texts += [code[2:4], code.lower(), code[2:], f"k {code[2:].lower()}", code.replace("-", "")]
    for text in texts:
        case_filter = rng.choice(filters)
        assert nb.find_case_ids(text, case_filter) == reference.ids(text, case_filter), (
            text,
            case_filter,
        )


def test_search_is_the_reference_search_on_demo_data(notebook) -> None:
    fill_demo(notebook, 150, seed=11)
    rng = random.Random(11)
    assert_search_like_reference(notebook, rng, 40)
    # And still after saves, new calls and status changes reorder and change the notes.
    case_ids = notebook.find_case_ids()
    for case_id in rng.sample(case_ids, 10):
        talk = notebook.conversations(case_id)[0]
        notebook.save_note(talk.id, Step.ADVISE, "Nyt møde på skolen om skolevægring.")
        notebook.set_status(case_id, CaseStatus.CLOSED)
    for case_id in rng.sample(case_ids, 5):
        notebook.save_note(notebook.new_conversation(case_id).id, Step.LISTEN, "Farmor ringer.")
    assert_search_like_reference(notebook, rng, 20)


def test_search_sees_every_change_at_once(notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = (datetime(2030, 1, 1, tzinfo=UTC) + timedelta(seconds=i) for i in range(10_000))
    monkeypatch.setattr(store_module, "now", lambda: next(ticks))  # one second per change
    a = _case_with_note(notebook, "Skolen ringer")
    b = _case_with_note(notebook, "Skolen igen")
    assert notebook.find_case_ids("skol") == [b, a]
    assert notebook.find_case_ids("") == [b, a]
    # A save moves its case first: the kept order is read again after any write.
    notebook.save_note(notebook.conversations(a)[0].id, Step.ADVISE, "ny aftale")
    assert notebook.find_case_ids("skol") == [a, b]
    notebook.set_status(b, CaseStatus.CLOSED)
    assert notebook.find_case_ids("skol") == [b, a]
    assert notebook.find_case_ids("skol", CaseFilter(status=CaseStatus.OPEN)) == [a]
    # An order read inside a transaction that is rolled back is not kept.
    with pytest.raises(RuntimeError), notebook.transaction() as db:
        db.execute("UPDATE cases SET updated_at = '9999' WHERE id = ?", (a,))
        assert notebook.find_case_ids("skol") == [a, b]
        raise RuntimeError("undo")
    assert notebook.find_case_ids("skol") == [b, a]
    c = notebook.new_case()
    assert notebook.find_case_ids("") == [c.id, b, a]


def test_search_index_refuses_ids_it_cannot_hold(notebook) -> None:
    case = notebook.new_case()
    with pytest.raises(sqlcipher3.DatabaseError), notebook.transaction() as db:
        db.execute(
            "INSERT INTO conversations (id, case_id, started_at, updated_at) "
            "VALUES (?, ?, '2030-01-01', '2030-01-01')",
            (2**32, case.id),
        )
    assert notebook.conversations(case.id) == []


def test_agenda_buckets(notebook) -> None:
    today = date(2030, 6, 15)
    case = notebook.new_case()
    due = {
        "late": today - timedelta(days=3),
        "now": today,
        "soon": today + timedelta(days=1),
        "edge": today + timedelta(days=7),
        "later": today + timedelta(days=8),
    }
    made = {
        k: notebook.save_follow_up(FollowUp(case.id, d, counsellor_task=k)) for k, d in due.items()
    }
    done = notebook.save_follow_up(FollowUp(case.id, today, counsellor_task="done"))
    notebook.mark_follow_up_done(done.id)
    agenda = notebook.agenda(today)

    def tasks(bucket: str) -> list[str]:
        return [item.follow_up.counsellor_task for item in agenda[bucket]]

    assert tasks("overdue") == ["late"]
    assert tasks("today") == ["now"]
    assert tasks("week") == ["soon", "edge"]
    assert all(item.case_code == case.code for items in agenda.values() for item in items)
    assert made["later"].id not in {i.follow_up.id for items in agenda.values() for i in items}


# ---------------------------------------------------------------------- call-back


def test_closing_deletes_callback_and_closed_case_refuses_one(notebook) -> None:
    case = notebook.new_case()
    notebook.set_callback(case.id, "  22 33 44 55 ")
    assert notebook.callback(case.id) == "22 33 44 55"
    notebook.set_status(case.id, CaseStatus.CLOSED)
    assert notebook.callback(case.id) is None
    assert notebook.case(case.id).closed_at is not None
    with pytest.raises(UserError) as info:
        notebook.set_callback(case.id, "22 33 44 55")
    assert str(info.value)
    assert notebook.callback(case.id) is None
    notebook.set_callback(case.id, None)  # deleting is always allowed


# ---------------------------------------------------------------------- retention


def test_purge_removes_text_of_old_closed_cases_only(
    created, notebook_path: Path, tmp_path: Path
) -> None:
    nb, _ = created
    nb.set_backup_dir(tmp_path / "bk")
    marker = "zqxpurgemarker"

    def build(tag: str, *, hold: bool = False) -> tuple[int, int]:
        case = nb.new_case(themes=["anxiety"], age_band=AgeBand.A6_9, retention_hold=hold)
        conv = nb.new_conversation(case.id)
        for step in Step:
            nb.save_note(conv.id, step, f"{tag} note {step.value}")
        nb.set_wellbeing(conv.id, "school", WellbeingLevel.STRUGGLING)
        nb.save_alliance(
            Alliance(case.id, Partner.SCHOOL, role=f"{tag} role", agreed=f"{tag} agreed")
        )
        nb.save_follow_up(
            FollowUp(
                case.id,
                date(2020, 1, 1),
                counsellor_task=f"{tag} c",
                parent_task=f"{tag} p",
                others_task=f"{tag} o",
            )
        )
        nb.record_concern(
            Concern(case.id, ConcernSigns.NO, ConcernDecision.NOT_NEEDED, reasoning=f"{tag} why")
        )
        nb.set_callback(case.id, f"{tag} phone")
        return case.id, conv.id

    old, _ = build(marker)
    held, _ = build("heldtext", hold=True)
    open_case, _ = build("opentext")
    nb.set_status(old, CaseStatus.CLOSED)
    nb.set_status(held, CaseStatus.CLOSED)
    nb.backup()  # an older backup holds the text; purge must replace it
    assert nb.purge() == 0  # nothing is old enough yet
    assert nb.purge(at=datetime.now(UTC) + timedelta(days=400)) == 1

    case = nb.case(old)
    assert case.purged_at is not None
    assert case.themes == ["anxiety"] and case.age_band is AgeBand.A6_9
    [conv] = nb.conversations(old)
    assert all(text == "" for text in conv.notes.values())
    assert conv.wellbeing == {"school": WellbeingLevel.STRUGGLING}
    assert nb.search(case.code)[0].latest_wellbeing is WellbeingLevel.STRUGGLING
    assert [(a.role, a.agreed) for a in nb.alliances(old)] == [("", "")]
    assert [(f.counsellor_task, f.parent_task, f.others_task) for f in nb.follow_ups(old)] == [
        ("", "", "")
    ]
    assert [c.reasoning for c in nb.concerns(old)] == [""]
    assert nb.callback(old) is None
    assert nb.find_case_ids(marker) == []
    # No token of the purged text is left in the full-text index (temp table: no write).
    nb.query("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, note_index, 'row')")
    terms = {row[0] for row in nb.query("SELECT term FROM temp.vocab")}
    nb.query("DROP TABLE temp.vocab")
    assert marker not in terms and "heldtext" in terms

    # The held and the open case are untouched.
    for cid, tag in ((held, "heldtext"), (open_case, "opentext")):
        assert nb.conversations(cid)[0].notes[Step.LISTEN] == f"{tag} note listen"
        assert nb.alliances(cid)[0].role == f"{tag} role"
        assert nb.follow_ups(cid)[0].counsellor_task == f"{tag} c"
        assert nb.concerns(cid)[0].reasoning == f"{tag} why"
        assert nb.case(cid).purged_at is None
        assert nb.find_case_ids(tag) == [cid]
    assert nb.callback(open_case) == "opentext phone"

    # One fresh backup replaced the older ones; a second purge does nothing.
    backups = [p for p in (tmp_path / "bk").iterdir() if p.suffix == ".cnb"]
    assert len(backups) == 1
    assert nb.purge(at=datetime.now(UTC) + timedelta(days=400)) == 0
    assert_absent(tmp_path, marker)
    nb.close()
    assert_absent(tmp_path, marker)


# ---------------------------------------------------------------------- disk errors


def test_storage_error_sentences_are_distinct() -> None:
    sentences = {
        code: str(storage_error(OSError(code, os.strerror(code)), "notebook.cnb"))
        for code in (errno.ENOSPC, errno.EROFS, errno.ENOENT, errno.EBADF)
    }
    assert all(s.strip() and "notebook.cnb" in s for s in sentences.values())
    assert len(set(sentences.values())) == len(sentences)
    assert all(isinstance(storage_error(OSError(c, "x"), "f"), StorageError) for c in sentences)


def test_backup_into_a_file_raises_storage_error(notebook, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageError) as info:
        notebook.backup(blocker)
    assert str(info.value)
    assert blocker.read_text() == "x"
    with pytest.raises(StorageError):
        notebook.backup(blocker / "sub")


def test_create_in_a_folder_that_is_a_file_raises_storage_error(tmp_path: Path, fast_kdf) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        Notebook.create(blocker / "nb.cnb", PASSPHRASE, kdf=fast_kdf)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_gives_a_user_error(created, notebook_path: Path) -> None:
    nb, _ = created
    nb.new_case()
    nb.close()
    os.chmod(notebook_path.parent, 0o555)
    os.chmod(notebook_path, 0o444)
    try:
        with pytest.raises(UserError), Notebook.open(notebook_path, PASSPHRASE) as again:
            again.new_case()
    finally:
        os.chmod(notebook_path.parent, 0o755)
        os.chmod(notebook_path, 0o644)


def test_autosaves_leave_index_merging_to_idle_time(notebook: Notebook) -> None:
    """Schema 5: no save merges the search index (FTS5 automerge off); tidy_index does it
    in steps while the app is idle, and search finds the same before and after."""
    (automerge,) = notebook.query("SELECT v FROM note_index_config WHERE k = 'automerge'")[0]
    assert automerge == 0
    case = notebook.new_case()
    conversation = notebook.new_conversation(case.id or 0)
    for i in range(40):
        notebook.save_note(conversation.id or 0, Step.LISTEN, f"skolevægring uge{i} mor{i}")
    before = [notebook.find_case_ids(text) for text in ("skole", "uge39", "mor3", "uge0")]
    assert before == [[case.id]] * 3 + [[]]  # each save replaced the text before it
    assert notebook.tidy_index(pages=16) > 0
    assert notebook.tidy_index() == 0  # nothing left to merge
    assert [notebook.find_case_ids(t) for t in ("skole", "uge39", "mor3", "uge0")] == before
    assert notebook.integrity_check()


def test_the_last_follow_up_done_opens_the_case_again(notebook: Notebook) -> None:
    case = notebook.new_case()
    case_id = case.id or 0
    first = notebook.save_follow_up(FollowUp(case_id=case_id, due=date(2026, 12, 1)))
    second = notebook.save_follow_up(FollowUp(case_id=case_id, due=date(2026, 12, 8)))
    assert notebook.case(case_id).status is CaseStatus.AWAITING_FOLLOW_UP
    notebook.mark_follow_up_done(first.id or 0)
    assert notebook.case(case_id).status is CaseStatus.AWAITING_FOLLOW_UP  # one still open
    notebook.save_follow_up(replace(second, done=True))  # done from the editor
    assert notebook.case(case_id).status is CaseStatus.OPEN
    notebook.mark_follow_up_done(first.id or 0, done=False)  # undone: awaited again
    assert notebook.case(case_id).status is CaseStatus.AWAITING_FOLLOW_UP
    notebook.set_status(case_id, CaseStatus.CLOSED)  # the counsellor's choice stays
    notebook.mark_follow_up_done(first.id or 0)
    assert notebook.case(case_id).status is CaseStatus.CLOSED
    assert [(c.old, c.new) for c in notebook.status_changes(case_id)][1:] == [
        (CaseStatus.OPEN, CaseStatus.AWAITING_FOLLOW_UP),
        (CaseStatus.AWAITING_FOLLOW_UP, CaseStatus.OPEN),
        (CaseStatus.OPEN, CaseStatus.AWAITING_FOLLOW_UP),
        (CaseStatus.AWAITING_FOLLOW_UP, CaseStatus.CLOSED),
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.txt", b"hej"), ("report.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8)],
)
def test_another_programs_file_is_not_called_a_damaged_notebook(
    tmp_path: Path, name: str, content: bytes
) -> None:
    """Chosen by mistake as a notebook: said to be no notebook, not a damaged one whose
    backup should be restored; and the file is left as it was."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NotANotebook) as raised:
        Notebook.open(path, PASSPHRASE)
    assert "ikke en notesbog" in str(raised.value)
    assert "sikkerhedskopi" not in str(raised.value)
    assert path.read_bytes() == content
