"""Small widgets and helpers shared by the windows and dialogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QStandardPaths, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from counsellor_app.core.domain import label
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _, format_locale

if TYPE_CHECKING:  # built by PySide on first use, which the unlock window does not make
    from PySide6.QtWidgets import QTreeWidget

E = TypeVar("E", bound=StrEnum)


def show_error(parent: QWidget, error: UserError) -> None:
    """Tell the user what went wrong, in a message box."""
    QMessageBox.warning(parent, _("Counsellor's Notebook"), str(error))


def form_caption(text: str, buddy: QWidget) -> QLabel:
    """A form caption with a mnemonic that moves focus to ``buddy``, which it also names."""
    widget = QLabel(text)
    widget.setBuddy(buddy)
    buddy.setAccessibleName(text.replace("&", ""))
    return widget


def plain_editor(accessible: str, placeholder: str = "") -> QPlainTextEdit:
    """A plain-text note field where Tab moves on, as in a form."""
    editor = QPlainTextEdit()
    editor.setAccessibleName(accessible)
    editor.setPlaceholderText(placeholder)
    editor.setTabChangesFocus(True)
    return editor


def note_editor(accessible: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    """A short note field of about ``lines`` lines (Tab moves on, as in a form)."""
    return note_height(plain_editor(accessible, placeholder), lines)


def note_height(editor: QPlainTextEdit, lines: int = 3) -> QPlainTextEdit:
    """Make ``editor`` (from a form, or :func:`note_editor`) about ``lines`` lines tall."""
    line = editor.fontMetrics().lineSpacing()
    margins = 2 * (editor.frameWidth() + int(editor.document().documentMargin())) + 4
    editor.setMinimumHeight(line * lines + margins)
    editor.setMaximumHeight(line * (lines + 2) + margins)
    return editor


def enum_combo(
    values: type[E],
    current: E | None = None,
    *,
    empty: str | None = None,
    text: Callable[[E], str] = label,
) -> QComboBox:
    """A choice of ``values`` (each named by ``text``), ``current`` chosen; with a first
    entry ``empty`` (whose data is "") when the field may be left unset."""
    return fill_enum_combo(QComboBox(), values, current, empty=empty, text=text)


def fill_enum_combo(
    combo: QComboBox,
    values: type[E],
    current: E | None = None,
    *,
    empty: str | None = None,
    text: Callable[[E], str] = label,
) -> QComboBox:
    """Fill ``combo`` (from a form, or :func:`enum_combo`) as :func:`enum_combo` does."""
    if empty is not None:
        combo.addItem(empty, "")
    for value in values:
        combo.addItem(text(value), value.value)
    select_data(combo, current)
    return combo


def select_data(combo: QComboBox, value: StrEnum | None) -> None:
    """Choose ``value`` in a combo of :func:`enum_combo` (the empty entry for None)."""
    combo.setCurrentIndex(max(0, combo.findData(value.value if value is not None else "")))


def combo_value(combo: QComboBox, kind: type[E]) -> E:
    """The enum chosen in ``combo`` (Qt hands a StrEnum's data back as a plain str)."""
    return kind(combo.currentData())


def optional_combo_value(combo: QComboBox, kind: type[E]) -> E | None:
    """The enum chosen in ``combo``, or None when its empty entry is chosen."""
    data = combo.currentData()
    return kind(data) if data else None


def fit_tree_height(tree: QTreeWidget) -> None:
    """Make a short list as tall as its rows (two to six), plus a scroll bar if needed."""
    rows = min(max(tree.topLevelItemCount(), 2), 6)
    row = max(tree.sizeHintForRow(0), tree.fontMetrics().lineSpacing() + 6)
    height = tree.header().sizeHint().height() + rows * row + 2 * tree.frameWidth() + 4
    if tree.header().length() > tree.width() - 2 * tree.frameWidth():
        height += tree.horizontalScrollBar().sizeHint().height()
    if tree.height() != height:
        tree.setFixedHeight(height)


def fit_columns(tree: QTreeWidget) -> None:
    """Share the list's width among its columns so that nothing scrolls sideways and no
    heading is cut (a laptop at 1366×768, a side panel): each column gets at least its
    heading, a short column all it needs, and the long ones share the rest. A cell that is
    still too long is elided; its tooltip has it whole."""
    header = tree.header()
    count = header.count()
    available = tree.viewport().width()
    if count == 0 or available <= 0:
        return
    headings = [header.sectionSizeHint(column) for column in range(count)]
    natural = [max(headings[c], tree.sizeHintForColumn(c)) for c in range(count)]
    # Fair shares, narrowest first: a date or a status keeps its width whole, and the
    # long texts split what is left (never below their heading).
    widths = list(natural)
    remaining = available
    by_need = sorted(range(count), key=natural.__getitem__)
    for done, column in enumerate(by_need):
        share = remaining // (count - done)
        later_headings = sum(headings[c] for c in by_need[done + 1 :])
        width = min(natural[column], share, remaining - later_headings)
        widths[column] = max(headings[column], width)
        remaining -= widths[column]
    for column, width in enumerate(widths[:-1]):
        header.resizeSection(column, width)
    header.setStretchLastSection(True)
    for row in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(row)
        if item is not None:
            for column in range(count):
                item.setToolTip(column, item.text(column))


def plain_button(text: str, accessible: str) -> QPushButton:
    """A button that Enter in a field does not press."""
    made = QPushButton(text)
    made.setAccessibleName(accessible)
    made.setAutoDefault(False)
    return made


def is_dark(widget: QWidget) -> bool:
    """Whether ``widget`` is drawn on a dark background (the system's dark mode)."""
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


def mix_colours(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1, clamped) of the way towards ``b``."""
    amount = min(1.0, max(0.0, amount))
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def error_colour(widget: QWidget) -> str:
    """Red that reads on ``widget``'s background: a light red on dark, a deep red on light
    (both above 7:1 contrast)."""
    return "#ff8a80" if is_dark(widget) else "#b00020"


class ErrorLine(QLabel):
    """The one line under a form for a sentence to the user: word-wrapped, selectable,
    hidden while empty; an error is drawn in :func:`error_colour` (re-chosen when the
    palette turns light or dark), other sentences (progress, "saved") in the text colour.
    In a dialog, the dialog grows to the wrapped sentence (see :func:`fit_height`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error = False
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def say(self, text: str, *, error: bool = False) -> None:
        """Show ``text`` (hidden when empty); in the error colour when ``error``."""
        self._error = error and bool(text)
        self._restyle()
        self.setText(text)  # a label's text is what a screen reader reads of it
        self.setVisible(bool(text))
        window = self.window()
        if isinstance(window, QDialog):
            fit_height(window)

    def show_error(self, text: str) -> None:
        """Show ``text`` as an error (hidden when empty)."""
        self.say(text, error=True)

    def clear(self) -> None:
        """No sentence: the line is hidden."""
        self.say("")

    def is_error(self) -> bool:
        return self._error

    def colour(self) -> QColor:
        """The colour the sentence is drawn in."""
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _restyle(self) -> None:
        # The palette, not a style sheet: a style sheet would fix the label's palette, so
        # a change to dark mode would no longer reach it.
        parent = self.parentWidget()
        inherited = parent.palette() if parent is not None else QGuiApplication.palette()
        if self._error:
            wanted = QColor(error_colour(self))
        else:
            wanted = inherited.color(QPalette.ColorRole.WindowText)
        if self.palette().color(QPalette.ColorRole.WindowText) != wanted:
            palette = QPalette(self.palette())
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()


def fit_height(dialog: QDialog) -> None:
    """Keep ``dialog`` tall enough for its wrapped sentences at its width (a dialog does
    not follow its layout's height-for-width by itself, so they would be clipped, most
    visibly at 200 % scaling)."""
    layout = dialog.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width())
    if needed != dialog.minimumHeight():
        dialog.setMinimumHeight(needed)
    if dialog.height() < needed:
        dialog.resize(dialog.width(), needed)


class FittingDialog(QDialog):
    """A dialog that keeps tall enough for its wrapped sentences (see :func:`fit_height`)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_height(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def ask_yes(parent: QWidget, title: str, question: str) -> bool:
    """Ask ``question`` with Yes and No; True only for an explicit Yes (No is the
    default, as for accepting a key or withdrawing data)."""
    answer = QMessageBox.question(
        parent,
        title,
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def set_dates_quietly(*shown: tuple[QDateEdit, date]) -> None:
    """Show each day in its date field without signalling a change, so that the caller
    refreshes once for all of them rather than once a field."""
    for edit, day in shown:
        edit.blockSignals(True)
        edit.setDate(qdate(day))
        edit.blockSignals(False)


def date_edit(day: date) -> QDateEdit:
    """A date field with a calendar, written as the user's language writes dates."""
    return show_dates(QDateEdit(), day)


class _TabLeaves(QObject):
    """Tab and Shift+Tab leave a date field (Qt's own moves between day, month and year,
    so the keyboard never gets past the field; the arrow keys still do that)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QDateEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            back = event.key() == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            # From the first or the last section Qt's own Tab leaves the field.
            watched.setCurrentSectionIndex(0 if back else watched.sectionCount() - 1)
        return False


def risk_label() -> QLabel:
    """The mark of a case with signs of serious risk (hidden until shown): bold, in a red
    that reads on a light and on a dark background."""
    text = _("Signs of serious risk recorded")
    mark = QLabel("⚠ " + text)
    mark.setAccessibleName(text)
    dark = QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    mark.setStyleSheet(f"color: {'#ff8a80' if dark else '#b00020'}; font-weight: bold;")
    mark.hide()
    return mark


class _EnterApplies(QObject):
    """Enter in a field applies what was typed (the callback) and goes no further: a
    dialog would otherwise press its default button, which closed the window."""

    def __init__(self, parent: QAbstractSpinBox, apply: Callable[[], object]) -> None:
        super().__init__(parent)
        self._apply = apply

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QAbstractSpinBox)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            watched.interpretText()  # the day typed, before it is applied
            self._apply()
            return True
        return False


def apply_on_enter(edit: QAbstractSpinBox, apply: Callable[[], object]) -> None:
    """Enter in ``edit`` (a date field) calls ``apply`` and never reaches the dialog."""
    edit.installEventFilter(_EnterApplies(edit, apply))


def show_dates(edit: QDateEdit, day: date) -> QDateEdit:
    """Make ``edit`` (made in code or by a form) a date field at ``day`` with a calendar,
    written as the user's language writes dates; Tab leaves it."""
    edit.installEventFilter(_TabLeaves(edit))
    edit.setDate(qdate(day))
    edit.setCalendarPopup(True)
    locale = QLocale(format_locale())
    edit.setLocale(locale)
    edit.setDisplayFormat(locale.dateFormat(QLocale.FormatType.ShortFormat))
    edit.setMinimumDate(QDate(2000, 1, 1))
    return edit


def caption(text: str, buddy: QWidget) -> QLabel:
    """A caption with a mnemonic that moves focus to ``buddy``, which it also names."""
    return names_buddy(form_caption(text, buddy))


def name_by_caption(widget: QLabel) -> QLabel:
    """A form's caption names its buddy for screen readers, as :func:`form_caption` does."""
    buddy = widget.buddy()
    if buddy is not None:
        buddy.setAccessibleName(widget.text().replace("&", ""))
    return widget


def names_buddy(widget: QLabel) -> QLabel:
    """A caption with a buddy (from a form, or :func:`caption`): it names its buddy for
    screen readers, and is wide enough for its text."""
    plain = name_by_caption(widget).text().replace("&", "")
    # Qt measures a mnemonic label a hair too narrow for some words ("To" drew as "Tc").
    widget.setMinimumWidth(widget.fontMetrics().horizontalAdvance(plain) + 2)
    return widget


def button(text: str, slot: Callable[[], Any], accessible: str = "") -> QPushButton:
    made = plain_button(text, accessible or text.replace("&", "").replace("…", ""))
    made.clicked.connect(slot)
    return made


def documents_folder() -> Path:
    """Where a file dialog starts: the user's Documents folder, or the home folder when
    there is none (a dialog given a folder that does not exist would open in the
    program's current folder instead)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def start_folder(preferred: Path | None = None) -> Path:
    """``preferred`` when it is an existing folder, else :func:`documents_folder`."""
    return preferred if preferred is not None and preferred.is_dir() else documents_folder()


def with_suffix(path: Path | str, suffix: str) -> Path:
    """``path`` with ``suffix`` added when it does not end in it already."""
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def choose_save_path(parent: QWidget, title: str, name: str, file_filter: str) -> Path | None:
    """Ask where to save a file (offering ``name`` in the documents folder), or None."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, title, str(documents_folder() / name), file_filter
    )
    return Path(chosen) if chosen else None


#: The keys that save a dialog from any of its fields (Enter is the keypad's Return).
SAVE_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def save_cancel_buttons(dialog: QDialog, save: Callable[[], Any]) -> QDialogButtonBox:
    """Save (which runs ``save``) and Cancel (which rejects ``dialog``), made in code; see
    :func:`connect_save_cancel`."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    return connect_save_cancel(dialog, buttons, save)


def connect_save_cancel(
    dialog: QDialog, buttons: QDialogButtonBox, save: Callable[[], Any]
) -> QDialogButtonBox:
    """Make ``buttons`` (Save and Cancel, from a form or :func:`save_cancel_buttons`) run
    ``save`` and reject ``dialog``.

    Ctrl+Return (and Ctrl+Enter) save from anywhere in the dialog, even from a note field
    where Return starts a new line. When the dialog is shown, Save gets an Alt key (its
    first letter) unless another label or button of the dialog already uses that key."""
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    for keys in SAVE_KEYS:
        QShortcut(QKeySequence(keys), dialog, save)
    save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    _SaveMnemonic(dialog, save_button)
    return buttons


def mnemonic_key(text: str) -> str:
    """The Alt key of a caption (``"&Save"`` -> ``"s"``), or "" when it has none."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else ""


class _SaveMnemonic(QObject):
    """Gives a dialog's Save button an Alt key when the dialog is first shown (by then its
    captions are all there, and a dialog may have renamed the button, e.g. "Sign &off")."""

    def __init__(self, dialog: QDialog, save_button: QPushButton) -> None:
        super().__init__(dialog)
        self._dialog = dialog
        self._button = save_button
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._dialog and event.type() == QEvent.Type.Show:
            self._dialog.removeEventFilter(self)
            self._give_key()
        return False

    def _give_key(self) -> None:
        text = self._button.text()
        if not text or mnemonic_key(text):
            return  # no text yet, or the dialog gave the button its own key
        taken = {
            mnemonic_key(widget.text())
            for widget in self._dialog.findChildren(QWidget)
            if widget is not self._button
            and (
                isinstance(widget, QAbstractButton)
                or (isinstance(widget, QLabel) and widget.buddy() is not None)
            )
        }
        if text[0].isalnum() and text[0].lower() not in taken:
            self._button.setText("&" + text)
