"""`python -m sltdesk` and the `sltdesk` command."""

import sys
from typing import Any


def main() -> int:
    import gc
    import signal

    # The cyclic collector's youngest generation is collected every 20,000 net allocations, not 700: start-up
    # creates a few hundred thousand objects that live as long as the process (SQLAlchemy's and the tables'
    # classes, the parsers), and at 700 the collector scanned them again and again to find nothing (`list
    # contracts` spent about 0.02 s of its 0.3 s in it). Reference counting still frees everything else at once.
    gc.set_threshold(20_000, *gc.get_threshold()[1:])

    from sltdesk.cli import main as cli_main
    from sltdesk.tempdirs import use_private_temp

    use_private_temp()  # removed on exit; what a killed run left is removed here, on the next start
    signal.signal(signal.SIGTERM, _terminate)  # `kill` runs the clean-up too, like Ctrl+C
    sys.unraisablehook = _redeliver(sys.unraisablehook)
    return cli_main(sys.argv[1:])


GRACE_S = 10.0  # after a SIGTERM, the clean-up's time before the process ends regardless
_watchdog: Any = None


def _terminate(*_args: Any) -> None:
    """SystemExit(143), so the clean-up runs as on Ctrl+C. Code the command does not own can swallow it (once, a
    SIGTERM landing while a compiled module's initialisation was registering a class ran on and exited 0), so a
    watchdog also ends the process GRACE_S seconds later, clean-up or not: `kill` always stops the command. What
    a cut-off clean-up leaves is removed later: a half-built demo by the next demo of that name, the private temp
    folder by a start once it is old (sltdesk/tempdirs.py)."""
    global _watchdog
    if _watchdog is None:
        import os
        import threading

        watchdog = threading.Timer(GRACE_S, os._exit, args=(143,))
        watchdog.daemon = True  # a process that ends sooner does not wait for it
        try:
            watchdog.start()
            _watchdog = watchdog
        except RuntimeError:  # no thread can start (shutting down, a thread limit): the exit below still stands
            pass
    sys.exit(143)


def _redeliver(default: Any) -> Any:
    """Python runs a signal's handler wherever the interpreter is; inside an object's finalizer (a `__del__`,
    a weakref callback, run by the garbage collector) the SystemExit it raises is only printed as "Exception
    ignored", and the command would run on as if never asked to stop. So such a SystemExit has the signal sent
    again, from another thread once this finalizer is left: it is handled at the next chance, until it lands in
    the command's own code."""
    import os
    import signal
    import threading

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, SystemExit) and unraisable.exc_value.code == 143:
            again = threading.Timer(0.05, os.kill, args=(os.getpid(), signal.SIGTERM))
            again.daemon = True
            again.start()
            return
        default(unraisable)

    return hook


if __name__ == "__main__":
    sys.exit(main())
