"""Sub-commands of the foundation: new, demo, list, info, audit verify, audit anchor."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sltdesk.cli.commands.common import (
    UsageError,
    add_json_option,
    add_workspace_option,
    jsonable,
    open_from_args,
    print_json,
    today,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="create an empty workspace (a file, or a database URL holding no tables)",
                       description="Create an empty workspace: a SQLite file (refused if it exists), or a database "
                                   "URL such as postgresql+psycopg://host/db (refused if it already holds tables). "
                                   "Every other command opens existing workspaces only.")
    p.add_argument("workspace", help="the new workspace: a file such as mine.sltdesk, or a database URL")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("demo", help="build the demo portfolio (and open it)",
                       description="Build the demo portfolio into a new workspace file, deterministically from "
                                   "the seed, then open it in the desktop application.")
    p.add_argument("workspace", help="the new workspace file, e.g. demo.sltdesk, or a database URL holding no tables")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7): same seed, same portfolio")
    p.add_argument("--no-gui", action="store_true", help="only build the file, do not open the application")
    p.add_argument("--force", action="store_true", help="replace the file if it exists")
    p.add_argument("--register-only", action="store_true",
                   help="only the register (no 18 months of raw data): a second instead of ten")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("list", help="list suppliers, contracts or targets of the register",
                       description="List part of the supplier register, so scripts can find references.")
    p.add_argument("what", choices=["suppliers", "contracts", "targets"], help="what to list")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("info", help="show what a workspace holds and its audit head",
                       description="Show the workspace's location, schema revision, record counts and audit head.")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_info)

    audit = sub.add_parser("audit", help="check the tamper-evident audit trail",
                           description="Commands on the workspace's hash-chained audit trail.")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=type(audit),
                                     required=True)
    p = audit_sub.add_parser("verify", help="recompute the hash chain",
                             description="Recompute the SHA-256 chain of every audit entry. Prints "
                                         "`OK <n> entries, head <hash>` and exits 0, or names the first entry "
                                         "that does not match and exits 1.")
    p.add_argument("--anchor", metavar="FILE|HASH",
                   help="also check that the trail still holds the entry of this anchor (a file `audit anchor "
                        "--out` wrote, or a head hash): catches entries removed back past it")
    p.add_argument("--deep", action="store_true",
                   help="also compare every register record with its latest audit entry and every import "
                        "batch with its content hash; names each one changed outside the app")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_audit_verify)
    p = audit_sub.add_parser("anchor", help="print the head hash, entry count and time, to keep outside",
                             description="Print the verified head of the audit trail with its entry count and "
                                         "the time (UTC), in a form to paste into an e-mail or to sign. "
                                         "`audit verify --anchor` later proves the trail was not cut back.")
    p.add_argument("--out", metavar="FILE", help="write the anchor to this file as well")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_audit_anchor)


def _cmd_new(args: argparse.Namespace) -> int:
    from models.workspace import open_workspace

    ws = open_workspace(args.workspace, create=True)
    location = ws.location
    ws.close()
    print(f"Empty workspace created: {location}. Next: `sltdesk import contracts FILE.xlsx -w {args.workspace}` "
          "(the register workbook; `sltdesk template contracts --out FILE.xlsx` writes an empty one).")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    written = _write_demo(args)  # the collector's threshold is the command line's (sltdesk/__main__.py)
    if args.no_gui:
        return 0
    from sltdesk.cli import run_gui_or_explain

    return run_gui_or_explain(str(written))


def _write_demo(args: argparse.Namespace) -> Path | str:
    """Build the demo into its file (or database); where it was written."""
    from models.workspace import open_workspace
    from sltdesk.services.demo import build_demo
    from sltdesk.services.views import dashboard_view
    from sltdesk.wiring import demo_raw_importer

    url = "://" in args.workspace
    path = Path(args.workspace)
    if not url and path.exists() and not args.force:
        raise UsageError(f"{path} already exists; use --force to replace it, or choose another name.")
    building = None if url else _building_name(path)  # renamed to `path` once whole: never half a demo there
    # a database URL must hold no tables
    ws = open_workspace(args.workspace if building is None else building, create=True)
    try:
        build_demo(ws, seed=args.seed, progress=_print_progress,
                   raw_importer=None if args.register_only else demo_raw_importer)
        counts = dashboard_view(ws, today=today()).counts
    except BaseException:
        ws.close()
        if building is not None:
            _remove_workspace_file(building)
        raise
    location = ws.location
    ws.close()
    if building is not None:
        _finish(building, path)
    written = location if url else path
    summary = ", ".join(f"{n:,} {label}" for label, n in counts.items())
    print(f"Demo portfolio written to {written} ({summary}).")
    return written


def _building_name(path: Path) -> Path:
    """A hidden file beside `path` to build into; a killed build's leftovers there are removed first."""
    import os

    from sltdesk.tempdirs import pid_alive

    for stale in path.parent.glob(f".{path.name}.building-*"):
        pid = stale.name.rsplit(".building-", 1)[-1].split("-")[0]
        if pid.isdigit() and not pid_alive(int(pid)):
            stale.unlink(missing_ok=True)
    return path.with_name(f".{path.name}.building-{os.getpid()}")


def _finish(building: Path, path: Path) -> None:
    """Fold the write-ahead log into the file, then put it under its name in one rename."""
    import os
    import sqlite3

    conn = sqlite3.connect(building)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")  # the -wal goes; reopening switches WAL back on
    finally:
        conn.close()
    _remove_workspace_file(path)
    os.replace(building, path)


def _remove_workspace_file(path: Path) -> None:
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)


def _print_progress(percent: int, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{percent:3d} % {message:<60}", end="" if percent < 100 else "\n", file=sys.stderr, flush=True)


_LISTS = {
    "suppliers": ("supplier_rows", ["id", "name", "category", "criticality", "contracts"]),
    "contracts": ("contract_rows", ["id", "ref", "supplier", "currency", "charges", "charges_period", "start",
                                    "end", "renewal_type", "notice_deadline"]),
    "targets": ("target_rows", ["id", "contract", "name", "metric", "comparison", "threshold", "unit",
                                "measurement_period"]),
}


def _cmd_list(args: argparse.Namespace) -> int:
    from sltdesk.services import views

    view_name, columns = _LISTS[args.what]
    ws = open_from_args(args)
    try:
        rows = jsonable(getattr(views, view_name)(ws))
    finally:
        ws.close()
    if args.json:
        print_json(rows)
    else:
        from sltdesk.cli.textable import render_table

        right = [i for i, c in enumerate(columns) if c in ("id", "charges", "threshold", "contracts")]
        print(render_table(columns, [[r[c] for c in columns] for r in rows], right=right))
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from sltdesk import __version__
    from sltdesk.services.audit import audit_head
    from sltdesk.services.views import dashboard_view

    ws = open_from_args(args)
    try:
        head = audit_head(ws)
        view = dashboard_view(ws, today=today())
        info = {"location": ws.location, "schema": ws.schema_revision(), "app_version": __version__,
                "user": ws.user, "role": ws.role.value,
                "counts": view.counts, "audit_entries": head.entries, "audit_head": head.head,
                "alerts": [a.sentence for a in view.alerts]}
    finally:
        ws.close()
    if args.json:
        print_json(info)
    else:
        print(f"Workspace  {info['location']} (schema {info['schema']})")
        if ws.team:
            print(f"You        {ws.user} ({ws.role.value})")
        print("Holds      " + ", ".join(f"{n:,} {k}" for k, n in info["counts"].items()))
        print(f"Audit      {head.entries} entries, head {head.head}")
        for sentence in info["alerts"]:
            print(f"Alert      {sentence}")
    return 0


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from sltdesk.services.audit import verify_audit

    anchor = _read_anchor(args.anchor) if args.anchor else None
    ws = open_from_args(args)
    try:
        report = verify_audit(ws)
        anchored = _anchor_problem(ws, anchor) if anchor else None
        deep = _deep(ws) if args.deep else None
    finally:
        ws.close()
    ok = report.ok and not anchored and (deep is None or deep.ok)
    if args.json:
        print_json({"ok": ok, "entries": report.entries, "head": report.head, "chain_ok": report.ok,
                    "first_bad_entry": report.first_bad_seq, "problem": report.problem,
                    **({"anchor": {"ok": not anchored, "entries": anchor.entries, "head": anchor.head,
                                   "at": anchor.at_utc, "problem": anchored}} if anchor else {}),
                    **({"deep": {"ok": deep.ok, "records": deep.records, "batches": deep.batches,
                                 "problems": list(deep.problems), "notes": list(deep.notes)}} if deep else {})})
        return 0 if ok else 1
    if report.ok:
        print(f"OK {report.entries} entries, head {report.head}")
    else:
        print(f"TAMPERED at entry {report.first_bad_seq}: {report.problem}. "
              f"The first {report.entries} entries are intact.")
    if anchor:
        print(f"ANCHOR NOT MATCHED: {anchored}." if anchored else
              f"Anchor matched: entry {anchor.entries or 'with that head'} still holds the anchored head.")
    if deep:
        _print_deep(deep)
    return 0 if ok else 1


def _read_anchor(given: str):
    from sltdesk.rules.audit_anchor import parse_anchor

    path = Path(given)
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else given
        return parse_anchor(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"--anchor {given}: {error}.") from None


def _anchor_problem(ws, anchor) -> str:
    from sltdesk.services.audit_anchor import check_anchor

    return check_anchor(ws, anchor)


def _deep(ws):
    from sltdesk.services.audit_deep import deep_check

    return deep_check(ws)


def _print_deep(deep) -> None:
    for note in deep.notes:
        print(f"Note: {note}.")
    for problem in deep.problems:
        print(f"CHANGED OUTSIDE THE APP: {problem}.")
    if deep.ok:
        print(f"Deep check OK: {deep.records:,} records and {deep.batches:,} import batches match their audit trail.")
    else:
        print(f"Deep check found {len(deep.problems)} record(s) or batch(es) changed outside the app.")


def _cmd_audit_anchor(args: argparse.Namespace) -> int:
    from sltdesk.rules.audit_anchor import format_anchor
    from sltdesk.services.audit_anchor import take_anchor

    ws = open_from_args(args)
    try:
        anchor = take_anchor(ws)
        location = ws.location
    finally:
        ws.close()
    text = format_anchor(anchor, location=location)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {args.out}: {error.strerror or error}.") from None
    if args.json:
        print_json({"entries": anchor.entries, "head": anchor.head, "at": anchor.at_utc, "workspace": location,
                    **({"file": args.out} if args.out else {})})
    else:
        print(text, end="")
        if args.out:
            print(f"Written to {args.out}; check later with `sltdesk audit verify --anchor {args.out}`.")
    return 0
