"""The clipboard is an exit: copies leave de-identified and marked, pastes inside the app
get the raw text back, and nothing stays after the timeout or the lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QMouseEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step
from counsellor_app.gui import clipboard as clipboard_module
from counsellor_app.gui.clipboard import CONCEAL_HINTS, ClipboardGuard, raw_behind
from tests.gui.helpers import unlocked_window

NOTE = "Mor fortæller, at Anna Jensen ikke sover."
GATED = "Mor fortæller, at [navn] ikke sover."


def _window_with_guard(
    qtbot: QtBot, clear_after_ms: int = 30_000
) -> tuple[QWidget, ClipboardGuard]:
    window = QWidget()
    qtbot.addWidget(window)
    guard = ClipboardGuard(QApplication.clipboard(), clear_after_ms, parent=window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, guard


def _marked_with_every_hint() -> bool:
    mime = QApplication.clipboard().mimeData()
    return all(mime.hasFormat(kind) for kind in CONCEAL_HINTS)


def test_a_copy_in_the_note_editor_leaves_de_identified_and_pastes_back_raw(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    clipboard = QApplication.clipboard()
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    box = page.editor.editors[Step.LISTEN]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.setPlainText(NOTE)
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    # What another program would paste: de-identified, the hints in the same data.
    assert clipboard.text() == GATED
    assert _marked_with_every_hint()
    assert not clipboard.mimeData().hasHtml()
    # A paste in the app's own editor: the counsellor's own words, not placeholders.
    cursor = box.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    box.setTextCursor(cursor)
    qtbot.keyClick(box, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == NOTE + NOTE
    # Cut: the text leaves the editor and the clipboard holds it de-identified.
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == ""
    assert clipboard.text() == GATED + GATED
    # The lock clears the clipboard and the app's own buffer.
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.notebook is None
    assert clipboard.text() == ""
    assert window.clipboard_guard.text_to_paste() is None
    window.chores.wait()


def _mouse(widget: QWidget, kind: QEvent.Type, at: QPointF) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        at,
        widget.mapToGlobal(at),
        button,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def _drag_gesture(widget: QWidget, start: QPointF) -> None:
    """Press on ``start`` and move the mouse well past the drag distance (the offscreen
    platform ends a drag at once, without a drop)."""
    _mouse(widget, QEvent.Type.MouseButtonPress, start)
    for step in range(1, 6):
        _mouse(widget, QEvent.Type.MouseMove, start + QPointF(12 * step, 0))


def _drop(widget: QWidget, mime: QMimeData, at: QPointF) -> None:
    """What a drop on ``widget`` delivers to it (enter, move, drop)."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(at.toPoint(), actions, mime, buttons, keys),
        QDragMoveEvent(at.toPoint(), actions, mime, buttons, keys),
        QDropEvent(at, actions, mime, buttons, keys),
    ):
        QApplication.sendEvent(widget, event)


def test_a_drag_out_of_a_note_carries_the_gated_text_and_a_drop_inside_the_raw(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    box = page.editor.editors[Step.LISTEN]
    other = page.editor.editors[Step.ADVISE]  # never focused: a drop target only
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    box.setPlainText(NOTE)
    box.selectAll()
    # What Qt's own drag (a real mouse gesture on the real editor) carries.
    carried: list[dict[str, bytes]] = []
    made = clipboard_module.gated_selection

    def spy(widget: QWidget) -> QMimeData:
        mime = made(widget)
        carried.append({kind: bytes(mime.data(kind).data()) for kind in mime.formats()})
        carried[-1]["text"] = mime.text().encode()
        return mime

    monkeypatch.setattr(clipboard_module, "gated_selection", spy)
    viewport = box.viewport()
    _drag_gesture(viewport, QPointF(box.cursorRect(box.textCursor()).center()) - QPointF(30, 0))
    monkeypatch.undo()
    assert carried, "the editor's drag did not take the gated data"
    dragged = carried[0]
    assert dragged["text"] == GATED.encode()
    assert all(kind in dragged for kind in CONCEAL_HINTS)
    # Nothing another program could read holds the note: no raw text, no HTML.
    assert not any(b"Anna" in value or b"A\x00n\x00n\x00a" in value for value in dragged.values())
    assert not any("html" in kind or "richtext" in kind for kind in dragged)

    # A drop inside the app (the same data): the counsellor's own words, not placeholders.
    mime = clipboard_module.gated_selection(box)
    end = box.textCursor()
    end.movePosition(end.MoveOperation.End)
    _drop(viewport, mime, QPointF(box.cursorRect(end).center()) + QPointF(2, 0))
    assert box.toPlainText() == NOTE + NOTE
    _drop(other.viewport(), mime, QPointF(5, 5))
    assert other.toPlainText() == NOTE
    # A drop of another program's data is taken as it is.
    foreign = QMimeData()
    foreign.setText("Fra et andet program.")
    _drop(other.viewport(), foreign, QPointF(5, 5))
    assert "Fra et andet program." in other.toPlainText()
    # The lock forgets the raw text behind the data.
    assert raw_behind(mime) == NOTE
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.notebook is None
    assert raw_behind(mime) is None
    window.chores.wait()


class _CountingLabel(QLabel):
    moves = 0

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self.moves += 1
        super().mouseMoveEvent(event)


def test_a_label_does_not_drag_its_selection_but_still_selects(qtbot: QtBot) -> None:
    """A label's drag data is Qt's own (raw): its drag never starts; lines and lists do
    not drag at all."""
    window, _guard = _window_with_guard(qtbot)
    label = _CountingLabel(NOTE, window)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.resize(400, 40)
    label.show()
    label.setFocus()
    qtbot.waitUntil(label.hasFocus)
    label.setSelection(0, 20)
    _drag_gesture(label, QPointF(10, 20))  # on the selection: a drag would start
    assert label.moves == 0
    _mouse(label, QEvent.Type.MouseButtonRelease, QPointF(70, 20))
    label.setSelection(0, 5)
    _drag_gesture(label, QPointF(200, 20))  # elsewhere: selecting, as always
    assert label.moves == 5
    assert label.selectedText() not in ("", NOTE[:5])
    field = QLineEdit(NOTE, window)
    field.setDragEnabled(True)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    assert not field.dragEnabled()


@pytest.mark.qt_log_ignore("This plugin does not support")  # a menu's popup, offscreen
def test_the_context_menu_copies_through_the_gate(qtbot: QtBot) -> None:
    window, guard = _window_with_guard(qtbot)
    field = QLineEdit(NOTE, window)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(5, 5), field.mapToGlobal(QPoint(5, 5))
    )
    QApplication.sendEvent(field, event)
    menu = next(m for m in field.findChildren(QMenu) if m.isVisible())
    actions = {action.objectName(): action for action in menu.actions()}
    actions["edit-copy"].trigger()
    menu.close()
    assert QApplication.clipboard().text() == GATED
    assert _marked_with_every_hint()
    assert guard.text_to_paste() == NOTE


def test_a_list_copies_its_current_row_through_the_gate(qtbot: QtBot) -> None:
    window, _guard = _window_with_guard(qtbot)
    model = QStandardItemModel(window)
    model.appendRow(QStandardItem(NOTE))
    view = QListView(window)
    view.setModel(model)
    view.show()
    view.setCurrentIndex(model.index(0, 0))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == GATED


def test_any_other_copy_of_the_app_is_replaced_by_its_gated_text(qtbot: QtBot) -> None:
    """The safety net: a widget's own copy (here its copy slot, no key) is gated too."""
    window, guard = _window_with_guard(qtbot)
    editor = QPlainTextEdit(NOTE, window)
    editor.selectAll()
    editor.copy()
    assert QApplication.clipboard().text() == GATED
    assert _marked_with_every_hint()
    assert guard.text_to_paste() == NOTE


def test_copied_text_is_cleared_after_a_while(qtbot: QtBot) -> None:
    window, guard = _window_with_guard(qtbot, clear_after_ms=30)
    field = QLineEdit(NOTE, window)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == GATED
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=3000)
    assert guard.text_to_paste() is None
    # A paste now pastes nothing of the note.
    field.clear()
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == ""


def test_another_programs_copy_is_pasted_as_it_is_and_left_alone(qtbot: QtBot) -> None:
    window, guard = _window_with_guard(qtbot)
    field = QLineEdit(NOTE, window)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    window.hide()  # the counsellor is in another program, which copies
    QApplication.clipboard().setText("Anna Jensen fra et andet program")
    assert guard.text_to_paste() is None
    guard.clear_now()
    assert QApplication.clipboard().text() == "Anna Jensen fra et andet program"
    QApplication.clipboard().clear()


SELECTION_CHILD = textwrap.dedent(
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QClipboard
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit

    from counsellor_app.gui.clipboard import ClipboardGuard

    app = QApplication([])
    clipboard = app.clipboard()
    assert clipboard.supportsSelection()
    field = QLineEdit(%(note)r)
    guard = ClipboardGuard(clipboard, parent=field)
    field.show()
    # Selecting by hand sets the X11 selection (which a middle click pastes).
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    app.processEvents()
    print("selection:", clipboard.text(QClipboard.Mode.Selection))
    print("marked:", clipboard.mimeData(QClipboard.Mode.Selection).hasFormat(
        "x-kde-passwordManagerHint"))
    guard.clear_now()  # as at the lock and after the timeout
    print("after:", repr(clipboard.text(QClipboard.Mode.Selection)))
    """
)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("xvfb-run") is None,
    reason="the X11 selection needs an X server (xvfb-run)",
)
def test_the_x11_selection_is_gated_marked_and_cleared(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), *sys.path])
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-c", SELECTION_CHILD % {"note": NOTE}],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"selection: {GATED}" in result.stdout, result.stderr
    assert "marked: True" in result.stdout, result.stderr
    assert "after: ''" in result.stdout, result.stderr


_QUIT_WITH_A_COPY = """
from PySide6.QtWidgets import QApplication, QWidget
from counsellor_app.gui.clipboard import ClipboardGuard
app = QApplication([])
window = QWidget()
window.show()
guard = ClipboardGuard(QApplication.clipboard(), parent=window)
guard.copy_out("Mor ringer igen om sønnen.")
assert QApplication.clipboard().text()
"""


def test_the_program_exits_cleanly_with_its_copy_on_the_clipboard(tmp_path: Path) -> None:
    """Qt deletes the clipboard's data in the C library's exit handlers, after Python has
    ended: a copy the app made (its data made in Python) crashed the process on its way
    out, every time (exit status 139)."""
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    done = subprocess.run(
        [sys.executable, "-c", _QUIT_WITH_A_COPY], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
