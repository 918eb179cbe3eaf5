"""The log files: one timestamped line for each thing the app did — it started, a workspace was opened, a
background job ended (with its duration), an error happened.

The desktop application writes `sltdesk.log`, the command line `sltdesk-cli.log`, both in the user's log
folder (platformdirs). Times are UTC, written as ISO 8601 with milliseconds and a Z. The lines come from
the `sltdesk` logger and its children (`sltdesk.ui`, `sltdesk.workspace`, `sltdesk.jobs`, `sltdesk.cli`).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

LOGGER = "sltdesk"
FORMAT = "%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def folder() -> Path:
    """The per-user log folder (~/.local/state/sltdesk/log on Linux)."""
    import platformdirs

    return Path(platformdirs.user_log_dir("sltdesk"))


def formatter() -> logging.Formatter:
    out = logging.Formatter(FORMAT, DATE_FORMAT)
    out.converter = time.gmtime  # UTC, as every time the app stores
    return out


def log_to(path: Path) -> Path:
    """Send the app's records (INFO and above) to the file too; once per file. Returns the path."""
    root = logging.getLogger(LOGGER)
    if any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(formatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def stop_logging_to(path: Path) -> None:
    """Close the file's handler (the command line's run is over)."""
    root = logging.getLogger(LOGGER)
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(path)]:
        root.removeHandler(handler)
        handler.close()
