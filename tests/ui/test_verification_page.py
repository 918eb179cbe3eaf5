"""The Verification page on a small workspace made here: grid, flip marker, drill-down, force majeure (pytest-qt)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, Qt

from importers.pipeline import parse_file
from models.workspace import open_workspace
from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.register import (
    WEEKDAYS,
    Contract,
    ContractTarget,
    MetricKind,
    ServiceCalendar,
    Supplier,
)
from sltdesk.rules.cell_states import CellState
from sltdesk.services import imports
from sltdesk.services.register import create_record
from tests.importfiles import write_csv
from ui import dialogs
from ui.context import WorkspaceContext
from ui.pages import verification_exceptions
from ui.pages.verification import VerificationPage
from ui.pages.verification_grid import MARKER_ROLE, RESULT_ROLE, STATE_ROLE
from ui.workers import wait_for_workers

TICKETS = ("Ticket;Sev;Opened;First Response\n"
           "E;P1;02.02.2026 10:00;02.02.2026 10:05\n"  # February: met, the only one
           "A;P1;02.03.2026 10:00;02.03.2026 10:10\n"  # met (10 min)
           "B;P1;10.03.2026 08:00;10.03.2026 09:00\n"  # missed (60 min), unless excluded
           "C;P1;12.03.2026 08:00;12.03.2026 08:05\n"  # met (5 min)
           "D;P2;12.03.2026 08:00;12.03.2026 12:00\n")  # another priority: not counted
REPORT = ("Service Level Report — March 2026\n\nService Level;Target;Achieved;Met?\n"
          "P1 response within 15 min;95 %;97 %;Yes\n")  # the vendor says met; we say 2 of 3 = 66.67 %


def _import(ws, contract, path, kind):
    period = "2026-01..2026-03" if kind is not RecordKind.VENDOR_REPORT else None
    options = imports.build_options(ws, kind=kind, contract=contract, period=period)
    return imports.store_import(ws, parse_file(path, options), contract=contract, options=options)


@pytest.fixture
def workspace_path(tmp_path):
    """One contract, one P1-response target measured from tickets, four tickets and the vendor's March report."""
    path = tmp_path / "verify.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    supplier = create_record(ws, Supplier(name="Northwind"))
    calendar = create_record(ws, ServiceCalendar(name="24x7 London", timezone="Europe/London",
                                                 hours=tuple((d, "00:00-24:00") for d in WEEKDAYS)))
    contract = create_record(ws, Contract(ref="NW-1", supplier_id=supplier.id, title="WAN",
                                          start_date=date(2025, 1, 1), end_date=date(2027, 12, 31), currency="GBP",
                                          charges=Decimal("48000.00")))
    target = create_record(ws, ContractTarget(contract_id=contract.id, name="SL2 P1 response",
                                              metric=MetricKind.RESPONSE_TIME, threshold=Decimal(95),
                                              calendar_id=calendar.id))
    create_record(ws, MeasurementRule(target_id=target.id, source=Source.TICKETS, priority="P1", stop="responded",
                                      limit_minutes=Decimal(15)))
    _import(ws, contract, write_csv(tmp_path / "tickets.csv", TICKETS), RecordKind.TICKETS)
    _import(ws, contract, write_csv(tmp_path / "report.csv", REPORT), RecordKind.VENDOR_REPORT)
    ws.close()
    return path


@pytest.fixture
def ctx(workspace_path, qtbot):
    context = WorkspaceContext()
    context.set_workspace(open_workspace(workspace_path, user="alice"))
    yield context
    wait_for_workers()
    context.set_workspace(None)


@pytest.fixture
def page(ctx, qtbot):
    widget = VerificationPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 860)
    with qtbot.waitSignal(widget.computed, timeout=15000):
        widget.show()
    return widget


def _cell(page, period):
    return page.grid_model.index(0, page.computation.periods.index(period))


def _select(page, qtbot, period):
    with qtbot.waitSignal(page.drilled, timeout=10000):
        page.grid.setCurrentIndex(_cell(page, period))


def test_the_grid_shows_our_figure_red_for_the_miss_and_marks_where_met_flips(page, qtmodeltester):
    assert page.computation.periods == ["2026-02", "2026-03"]  # the months with data
    assert page.grid_model.rowCount() == 1 and page.grid_model.columnCount() == 2
    march, february = _cell(page, "2026-03"), _cell(page, "2026-02")
    assert march.data() == "66.67"  # 2 of 3 P1 tickets responded within 15 min
    assert march.data(STATE_ROLE) == CellState.MISSED
    assert march.data(Qt.ItemDataRole.BackgroundRole).name() == "#f4c4bf"
    assert march.data(MARKER_ROLE) == "flips"  # the vendor reported 97 % and "met"
    tip = march.data(Qt.ItemDataRole.ToolTipRole)
    assert "Vendor reported: 97.0 (met)" in tip and "Difference (vendor − ours): +30.3333" in tip
    assert (february.data(), february.data(STATE_ROLE), february.data(MARKER_ROLE)) == ("100.00", "met", "")
    assert "1 missed" in page.summary.text() and "1 where the vendor's “met” flips" in page.summary.text()
    qtmodeltester.check(page.grid_model)


def test_selecting_the_cell_drills_down_to_the_missed_ticket(page, qtbot, qtmodeltester, tmp_path):
    _select(page, qtbot, "2026-03")
    drill = page.drill
    assert drill.title.text() == "SL2 P1 response · 2026-03 — missed"
    assert "⚠ “met” flips" in drill.verdict.text()
    assert drill.explanation.text().startswith("2 of 3 P1 tickets responded within 15 calendar minutes")
    assert "tickets 3 · met 2 · missed 1" in drill.counts.text()
    rows = drill.evidence.rows()
    assert [r.values[0] for r in rows] == ["A", "B", "C"]  # P2 ticket D and February's E are not behind it
    headers = [h for h, _ in drill.evidence.table.headers]
    missed = next(r for r in rows if r.values[0] == "B")
    assert missed.flagged and missed.values[headers.index("Result")] == "missed"
    assert missed.values[headers.index("Clock min")] == 60.0
    assert missed.values[headers.index("Opened")] == datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # London = UTC in March
    assert drill.evidence.proxy.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # highlighted
    drill.evidence.only_flagged.setChecked(True)
    assert [r.values[0] for r in drill.evidence.rows()] == ["B"]
    drill.evidence.only_flagged.setChecked(False)
    drill.evidence.filter.setText("C")
    assert [r.values[0] for r in drill.evidence.rows()] == ["C"]
    qtmodeltester.check(drill.evidence.model)
    qtmodeltester.check(drill.evidence.proxy)
    assert page.chart.canvas is not None  # the target's months, the threshold line and the vendor's point
    page.chart.canvas.draw()  # the pack's chart (reports/charts.py): percent ticks, no offset, limits within 100 %
    axes, ranges = page.chart.figure.axes
    low, high = axes.get_ylim()
    shown = [t.get_text() for v, t in zip(axes.get_yticks(), axes.get_yticklabels(), strict=True) if low <= v <= high]
    assert shown and all(label.endswith(" %") for label in shown) and axes.yaxis.get_offset_text().get_text() == ""
    assert max(v for v in axes.get_yticks() if low <= v <= high) <= 100
    assert [t.get_text() for t in ranges.get_xticklabels()] == ["2026-02", "2026-03"]
    page.grab().save(str(tmp_path / "verification.png"))


def test_arrow_keys_move_through_the_grid_and_enter_drills_down(page, qtbot):
    _select(page, qtbot, "2026-02")
    assert page.drill.title.text() == "SL2 P1 response · 2026-02 — met"
    page.grid.setFocus()
    qtbot.keyClick(page.grid, Qt.Key.Key_Right)
    assert page.grid.currentIndex().column() == 1
    with qtbot.waitSignal(page.drilled, timeout=10000):
        qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    assert page.drill.title.text() == "SL2 P1 response · 2026-03 — missed"
    assert [r.values[0] for r in page.drill.evidence.rows()] == ["A", "B", "C"]


def test_choosing_another_range_recomputes_those_months(page, qtbot):
    with qtbot.waitSignal(page.computed, timeout=15000):
        page.first_month.setDate(QDate(2026, 1, 1))
    assert page.computation.periods == ["2026-01", "2026-02", "2026-03"]
    january = _cell(page, "2026-01")
    assert (january.data(), january.data(STATE_ROLE)) == ("–", "no data")  # no tickets opened in January
    assert january.data(RESULT_ROLE).explanation == "0 of 0 P1 tickets responded within 15 calendar minutes"


def test_cancelling_a_recompute_keeps_the_figures_shown_before(page, qtbot):
    before = page.computation
    page.recompute(["2026-01", "2026-02", "2026-03"])
    assert page.progress.isVisible() and page.cancel_button.isVisible()
    page.cancel()
    wait_for_workers()
    qtbot.wait(50)
    assert page.computation is before and page.job is None and not page.progress.isVisible()
    assert "cancelled" in page.summary.text()


def test_an_exception_requested_by_alice_and_approved_by_bob_changes_the_figure(page, ctx, qtbot, messages,
                                                                               workspace_path, tmp_path, monkeypatch):
    proof = tmp_path / "flood.txt"
    proof.write_bytes(b"Environment Agency flood warning")
    monkeypatch.setattr(verification_exceptions, "choose_evidence_files", lambda _parent: [str(proof)])
    panel = page.exceptions
    panel.request_button.click()
    dialog = panel.dialog
    dialog.target.setCurrentIndex(dialog.target.findText("SL2 P1 response"))
    verification_exceptions.set_wall_clock(dialog.start, datetime(2026, 3, 10, 7, 0))
    verification_exceptions.set_wall_clock(dialog.end, datetime(2026, 3, 10, 12, 0))
    dialog._add_files()
    dialog.accept()
    assert dialog.isVisible() and "reason is required" in dialog.problem.text()  # nothing filed yet
    dialog.reason.setPlainText("Flood at the exchange")
    with qtbot.waitSignal(page.computed, timeout=15000):
        dialog.accept()
    [row] = panel.table.model.rows()
    assert (row.ref, row.status, row.requested_by, row.target, row.evidence) == (
        "FM-1", "requested", "alice", "SL2 P1 response", "flood.txt")
    assert row.start == datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    assert _cell(page, "2026-03").data() == "66.67"  # requested only: it excludes nothing
    assert page.tabs.tabText(1) == "Force majeure (1 pending)"

    panel.table.select(lambda r: r.ref == "FM-1")
    panel.approve_button.click()
    wait_for_workers()
    qtbot.wait(50)
    assert messages and messages[-1][0] == "warn" and "cannot decide it" in messages[-1][1]

    with qtbot.waitSignal(page.computed, timeout=15000):
        ctx.set_workspace(open_workspace(workspace_path, user="bob"))
    panel.table.select(lambda r: r.ref == "FM-1")
    panel.note.setText("EA flood warning")
    with qtbot.waitSignal(page.computed, timeout=15000):
        panel.approve_button.click()
    [row] = panel.table.model.rows()
    assert (row.status, row.decided_by, row.note) == ("approved", "bob", "EA flood warning")
    march = _cell(page, "2026-03")
    # met now, green; the vendor's 97 % is 3 points off ours: its own marker, not amber (no flip any more)
    assert (march.data(), march.data(STATE_ROLE), march.data(MARKER_ROLE)) == ("100.00", "met", "differs")
    _select(page, qtbot, "2026-03")
    assert [(e.kind, e.tickets, e.reference) for e in page.drill.exclusions.model.rows()] == [
        ("force-majeure", 1, "FM-1")]
    rows = page.drill.evidence.rows()
    result = [h for h, _ in page.drill.evidence.table.headers].index("Result")
    assert [(r.values[0], r.values[result], r.flagged) for r in rows] == [
        ("A", "met", False), ("B", "excluded — approved force majeure FM-1: Flood at the exchange", False),
        ("C", "met", False)]  # B was opened inside the exception
    assert page.tabs.tabText(1) == "Force majeure"


def test_an_incomplete_month_is_grey_says_what_its_data_covers_and_can_be_marked_complete(
        workspace_path, qtbot, monkeypatch):
    """April's export holds two days of tickets and says nothing about its period: April is incomplete until
    someone marks it complete as imported (the reason is asked for), and then it is judged."""
    ws = open_workspace(workspace_path, user="alice")
    contract = imports.find_contract(ws, "NW-1")
    april = ("Ticket;Sev;Opened;First Response\n"
             "F;P1;06.04.2026 10:00;06.04.2026 10:05\n"
             "G;P1;07.04.2026 09:00;07.04.2026 09:40\n")
    options = imports.build_options(ws, kind=RecordKind.TICKETS, contract=contract)
    imports.store_import(ws, parse_file(write_csv(workspace_path.parent / "april.csv", april), options),
                         contract=contract, options=options)
    ws.close()
    context = WorkspaceContext()
    context.set_workspace(open_workspace(workspace_path, user="alice"))
    page = VerificationPage(context)
    qtbot.addWidget(page)
    page.resize(1300, 860)
    with qtbot.waitSignal(page.computed, timeout=15000):
        page.show()
    cell = _cell(page, "2026-04")
    assert (cell.data(), cell.data(STATE_ROLE)) == ("–", CellState.NO_DATA)
    _select(page, qtbot, "2026-04")
    assert page.drill.explanation.text().startswith("data covers 6 Apr 00:00 – 8 Apr 00:00 of 2026-04: no verdict")
    assert page.drill.mark_button.isVisibleTo(page)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_kw: "the vendor confirmed two tickets in April")
    with qtbot.waitSignal(page.computed, timeout=15000):
        page.drill.mark_button.click()
    cell = _cell(page, "2026-04")
    assert (cell.data(), cell.data(STATE_ROLE)) == ("50.00", CellState.MISSED)  # G took 40 minutes
    ws = context.workspace
    with ws.unit_of_work() as uow:
        [entry] = uow.audit.entries_of("period_mark", "mark-complete")
    assert entry.after["reason"] == "the vendor confirmed two tickets in April" and entry.after["marked_by"] == "alice"
    wait_for_workers()
    context.set_workspace(None)


def test_a_ticket_flagged_false_positive_by_alice_and_approved_by_bob_counts_as_met(page, ctx, qtbot, messages,
                                                                                   workspace_path, qtmodeltester):
    from ui.pages.verification_false_positives import FlagDialog

    panel = page.false_positives
    assert page.tabs.tabText(2) == "False positives"
    panel.request_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, FlagDialog)
    dialog.subject.setCurrentIndex(dialog.subject.findText("A ticket"))
    dialog.reason.setPlainText("Opened by a monitoring rule test, not by a user")
    dialog.accept()
    assert dialog.isVisible() and "Name the ticket" in dialog.problem.text()  # nothing filed yet
    dialog.reference.setText("B")
    with qtbot.waitSignal(page.computed, timeout=15000):
        dialog.accept()
    [row] = panel.table.model.rows()
    assert (row.ref, row.status, row.requested_by, row.what) == ("FP-1", "requested", "alice", "ticket B")
    assert _cell(page, "2026-03").data() == "66.67"  # pending: nothing changes
    assert page.tabs.tabText(2) == "False positives (1 pending)"
    qtmodeltester.check(panel.table.model)

    panel.table.select(lambda r: r.ref == "FP-1")
    panel.approve_button.click()
    wait_for_workers()
    qtbot.wait(50)
    assert messages and messages[-1][0] == "warn" and "cannot decide it" in messages[-1][1]

    with qtbot.waitSignal(page.computed, timeout=15000):
        ctx.set_workspace(open_workspace(workspace_path, user="bob"))
    page.false_positives.table.select(lambda r: r.ref == "FP-1")
    with qtbot.waitSignal(page.computed, timeout=15000):
        page.false_positives.approve_button.click()
    [row] = page.false_positives.table.model.rows()
    assert (row.status, row.decided_by) == ("approved", "bob")
    assert _cell(page, "2026-03").data() == "100.00"  # B counts as met: 3 of 3
    _select(page, qtbot, "2026-03")
    assert [(e.kind, e.tickets, e.reference) for e in page.drill.exclusions.model.rows()] == [
        ("false-positive", 1, "FP-1")]
    assert page.tabs.tabText(2) == "False positives"


def test_the_grids_missed_cell_is_flagged_as_a_whole_breach_and_an_outage_is_picked_from_the_stored_ones(
        page, ctx, qtbot, workspace_path, tmp_path):
    """March is missed (2 of 3); flagged as a whole breach and approved by someone else, all 3 count as met. The
    outage picker lists the contract's stored outages, newest first, and files the chosen one's number."""
    from ui.pages.verification_false_positives import FlagDialog

    ws = ctx.workspace
    contract = imports.find_contract(ws, "NW-1")
    options = imports.build_options(ws, kind=RecordKind.OUTAGES, contract=contract, timezone="UTC",
                                    period="2026-03")
    imports.store_import(ws, parse_file(write_csv(tmp_path / "outages.csv", (
        "Outage ID,Start,End\nOUT-1,2026-03-02 10:00,2026-03-02 11:00\nOUT-2,2026-03-05 10:00,2026-03-05 10:30\n")),
        options), contract=contract, options=options)
    _select(page, qtbot, "2026-03")
    panel = page.false_positives
    panel.request_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, FlagDialog)
    qtbot.waitUntil(lambda: dialog.outage.count() == 2 and dialog.outage.currentData() is not None, timeout=5000)
    assert dialog.outage.itemText(0).startswith("#") and "OUT-2  2026-03-05 10:00  30 min" in dialog.outage.itemText(0)
    assert "OUT-1" in dialog.outage.itemText(1)
    dialog.outage.setCurrentIndex(1)
    filing = dialog.filing()
    assert filing.request.reference == dialog.outage.itemData(1) and filing.request.reference.isdigit()

    dialog.subject.setCurrentIndex(dialog.subject.findText("A target's whole breach in one period"))
    assert dialog.period.isVisibleTo(dialog) and not dialog.outage.isVisibleTo(dialog)
    assert (dialog.target.currentText(), dialog.period.text()) == ("SL2 P1 response", "2026-03")  # the grid's cell
    dialog.reason.setPlainText("The ticket tool sent no response e-mails that week")
    with qtbot.waitSignal(page.computed, timeout=15000):
        dialog.accept()
    [row] = panel.table.model.rows()
    assert (row.ref, row.what, row.target) == ("FP-1", "breach 2026-03", "SL2 P1 response")
    assert _cell(page, "2026-03").data() == "66.67"  # pending: nothing changes
    with qtbot.waitSignal(page.computed, timeout=15000):
        ctx.set_workspace(open_workspace(workspace_path, user="bob"))
    page.false_positives.table.select(lambda r: r.ref == "FP-1")
    with qtbot.waitSignal(page.computed, timeout=15000):
        page.false_positives.approve_button.click()
    assert _cell(page, "2026-03").data() == "100.00"  # the missed ticket counts as met: 3 of 3
    assert _cell(page, "2026-02").data() == "100.00"
