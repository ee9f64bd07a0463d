"""Locking with the screen on Linux, through a real D-Bus session bus.

The watcher's D-Bus slot was once written without Qt's SLOT() marker, so Qt cut its first
letter and no screen saver ever reached it; only a real bus shows that. Qt connects to the
session bus once per process, so the check runs in a child under its own private bus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("dbus-run-session") is None,
    reason="needs Linux and dbus-run-session",
)

CHILD = textwrap.dedent(
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtDBus import QDBusConnection, QDBusMessage
    from PySide6.QtWidgets import QApplication

    from counsellor_app.gui.session import SessionWatcher

    app = QApplication([])
    watcher = SessionWatcher()
    reasons = []
    watcher.lock_requested.connect(reasons.append)
    # A second connection plays the desktop's screen saver: it owns the name the watcher
    # listens to and says the screen is locked.
    saver = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, "saver")
    assert saver.registerService("org.freedesktop.ScreenSaver")

    def lock_the_screen():
        signal = QDBusMessage.createSignal(
            "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged"
        )
        signal.setArguments([True])
        saver.send(signal)

    def wait_for_it():
        if reasons:
            app.quit()
        else:
            QTimer.singleShot(20, wait_for_it)

    QTimer.singleShot(0, lock_the_screen)
    QTimer.singleShot(0, wait_for_it)
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    print("sources:", " ".join(watcher.sources))
    print("reasons:", " ".join(reasons))
    """
)


def test_a_locked_screen_on_the_session_bus_locks_the_notebook(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), *sys.path])
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "org.freedesktop.ScreenSaver.ActiveChanged" in result.stdout, result.stderr
    assert "reasons: screen-locked" in result.stdout, result.stderr


LOGIND_CHILD = textwrap.dedent(
    """
    import os
    import sys

    # The test's private bus plays the system bus too, where logind lives.
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = os.environ["DBUS_SESSION_BUS_ADDRESS"]
    os.environ["XDG_SESSION_ID"] = "2"

    from PySide6.QtCore import QTimer
    from PySide6.QtDBus import QDBusConnection, QDBusMessage
    from PySide6.QtWidgets import QApplication

    from counsellor_app.gui.session import SessionWatcher

    app = QApplication([])
    watcher = SessionWatcher()
    reasons = []
    watcher.lock_requested.connect(reasons.append)
    logind = QDBusConnection.connectToBus(QDBusConnection.BusType.SystemBus, "logind")
    assert logind.registerService("org.freedesktop.login1")
    path, interface, name, arguments = sys.argv[1:5]

    def send():
        signal = QDBusMessage.createSignal(path, interface, name)
        if arguments:
            signal.setArguments([arguments == "true"])
        logind.send(signal)
        QTimer.singleShot(500, app.quit)  # time for the signal to arrive

    QTimer.singleShot(0, send)
    QTimer.singleShot(10_000, app.quit)
    app.exec()
    print("sources:", " ".join(watcher.sources))
    print("reasons:", " ".join(reasons))
    """
)


@pytest.mark.parametrize(
    ("path", "interface", "name", "arguments", "reason"),
    [
        # `loginctl lock-session` (and many screen lockers) on this program's session.
        ("/org/freedesktop/login1/session/_32", "org.freedesktop.login1.Session", "Lock", "",
         "screen-locked"),
        ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep",
         "true", "sleep"),
        # Another user's session locking, and waking up, are none of this notebook's.
        ("/org/freedesktop/login1/session/_33", "org.freedesktop.login1.Session", "Lock", "",
         ""),
        ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep",
         "false", ""),
    ],
    ids=["lock-session", "sleep", "another-session", "waking"],
)  # fmt: skip
def test_logind_locks_the_notebook_on_lock_and_sleep(
    tmp_path: Path, path: str, interface: str, name: str, arguments: str, reason: str
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), *sys.path])
    result = subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-c", LOGIND_CHILD,
         path, interface, name, arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "org.freedesktop.login1.Session.Lock" in result.stdout, result.stderr
    assert "org.freedesktop.login1.Manager.PrepareForSleep" in result.stdout, result.stderr
    assert f"reasons: {reason}\n" in result.stdout, result.stdout + result.stderr
