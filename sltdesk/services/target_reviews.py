"""Review cycles of targets (sltdesk/rules/target_reviews.py): which reviews are due, with the volumes measured
from the imported data and the technology refreshes recorded on the services each target serves (through the
mapping: contract target → component → end-to-end target → service). The attention list and the pack show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.mapping import Component, ComponentMapping, EndToEndTarget
from sltdesk.domain.period import Period, months_between, shift
from sltdesk.domain.register import Contract, ContractTarget, Service
from sltdesk.domain.reviews import TechnologyRefresh
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, ValidationError
from sltdesk.rules.target_reviews import ReviewDue, in_cycle, review_due
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.retry import retry_when_busy

Results = Mapping[int, Mapping[int, Sequence[AttainmentResult | None]]]  # contract id -> target id -> its periods


def reviews_due(ws: Workspace, *, as_of: date, results: Results,
                contract_ids: set[int] | None = None) -> list[ReviewDue]:
    """The targets whose review is due by `as_of` (or within the rule's 30 days), earliest first; the volumes are
    read from `results` (the periods the caller measured, e.g. the attention list's)."""
    with ws.unit_of_work() as uow:
        contracts = {stored_id(c): c for c in uow.records.list(Contract)}
        targets = [t for t in uow.records.list(ContractTarget) if in_cycle(t)
                   and (contract_ids is None or t.contract_id in contract_ids)]
        refreshes = _refreshes_by_target(uow) if targets else {}
    out = []
    for target in targets:
        series = results.get(target.contract_id, {}).get(stored_id(target), ())
        volumes, unit = _volumes(series)
        due = review_due(target, contracts[target.contract_id], as_of=as_of, volumes=volumes, volume_unit=unit,
                         refreshes=refreshes.get(stored_id(target), []))
        if due is not None:
            out.append(due)
    return sorted(out, key=lambda d: (d.due, d.contract, d.target))


def due_reviews(ws: Workspace, *, as_of: date, months: int = 12) -> list[ReviewDue]:
    """`reviews_due` with the volumes of the last `months` full months before `as_of` (`sltdesk target-reviews`)."""
    from sltdesk.services.attainment import attainment_history

    last = shift(Period.month(as_of.year, as_of.month).label, -1)
    periods = months_between(shift(last, 1 - months), last)
    with ws.unit_of_work() as uow:
        ids = sorted({t.contract_id for t in uow.records.list(ContractTarget) if in_cycle(t)})
    stamp = int(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC).timestamp())
    results: dict[int, dict[int, list[AttainmentResult | None]]] = {
        cid: {tid: list(rs) for tid, rs in attainment_history(ws, cid, periods, as_of=stamp).items()} for cid in ids}
    return reviews_due(ws, as_of=as_of, results=results)


def _volumes(series: Sequence[AttainmentResult | None]) -> tuple[list[tuple[str, int | None]], str]:
    """Each period's volume: the tickets a ticket target counted, or the requests of a sampled one."""
    out: list[tuple[str, int | None]] = []
    unit = "tickets"
    for r in series:
        if r is None:
            continue
        counts = r.counts
        if "tickets" in counts:
            out.append((r.period, int(counts["tickets"])))
        elif "requests" in counts:
            unit = "requests"
            out.append((r.period, int(counts["requests"])))
        else:
            out.append((r.period, None))
    return out, unit


def _refreshes_by_target(uow: UnitOfWork) -> dict[int, list[tuple[date, str]]]:
    services = {stored_id(s): s.name for s in uow.records.list(Service)}
    e2e = {stored_id(t): t.service_id for t in uow.records.list(EndToEndTarget)}
    components = {stored_id(c): c.target_id for c in uow.records.list(Component)}
    by_service: dict[int, list[tuple[date, str]]] = {}
    for r in uow.records.list(TechnologyRefresh):
        what = services.get(r.service_id, "?") + (f" ({r.description})" if r.description else "")
        by_service.setdefault(r.service_id, []).append((r.refreshed_on, what))
    out: dict[int, list[tuple[date, str]]] = {}
    for m in uow.records.list(ComponentMapping):
        service = e2e.get(components.get(m.component_id, -1), -1)
        for found in by_service.get(service, []):
            if found not in out.setdefault(m.contract_target_id, []):
                out[m.contract_target_id].append(found)
    return out


@retry_when_busy
def record_technology_refresh(ws: Workspace, service: str, *, on: date, description: str = "") -> TechnologyRefresh:
    """Record a technology refresh of a business service (audited): the targets it reaches are due for review."""
    with ws.unit_of_work() as uow:
        match = [s for s in uow.records.list(Service) if s.name.casefold() == service.strip().casefold()]
        if not match:
            raise NotFoundError(f"There is no service '{service}'; check the spelling.")
        if not description.strip():
            raise ValidationError({"description": "Say what was refreshed (e.g. 'new ITSM platform')."})
        stored = uow.records.add(TechnologyRefresh(stored_id(match[0]), on, description.strip()))
        append_audit(ws, uow, action="create", entity="technology_refresh", entity_id=stored.id, before=None,
                     after=to_plain(stored))
        uow.commit()
    return stored
