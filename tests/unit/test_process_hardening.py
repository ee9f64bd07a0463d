"""What the program does to itself at start, and SQLCipher's memory (issue 15): core
dumps off and not dumpable, a private umask, freed memory wiped."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from counsellor_app.core.store import Notebook
from tests.helpers import FAST_KDF, PASSPHRASE


def test_sqlcipher_wipes_the_memory_it_frees(tmp_path: Path) -> None:
    made, _recovery = Notebook.create(tmp_path / "nb.cnb", PASSPHRASE, kdf=FAST_KDF)
    made.close()
    with (
        Notebook.open(tmp_path / "nb.cnb", PASSPHRASE) as notebook,
        notebook.transaction() as db,
    ):
        assert db.execute("PRAGMA cipher_memory_security").fetchone()[0] == "1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_start_up_turns_core_dumps_off_and_sets_a_private_umask(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import ctypes, os, resource, sys
        from counsellor_app.cli import main
        os.umask(0o022)
        status = main(["--lang", "en", "search", sys.argv[1]])
        umask = os.umask(0)
        dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
        print(status, resource.getrlimit(resource.RLIMIT_CORE), oct(umask), dumpable)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "none.cnb")],
        input="x\n",
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, COUNSELLOR_APP_HOME=str(tmp_path / "home")),
    )
    assert done.stdout.split() == ["1", "(0,", "0)", "0o77", "0"], done.stdout + done.stderr
