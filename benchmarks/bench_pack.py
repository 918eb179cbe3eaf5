"""Review pack speed: a 12-month pack (PDF with every chart) for the demo's largest supplier, in ≤ 1.2 s (issue #24)."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.generate import built_by_this_code

BOUND = 1.2  # the aim of issue #24 (it was 5 s)
PERIOD = "2026-09"


def _workspace() -> Path:
    """The attainment benchmark's demo when it already has reviews, else a fresh demo of our own."""
    from benchmarks.bench_attainment import _demo
    from models.workspace import open_workspace
    from sltdesk.services.reviews import list_reviews

    path = _demo()
    ws = open_workspace(path)
    try:
        complete = bool(list_reviews(ws))
    finally:
        ws.close()
    if complete:
        return path
    own = built_by_this_code("demo-reviews.sltdesk")
    if not own.exists():
        from sltdesk.services.demo import build_demo
        from sltdesk.wiring import demo_raw_importer

        ws = open_workspace(own, create=True)
        build_demo(ws, raw_importer=demo_raw_importer)
        ws.close()
    return own


def largest_supplier(ws) -> str:
    """The supplier with the most contract targets (the most charts), then the most imported rows."""
    from sltdesk.domain.register import Contract, ContractTarget, Supplier

    with ws.unit_of_work() as uow:
        owner = {c.id: c.supplier_id for c in uow.records.list(Contract)}
        names = {s.id: s.name for s in uow.records.list(Supplier)}
        size = {sid: [0, 0] for sid in names}
        for target in uow.records.list(ContractTarget):
            size[owner[target.contract_id]][0] += 1
        for batch in uow.raw.batches():
            if batch["contract_id"] in owner:
                size[owner[batch["contract_id"]]][1] += batch["rows_accepted"]
    return names[max(size, key=lambda sid: tuple(size[sid]))]


def run() -> list[dict]:
    from models.workspace import open_workspace
    from reports.review_pack import write_pack
    from sltdesk.services import indicators, result_cache
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    ws = open_workspace(_workspace())
    supplier = largest_supplier(ws)
    timings, cpu, pages, charts = [], [], 0, 0
    with tempfile.TemporaryDirectory(prefix="sltdesk-pack-") as folder:
        for attempt in range(2):
            result_cache.forget()  # each attempt from the stored results, not from what the one before measured
            indicators.forget()
            started, used = time.perf_counter(), time.process_time()
            view = build_pack(ws, PackOptions(supplier, PERIOD, months=12)).view
            pages = write_pack(Path(folder) / f"pack{attempt}.pdf", view, generated=datetime.now(UTC))
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
            charts = len(view.trends) + (1 if view.maturity else 0)
    ws.close()
    best = min(timings)
    own = cpu[timings.index(best)]  # this process's CPU time in that attempt: what a busy machine adds is not in it
    print(f"pack: {supplier} {PERIOD}, 12 months, {charts} charts: {best:.2f} s ({own:.2f} s of CPU), {pages} pages")
    return [
        {"name": f"pack: 12-month PDF for {supplier} ({charts} charts)", "value": best, "unit": "s", "bound": BOUND,
         "ok": best <= BOUND},
        {"name": "pack: CPU time of that attempt", "value": own, "unit": "s", "bound": None, "ok": True},
        {"name": "pack: pages", "value": pages, "unit": "pages", "bound": None, "ok": pages > 0},
    ]
