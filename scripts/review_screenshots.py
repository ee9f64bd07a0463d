#!/usr/bin/env python3
"""Screenshots of review mode on a student's demo notebook, for README.md (docs/*.png).

QT_QPA_PLATFORM=offscreen python scripts/review_screenshots.py [--only light|dark]

A mentor's comments beside two steps (one answered), a comment on a contact as a whole,
a reflection and a sign-off; the call-back number and the concern's reasoning hidden, as
review mode starts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from counsellor_app.core import mentoring  # noqa: E402
from counsellor_app.core.demo import fill_demo  # noqa: E402
from counsellor_app.core.domain import (  # noqa: E402
    Concern,
    ConcernDecision,
    ConcernSigns,
    Role,
    Step,
)
from counsellor_app.core.i18n import set_language  # noqa: E402
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.gui.app import install_qt_translator  # noqa: E402
from counsellor_app.gui.review import ReviewWindow  # noqa: E402
from scripts.screenshots import dark_palette  # noqa: E402


def student_notebook(path: Path) -> tuple[Notebook, int]:
    """A student's notebook of demo cases; the case to review has three contacts."""
    notebook, _recovery = Notebook.create(path, "demo-demo-demo", Role.STUDENT)
    fill_demo(notebook, 40, seed=7)
    case_id = next(i for i in notebook.find_case_ids() if len(notebook.conversations(i)) == 3)
    subject = mentoring.Subject.own(case_id)
    refs = mentoring.conversation_refs(notebook, subject)
    first = mentoring.add_comment(
        notebook,
        subject,
        refs[0],
        Step.ADVISE,
        "MK",
        "Hvad byggede du rådet på? Spørg gerne til barnets eget perspektiv først.",
    )
    mentoring.answer_comment(
        notebook, subject, first.uid, "På mors beskrivelse. Næste gang spørger jeg til barnet."
    )
    mentoring.add_comment(notebook, subject, refs[0], None, "MK", "En rolig og tryg start.")
    mentoring.add_comment(
        notebook, subject, refs[1], Step.FOLLOW_UP, "MK", "Aftal et konkret tidspunkt."
    )
    mentoring.add_reflection(
        notebook,
        case_id,
        worked="At lytte uden at afbryde.",
        differently="Spørge til barnets perspektiv.",
        learn="Mere om skolevægring.",
    )
    mentoring.sign_off(notebook, subject, date.today() - timedelta(days=1), "MK")
    if not notebook.callback(case_id) and notebook.case(case_id).status.value != "closed":
        notebook.set_callback(case_id, "22 33 44 55")
    notebook.record_concern(
        Concern(
            case_id,
            ConcernSigns.UNSURE,
            ConcernDecision.TALK_WITH_SUPERVISOR,
            reasoning="Barnet nævner uro derhjemme; talt med supervisor.",
        )
    )
    return notebook, case_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    parser.add_argument("--only", choices=("light", "dark"), help="one colour scheme only")
    parser.add_argument("--lang", choices=("da", "en"), default="da")
    args = parser.parse_args()
    set_language(args.lang)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translator(app, "da")  # Qt's own buttons in Danish, as in the app
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COUNSELLOR_APP_HOME"] = folder
        notebook, case_id = student_notebook(Path(folder) / "student.cnb")
        with notebook:
            for scheme in [args.only] if args.only else ["light", "dark"]:
                app.setStyle("Fusion")
                dark = scheme == "dark"
                app.setPalette(dark_palette() if dark else app.style().standardPalette())
                window = ReviewWindow(notebook, mentoring.Subject.own(case_id))
                window.resize(1440, 900)
                window.show()
                app.processEvents()
                name = f"review-{scheme}.png"
                window.grab().save(str(args.out / name))
                written.append(name)
                window.close()
    print("wrote", ", ".join(written), "in", args.out)


if __name__ == "__main__":
    main()
