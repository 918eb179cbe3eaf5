"""The contract-register workbook: template, a register filled by hand, findings, storage and the round trip."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from importers.contract_register import read_contract_register
from models.workspace import open_workspace
from reports.contract_register_xlsx import write_contract_register
from sltdesk.domain.mapping import Component, ComponentMapping, CompositionRule, EndToEndTarget, EscalationLevel
from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.domain.register import (
    ContingencyPlan,
    Contract,
    ContractTarget,
    RenewalType,
    ServiceCalendar,
    Supplier,
    SupplierContact,
)
from sltdesk.domain.register_book import SHEETS, TEMPLATE_VERSION
from sltdesk.rules.register_book import natural_key
from sltdesk.services.audit import audit_head, recent_audit, verify_audit
from sltdesk.services.register import list_records
from sltdesk.services.register_import import RegisterImportRefused, import_register, register_book


def _fill(path, rows: dict[str, list[list]]) -> None:
    """Type rows under the template's headers, the way a user fills the workbook in Excel."""
    workbook = openpyxl.load_workbook(path)
    for sheet, values in rows.items():
        for row in values:
            workbook[sheet].append(row)
            for cell in workbook[sheet][workbook[sheet].max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed as text ('=…), not as a formula
    workbook.save(path)


HAND_FILLED = {
    "Suppliers": [["Northwind Networks", "network carrier", "critical", "=HYPERLINK(\"http://evil\")"],
                  ["Stratus Hosting", "Cloud Hosting", "high"]],
    "Contracts": [
        # start as text, end as a bare Excel serial (46752 = 2027-12-31), charges typed with a thousands comma
        ["NW-2025-014", "Northwind Networks", "Managed WAN", "2025-01-01", 46752, "GBP", "48,000", "month",
         "express", 180, "Alan Hughes", "half-up"],
        # start as a real date cell, end as d.m.Y text
        ["ST-2024-003", "Stratus Hosting", "IaaS hosting", date(2024, 4, 1), "31.03.2027", "EUR", 31500.5,
         "month", "tacit", 120, None, "half-even"],
    ],
    "Contract targets": [
        ["NW-2025-014", "SL1 Availability", "availability", ">=", 99.95, "%", "month", "24x7 London"],
        ["ST-2024-003", "Availability", "availability", "≥", "99.9", None, "month", None],
    ],
    "Service calendars": [["24x7 London", "Europe/London", *(["00:00-24:00"] * 7), None, None, None]],
    "Business units": [["Digital Commerce", "Web shop"]],
    "Services": [["Online order fulfilment", "Digital Commerce", "Priya Natarajan"]],
    "End-to-end targets": [["Online order fulfilment", "Web shop availability", None, "Web shop",
                            "customer-facing SLA", "availability", ">=", 99.9, "%", "month", "24x7 London", "24x7",
                            None, None, "Priya Natarajan", "Synthetic checks", 18000, "orders per day",
                            "Northwind\nStratus", "- peak 3x before Christmas"]],
    "Escalation paths": [["Online order fulfilment", "Web shop availability", 1, "Duty manager", None,
                          "Open a P1", "Phone", 15, "Confirm\nOpen P1"]],
    "Components": [["Online order fulfilment", "Web shop availability", "Network", 1],
                   ["Online order fulfilment", "Web shop availability", "Hosting", 2]],
    "Mapping": [["Online order fulfilment", "Web shop availability", "Network", "NW-2025-014", "SL1 Availability"],
                ["Online order fulfilment", "Web shop availability", "Hosting", "ST-2024-003", "Availability"]],
}


@pytest.fixture
def template(tmp_path):
    return write_contract_register(tmp_path / "register.xlsx")


def test_the_template_is_versioned_documented_frozen_and_has_dropdowns(template):
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == ["Instructions", *(s.name for s in SHEETS), "Lists"]
    assert workbook["Lists"].sheet_state == "hidden"
    instructions = workbook["Instructions"]
    assert instructions["A2"].value == "Template version" and instructions["B2"].value == TEMPLATE_VERSION
    contracts = workbook["Contracts"]
    assert contracts.freeze_panes == "A2"
    assert [c.value for c in contracts[1]][:3] == ["Ref *", "Supplier *", "Title *"]
    renewal = next(v for v in contracts.data_validations.dataValidation if "I2" in v.sqref)
    assert renewal.type == "list" and renewal.showErrorMessage
    lists = workbook["Lists"]
    letter = renewal.formula1.split("$")[1]
    assert [lists[f"{letter}{r}"].value for r in range(2, 5)] == ["never", "tacit", "express"]


def test_a_register_filled_by_hand_imports_with_its_dates_money_and_lists(template, workspace):
    _fill(template, HAND_FILLED)
    reading = read_contract_register(template)
    assert reading.errors == []
    result = import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    assert result.created["contract"] == 2 and result.created["component_mapping"] == 2
    contracts = {c.ref: c for c in list_records(workspace, Contract)}
    northwind = contracts["NW-2025-014"]
    assert (northwind.start_date, northwind.end_date) == (date(2025, 1, 1), date(2027, 12, 31))
    assert str(northwind.charges) == "48000.00" and northwind.renewal_type is RenewalType.EXPRESS
    stratus = contracts["ST-2024-003"]
    assert (stratus.start_date, stratus.end_date, str(stratus.charges)) == \
        (date(2024, 4, 1), date(2027, 3, 31), "31500.50")
    assert {s.name: s.notes for s in list_records(workspace, Supplier)}["Northwind Networks"] == \
        '=HYPERLINK("http://evil")'
    target = list_records(workspace, EndToEndTarget)[0]
    assert target.third_party_dependencies == ("Northwind", "Stratus")
    assert target.assumptions == "- peak 3x before Christmas" and target.expected_volume == Decimal(18000)
    assert target.composition is CompositionRule.PRODUCT  # chosen from availability in %
    assert list_records(workspace, EscalationLevel)[0].remediation_steps == ("Confirm", "Open P1")
    thresholds = {t.name: t.threshold for t in list_records(workspace, ContractTarget)}
    assert thresholds == {"SL1 Availability": Decimal("99.95"), "Availability": Decimal("99.9")}


def test_every_stored_record_and_the_import_itself_are_audited_with_the_files_hash(template, workspace):
    _fill(template, HAND_FILLED)
    reading = read_contract_register(template)
    import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    entries = recent_audit(workspace)
    assert len(entries) == len(reading.book.entries) + 1
    last = entries[0]
    assert last.action == "import" and last.after["sha256"] == hashlib.sha256(template.read_bytes()).hexdigest()
    assert last.after["created"]["supplier"] == 2 and verify_audit(workspace).ok
    again = import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    assert again.created == {} and again.unchanged == len(reading.book.entries)
    assert audit_head(workspace).entries == len(entries) + 1


def test_a_mistyped_dropdown_value_is_reported_by_sheet_row_and_column_and_nothing_is_read(template):
    rows = dict(HAND_FILLED, Contracts=[HAND_FILLED["Contracts"][0][:8] + ["tacitly"] +
                                        HAND_FILLED["Contracts"][0][9:]])
    _fill(template, rows)
    messages = [str(f) for f in read_contract_register(template).errors]
    assert messages == ["Contracts row 2, column I (Renewal): 'tacitly' is not one of never, tacit, express; "
                        "did you mean 'tacit'?"]


def test_bad_cells_each_get_their_own_precise_message(template):
    contract = HAND_FILLED["Contracts"][0]
    rows = dict(HAND_FILLED, Contracts=[
        contract[:3] + ["03/04/2025", "2027-02-30"] + contract[5:],
        ["ST-2024-003", "Stratus Hosting", None, "2024-04-01", "2027-03-31", "EUR", 31500],
        ["ST-2025-011", "Stratus Hosting", "Backup", "2025-06-01", "2027-05-31", "EUR", "31,500.505"],
    ])
    _fill(template, rows)
    messages = [str(f) for f in read_contract_register(template).errors]
    assert messages == [
        "Contracts row 2, column D (Start date): '03/04/2025' could be 3 April or 4 March; write it as "
        "YYYY-MM-DD, or import with --dayfirst / --no-dayfirst.",
        "Contracts row 2, column E (End date): '2027-02-30' is not a date that exists; check the day and month.",
        "Contracts row 3, column C (Title): Title is required; fill it in.",
        "Contracts row 4, column G (Charges): 31500.505 has more decimals than EUR allows; round it to 2 places.",
    ]
    dayfirst = read_contract_register(template, dayfirst=True)
    assert "row 2, column D" not in str(dayfirst.errors[0])


def test_an_unknown_name_refuses_the_whole_import_and_stores_nothing(template, workspace):
    mapping = [row[:] for row in HAND_FILLED["Mapping"]]
    mapping[1][4] = "Availabilty"
    _fill(template, dict(HAND_FILLED, Mapping=mapping))
    reading = read_contract_register(template)
    with pytest.raises(RegisterImportRefused) as refused:
        import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    assert [str(f) for f in refused.value.findings] == [
        "Mapping row 3, column D (Contract): no contract target 'ST-2024-003 / Availabilty' on the Contract "
        "targets sheet or in the workspace; check the spelling."]
    assert list_records(workspace, Supplier) == [] and audit_head(workspace).entries == 0


def test_rows_naming_records_already_in_the_workspace_update_them(template, workspace):
    _fill(template, HAND_FILLED)
    reading = read_contract_register(template)
    import_register(workspace, reading.book, file_name="a.xlsx", sha256=reading.sha256)
    workbook = openpyxl.load_workbook(template)
    workbook["Contract targets"]["E2"] = 99.99
    workbook.save(template)
    second = read_contract_register(template)
    result = import_register(workspace, second.book, file_name="b.xlsx", sha256=second.sha256)
    assert result.updated == {"contract_target": 1}
    entry = recent_audit(workspace, 2)[1]
    assert (entry.action, entry.before["threshold"], entry.after["threshold"]) == ("update", "99.95", "99.99")


def _records(ws) -> dict:
    """Every register and mapping record by natural key, without ids."""
    book = register_book(ws)
    return {(e.entity, natural_key(e)): (_without_ids(e.record), e.refs) for e in book.entries}


def _without_ids(record):
    import dataclasses

    ids = {f.name: None for f in dataclasses.fields(record) if f.name == "id" or f.name.endswith("_id")}
    return dataclasses.replace(record, **ids)


def _cells(path) -> dict:
    """Every cell (value and type) and every data-validation list of every sheet; not the file's metadata."""
    workbook = openpyxl.load_workbook(path)
    return {ws.title: ([[(c.value, c.data_type) for c in row] for row in ws.iter_rows()],
                       sorted((v.type, v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation))
            for ws in workbook}


def test_export_then_import_into_an_empty_workspace_then_export_is_lossless(demo_file, workspace, tmp_path):
    source = open_workspace(demo_file)
    try:
        first = write_contract_register(tmp_path / "first.xlsx", register_book(source))
        original = _records(source)
    finally:
        source.close()
    reading = read_contract_register(first)
    assert reading.errors == []
    import_register(workspace, reading.book, file_name="first.xlsx", sha256=reading.sha256)
    second = write_contract_register(tmp_path / "second.xlsx", register_book(workspace))
    assert _cells(first) == _cells(second)
    assert _records(workspace) == original
    kinds = {kind: len(list_records(workspace, kind)) for kind in (ServiceCalendar, EndToEndTarget, Component,
                                                                   ComponentMapping, EscalationLevel, MeasurementRule,
                                                                   SupplierContact, ContingencyPlan)}
    assert kinds == {ServiceCalendar: 5, EndToEndTarget: 9, Component: 19, ComponentMapping: 19, EscalationLevel: 7,
                     MeasurementRule: 18, SupplierContact: 9, ContingencyPlan: 6}


def test_text_that_looks_like_a_formula_is_written_as_text(template, workspace, tmp_path):
    _fill(template, HAND_FILLED)
    reading = read_contract_register(template)
    import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    exported = write_contract_register(tmp_path / "export.xlsx", register_book(workspace))
    workbook = openpyxl.load_workbook(exported)
    notes = workbook["Suppliers"]["D2"]
    assert notes.value == "'=HYPERLINK(\"http://evil\")" and notes.data_type == "s"
    assumptions = next(c for c in workbook["End-to-end targets"][2] if c.value and "peak" in str(c.value))
    assert assumptions.value == "'- peak 3x before Christmas"
    formulas = [c.coordinate for ws in workbook for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


V2_ROWS = {
    "Measurement rules": [
        ["NW-2025-014", "SL1 Availability", "outages", None, None, None, None, None, None, None, None, None, "no",
         None, None, None, None, None, "MPLS WAN", 7, None, 2, "half-even"],
    ],
    "Contacts": [["Northwind Networks", "Dana Scully", "Service manager", "dana@northwind.example", "+44 20 1"]],
    "Contingency plans": [["Northwind Networks", "WAN outage", "P1 over 2 h", "Fail over to 4G", None, "Tom",
                           date(2026, 3, 1), 180]],
}


def test_a_version_two_register_sets_rules_contacts_and_plans(template, workspace):
    _fill(template, HAND_FILLED | V2_ROWS)
    reading = read_contract_register(template)
    assert reading.errors == []
    import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    [rule] = list_records(workspace, MeasurementRule)
    assert (rule.source, rule.service, rule.maintenance_notice_days, rule.weighted_by_impact) == (
        Source.OUTAGES, "MPLS WAN", 7, False)
    assert (rule.compare_places, rule.compare_rounding.value, rule.interval_seconds) == (2, "half-even", 300)
    [contact] = list_records(workspace, SupplierContact)
    assert (contact.name, contact.email) == ("Dana Scully", "dana@northwind.example")
    [plan] = list_records(workspace, ContingencyPlan)
    assert (plan.title, plan.last_tested, plan.test_interval_days) == ("WAN outage", date(2026, 3, 1), 180)


def test_a_bad_measurement_rule_cell_is_named_by_sheet_row_and_column(template):
    bad = [["NW-2025-014", "SL1 Availability", "samples", None, None, None, None, 101, "perhaps"]]
    _fill(template, HAND_FILLED | {"Measurement rules": bad})
    messages = [str(f) for f in read_contract_register(template).errors]
    assert messages == ["Measurement rules row 2, column I (Business clock): 'perhaps' is not yes or no."]
    _fill(template, {"Measurement rules": [["NW-2025-014", "SL1 Availability", "samples", None, None, None, None,
                                            101]]})
    messages = [str(f) for f in read_contract_register(template).errors]
    assert messages[1:] == ["Measurement rules row 3, column H (Percentile): Percentile is a whole number from 1 to "
                            "100 (got 101)."]


def test_a_version_one_register_still_imports(template, workspace):
    _fill(template, HAND_FILLED)
    workbook = openpyxl.load_workbook(template)
    for name in ("Measurement rules", "Contacts", "Contingency plans"):
        del workbook[name]
    workbook["Instructions"]["B2"] = "1"
    workbook.save(template)
    reading = read_contract_register(template)
    assert reading.errors == [] and [f for f in reading.findings if "missing" in f.message] == []
    import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    assert len(list_records(workspace, ContractTarget)) == 2 and list_records(workspace, MeasurementRule) == []
    workbook["Instructions"]["B2"] = "3"
    workbook.save(template)
    [error] = read_contract_register(template).errors
    assert "template version '3'; this SLT Desk reads versions 1 and 2" in str(error)


def test_clause_rows_name_what_is_wrong_by_sheet_row_and_column(template):
    clauses = [["NW-2025-014", 1, "cap", None, 10, None, None, None, None, None, "period", "2:2"],
               ["NW-2025-014", 2, "tiered credit", "SL9"],
               ["NW-2025-099", 1, "claim window"]]
    bands = [["NW-2025-014", 1, 99.9, 5], ["NW-2025-014", 7, 99.0, 10]]
    _fill(template, HAND_FILLED | {"Credit clauses": clauses, "Clause bands": bands})
    reading = read_contract_register(template)
    assert reading.errors == []  # the rows read; what they mean is checked against the register
    with pytest.raises(RegisterImportRefused) as refused:
        ws = open_workspace(template.with_suffix(".sltdesk"), create=True)
        try:
            import_register(ws, reading.book, file_name="register.xlsx", sha256=reading.sha256)
        finally:
            ws.close()
    assert sorted(map(str, refused.value.findings)) == sorted([
        "Credit clauses row 2, column L (Steps): a cap clause has no steps; leave the cell empty.",
        "Clause bands row 2, column B (Clause no): clause 1 of NW-2025-014 is a cap clause; only tiered credits "
        "and bonuses have bands.",
        "Credit clauses row 3, column D (Contract target): 'SL9' is not a target of NW-2025-014; check the "
        "Contract targets sheet.",
        "Credit clauses row 4, column A (Contract): no contract 'NW-2025-099' on the Contracts sheet or in the "
        "workspace; check the spelling.",
        "Clause bands row 3, column B (Clause no): there is no clause 7 of NW-2025-014 on the Credit clauses "
        "sheet.",
    ])


def test_a_ticket_rule_without_a_time_limit_is_refused_in_the_workbook_too(template, workspace):
    hand = dict(HAND_FILLED)
    hand["Contract targets"] = [*HAND_FILLED["Contract targets"],
                                ["NW-2025-014", "P1 resolution", "resolution time", ">=", 90, "%", "month"]]
    _fill(template, hand | {"Measurement rules": [["NW-2025-014", "P1 resolution", "tickets", "P1"]]})
    reading = read_contract_register(template)
    with pytest.raises(RegisterImportRefused) as refused:
        import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    assert [str(f) for f in refused.value.findings] == [
        "Measurement rules row 2, column G (Limit (minutes)): a ticket target needs its time limit in minutes "
        "(more than 0)."]
