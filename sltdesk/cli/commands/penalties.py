"""`sltdesk penalties`, `sltdesk reconcile`, `sltdesk claims set` (and `sltdesk clauses …`, see penalty_clauses)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from sltdesk.cli.commands import penalty_clauses
from sltdesk.cli.commands.common import (
    UsageError,
    add_json_option,
    add_workspace_option,
    iso_date,
    open_from_args,
    print_json,
    today,
)

AS_OF_HELP = ("judge as of this instant, e.g. 2026-12-01T00:00:00Z, or a day (read as 00:00 UTC); default: now. "
              "A period not over by then is in progress: a figure so far, no credit")
STATUSES = ("to claim", "claimed", "issued", "disputed", "settled", "expired")


def history_source(as_of: int | None = None):
    """The attainment measurement the credits are computed from, judged as of `as_of` (UTC epoch seconds;
    None: now). A period not over by then is in progress: it has a figure so far and no credit."""
    from functools import partial

    from sltdesk.services.attainment import attainment_history

    return attainment_history if as_of is None else partial(attainment_history, as_of=as_of)


def _as_of(text: str | None) -> tuple[int | None, date]:
    """--as-of: an instant (2026-12-01T09:00:00Z) or a day (2026-12-01, read as 00:00 UTC); as the epoch
    seconds periods are judged at (None: now) and the day deadlines are judged on."""
    from datetime import UTC, datetime

    from sltdesk.cli.commands.periods import as_of_epoch

    try:
        epoch = as_of_epoch(text)
    except UsageError:
        raise UsageError(f"--as-of: '{text}' is not a date written YYYY-MM-DD (e.g. 2026-12-31) or an instant "
                         "such as 2026-12-01T00:00:00Z.") from None
    return epoch, today() if epoch is None else datetime.fromtimestamp(epoch, UTC).date()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("penalties", help="service credits of a contract and period, with the trace of every amount",
                       description="Compute what the contract's credit clauses give for one period from the "
                                   "recomputed attainment: per-target lines, caps, bonuses, business impact, "
                                   "termination triggers and the claim deadline, each amount with its trace.")
    _contract_period(p)
    p.add_argument("--statement", metavar="FILE", help="also write a claim statement (.xlsx or .pdf)")
    p.add_argument("--as-of", help=AS_OF_HELP)
    p.set_defaults(func=_cmd_penalties)

    p = sub.add_parser("reconcile", help="computed credits against the supplier's credit notes",
                       description="Match the imported credit notes to the computed credits: computed, issued, "
                                   "variance, status and claim deadline, with the running balance. Without "
                                   "--contract: the board of every contract with clauses over --from … --to.")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--contract", help="contract reference, e.g. NW-2025-014 (omit for the board)")
    p.add_argument("--period", help="period, e.g. 2026-03 (with --contract)")
    p.add_argument("--from", dest="first", help="board: first period (default: six months before --to)")
    p.add_argument("--to", dest="last", help="board: last period (default: last month)")
    p.add_argument("--as-of", help=AS_OF_HELP + "; also the day claim deadlines are judged on")
    p.add_argument("--statement", metavar="FILE", help="also write a claim statement (.xlsx or .pdf)")
    p.set_defaults(func=_cmd_reconcile)

    claims = sub.add_parser("claims", help="record where a credit claim stands (audited)",
                            description="Record the status of a period's credit claim with its date.")
    actions = claims.add_subparsers(dest="claims_command", metavar="ACTION", parser_class=type(claims), required=True)
    p = actions.add_parser("set", help="set the status of a contract's claim for a period",
                           description="Set the claim status (to claim, claimed, issued, disputed, settled, expired) "
                                       "with its date. Claiming keeps the computed amount and its trace.")
    _contract_period(p)
    p.add_argument("--status", required=True, choices=STATUSES, help="the new status")
    p.add_argument("--on", type=iso_date, help="the date of the step (default: today)")
    p.add_argument("--note", default="", help="a note, e.g. the supplier's reference")
    p.set_defaults(func=_cmd_claim)
    penalty_clauses.register(sub)


def _contract_period(p: argparse.ArgumentParser) -> None:
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--contract", required=True, help="contract reference, e.g. NW-2025-014")
    p.add_argument("--period", required=True, help="period, e.g. 2026-03")


def _cmd_penalties(args: argparse.Namespace) -> int:
    from sltdesk.cli.commands.penalty_text import credits_json, credits_text
    from sltdesk.services.penalties import penalties

    _check_statement(args.statement)
    epoch, day = _as_of(args.as_of)
    ws = open_from_args(args)
    try:
        credits = penalties(ws, args.contract, args.period, history=history_source(epoch))
        if args.statement:
            from sltdesk.services.reconciliation import reconcile

            row, rows = reconcile(ws, args.contract, args.period, history=history_source(epoch), today=day)
            _write_statement(args.statement, row, rows)
    finally:
        ws.close()
    if args.json:
        print_json(credits_json(credits))
    else:
        print(credits_text(credits))
    return 0


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from sltdesk.cli.commands.penalty_text import board_text, reconciled_json, reconciled_text
    from sltdesk.services import reconciliation

    _check_statement(args.statement)
    epoch, as_of = _as_of(args.as_of)
    if args.contract and not args.period:
        raise UsageError("Name the period with --period, e.g. --period 2026-03.")
    ws = open_from_args(args)
    try:
        if not args.contract:
            board = reconciliation.board(ws, history=history_source(epoch), today=as_of, first=_period(args.first),
                                         last=_period(args.last))
        else:
            row, rows = reconciliation.reconcile(ws, args.contract, args.period, history=history_source(epoch),
                                                 today=as_of)
            if args.statement:
                _write_statement(args.statement, row, rows)
    finally:
        ws.close()
    if not args.contract:
        if args.json:
            print_json({"from": board.first, "to": board.last, "as_of": as_of,
                        "rows": [_board_row(r) for r in board.rows], "totals": list(board.totals)})
        else:
            print(board_text(list(board.rows), board.totals))
        return 0
    if args.json:
        print_json(reconciled_json(row, rows))
    else:
        print(reconciled_text(row, rows))
    return 0


def _board_row(r) -> dict:
    return {"contract": r.contract, "supplier": r.supplier, "period": r.period, "currency": r.currency,
            "computed": r.computed, "issued": r.issued, "variance": r.variance, "balance": r.balance,
            "status": r.status_text, "claim_deadline": r.claim_deadline, "days_left": r.days_left,
            "warnings": list(r.warnings)}


def _cmd_claim(args: argparse.Namespace) -> int:
    from sltdesk.domain.reconciliation import ClaimStatus
    from sltdesk.services.penalties import penalties
    from sltdesk.services.reconciliation import set_status

    status = ClaimStatus(args.status)
    ws = open_from_args(args)
    try:
        credits = penalties(ws, args.contract, args.period, history=history_source()) \
            if status is ClaimStatus.CLAIMED else None
        claim = set_status(ws, args.contract, args.period, status, on=args.on or today(), note=args.note,
                           credits=credits)
    finally:
        ws.close()
    if args.json:
        print_json(claim)
    else:
        amount = f" ({claim.claimed_amount:,} {claim.currency} claimed)" if claim.claimed_amount is not None else ""
        print(f"{args.contract} {claim.period}: {claim.status.value} on {(args.on or today()).isoformat()}{amount}.")
    return 0


def _period(text: str | None) -> str | None:
    if text is None:
        return None
    from sltdesk.domain.period import Period

    try:
        return Period.parse(text).label
    except ValueError as error:
        raise UsageError(f"{error}.") from None


def _check_statement(path: str | None) -> None:
    if path and Path(path).suffix.lower() not in (".xlsx", ".pdf"):
        raise UsageError("A claim statement is an .xlsx or a .pdf file; end --statement with one of them.")


def _write_statement(path: str, row, rows) -> None:
    from reports.claim_statement import write_statement

    try:
        write_statement(Path(path), row, rows, generated=today())
    except OSError as error:
        raise UsageError(f"Cannot write {path} ({error.strerror}); choose another place.") from None
    print(f"sltdesk: claim statement written to {path}.", file=__import__("sys").stderr)
