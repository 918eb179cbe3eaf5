"""How a contract target is measured from raw data, and what is excluded from it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.money import Rounding
from sltdesk.domain.register import ENTITY_NAMES, ENTITY_TYPES

DEFAULT_INITIAL_STATES = ("New", "Unassigned")  # a ticket in these states has not been responded to
RESPONSE_RULES = ("auto", "state", "assignment")


class Source(StrEnum):
    OUTAGES = "outages"
    SAMPLES = "samples"
    TICKETS = "tickets"


class MissingData(StrEnum):
    UNAVAILABLE = "unavailable"  # an interval without data counts against the supplier
    EXCLUDED = "excluded"  # … is left out of the denominator
    IGNORED = "ignored"  # … counts as good


class Budgeting(StrEnum):
    TIME_SLICE = "time-slice"  # share of good intervals
    OCCURRENCE = "occurrence"  # share of good requests


@dataclass(frozen=True)
class MeasurementRule:
    """The clause's measurement parameters for one contract target (see the README for each field)."""

    target_id: int
    source: Source
    # tickets
    priority: str = ""  # "P1"; "" = every priority
    stop: str = "resolved"  # "responded" | "resolved" | "closed"
    start: str = "opened"  # "opened" | "assigned"
    limit_minutes: Decimal = Decimal(0)  # within T (tickets); X ms (latency)
    percentile: int = 95  # cycle time: which percentile of the elapsed time is compared with the threshold
    business_clock: bool = False  # the clock runs only in the calendar's business hours
    pause_states: tuple[str, ...] = ()  # event-log states in which the clock stops
    initial_states: tuple[str, ...] = ()  # event-log states before a response ("": New, Unassigned)
    response_on: str = "auto"  # "state" | "assignment" | "auto" (see rules/event_log.py)
    # outages
    weighted_by_impact: bool = True
    # samples
    error_limit_percent: Decimal = Decimal(5)
    missing_data: MissingData = MissingData.UNAVAILABLE
    budgeting: Budgeting = Budgeting.TIME_SLICE
    interval_seconds: int = 300
    probe: str = ""
    # all
    service: str = ""  # only records of this service ("" = all)
    maintenance_notice_days: int = 0  # only windows notified this many days ahead are excluded
    report_name: str = ""  # the target's name in the vendor's self-report (matched by words when empty)
    # The contract's own rounding before the comparison ("rounded to two decimals"); None: compared exactly
    compare_places: int | None = None
    compare_rounding: Rounding = Rounding.HALF_UP
    # Seasonal thresholds, "15 Nov-15 Jan: 99.95; Jul-Aug: 99.9" (sltdesk/rules/seasons.py); "": none
    seasons: str = ""
    # A core-hours tier: the same figure on another calendar (by name) with its own threshold and verdict; how the
    # clause prices the two tiers' misses: "each" separately, or only the "worse" of the two. "": no tier
    tier_calendar: str = ""
    tier_threshold: Decimal | None = None
    tier_pricing: str = "each"
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused

    @property
    def rounding_words(self) -> str:
        """'rounded half-up to 2 decimals before comparison, as the contract says' ('' without such a rule)."""
        if self.compare_places is None:
            return ""
        places = f"{self.compare_places} decimal{'s' if self.compare_places != 1 else ''}"
        return f"rounded {self.compare_rounding.value} to {places} before comparison, as the contract says"


class ExceptionStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ForceMajeure:
    """A request to exclude a time span from a contract's measurement; only approved ones count."""

    contract_id: int
    start: int  # UTC epoch seconds
    end: int
    reason: str
    requested_by: str
    requested_at: str
    target_id: int | None = None  # None: every target of the contract
    status: ExceptionStatus = ExceptionStatus.REQUESTED
    decided_by: str = ""
    decided_at: str = ""
    decision_note: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


class FlagSubject(StrEnum):
    OUTAGE = "outage"  # one stored outage record (by its stored number)
    TICKET = "ticket"  # one ticket (by its ticket id)
    SPAN = "span"  # a time span: the bad intervals (or outage time) inside it
    BREACH = "breach"  # one target's whole miss in one period: every bad unit of that period counts as good


@dataclass(frozen=True)
class FalsePositive:
    """A breach that monitoring raised without a real effect, flagged with a reason; only approved ones count,
    and they count as good (up, met): unlike maintenance, the time stays in the measured time."""

    contract_id: int
    subject: FlagSubject
    reason: str
    requested_by: str
    requested_at: str
    reference: str = ""  # outage: its stored record number; ticket: its ticket id; breach: its period; span: ""
    label: str = ""  # outage: the vendor's own id, where it has one
    start: int = 0  # UTC epoch seconds: the span, the flagged outage's own span, the breach's period (0: ticket)
    end: int = 0
    probe: str = ""  # the monitor that raised it, where known ("" = any)
    target_id: int | None = None  # None: every target of the contract
    status: ExceptionStatus = ExceptionStatus.REQUESTED
    decided_by: str = ""
    decided_at: str = ""
    decision_note: str = ""
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused

    @property
    def ref(self) -> str:
        return f"FP-{self.id}"

    @property
    def what(self) -> str:
        """'outage PF-INC-0042', 'ticket INC-7', 'span' — what was flagged, in words."""
        return f"{self.subject.value} {self.label or self.reference}".strip()

    @property
    def words(self) -> str:
        """How the trace names it: 'false positive FP-3 (outage #12): probe blocked by a firewall change'."""
        return f"false positive {self.ref} ({self.what}): {self.reason}"


@dataclass(frozen=True)
class Window:
    """An interval to exclude, with its reason: maintenance or approved force majeure."""

    start: int
    end: int
    kind: str
    reference: str
    reason: str


@dataclass(frozen=True)
class PeriodMark:
    """A contract's period marked "complete as imported": the vendor confirmed there is no more data, so the
    imported data stands for the whole period (and the missing-data policy covers the rest)."""

    contract_id: int
    period: str  # "2026-11"
    reason: str
    marked_by: str
    marked_at: str
    id: int | None = None


ENTITY_NAMES[MeasurementRule] = "measurement_rule"
ENTITY_NAMES[ForceMajeure] = "force_majeure"
ENTITY_NAMES[PeriodMark] = "period_mark"
ENTITY_NAMES[FalsePositive] = "false_positive"
ENTITY_TYPES.update({"measurement_rule": MeasurementRule, "force_majeure": ForceMajeure, "period_mark": PeriodMark,
                     "false_positive": FalsePositive})
