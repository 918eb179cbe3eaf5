"""Taking an anchor of the audit trail, and checking the trail against one (sltdesk/rules/audit_anchor.py)."""

from __future__ import annotations

from datetime import UTC

from sltdesk.domain.audit import Anchor
from sltdesk.errors import SltDeskError
from sltdesk.rules.audit_anchor import anchor_problem
from sltdesk.services.audit import verify_audit
from sltdesk.services.ports import Workspace


def take_anchor(ws: Workspace) -> Anchor:
    """The verified head of the trail with its entry count and the time now (UTC)."""
    report = verify_audit(ws)
    if not report.ok:
        raise SltDeskError(f"The audit trail does not verify (entry {report.first_bad_seq}: {report.problem}); "
                           "an anchor of it would vouch for a damaged trail, so none was written.")
    at = ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Anchor(entries=report.entries, head=report.head, at_utc=at)


def check_anchor(ws: Workspace, anchor: Anchor) -> str:
    """"" when the trail still holds the anchored entry; else the sentence saying what is wrong."""
    with ws.unit_of_work() as uow:
        return anchor_problem(uow.audit.entries(), anchor)
