"""The Review menu of the main window: review mode, and what a student or a mentor does
with reviews.

One menu, its items by the notebook's role:

* every notebook: **Review mode for this case** (Ctrl+R; the mentor beside the student,
  or anyone looking back at a case) and **Case study PDF of this case…**;
* a student's notebook: **Comments to answer** (Ctrl+T), **Reflection log for this
  case** (Ctrl+Shift+L), **Learning overview**, **Send this case to your mentor…**,
  **Import your mentor's comments…**;
* any other notebook (a mentor: an experienced counsellor or a supervisor, see
  :func:`counsellor_app.core.mentoring.is_mentor`): **Cases received for review**
  (Ctrl+Shift+M), **Import cases for review…**, **Your public key for students…**.

The windows it opens are dialogs of the main window, so they close (and forget the
case) when the app locks; they delete themselves when closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QWidget

from counsellor_app.core.domain import Role
from counsellor_app.core.i18n import _

if TYPE_CHECKING:  # the windows themselves load on first use: a faster start
    from counsellor_app.core.store import Notebook
    from counsellor_app.gui.learning import LearningWindow
    from counsellor_app.gui.review import ReviewWindow
    from counsellor_app.gui.review_files import (
        MentorKeyDialog,
        ReceivedCasesWindow,
        ReviewExportDialog,
        ReviewImportDialog,
    )


class MentoringMenu(QObject):
    """Fills ``menu`` and opens the review windows over ``window``.

    ``notebook()`` gives the open notebook (None while locked); ``current_case()`` the id
    of the case shown in the main window (None when none is).
    """

    def __init__(
        self,
        window: QWidget,
        menu: QMenu,
        notebook: Callable[[], Notebook | None],
        current_case: Callable[[], int | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.menu = menu
        self._notebook = notebook
        self._current_case = current_case
        #: Every action (for the window to enable and disable with the lock).
        self.actions: list[QAction] = []
        self.student_actions: list[QAction] = []
        self.mentor_actions: list[QAction] = []
        #: The windows open now, by kind (so a second request raises the first).
        self.windows: dict[str, QDialog] = {}

        def add(
            text: str,
            slot: Callable[[], object],
            keys: str = "",
            group: list[QAction] | None = None,
        ) -> QAction:
            action = QAction(text, window)
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False: slot())
            menu.addAction(action)
            self.actions.append(action)
            if group is not None:
                group.append(action)
            return action

        self.review_action = add(_("&Review mode for this case"), self.open_review_mode, "Ctrl+R")
        self.case_study_action = add(_("Case st&udy PDF of this case…"), self.save_case_study)
        self.student_separator = menu.addSeparator()
        add(_("&Comments to answer"), self.open_comments, "Ctrl+T", self.student_actions)
        add(
            _("Re&flection log for this case"),
            self.open_reflections,
            "Ctrl+Shift+L",
            self.student_actions,
        )
        add(_("&Learning overview"), self.open_overview, "", self.student_actions)
        add(_("&Send this case to your mentor…"), self.open_export, "", self.student_actions)
        add(_("&Import your mentor's comments…"), self.open_import, "", self.student_actions)
        self.mentor_separator = menu.addSeparator()
        add(
            _("Cases received for re&view"), self.open_received, "Ctrl+Shift+M", self.mentor_actions
        )
        add(_("&Import cases for review…"), self.open_import, "", self.mentor_actions)
        add(_("Your public &key for students…"), self.open_key, "", self.mentor_actions)
        self.set_notebook(None)

    # -------------------------------------------------------------- state

    def set_notebook(self, notebook: Notebook | None) -> None:
        """Show the items for the notebook's role (call on unlock and on lock)."""
        role = notebook.role if notebook is not None else None
        student = role is Role.STUDENT
        mentor = False
        if role is not None:  # the review files' code is not needed before an unlock
            from counsellor_app.core.mentoring import is_mentor

            mentor = is_mentor(role)
        for action in self.student_actions:
            action.setVisible(student)
        for action in self.mentor_actions:
            action.setVisible(mentor)
        self.student_separator.setVisible(student)
        self.mentor_separator.setVisible(mentor)

    def _ready(self, need_case: bool = False) -> tuple[Notebook, int | None] | None:
        notebook = self._notebook()
        if notebook is None:
            return None
        case_id = self._current_case()
        if need_case and case_id is None:
            self._tell(_("Choose a case in the list first."))
            return None
        return notebook, case_id

    def _tell(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Review"),
            text,
            QMessageBox.StandardButton.Ok,
            self._window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _show(self, kind: str, dialog: QDialog, *, modal: bool = False) -> QDialog:
        old = self.windows.pop(kind, None)
        if old is not None:
            old.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._forget(kind, dialog))
        self.windows[kind] = dialog
        if modal:
            dialog.open()
        else:
            dialog.show()
            _to_front(dialog)
        return dialog

    def _forget(self, kind: str, dialog: QDialog) -> None:
        if self.windows.get(kind) is dialog:
            del self.windows[kind]

    # -------------------------------------------------------------- every notebook

    def open_review_mode(self, case_id: int | None = None) -> ReviewWindow | None:
        """Review mode for the case shown (or ``case_id``)."""
        from counsellor_app.core.mentoring import Subject
        from counsellor_app.gui.review import ReviewWindow

        ready = self._ready(need_case=case_id is None)
        if ready is None:
            return None
        notebook, shown = ready
        window = ReviewWindow(notebook, Subject.own(case_id or shown or 0), self._window)
        self._show("review", window)
        return window

    def save_case_study(self) -> None:
        from counsellor_app.core.mentoring import Subject
        from counsellor_app.gui.review import save_case_study

        ready = self._ready(need_case=True)
        if ready is None:
            return
        notebook, case_id = ready
        # Named by the review reference, as in the PDF: never by the case code.
        save_case_study(self._window, notebook, Subject.own(case_id or 0))

    # -------------------------------------------------------------- a student

    def _learning(self, tab: int) -> LearningWindow | None:
        from counsellor_app.gui.learning import LearningWindow

        ready = self._ready()
        if ready is None:
            return None
        notebook, case_id = ready
        window = self.windows.get("learning")
        if not isinstance(window, LearningWindow):
            window = LearningWindow(notebook, case_id, self._window)
            window.open_case_requested.connect(self.open_review_mode)
            self._show("learning", window)
        elif case_id is not None:
            window.choose_case(case_id)
        window.show_tab(tab)
        _to_front(window)
        return window

    def open_comments(self) -> LearningWindow | None:
        from counsellor_app.gui.learning import LearningWindow

        return self._learning(LearningWindow.COMMENTS)

    def open_reflections(self) -> LearningWindow | None:
        if self._ready(need_case=True) is None:
            return None
        from counsellor_app.gui.learning import LearningWindow

        return self._learning(LearningWindow.REFLECTIONS)

    def open_overview(self) -> LearningWindow | None:
        from counsellor_app.gui.learning import LearningWindow

        return self._learning(LearningWindow.OVERVIEW)

    def open_export(self) -> ReviewExportDialog | None:
        from counsellor_app.gui.review_files import ReviewExportDialog

        ready = self._ready(need_case=True)
        if ready is None:
            return None
        notebook, case_id = ready
        dialog = ReviewExportDialog(notebook, case_id or 0, self._window)
        self._show("export", dialog)
        return dialog

    # -------------------------------------------------------------- both

    def open_import(self) -> ReviewImportDialog | None:
        from counsellor_app.gui.learning import LearningWindow
        from counsellor_app.gui.review_files import ReceivedCasesWindow, ReviewImportDialog

        ready = self._ready()
        if ready is None:
            return None
        dialog = ReviewImportDialog(ready[0], self._window)
        received = self.windows.get("received")
        if isinstance(received, ReceivedCasesWindow):
            dialog.imported.connect(lambda _count: received.reload())
        learning = self.windows.get("learning")
        if isinstance(learning, LearningWindow):
            dialog.imported.connect(lambda _count: learning.comments.reload())
        self._show("import", dialog, modal=True)
        return dialog

    # -------------------------------------------------------------- a mentor

    def open_received(self) -> ReceivedCasesWindow | None:
        from counsellor_app.gui.review_files import ReceivedCasesWindow

        ready = self._ready()
        if ready is None:
            return None
        window = ReceivedCasesWindow(ready[0], self._window)
        self._show("received", window)
        return window

    def open_key(self) -> MentorKeyDialog | None:
        from counsellor_app.gui.review_files import MentorKeyDialog

        ready = self._ready()
        if ready is None:
            return None
        dialog = MentorKeyDialog(ready[0], self._window)
        self._show("key", dialog, modal=True)
        return dialog


def _to_front(window: QWidget) -> None:
    """Bring a window already open to the front (where the platform can)."""
    if QGuiApplication.platformName() != "offscreen":  # it cannot, and says so
        window.raise_()
    window.activateWindow()


__all__ = ["MentoringMenu"]
