"""Backups and changes of secrets: backups made before a change keep the key of their time
(and say so), can be re-encrypted under the new one or deleted; retention reaches every
backup folder the notebook has used, and says which it could not reach."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from counsellor_app.core.backups import list_backups, restore
from counsellor_app.core.domain import CaseStatus, Step
from counsellor_app.core.errors import WrongPassphrase
from counsellor_app.core.keys import PASSPHRASE_SLOT, RECOVERY_SLOT, key_file_path
from counsellor_app.core.store import Notebook, now
from tests.helpers import PASSPHRASE, opens_with

NEW = "et nyt og længere løsen"


def test_backups_before_a_change_keep_their_key_and_can_be_re_encrypted(
    notebook: Notebook, notebook_path: Path, recovery_key: str, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    notebook.set_backup_dir(folder)
    case = notebook.new_case()
    before = notebook.backup()
    notebook.change_passphrase(PASSPHRASE, NEW)
    after = notebook.backup()
    # Made before the change: the old passphrase opens it, the new one does not.
    assert [info.path for info in notebook.older_backups()] == [before]
    assert opens_with(before, tmp_path / "s", PASSPHRASE)
    assert not opens_with(before, tmp_path / "s", NEW)
    assert opens_with(after, tmp_path / "s", NEW)
    # A secret that does not open it leaves it as it was.
    assert notebook.reencrypt_backups(notebook.older_backups(), PASSPHRASE_SLOT, "nej") == [before]
    assert before.exists()
    # The recovery key of its time (the same: a passphrase change keeps it) opens it.
    assert notebook.reencrypt_backups(notebook.older_backups(), RECOVERY_SLOT, recovery_key) == []
    assert notebook.older_backups() == []
    assert not before.exists() and not key_file_path(before).exists()
    listed = [info.path for info in list_backups(folder, notebook_path.stem)]
    assert len(listed) == 2 and listed[0] == after  # the re-encrypted one kept its time
    reencrypted = listed[1]
    assert opens_with(reencrypted, tmp_path / "s", NEW)
    assert not opens_with(reencrypted, tmp_path / "s", PASSPHRASE)
    notebook.close()
    restore(notebook_path, reencrypted, NEW)
    with Notebook.open(notebook_path, NEW) as restored:
        assert restored.case(case.id).code == case.code


def test_backups_before_a_change_can_be_deleted(
    notebook: Notebook, notebook_path: Path, tmp_path: Path
) -> None:
    notebook.set_backup_dir(tmp_path / "backups")
    notebook.backup()
    notebook.replace_recovery_key(PASSPHRASE)
    older = notebook.older_backups()
    assert len(older) == 1
    notebook.delete_backups(older)
    assert notebook.older_backups() == []
    assert not list(notebook.backup_dir.iterdir())


def test_retention_reaches_every_backup_folder_the_notebook_used(
    notebook: Notebook, notebook_path: Path, tmp_path: Path
) -> None:
    first, second, stick = tmp_path / "first", tmp_path / "second", tmp_path / "stick"
    case = notebook.new_case()
    talk = notebook.new_conversation(case.id)
    notebook.save_note(talk.id, Step.LISTEN, "Tekst der skal væk")
    notebook.set_status(case.id, CaseStatus.CLOSED)
    for folder in (first, stick, second):
        notebook.set_backup_dir(folder)
        notebook.backup()
    assert notebook.backup_folders == [second, first, stick]
    away = tmp_path / "stick-unplugged"
    stick.rename(away)  # a USB stick not plugged in
    later = now() + timedelta(days=800)
    assert notebook.purge(at=later) == 1
    assert list_backups(first, notebook_path.stem) == []
    assert len(list_backups(second, notebook_path.stem)) == 1  # the fresh one
    assert notebook.unreached_backup_folders == [stick]
    away.rename(stick)
    assert notebook.purge(at=later) == 0  # nothing new: the stick is reached now
    assert list_backups(stick, notebook_path.stem) == []
    assert notebook.unreached_backup_folders == []


def test_a_wrong_passphrase_for_an_older_backup_is_refused(
    notebook: Notebook, tmp_path: Path
) -> None:
    notebook.set_backup_dir(tmp_path / "backups")
    notebook.backup()
    notebook.change_passphrase(PASSPHRASE, NEW)
    with pytest.raises(WrongPassphrase):
        notebook.change_passphrase(PASSPHRASE, "et tredje løsen")
    assert len(notebook.older_backups()) == 1
