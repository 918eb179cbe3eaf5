"""Kill trials: `sltdesk import` killed with SIGKILL at a random moment, 20 times, on one SQLite workspace;
then `sltdesk demo` killed with SIGKILL at a random moment, 20 times.

After each killed import the workspace must open, `sltdesk audit verify` must pass, and every batch must be
whole: its audit entry is there and the records stored under it are the number that entry says. After each
killed demo the file under the requested name must be absent, or whole: the demo builds under another name and
renames it at the end, so a kill after the rename (while the process prints its summary and exits) leaves the
finished demo there, which must open and verify like a demo that finished before its kill.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_concurrency import CONTRACT, _setup, _tickets_csv

TRIALS = 20
ROWS = 3000


def run() -> list[dict]:
    rng = random.Random(19)
    with tempfile.TemporaryDirectory(prefix="sltdesk-bench-") as folder:
        path = Path(folder) / "kill.sltdesk"
        _setup(str(path))
        broken, killed = 0, 0
        for trial in range(TRIALS):
            csv = Path(folder) / f"trial{trial:02d}.csv"
            _tickets_csv(csv, prefix=f"K{trial}", rows=ROWS)
            process = subprocess.Popen(  # its own process group: the reader child dies with it
                [sys.executable, "-m", "sltdesk", "import", "tickets", str(csv), "-w", str(path), "--contract",
                 CONTRACT, "--timezone", "Europe/London"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
            time.sleep(rng.uniform(0.3, 3.0))
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                killed += 1
            process.wait()
            problem = _problem(path)
            if problem:
                broken += 1
                print(f"  trial {trial}: {problem}", flush=True)
    demos_killed, demos_broken = _demo_trials(rng)
    return [
        {"name": "kill trials: imports killed with SIGKILL", "value": killed, "unit": "of 20", "bound": None,
         "ok": True},
        {"name": "kill trials: workspaces not whole afterwards", "value": broken, "unit": "trials", "bound": 0,
         "ok": broken == 0},
        {"name": "kill trials: demos killed with SIGKILL", "value": demos_killed, "unit": "of 20", "bound": None,
         "ok": True},
        {"name": "kill trials: half-built demos under the requested name", "value": demos_broken, "unit": "trials",
         "bound": 0, "ok": demos_broken == 0},
    ]


def _demo_trials(rng: random.Random) -> tuple[int, int]:
    """Kill `sltdesk demo NAME --no-gui` at a random moment; NAME must then be absent, or whole (renamed into place
    once built: a kill between the rename and the process's exit leaves the whole demo)."""
    killed = broken = 0
    with tempfile.TemporaryDirectory(prefix="sltdesk-bench-demo-") as folder:
        for trial in range(TRIALS):
            target = Path(folder) / f"demo{trial:02d}.sltdesk"
            process = subprocess.Popen([sys.executable, "-m", "sltdesk", "demo", str(target), "--no-gui"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(rng.uniform(0.5, 8.0))
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                killed += 1
                process.wait()
                if not target.exists():
                    continue
                print(f"  demo trial {trial}: killed after the rename; checking {target.name} is whole", flush=True)
            verify = subprocess.run([sys.executable, "-m", "sltdesk", "audit", "verify", "-w", str(target)],
                                    capture_output=True, text=True, check=False)
            if verify.returncode != 0:
                broken += 1
                print(f"  demo trial {trial}: {target.name} does not verify: {verify.stdout.strip()}", flush=True)
    return killed, broken


def _problem(path: Path) -> str:
    """'' when the workspace opens, verifies and holds only whole batches; else what is wrong."""
    from sqlalchemy import func, select

    from models.tables_raw import RawTicketBlockRow
    from models.workspace import open_workspace
    from sltdesk.services.audit import recent_audit
    from sltdesk.services.imports import list_batches

    verify = subprocess.run([sys.executable, "-m", "sltdesk", "audit", "verify", "-w", str(path)],
                            capture_output=True, text=True, check=False)
    if verify.returncode != 0:
        return f"audit verify failed: {verify.stdout.strip()} {verify.stderr.strip()}"
    ws = open_workspace(path, user="check")
    try:
        stored = {int(e.entity_id): e.after.get("stored") for e in recent_audit(ws, 100_000)
                  if e.action == "import" and e.entity == "import_batch"}
        with ws.engine.connect() as conn:
            block = RawTicketBlockRow
            held = dict(conn.execute(select(block.batch_id, func.sum(block.count)).group_by(block.batch_id)).all())
        for batch in list_batches(ws):
            if batch.id not in stored:
                return f"batch {batch.id} has no audit entry"
            if int(held.get(batch.id) or 0) != stored[batch.id]:
                return f"batch {batch.id} holds {held.get(batch.id)} records, its audit entry says {stored[batch.id]}"
    finally:
        ws.close()
    return ""
