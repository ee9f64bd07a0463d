"""Fixtures for the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def home(app_home: Path) -> Path:
    """The app's folders for the processes a test starts (the same as the test's own)."""
    return app_home
