"""Tickets: response / resolution within T, and cycle-time percentiles, with pause states."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.figures import shown
from sltdesk.domain.measurement import FalsePositive, MeasurementRule, Window
from sltdesk.rules import false_positives
from sltdesk.rules.calendars import BusinessClock
from sltdesk.rules.event_log import in_order, norm, normed, responded_times
from sltdesk.rules.measure import Measured, clip_windows, minutes, percent, percentile

NA_TIME = np.iinfo(np.int64).min
_STOPS = {"responded": "responded_at", "resolved": "resolved_at", "closed": "closed_at"}


def stop_times(tickets: pd.DataFrame, events: pd.DataFrame | None, rule: MeasurementRule) -> np.ndarray:
    """When each ticket's clock stops under the rule (NA_TIME: not yet); a response from the event log."""
    if rule.stop == "responded":
        return responded_times(tickets, events, rule)
    return tickets[_STOPS[rule.stop]].to_numpy(np.int64)


def elapsed_seconds(tickets: pd.DataFrame, events: pd.DataFrame | None, clock: BusinessClock,
                    rule: MeasurementRule, *, until: int,
                    stops: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(elapsed clock seconds, paused seconds, stopped?) per ticket; open tickets run until `until`."""
    begin = tickets["opened_at"].to_numpy(np.int64)
    if rule.start == "assigned" and "assigned_at" in tickets:
        assigned = tickets["assigned_at"].to_numpy(np.int64)
        begin = np.where(assigned != NA_TIME, assigned, begin)
    stop = stop_times(tickets, events, rule) if stops is None else stops
    stopped = stop != NA_TIME
    stop = np.where(stopped, stop, until)
    gross = clock.between(begin, stop)
    paused = np.zeros(len(tickets), dtype=np.int64)
    if rule.pause_states and events is not None and len(events):
        paused = _paused(tickets, events, clock, rule, begin, stop)
    return np.maximum(gross - paused, 0), paused, stopped


def _paused(tickets, events, clock, rule, begin, stop) -> np.ndarray:
    """Clock seconds each ticket spent in a pause state, inside its own [begin, stop)."""
    wanted = {norm(s) for s in rule.pause_states}
    ev = in_order(events, set(tickets["ticket_id"]))
    ev = ev.assign(until=ev.groupby("ticket_id")["changed_at"].shift(-1))  # before filtering: see below
    # (a column assigned to an empty frame takes the Series' whole index in pandas 3; so filter after it)
    pauses = ev[normed(ev["state"]).isin(wanted).to_numpy(bool)]
    if pauses.empty:
        return np.zeros(len(tickets), dtype=np.int64)
    index = pd.Series(np.arange(len(tickets)), index=tickets["ticket_id"].to_numpy())
    position = index.reindex(pauses["ticket_id"]).to_numpy()
    a = np.maximum(pauses["changed_at"].to_numpy(np.int64), begin[position])
    b = np.minimum(pauses["until"].fillna(stop[position].max()).to_numpy(np.int64), stop[position])
    seconds = clock.between(a, b)
    return np.bincount(position, weights=seconds, minlength=len(tickets)).astype(np.int64)


class TicketSeries:
    """One rule's tickets (its priority and service) with their clock computed once for every period."""

    def __init__(self, tickets: pd.DataFrame, events: pd.DataFrame | None, clock: BusinessClock,
                 rule: MeasurementRule, *, until: int):
        self.tickets = rule_tickets(tickets, rule)
        self.opened = self.tickets["opened_at"].to_numpy(np.int64)
        self.stops = stop_times(self.tickets, events, rule)
        if rule.stop == "responded":  # the evidence shows the response the clock used
            self.tickets["responded_at"] = self.stops
        self.spent, self.paused, self.stopped = elapsed_seconds(self.tickets, events, clock, rule, until=until,
                                                                stops=self.stops)
        self.rule, self.clock, self.events = rule, clock, events

    def period(self, windows: list[Window], start: int, end: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Exclusion]]:
        """(positions of the period's counted tickets, their clock seconds, their paused seconds, exclusions). A
        ticket with no stop in the data is judged at the end of the period: its clock and its pauses up to then,
        whatever other periods were measured with it."""
        inside, exclusions = opened_in(self.opened, windows, start, end)
        positions = np.flatnonzero(inside)
        spent = self.spent[positions].copy()
        paused = self.paused[positions].copy()
        still_open = ~self.stopped[positions]
        if still_open.any():
            rows = positions[still_open]
            spent[still_open], paused[still_open], _ = elapsed_seconds(
                self.tickets.iloc[rows], self.events, self.clock, self.rule, until=end, stops=self.stops[rows])
        return positions, spent, paused, exclusions


def limit_seconds(rule: MeasurementRule) -> int:
    """The most whole seconds a ticket may take and still be within the limit ("within 240 minutes"
    includes 240:00 exactly; the clock counts whole seconds, so a fractional limit is floored)."""
    return int((rule.limit_minutes * 60).to_integral_value(rounding=ROUND_FLOOR))


def within(tickets: pd.DataFrame, events: pd.DataFrame | None, windows: list[Window], clock: BusinessClock,
           start: int, end: int, rule: MeasurementRule, threshold: Decimal,
           series: TicketSeries | None = None, unreadable: frozenset[str] = frozenset(),
           flags: Sequence[FalsePositive] = ()) -> Measured:
    """Share of the period's tickets (opened in it) whose clock stayed within the limit. `unreadable`: ids whose
    stop time the file held but could not be read (left empty at import); they are counted in the explanation.
    A ticket an approved false positive names counts as met (and judged), whatever its clock says."""
    series = series or TicketSeries(tickets, events, clock, rule, until=end)
    positions, spent, paused, exclusions = series.period(windows, start, end)
    met = spent <= limit_seconds(rule)
    by_ticket = false_positives.tickets(flags)
    flagged = np.zeros(len(positions), dtype=bool)
    if by_ticket:
        ids = series.tickets["ticket_id"].astype(str).to_numpy()[positions]
        flagged = np.isin(ids, list(by_ticket))
        exclusions += [false_positives.exclusion(by_ticket[i], tickets=1) for i in ids[flagged]]
    opened = series.opened[positions]
    for breach in false_positives.breaches(flags, start, end):  # a flagged breach: its missed tickets are met
        mine = (opened >= breach.start) & (opened < breach.end) & ~met & ~flagged
        exclusions.append(false_positives.exclusion(breach, tickets=int(mine.sum())))
        flagged |= mine
    met |= flagged
    pending = ~series.stopped[positions] & met & ~flagged  # still open and still within time: not judged yet
    if pending.any():
        exclusions.append(Exclusion(f"still open at the end of the period and within {rule.limit_minutes} min",
                                    "open", tickets=int(pending.sum())))
    judged = ~pending
    counted, good = int(judged.sum()), int((met & judged).sum())
    result = Measured(percent(good, counted), exclusions=exclusions)
    result.counts = {"tickets": counted, "met": good, "missed": counted - good,
                     "excluded": sum(e.tickets for e in exclusions if e.kind != false_positives.KIND),
                     "paused_minutes": minutes(int(paused.sum()))}
    clock_kind = "business" if rule.business_clock else "calendar"
    overdue = int((~series.stopped[positions] & ~met).sum())
    open_words = [f"{overdue} still open at the end of the period and already over the limit (missed)"] if overdue \
        else []
    if pending.any():
        open_words.append(f"{int(pending.sum())} still open at the end of the period and within it (left out)")
    if unreadable:
        blank = ~series.stopped[positions]
        ids = series.tickets["ticket_id"].to_numpy()[positions]
        lost = int(sum(1 for i, open_ in zip(ids, blank, strict=True) if open_ and str(i) in unreadable))
        if lost:
            open_words.append(f"{lost} had a {rule.stop} time in the file that could not be read (left empty at "
                              "import, so judged as still open)")
    result.explanation = (f"{good} of {counted} {rule.priority or 'all'} tickets {rule.stop} within "
                          f"{rule.limit_minutes} {clock_kind} minutes" + (
                              f", clock paused in {', '.join(rule.pause_states)}" if rule.pause_states else "")
                          + (f"; {'; '.join(open_words)}" if open_words else "")
                          + false_positives.explanation(exclusions, "met"))
    allowed = int(counted * (100 - threshold) / 100) - (counted - good)  # whole tickets, worked out exactly
    result.budget = (f"{allowed} more ticket{'s' if allowed != 1 else ''} may miss" if allowed >= 0 else
                     f"{-allowed} ticket{'s' if allowed != -1 else ''} over the allowance")
    result.evidence_source = (series.tickets, positions, spent, paused, met, judged)
    return result


def ticket_evidence(measured: Measured) -> pd.DataFrame:
    """The counted tickets with their clock, pause and verdict (built only when someone drills down)."""
    if measured.evidence_source is None:
        raise ValueError("this measurement kept no tickets to show as evidence")
    tickets, positions, spent, paused, met, judged = measured.evidence_source
    return tickets.iloc[positions].assign(elapsed_minutes=spent / 60, paused_minutes=paused / 60, met=met,
                                          judged=judged).reset_index(drop=True)


def cycle_time(tickets: pd.DataFrame, events: pd.DataFrame | None, windows: list[Window], clock: BusinessClock,
               start: int, end: int, rule: MeasurementRule) -> Measured:
    """The chosen percentile of the elapsed time (hours) of the period's finished tickets."""
    chosen, exclusions = _select(tickets, windows, start, end, rule)
    spent, _paused, stopped = elapsed_seconds(chosen, events, clock, rule, until=end)
    value = percentile(spent[stopped], rule.percentile, scale=3600)
    result = Measured(value, exclusions=exclusions)
    result.counts = {"tickets": int(stopped.sum()), "open": int((~stopped).sum())}
    result.explanation = f"p{rule.percentile} of {int(stopped.sum())} finished items: {shown(value, places=2)} h"
    result.evidence = chosen.assign(elapsed_hours=spent / 3600).reset_index(drop=True)
    return result


def rule_tickets(tickets: pd.DataFrame, rule: MeasurementRule) -> pd.DataFrame:
    """The tickets a rule measures: of its priority and its service (when it names them). The one place a rule
    selects its tickets."""
    keep = np.ones(len(tickets), dtype=bool)
    if rule.priority:
        keep &= tickets["priority"].to_numpy(object) == rule.priority
    if rule.service:
        keep &= tickets["service"].fillna("").map(norm).to_numpy(object) == norm(rule.service)
    return tickets[keep].reset_index(drop=True)


def opened_in(opened: np.ndarray, windows: list[Window], start: int, end: int) -> tuple[np.ndarray, list[Exclusion]]:
    """Which tickets count in the period [start, end): opened in it, and not in an approved force-majeure window
    (each window's tickets are named once, in the exclusions)."""
    inside = (opened >= start) & (opened < end)
    exclusions: list[Exclusion] = []
    for window in clip_windows(windows, start, end):
        if window.kind != "force-majeure":
            continue
        hit = inside & (opened >= window.start) & (opened < window.end)
        if hit.any():
            exclusions.append(Exclusion(window.reason, window.kind, tickets=int(hit.sum()), reference=window.reference))
            inside &= ~hit
    return inside, exclusions


def _select(tickets: pd.DataFrame, windows: list[Window], start: int, end: int,
            rule: MeasurementRule) -> tuple[pd.DataFrame, list[Exclusion]]:
    """The period's tickets of the rule's priority/service; those opened in an excluded window go."""
    chosen = rule_tickets(tickets, rule)
    inside, exclusions = opened_in(chosen["opened_at"].to_numpy(np.int64), windows, start, end)
    return chosen[inside].reset_index(drop=True), exclusions
