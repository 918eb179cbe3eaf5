"""The joint-review pack of a supplier and period, assembled once as a frozen PackView.

Attainment is measured once per contract for the whole window (`History`), and the penalty and
reconciliation services read it through the same object, so every figure in the pack comes from one
measurement and equals what `sltdesk attainment` and `sltdesk penalties` print for the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.penalties import PeriodCredits
from sltdesk.domain.period import Period, PeriodKind, shift, span
from sltdesk.domain.register import ContingencyPlan, Contract, ContractTarget, Supplier, SupplierContact
from sltdesk.domain.reviews import STANDARD_AGENDA, RootCause
from sltdesk.domain.stored import stored_id
from sltdesk.errors import SltDeskError
from sltdesk.rules.at_risk import WINDOW, warnings_at
from sltdesk.rules.breach_log import breach_log, root_causes_due
from sltdesk.rules.completeness import Completeness
from sltdesk.rules.negotiation import BASELINE_MONTHS, rolling_baseline
from sltdesk.services import pack_parts as parts
from sltdesk.services.action_effects import with_effects
from sltdesk.services.attainment import ContractData, attainment_history
from sltdesk.services.audit import audit_head
from sltdesk.services.indicators import contract_indicators
from sltdesk.services.pack_view import AttainmentRow, ContractLine, PackOptions, PackView
from sltdesk.services.ports import Workspace
from sltdesk.services.reviews import (
    BacklogItem,
    ReviewDetail,
    find_review,
    resolve_supplier,
    review_detail,
    supplier_actions,
    target_names,
)
from sltdesk.services.target_reviews import reviews_due

SCAN_MONTHS = 24  # how far back runs of misses are looked for (open root-cause items)
Progress = Callable[[int, str], None]


class PackError(SltDeskError):
    """The pack cannot be built as asked."""


class History:
    """Attainment of a supplier's contracts, measured once per contract for the pack's periods.

    Called like sltdesk.services.attainment.attainment_history, so the penalty services read the same
    figures; periods outside the window are measured on demand, in a run that ends with the pack's period.
    """

    def __init__(self, ws: Workspace, contracts: list[Contract], periods: list[str]):
        self.ws = ws
        self.last = periods[-1]
        self.data: dict[int, ContractData] = {}  # loaded when the raw rows behind a figure are asked for
        self.results: dict[tuple[int, int, str], AttainmentResult] = {}
        self.targets: dict[int, list[ContractTarget]] = {}
        self.periods: dict[int, list[str]] = {}
        self.rules: dict[int, MeasurementRule] = {}
        for contract in contracts:
            own = [p for p in periods if Period.parse(p).end > contract.start_date] or [self.last]
            contract_id = stored_id(contract)
            self.periods[contract_id] = own
            found = attainment_history(ws, contract_id, own)  # the stored results, where current
            with ws.unit_of_work() as uow:
                targets = {stored_id(t): t for t in uow.records.list(ContractTarget, contract_id=contract_id)}
                self.rules.update({r.target_id: r for t in targets
                                   for r in uow.records.list(MeasurementRule, target_id=t)})
            self.targets[contract_id] = [targets[tid] for tid in found]
            for tid, results in found.items():
                for p, r in zip(own, results, strict=True):
                    self.results[(contract_id, tid, p)] = r

    def __call__(self, ws: Workspace, contract_id: int, periods: list[str]) -> dict[int, list[AttainmentResult]]:
        targets = self.targets.get(contract_id)
        if targets is None:
            return attainment_history(ws, contract_id, periods)
        missing = sorted({p for p in periods for t in targets if (contract_id, stored_id(t), p) not in self.results},
                         key=Period.parse)
        if missing:  # measured in a run that ends with the pack's period, like `sltdesk penalties` does
            for tid, results in attainment_history(ws, contract_id, missing + [self.last]).items():
                for r in results:
                    self.results.setdefault((contract_id, tid, r.period), r)
        return {stored_id(t): [self.results[(contract_id, stored_id(t), p)] for p in periods] for t in targets}

    def result(self, contract_id: int, target_id: int, period: str) -> AttainmentResult | None:
        return self.results.get((contract_id, target_id, period))

    def rule(self, target_id: int) -> MeasurementRule | None:
        return self.rules.get(target_id)

    def evidence(self, contract_id: int, target: ContractTarget, period: str) -> pd.DataFrame | None:
        if contract_id not in self.periods:
            return None
        if contract_id not in self.data:
            self.data[contract_id] = ContractData.load(self.ws, contract_id, self.periods[contract_id])
        return self.data[contract_id].evidence(target, period)


@dataclass(frozen=True)
class PackInputs:
    """What the builder loaded: kept for the XLSX data set, which needs the raw rows behind the figures."""

    view: PackView
    history: History
    contracts: tuple[Contract, ...]
    credits: dict[str, list[PeriodCredits]]


def build_pack(ws: Workspace, options: PackOptions, *, progress: Progress | None = None) -> PackInputs:
    """Every number of the pack, computed once."""
    from sltdesk.services.gc_pause import cycle_collection_held
    from sltdesk.services.result_cache import one_read

    # the figures, their evidence and the leading indicators read the raw records once, and each contract's
    # fingerprint inputs once; the collector does not scan the process's heap again and again meanwhile
    with ws.shared_reads(), one_read(ws, bulk=False), cycle_collection_held():
        return _build(ws, options, progress)


def _build(ws: Workspace, options: PackOptions, progress: Progress | None) -> PackInputs:
    report = progress or (lambda _pct, _msg: None)
    label = _label(options.period)
    with ws.unit_of_work() as uow:
        supplier = resolve_supplier(uow, options.supplier)
        contracts = sorted(uow.records.list(Contract, supplier_id=supplier.id), key=lambda c: c.ref)
        plans = uow.records.list(ContingencyPlan, supplier_id=supplier.id)
        contacts = tuple(f"{c.name} ({c.role})" if c.role else c.name
                         for c in uow.records.list(SupplierContact, supplier_id=supplier.id))
        target_ids = [t.id for c in contracts for t in uow.records.list(ContractTarget, contract_id=c.id)]
        recorded = [r for r in uow.records.list(RootCause) if r.target_id in set(target_ids)]
    months = window_months(label, options.months)
    scan = window_months(label, max(SCAN_MONTHS, options.months))
    report(5, f"Measuring {len(contracts)} contracts of {supplier.name} over {len(scan)} months…")
    history = History(ws, contracts, scan + ([label] if label not in scan else []))
    review = find_review(ws, stored_id(supplier), label)
    detail = review_detail(ws, stored_id(review)) if review else None
    as_of = options.as_of or (review.held_on if review else Period.parse(label).end - timedelta(days=1))
    report(45, "Computing credits and reconciliation…")
    credits, runs = parts.contract_credits(ws, contracts, label, months, history, as_of)
    report(65, "Control charts, breaches, maturity and coverage…")
    trends = [parts.trend(c, t, months, history) for c in contracts for t in history.targets[stored_id(c)]]
    rag_window = window_months(label, WINDOW)  # the colour's warnings: the same window as on the Verification page
    rows = [parts.with_rag(_row(r, history), r, warnings_at(rag_window, [history.result(stored_id(c), r.target_id, m)
                                                                         for m in rag_window]))
            for c in contracts for r in _results(history, c, label)]
    entries = parts.breach_entries(contracts, history, months, runs, trends)
    due = root_causes_due(parts.miss_histories(contracts, history, scan), [(r.target_id, r.period, stored_id(r))
                                                                         for r in recorded])
    head = audit_head(ws)
    plan_lines = tuple(parts.plan_line(p, as_of) for p in sorted(plans, key=lambda p: p.title.casefold()))
    view = PackView(
        supplier=supplier.name, category=supplier.category.value, criticality=supplier.criticality.value,
        period=label, months=tuple(months), as_of=as_of, paper=options.paper, audit_entries=head.entries,
        audit_head=head.head, contracts=tuple(ContractLine(c.ref, c.title, c.currency, c.charges,
                                                           c.charges_period.value, c.owner) for c in contracts),
        review_id=review.id if review else None, review_title=review.title if review else "",
        held_on=review.held_on if review else None, attendees=detail.attendees if detail else (),
        contacts=contacts, summary=parts.summary(rows, credits, due, trends, plan_lines, label),
        attainment=tuple(rows), trends=tuple(trends), breaches=breach_log(entries), root_causes_due=tuple(due),
        root_causes=tuple(sorted(recorded, key=lambda r: (r.period, r.id or 0), reverse=True)),
        discrepancies=tuple(parts.discrepancies(contracts, history, months, label)),
        quality=tuple(parts.quality(ws, contracts)), credits=tuple(credits),
        maturity=parts.maturity(ws, stored_id(supplier)), coverage=tuple(parts.coverage(ws, stored_id(supplier))),
        backlog=_backlog(ws, supplier, detail, months[-1]),
        effects=_effects(ws, supplier, months[-1]),
        indicators=tuple(contract_indicators(ws, c.ref, last=months[-1]) for c in contracts), plans=plan_lines,
        decisions=detail.decisions if detail else (),
        notes=tuple((item, detail.note(item)) for item in STANDARD_AGENDA if detail and detail.note(item)),
        false_positives=tuple(parts.false_positive_lines(ws, contracts, months)),
        target_reviews=tuple(reviews_due(ws, as_of=as_of, contract_ids={stored_id(c) for c in contracts}, results={
            stored_id(c): {stored_id(t): [history.result(stored_id(c), stored_id(t), m) for m in scan]
                           for t in history.targets[stored_id(c)]} for c in contracts})))
    report(80, "Pack figures ready.")
    return PackInputs(view, history, tuple(contracts), runs)


def pack_view(ws: Workspace, options: PackOptions, *, progress: Progress | None = None) -> PackView:
    return build_pack(ws, options, progress=progress).view


def _effects(ws: Workspace, supplier: Supplier, last: str) -> tuple[BacklogItem, ...]:
    """The supplier's done actions linked to a target, each with its before/after test up to `last`."""
    from sltdesk.domain.reviews import ActionStatus

    names = target_names(ws, stored_id(supplier))
    done = [BacklogItem(a, False, names.get(a.target_id, "")) for a in supplier_actions(ws, stored_id(supplier))
            if a.status is ActionStatus.DONE and a.target_id is not None]
    return tuple(sorted(with_effects(ws, tuple(done), last=last), key=lambda i: i.action.id or 0))


def window_months(label: str, months: int) -> list[str]:
    """The `months` months ending with the period's last month, oldest first."""
    end = Period.parse(label).end
    last = shift(f"{end.year}-{end.month:02d}", -1)
    return span(shift(last, -(months - 1)), last)


def _label(period: str) -> str:
    try:
        parsed = Period.parse(period)
    except ValueError as error:
        raise PackError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None
    if parsed.kind is PeriodKind.YEAR:
        raise PackError("A review pack is for a month or a quarter, e.g. 2026-09 or 2026-Q3.")
    return parsed.label


def _results(history: History, contract: Contract, label: str) -> list[AttainmentResult]:
    return [r for t in history.targets[stored_id(contract)]
            for r in [history.result(stored_id(contract), stored_id(t), label)] if r is not None]


def _row(r: AttainmentResult, history: History | None = None) -> AttainmentRow:
    """One term of the table: a service level with a core-hours tier is one row with both verdicts; its verdict
    is the level's (missed when either tier is), and a seasonal threshold says so."""
    tier = _row(r.tier) if r.tier is not None else None
    explanation = "; ".join(p for p in (r.explanation, r.threshold_note.capitalize(),
                                        f"core hours: {r.tier.explanation}" if r.tier is not None else "") if p)
    return AttainmentRow(r.contract_ref, r.target_id, r.target, r.metric.value, r.comparison, r.threshold, r.unit,
                         r.achieved, r.level_met, r.reported, r.reported_met, r.difference, r.met_flips, "grey",
                         explanation, r.error_budget, r.completeness,
                         _baseline(r, history) if history is not None else None, tier=tier,
                         season="in season" if r.threshold_note else "")


def _baseline(r: AttainmentResult, history: History) -> Decimal | None:
    """The rolling baseline beside the threshold: from the BASELINE_MONTHS complete months before the period
    (a monthly target; a quarter's rows take the months before the quarter)."""
    start = Period.parse(r.period).start
    first = f"{start.year:04d}-{start.month:02d}"
    before = [history.result(r.contract_id, r.target_id, shift(first, -k)) for k in range(BASELINE_MONTHS, 0, -1)]
    figures = [x.achieved if x is not None and x.completeness == Completeness.COMPLETE else None for x in before]
    return rolling_baseline(figures, comparison=r.comparison)


def _backlog(ws: Workspace, supplier: Supplier, detail: ReviewDetail | None, last: str) -> tuple[BacklogItem, ...]:
    """The review's backlog; without a review, the supplier's open actions."""
    if detail is not None:
        items = list(detail.backlog)
    else:
        names = target_names(ws, stored_id(supplier))
        items = [BacklogItem(a, True, names.get(a.target_id, "") if a.target_id is not None else "")
                 for a in supplier_actions(ws, stored_id(supplier), open_only=True)]
    order = {"open": 0, "in progress": 1, "done": 2, "dropped": 3}
    # did the done ones work: their figures up to the pack's period, so a pack printed later reads the same
    items = list(with_effects(ws, tuple(items), last=last))
    return tuple(sorted(items, key=lambda i: (order[i.action.status.value], i.action.due_on is None,
                                              i.action.due_on or date.min, i.action.id or 0)))
