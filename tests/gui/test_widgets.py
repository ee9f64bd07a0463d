"""The shared error line: one widget for every sentence under a form."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from counsellor_app.gui.widgets import ErrorLine, error_colour


def test_the_error_line_is_hidden_while_empty_and_red_for_an_error(qtbot: QtBot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    line = ErrorLine(form)
    form.show()
    assert line.isHidden() and line.wordWrap()
    line.show_error("The file could not be read.")
    assert line.isVisible() and line.is_error()
    assert line.colour() == QColor(error_colour(line))
    line.say("Saved.")  # a plain sentence in the text colour
    assert line.isVisible() and not line.is_error()
    assert line.colour() == form.palette().color(QPalette.ColorRole.WindowText)
    line.clear()
    assert line.isHidden() and line.text() == ""


def test_the_error_colour_follows_the_palette_into_dark_mode(qtbot: QtBot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    line = ErrorLine(form)
    line.show_error("The key is not a public key.")
    light = line.colour()
    dark = QPalette(form.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    form.setPalette(dark)
    assert line.colour() != light and line.colour() == QColor(error_colour(line))
    line.clear()
    assert line.colour() == QColor("#eeeeee")
