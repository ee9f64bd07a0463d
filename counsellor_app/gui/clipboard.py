"""Note text copied out of the app does not linger on the clipboard.

Whatever the app puts on the clipboard is marked so clipboard managers and history tools
skip it, and cleared after 30 seconds (or when the notebook locks) if it is still what
the app put there: a counsellor's own later copy from another program is never touched.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QTextBrowser

CLEAR_AFTER_MS = 30_000

#: Hints read by KDE Klipper / GNOME managers, Windows clipboard history, macOS managers.
CONCEAL_HINTS = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"\x01\x00\x00\x00",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "org.nspasteboard.ConcealedType": b"",
}
_MARK = "x-kde-passwordManagerHint"


class ClipboardGuard(QObject):
    """Marks and later clears text the application itself put on ``clipboard``."""

    def __init__(
        self,
        clipboard: QClipboard,
        clear_after_ms: int = CLEAR_AFTER_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._text: str | None = None
        self._timer = QTimer(self, singleShot=True, interval=clear_after_ms)
        self._timer.timeout.connect(self.clear_now)
        clipboard.dataChanged.connect(self._on_changed)

    def _on_changed(self) -> None:
        if not self._ours():
            self._text = None  # another program's copy: not ours to clear
            self._timer.stop()
            return
        mime = self._clipboard.mimeData()
        if mime is None or mime.hasFormat(_MARK):
            return
        text = mime.text()
        marked = QMimeData()
        marked.setText(text)
        for kind, value in CONCEAL_HINTS.items():
            marked.setData(kind, value)
        self._text = text
        self._clipboard.setMimeData(marked)  # comes back here, already marked
        self._timer.start()

    def _ours(self) -> bool:
        # Not every platform reports clipboard ownership (Wayland, offscreen): a change
        # while this app is the active one is then taken as the app's own copy.
        active = QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        return self._clipboard.ownsClipboard() or active

    def clear_now(self) -> None:
        """Clear the clipboard if it still holds what the app put there."""
        self._timer.stop()
        if self._text is not None and self._clipboard.text() == self._text:
            self._clipboard.clear()
        self._text = None


class GatedTextBrowser(QTextBrowser):
    """A view of texts as they would leave (the export previews): what is copied or
    dragged out of it passes the gate first (:func:`counsellor_app.core.gate.copy_text`),
    so a text still marked as holding an identifier leaves without it."""

    def createMimeDataFromSelection(self) -> QMimeData:
        mime = QMimeData()
        from counsellor_app.core.gate import copy_text  # the anonymity engine: not at start-up

        mime.setText(copy_text(self.textCursor().selection().toPlainText()))
        return mime
