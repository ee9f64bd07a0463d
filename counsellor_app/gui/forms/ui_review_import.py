# generated from ui/review_import.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ReviewImportDialog(object):
    def setupUi(self, ReviewImportDialog):
        if not ReviewImportDialog.objectName():
            ReviewImportDialog.setObjectName(u"ReviewImportDialog")
        self.main_layout = QVBoxLayout(ReviewImportDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(ReviewImportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.choose_row = QHBoxLayout()
        self.choose_row.setObjectName(u"choose_row")
        self.choose_button = QPushButton(ReviewImportDialog)
        self.choose_button.setObjectName(u"choose_button")
        self.choose_button.setAutoDefault(False)

        self.choose_row.addWidget(self.choose_button)

        self.choose_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.choose_row.addItem(self.choose_row_space)

        self.choose_row.setStretch(1, 1)

        self.main_layout.addLayout(self.choose_row)

        self.results = QListWidget(ReviewImportDialog)
        self.results.setObjectName(u"results")
        self.results.setWordWrap(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)

        self.main_layout.addWidget(self.results)

        self.summary = ErrorLine(ReviewImportDialog)
        self.summary.setObjectName(u"summary")

        self.main_layout.addWidget(self.summary)

        self.buttons = QDialogButtonBox(ReviewImportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(2, 1)

        self.retranslateUi(ReviewImportDialog)
        self.buttons.rejected.connect(ReviewImportDialog.reject)
    # setupUi

    def retranslateUi(self, ReviewImportDialog):
        self.choose_button.setText(tr(u"&Choose files\u2026", None))
#if QT_CONFIG(accessibility)
        self.choose_button.setAccessibleName(tr(u"Choose files to import", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.results.setAccessibleName(tr(u"What happened to each file", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

