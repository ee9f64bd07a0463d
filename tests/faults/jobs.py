"""What the fault tests' child processes do (run by ``tests/faults/zygote.py`` after a fork).

Every job reports what it has *done* (a keystroke typed, a backup written, a bundle
imported) as soon as it is done, with the time, so that the test can tell after a SIGKILL
what must have survived. A job never catches what it does not expect: an exception ends
the child with an ``error`` report, which fails the test.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

Report = Callable[..., None]

#: Words a counsellor might type; the typed text is made of them (and a few emoji).
WORDS = (
    "mor",
    "far",
    "barnet",
    "skolen",
    "trives",
    "ikke",
    "sover",
    "dårligt",
    "siden",
    "efteråret",
    "vi",
    "talte",
    "om",
    "faste",
    "rammer",
    "og",
    "små",
    "skridt",
    "klasselæreren",
    "ringer",
    "igen",
    "på",
    "torsdag",
    "hun",
    "græder",
    "om",
    "morgenen",
    "mavepine",
    "weekend",
    "bedsteforældre",
    "PPR",
    "sundhedsplejersken",
    "🙂",
    "❤️",
    "næste",
    "uge",
)


def preload() -> None:
    """Import what the jobs use, once, in the fork server (children inherit it)."""
    from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401

    import counsellor_app.core.exchange
    import counsellor_app.core.supervision
    import counsellor_app.gui.conversation  # noqa: F401
    from counsellor_app.core.anonymity import warm_up

    warm_up()


def typed_text(seed: int, length: int = 6000) -> str:
    """The text typed in run ``seed``: the test rebuilds it to check what was kept."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        end = "\n" if rng.random() < 0.05 else ". " if rng.random() < 0.1 else " "
        parts.append(word + end)
        size += len(word) + len(end)
    return "".join(parts)[:length]


def keystroke_gaps(seed: int, count: int) -> list[float]:
    """Seconds between keystrokes: a steady typist never pauses (half the runs), the
    other one stops now and then to listen."""
    rng = random.Random(seed * 7919 + 1)
    steady = seed % 2 == 0
    gaps = []
    for _ in range(count):
        if not steady and rng.random() < 0.04:
            gaps.append(rng.uniform(0.3, 1.2))
        else:
            gaps.append(rng.uniform(0.004, 0.06))
    return gaps


def _open(args: dict[str, Any]) -> Any:
    from counsellor_app.core.store import Notebook

    if args.get("home"):
        os.environ["COUNSELLOR_APP_HOME"] = args["home"]
    return Notebook.open(Path(args["path"]), args["passphrase"])


# ---------------------------------------------------------------------- typing


def typing(args: dict[str, Any], report: Report) -> None:
    """Type into the real ConversationEditor (offscreen) at a typist's pace; report every
    keystroke, after it is in the editor, with its time."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from counsellor_app.core.domain import Step
    from counsellor_app.gui.conversation import ConversationEditor

    app = QApplication([])
    notebook = _open(args)
    case = notebook.new_case()
    conversation = notebook.new_conversation(case.id)
    editor = ConversationEditor(notebook, conversation.id)
    box = editor.editors[Step.LISTEN]
    text = typed_text(args["seed"])
    gaps = keystroke_gaps(args["seed"], len(text))
    position = 0

    def type_one() -> None:
        nonlocal position
        box.moveCursor(box.textCursor().MoveOperation.End)
        box.insertPlainText(text[position])
        position += 1
        report("k", n=position)
        if position < len(text):
            QTimer.singleShot(int(gaps[position] * 1000), type_one)
        else:
            editor.flush()
            app.quit()

    report("ready", conversation=conversation.id)
    QTimer.singleShot(0, type_one)
    app.exec()


# ---------------------------------------------------------------------- operations


def change_passphrase(args: dict[str, Any], report: Report) -> None:
    """Change the passphrase back and forth, every other time with the recovery key."""
    from counsellor_app.core.errors import WrongPassphrase
    from counsellor_app.core.rekey import change_passphrase, reset_passphrase

    path = Path(args["path"])
    current, other = args["secrets"]
    report("ready")
    for i in range(100_000):
        try:
            if i % 2:
                reset_passphrase(path, args["recovery_key"], other)
            else:
                change_passphrase(path, current, other)
        except WrongPassphrase:  # the parent's view of which one is in force was stale
            current, other = other, current
            continue
        current, other = other, current
        report("done", secret=current)


def change_secret_once(args: dict[str, Any], report: Report) -> None:
    """One change of secrets (``kind``: a passphrase change, a reset with the recovery key,
    a new recovery key), killed by itself right after its ``step``-th rename or fsync (at
    none if ``step`` is 0): every durable step of the change is a place a power cut may
    hit."""
    from counsellor_app.core import rekey

    path = Path(args["path"])
    steps = 0

    def counted(real: Callable[..., Any], name: str) -> Callable[..., Any]:
        def call(*call_args: Any, **kwargs: Any) -> Any:
            nonlocal steps
            result = real(*call_args, **kwargs)
            steps += 1
            report("step", n=steps, what=name)
            if steps == args["step"]:
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        return call

    made = rekey.new_recovery_key

    def reported_recovery_key() -> str:
        key = made()
        report("recovery", key=key)  # before it is in any file: the test must know it
        return key

    rekey.new_recovery_key = reported_recovery_key  # type: ignore[assignment]
    os.fsync = counted(os.fsync, "fsync")  # type: ignore[assignment]
    os.replace = counted(os.replace, "replace")  # type: ignore[assignment]
    report("ready")
    if args["kind"] == "change":
        rekey.change_passphrase(path, args["old"], args["new"])
    elif args["kind"] == "reset":
        rekey.reset_passphrase(path, args["recovery_key"], args["new"])
    else:
        rekey.replace_recovery_key(path, args["old"])
    report("done", steps=steps)


def backup(args: dict[str, Any], report: Report) -> None:
    """Change a note, back up, again and again (three backups kept)."""
    from counsellor_app.core.domain import Step

    notebook = _open(args)
    folder = Path(args["folder"])
    report("ready")
    for i in range(100_000):
        notebook.save_note(args["conversation"], Step.ADVISE, f"ændring {i}")
        made = notebook.backup(folder, keep=3)
        report("done", path=str(made), i=i)


def restore(args: dict[str, Any], report: Report) -> None:
    """Restore one backup, then the other, again and again."""
    from counsellor_app.core.backups import restore as restore_backup

    path = Path(args["path"])
    backups = [Path(p) for p in args["backups"]]
    report("ready")
    for i in range(100_000):
        chosen = backups[i % len(backups)]
        restore_backup(path, chosen, args["passphrase"])
        report("done", backup=str(chosen))


def purge(args: dict[str, Any], report: Report) -> None:
    """Close a case with a note, purge it (retention), again and again."""
    from counsellor_app.core.domain import CaseStatus, Step
    from counsellor_app.core.store import now

    notebook = _open(args)
    report("ready")
    later = now() + timedelta(days=800)
    for i in range(100_000):
        case = notebook.new_case()
        talk = notebook.new_conversation(case.id)
        notebook.save_note(talk.id, Step.LISTEN, f"{args['marker']} {i}")
        notebook.set_status(case.id, CaseStatus.CLOSED)
        report("closed", case=case.id, i=i)
        notebook.purge(at=later)
        report("purged", case=case.id)


def import_bundles(args: dict[str, Any], report: Report) -> None:
    """Import the bundle files one by one, in order (those imported already are known)."""
    from counsellor_app.core.supervision import ImportStatus
    from counsellor_app.core.supervision import import_bundles as run_import

    notebook = _open(args)
    report("ready")
    for name in args["bundles"]:
        (result,) = run_import(notebook, [name], accept_new=True).results
        assert result.status != ImportStatus.REFUSED, result.error
        report("done", bundle=result.bundle_id, status=result.status)
    notebook.close()


# ---------------------------------------------------------------------- the disk refuses


def _spin(app: Any, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition was not met in time")
        app.processEvents()
        time.sleep(0.005)


class _Swapped:
    """SQLite's file descriptors of one file, swapped for others and back: the kernel then
    answers SQLite's writes as a full disk (``/dev/full``: ENOSPC) or a removed drive (a
    read-only descriptor: the write is refused) would. Nothing in SQLite is mocked."""

    def __init__(self, name: str, replacement: Callable[[str], int]) -> None:
        self.saved: list[tuple[int, int]] = []
        targets = {}
        for entry in os.listdir("/proc/self/fd"):  # all first: dup() below adds to them
            with contextlib.suppress(OSError):
                targets[int(entry)] = os.readlink(f"/proc/self/fd/{entry}")
        for fd, target in targets.items():
            if Path(target).name == name:
                self.saved.append((fd, os.dup(fd)))
                other = replacement(target)
                os.dup2(other, fd)
                os.close(other)
        assert self.saved, f"SQLite has no descriptor of {name}"

    def back(self) -> None:
        for fd, saved in self.saved:
            os.dup2(saved, fd)
            os.close(saved)


def _small_disk(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on ``folder``, seen by this (forked, single-threaded) child
    only: its own mount namespace, as root or else in its own user namespace. False where
    the kernel does not allow it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    clone_newns, clone_newuser = 0x00020000, 0x10000000
    ms_rec, ms_private = 0x4000, 0x40000
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(clone_newns) != 0:
        if libc.unshare(clone_newuser | clone_newns) != 0:
            return False
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    if libc.mount(b"none", b"/", None, ms_rec | ms_private, None) != 0:
        return False
    options = f"size={size}".encode()
    return libc.mount(b"tmpfs", str(folder).encode(), b"tmpfs", 0, options) == 0


def disk_full(args: dict[str, Any], report: Report) -> None:
    """Type into the real editor until the disk refuses the note, then free space and type
    on. ``how``: ``enospc``, a real full disk (the notebook on a small tmpfs, filled up:
    the kernel's ENOSPC), or ``fsize``, a file size limit (RLIMIT_FSIZE: the kernel's
    EFBIG). With ``enospc`` the notebook is copied back out to ``path`` at the end."""
    import shutil

    from PySide6.QtWidgets import QApplication

    from counsellor_app.core.domain import Step
    from counsellor_app.core.i18n import set_language
    from counsellor_app.core.keys import key_file_path
    from counsellor_app.gui.conversation import ConversationEditor

    set_language(args["language"])
    outside = Path(args["path"])
    filler: Path | None = None
    if args["how"] == "enospc":
        small = Path(args["small"])
        if not _small_disk(small, "2m"):
            report("unavailable")
            return
        for source in (outside, key_file_path(outside)):
            shutil.copyfile(source, small / source.name)
        args = {**args, "path": str(small / outside.name)}
    app = QApplication([])
    notebook = _open(args)
    case = notebook.new_case()
    talk = notebook.new_conversation(case.id)
    notebook.save_note(talk.id, Step.ADVISE, "Skrevet før disken blev fuld.")
    editor = ConversationEditor(notebook, talk.id)
    failures: list[str] = []
    editor.save_failed.connect(failures.append)
    box = editor.editors[Step.LISTEN]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if args["how"] == "enospc":
        filler = Path(args["path"]).with_name("filler")
        with open(filler, "wb") as handle:  # fill the disk to the last block...
            with contextlib.suppress(OSError):
                while True:
                    handle.write(b"\0" * 4096)
                    handle.flush()
            with contextlib.suppress(OSError):
                handle.close()
        with open(filler, "rb+") as handle:  # ...then free a little, as a nearly full one
            handle.truncate(max(0, filler.stat().st_size - 48 * 1024))
    else:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write(), not death
        folder = Path(args["path"]).parent
        largest = max(p.stat().st_size for p in folder.iterdir() if p.name.endswith("-wal"))
        resource.setrlimit(resource.RLIMIT_FSIZE, (largest + 64 * 1024, hard))
    chunk = "Mor fortæller videre om morgenerne og skolen. " * 40
    typed = ""
    for _ in range(200):
        typed += chunk
        box.insertPlainText(chunk)
        if not editor.flush():
            break
    else:
        raise AssertionError("the disk never refused a save")
    _spin(app, lambda: bool(failures))
    report(
        "refused",
        sentence=failures[-1],
        kept=box.toPlainText() == typed,
        pending=[s.value for s in editor.pending_steps()],
    )
    # The disk is still full: typing on keeps the text in the editor, nothing is lost.
    box.insertPlainText(" Stadig fuld.")
    typed += " Stadig fuld."
    assert not editor.flush()
    assert box.toPlainText() == typed
    if filler is not None:  # space was freed
        filler.unlink()
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    box.insertPlainText(" Nu er der plads.")
    typed += " Nu er der plads."
    _spin(app, lambda: not editor.pending_steps(), timeout=10)
    report("saved", conversation=talk.id, text=typed)
    editor.close()
    notebook.close()
    if args["how"] == "enospc":
        inside = Path(args["path"])
        for source in (inside, key_file_path(inside)):
            shutil.copyfile(source, outside.with_name(source.name))


def drive_gone(args: dict[str, Any], report: Report) -> None:
    """The drive goes away under an open notebook (every write to the notebook and its WAL
    refused by the kernel), then comes back."""
    from counsellor_app.core.domain import Step
    from counsellor_app.core.errors import StorageError
    from counsellor_app.core.i18n import set_language

    set_language(args["language"])
    notebook = _open(args)
    case = notebook.new_case()
    talk = notebook.new_conversation(case.id)
    notebook.save_note(talk.id, Step.LISTEN, "før")
    name = Path(args["path"]).name
    gone = [
        _Swapped(file, lambda target: os.open(target, os.O_RDONLY))
        for file in (name, name + "-wal")
    ]
    try:
        notebook.save_note(talk.id, Step.LISTEN, "skrevet mens drevet var væk")
    except StorageError as error:
        report("refused", sentence=str(error))
    else:
        raise AssertionError("a write to a removed drive succeeded")
    for swapped in gone:
        swapped.back()
    notebook.save_note(talk.id, Step.LISTEN, "skrevet mens drevet var væk")
    report("saved", conversation=talk.id)
    notebook.close()


JOBS: dict[str, Callable[[dict[str, Any], Report], None]] = {
    "typing": typing,
    "change_passphrase": change_passphrase,
    "change_secret_once": change_secret_once,
    "backup": backup,
    "restore": restore,
    "purge": purge,
    "import": import_bundles,
    "disk_full": disk_full,
    "drive_gone": drive_gone,
}
