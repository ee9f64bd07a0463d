"""The one PDF kit: the embedded font, colours, page geometry, the document template, the
paragraph styles, tables, drawings, the page footer with its page numbers, and a few
words. Case summaries, period reports and case studies are built with :func:`build`; the
recovery sheet uses the document template and the font."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from counsellor_app.core.domain import WellbeingLevel, label
from counsellor_app.core.i18n import _, current_language
from counsellor_app.core.paths import resource_path
from counsellor_app.core.safefile import atomic_write_bytes
from counsellor_app.core.taxonomy import taxonomy

APP_NAME = "Counsellor's Notebook"

FONT_DIR = resource_path("fonts")
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#bcccdc")
SHADE = colors.HexColor("#eef2f6")
#: The line of a chart (and the first bars).
LINE = colors.HexColor("#2f6f9f")

MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the bundled DejaVu Sans (regular and bold) with reportlab, once."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return FONT, FONT_BOLD


def document(
    buffer: io.BytesIO,
    *,
    margin: float,
    bottom_margin: float,
    title: str,
    subject: str,
    **extra: Any,
) -> SimpleDocTemplate:
    """An A4 document of this app in the current language, without an author."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom_margin,
        title=title,
        author="",
        subject=subject,
        creator=APP_NAME,
        lang=current_language(),
        **extra,
    )


def write_pdf(path: Path | str, data: bytes) -> Path:
    """Write a PDF's bytes to ``path`` atomically; returns the path."""
    path = Path(path)
    atomic_write_bytes(path, data)
    return path


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every document, by name: ``body``, ``title``, ``subtitle``,
    ``h1``, ``h2``, ``note``, ``comment``, ``small``, and for table cells ``cell``,
    ``cellbold``, ``num`` (right-aligned), ``numhead``, ``numc`` and ``headc`` (centred)."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=3
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0)
    cellbold = ParagraphStyle("cellbold", parent=cell, fontName=FONT_BOLD)
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=8
        ),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=10,
            spaceAfter=4,
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=7,
            spaceAfter=2,
        ),
        "note": ParagraphStyle(
            "note", parent=body, fontSize=9, leading=12.5, leftIndent=4 * mm, spaceAfter=3
        ),
        "comment": ParagraphStyle("comment", parent=body, fontSize=9, leading=12, spaceAfter=1),
        "small": ParagraphStyle(
            "small", parent=body, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=2
        ),
        "cell": cell,
        "cellbold": cellbold,
        "num": ParagraphStyle("num", parent=cell, alignment=TA_RIGHT),
        "numhead": ParagraphStyle("numhead", parent=cellbold, alignment=TA_RIGHT),
        "numc": ParagraphStyle("numc", parent=cell, alignment=TA_CENTER),
        "headc": ParagraphStyle("headc", parent=cellbold, alignment=TA_CENTER),
    }  # fmt: skip


def _style(style: str | ParagraphStyle) -> ParagraphStyle:
    return styles()[style] if isinstance(style, str) else style


def paragraph(text: str, style: str | ParagraphStyle = "body") -> Paragraph:
    """A paragraph of plain text (escaped, so ``&`` or ``<`` are harmless), line breaks
    kept, in one of :func:`styles` or a style of its own."""
    return Paragraph(escape(text).replace("\n", "<br/>"), _style(style))


def labelled(caption: str, text: str, style: str | ParagraphStyle = "note") -> Paragraph:
    """``caption: text`` with the caption in bold (both plain text)."""
    body = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<b>{escape(caption)}:</b> {body}", _style(style))


def data_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    *,
    header: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table of plain texts (strings become ``cell`` paragraphs; other cells are kept);
    the first row is the header, shaded and repeated on a new page, when ``header``.
    ``extra`` are more table style commands."""
    cells = [
        [
            (paragraph(c, "cellbold" if header and i == 0 else "cell") if isinstance(c, str) else c)
            for c in row
        ]
        for i, row in enumerate(rows)
    ]
    widths = list(widths) if widths is not None else None
    table = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ]
    table.setStyle(TableStyle([*style, *extra]))
    return table


def key_values(pairs: Sequence[tuple[str, str]], key_width: float = 45 * mm) -> Table:
    """A two-column table of field names (bold) and their values, the page's width."""
    rows = [[paragraph(k, "cellbold"), paragraph(v, "cell")] for k, v in pairs]
    table = Table(rows, colWidths=[key_width, WIDTH - key_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def new_drawing(width: float, height: float) -> Drawing:
    """A drawing whose text starts in the bundled font (not reportlab's Helvetica)."""
    register_fonts()
    return Drawing(width, height, initialFontName=FONT, initialFontSize=8)


# ---------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Footer:
    """What the foot of every page says: the document's title (and ``detail``, such as the
    period) on the left, the day it was made (``generated``) under it, and "Page n of m"
    on the right."""

    title: str
    detail: str = ""
    generated: str = ""


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds its pages back until the end, so that each page's footer can
    say how many pages there are ("Page 2 of 5") in one layout pass.

    This is reportlab's own recipe for a page count: its pages are drawn once and cannot
    be laid out a second time (a first pass marks the flowables it split or postponed,
    and they do not deep-copy), and reportlab has no public hook that knows the count
    sooner, so ``_startPage`` (what ``showPage`` does after emitting a page) is called
    here, in this one place."""

    def __init__(self, *args: Any, footer: Footer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self.held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self.held_pages)
        for state in self.held_pages:
            self.__dict__.update(state)
            self.draw_footer(total)
            super().showPage()
        super().save()

    def draw_footer(self, pages: int) -> None:
        """The footer of the current page, which is one of ``pages``."""
        footer = self.footer
        y = 10 * mm
        right = A4[0] - MARGIN
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 4.5 * mm, right, y + 4.5 * mm)
        self.setFillColor(MUTED)
        self.setFont(FONT, 7.5)
        left = f"{footer.title} · {footer.detail}" if footer.detail else footer.title
        self.drawString(MARGIN, y + 1.2 * mm, fit(left, FONT, 7.5, 110 * mm))
        if footer.generated:
            self.drawString(
                MARGIN, y - 2.2 * mm, _("Generated {date}").format(date=footer.generated)
            )
        self.drawRightString(
            right,
            y + 1.2 * mm,
            _("Page {page} of {pages}").format(page=self.getPageNumber(), pages=pages),
        )
        self.restoreState()


def build(story: list[Any], footer: Footer, subject: str) -> bytes:
    """The PDF of ``story`` on A4 pages in the bundled font, each with the ``footer``."""
    register_fonts()
    buffer = io.BytesIO()
    doc = document(
        buffer,
        margin=MARGIN,
        bottom_margin=MARGIN + 6 * mm,
        title=footer.title,
        subject=subject,
        # The canvas starts in the bundled font, so no page refers to a font that is not
        # embedded (reportlab's default is Helvetica, one of the 14 standard fonts).
        initialFontName=FONT,
        initialFontSize=9.5,
    )
    doc.build(story, canvasmaker=functools.partial(_NumberedCanvas, footer=footer))
    return buffer.getvalue()


def terms(group: str, ids: Sequence[str]) -> str:
    """The taxonomy's labels of ``ids``, or a dash for none."""
    tax = taxonomy()
    return ", ".join(tax.label(group, term) for term in ids) or "–"


def _wellbeing_plot(
    points: Sequence[tuple[int, WellbeingLevel]],
    count: int,
    *,
    font: str,
    color: Any,
    left: float,
    bottom: float,
    width: float,
    height: float,
) -> LinePlot:
    """A line of the wellbeing level at each of ``count`` contacts (``points`` are the
    contacts' numbers with a level), best level at the top, levels named on the left."""
    levels = list(WellbeingLevel)
    names = [label(level) for level in levels]
    plot = LinePlot()
    plot.x, plot.y = left, bottom
    plot.width, plot.height = width, height
    top = len(levels) - 1
    plot.data = [[(float(n), float(top - level.rank)) for n, level in points]]
    plot.lines[0].strokeColor = color
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle")
    plot.lines[0].symbol.size = 5
    plot.lines[0].symbol.fillColor = color
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = 0.6, count + 0.4
    x_axis.valueSteps = list(range(1, count + 1))
    x_axis.labelTextFormat = "%d"
    y_axis.valueMin, y_axis.valueMax = -0.3, top + 0.3
    y_axis.valueSteps = list(range(len(levels)))
    y_axis.labelTextFormat = lambda v: names[round(top - v)] if 0 <= v <= top else ""
    for axis in (x_axis, y_axis):
        axis.labels.fontName = font
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = INK
        axis.strokeColor = MUTED
        axis.strokeWidth = 0.5
    y_axis.visibleGrid = True
    y_axis.gridStrokeColor = RULE
    y_axis.gridStrokeWidth = 0.3
    return plot


def _level_names_width(font: str, size: float = 7.5) -> float:
    """The width of the longest wellbeing level's name in ``font``."""
    return max(float(pdfmetrics.stringWidth(label(level), font, size)) for level in WellbeingLevel)


def wellbeing_chart(points: Sequence[tuple[int, WellbeingLevel]], count: int) -> Drawing | None:
    """The chart of a case's wellbeing: the overall level (see
    :func:`~counsellor_app.core.domain.overall_level`) at each of ``count`` conversations,
    ``points`` being the numbers of those with a level; None when none has one."""
    if not points:
        return None
    register_fonts()
    width, height = WIDTH * 0.72, 46 * mm
    left = _level_names_width(FONT) + 6
    chart = new_drawing(width, height)
    plot = _wellbeing_plot(
        points,
        count,
        font=FONT,
        color=LINE,
        left=left,
        bottom=9 * mm,
        width=width - left - 6 * mm,
        height=height - 13 * mm,
    )
    chart.add(plot)
    chart.add(
        String(
            plot.x + plot.width / 2,
            1 * mm,
            _("Conversation"),
            fontName=FONT,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    return chart
