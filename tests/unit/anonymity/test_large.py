"""A large text scanned in worker processes, chunk by chunk, gives exactly the findings of
one scan of the whole text, also where one chunk decides about another. The chunks are
made small here (a few lines) and the workers two, so that the texts stay short."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time

import pytest

from counsellor_app.core.anonymity import Finding, deidentify, find_identifiers
from counsellor_app.core.anonymity.large import (
    deidentify_large,
    find_identifiers_large,
    scan_in_workers,
)
from counsellor_app.core.i18n import DEFAULT_LANGUAGE, set_language
from tests.unit.anonymity.test_paragraphs import SNIPPETS, real_notes


def key(findings: list[Finding]) -> list[tuple[int, int, str, str, str]]:
    return [(f.start, f.end, str(f.kind), f.placeholder, f.reason) for f in findings]


def in_chunks(text: str, chunk_chars: int = 300, start_method: str | None = None) -> list[Finding]:
    """The findings of ``text`` by two workers (never by the scan of the whole text that
    find_identifiers_large falls back on)."""
    found = scan_in_workers(text, workers=2, chunk_chars=chunk_chars, start_method=start_method)
    assert found is not None
    return found


def assert_same(text: str, chunk_chars: int = 300) -> list[Finding]:
    whole = find_identifiers(text)
    assert key(in_chunks(text, chunk_chars)) == key(whole)
    return whole


def test_real_notes_in_varied_orders_give_the_whole_text_findings() -> None:
    rng = random.Random(13)
    notes = real_notes()
    for chunk_chars in (1, 200, 1_500):
        shuffled = rng.sample(notes, len(notes))
        separators = [rng.choice(("\n", "\n\n", "\n\n\n", " ")) for _ in shuffled]
        text = "".join(note + sep for note, sep in zip(shuffled, separators, strict=True))
        assert len(assert_same(text, chunk_chars)) > 50


def test_what_one_chunk_learns_is_used_in_another() -> None:
    filler = "Vi talte om skolen og om hvordan ugen er gået.\n" * 8
    text = (
        "Mor ringer om sin datter Wenjuan, og om Mark.\n"  # names learnt here
        + filler
        + "Om morgenen kører far selv wenjuan i skole.\n"  # carried in lower case
        + filler
        + "Mark og de andre kom.\n"  # a name that is a word, at a sentence start
        + filler
        + "Hun skrev til mor,oliver igen.\n"  # glued to a sign
        + filler
        + "oliver kom hjem.\n"  # looked for everywhere
    )
    found = [text[f.start : f.end] for f in assert_same(text, 100)]
    assert found.count("Mark") == 2
    assert "wenjuan" in found
    assert found.count("oliver") == 2


def test_random_texts_of_pieces_of_notes_and_snippets() -> None:
    # What one part decides about another, cut anywhere: pieces of real notes and the
    # paragraph scanner's snippets (names learnt, carried, glued, deferred), in chunks of
    # random sizes.
    rng = random.Random(29)
    notes = real_notes()
    for _text in range(12):
        pieces = []
        for _piece in range(rng.randrange(20, 80)):
            if rng.random() < 0.5:
                note = rng.choice(notes)
                at = rng.randrange(len(note))
                pieces.append(note[at : at + rng.randrange(1, 400)])
            else:
                pieces.append(rng.choice(SNIPPETS))
        text = "".join(pieces)
        assert_same(text, rng.choice((1, 30, 200, 1_000)))


def test_many_names_and_unknown_words_learnt_in_one_chunk() -> None:
    # More names carried in lower case, and more lower-case words looked for, than a
    # chunk looks for one by one.
    rng = random.Random(5)
    made_up = sorted({"".join(rng.choice("bdfgklmnprstvz") + v for v in "aoi") for _ in range(80)})
    learnt = "".join(f"Mor ringer om sin søn {name.capitalize()}.\n" for name in made_up)
    glued = "".join(f"Hun skrev til x/{name} og «{name}» igen.\n" for name in made_up)
    subject = "".join(f"Hun skrev x/{name} har det bedre.\n" for name in made_up)
    lower = "".join(f"Om morgenen kører far selv {name} i skole.\n" for name in made_up)
    apart = "".join(f"min søn {name} kom hjem.\n" for name in made_up)
    filler = "Vi talte om skolen og om hvordan ugen er gået.\n" * 20
    for text in (learnt + filler + lower + filler + glued, apart + filler + subject + lower):
        found = [text[f.start : f.end] for f in assert_same(text, 200)]
        assert len(found) >= 2 * len(made_up)  # (found in more than the chunk they came from)


def test_lines_longer_than_a_chunk_and_empty_lines() -> None:
    notes = real_notes()
    long_line = " ".join(note.replace("\n", " ") for note in notes[:20])
    text = "\n\n" + long_line + "\n\n\n" + "\n".join(notes[20:30]) + "\n" + long_line + "\n"
    assert_same(text, 100)
    assert key(find_identifiers_large("\n" * 50, workers=2, chunk_chars=1, least_chars=0)) == []
    assert scan_in_workers("", workers=2) is None  # no chunk: nothing for a worker


def test_identifiers_broken_over_chunk_boundaries() -> None:
    # Where a chunk ends the text breaks a line; an identifier written across the break
    # is found (or not) as in the whole text.
    pieces = (
        "Ring til tlf. 20 30\n40 50 i dag.",
        "Mette\nHansen ringer.",
        "Vestergade 12,\n8000 Aarhus C.",
        "mail: mette.hansen@\ngmail.com",
        "www.example.\ndk/side",
        "født 03.03.\n2014",
        "tlf.\n+45 20 30 40 50",
        "Aarhus\nKommune har sagsnr.\n2023-1234.",
    )
    filler = "Vi talte om skolen.\n"
    text = "".join(filler + piece + "\n" for piece in pieces)
    for chunk_chars in (1, 15, 40):
        assert_same(text, chunk_chars)


def test_windows_line_ends() -> None:
    text = "\r\n".join(real_notes()[:25]).replace("\n", "\r\n")
    assert_same(text, 250)


def test_deidentify_large_gives_the_text_and_counts_of_deidentify() -> None:
    text = "\n".join(real_notes()[:40])
    whole = deidentify(text)
    large = deidentify_large(text, workers=2, chunk_chars=500, least_chars=0)
    assert large.text == whole.text
    assert large.counts == whole.counts
    assert key(large.findings) == key(whole.findings)


def test_no_worker_outlives_the_call() -> None:
    in_chunks("\n".join(real_notes()[:10]))
    assert multiprocessing.active_children() == []


def test_a_small_text_is_scanned_in_this_process() -> None:
    text = "\n".join(real_notes()[:10])
    # (a text below least_chars, or of one chunk, starts no worker)
    whole = key(find_identifiers(text))
    assert key(find_identifiers_large(text, workers=2)) == whole
    one_chunk = find_identifiers_large(text, workers=2, chunk_chars=len(text), least_chars=0)
    assert key(one_chunk) == whole


@pytest.mark.skipif(
    "spawn" not in multiprocessing.get_all_start_methods(), reason="no spawn start method"
)
def test_spawned_workers_give_the_same_findings_in_the_callers_language() -> None:
    text = "\n".join(real_notes()[:30])
    set_language("en")
    try:
        whole = key(find_identifiers(text))
        assert key(in_chunks(text, 400, start_method="spawn")) == whole
    finally:
        set_language(DEFAULT_LANGUAGE)
    assert key(find_identifiers(text)) != whole  # (the reasons are in Danish again)


def test_a_worker_killed_mid_scan_leaves_the_scan_to_the_caller(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = "\n".join(real_notes() * 4)
    killed: list[int] = []

    def kill_a_worker() -> None:
        for _ in range(10_000):
            workers = multiprocessing.active_children()
            if workers:
                os.kill(workers[0].pid or 0, signal.SIGKILL)
                killed.append(workers[0].pid or 0)
                return
            time.sleep(0.001)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    try:
        found = find_identifiers_large(text, workers=2, chunk_chars=500, least_chars=0)
    finally:
        killer.join()
    assert killed
    assert key(found) == key(find_identifiers(text))
    assert multiprocessing.active_children() == []
    assert "a worker of the parallel scan" in caplog.text
