"""A SIGTERM whose handler runs inside a finalizer is not lost: the command still stops with 143; and one whose
SystemExit some code swallows outright still ends the process once the clean-up's grace time is over."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import gc, signal, sys, time
import sltdesk.__main__ as entry

signal.signal(signal.SIGTERM, entry._terminate)
sys.unraisablehook = entry._redeliver(sys.unraisablehook)

class Finalized:
    def __del__(self):
        signal.raise_signal(signal.SIGTERM)  # the signal arrives while a finalizer runs
        for _ in range(1000):  # Python code in the finalizer: the handler runs here, its SystemExit is swallowed
            pass

Finalized()
for _ in range(200):  # the command's own code: the signal is delivered again here
    time.sleep(0.01)
print("ran on")
"""


def run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)


def test_a_sigterm_handled_inside_a_finalizer_still_ends_the_command_with_143():
    done = run(SCRIPT)
    assert done.returncode == 143 and "ran on" not in done.stdout


def test_without_the_hook_the_same_signal_is_lost():
    done = run(SCRIPT.replace("sys.unraisablehook = entry._redeliver(sys.unraisablehook)", ""))
    assert done.returncode == 0 and "ran on" in done.stdout and "SystemExit" in done.stderr


SWALLOWED = """
import signal, sys, time
import sltdesk.__main__ as entry

entry.GRACE_S = 0.5
signal.signal(signal.SIGTERM, entry._terminate)
started = time.monotonic()
try:
    signal.raise_signal(signal.SIGTERM)
except BaseException:  # code the command does not own swallows the SystemExit
    pass
while time.monotonic() - started < 5:
    time.sleep(0.01)
print("ran on")
"""


def test_a_sigterm_whose_exit_is_swallowed_ends_the_process_after_the_grace_time():
    done = run(SWALLOWED)
    assert done.returncode == 143 and "ran on" not in done.stdout


def test_without_the_watchdog_a_swallowed_exit_runs_on():
    done = run(SWALLOWED.replace("signal.signal(signal.SIGTERM, entry._terminate)",
                                 "signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))"))
    assert done.returncode == 0 and "ran on" in done.stdout
