"""Generated input files for the benchmarks (cached under benchmarks/.cache)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

CACHE = Path(__file__).parent / ".cache"


def tickets_xlsx(rows: int = 200_000) -> Path:
    """A ticket export with a title row, 8 columns, dates as real date cells."""
    path = CACHE / f"tickets_{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    CACHE.mkdir(exist_ok=True)
    rng = np.random.default_rng(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tickets")
    sheet.append(["Ticket export — benchmark"])
    sheet.append(["Ticket ID", "Priority", "Service", "Category", "Status", "Opened", "Responded", "Resolved"])
    start = datetime(2025, 1, 1)  # noqa: DTZ001 - a spreadsheet holds wall times without a zone
    opened = np.sort(rng.integers(0, 540 * 86400, rows))
    respond = rng.integers(60, 4 * 3600, rows)
    resolve = rng.integers(3600, 5 * 86400, rows)
    priorities = rng.choice(["P1", "P2", "P3", "P4"], rows, p=[0.02, 0.13, 0.5, 0.35])
    services = rng.choice(["MPLS WAN", "Internet", "SD-WAN", "Service desk"], rows)
    for i in range(rows):
        t = start + timedelta(seconds=int(opened[i]))
        sheet.append([f"INC{i + 1:07d}", str(priorities[i]), str(services[i]), "Network", "Closed", t,
                      t + timedelta(seconds=int(respond[i])), t + timedelta(seconds=int(resolve[i]))])
    book.save(path)
    return path


def samples_csv(rows: int = 1_000_000) -> Path:
    """5-minute probe samples: timestamp (ISO, UTC), probe, requests, errors, p95 latency."""
    path = CACHE / f"samples_{rows}.csv"
    if path.exists():
        return path
    import pandas as pd

    CACHE.mkdir(exist_ok=True)
    rng = np.random.default_rng(2)
    probes = 4
    per_probe = rows // probes
    stamps = pd.date_range("2024-01-01", periods=per_probe, freq="5min", tz="UTC")
    frames = []
    for p in range(probes):
        frames.append(pd.DataFrame({
            "timestamp_utc": stamps.strftime("%Y-%m-%dT%H:%M:%SZ"), "probe": f"probe-{p}",
            "requests": rng.integers(800, 2400, per_probe), "errors": rng.poisson(1.0, per_probe),
            "p95_ms": rng.integers(150, 900, per_probe)}))
    pd.concat(frames).to_csv(path, index=False)
    return path
