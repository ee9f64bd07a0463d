"""settings.json keeps only what is needed (issue 15): the last few backup folders, not
every folder a counsellor ever chose."""

from __future__ import annotations

import json
from pathlib import Path

from counsellor_app.core.settings import BACKUP_FOLDERS_KEPT, AppSettings, remember_backup_folder


def test_only_the_newest_backup_folders_are_remembered(tmp_path: Path) -> None:
    folders = [tmp_path / f"stick-{n}" for n in range(BACKUP_FOLDERS_KEPT + 3)]
    for folder in folders:
        remember_backup_folder(folder)
    newest = [str(folder) for folder in folders[-BACKUP_FOLDERS_KEPT:]]
    assert AppSettings.load().backup_folders == newest
    # One used again becomes the newest; none is listed twice.
    remember_backup_folder(folders[-BACKUP_FOLDERS_KEPT])
    assert AppSettings.load().backup_folders == [*newest[1:], newest[0]]
    written = json.loads(AppSettings.path().read_text(encoding="utf-8"))
    assert written["backup_folders"] == [*newest[1:], newest[0]]
    assert not any(str(folder) in AppSettings.path().read_text() for folder in folders[:3])


def test_a_long_list_of_an_older_version_is_cut(tmp_path: Path) -> None:
    AppSettings.path().parent.mkdir(parents=True)
    many = [str(tmp_path / f"f{n}") for n in range(50)]
    AppSettings.path().write_text(json.dumps({"backup_folders": many}), encoding="utf-8")
    assert AppSettings.load().backup_folders == many[-BACKUP_FOLDERS_KEPT:]
