"""The counsellor's export dialog on real encrypted notebooks: the key, the period, the
preview with its replacements marked, opening a case from it, and the export itself."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.domain import Role, Step
from counsellor_app.core.exchange import ensure_key_pair, last_export, write_public_key_file
from counsellor_app.core.i18n import set_language
from counsellor_app.core.kept_words import keep_word
from counsellor_app.core.settings import AppSettings
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import read_bundle
from counsellor_app.gui import exchange as exchange_gui
from counsellor_app.gui.exchange import mark_styles, short_key
from tests.gui.helpers import (
    EXCHANGE_PASSPHRASE,
    named_notebook,
    open_export_dialog,
    preview,
    save_screenshot,
    unnamed_controls,
)
from tests.helpers import SteppedClock
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    plant_corpus_case,
    planted_identifiers,
)

PASSPHRASE = EXCHANGE_PASSPHRASE
AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english(app_home: Path) -> None:
    set_language("en")


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Notebook]:
    with named_notebook(tmp_path, "supervisor", Role.SUPERVISOR) as notebook:
        yield notebook


@pytest.fixture
def key(supervisor: Notebook) -> str:
    return ensure_key_pair(supervisor)


@pytest.fixture
def counsellor(tmp_path: Path) -> Iterator[Notebook]:
    """A counsellor's notebook: demo cases and one case whose notes hold the annotated
    corpus's identifiers (names, phones, addresses, schools…) and a call-back number."""
    with named_notebook(tmp_path, "counsellor") as notebook:
        fill_demo(notebook, 12, seed=5)
        plant_corpus_case(notebook, AT)
        yield notebook


def planted_case_id(notebook: Notebook) -> int:
    return max(notebook.find_case_ids())


def test_preview_shows_what_leaves_with_replacements_marked_then_exports(
    qtbot: QtBot, counsellor: Notebook, supervisor: Notebook, key: str, tmp_path: Path
) -> None:
    dialog = open_export_dialog(qtbot, counsellor)
    assert not dialog.export_button.isEnabled() and dialog.preview_box.isHidden()
    assert dialog.set_key_text(key)
    assert short_key(key) in dialog.key_status.text()
    assert "none yet" in dialog.since_last.text()
    preview(qtbot, dialog)

    shown = dialog.current_preview()
    assert shown is not None and shown.case_count == 13 and not shown.blocking
    assert "13 cases" in dialog.counts_label.text()
    assert f"{shown.conversation_count} conversations" in dialog.counts_label.text()
    replaced = dialog.replacements_label.text()
    for kind in ("name", "phone number", "e-mail address", "address", "institution"):
        assert kind in replaced, kind
    assert dialog.export_button.isEnabled() and not dialog.preview_box.isHidden()

    # The planted case: its texts as they leave, every placeholder highlighted.
    planted = planted_case_id(counsellor)
    assert dialog.select_case(planted)
    html = dialog.texts.toHtml()
    assert "[navn]" in html and "[telefon]" in html
    assert "background-color:#ffe680" in html
    plain = dialog.texts.toPlainText()
    leaked = [p for p in planted_identifiers() if contains_word(plain, p)]
    assert leaked == []
    assert CALLBACK not in plain
    assert "Note: Listen" in plain and "Follow-up: the parent's task" in plain

    # Only cases with replacements: the demo cases (no identifiers) leave the list.
    dialog.only_replaced.setChecked(True)
    assert dialog.case_list.count() == 1 and dialog.selected_case_id() == planted

    out = tmp_path / "out" / "for-supervisor"
    out.parent.mkdir()
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as sent:
        assert dialog.export_to(out)
        # Written on the notebook lane: the dialog says so, and takes no second export.
        assert dialog.busy() and not dialog.export_button.isEnabled()
        assert dialog.status_text() == "Exporting…"
        assert not dialog.export_to(out)
    result = dialog.last_result()
    assert result is not None and result.case_count == 13
    written = out.with_name("for-supervisor.cnbundle")
    assert sent.args == [str(written)] and written.exists()
    assert str(written) in dialog.status_text() and "supervisor" in dialog.status_text()
    assert dialog.error_text() == ""
    assert not dialog.export_button.isEnabled()  # the same bundle is not written twice
    bundle = read_bundle(supervisor, written)[0]
    assert bundle == shown.bundle  # exactly what was shown
    assert last_export(counsellor, key) is not None


@pytest.fixture
def quiet_counsellor(tmp_path: Path) -> Iterator[Notebook]:
    """Three cases whose every change lies in the past (the demo cases have contacts
    later today, which count as changes after an export made now)."""
    with named_notebook(tmp_path, "quiet") as notebook:
        for n in range(2):
            case = notebook.new_case(themes=["sleep"])
            talk = notebook.new_conversation(case.id or 0, started_at=AT + timedelta(days=n))
            notebook.save_note(talk.id or 0, Step.LISTEN, f"Samtale nummer {n + 1} om søvn.")
        plant_corpus_case(notebook, AT)
        yield notebook


def test_since_the_last_export_is_the_default_and_a_day_can_be_chosen(
    qtbot: QtBot, quiet_counsellor: Notebook, key: str, tmp_path: Path, store_clock: SteppedClock
) -> None:
    counsellor = quiet_counsellor
    dialog = open_export_dialog(qtbot, counsellor)
    dialog.set_key_text(key)
    store_clock.advance(1)  # times are kept to the second
    preview(qtbot, dialog)
    dialog.export_to(tmp_path / "first.cnbundle")
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    store_clock.advance(1)  # times are kept to the second

    again = open_export_dialog(qtbot, counsellor)
    again.set_key_text(key)
    assert again.since_last.isChecked() and "none yet" not in again.since_last.text()
    preview(qtbot, again)
    assert again.current_preview().case_count == 0  # type: ignore[union-attr]
    assert "nothing to export" in again.counts_label.text()
    assert not again.export_button.isEnabled()

    # A change to one case: only that case goes next time.
    talk = counsellor.conversations(planted_case_id(counsellor))[0]
    counsellor.save_note(talk.id or 0, Step.ADVISE, "Faste rutiner om aftenen.")
    preview(qtbot, again)
    assert again.current_preview().case_ids == (planted_case_id(counsellor),)  # type: ignore[union-attr]

    # Since a chosen day: every case changed on or after it.
    again.since_day.setChecked(True)
    assert again.day_edit.isEnabled() and again.preview_box.isHidden()
    again.day_edit.setDate(again.day_edit.minimumDate())
    preview(qtbot, again)
    assert again.since() == date(2000, 1, 1)
    assert again.current_preview().case_count == 3  # type: ignore[union-attr]


def test_key_from_a_file_and_a_bad_key_is_a_sentence(
    qtbot: QtBot, counsellor: Notebook, key: str, tmp_path: Path
) -> None:
    dialog = open_export_dialog(qtbot, counsellor)
    dialog.preview_button.click()
    assert "public key" in dialog.error_text()
    bad = tmp_path / "bad.pub"
    bad.write_text("not a key\n", encoding="utf-8")
    assert not dialog.choose_key_file(bad)
    assert "bad.pub" in dialog.key_status.text() and "age1" in dialog.key_status.text()
    dialog.preview_button.click()
    assert dialog.current_preview() is None and dialog.preview_box.isHidden()
    good = tmp_path / "supervisor.pub"
    write_public_key_file(key, good)
    assert dialog.choose_key_file(good)
    assert short_key(key) in dialog.key_status.text()
    preview(qtbot, dialog)
    assert dialog.current_preview() is not None


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_bad_key_file_says_to_ask_the_supervisor(
    qtbot: QtBot, counsellor: Notebook, tmp_path: Path, language: str
) -> None:
    """The summary export is for the supervisor: a key file without a key says to ask
    the supervisor (never the mentor)."""
    set_language(language)
    dialog = open_export_dialog(qtbot, counsellor)
    bad = tmp_path / "vejleder.pub"
    bad.write_text("Her er min nøgle\n", encoding="utf-8")
    assert not dialog.choose_key_file(bad)
    said = dialog.key_status.text().lower()
    ask = {"da": "bed din supervisor", "en": "ask your supervisor"}[language]
    assert "vejleder.pub" in said and ask in said and "mentor" not in said
    dialog.key_edit.setText("age1-fra-supervisoren")
    assert not dialog.check_key()
    assert ask in dialog.key_status.text().lower()


def test_open_case_asks_the_main_window_to_show_it(
    qtbot: QtBot, counsellor: Notebook, key: str
) -> None:
    dialog = open_export_dialog(qtbot, counsellor)
    dialog.set_key_text(key)
    preview(qtbot, dialog)
    planted = planted_case_id(counsellor)
    dialog.select_case(planted)
    with qtbot.waitSignal(dialog.open_case_requested) as asked:
        dialog.open_case_button.click()
    assert asked.args == [planted]
    # Enter (or a double click) on a case in the list does the same.
    with qtbot.waitSignal(dialog.open_case_requested) as asked:
        qtbot.keyClick(dialog.case_list, Qt.Key.Key_Return)
    assert asked.args == [planted]


def test_a_text_still_holding_an_identifier_blocks_the_export(
    qtbot: QtBot, tmp_path: Path, key: str
) -> None:
    with named_notebook(tmp_path, "blocked") as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id or 0, started_at=AT)
        # The address is replaced, and then the guard sees the phone number glued to it.
        notebook.save_note(talk.id or 0, Step.FOLLOW_UP, "Vi mødtes på Kirkevej+4529772493.")
        dialog = open_export_dialog(qtbot, notebook)
        dialog.set_key_text(key)
        preview(qtbot, dialog)
        assert not dialog.export_button.isEnabled()
        assert "1 text still holds" in dialog.blocking_label.text()
        assert "still holds an identifier" in dialog.case_list.item(0).text()
        assert "text-decoration:underline" in dialog.texts.toHtml().replace(" ", "")
        dialog.close()


def test_the_preview_marks_kept_words_and_candidates_with_a_legend(
    qtbot: QtBot, tmp_path: Path, key: str
) -> None:
    # A word the counsellor kept leaves as written, shown as their own decision; a
    # candidate is marked in another colour and does not block.
    with named_notebook(tmp_path, "kept") as notebook:
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id or 0, started_at=AT)
        notebook.save_note(
            talk.id or 0,
            Step.LISTEN,
            "Mor bruger appen Mette Hansen. Koden er 4821, og han var på Ungdomspsykiatrisk.",
        )
        keep_word(notebook, "Mette Hansen")
        dialog = open_export_dialog(qtbot, notebook)
        dialog.set_key_text(key)
        preview(qtbot, dialog)
        assert dialog.export_button.isEnabled()  # candidates never block
        html = dialog.texts.toHtml().replace(" ", "")
        plain = dialog.texts.toPlainText()
        assert "Mette Hansen" in plain and "[navn]" not in plain
        styles = {name: style.replace(" ", "") for name, style in mark_styles(False).items()}
        assert "background-color:#d3f2d9" in styles["kept"] and "font-style:italic" in html
        assert "background-color:#dce6ff" in html and "background-color:#d3f2d9" in html
        assert "2 to check" in dialog.case_list.item(0).text()
        legend = dialog.legend_label.text()
        assert "Kept word" in legend and "To check" in legend and "does not block" in legend
        assert dialog.legend_label.isVisibleTo(dialog)
        save_screenshot(dialog, "export-preview-marks")
        dialog.close()


@dataclass
class KeySettings(AppSettings):
    """Settings with the field the dialog remembers the last key in (when the app has it)."""

    last_public_key: str = ""


def test_the_last_key_is_remembered_where_the_settings_can_hold_it(
    qtbot: QtBot, counsellor: Notebook, key: str, tmp_path: Path
) -> None:
    settings = KeySettings()
    dialog = open_export_dialog(qtbot, counsellor, settings=settings)
    dialog.set_key_text(key)
    preview(qtbot, dialog)
    dialog.export_to(tmp_path / "b.cnbundle")
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    loaded = KeySettings.load()
    assert isinstance(loaded, KeySettings) and loaded.last_public_key == key
    again = open_export_dialog(qtbot, counsellor, settings=loaded)
    assert again.key_edit.text() == key and short_key(key) in again.key_status.text()
    # Plain settings without such a field: nothing is remembered, nothing fails.
    plain = open_export_dialog(qtbot, counsellor, settings=AppSettings())
    assert plain.key_edit.text() == ""


def test_every_control_is_named_and_the_preview_is_drawn(
    qtbot: QtBot, counsellor: Notebook, key: str
) -> None:
    dialog = open_export_dialog(qtbot, counsellor)
    dialog.set_key_text(key)
    preview(qtbot, dialog)
    dialog.select_case(planted_case_id(counsellor))
    assert unnamed_controls(dialog) == []
    shot = dialog.grab()
    assert not shot.isNull() and shot.width() > 200
    save_screenshot(dialog, "export-dialog")


def test_the_preview_is_built_while_the_dialog_answers(
    qtbot: QtBot, counsellor: Notebook, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    real_preview = exchange_gui.preview_export

    def gated_preview(*args: Any, **kwargs: Any) -> Any:
        assert gate.wait(20), "the preview was waited for on the UI thread"
        return real_preview(*args, **kwargs)

    monkeypatch.setattr(exchange_gui, "preview_export", gated_preview)
    dialog = open_export_dialog(qtbot, counsellor)
    assert dialog.set_key_text(key)
    try:
        dialog.preview_button.click()
        # Busy, and answering: the period can be changed meanwhile.
        assert not dialog.preview_button.isEnabled()
        assert dialog.status_text() == "Preparing the preview…"
        ticks: list[int] = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks))
        assert dialog.current_preview() is None
    finally:
        gate.set()
    qtbot.waitUntil(lambda: dialog.current_preview() is not None, timeout=20_000)
    assert dialog.preview_button.isEnabled() and dialog.export_button.isEnabled()
