"""Days, durations and counts are written one way everywhere in the windows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pytestqt.qtbot import QtBot

from counsellor_app.core.i18n import current_language, set_language
from counsellor_app.gui.formatting import (
    format_count,
    format_day,
    format_duration,
    format_month,
    format_month_long,
    format_short_day,
)


@pytest.fixture
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_a_duration_is_not_rounded_up_and_empty_when_not_kept() -> None:
    assert format_duration(0) == ""
    assert format_duration(20) == "20 sekunder"  # a short call is not made a minute
    assert format_duration(15 * 60) == "15 minutter"
    assert format_duration(14 * 60 + 40) == "14 min 40 s"


def test_days_months_and_counts_follow_the_language(english: None) -> None:
    day = date(2025, 3, 7)
    # English writes a day one way: day, month, year, as the date fields do (en_GB).
    assert format_day(day) == "7 Mar 2025"
    assert format_short_day(day) == "7 Mar"
    assert format_month(day) == "Mar ’25"
    assert format_month_long(day) == "March 2025"
    assert format_count(1234) == "1,234"
    set_language("da")
    assert format_count(1234) == "1.234"
    assert format_short_day(day) == "7. mar."
    assert format_month(day) == "mar. 2025"


def test_a_date_field_and_a_written_day_agree_in_english(qtbot: QtBot, english: None) -> None:
    from PySide6.QtWidgets import QDateEdit

    from counsellor_app.gui.widgets import show_dates

    edit = show_dates(QDateEdit(), date(2025, 3, 7))
    qtbot.addWidget(edit)
    # The field reads day first (07/03/2025), as the written day does (7 Mar 2025).
    assert edit.text().startswith("07") and format_day(date(2025, 3, 7)).startswith("7 ")


def test_a_moment_is_shown_on_the_day_it_was_here() -> None:
    # The notebook stores UTC; the day shown is the computer's.
    moment = datetime(2025, 3, 7, 12, 0, tzinfo=UTC)
    assert format_day(moment) == format_day(moment.astimezone().date())
