"""Small things a new user met: words joined by hyphens count as words in the strength
hint; a stale "passphrases differ" goes once they match; a relative notebook path is
remembered as absolute; a call's length is not rounded up to a minute; the window fits
the screen and remembers its size."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import label
from counsellor_app.core.i18n import _
from counsellor_app.core.settings import AppSettings
from counsellor_app.gui.app import DEFAULT_WINDOW_SIZE, remember_notebook, window_size
from counsellor_app.gui.formatting import format_duration, format_moment
from counsellor_app.gui.unlock import CreateNotebookDialog, passphrase_hint
from tests.gui.helpers import make_notebook, shown_window


def test_four_words_joined_by_hyphens_count_as_words() -> None:
    strong = _("Strong: a long passphrase.")
    assert passphrase_hint("hest bil sol mod") == strong
    assert passphrase_hint("hest-bil-sol-mod") == strong
    assert passphrase_hint("hestbilsolmod1") != strong


def test_passphrases_differ_goes_once_they_match(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = CreateNotebookDialog(tmp_path / "new.cnb")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase, "fire ord er stærke")
    qtbot.keyClicks(dialog.repeat, "fire ord er stærk")
    dialog.create_notebook()
    assert dialog.error.isVisible()
    assert dialog.error.text() == _("The two passphrases differ.")
    qtbot.keyClicks(dialog.repeat, "e")  # now they match
    assert not dialog.error.isVisible() and dialog.error.text() == ""
    assert not (tmp_path / "new.cnb").exists()  # nothing made by typing
    dialog.reject()


def test_a_relative_notebook_path_is_remembered_as_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    remember_notebook(Path("mine.cnb"))
    assert AppSettings.load().last_notebook == str(tmp_path / "mine.cnb")


def test_the_notebook_remembered_already_is_not_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A start on the notebook of the last start writes no settings (no durable write
    before the unlock window shows)."""
    monkeypatch.chdir(tmp_path)
    remember_notebook(tmp_path / "mine.cnb")
    saved = AppSettings.path()
    before = (saved.stat().st_ino, saved.stat().st_mtime_ns)
    remember_notebook(Path("mine.cnb"))  # the same notebook, written relative
    assert (saved.stat().st_ino, saved.stat().st_mtime_ns) == before
    remember_notebook(tmp_path / "other.cnb")
    assert AppSettings.load().last_notebook == str(tmp_path / "other.cnb")


def test_a_short_call_is_not_made_a_minute() -> None:
    assert format_duration(35) == "35 sekunder"
    assert format_duration(95) == "1 min 35 s"


def test_an_empty_call_can_be_discarded_and_a_call_with_notes_cannot(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from counsellor_app.core.domain import Step
    from tests.gui.helpers import unlocked_window

    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    notebook = window.notebook
    assert notebook is not None
    cases = notebook.case_count()
    # A wrong number: Ctrl+N, nothing written, discarded from the Call menu.
    page.new_call()
    assert notebook.case_count() == cases + 1
    [action] = [a for a in window.notebook_actions if a.text() == _("&Discard this empty call")]
    action.trigger()
    assert page.editor is None and notebook.case_count() == cases  # the new case went too
    assert window.statusBar().currentMessage() == _("The empty call was discarded.")
    assert notebook.live_call() is None
    # On an existing case only the empty conversation goes.
    case_id = notebook.find_case_ids("")[0]
    before = len(notebook.conversations(case_id))
    page.start_conversation(case_id)
    assert page.discard_call()
    assert len(notebook.conversations(case_id)) == before and notebook.case_count() == cases
    assert page.case_view.case_id == case_id
    # A call with notes is not discarded.
    page.start_conversation(case_id)
    assert page.editor is not None
    qtbot.keyClicks(page.editor.editors[Step.LISTEN], "Mor ringer igen.")
    assert not page.discard_call()
    assert page.editor is not None  # still in the call
    page.end_call()
    assert len(notebook.conversations(case_id)) == before + 1


def test_an_ended_contact_is_corrected_and_the_history_says_so(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from counsellor_app.core.domain import Step
    from counsellor_app.gui.correction import CorrectionDialog
    from tests.gui.helpers import unlocked_window

    window, _path, _passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    notebook = window.notebook
    assert notebook is not None
    case_id = notebook.find_case_ids("")[0]
    page.show_case_id(case_id)
    view = page.case_view
    assert view.correct_button.isEnabled()
    # The timeline offers a link per contact; the button (one contact here) opens it too.
    assert "correct:" in view.timeline.toHtml()
    view.correct_button.click()
    dialog = page.correction_dialog
    assert isinstance(dialog, CorrectionDialog) and dialog.isVisible()
    editor = dialog.editor.editors[Step.LISTEN]
    assert editor.toPlainText().startswith("Mor fortæller om")
    editor.selectAll()
    qtbot.keyClicks(editor, "Mor fortæller om skolen.")
    dialog.ui.buttons.button(dialog.ui.buttons.StandardButton.Close).click()
    assert not dialog.isVisible()
    conversation = notebook.conversations(case_id)[0]
    assert conversation.notes[Step.LISTEN] == "Mor fortæller om skolen."
    (correction,) = notebook.corrections(case_id)
    history = [view.history.item(row).text() for row in range(view.history.count())]
    assert (
        _("{when}: contact {number} corrected ({steps})").format(
            when=format_moment(correction.at), number=1, steps=label(Step.LISTEN)
        )
        in history
    )
    assert correction.steps == (Step.LISTEN,)


def test_a_correction_open_at_the_lock_is_saved_and_recorded(qtbot: QtBot, tmp_path: Path) -> None:
    from counsellor_app.core.domain import Step
    from counsellor_app.core.store import Notebook
    from tests.gui.helpers import unlocked_window

    window, path, passphrase = unlocked_window(qtbot, tmp_path)
    page = window.notebook_page
    notebook = window.notebook
    assert notebook is not None
    case_id = notebook.find_case_ids("")[0]
    conversation_id = notebook.conversations(case_id)[0].id
    assert conversation_id is not None
    page.show_case_id(case_id)
    page.case_view.request_correction(conversation_id)
    dialog = page.correction_dialog
    qtbot.keyClicks(dialog.editor.editors[Step.ADVISE], "Rådgivet om skolen.")
    window.lock()  # Ctrl+L: the dialog closes, and nothing typed is lost
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.notebook is None, timeout=10_000)
    window.chores.wait()
    with Notebook.open(path, passphrase) as reopened:
        assert reopened.conversation(conversation_id).notes[Step.ADVISE] == "Rådgivet om skolen."
        (correction,) = reopened.corrections(case_id)
        assert correction.steps == (Step.ADVISE,)


def test_the_recovery_key_dialog_grows_with_its_text(qtbot: QtBot, tmp_path: Path) -> None:
    from counsellor_app.gui.unlock import RecoveryKeyDialog

    dialog = RecoveryKeyDialog("ABCD-EFGH-IJKL-MNOP-QRST-UVWX", tmp_path / "n.cnb")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(320, 100)  # narrow, as at 200 % scaling on a small screen
    layout = dialog.layout()
    assert dialog.height() >= layout.totalHeightForWidth(dialog.width())
    dialog.status.say(_("Saved as {file}. Print it, then delete the file.").format(file="x" * 200))
    assert dialog.height() >= layout.totalHeightForWidth(dialog.width())


def test_the_window_opens_no_larger_than_the_screen() -> None:
    # A laptop's 1366×768 less the task bar: the first window fits in it.
    width, height = window_size(1366, 728)
    assert width == DEFAULT_WINDOW_SIZE[0] and height < 728
    # At 200 % scaling Qt's screen is half as many of its own pixels; a size remembered on
    # a larger screen is cut to it as well.
    width, height = window_size(683, 364, "1600x1000")
    assert width <= 683 and height <= 364
    assert window_size(1920, 1160, "1600x1000") == (1600, 1000)
    # A damaged setting is the default; a tiny one is not kept.
    assert window_size(1920, 1160, "x") == DEFAULT_WINDOW_SIZE
    assert window_size(1920, 1160, "10x10") == (480, 360)


def test_the_window_remembers_its_size(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "n.cnb"
    make_notebook(path)
    window = shown_window(qtbot, path)
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width() and window.height() <= screen.height()
    window.resize(700, 500)
    window.close()
    assert AppSettings.load().window_size == "700x500"


def test_the_window_opens_at_the_remembered_size(qtbot: QtBot, tmp_path: Path) -> None:
    settings = AppSettings.load()
    settings.window_size = "720x520"
    settings.save()
    path = tmp_path / "n.cnb"
    make_notebook(path)
    window = shown_window(qtbot, path)
    assert (window.width(), window.height()) == (720, 520)
