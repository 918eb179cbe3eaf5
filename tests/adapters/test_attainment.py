"""Attainment through the services: rules stored, raw data imported, exceptions, the vendor's figure beside ours."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from importers.pipeline import parse_file
from sltdesk.domain.measurement import ExceptionStatus, MeasurementRule, Source
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.register import WEEKDAYS, Contract, ContractTarget, MetricKind, ServiceCalendar, Supplier
from sltdesk.services import imports
from sltdesk.services.attainment import attainment_for, breaches
from sltdesk.services.exceptions import SelfApprovalError, decide_exception, request_exception
from sltdesk.services.register import create_record
from tests.exact import exactly
from tests.importfiles import write_csv

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def contract(workspace):
    supplier = create_record(workspace, Supplier(name="Northwind"))
    calendar = create_record(workspace, ServiceCalendar(name="24x7 London", timezone="Europe/London",
                                                        hours=tuple((d, "00:00-24:00") for d in WEEKDAYS)))
    contract = create_record(workspace, Contract(ref="NW-1", supplier_id=supplier.id, title="WAN",
                                                 start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
                                                 currency="GBP", charges=Decimal("48000.00")))
    target = create_record(workspace, ContractTarget(contract_id=contract.id, name="SL2 P1 response",
                                                     metric=MetricKind.RESPONSE_TIME, threshold=Decimal(95),
                                                     calendar_id=calendar.id))
    create_record(workspace, MeasurementRule(target_id=target.id, source=Source.TICKETS, priority="P1",
                                             stop="responded", limit_minutes=Decimal(15)))
    return contract


def _import(ws, contract, path, kind):
    options = imports.build_options(ws, kind=kind, contract=contract, period="2026-03")
    return imports.store_import(ws, parse_file(path, options), contract=contract, options=options)


def _tickets(tmp_path, contract, ws):
    text = ("Ticket;Sev;Opened;First Response\n"
            "A;P1;02.03.2026 10:00;02.03.2026 10:10\n"  # met
            "B;P1;10.03.2026 08:00;10.03.2026 09:00\n"  # missed, unless excluded
            "C;P1;12.03.2026 08:00;12.03.2026 08:05\n"  # met
            "D;P2;12.03.2026 08:00;12.03.2026 12:00\n")  # another priority
    _import(ws, contract, write_csv(tmp_path / "t.csv", text), RecordKind.TICKETS)


def test_the_vendors_figure_stands_beside_ours_with_the_difference_and_the_flip(workspace, contract, tmp_path):
    _tickets(tmp_path, contract, workspace)
    report = ("Service Level Report — March 2026\n\nService Level;Target;Achieved;Met?\n"
              "P1 response within 15 min;95 %;97 %;Yes\n")
    _import(workspace, contract, write_csv(tmp_path / "r.csv", report), RecordKind.VENDOR_REPORT)
    [result] = attainment_for(workspace, "NW-1", "2026-03")
    assert exactly(result.achieved, 2, 3) and result.met is False and result.achieved_text == "66.6667"
    assert (result.reported, result.reported_met) == (Decimal("97"), True)
    assert exactly(result.difference, 91, 3, scale=1) and result.met_flips  # 97 − 66.666…
    assert result.counts["tickets"] == 3 and result.counts["missed"] == 1
    [breach] = breaches([result])
    assert (breach.period, breach.incidents) == ("2026-03", 1) and exactly(breach.shortfall, 85, 3, scale=1)


def test_a_pending_exception_excludes_nothing_and_an_approved_one_does(db_target, tmp_path):
    from models.workspace import open_workspace

    alice = open_workspace(db_target, create=True, user="alice")
    supplier = create_record(alice, Supplier(name="Northwind"))
    contract = create_record(alice, Contract(ref="NW-1", supplier_id=supplier.id, title="WAN",
                                             start_date=date(2025, 1, 1), end_date=date(2027, 12, 31),
                                             currency="GBP", charges=Decimal("1.00")))
    target = create_record(alice, ContractTarget(contract_id=contract.id, name="SL2 P1 response",
                                                 metric=MetricKind.RESPONSE_TIME, threshold=Decimal(95)))
    create_record(alice, MeasurementRule(target_id=target.id, source=Source.TICKETS, priority="P1",
                                         stop="responded", limit_minutes=Decimal(15)))
    _tickets(tmp_path, contract, alice)
    flood = request_exception(alice, contract=contract, reason="Flood at the exchange",
                              start=int(datetime(2026, 3, 10, 7, tzinfo=LONDON).timestamp()),
                              end=int(datetime(2026, 3, 10, 12, tzinfo=LONDON).timestamp()),
                              evidence=[("met-office.txt", b"red warning")])
    assert exactly(attainment_for(alice, "NW-1", "2026-03")[0].achieved, 2, 3)  # requested: no effect
    with pytest.raises(SelfApprovalError):
        decide_exception(alice, flood.id, approve=True)
    alice.close()

    bob = open_workspace(db_target, user="bob")
    decided = decide_exception(bob, flood.id, approve=True, note="Met Office red warning")
    assert decided.status is ExceptionStatus.APPROVED and decided.decided_by == "bob"
    [result] = attainment_for(bob, "NW-1", "2026-03")
    assert result.achieved == Decimal("100.0000") and result.met
    assert [(e.kind, e.tickets, e.reference) for e in result.exclusions] == [("force-majeure", 1, f"FM-{flood.id}")]
    bob.close()


def test_a_target_without_data_says_so_instead_of_inventing_a_figure(workspace, contract):
    [result] = attainment_for(workspace, "NW-1", "2026-03")
    assert result.achieved is None and result.met is None
    assert result.completeness == "incomplete"
    assert result.explanation.startswith("no tickets imported for 2026-03: no verdict and no credit until")
