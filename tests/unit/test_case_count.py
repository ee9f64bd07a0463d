"""The number of cases is kept in the notebook (schema 11): right after every kind of
change, also one rolled back, and read without counting the cases table."""

from __future__ import annotations

from pathlib import Path

import pytest

from counsellor_app.core.demo import fill_demo
from counsellor_app.core.store import Notebook
from tests.helpers import FAST_KDF, PASSPHRASE


def counted(notebook: Notebook) -> int:
    return int(notebook.query("SELECT count(*) FROM cases")[0][0])


def test_the_kept_count_follows_every_change(tmp_path: Path) -> None:
    notebook, _recovery = Notebook.create(tmp_path / "n.cnb", PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        assert notebook.case_count() == 0
        case = notebook.new_case()
        assert notebook.case_count() == counted(notebook) == 1
        call = notebook.new_conversation(notebook.new_case().id)
        assert notebook.case_count() == 2
        assert notebook.discard_conversation(call.id)  # its case goes with it
        assert notebook.case_count() == counted(notebook) == 1
        with pytest.raises(RuntimeError), notebook.transaction() as db:
            db.execute(
                "INSERT INTO cases (code, status, created_at, updated_at) "
                "SELECT 'K-ZZZZ', status, created_at, updated_at FROM cases WHERE id = ?",
                (case.id,),
            )
            assert notebook.case_count() == 2
            raise RuntimeError("rolled back")
        assert notebook.case_count() == counted(notebook) == 1
        fill_demo(notebook, cases=30, seed=3)
        assert notebook.case_count() == counted(notebook) == 31
    with Notebook.open(tmp_path / "n.cnb", PASSPHRASE) as again:
        assert again.case_count() == 31


def test_counting_reads_no_case(tmp_path: Path) -> None:
    notebook, _recovery = Notebook.create(tmp_path / "n.cnb", PASSPHRASE, kdf=FAST_KDF)
    with notebook:
        notebook.new_case()
        statements: list[str] = []
        with notebook.transaction() as db:
            db.set_trace_callback(statements.append)
            try:
                assert notebook.case_count() == 1
            finally:
                db.set_trace_callback(None)
        assert statements and not any("cases" in statement for statement in statements)
