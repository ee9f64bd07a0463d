"""The versioned taxonomy of themes, arenas and factors (``resources/taxonomy.json``).

Ids are stable across versions so that exports from different counsellors stay
comparable; labels come in Danish and English with the data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from counsellor_app.core.i18n import current_language
from counsellor_app.core.paths import resource_path

TAXONOMY_FILE = resource_path("taxonomy.json")


@dataclass(frozen=True)
class Term:
    id: str
    da: str
    en: str
    category: str | None = None

    @property
    def label(self) -> str:
        """The label in the current language."""
        return self.da if current_language() == "da" else self.en


@dataclass(frozen=True)
class Taxonomy:
    version: int
    categories: tuple[Term, ...]
    themes: tuple[Term, ...]
    arenas: tuple[Term, ...]
    protective_factors: tuple[Term, ...]
    risk_factors: tuple[Term, ...]
    basic_needs: tuple[Term, ...]

    def term(self, group: str, term_id: str) -> Term | None:
        """The term ``term_id`` of ``group`` ("themes", "arenas", ...), or None."""
        terms: tuple[Term, ...] = getattr(self, group)
        return next((term for term in terms if term.id == term_id), None)

    def label(self, group: str, term_id: str) -> str:
        """The label of a term; an unknown id (from a newer taxonomy) is shown as it is."""
        term = self.term(group, term_id)
        return term.label if term else term_id


@cache
def taxonomy() -> Taxonomy:
    """The taxonomy shipped with this version of the app."""
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))

    def terms(group: str) -> tuple[Term, ...]:
        return tuple(
            Term(item["id"], item["da"], item["en"], item.get("category")) for item in data[group]
        )

    return Taxonomy(
        version=int(data["version"]),
        categories=terms("categories"),
        themes=terms("themes"),
        arenas=terms("arenas"),
        protective_factors=terms("protective_factors"),
        risk_factors=terms("risk_factors"),
        basic_needs=terms("basic_needs"),
    )
