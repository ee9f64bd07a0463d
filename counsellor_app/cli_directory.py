"""``counsellor-app directory PATH list|search|add|edit|delete|import|export``: the help
directory from the command line (issue 18). ``export --out FILE`` writes the supervisor's
signed file for the counsellors; ``import FILE`` reads it (or a CSV, told apart by its
first bytes). The passphrase is read as the other commands
read it (``cli._read_secret``), never from an argument."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from counsellor_app.core.errors import UserError
from counsellor_app.core.i18n import _


def _entry_line(entry: Any) -> str:
    from counsellor_app.core.directory import kind_label

    fields = [str(entry.id), entry.organisation, kind_label(entry.kind), entry.place]
    return "\t".join([*fields, entry.phone, entry.web])


def _find(entries: list[Any], wanted: str) -> Any:
    """The entry whose number (as listed) or organisation name is ``wanted``."""
    for entry in entries:
        if str(entry.id) == wanted.strip() or entry.organisation.lower() == wanted.lower():
            return entry
    raise UserError(_("There is no entry {entry} in the directory.").format(entry=wanted))


def _apply(entry: Any, args: argparse.Namespace) -> Any:
    """``entry`` with the fields given as options changed."""
    from dataclasses import replace

    from counsellor_app.core.directory import kind_from_text, themes_from_text

    changes: dict[str, Any] = {}
    for name in ("organisation", "municipality", "phone", "web", "hours", "note", "source"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.kind is not None:
        kind = kind_from_text(args.kind)
        if kind is None:
            raise UserError(_("Unknown type: {kind}.").format(kind=args.kind))
        changes["kind"] = kind
    if args.themes is not None:
        themes, unknown = themes_from_text(args.themes)
        if unknown:
            raise UserError(_("Unknown theme: {themes}.").format(themes=", ".join(unknown)))
        changes["themes"] = themes
    if args.checked_on is not None:
        changes["checked_on"] = args.checked_on
    return replace(entry, **changes)


def cmd_directory(args: argparse.Namespace) -> int:
    from counsellor_app import cli
    from counsellor_app.core import directory as d
    from counsellor_app.core.safefile import atomic_write_bytes, storage_error

    action = args.action
    data = b""
    if action == "import" and _is_signed_file(Path(args.file)):
        action = "import-signed"
    elif action == "import-csv":
        action = "import"
    if action == "export":
        _check_export(args)
    if action == "import":
        try:
            data = Path(args.file).read_bytes()
        except OSError as error:
            raise storage_error(error, Path(args.file).name) from error
    with cli._open(args.path) as notebook:
        if action == "list":
            for entry in d.entries(notebook):
                print(_entry_line(entry))
        elif action == "search":
            index = d.DirectoryIndex(d.entries(notebook))
            for entry in index.search(" ".join(args.words), municipality=args.municipality):
                print(_entry_line(entry))
        elif action == "add":
            if not args.organisation or not args.kind:
                raise UserError(_("A new entry needs --organisation and --type."))
            new = d.DirectoryEntry("", d.EntryKind.OTHER, origin=d.default_origin(notebook))
            saved = d.save_entry(notebook, _apply(new, args))
            print(_("Added: {entry}").format(entry=_entry_line(saved)))
        elif action == "edit":
            entry = _find(d.entries(notebook), args.entry)
            d.require_editable(notebook, entry)
            saved = d.save_entry(notebook, _apply(entry, args))
            print(_("Changed: {entry}").format(entry=_entry_line(saved)))
        elif action == "delete":
            entry = _find(d.entries(notebook), args.entry)
            d.require_editable(notebook, entry)
            d.delete_entry(notebook, entry.id)
            print(_("Deleted: {entry}").format(entry=entry.organisation))
        elif action == "import-signed":
            from counsellor_app.core.exchange.directory_file import import_directory

            update = import_directory(
                notebook, args.file, accept_new=args.accept_new, change_key=args.change_key
            )
            print(update.sentence())
        elif action == "export" and args.out is not None:
            from counsellor_app.core.exchange.directory_file import export_directory

            print(export_directory(notebook, args.out).sentence())
        elif action == "import":
            # In a counsellor's notebook a spreadsheet's entries are their own: only a
            # signed file from the supervisor changes the supervisor's entries.
            result = d.import_csv(notebook, data, d.default_origin(notebook))
            print(
                _("Imported: {added} new, {updated} updated.").format(
                    added=result.added, updated=result.updated
                )
            )
        elif action == "export":
            atomic_write_bytes(Path(args.file), d.export_csv(notebook))
            print(_("Directory written: {path}").format(path=args.file))
    return 0


def _is_signed_file(path: Path) -> bool:
    """Whether ``path`` is an encrypted (signed) directory file rather than a CSV."""
    from counsellor_app.core.exchange.crypto import AGE_MAGIC

    try:
        with path.open("rb") as file:
            return file.read(len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False  # the CSV reading names the file and why


def _check_export(args: argparse.Namespace) -> None:
    if (args.file is None) == (args.out is None):
        raise UserError(
            _(
                "Give either FILE.csv (for a spreadsheet) or --out FILE (signed, for the "
                "counsellors)."
            )
        )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text}").format(text=text)
        ) from error


#: The directory's actions and their other names (the notebook comes before them).
ACTIONS = ("list", "search", "add", "edit", "delete", "import", "import-csv", "export")


def notebook_first(words: list[str]) -> list[str]:
    """``directory ACTION NOTEBOOK ...`` (the order a script may well use, and the
    issue's) as ``directory NOTEBOOK ACTION ...``; any other order as it is. ``words``
    holds "directory"."""
    at = words.index("directory")
    if (
        at + 2 < len(words)
        and words[at + 1] in ACTIONS
        and words[at + 2] not in ACTIONS
        and not words[at + 2].startswith("-")
    ):
        words = [*words[: at + 1], words[at + 2], words[at + 1], *words[at + 3 :]]
    return words


def add_directory_parser(sub: Any) -> None:
    """The ``directory`` command and its actions, on the command line's subparsers."""
    text = _("the help directory: list, search, add, edit, delete, import or export (CSV)")
    p = sub.add_parser("directory", help=text, description=text)
    p.add_argument("path", type=Path)
    actions = p.add_subparsers(dest="action", required=True)

    def action(name: str, text: str, aliases: tuple[str, ...] = ()) -> Any:
        return actions.add_parser(name, help=text, description=text, aliases=list(aliases))

    action("list", _("print every entry, one a line"))
    s = action("search", _("print the entries matching words, one a line"))
    s.add_argument("words", nargs="*")
    s.add_argument("--municipality", default=None, help=_("this municipality and national"))
    for name in ("add", "edit"):
        a = action(name, _("add an entry") if name == "add" else _("change an entry"))
        if name == "edit":
            a.add_argument("entry", metavar="ENTRY", help=_("the entry's number or name"))
        a.add_argument("--organisation", default=None)
        a.add_argument("--type", dest="kind", default=None, help=_("ppr, helpline, club, ..."))
        a.add_argument("--municipality", default=None, help=_("a municipality, or national"))
        a.add_argument("--themes", default=None, help=_("theme ids separated by |"))
        a.add_argument("--phone", default=None)
        a.add_argument("--web", default=None)
        a.add_argument("--hours", default=None)
        a.add_argument("--note", default=None)
        a.add_argument("--checked-on", dest="checked_on", type=_day, default=None)
        a.add_argument("--source", default=None)
    r = action("delete", _("remove an entry"))
    r.add_argument("entry", metavar="ENTRY", help=_("the entry's number or name"))
    i = action(
        "import",
        _(
            "import a CSV (semicolon or comma, UTF-8); nothing on a bad line. A signed "
            "file from the supervisor replaces the supervisor's entries"
        ),
        aliases=("import-csv",),  # the name for it
    )
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument(
        "--accept-new",
        dest="accept_new",
        action="store_true",
        help=_(
            "accept the supervisor's key of the first signed file (compare its fingerprint "
            "with the supervisor first)"
        ),
    )
    i.add_argument(
        "--change-key",
        dest="change_key",
        default="",
        metavar="FINGERPRINT",
        help=_(
            "replace the supervisor's key by the one with this fingerprint (only when the "
            "supervisor tells you they have a new key)"
        ),
    )
    e = action(
        "export",
        _("write the directory as CSV, or with --out signed and encrypted for the counsellors"),
    )
    e.add_argument("file", type=Path, metavar="FILE.csv", nargs="?", default=None)
    e.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help=_("the signed file for every enrolled counsellor (a supervisor's notebook)"),
    )
    p.set_defaults(func=cmd_directory)
