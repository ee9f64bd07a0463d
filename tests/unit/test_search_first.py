"""Search as you type finds a screenful first (``Notebook.search_cases``): the same cases,
in the same order and under the same filters, as the full search (``find_case_ids``, which
tests/unit/test_store.py holds to a plain reference), while words are typed letter by
letter, filters change and notes are saved in between."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import CaseStatus, Step, WellbeingLevel
from counsellor_app.core.search import CaseFilter, CaseSearch
from counsellor_app.core.store import Notebook


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of 30 cases, filled 7 at a time: a demo notebook of 150 cases then has
    searches found in the window, beyond it, and half in it."""
    monkeypatch.setattr(CaseSearch, "window", 30)
    monkeypatch.setattr("counsellor_app.core.search.WINDOW_STEP", 7)


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text).lower().split()


def _typed(notebook: Notebook, rng: random.Random, count: int) -> list[str]:
    """Texts as a counsellor types them: a word letter by letter, then a second word, a
    case code, the field cleared; and odd input."""
    talks = [
        words
        for (notes,) in notebook.query(
            "SELECT note_listen || ' ' || note_advise || ' ' || note_alliances || ' ' || "
            "note_follow_up FROM conversations"
        )
        if (words := _words(notes))
    ]
    codes = [code for (code,) in notebook.query("SELECT code FROM cases")]
    texts = ["s", "sk", "sk*", '"', "NEAR(", "a OR", "K-", "k 7", ""]
    for _ in range(count):
        words = rng.choice(talks)
        first, second = rng.choice(words), rng.choice(words)
        texts += [first[:n] for n in range(1, len(first) + 1)]
        texts += [f"{first} {second[:n]}" for n in range(1, len(second) + 1)]
        code = rng.choice(codes)
        texts += [code[2:3], code[2:4], code[2:], code.lower(), ""]
    return texts


def assert_like_full_search(
    notebook: Notebook, text: str, case_filter: CaseFilter, first: int
) -> None:
    full = notebook.find_case_ids(text, case_filter)
    matches = notebook.search_cases(text, case_filter, first=first)
    found = matches.ids
    assert found == full[: len(found)], (text, case_filter)
    assert len(found) >= min(first, len(full)), (text, case_filter)
    assert not matches.complete or found == full, (text, case_filter)
    notebook.more_cases(matches)
    assert matches.complete and matches.ids == full, (text, case_filter)


def test_a_screenful_first_is_the_top_of_the_full_search(
    notebook: Notebook, small_window: None
) -> None:
    fill_demo(notebook, 150, seed=5)
    rng = random.Random(5)
    themes = sorted(
        {t for (themes,) in notebook.query("SELECT themes FROM cases") for t in json.loads(themes)}
    )
    filters = [
        CaseFilter(),
        CaseFilter(),
        CaseFilter(status=CaseStatus.OPEN),
        CaseFilter(theme=rng.choice(themes)),
        CaseFilter(wellbeing=rng.choice(list(WellbeingLevel))),
        CaseFilter(due="any"),
    ]
    case_ids = notebook.find_case_ids()
    case_filter = CaseFilter()
    for i, text in enumerate(_typed(notebook, rng, 25)):
        if not text or rng.random() < 0.05:
            case_filter = rng.choice(filters)
        if rng.random() < 0.08:  # an autosave, a new call, a case closed: the order moves
            case_id = rng.choice(case_ids)
            talks = notebook.conversations(case_id)
            if rng.random() < 0.5 and talks:
                notebook.save_note(talks[0].id, Step.ADVISE, f"Ny aftale {i} om skolestart.")
            elif rng.random() < 0.5:
                notebook.save_note(
                    notebook.new_conversation(case_id).id, Step.LISTEN, f"Farmor ringer {i}."
                )
            else:
                notebook.set_status(case_id, rng.choice(list(CaseStatus)))
        assert_like_full_search(notebook, text, case_filter, rng.choice([1, 5, 20, 200]))


def test_a_one_letter_search_stops_at_the_first_screenful(
    notebook: Notebook, small_window: None
) -> None:
    fill_demo(notebook, 150, seed=6)
    # The whole list (an unlock, nothing typed): its top only, counted from the notebook's
    # count, the rest read when asked for.
    everyone = notebook.search_cases("", first=5)
    assert everyone.ids == notebook.find_case_ids()[:5] and not everyone.complete
    assert everyone.countable and notebook.count_cases(everyone) == 150
    assert not everyone.complete  # counted without reading every case
    notebook.more_cases(everyone)
    assert everyone.complete and everyone.ids == notebook.find_case_ids()
    matches = notebook.search_cases("s", first=5)
    # Nearly every demo case has a word starting with s: found in the window, the rest not
    # looked for until asked.
    assert 5 <= len(matches.ids) <= CaseSearch.window and not matches.complete
    notebook.more_cases(matches)
    assert matches.ids == notebook.find_case_ids("s")


def test_notes_changed_in_a_rolled_back_transaction_are_found_as_they_are(
    notebook: Notebook, small_window: None
) -> None:
    fill_demo(notebook, 60, seed=8)
    top = notebook.find_case_ids()[0]
    talk = notebook.conversations(top)[0]
    assert notebook.search_cases("zebraunge").ids == []
    with pytest.raises(RuntimeError), notebook.transaction() as db:
        db.execute("UPDATE conversations SET note_listen = 'zebraunge' WHERE id = ?", (talk.id,))
        assert notebook.search_cases("zebraunge").ids == [top]  # seen inside it
        raise RuntimeError("rolled back")
    assert notebook.search_cases("zebraunge").ids == []
    notebook.save_note(talk.id, Step.LISTEN, "zebraungen")
    assert notebook.search_cases("zebraunge").ids == [top]
    assert_like_full_search(notebook, "zebra", CaseFilter(), 1)


def test_the_window_is_made_anew_when_it_has_grown(notebook: Notebook, small_window: None) -> None:
    """Filters and saves move cases into the window's index; past four windows it is
    made anew, and searches still find their screenful there."""
    fill_demo(notebook, 150, seed=9)
    themes = sorted(
        {t for (themes,) in notebook.query("SELECT themes FROM cases") for t in json.loads(themes)}
    )
    filters = [CaseFilter(status=status) for status in CaseStatus]
    filters += [CaseFilter(wellbeing=level) for level in WellbeingLevel]
    filters += [CaseFilter(theme=theme) for theme in themes]
    for case_filter in [*filters, CaseFilter(), *filters]:
        notebook.prepare_search(case_filter)
        assert_like_full_search(notebook, "s", case_filter, 5)
    matches = notebook.search_cases("s", first=5)
    assert len(matches.ids) >= 5 and not matches.complete  # from the window, not all
    notebook.more_cases(matches)
    assert matches.ids == notebook.find_case_ids("s")


def _filters(notebook: Notebook) -> list[CaseFilter]:
    themes = sorted(
        {t for (themes,) in notebook.query("SELECT themes FROM cases") for t in json.loads(themes)}
    )
    return [
        CaseFilter(),
        CaseFilter(status=CaseStatus.OPEN),
        CaseFilter(theme=themes[0]),
        CaseFilter(wellbeing=list(WellbeingLevel)[1]),
        CaseFilter(due="any"),
    ]


def test_letters_typed_and_deleted_find_what_the_full_search_finds(
    notebook: Notebook, small_window: None
) -> None:
    """Prefixes of one, two and more letters, typed on (narrowing the search before) and
    deleted again (back to a search before), under each filter, with a note saved on the
    way: each time the same cases, in the same order, as the full search."""
    fill_demo(notebook, 150, seed=11)
    top = notebook.find_case_ids()[0]
    talk = notebook.conversations(top)[0]
    words = ["skole", "mor bekymret", "angst"]
    for case_filter in _filters(notebook):
        for word in words:
            typed = [word[:n] for n in range(1, len(word) + 1)]
            deleted = typed[-2::-1]  # back to one letter
            again = [f"{word[:2]}{tail}" for tail in ("o", "ol")]  # other letters typed on
            for step, text in enumerate([*typed, *deleted, *again, ""]):
                for first in (1, 5, 20):
                    assert_like_full_search(notebook, text, case_filter, first)
                if step == len(typed):  # an autosave while a letter is deleted
                    notebook.save_note(talk.id, Step.ADVISE, f"Skolestart {word} {step}.")


def test_a_deleted_letter_gives_back_the_search_before_it(
    notebook: Notebook, small_window: None
) -> None:
    fill_demo(notebook, 150, seed=12)
    notebook.prepare_search()
    before = notebook.search_cases("sk", first=5)
    typed_on = notebook.search_cases("sko", first=5)
    assert typed_on.ids == notebook.find_case_ids("sko")[: len(typed_on.ids)]
    again = notebook.search_cases("sk", first=5)
    assert again is before  # nothing read again
    assert again.ids == notebook.find_case_ids("sk")[: len(again.ids)]
    # After a write the notebook's cases may have moved: searched again.
    notebook.save_note(
        notebook.conversations(notebook.find_case_ids()[-1])[0].id, Step.LISTEN, "sk"
    )
    moved = notebook.search_cases("sk", first=5)
    assert moved is not before and moved.ids == notebook.find_case_ids("sk")[: len(moved.ids)]
    # An emptied field starts anew: "s" typed again is searched again.
    notebook.search_cases("", first=5)
    assert notebook.search_cases("s", first=5) is not notebook.search_cases("", first=5)


def test_the_whole_list_is_read_from_its_top_and_counted_under_each_filter(
    notebook: Notebook, small_window: None
) -> None:
    fill_demo(notebook, 150, seed=13)
    for case_filter in _filters(notebook):
        for first in (1, 5, 200):
            notebook.set_meta("tick", str(first))  # a write: the order is not kept
            full = notebook.find_case_ids("", case_filter)
            notebook.set_meta("tick", f"{first}.")
            matches = notebook.search_cases("", case_filter, first)
            assert matches.ids == full[:first], case_filter
            assert notebook.count_cases(matches) == len(full), case_filter
            notebook.more_cases(matches)
            assert matches.ids == full and matches.complete


def test_a_word_no_note_holds_is_found_once_a_note_holds_it(
    notebook: Notebook, small_window: None
) -> None:
    """A word the notebook's index was found not to hold is not looked up again while it
    is typed on, until the notebook changes."""
    fill_demo(notebook, 150, seed=14)
    notebook.prepare_search()
    case_id = notebook.find_case_ids()[-1]
    for text in ["x", "xy", "xylo", "xylofon", "mor x", "mor xylo", "K-7 xylo"]:
        assert_like_full_search(notebook, text, CaseFilter(), 5)
    assert notebook.search_cases("xylofon").ids == []
    notebook.save_note(notebook.conversations(case_id)[0].id, Step.LISTEN, "mor og xylofonen")
    for text in ["xylo", "xylofon", "mor xylo", "mor xylofon"]:
        assert notebook.search_cases(text).ids == [case_id], text
        assert_like_full_search(notebook, text, CaseFilter(), 5)


def test_the_kept_order_follows_every_kind_of_change(notebook: Notebook) -> None:
    """The list's order is kept between searches and brought up to date with the cases a
    write changed (not read anew): after saves, new cases, status changes and follow-ups
    done, under each filter, it is what SQLite says it is."""
    fill_demo(notebook, 120, seed=15)
    rng = random.Random(15)
    today = date.today().isoformat()

    def reference(case_filter: CaseFilter) -> list[int]:
        where, params = ["1"], []
        if case_filter.status is not None:
            where.append("status = ?")
            params.append(case_filter.status.value)
        if case_filter.due == "overdue":
            where.append("id IN (SELECT case_id FROM follow_ups WHERE done = 0 AND due < ?)")
            params.append(today)
        sql = f"SELECT id FROM cases WHERE {' AND '.join(where)} ORDER BY updated_at DESC, id DESC"
        return [row[0] for row in notebook.query(sql, params)]

    filters = [CaseFilter(), CaseFilter(status=CaseStatus.OPEN), CaseFilter(due="overdue")]
    follow_ups = [row[0] for row in notebook.query("SELECT id FROM follow_ups WHERE done = 0")]
    for case_filter in filters:  # (one filter's order is kept at a time)
        for step in range(24):
            case_ids = reference(CaseFilter())
            kind = step % 4
            if kind == 0:
                case_id = rng.choice(case_ids[len(case_ids) // 2 :])  # from deep down
                talks = notebook.conversations(case_id)
                if talks:
                    notebook.save_note(talks[0].id, Step.ADVISE, f"Ny aftale {step}.")
            elif kind == 1:
                notebook.set_status(rng.choice(case_ids), rng.choice(list(CaseStatus)))
            elif kind == 2 and follow_ups:
                notebook.mark_follow_up_done(follow_ups.pop(), True)
            else:
                notebook.new_case()
            listed = reference(case_filter)
            assert notebook.find_case_ids("", case_filter) == listed, (step, case_filter)
            found = {
                row[0]
                for row in notebook.query(
                    "SELECT rowid >> 32 FROM note_index WHERE note_index MATCH '\"s\"*'"
                )
            }
            assert notebook.find_case_ids("s", case_filter) == [i for i in listed if i in found]
