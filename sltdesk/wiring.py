"""Composition helpers shared by the CLI and the GUI: file -> parser (isolated) -> storage service.

Like cli.py this module may import the adapters (lazily); the pure core never imports it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sltdesk.domain.raw import ImportOptions, ParsedImport, RecordKind
from sltdesk.domain.register import Contract
from sltdesk.services.ports import Workspace


def parse_isolated(path: Path, options: ImportOptions, *, cancelled: Callable[[], bool] | None = None) -> ParsedImport:
    """Read a file in a memory-limited child process (a hostile file cannot take the app down)."""
    from importers.pipeline import parse_file
    from importers.sandbox import run_isolated

    return run_isolated(parse_file, path, options, file=path, cancelled=cancelled)


def import_file(ws: Workspace, path: Path, *, kind: RecordKind, contract: Contract, timezone: str | None = None,
                period: str | None = None, cancelled: Callable[[], bool] | None = None, trusted: bool = False):
    """Parse and store one file with default options (the demo and simple scripted imports). A `trusted` file
    (one the app generated itself) is parsed in this process: the same parser, without a child process."""
    from sltdesk.services import imports

    options = imports.build_options(ws, kind=kind, contract=contract, timezone=timezone, period=period)
    if trusted:
        from importers.pipeline import parse_file

        parsed = parse_file(path, options)
    else:
        parsed = parse_isolated(path, options, cancelled=cancelled)
    return imports.store_import(ws, parsed, contract=contract, options=options)


def demo_raw_importer(ws: Workspace, demo_file) -> int:
    """Write one generated vendor export to a file and import it like a user would; rows stored. The demo's files
    are the app's own, so they are read in this process: 23 reader processes cost the demo a second and a half."""
    from sltdesk.services import imports

    with tempfile.TemporaryDirectory(prefix="sltdesk-demo-") as folder:
        path = Path(folder) / demo_file.name
        if hasattr(demo_file, "text"):
            path.write_text(demo_file.text, encoding="utf-8")
        else:
            write_csv(demo_file.frame, path)
        contract = imports.find_contract(ws, demo_file.contract)
        report = import_file(ws, path, kind=demo_file.kind, contract=contract, timezone=demo_file.timezone,
                             period=getattr(demo_file, "period", "") or None, trusted=True)
    return report.stored


def write_csv(frame, path: Path) -> None:
    """A frame of text and whole-number columns written as pandas' `to_csv(index=False)` writes it, by polars'
    writer (three times quicker; empty text is written as an empty cell, as pandas does); other frames by pandas."""
    import polars as pl

    columns: dict[str, object] = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind in "iu":
            columns[name] = column.to_numpy()
            continue
        values = column.tolist()
        # numbers, dates, Decimals, missing values, and a lone CR (pandas leaves it unquoted): pandas writes them
        if any(kind is not str for kind in set(map(type, values))) or "\r" in "".join(values):
            frame.to_csv(path, index=False)
            return
        columns[name] = [v or None for v in values]
    pl.DataFrame(columns).write_csv(path, line_terminator="\n")
