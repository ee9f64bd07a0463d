"""The engine finds exactly what it found when the recording was made: same candidates
from both detector stages, same findings (spans, kinds, reasons, replacements) in the same
order, same de-identified text, same ``prev_word`` at every position.

The recording (``tests/fixtures/anonymity_expectations.jsonl``) is made by
``scripts/record_anonymity_expectations.py`` on the corpus, long notes, fixed awkward
texts and seeded texts of identifier-shaped and hostile fragments (the inputs are the
script's). This guards changes made for speed or tidiness. When a detector is changed
on purpose (a new rule, a fixed miss), these tests fail where the results differ: run
the script and commit the new recording with the change.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from counsellor_app.core.anonymity import names as engine_names
from counsellor_app.core.anonymity import patterns as engine_patterns
from counsellor_app.core.anonymity.patterns import FOLDS_APART, TextFacts

ROOT = Path(__file__).resolve().parents[3]
REGENERATE = (
    "if the change is meant: python scripts/record_anonymity_expectations.py, "
    "and commit tests/fixtures/anonymity_expectations.jsonl with it"
)


def _load_script() -> ModuleType:
    path = ROOT / "scripts" / "record_anonymity_expectations.py"
    spec = importlib.util.spec_from_file_location("record_anonymity_expectations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = _load_script()
RECORDED: dict[str, dict[str, object]] = {str(r["input"]): r for r in script.read_recording()}


def _first_difference(recorded: dict[str, object], now: dict[str, object]) -> str:
    for key in sorted(set(recorded) | set(now)):
        before, after = recorded.get(key), now.get(key)
        if before == after:
            continue
        if isinstance(before, list) and isinstance(after, list):
            for i, (b, a) in enumerate(zip(before, after, strict=False)):
                if b != a:
                    return f"{key}[{i}]: recorded {b!r}, now {a!r}"
            return f"{key}: recorded {len(before)} items, now {len(after)}"
        return f"{key}: recorded {before!r}, now {after!r}"
    return "no difference"


def _check(
    named_texts: list[tuple[str, str]], observe: Callable[[str, str], dict[str, object]]
) -> None:
    assert named_texts, "no inputs"
    changed = []
    for name, text in named_texts:
        recorded = RECORDED.get(name)
        now = observe(name, text)
        assert recorded is not None and recorded["text_sha256"] == now["text_sha256"], (
            f"the input {name!r} is not the recorded one (the corpus or the script's inputs "
            f"changed): python scripts/record_anonymity_expectations.py"
        )
        if recorded != now:
            changed.append(f"{name}: {_first_difference(recorded, now)}")
    assert not changed, f"{len(changed)} inputs differ from the recording ({REGENERATE}):\n" + (
        "\n".join(changed[:10])
    )


def test_the_recording_covers_every_input() -> None:
    names = [n for n, _ in script.inputs()] + [n for n, _ in script.prev_word_inputs()]
    assert list(RECORDED) == names, REGENERATE
    assert any(r.get("findings") for r in RECORDED.values()), "the recording finds nothing"


def test_the_corpus_note_by_note() -> None:
    _check([(n, t) for n, t in script.inputs() if n.startswith("corpus ")], script.observe)


def test_long_notes() -> None:
    long_notes = [(n, t) for n, t in script.inputs() if n.startswith("long note")]
    assert len(long_notes[0][1]) > 20_000
    _check(long_notes, script.observe)


def test_awkward_and_hostile_texts() -> None:
    chosen = [(n, t) for n, t in script.inputs() if n.startswith(("example ", "wide"))]
    _check(chosen, script.observe)


def test_many_random_texts() -> None:
    _check([(n, t) for n, t in script.inputs() if n.startswith("random ")], script.observe)


def test_the_previous_word_at_every_position() -> None:
    _check(list(script.prev_word_inputs()), script.observe_prev_words)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "0",
        "12 345 6789",
        "x٣٣1 ٣",
        "٣" * 300 + "12",
        "ж" * 300 + " 1 22 ٣33",
        "\ud800 12 \udfff3",
        "123",
        "a1b22c333",
    ],
)
def test_digit_runs_are_what_a_regex_finds(text: str) -> None:
    assert TextFacts(text).digit_runs == [m.span() for m in re.finditer(r"\d+", text)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A",
        "a",
        "Mor ringer. Hun siger",
        "aB 1C _D -E .F ÆØ øÅ ßÀ ×Ø Þ ÷Þ",
        "ĀbĀ ā Ж жЖ ΣΣ ·Ḁ ỿ ’Mads x’Y",
        "Ж" * 300 + " Mads Ж" + "ж" * 300 + " Ole",
        "\ud800Ab \udfffCd ?Ef",
        "Æble?Pære ?Q ??R",
    ],
)
def test_capital_starts_are_what_a_regex_finds(text: str) -> None:
    """The words led by a capital are found with bytes methods (a regex scan when the
    text has many characters beyond Latin-1): the same places as the regex's."""
    capitals = engine_patterns.CAPITALS
    scan = re.compile(rf"[{capitals}](?<![^\W_][{capitals}])")
    assert list(TextFacts(text).capital_starts) == [m.start() for m in scan.finditer(text)]
    _same_as_scanned(text)


def _same_as_scanned(text: str) -> None:
    """The patterns tried only where a word led by a capital starts find what they find
    scanning the whole text."""
    facts = TextFacts(text)
    words = facts.capital_words
    scanned = [m.span() for m in engine_names._CAP_TOKEN.finditer(text)]
    assert list(facts.capital_word_spans()) == scanned
    for pattern, starts in (
        (engine_names._CAPS_NAME, words.capital_next),
        (engine_names._CLUB, words.club),
        (engine_patterns._INITIALS, words.initial),
        (engine_names._CAP_TOKEN, facts.capital_starts),
    ):
        found = engine_patterns.matches_at(pattern, text, starts)
        assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "JENSEN METTE, A.K. og B93 mod HIK. K.K.A.B.C. Ab.A.K. AB12 A1 Æ.Ø. ÆØ ØÆ",
        "A.K. spiller i B93",
        "AB CD",
        "Ā. ĀĀ Ā1 ЖЖ Ж٣ Ж.Ж. Ж.Ж.",
        "Ж" * 300 + " JENSEN METTE A.B. B93",
        "Anne-Mette O'Brien O’Neil -Bo 'Ib ’Al Bo- Ib' A-1 Å-Ø-Æ ÅÅ-ÅÅ- A--B A'-B",
        "A-B",
        "Ab-",
    ],
)
def test_words_led_by_capitals_are_where_the_patterns_find_them(text: str) -> None:
    _same_as_scanned(text)


def test_capital_starts_on_every_character() -> None:
    """Every character up to U+2FFF (the capitals' ranges end at U+1EFF) and some beyond,
    after a letter, a space and a capital, and before a capital."""
    everything = [chr(c) for c in (*range(0x3000), 0xFF21, 0x1D400, 0x10FFFF)]
    capitals = engine_patterns.CAPITALS
    scan = re.compile(rf"[{capitals}](?<![^\W_][{capitals}])")
    for chunk in range(0, len(everything), 50):  # at most 256 beyond Latin-1 at a time
        text = "".join(
            f"{c}Ab {c} {c}C {c}AB.{c}A.B. A{c} A{c}B A-{c}B A’{c}"
            for c in everything[chunk : chunk + 50]
        )
        assert list(TextFacts(text).capital_starts) == [m.start() for m in scan.finditer(text)]
        _same_as_scanned(text)


def _cue_letters() -> set[str]:
    cues = (
        *engine_patterns._BIRTH_CUES,
        *engine_patterns._CASE_CUES,
        *engine_patterns._URL_CUES,
        *engine_names._NAMED_STARTS,
    )
    return {c for cue in cues for c in cue if c.isalpha()}


def test_only_the_listed_characters_fold_apart_from_lower() -> None:
    """The cue shortcut finds cues in ``text.lower()``; that is only safe if no other
    character matches a cue's letter under ``re.IGNORECASE`` than those that lower to it.
    """
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1))
    letters = _cue_letters()
    by_lower: dict[str, set[str]] = {letter: set() for letter in letters}
    for c in everything:
        lowered = c.lower()
        if len(lowered) != 1:
            assert c in FOLDS_APART, hex(ord(c))
        elif lowered in by_lower:
            by_lower[lowered].add(c)
    for letter in sorted(letters):
        by_regex = {m.group() for m in re.finditer(f"(?i:{re.escape(letter)})", everything)}
        assert by_regex ^ by_lower[letter] <= set(FOLDS_APART), letter


def test_the_month_letters_are_all_that_match_a_month_first_letter() -> None:
    """An exact date is tried after a number only where a month's first letter (as the
    pattern matches it, ignoring case) or a separator follows: no other letter matches."""
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1))
    firsts = {m[0] for m in re.findall(r"[a-zæøå]+", engine_patterns._MONTHS)}
    pattern = "(?i:[" + "".join(sorted(firsts)) + "])"
    assert set(re.findall(pattern, everything)) == engine_patterns.MONTH_FIRST


def test_many_lower_case_words_are_found_where_one_search_per_word_finds_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A text with more unknown lower-case words than ``_MANY_WORDS`` has them found in
    one pass: the same places as a search per word, glued or not, and the same names."""
    import random

    rng = random.Random(13)
    letters = "abdefghijklmnoprstuvyæøå"
    words = sorted(
        {"".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(300)}
    )
    glue = [" ", "  ", "-", "_", "'", "’", ".", ",", "(", ")", "/", "1", "x", "\n", "- ", "'s "]
    parts = ["min søn"]
    for _ in range(3000):
        parts.append(
            rng.choice(words) if rng.random() < 0.6 else rng.choice(["oliver", "lærer", "Mor", "ž"])
        )
        parts.append(rng.choice(glue))
    text = "".join(parts)
    many = engine_names._occurrences_of_many(text, words)
    assert sum(map(len, many.values())) > 500
    for word in words:
        assert many[word] == engine_names._occurrences(text, word), word
    from counsellor_app.core.anonymity.data import lexicon

    scanner = engine_names._Scanner(text, lexicon())
    in_one_pass = sorted(scanner.scan())
    assert len(scanner.lower_words) > engine_names._MANY_WORDS
    monkeypatch.setattr(engine_names, "_MANY_WORDS", 10**9)
    assert sorted(engine_names.find_names(text, lexicon())) == in_one_pass


def test_the_words_of_a_long_text_are_the_same_read_a_piece_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lower-case pass splits a long text into words a piece at a time, cutting at
    white space only (also where a line has no space): the words are the same."""
    from counsellor_app.core.anonymity.data import lexicon

    text = "\n".join(t for _n, t in script.inputs() if t)[:60_000] + "\nyazan\n\tmads\u2028oliver"
    whole = engine_names._Scanner(text, lexicon())
    whole.lower_case()
    monkeypatch.setattr(engine_names, "_PIECE", 7)
    pieces = engine_names._Scanner(text, lexicon())
    pieces.lower_case()
    assert pieces.lower_words == whole.lower_words
    assert sorted(pieces.out) == sorted(whole.out)


def test_a_finding_made_fast_is_the_dataclass_s() -> None:
    """``new_finding`` makes the object ``Finding(...)`` makes: equal, same hash, repr and
    fields (in order), still frozen."""
    import dataclasses

    from counsellor_app.core.anonymity.engine import Finding, new_finding
    from counsellor_app.core.anonymity.kinds import IdentifierKind

    made = new_finding(3, 9, IdentifierKind.NAME, "a name", "[navn]")
    plain = Finding(3, 9, IdentifierKind.NAME, "a name", "[navn]")
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert list(vars(made).items()) == list(vars(plain).items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.start = 4  # type: ignore[misc]


@pytest.mark.parametrize(
    "text", ["", "abc", "ABC ÆØÅ ÀÞ ß ÿ µ", "".join(map(chr, range(256))), "Æ İ Σ ΑΣ ǅ", "x\ud800"]
)
def test_the_lower_case_text_is_str_lower(text: str) -> None:
    assert TextFacts(text).low == text.lower()


def test_the_forms_of_names_are_found_where_a_look_behind_first_finds_them() -> None:
    """The pattern of a paragraph's name forms checks the character before a form after
    the form: the same matches as the look-behind before them all."""
    import random

    rng = random.Random(5)
    forms = ("Mette", "Mettes", "METTE", "mette", "Bo", "Bos", "Ærø", "Åse", "Åses", "Ib")
    pieces = [*forms, " ", "-", "_", "'", "’", "x", "1", ".", "\n", "Ø", "s"]
    old = re.compile(
        r"(?<![^\W_])(?:"
        + "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
        + r")(?![^\W_]|[-'’][^\W_])"
    )
    new = engine_names._forms_pattern(tuple(sorted(forms)))
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(40))
        assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)]
