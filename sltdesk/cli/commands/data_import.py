"""`sltdesk import tickets|ticket-events|outages|samples|vendor-report|credit-notes|maintenance FILE ...`."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option, open_from_args, print_json
from sltdesk.cli.commands.import_cmd import HANDLERS
from sltdesk.domain.raw import FIELDS, RecordKind, Severity

SHOWN_FINDINGS = 40  # at most this many findings in the text output
PER_CODE = 5  # and at most this many of one kind
PERIOD_CODES = ("added-beside", "replaces-period")  # printed under the first line, before the other findings


def register(sub: argparse._SubParsersAction) -> None:
    for kind in RecordKind:
        HANDLERS[kind.value] = _import_raw
    batches = sub.add_parser("imports", help="list or remove imported batches",
                             description="The batches imported into a workspace, with their provenance.")
    actions = batches.add_subparsers(dest="imports_command", metavar="ACTION", parser_class=type(batches),
                                     required=True)
    p = actions.add_parser("list", help="list the imported batches",
                           description="List every imported batch: file, SHA-256, sheet, counts, who and when.")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_list_batches)
    p = actions.add_parser("remove", help="remove a batch and every record it brought (audited)",
                           description="Remove an imported batch and the records it brought; the removal is audited.")
    p.add_argument("batch", type=int, help="the batch id (see `sltdesk imports list`)")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_remove_batch)


def _list_batches(args: argparse.Namespace) -> int:
    from sltdesk.cli.textable import render_table
    from sltdesk.services.imports import list_batches

    ws = open_from_args(args)
    try:
        batches = list_batches(ws)
    finally:
        ws.close()
    if args.json:
        print_json([{"batch_id": b.id, "kind": b.kind, "contract": b.contract, "file": b.file_name,
                     "sha256": b.sha256, "sheet": b.sheet, "imported_at": b.imported_at, "imported_by": b.imported_by,
                     "rows_read": b.rows_read, "rows_accepted": b.rows_accepted, "rows_rejected": b.rows_rejected,
                     "stored": b.stored, "skipped_as_already_imported": b.skipped, "findings": len(b.findings),
                     "superseded": [{"by_batch": by, "records": n} for by, n in b.superseded]}
                    for b in batches])
        return 0
    print(render_table(["id", "kind", "contract", "file", "imported (UTC)", "read", "accepted", "rejected", "stored",
                        "skipped", "sha256"],
                       [[b.id, b.kind, b.contract, b.file_name, b.imported_at[:16].replace("T", " "), b.rows_read,
                         b.rows_accepted, b.rows_rejected, "" if b.stored is None else b.stored,
                         "" if b.skipped is None else b.skipped, b.sha256[:12]] for b in batches],
                       right=[0, 5, 6, 7, 8, 9]))
    existing = {b.id for b in batches}
    for b in batches:
        if b.superseded:
            print(f"batch {b.id}: {b.superseded_text(existing)}")
    return 0


def _remove_batch(args: argparse.Namespace) -> int:
    from sltdesk.services import imports

    ws = open_from_args(args)
    try:
        batches = imports.list_batches(ws)
        this = next((b for b in batches if b.id == args.batch), None)
        later = imports.relying_batches(batches, this) if this is not None else []
        lost = imports.lost_records(this, batches) if this is not None else []
        removed = imports.remove_import(ws, args.batch)
    finally:
        ws.close()
    if args.json:
        print_json({"batch_id": args.batch, "removed": removed, "later_batches_affected": [b.id for b in later],
                    "not_restored": [{k: h[k] for k in ("batch", "file", "records", "period")} for h in lost]})
    else:
        what = ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in removed.items()) or "no records"
        print(f"Removed batch {args.batch}: {what}.")
        if later:
            print(f"Note: {imports.relying_warning(later)}")
        if lost:
            print(f"Note: {imports.not_restored_warning(args.batch, lost)}")
    return 0


def _import_raw(args: argparse.Namespace) -> int:
    from importers.mapping import prune_unknown_columns
    from importers.pipeline import parse_file
    from importers.sandbox import run_isolated
    from sltdesk.services import imports

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path} does not exist or is not a file.")
    if not args.contract:
        raise UsageError("Name the contract the records belong to with --contract REF (see `sltdesk list contracts`).")
    kind = RecordKind(args.kind)
    if path.suffix.lower() == ".ics" and kind is not RecordKind.MAINTENANCE:
        raise UsageError(f"{path.name} is a calendar: import it as maintenance (planned windows), not {kind.value}.")
    ws = open_from_args(args)
    try:
        contract = imports.find_contract(ws, args.contract)
        supplier = imports.supplier_of(ws, contract)
        profile_name = args.profile or "default"
        saved = imports.load_profile(ws, supplier_id=supplier.id, kind=kind, name=profile_name) or {}
        if args.profile and not saved:
            print(f"sltdesk: profile '{args.profile}' is new; it will be saved after this import.", file=sys.stderr,
                  flush=True)  # on stderr: --json keeps stdout to its one document
        explicit = _explicit_mapping(args, kind)
        choices = _choices(args, saved, kind, explicit)
        options = imports.build_options(ws, kind=kind, contract=contract, **choices)
        parsed = run_isolated(parse_file, path, options, file=path)
        pruned = prune_unknown_columns(parsed, {f: c for f, c in choices["mapping"].items() if f not in explicit})
        if pruned is not None:  # the saved profile came from an export with other columns: suggest afresh
            print(f"sltdesk: the saved profile '{profile_name}' names columns this file does not have; the columns "
                  "are suggested from its headers instead.", file=sys.stderr, flush=True)
            choices["mapping"] = {**pruned, **explicit}
            options = imports.build_options(ws, kind=kind, contract=contract, **choices)
            parsed = run_isolated(parse_file, path, options, file=path)
        if args.strict and parsed.rows_rejected:
            parsed.fatal = True
            parsed.findings.insert(0, _strict_finding(parsed.rows_rejected))
        try:
            report = imports.store_import(ws, parsed, contract=contract, options=options, dry_run=args.dry_run,
                                          replace_period=args.replace_period)
        except imports.ImportRefused as refused:
            _print(refused.report, args, refused=str(refused))
            return 1
        if report.batch_id is not None:
            _save_profile(ws, report, supplier_id=supplier.id, kind=kind, name=profile_name,
                          options=_profile_options(choices, parsed))
    finally:
        ws.close()
    _print(report, args)
    return 0


def _save_profile(ws, report, **profile) -> None:
    """The import is committed by now: a profile that cannot be saved is a warning, never a failed import."""
    from sltdesk.errors import BusyError
    from sltdesk.services import imports

    try:
        imports.save_profile(ws, **profile)
    except BusyError as error:
        print(f"sltdesk: batch {report.batch_id} was imported, but its column profile '{profile['name']}' was not "
              f"saved: {error}", file=sys.stderr, flush=True)


def _explicit_mapping(args: argparse.Namespace, kind: RecordKind) -> dict[str, str]:
    """The --map choices, each checked."""
    mapping = {}
    for item in args.map:
        field, sep, column = item.partition("=")
        if not sep or not field.strip():
            raise UsageError(f"--map needs FIELD=COLUMN, e.g. --map opened_at=Beginn (or FIELD= to leave the field "
                             f"unmapped); got '{item}'.")
        _check_field(field.strip(), kind, "--map")
        mapping[field.strip()] = column.strip()
    return mapping


def _check_field(field: str, kind: RecordKind, option: str) -> None:
    kinds = (kind, RecordKind.TICKET_EVENTS) if kind is RecordKind.TICKETS else (kind,)
    known = list(dict.fromkeys(f.name for k in kinds for f in FIELDS[k]))
    if field not in known:
        raise UsageError(f"{option}: there is no field '{field}' in {kind.value}; the fields are: {', '.join(known)}.")


def _choices(args: argparse.Namespace, saved: dict, kind: RecordKind, explicit: dict[str, str]) -> dict:
    """Explicit options win over the saved profile's."""
    if args.period:
        from sltdesk.domain.period import Span

        try:
            Span.parse(args.period)
        except ValueError as error:
            raise UsageError(f"--period: {error}") from None
    if args.header_row is not None and args.header_row < 1:
        raise UsageError(f"--header-row is a row number counted from 1 (the sheet's first row); got {args.header_row}.")
    mapping = {**saved.get("mapping", {}), **explicit}
    values = [tuple(v) for v in saved.get("value_map", [])]
    for item in args.value:
        head, sep, value = item.partition("=")
        field, colon, label = head.partition(":")
        if not (sep and colon):
            raise UsageError(f"--value needs FIELD:LABEL=VALUE, e.g. --value 'priority:Sev 2=P2'; got '{item}'.")
        _check_field(field.strip(), kind, "--value")
        values.append((field.strip(), label.strip(), value.strip()))
    return {"timezone": args.timezone or saved.get("timezone"), "sheet": args.sheet or saved.get("sheet"),
            "header_row": args.header_row or saved.get("header_row"), "mapping": mapping, "value_map": values,
            "dayfirst": args.dayfirst if args.dayfirst is not None else saved.get("dayfirst"), "period": args.period,
            "null_markers": list(dict.fromkeys([*saved.get("null_markers", []), *getattr(args, "null", [])])),
            "preset": _preset(getattr(args, "preset", None)) or saved.get("preset") or ""}


def _preset(name: str | None) -> str:
    """The --preset NAME, checked ("" when not given)."""
    if not name:
        return ""
    from importers.presets import NONE, named

    if name.strip().lower() == NONE:
        return NONE
    try:
        return named(name).name
    except KeyError as error:
        raise UsageError(f"--preset: {error.args[0]}") from None


def _profile_options(choices: dict, parsed) -> dict:
    """What the next file from this supplier starts from: the preset used (or `none`), and the choices."""
    used = {field: header for field, header in parsed.mapping.items() if not header.startswith(("title row", "--"))}
    return {"mapping": used, "value_map": [list(v) for v in choices["value_map"]], "timezone": choices["timezone"],
            "sheet": choices["sheet"], "header_row": choices["header_row"], "dayfirst": choices["dayfirst"],
            "null_markers": choices["null_markers"], "preset": parsed.preset or choices["preset"]}


def _strict_finding(rejected: int):
    from sltdesk.domain.raw import Finding

    return Finding(Severity.ERROR, "strict", f"{rejected} rows have errors and --strict was given: nothing stored")


def _print(report, args: argparse.Namespace, *, refused: str = "") -> None:
    if report is None:
        raise UsageError(refused)
    if args.json:
        document = report.as_json()
        if refused:
            document["refused"] = refused
        print_json(document)
        return
    if refused:
        print(f"sltdesk: {refused}", file=sys.stderr)  # the one sentence; the details follow on stdout
        print(f"Refused {report.file}: {refused}")
    elif report.dry_run:
        print(f"Checked {report.file} (dry run: nothing stored) — {report.stored:,} {report.kind} would be stored"
              + (f", {report.superseded:,} stored records replaced." if report.replace_period else "."))
    else:
        print(f"Imported {report.file} as batch {report.batch_id} ({report.kind}): {report.stored:,} stored"
              + (f", {report.superseded:,} stored records replaced." if report.replace_period else "."))
    for finding in report.findings:  # what happens to records already stored for the period: said first
        if finding.code in PERIOD_CODES:
            print(f"  {finding.severity.value}: {finding.message}")
    print(f"  sheet '{report.sheet}', sha256 {report.sha256}")
    if report.coverage_text:
        print(f"  {report.coverage_text}")
    if report.periods and not refused:
        print(f"  figures {'that would change' if report.dry_run else 'recomputed'} for: {', '.join(report.periods)}")
    print(f"  {report.rows_read:,} rows read, {report.rows_accepted:,} accepted, {report.rows_rejected:,} rejected"
          + (f", {report.skipped:,} already imported" if report.skipped else "")
          + (f", {report.replaced:,} updated" if report.replaced else ""))
    if report.preset:
        print(f"  preset: {report.preset} — {report.preset_why}")
    if report.mapping:
        why = report.mapping_why
        print("  columns: " + ", ".join(f"{f} ← '{h}'" + (f" ({why[f]})" if why.get(f) else "")
                                        for f, h in report.mapping.items()))
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    print("  findings: " + ", ".join(f"{counts[s]:,} {word}{'' if counts[s] == 1 else 's'}" for s, word in (
        (Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "note"))))
    _print_findings([f for f in report.findings if f.code not in PERIOD_CODES])


def _print_findings(findings) -> None:
    """Errors first, then warnings, then notes; a few of each kind, so one flood cannot hide the rest."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    seen: Counter[str] = Counter(f.code for f in findings)
    shown: Counter[str] = Counter()
    printed = 0
    for finding in sorted(findings, key=lambda f: order[f.severity]):  # stable: file order within each
        if shown[finding.code] >= PER_CODE or printed >= SHOWN_FINDINGS:
            continue
        shown[finding.code] += 1
        printed += 1
        where = " ".join(p for p in (f"row {finding.row}" if finding.row else "", finding.column) if p)
        print(f"  {finding.severity.value:<8} {where:<28} {finding.message}")
    hidden = {code: n - shown[code] for code, n in seen.items() if n > shown[code]}
    if hidden:
        print("  … not shown: " + ", ".join(f"{n:,} more {code}" for code, n in hidden.items())
              + " (use --json for every finding)")
