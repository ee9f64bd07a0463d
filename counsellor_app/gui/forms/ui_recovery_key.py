# generated from ui/recovery_key.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_RecoveryKeyDialog(object):
    def setupUi(self, RecoveryKeyDialog):
        if not RecoveryKeyDialog.objectName():
            RecoveryKeyDialog.setObjectName(u"RecoveryKeyDialog")
        self.main_layout = QVBoxLayout(RecoveryKeyDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.text = QLabel(RecoveryKeyDialog)
        self.text.setObjectName(u"text")
        self.text.setWordWrap(True)

        self.main_layout.addWidget(self.text)

        self.key = QLabel(RecoveryKeyDialog)
        self.key.setObjectName(u"key")
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.main_layout.addWidget(self.key, 0, Qt.AlignmentFlag.AlignHCenter)

        self.save_pdf = QPushButton(RecoveryKeyDialog)
        self.save_pdf.setObjectName(u"save_pdf")

        self.main_layout.addWidget(self.save_pdf, 0, Qt.AlignmentFlag.AlignLeft)

        self.status = ErrorLine(RecoveryKeyDialog)
        self.status.setObjectName(u"status")

        self.main_layout.addWidget(self.status)

        self.kept = QCheckBox(RecoveryKeyDialog)
        self.kept.setObjectName(u"kept")

        self.main_layout.addWidget(self.kept)

        self.buttons = QDialogButtonBox(RecoveryKeyDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok)

        self.main_layout.addWidget(self.buttons)


        self.retranslateUi(RecoveryKeyDialog)
        self.buttons.accepted.connect(RecoveryKeyDialog.accept)
    # setupUi

    def retranslateUi(self, RecoveryKeyDialog):
        RecoveryKeyDialog.setWindowTitle(tr(u"Your recovery key", None))
        self.text.setText(tr(u"Write this recovery key down or print it, and keep it somewhere safe away from this computer. It is shown only now, and it is the only way into the notebook if the passphrase is forgotten.", None))
#if QT_CONFIG(accessibility)
        self.key.setAccessibleName(tr(u"Recovery key", None))
#endif // QT_CONFIG(accessibility)
        self.save_pdf.setText(tr(u"&Save as PDF to print\u2026", None))
        self.kept.setText(tr(u"I have &kept the recovery key", None))
    # retranslateUi

