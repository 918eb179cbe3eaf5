"""`sltdesk actions list|add|set|export|effect` (the improvement backlog; effect: sltdesk/cli/commands/effects.py)
and `sltdesk rootcause add|list`."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from typing import Any

from sltdesk.cli.commands.action_export import add_export
from sltdesk.cli.commands.common import (
    UsageError,
    add_json_option,
    add_workspace_option,
    iso_date,
    open_from_args,
    print_json,
    today,
)

STATUSES = ("open", "in progress", "done", "dropped")


def register(sub: argparse._SubParsersAction) -> None:
    actions = sub.add_parser("actions", help="the improvement backlog: list, add, set, export",
                             description="Improvement actions of a supplier; open ones are carried to the next "
                                         "review. Every change is audited.")
    verbs = actions.add_subparsers(dest="actions_command", metavar="ACTION", parser_class=type(actions), required=True)
    p = verbs.add_parser("list", help="a supplier's actions (open ones first)")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--supplier", required=True)
    p.add_argument("--open", action="store_true", help="only actions still open or in progress")
    p.add_argument("--as-of", type=iso_date, help="the day overdue actions are judged on (default: today)")
    p.set_defaults(func=_cmd_list)
    p = verbs.add_parser("add", help="raise an action at a review")
    add_workspace_option(p)
    p.add_argument("--supplier", required=True)
    p.add_argument("--period", required=True, help="the review's period")
    p.add_argument("--text", required=True, help="what is to be done")
    p.add_argument("--owner", default="")
    p.add_argument("--due", type=iso_date)
    p.add_argument("--target", help="link to this target (name)")
    p.add_argument("--breach", metavar="PERIOD", help="with --target: the breach (period) it answers")
    p.add_argument("--opened", type=iso_date, help="the day it was opened, if before the review (default: the "
                                                   "review's day)")
    p.set_defaults(func=_cmd_add)
    p = verbs.add_parser("set", help="change an action's status, owner, due date or note")
    add_workspace_option(p)
    p.add_argument("action", help="the action, e.g. A-12 (or 12)")
    p.add_argument("--status", choices=STATUSES)
    p.add_argument("--owner")
    p.add_argument("--due", type=iso_date)
    p.add_argument("--note")
    p.add_argument("--opened", type=iso_date, help="correct the day it was opened")
    p.add_argument("--on", type=iso_date, help="the day of the change (default: today)")
    p.set_defaults(func=_cmd_set)
    add_export(verbs)
    from sltdesk.cli.commands.effects import add_effect_parser

    add_effect_parser(verbs)

    rc = sub.add_parser("rootcause", help="root-cause records (Five Whys or cause and effect) of breaches",
                        description="Attach a root-cause record to a breach (a target missed in a period). A target "
                                    "missed three periods in a row needs one: the pack shows it open until then.")
    verbs = rc.add_subparsers(dest="rootcause_command", metavar="ACTION", parser_class=type(rc), required=True)
    p = verbs.add_parser("add", help="record a root cause")
    add_workspace_option(p)
    p.add_argument("--contract", required=True)
    p.add_argument("--target", required=True, help="target name")
    p.add_argument("--period", required=True, help="the breach's period")
    p.add_argument("--problem", required=True)
    p.add_argument("--why", action="append", default=[], help="Five Whys: each answer in order (repeatable)")
    p.add_argument("--cause", action="append", default=[], metavar="CATEGORY: CAUSE",
                   help="cause and effect: a cause with its category (repeatable)")
    p.add_argument("--root-cause", default="", help="the conclusion")
    p.add_argument("--countermeasure", default="")
    p.set_defaults(func=_cmd_rootcause)


def action_id(text: str) -> int:
    digits = text.upper().removeprefix("A-")
    if not digits.isdigit():
        raise UsageError(f"'{text}' is not an action; write it as A-12 (see `sltdesk actions list`).")
    return int(digits)


def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.domain.stored import stored_id
    from sltdesk.services.reviews import resolve_supplier, supplier_actions, target_names

    ws = open_from_args(args)
    try:
        found = supplier_actions(ws, args.supplier, open_only=args.open)
        with ws.unit_of_work() as uow:
            supplier_id = stored_id(resolve_supplier(uow, args.supplier))
        names = target_names(ws, supplier_id)
    finally:
        ws.close()
    found.sort(key=lambda a: (not a.status.is_open, a.due_on or date.max, a.id))
    as_of = args.as_of or today()
    if args.json:
        print_json([{"action": a.ref, "text": a.text, "owner": a.owner, "due_on": a.due_on,
                     "status": a.status.value, "overdue": a.overdue(as_of),
                     "target": names.get(a.target_id, "") if a.target_id is not None else "",
                     "breach_period": a.breach_period, "opened_on": a.opened_on, "closed_on": a.closed_on,
                     "note": a.note} for a in found])
        return 0
    for a in found:
        link = f" [{names.get(a.target_id, '')}{' ' + a.breach_period if a.breach_period else ''}]" \
            if a.target_id else ""
        status = a.status.value + (", OVERDUE" if a.overdue(as_of) else "")
        print(f"{a.ref:6} {status:21} due {a.due_on or '—'!s:10}  {a.text} ({a.owner or 'no owner'}){link}")
    if not found:
        print("No actions.")
    return 0


def _cmd_add(args: argparse.Namespace) -> int:
    from sltdesk.services.reviews import add_action

    if args.breach and not args.target:
        raise UsageError("Name the target the breach belongs to with --target.")
    ws = open_from_args(args)
    try:
        review = review_of(ws, args)
        target_id = _target_id(ws, review.supplier_id, args.target) if args.target else None
        action = add_action(ws, review.id, args.text, owner=args.owner, due_on=args.due, target_id=target_id,
                            breach_period=args.breach or "", opened_on=args.opened)
    finally:
        ws.close()
    print(f"{action.ref} raised at the {review.period} review.")
    return 0


def _target_id(ws, supplier_id: int, name: str, contract: str = "") -> int:
    from sltdesk.services.reviews import target_names

    names = {tid: label for tid, label in target_names(ws, supplier_id).items()
             if not contract or label.startswith(f"{contract} ")}
    match = [tid for tid, label in names.items() if label.split(" ", 1)[1].casefold() == name.strip().casefold()]
    if not match:
        raise UsageError(f"No contract of this supplier has a target '{name}'; its targets are: "
                         f"{', '.join(sorted(label.split(' ', 1)[1] for label in names.values()))}.")
    return match[0]


def _cmd_set(args: argparse.Namespace) -> int:
    from sltdesk.domain.reviews import ActionStatus
    from sltdesk.services.reviews import get_action, update_action

    ws = open_from_args(args)
    try:
        action = get_action(ws, action_id(args.action))
        given = (("status", args.status and ActionStatus(args.status)), ("owner", args.owner), ("due_on", args.due),
                 ("note", args.note), ("opened_on", args.opened))
        changes: dict[str, Any] = {k: v for k, v in given if v is not None}  # field -> new value
        stored = update_action(ws, replace(action, **changes), on=args.on or today())
    finally:
        ws.close()
    print(f"{stored.ref}: {stored.status.value}" + (f" (closed {stored.closed_on})" if stored.closed_on else "") + ".")
    return 0


def _cmd_rootcause(args: argparse.Namespace) -> int:
    from sltdesk.domain.reviews import RootCause, RootCauseMethod
    from sltdesk.services.imports import find_contract
    from sltdesk.services.reviews import record_root_cause

    if bool(args.why) == bool(args.cause):
        raise UsageError("Give either the Five Whys (--why, repeated) or a cause-and-effect list (--cause, repeated).")
    causes = []
    for item in args.cause:
        category, _, cause = item.partition(":")
        if not cause.strip():
            raise UsageError(f"Write each cause as 'category: cause', e.g. 'method: no change freeze' ('{item}').")
        causes.append((category.strip(), cause.strip()))
    ws = open_from_args(args)
    try:
        contract = find_contract(ws, args.contract)
        target_id = _target_id(ws, contract.supplier_id, args.target, contract.ref)
        stored = record_root_cause(ws, RootCause(
            target_id, args.period, RootCauseMethod.FIVE_WHYS if args.why else RootCauseMethod.CAUSE_AND_EFFECT,
            args.problem, whys=tuple(args.why), causes=tuple(causes), root_cause=args.root_cause,
            countermeasure=args.countermeasure, recorded_on=today()))
    finally:
        ws.close()
    print(f"RC-{stored.id} recorded for {args.contract} {args.target} {stored.period}.")
    return 0


def review_of(ws, args: argparse.Namespace):
    from sltdesk.services.reviews import find_review

    found = find_review(ws, args.supplier, args.period)
    if found is None:
        raise UsageError(f"{args.supplier} has no review for {args.period}; create it with `sltdesk review new`.")
    return found
