"""The demo's 18 months of raw vendor data, generated from the seed and imported like a user's files.

Each generator returns a DataFrame shaped like the supplier's own export (their column names, their
time zone, their quirks); demo.py writes it to a file and hands it to the import path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from sltdesk.domain.raw import RecordKind

FIRST_MONTH = "2025-05"
MONTHS = 18  # May 2025 – October 2026
SPAN = "2025-05..2026-10"


@dataclass(frozen=True)
class DemoFile:
    name: str
    kind: RecordKind
    contract: str
    frame: pd.DataFrame
    timezone: str
    period: str = ""  # the period the file covers, as a user states it with --period


def months() -> pd.DatetimeIndex:
    return pd.date_range(FIRST_MONTH, periods=MONTHS, freq="MS")


def demo_files(seed: int) -> list[DemoFile]:
    rng = np.random.default_rng(seed)
    payflow = _probes(rng, "eu-west", 300, (180, 700))
    return [replace(f, period=SPAN) for f in [  # each file covers the demo's 18 months, and says so
        DemoFile("helppoint_tickets.csv", RecordKind.TICKETS, "HP-2024-009", _service_desk(rng), "Europe/London"),
        DemoFile("northwind_ticket_events.csv", RecordKind.TICKET_EVENTS, "NW-2025-014", _network_events(rng),
                 "Europe/London"),
        DemoFile("stratus_tickets.csv", RecordKind.TICKETS, "ST-2024-003", _hosting_tickets(rng), "Europe/Berlin"),
        DemoFile("stratus_outages.csv", RecordKind.OUTAGES, "ST-2024-003", _outages(rng, "VM Cluster FRA", 3),
                 "Europe/Berlin"),
        DemoFile("northwind_outages.csv", RecordKind.OUTAGES, "NW-2025-014", _outages(rng, "MPLS WAN", 2),
                 "Europe/London"),
        DemoFile("payflow_probes.csv", RecordKind.SAMPLES, "PF-2025-007", payflow, "UTC"),
        DemoFile("payflow_outage_log.csv", RecordKind.OUTAGES, "PF-2025-007", _vendor_log(payflow, rng), "UTC"),
        DemoFile("northwind_internet_latency.csv", RecordKind.SAMPLES, "NW-2025-019",
                 _errors_before_breaches(_probes(rng, "lon-ix", 3600, latency=(8, 30)), seed), "UTC"),
        DemoFile("fabrikam_tickets.csv", RecordKind.TICKETS, "FS-2024-017", _small_tickets(rng, 60), "Europe/Berlin"),
        DemoFile("ironvault_outages.csv", RecordKind.OUTAGES, "IV-2022-005", _outages(rng, "Power A+B", 0.3),
                 "Europe/London"),
    ]]


def _stamp(seconds: np.ndarray) -> list[str]:
    """Local wall times as the vendor's tool writes them (day-first, no zone)."""
    return _formatted(seconds, "%d/%m/%Y ", "%H:%M", step=60)


def _formatted(seconds: np.ndarray, day: str, clock: str, *, step: int = 1) -> list[str]:
    """Epoch seconds as `strftime(day + clock)` writes them, each day and each time of day (to `step` seconds,
    the finest the format shows) formatted once: pandas' strftime formats every value on its own."""
    seconds = np.asarray(seconds, dtype=np.int64)
    if not len(seconds):
        return []
    days, rest = np.divmod(seconds, 86_400)
    first = int(days.min())
    epoch = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=first)
    day_text = np.array([(epoch + timedelta(days=i)).strftime(day) for i in range(int(days.max()) - first + 1)],
                        dtype=object)
    times, at = np.unique(rest // step * step, return_inverse=True)
    time_text = np.array([(epoch + timedelta(seconds=int(t))).strftime(clock) for t in times], dtype=object)
    return (day_text[days - first] + time_text[at.reshape(-1)]).tolist()


def _span() -> tuple[int, int]:
    start = int(months()[0].timestamp())
    end = int((months()[-1] + pd.offsets.MonthBegin(1)).timestamp())
    return start, end


def _opened(rng: np.random.Generator, count: int) -> np.ndarray:
    """Opening times weighted towards office hours on weekdays."""
    start, end = _span()
    times = rng.integers(start, end, count * 2)
    local = pd.to_datetime(times, unit="s")
    weight = np.where((local.day_of_week < 5) & (local.hour >= 8) & (local.hour < 18), 1.0, 0.25)
    keep = rng.random(len(times)) < weight
    return np.sort(times[keep][:count])


def _service_desk(rng: np.random.Generator) -> pd.DataFrame:
    """HelpPoint: ~2,500 tickets a month; P2 resolution slips in the winter of 2025/26."""
    opened = _opened(rng, 45_000)
    n = len(opened)
    priority = rng.choice(["P1", "P2", "P3", "P4"], n, p=[0.01, 0.14, 0.55, 0.30])
    month = pd.to_datetime(opened, unit="s").month
    slow = np.isin(month, [12, 1, 2])
    scale = np.select([priority == "P1", priority == "P2", priority == "P3"], [2.5, 5.0, 14.0], 40.0) * 3600
    resolve = rng.gamma(2.0, scale / 2.0 * np.where(slow & (priority == "P2"), 1.6, 1.0))
    respond = rng.exponential(np.where(priority == "P1", 240, 1800))
    return pd.DataFrame({
        "Ticket": [f"HP-{i:06d}" for i in range(1, n + 1)], "Priority": priority,
        "Service": rng.choice(["Laptop", "E-mail", "Store tills", "VPN", "Access"], n),
        "Category": rng.choice(["Incident", "Request"], n, p=[0.7, 0.3]), "Status": "Closed",
        "Opened": _stamp(opened), "First Response": _stamp(opened + respond.astype(np.int64)),
        "Resolved": _stamp(opened + respond.astype(np.int64) + resolve.astype(np.int64)),
    })


def _network_events(rng: np.random.Generator) -> pd.DataFrame:
    """Northwind: an event log (one row per state change) with time spent awaiting the customer."""
    opened = _opened(rng, 7_200)
    n = len(opened)
    ids = np.array([f"NW-{25_0000 + i}" for i in range(n)])
    priority = rng.choice(["Sev 1", "Sev 2", "Sev 3", "Sev 4"], n, p=[0.04, 0.16, 0.5, 0.3])
    ack = opened + rng.exponential(np.where(priority == "Sev 1", 200, 2400)).astype(np.int64)
    wait = (rng.random(n) < 0.3) & (priority != "Sev 1")  # a P1 is worked through, not parked
    paused = ack + rng.exponential(3600, n).astype(np.int64)
    resumed = paused + rng.exponential(4 * 3600, n).astype(np.int64)
    work = rng.gamma(2.0, np.where(priority == "Sev 1", 2700, 5400)).astype(np.int64)
    resolved = np.where(wait, resumed, ack) + work
    closed = resolved + 86_400
    rows = [(ids, "New", opened), (ids, "In Progress", ack), (ids[wait], "Awaiting Customer", paused[wait]),
            (ids[wait], "In Progress", resumed[wait]), (ids, "Resolved", resolved), (ids, "Closed", closed)]
    frame = pd.concat([pd.DataFrame({"Ticket": i, "State": s, "t": t}) for i, s, t in rows], ignore_index=True)
    lookup = dict(zip(ids, priority, strict=True))
    frame["Severity"] = frame["Ticket"].map(lookup)
    frame["Service"] = "MPLS WAN"
    frame = frame.sort_values(["t", "Ticket"], kind="stable")
    frame["Changed"] = _stamp(frame.pop("t").to_numpy())
    return frame[["Ticket", "Severity", "Service", "State", "Changed"]]


def _hosting_tickets(rng: np.random.Generator) -> pd.DataFrame:
    opened = _opened(rng, 5_400)
    n = len(opened)
    priority = rng.choice(["1 - Critical", "2 - High", "3 - Medium", "4 - Low"], n, p=[0.03, 0.17, 0.5, 0.3])
    respond = rng.exponential(np.where(priority == "1 - Critical", 600, 3600)).astype(np.int64)
    resolve = rng.gamma(2.0, 4 * 3600, n).astype(np.int64)
    return pd.DataFrame({"Vorgang": [f"ST-T{i:05d}" for i in range(n)], "Priorität": priority,
                         "Dienst": "VM Cluster FRA", "Status": "Geschlossen", "Eröffnet": _stamp(opened),
                         "Erste Reaktion": _stamp(opened + respond), "Gelöst": _stamp(opened + respond + resolve)})


def _outages(rng: np.random.Generator, service: str, per_month: float) -> pd.DataFrame:
    start, end = _span()
    count = int(per_month * MONTHS)
    begins = np.sort(rng.integers(start, end, count))
    minutes = np.maximum(1, rng.lognormal(2.3, 1.0, count)).astype(np.int64)
    impact = rng.choice([25, 50, 100], count, p=[0.5, 0.3, 0.2])
    planned = rng.random(count) < 0.1
    return pd.DataFrame({"Outage": [f"{service[:2].upper()}-{i:04d}" for i in range(1, count + 1)],
                         "Service": service, "Start": _stamp(begins), "End": _stamp(begins + minutes * 60),
                         "Impact %": impact, "Planned": np.where(planned, "yes", "no"), "Note": ""})


def _probes(rng: np.random.Generator, probe: str, step: int, latency: tuple[int, int] = (180, 900)) -> pd.DataFrame:
    start, end = _span()
    stamps = np.arange(start, end, step)
    n = len(stamps)
    requests = rng.integers(800, 2400, n) if step < 3600 else np.full(n, 60)
    errors = rng.poisson(requests * 0.0005)  # about one failed request in two thousand
    incidents = rng.random(n) < 0.0006 * 300 / step  # about three bad 5-minute intervals a month
    errors = np.where(incidents, (requests * rng.uniform(0.06, 0.4, n)).astype(np.int64), errors)
    slow = rng.random(n) < 0.006  # latency spikes above the usual band
    p95 = np.where(slow, rng.integers(latency[1], latency[1] * 2, n), rng.integers(latency[0], latency[1], n))
    return pd.DataFrame({"timestamp_utc": _formatted(stamps, "%Y-%m-%dT", "%H:%M:%SZ"),
                         "probe": probe, "requests": requests, "errors": np.minimum(errors, requests),
                         "p95_ms": p95})


# Northwind's internet breakout, on purpose: the error rate creeps up the month before each of these breaches
# (months in UTC); sltdesk indicators lists it as a leading indicator of Internet availability, one month ahead.
WARNED_BREACHES = ("2025-10", "2026-02", "2026-07")


def _errors_before_breaches(probes: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The month before each warned breach, one or two failed requests in most hours (at most 2 of 60: no hour
    fails); in the breach month, ten hours where a tenth to two fifths of the requests fail. Drawn from a
    generator of its own, so the other demo files do not shift."""
    rng = np.random.default_rng(seed + 30)
    month = probes["timestamp_utc"].str[:7].to_numpy()  # "2025-10-01T00:00:00Z" -> "2025-10"
    errors, requests = probes["errors"].to_numpy().copy(), probes["requests"].to_numpy()
    for breach in WARNED_BREACHES:
        before = pd.Period(breach, "M") - 1
        hours = np.flatnonzero(month == str(before))
        quiet = hours[errors[hours] <= 2]
        errors[quiet] = np.minimum(errors[quiet] + rng.integers(0, 3, len(quiet)), 2)
        bad = rng.choice(np.flatnonzero(month == breach), 10, replace=False)
        errors[bad] = np.maximum(errors[bad], (requests[bad] * rng.uniform(0.1, 0.4, 10)).astype(np.int64))
    return probes.assign(errors=errors)


def _vendor_log(probes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """PayFlow's own incident log: the bad intervals its probes show, but a third of them never logged."""
    bad = probes[probes["errors"] > probes["requests"] * 0.05]
    stamps = (pd.to_datetime(bad["timestamp_utc"]) - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    logged = rng.random(len(bad)) > 0.34
    start = stamps[logged].to_numpy()
    return pd.DataFrame({"Incident": [f"PF-INC-{i:04d}" for i in range(1, len(start) + 1)], "Service": "Gateway",
                         "Start": _stamp(start), "End": _stamp(start + 300), "Impact %": 100})


def _small_tickets(rng: np.random.Generator, per_month: int) -> pd.DataFrame:
    opened = _opened(rng, per_month * MONTHS)
    n = len(opened)
    return pd.DataFrame({"Case": [f"FS-{i:05d}" for i in range(n)],
                         "Priority": rng.choice(["P1", "P2", "P3"], n, p=[0.1, 0.4, 0.5]),
                         "Opened": _stamp(opened), "Resolved": _stamp(opened + rng.gamma(1.5, 2 * 3600, n)
                                                                      .astype(np.int64))})


def generated_at(seed: int) -> datetime:
    """When the vendors 'exported' the files: the day after the last month (so nothing is in the future)."""
    del seed
    return (months()[-1] + pd.offsets.MonthBegin(1)).to_pydatetime()
