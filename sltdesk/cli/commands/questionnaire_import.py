"""`sltdesk import questionnaire FILE -w W [--supplier S] [--sheet ...] [--header-row] [--map] [--value]
[--blank-weight 0|1] [--as-template]`."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from sltdesk.cli.commands.common import UsageError, open_from_args, print_json, today


def run_import(args: argparse.Namespace) -> int:
    """Read the workbook, store the template version and the assessment in one transaction, report."""
    from importers.questionnaires import read_questionnaire
    from sltdesk.services.questionnaires import import_questionnaire

    mapping = _pairs(args.map, "--map", "FIELD=COLUMN")
    values = _values(getattr(args, "value", []) or [])
    blank = getattr(args, "blank_weight", None)
    parsed = read_questionnaire(Path(args.file), sheets=getattr(args, "sheets", []) or [], header_row=args.header_row,
                                mapping=mapping, values=values["answer"], criticality=values["criticality"],
                                blank_weight=Decimal(blank) if blank is not None else None)
    ws = open_from_args(args)
    try:
        outcome = import_questionnaire(ws, parsed, supplier=args.supplier, as_template=args.as_template,
                                       today=today(), dry_run=args.dry_run)
    finally:
        ws.close()
    document = _document(parsed, outcome)
    if args.json:
        print_json(document)
    else:
        _print(document)
    return 0


def _pairs(items: list[str], option: str, shape: str) -> dict[str, str]:
    pairs = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"{option} takes {shape}, e.g. {option} question_id=A; got '{item}'.")
        key, value = item.split("=", 1)
        pairs[key.strip()] = value.strip()
    return pairs


def _values(items: list[str]) -> dict[str, dict[str, str]]:
    """--value answer:LABEL=SCORE (score 0..1, or na) and --value criticality:LABEL=critical|standard|minor."""
    values: dict[str, dict[str, str]] = {"answer": {}, "criticality": {}}
    for item in items:
        field, _, rest = item.partition(":")
        if field.strip() not in values or "=" not in rest:
            raise UsageError(f"For questionnaires --value takes answer:LABEL=SCORE (score 0..1 or na) or "
                             f"criticality:LABEL=critical (or standard, minor), e.g. --value 'answer:Partially=0.5'; "
                             f"got '{item}'.")
        label, score = rest.rsplit("=", 1)
        values[field.strip()][label.strip()] = score.strip()
    return values


def _document(parsed: Any, outcome: Any) -> dict[str, Any]:
    from sltdesk.services.questionnaires import ScoredAssessment

    template = outcome.template
    counts = {s.code: sum(1 for q in template.questions if q.section == s.code) for s in template.sections}
    assessment = None
    if outcome.assessment is not None:
        item = ScoredAssessment(outcome.assessment, template, "", outcome.card)
        assessment = score_document(item)
        assessment.pop("supplier")
        if not outcome.stored:  # a dry run rolled the assessment back: it has no id
            assessment["assessment_id"] = None
    difference = outcome.difference
    return {
        "file": parsed.file_name, "sha256": parsed.sha256, "origin": parsed.origin, "sheet": parsed.sheet,
        "header_row": parsed.header_row, "mapping": parsed.mapping, "dry_run": not outcome.stored,
        "sheets": [{"name": s.name, "header_row": s.header_row, "mapping": s.mapping, "questions": s.questions}
                   for s in parsed.sheets],
        "sheet_choice": {"automatic": bool(parsed.sheet_choice), "reason": parsed.sheet_choice or
                         ("as given" if parsed.origin == "foreign" else "the workbook is an SLT Desk questionnaire")},
        "template": {"name": template.name, "version": template.version, "new": outcome.template_is_new,
                     "questions": len(template.questions),
                     "critical": sum(1 for q in template.questions if q.criticality == "critical"),
                     "not_scored": sum(1 for q in template.questions if q.weight == 0),
                     "attached": difference is not None,
                     "differences": None if difference is None else {
                         "added": list(difference.added), "removed": list(difference.removed),
                         "reworded": list(difference.reworded)},
                     "sections": [{"code": s.code, "title": s.title, "questions": counts[s.code]}
                                  for s in template.sections]},
        "assessment": assessment, "unanswered": list(outcome.unanswered),
        "findings": [{"severity": f.severity, "code": f.code, "sheet": f.sheet, "row": f.row, "column": f.column,
                      "message": f.message} for f in outcome.findings],
    }


def _print(doc: dict[str, Any]) -> None:
    t = doc["template"]
    columns = " ".join(f"{k}={v}" for k, v in doc["mapping"].items())
    where = f"sheet {doc['sheet']}, header row {doc['header_row']}" + (f"; columns {columns}" if columns else "")
    if len(doc["sheets"]) > 1:
        where = f"{len(doc['sheets'])} sheets: " + ", ".join(f"{s['name']} ({s['questions']})" for s in doc["sheets"])
    verb = "Checked (dry run, nothing stored)" if doc["dry_run"] else "Imported"
    print(f"{verb} {doc['file']} ({where}).")
    if doc["sheet_choice"]["automatic"]:
        print(f"Sheets chosen: {doc['sheet_choice']['reason']}")
    state = "new version" if t["new"] else "already in the workspace"
    print(f"Template {t['name']} version {t['version']} ({state}): {t['questions']} questions in "
          f"{len(t['sections'])} sections, {t['critical']} critical, {t['not_scored']} not scored.")
    for s in t["sections"]:
        title = f"  {s['title']}" if s["title"] != s["code"] else ""
        print(f"  {s['code']:<12} {s['questions']:>4} questions{title}")
    a = doc["assessment"]
    if a is None:
        print("No assessment stored (no answers in the file, or no supplier named).")
    else:
        overall = "not rated" if a["overall"] is None else f"{a['overall'] * 100:.1f} %"
        print(f"Assessment {a['assessment_id'] or '(dry run)'} of {a['assessed_on']}: {a['answered']} of "
              f"{a['total']} answered; overall {overall}, level {a['level'] or '–'} {a['level_name']}; "
              f"{len(a['red_flags'])} red flags.")
    if doc["unanswered"]:
        shown = ", ".join(doc["unanswered"][:20]) + (" …" if len(doc["unanswered"]) > 20 else "")
        print(f"Unanswered ({len(doc['unanswered'])}): {shown}")
    for f in doc["findings"]:
        if f["severity"] != "info":
            print(f"{f['severity']}: {f['message']}")  # the messages name their rows
    infos = sum(1 for f in doc["findings"] if f["severity"] == "info")
    if infos:
        print(f"({infos} notes, e.g. skipped sheets and rows: see --json)")


def score_document(item: Any) -> dict[str, Any]:
    card = item.card
    return {
        "supplier": item.supplier, "assessment_id": item.assessment.id, "assessed_on": item.assessment.assessed_on,
        "template": {"name": item.template.name, "version": item.template.version},
        "overall": card.overall, "maturity_index": card.maturity_index, "level": card.level,
        "level_name": card.level_name, "answered": card.answered, "not_applicable": card.not_applicable,
        "unanswered": card.unanswered, "total": card.total,
        "sections": [{"code": s.code, "title": s.title, "weight": s.weight, "score": s.score, "rated": s.rated,
                      "not_applicable": s.not_applicable, "unanswered": s.unanswered, "total": s.total}
                     for s in card.sections],
        "red_flags": [{"question": f.code, "answer": f.answer, "text": f.text, "reason": f.reason}
                      for f in card.red_flags],
    }
