"""The first window on a real notebook: unlock, find, read, lock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import (
    ConcernDecision,
    ConcernSigns,
    FollowUp,
    Role,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.i18n import _
from counsellor_app.core.search import CaseFilter
from counsellor_app.core.store import Notebook
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.unlock import CreateNotebookDialog, RecoveryKeyDialog, passphrase_hint
from tests.gui.helpers import FakeClock, answer_modal, make_notebook, shown_window, unlocked_window


def test_unlock_search_read_and_lock(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    window = shown_window(qtbot, path)
    unlock = window.unlock_page

    qtbot.keyClicks(unlock.passphrase, "wrong")
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    assert "adgangsfrase" in unlock.error.text().lower()
    assert window.stack.currentWidget() is unlock

    unlock.passphrase.clear()
    qtbot.keyClicks(unlock.passphrase, passphrase)
    qtbot.keyClick(unlock.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not unlock.busy(), timeout=10_000)
    page = window.notebook_page
    assert window.stack.currentWidget() is page
    assert page.model.rowCount() == 3

    qtbot.keyClicks(page.search, "søvn")
    assert page.model.rowCount() == 1
    page.list.setCurrentIndex(page.model.index(0))
    assert "søvnproblemer" in page.case_view.timeline.toPlainText()

    qtbot.keyClick(page.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is unlock
    assert page.model.rowCount() == 0
    assert page.case_view.timeline.toPlainText() == "" and page.case_view.case_id is None
    assert window.notebook is None
    window.chores.wait()  # the notebook is closed in the background
    assert Notebook.open(path, passphrase).case_count() == 3  # lock released the file


def test_passphrase_hint_grows_with_length() -> None:
    assert passphrase_hint("abc") != passphrase_hint("fire almindelige ord er stærke")


def test_a_whole_new_call_is_kept_through_lock(
    qtbot: QtBot, tmp_path: Path, call_clock: FakeClock
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page

    qtbot.keyClick(page.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    assert editor is not None and page.right.currentWidget() is page.call_view
    code = editor.call_case_code
    qtbot.keyClicks(editor.editors[Step.LISTEN], "Far er bekymret for datterens søvn.")
    qtbot.keyClick(editor.editors[Step.LISTEN], Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.editors[Step.ADVISE], "Faste sengetider.")
    call_clock.advance(95)  # the call lasts a minute and a half
    # Lock at once: nothing typed may be lost, and the call's length is kept.
    qtbot.keyClick(editor.editors[Step.ADVISE], Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.notebook is None and page.editor is None
    window.chores.wait()  # the notebook is closed in the background

    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        conversation = notebook.conversations(case.id)[0]
        assert conversation.notes[Step.LISTEN] == "Far er bekymret for datterens søvn."
        assert conversation.notes[Step.ADVISE] == "Faste sengetider."
        assert conversation.duration_seconds == 95


def test_auto_lock_after_idle_keeps_the_text_typed(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    listen = page.editor.editors[Step.LISTEN]
    listen.setPlainText("Skrevet lige før pausen.")
    listen.selectAll()
    listen.copy()
    assert QApplication.clipboard().text() == "Skrevet lige før pausen."
    code = page.editor.call_case_code
    window.idle_timer.setInterval(300)  # the setting is minutes; the mechanism is the same
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.notebook is None, timeout=3000)
    assert window.stack.currentWidget() is window.unlock_page
    assert page.model.rowCount() == 0 and page.editor is None
    assert QApplication.clipboard().text() == ""  # note text does not outlive the lock
    window.chores.wait()  # the notebook is closed in the background
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        assert notebook.conversations(case.id)[0].notes[Step.LISTEN] == "Skrevet lige før pausen."


def test_input_postpones_auto_lock(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    idle = window.idle_timer
    # The setting is minutes; the mechanism is the same. A pause of a minute, so that a
    # busy machine's stall cannot end it before the key comes.
    idle.start(60_000)
    qtbot.waitUntil(lambda: idle.remainingTime() < 57_000, timeout=10_000)
    before = idle.remainingTime()  # three seconds of the pause have gone
    qtbot.keyClick(window.notebook_page.search, Qt.Key.Key_A)
    assert idle.isActive() and idle.remainingTime() > before  # the pause starts again
    assert window.notebook is not None


def test_identifiers_typed_during_a_call_are_flagged(qtbot: QtBot, tmp_path: Path) -> None:
    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    window.notebook_page.new_call()
    editor = window.notebook_page.editor
    assert editor is not None
    qtbot.keyClicks(editor.editors[Step.LISTEN], "Ring tilbage på 22 33 44 55 i morgen.")
    guard = editor.guards[Step.LISTEN]
    qtbot.waitUntil(lambda: [str(f.kind) for f in guard.findings()] == ["phone"], timeout=3000)
    window.lock()
    window.chores.wait()  # the notebook is closed in the background


def test_agenda_at_unlock_starts_the_follow_up_call(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    passphrase = make_notebook(path)
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.new_case()
        notebook.new_conversation(case.id)
        notebook.save_follow_up(
            FollowUp(case.id, date.today() - timedelta(days=2), counsellor_task="Ring mor op")
        )
        notebook.set_callback(case.id, "20304050")
    window = shown_window(qtbot, path)
    window.unlock_page.passphrase.setText(passphrase)
    window.unlock_page.try_unlock()
    qtbot.waitUntil(lambda: not window.unlock_page.busy(), timeout=10_000)
    agenda = window.notebook_page.agenda
    assert agenda.count() == 1
    text = agenda.item(0).text()
    assert case.code in text and "Overskredet" in text and "20304050" in text
    # The call-back number is shown in the agenda only, not in the case list.
    assert all(
        "20304050" not in window.notebook_page.model.data(window.notebook_page.model.index(row))
        for row in range(window.notebook_page.model.rowCount())
    )

    qtbot.keyClick(window.notebook_page.search, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    agenda.setCurrentRow(0)
    qtbot.keyClick(agenda, Qt.Key.Key_Return)
    editor = window.notebook_page.editor
    assert editor is not None and editor.call_case_code == case.code
    window.lock()
    window.chores.wait()  # the notebook is closed in the background
    with Notebook.open(path, passphrase) as notebook:
        assert len(notebook.conversations(case.id)) == 2


def test_concern_during_a_call_shows_guidance_and_records_the_decision(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    qtbot.keyClick(
        page.editor.editors[Step.LISTEN], Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier
    )
    dialog = page.concern_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert "Barnets Lov" in dialog.findChildren(QLabel)[0].text()
    dialog.signs.setCurrentIndex(dialog.signs.findData(ConcernSigns.YES))
    dialog.decision.setCurrentIndex(dialog.decision.findData(ConcernDecision.TALK_WITH_SUPERVISOR))
    qtbot.keyClicks(dialog.reasoning, "Barnet fortæller om slag derhjemme.")
    dialog.save()
    window.lock()
    window.chores.wait()  # the notebook is closed in the background
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        [concern] = notebook.concerns(case.id)
        assert concern.signs is ConcernSigns.YES
        assert concern.decision is ConcernDecision.TALK_WITH_SUPERVISOR
        assert concern.reasoning == "Barnet fortæller om slag derhjemme."
        assert concern.conversation_id == notebook.conversations(case.id)[0].id


def test_first_start_creates_a_notebook_and_shows_the_recovery_key_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "first" / "notebook.cnb"
    dialog = CreateNotebookDialog(path)
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData(Role.STUDENT))
    qtbot.keyClicks(dialog.passphrase, "fire ord er nok her")
    assert dialog.hint.text() == passphrase_hint("fire ord er nok her")
    qtbot.keyClicks(dialog.repeat, "fire ord er nok her")
    seen: dict[str, object] = {}

    def confirm_recovery_key(box: RecoveryKeyDialog) -> None:
        # Only notes what it sees and answers: the checks follow once exec() returned.
        seen["key"] = box.key.text()
        ok = box.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen["ok before kept"] = ok.isEnabled()
        box.reject()  # Escape: the key has not been kept yet, so the dialog stays
        seen["open after escape"] = box.isVisible()
        # Saved as a PDF to print, off the UI thread: the key can be read back from it.
        qtbot.waitUntil(box.write_pdf(tmp_path / "key.pdf").settled)
        seen["pdf written"] = (tmp_path / "key.pdf").is_file()
        seen["saved status"] = box.status.text()
        qtbot.waitUntil(box.write_pdf(tmp_path / "missing" / "folder" / "key.pdf").settled)
        seen["bad folder written"] = (tmp_path / "missing").exists()
        seen["status"] = box.status.text()
        seen["status is an error"] = box.status.is_error()
        box.kept.setChecked(True)
        ok.click()

    answer = answer_modal(RecoveryKeyDialog, confirm_recovery_key)
    dialog.create_notebook()
    # Made in the background: the dialog says so and takes nothing twice meanwhile.
    assert dialog.busy() and not dialog.ok.isEnabled()
    assert dialog.ok.text() == _("Creating the notebook…")
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20_000)
    answer.check()
    assert seen["ok before kept"] is False
    assert seen["open after escape"] is True
    assert seen["pdf written"] is True
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "key.pdf").pages)
    recovery_key = str(seen["key"])
    assert recovery_key.split("-")[0] in pdf_text
    assert "key.pdf" in str(seen["saved status"])
    assert seen["bad folder written"] is False
    assert seen["status"] and seen["status is an error"] is True
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.notebook is not None
    assert dialog.notebook.role is Role.STUDENT
    dialog.notebook.close()
    with Notebook.open(path, recovery_key=recovery_key) as notebook:
        assert notebook.case_count() == 0


def test_structured_fields_are_set_during_the_call(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    page.new_call()
    assert page.editor is not None
    code = page.editor.call_case_code
    fields = page.case_fields
    fields.age_band.setCurrentIndex(fields.age_band.findData("13-15"))
    fields.caller_role.setCurrentIndex(fields.caller_role.findData("father"))
    fields.wellbeing.setCurrentIndex(fields.wellbeing.findData("mistrivsel"))
    fields.themes.setCurrentRow(0)
    qtbot.keyClick(fields.themes, Qt.Key.Key_Space)  # Space checks the theme
    fields.risks.setCurrentRow(1)
    qtbot.keyClick(fields.risks, Qt.Key.Key_Space)
    fields.channel.setCurrentIndex(fields.channel.findData("chat"))
    fields.known_by.setCurrentRow(0)
    qtbot.keyClick(fields.known_by, Qt.Key.Key_Space)
    # Checking an arena offers a wellbeing level for it; unchecking takes it away.
    assert fields.arena_combos == {}
    school = taxonomy().arenas[2].id
    fields.arenas.setCurrentRow(2)
    qtbot.keyClick(fields.arenas, Qt.Key.Key_Space)
    assert list(fields.arena_combos) == [school]
    combo = fields.arena_combos[school]
    combo.setCurrentIndex(combo.findData("svaer_mistrivsel"))
    window.lock()
    window.chores.wait()  # the notebook is closed in the background
    with Notebook.open(path, passphrase) as notebook:
        case = notebook.case_by_code(code)
        assert case is not None
        assert case.age_band is not None and case.age_band.value == "13-15"
        assert case.caller_role is not None and case.caller_role.value == "father"
        assert case.themes == [taxonomy().themes[0].id]
        assert case.risk_factors == [taxonomy().risk_factors[1].id]
        assert [actor.value for actor in case.known_by] == ["ppr"]
        assert case.arenas == [school]
        [conversation] = notebook.conversations(case.id)
        assert conversation.overall_wellbeing() is WellbeingLevel.STRUGGLING
        assert conversation.wellbeing[school] is WellbeingLevel.SEVERE
        assert conversation.channel.value == "chat"
        assert notebook.search("", CaseFilter(wellbeing=WellbeingLevel.STRUGGLING))[0].code == code


def test_a_new_call_on_a_case_found_by_words(qtbot: QtBot, tmp_path: Path) -> None:
    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    qtbot.keyClicks(page.search, "mobning")
    assert page.model.rowCount() == 1
    found = page.model.summary(0)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # to the list
    page.list.setCurrentIndex(page.model.index(0))
    qtbot.keyClick(page.list, Qt.Key.Key_Return)
    assert page.editor is not None and page.editor.call_case_code == found.code
    window.lock()
    window.chores.wait()  # the notebook is closed in the background
    with Notebook.open(path, passphrase) as notebook:
        assert len(notebook.conversations(found.id)) == 2
