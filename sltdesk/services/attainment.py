"""Attainment per contract target and period, recomputed from the raw data under the contract's rules."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import TypedDict
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import AttainmentResult, Breach
from sltdesk.domain.measurement import (
    ExceptionStatus,
    FalsePositive,
    ForceMajeure,
    MeasurementRule,
    PeriodMark,
    Source,
    Window,
)
from sltdesk.domain.penalties import ClauseRecord
from sltdesk.domain.period import Period, PeriodKind, months_between, quarter_of
from sltdesk.domain.raw_records import RawMaintenanceWindow, RawOutage, RawReportLine, RawTicketEvent
from sltdesk.domain.register import ChargesPeriod, Contract, ContractTarget, MetricKind, ServiceCalendar
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError
from sltdesk.rules import availability, false_positives, ticket_clock
from sltdesk.rules.calendars import ALWAYS, BusinessClock, hours_of
from sltdesk.rules.completeness import Completeness, assess, coverage_text
from sltdesk.rules.measure import Measured
from sltdesk.rules.sample_blocks import DAY
from sltdesk.rules.seasons import parse_seasons, priced_by_clauses, season_for, season_words, tier_calendar
from sltdesk.services.imports import find_contract, period_bounds
from sltdesk.services.ports import Workspace
from sltdesk.services.raw_data import keep_tickets, kept_tickets, load_samples, load_tickets
from sltdesk.services.vendor_reports import ReportLines, match_report


def attainment_for(ws: Workspace, contract_ref: str, period: str, *,
                   as_of: int | None = None) -> list[AttainmentResult]:
    """Every target of the contract for one period (month, quarter or year), judged as of `as_of` (default: now)."""
    contract = find_contract(ws, contract_ref)
    history = attainment_history(ws, stored_id(contract), [period], as_of=as_of)
    return [results[0] for results in history.values()]


def attainment_history(ws: Workspace, contract_id: int, periods: list[str], *,
                       as_of: int | None = None) -> dict[int, list[AttainmentResult]]:
    """target id -> its results in the order of `periods`: the stored ones whose inputs are unchanged, the others
    measured now (sltdesk/services/result_cache.py)."""
    from sltdesk.services.result_cache import stored_history

    return stored_history(ws, contract_id, periods, as_of=as_of)


def measured_history(ws: Workspace, contract_id: int, periods: list[str], *,
                     as_of: int | None = None) -> dict[int, list[AttainmentResult]]:
    """target id -> its results in the order of `periods`, measured from the raw data now."""
    data = ContractData.load(ws, contract_id, periods, as_of=as_of)
    return {stored_id(target): [data.measure(target, p) for p in periods] for target in data.targets}


def breaches(results: list[AttainmentResult]) -> list[Breach]:
    """Missed targets as breaches, with their shortfall and duration."""
    out = []
    for r in results:
        if r.met is False:
            duration = r.counts.get("downtime_minutes", Decimal(0))
            incidents = int(r.counts.get("missed", r.counts.get("outages", r.counts.get("intervals_bad", 0))))
            out.append(Breach(r.target_id, r.target, r.period, r.shortfall, Decimal(duration), incidents))
        if r.tier is not None:  # a core-hours tier missed is a breach of its own
            out += breaches([r.tier])
    return out


class RawFrames(TypedDict):
    """A contract's stored vendor data, as frames."""

    tickets: pd.DataFrame
    events: pd.DataFrame
    outages: pd.DataFrame
    samples: pd.DataFrame | None  # None: no target is measured from samples (they are not read)


class ContractData:
    """Everything one contract's measurement needs, loaded once for a set of periods."""

    def __init__(self, contract: Contract, targets: list[ContractTarget], rules: dict[int, MeasurementRule],
                 calendars: dict[int, ServiceCalendar], raw: RawFrames, windows: list[dict],
                 exceptions: list[ForceMajeure], reports: pd.DataFrame, span: tuple[int, int]):
        self.contract, self.targets, self.rules, self.calendars = contract, targets, rules, calendars
        self.raw, self.windows, self.exceptions, self.reports, self.span = raw, windows, exceptions, reports, span
        self._clocks: dict[tuple, BusinessClock] = {}
        self._report_lines: ReportLines | None = None
        self.imported: set[str] = set()
        self._slots: dict[tuple, pd.DataFrame] = {}
        self._series: dict[tuple[int, int | None], ticket_clock.TicketSeries] = {}
        self._services: dict[tuple[str, str], pd.DataFrame] = {}  # (raw frame, service) -> its rows
        # kind of import -> what its batches cover: (start, end, period label); a label is read in each target's zone
        self.coverage: dict[str, list[tuple[int, int, str]]] = {}
        self.marks: set[str] = set()  # periods marked complete as imported
        self.flags: list[FalsePositive] = []  # false positives of every status (only approved ones count)
        self.as_of = 2**62  # the instant results are judged at (a period not over by then is in progress)
        self.unreadable: dict[str, set[str]] = {}  # stop field -> ticket ids whose time was unreadable

    @classmethod
    def load(cls, ws: Workspace, contract_id: int, periods: list[str], *, as_of: int | None = None) -> ContractData:
        with ws.unit_of_work() as uow:
            contract = uow.records.get(Contract, contract_id)
            if contract is None:
                raise NotFoundError(f"There is no contract with id {contract_id}.")
            targets = uow.records.list(ContractTarget, contract_id=contract_id)
            rules = priced_by_clauses({r.target_id: r for t in targets
                                       for r in uow.records.list(MeasurementRule, target_id=stored_id(t))},
                                      uow.records.list(ClauseRecord, contract_id=contract_id))
            calendars = {stored_id(c): c for c in uow.records.list(ServiceCalendar)}
            exceptions = uow.records.list(ForceMajeure, contract_id=contract_id)
            stored = partial(uow.raw.records, contract_id=contract_id)
            windows = [{"start": w.start_at, "end": w.end_at, "service": w.service, "reference": w.reference,
                        "notified_at": w.notified_at} for _id, _batch, w in stored(RawMaintenanceWindow)]
            outages = pd.DataFrame([(*o, batch, number) for number, batch, o in stored(RawOutage)],
                                   columns=["outage_id", "service", "start", "end", "impact_percent", "planned", "note",
                                            "source_row", "batch_id", "record_id"])
            flags = uow.records.list(FalsePositive, contract_id=contract_id)
            batches = uow.raw.batches(contract_id=contract_id)
            kept = kept_tickets(ws, contract_id, batches)  # read before in this build (the demo), or None
            events = kept[1] if kept is not None else pd.DataFrame(
                uow.raw.record_columns(RawTicketEvent, contract_id=contract_id), columns=list(RawTicketEvent._fields))
            imported = {b["kind"] for b in batches}
            marks = {m.period for m in uow.records.list(PeriodMark, contract_id=contract_id)}
            reports = pd.DataFrame([r for _i, _b, r in stored(RawReportLine)], columns=list(RawReportLine._fields))
        zones = [calendars[t.calendar_id].timezone for t in targets if t.calendar_id in calendars] or ["UTC"]
        bounds = [period_bounds(p, z) for p in periods for z in set(zones)]
        span = (min(b[0] for b in bounds), max(b[1] for b in bounds))
        days = list(range(span[0] // DAY - 1, span[1] // DAY + 1))
        tickets = kept[0] if kept is not None else load_tickets(ws, contract_id)
        if kept is None:
            keep_tickets(ws, contract_id, batches, tickets, events)
        raw: RawFrames = {"tickets": tickets, "events": events, "outages": outages,
               "samples": load_samples(ws, contract_id, days=days) if any(
                   r.source is Source.SAMPLES for r in rules.values()) else None}
        data = cls(contract, targets, rules, calendars, raw, windows, exceptions, reports, span)
        data.imported, data.marks, data.flags = imported, marks, flags
        for b in batches:  # ticket stop times the files held but could not be read (left empty at import)
            if b["kind"] == "tickets":
                for name, ids in json.loads(b.get("options_json") or "{}").get("unreadable", {}).items():
                    data.unreadable.setdefault(name, set()).update(ids)
        for b in batches:
            if b.get("covers_start") is not None and b.get("covers_end") is not None:
                data.coverage.setdefault(b["kind"], []).append((int(b["covers_start"]), int(b["covers_end"]),
                                                                b.get("covers_label") or ""))
        data.as_of = int(ws.now().timestamp()) if as_of is None else as_of
        return data

    def use_rule(self, target_id: int, rule: MeasurementRule) -> None:
        """Measure the target under another rule from now on (a rule being edited), dropping what was cached."""
        self.rules[target_id] = replace(rule, target_id=target_id)
        for key in [k for k in self._series if k[0] == target_id]:
            del self._series[key]
        self._slots.clear()

    def calendar_of(self, target: ContractTarget) -> ServiceCalendar | None:
        return self.calendars.get(target.calendar_id) if target.calendar_id is not None else None

    def measure(self, target: ContractTarget, period: str) -> AttainmentResult:
        """The target's result for one period: under its seasonal threshold where a season reaches the period,
        with its core-hours tier's own result beside it where the rule has one (sltdesk/rules/seasons.py)."""
        rule = self.rules.get(stored_id(target))
        term = Period.parse(period)
        note = ""
        season = season_for(parse_seasons(rule.seasons), term.start, term.end - timedelta(days=1),
                            target.comparison) if rule is not None and rule.seasons else None
        if season is not None:
            note = season_words(season, target.comparison, target.unit, target.threshold)
            target = replace(target, threshold=season.threshold)
        result = replace(self._judged(target, period, rule), threshold_note=note)
        if rule is None or not rule.tier_calendar or rule.tier_threshold is None:
            return result
        calendar = tier_calendar(self.calendars.values(), rule.tier_calendar)
        tier_target = replace(target, threshold=rule.tier_threshold, name=f"{target.name} ({rule.tier_calendar})",
                              calendar_id=calendar.id if calendar is not None else None)
        if calendar is None:
            tier = replace(result, target=tier_target.name, threshold=rule.tier_threshold, achieved=None, met=None,
                           counts={}, exclusions=(), explanation=f"the tier's calendar '{rule.tier_calendar}' is not "
                           "in the register: add it under Service calendars", threshold_note="", reported=None,
                           reported_met=None)  # the vendor's line reports the 24x7 figure, as below
        else:
            tier = self._judged(tier_target, period, replace(rule, seasons="", tier_calendar="", tier_threshold=None))
            tier = replace(tier, reported=None, reported_met=None)  # the vendor's line reports the 24x7 figure
        return replace(result, tier=tier, tier_pricing=rule.tier_pricing)

    def _judged(self, target: ContractTarget, period: str, rule: MeasurementRule | None) -> AttainmentResult:
        calendar = self.calendar_of(target)
        zone = calendar.timezone if calendar else "UTC"
        start, end = period_bounds(period, zone)
        term = Period.parse(period)
        state: Completeness | None = None
        text = ""  # what the imports cover (a rule's period that has begun)
        if term.end <= self.contract.start_date or term.start > self.contract.end_date:
            measured = Measured(None, explanation=f"{period} lies outside the contract's term "
                                                  f"({self.contract.start_date} to {self.contract.end_date})")
        elif rule is None:
            measured = Measured(None, explanation="no measurement rule: say how this target is measured "
                                                  "(source and parameters)")
        else:
            state, covered = self.completeness(rule, start, end, zone)
            text = coverage_text(covered, Period.parse(period).label, zone)
            if state is Completeness.COMPLETE:
                measured = self._measured(target, rule, calendar, start, end)
            elif state is Completeness.IN_PROGRESS:
                measured = self._so_far(target, rule, calendar, (start, end), covered, zone, period)
            elif covered:
                measured = Measured(None, explanation=f"{text}: no verdict and no credit until the rest is imported "
                                                      "(import it with --period), or the period is marked complete "
                                                      "as imported")
            else:
                text = f"no {rule.source.value} imported for {Period.parse(period).label}"
                measured = Measured(None, explanation=f"{text}: no verdict and no credit until they are imported "
                                                      "(with --period), or the period is marked complete as imported")
        achieved, unrounded = contract_rounding(measured.achieved, rule)
        judged = state is None or state is Completeness.COMPLETE  # a period in progress has a figure so far only
        met = None if achieved is None or not judged else target.comparison.holds(achieved, target.threshold)
        if self._report_lines is None:
            self._report_lines = ReportLines(self.reports)
        reported, reported_met = match_report(self._report_lines, target, rule, period)
        return AttainmentResult(
            contract_id=stored_id(self.contract), contract_ref=self.contract.ref, target_id=stored_id(target),
            target=target.name,
            metric=target.metric, period=Period.parse(period).label, threshold=target.threshold,
            comparison=target.comparison, unit=target.unit, achieved=achieved, met=met,
            counts=measured.counts, exclusions=tuple(measured.exclusions), reported=reported,
            reported_met=reported_met, explanation=measured.explanation, error_budget=measured.budget,
            unrounded=unrounded,
            rounding_rule=rule.rounding_words if rule is not None and unrounded is not None else "",
            completeness=state.value if rule is not None and state is not None else "",
            coverage=text if rule is not None and state is not None else "")

    def _so_far(self, target: ContractTarget, rule: MeasurementRule, calendar, bounds: tuple[int, int],
                covered: list[tuple[int, int]], zone: str, period: str) -> Measured:
        """A period still running: the figure over what its data covers from the start, with no verdict (the rest
        of the period is not yet there to be judged). Nothing from a period whose start is not covered."""
        (start, end), label = bounds, Period.parse(period).label
        head, text = f"{label} is in progress (it ends {_local(end, zone)})", coverage_text(covered, label, zone)
        if not covered or covered[0][0] != start:
            return Measured(None, explanation=f"{head}; {text}")
        until = min(covered[0][1], self.as_of)  # what is imported, and no further than the instant judged at
        so_far = self._measured(target, rule, calendar, start, until) if until > start else Measured(None)
        if so_far.achieved is None:
            return Measured(None, explanation=f"{head}; {text}")
        return replace(so_far, budget="", explanation=f"{head}: so far, up to {_local(until, zone)} — "
                                                      f"{so_far.explanation}; no verdict until it ends")

    def completeness(self, rule: MeasurementRule, start: int, end: int, zone: str
                     ) -> tuple[Completeness, list[tuple[int, int]]]:
        """Whether the imports of the rule's source cover [start, end) — a batch that covers a period covers it in
        the target's own zone — or periods marked complete as imported do."""
        spans = [period_bounds(label, zone) if label else (a, b)
                 for kind in SOURCE_KINDS[rule.source] for a, b, label in self.coverage.get(kind, [])]
        spans += [period_bounds(mark, zone) for mark in self.marks]
        return assess(spans, start, end, as_of=self.as_of)

    def evidence(self, target: ContractTarget, period: str) -> pd.DataFrame | None:
        """The rows behind one figure (tickets, outages or intervals), for drill-down."""
        calendar = self.calendar_of(target)
        start, end = period_bounds(period, calendar.timezone if calendar else "UTC")
        rule = self.rules.get(stored_id(target))
        if rule is None:
            return None
        measured = self._measured(target, rule, calendar, start, end)
        if measured.evidence is None and measured.evidence_source is not None:
            return ticket_clock.ticket_evidence(measured)
        evidence = measured.evidence
        state, _covered = self.completeness(rule, start, end, calendar.timezone if calendar else "UTC")
        if state is not Completeness.COMPLETE and evidence is not None and "missing" in evidence:
            evidence = evidence[~evidence["missing"].to_numpy(bool)].reset_index(drop=True)  # gaps: not judged yet
        return evidence

    def _measured(self, target: ContractTarget, rule: MeasurementRule, calendar, start: int, end: int) -> Measured:
        service_hours = self._clock(calendar)
        windows = self._windows(rule, target)
        flags = [f for f in self.flags if f.status is ExceptionStatus.APPROVED and f.target_id in (None, target.id)]
        zone = calendar.timezone if calendar else "UTC"  # a breach waives the period as measured here (a tier's too)
        flags = false_positives.in_zone(flags, lambda label: period_bounds(label, zone))
        needed = {Source.OUTAGES: {"outages"}, Source.SAMPLES: {"samples"},
                  Source.TICKETS: {"tickets", "ticket-events"}}[rule.source]
        if not needed & self.imported:
            return Measured(None, explanation=f"no {rule.source.value} imported for {self.contract.ref} yet")
        if rule.source is Source.TICKETS and self.raw["tickets"].empty:
            return Measured(None, explanation=f"no tickets stored for {self.contract.ref}")
        if rule.source is Source.OUTAGES:
            outages = self._of_service("outages", self.raw["outages"], rule)
            return availability.from_outages(outages, windows, service_hours, start, end, rule, target.threshold,
                                             flags=flags)
        if rule.source is Source.SAMPLES:
            samples = self.raw["samples"]
            if samples is None or samples.empty:
                return Measured(None, explanation="no samples imported for this contract")
            key = (rule.probe, rule.interval_seconds)
            if key not in self._slots:
                self._slots[key] = availability.slots(samples, rule)
            return availability.from_samples(samples, windows, service_hours, start, end, rule, target.threshold,
                                             metric=target.metric.value, unit=target.unit, per_slot=self._slots[key],
                                             flags=flags)
        clock = service_hours if rule.business_clock else self._clock(None)
        if target.metric is MetricKind.CYCLE_TIME_PERCENTILE:
            tickets = self._of_service("tickets", self.raw["tickets"], rule)
            return ticket_clock.cycle_time(tickets, self.raw["events"], windows, clock, start, end, rule)
        series = (stored_id(target), target.calendar_id)  # a core-hours tier: the same tickets on another clock
        if series not in self._series:
            self._series[series] = ticket_clock.TicketSeries(self.raw["tickets"], self.raw["events"], clock, rule,
                                                             until=self.span[1])
        return ticket_clock.within(self.raw["tickets"], self.raw["events"], windows, clock, start, end, rule,
                                   target.threshold, series=self._series[series],
                                   unreadable=frozenset(self.unreadable.get(f"{rule.stop}_at", ())), flags=flags)

    def _clock(self, calendar: ServiceCalendar | None) -> BusinessClock:
        key = (calendar.id if calendar else None,)
        if key not in self._clocks:  # laid out over the periods asked for; it widens itself for longer tickets
            start, end = self.span
            self._clocks[key] = BusinessClock(hours_of(calendar) if calendar else ALWAYS, start, end)
        return self._clocks[key]

    def _of_service(self, name: str, frame: pd.DataFrame, rule: MeasurementRule) -> pd.DataFrame:
        """The raw frame's rows of the rule's service, each frame and service selected once (a frame is never
        changed in place: every measure filters it into a new one)."""
        key = (name, rule.service.lower() if rule.service else "")
        if key not in self._services:
            self._services[key] = self._filtered(frame, rule)
        return self._services[key]

    @staticmethod
    def _filtered(frame: pd.DataFrame, rule: MeasurementRule) -> pd.DataFrame:
        if not rule.service or frame.empty or "service" not in frame:
            return frame
        wanted = rule.service.lower()
        return frame[frame["service"].fillna("").str.lower().str.contains(wanted, regex=False)]

    def _windows(self, rule: MeasurementRule, target: ContractTarget) -> list[Window]:
        """Maintenance that counts under the notice policy, and approved force majeure for this target."""
        out = []
        notice = rule.maintenance_notice_days * DAY
        for w in self.windows:
            if rule.service and w["service"] and rule.service.lower() not in w["service"].lower():
                continue
            if notice and (w["notified_at"] is None or w["notified_at"] > w["start"] - notice):
                continue
            reason = f"planned maintenance {w['reference'] or ''}".strip()
            if notice:
                reason += f" (notified {rule.maintenance_notice_days} days ahead or more)"
            out.append(Window(int(w["start"]), int(w["end"]), "maintenance", w["reference"] or "", reason))
        for e in self.exceptions:
            if e.status is ExceptionStatus.APPROVED and e.target_id in (None, target.id):
                out.append(Window(e.start, e.end, "force-majeure", f"FM-{e.id}",
                                  f"approved force majeure FM-{e.id}: {e.reason} (approved by {e.decided_by})"))
        return sorted(out, key=lambda w: w.start)


def contract_rounding(achieved: Decimal | None, rule: MeasurementRule | None) -> tuple[Decimal | None, Decimal | None]:
    """(the figure the verdict uses, the exact figure when the contract rounds first, else None).

    By default nothing is rounded before a comparison; a contract that says "rounded to two decimals
    before comparison" says so in the target's rule, and the trace shows the step."""
    if achieved is None or rule is None or rule.compare_places is None:
        return achieved, None
    step = Decimal(1).scaleb(-rule.compare_places)
    return achieved.quantize(step, rounding=rule.compare_rounding.decimal_mode), achieved


SOURCE_KINDS = {Source.OUTAGES: ("outages",), Source.SAMPLES: ("samples",),
                Source.TICKETS: ("tickets", "ticket-events")}


def _local(t: int, zone: str) -> str:
    local = datetime.fromtimestamp(t, UTC).astimezone(ZoneInfo(zone))
    return f"{local.day} {local:%b %Y %H:%M}"


def evidence_for(ws: Workspace, contract_id: int, target_id: int, period: str) -> pd.DataFrame | None:
    """The tickets, outages or intervals behind one figure (with met / downtime / bad columns)."""
    data = ContractData.load(ws, contract_id, [period])
    target = next(t for t in data.targets if t.id == target_id)
    return data.evidence(target, period)


def calibration_for(ws: Workspace, contract_ref: str, period: str):
    """The vendor's outage log against the contract's interval samples for one period (None without both)."""
    from sltdesk.rules.calibration import calibrate

    contract = find_contract(ws, contract_ref)
    data = ContractData.load(ws, stored_id(contract), [period])
    sample_rule = next((r for r in data.rules.values() if r.source is Source.SAMPLES), None)
    outages, samples = data.raw["outages"], data.raw["samples"]
    if sample_rule is None or outages.empty or samples is None or samples.empty:
        return None
    target = next(t for t in data.targets if t.id == sample_rule.target_id)
    calendar = data.calendar_of(target)
    start, end = period_bounds(period, calendar.timezone if calendar else "UTC")
    per = availability.slots(samples, sample_rule)
    ratio = (per["errors"] / per["requests"].where(per["requests"] > 0)).fillna(0) * 100
    bad = per.index.to_numpy()[(ratio > float(sample_rule.error_limit_percent)).to_numpy()]
    intervals = np.column_stack((bad, bad + sample_rule.interval_seconds)) if len(bad) else np.zeros((0, 2))
    log = outages[["start", "end"]].to_numpy(np.int64)
    return calibrate(log, intervals.astype(np.int64), start, end)


def verdict_history(ws: Workspace, contract_id: int, *, as_of: int | None = None) -> dict[int, list[AttainmentResult]]:
    """target id -> its verdicts (met or missed) from the contract's start to `as_of` (default: now), oldest
    first, each period as the target measures it (month or quarter). Read like every other figure (the stored
    result where its inputs are unchanged, else measured now): a period incomplete or in progress has no verdict
    and is left out, so the history is what the data can prove."""
    now = int(ws.now().timestamp()) if as_of is None else as_of
    with ws.unit_of_work() as uow:
        contract = uow.records.get(Contract, contract_id)
        if contract is None:
            raise NotFoundError(f"There is no contract with id {contract_id}.")
        quarterly = {t.id for t in uow.records.list(ContractTarget, contract_id=contract_id)
                     if t.measurement_period is ChargesPeriod.QUARTER}
    last = min(datetime.fromtimestamp(now, UTC).date(), contract.end_date)  # the month `as_of` falls in, at most
    if last < contract.start_date:
        return {}
    labels = months_between(f"{contract.start_date:%Y-%m}", f"{last:%Y-%m}")
    quarters = sorted({quarter_of(m) for m in labels}) if quarterly else []
    found = attainment_history(ws, contract_id, labels + quarters, as_of=now)  # stored where unchanged
    history = {}
    for target_id, results in found.items():
        kind = PeriodKind.QUARTER if target_id in quarterly else PeriodKind.MONTH
        history[target_id] = [r for r in results if Period.parse(r.period).kind is kind and r.met is not None]
    return history
