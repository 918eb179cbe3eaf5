"""The deep audit check: stored records against the after-values of their latest audit entries, and each import
batch's stored content against its content hash (sltdesk/rules/content_hash.py).

A register record (supplier, contract, target, clause, review record…) must equal, field by field, the after-
values its latest audit entry wrote; one that was deleted, changed or added with no audit entry to say so was
changed outside the app. An import batch must hold the records whose hash its import recorded, minus the ones
later audited imports took out of it (they record the hash of what they removed, per batch); a batch without
an audit entry, or gone without a removal entry, was changed outside the app too. Batches stored before
hashes were recorded at import are checked against the hash the upgrade computed, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sltdesk.domain.mapping
import sltdesk.domain.measurement
import sltdesk.domain.reviews  # noqa: F401 (each registers its record kinds in ENTITY_NAMES)
from sltdesk.domain.audit import AuditEntry
from sltdesk.domain.penalties import ClauseRecord
from sltdesk.domain.register import ENTITY_NAMES
from sltdesk.domain.serial import to_plain
from sltdesk.rules.content_hash import Digest
from sltdesk.services.batch_content import batch_digest
from sltdesk.services.ports import Workspace

BY_OTHER_KEY = {"period_mark"}  # audited under "contract:period", not under the record's id


@dataclass(frozen=True)
class DeepReport:
    """What the deep check compared, what does not match (one sentence each) and notes on how it checked."""

    records: int = 0
    batches: int = 0
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Trail:
    latest: dict[tuple[str, str], AuditEntry] = field(default_factory=dict)
    removed: dict[int, Digest] = field(default_factory=dict)  # batch -> content audited imports took out of it


def deep_check(ws: Workspace) -> DeepReport:
    """Compare every audited record and batch with its audit trail; name each one changed outside the app."""
    with ws.unit_of_work() as uow:
        trail = _read_trail(uow.audit.entries())
        problems, records = _check_records(uow, trail)
        batch_problems, notes, batches = _check_batches(uow, trail)
    return DeepReport(records, batches, tuple(problems + batch_problems), tuple(notes))


def _read_trail(entries) -> _Trail:
    trail = _Trail()
    for entry in entries:
        trail.latest[(entry.entity, entry.entity_id)] = entry
        if entry.entity == "import_batch" and entry.action == "import":
            for part in (entry.after or {}).get("content_removed", ()):
                batch = int(part["batch"])
                trail.removed[batch] = trail.removed.get(batch, Digest()) + Digest.from_audit(part)
    return trail


def _kinds() -> dict[type, str]:
    kinds = {kind: name for kind, name in ENTITY_NAMES.items() if name not in BY_OTHER_KEY}
    kinds[ClauseRecord] = "credit_clause"
    return kinds


def _check_records(uow, trail: _Trail) -> tuple[list[str], int]:
    problems: list[str] = []
    checked = 0
    for kind, entity in _kinds().items():
        stored = {str(r.id): r for r in uow.records.list(kind)}
        checked += len(stored)
        audited = {key[1] for key in trail.latest if key[0] == entity and key[1].isdigit()}
        for record_id in sorted(stored.keys() | audited, key=int):
            problem = _record_problem(entity, stored.get(record_id), trail.latest.get((entity, record_id)))
            if problem:
                problems.append(f"{_label(entity, record_id, stored.get(record_id))}: {problem}")
    return problems, checked


def _record_problem(entity: str, record: Any, entry: AuditEntry | None) -> str:
    if entry is None:
        return "is stored but has no audit entry: it was added outside the app"
    after = None if entry.action == "delete" else entry.after  # None: the record is gone
    if record is None:
        return "" if after is None else (f"is in audit entry {entry.seq} ({entry.action}) but not in the database: "
                                         "it was deleted outside the app")
    if after is None:
        return f"was deleted by audit entry {entry.seq} but is in the database: it was put back outside the app"
    plain = to_plain(record)
    changed = [name for name in plain if name in after and plain[name] != after[name]]
    if not changed:
        return ""
    what = "; ".join(f"{name} is {_show(plain[name])} in the database but {_show(after[name])} in audit "
                     f"entry {entry.seq} ({entry.at_utc[:10]})" for name in changed)
    return f"{what}: it was changed outside the app"


def _label(entity: str, record_id: str, record: Any) -> str:
    name = getattr(record, "ref", None) or getattr(record, "name", None) or getattr(record, "title", None)
    return f"{entity.replace('_', ' ').capitalize()} {record_id}" + (f" ({name})" if name else "")


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _check_batches(uow, trail: _Trail) -> tuple[list[str], list[str], int]:
    problems: list[str] = []
    notes: list[str] = []
    stored = {str(b["id"]): b for b in uow.raw.batches()}
    audited = {key[1] for key, e in trail.latest.items() if key[0] == "import_batch" and e.action == "import"}
    for batch_id in sorted(stored.keys() | audited, key=int):
        batch, entry = stored.get(batch_id), trail.latest.get(("import_batch", batch_id))
        if batch is None:
            assert entry is not None  # an id that is not stored came from the audit trail
            file_name = (entry.after or {}).get("file", "")
            problems.append(f"Batch {batch_id} ({file_name}) is imported by audit entry {entry.seq} "
                            "but not in the database, and no audit entry removed it: it was deleted outside the app")
            continue
        label = f"Batch {batch_id} ({batch['file_name']}, {batch['kind']})"
        expected, note = _expected(batch, entry)
        if expected is None:
            problems.append(f"{label} {note}")
            continue
        if note:
            notes.append(f"{label}: hash recorded {note}, not at import")
        expected -= trail.removed.get(int(batch_id), Digest())
        actual = batch_digest(uow.raw, batch_id=int(batch_id), contract_id=batch["contract_id"])
        if actual != expected:
            counted = (f"it holds {actual.records:,} records where {expected.records:,} are expected"
                       if actual.records != expected.records else "a record's content differs")
            problems.append(f"{label} does not match the content hash recorded {note or 'at import'}: {counted}; "
                            "its records were changed outside the app")
    return problems, notes, len(stored)


def _expected(batch: dict, entry: AuditEntry | None) -> tuple[Digest | None, str]:
    """The hash recorded at import (""), or at the upgrade ("at upgrade on DATE"); None and the problem otherwise."""
    if entry is not None and entry.action != "import":
        return None, f"was removed by audit entry {entry.seq} but is in the database: it was put back outside the app"
    after = entry.after if entry is not None else None
    if after is not None and "content" in after:
        return Digest.from_audit(after["content"]), ""
    if batch.get("content_sum"):
        recorded = Digest(int(batch["content_sum"], 16), int(batch["content_records"] or 0))
        return recorded, f"at upgrade on {batch['content_hashed_at'][:10]}"
    if entry is None:
        return None, "has no audit entry: it was added outside the app"
    return None, "has no content hash to check against"
