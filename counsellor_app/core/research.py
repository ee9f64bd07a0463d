"""The research export: imported conversations as a generalised CSV, a codebook and a
report of the disclosure control, for the researcher attached to the service.

:func:`research_export` writes four files into a folder:

``conversations.csv``
    One row per imported conversation, structured fields only (never a free text, a
    bundle id, a case reference or a counsellor id), generalised: the child's age band,
    the month of the contact, the region, the length in bands. Cases and counsellors get
    numbers 1, 2, ... drawn at random anew for every export, so two exports cannot be
    joined on them and no number leads back to a bundle.
``codebook.md`` and ``codebook.json``
    Every column and every code, for people and for programs.
``README.md``
    How to open the file, and what the k-anonymity check did.

**The CSV dialect.** UTF-8 with a byte order mark, semicolons between fields and CRLF
line ends: that is what Excel set to Danish opens correctly on a double click (Danish
Excel uses the semicolon as list separator, since the comma is the decimal sign, and it
needs the byte order mark to read UTF-8 rather than the ANSI code page). A comma can be
chosen instead (``delimiter=","``). Every value is a code, a whole number or empty; ages,
lengths and periods are written as numbers in separate columns (``age_from``/``age_to``,
``year``/``quarter``/``month``) rather than texts like ``10-12`` or ``2026-01``, which
Excel would silently turn into dates. A cell that a spreadsheet would run as a formula
(beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading apostrophe; no cell produced here begins so, but the rule holds for every cell.

**Themes** are one 0/1 column per theme of the taxonomy (``theme_<id>``), so that each
can be counted or filtered alone in any tool; a theme id unknown to this version's
taxonomy (from a newer app) gets a column of its own.

**Alliances, follow-ups and concerns** belong to a case and carry a day, not a
conversation: each is counted at the case's latest conversation on or before its day (a
follow-up: before its due day, i.e. the conversation that planned it), or at the first
conversation when none is that early.

**k-anonymity.** The quasi-identifiers are what someone who knows of a family that
called could know without the data: *when* they called (the period), *where* the family
lives (the region), the child's *age band* and *gender*, and *who* called (the caller
role). The other columns (themes, wellbeing, steps, alliances, follow-ups, concerns,
channel, length) are what the data tells: the sensitive part that the check protects.
Every combination of the quasi-identifiers in the file must be shared by conversations
of at least ``k`` different cases (default 5; cases, not rows, since the conversations of
one case share the case's fields). Smaller groups are generalised step by step, each step
taking along the rows that would fall into the same generalised group (so a small month
becomes its quarter together with the rest of that quarter), then suppressed:

1. the month becomes the quarter;
2. the age band becomes a wider band (0-5, 6-12, 13-17, 18-24; for every row of the case,
   so that no other row of the case gives the band away);
3. the caller role becomes a group (parent, other carer, professional; every row of the
   case);
4. the region becomes Denmark (for every row of the counsellor, as all of a counsellor's
   cases share one region and the counsellor's number would give it away);
5. the quarter becomes the year;
6. the gender is withheld (every row of the case);
7. rows still in a group of fewer than ``k`` cases are left out.

What each step did is in the return value (:class:`ResearchExport`) and in ``README.md``.

**Regions.** Bundles carry no region. The supervisor sets one region per counsellor
(:func:`set_counsellor_region`: the five Danish regions, or unknown), kept as JSON in the
notebook's ``meta`` table under :data:`REGIONS_META`; counsellors without one are
``unknown``.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from babel.dates import format_date

from counsellor_app import __version__
from counsellor_app.core.domain import (
    AgeBand,
    CallerRole,
    Channel,
    ConcernDecision,
    ConcernSigns,
    Gender,
    HelpSystemStatus,
    Partner,
    Step,
    WellbeingLevel,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome
from counsellor_app.core.i18n import N_, _, current_language
from counsellor_app.core.safefile import atomic_write_bytes, make_private_folder, storage_error
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import ImportedCase, imported_cases
from counsellor_app.core.taxonomy import taxonomy

FORMAT_NAME = "counsellors-notebook/research-export"
FORMAT_VERSION = 1

DATA_FILE = "conversations.csv"
CODEBOOK_MD = "codebook.md"
CODEBOOK_JSON = "codebook.json"
README_FILE = "README.md"

DEFAULT_K = 5
DELIMITERS = (";", ",", "\t")

#: The meta key of the supervisor's region per counsellor (JSON: counsellor id -> region).
REGIONS_META = "research_counsellor_regions"

UNKNOWN = "unknown"
#: The gender of a row after generalisation.
WITHHELD = "withheld"

#: The first characters that make a spreadsheet treat a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Region(StrEnum):
    """The five Danish regions, and unknown."""

    HOVEDSTADEN = "hovedstaden"
    SJAELLAND = "sjaelland"
    SYDDANMARK = "syddanmark"
    MIDTJYLLAND = "midtjylland"
    NORDJYLLAND = "nordjylland"
    UNKNOWN = "unknown"


#: The region of a row after generalisation: the whole country.
NATIONAL = "denmark"

_REGION_LABELS: dict[str, str] = {
    Region.HOVEDSTADEN: N_("Capital Region of Denmark"),
    Region.SJAELLAND: N_("Region Zealand"),
    Region.SYDDANMARK: N_("Region of Southern Denmark"),
    Region.MIDTJYLLAND: N_("Central Denmark Region"),
    Region.NORDJYLLAND: N_("North Denmark Region"),
    Region.UNKNOWN: N_("Region not known"),
    NATIONAL: N_("Denmark (region withheld)"),
}


def region_label(region: str) -> str:
    """The name of a region code (or of :data:`NATIONAL`) in the current language."""
    return _(_REGION_LABELS.get(region, region))


class ResearchError(UserError):
    """The research export cannot be made (no data, a bad setting)."""


# ---------------------------------------------------------------------------- regions


@guarded
def counsellor_regions(notebook: Notebook) -> dict[str, Region]:
    """The region the supervisor set for each counsellor id (only those set)."""
    with notebook.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (REGIONS_META,)).fetchone()
    if not row:
        return {}
    try:
        stored = json.loads(row[0])
    except (TypeError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    regions: dict[str, Region] = {}
    for counsellor, value in stored.items():
        try:
            regions[str(counsellor)] = Region(value)
        except ValueError:
            continue
    return regions


@guarded
def set_counsellor_region(notebook: Notebook, counsellor_id: str, region: Region | None) -> None:
    """Set the region of a counsellor's cases for the research export (None or
    :attr:`Region.UNKNOWN` removes it). Stored in the notebook's ``meta`` table."""
    with notebook.transaction() as db:
        row = db.execute("SELECT value FROM meta WHERE key = ?", (REGIONS_META,)).fetchone()
        try:
            stored = json.loads(row[0]) if row else {}
        except (TypeError, ValueError):
            stored = {}
        if not isinstance(stored, dict):
            stored = {}
        if region is None or region == Region.UNKNOWN:
            stored.pop(counsellor_id, None)
        else:
            stored[counsellor_id] = Region(region).value
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (REGIONS_META, json.dumps(stored, sort_keys=True)),
        )


# ---------------------------------------------------------------------------- the columns


@dataclass(frozen=True)
class Column:
    """One column of the CSV, as the codebook describes it."""

    name: str
    #: ``number`` (a whole number), ``code`` (one of ``codes``), ``flag`` (0 or 1) or
    #: ``count`` (0, 1, 2, ...).
    kind: str
    #: An English msgid (translated when the codebook is written).
    description: str
    #: Code -> its meaning (already in the current language), for ``code`` columns.
    codes: dict[str, str] = field(default_factory=dict)
    quasi_identifier: bool = False
    #: Extra words for the description (already translated), e.g. a theme's name.
    detail: str = ""


#: Narrow age band -> the wider band it is generalised to.
WIDE_AGE: dict[AgeBand, tuple[int, int]] = {
    AgeBand.A0_2: (0, 5),
    AgeBand.A3_5: (0, 5),
    AgeBand.A6_9: (6, 12),
    AgeBand.A10_12: (6, 12),
    AgeBand.A13_15: (13, 17),
    AgeBand.A16_17: (13, 17),
    AgeBand.A18_24: (18, 24),
}

#: Caller role -> its group.
ROLE_GROUPS: dict[str, str] = {
    CallerRole.MOTHER: "parent",
    CallerRole.FATHER: "parent",
    CallerRole.OTHER_CARER: "carer",
    CallerRole.GRANDPARENT: "carer",
    CallerRole.FOSTER_PARENT: "carer",
    CallerRole.PROFESSIONAL: "professional",
    UNKNOWN: UNKNOWN,
}

#: Lengths of a conversation in minutes: (from, to), to None for "and longer".
DURATION_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 9),
    (10, 19),
    (20, 29),
    (30, 44),
    (45, 59),
    (60, None),
)


def _band(age: AgeBand) -> tuple[int, int]:
    low, high = age.value.split("-")
    return int(low), int(high)


def _duration(minutes: int) -> tuple[int, int | None]:
    for low, high in DURATION_BANDS:
        if high is None or minutes <= high:
            return low, high
    return DURATION_BANDS[-1]


def _columns(theme_ids: Sequence[str]) -> list[Column]:
    tax = taxonomy()
    unknown = {UNKNOWN: _("not recorded")}
    regions = {r.value: region_label(r) for r in Region} | {NATIONAL: region_label(NATIONAL)}
    roles = {r.value: label(r) for r in CallerRole} | {
        "parent": _("Parent (mother or father; after generalisation)"),
        "carer": _("Other carer (other carer, grandparent or foster parent; after generalisation)"),
    }
    columns = [
        Column("case_no", "number", N_("The case, numbered at random for this export only.")),
        Column(
            "counsellor_no",
            "number",
            N_("The counsellor, numbered at random for this export only."),
        ),
        Column(
            "conversation_no",
            "number",
            N_(
                "The conversation's place in its case, by day (1 = first); a gap means a "
                "conversation was left out by the disclosure control."
            ),
        ),
        Column("year", "number", N_("The year of the conversation."), quasi_identifier=True),
        Column(
            "quarter",
            "number",
            N_("The quarter of the conversation (1-4); empty where generalised to the year."),
            quasi_identifier=True,
        ),
        Column(
            "month",
            "number",
            N_(
                "The month of the conversation (1-12); empty where generalised to the quarter "
                "or the year."
            ),
            quasi_identifier=True,
        ),
        Column(
            "region",
            "code",
            N_("The region of the counsellor's cases, as set by the supervisor."),
            regions,
            quasi_identifier=True,
        ),
        Column(
            "age_from",
            "number",
            N_(
                "The child's age band: the lowest age in years; empty where not recorded. "
                "Bands: 0-2, 3-5, 6-9, 10-12, 13-15, 16-17, 18-24; generalised: 0-5, 6-12, "
                "13-17, 18-24."
            ),
            quasi_identifier=True,
        ),
        Column(
            "age_to",
            "number",
            N_("The child's age band: the highest age in years; empty where not recorded."),
            quasi_identifier=True,
        ),
        Column(
            "gender",
            "code",
            N_("The child's gender."),
            {g.value: label(g) for g in Gender}
            | unknown
            | {WITHHELD: _("withheld (after generalisation)")},
            quasi_identifier=True,
        ),
        Column(
            "caller_role",
            "code",
            N_("Who called."),
            roles | unknown,
            quasi_identifier=True,
        ),
        Column(
            "help_system",
            "code",
            N_("Newly worried, or already known to the help system (PPR, municipality, ...)."),
            {s.value: label(s) for s in HelpSystemStatus} | unknown,
        ),
        Column(
            "channel",
            "code",
            N_("How the contact took place."),
            {c.value: label(c) for c in Channel},
        ),
        Column(
            "duration_from",
            "number",
            N_(
                "The length of the conversation, lowest minute of its band. Bands: 0-9, "
                "10-19, 20-29, 30-44, 45-59, 60 and more."
            ),
        ),
        Column(
            "duration_to",
            "number",
            N_(
                "The length of the conversation, highest minute of its band; empty for 60 and more."
            ),
        ),
        Column(
            "wellbeing",
            "code",
            N_(
                "The child's wellbeing at this conversation: the overall level, or else the "
                "most severe level given for any arena; empty where none was given. From "
                "best to worst: trivsel, let_mistrivsel, mistrivsel, svaer_mistrivsel."
            ),
            {w.value: label(w) for w in WellbeingLevel},
        ),
    ]
    for step in Step:
        columns.append(
            Column(
                f"step_{step.value}",
                "flag",
                N_("1 if the conversation's note for this step held text, else 0. Step:"),
                detail=label(step),
            )
        )
    for theme in theme_ids:
        columns.append(
            Column(
                f"theme_{theme}",
                "flag",
                N_("1 if the case has this theme, else 0. Theme:"),
                detail=tax.label("themes", theme),
            )
        )
    columns.append(
        Column(
            "themes_unknown",
            "number",
            N_(
                "How many of the case's themes this version of the app does not know (from a "
                "newer list of themes, or a file not made by the app): counted, never named."
            ),
        )
    )
    for partner in Partner:
        columns.append(
            Column(
                f"alliances_{partner.value}",
                "count",
                N_("Alliances made with this kind of partner, counted at this conversation:"),
                detail=label(partner),
            )
        )
    columns += [
        Column(
            "follow_up_outcome",
            "code",
            N_(
                "The follow-up planned at this conversation (the first due, if several) "
                "and whether it was kept, as it stood when the bundle was made; empty where "
                "none."
            ),
            {
                FollowUpOutcome.ON_TIME.value: _("Kept on time"),
                FollowUpOutcome.LATE.value: _("Kept late"),
                FollowUpOutcome.MISSED.value: _("Missed"),
                FollowUpOutcome.PENDING.value: _("Not yet due"),
            },
        ),
        Column(
            "concern_signs",
            "code",
            N_(
                "A concern for the child's safety recorded at this conversation (the last, if "
                "several): the signs; empty where none."
            ),
            {s.value: label(s) for s in ConcernSigns},
        ),
        Column(
            "concern_decision",
            "code",
            N_("The decision of that concern; empty where none."),
            {d.value: label(d) for d in ConcernDecision},
        ),
    ]
    return columns


# ---------------------------------------------------------------------------- rows


@dataclass
class ResearchRow:
    """One conversation, its quasi-identifiers kept apart so that they can be generalised."""

    case: int  # the imported case's row id (internal only)
    counsellor: str  # the pseudonymous id (internal only)
    conversation_no: int
    year: int
    quarter: int | None
    month: int | None
    region: str
    age: tuple[int, int] | None
    age_band: AgeBand | None
    gender: str
    caller_role: str
    values: dict[str, int | str]

    def key(self) -> tuple[Any, ...]:
        return (
            self.year,
            self.quarter,
            self.month,
            self.region,
            self.age,
            self.gender,
            self.caller_role,
        )


def _attach(days: Sequence[date], day: date, *, strictly_before: bool = False) -> int:
    """The index of the latest conversation on (or strictly before) ``day``, else 0."""
    chosen = 0
    for index, talk_day in enumerate(days):
        if talk_day < day or (talk_day == day and not strictly_before):
            chosen = index
    return chosen


def case_rows(item: ImportedCase, region: Region, theme_ids: Sequence[str]) -> list[ResearchRow]:
    """The research rows of one imported case (one per conversation), in ``region``, with
    a column per theme of ``theme_ids``."""
    case: BundleCase = item.case
    talks = sorted(case.conversations, key=lambda c: c.day)
    if not talks:
        return []
    days = [t.day for t in talks]
    alliances: list[dict[Partner, int]] = [defaultdict(int) for _t in talks]
    for alliance in case.alliances:
        alliances[_attach(days, alliance.created_on)][alliance.partner] += 1
    follow_ups: list[str] = ["" for _t in talks]
    for follow_up in sorted(case.follow_ups, key=lambda f: f.due, reverse=True):
        # Reversed, so the first due of several planned at one conversation is kept.
        follow_ups[_attach(days, follow_up.due, strictly_before=True)] = follow_up.outcome.value
    concerns: list[tuple[str, str]] = [("", "") for _t in talks]
    for concern in sorted(case.concerns, key=lambda k: k.day):
        concerns[_attach(days, concern.day)] = (concern.signs.value, concern.decision.value)
    themes = set(case.themes)
    rows = []
    for index, talk in enumerate(talks):
        level = talk.overall_wellbeing()
        low, high = _duration(talk.duration_minutes)
        values: dict[str, int | str] = {
            "help_system": case.help_system.value if case.help_system else UNKNOWN,
            "channel": talk.channel.value,
            "duration_from": low,
            "duration_to": "" if high is None else high,
            "wellbeing": level.value if level else "",
        }
        for step in Step:
            values[f"step_{step.value}"] = int(step in talk.steps_covered)
        for theme in theme_ids:
            values[f"theme_{theme}"] = int(theme in themes)
        values["themes_unknown"] = len(set(themes) - set(theme_ids))
        for partner in Partner:
            values[f"alliances_{partner.value}"] = alliances[index].get(partner, 0)
        values["follow_up_outcome"] = follow_ups[index]
        values["concern_signs"], values["concern_decision"] = concerns[index]
        rows.append(
            ResearchRow(
                case=item.id,
                counsellor=item.counsellor_id,
                conversation_no=index + 1,
                year=talk.day.year,
                quarter=(talk.day.month - 1) // 3 + 1,
                month=talk.day.month,
                region=region.value,
                age=_band(case.age_band) if case.age_band else None,
                age_band=case.age_band,
                gender=case.gender.value if case.gender else UNKNOWN,
                caller_role=case.caller_role.value if case.caller_role else UNKNOWN,
                values=values,
            )
        )
    return rows


# ---------------------------------------------------------------------------- k-anonymity


#: The steps of the disclosure control, in order (see the module's docstring).
STEP_NAMES: tuple[str, ...] = (
    "month_to_quarter",
    "age_band_widened",
    "caller_role_grouped",
    "region_to_national",
    "quarter_to_year",
    "gender_withheld",
    "suppressed",
)

_STEP_TEXTS: dict[str, str] = {
    "month_to_quarter": N_("Month generalised to the quarter"),
    "age_band_widened": N_("Age band generalised to a wider band (all rows of the case)"),
    "caller_role_grouped": N_("Caller role generalised to a group (all rows of the case)"),
    "region_to_national": N_("Region generalised to Denmark (all rows of the counsellor)"),
    "quarter_to_year": N_("Quarter generalised to the year"),
    "gender_withheld": N_("Gender withheld (all rows of the case)"),
    "suppressed": N_("Rows left out (still in a group of fewer than k cases)"),
}


def step_text(name: str) -> str:
    """What a step of the disclosure control does, in the current language."""
    return _(_STEP_TEXTS[name])


@dataclass(frozen=True)
class DisclosureStep:
    """What one step of the k-anonymity check did."""

    name: str
    #: Rows whose value it changed (or, for ``suppressed``, rows left out).
    rows: int
    #: Different cases those rows belong to.
    cases: int

    @property
    def description(self) -> str:
        return step_text(self.name)


def _small_rows(rows: Sequence[ResearchRow], k: int) -> list[ResearchRow]:
    """The rows in a group of fewer than ``k`` different cases."""
    groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for row in rows:
        groups[row.key()].add(row.case)
    return [row for row in rows if len(groups[row.key()]) < k]


def smallest_group(rows: Iterable[ResearchRow]) -> int:
    """The fewest different cases sharing one combination (0 for no rows)."""
    groups: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for row in rows:
        groups[row.key()].add(row.case)
    return min((len(cases) for cases in groups.values()), default=0)


def _month_to_quarter(row: ResearchRow) -> bool:
    if row.month is None:
        return False
    row.month = None
    return True


def _widen_age(row: ResearchRow) -> bool:
    if row.age_band is None or row.age == WIDE_AGE[row.age_band]:
        return False
    row.age = WIDE_AGE[row.age_band]
    return True


def _group_role(row: ResearchRow) -> bool:
    grouped = ROLE_GROUPS.get(row.caller_role, row.caller_role)
    if grouped == row.caller_role:
        return False
    row.caller_role = grouped
    return True


def _national(row: ResearchRow) -> bool:
    if row.region == NATIONAL:
        return False
    row.region = NATIONAL
    return True


def _quarter_to_year(row: ResearchRow) -> bool:
    if row.quarter is None:
        return False
    row.quarter = row.month = None
    return True


def _withhold_gender(row: ResearchRow) -> bool:
    if row.gender == WITHHELD:
        return False
    row.gender = WITHHELD
    return True


#: The generalisation steps: name, what a row's change spreads to, the change.
_GENERALISATIONS: tuple[tuple[str, str, Callable[[ResearchRow], bool]], ...] = (
    ("month_to_quarter", "row", _month_to_quarter),
    ("age_band_widened", "case", _widen_age),
    ("caller_role_grouped", "case", _group_role),
    ("region_to_national", "counsellor", _national),
    ("quarter_to_year", "row", _quarter_to_year),
    ("gender_withheld", "case", _withhold_gender),
)


def anonymise(rows: list[ResearchRow], k: int) -> tuple[list[ResearchRow], list[DisclosureStep]]:
    """Generalise, then suppress, until every combination of the quasi-identifiers is
    shared by at least ``k`` different cases. Changes the rows in place; returns those
    kept and what each step did.

    A step generalises the rows of every group that is too small *and* the rows that
    would fall into the same generalised group (so that, say, the month of a small group
    becomes the quarter together with the other months of that quarter, and the quarter's
    group can reach ``k``); a change to a field of the case spreads to all rows of the
    case, a change to the region to all rows of the counsellor.
    """
    steps: list[DisclosureStep] = []
    for name, scope, change in _GENERALISATIONS:
        small = _small_rows(rows, k)
        if not small:
            steps.append(DisclosureStep(name, 0, 0))
            continue

        def after(
            row: ResearchRow, change: Callable[[ResearchRow], bool] = change
        ) -> tuple[Any, ...]:
            probe = replace(row)
            change(probe)
            return probe.key()

        wanted = {after(row) for row in small}
        targets = [row for row in rows if after(row) in wanted]
        if scope == "case":
            cases = {row.case for row in targets}
            targets = [row for row in rows if row.case in cases]
        elif scope == "counsellor":
            counsellors = {row.counsellor for row in targets}
            targets = [row for row in rows if row.counsellor in counsellors]
        changed = [row for row in targets if change(row)]
        steps.append(DisclosureStep(name, len(changed), len({r.case for r in changed})))
    dropped = {id(row) for row in _small_rows(rows, k)}
    gone = [row for row in rows if id(row) in dropped]
    steps.append(DisclosureStep("suppressed", len(gone), len({r.case for r in gone})))
    return [row for row in rows if id(row) not in dropped], steps


# ---------------------------------------------------------------------------- writing


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text with an apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ";") -> bytes:
    """A CSV in the export's dialect: UTF-8 with BOM, CRLF, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise("" if v is None else str(v)) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class ResearchExport:
    """What :func:`research_export` wrote and what its disclosure control did."""

    folder: Path
    data_path: Path
    codebook_path: Path
    codebook_json_path: Path
    readme_path: Path
    k: int
    delimiter: str
    #: The columns that are quasi-identifiers.
    quasi_identifiers: tuple[str, ...]
    #: Imported conversations before the check, and rows written after it.
    conversations: int
    rows: int
    cases: int
    counsellors: int
    steps: tuple[DisclosureStep, ...]
    #: The fewest different cases sharing one combination in the file (>= k, or 0).
    smallest_group: int
    columns: tuple[str, ...] = ()

    @property
    def suppressed(self) -> int:
        return next((s.rows for s in self.steps if s.name == "suppressed"), 0)

    @property
    def generalised(self) -> dict[str, int]:
        """Rows changed by each generalisation step."""
        return {s.name: s.rows for s in self.steps if s.name != "suppressed"}


QUASI_IDENTIFIERS = (
    "year",
    "quarter",
    "month",
    "region",
    "age_from",
    "age_to",
    "gender",
    "caller_role",
)


def _row_values(row: ResearchRow, case_no: int, counsellor_no: int) -> dict[str, int | str]:
    return {
        "case_no": case_no,
        "counsellor_no": counsellor_no,
        "conversation_no": row.conversation_no,
        "year": row.year,
        "quarter": "" if row.quarter is None else row.quarter,
        "month": "" if row.month is None else row.month,
        "region": row.region,
        "age_from": row.age[0] if row.age else "",
        "age_to": row.age[1] if row.age else "",
        "gender": row.gender,
        "caller_role": row.caller_role,
        **row.values,
    }


def _numbers(keys: Iterable[Any], rng: random.Random) -> dict[Any, int]:
    """1..n assigned to the keys in random order."""
    ordered = sorted(set(keys), key=str)
    numbers = list(range(1, len(ordered) + 1))
    rng.shuffle(numbers)
    return dict(zip(ordered, numbers, strict=True))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _separator(delimiter: str) -> str:
    return {";": _("semicolon"), ",": _("comma"), "\t": _("tab")}[delimiter]


def _codebook(
    columns: Sequence[Column], delimiter: str, generated: date, result_facts: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    day = format_date(generated, format="long", locale=current_language())
    separator = _separator(delimiter)
    lines = [
        "# " + _("Codebook: research export of Counsellor's Notebook"),
        "",
        _("Generated {date} by Counsellor's Notebook {version}.").format(
            date=day, version=__version__
        ),
        "",
        _(
            "The file {file} holds one row per conversation imported into the supervisor's "
            "notebook; structured fields only, generalised; no free text. Encoding: UTF-8 "
            "with byte order mark; fields separated by {separator}; lines end with CRLF. An "
            "empty cell means not recorded or none. Columns marked QI are quasi-identifiers "
            "of the k-anonymity check (see README.md)."
        ).format(file=DATA_FILE, separator=separator),
        "",
        "| {} | {} | {} | {} | {} |".format(
            _("Column"), _("Type"), "QI", _("Description"), _("Codes")
        ),
        "|---|---|---|---|---|",
    ]
    kinds = {
        "number": _("whole number"),
        "code": _("code"),
        "flag": _("0 or 1"),
        "count": _("count"),
    }
    described = []
    for column in columns:
        text = _(column.description)
        if column.detail:
            text = f"{text} {column.detail}"
        codes = "; ".join(f"`{code}` = {meaning}" for code, meaning in column.codes.items())
        lines.append(
            "| `{}` | {} | {} | {} | {} |".format(
                column.name,
                kinds[column.kind],
                "QI" if column.quasi_identifier else "",
                _md_cell(text),
                _md_cell(codes),
            )
        )
        described.append(
            {
                "name": column.name,
                "type": column.kind,
                "quasi_identifier": column.quasi_identifier,
                "description": text,
                "codes": column.codes,
            }
        )
    lines.append("")
    machine = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "taxonomy_version": taxonomy().version,
        "generated_on": generated.isoformat(),
        "language": current_language(),
        "file": {
            "name": DATA_FILE,
            "encoding": "utf-8-sig",
            "delimiter": delimiter,
            "line_terminator": "\r\n",
            "header": True,
            "empty_means": "not recorded or none",
            "formula_cells": "prefixed with an apostrophe (')",
        },
        "columns": described,
        "disclosure_control": result_facts,
    }
    return "\n".join(lines), machine


def _readme(result_facts: dict[str, Any], steps: Sequence[DisclosureStep], delimiter: str) -> str:
    k = result_facts["k"]
    lines = [
        "# " + _("Research export from Counsellor's Notebook"),
        "",
        _(
            "{data}: one row per conversation ({rows} rows, {cases} cases, {counsellors} "
            "counsellors). {codebook} and {codebook_json}: every column and code."
        ).format(
            data=DATA_FILE,
            rows=result_facts["rows"],
            cases=result_facts["cases"],
            counsellors=result_facts["counsellors"],
            codebook=CODEBOOK_MD,
            codebook_json=CODEBOOK_JSON,
        ),
        "",
        "## " + _("Opening the file"),
        "",
        *(
            [
                _(
                    "Excel set to Danish opens the file correctly with a double click (UTF-8 "
                    "with byte order mark, semicolon-separated)."
                )
            ]
            if delimiter == ";"
            else []
        ),
        _(
            "In Excel set to another language use Data > From Text/CSV and choose UTF-8 "
            'and the separator ({separator}). R: read.csv("{file}", sep = "{sep}", '
            'fileEncoding = "UTF-8-BOM"). Python: pandas.read_csv("{file}", '
            'sep="{sep}", encoding="utf-8-sig").'
        ).format(
            file=DATA_FILE, sep=delimiter.replace("\t", "\\t"), separator=_separator(delimiter)
        ),
        "",
        "## " + _("Disclosure control (k-anonymity)"),
        "",
        _(
            "Every combination of the quasi-identifiers (period, region, age band, gender, "
            "caller role) in the file is shared by conversations of at least k = {k} "
            "different cases; the smallest such group in the file has {smallest} cases. "
            "Case and counsellor numbers are drawn at random for each export and lead back "
            "to nothing."
        ).format(k=k, smallest=result_facts["smallest_group"]),
        "",
        _(
            "The quasi-identifiers are what someone who knows of a family that called could "
            "know without the data: when they called, where the family lives, the child's "
            "age and gender, and who called. The other columns are what the data tells, and "
            "are what the check protects."
        ),
        "",
        _(
            "{total} conversations were imported. Smaller groups were generalised step by "
            "step; rows still in a group of fewer than k cases were left out:"
        ).format(total=result_facts["conversations"]),
        "",
        "| {} | {} | {} | {} |".format(_("Step"), _("What"), _("Rows"), _("Cases")),
        "|---|---|---|---|",
    ]
    for n, step in enumerate(steps, start=1):
        lines.append(f"| {n} | {_md_cell(step.description)} | {step.rows} | {step.cases} |")
    lines += [
        "",
        _(
            "Mind: the rows of one case share its case number, so the periods of a case's "
            "conversations can be read together. Do not publish counts below {k}, and do "
            "not try to find out who a family is."
        ).format(k=k),
        "",
    ]
    return "\n".join(lines)


@guarded
def research_rows(
    notebook: Notebook, *, k: int = DEFAULT_K, rng: random.Random | None = None
) -> tuple[list[Column], list[dict[str, int | str]], ResearchExport]:
    """The columns and rows of the research CSV and what the check did, without writing
    (the paths of the result are empty)."""
    if k < 1:
        raise ResearchError(_("k must be at least 1."))
    rng = rng or random.SystemRandom()
    items = imported_cases(notebook, texts=False)
    # Only the themes this version knows become columns: an unknown id (a newer taxonomy,
    # or a hostile file) is counted in themes_unknown, never turned into a column.
    theme_ids = [t.id for t in taxonomy().themes]
    regions = counsellor_regions(notebook)
    rows: list[ResearchRow] = []
    for item in items:
        rows += case_rows(item, regions.get(item.counsellor_id, Region.UNKNOWN), theme_ids)
    total = len(rows)
    if not total:
        raise ResearchError(_("Nothing to export: the notebook holds no imported conversations."))
    kept, steps = anonymise(rows, k)
    case_numbers = _numbers((r.case for r in kept), rng)
    counsellor_numbers = _numbers((r.counsellor for r in kept), rng)
    columns = _columns(theme_ids)
    names = [c.name for c in columns]
    out = [_row_values(r, case_numbers[r.case], counsellor_numbers[r.counsellor]) for r in kept]
    out.sort(key=lambda v: (int(v["case_no"]), int(v["conversation_no"])))
    result = ResearchExport(
        folder=Path(),
        data_path=Path(),
        codebook_path=Path(),
        codebook_json_path=Path(),
        readme_path=Path(),
        k=k,
        delimiter=";",
        quasi_identifiers=QUASI_IDENTIFIERS,
        conversations=total,
        rows=len(kept),
        cases=len(case_numbers),
        counsellors=len(counsellor_numbers),
        steps=tuple(steps),
        smallest_group=smallest_group(kept),
        columns=tuple(names),
    )
    return columns, out, result


def research_export(
    notebook: Notebook,
    folder: Path,
    *,
    k: int = DEFAULT_K,
    delimiter: str = ";",
    today: date | None = None,
    rng: random.Random | None = None,
) -> ResearchExport:
    """Write the research export of a supervisor's notebook into ``folder`` (made if
    missing; the four files are replaced, each atomically). See the module's docstring.

    Raises :class:`ResearchError` (no imported conversations, k < 1, a bad delimiter) and
    :class:`~counsellor_app.core.errors.StorageError` when the folder cannot be written.
    """
    if delimiter not in DELIMITERS:
        raise ResearchError(_("The separator must be a semicolon, a comma or a tab."))
    columns, rows, result = research_rows(notebook, k=k, rng=rng)
    folder = Path(folder)
    try:
        make_private_folder(folder)
    except OSError as error:
        raise storage_error(error, str(folder)) from error
    names = [c.name for c in columns]
    facts: dict[str, Any] = {
        "k": k,
        "unit": "case",
        "quasi_identifiers": list(QUASI_IDENTIFIERS),
        "conversations": result.conversations,
        "rows": result.rows,
        "cases": result.cases,
        "counsellors": result.counsellors,
        "smallest_group": result.smallest_group,
        "steps": [
            {"step": s.name, "description": s.description, "rows": s.rows, "cases": s.cases}
            for s in result.steps
        ],
    }
    generated = today or date.today()
    codebook_md, codebook_json = _codebook(columns, delimiter, generated, facts)
    paths = {name: folder / name for name in (DATA_FILE, CODEBOOK_MD, CODEBOOK_JSON, README_FILE)}
    atomic_write_bytes(
        paths[DATA_FILE],
        csv_bytes(names, ([row[n] for n in names] for row in rows), delimiter),
    )
    atomic_write_bytes(paths[CODEBOOK_MD], codebook_md.encode("utf-8"))
    atomic_write_bytes(
        paths[CODEBOOK_JSON],
        json.dumps(codebook_json, ensure_ascii=False, indent=2).encode("utf-8"),
    )
    atomic_write_bytes(paths[README_FILE], _readme(facts, result.steps, delimiter).encode("utf-8"))
    return ResearchExport(
        folder=folder,
        data_path=paths[DATA_FILE],
        codebook_path=paths[CODEBOOK_MD],
        codebook_json_path=paths[CODEBOOK_JSON],
        readme_path=paths[README_FILE],
        k=k,
        delimiter=delimiter,
        quasi_identifiers=QUASI_IDENTIFIERS,
        conversations=result.conversations,
        rows=result.rows,
        cases=result.cases,
        counsellors=result.counsellors,
        steps=result.steps,
        smallest_group=result.smallest_group,
        columns=result.columns,
    )
