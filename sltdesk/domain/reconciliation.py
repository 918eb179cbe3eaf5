"""Reconciliation: what the contract says is owed for a period, what the supplier credited, what is left,
and where each claim stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.penalties import PeriodCredits


class ClaimStatus(StrEnum):
    TO_CLAIM = "to claim"
    CLAIMED = "claimed"
    ISSUED = "issued"
    DISPUTED = "disputed"
    SETTLED = "settled"
    EXPIRED = "expired"


STATUS_DATE_FIELDS = {ClaimStatus.CLAIMED: "claimed_on", ClaimStatus.ISSUED: "issued_on",
                      ClaimStatus.DISPUTED: "disputed_on", ClaimStatus.SETTLED: "settled_on",
                      ClaimStatus.EXPIRED: "expired_on"}


@dataclass(frozen=True)
class CreditClaim:
    """Where the credit of one contract and period stands, with the date of each step.

    When it is claimed, the computed amount is kept with its currency, rounding mode and trace, so a
    later change of clauses or data does not change what was claimed.
    """

    contract_id: int
    period: str
    status: ClaimStatus = ClaimStatus.TO_CLAIM
    claimed_amount: Decimal | None = None
    currency: str = ""
    rounding: str = ""
    computed: dict = field(default_factory=dict)
    claimed_on: date | None = None
    issued_on: date | None = None
    disputed_on: date | None = None
    settled_on: date | None = None
    expired_on: date | None = None
    note: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class NoteLine:
    """One imported credit-note line, with its provenance."""

    document_id: str
    period: str
    line: str
    description: str
    amount: Decimal
    currency: str
    source_row: int
    batch_id: int


@dataclass(frozen=True)
class ReconciledPeriod:
    contract: str
    contract_id: int
    supplier: str
    period: str
    currency: str
    computed: Decimal  # the period's total under the clauses (credits − earn-backs − netted bonuses)
    issued: Decimal  # what the supplier's credit notes for the period add up to
    variance: Decimal  # computed − issued: positive means the supplier still owes
    status: ClaimStatus | None  # None: nothing owed and nothing issued
    stored_status: ClaimStatus
    claim_deadline: date | None
    days_left: int | None
    warnings: tuple[str, ...]
    notes: tuple[NoteLine, ...]
    claim: CreditClaim | None
    credits: PeriodCredits
    balance: Decimal = Decimal(0)  # the contract's open balance up to this period (see with_balances)

    @property
    def status_text(self) -> str:
        if self.status is not None:
            return self.status.value
        if self.credits.incomplete and self.computed == 0:
            return "incomplete data"
        return "earn-back" if self.computed < 0 else "nothing owed"


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    owed: Decimal  # credits computed (periods with a positive total)
    issued: Decimal
    outstanding: Decimal  # still to come on open credits (settled and expired ones are closed)
    lost: Decimal  # owed but never claimed before the window closed
    earned_back: Decimal  # credits of earlier periods returned or released by earn-backs
    overdue: int  # periods whose claim window closed with money still owed
    due_soon: int  # periods to claim within the warning window
