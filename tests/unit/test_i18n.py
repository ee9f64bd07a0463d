"""Danish is always complete: every message in the source has a Danish translation."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

from counsellor_app.core import i18n
from counsellor_app.core.domain import CaseStatus, Step, WellbeingLevel, label
from counsellor_app.core.taxonomy import taxonomy

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "i18n"


def extract_messages(target: Path) -> None:
    """Extract with the very command of ``scripts/i18n.py`` (so the two never differ)."""
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.extract(target)


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with open(I18N / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_template_is_up_to_date_with_the_source(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    extract_messages(pot)
    with open(pot, "rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    danish = _catalog("da")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in danish
        if m.id
        and m.string
        and (all(m.string) if isinstance(m.string, tuple) else True)
        and not m.fuzzy
    }
    missing = sorted(fresh - translated)
    assert not missing, (
        "Danish translation missing for: "
        + "; ".join(missing[:20])
        + ("  (run: python scripts/i18n.py all, then translate da/LC_MESSAGES/messages.po)")
    )


def test_compiled_catalog_matches_po() -> None:
    i18n.set_language("da")
    for message in _catalog("da"):
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
            assert i18n._(message.id) == message.string, message.id


def test_labels_switch_language() -> None:
    i18n.set_language("da")
    assert label(Step.LISTEN) == "Lyt"
    assert label(WellbeingLevel.SEVERE) == "Svær mistrivsel"
    assert taxonomy().label("themes", "anxiety") == "Angst"
    i18n.set_language("en")
    assert label(CaseStatus.CLOSED) == "Closed"
    assert taxonomy().label("themes", "anxiety") == "Anxiety"
    i18n.set_language("da")


def test_taxonomy_terms_have_both_languages_and_unique_ids() -> None:
    tax = taxonomy()
    for group in ("categories", "themes", "arenas", "protective_factors", "risk_factors"):
        terms = getattr(tax, group)
        assert len({t.id for t in terms}) == len(terms)
        assert all(t.da.strip() and t.en.strip() for t in terms)
    categories = {c.id for c in tax.categories}
    assert all(theme.category in categories for theme in tax.themes)
