# generated from ui/change_passphrase.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ChangePassphraseDialog(object):
    def setupUi(self, ChangePassphraseDialog):
        if not ChangePassphraseDialog.objectName():
            ChangePassphraseDialog.setObjectName(u"ChangePassphraseDialog")
        self.main_layout = QVBoxLayout(ChangePassphraseDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(ChangePassphraseDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.current_caption = QLabel(ChangePassphraseDialog)
        self.current_caption.setObjectName(u"current_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.current_caption)

        self.current = QLineEdit(ChangePassphraseDialog)
        self.current.setObjectName(u"current")
        self.current.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.current)

        self.passphrase_caption = QLabel(ChangePassphraseDialog)
        self.passphrase_caption.setObjectName(u"passphrase_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passphrase_caption)

        self.passphrase = QLineEdit(ChangePassphraseDialog)
        self.passphrase.setObjectName(u"passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passphrase)

        self.repeat_caption = QLabel(ChangePassphraseDialog)
        self.repeat_caption.setObjectName(u"repeat_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.repeat_caption)

        self.repeat = QLineEdit(ChangePassphraseDialog)
        self.repeat.setObjectName(u"repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.repeat)

        self.hint = QLabel(ChangePassphraseDialog)
        self.hint.setObjectName(u"hint")
        self.hint.setWordWrap(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.hint)


        self.main_layout.addLayout(self.form)

        self.error = ErrorLine(ChangePassphraseDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(ChangePassphraseDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.current_caption.setBuddy(self.current)
        self.passphrase_caption.setBuddy(self.passphrase)
        self.repeat_caption.setBuddy(self.repeat)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ChangePassphraseDialog)
        self.buttons.rejected.connect(ChangePassphraseDialog.reject)
    # setupUi

    def retranslateUi(self, ChangePassphraseDialog):
        ChangePassphraseDialog.setWindowTitle(tr(u"Change the passphrase", None))
        self.intro.setText(tr(u"The notebook is re-encrypted under a new key: the old passphrase stops opening it, also with an old copy of the key file. The recovery key stays the same.", None))
        self.current_caption.setText(tr(u"Current passphrase", None))
        self.passphrase_caption.setText(tr(u"New passphrase", None))
        self.repeat_caption.setText(tr(u"Repeat passphrase", None))
    # retranslateUi

