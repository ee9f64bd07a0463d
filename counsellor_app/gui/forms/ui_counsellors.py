# generated from ui/counsellors.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QTableWidget, QTableWidgetItem, QVBoxLayout

from counsellor_app.gui.forms import tr


class Ui_CounsellorsDialog(object):
    def setupUi(self, CounsellorsDialog):
        if not CounsellorsDialog.objectName():
            CounsellorsDialog.setObjectName(u"CounsellorsDialog")
        self.main_layout = QVBoxLayout(CounsellorsDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.period_row = QHBoxLayout()
        self.period_row.setObjectName(u"period_row")
        self.from_label = QLabel(CounsellorsDialog)
        self.from_label.setObjectName(u"from_label")

        self.period_row.addWidget(self.from_label)

        self.from_edit = QDateEdit(CounsellorsDialog)
        self.from_edit.setObjectName(u"from_edit")
        self.from_edit.setCalendarPopup(True)

        self.period_row.addWidget(self.from_edit)

        self.to_label = QLabel(CounsellorsDialog)
        self.to_label.setObjectName(u"to_label")

        self.period_row.addWidget(self.to_label)

        self.to_edit = QDateEdit(CounsellorsDialog)
        self.to_edit.setObjectName(u"to_edit")
        self.to_edit.setCalendarPopup(True)

        self.period_row.addWidget(self.to_edit)

        self.period_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.period_row.addItem(self.period_space)

        self.period_row.setStretch(4, 1)

        self.main_layout.addLayout(self.period_row)

        self.summary_label = QLabel(CounsellorsDialog)
        self.summary_label.setObjectName(u"summary_label")
        self.summary_label.setWordWrap(True)

        self.main_layout.addWidget(self.summary_label)

        self.table = QTableWidget(CounsellorsDialog)
        if (self.table.columnCount() < 7):
            self.table.setColumnCount(7)
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
        self.table.setObjectName(u"table")
        self.table.setAlternatingRowColors(True)

        self.main_layout.addWidget(self.table)

        self.actions = QHBoxLayout()
        self.actions.setObjectName(u"actions")
        self.cases_button = QPushButton(CounsellorsDialog)
        self.cases_button.setObjectName(u"cases_button")
        self.cases_button.setAutoDefault(False)

        self.actions.addWidget(self.cases_button)

        self.actions_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.actions.addItem(self.actions_space)

        self.actions.setStretch(1, 1)

        self.main_layout.addLayout(self.actions)

        self.buttons = QDialogButtonBox(CounsellorsDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(2, 1)
#if QT_CONFIG(shortcut)
        self.from_label.setBuddy(self.from_edit)
        self.to_label.setBuddy(self.to_edit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(CounsellorsDialog)
        self.buttons.rejected.connect(CounsellorsDialog.reject)
    # setupUi

    def retranslateUi(self, CounsellorsDialog):
        CounsellorsDialog.setWindowTitle(tr(u"Overview per counsellor", None))
        self.from_label.setText(tr(u"&From", None))
        self.to_label.setText(tr(u"&To", None))
        ___qtablewidgetitem = self.table.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(tr(u"Counsellor", None))
        ___qtablewidgetitem1 = self.table.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(tr(u"Cases", None))
        ___qtablewidgetitem2 = self.table.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(tr(u"Contacts", None))
        ___qtablewidgetitem3 = self.table.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(tr(u"Follow-ups on time, of those due", None))
        ___qtablewidgetitem4 = self.table.horizontalHeaderItem(4)
        ___qtablewidgetitem4.setText(tr(u"Not on time", None))
        ___qtablewidgetitem5 = self.table.horizontalHeaderItem(5)
        ___qtablewidgetitem5.setText(tr(u"Open concerns", None))
        ___qtablewidgetitem6 = self.table.horizontalHeaderItem(6)
        ___qtablewidgetitem6.setText(tr(u"Last bundle made", None))
#if QT_CONFIG(accessibility)
        self.table.setAccessibleName(tr(u"Counsellors in the period", None))
#endif // QT_CONFIG(accessibility)
        self.cases_button.setText(tr(u"Show the &cases", None))
    # retranslateUi

