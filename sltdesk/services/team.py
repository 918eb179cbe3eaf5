"""Team administration leaves a mark in the workspace's own audit trail."""

from __future__ import annotations

from typing import Any

from sltdesk.services.audit import append_audit
from sltdesk.services.ports import Workspace
from sltdesk.services.retry import retry_when_busy


@retry_when_busy
def record_team_change(ws: Workspace, action: str, entity_id: str, after: dict[str, Any]) -> None:
    """'team-init', 'team-grant', 'team-revoke' or 'upgrade', by the administrator who did it."""
    with ws.unit_of_work() as uow:
        append_audit(ws, uow, action=action, entity="team", entity_id=entity_id, before=None, after=after)
        uow.commit()
