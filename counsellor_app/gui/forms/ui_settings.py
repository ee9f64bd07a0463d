# generated from ui/settings.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpacerItem, QSpinBox, QVBoxLayout, QWidget

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        self.main_layout = QVBoxLayout(SettingsDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.language_caption = QLabel(SettingsDialog)
        self.language_caption.setObjectName(u"language_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.language_caption)

        self.language = QComboBox(SettingsDialog)
        self.language.setObjectName(u"language")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.language)

        self.auto_lock_caption = QLabel(SettingsDialog)
        self.auto_lock_caption.setObjectName(u"auto_lock_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.auto_lock_caption)

        self.auto_lock = QSpinBox(SettingsDialog)
        self.auto_lock.setObjectName(u"auto_lock")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.auto_lock)

        self.retention_caption = QLabel(SettingsDialog)
        self.retention_caption.setObjectName(u"retention_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.retention_caption)

        self.retention = QSpinBox(SettingsDialog)
        self.retention.setObjectName(u"retention")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.retention)

        self.retention_hint = QLabel(SettingsDialog)
        self.retention_hint.setObjectName(u"retention_hint")
        self.retention_hint.setWordWrap(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.retention_hint)

        self.backup_caption = QLabel(SettingsDialog)
        self.backup_caption.setObjectName(u"backup_caption")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.backup_caption)

        self.backup_line = QLineEdit(SettingsDialog)
        self.backup_line.setObjectName(u"backup_line")
        self.backup_line.setReadOnly(True)

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.backup_line)

        self.folder_buttons = QHBoxLayout()
        self.folder_buttons.setObjectName(u"folder_buttons")
        self.folder_buttons.setContentsMargins(0, 0, 0, 0)
        self.choose_button = QPushButton(SettingsDialog)
        self.choose_button.setObjectName(u"choose_button")

        self.folder_buttons.addWidget(self.choose_button)

        self.default_button = QPushButton(SettingsDialog)
        self.default_button.setObjectName(u"default_button")

        self.folder_buttons.addWidget(self.default_button)

        self.folder_buttons_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.folder_buttons.addItem(self.folder_buttons_space)

        self.back_up_button = QPushButton(SettingsDialog)
        self.back_up_button.setObjectName(u"back_up_button")

        self.folder_buttons.addWidget(self.back_up_button)

        self.folder_buttons.setStretch(2, 1)

        self.form.setLayout(5, QFormLayout.ItemRole.FieldRole, self.folder_buttons)

        self.backup_status = QLabel(SettingsDialog)
        self.backup_status.setObjectName(u"backup_status")
        self.backup_status.setWordWrap(True)

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.backup_status)

        self.supervisor_phone_caption = QLabel(SettingsDialog)
        self.supervisor_phone_caption.setObjectName(u"supervisor_phone_caption")

        self.form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.supervisor_phone_caption)

        self.supervisor_phone = QLineEdit(SettingsDialog)
        self.supervisor_phone.setObjectName(u"supervisor_phone")

        self.form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.supervisor_phone)

        self.capture_box = QCheckBox(SettingsDialog)
        self.capture_box.setObjectName(u"capture_box")

        self.form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.capture_box)

        self.capture_hint = QLabel(SettingsDialog)
        self.capture_hint.setObjectName(u"capture_hint")
        self.capture_hint.setWordWrap(True)

        self.form.setWidget(9, QFormLayout.ItemRole.FieldRole, self.capture_hint)


        self.main_layout.addLayout(self.form)

        self.error_label = ErrorLine(SettingsDialog)
        self.error_label.setObjectName(u"error_label")

        self.main_layout.addWidget(self.error_label)

        self.space_above_buttons = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.main_layout.addItem(self.space_above_buttons)

        self.buttons = QDialogButtonBox(SettingsDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.main_layout.addWidget(self.buttons)

        self.main_layout.setStretch(2, 1)
#if QT_CONFIG(shortcut)
        self.language_caption.setBuddy(self.language)
        self.auto_lock_caption.setBuddy(self.auto_lock)
        self.retention_caption.setBuddy(self.retention)
        self.backup_caption.setBuddy(self.backup_line)
        self.supervisor_phone_caption.setBuddy(self.supervisor_phone)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.language, self.auto_lock)
        QWidget.setTabOrder(self.auto_lock, self.retention)
        QWidget.setTabOrder(self.retention, self.backup_line)
        QWidget.setTabOrder(self.backup_line, self.choose_button)
        QWidget.setTabOrder(self.choose_button, self.default_button)
        QWidget.setTabOrder(self.default_button, self.back_up_button)

        self.retranslateUi(SettingsDialog)
        self.buttons.accepted.connect(SettingsDialog.accept)
        self.buttons.rejected.connect(SettingsDialog.reject)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(tr(u"Settings", None))
        self.language_caption.setText(tr(u"&Language", None))
        self.auto_lock_caption.setText(tr(u"&Auto-lock after", None))
        self.retention_caption.setText(tr(u"&Keep closed cases for", None))
        self.retention_hint.setText(tr(u"When a closed case is older than this, its notes and call-back number are deleted for good at the next purge.", None))
        self.backup_caption.setText(tr(u"Backup &folder", None))
        self.choose_button.setText(tr(u"C&hoose\u2026", None))
#if QT_CONFIG(accessibility)
        self.choose_button.setAccessibleName(tr(u"Choose a backup folder", None))
#endif // QT_CONFIG(accessibility)
        self.default_button.setText(tr(u"&Default", None))
#if QT_CONFIG(accessibility)
        self.default_button.setAccessibleName(tr(u"Use the default backup folder", None))
#endif // QT_CONFIG(accessibility)
        self.back_up_button.setText(tr(u"&Back up now", None))
#if QT_CONFIG(accessibility)
        self.back_up_button.setAccessibleName(tr(u"Back up now", None))
#endif // QT_CONFIG(accessibility)
        self.supervisor_phone_caption.setText(tr(u"Supervisor on call (&number)", None))
        self.supervisor_phone.setPlaceholderText(tr(u"shown with the guidance on a concern", None))
        self.capture_box.setText(tr(u"Hide the window in screen sharing and &recordings", None))
    # retranslateUi

