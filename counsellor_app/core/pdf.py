"""What the PDF documents share: the embedded font, colours, page geometry, the document
template, plain-text paragraphs and a few words (case summaries, period reports, case
studies; the recovery sheet uses the document template)."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from counsellor_app.core.domain import WellbeingLevel, label
from counsellor_app.core.exchange.format import outcome_label as outcome_label
from counsellor_app.core.i18n import current_language
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


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def labelled(caption: str, text: str, style: ParagraphStyle) -> Paragraph:
    """``caption: text`` with the caption in bold (both plain text)."""
    body = escape(text).replace("\n", "<br/>")
    return Paragraph(f"<b>{escape(caption)}:</b> {body}", style)


def terms(group: str, ids: Sequence[str]) -> str:
    """The taxonomy's labels of ``ids``, or a dash for none."""
    tax = taxonomy()
    return ", ".join(tax.label(group, term) for term in ids) or "–"


def wellbeing_plot(
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


def level_names_width(font: str, size: float = 7.5) -> float:
    """The width of the longest wellbeing level's name in ``font``."""
    return max(float(pdfmetrics.stringWidth(label(level), font, size)) for level in WellbeingLevel)
