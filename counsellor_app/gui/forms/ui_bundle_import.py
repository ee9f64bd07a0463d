# generated from ui/bundle_import.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFrame, QHBoxLayout, QLabel, QListWidget, QProgressBar, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ImportDialog(object):
    def setupUi(self, ImportDialog):
        if not ImportDialog.objectName():
            ImportDialog.setObjectName(u"ImportDialog")
        ImportDialog.setAcceptDrops(True)
        self.main_layout = QVBoxLayout(ImportDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(ImportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.drop_zone = QLabel(ImportDialog)
        self.drop_zone.setObjectName(u"drop_zone")
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setFrameShape(QFrame.Shape.StyledPanel)
        self.drop_zone.setFrameShadow(QFrame.Shadow.Sunken)

        self.main_layout.addWidget(self.drop_zone)

        self.choose_row = QHBoxLayout()
        self.choose_row.setObjectName(u"choose_row")
        self.choose_button = QPushButton(ImportDialog)
        self.choose_button.setObjectName(u"choose_button")
        self.choose_button.setAutoDefault(False)

        self.choose_row.addWidget(self.choose_button)

        self.choose_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.choose_row.addItem(self.choose_row_space)

        self.choose_row.setStretch(1, 1)

        self.main_layout.addLayout(self.choose_row)

        self.progress_bar = QProgressBar(ImportDialog)
        self.progress_bar.setObjectName(u"progress_bar")
        self.progress_bar.setVisible(False)
        self.progress_bar.setMaximum(1)
        self.progress_bar.setValue(0)

        self.main_layout.addWidget(self.progress_bar)

        self.status_label = ErrorLine(ImportDialog)
        self.status_label.setObjectName(u"status_label")

        self.main_layout.addWidget(self.status_label)

        self.results_caption = QLabel(ImportDialog)
        self.results_caption.setObjectName(u"results_caption")

        self.main_layout.addWidget(self.results_caption)

        self.results = QListWidget(ImportDialog)
        self.results.setObjectName(u"results")
        self.results.setWordWrap(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideNone)

        self.main_layout.addWidget(self.results)

        self.error_label = ErrorLine(ImportDialog)
        self.error_label.setObjectName(u"error_label")

        self.main_layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(ImportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(6, 1)
#if QT_CONFIG(shortcut)
        self.results_caption.setBuddy(self.results)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ImportDialog)
        self.buttons.rejected.connect(ImportDialog.reject)

        self.choose_button.setDefault(True)

    # setupUi

    def retranslateUi(self, ImportDialog):
        ImportDialog.setWindowTitle(tr(u"Import summary bundles", None))
        self.drop_zone.setText(tr(u"Drop bundle files or a folder here", None))
        self.choose_button.setText(tr(u"C&hoose files\u2026", None))
#if QT_CONFIG(accessibility)
        self.choose_button.setAccessibleName(tr(u"Choose bundle files to import", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.progress_bar.setAccessibleName(tr(u"Import progress", None))
#endif // QT_CONFIG(accessibility)
        self.results_caption.setText(tr(u"&Results, one line per file", None))
    # retranslateUi

