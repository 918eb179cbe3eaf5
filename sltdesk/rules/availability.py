"""Availability from the vendor's outage log, and from interval samples (ours or theirs)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import Budgeting, FalsePositive, MeasurementRule, MissingData, Window
from sltdesk.rules import false_positives
from sltdesk.rules.calendars import BusinessClock
from sltdesk.rules.intervals import covered
from sltdesk.rules.measure import Measured, clip_windows, minutes, percent, percentile, whole


def from_outages(outages: pd.DataFrame, windows: list[Window], clock: BusinessClock, start: int, end: int,
                 rule: MeasurementRule, threshold: Decimal, *, flags: Sequence[FalsePositive] = ()) -> Measured:
    """(service minutes − excluded − downtime) / (service minutes − excluded), in the target's service hours.

    Overlapping outages are not counted twice (the highest impact wins); downtime inside an excluded
    window (maintenance, approved force majeure) is not downtime; impact weighting when the clause says.
    An approved false positive (an outage by its stored record number, or a span) is time up: no downtime,
    but the time stays in the agreed minutes.
    """
    windows = clip_windows(windows, start, end)
    frame = outages[(outages["end"] > start) & (outages["start"] < end)].reset_index(drop=True)
    flagged_spans = false_positives.time_spans(flags, start, end)
    starts, ends = frame["start"].to_numpy(), frame["end"].to_numpy()  # arrays: a Series' clip is far slower
    edges = np.unique(np.concatenate(([start, end], np.clip(starts, start, end), np.clip(ends, start, end),
                                      *[[max(w.start, start), min(w.end, end)] for w in windows],
                                      *[[max(f.start, start), min(f.end, end)] for f in flagged_spans])))
    seconds = clock.between(edges[:-1], edges[1:])
    excluded = covered(edges, [(w.start, w.end) for w in windows])
    impact = np.zeros(len(seconds))
    owner = np.full(len(seconds), -1)
    mids = (edges[:-1] + edges[1:]) / 2
    impacts = frame["impact_percent"].tolist() if "impact_percent" in frame else [None] * len(frame)
    shares = [_share(impact, rule) for impact in impacts]
    by_record = false_positives.outage_records(flags)
    records = frame["record_id"].tolist() if "record_id" in frame else [None] * len(frame)
    flagged_rows = {i: by_record[int(r)] for i, r in enumerate(records) if r is not None and int(r) in by_record}
    named: list[Exclusion] = []
    for row_at, flag in flagged_rows.items():  # a false outage holds no time: another outage under it may
        inside = (mids >= frame.at[row_at, "start"]) & (mids < frame.at[row_at, "end"]) & ~excluded
        named.append(false_positives.exclusion(flag, minutes=minutes(int(seconds[inside].sum()) * shares[row_at])))
        shares[row_at] = Decimal(0)
    for i, exact_share in enumerate(shares):  # frame's index is 0, 1, 2…
        share = float(exact_share)
        hit = (mids >= starts[i]) & (mids < ends[i]) & (share > impact)
        impact[hit], owner[hit] = share, i
    down_seconds = np.zeros(len(frame), dtype=np.int64)  # whole seconds each outage holds, outside exclusions
    counted = (owner >= 0) & ~excluded
    claimed = np.zeros(len(seconds), dtype=bool)
    for flag in flagged_spans:  # the downtime inside a flagged span is time up
        mine = counted & ~claimed & covered(edges, [(flag.start, flag.end)])
        claimed |= mine
        held = sum((int(s) * shares[o] for s, o in zip(seconds[mine], owner[mine], strict=True)), Decimal(0))
        named.append(false_positives.exclusion(flag, minutes=minutes(held)))
    counted &= ~claimed
    np.add.at(down_seconds, owner[counted], seconds[counted].astype(np.int64))
    service = int(seconds.sum())
    excluded_seconds = int(seconds[excluded].sum())
    agreed = service - excluded_seconds
    downtime = sum((int(s) * share for s, share in zip(down_seconds, shares, strict=True)), Decimal(0))
    frame["downtime_minutes"] = [float(minutes(Decimal(int(s)) * share))
                                 for s, share in zip(down_seconds, shares, strict=True)]
    if flagged_rows:
        frame["false_positive"] = [flagged_rows[i].ref if i in flagged_rows else "" for i in range(len(frame))]
    result = Measured(percent(Decimal(agreed) - downtime, agreed), evidence=frame)
    result.counts = {"service_minutes": minutes(service), "excluded_minutes": minutes(excluded_seconds),
                     "downtime_minutes": minutes(downtime), "outages": int((down_seconds > 0).sum()),
                     "service_seconds": service, "excluded_seconds": excluded_seconds,
                     "downtime_seconds": whole(downtime)}
    result.exclusions = _window_exclusions(windows, edges, seconds, excluded) + named
    allowed = (1 - threshold / 100) * agreed
    result.budget = f"{minutes(allowed - downtime)} min of downtime left before {threshold} % is missed"
    result.explanation = (f"{minutes(agreed)} agreed minutes ({minutes(service)} in service hours less "
                          f"{minutes(excluded_seconds)} excluded), {minutes(downtime)} minutes down"
                          + (" weighted by impact" if rule.weighted_by_impact else "")
                          + false_positives.explanation(named, "up"))
    return result


def _share(impact: Any, rule: MeasurementRule) -> Decimal:
    """The share of an outage's time that counts as down: its impact when the clause weights by impact."""
    if not rule.weighted_by_impact or impact is None or pd.isna(impact):
        return Decimal(1)
    return Decimal(str(impact)) / 100


def _window_exclusions(windows: list[Window], edges: np.ndarray, seconds: np.ndarray,
                       excluded: np.ndarray) -> list[Exclusion]:
    mids = (edges[:-1] + edges[1:]) / 2
    out = []
    claimed = np.zeros(len(seconds), dtype=bool)
    for window in windows:
        mine = excluded & ~claimed & (mids >= window.start) & (mids < window.end)
        claimed |= mine
        if mine.any():
            out.append(Exclusion(window.reason, window.kind, minutes(seconds[mine].sum()), 0, window.reference))
    return out


def above_error_limit(errors: np.ndarray, requests: np.ndarray, limit_percent: Decimal) -> np.ndarray:
    """Intervals whose errors are more than `limit_percent` % of their requests (none without requests).

    Compared as errors × 100 > limit × requests; floating point decides where the two sides are far apart,
    and the near ties are compared exactly as fractions (5 errors in 100 requests is at 5 %, not above it).
    """
    errors = np.nan_to_num(np.asarray(errors, dtype=float))
    requests = np.nan_to_num(np.asarray(requests, dtype=float))
    left, right = errors * 100, float(limit_percent) * requests
    bad = (left > right) & (requests > 0)
    close = np.flatnonzero((requests > 0) & (np.abs(left - right) <= 1e-9 * np.maximum(1.0, np.abs(right))))
    limit = Fraction(limit_percent)
    for i in close:
        bad[i] = Fraction(float(errors[i])) * 100 > limit * Fraction(float(requests[i]))
    return bad


def slots(samples: pd.DataFrame, rule: MeasurementRule) -> pd.DataFrame:
    """Samples summed per interval of the clause's grid (aligned to the epoch), over the rule's probe(s)."""
    step = rule.interval_seconds
    data = samples if not rule.probe else samples[samples["probe"] == rule.probe]
    frame = pd.DataFrame({"slot": data["t"].to_numpy(np.int64) // step * step,
                          "requests": data["requests"].to_numpy(float), "errors": data["errors"].to_numpy(float),
                          "latency": data["latency_ms"].to_numpy(float)})
    return frame.groupby("slot").agg(requests=("requests", "sum"), errors=("errors", "sum"),
                                     latency=("latency", "max"))


def from_samples(samples: pd.DataFrame, windows: list[Window], clock: BusinessClock, start: int, end: int,
                 rule: MeasurementRule, threshold: Decimal, *, metric: str, unit: str = "%",
                 per_slot: pd.DataFrame | None = None, flags: Sequence[FalsePositive] = ()) -> Measured:
    """Intervals on the clause's grid inside service hours: availability, latency share or error rate. An interval
    whose middle lies in an approved false positive's span counts as good, its errors as none (latency stays)."""
    step = rule.interval_seconds
    first = -(-start // step) * step
    grid = np.arange(first, end, step, dtype=np.int64)
    grid = grid[clock.in_hours(grid)]
    per = (per_slot if per_slot is not None else slots(samples, rule)).reindex(grid)
    excluded = covered(np.append(grid, grid[-1] + step if len(grid) else start),
                       [(w.start, w.end) for w in clip_windows(windows, start, end)]) \
        if len(grid) else np.zeros(0, dtype=bool)
    missing = per["requests"].isna().to_numpy() & ~excluded
    counted = ~excluded & ~missing if rule.missing_data is MissingData.EXCLUDED else ~excluded
    bad = above_error_limit(per["errors"].to_numpy(), per["requests"].to_numpy(), rule.error_limit_percent) & ~missing
    if rule.missing_data is MissingData.UNAVAILABLE:
        bad |= missing
    errors = per["errors"].to_numpy()
    named: list[Exclusion] = []
    flagged = [f for f in false_positives.spans(flags, probe=rule.probe) if f.end > start and f.start < end]
    if flagged and len(grid):
        middles = grid + step / 2  # an interval is the flag's when its middle lies in the flag's span
        turned = np.zeros(len(grid), dtype=bool)
        for flag in flagged:
            mine = (middles >= flag.start) & (middles < flag.end) & counted & ~turned
            named.append(false_positives.exclusion(flag, minutes=minutes(int((mine & bad).sum()) * step)))
            turned |= mine
        bad &= ~turned
        errors = np.where(turned, 0, errors)
    result = Measured(None)
    result.counts = {"intervals": int(len(grid)), "intervals_counted": int(counted.sum()),
                     "intervals_bad": int((bad & counted).sum()), "intervals_missing": int(missing.sum()),
                     "intervals_excluded": int(excluded.sum()),
                     "requests": int(np.nansum(per["requests"].to_numpy()[counted])),
                     "errors": int(np.nansum(errors[counted]))}
    if excluded.any():
        result.exclusions.append(Exclusion("maintenance or approved force majeure", "maintenance",
                                           minutes(int(excluded.sum()) * step)))
    if missing.any():
        result.exclusions.append(Exclusion(f"intervals without data, counted as {rule.missing_data.value}",
                                           "no-data", minutes(int(missing.sum()) * step)))
    result.exclusions += named
    if metric == "latency percentile" and unit != "%":  # the period's percentile itself, in ms
        values = per["latency"].to_numpy()[~missing & counted]
        result.achieved = percentile(values, rule.percentile)
        result.explanation = f"p{rule.percentile} of {len(values)} intervals' latency: {result.achieved} ms"
    elif metric == "latency percentile":
        fast = (per["latency"].to_numpy() <= float(rule.limit_minutes)) & ~missing & counted
        with_data = int((~missing & counted).sum())
        result.achieved = percent(int(fast.sum()), with_data)
        result.explanation = f"{int(fast.sum())} of {with_data} intervals with p95 ≤ {rule.limit_minutes} ms"
    elif metric == "error rate":
        result.achieved = percent(result.counts["errors"], result.counts["requests"])
        result.explanation = f"{result.counts['errors']:,} failed of {result.counts['requests']:,} requests"
    elif rule.budgeting is Budgeting.OCCURRENCE:
        good = result.counts["requests"] - result.counts["errors"]
        result.achieved = percent(good, result.counts["requests"])
        result.explanation = f"{good:,} of {result.counts['requests']:,} requests succeeded"
    else:
        good = int((counted & ~bad).sum())
        result.achieved = percent(good, int(counted.sum()))
        result.explanation = (f"{good} of {int(counted.sum())} {step // 60}-minute intervals good (an interval is "
                              f"bad above {rule.error_limit_percent} % errors; no data: {rule.missing_data.value})"
                              + false_positives.explanation(named, "good"))
        allowed = int((1 - threshold / 100) * int(counted.sum())) - result.counts["intervals_bad"]
        result.budget = f"{allowed} more bad interval{'s' if allowed != 1 else ''} allowed"
    result.evidence = per.assign(bad=bad, missing=missing, excluded=excluded).reset_index(names="t")
    return result
