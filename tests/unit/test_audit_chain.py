from dataclasses import replace

from sltdesk.domain.audit import AuditEntry
from sltdesk.rules.audit_chain import GENESIS, canonical_payload, chain_hash, seal, verify_chain


def _draft(n: int) -> AuditEntry:
    return AuditEntry(seq=0, at_utc=f"2026-03-0{n}T10:00:00.000000Z", os_user="alice", action="update",
                      entity="contract", entity_id="1", before={"title": f"v{n}"}, after={"title": f"v{n + 1}"},
                      app_version="0.1.0", prev_hash="", hash="")


def _chain(length: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for n in range(1, length + 1):
        entries.append(seal(_draft(n), prev=entries[-1] if entries else None))
    return entries


def test_the_first_entry_links_to_the_genesis_hash_and_hashes_its_canonical_payload():
    first = _chain(1)[0]
    assert first.seq == 1 and first.prev_hash == GENESIS
    assert first.hash == chain_hash(GENESIS, canonical_payload(first))
    assert canonical_payload(first).startswith('{"action":"update","after":{"title":"v2"}')


def test_an_intact_chain_verifies_with_its_head():
    entries = _chain(5)
    report = verify_chain(entries, expected_count=5, expected_head=entries[-1].hash)
    assert report.ok and report.entries == 5 and report.head == entries[-1].hash


def test_an_edited_value_is_named_by_its_entry():
    entries = _chain(5)
    entries[2] = replace(entries[2], after={"title": "forged"})
    report = verify_chain(entries)
    assert not report.ok and report.first_bad_seq == 3 and "edited" in report.problem
    assert report.entries == 2


def test_a_deleted_entry_is_detected_at_the_next_one():
    entries = _chain(5)
    del entries[1]
    report = verify_chain(entries)
    assert not report.ok and report.first_bad_seq == 3


def test_two_swapped_entries_are_detected():
    entries = _chain(5)
    entries[1], entries[2] = entries[2], entries[1]
    report = verify_chain(entries)
    assert not report.ok and report.first_bad_seq == 3


def test_renumbered_entries_after_a_deletion_still_fail_on_the_broken_link():
    entries = _chain(4)
    del entries[1]
    entries = [replace(e, seq=i + 1) for i, e in enumerate(entries)]
    report = verify_chain(entries)
    assert not report.ok and report.first_bad_seq == 2


def test_deleting_the_newest_entries_is_caught_by_the_recorded_count():
    entries = _chain(5)
    report = verify_chain(entries[:3], expected_count=5, expected_head=entries[-1].hash)
    assert not report.ok and report.first_bad_seq == 4 and "deleted" in report.problem


def test_an_empty_trail_verifies_with_the_genesis_head():
    report = verify_chain([])
    assert report.ok and report.entries == 0 and report.head == GENESIS
