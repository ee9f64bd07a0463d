# generated from ui/comments_export.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_CommentsExportDialog(object):
    def setupUi(self, CommentsExportDialog):
        if not CommentsExportDialog.objectName():
            CommentsExportDialog.setObjectName(u"CommentsExportDialog")
        self.main_layout = QVBoxLayout(CommentsExportDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(CommentsExportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.key_caption = QLabel(CommentsExportDialog)
        self.key_caption.setObjectName(u"key_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.key_caption)

        self.key_edit = QLineEdit(CommentsExportDialog)
        self.key_edit.setObjectName(u"key_edit")
        self.key_edit.setClearButtonEnabled(True)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.key_edit)


        self.main_layout.addLayout(self.form)

        self.error_label = ErrorLine(CommentsExportDialog)
        self.error_label.setObjectName(u"error_label")

        self.main_layout.addWidget(self.error_label)

        self.status_label = ErrorLine(CommentsExportDialog)
        self.status_label.setObjectName(u"status_label")

        self.main_layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox(CommentsExportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.key_caption.setBuddy(self.key_edit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(CommentsExportDialog)
        self.buttons.rejected.connect(CommentsExportDialog.reject)
    # setupUi

    def retranslateUi(self, CommentsExportDialog):
        self.key_caption.setText(tr(u"Student's public &key", None))
        self.key_edit.setPlaceholderText(tr(u"The student's key from the case file (or paste another: age1\u2026)", None))
        pass
    # retranslateUi

