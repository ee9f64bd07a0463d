# generated from ui/about.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QHBoxLayout, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout

from counsellor_app.gui.forms import tr


class Ui_AboutDialog(object):
    def setupUi(self, AboutDialog):
        if not AboutDialog.objectName():
            AboutDialog.setObjectName(u"AboutDialog")
        self.main_layout = QVBoxLayout(AboutDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.head = QHBoxLayout()
        self.head.setObjectName(u"head")
        self.logo = QLabel(AboutDialog)
        self.logo.setObjectName(u"logo")

        self.head.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)

        self.head_text = QVBoxLayout()
        self.head_text.setObjectName(u"head_text")
        self.title = QLabel(AboutDialog)
        self.title.setObjectName(u"title")

        self.head_text.addWidget(self.title)

        self.version_label = QLabel(AboutDialog)
        self.version_label.setObjectName(u"version_label")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.head_text.addWidget(self.version_label)

        self.licence_label = QLabel(AboutDialog)
        self.licence_label.setObjectName(u"licence_label")

        self.head_text.addWidget(self.licence_label)


        self.head.addLayout(self.head_text)

        self.head.setStretch(1, 1)

        self.main_layout.addLayout(self.head)

        self.components_caption = QLabel(AboutDialog)
        self.components_caption.setObjectName(u"components_caption")

        self.main_layout.addWidget(self.components_caption)

        self.table = QTableWidget(AboutDialog)
        if (self.table.columnCount() < 3):
            self.table.setColumnCount(3)
        __qtablewidgetitem = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        self.table.setObjectName(u"table")
        self.table.setMinimumSize(QSize(560, 300))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)

        self.main_layout.addWidget(self.table)

        self.buttons = QDialogButtonBox(AboutDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(2, 1)

        self.retranslateUi(AboutDialog)
        self.buttons.rejected.connect(AboutDialog.reject)
    # setupUi

    def retranslateUi(self, AboutDialog):
        AboutDialog.setWindowTitle(tr(u"About Counsellor's Notebook", None))
        self.components_caption.setText(tr(u"Bundled components and their licences:", None))
        ___qtablewidgetitem = self.table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(tr(u"Component", None))
        ___qtablewidgetitem1 = self.table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(tr(u"Version", None))
        ___qtablewidgetitem2 = self.table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(tr(u"Licence", None))
#if QT_CONFIG(accessibility)
        self.table.setAccessibleName(tr(u"Bundled components and their licences:", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

