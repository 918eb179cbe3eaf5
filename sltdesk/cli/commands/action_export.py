"""`sltdesk actions export`: the improvement backlog for Jira, ServiceNow or a plain CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from sltdesk.cli.commands.common import add_workspace_option, iso_date, open_from_args, today

FORMATS = ("jira", "servicenow", "csv")


def add_export(verbs: argparse._SubParsersAction) -> None:
    p = verbs.add_parser("export", help="write the backlog for a ticketing tool (Jira, ServiceNow) or as CSV",
                         description="Write the open improvement actions (all suppliers, or one) as a CSV file: "
                                     "jira — Jira's CSV importer (Summary, Description, Issue Type, Priority, Due "
                                     "date, Labels); servicenow — an import set for the task table "
                                     "(short_description, description, priority, due_date, assignment_group); "
                                     "csv — every field. Text never becomes a formula.")
    add_workspace_option(p)
    p.add_argument("--format", required=True, choices=FORMATS, dest="export_format")
    p.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    p.add_argument("--supplier", help="only this supplier's actions")
    p.add_argument("--all", action="store_true", help="closed and dropped actions too")
    p.add_argument("--assignment-group", default="", help="servicenow: the group (default: each action's owner)")
    p.add_argument("--as-of", type=iso_date, help="the day overdue actions are judged on (default: today)")
    p.set_defaults(func=_cmd_export)


def _cmd_export(args: argparse.Namespace) -> int:
    from reports.itsm_export import write_backlog
    from sltdesk.services.action_export import backlog_lines

    ws = open_from_args(args)
    try:
        lines = backlog_lines(ws, as_of=args.as_of or today(), supplier=args.supplier, open_only=not args.all)
    finally:
        ws.close()
    write_backlog(args.out, lines, form=args.export_format, assignment_group=args.assignment_group)
    print(f"{len(lines)} action{'s' if len(lines) != 1 else ''} written to {args.out} ({args.export_format}).")
    return 0
