"""What the program does to itself at start so that what it holds stays its user's:
files and folders it creates are private to the user (the umask), and its memory, which
holds the notebook's key and open notes, is never written out in a core dump nor read by
another process of the same user through ``ptrace`` (Linux), as KeePassXC does.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: Files 0600, folders 0700, whatever makes them (SQLite, Qt, reportlab, the log).
PRIVATE_UMASK = 0o077
#: prctl(2)'s option for the "dumpable" flag (linux/prctl.h).
_PR_SET_DUMPABLE = 4
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
