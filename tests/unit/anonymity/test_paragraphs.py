"""The paragraph scanner finds exactly what a scan of the whole text finds, edit after edit,
also where one paragraph decides about another (a name learnt in one, marked in others)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from counsellor_app.core.anonymity import Finding, find_identifiers
from counsellor_app.core.anonymity.paragraphs import ParagraphScanner
from tests.unit.anonymity.corpus import CLEAN_NOTES, PLANTED_NOTE

NOTES = Path(__file__).resolve().parents[2] / "fixtures" / "anonymity_corpus" / "notes.jsonl"


def real_notes() -> list[str]:
    with NOTES.open(encoding="utf-8") as lines:
        planted = [json.loads(line)["text"] for line in lines if line.strip()]
    return [*planted, *CLEAN_NOTES, PLANTED_NOTE]


def key(findings: list[Finding]) -> list[tuple[int, int, str, str, str]]:
    return [(f.start, f.end, str(f.kind), f.placeholder, f.reason) for f in findings]


def scanned(scanner: ParagraphScanner, text: str) -> list[Finding]:
    paragraphs = scanner.scan(text)
    assert "\n".join(p.text for p in paragraphs) == text
    for paragraph in paragraphs:
        spans = [(f.start - paragraph.start, f.end - paragraph.start) for f in paragraph.findings]
        assert spans == list(paragraph.spans)
    return [f for p in paragraphs for f in p.findings]


def assert_same(scanner: ParagraphScanner, text: str) -> list[Finding]:
    full = find_identifiers(text)
    assert key(scanned(scanner, text)) == key(full), text
    return full


#: What a counsellor types or pastes: words, names, numbers, line breaks, and the cases
#: where one paragraph decides about another.
SNIPPETS = (
    " oliver", " Mark har", " mor,oliver", " x/yazan", " Tom", "Tom ", " min søn yazan",
    "\n", "\n\n", "Mark og de andre.\n", " lærer Mark", " tlf.\n", "\n22 33 44 55",
    " Aarhus", " hedder Sol", ", 12 år", " f. 2012", "[navn]", " Tharnika siger",
    " kører tharnika", "\ntharnika græder",
)  # fmt: skip


def test_random_edits_of_real_notes_find_what_the_whole_text_scan_finds() -> None:
    rng = random.Random(19)
    notes = real_notes()
    text = "\n".join(notes)
    scanner = ParagraphScanner()
    for _edit in range(250):
        assert_same(scanner, text)
        position = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.35:  # a piece of another note, as typed or pasted
            source = rng.choice(notes)
            at = rng.randrange(len(source))
            text = text[:position] + source[at : at + rng.randrange(1, 60)] + text[position:]
        elif choice < 0.65:
            text = text[:position] + text[position + rng.randrange(1, 40) :]
        else:
            text = text[:position] + rng.choice(SNIPPETS) + text[position:]
    assert_same(scanner, text)


def test_a_name_learnt_in_one_paragraph_is_marked_in_another_and_forgotten_with_it() -> None:
    scanner = ParagraphScanner()
    learnt = "Mark og de andre kom.\nHan talte med lærer Mark i går."
    assert len(assert_same(scanner, learnt)) == 2  # "Mark" at the start counts: learnt below
    forgotten = learnt.replace("lærer Mark", "lærer Hans")
    assert [f.start for f in assert_same(scanner, forgotten)] == [forgotten.index("Hans")]
    assert len(assert_same(scanner, learnt)) == 2


def test_a_name_found_capitalised_is_found_in_lower_case_in_another_paragraph() -> None:
    scanner = ParagraphScanner()
    alone = "Mor ringer om sin datter.\nOm morgenen kører far selv wenjuan i skole."
    assert assert_same(scanner, alone) == []  # an unknown lower-case word alone: no name
    named = alone.replace("sin datter", "sin datter Wenjuan")
    found = assert_same(scanner, named)
    assert [named[f.start : f.end] for f in found] == ["Wenjuan", "wenjuan"]
    assert assert_same(scanner, alone) == []  # and forgotten with it
    # A name that is also a word is not carried to another paragraph ("Sol" ... "sol").
    words = "Mor ringer om Sol på 7 år.\nHun elsker at ligge i sol om sommeren."
    assert [words[f.start : f.end] for f in assert_same(scanner, words)] == ["Sol"]


def test_a_lower_case_name_written_anywhere_is_found_where_it_is_glued_to_a_sign() -> None:
    scanner = ParagraphScanner()
    alone = "Hun skrev til mor,oliver igen.\nhan kom hjem."
    assert assert_same(scanner, alone) == []
    named = alone.replace("han kom", "oliver kom")
    assert len(assert_same(scanner, named)) == 2  # "mor,oliver" too, as the whole scan does
    assert assert_same(scanner, alone) == []
    # The paragraph with the glued word edited, the other left alone.
    assert len(assert_same(scanner, named.replace("igen", "i dag"))) == 2


def test_paragraphs_moved_keep_their_findings_at_their_new_places() -> None:
    scanner = ParagraphScanner()
    notes = real_notes()[:6]
    assert_same(scanner, "\n".join(notes))
    assert_same(scanner, "\n".join(reversed(notes)))
    assert_same(scanner, "Ny linje øverst.\n" + "\n".join(reversed(notes)))
    assert_same(scanner, "")
