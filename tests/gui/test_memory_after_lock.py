"""After Ctrl+L nothing of the notebook is left in the app's memory (Linux).

A child process runs the real window: the passphrase is typed on the unlock page, a
sentence with a distinctive word typed in a call (saved, scanned by the guard) and
searched for in the case list, then a long paragraph with a word of its own (its strings
larger than the allocators' small blocks, with æ and ø), then Ctrl+L, the notebook
closed in the background. This test (the parent) then reads the child's whole memory
through /proc/<pid>/mem and finds none of

* the notebook's data key, raw and as the hex text SQLCipher is given (held in a
  bytearray overwritten at close; the key statement's strings overwritten once used;
  SQLCipher wipes its own copies, ``cipher_memory_security``);
* the passphrase, as Python (ASCII: UTF-8) and Qt (UTF-16) text;
* the note's words, as Python (UTF-8 / Latin-1) and Qt (UTF-16) text, and the search's
  lower-case token, neither held by a live object (the lock drops every reference, the
  anonymity engine's memos and the last search included) nor left in freed memory (the
  lock collects the garbage, then overwrites Python's free blocks and the C library's
  free chunks, ``core.hardening.scrub_freed_memory``; every thread allocates from the
  one heap that reaches, ``core.hardening.use_one_heap``).

The secrets are made from a seed at run time, so that neither process's code holds them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from counsellor_app.core.keys import PASSPHRASE_SLOT, KeyFile
from counsellor_app.core.store import Notebook
from tests.helpers import FAST_KDF

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/<pid>/mem"
)

SEED = 48_271

MADE = textwrap.dedent(
    """
    def secret(seed, n):
        return "".join(chr(ord("a") + (seed * (i + 7) * 31 + n) % 26) for i in range(14))
    """
)

CHILD = MADE + textwrap.dedent(
    """
    import gc
    import logging
    import os
    import sys
    import time
    from pathlib import Path

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counsellor_app.core.domain import Step
    from counsellor_app.core.hardening import forget, use_one_heap
    from counsellor_app.gui.app import MainWindow

    # As the app's start does (harden_process, whose PR_SET_DUMPABLE would keep the
    # parent from reading this process): one heap for every thread, set before any.
    assert use_one_heap()
    # No automatic collection: garbage in reference cycles that holds a note (a closure
    # of a scan, a page's widgets) is freed only when the lock collects it, so a lock that
    # scrubbed before collecting fails here every time, not only when the timing is bad.
    gc.disable()
    seed = int(sys.argv[2])
    app = QApplication([])
    # The lock's scrubs, as the window logs them (nothing of a note is logged).
    scrubbed = []

    class Scrubs(logging.Handler):
        def emit(self, record):
            if record.getMessage().startswith("freed memory overwritten after the lock"):
                scrubbed.append(record.created)

    logging.getLogger("counsellor_app.gui.app").setLevel(logging.INFO)
    logging.getLogger("counsellor_app.gui.app").addHandler(Scrubs())

    def spin(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    window = MainWindow(Path(sys.argv[1]))
    window.show()
    window.activateWindow()
    # Typed as at the keyboard; this script's own copies are overwritten after typing,
    # so that whatever is found is the app's.
    typed = "Q" + secret(seed, 1) + " " + secret(seed, 2)
    QTest.keyClicks(window.unlock_page.passphrase, typed)
    forget(typed)
    window.unlock_page.try_unlock()
    while window.notebook is None:
        spin(0.02)
    page = window.notebook_page
    page.new_call()
    box = page.editor.editors[Step.LISTEN]
    box.setFocus()
    typed = "Mor ringer om Z" + secret(seed, 3) + " igen."
    QTest.keyClicks(box, typed)
    forget(typed)
    spin(1.5)  # saved, scanned by the guard
    # Searched for: the search's tokens and the list's rows hold the word too.
    typed = "z" + secret(seed, 3)
    QTest.keyClicks(page.search, typed)
    forget(typed)
    spin(1.0)
    # From here on the guards scan in the scanning process (the lock must end it).
    from counsellor_app.gui.scan_service import scan_service

    deadline = time.monotonic() + 60
    while not scan_service().ready() and time.monotonic() < deadline:
        spin(0.05)
    scanner = scan_service().pid()
    # A long paragraph with a word of its own in the next step (its strings and buffers
    # larger than the allocators' small blocks), with æ and ø as notes have them.
    box = page.editor.editors[Step.ADVISE]
    box.setFocus()
    QTest.keyClicks(box, "Hun fortæller om søvnen og skolen. " * 30)
    typed = "Det er Y" + secret(seed, 4) + " der ikke vil i skole."
    QTest.keyClicks(box, typed)
    forget(typed)
    spin(1.5)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    window.chores.wait()  # the notebook is closed in the background
    deadline = time.monotonic() + 60
    while len(scrubbed) < 2 and time.monotonic() < deadline:
        spin(0.05)  # the scrub, and its second round (SCRUB_AGAIN_MS later)
    spin(0.2)
    gc.collect()
    word = "Z" + secret(seed, 3)
    live = [
        1
        for holder in gc.get_objects()
        for item in gc.get_referents(holder)
        if isinstance(item, str) and item is not word and word in item
    ]
    forget(word)
    locked = window.notebook is None
    try:
        os.kill(scanner, 0)
        scanner_left = True
    except (OSError, TypeError):
        scanner_left = False
    print("locked:", locked, "live:", len(live), "scrubs:", len(scrubbed), end=" ")
    print("scanner:", scanner is not None, "left:", scanner_left, flush=True)
    sys.stdin.readline()
    """
)


def secret(seed: int, n: int) -> str:
    found: dict[str, object] = {}
    exec(MADE, found)  # the same function as the child's
    return found["secret"](seed, n)  # type: ignore[operator,no-any-return]


def occurrences(
    pid: int, needles: dict[str, bytes], where: list[str] | None = None
) -> dict[str, int]:
    """How often each needle is in the readable memory of process ``pid``; ``where``
    gets, for each copy found, its mapping and the bytes around it (to tell what held
    it when a test fails)."""
    counts = dict.fromkeys(needles, 0)
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            name = fields[5] if len(fields) > 5 else ""
            if "r" not in fields[1] or name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            low, high = (int(part, 16) for part in fields[0].split("-"))
            try:
                mem.seek(low)
                data = mem.read(high - low)
            except (OSError, ValueError, OverflowError):
                continue  # a guard page, a device mapping
            for label, needle in needles.items():
                counts[label] += data.count(needle)
                at = data.find(needle)
                while where is not None and at >= 0:
                    around = data[max(0, at - 64) : at + len(needle) + 32]
                    where.append(f"{label} in {line.strip()} at {low + at:#x}: {around!r}")
                    at = data.find(needle, at + 1)
    return counts


def test_after_the_lock_no_key_passphrase_or_note_text_is_in_memory(tmp_path: Path) -> None:
    passphrase = "Q" + secret(SEED, 1) + " " + secret(SEED, 2)
    word = "Z" + secret(SEED, 3)
    paragraph_word = "Y" + secret(SEED, 4)
    path = tmp_path / "n.cnb"
    Notebook.create(path, passphrase, kdf=FAST_KDF)[0].close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), *sys.path])
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(SEED)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        said = child.stdout.readline().decode()
        assert said.startswith("locked: True"), said + child.stderr.read().decode()  # type: ignore[union-attr]
        data_key = KeyFile.read(path).unwrap(PASSPHRASE_SLOT, passphrase)
        where: list[str] = []
        found = occurrences(
            child.pid,
            {
                "data key": data_key,
                "data key as hex": data_key.hex().encode(),
                "data key as HEX": data_key.hex().upper().encode(),
                "passphrase (Python)": passphrase.encode(),
                "passphrase (Qt)": passphrase.encode("utf-16-le"),
                "note word (Python)": word.encode(),
                "note word (Qt)": word.encode("utf-16-le"),
                "search token": word.lower().encode(),
                "paragraph's word (Python)": paragraph_word.encode(),
                "paragraph's word (Qt)": paragraph_word.encode("utf-16-le"),
            },
            where,
        )
        assert found == dict.fromkeys(found, 0), "\n".join([str(found), *where])
        assert "live: 0" in said, said
        assert "scrubs: 2" in said, said  # the second round, for what was freed late
        # The scanning process, which held the long paragraph, was ended by the lock.
        assert "scanner: True left: False" in said, said
    finally:
        if child.stdin is not None:
            child.stdin.close()
        child.wait(timeout=30)
