"""De-identify a large text in several processes, with the findings of one scan of it.

:func:`find_identifiers_large` finds exactly what :func:`engine.find_identifiers` finds
in the whole text. It cuts the text at line breaks into chunks of many lines and scans
them as the guard's paragraph scanner scans paragraphs (``paragraphs.py``): each chunk
after the :data:`paragraphs.CONTEXT_CHARS` of text before it (:func:`scan_part`), in
worker processes, the next chunk to whichever worker is free (phase 1). The parent joins
what the whole text decides about each chunk (the names flagged anywhere, the lower-case
words looked for everywhere) and hands it to the workers, which finish the chunks they
scanned with it (phase 2, as :func:`paragraphs.decide` finishes a paragraph) and send
their findings. Should a candidate cross from the context into a chunk, or a worker
fail, the whole text is scanned in this process.

Workers are forked on Linux after the word lists are loaded (shared with the parent copy
on write, the text too); elsewhere they are spawned and load them themselves (1-2 s
each) and get each chunk through their pipe. In the frozen app (PyInstaller) a spawned
worker is the bundle's program started again: its entry point
(``packaging/counsellor_app_main.py``) calls ``multiprocessing.freeze_support()`` first,
which runs the worker there and exits, never the app (``packaging/check_bundle_workers.py``
proves it on a built bundle). Nothing is written to disk, no worker outlives the call,
and a worker hardens itself as the caller did before it is sent any text (umask, no core
dumps, no debugger: a forked worker inherits it all, a spawned one not all, Linux's
"dumpable" flag being reset by the exec). Only for a command line tool: a process with
threads (the window) must not fork.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import re
import signal
import sys
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from counsellor_app.core.anonymity.data import lexicon
from counsellor_app.core.anonymity.engine import (
    Deidentified,
    Finding,
    collection_paused,
    deidentified,
    find_identifiers,
    new_finding,
    warm_up,
)
from counsellor_app.core.anonymity.kinds import IdentifierKind
from counsellor_app.core.anonymity.names import carried_lower_names
from counsellor_app.core.anonymity.paragraphs import (
    Part,
    context_before,
    part_findings,
    scan_part,
)
from counsellor_app.core.hardening import harden_process
from counsellor_app.core.i18n import current_language, set_language

log = logging.getLogger(__name__)

#: Characters of text per worker (the default number of workers: one per this many
#: characters, at most one per core; two at least, or the text is scanned in the
#: caller). A forked worker costs some 14 MB of its own (the pages of the word lists it
#: touches, copied; its memos) beside its share of the scan's (some 5x its chunks), so
#: one per 5 MB keeps all processes within 10x the text (measured, 2 workers: 19x at
#: 2 MB, 12.5x at 4 MB, 8-9.3x at 10 MB, 5.6x at 50 MB). They would save time from about
#: 1 MB on idle cores (starting them costs about 0.1 s, the first touches of the word
#: lists; their CPU time is 0-15% more than one process's).
CHARS_PER_WORKER = 5_000_000
#: The same where workers are spawned: each is a Python of its own that imports the
#: engine and loads the word lists, some 85 MB and 1-2 s (10 MB by 2 workers: 222 MB
#: spawned, 80 MB forked, all processes).
CHARS_PER_SPAWNED_WORKER = 16_000_000
#: About how many characters a chunk holds (it ends at the first line break after that):
#: a size from 100,000 to 2,000,000 takes the same CPU time; smaller chunks share the
#: work out more evenly.
CHUNK_CHARS = 500_000

#: How workers are started: forked on Linux (the word lists and the text shared, no
#: threads in the command line's process), spawned elsewhere (macOS's system libraries
#: are not safe to fork; Windows cannot).
_START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
#: A finding as a worker sends it: start, end, kind, reason, replacement.
_Sent = tuple[int, int, IdentifierKind, str, str]


def find_identifiers_large(
    text: str,
    *,
    workers: int | None = None,
    chunk_chars: int | None = None,
    least_chars: int | None = None,
    start_method: str | None = None,
) -> list[Finding]:
    """:func:`find_identifiers` of ``text``, in ``workers`` processes (by default one per
    :data:`CHARS_PER_WORKER` of the text, at most one per core this process may use),
    when ``text`` has at least ``least_chars`` characters (by default enough for two
    workers) and more than one chunk of ``chunk_chars`` (:data:`CHUNK_CHARS`).
    ``start_method``: "fork" (the default on Linux) or "spawn" (elsewhere)."""
    start_method = start_method or _START_METHOD
    if least_chars is None:
        least_chars = 2 * _chars_per_worker(start_method)
    if len(text) >= least_chars:
        with collection_paused():
            found = scan_in_workers(
                text, workers=workers, chunk_chars=chunk_chars, start_method=start_method
            )
        if found is not None:
            return found
    return find_identifiers(text)


def deidentify_large(
    text: str,
    *,
    workers: int | None = None,
    chunk_chars: int | None = None,
    least_chars: int | None = None,
    start_method: str | None = None,
) -> Deidentified:
    """:func:`engine.deidentify` of ``text``, its findings by :func:`find_identifiers_large`."""
    findings = find_identifiers_large(
        text,
        workers=workers,
        chunk_chars=chunk_chars,
        least_chars=least_chars,
        start_method=start_method,
    )
    with collection_paused():
        return deidentified(text, findings)


def scan_in_workers(
    text: str,
    *,
    workers: int | None = None,
    chunk_chars: int | None = None,
    start_method: str | None = None,
) -> list[Finding] | None:
    """The findings of ``text`` by worker processes (see :func:`find_identifiers_large`),
    or None where it must be scanned whole, in this process: it holds fewer chunks than
    two, a candidate crosses into a chunk, or a worker failed."""
    start_method = start_method or _START_METHOD
    if workers is None:
        workers = min(_cores(), len(text) // _chars_per_worker(start_method))
    if workers < 2:
        return None
    chunks = _chunks(text, CHUNK_CHARS if chunk_chars is None else chunk_chars)
    count = min(workers, len(chunks))
    if count < 2:
        return None
    # (spawned in the frozen app too: see the module's docstring)
    return _in_workers(text, chunks, count, start_method)


def _chars_per_worker(start_method: str) -> int:
    return CHARS_PER_WORKER if start_method == "fork" else CHARS_PER_SPAWNED_WORKER


def _cores() -> int:
    """How many cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _chunks(text: str, size: int) -> list[tuple[int, int]]:
    """``text`` cut into runs of whole lines of about ``size`` characters (or one line
    more), as (start, end): the line break after a chunk belongs to none (a paragraph
    scan sees none either); an empty chunk is left out."""
    out: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while start < length:
        end = text.find("\n", start + max(size, 1) - 1)
        if end == -1:
            end = length
        if end > start:
            out.append((start, end))
        start = end + 1
    return out


def _in_workers(
    text: str, chunks: list[tuple[int, int]], count: int, start_method: str
) -> list[Finding] | None:
    """The findings of ``text`` by ``count`` workers, or None when a candidate crosses
    into a chunk or a worker fails (then the caller scans it whole).

    A worker is handed the next chunk whenever it has scanned one (on a shared machine one
    may get less time than another); it keeps what it scanned. Once every chunk is
    scanned, every worker gets what the whole text decides and sends its chunks' findings.
    """
    context: Any = multiprocessing.get_context(start_method)
    forked = start_method == "fork"
    language = current_language()
    if forked:
        warm_up()  # the word lists, loaded once and shared with the workers
    processes: list[Any] = []
    pipes: list[Connection] = []
    done = False
    try:
        if forked:
            gc.freeze()  # the parent's objects out of the workers' collections' way
        try:
            for _index in range(count):
                here, there = context.Pipe()
                # A forked worker reads the text it shares with this process; a spawned
                # one gets each chunk with the message that hands it out.
                process = context.Process(
                    target=_work, args=(there, text if forked else "", language), daemon=True
                )
                process.start()
                there.close()
                processes.append(process)
                pipes.append(here)
        finally:
            if forked:
                gc.unfreeze()
        waiting = list(enumerate(chunks))
        waiting.reverse()  # (handed out from the end of the list: the text's start first)
        flagged: set[str] = set()
        lower_words: set[str] = set()

        def hand_out(pipe: Connection) -> bool:
            if not waiting:
                return False
            index, (start, end) = waiting.pop()
            context_text = context_before(text, start)
            pipe.send((index, start, end, context_text, None if forked else text[start:end]))
            return True

        busy = [pipe for pipe in pipes if hand_out(pipe)]
        while busy:
            for ready in wait(busy):
                pipe = cast(Connection, ready)
                answer = pipe.recv()
                if answer is None:
                    log.warning("a worker of the parallel scan failed")
                    return None
                if answer[0]:
                    return None  # a candidate crossed into a chunk
                flagged.update(answer[1])
                lower_words.update(answer[2])
                if not hand_out(pipe):
                    busy.remove(pipe)
        for pipe in pipes:
            pipe.send((frozenset(flagged), frozenset(lower_words)))
        per_chunk: list[list[_Sent]] = [[] for _ in chunks]
        for pipe in pipes:
            sent: list[tuple[int, list[_Sent]]] | None = pipe.recv()
            if sent is None:
                log.warning("a worker of the parallel scan failed")
                return None
            for index, found in sent:
                per_chunk[index] = found
        done = True
        return [new_finding(*finding) for found in per_chunk for finding in found]
    except (EOFError, OSError) as error:  # a worker died (its pipe closed)
        log.warning("a worker of the parallel scan ended (%s)", type(error).__name__)
        return None
    finally:
        for pipe in pipes:
            pipe.close()
        for process in processes:
            if done:
                process.join(5)  # it ends once it has sent its findings
            if process.is_alive():
                process.terminate()
            process.join()


def _finish(
    line: str,
    part: Part,
    flagged: frozenset[str],
    lower_words: frozenset[str],
    carried: frozenset[str],
) -> list[Finding]:
    """The findings of the chunk ``line`` (scanned into ``part`` without its tokens) with
    what the whole text decides, as :func:`paragraphs.decide` finds a paragraph's: its
    deferred names that are ``flagged`` anywhere; every one of the whole text's
    ``lower_words`` the chunk did not look for itself, looked for in it (a paragraph looks
    only for those glued to signs in it: where such a word stands apart, the paragraph
    looked for it itself; the chunk finds them all in one pass over its text); the names
    ``carried`` in lower case, those it holds as words (one pass, when there are many)."""
    accepted = tuple(d for d in part.deferred if line[d[0] : d[1]] in flagged)
    extra = lower_words.difference(part.lower_words)
    if len(carried) > _MANY_CARRIED:
        carried = carried.intersection(_WORD.findall(line))
    return list(part_findings(line, part, accepted, extra, carried).findings)


#: From this many names carried in lower case on, a chunk's words are listed to find
#: those it holds (each name looked for in it costs a pass over its text).
_MANY_CARRIED = 32
#: A word as a name carried in lower case stands (``names._whole_words``).
_WORD = re.compile(r"[^\W_]+")


def _work(pipe: Connection, text: str, language: str) -> None:
    """A worker: scan each chunk handed out (index, start, end, context, and its text
    unless ``text`` holds the whole text), answer whether a candidate crossed into it and
    the names and lower-case words that other chunks depend on; then, given those of the
    whole text, send the findings of every chunk it scanned. None is sent on a failure."""
    # Before any text arrives: what the caller did at its start (a spawned worker is a
    # new program; for a forked one this changes nothing).
    harden_process()
    gc.disable()  # short-lived, no reference cycles: the collector would only walk
    # Ctrl+C reaches the caller, which ends its workers (no traceback from each of them).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if current_language() != language:
            set_language(language)
        warm_up()
        scanned: list[tuple[int, int, int, str | None, Part]] = []
        while True:
            message = pipe.recv()
            if len(message) == 2:
                break
            index, start, end, context, piece = message
            line = text[start:end] if piece is None else piece
            part = scan_part(context, line, tokens=False)
            # (a spawned worker keeps its chunk's text; a forked one cuts it again later)
            scanned.append((index, start, end, piece, part))
            pipe.send((part.crosses, part.flagged, part.lower_words))
        all_flagged: frozenset[str] = message[0]
        all_lower_words: frozenset[str] = message[1]
        # The names carried in lower case, as the scan of the whole text carries them.
        carried = carried_lower_names(all_flagged, lexicon())
        out: list[tuple[int, list[_Sent]]] = []
        scanned.reverse()
        while scanned:  # (each chunk's part let go once its findings are made)
            index, start, end, piece, part = scanned.pop()
            line = text[start:end] if piece is None else piece
            result = _finish(line, part, all_flagged, all_lower_words, carried)
            out.append(
                (
                    index,
                    [
                        (f.start + start, f.end + start, f.kind, f.reason, f.replacement)
                        for f in result
                    ],
                )
            )
        pipe.send(out)
    except (EOFError, OSError):
        pass  # the parent is gone or gave up: nothing to tell
    except Exception:
        # (no traceback: it might quote the text; the caller scans the text itself)
        with suppress(OSError):
            pipe.send(None)
    finally:
        pipe.close()
