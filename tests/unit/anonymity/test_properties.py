"""Property tests: any text, however odd, gives well-formed findings and never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from counsellor_app.core.anonymity import deidentify, find_identifiers
from counsellor_app.core.anonymity.kinds import all_placeholders

from .corpus import CLEAN_NOTES, FRAGMENTS, PLANTED_NOTE

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=40).map("".join),
)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
@example(PLANTED_NOTE)
@example(CLEAN_NOTES[0])
@example("\u202eOliver\u202c 20304050 \U0001f600")
def test_findings_are_sorted_non_overlapping_and_in_bounds(text: str) -> None:
    findings = find_identifiers(text)
    previous_end = 0
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.start >= previous_end
        assert finding.reason
        previous_end = finding.end


@SETTINGS
@given(texts)
@example(PLANTED_NOTE)
def test_deidentify_is_consistent_with_its_findings(text: str) -> None:
    result = deidentify(text)
    assert sum(result.counts.values()) == len(result.findings)
    # Rebuild the output from the findings: offsets are into the input.
    rebuilt = []
    position = 0
    for finding in result.findings:
        rebuilt.append(text[position : finding.start])
        rebuilt.append(finding.placeholder)
        position = finding.end
    rebuilt.append(text[position:])
    assert result.text == "".join(rebuilt)


def _placeholder_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for token in all_placeholders():
        start = text.find(token)
        while start != -1:
            spans.append((start, start + len(token)))
            start = text.find(token, start + 1)
    return spans


@SETTINGS
@given(texts)
@example(PLANTED_NOTE)
def test_placeholders_are_never_flagged_again(text: str) -> None:
    once = deidentify(text).text
    spans = _placeholder_spans(once)
    for finding in find_identifiers(once):
        for start, end in spans:
            assert finding.end <= start or finding.start >= end, (once, finding)


def test_deidentified_notes_scan_clean() -> None:
    for text in (PLANTED_NOTE, *CLEAN_NOTES):
        once = deidentify(text)
        assert find_identifiers(once.text) == []
