"""Copied note text is marked for clipboard managers and cleared after a while."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from counsellor_app.gui.clipboard import ClipboardGuard


def test_copied_text_is_marked_and_cleared(qtbot: QtBot) -> None:
    clipboard = QApplication.clipboard()
    guard = ClipboardGuard(clipboard, clear_after_ms=30)
    editor = QPlainTextEdit("Mor fortæller om søvnproblemer.")
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.selectAll()
    editor.copy()
    assert clipboard.text() == "Mor fortæller om søvnproblemer."
    assert clipboard.mimeData().hasFormat("x-kde-passwordManagerHint")
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)
    guard.deleteLater()
