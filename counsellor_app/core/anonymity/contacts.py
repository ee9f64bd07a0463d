"""Public phone numbers and web addresses that are never identifiers.

The help directory's organisations (``core/directory.py``) are public switchboards: a note
that says "ring til PPR på 87 13 00 00" names no family. The starter set's numbers are
always allowed; an open notebook adds its own directory's with :func:`allow_contacts`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache

from counsellor_app.core.anonymity.kinds import IdentifierKind
from counsellor_app.core.paths import resource_path

_added_phones: frozenset[str] = frozenset()
_added_webs: frozenset[str] = frozenset()


def phone_digits(number: str) -> str:
    """The digits of a phone number, without the Danish country code (+45, 0045)."""
    digits = "".join(filter(str.isdigit, number))
    if number.strip().startswith("+") and digits.startswith("45") and len(digits) == 10:
        return digits[2:]
    if digits.startswith("0045") and len(digits) == 12:
        return digits[4:]
    return digits


def contact_host(address: str) -> str:
    """A web address as host and path, lower case, without scheme, "www." and the
    trailing slash, query or fragment: "https://www.X.dk/ppr/?a" -> "x.dk/ppr"."""
    text = address.strip().lower().split("://", 1)[-1]
    text = text.split("?", 1)[0].split("#", 1)[0].removeprefix("www.")
    return text.rstrip("/.")


@cache
def _starter() -> tuple[frozenset[str], frozenset[str]]:
    """The numbers and addresses of the shipped starter set (resources/directory)."""
    path = resource_path("directory", "national.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    phones = {phone_digits(row.get("telefon") or "") for row in rows}
    webs = {contact_host(row.get(key) or "") for row in rows for key in ("web", "kilde")}
    return frozenset(phones - {""}), frozenset(webs - {""})


def allow_contacts(phones: Iterable[str], webs: Iterable[str]) -> None:
    """Allow these phone numbers (digits) and web addresses (:func:`contact_host`) as
    well as the starter set's, in place of the ones allowed before."""
    global _added_phones, _added_webs
    _added_phones = frozenset(phones)
    _added_webs = frozenset(webs)


def is_allowed_contact(kind: IdentifierKind, text: str) -> bool:
    """Whether ``text``, found as ``kind``, is a directory's phone number or web address
    (or a page under one)."""
    if kind is IdentifierKind.PHONE:
        digits = phone_digits(text)
        return digits in _added_phones or digits in _starter()[0]
    if kind is IdentifierKind.URL:
        found = contact_host(text)
        return any(
            found == web or found.startswith(web + "/") for web in (*_added_webs, *_starter()[1])
        )
    return False
