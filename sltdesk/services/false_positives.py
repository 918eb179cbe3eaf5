"""False positives: an outage, a ticket, a span of bad intervals or one target's whole breach in a period flagged as
raised without a real effect, requested with evidence, approved or rejected by someone else, all audited (as force-
majeure requests are).

An approved flag counts as good (sltdesk/rules/false_positives.py); a pending or rejected one changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC

from sltdesk.domain.measurement import FalsePositive, FlagSubject
from sltdesk.domain.period import Period
from sltdesk.domain.raw_records import RawOutage
from sltdesk.domain.register import Contract, ContractTarget, MetricKind, ServiceCalendar
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, ValidationError
from sltdesk.services.audit import append_audit
from sltdesk.services.exceptions import SelfApprovalError, decision, store_evidence
from sltdesk.services.imports import period_bounds
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy

__all__ = ["FlagRequest", "OutageChoice", "SelfApprovalError", "decide_false_positive", "list_false_positives",
           "outage_choices", "request_false_positive", "flag_number"]


@dataclass(frozen=True)
class FlagRequest:
    """What to flag: an outage (its stored record number or the vendor's id), a ticket id, a span, or a breach
    (the period it was missed in, as `reference`, with the target)."""

    subject: FlagSubject
    reason: str
    reference: str = ""
    start: int = 0  # a span: UTC epoch seconds
    end: int = 0
    probe: str = ""
    target_id: int | None = None


def _now(ws: Workspace) -> str:
    return ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def flag_number(text: str) -> int:
    """'FP-3' or '3' -> 3 (ValueError otherwise)."""
    digits = text.upper().removeprefix("FP-").strip()
    if not digits.isdigit():
        raise ValueError(f"'{text}' is not a false-positive number such as FP-3")
    return int(digits)


def _outage(uow: UnitOfWork, contract_id: int, reference: str) -> tuple[str, str, int, int]:
    """(stored record number, the vendor's id, start, end) of the contract's outage named by its record number
    ('12' or '#12') or its vendor id ('PF-INC-0042')."""
    wanted = reference.strip().removeprefix("#")
    for number, _batch, outage in uow.raw.records(RawOutage, contract_id=contract_id):
        if str(number) == wanted or (outage.outage_id and outage.outage_id == reference.strip()):
            return str(number), outage.outage_id or "", int(outage.start_at), int(outage.end_at)
    raise ValidationError({"outage": f"The contract has no stored outage '{reference}' (give the outage's number "
                                     "as the evidence table shows it, or the vendor's own id)."})


def _zone(uow: UnitOfWork, contract_id: int, target_id: int | None, period: Period) -> str:
    """The time zone the target's periods are measured in (its calendar's; UTC without one); the breach's period
    must be one of the target's (a month for a monthly target: a quarter would set aside three of them)."""
    target = uow.records.get(ContractTarget, target_id) if target_id is not None else None
    if target is None or target.contract_id != contract_id:
        raise ValidationError({"target": "The contract has no such target."})
    if period.kind.value != target.measurement_period.value:
        raise ValidationError({"period": f"'{target.name}' is measured per {target.measurement_period.value}: "
                                         f"name one {target.measurement_period.value}, not the "
                                         f"{period.kind.value} {period.label}."})
    if target.metric is MetricKind.CYCLE_TIME_PERCENTILE:
        raise ValidationError({"target": f"'{target.name}' is a cycle-time percentile: a whole period of it cannot "
                                         "be flagged; flag the tickets that should not count instead."})
    calendar = uow.records.get(ServiceCalendar, target.calendar_id) if target.calendar_id is not None else None
    return calendar.timezone if calendar else "UTC"


@retry_when_busy
def request_false_positive(ws: Workspace, *, contract: Contract, request: FlagRequest,
                           evidence: Sequence[tuple[str, bytes]] = ()) -> FalsePositive:
    """File a flag (status 'requested'); evidence files are stored in the workspace with their SHA-256."""
    if not request.reason.strip():
        raise ValidationError({"reason": "Say why it had no real effect: the reason is required."})
    if request.subject is FlagSubject.SPAN and request.end <= request.start:
        raise ValidationError({"end": "The span must end after it starts."})
    if request.subject is FlagSubject.BREACH:
        if request.target_id is None:
            raise ValidationError({"target": "A breach is one target's miss: name the target."})
        try:
            Period.parse(request.reference)
        except ValueError as error:
            raise ValidationError({"period": f"Name the period the target was missed in: {error}"}) from None
    elif request.subject is not FlagSubject.SPAN and not request.reference.strip():
        raise ValidationError({"reference": f"Name the {request.subject.value} to flag."})
    contract_id = stored_id(contract)
    flag = FalsePositive(contract_id=contract_id, subject=request.subject, reason=request.reason.strip(),
                         requested_by=ws.user, requested_at=_now(ws), probe=request.probe.strip(),
                         target_id=request.target_id)
    with ws.unit_of_work() as uow:
        if request.subject is FlagSubject.OUTAGE:
            number, label, start, end = _outage(uow, contract_id, request.reference)
            flag = replace(flag, reference=number, label=label, start=start, end=end)
        elif request.subject is FlagSubject.TICKET:
            flag = replace(flag, reference=request.reference.strip())
        elif request.subject is FlagSubject.BREACH:
            period = Period.parse(request.reference)
            label = period.label
            start, end = period_bounds(label, _zone(uow, contract_id, request.target_id, period))
            flag = replace(flag, reference=label, start=start, end=end)
        else:
            flag = replace(flag, start=request.start, end=request.end)
        stored = uow.records.add(flag)
        files = store_evidence(ws, uow.flag_evidence, stored_id(stored), evidence)
        append_audit(ws, uow, action="request-false-positive", entity="false_positive", entity_id=stored.id,
                     before=None, after={**to_plain(stored), "evidence": files})
        uow.commit()
    after_write(ws, [contract_id])  # a pending flag changes no figure, but it is part of the results' inputs
    return stored


@dataclass(frozen=True)
class OutageChoice:
    """A stored outage the flag dialog offers: its number (as the evidence table shows it), the vendor's id."""

    number: int
    label: str
    start: int  # UTC epoch seconds
    end: int
    service: str

    @property
    def minutes(self) -> int:
        return (self.end - self.start) // 60


def outage_choices(ws: Workspace, contract_id: int) -> list[OutageChoice]:
    """The contract's stored outages, newest first (what a flag on an outage can name)."""
    with ws.unit_of_work() as uow:
        found = [OutageChoice(number, o.outage_id or "", int(o.start_at), int(o.end_at), o.service or "")
                 for number, _batch, o in uow.raw.records(RawOutage, contract_id=contract_id)]
    return sorted(found, key=lambda o: (-o.start, o.number))


@retry_when_busy
def decide_false_positive(ws: Workspace, flag_id: int, *, approve: bool, note: str = "") -> FalsePositive:
    """Approve or reject a pending flag; the requester cannot decide their own."""
    with ws.unit_of_work() as uow:
        current = uow.records.get(FalsePositive, flag_id)
        if current is None:
            raise NotFoundError(f"There is no false positive FP-{flag_id}.")
        decided = uow.records.update(decision(ws, current, f"FP-{flag_id}", approve=approve, note=note))
        append_audit(ws, uow, action="approve-false-positive" if approve else "reject-false-positive",
                     entity="false_positive", entity_id=flag_id, before=to_plain(current), after=to_plain(decided))
        uow.commit()
    after_write(ws, [decided.contract_id])
    return decided


def list_false_positives(ws: Workspace, contract_id: int | None = None) -> list[tuple[FalsePositive, list[dict]]]:
    """Every flag (of one contract, or all) with its evidence files."""
    with ws.unit_of_work() as uow:
        found = uow.records.list(FalsePositive, **({"contract_id": contract_id} if contract_id else {}))
        return [(f, uow.flag_evidence.listing(stored_id(f))) for f in found]
