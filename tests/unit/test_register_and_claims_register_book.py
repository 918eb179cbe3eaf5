"""The contract-register workbook's rules: natural keys, the order of the rows, a record as a row and a row as a
record, pinned on the Northwind contract (supplier 5, contract 20, targets 30/31, UK calendar 40) and the card
payments service (business unit 1, service 50, end-to-end target 60)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sltdesk.domain.mapping import Component, ComponentMapping, CompositionRule, EndToEndTarget, EscalationLevel
from sltdesk.domain.money import Rounding
from sltdesk.domain.register import (
    BusinessUnit,
    Comparison,
    Contract,
    ContractTarget,
    Criticality,
    MetricKind,
    RenewalType,
    Service,
    ServiceCalendar,
    Supplier,
    SupplierCategory,
)
from sltdesk.domain.register_book import SHEET_BY_ENTITY, BookEntry, RegisterBook
from sltdesk.rules.register_book import (
    book_from_records,
    entry_from_row,
    natural_key,
    row_values,
    same_content,
    sort_key,
    with_ids,
)

D = Decimal
NORTHWIND = Supplier("Northwind Networks", SupplierCategory.NETWORK_CARRIER, Criticality.HIGH, id=5)
ACME = Supplier("acme cloud", id=6)
UK = ServiceCalendar("UK office", "Europe/London", hours=(
    ("mon", "08:00-18:00"), ("tue", "08:00-18:00"), ("wed", "08:00-12:00,13:00-17:00"), ("thu", ""),
    ("fri", "08:00-18:00")), holiday_country="GB", holiday_subdivision="ENG",
    closure_days=(date(2026, 12, 24), date(2026, 12, 31)), id=40)
WAN = Contract("NW-2025-014", 5, "Managed WAN", date(2025, 1, 1), date(2027, 12, 31), "GBP", D("48000.00"),
               renewal_type=RenewalType.TACIT, notice_days=180, id=20)
ORPHAN = Contract("ZZ-1", 99, "Supplier not in the workbook", date(2025, 1, 1), date(2025, 12, 31), "EUR", D("10"),
                  id=21)
SL1 = ContractTarget(20, "SL1 Availability", MetricKind.AVAILABILITY, D("99.95"), id=30)
SL2 = ContractTarget(20, "SL2 P1 response", MetricKind.RESPONSE_TIME, D("30"), Comparison.AT_MOST, "min",
                     calendar_id=40, id=31)
RETAIL = BusinessUnit("Retail", id=1)
CARDS = Service("Card payments", 1, id=50)
CHECKOUT = EndToEndTarget(50, 1, "Checkout availability", MetricKind.AVAILABILITY, D("99.9"), id=60)
LEVEL_10 = EscalationLevel(60, 10, "CIO", id=71)
LEVEL_9 = EscalationLevel(60, 9, "Head of IT", remediation_steps=("Fail over to the second carrier",), id=70)
CARRIER = Component(60, "Carrier", stage=2, id=80)
COVER = ComponentMapping(80, 30, id=90)

CHECKOUT_KEY = ("Card payments", "Checkout availability")


def records() -> dict[str, list]:
    return {"supplier": [NORTHWIND, ACME], "calendar": [UK], "contract": [WAN, ORPHAN], "contract_target": [SL2, SL1],
            "business_unit": [RETAIL], "service": [CARDS], "end_to_end_target": [CHECKOUT],
            "escalation_level": [LEVEL_10, LEVEL_9], "component": [CARRIER], "component_mapping": [COVER]}


# --- keys and order ------------------------------------------------------------------------------------------------


def test_a_natural_key_puts_the_names_of_the_owners_before_the_records_own_fields():
    assert natural_key(BookEntry("supplier", NORTHWIND)) == ("Northwind Networks",)
    assert natural_key(BookEntry("contract_target", SL1, {"contract_id": ("NW-2025-014",)})) == (
        "NW-2025-014", "SL1 Availability")
    assert natural_key(BookEntry("escalation_level", LEVEL_9, {"target_id": CHECKOUT_KEY})) == (*CHECKOUT_KEY, 9)


def test_a_mapping_is_keyed_by_its_component_and_its_contract_target_alone():
    entry = BookEntry("component_mapping", COVER, {"component_id": (*CHECKOUT_KEY, "Carrier"),
                                                   "contract_target_id": ("NW-2025-014", "SL1 Availability")})
    assert natural_key(entry) == (*CHECKOUT_KEY, "Carrier", "NW-2025-014", "SL1 Availability")


def test_an_owner_whose_name_is_unknown_leaves_only_the_records_own_fields_in_the_key():
    assert natural_key(BookEntry("contract_target", SL1)) == ("SL1 Availability",)


def test_a_sort_key_puts_numbers_first_in_numeric_order_and_texts_without_regard_to_case():
    assert sort_key(("NW-2025-014", 3)) == ((1, 0, "nw-2025-014"), (0, 3, ""))
    keys = [("b",), (10,), ("A",), (9,)]
    assert sorted(keys, key=sort_key) == [(9,), (10,), ("A",), ("b",)]


# --- records to workbook entries -----------------------------------------------------------------------------------


def test_stored_records_become_entries_in_dependency_order_named_by_their_owners_and_sorted_by_key():
    book = book_from_records(records())
    assert isinstance(book, RegisterBook)
    assert list(book.entries) == [
        BookEntry("business_unit", RETAIL, {}),
        BookEntry("supplier", ACME, {}),  # "acme" before "Northwind": case is ignored
        BookEntry("supplier", NORTHWIND, {}),
        BookEntry("calendar", UK, {}),
        BookEntry("contract", WAN, {"supplier_id": ("Northwind Networks",)}),
        BookEntry("contract", ORPHAN, {}),  # supplier 99 is not among the records: no name
        BookEntry("contract_target", SL1, {"contract_id": ("NW-2025-014",)}),  # no calendar: no name
        BookEntry("contract_target", SL2, {"contract_id": ("NW-2025-014",), "calendar_id": ("UK office",)}),
        BookEntry("service", CARDS, {"business_unit_id": ("Retail",)}),
        BookEntry("end_to_end_target", CHECKOUT, {"service_id": ("Card payments",), "business_unit_id": ("Retail",)}),
        BookEntry("escalation_level", LEVEL_9, {"target_id": CHECKOUT_KEY}),  # level 9 before level 10
        BookEntry("escalation_level", LEVEL_10, {"target_id": CHECKOUT_KEY}),
        BookEntry("component", CARRIER, {"target_id": CHECKOUT_KEY}),
        BookEntry("component_mapping", COVER, {"component_id": (*CHECKOUT_KEY, "Carrier"),
                                               "contract_target_id": ("NW-2025-014", "SL1 Availability")}),
    ]


def test_a_contract_exported_without_its_suppliers_has_no_supplier_name():
    assert book_from_records({"contract": [WAN]}).entries == (BookEntry("contract", WAN, {}),)
    assert book_from_records({}).entries == ()


# --- entries to rows -----------------------------------------------------------------------------------------------


def test_a_contract_row_names_its_supplier_and_writes_enums_as_their_words():
    entry = BookEntry("contract", WAN, {"supplier_id": ("Northwind Networks",)})
    assert row_values(SHEET_BY_ENTITY["contract"], entry) == [
        "NW-2025-014", "Northwind Networks", "Managed WAN", date(2025, 1, 1), date(2027, 12, 31), "GBP",
        D("48000.00"), "month", "tacit", 180, None, "half-up"]  # no owner: an empty cell


def test_a_target_without_a_calendar_leaves_the_service_hours_cell_empty():
    entry = BookEntry("contract_target", SL1, {"contract_id": ("NW-2025-014",)})
    assert row_values(SHEET_BY_ENTITY["contract_target"], entry) == [
        "NW-2025-014", "SL1 Availability", "availability", ">=", D("99.95"), "%", "month", None, None,
        None, None, None, None]  # no review cycle: its four optional cells empty


def test_a_calendar_row_has_one_cell_per_weekday_empty_when_closed_or_not_given():
    assert row_values(SHEET_BY_ENTITY["calendar"], BookEntry("calendar", UK)) == [
        "UK office", "Europe/London", "08:00-18:00", "08:00-18:00", "08:00-12:00,13:00-17:00", None, "08:00-18:00",
        None, None, "GB", "ENG", [date(2026, 12, 24), date(2026, 12, 31)]]


def test_a_composite_reference_fills_one_cell_per_part_and_lines_become_a_list():
    entry = BookEntry("escalation_level", LEVEL_9, {"target_id": CHECKOUT_KEY})
    assert row_values(SHEET_BY_ENTITY["escalation_level"], entry) == [
        "Card payments", "Checkout availability", 9, "Head of IT", None, None, None, 0,
        ["Fail over to the second carrier"]]


# --- rows to entries -----------------------------------------------------------------------------------------------


def test_a_contract_row_becomes_a_record_with_defaults_for_empty_cells_and_its_supplier_by_name():
    values = {"ref": "NW-2025-014", "@supplier_id": "Northwind Networks", "title": "Managed WAN",
              "start_date": date(2025, 1, 1), "end_date": date(2027, 12, 31), "currency": "GBP",
              "charges": D("48000.00"), "charges_period": None, "renewal_type": "tacit", "notice_days": 180,
              "owner": None, "rounding": None}
    entry = entry_from_row(SHEET_BY_ENTITY["contract"], values, 4)
    expected = Contract("NW-2025-014", 0, "Managed WAN", date(2025, 1, 1), date(2027, 12, 31), "GBP",
                        D("48000.00"), renewal_type=RenewalType.TACIT, notice_days=180, rounding=Rounding.HALF_UP)
    assert entry == BookEntry("contract", expected, {"supplier_id": ("Northwind Networks",)}, 4)


def test_an_empty_optional_reference_stays_none_and_is_not_named():
    values = {"@contract_id": "NW-2025-014", "name": "SL1 Availability", "metric": "availability",
              "threshold": D("99.95"), "@calendar_id": None}
    entry = entry_from_row(SHEET_BY_ENTITY["contract_target"], values, 7)
    assert entry == BookEntry("contract_target", ContractTarget(0, "SL1 Availability", MetricKind.AVAILABILITY,
                                                                D("99.95")), {"contract_id": ("NW-2025-014",)}, 7)
    blank = entry_from_row(SHEET_BY_ENTITY["contract_target"], {**values, "@calendar_id": ""}, 7)
    assert blank.refs == {"contract_id": ("NW-2025-014",)} and blank.record.calendar_id is None


def test_a_calendar_row_reads_its_weekday_hours_and_closure_days():
    values = {"name": "UK office", "timezone": "Europe/London", "hours:mon": "08:00-18:00",
              "hours:tue": "08:00-18:00", "hours:wed": "08:00-12:00,13:00-17:00", "hours:thu": None,
              "hours:fri": "08:00-18:00", "hours:sat": None, "hours:sun": None, "holiday_country": "GB",
              "holiday_subdivision": "ENG", "closure_days": [date(2026, 12, 24)]}
    entry = entry_from_row(SHEET_BY_ENTITY["calendar"], values, 2)
    assert entry.record == ServiceCalendar("UK office", "Europe/London", hours=(
        ("mon", "08:00-18:00"), ("tue", "08:00-18:00"), ("wed", "08:00-12:00,13:00-17:00"), ("thu", ""),
        ("fri", "08:00-18:00"), ("sat", ""), ("sun", "")), holiday_country="GB", holiday_subdivision="ENG",
        closure_days=(date(2026, 12, 24),))
    assert (entry.entity, entry.refs, entry.row) == ("calendar", {}, 2)


def test_a_composite_reference_is_read_back_as_the_tuple_of_its_parts():
    values = {"@target_id:0": "Card payments", "@target_id:1": "Checkout availability", "name": "Carrier",
              "stage": 2, "weight": None, "description": None}
    entry = entry_from_row(SHEET_BY_ENTITY["component"], values, 3)
    assert entry == BookEntry("component", Component(0, "Carrier", stage=2), {"target_id": CHECKOUT_KEY}, 3)


def test_an_end_to_end_target_without_a_composition_gets_the_one_its_metric_and_unit_follow():
    base = {"@service_id": "Card payments", "name": "Checkout", "@business_unit_id": None, "threshold": D("2")}
    sheet = SHEET_BY_ENTITY["end_to_end_target"]
    budget = entry_from_row(sheet, {**base, "metric": "response time", "unit": "s"}, 5)
    assert budget.record == EndToEndTarget(0, 0, "Checkout", MetricKind.RESPONSE_TIME, D("2"), unit="s",
                                           composition=CompositionRule.BUDGET)
    assert budget.refs == {"service_id": ("Card payments",)}
    errors = entry_from_row(sheet, {**base, "metric": "error rate"}, 6)
    assert errors.record.composition is CompositionRule.ERROR and errors.record.unit == "%"


def test_a_composition_written_in_the_row_is_kept():
    values = {"@service_id": "Card payments", "name": "Checkout", "metric": "availability", "threshold": D("99.9"),
              "composition": "weighted average"}
    entry = entry_from_row(SHEET_BY_ENTITY["end_to_end_target"], values, 5)
    assert entry.record.composition is CompositionRule.WEIGHTED


# --- ids and comparison --------------------------------------------------------------------------------------------


def test_resolved_ids_are_filled_into_the_record():
    entry = BookEntry("contract_target", ContractTarget(0, "SL2", MetricKind.RESPONSE_TIME, D("30")))
    assert with_ids(entry, {"contract_id": 20, "calendar_id": 40, "id": 31}) == ContractTarget(
        20, "SL2", MetricKind.RESPONSE_TIME, D("30"), calendar_id=40, id=31)


def test_records_equal_but_for_the_id_and_the_writing_of_a_number_have_the_same_content():
    unsaved = Contract("NW-2025-014", 5, "Managed WAN", date(2025, 1, 1), date(2027, 12, 31), "GBP", D("48000"),
                       renewal_type=RenewalType.TACIT, notice_days=180)
    assert same_content(WAN, unsaved) and same_content(unsaved, WAN)
    assert not same_content(WAN, Contract(**{**unsaved.__dict__, "title": "Managed LAN"}))
