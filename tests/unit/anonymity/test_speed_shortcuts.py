"""The engine's shortcuts for speed give what the plain way gives (issue 13)."""

from __future__ import annotations

import random
import sys

from counsellor_app.core.anonymity.patterns import TextFacts


def test_only_f_and_dot_lower_to_them() -> None:
    """The birth-date detector finds "f." and "F." as "f." in the lower-cased text: no
    other character lowers to "f", ".", ":" or "/" (links are gated on "://" there)."""
    others = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if chr(code) not in "fF.:/" and any(sign in chr(code).lower() for sign in "f.:/")
    ]
    assert others == []


def test_places_of_cues_are_every_place_asked_in_any_order() -> None:
    """Each cue's places (found among a shorter cue's places, where a rare sign is, or
    by a search, or known absent from the text's words) are every place where it is
    written, whatever was asked before."""
    rng = random.Random(13)
    pieces = ["mob", "mobil", "mobilepay", "(a)", "(at)", " (", "[a]", "pas", "s", " ", "x",
              "MOB", "Pas", "é", "É", "Σ", "\u2028", "\n", "\t"]  # fmt: skip
    cues = ["mob", "mobile", "mobilepay", "(a)", "(at)", "(", "[a]", "pas", "pass", "ss", "x",
            "mob ", " pas", "é", "x é"]  # fmt: skip
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        facts = TextFacts(text)
        low = facts.low
        for cue in rng.sample(cues, len(cues)):
            if rng.random() < 0.5:
                assert facts.has(cue) == (cue in low)
            expected = [i for i in range(len(low)) if low.startswith(cue, i)]
            assert list(facts.places(cue)) == expected, (text, cue)
            assert facts.has(cue) == bool(expected)
            assert facts.has_any([cue, "zz"]) == bool(expected)


def test_a_slice_of_the_lower_case_text_is_the_slice_lower_cased() -> None:
    """``lower_slice`` is ``text[i:j].lower()`` for every slice, in Latin-1 texts (a
    slice of the lower-cased text) and in others (where a letter's lower case may depend
    on the letters beside it: "ΑΣ" ends in "ς", or be two letters: "İ")."""
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(256)] + ["Σ", "Α", "İ", "ſ", "Ж", "’"]
    for _ in range(100):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        facts = TextFacts(text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 2):
                assert facts.lower_slice(start, end) == text[start:end].lower(), text


def test_an_english_street_word_is_found_where_a_capitalised_word_starts() -> None:
    """One scan for the street word where no letter or digit precedes it finds one
    exactly when the street word matches at one of the words led by a capital."""
    from counsellor_app.core.anonymity import patterns

    rng = random.Random(11)
    pieces = ["St", "Street", "Rd", "Road", "Ave", "Lane", "Blvd", "Way", "x", "1", " ", ".",
              "-", "_", "é", "Ж", "’", "Streets", "Ståd", "Ste"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        plain = any(
            text[start] in patterns._EN_STREET_FIRSTS
            and patterns._EN_STREET_WORD.match(text, start)
            for start in TextFacts(text).capital_starts
        )
        assert bool(patterns._EN_STREET_AT_WORD.search(text)) == plain, text


def test_a_handle_cue_is_only_skipped_where_the_pattern_finds_none() -> None:
    """Before a ":" the handle's cue pattern is tried only where the lower-cased text
    before it (spaces and tabs cut) ends with a cue word: wherever the pattern matches,
    it does."""
    from counsellor_app.core.anonymity import patterns

    rng = random.Random(17)
    words = list(patterns._HANDLE_CUE_WORDS)
    pieces = [*words, *(w.upper() for w in words), " ", "\t", "x", "X", ".", "1", "é", "elevnrZ"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        if patterns._HANDLE_CUE.search(text, max(0, len(text) - 20)):
            before = text[max(0, len(text) - 20) :].lower().rstrip(" \t")
            assert before.endswith(patterns._HANDLE_CUE_ENDINGS) or before[:-1].endswith(
                patterns._HANDLE_CUE_ENDINGS_BEFORE_ONE
            ), text
