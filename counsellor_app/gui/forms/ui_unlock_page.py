# generated from ui/unlock_page.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout, QWidget

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_UnlockPage(object):
    def setupUi(self, UnlockPage):
        if not UnlockPage.objectName():
            UnlockPage.setObjectName(u"UnlockPage")
        self.main_layout = QVBoxLayout(UnlockPage)
        self.main_layout.setObjectName(u"main_layout")
        self.space_above = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.main_layout.addItem(self.space_above)

        self.title = QLabel(UnlockPage)
        self.title.setObjectName(u"title")
        self.title.setStyleSheet(u"font-size: 20pt; font-weight: 600;")

        self.main_layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)

        self.path_label = QLabel(UnlockPage)
        self.path_label.setObjectName(u"path_label")

        self.main_layout.addWidget(self.path_label, 0, Qt.AlignmentFlag.AlignHCenter)

        self.demo_hint = QLabel(UnlockPage)
        self.demo_hint.setObjectName(u"demo_hint")

        self.main_layout.addWidget(self.demo_hint, 0, Qt.AlignmentFlag.AlignHCenter)

        self.column_row = QHBoxLayout()
        self.column_row.setObjectName(u"column_row")
        self.space_left = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.column_row.addItem(self.space_left)

        self.unlock_column = QWidget(UnlockPage)
        self.unlock_column.setObjectName(u"unlock_column")
        self.column_layout = QVBoxLayout(self.unlock_column)
        self.column_layout.setObjectName(u"column_layout")
        self.column_layout.setContentsMargins(0, 0, 0, 0)
        self.call_waiting = QLabel(self.unlock_column)
        self.call_waiting.setObjectName(u"call_waiting")
        self.call_waiting.setStyleSheet(u"font-weight: 600;")
        self.call_waiting.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.call_waiting.setWordWrap(True)

        self.column_layout.addWidget(self.call_waiting)

        self.passphrase = QLineEdit(self.unlock_column)
        self.passphrase.setObjectName(u"passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)

        self.column_layout.addWidget(self.passphrase)

        self.error = ErrorLine(self.unlock_column)
        self.error.setObjectName(u"error")
        self.error.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.column_layout.addWidget(self.error)

        self.unlock_button = QPushButton(self.unlock_column)
        self.unlock_button.setObjectName(u"unlock_button")

        self.column_layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.restore_button = QPushButton(self.unlock_column)
        self.restore_button.setObjectName(u"restore_button")
        self.restore_button.setVisible(False)

        self.column_layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.forgot_button = QPushButton(self.unlock_column)
        self.forgot_button.setObjectName(u"forgot_button")
        self.forgot_button.setFlat(True)

        self.column_layout.addWidget(self.forgot_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.open_other = QPushButton(self.unlock_column)
        self.open_other.setObjectName(u"open_other")
        self.open_other.setFlat(True)

        self.column_layout.addWidget(self.open_other, 0, Qt.AlignmentFlag.AlignHCenter)


        self.column_row.addWidget(self.unlock_column)

        self.space_right = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.column_row.addItem(self.space_right)


        self.main_layout.addLayout(self.column_row)

        self.space_below = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.main_layout.addItem(self.space_below)


        self.retranslateUi(UnlockPage)

        self.unlock_button.setDefault(True)

    # setupUi

    def retranslateUi(self, UnlockPage):
        self.title.setText(tr(u"Counsellor's Notebook", None))
        self.call_waiting.setText(tr(u"A call is in progress. It is paused, and comes back as it was when you unlock.", None))
#if QT_CONFIG(accessibility)
        self.passphrase.setAccessibleName(tr(u"Passphrase", None))
#endif // QT_CONFIG(accessibility)
        self.passphrase.setPlaceholderText(tr(u"Passphrase", None))
        self.unlock_button.setText(tr(u"Unlock", None))
        self.restore_button.setText(tr(u"Restore the newest backup", None))
        self.forgot_button.setText(tr(u"Forgot passphrase? Use the recovery key", None))
        self.open_other.setText(tr(u"Open &another notebook\u2026", None))
        pass
    # retranslateUi

