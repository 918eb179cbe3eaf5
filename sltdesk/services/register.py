"""Use cases of the supplier register: create, update, delete and restore records."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import Contract, ContractTarget, ServiceCalendar, Supplier, entity_name
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import StoredRecord, stored_id
from sltdesk.errors import InUseError, NotFoundError, ValidationError
from sltdesk.rules.validation import validate_record
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy

R = TypeVar("R", bound=StoredRecord)

# Natural keys that must be unique, with the message shown next to the field.
_UNIQUE: dict[type, tuple[tuple[str, ...], str, str]] = {
    Contract: (("ref",), "ref", "Another contract already has this reference."),
    Supplier: (("name",), "name", "Another supplier already has this name."),
    ContractTarget: (("contract_id", "name"), "name", "This contract already has a target of this name."),
}


@retry_when_busy
def create_record(ws: Workspace, record: R) -> R:
    """Validate and store a new record; returns it with its id."""
    record = dataclasses.replace(record, id=None)
    with ws.unit_of_work() as uow:
        _check(uow, record)
        stored = uow.records.add(record)
        append_audit(ws, uow, action="create", entity=entity_name(stored), entity_id=stored.id,
                     before=None, after=to_plain(stored))
        uow.commit()
    return stored


@retry_when_busy
def update_record(ws: Workspace, record: R) -> R:
    """Validate and store a record changed from its `version`; returns it at the next version. The audit entry
    holds both; StaleRecordError when someone else stored a change since that version."""
    with ws.unit_of_work() as uow:
        before = require_record(uow, type(record), record.id)
        _check(uow, record)
        if before == record:
            return record
        stored = uow.records.update(record)
        append_audit(ws, uow, action="update", entity=entity_name(record), entity_id=record.id,
                     before=to_plain(before), after=to_plain(stored))
        uow.commit()
    return stored


@retry_when_busy
def delete_record(ws: Workspace, kind: type[R], record_id: int) -> R:
    """Delete a record nothing refers to; returns what was deleted (for undo)."""
    with ws.unit_of_work() as uow:
        before = require_record(uow, kind, record_id)
        users = uow.records.references(kind, record_id)
        if users:
            raise InUseError(f"{_label(before)} cannot be deleted while {', '.join(users)} refer to it; "
                             "delete or move those first.")
        uow.records.delete(kind, record_id)
        append_audit(ws, uow, action="delete", entity=entity_name(kind), entity_id=record_id,
                     before=to_plain(before), after=None)
        uow.commit()
    return before


@retry_when_busy
def restore_record(ws: Workspace, record: R) -> R:
    """Put a deleted record back under its old id (undo of a delete)."""
    with ws.unit_of_work() as uow:
        if record.id is not None and uow.records.get(type(record), record.id) is not None:
            raise ValidationError({"id": f"{_label(record)} already exists."})
        _check(uow, record)
        stored = uow.records.add(record)
        append_audit(ws, uow, action="restore", entity=entity_name(record), entity_id=stored.id,
                     before=None, after=to_plain(stored))
        uow.commit()
    return stored


def refresh_after_edit(ws: Workspace, record: object) -> None:
    """An edited, new or deleted rule, target, contract or calendar changes the inputs of stored results: refresh them.
    The GUI runs this in the background after saving (`update_record` does not), so an edit never waits."""
    if isinstance(record, MeasurementRule):
        with ws.unit_of_work() as uow:
            target = uow.records.get(ContractTarget, record.target_id)
        if target is not None:  # a rule deleted with its target: the target's results went with it
            after_write(ws, [target.contract_id])
    elif isinstance(record, ContractTarget):
        after_write(ws, [record.contract_id])
    elif isinstance(record, Contract):
        after_write(ws, [stored_id(record)])
    elif isinstance(record, ServiceCalendar):
        after_write(ws, None)


def list_records(ws: Workspace, kind: type[R], **equals: object) -> list[R]:
    with ws.unit_of_work() as uow:
        return uow.records.list(kind, **equals)


def get_record(ws: Workspace, kind: type[R], record_id: int) -> R:
    with ws.unit_of_work() as uow:
        return require_record(uow, kind, record_id)


def require_record(uow: UnitOfWork, kind: type[R], record_id: int | None) -> R:
    """The stored record of this kind and id; NotFoundError (a sentence) when there is none."""
    found = uow.records.get(kind, record_id) if record_id is not None else None
    if found is None:
        raise NotFoundError(f"There is no {entity_name(kind).replace('_', ' ')} with id {record_id}; "
                            "it may have been deleted — refresh the list.")
    return found


def _check(uow: UnitOfWork, record: StoredRecord) -> None:
    check_fields(uow, record, validate_record(record), _UNIQUE)


def check_fields(uow: UnitOfWork, record: StoredRecord, errors: dict[str, str],
                 unique_keys: dict[type, tuple[tuple[str, ...], str, str]]) -> None:
    """Add the message of a broken natural key to the field errors; raise when there are any."""
    unique = unique_keys.get(type(record))
    if unique:
        keys, field, message = unique
        twins = uow.records.list(type(record), **{k: getattr(record, k) for k in keys})
        if any(t.id != record.id for t in twins):
            errors.setdefault(field, message)
    if errors:
        raise ValidationError(errors)


def _label(record: object) -> str:
    name = getattr(record, "ref", None) or getattr(record, "name", None) or getattr(record, "title", "")
    return f"{entity_name(record).replace('_', ' ').capitalize()} '{name}'"
