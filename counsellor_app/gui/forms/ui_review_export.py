# generated from ui/review_export.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

from counsellor_app.gui.clipboard import GatedTextBrowser
from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ReviewExportDialog(object):
    def setupUi(self, ReviewExportDialog):
        if not ReviewExportDialog.objectName():
            ReviewExportDialog.setObjectName(u"ReviewExportDialog")
        self.main_layout = QVBoxLayout(ReviewExportDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(ReviewExportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.key_caption = QLabel(ReviewExportDialog)
        self.key_caption.setObjectName(u"key_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.key_caption)

        self.key_field = QVBoxLayout()
        self.key_field.setObjectName(u"key_field")
        self.key_field.setContentsMargins(0, 0, 0, 0)
        self.key_row = QHBoxLayout()
        self.key_row.setObjectName(u"key_row")
        self.key_row.setContentsMargins(0, 0, 0, 0)
        self.key_edit = QLineEdit(ReviewExportDialog)
        self.key_edit.setObjectName(u"key_edit")
        self.key_edit.setClearButtonEnabled(True)

        self.key_row.addWidget(self.key_edit)

        self.key_file_button = QPushButton(ReviewExportDialog)
        self.key_file_button.setObjectName(u"key_file_button")
        self.key_file_button.setAutoDefault(False)

        self.key_row.addWidget(self.key_file_button)

        self.key_row.setStretch(0, 1)

        self.key_field.addLayout(self.key_row)

        self.key_status = ErrorLine(ReviewExportDialog)
        self.key_status.setObjectName(u"key_status")

        self.key_field.addWidget(self.key_status)


        self.form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.key_field)

        self.initials_caption = QLabel(ReviewExportDialog)
        self.initials_caption.setObjectName(u"initials_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.initials_caption)

        self.initials = QLineEdit(ReviewExportDialog)
        self.initials.setObjectName(u"initials")
        self.initials.setMaxLength(24)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.initials)

        self.include_reflections = QCheckBox(ReviewExportDialog)
        self.include_reflections.setObjectName(u"include_reflections")
        self.include_reflections.setChecked(True)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.include_reflections)


        self.main_layout.addLayout(self.form)

        self.preview_row = QHBoxLayout()
        self.preview_row.setObjectName(u"preview_row")
        self.preview_button = QPushButton(ReviewExportDialog)
        self.preview_button.setObjectName(u"preview_button")
        self.preview_button.setAutoDefault(False)

        self.preview_row.addWidget(self.preview_button)

        self.preview_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.preview_row.addItem(self.preview_row_space)

        self.preview_row.setStretch(1, 1)

        self.main_layout.addLayout(self.preview_row)

        self.counts_label = QLabel(ReviewExportDialog)
        self.counts_label.setObjectName(u"counts_label")
        self.counts_label.setWordWrap(True)

        self.main_layout.addWidget(self.counts_label)

        self.texts_caption = QLabel(ReviewExportDialog)
        self.texts_caption.setObjectName(u"texts_caption")
        self.texts_caption.setVisible(False)

        self.main_layout.addWidget(self.texts_caption)

        self.legend_label = QLabel(ReviewExportDialog)
        self.legend_label.setObjectName(u"legend_label")
        self.legend_label.setVisible(False)
        self.legend_label.setWordWrap(True)

        self.main_layout.addWidget(self.legend_label)

        self.texts = GatedTextBrowser(ReviewExportDialog)
        self.texts.setObjectName(u"texts")
        self.texts.setVisible(False)
        self.texts.setTabChangesFocus(True)
        self.texts.setOpenLinks(False)

        self.main_layout.addWidget(self.texts)

        self.error_label = ErrorLine(ReviewExportDialog)
        self.error_label.setObjectName(u"error_label")

        self.main_layout.addWidget(self.error_label)

        self.status_label = ErrorLine(ReviewExportDialog)
        self.status_label.setObjectName(u"status_label")

        self.main_layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox(ReviewExportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(6, 1)
#if QT_CONFIG(shortcut)
        self.key_caption.setBuddy(self.key_edit)
        self.initials_caption.setBuddy(self.initials)
        self.texts_caption.setBuddy(self.texts)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ReviewExportDialog)
        self.buttons.rejected.connect(ReviewExportDialog.reject)

        self.preview_button.setDefault(True)

    # setupUi

    def retranslateUi(self, ReviewExportDialog):
        self.intro.setText(tr(u"Your mentor receives this one case de-identified: its fields, and every conversation's four notes with names, numbers, addresses and places replaced; the comments so far with your answers, and your reflections if you choose. Never the case code or a call-back number. The file is encrypted: only your mentor's notebook can open it.", None))
        self.key_caption.setText(tr(u"Mentor's public &key", None))
        self.key_edit.setPlaceholderText(tr(u"age1\u2026 (paste the key) or choose the key file", None))
        self.key_file_button.setText(tr(u"Choose key &file\u2026", None))
#if QT_CONFIG(accessibility)
        self.key_file_button.setAccessibleName(tr(u"Choose the mentor's public key file", None))
#endif // QT_CONFIG(accessibility)
        self.initials_caption.setText(tr(u"Your &initials or pseudonym", None))
        self.initials.setPlaceholderText(tr(u"For example: AB", None))
        self.include_reflections.setText(tr(u"Include my &reflection log", None))
#if QT_CONFIG(accessibility)
        self.include_reflections.setAccessibleName(tr(u"Include my reflection log", None))
#endif // QT_CONFIG(accessibility)
        self.preview_button.setText(tr(u"&Preview", None))
#if QT_CONFIG(accessibility)
        self.preview_button.setAccessibleName(tr(u"Preview what will leave", None))
#endif // QT_CONFIG(accessibility)
        self.texts_caption.setText(tr(u"&Texts that leave, replacements marked", None))
#if QT_CONFIG(accessibility)
        self.legend_label.setAccessibleName(tr(u"What the marks in the texts mean", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

