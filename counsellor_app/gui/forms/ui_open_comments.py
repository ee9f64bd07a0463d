# generated from ui/open_comments.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QVBoxLayout, QWidget

from counsellor_app.gui.forms import tr


class Ui_OpenCommentsPanel(object):
    def setupUi(self, OpenCommentsPanel):
        if not OpenCommentsPanel.objectName():
            OpenCommentsPanel.setObjectName(u"OpenCommentsPanel")
        self.main_layout = QVBoxLayout(OpenCommentsPanel)
        self.main_layout.setObjectName(u"main_layout")
        self.count_label = QLabel(OpenCommentsPanel)
        self.count_label.setObjectName(u"count_label")
        self.count_label.setWordWrap(True)

        self.main_layout.addWidget(self.count_label)

        self.splitter = QSplitter(OpenCommentsPanel)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.left = QWidget(self.splitter)
        self.left.setObjectName(u"left")
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setObjectName(u"left_layout")
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.list_caption = QLabel(self.left)
        self.list_caption.setObjectName(u"list_caption")

        self.left_layout.addWidget(self.list_caption)

        self.list = QListWidget(self.left)
        self.list.setObjectName(u"list")
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        self.left_layout.addWidget(self.list)

        self.show_answered = QCheckBox(self.left)
        self.show_answered.setObjectName(u"show_answered")

        self.left_layout.addWidget(self.show_answered)

        self.left_layout.setStretch(1, 1)
        self.splitter.addWidget(self.left)
        self.right = QWidget(self.splitter)
        self.right.setObjectName(u"right")
        self.right_layout = QVBoxLayout(self.right)
        self.right_layout.setObjectName(u"right_layout")
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel(self.right)
        self.detail.setObjectName(u"detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard|Qt.TextInteractionFlag.TextSelectableByMouse)

        self.right_layout.addWidget(self.detail)

        self.answer_caption = QLabel(self.right)
        self.answer_caption.setObjectName(u"answer_caption")

        self.right_layout.addWidget(self.answer_caption)

        self.answer = QPlainTextEdit(self.right)
        self.answer.setObjectName(u"answer")
        self.answer.setTabChangesFocus(True)

        self.right_layout.addWidget(self.answer)

        self.buttons = QHBoxLayout()
        self.buttons.setObjectName(u"buttons")
        self.save_button = QPushButton(self.right)
        self.save_button.setObjectName(u"save_button")
        self.save_button.setAutoDefault(False)

        self.buttons.addWidget(self.save_button)

        self.review_button = QPushButton(self.right)
        self.review_button.setObjectName(u"review_button")
        self.review_button.setAutoDefault(False)

        self.buttons.addWidget(self.review_button)

        self.buttons_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttons.addItem(self.buttons_space)

        self.buttons.setStretch(2, 1)

        self.right_layout.addLayout(self.buttons)

        self.right_layout.setStretch(2, 1)
        self.splitter.addWidget(self.right)

        self.main_layout.addWidget(self.splitter)

        self.main_layout.setStretch(1, 1)
#if QT_CONFIG(shortcut)
        self.list_caption.setBuddy(self.list)
        self.answer_caption.setBuddy(self.answer)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(OpenCommentsPanel)
    # setupUi

    def retranslateUi(self, OpenCommentsPanel):
        self.list_caption.setText(tr(u"Co&mments from your mentor", None))
        self.show_answered.setText(tr(u"Show comments already a&nswered", None))
#if QT_CONFIG(accessibility)
        self.show_answered.setAccessibleName(tr(u"Show comments already answered", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.detail.setAccessibleName(tr(u"The comment", None))
#endif // QT_CONFIG(accessibility)
        self.answer_caption.setText(tr(u"Your &answer", None))
        self.answer.setPlaceholderText(tr(u"What do you think? What will you try?", None))
        self.save_button.setText(tr(u"&Save answer", None))
#if QT_CONFIG(accessibility)
        self.save_button.setAccessibleName(tr(u"Save the answer", None))
#endif // QT_CONFIG(accessibility)
        self.review_button.setText(tr(u"Open in re&view mode", None))
#if QT_CONFIG(accessibility)
        self.review_button.setAccessibleName(tr(u"Open the case in review mode", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

