"""The period report counts alliances by the kind of partner from the help directory
(issue 18): the kind travels in the bundle (format 3), is kept by the supervisor's import,
counted on the dashboard and printed in the period report (read back from the PDF)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pyrage
import pytest
from pypdf import PdfReader
from pyrage import x25519

from counsellor_app.core import directory
from counsellor_app.core.dashboard import UNKNOWN, dashboard, dashboard_from_cases
from counsellor_app.core.domain import Alliance, EntryKind, Partner, Role, Step
from counsellor_app.core.exchange import BundleNotTrusted, ensure_key_pair, export_bundle
from counsellor_app.core.exchange.crypto import decrypt
from counsellor_app.core.exchange.signing import sign, verify
from counsellor_app.core.i18n import _
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.reports import write_period_report
from counsellor_app.core.store import Notebook
from counsellor_app.core.supervision import import_bundle, imported_cases
from tests.helpers import PASSPHRASE

TODAY = date.today()


@pytest.fixture
def supervisor(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[Notebook]:
    path = tmp_path / "supervisor.cnb"
    with Notebook.create(path, PASSPHRASE, Role.SUPERVISOR, kdf=fast_kdf)[0] as notebook:
        yield notebook


@pytest.fixture
def bundle(notebook: Notebook, supervisor: Notebook, tmp_path: Path) -> Path:
    """A counsellor's bundle: one case, alliances from a PPR entry, from a helpline entry
    (twice) and one typed by hand."""
    case = notebook.new_case(themes=["school_absence"])
    talk = notebook.new_conversation(case.id, started_at=datetime.now(UTC))
    notebook.save_note(talk.id, Step.LISTEN, "Sønnen vil ikke i skole.")
    ppr = directory.save_entry(
        notebook, directory.DirectoryEntry("PPR Vejle", EntryKind.PPR, "Vejle")
    )
    line = next(e for e in directory.entries(notebook) if e.organisation == "Livslinien")
    for entry, partner in ((ppr, Partner.PPR), (line, Partner.OTHER), (line, Partner.OTHER)):
        made = notebook.save_alliance(Alliance(case.id, partner))
        directory.link_alliance(notebook, made.id or 0, entry)
    notebook.save_alliance(Alliance(case.id, Partner.SCHOOL))
    key = ensure_key_pair(supervisor)
    return export_bundle(notebook, key, tmp_path / "b.cnbundle", today=TODAY).path


def test_alliances_by_kind_reach_the_dashboard_and_the_period_report(
    supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    import_bundle(supervisor, bundle, accept_new=True)
    (received,) = imported_cases(supervisor)
    kinds = sorted(str(a.directory_kind) for a in received.case.alliances)
    assert kinds == ["None", "helpline", "helpline", "ppr"]

    figures = dashboard(supervisor)
    assert figures.alliance_kinds["ppr"] == 1 and figures.alliance_kinds["helpline"] == 2
    assert figures.alliance_kinds[UNKNOWN] == 1
    assert sum(figures.alliance_kinds.values()) == sum(figures.alliances.values()) == 4
    assert figures == dashboard_from_cases(supervisor)

    path = write_period_report(supervisor, tmp_path / "period.pdf", today=TODAY)
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert _("Alliances by kind of partner") in text
    section = text[text.index(_("Alliances by kind of partner")) :]
    assert re.search(rf"{_('Helpline')}\s*2\b", section), section[:400]
    assert re.search(r"PPR\s*1\b", section)
    assert re.search(rf"{_('Not chosen from the directory')}\s*1\b", section)
    assert _("Club") not in section.split(_("Follow-ups"))[0]  # kinds with none left out


def test_a_bundle_of_the_previous_format_is_refused_clearly(
    notebook: Notebook, supervisor: Notebook, bundle: Path, tmp_path: Path
) -> None:
    """A counsellor's app of the previous format (2, signed, no directory kinds): refused
    in one sentence that says to export again from an updated app."""
    data = json.loads(verify(decrypt(supervisor, bundle.read_bytes(), bundle)).payload)
    data["format_version"] = 2
    for case in data["cases"]:
        for alliance in case["alliances"]:
            alliance.pop("directory_kind", None)
    old = tmp_path / "old.cnbundle"
    recipient = x25519.Recipient.from_str(ensure_key_pair(supervisor))
    old.write_bytes(bytes(pyrage.encrypt(sign(notebook, json.dumps(data).encode()), [recipient])))
    with pytest.raises(BundleNotTrusted) as refused:
        import_bundle(supervisor, old, accept_new=True)
    sentence = str(refused.value)
    assert refused.value.reason == "old_format" and old.name in sentence
    assert "\n" not in sentence and "2" in sentence
    assert imported_cases(supervisor) == []
