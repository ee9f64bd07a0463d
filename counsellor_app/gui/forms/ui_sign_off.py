# generated from ui/sign_off.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_SignOffDialog(object):
    def setupUi(self, SignOffDialog):
        if not SignOffDialog.objectName():
            SignOffDialog.setObjectName(u"SignOffDialog")
        self.main_layout = QVBoxLayout(SignOffDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(SignOffDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.day_caption = QLabel(SignOffDialog)
        self.day_caption.setObjectName(u"day_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.day_caption)

        self.day = QDateEdit(SignOffDialog)
        self.day.setObjectName(u"day")
        self.day.setCalendarPopup(True)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.day)

        self.initials_caption = QLabel(SignOffDialog)
        self.initials_caption.setObjectName(u"initials_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.initials_caption)

        self.initials = QLineEdit(SignOffDialog)
        self.initials.setObjectName(u"initials")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.initials)


        self.main_layout.addLayout(self.form)

        self.error = ErrorLine(SignOffDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(SignOffDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.day_caption.setBuddy(self.day)
        self.initials_caption.setBuddy(self.initials)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(SignOffDialog)
    # setupUi

    def retranslateUi(self, SignOffDialog):
        SignOffDialog.setWindowTitle(tr(u"Sign off the review", None))
        self.intro.setText(tr(u"Signing off says that you, the mentor, have reviewed this case with the student. It is kept with the case and counts in the student's learning overview.", None))
        self.day_caption.setText(tr(u"&Date", None))
#if QT_CONFIG(accessibility)
        self.day.setAccessibleName(tr(u"Date of the sign-off", None))
#endif // QT_CONFIG(accessibility)
        self.initials_caption.setText(tr(u"Mentor's &initials or pseudonym", None))
#if QT_CONFIG(accessibility)
        self.initials.setAccessibleName(tr(u"Mentor's initials or pseudonym", None))
#endif // QT_CONFIG(accessibility)
        self.initials.setPlaceholderText(tr(u"For example: MK", None))
    # retranslateUi

