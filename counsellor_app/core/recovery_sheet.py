"""A one-page PDF of a notebook's recovery key, to print and lock away.

The sheet holds the recovery key (large, monospaced, in groups that are easy to read aloud
and copy by hand), the notebook's file name, the date it was made, and a few plain lines on
what the key is for and how to keep and use it. It never holds anything from the notes. All
text is in the current UI language, set in the kit's embedded font (:mod:`.pdf`); the key
and the command are in Courier, whose zero and one cannot be mistaken for letters.

The PDF is built in memory and written atomically, so a failed write leaves no half-written
sheet behind.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, Spacer, Table, TableStyle

from counsellor_app.core.i18n import _, format_locale
from counsellor_app.core.keys import normalise_recovery_key
from counsellor_app.core.pdf import FONT, FONT_BOLD, document, paragraph, register_fonts
from counsellor_app.core.safefile import atomic_write_bytes, storage_error

CLI_COMMAND = "counsellor-app change-passphrase --recovery"

_MARGIN = 20 * mm
_GROUPS_PER_ROW = 4

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, spaceAfter=5)
_TITLE = ParagraphStyle(
    "title", parent=_BODY, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=10
)
_HEADING = ParagraphStyle(
    "heading", parent=_BODY, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=8
)
_DETAIL = ParagraphStyle("detail", parent=_BODY, spaceAfter=1)
_BULLET = ParagraphStyle("bullet", parent=_BODY, leftIndent=5 * mm, bulletIndent=0)
_COMMAND = ParagraphStyle(
    "command", parent=_BODY, fontName="Courier-Bold", fontSize=11, leftIndent=5 * mm
)
_KEY = ParagraphStyle("key", fontName="Courier-Bold", fontSize=30, leading=34, alignment=TA_CENTER)


def _bullet(text: str) -> Paragraph:
    return Paragraph(escape(text), _BULLET, bulletText="•")


def _key_table(recovery_key: str) -> Table:
    """The key as a grid of boxed groups, four to a row."""
    groups = normalise_recovery_key(recovery_key).split("-")
    rows: list[list[Any]] = [
        [Paragraph(group, _KEY) for group in groups[i : i + _GROUPS_PER_ROW]]
        for i in range(0, len(groups), _GROUPS_PER_ROW)
    ]
    if len(rows) > 1:  # pad a short last row so the grid stays rectangular
        rows[-1] += [""] * (_GROUPS_PER_ROW - len(rows[-1]))
    table = Table(rows, colWidths=[38 * mm] * _GROUPS_PER_ROW, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("INNERGRID", (0, 0), (-1, -1), 0.75, colors.grey),
                ("BOX", (0, 0), (-1, -1), 1.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 11),
            ]
        )
    )
    return table


def _story(recovery_key: str, notebook_file_name: str, created: datetime) -> list[Any]:
    date = format_date(created.date(), format="long", locale=format_locale())
    button = _("Forgot passphrase? Use the recovery key")
    return [
        paragraph(_("Recovery key for your Counsellor's Notebook"), _TITLE),
        paragraph(_("Notebook file: {name}").format(name=notebook_file_name), _DETAIL),
        paragraph(_("Created: {date}").format(date=date), _DETAIL),
        Spacer(1, 10 * mm),
        _key_table(recovery_key),
        Spacer(1, 5 * mm),
        paragraph(
            _(
                "The key has no letters I, L, O or U: a round sign is always the digit 0 and "
                "a straight stroke is always the digit 1. Capital or small letters, spaces and "
                "dashes make no difference when you type it."
            ),
            _BODY,
        ),
        paragraph(_("What it is for"), _HEADING),
        paragraph(
            _(
                "This key opens your notebook if you forget your passphrase. It was shown only "
                "once, when the notebook was made, and cannot be shown again."
            ),
            _BODY,
        ),
        paragraph(_("Keep it safe"), _HEADING),
        _bullet(_("Keep this sheet locked away, apart from the computer the notebook is on.")),
        _bullet(_("Never photograph it, and never store it on the same computer as the notebook.")),
        _bullet(_("Anyone who has this key and the notebook file can read all the notes in it.")),
        paragraph(_("How to use it"), _HEADING),
        _bullet(
            _(
                "In the app: on the unlock screen, choose “{button}”, type the key and choose "
                "a new passphrase."
            ).format(button=button)
        ),
        _bullet(_("On the command line:")),
        paragraph(CLI_COMMAND, _COMMAND),
    ]


def recovery_sheet_bytes(recovery_key: str, notebook_file_name: str, created: datetime) -> bytes:
    """The recovery sheet as the bytes of a one-page A4 PDF."""
    register_fonts()
    buffer = io.BytesIO()
    doc = document(
        buffer,
        margin=_MARGIN,
        bottom_margin=_MARGIN,
        title=_("Recovery key for your Counsellor's Notebook"),
        subject="",
    )
    # Shrink rather than spill onto a second page if a translation runs long.
    frame = KeepInFrame(
        doc.width, doc.height, _story(recovery_key, notebook_file_name, created), mode="shrink"
    )
    doc.build([frame])
    return buffer.getvalue()


def write_recovery_sheet(
    path: Path, recovery_key: str, notebook_file_name: str, created: datetime
) -> None:
    """Write the recovery sheet for a notebook to ``path`` as a PDF, atomically.

    Raises :class:`~counsellor_app.core.errors.StorageError` if the file cannot be written;
    nothing is left at ``path`` then (an existing file there is kept as it was).
    """
    data = recovery_sheet_bytes(recovery_key, notebook_file_name, created)
    try:
        atomic_write_bytes(path, data)
    except OSError as error:  # atomic_write_bytes already reports its own; this is a backstop
        raise storage_error(error, _("The recovery key sheet")) from error
