"""What the program does to itself at start so that what it holds stays its user's:
files and folders it creates are private to the user (the umask), and its memory, which
holds the notebook's key and open notes, is never written out in a core dump nor read by
another process of the same user through ``ptrace`` (Linux), as KeePassXC does.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import re
import sys
from collections.abc import Callable

#: Files 0600, folders 0700, whatever makes them (SQLite, Qt, reportlab, the log).
PRIVATE_UMASK = 0o077
#: prctl(2)'s option for the "dumpable" flag (linux/prctl.h).
_PR_SET_DUMPABLE = 4
#: mallopt(3)'s parameter for the most heaps (arenas) glibc's threads may use.
_M_ARENA_MAX = -8
#: ptrace(2)'s request on macOS that keeps debuggers from attaching (sys/ptrace.h).
_PT_DENY_ATTACH = 31
#: SetErrorMode flags: no "program has stopped working" box that offers to send a dump
#: (SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX).
_SEM_NO_DIALOGS = 0x0001 | 0x0002


def harden_process() -> list[str]:
    """Set the private umask and turn core dumps off (``RLIMIT_CORE`` 0 on Linux and
    macOS; ``PR_SET_DUMPABLE`` 0 on Linux, which also keeps debuggers of the same user
    out, and ``PT_DENY_ATTACH`` on macOS for that; on Windows no crash dialog that would
    send a dump: Error Reporting itself is not switched off for one program simply).
    Called first by every entry point (the command line, which starts the window and the
    self-test too). Returns what could not be done, for the log: nothing here may stop
    the app from starting."""
    missed: list[str] = []
    os.umask(PRIVATE_UMASK)
    try:
        import resource
    except ImportError:  # Windows
        pass
    else:
        try:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        except (OSError, ValueError):
            missed.append("RLIMIT_CORE")
    if not use_one_heap():
        missed.append("M_ARENA_MAX")
    if sys.platform.startswith("linux"):
        try:
            # The process's own symbols, libc's among them: find_library("c") ran
            # ldconfig in a child process at every start (~20 ms before the window).
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
                missed.append("PR_SET_DUMPABLE")
        except (OSError, AttributeError):
            missed.append("PR_SET_DUMPABLE")
    elif sys.platform == "darwin":
        # macOS has no "dumpable" flag; KeePassXC denies debuggers this way instead.
        try:
            if ctypes.CDLL(None).ptrace(_PT_DENY_ATTACH, 0, None, 0) != 0:
                missed.append("PT_DENY_ATTACH")
        except (OSError, AttributeError):
            missed.append("PT_DENY_ATTACH")
    elif sys.platform == "win32":
        try:
            kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]
            kernel32.SetErrorMode(_SEM_NO_DIALOGS)
        except (OSError, AttributeError):
            missed.append("SetErrorMode")
    return missed


def use_one_heap() -> bool:
    """On glibc, have every thread allocate from the main heap (``M_ARENA_MAX`` 1), as it
    must be set before any thread starts: a worker thread otherwise gets a heap (arena)
    of its own, whose freed chunks still hold the note text it scanned or saved, and
    which the lock's scrub (:func:`scrub_freed_memory`, on the UI thread) cannot reach.
    True if set or not needed (another C library); False if glibc refused."""
    if not _on_glibc():
        return True
    try:
        return bool(ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1))
    except (OSError, AttributeError):
        return False


def _on_glibc() -> bool:
    """Is this process on Linux with the GNU C library (whose allocator is scrubbed)?"""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (OSError, ValueError):  # another C library: the name is unknown
        return False


def wipe(buffer: bytearray) -> None:
    """Overwrite ``buffer`` (a key held while the notebook is open) with zeros, in place."""
    buffer[:] = bytes(len(buffer))


def forget(secret: bytes | bytearray | str) -> None:
    """Overwrite, in place, the bytes of an immutable ``bytes`` or ASCII ``str`` holding a
    secret (a data key, its hex in the SQL that hands it to SQLCipher, a passphrase)
    once it has been used: freeing a Python object does not overwrite its memory.

    Only for an object the caller made and alone holds (never a literal, a dict key in
    use, or a string shared elsewhere: every holder would see zeros). CPython only; a str
    with any non-ASCII character (æ, ø, å) is left as it is, since CPython may keep a
    second, UTF-8 copy of it that cannot be reached from here; nor can the copies made
    on the way (Qt's own copy of a typed passphrase, a library's internal buffer)."""
    if isinstance(secret, bytearray):
        wipe(secret)
        return
    if sys.implementation.name != "cpython" or len(secret) < 2:
        return  # empty and one-character objects are shared by the interpreter
    if type(secret) is bytes:
        offset = sys.getsizeof(b"") - 1  # the header before ob_sval
    elif type(secret) is str and secret.isascii():
        offset = sys.getsizeof("") - 1  # a compact ASCII string's header
    else:
        return
    ctypes.memset(id(secret) + offset, 0, len(secret))


#: pymalloc's size classes hold blocks of up to 512 bytes; glibc's per-thread cache
#: (tcache) holds up to 7 freed chunks of each size up to 1032 bytes.
_PYMALLOC_LARGEST = 512
_TCACHE_LARGEST = 1032
_TCACHE_COUNT = 7
#: The sizes the C library's free chunks are filled with, largest first.
_FILL_SIZES = (1 << 16, 1 << 12, 1 << 10, 1 << 8, 1 << 6, 24)
_TWO_DIGITS = (1 << 30).to_bytes(4, "little")
_CLASS_LINE = re.compile(r"^\s+\d+\s+(\d+)\s+\d+\s+\d+\s+(\d+)\s*$", re.M)
_UNUSED_POOLS = re.compile(r"^(\d+) unused pools \* (\d+) bytes", re.M)


def scrub_freed_memory(other_threads: Callable[[], object] | None = None) -> dict[str, int]:
    """Overwrite what freed memory still holds of the notes (called once a lock has
    dropped every reference to them): freeing a Python string or a Qt text buffer does
    not overwrite it, and neither allocator wipes what it takes back.

    * Python's small-object allocator (pymalloc, CPython): every free block of every size
      class and every unused pool is taken by a zero-filled object and given back (the
      counts from ``sys._debugmallocstats``); only a block's first 8 bytes (the free
      list's link) are not zeros afterwards.
    * The C library's (glibc, Linux): the calling thread's cache of freed chunks (tcache)
      is taken, zeroed and given back, and ``malloc_trim`` returns every free whole page
      to the system, which hands it back zeroed. ``other_threads`` is called while every
      free chunk of the heap is held, zeroed: there each other thread takes its own cache
      (:func:`scrub_thread_cache`), which then cannot be refilled from the heap's bins
      with chunks not yet zeroed (glibc moves a bin's chunks of a size into the cache of
      the thread that takes one). With one heap for every thread (:func:`use_one_heap`)
      nothing any thread freed is left.

    Returns how many objects and chunks were used, for the log; never raises."""
    gc.collect()  # garbage in reference cycles (a closure holding a note) freed first
    done = {"python": 0, "c": 0}
    with contextlib.suppress(OSError, ValueError, AttributeError):
        done["python"] = _scrub_pymalloc()
    if _on_glibc():
        with contextlib.suppress(OSError, AttributeError):
            done["c"] = _scrub_glibc(other_threads)
    return done


def _pymalloc_stats() -> str:
    """``sys._debugmallocstats``'s report (it writes to the C stderr), through a pipe."""
    read, write = os.pipe()
    saved = os.dup(2)
    try:
        os.dup2(write, 2)
        sys._debugmallocstats()  # a few kB: well inside the pipe's buffer
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    return b"".join(chunks).decode("ascii", "replace")


def _scrub_pymalloc() -> int:
    if sys.implementation.name != "cpython" or not hasattr(sys, "_debugmallocstats"):
        return 0
    report = _pymalloc_stats()
    unused = _UNUSED_POOLS.search(report)
    header = sys.getsizeof(b"")  # a bytes object of n bytes takes header + n
    held: list[object] = []
    for match in _CLASS_LINE.finditer(report):
        size, free = int(match[1]), int(match[2])
        if size == 16:
            held += [object() for _ in range(free)]  # 16 bytes: the whole block
        elif size == 32:
            # 32 bytes, the whole block: an int of two digits (2**30), a new one each time
            held += [int.from_bytes(_TWO_DIGITS, "little") for _ in range(free)]
        elif size >= header + 1:
            held += [bytes(size - header) for _ in range(free)]
    if unused:  # empty pools, which any size class may take: the largest blocks
        blocks = int(unused[1]) * (int(unused[2]) // _PYMALLOC_LARGEST)
        held += [bytes(_PYMALLOC_LARGEST - header) for _ in range(blocks)]
    count = len(held)
    del held
    return count


def scrub_thread_cache() -> int:
    """Overwrite the calling thread's cache of freed C chunks (glibc's tcache), which no
    other thread can reach: called on each task lane's worker after a lock, since a
    worker that scanned or saved a note freed chunks holding its text there. Returns how
    many chunks were used; never raises."""
    if not _on_glibc():
        return 0
    with contextlib.suppress(OSError, AttributeError):
        libc = _glibc()
        chunks: list[int] = []
        try:
            _take_tcache(libc, chunks)
        finally:
            for chunk in chunks:
                libc.free(chunk)
        return len(chunks)
    return 0


def _glibc() -> ctypes.CDLL:
    """The C library with the types of malloc and free (what every glibc has)."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    libc.malloc_usable_size.restype = ctypes.c_size_t
    libc.malloc_usable_size.argtypes = [ctypes.c_void_p]
    return libc


def _take_tcache(libc: ctypes.CDLL, chunks: list[int]) -> None:
    """Take every chunk of the calling thread's tcache (one more than a bin holds, of
    each bin's size), zeroed, into ``chunks`` (the caller frees them)."""
    for size in range(24, _TCACHE_LARGEST + 1, 16):  # one size per tcache bin
        for _ in range(_TCACHE_COUNT + 1):
            chunk = libc.malloc(size)
            if chunk:
                ctypes.memset(chunk, 0, libc.malloc_usable_size(chunk))
                chunks.append(chunk)


def _scrub_glibc(other_threads: Callable[[], object] | None) -> int:
    libc = _glibc()
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.mallinfo2.restype = _MallInfo2  # glibc 2.33 and later
    libc.sbrk.restype = ctypes.c_void_p
    libc.sbrk.argtypes = [ctypes.c_ssize_t]
    chunks: list[int] = []
    try:
        _take_tcache(libc, chunks)
        # Then every free chunk of the arena (the fast bins merged by malloc_trim first),
        # the largest first: taken until the next one would come from the arena's top,
        # the memory past every chunk, which was never handed out since it last shrank.
        libc.malloc_trim(0)
        # Never more than the arenas' free bytes, whatever the heap's shape.
        budget = libc.mallinfo2().fordblks
        for size in _FILL_SIZES:
            top = libc.sbrk(0) - libc.mallinfo2().keepcost  # where the top chunk starts
            while budget >= size:
                chunk = libc.malloc(size)
                if not chunk:
                    break
                if chunk >= top:
                    libc.free(chunk)  # from the top: no free chunk of this size is left
                    break
                ctypes.memset(chunk, 0, libc.malloc_usable_size(chunk))
                chunks.append(chunk)
                budget -= size
        if other_threads is not None:
            other_threads()
        # What the fills' takings moved from the bins into this thread's cache: no longer
        # refilled, the bins being empty.
        _take_tcache(libc, chunks)
    finally:
        for chunk in chunks:
            libc.free(chunk)
    libc.malloc_trim(0)
    return len(chunks)


class _MallInfo2(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (2.33 and later); ``keepcost`` is the size of the
    main arena's top chunk."""

    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip
