"""Turning a parsed frame into stored rows: de-duplication against what the workspace holds already."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from sltdesk.domain.raw import Finding, RecordKind, Severity
from sltdesk.domain.raw_records import (
    DaySamples,
    R,
    RawCreditNoteLine,
    RawMaintenanceWindow,
    RawOutage,
    RawReportLine,
    RawTicketEvent,
    SampleBlock,
)
from sltdesk.rules import sample_blocks
from sltdesk.rules.blocks import NA_TIME
from sltdesk.services.raw_ports import RawData

TICKET_COLUMNS = ("ticket_id", "priority", "service", "category", "status", "opened_at", "assigned_at",
                  "responded_at", "resolved_at", "closed_at", "source_row")
MONEY = ("target_value", "achieved", "amount")  # stored as exact Decimals


@dataclass
class Plan:
    """What an import will write, and what it skipped or replaced on the way."""

    tickets: pd.DataFrame | None = None  # one row per ticket (the adapter keeps them in month blocks)
    samples: list[SampleBlock | DaySamples] = field(default_factory=list)
    records: list = field(default_factory=list)  # typed rows of one kind (sltdesk/domain/raw_records.py)
    deletes: list[tuple[str, list[int]]] = field(default_factory=list)  # (stored kind, row or block ids)
    updates: list[tuple[str, int, pd.DataFrame]] = field(default_factory=list)  # blocks that lose records
    skipped: int = 0
    replaced: int = 0
    findings: list[Finding] = field(default_factory=list)
    stored: int = 0
    superseded: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)  # batch -> (ids, rows) of
    # its records that newer versions replace

    def store(self, raw: RawData, *, batch_id: int, contract_id: int) -> None:
        """Write what the plan adds, in the caller's transaction."""
        if self.tickets is not None:
            raw.add_tickets(self.tickets, batch_id=batch_id, contract_id=contract_id)
        if self.samples:
            raw.add_samples(self.samples, batch_id=batch_id, contract_id=contract_id)
        if self.records:
            raw.add_records(type(self.records[0]), self.records, batch_id=batch_id, contract_id=contract_id)


def plan_rows(raw: RawData, kind: RecordKind, frame: pd.DataFrame, events: pd.DataFrame | None,
              contract_id: int, blocks: list[SampleBlock] | None = None) -> Plan:
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
        return _none_where(values, values == NA_TIME)
    if column.dtype.kind == "f":
        values = column.to_numpy()
        return _none_where(values, np.isnan(values))
    if column.dtype.kind in "iub":
        return column.tolist()
    items = column.tolist()
    if float in set(map(type, items)):  # NaN stands for "missing" in text columns
        return [None if isinstance(v, float) and v != v else v for v in items]
    return items


def _none_where(values: np.ndarray, missing: np.ndarray) -> list:
    """The values as Python objects, None where `missing`."""
    out = values.astype(object)
    out[missing] = None
    return out.tolist()


def _rows(frame: pd.DataFrame, kind: type[R], times: set[str], renamed: dict[str, str] | None = None) -> list[R]:
    """The frame's rows as typed records of `kind` (its fields, some read from renamed columns)."""
    source = {c: (renamed or {}).get(c, c) for c in kind._fields}
    data = [column_values(frame, source[c], time=c in times) for c in kind._fields]
    return list(map(kind._make, zip(*data, strict=True)))


def _tickets(raw: RawData, frame: pd.DataFrame, events: pd.DataFrame | None, contract_id: int, plan: Plan) -> None:
    new = frame.reset_index(drop=True)
    for name in TICKET_COLUMNS:  # optional fields the file did not have
        if name not in new:
            new[name] = NA_TIME if name.endswith("_at") else None
    new = new[list(TICKET_COLUMNS)].astype({n: np.int64 for n in TICKET_COLUMNS if n.endswith("_at")})
    stored = raw.ticket_blocks(contract_id=contract_id)
    if stored:
        new = _without_known_tickets(raw, stored, new, contract_id, plan)
    plan.tickets = new
    plan.stored = len(new)
    if events is not None:
        subset = events[events["ticket_id"].isin(set(new["ticket_id"]))]
        if "assignee" not in subset:  # a log without an assignment column
            subset = subset.assign(assignee=None)
        plan.records = _rows(subset, RawTicketEvent, {"changed_at"})


def _plain(frame: pd.DataFrame) -> np.ndarray:
    """Cells as objects with every kind of missing (None, NaN) as None, so that missing equals missing."""
    values = frame.astype(object)
    return values.where(values.notna(), None).to_numpy()


def _without_known_tickets(raw: RawData, stored: list, new: pd.DataFrame, contract_id: int,
                           plan: Plan) -> pd.DataFrame:
    """Identical tickets already stored are skipped; changed ones are taken out of their old block."""
    wanted = set(new["ticket_id"])
    changed: set[str] = set()
    known: set[str] = set()
    rewrites: list[tuple[int, pd.DataFrame]] = []
    fields = list(TICKET_COLUMNS[:-1])
    incoming = new.set_index("ticket_id")
    for block in stored:
        old = block.tickets
        overlap = old[old["ticket_id"].isin(wanted)]
        if overlap.empty:
            continue
        same = (_plain(overlap[fields[1:]]) == _plain(incoming.loc[overlap["ticket_id"], fields[1:]])).all(axis=1)
        known |= set(overlap["ticket_id"][same])
        moved = set(overlap["ticket_id"][~same])
        if moved:
            changed |= moved
            rewrites.append((block.id, old[~old["ticket_id"].isin(moved)].reset_index(drop=True)))
            ids, rows = plan.superseded.setdefault(block.batch_id, ([], []))
            ids += overlap["ticket_id"][~same].astype(str).tolist()
            rows += overlap["source_row"][~same].astype(int).tolist()
    for block_id, remaining in rewrites:
        plan.updates.append(("ticket_blocks", block_id, remaining))
    plan.skipped, plan.replaced = len(known), len(changed)
    if changed:
        plan.deletes.append(("ticket_events", raw.ticket_event_ids(contract_id=contract_id,
                                                                   ticket_ids=sorted(changed))))
    _note_dedupe(plan, "tickets")
    return new[~new["ticket_id"].isin(known)].reset_index(drop=True)


def _samples(raw: RawData, frame: pd.DataFrame, blocks: list[SampleBlock] | None, contract_id: int,
             plan: Plan) -> None:
    """Samples the workspace holds already (same probe and time) are skipped: a block that repeats some of them
    is stored without those; a block that repeats none goes in as the importer made it."""
    new: list[SampleBlock | DaySamples] = list(sample_blocks.day_samples(frame) if blocks is None else blocks)
    stored: dict[tuple[str, int], list[np.ndarray]] = {}
    if new:
        for held in raw.sample_blocks(contract_id=contract_id, days=sorted({block.day for block in new})):
            stored.setdefault((held.probe, held.day), []).append(held.samples)
    existing = {key: np.sort(np.concatenate(parts), order="t") for key, parts in stored.items()}
    kept: list[SampleBlock | DaySamples] = []
    differ = []
    for block in new:
        seen = existing.get((block.probe, block.day))
        if seen is not None:  # an overlapping export: keep only the samples the workspace does not hold yet
            samples = block.samples if isinstance(block, DaySamples) else raw.samples_in(block)
            fresh = ~np.isin(samples["t"], seen["t"])
            plan.skipped += int((~fresh).sum())
            differ += [(block.probe, int(r)) for r in _differing(samples[~fresh], seen)]
            if not fresh.any():
                continue
            block = DaySamples(block.probe, block.day, samples[fresh])
        kept.append(block)
    plan.samples = kept
    plan.stored = sum(len(b.samples) if isinstance(b, DaySamples) else b.count for b in kept)
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


# kind -> (stored kind, typed row, time fields, fields read from renamed columns, natural key); the typed row is
# a different record type (a NamedTuple of sltdesk/domain/raw_records.py) for each kind
_SIMPLE: dict[RecordKind, tuple[str, type[Any], set[str], dict[str, str], tuple[str, ...]]] = {
    RecordKind.OUTAGES: ("outages", RawOutage, {"start_at", "end_at"}, {"start_at": "start", "end_at": "end"},
                         ("outage_id", "service", "start_at")),
    RecordKind.VENDOR_REPORT: ("vendor_report", RawReportLine, set(), {}, ("target_name", "period")),
    RecordKind.CREDIT_NOTES: ("credit_notes", RawCreditNoteLine, set(), {}, ("document_id", "line", "period")),
    RecordKind.MAINTENANCE: ("maintenance", RawMaintenanceWindow, {"start_at", "end_at", "notified_at"},
                             {"start_at": "start", "end_at": "end"}, ("reference", "start_at")),
}


def _simple(raw: RawData, kind: RecordKind, frame: pd.DataFrame, contract_id: int, plan: Plan) -> None:
    stored_kind, record, times, renamed, key = _SIMPLE[kind]
    rows = _rows(frame, record, times, renamed)
    if kind is RecordKind.VENDOR_REPORT or kind is RecordKind.CREDIT_NOTES:
        rows = [r._replace(**{m: _decimal(getattr(r, m)) for m in MONEY if m in record._fields}) for r in rows]
    stored = raw.records(record, contract_id=contract_id)
    if stored:
        content = [c for c in record._fields if c != "source_row"]
        existing = {tuple(_same(getattr(s.record, k)) for k in key):
                    (s.id, tuple(_same(getattr(s.record, c)) for c in content)) for s in stored}
        fresh, replaced = [], []
        for row in rows:
            found = existing.get(tuple(_same(getattr(row, k)) for k in key))
            if found is None:
                fresh.append(row)
            elif kind is RecordKind.VENDOR_REPORT and found[1] != tuple(_same(getattr(row, c)) for c in content):
                replaced.append(found[0])  # the vendor re-issued its figures: the newer report wins
                fresh.append(row)
        plan.skipped, plan.replaced = len(rows) - len(fresh), len(replaced)
        if replaced:
            plan.deletes.append((stored_kind, replaced))
        rows = fresh
        _note_dedupe(plan, stored_kind.replace("_", " "))
    plan.records = rows
    plan.stored = len(rows)


def _same(value):
    """Decimals compare as normalised text (2.50 is 2.5); other values as they are."""
    if hasattr(value, "as_tuple"):
        return str(value.normalize())
    if isinstance(value, str) and value[:1].isdigit():
        try:
            return str(Decimal(value).normalize())
        except ArithmeticError:
            return value
    return value


def _decimal(value) -> Decimal | None:
    """Report figures and amounts are exact Decimals (a float came from a cell as written)."""
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(repr(value))


def _note_dedupe(plan: Plan, what: str) -> None:
    if plan.skipped:
        plan.findings.append(Finding(Severity.INFO, "already-imported", f"{plan.skipped:,} {what} were already in "
                                     "the workspace from an earlier import: skipped, not counted twice"))
    if plan.replaced:
        plan.findings.append(Finding(Severity.WARNING, "updated", f"{plan.replaced:,} {what} changed since an "
                                     "earlier import: the new version replaces the old one"))
