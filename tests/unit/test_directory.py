"""The local help directory (issue 18): entries, search, CSV, and the guard leaving its
public numbers alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from counsellor_app.core import directory
from counsellor_app.core.anonymity import IdentifierKind, find_identifiers
from counsellor_app.core.directory import (
    DirectoryCsvError,
    DirectoryEntry,
    DirectoryIndex,
    EntryKind,
    Origin,
)
from counsellor_app.core.domain import Role
from counsellor_app.core.errors import UserError
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook
from tests.helpers import PASSPHRASE

PPR_AARHUS = DirectoryEntry(
    "PPR Aarhus",
    EntryKind.PPR,
    "Aarhus",
    themes=["school_absence", "adhd_autism"],
    phone="87 13 00 00",
    web="https://www.aarhus.dk/ppr",
    hours="Man-fre 8-15",
    note="Forældre kan selv ringe.",
    checked_on=date(2026, 11, 30),
    source="https://www.aarhus.dk/ppr",
)


def _kinds(text: str) -> list[tuple[str, IdentifierKind]]:
    return [(text[f.start : f.end], f.kind) for f in find_identifiers(text)]


# ---------------------------------------------------------------------------- entries


def test_a_new_notebook_has_the_starter_set(notebook: Notebook) -> None:
    names = {entry.organisation: entry for entry in directory.entries(notebook)}
    assert names["BørneTelefonen (Børns Vilkår)"].phone == "116 111"
    assert names["ForældreTelefonen (Børns Vilkår)"].phone == "35 55 55 57"
    assert names["Livslinien"].phone == "70 201 201"
    assert {"Headspace Danmark", "Bedre Psykiatri", "Familieretshuset", "Alarm 112"} <= set(names)
    assert sum(name.startswith("Psykiatrisk akuthjælp, Region") for name in names) == 5
    for entry in names.values():
        assert entry.municipality == directory.NATIONAL
        assert entry.source.startswith("https://") and entry.checked_on is not None
        assert entry.origin is Origin.SUPERVISOR


def test_an_entry_is_saved_edited_and_deleted(notebook: Notebook) -> None:
    saved = directory.save_entry(notebook, PPR_AARHUS)
    assert saved.id is not None and saved.uid
    assert saved.themes == ["school_absence", "adhd_autism"]
    assert saved.checked_on == date(2026, 11, 30)
    saved.phone = "87 13 00 01"
    saved.municipality = "aarhus kommune"
    again = directory.save_entry(notebook, saved)
    assert (again.id, again.phone, again.municipality) == (saved.id, "87 13 00 01", "Aarhus")
    directory.delete_entry(notebook, saved.id)
    assert all(entry.organisation != "PPR Aarhus" for entry in directory.entries(notebook))


def test_an_added_entry_is_own_in_a_counsellors_notebook(
    notebook: Notebook, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    assert directory.default_origin(notebook) is Origin.OWN
    supervisor, _ = Notebook.create(tmp_path / "s.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)
    with supervisor:
        assert directory.default_origin(supervisor) is Origin.SUPERVISOR


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"organisation": "  "}, "organisation"),
        ({"municipality": "Atlantis"}, "Atlantis"),
        ({"themes": ["no_such_theme"]}, "no_such_theme"),
        ({"note": "Spørg efter Anna Hansen"}, "Anna Hansen"),
        ({"organisation": "Mette Frederiksen"}, "Mette Frederiksen"),
        ({"note": "CPR 010203-1234"}, "010203-1234"),
        ({"note": "Skriv til anna.hansen@aarhus.dk"}, "anna.hansen@aarhus.dk"),
        ({"phone": "ring til Anna"}, ""),
    ],
)
def test_an_entry_naming_a_person_or_unknown_places_is_refused(
    language_of_test: None, notebook: Notebook, changes: dict[str, object], complaint: str
) -> None:
    from dataclasses import replace

    before = len(directory.entries(notebook))
    with pytest.raises(UserError) as caught:
        directory.save_entry(notebook, replace(PPR_AARHUS, **changes))  # type: ignore[arg-type]
    assert complaint in str(caught.value)
    assert len(directory.entries(notebook)) == before


def test_a_public_switchboard_and_a_service_address_are_fine(notebook: Notebook) -> None:
    from dataclasses import replace

    entry = replace(PPR_AARHUS, note="Skriv til ppr@aarhus.dk eller ring 87 13 00 00.")
    assert directory.save_entry(notebook, entry).note == entry.note


# ---------------------------------------------------------------------------- search


def _many(count: int) -> list[DirectoryEntry]:
    kinds = list(EntryKind)
    places = directory.municipalities()
    return [
        DirectoryEntry(
            f"Forening {number}",
            kinds[number % len(kinds)],
            places[number % len(places)],
            themes=["loneliness"] if number % 2 else ["bullying"],
            phone=f"{20000000 + number}",
        )
        for number in range(count)
    ]


def test_search_by_name_municipality_theme_and_kind(notebook: Notebook) -> None:
    directory.save_entry(notebook, PPR_AARHUS)
    index = DirectoryIndex(directory.entries(notebook))
    names = lambda text, **kw: [e.organisation for e in index.search(text, **kw)]  # noqa: E731
    assert names("ppr aar") == ["PPR Aarhus"]
    assert names("aarhus") == ["PPR Aarhus"]
    assert "PPR Aarhus" in names("adhd")  # a theme's label
    assert names("børnetelefon") == ["BørneTelefonen (Børns Vilkår)"]
    assert names("boernetelefon") == ["BørneTelefonen (Børns Vilkår)"]
    assert names("35 55") == ["ForældreTelefonen (Børns Vilkår)"]
    assert "Livslinien" in names("selvskade")
    assert names("hjælpelinje livs") == ["Livslinien"] or names("helpline livs") == ["Livslinien"]
    # A municipality: its own entries and the national ones, never another's.
    in_odense = names("", municipality="Odense")
    assert "PPR Aarhus" not in in_odense and "Livslinien" in in_odense
    assert names("", municipality="Aarhus")[0] == "PPR Aarhus"
    assert names("nothing like this") == []


def test_search_ranks_a_name_that_begins_with_the_text_first() -> None:
    index = DirectoryIndex(
        [
            DirectoryEntry("Klubben Ungdom", EntryKind.CLUB, note="Ligner ppr"),
            DirectoryEntry("PPR Vejle", EntryKind.PPR, "Vejle"),
        ]
    )
    assert [e.organisation for e in index.search("ppr")] == ["PPR Vejle", "Klubben Ungdom"]


def test_search_at_5000_entries_finds_by_municipality_and_theme() -> None:
    index = DirectoryIndex(_many(5000))
    hits = index.search("forening ensom", municipality="Odense", limit=5000)
    assert hits and all(e.municipality == "Odense" for e in hits)
    assert all("loneliness" in e.themes for e in hits)


# ---------------------------------------------------------------------------- CSV

SPREADSHEET_CSV = (
    "\ufeffOrganisation;Type;Kommune;Temaer;Telefon;Web;Åbningstider;Note;Tjekket;Kilde\r\n"
    "PPR Vejle;ppr;Vejle;school_absence|Angst;76 81 00 00;https://vejle.dk/ppr;8-15;;"
    "30-11-2026;https://vejle.dk/ppr\r\n"
    "Familierådgivningen;Family counselling;Vejle Kommune;;;;;;;\r\n"
)


def test_csv_from_a_spreadsheet_is_imported(notebook: Notebook) -> None:
    before = len(directory.entries(notebook))
    result = directory.import_csv(notebook, SPREADSHEET_CSV.encode("utf-8"))
    assert (result.added, result.updated) == (2, 0)
    vejle = {e.organisation: e for e in directory.entries(notebook) if e.municipality == "Vejle"}
    assert vejle["PPR Vejle"].themes == ["school_absence", "anxiety"]
    assert vejle["PPR Vejle"].checked_on == date(2026, 11, 30)
    assert vejle["Familierådgivningen"].kind is EntryKind.FAMILY_COUNSELLING
    assert len(directory.entries(notebook)) == before + 2
    # The same file again updates, it does not duplicate.
    again = directory.import_csv(notebook, SPREADSHEET_CSV.encode("utf-8"))
    assert (again.added, again.updated) == (0, 2)


def test_comma_separated_english_headers_without_bom() -> None:
    data = (
        b"name,kind,municipality,themes,phone,web,hours,note,checked_on\n"
        b"Headspace Aarhus,association,Aarhus,loneliness|sadness,,"
        b'https://headspace.dk,"Man, tirs",,'
        b"2026-12-01\n"
    )
    (entry,) = directory.parse_csv(data)
    assert (entry.organisation, entry.hours, entry.themes) == (
        "Headspace Aarhus",
        "Man, tirs",
        ["loneliness", "sadness"],
    )


def test_a_bad_csv_names_its_lines_and_changes_nothing(notebook: Notebook) -> None:
    data = (
        b"organisation;type;kommune;temaer\n"
        b"PPR Vejle;ppr;Vejle;\n"
        b"Klub;bowling;Vejle;\n"
        b"PPR Atlantis;ppr;Atlantis;\n"
        b"Anna Hansen;other;Vejle;\n"
        b"Klub Vejle;club;Vejle;dancing\n"
    )
    before = directory.entries(notebook)
    with pytest.raises(DirectoryCsvError) as caught:
        directory.import_csv(notebook, data)
    problems = caught.value.problems
    assert [problem.split(":")[0] for problem in problems] == [
        "Linje 3",
        "Linje 4",
        "Linje 5",
        "Linje 6",
    ]
    assert "bowling" in problems[0] and "Atlantis" in problems[1]
    assert "Anna Hansen" in problems[2] and "dancing" in problems[3]
    assert directory.entries(notebook) == before


@pytest.mark.parametrize(
    "data",
    [b"", b"organisation;kommune\nPPR;Vejle\n", "PPR;ppr;Vejle\n".encode("cp1252")],
)
def test_a_file_that_is_no_directory_is_refused(data: bytes) -> None:
    with pytest.raises(DirectoryCsvError):
        directory.parse_csv(data)


def test_a_not_utf8_file_says_how_to_save_it() -> None:
    with pytest.raises(DirectoryCsvError, match="UTF-8"):
        directory.parse_csv("organisation;type\nBørn;ppr\n".encode("cp1252"))


def test_export_round_trips_and_neutralises_formulas(notebook: Notebook) -> None:
    from dataclasses import replace

    directory.save_entry(notebook, replace(PPR_AARHUS, hours="=HYPERLINK(1)", note="-ring"))
    data = directory.export_csv(notebook)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("organisation;type;kommune;temaer;telefon")
    assert "'=HYPERLINK(1)" in text and ";'-ring;" in text
    parsed = {e.organisation: e for e in directory.parse_csv(data)}
    assert parsed["PPR Aarhus"].hours == "=HYPERLINK(1)"
    assert parsed["PPR Aarhus"].themes == PPR_AARHUS.themes
    assert len(parsed) == len(directory.entries(notebook))


def test_the_csv_export_passes_the_gate(notebook: Notebook) -> None:
    # Saving refuses a person; an entry stored before the guard knew a name (written
    # here as an older version would have) is caught on the way out.
    saved = directory.save_entry(notebook, PPR_AARHUS)
    with notebook.transaction() as db:
        db.execute(
            "UPDATE directory SET note = ?, hours = ? WHERE id = ?",
            (
                "Spørg efter Nguyet Tran på 28 45 91 23 eller 87 13 00 00, "
                "se aarhus.dk/ppr og facebook.com/nguyet.tran.77.",
                "Man-fre 8-15, Hanne Lund om torsdagen",
                saved.id,
            ),
        )
    text = directory.export_csv(notebook).decode("utf-8-sig")
    for person in ("Nguyet", "Tran", "28 45 91 23", "Hanne", "Lund", "facebook.com/nguyet"):
        assert person not in text, person
    row = next(line for line in text.splitlines() if line.startswith("PPR Aarhus;"))
    assert "[navn]" in row and "[telefon]" in row and "[link]" in row
    # The organisation's own details stay: its number, page and name.
    assert "87 13 00 00" in row and "aarhus.dk/ppr" in row


def test_the_starter_set_leaves_through_the_gate_unchanged() -> None:
    starter = list(directory.starter_entries())
    assert directory.public_entries(starter) == starter


# ---------------------------------------------------------------------------- the guard


def test_the_guard_leaves_the_starter_sets_numbers_and_addresses_alone() -> None:
    text = (
        "Ring til ForældreTelefonen på 35 55 55 57 eller +45 35 55 55 57, "
        "se bornsvilkar.dk/foraeldretelefonen. Naboen har 35 55 55 58."
    )
    assert _kinds(text) == [("35 55 55 58", IdentifierKind.PHONE)]


def test_the_guard_leaves_the_notebooks_directory_alone(notebook: Notebook) -> None:
    text = "Ring til PPR på 87 13 00 00 eller se aarhus.dk/ppr/kontakt; ikke aarhus.dk/borger"
    before = _kinds(text)
    assert ("87 13 00 00", IdentifierKind.PHONE) in before
    directory.save_entry(notebook, PPR_AARHUS)
    after = _kinds(text)
    assert ("87 13 00 00", IdentifierKind.PHONE) not in after
    assert ("aarhus.dk/ppr/kontakt", IdentifierKind.URL) not in after
    assert ("aarhus.dk/borger", IdentifierKind.URL) in after
    # Deleting the entry makes the number an identifier again.
    (saved,) = [e for e in directory.entries(notebook) if e.organisation == "PPR Aarhus"]
    assert saved.id is not None
    directory.delete_entry(notebook, saved.id)
    assert ("87 13 00 00", IdentifierKind.PHONE) in _kinds(text)


def test_opening_a_notebook_allows_its_directory(
    notebook_path: Path, fast_kdf: KdfParams, tmp_path: Path
) -> None:
    with Notebook.create(notebook_path, PASSPHRASE, kdf=fast_kdf)[0] as notebook:
        directory.save_entry(notebook, PPR_AARHUS)
    with Notebook.create(tmp_path / "other.cnb", PASSPHRASE, kdf=fast_kdf)[0]:
        assert ("87 13 00 00", IdentifierKind.PHONE) in _kinds("ring 87 13 00 00")
    with Notebook.open(notebook_path, PASSPHRASE):
        assert _kinds("ring 87 13 00 00") == []


def test_a_counsellor_may_not_change_the_supervisors_entries(notebook: Notebook) -> None:
    starter = directory.entries(notebook)[0]
    assert starter.origin is Origin.SUPERVISOR
    assert not directory.can_edit(notebook, starter)
    with pytest.raises(UserError, match="supervisor"):
        directory.require_editable(notebook, starter)
    own = directory.save_entry(notebook, replace(PPR_AARHUS, origin=Origin.OWN))
    assert directory.can_edit(notebook, own)
