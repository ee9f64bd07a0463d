# generated from ui/alliance.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit

from counsellor_app.gui.forms import tr


class Ui_AllianceDialog(object):
    def setupUi(self, AllianceDialog):
        if not AllianceDialog.objectName():
            AllianceDialog.setObjectName(u"AllianceDialog")
        self.form = QFormLayout(AllianceDialog)
        self.form.setObjectName(u"form")
        self.directory_caption = QLabel(AllianceDialog)
        self.directory_caption.setObjectName(u"directory_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.directory_caption)

        self.directory_search = QLineEdit(AllianceDialog)
        self.directory_search.setObjectName(u"directory_search")
        self.directory_search.setClearButtonEnabled(True)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.directory_search)

        self.directory_results = QListWidget(AllianceDialog)
        self.directory_results.setObjectName(u"directory_results")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.directory_results)

        self.partner_caption = QLabel(AllianceDialog)
        self.partner_caption.setObjectName(u"partner_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.partner_caption)

        self.partner = QComboBox(AllianceDialog)
        self.partner.setObjectName(u"partner")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.partner)

        self.role_caption = QLabel(AllianceDialog)
        self.role_caption.setObjectName(u"role_caption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.role_caption)

        self.role = QLineEdit(AllianceDialog)
        self.role.setObjectName(u"role")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.role)

        self.agreed_caption = QLabel(AllianceDialog)
        self.agreed_caption.setObjectName(u"agreed_caption")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.agreed_caption)

        self.agreed = QPlainTextEdit(AllianceDialog)
        self.agreed.setObjectName(u"agreed")
        self.agreed.setTabChangesFocus(True)

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.agreed)

        self.consent_caption = QLabel(AllianceDialog)
        self.consent_caption.setObjectName(u"consent_caption")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.consent_caption)

        self.consent = QComboBox(AllianceDialog)
        self.consent.setObjectName(u"consent")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.consent)

        self.status_caption = QLabel(AllianceDialog)
        self.status_caption.setObjectName(u"status_caption")

        self.form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.status_caption)

        self.status = QComboBox(AllianceDialog)
        self.status.setObjectName(u"status")

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.status)

        self.buttons = QDialogButtonBox(AllianceDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.form.setWidget(7, QFormLayout.ItemRole.SpanningRole, self.buttons)

#if QT_CONFIG(shortcut)
        self.directory_caption.setBuddy(self.directory_search)
        self.partner_caption.setBuddy(self.partner)
        self.role_caption.setBuddy(self.role)
        self.agreed_caption.setBuddy(self.agreed)
        self.consent_caption.setBuddy(self.consent)
        self.status_caption.setBuddy(self.status)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(AllianceDialog)
    # setupUi

    def retranslateUi(self, AllianceDialog):
        self.directory_caption.setText(tr(u"Find in the &directory", None))
        self.directory_search.setPlaceholderText(tr(u"Municipality, theme or name (F4); \u2193 and Enter choose", None))
#if QT_CONFIG(accessibility)
        self.directory_results.setAccessibleName(tr(u"Organisations in the directory", None))
#endif // QT_CONFIG(accessibility)
        self.partner_caption.setText(tr(u"&Partner", None))
        self.role_caption.setText(tr(u"&Role", None))
        self.role.setPlaceholderText(tr(u"For example: class teacher, PPR psychologist", None))
        self.agreed_caption.setText(tr(u"What was &agreed", None))
        self.agreed.setPlaceholderText(tr(u"What was agreed? No names or other identities.", None))
        self.consent_caption.setText(tr(u"&Consent", None))
        self.status_caption.setText(tr(u"&Status", None))
        pass
    # retranslateUi

