"""Helpers for the GUI tests (and the fault tests that drive the window).

Test modules import these instead of importing each other: real notebooks made with the
cheap KDF, the real window unlocked, the accessibility checks, answering a modal dialog
without leaving it open when a check fails, and a clock that only moves when told to.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import (
    Alliance,
    Concern,
    ConcernDecision,
    ConcernSigns,
    FollowUp,
    Partner,
    Role,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.mentoring import Subject
from counsellor_app.core.store import Notebook
from counsellor_app.gui.app import MainWindow
from counsellor_app.gui.exchange import ExportDialog
from counsellor_app.gui.review import ReviewView
from counsellor_app.gui.widgets import mnemonic_key
from tests.helpers import FAST_KDF
from tests.unit.anonymity.corpus import CLEAN_NOTES, PLANTED_NOTE

# ---------------------------------------------------------------------- notebooks, window

#: The passphrase of :func:`make_notebook`'s notebooks.
WINDOW_PASSPHRASE = "correct horse"
#: The passphrase of :func:`named_notebook`'s notebooks.
EXCHANGE_PASSPHRASE = "correct horse battery"


def make_notebook(path: Path) -> str:
    """A small notebook at ``path``: three cases, one note each; returns its passphrase."""
    notebook, _recovery = Notebook.create(path, WINDOW_PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        for word in ("skolevægring", "søvnproblemer", "mobning"):
            case = notebook.new_case(themes=["anxiety"])
            conversation = notebook.new_conversation(case.id)
            notebook.save_note(conversation.id, Step.LISTEN, f"Mor fortæller om {word}.")
    return WINDOW_PASSPHRASE


def named_notebook(folder: Path, name: str, role: Role = Role.COUNSELLOR) -> Notebook:
    """An empty notebook ``folder/name.cnb`` of ``role``, open (the caller closes it)."""
    return Notebook.create(folder / f"{name}.cnb", EXCHANGE_PASSPHRASE, role, kdf=FAST_KDF)[0]


def shown_window(qtbot: QtBot, path: Path) -> MainWindow:
    """The real window on ``path``, shown and active (shortcuts need an active window)."""
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def unlocked_window(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, Path, str]:
    """The real window, unlocked on a small notebook; also its path and passphrase."""
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    window = shown_window(qtbot, path)
    unlock(qtbot, window, passphrase)
    return window, path, passphrase


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str) -> None:
    """Unlock ``window`` with ``passphrase`` as the unlock page does, and wait for it."""
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    assert window.notebook is not None


# ---------------------------------------------------------------------- export dialog


def open_export_dialog(qtbot: QtBot, notebook: Notebook, **kwargs: object) -> ExportDialog:
    dialog = ExportDialog(notebook, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def preview(qtbot: QtBot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.preview_ready, timeout=20_000):
        dialog.preview_button.click()


def save_screenshot(widget: QWidget, name: str) -> None:
    """With SCREENSHOT_DIR set, keep a picture of ``widget`` to look at."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


# ---------------------------------------------------------------------- review mode

REVIEW_START = datetime(2026, 10, 5, 10, 0, tzinfo=UTC)
REVIEW_CALLBACK = "28 91 44 07"
REVIEW_REASONING = "Drengen fortæller om slag derhjemme; talt med supervisor."


class Student:
    """A student's notebook with one case of two conversations, all four steps noted."""

    def __init__(self, path: Path) -> None:
        self.nb, _recovery = Notebook.create(path, "pw", Role.STUDENT, kdf=FAST_KDF)
        case = self.nb.new_case(themes=["school_absence"])
        assert case.id is not None
        self.case_id, self.code = case.id, case.code
        self.talk_ids = []
        for number in range(2):
            talk = self.nb.new_conversation(
                case.id, started_at=REVIEW_START + timedelta(days=7 * number)
            )
            assert talk.id is not None
            for step in Step:
                self.nb.save_note(talk.id, step, f"Samtale {number + 1}: {step.value} note.")
            self.nb.set_wellbeing(talk.id, "overall", WellbeingLevel.STRUGGLING)
            self.talk_ids.append(talk.id)
        self.nb.save_alliance(Alliance(case.id, Partner.SCHOOL, role="Klasselærer"))
        self.nb.save_follow_up(FollowUp(case.id, date(2026, 11, 1), counsellor_task="Ring op"))
        self.nb.set_callback(case.id, REVIEW_CALLBACK)
        self.nb.record_concern(
            Concern(case.id, ConcernSigns.UNSURE, ConcernDecision.TALK_WITH_SUPERVISOR, None,
                    self.talk_ids[0], REVIEW_REASONING)
        )  # fmt: skip
        self.subject = Subject.own(case.id)


def make_review_view(qtbot: QtBot, notebook: Notebook, subject: Subject) -> ReviewView:
    view = ReviewView()
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.load(notebook, subject)
    view.show()
    qtbot.waitExposed(view)
    return view


# ---------------------------------------------------------------------- accessibility


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible controls that take keyboard focus but that a screen reader cannot name."""
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        tab_focus = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if not widget.isVisibleTo(root) or not tab_focus:
            continue
        if isinstance(widget, QScrollBar) or widget.focusProxy() is not None:
            continue
        if widget.parent() is not None and type(widget.parent()).__name__ in (
            "QComboBox",
            "QSpinBox",
            "QDateEdit",
            "QAbstractSpinBox",
        ):
            continue  # the line edit inside a combo or spin box is named by its owner
        named = (
            widget.accessibleName()
            or id(widget) in buddies
            or (isinstance(widget, QAbstractButton) and widget.text().replace("&", ""))
            or (isinstance(widget, QTabBar) and all(map(widget.tabText, range(widget.count()))))
        )
        if not named:
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter keys reachable at once in ``root``'s own window (not in windows it
    opened): its menu titles (a main window), visible buddy labels, buttons and the tabs
    of visible tab bars."""
    menu_bar = root.menuBar() if isinstance(root, QMainWindow) else None
    texts = [action.text() for action in menu_bar.actions()] if menu_bar else []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.window() is not root:
            continue
        labelled = isinstance(widget, QLabel) and widget.buddy() is not None
        if labelled or isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(index) for index in range(widget.count())]
    return [key for key in map(mnemonic_key, texts) if key]


def duplicates(keys: list[str]) -> set[str]:
    return {key for key in keys if keys.count(key) > 1}


# ---------------------------------------------------------------------- modal dialogs


def close_modal(widget: QWidget) -> None:
    """Close ``widget`` so that an ``exec()`` waiting on it returns, whatever the dialog's
    own reject() does (the recovery key dialog refuses Escape, for one)."""
    if isinstance(widget, QDialog):
        QDialog.done(widget, QDialog.DialogCode.Rejected.value)
    else:
        widget.close()


W = TypeVar("W", bound=QWidget)

#: Every answer armed by the running test: tests/gui/conftest.py stops them and reports
#: a failure that no test looked at.
armed_answers: list[ModalAnswer[QWidget]] = []


class ModalAnswer(Generic[W]):
    """Waits for a modal dialog of ``kind`` and runs ``action`` on it (see
    :func:`answer_modal`). ``check()`` after the ``exec()`` returned says how it went."""

    def __init__(self, kind: type[W], action: Callable[[W], None], poll_ms: int) -> None:
        self.kind = kind
        self.action = action
        self.seen = False
        self.error: BaseException | None = None
        self.checked = False
        self.timer = QTimer(interval=poll_ms)
        self.timer.timeout.connect(self._poll)
        self.timer.start()
        armed_answers.append(self)  # type: ignore[arg-type]

    def _poll(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, self.kind):
            return
        self.timer.stop()
        self.seen = True
        try:
            self.action(box)
        except BaseException as error:  # re-raised by check()
            self.error = error
        finally:
            # The action answers the dialog; one it left open (a failed check, or a
            # forgotten click) is closed here, so that exec() returns and the test fails
            # in check() instead of hanging.
            if box.isVisible() and QApplication.activeModalWidget() is box:
                close_modal(box)
                if self.error is None:
                    self.error = AssertionError(f"{self.kind.__name__} was left open")

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> None:
        """Raise what went wrong: the action's failure, or the dialog never came up."""
        self.timer.stop()
        self.checked = True
        if self.error is not None:
            raise self.error
        assert self.seen, f"no {self.kind.__name__} came up"


def answer_modal(kind: type[W], action: Callable[[W], None], poll_ms: int = 20) -> ModalAnswer[W]:
    """Run ``action`` on the modal dialog of ``kind`` once it is up (for dialogs that
    block in ``exec()``). ``action`` may note what it sees and answer the dialog; the
    test asserts after ``exec()`` returned, then calls ``check()`` on the result."""
    return ModalAnswer(kind, action, poll_ms)


#: A modal dialog up this long is taken as a test waiting on a dialog nobody answers: it
#: is closed (its exec() returns) and the test fails, instead of hanging until the
#: suite's per-test timeout stops the run.
MODAL_PATIENCE_S = 20.0


class ModalWatch:
    """While a test runs: closes a modal dialog that stays up longer than
    MODAL_PATIENCE_S. ``finish()`` afterwards closes one left open and says what went
    wrong with modal dialogs (tests/conftest.py fails the test with it)."""

    def __init__(self) -> None:
        self.closed: list[str] = []
        self._current: QWidget | None = None
        self._since = 0.0
        self.timer = QTimer(interval=500)
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if box is not self._current:
            self._current, self._since = box, time.monotonic()
        elif box is not None and time.monotonic() - self._since > MODAL_PATIENCE_S:
            self.closed.append(f"{type(box).__name__} {box.windowTitle()!r}")
            self._current = None
            close_modal(box)

    def finish(self) -> list[str]:
        """Stop watching; close what is still open; the problems found, if any."""
        self.timer.stop()
        problems = [
            f"{name} stayed open; closed after {MODAL_PATIENCE_S:.0f} s" for name in self.closed
        ]
        box = QApplication.activeModalWidget()
        while box is not None:
            problems.append(f"{type(box).__name__} {box.windowTitle()!r} was left open")
            close_modal(box)
            QApplication.processEvents()
            if QApplication.activeModalWidget() is box:
                break
            box = QApplication.activeModalWidget()
        answers, armed_answers[:] = list(armed_answers), []
        for answer in answers:
            answer.stop()
            if answer.error is not None and not answer.checked:
                problems.append(f"answering {answer.kind.__name__} failed: {answer.error!r}")
        return problems


# ---------------------------------------------------------------------- time


class FakeClock:
    """A clock that stands still until the test moves it (seconds, like time.monotonic)."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.monotonic() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def underlined(editor: QPlainTextEdit) -> set[int]:
    """Every character position drawn with the guard's wavy underline."""
    marked: set[int] = set()
    block = editor.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
                start = block.position() + r.start
                marked.update(range(start, start + r.length))
        block = block.next()
    return marked


def tooltip_at(editor: QPlainTextEdit, position: int) -> str:
    """The tooltip the editor shows with the mouse resting on the character after
    ``position`` (hidden again once read)."""
    cursor = editor.textCursor()
    cursor.setPosition(position)
    rect = editor.cursorRect(cursor)
    pos = QPoint(rect.center().x() + 1, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, pos, editor.viewport().mapToGlobal(pos))
    QApplication.sendEvent(editor.viewport(), event)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


#: Generous: a scan of 1 MB takes well under a second here, several on a busy machine;
#: and well below the suite's per-test timeout, so that a slow scan fails here, saying so.
WAIT_MS = 60_000


def big_note(size: int = 1_000_000) -> str:
    """Realistic notes, with identifiers planted every few notes, to about ``size``."""
    parts: list[str] = []
    length = 0
    i = 0
    while length < size:
        part = CLEAN_NOTES[i % len(CLEAN_NOTES)] if i % 4 else PLANTED_NOTE
        parts.append(part)
        length += len(part) + 2
        i += 1
    return "\n\n".join(parts)
