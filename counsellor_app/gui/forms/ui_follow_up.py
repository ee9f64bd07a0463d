# generated from ui/follow_up.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QCheckBox, QDateEdit, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QSizePolicy, QSpacerItem, QTimeEdit

from counsellor_app.gui.forms import tr


class Ui_FollowUpDialog(object):
    def setupUi(self, FollowUpDialog):
        if not FollowUpDialog.objectName():
            FollowUpDialog.setObjectName(u"FollowUpDialog")
        self.form = QFormLayout(FollowUpDialog)
        self.form.setObjectName(u"form")
        self.due_caption = QLabel(FollowUpDialog)
        self.due_caption.setObjectName(u"due_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.due_caption)

        self.due_row = QHBoxLayout()
        self.due_row.setObjectName(u"due_row")
        self.due = QDateEdit(FollowUpDialog)
        self.due.setObjectName(u"due")
        self.due.setCalendarPopup(True)

        self.due_row.addWidget(self.due)

        self.at_time = QCheckBox(FollowUpDialog)
        self.at_time.setObjectName(u"at_time")

        self.due_row.addWidget(self.at_time)

        self.due_time = QTimeEdit(FollowUpDialog)
        self.due_time.setObjectName(u"due_time")
        self.due_time.setDisplayFormat(u"HH:mm")
        self.due_time.setEnabled(False)

        self.due_row.addWidget(self.due_time)

        self.due_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.due_row.addItem(self.due_space)

        self.due_row.setStretch(3, 1)

        self.form.setLayout(0, QFormLayout.ItemRole.FieldRole, self.due_row)

        self.counsellor_task_caption = QLabel(FollowUpDialog)
        self.counsellor_task_caption.setObjectName(u"counsellor_task_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.counsellor_task_caption)

        self.counsellor_task = QPlainTextEdit(FollowUpDialog)
        self.counsellor_task.setObjectName(u"counsellor_task")
        self.counsellor_task.setTabChangesFocus(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.counsellor_task)

        self.parent_task_caption = QLabel(FollowUpDialog)
        self.parent_task_caption.setObjectName(u"parent_task_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.parent_task_caption)

        self.parent_task = QPlainTextEdit(FollowUpDialog)
        self.parent_task.setObjectName(u"parent_task")
        self.parent_task.setTabChangesFocus(True)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.parent_task)

        self.others_task_caption = QLabel(FollowUpDialog)
        self.others_task_caption.setObjectName(u"others_task_caption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.others_task_caption)

        self.others_task = QPlainTextEdit(FollowUpDialog)
        self.others_task.setObjectName(u"others_task")
        self.others_task.setTabChangesFocus(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.others_task)

        self.buttons = QDialogButtonBox(FollowUpDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.form.setWidget(4, QFormLayout.ItemRole.SpanningRole, self.buttons)

#if QT_CONFIG(shortcut)
        self.due_caption.setBuddy(self.due)
        self.counsellor_task_caption.setBuddy(self.counsellor_task)
        self.parent_task_caption.setBuddy(self.parent_task)
        self.others_task_caption.setBuddy(self.others_task)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(FollowUpDialog)
    # setupUi

    def retranslateUi(self, FollowUpDialog):
        self.due_caption.setText(tr(u"&Due", None))
#if QT_CONFIG(accessibility)
        self.due.setAccessibleName(tr(u"Due date", None))
#endif // QT_CONFIG(accessibility)
        self.at_time.setText(tr(u"at a &time", None))
#if QT_CONFIG(accessibility)
        self.at_time.setAccessibleName(tr(u"At a time of day", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.due_time.setAccessibleName(tr(u"Time of day", None))
#endif // QT_CONFIG(accessibility)
        self.counsellor_task_caption.setText(tr(u"The &counsellor will", None))
#if QT_CONFIG(accessibility)
        self.counsellor_task.setAccessibleName(tr(u"What the counsellor will do", None))
#endif // QT_CONFIG(accessibility)
        self.counsellor_task.setPlaceholderText(tr(u"For example: call back, send information", None))
        self.parent_task_caption.setText(tr(u"The &parent will", None))
#if QT_CONFIG(accessibility)
        self.parent_task.setAccessibleName(tr(u"What the parent will do", None))
#endif // QT_CONFIG(accessibility)
        self.others_task_caption.setText(tr(u"&Others will", None))
#if QT_CONFIG(accessibility)
        self.others_task.setAccessibleName(tr(u"What others will do", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

