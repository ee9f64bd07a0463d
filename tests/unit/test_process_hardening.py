"""What the program does to itself at start, and SQLCipher's memory (issue 15): core
dumps off and not dumpable, a private umask, freed memory wiped."""

from __future__ import annotations

import ctypes
import gc
import os
import platform
import secrets
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from counsellor_app.core.hardening import forget, scrub_thread_cache
from counsellor_app.core.keys import PASSPHRASE_SLOT, KeyFile
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


def test_forget_overwrites_a_secret_in_place() -> None:
    key = secrets.token_bytes(32)
    forget(key)
    assert key == bytes(32)
    text = secrets.token_hex(16)  # ASCII, as SQL with a key in it
    forget(text)
    assert text == "\0" * 32
    held = bytearray(secrets.token_bytes(32))
    forget(held)
    assert held == bytearray(32)
    # A str with æ, ø or å may have a second (UTF-8) copy CPython keeps: left alone.
    danish = "æøå" + secrets.token_hex(4)
    kept = danish[:]
    forget(danish)
    assert danish == kept


def test_a_closed_notebook_overwrites_the_key_it_held(tmp_path: Path) -> None:
    notebook, _recovery = Notebook.create(tmp_path / "nb.cnb", PASSPHRASE, kdf=FAST_KDF)
    data_key = KeyFile.read(tmp_path / "nb.cnb").unwrap(PASSPHRASE_SLOT, PASSPHRASE)
    # The notebook's own buffer of the key, found by its value among what it holds.
    (held,) = [item for item in gc.get_referents(vars(notebook)) if isinstance(item, bytearray)]
    assert held == data_key
    notebook.close()
    assert held == bytearray(len(data_key))


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="glibc's per-thread cache",
)
def test_a_worker_s_cache_of_freed_chunks_is_overwritten_on_its_thread() -> None:
    """A chunk a worker freed (its tcache keeps it, whole) comes back zeroed after
    ``scrub_thread_cache`` ran on that worker; without it, it comes back as it was."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    secret = secrets.token_hex(300).encode()[:584]
    seen: dict[bool, bytes] = {}

    def on_a_worker(scrub: bool) -> None:
        chunk = libc.malloc(600)
        ctypes.memmove(chunk, secret, len(secret))
        libc.free(chunk)
        if scrub:
            scrub_thread_cache()
        again = libc.malloc(600)
        seen[scrub] = ctypes.string_at(again + 16, len(secret) - 16)
        libc.free(again)

    for scrub in (False, True):
        worker = threading.Thread(target=on_a_worker, args=(scrub,))
        worker.start()
        worker.join()
    assert seen[False] == secret[16:]  # the cache gave the same chunk back, unchanged
    assert secret[16:48] not in seen[True]


HEAP_CHILD = textwrap.dedent(
    """
    import ctypes, secrets, sys, threading
    from counsellor_app.core.hardening import (
        scrub_freed_memory, scrub_thread_cache, use_one_heap,
    )

    assert use_one_heap()  # before any thread, as the app's start does
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    marker = secrets.token_hex(16).encode()  # held once, by this name
    print(marker.decode(), flush=True)
    ask, answered = threading.Event(), threading.Event()
    job = []

    def lane():  # a worker that lives on, as a task lane's thread does
        # More freed chunks of each size than its cache holds: the rest go to the heap's
        # bins, from which glibc moves them into the cache of a thread that takes one.
        kept, freed = [], []
        for size in (600, 200, 72) * 12:
            chunk = libc.malloc(size)
            for at in range(0, size - len(marker), len(marker)):
                ctypes.memmove(chunk + at, marker, len(marker))
            freed.append(chunk)
            kept.append(libc.malloc(size))  # keeps the freed chunks apart
        for chunk in freed:
            libc.free(chunk)
        answered.set()
        while True:
            ask.wait()
            ask.clear()
            job.pop()()
            answered.set()

    def on_the_lane(work):
        answered.clear()
        job.append(work)
        ask.set()
        answered.wait(10)

    threading.Thread(target=lane, daemon=True).start()
    answered.wait(10)
    if sys.argv[1] == "lock":
        scrub_freed_memory(other_threads=lambda: on_the_lane(scrub_thread_cache))
    print("ready", flush=True)
    sys.stdin.readline()
    """
)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="glibc's heap",
)
def test_the_lock_s_scrub_leaves_nothing_a_worker_thread_freed() -> None:
    """A worker thread (a task lane's) freed more chunks holding note text than its own
    cache takes; with one heap for every thread, the lock's scrub (each lane's cache
    taken while the heap's free chunks are held) leaves no copy of them anywhere in the
    process but the one object that still holds the text. Without the scrub the copies
    are there: the search finds them."""
    from tests.gui.test_memory_after_lock import occurrences

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    left = {}
    for how in ("none", "lock"):
        child = subprocess.Popen(
            [sys.executable, "-c", HEAP_CHILD, how],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stdin is not None
        try:
            marker = child.stdout.readline().strip()
            assert child.stdout.readline().strip() == b"ready"
            left[how] = occurrences(child.pid, {"marker": marker})["marker"]
        finally:
            child.stdin.close()
            child.wait(timeout=30)
    assert left["none"] > 10, left
    assert left["lock"] == 1, left  # the bytes object that holds it
