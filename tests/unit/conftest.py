"""Fixtures for the core's unit tests: real encrypted notebooks in ``tmp_path``, a cheap KDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from counsellor_app.core.domain import Role
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook
from tests.helpers import FAST_KDF, PASSPHRASE


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


@pytest.fixture
def student(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    """A student's notebook (for review files and mentoring)."""
    notebook, _ = Notebook.create(tmp_path / "student.cnb", PASSPHRASE, Role.STUDENT, kdf=fast_kdf)
    with notebook:
        yield notebook


@pytest.fixture
def mentor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    """A mentor's notebook: an experienced counsellor's."""
    notebook, _ = Notebook.create(tmp_path / "mentor.cnb", PASSPHRASE, kdf=fast_kdf)
    with notebook:
        yield notebook


@pytest.fixture
def language_of_test() -> Iterator[None]:
    """For a test that switches the language: Danish again afterwards."""
    yield
    set_language("da")
