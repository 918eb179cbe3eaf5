"""The audit trail's hash chain: every way a broken trail is reported, field by field and word for word."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from sltdesk.domain.audit import AuditEntry, ChainReport
from sltdesk.rules.audit_chain import GENESIS, canonical_payload, chain_hash, seal, verify_chain


def _draft(n: int, *, after: dict | None = None) -> AuditEntry:
    return AuditEntry(seq=0, at_utc=f"2026-03-0{n}T10:00:00.000000Z", os_user="alice", action="update",
                      entity="contract", entity_id="1", before={"title": f"v{n}"},
                      after=after if after is not None else {"title": f"v{n + 1}"}, app_version="0.1.0",
                      prev_hash="", hash="")


def _chain(length: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for n in range(1, length + 1):
        entries.append(seal(_draft(n), prev=entries[-1] if entries else None))
    return entries


def test_a_supplier_name_with_accents_is_hashed_as_utf8_text_not_as_escapes():
    entry = seal(_draft(1, after={"supplier": "Müller Straße"}), prev=None)
    payload = canonical_payload(entry)
    assert '"after":{"supplier":"Müller Straße"}' in payload and "\\u00fc" not in payload
    # the hash is over the UTF-8 bytes of the text exactly as written
    assert entry.hash == hashlib.sha256((GENESIS + payload).encode("utf-8")).hexdigest()
    assert entry.hash == chain_hash(GENESIS, payload)


def test_a_deleted_middle_entry_is_reported_with_the_entries_still_good_and_their_head():
    entries = _chain(5)
    del entries[1]
    report = verify_chain(entries)
    assert report == ChainReport(ok=False, entries=1, head=entries[0].hash, first_bad_seq=3,
                                 problem="entry 3 stands where entry 2 should: entries were deleted or reordered")


def test_a_renumbered_trail_is_reported_at_the_first_link_that_does_not_match():
    entries = _chain(4)
    del entries[1]
    entries = [replace(e, seq=i + 1) for i, e in enumerate(entries)]
    report = verify_chain(entries)
    assert report == ChainReport(ok=False, entries=1, head=entries[0].hash, first_bad_seq=2,
                                 problem="entry 2 does not link to the entry before it: "
                                         "an entry was deleted, swapped or edited")


def test_an_edited_entry_is_named_with_its_action_entity_and_id():
    entries = _chain(5)
    entries[2] = replace(entries[2], after={"title": "forged"})
    report = verify_chain(entries)
    assert report == ChainReport(ok=False, entries=2, head=entries[1].hash, first_bad_seq=3,
                                 problem="entry 3 (update contract 1) was edited after it was written")


def test_a_trail_one_entry_short_of_the_recorded_count_names_the_first_missing_entry():
    entries = _chain(5)
    report = verify_chain(entries[:4], expected_count=5)
    assert report == ChainReport(ok=False, entries=4, head=entries[3].hash, first_bad_seq=5,
                                 problem="the trail ends at entry 4 but 5 were written: entries were deleted")
    assert verify_chain(entries, expected_count=5) == ChainReport(ok=True, entries=5, head=entries[4].hash)
    assert verify_chain(entries, expected_count=4).ok  # more than recorded is not a deletion


def test_a_recorded_head_that_does_not_match_the_last_entry_is_reported():
    entries = _chain(3)
    other = _chain(4)[-1].hash
    report = verify_chain(entries, expected_head=other)
    assert report == ChainReport(ok=False, entries=3, head=entries[2].hash, first_bad_seq=3,
                                 problem="the recorded head of the trail does not match its last entry")
    assert report.ok is False
    assert verify_chain(entries, expected_head=entries[2].hash) == ChainReport(ok=True, entries=3,
                                                                               head=entries[2].hash)
