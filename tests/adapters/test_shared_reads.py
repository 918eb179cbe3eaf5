"""A read of many parts (the review pack) reads a contract's raw record columns once: inside the workspace's
`shared_reads`, units of work of the same thread share what they read; outside it, each reads the file."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from test_raw_port import tickets

from sltdesk.domain.raw_records import RawTicketEvent
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services.register import create_record

MARCH = 1772323200  # 2026-03-01 00:00 UTC


@pytest.fixture
def contract(workspace):
    supplier = create_record(workspace, Supplier(name="HelpPoint Services"))
    return create_record(workspace, Contract(
        ref="HP-1", supplier_id=supplier.id, title="Service desk", start_date=date(2025, 1, 1),
        end_date=date(2027, 1, 1), currency="GBP", charges=Decimal("12000.00")))


def _add_events(workspace, contract_id: int, events: list[RawTicketEvent]) -> None:
    with workspace.unit_of_work() as uow:
        batch = uow.raw.add_batch({"kind": "ticket-events", "contract_id": contract_id, "file_name": "e.csv",
                                   "sha256": "0" * 64, "sheet": "", "mapping_json": "{}", "options_json": "{}",
                                   "imported_at": "2026-04-02T09:00:00Z", "imported_by": "alice", "rows_read": 0,
                                   "rows_accepted": 0, "rows_rejected": 0, "findings_json": "[]"})
        uow.raw.add_records(RawTicketEvent, events, batch_id=batch, contract_id=contract_id)
        uow.commit()


def _states(workspace, contract_id: int) -> list[str]:
    with workspace.unit_of_work() as uow:
        return uow.raw.record_columns(RawTicketEvent, contract_id=contract_id)["state"]


def test_columns_are_read_once_inside_shared_reads_and_again_outside(workspace, contract):
    _add_events(workspace, contract.id, [RawTicketEvent("T-1", "New", MARCH, 2, None),
                                         RawTicketEvent("T-1", "Resolved", MARCH + 60, 3, "ann")])
    with workspace.shared_reads():
        first = _states(workspace, contract.id)
        _add_events(workspace, contract.id, [RawTicketEvent("T-1", "In Progress", MARCH + 120, 4, None)])
        again = _states(workspace, contract.id)
        seen_elsewhere: list[list[str]] = []
        other = threading.Thread(target=lambda: seen_elsewhere.append(_states(workspace, contract.id)))
        other.start()
        other.join()
    assert first == again == ["New", "Resolved"] and again is first  # read once: the same lists
    assert sorted(seen_elsewhere[0]) == ["In Progress", "New", "Resolved"]  # another thread reads for itself
    assert sorted(_states(workspace, contract.id)) == ["In Progress", "New", "Resolved"]  # outside: read again


def test_ticket_blocks_are_decoded_once_and_each_reader_gets_its_own_frames(workspace, contract):
    with workspace.unit_of_work() as uow:
        batch = uow.raw.add_batch({"kind": "tickets", "contract_id": contract.id, "file_name": "t.csv",
                                   "sha256": "1" * 64, "sheet": "", "mapping_json": "{}", "options_json": "{}",
                                   "imported_at": "2026-04-02T09:00:00Z", "imported_by": "alice", "rows_read": 0,
                                   "rows_accepted": 0, "rows_rejected": 0, "findings_json": "[]"})
        uow.raw.add_tickets(tickets(["A", "B"], [MARCH + 10, MARCH + 20]), batch_id=batch, contract_id=contract.id)
        uow.commit()
    with workspace.shared_reads():
        with workspace.unit_of_work() as uow:
            [first] = uow.raw.ticket_blocks(contract_id=contract.id)
        first.tickets["batch_id"] = batch  # what load_tickets does to the frames it is given
        with workspace.unit_of_work() as uow:
            [again] = uow.raw.ticket_blocks(contract_id=contract.id)
    assert again.tickets["ticket_id"].tolist() == ["A", "B"] and "batch_id" not in again.tickets
