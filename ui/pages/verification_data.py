"""The Verification page's data, off the GUI thread: contracts and exceptions, the recomputed grid, cell states."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.figures import figure_text as figure
from sltdesk.domain.figures import places_for, signed
from sltdesk.domain.measurement import ExceptionStatus, ForceMajeure, Source
from sltdesk.domain.period import months_between, shift
from sltdesk.domain.register import Comparison, Contract, ContractTarget
from sltdesk.domain.results import Status
from sltdesk.rules.at_risk import WINDOW, status, with_warnings
from sltdesk.services.attainment import ContractData
from sltdesk.services.exceptions import list_exceptions
from sltdesk.services.imports import contract_timezone
from sltdesk.services.ports import Workspace
from sltdesk.services.raw_data import load_samples
from sltdesk.services.register import list_records
from sltdesk.services.views import TargetRowView, target_rows

ALL_OF_THEM = 18  # a history this long or shorter is shown whole (the demo's 18 months)
RECENT = 12  # a longer one: its last 12 months
SLIVER = 0.02  # an edge month with under 2 % of the busiest month's quarter-hours of data is no month of data


class CellState(StrEnum):
    MISSED = "missed"
    AMBER = "at risk"
    MET = "met"
    NO_DATA = "no data"


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
class VerificationData:
    """What the page loads: the contracts to choose from, their targets and zones, every exception."""

    contracts: list[Contract]
    targets: list[TargetRowView]
    zones: dict[int, str]
    exceptions: list[ExceptionRow] = field(default_factory=list)

    def contract(self, contract_id: int | None) -> Contract | None:
        return next((c for c in self.contracts if c.id == contract_id), None)


def load_verification(ws: Workspace) -> VerificationData:
    """Runs on a worker: contracts (by reference), targets, each contract's zone and the exceptions."""
    contracts = sorted(list_records(ws, Contract), key=lambda c: c.ref.casefold())
    zones = {c.id: contract_timezone(ws, c) for c in contracts}
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
    return VerificationData(contracts, targets, zones, rows)


def local_time(epoch: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC).astimezone(zone)


# --- the recomputed grid ---------------------------------------------------------------------------------------
@dataclass
class Computation:
    """One contract's targets × periods, and the loaded data (kept for drill-down evidence)."""

    contract: Contract
    periods: list[str]
    targets: list[ContractTarget]
    results: dict[int, list[AttainmentResult]]
    data: ContractData

    def result(self, row: int, column: int) -> AttainmentResult:
        return self.results[self.targets[row].id][column]

    def zone(self, target: ContractTarget) -> ZoneInfo:
        calendar = self.data.calendars.get(target.calendar_id)
        return ZoneInfo(calendar.timezone if calendar else "UTC")

    def has_samples(self, target: ContractTarget) -> bool:
        rule = self.data.rules.get(target.id)
        return rule is not None and rule.source is Source.SAMPLES


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
    dropped = everything[~everything["ticket_id"].isin(set(kept["ticket_id"]))].copy()
    if dropped.empty:
        return kept
    opened = dropped["opened_at"].to_numpy(np.int64)
    dropped["excluded_by"] = [next((f"approved force majeure FM-{e.id}: {e.reason}" for e in approved
                                    if e.start <= t < e.end), "excluded") for t in opened]
    return pd.concat([kept, dropped], ignore_index=True).sort_values(["opened_at", "ticket_id"], ignore_index=True)


def recompute(ws: Workspace, contract: Contract, periods: list[str] | None, *,
              progress: Callable[[int, str], None]) -> Computation:
    """Runs on a worker: every target of the contract for every period, reporting progress per target."""
    if not periods:
        progress(0, f"Finding the months {contract.ref} has data for…")
        periods = default_periods(data_months(ws, contract.id))
    progress(2, f"Loading {contract.ref}'s raw data…")
    earlier = months_between(shift(periods[0], -(WINDOW - 1)), shift(periods[0], -1))  # for the early warnings
    data = ContractData.load(ws, contract.id, earlier + periods)
    results: dict[int, list[AttainmentResult]] = {}
    for number, target in enumerate(data.targets):
        progress(5 + 95 * number // max(len(data.targets), 1), f"Measuring {target.name}…")
        measured = with_warnings(earlier + periods, [data.measure(target, p) for p in earlier + periods])
        results[target.id] = measured[len(earlier):]
    progress(100, "Done")
    return Computation(contract, periods, list(data.targets), results, data)


def data_months(ws: Workspace, contract_id: int) -> list[str]:
    """The months ('2026-03', in the contract's zone) with tickets, outages, samples or vendor-reported figures."""
    this_month = datetime.now(UTC).strftime("%Y-%m")
    probe = ContractData.load(ws, contract_id, [this_month])  # tickets, outages and reports come whole
    stamps = [probe.raw["tickets"]["opened_at"].to_numpy(np.int64), probe.raw["outages"]["start"].to_numpy(np.int64)]
    if any(r.source is Source.SAMPLES for r in probe.rules.values()):
        stamps.append(load_samples(ws, contract_id)["t"].to_numpy(np.int64))
    every = np.concatenate(stamps)
    quarters = np.unique(every[every > 0] // 900) * 900  # whole quarter-hours: every zone's offset is one
    zones = Counter(probe.calendars[t.calendar_id].timezone for t in probe.targets if t.calendar_id in probe.calendars)
    local = pd.to_datetime(quarters, unit="s", utc=True).tz_convert(zones.most_common(1)[0][0] if zones else "UTC")
    counts = Counter(local.strftime("%Y-%m"))
    busiest = max(counts.values(), default=1)
    for period in probe.reports["period"].dropna():
        if len(str(period)) == 7:
            counts[str(period)] = busiest
    return _trimmed(sorted(counts), counts)


def _trimmed(months: list[str], counts: Counter) -> list[str]:
    """Without edge months holding a sliver of data (a UTC export's last hour that falls into the next month)."""
    floor = max(counts.values(), default=0) * SLIVER
    while months and counts[months[0]] < floor:
        months = months[1:]
    while months and counts[months[-1]] < floor:
        months = months[:-1]
    return months


def default_periods(months: list[str], *, today: datetime | None = None) -> list[str]:
    """The whole span with data when it is 18 months or less (the demo's), else its last 12 months."""
    if not months:
        now = today or datetime.now(UTC)
        last = f"{now.year - (now.month == 1)}-{(now.month - 2) % 12 + 1:02d}"  # the last full month
        return months_between(shift(last, -(RECENT - 1)), last)
    span = months_between(months[0], months[-1])
    return span if len(span) <= ALL_OF_THEM else span[-RECENT:]


# --- what a cell says -------------------------------------------------------------------------------------------
def cell_state(result: AttainmentResult) -> CellState:
    """The colour the review pack gives it too (sltdesk/rules/at_risk.py): red missed, amber met but with less
    than a quarter of the error budget left or an early warning, green met, grey without a verdict."""
    return {Status.MISSED: CellState.MISSED, Status.AT_RISK: CellState.AMBER, Status.MET: CellState.MET}.get(
        status(result), CellState.NO_DATA)


def vendor_differs(result: AttainmentResult) -> bool:
    """The vendor's figure is not ours rounded the way they round (99.97 for our 99.9677 is the same)."""
    if result.reported is None or result.achieved is None:
        return False
    places = max(-result.reported.as_tuple().exponent, 0)
    return result.achieved.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) != result.reported


def figure_text(value: Decimal | None, result: AttainmentResult) -> str:
    """Our figure with one more decimal than the threshold (at least two for %): 99.998 against 99.95;
    more where that would not do (99.98997 against 99.99, never 99.990)."""
    if value is None:
        return "–"
    places = max(-result.threshold.as_tuple().exponent, 0) + 1
    places = max(places, 2) if result.unit == "%" else places
    text = figure(value, result.threshold, result.unit, places=places)  # more where fewer would cross an edge
    return text if result.unit == "%" else f"{text} {result.unit}"


def symbol(comparison: Comparison) -> str:
    """'≥' for '>=': how the threshold reads."""
    return {Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤"}.get(comparison, comparison.value)


def met_text(met: bool | None) -> str:
    return "–" if met is None else "met" if met else "missed"


def tooltip(result: AttainmentResult) -> str:
    """Ours against the vendor's, the difference, and how ours was computed."""
    lines = [f"{result.target} · {result.period}",
             f"Ours: {figure_text(result.achieved, result)} ({met_text(result.met)}; "
             f"target {symbol(result.comparison)} {result.threshold:f} {result.unit})"]
    if result.reported is not None:
        lines.append(f"Vendor reported: {result.reported:f} ({met_text(result.reported_met)})")
    if result.difference is not None:
        lines.append(f"Difference (vendor − ours): {signed(result.difference, places=places_for(result.unit))} points")
    if result.met_flips:
        lines.append("⚠ 'met' flips: the vendor's verdict is not ours")
    lines.append(result.explanation)
    if result.error_budget:
        lines.append(f"Error budget: {result.error_budget}")
    return "\n".join(lines)


def summary_text(computation: Computation, seconds: float) -> str:
    """One line over the grid: how many misses, near-misses and flips, and how long recomputing took."""
    states = [cell_state(r) for results in computation.results.values() for r in results]
    flips = sum(r.met_flips for results in computation.results.values() for r in results)
    missed = states.count(CellState.MISSED)
    targets, months = len(computation.targets), len(computation.periods)
    return (f"{computation.contract.ref}: {targets} target{'s' * (targets != 1)} × {months} "
            f"month{'s' * (months != 1)}, "
            f"recomputed from the raw data in {seconds:.1f} s — {missed} missed, "
            f"{states.count(CellState.AMBER)} at risk, {flips} where the vendor's “met” flips. "
            "Hover a cell for ours against the vendor's figure; select it for the evidence.")
