"""Ten times the portfolio: the figures a user feels, on the demo (1x) and on ten copies of it (10x).

The 10x workspace is the demo with every contract copied nine times at the SQL level: the contract (ref
"…-x2" … "…-x10") and its supplier (name "… (x2)"), its targets, rules, clauses, claims, imports with their
raw records, maintenance windows, marks and exceptions, ids shifted so they stay unique. Stored results are
not copied: they are measured by `refresh_results` like any import's. 100 contracts, 270 targets, 80
suppliers, 18 months, about 2.5 M records; deterministic (the demo is), cached in benchmarks/.cache.

Per scale:
- full recompute: `refresh_results` with the period_result table emptied (min of the runs); from 24 contracts
  it measures in two worker processes (sltdesk/services/result_workers.py), and the run says how it started them;
- warm board: the reconciliation board (six months before the reference date) from stored results, in a
  fresh process (the call alone, after imports and opening), and a second call in that process;
- pack: the 12-month review pack PDF of the demo's largest supplier (the same supplier, with the same
  contracts, at both scales), from the stored results (min of two);
- GUI first page: `sltdesk open FILE` offscreen, from starting the process to the first paint of the
  Dashboard after its figures arrived (median of three); the main window's first paint beside it;
- workspace file size.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks.generate import built_by_this_code

ROOT = Path(__file__).resolve().parent.parent
SCALE = 10
REFERENCE = date(2026, 12, 6)  # the demo's reference date
PACK_PERIOD = "2026-09"
BOUNDS = {"recompute": 5.0, "board": 1.0, "pack": 2.0, "gui": 3.0}  # the aims at 10x
# ... and at 1x (the demo): the main window's first paint ≤ 1.2 s, the first page's figures ≤ 2 s, the pack ≤ 1.2 s
BOUNDS_1X = {"recompute": 5.0, "board": 1.0, "pack": 1.2, "gui": 2.0, "paint": 1.2}

# The tables that hang off a contract (or its supplier, targets or imports), copied with each contract.
OWNED = ("supplier", "contract", "contract_target", "measurement_rule", "credit_clause", "credit_claim",
         "import_batch", "raw_outage", "raw_ticket_event", "raw_ticket_block", "raw_sample_block",
         "vendor_report_line", "credit_note_line", "maintenance_window", "period_mark", "force_majeure",
         "false_positive")
# A column holding an id -> the table the id is of ("id": the row's own table).
SHIFTED = {"contract_id": "contract", "target_id": "contract_target", "batch_id": "import_batch",
           "supplier_id": "supplier"}
RENAMED = {"contract": ("ref", "-x{n}"), "supplier": ("name", " (x{n})")}  # unique names get the copy's number
# A false positive names an outage by its stored record number (raw_outage.id, as text): shifted with the outages.
OUTAGE_REFERENCE = ("CASE WHEN subject = 'outage' AND reference GLOB '[0-9]*' "
                    "THEN CAST(CAST(reference AS INTEGER) + {shift} AS TEXT) ELSE reference END")


def replicate(path: Path, scale: int = SCALE) -> None:
    """Copy every contract of `path` scale - 1 more times in place (see the module's docstring)."""
    db = sqlite3.connect(path)
    try:
        # table and column names come from OWNED and the schema, never from input
        offset = {t: db.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]  # noqa: S608
                  for t in OWNED}
        for k in range(1, scale):
            for table in OWNED:
                columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                values = []
                for column in columns:
                    of = table if column == "id" else SHIFTED.get(column)
                    if of is not None:
                        values.append(f"{column} + {k * offset[of]}")
                    elif (table, column) == ("false_positive", "reference"):
                        values.append(OUTAGE_REFERENCE.format(shift=k * offset["raw_outage"]))
                    elif RENAMED.get(table, ("",))[0] == column:
                        values.append(f"{column} || '{RENAMED[table][1].format(n=k + 1)}'")
                    else:
                        values.append(f'"{column}"')
                where = f"id <= {offset[table]}"
                if "contract_id" in columns and table != "contract":
                    where += " AND contract_id IS NOT NULL"
                names = ", ".join(f'"{c}"' for c in columns)
                db.execute(f"INSERT INTO {table} ({names}) SELECT {', '.join(values)} "  # noqa: S608
                           f"FROM {table} WHERE {where}")
        db.execute("DELETE FROM period_result")
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()


def portfolio(scale: int = SCALE) -> Path:
    """The demo times `scale`, with its results stored (cached)."""
    from benchmarks.bench_attainment import _demo

    path = built_by_this_code(f"portfolio-{scale}x.sltdesk")
    if path.exists():
        return path
    from models.workspace import open_workspace
    from sltdesk.services.result_cache import refresh_results

    building = path.with_suffix(".building")
    shutil.copyfile(_demo(), building)
    replicate(building, scale)
    ws = open_workspace(building)
    try:
        refresh_results(ws)
    finally:
        ws.close()
    _vacuum(building)
    check(building, scale)
    building.replace(path)
    return path


def check(path: Path, scale: int = SCALE) -> None:
    """The copy is sane: `scale` times the contracts, and every copied target's stored figures equal the
    original's (measured from the copied raw data)."""
    db = sqlite3.connect(path)
    try:
        contracts = db.execute("SELECT count(*) FROM contract").fetchone()[0]
        originals = contracts // scale
        targets = db.execute("SELECT count(*) FROM contract_target").fetchone()[0] // scale
        step = db.execute("SELECT max(id) FROM contract_target WHERE contract_id <= ?", (originals,)).fetchone()[0]
        stored = {(t, p): json.loads(body) for t, p, body in
                  db.execute("SELECT target_id, period, payload FROM period_result")}
    finally:
        db.close()
    figures = ("achieved", "met", "counts", "reported", "reported_met", "completeness", "coverage", "unrounded")
    wrong = [(t, p) for (t, p), body in stored.items() if t > step
             and [body[f] for f in figures] != [stored.get(((t - 1) % step + 1, p), {}).get(f) for f in figures]]
    if contracts % scale or targets * scale != len({t for t, _ in stored}) or wrong:
        raise RuntimeError(f"{path}: {contracts} contracts, {len(wrong)} copied results differ from the "
                           f"original's, e.g. {wrong[:3]}")


def _vacuum(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("VACUUM")
    finally:
        db.close()


# --- measuring -----------------------------------------------------------------------------------------------


def _recompute(path: Path, runs: int) -> tuple[float, int]:
    from models.workspace import open_workspace
    from sltdesk.services import result_cache, result_workers

    contracts = _shape(path)[0]
    how = (f"{result_workers.WORKERS} worker processes ({result_workers._context().get_start_method()}), "
           "this one storing" if contracts >= result_workers.PARALLEL_FROM else "in one process")
    print(f"full recompute of {contracts} contracts: measured {how}", flush=True)

    timings, stored = [], 0
    for _ in range(runs):
        db = sqlite3.connect(path)
        db.execute("DELETE FROM period_result")
        db.commit()
        db.close()
        result_cache.forget()
        ws = open_workspace(path)
        try:
            started = time.perf_counter()
            stored = result_cache.refresh_results(ws).stored
            timings.append(time.perf_counter() - started)
        finally:
            ws.close()
    result_cache.forget()
    return min(timings), stored


BOARD = """
import json, sys, time
from datetime import date
started = time.perf_counter()
from models.workspace import open_workspace
from sltdesk.services import result_cache
from sltdesk.services.attainment import attainment_history
from sltdesk.services.reconciliation import board
ws = open_workspace(sys.argv[1])
opened = time.perf_counter()
timings = []
for _ in range(2):
    t = time.perf_counter()
    rows = board(ws, history=attainment_history, today=date.fromisoformat(sys.argv[2])).rows
    timings.append(time.perf_counter() - t)
    if len(timings) == 1:
        c = result_cache.counts()
        first = {"stored": c.stored, "remembered": c.remembered, "measured": c.measured}
ws.close()
print(json.dumps({"open": opened - started, "fresh": timings[0], "again": timings[1], "rows": len(rows),
                  "counts": first}))
"""

GUI = """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from ui.app import make_application

marks = {}

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType():
            dashboard = getattr(obj.window(), "dashboard", None)
            if dashboard is not None:
                now = time.time()
                marks.setdefault("paint", now)
                if dashboard.data is not None and (obj is dashboard or dashboard.isAncestorOf(obj)):
                    marks["page"] = now
                    app.removeEventFilter(self)
                    QTimer.singleShot(0, app.quit)
        return False

app = make_application()
probe = Probe()
app.installEventFilter(probe)
QTimer.singleShot(120_000, app.quit)
sys.argv = ["sltdesk", "open", sys.argv[1]]
from sltdesk.__main__ import main
code = main()
print(json.dumps(marks))
"""


def _child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())  # the log file and the recent-workspace list, never the user's
    return env


def _board(path: Path, home: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", BOARD, str(path), REFERENCE.isoformat()], cwd=ROOT,
                          env=_child_env(home), capture_output=True, text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _gui(path: Path, home: Path, runs: int = 3) -> tuple[float, float]:
    """Median seconds from starting `sltdesk open FILE` to the main window's first paint, and to the first
    paint of the Dashboard once its figures arrived."""
    paints, pages = [], []
    for _ in range(runs):
        started = time.time()
        done = subprocess.run([sys.executable, "-c", GUI, str(path)], cwd=ROOT, env=_child_env(home),
                              capture_output=True, text=True, timeout=300, check=True)
        marks = json.loads(done.stdout.strip().splitlines()[-1])
        if "page" not in marks:
            raise RuntimeError(f"the Dashboard of {path} did not show its figures: {done.stderr[-2000:]}")
        paints.append(marks["paint"] - started)
        pages.append(marks["page"] - started)
    return statistics.median(paints), statistics.median(pages)


def _pack(path: Path, supplier: str, folder: Path) -> tuple[float, int, int]:
    from models.workspace import open_workspace
    from reports.review_pack import write_pack
    from sltdesk.services import indicators, result_cache
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    ws = open_workspace(path)
    timings, pages, charts = [], 0, 0
    try:
        for attempt in range(2):
            result_cache.forget()  # from the stored results, not from what this process measured
            indicators.forget()
            started = time.perf_counter()
            view = build_pack(ws, PackOptions(supplier, PACK_PERIOD, months=12)).view
            pages = write_pack(folder / f"pack{attempt}.pdf", view, generated=datetime.now(UTC))
            timings.append(time.perf_counter() - started)
            charts = len(view.trends) + (1 if view.maturity else 0)
    finally:
        ws.close()
    return min(timings), pages, charts


def _shape(path: Path) -> tuple[int, int, int]:
    from models.workspace import open_workspace
    from sltdesk.domain.register import Contract, ContractTarget

    ws = open_workspace(path)
    try:
        with ws.unit_of_work() as uow:
            return (len(uow.records.list(Contract)), len(uow.records.list(ContractTarget)),
                    sum(uow.raw.record_counts().values()))
    finally:
        ws.close()


def _figure(name: str, value: float, unit: str, bound: float | None) -> dict:
    return {"name": name, "value": value, "unit": unit, "bound": bound, "ok": bound is None or value <= bound}


def measure(scale: int, source: Path, supplier: str, folder: Path) -> list[dict]:
    work = folder / f"{scale}x.sltdesk"
    shutil.copyfile(source, work)
    contracts, targets, records = _shape(work)
    recompute, stored = _recompute(work, runs=3 if scale == 1 else 2)
    _vacuum(work)
    size = work.stat().st_size / 1e6
    board = _board(work, folder / "home")
    pack, pages, charts = _pack(work, supplier, folder)
    paint, page = _gui(work, folder / "home")
    print(f"{scale}x: {contracts} contracts, {targets} targets, {records:,} records, {stored} results stored; "
          f"board {board['rows']} rows (first call: {board['counts']}; imports + open {board['open']:.2f} s); "
          f"pack {supplier} {PACK_PERIOD}: {pages} pages, {charts} charts", flush=True)
    tag = f"{scale}x"
    bounds = BOUNDS_1X if scale == 1 else {**BOUNDS, "paint": None}
    return [
        _figure(f"{tag}: raw records", records, "rows", None),
        _figure(f"{tag}: full recompute", recompute, "s", bounds["recompute"]),
        _figure(f"{tag}: warm board, fresh process", board["fresh"], "s", bounds["board"]),
        _figure(f"{tag}: warm board, second call", board["again"], "s", bounds["board"]),
        _figure(f"{tag}: pack", pack, "s", bounds["pack"]),
        _figure(f"{tag}: GUI first paint (offscreen)", paint, "s", bounds["paint"]),
        _figure(f"{tag}: GUI first page (offscreen)", page, "s", bounds["gui"]),
        _figure(f"{tag}: workspace file size", size, "MB", None),
    ]


def run() -> list[dict]:
    from benchmarks.bench_attainment import _demo
    from benchmarks.bench_pack import largest_supplier
    from models.workspace import open_workspace

    one = _demo()
    ten = portfolio(SCALE)
    print(f"machine: {os.cpu_count()} cores, load {', '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)",
          flush=True)
    ws = open_workspace(one)
    try:
        supplier = largest_supplier(ws)
    finally:
        ws.close()
    figures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sltdesk-portfolio-") as folder:
        for scale, source in ((1, one), (SCALE, ten)):
            figures += measure(scale, source, supplier, Path(folder))
    print(f"load after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    by_name = {f["name"]: f["value"] for f in figures}
    prefix = f"{SCALE}x: "
    for name in [f["name"][len(prefix):] for f in figures if f["name"].startswith(prefix)]:
        low = by_name.get(f"1x: {name}")
        if low:
            print(f"{name}: {low:.4g} -> {by_name[f'{SCALE}x: {name}']:.4g} "
                  f"(x{by_name[f'{SCALE}x: {name}'] / low:.1f})")
    return figures
