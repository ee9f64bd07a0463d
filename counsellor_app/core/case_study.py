"""A case study: one case as a de-identified PDF, with the mentor's comments and the
student's reflections, for a supervision group or a teaching session.

Made from review mode's material (:func:`counsellor_app.core.mentoring.review_material`),
so it works for a student's own case and for a case a mentor received for review. Like
every export, each free text goes through the gate (:mod:`counsellor_app.core.gate`):
de-identified and scanned once more, and for one's own case checked for the call-back
number in any spacing; if anything is left the PDF is refused (:class:`IdentifierLeaves`)
and nothing is written. The PDF never holds the case code the parent was given, a call-back number,
the reasoning of a concern, or a calendar date of a contact: contacts are numbered and
placed by days since the first ("day 15"), which is what teaching needs. The case is
named by the review reference (``R-…``).

Text is set in DejaVu Sans, embedded (the font helper of :mod:`counsellor_app.core.pdf`),
so Danish letters are right.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from counsellor_app.core.domain import Step, label
from counsellor_app.core.exchange.format import outcome_label
from counsellor_app.core.gate import EMPTY, CleanText, Gate, Place
from counsellor_app.core.i18n import _, format_locale
from counsellor_app.core.kept_words import kept_words
from counsellor_app.core.mentoring.format import status_label
from counsellor_app.core.mentoring.records import (
    MentorComment,
    ReviewMaterial,
    SignOffState,
    Subject,
    comments,
    display_ref,
    review_material,
    sign_off_states,
)
from counsellor_app.core.pdf import (
    FONT_BOLD,
    INK,
    WIDTH,
    Footer,
    build,
    data_table,
    labelled,
    paragraph,
    styles,
    terms,
    wellbeing_chart,
    write_pdf,
)
from counsellor_app.core.store import Notebook, guarded

_COMMENT = colors.HexColor("#fff4d6")
_ACCENT = colors.HexColor("#b5651d")


# ---------------------------------------------------------------------------- the guard


class _Guard:
    """Every text of the case study through the gate: an own case's texts are refused
    when something identifying is left (the call-back number too, in any spacing); a
    received case's are settled (the mentor cannot fix the student's notes)."""

    def __init__(self, material: ReviewMaterial, kept: frozenset[str] = frozenset()) -> None:
        # An own case's words kept as "not an identifier" leave as written (the
        # counsellor's decision); a received case's texts are settled with none kept.
        self.gate = Gate(kept=kept if material.subject.is_own else ())
        self.ref = display_ref(material.case_ref)
        self.own = material.subject.is_own
        self.gate.know_callback(self.ref, material.callback)

    @property
    def replaced(self) -> int:
        return sum(self.gate.counts.values())

    def __call__(self, text: str, where: str) -> CleanText:
        if not text.strip():
            return EMPTY
        if self.own:
            return self.gate.clean(text, Place(self.ref, where), where)
        return self.gate.settle(text)


# ---------------------------------------------------------------------------- words


def _day_offset(first: date | None, day: date) -> str:
    return _("day {n}").format(n=(day - first).days + 1 if first else 1)


def _where(step: Step | None) -> str:
    return label(step) if step else _("the whole conversation")


# ---------------------------------------------------------------------------- the document


def _comment_block(comment: MentorComment, guard: _Guard) -> list[Any]:
    """A comment (and its answer) on a shaded, indented panel beside the notes."""
    number = comment.conversation_number
    where = _("Contact {number}, {step}").format(number=number, step=_where(comment.step))
    text = guard(comment.text, _("a mentor's comment ({where})").format(where=where))
    if not text and not comment.answer:
        return []
    head = _("Mentor ({author}) · {status}").format(
        author=comment.author, status=status_label(comment.status)
    )
    items: list[Any] = [labelled(head, text or "–", "comment")]
    if comment.answer.strip():
        answer = guard(comment.answer, _("the answer to a comment ({where})").format(where=where))
        items.append(labelled(_("Answer"), answer, "comment"))
    panel = Table([[items]], colWidths=[WIDTH - 8 * mm], hAlign="RIGHT")
    panel.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), _COMMENT),
                ("LINEBEFORE", (0, 0), (0, -1), 1.5, _ACCENT),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [panel, Spacer(1, 1.5 * mm)]


def _story(material: ReviewMaterial, notes: Sequence[MentorComment], guard: _Guard) -> list[Any]:
    case = material.case
    first = material.conversations[0].day if material.conversations else None
    story: list[Any] = [
        paragraph(_("Case study {ref}").format(ref=display_ref(material.case_ref)), "title"),
        paragraph(
            _(
                "A de-identified case for a supervision group or a teaching session: names, "
                "numbers, addresses and places are replaced, contacts are counted in days "
                "from the first."
            ),
            "subtitle",
        ),
    ]
    last = material.conversations[-1].day if material.conversations else None
    facts = [
        (_("Themes"), terms("themes", case.themes)),
        (_("Arenas"), terms("arenas", case.arenas)),
        (_("Age"), _("{band} years").format(band=case.age_band.value) if case.age_band else "–"),
        (_("Caller"), label(case.caller_role) if case.caller_role else "–"),
        (_("Help system"), label(case.help_system) if case.help_system else "–"),
        (_("Protective factors"), terms("protective_factors", case.protective_factors)),
        (_("Risk factors"), terms("risk_factors", case.risk_factors)),
        (
            _("Contacts"),
            _("{count} over {days} days").format(
                count=len(material.conversations),
                days=((last - first).days + 1) if first and last else 0,
            ),
        ),
    ]
    story.append(data_table([(_("Field"), _("Value")), *facts], [45 * mm, WIDTH - 45 * mm]))
    chart = wellbeing_chart(
        [
            (talk.number, level)
            for talk in material.conversations
            if (level := talk.overall_wellbeing()) is not None
        ],
        len(material.conversations),
    )
    if chart is not None:
        story += [paragraph(_("Wellbeing across contacts"), "h1"), chart]

    story.append(paragraph(_("Conversations"), "h1"))
    by_conversation: dict[int, list[MentorComment]] = {}
    for comment in notes:
        by_conversation.setdefault(comment.conversation_number, []).append(comment)
    for talk in material.conversations:
        facts_line = [_day_offset(first, talk.day), label(talk.channel)]
        if talk.duration_minutes:
            facts_line.append(_("{n} min").format(n=talk.duration_minutes))
        level = talk.overall_wellbeing()
        if level is not None:
            facts_line.append(_("wellbeing: {level}").format(level=label(level)))
        block: list[Any] = [
            paragraph(_("Contact {number}").format(number=talk.number), "h2"),
            paragraph(" · ".join(facts_line), "small"),
        ]
        mine = by_conversation.get(talk.number, [])
        for comment in (c for c in mine if c.step is None):
            block += _comment_block(comment, guard)
        for step in Step:
            where = _("Contact {number}, {step}").format(number=talk.number, step=label(step))
            text = guard(talk.notes.get(step, ""), where)
            if text:
                block.append(labelled(label(step), text))
            for comment in (c for c in mine if c.step is step):
                block += _comment_block(comment, guard)
        story.append(KeepTogether(block[:3]))
        story += block[3:]

    if case.alliances:
        story.append(paragraph(_("Alliances"), "h1"))
        rows: list[tuple[str, ...]] = [
            (_("Partner"), _("Status"), _("Consent"), _("Role"), _("What was agreed"))
        ]
        for a in case.alliances:
            rows.append(
                (
                    label(a.partner),
                    label(a.status),
                    label(a.consent),
                    guard(a.role, _("an alliance's role")),
                    guard(a.agreed, _("what was agreed with an alliance")),
                )
            )
        story.append(data_table(rows, [33 * mm, 22 * mm, 25 * mm, 35 * mm, WIDTH - 115 * mm]))
    if case.follow_ups:
        story.append(paragraph(_("Follow-ups"), "h1"))
        rows = [(_("Due"), _("Outcome"), _("Who does what"))]
        for f in case.follow_ups:
            tasks = []
            for caption, raw in (
                (_("Counsellor"), f.counsellor_task),
                (_("Parent"), f.parent_task),
                (_("Others"), f.others_task),
            ):
                cleaned = guard(raw, _("a follow-up task"))
                if cleaned:
                    tasks.append(f"{caption}: {cleaned}")
            rows.append((_day_offset(first, f.due), outcome_label(f.outcome), "\n".join(tasks)))
        story.append(data_table(rows, [22 * mm, 28 * mm, WIDTH - 50 * mm]))

    if material.reflections:
        story.append(paragraph(_("The student's reflections"), "h1"))
        for entry in material.reflections:
            story.append(paragraph(_day_offset(first, entry.day), "h2"))
            for caption, raw in (
                (_("What worked"), entry.worked),
                (_("What I would do differently"), entry.differently),
                (_("What I want to learn"), entry.learn),
            ):
                cleaned = guard(raw, _("a reflection ({part})").format(part=caption))
                if cleaned:
                    story.append(labelled(caption, cleaned))
    return story


def _sign_off_lines(states: Sequence[SignOffState]) -> list[Any]:
    if not states:
        return [paragraph(_("The review has not been signed off yet."), "small")]
    # An outdated sign-off approved another version of the case: it must not pass for
    # an approval of what the PDF shows, so it is said in words, in dark bold.
    outdated = ParagraphStyle(
        "outdated", parent=styles()["small"], fontName=FONT_BOLD, textColor=INK
    )
    lines = []
    for state in states:
        text = _("Review signed off by {mentor} on {day}.").format(
            mentor=state.mentor, day=format_date(state.day, format="long", locale=format_locale())
        )
        if state.outdated:
            # the window's sentence (review mode), so both say the same
            text += " " + _("Outdated: the case has changed since.")
        lines.append(paragraph(text, outdated if state.outdated else "small"))
    return lines


@guarded
def case_study_pdf(
    notebook: Notebook, subject: Subject, *, include_reflections: bool = True
) -> bytes:
    """The case study of the subject (an own case or a received one) as PDF bytes.

    Raises :class:`IdentifierLeaves` when a text would still hold an identifier.
    """
    material = review_material(notebook, subject)
    if not include_reflections:
        material = dataclasses.replace(material, reflections=())
    guard = _Guard(material, kept_words(notebook))
    story = _story(material, comments(notebook, subject), guard)
    story += [Spacer(1, 4 * mm), *_sign_off_lines(sign_off_states(notebook, subject))]
    title = _("Case study {ref}").format(ref=display_ref(material.case_ref))
    return build(story, Footer(title), _("A de-identified case study"))


def write_case_study(
    notebook: Notebook, subject: Subject, path: Path, *, include_reflections: bool = True
) -> Path:
    """Write the case study PDF to ``path`` atomically; nothing is written when refused."""
    return write_pdf(
        path, case_study_pdf(notebook, subject, include_reflections=include_reflections)
    )
