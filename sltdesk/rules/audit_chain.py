"""The tamper-evident hash chain of the audit trail (SHA-256, canonical JSON)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sltdesk.domain.audit import AuditEntry, ChainReport

GENESIS = "0" * 64


def canonical_payload(entry: AuditEntry) -> str:
    """The exact text that is hashed: sorted keys, no whitespace, UTF-8."""
    payload: dict[str, Any] = {
        "seq": entry.seq,
        "at_utc": entry.at_utc,
        "os_user": entry.os_user,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "app_version": entry.app_version,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, payload: str) -> str:
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def seal(entry: AuditEntry, *, prev: AuditEntry | None) -> AuditEntry:
    """Give an unsealed entry its sequence number, previous hash and own hash."""
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    numbered = replace(entry, seq=seq, prev_hash=prev_hash)
    return replace(numbered, hash=chain_hash(prev_hash, canonical_payload(numbered)))


def verify_chain(
    entries: Iterable[AuditEntry], *, expected_count: int | None = None, expected_head: str | None = None
) -> ChainReport:
    """Recompute every link in order of storage; name the first entry that does not match."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return _bad(count - 1, prev_hash, entry.seq,
                        f"entry {entry.seq} stands where entry {expected_seq} should: "
                        "entries were deleted or reordered")
        if entry.prev_hash != prev_hash:
            return _bad(count - 1, prev_hash, entry.seq,
                        f"entry {entry.seq} does not link to the entry before it: "
                        "an entry was deleted, swapped or edited")
        if chain_hash(prev_hash, canonical_payload(entry)) != entry.hash:
            return _bad(count - 1, prev_hash, entry.seq,
                        f"entry {entry.seq} ({entry.action} {entry.entity} {entry.entity_id}) "
                        "was edited after it was written")
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    if expected_count is not None and count < expected_count:
        return _bad(count, prev_hash, count + 1,
                    f"the trail ends at entry {count} but {expected_count} were written: entries were deleted")
    if expected_head is not None and count and expected_head != prev_hash:
        return _bad(count, prev_hash, count, "the recorded head of the trail does not match its last entry")
    return ChainReport(ok=True, entries=count, head=prev_hash)


def _bad(good: int, head: str, seq: int, problem: str) -> ChainReport:
    return ChainReport(ok=False, entries=good, head=head, first_bad_seq=seq, problem=problem)
