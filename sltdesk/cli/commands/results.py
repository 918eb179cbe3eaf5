"""`sltdesk results refresh|status`: the stored results (each target's figure per month, kept under the
fingerprint of its inputs; sltdesk/services/result_cache.py)."""

from __future__ import annotations

import argparse

from sltdesk.cli.commands.common import add_json_option, add_workspace_option, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("results", help="the stored results: refresh them, or see how many are current",
                       description="Every target's figure per month is stored under a fingerprint of its inputs "
                                   "(the batches that reach the month, the rules, calendars, exceptions and marks, "
                                   "the code). Imports, edits, approvals and marks refresh what they change; "
                                   "`refresh` measures and stores whatever is missing or out of date.")
    actions = p.add_subparsers(dest="results_command", metavar="ACTION", parser_class=type(p), required=True)
    r = actions.add_parser("refresh", help="measure and store every result that is missing or whose inputs changed")
    add_workspace_option(r)
    r.add_argument("--contract", action="append", help="only this contract (repeatable; default: all)")
    add_json_option(r)
    r.set_defaults(func=_refresh)
    s = actions.add_parser("status", help="how many results are stored and how many of those are current")
    add_workspace_option(s)
    add_json_option(s)
    s.set_defaults(func=_status)


def _refresh(args: argparse.Namespace) -> int:
    from sltdesk.domain.stored import stored_id
    from sltdesk.services.imports import find_contract
    from sltdesk.services.result_cache import refresh_results

    ws = open_from_args(args)
    try:
        ids = [stored_id(find_contract(ws, ref)) for ref in args.contract] if args.contract else None
        done = refresh_results(ws, ids)
    finally:
        ws.close()
    if args.json:
        print_json({"contracts": done.contracts, "stored": done.stored, "current": done.current,
                    "skipped": done.skipped})
    else:
        print(done.text())
    return 0


def _status(args: argparse.Namespace) -> int:
    from sltdesk.services.result_cache import result_status

    ws = open_from_args(args)
    try:
        status = result_status(ws)
    finally:
        ws.close()
    if args.json:
        print_json(status)
    else:
        print(f"{status['stored']} results stored; {status['current']} current, {status['out_of_date']} out of "
              f"date, {status['missing']} not stored (of {status['expected']} target-months kept).")
    return 0
