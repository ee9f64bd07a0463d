"""The one gate every text passes on its way out (issue 13).

The planted-identifier test puts one identifier of every kind the engine knows, and the
case's call-back number spaced, dashed, dotted and glued to words, into every free text
of a case (the four step notes, the alliance's role and agreement, the three follow-up
tasks, the concern's reasoning, a comment and its answer, the reflections) and proves
that every exit replaces or refuses it: the summary bundle (read back decrypted), the
case summary PDF and the case-study PDF (read with pypdf), the review file to a mentor
(decrypted), the mentor's comments back to the student (decrypted) and a copy of a text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pyrage import x25519

from counsellor_app.core.anonymity import IdentifierKind
from counsellor_app.core.anonymity.candidates import CandidateKind, find_candidates
from counsellor_app.core.case_study import write_case_study
from counsellor_app.core.domain import (
    Alliance,
    Concern,
    ConcernDecision,
    ConcernSigns,
    FollowUp,
    Partner,
    Role,
    Step,
)
from counsellor_app.core.exchange import ensure_key_pair, export_bundle, preview_export
from counsellor_app.core.exchange.crypto import decrypt, encrypt
from counsellor_app.core.exchange.signing import SIGNED_MAGIC, sign, verify
from counsellor_app.core.gate import (
    Gate,
    IdentifierLeaves,
    Place,
    callback_digits,
    copy_text,
    digit_runs,
    holds_callback,
)
from counsellor_app.core.kept_words import forget_word, keep_word
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.mentoring import (
    Subject,
    add_comment,
    add_reflection,
    answer_comment,
    conversation_refs,
    export_case_for_review,
    import_review_file,
)
from counsellor_app.core.mentoring.files import export_comments
from counsellor_app.core.reports import (
    write_case_summary,
    write_imported_case_summary,
    write_period_report,
)
from counsellor_app.core.research import research_export
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle, imported_cases
from tests.helpers import PASSPHRASE

AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
CALLBACK = "29 87 65 43"
DIGITS = "29876543"

#: One identifier of every kind the engine knows (as written in a sentence), and the
#: call-back number in the spellings a note may hold. ``token`` is what must not leave.
PLANTED: dict[str, tuple[str, str]] = {
    "name": ("Mor sagde at Mette Hansen kom forbi.", "Mette Hansen"),
    "cpr": ("Hans CPR er 140312-1234 står der.", "140312-1234"),
    "phone": ("Ring på 28 45 91 23 i aften.", "28 45 91 23"),
    "email": ("Skriv til mette.hansen@gmail.com i aften.", "mette.hansen@gmail.com"),
    "url": ("Se https://www.facebook.com/mette.hansen.77 i aften.", "facebook.com/mette"),
    "handle": ("Hun hedder @mettehansen77 på Instagram.", "mettehansen77"),
    "address": ("De bor på Kirkevej 12, 2. th. nu.", "Kirkevej 12"),
    "postcode_town": ("Familien bor i 8000 Aarhus C nu.", "8000 Aarhus"),
    "institution": ("Han går på Tranbjerg Skole i 4. klasse.", "Tranbjerg Skole"),
    "place": ("De er flyttet til Hjortshøj sidste år.", "Hjortshøj"),
    "municipality": ("Sagen ligger i Favrskov Kommune nu.", "Favrskov"),
    "date": ("Hun er født 14. marts 2012 siger mor.", "14. marts 2012"),
    "case_number": ("Sagsnummer 2024-123456 hos kommunen.", "2024-123456"),
    "licence_plate": ("Far kører i bilen med nummerplade AB 12 345 nu.", "AB 12 345"),
    "passport": ("Hans pasnummer er 206123456 siger mor.", "206123456"),
    "account_iban": ("Pengene går til IBAN DK50 0040 0440 1162 43 nu.", "0040 0440 1162"),
    "account_reg": ("Far bruger reg.nr. 1234 konto 1234567890 nu.", "1234567890"),
    "account_mobilepay": ("Send pengene på MobilePay 28459123 i aften.", "28459123"),
    "phone_foreign": ("Farmor har svensk nummer 070-123 45 67 i aften.", "070-123 45 67"),
    "phone_after_comma": ("Mødet er kl. 12,28459123 skrev hun.", "28459123"),
    "callback_plain": ("Mor kan ringes op på 29 87 65 43 i aften.", ""),
    "callback_spaced": ("Ring tilbage på 2 9 8 7 6 5 4 3 efter kl. 16.", ""),
    "callback_dashed": ("Nummeret er 29-87-65-43 skrev hun.", ""),
    "callback_dotted": ("Nummeret er 29.87.65.43 skrev hun.", ""),
    "callback_glued": ("Mor sagde ring29876543nu hvis det haster.", ""),
    "callback_commas": ("Hun gav 29, 87, 65, 43 som nummer.", ""),
}


def leaks(text: str, token: str) -> bool:
    """Whether ``token`` (or, for a call-back spelling, the call-back number) is in
    ``text``, whatever the spaces and line breaks a PDF puts in."""
    flat = "".join(text.split())
    if not token:
        return holds_callback(text, DIGITS) or DIGITS in flat
    return "".join(token.split()) in flat


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def unsigned(data: bytes) -> bytes:
    """The JSON of a decrypted file, without its signature if it is signed."""
    return verify(data).payload if data.startswith(SIGNED_MAGIC) else data


def json_text(data: bytes) -> str:
    """Every string of a decrypted JSON file, non-ASCII letters as themselves."""
    return json.dumps(json.loads(unsigned(data).decode("utf-8")), ensure_ascii=False)


def plant(notebook: Notebook, sentence: str) -> int:
    """A case whose every free text holds ``sentence``, with the call-back number."""
    case = notebook.new_case(themes=["school_absence"], arenas=["school"])
    assert case.id is not None
    for day in (2, 9):
        talk = notebook.new_conversation(case.id, started_at=AT.replace(day=day))
        assert talk.id is not None
        for step in Step:
            notebook.save_note(talk.id, step, f"Samtale om skolen. {sentence}")
    notebook.save_alliance(Alliance(case.id, Partner.SCHOOL, role=sentence, agreed=sentence))
    notebook.save_follow_up(
        FollowUp(
            case.id,
            date(2026, 3, 30),
            counsellor_task=sentence,
            parent_task=sentence,
            others_task=sentence,
        )
    )
    notebook.record_concern(
        Concern(
            case.id, ConcernSigns.UNSURE, ConcernDecision.TALK_WITH_SUPERVISOR, reasoning=sentence
        )
    )
    subject = Subject.own(case.id)
    refs = conversation_refs(notebook, subject)
    comment = add_comment(notebook, subject, refs[0], Step.LISTEN, "MK", sentence)
    answer_comment(notebook, subject, comment.uid, sentence)
    add_reflection(notebook, case.id, worked=sentence, differently=sentence, learn=sentence)
    notebook.set_callback(case.id, CALLBACK)
    return case.id


def replaced_or_refused(make: Callable[[], str], token: str, exit_name: str) -> None:
    """``make()`` writes an export and returns its text; it must refuse with the gate's
    error, or its text must not hold ``token``."""
    try:
        text = make()
    except IdentifierLeaves as refusal:
        assert refusal.case and refusal.field, exit_name
        return
    assert not leaks(text, token), exit_name


@pytest.fixture
def mentor_nb(tmp_path: Path, fast_kdf: KdfParams) -> Any:
    notebook, _ = Notebook.create(tmp_path / "m.cnb", PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)
    with notebook:
        yield notebook


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_every_exit_replaces_or_refuses_a_planted_identifier(
    kind: str, student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    sentence, token = PLANTED[kind]
    case_id = plant(student, sentence)
    key = ensure_key_pair(mentor_nb)

    def bundle() -> str:
        out = export_bundle(student, key, tmp_path / "b.cnbundle").path
        return json_text(decrypt(mentor_nb, out.read_bytes(), out))

    def summary() -> str:
        return pdf_text(write_case_summary(student, case_id, tmp_path / "summary.pdf"))

    def case_study() -> str:
        return pdf_text(write_case_study(student, Subject.own(case_id), tmp_path / "cs.pdf"))

    def review_file() -> str:
        out = export_case_for_review(student, case_id, key, tmp_path / "r.cnreview").path
        return json_text(decrypt(mentor_nb, out.read_bytes(), out))

    def copy() -> str:
        return copy_text(sentence)

    for name, make in [
        ("bundle", bundle),
        ("case summary", summary),
        ("case study", case_study),
        ("review file", review_file),
    ]:
        replaced_or_refused(make, token, name)
    if token:  # a copy knows no case, so no call-back number: it replaces what it finds
        assert not leaks(copy(), token)


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("licence_plate", "licence_plate"),
        ("passport", "passport"),
        ("account_iban", "account"),
        ("account_mobilepay", "account"),
    ],
)
def test_a_bundle_counts_plates_passports_and_accounts_as_their_own_kinds(
    planted: str, kind: str, student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    # Labelled as what they are (an account, not a phone number), in the bundle's counts.
    plant(student, PLANTED[planted][0])
    out = export_bundle(student, ensure_key_pair(mentor_nb), tmp_path / "b.cnbundle").path
    data = json.loads(unsigned(decrypt(mentor_nb, out.read_bytes(), out)).decode("utf-8"))
    assert data["replacements"].get(kind, 0) > 0, data["replacements"]
    assert data["replacements"].get("phone", 0) == 0


def received_by_mentor(
    student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> tuple[Subject, list[str]]:
    """A case of the student's, sent for review and received by the mentor: its subject
    in the mentor's notebook and its conversations' references."""
    case_id = plant(student, "Mor fortæller om skolen.")
    review = export_case_for_review(
        student, case_id, ensure_key_pair(mentor_nb), tmp_path / "r.cnreview"
    ).path
    subject = import_review_file(mentor_nb, review).subject
    assert subject is not None
    return subject, conversation_refs(mentor_nb, subject)


@pytest.mark.parametrize("kind", sorted(k for k in PLANTED if PLANTED[k][1]))
def test_a_mentors_comment_back_to_the_student_is_replaced_or_refused(
    kind: str, student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    # The mentor never sees the call-back number, so only identifiers are planted here.
    sentence, token = PLANTED[kind]
    subject, refs = received_by_mentor(student, mentor_nb, tmp_path)
    add_comment(mentor_nb, subject, refs[0], Step.LISTEN, "MK", f"Godt spurgt. {sentence}")

    def comments_file() -> str:
        out = export_comments(mentor_nb, subject.id, tmp_path / "c.cnreview").path
        return json_text(decrypt(student, out.read_bytes(), out))

    replaced_or_refused(comments_file, token, "comments")


# ---------------------------------------------------------------------------- kept words

#: A sentence with a word the engine takes for a name (a local term the counsellor keeps)
#: and a phone number, which no decision of the counsellor's lets out.
KEPT_SENTENCE = "Mor bruger appen Mette Hansen og ringer fra 28 45 91 23."


def test_every_exit_lets_a_kept_word_leave_as_written(
    student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    # The counsellor's "not an identifier" is a decision for the notebook: every exit of
    # an own case keeps the word, and still replaces everything else.
    case_id = plant(student, KEPT_SENTENCE)
    student.set_callback(case_id, None)
    key = ensure_key_pair(mentor_nb)

    def exits() -> dict[str, str]:
        bundle = export_bundle(student, key, tmp_path / "b.cnbundle", since=date(2000, 1, 1)).path
        review = export_case_for_review(student, case_id, key, tmp_path / "r.cnreview").path
        return {
            "bundle": json_text(decrypt(mentor_nb, bundle.read_bytes(), bundle)),
            "case summary": pdf_text(write_case_summary(student, case_id, tmp_path / "s.pdf")),
            "case study": pdf_text(
                write_case_study(student, Subject.own(case_id), tmp_path / "cs.pdf")
            ),
            "review file": json_text(decrypt(mentor_nb, review.read_bytes(), review)),
        }

    for name, text in exits().items():
        assert not leaks(text, "Mette Hansen"), name  # replaced until it is kept
    keep_word(student, "mette  HANSEN")
    keep_word(student, "28 45 91 23")  # no word: a number is never kept
    for name, text in exits().items():
        assert leaks(text, "Mette Hansen"), name
        assert not leaks(text, "28 45 91 23"), name
    forget_word(student, "Mette Hansen")
    for name, text in exits().items():
        assert not leaks(text, "Mette Hansen"), name


def test_a_mentors_kept_word_leaves_in_the_comments(
    student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    subject, refs = received_by_mentor(student, mentor_nb, tmp_path)
    add_comment(mentor_nb, subject, refs[0], Step.LISTEN, "MK", f"Godt. {KEPT_SENTENCE}")
    keep_word(mentor_nb, "Mette Hansen")
    out = export_comments(mentor_nb, subject.id, tmp_path / "c.cnreview").path
    text = json_text(decrypt(student, out.read_bytes(), out))
    assert leaks(text, "Mette Hansen") and not leaks(text, "28 45 91 23")


def test_the_preview_marks_kept_words_and_candidates(student: Notebook) -> None:
    plant(student, KEPT_SENTENCE + " Koden er 4821, og han var på Ungdomspsykiatrisk.")
    keep_word(student, "Mette Hansen")
    preview = preview_export(student)
    item = next(t for t in preview.texts if t.field == "alliance_agreed")
    assert [item.text[k.start : k.end] for k in item.kept] == ["Mette Hansen"]
    assert item.kept[0].kind is IdentifierKind.NAME
    assert [(item.text[c.start : c.end], c.kind) for c in item.candidates] == [
        ("4821", CandidateKind.DIGITS),
        ("Ungdomspsykiatrisk", CandidateKind.CAPITALISED),
    ]
    assert "[telefon]" in item.text and not preview.blocking  # candidates never block
    # the bundle counts only what was replaced, not the kept word
    assert preview.replacements == {
        IdentifierKind.PHONE: preview.replacements[IdentifierKind.PHONE]
    }


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Koden er 4821 nu.", ["4821"]),
        ("Han sagde 12 34 56 til mig.", ["12 34 56"]),
        ("Nummeret 2-0-3-0 stod der.", ["2-0-3-0"]),
        ("Hun kender Qwimbly fra klubben.", ["Qwimbly"]),
        ("Han var hos Qwimblys mor.", ["Qwimblys"]),
        ("Mødet er kl. 16.30 den 3. maj.", []),
        ("Hun går i 4. klasse og er 12 år.", []),
        ("Qwimbly kom ind. Sådan var det.", []),  # a sentence's first word: no name's place
        ("De ringede til PPR og BørneTelefonen.", []),
        ("Ring til Børnetelefonen på 116 111.", []),
        ("Han spiller Minecraft hver aften i [by].", []),
        ("Hun er fra Danmark og går i skole.", []),
        ("Hun ringede til Børne- og Ungeforvaltningen i January.", ["Ungeforvaltningen"]),
    ],
)
def test_candidates_are_leftover_digits_and_unknown_capitalised_words(
    text: str, found: list[str]
) -> None:
    assert [text[c.start : c.end] for c in find_candidates(text)] == found


def test_kept_words_and_placeholders_are_no_candidates() -> None:
    text = "Hun kender Qwimbly og [navn] fra 4821."
    assert [text[c.start : c.end] for c in find_candidates(text, kept={"qwimbly"})] == ["4821"]
    assert find_candidates(text, kept={"qwimbly"}, skip=[(34, 38)]) == []


def test_the_gate_keeps_only_words_of_a_name_a_place_or_an_institution() -> None:
    gate = Gate(kept=["Mette Hansen", "28 45 91 23", "Tranbjerg Skole"])
    passage = gate.examine(
        "Mette Hansen ringer fra 28 45 91 23 om Tranbjerg Skole.", Place("x", "listen")
    )
    assert passage.text == "Mette Hansen ringer fra [telefon] om Tranbjerg Skole."
    assert [passage.text[k.start : k.end] for k in passage.kept] == [
        "Mette Hansen",
        "Tranbjerg Skole",
    ]
    assert [r.kind for r in passage.replacements] == [IdentifierKind.PHONE]
    assert not passage.blocked and gate.counts == {IdentifierKind.PHONE: 1}
    # settled (a text arriving) the same way, and cut to a limit with the marks
    assert gate.settle("Mette Hansen: 28 45 91 23") == "Mette Hansen: [telefon]"
    cut = Gate(limit=20, kept=["Mette Hansen"]).examine(
        "Ring 28 45 91 23 til Mette Hansen.", Place("x", "f")
    )
    assert cut.text.endswith("…") and cut.kept == ()


# ---------------------------------------------------------------------------- the gate itself


@pytest.mark.parametrize(
    "text",
    [
        "ring 29 87 65 43",
        "ring 2 9 8 7 6 5 4 3",
        "ring 29-87-65-43",
        "ring 29.87.65.43",
        "ring 2987 6543",
        "ring29876543nu",
        "ring +45 29 87 65 43",
        "ring 29, 87, 65, 43",
        "ring 29 – 87 – 65 – 43",
        "ring ２９８７６５４３",
    ],
)
def test_the_callback_is_found_in_any_spacing(text: str) -> None:
    assert holds_callback(text, callback_digits(CALLBACK))


@pytest.mark.parametrize(
    "text", ["ring 29 87 65 44", "kl. 29 og 87 min", "2987 eller 6543", "[telefon]", ""]
)
def test_other_numbers_are_not_the_callback(text: str) -> None:
    assert not holds_callback(text, callback_digits(CALLBACK))


def test_digit_runs_end_at_a_letter_or_a_long_gap() -> None:
    assert digit_runs("a1 2 3b45    6") == ["123", "45", "6"]
    assert callback_digits("12 34") is None and callback_digits("+45 2987 6543") == DIGITS


def test_a_refusal_names_the_case_by_reference_the_conversation_and_the_field() -> None:
    gate = Gate()
    gate.know_callback("abcdef", CALLBACK)
    place = Place("abcdef", "listen", 7)
    with pytest.raises(IdentifierLeaves) as caught:
        gate.clean("Ring 29, 87, 65, 43.", place, "the Listen note")
    error = caught.value
    assert (error.case, error.conversation, error.field, error.callback) == (
        "abcdef",
        7,
        "listen",
        True,
    )
    assert "abcdef" in str(error) and "the Listen note" in str(error)
    assert gate.clean("Ring 29, 87, 65, 43.", Place("other", "listen")) != ""


def test_the_gate_cuts_to_the_limit_and_scans_again() -> None:
    gate = Gate(limit=40)
    passage = gate.examine("Mette Hansen " + "ord " * 50, Place("x", "listen"))
    assert len(passage.text) == 40 and passage.text.endswith("…")
    assert passage.text.startswith("[navn]") and not passage.blocked


def test_settling_replaces_until_nothing_is_found() -> None:
    # the address is replaced, and then the engine sees the phone number glued to it
    text = "Vi mødtes på Kirkevej+4529772493."
    assert Gate().examine(text, Place("x", "f")).blocked
    settled = Gate().settle(text)
    assert "29772493" not in settled and "Kirkevej" not in settled


# ---------------------------------------------------------------------------- what arrives

#: What a file from an older or altered app may hold: it is replaced as it arrives.
ARRIVING = "Mor sagde at Mette Hansen ringer fra 28 45 91 23."


def _resent(
    path: Path,
    receiver: Notebook,
    change: Callable[[dict[str, Any]], None],
    signer: Notebook | None = None,
) -> Path:
    """The file at ``path`` (encrypted to ``receiver``) changed by ``change`` and encrypted
    again, as another version of the app (or an altered one) might have made it; signed
    again by ``signer`` (the sender's own key) where given."""
    data = json.loads(unsigned(decrypt(receiver, path.read_bytes(), path)))
    change(data)
    out = path.with_name("changed-" + path.name)
    recipient = x25519.Recipient.from_str(ensure_key_pair(receiver))
    plain = json.dumps(data, ensure_ascii=False).encode("utf-8")
    out.write_bytes(encrypt(sign(signer, plain) if signer else plain, recipient))
    return out


def test_a_bundle_is_scanned_as_it_arrives_and_the_case_marked(
    student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    supervisor = mentor_nb
    case_id = plant(student, "Mor fortæller om skolen.")
    original = export_bundle(student, ensure_key_pair(supervisor), tmp_path / "b.cnbundle").path

    def plant_texts(data: dict[str, Any]) -> None:
        data["bundle_id"] = "0f8fad5b-d9cb-469f-a165-70867728950e"
        (case,) = data["cases"]
        case["conversations"][0]["summary"]["listen"] = ARRIVING
        case["concerns"][0]["reasoning"] = ARRIVING

    result = import_bundle(
        supervisor, _resent(original, supervisor, plant_texts, student), accept_new=True
    )
    assert result.identifiers_replaced == 4 and "4" in result.sentence()
    stored = " ".join(
        str(v) for row in supervisor.query("SELECT * FROM imported_conversations") for v in row
    ) + " ".join(str(row[0]) for row in supervisor.query("SELECT reasoning FROM imported_concerns"))
    assert "Mette" not in stored and "28 45 91 23" not in stored and "[navn]" in stored
    (item,) = imported_cases(supervisor)
    assert item.identifiers_replaced == 4
    # the supervisor's case summary is never refused, and says the count
    summary = pdf_text(write_imported_case_summary(supervisor, item.id, tmp_path / "s.pdf"))
    assert "Mette" not in summary and "4" in summary
    assert student.case(case_id).code not in summary


def test_a_clean_bundle_arrives_unchanged_and_unmarked(
    student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    plant(student, "Mor fortæller om skolen.")
    path = export_bundle(student, ensure_key_pair(mentor_nb), tmp_path / "b.cnbundle").path
    result = import_bundle(mentor_nb, path, accept_new=True)
    assert result.identifiers_replaced == 0
    (item,) = imported_cases(mentor_nb)
    assert item.identifiers_replaced == 0
    assert item.case.conversations[0].summary[Step.LISTEN] == (
        "Samtale om skolen. Mor fortæller om skolen."
    )


def test_a_review_file_is_scanned_as_it_arrives(
    student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    case_id = plant(student, "Mor fortæller om skolen.")
    original = export_case_for_review(
        student, case_id, ensure_key_pair(mentor_nb), tmp_path / "r.cnreview"
    ).path

    def plant_texts(data: dict[str, Any]) -> None:
        data["review_id"] = "0f8fad5b-d9cb-469f-a165-70867728950e"
        data["case"]["conversations"][0]["summary"]["advise"] = ARRIVING
        data["comments"][0]["text"] = ARRIVING
        data["reflections"][0]["learn"] = ARRIVING

    result = import_review_file(mentor_nb, _resent(original, mentor_nb, plant_texts, student))
    assert result.identifiers_replaced == 6 and "6" in result.sentence()
    stored = " ".join(
        str(v)
        for table in ("review_cases", "review_comments")
        for row in mentor_nb.query(f"SELECT * FROM {table}")
        for v in row
    )
    assert "Mette" not in stored and "28 45 91 23" not in stored and "[navn]" in stored


@pytest.mark.parametrize("kind", sorted(k for k in PLANTED if PLANTED[k][1]))
def test_the_supervisors_exits_carry_no_identifier_that_arrived(
    kind: str, student: Notebook, mentor_nb: Notebook, tmp_path: Path
) -> None:
    # A bundle of an altered app holding the identifier in every text: imported (and
    # settled), then the received case's summary, the period report and the research
    # export hold none of it.
    sentence, token = PLANTED[kind]
    plant(student, "Mor fortæller om skolen.")
    original = export_bundle(student, ensure_key_pair(mentor_nb), tmp_path / "b.cnbundle").path

    def plant_texts(data: dict[str, Any]) -> None:
        data["bundle_id"] = "0f8fad5b-d9cb-469f-a165-70867728950e"
        for case in data["cases"]:
            for talk in case["conversations"]:
                talk["summary"] = {step: sentence for step in talk["summary"]}
            for alliance in case["alliances"]:
                alliance["role"] = alliance["agreed"] = sentence
            for follow_up in case["follow_ups"]:
                for name in ("counsellor_task", "parent_task", "others_task"):
                    follow_up[name] = sentence
            for concern in case["concerns"]:
                concern["reasoning"] = sentence

    import_bundle(mentor_nb, _resent(original, mentor_nb, plant_texts, student), accept_new=True)
    (item,) = imported_cases(mentor_nb)
    summary = pdf_text(write_imported_case_summary(mentor_nb, item.id, tmp_path / "s.pdf"))
    assert not leaks(summary, token)
    report = pdf_text(write_period_report(mentor_nb, tmp_path / "p.pdf"))
    assert not leaks(report, token)
    export = research_export(mentor_nb, tmp_path / "research", k=1)
    for path in (export.data_path, export.codebook_path, export.readme_path):
        assert not leaks(path.read_text(encoding="utf-8"), token), path.name
