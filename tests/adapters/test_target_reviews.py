"""Review cycles of targets on the demo: HelpPoint's P2 resolution assumes 280 P2 tickets a month with 20 % to
spare; the imported October 2026 holds more, so the review planned for 31 Mar 2027 is brought forward to the end
of October and the attention list shows it. The register workbook carries the cycle in optional columns."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from importers.contract_register import read_contract_register
from models.workspace import open_workspace
from reports.contract_register_xlsx import write_contract_register
from sltdesk.cli import main
from sltdesk.domain.register import ContractTarget
from sltdesk.rules.attention import Kind, Urgency
from sltdesk.services.attention import attention
from sltdesk.services.imports import find_contract
from sltdesk.services.raw_data import load_tickets
from sltdesk.services.register_import import import_register, register_book
from sltdesk.services.target_reviews import due_reviews

pytestmark = pytest.mark.slow
AS_OF = date(2026, 12, 6)
LONDON = ZoneInfo("Europe/London")
COLUMNS = ("Review by", "Last reviewed", "Expected volume", "Volume margin %")


@pytest.fixture
def demo(raw_demo_file, tmp_path) -> str:
    path = tmp_path / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    return str(path)


def october_p2(ws) -> int:
    """HelpPoint's P2 tickets opened in October 2026 (London), counted from the raw rows."""
    frame = load_tickets(ws, find_contract(ws, "HP-2024-009").id)
    start, end = (int(datetime(2026, m, 1, tzinfo=LONDON).timestamp()) for m in (10, 11))
    return int(((frame["priority"] == "P2") & (frame["opened_at"] >= start) & (frame["opened_at"] < end)).sum())


def test_the_demos_volume_over_the_assumption_brings_the_review_forward_on_the_attention_list(demo):
    ws = open_workspace(demo)
    try:
        tickets = october_p2(ws)
        view = attention(ws, today=AS_OF)
    finally:
        ws.close()
    assert tickets > 280 * Decimal("1.2")  # over the 336 the margin allows
    over = ((Decimal(tickets) / 280 - 1) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    [item] = [i for i in view.items if i.kind is Kind.TARGET_REVIEW]
    assert (item.contract, item.due, item.urgency, item.red) == ("HP-2024-009", date(2026, 11, 1), Urgency.OVERDUE,
                                                                 True)
    assert item.days_left == -35 and item.supplier == "HelpPoint Services"
    assert item.sentence == (f"HP-2024-009 P2 resolution: review of the target's relevance was due on 01 Nov 2026 "
                             f"(planned for 31 Mar 2027) — {tickets} tickets in 2026-10 against 280 expected "
                             f"(+{over} %, more than the 20 % allowed).")
    assert (tickets, over) == (351, Decimal("25.4"))


def test_a_technology_refresh_of_the_service_brings_a_planned_review_forward(demo, capsys):
    assert main(["target-reviews", "refresh", "-w", demo, "--service", "Customer service", "--on", "2026-11-20",
                 "--what", "new ITSM platform"]) == 0
    ws = open_workspace(demo)
    try:
        [due] = due_reviews(ws, as_of=AS_OF)
    finally:
        ws.close()
    assert [t.reason for t in due.triggers][1] == \
        "technology refresh of Customer service (new ITSM platform) on 20 Nov 2026"


def _targets_sheet(path) -> tuple[openpyxl.Workbook, object, dict[str, int]]:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Contract targets"]
    return workbook, sheet, {cell.value: cell.column for cell in sheet[1]}


def test_the_cycle_goes_through_the_register_workbook_and_a_v2_workbook_without_it_changes_nothing(demo, tmp_path):
    ws = open_workspace(demo)
    try:
        exported = write_contract_register(tmp_path / "register.xlsx", register_book(ws))
        workbook, sheet, columns = _targets_sheet(exported)
        assert all(name in columns for name in COLUMNS)
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "HP-2024-009"
                   and sheet.cell(r, 2).value == "P2 resolution")
        assert [sheet.cell(row, columns[c]).value for c in COLUMNS][2:] == [280, 20]
        for name in reversed(COLUMNS):  # a v2 workbook written before the review cycle existed
            sheet.delete_cols(columns[name])
        workbook.save(tmp_path / "without.xlsx")
        reading = read_contract_register(tmp_path / "without.xlsx")
        assert reading.errors == []
        result = import_register(ws, reading.book, file_name="without.xlsx", sha256=reading.sha256)
        assert result.updated == {} and result.created == {}
        with ws.unit_of_work() as uow:
            kept = next(t for t in uow.records.list(ContractTarget)
                        if t.name == "P2 resolution" and t.expected_volume is not None)
        assert (kept.expected_volume, kept.volume_margin, kept.review_by) == (280, 20, date(2027, 3, 31))

        workbook, sheet, columns = _targets_sheet(exported)
        sheet.cell(row, columns["Expected volume"]).value = 300  # 360 allowed: October's 351 is within it
        workbook.save(tmp_path / "raised.xlsx")
        reading = read_contract_register(tmp_path / "raised.xlsx")
        result = import_register(ws, reading.book, file_name="raised.xlsx", sha256=reading.sha256)
        assert result.updated == {"contract_target": 1}
        assert due_reviews(ws, as_of=AS_OF) == []
    finally:
        ws.close()
