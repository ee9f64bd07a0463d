# generated from ui/research_export.ui by scripts/forms.py; do not edit
# ruff: noqa

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

from counsellor_app.gui.widgets import ErrorLine

from counsellor_app.gui.forms import tr


class Ui_ResearchExportDialog(object):
    def setupUi(self, ResearchExportDialog):
        if not ResearchExportDialog.objectName():
            ResearchExportDialog.setObjectName(u"ResearchExportDialog")
        self.main_layout = QVBoxLayout(ResearchExportDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro = QLabel(ResearchExportDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.main_layout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.k_caption = QLabel(ResearchExportDialog)
        self.k_caption.setObjectName(u"k_caption")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.k_caption)

        self.k = QSpinBox(ResearchExportDialog)
        self.k.setObjectName(u"k")
        self.k.setMinimum(2)
        self.k.setMaximum(100)
        self.k.setValue(5)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.k)

        self.l_diversity = QCheckBox(ResearchExportDialog)
        self.l_diversity.setObjectName(u"l_diversity")
        self.l_diversity.setChecked(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.l_diversity)


        self.main_layout.addLayout(self.form)

        self.status = ErrorLine(ResearchExportDialog)
        self.status.setObjectName(u"status")

        self.main_layout.addWidget(self.status)

        self.buttons = QDialogButtonBox(ResearchExportDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.main_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.k_caption.setBuddy(self.k)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ResearchExportDialog)
        self.buttons.rejected.connect(ResearchExportDialog.reject)
    # setupUi

    def retranslateUi(self, ResearchExportDialog):
        ResearchExportDialog.setWindowTitle(tr(u"Research export", None))
        self.intro.setText(tr(u"Two files that cannot be joined: one row per imported case, and one row per conversation without any link to its case. Structured fields only, generalised until every combination of period, region, age band, gender and caller covers at least k cases. Codebooks in Danish and English, a data package and a README describe every column and what was generalised or left out.", None))
        self.k_caption.setText(tr(u"&k (smallest group of cases)", None))
#if QT_CONFIG(accessibility)
        self.k.setAccessibleName(tr(u"k: the smallest number of cases in any group", None))
#endif // QT_CONFIG(accessibility)
        self.l_diversity.setText(tr(u"&l-diversity: no group where every case shares a concern, self-harm or violence", None))
#if QT_CONFIG(accessibility)
        self.l_diversity.setAccessibleName(tr(u"l-diversity: generalise or leave out a group in which every case shares a concern, self-harm or violence", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

