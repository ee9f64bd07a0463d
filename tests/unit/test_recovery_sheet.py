"""The printable recovery sheet: the key reads back, one page, Danish letters, safe writes."""

from __future__ import annotations

import errno
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from counsellor_app.core.errors import StorageError
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import new_recovery_key, normalise_recovery_key
from counsellor_app.core.recovery_sheet import write_recovery_sheet

CREATED = datetime(2025, 3, 14, 9, 30)


def _large_monospace_text(path: Path) -> str:
    """The text set in a large Courier (the key), whitespace normalised to single spaces."""
    found: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if font and str(font.get("/BaseFont", "")).startswith("/Courier") and size >= 20:
            found.append(text)

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return " ".join(" ".join(found).split())


def _text(path: Path) -> str:
    """All text of the PDF with runs of whitespace (newlines, no-break spaces) as one space."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.mark.parametrize("language", ["en", "da"])
def test_key_and_file_name_read_back_on_one_page(tmp_path: Path, language: str) -> None:
    set_language(language)
    key = new_recovery_key()
    path = tmp_path / "recovery.pdf"
    write_recovery_sheet(path, key, "Notebook.cnb", CREATED)

    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = _text(path)
    key_text = _large_monospace_text(path)
    assert key_text == " ".join(key.split("-"))  # eight groups, spaced, nothing else
    assert normalise_recovery_key(key_text) == key
    assert key_text in text  # in reading order in the plain text, too
    assert "Notebook.cnb" in text
    assert "counsellor-app change-passphrase --recovery" in text
    assert "2025" in text


def test_english_sheet_says_what_the_key_is_for(tmp_path: Path) -> None:
    set_language("en")
    path = tmp_path / "recovery.pdf"
    write_recovery_sheet(path, new_recovery_key(), "Notebook.cnb", CREATED)
    text = _text(path)
    assert "Recovery key for your Counsellor's Notebook" in text
    assert "14 March 2025" in text  # day first, as English dates are written here
    assert "forget your passphrase" in text
    assert "Never photograph it" in text


def test_danish_letters_render(tmp_path: Path) -> None:
    set_language("da")
    path = tmp_path / "gendannelse.pdf"
    write_recovery_sheet(path, new_recovery_key(), "Rådgivning_ø & <Æ>.cnb", CREATED)
    text = _text(path)
    assert "Rådgivning_ø & <Æ>.cnb" in text
    assert "14. marts 2025" in text


def test_metadata_has_a_title_and_no_author(tmp_path: Path) -> None:
    set_language("en")
    path = tmp_path / "recovery.pdf"
    key = new_recovery_key()
    write_recovery_sheet(path, key, "Notebook.cnb", CREATED)
    meta = PdfReader(path).metadata
    assert meta is not None
    assert meta.title == "Recovery key for your Counsellor's Notebook"
    assert not meta.author
    assert key not in str(dict(meta))
    assert "Notebook.cnb" not in str(dict(meta))


def test_missing_folder_raises_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "recovery.pdf"
    with pytest.raises(StorageError):
        write_recovery_sheet(path, new_recovery_key(), "Notebook.cnb", CREATED)
    assert not path.parent.exists()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions, not root"
)
def test_read_only_folder_raises_storage_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    set_language("en")
    try:
        with pytest.raises(StorageError, match="read-only"):
            write_recovery_sheet(folder / "recovery.pdf", new_recovery_key(), "N.cnb", CREATED)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_refused_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refusing the final rename (as a read-only folder would) leaves nothing."""

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("counsellor_app.core.safefile.os.replace", refuse)
    set_language("en")
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(StorageError, match="read-only"):
        write_recovery_sheet(folder / "recovery.pdf", new_recovery_key(), "Notebook.cnb", CREATED)
    assert list(folder.iterdir()) == []


def test_refused_write_keeps_an_existing_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "recovery.pdf"
    path.write_bytes(b"old sheet")

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("counsellor_app.core.safefile.os.replace", refuse)
    with pytest.raises(StorageError):
        write_recovery_sheet(path, new_recovery_key(), "Notebook.cnb", CREATED)
    assert path.read_bytes() == b"old sheet"
    assert list(folder.iterdir()) == [path]
