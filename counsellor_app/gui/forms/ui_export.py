# generated from ui/export.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QDateEdit, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton, QRadioButton, QSizePolicy, QSpacerItem, QSplitter, QVBoxLayout, QWidget

from counsellor_app.gui.clipboard import GatedTextBrowser
from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ExportDialog(object):
    def setupUi(self, ExportDialog):
        if not ExportDialog.objectName():
            ExportDialog.setObjectName(u"ExportDialog")
        self.main_layout = QVBoxLayout(ExportDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(ExportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.key_caption = QLabel(ExportDialog)
        self.key_caption.setObjectName(u"key_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.key_caption)

        self.key_field = QVBoxLayout()
        self.key_field.setObjectName(u"key_field")
        self.key_field.setContentsMargins(0, 0, 0, 0)
        self.key_row = QHBoxLayout()
        self.key_row.setObjectName(u"key_row")
        self.key_row.setContentsMargins(0, 0, 0, 0)
        self.key_edit = QLineEdit(ExportDialog)
        self.key_edit.setObjectName(u"key_edit")
        self.key_edit.setClearButtonEnabled(True)

        self.key_row.addWidget(self.key_edit)

        self.key_file_button = QPushButton(ExportDialog)
        self.key_file_button.setObjectName(u"key_file_button")
        self.key_file_button.setAutoDefault(False)

        self.key_row.addWidget(self.key_file_button)

        self.key_row.setStretch(0, 1)

        self.key_field.addLayout(self.key_row)

        self.key_status = ErrorLine(ExportDialog)
        self.key_status.setObjectName(u"key_status")

        self.key_field.addWidget(self.key_status)


        self.form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.key_field)

        self.period_caption = QLabel(ExportDialog)
        self.period_caption.setObjectName(u"period_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.period_caption)

        self.since_last = QRadioButton(ExportDialog)
        self.since_last.setObjectName(u"since_last")
        self.since_last.setChecked(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.since_last)

        self.day_row = QHBoxLayout()
        self.day_row.setObjectName(u"day_row")
        self.day_row.setContentsMargins(0, 0, 0, 0)
        self.since_day = QRadioButton(ExportDialog)
        self.since_day.setObjectName(u"since_day")

        self.day_row.addWidget(self.since_day)

        self.day_edit = QDateEdit(ExportDialog)
        self.day_edit.setObjectName(u"day_edit")
        self.day_edit.setEnabled(False)
        self.day_edit.setCalendarPopup(True)

        self.day_row.addWidget(self.day_edit)

        self.day_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.day_row.addItem(self.day_row_space)

        self.day_row.setStretch(2, 1)

        self.form.setLayout(2, QFormLayout.ItemRole.FieldRole, self.day_row)

        self.preview_row = QHBoxLayout()
        self.preview_row.setObjectName(u"preview_row")
        self.preview_row.setContentsMargins(0, 0, 0, 0)
        self.preview_button = QPushButton(ExportDialog)
        self.preview_button.setObjectName(u"preview_button")
        self.preview_button.setAutoDefault(False)

        self.preview_row.addWidget(self.preview_button)

        self.preview_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.preview_row.addItem(self.preview_row_space)

        self.preview_row.setStretch(1, 1)

        self.form.setLayout(3, QFormLayout.ItemRole.FieldRole, self.preview_row)


        self.main_layout.addLayout(self.form)

        self.preview_box = QGroupBox(ExportDialog)
        self.preview_box.setObjectName(u"preview_box")
        self.preview_box.setVisible(False)
        self.box_layout = QVBoxLayout(self.preview_box)
        self.box_layout.setObjectName(u"box_layout")
        self.counts_label = QLabel(self.preview_box)
        self.counts_label.setObjectName(u"counts_label")
        self.counts_label.setWordWrap(True)

        self.box_layout.addWidget(self.counts_label)

        self.replacements_label = QLabel(self.preview_box)
        self.replacements_label.setObjectName(u"replacements_label")
        self.replacements_label.setWordWrap(True)

        self.box_layout.addWidget(self.replacements_label)

        self.blocking_label = ErrorLine(self.preview_box)
        self.blocking_label.setObjectName(u"blocking_label")

        self.box_layout.addWidget(self.blocking_label)

        self.splitter = QSplitter(self.preview_box)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.left = QWidget(self.splitter)
        self.left.setObjectName(u"left")
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setObjectName(u"left_layout")
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.cases_caption = QLabel(self.left)
        self.cases_caption.setObjectName(u"cases_caption")

        self.left_layout.addWidget(self.cases_caption)

        self.case_list = QListWidget(self.left)
        self.case_list.setObjectName(u"case_list")
        self.case_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.left_layout.addWidget(self.case_list)

        self.only_replaced = QCheckBox(self.left)
        self.only_replaced.setObjectName(u"only_replaced")

        self.left_layout.addWidget(self.only_replaced)

        self.left_layout.setStretch(1, 1)
        self.splitter.addWidget(self.left)
        self.right = QWidget(self.splitter)
        self.right.setObjectName(u"right")
        self.right_layout = QVBoxLayout(self.right)
        self.right_layout.setObjectName(u"right_layout")
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.texts_caption = QLabel(self.right)
        self.texts_caption.setObjectName(u"texts_caption")

        self.right_layout.addWidget(self.texts_caption)

        self.legend_label = QLabel(self.right)
        self.legend_label.setObjectName(u"legend_label")
        self.legend_label.setWordWrap(True)

        self.right_layout.addWidget(self.legend_label)

        self.texts = GatedTextBrowser(self.right)
        self.texts.setObjectName(u"texts")
        self.texts.setTabChangesFocus(True)
        self.texts.setOpenLinks(False)

        self.right_layout.addWidget(self.texts)

        self.open_row = QHBoxLayout()
        self.open_row.setObjectName(u"open_row")
        self.open_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.open_row.addItem(self.open_row_space)

        self.open_case_button = QPushButton(self.right)
        self.open_case_button.setObjectName(u"open_case_button")
        self.open_case_button.setAutoDefault(False)
        self.open_case_button.setEnabled(False)

        self.open_row.addWidget(self.open_case_button)

        self.open_row.setStretch(0, 1)

        self.right_layout.addLayout(self.open_row)

        self.right_layout.setStretch(2, 1)
        self.splitter.addWidget(self.right)

        self.box_layout.addWidget(self.splitter)

        self.box_layout.setStretch(3, 1)

        self.main_layout.addWidget(self.preview_box)

        self.filler = QWidget(ExportDialog)
        self.filler.setObjectName(u"filler")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.filler.sizePolicy().hasHeightForWidth())
        self.filler.setSizePolicy(sizePolicy)

        self.main_layout.addWidget(self.filler)

        self.error_label = ErrorLine(ExportDialog)
        self.error_label.setObjectName(u"error_label")

        self.main_layout.addWidget(self.error_label)

        self.status_label = ErrorLine(ExportDialog)
        self.status_label.setObjectName(u"status_label")

        self.main_layout.addWidget(self.status_label)

        self.buttons = QDialogButtonBox(ExportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(2, 1)
        self.main_layout.setStretch(3, 1)
#if QT_CONFIG(shortcut)
        self.key_caption.setBuddy(self.key_edit)
        self.period_caption.setBuddy(self.since_last)
        self.cases_caption.setBuddy(self.case_list)
        self.texts_caption.setBuddy(self.texts)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ExportDialog)
        self.buttons.rejected.connect(ExportDialog.reject)

        self.preview_button.setDefault(True)

    # setupUi

    def retranslateUi(self, ExportDialog):
        ExportDialog.setWindowTitle(tr(u"Export summaries for your supervisor", None))
        self.intro.setText(tr(u"Your supervisor receives a de-identified summary of your cases: the structured fields and each note with names, numbers, addresses and places replaced. Look at it first; nothing leaves until you choose Export.", None))
        self.key_caption.setText(tr(u"Supervisor's public &key", None))
        self.key_edit.setPlaceholderText(tr(u"age1\u2026 (paste the key) or choose the key file", None))
        self.key_file_button.setText(tr(u"Choose key &file\u2026", None))
#if QT_CONFIG(accessibility)
        self.key_file_button.setAccessibleName(tr(u"Choose the public key file", None))
#endif // QT_CONFIG(accessibility)
        self.period_caption.setText(tr(u"Period", None))
        self.since_last.setText(tr(u"Since the &last export", None))
        self.since_day.setText(tr(u"Changes since a &day:", None))
#if QT_CONFIG(accessibility)
        self.day_edit.setAccessibleName(tr(u"First day of the changes to export", None))
#endif // QT_CONFIG(accessibility)
        self.preview_button.setText(tr(u"&Preview", None))
#if QT_CONFIG(accessibility)
        self.preview_button.setAccessibleName(tr(u"Preview what will leave", None))
#endif // QT_CONFIG(accessibility)
        self.preview_box.setTitle(tr(u"What will leave", None))
        self.cases_caption.setText(tr(u"Ca&ses", None))
        self.only_replaced.setText(tr(u"Only cases &with replacements", None))
#if QT_CONFIG(accessibility)
        self.only_replaced.setAccessibleName(tr(u"Only cases with replacements", None))
#endif // QT_CONFIG(accessibility)
        self.texts_caption.setText(tr(u"&Texts that leave, replacements marked", None))
#if QT_CONFIG(accessibility)
        self.legend_label.setAccessibleName(tr(u"What the marks in the texts mean", None))
#endif // QT_CONFIG(accessibility)
        self.open_case_button.setText(tr(u"&Open case", None))
#if QT_CONFIG(accessibility)
        self.open_case_button.setAccessibleName(tr(u"Open the case to fix its notes", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

