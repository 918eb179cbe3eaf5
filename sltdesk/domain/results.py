"""The one result of a contract target in a period, as every page, file and command shows it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.penalties import CreditLine


class Status(StrEnum):
    """Where a target-period stands: the one rule (sltdesk/rules/at_risk.py, `status`) behind every colour."""

    MET = "met"  # green
    AT_RISK = "at risk"  # amber: met, with under a quarter of the error budget left or an early warning
    MISSED = "missed"  # red
    INCOMPLETE = "incomplete"  # grey: the imports do not cover the period
    IN_PROGRESS = "in progress"  # grey: the period is still running (a figure so far, no verdict)
    NO_DATA = "no data"  # grey: not measured (no rule, outside the term) or nothing to compute from


@dataclass(frozen=True)
class TargetPeriodResult:
    """The exact figure with its coverage, completeness and verdict (`attainment`), the status, and the credit
    lines this target's clauses give in the period (after caps; earn-backs and netted bonuses included).
    Computed from the stored raw data, marks and clauses whenever it is asked for; never stored."""

    attainment: AttainmentResult
    status: Status
    lines: tuple[CreditLine, ...] = ()

    @property
    def credit(self) -> Decimal:
        """What this target contributes to the period's total (negative for a netted bonus)."""
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def target_id(self) -> int:
        return self.attainment.target_id

    @property
    def period(self) -> str:
        return self.attainment.period


@dataclass(frozen=True)
class StoredResult:
    """A target's figure for a period as the workspace keeps it: under the fingerprint of its inputs
    (sltdesk/rules/result_keys.py), with the AttainmentResult as JSON."""

    target_id: int
    period: str
    fingerprint: str
    payload: str
