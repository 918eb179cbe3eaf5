"""Generated input files for the benchmarks (cached under benchmarks/.cache)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

CACHE = Path(__file__).parent / ".cache"
_ROOT = Path(__file__).parent.parent


def built_by_this_code(name: str) -> Path:
    """Where a cached workspace (or a file exported from one) built by the app is kept: its name carries a digest
    of the app's source (and of the benchmark builders), so a change to the code that imports, stores or keys its
    results builds it again instead of measuring a workspace an older version wrote (whose stored results a newer
    fingerprint no longer finds). The copies older code built are removed (a second `make bench` running meanwhile
    on other code would lose its copy: run one at a time)."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"holidays {version('holidays')}".encode())  # in every stored result's fingerprint
    sources = [path for folder in ("sltdesk", "models", "importers") for path in (_ROOT / folder).rglob("*.py")]
    builders = [_ROOT / "benchmarks" / f"{module}.py"
                for module in ("generate", "bench_attainment", "bench_pack", "bench_portfolio", "bench_writes")]
    for path in sorted([*sources, *builders]):
        digest.update(str(path.relative_to(_ROOT)).encode() + b"\0" + path.read_bytes())
    stem, dot, suffix = name.partition(".")
    path = CACHE / f"{stem}-{digest.hexdigest()[:12]}{dot}{suffix}"
    CACHE.mkdir(exist_ok=True)
    for older in CACHE.glob(f"{stem}-" + "[0-9a-f]" * 12 + ".*"):  # with what an interrupted build left
        if not older.name.startswith(path.stem):
            older.unlink(missing_ok=True)
    return path


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


def ticket_events_csv(rows: int = 300_000) -> Path:
    """A ticket event log as ServiceNow's and Jira's audit exports give it: one row per state change (New,
    Assigned, In Progress, for half the tickets On Hold and back, Resolved), sorted by ticket number, then time;
    wall times written day-first (31/05/2025 14:05:09). Five events a ticket on average: the first 10,000 rows
    repeat their ticket ids enough to be read as a categorical column (see importers/columnar.compact)."""
    path = CACHE / f"ticket_events_{rows}.csv"
    if path.exists():
        return path
    import polars as pl

    CACHE.mkdir(exist_ok=True)
    rng = np.random.default_rng(3)
    tickets = rows // 5 + 1
    opened = np.sort(rng.integers(0, 540 * 86400, tickets))
    assigned = opened + rng.integers(30, 1800, tickets)
    start = assigned + rng.integers(60, 4 * 3600, tickets)
    resolved = start + rng.integers(3600, 5 * 86400, tickets)
    held = rng.random(tickets) < 0.5  # half wait on the customer a while
    hold = start + (resolved - start) // 3
    back = hold + (resolved - hold) // 2
    ids = np.asarray([f"INC{i + 1:07d}" for i in range(tickets)], dtype=object)
    priorities = rng.choice(["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"], tickets, p=[0.02, 0.13, 0.5, 0.35])
    services = rng.choice(["MPLS WAN", "Internet", "SD-WAN", "Service desk"], tickets)
    every = np.ones(tickets, dtype=bool)
    parts = [(every, opened, "New"), (every, assigned, "Assigned"), (every, start, "In Progress"),
             (held, hold, "On Hold"), (held, back, "In Progress"), (every, resolved, "Resolved")]
    frame = pl.concat([pl.DataFrame({"Number": ids[which], "Priority": priorities[which], "Service": services[which],
                                     "State": state, "at": times[which]}) for which, times, state in parts])
    frame = frame.sort("Number", "at").head(rows).with_columns(
        Updated=pl.from_epoch(pl.col("at") + 1_735_689_600, time_unit="s").dt.strftime("%d/%m/%Y %H:%M:%S"))
    frame.drop("at").write_csv(path)
    return path


def ticket_events_later_csv(rows: int = 300_000) -> Path:
    """The next export of the same log: every event again, and a later update (Closed, 30 June 2026) of every
    tenth ticket, which makes those tickets newer versions of the ones the first export stored."""
    path = CACHE / f"ticket_events_{rows}_later.csv"
    if path.exists():
        return path
    import polars as pl

    first = pl.read_csv(ticket_events_csv(rows), infer_schema=False)
    closed = first.group_by("Number", maintain_order=True).last().gather_every(10).with_columns(
        State=pl.lit("Closed"), Updated=pl.lit("30/06/2026 12:00:00"))
    pl.concat([first, closed]).sort("Number", maintain_order=True).write_csv(path)
    return path


def samples_earlier_csv(rows: int = 1_000_000) -> Path:
    """The first three quarters of each probe's series in `samples_csv`: the export before `samples_later_csv`."""
    path = CACHE / f"samples_{rows}_earlier.csv"
    if not path.exists():
        import polars as pl

        first = pl.read_csv(samples_csv(rows), infer_schema=False)
        first.group_by("probe", maintain_order=True).head(rows // 4 * 3 // 4).select(first.columns).write_csv(path)
    return path


def samples_later_csv(rows: int = 1_000_000) -> Path:
    """The next export: the last half of each probe's series in `samples_csv`, of which the first half was in
    `samples_earlier_csv` (a monitoring tool's export that overlaps the one before)."""
    path = CACHE / f"samples_{rows}_later.csv"
    if not path.exists():
        import polars as pl

        first = pl.read_csv(samples_csv(rows), infer_schema=False)
        first.group_by("probe", maintain_order=True).tail(rows // 8).select(first.columns).write_csv(path)
    return path
