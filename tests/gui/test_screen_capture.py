"""The window is left out of screen captures (Windows, macOS): a setting, on by default.

The system calls run only on their own systems; here the choice of what to call, the
setting's way from the settings dialog to every window of the app, and the Linux
setting's words are tested."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from counsellor_app.core.settings import AppSettings
from counsellor_app.gui import native
from counsellor_app.gui.native import (
    NS_WINDOW_SHARING_NONE,
    NS_WINDOW_SHARING_READ_ONLY,
    WDA_EXCLUDEFROMCAPTURE,
    WDA_NONE,
    capture_exclusion,
    capture_exclusion_available,
    exclude_from_capture,
)
from tests.gui.helpers import unlocked_window


@pytest.mark.parametrize(
    ("platform", "excluded", "expected"),
    [
        ("win32", True, ("win32", WDA_EXCLUDEFROMCAPTURE)),
        ("win32", False, ("win32", WDA_NONE)),
        ("darwin", True, ("darwin", NS_WINDOW_SHARING_NONE)),
        ("darwin", False, ("darwin", NS_WINDOW_SHARING_READ_ONLY)),
        ("linux", True, None),
        ("linux", False, None),
    ],
)
def test_what_keeps_a_window_out_of_captures_on_each_system(
    platform: str, excluded: bool, expected: tuple[str, int] | None
) -> None:
    assert capture_exclusion(platform, excluded) == expected
    assert capture_exclusion_available(platform) is (expected is not None)


def test_the_exclusion_affinity_is_windows_own_value() -> None:
    # winuser.h: WDA_EXCLUDEFROMCAPTURE 0x00000011 (WDA_MONITOR 0x1 would show black).
    assert WDA_EXCLUDEFROMCAPTURE == 0x11 and NS_WINDOW_SHARING_NONE == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's no-op")
def test_on_linux_nothing_is_called_and_the_setting_says_why(qtbot: QtBot, tmp_path: Path) -> None:
    assert exclude_from_capture(1, True) is False
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    window.open_settings()
    dialog = window.settings_dialog
    assert not dialog.capture_box.isEnabled()
    assert "Linux" in dialog.capture_hint.text()
    dialog.reject()
    window.lock()
    window.chores.wait()


def test_every_window_of_the_app_follows_the_setting(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert AppSettings().hide_from_screen_capture  # on by default
    calls: list[tuple[int, bool]] = []
    monkeypatch.setattr(native, "exclude_from_capture", lambda w, e: calls.append((w, e)) or True)
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    assert (int(window.winId()), True) in calls  # set as the window showed

    window.open_settings()
    dialog = window.settings_dialog
    assert (int(dialog.winId()), True) in calls  # a dialog too
    calls.clear()
    dialog.capture_box.setChecked(False)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    # Every window shown is let into captures again, and the choice is kept.
    assert (int(window.winId()), False) in calls
    assert AppSettings.load().hide_from_screen_capture is False
    window.lock()
    window.chores.wait()


def test_the_setting_is_kept_on_this_computer() -> None:
    settings = AppSettings.load()
    assert settings.hide_from_screen_capture is True
    settings.hide_from_screen_capture = False
    settings.save()
    assert AppSettings.load().hide_from_screen_capture is False
    AppSettings.path().write_text('{"hide_from_screen_capture": "no"}', encoding="utf-8")
    assert AppSettings.load().hide_from_screen_capture is True  # not a bool: the default
