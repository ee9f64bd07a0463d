"""The command line: ``counsellor-app`` opens the window; subcommands use the core headlessly.

Passphrases are prompted without echo on a terminal and read as one line from standard
input otherwise; they are never command-line arguments. Errors a user can cause are one
plain line on stderr and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import gettext
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol, TypeVar

from counsellor_app import __version__
from counsellor_app.core.domain import (
    AgeBand,
    ConcernDecision,
    ConcernSigns,
    Role,
    WellbeingLevel,
    label,
)
from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import LANGUAGES, N_, _, ngettext, set_language

if TYPE_CHECKING:
    from counsellor_app.core.store import Notebook

DEMO_PASSPHRASE = "demo-demo-demo"

EXIT_USER_ERROR = 1
EXIT_USAGE = 2

#: The language of the command line when no --lang is given ("da" or "en"); the window
#: keeps the one chosen in its settings unless this or --lang says otherwise.
LANGUAGE_ENV = "COUNSELLOR_APP_LANG"

log = logging.getLogger("counsellor_app")


#: The smallest k the research export's window offers; the command line holds to it too.
RESEARCH_MIN_K = 2


def _read_secret(prompt: str) -> str:
    """A passphrase: without echo on a terminal, else one line of standard input, which
    must be UTF-8 (decoded strictly: a passphrase must not change on its way in)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    raw = sys.stdin.buffer.readline()
    if not raw:
        raise UserError(_("No passphrase was given on standard input."))
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(
            _("The passphrase on standard input is not UTF-8 text. Nothing was changed.")
        ) from None
    return line.rstrip("\r\n")


def _read_new_secret(prompt: str) -> str:
    secret = _read_secret(prompt)
    from counsellor_app.core.keys import short_passphrase_problem

    problem = short_passphrase_problem(secret)
    if "\0" in secret:
        # C code below (the key derivation, a terminal) would cut it short there.
        problem = _("The passphrase cannot contain a NUL character.")
    if problem:
        raise UserError(problem + " " + _("Nothing was changed."))
    if sys.stdin.isatty() and _read_secret(_("Repeat the passphrase: ")) != secret:
        raise UserError(_("The two passphrases differ. Nothing was changed."))
    return secret


def _print_recovery_key(recovery_key: str) -> None:
    print(_("Recovery key (shown only now; write it down and keep it safe):"))
    print(recovery_key)


def _open(path: Path):  # type: ignore[no-untyped-def]
    from counsellor_app.core.settings import AppSettings
    from counsellor_app.core.store import Notebook

    folders = AppSettings.load().backup_folders
    notebook = Notebook.open(path, _read_secret(_("Passphrase: ")), backup_folders=folders)
    if notebook.role is Role.SUPERVISOR:
        try:
            _settle_old_imports(notebook)
        except BaseException:
            notebook.close()
            raise
    return notebook


def _settle_old_imports(notebook: Notebook) -> None:
    """Store de-identified, once, the texts an older version imported before imports
    were scanned (as the window does after an unlock), saying so on standard error."""
    from counsellor_app.core.supervision import settle_unscanned_imports, unscanned_imports

    left = unscanned_imports(notebook)
    if not left:
        return
    print(
        ngettext(
            "De-identifying the texts of {n} case imported by an older version…",
            "De-identifying the texts of {n} cases imported by an older version…",
            left,
        ).format(n=left),
        file=sys.stderr,
    )
    while settle_unscanned_imports(notebook):
        pass


def cmd_init(args: argparse.Namespace) -> int:
    from counsellor_app.core.store import Notebook

    passphrase = _read_new_secret(_("New passphrase: "))
    notebook, recovery_key = Notebook.create(args.path, passphrase, Role(args.role))
    notebook.close()
    print(_("Notebook created: {path}").format(path=args.path))
    _print_recovery_key(recovery_key)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from counsellor_app.core.demo import fill_demo
    from counsellor_app.core.store import Notebook

    passphrase = _read_new_secret(_("New passphrase: "))
    notebook, recovery_key = Notebook.create(args.path, passphrase, Role.COUNSELLOR)
    with notebook:
        fill_demo(notebook, args.cases, seed=args.seed)
    cases = ngettext("{count} case", "{count} cases", args.cases).format(count=args.cases)
    print(_("Demo notebook with {cases} created: {path}").format(cases=cases, path=args.path))
    _print_recovery_key(recovery_key)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args.path) as notebook:
        results = notebook.search(" ".join(args.query))
    from counsellor_app.core.taxonomy import taxonomy

    tax = taxonomy()
    for summary in results:
        themes = ", ".join(tax.label("themes", theme) for theme in summary.themes)
        print(f"{summary.code}\t{label(summary.status)}\t{themes}")
    if not results:
        # On stderr: the output stays one line per case (none) for scripts.
        print(_("No case matched."), file=sys.stderr)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with _open(args.path) as notebook:
        target = notebook.backup(args.folder)
    print(_("Backup written: {path}").format(path=target))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from counsellor_app.core.backups import restore

    moved = restore(args.path, args.backup, _read_secret(_("Passphrase: ")))
    print(_("Restored {backup} to {path}.").format(backup=args.backup, path=args.path))
    if moved:
        print(_("The notebook it replaced was kept as {path}.").format(path=moved))
    return 0


#: What to do with the backups made before a change of secrets (they still open with the
#: old ones), as the window offers it.
OLDER_BACKUPS_CHOICES = ("reencrypt", "delete", "keep")


def _open_for_older_backups(path: Path, passphrase: str):  # type: ignore[no-untyped-def]
    from counsellor_app.core.settings import AppSettings
    from counsellor_app.core.store import Notebook

    folders = AppSettings.load().backup_folders
    return Notebook.open(path, passphrase, backup_folders=folders)


def _by_folder(backups: Sequence[Path]) -> dict[Path, int]:
    counts: dict[Path, int] = {}
    for backup in backups:
        counts[backup.parent] = counts.get(backup.parent, 0) + 1
    return counts


def _settle_older_backups(
    path: Path, passphrase: str, choice: str, slot: str, read_old_secret: Callable[[], str]
) -> int:
    """After a change of secrets (or later, with ``older-backups``): one line per backup
    folder that holds backups opening with older secrets, then ``choice`` applied with the
    window's core calls. Re-encryption unlocks each backup with the old secret in
    ``slot`` (read only when there is something to re-encrypt). Returns how many backups
    that secret did not open (left as they were)."""
    with _open_for_older_backups(path, passphrase) as notebook:
        older = notebook.older_backups()
        for folder, n in _by_folder([info.path for info in older]).items():
            print(
                ngettext(
                    "{n} backup made before the change, in {folder}, still opens with the "
                    "old passphrase and recovery key.",
                    "{n} backups made before the change, in {folder}, still open with the "
                    "old passphrase and recovery key.",
                    n,
                ).format(n=n, folder=folder)
            )
        if not older:
            return 0
        if choice == "keep":
            print(
                _(
                    "They were kept as they are. To re-encrypt them for the new secrets "
                    "or delete them later: counsellor-app older-backups {path} --reencrypt "
                    "(or --delete)."
                ).format(path=path)
            )
            return 0
        if choice == "delete":
            notebook.delete_backups(older)
            for folder, n in _by_folder([info.path for info in older]).items():
                print(
                    ngettext(
                        "{n} backup in {folder} was deleted.",
                        "{n} backups in {folder} were deleted.",
                        n,
                    ).format(n=n, folder=folder)
                )
            return 0
        refused = notebook.reencrypt_backups(older, slot, read_old_secret())
    done = [info.path for info in older if info.path not in refused]
    for folder, n in _by_folder(done).items():
        print(
            ngettext(
                "{n} backup in {folder} was re-encrypted; it opens with the new passphrase "
                "and recovery key only.",
                "{n} backups in {folder} were re-encrypted; they open with the new passphrase "
                "and recovery key only.",
                n,
            ).format(n=n, folder=folder)
        )
    if refused:
        print(
            ngettext(
                "{n} backup does not open with this passphrase (it is from before an "
                "earlier change) and was left as it was.",
                "{n} backups do not open with this passphrase (they are from before an "
                "earlier change) and were left as they were.",
                len(refused),
            ).format(n=len(refused))
        )
    return len(refused)


def _add_older_backups_option(parser: argparse.ArgumentParser) -> None:
    """``--older-backups``, for the commands that change a notebook's secrets."""
    parser.add_argument(
        "--older-backups",
        choices=OLDER_BACKUPS_CHOICES,
        default="keep",
        help=_(
            "what to do with backups made before the change, which still open with the old "
            "secrets: re-encrypt them for the new ones, delete them, or keep them (default)"
        ),
    )


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from counsellor_app.core.keys import PASSPHRASE_SLOT, RECOVERY_SLOT
    from counsellor_app.core.rekey import change_passphrase, reset_passphrase

    made = None
    if args.recovery:
        secret, slot = _read_secret(_("Recovery key: ")), RECOVERY_SLOT
        new = _read_new_secret(_("New passphrase: "))
        reset_passphrase(args.path, secret, new)
    else:
        secret, slot = _read_secret(_("Current passphrase: ")), PASSPHRASE_SLOT
        new = _read_new_secret(_("New passphrase: "))
        made = change_passphrase(args.path, secret, new)
    print(_("The passphrase was changed."))
    if made:  # an old key file was upgraded: it needed a new recovery key
        print(_("A new recovery key was made; the old one no longer opens the notebook."))
        _print_recovery_key(made)
    _settle_older_backups(args.path, new, args.older_backups, slot, lambda: secret)
    return 0


def cmd_new_recovery_key(args: argparse.Namespace) -> int:
    from counsellor_app.core.keys import PASSPHRASE_SLOT
    from counsellor_app.core.rekey import replace_recovery_key

    passphrase = _read_secret(_("Passphrase: "))
    made = replace_recovery_key(args.path, passphrase)
    try:
        # Before the key: scripts read the recovery key from the last line.
        _settle_older_backups(
            args.path, passphrase, args.older_backups, PASSPHRASE_SLOT, lambda: passphrase
        )
    finally:  # the new key is printed whatever became of the backups: it is needed
        print(_("A new recovery key was made; the old one no longer opens the notebook."))
        _print_recovery_key(made)
    return 0


def cmd_older_backups(args: argparse.Namespace) -> int:
    from counsellor_app.core.keys import PASSPHRASE_SLOT, RECOVERY_SLOT

    choice = "reencrypt" if args.reencrypt else "delete" if args.delete else "keep"
    slot = RECOVERY_SLOT if args.recovery else PASSPHRASE_SLOT
    prompt = (
        _("Recovery key before the change: ")
        if args.recovery
        else _("Passphrase before the change: ")
    )
    refused = _settle_older_backups(
        args.path, _read_secret(_("Passphrase: ")), choice, slot, lambda: _read_secret(prompt)
    )
    # The secret typed did not open every backup asked for: a script must not take the
    # re-encryption as done.
    return 1 if refused else 0


def cmd_purge(args: argparse.Namespace) -> int:
    with _open(args.path) as notebook:
        count = notebook.purge()
        months = notebook.retention_months
        unreached = notebook.unreached_backup_folders
    older = ngettext("{count} month", "{count} months", months).format(count=months)
    print(
        ngettext(
            "{n} closed case older than {months} lost its free text.",
            "{n} closed cases older than {months} lost their free text.",
            count,
        ).format(n=count, months=older)
    )
    for folder in unreached:
        print(
            _(
                "The backup folder {folder} could not be reached; its backups may still "
                "hold the removed text. Connect it and purge again."
            ).format(folder=folder)
        )
    return 0


#: The most ``deidentify`` reads at a time. A long text is scanned by worker processes
#: (``core/anonymity/large.py``: on Linux from 10 MB; where workers are spawned, on
#: Windows and macOS, the frozen app too, from 32 MB); the engine takes about half a CPU second
#: per MB and five to seven times the text in memory, all processes counted
#: (benchmarks/bench_deidentify.py --large), so a bigger input is refused with a
#: sentence rather than left to run for minutes or to fill the memory.
MAX_DEIDENTIFY_BYTES = 64 * 1024 * 1024


def _too_large() -> UserError:
    return UserError(
        _(
            "The text is larger than {limit} MB, the most deidentify takes at a time. "
            "Split it into smaller parts, for example one file per note."
        ).format(limit=MAX_DEIDENTIFY_BYTES // (1024 * 1024))
    )


#: How ``deidentify`` starts its worker processes where this is set: "spawn" or "fork"
#: (otherwise forked on Linux, spawned elsewhere). For the tests and
#: ``packaging/check_bundle_workers.py``, which prove on Linux the spawned workers that
#: Windows and macOS use; any other value is ignored (and logged).
START_METHOD_ENV = "COUNSELLOR_APP_START_METHOD"


def start_method_asked() -> str | None:
    """The start method :data:`START_METHOD_ENV` asks for, or None (the default)."""
    import multiprocessing

    asked = os.environ.get(START_METHOD_ENV)
    if not asked:
        return None
    if asked in ("fork", "spawn") and asked in multiprocessing.get_all_start_methods():
        return asked
    log.warning("%s=%r is no start method here; the default is used", START_METHOD_ENV, asked)
    return None


def cmd_deidentify(args: argparse.Namespace) -> int:
    # (the same result as deidentify; a long text in worker processes)
    from counsellor_app.core.anonymity.large import deidentify_large

    if args.file:
        try:
            with Path(args.file).open("rb") as handle:
                data = handle.read(MAX_DEIDENTIFY_BYTES + 1)
            if len(data) > MAX_DEIDENTIFY_BYTES:
                raise _too_large()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(
                _("{path} could not be read as UTF-8 text.").format(path=args.file)
            ) from error
    else:
        data = sys.stdin.buffer.read(MAX_DEIDENTIFY_BYTES + 1)
        if len(data) > MAX_DEIDENTIFY_BYTES:
            raise _too_large()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UserError(_("The input could not be read as UTF-8 text.")) from error
    # As a file opened as text reads it: line ends as "\n" (offsets refer to this text).
    del data  # (a text of 64 MB: its bytes need not stay beside it)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = deidentify_large(text, start_method=start_method_asked())
    if args.json:
        findings = [{"start": f.start, "end": f.end, "kind": str(f.kind)} for f in result.findings]
        json.dump({"text": result.text, "findings": findings}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(result.text)
    return 0


def _day(text: str) -> date:
    """A day as given on the command line (YYYY-MM-DD)."""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a day: {text} (write it as YYYY-MM-DD)").format(text=text)
        ) from None


def add_period_arguments(p: argparse.ArgumentParser) -> None:
    """``--from DAY``, ``--to DAY`` and ``--counsellor ID``: the period and counsellor of
    the supervisor's views (the report, ``counsellors`` and ``concerns``)."""
    p.add_argument("--from", dest="period_from", type=_day, default=None, metavar="DAY")
    p.add_argument("--to", dest="period_to", type=_day, default=None, metavar="DAY")
    p.add_argument(
        "--counsellor",
        default=None,
        metavar="ID",
        help=_("only this counsellor's cases (the pseudonymous id, C-...)"),
    )


def cmd_public_key(args: argparse.Namespace) -> int:
    from counsellor_app.core.exchange import (
        PUBLIC_KEY_SUFFIX,
        ensure_key_pair,
        write_public_key_file,
    )

    with _open(args.path) as notebook:
        key = ensure_key_pair(notebook)
        # A supervisor's key goes to counsellors; any other notebook's to students (it
        # acts as a mentor), unless --for says otherwise.
        students = (args.audience or "") == "students" or (
            args.audience is None and notebook.role is not Role.SUPERVISOR
        )
    out = args.out or Path(args.path).with_suffix(PUBLIC_KEY_SUFFIX)
    if students:
        write_public_key_file(
            key, out, _("Public key of a Counsellor's Notebook; give it to students.")
        )
        said = _("The public key was written to {path}; give that file to your students.")
    else:
        write_public_key_file(key, out)
        said = _("The public key was written to {path}; give that file to the counsellors.")
    print(key)
    print(said.format(path=out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from counsellor_app.core.exchange import export_bundle, load_recipient, replacements_text

    recipient = load_recipient(args.to)  # a bad key file fails before the passphrase prompt
    with _open(args.path) as notebook:
        result = export_bundle(notebook, recipient, args.out, args.since)
    print(_("Bundle written: {path}").format(path=result.path))
    print(
        _("Cases: {cases}; conversations: {conversations}.").format(
            cases=result.case_count, conversations=result.conversation_count
        )
    )
    print(_("Identifiers replaced: {list}").format(list=replacements_text(result.replacements)))
    return 0


class _FileResult(Protocol):
    @property
    def path(self) -> Path: ...
    @property
    def status(self) -> str: ...
    @property
    def error(self) -> Exception | None: ...


_Result = TypeVar("_Result", bound=_FileResult)


def _print_import_report(
    results: Sequence[_Result], imported: Callable[[_Result, str], str]
) -> int:
    """A line per file of an import (``imported`` words one that was imported, given its
    name); a refused one's error goes to stderr. Returns the exit code."""
    from counsellor_app.core.exchange.common import ImportStatus

    refused = False
    for result in results:
        name = result.path.name
        if result.status == ImportStatus.IMPORTED:
            print(imported(result, name))
        elif result.status == ImportStatus.ALREADY_IMPORTED:
            print(_("{name}: already imported; nothing was added.").format(name=name))
        else:
            refused = True
            print(f"counsellor-app: {result.error}", file=sys.stderr)
    return EXIT_USER_ERROR if refused else 0


def cmd_import(args: argparse.Namespace) -> int:
    from counsellor_app.core.supervision import BundleImport, import_bundles

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() and total > 1:
            sys.stderr.write(f"\r{done}/{total}" + ("\n" if done == total else ""))
            sys.stderr.flush()

    def imported(result: BundleImport, _name: str) -> str:
        return result.sentence()

    with _open(args.path) as notebook:
        report = import_bundles(notebook, args.files, progress=progress, accept_new=args.accept_new)
    return _print_import_report(report.results, imported)


def cmd_key_card(args: argparse.Namespace) -> int:
    from counsellor_app.core.exchange import own_key_card
    from counsellor_app.core.exchange.signing import KEY_CARD_SUFFIX
    from counsellor_app.core.safefile import atomic_write_bytes

    with _open(args.path) as notebook:
        text = own_key_card(notebook)
    out = args.out or Path(args.path).with_suffix(KEY_CARD_SUFFIX)
    atomic_write_bytes(out, text.encode("utf-8"))
    print(text, end="")
    print(_("The key card was written to {path}; give it to your supervisor.").format(path=out))
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    from counsellor_app.core.exchange.signing import read_key_card
    from counsellor_app.core.supervision import enrol_key_card

    card = read_key_card(args.card)  # a bad card fails before the passphrase prompt
    with _open(args.path) as notebook:
        counsellor = enrol_key_card(notebook, card)
    print(
        _("Counsellor {counsellor} is enrolled with the key {fingerprint}.").format(
            counsellor=counsellor, fingerprint=card.fingerprint
        )
    )
    return 0


def cmd_imports(args: argparse.Namespace) -> int:
    from counsellor_app.core.supervision import imported_bundles

    with _open(args.path) as notebook:
        history = imported_bundles(notebook)
    if not history:
        print(_("No bundle has been imported."))
    for info in history:
        line = _(
            "{imported_at}  {file}  counsellor {counsellor}  key {fingerprint}  counter "
            "{sequence}  made {day}  {added} added, {updated} updated  (bundle {bundle})"
        ).format(
            imported_at=info.imported_at[:16].replace("T", " "),
            file=info.file_name,
            counsellor=info.counsellor_id,
            fingerprint=info.fingerprint or "-",
            sequence=info.sequence,
            day=info.created_on.isoformat(),
            added=info.cases_added,
            updated=info.cases_updated,
            bundle=info.bundle_id,
        )
        if info.withdrawn_at:
            line += "  " + _("withdrawn {when}").format(
                when=info.withdrawn_at[:16].replace("T", " ")
            )
        print(line)
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    from counsellor_app.core.supervision import withdraw_bundle, withdraw_counsellor

    with _open(args.path) as notebook:
        try:
            if args.bundle:
                withdrawal = withdraw_bundle(notebook, args.bundle)
            else:
                withdrawal = withdraw_counsellor(notebook, args.counsellor)
        except KeyError:
            raise UserError(
                _("Nothing was withdrawn: {what} is not in the import history.").format(
                    what=args.bundle or args.counsellor
                )
            ) from None
    print(withdrawal.sentence())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from counsellor_app.core.reports import write_period_report

    with _open(args.path) as notebook:
        path = write_period_report(
            notebook,
            args.out,
            period_from=args.period_from,
            period_to=args.period_to,
            counsellor=args.counsellor,
        )
    print(_("Period report written: {path}").format(path=path))
    return 0


def cmd_case_summary(args: argparse.Namespace) -> int:
    from counsellor_app.core.reports import (
        find_case,
        write_case_summary,
        write_imported_case_summary,
    )

    with _open(args.path) as notebook:
        target = find_case(notebook, args.case)
        if target.kind == "own":
            path = write_case_summary(notebook, target.id, args.out)
        else:
            path = write_imported_case_summary(notebook, target.id, args.out)
    print(_("Case summary written: {path}").format(path=path))
    return 0


def _theme_id(text: str) -> str:
    """A theme as given on the command line: its id or its label (either language), or
    ``unknown`` for themes this version's list does not know."""
    from counsellor_app.core.received_cases import UNKNOWN
    from counsellor_app.core.taxonomy import taxonomy

    wanted = text.strip().casefold()
    if wanted == UNKNOWN:
        return UNKNOWN
    for term in taxonomy().themes:
        if wanted in (term.id.casefold(), term.da.casefold(), term.en.casefold()):
            return term.id
    raise argparse.ArgumentTypeError(_("not a theme: {text}").format(text=text))


def cmd_cases(args: argparse.Namespace) -> int:
    import csv

    from counsellor_app.core.exchange.format import FollowUpOutcome
    from counsellor_app.core.received_cases import (
        CaseFilter,
        CaseRow,
        Movement,
        received_cases,
    )
    from counsellor_app.core.taxonomy import taxonomy

    case_filter = CaseFilter(
        counsellor=args.counsellor,
        period_from=args.period_from,
        period_to=args.period_to,
        theme=args.theme,
        age_band=args.age_band,
        level=WellbeingLevel(args.level) if args.level else None,
        movement=Movement(args.movement) if args.movement else None,
        follow_up=FollowUpOutcome.MISSED if args.missed_follow_ups else None,
        concern=ConcernSigns(args.concern) if args.concern else None,
        decision=ConcernDecision(args.decision) if args.decision else None,
    )
    rows: list[CaseRow] = []
    with _open(args.path) as notebook:
        # Page by page (each a quick query), up to --limit.
        after = None
        while args.limit is None or len(rows) < args.limit:
            wanted = 1000 if args.limit is None else min(1000, args.limit - len(rows))
            page = received_cases(notebook, case_filter, limit=wanted, after=after)
            rows += page
            if len(page) < wanted:
                break
            after = page[-1].cursor

    def day(value: date | None) -> str:
        return value.isoformat() if value else ""

    def codes(row: CaseRow) -> dict[str, object]:
        return {
            "ref": row.ref,
            "counsellor": row.counsellor_id,
            "counsellor_label": row.counsellor_label,
            "status": row.status.value,
            "age_band": row.age_band.value if row.age_band else "",
            "themes": list(row.themes),
            "first_contact": day(row.first_day),
            "latest_contact": day(row.latest_day),
            "contacts": row.contacts,
            "latest_level": row.latest_level.value if row.latest_level else "",
            "missed_follow_ups": row.missed_follow_ups,
            "concern_signs": row.concern.value if row.concern else "",
            "concern_decision": row.decision.value if row.decision else "",
        }

    if args.format == "json":
        json.dump([codes(row) for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(list(codes(rows[0]) if rows else _CASE_COLUMNS))
        for row in rows:
            writer.writerow(
                [";".join(v) if isinstance(v, list) else v for v in codes(row).values()]
            )
    else:
        tax = taxonomy()
        for row in rows:
            themes = ", ".join(tax.label("themes", theme) for theme in row.themes)
            level = label(row.latest_level) if row.latest_level else "-"
            concern = label(row.concern) if row.concern else "-"
            print(
                f"{row.ref}\t{row.counsellor}\t{day(row.latest_day) or '-'}\t{row.contacts}"
                f"\t{level}\t{row.missed_follow_ups}\t{concern}\t{themes}"
            )
    if not rows:
        # On stderr: the output stays one line per case (none) for scripts.
        print(_("No case matched."), file=sys.stderr)
    return 0


_CASE_COLUMNS = (
    "ref",
    "counsellor",
    "counsellor_label",
    "status",
    "age_band",
    "themes",
    "first_contact",
    "latest_contact",
    "contacts",
    "latest_level",
    "missed_follow_ups",
    "concern_signs",
    "concern_decision",
)


def _cases_text(count: int) -> str:
    return ngettext("{count} case", "{count} cases", count).format(count=count)


def cmd_research_export(args: argparse.Namespace) -> int:
    from counsellor_app.core.research import CASES_FILE, DATA_FILE, research_export

    if args.k < RESEARCH_MIN_K:
        raise UserError(
            _("k must be at least {k}, as in the window. Nothing was written.").format(
                k=RESEARCH_MIN_K
            )
        )
    with _open(args.path) as notebook:
        result = research_export(
            notebook,
            args.out,
            k=args.k,
            l_diversity=args.l_diversity,
            delimiter="," if args.comma else ";",
        )
    rows = ngettext(
        "{rows} of {count} conversation", "{rows} of {count} conversations", result.conversations
    ).format(rows=result.rows, count=result.conversations)
    print(
        _("Research export written to {folder}: {rows} ({cases}, {counsellors}).").format(
            folder=result.folder,
            rows=rows,
            cases=_cases_text(result.cases),
            counsellors=ngettext(
                "{count} counsellor", "{count} counsellors", result.counsellors
            ).format(count=result.counsellors),
        )
    )
    print(_("k-anonymity with k = {k}:").format(k=result.k))
    for file, steps in ((CASES_FILE, result.case_steps), (DATA_FILE, result.steps)):
        print("  " + file)
        for step in steps:
            step_rows = ngettext("{count} row", "{count} rows", step.rows).format(count=step.rows)
            print(
                "    "
                + _("{step}: {rows} ({cases})").format(
                    step=step.description, rows=step_rows, cases=_cases_text(step.cases)
                )
            )
    return 0


def cmd_review_export(args: argparse.Namespace) -> int:
    from counsellor_app.core.domain import normalise_case_code
    from counsellor_app.core.exchange import replacements_text
    from counsellor_app.core.exchange.common import KeyHolder, read_public_key
    from counsellor_app.core.mentoring import export_case_for_review, review_contents_text

    # a bad key file fails before the passphrase prompt, saying to ask the mentor
    recipient = read_public_key(args.to, KeyHolder.MENTOR)
    with _open(args.path) as notebook:
        case = notebook.case_by_code(normalise_case_code(args.case_code))
        if case is None or case.id is None:
            raise UserError(
                _("There is no case {code} in this notebook.").format(code=args.case_code)
            )
        result = export_case_for_review(
            notebook,
            case.id,
            recipient,
            args.out,
            student=args.initials,
            include_reflections=not args.no_reflections,
        )
    print(_("Case for review written: {path}").format(path=result.path))
    contents = review_contents_text(
        result.conversation_count, result.comment_count, result.reflection_count
    )
    print(
        _("Your mentor will see it as {ref}: {contents}.").format(
            ref=result.review_ref, contents=contents
        )
    )
    print(_("Identifiers replaced: {list}").format(list=replacements_text(result.replacements)))
    return 0


def cmd_review_import(args: argparse.Namespace) -> int:
    from counsellor_app.core.mentoring import ReviewFileImport, import_review_files

    def imported(result: ReviewFileImport, _name: str) -> str:
        return result.sentence()

    accepted = frozenset(key.strip().upper() for key in args.accept_key)
    with _open(args.path) as notebook:
        report = import_review_files(notebook, args.files, accept_keys=accepted)
    return _print_import_report(report.results, imported)


def cmd_comments_export(args: argparse.Namespace) -> int:
    from counsellor_app.core.exchange.common import KeyHolder, read_public_key
    from counsellor_app.core.mentoring import (
        comments_text,
        export_comments,
        find_received,
        sign_offs_text,
    )

    recipient = read_public_key(args.to, KeyHolder.STUDENT) if args.to else None
    with _open(args.path) as notebook:
        review_case_id = find_received(notebook, args.review_ref)
        result = export_comments(notebook, review_case_id, args.out, recipient)
    print(_("Comments written: {path}").format(path=result.path))
    print(
        _("{ref}: {comments} and {sign_offs}, encrypted to the student's key {key}.").format(
            ref=result.review_ref,
            comments=comments_text(result.comment_count),
            sign_offs=sign_offs_text(result.sign_off_count),
            key=f"{result.recipient[:10]}…{result.recipient[-6:]}",
        )
    )
    return 0


def cmd_review_list(args: argparse.Namespace) -> int:
    from counsellor_app.core.domain import Step
    from counsellor_app.core.mentoring import (
        is_mentor,
        learning_overview,
        open_comments,
        received_cases,
    )

    with _open(args.path) as notebook:
        if is_mentor(notebook.role):
            for case in received_cases(notebook):
                signed = case.last_sign_off.isoformat() if case.last_sign_off else "–"
                if case.sign_off_outdated:
                    signed = _("{day} (outdated)").format(day=signed)
                print(
                    f"{case.ref}\t{case.student or case.student_id}\t"
                    f"{case.sent_at.astimezone().date().isoformat()}\t"
                    + ngettext(
                        "{open} of {total} comment open",
                        "{open} of {total} comments open",
                        case.comments,
                    ).format(open=case.comments_open, total=case.comments)
                    + "\t"
                    + _("signed off: {day}").format(day=signed)
                )
            return 0
        overview = learning_overview(notebook)
        todo = open_comments(notebook)
    print(
        _(
            "Cases reviewed: {reviewed} of {cases}; comments open: {open}, answered: "
            "{answered}, resolved: {resolved}."
        ).format(
            reviewed=overview.cases_reviewed,
            cases=overview.cases,
            open=overview.comments_open,
            answered=overview.comments_answered,
            resolved=overview.comments_resolved,
        )
    )
    for _case_id, code, record in overview.outdated:
        print(
            _("{code}: signed off on {day} by {mentor}; the case has changed since.").format(
                code=code, day=record.day.isoformat(), mentor=record.mentor
            )
        )
    for item in todo:
        comment = item.comment
        where = _("contact {number}").format(number=comment.conversation_number)
        if comment.step is not None:
            where += f" · {label(Step(comment.step))}"
        text = " ".join(comment.text.split())
        print(f"{item.case_code}\t{where}\t{comment.author}: {text}")
    return 0


def cmd_review_rubric(args: argparse.Namespace) -> int:
    """The mentor's rubric, one line per step rated: a student's over time (date, case,
    contact, step, level, note); a mentor's per case received (reference, contact, ...)."""
    from counsellor_app.core.mentoring import (
        find_received,
        is_mentor,
        level_label,
        received_cases,
        rubric,
        rubric_over_time,
    )

    with _open(args.path) as notebook:
        if is_mentor(notebook.role):
            wanted = find_received(notebook, args.review_ref) if args.review_ref else None
            for case in received_cases(notebook):
                if wanted is not None and case.id != wanted:
                    continue
                for rating in rubric(notebook, case.subject):
                    if rating.level is not None:
                        print(
                            f"{case.ref}\t{rating.conversation_number}\t{label(rating.step)}\t"
                            f"{level_label(rating.level)}\t{rating.note}"
                        )
            return 0
        for row in rubric_over_time(notebook):
            for step, rating in row.ratings.items():
                if rating.level is not None:
                    print(
                        f"{row.day.isoformat()}\t{row.case_code}\t{row.conversation_number}\t"
                        f"{label(step)}\t{level_label(rating.level)}\t{rating.note}"
                    )
    return 0


#: argparse's own words (headings, the help of -h, its error sentences). argparse takes
#: them from its gettext domain, for which there is no Danish catalog; these are
#: translated with the app's catalog instead, while the command line is parsed.
_ARGPARSE_WORDS: frozenset[str] = frozenset(
    {
        N_("usage: "),
        N_("positional arguments"),
        N_("options"),
        N_("show this help message and exit"),
        N_("%(prog)s: error: %(message)s\n"),
        N_("argument %(argument_name)s: %(message)s"),
        N_("the following arguments are required: %s"),
        N_("unrecognized arguments: %s"),
        N_("invalid choice: %(value)r (choose from %(choices)s)"),
        N_("invalid %(type)s value: %(value)r"),
        N_("expected one argument"),
        N_("expected at most one argument"),
        N_("expected at least one argument"),
        N_("ambiguous option: %(option)s could match %(matches)s"),
        N_("ignored explicit argument %r"),
    }
)


def _argparse_gettext(message: str) -> str:
    return _(message) if message in _ARGPARSE_WORDS else gettext.gettext(message)


@contextlib.contextmanager
def _argparse_in_our_language() -> Iterator[None]:
    """argparse speaks the app's language meanwhile (it looks up ``argparse._`` each
    time it words something); put back afterwards, for any other parser."""
    saved = vars(argparse)["_"]
    vars(argparse)["_"] = _argparse_gettext
    try:
        yield
    finally:
        vars(argparse)["_"] = saved


def _language_asked(argv: Sequence[str]) -> str | None:
    """The language asked for, known before the parser is built so that its help is in
    that language: ``--lang`` on the command line, else :data:`LANGUAGE_ENV`."""
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.partition("=")[2]
    return os.environ.get(LANGUAGE_ENV) or None


#: The options that open the window, with the ones taking a value.
_WINDOW_FLAGS = frozenset({"--demo", "--self-test"})
_WINDOW_OPTIONS = ("--notebook", "--lang")


def _asks_for_the_window(words: Sequence[str]) -> bool:
    """Whether ``words`` are only options of the window (no subcommand, no help): then
    the parser needs no subcommands, whose 160 arguments took a tenth of the time to the
    unlock window. Anything else (a subcommand, -h, an abbreviation) gets the full one."""
    rest = iter(words)
    for word in rest:
        if word in _WINDOW_OPTIONS:
            if next(rest, None) is None:
                return False
        elif word not in _WINDOW_FLAGS and not word.startswith(
            tuple(f"{option}=" for option in _WINDOW_OPTIONS)
        ):
            return False
    return True


class _NotForTheWindow(Exception):
    """The window's parser refused the words: the full parser words the error."""


def parse_words(words: Sequence[str]) -> argparse.Namespace:
    """The command line parsed: by the top-level options alone when they only open the
    window, else (and for every error message, usage and all) by the full parser."""
    if _asks_for_the_window(words):
        parser = build_parser(commands=False)

        def refuse(message: str) -> NoReturn:
            raise _NotForTheWindow(message)

        parser.error = refuse  # type: ignore[method-assign]
        try:
            return parser.parse_args(words)
        except _NotForTheWindow:
            pass
    return build_parser().parse_args(words)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    """The parser of the command line; without its subcommands when ``commands`` is
    false (``command`` is then None)."""
    parser = argparse.ArgumentParser(
        prog="counsellor-app",
        description=_("Counsellor's Notebook: encrypted case notes for parent counsellors."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"counsellor-app {__version__}",
        help=_("show the program's version number and exit"),
    )
    parser.add_argument(
        "--lang",
        choices=["da", "en"],
        help=_("language (default: {variable} if set, else Danish)").format(variable=LANGUAGE_ENV),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open the window on a demo notebook (made on first use; passphrase shown)"),
    )
    parser.add_argument("--notebook", type=Path, help=_("open the window on this notebook"))
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check this installation in a temporary folder (offscreen) and exit"),
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help=_("create an empty notebook"))
    p.add_argument("path", type=Path)
    p.add_argument("--role", choices=[r.value for r in Role], default=Role.COUNSELLOR.value)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help=_("create a notebook filled with synthetic cases"))
    p.add_argument("path", type=Path)
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--seed", type=int, default=None)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("search", help=_("print the cases matching words or a case code"))
    p.add_argument("path", type=Path)
    p.add_argument("query", nargs="*")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("backup", help=_("write a verified encrypted backup"))
    p.add_argument("path", type=Path)
    p.add_argument("--folder", type=Path, default=None)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help=_("put a backup in place of the notebook"))
    p.add_argument("path", type=Path)
    p.add_argument("backup", type=Path)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("change-passphrase", help=_("set a new passphrase"))
    p.add_argument("path", type=Path)
    p.add_argument(
        "--recovery", action="store_true", help=_("use the recovery key instead of the passphrase")
    )
    _add_older_backups_option(p)
    p.set_defaults(func=cmd_change_passphrase)

    p = sub.add_parser(
        "new-recovery-key", help=_("make a new recovery key (the old one stops working)")
    )
    p.add_argument("path", type=Path)
    _add_older_backups_option(p)
    p.set_defaults(func=cmd_new_recovery_key)

    p = sub.add_parser(
        "older-backups",
        help=_("list, re-encrypt or delete the backups made before a change of secrets"),
    )
    p.add_argument("path", type=Path)
    choice = p.add_mutually_exclusive_group()
    choice.add_argument(
        "--reencrypt",
        action="store_true",
        help=_("re-encrypt them for the current secrets (asks for the old passphrase)"),
    )
    choice.add_argument("--delete", action="store_true", help=_("delete them"))
    p.add_argument(
        "--recovery",
        action="store_true",
        help=_("unlock them with the old recovery key instead of the old passphrase"),
    )
    p.set_defaults(func=cmd_older_backups)

    p = sub.add_parser("purge", help=_("apply the retention period to closed cases"))
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("deidentify", help=_("replace identifiers in text with placeholders"))
    p.add_argument("file", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deidentify)

    p = sub.add_parser(
        "public-key",
        help=_("print a supervisor's or mentor's public key and write it to a .pub file"),
    )
    p.add_argument("path", type=Path)
    p.add_argument(
        "--out", type=Path, default=None, help=_("the .pub file (default: beside the notebook)")
    )
    p.add_argument(
        "--for",
        dest="audience",
        choices=("counsellors", "students"),
        default=None,
        help=_(
            "whom the key file is for (default: counsellors for a supervisor's notebook, "
            "students for a mentor's)"
        ),
    )
    p.set_defaults(func=cmd_public_key)

    p = sub.add_parser(
        "export", help=_("write a de-identified, encrypted summary bundle for a supervisor")
    )
    p.add_argument("path", type=Path)
    p.add_argument(
        "--to",
        required=True,
        metavar="KEY_FILE",
        help=_("the supervisor's public key file (or the key itself, age1...)"),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--since",
        type=_day,
        default=None,
        metavar="DATE",
        help=_("cases changed on or after this day (default: since the last export)"),
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help=_("import summary bundles into a supervisor's notebook"))
    p.add_argument("path", type=Path)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--accept-new",
        action="store_true",
        help=_(
            "enrol the key of a counsellor not yet enrolled (compare its fingerprint with "
            "the counsellor's first)"
        ),
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("key-card", help=_("write this notebook's key card for the supervisor"))
    p.add_argument("path", type=Path)
    p.add_argument("--out", type=Path, default=None, metavar="FILE")
    p.set_defaults(func=cmd_key_card)

    p = sub.add_parser("enrol", help=_("enrol a counsellor's key card in a supervisor's notebook"))
    p.add_argument("path", type=Path)
    p.add_argument("card", type=Path, metavar="KEY_CARD")
    p.set_defaults(func=cmd_enrol)

    p = sub.add_parser("imports", help=_("list the bundles imported into a supervisor's notebook"))
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_imports)

    p = sub.add_parser(
        "withdraw", help=_("withdraw an imported bundle, or all of one counsellor's data")
    )
    p.add_argument("path", type=Path)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--bundle", metavar="ID")
    which.add_argument("--counsellor", metavar="ID")
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser(
        "report", help=_("write the supervisor's period report (PDF) of the imported cases")
    )
    p.add_argument("path", type=Path)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    add_period_arguments(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "cases", help=_("list the imported cases of a supervisor's notebook, newest contact first")
    )
    p.add_argument("path", type=Path)
    p.add_argument("--counsellor", default=None, metavar="ID")
    p.add_argument("--from", dest="period_from", type=_day, default=None, metavar="DAY")
    p.add_argument("--to", dest="period_to", type=_day, default=None, metavar="DAY")
    p.add_argument("--theme", type=_theme_id, default=None)
    p.add_argument("--age-band", choices=[*(b.value for b in AgeBand), "unknown"])
    p.add_argument("--level", choices=[level.value for level in WellbeingLevel])
    p.add_argument("--movement", choices=["improved", "same", "worse"])
    p.add_argument("--missed-follow-ups", action="store_true")
    p.add_argument("--concern", choices=[s.value for s in ConcernSigns])
    p.add_argument("--decision", choices=[d.value for d in ConcernDecision])
    p.add_argument("--limit", type=int, default=None, metavar="N")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")
    p.set_defaults(func=cmd_cases)

    p = sub.add_parser(
        "case-summary", help=_("write a de-identified supervision summary of one case (PDF)")
    )
    p.add_argument("path", type=Path)
    p.add_argument(
        "case",
        metavar="CASE_CODE_OR_REF",
        help=_("a case code of the notebook, or the reference of an imported case"),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_case_summary)

    p = sub.add_parser(
        "research-export",
        help=_("write the research export (CSV, codebook) of a supervisor's notebook"),
    )
    p.add_argument("path", type=Path)
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument(
        "--k",
        type=int,
        default=5,
        help=_("each combination of quasi-identifiers covers at least k cases (default 5)"),
    )
    p.add_argument(
        "--comma",
        action="store_true",
        help=_("separate fields by commas (default: semicolons, for Excel in Danish)"),
    )
    p.add_argument(
        "--no-l-diversity",
        dest="l_diversity",
        action="store_false",
        help=_(
            "keep groups in which every case shares a concern, self-harm or violence "
            "(default: generalise or leave them out)"
        ),
    )
    p.set_defaults(func=cmd_research_export)

    p = sub.add_parser(
        "review-export",
        help=_("write one case, de-identified and encrypted, for your mentor to review"),
    )
    p.add_argument("path", type=Path)
    p.add_argument("case_code", metavar="CASE_CODE")
    p.add_argument(
        "--to",
        required=True,
        metavar="KEY_FILE",
        help=_("the mentor's public key file (or the key itself, age1...)"),
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--initials",
        default=None,
        metavar="INITIALS",
        help=_("your initials or pseudonym for the mentor (remembered)"),
    )
    p.add_argument(
        "--no-reflections",
        action="store_true",
        help=_("leave your reflection log out of the file"),
    )
    p.set_defaults(func=cmd_review_export)

    p = sub.add_parser(
        "review-import",
        help=_("import cases for review (a mentor) or a mentor's comments (a student)"),
    )
    p.add_argument("path", type=Path)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--accept-key",
        action="append",
        default=[],
        metavar="FINGERPRINT",
        help=_(
            "accept a sender's new key with this fingerprint (a file signed with another key "
            "than the sender's earlier files is refused, and its fingerprint printed)"
        ),
    )
    p.set_defaults(func=cmd_review_import)

    p = sub.add_parser(
        "comments-export",
        help=_("write a mentor's comments on a case received for review, for the student"),
    )
    p.add_argument("path", type=Path)
    p.add_argument("review_ref", metavar="REVIEW_REF", help=_("the case's reference (R-...)"))
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument(
        "--to",
        default=None,
        metavar="KEY_FILE",
        help=_("the student's public key (default: the key the case for review came with)"),
    )
    p.set_defaults(func=cmd_comments_export)

    p = sub.add_parser(
        "review-list",
        help=_("a mentor: the cases received for review; a student: the comments to answer"),
    )
    p.add_argument("path", type=Path)
    p.set_defaults(func=cmd_review_list)

    p = sub.add_parser(
        "review-rubric",
        help=_(
            "the mentor's rubric, a line per step rated: a student's over time, a mentor's "
            "per case received"
        ),
    )
    p.add_argument("path", type=Path)
    p.add_argument(
        "review_ref",
        nargs="?",
        default=None,
        metavar="REVIEW_REF",
        help=_("a mentor: only this case (R-...)"),
    )
    p.set_defaults(func=cmd_review_rubric)

    from counsellor_app.cli_counsellors import add_counsellors_parser
    from counsellor_app.cli_directory import add_directory_parser

    add_counsellors_parser(sub)
    add_directory_parser(sub)
    return parser


def _check_out(args: argparse.Namespace) -> None:
    """Refuse an ``--out`` into a folder that is not there, before anything is read or
    written (else it is said as a drive gone, after the passphrase)."""
    out = getattr(args, "out", None)
    if out is not None and not Path(out).absolute().parent.is_dir():
        raise UserError(
            _("The folder {folder} does not exist. Nothing was written.").format(
                folder=Path(out).absolute().parent
            )
        )


def main(argv: Sequence[str] | None = None) -> int:
    from counsellor_app.core.hardening import harden_process
    from counsellor_app.logging_setup import setup_logging

    # First: the log file below is already made private by the umask.
    missed = harden_process()
    setup_logging()
    if missed:
        log.warning("could not turn off: %s", ", ".join(missed))
    words = list(sys.argv[1:] if argv is None else argv)
    if "directory" in words:
        from counsellor_app.cli_directory import notebook_first

        words = notebook_first(words)
    language = _language_asked(words)
    if language in LANGUAGES:
        set_language(language)
    with _argparse_in_our_language():
        args = parse_words(words)
    if args.lang:
        set_language(args.lang)
    if args.self_test:
        from counsellor_app.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from counsellor_app.gui.app import run_gui

        chosen = args.lang or (language if language in LANGUAGES else None)
        return run_gui(demo=args.demo, notebook=args.notebook, language=chosen)
    try:
        _check_out(args)
        return int(args.func(args))
    except UserError as error:
        print(f"counsellor-app: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command)
        print(
            "counsellor-app: " + _("An unexpected error occurred; details are in the log file."),
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
