# generated from ui/directory_entry.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit

from counsellor_app.gui.forms import tr


class Ui_DirectoryEntryDialog(object):
    def setupUi(self, DirectoryEntryDialog):
        if not DirectoryEntryDialog.objectName():
            DirectoryEntryDialog.setObjectName(u"DirectoryEntryDialog")
        self.form = QFormLayout(DirectoryEntryDialog)
        self.form.setObjectName(u"form")
        self.organisation_caption = QLabel(DirectoryEntryDialog)
        self.organisation_caption.setObjectName(u"organisation_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.organisation_caption)

        self.organisation = QLineEdit(DirectoryEntryDialog)
        self.organisation.setObjectName(u"organisation")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.organisation)

        self.kind_caption = QLabel(DirectoryEntryDialog)
        self.kind_caption.setObjectName(u"kind_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.kind_caption)

        self.kind = QComboBox(DirectoryEntryDialog)
        self.kind.setObjectName(u"kind")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.kind)

        self.municipality_caption = QLabel(DirectoryEntryDialog)
        self.municipality_caption.setObjectName(u"municipality_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.municipality_caption)

        self.municipality = QComboBox(DirectoryEntryDialog)
        self.municipality.setObjectName(u"municipality")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.municipality)

        self.themes_caption = QLabel(DirectoryEntryDialog)
        self.themes_caption.setObjectName(u"themes_caption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.themes_caption)

        self.themes = QListWidget(DirectoryEntryDialog)
        self.themes.setObjectName(u"themes")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.themes)

        self.phone_caption = QLabel(DirectoryEntryDialog)
        self.phone_caption.setObjectName(u"phone_caption")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.phone_caption)

        self.phone = QLineEdit(DirectoryEntryDialog)
        self.phone.setObjectName(u"phone")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.phone)

        self.web_caption = QLabel(DirectoryEntryDialog)
        self.web_caption.setObjectName(u"web_caption")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.web_caption)

        self.web = QLineEdit(DirectoryEntryDialog)
        self.web.setObjectName(u"web")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.web)

        self.hours_caption = QLabel(DirectoryEntryDialog)
        self.hours_caption.setObjectName(u"hours_caption")

        self.form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.hours_caption)

        self.hours = QLineEdit(DirectoryEntryDialog)
        self.hours.setObjectName(u"hours")

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.hours)

        self.note_caption = QLabel(DirectoryEntryDialog)
        self.note_caption.setObjectName(u"note_caption")

        self.form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.note_caption)

        self.note = QPlainTextEdit(DirectoryEntryDialog)
        self.note.setObjectName(u"note")
        self.note.setTabChangesFocus(True)

        self.form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.note)

        self.checked_on_caption = QLabel(DirectoryEntryDialog)
        self.checked_on_caption.setObjectName(u"checked_on_caption")

        self.form.setWidget(8, QFormLayout.ItemRole.LabelRole, self.checked_on_caption)

        self.checked_on = QLineEdit(DirectoryEntryDialog)
        self.checked_on.setObjectName(u"checked_on")

        self.form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.checked_on)

        self.source_caption = QLabel(DirectoryEntryDialog)
        self.source_caption.setObjectName(u"source_caption")

        self.form.setWidget(9, QFormLayout.ItemRole.LabelRole, self.source_caption)

        self.source = QLineEdit(DirectoryEntryDialog)
        self.source.setObjectName(u"source")

        self.form.setWidget(9, QFormLayout.ItemRole.FieldRole, self.source)

        self.buttons = QDialogButtonBox(DirectoryEntryDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.form.setWidget(10, QFormLayout.ItemRole.SpanningRole, self.buttons)

#if QT_CONFIG(shortcut)
        self.organisation_caption.setBuddy(self.organisation)
        self.kind_caption.setBuddy(self.kind)
        self.municipality_caption.setBuddy(self.municipality)
        self.themes_caption.setBuddy(self.themes)
        self.phone_caption.setBuddy(self.phone)
        self.web_caption.setBuddy(self.web)
        self.hours_caption.setBuddy(self.hours)
        self.note_caption.setBuddy(self.note)
        self.checked_on_caption.setBuddy(self.checked_on)
        self.source_caption.setBuddy(self.source)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(DirectoryEntryDialog)
    # setupUi

    def retranslateUi(self, DirectoryEntryDialog):
        self.organisation_caption.setText(tr(u"&Organisation", None))
        self.organisation.setPlaceholderText(tr(u"A public organisation, never a person", None))
        self.kind_caption.setText(tr(u"&Type", None))
        self.municipality_caption.setText(tr(u"&Municipality", None))
        self.themes_caption.setText(tr(u"The&mes", None))
        self.phone_caption.setText(tr(u"&Phone", None))
        self.phone.setPlaceholderText(tr(u"The public switchboard", None))
        self.web_caption.setText(tr(u"&Web", None))
        self.hours_caption.setText(tr(u"Opening ho&urs", None))
        self.note_caption.setText(tr(u"&Note for counsellors", None))
        self.checked_on_caption.setText(tr(u"&Checked on", None))
        self.checked_on.setPlaceholderText(tr(u"YYYY-MM-DD", None))
        self.source_caption.setText(tr(u"&Source", None))
        self.source.setPlaceholderText(tr(u"The organisation's public web page", None))
        pass
    # retranslateUi

