# generated from ui/change_key.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from counsellor_app.gui.forms import tr


class Ui_ChangeKeyDialog(object):
    def setupUi(self, ChangeKeyDialog):
        if not ChangeKeyDialog.objectName():
            ChangeKeyDialog.setObjectName(u"ChangeKeyDialog")
        self.change_layout = QVBoxLayout(ChangeKeyDialog)
        self.change_layout.setObjectName(u"change_layout")
        self.intro = QLabel(ChangeKeyDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.change_layout.addWidget(self.intro)

        self.keys_form = QFormLayout()
        self.keys_form.setObjectName(u"keys_form")
        self.counsellor_caption = QLabel(ChangeKeyDialog)
        self.counsellor_caption.setObjectName(u"counsellor_caption")

        self.keys_form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.counsellor_caption)

        self.counsellor = QLabel(ChangeKeyDialog)
        self.counsellor.setObjectName(u"counsellor")
        self.counsellor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.keys_form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.counsellor)

        self.enrolled_caption = QLabel(ChangeKeyDialog)
        self.enrolled_caption.setObjectName(u"enrolled_caption")

        self.keys_form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.enrolled_caption)

        self.enrolled = QLabel(ChangeKeyDialog)
        self.enrolled.setObjectName(u"enrolled")
        self.enrolled.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.keys_form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.enrolled)

        self.new_caption = QLabel(ChangeKeyDialog)
        self.new_caption.setObjectName(u"new_caption")

        self.keys_form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.new_caption)

        self.new_key = QLabel(ChangeKeyDialog)
        self.new_key.setObjectName(u"new_key")
        self.new_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.keys_form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.new_key)


        self.change_layout.addLayout(self.keys_form)

        self.confirmed = QCheckBox(ChangeKeyDialog)
        self.confirmed.setObjectName(u"confirmed")

        self.change_layout.addWidget(self.confirmed)

        self.buttons = QDialogButtonBox(ChangeKeyDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel)

        self.change_layout.addWidget(self.buttons)


        self.retranslateUi(ChangeKeyDialog)
        self.buttons.rejected.connect(ChangeKeyDialog.reject)
    # setupUi

    def retranslateUi(self, ChangeKeyDialog):
        ChangeKeyDialog.setWindowTitle(tr(u"Change the counsellor's key", None))
        self.counsellor_caption.setText(tr(u"Counsellor", None))
        self.enrolled_caption.setText(tr(u"Enrolled key", None))
#if QT_CONFIG(accessibility)
        self.enrolled.setAccessibleName(tr(u"Fingerprint of the enrolled key", None))
#endif // QT_CONFIG(accessibility)
        self.new_caption.setText(tr(u"Key of the card", None))
#if QT_CONFIG(accessibility)
        self.new_key.setAccessibleName(tr(u"Fingerprint of the card's key", None))
#endif // QT_CONFIG(accessibility)
        self.confirmed.setText(tr(u"The counsellor &told me they have a new key, and the fingerprint is theirs", None))
    # retranslateUi

