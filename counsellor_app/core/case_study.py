"""A case study: one case as a de-identified PDF, with the mentor's comments and the
student's reflections, for a supervision group or a teaching session.

Made from review mode's material (:func:`counsellor_app.core.mentoring.review_material`),
so it works for a student's own case and for a case a mentor received for review. Like
every export, each free text goes through the anonymity guard
(:func:`counsellor_app.core.anonymity.deidentify`) and is scanned once more; if anything
still looks like an identifier the PDF is refused (:class:`CaseStudyRefused`) and nothing
is written. The PDF never holds the case code the parent was given, a call-back number,
the reasoning of a concern, or a calendar date of a contact: contacts are numbered and
placed by days since the first ("day 15"), which is what teaching needs. The case is
named by the review reference (``R-…``).

Text is set in DejaVu Sans, embedded (the font helper of
:mod:`counsellor_app.core.reports` where it is there), so Danish letters are right.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from counsellor_app.core.anonymity import deidentify, find_identifiers
from counsellor_app.core.domain import Step, WellbeingLevel, label
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.format import FollowUpOutcome
from counsellor_app.core.i18n import _, current_language
from counsellor_app.core.mentoring.format import SignOffRecord, status_label
from counsellor_app.core.mentoring.records import (
    MentorComment,
    ReviewMaterial,
    Subject,
    comments,
    display_ref,
    review_material,
    sign_offs,
)
from counsellor_app.core.safefile import atomic_write_bytes
from counsellor_app.core.store import Notebook, _guarded
from counsellor_app.core.taxonomy import taxonomy

APP_NAME = "Counsellor's Notebook"
FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

_INK = colors.HexColor("#1f2933")
_MUTED = colors.HexColor("#52606d")
_RULE = colors.HexColor("#bcccdc")
_SHADE = colors.HexColor("#eef2f6")
_COMMENT = colors.HexColor("#fff4d6")
_ACCENT = colors.HexColor("#b5651d")
_LINE = colors.HexColor("#2f6f9f")
_MARGIN = 18 * mm
_WIDTH = A4[0] - 2 * _MARGIN


class CaseStudyRefused(UserError):
    """A text of the case study still holds something that looks like an identifier after
    de-identification: nothing was written. ``where`` says which text."""

    def __init__(self, sentence: str, where: str) -> None:
        super().__init__(sentence)
        self.where = where


# ---------------------------------------------------------------------------- fonts, styles


@functools.cache
def _fonts() -> tuple[str, str]:
    """The embedded regular and bold font: the reports' helper where it is there, else
    DejaVu Sans from ``resources/fonts``, else Helvetica (Latin-1 holds æ, ø, å)."""
    try:
        from counsellor_app.core.reports import register_fonts
    except ImportError:
        pass
    else:
        regular, bold = register_fonts()
        return str(regular), str(bold)
    try:
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    except Exception:  # no font files in this installation
        return "Helvetica", "Helvetica-Bold"
    return "DejaVuSans", "DejaVuSans-Bold"


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    body = ParagraphStyle(
        "cs-body", fontName=regular, fontSize=9.5, leading=13, textColor=_INK, spaceAfter=3
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "cs-title", parent=body, fontName=bold, fontSize=18, leading=23, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "cs-subtitle", parent=body, fontSize=10.5, leading=14, textColor=_MUTED, spaceAfter=8
        ),
        "h1": ParagraphStyle(
            "cs-h1", parent=body, fontName=bold, fontSize=13, leading=17, spaceBefore=10,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "cs-h2", parent=body, fontName=bold, fontSize=10.5, leading=14, spaceBefore=8,
            spaceAfter=2,
        ),
        "cell": ParagraphStyle("cs-cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "cellbold": ParagraphStyle(
            "cs-cellbold", parent=body, fontName=bold, fontSize=8.5, leading=11, spaceAfter=0
        ),
        "note": ParagraphStyle("cs-note", parent=body, leftIndent=4 * mm),
        "comment": ParagraphStyle(
            "cs-comment", parent=body, fontSize=9, leading=12, spaceAfter=1
        ),
        "small": ParagraphStyle(
            "cs-small", parent=body, fontSize=8, leading=10.5, textColor=_MUTED
        ),
    }  # fmt: skip


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


def _labelled(caption: str, text: str, style: str = "note") -> Paragraph:
    body = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<b>{escape(caption)}:</b> {body}", _styles()[style])


def _table(rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    cells = [
        [_p(cell, "cellbold" if i == 0 else "cell") for cell in row] for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=list(widths), hAlign="LEFT", repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, _RULE),
                ("BACKGROUND", (0, 0), (-1, 0), _SHADE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


# ---------------------------------------------------------------------------- the guard


class _Guard:
    """De-identifies every text of the case study and refuses one that stays unclean."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, text: str, where: str) -> str:
        if not text.strip():
            return ""
        result = deidentify(text)
        self.replaced += len(result.findings)
        if find_identifiers(result.text):
            raise CaseStudyRefused(
                _(
                    "The case study was not made: {where} still holds something that looks "
                    "like an identifier after de-identification. Edit it and try again."
                ).format(where=where),
                where,
            )
        return result.text


# ---------------------------------------------------------------------------- words


def _day_offset(first: date | None, day: date) -> str:
    return _("day {n}").format(n=(day - first).days + 1 if first else 1)


def _outcome_label(outcome: FollowUpOutcome) -> str:
    return {
        FollowUpOutcome.ON_TIME: _("Kept on time"),
        FollowUpOutcome.LATE: _("Kept late"),
        FollowUpOutcome.MISSED: _("Missed"),
        FollowUpOutcome.PENDING: _("Not yet due"),
    }[outcome]


def _terms(group: str, ids: Sequence[str]) -> str:
    tax = taxonomy()
    return ", ".join(tax.label(group, term) for term in ids) or "–"


def _where(step: Step | None) -> str:
    return label(step) if step else _("the whole conversation")


# ---------------------------------------------------------------------------- the chart


def _trajectory(material: ReviewMaterial) -> Drawing | None:
    points = [
        (talk.number, level)
        for talk in material.conversations
        if (level := talk.overall_wellbeing()) is not None
    ]
    if not points:
        return None
    regular, _bold = _fonts()
    levels = list(WellbeingLevel)
    names = [label(level) for level in levels]
    left = max(pdfmetrics.stringWidth(n, regular, 7.5) for n in names) + 6
    width, height = _WIDTH * 0.7, 40 * mm
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = left, 7 * mm
    plot.width, plot.height = width - left - 6 * mm, height - 10 * mm
    top = len(levels) - 1
    plot.data = [[(float(n), float(top - level.rank)) for n, level in points]]
    plot.lines[0].strokeColor = _LINE
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle")
    plot.lines[0].symbol.size = 5
    plot.lines[0].symbol.fillColor = _LINE
    count = len(material.conversations)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0.6, count + 0.4
    plot.xValueAxis.valueSteps = list(range(1, count + 1))
    plot.xValueAxis.labelTextFormat = "%d"
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = -0.3, top + 0.3
    plot.yValueAxis.valueSteps = list(range(len(levels)))
    plot.yValueAxis.labelTextFormat = lambda v: names[round(top - v)] if 0 <= v <= top else ""
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = regular
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = _INK
        axis.strokeColor = _MUTED
        axis.strokeWidth = 0.5
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = _RULE
    plot.yValueAxis.gridStrokeWidth = 0.3
    drawing.add(plot)
    return drawing


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
    items: list[Any] = [_labelled(head, text or "–", "comment")]
    if comment.answer.strip():
        answer = guard(comment.answer, _("the answer to a comment ({where})").format(where=where))
        items.append(_labelled(_("Answer"), answer, "comment"))
    panel = Table([[items]], colWidths=[_WIDTH - 8 * mm], hAlign="RIGHT")
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
        _p(_("Case study {ref}").format(ref=display_ref(material.case_ref)), "title"),
        _p(
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
        (_("Themes"), _terms("themes", case.themes)),
        (_("Arenas"), _terms("arenas", case.arenas)),
        (_("Age"), _("{band} years").format(band=case.age_band.value) if case.age_band else "–"),
        (_("Caller"), label(case.caller_role) if case.caller_role else "–"),
        (_("Help system"), label(case.help_system) if case.help_system else "–"),
        (_("Protective factors"), _terms("protective_factors", case.protective_factors)),
        (_("Risk factors"), _terms("risk_factors", case.risk_factors)),
        (
            _("Contacts"),
            _("{count} over {days} days").format(
                count=len(material.conversations),
                days=((last - first).days + 1) if first and last else 0,
            ),
        ),
    ]
    story.append(_table([(_("Field"), _("Value")), *facts], [45 * mm, _WIDTH - 45 * mm]))
    chart = _trajectory(material)
    if chart is not None:
        story += [_p(_("Wellbeing across contacts"), "h1"), chart]

    story.append(_p(_("Conversations"), "h1"))
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
            _p(_("Contact {number}").format(number=talk.number), "h2"),
            _p(" · ".join(facts_line), "small"),
        ]
        mine = by_conversation.get(talk.number, [])
        for comment in (c for c in mine if c.step is None):
            block += _comment_block(comment, guard)
        for step in Step:
            where = _("Contact {number}, {step}").format(number=talk.number, step=label(step))
            text = guard(talk.notes.get(step, ""), where)
            if text:
                block.append(_labelled(label(step), text))
            for comment in (c for c in mine if c.step is step):
                block += _comment_block(comment, guard)
        story.append(KeepTogether(block[:3]))
        story += block[3:]

    if case.alliances:
        story.append(_p(_("Alliances"), "h1"))
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
        story.append(_table(rows, [33 * mm, 22 * mm, 25 * mm, 35 * mm, _WIDTH - 115 * mm]))
    if case.follow_ups:
        story.append(_p(_("Follow-ups"), "h1"))
        rows = [(_("Due"), _("Outcome"), _("Who does what"))]
        for f in case.follow_ups:
            tasks = []
            for caption, text in (
                (_("Counsellor"), f.counsellor_task),
                (_("Parent"), f.parent_task),
                (_("Others"), f.others_task),
            ):
                cleaned = guard(text, _("a follow-up task"))
                if cleaned:
                    tasks.append(f"{caption}: {cleaned}")
            rows.append((_day_offset(first, f.due), _outcome_label(f.outcome), "\n".join(tasks)))
        story.append(_table(rows, [22 * mm, 28 * mm, _WIDTH - 50 * mm]))

    if material.reflections:
        story.append(_p(_("The student's reflections"), "h1"))
        for entry in material.reflections:
            story.append(_p(_day_offset(first, entry.day), "h2"))
            for caption, text in (
                (_("What worked"), entry.worked),
                (_("What I would do differently"), entry.differently),
                (_("What I want to learn"), entry.learn),
            ):
                cleaned = guard(text, _("a reflection ({part})").format(part=caption))
                if cleaned:
                    story.append(_labelled(caption, cleaned))
    return story


def _sign_off_lines(records: Sequence[SignOffRecord]) -> list[Any]:
    if not records:
        return [_p(_("The review has not been signed off yet."), "small")]
    return [
        _p(
            _("Review signed off by {mentor} on {day}.").format(
                mentor=r.mentor, day=format_date(r.day, format="long", locale=current_language())
            ),
            "small",
        )
        for r in records
    ]


def _build(story: list[Any], title: str) -> bytes:
    regular, _bold = _fonts()
    buffer = io.BytesIO()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(_MUTED)
        canvas.drawString(_MARGIN, 10 * mm, title)
        canvas.drawRightString(A4[0] - _MARGIN, 10 * mm, _("Page {page}").format(page=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN + 4 * mm,
        title=title,
        author="",
        subject=_("A de-identified case study"),
        creator=APP_NAME,
        lang=current_language(),
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


@_guarded
def case_study_pdf(
    notebook: Notebook, subject: Subject, *, include_reflections: bool = True
) -> bytes:
    """The case study of the subject (an own case or a received one) as PDF bytes.

    Raises :class:`CaseStudyRefused` when a text would still hold an identifier.
    """
    material = review_material(notebook, subject)
    if not include_reflections:
        material = dataclasses.replace(material, reflections=())
    guard = _Guard()
    story = _story(material, comments(notebook, subject), guard)
    story += [Spacer(1, 4 * mm), *_sign_off_lines(sign_offs(notebook, subject))]
    return _build(story, _("Case study {ref}").format(ref=display_ref(material.case_ref)))


def write_case_study(
    notebook: Notebook, subject: Subject, path: Path, *, include_reflections: bool = True
) -> Path:
    """Write the case study PDF to ``path`` atomically; nothing is written when refused."""
    data = case_study_pdf(notebook, subject, include_reflections=include_reflections)
    path = Path(path)
    atomic_write_bytes(path, data)
    return path
