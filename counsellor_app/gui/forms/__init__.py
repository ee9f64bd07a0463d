"""Modules generated from the Qt Designer forms in ``ui/`` by ``scripts/forms.py``.

Never edit a ``ui_*.py`` here: edit the form in Designer and run the script. The forms'
strings are English message ids like every other; uic calls :func:`tr` for each.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLayout, QWidget

from counsellor_app.core.i18n import _


def tr(text: str, disambiguation: str | None = None) -> str:
    """The translation uic's ``--tr tr`` calls with (text, disambiguation); gettext has
    no disambiguation here, so the text alone is the message id."""
    return _(text)


def settle(widget: QWidget) -> None:
    """Make every layout under ``widget`` measure again. uic sets a form's texts after it
    has built the widgets, and a QSplitter measures its children as they are added, so
    without this it shares out its room by the sizes of captions still empty."""
    for layout in widget.findChildren(QLayout):
        layout.invalidate()
