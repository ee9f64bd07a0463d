"""The Windows and macOS paths of gui/native.py, gui/session.py and gui/clipboard.py, run
here with only the system itself stood in for: ``ctypes.WinDLL`` (user32, wtsapi32) and
the Objective-C runtime (``native._objc``, the library every macOS call goes through).
Everything above that boundary, the app's own choices and wiring, runs as it does there.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.gui import clipboard, native, session


class _Function:
    """A C function of a stood-in library: records its calls; ``restype`` and
    ``argtypes`` may be set as ctypes allows."""

    def __init__(self, answer: Callable[..., Any]) -> None:
        self._answer = answer
        self.calls: list[tuple[Any, ...]] = []
        self.restype: Any = None
        self.argtypes: Any = None

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        return self._answer(*args)


def _value(arg: Any) -> Any:
    return arg.value if isinstance(arg, ctypes._SimpleCData) else arg


class _Library:
    def __init__(self, **functions: Callable[..., Any]) -> None:
        for name, answer in functions.items():
            setattr(self, name, _Function(answer))


class _ObjectiveC:
    """The Objective-C runtime as far as the app uses it: classes and selectors by
    name, messages recorded as (receiver, selector, arguments), each answered with a new
    object pointer; methods added to a class kept, to be called as the runtime would."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.messages: list[tuple[Any, str, tuple[Any, ...]]] = []
        self.methods: dict[str, Any] = {}
        self._next = 0x1000
        self.objc_getClass = _Function(lambda name: self._named("class " + name.decode()))
        self.sel_registerName = _Function(lambda name: self._named(name.decode()))
        self.objc_msgSend = _Function(self._send)
        self.objc_allocateClassPair = _Function(lambda _base, name, _extra: self._new())
        self.class_addMethod = _Function(self._add_method)
        self.objc_registerClassPair = _Function(lambda _cls: None)

    def _new(self) -> int:
        self._next += 0x10
        return self._next

    def _named(self, name: str) -> int:
        for pointer, known in self.names.items():
            if known == name:
                return pointer
        pointer = self._new()
        self.names[pointer] = name
        return pointer

    def _send(self, receiver: Any, selector: int, *args: Any) -> int:
        receiver = _value(receiver)
        self.messages.append(
            (self.names.get(receiver, receiver), self.names[selector], tuple(map(_value, args)))
        )
        return self._new()

    def _add_method(self, _cls: int, selector: int, imp: Any, _types: bytes) -> bool:
        self.methods[self.names[selector]] = imp
        return True

    def sent(self, selector: str) -> list[tuple[Any, ...]]:
        return [args for _receiver, name, args in self.messages if name == selector]


@pytest.fixture
def macos(monkeypatch: pytest.MonkeyPatch) -> _ObjectiveC:
    runtime = _ObjectiveC()
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(native, "_objc", lambda: runtime)
    monkeypatch.setattr(native, "_macos_reports", [])
    monkeypatch.setattr(native, "_macos_methods", [])
    return runtime


def test_windows_keeps_a_window_out_of_captures_through_user32(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user32 = _Library(SetWindowDisplayAffinity=lambda _hwnd, _value: 1)
    loaded: list[str] = []

    def windll(name: str) -> _Library:
        loaded.append(name)
        return user32

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "WinDLL", windll, raising=False)
    assert native.exclude_from_capture(0x4242, True)
    assert native.exclude_from_capture(0x4242, False)
    assert loaded == ["user32", "user32"]
    calls = [(_value(hwnd), value) for hwnd, value in user32.SetWindowDisplayAffinity.calls]  # type: ignore[attr-defined]
    assert calls == [(0x4242, native.WDA_EXCLUDEFROMCAPTURE), (0x4242, native.WDA_NONE)]


def test_windows_says_so_when_the_window_cannot_be_kept_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    refusing = _Library(SetWindowDisplayAffinity=lambda _hwnd, _value: 0)  # before 2004
    monkeypatch.setattr(ctypes, "WinDLL", lambda _name: refusing, raising=False)
    assert not native.exclude_from_capture(1, True)

    def missing(_name: str) -> None:
        raise OSError("no user32")

    monkeypatch.setattr(ctypes, "WinDLL", missing, raising=False)
    assert not native.exclude_from_capture(1, True)


def test_macos_sets_the_sharing_type_of_the_views_window(macos: _ObjectiveC) -> None:
    assert native.exclude_from_capture(0x7000, True)
    assert native.exclude_from_capture(0x7000, False)
    assert [receiver for receiver, name, _args in macos.messages if name == "window"] == [
        0x7000,
        0x7000,
    ]
    assert macos.sent("setSharingType:") == [
        (native.NS_WINDOW_SHARING_NONE,),
        (native.NS_WINDOW_SHARING_READ_ONLY,),
    ]


def test_macos_sleep_and_screen_lock_lock_the_notebook(qtbot: QtBot, macos: _ObjectiveC) -> None:
    watcher = session.SessionWatcher()
    assert "macos" in watcher.sources
    observed = macos.sent("addObserver:selector:name:object:")
    assert len(observed) == len(native.MACOS_LOCK_NOTIFICATIONS)
    made = [args[0] for args in macos.sent("stringWithUTF8String:")]
    for _centre, name, _reason in native.MACOS_LOCK_NOTIFICATIONS:
        assert name.encode() in made
    reasons: list[str] = []
    watcher.lock_requested.connect(reasons.append)
    # What the runtime does when the notification comes: it calls the observer's method.
    macos.methods["sleep:"](None, None, None)
    macos.methods["screen_locked:"](None, None, None)
    assert reasons == ["sleep", "screen-locked"]


def test_windows_session_lock_and_suspend_lock_the_notebook(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ctypes import wintypes

    wtsapi = _Library(WTSRegisterSessionNotification=lambda _hwnd, _flags: 1)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "WinDLL", lambda _name: wtsapi, raising=False)
    watcher = session.SessionWatcher()
    watcher.watch_window(0x99)
    filter_ = watcher._native
    assert filter_ is not None and "windows" in watcher.sources
    try:
        assert wtsapi.WTSRegisterSessionNotification.calls == [  # type: ignore[attr-defined]
            (0x99, session.NOTIFY_FOR_THIS_SESSION)
        ]
        reasons: list[str] = []
        watcher.lock_requested.connect(reasons.append)
        for message, wparam in (
            (session.WM_WTSSESSION_CHANGE, session.WTS_SESSION_LOCK),
            (session.WM_POWERBROADCAST, session.PBT_APMSUSPEND),
            (session.WM_POWERBROADCAST, 0),  # another power event: nothing
        ):
            msg = wintypes.MSG(message=message, wParam=wparam)
            filter_.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(msg))
        assert reasons == ["screen-locked", "sleep"]
    finally:
        app = QApplication.instance()
        assert app is not None
        app.removeNativeEventFilter(filter_)


def test_macos_copies_reach_the_pasteboard_marked_concealed(macos: _ObjectiveC) -> None:
    clipboard._mark_macos_pasteboard()
    assert next(name for _receiver, name, _args in macos.messages) == "generalPasteboard"
    assert macos.sent("addTypes:owner:")
    kind = macos.sent("stringWithUTF8String:")[0][0]
    assert kind == b"org.nspasteboard.ConcealedType"
    assert macos.sent("setString:forType:")
