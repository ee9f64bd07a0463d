"""Rules added after a probe with unseen invented notes (issue 13): each with its own
invented examples (none of the probe's strings) and must-stay counter-examples."""

from __future__ import annotations

import pytest

from counsellor_app.core.anonymity import IdentifierKind, deidentify, find_identifiers


def _found(text: str) -> dict[str, IdentifierKind]:
    return {text[f.start : f.end]: f.kind for f in find_identifiers(text)}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("mor og børnene bor nu i Tistrup hos mormor.", "Tistrup"),
        ("han er vokset op i Ilulissat og savner sine venner.", "Ilulissat"),
        ("farmor bor på Færøerne, i Hvalba, og ringer hver søndag.", "Hvalba"),
        ("familien kom fra Aleppo for fire år siden.", "Aleppo"),
        ("mor vil flytte til Gørlev efter sommerferien.", "Gørlev"),
    ],
)
def test_small_towns_and_far_away_towns_are_places(text: str, place: str) -> None:
    assert _found(text).get(place) is IdentifierKind.PLACE


@pytest.mark.parametrize(
    "text",
    [
        "familien kom fra Elfenbenskysten, nu bor de i Danmark.",
        "far er fra Costa Rica og mor fra Nigeria.",
        "they came from South Sudan last year.",
        "far kører en Seat og mor en Kia, begge er gamle.",
        "mor arbejder hos Novo Nordisk og far hos Vestas.",
        "far ang skolen: han er utilfreds. mor ift samvær: ok.",
        "stedmor iflg pigen er streng. far vedr weekenden usikker.",
        "mor pga arbejde ikke hjemme, far mht lektier ok.",
    ],
)
def test_countries_brands_and_abbreviations_stay(text: str) -> None:
    assert find_identifiers(text) == [], deidentify(text).text
