"""`sltdesk pack`, `sltdesk review …` and `sltdesk breaches` (actions and root causes: see review_actions)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from sltdesk.cli.commands import review_actions
from sltdesk.cli.commands.common import (
    UsageError,
    add_json_option,
    add_workspace_option,
    iso_date,
    open_from_args,
    print_json,
    today,
)
from sltdesk.cli.commands.review_actions import review_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pack", help="the joint-review pack of a supplier and period (PDF, and the XLSX data set)",
                       description="Write the joint-review pack: cover, contents, executive summary, attainment "
                                   "(ours beside the vendor's), trend and XmR control charts, breach log, "
                                   "discrepancies and data quality, credits with their traces and reconciliation, "
                                   "maturity, coverage, improvement backlog, contingency plans, decisions and "
                                   "sign-off. With --xlsx also the rows behind it.")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--supplier", required=True, help="supplier name, e.g. 'Northwind Networks'")
    p.add_argument("--period", required=True, help="the review's period, e.g. 2026-09 or 2026-Q3")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--xlsx", metavar="FILE.xlsx", help="also write the shared data set")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    p.add_argument("--months", type=int, default=12, help="months of trend and control charts (default 12)")
    p.add_argument("--as-of", type=iso_date,
                   help="the day deadlines and tests are judged on (default: the review's date, else the period's end)")
    p.set_defaults(func=_cmd_pack)

    p = sub.add_parser("breaches", help="the breach log of a supplier, ranked by frequency, duration and impact",
                       description="Every missed target-period in the window, and the targets ranked by how often, "
                                   "how long and how costly their breaches were; filter by target and period.")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--supplier", required=True)
    p.add_argument("--period", required=True, help="the last period of the window, e.g. 2026-09")
    p.add_argument("--months", type=int, default=12, help="the window in months (default 12)")
    p.add_argument("--target", action="append", default=[], help="only this target (name; repeatable)")
    p.add_argument("--in", dest="only", action="append", default=[], metavar="PERIOD",
                   help="only breaches in this period (repeatable)")
    p.set_defaults(func=_cmd_breaches)
    _register_review(sub)
    review_actions.register(sub)


def _register_review(sub: argparse._SubParsersAction) -> None:
    review = sub.add_parser("review", help="joint service reviews: new, list, show, note, attend, decide",
                            description="Review meetings with a supplier: a new review starts with the supplier's "
                                        "open actions carried over and the last review's attendees.")
    actions = review.add_subparsers(dest="review_command", metavar="ACTION", parser_class=type(review), required=True)
    p = actions.add_parser("new", help="create a review from the previous one (open actions carried over)")
    _which(p)
    p.add_argument("--held-on", type=iso_date, help="the meeting's date (default: today)")
    p.add_argument("--title", default="")
    p.set_defaults(func=_cmd_new)
    p = actions.add_parser("list", help="reviews, newest first")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--supplier")
    p.set_defaults(func=_cmd_list)
    p = actions.add_parser("show", help="one review: attendees, agenda notes, decisions, backlog")
    _which(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_show)
    p = actions.add_parser("note", help="write the note under one agenda item")
    _which(p)
    p.add_argument("--item", required=True, help="agenda item, e.g. 'performance vs targets' (or its first word)")
    p.add_argument("--text", required=True)
    p.set_defaults(func=_cmd_note)
    p = actions.add_parser("attend", help="add an attendee")
    _which(p)
    p.add_argument("--name", required=True)
    p.add_argument("--role", default="")
    p.add_argument("--supplier-side", action="store_true", help="the attendee is from the supplier")
    p.set_defaults(func=_cmd_attend)
    p = actions.add_parser("decide", help="record a decision")
    _which(p)
    p.add_argument("--text", required=True)
    p.add_argument("--owner", default="")
    p.set_defaults(func=_cmd_decide)


def _which(p: argparse.ArgumentParser) -> None:
    add_workspace_option(p)
    p.add_argument("--supplier", required=True, help="supplier name")
    p.add_argument("--period", required=True, help="the review's period, e.g. 2026-09")


def _cmd_pack(args: argparse.Namespace) -> int:
    from reports.review_pack import write_pack
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise UsageError("The pack is a PDF: end --out with .pdf.")
    if args.xlsx and Path(args.xlsx).suffix.lower() != ".xlsx":
        raise UsageError("The data set is an XLSX workbook: end --xlsx with .xlsx.")
    if not 3 <= args.months <= 36:
        raise UsageError("Choose --months between 3 and 36.")
    ws = open_from_args(args)
    try:
        inputs = build_pack(ws, PackOptions(args.supplier, args.period, args.months, args.as_of, args.paper))
        sheets = None
        if args.xlsx:
            from sltdesk.services.pack_data import pack_dataset

            sheets = pack_dataset(inputs)
    finally:
        ws.close()
    view = inputs.view
    try:
        pages = write_pack(out, view, generated=datetime.now(UTC).astimezone())
        if sheets is not None:
            from reports.pack_xlsx import write_dataset

            write_dataset(args.xlsx, sheets, title=f"{view.supplier} {view.period} — shared data set")
    except OSError as error:
        where = error.filename or args.out
        raise UsageError(f"Cannot write {where} ({error.strerror}); choose another place.") from None
    if args.json:
        print_json({"pdf": str(out), "pages": pages, "xlsx": args.xlsx, "supplier": view.supplier,
                    "period": view.period, "audit_head": view.audit_head, "summary": view.summary,
                    "sheets": {s.name: len(s.rows) for s in sheets or ()}})
        return 0
    s = view.summary
    print(f"Pack for {view.supplier} {view.period} written to {out} ({pages} pages): {s.met} of {s.targets} targets "
          f"met, {s.missed} missed; audit head {view.audit_head[:16]}…")
    if sheets is not None:
        print(f"Data set written to {args.xlsx}: " + ", ".join(f"{x.name} {len(x.rows):,}" for x in sheets) + " rows.")
    return 0


def _cmd_breaches(args: argparse.Namespace) -> int:
    from sltdesk.cli.textable import render_table
    from sltdesk.rules.breach_log import breach_log
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    ws = open_from_args(args)
    try:
        view = build_pack(ws, PackOptions(args.supplier, args.period, args.months)).view
    finally:
        ws.close()
    names = {t.target.casefold(): t.target_id for t in view.trends}
    unknown = [t for t in args.target if t.casefold() not in names]
    if unknown:
        raise UsageError(f"{args.supplier} has no target '{unknown[0]}'; its targets are: "
                         f"{', '.join(sorted({t.target for t in view.trends}))}.")
    log = breach_log(view.breaches.entries, target_ids={names[t.casefold()] for t in args.target} or None,
                     periods=set(args.only) or None)
    if args.json:
        print_json(log)
        return 0
    print(render_table(["period", "target", "achieved", "minutes", "count", "impact", "cause"],
                       [[e.period, f"{e.contract} {e.target}",
                         f"{e.achieved_text or e.achieved} ({e.target_text})",
                         f"{e.duration_minutes:,.1f}", e.incidents, f"{e.impact:,} {e.currency} {e.impact_basis}",
                         "special" if e.special_cause else "common"] for e in log.entries], right=[3, 4]))
    for title, ranked in (("frequency", log.by_frequency), ("total duration", log.by_duration),
                          ("business impact", log.by_impact)):
        print(f"\nRanked by {title}:")
        for r in ranked:
            print(f"  {r.rank}. {r.contract} {r.target}: {r.breaches} breaches, {r.duration_minutes:,.1f} min, "
                  f"{r.impact:,} {r.currency} ({', '.join(r.periods)})")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from sltdesk.domain.stored import stored_id
    from sltdesk.services.reviews import create_review, review_detail

    ws = open_from_args(args)
    try:
        review = create_review(ws, supplier=args.supplier, period=args.period, held_on=args.held_on or today(),
                               title=args.title)
        detail = review_detail(ws, stored_id(review))
    finally:
        ws.close()
    carried = sum(1 for i in detail.backlog if i.carried)
    since = f" (from the {detail.previous_period} review)" if detail.previous_period else ""
    print(f"Review {review.id} of {detail.supplier} for {review.period} created{since}: {carried} open actions "
          f"carried over, {len(detail.attendees)} attendees copied.")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.cli.textable import render_table
    from sltdesk.services.reviews import list_reviews

    ws = open_from_args(args)
    try:
        rows = list_reviews(ws, args.supplier)
    finally:
        ws.close()
    if args.json:
        print_json([{"id": r.review.id, "supplier": r.supplier, "period": r.review.period,
                     "held_on": r.review.held_on, "title": r.review.title, "backlog": r.backlog,
                     "open_actions": r.open_actions, "decisions": r.decisions} for r in rows])
        return 0
    print(render_table(["id", "supplier", "period", "held on", "backlog", "open", "decisions"],
                       [[r.review.id, r.supplier, r.review.period, r.review.held_on.isoformat(), r.backlog,
                         r.open_actions, r.decisions] for r in rows], right=[0, 4, 5, 6]))
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    from sltdesk.services.reviews import review_detail

    ws = open_from_args(args)
    try:
        detail = review_detail(ws, review_of(ws, args).id)
    finally:
        ws.close()
    if args.json:
        print_json(detail)
        return 0
    r = detail.review
    print(f"{r.title} — held on {r.held_on.isoformat()}" + (f" (after the {detail.previous_period} review)"
                                                           if detail.previous_period else ""))
    print("Attendees: " + ("; ".join(f"{a.name} ({a.role or a.side.value})" for a in detail.attendees) or "none"))
    for note in detail.notes:
        print(f"  {note.item.value}: {note.text or '—'}")
    print("Decisions:" + ("" if detail.decisions else " none"))
    for d in detail.decisions:
        print(f"  - {d.text}" + (f" (owner: {d.owner})" if d.owner else ""))
    print("Backlog:" + ("" if detail.backlog else " empty"))
    for item in detail.backlog:
        a = item.action
        print(f"  {a.ref} [{a.status.value}] {a.text} — {a.owner or 'no owner'}, due {a.due_on or '—'}"
              + (" (carried over)" if item.carried else ""))
        if item.effect:
            print(f"      did it work? {item.effect}")
    return 0


def _cmd_note(args: argparse.Namespace) -> int:
    from sltdesk.domain.reviews import STANDARD_AGENDA
    from sltdesk.services.reviews import set_note

    wanted = args.item.strip().casefold()
    match = [i for i in STANDARD_AGENDA if i.value == wanted or i.value.split()[0] == wanted]
    if not match:
        raise UsageError("The agenda items are: " + "; ".join(i.value for i in STANDARD_AGENDA) + ".")
    ws = open_from_args(args)
    try:
        set_note(ws, review_of(ws, args).id, match[0], args.text)
    finally:
        ws.close()
    print(f"Noted under '{match[0].value}'.")
    return 0


def _cmd_attend(args: argparse.Namespace) -> int:
    from sltdesk.domain.reviews import Side
    from sltdesk.services.reviews import add_attendee

    ws = open_from_args(args)
    try:
        add_attendee(ws, review_of(ws, args).id, args.name, side=Side.SUPPLIER if args.supplier_side else Side.OURS,
                     role=args.role)
    finally:
        ws.close()
    print(f"{args.name} added.")
    return 0


def _cmd_decide(args: argparse.Namespace) -> int:
    from sltdesk.services.reviews import add_decision

    ws = open_from_args(args)
    try:
        add_decision(ws, review_of(ws, args).id, args.text, owner=args.owner)
    finally:
        ws.close()
    print("Decision recorded.", file=sys.stdout)
    return 0
