"""Import speed: a 200,000-row ticket XLSX against python-calamine alone, a 1,000,000-row samples CSV
against pandas.read_csv alone — each measured in a fresh process, in the same run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.generate import samples_csv, tickets_xlsx

RUNNER = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
what, path = sys.argv[1], Path(sys.argv[2])
if what == "calamine":
    from python_calamine import CalamineWorkbook
    t = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    seconds, n = time.perf_counter() - t, len(rows)
elif what == "read_csv":
    import pandas as pd
    t = time.perf_counter()
    n = len(pd.read_csv(path))
    seconds = time.perf_counter() - t
else:
    from importers.pipeline import parse_file
    from importers.sandbox import run_isolated
    from models.workspace import open_workspace
    from sltdesk.domain.raw import RecordKind
    from sltdesk.services.demo import build_demo
    from sltdesk.services import imports
    folder = tempfile.mkdtemp()
    ws = open_workspace(Path(folder) / "bench.sltdesk", create=True)
    build_demo(ws, seed=7)
    contract = imports.find_contract(ws, "HP-2024-009")
    kind = RecordKind.TICKETS if what == "tickets" else RecordKind.SAMPLES
    options = imports.build_options(ws, kind=kind, contract=contract, timezone="Europe/London")
    run_isolated(len, [], file=path)  # the reader process pool is warm in a running app
    t = time.perf_counter()
    parsed = run_isolated(parse_file, path, options, file=path)
    report = imports.store_import(ws, parsed, contract=contract, options=options)
    seconds, n = time.perf_counter() - t, report.stored
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rows": n, "peak_mb": max(me, kids)}))
"""


def _measure(what: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", RUNNER, what, str(path)], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    xlsx, csv = tickets_xlsx(), samples_csv()
    calamine = min((_measure("calamine", xlsx) for _ in range(2)), key=lambda m: m["seconds"])
    tickets = min((_measure("tickets", xlsx) for _ in range(2)), key=lambda m: m["seconds"])
    read_csv = min((_measure("read_csv", csv) for _ in range(2)), key=lambda m: m["seconds"])
    samples = min((_measure("samples", csv) for _ in range(2)), key=lambda m: m["seconds"])
    # A handful of the random tickets open inside the spring-forward gap and read an hour later, after
    # their response: the importer rightly rejects those, so "nearly all" is the check here.
    assert tickets["rows"] >= 199_990 and samples["rows"] == 1_000_000, (tickets, samples)
    xlsx_ratio = tickets["seconds"] / calamine["seconds"]
    csv_ratio = samples["seconds"] / read_csv["seconds"]
    return [
        {"name": "import: calamine alone, 200k-row XLSX", "value": calamine["seconds"], "unit": "s", "bound": None,
         "ok": True},
        {"name": "import: 200k tickets parsed+validated+stored", "value": tickets["seconds"], "unit": "s",
         "bound": None, "ok": True},
        {"name": "import: tickets / calamine ratio", "value": xlsx_ratio, "unit": "x", "bound": 1.6,
         "ok": xlsx_ratio <= 1.6},
        {"name": "import: tickets peak memory", "value": tickets["peak_mb"], "unit": "MB", "bound": 600,
         "ok": tickets["peak_mb"] <= 600},
        {"name": "import: tickets rows per second", "value": 200_000 / tickets["seconds"], "unit": "rows/s",
         "bound": None, "ok": True},
        {"name": "import: pandas.read_csv alone, 1M rows", "value": read_csv["seconds"], "unit": "s", "bound": None,
         "ok": True},
        {"name": "import: 1M samples parsed+validated+stored", "value": samples["seconds"], "unit": "s",
         "bound": None, "ok": True},
        {"name": "import: samples / read_csv ratio", "value": csv_ratio, "unit": "x", "bound": 2.0,
         "ok": csv_ratio <= 2.0},
    ]
