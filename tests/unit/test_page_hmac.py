"""The page authentication a notebook uses is recorded in its key file: new notebooks use
HMAC-SHA256, older ones (no field) HMAC-SHA512, and both open, back up and restore."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from counsellor_app.core.backups import list_backups, restore, verify_backup
from counsellor_app.core.errors import NotANotebook
from counsellor_app.core.keys import (
    LEGACY_PAGE_HMAC,
    NEW_PAGE_HMAC,
    PASSPHRASE_SLOT,
    KdfParams,
    KeyFile,
    key_file_path,
)
from counsellor_app.core.store import Notebook
from tests.helpers import PASSPHRASE

V1 = Path(__file__).parents[1] / "fixtures" / "notebooks" / "schema_v1"


def _reads_with(path: Path, data_key: bytes, algorithm: str) -> bool:
    """Whether raw SQLCipher reads the file with this page HMAC (no app code involved)."""
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
        connection.execute(f"PRAGMA cipher_hmac_algorithm = {algorithm}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        return False
    finally:
        connection.close()
    return True


def _as_version_1(path: Path) -> None:
    """Rewrite the key file of the notebook at ``path`` as a version 1 key file (the data
    key wrapped under the passphrase only), as notebooks made before December 2026 have."""
    key_file = KeyFile.read(path)
    data_key = key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    old = KeyFile(key_file.notebook_id, key_file.kdf, page_hmac=key_file.page_hmac)
    old.wrap(PASSPHRASE_SLOT, PASSPHRASE, data_key)
    old.write(path)


def _edit_key_file(path: Path, **fields: object) -> None:
    key_path = key_file_path(path)
    data = json.loads(key_path.read_text(encoding="utf-8"))
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    key_path.write_text(json.dumps(data), encoding="utf-8")


def test_a_new_notebook_uses_sha256_and_says_so(notebook_path: Path, fast_kdf: KdfParams) -> None:
    notebook, _recovery = Notebook.create(notebook_path, PASSPHRASE, kdf=fast_kdf)
    notebook.close()
    key_file = KeyFile.read(notebook_path)
    assert key_file.page_hmac == NEW_PAGE_HMAC
    data_key = key_file.unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    assert _reads_with(notebook_path, data_key, NEW_PAGE_HMAC)
    assert not _reads_with(notebook_path, data_key, LEGACY_PAGE_HMAC)


def test_an_older_notebook_keeps_sha512_through_backup_and_restore(tmp_path: Path) -> None:
    expected = json.loads((V1 / "expected.json").read_text(encoding="utf-8"))
    path = tmp_path / "notebook.cnb"
    for name in ("notebook.cnb", "notebook.cnb.key"):
        shutil.copy(V1 / name, tmp_path / name)
    assert "page_hmac" not in json.loads(key_file_path(path).read_text(encoding="utf-8"))
    with Notebook.open(path, expected["passphrase"]) as notebook:
        backup = notebook.backup(tmp_path / "backups")
        code = notebook.case_by_code(expected["cases"][0])
    assert code is not None
    key_file = KeyFile.read(path)
    assert key_file.page_hmac == LEGACY_PAGE_HMAC
    data_key = key_file.unwrap(PASSPHRASE_SLOT, expected["passphrase"])
    assert _reads_with(backup, data_key, LEGACY_PAGE_HMAC)
    verify_backup(backup, data_key, key_file.notebook_id, key_file.page_hmac)
    restore(path, backup, expected["passphrase"])
    with Notebook.open(path, expected["passphrase"]) as notebook:
        assert notebook.integrity_check()
        assert notebook.case_by_code(expected["cases"][0]) is not None


def test_a_key_file_naming_the_other_hmac_still_opens(
    notebook_path: Path, fast_kdf: KdfParams
) -> None:
    """A key file that says SHA-512 (copied from an older copy, or its field removed) does
    not make a SHA-256 notebook look damaged."""
    notebook, _recovery = Notebook.create(notebook_path, PASSPHRASE, kdf=fast_kdf)
    case = notebook.new_case()
    notebook.close()
    _as_version_1(notebook_path)
    _edit_key_file(notebook_path, page_hmac=None)
    assert KeyFile.read(notebook_path).page_hmac == LEGACY_PAGE_HMAC
    with Notebook.open(notebook_path, PASSPHRASE) as reopened:
        assert reopened.case(case.id or 0).code == case.code
        backup = reopened.backup(notebook_path.parent / "backups")
    assert list_backups(notebook_path.parent / "backups")[0].path == backup
    data_key = KeyFile.read(notebook_path).unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    assert _reads_with(backup, data_key, NEW_PAGE_HMAC)


@pytest.mark.parametrize("value", ["HMAC_SHA1", "", "none", 7])
def test_a_key_file_cannot_switch_page_authentication_off(
    notebook_path: Path, fast_kdf: KdfParams, value: object
) -> None:
    notebook, _recovery = Notebook.create(notebook_path, PASSPHRASE, kdf=fast_kdf)
    notebook.close()
    before = notebook_path.read_bytes()
    _edit_key_file(notebook_path, page_hmac=value)
    with pytest.raises(NotANotebook, match="nøglefil"):
        Notebook.open(notebook_path, PASSPHRASE)
    assert notebook_path.read_bytes() == before
