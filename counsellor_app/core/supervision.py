"""The supervisor's side: import summary bundles, and read the imported cases back.

A supervisor (or mentor) notebook holds the private key the bundles are encrypted to
(:mod:`counsellor_app.core.exchange.crypto`). :func:`import_bundles` decrypts each file,
validates it strictly and only then writes it, in one transaction per bundle:

* the same bundle again adds nothing (it is known by its id and by the SHA-256 of its
  content);
* every bundle is signed by its counsellor's notebook (:mod:`.exchange.signing`); the
  supervisor pins each counsellor's key, from the counsellor's key card
  (:func:`enrol_key_card`) or by accepting the first bundle of a new counsellor
  (``accept_new``). A bundle that is unsigned, wrongly signed, signed by another key than
  the one pinned for its counsellor, or from a counsellor not enrolled is refused;
* a newer bundle from the same counsellor replaces the cases it holds (a case is known by
  the counsellor's pseudonymous id and the case's reference); an older bundle imported
  after a newer one leaves the newer cases as they are ("newer" by the signed counter of
  the pinned key, never by a date the sender wrote);
* a bundle that is refused (not a bundle, altered, for another key, too new or too old,
  untrusted, malformed, dated implausibly) changes nothing and its error names the file
  and the reason;
* each imported bundle stays in the import history (:func:`imported_bundles`) and can be
  withdrawn (:func:`withdraw_bundle`, :func:`withdraw_counsellor`): the cases it brought
  leave the dashboard, the reports and the research export, and the cases it updated
  are put back as the earlier bundle brought them (kept in ``imported_case_versions``).

The imported data lives in the ``imported_*`` tables (schema migration 3) and is read
back as the bundle's own dataclasses (:class:`ImportedCase`), for the one-case PDF and the
research export; the dashboard and the period report (:mod:`counsellor_app.core.dashboard`)
count in these tables directly.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from counsellor_app.core.anonymity import IdentifierKind
from counsellor_app.core.domain import (
    AgeBand,
    AllianceStatus,
    CallerRole,
    CaseStatus,
    Channel,
    ConcernDecision,
    ConcernSigns,
    Consent,
    EntryKind,
    Gender,
    HelpSystemActor,
    HelpSystemStatus,
    Partner,
    Step,
    WellbeingLevel,
)
from counsellor_app.core.exchange.common import FileReport, read_limited
from counsellor_app.core.exchange.common import ImportStatus as ImportStatus
from counsellor_app.core.exchange.crypto import decrypt, public_key, require_key_pair
from counsellor_app.core.exchange.errors import (
    BundleError,
    BundleInvalid,
    BundleNotTrusted,
    BundleTooNew,
    BundleWrongKey,
    ExchangeError,
    NotABundle,
)
from counsellor_app.core.exchange.format import (
    COUNSELLOR_ID_PATTERN,
    FORMAT_VERSION,
    MAX_TEXT,
    Bundle,
    BundleAlliance,
    BundleCase,
    BundleConcern,
    BundleConversation,
    BundleFollowUp,
    BundleHeader,
    FollowUpOutcome,
    FormatProblem,
    NotBundleJson,
    TooNew,
    TooOld,
    bundle_from_json,
    case_from_dict,
    case_to_dict,
    check_days,
    map_texts,
)
from counsellor_app.core.exchange.signing import (
    BadSignature,
    InvalidKeyCard,
    KeyCard,
    NotSigned,
    Signed,
    decode_key,
    encode_key,
    fingerprint,
    verify,
)
from counsellor_app.core.gate import CleanText, Gate
from counsellor_app.core.i18n import _, ngettext
from counsellor_app.core.store import Notebook, guarded, now

#: Larger files are refused before they are read. A real export of 10,000 demo cases
#: (the largest a supervisor gets) is about 36 MB (benchmarks/bench_import_memory.py:
#: 3.6 KB a case); the cap leaves room for notes longer than the demo's.
MAX_BUNDLE_BYTES = 64 * 1024 * 1024

Progress = Callable[[int, int], None]

_SUMMARY_COLUMNS = ", ".join(f"summary_{step.value}" for step in Step)
_NO_SUMMARIES = ", ".join("''" for _step in Step)


@dataclass(frozen=True)
class BundleImport:
    """What happened to one file."""

    path: Path
    #: :attr:`ImportStatus.IMPORTED`, ``ALREADY_IMPORTED`` or ``REFUSED``.
    status: str
    bundle_id: str | None = None
    counsellor_id: str | None = None
    #: The day the bundle was made (as signed by the counsellor).
    created_on: date | None = None
    #: The fingerprint of the key that signed it.
    fingerprint: str = ""
    cases_added: int = 0
    cases_updated: int = 0
    #: Cases left alone because a newer bundle of the same counsellor already had them.
    cases_kept_newer: int = 0
    conversations: int = 0
    #: Why the file was refused (the sentence names the file); None otherwise.
    error: BundleError | None = None
    #: Identifiers the gate found and replaced in the bundle's texts before storing them.
    identifiers_replaced: int = 0

    def sentence(self) -> str:
        """What happened to the file, in one sentence (the window and the CLI show it)."""
        name = self.path.name
        if self.counsellor_id and self.created_on:
            # Each line names the counsellor and the bundle's day.
            name = _("{name} (counsellor {counsellor}, made {day})").format(
                name=name, counsellor=self.counsellor_id, day=self.created_on.isoformat()
            )
        if self.status == ImportStatus.IMPORTED:
            said = _("{name}: {added}, {updated}, {kept}; {conversations}.").format(
                name=name,
                added=ngettext("{n} new case", "{n} new cases", self.cases_added).format(
                    n=self.cases_added
                ),
                updated=ngettext("{n} updated", "{n} updated", self.cases_updated).format(
                    n=self.cases_updated
                ),
                kept=ngettext(
                    "{n} kept from a newer bundle",
                    "{n} kept from a newer bundle",
                    self.cases_kept_newer,
                ).format(n=self.cases_kept_newer),
                conversations=ngettext(
                    "{n} conversation", "{n} conversations", self.conversations
                ).format(n=self.conversations),
            )
            if self.identifiers_replaced:
                said += " " + replaced_on_import(self.identifiers_replaced)
            return said
        if self.status == ImportStatus.ALREADY_IMPORTED:
            return _("{name}: already imported; nothing was added.").format(name=name)
        return str(self.error)


@dataclass(frozen=True)
class ImportReport(FileReport[BundleImport]):
    pass


@dataclass(frozen=True)
class ImportedCase:
    """A case as the supervisor holds it: the bundle's case and where it came from."""

    #: The row id in the supervisor's notebook.
    id: int
    counsellor_id: str
    #: The supervisor's own label for the counsellor ("" if none given).
    counsellor_label: str
    #: The bundle that last updated the case.
    bundle_id: str
    #: Its texts as stored: settled on import, unscanned for a case imported before imports
    #: were scanned (``identifiers_replaced`` None); an exit settles them again.
    case: BundleCase[str]
    #: How many identifiers the gate replaced in the case's texts when it was imported
    #: (None: imported before imports were scanned); tell the counsellor when any.
    identifiers_replaced: int | None = None


@dataclass(frozen=True)
class ImportedBundleInfo:
    bundle_id: str
    counsellor_id: str
    sequence: int
    created_on: date
    period_from: date
    period_to: date
    case_count: int
    conversation_count: int
    replacements: dict[IdentifierKind, int]
    file_name: str
    imported_at: str
    #: The fingerprint of the key that signed the bundle ("" for an unsigned, older one).
    fingerprint: str = ""
    cases_added: int = 0
    cases_updated: int = 0
    #: When the bundle was withdrawn (None: it counts).
    withdrawn_at: str | None = None


@dataclass(frozen=True)
class CounsellorInfo:
    """A counsellor known from imported bundles (pseudonymous)."""

    counsellor_id: str
    label: str
    cases: int
    bundles: int
    last_bundle_on: date | None
    #: Identifiers the gate replaced in this counsellor's cases as they arrived (the
    #: supervisor tells the counsellor, who can fix the notes).
    identifiers_replaced: int = 0
    #: The fingerprint of the counsellor's pinned signing key ("" while none is pinned).
    fingerprint: str = ""

    @property
    def display_name(self) -> str:
        """The supervisor's label, else the pseudonymous id."""
        return self.label or self.counsellor_id


def replaced_on_import(count: int) -> str:
    """The sentence that tells the supervisor the gate replaced ``count`` identifiers in
    texts as they arrived, so the counsellor can be told."""
    return ngettext(
        "{n} identifier was replaced on import: tell the counsellor.",
        "{n} identifiers were replaced on import: tell the counsellor.",
        count,
    ).format(n=count)


# ---------------------------------------------------------------------------- reading


def _decrypt_file(notebook: Notebook, path: Path) -> bytes:
    too_large = _("{name} is far too large to be a summary bundle. It was not imported.")
    data = read_limited(path, MAX_BUNDLE_BYTES, too_large.format(name=path.name))
    return decrypt(notebook, data, path)


def _parse(plaintext: bytes | memoryview | str, path: Path) -> Bundle[str]:
    name = path.name
    try:
        return bundle_from_json(plaintext)
    except NotBundleJson:
        raise NotABundle(
            path,
            "not_a_bundle",
            _(
                "{name} opens with this notebook's key but holds no summary bundle. It was "
                "not imported."
            ).format(name=name),
        ) from None
    except TooNew as error:
        raise BundleTooNew(
            path,
            "too_new",
            _(
                "{name} was made by a newer version of Counsellor's Notebook (bundle format "
                "{version}; this version reads up to {known}). It was not imported; install "
                "the newest version and import it again."
            ).format(name=name, version=error.version, known=FORMAT_VERSION),
        ) from None
    except TooOld as error:
        raise _old_format(path, error.version) from None
    except FormatProblem as problem:
        raise _invalid(path, problem) from None


def _invalid(path: Path, problem: FormatProblem) -> BundleInvalid:
    return BundleInvalid(
        path,
        "invalid",
        _(
            "{name} does not follow the summary bundle format ({where}: {what}). It was "
            "not imported; ask the counsellor to export it again."
        ).format(name=path.name, where=problem.where, what=problem.what),
        problem.where,
    )


#: How a bundle of format 1 (unsigned JSON) begins.
_OLD_BUNDLE_START = re.compile(rb'"format"\s*:\s*"counsellors-notebook/summary-bundle"')


def _old_format(path: Path, version: int = 1) -> BundleNotTrusted:
    if version >= 2:  # signed, but without what this version counts on
        return BundleNotTrusted(
            path,
            "old_format",
            _(
                "{name} is a bundle of an older format ({version}; this version reads "
                "{known}). It was not imported; ask the counsellor to export it again from "
                "an updated app."
            ).format(name=path.name, version=version, known=FORMAT_VERSION),
        )
    return BundleNotTrusted(
        path,
        "old_format",
        _(
            "{name} is a bundle of an older format, without a signature, so it "
            "cannot be trusted. It was not imported; ask the counsellor to export it "
            "again from an updated app."
        ).format(name=path.name),
    )


def _no_bundle(path: Path) -> NotABundle:
    return NotABundle(
        path,
        "not_a_bundle",
        _(
            "{name} opens with this notebook's key but holds no summary bundle. It was "
            "not imported."
        ).format(name=path.name),
    )


def _verified(plaintext: bytes, path: Path) -> Signed:
    """The signed content of a decrypted bundle; refused when unsigned or wrongly signed."""
    name = path.name
    try:
        return verify(plaintext)
    except NotSigned:
        if _OLD_BUNDLE_START.search(plaintext[:200]):
            # Format 1: JSON with no signature. Whoever has the public key could make one.
            raise _old_format(path) from None
        raise _no_bundle(path) from None
    except BadSignature:
        raise BundleNotTrusted(
            path,
            "bad_signature",
            _(
                "{name} is not signed correctly: it was changed or forged after it was "
                "made. It was not imported."
            ).format(name=name),
        ) from None


def _checked(
    notebook: Notebook, content: memoryview | str, path: Path, today: date | None
) -> Bundle[str]:
    """The bundle of a verified content, once it is known to be made for this notebook
    and its days are plausible."""
    bundle = _parse(content, path)
    if bundle.header.recipient != public_key(notebook):
        raise BundleWrongKey(
            path,
            "wrong_recipient",
            _(
                "{name} was signed for another notebook's key and passed on. It was not "
                "imported; ask the counsellor to export it with this notebook's public key."
            ).format(name=path.name),
        )
    try:
        check_days(bundle, today or date.today())
    except FormatProblem as problem:
        raise _invalid(path, problem) from None
    return bundle


def read_bundle(
    notebook: Notebook, path: Path, today: date | None = None
) -> tuple[Bundle[str], str, Signed]:
    """Decrypt, verify and strictly validate the bundle at ``path``; return it, the
    SHA-256 of its content and its signer. Writes nothing and does not look at the pinned
    keys. Raises a :class:`BundleError` naming the file."""
    path = Path(path)
    plaintext = _decrypt_file(notebook, path)
    signed = _verified(plaintext, path)
    bundle = _checked(notebook, signed.view, path, today)
    return bundle, hashlib.sha256(plaintext).hexdigest(), signed


def _list_json(values: Iterable[str]) -> str:
    return json.dumps([str(v) for v in values])


def _store_case(
    notebook: Notebook,
    db: Any,
    case: BundleCase[CleanText],
    counsellor: str,
    bundle_row: int,
    header: BundleHeader,
    key: str,
    replaced: int = 0,
) -> str:
    """Insert or replace one case (``replaced``: the identifiers the gate replaced in its
    texts); returns "added", "updated" or "kept". The version a case replaces is kept
    (``imported_case_versions``), so that withdrawing this bundle can put it back."""
    row = db.execute(
        "SELECT id, source_key, source_sequence FROM imported_cases "
        "WHERE counsellor_id = ? AND ref = ?",
        (counsellor, case.ref),
    ).fetchone()
    # Newer by the counter signed with the same key; a case written under a key since
    # replaced (an explicit act of the supervisor) gives way to the pinned key's bundles.
    if row is not None and row[1] == key and int(row[2]) > header.sequence:
        return "kept"
    if row is not None:
        _keep_version(notebook, db, int(row[0]))
    source = (bundle_row, key, header.created_on.isoformat(), header.sequence)
    _write_case(db, None if row is None else int(row[0]), case, counsellor, source, replaced)
    return "added" if row is None else "updated"


def _keep_version(notebook: Notebook, db: Any, case_id: int) -> None:
    """Keep the case as it stands (read back whole, with where it came from) before a
    newer bundle replaces it."""
    # Settled as read (a case an older version stored unscanned is settled now, and its
    # count of replacements kept with the version).
    (stored,) = imported_cases(notebook, case_ids=[case_id])
    source = db.execute(
        "SELECT bundle, source_key, source_created_on, source_sequence "
        "FROM imported_cases WHERE id = ?",
        (case_id,),
    ).fetchone()
    db.execute(
        "INSERT INTO imported_case_versions (case_id, bundle, source_key, source_created_on, "
        "source_sequence, identifiers_replaced, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            case_id,
            *source,
            stored.identifiers_replaced,
            json.dumps(case_to_dict(stored.case), ensure_ascii=False),
        ),
    )


def _write_case(
    db: Any,
    case_id: int | None,
    case: BundleCase[CleanText],
    counsellor: str,
    source: tuple[int, str | None, str | None, int],
    replaced: int,
) -> int:
    """Write ``case`` as the row ``case_id`` (its rows replaced) or a new row; ``source``
    is (bundle row, signing key, day made, counter) of the bundle it came in."""
    row = None if case_id is None else (case_id,)
    days = [c.day for c in case.conversations]
    # The case list filters on these (schema 15): the order of compute_dashboard's; the
    # dashboard counts the contacts of a case wholly in its period from ``contacts`` (16).
    levels = [
        level
        for talk in sorted(case.conversations, key=lambda talk: talk.day)
        if (level := talk.overall_wellbeing())
    ]
    values = (
        *source,
        case.status.value,
        case.caller_role.value if case.caller_role else None,
        case.help_system.value if case.help_system else None,
        _list_json(case.known_by),
        case.age_band.value if case.age_band else None,
        case.gender.value if case.gender else None,
        _list_json(case.arenas),
        _list_json(case.themes),
        _list_json(case.protective_factors),
        _list_json(case.risk_factors),
        int(case.purged),
        min(days).isoformat() if days else None,
        max(days).isoformat() if days else None,
        replaced,
        levels[0].value if levels else None,
        levels[-1].value if levels else None,
        len(levels),
        len(days),
    )
    if row is None:
        cursor = db.execute(
            "INSERT INTO imported_cases (bundle, source_key, source_created_on, "
            "source_sequence, status, caller_role, help_system, known_by, age_band, gender, "
            "arenas, themes, protective_factors, risk_factors, purged, first_day, latest_day, "
            "identifiers_replaced, first_level, latest_level, assessed, contacts, counsellor_id, "
            "ref) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, counsellor, case.ref),
        )
        case_id = int(cursor.lastrowid)
    else:
        case_id = int(row[0])
        for table in (
            "imported_conversations",
            "imported_alliances",
            "imported_follow_ups",
            "imported_concerns",
        ):
            db.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
        db.execute(
            "UPDATE imported_cases SET bundle = ?, source_key = ?, source_created_on = ?, "
            "source_sequence = ?, "
            "status = ?, caller_role = ?, help_system = ?, known_by = ?, age_band = ?, "
            "gender = ?, arenas = ?, themes = ?, protective_factors = ?, risk_factors = ?, "
            "purged = ?, first_day = ?, latest_day = ?, identifiers_replaced = ?, first_level = ?, "
            "latest_level = ?, assessed = ?, contacts = ? WHERE id = ?",
            (*values, case_id),
        )
    db.executemany(
        "INSERT INTO imported_conversations (case_id, position, day, channel, "
        "duration_minutes, wellbeing, overall_wellbeing, steps_covered, "
        f"{_SUMMARY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                case_id,
                position,
                c.day.isoformat(),
                c.channel.value,
                c.duration_minutes,
                json.dumps({k: v.value for k, v in c.wellbeing.items()}),
                overall.value if (overall := c.overall_wellbeing()) else None,
                _list_json(c.steps_covered),
                *(c.summary.get(step, "") for step in Step),
            )
            for position, c in enumerate(case.conversations)
        ],
    )
    db.executemany(
        "INSERT INTO imported_alliances (case_id, position, partner, status, consent, "
        "created_on, role, agreed, directory_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                case_id,
                position,
                a.partner.value,
                a.status.value,
                a.consent.value,
                a.created_on.isoformat(),
                a.role,
                a.agreed,
                a.directory_kind.value if a.directory_kind else None,
            )
            for position, a in enumerate(case.alliances)
        ],
    )
    db.executemany(
        "INSERT INTO imported_follow_ups (case_id, position, due, outcome, done_on, "
        "counsellor_task, parent_task, others_task) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                case_id,
                position,
                f.due.isoformat(),
                f.outcome.value,
                f.done_on.isoformat() if f.done_on else None,
                f.counsellor_task,
                f.parent_task,
                f.others_task,
            )
            for position, f in enumerate(case.follow_ups)
        ],
    )
    db.executemany(
        "INSERT INTO imported_concerns (case_id, position, day, signs, decision, reasoning) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (case_id, position, k.day.isoformat(), k.signs.value, k.decision.value, k.reasoning)
            for position, k in enumerate(case.concerns)
        ],
    )
    return case_id


#: Which new counsellors' keys an import may pin: all (True), none (False), or those
#: with the given fingerprints (the ones a supervisor accepted in the window).
AcceptNew = bool | frozenset[str]


def _accepts(accept_new: AcceptNew, print_: str) -> bool:
    return accept_new if isinstance(accept_new, bool) else print_ in accept_new


def _pin(
    db: Any, path: Path, counsellor: str, signed: Signed, accept_new: AcceptNew, stamp: str
) -> None:
    """Check the bundle's key against the key pinned for ``counsellor``; pin it for a new
    counsellor when accepted. Raises :class:`BundleNotTrusted` (in the transaction, so
    nothing is written)."""
    key = encode_key(signed.key)
    row = db.execute(
        "SELECT signing_key FROM exchange_counsellors WHERE counsellor_id = ?", (counsellor,)
    ).fetchone()
    pinned = row[0] if row else None
    if pinned == key:
        return
    if pinned is not None:
        raise BundleNotTrusted(
            path,
            "key_mismatch",
            _(
                "{name} claims to come from counsellor {counsellor} but is signed with another "
                "key (fingerprint {fingerprint}) than the one enrolled for them ({pinned}). "
                "It was not imported. If the counsellor really has a new key, change it in "
                "the window (Supervision, Enrol a counsellor's key card)."
            ).format(
                name=path.name,
                counsellor=counsellor,
                fingerprint=signed.fingerprint,
                pinned=fingerprint(decode_key(pinned)),
            ),
            counsellor,
            signed.fingerprint,
        )
    if not _accepts(accept_new, signed.fingerprint):
        raise BundleNotTrusted(
            path,
            "unknown_signer",
            _(
                "{name} comes from counsellor {counsellor}, who is not enrolled yet (key "
                "fingerprint {fingerprint}). It was not imported. Compare the fingerprint "
                "with the counsellor's key card, then enrol the card or accept the bundle "
                "(import --accept-new)."
            ).format(name=path.name, counsellor=counsellor, fingerprint=signed.fingerprint),
            counsellor,
            signed.fingerprint,
        )
    db.execute(
        "INSERT INTO exchange_counsellors (counsellor_id, first_seen_at, signing_key, "
        "key_pinned_at, key_pinned_by) VALUES (?, ?, ?, ?, 'bundle') "
        "ON CONFLICT (counsellor_id) DO UPDATE SET signing_key = excluded.signing_key, "
        "key_pinned_at = excluded.key_pinned_at, key_pinned_by = 'bundle'",
        (counsellor, stamp, key, stamp),
    )


@guarded
def import_bundle(
    notebook: Notebook,
    path: Path,
    *,
    accept_new: AcceptNew = False,
    today: date | None = None,
) -> BundleImport:
    """Import one bundle file in one transaction (see the module's docstring).

    ``accept_new`` says whether the key of a counsellor not yet enrolled may be pinned
    (see :data:`AcceptNew`). Raises a :class:`BundleError` naming the file when it is
    refused; then nothing was written.
    """
    path = Path(path)
    plaintext = _decrypt_file(notebook, path)
    signed = _verified(plaintext, path)
    digest = hashlib.sha256(plaintext).hexdigest()
    # The very same content again (a copy, or re-sent): known without reading it further.
    known = notebook.query(
        "SELECT bundle_id, counsellor_id, created_on FROM imported_bundles "
        "WHERE content_sha256 = ?",
        (digest,),
    )
    if known:
        return BundleImport(
            path,
            ImportStatus.ALREADY_IMPORTED,
            bundle_id=known[0][0],
            counsellor_id=known[0][1],
            created_on=date.fromisoformat(known[0][2]),
            fingerprint=signed.fingerprint,
        )
    # Memory: the decrypted bytes are let go of once decoded, so a large bundle is held
    # as bytes and as text only for a moment (benchmarks/bench_import_memory.py).
    try:
        text = str(signed.view, "utf-8")
    except UnicodeDecodeError:
        raise _no_bundle(path) from None
    signed = Signed(signed.key, memoryview(b""))
    del plaintext
    bundle = _checked(notebook, text, path, today)
    del text
    header = bundle.header
    key = encode_key(signed.key)
    counts = {"added": 0, "updated": 0, "kept": 0}
    total_replaced = 0
    with notebook.transaction() as db:
        stamp = now().isoformat()
        # The key first: a forgery reusing a genuine bundle's id is refused as what it is.
        _pin(db, path, header.counsellor_id, signed, accept_new, stamp)
        known = db.execute(
            "SELECT 1 FROM imported_bundles WHERE bundle_id = ? OR content_sha256 = ?",
            (header.bundle_id, digest),
        ).fetchone()
        if known:
            return BundleImport(
                path,
                ImportStatus.ALREADY_IMPORTED,
                bundle_id=header.bundle_id,
                counsellor_id=header.counsellor_id,
                created_on=header.created_on,
                fingerprint=signed.fingerprint,
            )
        cursor = db.execute(
            "INSERT INTO imported_bundles (bundle_id, content_sha256, counsellor_id, "
            "format_version, app_version, taxonomy_version, sequence, created_on, period_from, "
            "period_to, replacements, case_count, conversation_count, file_name, imported_at, "
            "signing_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                header.bundle_id,
                digest,
                header.counsellor_id,
                header.format_version,
                header.app_version,
                header.taxonomy_version,
                header.sequence,
                header.created_on.isoformat(),
                header.period_from.isoformat(),
                header.period_to.isoformat(),
                json.dumps({k.value: v for k, v in header.replacements.items()}),
                len(bundle.cases),
                bundle.conversation_count,
                path.name,
                stamp,
                key,
            ),
        )
        bundle_row = int(cursor.lastrowid)
        for case in bundle.cases:
            # Every text that arrives passes the gate before it is stored: what the
            # engine finds is replaced (the supervisor cannot fix the counsellor's note)
            # and counted, so the supervisor can tell the counsellor.
            gate = Gate(MAX_TEXT)
            settled = map_texts(case, gate.settle)
            replaced = sum(gate.counts.values())
            total_replaced += replaced
            outcome = _store_case(
                notebook, db, settled, header.counsellor_id, bundle_row, header, key, replaced
            )
            counts[outcome] += 1
        db.execute(
            "UPDATE imported_bundles SET cases_added = ?, cases_updated = ? WHERE id = ?",
            (counts["added"], counts["updated"], bundle_row),
        )
    return BundleImport(
        path,
        ImportStatus.IMPORTED,
        bundle_id=header.bundle_id,
        counsellor_id=header.counsellor_id,
        created_on=header.created_on,
        fingerprint=signed.fingerprint,
        cases_added=counts["added"],
        cases_updated=counts["updated"],
        cases_kept_newer=counts["kept"],
        conversations=bundle.conversation_count,
        identifiers_replaced=total_replaced,
    )


def import_bundles(
    notebook: Notebook,
    paths: Sequence[Path | str],
    progress: Progress | None = None,
    *,
    accept_new: AcceptNew = False,
    today: date | None = None,
) -> ImportReport:
    """Import several bundle files, each in its own transaction, in the order given.

    A refused file is reported (``BundleImport.error``) and the others still imported;
    ``progress(done, total)`` is called before the first file and after each. Errors that
    are not about a file (a full disk, the notebook locked) stop the import and are raised;
    bundles imported before them stay imported. ``accept_new``: see :func:`import_bundle`.
    """
    total = len(paths)
    results: list[BundleImport] = []
    require_key_pair(notebook)  # before any file: without one, none could be for this notebook
    if progress:
        progress(0, total)
    for done, raw in enumerate(paths, start=1):
        path = Path(raw)
        try:
            results.append(import_bundle(notebook, path, accept_new=accept_new, today=today))
        except BundleError as error:
            results.append(BundleImport(path, ImportStatus.REFUSED, error=error))
        if progress:
            progress(done, total)
    return ImportReport(tuple(results))


# ---------------------------------------------------------------------------- keys


@guarded
def enrol_key_card(notebook: Notebook, card: KeyCard, *, replace: bool = False) -> str:
    """Pin the key of a counsellor's key card; returns the counsellor's id.

    A counsellor already enrolled with another key is refused (:class:`ExchangeError`)
    unless ``replace``: changing a counsellor's key is an explicit act (the supervisor's
    "Change key" in the window). Enrolling the same key again changes nothing.
    """
    counsellor = card.sender
    if not COUNSELLOR_ID_PATTERN.match(counsellor):
        raise InvalidKeyCard(_("This key card is not a counsellor's (it names no counsellor id)."))
    key = encode_key(card.key)
    stamp = now().isoformat()
    with notebook.transaction() as db:
        row = db.execute(
            "SELECT signing_key FROM exchange_counsellors WHERE counsellor_id = ?", (counsellor,)
        ).fetchone()
        if row and row[0] == key:
            return counsellor
        if row and row[0] and not replace:
            raise ExchangeError(
                _(
                    "Counsellor {counsellor} is already enrolled with another key ({pinned}); "
                    "this card's key is {fingerprint}. Nothing was changed. Change the "
                    "counsellor's key only if you know they have a new one."
                ).format(
                    counsellor=counsellor,
                    pinned=fingerprint(decode_key(row[0])),
                    fingerprint=card.fingerprint,
                )
            )
        db.execute(
            "INSERT INTO exchange_counsellors (counsellor_id, first_seen_at, signing_key, "
            "key_pinned_at, key_pinned_by) VALUES (?, ?, ?, ?, 'card') "
            "ON CONFLICT (counsellor_id) DO UPDATE SET signing_key = excluded.signing_key, "
            "key_pinned_at = excluded.key_pinned_at, key_pinned_by = 'card'",
            (counsellor, stamp, key, stamp),
        )
    return counsellor


# ---------------------------------------------------------------------------- withdrawal

_CASE_CHILDREN = (
    "imported_conversations",
    "imported_alliances",
    "imported_follow_ups",
    "imported_concerns",
    "imported_case_versions",
)


def _delete_cases(db: Any, where: str, params: tuple[Any, ...]) -> int:
    """Delete the imported cases matching ``where`` and their rows; returns how many."""
    for table in _CASE_CHILDREN:
        db.execute(
            f"DELETE FROM {table} WHERE case_id IN (SELECT id FROM imported_cases WHERE {where})",
            params,
        )
    return int(db.execute(f"DELETE FROM imported_cases WHERE {where}", params).rowcount)


@dataclass(frozen=True)
class Withdrawal:
    """What a withdrawal did: cases that left the notebook, and cases put back as an
    earlier bundle had brought them."""

    removed: int
    restored: int = 0

    def sentence(self) -> str:
        removed = ngettext(
            "Withdrawn: {n} case no longer counts.",
            "Withdrawn: {n} cases no longer count.",
            self.removed,
        ).format(n=self.removed)
        if not self.restored:
            return removed
        return (
            removed
            + " "
            + ngettext(
                "{n} case is back as an earlier bundle brought it.",
                "{n} cases are back as earlier bundles brought them.",
                self.restored,
            ).format(n=self.restored)
        )


def _restore(db: Any, case_id: int, counsellor: str) -> bool:
    """Put the case back as the latest kept version left it; False when there is none."""
    version = db.execute(
        "SELECT id, bundle, source_key, source_created_on, source_sequence, "
        "identifiers_replaced, body FROM imported_case_versions WHERE case_id = ? "
        "ORDER BY id DESC LIMIT 1",
        (case_id,),
    ).fetchone()
    if version is None:
        return False
    # Stored settled; settled again, as every text that is written to the imported tables
    # (nothing to replace in a version stored since imports were scanned).
    case = map_texts(case_from_dict(json.loads(version[6]), "version"), Gate(MAX_TEXT).settle)
    source = (int(version[1]), version[2], version[3], int(version[4]))
    _write_case(db, case_id, case, counsellor, source, int(version[5]))
    db.execute(
        "DELETE FROM imported_case_versions WHERE case_id = ? AND id >= ?", (case_id, version[0])
    )
    return True


@guarded
def withdraw_bundle(notebook: Notebook, bundle_id: str) -> Withdrawal:
    """Withdraw an imported bundle: a case it brought leaves the notebook (the dashboard,
    reports and research export no longer count it), and a case it updated is put back
    as the earlier bundle had brought it; the bundle stays in the history, marked
    withdrawn. KeyError for an unknown bundle."""
    with notebook.transaction() as db:
        row = db.execute(
            "SELECT id, counsellor_id FROM imported_bundles WHERE bundle_id = ?", (bundle_id,)
        ).fetchone()
        if row is None:
            raise KeyError(bundle_id)
        withdrawn, counsellor = int(row[0]), str(row[1])
        # What this bundle brought is no version to go back to any more.
        db.execute("DELETE FROM imported_case_versions WHERE bundle = ?", (withdrawn,))
        removed = restored = 0
        for (case_id,) in db.execute(
            "SELECT id FROM imported_cases WHERE bundle = ?", (withdrawn,)
        ).fetchall():
            if _restore(db, int(case_id), counsellor):
                restored += 1
            else:
                removed += _delete_cases(db, "id = ?", (int(case_id),))
        db.execute(
            "UPDATE imported_bundles SET withdrawn_at = coalesce(withdrawn_at, ?) WHERE id = ?",
            (now().isoformat(), withdrawn),
        )
        return Withdrawal(removed, restored)


@guarded
def withdraw_counsellor(notebook: Notebook, counsellor_id: str) -> Withdrawal:
    """Withdraw every bundle of a counsellor: all their cases leave the notebook; their
    key stays pinned. KeyError for an unknown counsellor."""
    with notebook.transaction() as db:
        if not db.execute(
            "SELECT 1 FROM exchange_counsellors WHERE counsellor_id = ?", (counsellor_id,)
        ).fetchone():
            raise KeyError(counsellor_id)
        removed = _delete_cases(db, "counsellor_id = ?", (counsellor_id,))
        db.execute(
            "UPDATE imported_bundles SET withdrawn_at = coalesce(withdrawn_at, ?) "
            "WHERE counsellor_id = ?",
            (now().isoformat(), counsellor_id),
        )
        return Withdrawal(removed)


# ---------------------------------------------------------------------------- reading back


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# Reading 10,000 cases back builds some 100,000 small values, mostly the same few lists
# and codes over and over: parsing each distinct text once keeps reading them quick (the
# dashboard parses its grouped lists of themes and steps with the same functions).
@functools.lru_cache(maxsize=8192)
def stored_terms(text: str) -> tuple[str, ...]:
    """A JSON list of terms as stored in a column, as a tuple (parsed once per distinct text)."""
    value = json.loads(text)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@functools.lru_cache(maxsize=8192)
def _levels(text: str) -> tuple[tuple[str, WellbeingLevel], ...]:
    return tuple((str(k), WellbeingLevel(v)) for k, v in json.loads(text).items())


@functools.lru_cache(maxsize=256)
def stored_steps(text: str) -> tuple[Step, ...]:
    """A JSON list of step codes as stored, as steps (parsed once per distinct text)."""
    return tuple(Step(s) for s in stored_terms(text))


def _opt(kind: Any, value: str | None) -> Any:
    return kind(value) if value else None


@guarded
def imported_cases(
    notebook: Notebook,
    counsellor: str | None = None,
    case_ids: Sequence[int] | None = None,
    *,
    texts: bool = True,
) -> list[ImportedCase]:
    """The imported cases (of one counsellor, or the given row ids), in import order.

    Reads in a handful of queries however many cases there are. With ``texts=False`` the
    free texts are left out (read as ""), for figures that need only the structure.

    Every text handed out has passed the gate: a case an older version stored before
    imports were scanned (``identifiers_replaced`` NULL, until
    :func:`settle_unscanned_imports` stores it settled) is settled here, as it is read,
    and its ``identifiers_replaced`` says how many identifiers that replaced, so that
    every exit (the case view, its summary PDF) shows the placeholders and the mark.
    """
    items = _stored_cases(notebook, counsellor, case_ids, texts=texts)
    if not texts:
        return items
    return [item if item.identifiers_replaced is not None else _settled(item) for item in items]


def _settle(case: BundleCase[str]) -> tuple[BundleCase[CleanText], int]:
    """A case an older version stored unscanned, with its texts through the gate; and how
    many identifiers that replaced."""
    gate = Gate(MAX_TEXT)
    return map_texts(case, gate.settle), sum(gate.counts.values())


def _settled(item: ImportedCase) -> ImportedCase:
    """``item`` (stored unscanned by an older version) settled (:func:`_settle`), marked
    with how many identifiers it replaced."""
    case, replaced = _settle(item.case)
    return dataclasses.replace(item, case=case, identifiers_replaced=replaced)


def _stored_cases(
    notebook: Notebook,
    counsellor: str | None = None,
    case_ids: Sequence[int] | None = None,
    *,
    texts: bool = True,
) -> list[ImportedCase]:
    """The imported cases as stored (see :func:`imported_cases`, the only reader
    outside this module's settling of what an older version stored)."""

    def text(column: str) -> str:
        return column if texts else "''"

    where: list[str] = []
    params: list[Any] = []
    if counsellor is not None:
        where.append("c.counsellor_id = ?")
        params.append(counsellor)
    if case_ids is not None:
        if not case_ids:
            return []
        where.append(f"c.id IN ({','.join('?' * len(case_ids))})")
        params += list(case_ids)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = notebook.query(
        "SELECT c.id, c.counsellor_id, coalesce(k.label, ''), b.bundle_id, c.ref, c.status, "
        "c.caller_role, c.help_system, c.known_by, c.age_band, c.gender, c.arenas, c.themes, "
        "c.protective_factors, c.risk_factors, c.purged, c.identifiers_replaced "
        "FROM imported_cases c "
        "JOIN imported_bundles b ON b.id = c.bundle "
        "LEFT JOIN exchange_counsellors k ON k.counsellor_id = c.counsellor_id"
        f"{clause} ORDER BY c.id",
        params,
    )
    if not rows:
        return []
    ids = [int(row[0]) for row in rows]
    # The children of the chosen cases: by a join on the same filter, not a long IN list.
    child_filter = f"case_id IN (SELECT c.id FROM imported_cases c{clause})"
    conversations: dict[int, list[BundleConversation[str]]] = defaultdict(list)
    for row in notebook.query(
        "SELECT case_id, day, channel, duration_minutes, wellbeing, steps_covered, "
        f"{_SUMMARY_COLUMNS if texts else _NO_SUMMARIES} "
        f"FROM imported_conversations WHERE {child_filter} "
        "ORDER BY case_id, position",
        params,
    ):
        conversations[row[0]].append(
            BundleConversation(
                day=date.fromisoformat(row[1]),
                channel=Channel(row[2]),
                duration_minutes=int(row[3]),
                wellbeing=dict(_levels(row[4])),
                steps_covered=stored_steps(row[5]),
                summary=dict(zip(Step, row[6:10], strict=True)),
            )
        )
    alliances: dict[int, list[BundleAlliance[str]]] = defaultdict(list)
    for row in notebook.query(
        "SELECT case_id, partner, status, consent, created_on, "
        f"{text('role')}, {text('agreed')}, directory_kind FROM imported_alliances "
        f"WHERE {child_filter} ORDER BY case_id, position",
        params,
    ):
        alliances[row[0]].append(
            BundleAlliance(
                Partner(row[1]),
                AllianceStatus(row[2]),
                Consent(row[3]),
                date.fromisoformat(row[4]),
                row[5],
                row[6],
                _opt(EntryKind, row[7]),
            )
        )
    follow_ups: dict[int, list[BundleFollowUp[str]]] = defaultdict(list)
    for row in notebook.query(
        "SELECT case_id, due, outcome, done_on, "
        f"{text('counsellor_task')}, {text('parent_task')}, {text('others_task')} "
        f"FROM imported_follow_ups WHERE {child_filter} ORDER BY case_id, position",
        params,
    ):
        follow_ups[row[0]].append(
            BundleFollowUp(
                date.fromisoformat(row[1]),
                FollowUpOutcome(row[2]),
                _date(row[3]),
                row[4],
                row[5],
                row[6],
            )
        )
    concerns: dict[int, list[BundleConcern[str]]] = defaultdict(list)
    for row in notebook.query(
        f"SELECT case_id, day, signs, decision, {text('reasoning')} "
        f"FROM imported_concerns WHERE {child_filter} ORDER BY case_id, position",
        params,
    ):
        concerns[row[0]].append(
            BundleConcern(
                date.fromisoformat(row[1]), ConcernSigns(row[2]), ConcernDecision(row[3]), row[4]
            )
        )
    result = []
    for row, case_id in zip(rows, ids, strict=True):
        case = BundleCase(
            ref=row[4],
            status=CaseStatus(row[5]),
            caller_role=_opt(CallerRole, row[6]),
            help_system=_opt(HelpSystemStatus, row[7]),
            known_by=tuple(HelpSystemActor(v) for v in stored_terms(row[8])),
            age_band=_opt(AgeBand, row[9]),
            gender=_opt(Gender, row[10]),
            arenas=stored_terms(row[11]),
            themes=stored_terms(row[12]),
            protective_factors=stored_terms(row[13]),
            risk_factors=stored_terms(row[14]),
            purged=bool(row[15]),
            conversations=tuple(conversations.get(case_id, ())),
            alliances=tuple(alliances.get(case_id, ())),
            follow_ups=tuple(follow_ups.get(case_id, ())),
            concerns=tuple(concerns.get(case_id, ())),
        )
        result.append(ImportedCase(case_id, row[1], row[2], row[3], case, row[16]))
    return result


def imported_case(notebook: Notebook, case_id: int) -> ImportedCase:
    """One imported case by its row id (for the one-case supervision summary)."""
    found = imported_cases(notebook, case_ids=[case_id])
    if not found:
        raise KeyError(case_id)
    return found[0]


#: How many cases :func:`settle_unscanned_imports` settles in one transaction: about half
#: a second of the engine on a busy machine (benchmarks/bench_old_imports.py), so that a
#: lock, a quit or another write on the notebook lane waits little for it.
SETTLE_BATCH = 25


@guarded
def unscanned_imports(notebook: Notebook) -> int:
    """How many imported cases hold texts an older version stored before imports were
    scanned (0 in a notebook of this version's). Their kept earlier versions never do:
    they are kept as read, settled (:func:`imported_cases`)."""
    rows = notebook.query("SELECT count(*) FROM imported_cases WHERE identifiers_replaced IS NULL")
    return int(rows[0][0])


@guarded
def settle_unscanned_imports(notebook: Notebook, limit: int = SETTLE_BATCH) -> int:
    """Store de-identified the texts of up to ``limit`` imported cases that an older
    version stored before imports were scanned: every finding is replaced, as an import
    does now, and the case is marked with how many (the supervisor tells the
    counsellor). One transaction: an interruption leaves the rest for the next call, and
    :func:`imported_cases` settles what is left as it reads. Returns how many cases were
    settled (0: none is left)."""
    with notebook.transaction() as db:
        ids = [
            int(row[0])
            for row in db.execute(
                "SELECT id FROM imported_cases WHERE identifiers_replaced IS NULL "
                "ORDER BY id LIMIT ?",
                (limit,),
            ).fetchall()
        ]
        for item in _stored_cases(notebook, case_ids=ids) if ids else []:
            case, replaced = _settle(item.case)
            bundle, key, made, sequence = db.execute(
                "SELECT bundle, source_key, source_created_on, source_sequence "
                "FROM imported_cases WHERE id = ?",
                (item.id,),
            ).fetchone()
            source = (int(bundle), key, made, int(sequence))
            _write_case(db, item.id, case, item.counsellor_id, source, replaced)
        return len(ids)


@guarded
def imported_bundles(
    notebook: Notebook, counsellor: str | None = None, *, withdrawn: bool = True
) -> list[ImportedBundleInfo]:
    """The import history: the bundles imported so far, last imported first (with the
    withdrawn ones unless ``withdrawn`` is False)."""
    rows = notebook.query(
        "SELECT bundle_id, counsellor_id, sequence, created_on, period_from, period_to, "
        "case_count, conversation_count, replacements, file_name, imported_at, signing_key, "
        "cases_added, cases_updated, withdrawn_at "
        "FROM imported_bundles WHERE (? IS NULL OR counsellor_id = ?) "
        "AND (? OR withdrawn_at IS NULL) "
        "ORDER BY imported_at DESC, id DESC",
        (counsellor, counsellor, withdrawn),
    )
    return [
        ImportedBundleInfo(
            bundle_id=row[0],
            counsellor_id=row[1],
            sequence=int(row[2]),
            created_on=date.fromisoformat(row[3]),
            period_from=date.fromisoformat(row[4]),
            period_to=date.fromisoformat(row[5]),
            case_count=int(row[6]),
            conversation_count=int(row[7]),
            replacements={IdentifierKind(k): int(v) for k, v in json.loads(row[8]).items()},
            file_name=row[9],
            imported_at=row[10],
            fingerprint=fingerprint(decode_key(row[11])) if row[11] else "",
            cases_added=int(row[12]),
            cases_updated=int(row[13]),
            withdrawn_at=row[14],
        )
        for row in rows
    ]


@guarded
def counsellors(notebook: Notebook) -> list[CounsellorInfo]:
    """The counsellors known from imported bundles, by label (then id)."""
    rows = notebook.query(
        "SELECT k.counsellor_id, k.label, "
        "(SELECT count(*) FROM imported_cases c WHERE c.counsellor_id = k.counsellor_id), "
        "(SELECT count(*) FROM imported_bundles b WHERE b.counsellor_id = k.counsellor_id "
        "AND b.withdrawn_at IS NULL), "
        "(SELECT max(created_on) FROM imported_bundles b WHERE b.counsellor_id = k.counsellor_id "
        "AND b.withdrawn_at IS NULL), "
        "(SELECT coalesce(sum(c.identifiers_replaced), 0) FROM imported_cases c "
        " WHERE c.counsellor_id = k.counsellor_id), k.signing_key "
        "FROM exchange_counsellors k "
        "ORDER BY k.label = '', lower(k.label), k.counsellor_id"
    )
    return [
        CounsellorInfo(
            row[0],
            row[1],
            int(row[2]),
            int(row[3]),
            _date(row[4]),
            int(row[5]),
            fingerprint(decode_key(row[6])) if row[6] else "",
        )
        for row in rows
    ]


@guarded
def set_counsellor_label(notebook: Notebook, counsellor_id: str, label: str) -> None:
    """Give a counsellor's pseudonymous id a label of the supervisor's choosing (kept only in
    the supervisor's notebook; "" removes it)."""
    with notebook.transaction() as db:
        cursor = db.execute(
            "UPDATE exchange_counsellors SET label = ? WHERE counsellor_id = ?",
            (label.strip(), counsellor_id),
        )
        if cursor.rowcount == 0:
            raise KeyError(counsellor_id)
