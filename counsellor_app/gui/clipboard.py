"""The clipboard is an exit: what the app copies leaves through the anonymity gate.

* **Copy and cut** in the app's text fields and lists (Ctrl+C, Ctrl+X, Shift+Del,
  Ctrl+Insert, the context menu's Copy and Cut): the system clipboard gets the text as
  :func:`counsellor_app.core.gate.copy_text` de-identifies it, with the "sensitive" hints
  in the same data, set at copy time. Every other program (and clipboard managers,
  Windows' clipboard history, a phone synced with the computer) can read the system
  clipboard, so a raw note never goes there.
* **Paste inside the app**: the raw text stays in the app's own buffer (in memory only).
  A paste into one of the app's fields (Ctrl+V, Shift+Insert, the context menu's Paste)
  while the system clipboard still holds what the app put there pastes the raw text:
  moving a sentence within one's own note must not turn its names into placeholders.
  A paste in another program gets the de-identified text.
* **Anything else** the app puts on the clipboard or the X11 selection (a widget's copy
  not caught above; on X11 every text selection, which a middle click pastes elsewhere)
  is replaced at once by its de-identified, marked text: the safety net, a moment late.
* **Dragging out**: what a text field's selection gives to a drag (and to the X11
  selection) is the same gated, marked data (:func:`gated_selection`), so a note dropped
  in another program arrives de-identified. A drop inside the app (moving a sentence
  within one's own note) gets the raw text back by a random token in the data, never the
  text itself. Labels, whose drag data cannot be replaced, do not drag; line edits and
  lists do not drag at all.
* **Not for long**: cleared after 30 seconds and when the notebook locks (the clipboard,
  the X11 selection and the app's buffer), if still what the app put there: a
  counsellor's own later copy from another program is never touched.
"""

from __future__ import annotations

import atexit
import ctypes
import secrets
import sys
import types
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QChildEvent, QEvent, QMimeData, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QClipboard, QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

CLEAR_AFTER_MS = 30_000

#: Hints read by clipboard managers and histories, in the same data as the text:
#: KDE Klipper and GNOME managers (x-kde-passwordManagerHint), Windows' clipboard
#: monitors and history (Qt registers a format of that very name for each; the history
#: wants a DWORD 0), macOS managers (org.nspasteboard.ConcealedType, also written to the
#: pasteboard itself, see _mark_macos_pasteboard).
CONCEAL_HINTS = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"\x01\x00\x00\x00",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "org.nspasteboard.ConcealedType": b"",
}
_MARK = "x-kde-passwordManagerHint"
#: The widget property naming the guard that watches the widget's copies.
_WATCHED = "counsellorCopyGate"
#: The widget property saying its drags are gated (gate_drags).
_DRAGS_GATED = "counsellorDragGate"
#: Every guard made (a window has one): copy_to_clipboard uses a shown window's.
_GUARDS: weakref.WeakSet[ClipboardGuard] = weakref.WeakSet()


def _gated(text: str) -> str:
    from counsellor_app.core.gate import copy_text  # the anonymity engine: not at start-up

    return copy_text(text)


def concealed_mime(text: str) -> QMimeData:
    """``text`` (already through the gate) with the sensitive hints, in one QMimeData."""
    mime = QMimeData()
    mime.setText(text)
    for kind, value in CONCEAL_HINTS.items():
        mime.setData(kind, value)
    return mime


#: The private format of the token naming the raw text behind a field's gated selection
#: data (a drag, the X11 selection): random bytes, never the text.
_RAW_TOKEN = "application/x-counsellor-notebook-raw"
#: The raw text behind the last such data, by its token (one at most; gone at the lock).
_RAW_BEHIND: dict[bytes, str] = {}


def gated_selection(widget: QWidget) -> QMimeData:
    """What ``widget``'s selection gives to a drag or the X11 selection: its text through
    the gate with the sensitive hints (:func:`concealed_mime`), and a token by which a
    drop inside the app gets the raw text back (:func:`raw_behind`)."""
    raw = _selected_text(widget)
    mime = concealed_mime(_gated(raw))
    token = secrets.token_bytes(16)
    _RAW_BEHIND.clear()
    _RAW_BEHIND[token] = raw
    mime.setData(_RAW_TOKEN, token)
    return mime


def raw_behind(mime: QMimeData | None) -> str | None:
    """The raw text behind data made by :func:`gated_selection` (None for any other)."""
    if mime is None or not mime.hasFormat(_RAW_TOKEN):
        return None
    return _RAW_BEHIND.get(bytes(mime.data(_RAW_TOKEN).data()))


def _gated_mime_of(self: QTextEdit | QPlainTextEdit) -> QMimeData:
    return gated_selection(self)


def _insert_raw_behind(self: QTextEdit | QPlainTextEdit, source: QMimeData) -> None:
    raw = raw_behind(source)
    if raw is None:
        kind: Any = type(self)  # Qt's own insertion (not this object's replacement)
        kind.insertFromMimeData(self, source)
    else:
        self.insertPlainText(raw)


def gate_drags(widget: QWidget) -> None:
    """Make ``widget``'s drags leave through the gate: a text field's selection data is
    :func:`gated_selection`'s (its virtual hooks replaced on this one object, so that
    forms and plain Qt fields are covered too), a drop of it inside the app inserts the
    raw text; line edits and lists do not drag."""
    if widget.property(_DRAGS_GATED):
        return
    widget.setProperty(_DRAGS_GATED, True)
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        widget.createMimeDataFromSelection = types.MethodType(_gated_mime_of, widget)  # type: ignore[method-assign]
        widget.insertFromMimeData = types.MethodType(_insert_raw_behind, widget)  # type: ignore[method-assign]
    elif isinstance(widget, QLineEdit | QAbstractItemView):
        widget.setDragEnabled(False)


def release_clipboard() -> None:
    """Take what the app put on the clipboard and the X11 selection off them, while
    Python is whole: Qt's clipboard deletes the data it still holds in the C library's
    exit handlers, after Python has ended, and data made in Python (every copy the app
    makes) then crashed the process on its way out (SIGSEGV). Called when the event loop
    has ended and at exit. A counsellor's own copy from another program is left."""
    if QGuiApplication.instance() is None:
        return
    clipboard = QGuiApplication.clipboard()
    for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
        mime = clipboard.mimeData(mode)
        if mime is not None and mime.hasFormat(_MARK):
            clipboard.clear(mode)


atexit.register(release_clipboard)


def _mark_macos_pasteboard() -> None:
    """macOS: add the concealed type to what Qt just wrote to the general pasteboard
    (Qt stores a type it does not know under a name of its own, which managers do not
    read), before the event loop runs again."""
    if sys.platform != "darwin":
        return
    try:  # pragma: no cover - macOS only
        from counsellor_app.gui.native import objc_call, objc_string

        pasteboard = objc_call(None, "NSPasteboard", "generalPasteboard")
        kind = objc_string("org.nspasteboard.ConcealedType")
        types = objc_call(None, "NSArray", "arrayWithObject:", ctypes.c_void_p(kind))
        objc_call(pasteboard, None, "addTypes:owner:", ctypes.c_void_p(types), ctypes.c_void_p())
        objc_call(
            pasteboard, None, "setString:forType:", ctypes.c_void_p(objc_string("")),
            ctypes.c_void_p(kind),
        )  # fmt: skip
    except (OSError, AttributeError, ValueError):  # pragma: no cover
        pass


class ClipboardGuard(QObject):
    """The app's way out through the clipboard (see the module): copies the app's fields
    make pass the gate; what the app put there is marked and later cleared.

    ``parent``: the window the guard belongs to; while it is hidden (closed) the guard
    leaves the clipboard alone."""

    def __init__(
        self,
        clipboard: QClipboard,
        clear_after_ms: int = CLEAR_AFTER_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        #: What the app put on each clipboard (after the gate), by mode.
        self._sent: dict[QClipboard.Mode, str] = {}
        #: The raw text behind what the app put on the clipboard: pasted inside the app.
        self._raw: str | None = None
        self._setting = False
        self._timer = QTimer(self, singleShot=True, interval=clear_after_ms)
        self._timer.timeout.connect(self.clear_now)
        # Bound slots (not lambdas): Qt drops them with the guard.
        clipboard.dataChanged.connect(self._clipboard_changed)
        clipboard.selectionChanged.connect(self._selection_changed)
        self._fields = _CopyGate(self)
        _GUARDS.add(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._watch)

    # ------------------------------------------------------------------ out and in

    def copy_out(self, raw: str, mode: QClipboard.Mode = QClipboard.Mode.Clipboard) -> None:
        """Put ``raw`` on the clipboard as it may leave (de-identified, marked); keep
        the raw text for a paste inside the app."""
        self._put(raw, _gated(raw), mode)

    def _put(self, raw: str, clean: str, mode: QClipboard.Mode) -> None:
        self._setting = True
        try:
            self._clipboard.setMimeData(concealed_mime(clean), mode)
        finally:
            self._setting = False
        if mode is QClipboard.Mode.Clipboard:
            _mark_macos_pasteboard()
            self._raw = raw
        self._sent[mode] = clean
        self._timer.start()

    def text_to_paste(self) -> str | None:
        """The raw text behind the clipboard, while it still holds what the app put
        there (None otherwise: a paste then takes the clipboard as it is)."""
        sent = self._sent.get(QClipboard.Mode.Clipboard)
        if self._raw is None or sent is None or self._clipboard.text() != sent:
            return None
        return self._raw

    @Slot()
    def _clipboard_changed(self) -> None:
        self._on_changed(QClipboard.Mode.Clipboard)

    @Slot()
    def _selection_changed(self) -> None:
        self._on_changed(QClipboard.Mode.Selection)

    def _on_changed(self, mode: QClipboard.Mode) -> None:
        if self._setting:
            return
        if not self._ours(mode):
            if mode is QClipboard.Mode.Clipboard:
                self._raw = None  # another program's copy: not ours to clear
            self._sent.pop(mode, None)
            return
        mime = self._clipboard.mimeData(mode)
        if mime is None or not mime.hasText():
            return
        if mime.hasFormat(_MARK):
            # Already gated (a text field's selection, gated_selection): cleared later.
            self._sent[mode] = mime.text()
            self._timer.start()
            return
        # The safety net: a copy that did not come through copy_out (a widget's own
        # copy, the X11 selection a text selection makes) is replaced at once.
        raw = mime.text()
        self._put(raw, _gated(raw), mode)

    def in_use(self) -> bool:
        """Whether the window the guard belongs to is shown (a closed window's guard
        leaves the clipboard alone)."""
        window = self.parent()
        return not isinstance(window, QWidget) or window.isVisible()

    def _ours(self, mode: QClipboard.Mode) -> bool:
        if not self.in_use():
            return False
        owns = (
            self._clipboard.ownsClipboard()
            if mode is QClipboard.Mode.Clipboard
            else self._clipboard.ownsSelection()
        )
        # Not every platform reports clipboard ownership (Wayland, offscreen): a change
        # while this app is the active one is then taken as the app's own copy.
        active = QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        return owns or active

    def clear_now(self) -> None:
        """Clear the clipboard and the X11 selection where they still hold what the app
        put there, and forget the raw text kept for pasting inside the app. (A Python
        string cannot be overwritten: the raw text's memory is freed, not wiped.)"""
        self._timer.stop()
        for mode, sent in list(self._sent.items()):
            if self._clipboard.text(mode) == sent:
                self._setting = True
                try:
                    self._clipboard.clear(mode)
                finally:
                    self._setting = False
        self._sent.clear()
        self._raw = None
        _RAW_BEHIND.clear()

    # ------------------------------------------------------------------ the fields

    def _watch(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A widget took the focus: watch its copies and pastes (the focus, not an event
        filter on every event of the application)."""
        if new is None or not isinstance(new, _FIELDS) or new.property(_WATCHED) == id(self):
            return
        new.setProperty(_WATCHED, id(self))
        new.installEventFilter(self._fields)
        # The drags: this field's and (as drop targets of a drag from it) its window's.
        window = new.window()
        for field in [new, *window.findChildren(QTextEdit), *window.findChildren(QPlainTextEdit)]:
            gate_drags(field)


_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit, QLabel, QAbstractItemView)


def _selected_text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        if widget.echoMode() is not QLineEdit.EchoMode.Normal:
            return ""  # a passphrase field: Qt copies nothing from it either
        return widget.selectedText()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return widget.textCursor().selection().toPlainText()
    if isinstance(widget, QLabel):
        return widget.selectedText()
    if isinstance(widget, QAbstractItemView):
        value = widget.currentIndex().data(Qt.ItemDataRole.DisplayRole)
        return value if isinstance(value, str) else ""
    return ""


def _editable(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        return not widget.isReadOnly()
    return False


def _remove_selection(widget: QWidget) -> None:
    if isinstance(widget, QLineEdit):
        widget.del_()
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        cursor = widget.textCursor()
        cursor.removeSelectedText()
        widget.setTextCursor(cursor)


def _insert(widget: QWidget, text: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.insert(text)
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        widget.insertPlainText(text)


class _CopyGate(QObject):
    """The event filter of the watched fields: their copy, cut and paste (keys and
    context menu) go through the guard."""

    def __init__(self, guard: ClipboardGuard) -> None:
        super().__init__(guard)
        self._guard = guard
        #: Whether the mouse button held down on a label started a drag of its selection
        #: (None: not known until the mouse moves).
        self._label_drag: bool | None = None

    def copy(self, widget: QWidget) -> None:
        text = _selected_text(widget)
        if text:
            self._guard.copy_out(text)

    def cut(self, widget: QWidget) -> None:
        self.copy(widget)
        if _editable(widget) and _selected_text(widget):
            _remove_selection(widget)

    def paste(self, widget: QWidget, fallback: Callable[[], None] | None = None) -> bool:
        raw = self._guard.text_to_paste()
        if raw is not None and _editable(widget):
            _insert(widget, raw)
            return True
        if fallback is not None:
            fallback()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            action = _key_action(event)
            if action is None:
                return False
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the field's key, not a window shortcut's
                return False
            if action is QKeySequence.StandardKey.Copy:
                self.copy(watched)
                return True
            if action is QKeySequence.StandardKey.Cut:
                if isinstance(watched, QLabel | QAbstractItemView):
                    return False
                self.cut(watched)
                return True
            return self.paste(watched)
        if isinstance(watched, QLabel) and isinstance(event, QMouseEvent):
            return self._label_mouse(watched, event)
        if kind == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
            child = event.child()
            if isinstance(child, QMenu):
                self._rewire(child, watched)
        return False

    def _label_mouse(self, label: QLabel, event: QMouseEvent) -> bool:
        """A label's drag data is made by Qt (it cannot be gated): a drag of its
        selection does not start. A press outside the selection has cleared it by the
        first move, which then selects as usual."""
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            self._label_drag = None
        elif kind == QEvent.Type.MouseMove and event.buttons() & Qt.MouseButton.LeftButton:
            if self._label_drag is None:
                self._label_drag = label.hasSelectedText()
            return self._label_drag
        return False

    def _rewire(self, menu: QMenu, widget: QWidget) -> None:
        """The field's context menu (made by the field, shown soon): its Copy, Cut and
        Paste go through the guard."""
        for action in menu.actions():
            name = action.objectName()
            if name not in ("edit-copy", "edit-cut", "edit-paste") or action.property(_WATCHED):
                continue
            action.setProperty(_WATCHED, True)
            action.triggered.disconnect()
            if name == "edit-copy":
                action.triggered.connect(lambda _c=False, w=widget: self.copy(w))
            elif name == "edit-cut":
                action.triggered.connect(lambda _c=False, w=widget: self.cut(w))
            else:
                fallback = getattr(widget, "paste", None)
                action.triggered.connect(lambda _c=False, w=widget, f=fallback: self.paste(w, f))


_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
)


def _key_action(event: QKeyEvent) -> QKeySequence.StandardKey | None:
    for key in _KEYS:
        if event.matches(key):
            return key
    return None


def copy_to_clipboard(text: str) -> None:
    """Put ``text`` on the clipboard the one way out: through the guard of a shown
    window (gated, marked, cleared later), else gated and marked."""
    for guard in list(_GUARDS):
        if shiboken6.isValid(guard) and guard.in_use():
            guard.copy_out(text)
            return
    QGuiApplication.clipboard().setMimeData(concealed_mime(_gated(text)))


class GatedTextBrowser(QTextBrowser):
    """A view of texts as they would leave (the export previews): what is copied or
    dragged out of it passes the gate first (:func:`counsellor_app.core.gate.copy_text`),
    so a text still marked as holding an identifier leaves without it."""

    def createMimeDataFromSelection(self) -> QMimeData:
        return gated_selection(self)
