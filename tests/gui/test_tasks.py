"""The GUI's one task runner: results and failures back on the UI thread, progress,
cancellation, superseding, and nothing called once the owner is gone.

Workers wait on events the test sets, never on the wall clock."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.core.errors import StorageError
from counsellor_app.gui.tasks import Lane, Task, TaskRunner, unexpected_sentence

WAIT_MS = 5000


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """An event a worker waits on; always opened at the end, so no worker hangs."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def owner(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_the_result_comes_back_on_the_ui_thread(qtbot: QtBot, owner: QWidget) -> None:
    runner = TaskRunner(owner)
    ui_thread = QThread.currentThread()
    worker_threads: list[QThread] = []
    results: list[tuple[int, bool]] = []

    def work(_task: Task[int]) -> int:
        worker_threads.append(QThread.currentThread())
        return 42

    runner.run(
        work, success=lambda value: results.append((value, QThread.currentThread() is ui_thread))
    )
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results == [(42, True)]
    assert worker_threads and worker_threads[0] is not ui_thread
    qtbot.waitUntil(lambda: not runner.busy(), timeout=WAIT_MS)  # settled after the report


def test_the_ui_thread_is_free_while_the_work_runs(
    qtbot: QtBot, owner: QWidget, gate: threading.Event
) -> None:
    runner = TaskRunner(owner, Lane.NOTEBOOK)
    results: list[str] = []
    task = runner.run(lambda _task: gate.wait(WAIT_MS) and "done", success=results.append)
    qtbot.waitUntil(task.running, timeout=WAIT_MS)
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: bool(ticks), timeout=WAIT_MS)  # events are handled meanwhile
    assert runner.busy() and results == []
    gate.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=WAIT_MS)


def test_a_user_error_is_its_own_sentence(qtbot: QtBot, owner: QWidget) -> None:
    runner = TaskRunner(owner)
    failures: list[str] = []
    successes: list[object] = []

    def work(_task: Task[None]) -> None:
        raise StorageError("The disk is full, so n.cnb could not be saved.")

    runner.run(work, success=successes.append, failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == ["The disk is full, so n.cnb could not be saved."]
    assert successes == []


def test_a_bug_is_logged_without_its_message_and_shown_as_a_generic_sentence(
    qtbot: QtBot, owner: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    runner = TaskRunner(owner)
    failures: list[str] = []

    def work(_task: Task[None]) -> None:
        raise ValueError("Mor hedder Karen Hansen")  # note text must not reach the log

    with caplog.at_level(logging.ERROR, logger="counsellor_app.gui.tasks"):
        runner.run(work, failure=failures.append)
        qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == [unexpected_sentence()]
    assert "ValueError" in caplog.text and "work" in caplog.text  # the type and where
    assert "Karen" not in caplog.text


def test_progress_arrives_on_the_ui_thread(qtbot: QtBot, owner: QWidget) -> None:
    runner = TaskRunner(owner)
    ui_thread = QThread.currentThread()
    seen: list[tuple[int, int, bool]] = []

    def work(task: Task[None]) -> None:
        for done in range(1, 4):
            task.progress(done, 3)

    runner.run(
        work,
        progress=lambda done, total: seen.append(
            (done, total, QThread.currentThread() is ui_thread)
        ),
    )
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=WAIT_MS)
    assert seen == [(1, 3, True), (2, 3, True), (3, 3, True)]


def test_a_cancelled_task_stops_and_reports_nothing(
    qtbot: QtBot, owner: QWidget, gate: threading.Event
) -> None:
    runner = TaskRunner(owner)
    results: list[str] = []
    saw_cancel: list[bool] = []

    def work(task: Task[str]) -> str:
        gate.wait(WAIT_MS)
        saw_cancel.append(task.cancelled())
        return "result"

    task = runner.run(work, success=results.append, failure=results.append)
    qtbot.waitUntil(task.running, timeout=WAIT_MS)
    task.cancel()
    gate.set()
    assert runner.wait(WAIT_MS / 1000)
    # What the work returned would be on its way now; let the event loop deliver it.
    done: list[int] = []
    QTimer.singleShot(0, lambda: done.append(1))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    QApplication.processEvents()
    assert saw_cancel == [True]
    assert results == []


def test_a_newer_task_of_the_same_key_supersedes_the_older(
    qtbot: QtBot, owner: QWidget, gate: threading.Event
) -> None:
    runner = TaskRunner(owner, Lane.NOTEBOOK)  # one thread: the second waits its turn
    results: list[str] = []
    began: list[str] = []

    def work(name: str):  # type: ignore[no-untyped-def]
        def run(_task: Task[str]) -> str:
            began.append(name)
            if name == "first":
                gate.wait(WAIT_MS)
            return name

        return run

    first = runner.run(work("first"), success=results.append, key="scan")
    qtbot.waitUntil(first.running, timeout=WAIT_MS)
    second = runner.run(work("second"), success=results.append, key="scan")
    third = runner.run(work("third"), success=results.append, key="scan")
    other = runner.run(work("other"), success=results.append, key="other")
    assert first.cancelled() and second.cancelled() and not third.cancelled()
    assert not other.cancelled()  # another key is left alone
    gate.set()
    qtbot.waitUntil(lambda: sorted(results) == ["other", "third"], timeout=WAIT_MS)
    assert runner.wait(WAIT_MS / 1000)
    QApplication.processEvents()
    assert sorted(results) == ["other", "third"]
    assert "second" not in began  # superseded before it began: it never ran


def test_nothing_is_called_once_the_owner_is_destroyed(qtbot: QtBot, gate: threading.Event) -> None:
    owner = QWidget()
    runner = TaskRunner(owner)
    called: list[object] = []
    task = runner.run(
        lambda _task: gate.wait(WAIT_MS) and "late",
        success=called.append,
        failure=called.append,
    )
    qtbot.waitUntil(task.running, timeout=WAIT_MS)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(runner), timeout=WAIT_MS)  # destroyed, not blocked
    gate.set()
    assert task.wait(WAIT_MS / 1000)
    done: list[int] = []
    QTimer.singleShot(0, lambda: done.append(1))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    QApplication.processEvents()
    assert called == []


def test_wait_blocks_until_the_runners_tasks_end(
    qtbot: QtBot, owner: QWidget, gate: threading.Event
) -> None:
    runner = TaskRunner(owner, Lane.NOTES)
    task = runner.run(lambda _task: gate.wait(WAIT_MS))
    qtbot.waitUntil(task.running, timeout=WAIT_MS)
    assert not runner.wait(0.05)  # still running
    threading.Timer(0.05, gate.set).start()
    assert runner.wait(WAIT_MS / 1000)
    assert task.done()
    qtbot.waitUntil(task.settled, timeout=WAIT_MS)
    assert not runner.busy()


def _alive(obj: object) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_a_widget_held_only_by_a_task_is_let_go_of_on_the_ui_thread(
    qtbot: QtBot, gate: threading.Event
) -> None:
    """A worker must never drop the last reference to a widget: Python would delete the
    widget on the worker thread (a crash, sooner or later)."""
    let_go_on_ui_thread: list[bool] = []

    class Owner(QWidget):
        def shown(self, _value: object) -> None:
            pass

        def __del__(self) -> None:
            let_go_on_ui_thread.append(threading.current_thread() is threading.main_thread())

    def work_on(widget: Owner) -> Callable[[Task[str]], str]:
        return lambda _task: str(gate.wait(WAIT_MS)) + widget.objectName()

    owner = Owner()  # no parent, no qtbot: the task's references are the last ones
    runner = TaskRunner(owner)
    task = runner.run(work_on(owner), success=owner.shown)
    del owner, runner
    gate.set()
    assert task.wait(WAIT_MS / 1000)
    qtbot.waitUntil(task.settled, timeout=WAIT_MS)
    gc.collect()
    qtbot.waitUntil(lambda: bool(let_go_on_ui_thread), timeout=WAIT_MS)
    assert let_go_on_ui_thread == [True]


def test_shutdown_lets_the_work_end_and_a_lane_works_again_after(
    qtbot: QtBot, owner: QWidget
) -> None:
    from counsellor_app.gui.tasks import lane_pool, shutdown_lanes

    ended = threading.Event()
    runner = TaskRunner(owner, Lane.NOTEBOOK)
    runner.run(lambda _task: (QThread.msleep(200), ended.set()))
    shutdown_lanes()
    assert ended.is_set()  # waited for, not cut off
    results: list[int] = []
    TaskRunner(owner, Lane.NOTEBOOK).run(lambda _task: 7, success=results.append)
    qtbot.waitUntil(lambda: results == [7])
    assert lane_pool(Lane.NOTEBOOK).maxThreadCount() == 1  # a new pool, still one thread
