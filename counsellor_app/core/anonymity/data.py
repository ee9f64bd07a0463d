"""The word lists the engine decides with, loaded once from ``resources/anonymity``.

Loading takes a few tens of milliseconds (the Danish dictionary has about 300,000 word
forms); :func:`lexicon` caches the result, and :func:`counsellor_app.core.anonymity.warm_up`
lets the app do it before the first keystroke.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from counsellor_app.core.paths import resource_path

RESOURCE_DIR = resource_path("anonymity")

#: Endings added to generic institution stems ("folkeskole" -> "folkeskolen", ...).
_INFLECTIONS = (
    "", "n", "en", "ns", "ens", "r", "rne", "rnes", "er", "erne", "et", "ets", "s",
    "ben", "bens", "ber", "berne", "met", "mets", "mene",
)  # fmt: skip


def _lines(name: str) -> Iterator[str]:
    """The non-empty, non-comment lines of a resource file (``.gz`` files are unpacked)."""
    path = RESOURCE_DIR / name
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    for line in raw.decode("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def word_set(words: str) -> frozenset[str]:
    """A set of the white-space separated words of ``words`` (for word tables in code)."""
    return frozenset(words.split())


#: Three-letter names common enough to flag also in lower case ("min søn leo").
_SHORT_LOWER_NAMES = frozenset({"ida", "mia", "eva", "ali", "leo", "ole", "noa", "ava", "aya"})
#: Lower-case forms that are abbreviations or foreign words more often than names.
_NOT_LOWER_NAMES = word_set(
    """
    jan feb mar apr jun jul aug sep sept okt nov dec june july april august kiel asia kirk
    chen
    """
)


#: Greenlandic and Faroese first names (see SOURCES.md).
_ATLANTIC_NAMES = "greenlandic_faroese_first_names.txt"


def _word_list(name: str) -> set[str]:
    """A gzip'ed list of words, one per line and no comments (the fast path for big lists)."""
    return set(gzip.decompress((RESOURCE_DIR / name).read_bytes()).decode("utf-8").split())


def _phrases(entries: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Multi-word entries, lower-cased, grouped by their first word (longest first; an
    abbreviation's without its full stop, as the scanner reads it: "skt. hans")."""
    grouped: dict[str, list[str]] = {}
    for entry in entries:
        words = entry.lower().split()
        if len(words) > 1:
            grouped.setdefault(words[0].rstrip("."), []).append(" ".join(words))
    return {
        first: tuple(sorted(set(items), key=len, reverse=True)) for first, items in grouped.items()
    }


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Everything the engine looks words up in. All sets are built once."""

    #: Lower-case Danish and English dictionary words (plus the counselling vocabulary).
    words: frozenset[str]
    #: Names as they are written ("Oliver", "Jensen"), exclusions removed.
    names: frozenset[str]
    #: Lower-case names that are no dictionary word: "oliver" is a name even in lower case.
    lower_names: frozenset[str]
    #: ``lower_names | lower_towns``.
    lower_hits: frozenset[str]
    #: Single-word towns, districts and municipalities as written ("Aarhus", "Nørrebro").
    towns: frozenset[str]
    #: Lower-case towns that are no dictionary word ("aarhus").
    lower_towns: frozenset[str]
    #: Multi-word towns by lower-case first word: {"store": ("store heddinge",)}.
    town_phrases: dict[str, tuple[str, ...]]
    #: Municipality (as written, without genitive s) -> region.
    municipalities: dict[str, str]
    #: Lower-case single words that are never identifying (services, countries, apps, ...).
    allowed: frozenset[str]
    #: Multi-word allowed phrases by lower-case first word.
    allowed_phrases: dict[str, tuple[str, ...]]
    #: Lower-case host names of national services whose links are kept.
    allowed_domains: frozenset[str]
    #: Generic institution words with inflections ("folkeskolen", "fritidsklubben").
    generic_institutions: frozenset[str]
    #: English dictionary words that are no Danish word ("lovely", "princess"): names
    #: of many families ("Ploy", "Lovely") are such words.
    english_only: frozenset[str]


@cache
def lexicon() -> Lexicon:
    """Load (once) and return the word lists."""
    words = _word_list("danish_words.txt.gz")
    english = _word_list("english_words.txt.gz")
    extra = {line.lower() for line in _lines("danish_words_extra.txt")}
    extra.update(_lines("abbreviations.txt"))  # "far ang søn", "mor ift skolen"
    english_only = {word for word in english if word not in words and word not in extra}
    words.update(english)
    words.update(extra)

    generic: set[str] = set()
    for stem in _lines("generic_institutions.txt"):
        generic.update(stem + ending for ending in _INFLECTIONS)
    words.update(generic)

    excluded = set(_lines("name_exclusions.txt"))
    # Greenlandic and Faroese names are no word, whatever the dictionary lists ("pipaluk").
    atlantic = list(_lines(_ATLANTIC_NAMES))
    words.difference_update(name.lower() for name in atlantic)
    names = {
        name
        for source in (
            "first_names.txt",
            "surnames.txt",
            "extra_first_names.txt",
            "world_first_names.txt",
            _ATLANTIC_NAMES,
        )
        for name in _lines(source)
        if " " not in name and name[:1].isupper()
    }
    names -= excluded
    lower_names = {
        low
        for low in (name.lower() for name in names)
        if (len(low) >= 4 or low in _SHORT_LOWER_NAMES)
        and low not in words
        and low not in _NOT_LOWER_NAMES
    }

    municipalities: dict[str, str] = {}
    for line in _lines("municipalities.tsv"):
        municipality, region = line.split("\t")
        municipalities[municipality] = region

    town_entries = [*_lines("towns.txt"), *_lines("localities.txt"), *municipalities]
    towns = {town for town in town_entries if " " not in town}
    lower_towns = {town.lower() for town in towns if len(town) >= 4} - words

    services = list(_lines("national_services.txt"))
    proper = [*_lines("proper_nouns_allowed.txt"), *_lines("countries.txt")]
    allowed = {entry.lower() for entry in (*services, *proper) if " " not in entry}
    domains = {entry.lower() for entry in services if "." in entry and " " not in entry}
    lower_names -= {name.lower() for name in excluded} | allowed
    lower_hits = lower_names | lower_towns
    return Lexicon(
        words=frozenset(words),
        names=frozenset(names),
        lower_names=frozenset(lower_names),
        lower_hits=frozenset(lower_hits),
        towns=frozenset(towns),
        lower_towns=frozenset(lower_towns),
        town_phrases=_phrases(town_entries),
        municipalities=municipalities,
        allowed=frozenset(allowed),
        allowed_phrases=_phrases((*services, *proper)),
        allowed_domains=frozenset(domains),
        generic_institutions=frozenset(generic),
        english_only=frozenset(english_only),
    )
