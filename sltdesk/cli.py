"""The command line: `sltdesk SUB-COMMAND ...`; with no arguments it opens the GUI.

This module, __main__ and sltdesk.commands are the composition root: they import the adapters
lazily, inside functions, so that `import sltdesk` stays light.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import sys
from collections.abc import Sequence

from sltdesk import __version__
from sltdesk.commands import MODULES
from sltdesk.commands.common import UsageError
from sltdesk.errors import SltDeskError, disk_full_sentence

EPILOG = "Workspaces are SQLite files (*.sltdesk) or a database URL such as postgresql+psycopg://host/db."


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
    p.set_defaults(func=lambda args: run_gui_or_explain(args.workspace))
    for name in MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = None
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            return run_gui_or_explain(None)
        _check_period(args)
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
    except OSError as error:
        if error.errno != errno.ENOSPC:
            return _unexpected(error)
        print(f"sltdesk: {disk_full_sentence(error.filename or getattr(args, 'workspace', None))}",
              file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a bug: log the traceback, tell the user where it is
        return _unexpected(error)


def _unexpected(error: BaseException) -> int:
    try:
        where = f"Details are in {_log_unexpected(error)}."
    except OSError as log_error:  # a full disk or a read-only home: the log is lost, the sentence is not
        where = f"The details could not be logged ({log_error.strerror})."
    print(f"sltdesk: unexpected error ({type(error).__name__}: {error}); nothing was changed by the failed "
          f"step. {where}", file=sys.stderr)
    return 70


def _log_unexpected(error: BaseException) -> str:
    import traceback
    from pathlib import Path

    from platformdirs import user_log_dir

    folder = Path(user_log_dir("sltdesk"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sltdesk-cli.log"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(traceback.format_exception(error)) + "\n")
    return str(path)


def _check_period(args: argparse.Namespace) -> None:
    """Every command's --period is one sentence away from right: say so before any work starts."""
    from sltdesk.domain.period import Period, Span

    period = getattr(args, "period", None)
    if isinstance(period, str):
        try:  # an import's --period may be a span (2025-05..2026-10); everywhere else it is one period
            Span.parse(period) if getattr(args, "command", "") == "import" else Period.parse(period)
        except ValueError as error:
            raise UsageError(str(error)) from None


def run_gui_or_explain(workspace: str | None) -> int:
    """Open the desktop application, or say why it cannot start here."""
    try:
        from ui.app import run_gui
    except ImportError as error:  # e.g. a server without Qt's system libraries
        raise SltDeskError(f"The desktop application cannot start here ({error}); "
                           "the command-line sub-commands still work.") from None
    return run_gui(workspace)
