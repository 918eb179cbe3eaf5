"""Turning a parsed frame into stored rows: de-duplication against what the workspace holds already."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.raw import Finding, RecordKind, Severity
from sltdesk.rules import blocks, sample_blocks
from sltdesk.services.raw_ports import RawData

NA_TIME = np.iinfo(np.int64).min
TICKET_COLUMNS = ("ticket_id", "priority", "service", "category", "status", "opened_at", "assigned_at",
                  "responded_at", "resolved_at", "closed_at", "source_row")
EVENT_COLUMNS = ("ticket_id", "state", "changed_at", "source_row", "assignee")
OUTAGE_COLUMNS = ("outage_id", "service", "start_at", "end_at", "impact_percent", "planned", "note", "source_row")
REPORT_COLUMNS = ("target_name", "period", "target_value", "achieved", "met", "source_row")
CREDIT_COLUMNS = ("document_id", "period", "line", "description", "amount", "currency", "source_row")
WINDOW_COLUMNS = ("start_at", "end_at", "service", "reference", "notified_at", "source_row")


@dataclass
class Plan:
    """What an import will write, and what it skipped or replaced on the way."""

    inserts: list[tuple[str, tuple[str, ...], list[tuple]]] = field(default_factory=list)
    deletes: list[tuple[str, list[int]]] = field(default_factory=list)
    updates: list[tuple[str, int, pd.DataFrame]] = field(default_factory=list)  # blocks that lose records
    skipped: int = 0
    replaced: int = 0
    findings: list[Finding] = field(default_factory=list)
    stored: int = 0
    superseded: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)  # batch -> (ids, rows) of
    # its records that newer versions replace


def plan_rows(raw: RawData, kind: RecordKind, frame: pd.DataFrame, events: pd.DataFrame | None,
              contract_id: int, blocks: list[sample_blocks.Block] | None = None) -> Plan:
    plan = Plan()
    if kind in (RecordKind.TICKETS, RecordKind.TICKET_EVENTS):
        _tickets(raw, frame, events, contract_id, plan)
    elif kind is RecordKind.SAMPLES:
        _samples(raw, frame, blocks, contract_id, plan)
    else:
        _simple(raw, kind, frame, contract_id, plan)
    return plan


def column_values(frame: pd.DataFrame, name: str, *, time: bool = False) -> list:
    """Plain Python values (numpy scalars are not accepted by every driver); missing -> None."""
    if name not in frame:
        return [None] * len(frame)
    column = frame[name]
    if time:
        values = column.to_numpy()
        if not (values == NA_TIME).any():
            return values.tolist()
        return np.where(values == NA_TIME, None, values.astype(object)).tolist()
    if column.dtype.kind == "f":
        values = column.to_numpy()
        return np.where(np.isnan(values), None, values.astype(object)).tolist()
    if column.dtype.kind in "iub":
        return column.tolist()
    values = column.tolist()
    if float in set(map(type, values)):  # NaN stands for "missing" in text columns
        return [None if isinstance(v, float) and v != v else v for v in values]
    return values


def _rows(frame: pd.DataFrame, columns: tuple[str, ...], times: set[str], renamed: dict[str, str] | None = None):
    source = {c: (renamed or {}).get(c, c) for c in columns}
    data = [column_values(frame, source[c], time=c in times) for c in columns]
    return list(zip(*data, strict=True))


def _tickets(raw: RawData, frame: pd.DataFrame, events: pd.DataFrame | None, contract_id: int, plan: Plan) -> None:
    new = frame.reset_index(drop=True)
    for name in TICKET_COLUMNS:  # optional fields the file did not have
        if name not in new:
            new[name] = NA_TIME if name.endswith("_at") else None
    new = new[list(TICKET_COLUMNS)].astype({n: np.int64 for n in TICKET_COLUMNS if n.endswith("_at")})
    if raw.count("ticket_blocks", contract_id=contract_id):
        new = _without_known_tickets(raw, new, contract_id, plan)
    month = month_keys(new["opened_at"].to_numpy())
    rows = []
    for key in np.unique(month):
        block = new[month == key].reset_index(drop=True)
        rows.append((int(key), len(block), blocks.encode_frame(block)))
    plan.inserts.append(("ticket_blocks", ("month", "count", "payload"), rows))
    plan.stored = len(new)
    if events is not None:
        subset = events[events["ticket_id"].isin(set(new["ticket_id"]))]
        if "assignee" not in subset:  # a log without an assignment column
            subset = subset.assign(assignee=None)
        plan.inserts.append(("ticket_events", EVENT_COLUMNS, _rows(subset, EVENT_COLUMNS, {"changed_at"})))


def month_keys(stamps: np.ndarray) -> np.ndarray:
    """yyyymm of each UTC epoch second (missing times fall into month 0)."""
    valid = stamps != NA_TIME
    months = np.zeros(len(stamps), dtype=np.int64)
    as_month = stamps[valid].astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    months[valid] = (as_month // 12 + 1970) * 100 + as_month % 12 + 1
    return months


def _plain(frame: pd.DataFrame) -> np.ndarray:
    """Cells as objects with every kind of missing (None, NaN) as None, so that missing equals missing."""
    values = frame.astype(object)
    return values.where(values.notna(), None).to_numpy()


def _without_known_tickets(raw: RawData, new: pd.DataFrame, contract_id: int, plan: Plan) -> pd.DataFrame:
    """Identical tickets already stored are skipped; changed ones are taken out of their old block."""
    stored = raw.select("ticket_blocks", ("id", "batch_id", "payload"), contract_id=contract_id)
    wanted = set(new["ticket_id"])
    changed: set[str] = set()
    known: set[str] = set()
    rewrites: list[tuple[int, pd.DataFrame]] = []
    fields = list(TICKET_COLUMNS[:-1])
    incoming = new.set_index("ticket_id")
    for block_id, batch_id, payload in stored:
        old = blocks.decode_frame(payload)
        overlap = old[old["ticket_id"].isin(wanted)]
        if overlap.empty:
            continue
        same = (_plain(overlap[fields[1:]]) == _plain(incoming.loc[overlap["ticket_id"], fields[1:]])).all(axis=1)
        known |= set(overlap["ticket_id"][same])
        moved = set(overlap["ticket_id"][~same])
        if moved:
            changed |= moved
            rewrites.append((block_id, old[~old["ticket_id"].isin(moved)].reset_index(drop=True)))
            ids, rows = plan.superseded.setdefault(batch_id, ([], []))
            ids += overlap["ticket_id"][~same].astype(str).tolist()
            rows += overlap["source_row"][~same].astype(int).tolist()
    for block_id, remaining in rewrites:
        plan.updates.append(("ticket_blocks", block_id, remaining))
    plan.skipped, plan.replaced = len(known), len(changed)
    if changed:
        old_events = raw.select("ticket_events", ("id",), contract_id=contract_id, ticket_id=sorted(changed))
        plan.deletes.append(("ticket_events", [r[0] for r in old_events]))
    _note_dedupe(plan, "tickets")
    return new[~new["ticket_id"].isin(known)].reset_index(drop=True)


def _samples(raw: RawData, frame: pd.DataFrame, blocks: list[sample_blocks.Block] | None, contract_id: int,
             plan: Plan) -> None:
    blocks = sample_blocks.frame_blocks(frame) if blocks is None else blocks
    stored: dict[tuple[str, int], list[np.ndarray]] = {}
    if blocks and raw.count("sample_blocks", contract_id=contract_id):
        days = sorted({block[1] for block in blocks})
        for probe, day, payload in raw.select("sample_blocks", ("probe", "day", "payload"), contract_id=contract_id,
                                              day=days):
            stored.setdefault((probe, day), []).append(sample_blocks.decode(payload))
    existing = {key: np.sort(np.concatenate(parts), order="t") for key, parts in stored.items()}
    rows, differ = [], []
    for probe, day, first, last, count, payload in blocks:
        seen = existing.get((probe, day))
        if seen is not None:  # an overlapping export: keep only the samples the workspace does not hold yet
            block = sample_blocks.decode(payload)
            fresh = ~np.isin(block["t"], seen["t"])
            plan.skipped += int((~fresh).sum())
            differ += [(probe, int(r)) for r in _differing(block[~fresh], seen)]
            if not fresh.any():
                continue
            block = block[fresh]
            first, last, count, payload = int(block["t"][0]), int(block["t"][-1]), len(block), sample_blocks.encode(
                block)
        rows.append((probe, day, first, last, count, payload))
    plan.inserts.append(("sample_blocks", ("probe", "day", "first_at", "last_at", "count", "payload"), rows))
    plan.stored = sum(row[4] for row in rows)
    _note_dedupe(plan, "samples")
    if differ:
        probe, row = min(differ, key=lambda d: d[1])
        many = len(differ) != 1
        plan.findings.append(Finding(Severity.WARNING, "samples-differ", f"{len(differ):,} sample{'s' if many else ''} "
                                     f"already stored for the same probe and time {'have' if many else 'has'} other "
                                     "figures in this file (first: probe "
                                     f"{probe or '(none)'}, row {row}); the stored ones were kept — remove the "
                                     "earlier batch and import again to take these instead", row=row))


def _differing(repeated: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Source rows of `repeated` samples whose figures differ from the stored sample at the same time."""
    if not len(repeated):
        return np.empty(0, dtype=np.int64)
    match = stored[np.searchsorted(stored["t"], repeated["t"])]
    same = np.ones(len(repeated), dtype=bool)
    for name in ("requests", "errors", "ok", "latency_ms"):
        a, b = repeated[name], match[name]
        same &= (a == b) | (np.isnan(a) & np.isnan(b)) if a.dtype.kind == "f" else a == b
    return repeated["row"][~same]


_SIMPLE = {
    RecordKind.OUTAGES: ("outages", OUTAGE_COLUMNS, {"start_at", "end_at"}, {"start_at": "start", "end_at": "end"},
                         ("outage_id", "service", "start_at")),
    RecordKind.VENDOR_REPORT: ("vendor_report", REPORT_COLUMNS, set(), {}, ("target_name", "period")),
    RecordKind.CREDIT_NOTES: ("credit_notes", CREDIT_COLUMNS, set(), {}, ("document_id", "line", "period")),
    RecordKind.MAINTENANCE: ("maintenance", WINDOW_COLUMNS, {"start_at", "end_at", "notified_at"},
                             {"start_at": "start", "end_at": "end"}, ("reference", "start_at")),
}


def _simple(raw: RawData, kind: RecordKind, frame: pd.DataFrame, contract_id: int, plan: Plan) -> None:
    table, columns, times, renamed, key = _SIMPLE[kind]
    rows = _rows(frame, columns, times, renamed)
    if kind is RecordKind.VENDOR_REPORT or kind is RecordKind.CREDIT_NOTES:
        rows = [tuple(_decimal_text(v) if columns[i] in ("target_value", "achieved", "amount") else v
                      for i, v in enumerate(r)) for r in rows]
    positions = [columns.index(k) for k in key]
    if raw.count(table, contract_id=contract_id):
        content = [c for c in columns if c != "source_row"]
        existing = {tuple(_same(v) for v in r[1:1 + len(key)]): (r[0], tuple(_same(v) for v in r[1 + len(key):]))
                    for r in raw.select(table, ("id", *key, *content), contract_id=contract_id)}
        fresh, replaced = [], []
        for row in rows:
            found = existing.get(tuple(_same(row[p]) for p in positions))
            if found is None:
                fresh.append(row)
            elif kind is RecordKind.VENDOR_REPORT and found[1] != tuple(_same(row[columns.index(c)])
                                                                       for c in content):
                replaced.append(found[0])  # the vendor re-issued its figures: the newer report wins
                fresh.append(row)
        plan.skipped, plan.replaced = len(rows) - len(fresh), len(replaced)
        if replaced:
            plan.deletes.append((table, replaced))
        rows = fresh
        _note_dedupe(plan, table.replace("_", " "))
    plan.inserts.append((table, columns, rows))
    plan.stored = len(rows)


def _same(value):
    """Stored Decimals come back as Decimal, new ones are text: compare them as normalised text."""
    if hasattr(value, "as_tuple"):
        return str(value.normalize())
    if isinstance(value, str) and value[:1].isdigit():
        try:
            return str(Decimal(value).normalize())
        except ArithmeticError:
            return value
    return value


def _decimal_text(value):
    """Report figures and amounts are stored as exact Decimal text (a float came from a cell as written)."""
    from decimal import Decimal

    if value is None:
        return None
    return str(value if isinstance(value, Decimal) else Decimal(repr(value)))


def _note_dedupe(plan: Plan, what: str) -> None:
    if plan.skipped:
        plan.findings.append(Finding(Severity.INFO, "already-imported", f"{plan.skipped:,} {what} were already in "
                                     "the workspace from an earlier import: skipped, not counted twice"))
    if plan.replaced:
        plan.findings.append(Finding(Severity.WARNING, "updated", f"{plan.replaced:,} {what} changed since an "
                                     "earlier import: the new version replaces the old one"))
