"""Writes a user waits for: `sltdesk demo` and the import of the demo's register workbook (10 contracts), each
the wall time of the command in a fresh process (median of 3), with its CPU time beside it.

Where the time went before the writes were batched (2-core machine, fsync 0.2 ms): the demo committed 275
transactions and the register import wrote each record and each audit entry on its own (an INSERT, a SELECT of
the chain's head and two ORM merges per entry). With synchronous=FULL every commit waits for the disk: on a disk
whose fsync takes 20–25 ms, 275 commits alone are 6–7 s, which is why the wall time was several times the CPU
time. Now the demo is one transaction (units of work are savepoints of it), the register import inserts each
sheet's records with one INSERT, and audit entries are sealed in memory and written with one INSERT per commit.
The demo's own generated files are parsed in its process rather than in 23 reader processes (~40 ms each).

Then the demo was CPU-bound (5.4 s wall, 5.6 s CPU on an idle machine). Its CPU, profiled: about 0.9 s starting
the process (imports, the schema's migrations), 1.7 s importing the 23 generated files (generating 0.4, writing
0.15, parsing 0.6, storing 0.7), 1.6 s measuring results from the raw data (the vendor reports and the credit
notes read figures before the end; the refresh stores all of them at the end), 0.4 s in the cyclic garbage
collector, the rest the register's records and their audit entries. Cut since: the generated files' times are
formatted once per day and minute instead of by pandas' strftime for each of 250,000 stamps (-0.22 s); a
contract's tickets and ticket events are read once within the build while their batches are unchanged
(Northwind's 31,000 events were read five times: -0.45 s); plain raw records are read and written as the driver's
tuples (-0.1 s); the collector's threshold is raised for the command (-0.25 s); the refresh at the end takes the
results the credit notes' reads measured under the same fingerprints instead of measuring them again. Same demo,
row for row (the data tables compared with a fixed clock).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import CACHE, built_by_this_code

SLTDESK = [sys.executable, "-m", "sltdesk"]


def timed(args: list[str], *, cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def register_workbook() -> Path:
    """The demo's register exported to a workbook (cached)."""
    path = built_by_this_code("demo_register.xlsx")
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            demo = Path(folder) / "register.sltdesk"
            subprocess.run([*SLTDESK, "demo", str(demo), "--no-gui", "--register-only"], check=True,
                           capture_output=True)
            subprocess.run([*SLTDESK, "export", "contracts", "-w", str(demo), "--out", str(path)], check=True,
                           capture_output=True)
    return path


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def run() -> list[dict]:
    book = register_workbook()
    imports, demos = [], []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(3):
            target = Path(folder) / f"empty{n}.sltdesk"
            subprocess.run([*SLTDESK, "new", str(target)], check=True, capture_output=True)
            imports.append(timed([*SLTDESK, "import", "contracts", str(book), "-w", str(target)]))
        for n in range(3):
            demos.append(timed([*SLTDESK, "demo", str(Path(folder) / f"demo{n}.sltdesk"), "--no-gui"]))
    (register_s, register_cpu), (demo_s, demo_cpu) = _median(imports), _median(demos)
    return [
        {"name": "register import (10 contracts)", "value": register_s, "unit": "s", "bound": 1.5,
         "ok": register_s <= 1.5},
        {"name": "register import (10 contracts): CPU", "value": register_cpu, "unit": "s", "bound": None,
         "ok": True},
        {"name": "demo build", "value": demo_s, "unit": "s", "bound": 5.0, "ok": demo_s <= 5.0},
        {"name": "demo build: CPU", "value": demo_cpu, "unit": "s", "bound": None, "ok": True},
    ]
