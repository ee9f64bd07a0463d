"""A copy out of an export preview passes the gate (issue 13): what is copied holds no
identifier, even from a text the preview marks as still holding one."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.gui.clipboard import GatedTextBrowser
from counsellor_app.gui.forms.ui_export import Ui_ExportDialog
from counsellor_app.gui.forms.ui_review_export import Ui_ReviewExportDialog


def test_a_copy_from_the_preview_is_de_identified(qtbot: QtBot) -> None:
    view = GatedTextBrowser()
    qtbot.addWidget(view)
    view.setPlainText("Vi mødtes på Kirkevej+4529772493 med Mette Hansen.")
    view.selectAll()
    view.copy()
    copied = QApplication.clipboard().text()
    assert "29772493" not in copied and "Mette" not in copied
    assert "[navn]" in copied and copied.startswith("Vi mødtes på")


def test_both_previews_are_gated() -> None:
    ui = Ui_ExportDialog()
    review = Ui_ReviewExportDialog()
    assert GatedTextBrowser.__name__ in ui.setupUi.__code__.co_names
    assert GatedTextBrowser.__name__ in review.setupUi.__code__.co_names
