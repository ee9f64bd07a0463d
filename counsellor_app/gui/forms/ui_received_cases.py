# generated from ui/received_cases.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpacerItem, QTreeWidget, QVBoxLayout

from counsellor_app.gui.forms import tr


class Ui_ReceivedCasesWindow(object):
    def setupUi(self, ReceivedCasesWindow):
        if not ReceivedCasesWindow.objectName():
            ReceivedCasesWindow.setObjectName(u"ReceivedCasesWindow")
        self.main_layout = QVBoxLayout(ReceivedCasesWindow)
        self.main_layout.setObjectName(u"main_layout")
        self.top = QHBoxLayout()
        self.top.setObjectName(u"top")
        self.import_button = QPushButton(ReceivedCasesWindow)
        self.import_button.setObjectName(u"import_button")
        self.import_button.setAutoDefault(False)

        self.top.addWidget(self.import_button)

        self.key_button = QPushButton(ReceivedCasesWindow)
        self.key_button.setObjectName(u"key_button")
        self.key_button.setAutoDefault(False)

        self.top.addWidget(self.key_button)

        self.top_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.top.addItem(self.top_space)

        self.top.setStretch(2, 1)

        self.main_layout.addLayout(self.top)

        self.empty_label = QLabel(ReceivedCasesWindow)
        self.empty_label.setObjectName(u"empty_label")
        self.empty_label.setWordWrap(True)

        self.main_layout.addWidget(self.empty_label)

        self.tree = QTreeWidget(ReceivedCasesWindow)
        self.tree.setObjectName(u"tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)

        self.main_layout.addWidget(self.tree)

        self.actions = QHBoxLayout()
        self.actions.setObjectName(u"actions")
        self.open_button = QPushButton(ReceivedCasesWindow)
        self.open_button.setObjectName(u"open_button")
        self.open_button.setAutoDefault(False)

        self.actions.addWidget(self.open_button)

        self.comments_button = QPushButton(ReceivedCasesWindow)
        self.comments_button.setObjectName(u"comments_button")
        self.comments_button.setAutoDefault(False)

        self.actions.addWidget(self.comments_button)

        self.study_button = QPushButton(ReceivedCasesWindow)
        self.study_button.setObjectName(u"study_button")
        self.study_button.setAutoDefault(False)

        self.actions.addWidget(self.study_button)

        self.actions_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.actions.addItem(self.actions_space)

        self.remove_button = QPushButton(ReceivedCasesWindow)
        self.remove_button.setObjectName(u"remove_button")
        self.remove_button.setAutoDefault(False)

        self.actions.addWidget(self.remove_button)

        self.actions.setStretch(3, 1)

        self.main_layout.addLayout(self.actions)

        self.buttons = QDialogButtonBox(ReceivedCasesWindow)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(2, 1)

        self.retranslateUi(ReceivedCasesWindow)
        self.buttons.rejected.connect(ReceivedCasesWindow.reject)
    # setupUi

    def retranslateUi(self, ReceivedCasesWindow):
        ReceivedCasesWindow.setWindowTitle(tr(u"Cases received for review", None))
        self.import_button.setText(tr(u"&Import cases for review\u2026", None))
        self.key_button.setText(tr(u"Your public &key for students\u2026", None))
        self.empty_label.setText(tr(u"No case received yet. Give students your public key; import the files they send you.", None))
        ___qtreewidgetitem = self.tree.headerItem()
        ___qtreewidgetitem.setText(5, tr(u"Signed off", None))
        ___qtreewidgetitem.setText(4, tr(u"Comments open", None))
        ___qtreewidgetitem.setText(3, tr(u"Themes", None))
        ___qtreewidgetitem.setText(2, tr(u"Sent", None))
        ___qtreewidgetitem.setText(1, tr(u"Student", None))
        ___qtreewidgetitem.setText(0, tr(u"Reference", None))
#if QT_CONFIG(accessibility)
        self.tree.setAccessibleName(tr(u"Cases received for review", None))
#endif // QT_CONFIG(accessibility)
        self.open_button.setText(tr(u"Open in &review mode", None))
        self.comments_button.setText(tr(u"&Send comments\u2026", None))
        self.study_button.setText(tr(u"Case st&udy PDF\u2026", None))
        self.remove_button.setText(tr(u"Re&move\u2026", None))
    # retranslateUi

