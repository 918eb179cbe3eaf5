"""Service-credit clauses as data, and what the engine returns: lines, caps and traces.

A `Clause` attaches one set of terms to a contract and, for most kinds, to one of its targets. The
terms are frozen dataclasses (one per clause kind); `terms_to_plain` / `terms_from_plain` turn them
into JSON-safe dicts for storage, templates and the audit trail.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sltdesk.domain.money import Rounding, quantize_money


class ClauseKind(StrEnum):
    TIERED = "tiered credit"
    FIXED = "fixed per breach"
    PER_UNIT = "per unit"
    AT_RISK_POOL = "at-risk pool"
    ALLOCATION = "at-risk allocation"
    CAP = "cap"
    MULTIPLIER = "consecutive-miss multiplier"
    EARN_BACK = "earn-back"
    BONUS = "bonus"
    BUSINESS_IMPACT = "business impact"
    TERMINATION = "termination trigger"
    CLAIM_WINDOW = "claim window"


class Unit(StrEnum):
    """What a per-unit amount or a business-impact price counts."""

    DOWNTIME_MINUTE = "minute of downtime"
    STARTED_HOUR_DOWNTIME = "started hour of downtime"
    STARTED_HOUR_BELOW_TARGET = "started hour below target"
    MISSED_TICKET = "missed ticket"
    LATE_SHIPMENT = "late shipment"
    BAD_INTERVAL = "bad interval"


class CapScope(StrEnum):
    PERIOD = "period"
    YEAR = "year"


# How a credit clause prices the misses of a service level with a core-hours tier: "each" tier's miss separately,
# or only the "worse" of the two. None on a clause: it says nothing, and the measurement rule's Tier pricing (where
# it was first written, and where older workbooks keep it) decides, by default "each".
TIER_PRICING = ("each", "worse")


class EarnBackMode(StrEnum):
    RETURN = "return"  # the credit is paid back to the supplier
    WAIVE = "waive"  # the credit is no longer claimed


@dataclass(frozen=True)
class Band:
    """One row of a credit or bonus table: the attainment edge and what it gives.

    A credit band applies when the figure is worse than `bound` (or equal, if `inclusive`); a bonus band
    when it is better than `bound` (or equal, if `inclusive`). The band furthest from the target wins.
    """

    bound: Decimal
    percent: Decimal | None = None  # share of the period's charges
    amount: Decimal | None = None  # or a fixed amount


@dataclass(frozen=True)
class TieredCredit:
    bands: tuple[Band, ...]
    inclusive: bool = False  # False: "< 99.9 %", True: "≤ 99.9 %"
    tier_pricing: str | None = None  # see TIER_PRICING
    # the clause's own bands by season, as written: "15 Nov-15 Jan: 99.95=10%, 99.5=25%; Jul-Aug: 99.9=5%"
    # (sltdesk/rules/seasons.py reads it); None: the bands above all year
    seasonal_bands: str | None = None
    kind = ClauseKind.TIERED


@dataclass(frozen=True)
class FixedCredit:
    amount: Decimal  # for each period the target is missed
    tier_pricing: str | None = None  # see TIER_PRICING
    kind = ClauseKind.FIXED


@dataclass(frozen=True)
class PerUnitCredit:
    unit: Unit
    amount: Decimal  # per unit
    free_units: Decimal = Decimal(0)  # units that cost nothing (a tolerance)
    tier_pricing: str | None = None  # see TIER_PRICING
    kind = ClauseKind.PER_UNIT


@dataclass(frozen=True)
class AtRiskPool:
    """The amount at risk each period (a share of the charges); allocations may add up to `pool_limit` %."""

    percent: Decimal
    pool_limit: Decimal = Decimal(100)
    kind = ClauseKind.AT_RISK_POOL


@dataclass(frozen=True)
class Allocation:
    """A target's share of the at-risk amount; with `minimum`, only a figure below it gives a credit."""

    percent: Decimal
    minimum: Decimal | None = None
    tier_pricing: str | None = None  # see TIER_PRICING
    kind = ClauseKind.ALLOCATION


@dataclass(frozen=True)
class Cap:
    """At most `percent` of the charges of the scope, or `amount`; on a target, that target's credits only."""

    scope: CapScope = CapScope.PERIOD
    percent: Decimal | None = None
    amount: Decimal | None = None
    kind = ClauseKind.CAP


@dataclass(frozen=True)
class Multiplier:
    """(consecutive misses, factor) steps, e.g. ((2, 2),): the second miss in a row doubles the credit."""

    steps: tuple[tuple[int, Decimal], ...]
    kind = ClauseKind.MULTIPLIER


@dataclass(frozen=True)
class EarnBack:
    periods: int  # the target must be met in each of this many following periods
    mode: EarnBackMode = EarnBackMode.RETURN
    kind = ClauseKind.EARN_BACK


@dataclass(frozen=True)
class Bonus:
    bands: tuple[Band, ...]
    netted: bool = True  # True: deducted from the credits; False: paid to the supplier separately
    inclusive: bool = True  # True: "≥ 99.99 %", False: "> 99.99 %"
    kind = ClauseKind.BONUS


@dataclass(frozen=True)
class BusinessImpact:
    unit: Unit
    cost_per_unit: Decimal
    impact_share: Decimal = Decimal(100)  # % of the cost the breach really causes
    kind = ClauseKind.BUSINESS_IMPACT


@dataclass(frozen=True)
class TerminationTrigger:
    misses: int  # k misses …
    window: int  # … in any n consecutive periods
    kind = ClauseKind.TERMINATION


@dataclass(frozen=True)
class ClaimWindow:
    """Credits must be claimed within `days` of period end (or by the end of the `months`-th month after)."""

    days: int = 0
    months: int = 0
    kind = ClauseKind.CLAIM_WINDOW


Terms = (TieredCredit | FixedCredit | PerUnitCredit | AtRiskPool | Allocation | Cap | Multiplier | EarnBack | Bonus
         | BusinessImpact | TerminationTrigger | ClaimWindow)
TERM_TYPES: dict[ClauseKind, type[Terms]] = {t.kind: t for t in (
    TieredCredit, FixedCredit, PerUnitCredit, AtRiskPool, Allocation, Cap, Multiplier, EarnBack, Bonus,
    BusinessImpact, TerminationTrigger, ClaimWindow)}
# Kinds that belong to a target, to the contract, or to either.
TARGET_KINDS = {ClauseKind.TIERED, ClauseKind.FIXED, ClauseKind.PER_UNIT, ClauseKind.ALLOCATION, ClauseKind.BONUS,
                ClauseKind.BUSINESS_IMPACT}
CONTRACT_KINDS = {ClauseKind.AT_RISK_POOL, ClauseKind.CLAIM_WINDOW}
CREDIT_KINDS = {ClauseKind.TIERED, ClauseKind.FIXED, ClauseKind.PER_UNIT, ClauseKind.ALLOCATION}


@dataclass(frozen=True)
class Clause:
    contract_id: int
    terms: Terms
    target_id: int | None = None  # None: the clause applies to the whole contract
    source: str = ""  # where it comes from: "Schedule 3 §2.1", a template name and date
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused

    @property
    def kind(self) -> ClauseKind:
        return self.terms.kind


T = TypeVar("T")


def with_terms(clauses: Iterable[Clause], kind: type[T]) -> Iterator[tuple[Clause, T]]:
    """The clauses whose terms are of one kind, in order, each with its terms (typed as that kind)."""
    for clause in clauses:
        if isinstance(clause.terms, kind):
            yield clause, clause.terms


def terms_to_plain(terms: Terms) -> dict:
    """JSON-safe parameters of a clause (Decimals as text)."""
    return {f.name: _plain(getattr(terms, f.name)) for f in dataclasses.fields(terms)
            if getattr(terms, f.name) is not None}


def _plain(value: object) -> object:
    if isinstance(value, Band):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items() if v is not None}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


def terms_from_plain(kind: ClauseKind | str, values: dict) -> Terms:
    """Build a clause's terms from plain parameters; raises ValueError naming the wrong parameter."""
    terms_type = TERM_TYPES[ClauseKind(kind)]
    known = {f.name: f for f in dataclasses.fields(terms_type)}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"a {terms_type.kind.value} clause has no parameter '{sorted(unknown)[0]}'; "
                         f"its parameters are: {', '.join(known)}")
    kwargs: dict[str, Any] = {}  # one value per parameter, of that parameter's type
    for name, value in values.items():
        try:
            kwargs[name] = _typed(terms_type, name, value)
        except (ArithmeticError, ValueError, TypeError, KeyError) as error:
            raise ValueError(f"parameter '{name}' of a {terms_type.kind.value} clause: {error}") from None
    missing = [f.name for f in dataclasses.fields(terms_type)
               if f.name not in kwargs and f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING]
    if missing:
        names = " and ".join(m.replace("_", " ") for m in missing)
        raise ValueError(f"a {terms_type.kind.value} clause needs its {names}")
    return terms_type(**kwargs)


def _typed(terms_type: type[Terms], name: str, value: Any) -> object:
    """One parameter from its plain (JSON) value; a value of the wrong shape raises the error it meets."""
    if name == "bands":
        return tuple(Band(bound=_decimal(b["bound"]), percent=_maybe_decimal(b.get("percent")),
                          amount=_maybe_decimal(b.get("amount"))) for b in value)
    if name == "steps":
        return tuple((int(k), _decimal(f)) for k, f in value)
    if name in ("unit",):
        return Unit(value)
    if name == "scope":
        return CapScope(value)
    if name == "mode":
        return EarnBackMode(value)
    if name == "tier_pricing":
        if value not in TIER_PRICING:
            raise ValueError(f"write {' or '.join(TIER_PRICING)} (got {value!r})")
        return value
    if name == "seasonal_bands":
        if not isinstance(value, str):
            raise TypeError("write the seasons' bands as text, e.g. \"15 Nov-15 Jan: 99.95=10%, 99.5=25%\"")
        return value.strip() or None
    if name in ("inclusive", "netted"):
        if not isinstance(value, bool):
            raise TypeError("write true or false")
        return value
    if name in ("periods", "misses", "window", "days", "months"):
        return int(value)
    return _maybe_decimal(value)


def _decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise TypeError("write numbers as text, e.g. \"99.95\", not as floats")
    return Decimal(str(value))


def _maybe_decimal(value: object) -> Decimal | None:
    return None if value is None else _decimal(value)


# --- what the engine returns -----------------------------------------------------------------


class LineKind(StrEnum):
    CREDIT = "credit"
    EARN_BACK = "earn-back"
    BONUS = "bonus"


@dataclass(frozen=True)
class Step:
    """One step of a trace, in words and numbers; `exact` is the value before rounding, when it differed."""

    text: str
    value: Decimal | None = None
    exact: Decimal | None = None


@dataclass(frozen=True)
class CreditLine:
    target_id: int | None
    target: str
    kind: LineKind
    clause: str  # the clause kind in words
    achieved: Decimal | None
    band: str  # the band applied, e.g. "< 99.5 % → 10 %"; "" when none
    amount: Decimal
    trace: tuple[Step, ...]
    period: str  # the period the amount arose in (an earn-back names the credit's period)
    netted: bool = True  # bonuses only: counted in the total
    achieved_text: str = ""  # the figure as written: decimals enough to stay on its side of every band edge


@dataclass(frozen=True)
class CapUse:
    name: str  # "at-risk amount", "period cap", "annual cap", "cap on SL1"
    limit: Decimal
    before: Decimal
    after: Decimal
    trace: tuple[Step, ...]

    @property
    def applied(self) -> bool:
        return self.after < self.before


@dataclass(frozen=True)
class ImpactLine:
    target_id: int
    target: str
    units: Decimal | None
    unit: str
    amount: Decimal | None  # the business impact priced by the clause
    credit: Decimal  # the contractual credit for the same target and period
    gap: Decimal | None  # impact minus credit
    trace: tuple[Step, ...]


@dataclass(frozen=True)
class TerminationFlag:
    target: str
    misses: int
    window: int
    missed_periods: tuple[str, ...]
    triggered: bool
    text: str


@dataclass(frozen=True)
class PeriodCredits:
    """Everything owed for one contract and period, each amount with its trace."""

    contract: str
    period: str
    currency: str
    rounding: Rounding
    charges: Decimal
    lines: tuple[CreditLine, ...]  # credits, earn-backs and netted bonuses (negative): they add up to `total`
    caps: tuple[CapUse, ...]
    incentives: tuple[CreditLine, ...]  # every bonus (positive amounts), netted or not
    total: Decimal
    business_impact: tuple[ImpactLine, ...] = ()
    termination: tuple[TerminationFlag, ...] = ()
    claim_deadline: date | None = None
    deadline_trace: str = ""
    charges_trace: tuple[Step, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    incomplete: tuple[str, ...] = ()  # targets whose data does not cover the period (or it is still running)

    @property
    def incentives_payable(self) -> Decimal:
        """Bonuses paid to the supplier separately (not netted against the credits)."""
        payable = sum((b.amount for b in self.incentives if not b.netted), Decimal(0))
        return quantize_money(payable, currency=self.currency, rounding=self.rounding)  # 0.00, never a bare 0

    @property
    def credits(self) -> Decimal:
        return sum((ln.amount for ln in self.lines if ln.kind is LineKind.CREDIT), Decimal(0))


# --- stored records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseRecord:
    """A clause as stored: its kind and plain parameters (see terms_from_plain)."""

    contract_id: int
    kind: str
    parameters: dict
    target_id: int | None = None
    position: int = 0
    source: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


def clause_from_record(record: ClauseRecord) -> Clause:
    return Clause(contract_id=record.contract_id, terms=terms_from_plain(record.kind, record.parameters),
                  target_id=record.target_id, source=record.source, id=record.id,
                  version=record.version)


def clause_to_record(clause: Clause, position: int = 0) -> ClauseRecord:
    return ClauseRecord(contract_id=clause.contract_id, kind=clause.kind.value,
                        parameters=terms_to_plain(clause.terms), target_id=clause.target_id, position=position,
                        source=clause.source, id=clause.id, version=clause.version)
