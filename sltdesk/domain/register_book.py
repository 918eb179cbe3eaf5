"""The contract-register workbook: its sheets and columns (version 2), its entries and import findings.

Version 2 adds Contacts, Contingency plans and Measurement rules; a version-1 workbook (without them)
still imports. The Contract targets sheet's review-cycle columns are optional: a version-2 workbook without them
imports unchanged, and the targets keep their stored review dates and volumes.

The writer (reports/contract_register_xlsx.py) and the reader (importers/contract_register.py) both
follow this layout, so a workbook written by one is read by the other column for column.
A column's `field` is a record field; "@fk" (or "@fk:i" for the i-th part of a composite key) holds
the name of the record the foreign key `fk` points to; "hours:mon"… a weekday of a calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from sltdesk.domain.mapping import (
    TARGET_UNITS,
    Component,
    ComponentMapping,
    CompositionRule,
    EndToEndTarget,
    EscalationLevel,
    TargetKind,
)
from sltdesk.domain.measurement import Budgeting, MeasurementRule, MissingData, Source
from sltdesk.domain.money import CURRENCY_DIGITS, Rounding
from sltdesk.domain.penalties import CapScope, ClauseKind, EarnBackMode, Unit
from sltdesk.domain.register import (
    WEEKDAYS,
    BusinessUnit,
    ChargesPeriod,
    Comparison,
    ContingencyPlan,
    Contract,
    ContractTarget,
    Criticality,
    MetricKind,
    RenewalType,
    Service,
    ServiceCalendar,
    Supplier,
    SupplierCategory,
    SupplierContact,
)

TEMPLATE_TITLE = "SLT Desk contract register"
TEMPLATE_VERSION = "2"
READABLE_VERSIONS = ("1", "2")


@dataclass(frozen=True)
class Finding:
    """A problem in a workbook, located by sheet, row and column (row 0: the sheet as a whole)."""

    sheet: str
    row: int
    column: str  # letter, e.g. "I"; "" when the whole row is meant
    header: str
    message: str
    severity: str = "error"  # or "warning": reported, but the import goes ahead

    def __str__(self) -> str:
        where = self.sheet if not self.row else f"{self.sheet} row {self.row}"
        if self.column:
            where += f", column {self.column} ({self.header})" if self.header else f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class BookEntry:
    """One record of the workbook; its foreign keys are given by the names in `refs`."""

    entity: str
    record: Any
    refs: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    row: int = 0  # the row it was read from (0 when it comes from a workspace)


@dataclass(frozen=True)
class RegisterBook:
    entries: tuple[BookEntry, ...] = ()
    letters: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> column field -> letter read

    def letter(self, sheet: str, column_field: str) -> str:
        """The column a field was read from ('' when unknown: then the template's own position)."""
        return self.letters.get(sheet, {}).get(column_field, "")

    def of(self, entity: str) -> list[BookEntry]:
        return [e for e in self.entries if e.entity == entity]


@dataclass(frozen=True)
class ClauseRow:
    """A credit clause as one row of the Credit clauses sheet: its number within the contract, its kind, the
    target it belongs to ("" for the whole contract) and every parameter a kind may have (None: not given)."""

    contract: str
    number: int
    kind: str
    target: str = ""
    percent: Decimal | None = None
    amount: Decimal | None = None
    unit: str | None = None
    free_units: Decimal | None = None
    pool_limit: Decimal | None = None
    minimum: Decimal | None = None
    scope: str | None = None
    steps: str | None = None  # "2:2; 3:3" — (misses in a row : factor) pairs
    periods: int | None = None
    mode: str | None = None
    inclusive: bool | None = None
    netted: bool | None = None
    cost_per_unit: Decimal | None = None
    impact_share: Decimal | None = None
    misses: int | None = None
    window: int | None = None
    days: int | None = None
    months: int | None = None
    source: str = ""
    id: int | None = None
    tier_pricing: str | None = None  # each | worse: how a credit clause prices a core-hours tier's misses
    seasonal_bands: str | None = None  # a tiered credit's bands by season: "15 Nov-15 Jan: 99.95=10%, 99.5=25%"


@dataclass(frozen=True)
class BandRow:
    """One band of a tiered credit or bonus clause; a clause's bands are read in row order."""

    contract: str
    number: int  # the clause's number on the Credit clauses sheet
    bound: Decimal
    percent: Decimal | None = None
    amount: Decimal | None = None
    id: int | None = None


CLAUSE_PARAMETERS = ("percent", "amount", "unit", "free_units", "pool_limit", "minimum", "scope", "steps", "periods",
                     "mode", "inclusive", "netted", "cost_per_unit", "impact_share", "misses", "window", "days",
                     "months", "tier_pricing", "seasonal_bands")


@dataclass(frozen=True)
class BookColumn:
    header: str
    field: str
    kind: str = "text"  # text | int | decimal | date | enum | bool | ref | lines | dates | hours
    required: bool = False
    choices: tuple[str, ...] = ()
    ref_sheet: str = ""  # the sheet whose first column lists the names this column refers to
    note: str = ""
    width: int = 18


@dataclass(frozen=True)
class BookSheet:
    name: str
    entity: str
    kind: type
    purpose: str
    columns: tuple[BookColumn, ...]


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _text(header: str, name: str, *, required: bool = False, note: str = "", width: int = 18) -> BookColumn:
    return BookColumn(header, name, "text", required, note=note, width=width)


def _enum(header: str, name: str, enum: type[Enum] | tuple[str, ...], *, required: bool = False,
          note: str = "") -> BookColumn:
    choices = enum if isinstance(enum, tuple) else _values(enum)
    return BookColumn(header, name, "enum", required, choices, note=note, width=max(14, len(header) + 2))


def _bool(header: str, name: str, *, note: str = "") -> BookColumn:
    return BookColumn(header, name, "bool", False, ("yes", "no"), note=note, width=max(12, len(header) + 2))


def _ref(header: str, fk: str, sheet: str, *, required: bool = True, note: str = "", width: int = 24) -> BookColumn:
    return BookColumn(header, f"@{fk}", "ref", required, ref_sheet=sheet, note=note, width=width)


_TARGET = ("Service", "End-to-end target")
# The targets' review cycle: optional columns (a workbook without them imports as before, and keeps what is stored).
REVIEW_COLUMNS = (
    BookColumn("Review by", "review_by", "date", note="the date the target's relevance must be reviewed by"),
    BookColumn("Last reviewed", "reviewed_on", "date", note="triggers after this day bring the review forward"),
    BookColumn("Expected volume", "expected_volume", "decimal",
               note="per measurement period: tickets, or requests for sampled targets"),
    BookColumn("Volume margin %", "volume_margin", "decimal",
               note="a period over the expected volume by more than this brings the review forward (empty: any)"),
)
OPTIONAL_KEPT = {"contract_target": tuple(c.field for c in REVIEW_COLUMNS)}  # kept when the sheet lacks them
SHEETS: tuple[BookSheet, ...] = (
    BookSheet("Suppliers", "supplier", Supplier, "One row per supplier.", (
        _text("Name", "name", required=True, width=28),
        _enum("Category", "category", SupplierCategory),
        _enum("Criticality", "criticality", Criticality),
        _text("Notes", "notes", width=48),
    )),
    BookSheet("Contracts", "contract", Contract, "One row per contract; the supplier must be on the Suppliers "
              "sheet or already in the workspace.", (
        _text("Ref", "ref", required=True, note="the contract's unique reference, e.g. NW-2025-014"),
        _ref("Supplier", "supplier_id", "Suppliers"),
        _text("Title", "title", required=True, width=32),
        BookColumn("Start date", "start_date", "date", True, note="a date cell, or text such as 2025-01-31"),
        BookColumn("End date", "end_date", "date", True, note="a date cell, or text such as 2027-12-31"),
        _enum("Currency", "currency", tuple(sorted(CURRENCY_DIGITS)), required=True),
        BookColumn("Charges", "charges", "decimal", True, note="per charging period, in the currency"),
        _enum("Charged per", "charges_period", ChargesPeriod),
        _enum("Renewal", "renewal_type", RenewalType),
        BookColumn("Notice days", "notice_days", "int", note="days of notice before the end date (default 90)"),
        _text("Owner", "owner"),
        _enum("Rounding", "rounding", Rounding, note="how credits under this contract are rounded"),
    )),
    BookSheet("Contract targets", "contract_target", ContractTarget, "The service levels each contract "
              "promises; a target's name is unique within its contract.", (
        _ref("Contract", "contract_id", "Contracts", width=16),
        _text("Name", "name", required=True, width=28),
        _enum("Metric", "metric", MetricKind, required=True),
        _enum("Comparison", "comparison", Comparison, note=">= for 'at least', <= for 'at most'"),
        BookColumn("Threshold", "threshold", "decimal", True),
        _text("Unit", "unit", note="% (default), ms, s, min, h or d", width=8),
        _enum("Measurement period", "measurement_period", ChargesPeriod),
        _ref("Service hours", "calendar_id", "Service calendars", required=False,
             note="a calendar from the Service calendars sheet; empty means 24x7"),
        _text("Description", "description", width=48),
        *REVIEW_COLUMNS,
    )),
    BookSheet("Measurement rules", "measurement_rule", MeasurementRule, "How each contract target is computed "
              "from the raw data; one row per target (a target without a row is not measured). Empty cells take "
              "the default the note gives.", (
        _ref("Contract", "target_id:0", "Contracts", width=16),
        _ref("Contract target", "target_id:1", "Contract targets", width=28),
        _enum("Source", "source", Source, required=True, note="what the figure is computed from"),
        _text("Priority", "priority", note="tickets: only this priority, e.g. P1; empty: every priority", width=10),
        _enum("Clock stops at", "stop", ("responded", "resolved", "closed"), note="tickets (default resolved)"),
        _enum("Clock starts at", "start", ("opened", "assigned"), note="tickets (default opened)"),
        BookColumn("Limit (minutes)", "limit_minutes", "decimal",
                   note="tickets: within this many minutes; latency: the limit in ms"),
        BookColumn("Percentile", "percentile", "int", note="cycle time and latency: which percentile (default 95)"),
        _bool("Business clock", "business_clock", note="tickets: the clock runs only in the service hours "
              "(default no)"),
        BookColumn("Pause states", "pause_states", "lines", note="event-log states in which the clock stops, "
                   "one per line", width=24),
        BookColumn("Initial states", "initial_states", "lines", note="states before a response; empty: New, "
                   "Unassigned", width=20),
        _enum("Response on", "response_on", ("auto", "state", "assignment"),
              note="what counts as responded in an event log (default auto)"),
        _bool("Weighted by impact", "weighted_by_impact", note="outages: downtime × impact % (default yes)"),
        BookColumn("Error limit %", "error_limit_percent", "decimal",
                   note="samples: an interval is bad above this error rate (default 5)"),
        _enum("Missing data", "missing_data", MissingData, note="samples: an interval without data (default "
              "unavailable)"),
        _enum("Budgeting", "budgeting", Budgeting, note="samples: share of good intervals or of good requests"),
        BookColumn("Interval (s)", "interval_seconds", "int", note="samples: the interval length (default 300)"),
        _text("Probe", "probe", note="samples: only this probe; empty: all"),
        _text("Service filter", "service", note="only records of this service; empty: all"),
        BookColumn("Maintenance notice days", "maintenance_notice_days", "int",
                   note="windows notified this many days ahead are excluded (default 0)"),
        _text("Name in vendor report", "report_name", width=24),
        BookColumn("Rounded to places", "compare_places", "int",
                   note="only if the contract rounds before comparing; empty: compared exactly"),
        _enum("Rounding", "compare_rounding", Rounding, note="how the contract rounds (default half-up)"),
        _text("Seasons", "seasons", note="thresholds by season, e.g. '15 Nov-15 Jan: 99.95; Jul-Aug: 99.9'; a "
              "season's threshold judges a whole month when any of its days is in the season; empty: none",
              width=28),
        _text("Core-hours calendar", "tier_calendar", note="a second tier: a calendar from the Service calendars "
              "sheet (e.g. core hours Mon-Fri 08-18); empty: no tier", width=20),
        BookColumn("Core-hours threshold", "tier_threshold", "decimal",
                   note="the core-hours tier's threshold (same comparison and unit as the target)"),
        _enum("Tier pricing", "tier_pricing", ("each", "worse"), note="the tiers' misses priced each "
              "separately or only the worse of the two, where the credit clause says nothing (default each)"),
    )),
    BookSheet("Credit clauses", "credit_clause", ClauseRow, "The contract's service-credit clauses, one row "
              "each, numbered 1, 2, 3… within the contract; fill only the columns the kind uses (see sltdesk "
              "clauses templates). A tiered credit or bonus takes its bands from the Clause bands sheet.", (
        _text("Contract", "contract", required=True, note="a contract's Ref", width=16),
        BookColumn("Clause no", "number", "int", True, note="1, 2, 3… within the contract"),
        _enum("Kind", "kind", ClauseKind, required=True),
        _text("Contract target", "target", note="a target of the contract; empty for a contract clause (at-risk "
              "pool, claim window, caps on the period or year)", width=24),
        BookColumn("Percent", "percent", "decimal", note="at-risk pool, allocation, cap: a share in %"),
        BookColumn("Amount", "amount", "decimal", note="fixed per breach, per unit, cap: in the contract's currency"),
        _enum("Unit", "unit", Unit, note="per unit, business impact: what is counted"),
        BookColumn("Free units", "free_units", "decimal", note="per unit: units that cost nothing"),
        BookColumn("Pool limit", "pool_limit", "decimal", note="at-risk pool: allocations may add up to this % "
                   "(default 100)"),
        BookColumn("Minimum", "minimum", "decimal", note="allocation: only a figure below it gives a credit"),
        _enum("Cap scope", "scope", CapScope, note="cap: per period or per year"),
        _text("Steps", "steps", note="multiplier: misses in a row : factor, e.g. 2:2; 3:3"),
        BookColumn("Periods", "periods", "int", note="earn-back: met in each of this many following periods"),
        _enum("Earn-back mode", "mode", EarnBackMode, note="earn-back: the credit is returned or waived"),
        _bool("Inclusive", "inclusive", note="tiered credit: ≤ instead of <; bonus: ≥ instead of >"),
        _bool("Netted", "netted", note="bonus: deducted from the credits (yes) or paid separately (no)"),
        BookColumn("Cost per unit", "cost_per_unit", "decimal", note="business impact"),
        BookColumn("Impact share", "impact_share", "decimal", note="business impact: % of the cost (default 100)"),
        BookColumn("Misses", "misses", "int", note="termination trigger: this many misses …"),
        BookColumn("Window", "window", "int", note="… in this many consecutive periods"),
        BookColumn("Days", "days", "int", note="claim window: days after period end"),
        BookColumn("Months", "months", "int", note="claim window: by the end of the n-th month after"),
        _text("Source", "source", note="where it comes from, e.g. Schedule 3 §2.1", width=24),
        _enum("Tier pricing", "tier_pricing", ("each", "worse"), note="credit on a target with a core-hours tier: "
              "each tier's miss priced separately, or only the worse of the two; empty: as the measurement rule "
              "says (default each)"),
        _text("Seasonal bands", "seasonal_bands", note="tiered credit: its own bands by season, e.g. '15 Nov-15 "
              "Jan: 99.95=10%, 99.5=25%' (BOUND=PERCENT% or BOUND=AMOUNT); a season's bands price a whole month "
              "when any of its days is in the season, the first season written where two are; empty: the bands "
              "on the Clause bands sheet all year", width=28),
    )),
    BookSheet("Clause bands", "clause_band", BandRow, "The bands of each tiered credit and bonus, keyed by the "
              "contract and the clause number; a clause's bands are read in row order.", (
        _text("Contract", "contract", required=True, width=16),
        BookColumn("Clause no", "number", "int", True),
        BookColumn("Bound", "bound", "decimal", True, note="the attainment edge, e.g. 99.9"),
        BookColumn("Percent", "percent", "decimal", note="a share of the period's charges"),
        BookColumn("Amount", "amount", "decimal", note="or a fixed amount"),
    )),
    BookSheet("Contacts", "supplier_contact", SupplierContact, "People at each supplier; a name is unique "
              "within its supplier.", (
        _ref("Supplier", "supplier_id", "Suppliers"),
        _text("Name", "name", required=True, width=26),
        _text("Role", "role", width=24),
        _text("Email", "email", width=28),
        _text("Phone", "phone"),
    )),
    BookSheet("Contingency plans", "contingency_plan", ContingencyPlan, "What to do when a supplier fails; a "
              "title is unique within its supplier.", (
        _ref("Supplier", "supplier_id", "Suppliers"),
        _text("Title", "title", required=True, width=28),
        _text("Trigger", "trigger", width=32),
        _text("Failover procedure", "failover_procedure", width=40),
        _text("Manual workaround", "manual_workaround", width=40),
        _text("Owner", "owner"),
        BookColumn("Last tested", "last_tested", "date", note="a date cell, or text such as 2026-03-31"),
        BookColumn("Test interval (days)", "test_interval_days", "int", note="default 365"),
    )),
    BookSheet("Service calendars", "calendar", ServiceCalendar, "Business hours per weekday in an IANA time "
              "zone; write 08:00-18:00 (or 08:00-12:00,13:00-17:00), leave a day empty when closed.", (
        _text("Name", "name", required=True, width=26),
        _text("Time zone", "timezone", required=True, note="IANA name such as Europe/London", width=18),
        *(BookColumn(day.capitalize(), f"hours:{day}", "hours", width=13) for day in WEEKDAYS),
        _text("Holiday country", "holiday_country", note="ISO code such as GB", width=10),
        _text("Holiday subdivision", "holiday_subdivision", note="e.g. ENG", width=10),
        BookColumn("Closure days", "closure_days", "dates", note="one date per line (or separated by ;)"),
    )),
    BookSheet("Business units", "business_unit", BusinessUnit, "Business units or product lines that own "
              "services.", (
        _text("Name", "name", required=True, width=26),
        _text("Description", "description", width=48),
    )),
    BookSheet("Services", "service", Service, "Business services; a service's name is unique.", (
        _text("Name", "name", required=True, width=28),
        _ref("Business unit", "business_unit_id", "Business units"),
        _text("Owner", "owner"),
        _text("Description", "description", width=48),
    )),
    BookSheet("End-to-end targets", "end_to_end_target", EndToEndTarget, "What each service owes its business "
              "unit, with the assumptions behind it; a target's name is unique within its service.", (
        _ref("Service", "service_id", "Services"),
        _text("Name", "name", required=True, width=28),
        _ref("Business unit", "business_unit_id", "Business units", required=False,
             note="empty: the service's business unit"),
        _text("Product line", "product_line"),
        _enum("Kind", "kind", TargetKind),
        _enum("Metric", "metric", MetricKind, required=True),
        _enum("Comparison", "comparison", Comparison),
        BookColumn("Threshold", "threshold", "decimal", True),
        _enum("Unit", "unit", TARGET_UNITS),
        _enum("Measurement period", "measurement_period", ChargesPeriod),
        _ref("Service hours", "calendar_id", "Service calendars", required=False, note="empty means 24x7"),
        _text("Tier", "tier", note="e.g. core hours"),
        _enum("Composition", "composition", CompositionRule,
              note="empty: chosen from the metric and unit"),
        _text("Weights rationale", "weights_rationale", note="required for a weighted average", width=32),
        _text("Data owner", "data_owner"),
        _text("Source system", "source_system"),
        BookColumn("Expected volume", "expected_volume", "decimal"),
        _text("Volume unit", "volume_unit", note="e.g. orders per day"),
        BookColumn("Third-party dependencies", "third_party_dependencies", "lines",
                   note="one per line (or separated by ;)", width=32),
        _text("Assumptions", "assumptions", width=40),
        _text("Description", "description", width=40),
    )),
    BookSheet("Escalation paths", "escalation_level", EscalationLevel, "The ordered levels each end-to-end "
              "target escalates through.", (
        _ref("Service", "target_id:0", "Services"),
        _ref("End-to-end target", "target_id:1", "End-to-end targets"),
        BookColumn("Level", "level", "int", True, note="1 first"),
        _text("Role", "role", required=True),
        _text("Person", "person"),
        _text("Decision authority", "decision_authority", width=28),
        _text("Channel", "channel"),
        BookColumn("Minutes to escalate", "minutes_to_escalate", "int"),
        BookColumn("Remediation steps", "remediation_steps", "lines", note="one per line", width=40),
    )),
    BookSheet("Components", "component", Component, "The responsibility boundaries of each end-to-end target; "
              "stages run 1, 2, 3… along the chain, components sharing a stage are redundant (parallel).", (
        _ref("Service", "target_id:0", "Services"),
        _ref("End-to-end target", "target_id:1", "End-to-end targets"),
        _text("Component", "name", required=True, width=28),
        BookColumn("Stage", "stage", "int", True),
        BookColumn("Weight", "weight", "decimal", note="for a weighted average only (default 1)"),
        _text("Description", "description", width=40),
    )),
    BookSheet("Mapping", "component_mapping", ComponentMapping, "Which contract target covers which component; "
              "a component may have none (a gap), one, or several.", (
        _ref("Service", "component_id:0", "Services"),
        _ref("End-to-end target", "component_id:1", "End-to-end targets"),
        _ref("Component", "component_id:2", "Components"),
        _ref("Contract", "contract_target_id:0", "Contracts", width=16),
        _ref("Contract target", "contract_target_id:1", "Contract targets", width=28),
        _text("Note", "note", width=32),
    )),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
CLAUSE_ENTITIES = ("credit_clause", "clause_band")  # stored by their own rules, after the records they name
SHEET_BY_ENTITY = {s.entity: s for s in SHEETS}
# Dependency order: a record's references are stored before it.
ENTITY_ORDER = ("business_unit", "supplier", "supplier_contact", "contingency_plan", "calendar", "contract",
                "contract_target", "measurement_rule", "service",
                "end_to_end_target", "escalation_level", "component", "component_mapping")
# Foreign key -> the entity it points to.
REFERENCES: dict[str, dict[str, str]] = {
    "contract": {"supplier_id": "supplier"},
    "contract_target": {"contract_id": "contract", "calendar_id": "calendar"},
    "measurement_rule": {"target_id": "contract_target"},
    "supplier_contact": {"supplier_id": "supplier"},
    "contingency_plan": {"supplier_id": "supplier"},
    "service": {"business_unit_id": "business_unit"},
    "end_to_end_target": {"service_id": "service", "business_unit_id": "business_unit", "calendar_id": "calendar"},
    "escalation_level": {"target_id": "end_to_end_target"},
    "component": {"target_id": "end_to_end_target"},
    "component_mapping": {"component_id": "component", "contract_target_id": "contract_target"},
}
# A record's natural key: its own fields after the names of the records it belongs to.
KEY_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "business_unit": ((), ("name",)),
    "supplier": ((), ("name",)),
    "calendar": ((), ("name",)),
    "contract": ((), ("ref",)),
    "contract_target": (("contract_id",), ("name",)),
    "measurement_rule": (("target_id",), ()),
    "supplier_contact": (("supplier_id",), ("name",)),
    "contingency_plan": (("supplier_id",), ("title",)),
    "credit_clause": ((), ("contract", "number")),
    "clause_band": ((), ("contract", "number", "bound")),
    "service": ((), ("name",)),
    "end_to_end_target": (("service_id",), ("name",)),
    "escalation_level": (("target_id",), ("level",)),
    "component": (("target_id",), ("name",)),
    "component_mapping": (("component_id", "contract_target_id"), ()),
}
