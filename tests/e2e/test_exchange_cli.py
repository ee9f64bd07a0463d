"""public-key, export and import on the command line, as separate processes."""

from __future__ import annotations

import json
from pathlib import Path

from counsellor_app.core.exchange.crypto import decrypt
from counsellor_app.core.exchange.signing import verify
from counsellor_app.core.store import Notebook
from tests.e2e.helpers import run
from tests.unit.exchange_support import contains_word, planted_identifiers

PW = "pw-pw-pw-pw\n"


def test_public_key_export_import(tmp_path: Path, home: Path) -> None:
    supervisor = tmp_path / "supervisor.cnb"
    counsellor = tmp_path / "counsellor.cnb"
    assert run("init", str(supervisor), "--role", "supervisor", stdin=PW, home=home).returncode == 0
    made = run("demo", str(counsellor), "--cases", "30", "--seed", "5", stdin=PW, home=home)
    assert made.returncode == 0, made.stderr

    shown = run("public-key", str(supervisor), stdin=PW, home=home)
    assert shown.returncode == 0, shown.stderr
    key = shown.stdout.splitlines()[0]
    assert key.startswith("age1")
    pub = tmp_path / "supervisor.pub"
    assert key in pub.read_text(encoding="utf-8") and str(pub) in shown.stdout
    again = run(
        "public-key", str(supervisor), "--out", str(tmp_path / "k.pub"), stdin=PW, home=home
    )
    assert again.stdout.splitlines()[0] == key  # made once, the same ever after

    out = tmp_path / "to-supervisor.cnbundle"
    exported = run(
        "export", str(counsellor), "--to", str(pub), "--out", str(out), stdin=PW, home=home
    )
    assert exported.returncode == 0, exported.stderr
    assert str(out) in exported.stdout and "30" in exported.stdout
    assert "Identifikatorer erstattet" in exported.stdout  # Danish by default
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")

    # a counsellor not yet enrolled: refused, one line with the key's fingerprint
    refused = run("--lang", "en", "import", str(supervisor), str(out), stdin=PW, home=home)
    assert refused.returncode == 1
    (line,) = refused.stderr.strip().splitlines()
    assert out.name in line and "not enrolled" in line
    card = tmp_path / "counsellor.keycard"
    carded = run("key-card", str(counsellor), "--out", str(card), stdin=PW, home=home)
    assert carded.returncode == 0, carded.stderr
    fingerprint = next(
        t.split(": ")[1]
        for t in card.read_text(encoding="utf-8").splitlines()
        if t.startswith("fingerprint:")
    )
    assert fingerprint in line and fingerprint in carded.stdout
    enrolled = run("enrol", str(supervisor), str(card), stdin=PW, home=home)
    assert enrolled.returncode == 0, enrolled.stderr
    assert fingerprint in enrolled.stdout

    imported = run("import", str(supervisor), str(out), stdin=PW, home=home)
    assert imported.returncode == 0, imported.stderr
    assert out.name in imported.stdout and "30" in imported.stdout
    repeated = run("--lang", "en", "import", str(supervisor), str(out), stdin=PW, home=home)
    assert repeated.returncode == 0
    assert "already imported" in repeated.stdout

    # the key itself works as --to, and --since takes a day
    again_out = tmp_path / "again.cnbundle"
    by_key = run(
        "export",
        str(counsellor),
        "--to",
        key,
        "--out",
        str(again_out),
        "--since",
        "2000-01-01",
        stdin=PW,
        home=home,
    )
    assert by_key.returncode == 0, by_key.stderr

    # a tampered copy is refused with one plain line naming it; the good one still imports
    tampered = tmp_path / "tampered.cnbundle"
    data = bytearray(again_out.read_bytes())
    data[len(data) // 2] ^= 0x20
    tampered.write_bytes(bytes(data))
    mixed = run(
        "--lang",
        "en",
        "import",
        str(supervisor),
        str(tampered),
        str(again_out),
        stdin=PW,
        home=home,
    )
    assert mixed.returncode == 1
    lines = mixed.stderr.strip().splitlines()
    assert len(lines) == 1 and "tampered.cnbundle" in lines[0] and "altered" in lines[0]
    assert "Traceback" not in mixed.stderr
    assert again_out.name in mixed.stdout


def test_export_refuses_a_bad_key_and_a_bad_day(tmp_path: Path, home: Path) -> None:
    counsellor = tmp_path / "c.cnb"
    assert run("demo", str(counsellor), "--cases", "3", stdin=PW, home=home).returncode == 0
    bad_key = tmp_path / "bad.pub"
    bad_key.write_text("not a key\n", encoding="utf-8")
    out = tmp_path / "b.cnbundle"
    result = run(
        "export", str(counsellor), "--to", str(bad_key), "--out", str(out), stdin=PW, home=home
    )
    assert result.returncode == 1 and "bad.pub" in result.stderr and not out.exists()
    day = run(
        "export",
        str(counsellor),
        "--to",
        str(bad_key),
        "--out",
        str(out),
        "--since",
        "yesterday",
        stdin=PW,
        home=home,
    )
    assert day.returncode == 2 and "yesterday" in day.stderr


def test_planted_identifiers_stay_home(tmp_path: Path, home: Path) -> None:
    """A counsellor's note full of identifiers, exported on the command line: the bundle,
    decrypted with the supervisor's key, holds none of them."""
    supervisor = tmp_path / "s.cnb"
    counsellor = tmp_path / "c.cnb"
    run("init", str(supervisor), "--role", "supervisor", stdin=PW, home=home)
    run("init", str(counsellor), stdin=PW, home=home)
    key = run("public-key", str(supervisor), stdin=PW, home=home).stdout.splitlines()[0]
    notes = [
        json.loads(line)["text"]
        for line in (Path(__file__).parents[1] / "fixtures" / "anonymity_corpus" / "notes.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    from counsellor_app.core.domain import Step

    with Notebook.open(counsellor, "pw-pw-pw-pw") as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id or 0)
        notebook.save_note(talk.id or 0, Step.LISTEN, "\n".join(notes))
        notebook.set_callback(case.id or 0, "31 41 59 26")
    out = tmp_path / "b.cnbundle"
    result = run("export", str(counsellor), "--to", key, "--out", str(out), stdin=PW, home=home)
    assert result.returncode == 0, result.stderr
    with Notebook.open(supervisor, "pw-pw-pw-pw") as notebook:
        text = verify(decrypt(notebook, out.read_bytes(), out)).payload.decode("utf-8")
    assert [p for p in sorted(planted_identifiers()) if contains_word(text, p)] == []
    assert "31 41 59 26" not in text and "31415926" not in text


def test_accept_new_history_and_withdrawal(tmp_path: Path, home: Path) -> None:
    supervisor = tmp_path / "s.cnb"
    counsellor = tmp_path / "c.cnb"
    run("init", str(supervisor), "--role", "supervisor", stdin=PW, home=home)
    assert run("demo", str(counsellor), "--cases", "6", stdin=PW, home=home).returncode == 0
    key = run("public-key", str(supervisor), stdin=PW, home=home).stdout.splitlines()[0]
    out = tmp_path / "b.cnbundle"
    run("export", str(counsellor), "--to", key, "--out", str(out), stdin=PW, home=home)
    imported = run(
        "--lang", "en", "import", str(supervisor), str(out), "--accept-new", stdin=PW, home=home
    )
    assert imported.returncode == 0, imported.stderr
    assert "counsellor C-" in imported.stdout and "made " in imported.stdout
    history = run("--lang", "en", "imports", str(supervisor), stdin=PW, home=home)
    assert history.returncode == 0, history.stderr
    (line,) = history.stdout.strip().splitlines()
    assert out.name in line and "6 added" in line
    bundle_id = line.rsplit("(bundle ", 1)[1].rstrip(")")
    withdrawn = run(
        "--lang", "en", "withdraw", str(supervisor), "--bundle", bundle_id, stdin=PW, home=home
    )
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "6 cases" in withdrawn.stdout
    with Notebook.open(supervisor, "pw-pw-pw-pw") as notebook:
        assert notebook.query("SELECT count(*) FROM imported_cases")[0][0] == 0
    unknown = run("withdraw", str(supervisor), "--counsellor", "C-NOBODY2345", stdin=PW, home=home)
    assert unknown.returncode == 1 and "C-NOBODY2345" in unknown.stderr
    again = run("--lang", "en", "imports", str(supervisor), stdin=PW, home=home)
    assert "withdrawn" in again.stdout
