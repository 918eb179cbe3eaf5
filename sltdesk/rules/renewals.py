"""Renewal and notice alerts: contracts whose notice deadline or end is near, or whose deadline just passed.

A tacit renewal is worded as what happens when nobody acts ("renews by itself on … unless notice is given
by …"), never as "ends on …": it does not end. A notice deadline that passed in the last `passed_days` days is
still listed (marked `passed`), so a deadline missed last week does not silently drop off the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sltdesk.domain.register import Contract, RenewalType

PASSED_DAYS = 30  # a notice deadline that passed this many days ago or fewer is still listed


@dataclass(frozen=True)
class RenewalAlert:
    contract_id: int
    contract_ref: str
    kind: str  # "notice deadline" | "contract end"
    due: date
    days_left: int  # negative: the deadline passed that many days ago
    sentence: str
    passed: bool = False


def notice_deadline(contract: Contract) -> date:
    """The last day on which notice can be given to stop the contract at its end date."""
    return contract.end_date - timedelta(days=contract.notice_days)


def renews_on(contract: Contract) -> date:
    """The first day of the renewed term: the day after the end date."""
    return contract.end_date + timedelta(days=1)


def days_text(left: int) -> str:
    """'today', '1 day left', '12 days left', 'passed 1 day ago', 'passed 3 days ago'."""
    if left == 0:
        return "today"
    if left > 0:
        return f"{left} day{'s' if left != 1 else ''} left"
    return f"passed {-left} day{'s' if left != -1 else ''} ago"


def notice_sentence(contract: Contract, *, today: date) -> str:
    """What the notice deadline means for this contract, as of `today`."""
    deadline = notice_deadline(contract)
    left = (deadline - today).days
    if contract.renewal_type is RenewalType.TACIT:
        return (f"{contract.ref}: renews by itself on {renews_on(contract):%d %b %Y} unless notice is given by "
                f"{deadline:%d %b %Y} ({days_text(left)})")
    return (f"{contract.ref}: ends on {contract.end_date:%d %b %Y} unless renewed expressly; decide by "
            f"{deadline:%d %b %Y} ({days_text(left)})")


def renewal_alerts(contracts: list[Contract], *, today: date, horizon_days: int = 90,
                   passed_days: int = PASSED_DAYS) -> list[RenewalAlert]:
    """Notice deadlines from `passed_days` ago up to the horizon, and ends of contracts that do not renew by
    themselves within the horizon; soonest first."""
    alerts: list[RenewalAlert] = []
    limit = today + timedelta(days=horizon_days)
    for contract in contracts:
        deadline = notice_deadline(contract)
        if contract.renewal_type is not RenewalType.NEVER and today - timedelta(days=passed_days) <= deadline <= limit:
            alerts.append(RenewalAlert(contract.id or 0, contract.ref, "notice deadline", deadline,
                                       (deadline - today).days, notice_sentence(contract, today=today) + ".",
                                       passed=deadline < today))
        if contract.renewal_type is not RenewalType.TACIT and today <= contract.end_date <= limit:
            left = (contract.end_date - today).days
            alerts.append(RenewalAlert(
                contract.id or 0, contract.ref, "contract end", contract.end_date, left,
                f"{contract.ref}: ends on {contract.end_date:%d %b %Y} ({left} days)."))
    return sorted(alerts, key=lambda a: (a.due, a.contract_ref, a.kind))
