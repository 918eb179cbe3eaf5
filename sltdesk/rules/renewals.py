"""Renewal and notice alerts: contracts whose end or notice deadline is near."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sltdesk.domain.register import Contract, RenewalType


@dataclass(frozen=True)
class RenewalAlert:
    contract_id: int
    contract_ref: str
    kind: str  # "notice deadline" | "contract end"
    due: date
    days_left: int
    sentence: str


def notice_deadline(contract: Contract) -> date:
    """The last day on which notice can be given to stop the contract at its end date."""
    return contract.end_date - timedelta(days=contract.notice_days)


def renewal_alerts(contracts: list[Contract], *, today: date, horizon_days: int = 90) -> list[RenewalAlert]:
    """Contracts whose notice deadline or end date falls within the horizon, soonest first."""
    alerts: list[RenewalAlert] = []
    limit = today + timedelta(days=horizon_days)
    for contract in contracts:
        deadline = notice_deadline(contract)
        if contract.renewal_type is not RenewalType.NEVER and today <= deadline <= limit:
            left = (deadline - today).days
            verb = "renews by itself" if contract.renewal_type is RenewalType.TACIT else "needs express renewal"
            alerts.append(RenewalAlert(
                contract.id or 0, contract.ref, "notice deadline", deadline, left,
                f"{contract.ref}: give notice by {deadline:%d %b %Y} ({left} days) — it {verb} "
                f"on {contract.end_date:%d %b %Y}."))
        if today <= contract.end_date <= limit:
            left = (contract.end_date - today).days
            alerts.append(RenewalAlert(
                contract.id or 0, contract.ref, "contract end", contract.end_date, left,
                f"{contract.ref}: ends on {contract.end_date:%d %b %Y} ({left} days)."))
    return sorted(alerts, key=lambda a: (a.due, a.contract_ref, a.kind))
