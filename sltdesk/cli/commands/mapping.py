"""Sub-commands of end-to-end mapping: template / export / import of the contract register, and coverage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option, open_from_args, print_json
from sltdesk.cli.commands.import_cmd import HANDLERS

PLURALS = {"business_unit": "business units", "supplier": "suppliers", "calendar": "service calendars",
           "contract": "contracts", "contract_target": "contract targets", "service": "services",
           "end_to_end_target": "end-to-end targets", "escalation_level": "escalation levels",
           "component": "components", "component_mapping": "mappings", "supplier_contact": "contacts",
           "contingency_plan": "contingency plans", "measurement_rule": "measurement rules",
           "credit_clause": "credit clauses", "clause_band": "clause bands"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="write an empty, documented workbook template",
                       description="Write the contract-register workbook template (instructions, one sheet per "
                                   "record kind, dropdowns for enumerated values) to fill in and import.")
    p.add_argument("kind", choices=["contracts"], help="which template")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("export", help="export the contract register to a workbook",
                       description="Write the workspace's suppliers, contracts, targets, calendars, services, "
                                   "end-to-end targets, components and mapping in the template's format; "
                                   "importing it into an empty workspace gives the same register.")
    p.add_argument("kind", choices=["contracts"], help="what to export")
    add_workspace_option(p)
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("coverage", help="end-to-end mapping: gaps, overlaps and composition",
                       description="For every end-to-end target: each component's coverage by contract targets "
                                   "(covered, partial, gap, overlap), the supplier commitments composed along "
                                   "the chain, the shortfall and the allocation each component would need.")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_coverage)
    HANDLERS["contracts"] = _cmd_import_contracts


def _target_path(out: str, force: bool) -> Path:
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path.name} must end in .xlsx; name the workbook like register.xlsx.")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to replace it, or choose another name.")
    if not path.parent.resolve().is_dir():
        raise UsageError(f"The folder {path.parent} does not exist; create it first.")
    return path


def _cmd_template(args: argparse.Namespace) -> int:
    from reports.contract_register_xlsx import write_contract_register

    path = write_contract_register(_target_path(args.out, args.force))
    print(f"Contract-register template written to {path}.")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from reports.contract_register_xlsx import write_contract_register
    from sltdesk.services.register_import import register_book

    path = _target_path(args.out, args.force)
    ws = open_from_args(args)
    try:
        book = register_book(ws)
    finally:
        ws.close()
    write_contract_register(path, book)
    counts: dict[str, int] = {}
    for entry in book.entries:
        counts[entry.entity] = counts.get(entry.entity, 0) + 1
    print(f"Contract register written to {path} ({_counted(counts) or 'empty'}).")
    return 0


def _cmd_import_contracts(args: argparse.Namespace) -> int:
    from importers.contract_register import read_contract_register
    from sltdesk.services.register_import import RegisterImportRefused, import_register

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path} does not exist; check the file name.")
    reading = read_contract_register(path, dayfirst=getattr(args, "dayfirst", None))
    warnings = [f for f in reading.findings if f.severity != "error"]
    if reading.errors:
        return _refused(args, reading.file_name, reading.sha256, list(reading.findings))
    ws = open_from_args(args)
    try:
        result = import_register(ws, reading.book, file_name=reading.file_name, sha256=reading.sha256,
                                 dry_run=args.dry_run)
    except RegisterImportRefused as refused:
        return _refused(args, reading.file_name, reading.sha256, refused.findings + warnings)
    finally:
        ws.close()
    if args.json:
        print_json({"imported": not result.dry_run, "dry_run": result.dry_run, "file": result.file_name,
                    "sha256": result.sha256, "created": result.created, "updated": result.updated,
                    "unchanged": result.unchanged, "findings": [_plain_finding(f) for f in warnings]})
        return 0
    verb = "Checked (dry run, nothing stored)" if result.dry_run else "Imported"
    parts = [f"created {_counted(result.created)}" if result.created else "",
             f"updated {_counted(result.updated)}" if result.updated else "",
             f"{result.unchanged} unchanged" if result.unchanged else ""]
    print(f"{verb} {result.file_name} (SHA-256 {result.sha256[:16]}…): {'; '.join(p for p in parts if p) or 'empty'}.")
    for finding in warnings:
        print(f"warning: {finding}")
    return 0


def _refused(args: argparse.Namespace, name: str, sha256: str, findings: list) -> int:
    errors = [f for f in findings if f.severity == "error"]
    if args.json:
        print_json({"imported": False, "file": name, "sha256": sha256,
                    "findings": [_plain_finding(f) for f in findings]})
        return 1
    print(f"sltdesk: {name} was not imported — nothing was stored. Fix these {len(errors)} problem(s) "
          "and import it again:", file=sys.stderr)
    for finding in findings:
        print(f"  {'error' if finding.severity == 'error' else 'warning'}: {finding}", file=sys.stderr)
    return 1


def _plain_finding(finding: Any) -> dict[str, Any]:
    return {"sheet": finding.sheet, "row": finding.row, "column": finding.column, "header": finding.header,
            "message": finding.message, "severity": finding.severity, "text": str(finding)}


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {PLURALS.get(k, k)}" for k, n in counts.items())


def _cmd_coverage(args: argparse.Namespace) -> int:
    from sltdesk.services.coverage import coverage_report, summary

    ws = open_from_args(args)
    try:
        report = coverage_report(ws)
        location = ws.location
    finally:
        ws.close()
    if args.json:
        print_json({"workspace": location, "summary": summary(report),
                    "targets": [_target_json(t) for t in report]})
        return 0
    from sltdesk.cli.commands.mapping_text import render_coverage

    print(render_coverage(report, summary(report)))
    return 0


def _target_json(target: Any) -> dict[str, Any]:
    """The JSON of one end-to-end target (the stored record and escalation path are left out)."""
    from dataclasses import asdict

    plain = asdict(target)
    for key in ("record", "escalation", "service_id"):
        plain.pop(key)
    return plain
