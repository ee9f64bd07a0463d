"""The case study PDF: de-identified, with comments and reflections; read back with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from counsellor_app.core import gate
from counsellor_app.core.anonymity import Deidentified, Finding, IdentifierKind
from counsellor_app.core.case_study import case_study_pdf, write_case_study
from counsellor_app.core.domain import Concern, ConcernDecision, ConcernSigns, Role, Step
from counsellor_app.core.exchange import ensure_key_pair
from counsellor_app.core.gate import IdentifierLeaves
from counsellor_app.core.i18n import set_language
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.mentoring import (
    Subject,
    add_comment,
    add_reflection,
    answer_comment,
    case_version,
    conversation_refs,
    export_case_for_review,
    import_review_file,
)
from counsellor_app.core.mentoring.format import SignOffRecord
from counsellor_app.core.mentoring.records import merge_sign_offs
from counsellor_app.core.store import Notebook
from tests.helpers import PASSPHRASE
from tests.unit.exchange_support import (
    CALLBACK,
    contains_word,
    plant_corpus_case,
    planted_identifiers,
)

AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def planted_case(notebook: Notebook) -> int:
    case_id = plant_corpus_case(notebook, AT)
    subject = Subject.own(case_id)
    refs = conversation_refs(notebook, subject)
    note = notebook.conversations(case_id)[0].notes[Step.LISTEN]
    comment = add_comment(notebook, subject, refs[0], Step.LISTEN, "MK", "Godt. " + note)
    answer_comment(notebook, subject, comment.uid, "Tak. " + note)
    add_comment(notebook, subject, refs[1], None, "MK", "Rolig samtale hele vejen.")
    add_reflection(notebook, case_id, worked=note, differently="Spørge mere.", learn=note)
    # the mentor's sign-off, as the mentor's comments file stores it (a student cannot sign off)
    signed = SignOffRecord(date(2026, 4, 2), "MK", case_version(notebook, case_id))
    with notebook.transaction() as db:
        merge_sign_offs(db, subject, [signed])
    return case_id


def test_case_study_holds_comments_and_reflections_and_no_identifier(
    student: Notebook, tmp_path: Path
) -> None:
    case_id = planted_case(student)
    student.record_concern(
        Concern(
            case_id,
            ConcernSigns.UNSURE,
            ConcernDecision.TALK_WITH_SUPERVISOR,
            reasoning="Begrundelsen for bekymringen står her.",
        )
    )
    path = write_case_study(student, Subject.own(case_id), tmp_path / "case.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    flat = " ".join(text.split())
    assert "Rolig samtale hele vejen." in flat and "Spørge mere." in flat
    assert "[navn]" in flat  # the notes are there, de-identified
    assert "MK" in flat and "2026" in flat  # the sign-off
    leaked = [p for p in sorted(planted_identifiers()) if contains_word(flat, p)]
    assert leaked == []
    assert student.case(case_id).code not in flat
    digits = "".join(ch for ch in CALLBACK if ch.isdigit())
    assert digits not in flat.replace(" ", "")
    # the reasoning of a concern stays out
    assert "Begrundelsen for bekymringen" not in flat


def test_case_study_of_a_received_case(
    student: Notebook, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    case_id = planted_case(student)
    mentor, _ = Notebook.create(tmp_path / "m.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)
    with mentor:
        review = tmp_path / "r.cnreview"
        export_case_for_review(student, case_id, ensure_key_pair(mentor), review)
        subject = import_review_file(mentor, review).subject
        assert subject is not None
        text = " ".join(pdf_text(case_study_pdf(mentor, subject)).split())
    assert "Rolig samtale hele vejen." in text
    assert [p for p in sorted(planted_identifiers()) if contains_word(text, p)] == []


def test_case_study_is_refused_when_an_identifier_remains(
    student: Notebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = planted_case(student)
    # a de-identification that reports a finding but replaces nothing: the scan
    # afterwards finds the names, so no PDF
    found = [Finding(0, 0, IdentifierKind.NAME, "")]
    monkeypatch.setattr(gate, "deidentify", lambda text: Deidentified(text, found, {}))
    target = tmp_path / "refused.pdf"
    with pytest.raises(IdentifierLeaves):
        write_case_study(student, Subject.own(case_id), target)
    assert not target.exists()


def test_a_sign_off_of_an_earlier_version_is_printed_as_outdated(student: Notebook) -> None:
    case_id = planted_case(student)
    subject = Subject.own(case_id)
    signed = "Gennemgangen er godkendt af MK den 2. april 2026."
    outdated = "Forældet: sagen er ændret siden."
    flat = " ".join(pdf_text(case_study_pdf(student, subject)).split())
    assert signed in flat and outdated not in flat  # the version it approved

    # the student changes a note after the mentor signed off
    talk = student.conversations(case_id)[1]
    student.save_note(talk.id or 0, Step.ADVISE, "Et andet råd, skrevet efter godkendelsen.")
    flat = " ".join(pdf_text(case_study_pdf(student, subject)).split())
    assert f"{signed} {outdated}" in flat

    set_language("en")
    flat = " ".join(pdf_text(case_study_pdf(student, subject)).split())
    assert "Review signed off by MK on 2 April 2026. Outdated: the case has changed since." in flat
