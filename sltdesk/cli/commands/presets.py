"""`sltdesk presets list [--json]`: the mapping presets for tools' exports, each with its header fingerprint."""

from __future__ import annotations

import argparse

from sltdesk.cli.commands.common import add_json_option, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("presets", help="the mapping presets for tools' exports (ServiceNow, UptimeRobot)",
                       description="Presets map a tool's export without --map: each is detected when the file's "
                                   "header row holds every column of its fingerprint, or chosen with "
                                   "`sltdesk import … --preset NAME`.")
    actions = p.add_subparsers(dest="presets_command", metavar="ACTION", parser_class=type(p), required=True)
    listing = actions.add_parser("list", help="list the presets with their fingerprints",
                                 description="Every preset: its name, the records it reads, the headers that "
                                             "identify the export, its columns, labels, null markers, date order "
                                             "and where its header row comes from.")
    add_json_option(listing)
    listing.set_defaults(func=_list)


def _list(args: argparse.Namespace) -> int:
    from importers.presets import NEEDS_A_REAL_EXPORT, PRESETS, shown
    from sltdesk.cli.textable import render_table

    if args.json:
        print_json({"presets": [
            {"name": p.name, "title": p.title, "kind": p.kind.value, "fingerprint": list(p.fingerprint),
             "columns": dict(p.columns),
             "values": [{"field": f, "label": label, "value": v} for f, label, v in p.values],
             "null_markers": list(p.nulls), "dayfirst": p.dayfirst, "dates": p.dates,
             "keep_rows": {"column": p.keep[0], "labels": list(p.keep[1])} if p.keep else None, "source": p.source}
            for p in PRESETS], "needs_a_real_export": list(NEEDS_A_REAL_EXPORT)})
        return 0
    print(render_table(["name", "kind", "export", "fingerprint (headers that must all stand in the file)"],
                       [[p.name, p.kind.value, p.title, ", ".join(map(shown, p.fingerprint))] for p in PRESETS]))
    for p in PRESETS:
        extras = [f"dates {p.dates}"]
        if p.nulls:
            extras.append("null markers " + ", ".join(p.nulls))
        if p.keep:
            extras.append(f"only rows whose {p.keep[0]} is {' or '.join(p.keep[1])}")
        print(f"\n{p.name}: " + "; ".join(extras) + ".\n  columns: "
              + ", ".join(f"{f} ← {shown(h)}" for f, h in p.columns) + f"\n  source: {p.source}")
    print("\nNot shipped yet (needs a real export): " + ", ".join(NEEDS_A_REAL_EXPORT) + ".")
    return 0
