# generated from ui/case_fields.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QListWidget, QWidget

from counsellor_app.gui.forms import tr


class Ui_CaseFieldsPanel(object):
    def setupUi(self, CaseFieldsPanel):
        if not CaseFieldsPanel.objectName():
            CaseFieldsPanel.setObjectName(u"CaseFieldsPanel")
        self.form = QFormLayout(CaseFieldsPanel)
        self.form.setObjectName(u"form")
        self.channel_caption = QLabel(CaseFieldsPanel)
        self.channel_caption.setObjectName(u"channel_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.channel_caption)

        self.channel = QComboBox(CaseFieldsPanel)
        self.channel.setObjectName(u"channel")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.channel)

        self.caller_role_caption = QLabel(CaseFieldsPanel)
        self.caller_role_caption.setObjectName(u"caller_role_caption")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.caller_role_caption)

        self.caller_role = QComboBox(CaseFieldsPanel)
        self.caller_role.setObjectName(u"caller_role")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.caller_role)

        self.help_system_caption = QLabel(CaseFieldsPanel)
        self.help_system_caption.setObjectName(u"help_system_caption")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.help_system_caption)

        self.help_system = QComboBox(CaseFieldsPanel)
        self.help_system.setObjectName(u"help_system")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.help_system)

        self.known_by_caption = QLabel(CaseFieldsPanel)
        self.known_by_caption.setObjectName(u"known_by_caption")

        self.form.setWidget(3, QFormLayout.ItemRole.LabelRole, self.known_by_caption)

        self.known_by = QListWidget(CaseFieldsPanel)
        self.known_by.setObjectName(u"known_by")

        self.form.setWidget(3, QFormLayout.ItemRole.FieldRole, self.known_by)

        self.age_band_caption = QLabel(CaseFieldsPanel)
        self.age_band_caption.setObjectName(u"age_band_caption")

        self.form.setWidget(4, QFormLayout.ItemRole.LabelRole, self.age_band_caption)

        self.age_band = QComboBox(CaseFieldsPanel)
        self.age_band.setObjectName(u"age_band")

        self.form.setWidget(4, QFormLayout.ItemRole.FieldRole, self.age_band)

        self.gender_caption = QLabel(CaseFieldsPanel)
        self.gender_caption.setObjectName(u"gender_caption")

        self.form.setWidget(5, QFormLayout.ItemRole.LabelRole, self.gender_caption)

        self.gender = QComboBox(CaseFieldsPanel)
        self.gender.setObjectName(u"gender")

        self.form.setWidget(5, QFormLayout.ItemRole.FieldRole, self.gender)

        self.wellbeing_caption = QLabel(CaseFieldsPanel)
        self.wellbeing_caption.setObjectName(u"wellbeing_caption")

        self.form.setWidget(6, QFormLayout.ItemRole.LabelRole, self.wellbeing_caption)

        self.wellbeing = QComboBox(CaseFieldsPanel)
        self.wellbeing.setObjectName(u"wellbeing")

        self.form.setWidget(6, QFormLayout.ItemRole.FieldRole, self.wellbeing)

        self.themes_caption = QLabel(CaseFieldsPanel)
        self.themes_caption.setObjectName(u"themes_caption")

        self.form.setWidget(7, QFormLayout.ItemRole.LabelRole, self.themes_caption)

        self.themes = QListWidget(CaseFieldsPanel)
        self.themes.setObjectName(u"themes")

        self.form.setWidget(7, QFormLayout.ItemRole.FieldRole, self.themes)

        self.arenas_caption = QLabel(CaseFieldsPanel)
        self.arenas_caption.setObjectName(u"arenas_caption")

        self.form.setWidget(8, QFormLayout.ItemRole.LabelRole, self.arenas_caption)

        self.arenas = QListWidget(CaseFieldsPanel)
        self.arenas.setObjectName(u"arenas")

        self.form.setWidget(8, QFormLayout.ItemRole.FieldRole, self.arenas)

        self.arena_levels_caption = QLabel(CaseFieldsPanel)
        self.arena_levels_caption.setObjectName(u"arena_levels_caption")

        self.form.setWidget(9, QFormLayout.ItemRole.LabelRole, self.arena_levels_caption)

        self.arena_levels = QWidget(CaseFieldsPanel)
        self.arena_levels.setObjectName(u"arena_levels")
        self.arena_form = QFormLayout(self.arena_levels)
        self.arena_form.setObjectName(u"arena_form")
        self.arena_form.setContentsMargins(0, 0, 0, 0)

        self.form.setWidget(9, QFormLayout.ItemRole.FieldRole, self.arena_levels)

        self.protective_caption = QLabel(CaseFieldsPanel)
        self.protective_caption.setObjectName(u"protective_caption")

        self.form.setWidget(10, QFormLayout.ItemRole.LabelRole, self.protective_caption)

        self.protective = QListWidget(CaseFieldsPanel)
        self.protective.setObjectName(u"protective")

        self.form.setWidget(10, QFormLayout.ItemRole.FieldRole, self.protective)

        self.risks_caption = QLabel(CaseFieldsPanel)
        self.risks_caption.setObjectName(u"risks_caption")

        self.form.setWidget(11, QFormLayout.ItemRole.LabelRole, self.risks_caption)

        self.risks = QListWidget(CaseFieldsPanel)
        self.risks.setObjectName(u"risks")

        self.form.setWidget(11, QFormLayout.ItemRole.FieldRole, self.risks)

#if QT_CONFIG(shortcut)
        self.channel_caption.setBuddy(self.channel)
        self.caller_role_caption.setBuddy(self.caller_role)
        self.help_system_caption.setBuddy(self.help_system)
        self.known_by_caption.setBuddy(self.known_by)
        self.age_band_caption.setBuddy(self.age_band)
        self.gender_caption.setBuddy(self.gender)
        self.wellbeing_caption.setBuddy(self.wellbeing)
        self.themes_caption.setBuddy(self.themes)
        self.arenas_caption.setBuddy(self.arenas)
        self.arena_levels_caption.setBuddy(self.arena_levels)
        self.protective_caption.setBuddy(self.protective)
        self.risks_caption.setBuddy(self.risks)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(CaseFieldsPanel)
    # setupUi

    def retranslateUi(self, CaseFieldsPanel):
        self.channel_caption.setText(tr(u"Channe&l", None))
        self.caller_role_caption.setText(tr(u"C&aller", None))
        self.help_system_caption.setText(tr(u"Help s&ystem", None))
        self.known_by_caption.setText(tr(u"&Known by", None))
        self.age_band_caption.setText(tr(u"A&ge band", None))
        self.gender_caption.setText(tr(u"Gen&der", None))
        self.wellbeing_caption.setText(tr(u"&Wellbeing now", None))
        self.themes_caption.setText(tr(u"The&mes", None))
        self.arenas_caption.setText(tr(u"Ar&enas", None))
        self.arena_levels_caption.setText(tr(u"Wellbeing per arena", None))
        self.protective_caption.setText(tr(u"&Protective factors", None))
        self.risks_caption.setText(tr(u"R&isk factors", None))
        pass
    # retranslateUi

