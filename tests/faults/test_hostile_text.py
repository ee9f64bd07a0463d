"""Hostile text in notes: very long lines, control characters, right-to-left marks, emoji
sequences, half surrogate pairs and 1 MB pastes, through the autosave path, the search,
the de-identification, the export and the real ConversationEditor. No crash, no hang
(each step within a bound), and what was typed is what is kept.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from counsellor_app.core.anonymity import deidentify, find_identifiers
from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import ensure_key_pair, export_bundle, preview_export
from counsellor_app.core.exchange.format import MAX_TEXT
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import ImportStatus, import_bundle, imported_cases
from tests.faults.support import PASSPHRASE
from tests.helpers import FAST_KDF

ODD = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\r",
    "\t",
    "\x7f",
    "\u0085",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u0301\u0301\u0301",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇩🇰",
    "\U0010ffff",
    "\ud800",
    "\udfff",
    "שלום",
    "مرحبا",
    "Ⅻ",
    "ﷺ",
    '"*^:-()NEAR AND OR NOT',
    "Mette Hansen 010203-1234 tlf. 22 33 44 55",
]

hostile = st.lists(
    st.one_of(
        st.sampled_from(ODD),
        st.text(st.characters(exclude_categories=()), max_size=30),
        st.integers(1, 30_000).map(lambda n: "æ" * n),  # a long line
    ),
    max_size=12,
).map("".join)


def storable(text: str) -> str:
    """What the notebook keeps of ``text``: half surrogate pairs become U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Notebook, int]]:
    path = tmp_path_factory.mktemp("hostile") / "n.cnb"
    with Notebook.create(path, PASSPHRASE, kdf=FAST_KDF)[0] as made:
        case = made.new_case()
        talk = made.new_conversation(case.id)
        yield made, talk.id
        assert made.integrity_check()


@settings(
    derandomize=True,
    deadline=None,
    database=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile, query=hostile)
def test_hostile_text_is_kept_searched_and_deidentified(
    notebook: tuple[Notebook, int], text: str, query: str
) -> None:
    made, talk = notebook
    started = time.monotonic()
    made.save_note(talk, Step.LISTEN, text)
    assert made.conversation(talk).notes[Step.LISTEN] == storable(text)
    assert isinstance(made.find_case_ids(query), list)
    assert isinstance(made.find_case_ids(text[:200]), list)
    cleaned = deidentify(text)
    assert isinstance(cleaned.text, str)
    find_identifiers(cleaned.text)
    assert time.monotonic() - started < 10


def one_megabyte(seed: int) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < 1_000_000:
        part = rng.choice([*ODD[:-1], "Mor fortæller om skolen og morgenerne. ", "ord " * 50])
        if rng.random() < 0.01:
            part = "x" * 50_000  # a line of 50,000 characters without a space
        parts.append(part)
        size += len(part)
    return "".join(parts)


def test_a_1_mb_paste_is_saved_searched_and_exported(
    tmp_path: Path, notebook: tuple[Notebook, int]
) -> None:
    made, _talk = notebook
    text = one_megabyte(1)
    case = made.new_case()
    talk = made.new_conversation(case.id)
    started = time.monotonic()
    made.save_note(talk.id, Step.ADVISE, text)
    assert made.conversation(talk.id).notes[Step.ADVISE] == storable(text)
    assert case.id in made.find_case_ids("morgenerne")
    deidentify(text)
    assert time.monotonic() - started < 30
    # The export cuts a text longer than a bundle holds (visibly), it does not fail.
    with Notebook.create(tmp_path / "s.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
        0
    ] as supervisor:
        key = ensure_key_pair(supervisor)
        preview = preview_export(made)
        (shown,) = [t for t in preview.texts if t.case_id == case.id and t.field == "advise"]
        assert len(shown.text) == MAX_TEXT and shown.text.endswith("…")
        bundle = export_bundle(made, key, tmp_path / "b.cnbundle", preview=preview).path
        assert import_bundle(supervisor, bundle, accept_new=True).status == ImportStatus.IMPORTED
        texts = [
            c.summary[Step.ADVISE]
            for imported in imported_cases(supervisor)
            for c in imported.case.conversations
        ]
        assert shown.text in texts


def test_a_1_mb_paste_into_the_editor(qtbot: QtBot, notebook: tuple[Notebook, int]) -> None:
    from PySide6.QtCore import QMimeData

    from counsellor_app.gui.conversation import ConversationEditor

    made, _talk = notebook
    case = made.new_case()
    talk = made.new_conversation(case.id)
    editor = ConversationEditor(made, talk.id)
    qtbot.addWidget(editor)
    box = editor.editors[Step.LISTEN]
    text = one_megabyte(2).replace("\ud800", "").replace("\udfff", "")  # Qt drops them
    paste = QMimeData()
    paste.setText(text)
    started = time.monotonic()
    box.insertFromMimeData(paste)
    editor.guards[Step.LISTEN].refresh_now()  # the anonymity guard scans all of it once
    box.insertPlainText(" Og lidt mere.")
    assert editor.flush()
    took = time.monotonic() - started
    assert took < 30, f"a 1 MB paste took {took:.1f} s"
    kept = made.conversation(talk.id).notes[Step.LISTEN]
    assert kept == box.toPlainText()
    assert kept.endswith(" Og lidt mere.") and len(kept) > 1_000_000 - 1000
    editor.close()
