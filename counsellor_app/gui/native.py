"""The few calls into Windows and macOS the window makes without a library for them:
keeping the window out of screen captures and recordings, and (macOS) the Objective-C
runtime through ctypes, which the session watcher and the clipboard use too.

Each call is guarded by ``sys.platform`` and kept small: only the choice of what to do
(:func:`capture_exclusion`) is tested everywhere; the calls themselves run only on their
own systems. Linux has no such switch for a window (X11 lets any program of the session
read the screen; Wayland asks the user before a capture), so there it does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

#: SetWindowDisplayAffinity's values (winuser.h): shown normally, or left out of every
#: capture and recording (Windows 10 2004 and later; older ones show it black).
WDA_NONE = 0x0
WDA_EXCLUDEFROMCAPTURE = 0x11
#: NSWindow.sharingType's values (NSWindowSharingType): none, read-only.
NS_WINDOW_SHARING_NONE = 0
NS_WINDOW_SHARING_READ_ONLY = 1


def capture_exclusion(platform: str, excluded: bool) -> tuple[str, int] | None:
    """What keeps a window out of (or lets it into) screen captures on ``platform``
    (``sys.platform``): ``("win32", affinity)``, ``("darwin", sharing type)``, or None
    where there is no such switch (Linux and the rest)."""
    if platform == "win32":
        return ("win32", WDA_EXCLUDEFROMCAPTURE if excluded else WDA_NONE)
    if platform == "darwin":
        return ("darwin", NS_WINDOW_SHARING_NONE if excluded else NS_WINDOW_SHARING_READ_ONLY)
    return None


def capture_exclusion_available(platform: str = sys.platform) -> bool:
    """Whether the setting does anything on ``platform``."""
    return capture_exclusion(platform, True) is not None


def exclude_from_capture(window_id: int, excluded: bool) -> bool:
    """Keep the native window ``window_id`` (``QWidget.winId()``: an HWND on Windows, an
    NSView on macOS) out of screen captures and recordings, or let it in again. False
    where it could not be done (Linux, an old system); never raises."""
    choice = capture_exclusion(sys.platform, excluded)
    if choice is None:
        return False
    platform, value = choice
    try:
        if platform == "win32":  # pragma: no cover - Windows only
            user32 = ctypes.WinDLL("user32")  # type: ignore[attr-defined,unused-ignore]
            return bool(user32.SetWindowDisplayAffinity(ctypes.c_void_p(window_id), value))
        window = objc_call(ctypes.c_void_p(window_id), None, "window")  # pragma: no cover
        if not window:  # pragma: no cover - not shown yet
            return False
        objc_call(window, None, "setSharingType:", ctypes.c_ulong(value))  # pragma: no cover
        return True  # pragma: no cover
    except (OSError, AttributeError, ValueError):
        log.warning("the window could not be kept out of screen captures")
        return False


class CaptureShield:
    """Keeps the app's windows (the main window and every dialog, as each is shown) out
    of screen captures while :attr:`excluded` (the setting; on by default)."""

    def __init__(self, excluded: bool = True) -> None:
        self.excluded = excluded
        self._windows: list[QWidget] = []

    def apply(self, window: QWidget) -> None:
        """Set ``window`` (a top-level window being shown) to the current choice."""
        if window.windowType() not in (Qt.WindowType.Window, Qt.WindowType.Dialog):
            return  # menus, tooltips, popups
        if window not in self._windows:
            self._windows.append(window)
            window.destroyed.connect(lambda _o=None, w=window: self._forget(w))
        exclude_from_capture(int(window.winId()), self.excluded)

    def _forget(self, window: QWidget) -> None:
        if window in self._windows:
            self._windows.remove(window)

    def set_excluded(self, excluded: bool) -> None:
        """Change the choice for every window shown so far and those still to come."""
        self.excluded = excluded
        for window in list(self._windows):
            if shiboken6.isValid(window) and window.isVisible():
                exclude_from_capture(int(window.winId()), excluded)


# ---------------------------------------------------------------------- macOS: objc


def _objc() -> Any:  # pragma: no cover - macOS only
    import ctypes.util  # here: it brings subprocess and more, which the start does not need

    objc = ctypes.cdll.LoadLibrary(ctypes.util.find_library("objc") or "libobjc.dylib")
    ctypes.cdll.LoadLibrary(
        ctypes.util.find_library("AppKit") or "/System/Library/Frameworks/AppKit.framework/AppKit"
    )
    objc.objc_getClass.restype = ctypes.c_void_p
    objc.objc_getClass.argtypes = [ctypes.c_char_p]
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    return objc


def _argtype(arg: Any) -> Any:
    return type(arg) if isinstance(arg, ctypes._SimpleCData) else ctypes.c_void_p


def objc_call(receiver: Any, class_name: str | None, selector: str, *args: Any) -> Any:
    """macOS: send ``selector`` to ``receiver`` (an object pointer), or to the class
    ``class_name`` when given; arguments are pointers or ctypes values; returns the
    result as a pointer (an int, or None for nil)."""
    objc = _objc()  # pragma: no cover - macOS only
    target = objc.objc_getClass(class_name.encode()) if class_name else receiver
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p] + [_argtype(arg) for arg in args]
    return send(target, objc.sel_registerName(selector.encode()), *args)


def objc_string(text: str) -> Any:
    """macOS: an NSString of ``text``."""
    return objc_call(  # pragma: no cover - macOS only
        None, "NSString", "stringWithUTF8String:", ctypes.c_char_p(text.encode())
    )


#: macOS notifications that mean the notes should leave the screen, and why:
#: (centre, name, reason); "workspace" is NSWorkspace's centre, "distributed" the
#: system-wide one, where the login window says the screen is locked.
MACOS_LOCK_NOTIFICATIONS = (
    ("workspace", "NSWorkspaceWillSleepNotification", "sleep"),
    ("workspace", "NSWorkspaceSessionDidResignActiveNotification", "screen-locked"),
    ("distributed", "com.apple.screenIsLocked", "screen-locked"),
)
_OBSERVER_CLASS = b"CounsellorNotebookLockObserver"
_IMP = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
#: What each observer method reports to, and the methods themselves (kept alive: the
#: runtime holds only their addresses).
_macos_reports: list[Any] = []
_macos_methods: list[Any] = []


def watch_macos_session(report: Any) -> bool:
    """macOS: call ``report(reason)`` when the computer is about to sleep, the screen
    locks or the user switches away (AppKit's notifications, observed through the
    Objective-C runtime). False where it could not be set up; never raises."""
    if sys.platform != "darwin":
        return False
    try:  # pragma: no cover - macOS only
        return _watch_macos_session(report)
    except (OSError, AttributeError, ValueError):  # pragma: no cover
        log.warning("macOS sleep and screen-lock notifications are not available")
        return False


def _watch_macos_session(report: Any) -> bool:  # pragma: no cover - macOS only
    objc = _objc()
    _macos_reports.append(report)
    objc.objc_allocateClassPair.restype = ctypes.c_void_p
    objc.objc_allocateClassPair.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    objc.class_addMethod.argtypes = [ctypes.c_void_p, ctypes.c_void_p, _IMP, ctypes.c_char_p]
    objc.objc_registerClassPair.argtypes = [ctypes.c_void_p]
    cls = objc.objc_allocateClassPair(objc.objc_getClass(b"NSObject"), _OBSERVER_CLASS, 0)
    reasons = sorted({reason for _centre, _name, reason in MACOS_LOCK_NOTIFICATIONS})
    if cls:  # the first watcher of the process makes the class
        for reason in reasons:

            def method(_self: Any, _cmd: Any, _note: Any, reason: str = reason) -> None:
                for each in list(_macos_reports):
                    try:
                        each(reason)
                    except RuntimeError:  # a watcher whose window is gone
                        _macos_reports.remove(each)

            imp = _IMP(method)
            _macos_methods.append(imp)
            selector = objc.sel_registerName(f"{reason.replace('-', '_')}:".encode())
            objc.class_addMethod(cls, selector, imp, b"v@:@")
        objc.objc_registerClassPair(cls)
        observer = objc_call(objc_call(None, _OBSERVER_CLASS.decode(), "alloc"), None, "init")
        workspace = objc_call(
            objc_call(None, "NSWorkspace", "sharedWorkspace"), None, "notificationCenter"
        )
        distributed = objc_call(None, "NSDistributedNotificationCenter", "defaultCenter")
        for centre, name, reason in MACOS_LOCK_NOTIFICATIONS:
            selector = objc.sel_registerName(f"{reason.replace('-', '_')}:".encode())
            objc_call(
                workspace if centre == "workspace" else distributed,
                None,
                "addObserver:selector:name:object:",
                ctypes.c_void_p(observer),
                ctypes.c_void_p(selector),
                ctypes.c_void_p(objc_string(name)),
                ctypes.c_void_p(None),
            )
    return True
