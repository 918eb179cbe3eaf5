"""The rows behind one figure (tickets, outages or intervals) as a plain table: columns with their kind, the
cell values, their texts, and which rows are flagged (a missed ticket, an outage with downtime, a bad interval).

Built from the evidence frame a measurement returns; times become local date-times in the target's zone."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

NA_TIME = np.iinfo(np.int64).min


@dataclass(frozen=True)
class EvidenceRow:
    values: tuple
    flagged: bool  # a missed ticket, an outage with downtime, a bad interval


@dataclass(frozen=True)
class EvidenceTable:
    """Column headers with their kind ('text', 'time', 'number', 'int'), the rows, and what a flag means."""

    kind: str  # "tickets" | "outages" | "intervals"
    headers: tuple[tuple[str, str], ...]
    rows: list[EvidenceRow]
    flag_name: str

    @property
    def flagged(self) -> int:
        return sum(r.flagged for r in self.rows)

    def text(self, row: EvidenceRow, column: int) -> str:
        """The cell as the table shows it."""
        return cell_text(self.headers[column][1], row.values[column])


def cell_text(kind: str, value: Any) -> str:
    """'2026-03-10 08:00' for a time, '1,234' for a count, '60' or '12.5' for a number; '' for none."""
    if value is None:
        return ""
    if kind == "time":
        return f"{value:%Y-%m-%d %H:%M}"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "number":
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return str(value)


def evidence_table(frame: pd.DataFrame | None, zone: ZoneInfo) -> EvidenceTable | None:
    """Tickets, outages or intervals with their times as local date-times in the target's calendar zone."""
    if frame is None:
        return None
    if "ticket_id" in frame:
        return _tickets(frame, zone)
    if "outage_id" in frame:
        return _outages(frame, zone)
    return _intervals(frame, zone)


def _times(values: Any, zone: ZoneInfo) -> list[datetime | None]:
    stamps = pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan)
    return [None if math.isnan(s) or s <= NA_TIME + 1 else datetime.fromtimestamp(s, zone) for s in stamps]


def _numbers(values: Any, digits: int = 1) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), digits) for v in values]


def _build(kind: str, flag_name: str, columns: list[tuple[str, str, list]], flagged: np.ndarray) -> EvidenceTable:
    headers = tuple((h, k) for h, k, _ in columns)
    rows = [EvidenceRow(values, bool(flag)) for values, flag in zip(
        zip(*(v for _, _, v in columns), strict=True), flagged, strict=True)] if len(flagged) else []
    return EvidenceTable(kind, headers, rows, flag_name)


def _tickets(frame: pd.DataFrame, zone: ZoneInfo) -> EvidenceTable:
    columns: list[tuple[str, str, list]] = [("Ticket", "text", frame["ticket_id"].astype(str).tolist()),
                                            ("Priority", "text", frame["priority"].fillna("").tolist())]
    for name, header in (("opened_at", "Opened"), ("assigned_at", "Assigned"), ("responded_at", "Responded"),
                         ("resolved_at", "Resolved"), ("closed_at", "Closed")):
        times = _times(frame[name], zone) if name in frame else []
        if any(t is not None for t in times) or name == "opened_at":
            columns.append((header, "time", times))
    if "elapsed_minutes" in frame:
        judged = frame["judged"].to_numpy(bool)
        met = frame["met"].to_numpy(bool)
        excluded = frame["excluded_by"].fillna("").tolist() if "excluded_by" in frame else [""] * len(frame)
        columns += [("Clock min", "number", _numbers(frame["elapsed_minutes"])),
                    ("Paused min", "number", _numbers(frame["paused_minutes"])),
                    ("Result", "text", [f"excluded — {x}" if x else "met" if m else "missed" if j else
                                        "open, within time" for m, j, x in zip(met, judged, excluded, strict=True)])]
        flagged = judged & ~met & ~np.array([bool(x) for x in excluded], dtype=bool)
    else:
        columns.append(("Elapsed h", "number", _numbers(frame["elapsed_hours"], 2)))
        flagged = np.zeros(len(frame), dtype=bool)
    columns += [("Service", "text", frame["service"].fillna("").tolist()),
                ("Status", "text", frame["status"].fillna("").tolist()),
                ("Source row", "int", frame["source_row"].tolist())]
    return _build("tickets", "missed tickets", columns, flagged)


def _outages(frame: pd.DataFrame, zone: ZoneInfo) -> EvidenceTable:
    lasted = (frame["end"].to_numpy(np.int64) - frame["start"].to_numpy(np.int64)) / 60
    columns: list[tuple[str, str, list]] = [("Outage", "text", frame["outage_id"].fillna("").astype(str).tolist()),
               ("Start", "time", _times(frame["start"], zone)), ("End", "time", _times(frame["end"], zone)),
               ("Lasted min", "number", _numbers(lasted)),
               ("Impact %", "number", _numbers(frame["impact_percent"], 0)),
               ("Downtime min", "number", _numbers(frame["downtime_minutes"], 2)),
               ("Planned", "text", ["yes" if p is True else "no" if p is False else "" for p in frame["planned"]]),
               ("Service", "text", frame["service"].fillna("").tolist()),
               ("Note", "text", frame["note"].fillna("").tolist()),
               ("Source row", "int", frame["source_row"].tolist())]
    return _build("outages", "outages with downtime", columns, frame["downtime_minutes"].to_numpy(float) > 0)


def _intervals(frame: pd.DataFrame, zone: ZoneInfo) -> EvidenceTable:
    requests, errors = frame["requests"].to_numpy(float), frame["errors"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(requests > 0, errors / requests * 100, np.nan)
    bad, missing, excluded = (frame[c].to_numpy(bool) for c in ("bad", "missing", "excluded"))
    result = np.where(excluded, "excluded", np.where(missing & bad, "no data (unavailable)",
                      np.where(missing, "no data", np.where(bad, "bad", "good"))))
    columns = [("Interval", "time", _times(frame["t"], zone)), ("Requests", "int", _numbers(requests, 0)),
               ("Errors", "int", _numbers(errors, 0)), ("Error %", "number", _numbers(ratio, 2)),
               ("Latency ms", "number", _numbers(frame["latency"], 0)), ("Result", "text", result.tolist())]
    return _build("intervals", "bad intervals", columns, bad & ~excluded)
