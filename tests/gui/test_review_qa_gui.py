"""Mentoring as quality work in the window (issue 17): the mentor signs off a received case
and sees the sign-off outdated when a changed case arrives; changes and deletes comments;
fills in the rubric, which the student's learning overview shows over time; a sender's
new key is accepted only when the user says so, seeing both fingerprints. Real encrypted
notebooks, real signed files, the real widgets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from counsellor_app.core.domain import Step, label
from counsellor_app.core.exchange import ensure_key_pair
from counsellor_app.core.exchange.common import load_recipient
from counsellor_app.core.exchange.crypto import decrypt, encrypt
from counsellor_app.core.exchange.signing import sign_with, verify
from counsellor_app.core.i18n import _
from counsellor_app.core.mentoring import (
    RubricLevel,
    SenderKeyChanged,
    Subject,
    add_comment,
    comments,
    export_case_for_review,
    export_comments,
    import_review_file,
    level_label,
    received_cases,
    rubric,
    rubric_ratings_text,
    sign_off_states,
)
from counsellor_app.core.mentoring.format import to_json
from counsellor_app.core.store import Notebook
from counsellor_app.gui.formatting import format_day
from counsellor_app.gui.learning import LearningWindow
from counsellor_app.gui.review import CommentDialog, RubricDialog, SignOffDialog
from counsellor_app.gui.review_files import (
    CommentsExportDialog,
    ReceivedCasesWindow,
    ReviewImportDialog,
)
from tests.gui.helpers import Student, answer_modal, make_review_view, unnamed_controls
from tests.helpers import FAST_KDF, SteppedClock


@pytest.fixture
def mentor(tmp_path: Path) -> Iterator[Notebook]:
    notebook, _recovery = Notebook.create(tmp_path / "mentor.cnb", "pw", kdf=FAST_KDF)
    yield notebook
    notebook.close()


def send(student: Student, mentor: Notebook, path: Path) -> Subject:
    export_case_for_review(student.nb, student.case_id, ensure_key_pair(mentor), path)
    subject = import_review_file(mentor, path).subject
    assert subject is not None
    return subject


def click_save(qtbot: QtBot, buttons: QDialogButtonBox) -> None:
    qtbot.mouseClick(
        buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )


def test_the_mentor_signs_off_and_sees_it_outdated_when_the_case_changes(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    received = send(student, mentor, tmp_path / "1.cnreview")
    view = make_review_view(qtbot, mentor, received)
    assert view.sign_off_button.isVisibleTo(view)
    qtbot.mouseClick(view.sign_off_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, SignOffDialog)
    qtbot.keyClicks(dialog.initials, "MK")
    click_save(qtbot, dialog.buttons)
    (state,) = sign_off_states(mentor, received)
    assert state.mentor == "MK" and not state.outdated
    outdated = _("Outdated: the case has changed since.")
    assert "MK" in view.sign_offs_label.text() and outdated not in view.sign_offs_label.text()

    # the student changes a note and sends the case again: the sign-off is outdated
    student.nb.save_note(student.talk_ids[1], Step.ADVISE, "Et nyt råd efter godkendelsen.")
    send(student, mentor, tmp_path / "2.cnreview")
    view.reload()
    assert outdated in view.sign_offs_label.text()
    window = ReceivedCasesWindow(mentor)
    qtbot.addWidget(window)
    item = window.tree.topLevelItem(0)
    signed_on = _("{day} (outdated)").format(day=format_day(date.today()))
    assert item is not None and item.text(5) == signed_on

    # at the student's: the sign-off came with the comments; shown outdated after a change
    back = tmp_path / "back.cncomments"
    export_comments(mentor, received.id, back)
    import_review_file(student.nb, back)
    own = make_review_view(qtbot, student.nb, student.subject)
    assert not own.sign_off_button.isVisibleTo(own)
    assert outdated in own.sign_offs_label.text()  # it approved the version before


def test_the_mentor_changes_and_deletes_a_comment_from_its_card(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    received = send(student, mentor, tmp_path / "1.cnreview")
    view = make_review_view(qtbot, mentor, received)
    view_ref = view.conversation_panels[0].conversation.ref
    kept = add_comment(mentor, received, view_ref, Step.LISTEN, "MK", "Godt lyttet.")
    gone = add_comment(mentor, received, view_ref, None, "MK", "Slettes.")
    view.reload()
    card = view.conversation_panels[0].steps[Step.LISTEN].cards[0]
    assert card.edit_button is not None and card.delete_button is not None
    qtbot.mouseClick(card.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, CommentDialog)
    assert dialog.text.toPlainText() == "Godt lyttet." and not dialog.initials.isEnabled()
    dialog.text.setPlainText("Godt lyttet; du lod mor tale færdig.")
    click_save(qtbot, dialog.buttons)
    by_uid = {c.uid: c for c in comments(mentor, received)}
    assert by_uid[kept.uid].text == "Godt lyttet; du lod mor tale færdig."
    assert by_uid[kept.uid].edited_at is not None
    card = view.conversation_panels[0].steps[Step.LISTEN].cards[0]
    assert card.comment.text.startswith("Godt lyttet;")

    # Delete asks first: No keeps it, Yes deletes it
    whole = view.conversation_panels[0].cards[0]
    assert whole.comment.uid == gone.uid and whole.delete_button is not None

    def answer(button: QMessageBox.StandardButton) -> Any:
        return lambda box: box.button(button).click()

    kept_box = answer_modal(QMessageBox, answer(QMessageBox.StandardButton.No))
    qtbot.mouseClick(whole.delete_button, Qt.MouseButton.LeftButton)
    kept_box.check()
    assert len(comments(mentor, received)) == 2
    deleted_box = answer_modal(QMessageBox, answer(QMessageBox.StandardButton.Yes))
    whole = view.conversation_panels[0].cards[0]
    assert whole.delete_button is not None
    qtbot.mouseClick(whole.delete_button, Qt.MouseButton.LeftButton)
    deleted_box.check()
    assert [c.uid for c in comments(mentor, received)] == [kept.uid]
    assert not view.conversation_panels[0].cards

    # at the student's the cards have no Change… or Delete…: the student only answers
    back = tmp_path / "back.cncomments"
    export_comments(mentor, received.id, back)
    import_review_file(student.nb, back)
    own = make_review_view(qtbot, student.nb, student.subject)
    (card,) = own.conversation_panels[0].steps[Step.LISTEN].cards
    assert card.comment.text == "Godt lyttet; du lod mor tale færdig."
    assert card.edit_button is None and card.delete_button is None
    assert card.answer_button is not None


def test_the_mentors_rubric_reaches_the_students_learning_overview(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    received = send(student, mentor, tmp_path / "1.cnreview")
    view = make_review_view(qtbot, mentor, received)
    for number, (listen, advise) in enumerate(
        ((RubricLevel.PARTLY, RubricLevel.NOT_YET), (RubricLevel.WELL, RubricLevel.EXEMPLARY))
    ):
        panel = view.conversation_panels[number]
        assert panel.rubric_button is not None
        qtbot.mouseClick(panel.rubric_button, Qt.MouseButton.LeftButton)
        dialog = view.dialog
        assert isinstance(dialog, RubricDialog)
        if number == 0:
            qtbot.keyClicks(dialog.initials, "MK")
        dialog.choose(Step.LISTEN, listen, "Afbrød mor." if number == 0 else "")
        dialog.choose(Step.ADVISE, advise)
        click_save(qtbot, dialog.buttons)
        assert not dialog.isVisible()
    assert [(r.conversation_number, r.step, r.level) for r in rubric(mentor, received)] == [
        (1, Step.LISTEN, RubricLevel.PARTLY),
        (1, Step.ADVISE, RubricLevel.NOT_YET),
        (2, Step.LISTEN, RubricLevel.WELL),
        (2, Step.ADVISE, RubricLevel.EXEMPLARY),
    ]
    first = view.conversation_panels[0].rubric_label.text()
    assert level_label(RubricLevel.PARTLY) in first and "Afbrød mor." in first
    # a note without a level is refused in the dialog, which stays open
    panel = view.conversation_panels[0]
    assert panel.rubric_button is not None
    qtbot.mouseClick(panel.rubric_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, RubricDialog)
    assert dialog.level(Step.LISTEN) is RubricLevel.PARTLY  # as given
    dialog.choose(Step.ALLIANCES, None, "En note uden niveau")
    click_save(qtbot, dialog.buttons)
    assert dialog.isVisible() and dialog.error.isVisibleTo(dialog)
    dialog.reject()

    # the dialog that sends them back says the ratings go with the comments
    [case] = received_cases(mentor)
    sending = CommentsExportDialog(mentor, case)
    qtbot.addWidget(sending)
    assert rubric_ratings_text(4) in sending.ui.intro.text()

    back = tmp_path / "back.cncomments"
    export_comments(mentor, received.id, back)
    import_review_file(student.nb, back)
    learning = LearningWindow(student.nb)
    qtbot.addWidget(learning)
    learning.show_tab(LearningWindow.OVERVIEW)
    overview = learning.overview
    assert [r.conversation_number for r in overview.rubric_rows] == [1, 2]
    assert overview.rubric_table.isVisibleTo(overview)
    assert overview.rubric_cell(0, Step.LISTEN) == level_label(RubricLevel.PARTLY)
    assert overview.rubric_cell(1, Step.ADVISE) == level_label(RubricLevel.EXEMPLARY)
    assert overview.rubric_cell(0, Step.FOLLOW_UP) == "–"
    # and a strip per step, in time order, as tall as the level (and said in words)
    strips = dict(overview.rubric_chart.rows())
    assert strips[label(Step.LISTEN)] == (2, 3) and strips[label(Step.ADVISE)] == (1, 4)
    assert strips[label(Step.FOLLOW_UP)] == (None, None)
    said = overview.rubric_chart.description()
    partly, well = level_label(RubricLevel.PARTLY), level_label(RubricLevel.WELL)
    assert f"{label(Step.LISTEN)}: {partly} → {well}" in said
    # the student's review mode shows the rubric, with no Rubric… button
    own = make_review_view(qtbot, student.nb, student.subject)
    assert own.conversation_panels[0].rubric_button is None
    assert level_label(RubricLevel.NOT_YET) in own.conversation_panels[0].rubric_label.text()


def test_the_learning_overview_names_an_outdated_sign_off(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    from counsellor_app.core.mentoring import sign_off

    received = send(student, mentor, tmp_path / "1.cnreview")
    sign_off(mentor, received, date(2026, 4, 2), "MK")
    back = tmp_path / "back.cncomments"
    export_comments(mentor, received.id, back)
    import_review_file(student.nb, back)
    learning = LearningWindow(student.nb)
    qtbot.addWidget(learning)
    learning.show_tab(LearningWindow.OVERVIEW)
    figures = learning.overview.figures
    assert figures["outdated"].text() == _("none") and figures["reviewed"].text().startswith("1 ")
    student.nb.save_note(student.talk_ids[0], Step.LISTEN, "Ændret efter godkendelsen.")
    learning.overview.reload()
    assert student.code in figures["outdated"].text()
    assert figures["reviewed"].text().startswith("0 ")


def test_a_senders_new_key_is_accepted_only_when_the_user_says_so(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path, store_clock: SteppedClock
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    received = send(student, mentor, tmp_path / "1.cnreview")
    panel = make_review_view(qtbot, mentor, received).conversation_panels[0]
    add_comment(mentor, received, panel.conversation.ref, None, "MK", "Første.")
    first = tmp_path / "first.cncomments"
    export_comments(mentor, received.id, first)
    import_review_file(student.nb, first)  # pins the mentor's key for the case
    # the mentor's new notebook key signs the next comments
    data = json.loads(verify(decrypt(student.nb, first.read_bytes(), first)).payload)
    data["comments_id"] = "2f1c7a0e-5b7d-4b0e-9a57-2f6d7c0b1e52"
    data["comments"][0]["text"] = "Anden ordlyd."
    data["comments"][0]["edited_at"] = "2026-12-31T10:00:00+00:00"
    moved = tmp_path / "moved.cncomments"
    moved.write_bytes(
        encrypt(
            sign_with(Ed25519PrivateKey.generate(), to_json(data)),
            load_recipient(ensure_key_pair(student.nb)),
        )
    )
    seen: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Any:
        def act(box: QMessageBox) -> None:
            seen.append(box.text())
            box.button(button).click()

        return act

    dialog = ReviewImportDialog(student.nb)
    qtbot.addWidget(dialog)
    refused = answer_modal(QMessageBox, answer(QMessageBox.StandardButton.No))
    dialog.import_files([moved])
    qtbot.waitUntil(lambda: not dialog.busy() and dialog.report() is not None)
    refused.check()
    report = dialog.report()
    assert report is not None and len(report.refused) == 1
    error = report.refused[0].error
    assert isinstance(error, SenderKeyChanged)
    assert error.pinned in seen[0] and error.fingerprint in seen[0]
    report = dialog.report()
    assert report is not None and len(report.refused) == 1
    assert comments(student.nb, student.subject)[0].text == "Første."

    again = ReviewImportDialog(student.nb)
    qtbot.addWidget(again)
    accepted = answer_modal(QMessageBox, answer(QMessageBox.StandardButton.Yes))
    again.import_files([moved])
    qtbot.waitUntil(lambda: not again.busy() and len(again.lines()) == 1, timeout=10_000)
    accepted.check()
    report = again.report()
    assert report is not None and len(report.imported) == 1, again.lines()
    assert comments(student.nb, student.subject)[0].text == "Anden ordlyd."


def test_the_mentors_controls_are_named_for_a_screen_reader(
    qtbot: QtBot, student: Student, mentor: Notebook, tmp_path: Path
) -> None:
    received = send(student, mentor, tmp_path / "1.cnreview")
    view = make_review_view(qtbot, mentor, received)
    add_comment(mentor, received, view.conversation_panels[0].conversation.ref, None, "MK", "x")
    view.reload()
    assert unnamed_controls(view) == []
    panel = view.conversation_panels[0]
    assert panel.rubric_button is not None
    qtbot.mouseClick(panel.rubric_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, RubricDialog)
    qtbot.waitExposed(dialog)
    assert unnamed_controls(dialog) == []
    dialog.reject()
