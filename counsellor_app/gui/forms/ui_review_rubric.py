# generated from ui/review_rubric.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_RubricDialog(object):
    def setupUi(self, RubricDialog):
        if not RubricDialog.objectName():
            RubricDialog.setObjectName(u"RubricDialog")
        self.main_layout = QVBoxLayout(RubricDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(RubricDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.grid = QGridLayout()
        self.grid.setObjectName(u"grid")
        self.step_heading = QLabel(RubricDialog)
        self.step_heading.setObjectName(u"step_heading")

        self.grid.addWidget(self.step_heading, 0, 0, 1, 1)

        self.level_heading = QLabel(RubricDialog)
        self.level_heading.setObjectName(u"level_heading")

        self.grid.addWidget(self.level_heading, 0, 1, 1, 1)

        self.note_heading = QLabel(RubricDialog)
        self.note_heading.setObjectName(u"note_heading")

        self.grid.addWidget(self.note_heading, 0, 2, 1, 1)

        self.listen_caption = QLabel(RubricDialog)
        self.listen_caption.setObjectName(u"listen_caption")

        self.grid.addWidget(self.listen_caption, 1, 0, 1, 1)

        self.listen_level = QComboBox(RubricDialog)
        self.listen_level.setObjectName(u"listen_level")

        self.grid.addWidget(self.listen_level, 1, 1, 1, 1)

        self.listen_note = QLineEdit(RubricDialog)
        self.listen_note.setObjectName(u"listen_note")

        self.grid.addWidget(self.listen_note, 1, 2, 1, 1)

        self.advise_caption = QLabel(RubricDialog)
        self.advise_caption.setObjectName(u"advise_caption")

        self.grid.addWidget(self.advise_caption, 2, 0, 1, 1)

        self.advise_level = QComboBox(RubricDialog)
        self.advise_level.setObjectName(u"advise_level")

        self.grid.addWidget(self.advise_level, 2, 1, 1, 1)

        self.advise_note = QLineEdit(RubricDialog)
        self.advise_note.setObjectName(u"advise_note")

        self.grid.addWidget(self.advise_note, 2, 2, 1, 1)

        self.alliances_caption = QLabel(RubricDialog)
        self.alliances_caption.setObjectName(u"alliances_caption")

        self.grid.addWidget(self.alliances_caption, 3, 0, 1, 1)

        self.alliances_level = QComboBox(RubricDialog)
        self.alliances_level.setObjectName(u"alliances_level")

        self.grid.addWidget(self.alliances_level, 3, 1, 1, 1)

        self.alliances_note = QLineEdit(RubricDialog)
        self.alliances_note.setObjectName(u"alliances_note")

        self.grid.addWidget(self.alliances_note, 3, 2, 1, 1)

        self.follow_up_caption = QLabel(RubricDialog)
        self.follow_up_caption.setObjectName(u"follow_up_caption")

        self.grid.addWidget(self.follow_up_caption, 4, 0, 1, 1)

        self.follow_up_level = QComboBox(RubricDialog)
        self.follow_up_level.setObjectName(u"follow_up_level")

        self.grid.addWidget(self.follow_up_level, 4, 1, 1, 1)

        self.follow_up_note = QLineEdit(RubricDialog)
        self.follow_up_note.setObjectName(u"follow_up_note")

        self.grid.addWidget(self.follow_up_note, 4, 2, 1, 1)

        self.initials_caption = QLabel(RubricDialog)
        self.initials_caption.setObjectName(u"initials_caption")

        self.grid.addWidget(self.initials_caption, 5, 0, 1, 1)

        self.initials = QLineEdit(RubricDialog)
        self.initials.setObjectName(u"initials")

        self.grid.addWidget(self.initials, 5, 1, 1, 2)


        self.main_layout.addLayout(self.grid)

        self.error = ErrorLine(RubricDialog)
        self.error.setObjectName(u"error")

        self.main_layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(RubricDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.listen_caption.setBuddy(self.listen_level)
        self.advise_caption.setBuddy(self.advise_level)
        self.alliances_caption.setBuddy(self.alliances_level)
        self.follow_up_caption.setBuddy(self.follow_up_level)
        self.initials_caption.setBuddy(self.initials)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(RubricDialog)
    # setupUi

    def retranslateUi(self, RubricDialog):
        RubricDialog.setWindowTitle(tr(u"Rubric", None))
        self.intro.setText(tr(u"How did the student do in each step of this contact? Choose a level and, if you like, add a short note. The rubric goes back to the student with your comments, and the student's learning overview shows it over time.", None))
        self.step_heading.setText(tr(u"Step", None))
        self.level_heading.setText(tr(u"Level", None))
        self.note_heading.setText(tr(u"Note", None))
        self.listen_caption.setText(tr(u"&Listened", None))
        self.listen_note.setPlaceholderText(tr(u"A short note (optional)", None))
        self.advise_caption.setText(tr(u"A&dvised", None))
        self.advise_note.setPlaceholderText(tr(u"A short note (optional)", None))
        self.alliances_caption.setText(tr(u"&Built alliances", None))
        self.alliances_note.setPlaceholderText(tr(u"A short note (optional)", None))
        self.follow_up_caption.setText(tr(u"Agreed &follow-up", None))
        self.follow_up_note.setPlaceholderText(tr(u"A short note (optional)", None))
        self.initials_caption.setText(tr(u"Mentor's &initials or pseudonym", None))
#if QT_CONFIG(accessibility)
        self.initials.setAccessibleName(tr(u"Mentor's initials or pseudonym", None))
#endif // QT_CONFIG(accessibility)
        self.initials.setPlaceholderText(tr(u"For example: MK", None))
    # retranslateUi

