"""A letter's accent written as a character of its own (a combining mark, as "İlkay"
lower-cased gives: "i" + U+0307) never cuts an identifier short: the patterns' word
characters do not include such marks, and a match used to begin after one, leaving the
letters before it in the text."""

from __future__ import annotations

import pytest

from counsellor_app.core.anonymity import deidentify, find_identifiers
from counsellor_app.core.anonymity.paragraphs import ParagraphScanner

DOT = "\u0307"  # COMBINING DOT ABOVE
ACUTE = "\u0301"  # COMBINING ACUTE ACCENT


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        (f"mail: i{DOT}lkay.demir@hotmail.com i aften", f"i{DOT}lkay.demir@hotmail.com"),
        (f"skriv til ays{DOT}e.i{DOT}lkay@example.com", f"ays{DOT}e.i{DOT}lkay@example.com"),
        (f"snap: i{DOT}lkay_09 skriver om natten", f"i{DOT}lkay_09"),
        (f"insta: jose{ACUTE}_m22 er hendes", f"jose{ACUTE}_m22"),
        # A web address's pattern knows ASCII letters only: it began after the "ð".
        ("på Snapchat hedder hun heðin.dk og skriver", "heðin.dk"),
    ],
)
def test_an_address_or_handle_with_a_combining_mark_is_found_whole(
    text: str, identifier: str
) -> None:
    found = [text[f.start : f.end] for f in find_identifiers(text)]
    assert identifier in found
    cleaned = deidentify(text).text
    assert "lkay" not in cleaned and "m22" not in cleaned and "heð" not in cleaned


def test_the_paragraph_scanner_finds_the_same() -> None:
    text = f"Mor ringer.\nmail: i{DOT}lkay.demir@hotmail.com\nFar ringer også."
    whole = [(f.start, f.end, f.kind) for f in find_identifiers(text)]
    scanned = ParagraphScanner().scan(text)
    by_paragraph = [(f.start, f.end, f.kind) for p in scanned for f in p.findings]
    assert by_paragraph == whole
    assert any(text[start:end].startswith("i" + DOT) for start, end, _kind in whole)
