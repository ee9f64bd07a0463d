"""Fixtures for the core's unit tests: real encrypted notebooks in ``tmp_path``, a cheap KDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook
from tests.conftest import FAST_KDF

PASSPHRASE = "korrekt hest batteri hæfteklamme"


@pytest.fixture
def fast_kdf() -> KdfParams:
    return FAST_KDF


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def notebook_path(tmp_path: Path) -> Path:
    return tmp_path / "notebook.cnb"


@pytest.fixture
def created(notebook_path: Path, fast_kdf: KdfParams) -> Iterator[tuple[Notebook, str]]:
    """A fresh notebook and its recovery key; closed afterwards."""
    notebook, recovery_key = Notebook.create(notebook_path, PASSPHRASE, kdf=fast_kdf)
    try:
        yield notebook, recovery_key
    finally:
        notebook.close()


@pytest.fixture
def notebook(created: tuple[Notebook, str]) -> Notebook:
    return created[0]


@pytest.fixture
def recovery_key(created: tuple[Notebook, str]) -> str:
    return created[1]
