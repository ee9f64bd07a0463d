"""Days, times, durations and counts as the user's language writes them, for the windows.

One function per kind, so a date reads the same in the case view, the dashboard and the
review. (The PDFs have their own formatting in the core.) The notebook stores moments in
UTC; they are shown in the computer's time zone.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

from counsellor_app.core.i18n import _, format_locale, ngettext


def local_time(moment: datetime) -> datetime:
    """``moment`` in the computer's time zone (the notebook stores UTC)."""
    return moment.astimezone() if moment.tzinfo else moment


def _as_day(day: date | datetime) -> date:
    return local_time(day).date() if isinstance(day, datetime) else day


def format_day(day: date | datetime) -> str:
    """A date as the user's language writes it (``23. nov. 2026``, ``Nov 23, 2026``)."""
    return format_date(_as_day(day), format="medium", locale=format_locale())


def format_short_day(day: date | datetime) -> str:
    """A day without its year, for tight places (``23. nov.``, ``Nov 23``)."""
    return format_skeleton("MMMd", _as_day(day), locale=format_locale())


def format_moment(moment: datetime) -> str:
    """A date and time of day, in the user's language."""
    local = local_time(moment)
    return f"{format_day(local)} {format_time(local, format='short', locale=format_locale())}"


def format_month(day: date) -> str:
    """The month of ``day``, short, for a label under a bar (``mar. 2025``, ``Mar ’25``)."""
    return format_skeleton("MMMyy", day, locale=format_locale())


def format_month_long(day: date) -> str:
    """The month of ``day`` in full, for words read aloud (``marts 2025``, ``March 2025``)."""
    return format_skeleton("yMMMM", day, locale=format_locale())


def format_duration(seconds: int) -> str:
    """A call's duration as it was (a short call is not made a minute), or "" when none
    was kept: ``20 seconds``, ``15 minutes``, ``14 min 40 s``."""
    if seconds <= 0:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return ngettext("{count} second", "{count} seconds", rest).format(count=rest)
    if not rest:
        return ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)


def format_count(count: int) -> str:
    """A number with the language's digit grouping (``1.234``, ``1,234``)."""
    return format_decimal(count, locale=format_locale())
