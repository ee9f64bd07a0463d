# generated from ui/public_key.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_PublicKeyDialog(object):
    def setupUi(self, PublicKeyDialog):
        if not PublicKeyDialog.objectName():
            PublicKeyDialog.setObjectName(u"PublicKeyDialog")
        self.key_layout = QVBoxLayout(PublicKeyDialog)
        self.key_layout.setObjectName(u"key_layout")
        self.intro = QLabel(PublicKeyDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.key_layout.addWidget(self.intro)

        self.key_caption = QLabel(PublicKeyDialog)
        self.key_caption.setObjectName(u"key_caption")

        self.key_layout.addWidget(self.key_caption)

        self.key_edit = QLineEdit(PublicKeyDialog)
        self.key_edit.setObjectName(u"key_edit")
        self.key_edit.setReadOnly(True)

        self.key_layout.addWidget(self.key_edit)

        self.key_buttons = QHBoxLayout()
        self.key_buttons.setObjectName(u"key_buttons")
        self.copy_button = QPushButton(PublicKeyDialog)
        self.copy_button.setObjectName(u"copy_button")
        self.copy_button.setAutoDefault(False)

        self.key_buttons.addWidget(self.copy_button)

        self.save_button = QPushButton(PublicKeyDialog)
        self.save_button.setObjectName(u"save_button")
        self.save_button.setAutoDefault(False)

        self.key_buttons.addWidget(self.save_button)

        self.key_buttons_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.key_buttons.addItem(self.key_buttons_space)

        self.key_buttons.setStretch(2, 1)

        self.key_layout.addLayout(self.key_buttons)

        self.status_label = ErrorLine(PublicKeyDialog)
        self.status_label.setObjectName(u"status_label")

        self.key_layout.addWidget(self.status_label)

        self.error_label = ErrorLine(PublicKeyDialog)
        self.error_label.setObjectName(u"error_label")

        self.key_layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(PublicKeyDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.key_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.key_caption.setBuddy(self.key_edit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(PublicKeyDialog)
        self.buttons.rejected.connect(PublicKeyDialog.reject)
    # setupUi

    def retranslateUi(self, PublicKeyDialog):
        self.key_caption.setText(tr(u"Public &key", None))
        self.copy_button.setText(tr(u"C&opy", None))
#if QT_CONFIG(accessibility)
        self.copy_button.setAccessibleName(tr(u"Copy the public key", None))
#endif // QT_CONFIG(accessibility)
        self.save_button.setText(tr(u"&Save as file\u2026", None))
#if QT_CONFIG(accessibility)
        self.save_button.setAccessibleName(tr(u"Save the public key as a file", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

