"""Force-majeure exceptions: requested with evidence, approved or rejected by someone else, all audited."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC
from typing import TypeVar

from sltdesk.domain.measurement import ExceptionStatus, FalsePositive, ForceMajeure
from sltdesk.domain.register import Contract
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, SltDeskError, ValidationError
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import EvidenceRepository, Workspace
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy


class SelfApprovalError(SltDeskError):
    """The requester of an exception (or a false positive) tried to decide it."""


Request = TypeVar("Request", ForceMajeure, FalsePositive)


def store_evidence(ws: Workspace, repository: EvidenceRepository, owner_id: int,
                   evidence: Sequence[tuple[str, bytes]]) -> list[dict]:
    """Keep each evidence file in the workspace with its SHA-256; what the audit entry lists of them."""
    files = []
    for name, content in evidence:
        digest = hashlib.sha256(content).hexdigest()
        repository.add(exception_id=owner_id, file_name=name, sha256=digest, content=content, added_by=ws.user,
                       added_at=_now(ws))
        files.append({"file": name, "sha256": digest, "bytes": len(content)})
    return files


def decision(ws: Workspace, current: Request, ref: str, *, approve: bool, note: str) -> Request:
    """A pending request approved or rejected by this user; refused once decided, and to the one who asked."""
    if current.status is not ExceptionStatus.REQUESTED:
        raise SltDeskError(f"{ref} was {current.status.value} already by {current.decided_by}.")
    if current.requested_by == ws.user:
        raise SelfApprovalError(f"{ws.user} requested {ref} and so cannot decide it; another person must approve or "
                                "reject it.")
    return replace(current, status=ExceptionStatus.APPROVED if approve else ExceptionStatus.REJECTED,
                   decided_by=ws.user, decided_at=_now(ws), decision_note=note)


def _now(ws: Workspace) -> str:
    return ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@retry_when_busy
def request_exception(ws: Workspace, *, contract: Contract, start: int, end: int, reason: str,
                      target_id: int | None = None, evidence: Sequence[tuple[str, bytes]] = ()) -> ForceMajeure:
    """File a request (status 'requested'); evidence files are stored in the workspace with their SHA-256."""
    if end <= start:
        raise ValidationError({"end": "The exception must end after it starts."})
    if not reason.strip():
        raise ValidationError({"reason": "Say what happened: the reason is required."})
    with ws.unit_of_work() as uow:
        stored = uow.records.add(ForceMajeure(contract_id=stored_id(contract), start=start, end=end,
                                              reason=reason.strip(), requested_by=ws.user, requested_at=_now(ws),
                                              target_id=target_id))
        files = store_evidence(ws, uow.evidence, stored_id(stored), evidence)
        append_audit(ws, uow, action="request-exception", entity="force_majeure", entity_id=stored.id, before=None,
                     after={**to_plain(stored), "evidence": files})
        uow.commit()
    after_write(ws, [stored.contract_id])  # a pending request is an input too (it is listed)
    return stored


@retry_when_busy
def decide_exception(ws: Workspace, exception_id: int, *, approve: bool, note: str = "") -> ForceMajeure:
    """Approve or reject a pending request; the requester cannot decide their own."""
    with ws.unit_of_work() as uow:
        current = uow.records.get(ForceMajeure, exception_id)
        if current is None:
            raise NotFoundError(f"There is no exception FM-{exception_id}.")
        decided = uow.records.update(decision(ws, current, f"FM-{exception_id}", approve=approve, note=note))
        append_audit(ws, uow, action="approve-exception" if approve else "reject-exception", entity="force_majeure",
                     entity_id=exception_id, before=to_plain(current), after=to_plain(decided))
        uow.commit()
    after_write(ws, [decided.contract_id])
    return decided


def list_exceptions(ws: Workspace, contract_id: int | None = None) -> list[tuple[ForceMajeure, list[dict]]]:
    with ws.unit_of_work() as uow:
        found = uow.records.list(ForceMajeure, **({"contract_id": contract_id} if contract_id else {}))
        return [(e, uow.evidence.listing(stored_id(e))) for e in found]
