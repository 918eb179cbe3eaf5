"""Store a contract-register workbook's entries in one unit of work (all or nothing), and export them back.

Rows are matched to the workspace by natural key (supplier name, contract ref, contract + target
name, service + target name…, case-insensitively): a new key creates a record, a known key with
other values updates it, an identical one is left alone. Nothing is deleted. Every created or
updated record gets its own audit entry, and the import one more with the file's SHA-256.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sltdesk.domain.cells import column_letter
from sltdesk.domain.penalties import ClauseRecord, clause_from_record, clause_to_record
from sltdesk.domain.register import Contract, ContractTarget, MetricKind, entity_name
from sltdesk.domain.register_book import (
    CLAUSE_ENTITIES,
    ENTITY_ORDER,
    OPTIONAL_KEPT,
    REFERENCES,
    SHEET_BY_ENTITY,
    SHEET_BY_NAME,
    BookEntry,
    Finding,
    RegisterBook,
)
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import SltDeskError, ValidationError
from sltdesk.rules.clause_book import clause_entries, clauses_from_entries, ordered
from sltdesk.rules.clauses import clause_problems, set_problems
from sltdesk.rules.measurement_rules import lacks_time_limit
from sltdesk.rules.register_book import book_from_records, natural_key, same_content, with_ids
from sltdesk.services.audit import append_audit
from sltdesk.services.mapping import check
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy

Index = dict[tuple[str, tuple], Any]


class RegisterImportRefused(SltDeskError):
    """Nothing was stored; `findings` says what to fix, each with its sheet, row and column."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        first = findings[0] if findings else "no details"
        super().__init__(f"The register was not imported ({len(findings)} problem(s)); the first: {first}")


@dataclass(frozen=True)
class RegisterImportResult:
    file_name: str
    sha256: str
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: int
    dry_run: bool


def register_book(ws: Workspace) -> RegisterBook:
    """The workspace's register as workbook entries (what `export contracts` writes)."""
    with ws.unit_of_work() as uow:
        return _book(uow)


def _book(uow: UnitOfWork) -> RegisterBook:
    book = book_from_records({s.entity: uow.records.list(s.kind) for s in SHEET_BY_ENTITY.values()
                              if s.entity not in CLAUSE_ENTITIES})
    clauses: list[BookEntry] = []
    for contract in sorted(uow.records.list(Contract), key=lambda c: c.ref.casefold()):
        names = {stored_id(t): t.name for t in uow.records.list(ContractTarget, contract_id=contract.id)}
        clauses += clause_entries(contract.ref, names, uow.records.list(ClauseRecord, contract_id=contract.id))
    rows = [e for e in clauses if e.entity == "credit_clause"] + [e for e in clauses if e.entity == "clause_band"]
    return RegisterBook(book.entries + tuple(rows), book.letters)


@retry_when_busy
def import_register(ws: Workspace, book: RegisterBook, *, file_name: str, sha256: str,
                    dry_run: bool = False) -> RegisterImportResult:
    """Store every entry or none; raises RegisterImportRefused with a finding per problem."""
    with ws.unit_of_work() as uow:
        index: Index = {(e.entity, _folded(natural_key(e))): e.record for e in _book(uow).entries}
        findings: list[Finding] = []
        created: Counter[str] = Counter()
        updated: Counter[str] = Counter()
        unchanged = 0
        for entity in ENTITY_ORDER:
            writes = _Writes(ws, uow, index)
            for entry in sorted(book.of(entity), key=lambda e: e.row):
                record, problems = _resolved(book, entry, index)
                findings.extend(problems)
                if record is None:
                    continue
                key = (entity, _folded(natural_key(entry)))
                if key in writes.keys:  # a second row of a record this sheet creates: it finds the first stored
                    writes.store()
                outcome, problems = _store(writes, book, entry, record, key)
                findings.extend(problems)
                created[entity] += outcome == "create"
                updated[entity] += outcome == "update"
                unchanged += outcome == "same"
            writes.store()
        for outcome in _store_clauses(ws, uow, book, index, findings):
            created["credit_clause"] += outcome == "create"
            updated["credit_clause"] += outcome == "update"
            unchanged += outcome == "same"
        if findings:
            raise RegisterImportRefused(findings)
        result = RegisterImportResult(file_name, sha256, _nonzero(created), _nonzero(updated), unchanged, dry_run)
        append_audit(ws, uow, action="import", entity="contract_register", entity_id=sha256[:16], before=None,
                     after={"file": file_name, "sha256": sha256, "created": result.created,
                            "updated": result.updated, "unchanged": unchanged})
        if not dry_run:
            uow.commit()
    if not dry_run and result.updated:  # a changed target, calendar or term: its contracts' results (created
        after_write(ws, None)           # contracts have none stored yet: their first import stores them)
    return result


def _folded(key: tuple) -> tuple:
    return tuple(part.casefold() if isinstance(part, str) else part for part in key)


def _nonzero(counts: Counter[str]) -> dict[str, int]:
    return {k: n for k, n in counts.items() if n}


def _resolved(book: RegisterBook, entry: BookEntry, index: Index) -> tuple[Any | None, list[Finding]]:
    """The entry's record with ids for the names it refers to, or the findings naming what is unknown."""
    ids: dict[str, int | None] = {}
    problems: list[Finding] = []
    for fk, target in REFERENCES.get(entry.entity, {}).items():
        names = entry.refs.get(fk)
        if names is None:
            continue
        found = index.get((target, _folded(names)))
        if found is None:
            where = SHEET_BY_ENTITY[target].name
            problems.append(_finding(book, entry, fk, f"no {target.replace('_', ' ')} '{' / '.join(map(str, names))}'"
                                     f" on the {where} sheet or in the workspace; check the spelling."))
        else:
            ids[fk] = found.id
    if problems:
        return None, problems
    record = with_ids(entry, ids)
    if entry.entity == "measurement_rule":
        target = index[("contract_target", _folded(entry.refs["target_id"]))]
        if lacks_time_limit(record.source, record.limit_minutes,
                            cycle_time=target.metric is MetricKind.CYCLE_TIME_PERCENTILE):
            return None, [_finding(book, entry, "limit_minutes", "a ticket target needs its time limit in minutes "
                                                                 "(more than 0).")]
        if record.tier_calendar and index.get(("calendar", _folded((record.tier_calendar,)))) is None:
            return None, [_finding(book, entry, "tier_calendar", f"no service calendar '{record.tier_calendar}' on "
                                   "the Service calendars sheet or in the workspace; check the spelling.")]
    if entry.entity == "end_to_end_target" and not record.business_unit_id:
        service = index[("service", _folded(entry.refs["service_id"]))]
        record = dataclasses.replace(record, business_unit_id=service.business_unit_id)
    return record, []


class _Writes:
    """A sheet's new records, inserted together (one INSERT of many rows) once the sheet is read, and the audit
    entries of its new and changed records, appended then in the order of the sheet's rows."""

    def __init__(self, ws: Workspace, uow: UnitOfWork, index: Index):
        self.ws, self.uow, self.index = ws, uow, index
        self._new: list[tuple[tuple[str, tuple], Any]] = []
        self._audit: list[tuple[str, Any, Any]] = []  # ("create", position in _new, None) or ("update", before, after)

    @property
    def keys(self) -> set[tuple[str, tuple]]:
        return {key for key, _record in self._new}

    def create(self, key: tuple[str, tuple], record: Any) -> None:
        self._audit.append(("create", len(self._new), None))
        self._new.append((key, record))

    def update(self, key: tuple[str, tuple], before: Any, after: Any) -> None:
        self.index[key] = after
        self._audit.append(("update", before, after))

    def store(self) -> None:
        stored = self.uow.records.add_many([record for _key, record in self._new])
        for (key, _new), made in zip(self._new, stored, strict=True):
            self.index[key] = made
        for action, first, second in self._audit:
            if action == "create":
                record = stored[first]
                append_audit(self.ws, self.uow, action="create", entity=entity_name(record), entity_id=record.id,
                             before=None, after=to_plain(record))
            else:
                append_audit(self.ws, self.uow, action="update", entity=entity_name(second), entity_id=second.id,
                             before=to_plain(first), after=to_plain(second))
        self._new, self._audit = [], []


def _store(writes: _Writes, book: RegisterBook, entry: BookEntry, record: Any,
           key: tuple[str, tuple]) -> tuple[str, list[Finding]]:
    current = writes.index.get(key)
    # a workbook row carries no version: it changes the record as it is now, read in this unit of work
    record = dataclasses.replace(record, id=current.id if current else None, version=current.version if current else 1)
    if current is not None:
        record = _kept(book, entry, current, record)
    if current is not None and same_content(current, record):
        return "same", []
    try:
        check(writes.uow, record)
    except ValidationError as error:
        return "refused", [_finding(book, entry, field, message) for field, message in error.fields.items()]
    if current is None:
        writes.create(key, record)
        return "create", []
    writes.update(key, current, writes.uow.records.update(record))
    return "update", []


def _kept(book: RegisterBook, entry: BookEntry, current: Any, record: Any) -> Any:
    """A file's sheet without an optional column (the targets' review cycle) leaves the stored values alone."""
    sheet = SHEET_BY_ENTITY[entry.entity].name
    read = book.letters.get(sheet)
    absent = [name for name in OPTIONAL_KEPT.get(entry.entity, ()) if read and name not in read]
    return dataclasses.replace(record, **{name: getattr(current, name) for name in absent}) if absent else record


def _finding(book: RegisterBook, entry: BookEntry, field: str, message: str) -> Finding:
    """A finding on the entry's row, in the column that holds `field` (the first part of a composite name)."""
    sheet = SHEET_BY_ENTITY[entry.entity]
    for index, column in enumerate(sheet.columns):
        if column.field in (field, f"@{field}", f"@{field}:0"):
            letter = book.letter(sheet.name, column.field) or column_letter(index)
            return Finding(sheet.name, entry.row, letter, column.header, message)
    return Finding(sheet.name, entry.row, "", "", message)


def _store_clauses(ws: Workspace, uow: UnitOfWork, book: RegisterBook, index: Index,
                   findings: list[Finding]) -> list[str]:
    """The Credit clauses and Clause bands rows: clause n of a contract replaces the contract's n-th clause (or
    is added as it); each contract's clauses are checked one by one and as a set, then stored and audited."""
    rows, bands = book.of("credit_clause"), book.of("clause_band")
    if not rows and not bands:
        return []
    contracts = {key[0]: record for (entity, key), record in index.items() if entity == "contract"}
    targets: dict[str, dict[str, int]] = {ref: {} for ref in contracts}
    for (entity, key), record in index.items():
        if entity == "contract_target" and key[0] in targets:
            targets[key[0]][key[1]] = record.id
    found, problems = clauses_from_entries(rows, bands, targets)
    findings += [_clause_finding(book, *p) for p in problems]
    outcomes = []
    new: list[ClauseRecord] = []  # inserted together at the end (one INSERT of many rows)
    audit: list[tuple[str, dict, dict, Any]] = []  # the entries, in the order of the clauses (a position or an id)
    for ref, items in found.items():
        contract = contracts[ref.casefold()]
        existing = ordered(uow.records.list(ClauseRecord, contract_id=contract.id))
        ids = list(targets[ref.casefold()].values())
        final = [clause_from_record(r) for r in existing]
        for number, row, clause in items:
            clause = dataclasses.replace(clause, contract_id=contract.id)
            for message in clause_problems(clause, target_ids=ids):
                findings.append(_clause_finding(book, "Credit clauses", row, "", message))
            if number <= len(final):
                final[number - 1] = dataclasses.replace(clause, id=final[number - 1].id,
                                                        version=final[number - 1].version)
            else:
                final.append(clause)
        for message in set_problems(final):
            findings.append(_clause_finding(book, "Credit clauses", items[0][1], "", f"{contract.ref}: {message}"))
        if findings:
            continue
        for position, clause in enumerate(final):
            record = clause_to_record(clause, position)
            before = next((r for r in existing if r.id == clause.id), None) if clause.id else None
            if before is not None and clause_from_record(before) == clause and before.position == position:
                outcomes.append("same")
                continue
            if before is not None:
                record = uow.records.update(record)
            plain = {"contract": contract.ref, **to_plain(record)}
            if before is None:
                audit.append(("create", {}, plain, len(new)))
                new.append(dataclasses.replace(record, id=None))
                outcomes.append("create")
            else:
                audit.append(("update", {"contract": contract.ref, **to_plain(before)}, plain, record.id))
                outcomes.append("update")
    stored = uow.records.add_many(new)
    for action, before_plain, plain, at in audit:
        if action == "create":
            clause_id = stored[at].id
            append_audit(ws, uow, action="create", entity="credit_clause", entity_id=clause_id, before=None,
                         after={**plain, "id": clause_id})
        else:
            append_audit(ws, uow, action="update", entity="credit_clause", entity_id=at, before=before_plain,
                         after=plain)
    return outcomes


def _clause_finding(book: RegisterBook, sheet_name: str, row: int, field: str, message: str) -> Finding:
    sheet = SHEET_BY_NAME[sheet_name]
    for index, column in enumerate(sheet.columns):
        if field and column.field == field:
            letter = book.letter(sheet.name, column.field) or column_letter(index)
            return Finding(sheet.name, row, letter, column.header, message)
    return Finding(sheet.name, row, "", "", message)
