# generated from ui/import_history.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QTableWidget, QTableWidgetItem, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ImportHistoryDialog(object):
    def setupUi(self, ImportHistoryDialog):
        if not ImportHistoryDialog.objectName():
            ImportHistoryDialog.setObjectName(u"ImportHistoryDialog")
        self.history_layout = QVBoxLayout(ImportHistoryDialog)
        self.history_layout.setObjectName(u"history_layout")
        self.intro = QLabel(ImportHistoryDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.history_layout.addWidget(self.intro)

        self.table = QTableWidget(ImportHistoryDialog)
        if (self.table.columnCount() < 9):
            self.table.setColumnCount(9)
        __qtablewidgetitem = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        __qtablewidgetitem4 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(4, __qtablewidgetitem4)
        __qtablewidgetitem5 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(5, __qtablewidgetitem5)
        __qtablewidgetitem6 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(6, __qtablewidgetitem6)
        __qtablewidgetitem7 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(7, __qtablewidgetitem7)
        __qtablewidgetitem8 = QTableWidgetItem()
        self.table.setHorizontalHeaderItem(8, __qtablewidgetitem8)
        self.table.setObjectName(u"table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setColumnCount(9)
        self.table.verticalHeader().setVisible(False)

        self.history_layout.addWidget(self.table)

        self.status_label = ErrorLine(ImportHistoryDialog)
        self.status_label.setObjectName(u"status_label")

        self.history_layout.addWidget(self.status_label)

        self.history_buttons = QHBoxLayout()
        self.history_buttons.setObjectName(u"history_buttons")
        self.withdraw_button = QPushButton(ImportHistoryDialog)
        self.withdraw_button.setObjectName(u"withdraw_button")
        self.withdraw_button.setAutoDefault(False)

        self.history_buttons.addWidget(self.withdraw_button)

        self.withdraw_counsellor_button = QPushButton(ImportHistoryDialog)
        self.withdraw_counsellor_button.setObjectName(u"withdraw_counsellor_button")
        self.withdraw_counsellor_button.setAutoDefault(False)

        self.history_buttons.addWidget(self.withdraw_counsellor_button)

        self.enrol_button = QPushButton(ImportHistoryDialog)
        self.enrol_button.setObjectName(u"enrol_button")
        self.enrol_button.setAutoDefault(False)

        self.history_buttons.addWidget(self.enrol_button)

        self.history_buttons_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.history_buttons.addItem(self.history_buttons_space)

        self.buttons = QDialogButtonBox(ImportHistoryDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.history_buttons.addWidget(self.buttons)

        self.history_buttons.setStretch(3, 1)

        self.history_layout.addLayout(self.history_buttons)


        self.retranslateUi(ImportHistoryDialog)
        self.buttons.rejected.connect(ImportHistoryDialog.reject)
    # setupUi

    def retranslateUi(self, ImportHistoryDialog):
        ImportHistoryDialog.setWindowTitle(tr(u"Import history", None))
        self.intro.setText(tr(u"Every bundle imported into this notebook. Withdrawing a bundle removes the cases it brought from the figures and the research export, and puts the cases it updated back as the earlier bundle brought them; it stays listed here as withdrawn.", None))
        ___qtablewidgetitem = self.table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(tr(u"Imported", None))
        ___qtablewidgetitem1 = self.table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(tr(u"File", None))
        ___qtablewidgetitem2 = self.table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(tr(u"Counsellor", None))
        ___qtablewidgetitem3 = self.table.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(tr(u"Key", None))
        ___qtablewidgetitem4 = self.table.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(tr(u"Counter", None))
        ___qtablewidgetitem5 = self.table.horizontalHeaderItem(5)
        ___qtablewidgetitem5.setText(tr(u"Made", None))
        ___qtablewidgetitem6 = self.table.horizontalHeaderItem(6)
        ___qtablewidgetitem6.setText(tr(u"Added", None))
        ___qtablewidgetitem7 = self.table.horizontalHeaderItem(7)
        ___qtablewidgetitem7.setText(tr(u"Updated", None))
        ___qtablewidgetitem8 = self.table.horizontalHeaderItem(8)
        ___qtablewidgetitem8.setText(tr(u"Status", None))
#if QT_CONFIG(accessibility)
        self.table.setAccessibleName(tr(u"Import history", None))
#endif // QT_CONFIG(accessibility)
        self.withdraw_button.setText(tr(u"&Withdraw bundle\u2026", None))
        self.withdraw_counsellor_button.setText(tr(u"Withdraw all of the &counsellor's data\u2026", None))
        self.enrol_button.setText(tr(u"&Enrol a key card\u2026", None))
    # retranslateUi

