"""Temporary files of one run live in one private folder, removed on exit; a killed run's folder is removed
by the next run once its process is gone.

Everything the app puts in the temporary folder goes there: multiprocessing's `pymp-*` folders, the demo's
`sltdesk-demo-*` files, the reader's `sltdesk-read-*` spill files. The folder's name carries the process id,
so a later run can tell a live run's folder from a dead one's.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

PREFIX = "sltdesk-run-"
STALE_AFTER_S = 3 * 3600  # a folder younger than this is left alone, whoever owns it
_RUN = re.compile(rf"^{PREFIX}(\d+)-")
_LEGACY = ("sltdesk-demo-*", "sltdesk-read-*")  # written straight into the system folder by older versions
_private: Path | None = None
# multiprocessing's socket lives at ROOT/sltdesk-run-PID-xxxxxxxx/pymp-xxxxxxxx/listener-xxxxxxxx, and a
# socket's path may not pass 104 bytes (macOS; 108 on Linux): a longer root is swapped for /tmp.
_LONGEST_ROOT = 40


def use_private_temp(base: str | os.PathLike | None = None) -> Path:
    """Make this process (and the processes it starts) write temporary files into a folder of its own."""
    global _private
    if _private is not None:
        return _private
    root = Path(base or tempfile.gettempdir())
    if len(str(root)) > _LONGEST_ROOT and Path("/tmp").is_dir():  # see _LONGEST_ROOT
        root = Path("/tmp")
    remove_stale(root)
    _private = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
    tempfile.tempdir = str(_private)
    os.environ["TMPDIR"] = str(_private)  # children started by spawn or forkserver follow
    atexit.register(_remove_private, _private, os.getpid())
    return _private


def _remove_private(folder: Path, owner: int) -> None:
    if os.getpid() == owner:  # not from a forked child that inherited the exit hook
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale(root: Path, *, now: float | None = None) -> list[Path]:
    """Remove what killed runs left in `root`: older than STALE_AFTER_S and its process gone. Returns them."""
    cutoff = (time.time() if now is None else now) - STALE_AFTER_S
    removed = []
    for entry in _candidates(root):
        with contextlib.suppress(OSError):
            if entry.lstat().st_mtime < cutoff and not _owner_alive(entry):
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
                removed.append(entry)
    return removed


def _candidates(root: Path) -> list[Path]:
    found = list(root.glob(f"{PREFIX}*")) + list(root.glob("pymp-*"))
    for pattern in _LEGACY:
        found += root.glob(pattern)
    return [entry for entry in found if _owned_by_me(entry)]


def _owned_by_me(entry: Path) -> bool:
    if not hasattr(os, "getuid"):
        return True
    try:
        return entry.lstat().st_uid == os.getuid()
    except OSError:
        return False


def _owner_alive(entry: Path) -> bool:
    """Whether the process that made `entry` may still use it; when that cannot be told, yes."""
    match = _RUN.match(entry.name)
    if match:
        return pid_alive(int(match.group(1)))
    if entry.name.startswith("pymp-"):  # multiprocessing's folder: its forkserver socket answers while alive
        sockets = list(entry.glob("listener-*"))
        return not sockets or any(_answers(path) for path in sockets)
    return False  # an older version's demo or spill file, hours old: nobody reads it any more


def pid_alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill would end the process there; the age alone decides
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _answers(path: Path) -> bool:
    if not hasattr(socket, "AF_UNIX"):
        return True
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True
