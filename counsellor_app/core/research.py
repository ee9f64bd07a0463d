"""The research export: imported cases and conversations as two generalised CSV files, a
codebook in Danish and in English, a Frictionless data package and a report of the
disclosure control, for the researcher attached to the service.

:func:`research_export` writes into a folder:

``cases.csv``
    One row per imported case: the period of its first conversation, how many
    conversations it had (in bands), region, age band, gender, caller role, and what the
    case holds (themes, wellbeing at the first and the last conversation, alliances,
    follow-ups, the latest concern). Counsellors get numbers 1, 2, ... drawn at random
    anew for every export.
``conversations.csv``
    One row per imported conversation, *without any link to its case*: its period,
    region, age band, gender, caller role, and what happened in it (channel, length,
    wellbeing, steps, alliances, follow-up, concern). No case number, no conversation
    number, no case-level field that would tie a case's rows together (themes and help
    system are in ``cases.csv`` only), and rows in an order that says nothing (sorted by
    the quasi-identifiers, at random within a group).
``codebook.md``, ``codebook.en.md`` and ``codebook.json``
    Every column and every code, in Danish, in English, and for programs.
``datapackage.json``
    A Frictionless data package: each file's table schema (types, missing values, the
    codes of every coded column), the period covered and the regions as set.
``README.md`` and ``README.en.md``
    How to open the files, and what the disclosure control did, in Danish and in English
    (whatever the window's language).

**Why two files and no case link.** Per row, k-anonymity held before; but a case number
links a case's rows, and the pattern of when a family called (January, March and June)
singles a family out far more than one row does: in a realistic notebook dozens of cases
fell below k that way. Applying k to the whole pattern of a case's contacts would have to
blur every date into years and drop many cases. Instead the two files are each made
k-anonymous on their own, and neither can be joined to the other: a case appears once in
``cases.csv``, and a conversation in ``conversations.csv`` cannot be tied to another of
the same case. Someone who knows when a family called finds, for each call, a group of
conversations from at least k different cases, and cannot tell which belong together.

**The CSV dialect.** UTF-8 with a byte order mark, semicolons between fields and CRLF
line ends: that is what Excel set to Danish opens correctly on a double click (Danish
Excel uses the semicolon as list separator, since the comma is the decimal sign, and it
needs the byte order mark to read UTF-8 rather than the ANSI code page). A comma can be
chosen instead (``delimiter=","``). Every value is a code, a whole number, an ISO date
(``period_from``/``period_to``) or empty; ages, lengths and periods are also written as
numbers in separate columns (``age_from``/``age_to``, ``year``/``quarter``/``month``)
rather than texts like ``10-12``, which Excel would silently turn into dates. A cell that a
spreadsheet would run as a formula (beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) is written with a leading apostrophe; no cell produced here begins so,
but the rule holds for every cell.

**Codes for what is missing.** A coded column says why a value is missing:
``not_recorded`` (the counsellor did not record it), ``generalised`` (withheld by the
disclosure control) or ``none`` (there was none: no concern, no follow-up). A number
column is empty where it has no value; the codebook says why for each (``month`` empty:
generalised, see ``period_unit``; ``age_from`` empty: not recorded).

**Themes** are one 0/1 column per theme of the taxonomy (``theme_<id>``) in
``cases.csv``; a theme id unknown to this version's taxonomy (from a newer app) is
counted, never named.

**Alliances, follow-ups and concerns** belong to a case and carry a day, not a
conversation: in ``conversations.csv`` each is counted at the case's latest conversation
on or before its day (a follow-up: before its due day, i.e. the conversation that planned
it), or at the first conversation when none is that early; ``cases.csv`` counts them all.

**k-anonymity.** The quasi-identifiers are what someone who knows of a family that
called could know without the data: *when* they called (the period; for a case, the
period of the first call and how many calls), *where* the family lives (the region), the
child's *age band* and *gender*, and *who* called (the caller role). Every combination of
the quasi-identifiers in each file must be shared by at least ``k`` different cases
(default 5; cases, not rows). Smaller groups are generalised step by step, each step
taking along the rows that would fall into the same generalised group (so a small month
becomes its quarter together with the rest of that quarter), then left out:

1. the month becomes the quarter;
2. (cases) the number of conversations becomes a band (1, 2, 3-4, 5-9, 10 and more);
3. the age band becomes a wider band (0-5, 6-12, 13-17, 18-24);
4. the caller role becomes a group (parent, other carer, professional);
5. the region becomes Denmark (in ``cases.csv`` for every case of the counsellor, as all
   of a counsellor's cases share one region and the counsellor's number would give it
   away);
6. the quarter becomes the year;
7. (cases) the number of conversations becomes 1 or 2 and more;
8. the gender is withheld;
9. rows still in a group of fewer than ``k`` cases are left out.

**l-diversity.** Some columns would harm a family if disclosed (:data:`SENSITIVE`: the
concern's signs and decision, the themes self-harm and violence or abuse). With
``l_diversity`` (the default), a group in which every case shares the same harmful value
of one of them (a concern with signs, a decision other than "not needed", a theme that is
there) counts as too small: it is generalised like the others, and left out when it stays
so (step 10). Knowing a family is in a group then never tells that harmful value.

What each step did is in the return value (:class:`ResearchExport`) and in ``README.md``.
Every text of the codebooks and the README passes the anonymity gate
(:mod:`counsellor_app.core.gate`) like every other text that leaves a notebook.

**Regions.** Bundles carry no region. The supervisor sets one region per counsellor
(:func:`set_counsellor_region`: the five Danish regions, or unknown), kept as JSON in the
notebook's ``meta`` table under :data:`REGIONS_META`; counsellors without one are
``not_recorded`` in the files.
"""

from __future__ import annotations

import calendar
import csv
import gettext
import io
import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cache
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
    label_id,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.format import BundleCase, FollowUpOutcome
from counsellor_app.core.gate import Gate, Place
from counsellor_app.core.i18n import DOMAIN, LOCALE_DIR, N_, _
from counsellor_app.core.safefile import atomic_write_bytes, make_private_folder, storage_error
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import ImportedCase, imported_cases
from counsellor_app.core.taxonomy import taxonomy

FORMAT_NAME = "counsellors-notebook/research-export"
FORMAT_VERSION = 2

CASES_FILE = "cases.csv"
DATA_FILE = "conversations.csv"
CODEBOOK_MD = "codebook.md"
CODEBOOK_EN_MD = "codebook.en.md"
CODEBOOK_JSON = "codebook.json"
DATAPACKAGE = "datapackage.json"
README_FILE = "README.md"
README_EN_FILE = "README.en.md"

DEFAULT_K = 5
DELIMITERS = (";", ",", "\t")

#: The meta key of the supervisor's region per counsellor (JSON: counsellor id -> region).
REGIONS_META = "research_counsellor_regions"

UNKNOWN = "unknown"
#: The codes of a coded column for a missing value: not recorded by the counsellor,
#: withheld by the disclosure control, and none there.
NOT_RECORDED = "not_recorded"
GENERALISED = "generalised"
NONE = "none"

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


# ---------------------------------------------------------------------------- languages

#: A text of the codebook: an English message id (translated when written), or the
#: same text already given in Danish and in English (a taxonomy label).
Text = str | tuple[str, str]

#: The languages of the codebooks, Danish first, and their file names.
CODEBOOK_LANGUAGES: tuple[tuple[str, str], ...] = (("da", CODEBOOK_MD), ("en", CODEBOOK_EN_MD))
#: The languages of the README, Danish first, and their file names.
README_LANGUAGES: tuple[tuple[str, str], ...] = (("da", README_FILE), ("en", README_EN_FILE))


#: The program's name in the English texts (the Danish one, "Rådgiverens notesbog", passes).
_APP_NAME = "Counsellor's Notebook"


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )


class Writer:
    """The texts of one language for the codebook and the README, every one through the
    anonymity gate (:class:`~counsellor_app.core.gate.Gate`): they leave the notebook like
    any other text. The language is given, not switched, so that the export can write
    Danish and English from a worker thread while the window keeps its own language."""

    def __init__(self, language: str, gate: Gate | None = None) -> None:
        self.language = language
        self.gate = gate or Gate()
        self._cleaned: dict[str, str] = {}

    def __call__(self, text: Text, place: str = "codebook") -> str:
        """``text`` in this language, as the gate lets it leave."""
        if isinstance(text, tuple):
            words = text[0] if self.language == "da" else text[1]
        else:
            words = _catalog(self.language).gettext(text)
        # The same label stands in many places (codebooks, JSON, data package): it is
        # the same text, so it passes the gate once.
        if (cleaned := self._cleaned.get(words)) is None:
            # The program's own name is no person's ("Counsellor's" read as a name made
            # the English title "[navn] Notebook"): the text around it passes the gate.
            cleaned = _APP_NAME.join(
                str(self.gate.clean(part, Place("research-export", place))) if part else ""
                for part in words.split(_APP_NAME)
            )
            self._cleaned[words] = cleaned
        return cleaned


# ---------------------------------------------------------------------------- the columns


@dataclass(frozen=True)
class Column:
    """One column of a CSV, as the codebook and the data package describe it."""

    name: str
    #: ``number`` (a whole number), ``code`` (one of ``codes``), ``flag`` (0 or 1),
    #: ``count`` (0, 1, 2, ...) or ``date`` (ISO 8601, YYYY-MM-DD).
    kind: str
    #: An English msgid (translated when the codebook is written).
    description: str
    #: Code -> its meaning, for ``code`` columns (in the order of the codebook).
    codes: Mapping[str, Text] = field(default_factory=dict)
    quasi_identifier: bool = False
    #: Extra words for the description, e.g. a theme's name.
    detail: Text = ""
    #: Why a cell of a number, flag, count or date column is empty (an msgid), if it can be.
    empty: str = ""


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
    NOT_RECORDED: NOT_RECORDED,
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

#: The number of a case's conversations, in bands when generalised (to None: "and more").
CONTACT_BANDS: tuple[tuple[int, int | None], ...] = ((1, 1), (2, 2), (3, 4), (5, 9), (10, None))
CONTACT_BANDS_WIDE: tuple[tuple[int, int | None], ...] = ((1, 1), (2, None))

#: The columns that would harm a family if disclosed (l-diversity), and their values that
#: do not (a group may share one of these).
SENSITIVE: tuple[str, ...] = (
    "concern_signs",
    "concern_decision",
    "theme_self_harm",
    "theme_violence_abuse",
)
HARMLESS: frozenset[int | str] = frozenset(
    {
        0,
        "",
        NONE,
        NOT_RECORDED,
        GENERALISED,
        ConcernSigns.NO.value,
        ConcernDecision.NOT_NEEDED.value,
    }
)

#: The quasi-identifiers of each file.
QUASI_IDENTIFIERS = (
    "year",
    "quarter",
    "month",
    "period_unit",
    "period_from",
    "period_to",
    "region",
    "age_from",
    "age_to",
    "gender",
    "caller_role",
)
CASE_QUASI_IDENTIFIERS = (
    *QUASI_IDENTIFIERS[:6],
    "contacts_from",
    "contacts_to",
    *QUASI_IDENTIFIERS[6:],
)


def _band(age: AgeBand) -> tuple[int, int]:
    low, high = age.value.split("-")
    return int(low), int(high)


def _in_band(n: int, bands: Sequence[tuple[int, int | None]]) -> tuple[int, int | None]:
    for low, high in bands:
        if high is None or n <= high:
            return low, high
    return bands[-1]


def _duration(minutes: int) -> tuple[int, int | None]:
    return _in_band(minutes, DURATION_BANDS)


def _period_columns(what: str) -> list[Column]:
    """The columns of a period (of the conversation, or of a case's first one)."""
    return [
        Column("year", "number", what, quasi_identifier=True, detail=N_("Year.")),
        Column(
            "quarter",
            "number",
            what,
            quasi_identifier=True,
            detail=N_("Quarter (1-4)."),
            empty=N_("generalised to the year"),
        ),
        Column(
            "month",
            "number",
            what,
            quasi_identifier=True,
            detail=N_("Month (1-12)."),
            empty=N_("generalised to the quarter or the year"),
        ),
        Column(
            "period_unit",
            "code",
            N_("How precisely the period is given (the disclosure control may widen it)."),
            {
                "month": N_("month"),
                "quarter": N_("quarter (generalised)"),
                "year": N_("year (generalised)"),
            },
            quasi_identifier=True,
        ),
        Column(
            "period_from",
            "date",
            N_("The first day of the period (month, quarter or year), as a date."),
            quasi_identifier=True,
        ),
        Column(
            "period_to",
            "date",
            N_("The last day of the period (month, quarter or year), as a date."),
            quasi_identifier=True,
        ),
    ]


def _person_columns() -> list[Column]:
    """Region, age band, gender and caller role: the case's quasi-identifiers."""
    regions: dict[str, Text] = {r.value: _REGION_LABELS[r] for r in Region if r != Region.UNKNOWN}
    regions |= {NATIONAL: _REGION_LABELS[NATIONAL], NOT_RECORDED: N_("not set by the supervisor")}
    roles: dict[str, Text] = {r.value: label_id(r) for r in CallerRole}
    roles |= {
        "parent": N_("Parent (mother or father; after generalisation)"),
        "carer": N_(
            "Other carer (other carer, grandparent or foster parent; after generalisation)"
        ),
        NOT_RECORDED: N_("not recorded"),
    }
    return [
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
                "The child's age band: the lowest age in years. Bands: 0-2, 3-5, 6-9, 10-12, "
                "13-15, 16-17, 18-24; generalised: 0-5, 6-12, 13-17, 18-24."
            ),
            quasi_identifier=True,
            empty=N_("not recorded"),
        ),
        Column(
            "age_to",
            "number",
            N_("The child's age band: the highest age in years."),
            quasi_identifier=True,
            empty=N_("not recorded"),
        ),
        Column(
            "gender",
            "code",
            N_("The child's gender."),
            {g.value: label_id(g) for g in Gender}
            | {
                NOT_RECORDED: N_("not recorded"),
                GENERALISED: N_("withheld (after generalisation)"),
            },
            quasi_identifier=True,
        ),
        Column("caller_role", "code", N_("Who called."), roles, quasi_identifier=True),
    ]


def _concern_columns(what: str) -> list[Column]:
    return [
        Column(
            "concern_signs",
            "code",
            what,
            {s.value: label_id(s) for s in ConcernSigns} | {NONE: N_("no concern recorded")},
        ),
        Column(
            "concern_decision",
            "code",
            N_("The decision of that concern."),
            {d.value: label_id(d) for d in ConcernDecision} | {NONE: N_("no concern recorded")},
        ),
    ]


def _wellbeing_codes() -> Mapping[str, Text]:
    return {w.value: label_id(w) for w in WellbeingLevel} | {NOT_RECORDED: N_("none given")}


def conversation_columns() -> list[Column]:
    """The columns of ``conversations.csv``, in order."""
    columns = _period_columns(N_("When the conversation took place."))
    columns += _person_columns()
    columns += [
        Column(
            "channel",
            "code",
            N_("How the contact took place."),
            {c.value: label_id(c) for c in Channel},
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
            N_("The length of the conversation, highest minute of its band."),
            empty=N_("60 minutes and more (no upper bound)"),
        ),
        Column(
            "wellbeing",
            "code",
            N_(
                "The child's wellbeing at this conversation: the overall level, or else the "
                "most severe level given for any arena. The codes are listed from best to "
                "worst."
            ),
            _wellbeing_codes(),
        ),
    ]
    for step in Step:
        columns.append(
            Column(
                f"step_{step.value}",
                "flag",
                N_("1 if the conversation's note for this step held text, else 0. Step:"),
                detail=label_id(step),
            )
        )
    for partner in Partner:
        columns.append(
            Column(
                f"alliances_{partner.value}",
                "count",
                N_("Alliances made with this kind of partner, counted at this conversation:"),
                detail=label_id(partner),
            )
        )
    columns.append(
        Column(
            "follow_up_outcome",
            "code",
            N_(
                "The follow-up planned at this conversation (the first due, if several) "
                "and whether it was kept, as it stood when the bundle was made."
            ),
            {
                FollowUpOutcome.ON_TIME.value: N_("Kept on time"),
                FollowUpOutcome.LATE.value: N_("Kept late"),
                FollowUpOutcome.MISSED.value: N_("Missed"),
                FollowUpOutcome.PENDING.value: N_("Not yet due"),
                NONE: N_("no follow-up planned"),
            },
        )
    )
    columns += _concern_columns(
        N_(
            "A concern for the child's safety recorded at this conversation (the last, if "
            "several): the signs."
        )
    )
    return columns


def case_columns(theme_ids: Sequence[str]) -> list[Column]:
    """The columns of ``cases.csv``, in order, with a column per theme of ``theme_ids``."""
    tax = taxonomy()
    columns = [
        Column(
            "counsellor_no",
            "number",
            N_("The counsellor, numbered at random for this export only."),
        ),
        *_period_columns(N_("When the case's first conversation took place.")),
        Column(
            "contacts_from",
            "number",
            N_(
                "How many conversations the case had: the lowest number of its band (the exact "
                "number, or a band after generalisation: 1, 2, 3-4, 5-9, 10 and more; or 1, 2 "
                "and more)."
            ),
            quasi_identifier=True,
        ),
        Column(
            "contacts_to",
            "number",
            N_("How many conversations the case had: the highest number of its band."),
            quasi_identifier=True,
            empty=N_("no upper bound (and more)"),
        ),
        *_person_columns(),
        Column(
            "help_system",
            "code",
            N_("Newly worried, or already known to the help system (PPR, municipality, ...)."),
            {s.value: label_id(s) for s in HelpSystemStatus} | {NOT_RECORDED: N_("not recorded")},
        ),
        Column(
            "wellbeing_first",
            "code",
            N_(
                "The child's wellbeing at the first conversation that gave one (the overall "
                "level, or else the most severe level given for any arena). The codes are "
                "listed from best to worst."
            ),
            _wellbeing_codes(),
        ),
        Column(
            "wellbeing_last",
            "code",
            N_(
                "The child's wellbeing at the last conversation that gave one; the same as "
                "the first where only one did."
            ),
            _wellbeing_codes(),
        ),
    ]
    for theme in theme_ids:
        term = tax.term("themes", theme)
        columns.append(
            Column(
                f"theme_{theme}",
                "flag",
                N_("1 if the case has this theme, else 0. Theme:"),
                detail=(term.da, term.en) if term else (theme, theme),
            )
        )
    columns.append(
        Column(
            "themes_unknown",
            "count",
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
                N_("Alliances made in the case with this kind of partner:"),
                detail=label_id(partner),
            )
        )
    for outcome, text in (
        (FollowUpOutcome.ON_TIME, N_("Follow-ups kept on time.")),
        (FollowUpOutcome.LATE, N_("Follow-ups kept late.")),
        (FollowUpOutcome.MISSED, N_("Follow-ups missed.")),
        (FollowUpOutcome.PENDING, N_("Follow-ups not yet due.")),
    ):
        columns.append(Column(f"follow_ups_{outcome.value}", "count", text))
    columns.append(
        Column("concerns", "count", N_("Concerns for the child's safety recorded in the case."))
    )
    columns += _concern_columns(
        N_("The latest concern for the child's safety recorded in the case: the signs.")
    )
    return columns


# ---------------------------------------------------------------------------- rows


@dataclass
class ResearchRow:
    """One row (a conversation, or a case), its quasi-identifiers kept apart so that they
    can be generalised; ``case`` and ``counsellor`` are internal and never written as
    they are."""

    case: int  # the imported case's row id (internal only)
    counsellor: str  # the pseudonymous id (internal only)
    year: int
    quarter: int | None
    month: int | None
    region: str
    age: tuple[int, int] | None
    age_band: AgeBand | None
    gender: str
    caller_role: str
    values: dict[str, int | str]
    #: A case row: how many conversations (a band); None on a conversation row.
    contacts: tuple[int, int | None] | None = None
    conversations: int = 0

    def key(self, changes: dict[str, Any] | None = None) -> tuple[Any, ...]:
        """The quasi-identifiers as they stand (what groups rows), or as they would be
        after ``changes`` (field -> value)."""
        if changes:
            key = list(self.key())
            for name, value in changes.items():
                key[_KEY_INDEX[name]] = value
            return tuple(key)
        return (
            self.year,
            self.quarter,
            self.month,
            self.region,
            self.age,
            self.gender,
            self.caller_role,
            self.contacts,
        )


_KEY_FIELDS = ("year", "quarter", "month", "region", "age", "gender", "caller_role", "contacts")
_KEY_INDEX = {name: index for index, name in enumerate(_KEY_FIELDS)}


# The enums' members and their columns, once (iterating an enum per row is slow).
_STEP_COLUMNS = tuple((step, f"step_{step.value}") for step in Step)
_PARTNER_COLUMNS = tuple((partner, f"alliances_{partner.value}") for partner in Partner)
_OUTCOME_COLUMNS = tuple((outcome, f"follow_ups_{outcome.value}") for outcome in FollowUpOutcome)


def _attach(days: Sequence[date], day: date, *, strictly_before: bool = False) -> int:
    """The index of the latest conversation on (or strictly before) ``day``, else 0."""
    chosen = 0
    for index, talk_day in enumerate(days):
        if talk_day < day or (talk_day == day and not strictly_before):
            chosen = index
    return chosen


def _person(item: ImportedCase, region: Region) -> dict[str, Any]:
    """The case's quasi-identifiers other than the period (the same on all its rows)."""
    case = item.case
    return {
        "case": item.id,
        "counsellor": item.counsellor_id,
        "region": NOT_RECORDED if region == Region.UNKNOWN else region.value,
        "age": _band(case.age_band) if case.age_band else None,
        "age_band": case.age_band,
        "gender": case.gender.value if case.gender else NOT_RECORDED,
        "caller_role": case.caller_role.value if case.caller_role else NOT_RECORDED,
    }


def _when(day: date) -> dict[str, Any]:
    return {"year": day.year, "quarter": (day.month - 1) // 3 + 1, "month": day.month}


def case_rows(item: ImportedCase, region: Region) -> list[ResearchRow]:
    """The rows of ``conversations.csv`` of one imported case (one per conversation, in
    order of day), in ``region``."""
    case: BundleCase[str] = item.case
    talks = sorted(case.conversations, key=lambda c: c.day)
    if not talks:
        return []
    days = [t.day for t in talks]
    alliances: list[dict[Partner, int]] = [defaultdict(int) for _t in talks]
    for alliance in case.alliances:
        alliances[_attach(days, alliance.created_on)][alliance.partner] += 1
    follow_ups: list[str] = [NONE for _t in talks]
    for follow_up in sorted(case.follow_ups, key=lambda f: f.due, reverse=True):
        # Reversed, so the first due of several planned at one conversation is kept.
        follow_ups[_attach(days, follow_up.due, strictly_before=True)] = follow_up.outcome.value
    concerns: list[tuple[str, str]] = [(NONE, NONE) for _t in talks]
    for concern in sorted(case.concerns, key=lambda k: k.day):
        concerns[_attach(days, concern.day)] = (concern.signs.value, concern.decision.value)
    person = _person(item, region)
    rows = []
    for index, talk in enumerate(talks):
        level = talk.overall_wellbeing()
        low, high = _duration(talk.duration_minutes)
        values: dict[str, int | str] = {
            "channel": talk.channel.value,
            "duration_from": low,
            "duration_to": "" if high is None else high,
            "wellbeing": level.value if level else NOT_RECORDED,
        }
        for step, step_column in _STEP_COLUMNS:
            values[step_column] = int(step in talk.steps_covered)
        for partner, partner_column in _PARTNER_COLUMNS:
            values[partner_column] = alliances[index].get(partner, 0)
        values["follow_up_outcome"] = follow_ups[index]
        values["concern_signs"], values["concern_decision"] = concerns[index]
        rows.append(ResearchRow(**person, **_when(talk.day), values=values))
    return rows


def case_row(item: ImportedCase, region: Region, theme_ids: Sequence[str]) -> ResearchRow | None:
    """The row of ``cases.csv`` of one imported case (None without conversations), in
    ``region``, with a column per theme of ``theme_ids``."""
    case: BundleCase[str] = item.case
    talks = sorted(case.conversations, key=lambda c: c.day)
    if not talks:
        return None
    levels = [level for talk in talks if (level := talk.overall_wellbeing()) is not None]
    themes = set(case.themes)
    values: dict[str, int | str] = {
        "help_system": case.help_system.value if case.help_system else NOT_RECORDED,
        "wellbeing_first": levels[0].value if levels else NOT_RECORDED,
        "wellbeing_last": levels[-1].value if levels else NOT_RECORDED,
    }
    for theme in theme_ids:
        values[f"theme_{theme}"] = int(theme in themes)
    values["themes_unknown"] = len(themes - set(theme_ids))
    partners = Counter(a.partner for a in case.alliances)
    for partner, partner_column in _PARTNER_COLUMNS:
        values[partner_column] = partners[partner]
    outcomes = Counter(f.outcome for f in case.follow_ups)
    for outcome, outcome_column in _OUTCOME_COLUMNS:
        values[outcome_column] = outcomes[outcome]
    values["concerns"] = len(case.concerns)
    latest = max(case.concerns, key=lambda k: k.day, default=None)
    values["concern_signs"] = latest.signs.value if latest else NONE
    values["concern_decision"] = latest.decision.value if latest else NONE
    return ResearchRow(
        **_person(item, region),
        **_when(talks[0].day),
        values=values,
        contacts=(len(talks), len(talks)),
        conversations=len(talks),
    )


# ---------------------------------------------------------------------------- k-anonymity


#: The steps of the disclosure control of ``conversations.csv``, in order (see the
#: module's docstring).
STEP_NAMES: tuple[str, ...] = (
    "month_to_quarter",
    "age_band_widened",
    "caller_role_grouped",
    "region_to_national",
    "quarter_to_year",
    "gender_withheld",
    "suppressed",
    "suppressed_l_diversity",
)
#: The same of ``cases.csv``.
CASE_STEP_NAMES: tuple[str, ...] = (
    "month_to_quarter",
    "contacts_banded",
    "age_band_widened",
    "caller_role_grouped",
    "region_to_national",
    "quarter_to_year",
    "contacts_wide",
    "gender_withheld",
    "suppressed",
    "suppressed_l_diversity",
)

_STEP_TEXTS: dict[str, str] = {
    "month_to_quarter": N_("Month generalised to the quarter"),
    "contacts_banded": N_("Number of conversations generalised to a band (1, 2, 3-4, 5-9, 10+)"),
    "age_band_widened": N_("Age band generalised to a wider band"),
    "caller_role_grouped": N_("Caller role generalised to a group"),
    "region_to_national": N_("Region generalised to Denmark"),
    "quarter_to_year": N_("Quarter generalised to the year"),
    "contacts_wide": N_("Number of conversations generalised to 1 or 2 and more"),
    "gender_withheld": N_("Gender withheld"),
    "suppressed": N_("Rows left out (still in a group of fewer than k cases)"),
    "suppressed_l_diversity": N_(
        "Rows left out (l-diversity: every case of the group shared a harmful value)"
    ),
}


def step_text(name: str) -> str:
    """What a step of the disclosure control does, in the current language."""
    return _(_STEP_TEXTS[name])


@dataclass(frozen=True)
class DisclosureStep:
    """What one step of the disclosure control did."""

    name: str
    #: Rows whose value it changed (or, for the ``suppressed`` steps, rows left out).
    rows: int
    #: Different cases those rows belong to.
    cases: int

    @property
    def description(self) -> str:
        return step_text(self.name)


def _groups(rows: Iterable[ResearchRow]) -> dict[tuple[Any, ...], list[ResearchRow]]:
    found: dict[tuple[Any, ...], list[ResearchRow]] = defaultdict(list)
    for row in rows:
        found[row.key()].append(row)
    return found


def homogeneous(rows: Sequence[ResearchRow], sensitive: Sequence[str]) -> str | None:
    """The first column of ``sensitive`` in which every row of ``rows`` holds the same
    harmful value (see :data:`HARMLESS`), or None."""
    for name in sensitive:
        values = {row.values.get(name, "") for row in rows}
        if len(values) == 1 and not values <= HARMLESS:
            return name
    return None


def _failing(
    rows: Sequence[ResearchRow], k: int, sensitive: Sequence[str]
) -> tuple[list[ResearchRow], list[ResearchRow]]:
    """The rows in a group of fewer than ``k`` different cases, and the rows in a group
    of at least ``k`` whose cases all share a harmful value of ``sensitive``."""
    small: list[ResearchRow] = []
    alike: list[ResearchRow] = []
    for members in _groups(rows).values():
        if len({row.case for row in members}) < k:
            small += members
        elif sensitive and homogeneous(members, sensitive):
            alike += members
    return small, alike


def smallest_group(rows: Iterable[ResearchRow]) -> int:
    """The fewest different cases sharing one combination (0 for no rows)."""
    return min(
        (len({row.case for row in members}) for members in _groups(rows).values()), default=0
    )


#: What a generalisation step would change in a row: the fields and their new values
#: (empty: nothing). Pure, so that the group a row would fall into can be known first.
Change = Callable[[ResearchRow], dict[str, Any]]


def _month_to_quarter(row: ResearchRow) -> dict[str, Any]:
    return {} if row.month is None else {"month": None}


def _band_contacts(bands: Sequence[tuple[int, int | None]]) -> Change:
    def change(row: ResearchRow) -> dict[str, Any]:
        if row.contacts is None:
            return {}
        banded = _in_band(row.conversations, bands)
        low, high = row.contacts
        # Only ever wider than it already is.
        wider = banded[0] <= low and (banded[1] is None or (high is not None and banded[1] >= high))
        return {"contacts": banded} if wider and banded != row.contacts else {}

    return change


def _widen_age(row: ResearchRow) -> dict[str, Any]:
    if row.age_band is None or row.age == WIDE_AGE[row.age_band]:
        return {}
    return {"age": WIDE_AGE[row.age_band]}


def _group_role(row: ResearchRow) -> dict[str, Any]:
    grouped = ROLE_GROUPS.get(row.caller_role, row.caller_role)
    return {} if grouped == row.caller_role else {"caller_role": grouped}


def _national(row: ResearchRow) -> dict[str, Any]:
    return {} if row.region == NATIONAL else {"region": NATIONAL}


def _quarter_to_year(row: ResearchRow) -> dict[str, Any]:
    return {} if row.quarter is None else {"quarter": None, "month": None}


def _withhold_gender(row: ResearchRow) -> dict[str, Any]:
    return {} if row.gender == GENERALISED else {"gender": GENERALISED}


Generalisation = tuple[str, str, Change]

#: The generalisation steps of ``conversations.csv``: name, what a row's change spreads
#: to, the change. Nothing links a conversation to another, so nothing spreads.
CONVERSATION_GENERALISATIONS: tuple[Generalisation, ...] = (
    ("month_to_quarter", "row", _month_to_quarter),
    ("age_band_widened", "row", _widen_age),
    ("caller_role_grouped", "row", _group_role),
    ("region_to_national", "row", _national),
    ("quarter_to_year", "row", _quarter_to_year),
    ("gender_withheld", "row", _withhold_gender),
)
#: The same of ``cases.csv``: the region spreads to every case of the counsellor, whose
#: number is in the file.
CASE_GENERALISATIONS: tuple[Generalisation, ...] = (
    ("month_to_quarter", "row", _month_to_quarter),
    ("contacts_banded", "row", _band_contacts(CONTACT_BANDS)),
    ("age_band_widened", "row", _widen_age),
    ("caller_role_grouped", "row", _group_role),
    ("region_to_national", "counsellor", _national),
    ("quarter_to_year", "row", _quarter_to_year),
    ("contacts_wide", "row", _band_contacts(CONTACT_BANDS_WIDE)),
    ("gender_withheld", "row", _withhold_gender),
)


def anonymise(
    rows: list[ResearchRow],
    k: int,
    *,
    sensitive: Sequence[str] = (),
    generalisations: Sequence[Generalisation] = CONVERSATION_GENERALISATIONS,
) -> tuple[list[ResearchRow], list[DisclosureStep]]:
    """Generalise, then suppress, until every combination of the quasi-identifiers is
    shared by at least ``k`` different cases and (l-diversity) no group's cases all share
    a harmful value of a ``sensitive`` column. Changes the rows in place; returns those
    kept and what each step did.

    A step generalises the rows of every failing group *and* the rows that would fall
    into the same generalised group (so that, say, the month of a small group becomes the
    quarter together with the other months of that quarter, and the quarter's group can
    reach ``k``); a step of scope ``counsellor`` spreads to all rows of the counsellor.
    """
    steps: list[DisclosureStep] = []
    for name, scope, change in generalisations:
        small, alike = _failing(rows, k, sensitive)
        failing = small + alike
        if not failing:
            steps.append(DisclosureStep(name, 0, 0))
            continue
        changes = {id(row): change(row) for row in rows}
        after = {id(row): row.key(changes[id(row)]) for row in rows}
        wanted = {after[id(row)] for row in failing}
        targets = [row for row in rows if after[id(row)] in wanted]
        if scope == "counsellor":
            counsellors = {row.counsellor for row in targets}
            targets = [row for row in rows if row.counsellor in counsellors]
        changed = [row for row in targets if changes[id(row)]]
        for row in changed:
            for attribute, value in changes[id(row)].items():
                setattr(row, attribute, value)
        steps.append(DisclosureStep(name, len(changed), len({r.case for r in changed})))
    small, alike = _failing(rows, k, sensitive)
    for name, gone in (("suppressed", small), ("suppressed_l_diversity", alike)):
        steps.append(DisclosureStep(name, len(gone), len({r.case for r in gone})))
    dropped = {id(row) for row in small + alike}
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
        # A whole number that is not negative cannot start a formula: most cells are.
        writer.writerow(
            [
                str(v) if type(v) is int and v >= 0 else neutralise("" if v is None else str(v))
                for v in row
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class ResearchExport:
    """What :func:`research_export` wrote and what its disclosure control did.

    ``rows``, ``steps``, ``smallest_group`` and ``columns`` are of ``conversations.csv``;
    ``case_rows``, ``case_steps``, ``case_smallest_group`` and ``case_columns`` of
    ``cases.csv``."""

    folder: Path
    data_path: Path
    cases_path: Path
    codebook_path: Path
    codebook_en_path: Path
    codebook_json_path: Path
    datapackage_path: Path
    #: The README in Danish (``README.md``) and in English (``README.en.md``).
    readme_path: Path
    readme_en_path: Path
    k: int
    l_diversity: bool
    delimiter: str
    #: Imported conversations and cases before the disclosure control.
    conversations: int
    imported: int
    #: Rows written to each file.
    rows: int
    case_rows: int
    #: Counsellors in ``cases.csv``.
    counsellors: int
    steps: tuple[DisclosureStep, ...]
    case_steps: tuple[DisclosureStep, ...]
    #: The fewest different cases sharing one combination in each file (>= k, or 0).
    smallest_group: int
    case_smallest_group: int
    columns: tuple[str, ...] = ()
    case_columns: tuple[str, ...] = ()
    #: The first and the last day of the periods in the files (None when empty).
    period: tuple[date, date] | None = None

    @property
    def cases(self) -> int:
        """Cases written to ``cases.csv``."""
        return self.case_rows

    @property
    def quasi_identifiers(self) -> tuple[str, ...]:
        return QUASI_IDENTIFIERS

    @property
    def suppressed(self) -> int:
        """Conversations left out."""
        return sum(s.rows for s in self.steps if s.name.startswith("suppressed"))

    @property
    def generalised(self) -> dict[str, int]:
        """Conversation rows changed by each generalisation step."""
        return {s.name: s.rows for s in self.steps if not s.name.startswith("suppressed")}


def _period(row: ResearchRow) -> tuple[str, date, date]:
    if row.month is not None:
        first, last = row.month, row.month
        unit = "month"
    elif row.quarter is not None:
        first, last = 3 * row.quarter - 2, 3 * row.quarter
        unit = "quarter"
    else:
        first, last = 1, 12
        unit = "year"
    end = calendar.monthrange(row.year, last)[1]
    return unit, date(row.year, first, 1), date(row.year, last, end)


def _quasi_values(row: ResearchRow) -> dict[str, int | str]:
    unit, start, end = _period(row)
    values: dict[str, int | str] = {
        "year": row.year,
        "quarter": "" if row.quarter is None else row.quarter,
        "month": "" if row.month is None else row.month,
        "period_unit": unit,
        "period_from": start.isoformat(),
        "period_to": end.isoformat(),
    }
    if row.contacts is not None:
        values["contacts_from"] = row.contacts[0]
        values["contacts_to"] = "" if row.contacts[1] is None else row.contacts[1]
    values |= {
        "region": row.region,
        "age_from": row.age[0] if row.age else "",
        "age_to": row.age[1] if row.age else "",
        "gender": row.gender,
        "caller_role": row.caller_role,
    }
    return values


def _numbers(keys: Iterable[Any], rng: random.Random) -> dict[Any, int]:
    """1..n assigned to the keys in random order."""
    ordered = sorted(set(keys), key=str)
    numbers = list(range(1, len(ordered) + 1))
    rng.shuffle(numbers)
    return dict(zip(ordered, numbers, strict=True))


def _in_order(
    rows: list[dict[str, int | str]], names: Sequence[str], rng: random.Random
) -> list[dict[str, int | str]]:
    """The rows sorted by the quasi-identifiers ``names``, at random within a group: the
    order tells nothing (not which case a row came from, not the order of import)."""
    rng.shuffle(rows)
    return sorted(rows, key=lambda row: tuple(str(row[n]) for n in names))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _separator(delimiter: str, say: Writer) -> str:
    return say({";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab")}[delimiter])


_KINDS: dict[str, str] = {
    "number": N_("whole number"),
    "code": N_("code"),
    "flag": N_("0 or 1"),
    "count": N_("count"),
    "date": N_("date"),
}


def _description(column: Column, say: Writer) -> str:
    text = say(column.description, column.name)
    if column.detail:
        text = f"{text} {say(column.detail, column.name)}"
    if column.empty:
        text += " " + say(N_("Empty: {why}.")).format(why=say(column.empty, column.name))
    return text


@dataclass(frozen=True)
class Table:
    """One file of the export: its name, what a row is (an msgid), its columns."""

    file: str
    name: str
    unit: str
    columns: tuple[Column, ...]


def codebook_markdown(tables: Sequence[Table], say: Writer, delimiter: str, generated: date) -> str:
    """The codebook in ``say``'s language: every column of every file, and its codes."""
    day = format_date(generated, format="long", locale=say.language)
    lines = [
        "# " + say(N_("Codebook: research export of Counsellor's Notebook")),
        "",
        say(N_("Generated {date} by Counsellor's Notebook {version}.")).format(
            date=day, version=__version__
        ),
        "",
        say(
            N_(
                "Encoding: UTF-8 with byte order mark; fields separated by {separator}; lines "
                "end with CRLF. A coded column says why a value is missing: {missing} "
                "(not recorded), {generalised} (withheld by the disclosure control) or {none} "
                "(there was none). A number column is empty where it has no value; the "
                "description says why. Columns marked QI are quasi-identifiers of the "
                "disclosure control (see README.md). The two files cannot be joined: no "
                "column links a conversation to its case. {package} describes the same for "
                "programs (Frictionless data package)."
            )
        ).format(
            separator=_separator(delimiter, say),
            missing=f"`{NOT_RECORDED}`",
            generalised=f"`{GENERALISED}`",
            none=f"`{NONE}`",
            package=DATAPACKAGE,
        ),
        "",
    ]
    for table in tables:
        lines += [
            f"## {table.file}",
            "",
            say(table.unit),
            "",
            "| {} | {} | {} | {} | {} |".format(
                say(N_("Column")), say(N_("Type")), "QI", say(N_("Description")), say(N_("Codes"))
            ),
            "|---|---|---|---|---|",
        ]
        for column in table.columns:
            codes = "; ".join(
                f"`{code}` = {say(meaning, column.name)}" for code, meaning in column.codes.items()
            )
            lines.append(
                "| `{}` | {} | {} | {} | {} |".format(
                    column.name,
                    say(_KINDS[column.kind]),
                    "QI" if column.quasi_identifier else "",
                    _md_cell(_description(column, say)),
                    _md_cell(codes),
                )
            )
        lines.append("")
    return "\n".join(lines)


def _frictionless_field(column: Column, english: Writer, danish: Writer) -> dict[str, Any]:
    """A Table Schema field: its type, constraints and codes (as ``categories``)."""
    spec: dict[str, Any] = {
        "name": column.name,
        "type": {"code": "string", "date": "date"}.get(column.kind, "integer"),
        "description": _description(column, english),
        "description_da": _description(column, danish),
    }
    if column.kind == "date":
        spec["format"] = "default"
    constraints: dict[str, Any] = {}
    if column.kind == "code":
        constraints["required"] = True
        constraints["enum"] = list(column.codes)
        spec["categories"] = [
            {"value": code, "label": english(meaning, column.name)}
            for code, meaning in column.codes.items()
        ]
    elif column.kind == "flag":
        constraints["enum"] = [0, 1]
        constraints["required"] = True
    elif column.kind == "count":
        constraints["minimum"] = 0
        constraints["required"] = True
    elif not column.empty and column.kind == "number":
        constraints["required"] = True
    if column.kind == "date":
        constraints["required"] = True
    spec["constraints"] = constraints
    return spec


def _datapackage(
    tables: Sequence[Table],
    delimiter: str,
    generated: date,
    facts: dict[str, Any],
    english: Writer,
    danish: Writer,
) -> dict[str, Any]:
    dialect = {
        "delimiter": delimiter,
        "lineTerminator": "\r\n",
        "header": True,
        "doubleQuote": True,
        "quoteChar": '"',
    }
    return {
        "profile": "tabular-data-package",
        "name": "counsellors-notebook-research-export",
        "title": english(N_("Research export of Counsellor's Notebook")),
        "description": english(
            N_(
                "Imported cases and conversations of a supervisor's notebook, structured "
                "fields only, generalised until k-anonymous; see README.md and the codebooks."
            )
        ),
        "created": f"{generated.isoformat()}T00:00:00Z",
        "version": f"{FORMAT_VERSION}",
        "sources": [{"title": f"Counsellor's Notebook {__version__}"}],
        "missing_codes": {
            NOT_RECORDED: english(N_("not recorded by the counsellor")),
            GENERALISED: english(N_("withheld by the disclosure control")),
            NONE: english(N_("there was none (no concern, no follow-up)")),
            "": english(N_("an empty cell: no value in a number column (the field says why)")),
        },
        "temporal_coverage": facts["period"],
        "regions": facts["regions"],
        "disclosure_control": facts,
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "path": table.file,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "description": english(table.unit),
                "dialect": dialect,
                "schema": {
                    "fields": [_frictionless_field(c, english, danish) for c in table.columns],
                    "missingValues": [""],
                },
            }
            for table in tables
        ],
    }


def _codebook_json(
    tables: Sequence[Table],
    delimiter: str,
    generated: date,
    facts: dict[str, Any],
    writers: dict[str, Writer],
) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "taxonomy_version": taxonomy().version,
        "generated_on": generated.isoformat(),
        "languages": list(writers),
        "missing_codes": [NOT_RECORDED, GENERALISED, NONE],
        "files": [
            {
                "name": table.file,
                "encoding": "utf-8-sig",
                "delimiter": delimiter,
                "line_terminator": "\r\n",
                "header": True,
                "formula_cells": "prefixed with an apostrophe (')",
                "columns": [
                    {
                        "name": column.name,
                        "type": column.kind,
                        "quasi_identifier": column.quasi_identifier,
                        "description": {
                            lang: _description(column, say) for lang, say in writers.items()
                        },
                        "codes": {
                            code: {lang: say(meaning, column.name) for lang, say in writers.items()}
                            for code, meaning in column.codes.items()
                        },
                    }
                    for column in table.columns
                ],
            }
            for table in tables
        ],
        "disclosure_control": facts,
    }


def _steps_table(steps: Sequence[DisclosureStep], say: Writer) -> list[str]:
    lines = [
        "| {} | {} | {} | {} |".format(
            say(N_("Step")), say(N_("What")), say(N_("Rows")), say(N_("Cases"))
        ),
        "|---|---|---|---|",
    ]
    for n, step in enumerate(steps, start=1):
        what = _md_cell(say(_STEP_TEXTS[step.name]))
        lines.append(f"| {n} | {what} | {step.rows} | {step.cases} |")
    return lines


def _readme(result: ResearchExport, say: Writer) -> str:
    k = result.k
    sep = result.delimiter.replace("\t", "\\t")
    lines = [
        "# " + say(N_("Research export from Counsellor's Notebook")),
        "",
        say(
            N_(
                "{casefile}: one row per case ({cases} rows, {counsellors} counsellors). "
                "{data}: one row per conversation ({rows} rows), without any link to its "
                "case. {codebook} (Danish), {english} (English) and {machine}: "
                "every column and code; {package}: the same as a Frictionless data package, "
                "which R, pandas and DuckDB can read with the right types."
            )
        ).format(
            casefile=CASES_FILE,
            cases=result.case_rows,
            counsellors=result.counsellors,
            data=DATA_FILE,
            rows=result.rows,
            codebook=CODEBOOK_MD,
            english=CODEBOOK_EN_MD,
            machine=CODEBOOK_JSON,
            package=DATAPACKAGE,
        ),
        "",
        "## " + say(N_("Opening the files")),
        "",
        *(
            [
                say(
                    N_(
                        "Excel set to Danish opens the files correctly with a double click "
                        "(UTF-8 with byte order mark, semicolon-separated)."
                    )
                )
            ]
            if result.delimiter == ";"
            else []
        ),
        say(
            N_(
                "In Excel set to another language use Data > From Text/CSV and choose UTF-8 "
                'and the separator ({separator}). R: read.csv("{file}", sep = "{sep}", '
                'fileEncoding = "UTF-8-BOM"). Python: pandas.read_csv("{file}", '
                'sep="{sep}", encoding="utf-8-sig").'
            )
        ).format(file=DATA_FILE, sep=sep, separator=_separator(result.delimiter, say)),
        "",
        "## " + say(N_("Disclosure control (k-anonymity)")),
        "",
        say(
            N_(
                "The quasi-identifiers are what someone who knows of a family that called "
                "could know without the data: when they called, where the family lives, the "
                "child's age and gender, and who called. The other columns are what the data "
                "tells, and are what the check protects."
            )
        ),
        "",
        say(
            N_(
                "A case number would link a case's conversations, and the pattern of when a "
                "family called singles it out far more than one conversation does. So the "
                "cases and the conversations are in two files, each k-anonymous on its own, "
                "and no column joins them: a case appears once in {casefile}, and a "
                "conversation in {data} cannot be tied to another of the same case."
            )
        ).format(casefile=CASES_FILE, data=DATA_FILE),
        "",
        say(
            N_(
                "Every combination of the quasi-identifiers in each file is shared by at "
                "least k = {k} different cases; the smallest group has {smallest} cases in "
                "{casefile} and {talks} in {data}. Counsellor numbers are "
                "drawn at random for each export and lead back to nothing."
            )
        ).format(
            k=k,
            smallest=result.case_smallest_group,
            talks=result.smallest_group,
            casefile=CASES_FILE,
            data=DATA_FILE,
        ),
        "",
    ]
    if result.l_diversity:
        lines += [
            say(
                N_(
                    "l-diversity: in the columns that would harm a family if disclosed (the "
                    "concern's signs and decision, the themes self-harm and violence or "
                    "abuse), a group in which every case shares the same harmful value was "
                    "generalised, and left out where it stayed so. Knowing a family is in a "
                    "group never tells such a value."
                )
            ),
            "",
        ]
    for file, total, steps in (
        (CASES_FILE, result.imported, result.case_steps),
        (DATA_FILE, result.conversations, result.steps),
    ):
        lines += [
            f"### {file}",
            "",
            say(
                N_(
                    "{total} rows before the check. Smaller groups were generalised step by "
                    "step; rows still in a group of fewer than k cases were left out:"
                )
            ).format(total=total),
            "",
            *_steps_table(steps, say),
            "",
        ]
    lines += [
        say(
            N_(
                "Do not publish counts below {k}, do not try to join the two files, and do "
                "not try to find out who a family is."
            )
        ).format(k=k),
        "",
    ]
    return "\n".join(lines)


@dataclass
class ResearchData:
    """The two tables of the export, before writing (see :func:`research_rows`)."""

    tables: tuple[Table, ...]
    cases: list[dict[str, int | str]]
    conversations: list[dict[str, int | str]]
    result: ResearchExport
    facts: dict[str, Any]


@guarded
def research_rows(
    notebook: Notebook,
    *,
    k: int = DEFAULT_K,
    l_diversity: bool = True,
    rng: random.Random | None = None,
) -> ResearchData:
    """The rows of both files and what the disclosure control did, without writing (the
    paths of the result are empty)."""
    if k < 1:
        raise ResearchError(_("k must be at least 1."))
    rng = rng or random.SystemRandom()
    items = imported_cases(notebook, texts=False)
    # Only the themes this version knows become columns: an unknown id (a newer taxonomy,
    # or a hostile file) is counted in themes_unknown, never turned into a column.
    theme_ids = [t.id for t in taxonomy().themes]
    regions = counsellor_regions(notebook)
    talks: list[ResearchRow] = []
    cases: list[ResearchRow] = []
    for item in items:
        region = regions.get(item.counsellor_id, Region.UNKNOWN)
        talks += case_rows(item, region)
        if (row := case_row(item, region, theme_ids)) is not None:
            cases.append(row)
    if not talks:
        raise ResearchError(_("Nothing to export: the notebook holds no imported conversations."))
    total, imported = len(talks), len(cases)
    sensitive = SENSITIVE if l_diversity else ()
    kept_talks, steps = anonymise(talks, k, sensitive=sensitive)
    kept_cases, case_steps = anonymise(
        cases, k, sensitive=sensitive, generalisations=CASE_GENERALISATIONS
    )
    counsellor_numbers = _numbers((r.counsellor for r in kept_cases), rng)
    talk_columns = conversation_columns()
    columns_of_cases = case_columns(theme_ids)
    talk_out = _in_order([_quasi_values(r) | r.values for r in kept_talks], QUASI_IDENTIFIERS, rng)
    case_out = _in_order(
        [
            {"counsellor_no": counsellor_numbers[r.counsellor]} | _quasi_values(r) | r.values
            for r in kept_cases
        ],
        CASE_QUASI_IDENTIFIERS,
        rng,
    )
    starts = [str(r["period_from"]) for r in (*talk_out, *case_out)]
    ends = [str(r["period_to"]) for r in (*talk_out, *case_out)]
    period = (date.fromisoformat(min(starts)), date.fromisoformat(max(ends))) if starts else None
    result = ResearchExport(
        folder=Path(),
        data_path=Path(),
        cases_path=Path(),
        codebook_path=Path(),
        codebook_en_path=Path(),
        codebook_json_path=Path(),
        datapackage_path=Path(),
        readme_path=Path(),
        readme_en_path=Path(),
        k=k,
        l_diversity=l_diversity,
        delimiter=";",
        conversations=total,
        imported=imported,
        rows=len(talk_out),
        case_rows=len(case_out),
        counsellors=len(counsellor_numbers),
        steps=tuple(steps),
        case_steps=tuple(case_steps),
        smallest_group=smallest_group(kept_talks),
        case_smallest_group=smallest_group(kept_cases),
        columns=tuple(c.name for c in talk_columns),
        case_columns=tuple(c.name for c in columns_of_cases),
        period=period,
    )
    set_regions = [regions.get(c, Region.UNKNOWN).value for c in {i.counsellor_id for i in items}]
    facts: dict[str, Any] = {
        "k": k,
        "l_diversity": l_diversity,
        "sensitive": list(SENSITIVE) if l_diversity else [],
        "unit": "case",
        "period": {
            "start": period[0].isoformat() if period else None,
            "end": period[1].isoformat() if period else None,
        },
        "regions": {
            "counsellors_per_region": {
                (NOT_RECORDED if r == Region.UNKNOWN else r): set_regions.count(r)
                for r in sorted(set(set_regions))
            },
            "set_by": "supervisor",
        },
        "files": {
            CASES_FILE: {
                "quasi_identifiers": list(CASE_QUASI_IDENTIFIERS),
                "rows_before": imported,
                "rows": len(case_out),
                "counsellors": len(counsellor_numbers),
                "smallest_group": result.case_smallest_group,
                "steps": [{"step": s.name, "rows": s.rows, "cases": s.cases} for s in case_steps],
            },
            DATA_FILE: {
                "quasi_identifiers": list(QUASI_IDENTIFIERS),
                "rows_before": total,
                "rows": len(talk_out),
                "smallest_group": result.smallest_group,
                "steps": [{"step": s.name, "rows": s.rows, "cases": s.cases} for s in steps],
            },
        },
    }
    tables = (
        Table(
            CASES_FILE,
            "cases",
            N_("One row per imported case, without any link to its conversations."),
            tuple(columns_of_cases),
        ),
        Table(
            DATA_FILE,
            "conversations",
            N_(
                "One row per imported conversation, without any link to its case (no case "
                "number, no case-level field, rows in an order that tells nothing)."
            ),
            tuple(talk_columns),
        ),
    )
    return ResearchData(tables, case_out, talk_out, result, facts)


def research_export(
    notebook: Notebook,
    folder: Path,
    *,
    k: int = DEFAULT_K,
    l_diversity: bool = True,
    delimiter: str = ";",
    today: date | None = None,
    rng: random.Random | None = None,
) -> ResearchExport:
    """Write the research export of a supervisor's notebook into ``folder`` (made if
    missing; every file is replaced, each atomically). See the module's docstring.

    Raises :class:`ResearchError` (no imported conversations, k < 1, a bad delimiter),
    :class:`~counsellor_app.core.gate.IdentifierLeaves` when a text of the codebooks
    would carry an identifier, and :class:`~counsellor_app.core.errors.StorageError` when
    the folder cannot be written.
    """
    if delimiter not in DELIMITERS:
        raise ResearchError(_("The separator must be a semicolon, a comma or a tab."))
    data = research_rows(notebook, k=k, l_diversity=l_diversity, rng=rng)
    generated = today or date.today()
    gate = Gate()
    writers = {lang: Writer(lang, gate) for lang, _file in CODEBOOK_LANGUAGES}
    # Every text is made (and passes the gate) before anything is written.
    books = {
        file: codebook_markdown(data.tables, writers[lang], delimiter, generated)
        for lang, file in CODEBOOK_LANGUAGES
    }
    book_json = _codebook_json(data.tables, delimiter, generated, data.facts, writers)
    package = _datapackage(
        data.tables, delimiter, generated, data.facts, writers["en"], writers["da"]
    )
    folder = Path(folder)
    paths = {
        name: folder / name
        for name in (
            CASES_FILE,
            DATA_FILE,
            CODEBOOK_MD,
            CODEBOOK_EN_MD,
            CODEBOOK_JSON,
            DATAPACKAGE,
            README_FILE,
            README_EN_FILE,
        )
    }
    result = replace(
        data.result,
        folder=folder,
        data_path=paths[DATA_FILE],
        cases_path=paths[CASES_FILE],
        codebook_path=paths[CODEBOOK_MD],
        codebook_en_path=paths[CODEBOOK_EN_MD],
        codebook_json_path=paths[CODEBOOK_JSON],
        datapackage_path=paths[DATAPACKAGE],
        readme_path=paths[README_FILE],
        readme_en_path=paths[README_EN_FILE],
        delimiter=delimiter,
    )
    # Both languages whatever the window's: the researcher may read either.
    readmes = {file: _readme(result, writers[lang]) for lang, file in README_LANGUAGES}
    try:
        make_private_folder(folder)
    except OSError as error:
        raise storage_error(error, str(folder)) from error
    for table, rows in zip(data.tables, (data.cases, data.conversations), strict=True):
        names = [c.name for c in table.columns]
        atomic_write_bytes(
            paths[table.file],
            csv_bytes(names, ([row[n] for n in names] for row in rows), delimiter),
        )
    for file, text in books.items():
        atomic_write_bytes(paths[file], text.encode("utf-8"))
    for file, content in ((CODEBOOK_JSON, book_json), (DATAPACKAGE, package)):
        atomic_write_bytes(
            paths[file], json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")
        )
    for file, text in readmes.items():
        atomic_write_bytes(paths[file], text.encode("utf-8"))
    return result
