# generated from ui/correction.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_CorrectionDialog(object):
    def setupUi(self, CorrectionDialog):
        if not CorrectionDialog.objectName():
            CorrectionDialog.setObjectName(u"CorrectionDialog")
        self.main_layout = QVBoxLayout(CorrectionDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(CorrectionDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.hint = QLabel(CorrectionDialog)
        self.hint.setObjectName(u"hint")
        self.hint.setWordWrap(True)

        self.main_layout.addWidget(self.hint)

        self.editor_holder = QWidget(CorrectionDialog)
        self.editor_holder.setObjectName(u"editor_holder")
        self.editor_layout = QVBoxLayout(self.editor_holder)
        self.editor_layout.setObjectName(u"editor_layout")
        self.editor_layout.setContentsMargins(0, 0, 0, 0)

        self.main_layout.addWidget(self.editor_holder)

        self.error = ErrorLine(CorrectionDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(CorrectionDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)


        self.retranslateUi(CorrectionDialog)
    # setupUi

    def retranslateUi(self, CorrectionDialog):
        CorrectionDialog.setWindowTitle(tr(u"Correct a contact", None))
        self.hint.setText(tr(u"The notes are saved as you type, as in a call. The case's history will say that this contact was corrected, and in which steps; not what the text was before.", None))
    # retranslateUi

