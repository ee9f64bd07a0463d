"""The one way the GUI runs work off the UI thread (in the shape of Anki's ``CollectionOp``).

A widget owns a :class:`TaskRunner` (a child QObject, so it dies with the widget) and
hands it work::

    self.tasks = TaskRunner(self, Lane.NOTEBOOK)
    self.tasks.run(
        lambda task: notebook.backup(folder),
        success=self._backup_done,      # (result) on the UI thread
        failure=self._backup_error,     # (sentence) on the UI thread
        progress=self._show_progress,   # (done, total) on the UI thread, optional
        key="backup",                   # a newer task of this key supersedes the older
    )

The work runs on a worker thread and gets its :class:`Task`: ``task.progress(done,
total)`` reports, ``task.cancelled()`` says whether to stop early. It must not touch a
widget. Whatever it returns goes to ``success``; a :class:`UserError` it raises goes to
``failure`` as its own sentence (a full disk, a bad file: the caller shows it); any other
exception is a bug: it is logged (its type and where, never its message, which could hold
note text) and ``failure`` gets a generic sentence.

Callbacks arrive through a queued signal on the UI thread, and only while the runner lives
(its owner is not destroyed) and the task was not cancelled: a task that ends after its
dialog closed calls nothing. The work, the callbacks and the result are let go of on the
UI thread too, never by a worker (which would delete a widget on the wrong thread).
:meth:`Task.cancel` sets a flag; :meth:`TaskRunner.wait` blocks until the runner's own
tasks have ended (for a flush before the notebook closes); :meth:`TaskRunner.busy` is
true until the last outcome was handed over (a dialog shows it is busy until then).

Which thread pool (a "lane") runs the work:

* :attr:`Lane.NOTES`: one thread, for the autosave of notes: saves are written in the
  order they were typed, and never wait behind a backup.
* :attr:`Lane.NOTEBOOK`: one thread, for everything else that writes the notebook or its
  files (the window's chores: checkpoints, backups, retention, the close after a lock;
  "Back up now"; imports; exports that record themselves), so they run in order and
  never two at once. Waiting for this lane is waiting for the notebook to be closed.
* :attr:`Lane.SCAN`: one thread, for the anonymity guard's scans after a pause in
  typing while its scanning process is not ready (``gui.scan_service``): scans never pile
  up on the two cores of a small laptop, and a newer scan of a note supersedes one still
  waiting.
* :attr:`Lane.COMPUTE`: as many threads as cores, for work that only reads or computes
  (scanning a long note, building a preview). The notebook's connection has its own lock
  in the store, so a read there is safe beside the serial lanes.

The lanes' pools live as long as the program (they are not owned by a widget, so closing
a dialog never blocks on its task); their idle threads end by themselves.

A worker running Python holds the interpreter's lock (the GIL) that the UI thread needs
for every Python slot a key calls. CPython makes a waiting thread wait up to its switch
interval (5 ms) before the running one must let go; once the first lane is made, the
interval is :data:`SWITCH_INTERVAL_S`, so that a key arriving while the guard scans waits
a fraction of a millisecond per slot, not a third of a frame.
"""

from __future__ import annotations

import atexit
import contextlib
import enum
import functools
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _

log = logging.getLogger(__name__)

T = TypeVar("T")


class Lane(enum.Enum):
    """The thread pool a task runs on (see the module's docstring)."""

    NOTES = "notes"
    NOTEBOOK = "notebook"
    SCAN = "scan"
    COMPUTE = "compute"


_pools: dict[Lane, QThreadPool] = {}

#: The interpreter's switch interval once a lane exists (CPython's default is 5 ms).
SWITCH_INTERVAL_S = 0.0005
#: How long a task waits on its thread before it begins, without the interpreter's lock,
#: so that the thread that started it gets the lock back at once (see ``_Runnable.run``).
HANDOFF_S = 0.0002


def lane_pool(lane: Lane) -> QThreadPool:
    """The pool of ``lane``, made on first use (the serial lanes have one thread)."""
    pool = _pools.get(lane)
    if pool is None:
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)  # see the module's docstring
        pool = QThreadPool()
        if lane is not Lane.COMPUTE:
            pool.setMaxThreadCount(1)
        _pools[lane] = pool
    return pool


def shutdown_lanes(timeout_ms: int = 10_000) -> None:
    """Let the lanes' work end (up to ``timeout_ms`` each) and let go of the pools and
    the dispatcher while Python and Qt are both whole. Called when the application's
    event loop has ended and at exit: left to the interpreter's teardown, a worker could
    still be running Python while the interpreter is taken apart. A lane used later gets
    a new pool."""
    global _dispatcher
    for pool in _pools.values():
        pool.waitForDone(timeout_ms)
    _pools.clear()  # the pools are Python's: deleted here, their idle threads joined
    if _dispatcher is not None and shiboken6.isValid(_dispatcher):
        shiboken6.delete(_dispatcher)
    _dispatcher = None


atexit.register(shutdown_lanes)


def run_on_lane_threads(work: Callable[[], object], timeout_s: float = 2.0) -> None:
    """Run ``work`` once on each thread of each lane made so far (a serial lane's one,
    each of the compute lane's), waiting up to ``timeout_s`` for each lane (after a lock:
    their C allocators' caches of freed memory are per thread, and only the thread itself
    can overwrite them). A lane's jobs meet at a barrier, so that no thread runs two."""
    for pool in list(_pools.values()):
        threads = max(1, pool.maxThreadCount())
        deadline = time.monotonic() + timeout_s
        meet = threading.Barrier(threads)
        done = [threading.Event() for _ in range(threads)]
        for event in done:

            def job(
                event: threading.Event = event,
                meet: threading.Barrier = meet,
                deadline: float = deadline,
            ) -> None:
                try:
                    with contextlib.suppress(threading.BrokenBarrierError):
                        meet.wait(max(0.0, deadline - time.monotonic()))
                    work()
                finally:
                    event.set()

            pool.start(job)
        for event in done:
            event.wait(max(0.0, deadline - time.monotonic()))


def unexpected_sentence() -> str:
    """What a failure handler shows for a bug (the details are in the log)."""
    return _("This failed for an unexpected reason. Try again, or see the log.")


class _Dispatcher(QObject):
    """Lives on the UI thread for the whole program: a worker emits a closure here, and Qt
    queues it across to run on the UI thread."""

    call = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.call.connect(self._run)

    def _run(self, closure: Callable[[], None]) -> None:
        closure()


_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()  # made by the first runner, on the UI thread
    return _dispatcher


class _UiSide:
    """What of a task belongs to the UI thread: its owner, its work and its callbacks
    (all of which may hold widgets), and its outcome. Only the UI thread empties it: a
    worker must never let go of the last reference to a widget, for Python would then
    delete the widget on the wrong thread."""

    def __init__(
        self,
        runner: TaskRunner,
        work: Callable[[Any], Any],
        success: Callable[[Any], object] | None,
        failure: Callable[[str], object] | None,
        progress: Callable[[int, int], object] | None,
    ) -> None:
        self.runner: TaskRunner | None = runner
        self.work: Callable[[Any], Any] | None = work
        self.success = success
        self.failure = failure
        self.progress = progress
        self.outcome: tuple[str, Any] = ("none", None)

    def clear(self) -> None:
        self.runner = self.work = self.success = self.failure = self.progress = None
        self.outcome = ("none", None)


class Task(Generic[T]):
    """One piece of work handed to a :class:`TaskRunner`: the worker's view of it
    (:meth:`progress`, :meth:`cancelled`) and the caller's (:meth:`cancel`, :meth:`done`)."""

    def __init__(
        self,
        runner: TaskRunner,
        work: Callable[[Task[T]], T],
        success: Callable[[T], object] | None,
        failure: Callable[[str], object] | None,
        progress: Callable[[int, int], object] | None,
        key: str | None,
    ) -> None:
        self._ui = _UiSide(runner, work, success, failure, progress)
        self._book = runner._book
        self._reports_progress = progress is not None
        self.key = key
        self._cancel = threading.Event()
        self._started = threading.Event()
        self._ended = threading.Event()
        self._settled = False  # read and written on the UI thread only

    # ------------------------------------------------------------------ the worker's side

    def progress(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` steps (shown on the UI thread)."""
        if self._reports_progress and not self.cancelled():
            _get_dispatcher().call.emit(functools.partial(self._show_progress, done, total))

    def cancelled(self) -> bool:
        """Was the task cancelled (or superseded)? Long work checks this and stops."""
        return self._cancel.is_set()

    # ------------------------------------------------------------------ the caller's side

    def cancel(self) -> None:
        """Ask the work to stop; its success is not reported, whenever it ends."""
        self._cancel.set()

    def running(self) -> bool:
        """Has the work begun on its thread and not yet ended?"""
        return self._started.is_set() and not self._ended.is_set()

    def done(self) -> bool:
        """Has the work ended (or been skipped, cancelled before it began)?"""
        return self._ended.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has ended; False if ``timeout`` seconds passed first."""
        return self._ended.wait(timeout)

    def settled(self) -> bool:
        """Has the outcome been handed over on the UI thread (its callback called, or
        dropped: cancelled, owner gone)? Until then the owner is busy with it."""
        return self._settled

    # ------------------------------------------------------------------ on the worker

    def _execute(self) -> None:
        ui = self._ui
        self._started.set()
        try:
            if self.cancelled():
                return  # superseded before it began: a newer task does the work
            work = ui.work
            assert work is not None
            try:
                ui.outcome = ("success", work(self))
            except UserError as error:
                ui.outcome = ("failure", str(error))
                if ui.failure is None:
                    log.warning("a background task failed: %s", type(error).__name__)
            except Exception as error:  # a bug: logged without its message (note text)
                where = "\n".join(
                    f"  {frame.filename}:{frame.lineno} in {frame.name}"
                    for frame in traceback.extract_tb(error.__traceback__)
                )
                log.error("a background task failed: %s\n%s", type(error).__name__, where)
                ui.outcome = ("failure", unexpected_sentence())
            finally:
                del work  # the UI side still holds it: this is never the last reference
        finally:
            self._ended.set()
            self._book.remove(self)
            _get_dispatcher().call.emit(self._finish)

    # ------------------------------------------------------------------ on the UI thread

    def _show_progress(self, done: int, total: int) -> None:
        ui = self._ui
        if ui.progress is not None and _alive(ui.runner) and not self.cancelled():
            ui.progress(done, total)

    def _finish(self) -> None:
        ui = self._ui
        runner, success, failure = ui.runner, ui.success, ui.failure
        kind, value = ui.outcome
        ui.clear()  # here, on the UI thread, the widgets are let go of
        self._settle()  # before the callback, which may start the next task
        # The owner may have been destroyed, or the task cancelled, since it was sent.
        if not _alive(runner) or self.cancelled():
            return
        if kind == "success" and success is not None:
            success(value)
        elif kind == "failure" and failure is not None:
            failure(value)

    def _settle(self) -> None:
        self._settled = True
        if self in self._book.unsettled:
            self._book.unsettled.remove(self)  # type: ignore[arg-type]


def _alive(runner: TaskRunner | None) -> bool:
    return runner is not None and shiboken6.isValid(runner)


class _Book:
    """A runner's tasks not yet ended (and not yet settled, on the UI thread); plain
    Python, so a worker may still use it after the runner's QObject is gone."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.tasks: list[Task[object]] = []
        self.unsettled: list[Task[object]] = []

    def remove(self, task: Task[T]) -> None:
        with self.lock:
            if task in self.tasks:
                self.tasks.remove(task)  # type: ignore[arg-type]
            self.lock.notify_all()


class _Runnable(QRunnable):
    def __init__(self, task: Task[object]) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        # QThreadPool.start() lets go of the interpreter's lock, and this thread, woken
        # by it, takes the lock before start() has returned: the UI thread then waited a
        # whole switch interval for it (about 0.9 ms for the guard's scan after a pause,
        # most of what the key after the pause paid). Letting go of it first gives it
        # back to the slot that started the task, which finishes.
        time.sleep(HANDOFF_S)
        self._task._execute()


class TaskRunner(QObject):
    """Runs work for its parent widget off the UI thread and reports back on it; see the
    module's docstring. ``lane`` is the default pool of its tasks."""

    def __init__(self, parent: QObject, lane: Lane = Lane.COMPUTE) -> None:
        super().__init__(parent)
        _get_dispatcher()
        self._lane = lane
        self._book = _Book()

    def run(
        self,
        work: Callable[[Task[T]], T],
        *,
        success: Callable[[T], object] | None = None,
        failure: Callable[[str], object] | None = None,
        progress: Callable[[int, int], object] | None = None,
        key: str | None = None,
        lane: Lane | None = None,
    ) -> Task[T]:
        """Start ``work(task)`` on a worker thread; see the module's docstring. A task
        with a ``key`` cancels this runner's earlier tasks of the same key."""
        task: Task[T] = Task(self, work, success, failure, progress, key)
        book = self._book
        with book.lock:
            if key is not None:
                for older in book.tasks:
                    if older.key == key:
                        older.cancel()
            book.tasks.append(task)  # type: ignore[arg-type]
        book.unsettled.append(task)  # type: ignore[arg-type]
        lane_pool(lane or self._lane).start(_Runnable(task))  # type: ignore[arg-type]
        return task

    def busy(self) -> bool:
        """Is a task of this runner waiting, running, or not yet reported back? (A
        dialog shows it is busy until then.)"""
        return bool(self._book.unsettled)

    def running(self, key: str | None = None) -> bool:
        """Is a task of this runner (of ``key``, if given) running on its thread now?"""
        with self._book.lock:
            return any(t.running() for t in self._book.tasks if key is None or t.key == key)

    def cancel_all(self) -> None:
        """Cancel every task of this runner that has not ended."""
        with self._book.lock:
            for task in self._book.tasks:
                task.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every task of this runner has ended (their callbacks follow on
        the event loop); False if ``timeout`` seconds passed first."""
        book = self._book
        with book.lock:
            return book.lock.wait_for(lambda: not book.tasks, timeout)


__all__ = [
    "Lane",
    "Task",
    "TaskRunner",
    "lane_pool",
    "run_on_lane_threads",
    "shutdown_lanes",
    "unexpected_sentence",
]
