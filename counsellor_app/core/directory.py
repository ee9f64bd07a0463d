"""The local help directory: public organisations a counsellor can point a family to.

Kept by the supervisor (entries of origin ``supervisor``, distributed to counsellors) and
by each counsellor (``own`` entries, private to their notebook). Entries are public
organisations only, never persons: :func:`validate` refuses a text in which the anonymity
engine finds a person's name, a CPR number or a person's e-mail address.

Searched as the counsellor types (:class:`DirectoryIndex`, in memory: about a millisecond
at 5,000 entries, see ``benchmarks/bench_directory.py``), imported from and exported to
the CSV a spreadsheet makes (:func:`parse_csv`, :func:`import_csv`, :func:`csv_of`).
A directory's phone numbers and web addresses are public switchboards, never identifiers:
:func:`allow_directory_contacts` hands them to the anonymity engine's allow-list.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import uuid
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from counsellor_app.core.anonymity import Finding, IdentifierKind, find_identifiers
from counsellor_app.core.anonymity.contacts import allow_contacts, contact_host, phone_digits
from counsellor_app.core.anonymity.data import lexicon
from counsellor_app.core.domain import EntryKind as EntryKind  # in the domain: bundles carry it
from counsellor_app.core.domain import Partner
from counsellor_app.core.errors import UserError
from counsellor_app.core.gate import Gate
from counsellor_app.core.i18n import N_, _
from counsellor_app.core.paths import resource_path
from counsellor_app.core.research import neutralise
from counsellor_app.core.store import Notebook, guarded, now
from counsellor_app.core.taxonomy import taxonomy

STARTER_FILE = resource_path("directory", "national.csv")
#: What ``municipality`` holds for an organisation that serves the whole country.
NATIONAL = ""


_KIND_LABELS: dict[EntryKind, str] = {
    EntryKind.PPR: N_("PPR"),
    EntryKind.FAMILY_COUNSELLING: N_("Family counselling"),
    EntryKind.HEALTH_VISITOR: N_("Health visitor"),
    EntryKind.PSYCHIATRY: N_("Psychiatry"),
    EntryKind.HELPLINE: N_("Helpline"),
    EntryKind.ASSOCIATION: N_("Association"),
    EntryKind.CLUB: N_("Club"),
    EntryKind.SCHOOL: N_("School counsellor"),
    EntryKind.DAYCARE: N_("Daycare"),
    EntryKind.MUNICIPALITY: N_("Municipality"),
    EntryKind.OTHER: N_("Other"),
}

#: The alliance partner an entry of each kind becomes when chosen in the alliance step.
PARTNER_OF_KIND: dict[EntryKind, Partner] = {
    EntryKind.PPR: Partner.PPR,
    EntryKind.FAMILY_COUNSELLING: Partner.MUNICIPALITY,
    EntryKind.HEALTH_VISITOR: Partner.HEALTH_VISITOR,
    EntryKind.PSYCHIATRY: Partner.PSYCHIATRY,
    EntryKind.HELPLINE: Partner.OTHER,
    EntryKind.ASSOCIATION: Partner.ASSOCIATION,
    EntryKind.CLUB: Partner.ASSOCIATION,
    EntryKind.SCHOOL: Partner.SCHOOL,
    EntryKind.DAYCARE: Partner.DAYCARE,
    EntryKind.MUNICIPALITY: Partner.MUNICIPALITY,
    EntryKind.OTHER: Partner.OTHER,
}


def kind_label(kind: EntryKind) -> str:
    """The word a user sees for ``kind``, in the current language."""
    return _(_KIND_LABELS[kind])


class Origin(StrEnum):
    """Whose entry it is: the supervisor's (distributed) or the counsellor's own."""

    SUPERVISOR = "supervisor"
    OWN = "own"


@dataclass
class DirectoryEntry:
    """One public organisation in the directory."""

    organisation: str
    kind: EntryKind
    #: One of :func:`municipalities`, or :data:`NATIONAL` ("") for the whole country.
    municipality: str = NATIONAL
    #: Taxonomy theme ids (``core/taxonomy.py``) the organisation helps with.
    themes: list[str] = field(default_factory=list)
    phone: str = ""
    web: str = ""
    hours: str = ""
    #: A note for counsellors (how to refer, what to say).
    note: str = ""
    checked_on: date | None = None
    #: Where the details come from (the organisation's public web page).
    source: str = ""
    origin: Origin = Origin.SUPERVISOR
    id: int | None = None
    uid: str = ""

    @property
    def place(self) -> str:
        """The municipality, or "National", in the current language."""
        return self.municipality or _("National")


@cache
def municipalities() -> tuple[str, ...]:
    """The 98 Danish municipalities, as in ``resources/anonymity/municipalities.tsv``."""
    names = []
    path = resource_path("anonymity", "municipalities.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.append(line.split("\t")[0].strip())
    return tuple(names)


# ---------------------------------------------------------------------------- checking

_WORDS_OF_NATIONAL = {"national", "landsdækkende", "hele landet", "landsdaekkende"}
#: Kinds of finding that mean the text names a person rather than an organisation.
_PERSONAL = {IdentifierKind.NAME, IdentifierKind.CPR}


def _municipality(text: str) -> str | None:
    """The municipality named by ``text`` (any case, with or without "Kommune"), "" for
    national, None when there is no such municipality."""
    plain = " ".join(text.split()).strip()
    low = plain.lower().removesuffix(" kommune").removesuffix(" kommunes")
    if not low or low in _WORDS_OF_NATIONAL:
        return NATIONAL
    return next((name for name in municipalities() if name.lower() == low), None)


def _personal_findings(text: str) -> list[str]:
    """The parts of ``text`` that are a person's: names, CPR numbers, personal e-mails."""
    found = []
    for finding in find_identifiers(text):
        part = text[finding.start : finding.end]
        email = finding.kind is IdentifierKind.EMAIL
        if finding.kind in _PERSONAL or (email and _personal_email(part)):
            found.append(part)
    return found


def _personal_email(address: str) -> bool:
    """An address with a person's first name or surname before the @ ("anna.hansen@");
    a service's address ("ppr@", "familie@") is public."""
    names = lexicon().names
    local = address.split("@", 1)[0]
    return any(part.capitalize() in names for part in re.split(r"[._\-+0-9]", local) if part)


def validate(entry: DirectoryEntry) -> DirectoryEntry:
    """``entry`` tidied (spaces, municipality spelling), or a :class:`UserError` that says
    what is wrong: no organisation, an unknown municipality or theme, or a person's name,
    CPR number or e-mail address in one of its texts."""
    organisation = " ".join(entry.organisation.split())
    if not organisation:
        raise UserError(_("An entry needs the organisation's name."))
    municipality = _municipality(entry.municipality)
    if municipality is None:
        raise UserError(
            _("{name} is not a Danish municipality.").format(name=entry.municipality.strip())
        )
    known = {term.id for term in taxonomy().themes}
    unknown = [theme for theme in entry.themes if theme not in known]
    if unknown:
        raise UserError(_("Unknown theme: {themes}.").format(themes=", ".join(unknown)))
    tidy = replace(
        entry,
        organisation=organisation,
        municipality=municipality,
        themes=list(dict.fromkeys(entry.themes)),
        phone=" ".join(entry.phone.split()),
        web=entry.web.strip(),
        hours=entry.hours.strip(),
        note=entry.note.strip(),
        source=entry.source.strip(),
    )
    for text in (tidy.organisation, tidy.hours, tidy.note):
        personal = _personal_findings(text)
        if personal:
            raise UserError(
                _(
                    "The directory holds public organisations only, never persons: remove {found}."
                ).format(found=", ".join(f"“{part}”" for part in personal))
            )
    if tidy.phone and not re.fullmatch(r"\+?[0-9][0-9 ()\-]*", tidy.phone):
        raise UserError(_("The phone number may hold only digits, spaces, + and -."))
    return tidy


# ---------------------------------------------------------------------------- storage

_COLUMNS = (
    "id, uid, organisation, kind, municipality, themes, phone, web, hours, note, "
    "checked_on, source, origin"
)


def _enum(kind: Any, value: str, default: Any) -> Any:
    """``kind(value)``, or ``default`` for a value of a newer version."""
    try:
        return kind(value)
    except ValueError:
        return default


def _from_row(row: Sequence[Any]) -> DirectoryEntry:
    themes = json.loads(row[5])
    return DirectoryEntry(
        id=row[0],
        uid=row[1],
        organisation=row[2],
        kind=_enum(EntryKind, row[3], EntryKind.OTHER),
        municipality=row[4],
        themes=[str(theme) for theme in themes] if isinstance(themes, list) else [],
        phone=row[6],
        web=row[7],
        hours=row[8],
        note=row[9],
        checked_on=date.fromisoformat(row[10]) if row[10] else None,
        source=row[11],
        origin=_enum(Origin, row[12], Origin.OWN),
    )


@guarded
def entries(notebook: Notebook) -> list[DirectoryEntry]:
    """Every entry of the notebook's directory, by organisation."""
    rows = notebook.query(
        f"SELECT {_COLUMNS} FROM directory ORDER BY organisation COLLATE NOCASE, id"
    )
    return [_from_row(row) for row in rows]


def _values(entry: DirectoryEntry) -> tuple[Any, ...]:
    return (
        entry.organisation,
        entry.kind.value,
        entry.municipality,
        json.dumps(entry.themes),
        entry.phone,
        entry.web,
        entry.hours,
        entry.note,
        entry.checked_on.isoformat() if entry.checked_on else None,
        entry.source,
        entry.origin.value,
    )


def _write(db: Any, entry: DirectoryEntry) -> int:
    stamp = now().isoformat()
    if entry.id is None:
        cursor = db.execute(
            "INSERT INTO directory (organisation, kind, municipality, themes, phone, web, "
            "hours, note, checked_on, source, origin, uid, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*_values(entry), entry.uid or str(uuid.uuid4()), stamp, stamp),
        )
        return int(cursor.lastrowid)
    db.execute(
        "UPDATE directory SET organisation = ?, kind = ?, municipality = ?, themes = ?, "
        "phone = ?, web = ?, hours = ?, note = ?, checked_on = ?, source = ?, origin = ?, "
        "updated_at = ? WHERE id = ?",
        (*_values(entry), stamp, entry.id),
    )
    return entry.id


@guarded
def save_entry(notebook: Notebook, entry: DirectoryEntry) -> DirectoryEntry:
    """Add (no id) or update an entry after :func:`validate`; returns it as stored."""
    tidy = validate(entry)
    with notebook.transaction() as db:
        entry_id = _write(db, tidy)
    saved = _entry(notebook, entry_id)
    allow_directory_contacts(notebook)
    return saved


def _entry(notebook: Notebook, entry_id: int) -> DirectoryEntry:
    rows = notebook.query(f"SELECT {_COLUMNS} FROM directory WHERE id = ?", (entry_id,))
    return _from_row(rows[0])


@guarded
def delete_entry(notebook: Notebook, entry_id: int) -> None:
    """Remove an entry; alliances made from it keep their partner and the entry's kind."""
    with notebook.transaction() as db:
        db.execute("DELETE FROM directory WHERE id = ?", (entry_id,))
    allow_directory_contacts(notebook)


def default_origin(notebook: Notebook) -> Origin:
    """The origin of an entry added by hand: the supervisor's in a supervisor's notebook,
    else the counsellor's own."""
    return Origin.SUPERVISOR if notebook.role.value == "supervisor" else Origin.OWN


def can_edit(notebook: Notebook, entry: DirectoryEntry) -> bool:
    """Whether this notebook's user may change or delete ``entry``: a supervisor every
    entry, a counsellor their own (the supervisor's come back with the next directory)."""
    return default_origin(notebook) is Origin.SUPERVISOR or entry.origin is Origin.OWN


def require_editable(notebook: Notebook, entry: DirectoryEntry) -> None:
    """A :class:`UserError` unless :func:`can_edit`."""
    if not can_edit(notebook, entry):
        raise UserError(
            _("{name} is the supervisor's entry; add your own entry instead.").format(
                name=entry.organisation
            )
        )


# ---------------------------------------------------------------------------- search


def _fold(text: str) -> str:
    """Lower case, and the Danish letters spelt the ASCII way too ("aa", "oe", "ae"), so
    that "boerne" finds "Børne" while "å" still finds only "å"/"aa"."""
    low = unicodedata.normalize("NFC", text).lower()
    return low.replace("å", "aa").replace("ø", "oe").replace("æ", "ae")


@dataclass(frozen=True)
class _Indexed:
    entry: DirectoryEntry
    name: str
    words: tuple[str, ...]
    haystack: str


class DirectoryIndex:
    """The entries in memory, searched as the counsellor types.

    Every word typed must begin a word of the entry's organisation, kind, municipality,
    themes (in both languages) or note, or be part of its phone number. Entries whose
    name begins with the text come first, then those of the municipality asked for, then
    national ones.
    """

    def __init__(self, entries: Iterable[DirectoryEntry]) -> None:
        themes = {term.id: f"{term.da} {term.en}" for term in taxonomy().themes}
        self._items: list[_Indexed] = []
        for entry in entries:
            parts = [
                entry.organisation,
                entry.municipality or "national landsdækkende",
                _(_KIND_LABELS[entry.kind]),
                _KIND_LABELS[entry.kind],
                entry.kind.value.replace("_", " "),
                *(themes.get(theme, theme) for theme in entry.themes),
                entry.note,
            ]
            haystack = _fold(" ".join(parts))
            words = tuple(re.findall(r"\w+", haystack))
            digits = "".join(c for c in entry.phone if c.isdigit())
            self._items.append(
                _Indexed(entry, _fold(entry.organisation), words, f" {' '.join(words)} {digits}")
            )

    def __len__(self) -> int:
        return len(self._items)

    def search(
        self, text: str, municipality: str | None = None, limit: int = 50
    ) -> list[DirectoryEntry]:
        """The entries that match every word of ``text`` (all entries for no text), the
        best first; with ``municipality``, that municipality's entries and national ones
        only."""
        words = re.findall(r"\w+", _fold(text))
        wanted = municipality
        found: list[tuple[int, str, DirectoryEntry]] = []
        for item in self._items:
            entry = item.entry
            if wanted is not None and entry.municipality not in (wanted, NATIONAL):
                continue
            if words and not all(
                f" {word}" in item.haystack or (word.isdigit() and word in item.haystack)
                for word in words
            ):
                continue
            rank = 0 if words and item.name.startswith(words[0]) else 2
            if entry.municipality and entry.municipality == wanted:
                rank -= 1
            elif entry.municipality == NATIONAL:
                rank += 1
            found.append((rank, item.name, entry))
        found.sort(key=lambda hit: (hit[0], hit[1]))
        return [entry for _rank, _name, entry in found[:limit]]


# ---------------------------------------------------------------------------- CSV

#: The columns of the directory's CSV, by their Danish header (what export writes) and
#: the other spellings import accepts (English, without Danish letters).
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation", "organization", "name", "navn"),
    "kind": ("type", "kind", "slags"),
    "municipality": ("kommune", "municipality"),
    "themes": ("temaer", "themes", "tema"),
    "phone": ("telefon", "phone", "tlf"),
    "web": ("web", "hjemmeside", "website"),
    "hours": ("åbningstider", "hours", "aabningstider", "abningstider"),
    "note": ("note", "bemærkning", "note til rådgivere"),
    "checked_on": ("tjekket", "checked_on", "checked on", "kontrolleret"),
    "source": ("kilde", "source"),
}


class DirectoryCsvError(UserError):
    """A CSV that cannot be imported; ``problems`` says what is wrong, line by line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:20]
        more = len(problems) - len(shown)
        text = "\n".join(
            [_("Nothing was imported:"), *shown]
            + ([_("… and {count} more.").format(count=more)] if more else [])
        )
        super().__init__(text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DirectoryCsvError(
            [_("The file is not UTF-8 text; save it from the spreadsheet as “CSV UTF-8”.")]
        ) from error


def kind_from_text(text: str) -> EntryKind | None:
    """The kind named by ``text``: its id ("family_counselling") or label (English or
    the current language's)."""
    low = text.strip().lower()
    for kind in EntryKind:
        label = _KIND_LABELS[kind]
        if low in {kind.value, kind.value.replace("_", " "), label.lower(), _(label).lower()}:
            return kind
    return None


def themes_from_text(text: str) -> tuple[list[str], list[str]]:
    """Theme ids from ``text`` (ids or labels, separated by | or ,); and what is unknown."""
    by_name: dict[str, str] = {}
    for term in taxonomy().themes:
        for name in (term.id, term.da, term.en):
            by_name[name.lower()] = term.id
    themes, unknown = [], []
    for part in re.split(r"[|,]", text):
        name = part.strip().lower()
        if not name:
            continue
        if name in by_name:
            themes.append(by_name[name])
        else:
            unknown.append(part.strip())
    return themes, unknown


def parse_csv(data: bytes) -> list[DirectoryEntry]:
    """The entries of a directory CSV (semicolon or comma, UTF-8 with or without BOM,
    Danish or English headers); a :class:`DirectoryCsvError` naming every bad line."""
    text = _decode(data)
    if not text.strip():
        raise DirectoryCsvError([_("The file is empty.")])
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [cell.strip().lower() for cell in rows[0]]
    columns: dict[str, int] = {}
    for key, names in CSV_COLUMNS.items():
        for position, cell in enumerate(header):
            if cell in names:
                columns[key] = position
                break
    missing = [CSV_COLUMNS[key][0] for key in ("organisation", "kind") if key not in columns]
    if missing:
        raise DirectoryCsvError(
            [
                _("Line 1: the header lacks the column(s) {columns}.").format(
                    columns=", ".join(missing)
                )
            ]
        )
    problems: list[str] = []
    found: list[DirectoryEntry] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def value(key: str, row: list[str] = row) -> str:
            position = columns.get(key)
            return row[position].strip() if position is not None and position < len(row) else ""

        line = _("Line {number}").format(number=number)
        kind = kind_from_text(value("kind"))
        if kind is None:
            problems.append(
                _("{line}: unknown type “{kind}”.").format(line=line, kind=value("kind"))
            )
            continue
        themes, unknown = themes_from_text(value("themes"))
        if unknown:
            problems.append(
                _("{line}: unknown theme “{theme}”.").format(line=line, theme=unknown[0])
            )
            continue
        checked_text = value("checked_on")
        checked_on = None
        if checked_text:
            try:
                checked_on = _date(checked_text)
            except ValueError:
                problems.append(
                    _("{line}: “{date}” is not a date (write 2026-03-31 or 31-03-2026).").format(
                        line=line, date=checked_text
                    )
                )
                continue
        try:
            entry = validate(
                DirectoryEntry(
                    organisation=_plain(value("organisation")),
                    kind=kind,
                    municipality=value("municipality"),
                    themes=themes,
                    phone=_plain(value("phone")),
                    web=_plain(value("web")),
                    hours=_plain(value("hours")),
                    note=_plain(value("note")),
                    checked_on=checked_on,
                    source=_plain(value("source")),
                )
            )
        except UserError as error:
            problems.append(f"{line}: {error}")
            continue
        found.append(entry)
    if problems:
        raise DirectoryCsvError(problems)
    return found


def _plain(cell: str) -> str:
    """A cell as written, without the apostrophe an export put before a formula start."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@") else cell


def _date(text: str) -> date:
    """A date as a spreadsheet writes it: 2026-03-31, 31-03-2026 or 31.03.2026."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})", text)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    return date.fromisoformat(text)


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_csv` did."""

    added: int
    updated: int
    removed: int = 0


@guarded
def import_entries(
    notebook: Notebook, new: Sequence[DirectoryEntry], origin: Origin = Origin.SUPERVISOR
) -> ImportResult:
    """Add ``new`` to the directory in one transaction; an entry of the same organisation
    and municipality as one already there updates it."""
    existing = {
        (_fold(entry.organisation), entry.municipality): entry for entry in entries(notebook)
    }
    added = updated = 0
    with notebook.transaction() as db:
        for entry in new:
            key = (_fold(entry.organisation), entry.municipality)
            old = existing.get(key)
            stored = replace(entry, origin=origin, id=old.id if old else None)
            _write(db, stored)
            if old:
                updated += 1
            else:
                added += 1
                existing[key] = stored
    allow_directory_contacts(notebook)
    return ImportResult(added, updated)


@guarded
def replace_supervisor_entries(notebook: Notebook, new: Sequence[DirectoryEntry]) -> ImportResult:
    """Make the supervisor's entries those of ``new`` (a directory from the supervisor),
    in one transaction: an entry of the same uid, or else of the same organisation and
    municipality, is updated in place (alliances made from it stay linked), the rest
    added, and supervisor's entries not in ``new`` removed. Own entries are not touched."""
    every = entries(notebook)
    theirs = [entry for entry in every if entry.origin is Origin.SUPERVISOR]
    # A uid twice in the file, or one of an own entry, would break the table's UNIQUE.
    taken = {entry.uid for entry in every if entry.origin is not Origin.SUPERVISOR}
    by_uid = {entry.uid: entry for entry in theirs if entry.uid}
    by_name = {(_fold(entry.organisation), entry.municipality): entry for entry in theirs}
    kept: set[int] = set()
    added = updated = 0
    with notebook.transaction() as db:
        for entry in new:
            if entry.uid in taken:
                entry = replace(entry, uid="")
            taken.add(entry.uid)
            old = by_uid.get(entry.uid) or by_name.get(
                (_fold(entry.organisation), entry.municipality)
            )
            if old is not None and old.id is not None and old.id not in kept:
                kept.add(_write(db, replace(entry, origin=Origin.SUPERVISOR, id=old.id)))
                if entry.uid:
                    db.execute("UPDATE directory SET uid = ? WHERE id = ?", (entry.uid, old.id))
                updated += 1
            else:
                kept.add(_write(db, replace(entry, origin=Origin.SUPERVISOR, id=None)))
                added += 1
        gone = [entry.id for entry in theirs if entry.id is not None and entry.id not in kept]
        for entry_id in gone:
            db.execute("DELETE FROM directory WHERE id = ?", (entry_id,))
    allow_directory_contacts(notebook)
    return ImportResult(added, updated, len(gone))


def import_csv(notebook: Notebook, data: bytes, origin: Origin = Origin.SUPERVISOR) -> ImportResult:
    """Import a directory CSV; on any bad line nothing is changed (:func:`parse_csv`)."""
    return import_entries(notebook, parse_csv(data), origin)


#: Kinds of finding that a public organisation's entry may hold: its own name, place,
#: address, a date (its phone number and web page are directory contacts).
_PUBLIC_KINDS = {
    IdentifierKind.INSTITUTION,
    IdentifierKind.PLACE,
    IdentifierKind.MUNICIPALITY,
    IdentifierKind.POSTCODE_TOWN,
    IdentifierKind.ADDRESS,
    IdentifierKind.DATE,
}


def public_entries(chosen: Iterable[DirectoryEntry]) -> list[DirectoryEntry]:
    """``chosen`` as they may leave the notebook (a CSV, the signed directory file): the
    free texts (organisation, hours, note) through the gate, with whatever names a person
    (a name, a CPR or private phone number, a personal e-mail, ...) replaced. Entries
    are checked when saved, but one stored before the guard knew a name, or by an older
    version, is caught here."""
    listed = list(chosen)
    phones, webs = contacts_of([*starter_entries(), *listed])

    def names_a_person(finding: Finding, part: str) -> bool:
        if finding.kind is IdentifierKind.EMAIL:
            return _personal_email(part)
        if finding.kind is IdentifierKind.PHONE:  # another entry's number is public
            return phone_digits(part) not in phones
        if finding.kind is IdentifierKind.URL:  # another entry's page is public
            host = contact_host(part)
            return not any(host == web or host.startswith(web + "/") for web in webs)
        return finding.kind not in _PUBLIC_KINDS

    gate = Gate()
    return [
        replace(
            entry,
            organisation=gate.settle_public(entry.organisation, names_a_person),
            hours=gate.settle_public(entry.hours, names_a_person),
            note=gate.settle_public(entry.note, names_a_person),
        )
        for entry in listed
    ]


def csv_of(chosen: Iterable[DirectoryEntry]) -> bytes:
    """The entries as a CSV a spreadsheet opens (UTF-8 with BOM, semicolons, Danish
    headers, theme ids separated by |); a cell that would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([names[0] for names in CSV_COLUMNS.values()])
    for entry in chosen:
        row = [
            entry.organisation,
            entry.kind.value,
            entry.municipality or "national",
            "|".join(entry.themes),
            entry.phone,
            entry.web,
            entry.hours,
            entry.note,
            entry.checked_on.isoformat() if entry.checked_on else "",
            entry.source,
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def export_csv(notebook: Notebook) -> bytes:
    """The whole directory as CSV (:func:`csv_of`), through the gate
    (:func:`public_entries`)."""
    return csv_of(public_entries(entries(notebook)))


@cache
def starter_entries() -> tuple[DirectoryEntry, ...]:
    """The national services shipped with the app (``resources/directory/national.csv``)."""
    return tuple(parse_csv(STARTER_FILE.read_bytes()))


# ---------------------------------------------------------------------------- the guard


def contacts_of(chosen: Iterable[DirectoryEntry]) -> tuple[set[str], set[str]]:
    """The phone numbers (digits) and web addresses (host and path) of ``chosen``."""
    phones, webs = set(), set()
    for entry in chosen:
        digits = phone_digits(entry.phone)
        if digits:
            phones.add(digits)
        host = contact_host(entry.web)
        if host:
            webs.add(host)
    return phones, webs


@guarded
def allow_directory_contacts(notebook: Notebook) -> None:
    """Tell the anonymity engine that the notebook's directory numbers and web addresses
    (and the starter set's) are not identifiers."""
    # A notebook held at an older schema (only tests do that) has no directory yet.
    kept = notebook.query("SELECT 1 FROM sqlite_master WHERE name = 'directory'")
    own = entries(notebook) if kept else []
    phones, webs = contacts_of([*starter_entries(), *own])
    allow_contacts(phones, webs)
    _indexes[notebook] = DirectoryIndex(own)


#: The search index of each open notebook's directory, made when it is opened (on the
#: unlock's worker, not in the call) and again after every change.
_indexes: weakref.WeakKeyDictionary[Notebook, DirectoryIndex] = weakref.WeakKeyDictionary()


def index_of(notebook: Notebook) -> DirectoryIndex:
    """The search index of the notebook's directory, kept up to date by every change made
    through this module."""
    index = _indexes.get(notebook)
    if index is None:
        allow_directory_contacts(notebook)
        index = _indexes[notebook]
    return index


# ---------------------------------------------------------------------------- alliances


@guarded
def link_alliance(notebook: Notebook, alliance_id: int, entry: DirectoryEntry) -> None:
    """Remember that an alliance was made from ``entry`` (and the entry's kind, which
    stays when the entry is deleted)."""
    with notebook.transaction() as db:
        db.execute(
            "UPDATE alliances SET directory_entry_id = ?, directory_kind = ? WHERE id = ?",
            (entry.id, entry.kind.value, alliance_id),
        )


@guarded
def alliance_kinds(notebook: Notebook) -> dict[EntryKind, int]:
    """How many of the notebook's alliances were made from a directory entry of each
    kind (alliances made by hand are not counted)."""
    counts = dict.fromkeys(EntryKind, 0)
    for kind, count in notebook.query(
        "SELECT directory_kind, COUNT(*) FROM alliances WHERE directory_kind IS NOT NULL "
        "GROUP BY directory_kind"
    ):
        counts[_enum(EntryKind, kind, EntryKind.OTHER)] += int(count)
    return counts
