"""`sltdesk rules list|export|load`: how a contract's targets are measured, as data (like `sltdesk clauses`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sltdesk.cli.commands.common import (
    UsageError,
    add_contract_option,
    open_from_args,
    print_json,
    read_json_file,
)
from sltdesk.cli.textable import render_table


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("rules", help="how a contract's targets are measured: list, export, load",
                         description="A measurement rule says how one contract target is computed from the raw "
                                     "data: source, ticket clock, pause states, interval rule, missing-data policy, "
                                     "response definition, contractual rounding. Export them to a JSON file, edit "
                                     "it, load it back (all rules or none; each change audited).")
    actions = top.add_subparsers(dest="rules_command", metavar="ACTION", parser_class=type(top), required=True)
    p = actions.add_parser("list", help="list each target with its rule")
    add_contract_option(p)
    p.set_defaults(func=_cmd_list)
    p = actions.add_parser("export", help="write the contract's rules as a JSON rule file")
    add_contract_option(p)
    p.add_argument("--out", required=True, help="the file to write, e.g. rules.json")
    p.set_defaults(func=_cmd_export)
    p = actions.add_parser("load", help="set rules from a JSON rule file",
                           description='Set the rules of a JSON file {"rules": [{"target": NAME, "source": ..., '
                                       '...}]} (the form `sltdesk rules export` writes). A target\'s rule is '
                                       "replaced; a field left out takes its default. Every problem names the "
                                       "target and the field, and nothing is stored until all are fixed.")
    add_contract_option(p)
    p.add_argument("file", help="the rule file")
    p.add_argument("--replace", action="store_true", help="also remove the rules of targets the file leaves out")
    p.set_defaults(func=_cmd_load)



def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.rules.measurement_rules import rule_to_plain
    from sltdesk.services.measurement_rules import contract_rules

    ws = open_from_args(args)
    try:
        contract, pairs = contract_rules(ws, args.contract)
    finally:
        ws.close()
    if args.json:
        print_json({"contract": contract.ref, "targets": [
            {"target": t.name, "metric": t.metric.value, "rule": rule_to_plain(r, t.name) if r else None}
            for t, r in pairs]})
        return 0
    print(f"{contract.ref} — {sum(r is not None for _, r in pairs)} of {len(pairs)} targets have a rule")
    print(render_table(["target", "metric", "rule"], [[t.name, t.metric.value, _words(r)] for t, r in pairs]))
    return 0


def _words(rule) -> str:
    """The fields that differ from the defaults, as `name=value`."""
    if rule is None:
        return "(none: not measured)"
    from sltdesk.domain.measurement import MeasurementRule
    from sltdesk.rules.measurement_rules import rule_to_plain

    default = rule_to_plain(MeasurementRule(target_id=0, source=rule.source), "")
    plain = rule_to_plain(rule, "")
    parts = [f"source={plain['source']}"] + [f"{k}={_short(v)}" for k, v in plain.items()
                                             if k not in ("target", "source") and v != default[k]]
    return ", ".join(parts)


def _short(value) -> str:
    return ";".join(value) if isinstance(value, list) else str(value)


def _cmd_export(args: argparse.Namespace) -> int:
    from sltdesk.services.measurement_rules import export_rules

    ws = open_from_args(args)
    try:
        doc = export_rules(ws, args.contract)
    finally:
        ws.close()
    Path(args.out).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.json:
        print_json({"written": args.out, "rules": len(doc["rules"])})
    else:
        print(f"{len(doc['rules'])} rules of {doc['contract']} written to {args.out}")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from sltdesk.services.measurement_rules import load_rules

    path = Path(args.file)
    doc = read_json_file(path, "rule file", encoding="utf-8-sig")
    entries = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise UsageError(f'{path.name}: a rule file holds {{"rules": [{{"target": ..., "source": ...}}]}}.')
    ws = open_from_args(args)
    try:
        stored = load_rules(ws, args.contract, entries, replace_existing=args.replace)
    finally:
        ws.close()
    if args.json:
        print_json({"contract": args.contract, "rules": len(stored)})
    else:
        print(f"{len(stored)} rules of {args.contract} set from {path.name}")
    return 0
