"""The structured fields of a case, set from the keyboard beside the notes of a call.

Each field has a mnemonic (Alt+letter) so the counsellor can set it without leaving the
keyboard; every change is stored at once (a one-row update: well under a millisecond).
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from counsellor_app.core.domain import (
    OVERALL,
    AgeBand,
    CallerRole,
    Gender,
    HelpSystemStatus,
    WellbeingLevel,
    label,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import Term, taxonomy


def _enum_combo(values: type[StrEnum], current: StrEnum | None, text=label) -> QComboBox:  # type: ignore[no-untyped-def]
    combo = QComboBox()
    combo.addItem("—", "")
    for value in values:
        combo.addItem(text(value), value.value)
    combo.setCurrentIndex(max(0, combo.findData(current.value if current else "")))
    return combo


def _term_list(terms: tuple[Term, ...], chosen: list[str]) -> QListWidget:
    widget = QListWidget()
    for term in terms:
        item = QListWidgetItem(term.label)
        item.setData(Qt.ItemDataRole.UserRole, term.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        checked = term.id in chosen
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    ]


class CaseFieldsPanel(QWidget):
    """Caller, help system, age band, gender, the overall wellbeing level at this contact,
    themes, arenas, protective and risk factors. Space checks an item; Alt+letter jumps
    to a field."""

    def __init__(
        self, notebook: Notebook, case_id: int, conversation_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case = notebook.case(case_id)
        self._conversation_id = conversation_id
        case = self._case
        level = notebook.conversation(conversation_id).wellbeing.get(OVERALL)
        self.caller_role = _enum_combo(CallerRole, case.caller_role)
        self.help_system = _enum_combo(HelpSystemStatus, case.help_system)
        self.age_band = _enum_combo(AgeBand, case.age_band, text=lambda band: band.value)
        self.gender = _enum_combo(Gender, case.gender)
        self.wellbeing = _enum_combo(WellbeingLevel, level)
        tax = taxonomy()
        self.themes = _term_list(tax.themes, case.themes)
        self.arenas = _term_list(tax.arenas, case.arenas)
        self.protective = _term_list(tax.protective_factors, case.protective_factors)
        self.risks = _term_list(tax.risk_factors, case.risk_factors)
        for small in (self.arenas, self.protective, self.risks):
            small.setMaximumHeight(small.sizeHintForRow(0) * small.count() + 6)
        form = QFormLayout(self)
        rows = [
            (_("C&aller"), self.caller_role),
            (_("&Help system"), self.help_system),
            (_("A&ge band"), self.age_band),
            (_("Gen&der"), self.gender),
            (_("&Wellbeing now"), self.wellbeing),
            (_("T&hemes"), self.themes),
            (_("A&renas"), self.arenas),
            (_("&Protective factors"), self.protective),
            (_("R&isk factors"), self.risks),
        ]
        for text, widget in rows:
            caption = QLabel(text)
            caption.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(caption, widget)
        for combo in (self.caller_role, self.help_system, self.age_band, self.gender):
            combo.currentIndexChanged.connect(self._store_case)
        for checklist in (self.themes, self.arenas, self.protective, self.risks):
            checklist.itemChanged.connect(self._store_case)
        self.wellbeing.currentIndexChanged.connect(self._store_wellbeing)

    def _store_case(self) -> None:
        def value(combo: QComboBox, kind: type[StrEnum]) -> StrEnum | None:
            data = combo.currentData()
            return kind(data) if data else None

        case = self._case
        case.caller_role = value(self.caller_role, CallerRole)  # type: ignore[assignment]
        case.help_system = value(self.help_system, HelpSystemStatus)  # type: ignore[assignment]
        case.age_band = value(self.age_band, AgeBand)  # type: ignore[assignment]
        case.gender = value(self.gender, Gender)  # type: ignore[assignment]
        case.themes = _checked(self.themes)
        case.arenas = _checked(self.arenas)
        case.protective_factors = _checked(self.protective)
        case.risk_factors = _checked(self.risks)
        self._notebook.update_case(case)

    def _store_wellbeing(self) -> None:
        data = self.wellbeing.currentData()
        level = WellbeingLevel(data) if data else None
        self._notebook.set_wellbeing(self._conversation_id, OVERALL, level)
