"""`sltdesk attainment`, `sltdesk rules` and `sltdesk exceptions`: measurement from the raw data."""

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
    p = sub.add_parser("attainment", help="recompute attainment per target from the raw data, beside the vendor's",
                       description="Recompute every target of a contract for a period from the imported raw data, "
                                   "under the contract's rules (service hours, holidays, pauses, maintenance and "
                                   "approved force majeure excluded), next to the vendor's self-reported figure.")
    add_workspace_option(p)
    p.add_argument("--contract", required=True, help="contract reference, e.g. NW-2025-014")
    p.add_argument("--period", required=True, help="2026-03 (month), 2026-Q1 (quarter) or 2026 (year)")
    add_json_option(p)
    p.add_argument("--as-of", help="judge as of this UTC instant (default: now); a period not over by then is "
                                   "in progress, e.g. 2026-12-01T00:00:00Z")
    p.set_defaults(func=_attainment)
    c = sub.add_parser("calibrate", help="compare the vendor's outage log with the interval samples",
                       description="Two sources for one target: the minutes the vendor's outage log says were down, "
                                   "the minutes the interval samples show as bad, and the spans where they disagree.")
    add_workspace_option(c)
    c.add_argument("--contract", required=True)
    c.add_argument("--period", required=True)
    add_json_option(c)
    c.set_defaults(func=_calibrate)
    register_exceptions(sub)


def _calibrate(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from sltdesk.services.attainment import calibration_for

    ws = open_from_args(args)
    try:
        found = calibration_for(ws, args.contract, args.period)
    finally:
        ws.close()
    if found is None:
        raise UsageError(f"{args.contract} needs both an outage log and samples (with a samples rule) to compare.")

    def span(pair):
        a, b = (datetime.fromtimestamp(x, UTC).strftime("%Y-%m-%d %H:%M") for x in pair)
        return {"start": a, "end": b, "minutes": (pair[1] - pair[0]) / 60}

    document = {"contract": args.contract, "period": args.period, "outage_log_minutes": found.outage_minutes,
                "sample_minutes": found.sample_minutes, "both_minutes": found.both_minutes,
                "only_in_outage_log": [span(p) for p in found.only_in_outages],
                "only_in_samples": [span(p) for p in found.only_in_samples]}
    if args.json:
        print_json(document)
        return 0
    print(f"{args.contract} {args.period}: the outage log has {found.outage_minutes:g} min down, the samples show "
          f"{found.sample_minutes:g} min, both agree on {found.both_minutes:g} min.")
    for title, key in (("Only in the samples (not in the vendor's log)", "only_in_samples"),
                       ("Only in the vendor's log", "only_in_outage_log")):
        if document[key]:
            print(f"\n{title}:")
            for item in document[key]:
                print(f"  {item['start']} – {item['end']} UTC  ({item['minutes']:g} min)")
    return 0


def _attainment(args: argparse.Namespace) -> int:
    from sltdesk.domain.period import Period
    from sltdesk.services.results import target_results

    try:
        Period.parse(args.period)
    except ValueError as error:
        raise UsageError(str(error)) from None
    ws = open_from_args(args)
    try:
        from sltdesk.cli.commands.periods import as_of_epoch

        results = target_results(ws, args.contract, args.period, as_of=as_of_epoch(args.as_of))
        currency = _currency(ws, args.contract)
    finally:
        ws.close()
    if args.json:
        print_json([{**_json(t.attainment), "status": t.status.value,
                     "credit": None if not t.lines else t.credit, "currency": currency,
                     "credit_lines": [{"clause": ln.clause, "kind": ln.kind.value, "band": ln.band, "amount": ln.amount,
                                       "period": ln.period} for ln in t.lines]} for t in results])
        return 0
    _print(results, args, currency)
    return 0


def _currency(ws, ref: str) -> str:
    from sltdesk.services.imports import find_contract

    return find_contract(ws, ref).currency


def _json(r) -> dict:
    return {"target": r.target, "metric": r.metric.value, "comparison": r.comparison.value, "threshold": r.threshold,
            "unit": r.unit, "period": r.period, "achieved": r.achieved, "achieved_text": r.achieved_text,
            "unrounded": r.unrounded, "rounding_rule": r.rounding_rule, "completeness": r.completeness,
            "coverage": r.coverage, "met": r.met, "reported": r.reported,
            "reported_met": r.reported_met, "difference": r.difference, "met_flips": r.met_flips,
            "counts": r.counts, "exclusions": [{"reason": e.reason, "kind": e.kind, "minutes": e.minutes,
                                                "tickets": e.tickets, "reference": e.reference} for e in r.exclusions],
            "explanation": r.explanation, "error_budget": r.error_budget, "threshold_note": r.threshold_note,
            "level_met": r.level_met, "tier_pricing": r.tier_pricing,
            "tier": None if r.tier is None else _json(r.tier)}


def _print(outcomes, args: argparse.Namespace, currency: str) -> None:
    from sltdesk.cli.textable import render_table
    from sltdesk.domain.figures import places_for, shown, signed
    from sltdesk.domain.money import format_money

    rows = []
    for t in outcomes:
        r = t.attainment
        verdict = t.status.value.upper() if t.status.value == "missed" else t.status.value
        reported = "" if r.reported is None else f"{r.reported}"
        flag = " ⚠ flips" if r.met_flips else ""
        difference = "" if r.difference is None else signed(r.difference, places=places_for(r.unit))
        credit = format_money(t.credit, currency) if t.lines else ""
        wanted, achieved = f"{r.comparison.value} {r.threshold} {r.unit}", _fmt(r)
        if r.tier is not None:  # one term, both tiers
            wanted += f"; core {r.tier.comparison.value} {r.tier.threshold} {r.tier.unit}"
            achieved += f"; core {_fmt(r.tier)}"
        rows.append([r.target, wanted, achieved, verdict, reported, difference + flag, credit])
    print(f"Attainment of {args.contract} in {args.period} (ours, recomputed from the raw data)\n")
    print(render_table(["target", "target value", "achieved", "status", "vendor says", "difference", "credit"],
                       rows, right=[2, 4, 6]))
    for r in (t.attainment for t in outcomes):
        print(f"\n{r.target}: {r.explanation or '—'}")
        if r.threshold_note:
            print(f"  {r.threshold_note}")
        if r.tier is not None:  # the same service level's core-hours tier: its own figure and verdict
            print(f"  {r.tier.target}: {_fmt(r.tier)} against {r.tier.comparison.value} {r.tier.threshold} "
                  f"{r.tier.unit} → {'—' if r.tier.met is None else 'met' if r.tier.met else 'MISSED'} "
                  f"({r.tier.explanation}); priced: {'the worse tier' if r.tier_pricing == 'worse' else 'each tier'}")
        if r.unrounded is not None:
            print(f"  measured {shown(r.unrounded, (r.threshold,), places=places_for(r.unit))}, {r.rounding_rule}")
        if r.error_budget and r.met is not False:
            print(f"  budget: {r.error_budget}")
        for e in r.exclusions:
            amount = f"{e.minutes} min" if e.minutes else f"{e.tickets} tickets"
            print(f"  excluded {amount}: {e.reason}")


def _fmt(result) -> str:
    """The figure with the decimals that keep it on its side of the threshold (99.98997, not 99.9900)."""
    return result.achieved_text



def register_exceptions(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("exceptions", help="force-majeure exceptions: request, approve, reject, list",
                       description="Force-majeure exceptions exclude a time span from measurement once approved by "
                                   "someone other than the requester. Every step is audited.")
    actions = p.add_subparsers(dest="exceptions_command", metavar="ACTION", parser_class=type(p), required=True)
    q = actions.add_parser("request", help="request an exception (with evidence files)")
    add_workspace_option(q)
    q.add_argument("--contract", required=True)
    q.add_argument("--start", required=True, help="local time in the contract's zone, e.g. '2026-03-10 08:00'")
    q.add_argument("--end", required=True)
    q.add_argument("--reason", required=True)
    q.add_argument("--target", help="only this target (default: every target of the contract)")
    q.add_argument("--evidence", action="append", default=[], metavar="FILE", help="a file to attach; repeatable")
    q.add_argument("--timezone", help="zone of --start/--end (default: the contract's)")
    q.set_defaults(func=_request)
    for verb in ("approve", "reject"):
        d = actions.add_parser(verb, help=f"{verb} a requested exception (not your own)")
        d.add_argument("exception", type=_exception_number, help="the exception: FM-3 or 3")
        d.add_argument("--note", default="", help="why")
        add_workspace_option(d)
        d.set_defaults(func=_decide, approve=verb == "approve")
    ls = actions.add_parser("list", help="list exceptions with their status and evidence")
    add_workspace_option(ls)
    ls.add_argument("--contract")
    add_json_option(ls)
    ls.set_defaults(func=_list)


def _exception_number(text: str) -> int:
    digits = text.upper().removeprefix("FM-").strip()
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not an exception number such as FM-3")
    return int(digits)


def _local_epoch(text: str, zone: str) -> int:
    import pandas as pd

    try:
        stamp = pd.Timestamp(text)
    except ValueError:
        raise UsageError(f"'{text}' is not a date and time such as 2026-03-10 08:00.") from None
    return int((stamp if stamp.tzinfo else stamp.tz_localize(zone)).timestamp())


def _request(args: argparse.Namespace) -> int:

    from sltdesk.domain.register import ContractTarget
    from sltdesk.services.exceptions import request_exception
    from sltdesk.services.imports import contract_timezone, find_contract
    from sltdesk.services.register import list_records

    ws = open_from_args(args)
    try:
        contract = find_contract(ws, args.contract)
        zone = args.timezone or contract_timezone(ws, contract)
        target_id = None
        if args.target:
            match = [t for t in list_records(ws, ContractTarget, contract_id=contract.id) if t.name == args.target]
            if not match:
                raise UsageError(f"{contract.ref} has no target '{args.target}'.")
            target_id = match[0].id
        evidence = evidence_files(args.evidence)
        stored = request_exception(ws, contract=contract, start=_local_epoch(args.start, zone),
                                   end=_local_epoch(args.end, zone), reason=args.reason, target_id=target_id,
                                   evidence=evidence)
    finally:
        ws.close()
    print(f"Requested FM-{stored.id} for {args.contract} ({len(evidence)} evidence files); it excludes nothing until "
          "someone else approves it.")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from sltdesk.services.exceptions import decide_exception

    ws = open_from_args(args)
    try:
        decided = decide_exception(ws, args.exception, approve=args.approve, note=args.note)
    finally:
        ws.close()
    print(f"FM-{decided.id} {decided.status.value} by {decided.decided_by}.")
    return 0


def _list(args: argparse.Namespace) -> int:
    from sltdesk.services.exceptions import list_exceptions
    from sltdesk.services.imports import find_contract

    ws = open_from_args(args)
    try:
        contract_id = find_contract(ws, args.contract).id if args.contract else None
        found = list_exceptions(ws, contract_id)
    finally:
        ws.close()
    rows: list[dict[str, Any]] = [
        {"id": f"FM-{e.id}", "status": e.status.value, "start": e.start, "end": e.end, "reason": e.reason,
         "requested_by": e.requested_by, "decided_by": e.decided_by, "evidence": files} for e, files in found]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']}  {row['status']:<9} {row['reason']}  (requested by {row['requested_by']}"
                  + (f", decided by {row['decided_by']}" if row["decided_by"] else "")
                  + f"; {len(row['evidence'])} evidence files)")
    return 0
