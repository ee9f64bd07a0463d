"""The gate in the window (issue 13): a copy out of an export preview is de-identified,
and the dashboard says how many identifiers were replaced in imported texts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import ensure_key_pair, export_bundle
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle, replaced_on_import
from counsellor_app.gui.clipboard import GatedTextBrowser
from counsellor_app.gui.dashboard import DashboardWidget
from counsellor_app.gui.forms.ui_export import Ui_ExportDialog
from counsellor_app.gui.forms.ui_review_export import Ui_ReviewExportDialog
from tests.helpers import FAST_KDF, PASSPHRASE


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


def test_the_dashboard_says_how_many_identifiers_were_replaced_on_import(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with (
        Notebook.create(tmp_path / "c.cnb", PASSPHRASE, kdf=FAST_KDF)[0] as counsellor,
        Notebook.create(tmp_path / "s.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=FAST_KDF)[
            0
        ] as supervisor,
    ):
        case = counsellor.new_case()
        talk = counsellor.new_conversation(case.id or 0)
        counsellor.save_note(talk.id or 0, Step.LISTEN, "Mor fortæller om skolen.")
        path = export_bundle(counsellor, ensure_key_pair(supervisor), tmp_path / "b.cnbundle")
        import_bundle(supervisor, path.path, accept_new=True)
        widget = DashboardWidget(supervisor)
        qtbot.addWidget(widget)
        widget.show()
        with qtbot.waitSignal(widget.updated, timeout=20_000):
            pass
        assert replaced_on_import(3)[2:] not in widget.summary_label.text()
        # as a bundle of an older or altered app would have been stored
        with supervisor.transaction() as db:
            db.execute("UPDATE imported_cases SET identifiers_replaced = 3")
        with qtbot.waitSignal(widget.updated, timeout=20_000):
            widget.refresh()
        assert replaced_on_import(3) in widget.summary_label.text()
