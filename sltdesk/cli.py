"""The command line: `sltdesk SUB-COMMAND ...`; with no arguments it opens the GUI.

This module and __main__ are the composition root: they import the adapters lazily, inside
functions, so that `import sltdesk` stays light.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sltdesk import __version__
from sltdesk.errors import SltDeskError

EPILOG = "Workspaces are SQLite files (*.sltdesk) or a database URL such as postgresql+psycopg://host/db."


class UsageError(SltDeskError):
    """A mistake on the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one sentence, no usage dump
        raise UsageError(f"{message[0].upper()}{message[1:]}; see `{self.prog} --help`.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sltdesk", description="SLT Desk holds suppliers to their service level targets. "
                     "Without a sub-command it opens the desktop application.", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"SLT Desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("open", help="open the desktop application on a workspace",
                       description="Open the desktop application, on WORKSPACE or on the most recent one.")
    p.add_argument("workspace", nargs="?", help="workspace file or database URL")
    p.set_defaults(func=_cmd_open)

    p = sub.add_parser("demo", help="build the demo portfolio (and open it)",
                       description="Build the demo portfolio into a new workspace file, deterministically from "
                                   "the seed, then open it in the desktop application.")
    p.add_argument("workspace", help="the new workspace file, e.g. demo.sltdesk")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7): same seed, same portfolio")
    p.add_argument("--no-gui", action="store_true", help="only build the file, do not open the application")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("list", help="list suppliers, contracts or targets of the register",
                       description="List part of the supplier register, so scripts can find references.")
    p.add_argument("what", choices=["suppliers", "contracts", "targets"], help="what to list")
    _workspace_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("info", help="show what a workspace holds and its audit head",
                       description="Show the workspace's location, schema revision, record counts and audit head.")
    _workspace_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=_cmd_info)

    audit = sub.add_parser("audit", help="check the tamper-evident audit trail",
                           description="Commands on the workspace's hash-chained audit trail.")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=_Parser, required=True)
    p = audit_sub.add_parser("verify", help="recompute the hash chain",
                             description="Recompute the SHA-256 chain of every audit entry. Prints "
                                         "`OK <n> entries, head <hash>` and exits 0, or names the first entry "
                                         "that does not match and exits 1.")
    _workspace_option(p)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=_cmd_audit_verify)
    return parser


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-w", "--workspace", default=os.environ.get("SLTDESK_WORKSPACE"),
                        help="workspace file or database URL (default: $SLTDESK_WORKSPACE)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return _run_gui(None)
        return args.func(args)
    except SltDeskError as error:
        print(f"sltdesk: {error}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
    except KeyboardInterrupt:
        print("sltdesk: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _open(args: argparse.Namespace):
    if not args.workspace:
        raise UsageError("Name the workspace with -w FILE (or set SLTDESK_WORKSPACE).")
    from models.workspace import open_workspace

    return open_workspace(args.workspace)


def _run_gui(workspace: str | None) -> int:
    try:
        from ui.app import run_gui
    except ImportError as error:  # e.g. a server without Qt's system libraries
        raise SltDeskError(f"The desktop application cannot start here ({error}); "
                           "the command-line sub-commands still work.") from None
    return run_gui(workspace)


def _cmd_open(args: argparse.Namespace) -> int:
    return _run_gui(args.workspace)


def _cmd_demo(args: argparse.Namespace) -> int:
    from models.workspace import open_workspace
    from sltdesk.services.demo import build_demo
    from sltdesk.services.views import dashboard_view

    path = Path(args.workspace)
    if path.exists():
        if not args.force:
            raise UsageError(f"{path} already exists; use --force to replace it, or choose another name.")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    ws = open_workspace(path, create=True)
    try:
        build_demo(ws, seed=args.seed, progress=_print_progress)
        counts = dashboard_view(ws, today=_today()).counts
    except BaseException:
        ws.close()
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        raise
    ws.close()
    summary = ", ".join(f"{n} {label}" for label, n in counts.items())
    print(f"Demo portfolio written to {path} ({summary}).")
    return 0 if args.no_gui else _run_gui(str(path))


def _print_progress(percent: int, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{percent:3d} % {message:<60}", end="" if percent < 100 else "\n", file=sys.stderr, flush=True)


def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.services import views

    ws = _open(args)
    try:
        listing: dict[str, Callable[[Any], tuple[list[str], list[dict[str, Any]]]]] = {
            "suppliers": lambda w: (["id", "name", "category", "criticality", "contracts"],
                                    [_jsonable(r) for r in views.supplier_rows(w)]),
            "contracts": lambda w: (["id", "ref", "supplier", "currency", "charges", "charges_period", "start", "end",
                                     "renewal_type", "notice_deadline"],
                                    [_jsonable(r) for r in views.contract_rows(w)]),
            "targets": lambda w: (["id", "contract", "name", "metric", "comparison", "threshold", "unit",
                                   "measurement_period"],
                                  [_jsonable(r) for r in views.target_rows(w)]),
        }
        columns, rows = listing[args.what](ws)
    finally:
        ws.close()
    if args.json:
        _print_json(rows)
    else:
        from sltdesk.textable import render_table

        right = [i for i, c in enumerate(columns) if c in ("id", "charges", "threshold", "contracts")]
        print(render_table(columns, [[r[c] for c in columns] for r in rows], right=right))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from sltdesk.services.audit import audit_head
    from sltdesk.services.views import dashboard_view

    ws = _open(args)
    try:
        head = audit_head(ws)
        view = dashboard_view(ws, today=_today())
        info = {"location": ws.location, "schema": ws.schema_revision(), "app_version": __version__,
                "counts": view.counts, "audit_entries": head.entries, "audit_head": head.head,
                "alerts": [a.sentence for a in view.alerts]}
    finally:
        ws.close()
    if args.json:
        _print_json(info)
    else:
        print(f"Workspace  {info['location']} (schema {info['schema']})")
        print("Holds      " + ", ".join(f"{n} {k}" for k, n in info["counts"].items()))
        print(f"Audit      {head.entries} entries, head {head.head}")
        for sentence in info["alerts"]:
            print(f"Alert      {sentence}")
    return 0


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from sltdesk.services.audit import verify_audit

    ws = _open(args)
    try:
        report = verify_audit(ws)
    finally:
        ws.close()
    if args.json:
        _print_json({"ok": report.ok, "entries": report.entries, "head": report.head,
                     "first_bad_entry": report.first_bad_seq, "problem": report.problem})
    elif report.ok:
        print(f"OK {report.entries} entries, head {report.head}")
    else:
        print(f"TAMPERED at entry {report.first_bad_seq}: {report.problem}. "
              f"The first {report.entries} entries are intact.")
    return 0 if report.ok else 1


def _today() -> date:
    """The user's local calendar date."""
    return datetime.now().astimezone().date()


def _jsonable(row: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return {k: _json_value(v) for k, v in asdict(row).items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # amounts travel as strings, never floats
    if isinstance(value, date):
        return value.isoformat()
    return value


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False, default=_json_value)
    sys.stdout.write("\n")
