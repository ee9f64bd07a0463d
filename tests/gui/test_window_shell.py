"""The window around the notes: locking with the screen, menus and shortcuts, filters,
switching language and Qt's own texts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import OVERALL, CaseStatus, Step, WellbeingLevel
from counsellor_app.core.i18n import current_language, set_language
from counsellor_app.core.store import Notebook
from counsellor_app.gui.app import install_qt_translator
from counsellor_app.gui.session import (
    PBT_APMSUSPEND,
    SLEEP_GAP_SECONDS,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SessionWatcher,
    windows_lock_reason,
)
from tests.gui.helpers import unlocked_window


def test_a_jump_of_the_clock_means_the_computer_slept(qtbot: QtBot) -> None:
    now = [1000.0]
    watcher = SessionWatcher(clock=lambda: now[0])
    reasons: list[str] = []
    watcher.lock_requested.connect(reasons.append)
    now[0] += 5
    watcher.beat()
    assert reasons == []
    now[0] += SLEEP_GAP_SECONDS + 1
    watcher.beat()
    assert reasons == ["sleep"]
    watcher.on_sleep_or_screensaver(False)  # waking / screen saver off: nothing to do
    watcher.on_sleep_or_screensaver(True)
    assert reasons == ["sleep", "screen-locked"]


def test_windows_session_messages() -> None:
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) == "screen-locked"
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, 0x8) is None  # unlock
    assert windows_lock_reason(WM_POWERBROADCAST, PBT_APMSUSPEND) == "sleep"
    assert windows_lock_reason(WM_POWERBROADCAST, 0x12) is None  # resume
    assert windows_lock_reason(0x0100, WTS_SESSION_LOCK) is None


def test_the_screen_locking_locks_the_notebook_and_keeps_the_text(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    qtbot.keyClicks(page.editor.editors[Step.LISTEN], "Skrevet lige før skærmen låste.")
    window.session_watcher.lock_requested.emit("screen-locked")
    assert window.notebook is None and page.editor is None
    assert window.stack.currentWidget() is window.unlock_page
    window.chores.wait()
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        assert notebook.conversations(case.id)[0].notes[Step.LISTEN] == (
            "Skrevet lige før skærmen låste."
        )


def _menu_actions(window) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        action.text().replace("&", ""): action
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
        if not action.isSeparator()
    }


def test_every_action_is_in_a_menu_with_its_shortcut_and_off_while_locked(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    actions = _menu_actions(window)
    shortcuts = {action.shortcut().toString() for action in actions.values()}
    for keys in ("Ctrl+N", "Ctrl+Shift+N", "Ctrl+E", "Ctrl+K", "Ctrl+F", "Ctrl+G", "Ctrl+L"):
        assert keys in shortcuts
    assert actions["Nyt opkald"].isEnabled()
    window.lock()
    assert not actions["Nyt opkald"].isEnabled()
    assert actions["Lås"].isEnabled() and actions["Afslut"].isEnabled()


def test_a_new_conversation_on_the_selected_case(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    notebook = window.notebook
    assert notebook is not None
    qtbot.keyClicks(page.search, "mobning")
    page.list.setCurrentIndex(page.model.index(0))
    case_id = page.model.summary(0).id
    before = len(notebook.conversations(case_id))
    qtbot.keyClick(
        page.list,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert page.editor is not None
    assert len(notebook.conversations(case_id)) == before + 1
    assert notebook.conversation(page.editor.conversation_id).case_id == case_id


def test_filters_narrow_the_case_list(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    notebook = window.notebook
    assert notebook is not None
    [bullied] = notebook.find_case_ids("mobning")
    [refusing] = notebook.find_case_ids("skolevægring")
    notebook.set_status(bullied, CaseStatus.CLOSED)
    conversation = notebook.conversations(refusing)[0]
    notebook.set_wellbeing(conversation.id, OVERALL, WellbeingLevel.SEVERE)
    page.refresh()
    assert page.model.total() == 3

    def shown() -> list[int]:
        return [page.model.summary(row).id for row in range(page.model.rowCount())]

    page.status_filter.setCurrentIndex(page.status_filter.findData(CaseStatus.CLOSED))
    assert shown() == [bullied]
    page.status_filter.setCurrentIndex(0)
    page.wellbeing_filter.setCurrentIndex(page.wellbeing_filter.findData(WellbeingLevel.SEVERE))
    assert shown() == [refusing]
    # Words and filters together: the bullied child's case is not the one in distress.
    qtbot.keyClicks(page.search, "mobning")
    assert shown() == []
    assert page.count.text() == "0 sager"


def test_switching_language_keeps_the_notebook_open(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    assert "Nyt opkald" in _menu_actions(window)
    [case_id] = notebook.find_case_ids("mobning")
    qtbot.keyClicks(window.notebook_page.search, "mobning")
    window.notebook_page.show_case_id(case_id)
    try:
        window.apply_language("en")
        # The same search and the same case, in the other language.
        assert window.notebook_page.search.text() == "mobning"
        assert window.notebook_page.case_view.case_id == case_id
        assert current_language() == "en"
        assert "New call" in _menu_actions(window)
        assert window.notebook is notebook
        assert window.stack.currentWidget() is window.notebook_page
        assert window.notebook_page.model.total() == 1
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        window.apply_language("da")
    assert "Nyt opkald" in _menu_actions(window)


def test_qt_own_texts_are_danish(qtbot: QtBot) -> None:
    app = QApplication.instance()
    set_language("da")
    install_qt_translator(app, "da")
    try:
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuller"
        # What a counsellor meets: the buttons of every standard dialog and the editors'
        # right-click menu.
        from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

        button = QDialogButtonBox.StandardButton
        box = QDialogButtonBox(button.Save | button.Close | button.Yes | button.No)
        qtbot.addWidget(box)
        assert sorted(b.text() for b in box.buttons()) == ["&Ja", "&Nej", "Gem", "Luk"]
        field = QLineEdit()
        qtbot.addWidget(field)
        menu = field.createStandardContextMenu()
        assert any(action.text().startswith("&Kopiér") for action in menu.actions())
        menu.deleteLater()
    finally:
        install_qt_translator(app, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_menus_follow_the_role(qtbot: QtBot, tmp_path: Path) -> None:
    """A counsellor exports to the supervisor; a supervisor imports and follows the service."""
    from counsellor_app.core.domain import Role
    from tests.gui.helpers import shown_window
    from tests.helpers import FAST_KDF

    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    assert window.export_action.isVisible()
    assert not window.supervision_menu.menuAction().isVisible()
    window.lock()

    path = tmp_path / "supervisor.cnb"
    notebook, _recovery = Notebook.create(path, "supervisor pass", Role.SUPERVISOR, kdf=FAST_KDF)
    notebook.close()
    supervisor = shown_window(qtbot, path)
    supervisor.unlock_page.passphrase.setText("supervisor pass")
    supervisor.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not supervisor.unlock_page.busy(), timeout=10_000)
    assert supervisor.notebook is not None
    assert not supervisor.export_action.isVisible()
    assert supervisor.supervision_menu.menuAction().isVisible()
    # No own cases: the line under the search says where the imported ones are.
    assert "Ctrl+D" in supervisor.notebook_page.count.text()
    assert "Ctrl+D" not in window.notebook_page.count.text()
    supervisor.lock()
    assert not supervisor.supervision_menu.menuAction().isEnabled() or all(
        not action.isEnabled() for action in supervisor.supervision_menu.actions()
    )


def test_retention_runs_when_the_notebook_locks(qtbot: QtBot, tmp_path: Path) -> None:
    """A closed case past the retention period loses its text at the next lock."""
    from datetime import UTC, datetime, timedelta

    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    notebook = window.notebook
    assert notebook is not None
    [old] = notebook.find_case_ids("mobning")
    [recent] = notebook.find_case_ids("søvnproblemer")
    for case_id in (old, recent):
        notebook.set_status(case_id, CaseStatus.CLOSED)
    long_ago = datetime.now(UTC) - timedelta(days=31 * (notebook.retention_months + 1))
    with notebook.transaction() as db:
        db.execute("UPDATE cases SET closed_at = ? WHERE id = ?", (long_ago.isoformat(), old))
    window.lock()
    window.chores.wait()
    with Notebook.open(path, passphrase) as reopened:
        assert reopened.conversations(old)[0].notes.get(Step.LISTEN, "") == ""
        assert "søvnproblemer" in reopened.conversations(recent)[0].notes[Step.LISTEN]


def _shortcuts_shown(qtbot: QtBot, window, focus) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Press F1 in ``focus``; the rows of the table shown (the dialog is closed again)."""
    from PySide6.QtWidgets import QTableWidget

    qtbot.keyClick(focus, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    table = dialog.findChild(QTableWidget)
    assert table is not None and table.columnCount() == 2  # what, and which keys
    assert table.accessibleName()
    rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
    dialog.reject()
    return rows


def test_f1_lists_only_what_this_user_can_press_now(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    rows = _shortcuts_shown(qtbot, window, window.notebook_page.search)
    names = {name for name, _keys in rows}
    keys = {keys for _name, keys in rows}
    assert all(name and shortcut for name, shortcut in rows)  # no row without keys
    titles = {action.text().replace("&", "") for action in window.menuBar().actions()}
    assert not names & titles  # "Opkald", "Gennemgang", "Hjælp" are menus, not actions
    supervision = {action.text().replace("&", "") for action in window.supervision_menu.actions()}
    assert not names & supervision  # a counsellor's notebook has no Supervision menu
    assert ("Nyt opkald", "Ctrl+N") in rows and ("Lås", "Ctrl+L") in rows
    assert "Ctrl+T" not in keys  # a student's item (comments to answer)
    assert "Ctrl+D" not in keys and "Ctrl+I" not in keys  # the supervisor's
    assert "Ctrl+1 … Ctrl+4" in keys  # the call editor's own keys are listed too

    window.lock()
    locked = _shortcuts_shown(qtbot, window, window.unlock_page.passphrase)
    assert "Ctrl+N" not in {keys for _name, keys in locked}  # off while locked
    assert "F1" in {keys for _name, keys in locked}


def test_f1_in_a_supervisors_notebook(qtbot: QtBot, tmp_path: Path) -> None:
    from counsellor_app.core.domain import Role
    from tests.gui.helpers import shown_window
    from tests.helpers import FAST_KDF

    path = tmp_path / "supervisor.cnb"
    notebook, _recovery = Notebook.create(path, "supervisor pass", Role.SUPERVISOR, kdf=FAST_KDF)
    notebook.close()
    window = shown_window(qtbot, path)
    window.unlock_page.passphrase.setText("supervisor pass")
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    keys = {keys for _name, keys in _shortcuts_shown(qtbot, window, window.notebook_page.search)}
    assert {"Ctrl+D", "Ctrl+I"} <= keys
    assert "Ctrl+Shift+E" not in keys  # export to a supervisor: not a supervisor's item
    window.lock()
    window.chores.wait()
