"""Import speed: a 200,000-row ticket XLSX against python-calamine alone, a 1,000,000-row samples CSV
against pandas.read_csv and polars.read_csv alone — each measured in a fresh process, in the same run
(the fastest of 2 runs for the XLSX, of 3 for the CSV).

Peak memory is the sum of the resident memory of the whole process tree — the app, the forkserver and
the reader process forked from it — sampled every 20 ms during the import (psutil); ru_maxrss counted
only the larger of the app and the processes it had waited for, so a reader alive in its pool was missed.
The sum counts the library pages the forkserver and its reader share twice: summed as PSS (each shared
page split between its processes) the same 1M-sample import peaks about 120 MB lower (~530 MB).

Where the 1M-sample CSV import's time went (profiled stage by stage, in-process, best of 3, 2-core machine
at load ~1; polars.read_csv alone 0.06 s warm, 0.12 s in a fresh process as measured below):
  reading the body as text columns (polars)           0.09 s
  converting the 5 columns (2 threads)                0.33 s before: null markers were looked for by trimming
                                                      and lower-casing every cell (~0.045 s a column); now on
                                                      a column's distinct cells or its short cells: 0.15 s
  validation beside block building (2 threads)        0.12 s (validate 0.04, zstd probe-day blocks 0.07)
  header, mapping, SHA-256 (beside the reading)       0.02 s
  reader process: start, result back through a file   0.02 s
  storing: the blocks' INSERT 0.04, the batch's       0.13 s (0.17 before: the content hash added 3,500 block
  content hash 0.04, commit 0.02, checks and audit    digests one at a time)
The parse's CPU time went from 0.80 s to 0.60 s. The rest is spread over stages that each do one
vectorised pass already, so ≤ 3× polars.read_csv is not reached: 4.5× to 7.6× in the runs of 6 Dec 2026
(the whole import 0.56–0.59 s; polars.read_csv in a fresh process 0.08–0.12 s, machine load 0.8–1.6).
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
