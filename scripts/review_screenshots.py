#!/usr/bin/env python3
"""Screenshots of review mode on a student's demo notebook, for README.md (docs/*.png).

QT_QPA_PLATFORM=offscreen python scripts/review_screenshots.py [--only light|dark]

A mentor's comments beside two steps (one answered), a comment on a contact as a whole,
a reflection, the mentor's rubric and a sign-off (as the mentor's comments file brings
them); the call-back number and the concern's reasoning hidden, as review mode starts.
Then the learning overview with the rubric over time (learning-rubric-*.png).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
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
from counsellor_app.core.mentoring.format import (  # noqa: E402
    RubricLevel,
    RubricRecord,
    SignOffRecord,
)
from counsellor_app.core.mentoring.records import (  # noqa: E402
    merge_rubric,
    merge_sign_offs,
    own_conversations,
)
from counsellor_app.core.store import Notebook  # noqa: E402
from counsellor_app.gui.app import install_qt_translator  # noqa: E402
from counsellor_app.gui.learning import LearningWindow  # noqa: E402
from counsellor_app.gui.review import ReviewWindow  # noqa: E402

#: The mentor's rubric of a contact: listened, advised, built alliances, agreed follow-up.
RUBRICS = (
    (RubricLevel.PARTLY, RubricLevel.NOT_YET, RubricLevel.PARTLY, RubricLevel.WELL),
    (RubricLevel.WELL, RubricLevel.PARTLY, RubricLevel.WELL, RubricLevel.WELL),
    (RubricLevel.WELL, RubricLevel.WELL, RubricLevel.PARTLY, RubricLevel.EXEMPLARY),
    (RubricLevel.EXEMPLARY, RubricLevel.WELL, RubricLevel.WELL, RubricLevel.EXEMPLARY),
)
NOTES = {
    (0, Step.LISTEN): "Afbrød mor to gange, før hun var færdig.",
    (0, Step.ADVISE): "Rådet kom, før problemet var forstået.",
    (2, Step.ALLIANCES): "Spørg om samtykke, før skolen kontaktes.",
}


def mentors_review(notebook: Notebook, case_ids: list[int]) -> None:
    """The rubric of every contact of ``case_ids`` and a sign-off of the first case, stored
    as a mentor's comments file stores them (a student cannot rate or sign off)."""
    rated = 0
    for case_id in case_ids:
        subject = mentoring.Subject.own(case_id)
        talks = own_conversations(notebook, case_id)
        records = []
        for ref in talks.refs:
            levels = RUBRICS[min(rated, len(RUBRICS) - 1)]
            for step, level in zip(Step, levels, strict=True):
                note = NOTES.get((rated, step), "")
                records.append(RubricRecord(ref, step, level, note, "MK", datetime.now(UTC)))
            rated += 1
        with notebook.transaction() as db:
            merge_rubric(db, subject, records, talks.ids)
    first = case_ids[0]
    signed = SignOffRecord(
        date.today() - timedelta(days=1), "MK", mentoring.case_version(notebook, first)
    )
    with notebook.transaction() as db:
        merge_sign_offs(db, mentoring.Subject.own(first), [signed])


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
    # last: the sign-off approves the case as it is now
    others = [i for i in notebook.find_case_ids() if i != case_id and notebook.conversations(i)]
    mentors_review(notebook, [case_id, others[0]])
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
                learning = LearningWindow(notebook, case_id)
                learning.resize(1100, 760)
                learning.show_tab(LearningWindow.OVERVIEW)
                learning.show()
                app.processEvents()
                name = f"learning-rubric-{scheme}.png"
                learning.grab().save(str(args.out / name))
                written.append(name)
                learning.close()
    print("wrote", ", ".join(written), "in", args.out)


if __name__ == "__main__":
    main()
