"""Writing to and checking the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sltdesk import __version__
from sltdesk.domain.audit import AuditEntry, ChainReport
from sltdesk.rules.audit_chain import seal, verify_chain
from sltdesk.services.ports import UnitOfWork, Workspace


def append_audit(
    ws: Workspace,
    uow: UnitOfWork,
    *,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Seal one entry onto the chain inside the caller's unit of work."""
    now = ws.now().astimezone(UTC)
    draft = AuditEntry(
        seq=0, at_utc=now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), os_user=ws.user, action=action,
        entity=entity, entity_id=str(entity_id), before=before, after=after,
        app_version=__version__, prev_hash="", hash="",
    )
    entry = seal(draft, prev=uow.audit.last())
    uow.audit.append(entry)
    return entry


def verify_audit(ws: Workspace) -> ChainReport:
    """Recompute the whole chain and compare it with the recorded head."""
    with ws.unit_of_work() as uow:
        recorded = uow.audit.recorded_head()
        count, head = recorded if recorded else (None, None)
        return verify_chain(uow.audit.entries(), expected_count=count, expected_head=head)


@dataclass(frozen=True)
class AuditHead:
    entries: int
    head: str


def audit_head(ws: Workspace) -> AuditHead:
    """The number of entries and the hash of the last one, as recorded."""
    with ws.unit_of_work() as uow:
        recorded = uow.audit.recorded_head()
    return AuditHead(*recorded) if recorded else AuditHead(0, "0" * 64)


def recent_audit(ws: Workspace, limit: int = 5000) -> list[AuditEntry]:
    """The newest entries first."""
    with ws.unit_of_work() as uow:
        return uow.audit.recent(limit)
