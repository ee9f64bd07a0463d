"""The disk refuses: full, a file size limit, a removed drive, a read-only notebook, an
unwritable folder. Each time the user gets one plain sentence (in Danish and in English)
saying what happened and what to do, the text typed stays in memory, and it is saved as
soon as the disk takes it again.

The failures are real where the kernel can make them so: a small tmpfs filled up (ENOSPC,
in a child of its own mount namespace), RLIMIT_FSIZE (EFBIG), SQLite's own descriptors
swapped for read-only ones (a drive gone), ``chattr +i`` (a file or folder that even root
cannot write). Where a test patches a function, it is an ``os`` call raising the OSError
the kernel would.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from counsellor_app.core.backups import list_backups
from counsellor_app.core.domain import Step
from counsellor_app.core.errors import BackupError, StorageError, UserError
from counsellor_app.core.exchange import ensure_key_pair, export_bundle, last_export
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import key_file_path
from counsellor_app.core.rekey import change_passphrase
from counsellor_app.core.safefile import storage_error
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from tests.faults.support import PASSPHRASE, ROOT, ForkServer, immutable, one_sentence
from tests.helpers import FAST_KDF

LANGUAGES = ["da", "en"]


def sentence(code: int, what: str, language: str) -> str:
    """The sentence the app says for an OSError ``code`` about ``what``."""
    set_language(language)
    try:
        return str(storage_error(OSError(code, os.strerror(code)), what))
    finally:
        set_language("da")


def check_language(text: str, code: int, what: str, language: str) -> None:
    assert text == sentence(code, what, language)
    assert one_sentence(text)
    if language == "da":  # really Danish, not the English message id
        assert text != sentence(code, what, "en")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    made = tmp_path / "n.cnb"
    with Notebook.create(made, PASSPHRASE, kdf=FAST_KDF)[0] as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        notebook.save_note(talk.id, Step.LISTEN, "Det der allerede stod.")
    return made


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------- full disk


@pytest.mark.parametrize("language", LANGUAGES)
def test_full_disk_while_typing(
    zygote: ForkServer, path: Path, tmp_path: Path, language: str
) -> None:
    (tmp_path / "small").mkdir()
    run = zygote.run_to_end(
        "disk_full",
        path=str(path),
        passphrase=PASSPHRASE,
        language=language,
        how="enospc",
        small=str(tmp_path / "small"),
    )
    if run.named("unavailable"):
        pytest.skip("this kernel lets no child mount a small tmpfs")
    (refused,) = run.named("refused")
    check_language(refused["sentence"], errno.ENOSPC, path.name, language)
    assert refused["kept"] and refused["pending"] == ["listen"]  # in the editor, unsaved
    (saved,) = run.named("saved")
    with Notebook.open(path, PASSPHRASE) as notebook:
        assert notebook.integrity_check()
        notes = notebook.conversation(saved["conversation"]).notes
    assert notes[Step.LISTEN] == saved["text"]  # all of it, once there was space
    assert notes[Step.ADVISE] == "Skrevet før disken blev fuld."


def test_file_size_limit_while_typing(zygote: ForkServer, path: Path) -> None:
    run = zygote.run_to_end(
        "disk_full", path=str(path), passphrase=PASSPHRASE, language="da", how="fsize"
    )
    (refused,) = run.named("refused")
    assert refused["kept"] and refused["pending"] == ["listen"]  # in the editor, unsaved
    # SQLite reports EFBIG as a disk I/O error; the notebook's WAL at the limit tells it
    # from a drive gone, and the sentence says the file would be too large.
    check_language(refused["sentence"], errno.EFBIG, path.name, "da")
    (saved,) = run.named("saved")
    with Notebook.open(path, PASSPHRASE) as notebook:
        assert notebook.integrity_check()
        assert notebook.conversation(saved["conversation"]).notes[Step.LISTEN] == saved["text"]


# ---------------------------------------------------------------------- file too large


def in_child(code: str, **args: Any) -> dict[str, Any]:
    """Run ``code`` in a Python child of its own (a file size limit there cannot touch
    pytest's own files); it gets ``args`` as ``ARGS`` and prints one JSON line last."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_file_too_large_is_not_a_removed_drive() -> None:
    """EFBIG (a FAT32 stick's 4 GB, a file size limit) has a sentence of its own, in
    Danish and English, unlike a full disk's and a drive gone's."""
    for language in LANGUAGES:
        too_large = sentence(errno.EFBIG, "n.cnb", language)
        assert too_large not in {
            sentence(code, "n.cnb", language) for code in (errno.ENOSPC, errno.EIO, errno.EROFS)
        }
        check_language(too_large, errno.EFBIG, "n.cnb", language)
        assert "n.cnb" in too_large and "FAT32" in too_large and "4 GB" in too_large
    # Windows says ERROR_FILE_TOO_LARGE (223), which Python gives no errno of its own.
    windows = OSError(errno.EINVAL, "The file size exceeds the limit allowed")
    windows.winerror = 223  # type: ignore[attr-defined]
    assert str(storage_error(windows, "n.cnb")) == sentence(errno.EFBIG, "n.cnb", "da")


EXPORT_UNDER_A_SIZE_LIMIT = """
    import json, resource, sys
    from pathlib import Path
    from counsellor_app.core.errors import StorageError
    from counsellor_app.core.exchange import export_bundle, last_export, preview_export
    from counsellor_app.core.i18n import set_language
    from counsellor_app.core.store import Notebook

    args = json.loads(sys.argv[1])
    set_language(args["language"])
    out = Path(args["out"])
    with Notebook.open(Path(args["path"]), args["passphrase"]) as notebook:
        preview = preview_export(notebook, recipient=args["key"])  # its writes: no limit
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        # A bundle of the one case is ~1,000 bytes, give or take its random parts: a limit
        # of half that is always beyond it. (Python ignores SIGXFSZ.)
        resource.setrlimit(resource.RLIMIT_FSIZE, (512, hard))
        try:
            export_bundle(notebook, args["key"], out, preview=preview)
            sentence = None
        except StorageError as error:
            sentence = str(error)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        refused_last = last_export(notebook, args["key"])
        left = sorted(p.name for p in out.parent.iterdir())
        size = export_bundle(notebook, args["key"], out, preview=preview).size
    print(json.dumps({"sentence": sentence, "last": str(refused_last), "left": left,
                      "size": size, "written": out.stat().st_size}))
"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_export_beyond_the_file_size_limit(tmp_path: Path, path: Path, language: str) -> None:
    """The kernel's own EFBIG (RLIMIT_FSIZE) while writing a bundle: the sentence says
    the file would be too large, nothing is left behind, the export is not remembered;
    without the limit the same export is written."""
    with Notebook.create(tmp_path / "s.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as supervisor:
        key = ensure_key_pair(supervisor)
    out = tmp_path / "out" / "til-supervisor.cnbundle"
    out.parent.mkdir()
    result = in_child(
        EXPORT_UNDER_A_SIZE_LIMIT,
        path=str(path),
        passphrase=PASSPHRASE,
        key=key,
        out=str(out),
        language=language,
    )
    check_language(result["sentence"], errno.EFBIG, out.name, language)
    assert result["last"] == "None"  # the next export sends it all again
    assert result["left"] == []  # no partial file, no temporary file
    assert result["written"] == result["size"] > 512


NOTEBOOK_UNDER_A_SIZE_LIMIT = """
    import json, resource, sys
    from pathlib import Path
    from counsellor_app.core.domain import Step
    from counsellor_app.core.errors import StorageError
    from counsellor_app.core.safefile import sqlite_io_error
    from counsellor_app.core.store import Notebook

    args = json.loads(sys.argv[1])
    path = Path(args["path"])
    files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]
    with Notebook.open(path, args["passphrase"]) as notebook:
        talk = notebook.conversations(notebook.find_case_ids()[0])[0]
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        largest = max(f.stat().st_size for f in files if f.exists())
        resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 64 * 1024, hard))
        text = ""
        refused = None
        for _ in range(200):
            text += "Mor fortæller videre om morgenerne og skolen. " * 40
            try:
                notebook.save_note(talk.id, Step.LISTEN, text)
            except StorageError as error:
                refused = str(error)
                break
        at_limit = str(sqlite_io_error(path, path.name))
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        without_limit = str(sqlite_io_error(path, path.name))
        notebook.save_note(talk.id, Step.LISTEN, text)  # the limit is gone: saved
    print(json.dumps({"refused": refused, "at_limit": at_limit,
                      "without_limit": without_limit, "text": text}))
"""


def test_notebook_at_the_file_size_limit_is_told_from_a_drive_gone(path: Path) -> None:
    """SQLite reports the kernel's EFBIG as a disk I/O error; ``sqlite_io_error`` tells it from
    a drive gone by the notebook's files: at the limit, the file-too-large sentence; once
    the limit is lifted, the drive-gone one (and the note is saved)."""
    result = in_child(NOTEBOOK_UNDER_A_SIZE_LIMIT, path=str(path), passphrase=PASSPHRASE)
    assert result["refused"] is not None  # the limit was met
    check_language(result["at_limit"], errno.EFBIG, path.name, "da")
    check_language(result["without_limit"], errno.EIO, path.name, "da")
    with Notebook.open(path, PASSPHRASE) as notebook:
        assert notebook.integrity_check()
        case_id = notebook.find_case_ids()[0]
        assert notebook.conversations(case_id)[0].notes[Step.LISTEN] == result["text"]


# ---------------------------------------------------------------------- removed drive


@pytest.mark.parametrize("language", LANGUAGES)
def test_drive_removed_and_reconnected(zygote: ForkServer, path: Path, language: str) -> None:
    run = zygote.run_to_end("drive_gone", path=str(path), passphrase=PASSPHRASE, language=language)
    (refused,) = run.named("refused")
    check_language(refused["sentence"], errno.EIO, path.name, language)
    (saved,) = run.named("saved")
    with Notebook.open(path, PASSPHRASE) as notebook:
        assert notebook.integrity_check()
        assert notebook.conversation(saved["conversation"]).notes[Step.LISTEN] == (
            "skrevet mens drevet var væk"
        )


class DriveGone:
    """SQLite's descriptors of the notebook and its WAL, in this process, made read-only
    (every write refused by the kernel, reads still right), and back."""

    def __init__(self, path: Path) -> None:
        from tests.faults.jobs import _Swapped

        self.swapped = [
            _Swapped(name, lambda target: os.open(target, os.O_RDONLY))
            for name in (path.name, path.name + "-wal")
        ]

    def back(self) -> None:
        for swapped in self.swapped:
            for _fd, saved in swapped.saved:
                os.close(saved)  # SQLite closed its own (the notebook was locked)


def test_window_keeps_the_text_while_the_drive_is_gone(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.gui.helpers import unlocked_window

    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    gone = DriveGone(path)
    text = "Skrevet mens USB-nøglen var trukket ud."
    with qtbot.waitSignal(page.editor.save_failed, timeout=5000):
        qtbot.keyClicks(page.editor.editors[Step.LISTEN], text)
    assert page.count.text() == sentence(errno.EIO, path.name, "da")  # said on screen
    window.lock()  # the text leaves the screen but stays in memory
    window.chores.wait()  # closing could not checkpoint: the WAL stays, unharmed
    gone.back()
    assert list(page.unsaved.values()) == [{Step.LISTEN: text}]
    assert all(text not in w for w in _widget_texts(window))
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()  # the drive is back: saved at once
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    assert page.unsaved == {}
    window.lock()
    window.chores.wait()
    with Notebook.open(path, passphrase) as notebook:
        assert notebook.integrity_check()
        case = notebook.case_by_code(code)
        assert case is not None
        assert notebook.conversations(case.id)[0].notes[Step.LISTEN] == text


def _widget_texts(window: object) -> list[str]:
    from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

    assert isinstance(window, QWidget)
    texts = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    return texts


# ---------------------------------------------------------------------- read-only


@pytest.mark.parametrize("language", LANGUAGES)
def test_read_only_notebook_is_refused_at_unlock_and_not_touched(path: Path, language: str) -> None:
    before = snapshot(path.parent)
    set_language(language)
    with immutable(path), pytest.raises(StorageError) as info:
        Notebook.open(path, PASSPHRASE)
    check_language(str(info.value), errno.EROFS, path.name, language)
    after = snapshot(path.parent)
    assert (
        after[path.name] == before[path.name]
        and after[path.name + ".key"] == before[path.name + ".key"]
    )


def test_read_only_notebook_in_the_window(qtbot: QtBot, path: Path) -> None:
    from tests.gui.helpers import shown_window

    window = shown_window(qtbot, path)
    with immutable(path):
        window.unlock_page.passphrase.setText(PASSPHRASE)
        window.unlock_page.try_unlock()
        qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    assert window.notebook is None
    assert window.unlock_page.error.text() == sentence(errno.EROFS, path.name, "da")
    window.unlock_page.try_unlock()  # writable again: it opens
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    assert window.notebook is not None
    window.lock()
    window.chores.wait()


def test_notebook_in_a_read_only_folder_is_not_called_damaged(path: Path) -> None:
    with immutable(path.parent), pytest.raises(StorageError) as info:
        Notebook.open(path, PASSPHRASE)
    check_language(str(info.value), errno.EROFS, path.name, "da")


def test_disk_refusing_a_new_call_is_said_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    from tests.gui.helpers import unlocked_window

    window, path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    gone = DriveGone(path)
    try:
        page.new_call()  # Ctrl+N: the new case cannot be stored
        assert page.editor is None
        assert page.count.text() == sentence(errno.EIO, path.name, "da")
    finally:
        for swapped in gone.swapped:
            swapped.back()
    page.new_call()
    assert page.editor is not None
    window.lock()
    window.chores.wait()


# ---------------------------------------------------------------------- unwritable folder


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    made = tmp_path / "locked-folder"
    made.mkdir()
    (made / "earlier.txt").write_text("was here before")
    with immutable(made):
        yield made
    assert [p.name for p in made.iterdir()] == ["earlier.txt"]  # nothing was left in it


@pytest.mark.parametrize("language", LANGUAGES)
def test_backup_into_an_unwritable_folder(path: Path, folder: Path, language: str) -> None:
    with Notebook.open(path, PASSPHRASE) as notebook:
        set_language(language)
        with pytest.raises(StorageError) as info:
            notebook.backup(folder)
        set_language(language)
        expected = sentence(errno.EROFS, "{what}", language)
        what = "The backup" if language == "en" else "Sikkerhedskopien"
        assert str(info.value) == expected.replace("{what}", what)
        assert notebook.integrity_check() and notebook.changed_since_backup


def test_export_into_an_unwritable_folder(tmp_path: Path, path: Path, folder: Path) -> None:
    with Notebook.create(tmp_path / "s.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as supervisor:
        key = ensure_key_pair(supervisor)
    with Notebook.open(path, PASSPHRASE) as notebook:
        with pytest.raises(StorageError) as info:
            export_bundle(notebook, key, folder / "til-supervisor.cnbundle")
        check_language(str(info.value), errno.EPERM, "til-supervisor.cnbundle", "da")
        assert last_export(notebook, key) is None  # the next export sends it all again


def test_passphrase_change_beside_an_unwritable_folder(path: Path) -> None:
    key_before = key_file_path(path).read_bytes()
    with immutable(path.parent), pytest.raises(StorageError) as info:
        change_passphrase(path, PASSPHRASE, "nyt løsen her")
    check_language(str(info.value), errno.EPERM, path.name + ".key", "da")
    assert key_file_path(path).read_bytes() == key_before
    with Notebook.open(path, PASSPHRASE):
        pass


# ---------------------------------------------------------------------- at the os boundary


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EIO])
def test_key_file_rename_refused(path: Path, code: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last step of a passphrase change, the rename, refused: the old key file stays
    whole, no temporary file is left, and the old passphrase opens the notebook."""
    before = snapshot(path.parent)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    with monkeypatch.context() as patch, pytest.raises(StorageError) as info:
        patch.setattr(os, "replace", refuse)
        change_passphrase(path, PASSPHRASE, "nyt løsen her")
    check_language(str(info.value), code, path.name + ".key", "da")
    assert snapshot(path.parent) == before
    with Notebook.open(path, PASSPHRASE):
        pass


@pytest.mark.parametrize("step", ["copyfile", "fsync", "replace"])
def test_backup_refused_at_each_step(
    path: Path, tmp_path: Path, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup whose copy, flush or rename fails (EIO: the drive went away) leaves no
    partial file, lists no backup, and says so."""
    folder = tmp_path / "backups"

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    import counsellor_app.core.backups as store

    # The key file is copied with copy_private (a new 0600 file), the one copy of a backup.
    target = {"copyfile": (store, "copy_private"), "fsync": (store.os, "fsync")}.get(
        step, (store.os, "replace")
    )
    with Notebook.open(path, PASSPHRASE) as notebook:
        with monkeypatch.context() as patch, pytest.raises((StorageError, BackupError)) as info:
            patch.setattr(*target, refuse)
            notebook.backup(folder)
        assert one_sentence(str(info.value))
        assert list(folder.iterdir()) == []
        assert list_backups(folder) == []
        notebook.backup(folder)  # the drive is back
    assert len(list_backups(folder)) == 1


def test_settings_that_cannot_be_written(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch, pytest.raises(UserError) as info:
        patch.setattr(os, "replace", refuse)
        AppSettings(language="en").save()
    check_language(str(info.value), errno.ENOSPC, "settings.json", "da")
    assert not AppSettings.path().exists()
    assert list(AppSettings.path().parent.iterdir()) == []  # no temporary file left
