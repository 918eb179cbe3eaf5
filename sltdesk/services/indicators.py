"""Leading indicators of a contract's targets: the contract's own series that move before a target's figures.

Candidates, each a monthly series over the same months as the targets' figures (months in UTC):
error rate (failed requests as a share of all, from the samples), latency p95 (the 95th percentile of the
samples' latency), ticket backlog (tickets open at the end of the month) and reopen rate (reopen events as a
share of the month's resolved tickets, where the event log has any). A candidate that is the target's own
measure (error rate against an error-rate target…) is not tried. The test itself is sltdesk/rules/lagged.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sltdesk.domain.period import months_between, shift
from sltdesk.domain.raw_records import RawTicketEvent
from sltdesk.domain.register import ChargesPeriod, ContractTarget, MetricKind
from sltdesk.domain.stored import stored_id
from sltdesk.rules.lagged import CAUTION, NONE_STANDS_OUT, Indicator, leading_indicators, listed, out_of_range
from sltdesk.services.attainment import attainment_history
from sltdesk.services.imports import find_contract, period_bounds
from sltdesk.services.ports import Workspace
from sltdesk.services.raw_data import load_samples, load_tickets

MAX_MONTHS = 36  # the history tried: three years up to the last month
SAME_MEASURE = {MetricKind.ERROR_RATE: "error rate", MetricKind.LATENCY_PERCENTILE: "latency p95"}
RESOLVED = ("resolved", "closed", "gelöst", "geschlossen")


@dataclass(frozen=True)
class TargetIndicators:
    target_id: int
    target: str
    months: tuple[str, ...]
    tested: tuple[Indicator, ...]  # every candidate at every lag, the listed ones first
    listed: tuple[Indicator, ...]  # the best lag of each candidate that stands out
    warnings: tuple[str, ...]  # a listed indicator whose latest value left its usual range

    @property
    def text(self) -> str:
        return "; ".join(i.text for i in self.listed) if self.listed else NONE_STANDS_OUT


@dataclass(frozen=True)
class ContractIndicators:
    contract: str
    months: tuple[str, ...]
    candidates: tuple[str, ...]  # the series the contract's data gives
    targets: tuple[TargetIndicators, ...]
    caution: str = CAUTION


def contract_indicators(ws: Workspace, contract_ref: str, *, last: str | None = None) -> ContractIndicators:
    """Every monthly target of the contract tested against the contract's candidate series, up to `last`
    (default: the month before the one the workspace is read on)."""
    from sltdesk.services.action_effects import last_full_month

    contract = find_contract(ws, contract_ref)
    end = last or last_full_month(ws)
    first = max(f"{contract.start_date:%Y-%m}", shift(end, -(MAX_MONTHS - 1)))
    months = months_between(first, end)
    with ws.unit_of_work() as uow:
        targets = [t for t in uow.records.list(ContractTarget, contract_id=stored_id(contract))
                   if t.measurement_period is ChargesPeriod.MONTH]
    history = attainment_history(ws, stored_id(contract), months) if months and targets else {}
    series = remembered_series(ws, stored_id(contract), months) if months else {}
    out = []
    for target in targets:
        figures = [float(r.achieved) if r.achieved is not None and r.met is not None else None
                   for r in history.get(stored_id(target), [])]
        if not any(v is not None for v in figures):
            continue
        tried = {name: values for name, values in series.items() if SAME_MEASURE.get(target.metric) != name}
        tested = leading_indicators(tried, figures)
        best = listed(tested)
        warnings = tuple(f"{i.candidate} in {_last_month(months, tried[i.candidate])} is outside its usual range; "
                         f"{target.name} has followed it {i.lag} month{'s' if i.lag > 1 else ''} later" for i in best
                         if out_of_range(tried[i.candidate]))
        out.append(TargetIndicators(stored_id(target), target.name, tuple(months), tuple(tested), tuple(best),
                                    warnings))
    return ContractIndicators(contract.ref, tuple(months), tuple(series), tuple(out))


_SERIES: dict[tuple[str, int, str], tuple[list[str], dict[str, list[float | None]]]] = {}
KEPT = 64  # contracts' series remembered (a pack per supplier and month reads the same raw data again)
ALWAYS = ("ticket backlog", "reopen rate")  # listed whatever a range holds: tickets (or reopens) exist at all


def forget() -> None:
    """Drop the remembered series (a benchmark measuring a pack from the stored figures, not from this process)."""
    _SERIES.clear()


def remembered_series(ws: Workspace, contract_id: int, months: list[str]) -> dict[str, list[float | None]]:
    """`candidate_series` for these months, from what this process worked out for the contract while nothing was
    written (the audit trail's mark): each month's value depends on that month's data alone, so a longer span
    read once serves every shorter one in it, as `candidate_series` of the shorter span would give it."""
    from sltdesk.services.result_cache import audit_mark

    with ws.unit_of_work() as uow:
        key = (ws.location, contract_id, audit_mark(uow))
    held = _SERIES.get(key)
    if held is None or not set(months) <= set(held[0]):  # read up to this month: later asks fall inside it
        ends = [*months, *(held[0] if held else []), f"{ws.now():%Y-%m}"]
        span = months_between(min(ends), max(ends))
        if len(_SERIES) >= KEPT:
            _SERIES.pop(next(iter(_SERIES)))
        held = _SERIES[key] = (span, candidate_series(ws, contract_id, span))
    at = {m: i for i, m in enumerate(held[0])}
    out = {name: [values[at[m]] for m in months] for name, values in held[1].items()}
    return {name: values for name, values in out.items()
            if name in ALWAYS or any(v is not None for v in values)}


def candidate_series(ws: Workspace, contract_id: int, months: list[str]) -> dict[str, list[float | None]]:
    """name -> its value in each month (None: no data that month); only the series the contract has data for."""
    edges = np.array([period_bounds(m, "UTC")[0] for m in months] + [period_bounds(months[-1], "UTC")[1]])
    out: dict[str, list[float | None]] = {}
    samples = load_samples(ws, contract_id, days=list(range(int(edges[0]) // 86_400 - 1, int(edges[-1]) // 86_400 + 1)))
    if len(samples):
        month = np.searchsorted(edges, samples["t"].to_numpy(np.int64), side="right") - 1
        inside = (month >= 0) & (month < len(months))
        frame = samples[inside].assign(month=month[inside])
        sums = frame.groupby("month")[["requests", "errors"]].sum()
        if sums["requests"].sum() > 0:
            rate = (sums["errors"] / sums["requests"].where(sums["requests"] > 0) * 100)
            out["error rate"] = _by_month(rate, len(months))
        latency = frame.dropna(subset=["latency_ms"])
        if len(latency):
            out["latency p95"] = _by_month(latency.groupby("month")["latency_ms"].quantile(0.95), len(months))
    tickets = load_tickets(ws, contract_id)
    if len(tickets):
        opened = pd.to_numeric(tickets["opened_at"], errors="coerce").to_numpy(float)
        resolved = pd.to_numeric(tickets["resolved_at"], errors="coerce").to_numpy(float)
        ends = edges[1:]
        open_at = [(opened < e) & ~(resolved < e) for e in ends]
        out["ticket backlog"] = [float(m.sum()) for m in open_at]
        reopen = _reopen_rate(ws, contract_id, edges, resolved)
        if reopen is not None:
            out["reopen rate"] = reopen
    return out


def _by_month(values: pd.Series, count: int) -> list[float | None]:
    found = {int(str(k)): float(v) for k, v in values.items() if pd.notna(v)}
    return [found.get(i) for i in range(count)]


def _reopen_rate(ws: Workspace, contract_id: int, edges: np.ndarray, resolved: np.ndarray) -> list[float | None] | None:
    """Reopen events (a ticket moving out of a resolved or closed state) per resolved ticket, by month, in %."""
    with ws.unit_of_work() as uow:  # as columns: within a pack's shared reads, the ones its figures read
        columns = uow.raw.record_columns(RawTicketEvent, contract_id=contract_id)
    reopened_at = reopened(columns["ticket_id"], columns["changed_at"], columns["state"])
    if not len(reopened_at):
        return None
    reopens = np.histogram(reopened_at.astype(float), bins=edges.astype(float))[0]
    resolutions = np.histogram(resolved[~np.isnan(resolved)], bins=edges.astype(float))[0]
    return [float(r) / n * 100 if n else None for r, n in zip(reopens, resolutions, strict=True)]


def reopened(tickets, times, states) -> np.ndarray:
    """When tickets were reopened: each event that moves a ticket out of a resolved or closed state, its events
    taken in the order of (ticket, time, state). Column-wise: each distinct state is read once, not each event."""
    if not len(tickets):
        return np.zeros(0, dtype=np.int64)
    ticket_codes, _ = pd.factorize(np.asarray(tickets, dtype=object), sort=True)
    state_codes, names = pd.factorize(np.asarray(states, dtype=object), sort=True)
    at = np.asarray(times, dtype=np.int64)
    order = np.lexsort((state_codes, at, ticket_codes))
    done = np.asarray([str(name).strip().casefold().startswith(RESOLVED) for name in names] + [False], dtype=bool)[
        state_codes[order]]  # an empty state (code -1) is the appended False
    ticket = ticket_codes[order]
    moved = (ticket[1:] == ticket[:-1]) & done[:-1] & ~done[1:]  # the ticket's event before was resolved or closed
    return at[order][1:][moved]


def _last_month(months: list[str], series: list[float | None]) -> str:
    return next((m for m, v in zip(reversed(months), reversed(series), strict=True) if v is not None), months[-1])
