"""The Verification page's use cases: contracts and exceptions to choose from, a contract's targets × months
recomputed from the raw data, the months it has data for, and the evidence behind one figure."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.measurement import ExceptionStatus, FalsePositive, ForceMajeure, Source
from sltdesk.domain.period import months_between, shift
from sltdesk.domain.register import Contract, ContractTarget
from sltdesk.domain.stored import stored_id
from sltdesk.rules.at_risk import WINDOW, with_warnings
from sltdesk.rules.calibration import Calibration
from sltdesk.rules.cell_states import CellState, cell_state
from sltdesk.rules.data_months import default_periods, months_with_data
from sltdesk.rules.evidence_tables import EvidenceTable, evidence_table
from sltdesk.services.attainment import ContractData, attainment_history, calibration_for
from sltdesk.services.exceptions import list_exceptions
from sltdesk.services.false_positives import list_false_positives
from sltdesk.services.imports import contract_timezone
from sltdesk.services.ports import Workspace
from sltdesk.services.raw_data import load_samples
from sltdesk.services.register import list_records
from sltdesk.services.views import TargetRowView, target_rows


@dataclass(frozen=True)
class ExceptionRow:
    """A force-majeure request as the table shows it (times in the contract's zone)."""

    record: ForceMajeure
    ref: str
    contract: str
    target: str
    start: datetime
    end: datetime
    reason: str
    status: str
    requested_by: str
    decided_by: str
    note: str
    evidence: str


@dataclass(frozen=True)
class FlagRow:
    """A false positive as the table shows it (times in the contract's zone; none for a ticket)."""

    record: FalsePositive
    ref: str
    contract: str
    target: str
    what: str
    probe: str
    start: datetime | None
    reason: str
    status: str
    requested_by: str
    decided_by: str
    evidence: str


@dataclass(frozen=True)
class VerificationData:
    """What the page loads: the contracts to choose from, their targets and zones, every exception."""

    contracts: list[Contract]
    targets: list[TargetRowView]
    zones: dict[int, str]
    exceptions: list[ExceptionRow] = field(default_factory=list)
    flags: list[FlagRow] = field(default_factory=list)

    def contract(self, contract_id: int | None) -> Contract | None:
        return next((c for c in self.contracts if c.id == contract_id), None)


def load_verification(ws: Workspace) -> VerificationData:
    """Contracts (by reference), targets, each contract's zone and the exceptions."""
    contracts = sorted(list_records(ws, Contract), key=lambda c: c.ref.casefold())
    zones = {stored_id(c): contract_timezone(ws, c) for c in contracts}
    targets = target_rows(ws)
    names = {t.id: t.name for t in targets}
    refs = {c.id: c.ref for c in contracts}
    rows = []
    for record, files in list_exceptions(ws):
        zone = ZoneInfo(zones.get(record.contract_id, "UTC"))
        rows.append(ExceptionRow(
            record, f"FM-{record.id}", refs.get(record.contract_id, "?"),
            names.get(record.target_id, "?") if record.target_id else "all targets",
            local_time(record.start, zone), local_time(record.end, zone), record.reason, record.status.value,
            record.requested_by, record.decided_by, record.decision_note,
            ", ".join(f["file_name"] for f in files)))
    flags = [FlagRow(record, record.ref, refs.get(record.contract_id, "?"),
                     names.get(record.target_id, "?") if record.target_id else "all targets", record.what,
                     record.probe, local_time(record.start, ZoneInfo(zones.get(record.contract_id, "UTC")))
                     if record.end > record.start else None, record.reason, record.status.value, record.requested_by,
                     record.decided_by, ", ".join(f["file_name"] for f in files))
             for record, files in list_false_positives(ws)]
    return VerificationData(contracts, targets, zones, rows, flags)


def local_time(epoch: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC).astimezone(zone)


# --- the recomputed grid ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    """How many cells missed, are at risk, and where the vendor's 'met' flips."""

    missed: int
    at_risk: int
    flips: int


@dataclass(frozen=True)
class Computation:
    """One contract's targets × periods, and the loaded data (kept for drill-down evidence)."""

    contract: Contract
    periods: list[str]
    targets: list[ContractTarget]
    results: dict[int, list[AttainmentResult]]
    data: ContractData

    def result(self, row: int, column: int) -> AttainmentResult:
        return self.results[stored_id(self.targets[row])][column]

    def zone(self, target: ContractTarget) -> ZoneInfo:
        calendar = self.data.calendar_of(target)
        return ZoneInfo(calendar.timezone if calendar else "UTC")

    def source(self, target: ContractTarget) -> Source | None:
        """Where the target is measured from (None: no measurement rule yet)."""
        rule = self.data.rules.get(stored_id(target))
        return rule.source if rule is not None else None

    def has_samples(self, target: ContractTarget) -> bool:
        return self.source(target) is Source.SAMPLES

    def tally(self) -> Tally:
        every = [r for results in self.results.values() for r in results]
        states = Counter(cell_state(r) for r in every)
        return Tally(states[CellState.MISSED], states[CellState.AMBER], sum(r.met_flips for r in every))


def recompute(ws: Workspace, contract: Contract, periods: list[str] | None, *,
              progress: Callable[[int, str], None]) -> Computation:
    """Every target of the contract for every period (the default range when `periods` is empty), reporting
    progress per target."""
    if not periods:
        progress(0, f"Finding the months {contract.ref} has data for…")
        periods = default_periods(data_months(ws, stored_id(contract)), today=ws.now())
    progress(2, f"Loading {contract.ref}'s raw data…")
    earlier = months_between(shift(periods[0], -(WINDOW - 1)), shift(periods[0], -1))  # for the early warnings
    data = ContractData.load(ws, stored_id(contract), earlier + periods)  # for the rows behind a figure
    progress(40, f"Reading {contract.ref}'s stored results, measuring what changed since they were stored…")
    found = attainment_history(ws, stored_id(contract), earlier + periods)
    results: dict[int, list[AttainmentResult]] = {
        stored_id(t): with_warnings(earlier + periods, found[stored_id(t)], start=len(earlier)) for t in data.targets}
    progress(100, "Done")
    return Computation(contract, periods, list(data.targets), results, data)


def data_months(ws: Workspace, contract_id: int) -> list[str]:
    """The months ('2026-03', in the contract's zone) with tickets, outages, samples or vendor-reported figures."""
    probe = ContractData.load(ws, contract_id, [f"{ws.now():%Y-%m}"])  # tickets, outages and reports come whole
    stamps = [probe.raw["tickets"]["opened_at"].to_numpy(np.int64), probe.raw["outages"]["start"].to_numpy(np.int64)]
    if any(r.source is Source.SAMPLES for r in probe.rules.values()):
        stamps.append(load_samples(ws, contract_id)["t"].to_numpy(np.int64))
    zones = Counter(probe.calendars[t.calendar_id].timezone for t in probe.targets if t.calendar_id in probe.calendars)
    return months_with_data(stamps, zones.most_common(1)[0][0] if zones else "UTC", probe.reports["period"])


# --- the evidence behind one figure ----------------------------------------------------------------------------
@dataclass(frozen=True)
class CellEvidence:
    """The rows behind one figure and, for a sample-measured target, the outage-log calibration (or None)."""

    table: EvidenceTable | None
    zone: ZoneInfo
    calibration: Calibration | None = None


def cell_evidence(ws: Workspace, computation: Computation, row: int, column: int) -> CellEvidence:
    """The evidence table of one cell (times in the target's zone) and its calibration when it has samples."""
    target, period = computation.targets[row], computation.periods[column]
    zone = computation.zone(target)
    table = evidence_table(evidence_of(computation, target, period), zone)
    found = calibration_for(ws, computation.contract.ref, period) if computation.has_samples(target) else None
    return CellEvidence(table, zone, found)


def evidence_of(computation: Computation, target: ContractTarget, period: str) -> pd.DataFrame | None:
    """The rows behind one figure; tickets an approved force majeure took out come back with `excluded_by`."""
    data = computation.data
    kept = data.evidence(target, period)
    approved = [e for e in data.exceptions
                if e.status is ExceptionStatus.APPROVED and e.target_id in (None, target.id)]
    if kept is None or "ticket_id" not in kept or not approved:
        return kept
    unexcepted = copy.copy(data)  # the same loaded data and caches, without the exceptions
    unexcepted.exceptions = []
    everything = unexcepted.evidence(target, period)
    if everything is None:  # no rule (then `kept` would be None too)
        return kept
    dropped = everything[~everything["ticket_id"].isin(set(kept["ticket_id"]))].copy()
    if dropped.empty:
        return kept
    opened = dropped["opened_at"].to_numpy(np.int64)
    dropped["excluded_by"] = [next((f"approved force majeure FM-{e.id}: {e.reason}" for e in approved
                                    if e.start <= t < e.end), "excluded") for t in opened]
    return pd.concat([kept, dropped], ignore_index=True).sort_values(["opened_at", "ticket_id"], ignore_index=True)
