"""``counsellor-app --self-test``: proof that a build works, without a person at the screen.

It drives the real window the way a counsellor would, in a temporary folder: create a
notebook, unlock it on the unlock page, write a note in a new call, lock, unlock, read the
note back; then it checks that the file on disk is encrypted, that the de-identification
engine finds its word lists, that reportlab writes a PDF, and that the translations and
data files are there. One line per check (``ok`` or ``FAIL``); exit status 0 only when
every check passed. Everything it made is removed afterwards, and the user's own folders
are never touched (``COUNSELLOR_APP_HOME`` points into the temporary folder meanwhile).

It is what CI runs on the frozen bundles (Linux in ``tests/packaging``, Windows and macOS
in ``.github/workflows/package.yml``), and what a support person can ask a user to run.
The window is offscreen unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SQLITE_HEADER = b"SQLite format 3\x00"
PASSPHRASE = "self-test passphrase, not secret"


class CheckFailed(Exception):
    """A check did not hold; the message says what was seen."""


def _require(condition: object, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _write(line: str) -> None:
    """One line on stdout, flushed (a windowed Windows build may have no stdout)."""
    stream = sys.stdout
    if stream is None:
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    safe = line.encode(encoding, "replace").decode(encoding, "replace")
    try:
        stream.write(safe + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


class SelfTest:
    """Runs the checks in order; a check whose prerequisite failed is reported as failed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notebook_path = folder / "data" / "self-test.cnb"
        self.token = f"selftest-{uuid.uuid4().hex[:12]}"
        # A note as a counsellor might write it: Danish letters and a unique token.
        self.note = f"Mor fortæller om søvnbesvær og skolevægring hos sønnen. {self.token}"
        self.results: list[tuple[str, bool, str]] = []
        self.started = time.perf_counter()
        self.app: Any = None
        self.window: Any = None
        self.conversation_id: int | None = None

    # ------------------------------------------------------------------ running

    def check(self, name: str, func: Callable[[], str], *needs: str) -> bool:
        missing = [n for n in needs if not self.passed(n)]
        if missing:
            ok, detail = False, "not run: needs " + ", ".join(missing)
        else:
            try:
                detail = func()
                ok = True
            except CheckFailed as failure:
                ok, detail = False, str(failure)
            except Exception as error:  # a bug or a missing part of the bundle
                ok, detail = False, f"{type(error).__name__}: {error}"
        self.results.append((name, ok, detail))
        _write(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
        return ok

    def passed(self, name: str) -> bool:
        return any(n == name and ok for n, ok, _d in self.results)

    def run(self) -> int:
        self.check("python", self.check_python)
        self.check("translations", self.check_translations)
        self.check("resources", self.check_resources)
        self.check("qt", self.check_qt)
        self.check("window", self.check_window, "qt")
        self.check("create", self.check_create)
        self.check("unlock", self.check_unlock, "window", "create")
        self.check("write", self.check_write, "unlock")
        self.check("lock", self.check_lock, "write")
        self.check("unlock again", self.check_unlock, "lock")
        self.check("read back", self.check_read_back, "unlock again")
        self.close_window()
        self.check("encrypted", self.check_encrypted, "read back")
        self.check("deidentify", self.check_deidentify)
        self.check("pdf", self.check_pdf)
        self.check("about", self.check_about, "qt")
        failed = [name for name, ok, _d in self.results if not ok]
        seconds = time.perf_counter() - self.started
        if failed:
            _write(
                f"self-test FAILED: {len(failed)} of {len(self.results)} checks "
                f"({', '.join(failed)}) in {seconds:.1f} s"
            )
            return 1
        _write(f"self-test passed: {len(self.results)} checks in {seconds:.1f} s")
        return 0

    # ------------------------------------------------------------------ checks

    def check_python(self) -> str:
        from importlib import metadata

        from counsellor_app import __version__

        try:
            origin = "from package metadata"
            _require(metadata.version("counsellor-app") == __version__, "version mismatch")
        except metadata.PackageNotFoundError:
            origin = "no package metadata"
        frozen = "frozen bundle" if getattr(sys, "frozen", False) else "source"
        return (
            f"counsellor-app {__version__} ({origin}), Python {sys.version.split()[0]}, "
            f"{sys.platform}, {frozen}"
        )

    def check_translations(self) -> str:
        import gettext

        from counsellor_app.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, _, set_language

        found = [lang for lang in LANGUAGES if gettext.find(DOMAIN, str(LOCALE_DIR), [lang])]
        _require("da" in found, f"no compiled Danish catalog (.mo) under {LOCALE_DIR}: {found}")
        set_language("da")
        danish = _("Counsellor's Notebook")
        set_language("en")  # the rest of the output in English, for whoever reads the log
        _require(danish != "Counsellor's Notebook", "the Danish catalog does not translate")
        return f"catalogs {', '.join(found)}; da: {danish!r}"

    def check_resources(self) -> str:
        from counsellor_app.core.taxonomy import taxonomy

        tax = taxonomy()
        _require(tax.themes, "the taxonomy has no themes")
        from counsellor_app.core.paths import resource_path

        icons = resource_path("icons")
        pngs = sorted(icons.glob("counsellor-app-*.png"))
        _require(pngs, f"no app icons in {icons}")
        return f"taxonomy: {len(tax.themes)} themes; {len(pngs)} icon sizes"

    def check_qt(self) -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import QLibraryInfo, QTranslator, qVersion
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance() or QApplication([sys.argv[0], "--self-test"])
        # Qt's own texts (standard buttons) in Danish: the bundle keeps qtbase_da.
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        _require(QTranslator().load("qtbase_da", folder), f"no qtbase_da.qm in {folder}")
        return (
            f"Qt {qVersion()}, PySide6 {pyside_version}, platform {self.app.platformName()}, "
            "Qt's Danish texts found"
        )

    def check_window(self) -> str:
        from counsellor_app.gui.app import MainWindow

        self.window = MainWindow(self.notebook_path, demo=False)
        self.window.show()
        self.app.processEvents()
        _require(self.window.isVisible(), "the main window did not show")
        elapsed = time.perf_counter() - self.started
        return f"main window shown ({elapsed:.2f} s after the self-test started)"

    def check_create(self) -> str:
        from counsellor_app.core.store import Notebook

        notebook, recovery_key = Notebook.create(self.notebook_path, PASSPHRASE)
        try:
            cipher = notebook.cipher_version()
        finally:
            notebook.close()
        _require(recovery_key, "no recovery key was made")
        _require(cipher, "SQLCipher is not in effect (no cipher_version)")
        return f"notebook created with SQLCipher {cipher}"

    def check_unlock(self) -> str:
        page = self.window.unlock_page
        page.passphrase.setText(PASSPHRASE)
        from PySide6.QtCore import QEventLoop

        page.try_unlock()  # opens on the notebook lane, then reports on the event loop
        while page.busy():
            self.app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        error = page.error.text()
        _require(self.window.notebook is not None, f"the notebook did not unlock: {error!r}")
        _require(page.passphrase.text() == "", "the passphrase was left in the field")
        return "unlocked through the unlock page"

    def check_write(self) -> str:
        from counsellor_app.core.domain import Step

        page = self.window.notebook_page
        page.new_call()
        self.app.processEvents()
        editor = page.editor
        _require(editor is not None, "Ctrl+N (new call) opened no conversation editor")
        editor.editors[Step.LISTEN].setPlainText(self.note)
        self.app.processEvents()
        _require(editor.flush(), "the note could not be saved")
        self.conversation_id = editor.conversation_id
        stored = self.window.notebook.conversation(self.conversation_id).notes.get(Step.LISTEN)
        _require(stored == self.note, f"the notebook holds {stored!r}")
        return f"note saved in conversation {self.conversation_id}"

    def check_lock(self) -> str:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit

        self.window.lock()
        self.app.processEvents()
        # As the event loop would: widgets the lock let go of (deleteLater) are deleted.
        self.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        _require(self.window.notebook is None, "the notebook is still open after locking")
        shown = []
        for kind in (QPlainTextEdit, QTextEdit, QLineEdit, QLabel):
            for widget in self.window.findChildren(kind):
                text = widget.toPlainText() if hasattr(widget, "toPlainText") else widget.text()
                if self.token in text:
                    shown.append(type(widget).__name__)
        _require(not shown, f"note text still in the window after locking: {shown}")
        return "locked: notebook closed, no note text left in the window"

    def check_read_back(self) -> str:
        from counsellor_app.core.domain import Step

        assert self.conversation_id is not None
        notebook = self.window.notebook
        stored = notebook.conversation(self.conversation_id).notes.get(Step.LISTEN)
        _require(stored == self.note, f"read back {stored!r}")
        return "the note reads back unchanged after lock and unlock"

    def close_window(self) -> None:
        """Lock and close the window (once): the notebook's files are then complete."""
        window, self.window = self.window, None
        if window is None:
            return
        try:
            if window.notebook is not None:
                window.lock()
            window.close()
            window.chores.wait()  # backups and closing run there
            window.deleteLater()
            self.app.processEvents()
        except Exception as error:  # reported, but the file checks still run
            self.results.append(("close", False, f"{type(error).__name__}: {error}"))
            _write(f"FAIL close: {type(error).__name__}: {error}")

    def check_encrypted(self) -> str:
        data = self.notebook_path.read_bytes()
        _require(not data.startswith(SQLITE_HEADER), "the notebook file is plain SQLite")
        needles = (self.token.encode(), self.note.encode("utf-8"), "søvnbesvær".encode())
        files = [p for p in self.folder.rglob("*") if p.is_file()]
        leaks = [
            str(p.relative_to(self.folder))
            for p in files
            if any(needle in p.read_bytes() for needle in needles)
        ]
        _require(not leaks, f"note text in plain bytes in: {leaks}")
        return (
            f"{len(data)} bytes, no SQLite header; the note is in none of the "
            f"{len(files)} files written (notebook, key file, backups)"
        )

    def check_deidentify(self) -> str:
        from counsellor_app.core.anonymity import IdentifierKind, deidentify

        secrets = ("Mette Hansen", "Nørrebrogade 12", "20 30 40 50", "mette@example.dk")
        text = (
            f"Mor hedder {secrets[0]} og bor på {secrets[1]}, 2200 København N. "
            f"Hun kan ringes op på {secrets[2]} eller {secrets[3]}."
        )
        result = deidentify(text)
        left = [s for s in secrets if s in result.text]
        _require(not left, f"identifiers left in the text: {left}")
        kinds = {finding.kind for finding in result.findings}
        for kind in (IdentifierKind.NAME, IdentifierKind.PHONE, IdentifierKind.EMAIL):
            _require(kind in kinds, f"no {kind} found (word lists missing?): {result.text!r}")
        return f"{len(result.findings)} identifiers replaced: {result.text!r}"

    def check_pdf(self) -> str:
        from counsellor_app.core.pdf import Footer, build, data_table, paragraph

        # Through the app's own PDF kit, so that its embedded font is found in the bundle.
        story = [
            paragraph("Rådgiverens notesbog: selvtest", "title"),
            paragraph("Æbler, øer og ål: dansk tekst i en PDF.", "body"),
            data_table([["Lyt", "Rådgiv"], ["Alliancer", "Opfølgning"]]),
        ]
        data = build(story, Footer("self-test"), "self-test")
        _require(data.startswith(b"%PDF-"), "not a PDF")
        _require(b"%%EOF" in data[-64:], "the PDF is not complete")
        target = self.folder / "self-test.pdf"
        target.write_bytes(data)
        return f"reportlab wrote a {len(data)} byte PDF"

    def check_about(self) -> str:
        from counsellor_app.gui.about import COMPONENTS, AboutDialog, app_icon

        _require(not app_icon().isNull(), "the app icon did not load")
        dialog = AboutDialog()
        try:
            rows = dialog.table.rowCount()
            _require(rows == len(COMPONENTS), "the component table is incomplete")
        finally:
            dialog.deleteLater()
        return f"About dialog lists {rows} components; icon loads"


@contextmanager
def _isolated_home() -> Iterator[Path]:
    """A temporary folder that all of the app's default folders point into meanwhile."""
    previous = os.environ.get("COUNSELLOR_APP_HOME")
    with tempfile.TemporaryDirectory(
        prefix="counsellor-selftest-", ignore_cleanup_errors=True
    ) as folder:
        os.environ["COUNSELLOR_APP_HOME"] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop("COUNSELLOR_APP_HOME", None)
            else:
                os.environ["COUNSELLOR_APP_HOME"] = previous


def run_self_test() -> int:
    """Run every check; 0 when all passed, 1 otherwise. Leaves nothing behind."""
    with _isolated_home() as folder:
        test = SelfTest(folder)
        try:
            return test.run()
        finally:
            test.close_window()
