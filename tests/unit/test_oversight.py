"""The supervisor's oversight on a real supervisor notebook holding real signed bundles:
per counsellor (cases, contacts, follow-ups, open concerns, last bundle) counted again by
hand from the cases read back, and the concern table of signs against decisions equal to
its plain definition, with "signs of serious risk, no notification, no reason" counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import CaseStatus, Concern, ConcernDecision, ConcernSigns, Role
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.i18n import set_language
from counsellor_app.core.oversight import (
    compute_concern_table,
    concern_table,
    counsellor_period,
    counsellor_periods,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    ImportStatus,
    import_bundle,
    imported_bundles,
    imported_cases,
    set_counsellor_label,
    withdraw_bundle,
)
from tests.helpers import FAST_KDF, PASSPHRASE

TODAY = date.today()
YES, UNSURE, NO = ConcernSigns.YES, ConcernSigns.UNSURE, ConcernSigns.NO
D = ConcernDecision


def _concern_cases(notebook: Notebook) -> None:
    """Concerns recorded today: three with signs of serious risk, no notification and no
    reason (one only spaces); the same signs with a notification, emergency help or a
    reason (not unexplained); one in a closed case (not open)."""
    plan: list[tuple[ConcernSigns, ConcernDecision, str, bool]] = [
        (YES, D.TALK_WITH_SUPERVISOR, "", False),
        (YES, D.NOT_NEEDED, "   ", False),
        (YES, D.PARENT_GUIDED_TO_MUNICIPALITY, "", False),
        (YES, D.NOTIFICATION_MADE, "", False),
        (YES, D.REFERRED_TO_EMERGENCY_HELP, "", False),
        (YES, D.NOT_NEEDED, "Barnet er i sikkerhed hos moster; talt med supervisor.", False),
        (UNSURE, D.TALK_WITH_SUPERVISOR, "", False),
        (YES, D.TALK_WITH_SUPERVISOR, "Sagen er lukket efter underretning.", True),
    ]
    for signs, decision, reason, closed in plan:
        case = notebook.new_case(themes=["anxiety"])
        assert case.id is not None
        notebook.new_conversation(case.id)
        notebook.record_concern(Concern(case.id, signs, decision, reasoning=reason))
        if closed:
            notebook.set_status(case.id, CaseStatus.CLOSED)
    # A case whose later record settles the earlier one: no open concern.
    settled = notebook.new_case(themes=["sleep"])
    assert settled.id is not None
    notebook.record_concern(
        Concern(settled.id, YES, D.NOTIFICATION_MADE, reasoning="Underretning.")
    )
    notebook.record_concern(Concern(settled.id, NO, D.NOT_NEEDED, reasoning="Ikke længere."))


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Notebook]:
    """Anna (demo cases and the concern cases, a first and a newer bundle), Bo (demo
    cases, named by the supervisor) and Cai (a bundle since withdrawn)."""
    folder: Path = tmp_path_factory.mktemp("oversight")
    with Notebook.create(folder / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
        0
    ] as notebook:
        key = ensure_key_pair(notebook)
        paths = []
        with Notebook.create(folder / "anna.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as anna:
            fill_demo(anna, 25, seed=4)
            paths.append(export_bundle(anna, key, folder / "anna-1.cnbundle", today=TODAY).path)
            _concern_cases(anna)
            paths.append(export_bundle(anna, key, folder / "anna-2.cnbundle", today=TODAY).path)
        for name, count, seed in (("bo", 12, 6), ("cai", 5, 8)):
            with Notebook.create(folder / f"{name}.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as other:
                fill_demo(other, count, seed=seed)
                paths.append(export_bundle(other, key, folder / f"{name}.cnbundle").path)
        for path in paths:
            assert import_bundle(notebook, path, accept_new=True).status == ImportStatus.IMPORTED
        history = imported_bundles(notebook)  # last imported first: cai, bo, anna-2, anna-1
        set_counsellor_label(notebook, history[1].counsellor_id, "Bo (tirsdage)")
        withdraw_bundle(notebook, history[0].bundle_id)
        yield notebook


def _ids(notebook: Notebook) -> tuple[str, str, str]:
    history = imported_bundles(notebook)
    return history[2].counsellor_id, history[1].counsellor_id, history[0].counsellor_id


def _by_hand(
    notebook: Notebook, who: str, start: date | None, end: date | None
) -> dict[str, object]:
    """The counsellor's figures counted from their cases read back whole."""

    def within(day: date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    cases = contacts = open_concerns = 0
    outcomes = dict.fromkeys(FollowUpOutcome, 0)
    for item in imported_cases(notebook, who):
        talks = [c for c in item.case.conversations if within(c.day)]
        cases += bool(talks)
        contacts += len(talks)
        for follow_up in item.case.follow_ups:
            if within(follow_up.due):
                outcomes[follow_up.outcome] += 1
        concerns = item.case.concerns
        if item.case.status != CaseStatus.CLOSED and concerns and concerns[-1].signs != NO:
            open_concerns += 1
    return {"cases": cases, "contacts": contacts, "follow_ups": outcomes, "open": open_concerns}


PERIODS = {
    "all time": (None, None),
    "last 90 days": (TODAY - timedelta(days=90), TODAY),
    "today": (TODAY, TODAY),
    "a year ago": (TODAY - timedelta(days=400), TODAY - timedelta(days=300)),
    "long ago": (date(1990, 1, 1), date(1990, 12, 31)),
}


@pytest.mark.parametrize("period", PERIODS)
def test_each_counsellors_period_equals_a_count_by_hand(supervisor: Notebook, period: str) -> None:
    start, end = PERIODS[period]
    found = counsellor_periods(supervisor, start, end)
    assert {p.counsellor_id for p in found} == set(_ids(supervisor))
    for item in found:
        hand = _by_hand(supervisor, item.counsellor_id, start, end)
        assert item.cases == hand["cases"], item.counsellor_id
        assert item.contacts == hand["contacts"]
        assert item.follow_ups == hand["follow_ups"]
        assert item.open_concerns == hand["open"]
        due = item.follow_ups_due
        assert due == sum(hand["follow_ups"].values()) - hand["follow_ups"][FollowUpOutcome.PENDING]  # type: ignore[attr-defined]
    if period == "long ago":
        assert all(p.cases == p.contacts == p.follow_ups_due == 0 for p in found)


def test_the_view_names_the_last_bundle_open_concerns_and_the_label(supervisor: Notebook) -> None:
    anna, bo, cai = _ids(supervisor)
    mine = counsellor_period(supervisor, anna)
    newest = imported_bundles(supervisor, anna)
    assert mine.last_bundle is not None and mine.last_bundle.bundle_id == newest[0].bundle_id
    # The newer bundle carries what changed since the first: the nine concern cases.
    assert mine.last_bundle.sequence == 2 and mine.last_bundle.case_count == 9
    # The unexplained, emergency, notified-and-reasoned and unsure ones; not the closed
    # case, not the case whose latest record shows no signs.
    assert mine.open_concerns >= 7
    assert counsellor_period(supervisor, bo).display_name == "Bo (tirsdage)"
    withdrawn = counsellor_period(supervisor, cai)
    assert withdrawn.last_bundle is None and withdrawn.cases == 0 and withdrawn.display_name == cai
    # Only the chosen period counts: today holds Anna's concern cases' contacts.
    today = counsellor_period(supervisor, anna, TODAY, TODAY)
    assert today.cases >= 8 and today.cases < mine.cases
    with pytest.raises(KeyError):
        counsellor_period(supervisor, "C-NOBODY2345")


@pytest.mark.parametrize("period", PERIODS)
def test_the_concern_table_equals_its_plain_definition(supervisor: Notebook, period: str) -> None:
    start, end = PERIODS[period]
    for who in (None, *_ids(supervisor)):
        cases = [item.case for item in imported_cases(supervisor, who)]
        assert concern_table(supervisor, start, end, who) == compute_concern_table(
            cases, start, end, who
        )


def test_serious_signs_without_notification_or_reason_stand_out(supervisor: Notebook) -> None:
    anna, bo, _cai = _ids(supervisor)
    table = concern_table(supervisor, TODAY, TODAY, anna)
    assert table.unexplained == 3
    for decision in (D.TALK_WITH_SUPERVISOR, D.NOT_NEEDED, D.PARENT_GUIDED_TO_MUNICIPALITY):
        assert table.flagged(YES, decision)
    for decision in (D.NOTIFICATION_MADE, D.REFERRED_TO_EMERGENCY_HELP):
        assert table.counts[(YES, decision)] >= 1 and not table.flagged(YES, decision)
    assert not table.flagged(UNSURE, D.TALK_WITH_SUPERVISOR)
    assert table.counts[(YES, D.NOT_NEEDED)] == 2 and table.without_reason[(YES, D.NOT_NEEDED)] == 1
    # The reasoned and the closed case's concern are without notification but not unexplained.
    assert table.serious_without_notification == 5
    set_language("en")
    try:
        assert table.sentence() == (
            "3 concerns with signs of serious risk have no notification and no reason."
        )
    finally:
        set_language("da")
    assert table.sentence() == (
        "3 bekymringer med tegn på alvorlig risiko har ingen underretning og ingen begrundelse."
    )
    calm = concern_table(supervisor, date(1990, 1, 1), date(1990, 12, 31), bo)
    assert calm.total == 0 and calm.unexplained == 0 and "Ingen" in calm.sentence()
