"""The sections of a review pack, each computed from what sltdesk.services.pack loaded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.money import format_money
from sltdesk.domain.penalties import LineKind, PeriodCredits
from sltdesk.domain.register import Comparison, ContingencyPlan, Contract, ContractTarget
from sltdesk.domain.stored import stored_id
from sltdesk.rules.at_risk import rag
from sltdesk.rules.breach_log import BreachEntry, RootCauseDue
from sltdesk.rules.control_charts import RULE_TEXT, early_warnings, natural_bounds, special_cause, xmr
from sltdesk.services.pack_view import (
    AttainmentRow,
    ContractCredits,
    CoverageLine,
    Discrepancy,
    FlagLine,
    MaturityView,
    PlanLine,
    QualityLine,
    Summary,
    TargetTrend,
    Totals,
)
from sltdesk.services.ports import Workspace


def contract_credits(ws: Workspace, contracts: Sequence[Contract], label: str, months: Sequence[str], history,
                     as_of: date) -> tuple[list[ContractCredits], dict[str, list[PeriodCredits]]]:
    """Per contract: the period's credits with their traces and reconciliation; and the window's credits."""
    from sltdesk.services.penalties import ClauseError, credits_between, penalties
    from sltdesk.services.reconciliation import reconcile

    out: list[ContractCredits] = []
    runs: dict[str, list[PeriodCredits]] = {}
    for c in contracts:
        try:
            credits = penalties(ws, c.ref, label, history=history)
        except ClauseError:
            out.append(ContractCredits(c.ref, c.currency, None, None, None, None, "no credit clauses", None, (),
                                       note="the contract has no credit clauses in SLT Desk"))
            runs[c.ref] = []
            continue
        runs[c.ref] = credits_between(ws, c.ref, months[0], months[-1], history=history)
        row, _ = reconcile(ws, c.ref, label, history=history, today=as_of)
        out.append(ContractCredits(c.ref, c.currency, credits, row.computed, row.issued, row.variance,
                                   row.status_text, row.claim_deadline, tuple(row.warnings)))
    return out, runs


def trend(contract: Contract, target: ContractTarget, months: Sequence[str], history) -> TargetTrend:
    """The target's window: values, XmR chart, special- and common-cause misses, warnings, capability."""
    results = [history.result(contract.id, target.id, m) for m in months]
    return trend_of(results, months, contract=contract.ref, target_id=stored_id(target), target=target.name,
                    comparison=target.comparison, threshold=target.threshold, unit=target.unit)


def results_trend(results: Sequence[AttainmentResult]) -> TargetTrend:
    """The trend of one target's results over consecutive periods (the Verification page's chart)."""
    first = results[0]
    own = next((r.threshold for r in results if not r.threshold_note), first.threshold)  # out of season
    return trend_of(results, [r.period for r in results], contract=first.contract_ref, target_id=first.target_id,
                    target=first.target, comparison=first.comparison, threshold=own, unit=first.unit)


def trend_of(results: Sequence[AttainmentResult | None], months: Sequence[str], *, contract: str, target_id: int,
             target: str, comparison: Comparison, threshold: Decimal, unit: str) -> TargetTrend:
    """A target's trend from its result per period (None: not measured); control limits within the unit's
    natural bounds."""
    values = [r.achieved if r else None for r in results]
    met = tuple(r.met if r else None for r in results)
    chart = xmr(months, values, bounds=natural_bounds(unit))
    special = tuple(m for i, m in enumerate(months) if met[i] is False and special_cause(chart, i, comparison))
    common = tuple(m for i, m in enumerate(months) if met[i] is False and m not in special)
    warnings = early_warnings(chart, threshold=threshold, comparison=comparison, met_latest=met[-1])
    reported = tuple(None if r is None or r.reported is None else float(r.reported) for r in results)
    applied = tuple(r.threshold if r else threshold for r in results)  # a season's threshold where it applied
    return TargetTrend(contract, target_id, target, comparison, threshold, unit, chart, met, reported, special,
                       common, tuple(warnings), capability(chart, threshold=threshold, comparison=comparison,
                                                           unit=unit),
                       thresholds=applied if any(t != threshold for t in applied) else ())


def capability(chart, *, threshold: Decimal, comparison: Comparison, unit: str) -> str:
    """Whether the process as it runs can meet the target, with its limits; a clipped limit is said so."""
    if chart.ucl is None:
        return "Too few figures for control limits yet."
    limit = float(threshold)
    low, high = chart.lcl, chart.ucl
    higher_is_better = comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN)
    good_side = (low >= limit) if higher_is_better else (high <= limit)
    centre_ok = comparison.holds(Decimal(repr(round(chart.centre, 6))), threshold)
    limits = f"limits {low:.4g} – {high:.4g}, centre {chart.centre:.4g}"
    if good_side:
        sentence = f"Capable: the process as it runs stays within the target ({limits})."
    elif not centre_ok:
        sentence = f"Not capable: the process as it runs misses the target more often than not ({limits})."
    else:
        sentence = f"The limits straddle the target ({limits}): normal variation alone produces occasional misses."
    return " ".join([sentence, *clipping(chart, unit)])


def clipping(chart, unit: str) -> list[str]:
    """One sentence per control limit clipped at the measure's natural bound."""
    what = "a percentage" if unit == "%" else "the measure"
    out = []
    if chart.ucl_computed is not None:
        out.append(f"The upper limit, {chart.ucl_computed:.4g} as computed, is clipped at {chart.ucl:g}{_unit(unit)}, "
                   f"the most {what} can be.")
    if chart.lcl_computed is not None:
        out.append(f"The lower limit, {chart.lcl_computed:.4g} as computed, is clipped at {chart.lcl:g}{_unit(unit)}, "
                   f"the least {what} can be.")
    return out


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""


def with_rag(row: AttainmentRow, result: AttainmentResult, warnings: Sequence[str]) -> AttainmentRow:
    """The row coloured by the one rule the Verification page uses too (sltdesk/rules/at_risk.py)."""
    from dataclasses import replace

    return replace(row, rag=rag(result, warnings).value)


def breach_entries(contracts: Sequence[Contract], history, months: Sequence[str],
                   runs: dict[str, list[PeriodCredits]], trends: Sequence[TargetTrend]) -> list[BreachEntry]:
    """Every missed target-period of the window with its duration, incidents and business impact."""
    special = {(t.target_id, m) for t in trends for m in t.special_misses}
    out = []
    for c in contracts:
        by_period = {pc.period: pc for pc in runs.get(c.ref, [])}
        for target in history.targets[c.id]:
            for m in months:
                r = history.result(c.id, target.id, m)
                if r is None or r.met is not False:
                    continue
                impact, basis = _impact(by_period.get(m), target.id)
                out.append(BreachEntry(c.ref, target.id, target.name, m, r.achieved,
                                       f"{r.comparison.value} {r.threshold:f} {r.unit}", r.shortfall,
                                       _duration(history, c, target, m, r), _incidents(r), impact, basis,
                                       c.currency, (target.id, m) in special, r.achieved_text))
    return out


def _impact(credits: PeriodCredits | None, target_id: int) -> tuple[Decimal, str]:
    if credits is None:
        return Decimal(0), ""
    priced = [i.amount for i in credits.business_impact if i.target_id == target_id and i.amount is not None]
    if priced:
        return sum(priced, Decimal(0)), "business impact"
    credit = sum((ln.amount for ln in credits.lines if ln.target_id == target_id and ln.kind is LineKind.CREDIT),
                 Decimal(0))
    return (credit, "credit") if credit else (Decimal(0), "")


def _incidents(r) -> int:
    for key in ("missed", "outages", "intervals_bad"):
        if key in r.counts:
            return int(r.counts[key])
    return 0


def _duration(history, contract: Contract, target: ContractTarget, period: str, r) -> Decimal:
    """Minutes of downtime, of bad intervals, or by which the missed tickets overran their limit."""
    if "downtime_minutes" in r.counts:
        return Decimal(r.counts["downtime_minutes"])
    rule = history.rule(target.id)
    if "intervals_bad" in r.counts and rule is not None:
        return Decimal(int(r.counts["intervals_bad"]) * rule.interval_seconds) / 60
    evidence = history.evidence(contract.id, target, period)
    if rule is None or evidence is None or "elapsed_minutes" not in evidence or "met" not in evidence:
        return Decimal(0)
    judged = evidence["judged"] if "judged" in evidence else True
    late = evidence[(~evidence["met"].astype(bool)) & judged]
    over = (late["elapsed_minutes"].astype(float) - float(rule.limit_minutes)).clip(lower=0).sum()
    return Decimal(str(round(float(over), 2)))


def miss_histories(contracts: Sequence[Contract], history, periods: Sequence[str]) -> dict:
    """target id -> (contract, target, periods, met) over the contract's life within `periods`."""
    out = {}
    for c in contracts:
        for target in history.targets[c.id]:
            own = [p for p in periods if history.result(c.id, target.id, p) is not None]
            out[target.id] = (c.ref, target.name, own, [history.result(c.id, target.id, p).met for p in own])
    return out


def discrepancies(contracts: Sequence[Contract], history, months: Sequence[str], label: str) -> list[Discrepancy]:
    """The period's figures the vendor reports differently, and every flipped verdict in the window."""
    out = []
    for c in contracts:
        for target in history.targets[c.id]:
            for m in list(months) + ([label] if label not in months else []):
                r = history.result(c.id, target.id, m)
                if r is None or r.reported is None:
                    continue
                if r.met_flips or (m == label and r.difference not in (None, Decimal(0))):
                    out.append(Discrepancy(c.ref, target.name, m, r.achieved, r.reported, r.difference,
                                           r.met_flips, r.unit, r.achieved_text))
    return sorted(out, key=lambda d: (d.period != label, d.period, d.contract, d.target), reverse=False)


def quality(ws: Workspace, contracts: Sequence[Contract]) -> list[QualityLine]:
    """The findings of every import into the supplier's contracts (a line saying none where there were none)."""
    from sltdesk.services.imports import list_batches

    refs = {c.ref for c in contracts}
    order = {"error": 0, "warning": 1, "info": 2}
    out = []
    for b in sorted((b for b in list_batches(ws) if b.contract in refs), key=lambda b: (b.contract, b.kind, b.id)):
        stamp = b.imported_at[:10]
        if not b.findings:
            out.append(QualityLine(b.contract, b.file_name, b.kind, stamp, b.rows_read, b.rows_rejected, "", "",
                                   "no findings", None))
        for f in sorted(b.findings, key=lambda f: (order.get(f.severity.value, 3), f.row or 0, f.code)):
            out.append(QualityLine(b.contract, b.file_name, b.kind, stamp, b.rows_read, b.rows_rejected,
                                   f.severity.value, f.code, f.message, f.row))
    return out


def false_positive_lines(ws: Workspace, contracts: Sequence[Contract], months: Sequence[str]) -> list[FlagLine]:
    """The approved and pending false positives of the supplier's contracts in the pack's months, counted per
    month, contract, target and monitor (rejected flags are left out), busiest first within a month."""
    from sltdesk.domain.measurement import ExceptionStatus
    from sltdesk.services.false_positives import list_false_positives

    wanted = set(months)
    counts: dict[tuple[str, str, str, str], list] = {}
    for contract in contracts:
        with ws.unit_of_work() as uow:
            names = {stored_id(t): t.name for t in uow.records.list(ContractTarget, contract_id=stored_id(contract))}
        for flag, _evidence in list_false_positives(ws, stored_id(contract)):
            if flag.status not in (ExceptionStatus.APPROVED, ExceptionStatus.REQUESTED):
                continue
            month = (f"{datetime.fromtimestamp(flag.start, UTC):%Y-%m}" if flag.start else flag.requested_at[:7])
            if month not in wanted:
                continue
            target = names.get(flag.target_id, "") if flag.target_id is not None else "every target"
            monitor = flag.probe or f"{flag.subject.value}s"
            entry = counts.setdefault((month, contract.ref, target, monitor), [0, 0, []])
            entry[0 if flag.status is ExceptionStatus.APPROVED else 1] += 1
            entry[2].append(flag.ref)
    lines = [FlagLine(m, c, t, mon, a, p, ", ".join(refs)) for (m, c, t, mon), (a, p, refs) in counts.items()]
    return sorted(lines, key=lambda f: (f.period, -(f.approved + f.pending), f.contract, f.target, f.monitor))


def maturity(ws: Workspace, supplier_id: int) -> MaturityView | None:
    from sltdesk.services.questionnaire_outlook import supplier_outlook
    from sltdesk.services.questionnaires import scored

    history = [s for s in scored(ws, supplier_id=supplier_id) if s.card.overall is not None]
    if not history:
        return None
    latest = history[-1]
    same = [h for h in history[:-1] if h.template.name == latest.template.name]
    previous = same[-1] if same else None
    outlook = tuple((o.contract, o.target, o.prediction.probability, o.prediction.low, o.prediction.high,
                     o.prediction.explanation) for o in supplier_outlook(ws, supplier_id))
    return MaturityView(
        latest.assessment.assessed_on, f"{latest.template.title} v{latest.template.version}", latest.card.overall,
        latest.card.level, latest.card.level_name, previous.card.overall if previous else None,
        tuple((s.title, s.score) for s in latest.card.sections),
        tuple((s.title, s.score) for s in previous.card.sections) if previous else (),
        previous.assessment.assessed_on if previous else None,
        tuple(f"{f.code}: {f.text} (answered '{f.answer}')" for f in latest.card.red_flags), outlook)


def coverage(ws: Workspace, supplier_id: int) -> list[CoverageLine]:
    """Findings that involve the supplier: its own components' findings, gaps and shortfalls of its chains."""
    from sltdesk.services.coverage import coverage_report

    out = []
    for t in coverage_report(ws):
        mine = [comp for comp in t.components if any(v.supplier_id == supplier_id for v in comp.contract_targets)]
        if not mine:
            continue
        name = f"{t.name} ({t.target})"
        for comp in t.components:
            if comp.status.value != "covered" and (comp in mine or comp.status.value == "gap"):
                for finding in comp.findings or (comp.status.value,):
                    out.append(CoverageLine(t.service, name, comp.name, comp.status.value, finding))
        if t.shortfall:
            out.append(CoverageLine(t.service, name, "(whole chain)", "shortfall",
                                    f"the contracts compose to {t.composed} {t.unit}; {t.composition_note}"))
    return out


def plan_line(plan: ContingencyPlan, as_of: date) -> PlanLine:
    if plan.last_tested is None:
        return PlanLine(plan.title, plan.trigger, plan.failover_procedure, plan.manual_workaround, plan.owner, None,
                        None, True, "never tested: overdue")
    due = plan.last_tested + timedelta(days=plan.test_interval_days)
    overdue = due < as_of
    status = (f"test overdue by {(as_of - due).days} days (due {due.isoformat()})" if overdue
              else f"next test due {due.isoformat()}")
    return PlanLine(plan.title, plan.trigger, plan.failover_procedure, plan.manual_workaround, plan.owner,
                    plan.last_tested, due, overdue, status)


def summary(rows: Sequence[AttainmentRow], credits: Sequence[ContractCredits], due: Sequence[RootCauseDue],
            trends: Sequence[TargetTrend], plans: Sequence[PlanLine], label: str) -> Summary:
    totals: dict[str, list[Decimal]] = {}
    for c in credits:
        if c.credits is not None:
            t = totals.setdefault(c.currency, [Decimal(0)] * 3)
            t[0] += c.credits.total
            t[1] += c.issued or Decimal(0)
            t[2] += c.variance or Decimal(0)
    return Summary(len(rows), sum(r.met is True for r in rows), sum(r.met is False for r in rows),
                   sum(r.met is None for r in rows), sum(r.rag == "amber" for r in rows),
                   tuple(Totals(cur, *v) for cur, v in sorted(totals.items())),
                   tuple(top_issues(rows, credits, due, trends, plans, label)[:3]))


def top_issues(rows, credits, due, trends, plans, label: str) -> list[str]:
    """Issues in the order they deserve the meeting's time."""
    out = [f"{d.contract} {d.target} missed {len(d.run)} periods in a row ({d.run[0]} – {d.run[-1]}): "
           "the root-cause record is still open" for d in due if d.status == "open"]
    by_target = {t.target_id: t for t in trends}
    for r in (r for r in rows if r.met is False):
        t = by_target.get(r.target_id)
        kind = ("special cause (" + "; ".join(RULE_TEXT[x] for x in t.chart.rules_at(len(t.chart.labels) - 1))
                + ")") if t and label in t.special_misses else "within normal variation"
        out.append(f"{r.contract} {r.target} missed in {label}: {r.achieved_text} against {r.target_text}, {kind}")
    out += [f"{r.contract} {r.target}: the vendor reports {r.reported} ({'met' if r.reported_met else 'missed'}), "
            f"we measured {r.achieved_text} ({r.verdict})" for r in rows if r.flips]
    out += [f"{c.contract}: {format_money(c.variance, c.currency)} of credits still to be issued ({c.status})"
            for c in credits if c.variance and c.variance > 0]
    out += [f"Contingency plan '{p.title}': {p.status}" for p in plans if p.overdue]
    out += [f"{t.contract} {t.target}: early warning — {t.warnings[0]}" for t in trends if t.warnings]
    return out
