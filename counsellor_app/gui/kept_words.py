"""The words a notebook keeps as "not an identifier", listed, and forgotten one by one.

A counsellor marks a word in a note with Ctrl+Alt+I (:mod:`counsellor_app.gui.guard`);
this dialog (Notebook menu) shows what was marked and forgets a word again
(:func:`counsellor_app.core.kept_words.forget_word`), so the guard underlines it and the
gate replaces it once more. The notebook is written on the task runner's notebook lane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from counsellor_app.core.i18n import _
from counsellor_app.core.kept_words import forget_word, kept_words
from counsellor_app.core.store import Notebook
from counsellor_app.gui.forms import settle
from counsellor_app.gui.forms.ui_kept_words import Ui_KeptWordsDialog
from counsellor_app.gui.guard import publish_kept
from counsellor_app.gui.tasks import Lane, Task, TaskRunner
from counsellor_app.gui.widgets import FittingDialog, names_buddy


class KeptWordsDialog(FittingDialog):
    """The kept words of ``notebook``, with Forget (Delete on the list does it too)."""

    #: The words kept now, after one was forgotten (the open notes follow them).
    changed = Signal(frozenset)

    def __init__(self, notebook: Notebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notebook = notebook
        self.ui = Ui_KeptWordsDialog()
        self.ui.setupUi(self)
        self._tasks = TaskRunner(self, Lane.NOTEBOOK)
        self.words = self.ui.words
        self.forget_button = self.ui.forget_button
        self.status_label = self.ui.status_label
        names_buddy(self.ui.words_caption)
        self.words.currentRowChanged.connect(lambda _row: self._update_button())
        self.forget_button.clicked.connect(self.forget_selected)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.words)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.forget_selected)
        settle(self)
        self.show_words(kept_words(notebook))  # one meta read
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.words.setFocus()

    def show_words(self, words: frozenset[str]) -> None:
        """List ``words`` (sorted), the first chosen."""
        self.words.clear()
        self.words.addItems(sorted(words))
        if self.words.count():
            self.words.setCurrentRow(0)
        else:
            self.status_label.say(_("This notebook keeps no word as no identifier."))
        self._update_button()

    def _update_button(self) -> None:
        self.forget_button.setEnabled(self.words.currentItem() is not None)

    def forget_selected(self) -> None:
        """Forget the chosen word (off the UI thread); the list and the notes follow."""
        item = self.words.currentItem()
        if item is None or self._tasks.busy():
            return
        word = item.text()
        notebook = self._notebook

        def forget(_task: Task[frozenset[str]]) -> frozenset[str]:
            return forget_word(notebook, word)

        def forgotten(words: frozenset[str]) -> None:
            row = self.words.currentRow()
            self.show_words(words)
            if self.words.count():
                self.words.setCurrentRow(min(row, self.words.count() - 1))
            self.status_label.say(_("“{word}” is underlined and replaced again.").format(word=word))
            publish_kept(notebook, words)  # every open note underlines the word again
            self.changed.emit(words)

        self._tasks.run(forget, success=forgotten, failure=self.status_label.show_error)
