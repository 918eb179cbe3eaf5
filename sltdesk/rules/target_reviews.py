"""The review cycle of a target: the date its relevance must be reviewed by, and the triggers that bring the
review forward — the contract's renewal (its notice deadline), an assumption exceeded (a period's measured volume
over the expected volume by more than the stated margin), and a technology refresh of a service the target serves.

Only targets in a review cycle (a review-by date or an expected volume) are judged. A trigger counts when it
falls after the last review; the review is due on the earliest of the review-by date and the triggers' dates.
Pure: the day, the volumes and the refreshes are passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sltdesk.domain.period import Period
from sltdesk.domain.register import Contract, ContractTarget

SOON_DAYS = 30  # a review due within this many days is listed


@dataclass(frozen=True)
class Trigger:
    on: date  # the day it brings the review forward to
    reason: str


@dataclass(frozen=True)
class ReviewDue:
    target_id: int
    contract: str
    target: str
    review_by: date | None
    due: date
    triggers: tuple[Trigger, ...]  # those that brought it forward, earliest first

    @property
    def brought_forward(self) -> bool:
        return bool(self.triggers) and (self.review_by is None or self.triggers[0].on < self.review_by)

    def sentence(self, as_of: date) -> str:
        when = f"due on {self.due:%d %b %Y}" if self.due >= as_of else f"was due on {self.due:%d %b %Y}"
        why = "; ".join(t.reason for t in self.triggers)
        planned = f" (planned for {self.review_by:%d %b %Y})" if self.review_by and self.brought_forward else ""
        head = f"{self.contract} {self.target}: review of the target's relevance {when}{planned}"
        return f"{head} — {why}." if why else f"{head}."


def in_cycle(target: ContractTarget) -> bool:
    return target.review_by is not None or target.expected_volume is not None


def volume_trigger(target: ContractTarget, volumes: Sequence[tuple[str, int | Decimal | None]],
                   unit: str) -> Trigger | None:
    """The first period after the last review whose volume exceeds the expected one by more than the margin."""
    expected = target.expected_volume
    if expected is None or expected <= 0:
        return None
    margin = target.volume_margin or Decimal(0)
    limit = expected * (1 + margin / 100)
    for period, volume in volumes:
        span = Period.parse(period)
        if volume is None or (target.reviewed_on is not None and span.end <= target.reviewed_on):
            continue
        if Decimal(volume) > limit:
            over = ((Decimal(volume) / expected - 1) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            allowed = f"more than the {margin.normalize():f} % allowed" if margin else "any excess counts"
            return Trigger(span.end, f"{volume:,} {unit} in {period} against {expected.normalize():f} expected "
                                     f"(+{over:f} %, {allowed})")
    return None


def renewal_trigger(target: ContractTarget, contract: Contract) -> Trigger | None:
    """The contract's renewal: reviewed before its notice deadline, so the targets can be renegotiated."""
    deadline = contract.end_date - timedelta(days=contract.notice_days)
    if target.reviewed_on is not None and target.reviewed_on >= deadline - timedelta(days=365):
        return None  # reviewed within the year before the deadline: the renewal has been looked at
    return Trigger(deadline, f"the contract's notice deadline for renewal is {deadline:%d %b %Y}")


def refresh_triggers(target: ContractTarget, refreshes: Sequence[tuple[date, str]]) -> list[Trigger]:
    """Technology refreshes (day, service and what) of the services the target serves, after the last review."""
    return [Trigger(on, f"technology refresh of {what} on {on:%d %b %Y}") for on, what in refreshes
            if target.reviewed_on is None or on > target.reviewed_on]


def review_due(target: ContractTarget, contract: Contract, *, as_of: date,
               volumes: Sequence[tuple[str, int | Decimal | None]] = (), volume_unit: str = "tickets",
               refreshes: Sequence[tuple[date, str]] = (), soon_days: int = SOON_DAYS) -> ReviewDue | None:
    """The target's review when it is due within `soon_days` of `as_of` (or overdue), else None."""
    if not in_cycle(target) or target.id is None:
        return None
    found = [t for t in (volume_trigger(target, volumes, volume_unit), renewal_trigger(target, contract)) if t]
    found += refresh_triggers(target, refreshes)
    if target.review_by is not None:
        found = [t for t in found if t.on < target.review_by]  # only what brings it forward
    found.sort(key=lambda t: t.on)
    due = min([t.on for t in found] + ([target.review_by] if target.review_by else []), default=None)
    if due is None or due > as_of + timedelta(days=soon_days):
        return None
    return ReviewDue(target.id, contract.ref, target.name, target.review_by, due,
                     tuple(t for t in found if t.on <= as_of + timedelta(days=soon_days)))
