"""The command line: `sltdesk SUB-COMMAND ...`; with no arguments it opens the GUI.

This module, __main__ and sltdesk.cli.commands are the composition root: they import the adapters
lazily, inside functions, so that `import sltdesk` stays light.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sltdesk import __version__, logs
from sltdesk.cli.commands import COMMANDS, MODULES
from sltdesk.cli.commands.common import UsageError
from sltdesk.errors import SltDeskError, disk_full_sentence

log = logging.getLogger("sltdesk.cli")
LOG_FILE = "sltdesk-cli.log"
_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")  # postgresql+psycopg://user:secret@host/db
EPILOG = "Workspaces are SQLite files (*.sltdesk) or a database URL such as postgresql+psycopg://host/db."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one sentence, no usage dump
        raise UsageError(f"{message[0].upper()}{message[1:]}; see `{self.prog} --help`.")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; given a known command's name, only that command's (what `--help` lists, less the
    other commands: a command's own parsing, defaults and errors are the same)."""
    parser = _Parser(prog="sltdesk", description="SLT Desk holds suppliers to their service level targets. "
                     "Without a sub-command it opens the desktop application.", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"SLT Desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    p = sub.add_parser("open", help="open the desktop application on a workspace",
                       description="Open the desktop application, on WORKSPACE or on the most recent one.")
    p.add_argument("workspace", nargs="?", help="workspace file or database URL")
    p.set_defaults(func=lambda args: run_gui_or_explain(args.workspace))
    for name in COMMANDS[command] if command in COMMANDS else MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its start, end (exit code, duration) and errors go to sltdesk-cli.log."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] == "open":  # the desktop application keeps its own log (ui/errors.py)
        return _main(argv, None)
    path, started = _start_log(), time.perf_counter()
    log.info("sltdesk %s started: %s", __version__, " ".join(_PASSWORD.sub(r"\1***@", a) for a in argv))
    code = 1
    try:
        code = _main(argv, path)
        return code
    except SystemExit as leaving:  # --help and --version
        code = leaving.code if isinstance(leaving.code, int) else 0
        raise
    finally:
        log.info("sltdesk %s ended with exit code %s in %.2f s", argv[0], code, time.perf_counter() - started)
        if isinstance(path, Path):
            logs.stop_logging_to(path)


def _start_log() -> Path | OSError:
    """The command line's log file, or why it cannot be written (the command runs all the same)."""
    try:
        return logs.log_to(logs.folder() / LOG_FILE)
    except OSError as error:  # a read-only or full home folder
        return error


def _main(argv: list[str], path: Path | OSError | None) -> int:
    args = None
    try:
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        if args.command is None:
            return run_gui_or_explain(None)
        _check_period(args)
        return args.func(args)
    except SltDeskError as error:
        log.info("refused: %s", error)
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
            return _unexpected(error, path)
        print(f"sltdesk: {disk_full_sentence(error.filename or getattr(args, 'workspace', None))}",
              file=sys.stderr)
        return 1
    except Exception as error:  # a bug: log the traceback, tell the user where it is
        return _unexpected(error, path)


def _unexpected(error: BaseException, path: Path | OSError | None) -> int:
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    if isinstance(path, Path):
        where = f"Details are in {path}."
    else:  # a full disk or a read-only home: the log is lost, the sentence is not
        where = f"The details could not be logged ({getattr(path, 'strerror', None) or 'no log file'})."
    print(f"sltdesk: unexpected error ({type(error).__name__}: {error}); nothing was changed by the failed "
          f"step. {where}", file=sys.stderr)
    return 70


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
