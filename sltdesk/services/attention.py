"""The attention list and heat map of the Dashboard and `sltdesk attention`, across the portfolio.

Nothing here computes a figure of its own: targets missed, early warnings, incomplete periods and the heat map
read the per-period results (`results_over`, the same the Verification grid and the pack read); credits come
from the reconciliation board; notice deadlines from the renewal alerts; overdue tests from the pack's plan
lines; root causes due from the breach log's rule; target reviews due from their review cycle (the volumes from the
same results). Attainment is measured once per contract, judged as of the
start (00:00 UTC) of the day asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.money import format_money
from sltdesk.domain.period import Period, shift, span
from sltdesk.domain.reconciliation import ClaimStatus, ReconciledPeriod
from sltdesk.domain.register import ContingencyPlan, Contract, ContractTarget, Supplier
from sltdesk.domain.results import Status, TargetPeriodResult
from sltdesk.domain.reviews import ImprovementAction, RootCause
from sltdesk.domain.stored import stored_id
from sltdesk.rules.attention import (
    AttentionItem,
    HeatRow,
    Kind,
    Place,
    Urgency,
    deadline_urgency,
    heat_cell,
    lapsed_recently,
    overdue_text,
    ranked,
)
from sltdesk.rules.breach_log import root_causes_due
from sltdesk.rules.reconciliation import WARN_DAYS
from sltdesk.rules.renewals import days_text, renewal_alerts
from sltdesk.services.pack_parts import plan_line
from sltdesk.services.ports import Workspace
from sltdesk.services.reconciliation import board
from sltdesk.services.reference_date import reference_date
from sltdesk.services.result_cache import one_read, stored_history
from sltdesk.services.results import results_over
from sltdesk.services.target_reviews import reviews_due

HORIZON_DAYS = 90  # notice deadlines and contract ends this far ahead
NOTICE_SOON_DAYS = 30
HEAT_MONTHS = 12  # the heat map's months, ending with the last full month
SCAN_MONTHS = 24  # how far back runs of misses are looked for (as the review pack does)
LOOK_BACK = 3  # a target whose last month has no verdict is read in its latest judged month this far back
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class AttentionView:
    as_of: date
    from_reference: bool  # as_of is the workspace's stored reference date (the demo's), not today
    last_period: str  # the last full month before as_of
    items: tuple[AttentionItem, ...]
    months: tuple[str, ...]
    heat: tuple[HeatRow, ...]


class MeasuredOnce:
    """attainment_history judged as of one instant, each contract-period measured once (a HistoryFn)."""

    def __init__(self, as_of: int):
        self.as_of = as_of
        self.results: dict[tuple[int, str], dict[int, AttainmentResult]] = {}
        self.targets: dict[int, list[int]] = {}

    def __call__(self, ws: Workspace, contract_id: int, periods: list[str]) -> dict[int, list[AttainmentResult]]:
        missing = [p for p in dict.fromkeys(periods) if (contract_id, p) not in self.results]
        if missing or contract_id not in self.targets:
            # attainment_history is stored_history; called here by the latter's name, so that reading the stored
            # results does not import the measurement (pandas, numpy) until a result has to be measured
            found = stored_history(ws, contract_id, missing or list(periods[:1]), as_of=self.as_of)
            self.targets.setdefault(contract_id, list(found))
            for p in missing:
                self.results[(contract_id, p)] = {}
            for target_id, results in found.items():
                for r in results:
                    self.results[(contract_id, r.period)][target_id] = r
        return {t: [self.results[(contract_id, p)][t] for p in periods] for t in self.targets[contract_id]}


def default_as_of(ws: Workspace, today: date) -> tuple[date, bool]:
    """The workspace's reference date when it has one (the demo), else today; and whether it was the former."""
    stored = reference_date(ws)
    return (stored, True) if stored is not None else (today, False)


def attention(ws: Workspace, *, as_of: date | None = None, today: date, progress: Progress | None = None
              ) -> AttentionView:
    """Everything that needs attention on `as_of` (default: the reference date, else today), most urgent first."""
    report = progress or (lambda _pct, _msg: None)
    from_reference = False
    if as_of is None:
        as_of, from_reference = default_as_of(ws, today)
    last = shift(Period.month(as_of.year, as_of.month).label, -1)
    months = span(shift(last, -(HEAT_MONTHS - 1)), last)
    scan = span(shift(last, -(SCAN_MONTHS - 1)), last)
    history = MeasuredOnce(int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp()))
    with ws.unit_of_work() as uow:
        suppliers = {stored_id(s): s.name for s in uow.records.list(Supplier)}
        contracts = sorted(uow.records.list(Contract), key=lambda c: c.ref)
        names = {stored_id(t): t.name for t in uow.records.list(ContractTarget)}
        actions = uow.records.list(ImprovementAction)
        plans = uow.records.list(ContingencyPlan)
        recorded = [(r.target_id, r.period, stored_id(r)) for r in uow.records.list(RootCause)]
    supplier_of = {c.ref: suppliers.get(c.supplier_id, "") for c in contracts}
    figures: dict[int, dict[int, list[AttainmentResult]]] = {}  # every month scanned for runs of misses
    results: dict[int, dict[int, list[TargetPeriodResult]]] = {}  # the heat map's months, judged
    with one_read(ws):  # every contract's fingerprint inputs and stored results loaded once
        for index, contract in enumerate(contracts):
            report(5 + 60 * index // max(len(contracts), 1), f"Reading the results of {contract.ref}…")
            # The runs of misses and the volumes read the figures alone; the months shown are judged too (a status,
            # with the early warnings of the WINDOW months up to each), from the same figures (read once).
            figures[stored_id(contract)] = history(ws, stored_id(contract), scan)
            results[stored_id(contract)] = results_over(ws, stored_id(contract), months, history=history)
        report(70, "Reading the reconciliation board…")
        rows = board(ws, history=history, today=as_of, first=months[0], last=last).rows
    items = [*_notices(contracts, supplier_of, as_of), *_claims(rows, as_of),
             *_actions(actions, suppliers, names, as_of), *_plans(plans, suppliers, as_of)]
    for contract in contracts:
        items += _verdicts(contract, supplier_of[contract.ref], results[stored_id(contract)], months, last)
        items += _incomplete(contract, supplier_of[contract.ref], results[stored_id(contract)], months, last)
    items += _root_causes(contracts, supplier_of, figures, scan, recorded)
    items += _target_reviews(ws, contracts, supplier_of, figures, as_of)
    report(95, "Drawing the heat map…")
    heat = _heat(contracts, suppliers, results, months)
    return AttentionView(as_of, from_reference, last, tuple(ranked(items)), tuple(months), heat)


def _notices(contracts: list[Contract], supplier_of: dict[str, str], as_of: date) -> Iterable[AttentionItem]:
    for alert in renewal_alerts(contracts, today=as_of, horizon_days=HORIZON_DAYS):
        kind = Kind.NOTICE if alert.kind == "notice deadline" else Kind.CONTRACT_END
        yield AttentionItem(kind, deadline_urgency(alert.days_left, soon_days=NOTICE_SOON_DAYS), alert.sentence,
                            Place.CONTRACTS, supplier_of.get(alert.contract_ref, ""), alert.contract_ref,
                            alert.contract_id or None, record_id=alert.contract_id or None, due=alert.due,
                            days_left=alert.days_left, red=alert.passed)


def _claims(rows: Iterable[ReconciledPeriod], as_of: date) -> Iterable[AttentionItem]:
    for r in rows:
        owed = r.variance
        base: dict[str, Any] = dict(  # the fields every item of the row shares
            place=Place.RECONCILIATION, supplier=r.supplier, contract=r.contract, contract_id=r.contract_id,
            period=r.period, due=r.claim_deadline, days_left=r.days_left, amount=owed, currency=r.currency)
        money = format_money(owed, r.currency)
        if r.status is ClaimStatus.TO_CLAIM and owed > 0:
            left = r.days_left
            when = f"by {r.claim_deadline:%d %b %Y} ({days_text(left)})" if left is not None else \
                "(the contract sets no claim deadline)"
            urgency = Urgency.OPEN if left is None or left > WARN_DAYS else deadline_urgency(left, soon_days=WARN_DAYS)
            yield AttentionItem(Kind.CLAIM, urgency, f"{r.contract} {r.period}: claim {money} {when}.",
                                red=left is not None and left <= WARN_DAYS, **base)
        elif r.status is ClaimStatus.EXPIRED and owed > 0 and (r.claim is None or r.claim.claimed_on is None) \
                and r.claim_deadline is not None and lapsed_recently(r.claim_deadline, today=as_of):
            ago = (as_of - r.claim_deadline).days
            yield AttentionItem(Kind.CLAIM_LAPSED, Urgency.OVERDUE,
                                f"{r.contract} {r.period}: the claim window closed on {r.claim_deadline:%d %b %Y} "
                                f"({ago} day{'s' if ago != 1 else ''} ago); {money} was not claimed.", red=True,
                                **base)
        elif r.status is ClaimStatus.DISPUTED:
            why = "; ".join(r.warnings) or "disputed"
            yield AttentionItem(Kind.DISPUTED, Urgency.OPEN, f"{r.contract} {r.period}: credit note disputed — {why}.",
                                **(base | {"days_left": None}))


def _actions(actions: list[ImprovementAction], suppliers: dict[int, str], names: dict[int, str],
             as_of: date) -> Iterable[AttentionItem]:
    for a in actions:
        if a.due_on is None or not a.overdue(as_of):
            continue
        late = (as_of - a.due_on).days
        owner = f", owner {a.owner}" if a.owner else ""
        about = f" ({names[a.target_id]})" if a.target_id in names else ""
        yield AttentionItem(Kind.ACTION, Urgency.OVERDUE,
                            f"{a.ref} {suppliers.get(a.supplier_id, '')}{about}: “{a.text}” was due on "
                            f"{a.due_on:%d %b %Y} ({overdue_text(late)}{owner}).", Place.REVIEWS,
                            suppliers.get(a.supplier_id, ""), record_id=a.id, target_id=a.target_id,
                            due=a.due_on, days_left=-late, red=True)


def _plans(plans: list[ContingencyPlan], suppliers: dict[int, str], as_of: date) -> Iterable[AttentionItem]:
    for plan in plans:
        line = plan_line(plan, as_of)
        if not line.overdue:
            continue
        late = (as_of - line.next_test_due).days if line.next_test_due else None
        yield AttentionItem(Kind.PLAN_TEST, Urgency.OVERDUE,
                            f"{suppliers.get(plan.supplier_id, '')}: the contingency plan “{plan.title}” — "
                            f"{line.status}.", Place.CONTINGENCY, suppliers.get(plan.supplier_id, ""),
                            record_id=plan.id, due=line.next_test_due, days_left=-late if late is not None else None,
                            red=True)


def _latest_judged(series: list[TargetPeriodResult], months: list[str], last: str) -> TargetPeriodResult | None:
    """The result of the last full month, or of the latest month with a verdict up to LOOK_BACK months before."""
    end = months.index(last)
    for r in reversed(series[max(0, end - LOOK_BACK + 1):end + 1]):
        if r.status in (Status.MET, Status.AT_RISK, Status.MISSED):
            return r
    return None


def _verdicts(contract: Contract, supplier: str, results: dict[int, list[TargetPeriodResult]], months: list[str],
              last: str) -> Iterable[AttentionItem]:
    for series in results.values():
        r = _latest_judged(series, months, last)
        if r is None:
            continue
        a = r.attainment
        base: dict[str, Any] = dict(place=Place.VERIFICATION, supplier=supplier, contract=contract.ref,
                                    contract_id=contract.id, target_id=a.target_id, period=a.period)
        against = f"{a.comparison.value} {a.threshold} {a.unit}".rstrip()
        if r.status is Status.MISSED:
            yield AttentionItem(Kind.MISSED, Urgency.OPEN, f"{contract.ref} {a.target}: missed in {a.period} — "
                                f"{a.achieved_text} {a.unit} against {against}.".replace("  ", " "), red=True, **base)
        elif a.warnings:
            yield AttentionItem(Kind.WARNING, Urgency.WATCH, f"{contract.ref} {a.target} ({a.period}, still met): "
                                + "; ".join(a.warnings) + ".", **base)


def _incomplete(contract: Contract, supplier: str, results: dict[int, list[TargetPeriodResult]],
                months: list[str], last: str) -> Iterable[AttentionItem]:
    for period in months:
        found = [r.attainment for series in results.values() for r in series
                 if r.period == period and r.status is Status.INCOMPLETE]
        if not found:
            continue
        nothing = all(a.coverage.startswith("no ") and " imported for " in a.coverage for a in found)
        targets = ", ".join(a.target for a in found)
        what = "; ".join(dict.fromkeys(a.coverage for a in found))
        if nothing:
            what = f"no data imported for {period}" + (" (last month)" if period == last else "")
        yield AttentionItem(Kind.INCOMPLETE, Urgency.OPEN if period == last else Urgency.WATCH,
                            f"{contract.ref} {period}: incomplete — {what} ({targets}); import the vendor's files "
                            "or mark the period complete as imported.", Place.VERIFICATION, supplier, contract.ref,
                            contract.id, found[0].target_id, period, no_data=nothing)


def _root_causes(contracts: list[Contract], supplier_of: dict[str, str],
                 figures: dict[int, dict[int, list[AttainmentResult]]], scan: list[str],
                 recorded: list[tuple[int, str, int]]) -> Iterable[AttentionItem]:
    histories = {}
    ids = {}
    for contract in contracts:
        for target_id, series in figures[stored_id(contract)].items():
            name = series[0].target if series else ""
            histories[target_id] = (contract.ref, name, scan, [r.met for r in series])
            ids[target_id] = contract.id
    for due in root_causes_due(histories, recorded):
        if due.status != "open":
            continue
        yield AttentionItem(Kind.ROOT_CAUSE, Urgency.OPEN,
                            f"{due.contract} {due.target}: missed {len(due.run)} months in a row ({due.run[0]} – "
                            f"{due.run[-1]}) and no root-cause record yet.", Place.VERIFICATION,
                            supplier_of.get(due.contract, ""), due.contract, ids[due.target_id], due.target_id,
                            due.run[-1])


def _target_reviews(ws: Workspace, contracts: list[Contract], supplier_of: dict[str, str],
                    figures: dict[int, dict[int, list[AttainmentResult]]], as_of: date) -> Iterable[AttentionItem]:
    ids = {c.ref: c.id for c in contracts}
    for due in reviews_due(ws, as_of=as_of, results=figures):
        left = (due.due - as_of).days
        yield AttentionItem(Kind.TARGET_REVIEW, deadline_urgency(left, soon_days=NOTICE_SOON_DAYS),
                            due.sentence(as_of), Place.CONTRACTS, supplier_of.get(due.contract, ""), due.contract,
                            ids.get(due.contract), due.target_id, record_id=ids.get(due.contract), due=due.due,
                            days_left=left, red=left < 0)


def _heat(contracts: list[Contract], suppliers: dict[int, str], results: dict[int, dict[int, list[TargetPeriodResult]]],
          months: list[str]) -> tuple[HeatRow, ...]:
    rows = []
    for supplier_id, name in sorted(suppliers.items(), key=lambda s: s[1].casefold()):
        own = [c for c in contracts if c.supplier_id == supplier_id]
        cells = []
        for index, period in enumerate(months):
            cells.append(heat_cell(period, [(stored_id(c), tid, series[index].attainment.target, series[index].status)
                                            for c in own for tid, series in results[stored_id(c)].items()]))
        if any(cell.heat for cell in cells):
            rows.append(HeatRow(name, tuple(cells)))
    return tuple(rows)


def money_text(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else format_money(amount, currency)
