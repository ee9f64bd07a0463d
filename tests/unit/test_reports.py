"""PDF reports: the one-case supervision summary (own and imported) and the period report,
read back with pypdf, their fonts checked, a page rendered, identifiers searched for."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from pypdf import PdfReader

from counsellor_app.core import pdf, reports
from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role, Step
from counsellor_app.core.errors import StorageError
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.gate import IdentifierLeaves
from counsellor_app.core.i18n import _, format_locale, set_language
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.reports import (
    CaseNotFound,
    UnknownCounsellor,
    find_case,
    write_case_summary,
    write_imported_case_summary,
    write_period_report,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import ImportedCase, import_bundle, imported_cases
from tests.helpers import PASSPHRASE
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    plant_corpus_case,
    planted_identifiers,
)

TODAY = date.today()
PLANTED_AT = datetime(2026, 2, 1, 9, 17, tzinfo=UTC)


def make(tmp_path: Path, name: str, kdf: KdfParams, role: Role = Role.COUNSELLOR) -> Notebook:
    return Notebook.create(tmp_path / f"{name}.cnb", PASSPHRASE, role, kdf=kdf)[0]


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    with make(tmp_path, "supervisor", fast_kdf, Role.SUPERVISOR) as notebook:
        yield notebook


@pytest.fixture
def counsellor(notebook: Notebook) -> Notebook:
    """A counsellor's notebook: 40 demo cases and one whose every text is the corpus."""
    fill_demo(notebook, 40, seed=11)
    plant_corpus_case(notebook, PLANTED_AT)
    return notebook


@pytest.fixture
def planted_id(counsellor: Notebook) -> int:
    return max(counsellor.find_case_ids())


@pytest.fixture
def imported(supervisor: Notebook, counsellor: Notebook, tmp_path: Path) -> list[ImportedCase]:
    key = ensure_key_pair(supervisor)
    bundle = export_bundle(counsellor, key, tmp_path / "b.cnbundle", today=TODAY).path
    import_bundle(supervisor, bundle, accept_new=True)
    return imported_cases(supervisor)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def font_names(path: Path) -> set[tuple[str, bool]]:
    """Every font the pages use: (base font, embedded)."""
    found = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.add((str(font["/BaseFont"]), embedded))
    return found


def check_frame(path: Path) -> str:
    """Fonts embedded, "page n of m" on every page; returns the whole text."""
    fonts = font_names(path)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert {name.split("+")[-1] for name, _e in fonts} <= {"DejaVuSans", "DejaVuSans-Bold"}
    pages = pdf_pages(path)
    for number, text in enumerate(pages, start=1):
        expected = _("Page {page} of {pages}").format(page=number, pages=len(pages))
        assert expected in text, (number, text[-200:])
        assert _("Generated {date}").format(date=day(TODAY)) in text
    return "\n".join(pages)


def day(value: date) -> str:
    return str(format_date(value, format="long", locale=format_locale()))


def no_identifiers(text: str, case_code: str | None = None) -> None:
    leaked = [p for p in sorted(planted_identifiers()) if contains_word(text, p)]
    assert leaked == []
    assert CALLBACK not in text and CALLBACK.replace(" ", "") not in text
    if case_code:
        assert case_code not in text
    # days, never times of day
    assert not re.search(r"\b\d{1,2}[:.]\d{2}\b(?!\s*(?:år|years))", text.replace("[", " "))


def render(path: Path, out: Path) -> Path:
    """Page 1 as a PNG at 50 dpi (pdftoppm from poppler)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(out)], check=True
    )
    (png,) = out.parent.glob(out.name + "*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5_000
    return png


# ---------------------------------------------------------------------------- one case


def test_own_case_summary(counsellor: Notebook, planted_id: int, tmp_path: Path) -> None:
    path = write_case_summary(counsellor, planted_id, tmp_path / "case.pdf", today=TODAY)
    text = check_frame(path)
    code = counsellor.case(planted_id).code
    no_identifiers(text, code)
    assert "[navn]" in text and "[telefon]" in text and "[cpr]" in text
    assert "Skolefravær og skolevægring" in text  # the theme, in Danish: æ, ø
    assert "Rådgiv" in text and "Opfølgning" in text  # å, ø
    assert day(date(2026, 2, 1)) in text  # the first conversation's day
    assert _("Supervision summary of a case") in text
    # the pseudonymous reference a bundle would carry, not the case code
    assert re.search(r"\b[a-z2-7]{26}\b", text)
    render(path, tmp_path / "case")


def test_imported_case_summary(
    supervisor: Notebook, imported: list[ImportedCase], tmp_path: Path, counsellor: Notebook
) -> None:
    planted = max(imported, key=lambda item: len(item.case.conversations))
    path = write_imported_case_summary(supervisor, planted.id, tmp_path / "imported.pdf")
    text = check_frame(path)
    no_identifiers(text)
    assert planted.case.ref in text and planted.counsellor_id in text
    assert len(pdf_pages(path)) >= 3
    # every de-identified summary is in it (the text extraction joins lines with spaces)
    flat = " ".join(text.split())
    first = planted.case.conversations[0].summary
    assert " ".join(next(iter(v for v in first.values() if v)).split())[:60] in flat
    render(path, tmp_path / "imported")


def test_a_small_case_fits_one_page_and_english_works(counsellor: Notebook, tmp_path: Path) -> None:
    set_language("en")
    case = counsellor.new_case(themes=["anxiety"])
    assert case.id is not None
    talk = counsellor.new_conversation(case.id, started_at=datetime(2026, 3, 2, 14, 5, tzinfo=UTC))
    assert talk.id is not None
    counsellor.save_note(talk.id, Step.LISTEN, "Mor er bekymret for søvnen.")
    path = write_case_summary(counsellor, case.id, tmp_path / "small.pdf", today=TODAY)
    text = check_frame(path)
    assert "Page 1 of 1" in text and "Supervision summary of a case" in text
    assert "Mor er bekymret for søvnen." in text and "14:05" not in text
    assert "No alliances." in text and "No wellbeing level was recorded." in text


def test_a_received_case_with_an_identifier_is_printed_replaced_never_refused(
    supervisor: Notebook, imported: list[ImportedCase], tmp_path: Path
) -> None:
    # a text stored before imports were scanned: the supervisor cannot fix the note, so
    # the gate replaces what it finds instead of refusing
    item = imported[0]
    with supervisor.transaction() as db:
        db.execute(
            "UPDATE imported_conversations SET summary_advise = ? WHERE case_id = ? "
            "AND position = 0",
            ("Ring til Mette Hansen på 22 33 44 55.", item.id),
        )
    target = tmp_path / "replaced.pdf"
    write_imported_case_summary(supervisor, item.id, target)
    text = " ".join(pdf_pages(target))
    assert "Mette" not in text and "22 33 44 55" not in text and "[navn]" in text


def test_find_case(
    supervisor: Notebook, imported: list[ImportedCase], counsellor: Notebook, planted_id: int
) -> None:
    code = counsellor.case(planted_id).code
    assert find_case(counsellor, code.lower().replace("-", "")) == reports.CaseTarget(
        "own", planted_id
    )
    item = imported[3]
    assert find_case(supervisor, item.case.ref).id == item.id
    assert find_case(supervisor, item.case.ref[:12].upper()) == reports.CaseTarget(
        "imported", item.id
    )
    with pytest.raises(CaseNotFound):
        find_case(supervisor, "K-2222")
    with pytest.raises(CaseNotFound):
        find_case(counsellor, item.case.ref)
    with pytest.raises(CaseNotFound):
        reports.case_summary_pdf(counsellor, 10**6)
    with pytest.raises(CaseNotFound):
        reports.imported_case_summary_pdf(supervisor, 10**6)


# ---------------------------------------------------------------------------- period report


def test_period_report(supervisor: Notebook, imported: list[ImportedCase], tmp_path: Path) -> None:
    start, end = TODAY - timedelta(days=365), TODAY
    path = write_period_report(
        supervisor, tmp_path / "period.pdf", period_from=start, period_to=end, today=TODAY
    )
    text = check_frame(path)
    first = pdf_pages(path)[0]
    assert _("{start} to {end}").format(start=day(start), end=day(end)) in first
    assert _("All counsellors") in first and _("Period report") in first
    for heading in ("Contacts per month", "Themes", "Age bands", "Steps covered", "Follow-ups"):
        assert _(heading) in text
    assert "Lyt" in text and "Rådgiv" in text and "Svær mistrivsel" in text
    no_identifiers(text)
    for item in imported:
        assert item.case.ref not in text
    render(path, tmp_path / "period")


def test_period_report_for_one_counsellor_and_an_empty_period(
    supervisor: Notebook, imported: list[ImportedCase], tmp_path: Path
) -> None:
    counsellor_id = imported[0].counsellor_id
    path = write_period_report(
        supervisor,
        tmp_path / "one.pdf",
        period_from=date(1990, 1, 1),
        period_to=date(1990, 2, 28),
        counsellor=counsellor_id,
        today=TODAY,
    )
    first = pdf_pages(path)[0]
    assert _("Counsellor {counsellor}").format(counsellor=counsellor_id) in first
    assert day(date(1990, 1, 1)) in first
    with pytest.raises(UnknownCounsellor):
        write_period_report(supervisor, tmp_path / "x.pdf", counsellor="C-2222222222")
    # the dashboard's hook calls it with keywords only
    write_period_report(supervisor, tmp_path / "open.pdf", period_from=None, period_to=None)


def test_period_report_of_an_empty_notebook(supervisor: Notebook, tmp_path: Path) -> None:
    path = write_period_report(supervisor, tmp_path / "empty.pdf", today=TODAY)
    text = check_frame(path)
    assert _("all contacts") in text


def test_write_errors_are_sentences(supervisor: Notebook, tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        write_period_report(supervisor, tmp_path / "missing" / "folder" / "p.pdf")
    assert not (tmp_path / "missing").exists()


def test_bundled_font_and_licence() -> None:
    folder = pdf.FONT_DIR
    assert (folder / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (folder / "DejaVuSans-Bold.ttf").stat().st_size > 100_000
    assert "Bitstream" in (folder / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_own_case_refused_when_the_guard_still_finds_something(
    counsellor: Notebook, planted_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from counsellor_app.core import gate
    from counsellor_app.core.anonymity import Finding, IdentifierKind

    def stubborn(text: str) -> list[Finding]:
        return [Finding(0, 1, IdentifierKind.NAME, "")]

    monkeypatch.setattr(gate, "find_identifiers", stubborn)
    target = tmp_path / "refused.pdf"
    with pytest.raises(IdentifierLeaves) as refused:
        write_case_summary(counsellor, planted_id, target)
    assert refused.value.kind == IdentifierKind.NAME and not target.exists()
    assert refused.value.where in str(refused.value)
