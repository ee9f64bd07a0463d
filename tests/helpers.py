"""Helpers shared by the test folders (no Qt here: the unit tests import it too).

Test modules import helpers from here or from ``tests/gui/helpers.py``, never from
another test module, so that each test module can be run, moved or deleted alone.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from counsellor_app.core.errors import UserError
from counsellor_app.core.keys import KdfParams, key_file_path
from counsellor_app.core.store import Notebook

#: A cheap Argon2id cost so that tests can make many notebooks; the app always uses the
#: default (tests/unit/test_keys.py covers that the default is what a notebook gets).
FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)

#: The passphrase of the unit tests' notebooks (the ``passphrase`` fixture gives it too).
PASSPHRASE = "korrekt hest batteri hæfteklamme"


class SteppedClock:
    """A clock for the notebook's times (``core.store.clock``) that stands still until
    the test moves it: a second passes between two changes without a wait."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = datetime.now(UTC) if start is None else start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def opens_with(backup: Path, scratch: Path, passphrase: str) -> bool:
    """Whether ``backup`` (a copy of it, with its own key file) opens with ``passphrase``."""
    scratch.mkdir(exist_ok=True)
    copy = scratch / "copy.cnb"
    shutil.copyfile(backup, copy)
    shutil.copyfile(key_file_path(backup), key_file_path(copy))
    try:
        with Notebook.open(copy, passphrase) as opened:
            assert opened.integrity_check()
        return True
    except UserError:
        return False
    finally:
        shutil.rmtree(scratch)


def scan_answer(text: str) -> list[tuple[tuple[int, int, str, str, str], ...]]:
    """What the scanning process (core.anonymity.scan_process) answers for ``text``: the
    findings of find_identifiers, per line, each (start, end, kind, reason, replacement)
    within its line."""
    from counsellor_app.core.anonymity import find_identifiers

    out: list[tuple[tuple[int, int, str, str, str], ...]] = []
    start = 0
    findings = find_identifiers(text)
    for line in text.split("\n"):
        end = start + len(line)
        out.append(
            tuple(
                (f.start - start, f.end - start, f.kind.value, f.reason, f.replacement)
                for f in findings
                if start <= f.start < end
            )
        )
        start = end + 1
    return out
