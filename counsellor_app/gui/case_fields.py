"""The structured fields of a case, set from the keyboard beside the notes of a call.

Each field has a mnemonic (Alt+letter) so the counsellor can set it without leaving the
keyboard; every change is stored at once (a one-row update: well under a millisecond).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from counsellor_app.core.domain import (
    OVERALL,
    AgeBand,
    CallerRole,
    Channel,
    Gender,
    HelpSystemActor,
    HelpSystemStatus,
    WellbeingLevel,
    label,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import Term, taxonomy
from counsellor_app.gui.forms.ui_case_fields import Ui_CaseFieldsPanel
from counsellor_app.gui.widgets import (
    enum_combo,
    fill_enum_combo,
    name_by_caption,
    optional_combo_value,
)

#: The entry of a field left unset.
UNSET = "—"


def _term_list(widget: QListWidget, terms: tuple[Term, ...], chosen: list[str]) -> QListWidget:
    """``widget`` listing ``terms`` with a check box each, ``chosen`` checked. A long
    label wraps to the list's width (a side panel on a laptop's screen), never scrolled
    sideways."""
    widget.setWordWrap(True)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    for term in terms:
        item = QListWidgetItem(term.label)
        item.setData(Qt.ItemDataRole.UserRole, term.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        checked = term.id in chosen
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _enum_list(
    widget: QListWidget, values: type[StrEnum], chosen: Sequence[StrEnum]
) -> QListWidget:
    return _term_list(
        widget,
        tuple(Term(value.value, label(value), label(value)) for value in values),
        [value.value for value in chosen],
    )


def _checked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(row).data(Qt.ItemDataRole.UserRole))
        for row in range(widget.count())
        if widget.item(row).checkState() == Qt.CheckState.Checked
    ]


class CaseFieldsPanel(QWidget):
    """Channel, caller, help system (and who knows the family), age band, gender, the
    wellbeing level at this contact (overall and per arena), themes, arenas, protective
    and risk factors. Space checks an item; Alt+letter jumps to a field."""

    def __init__(
        self, notebook: Notebook, case_id: int, conversation_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self._case = notebook.case(case_id)
        self._conversation_id = conversation_id
        case = self._case
        conversation = notebook.conversation(conversation_id)
        level = conversation.wellbeing.get(OVERALL)
        ui = self.ui = Ui_CaseFieldsPanel()
        ui.setupUi(self)
        self.channel = fill_enum_combo(ui.channel, Channel, conversation.channel)  # always one
        self.caller_role = fill_enum_combo(
            ui.caller_role, CallerRole, case.caller_role, empty=UNSET
        )
        self.help_system = fill_enum_combo(
            ui.help_system, HelpSystemStatus, case.help_system, empty=UNSET
        )
        self.age_band = fill_enum_combo(
            ui.age_band, AgeBand, case.age_band, text=lambda band: band.value, empty=UNSET
        )
        self.gender = fill_enum_combo(ui.gender, Gender, case.gender, empty=UNSET)
        self.known_by = _enum_list(ui.known_by, HelpSystemActor, case.known_by)
        self.wellbeing = fill_enum_combo(ui.wellbeing, WellbeingLevel, level, empty=UNSET)
        # One level per arena the counsellor has checked, for the trajectory per arena.
        self.arena_levels = ui.arena_levels
        self.arena_form = ui.arena_form
        self.arena_combos: dict[str, QComboBox] = {}
        tax = taxonomy()
        self.themes = _term_list(ui.themes, tax.themes, case.themes)
        self.arenas = _term_list(ui.arenas, tax.arenas, case.arenas)
        self.protective = _term_list(ui.protective, tax.protective_factors, case.protective_factors)
        self.risks = _term_list(ui.risks, tax.risk_factors, case.risk_factors)
        for small in (self.known_by, self.arenas, self.protective, self.risks):
            small.setMaximumHeight(small.sizeHintForRow(0) * small.count() + 6)
        self._form = ui.form
        for caption in (
            ui.channel_caption,
            ui.caller_role_caption,
            ui.help_system_caption,
            ui.known_by_caption,
            ui.age_band_caption,
            ui.gender_caption,
            ui.wellbeing_caption,
            ui.themes_caption,
            ui.arenas_caption,
            ui.arena_levels_caption,
            ui.protective_caption,
            ui.risks_caption,
        ):
            name_by_caption(caption)
        self._show_arena_levels(conversation.wellbeing)
        self.channel.currentIndexChanged.connect(self._store_channel)
        for combo in (self.caller_role, self.help_system, self.age_band, self.gender):
            combo.currentIndexChanged.connect(self._store_case)
        for checklist in (self.known_by, self.themes, self.arenas, self.protective, self.risks):
            checklist.itemChanged.connect(self._store_case)
        self.arenas.itemChanged.connect(lambda _item: self._show_arena_levels())
        self.wellbeing.currentIndexChanged.connect(self._store_wellbeing)

    def _store_case(self) -> None:
        case = self._case
        case.caller_role = optional_combo_value(self.caller_role, CallerRole)
        case.help_system = optional_combo_value(self.help_system, HelpSystemStatus)
        case.age_band = optional_combo_value(self.age_band, AgeBand)
        case.gender = optional_combo_value(self.gender, Gender)
        case.known_by = [HelpSystemActor(actor) for actor in _checked(self.known_by)]
        case.themes = _checked(self.themes)
        case.arenas = _checked(self.arenas)
        case.protective_factors = _checked(self.protective)
        case.risk_factors = _checked(self.risks)
        self._notebook.update_case(case)

    def _store_wellbeing(self) -> None:
        level = optional_combo_value(self.wellbeing, WellbeingLevel)
        self._notebook.set_wellbeing(self._conversation_id, OVERALL, level)

    def _show_arena_levels(self, levels: dict[str, WellbeingLevel] | None = None) -> None:
        """A level combo for each checked arena (kept for arenas still checked)."""
        if levels is None:
            levels = self._notebook.conversation(self._conversation_id).wellbeing
        tax = taxonomy()
        while self.arena_form.rowCount():
            self.arena_form.removeRow(0)
        self.arena_combos = {}
        for arena in _checked(self.arenas):
            combo = enum_combo(WellbeingLevel, levels.get(arena), empty=UNSET)
            name = tax.label("arenas", arena)
            combo.setAccessibleName(_("Wellbeing in {arena}").format(arena=name))
            combo.currentIndexChanged.connect(
                lambda _index, arena=arena: self._store_arena_level(arena)
            )
            self.arena_form.addRow(name, combo)
            self.arena_combos[arena] = combo
        self.arena_levels.setVisible(bool(self.arena_combos))
        caption = self._form.labelForField(self.arena_levels)
        if caption is not None:
            caption.setVisible(bool(self.arena_combos))

    def _store_arena_level(self, arena: str) -> None:
        level = optional_combo_value(self.arena_combos[arena], WellbeingLevel)
        self._notebook.set_wellbeing(self._conversation_id, arena, level)

    def _store_channel(self) -> None:
        self._notebook.set_channel(self._conversation_id, Channel(self.channel.currentData()))
