"""The sped-up detectors find exactly what the scanning ones found: same spans, kinds,
reasons and replacements, in the same order.

The implementation before the speed-up is kept, frozen, in ``oracle/`` (it runs every
pattern over the whole text). Both run here on the corpus, on long notes, on generated
texts made of identifier-shaped fragments, and on hostile text (digits of other scripts,
letters that fold oddly, signs in odd places).

This guards a change made for speed only. When a detector is changed on purpose (a new
rule, a fixed miss), these tests fail where the results differ: then copy the changed
modules into ``oracle/`` as the new reference (or retire it), in the same commit.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counsellor_app.core.anonymity import deidentify, find_identifiers
from counsellor_app.core.anonymity import names as new_names
from counsellor_app.core.anonymity import patterns as new_patterns
from counsellor_app.core.anonymity.data import lexicon
from counsellor_app.core.anonymity.patterns import FOLDS_APART, TextFacts

from .corpus import CLEAN_NOTES, FRAGMENTS, PLANTED_NOTE
from .oracle import engine as old_engine
from .oracle import names as old_names
from .oracle import patterns as old_patterns

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "anonymity_corpus" / "notes.jsonl"

#: Fragments aimed at the new shortcuts: where a number may start, what a cue looks like,
#: digits of other scripts, letters whose case folds apart from ``str.lower``.
HOSTILE = [
    "٣", "٠١", "０", "１２", "߁", "१२", "𝟗", "²", "½", "3٣", "٣3", "+", "++", "+45 ", "0045 ",
    "00", "0", "1", "12", "123", "2024", "1999-", "12345", "2024-49796", "-", "/", ".", ",",
    " ", "  ", "\t", "\n", "den ", "Den ", "d.", "19", "20", "3. maj", "3.maj", "3 maj",
    "3maj", "27/11-2023", "1/2", "3-1", "10.30", "İ", "ı", "ſ", "K", "Å", "ß", "Σ", "_",
    "__", "a_b", "_x", "@", "@@", "x@y.dk", "a", "Vej", "vej 1", "gade 12", "St ", "Road",
    "Sagsnr", "SAGS", "ſagsnr. ", "journalnr", "J.nr.", "jr.", "Ref:", "ref.", "CPR-nr",
    "case no ", "File number ", "caſe no ", "fıle no ", "bırthday ", "Bırth date ",
    "Født ", "FØDT ", "fødſelsdag ", "f. ", "F.", "fylder 13 ",
    "born ", "BIRTHDAY ", "birth date ", "date of birth ", "DOB:", "d.o.b. ", "hedder ",
    "Hed ", "hed\t", "kaldet ", "KALDES ", "navnet ", "named ", "name is ", "called ",
    "http://", "HTTPS://", "www.", "WWW.", "Www.x.dk", "snap: ", "Snapchat=", ":", "=",
    "\u2019", "\u201c", "–", "😀", "\ud800", "\x00", "lærer ", "(lærer ", "hr. ", "x/lærer ",
    "8000 Aarhus C", "Vestergade 12, 3. th.", "12 Baker Street", "Oliver", "min søn ",
]  # fmt: skip

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(FRAGMENTS + HOSTILE), max_size=50).map("".join),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)), max_size=50).map("".join),
)


def _findings(module_find: object, text: str) -> list[tuple[object, ...]]:
    findings = module_find(text)  # type: ignore[operator]
    return [(f.start, f.end, f.kind, f.reason, f.replacement) for f in findings]


def assert_same(text: str) -> None:
    """Every stage gives what it gave before: candidates in order, then the findings."""
    lex = lexicon()
    assert new_patterns.find_patterns(text, lex) == old_patterns.find_patterns(text, lex)
    assert new_names.find_names(text, lex) == old_names.find_names(text, lex)
    assert _findings(find_identifiers, text) == _findings(old_engine.find_identifiers, text)


def _corpus_texts() -> list[str]:
    with CORPUS.open(encoding="utf-8") as f:
        notes = [json.loads(line)["text"] for line in f if line.strip()]
    return [*CLEAN_NOTES, PLANTED_NOTE, *notes]


def test_the_corpus_note_by_note() -> None:
    for text in _corpus_texts():
        assert_same(text)


def test_long_notes() -> None:
    texts = _corpus_texts()
    long_note = "\n\n".join(texts)
    assert len(long_note) > 20_000
    assert_same(long_note)
    assert_same(long_note.upper())
    assert_same(long_note.lower())
    assert_same(long_note.replace(" ", "\t"))
    # Curly quotes and dashes push the text beyond Latin-1; then past the limit at which
    # the runs of digits are found by a regular expression instead.
    assert_same(long_note.replace("'", "\u2019"))
    assert_same(long_note.replace(" ", " \u2019 "))
    assert deidentify(long_note).text == old_engine.deidentify(long_note).text


@SETTINGS
@given(texts)
@example("")
@example("٣0101901234 ٣+4520304050 ٣0045 20 30 40 50")
@example("ſagsnr. 2024-12 fødſelsdag 3.3.14 hedder Bo")
@example("İ sagsnr. 12 født 3. maj 2014")
@example("sagsnr. 1, caſe no 12, fıle number 7; født 1.1.11, bırthday 3/3, Bırth date 4.4")
@example("a_b_c @x_y z_ _a a__b 9_x")
def test_generated_and_hostile_texts(text: str) -> None:
    assert_same(text)


def test_many_random_texts() -> None:
    rnd = random.Random(20261123)
    pieces = FRAGMENTS + HOSTILE
    for _ in range(3_000):
        assert_same("".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 60))))
    # Beyond Latin-1 with many characters: the other way of finding digit runs.
    wide = "".join(rnd.choice(["ж", "٣", "1", " ", "12", "\u2019", "é"]) for _ in range(3_000))
    assert_same(wide)
    assert_same("Mor ringer fra 20 30 40 50 " * 40 + "ж" * 300 + " sagsnr. 2024-12345")


def test_the_previous_word_at_every_position() -> None:
    rnd = random.Random(7)
    pieces = FRAGMENTS + HOSTILE + ["x" * 45, "lærer" * 9, "Tre-", "’s ", ". ", "., "]
    texts = ["".join(rnd.choice(pieces) for _ in range(40)) for _ in range(300)]
    for text in [*texts, *_corpus_texts()]:
        for pos in range(len(text) + 1):
            assert new_patterns.prev_word(text, pos) == old_patterns.prev_word(text, pos)


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


def _cue_letters() -> set[str]:
    cues = (
        *new_patterns._BIRTH_CUES,
        *new_patterns._CASE_CUES,
        *new_patterns._URL_CUES,
        *new_names._NAMED_STARTS,
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
