"""The About dialog (version, licence, the licences of the bundled components) and the app
icon.

The component licences are stated here rather than read from package metadata, because a
frozen build carries only the metadata the PyInstaller spec copies, and several packages
state their licence only as a classifier or a file; each was checked against the installed
package (see ``packaging/README.md``). The licence texts themselves are shipped in the
``licenses`` folder of a packaged build.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
)

from counsellor_app import __version__
from counsellor_app.core.i18n import _
from counsellor_app.core.paths import resource_path

ICON_DIR = resource_path("icons")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: The app's own licence, as declared in pyproject.toml (read from metadata when present).
APP_LICENCE = "GPL-3.0-or-later"


@dataclass(frozen=True)
class Component:
    """A third-party component shipped inside the packaged app."""

    name: str
    distribution: str  # the package whose installed version is shown ("" for none)
    licence: str


COMPONENTS: tuple[Component, ...] = (
    Component("Qt", "", "LGPL-3.0-only"),
    Component("PySide6 / Shiboken6", "PySide6-Essentials", "LGPL-3.0-only"),
    Component("SQLCipher", "", "BSD-3-Clause (Zetetic)"),
    Component("SQLite", "", "Public domain"),
    Component("sqlcipher3", "sqlcipher3", "zlib"),
    Component("OpenSSL (in sqlcipher3, cryptography)", "", "Apache-2.0"),
    Component("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause"),
    Component("argon2-cffi", "argon2-cffi", "MIT"),
    Component("argon2-cffi-bindings", "argon2-cffi-bindings", "MIT"),
    Component("cffi", "cffi", "MIT-0"),
    Component("reportlab", "reportlab", "BSD-3-Clause"),
    Component("Pillow", "pillow", "MIT-CMU"),
    Component("charset-normalizer", "charset-normalizer", "MIT"),
    Component("Babel (and CLDR data)", "babel", "BSD-3-Clause; Unicode-3.0"),
    Component("platformdirs", "platformdirs", "MIT"),
    Component("filelock", "filelock", "MIT"),
    Component("Python", "", "PSF-2.0"),
    # The word lists of the de-identification engine (resources/anonymity/SOURCES.md).
    Component("DaCy name lists", "", "Apache-2.0"),
    Component("Den store danske ordliste (DSDO)", "", "GPL-2.0-or-later"),
    Component("SCOWL English word list", "", "SCOWL (permissive)"),
)


def app_icon() -> QIcon:
    """The app icon at every size shipped (for the windows and the task bar)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = ICON_DIR / f"counsellor-app-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon


def app_licence() -> str:
    """The licence declared in the package metadata (falls back to the known one)."""
    from importlib import metadata  # slow to import: only when the dialog opens

    try:
        meta = metadata.metadata("counsellor-app")
    except metadata.PackageNotFoundError:
        return APP_LICENCE
    for field in ("License-Expression", "License"):
        values = meta.get_all(field) or []
        if values and values[0].strip():
            return str(values[0]).strip()
    return APP_LICENCE


def component_version(component: Component) -> str:
    """The version actually shipped, where it can be known without side effects."""
    if component.name == "Qt":
        return qVersion()
    if component.name == "Python":
        return ".".join(str(part) for part in sys.version_info[:3])
    if component.name in ("SQLCipher", "SQLite"):
        try:
            import sqlcipher3

            if component.name == "SQLite":
                return str(sqlcipher3.sqlite_version)
            connection = sqlcipher3.connect(":memory:")
            try:
                row = connection.execute("PRAGMA cipher_version").fetchone()
            finally:
                connection.close()
            return str(row[0]) if row else ""
        except Exception:  # the dialog must open even if the driver is odd
            return ""
    if component.distribution == "PySide6-Essentials":
        return pyside_version
    if not component.distribution:
        return ""
    from importlib import metadata

    try:
        return metadata.version(component.distribution)
    except metadata.PackageNotFoundError:
        return ""


def licence_folder() -> Path | None:
    """The folder with the full licence texts in a packaged build (None from source)."""
    if not getattr(sys, "frozen", False):
        return None
    base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    folder = base / "licenses"
    return folder if folder.is_dir() else None


class AboutDialog(QDialog):
    """Version, licence, and what is bundled under which licence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QHeaderView, QTableWidgetItem  # nor these

        from counsellor_app.gui.forms.ui_about import Ui_AboutDialog  # not at start-up

        self.ui = Ui_AboutDialog()
        self.ui.setupUi(self)
        self.setWindowIcon(app_icon())
        self.ui.logo.setPixmap(QPixmap(str(ICON_DIR / "counsellor-app-64.png")))
        import html  # here: its module compiles a large pattern the unlock window never needs

        self.ui.title.setText("<h2>" + html.escape(_("Counsellor's Notebook")) + "</h2>")
        self.version_label = self.ui.version_label
        self.version_label.setText(_("Version {version}").format(version=__version__))
        self.licence_label = self.ui.licence_label
        self.licence_label.setText(_("Licence: {licence}").format(licence=app_licence()))

        self.table = self.ui.table
        self.table.setRowCount(len(COMPONENTS))
        for row, component in enumerate(COMPONENTS):
            for column, value in enumerate(
                (component.name, component_version(component), component.licence)
            ):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

        folder = licence_folder()
        if folder is not None:  # only in a packaged build: above the buttons
            where = QLabel(_("The full licence texts are in {folder}").format(folder=folder))
            where.setWordWrap(True)
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.ui.main_layout.insertWidget(self.ui.main_layout.indexOf(self.ui.buttons), where)

        about_qt = self.ui.buttons.addButton(_("About Qt"), QDialogButtonBox.ButtonRole.HelpRole)
        about_qt.clicked.connect(lambda: QMessageBox.aboutQt(self))


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About dialog (non-modal to the notes: it does not block saving)."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = [
    "COMPONENTS",
    "AboutDialog",
    "Component",
    "app_icon",
    "app_licence",
    "component_version",
    "licence_folder",
    "show_about",
]

if __name__ == "__main__":  # a quick look: python -m counsellor_app.gui.about
    application = QApplication.instance() or QApplication(sys.argv)
    AboutDialog().exec()
