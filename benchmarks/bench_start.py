"""Start-up a user feels: `sltdesk list contracts --json -w demo` from process start to exit (median of 5)."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
from pathlib import Path

from benchmarks.bench_writes import SLTDESK, timed


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo.sltdesk"
        subprocess.run([*SLTDESK, "demo", str(demo), "--no-gui"], check=True, capture_output=True)
        runs = [timed([*SLTDESK, "list", "contracts", "--json", "-w", str(demo)]) for _ in range(5)]
    wall = statistics.median(r[0] for r in runs)
    return [{"name": "start: list contracts --json", "value": wall, "unit": "s", "bound": 0.3, "ok": wall <= 0.3}]
