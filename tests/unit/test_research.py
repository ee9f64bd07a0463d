"""The research export: the CSV, its codebook, the k-anonymity check, regions, and that no
identifier or id of the exchange gets into any of the files."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import (
    AgeBand,
    AllianceStatus,
    CallerRole,
    CaseStatus,
    Channel,
    ConcernDecision,
    ConcernSigns,
    Consent,
    Gender,
    Partner,
    Role,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.exchange.format import (
    BundleAlliance,
    BundleCase,
    BundleConcern,
    BundleConversation,
    BundleFollowUp,
    FollowUpOutcome,
)
from counsellor_app.core.keys import KdfParams, key_file_path
from counsellor_app.core.research import (
    NATIONAL,
    QUASI_IDENTIFIERS,
    STEP_NAMES,
    Region,
    ResearchError,
    ResearchRow,
    anonymise,
    case_rows,
    counsellor_regions,
    csv_bytes,
    neutralise,
    research_export,
    set_counsellor_region,
    smallest_group,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import ImportedCase, import_bundle, imported_bundles
from counsellor_app.core.taxonomy import taxonomy
from tests.helpers import FAST_KDF, PASSPHRASE
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    plant_corpus_case,
    planted_identifiers,
)

TODAY = date.today()


def make(tmp_path: Path, name: str, kdf: KdfParams, role: Role = Role.COUNSELLOR) -> Notebook:
    return Notebook.create(tmp_path / f"{name}.cnb", PASSPHRASE, role, kdf=kdf)[0]


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    with make(tmp_path, "supervisor", fast_kdf, Role.SUPERVISOR) as notebook:
        yield notebook


def import_from(
    supervisor: Notebook, tmp_path: Path, kdf: KdfParams, name: str, cases: int, seed: int
) -> Notebook:
    """A counsellor notebook with demo cases, exported to and imported by the supervisor."""
    key = ensure_key_pair(supervisor)
    counsellor = make(tmp_path, name, kdf)
    fill_demo(counsellor, cases, seed=seed)
    if name == "planted":
        plant_corpus_case(counsellor, datetime(2026, 2, 1, 9, tzinfo=UTC))
    bundle = export_bundle(counsellor, key, tmp_path / f"{name}.cnbundle", today=TODAY).path
    import_bundle(supervisor, bundle, accept_new=True)
    return counsellor


@pytest.fixture(scope="module")
def filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A supervisor's notebook with three counsellors' bundles imported (one with the
    planted corpus case): 360 cases exported and imported, so made once per module."""
    folder = tmp_path_factory.mktemp("research-template")
    with make(folder, "supervisor", FAST_KDF, Role.SUPERVISOR) as supervisor:
        for n, (name, cases) in enumerate((("anna", 150), ("bo", 150), ("planted", 60))):
            import_from(supervisor, folder, FAST_KDF, name, cases, seed=20 + n).close()
    return folder / "supervisor.cnb"


@pytest.fixture
def filled(filled_template: Path, tmp_path: Path) -> Iterator[Notebook]:
    """The template's notebook and its key file, copied for this test and opened."""
    path = tmp_path / filled_template.name
    shutil.copyfile(filled_template, path)
    shutil.copyfile(key_file_path(filled_template), key_file_path(path))
    with Notebook.open(path, PASSPHRASE) as notebook:
        yield notebook


def read_csv(path: Path, delimiter: str = ";") -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def groups(rows: list[dict[str, str]]) -> dict[tuple[str, ...], set[str]]:
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        found[tuple(row[q] for q in QUASI_IDENTIFIERS)].add(row["case_no"])
    return found


# ---------------------------------------------------------------------------- the files


def test_export_files_codebook_and_k(filled: Notebook, tmp_path: Path) -> None:
    first = sorted(b.counsellor_id for b in imported_bundles(filled))[0]
    set_counsellor_region(filled, first, Region.MIDTJYLLAND)
    result = research_export(filled, tmp_path / "out" / "research", today=TODAY)
    assert result.folder == tmp_path / "out" / "research"
    rows = read_csv(result.data_path)
    assert len(rows) == result.rows > 0
    assert result.conversations == result.rows + result.suppressed
    assert [s.name for s in result.steps] == list(STEP_NAMES)
    # k-anonymity holds in the file: every combination has >= 5 different cases
    sizes = [len(cases) for cases in groups(rows).values()]
    assert min(sizes) >= 5 and min(sizes) == result.smallest_group
    # case and counsellor numbers are 1..n
    assert {int(r["case_no"]) for r in rows} == set(range(1, result.cases + 1))
    assert {int(r["counsellor_no"]) for r in rows} == set(range(1, result.counsellors + 1))

    # the codebook names every column, in order, with its codes
    header = next(
        csv.reader(io.StringIO(result.data_path.read_bytes().decode("utf-8-sig")), delimiter=";")
    )
    book = json.loads(result.codebook_json_path.read_text(encoding="utf-8"))
    assert [c["name"] for c in book["columns"]] == header == list(result.columns)
    markdown = result.codebook_path.read_text(encoding="utf-8")
    for name in header:
        assert f"| `{name}` |" in markdown
        assert book["columns"][header.index(name)]["description"]
    for column in book["columns"]:
        if column["type"] == "code":
            used = {r[column["name"]] for r in rows} - {""}
            assert used <= set(column["codes"]), (column["name"], used)
    assert {c["name"] for c in book["columns"] if c["quasi_identifier"]} == set(QUASI_IDENTIFIERS)
    assert book["file"]["delimiter"] == ";" and book["file"]["encoding"] == "utf-8-sig"
    assert book["disclosure_control"]["k"] == 5
    assert [s["step"] for s in book["disclosure_control"]["steps"]] == list(STEP_NAMES)
    themes = [t.id for t in taxonomy().themes]
    assert [h for h in header if h.startswith("theme_")] == [f"theme_{t}" for t in themes]

    # the README says what the check did, with the counts
    readme = result.readme_path.read_text(encoding="utf-8")
    assert "k = 5" in readme
    for step in result.steps:
        assert f"| {step.description} | {step.rows} | {step.cases} |" in readme


def test_no_identifier_or_exchange_id_in_any_file(filled: Notebook, tmp_path: Path) -> None:
    result = research_export(filled, tmp_path / "r", k=1)
    everything = "\n".join(
        p.read_text(encoding="utf-8-sig")
        for p in (
            result.data_path,
            result.codebook_path,
            result.codebook_json_path,
            result.readme_path,
        )
    )
    assert [p for p in sorted(planted_identifiers()) if contains_word(everything, p)] == []
    assert CALLBACK not in everything and CALLBACK.replace(" ", "") not in everything
    for bundle in imported_bundles(filled):
        assert bundle.bundle_id not in everything and bundle.counsellor_id not in everything
    refs = [r[0] for r in filled.query("SELECT ref FROM imported_cases")]
    assert refs and not any(ref in everything for ref in refs)
    # no free text at all: every value of the CSV is a number, a code or empty
    for row in read_csv(result.data_path):
        for value in row.values():
            assert value == "" or value.isdigit() or value.replace("_", "").isalnum(), value


def test_k_one_changes_nothing_and_numbers_are_new_each_time(
    filled: Notebook, tmp_path: Path
) -> None:
    first = research_export(filled, tmp_path / "a", k=1, rng=random.Random(1))
    assert first.rows == first.conversations and first.suppressed == 0
    assert all(step.rows == 0 for step in first.steps)
    second = research_export(filled, tmp_path / "b", k=1, rng=random.Random(2))
    a, b = read_csv(first.data_path), read_csv(second.data_path)

    def profile(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
        return sorted(
            tuple(v for k, v in r.items() if k != "case_no" and k != "counsellor_no") for r in rows
        )

    assert profile(a) == profile(b)  # the same content ...
    assert [r["case_no"] for r in a] != [r["case_no"] for r in b] or len(a) < 3  # ... renumbered
    months = {r["month"] for r in a}
    assert "" not in months and months <= {str(m) for m in range(1, 13)}


@pytest.mark.parametrize("k", [3, 10])
def test_k_is_configurable(filled: Notebook, tmp_path: Path, k: int) -> None:
    result = research_export(filled, tmp_path / f"k{k}", k=k)
    sizes = [len(c) for c in groups(read_csv(result.data_path)).values()]
    assert sizes and min(sizes) >= k


def test_a_tiny_dataset_is_generalised_and_suppressed(
    supervisor: Notebook, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    import_from(supervisor, tmp_path, fast_kdf, "tiny", 4, seed=3).close()
    result = research_export(supervisor, tmp_path / "tiny-out")
    assert result.conversations > 0
    # four cases can never make a group of five: every row is left out, and it says so
    assert result.rows == 0 and result.suppressed == result.conversations
    assert result.smallest_group == 0
    assert sum(result.generalised.values()) > 0
    readme = result.readme_path.read_text(encoding="utf-8")
    suppressed = result.steps[-1]
    assert f"| {suppressed.description} | {suppressed.rows} | {suppressed.cases} |" in readme
    assert read_csv(result.data_path) == []  # the header only
    # with k = 2 some survive, generalised
    two = research_export(supervisor, tmp_path / "tiny-2", k=2)
    rows = read_csv(two.data_path)
    assert min(len(c) for c in groups(rows).values()) >= 2 if rows else two.suppressed > 0


def test_refusals(supervisor: Notebook, tmp_path: Path) -> None:
    with pytest.raises(ResearchError):
        research_export(supervisor, tmp_path / "empty")  # nothing imported
    with pytest.raises(ResearchError):
        research_export(supervisor, tmp_path / "x", k=0)
    with pytest.raises(ResearchError):
        research_export(supervisor, tmp_path / "x", delimiter="|")


def test_comma_delimiter(filled: Notebook, tmp_path: Path) -> None:
    result = research_export(filled, tmp_path / "comma", delimiter=",")
    assert len(read_csv(result.data_path, delimiter=",")) == result.rows
    assert (
        json.loads(result.codebook_json_path.read_text(encoding="utf-8"))["file"]["delimiter"]
        == ","
    )


# ---------------------------------------------------------------------------- regions


def test_regions_per_counsellor(filled: Notebook, tmp_path: Path) -> None:
    ids = sorted({b.counsellor_id for b in imported_bundles(filled)})
    set_counsellor_region(filled, ids[0], Region.NORDJYLLAND)
    set_counsellor_region(filled, ids[1], Region.SJAELLAND)
    set_counsellor_region(filled, ids[1], Region.HOVEDSTADEN)
    assert counsellor_regions(filled) == {ids[0]: Region.NORDJYLLAND, ids[1]: Region.HOVEDSTADEN}
    stored = filled.query("SELECT value FROM meta WHERE key = 'research_counsellor_regions'")
    assert json.loads(stored[0][0]) == {ids[0]: "nordjylland", ids[1]: "hovedstaden"}
    set_counsellor_region(filled, ids[0], None)
    assert counsellor_regions(filled) == {ids[1]: Region.HOVEDSTADEN}
    result = research_export(filled, tmp_path / "regions", k=1)
    regions = {r["region"] for r in read_csv(result.data_path)}
    assert regions == {"hovedstaden", "unknown"}


# ---------------------------------------------------------------------------- details


def test_formula_cells_are_neutralised() -> None:
    for cell in ("=1+1", "+45 12", "-3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("trivsel") == "trivsel" and neutralise("") == ""
    data = csv_bytes(["=head", "b"], [['=HYPERLINK("x")', 3], ["-2", None]])
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "'=head;b"
    assert "'=HYPERLINK" in text and "\r\n'-2;\r\n" in text
    for line in text.splitlines():
        for cell in next(csv.reader([line], delimiter=";")):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def _item(case: BundleCase) -> ImportedCase:
    return ImportedCase(1, "C-AAAAAAAAAA", "", "b", case)


def test_rows_of_a_case() -> None:
    talks = tuple(
        BundleConversation(
            day=day,
            channel=Channel.PHONE,
            duration_minutes=minutes,
            wellbeing={"school": level} if level else {},
            steps_covered=steps,
            summary={step: "" for step in Step},
        )
        for day, minutes, level, steps in (
            (date(2026, 1, 5), 7, WellbeingLevel.STRUGGLING, (Step.LISTEN,)),
            (date(2026, 3, 30), 75, None, (Step.LISTEN, Step.ADVISE)),
        )
    )
    case = BundleCase(
        ref="a" * 26,
        status=CaseStatus.OPEN,
        caller_role=CallerRole.FATHER,
        age_band=AgeBand.A10_12,
        gender=Gender.BOY,
        themes=("anxiety", "future_theme"),
        conversations=talks,
        alliances=(
            BundleAlliance(Partner.SCHOOL, AllianceStatus.ACTIVE, Consent.GIVEN, date(2026, 1, 5)),
            BundleAlliance(Partner.PPR, AllianceStatus.SUGGESTED, Consent.GIVEN, date(2026, 2, 1)),
            BundleAlliance(Partner.PPR, AllianceStatus.ACTIVE, Consent.GIVEN, date(2026, 4, 1)),
        ),
        follow_ups=(
            BundleFollowUp(date(2026, 1, 20), FollowUpOutcome.LATE, date(2026, 1, 25)),
            BundleFollowUp(date(2026, 1, 12), FollowUpOutcome.ON_TIME, date(2026, 1, 12)),
            BundleFollowUp(date(2026, 4, 10), FollowUpOutcome.PENDING),
        ),
        concerns=(
            BundleConcern(date(2026, 3, 30), ConcernSigns.UNSURE, ConcernDecision.NOT_NEEDED),
        ),
    )
    first, second = case_rows(_item(case), Region.SYDDANMARK, ["anxiety", "sleep", "future_theme"])
    assert (first.year, first.quarter, first.month, second.quarter, second.month) == (
        2026,
        1,
        1,
        1,
        3,
    )
    assert first.age == (10, 12) and first.gender == "boy" and first.caller_role == "father"
    assert first.region == "syddanmark"
    v1, v2 = first.values, second.values
    assert (v1["duration_from"], v1["duration_to"]) == (0, 9)
    assert (v2["duration_from"], v2["duration_to"]) == (60, "")
    assert v1["wellbeing"] == "mistrivsel" and v2["wellbeing"] == ""
    assert (v1["step_listen"], v1["step_advise"], v2["step_advise"]) == (1, 0, 1)
    assert (v1["theme_anxiety"], v1["theme_sleep"], v1["theme_future_theme"]) == (1, 0, 1)
    assert (v1["alliances_school"], v1["alliances_ppr"], v2["alliances_ppr"]) == (1, 1, 1)
    # the first due of the follow-ups planned at the first conversation; the last one at
    # the second
    assert v1["follow_up_outcome"] == "on_time" and v2["follow_up_outcome"] == "pending"
    assert v1["concern_decision"] == "" and v2["concern_decision"] == "not_needed"
    assert v2["concern_signs"] == "unsure"


def _row(
    case: int, month: int, age: AgeBand = AgeBand.A10_12, counsellor: str = "c1"
) -> ResearchRow:
    return ResearchRow(
        case=case,
        counsellor=counsellor,
        conversation_no=1,
        year=2026,
        quarter=(month - 1) // 3 + 1,
        month=month,
        region="midtjylland",
        age=tuple(int(x) for x in age.value.split("-")),  # type: ignore[arg-type]
        age_band=age,
        gender="girl",
        caller_role="mother",
        values={},
    )


def test_anonymise_steps() -> None:
    # five cases in January: a group of 5; one case in February: generalised to the
    # quarter together with January, so nothing needs to be left out
    rows = [_row(n, 1) for n in range(5)] + [_row(5, 2)]
    kept, steps = anonymise(rows, 5)
    by_name = {s.name: s for s in steps}
    assert len(kept) == 6 and by_name["suppressed"].rows == 0
    assert by_name["month_to_quarter"].rows == 6 and all(r.month is None for r in kept)
    assert by_name["age_band_widened"].rows == 0 and smallest_group(kept) == 6

    # a case of another age and counsellor that no generalisation can hide among 5
    rows = [_row(n, 1) for n in range(5)] + [_row(9, 1, AgeBand.A18_24, "c2")]
    kept, steps = anonymise(rows, 5)
    by_name = {s.name: s for s in steps}
    assert by_name["suppressed"].rows == 1 and {r.case for r in kept} == set(range(5))
    assert smallest_group(kept) >= 5
    assert by_name["region_to_national"].rows >= 1
    assert all(r.region in {"midtjylland", NATIONAL} for r in kept)

    # the conversations of one case count once: five rows of one case are a group of 1
    rows = [_row(1, 1) for _n in range(5)]
    kept, steps = anonymise(rows, 2)
    assert kept == [] and steps[-1].rows == 5 and steps[-1].cases == 1


def test_case_fields_are_generalised_on_every_row_of_the_case() -> None:
    # case 7 has a row in a big group (Jan) and one alone (Jun, age 13-15): widening its
    # age band must widen both rows, or the January row would give the band away
    rows = [_row(n, 1) for n in range(6)] + [_row(n, 6, AgeBand.A16_17) for n in range(10, 16)]
    rows += [_row(7, 1, AgeBand.A13_15), _row(7, 6, AgeBand.A13_15)]
    kept, _steps = anonymise(rows, 5)
    ages = {r.age for r in rows if r.case == 7}
    assert len(ages) == 1
    assert all(len(c) >= 5 for c in _groups(kept).values())


def _groups(rows: list[ResearchRow]) -> dict[Any, set[int]]:
    found: dict[Any, set[int]] = defaultdict(set)
    for row in rows:
        found[row.key()].add(row.case)
    return found
