# generated from ui/comment.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_CommentDialog(object):
    def setupUi(self, CommentDialog):
        if not CommentDialog.objectName():
            CommentDialog.setObjectName(u"CommentDialog")
        self.main_layout = QVBoxLayout(CommentDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(CommentDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.initials_caption = QLabel(CommentDialog)
        self.initials_caption.setObjectName(u"initials_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.initials_caption)

        self.initials = QLineEdit(CommentDialog)
        self.initials.setObjectName(u"initials")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.initials)

        self.text_caption = QLabel(CommentDialog)
        self.text_caption.setObjectName(u"text_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.text_caption)

        self.text = QPlainTextEdit(CommentDialog)
        self.text.setObjectName(u"text")
        self.text.setTabChangesFocus(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.text)


        self.main_layout.addLayout(self.form)

        self.error = ErrorLine(CommentDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(CommentDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.initials_caption.setBuddy(self.initials)
        self.text_caption.setBuddy(self.text)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(CommentDialog)
    # setupUi

    def retranslateUi(self, CommentDialog):
        self.intro.setText(tr(u"Your comment is kept with the case, marked with your initials or a pseudonym.", None))
        self.initials_caption.setText(tr(u"&Initials or pseudonym", None))
#if QT_CONFIG(accessibility)
        self.initials.setAccessibleName(tr(u"Initials or pseudonym", None))
#endif // QT_CONFIG(accessibility)
        self.initials.setPlaceholderText(tr(u"For example: MK", None))
        self.text_caption.setText(tr(u"&Comment", None))
#if QT_CONFIG(accessibility)
        self.text.setAccessibleName(tr(u"Comment", None))
#endif // QT_CONFIG(accessibility)
        self.text.setPlaceholderText(tr(u"What did you notice? What could be tried?", None))
        pass
    # retranslateUi

