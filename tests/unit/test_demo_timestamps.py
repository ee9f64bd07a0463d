"""The demo data never stamps a row in the future: a note "updated" in 40 minutes looked
wrong in the case list and the agenda."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.keys import KdfParams
from counsellor_app.core.store import Notebook

#: A stored moment (``2026-03-02T10:30:00+00:00``); a day alone (a follow-up's due day,
#: which may well lie ahead) is not one.
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def moments(notebook: Notebook) -> list[tuple[str, str, datetime]]:
    """Every stored moment in every table of the notebook: (table, column, moment)."""
    found: list[tuple[str, str, datetime]] = []
    tables = [
        str(row[0])
        for row in notebook.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    for table in tables:
        with notebook.transaction() as db:
            cursor = db.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                if isinstance(value, str) and MOMENT.match(value):
                    moment = datetime.fromisoformat(value)
                    if moment.tzinfo is None:
                        moment = moment.replace(tzinfo=UTC)
                    found.append((table, column, moment))
    return found


@pytest.mark.parametrize(("cases", "seed"), [(1, 0), (60, 7), (120, 2024), (650, 11)])
def test_no_row_is_stamped_after_the_fill_ended(
    tmp_path: Path, fast_kdf: KdfParams, cases: int, seed: int
) -> None:
    notebook, _ = Notebook.create(tmp_path / "demo.cnb", "pw", kdf=fast_kdf)
    with notebook:
        fill_demo(notebook, cases, seed=seed)
        ended = datetime.now(UTC)
        stamped = moments(notebook)
        tables = {table for table, _column, _moment in stamped}
        assert {"cases", "conversations", "status_changes"} <= tables
        future = [(t, c, m.isoformat()) for t, c, m in stamped if m > ended]
        assert future == [], f"{len(future)} moments after {ended.isoformat()}: {future[:5]}"


def test_every_case_is_saved_after_its_last_conversation_began(
    tmp_path: Path, fast_kdf: KdfParams
) -> None:
    """The shape stays: a case begins with its first conversation and is saved after its
    last one began, and every conversation ends after it starts."""
    notebook, _ = Notebook.create(tmp_path / "demo.cnb", "pw", kdf=fast_kdf)
    with notebook:
        fill_demo(notebook, 120, seed=5)
        rows = notebook.query(
            "SELECT c.created_at, c.updated_at, max(v.started_at), min(v.started_at) "
            "FROM cases c JOIN conversations v ON v.case_id = c.id "
            "GROUP BY c.id"
        )
        assert len(rows) == 120
        for created, updated, last_start, first_start in rows:
            assert created == first_start
            assert last_start < updated
        for talk_start, talk_end in notebook.query(
            "SELECT started_at, updated_at FROM conversations"
        ):
            assert talk_start < talk_end
