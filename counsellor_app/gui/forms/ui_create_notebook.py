# generated from ui/create_notebook.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_CreateNotebookDialog(object):
    def setupUi(self, CreateNotebookDialog):
        if not CreateNotebookDialog.objectName():
            CreateNotebookDialog.setObjectName(u"CreateNotebookDialog")
        self.form = QFormLayout(CreateNotebookDialog)
        self.form.setObjectName(u"form")
        self.role_caption = QLabel(CreateNotebookDialog)
        self.role_caption.setObjectName(u"role_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.role_caption)

        self.role = QComboBox(CreateNotebookDialog)
        self.role.setObjectName(u"role")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.role)

        self.passphrase_caption = QLabel(CreateNotebookDialog)
        self.passphrase_caption.setObjectName(u"passphrase_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passphrase_caption)

        self.passphrase = QLineEdit(CreateNotebookDialog)
        self.passphrase.setObjectName(u"passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passphrase)

        self.repeat_caption = QLabel(CreateNotebookDialog)
        self.repeat_caption.setObjectName(u"repeat_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.repeat_caption)

        self.repeat = QLineEdit(CreateNotebookDialog)
        self.repeat.setObjectName(u"repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.repeat)

        self.hint = QLabel(CreateNotebookDialog)
        self.hint.setObjectName(u"hint")
        self.hint.setWordWrap(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.hint)

        self.error = ErrorLine(CreateNotebookDialog)
        self.error.setObjectName(u"error")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.error)

        self.buttons = QDialogButtonBox(CreateNotebookDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.form.setWidget(5, QFormLayout.ItemRole.SpanningRole, self.buttons)

#if QT_CONFIG(shortcut)
        self.role_caption.setBuddy(self.role)
        self.passphrase_caption.setBuddy(self.passphrase)
        self.repeat_caption.setBuddy(self.repeat)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(CreateNotebookDialog)
    # setupUi

    def retranslateUi(self, CreateNotebookDialog):
        CreateNotebookDialog.setWindowTitle(tr(u"Create your notebook", None))
        self.role_caption.setText(tr(u"Role", None))
        self.passphrase_caption.setText(tr(u"Passphrase", None))
        self.repeat_caption.setText(tr(u"Repeat passphrase", None))
    # retranslateUi

