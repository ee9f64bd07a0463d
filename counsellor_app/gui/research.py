"""The supervisor's research export: the region of each counsellor's cases, k, l-diversity,
a folder.

The export (storing the regions, then writing the files) runs on the task runner's
notebook lane; the dialog shows it is busy meanwhile and keeps answering."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QWidget,
)

from counsellor_app.core.i18n import _
from counsellor_app.core.research import (
    Region,
    ResearchExport,
    counsellor_regions,
    region_label,
    research_export,
    set_counsellor_region,
)
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import counsellors
from counsellor_app.gui.forms.ui_research_export import Ui_ResearchExportDialog
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import documents_folder


class ResearchExportDialog(QDialog):
    """Regions per counsellor (kept in the notebook), k, l-diversity, and the folder to
    write to."""

    #: The export was written: the folder.
    exported = Signal(str)
    #: The export failed: the sentence shown.
    export_failed = Signal(str)

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
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
        self.l_diversity = self.ui.l_diversity
        self.status = self.ui.status
        self.buttons = self.ui.buttons
        self.export_button = QPushButton(_("&Export to a folder…"))
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.choose_folder)
        # Tab goes down the form: the counsellors' rows (made here) before k, as they stand.
        chain = [*self.region_combos.values(), self.k, self.l_diversity]
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
        """Store the regions, then write the export into ``folder``, in the background:
        :attr:`exported` or :attr:`export_failed` follows. False if one is under way."""
        if self._tasks.busy():
            return False
        notebook, k, diverse = self._notebook, self.k.value(), self.l_diversity.isChecked()
        regions = {
            counsellor_id: Region(combo.currentData())
            for counsellor_id, combo in self.region_combos.items()
        }

        def export(_task: Task[ResearchExport]) -> ResearchExport:
            for counsellor_id, region in regions.items():
                set_counsellor_region(
                    notebook, counsellor_id, None if region is Region.UNKNOWN else region
                )
            return research_export(notebook, folder, k=k, l_diversity=diverse)

        def written(result: ResearchExport) -> None:
            self.export_button.setEnabled(True)
            self.status.say(
                _(
                    "Written to {folder}: {rows} rows of {conversations} conversations. "
                    "See README.md there for what was generalised or left out."
                ).format(folder=folder, rows=result.rows, conversations=result.conversations)
            )
            self.exported.emit(str(folder))

        def failed(sentence: str) -> None:
            self.export_button.setEnabled(True)
            self.status.show_error(sentence)
            self.export_failed.emit(sentence)

        self.export_button.setEnabled(False)
        self.status.say(_("Exporting…"))
        self._tasks.run(export, success=written, failure=failed)
        return True
