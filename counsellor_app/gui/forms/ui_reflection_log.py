# generated from ui/reflection_log.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QSizePolicy, QSpacerItem, QSplitter, QVBoxLayout, QWidget

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ReflectionLog(object):
    def setupUi(self, ReflectionLog):
        if not ReflectionLog.objectName():
            ReflectionLog.setObjectName(u"ReflectionLog")
        self.main_layout = QVBoxLayout(ReflectionLog)
        self.main_layout.setObjectName(u"main_layout")
        self.main_layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(ReflectionLog)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.left = QWidget(self.splitter)
        self.left.setObjectName(u"left")
        self.left_layout = QVBoxLayout(self.left)
        self.left_layout.setObjectName(u"left_layout")
        self.left_layout.setContentsMargins(0, 0, 0, 0)
        self.entries_caption = QLabel(self.left)
        self.entries_caption.setObjectName(u"entries_caption")

        self.left_layout.addWidget(self.entries_caption)

        self.entries = QListWidget(self.left)
        self.entries.setObjectName(u"entries")
        self.entries.setWordWrap(True)

        self.left_layout.addWidget(self.entries)

        self.left_layout.setStretch(1, 1)
        self.splitter.addWidget(self.left)
        self.right = QWidget(self.splitter)
        self.right.setObjectName(u"right")
        self.right_layout = QVBoxLayout(self.right)
        self.right_layout.setObjectName(u"right_layout")
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.worked_caption = QLabel(self.right)
        self.worked_caption.setObjectName(u"worked_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.worked_caption)

        self.worked = QPlainTextEdit(self.right)
        self.worked.setObjectName(u"worked")
        self.worked.setTabChangesFocus(True)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.worked)

        self.differently_caption = QLabel(self.right)
        self.differently_caption.setObjectName(u"differently_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.differently_caption)

        self.differently = QPlainTextEdit(self.right)
        self.differently.setObjectName(u"differently")
        self.differently.setTabChangesFocus(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.differently)

        self.learn_caption = QLabel(self.right)
        self.learn_caption.setObjectName(u"learn_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.learn_caption)

        self.learn = QPlainTextEdit(self.right)
        self.learn.setObjectName(u"learn")
        self.learn.setTabChangesFocus(True)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.learn)


        self.right_layout.addLayout(self.form)

        self.buttons = QHBoxLayout()
        self.buttons.setObjectName(u"buttons")
        self.new_button = QPushButton(self.right)
        self.new_button.setObjectName(u"new_button")
        self.new_button.setAutoDefault(False)

        self.buttons.addWidget(self.new_button)

        self.save_button = QPushButton(self.right)
        self.save_button.setObjectName(u"save_button")
        self.save_button.setAutoDefault(False)

        self.buttons.addWidget(self.save_button)

        self.delete_button = QPushButton(self.right)
        self.delete_button.setObjectName(u"delete_button")
        self.delete_button.setAutoDefault(False)

        self.buttons.addWidget(self.delete_button)

        self.buttons_space = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttons.addItem(self.buttons_space)

        self.buttons.setStretch(3, 1)

        self.right_layout.addLayout(self.buttons)

        self.status = ErrorLine(self.right)
        self.status.setObjectName(u"status")

        self.right_layout.addWidget(self.status)

        self.right_space = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.right_layout.addItem(self.right_space)

        self.right_layout.setStretch(3, 1)
        self.splitter.addWidget(self.right)

        self.main_layout.addWidget(self.splitter)

#if QT_CONFIG(shortcut)
        self.entries_caption.setBuddy(self.entries)
        self.worked_caption.setBuddy(self.worked)
        self.differently_caption.setBuddy(self.differently)
        self.learn_caption.setBuddy(self.learn)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ReflectionLog)
    # setupUi

    def retranslateUi(self, ReflectionLog):
        self.entries_caption.setText(tr(u"E&ntries", None))
        self.worked_caption.setText(tr(u"What &worked", None))
        self.worked.setPlaceholderText(tr(u"What went well in the conversations?", None))
        self.differently_caption.setText(tr(u"What I would do &differently", None))
        self.differently.setPlaceholderText(tr(u"What would you try another time?", None))
        self.learn_caption.setText(tr(u"What I want to &learn", None))
        self.learn.setPlaceholderText(tr(u"What do you want to know more about, or practise?", None))
        self.new_button.setText(tr(u"N&ew entry", None))
#if QT_CONFIG(accessibility)
        self.new_button.setAccessibleName(tr(u"New entry", None))
#endif // QT_CONFIG(accessibility)
        self.save_button.setText(tr(u"&Save entry", None))
#if QT_CONFIG(accessibility)
        self.save_button.setAccessibleName(tr(u"Save the entry", None))
#endif // QT_CONFIG(accessibility)
        self.delete_button.setText(tr(u"Dele&te entry", None))
#if QT_CONFIG(accessibility)
        self.delete_button.setAccessibleName(tr(u"Delete the entry", None))
#endif // QT_CONFIG(accessibility)
        pass
    # retranslateUi

