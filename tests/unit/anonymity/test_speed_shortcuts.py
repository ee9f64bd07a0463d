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
    for case in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        facts = TextFacts(text)
        facts.short = case % 2 == 0  # the plain searches of a short text, and the memos
        low = facts.low
        for cue in rng.sample(cues, len(cues)):
            if rng.random() < 0.5:
                assert facts.has(cue) == (cue in low)
            expected = [i for i in range(len(low)) if low.startswith(cue, i)]
            assert list(facts.places(cue)) == expected, (text, cue)
            assert facts.has(cue) == bool(expected)
            assert facts.has_any([cue, "zz"]) == bool(expected)
            starts = facts.cue_starts([cue, "x", "mob"])
            if starts is not None:
                every = {
                    i for i in range(len(low)) for c in (cue, "x", "mob") if low.startswith(c, i)
                }
                assert list(starts) == sorted(every), (text, cue)


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


def _generated(rng: random.Random, pieces: list[str], most: int) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, most)))


def test_a_short_text_finds_what_the_long_text_way_finds() -> None:
    """A short text's cues are searched for plainly (no memo, no vocabulary): every
    detector finds the same in it as the way of long texts finds."""
    from counsellor_app.core.anonymity.data import lexicon
    from counsellor_app.core.anonymity.names import find_name_parts
    from counsellor_app.core.anonymity.patterns import find_patterns
    from tests.unit.anonymity.corpus import FRAGMENTS, HOSTILE

    lex = lexicon()
    rng = random.Random(23)
    pieces = [*FRAGMENTS, *HOSTILE, "(a)", " a ", "snabel-a ", "gmail.com", "Sygehus Syd",
              "afsnit 12", "børneafdeling 3", "mobilepay box 38211", "elevnr. A20446"]  # fmt: skip
    for _ in range(400):
        text = _generated(rng, pieces, 40)
        found = []
        for short in (True, False):
            facts = TextFacts(text)
            facts.short = short
            found.append((find_patterns(facts, lex), find_name_parts(text, lex, facts)))
        assert found[0] == found[1], text


def test_a_text_without_a_digit_holds_no_number_a_detector_needs_one_for() -> None:
    """The detectors that are skipped where a text holds no digit find nothing in such a
    text, whatever cues and signs it holds."""
    from counsellor_app.core.anonymity.data import lexicon
    from counsellor_app.core.anonymity.patterns import DETECTORS, NEED_A_DIGIT, find_patterns
    from tests.unit.anonymity.corpus import FRAGMENTS, HOSTILE, PLANTED_NOTE

    lex = lexicon()
    rng = random.Random(29)
    pieces = [*FRAGMENTS, *HOSTILE, *PLANTED_NOTE.split(" ")]
    for _ in range(600):
        text = "".join(c for c in _generated(rng, pieces, 30) if not c.isdecimal())
        for detector in NEED_A_DIGIT:
            out: list = []  # type: ignore[type-arg]
            detector(TextFacts(text), lex, out)
            assert out == [], (detector.__name__, text)
        every: list = []  # type: ignore[type-arg]
        facts = TextFacts(text)
        for detector in DETECTORS:
            detector(facts, lex, every)
        assert find_patterns(text, lex) == every, text


def test_a_lower_case_name_is_found_as_a_whole_word_as_the_regex_finds_it() -> None:
    """A name carried in lower case is looked for by ``str.find`` and its neighbours'
    ``str.isalnum``: the places are those of the regex with ``[^\\W_]`` either side."""
    import re

    from counsellor_app.core.anonymity.names import _whole_words

    rng = random.Random(31)
    pieces = ["ana", "anna", "an", "a", "n", "x", "_", "-", " ", "1", "٣", "²", "é", "\u0301",
              "Ж", "’", "\n", "ANNA", "ß", "ﬁ"]  # fmt: skip
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for word in ("ana", "anna", "an", "a"):
            regex = [m.start() for m in re.finditer(rf"(?<![^\W_]){word}(?![^\W_])", text)]
            assert _whole_words(text, word) == regex, (text, word)


def test_the_name_pass_finds_the_word_before_as_prev_word_does() -> None:
    """The name pass's quicker ``prev_word`` (one reverse search where a full stop, a
    comma or a number stands before) gives what ``prev_word`` gives, at every offset."""
    from counsellor_app.core.anonymity.names import _prev_word
    from counsellor_app.core.anonymity.patterns import prev_word

    rng = random.Random(17)
    pieces = ["a", "Bo", "8000", " ", "  ", ".", ",", ". ", ", ", "\t", "\n", "-", "’", "'",
              "x" * 41, "hr.", "f.eks.", "İ", "(", "é", "٣", "²", "_"]  # fmt: skip
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        for pos in range(len(text) + 1):
            assert _prev_word(text, pos) == prev_word(text, pos), (text, pos)


def test_a_family_word_s_name_is_found_where_the_pattern_finds_it() -> None:
    """In a long text the lower-case name after "min søn" is looked for only before the
    family words the text has as words of their own: the matches are the pattern's."""
    from counsellor_app.core.anonymity.data import lexicon
    from counsellor_app.core.anonymity.names import _FAMILY_LOWER, _Scanner

    lex = lexicon()
    rng = random.Random(23)
    pieces = ["min", "Min", "MIN", "hendes", "xhendes", "_min", "søn", "SØN", "Søn", "datter",
              "lillebror", "bror", " ", "  ", "\t", "\n", "mads", "Mads", "ven", "venner", ".",
              "1", "her", "friend", "ſøn", "x" * 8, "é", "Ж"]  # fmt: skip
    for case in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        facts = TextFacts(text * rng.choice([1, 80]))
        facts.short = case % 2 == 0 and facts.short  # the long text's way on short ones too
        found = [m.span() for m in _Scanner(facts.text, lex, facts).family_matches()]
        assert found == [m.span() for m in _FAMILY_LOWER.finditer(facts.text)], text
