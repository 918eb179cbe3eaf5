"""Optimistic locking: every record edited in place has a version; a change made from an older version is refused
with who changed the record and when, and nothing of it is stored. On SQLite and, when one answers, PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.workspace import open_workspace
from sltdesk.domain.register import Contract, Supplier
from sltdesk.errors import StaleRecordError
from sltdesk.services.audit_deep import deep_check
from sltdesk.services.register import create_record, get_record, update_record
from tests.conftest import FixedClock

BOB_AT = datetime(2026, 12, 6, 9, 14, tzinfo=UTC)  # Bob's clock: his change is audited at 09:14:01


@pytest.fixture
def two_users(db_target):
    """Alice and Bob, each with their own handle on one workspace; a contract both can edit."""
    alice = open_workspace(db_target, create=True, user="alice", clock=FixedClock())
    bob = open_workspace(db_target, user="bob", clock=FixedClock(BOB_AT))
    supplier = create_record(alice, Supplier("Northwind Networks"))
    contract = create_record(alice, Contract("NW-1", supplier.id, "Managed WAN", date(2025, 1, 1),
                                             date(2027, 12, 31), "GBP", Decimal("48000.00")))
    yield alice, bob, contract
    bob.close()
    alice.close()


def test_a_new_record_starts_at_version_1_and_each_stored_change_raises_it_by_one(two_users):
    alice, _, contract = two_users
    assert contract.version == 1
    first = update_record(alice, replace(contract, title="Managed WAN EU"))
    second = update_record(alice, replace(first, title="Managed WAN EU and UK"))
    assert (first.version, second.version) == (2, 3)
    assert get_record(alice, Contract, contract.id) == second
    unchanged = update_record(alice, second)  # nothing to store: the version stays
    assert unchanged.version == 3 and get_record(alice, Contract, contract.id).version == 3


def test_a_save_from_the_version_before_someone_elses_change_is_refused_naming_them_and_the_time(two_users):
    alice, bob, contract = two_users
    opened = get_record(alice, Contract, contract.id)  # Alice opens the contract …
    update_record(bob, replace(get_record(bob, Contract, contract.id), title="Bob's title"))  # … Bob saves first
    with pytest.raises(StaleRecordError) as refused:
        update_record(alice, replace(opened, title="Alice's title", charges=Decimal("50000.00")))
    assert str(refused.value) == ("Contract 'NW-1' was changed by bob at 2026-12-06 09:14 UTC after you opened it; "
                                  "reload it to see the change, then make yours again.")
    stored = get_record(alice, Contract, contract.id)
    assert (stored.title, stored.charges, stored.version) == ("Bob's title", Decimal("48000.00"), 2)
    with alice.unit_of_work() as uow:
        assert [e.os_user for e in uow.audit.entries_of("contract", "update")] == ["bob"]  # Alice's: not stored


@pytest.mark.parametrize(("offset", "passes"), [(0, True), (-1, False), (1, False)])
def test_only_the_stored_version_itself_passes(two_users, offset, passes):
    alice, bob, contract = two_users
    current = update_record(bob, replace(contract, title="v2"))  # stored version 2
    attempt = replace(current, title="Alice's", version=current.version + offset)
    if passes:
        assert update_record(alice, attempt).version == 3
    else:
        with pytest.raises(StaleRecordError, match="changed by bob at 2026-12-06 09:14 UTC"):
            update_record(alice, attempt)
    assert get_record(alice, Contract, contract.id).title == ("Alice's" if passes else "v2")


def test_the_version_is_checked_in_the_update_itself_not_when_the_record_was_read(two_users, db_target):
    """Alice's unit of work reads version 1; Bob commits version 2 before Alice writes: her UPDATE matches no
    row, so it is refused even though her own read saw the version she carries."""
    if "://" not in db_target:
        pytest.skip("SQLite queues writers from the start of a unit of work (BEGIN IMMEDIATE): no change can land "
                    "between its read and its write, so this interleaving exists only on PostgreSQL")
    alice, bob, contract = two_users
    with alice.unit_of_work() as uow:
        seen = uow.records.get(Contract, contract.id)
        assert seen.version == 1
        update_record(bob, replace(contract, title="Bob's title"))
        with pytest.raises(StaleRecordError, match="^Contract 'NW-1' was changed by bob"):
            uow.records.update(replace(seen, title="Alice's title"))
    assert get_record(alice, Contract, contract.id).title == "Bob's title"


def test_a_record_changed_with_no_audit_entry_is_refused_with_its_version(two_users):
    alice, _, contract = two_users
    with alice.unit_of_work() as uow:  # a change the audit trail does not name (e.g. made outside the app)
        uow.records.update(replace(contract, title="Elsewhere"))
        uow.commit()
    with pytest.raises(StaleRecordError) as refused:
        update_record(alice, replace(contract, title="Alice's"))
    assert str(refused.value).startswith("Contract 'NW-1' was changed (it is at version 2 now) after you opened it")


def test_versions_are_audited_so_the_deep_check_stays_clean(two_users):
    alice, bob, contract = two_users
    update_record(bob, replace(update_record(alice, replace(contract, title="A")), title="B"))
    with alice.unit_of_work() as uow:
        after = [e.after for e in uow.audit.entries_of("contract", "update")]
    assert [(a["title"], a["version"]) for a in after] == [("A", 2), ("B", 3)]
    report = deep_check(alice)
    assert report.ok, report.problems
