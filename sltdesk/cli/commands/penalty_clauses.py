"""`sltdesk clauses list|templates|apply-template|load|export|remove`: a contract's credit clauses as data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sltdesk.cli.commands.common import (
    UsageError,
    add_contract_option,
    add_json_option,
    add_workspace_option,
    open_from_args,
    print_json,
    read_json_file,
)
from sltdesk.cli.textable import render_table


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("clauses", help="a contract's service-credit clauses: list, templates, apply, load, export",
                         description="Credit clauses are data attached to a contract and its targets. Apply a "
                                     "template, load a clause file (JSON), export one to edit, or remove a clause.")
    actions = top.add_subparsers(dest="clauses_command", metavar="ACTION", parser_class=type(top), required=True)
    p = actions.add_parser("list", help="list a contract's clauses in words")
    add_contract_option(p)
    p.set_defaults(func=_cmd_list)
    p = actions.add_parser("templates", help="list the clause templates with their sources")
    add_json_option(p)
    p.set_defaults(func=_cmd_templates)
    p = actions.add_parser("apply-template", help="add a template's clauses to a contract",
                           description="Add a template's clauses to a contract. Each template slot gets the target "
                                       "you name with --target SLOT=NAME, else the first unused target of its metric.")
    add_contract_option(p)
    p.add_argument("--template", required=True, help="template name (see `sltdesk clauses templates`)")
    p.add_argument("--target", action="append", default=[], metavar="SLOT=TARGET", help="fill a slot; repeatable")
    p.add_argument("--replace", action="store_true", help="remove the contract's clauses first")
    p.set_defaults(func=_cmd_apply)
    p = actions.add_parser("load", help="add clauses from a JSON clause file",
                           description='Add the clauses of a JSON file {"clauses": [{"kind", "target", "parameters", '
                                       '"source"}]} (the form `sltdesk clauses export` writes).')
    add_contract_option(p)
    p.add_argument("file", help="the clause file")
    p.add_argument("--replace", action="store_true", help="remove the contract's clauses first")
    p.set_defaults(func=_cmd_load)
    p = actions.add_parser("export", help="write a contract's clauses as a JSON clause file")
    add_contract_option(p)
    p.add_argument("--out", required=True, help="the file to write, e.g. clauses.json")
    p.set_defaults(func=_cmd_export)
    p = actions.add_parser("remove", help="remove one clause by its id (audited)")
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("id", type=int, help="clause id (see `sltdesk clauses list`)")
    p.set_defaults(func=_cmd_remove)



def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.domain.penalties import terms_to_plain
    from sltdesk.services.penalties import clause_views

    ws = open_from_args(args)
    try:
        contract, views = clause_views(ws, args.contract)
    finally:
        ws.close()
    if args.json:
        print_json({"contract": contract.ref, "clauses": [
            {"id": v.clause.id, "kind": v.kind, "target": v.target or None,
             "parameters": terms_to_plain(v.clause.terms), "text": v.text, "source": v.clause.source}
            for v in views]})
        return 0
    print(f"{contract.ref} — {len(views)} clauses")
    print(render_table(["id", "kind", "target", "terms"], [[v.clause.id, v.kind, v.target or "(contract)", v.text]
                                                          for v in views], right=[0]))
    return 0


def _cmd_templates(args: argparse.Namespace) -> int:
    from sltdesk.services.clause_templates import list_templates

    templates = list_templates()
    if args.json:
        print_json([{"name": t.name, "title": t.title, "description": t.description, "source": t.source,
                     "slots": t.slots, "clauses": list(t.clauses)} for t in templates])
        return 0
    for t in templates:
        print(f"{t.name} — {t.title}\n  source: {t.citation} ({t.source.get('table_date', '')})\n"
              f"  slots: {', '.join(t.slots)}\n")
    return 0


def _cmd_apply(args: argparse.Namespace) -> int:
    from sltdesk.services.clause_templates import apply_template

    targets = {}
    for item in args.target:
        slot, sep, name = item.partition("=")
        if not sep or not slot.strip() or not name.strip():
            raise UsageError(f"--target needs SLOT=TARGET, e.g. --target availability='Power availability'; "
                             f"got '{item}'.")
        targets[slot.strip()] = name.strip()
    ws = open_from_args(args)
    try:
        slots, stored = apply_template(ws, args.contract, args.template, targets=targets,
                                       replace_existing=args.replace)
    finally:
        ws.close()
    if args.json:
        print_json({"contract": args.contract, "template": args.template, "slots": slots,
                    "clauses": [c.id for c in stored]})
    else:
        filled = ", ".join(f"{slot} → {name}" for slot, name in slots.items())
        print(f"Applied {args.template} to {args.contract}: {len(stored)} clauses ({filled}).")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from sltdesk.services.clause_templates import clauses_from_file
    from sltdesk.services.penalties import add_clauses

    path = Path(args.file)
    document = read_json_file(path, "clause file")
    ws = open_from_args(args)
    try:
        stored = add_clauses(ws, args.contract, clauses_from_file(ws, args.contract, document),
                             replace_existing=args.replace)
    finally:
        ws.close()
    if args.json:
        print_json({"contract": args.contract, "clauses": [c.id for c in stored]})
    else:
        print(f"Loaded {len(stored)} clauses into {args.contract} from {path}.")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from sltdesk.services.clause_templates import clauses_to_file
    from sltdesk.services.penalties import clause_views

    ws = open_from_args(args)
    try:
        contract, views = clause_views(ws, args.contract)
    finally:
        ws.close()
    try:
        Path(args.out).write_text(json.dumps(clauses_to_file(views, contract.ref), indent=2, ensure_ascii=False) + "\n",
                                  encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot write {args.out} ({error.strerror}); choose another place.") from None
    if args.json:
        print_json({"contract": contract.ref, "file": args.out, "clauses": len(views)})
    else:
        print(f"Wrote {len(views)} clauses of {contract.ref} to {args.out}.")
    return 0


def _cmd_remove(args: argparse.Namespace) -> int:
    from sltdesk.services.penalties import remove_clause

    ws = open_from_args(args)
    try:
        clause = remove_clause(ws, args.id)
    finally:
        ws.close()
    if args.json:
        print_json({"removed": args.id, "kind": clause.kind.value})
    else:
        print(f"Removed clause {args.id} ({clause.kind.value}).")
    return 0
