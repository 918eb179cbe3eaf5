"""Arithmetic the credit engine writes into its traces: rounded money steps, numbers in words, cap splits,
the counts behind an attainment figure, and stepping between periods. Pure, Decimal only."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.figures import ratio, shown
from sltdesk.domain.money import CURRENCY_DIGITS, Rounding, quantize_money
from sltdesk.domain.penalties import Step, Unit
from sltdesk.domain.period import Period, PeriodKind
from sltdesk.domain.register import ChargesPeriod, Comparison, Contract, MetricKind

HUNDRED = Decimal(100)
ZERO = Decimal(0)
MONTHS_IN = {ChargesPeriod.MONTH: 1, ChargesPeriod.QUARTER: 3, ChargesPeriod.YEAR: 12,
             PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}
PER = {ChargesPeriod.MONTH: "a month", ChargesPeriod.QUARTER: "a quarter", ChargesPeriod.YEAR: "a year"}


def number(value: Decimal) -> str:
    """A number as written (99.0 stays 99.0), never in exponent form; long fractions lose trailing zeros."""
    text = format(value, "f")
    if "." in text and len(text.split(".")[1]) > 4:
        text = text.rstrip("0").rstrip(".")
    return text


def pct(value: Decimal) -> str:
    return f"{number(value)} %"


class Money:
    """Rounds to the contract's currency and rounding mode, and writes the step that did it."""

    def __init__(self, currency: str, rounding: Rounding):
        self.currency, self.rounding = currency, rounding
        self.digits = CURRENCY_DIGITS.get(currency, 2)
        self.unit = Decimal(1).scaleb(-self.digits)

    def text(self, amount: Decimal) -> str:
        return f"{amount:,.{self.digits}f}"

    def round(self, exact: Decimal) -> Decimal:
        return quantize_money(exact, currency=self.currency, rounding=self.rounding)

    def step(self, words: str, exact: Decimal) -> tuple[Decimal, Step]:
        """`words` + " = amount"; when rounding changed the value, the exact figure and the mode are shown."""
        value = self.round(exact)
        if value == exact:
            return value, Step(f"{words} = {self.text(value)}", value)
        return value, Step(f"{words} = {number(exact)} → {self.text(value)} (rounded {self.rounding.value})",
                           value, exact)

    def is_tie(self, exact: Decimal) -> bool:
        """Whether half-up and half-even round this value differently (exactly half a minor unit)."""
        return (exact / self.unit) % 1 == Decimal("0.5") or (exact / self.unit) % 1 == Decimal("-0.5")


def period_charges(contract: Contract, label: str, money: Money) -> tuple[Decimal, tuple[Step, ...]]:
    """The contract's charges for one measurement period, converted from its charges period."""
    per, months = MONTHS_IN[contract.charges_period], MONTHS_IN[Period.parse(label).kind]
    base = f"charges {money.text(contract.charges)} {PER[contract.charges_period]}"
    if per == months:
        return contract.charges, (Step(f"{base} → {money.text(contract.charges)} for {label}", contract.charges),)
    value, step = money.step(f"{base} × {months}/{per} for {label}", contract.charges * months / per)
    return value, (step,)


def annual_charges(contract: Contract, money: Money) -> tuple[Decimal, Step]:
    per = MONTHS_IN[contract.charges_period]
    if per == 12:
        return contract.charges, Step(f"annual charges {money.text(contract.charges)}", contract.charges)
    return money.step(f"annual charges {money.text(contract.charges)} {PER[contract.charges_period]} × {12 // per}",
                      contract.charges * (12 // per))


def split_cap(amounts: list[Decimal], limit: Decimal, unit: Decimal) -> list[Decimal]:
    """Cut amounts to add up to `limit` exactly: in proportion, rounded down to the minor unit, and the
    cents left over given one each to the first lines that lost a fraction (so a smaller credit never
    gets a larger share)."""
    total = sum(amounts, ZERO)
    if total <= limit:
        return list(amounts)
    shares = [a * limit / total for a in amounts]
    cut = [s.quantize(unit, rounding=ROUND_FLOOR) for s in shares]
    left = int((limit - sum(cut, ZERO)) / unit)
    for i, share in enumerate(shares):
        if left <= 0:
            break
        if share > cut[i]:
            cut[i] += unit
            left -= 1
    return cut


def higher_is_better(comparison: Comparison) -> bool:
    return comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN)


def worse_than(achieved: Decimal, bound: Decimal, *, higher_better: bool, inclusive: bool) -> bool:
    if higher_better:
        return achieved <= bound if inclusive else achieved < bound
    return achieved >= bound if inclusive else achieved > bound


def better_than(achieved: Decimal, bound: Decimal, *, higher_better: bool, inclusive: bool) -> bool:
    if higher_better:
        return achieved >= bound if inclusive else achieved > bound
    return achieved <= bound if inclusive else achieved < bound


def sign(*, worse: bool, higher_better: bool, inclusive: bool) -> str:
    """'<', '≤', '>' or '≥' as the band is written."""
    below = worse == higher_better
    return ("≤" if inclusive else "<") if below else ("≥" if inclusive else ">")


# --- the counts behind an attainment figure ---------------------------------------------------------

# Names the attainment measurement may give its counts (compared lower-case, spaces/hyphens as "_").
COUNT_NAMES = {
    "service_minutes": ("service_minutes", "minutes_in_service", "service_mins"),
    "downtime_minutes": ("downtime_minutes", "downtime", "unavailable_minutes", "weighted_downtime_minutes"),
    "missed": ("missed", "tickets_missed", "missed_tickets", "late", "late_shipments"),
    "counted": ("counted", "tickets_counted", "tickets", "shipments", "total"),
    "bad": ("bad", "bad_intervals", "intervals_bad"),
}


def count(result: AttainmentResult, name: str) -> Decimal | None:
    found = {k.lower().replace(" ", "_").replace("-", "_"): v for k, v in result.counts.items()}
    for alias in COUNT_NAMES[name]:
        if alias in found and found[alias] is not None:
            return Decimal(str(found[alias]))
    return None


def exact_minutes(result: AttainmentResult, name: str) -> Decimal | None:
    """Service or downtime minutes, exactly: from the seconds where the measurement gives them (the
    minutes beside them are rounded to 0.01 for reading), else from the minutes as they were given."""
    seconds = result.counts.get(name.replace("_minutes", "_seconds"))
    if seconds is not None:
        return ratio(Decimal(str(seconds)), 60)
    return count(result, name)


def minutes_text(value: Decimal) -> str:
    return shown(value, places=2) if value != value.quantize(Decimal("0.01")) else number(value)


def units(result: AttainmentResult, unit: Unit) -> tuple[Decimal | None, str]:
    """How many units the figure's counts hold, and the words that explain it (None: not in the counts)."""
    downtime = exact_minutes(result, "downtime_minutes")
    if unit is Unit.DOWNTIME_MINUTE:
        return downtime, "" if downtime is None else f"{minutes_text(downtime)} minutes of downtime"
    if unit is Unit.STARTED_HOUR_DOWNTIME:
        if downtime is None:
            return None, ""
        hours = Decimal(math.ceil(downtime / 60))
        return hours, f"{minutes_text(downtime)} minutes of downtime = {number(hours)} started hours"
    if unit is Unit.STARTED_HOUR_BELOW_TARGET:
        service = exact_minutes(result, "service_minutes")
        if downtime is None or service is None:
            return None, ""
        allowed = service * (HUNDRED - result.threshold) / HUNDRED
        excess = max(downtime - allowed, ZERO)
        hours = Decimal(math.ceil(excess / 60))
        return hours, (f"{minutes_text(downtime)} minutes of downtime − {minutes_text(allowed)} allowed by "
                       f"{pct(result.threshold)} of {minutes_text(service)} service minutes = "
                       f"{minutes_text(excess)} minutes below target = {number(hours)} started hours")
    key = "bad" if unit is Unit.BAD_INTERVAL else "missed"
    value = count(result, key)
    return value, "" if value is None else f"{number(value)} {unit.value}s"


def with_achieved(result: AttainmentResult, achieved: Decimal) -> AttainmentResult:
    """The same result with another figure (a what-if): met, and the downtime or missed count, follow it."""
    counts = dict(result.counts)
    service, counted = count(result, "service_minutes"), count(result, "counted")
    if result.metric is MetricKind.AVAILABILITY and service is not None:
        service = exact_minutes(result, "service_minutes")
        assert service is not None  # the service minutes are in the counts (above)
        counts = {k: v for k, v in counts.items() if k.lower().replace(" ", "_") not in COUNT_NAMES["downtime_minutes"]
                  and k not in ("downtime_seconds", "service_seconds")}
        counts["downtime_minutes"] = service * (HUNDRED - achieved) / HUNDRED
        counts["service_minutes"] = service
    elif counted is not None and result.unit == "%":
        counts = {k: v for k, v in counts.items() if k.lower().replace(" ", "_") not in COUNT_NAMES["missed"]}
        counts["missed"] = Decimal(math.ceil(counted * (HUNDRED - achieved) / HUNDRED))
    return replace(result, achieved=achieved, met=result.comparison.holds(achieved, result.threshold), counts=counts)


# --- periods --------------------------------------------------------------------------------------------


def period_of(day: date, kind: PeriodKind) -> str:
    if kind is PeriodKind.MONTH:
        return Period.month(day.year, day.month).label
    if kind is PeriodKind.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def last_day(label: str) -> date:
    return Period.parse(label).end - timedelta(days=1)
