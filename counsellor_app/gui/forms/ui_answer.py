# generated from ui/answer.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_AnswerDialog(object):
    def setupUi(self, AnswerDialog):
        if not AnswerDialog.objectName():
            AnswerDialog.setObjectName(u"AnswerDialog")
        self.main_layout = QVBoxLayout(AnswerDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.shown = QLabel(AnswerDialog)
        self.shown.setObjectName(u"shown")
        self.shown.setWordWrap(True)
        self.shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.main_layout.addWidget(self.shown)

        self.answer_caption = QLabel(AnswerDialog)
        self.answer_caption.setObjectName(u"answer_caption")

        self.main_layout.addWidget(self.answer_caption)

        self.answer = QPlainTextEdit(AnswerDialog)
        self.answer.setObjectName(u"answer")
        self.answer.setTabChangesFocus(True)

        self.main_layout.addWidget(self.answer)

        self.error = ErrorLine(AnswerDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(AnswerDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.answer_caption.setBuddy(self.answer)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(AnswerDialog)
    # setupUi

    def retranslateUi(self, AnswerDialog):
        self.answer_caption.setText(tr(u"Your &answer", None))
#if QT_CONFIG(accessibility)
        self.answer.setAccessibleName(tr(u"Your answer", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

