"""Helpers shared by the readers of exchange files (summary bundles and review files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from counsellor_app.core.exchange.errors import BundleUnreadable, NotABundle
from counsellor_app.core.i18n import _


class ImportStatus:
    """What became of one file given to an import (of bundles or of review files)."""

    IMPORTED = "imported"
    ALREADY_IMPORTED = "already_imported"
    REFUSED = "refused"


class _FileResult(Protocol):
    @property
    def status(self) -> str: ...


R = TypeVar("R", bound=_FileResult)


@dataclass(frozen=True)
class FileReport(Generic[R]):
    """What became of each file given to an import, in the order given."""

    results: tuple[R, ...]

    @property
    def imported(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.status == ImportStatus.IMPORTED)

    @property
    def already_imported(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.status == ImportStatus.ALREADY_IMPORTED)

    @property
    def refused(self) -> tuple[R, ...]:
        return tuple(r for r in self.results if r.status == ImportStatus.REFUSED)


_NUMBER_RUN = re.compile(r"\d[\d \-./]*\d")


def callback_digits(phone: str | None) -> str | None:
    """The last eight digits of a call-back number: what is looked for in texts. None for
    a number of fewer than six digits (too short to look for)."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-8:] if len(digits) >= 6 else None


def number_runs(text: str) -> list[str]:
    """The digits of each number written in ``text`` (digits, spaces, dashes, dots and
    slashes between them)."""
    return ["".join(ch for ch in run if ch.isdigit()) for run in _NUMBER_RUN.findall(text)]


def read_limited(path: Path, max_bytes: int, too_large: str) -> bytes:
    """The bytes of the file at ``path``.

    Raises :class:`NotABundle` (reason ``too_large``, sentence ``too_large``) for a file
    larger than ``max_bytes`` before reading it, and :class:`BundleUnreadable` naming the
    file when it cannot be read.
    """
    try:
        if path.stat().st_size > max_bytes:
            raise NotABundle(path, "too_large", too_large)
        return path.read_bytes()
    except OSError as error:
        raise BundleUnreadable(
            path,
            "unreadable",
            _("{name} could not be read: {reason}").format(
                name=path.name, reason=error.strerror or error
            ),
        ) from error
