"""The files of the README's "Your first contract" walk-through: a filled register workbook (template
version 2), a ticket event log and interval samples for March 2026.

    python -m tests.data.first_contract.make_files      # writes them beside this file

tests/adapters/test_first_contract.py checks the files here are what this script writes, and runs the
README's commands on them. What they hold, and the figures they give (worked by hand in the test):

- FC-2026-001, Acme Hosting, EUR 20,000.00 a month, 2026-01-01 … 2027-12-31.
- "P2 resolution": at least 90 % of P2 tickets resolved within 480 business minutes (Mon–Fri 08:00–18:00,
  Europe/Berlin, German public holidays), the clock paused while "Awaiting Customer". 11 tickets in March.
- "Availability": at least 99.99 % of hourly intervals good (errors at most 5 %), 24x7 in Europe/Berlin:
  March 2026 there has 743 hours (the clocks go forward on the 29th), one of them bad.
- Clauses: an at-risk pool of 20 % of the charges; the published cloud table on Availability (< 99.99 %
  → 10 %, < 99.0 % → 30 %, < 95.0 % → 100 % of the charges); P2 resolution allocated 50 % of the pool;
  credits capped at 15 % of the period's charges.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from reports.contract_register_xlsx import write_contract_register
from sltdesk.domain.register_book import SHEET_BY_NAME

HERE = Path(__file__).parent
REF = "FC-2026-001"

REGISTER: dict[str, list[dict[str, object]]] = {
    "Suppliers": [{"name": "Acme Hosting", "category": "cloud hosting", "criticality": "high"}],
    "Contracts": [{"ref": REF, "@supplier_id": "Acme Hosting", "title": "Hosting and service desk",
                   "start_date": "2026-01-01", "end_date": "2027-12-31", "currency": "EUR", "charges": 20000,
                   "charges_period": "month", "rounding": "half-up"}],
    "Service calendars": [{"name": "Office Berlin", "timezone": "Europe/Berlin", "hours:mon": "08:00-18:00",
                           "hours:tue": "08:00-18:00", "hours:wed": "08:00-18:00", "hours:thu": "08:00-18:00",
                           "hours:fri": "08:00-18:00", "holiday_country": "DE"},
                          {"name": "24x7 Berlin", "timezone": "Europe/Berlin",
                           **{f"hours:{day}": "00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                                        "sun")}}],
    "Contract targets": [
        {"@contract_id": REF, "name": "P2 resolution", "metric": "resolution time", "comparison": ">=",
         "threshold": 90, "unit": "%", "measurement_period": "month", "@calendar_id": "Office Berlin"},
        {"@contract_id": REF, "name": "Availability", "metric": "availability", "comparison": ">=",
         "threshold": 99.99, "unit": "%", "measurement_period": "month", "@calendar_id": "24x7 Berlin"},
    ],
    "Measurement rules": [
        {"@target_id:0": REF, "@target_id:1": "P2 resolution", "source": "tickets", "priority": "P2",
         "limit_minutes": 480, "business_clock": "yes", "pause_states": "Awaiting Customer"},
        {"@target_id:0": REF, "@target_id:1": "Availability", "source": "samples", "interval_seconds": 3600,
         "error_limit_percent": 5, "missing_data": "unavailable"},
    ],
    "Credit clauses": [
        {"contract": REF, "number": 1, "kind": "at-risk pool", "percent": 20, "source": "Schedule 4 §1"},
        {"contract": REF, "number": 2, "kind": "tiered credit", "target": "Availability", "inclusive": "no",
         "source": "Schedule 4 §2 (the published cloud table)"},
        {"contract": REF, "number": 3, "kind": "at-risk allocation", "target": "P2 resolution", "percent": 50,
         "source": "Schedule 4 §3"},
        {"contract": REF, "number": 4, "kind": "cap", "scope": "period", "percent": 15, "source": "Schedule 4 §5"},
    ],
    "Clause bands": [
        {"contract": REF, "number": 2, "bound": 99.99, "percent": 10},
        {"contract": REF, "number": 2, "bound": 99.0, "percent": 30},
        {"contract": REF, "number": 2, "bound": 95.0, "percent": 100},
    ],
}

# (ticket, [(state, Berlin local time)]): March 2026; 2 Mar is a Monday.
EVENTS = [
    *[(f"T-{i}", [("New", f"2026-03-0{i + 1} 09:00"), ("In Progress", f"2026-03-0{i + 1} 09:20"),
                  ("Resolved", f"2026-03-0{i + 1} 12:00")]) for i in range(1, 5)],  # 2–5 Mar, 180 min each
    *[(f"T-{i}", [("New", f"2026-03-{day} 14:00"), ("Resolved", f"2026-03-{day} 17:00")])
      for i, day in zip(range(5, 9), (12, 13, 17, 18), strict=True)],  # Thu, Fri, Tue, Wed: 180 min each
    ("T-9", [("New", "2026-03-06 16:00"), ("In Progress", "2026-03-09 08:30"), ("Resolved", "2026-03-10 10:00")]),
    ("T-10", [("New", "2026-03-11 09:00"), ("Awaiting Customer", "2026-03-11 10:00"),
              ("In Progress", "2026-03-16 09:00"), ("Resolved", "2026-03-16 15:00")]),
    ("T-11", [("New", "2026-03-19 13:00"), ("Resolved", "2026-03-20 13:00")]),
]
BERLIN = ZoneInfo("Europe/Berlin")
BAD_HOUR = datetime(2026, 3, 18, 14, 0, tzinfo=BERLIN)  # the one interval above the 5 % error limit


def write_register(path: Path) -> Path:
    write_contract_register(path)
    book = openpyxl.load_workbook(path)
    for sheet_name, rows in REGISTER.items():
        columns = [c.field for c in SHEET_BY_NAME[sheet_name].columns]
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, f"{sheet_name}: no column for {unknown}"
            book[sheet_name].append([row.get(field) for field in columns])
    book.save(path)
    return path


def write_events(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Ticket", "Priority", "State", "Changed at"])
        for ticket, states in EVENTS:
            for state, when in states:
                out.writerow([ticket, "P2", state, when])
    return path


def write_samples(path: Path) -> Path:
    """One row per hour of March 2026 in Berlin, written in Berlin's local time (no 02:00 on the 29th)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Timestamp", "Probe", "Requests", "Errors", "Latency ms"])
        hour = datetime(2026, 3, 1, tzinfo=BERLIN).astimezone(UTC)
        while hour < datetime(2026, 4, 1, tzinfo=BERLIN):
            local = hour.astimezone(BERLIN)
            out.writerow([f"{local:%Y-%m-%d %H:%M}", "web", 1000, 80 if local == BAD_HOUR else 3, 120])
            hour += timedelta(hours=1)
    return path


def write_all(folder: Path = HERE) -> list[Path]:
    return [write_register(folder / "register.xlsx"), write_events(folder / "events.csv"),
            write_samples(folder / "samples.csv")]


if __name__ == "__main__":
    for written in write_all():
        print(f"written {written}")
