"""The supervisor's research export: the region of each counsellor's cases, k, a folder."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QWidget,
)

from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _
from counsellor_app.core.research import (
    Region,
    counsellor_regions,
    region_label,
    research_export,
    set_counsellor_region,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import counsellors
from counsellor_app.gui.forms.ui_research_export import Ui_ResearchExportDialog
from counsellor_app.gui.widgets import documents_folder


class ResearchExportDialog(QDialog):
    """Regions per counsellor (kept in the notebook), k, and the folder to write to."""

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self.ui = Ui_ResearchExportDialog()
        self.ui.setupUi(self)
        form = self.ui.form
        regions = counsellor_regions(notebook)
        self.region_combos: dict[str, QComboBox] = {}
        # A row per counsellor, above the k row.
        for row, info in enumerate(counsellors(notebook)):
            combo = QComboBox()
            for region in Region:
                combo.addItem(region_label(region), region.value)
            current = regions.get(info.counsellor_id, Region.UNKNOWN)
            combo.setCurrentIndex(combo.findData(current.value))
            name = _("Region of {counsellor}").format(counsellor=info.display_name)
            combo.setAccessibleName(name)
            form.insertRow(row, name, combo)
            self.region_combos[info.counsellor_id] = combo
        self.k = self.ui.k
        self.status = self.ui.status
        self.buttons = self.ui.buttons
        self.export_button = QPushButton(_("&Export to a folder…"))
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.choose_folder)
        # Tab goes down the form: the counsellors' rows (made here) before k, as they stand.
        chain = [*self.region_combos.values(), self.k]
        chain += [self.buttons.button(QDialogButtonBox.StandardButton.Close), self.export_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose a folder for the export"), str(documents_folder())
        )
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> bool:
        """Store the regions, then write the export into ``folder``; True on success."""
        try:
            for counsellor_id, combo in self.region_combos.items():
                region = Region(combo.currentData())
                set_counsellor_region(
                    self._notebook, counsellor_id, None if region is Region.UNKNOWN else region
                )
            result = research_export(self._notebook, folder, k=self.k.value())
        except UserError as error:
            self.status.show_error(str(error))
            return False
        self.status.say(
            _(
                "Written to {folder}: {rows} rows of {conversations} conversations. "
                "See README.md there for what was generalised or left out."
            ).format(folder=folder, rows=result.rows, conversations=result.conversations)
        )
        return True
