"""`sltdesk attention`: what needs a vendor manager's attention, as on the Dashboard, to mail or script."""

from __future__ import annotations

import argparse
import sys

from sltdesk.cli.commands.common import (
    add_json_option,
    add_workspace_option,
    iso_date,
    open_from_args,
    print_json,
    today,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attention", help="what needs attention: deadlines, misses, credits, overdue actions…",
                       description="The Dashboard's attention list across the portfolio, most urgent first: notice "
                                   "deadlines (passed in the last 30 days too), targets missed last month, early "
                                   "warnings, credits to claim with their deadlines, disputed credit notes, overdue "
                                   "actions and contingency tests, root causes due and incomplete periods.")
    add_workspace_option(p)
    p.add_argument("--as-of", type=iso_date, help="the day to judge on, YYYY-MM-DD (default: the workspace's "
                                                  "reference date for the demo, else today)")
    add_json_option(p)
    p.set_defaults(func=_attention)


def _attention(args: argparse.Namespace) -> int:
    from sltdesk.cli.textable import render_table
    from sltdesk.services.attention import attention

    ws = open_from_args(args)
    try:
        view = attention(ws, as_of=args.as_of, today=today())
    finally:
        ws.close()
    if args.json:
        print_json(document(view))
        return 0
    if view.from_reference:
        print(f"Demo workspace: read as of its reference date {view.as_of.isoformat()} (the end of its data plus "
              "five weeks); give --as-of to choose another day.", file=sys.stderr)
    print(f"As of {view.as_of.isoformat()} — {len(view.items)} items; last full month {view.last_period}")
    print(render_table(["urgency", "what", "due", "days", "item"],
                       [[i.urgency.value, i.kind.value, i.due.isoformat() if i.due else "",
                         "" if i.days_left is None else str(i.days_left), i.sentence] for i in view.items],
                       right=[3]))
    return 0


def document(view) -> dict:
    """The view as plain JSON data: amounts as strings, dates as YYYY-MM-DD."""
    return {
        "as_of": view.as_of, "reference_date": view.from_reference, "last_period": view.last_period,
        "items": [_item(i) for i in view.items],
        "heat_map": {"months": list(view.months),
                     "suppliers": [{"supplier": row.supplier, "cells": [c.heat.value or "no data" for c in row.cells]}
                                   for row in view.heat]},
    }


def _item(i) -> dict:
    return {"urgency": i.urgency.value, "kind": i.kind.value, "sentence": i.sentence, "page": i.place.value,
            "supplier": i.supplier, "contract": i.contract, "contract_id": i.contract_id, "target_id": i.target_id,
            "period": i.period, "record_id": i.record_id, "due": i.due, "days_left": i.days_left,
            "amount": None if i.amount is None else str(i.amount), "currency": i.currency, "red": i.red,
            "no_data": i.no_data}
