"""``counsellor-app counsellors NOTEBOOK [--from DAY] [--to DAY] [--format text|csv|json]``
and ``counsellor-app concerns NOTEBOOK ...``: the supervisor's view per counsellor and the
table of concern signs against decisions from the command line (issue 17), for a script
or a spreadsheet. Text is for reading (in the app's language); CSV and JSON carry stable
English column names and ISO days, so that a script does not depend on the language.
The passphrase is read as the other commands read it (``cli._read_secret``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counsellor_app.core.i18n import _, ngettext

if TYPE_CHECKING:
    from counsellor_app.core.errors import UserError

#: The columns of the CSV and the keys of each JSON object, in order.
COLUMNS = (
    "counsellor_id",
    "label",
    "cases",
    "contacts",
    "follow_ups_due",
    "follow_ups_on_time",
    "follow_ups_late",
    "follow_ups_missed",
    "follow_ups_pending",
    "open_concerns",
    "last_bundle_made",
    "last_bundle_imported_at",
    "last_bundle_id",
)


def _record(item: Any) -> dict[str, Any]:
    from counsellor_app.core.exchange.format import FollowUpOutcome

    bundle = item.last_bundle
    return {
        "counsellor_id": item.counsellor_id,
        "label": item.label,
        "cases": item.cases,
        "contacts": item.contacts,
        "follow_ups_due": item.follow_ups_due,
        "follow_ups_on_time": item.follow_ups[FollowUpOutcome.ON_TIME],
        "follow_ups_late": item.follow_ups[FollowUpOutcome.LATE],
        "follow_ups_missed": item.follow_ups[FollowUpOutcome.MISSED],
        "follow_ups_pending": item.follow_ups[FollowUpOutcome.PENDING],
        "open_concerns": item.open_concerns,
        "last_bundle_made": bundle.created_on.isoformat() if bundle else None,
        "last_bundle_imported_at": bundle.imported_at if bundle else None,
        "last_bundle_id": bundle.bundle_id if bundle else None,
    }


def _line(item: Any) -> str:
    from counsellor_app.core.exchange.format import FollowUpOutcome

    bundle = item.last_bundle
    last = (
        _("last bundle made {day}").format(day=bundle.created_on.isoformat())
        if bundle
        else _("no bundle counts")
    )
    return _(
        "{name}: {cases} with {contacts}; follow-ups kept on time {kept} of {due} due; "
        "{concerns}; {last}"
    ).format(
        name=item.display_name,
        cases=ngettext("{count} case", "{count} cases", item.cases).format(count=item.cases),
        contacts=ngettext("{count} contact", "{count} contacts", item.contacts).format(
            count=item.contacts
        ),
        kept=item.follow_ups[FollowUpOutcome.ON_TIME],
        due=item.follow_ups_due,
        concerns=ngettext(
            "{count} open concern", "{count} open concerns", item.open_concerns
        ).format(count=item.open_concerns),
        last=last,
    )


def _check_period(args: argparse.Namespace) -> None:
    from counsellor_app.core.errors import UserError

    if args.period_from and args.period_to and args.period_from > args.period_to:
        raise UserError(_("The period ends before it begins. Choose a later last day."))


def _unknown_counsellor(counsellor: str) -> UserError:
    from counsellor_app.core.errors import UserError

    return UserError(
        _("No bundle from counsellor {counsellor} was imported into this notebook.").format(
            counsellor=counsellor
        )
    )


def _print_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """A header of ``columns``, then a line a row, on standard output."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    print(out.getvalue(), end="")


def cmd_counsellors(args: argparse.Namespace) -> int:
    from counsellor_app import cli
    from counsellor_app.core.oversight import counsellor_periods

    _check_period(args)
    with cli._open(args.path) as notebook:
        items = counsellor_periods(notebook, args.period_from, args.period_to, args.counsellor)
    if args.counsellor is not None and not items:
        raise _unknown_counsellor(args.counsellor)
    if args.format == "json":
        print(json.dumps([_record(item) for item in items], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        _print_csv(
            COLUMNS,
            ({k: "" if v is None else v for k, v in _record(item).items()} for item in items),
        )
    elif not items:
        print(_("No bundle has been imported."))
    else:
        for item in items:
            print(_line(item))
    return 0


#: The columns of ``concerns --format csv`` (one row per signs and decision).
CONCERN_COLUMNS = ("signs", "decision", "concerns", "without_reason", "flagged")


def cmd_concerns(args: argparse.Namespace) -> int:
    from counsellor_app import cli
    from counsellor_app.core.domain import ConcernDecision, ConcernSigns, label
    from counsellor_app.core.oversight import concern_table
    from counsellor_app.core.supervision import counsellors

    _check_period(args)
    with cli._open(args.path) as notebook:
        known = {c.counsellor_id for c in counsellors(notebook)}
        if args.counsellor is not None and args.counsellor not in known:
            raise _unknown_counsellor(args.counsellor)
        table = concern_table(notebook, args.period_from, args.period_to, args.counsellor)
    cells: list[dict[str, Any]] = [
        {
            "signs": signs.value,
            "decision": decision.value,
            "concerns": table.counts[(signs, decision)],
            "without_reason": table.without_reason[(signs, decision)],
            "flagged": table.flagged(signs, decision),
        }
        for signs in ConcernSigns
        for decision in ConcernDecision
    ]
    if args.format == "json":
        print(
            json.dumps(
                {"unexplained": table.unexplained, "cells": cells}, ensure_ascii=False, indent=2
            )
        )
    elif args.format == "csv":
        _print_csv(CONCERN_COLUMNS, cells)
    else:
        for cell in cells:
            if not cell["concerns"]:
                continue
            line = _("{signs} / {decision}: {n}").format(
                signs=label(ConcernSigns(cell["signs"])),
                decision=label(ConcernDecision(cell["decision"])),
                n=cell["concerns"],
            )
            if cell["without_reason"]:
                line += " (" + _("{n} without a reason").format(n=cell["without_reason"]) + ")"
            print(("! " if cell["flagged"] else "  ") + line)
        print(table.sentence())
    return 0


def _period_arguments(p: Any) -> None:
    from counsellor_app.cli import add_period_arguments

    p.add_argument("path", type=Path)
    add_period_arguments(p)
    p.add_argument(
        "--format",
        choices=["text", "csv", "json"],
        default="text",
        help=_("text to read (default), or csv or json for a script"),
    )


def add_counsellors_parser(sub: Any) -> None:
    """The ``counsellors`` and ``concerns`` commands, on the command line's subparsers."""

    text = _(
        "per counsellor: cases and contacts in the period, follow-ups kept, open concerns, "
        "the last bundle received"
    )
    p = sub.add_parser("counsellors", help=text, description=text)
    _period_arguments(p)
    p.set_defaults(func=cmd_counsellors)

    text = _(
        "concern signs against decisions in the period; those with signs of serious risk, "
        "no notification and no reason are marked with !"
    )
    p = sub.add_parser("concerns", help=text, description=text)
    _period_arguments(p)
    p.set_defaults(func=cmd_concerns)
