"""`sltdesk target-reviews list|refresh`: the targets whose relevance review is due, and technology refreshes."""

from __future__ import annotations

import argparse

from sltdesk.cli.commands.common import (
    add_json_option,
    add_workspace_option,
    iso_date,
    open_from_args,
    print_json,
    today,
)


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("target-reviews", help="review cycles of targets: reviews due, technology refreshes",
                         description="Each target may carry a review-by date, its last review and an expected "
                                     "volume with a margin (the register workbook's Contract targets sheet). The "
                                     "contract's renewal, a volume over the margin and a technology refresh of a "
                                     "service the target serves bring the review forward.")
    verbs = top.add_subparsers(dest="target_reviews_command", metavar="ACTION", parser_class=type(top),
                               required=True)
    p = verbs.add_parser("list", help="reviews due within 30 days, or overdue")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--as-of", type=iso_date, help="the day to judge on (default: today)")
    p.set_defaults(func=_cmd_list)
    p = verbs.add_parser("refresh", help="record a technology refresh of a service (audited)")
    add_workspace_option(p)
    p.add_argument("--service", required=True)
    p.add_argument("--on", type=iso_date, required=True, help="the day of the refresh")
    p.add_argument("--what", required=True, help="what was refreshed, e.g. 'new ITSM platform'")
    p.set_defaults(func=_cmd_refresh)


def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.services.target_reviews import due_reviews

    as_of = args.as_of or today()
    ws = open_from_args(args)
    try:
        found = due_reviews(ws, as_of=as_of)
    finally:
        ws.close()
    if args.json:
        print_json([{"contract": d.contract, "target": d.target, "due": d.due, "review_by": d.review_by,
                     "brought_forward": d.brought_forward, "triggers": [t.reason for t in d.triggers]}
                    for d in found])
        return 0
    for d in found:
        print(d.sentence(as_of))
    if not found:
        print("No target review is due.")
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    from sltdesk.services.target_reviews import record_technology_refresh

    ws = open_from_args(args)
    try:
        stored = record_technology_refresh(ws, args.service, on=args.on, description=args.what)
    finally:
        ws.close()
    print(f"Technology refresh of {args.service} on {stored.refreshed_on} recorded.")
    return 0
