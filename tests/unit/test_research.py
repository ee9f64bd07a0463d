"""The research export: the two CSVs, the codebooks and the data package, the disclosure
control (k-anonymity against an attacker who links rows, l-diversity), regions, and that no
identifier or id of the exchange gets into any of the files."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import frictionless
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
from counsellor_app.core.gate import Gate
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import KdfParams, key_file_path
from counsellor_app.core.research import (
    CASE_GENERALISATIONS,
    CASE_QUASI_IDENTIFIERS,
    CASE_STEP_NAMES,
    NATIONAL,
    QUASI_IDENTIFIERS,
    ROLE_GROUPS,
    SENSITIVE,
    STEP_NAMES,
    Region,
    ResearchError,
    ResearchRow,
    Writer,
    anonymise,
    case_row,
    case_rows,
    counsellor_regions,
    csv_bytes,
    homogeneous,
    neutralise,
    research_export,
    set_counsellor_region,
    smallest_group,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import (
    ImportedCase,
    import_bundle,
    imported_bundles,
    imported_cases,
)
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


# ---------------------------------------------------------------------------- the attacker

#: Every column an attacker who knows a family could match on (those a file has).
KNOWN = (
    "year",
    "quarter",
    "month",
    "region",
    "age_from",
    "age_to",
    "gender",
    "caller_role",
    "contacts_from",
    "contacts_to",
)
#: What may stand in a cell for a value the attacker knows, after generalisation.
WITHHELD = {"withheld", "generalised"}
NOT_KNOWN = {"unknown", "not_recorded"}


@dataclass(frozen=True)
class Family:
    """What someone who knows a family that called knows: where they live, the child,
    who called, and every day they called."""

    region: str
    age: tuple[int, int] | None
    gender: str | None
    role: str | None
    days: tuple[date, ...]


def families(notebook: Notebook) -> list[Family]:
    """The truth behind the export: every imported family, as an attacker might know it."""
    regions = counsellor_regions(notebook)
    found = []
    for item in imported_cases(notebook, texts=False):
        case = item.case
        low_high = case.age_band.value.split("-") if case.age_band else None
        found.append(
            Family(
                regions.get(item.counsellor_id, Region.UNKNOWN).value,
                (int(low_high[0]), int(low_high[1])) if low_high else None,
                case.gender.value if case.gender else None,
                case.caller_role.value if case.caller_role else None,
                tuple(sorted(c.day for c in case.conversations)),
            )
        )
    return [f for f in found if f.days]


def in_period(row: dict[str, str], day: date) -> bool:
    return (
        int(row["year"]) == day.year
        and (not row["quarter"] or int(row["quarter"]) == (day.month - 1) // 3 + 1)
        and (not row["month"] or int(row["month"]) == day.month)
    )


def is_them(row: dict[str, str], family: Family) -> bool:
    """Whether a row's person columns could be this family's."""
    region = row["region"]
    if region != NATIONAL and not (
        region == family.region or (region in NOT_KNOWN and family.region == "unknown")
    ):
        return False
    if not row["age_from"]:
        if family.age is not None:
            return False
    elif family.age is None or not (
        int(row["age_from"]) <= family.age[0] and family.age[1] <= int(row["age_to"])
    ):
        return False
    gender = row["gender"]
    if gender not in WITHHELD and not (
        gender == family.gender or (gender in NOT_KNOWN and family.gender is None)
    ):
        return False
    role = row["caller_role"]
    if family.role is None:
        return role in NOT_KNOWN
    return role in {family.role, ROLE_GROUPS[family.role]}


def could_be(row: dict[str, str], family: Family) -> bool:
    """Whether a row could be one of this family's: a case row (its first call and how
    many calls) or a conversation row (one of its calls)."""
    if not is_them(row, family):
        return False
    if "contacts_from" in row:
        n = len(family.days)
        top = row["contacts_to"]
        if not (int(row["contacts_from"]) <= n and (not top or n <= int(top))):
            return False
        return in_period(row, family.days[0])
    return any(in_period(row, day) for day in family.days)


def linking_attack(folder: Path, known: list[Family], k: int) -> list[str]:
    """Link the rows of every CSV in ``folder`` as an attacker would; what was found
    below ``k`` (empty: nothing).

    1. By a case link: where a file has a column that ties rows to a case, the rows of
       each case are put together, and the whole pattern of their known columns (every
       period the family called in, with the rest) is one key; fewer than ``k`` cases
       sharing a pattern single a family out.
    2. By what the attacker knows of the families (when they called, where they live,
       the child, who called): each combination of the known columns in a file must fit
       at least ``k`` different families, or a family is narrowed below ``k``.
    """
    found = []
    for path in sorted(folder.glob("*.csv")):
        rows = read_csv(path)
        if not rows:
            continue
        columns = [c for c in KNOWN if c in rows[0]]
        links = [c for c in rows[0] if c in {"case_no", "case", "case_id", "case_ref"}]
        for link in links:
            by_case: dict[str, list[tuple[str, ...]]] = defaultdict(list)
            for row in rows:
                by_case[row[link]].append(tuple(row[c] for c in columns))
            patterns: dict[tuple[tuple[str, ...], ...], int] = defaultdict(int)
            for pattern in by_case.values():
                patterns[tuple(sorted(pattern))] += 1
            small = sum(n for n in patterns.values() if n < k)
            if small:
                found.append(f"{path.name}: {small} cases linked by {link} below k")
        combos = {tuple((c, row[c]) for c in columns) for row in rows}
        for combo in combos:
            values = dict(combo)
            fits = sum(could_be(values, family) for family in known)
            if fits < k:
                found.append(f"{path.name}: {values} fits {fits} families")
    return found


def test_an_attacker_who_links_rows_finds_no_group_below_k(
    filled: Notebook, tmp_path: Path
) -> None:
    ids = sorted({b.counsellor_id for b in imported_bundles(filled)})
    set_counsellor_region(filled, ids[0], Region.MIDTJYLLAND)
    set_counsellor_region(filled, ids[1], Region.MIDTJYLLAND)
    known = families(filled)
    assert len(known) >= 300
    result = research_export(filled, tmp_path / "research", k=5)
    assert result.rows > 0.9 * result.conversations  # still useful
    assert linking_attack(tmp_path / "research", known, 5) == []


def test_the_attack_finds_what_per_row_k_anonymity_leaves(filled: Notebook) -> None:
    """Per-row k-anonymity with a case number (the export before issue 17): the attack
    singles families out, so the test above would fail on it."""
    ids = sorted({b.counsellor_id for b in imported_bundles(filled)})
    set_counsellor_region(filled, ids[0], Region.MIDTJYLLAND)
    set_counsellor_region(filled, ids[1], Region.MIDTJYLLAND)
    regions = counsellor_regions(filled)
    rows: list[ResearchRow] = []
    for item in imported_cases(filled, texts=False):
        rows += case_rows(item, regions.get(item.counsellor_id, Region.UNKNOWN))
    kept, _steps = anonymise(rows, 5)
    assert smallest_group(kept) >= 5  # every row is in a group of five cases ...
    folder = filled.path.parent / "per-row"
    folder.mkdir()
    names = ["case_no", *KNOWN[:8]]
    (folder / "conversations.csv").write_bytes(
        csv_bytes(
            names,
            (
                [
                    r.case,
                    r.year,
                    r.quarter or "",
                    r.month or "",
                    r.region,
                    r.age[0] if r.age else "",
                    r.age[1] if r.age else "",
                    r.gender,
                    r.caller_role,
                ]
                for r in kept
            ),
        )
    )
    found = linking_attack(folder, families(filled), 5)
    # ... yet the case number links a case's rows, and when a family called gives it away
    assert found and "linked by case_no below k" in found[0]


# ---------------------------------------------------------------------------- the files


def test_export_files_codebooks_and_k(filled: Notebook, tmp_path: Path) -> None:
    first = sorted(b.counsellor_id for b in imported_bundles(filled))[0]
    set_counsellor_region(filled, first, Region.MIDTJYLLAND)
    result = research_export(filled, tmp_path / "out" / "research", today=TODAY)
    assert result.folder == tmp_path / "out" / "research"
    talks, cases = read_csv(result.data_path), read_csv(result.cases_path)
    assert len(talks) == result.rows > 0 and len(cases) == result.case_rows > 0
    assert result.conversations == result.rows + result.suppressed
    assert result.imported == result.case_rows + sum(
        s.rows for s in result.case_steps if s.name.startswith("suppressed")
    )
    assert [s.name for s in result.steps] == list(STEP_NAMES)
    assert [s.name for s in result.case_steps] == list(CASE_STEP_NAMES)
    # no column links a conversation to its case, nor to another conversation
    assert not {"case_no", "conversation_no", "counsellor_no", "help_system"} & set(talks[0])
    assert not [c for c in talks[0] if c.startswith("theme_")]
    # k-anonymity holds in each file: every combination has >= 5 different cases (one row
    # per case in cases.csv)
    for rows, names in ((cases, CASE_QUASI_IDENTIFIERS), (talks, QUASI_IDENTIFIERS)):
        sizes: dict[tuple[str, ...], int] = defaultdict(int)
        for row in rows:
            sizes[tuple(row[q] for q in names)] += 1
        assert min(sizes.values()) >= 5
    assert result.case_smallest_group >= 5 and result.smallest_group >= 5
    assert {int(r["counsellor_no"]) for r in cases} == set(range(1, result.counsellors + 1))
    # periods as dates agree with year/quarter/month
    for row in talks + cases:
        start, end = date.fromisoformat(row["period_from"]), date.fromisoformat(row["period_to"])
        assert start.year == end.year == int(row["year"]) and start <= end
        assert row["period_unit"] == (
            "month" if row["month"] else "quarter" if row["quarter"] else "year"
        )

    # the codebooks name every column of both files, in order, with its codes
    book = json.loads(result.codebook_json_path.read_text(encoding="utf-8"))
    for path, rows, described in zip(
        (result.cases_path, result.data_path), (cases, talks), book["files"], strict=True
    ):
        header = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))
        assert described["name"] == path.name
        assert [c["name"] for c in described["columns"]] == header == list(rows[0])
        for column in described["columns"]:
            assert column["description"]["da"] and column["description"]["en"]
            if column["type"] == "code":
                used = {r[column["name"]] for r in rows}
                assert "" not in used, column["name"]  # a code says why a value is missing
                assert used <= set(column["codes"]), (column["name"], used)
        for file in (result.codebook_path, result.codebook_en_path):
            markdown = file.read_text(encoding="utf-8")
            assert f"## {path.name}" in markdown
            for name in header:
                assert f"| `{name}` |" in markdown
    assert result.columns == tuple(c["name"] for c in book["files"][1]["columns"])
    danish = result.codebook_path.read_text(encoding="utf-8")
    english = result.codebook_en_path.read_text(encoding="utf-8")
    assert "Kodebog" in danish and "Codebook" in english and "Codebook" not in danish
    assert "Mor" in danish and "Mother" in english
    themes = [t.id for t in taxonomy().themes]
    assert [c for c in cases[0] if c.startswith("theme_")] == [f"theme_{t}" for t in themes]
    quasi = {c["name"] for c in book["files"][0]["columns"] if c["quasi_identifier"]}
    assert quasi == set(CASE_QUASI_IDENTIFIERS)
    assert book["disclosure_control"]["k"] == 5
    assert book["disclosure_control"]["l_diversity"] is True

    # the README says what the check did, with the counts, for both files
    readme = result.readme_path.read_text(encoding="utf-8")
    assert "k = 5" in readme
    for steps in (result.steps, result.case_steps):
        for n, step in enumerate(steps, start=1):
            assert f"| {n} | {step.description} | {step.rows} | {step.cases} |" in readme


def test_the_readme_is_written_in_danish_and_in_english(filled: Notebook, tmp_path: Path) -> None:
    # whatever the window's language: the researcher gets both
    set_language("en")
    try:
        result = research_export(filled, tmp_path / "r")
        english_steps = [step.description for step in result.case_steps + result.steps]
    finally:
        set_language("da")
    danish_steps = [step.description for step in result.case_steps + result.steps]
    assert result.readme_path.name == "README.md" and result.readme_en_path.name == "README.en.md"
    danish = result.readme_path.read_text(encoding="utf-8")
    english = result.readme_en_path.read_text(encoding="utf-8")
    assert danish.startswith("# Forskningsudtræk fra Rådgiverens notesbog")
    assert "## Sådan åbnes filerne" in danish and "k-anonymitet" in danish
    assert "l-diversitet: i de kolonner" in danish
    for english_only in ("Research export", "Opening the files", "rows before the check"):
        assert english_only not in danish
        assert english_only in english
    assert english.startswith("# Research export from Counsellor's Notebook")
    # the program's name is not taken for a person's (it was "[navn] Notebook")
    assert "Counsellor's Notebook" in result.codebook_en_path.read_text(encoding="utf-8")
    assert "Disclosure control (k-anonymity)" in english and "l-diversity: in the" in english
    # both complete: every part, the counts of every step of both files
    for readme, steps in ((danish, danish_steps), (english, english_steps)):
        assert readme.count("\n## ") == 2 and readme.count("\n### ") == 2
        assert "k = 5" in readme and "cases.csv" in readme and "codebook.en.md" in readme
        lines = [line for line in readme.splitlines() if line.startswith("| ")]
        assert len(lines) == 2 * 1 + len(steps)  # a header per table and a row per step
        for what, step in zip(steps, result.case_steps + result.steps, strict=True):
            assert f"| {what} | {step.rows} | {step.cases} |" in readme
        assert readme.rstrip().endswith(".")


def test_no_identifier_or_exchange_id_in_any_file(filled: Notebook, tmp_path: Path) -> None:
    result = research_export(filled, tmp_path / "r", k=1, l_diversity=False)
    files = sorted((tmp_path / "r").iterdir())
    assert {f.name for f in files} == {
        "cases.csv",
        "conversations.csv",
        "codebook.md",
        "codebook.en.md",
        "codebook.json",
        "datapackage.json",
        "README.md",
        "README.en.md",
    }
    everything = "\n".join(p.read_text(encoding="utf-8-sig") for p in files)
    assert [p for p in sorted(planted_identifiers()) if contains_word(everything, p)] == []
    assert CALLBACK not in everything and CALLBACK.replace(" ", "") not in everything
    for bundle in imported_bundles(filled):
        assert bundle.bundle_id not in everything and bundle.counsellor_id not in everything
    refs = [r[0] for r in filled.query("SELECT ref FROM imported_cases")]
    assert refs and not any(ref in everything for ref in refs)
    # no free text at all: every value of the CSVs is a number, a code, a date or empty
    for path in (result.cases_path, result.data_path):
        for row in read_csv(path):
            for value in row.values():
                assert value == "" or value.replace("_", "").replace("-", "").isalnum(), value


def test_the_codebooks_pass_the_gate() -> None:
    gate = Gate()
    writer = Writer("da", gate)
    # a label that carried an identifier would leave de-identified, like any other text
    text = writer(("Ring til Mette Hansen på 29 87 65 43", "Call Mette Hansen"), "x")
    assert "Mette" not in text and "29 87 65 43" not in text
    assert sum(gate.counts.values()) >= 2
    assert writer(("Mor", "Mother")) == "Mor" and Writer("en")(("Mor", "Mother")) == "Mother"
    assert Writer("da")("Codebook: research export of Counsellor's Notebook").startswith("Kodebog")


def test_k_one_changes_nothing_and_numbers_are_new_each_time(
    filled: Notebook, tmp_path: Path
) -> None:
    first = research_export(filled, tmp_path / "a", k=1, l_diversity=False, rng=random.Random(1))
    assert first.rows == first.conversations and first.suppressed == 0
    assert first.case_rows == first.imported
    assert all(step.rows == 0 for step in first.steps + first.case_steps)
    research_export(filled, tmp_path / "b", k=1, l_diversity=False, rng=random.Random(2))
    for path in ("cases.csv", "conversations.csv"):
        a, b = read_csv(tmp_path / "a" / path), read_csv(tmp_path / "b" / path)

        def profile(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
            return sorted(tuple(v for k, v in r.items() if k != "counsellor_no") for r in rows)

        assert profile(a) == profile(b)  # the same content ...
        assert a != b  # ... in another order, or numbered anew
    months = {r["month"] for r in read_csv(first.data_path)}
    assert "" not in months and months <= {str(m) for m in range(1, 13)}


@pytest.mark.parametrize("k", [3, 10])
def test_k_is_configurable(filled: Notebook, tmp_path: Path, k: int) -> None:
    result = research_export(filled, tmp_path / f"k{k}", k=k)
    assert linking_attack(tmp_path / f"k{k}", families(filled), k) == []
    assert result.smallest_group >= k and result.case_smallest_group >= k


def test_a_tiny_dataset_is_generalised_and_suppressed(
    supervisor: Notebook, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    import_from(supervisor, tmp_path, fast_kdf, "tiny", 4, seed=3).close()
    result = research_export(supervisor, tmp_path / "tiny-out")
    assert result.conversations > 0
    # four cases can never make a group of five: every row is left out, and it says so
    assert result.rows == 0 and result.suppressed == result.conversations
    assert result.case_rows == 0 and result.smallest_group == 0
    assert sum(result.generalised.values()) > 0
    readme = result.readme_path.read_text(encoding="utf-8")
    suppressed = result.steps[STEP_NAMES.index("suppressed")]
    assert f"| {suppressed.description} | {suppressed.rows} | {suppressed.cases} |" in readme
    assert read_csv(result.data_path) == [] and read_csv(result.cases_path) == []
    # with k = 2 some may survive, generalised
    two = research_export(supervisor, tmp_path / "tiny-2", k=2)
    assert linking_attack(tmp_path / "tiny-2", families(supervisor), 2) == []
    assert two.rows + two.suppressed == two.conversations


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
    assert len(read_csv(result.cases_path, delimiter=",")) == result.case_rows
    book = json.loads(result.codebook_json_path.read_text(encoding="utf-8"))
    assert {f["delimiter"] for f in book["files"]} == {","}


# ---------------------------------------------------------------------------- l-diversity


def test_l_diversity_in_a_realistic_export(filled: Notebook, tmp_path: Path) -> None:
    result = research_export(filled, tmp_path / "l", k=5)
    for path, names in (
        (result.cases_path, CASE_QUASI_IDENTIFIERS),
        (result.data_path, QUASI_IDENTIFIERS),
    ):
        groups: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
        for row in read_csv(path):
            groups[tuple(row[q] for q in names)].append(row)
        for members in groups.values():
            for column in SENSITIVE:
                if column in members[0]:
                    values = {row[column] for row in members}
                    assert len(values) > 1 or values <= {"0", "none", "no", "not_needed"}, (
                        path.name,
                        column,
                        values,
                    )


def _row(
    case: int,
    month: int,
    age: AgeBand = AgeBand.A10_12,
    counsellor: str = "c1",
    signs: str = "none",
) -> ResearchRow:
    return ResearchRow(
        case=case,
        counsellor=counsellor,
        year=2026,
        quarter=(month - 1) // 3 + 1,
        month=month,
        region="midtjylland",
        age=tuple(int(x) for x in age.value.split("-")),  # type: ignore[arg-type]
        age_band=age,
        gender="girl",
        caller_role="mother",
        values={"concern_signs": signs, "concern_decision": "none"},
    )


def test_a_group_that_shares_a_harmful_value_is_generalised_or_left_out() -> None:
    # five cases in January, all with signs of a concern: knowing a family is among them
    # tells the concern. With five others in February with none, generalising to the
    # quarter mixes them, and nothing is left out.
    alike = [_row(n, 1, signs="yes") for n in range(5)]
    rows = alike + [_row(n, 2) for n in range(10, 15)]
    assert homogeneous(alike, SENSITIVE) == "concern_signs"
    kept, steps = anonymise([ResearchRow(**vars(r)) for r in rows], 5, sensitive=SENSITIVE)
    by_name = {s.name: s for s in steps}
    assert len(kept) == 10 and by_name["month_to_quarter"].rows == 10
    assert homogeneous(kept, SENSITIVE) is None
    # without l-diversity the group stays as it is
    kept, steps = anonymise([ResearchRow(**vars(r)) for r in rows], 5)
    assert all(step.rows == 0 for step in steps) and len(kept) == 10
    # a group no generalisation can mix is left out
    lonely = [_row(n, 1, signs="yes") for n in range(5)]
    kept, steps = anonymise(lonely, 5, sensitive=SENSITIVE)
    assert kept == [] and steps[-1].name == "suppressed_l_diversity" and steps[-1].cases == 5
    # a group sharing a harmless value (no concern) is fine
    assert homogeneous([_row(n, 1) for n in range(5)], SENSITIVE) is None


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
    result = research_export(filled, tmp_path / "regions", k=1, l_diversity=False)
    regions = {r["region"] for r in read_csv(result.data_path)}
    assert regions == {"hovedstaden", "not_recorded"}
    package = json.loads(result.datapackage_path.read_text(encoding="utf-8"))
    assert package["regions"]["counsellors_per_region"] == {"hovedstaden": 1, "not_recorded": 2}


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
    first, second = case_rows(_item(case), Region.SYDDANMARK)
    assert (first.year, first.quarter, first.month, second.quarter, second.month) == (
        2026,
        1,
        1,
        1,
        3,
    )
    assert first.age == (10, 12) and first.gender == "boy" and first.caller_role == "father"
    assert first.region == "syddanmark" and first.contacts is None
    v1, v2 = first.values, second.values
    assert (v1["duration_from"], v1["duration_to"]) == (0, 9)
    assert (v2["duration_from"], v2["duration_to"]) == (60, "")
    assert v1["wellbeing"] == "mistrivsel" and v2["wellbeing"] == "not_recorded"
    assert (v1["step_listen"], v1["step_advise"], v2["step_advise"]) == (1, 0, 1)
    assert "theme_anxiety" not in v1  # the case's themes are in cases.csv only
    assert (v1["alliances_school"], v1["alliances_ppr"], v2["alliances_ppr"]) == (1, 1, 1)
    # the first due of the follow-ups planned at the first conversation; the last one at
    # the second
    assert v1["follow_up_outcome"] == "on_time" and v2["follow_up_outcome"] == "pending"
    assert v1["concern_decision"] == "none" and v2["concern_decision"] == "not_needed"
    assert v2["concern_signs"] == "unsure"

    whole = case_row(_item(case), Region.UNKNOWN, ["anxiety", "sleep"])
    assert whole is not None
    assert (whole.year, whole.month, whole.contacts, whole.region) == (
        2026,
        1,
        (2, 2),
        "not_recorded",
    )
    values = whole.values
    assert (values["theme_anxiety"], values["theme_sleep"], values["themes_unknown"]) == (1, 0, 1)
    assert (values["wellbeing_first"], values["wellbeing_last"]) == ("mistrivsel", "mistrivsel")
    assert (values["alliances_ppr"], values["alliances_school"]) == (2, 1)
    assert (values["follow_ups_on_time"], values["follow_ups_late"]) == (1, 1)
    assert (values["follow_ups_pending"], values["follow_ups_missed"]) == (1, 0)
    assert (values["concerns"], values["concern_signs"]) == (1, "unsure")


def test_anonymise_steps() -> None:
    # five cases in January: a group of 5; one case in February: generalised to the
    # quarter together with January, so nothing needs to be left out
    rows = [_row(n, 1) for n in range(5)] + [_row(5, 2)]
    kept, steps = anonymise(rows, 5)
    by_name = {s.name: s for s in steps}
    assert len(kept) == 6 and by_name["suppressed"].rows == 0
    assert by_name["month_to_quarter"].rows == 6 and all(r.month is None for r in kept)
    assert by_name["age_band_widened"].rows == 0 and smallest_group(kept) == 6

    # a case of another age that no generalisation can hide among 5
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
    assert kept == [] and steps[-2].rows == 5 and steps[-2].cases == 1


def test_case_rows_region_spreads_to_the_counsellor() -> None:
    # in cases.csv the counsellor's number would give a region away: when one case of a
    # counsellor becomes Denmark, all of that counsellor's cases do
    rows = [_row(n, 1) for n in range(5)] + [_row(n, 1, counsellor="c2") for n in range(5, 10)]
    rows.append(_row(10, 7, AgeBand.A18_24, counsellor="c2"))
    for row in rows:
        row.contacts, row.conversations = (1, 1), 1
    _kept, steps = anonymise(rows, 5, generalisations=CASE_GENERALISATIONS)
    regions: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        regions[r.counsellor].add(r.region)
    assert regions["c2"] == {NATIONAL}
    assert all(len(found) == 1 for found in regions.values())
    assert {s.name for s in steps} == set(CASE_STEP_NAMES)


# ---------------------------------------------------------------------------- data package


def test_the_data_package_is_valid_and_typed(filled: Notebook, tmp_path: Path) -> None:
    ids = sorted({b.counsellor_id for b in imported_bundles(filled)})
    set_counsellor_region(filled, ids[0], Region.SYDDANMARK)
    result = research_export(filled, tmp_path / "pkg", today=TODAY)
    package = json.loads(result.datapackage_path.read_text(encoding="utf-8"))
    report = frictionless.validate(str(result.datapackage_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [t.stats["rows"] for t in report.tasks] == [result.case_rows, result.rows]

    # types, missing values and the codes of every coded column, from the codebook's columns
    assert [r["path"] for r in package["resources"]] == ["cases.csv", "conversations.csv"]
    for resource, columns in zip(
        package["resources"], (result.case_columns, result.columns), strict=True
    ):
        schema = resource["schema"]
        assert [f["name"] for f in schema["fields"]] == list(columns)
        assert schema["missingValues"] == [""]
        types = {f["name"]: f["type"] for f in schema["fields"]}
        assert types["year"] == types["age_from"] == "integer"
        assert types["period_from"] == "date" and types["region"] == "string"
        for spec in schema["fields"]:
            assert spec["description"] and spec["description_da"]
            if spec["type"] == "string":
                enum = spec["constraints"]["enum"]
                assert [c["value"] for c in spec["categories"]] == enum
        gender = next(f for f in schema["fields"] if f["name"] == "gender")
        assert {"not_recorded", "generalised"} <= set(gender["constraints"]["enum"])
        signs = next(f for f in schema["fields"] if f["name"] == "concern_signs")
        assert "none" in signs["constraints"]["enum"]
    assert set(package["missing_codes"]) == {"not_recorded", "generalised", "none", ""}
    assert package["temporal_coverage"] == {
        "start": result.period[0].isoformat() if result.period else None,
        "end": result.period[1].isoformat() if result.period else None,
    }
    assert package["regions"]["counsellors_per_region"] == {"syddanmark": 1, "not_recorded": 2}

    # the validator checks the data against the schema: a code not in the list fails
    broken = tmp_path / "broken"
    shutil.copytree(result.folder, broken)
    data = (broken / "conversations.csv").read_bytes().decode("utf-8-sig")
    lines = data.split("\r\n")
    cells = lines[1].split(";")
    cells[result.columns.index("channel")] = "telepathy"
    lines[1] = ";".join(cells)
    (broken / "conversations.csv").write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    assert not frictionless.validate(str(broken / "datapackage.json")).valid


def test_duckdb_reads_the_types_of_the_data_package(filled: Notebook, tmp_path: Path) -> None:
    result = research_export(filled, tmp_path / "duck", today=TODAY)
    package = json.loads(result.datapackage_path.read_text(encoding="utf-8"))
    sql_types = {"integer": "BIGINT", "date": "DATE", "string": "VARCHAR"}
    db = duckdb.connect()
    for resource in package["resources"]:
        columns = {f["name"]: sql_types[f["type"]] for f in resource["schema"]["fields"]}
        path = str(result.folder / resource["path"])
        relation = db.sql(
            f"SELECT * FROM read_csv(?, delim = ';', header = true, columns = {columns!r})",
            params=[path],
        )
        described = dict(zip(relation.columns, (str(t) for t in relation.types), strict=True))
        assert described == columns
        rows = relation.fetchall()
        assert len(rows) == (result.case_rows if resource["name"] == "cases" else result.rows)
        first = dict(zip(relation.columns, rows[0], strict=True))
        assert isinstance(first["year"], int) and isinstance(first["period_from"], date)
        assert isinstance(first["region"], str) and isinstance(first["gender"], str)
        # an empty number is NULL, not a text: the month where generalised
        months = {row[relation.columns.index("month")] for row in rows}
        assert months <= {None, *range(1, 13)}
    # without a schema, DuckDB's own guess gets the rich columns right too
    guessed = db.sql(
        "SELECT * FROM read_csv(?, delim = ';', header = true)", params=[str(result.data_path)]
    )
    kinds = dict(zip(guessed.columns, (str(t) for t in guessed.types), strict=True))
    assert kinds["year"] == "BIGINT" and kinds["period_from"] == "DATE"
    assert kinds["channel"] == "VARCHAR" and kinds["duration_from"] == "BIGINT"
