"""A fork server for the fault tests: imports the app once, then forks one child per job.

The parent test writes one JSON command per line on standard input
(``{"job": "typing", "args": {...}}``); the server forks, the child runs
``tests.faults.jobs.JOBS[job](args, report)`` and reports what it did as JSON lines on
standard output (each line one ``os.write``, so lines never interleave). The server itself
reports ``started`` (with the child's pid, which the test may SIGKILL) and ``exit`` once
the child is gone. Forking from a process that has already imported PySide6 and the app
makes a child ready in milliseconds instead of a second, so the tests can kill many.

Run as ``python -m tests.faults.zygote`` from the repository's root; never from a test.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from typing import Any


def emit(event: str, **fields: Any) -> None:
    """One JSON line on standard output, written at once (the parent reads it live)."""
    fields.update(e=event, pid=os.getpid(), t=time.monotonic())
    os.write(1, (json.dumps(fields) + "\n").encode("utf-8"))


def _child(command: dict[str, Any]) -> None:
    from tests.faults import jobs

    try:
        os.close(0)  # the commands are the server's, not the child's
        jobs.JOBS[command["job"]](command.get("args", {}), emit)
        emit("finished")
    except BaseException:
        emit("error", text=traceback.format_exc())
        os._exit(1)
    os._exit(0)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.faults import jobs

    jobs.preload()
    emit("zygote-ready")
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(command)
        emit("started", child=pid)
        _done, status = os.waitpid(pid, 0)
        emit(
            "exit",
            child=pid,
            status=status,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
        )


if __name__ == "__main__":
    main()
