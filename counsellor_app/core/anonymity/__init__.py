"""De-identification of counselling notes: find names, numbers, addresses and places.

Qt-free and offline. The public API::

    find_identifiers(text) -> list[Finding]      # sorted, non-overlapping
    deidentify(text) -> Deidentified             # .text, .findings, .counts
    replace_findings(text, findings) -> str      # chosen findings by their placeholders
    placeholder(kind) -> str                     # "[navn]", "[telefon]", ...

See ``engine.py`` for the overall flow, ``patterns.py`` for numbers, e-mail, links,
dates and addresses, and ``names.py`` for people, institutions and places. The word
lists and their sources are in ``resources/anonymity`` (``SOURCES.md``).

It is a careful helper, not a guarantee: it works from word lists and context rules, so
a name that is also a Danish word at the start of a sentence with no verb after it
("Sol og ..."), an unlisted lower-case name without a role word before it, or a small
village missing from ``towns.txt`` can slip through; the counsellor still reads the note.
"""

from counsellor_app.core.anonymity.engine import (
    Deidentified,
    Finding,
    deidentify,
    find_identifiers,
    replace_findings,
    warm_up,
)
from counsellor_app.core.anonymity.kinds import IdentifierKind, placeholder

__all__ = [
    "Deidentified",
    "Finding",
    "IdentifierKind",
    "deidentify",
    "find_identifiers",
    "placeholder",
    "replace_findings",
    "warm_up",
]
