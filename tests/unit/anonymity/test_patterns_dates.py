"""Exact dates and year-serial case numbers are identifiers; ordinary numbers are not."""

from __future__ import annotations

import pytest

from counsellor_app.core.anonymity import IdentifierKind, find_identifiers


def kinds_of(text: str) -> list[tuple[str, IdentifierKind]]:
    return [(text[f.start : f.end], f.kind) for f in find_identifiers(text)]


@pytest.mark.parametrize(
    "text, found",
    [
        ("Mødet er den 27/11-2023 kl. 10.", "27/11-2023"),
        ("Hun har ikke været i skole siden 20.03.2024.", "20.03.2024"),
        ("Det skete den 23. september ved skolen.", "23. september"),
        ("Det skete den 3. juni 2024.", "3. juni 2024"),
        ("Samtalen var 2024-03-05 om formiddagen.", "2024-03-05"),
        ("Vi ses den 3/4 igen.", "3/4"),
    ],
)
def test_exact_dates_are_found(text: str, found: str) -> None:
    assert (found, IdentifierKind.DATE) in kinds_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Han går i 8. klasse og er 13-15 år.",
        "Hun sover 1/2 time om eftermiddagen.",
        "Kampen endte 3-1 til dem.",
        "Vi ringer kl. 14.30 i uge 12.",
        "I 2023 flyttede familien.",
        "Efter efterårsferien og i maj måned blev det værre.",
        "Barnet er mellem 10-12 år.",
    ],
)
def test_ordinary_numbers_are_kept(text: str) -> None:
    assert [kind for _text, kind in kinds_of(text) if kind is IdentifierKind.DATE] == []


def test_year_serial_case_numbers() -> None:
    assert ("2024-49796", IdentifierKind.CASE_NUMBER) in kinds_of("Mor nævner sag 2024-49796.")
    assert kinds_of("Hun fylder 2024-2025 med aktiviteter.") == []  # a span of years
