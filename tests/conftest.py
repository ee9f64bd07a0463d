"""Test set-up: Qt offscreen before Qt is imported; no test touches the real user folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import KdfParams

#: A cheap Argon2id cost so that tests can make many notebooks; the app always uses the
#: default (tests/unit/test_keys.py covers that the default is what a notebook gets).
FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "gui" in parts or "e2e" in parts:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every default folder (data, config, logs, backups) under ``tmp_path/home``."""
    home = tmp_path / "home"
    monkeypatch.setenv("COUNSELLOR_APP_HOME", str(home))
    set_language("da")
    return home
