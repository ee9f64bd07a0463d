"""Work is possible with a screen reader and at 200 % scaling: every control a user can
reach with Tab has a name, and the window still fits its controls when scaled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from counsellor_app.core.i18n import set_language
from tests.gui.helpers import duplicates, mnemonics, unlocked_window, unnamed_controls


@pytest.mark.parametrize("language", ["da", "en"])
def test_no_two_alt_keys_clash(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    set_language(language)
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.list.setCurrentIndex(page.model.index(0))
    assert duplicates(mnemonics(window)) == set()
    page.new_call()
    assert duplicates(mnemonics(window)) == set()
    page.call_tabs.setCurrentIndex(1)
    assert duplicates(mnemonics(window)) == set()


def test_every_control_of_the_window_has_a_name(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    assert unnamed_controls(window) == []
    page.list.setCurrentIndex(page.model.index(0))  # the case view
    assert unnamed_controls(window) == []
    page.new_call()  # the call view
    assert unnamed_controls(window) == []
    window.lock()
    window.chores.wait()
    assert unnamed_controls(window) == []


def test_the_window_works_at_200_percent(tmp_path: Path) -> None:
    """The self-contained screenshot script runs at scale 2 (a separate process, since the
    scale is fixed when Qt starts) and the call view is drawn at twice the size."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--only", "light"],
        check=True,
        env=env,
        timeout=90,  # below the per-test timeout: a hang fails here
        capture_output=True,
    )
    from PySide6.QtGui import QImage

    image = QImage(str(tmp_path / "call-light.png"))
    assert image.width() >= 2 * 1100  # drawn at device pixel ratio 2, not cut to fit


def test_no_two_items_of_a_menu_share_an_alt_key(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    for menu in window.menuBar().findChildren(QMenu):
        keys = []
        for action in menu.actions():
            if not action.isVisible():
                continue  # items for another role
            text = action.text().replace("&&", "")
            at = text.find("&")
            if at >= 0:
                keys.append(text[at + 1].lower())
        assert duplicates(keys) == set(), menu.title()
