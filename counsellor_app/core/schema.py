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


def _migrate_0_to_1(connection: Connection) -> None:
    for statement in _split(_V1):
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


#: ``MIGRATIONS[n]`` migrates version ``n`` to ``n + 1``.
MIGRATIONS: list[Callable[[Connection], None]] = [_migrate_0_to_1]
SCHEMA_VERSION = len(MIGRATIONS)
