"""Kinds of identifiers, their fixed Danish placeholders and the user-visible reasons."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from counsellor_app.core.i18n import N_


class IdentifierKind(StrEnum):
    """What kind of identifier a finding is. The values are stable (stored and exported)."""

    CPR = "cpr"
    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    HANDLE = "handle"
    ADDRESS = "address"
    POSTCODE_TOWN = "postcode_town"
    NAME = "name"
    INSTITUTION = "institution"
    PLACE = "place"
    MUNICIPALITY = "municipality"
    DATE = "date"
    CASE_NUMBER = "case_number"
    LICENCE_PLATE = "licence_plate"
    PASSPORT = "passport"
    ACCOUNT = "account"


#: Placeholders are written into notes, so they are fixed Danish tokens, never translated.
_PLACEHOLDERS: dict[IdentifierKind, str] = {
    IdentifierKind.CPR: "[cpr]",
    IdentifierKind.PHONE: "[telefon]",
    IdentifierKind.EMAIL: "[e-mail]",
    IdentifierKind.URL: "[link]",
    IdentifierKind.HANDLE: "[brugernavn]",
    IdentifierKind.ADDRESS: "[adresse]",
    IdentifierKind.POSTCODE_TOWN: "[postnummer og by]",
    IdentifierKind.NAME: "[navn]",
    IdentifierKind.INSTITUTION: "[institution]",
    IdentifierKind.PLACE: "[sted]",
    IdentifierKind.MUNICIPALITY: "[kommune]",
    IdentifierKind.DATE: "[dato]",
    IdentifierKind.CASE_NUMBER: "[sagsnummer]",
    IdentifierKind.LICENCE_PLATE: "[nummerplade]",
    IdentifierKind.PASSPORT: "[pasnummer]",
    IdentifierKind.ACCOUNT: "[kontonummer]",
}

#: More specific placeholders for named institutions, by the type of institution; they
#: keep the arena (school, daycare, ...) that matters for the counselling.
INSTITUTION_PLACEHOLDERS: tuple[str, ...] = (
    "[skole]",
    "[efterskole]",
    "[gymnasium]",
    "[daginstitution]",
    "[hospital]",
    "[klub]",
    "[institution]",
)

REGIONS: tuple[str, ...] = (
    "Region Hovedstaden",
    "Region Sjælland",
    "Region Syddanmark",
    "Region Midtjylland",
    "Region Nordjylland",
)


def municipality_placeholder(region: str) -> str:
    """The placeholder a municipality is generalised to: ``[kommune i Region X]``."""
    return f"[kommune i {region}]"


def placeholder(kind: IdentifierKind) -> str:
    """The fixed Danish placeholder that replaces an identifier of ``kind``."""
    return _PLACEHOLDERS[kind]


def all_placeholders() -> tuple[str, ...]:
    """Every text :func:`deidentify` may write in place of an identifier."""
    return (
        *_PLACEHOLDERS.values(),
        *INSTITUTION_PLACEHOLDERS,
        *(municipality_placeholder(region) for region in REGIONS),
    )


# The reasons shown to the counsellor. English msgids; translated when a Finding is made.
R_CPR = N_("A CPR number identifies a person directly.")
R_PHONE = N_("A phone number can be traced to a person.")
R_EMAIL = N_("An e-mail address usually names or traces a person.")
R_URL = N_("A link can lead to a person, a profile or a specific place.")
R_HANDLE = N_("A social-media user name can be looked up and traced to a person.")
R_ADDRESS = N_("A street address points to a home.")
R_POSTCODE_TOWN = N_("A postcode with a town tells where the family lives.")
R_NAME = N_("Looks like a person's name; notes describe situations, not people.")
R_NAME_ROLE = N_("A name after a role or family word (teacher, son, caseworker ...).")
R_NAME_AGE = N_("A name: the note gives this person's age.")
R_NAME_DOING = N_("A name: the note says this person cries, shouts or hits.")
R_NAME_UNKNOWN = N_("A capitalised word that is not a Danish word; it may be a name.")
R_NAME_LOWER = N_("Looks like a person's name written in lower case.")
R_INSTITUTION = N_("A named school, daycare or institution can identify the child.")
R_PLACE = N_("A town or district narrows down who the family is.")
R_MUNICIPALITY = N_("The municipality is replaced by its region, which identifies no one.")
R_DATE = N_("A date of birth identifies a person together with very little else.")
R_EXACT_DATE = N_("An exact date ties the note to an event that others can recognise.")
R_CASE_NUMBER = N_("A case or journal number links the note to a file about the family.")
R_LICENCE_PLATE = N_("A licence plate can be looked up and traced to the car's owner.")
R_PASSPORT = N_("A passport number identifies a person directly.")
R_ACCOUNT = N_("An account number (bank account, IBAN, MobilePay) can be traced to its owner.")


class Candidate(NamedTuple):
    """A possible finding before overlaps are resolved (internal)."""

    start: int
    end: int
    kind: IdentifierKind
    reason: str  # untranslated msgid
    priority: int
    replacement: str = ""


#: Overlap priority: the more certain and the more specific detector wins.
PRIORITY: dict[IdentifierKind, int] = {
    IdentifierKind.EMAIL: 100,
    IdentifierKind.URL: 95,
    IdentifierKind.CPR: 90,
    IdentifierKind.PASSPORT: 88,
    IdentifierKind.CASE_NUMBER: 85,
    IdentifierKind.ACCOUNT: 82,
    IdentifierKind.DATE: 80,
    IdentifierKind.LICENCE_PLATE: 77,
    IdentifierKind.PHONE: 75,
    IdentifierKind.HANDLE: 70,
    IdentifierKind.ADDRESS: 60,
    IdentifierKind.POSTCODE_TOWN: 55,
    IdentifierKind.INSTITUTION: 50,
    IdentifierKind.MUNICIPALITY: 45,
    IdentifierKind.PLACE: 40,
    IdentifierKind.NAME: 30,
}
