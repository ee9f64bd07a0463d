"""PDF reports: a de-identified supervision summary of one case, and the period report.

Two documents, both A4, built with reportlab and written atomically:

* :func:`write_case_summary` (a case in a counsellor's or student's own notebook) and
  :func:`write_imported_case_summary` (a case imported into a supervisor's notebook): the
  case's structured fields, per conversation the day, channel, duration, wellbeing, the
  steps covered and the de-identified notes; alliances, follow-ups with their outcome,
  concern decisions, and a small chart of the wellbeing over the conversations. A case
  of one's own is built by the very code that builds an export bundle
  (:mod:`counsellor_app.core.exchange.export`), so every free text has passed the
  anonymity guard, only days (never times) appear, and never the raw notes, the case
  code the parent was given or a call-back number: the case is named by the same
  pseudonymous reference a bundle carries.
* :func:`write_period_report`: the supervisor's dashboard
  (:func:`counsellor_app.core.dashboard.dashboard`) as charts and tables, with the filters
  (period, counsellor) on the first page. The counsellor is named by the pseudonymous id,
  never by the supervisor's own label for them (which may be a name).

Every page has a footer with the document, the period, the generation date and "page n
of m". Text is in the current language and set in DejaVu Sans, embedded in the PDF (the
font files and their licence are in ``resources/fonts``), so Danish letters are right
whatever the reader has installed. Before anything is written, every free text that goes
into a PDF of one's own case passes the gate (:mod:`counsellor_app.core.gate`); if it
cannot let a text out, the PDF is refused (:class:`IdentifierLeaves`) and nothing is written.
A received case is never refused: the gate settles its texts (replaces what it finds).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from babel.dates import format_date
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from counsellor_app.core.dashboard import LEVELS, UNKNOWN, Dashboard, dashboard
from counsellor_app.core.directory import kind_label
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    EntryKind,
    HelpSystemStatus,
    Partner,
    Step,
    label,
    normalise_case_code,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.exchange.export import (
    PreviewBuilder,
    case_ref,
    case_secret,
    export_case,
    refusal,
)
from counsellor_app.core.exchange.format import (
    MAX_TEXT,
    BundleCase,
    BundleConversation,
    FollowUpOutcome,
    map_texts,
    outcome_label,
)
from counsellor_app.core.gate import CleanText, Gate
from counsellor_app.core.i18n import _, format_locale
from counsellor_app.core.oversight import (
    ConcernTable,
    CounsellorPeriod,
    concern_table,
    counsellor_periods,
)
from counsellor_app.core.pdf import (
    FONT,
    INK,
    LINE,
    MUTED,
    RULE,
    SHADE,
    WIDTH,
    Footer,
    build,
    data_table,
    fit,
    key_values,
    labelled,
    new_drawing,
    paragraph,
    styles,
    terms,
    wellbeing_chart,
    write_pdf,
)
from counsellor_app.core.store import Notebook, guarded
from counsellor_app.core.supervision import imported_case, replaced_on_import
from counsellor_app.core.taxonomy import taxonomy

#: What the GUI and the command line use.
__all__ = [
    "CaseNotFound",
    "CaseTarget",
    "UnknownCounsellor",
    "case_summary_pdf",
    "find_case",
    "imported_case_summary_pdf",
    "period_report_pdf",
    "write_case_summary",
    "write_imported_case_summary",
    "write_period_report",
]


class CaseNotFound(UserError):
    """No case (or more than one) answers to the code or reference given."""


class UnknownCounsellor(UserError):
    """The period report was asked for a counsellor no imported bundle came from."""


# ---------------------------------------------------------------------------- colours

_BAR_2 = colors.HexColor("#5b8c5a")
_BAR_3 = colors.HexColor("#b5651d")
_GOOD = colors.HexColor("#d7ecd5")
_BAD = colors.HexColor("#f6d5d0")


def _num(value: int | str, style: str = "num") -> Paragraph:
    """A number in a table cell, right-aligned (``numc``: centred)."""
    return paragraph(str(value), style)


# ---------------------------------------------------------------------------- words


def _day(value: date, form: str = "long") -> str:
    return str(format_date(value, format=form, locale=format_locale()))


def _period_text(
    start: date | None, end: date | None, first: date | None = None, last: date | None = None
) -> str:
    """The period in words; an end left open is named by the day of the first or last
    contact counted (``first``, ``last``), so that the reader knows what "all" covered."""
    if start and end:
        return _("{start} to {end}").format(start=_day(start), end=_day(end))
    if start:
        if last:
            return _("from {start} (last contact {last})").format(
                start=_day(start), last=_day(last)
            )
        return _("from {start}").format(start=_day(start))
    if end:
        if first:
            return _("until {end} (first contact {first})").format(end=_day(end), first=_day(first))
        return _("until {end}").format(end=_day(end))
    if first and last:
        return _("all contacts, from {first} to {last}").format(first=_day(first), last=_day(last))
    return _("all contacts")


def _not_recorded() -> str:
    return _("Not recorded")


def _opt_label(value: StrEnum | None) -> str:
    return label(value) if value is not None else _not_recorded()


def _age_label(band: str) -> str:
    if band == UNKNOWN:
        return _not_recorded()
    return _("{band} years").format(band=band)


def _help_label(code: str) -> str:
    return label(HelpSystemStatus(code)) if code != UNKNOWN else _not_recorded()


def _arena_label(arena: str) -> str:
    return _("Overall") if arena == "overall" else taxonomy().label("arenas", arena)


def _minutes(n: int) -> str:
    return _("{n} min").format(n=n)


# ---------------------------------------------------------------------------- charts


def _nice_axis(top: int, ticks: int = 5) -> tuple[int, int]:
    """A value axis for counts up to ``top``: (maximum, step), whole numbers."""
    top = max(1, top)
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if math.ceil(top / step) <= ticks:
                return math.ceil(top / step) * step, step
        magnitude *= 10


def _style_axes(chart: Any, size: float = 7.5) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = size
        axis.labels.fillColor = INK
        axis.strokeColor = MUTED
        axis.strokeWidth = 0.5
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.visibleTicks = False
    chart.categoryAxis.visibleTicks = False


def _bar_labels(chart: Any, horizontal: bool) -> None:
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.fillColor = INK
    if horizontal:
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    else:
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = 2


def _vertical_bars(
    names: Sequence[str],
    values: Sequence[int],
    *,
    width: float = WIDTH,
    height: float = 52 * mm,
    color: Any = LINE,
    label_every: int = 1,
) -> Drawing:
    """Counts as upright bars, one per category (labels turned when many)."""
    crowded = len(names) > 8
    label_space = 16 * mm if crowded else 7 * mm
    drawing = new_drawing(width, height)
    chart = VerticalBarChart()
    chart.x = 10 * mm
    chart.y = label_space
    chart.width = width - chart.x - 2 * mm
    chart.height = height - label_space - 5 * mm
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = [
        name if i % label_every == 0 else "" for i, name in enumerate(names)
    ]
    top, step = _nice_axis(max(values, default=0))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.bars[0].fillColor = color
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 4 if len(names) > 12 else 8
    _style_axes(chart)
    if crowded:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx = 2
        chart.categoryAxis.labels.dy = -2
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
    if len(names) <= 24:
        _bar_labels(chart, horizontal=False)
    drawing.add(chart)
    return drawing


def _horizontal_bars(
    names: Sequence[str],
    values: Sequence[int],
    *,
    width: float = WIDTH,
    color: Any = LINE,
    row: float = 5.2 * mm,
) -> Drawing:
    """Counts as lying bars, first category on top; the labels on the left."""
    size = 7.5
    label_width = min(
        70 * mm, max((pdfmetrics.stringWidth(n, FONT, size) for n in names), default=0) + 4
    )
    height = max(1, len(names)) * row + 9 * mm
    drawing = new_drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = label_width + 2 * mm
    chart.y = 6 * mm
    chart.width = width - chart.x - 10 * mm
    chart.height = height - 9 * mm
    # reportlab draws the first category at the bottom: reverse so the list reads down.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [fit(n, FONT, size, 70 * mm) for n in reversed(names)]
    top, step = _nice_axis(max(values, default=0))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.bars[0].fillColor = color
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 3
    _style_axes(chart, size)
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    _bar_labels(chart, horizontal=True)
    drawing.add(chart)
    return drawing


def _no_data(width: float = WIDTH) -> Drawing:
    drawing = new_drawing(width, 10 * mm)
    drawing.add(String(0, 3 * mm, _("No data in this period."), fontName=FONT, fontSize=8.5))
    return drawing


# ---------------------------------------------------------------------------- the guard


# ---------------------------------------------------------------------------- one case


@dataclass(frozen=True)
class CaseTarget:
    """Which case a code or reference names: one of the notebook's own cases (``own``, by
    its id) or an imported case (``imported``, by its row id)."""

    kind: Literal["own", "imported"]
    id: int


@guarded
def find_case(notebook: Notebook, code_or_ref: str) -> CaseTarget:
    """The case named by a case code (``K-7F3Q``, one's own case) or by the pseudonymous
    reference of an imported case (the 26 letters, or a unique beginning of at least 6)."""
    text = code_or_ref.strip()
    code = normalise_case_code(text)
    if code.startswith("K-"):
        case = notebook.case_by_code(code)
        if case is not None and case.id is not None:
            return CaseTarget("own", case.id)
    ref = text.lower()
    if 6 <= len(ref) <= 26 and re.fullmatch(r"[a-z2-7]+", ref):
        rows = notebook.query(
            "SELECT id FROM imported_cases WHERE substr(ref, 1, ?) = ? ORDER BY id LIMIT 2",
            (len(ref), ref),
        )
        if len(rows) == 1:
            return CaseTarget("imported", int(rows[0][0]))
        if len(rows) > 1:
            raise CaseNotFound(
                _(
                    "More than one imported case begins with {ref}; give more of the reference."
                ).format(ref=ref)
            )
    raise CaseNotFound(_("No case {text} in this notebook.").format(text=text))


def own_case_ref(notebook: Notebook, case_id: int) -> str:
    """The reference a case summary of one's own case shows (as in bundles), never the
    case code, which the parent knows: for the file's name too."""
    return case_ref(case_secret(notebook), notebook.case(case_id))


def _own_bundle_case(notebook: Notebook, case_id: int, today: date) -> BundleCase[CleanText]:
    """A case of the notebook built exactly as an export bundle builds it: every text
    through the gate, which refuses (:class:`IdentifierLeaves`) one it cannot let out."""
    try:
        case = notebook.case(case_id)
    except KeyError:
        raise CaseNotFound(_("No case {text} in this notebook.").format(text=case_id)) from None
    builder = PreviewBuilder(notebook, case_secret(notebook))
    built = export_case(notebook, builder, case_secret(notebook), case, today)
    if builder.blocking:
        raise refusal(builder.blocking[0])
    return built


def _conversation_block(n: int, talk: BundleConversation[CleanText]) -> list[Any]:
    heading = _("Conversation {n}: {day}").format(n=n, day=_day(talk.day))
    wellbeing = ", ".join(
        f"{_arena_label(arena)}: {label(level)}"
        for arena, level in sorted(
            talk.wellbeing.items(), key=lambda item: (item[0] != "overall", item[0])
        )
    )
    facts = [
        (_("Channel"), label(talk.channel)),
        (_("Duration"), _minutes(talk.duration_minutes)),
        (_("Wellbeing"), wellbeing or _not_recorded()),
        (
            _("Steps covered"),
            ", ".join(label(step) for step in talk.steps_covered) or "–",
        ),
    ]
    line = "   ·   ".join(f"{k}: {v}" for k, v in facts)
    block: list[Any] = [paragraph(heading, "h2"), paragraph(line, "small")]
    notes = [(step, talk.summary.get(step, "").strip()) for step in Step]
    if any(text for _step, text in notes):
        for step, text in notes:
            if text:
                block.append(labelled(label(step), text))
    else:
        block.append(paragraph(_("No notes."), "note"))
    return block


def _case_story(
    case: BundleCase[CleanText], source: str, generated: date
) -> tuple[list[Any], Footer]:
    title = _("Supervision summary of a case")
    days = sorted(c.day for c in case.conversations)
    period = _period_text(days[0], days[-1]) if days else _("no conversations")
    footer = Footer(title, period, _day(generated))
    story: list[Any] = [
        paragraph(title, "title"),
        paragraph(
            _("De-identified, for a mentor or supervision meeting. {source}").format(source=source),
            "subtitle",
        ),
    ]
    fields = [
        (_("Case reference"), case.ref),
        (_("Conversations"), _("{n} ({period})").format(n=len(case.conversations), period=period)),
        (_("Status"), label(case.status)),
        (_("Caller"), _opt_label(case.caller_role)),
        (_("Help system"), _opt_label(case.help_system)),
        (
            _("Known by"),
            ", ".join(label(actor) for actor in case.known_by) or "–",
        ),
        (_("Age band"), _age_label(case.age_band.value) if case.age_band else _not_recorded()),
        (_("Gender"), _opt_label(case.gender)),
        (_("Arenas"), terms("arenas", case.arenas)),
        (_("Themes"), terms("themes", case.themes)),
        (_("Protective factors"), terms("protective_factors", case.protective_factors)),
        (_("Risk factors"), terms("risk_factors", case.risk_factors)),
        (_("Generated"), _day(generated)),
    ]
    story.append(key_values(fields))
    if case.purged:
        story.append(Spacer(1, 2 * mm))
        story.append(
            paragraph(
                _(
                    "The retention period has removed this case's free texts; only the "
                    "structured fields remain."
                ),
                "small",
            )
        )

    chart = wellbeing_chart(
        [
            (index, level)
            for index, talk in enumerate(case.conversations, start=1)
            if (level := talk.overall_wellbeing()) is not None
        ],
        len(case.conversations),
    )
    story.append(
        KeepTogether(
            [
                paragraph(_("Wellbeing over the conversations"), "h1"),
                chart
                if chart is not None
                else paragraph(_("No wellbeing level was recorded."), "body"),
            ]
        )
    )

    story.append(CondPageBreak(40 * mm))
    story.append(paragraph(_("Conversations"), "h1"))
    if not case.conversations:
        story.append(paragraph(_("No conversations."), "body"))
    for n, talk in enumerate(case.conversations, start=1):
        block = _conversation_block(n, talk)
        story.append(KeepTogether(block[:3]))
        story.extend(block[3:])

    story.append(CondPageBreak(30 * mm))
    story.append(paragraph(_("Alliances"), "h1"))
    if case.alliances:
        rows: list[list[Any]] = [
            [_("Partner"), _("Status"), _("Consent"), _("Made"), _("Role"), _("Agreed")]
        ]
        for a in case.alliances:
            rows.append(
                [
                    label(a.partner),
                    label(a.status),
                    label(a.consent),
                    _day(a.created_on, "medium"),
                    a.role,
                    a.agreed,
                ]
            )
        story.append(data_table(rows, _column_widths([34, 20, 22, 24, 38, 40])))
    else:
        story.append(paragraph(_("No alliances."), "body"))

    story.append(CondPageBreak(30 * mm))
    story.append(paragraph(_("Follow-ups"), "h1"))
    if case.follow_ups:
        rows = [
            [
                _("Due"),
                _("Outcome"),
                _("Done"),
                _("The counsellor will"),
                _("The parent will"),
                _("Others will"),
            ]
        ]
        for f in case.follow_ups:
            rows.append(
                [
                    _day(f.due, "medium"),
                    outcome_label(f.outcome),
                    _day(f.done_on, "medium") if f.done_on else "–",
                    f.counsellor_task,
                    f.parent_task,
                    f.others_task,
                ]
            )
        story.append(data_table(rows, _column_widths([24, 20, 24, 36, 35, 35])))
    else:
        story.append(paragraph(_("No follow-ups."), "body"))

    story.append(CondPageBreak(30 * mm))
    story.append(paragraph(_("Concern for the child's safety"), "h1"))
    if case.concerns:
        rows = [[_("Day"), _("Signs"), _("Decision"), _("Why")]]
        for k in case.concerns:
            rows.append([_day(k.day, "medium"), label(k.signs), label(k.decision), k.reasoning])
        story.append(data_table(rows, _column_widths([24, 28, 44, 78])))
    else:
        story.append(paragraph(_("No concern was recorded."), "body"))
    return story, footer


def _column_widths(parts: Sequence[float]) -> list[float]:
    total = sum(parts)
    return [WIDTH * p / total for p in parts]


def _case_pdf(case: BundleCase[CleanText], source: str, generated: date) -> bytes:
    story, footer = _case_story(case, source, generated)
    return build(story, footer, _("De-identified case summary"))


@guarded
def case_summary_pdf(notebook: Notebook, case_id: int, *, today: date | None = None) -> bytes:
    """The supervision summary of one of the notebook's own cases, as PDF bytes.

    Built from the same de-identified material an export bundle holds (see the module's
    docstring). Raises :class:`IdentifierLeaves` if any text still holds an identifier, and
    :class:`CaseNotFound` for an unknown id.
    """
    today = today or date.today()
    case = _own_bundle_case(notebook, case_id, today)
    source = _("From the counsellor's own notebook.")
    return _case_pdf(case, source, today)


@guarded
def imported_case_summary_pdf(
    notebook: Notebook, imported_case_id: int, *, today: date | None = None
) -> bytes:
    """The supervision summary of an imported case (by its row id), as PDF bytes."""
    try:
        item = imported_case(notebook, imported_case_id)
    except KeyError:
        raise CaseNotFound(
            _("No case {text} in this notebook.").format(text=imported_case_id)
        ) from None
    source = _("Imported from counsellor {counsellor}.").format(counsellor=item.counsellor_id)
    # A received case is never refused (its supervisor cannot fix the counsellor's note):
    # its texts were settled by the gate on import, and are settled again here for cases
    # imported before that.
    gate = Gate(MAX_TEXT)
    case = map_texts(item.case, gate.settle)
    replaced = (item.identifiers_replaced or 0) + sum(gate.counts.values())
    if replaced:  # the supervisor tells the counsellor, who can fix the note
        source += " " + replaced_on_import(replaced)
    return _case_pdf(case, source, today or date.today())


def write_case_summary(
    notebook: Notebook, case_id: int, path: Path, *, today: date | None = None
) -> Path:
    """Write the summary of one of the notebook's own cases to ``path`` (atomically).

    Raises :class:`IdentifierLeaves`, :class:`CaseNotFound`, or
    :class:`~counsellor_app.core.errors.StorageError` when the file cannot be written.
    """
    return write_pdf(path, case_summary_pdf(notebook, case_id, today=today))


def write_imported_case_summary(
    notebook: Notebook, imported_case_id: int, path: Path, *, today: date | None = None
) -> Path:
    """Write the summary of an imported case (by its row id) to ``path`` (atomically)."""
    return write_pdf(path, imported_case_summary_pdf(notebook, imported_case_id, today=today))


# ---------------------------------------------------------------------------- period report


def _month_label(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return str(format_date(date(year, number, 1), "MMM yy", locale=format_locale()))


def _section(title: str, *flowables: Any, note: str | None = None) -> KeepTogether:
    parts: list[Any] = [paragraph(title, "h1")]
    if note:
        parts.append(paragraph(note, "small"))
    parts.extend(flowables)
    return KeepTogether(parts)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def _movement_table(figures: Dashboard) -> Table:
    names = [label(level) for level in LEVELS]
    first_col = 42 * mm
    rest = (WIDTH - first_col) / (len(LEVELS) + 1)
    rows: list[list[Any]] = [
        [
            _("First contact ↓ / latest →"),
            *(paragraph(name, "headc") for name in names),
            paragraph(_("Cases"), "headc"),
        ],
    ]
    for i, level in enumerate(LEVELS):
        counts = figures.wellbeing_movement[i]
        rows.append([label(level), *(_num(n, "numc") for n in counts), _num(sum(counts), "numc")])
    extra: list[tuple[Any, ...]] = []
    for i in range(len(LEVELS)):
        for j in range(len(LEVELS)):
            shade = SHADE if i == j else (_GOOD if j < i else _BAD)
            extra.append(("BACKGROUND", (j + 1, i + 1), (j + 1, i + 1), shade))
    extra.append(("BACKGROUND", (0, 1), (0, -1), SHADE))
    return data_table(rows, [first_col, *([rest] * (len(LEVELS) + 1))], extra=extra)


def _concern_table(table: ConcernTable) -> Table:
    """Signs (rows) against decisions (columns); a cell of serious signs met by neither a
    notification nor a reason is red and bold, and says how many give no reason."""
    decisions = list(ConcernDecision)
    first_col = 26 * mm
    rest = (WIDTH - first_col) / (len(decisions) + 1)
    # Smaller than a header cell, so that no decision breaks inside a word.
    head = ParagraphStyle("concern-head", parent=styles()["headc"], fontSize=7.5, leading=9.5)
    rows: list[list[Any]] = [
        [
            _("Signs ↓ / decision →"),
            *(paragraph(label(d), head) for d in decisions),
            paragraph(_("All"), head),
        ]
    ]
    extra: list[tuple[Any, ...]] = [("BACKGROUND", (0, 1), (0, -1), SHADE)]
    for i, signs in enumerate(ConcernSigns, start=1):
        row: list[Any] = [label(signs)]
        for j, decision in enumerate(decisions, start=1):
            count = table.counts[(signs, decision)]
            bare = table.without_reason[(signs, decision)]
            text = str(count)
            if bare:
                text += "\n" + _("{n} without a reason").format(n=bare)
            flagged = table.flagged(signs, decision)
            row.append(paragraph(text, "headc" if flagged else "numc"))
            if flagged:
                extra.append(("BACKGROUND", (j, i), (j, i), _BAD))
        row.append(_num(sum(table.counts[(signs, d)] for d in decisions), "numc"))
        rows.append(row)
    return data_table(rows, [first_col, *([rest] * (len(decisions) + 1))], extra=extra)


def _counsellor_section(items: Sequence[CounsellorPeriod]) -> KeepTogether:
    """Per counsellor, by the pseudonymous id (never the supervisor's label, which may be a
    name): the period's cases, contacts and follow-ups, open concerns, the last bundle."""
    rows: list[list[Any]] = [
        [
            _("Counsellor"),
            paragraph(_("Cases"), "numhead"),
            paragraph(_("Contacts"), "numhead"),
            paragraph(_("Follow-ups kept on time, of those due"), "numhead"),
            paragraph(_("Open concerns"), "numhead"),
            _("Last bundle made"),
        ]
    ]
    for item in items:
        rows.append(
            [
                item.counsellor_id,
                _num(item.cases),
                _num(item.contacts),
                _num(
                    _("{kept} of {due}").format(
                        kept=item.follow_ups[FollowUpOutcome.ON_TIME], due=item.follow_ups_due
                    )
                ),
                _num(item.open_concerns),
                _day(item.last_bundle.created_on, "medium") if item.last_bundle else "–",
            ]
        )
    return _section(
        _("Per counsellor"),
        data_table(rows, _column_widths([34, 14, 16, 30, 18, 28])),
        note=_(
            "Cases and contacts in the period, follow-ups due in it; open concerns (a case "
            "not closed whose latest concern shows signs) as the latest bundle had them."
        ),
    )


def _period_story(
    figures: Dashboard,
    generated: date,
    counsellor: str | None,
    per_counsellor: Sequence[CounsellorPeriod] = (),
    concerns: ConcernTable | None = None,
) -> tuple[list[Any], Footer]:
    title = _("Period report")
    period = _period_text(
        figures.period_from, figures.period_to, figures.first_contact, figures.last_contact
    )
    footer = Footer(title, period, _day(generated))
    who = (
        _("Counsellor {counsellor}").format(counsellor=counsellor)
        if counsellor
        else _("All counsellors")
    )
    known = len(figures.counsellors)
    # Of the chosen period, as every count of the report: the counsellors with a contact in it.
    active = sum(1 for item in per_counsellor if item.contacts)
    story: list[Any] = [
        paragraph(title, "title"),
        paragraph(_("The supervisor's overview of the imported, de-identified cases."), "subtitle"),
        key_values(
            [
                (_("Period"), period),
                (_("Counsellors"), who),
                (_("Generated"), _day(generated)),
                (
                    _("Data"),
                    _(
                        "{cases} cases with {contacts} contacts in the period, from {active} "
                        "of the {counsellors} counsellors whose bundles were imported."
                    ).format(
                        cases=figures.cases,
                        contacts=figures.contacts,
                        active=active,
                        counsellors=known,
                    ),
                ),
            ]
        ),
        Spacer(1, 3 * mm),
        paragraph(
            _(
                "Counted as on the dashboard: a contact is a conversation on a day in the "
                "period; a case counts when it has a contact in the period; alliances by the "
                "day they were made, follow-ups by their due day, concern decisions by their "
                "day."
            ),
            "small",
        ),
    ]

    follow_total = sum(figures.follow_ups.values())
    due = follow_total - figures.follow_ups.get(FollowUpOutcome.PENDING, 0)
    newly = figures.help_system.get(HelpSystemStatus.NEWLY_WORRIED.value, 0)
    twice = figures.assessed_twice
    on_time = figures.follow_ups.get(FollowUpOutcome.ON_TIME, 0)
    key_figures: list[tuple[str, int, str]] = [
        (_("Cases"), figures.cases, ""),
        (_("Contacts"), figures.contacts, ""),
        (label(HelpSystemStatus.NEWLY_WORRIED), newly, _share(newly, figures.cases)),
        (
            # The base is said: the cases assessed twice, never all the cases.
            _("Wellbeing improved: {improved} of {assessed} cases assessed twice").format(
                improved=figures.improved, assessed=twice
            ),
            figures.improved,
            _share(figures.improved, twice),
        ),
        (
            _("Follow-ups kept on time: {kept} of {due} due").format(kept=on_time, due=due),
            on_time,
            _share(on_time, due),
        ),
        (_("Alliances made"), sum(figures.alliances.values()), ""),
        (_("Concern decisions"), sum(figures.concern_decisions.values()), ""),
    ]
    unexplained = concerns.unexplained if concerns is not None else 0
    if concerns is not None:
        key_figures.append(
            (_("Signs of serious risk, no notification and no reason"), unexplained, "")
        )
    key_rows: list[list[Any]] = [
        [_("Figure"), paragraph(_("Number"), "numhead"), paragraph(_("Share"), "numhead")],
        *([name, _num(n), _num(share)] for name, n, share in key_figures),
    ]
    extra: list[tuple[Any, ...]] = []
    if unexplained:  # the row a supervisor must not miss
        extra.append(("BACKGROUND", (0, len(key_rows) - 1), (-1, len(key_rows) - 1), _BAD))
    story.append(
        _section(
            _("Key figures"),
            data_table(key_rows, [WIDTH * 0.6, WIDTH * 0.2, WIDTH * 0.2], extra=extra),
        )
    )
    if per_counsellor:
        story.append(_counsellor_section(per_counsellor))

    months = list(figures.contacts_per_month)
    every = max(1, math.ceil(len(months) / 36))
    story.append(
        _section(
            _("Contacts per month"),
            _vertical_bars(
                [_month_label(m) for m in months],
                list(figures.contacts_per_month.values()),
                label_every=every,
            )
            if months
            else _no_data(),
        )
    )

    themes = [(k, v) for k, v in figures.themes.items() if v]
    tax = taxonomy()
    story.append(
        _section(
            _("Themes"),
            _horizontal_bars([tax.label("themes", k) for k, _v in themes], [v for _k, v in themes])
            if themes
            else _no_data(),
            note=_("Cases with a contact in the period, per theme (a case can have several)."),
        )
    )

    bands = [band.value for band in AgeBand] + [UNKNOWN]
    story.append(
        _section(
            _("Age bands"),
            _vertical_bars(
                [_age_label(b) for b in bands],
                [figures.age_bands.get(b, 0) for b in bands],
                height=45 * mm,
                width=WIDTH,
            ),
            note=_("Cases with a contact in the period, by the child's age band."),
        )
    )

    statuses = [s.value for s in HelpSystemStatus] + [UNKNOWN]
    story.append(
        _section(
            _("Newly worried or known to the help system"),
            _horizontal_bars(
                [_help_label(s) for s in statuses],
                [figures.help_system.get(s, 0) for s in statuses],
                color=_BAR_2,
            ),
        )
    )

    single = figures.wellbeing_single
    story.append(
        _section(
            _("Wellbeing at the first and the latest contact"),
            _movement_table(figures),
            Spacer(1, 2 * mm),
            paragraph(
                _(
                    "Of {assessed} cases assessed twice: improved {improved}, unchanged "
                    "{unchanged}, worsened {worsened}. Assessed at only one contact: {single}."
                ).format(
                    assessed=figures.assessed_twice,
                    improved=figures.improved,
                    unchanged=figures.unchanged,
                    worsened=figures.worsened,
                    single=single,
                ),
                "body",
            ),
            note=_(
                "Cases with a level at two or more contacts in the period; rows are the "
                "level at the first contact, columns at the latest. Green: better; red: worse."
            ),
        )
    )

    story.append(
        _section(
            _("Steps covered"),
            _vertical_bars(
                [label(step) for step in Step],
                [figures.steps_covered.get(step, 0) for step in Step],
                height=42 * mm,
                color=_BAR_2,
            ),
            note=_("Contacts whose note for the step held text."),
        )
    )

    story.append(
        _section(
            _("Alliances by partner"),
            _horizontal_bars(
                [label(p) for p in Partner], [figures.alliances.get(p, 0) for p in Partner]
            ),
            note=_("Alliances made in the period."),
        )
    )
    kinds = [kind for kind in EntryKind if figures.alliance_kinds.get(kind.value, 0)]
    story.append(
        _section(
            _("Alliances by kind of partner"),
            data_table(
                [
                    [_("Kind (help directory)"), paragraph(_("Number"), "numhead")],
                    *([kind_label(k), _num(figures.alliance_kinds[k.value])] for k in kinds),
                    [
                        _("Not chosen from the directory"),
                        _num(figures.alliance_kinds.get(UNKNOWN, 0)),
                    ],
                ],
                [WIDTH * 0.5, WIDTH * 0.15],
            ),
            note=_(
                "Alliances made in the period, by the kind of help directory entry the "
                "partner was chosen from."
            ),
        )
    )

    outcomes = list(FollowUpOutcome)
    story.append(
        _section(
            _("Follow-ups"),
            _horizontal_bars(
                [outcome_label(o) for o in outcomes],
                [figures.follow_ups.get(o, 0) for o in outcomes],
                color=_BAR_3,
            ),
            note=_("Follow-ups due in the period, as they stood when the bundles were made."),
        )
    )

    decisions = list(ConcernDecision)
    parts: list[Any] = [
        _horizontal_bars(
            [label(d) for d in decisions],
            [figures.concern_decisions.get(d, 0) for d in decisions],
            color=_BAR_3,
        )
    ]
    if concerns is not None:
        parts += [
            Spacer(1, 2 * mm),
            _concern_table(concerns),
            Spacer(1, 1 * mm),
            paragraph(concerns.sentence(), "cellbold" if concerns.unexplained else "body"),
        ]
    story.append(
        _section(
            _("Concern decisions"),
            *parts,
            note=_(
                "Concerns for a child's safety recorded in the period: rows are the signs, "
                "columns the decision. Red: signs of serious risk with neither a "
                "notification nor a reason."
            ),
        )
    )
    return story, footer


@guarded
def period_report_pdf(
    notebook: Notebook,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
    today: date | None = None,
) -> bytes:
    """The period report of a supervisor's notebook as PDF bytes (see the module)."""
    figures = dashboard(notebook, period_from, period_to, counsellor)
    if counsellor is not None and counsellor not in {c.counsellor_id for c in figures.counsellors}:
        raise UnknownCounsellor(
            _("No bundle from counsellor {counsellor} was imported into this notebook.").format(
                counsellor=counsellor
            )
        )
    per_counsellor = counsellor_periods(notebook, period_from, period_to, counsellor)
    concerns = concern_table(notebook, period_from, period_to, counsellor)
    # The report holds figures and fixed words only: no free text to scan.
    story, footer = _period_story(
        figures, today or date.today(), counsellor, per_counsellor, concerns
    )
    return build(story, footer, _("Period report"))


def write_period_report(
    notebook: Notebook,
    path: Path,
    *,
    period_from: date | None = None,
    period_to: date | None = None,
    counsellor: str | None = None,
    today: date | None = None,
) -> Path:
    """Write the period report for the filters to ``path`` (atomically).

    The dashboard calls this by name. Raises
    :class:`~counsellor_app.core.errors.StorageError` when the file cannot be written.
    """
    return write_pdf(
        path,
        period_report_pdf(
            notebook,
            period_from=period_from,
            period_to=period_to,
            counsellor=counsellor,
            today=today,
        ),
    )
