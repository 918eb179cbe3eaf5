"""Issue #28 on the demo, the rest: end-to-end coverage composed per tier (NW-2025-014 SL1's core-hours tier),
and the Credit clauses sheet's optional Tier pricing and Seasonal bands columns."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest

from importers.contract_register import read_contract_register
from models.workspace import open_workspace
from reports.contract_register_xlsx import write_contract_register
from sltdesk.domain.penalties import ClauseRecord, clause_from_record
from sltdesk.services.coverage import coverage_report
from sltdesk.services.register import list_records
from sltdesk.services.register_import import RegisterImportRefused, import_register, register_book

pytestmark = pytest.mark.slow
D = Decimal


def test_coverage_composes_a_chain_with_a_core_hours_tier_per_tier_and_reports_each_shortfall(demo_file):
    ws = open_workspace(demo_file)
    try:
        report = {t.name: t for t in coverage_report(ws)}
    finally:
        ws.close()
    crm = report["CRM availability"]  # office network (NW-2025-014 SL1) then CRM SaaS (99.5 %), in series
    [network, saas] = [c.committed for c in crm.components]
    assert (network, saas, crm.threshold) == (D("99.95"), D("99.5"), D("99.5"))
    whole, core = crm.tiers
    # 24x7: 99.95 % × 99.5 % = 99.45025 %; in core hours SL1 promises 99.99 %: 99.99 % × 99.5 % = 99.49005 %
    assert (whole.tier, whole.composed, whole.shortfall, whole.met) == ("24x7", D("99.45025"), D("0.04975"), False)
    assert (core.tier, core.composed, core.shortfall, core.met) == (
        "core hours (UK business hours)", D("99.49005"), D("0.00995"), False)
    assert whole.composed == crm.composed
    assert any(f.startswith("shortfall in core hours (UK business hours): the contracts compose to 99.49005 %")
               for f in crm.findings)
    store = report["Store network availability"]  # met in both tiers
    assert [(y.tier, y.met) for y in store.tiers] == [("24x7", True), ("core hours (UK business hours)", True)]
    assert report["Card payment availability"].tiers == ()  # no core-hours tier behind it


@pytest.fixture()
def workbook(demo_file, tmp_path):
    source = open_workspace(demo_file)
    try:
        return write_contract_register(tmp_path / "register.xlsx", register_book(source))
    finally:
        source.close()


def _clause_sheet(path):
    book = openpyxl.load_workbook(path)
    sheet = book["Credit clauses"]
    return book, sheet, {str(c.value).rstrip(" *"): i for i, c in enumerate(sheet[1], 1)}


def test_the_credit_clauses_sheet_carries_tier_pricing_and_seasonal_bands_round_trip(workbook, workspace):
    book, sheet, columns = _clause_sheet(workbook)
    assert {"Tier pricing", "Seasonal bands"} <= set(columns)
    rows = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, columns["Kind"]).value == "tiered credit"]
    sheet.cell(rows[0], columns["Seasonal bands"]).value = "15 Nov-15 Jan: 99.95=10%, 99.5=25%"
    book.save(workbook)
    reading = read_contract_register(workbook)
    assert reading.errors == []
    import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    clauses = list_records(workspace, ClauseRecord)
    assert [c.parameters["seasonal_bands"] for c in clauses if "seasonal_bands" in c.parameters] == [
        "15 Nov-15 Jan: 99.95=10%, 99.5=25%"]
    assert [c.parameters["tier_pricing"] for c in clauses if "tier_pricing" in c.parameters] == ["worse"]


def test_a_v2_workbook_without_the_two_clause_columns_imports_unchanged(workbook, workspace, demo_file, tmp_path):
    book, sheet, columns = _clause_sheet(workbook)
    for index in sorted((columns["Tier pricing"], columns["Seasonal bands"]), reverse=True):
        sheet.delete_cols(index)
    book.save(workbook)
    reading = read_contract_register(workbook)
    assert reading.errors == [] and not [f for f in reading.findings if f.sheet == "Credit clauses"]
    import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    source = open_workspace(demo_file)
    try:
        before = list_records(source, ClauseRecord)
    finally:
        source.close()
    after = list_records(workspace, ClauseRecord)
    def terms(records, drop=()):  # equal as numbers: the workbook writes 150.00 as 150
        return [clause_from_record(replace(c, parameters={k: v for k, v in c.parameters.items() if k not in drop}))
                .terms for c in records]

    read, written = terms(after), terms(before, drop=("tier_pricing",))  # all but the clause's tier pricing
    assert len(read) == len(written) == 43 and all(t in written for t in read) and all(t in read for t in written)


def test_a_clause_with_unreadable_seasonal_bands_is_refused_with_its_row(workbook, workspace):
    book, sheet, columns = _clause_sheet(workbook)
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, columns["Kind"]).value == "tiered credit")
    sheet.cell(row, columns["Seasonal bands"]).value = "15 Nov-15 Jan: 99.95"
    book.save(workbook)
    reading = read_contract_register(workbook)
    assert reading.errors == []  # the cell is text; the clause's check refuses it, all or nothing
    with pytest.raises(RegisterImportRefused, match=f"Credit clauses row {row}: Seasonal bands: '99.95' in "
                       "'15 Nov-15 Jan: 99.95' is not a band such as '99.95=10%'"):
        import_register(workspace, reading.book, file_name="register.xlsx", sha256=reading.sha256)
    assert list_records(workspace, ClauseRecord) == []
