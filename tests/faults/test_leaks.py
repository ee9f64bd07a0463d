"""Leaks: a scripted session in the real window plants identifiers (a name, a CPR number,
phone numbers, an e-mail address, a street) and a marker word in a note, a follow-up and
a call-back number; copies the note; exports a bundle; writes a PDF case summary; backs
up; locks. Then no planted identifier is found in clear in any file (the notebook, its
WAL and shared memory, the key file, backups, the temporary folder, the log file, the
export, the PDF), the clipboard is empty after the lock, and after the auto-lock no note
text is left in any widget (every line edit, text box, label, button, list and model of
every window).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import FollowUp, Role, Step
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle
from tests.faults.support import PASSPHRASE, found_in_clear
from tests.helpers import FAST_KDF

#: Not an identifier: it leaves (de-identified) in exports and PDFs, but never in clear
#: in the notebook's own files, and not on screen after a lock.
MARKER = "Quaxolotlhus"
NOTE = (
    f"Mor Birthe Zinkernagel ringede om {MARKER}. Datteren Sofie Zinkernagel, cpr "
    "130497-2846, tlf. 61 72 83 94, mail birthe.zinkernagel@eksempel.dk, bor på "
    "Qvistgaardsvej 17, 8000 Aarhus C."
)
CALLBACK = "29 18 07 65"
IDENTIFIERS = [
    "Zinkernagel",
    "130497-2846",
    "1304972846",
    "61 72 83 94",
    "61728394",
    "birthe.zinkernagel@eksempel.dk",
    "Qvistgaardsvej",
    CALLBACK,
    CALLBACK.replace(" ", ""),
]
EVERYTHING = [*IDENTIFIERS, MARKER]


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder of this process for the test (and of SQLite's, were it
    ever to make one)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setenv("SQLITE_TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def log_file(app_home: Path) -> Iterator[Path]:
    """The app's log file, set up as the command line does, at its most talkative."""
    from counsellor_app.logging_setup import setup_logging

    logger = logging.getLogger("counsellor_app")
    saved, level = logger.handlers[:], logger.level
    logger.handlers.clear()
    setup_logging()
    logger.setLevel(logging.DEBUG)
    try:
        yield app_home / "logs" / "counsellor-app.log"
    finally:
        for handler in logger.handlers:
            handler.close()
        logger.handlers[:] = saved
        logger.setLevel(level)


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent or QModelIndex()
    try:
        columns = max(1, model.columnCount(parent))
        tree = model.hasChildren(parent)
    except TypeError:  # a list model: one column, no children (Qt keeps these private)
        columns, tree = 1, False
    texts = []
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value:
                    texts.append(str(value))
            if tree and model.hasChildren(index):
                texts += model_texts(model, index)
    return texts


def widget_texts() -> list[str]:
    """Every text any widget of the application holds or shows."""
    texts: list[str] = []
    widgets: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        widgets += [top, *top.findChildren(QWidget)]
    for widget in widgets:
        texts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
        texts.append(widget.accessibleDescription())
        if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            texts += [widget.toPlainText(), widget.placeholderText()]
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
            texts.append(widget.currentText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())
    return texts


def test_nothing_planted_is_left_in_clear(
    qtbot: QtBot, tmp_path: Path, temporary: Path, log_file: Path, app_home: Path
) -> None:
    from counsellor_app.core.reports import write_case_summary
    from tests.gui.helpers import unlocked_window

    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    clipboard = QApplication.clipboard()

    # A call: the note typed, copied, a follow-up and a call-back number left.
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    box = page.editor.editors[Step.LISTEN]
    qtbot.keyClicks(box, NOTE)
    box.selectAll()
    box.copy()
    # The clipboard is an exit: the copy left through the gate.
    assert clipboard.text() and [i for i in EVERYTHING if i in clipboard.text()] == []
    notebook = window.notebook
    assert notebook is not None
    case = notebook.case_by_code(code)
    assert case is not None and case.id is not None
    notebook.set_callback(case.id, CALLBACK)
    notebook.save_follow_up(
        FollowUp(case.id, date.today(), counsellor_task=f"Ring til Zinkernagel om {MARKER}")
    )
    page.end_call()
    page.refresh_agenda()
    assert any(CALLBACK in text for text in widget_texts())  # on screen while unlocked

    # An export for the supervisor (imported there too), a PDF summary, a backup.
    out = tmp_path / "out"
    out.mkdir()
    with Notebook.create(tmp_path / "sup" / "s.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
        0
    ] as supervisor:
        key = ensure_key_pair(supervisor)
        bundle = export_bundle(notebook, key, out / "til-supervisor.cnbundle").path
        import_bundle(supervisor, bundle, accept_new=True)
    pdf = write_case_summary(notebook, case.id, out / "sag.pdf")
    window.back_up_now()
    window.chores.wait()  # the backup runs on the notebook lane
    assert list((app_home / "data" / "backups").rglob("*.cnb"))

    # While the notebook is open: the WAL holds the newest pages, encrypted.
    assert (path.with_name(path.name + "-wal")).exists()
    files_of_the_notebook = [tmp_path / "n.cnb-wal", app_home, temporary]
    assert found_in_clear(EVERYTHING, path.parent) == []
    assert found_in_clear(EVERYTHING, *files_of_the_notebook) == []

    # Lock (Ctrl+L): the clipboard is cleared, every file still holds nothing in clear.
    window.lock()
    window.chores.wait()
    assert clipboard.text() == ""
    assert found_in_clear(EVERYTHING, tmp_path / "sup", app_home, temporary, path.parent) == []
    assert log_file.exists()
    # The export and the PDF hold the note de-identified: no identifier, in clear or as
    # text the PDF shows.
    assert found_in_clear(IDENTIFIERS, out) == []
    shown = "\n".join(sheet.extract_text() for sheet in PdfReader(pdf).pages)
    assert [i for i in IDENTIFIERS if i in shown] == []

    # Unlocked again, the case and a new call on screen, then the auto-lock.
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    page = window.notebook_page
    page.search.setText(code)
    page.list.setCurrentIndex(page.model.index(0))
    assert any(MARKER in text for text in widget_texts())  # the note is shown
    page.start_conversation(case.id)
    assert page.editor is not None
    qtbot.keyClicks(page.editor.editors[Step.ADVISE], f"Zinkernagel igen om {MARKER}")
    page.editor.editors[Step.ADVISE].selectAll()
    page.editor.editors[Step.ADVISE].copy()
    window.idle_timer.setInterval(200)
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.notebook is None, timeout=5000)
    # The call's widgets are deleted later (deleteLater): delete them now, not after 50 ms.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window.chores.wait()
    left = [text for text in widget_texts() if any(m in text for m in EVERYTHING)]
    assert left == [], f"note text left on screen after the auto-lock: {left[:3]}"
    assert all(word not in text for text in widget_texts() for word in ("Birthe", "Sofie"))
    assert clipboard.text() == ""
    assert page.unsaved == {}
    assert found_in_clear(EVERYTHING, path.parent, app_home, temporary) == []
    with Notebook.open(path, passphrase) as again:  # and all of it was kept, behind the key
        conversations = again.conversations(case.id)
        assert conversations[0].notes[Step.LISTEN] == NOTE
        assert conversations[1].notes[Step.ADVISE] == f"Zinkernagel igen om {MARKER}"
