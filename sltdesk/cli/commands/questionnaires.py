"""`sltdesk questionnaire template|list|score|predict` and `sltdesk import questionnaire FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sltdesk.cli.commands.common import (
    UsageError,
    add_json_option,
    add_workspace_option,
    open_from_args,
    print_json,
    today,
)
from sltdesk.cli.commands.questionnaire_import import score_document
from sltdesk.cli.textable import render_table


def register(sub: argparse._SubParsersAction) -> None:
    from sltdesk.cli.commands.import_cmd import HANDLERS

    HANDLERS["questionnaire"] = _import_questionnaire
    top = sub.add_parser("questionnaire", help="maturity questionnaires: fillable template, list, score, predict",
                         description="Supplier maturity questionnaires: write the fillable workbook, list templates "
                                     "and assessments, score an assessment, predict each target's reliability.")
    actions = top.add_subparsers(dest="questionnaire_command", metavar="ACTION", parser_class=type(top),
                                 required=True)
    p = actions.add_parser("template", help="write the fillable XLSX for a supplier",
                           description="Write the workbook a supplier fills in: instructions, locked questions, "
                                       "answer dropdowns and evidence notes. Import it back with "
                                       "`sltdesk import questionnaire FILE -w W`.")
    add_workspace_option(p)
    p.add_argument("--template", default="supplier-process-maturity", help="template name (default: the "
                   "built-in supplier-process-maturity)")
    p.add_argument("--version", type=int, help="template version (default: the latest)")
    p.add_argument("--supplier", required=True, help="the supplier who will answer")
    p.add_argument("--out", required=True, help="the workbook to write, e.g. stratus.xlsx")
    p.set_defaults(func=_cmd_template)
    p = actions.add_parser("list", help="list templates (with versions) and assessments",
                           description="List every template version with its question count and sections, and "
                                       "every assessment with its score.")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_list)
    p = actions.add_parser("score", help="score a supplier's assessment",
                           description="Overall score, maturity level, section scores, red flags and answered/total "
                                       "of a supplier's latest (or a chosen) assessment.")
    _supplier_options(p)
    p.add_argument("--assessment", type=int, help="assessment id (default: the latest)")
    p.set_defaults(func=_cmd_score)
    p = actions.add_parser("predict", help="predict each contract target's reliability next period",
                           description="For each target of the supplier's contracts: the probability of meeting "
                                       "it next period, from the latest maturity score and the target's met/missed "
                                       "history (the verdicts computed from the raw data up to --as-of), with a "
                                       "90 % interval and the reasoning in words.")
    _supplier_options(p)
    p.add_argument("--as-of", help="judge as of this instant, e.g. 2026-12-01T00:00:00Z (default: now)")
    p.set_defaults(func=_cmd_predict)


def _supplier_options(p: argparse.ArgumentParser) -> None:
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--supplier", required=True, help="supplier name")


def _cmd_template(args: argparse.Namespace) -> int:
    from reports.questionnaire_xlsx import write_fillable
    from sltdesk.services.questionnaires import find_supplier, get_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("The fillable questionnaire is an .xlsx file; end --out with .xlsx.")
    ws = open_from_args(args)
    try:
        supplier = find_supplier(ws, args.supplier)
        template = get_template(ws, args.template, args.version)
    finally:
        ws.close()
    try:
        write_fillable(template, supplier=supplier.name, out=out, today=today())
    except OSError as error:
        raise UsageError(f"Cannot write {out} ({error.strerror}); choose another place.") from None
    print(f"Wrote {out}: {template.name} version {template.version}, {len(template.questions)} questions in "
          f"{len(template.sections)} sections, for {supplier.name}.")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.services.questionnaires import list_templates, scored

    ws = open_from_args(args)
    try:
        templates, assessments = list_templates(ws), scored(ws)
    finally:
        ws.close()
    rows_t: list[dict[str, Any]] = [
        {"name": t.name, "version": t.version, "title": t.title, "questions": len(t.questions),
         "sections": [s.code for s in t.sections], "created_at": t.created_at, "source": t.source}
        for t in templates]
    rows_a = [{"id": s.assessment.id, "supplier": s.supplier, "template": s.template.name,
               "version": s.template.version, "assessed_on": s.assessment.assessed_on, "overall": s.card.overall,
               "level": s.card.level, "answered": s.card.answered, "total": s.card.total,
               "red_flags": len(s.card.red_flags)} for s in assessments]
    if args.json:
        print_json({"templates": rows_t, "assessments": rows_a})
        return 0
    print(render_table(["template", "version", "questions", "sections", "title"],
                       [[r["name"], r["version"], r["questions"], _sections_text(r["sections"]), r["title"]]
                        for r in rows_t], right=[1, 2]))
    print()
    print(render_table(["id", "supplier", "template", "assessed", "overall", "level", "answered", "red flags"],
                       [[r["id"], r["supplier"], f"{r['template']} v{r['version']}", r["assessed_on"],
                         _percent(r["overall"]), r["level"] or "", f"{r['answered']}/{r['total']}", r["red_flags"]]
                        for r in rows_a], right=[0, 4, 5, 6, 7]))
    return 0


def _sections_text(codes: list[str]) -> str:
    text = ", ".join(codes)
    return text if len(text) <= 60 else text[:59] + "…"


def _percent(value: Any) -> str:
    return "" if value is None else f"{value * 100:.1f} %"


def _cmd_score(args: argparse.Namespace) -> int:
    from sltdesk.services.questionnaires import score

    ws = open_from_args(args)
    try:
        item = score(ws, supplier=args.supplier, assessment_id=args.assessment)
    finally:
        ws.close()
    document = score_document(item)
    if args.json:
        print_json(document)
        return 0
    card = item.card
    print(f"{item.supplier} — {item.template.title} v{item.template.version}, assessed "
          f"{item.assessment.assessed_on} (assessment {item.assessment.id})")
    print(f"Overall {_percent(card.overall) or 'not rated'} · maturity {card.maturity_index or '–'} · level "
          f"{card.level or '–'} {card.level_name} · {card.answered} of {card.total} answered "
          f"({card.not_applicable} N/A)")
    print()
    print(render_table(["section", "title", "weight", "score", "rated", "n/a", "unanswered"],
                       [[s.code, s.title, s.weight, _percent(s.score), s.rated, s.not_applicable, s.unanswered]
                        for s in card.sections], right=[2, 3, 4, 5, 6]))
    if card.red_flags:
        print("\nRed flags (critical questions answered No or at level 0-1):")
        for flag in card.red_flags:
            print(f"  {flag.code}  {flag.answer}  {flag.text}")
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    from sltdesk.services.questionnaire_outlook import supplier_outlook

    ws = open_from_args(args)
    try:
        from sltdesk.cli.commands.periods import as_of_epoch

        outlook = supplier_outlook(ws, args.supplier, as_of=as_of_epoch(args.as_of))
    finally:
        ws.close()
    rows = [{"contract": o.contract, "target": o.target, "periods": o.prediction.periods, "met": o.prediction.met,
             "maturity_index": o.prediction.maturity_index, "prior": round(o.prediction.prior_mean, 4),
             "probability": round(o.prediction.probability, 4), "low": round(o.prediction.low, 4),
             "high": round(o.prediction.high, 4), "interval": o.prediction.interval,
             "assessed_on": o.assessed_on, "explanation": o.prediction.explanation} for o in outlook]
    if args.json:
        print_json({"supplier": args.supplier, "targets": rows})
        return 0
    if not rows:
        print(f"{args.supplier} has no contract targets to predict.")
        return 0
    print(render_table(["contract", "target", "met", "prior", "predicted", "90 % interval"],
                       [[r["contract"], r["target"], f"{r['met']}/{r['periods']}", f"{r['prior']:.2f}",
                         f"{r['probability']:.2f}", f"{r['low']:.2f}–{r['high']:.2f}"] for r in rows],
                       right=[2, 3, 4]))
    print()
    for r in rows:
        print(f"{r['contract']} {r['target']}: {r['explanation']}")
    return 0


def _import_questionnaire(args: argparse.Namespace) -> int:
    from sltdesk.cli.commands.questionnaire_import import run_import

    return run_import(args)
