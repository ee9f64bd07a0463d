# generated from ui/kept_words.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_KeptWordsDialog(object):
    def setupUi(self, KeptWordsDialog):
        if not KeptWordsDialog.objectName():
            KeptWordsDialog.setObjectName(u"KeptWordsDialog")
        self.main_layout = QVBoxLayout(KeptWordsDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(KeptWordsDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.words_caption = QLabel(KeptWordsDialog)
        self.words_caption.setObjectName(u"words_caption")

        self.main_layout.addWidget(self.words_caption)

        self.words = QListWidget(KeptWordsDialog)
        self.words.setObjectName(u"words")
        self.words.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.main_layout.addWidget(self.words)

        self.status_label = ErrorLine(KeptWordsDialog)
        self.status_label.setObjectName(u"status_label")

        self.main_layout.addWidget(self.status_label)

        self.button_row = QHBoxLayout()
        self.button_row.setObjectName(u"button_row")
        self.forget_button = QPushButton(KeptWordsDialog)
        self.forget_button.setObjectName(u"forget_button")
        self.forget_button.setAutoDefault(False)
        self.forget_button.setEnabled(False)

        self.button_row.addWidget(self.forget_button)

        self.button_row_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_row.addItem(self.button_row_space)

        self.buttons = QDialogButtonBox(KeptWordsDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.button_row.addWidget(self.buttons)

        self.button_row.setStretch(1, 1)

        self.main_layout.addLayout(self.button_row)

        self.main_layout.setStretch(2, 1)
#if QT_CONFIG(shortcut)
        self.words_caption.setBuddy(self.words)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(KeptWordsDialog)
        self.buttons.rejected.connect(KeptWordsDialog.reject)
    # setupUi

    def retranslateUi(self, KeptWordsDialog):
        KeptWordsDialog.setWindowTitle(tr(u"Words kept as no identifier", None))
        self.intro.setText(tr(u"Words you marked as no identifier in this notebook (Ctrl+Alt+I in a note). The guard does not underline them, and they leave in exports as written, marked in the preview as your own decision. Forget a word to have it underlined and replaced again.", None))
        self.words_caption.setText(tr(u"&Kept words", None))
#if QT_CONFIG(accessibility)
        self.words.setAccessibleName(tr(u"Kept words", None))
#endif // QT_CONFIG(accessibility)
        self.forget_button.setText(tr(u"&Forget", None))
#if QT_CONFIG(accessibility)
        self.forget_button.setAccessibleName(tr(u"Forget the chosen word", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

