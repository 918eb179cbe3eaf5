"""The breach log of a review: every missed target-period, ranked by frequency, total duration and business
impact; and the root-cause records a run of consecutive misses makes due."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

RUN_FOR_ROOT_CAUSE = 3  # a target missed this many periods in a row needs a root-cause record


@dataclass(frozen=True)
class BreachEntry:
    """One missed target in one period, with what it cost."""

    contract: str
    target_id: int
    target: str
    period: str
    achieved: Decimal | None
    target_text: str  # ">= 99.95 %"
    shortfall: Decimal
    duration_minutes: Decimal  # downtime, bad intervals or ticket overrun, in minutes
    incidents: int  # outages, bad intervals or missed tickets
    impact: Decimal  # the business-impact estimate, or else the contractual credit
    impact_basis: str  # "business impact" | "credit" | "" (neither priced)
    currency: str
    special_cause: bool | None = None  # flagged by the control chart on the unfavourable side
    achieved_text: str = ""  # the figure as written (decimals enough not to contradict the verdict)


@dataclass(frozen=True)
class RankedTarget:
    rank: int
    contract: str
    target_id: int
    target: str
    breaches: int
    periods: tuple[str, ...]
    duration_minutes: Decimal
    incidents: int
    impact: Decimal
    currency: str


@dataclass(frozen=True)
class BreachLog:
    entries: tuple[BreachEntry, ...]  # newest period first
    by_frequency: tuple[RankedTarget, ...]
    by_duration: tuple[RankedTarget, ...]
    by_impact: tuple[RankedTarget, ...]


@dataclass(frozen=True)
class RootCauseDue:
    """A run of consecutive misses that needs a root-cause record; open until one is recorded."""

    contract: str
    target_id: int
    target: str
    run: tuple[str, ...]  # the missed periods, oldest first
    recorded_id: int | None  # the root-cause record attached to one of the run's breaches

    @property
    def due_from(self) -> str:
        """The period of the miss that made the record due (the third in a row)."""
        return self.run[RUN_FOR_ROOT_CAUSE - 1] if len(self.run) >= RUN_FOR_ROOT_CAUSE else self.run[-1]

    @property
    def status(self) -> str:
        return "recorded" if self.recorded_id is not None else "open"


def breach_log(entries: Iterable[BreachEntry], *, target_ids: Collection[int] | None = None,
               periods: Collection[str] | None = None) -> BreachLog:
    """The entries (filtered by target and period when given) and the three rankings of their targets."""
    kept = [e for e in entries if (target_ids is None or e.target_id in target_ids)
            and (periods is None or e.period in periods)]
    kept.sort(key=lambda e: (e.period, e.contract, e.target), reverse=True)
    totals = _per_target(kept)
    return BreachLog(
        tuple(kept),
        _ranked(totals, lambda t: (-t["breaches"], -t["duration"], -t["impact"], t["contract"], t["target"])),
        _ranked(totals, lambda t: (-t["duration"], -t["breaches"], -t["impact"], t["contract"], t["target"])),
        _ranked(totals, lambda t: (-t["impact"], -t["breaches"], -t["duration"], t["contract"], t["target"])),
    )


def _per_target(entries: Sequence[BreachEntry]) -> list[dict]:
    by_target: dict[int, dict] = {}
    for e in sorted(entries, key=lambda e: e.period):
        total = by_target.setdefault(e.target_id, {
            "contract": e.contract, "target_id": e.target_id, "target": e.target, "breaches": 0, "periods": [],
            "duration": Decimal(0), "incidents": 0, "impact": Decimal(0), "currency": e.currency})
        total["breaches"] += 1
        total["periods"].append(e.period)
        total["duration"] += e.duration_minutes
        total["incidents"] += e.incidents
        total["impact"] += e.impact
    return list(by_target.values())


def _ranked(totals: list[dict], key) -> tuple[RankedTarget, ...]:
    return tuple(RankedTarget(rank, t["contract"], t["target_id"], t["target"], t["breaches"], tuple(t["periods"]),
                              t["duration"], t["incidents"], t["impact"], t["currency"])
                 for rank, t in enumerate(sorted(totals, key=key), start=1))


def miss_runs(periods: Sequence[str], met: Sequence[bool | None], *,
              length: int = RUN_FOR_ROOT_CAUSE) -> list[tuple[str, ...]]:
    """Every maximal run of at least `length` consecutive misses (a period without a figure ends a run)."""
    runs: list[tuple[str, ...]] = []
    current: list[str] = []
    for period, verdict in zip(periods, met, strict=True):
        if verdict is False:
            current.append(period)
            continue
        if len(current) >= length:
            runs.append(tuple(current))
        current = []
    if len(current) >= length:
        runs.append(tuple(current))
    return runs


def root_causes_due(histories: Mapping[int, tuple[str, str, Sequence[str], Sequence[bool | None]]],
                    recorded: Iterable[tuple[int, str, int]]) -> list[RootCauseDue]:
    """target id -> (contract, target, periods, met): one item per run of misses, with its record if any.

    `recorded` holds (target id, period, record id) of the root-cause records; a record attached to any
    breach of the run answers it.
    """
    records = list(recorded)
    out = []
    for target_id, (contract, target, periods, met) in histories.items():
        for run in miss_runs(periods, met):
            found = next((rid for tid, period, rid in records if tid == target_id and period in run), None)
            out.append(RootCauseDue(contract, target_id, target, run, found))
    newest_first = sorted(out, key=lambda d: (d.run[-1], d.contract, d.target), reverse=True)
    return sorted(newest_first, key=lambda d: d.status != "open")  # open ones first
