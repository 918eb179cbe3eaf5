"""Run a parser in a child process with a memory limit, so a hostile file cannot take the app down.

The workspace is never open in the child: it only reads the file and sends back plain data. Big results
(a million samples) travel as a small pickle through the pipe plus their array buffers in one private
temporary file: writing and reading that is several times faster than pushing the bytes through a pipe.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from importers.safety import UnsafeFileError
from sltdesk.errors import SltDeskError

DEFAULT_MEMORY_MB = 3072
DEFAULT_TIMEOUT_S = 600.0
_SPILL_PREFIX = "sltdesk-read-"
_OUT_OF_BAND_BYTES = 1 << 20  # results with less than this in array buffers go through the pipe alone
# The readers' allocator for polars (jemalloc) gives what it frees back to the system at once instead of keeping it
# for a second: a reader lives for one file, and what it kept counted as its memory (~50 MB of a 1M-sample CSV).
_READER_ENVIRONMENT = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}
_context: Any = None
_in_reader = False  # set in a reader process: it sends its result and ends


def in_reader() -> bool:
    """Whether this is a reader process, which ends right after it has sent its result (its memory goes back to the
    system at once when it ends: nothing needs freeing object by object first)."""
    return _in_reader


class ParseCancelled(SltDeskError):
    """The user cancelled while the file was being read."""


def _mp_context():
    global _context
    if _context is None:
        if sys.platform.startswith("linux") or sys.platform == "darwin":
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(["importers.pipeline"])
        else:
            _context = multiprocessing.get_context("spawn")
    if _context.get_start_method() == "forkserver":
        _start_forkserver()  # at once when it runs; again, with the readers' environment, if it has stopped
    return _context


def _start_forkserver() -> None:
    """The forkserver, started with the readers' environment (the app's own stays as it is). Polars, once
    imported, has put its own allocator settings in the environment; ours go after them (the last word counts)."""
    from multiprocessing import forkserver

    before = {name: os.environ.get(name) for name in _READER_ENVIRONMENT}
    for name, value in _READER_ENVIRONMENT.items():
        os.environ[name] = f"{before[name]},{value}" if before[name] else value
    try:
        forkserver.ensure_running()
    finally:
        for name, earlier in before.items():
            if earlier is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = earlier


def _child(connection, function: Callable, args: tuple, memory_mb: int, spill: str) -> None:
    import gc
    import os

    global _in_reader
    _in_reader = True
    # A short-lived reader making millions of small objects: the cyclic collector would only slow it
    # down (it rescans them all again and again); the memory limit still bounds the process.
    gc.disable()

    devnull = os.open(os.devnull, os.O_WRONLY)  # a crashing parser's backtrace is not for the user's terminal
    os.dup2(devnull, 2)
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # Windows, or a lower hard limit already in place
        pass
    try:
        connection.send(_pack(function(*args), spill))
    except MemoryError:
        connection.send(("memory", None))
    except UnsafeFileError as error:
        connection.send(("unsafe", str(error)))
    except Exception as error:  # anything the parser raises becomes a message, not a crash
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def run_isolated(function: Callable, *args: Any, file: Path, memory_mb: int = DEFAULT_MEMORY_MB,
                 timeout: float = DEFAULT_TIMEOUT_S, cancelled: Callable[[], bool] | None = None) -> Any:
    """function(*args) in a child process; its result, or UnsafeFileError with a sentence."""
    context = _mp_context()
    receiver, sender = context.Pipe(duplex=False)
    _remove_stale_spills()
    handle, spill = tempfile.mkstemp(prefix=_SPILL_PREFIX, suffix=".bin")  # removed below, whatever happens
    os.close(handle)
    process = context.Process(target=_child, args=(sender, function, args, memory_mb, spill), daemon=True)
    process.start()
    sender.close()
    deadline = time.monotonic() + timeout
    try:
        while not receiver.poll(0.05):
            if cancelled is not None and cancelled():
                raise ParseCancelled("Import cancelled; nothing was stored.")
            if not process.is_alive() and not receiver.poll(0):
                raise UnsafeFileError(f"Reading {file.name} stopped abruptly (the parser crashed, exit code "
                                      f"{process.exitcode}); the file is damaged or hostile — nothing was stored.")
            if time.monotonic() > deadline:
                raise UnsafeFileError(f"Reading {file.name} took longer than {timeout:.0f} s and was stopped.")
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise UnsafeFileError(f"Reading {file.name} stopped abruptly; the file is damaged or hostile.") from None
        if status == "ok-buffers":
            status, payload = "ok", _unpack(*payload)
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
        with contextlib.suppress(OSError):
            os.unlink(spill)
    return _answer(status, payload, file=file, memory_mb=memory_mb)


def _answer(status: str, payload: Any, *, file: Path, memory_mb: int) -> Any:
    """The child's result, or the sentence for what stopped it."""
    if status == "ok":
        return payload
    if status == "memory":
        raise UnsafeFileError(f"Reading {file.name} needed more than {memory_mb:,} MB of memory and was stopped; "
                              "the file declares far more cells than it holds, or is too big to import at once.")
    if status == "unsafe":
        raise UnsafeFileError(payload)
    raise UnsafeFileError(f"{file.name} could not be read: the file is damaged or is not what its name says "
                          f"({payload}); nothing was stored.")


def _remove_stale_spills() -> None:
    """Spill files a killed app left behind (a day old or more)."""
    cutoff = time.time() - 86_400
    for old in Path(tempfile.gettempdir()).glob(f"{_SPILL_PREFIX}*.bin"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def _pack(result: Any, spill: str) -> tuple[str, Any]:
    """("ok", result), or ("ok-buffers", (pickle, file, sizes)) with the array buffers (and bytearrays) written
    to `spill`."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(result, protocol=5, buffer_callback=buffers.append)
    views = [b.raw() for b in buffers]
    if sum(v.nbytes for v in views) < _OUT_OF_BAND_BYTES:
        return "ok", result
    with open(spill, "wb") as out:
        for view in views:
            out.write(view)
    return "ok-buffers", (head, spill, [v.nbytes for v in views])


def _unpack(head: bytes, name: str, sizes: list[int]) -> Any:
    data = bytearray(sum(sizes))
    with open(name, "rb") as source:
        if source.readinto(data) != len(data):
            raise UnsafeFileError("The reader process's result arrived incomplete; nothing was stored.")
    whole = memoryview(data)
    offsets = [0]
    for size in sizes:
        offsets.append(offsets[-1] + size)
    return pickle.loads(head, buffers=[whole[a:b] for a, b in zip(offsets, offsets[1:], strict=False)])
