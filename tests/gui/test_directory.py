"""The help directory in the window (issue 18): the alliance filled from the directory
in a call, keyboard first; the supervisor's directory window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from counsellor_app.core import directory
from counsellor_app.core.directory import DirectoryEntry, EntryKind, Origin
from counsellor_app.core.domain import Partner, Role
from counsellor_app.gui.alliances import AllianceDialog
from counsellor_app.gui.directory import DirectoryEntryDialog, DirectoryWindow
from tests.gui.helpers import answer_modal, named_notebook, unlocked_window

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _modal(qtbot: QtBot, kind: type) -> object:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    return QApplication.activeModalWidget()


def test_an_alliance_is_filled_from_the_directory_in_a_call(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    assert window.notebook is not None
    directory.save_entry(
        window.notebook,
        DirectoryEntry("PPR Vejle", EntryKind.PPR, "Vejle", phone="76 81 00 00"),
    )
    page.new_call()
    editor = page.editor
    assert editor is not None
    # Ctrl+Shift+D: the alliance form opens beside the notes (issue 16: not modal) with
    # the focus in the directory's search.
    qtbot.keyClick(page.search, Qt.Key.Key_D, CTRL_SHIFT)
    qtbot.waitUntil(lambda: page.call_alliances.dialog is not None)
    dialog = page.call_alliances.dialog
    assert isinstance(dialog, AllianceDialog) and QApplication.activeModalWidget() is None
    search = dialog.ui.directory_search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "ppr ve")
    results = dialog.ui.directory_results
    assert results.isVisible()
    assert [results.item(row).text() for row in range(results.count())] == [
        "PPR Vejle — PPR · Vejle · 76 81 00 00"
    ]
    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert results.hasFocus()
    qtbot.keyClick(results, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter chose the entry; it did not save the dialog
    assert dialog.partner.currentData() == Partner.PPR.value
    assert dialog.role.text() == "PPR Vejle, 76 81 00 00"
    assert dialog.agreed.hasFocus()
    # The directory's number is no identifier for the guard.
    qtbot.keyClicks(dialog.agreed, "Mor ringer til PPR på 76 81 00 00 i morgen.")
    dialog.guard.refresh_now()
    assert dialog.guard.findings() == []
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: len(page.call_alliances.alliances()) == 1)
    (alliance,) = page.call_alliances.alliances()
    assert (alliance.partner, alliance.role) == (Partner.PPR, "PPR Vejle, 76 81 00 00")
    assert directory.alliance_kinds(window.notebook)[EntryKind.PPR] == 1


def test_f4_in_the_alliance_dialog_goes_to_the_search_and_a_theme_finds(
    qtbot: QtBot, tmp_path: Path
) -> None:
    notebook = named_notebook(tmp_path, "n")
    try:
        case = notebook.new_case()
        assert case.id is not None
        dialog = AllianceDialog(notebook, case.id)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        assert dialog.partner.hasFocus()
        qtbot.keyClick(dialog.partner, Qt.Key.Key_F4)
        assert dialog.ui.directory_search.hasFocus()
        qtbot.keyClicks(dialog.ui.directory_search, "selvskade")  # a theme
        results = dialog.ui.directory_results
        names = [results.item(row).text().split(" — ")[0] for row in range(results.count())]
        assert "Livslinien" in names
        # Enter in the search field takes the first entry.
        qtbot.keyClick(dialog.ui.directory_search, Qt.Key.Key_Return)
        assert dialog.directory_entry is not None
        assert dialog.role.text().startswith(names[0])
        assert dialog.isVisible()
    finally:
        notebook.close()


def test_the_supervisor_keeps_the_directory_in_its_window(qtbot: QtBot, tmp_path: Path) -> None:
    notebook = named_notebook(tmp_path, "sup", Role.SUPERVISOR)
    try:
        window = DirectoryWindow(notebook)
        qtbot.addWidget(window)
        window.show()
        starters = len(window.entries())
        assert starters >= 12
        # Add an entry.
        adding = window.add()
        qtbot.keyClicks(adding.ui.organisation, "Familierådgivningen Vejle")
        adding.ui.kind.setCurrentIndex(adding.ui.kind.findData("family_counselling"))
        adding.ui.municipality.setCurrentIndex(adding.ui.municipality.findData("Vejle"))
        qtbot.keyClicks(adding.ui.phone, "76 81 50 00")
        adding.buttons.accepted.emit()
        qtbot.waitUntil(lambda: len(window.entries()) == starters + 1)
        (added,) = [e for e in window.entries() if e.organisation == "Familierådgivningen Vejle"]
        assert (added.municipality, added.origin) == ("Vejle", Origin.SUPERVISOR)
        # Search as you type filters the table.
        qtbot.keyClicks(window.search, "vejle")
        assert [e.organisation for e in window.entries()] == ["Familierådgivningen Vejle"]
        # Edit it.
        window.table.selectRow(0)
        editing = window.edit_selected()
        assert editing is not None and editing.ui.phone.text() == "76 81 50 00"
        editing.ui.phone.setText("76 81 50 01")
        editing.buttons.accepted.emit()
        qtbot.waitUntil(lambda: window.entries()[0].phone == "76 81 50 01")
        # A person's name is refused, and nothing is saved.
        window.table.selectRow(0)
        refusing = window.edit_selected()
        assert refusing is not None
        refusing.ui.note.setPlainText("Spørg efter Anna Hansen")
        seen: list[str] = []
        answer = answer_modal(QMessageBox, lambda box: (seen.append(box.text()), box.accept()))
        refusing.save()
        answer.check()
        assert "Anna Hansen" in seen[0] and refusing.isVisible()
        refusing.reject()
        # Export, delete, and import back.
        out = tmp_path / "dir.csv"
        window.export_file(out)
        assert "Familierådgivningen Vejle;family_counselling;Vejle" in out.read_text("utf-8-sig")
        window.table.selectRow(0)
        window.delete_selected()
        window.search.clear()
        assert len(window.entries()) == starters
        window.import_file(out)
        qtbot.waitUntil(lambda: len(window.entries()) == starters + 1, timeout=10_000)
        assert "1" in window.status.text()
        # A bad file: the line is named, nothing is imported.
        bad = tmp_path / "bad.csv"
        bad.write_text("organisation;type;kommune\nKlub;bowling;Vejle\n", encoding="utf-8")
        window.import_file(bad)
        qtbot.waitUntil(lambda: "Linje 2" in window.status.text(), timeout=10_000)
        assert len(window.entries()) == starters + 1
    finally:
        notebook.close()


def test_a_counsellor_adds_own_entries_and_reads_the_supervisors(
    qtbot: QtBot, tmp_path: Path
) -> None:
    notebook = named_notebook(tmp_path, "mine")
    try:
        window = DirectoryWindow(notebook)
        qtbot.addWidget(window)
        window.show()
        window.table.selectRow(0)
        assert window.selected() is not None
        assert window.selected().origin is Origin.SUPERVISOR  # type: ignore[union-attr]
        assert not window.edit_button.isEnabled() and window.edit_selected() is None
        adding = window.add()
        assert isinstance(adding, DirectoryEntryDialog)
        qtbot.keyClicks(adding.ui.organisation, "Klub Ungdom")
        adding.ui.kind.setCurrentIndex(adding.ui.kind.findData("club"))
        adding.buttons.accepted.emit()
        (own,) = [e for e in window.entries() if e.organisation == "Klub Ungdom"]
        assert own.origin is Origin.OWN
        row = window.entries().index(own)
        window.table.selectRow(row)
        assert window.edit_button.isEnabled()
    finally:
        notebook.close()


def test_the_directory_is_in_the_menus(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    rows = dict(window.shortcut_rows())
    assert rows.get("Alliance fra hjælpevejviseren…") == "Ctrl+Shift+D"
    assert list(rows.values()).count("Ctrl+Shift+D") == 1
    titles = [
        action.text()
        for menu in window.menuBar().findChildren(QMenu)
        for action in menu.actions()
        if action.isVisible()
    ]
    assert "&Hjælpevejviser…" in titles
    window.own_directory_action.trigger()
    shown = _modal(qtbot, DirectoryWindow)
    assert isinstance(shown, DirectoryWindow)
    shown.reject()


def test_the_signed_directory_from_the_supervisors_window_to_the_counsellors(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The supervisor sends, the counsellor receives: the window asks to accept the
    supervisor's key showing its fingerprint (No changes nothing), then imports; an
    older file and one signed by another key are refused with one line."""
    from counsellor_app.core.exchange import own_key_card
    from counsellor_app.core.exchange.directory_file import own_fingerprint
    from counsellor_app.core.exchange.signing import parse_key_card
    from counsellor_app.core.supervision import enrol_key_card

    sup = named_notebook(tmp_path, "sup", Role.SUPERVISOR)
    other = named_notebook(tmp_path, "other", Role.SUPERVISOR)
    mine = named_notebook(tmp_path, "mine")
    try:
        for supervisor in (sup, other):
            enrol_key_card(supervisor, parse_key_card(own_key_card(mine)))
        directory.save_entry(
            mine, DirectoryEntry("Klub Ungdom", EntryKind.CLUB, "Vejle", origin=Origin.OWN)
        )
        sending = DirectoryWindow(sup)
        qtbot.addWidget(sending)
        assert sending.send_button.isVisibleTo(sending)
        assert not sending.receive_button.isVisibleTo(sending)
        directory.save_entry(sup, DirectoryEntry("PPR Vejle", EntryKind.PPR, "Vejle"))
        first, second = tmp_path / "1.cndirectory", tmp_path / "2.cndirectory"
        sending.send_file(first)
        assert own_fingerprint(sup) in sending.status.text()
        sending.send_file(second)
        foreign = tmp_path / "foreign.cndirectory"
        DirectoryWindow(other).send_file(foreign)

        window = DirectoryWindow(mine)
        qtbot.addWidget(window)
        window.show()
        assert window.receive_button.isVisibleTo(window)
        assert not window.send_button.isVisibleTo(window)
        before = [e.organisation for e in window.entries()]
        asked: list[str] = []

        def answer(yes: bool) -> object:
            def act(box: QMessageBox) -> None:
                asked.append(box.text())
                wanted = QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
                box.button(wanted).click()

            return answer_modal(QMessageBox, act)

        declined = answer(False)
        window.receive_file(second)
        qtbot.waitUntil(lambda: declined.seen, timeout=10_000)
        declined.check()  # type: ignore[attr-defined]
        assert own_fingerprint(sup) in asked[0]
        qtbot.waitUntil(lambda: window.receive_button.isEnabled(), timeout=10_000)
        assert [e.organisation for e in window.entries()] == before
        assert "PPR Vejle" not in before

        accepted = answer(True)
        window.receive_file(second)
        qtbot.waitUntil(lambda: accepted.seen, timeout=10_000)
        accepted.check()  # type: ignore[attr-defined]
        qtbot.waitUntil(
            lambda: "PPR Vejle" in [e.organisation for e in window.entries()], timeout=10_000
        )
        assert "Klub Ungdom" in [e.organisation for e in window.entries()]
        assert second.name in window.status.text()

        for refused in (first, foreign):
            now = [e.organisation for e in window.entries()]
            # Another key is asked about (changing it is an explicit act); No keeps it.
            declined = answer(False) if refused is foreign else None
            window.receive_file(refused)
            if declined is not None:
                qtbot.waitUntil(lambda d=declined: d.seen, timeout=10_000)  # type: ignore[misc]
                declined.check()  # type: ignore[attr-defined]
                assert own_fingerprint(other) in asked[-1]
            qtbot.waitUntil(lambda: window.receive_button.isEnabled(), timeout=10_000)
            assert refused.name in window.status.text()
            assert "\n" not in window.status.text()
            assert [e.organisation for e in window.entries()] == now
        assert len(asked) == 3  # the known key was not asked about again
        # Yes to the other key: it replaces the supervisor's, its directory comes in.
        changing = answer(True)
        window.receive_file(foreign)
        qtbot.waitUntil(lambda: changing.seen, timeout=10_000)
        changing.check()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: foreign.name in window.status.text(), timeout=10_000)
        assert "PPR Vejle" not in [e.organisation for e in window.entries()]
        assert "Klub Ungdom" in [e.organisation for e in window.entries()]
    finally:
        for notebook in (sup, other, mine):
            notebook.close()
