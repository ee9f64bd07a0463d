"""Every chart of the windows, drawn with QPainter in the palette's colours (light and
dark), sized by the font (200 % scaling), each stating its figures in words as its
accessible description for screen readers.

The dashboard's bar charts and wellbeing movement (:class:`HorizontalBarChart`,
:class:`ColumnChart`, :class:`MovementChart`), the learning log's bars, and a case's
wellbeing across its contacts (:class:`WellbeingChart`) share the frame, the grid, the
colours and the placing of labels below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from counsellor_app.core.dashboard import LEVELS, Dashboard
from counsellor_app.core.domain import OVERALL, WellbeingLevel, label, overall_level
from counsellor_app.core.i18n import _
from counsellor_app.core.taxonomy import taxonomy
from counsellor_app.gui.formatting import format_day, format_short_day
from counsellor_app.gui.widgets import is_dark, mix_colours

#: One contact as the wellbeing chart sees it: when it began and the levels assessed then.
ChartContact = tuple[datetime, Mapping[str, WellbeingLevel]]

#: Hues of the series of a chart that has several (a case's arenas), in order.
SERIES_HUES = (25, 140, 285, 200, 50, 330, 95)


# ---------------------------------------------------------------------- shared pieces


def hue_colour(widget: QWidget, hue: int) -> QColor:
    """A colour of ``hue`` (0–359) that reads well on ``widget``'s base (light or dark)."""
    return QColor.fromHsv(hue, 120, 225) if is_dark(widget) else QColor.fromHsv(hue, 190, 175)


def grid_colour(widget: QWidget, alpha: int = 120) -> QColor:
    """The faint colour of grid and axis lines: the palette's mid, partly transparent."""
    grid = QColor(widget.palette().color(QPalette.ColorRole.Mid))
    grid.setAlpha(alpha)
    return grid


def paint_frame(painter: QPainter, widget: QWidget) -> None:
    """The chart's rounded frame on the palette's base, with a focus ring when focused
    (a chart takes focus, so a screen reader reads it)."""
    palette = widget.palette()
    frame = QRectF(widget.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
    painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawRoundedRect(frame, 4, 4)
    if widget.hasFocus():
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(frame.adjusted(1, 1, -1, -1), 4, 4)


def labels_that_fit(boxes: list[tuple[QRectF, str]], gap: float) -> list[tuple[QRectF, str]]:
    """Of the labels along an axis, those that can be drawn: the last always, then from the
    first on, skipping any that would come within ``gap`` of one already placed."""
    if not boxes:
        return []
    placed = [boxes[-1]]
    for rect, text in boxes[:-1]:
        if all(
            rect.right() + gap < other.left() or rect.left() > other.right() + gap
            for other, _text in placed
        ):
            placed.append((rect, text))
    return placed


def nice_step(top: int, lines: int = 4) -> int:
    """A round step for about ``lines`` grid lines up to ``top``."""
    raw = max(1.0, top / lines)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)


# ---------------------------------------------------------------------- bar charts


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    #: A hue (0–359) for a bar whose colour means something; None: the palette's accent.
    hue: int | None = None


class Chart(QWidget):
    """A titled chart drawn with QPainter: a frame in the palette's base colour, the title,
    and a body drawn by the subclass; "empty" text when there is nothing to show. The
    chart can take focus, so a screen reader reads its name and description.

    A click on a bar or a cell that holds something emits :attr:`activated` with its
    index (a cell of the heat map: its row and column), for whoever opens the cases
    behind it; the pointer says so where a click does something."""

    #: A bar (its index) or a cell (``(row, column)``) was clicked.
    activated = Signal(object)

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._empty_text = empty_text
        #: Where each bar or cell was drawn last, and its index (for clicks).
        self._hits: list[tuple[QRectF, object]] = []
        #: Whether a click opens something (the pointer shows a hand over the bars).
        self.clickable = False
        self.setMouseTracking(True)
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def title(self) -> str:
        return self._title

    def description(self) -> str:
        return self.accessibleDescription()

    def _set_description(self, text: str) -> None:
        self.setAccessibleDescription(text)
        self.setToolTip(text if len(text) < 400 else text[:400] + "…")

    # ------------------------------------------------------------------ sizes

    def line(self) -> int:
        return self.fontMetrics().lineSpacing()

    def pad(self) -> int:
        return max(4, self.line() // 2)

    def is_empty(self) -> bool:
        raise NotImplementedError

    def body_height(self) -> int:
        raise NotImplementedError

    def body_min_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * 40

    def _title_height(self) -> int:
        return round(self.line() * 1.6)

    def sizeHint(self) -> QSize:
        body = self.line() * 3 if self.is_empty() else self.body_height()
        width = self.body_min_width() + 2 * self.pad()
        return QSize(
            max(width, self.fontMetrics().averageCharWidth() * 50),
            self._title_height() + body + 2 * self.pad(),
        )

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        return QSize(self.body_min_width() + 2 * self.pad(), hint.height())

    def _update(self) -> None:
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ colours

    def accent(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Highlight)

    def hue_colour(self, hue: int) -> QColor:
        return hue_colour(self, hue)

    def text_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Text)

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        paint_frame(painter, self)
        pad = self.pad()
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(self.text_colour())
        title_rect = QRectF(pad, pad, self.width() - 2 * pad, self._title_height())
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            painter.fontMetrics().elidedText(
                self._title, Qt.TextElideMode.ElideRight, int(title_rect.width())
            ),
        )
        painter.setFont(self.font())
        body = QRectF(
            pad,
            pad + self._title_height(),
            self.width() - 2 * pad,
            self.height() - 2 * pad - self._title_height(),
        )
        if body.width() < 10 or body.height() < 10:
            painter.end()
            return
        if self.is_empty():
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(body, Qt.AlignmentFlag.AlignCenter, self._empty_text)
        else:
            self.paint_body(painter, body)
        painter.end()

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ clicks

    def hit_areas(self) -> list[tuple[QRectF, object]]:
        """Where the bars or cells that hold something were drawn, with their indexes."""
        return [] if self.is_empty() else list(self._hits)

    def hit(self, point: QPointF) -> object | None:
        """The index of the bar or cell at ``point``, or None."""
        return next((key for rect, key in self.hit_areas() if rect.contains(point)), None)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.clickable and self.hit(event.position()) is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        key = self.hit(event.position()) if event.button() == Qt.MouseButton.LeftButton else None
        if key is not None:
            self.activated.emit(key)
        super().mouseReleaseEvent(event)


class HorizontalBarChart(Chart):
    """One bar per category, its label at the left and its number at the bar's end."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, empty_text, parent)
        self._bars: list[Bar] = []
        self._set_description(empty_text)

    def set_bars(self, bars: Sequence[Bar], intro: str = "") -> None:
        """Show ``bars``; the description names each with its number (``intro`` first)."""
        self._bars = list(bars)
        if self.is_empty():
            words = self._empty_text
        else:
            words = "; ".join(
                _("{label}: {count}").format(label=bar.label, count=bar.value) for bar in self._bars
            )
        self._set_description(f"{intro} {words}".strip() if intro else words)
        self._update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def is_empty(self) -> bool:
        return not any(bar.value for bar in self._bars)

    def _row_height(self) -> int:
        return round(self.line() * 1.45)

    def body_height(self) -> int:
        return self._row_height() * max(1, len(self._bars))

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        # A few pixels more than the advance: eliding rounds, and would cut a word that fits.
        widest = max((metrics.horizontalAdvance(bar.label) for bar in self._bars), default=0)
        return widest + 4 if widest else 0

    def body_min_width(self) -> int:
        metrics = self.fontMetrics()
        return min(self._label_width(), metrics.averageCharWidth() * 28) + (
            metrics.averageCharWidth() * 18
        )

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        pad = self.pad()
        top = max(bar.value for bar in self._bars)
        value_width = metrics.horizontalAdvance(str(top)) + pad
        label_width = min(self._label_width(), int(body.width() * 0.5))
        left = body.left() + label_width + pad
        span = max(1.0, body.right() - value_width - left)
        row = self._row_height()
        bar_height = max(4.0, row * 0.62)
        painter.setPen(QPen(grid_colour(self, 140), 1))
        painter.drawLine(
            QPointF(left, body.top()), QPointF(left, body.top() + row * len(self._bars))
        )
        self._hits = []
        for index, bar in enumerate(self._bars):
            y = body.top() + index * row
            if bar.value:
                self._hits.append((QRectF(body.left(), y, body.width(), row), index))
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(body.left(), y, label_width, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width),
            )
            length = span * bar.value / top if top else 0
            colour = self.accent() if bar.hue is None else self.hue_colour(bar.hue)
            if length > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(
                    QRectF(left, y + (row - bar_height) / 2, max(2.0, length), bar_height), 2, 2
                )
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(left + length + pad / 2, y, value_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(bar.value),
            )


class ColumnChart(Chart):
    """Vertical bars along time (contacts per month), with a value scale at the left."""

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, empty_text, parent)
        self._bars: list[Bar] = []
        self._long_labels: list[str] = []
        self._set_description(empty_text)

    def set_bars(self, bars: Sequence[Bar], long_labels: Sequence[str]) -> None:
        """Show ``bars`` (short labels under them); the description uses ``long_labels``."""
        self._bars = list(bars)
        self._long_labels = list(long_labels)
        if self.is_empty():
            words = self._empty_text
        else:
            words = "; ".join(
                _("{label}: {count}").format(label=name, count=bar.value)
                for name, bar in zip(self._long_labels, self._bars, strict=True)
            )
        self._set_description(words)
        self._update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def is_empty(self) -> bool:
        return not any(bar.value for bar in self._bars)

    def body_height(self) -> int:
        return self.line() * 11

    def body_min_width(self) -> int:
        return self.fontMetrics().averageCharWidth() * 50

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        line = self.line()
        pad = self.pad()
        top = max(bar.value for bar in self._bars)
        step = nice_step(top)
        scale_top = step * -(-top // step)
        axis_width = metrics.horizontalAdvance(str(scale_top)) + pad
        plot = QRectF(
            body.left() + axis_width,
            body.top() + line / 2,
            body.width() - axis_width,
            body.height() - line * 2,
        )
        grid = grid_colour(self)
        for value in range(0, scale_top + 1, step):
            y = plot.bottom() - plot.height() * value / scale_top
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine if value else Qt.PenStyle.SolidLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(body.left(), y - line / 2, axis_width - pad / 2, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(value),
            )
        count = len(self._bars)
        slot = plot.width() / count
        width = max(2.0, slot * 0.7)
        painter.setBrush(self.accent())
        value_room = all(
            metrics.horizontalAdvance(str(bar.value)) + 2 <= slot for bar in self._bars
        )
        self._hits = []
        for index, bar in enumerate(self._bars):
            height = plot.height() * bar.value / scale_top
            x = plot.left() + slot * index + (slot - width) / 2
            if bar.value:
                self._hits.append(
                    (QRectF(plot.left() + slot * index, plot.top(), slot, plot.height()), index)
                )
            if height > 0:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawRect(QRectF(x, plot.bottom() - height, width, height))
            if value_room and bar.value:
                painter.setPen(self.text_colour())
                painter.drawText(
                    QRectF(x - pad, plot.bottom() - height - line, width + 2 * pad, line),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    str(bar.value),
                )
        # Labels under the bars where there is room: the last always, then from the
        # first on, skipping any that would overlap one already placed.
        boxes: list[tuple[QRectF, str]] = []
        for index, bar in enumerate(self._bars):
            text_width = metrics.horizontalAdvance(bar.label) + 2
            centre = plot.left() + slot * (index + 0.5)
            left = min(max(centre - text_width / 2, body.left()), body.right() - text_width)
            boxes.append((QRectF(left, plot.bottom() + line / 4, text_width, line), bar.label))
        painter.setPen(self.text_colour())
        for rect, text in labels_that_fit(boxes, pad):
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


# ---------------------------------------------------------------------- wellbeing


class MovementChart(Chart):
    """Wellbeing at the first and the latest contact: a 4×4 heat map with the number of
    cases in each cell (rows: first level, columns: latest), and the cases that improved,
    stayed or worsened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Wellbeing, first and latest contact"),
            _("No case with wellbeing assessed at two contacts in this period."),
            parent,
        )
        self._matrix: tuple[tuple[int, ...], ...] = tuple((0,) * len(LEVELS) for _ in LEVELS)
        self._improved = self._unchanged = self._worsened = self._single = 0
        self._set_description(self._empty_text)

    def set_figures(self, figures: Dashboard) -> None:
        self._matrix = figures.wellbeing_movement
        self._improved = figures.improved
        self._unchanged = figures.unchanged
        self._worsened = figures.worsened
        self._single = figures.wellbeing_single
        self._set_description(self.words())
        self._update()

    def matrix(self) -> tuple[tuple[int, ...], ...]:
        return self._matrix

    def summary(self) -> str:
        return _(
            "Improved: {improved} · Unchanged: {unchanged} · Worsened: {worsened} · "
            "Assessed at one contact only: {single}"
        ).format(
            improved=self._improved,
            unchanged=self._unchanged,
            worsened=self._worsened,
            single=self._single,
        )

    def words(self) -> str:
        parts = [
            _(
                "Improved: {improved}, unchanged: {unchanged}, worsened: {worsened}; "
                "assessed at one contact only: {single}."
            ).format(
                improved=self._improved,
                unchanged=self._unchanged,
                worsened=self._worsened,
                single=self._single,
            )
        ]
        for first, row in zip(LEVELS, self._matrix, strict=True):
            moved = [
                _("{level}: {count}").format(level=label(latest), count=count)
                for latest, count in zip(LEVELS, row, strict=True)
                if count
            ]
            if moved:
                parts.append(
                    _("From {level} at the first contact to {list}.").format(
                        level=label(first), list=", ".join(moved)
                    )
                )
        return " ".join(parts)

    def is_empty(self) -> bool:
        return not any(map(any, self._matrix)) and not self._single

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(label(level)) for level in LEVELS) + 4

    def _cell_height(self) -> int:
        return round(self.line() * 1.9)

    def body_height(self) -> int:
        line = self.line()
        return line + line * 2 + self._cell_height() * len(LEVELS) + line // 2 + line * 2

    def body_min_width(self) -> int:
        metrics = self.fontMetrics()
        return self._label_width() + metrics.averageCharWidth() * 9 * len(LEVELS)

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        palette = self.palette()
        line = self.line()
        pad = self.pad()
        text = self.text_colour()
        painter.setPen(text)
        painter.drawText(
            QRectF(body.left(), body.top(), body.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                _("Rows: level at the first contact · Columns: at the latest contact"),
                Qt.TextElideMode.ElideRight,
                int(body.width()),
            ),
        )
        label_width = min(self._label_width(), int(body.width() * 0.35))
        grid_left = body.left() + label_width + pad
        cell_width = (body.right() - grid_left) / len(LEVELS)
        header_top = body.top() + line
        header_height = line * 2
        for column, level in enumerate(LEVELS):
            rect = QRectF(grid_left + column * cell_width, header_top, cell_width, header_height)
            painter.drawText(
                rect.adjusted(2, 0, -2, 0),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignBottom
                | Qt.TextFlag.TextWordWrap,
                label(level),
            )
        cells_top = header_top + header_height
        cell_height = self._cell_height()
        top = max(max(row) for row in self._matrix) or 1
        base = palette.color(QPalette.ColorRole.Base)
        accent = self.accent()
        edge = QColor(palette.color(QPalette.ColorRole.Mid))
        count_font = QFont(self.font())
        count_font.setBold(True)
        self._hits = []
        for row_index, (level, row) in enumerate(zip(LEVELS, self._matrix, strict=True)):
            y = cells_top + row_index * cell_height
            painter.setPen(text)
            painter.setFont(self.font())
            painter.drawText(
                QRectF(body.left(), y, label_width, cell_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label(level), Qt.TextElideMode.ElideRight, label_width),
            )
            for column, count in enumerate(row):
                rect = QRectF(grid_left + column * cell_width, y, cell_width, cell_height)
                if count:
                    self._hits.append((rect, (row_index, column)))
                fill = mix_colours(base, accent, 0.15 + 0.85 * count / top) if count else base
                painter.setPen(QPen(edge, 1))
                painter.setBrush(fill)
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
                if column == row_index:
                    # The diagonal (unchanged) is outlined, so it reads without colour.
                    painter.setPen(QPen(text, 1.5, Qt.PenStyle.DashLine))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect.adjusted(3, 3, -3, -3))
                painter.setFont(count_font)
                painter.setPen(QColor("#000000") if fill.lightness() > 140 else QColor("#ffffff"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        painter.setFont(self.font())
        painter.setPen(text)
        footer = QRectF(
            body.left(),
            cells_top + cell_height * len(LEVELS) + line / 2,
            body.width(),
            line * 2,
        )
        painter.drawText(
            footer,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.summary(),
        )


class WellbeingChart(QWidget):
    """The wellbeing level at each contact of a case, as a small line chart.

    x runs over the contacts in time order, y over the four levels with trivsel at the
    top. A thick line shows the overall level; where levels were given per arena, thin
    dashed lines show each arena, with a legend. The trajectory is also given in words
    as the accessible description, for screen readers.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._contacts: list[tuple[datetime, dict[str, WellbeingLevel]]] = []
        self.setAccessibleName(_("Wellbeing across contacts"))
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._describe()

    # -------------------------------------------------------------- data

    def set_contacts(self, contacts: Sequence[ChartContact]) -> None:
        """Every contact of the case, oldest first (those with no level are gaps)."""
        self._contacts = [(moment, dict(levels)) for moment, levels in contacts]
        self._describe()
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self.set_contacts([])

    def contact_count(self) -> int:
        return len(self._contacts)

    def overall_levels(self) -> list[WellbeingLevel | None]:
        """The overall level at each contact (None where none was assessed)."""
        return [overall_level(levels) for _moment, levels in self._contacts]

    def arena_ids(self) -> list[str]:
        """The arenas given a level at any contact, in the order first met."""
        seen: list[str] = []
        for _moment, levels in self._contacts:
            for key in levels:
                if key != OVERALL and key not in seen:
                    seen.append(key)
        return seen

    def has_points(self) -> bool:
        return any(level is not None for level in self.overall_levels())

    def description(self) -> str:
        """The trajectory in words, e.g. "Contact 1 (12 Nov 2026): Distress; …"."""
        if not self.has_points():
            return _("No wellbeing assessed yet")
        tax = taxonomy()
        parts = []
        for number, (moment, levels) in enumerate(self._contacts, start=1):
            level = overall_level(levels)
            words = label(level) if level else _("not assessed")
            arenas = [
                _("{arena}: {level}").format(
                    arena=tax.label("arenas", key), level=label(levels[key])
                )
                for key in levels
                if key != OVERALL
            ]
            if arenas:
                words += " (" + ", ".join(arenas) + ")"
            parts.append(
                _("Contact {number} ({date}): {level}").format(
                    number=number, date=format_day(moment), level=words
                )
            )
        return "; ".join(parts)

    def _describe(self) -> None:
        self.setAccessibleDescription(self.description())
        self.setToolTip(self.description() if self.has_points() else "")

    # -------------------------------------------------------------- geometry

    def _legend_entries(self) -> list[str]:
        arenas = self.arena_ids()
        if not arenas:
            return []
        tax = taxonomy()
        return [_("Overall"), *(tax.label("arenas", key) for key in arenas)]

    def _legend_rows(self, width: int) -> list[list[tuple[int, str]]]:
        """Legend entries (index, text) wrapped into rows that fit ``width``."""
        metrics = self.fontMetrics()
        swatch = metrics.lineSpacing() * 2
        gap = metrics.lineSpacing()
        rows: list[list[tuple[int, str]]] = []
        used = 0
        for index, text in enumerate(self._legend_entries()):
            need = swatch + metrics.horizontalAdvance(text) + gap
            if not rows or (used + need - gap > width and rows[-1]):
                rows.append([])
                used = 0
            rows[-1].append((index, text))
            used += need
        return rows

    def _axis_width(self) -> int:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(label(level)) for level in WellbeingLevel)

    def _height_for(self, width: int) -> int:
        line = self.fontMetrics().lineSpacing()
        legend = len(self._legend_rows(width - 2 * max(4, line // 3)))
        return max(140, int(line * 7.5) + legend * line)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = max(360, self._axis_width() + metrics.averageCharWidth() * 36)
        return QSize(width, self._height_for(width))

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = self._axis_width() + metrics.averageCharWidth() * 16
        return QSize(width, self._height_for(width))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height_for(width)

    # -------------------------------------------------------------- painting

    def _series_colours(self, count: int) -> list[QColor]:
        return [hue_colour(self, SERIES_HUES[i % len(SERIES_HUES)]) for i in range(count)]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        pad = max(4, line // 3)
        text_colour = palette.color(QPalette.ColorRole.Text)
        paint_frame(painter, self)

        if not self.has_points():
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, _("No wellbeing assessed yet")
            )
            painter.end()
            return

        legend_rows = self._legend_rows(self.width() - 2 * pad)
        axis = self._axis_width()
        plot = QRectF(
            pad + axis + pad,
            pad + line / 2,
            self.width() - (3 * pad + axis) - line,
            self.height() - 2 * pad - line / 2 - line * 1.5 - len(legend_rows) * line,
        )
        if plot.width() < 10 or plot.height() < 10:
            painter.end()
            return

        def y_of(level: WellbeingLevel) -> float:
            return plot.top() + plot.height() * level.rank / (len(WellbeingLevel) - 1)

        count = len(self._contacts)

        def x_of(index: int) -> float:
            if count == 1:
                return plot.center().x()
            inset = line / 2
            return plot.left() + inset + (plot.width() - 2 * inset) * index / (count - 1)

        # The four levels: a faint line each, named at the left.
        grid = grid_colour(self)
        for level in WellbeingLevel:
            y = y_of(level)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(pad, y - line / 2, axis, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label(level),
            )

        # Contacts along the bottom: a short date under each where there is room (the
        # newest always, then from the oldest on, skipping any that would overlap).
        label_top = plot.bottom() + line / 3
        boxes: list[tuple[QRectF, str]] = []
        for index, (moment, _levels) in enumerate(self._contacts):
            text = format_short_day(moment)
            width = metrics.horizontalAdvance(text) + 2
            left = min(max(x_of(index) - width / 2, float(pad)), self.width() - pad - width)
            boxes.append((QRectF(left, label_top, width, line), text))
        painter.setPen(text_colour)
        for rect, text in labels_that_fit(boxes, pad):
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

        # Thin dashed lines per arena, then the thick overall line on top.
        arenas = self.arena_ids()
        colours = self._series_colours(len(arenas))
        dashes = [Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine]
        for number, arena in enumerate(arenas):
            points = [
                QPointF(x_of(i), y_of(levels[arena]))
                for i, (_m, levels) in enumerate(self._contacts)
                if arena in levels
            ]
            pen = QPen(colours[number], 1.5, dashes[number % len(dashes)])
            self._draw_series(painter, points, pen, radius=2.5, fill=colours[number])
        overall_colour = palette.color(QPalette.ColorRole.Highlight)
        points = [
            QPointF(x_of(i), y_of(level))
            for i, level in enumerate(self.overall_levels())
            if level is not None
        ]
        self._draw_series(painter, points, QPen(overall_colour, 3), radius=4.5, fill=overall_colour)

        # The legend, when arenas are drawn.
        top = self.height() - pad - len(legend_rows) * line
        entry_pens = [QPen(overall_colour, 3)] + [
            QPen(colours[i], 1.5, dashes[i % len(dashes)]) for i in range(len(arenas))
        ]
        for row in legend_rows:
            x = float(pad)
            for index, text in row:
                painter.setPen(entry_pens[index])
                mid = top + line / 2
                painter.drawLine(QPointF(x, mid), QPointF(x + line * 1.5, mid))
                x += line * 2
                painter.setPen(text_colour)
                advance = metrics.horizontalAdvance(text)
                painter.drawText(
                    QRectF(x, top, advance + 2, line), Qt.AlignmentFlag.AlignVCenter, text
                )
                x += advance + line
            top += line
        painter.end()

    def _draw_series(
        self, painter: QPainter, points: list[QPointF], pen: QPen, radius: float, fill: QColor
    ) -> None:
        if len(points) > 1:
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Base), 1))
        painter.setBrush(fill)
        for point in points:
            painter.drawEllipse(point, radius, radius)


class TrendStripChart(Chart):
    """A row per label, each a strip of small columns in time order, as tall as a score
    out of ``top`` (None: nothing at that point): e.g. the mentor's rubric, a row per
    step, a column per contact rated. The description (given) says it in words."""

    def __init__(
        self, title: str, empty_text: str, top: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, empty_text, parent)
        self._top = max(1, top)
        self._rows: list[tuple[str, tuple[int | None, ...]]] = []
        self._set_description(empty_text)

    def set_rows(self, rows: Sequence[tuple[str, Sequence[int | None]]], words: str) -> None:
        """Show ``rows`` (a label and its scores, oldest first); ``words`` describes them."""
        self._rows = [(name, tuple(scores)) for name, scores in rows]
        self._set_description(words if not self.is_empty() else self._empty_text)
        self._update()

    def rows(self) -> list[tuple[str, tuple[int | None, ...]]]:
        return list(self._rows)

    def is_empty(self) -> bool:
        return not any(score for _name, scores in self._rows for score in scores)

    def _row_height(self) -> int:
        return round(self.line() * 1.6)

    def body_height(self) -> int:
        return self._row_height() * max(1, len(self._rows))

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(name) for name, _s in self._rows), default=0) + 4

    def paint_body(self, painter: QPainter, body: QRectF) -> None:
        metrics = self.fontMetrics()
        pad = self.pad()
        label_width = min(self._label_width(), int(body.width() * 0.4))
        left = body.left() + label_width + pad
        row = self._row_height()
        count = max((len(scores) for _name, scores in self._rows), default=0)
        step = min(float(row), (body.right() - left) / max(1, count))
        width = max(2.0, step * 0.7)
        self._hits = []
        for index, (name, scores) in enumerate(self._rows):
            y = body.top() + index * row
            painter.setPen(self.text_colour())
            painter.drawText(
                QRectF(body.left(), y, label_width, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_width),
            )
            base = y + row - 3
            painter.setPen(QPen(grid_colour(self, 140), 1))
            painter.drawLine(QPointF(left, base), QPointF(left + step * count, base))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.accent())
            for column, score in enumerate(scores):
                if not score:
                    continue
                height = (row - 6) * min(score, self._top) / self._top
                painter.drawRoundedRect(
                    QRectF(left + column * step, base - height, width, height), 1.5, 1.5
                )
