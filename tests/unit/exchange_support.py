"""Helpers for the exchange tests: real notebooks, planted identifiers, source figures."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from counsellor_app.core.domain import (
    Alliance,
    Concern,
    ConcernDecision,
    ConcernSigns,
    FollowUp,
    Partner,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.store import Notebook

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "anonymity_corpus" / "notes.jsonl"

#: The kinds the guard must always find (issue 4: names, CPR, phones, e-mails, addresses,
#: schools and other institutions, places). The corpus also marks some dates and case
#: numbers that the guard keeps on purpose or misses; those are not planted here.
PLANTED_KINDS = {
    "name",
    "cpr",
    "phone",
    "email",
    "url",
    "handle",
    "address",
    "postcode_town",
    "institution",
    "place",
    "municipality",
}

#: The call-back number a parent left: it must never leave the notebook.
CALLBACK = "29 87 65 43"


def corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def planted_identifiers() -> set[str]:
    """Every identifier of :data:`PLANTED_KINDS` in the corpus, as written."""
    found = set()
    for note in corpus():
        for span in note["spans"]:
            if span["kind"] in PLANTED_KINDS:
                found.add(note["text"][span["start"] : span["end"]])
    return found


def contains_word(haystack: str, needle: str) -> bool:
    """``needle`` appears in ``haystack`` as a whole word (or whole phrase)."""
    return re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", haystack) is not None


def plant_corpus_case(notebook: Notebook, at: datetime) -> int:
    """A case whose every free text holds notes of the annotated corpus, with a call-back
    number; returns its id."""
    notes = [note["text"] for note in corpus()]
    case = notebook.new_case(themes=["school_absence"], arenas=["school"])
    assert case.id is not None
    steps = list(Step)
    index = 0
    talk_count = 0
    # The last six notes go to the alliance, follow-up and concern (whatever the number
    # of notes in the corpus, odd or even); the others, two by two, to the conversations.
    body, rest = notes[:-6], notes[-6:]
    while index < len(body):
        talk = notebook.new_conversation(case.id, started_at=at.replace(day=1 + talk_count % 27))
        assert talk.id is not None
        for step in steps:
            notebook.save_note(talk.id, step, " ".join(body[index : index + 2]))
            index += 2
            if index >= len(body):
                break
        notebook.set_wellbeing(talk.id, "school", WellbeingLevel.STRUGGLING)
        talk_count += 1
    notebook.save_alliance(Alliance(case.id, Partner.SCHOOL, role=rest[0], agreed=rest[1]))
    notebook.save_follow_up(
        FollowUp(
            case.id,
            at.date(),
            counsellor_task=rest[2],
            parent_task=rest[3],
            others_task=rest[4],
        )
    )
    notebook.record_concern(
        Concern(
            case.id, ConcernSigns.UNSURE, ConcernDecision.TALK_WITH_SUPERVISOR, reasoning=rest[5]
        )
    )
    notebook.set_callback(case.id, CALLBACK)
    return case.id


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone().date() if moment else None


def source_figures(
    notebook: Notebook,
    period_from: date | None = None,
    period_to: date | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The dashboard's figures computed straight from a counsellor's notebook through the
    store's own API (independently of the exchange code)."""
    today = today or date.today()

    def within(day: date) -> bool:
        return (period_from is None or day >= period_from) and (
            period_to is None or day <= period_to
        )

    months: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    help_system: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    partners: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    movement = [[0] * 4 for _ in range(4)]
    cases = contacts = single = 0
    for case_id in notebook.find_case_ids():
        case = notebook.case(case_id)
        talks = [c for c in notebook.conversations(case_id) if within(_day(c.started_at))]  # type: ignore[arg-type]
        for alliance in notebook.alliances(case_id):
            if within(_day(alliance.created_at)):  # type: ignore[arg-type]
                partners[alliance.partner.value] += 1
        for follow_up in notebook.follow_ups(case_id):
            if within(follow_up.due):
                if follow_up.done:
                    done = _day(follow_up.done_at) or follow_up.due
                    outcomes["on_time" if done <= follow_up.due else "late"] += 1
                else:
                    outcomes["missed" if follow_up.due < today else "pending"] += 1
        for concern in notebook.concerns(case_id):
            if within(_day(concern.created_at)):  # type: ignore[arg-type]
                decisions[concern.decision.value] += 1
        if not talks:
            continue
        cases += 1
        contacts += len(talks)
        for talk in talks:
            day = _day(talk.started_at)
            assert day is not None
            months[f"{day:%Y-%m}"] += 1
            for step in talk.steps_covered():
                steps[step.value] += 1
        themes.update(case.themes)
        ages[case.age_band.value if case.age_band else "unknown"] += 1
        help_system[case.help_system.value if case.help_system else "unknown"] += 1
        levels = [lvl for talk in talks if (lvl := talk.overall_wellbeing()) is not None]
        if len(levels) >= 2:
            movement[levels[0].rank][levels[-1].rank] += 1
        elif levels:
            single += 1
    return {
        "cases": cases,
        "contacts": contacts,
        "months": dict(months),
        "themes": dict(themes),
        "ages": dict(ages),
        "help_system": dict(help_system),
        "steps": dict(steps),
        "partners": dict(partners),
        "outcomes": dict(outcomes),
        "decisions": dict(decisions),
        "movement": movement,
        "single": single,
    }


#: The tables a supervisor's imports write.
IMPORTED_TABLES = (
    "exchange_counsellors",
    "imported_bundles",
    "imported_cases",
    "imported_conversations",
    "imported_alliances",
    "imported_follow_ups",
    "imported_concerns",
)


def snapshot(notebook: Notebook) -> dict[str, list[Any]]:
    """Every row of the imported tables (to show that a refusal changed nothing)."""
    return {table: notebook.query(f"SELECT * FROM {table} ORDER BY 1") for table in IMPORTED_TABLES}


def nonzero(mapping: Any) -> dict[str, int]:
    """A figure mapping without its zero entries, with plain string keys."""
    return {str(k): v for k, v in mapping.items() if v}


def received_supervisor(folder: Path, kdf: Any) -> tuple[Notebook, list[str]]:
    """A supervisor's notebook (open; the caller closes it) holding real signed bundles of
    two counsellors' demo cases, and edge cases the demo may lack: no contact at all but a
    missed follow-up and a concern; one assessed contact only; a theme of a newer
    taxonomy; no age band. Returns it and the counsellors' ids (in import order)."""
    from datetime import time, timedelta

    from counsellor_app.core.demo import fill_demo
    from counsellor_app.core.domain import OVERALL, AgeBand, Role
    from counsellor_app.core.exchange import ensure_key_pair, export_bundle
    from counsellor_app.core.supervision import import_bundle
    from tests.helpers import PASSPHRASE

    today = date.today()
    edge = today - timedelta(days=100)
    supervisor = Notebook.create(folder / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=kdf)[0]
    key = ensure_key_pair(supervisor)
    ids = []
    for name, count, seed in (("anna", 50, 3), ("bo", 25, 5)):
        with Notebook.create(folder / f"{name}.cnb", PASSPHRASE, kdf=kdf)[0] as counsellor:
            fill_demo(counsellor, count, seed=seed)
            if name == "anna":
                silent = counsellor.new_case(themes=["school_absence"], age_band=AgeBand.A18_24)
                assert silent.id is not None
                counsellor.save_follow_up(FollowUp(silent.id, edge))
                counsellor.record_concern(
                    Concern(silent.id, ConcernSigns.YES, ConcernDecision.NOT_NEEDED)
                )
                odd = counsellor.new_case(themes=["sleep", "not_in_any_taxonomy_yet"])
                assert odd.id is not None
                talk = counsellor.new_conversation(
                    odd.id, started_at=datetime.combine(edge, time(12)).astimezone()
                )
                assert talk.id is not None
                counsellor.save_note(talk.id, Step.LISTEN, "Forælderen fortalte om søvnen.")
                counsellor.set_wellbeing(talk.id, OVERALL, WellbeingLevel.SEVERE)
            path = export_bundle(counsellor, key, folder / f"{name}.cnbundle", today=today).path
        ids.append(import_bundle(supervisor, path, accept_new=True).counsellor_id or "")
    return supervisor, ids


#: Identifiers an older version stored as they arrived (before imports were scanned).
UNSCANNED = "Mette Hansen ringer fra 22 33 44 55 og skriver til mette.hansen@example.dk."
#: What of :data:`UNSCANNED` must never be shown, printed or exported.
UNSCANNED_PARTS = ("Mette", "Hansen", "22 33 44 55", "mette.hansen@example.dk")


def plant_unscanned(notebook: Notebook, case_id: int) -> None:
    """Store ``UNSCANNED`` in every free text of imported case ``case_id`` and mark it
    unscanned (``identifiers_replaced`` NULL): as a version before imports were scanned
    left it, written with SQL into the real encrypted notebook."""
    with notebook.transaction() as db:
        columns = ", ".join(f"summary_{step.value} = ?" for step in Step)
        db.execute(
            f"UPDATE imported_conversations SET {columns} WHERE case_id = ?",
            (*[UNSCANNED] * len(Step), case_id),
        )
        db.execute(
            "UPDATE imported_alliances SET role = ?, agreed = ? WHERE case_id = ?",
            (UNSCANNED, UNSCANNED, case_id),
        )
        db.execute(
            "UPDATE imported_follow_ups SET counsellor_task = ?, parent_task = ?, "
            "others_task = ? WHERE case_id = ?",
            (UNSCANNED, UNSCANNED, UNSCANNED, case_id),
        )
        db.execute(
            "UPDATE imported_concerns SET reasoning = ? WHERE case_id = ?", (UNSCANNED, case_id)
        )
        db.execute("UPDATE imported_cases SET identifiers_replaced = NULL WHERE id = ?", (case_id,))


def older_supervisor(folder: Path, kdf: Any) -> tuple[Notebook, Notebook, int]:
    """A supervisor's notebook (open) that imported a real signed bundle of a counsellor's
    three cases (each with a contact, an alliance, a follow-up and a concern), the first
    of which is then stored as an older version stored it (:func:`plant_unscanned`); the
    counsellor's notebook (open); the planted case's row id. The caller closes both."""
    from counsellor_app.core.domain import Role
    from counsellor_app.core.exchange import ensure_key_pair, export_bundle
    from counsellor_app.core.supervision import import_bundle, imported_cases
    from tests.helpers import PASSPHRASE

    supervisor = Notebook.create(folder / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=kdf)[0]
    counsellor = Notebook.create(folder / "counsellor.cnb", PASSPHRASE, kdf=kdf)[0]
    for number in range(3):
        case = counsellor.new_case(themes=["sleep"])
        assert case.id is not None
        talk = counsellor.new_conversation(case.id)
        assert talk.id is not None
        for step in Step:
            counsellor.save_note(talk.id, step, f"Kontakt {number}: mor er bekymret for søvnen.")
        counsellor.save_alliance(Alliance(case.id, Partner.SCHOOL, role="Klasselærer"))
        counsellor.save_follow_up(FollowUp(case.id, date.today(), parent_task="Tale med AKT"))
        counsellor.record_concern(
            Concern(case.id, ConcernSigns.UNSURE, ConcernDecision.TALK_WITH_SUPERVISOR, None,
                    talk.id, "Talt med supervisor.")
        )  # fmt: skip
    bundle = export_bundle(counsellor, ensure_key_pair(supervisor), folder / "1.cnbundle").path
    import_bundle(supervisor, bundle, accept_new=True)
    first = imported_cases(supervisor)[0].id
    plant_unscanned(supervisor, first)
    return supervisor, counsellor, first
