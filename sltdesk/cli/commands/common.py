"""What every sub-command shares: the workspace option, JSON output, user errors, today."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sltdesk.errors import SltDeskError


class UsageError(SltDeskError):
    """A mistake on the command line (exit code 2)."""


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-w", "--workspace", default=os.environ.get("SLTDESK_WORKSPACE"),
                        help="workspace file or database URL (default: $SLTDESK_WORKSPACE)")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")


def open_from_args(args: argparse.Namespace):
    """Open the workspace named by -w; the caller closes it."""
    if not args.workspace:
        raise UsageError("Name the workspace with -w FILE (or set SLTDESK_WORKSPACE).")
    from models.workspace import open_workspace

    return open_workspace(args.workspace)


def iso_date(text: str) -> date:
    """An argparse type: a calendar date written YYYY-MM-DD, with a sentence when it is not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD (e.g. 2026-12-31)") from None


def today() -> date:
    """The user's local calendar date."""
    return datetime.now().astimezone().date()


def jsonable(value: Any) -> Any:
    """Dataclasses, Decimals (as strings, never floats) and dates, ready for json.dump."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return getattr(value, "value", value)  # enums


def print_json(document: Any) -> None:
    json.dump(jsonable(document), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def add_contract_option(p: argparse.ArgumentParser) -> None:
    """-w, --json and --contract REF: what every command about one contract's data takes."""
    add_workspace_option(p)
    add_json_option(p)
    p.add_argument("--contract", required=True, help="contract reference, e.g. NW-2025-014")


def read_json_file(path: Path, what: str, *, encoding: str = "utf-8") -> Any:
    """The JSON document in `path`; a file that cannot be read or parsed is a usage error naming `what`."""
    try:
        return json.loads(path.read_text(encoding=encoding))
    except OSError as error:
        raise UsageError(f"Cannot read {path} ({error.strerror}).") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{path} is not a JSON {what} ({error}).") from None


def evidence_files(names: list[str]) -> list[tuple[str, bytes]]:
    """--evidence FILE (repeatable) as (name, bytes), with a sentence for a file that is not there."""
    evidence = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"Evidence file {path} does not exist.")
        evidence.append((path.name, path.read_bytes()))
    return evidence
