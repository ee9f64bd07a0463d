"""The pieces every chart shares: which axis labels fit, round grid steps."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from counsellor_app.gui.charts import labels_that_fit, nice_step


def test_the_last_label_always_shows_and_overlapping_ones_are_left_out() -> None:
    boxes = [(QRectF(x, 0, 30, 10), f"day {x}") for x in (0, 20, 40, 80, 100)]
    shown = [text for _rect, text in labels_that_fit(boxes, gap=4)]
    # The newest first; then from the oldest on, each that keeps 4 px from those placed.
    assert shown == ["day 100", "day 0", "day 40"]
    assert labels_that_fit([], gap=4) == []


def test_grid_steps_are_round() -> None:
    assert [nice_step(top) for top in (3, 9, 40, 170, 1234)] == [1, 5, 10, 50, 500]
