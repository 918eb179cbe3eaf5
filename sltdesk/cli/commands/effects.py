"""`sltdesk actions effect` (did a done action move its target?) and `sltdesk indicators` (which series of a
contract move before its targets do)."""

from __future__ import annotations

import argparse
from typing import Any

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option, open_from_args, print_json


def add_effect_parser(verbs: argparse._SubParsersAction) -> None:
    """`actions effect`, beside `actions list|add|set`."""
    p = verbs.add_parser("effect", help="did done actions move their targets? (before/after, exact test)",
                         description="The monthly figures of the action's target before it was opened against "
                                     "those after it was done (at least 4 of each, at most 12): the shift in median "
                                     "and miss rate, the exact two-sided Mann–Whitney U test and a verdict.")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("action", nargs="?", help="the action, e.g. A-12 (default: every done action of --supplier)")
    p.add_argument("--supplier", help="every done action of this supplier linked to a target")
    p.add_argument("--last", metavar="MONTH", help="the last month of figures used (default: last month)")
    p.set_defaults(func=_cmd_effect)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("indicators", help="leading indicators: the contract's series that move before a target",
                       description="Error rate, latency p95, ticket backlog and reopen rate of the contract, each "
                                   "correlated with every monthly target's figures 1 to 3 months later. Listed "
                                   "only when |r| >= 0.5, n >= 12 and the Bonferroni-adjusted p < 0.05. "
                                   "Correlation is not cause.")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--contract", required=True, help="contract reference, e.g. NW-2025-019")
    p.add_argument("--last", metavar="MONTH", help="the last month tried (default: last month)")
    p.add_argument("--all", action="store_true", help="also show every candidate and lag that was tried")
    p.set_defaults(func=_cmd_indicators)


def _cmd_effect(args: argparse.Namespace) -> int:
    from sltdesk.cli.commands.review_actions import action_id
    from sltdesk.domain.reviews import ActionStatus
    from sltdesk.services.action_effects import action_effect, effects_of
    from sltdesk.services.reviews import supplier_actions

    if bool(args.action) == bool(args.supplier):
        raise UsageError("Name one action (e.g. A-12) or a --supplier, not both.")
    last = _month(args.last)
    ws = open_from_args(args)
    try:
        if args.action:
            views = [action_effect(ws, action_id(args.action), last=last)]
        else:
            done = [a for a in supplier_actions(ws, args.supplier)
                    if a.status is ActionStatus.DONE and a.target_id is not None]
            views = list(effects_of(ws, done, last=last).values())
    finally:
        ws.close()
    if args.json:
        print_json([_effect_json(v) for v in views])
        return 0
    for v in views:
        print(f"{v.action.ref} {v.action.text}" + (f" [{v.target}]" if v.target else ""))
        print(f"  opened {v.action.opened_on or '—'}, done {v.action.closed_on or '—'}: {v.summary}")
    if not views:
        print("No done action linked to a target.")
    return 0


def _effect_json(v) -> dict[str, Any]:
    e = v.effect
    out: dict[str, Any] = {"action": v.action.ref, "text": v.action.text, "target": v.target,
                           "opened_on": v.action.opened_on, "closed_on": v.action.closed_on, "verdict": v.verdict}
    if e is not None:
        out |= {"before": [[f.period, f.achieved] for f in e.before],
                "after": [[f.period, f.achieved] for f in e.after],
                "median_before": e.median_before, "median_after": e.median_after, "median_shift": e.median_shift,
                "miss_rate_before": e.miss_rate_before, "miss_rate_after": e.miss_rate_after,
                "test": None if e.test is None else {"name": "Mann-Whitney U, exact, two-sided", "u_before": e.test.u_x,
                                                     "u_after": e.test.u_y, "p": e.test.p, "n_before": e.test.n_x,
                                                     "n_after": e.test.n_y, "n": e.test.n, "ties": e.test.ties}}
    return out


def _cmd_indicators(args: argparse.Namespace) -> int:
    from sltdesk.services.indicators import contract_indicators

    ws = open_from_args(args)
    try:
        found = contract_indicators(ws, args.contract, last=_month(args.last))
    finally:
        ws.close()
    if args.json:
        print_json({"contract": found.contract, "months": [found.months[0], found.months[-1]] if found.months else [],
                    "candidates": list(found.candidates), "caution": found.caution,
                    "targets": [{"target": t.target, "listed": [_indicator(i) for i in t.listed],
                                 "text": t.text, "warnings": list(t.warnings),
                                 "tested": [_indicator(i) for i in t.tested]} for t in found.targets]})
        return 0
    span = f"{found.months[0]} to {found.months[-1]}" if found.months else "no months"
    print(f"{found.contract}: {', '.join(found.candidates) or 'no candidate series'} against each target, {span}.")
    for t in found.targets:
        print(f"  {t.target}: {t.text}")
        for w in t.warnings:
            print(f"    early warning: {w}")
        for i in t.tested if args.all else ():
            print(f"    tried {i.candidate} lag {i.lag}: r = {i.r:+.3f}, n = {i.n}, p = {i.p:.4g}, "
                  f"adjusted p = {i.p_adjusted:.4g}{' (listed)' if i.listed else ''}")
    print(found.caution)
    return 0


def _indicator(i) -> dict[str, Any]:
    return {"candidate": i.candidate, "lag": i.lag, "r": round(i.r, 6), "n": i.n, "p": i.p,
            "p_adjusted": i.p_adjusted, "listed": i.listed}


def _month(text: str | None) -> str | None:
    if text is None:
        return None
    from sltdesk.domain.period import Period, PeriodKind

    try:
        period = Period.parse(text)
    except ValueError as error:
        raise UsageError(f"{error}.") from None
    if period.kind is not PeriodKind.MONTH:
        raise UsageError(f"--last takes a month, e.g. 2026-10 (not '{text}').")
    return period.label
