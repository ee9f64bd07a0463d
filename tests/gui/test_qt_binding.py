"""The Qt binding must not leak references to None or True.

PySide6 6.12.0's abi3 wheel loses one reference to None on every void call (and one to
True on every emit) under CPython 3.11, where these objects are not immortal; the app
then aborts with "none_dealloc" after a minute of typing. pyproject.toml keeps that
release away from 3.11; this test catches the next such release.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    fired = Signal(bool)


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        label.setText("x")
        emitter.fired.emit(True)
    received.clear()
    # A few references may come or go with the interpreter's own work; 2000 may not.
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
