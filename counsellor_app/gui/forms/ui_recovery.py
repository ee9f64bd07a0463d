# generated from ui/recovery.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_RecoveryDialog(object):
    def setupUi(self, RecoveryDialog):
        if not RecoveryDialog.objectName():
            RecoveryDialog.setObjectName(u"RecoveryDialog")
        self.main_layout = QVBoxLayout(RecoveryDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(RecoveryDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.key_caption = QLabel(RecoveryDialog)
        self.key_caption.setObjectName(u"key_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.key_caption)

        self.key = QLineEdit(RecoveryDialog)
        self.key.setObjectName(u"key")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.key)

        self.passphrase_caption = QLabel(RecoveryDialog)
        self.passphrase_caption.setObjectName(u"passphrase_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passphrase_caption)

        self.passphrase = QLineEdit(RecoveryDialog)
        self.passphrase.setObjectName(u"passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passphrase)

        self.repeat_caption = QLabel(RecoveryDialog)
        self.repeat_caption.setObjectName(u"repeat_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.repeat_caption)

        self.repeat = QLineEdit(RecoveryDialog)
        self.repeat.setObjectName(u"repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.repeat)

        self.hint = QLabel(RecoveryDialog)
        self.hint.setObjectName(u"hint")
        self.hint.setWordWrap(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.hint)


        self.main_layout.addLayout(self.form)

        self.error = ErrorLine(RecoveryDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(RecoveryDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.key_caption.setBuddy(self.key)
        self.passphrase_caption.setBuddy(self.passphrase)
        self.repeat_caption.setBuddy(self.repeat)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(RecoveryDialog)
        self.buttons.rejected.connect(RecoveryDialog.reject)
    # setupUi

    def retranslateUi(self, RecoveryDialog):
        RecoveryDialog.setWindowTitle(tr(u"Set a new passphrase with the recovery key", None))
        self.key_caption.setText(tr(u"Recovery key", None))
        self.passphrase_caption.setText(tr(u"New passphrase", None))
        self.repeat_caption.setText(tr(u"Repeat passphrase", None))
    # retranslateUi

