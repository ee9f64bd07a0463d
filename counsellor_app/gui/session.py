"""Lock when the screen locks or the computer sleeps, where the system tells.

Three sources, whichever the platform has:

* **Every platform**: a heartbeat notices a jump of the wall clock. A computer that slept
  (or a process that was frozen) wakes with its clock far ahead of the last beat, so the
  notebook is locked on waking before anyone can read it.
* **Linux**: logind on the system bus: ``PrepareForSleep`` of its manager and ``Lock``
  of this program's session (what ``loginctl lock-session`` and many desktops' screen
  lockers send); ``ActiveChanged`` of the freedesktop / GNOME screen savers on the
  session bus (D-Bus, through QtDBus).
* **Windows**: ``WM_WTSSESSION_CHANGE`` (the session is locked, Win+L) and
  ``WM_POWERBROADCAST`` (suspend), read from the window's native events.
* **macOS**: AppKit's notifications that the computer will sleep, the session was
  switched away from, or the screen locked (through the Objective-C runtime:
  :func:`counsellor_app.gui.native.watch_macos_session`).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractNativeEventFilter, QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

HEARTBEAT_MS = 5_000
# A beat later than this means the process did not run: sleep, hibernation or a freeze.
SLEEP_GAP_SECONDS = 60.0

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0

LOGIND = "org.freedesktop.login1"
_DBUS_SIGNALS = (
    # (bus, service, path, interface, signal, slot): Qt's SLOT() form, whose leading "1"
    # marks a slot and is dropped by Qt (without it the slot was "n_sleep…", never
    # connected).
    ("system", LOGIND, "/org/freedesktop/login1",
     "org.freedesktop.login1.Manager", "PrepareForSleep", "1on_prepare_for_sleep(bool)"),
    ("session", "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
     "org.freedesktop.ScreenSaver", "ActiveChanged", "1on_sleep_or_screensaver(bool)"),
    ("session", "org.gnome.ScreenSaver", "/org/gnome/ScreenSaver",
     "org.gnome.ScreenSaver", "ActiveChanged", "1on_sleep_or_screensaver(bool)"),
)  # fmt: skip


def logind_session_path(session_id: str) -> str:
    """logind's object path of session ``session_id`` (``$XDG_SESSION_ID``): each
    character that is not a letter or digit, and a leading digit, escaped as ``_xx``
    (systemd's bus path encoding), so session "2" is ``…/session/_32``."""
    encoded = "".join(
        ch if ch.isascii() and ch.isalnum() and not (i == 0 and ch.isdigit()) else f"_{ord(ch):02x}"
        for i, ch in enumerate(session_id)
    )
    return f"/org/freedesktop/login1/session/{encoded or '_'}"


def windows_lock_reason(message: int, wparam: int) -> str | None:
    """Why a Windows message means the notes should leave the screen, or None."""
    if message == WM_WTSSESSION_CHANGE and wparam == WTS_SESSION_LOCK:
        return "screen-locked"
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return "sleep"
    return None


class _WindowsEvents(QAbstractNativeEventFilter):
    def __init__(self, report: Callable[[str], None]) -> None:
        super().__init__()
        self._report = report

    def nativeEventFilter(self, event_type: object, message: object) -> tuple[bool, int]:
        if bytes(event_type) == b"windows_generic_MSG":  # type: ignore[call-overload]
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))  # type: ignore[call-overload]
            reason = windows_lock_reason(msg.message, msg.wParam)
            if reason:
                self._report(reason)
        return False, 0


class SessionWatcher(QObject):
    """Emits ``lock_requested(reason)`` when the screen locks or the computer sleeps."""

    lock_requested = Signal(str)

    def __init__(self, parent: QObject | None = None, clock: Callable[[], float] = time.time):
        super().__init__(parent)
        self._clock = clock
        self._last_beat = clock()
        self.heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self.heartbeat.timeout.connect(self.beat)
        self.heartbeat.start()
        self._native: _WindowsEvents | None = None
        self.sources = ["clock"]
        if sys.platform.startswith("linux"):
            self._connect_dbus()
        elif sys.platform == "darwin":
            from counsellor_app.gui.native import watch_macos_session

            if watch_macos_session(self.lock_requested.emit):
                self.sources.append("macos")

    def beat(self) -> None:
        now = self._clock()
        gap = now - self._last_beat
        self._last_beat = now
        if gap > SLEEP_GAP_SECONDS:
            log.info("the clock jumped %.0f s: locking", gap)
            self.lock_requested.emit("sleep")

    @Slot(bool)
    def on_sleep_or_screensaver(self, active: bool) -> None:
        if active:
            self.lock_requested.emit("screen-locked")

    @Slot(bool)
    def on_prepare_for_sleep(self, sleeping: bool) -> None:
        if sleeping:
            self.lock_requested.emit("sleep")

    @Slot()
    def on_session_lock(self) -> None:
        self.lock_requested.emit("screen-locked")

    def _connect_dbus(self) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a Qt build without D-Bus
            return
        signals = list(_DBUS_SIGNALS)
        # logind sends Lock on the session's own object; a program started outside a
        # login session (a service, a container) has none.
        if session_id := os.environ.get("XDG_SESSION_ID"):
            signals.append(
                ("system", LOGIND, logind_session_path(session_id),
                 "org.freedesktop.login1.Session", "Lock", "1on_session_lock()")
            )  # fmt: skip
        for bus_name, service, path, interface, signal, slot in signals:
            bus = (
                QDBusConnection.systemBus()
                if bus_name == "system"
                else QDBusConnection.sessionBus()
            )
            if not bus.isConnected():
                continue
            if bus.connect(service, path, interface, signal, self, slot):  # type: ignore[call-overload]
                self.sources.append(f"{interface}.{signal}")

    def watch_window(self, window_id: int) -> None:
        """On Windows, ask for session-lock messages for this window and read them."""
        if sys.platform != "win32" or self._native is not None:
            return
        from PySide6.QtCore import QCoreApplication

        try:
            wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
            wtsapi.WTSRegisterSessionNotification(window_id, NOTIFY_FOR_THIS_SESSION)
        except OSError:
            log.warning("session-lock notifications are not available")
        self._native = _WindowsEvents(self.lock_requested.emit)
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self._native)
            self.sources.append("windows")
