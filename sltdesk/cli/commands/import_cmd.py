"""`sltdesk import KIND FILE -w W ...`: one parser, one handler per kind (filled by feature modules)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option

# kind -> handler(args) -> exit code; feature command modules add theirs in their register().
HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {}

KINDS_HELP = ("contracts | tickets | ticket-events | outages | samples | vendor-report | credit-notes | "
              "maintenance | questionnaire")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="import a file into the workspace (all-or-nothing, audited)",
        description="Import a spreadsheet (XLSX, XLSM, ODS, CSV) or calendar (.ics) into the workspace. "
                    "The whole file goes in, or nothing does; every problem is reported with its sheet, "
                    f"row and column. KIND is one of: {KINDS_HELP}.")
    p.add_argument("kind", metavar="KIND", help=KINDS_HELP)
    p.add_argument("file", metavar="FILE", help="the file to import")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--contract", help="contract reference the records belong to (e.g. NW-2025-014)")
    p.add_argument("--supplier", help="supplier name (questionnaires)")
    p.add_argument("--sheet", action=_SheetAction, default=None,
                   help="sheet name (default: the first sheet with data); a questionnaire takes several "
                        "(--sheet A --sheet B) and reads them into one template")
    p.add_argument("--header-row", type=int, help="1-based row of the column headers (default: detected)")
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="map a field to a column header or letter; repeatable")
    p.add_argument("--value", action="append", default=[], metavar="FIELD:LABEL=VALUE",
                   help="map an enumeration label, e.g. priority:Sev 2=P2 or planned:ja=true; repeatable")
    p.add_argument("--null", action="append", default=[], metavar="TEXT",
                   help="read cells holding TEXT as empty, besides the usual ?, NULL, N/A, -, —, (blank), None; "
                        "repeatable, and kept in the profile")
    p.add_argument("--profile", help="use (and update) this saved column-mapping profile")
    p.add_argument("--preset", metavar="NAME", help="read the file as this tool's export (see `sltdesk presets "
                   "list`); by default the preset whose header fingerprint the file holds is used, `none` uses none")
    p.add_argument("--timezone", help="IANA zone of times without one (default: the contract's calendar)")
    p.add_argument("--dayfirst", action=argparse.BooleanOptionalAction, default=None,
                   help="text dates are day-first (31/03/2026) or, with --no-dayfirst, month-first")
    p.add_argument("--period", help="the period the file covers (2026-03, 2026-Q1, 2026, or a span "
                                    "2025-05..2026-10): rows outside it are flagged, and it is what the import "
                                    "covers (a month without data in it is measured as without data)")
    p.add_argument("--dry-run", action="store_true", help="check the file and report, store nothing")
    p.add_argument("--replace-period", action="store_true",
                   help="tickets, outages, samples: take out the contract's records of the same type within the "
                        "file's period (--period, else the period the file states, else the range it covers) and "
                        "store this file's instead, in one audited step (by default they stay and the new records "
                        "are added beside them, with a warning)")
    p.add_argument("--strict", action="store_true", help="refuse the whole file if any row has an error "
                   "(by default rows with errors are left out and reported)")
    p.add_argument("--as-template", metavar="NAME", help="import a questionnaire as a template of this name")
    p.add_argument("--blank-weight", choices=("0", "1"), help="questionnaires: the weight of a blank weight cell "
                   "(default 0: not scored, as HECVAT means it)")
    p.set_defaults(func=_dispatch, sheets=[])


class _SheetAction(argparse.Action):
    """--sheet NAME, repeatable: `sheets` keeps every one, `sheet` the last (the raw-data imports read one)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # argparse's hook
        namespace.sheets = [*getattr(namespace, "sheets", []), values]
        namespace.sheet = values


def _dispatch(args: argparse.Namespace) -> int:
    handler = HANDLERS.get(args.kind)
    if handler is None:
        raise UsageError(f"Cannot import '{args.kind}'; KIND is one of: {', '.join(sorted(HANDLERS))}.")
    if len(args.sheets) > 1 and args.kind != "questionnaire":
        raise UsageError(f"--sheet is given once for '{args.kind}' (several sheets are read together only for "
                         "questionnaires).")
    return handler(args)
