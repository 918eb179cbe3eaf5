"""Content hashes of stored import batches, read through the raw-data port (see sltdesk/rules/content_hash.py).

`batch_digest` hashes what a batch holds now; `digests_of` hashes chosen rows (or blocks) per batch, so an
import can measure what it takes out of earlier batches: `removed(before, after)` over the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sltdesk.domain.raw_records import (
    RawCreditNoteLine,
    RawMaintenanceWindow,
    RawOutage,
    RawReportLine,
    RawTicketEvent,
    SampleBlock,
)
from sltdesk.rules.content_hash import Digest, blocks_digest, columns_digest, rows_digest
from sltdesk.services.raw_ports import RawData

# The stored kinds, by the names their records are hashed under (a row's digest covers its fields in the
# typed record's order; a block's covers its key — month or probe — and its exact bytes).
ROWS = {"ticket_events": RawTicketEvent, "outages": RawOutage, "vendor_report": RawReportLine,
        "credit_notes": RawCreditNoteLine, "maintenance": RawMaintenanceWindow}
BLOCKS = ("ticket_blocks", "sample_blocks")
KINDS = (*BLOCKS, *ROWS)
_ROW_NAMES = {record: name for name, record in ROWS.items()}
_TOLD_FROM_MEMORY = {"ticket_events"}  # rows whose every field is text, a whole number or empty
Targets = list[tuple[str, list[int]]]  # (stored kind, row or block ids)


def batch_digest(raw: RawData, *, batch_id: int, contract_id: int) -> Digest:
    """The multiset hash of every record the batch holds now."""
    total = Digest()
    for kind in KINDS:
        for digest in _digests(raw, kind, contract_id, batch_id=batch_id).values():
            total += digest
    return total


def new_batch_digest(raw: RawData, plan, *, batch_id: int, contract_id: int) -> Digest:
    """The multiset hash of a batch `plan` (an import_rows.Plan) has just stored (the plan is all the new batch
    holds: `Plan.store` is its only writer). Told from memory where the plan holds what was stored: the sample
    blocks the importer packed (a million samples' 6 MB are not read back), and ticket events, whose fields are
    text and whole numbers the database gives back as they went in (300,000 events took two seconds to read back
    as records); the rest — ticket blocks, packed while being stored, and the other kinds of rows — is read back.
    Either way the same as `batch_digest` (tests/adapters/test_import_csv_typed.py: the content-hash tests)."""
    total, read_back = Digest(), []
    if plan.tickets is not None:
        read_back.append("ticket_blocks")
    if plan.samples:
        if all(isinstance(block, SampleBlock) for block in plan.samples):
            total += blocks_digest("sample_blocks", [(b.probe, b.count, b.payload) for b in plan.samples])
        else:
            read_back.append("sample_blocks")
    if plan.records:
        kind = _ROW_NAMES[type(plan.records[0])]
        columns = list(zip(*plan.records, strict=True)) if kind in _TOLD_FROM_MEMORY else []
        if columns and _text_and_whole_numbers(columns):
            total += columns_digest(kind, columns)
        else:
            read_back.append(kind)
    for kind in read_back:
        for digest in _digests(raw, kind, contract_id, batch_id=batch_id).values():
            total += digest
    return total


def _text_and_whole_numbers(columns: list[tuple]) -> bool:
    """Whether every field of these columns is text, a whole number or empty: what the database gives back as it
    went in (a float or a flag would come back written otherwise, e.g. SQLite writes True in a text column as
    '1')."""
    plain = {str, int, type(None)}
    return all(set(map(type, column)) <= plain for column in columns)


def digests_of(raw: RawData, contract_id: int, targets: Targets) -> dict[int, Digest]:
    """The multiset hash, per batch, of the records in these rows or blocks (rows already gone count nothing)."""
    found: dict[int, Digest] = {}
    for kind, ids in targets:
        for batch, digest in _digests(raw, kind, contract_id, ids=sorted(set(ids))).items():
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
    return [(kind, list(ids)) for kind, ids in deletes] + [(kind, [block_id]) for kind, block_id, *_ in updates]


def delete(raw: RawData, kind: str, ids: list[int]) -> None:
    """Delete these rows or blocks of a stored kind."""
    if kind == "ticket_blocks":
        raw.delete_ticket_blocks(ids)
    elif kind == "sample_blocks":
        raw.delete_sample_blocks(ids)
    else:
        raw.delete_records(ROWS[kind], ids)


def _digests(raw: RawData, kind: str, contract_id: int, *, batch_id: int | None = None,
             ids: list[int] | None = None) -> dict[int, Digest]:
    found: dict[int, Digest] = {}
    if kind in BLOCKS:  # one digest per stored block, over its exact bytes
        read = raw.ticket_block_bytes if kind == "ticket_blocks" else raw.sample_block_bytes
        blocks: dict[int, list[tuple]] = {}
        for block in read(contract_id=contract_id, batch_id=batch_id, ids=ids):
            blocks.setdefault(block.batch_id, []).append((block.key, block.count, block.payload))
        found = {batch: blocks_digest(kind, each) for batch, each in blocks.items()}
    else:
        rows: dict[int, list[tuple]] = {}
        for stored in raw.records(ROWS[kind], contract_id=contract_id, batch_id=batch_id, ids=ids):
            rows.setdefault(stored.batch_id, []).append(stored.record)
        found = {batch: rows_digest(kind, values) for batch, values in rows.items()}
    return found
