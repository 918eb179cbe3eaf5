"""Measurement speed: all of the demo's attainment for 18 months, and business time for a million tickets."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from benchmarks.generate import CACHE, built_by_this_code


def _demo() -> Path:
    path = built_by_this_code("demo.sltdesk")
    if not path.exists():
        from models.workspace import open_workspace
        from sltdesk.services.demo import build_demo
        from sltdesk.wiring import demo_raw_importer

        CACHE.mkdir(exist_ok=True)
        ws = open_workspace(path, create=True)
        build_demo(ws, raw_importer=demo_raw_importer)
        ws.close()
    return path


def run() -> list[dict]:
    from models.workspace import open_workspace
    from sltdesk.domain.period import months_between
    from sltdesk.domain.register import WEEKDAYS, Contract, ServiceCalendar
    from sltdesk.rules.calendars import BusinessClock, hours_of
    from sltdesk.services.attainment import measured_history

    ws = open_workspace(_demo())
    with ws.unit_of_work() as uow:
        contracts = uow.records.list(Contract)
        rows = sum(uow.raw.record_counts().values())
    months = months_between("2025-05", "2026-10")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        results = sum(len(h) * len(months) for h in (measured_history(ws, c.id, months) for c in contracts))
        timings.append(time.perf_counter() - started)
    ws.close()
    recompute = min(timings)

    calendar = ServiceCalendar(name="UK", timezone="Europe/London", holiday_country="GB", holiday_subdivision="ENG",
                               hours=tuple(zip(WEEKDAYS, ["08:00-18:00"] * 5 + ["", ""], strict=True)))
    rng = np.random.default_rng(3)
    opened = rng.integers(1_735_689_600, 1_735_689_600 + 540 * 86_400, 1_000_000)
    resolved = opened + rng.integers(60, 30 * 86_400, 1_000_000)
    started = time.perf_counter()
    clock = BusinessClock(hours_of(calendar), int(opened.min()), int(resolved.max()))
    clock.between(opened, resolved)
    business = time.perf_counter() - started
    return [
        {"name": f"attainment: recompute demo ({results} target-months)", "value": recompute, "unit": "s",
         "bound": 2.0, "ok": recompute <= 2.0},
        {"name": "attainment: raw records per second", "value": rows / recompute, "unit": "rows/s", "bound": None,
         "ok": True},
        {"name": "attainment: business time, 1M tickets", "value": business, "unit": "s", "bound": 3.0,
         "ok": business <= 3.0},
        {"name": "attainment: tickets per second (business time)", "value": 1_000_000 / business,
         "unit": "tickets/s", "bound": None, "ok": True},
    ]
