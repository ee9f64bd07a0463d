#!/usr/bin/env python3
"""Record what the de-identification engine finds, as the reference its tests compare with.

    python scripts/record_anonymity_expectations.py          # rewrite the recording
    python scripts/record_anonymity_expectations.py --check  # exit 1 if it differs

``tests/unit/anonymity/test_same_as_before.py`` runs the engine on the same inputs and
fails where the result differs from ``tests/fixtures/anonymity_expectations.jsonl``: a
change made for speed (or tidiness) must not change a single finding. After a change
that is MEANT to change findings (a new rule, a fixed miss), run this script and commit
the recording with the change; its diff shows what the change did.

The inputs: the corpus (``tests/fixtures/anonymity_corpus``, the notes in
``tests/unit/anonymity/corpus.py``), long notes made of it, fixed awkward texts and
texts drawn with a fixed seed from identifier-shaped and hostile fragments. Each record
holds the candidates of both detector stages, the findings and the de-identified text,
in full for the corpus, the fixed texts and some of the drawn ones, by digest for the
rest. Reasons are recorded in English (the message ids).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from counsellor_app.core import i18n  # noqa: E402
from counsellor_app.core.anonymity import deidentify, find_identifiers  # noqa: E402
from counsellor_app.core.anonymity.data import lexicon  # noqa: E402
from counsellor_app.core.anonymity.kinds import Candidate  # noqa: E402
from counsellor_app.core.anonymity.names import find_names  # noqa: E402
from counsellor_app.core.anonymity.patterns import find_patterns, prev_word  # noqa: E402
from tests.unit.anonymity.corpus import (  # noqa: E402
    CLEAN_NOTES,
    FRAGMENTS,
    HOSTILE,
    PLANTED_NOTE,
)

RECORDING = ROOT / "tests" / "fixtures" / "anonymity_expectations.jsonl"
CORPUS = ROOT / "tests" / "fixtures" / "anonymity_corpus" / "notes.jsonl"
#: Drawn texts recorded in full (the rest by digest, to keep the recording small).
DETAILED_RANDOM = 100
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Texts the engine once got wrong or that sit on the edge of a shortcut.
EXAMPLES = [
    "",
    "٣0101901234 ٣+4520304050 ٣0045 20 30 40 50",
    "ſagsnr. 2024-12 fødſelsdag 3.3.14 hedder Bo",
    "İ sagsnr. 12 født 3. maj 2014",
    "sagsnr. 1, caſe no 12, fıle number 7; født 1.1.11, bırthday 3/3, Bırth date 4.4",
    "a_b_c @x_y z_ _a a__b 9_x",
]


def corpus_texts() -> list[str]:
    """The clean notes, the planted note and the corpus of synthetic notes."""
    with CORPUS.open(encoding="utf-8") as handle:
        notes = [json.loads(line)["text"] for line in handle if line.strip()]
    return [*CLEAN_NOTES, PLANTED_NOTE, *notes]


def inputs() -> Iterator[tuple[str, str]]:
    """(name, text) of every text the engine is recorded on, always in the same order."""
    corpus = corpus_texts()
    for number, text in enumerate(corpus):
        yield f"corpus {number}", text
    long_note = "\n\n".join(corpus)
    yield "long note", long_note
    yield "long note, upper case", long_note.upper()
    yield "long note, lower case", long_note.lower()
    yield "long note, tabs", long_note.replace(" ", "\t")
    # Curly quotes push the text beyond Latin-1; then past the limit at which the runs of
    # digits are found by a regular expression instead.
    yield "long note, curly quotes", long_note.replace("'", "\u2019")
    yield "long note, many curly quotes", long_note.replace(" ", " \u2019 ")
    for number, text in enumerate(EXAMPLES):
        yield f"example {number}", text
    rnd = random.Random(20261123)
    pieces = FRAGMENTS + HOSTILE
    for number in range(1_500):
        yield f"random {number}", "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 60)))
    wide = "".join(rnd.choice(["ж", "٣", "1", " ", "12", "\u2019", "é"]) for _ in range(3_000))
    yield "wide", wide
    yield "wide, repeated", "Mor ringer fra 20 30 40 50 " * 40 + "ж" * 300 + " sagsnr. 2024-12345"


def prev_word_inputs() -> Iterator[tuple[str, str]]:
    """Texts on which ``prev_word`` is recorded at every position."""
    rnd = random.Random(7)
    pieces = FRAGMENTS + HOSTILE + ["x" * 45, "lærer" * 9, "Tre-", "’s ", ". ", "., "]
    for number in range(300):
        yield f"prev_word {number}", "".join(rnd.choice(pieces) for _ in range(40))
    for number, text in enumerate(corpus_texts()):
        yield f"prev_word corpus {number}", text


def _json(value: object) -> str:
    """JSON that stays readable (Danish letters as such) and valid UTF-8: the hostile
    inputs hold lone surrogates, which only an escape can carry."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _digest(value: object) -> str:
    return hashlib.sha256(_json(value).encode("utf-8")).hexdigest()[:16]


def _candidates(candidates: list[Candidate]) -> list[list[object]]:
    # Sorted: the detectors' candidates come in an order that follows string hashing
    # (different in every process); only the findings made of them have a fixed order.
    return sorted([c.start, c.end, c.kind.value, c.reason, c.priority, c.replacement]
                  for c in candidates)  # fmt: skip


def observe(name: str, text: str) -> dict[str, object]:
    """What the engine makes of ``text`` now, in the recording's shape."""
    lex = lexicon()
    language = i18n.current_language()
    i18n.set_language("en")  # reasons as message ids, whatever the tests run in
    try:
        stages: dict[str, object] = {
            "patterns": _candidates(find_patterns(text, lex)),
            "names": _candidates(find_names(text, lex)),
            "findings": [[f.start, f.end, f.kind.value, f.reason, f.replacement]
                         for f in find_identifiers(text)],
            "deidentified": deidentify(text).text,
        }  # fmt: skip
    finally:
        i18n.set_language(language)
    record: dict[str, object] = {"input": name, "text_sha256": _digest(text)}
    drawn = name.startswith("random ") and int(name.split()[1]) >= DETAILED_RANDOM
    if not drawn and not name.startswith("long note"):
        record.update(stages)
    else:  # by digest (the detailed inputs show what changed, in a readable diff)
        record["digest"] = _digest(stages)
        record["findings_count"] = len(stages["findings"])  # type: ignore[arg-type]
    return record


def observe_prev_words(name: str, text: str) -> dict[str, object]:
    """``prev_word`` at every position of ``text``, by digest."""
    words = [list(prev_word(text, pos)) for pos in range(len(text) + 1)]
    return {"input": name, "text_sha256": _digest(text), "prev_words": _digest(words)}


def record_all() -> list[dict[str, object]]:
    """Every record, in the order of the recording."""
    records = [observe(name, text) for name, text in inputs()]
    records += [observe_prev_words(name, text) for name, text in prev_word_inputs()]
    return records


def read_recording(path: Path = RECORDING) -> list[dict[str, object]]:
    """The records in the committed recording."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_recording(records: list[dict[str, object]], path: Path = RECORDING) -> None:
    path.write_text("".join(_json(record) + "\n" for record in records), encoding="utf-8")


def main() -> int:
    records = record_all()
    if "--check" in sys.argv[1:]:
        same = read_recording() == records
        print("the recording is up to date" if same else f"{RECORDING} differs from the engine")
        return 0 if same else 1
    write_recording(records)
    print(f"wrote {len(records)} records to {RECORDING.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
