"""The shared data set behind a review pack: the exact rows behind its figures, one table per sheet.

Tickets, outages and intervals are the evidence of each target's figure for the pack's period (the rows the
measurement counted, with the columns that decided them); times are UTC.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from sltdesk.domain.measurement import Source
from sltdesk.domain.stored import stored_id
from sltdesk.services.pack import PackInputs

MISSING_TIME = -(2**62)  # stored times below this are the "no time" sentinel of the ticket blocks
TIME_COLUMNS = {"opened_at", "assigned_at", "responded_at", "resolved_at", "closed_at", "start", "end", "t"}
EVIDENCE = {
    Source.TICKETS: ("Tickets", ("ticket_id", "priority", "service", "category", "status", "opened_at", "assigned_at",
                                 "responded_at", "resolved_at", "closed_at", "elapsed_minutes", "paused_minutes",
                                 "met", "judged", "source_row", "batch_id")),
    Source.OUTAGES: ("Outages", ("outage_id", "service", "start", "end", "impact_percent", "planned", "note",
                                 "downtime_minutes", "source_row", "batch_id")),
    Source.SAMPLES: ("Intervals", ("t", "requests", "errors", "latency", "bad", "missing", "excluded")),
}
RENAMED = {"t": "interval start (UTC)", "start": "start (UTC)", "end": "end (UTC)", "opened_at": "opened (UTC)",
           "assigned_at": "assigned (UTC)", "responded_at": "responded (UTC)", "resolved_at": "resolved (UTC)",
           "closed_at": "closed (UTC)", "latency": "latency (ms)", "bad": "bad interval"}


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


def pack_dataset(inputs: PackInputs) -> tuple[Sheet, ...]:
    """Every sheet of the data set, in the order of the pack."""
    return (_attainment(inputs), *_evidence(inputs), _exclusions(inputs), _breaches(inputs), _credits(inputs),
            _actions(inputs))


def _attainment(inputs: PackInputs) -> Sheet:
    view, history = inputs.view, inputs.history
    periods = list(view.months) + ([view.period] if view.period not in view.months else [])
    rows = []
    for c in inputs.contracts:
        for t in history.targets[stored_id(c)]:
            for p in periods:
                found = history.result(stored_id(c), stored_id(t), p)
                # a core-hours tier: its own row beside its service level's, with its own threshold and verdict
                for r in [found, found.tier] if found is not None and found.tier is not None else [found]:
                    if r is not None:
                        how = "; ".join(x for x in (r.explanation, r.threshold_note) if x)
                        rows.append((c.ref, r.target, r.period, r.metric.value, r.comparison.value, r.threshold,
                                     r.unit, r.achieved, r.met, r.completeness, r.coverage, r.reported,
                                     r.reported_met, r.difference, r.met_flips, how))
    return Sheet("Attainment", ("contract", "target", "period", "metric", "comparison", "threshold", "unit",
                                "achieved (ours)", "met", "data", "data covers", "vendor reported", "vendor says met",
                                "vendor − ours", "verdict differs", "how it was computed"), tuple(rows))


def _evidence(inputs: PackInputs) -> tuple[Sheet, ...]:
    collected: dict[Source, list[tuple]] = {source: [] for source in EVIDENCE}
    label = inputs.view.period
    for c in inputs.contracts:
        for t in inputs.history.targets[stored_id(c)]:
            rule = inputs.history.rule(stored_id(t))
            if rule is None:
                continue
            frame = inputs.history.evidence(stored_id(c), t, label)
            if frame is None or frame.empty:
                continue
            columns = [col for col in EVIDENCE[rule.source][1] if col in frame.columns]
            values = [_column(frame[col], col) for col in columns]
            wanted = EVIDENCE[rule.source][1]
            for i in range(len(frame)):
                found = dict(zip(columns, (v[i] for v in values), strict=True))
                collected[rule.source].append((c.ref, t.name, label, *(found.get(col) for col in wanted)))
    return tuple(Sheet(name, ("contract", "target", "period", *(RENAMED.get(c, c.replace("_", " ")) for c in cols)),
                       tuple(collected[source])) for source, (name, cols) in EVIDENCE.items())


def _column(series: pd.Series, name: str) -> list:
    """Plain Python values: times as UTC datetimes, missing values (NaN, NA, the int64 sentinel) as None."""
    values = [_plain(v) for v in series.tolist()]
    if name in TIME_COLUMNS:
        return [None if v is None else datetime.fromtimestamp(int(v), UTC) for v in values]
    return values


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value <= MISSING_TIME:
        return None
    return value


def _exclusions(inputs: PackInputs) -> Sheet:
    view, history = inputs.view, inputs.history
    rows = []
    for c in inputs.contracts:
        for t in history.targets[stored_id(c)]:
            r = history.result(stored_id(c), stored_id(t), view.period)
            for e in (r.exclusions if r else ()):
                rows.append((c.ref, t.name, view.period, e.kind, e.reason, e.minutes, e.tickets, e.reference))
    return Sheet("Exclusions", ("contract", "target", "period", "kind", "reason", "minutes", "tickets", "reference"),
                 tuple(rows))


def _breaches(inputs: PackInputs) -> Sheet:
    rows = [(e.contract, e.target, e.period, e.achieved, e.target_text, e.shortfall, e.duration_minutes, e.incidents,
             e.impact, e.currency, e.impact_basis, "special cause" if e.special_cause else "normal variation")
            for e in inputs.view.breaches.entries]
    return Sheet("Breaches", ("contract", "target", "period", "achieved", "target value", "shortfall", "minutes",
                              "incidents", "impact", "currency", "impact basis", "cause"), tuple(rows))


def _credits(inputs: PackInputs) -> Sheet:
    rows = []
    for c in inputs.view.credits:
        pc = c.credits
        if pc is None:
            continue
        for line in pc.lines:
            steps = line.trace or ()
            for number, step in enumerate(steps or (None,), start=1):
                rows.append((pc.contract, pc.period, line.target, line.kind.value, line.clause, line.achieved,
                             line.band, line.amount, pc.currency, number if step else None,
                             step.text if step else "", step.value if step else None))
        rows.append((pc.contract, pc.period, "TOTAL", "", "", None, "", pc.total, pc.currency, None,
                     f"total for {pc.period}", None))
    return Sheet("Credits", ("contract", "period", "target", "kind", "clause", "achieved", "band", "line amount",
                             "currency", "step", "trace", "step value"), tuple(rows))


def _actions(inputs: PackInputs) -> Sheet:
    rows = [(i.action.ref, i.action.text, i.action.owner, i.action.due_on, i.action.status.value, i.action.closed_on,
             i.target, i.action.breach_period, "carried over" if i.carried else "new", i.action.note,
             i.action.opened_on, i.effect)
            for i in inputs.view.backlog]
    return Sheet("Actions", ("action", "what", "owner", "due", "status", "closed", "target", "breach period",
                             "on this review", "note", "opened", "did it work"), tuple(rows))

