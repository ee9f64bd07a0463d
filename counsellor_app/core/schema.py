"""The notebook's schema and its forward-only migrations.

``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[n]`` takes a notebook from
version ``n`` to ``n + 1``; the store runs each in its own transaction together with the
version bump (as Vorta does), so an interrupted migration leaves the previous version
intact. A released version's fixture notebook lives in ``tests/fixtures/notebooks/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Connection = Any  # sqlcipher3's connection has no type stubs

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    status             TEXT NOT NULL DEFAULT 'open',
    caller_role        TEXT,
    help_system        TEXT,
    known_by           TEXT NOT NULL DEFAULT '[]',
    age_band           TEXT,
    gender             TEXT,
    arenas             TEXT NOT NULL DEFAULT '[]',
    themes             TEXT NOT NULL DEFAULT '[]',
    protective_factors TEXT NOT NULL DEFAULT '[]',
    risk_factors       TEXT NOT NULL DEFAULT '[]',
    latest_wellbeing   TEXT,
    retention_hold     INTEGER NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    closed_at          TEXT,
    purged_at          TEXT
);
CREATE INDEX cases_status ON cases (status, updated_at);
CREATE INDEX cases_updated ON cases (updated_at);

CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    started_at       TEXT NOT NULL,
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    channel          TEXT NOT NULL DEFAULT 'phone',
    note_listen      TEXT NOT NULL DEFAULT '',
    note_advise      TEXT NOT NULL DEFAULT '',
    note_alliances   TEXT NOT NULL DEFAULT '',
    note_follow_up   TEXT NOT NULL DEFAULT '',
    wellbeing        TEXT NOT NULL DEFAULT '{}',
    updated_at       TEXT NOT NULL
);
CREATE INDEX conversations_case ON conversations (case_id, started_at);

-- Full-text index over the notes, inside the encrypted file. remove_diacritics 0 keeps
-- the Danish letters apart (å is not a), unicode61 folds case (Æ = æ).
CREATE VIRTUAL TABLE note_index USING fts5 (
    note_listen, note_advise, note_alliances, note_follow_up,
    content = 'conversations', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER conversations_ai AFTER INSERT ON conversations BEGIN
    INSERT INTO note_index (rowid, note_listen, note_advise, note_alliances, note_follow_up)
    VALUES (new.id, new.note_listen, new.note_advise, new.note_alliances, new.note_follow_up);
END;
CREATE TRIGGER conversations_ad AFTER DELETE ON conversations BEGIN
    INSERT INTO note_index (note_index, rowid, note_listen, note_advise, note_alliances,
                            note_follow_up)
    VALUES ('delete', old.id, old.note_listen, old.note_advise, old.note_alliances,
            old.note_follow_up);
END;
CREATE TRIGGER conversations_au
AFTER UPDATE OF note_listen, note_advise, note_alliances, note_follow_up ON conversations BEGIN
    INSERT INTO note_index (note_index, rowid, note_listen, note_advise, note_alliances,
                            note_follow_up)
    VALUES ('delete', old.id, old.note_listen, old.note_advise, old.note_alliances,
            old.note_follow_up);
    INSERT INTO note_index (rowid, note_listen, note_advise, note_alliances, note_follow_up)
    VALUES (new.id, new.note_listen, new.note_advise, new.note_alliances, new.note_follow_up);
END;

CREATE TABLE alliances (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    partner    TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT '',
    agreed     TEXT NOT NULL DEFAULT '',
    consent    TEXT NOT NULL DEFAULT 'not_asked',
    status     TEXT NOT NULL DEFAULT 'suggested',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX alliances_case ON alliances (case_id);

CREATE TABLE follow_ups (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    due             TEXT NOT NULL,
    counsellor_task TEXT NOT NULL DEFAULT '',
    parent_task     TEXT NOT NULL DEFAULT '',
    others_task     TEXT NOT NULL DEFAULT '',
    done            INTEGER NOT NULL DEFAULT 0,
    done_at         TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (done, due);
CREATE INDEX follow_ups_case ON follow_ups (case_id);

-- Kept apart from the notes: never exported, deleted when the case closes.
CREATE TABLE callbacks (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    phone   TEXT NOT NULL
);

CREATE TABLE concerns (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    conversation_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
    signs           TEXT NOT NULL,
    decision        TEXT NOT NULL,
    reasoning       TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);
CREATE INDEX concerns_case ON concerns (case_id);

CREATE TABLE status_changes (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    old     TEXT,
    new     TEXT NOT NULL
);
CREATE INDEX status_changes_case ON status_changes (case_id);
"""


# Version 2: the full-text index is rebuilt for search as you type (issue #3; measured with
# benchmarks/bench_store.py at 10,000 cases, 19,539 conversations):
#
# * ``prefix = '1 2 3'`` keeps ready-made lists for every 1-, 2- and 3-letter prefix, so "s*"
#   no longer merges the lists of the thousands of words beginning with s (35 ms -> 1 ms);
#   longer prefixes match few enough words to merge in about 2 ms.
# * Still one row per conversation (every word of a search must occur in one conversation),
#   but its rowid is ``case_id << 32 | conversation id``: a match gives its case by a shift,
#   with no lookup in ``conversations`` (that mapping was the other half of the old cost).
# * ``content = ''`` with ``contentless_delete = 1``: the text is not stored twice, and a
#   changed note is removed by its rowid without tokenizing its old text again.
# * ``detail = column``: no word positions, which search never uses (no phrases or NEAR:
#   every word is its own prefix query). Without them the index is a third smaller (37 MB
#   instead of 55 MB with positions; the old index was 13 MB) and an autosave writes and
#   merges a third less, so save p99 stays where it was before the prefix lists; with
#   positions it tripled.
# The case list's next open follow-up (``case_summaries``) and its "due" filter look a case's
# open follow-ups up by (case_id, done, due); with only (case_id) SQLite chose
# follow_ups_due (done) and read every open follow-up for each case (200 summaries 130 ms,
# now 1.3 ms).
# Needs SQLite 3.43 (contentless_delete); sqlcipher3 >= 0.6.4 bundles a newer one. Ids are
# bounded so the rowid stays exact: conversation ids below 2**32, case ids below 2**31.
_V2 = """
DROP TRIGGER conversations_ai;
DROP TRIGGER conversations_ad;
DROP TRIGGER conversations_au;
DROP TABLE note_index;

CREATE VIRTUAL TABLE note_index USING fts5 (
    note_listen, note_advise, note_alliances, note_follow_up,
    content = '', contentless_delete = 1, detail = column, prefix = '1 2 3',
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO note_index (rowid, note_listen, note_advise, note_alliances, note_follow_up)
SELECT (case_id << 32) | id, note_listen, note_advise, note_alliances, note_follow_up
FROM conversations;

CREATE TRIGGER conversations_ai AFTER INSERT ON conversations BEGIN
    SELECT RAISE (ABORT, 'conversation or case id too large for the search index')
    WHERE new.id NOT BETWEEN 0 AND 4294967295 OR new.case_id NOT BETWEEN 0 AND 2147483647;
    INSERT INTO note_index (rowid, note_listen, note_advise, note_alliances, note_follow_up)
    VALUES ((new.case_id << 32) | new.id, new.note_listen, new.note_advise,
            new.note_alliances, new.note_follow_up);
END;
CREATE TRIGGER conversations_ad AFTER DELETE ON conversations BEGIN
    DELETE FROM note_index WHERE rowid = (old.case_id << 32) | old.id;
END;
CREATE TRIGGER conversations_au
AFTER UPDATE OF id, case_id, note_listen, note_advise, note_alliances, note_follow_up
ON conversations BEGIN
    SELECT RAISE (ABORT, 'conversation or case id too large for the search index')
    WHERE new.id NOT BETWEEN 0 AND 4294967295 OR new.case_id NOT BETWEEN 0 AND 2147483647;
    DELETE FROM note_index WHERE rowid = (old.case_id << 32) | old.id;
    INSERT INTO note_index (rowid, note_listen, note_advise, note_alliances, note_follow_up)
    VALUES ((new.case_id << 32) | new.id, new.note_listen, new.note_advise,
            new.note_alliances, new.note_follow_up);
END;

DROP INDEX follow_ups_case;
CREATE INDEX follow_ups_case ON follow_ups (case_id, done, due);
"""


def _migrate_0_to_1(connection: Connection) -> None:
    for statement in _split(_V1):
        connection.execute(statement)


def _migrate_1_to_2(connection: Connection) -> None:
    for statement in _split(_V2):
        connection.execute(statement)


def _split(script: str) -> list[str]:
    """Split a schema script into statements (triggers hold semicolons until END;)."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        current.append(line)
        text = "\n".join(current)
        in_trigger = text.lstrip().upper().startswith("CREATE TRIGGER")
        if (in_trigger and line.strip().upper() == "END;") or (
            not in_trigger and line.rstrip().endswith(";")
        ):
            statements.append(text)
            current = []
    return statements


# Imported summary bundles (issue 5): the supervisor's (or mentor's) copy of the cases that
# counsellors exported, de-identified. Separate from the notebook's own cases: they have no
# codes, no notes and no call-back numbers, and are replaced by newer bundles.
_V3_EXCHANGE = """
CREATE TABLE exchange_counsellors (
    counsellor_id TEXT PRIMARY KEY,
    label         TEXT NOT NULL DEFAULT '',
    first_seen_at TEXT NOT NULL
);

CREATE TABLE imported_bundles (
    id                 INTEGER PRIMARY KEY,
    bundle_id          TEXT NOT NULL UNIQUE,
    content_sha256     TEXT NOT NULL UNIQUE,
    counsellor_id      TEXT NOT NULL REFERENCES exchange_counsellors (counsellor_id),
    format_version     INTEGER NOT NULL,
    app_version        TEXT NOT NULL,
    taxonomy_version   INTEGER NOT NULL,
    sequence           INTEGER NOT NULL,
    created_on         TEXT NOT NULL,
    period_from        TEXT NOT NULL,
    period_to          TEXT NOT NULL,
    replacements       TEXT NOT NULL DEFAULT '{}',
    case_count         INTEGER NOT NULL,
    conversation_count INTEGER NOT NULL,
    file_name          TEXT NOT NULL DEFAULT '',
    imported_at        TEXT NOT NULL
);
CREATE INDEX imported_bundles_counsellor ON imported_bundles (counsellor_id, created_on);

CREATE TABLE imported_cases (
    id                 INTEGER PRIMARY KEY,
    counsellor_id      TEXT NOT NULL REFERENCES exchange_counsellors (counsellor_id),
    ref                TEXT NOT NULL,
    bundle             INTEGER NOT NULL REFERENCES imported_bundles (id),
    source_created_on  TEXT NOT NULL,
    source_sequence    INTEGER NOT NULL,
    status             TEXT NOT NULL,
    caller_role        TEXT,
    help_system        TEXT,
    known_by           TEXT NOT NULL DEFAULT '[]',
    age_band           TEXT,
    gender             TEXT,
    arenas             TEXT NOT NULL DEFAULT '[]',
    themes             TEXT NOT NULL DEFAULT '[]',
    protective_factors TEXT NOT NULL DEFAULT '[]',
    risk_factors       TEXT NOT NULL DEFAULT '[]',
    purged             INTEGER NOT NULL DEFAULT 0,
    first_day          TEXT,
    latest_day         TEXT,
    UNIQUE (counsellor_id, ref)
);
CREATE INDEX imported_cases_bundle ON imported_cases (bundle);

CREATE TABLE imported_conversations (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES imported_cases (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    day               TEXT NOT NULL,
    channel           TEXT NOT NULL,
    duration_minutes  INTEGER NOT NULL DEFAULT 0,
    wellbeing         TEXT NOT NULL DEFAULT '{}',
    overall_wellbeing TEXT,
    steps_covered     TEXT NOT NULL DEFAULT '[]',
    summary_listen    TEXT NOT NULL DEFAULT '',
    summary_advise    TEXT NOT NULL DEFAULT '',
    summary_alliances TEXT NOT NULL DEFAULT '',
    summary_follow_up TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imported_conversations_case ON imported_conversations (case_id, position);
CREATE INDEX imported_conversations_day ON imported_conversations (day);

CREATE TABLE imported_alliances (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES imported_cases (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    partner    TEXT NOT NULL,
    status     TEXT NOT NULL,
    consent    TEXT NOT NULL,
    created_on TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT '',
    agreed     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imported_alliances_case ON imported_alliances (case_id, position);

CREATE TABLE imported_follow_ups (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES imported_cases (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    due             TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    done_on         TEXT,
    counsellor_task TEXT NOT NULL DEFAULT '',
    parent_task     TEXT NOT NULL DEFAULT '',
    others_task     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imported_follow_ups_case ON imported_follow_ups (case_id, position);

CREATE TABLE imported_concerns (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES imported_cases (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    day       TEXT NOT NULL,
    signs     TEXT NOT NULL,
    decision  TEXT NOT NULL,
    reasoning TEXT NOT NULL DEFAULT ''
);
CREATE INDEX imported_concerns_case ON imported_concerns (case_id, position);
"""


def _migrate_2_to_3(connection: Connection) -> None:
    """Tables for imported summary bundles (the supervisor's import, issue 5)."""
    for statement in _split(_V3_EXCHANGE):
        connection.execute(statement)


# Students and mentors (issue 6). On a student's notebook: a mentor's comments on the
# conversations of its own cases (and the student's answers), the sign-offs of case
# reviews, and the student's reflection log. On a mentor's notebook: the cases students
# sent for review (de-identified, read-only, kept whole as the validated JSON they came
# in), the mentor's comments and sign-offs on them. Comments carry a random ``uid`` that
# is the same in both notebooks, so the review files going back and forth merge by it.
# ``review_files`` remembers the files imported (by the SHA-256 of their content), so the
# same file again changes nothing.
_V4_MENTORING = """
CREATE TABLE mentor_comments (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    step            TEXT,
    author          TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open',
    answer          TEXT NOT NULL DEFAULT '',
    answered_at     TEXT,
    resolved_at     TEXT
);
CREATE INDEX mentor_comments_case ON mentor_comments (case_id, conversation_id);
CREATE INDEX mentor_comments_status ON mentor_comments (status, case_id);

CREATE TABLE case_sign_offs (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    signed_on  TEXT NOT NULL,
    mentor     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (case_id, signed_on, mentor)
);

CREATE TABLE reflections (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    written_on  TEXT NOT NULL,
    worked      TEXT NOT NULL DEFAULT '',
    differently TEXT NOT NULL DEFAULT '',
    learn       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX reflections_case ON reflections (case_id, written_on);

CREATE TABLE review_cases (
    id          INTEGER PRIMARY KEY,
    student_id  TEXT NOT NULL,
    case_ref    TEXT NOT NULL,
    student     TEXT NOT NULL DEFAULT '',
    reply_key   TEXT NOT NULL,
    review_id   TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    content     TEXT NOT NULL,
    UNIQUE (student_id, case_ref)
);

CREATE TABLE review_comments (
    id               INTEGER PRIMARY KEY,
    uid              TEXT NOT NULL UNIQUE,
    review_case_id   INTEGER NOT NULL REFERENCES review_cases (id) ON DELETE CASCADE,
    conversation_ref TEXT NOT NULL,
    step             TEXT,
    author           TEXT NOT NULL,
    text             TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open',
    answer           TEXT NOT NULL DEFAULT '',
    answered_at      TEXT,
    resolved_at      TEXT
);
CREATE INDEX review_comments_case ON review_comments (review_case_id);

CREATE TABLE review_sign_offs (
    id             INTEGER PRIMARY KEY,
    review_case_id INTEGER NOT NULL REFERENCES review_cases (id) ON DELETE CASCADE,
    signed_on      TEXT NOT NULL,
    mentor         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (review_case_id, signed_on, mentor)
);

CREATE TABLE review_files (
    sha256      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    file_id     TEXT NOT NULL,
    file_name   TEXT NOT NULL DEFAULT '',
    imported_at TEXT NOT NULL
);
"""


def _migrate_3_to_4(connection: Connection) -> None:
    """Mentor comments, review sign-offs, reflections, cases received for review (issue 6)."""
    for statement in _split(_V4_MENTORING):
        connection.execute(statement)


# Version 5: a follow-up knows the conversation it was agreed in (set during a call; NULL
# for one added from the case view or before this version), shown in the case's timeline.
# And autosaves no longer merge the search index's segments (issue 8). With FTS5's
# default ``automerge`` a save now and then merged segments inside its own transaction:
# save p99 22 ms where the median is 0.6 ms (benchmarks/, plain SQLite alike). Merging is
# now the app's idle work (``Notebook.tidy_index``, beside the WAL checkpoint every 30 s),
# a bounded step at a time; ``crisismerge`` = 64 stays as the bound for a notebook that is
# only ever written from the command line (an autosave every 0.7 s makes about 43 segments
# in 30 s).
def _migrate_4_to_5(connection: Connection) -> None:
    connection.execute(
        "ALTER TABLE follow_ups ADD COLUMN conversation_id INTEGER "
        "REFERENCES conversations (id) ON DELETE SET NULL"
    )
    connection.execute("INSERT INTO note_index (note_index, rank) VALUES ('automerge', 0)")
    connection.execute("INSERT INTO note_index (note_index, rank) VALUES ('crisismerge', 64)")


# Version 6: the local help directory (issue 18), public organisations a counsellor can
# point a family to, seeded with the national services shipped in resources/directory.
# An alliance remembers the entry it was made from and that entry's kind, so the period
# report can count alliances by kind of partner even after the entry is deleted.
_V6_DIRECTORY = """
CREATE TABLE directory (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL,
    kind         TEXT NOT NULL,
    municipality TEXT NOT NULL DEFAULT '',
    themes       TEXT NOT NULL DEFAULT '[]',
    phone        TEXT NOT NULL DEFAULT '',
    web          TEXT NOT NULL DEFAULT '',
    hours        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    checked_on   TEXT,
    source       TEXT NOT NULL DEFAULT '',
    origin       TEXT NOT NULL DEFAULT 'supervisor',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX directory_municipality ON directory (municipality);
ALTER TABLE alliances ADD COLUMN directory_entry_id INTEGER
    REFERENCES directory (id) ON DELETE SET NULL;
ALTER TABLE alliances ADD COLUMN directory_kind TEXT;
"""


def _migrate_5_to_6(connection: Connection) -> None:
    """The help directory, with the starter set of national services (issue 18)."""
    import json
    import uuid
    from datetime import UTC, datetime

    from counsellor_app.core.directory import starter_entries  # it imports the store

    for statement in _split(_V6_DIRECTORY):
        connection.execute(statement)
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    for entry in starter_entries():
        connection.execute(
            "INSERT INTO directory (uid, organisation, kind, municipality, themes, phone, web, "
            "hours, note, checked_on, source, origin, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'supervisor', ?, ?)",
            (
                str(uuid.uuid4()),
                entry.organisation,
                entry.kind.value,
                entry.municipality,
                json.dumps(entry.themes),
                entry.phone,
                entry.web,
                entry.hours,
                entry.note,
                entry.checked_on.isoformat() if entry.checked_on else None,
                entry.source,
                stamp,
                stamp,
            ),
        )


# Version 7: a received case remembers how many identifiers the gate replaced in its
# texts when it was imported (issue 13), so the supervisor can tell the counsellor. NULL
# for a case imported before imports were scanned.
def _migrate_6_to_7(connection: Connection) -> None:
    connection.execute("ALTER TABLE imported_cases ADD COLUMN identifiers_replaced INTEGER")


# Signed bundles and their provenance (issue 14): the signing key pinned for each
# counsellor, the key and counter that last wrote each imported case (the counter of that
# key decides which bundle is newer), and the import history with withdrawals.
_V8_PROVENANCE = """
ALTER TABLE exchange_counsellors ADD COLUMN signing_key TEXT;
ALTER TABLE exchange_counsellors ADD COLUMN key_pinned_at TEXT;
ALTER TABLE exchange_counsellors ADD COLUMN key_pinned_by TEXT;
ALTER TABLE imported_cases ADD COLUMN source_key TEXT;
ALTER TABLE imported_bundles ADD COLUMN signing_key TEXT;
ALTER TABLE imported_bundles ADD COLUMN cases_added INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imported_bundles ADD COLUMN cases_updated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imported_bundles ADD COLUMN withdrawn_at TEXT;
"""


def _migrate_7_to_8(connection: Connection) -> None:
    """Pinned signing keys and the import history of bundles (issue 14)."""
    for statement in _split(_V8_PROVENANCE):
        connection.execute(statement)


# Version 9: a follow-up can carry a time of day ("HH:MM"; NULL: any time that day),
# agreed with the parent during the call (issue 16).
def _migrate_8_to_9(connection: Connection) -> None:
    connection.execute("ALTER TABLE follow_ups ADD COLUMN due_time TEXT")


# Version 10: an ended contact can be corrected (a typo, a name left in), and the case's
# history says when and which steps (issue 16). Never the text replaced: a correction that
# takes a name out must not keep it. Empty ``steps``: a correction the app did not see
# finish (a crash while correcting; the text itself was saved as it was typed).
_V10_CORRECTIONS = """
CREATE TABLE corrections (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    at              TEXT NOT NULL,
    steps           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX corrections_case ON corrections (case_id);
"""


def _migrate_9_to_10(connection: Connection) -> None:
    """Corrections of ended contacts, for the case's history (issue 16)."""
    for statement in _split(_V10_CORRECTIONS):
        connection.execute(statement)


# Version 11: the number of cases kept in meta ("case_count"), changed by triggers in the
# transaction of every insert and delete, so that opening a notebook of 100,000 cases
# reads no index to count them (issue 19).
_V11_CASE_COUNT = """
INSERT OR REPLACE INTO meta (key, value) VALUES ('case_count', (SELECT count(*) FROM cases));
CREATE TRIGGER cases_counted_in AFTER INSERT ON cases BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'case_count';
END;
CREATE TRIGGER cases_counted_out AFTER DELETE ON cases BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'case_count';
END;
"""


def _migrate_10_to_11(connection: Connection) -> None:
    """The case count kept in meta (issue 19)."""
    for statement in _split(_V11_CASE_COUNT):
        connection.execute(statement)


# Version 12: an imported alliance keeps the kind of help directory entry its partner was
# chosen from (bundle format 3), for the period report's count by kind (issue 18).
def _migrate_11_to_12(connection: Connection) -> None:
    connection.execute("ALTER TABLE imported_alliances ADD COLUMN directory_kind TEXT")


# Version 13: mentoring as quality work (issue 17). A sign-off keeps the version of the
# case it approved (an HMAC of the case's content; '' for sign-offs made before), so it is
# shown as outdated once the case changes: the sign-off tables are made anew with the
# version in their UNIQUE (the same mentor may sign off a later version on the same day).
# A received case keeps the version it came with. A comment remembers when its text was
# last edited; a deleted comment leaves its id (so an older file does not bring it back).
# The mentor's rubric: a level and a short note per conversation and step, on the
# mentor's received cases and, once sent back, on the student's own cases.
_V13_MENTORING = """
CREATE TABLE case_sign_offs_v13 (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    signed_on    TEXT NOT NULL,
    mentor       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    case_version TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, signed_on, mentor, case_version)
);
INSERT INTO case_sign_offs_v13 (id, case_id, signed_on, mentor, created_at)
    SELECT id, case_id, signed_on, mentor, created_at FROM case_sign_offs;
DROP TABLE case_sign_offs;
ALTER TABLE case_sign_offs_v13 RENAME TO case_sign_offs;
CREATE TABLE review_sign_offs_v13 (
    id             INTEGER PRIMARY KEY,
    review_case_id INTEGER NOT NULL REFERENCES review_cases (id) ON DELETE CASCADE,
    signed_on      TEXT NOT NULL,
    mentor         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    case_version   TEXT NOT NULL DEFAULT '',
    UNIQUE (review_case_id, signed_on, mentor, case_version)
);
INSERT INTO review_sign_offs_v13 (id, review_case_id, signed_on, mentor, created_at)
    SELECT id, review_case_id, signed_on, mentor, created_at FROM review_sign_offs;
DROP TABLE review_sign_offs;
ALTER TABLE review_sign_offs_v13 RENAME TO review_sign_offs;
ALTER TABLE review_cases ADD COLUMN case_version TEXT NOT NULL DEFAULT '';
ALTER TABLE mentor_comments ADD COLUMN edited_at TEXT;
ALTER TABLE review_comments ADD COLUMN edited_at TEXT;
CREATE TABLE deleted_comments (
    uid          TEXT PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id   INTEGER NOT NULL,
    deleted_at   TEXT NOT NULL
);
CREATE TABLE rubric_ratings (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    step            TEXT NOT NULL,
    level           TEXT,
    note            TEXT NOT NULL DEFAULT '',
    author          TEXT NOT NULL,
    rated_at        TEXT NOT NULL,
    UNIQUE (conversation_id, step)
);
CREATE INDEX rubric_ratings_case ON rubric_ratings (case_id);
CREATE TABLE review_rubric_ratings (
    id               INTEGER PRIMARY KEY,
    review_case_id   INTEGER NOT NULL REFERENCES review_cases (id) ON DELETE CASCADE,
    conversation_ref TEXT NOT NULL,
    step             TEXT NOT NULL,
    level            TEXT,
    note             TEXT NOT NULL DEFAULT '',
    author           TEXT NOT NULL,
    rated_at         TEXT NOT NULL,
    UNIQUE (review_case_id, conversation_ref, step)
);
"""


def _migrate_12_to_13(connection: Connection) -> None:
    """Versioned sign-offs, comment edits and deletions, the mentor's rubric (issue 17)."""
    for statement in _split(_V13_MENTORING):
        connection.execute(statement)


# Version 14: the version of an imported case that a newer bundle replaced (the case as
# the bundle's JSON, de-identified as it was stored), so that withdrawing the newer bundle
# puts it back (issue 14).
_V14_VERSIONS = """
CREATE TABLE imported_case_versions (
    id                   INTEGER PRIMARY KEY,
    case_id              INTEGER NOT NULL REFERENCES imported_cases (id) ON DELETE CASCADE,
    bundle               INTEGER NOT NULL REFERENCES imported_bundles (id),
    source_key           TEXT,
    source_created_on    TEXT,
    source_sequence      INTEGER NOT NULL DEFAULT 0,
    identifiers_replaced INTEGER NOT NULL DEFAULT 0,
    body                 TEXT NOT NULL
);
CREATE INDEX imported_case_versions_case ON imported_case_versions (case_id);
CREATE INDEX imported_case_versions_bundle ON imported_case_versions (bundle);
"""


def _migrate_13_to_14(connection: Connection) -> None:
    """Earlier versions of imported cases, for a withdrawal to put back (issue 14)."""
    for statement in _split(_V14_VERSIONS):
        connection.execute(statement)


# Version 15: the supervisor's case list (issue 17). It walks the imported cases newest
# contact first (of all counsellors or of one) and filters them by their wellbeing: each
# case keeps the overall level of its first and its latest assessed contact and how many
# contacts were assessed (set on import; here computed for the cases already imported),
# and the contacts' levels are indexed, so a case only partly in a chosen period is
# looked up in the index alone (the contacts' rows hold the notes).
_V15_CASE_LIST = """
ALTER TABLE imported_cases ADD COLUMN first_level TEXT;
ALTER TABLE imported_cases ADD COLUMN latest_level TEXT;
ALTER TABLE imported_cases ADD COLUMN assessed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX imported_conversations_levels
    ON imported_conversations (case_id, day, position, overall_wellbeing);
UPDATE imported_cases SET
    first_level = (SELECT v.overall_wellbeing FROM imported_conversations v
        WHERE v.case_id = imported_cases.id AND v.overall_wellbeing IS NOT NULL
        ORDER BY v.day, v.position LIMIT 1),
    latest_level = (SELECT v.overall_wellbeing FROM imported_conversations v
        WHERE v.case_id = imported_cases.id AND v.overall_wellbeing IS NOT NULL
        ORDER BY v.day DESC, v.position DESC LIMIT 1),
    assessed = (SELECT count(*) FROM imported_conversations v
        WHERE v.case_id = imported_cases.id AND v.overall_wellbeing IS NOT NULL);
CREATE INDEX imported_cases_latest
    ON imported_cases (latest_day, first_day, first_level, latest_level, assessed);
CREATE INDEX imported_cases_counsellor_latest
    ON imported_cases (counsellor_id, latest_day, first_day);
CREATE INDEX imported_follow_ups_outcome ON imported_follow_ups (outcome, due, case_id);
CREATE INDEX imported_alliances_partner ON imported_alliances (partner, created_on, case_id);
"""


def _migrate_14_to_15(connection: Connection) -> None:
    """The supervisor's case list (issue 17): the wellbeing of each imported case, and
    indexes."""
    for statement in _split(_V15_CASE_LIST):
        connection.execute(statement)


# Version 16: the supervisor's dashboard at 100,000 imported cases (issue 17). The
# contacts' rows hold the notes (most of a notebook's size) and sorting rows to group them
# is what costs, so the dashboard and the overview per counsellor count from indexes
# alone, each read in the order it groups by: the contacts by day and steps covered, with
# their case and level (the index on the day alone is its prefix: dropped); the cases by
# the codes and levels the dashboard counts (schema 15 keeps the levels); the cases per
# counsellor with how many contacts each has (kept from now on, set on import); the
# alliances by partner and kind; the follow-ups by case and due day.
_V16_DASHBOARD = """
ALTER TABLE imported_cases ADD COLUMN contacts INTEGER NOT NULL DEFAULT 0;
UPDATE imported_cases SET contacts = (SELECT count(*) FROM imported_conversations v
    WHERE v.case_id = imported_cases.id);
CREATE INDEX imported_conversations_dashboard
    ON imported_conversations (day, steps_covered, case_id, position, overall_wellbeing);
DROP INDEX imported_conversations_day;
CREATE INDEX imported_cases_dashboard ON imported_cases (themes, age_band, help_system,
    first_level, latest_level, assessed, first_day, latest_day, counsellor_id);
CREATE INDEX imported_cases_counsellor_period
    ON imported_cases (counsellor_id, first_day, latest_day, contacts, identifiers_replaced);
CREATE INDEX imported_alliances_dashboard
    ON imported_alliances (partner, directory_kind, created_on, case_id);
CREATE INDEX imported_follow_ups_case_due ON imported_follow_ups (case_id, due, outcome);
"""


def _migrate_15_to_16(connection: Connection) -> None:
    """The supervisor's dashboard (issue 17): an index covering what it counts."""
    for statement in _split(_V16_DASHBOARD):
        connection.execute(statement)


#: ``MIGRATIONS[n]`` migrates version ``n`` to ``n + 1``; a new version's step goes last.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _migrate_0_to_1,
    _migrate_1_to_2,
    _migrate_2_to_3,
    _migrate_3_to_4,
    _migrate_4_to_5,
    _migrate_5_to_6,
    _migrate_6_to_7,
    _migrate_7_to_8,
    _migrate_8_to_9,
    _migrate_9_to_10,
    _migrate_10_to_11,
    _migrate_11_to_12,
    _migrate_12_to_13,
    _migrate_13_to_14,
    _migrate_14_to_15,
    _migrate_15_to_16,
)
SCHEMA_VERSION = len(MIGRATIONS)
