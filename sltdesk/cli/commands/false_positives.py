"""`sltdesk falsepositives request|approve|reject|list`: outages, tickets, spans or a target's whole breach flagged as
raised without a real effect; approved by someone other than the requester, they count as good (up, met). Every
step is audited."""

from __future__ import annotations

import argparse
from typing import Any

from sltdesk.cli.commands.common import (
    UsageError,
    add_json_option,
    add_workspace_option,
    evidence_files,
    open_from_args,
    print_json,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("falsepositives", help="false positives: request, approve, reject, list",
                       description="Flag an outage, a ticket, a span of bad intervals or a target's whole breach in a "
                                   "period as a false positive (raised "
                                   "by monitoring without a real effect). Once someone other than the requester "
                                   "approves it, it counts as good: up for availability, met for a ticket; its time "
                                   "stays in the measured time. Every step is audited.")
    actions = p.add_subparsers(dest="falsepositives_command", metavar="ACTION", parser_class=type(p), required=True)
    q = actions.add_parser("request", help="flag an outage, a ticket, a span or a breach (with evidence files)")
    add_workspace_option(q)
    q.add_argument("--contract", required=True)
    what = q.add_mutually_exclusive_group(required=True)
    what.add_argument("--outage", help="the outage: its stored number (as the evidence table shows it) or the "
                                       "vendor's own id")
    what.add_argument("--ticket", help="the ticket id")
    what.add_argument("--breach", metavar="PERIOD", help="a target's whole miss in this period (e.g. 2026-03; with "
                                                         "--target): every bad unit of it counts as good")
    what.add_argument("--start", help="a span's start, local time in the contract's zone, e.g. '2026-07-04 20:15'")
    q.add_argument("--end", help="a span's end (with --start)")
    q.add_argument("--probe", default="", help="the monitor that raised it (a span on samples: only this probe)")
    q.add_argument("--reason", required=True)
    q.add_argument("--target", help="only this target (default: every target of the contract)")
    q.add_argument("--evidence", action="append", default=[], metavar="FILE", help="a file to attach; repeatable")
    q.add_argument("--timezone", help="zone of --start/--end (default: the contract's)")
    q.set_defaults(func=_request)
    for verb in ("approve", "reject"):
        d = actions.add_parser(verb, help=f"{verb} a flagged false positive (not your own)")
        d.add_argument("flag", type=_flag_number, help="the flag: FP-3 or 3")
        d.add_argument("--note", default="", help="why")
        add_workspace_option(d)
        d.set_defaults(func=_decide, approve=verb == "approve")
    ls = actions.add_parser("list", help="list false positives with their status and evidence")
    add_workspace_option(ls)
    ls.add_argument("--contract")
    add_json_option(ls)
    ls.set_defaults(func=_list)


def _flag_number(text: str) -> int:
    from sltdesk.services.false_positives import flag_number

    try:
        return flag_number(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _request(args: argparse.Namespace) -> int:

    from sltdesk.cli.commands.attainment import _local_epoch
    from sltdesk.domain.measurement import FlagSubject
    from sltdesk.domain.register import ContractTarget
    from sltdesk.services.false_positives import FlagRequest, request_false_positive
    from sltdesk.services.imports import contract_timezone, find_contract
    from sltdesk.services.register import list_records

    if args.start and not args.end:
        raise UsageError("A span needs --end as well as --start.")
    ws = open_from_args(args)
    try:
        contract = find_contract(ws, args.contract)
        target_id = None
        if args.target:
            match = [t for t in list_records(ws, ContractTarget, contract_id=contract.id) if t.name == args.target]
            if not match:
                raise UsageError(f"{contract.ref} has no target '{args.target}'.")
            target_id = match[0].id
        if args.outage:
            request = FlagRequest(FlagSubject.OUTAGE, args.reason, reference=args.outage, probe=args.probe,
                                  target_id=target_id)
        elif args.breach:
            if target_id is None:
                raise UsageError("A breach is one target's miss: say which with --target.")
            request = FlagRequest(FlagSubject.BREACH, args.reason, reference=args.breach, target_id=target_id)
        elif args.ticket:
            request = FlagRequest(FlagSubject.TICKET, args.reason, reference=args.ticket, target_id=target_id)
        else:
            zone = args.timezone or contract_timezone(ws, contract)
            request = FlagRequest(FlagSubject.SPAN, args.reason, start=_local_epoch(args.start, zone),
                                  end=_local_epoch(args.end, zone), probe=args.probe, target_id=target_id)
        evidence = evidence_files(args.evidence)
        stored = request_false_positive(ws, contract=contract, request=request, evidence=evidence)
    finally:
        ws.close()
    print(f"Requested {stored.ref} ({stored.what}) for {args.contract} ({len(evidence)} evidence files); it changes "
          "nothing until someone else approves it.")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from sltdesk.services.false_positives import decide_false_positive

    ws = open_from_args(args)
    try:
        decided = decide_false_positive(ws, args.flag, approve=args.approve, note=args.note)
    finally:
        ws.close()
    print(f"{decided.ref} {decided.status.value} by {decided.decided_by}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    from sltdesk.services.false_positives import list_false_positives
    from sltdesk.services.imports import find_contract

    ws = open_from_args(args)
    try:
        contract_id = find_contract(ws, args.contract).id if args.contract else None
        found = list_false_positives(ws, contract_id)
    finally:
        ws.close()
    rows: list[dict[str, Any]] = [
        {"id": f.ref, "status": f.status.value, "subject": f.subject.value, "reference": f.reference,
         "label": f.label, "start": f.start, "end": f.end, "probe": f.probe, "reason": f.reason,
         "requested_by": f.requested_by, "decided_by": f.decided_by, "evidence": files} for f, files in found]
    if args.json:
        print_json(rows)
    else:
        for row, (flag, _files) in zip(rows, found, strict=True):
            print(f"{row['id']}  {row['status']:<9} {flag.what}{' on ' + flag.probe if flag.probe else ''}: "
                  f"{row['reason']}  (requested by {row['requested_by']}"
                  + (f", decided by {row['decided_by']}" if row["decided_by"] else "")
                  + f"; {len(row['evidence'])} evidence files)")
    return 0
