"""Import speed: a 200,000-row ticket XLSX against python-calamine alone, a 1,000,000-row samples CSV
against pandas.read_csv and polars.read_csv alone — each measured in a fresh process, in the same run
(the fastest of 2 runs for the XLSX, of 3 for the CSV).

Peak memory is the sum of the resident memory of the whole process tree — the app, the forkserver and
the reader process forked from it — sampled every 20 ms during the import (psutil); ru_maxrss counted
only the larger of the app and the processes it had waited for, so a reader alive in its pool was missed.
The sum counts the library pages the forkserver and its reader share twice: summed as PSS (each shared
page split between its processes) main's 1M-sample import peaked about 120 MB lower (~530 MB).

Where the 1M-sample CSV import's time went (issue #24; 6 Dec 2026, 2 cores shared with other jobs at load 1.8-4,
so every wall time is stretched; CPU times are steadier). Wall / CPU in the reader process, stage by stage, main then
this version:
  header: sniff, ASCII check, SHA-256 beside it (a thread)   0.01 / 0.02     same
  reading the body as text columns (polars, 2 threads)       0.12-0.16 / 0.20-0.22 (incl. the hash)   same
  converting the 5 columns (2 threads)                       0.13-0.15 / 0.24-0.27   0.12-0.14 / 0.22-0.25
      per column (CPU): timestamps 0.124 -> 0.052, numbers ~0.030 -> ~0.015 each, probes 0.040 -> 0.033: a plain
      date or number column is read in one cast, without first looking for null markers in it (a marker cannot hide
      in a column whose every cell reads, unless it reads itself, which is checked); the repetitive text columns are
      then kept as categoricals (+0.065 CPU, -45 MB), as they are only shown from then on
  validation, then probe-day blocks (zstd, 2 threads)        0.10-0.14 beside each other   0.13-0.17 one after the other
      (validation 0.04, blocks 0.06-0.08); one after the other so the text cells are let go in between
  the reader as a whole                                       0.41-0.65 / 0.64-0.70    0.43-0.59 / 0.60-0.62
  app: fork from the warm forkserver 0.01, result back (6 MB of blocks) 0.01, storing 0.09-0.10: the blocks' INSERT
      0.03-0.05, the batch's content hash 0.02-0.05 (reads the 6 MB back and hashes them), commit 0.02-0.06 (fsync)
So the time is spread over stages that each do one vectorised pass, and the CPU saved in the conversion went into
the memory bound. In the same runs polars.read_csv alone took 0.08-0.13 s and pandas.read_csv 0.38-0.42 s, the import
0.65-0.89 (main 0.79-1.02): ≤ 3x polars is not reached (7-9x) and ≤ 2x pandas is met only on a quiet machine (1.7-2.2x
under load; main measured 1.89 idle). Reaching 3x would need the body read typed by polars with the text kept only
for the rows a finding shows, and no second process for a CSV; neither is done here.

Peak memory (the sum above) 740 -> ~570 MB. At main's peak the reader held 440 MB (app 171, forkserver 114, resource
tracker 12). Polars sets its jemalloc's decay (0.5 s) in the environment when imported, so the forkserver, started
by an app that had imported polars, kept freed pages for about the reader's whole life (~50 MB); the readers
now give freed memory back at once. The text cells (~100 MB for 1M rows of 5 columns) are kept compact once converted
and let go after validation, except the rows the preview shows; blocks are compressed 1,024 at a time, and the
validation's duplicate-key packing works in place.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import samples_csv, tickets_xlsx

RUNNER = r"""
import json, sys, tempfile, time
from pathlib import Path
from benchmarks import tree_memory_sampler
what, path = sys.argv[1], Path(sys.argv[2])
peak_mb = refresh = None
if what == "calamine":
    from python_calamine import CalamineWorkbook
    t = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    seconds, n = time.perf_counter() - t, len(rows)
elif what == "pandas_csv":
    import pandas as pd
    t = time.perf_counter()
    n = len(pd.read_csv(path))
    seconds = time.perf_counter() - t
elif what == "polars_csv":
    import polars as pl
    t = time.perf_counter()
    n = len(pl.read_csv(path))
    seconds = time.perf_counter() - t
else:
    from importers.pipeline import parse_file
    from importers.sandbox import run_isolated
    from models.workspace import open_workspace
    from sltdesk.domain.raw import RecordKind
    from sltdesk.services.demo import build_demo
    from sltdesk.services import imports
    from sltdesk.services.result_cache import held
    folder = tempfile.mkdtemp()
    ws = open_workspace(Path(folder) / "bench.sltdesk", create=True)
    build_demo(ws, seed=7)
    contract = imports.find_contract(ws, "HP-2024-009")
    kind = RecordKind.TICKETS if what == "tickets" else RecordKind.SAMPLES
    options = imports.build_options(ws, kind=kind, contract=contract, timezone="Europe/London")
    run_isolated(len, [], file=path)  # the reader process pool is warm in a running app
    sampler = tree_memory_sampler()  # app + forkserver + reader, summed, every 20 ms
    with held(ws):  # the import alone; the stored results it invalidated are refreshed when this block ends
        t = time.perf_counter()
        parsed = run_isolated(parse_file, path, options, file=path)
        report = imports.store_import(ws, parsed, contract=contract, options=options)
        seconds, n = time.perf_counter() - t, report.stored
        t = time.perf_counter()
    refresh = time.perf_counter() - t
    peak_mb = sampler.stop()
print(json.dumps({"seconds": seconds, "rows": n, "peak_mb": peak_mb, "refresh": refresh}))
"""


def _measure(what: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", RUNNER, what, str(path)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fastest(what: str, path: Path, runs: int) -> dict:
    """The fastest of `runs` fresh processes, with the highest peak memory any of them had."""
    measured = [_measure(what, path) for _ in range(runs)]
    best = min(measured, key=lambda m: m["seconds"])
    peaks = [m["peak_mb"] for m in measured if m["peak_mb"] is not None]
    return {**best, "peak_mb": max(peaks) if peaks else None}


def run() -> list[dict]:
    xlsx, csv = tickets_xlsx(), samples_csv()
    calamine = _fastest("calamine", xlsx, 2)
    tickets = _fastest("tickets", xlsx, 2)
    read_csv = _fastest("pandas_csv", csv, 3)
    polars_csv = _fastest("polars_csv", csv, 3)
    samples = _fastest("samples", csv, 3)
    # A handful of the random tickets open inside the spring-forward gap and read an hour later, after
    # their response: the importer rightly rejects those, so "nearly all" is the check here.
    assert tickets["rows"] >= 199_990 and samples["rows"] == 1_000_000, (tickets, samples)
    xlsx_ratio = tickets["seconds"] / calamine["seconds"]
    csv_ratio = samples["seconds"] / read_csv["seconds"]
    polars_ratio = samples["seconds"] / polars_csv["seconds"]
    return [
        {"name": "import: calamine alone, 200k-row XLSX", "value": calamine["seconds"], "unit": "s", "bound": None,
         "ok": True},
        {"name": "import: 200k tickets parsed+validated+stored", "value": tickets["seconds"], "unit": "s",
         "bound": None, "ok": True},
        {"name": "import: tickets / calamine ratio", "value": xlsx_ratio, "unit": "x", "bound": 1.6,
         "ok": xlsx_ratio <= 1.6},
        {"name": "import: tickets peak memory, app + reader processes", "value": tickets["peak_mb"], "unit": "MB",
         "bound": 600, "ok": tickets["peak_mb"] <= 600},
        {"name": "import: tickets rows per second", "value": 200_000 / tickets["seconds"], "unit": "rows/s",
         "bound": None, "ok": True},
        {"name": "import: tickets, then refreshing the contract's stored results", "value": tickets["refresh"],
         "unit": "s", "bound": None, "ok": True},
        {"name": "import: pandas.read_csv alone, 1M rows", "value": read_csv["seconds"], "unit": "s", "bound": None,
         "ok": True},
        {"name": "import: 1M samples parsed+validated+stored", "value": samples["seconds"], "unit": "s",
         "bound": None, "ok": True},
        {"name": "import: samples / pandas.read_csv ratio", "value": csv_ratio, "unit": "x", "bound": 2.0,
         "ok": csv_ratio <= 2.0},
        {"name": "import: polars.read_csv alone, 1M rows", "value": polars_csv["seconds"], "unit": "s",
         "bound": None, "ok": True},
        {"name": "import: samples / polars.read_csv ratio", "value": polars_ratio, "unit": "x", "bound": 3.0,
         "ok": polars_ratio <= 3.0},
        {"name": "import: samples, then refreshing the contract's stored results", "value": samples["refresh"],
         "unit": "s", "bound": None, "ok": True},
        {"name": "import: samples peak memory, app + reader processes", "value": samples["peak_mb"], "unit": "MB",
         "bound": 600, "ok": samples["peak_mb"] <= 600},
    ]
