# generated from ui/concern.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ConcernDialog(object):
    def setupUi(self, ConcernDialog):
        if not ConcernDialog.objectName():
            ConcernDialog.setObjectName(u"ConcernDialog")
        self.form = QFormLayout(ConcernDialog)
        self.form.setObjectName(u"form")
        self.guidance = QLabel(ConcernDialog)
        self.guidance.setObjectName(u"guidance")
        self.guidance.setWordWrap(True)
        self.guidance.setMinimumSize(QSize(520, 0))

        self.form.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.guidance)

        self.signs_caption = QLabel(ConcernDialog)
        self.signs_caption.setObjectName(u"signs_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.signs_caption)

        self.signs = QComboBox(ConcernDialog)
        self.signs.setObjectName(u"signs")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.signs)

        self.decision_caption = QLabel(ConcernDialog)
        self.decision_caption.setObjectName(u"decision_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.decision_caption)

        self.decision = QComboBox(ConcernDialog)
        self.decision.setObjectName(u"decision")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.decision)

        self.reasoning_caption = QLabel(ConcernDialog)
        self.reasoning_caption.setObjectName(u"reasoning_caption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.reasoning_caption)

        self.reasoning = QPlainTextEdit(ConcernDialog)
        self.reasoning.setObjectName(u"reasoning")
        self.reasoning.setTabChangesFocus(True)

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.reasoning)

        self.error = ErrorLine(ConcernDialog)
        self.error.setObjectName(u"error")

        self.form.setWidget(4, QFormLayout.ItemRole.SpanningRole, self.error)

        self.buttons = QDialogButtonBox(ConcernDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.form.setWidget(5, QFormLayout.ItemRole.SpanningRole, self.buttons)

#if QT_CONFIG(shortcut)
        self.signs_caption.setBuddy(self.signs)
        self.decision_caption.setBuddy(self.decision)
        self.reasoning_caption.setBuddy(self.reasoning)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ConcernDialog)
    # setupUi

    def retranslateUi(self, ConcernDialog):
        ConcernDialog.setWindowTitle(tr(u"Concern for a child's safety", None))
        self.signs_caption.setText(tr(u"Signs", None))
#if QT_CONFIG(accessibility)
        self.signs.setAccessibleName(tr(u"Signs of serious risk", None))
#endif // QT_CONFIG(accessibility)
        self.signs.setPlaceholderText(tr(u"Choose\u2026", None))
        self.decision_caption.setText(tr(u"Decision", None))
#if QT_CONFIG(accessibility)
        self.decision.setAccessibleName(tr(u"Decision", None))
#endif // QT_CONFIG(accessibility)
        self.decision.setPlaceholderText(tr(u"Choose\u2026", None))
        self.reasoning_caption.setText(tr(u"Reasoning", None))
#if QT_CONFIG(accessibility)
        self.reasoning.setAccessibleName(tr(u"Reasoning", None))
#endif // QT_CONFIG(accessibility)
        self.reasoning.setPlaceholderText(tr(u"Why this decision? No names or other identities.", None))
    # retranslateUi

