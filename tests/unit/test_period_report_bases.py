"""The period report states its bases, read back from the PDF (pypdf) and looked at
(pdftoppm): "improved" of the cases assessed twice, the days "all contacts" covered, the
counts per counsellor for the chosen period, and the table of concern signs against
decisions in which "signs of serious risk, no notification and no reason" is red."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from PIL import Image
from pypdf import PdfReader

from counsellor_app.core.dashboard import dashboard
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, Role
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.i18n import format_locale, set_language
from counsellor_app.core.oversight import concern_table, counsellor_periods
from counsellor_app.core.reports import write_period_report
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle
from tests.helpers import FAST_KDF, PASSPHRASE

TODAY = date.today()


@pytest.fixture(scope="module")
def supervisor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Notebook]:
    """Two counsellors' real signed bundles; the first one's with two concerns of serious
    risk that neither notify nor give a reason."""
    folder: Path = tmp_path_factory.mktemp("bases")
    set_language("en")
    with Notebook.create(folder / "supervisor.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
        0
    ] as notebook:
        key = ensure_key_pair(notebook)
        for name, count, seed in (("anna", 30, 2), ("bo", 10, 7)):
            with Notebook.create(folder / f"{name}.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as other:
                fill_demo(other, count, seed=seed)
                if name == "anna":
                    for decision in (
                        ConcernDecision.TALK_WITH_SUPERVISOR,
                        ConcernDecision.NOT_NEEDED,
                    ):
                        case = other.new_case(themes=["anxiety"])
                        assert case.id is not None
                        other.new_conversation(case.id)
                        other.record_concern(Concern(case.id, ConcernSigns.YES, decision))
                path = export_bundle(other, key, folder / f"{name}.cnbundle", today=TODAY).path
            import_bundle(notebook, path, accept_new=True)
        yield notebook
    set_language("da")


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def words(text: str) -> str:
    """The text with its line breaks undone (a sentence may wrap in a table cell)."""
    return " ".join(text.split())


def day(value: date) -> str:
    return str(format_date(value, format="long", locale=format_locale()))


def test_improved_is_of_the_cases_assessed_twice_and_all_contacts_names_its_days(
    supervisor: Notebook, tmp_path: Path
) -> None:
    set_language("en")
    path = write_period_report(supervisor, tmp_path / "all.pdf", today=TODAY)
    text = words(text_of(path))
    figures = dashboard(supervisor)
    assert 0 < figures.assessed_twice < figures.cases
    assert (
        f"Wellbeing improved: {figures.improved} of {figures.assessed_twice} cases assessed twice"
        in text
    )
    assert f"Of {figures.assessed_twice} cases assessed twice: improved {figures.improved}" in text
    assert figures.first_contact is not None and figures.last_contact is not None
    span = f"all contacts, from {day(figures.first_contact)} to {day(figures.last_contact)}"
    assert span in text
    # An open end names the day of the last contact counted.
    start = TODAY - timedelta(days=200)
    path = write_period_report(supervisor, tmp_path / "from.pdf", period_from=start, today=TODAY)
    opened = dashboard(supervisor, start)
    assert opened.last_contact is not None
    assert f"from {day(start)} (last contact {day(opened.last_contact)})" in words(text_of(path))


def test_counts_per_counsellor_are_for_the_chosen_period(
    supervisor: Notebook, tmp_path: Path
) -> None:
    set_language("en")
    start, end = TODAY - timedelta(days=60), TODAY
    path = write_period_report(
        supervisor, tmp_path / "p.pdf", period_from=start, period_to=end, today=TODAY
    )
    text = text_of(path)
    assert "Per counsellor" in text
    period = counsellor_periods(supervisor, start, end)
    always = counsellor_periods(supervisor)
    assert [p.cases for p in period] != [p.cases for p in always]
    lines = [line.strip() for line in text.splitlines()]
    for item in period:
        at = lines.index(item.counsellor_id)  # a row's cells follow one a line
        assert lines[at + 1 : at + 3] == [str(item.cases), str(item.contacts)]
    active = sum(1 for item in period if item.contacts)
    assert f"from {active} of the 2 counsellors whose bundles" in words(text)


def test_serious_signs_without_notification_or_reason_stand_out_in_red(
    supervisor: Notebook, tmp_path: Path
) -> None:
    set_language("en")
    path = write_period_report(supervisor, tmp_path / "c.pdf", today=TODAY)
    text = words(text_of(path))
    table = concern_table(supervisor)
    assert table.unexplained == 2
    assert "2 concerns with signs of serious risk have no notification and no reason." in text
    assert "Signs of serious risk, no notification and no reason 2" in text
    assert "1 without a reason" in text
    # Looked at: the page with the table holds the red of the flagged cells.
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    pages = [page.extract_text() for page in PdfReader(path).pages]
    number = next(i for i, page in enumerate(pages, 1) if "Signs ↓" in page)
    out = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), path, out],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("RGB")
    red = (0xF6, 0xD5, 0xD0)
    assert red in {colour for _count, colour in image.getcolors(1 << 20) or []}
    # Without such concerns, no red row or cell and a calm sentence.
    calm = write_period_report(
        supervisor, tmp_path / "calm.pdf", period_from=date(1990, 1, 1), period_to=date(1990, 2, 1)
    )
    assert "No concern with signs of serious risk is without both" in words(text_of(calm))


def test_the_bases_in_danish(supervisor: Notebook, tmp_path: Path) -> None:
    set_language("da")
    try:
        text = words(text_of(write_period_report(supervisor, tmp_path / "da.pdf", today=TODAY)))
    finally:
        set_language("en")
    figures = dashboard(supervisor)
    assert f"{figures.improved} af {figures.assessed_twice} sager vurderet to gange" in text
    assert "alle kontakter, fra" in text and "Pr. rådgiver" in text
    assert "2 bekymringer med tegn på alvorlig risiko har ingen underretning" in text
