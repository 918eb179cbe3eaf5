"""`sltdesk periods status|mark-complete|unmark`: which periods the imported data covers completely."""

from __future__ import annotations

import argparse

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("periods", help="which periods the imported data covers; mark one complete as imported",
                       description="A target's period is judged only when its imports cover all of it (or it is "
                                   "marked complete as imported); until then it has no verdict and no credit.")
    actions = p.add_subparsers(dest="periods_command", metavar="ACTION", parser_class=type(p), required=True)
    s = actions.add_parser("status", help="complete, incomplete or in progress, per target and month")
    add_workspace_option(s)
    s.add_argument("--contract", required=True)
    s.add_argument("--from", dest="first", required=True, help="first month, e.g. 2025-05")
    s.add_argument("--to", dest="last", required=True, help="last month, e.g. 2026-11")
    s.add_argument("--as-of", help="judge as of this UTC instant (default: now), e.g. 2026-12-01T00:00:00Z")
    s.add_argument("--incomplete", action="store_true", help="only the periods that are not complete")
    add_json_option(s)
    s.set_defaults(func=_status)
    m = actions.add_parser("mark-complete", help="the vendor confirmed there is no more data (audited)",
                           description="Mark a period complete as imported: the imported data then stands for the "
                                       "whole period, and each target's missing-data policy covers the rest.")
    add_workspace_option(m)
    m.add_argument("--contract", required=True)
    m.add_argument("--period", required=True, help="2026-11")
    m.add_argument("--reason", required=True, help="why, e.g. 'vendor confirmed by e-mail on 2026-12-02'")
    m.set_defaults(func=_mark)
    u = actions.add_parser("unmark", help="take a mark back (audited)")
    add_workspace_option(u)
    u.add_argument("--contract", required=True)
    u.add_argument("--period", required=True)
    u.set_defaults(func=_unmark)


def as_of_epoch(text: str | None) -> int | None:
    """--as-of as UTC epoch seconds (None: now)."""
    if not text:
        return None
    from datetime import UTC, datetime

    try:
        stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--as-of: '{text}' is not an instant such as 2026-12-01T00:00:00Z.") from None
    return int((stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp())


def _status(args: argparse.Namespace) -> int:
    from sltdesk.cli.textable import render_table
    from sltdesk.domain.period import Period
    from sltdesk.services.periods import period_states

    for text in (args.first, args.last):
        try:
            Period.parse(text)
        except ValueError as error:
            raise UsageError(str(error)) from None
    ws = open_from_args(args)
    try:
        states = period_states(ws, args.contract, args.first, args.last, as_of=as_of_epoch(args.as_of))
    finally:
        ws.close()
    states = [s for s in states if s.completeness and (not args.incomplete or s.completeness != "complete")]
    if args.json:
        print_json([{"contract": s.contract, "target": s.target, "period": s.period, "completeness": s.completeness,
                     "coverage": s.coverage, "marked_complete": s.marked} for s in states])
        return 0
    print(render_table(["period", "target", "data", "coverage"],
                       [[s.period, s.target, s.completeness + (" (marked)" if s.marked else ""), s.coverage]
                        for s in states]))
    return 0


def _mark(args: argparse.Namespace) -> int:
    from sltdesk.services.periods import mark_complete

    ws = open_from_args(args)
    try:
        mark = mark_complete(ws, args.contract, args.period, reason=args.reason)
    finally:
        ws.close()
    print(f"{args.contract} {mark.period} marked complete as imported by {mark.marked_by}: {mark.reason}")
    return 0


def _unmark(args: argparse.Namespace) -> int:
    from sltdesk.services.periods import unmark

    ws = open_from_args(args)
    try:
        unmark(ws, args.contract, args.period)
    finally:
        ws.close()
    print(f"{args.contract} {args.period}: the mark is taken back; the period is judged on its coverage again.")
    return 0
