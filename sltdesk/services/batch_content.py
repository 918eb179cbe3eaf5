"""Content hashes of stored import batches, read through the raw-data port (see sltdesk/rules/content_hash.py).

`batch_digest` hashes what a batch holds now; `digests_of` hashes chosen rows (or blocks) per batch, so an
import can measure what it takes out of earlier batches: `removed(before, after)` over the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sltdesk.rules.content_hash import Digest, block_digest, rows_digest
from sltdesk.services.import_rows import (
    CREDIT_COLUMNS,
    EVENT_COLUMNS,
    OUTAGE_COLUMNS,
    REPORT_COLUMNS,
    WINDOW_COLUMNS,
)
from sltdesk.services.raw_ports import RawData

BLOCK_KEY = {"ticket_blocks": "month", "sample_blocks": "probe"}  # hashed with the block: where it belongs
COLUMNS = {"ticket_events": EVENT_COLUMNS, "outages": OUTAGE_COLUMNS, "vendor_report": REPORT_COLUMNS,
           "credit_notes": CREDIT_COLUMNS, "maintenance": WINDOW_COLUMNS}
TABLES = ("ticket_blocks", "sample_blocks", *COLUMNS)
CHUNK = 500
Targets = list[tuple[str, list[int]]]  # (table, row or block ids)


def batch_digest(raw: RawData, *, batch_id: int, contract_id: int) -> Digest:
    """The multiset hash of every record the batch holds now."""
    total = Digest()
    for table in TABLES:
        for digest in _digests(raw, table, contract_id, batch_id=batch_id).values():
            total += digest
    return total


def digests_of(raw: RawData, contract_id: int, targets: Targets) -> dict[int, Digest]:
    """The multiset hash, per batch, of the records in these rows or blocks (rows already gone count nothing)."""
    found: dict[int, Digest] = {}
    for table, ids in targets:
        ids = sorted(set(ids))
        for at in range(0, len(ids), CHUNK):
            for batch, digest in _digests(raw, table, contract_id, id=ids[at:at + CHUNK]).items():
                found[batch] = found.get(batch, Digest()) + digest
    return found


def taken_out(raw: RawData, contract_id: int, targets: Targets, remove: Callable[[], None]) -> dict[int, Digest]:
    """Run `remove` and return, per batch, the content hash of what it took out of these rows or blocks: they
    are measured before and after (a rewritten block counts as its old digest out and its new one in)."""
    before = digests_of(raw, contract_id, targets)
    remove()
    return removed(before, digests_of(raw, contract_id, targets))


def removed(before: dict[int, Digest], after: dict[int, Digest]) -> dict[int, Digest]:
    """What left each batch between two measurements of the same rows."""
    gone = {batch: digest - after.get(batch, Digest()) for batch, digest in before.items()}
    return {batch: digest for batch, digest in gone.items() if digest.records or digest.total}


def merged(*parts: dict[int, Digest]) -> dict[int, Digest]:
    out: dict[int, Digest] = {}
    for part in parts:
        for batch, digest in part.items():
            out[batch] = out.get(batch, Digest()) + digest
    return out


def removed_audit(gone: dict[int, Digest]) -> list[dict]:
    """The audit entry's `content_removed`: per batch, the sum and count of the records taken out."""
    return [{"batch": batch, **digest.as_audit()} for batch, digest in sorted(gone.items())]


def plan_targets(deletes: Iterable[tuple[str, list[int]]], updates: Iterable[tuple]) -> Targets:
    """The rows an import plan deletes and the blocks it rewrites."""
    return [(table, list(ids)) for table, ids in deletes] + [(table, [block_id]) for table, block_id, *_ in updates]


def _digests(raw: RawData, table: str, contract_id: int, **where) -> dict[int, Digest]:
    found: dict[int, Digest] = {}
    if table in ("ticket_blocks", "sample_blocks"):  # one digest per stored block, over its exact bytes
        for batch, key, count, payload in raw.select(table, ("batch_id", BLOCK_KEY[table], "count", "payload"),
                                                     contract_id=contract_id, **where):
            found[batch] = found.get(batch, Digest()) + block_digest(table, key, count, payload)
    else:
        rows: dict[int, list[tuple]] = {}
        for batch, *values in raw.select(table, ("batch_id", *COLUMNS[table]), contract_id=contract_id, **where):
            rows.setdefault(batch, []).append(tuple(values))
        found = {batch: rows_digest(table, values) for batch, values in rows.items()}
    return found
