"""`sltdesk negotiate`: a target's figures for the renewal talk, what candidate thresholds would have paid, and
an achievable threshold (sltdesk/services/negotiation.py); `--brief` writes the one-page PDF."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("negotiate", help="a target's threshold from its data: distribution, candidates' credits, "
                                         "a suggestion",
                       description="From the target's complete periods (at least 12): the distribution of its "
                                   "figures (median, 10th and 90th percentiles, worst month, trend), what each "
                                   "candidate threshold would have missed and what the current clauses would have "
                                   "paid (priced as `sltdesk penalties` prices), and an achievable threshold with "
                                   "the rule behind it. Nothing is changed.")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--contract", required=True, help="contract reference, e.g. NW-2025-014")
    p.add_argument("--target", required=True, help="the target's exact name (e.g. \"SL1 Availability\") or its id")
    p.add_argument("--threshold", action="append", default=[], metavar="X",
                   help="a candidate threshold (repeat the option; default: the current and the suggested one)")
    p.add_argument("--brief", metavar="FILE", help="also write the one-page negotiation brief (.pdf)")
    p.set_defaults(func=_cmd_negotiate)


def _thresholds(texts: list[str]) -> list[Decimal]:
    out = []
    for text in texts:
        try:
            value = Decimal(text.strip().rstrip("%").strip())
        except InvalidOperation:
            raise UsageError(f"--threshold: '{text}' is not a number, e.g. 99.95.") from None
        if not value.is_finite():
            raise UsageError(f"--threshold: '{text}' is not a number, e.g. 99.95.")
        out.append(value)
    return out


def _cmd_negotiate(args: argparse.Namespace) -> int:
    from sltdesk.cli.commands.penalties import history_source
    from sltdesk.services.negotiation import negotiate

    thresholds = _thresholds(args.threshold)
    if args.brief and Path(args.brief).suffix.lower() != ".pdf":
        raise UsageError("--brief: name a .pdf file, e.g. --brief brief.pdf.")
    ws = open_from_args(args)
    try:
        found = negotiate(ws, args.contract, args.target, thresholds, history=history_source())
    finally:
        ws.close()
    if args.brief:
        from reports.negotiation_brief import write_brief

        write_brief(found, Path(args.brief))
    if args.json:
        print_json(negotiation_json(found))
    else:
        print(negotiation_text(found))
        if args.brief:
            print(f"\nBrief written to {args.brief}.")
    return 0


def negotiation_json(n: Any) -> dict:
    """The negotiation as one JSON document (amounts and figures as strings, never floats)."""
    from sltdesk.services.negotiation_view import brief_view

    view = brief_view(n)
    d = n.distribution
    return {"contract": n.contract, "target": n.target, "target_id": n.target_id, "comparison": n.comparison.value,
            "threshold": n.threshold, "unit": n.unit, "currency": n.currency, "as_of": n.as_of,
            "months": list(d.months), "figures": list(d.figures),
            "distribution": {"median": d.median, "p10": d.p10, "p90": d.p90, "worst": d.worst,
                             "worst_month": d.worst_month, "text": dict(view.distribution),
                             "trend": {"slope_per_month": d.trend.slope, "low": d.trend.low, "high": d.trend.high,
                                       "fitted_first": d.trend.first, "fitted_last": d.trend.last,
                                       "interval": "95 %", "text": d.trend.text}},
            "current": _candidate(n.current, len(d.months)),
            "candidates": [_candidate(c, len(d.months)) for c in n.candidates],
            "suggestion": {"threshold": n.suggestion.threshold, "met": n.suggestion.met,
                           "months": n.suggestion.months, "percentile": n.suggestion.percentile,
                           "rule": n.suggestion.rule, "priced": _candidate(n.suggested, len(d.months))},
            "notes": list(n.notes)}


def _candidate(c: Any, months: int) -> dict:
    return {"threshold": c.threshold, "label": c.label, "missed": c.missed, "months": months, "total": c.total,
            "average_per_month": c.average, "per_month": [{"period": p, "credit": a} for p, a in c.per_period]}


def negotiation_text(n: Any) -> str:
    from sltdesk.cli.textable import render_table
    from sltdesk.services.negotiation_view import brief_view

    view = brief_view(n)
    lines = [view.title, view.subtitle, ""]
    lines += [f"{name}: {value}" for name, value in view.distribution]
    lines += ["", f"Trend: {n.distribution.trend.text}", "",
              f"Candidate thresholds: what the current clauses would have paid for {n.target} ({n.currency}):"]
    lines.append(render_table(view.candidate_headers, view.candidate_rows, right=(1, 2, 3)))
    lines += ["", "Per month:", render_table(view.month_headers, view.month_rows,
                                             right=tuple(range(1, len(view.month_headers))))]
    lines += ["", f"Suggested threshold: {view.suggestion}", f"Rule: {n.suggestion.rule}."]
    lines += [f"Note: {note}" for note in n.notes]
    return "\n".join(lines)
