"""Use cases of end-to-end mapping: targets, their chains and mappings (audited), and the coverage report."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sltdesk.domain.mapping import (
    Component,
    ComponentMapping,
    EndToEndTarget,
    EscalationLevel,
)
from sltdesk.domain.register import Contract, ContractTarget, Service, entity_name
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import StoredRecord, stored_id
from sltdesk.errors import NotFoundError
from sltdesk.rules.mapping_validation import validate_mapping_record
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.register import check_fields, delete_record, get_record, list_records, restore_record
from sltdesk.services.retry import retry_when_busy

R = TypeVar("R", bound=StoredRecord)

# Natural keys that must be unique, with the field the message is shown beside.
_UNIQUE: dict[type, tuple[tuple[str, ...], str, str]] = {
    EndToEndTarget: (("service_id", "name"), "name", "This service already has an end-to-end target of this name."),
    Component: (("target_id", "name"), "name", "This chain already has a component of this name."),
    EscalationLevel: (("target_id", "level"), "level", "This escalation path already has this level."),
    ComponentMapping: (("component_id", "contract_target_id"), "contract_target_id",
                       "This contract target is already mapped onto the component."),
    ContractTarget: (("contract_id", "name"), "name", "This contract already has a target of this name."),
}
# What goes when a record is deleted: (child kind, its foreign key to the parent).
_CHILDREN: dict[type, tuple[tuple[type[StoredRecord], str], ...]] = {
    EndToEndTarget: ((EscalationLevel, "target_id"), (Component, "target_id")),
    Component: ((ComponentMapping, "component_id"),),
}


def check(uow: UnitOfWork, record: Any) -> None:
    """Raise ValidationError with a message per field when the record cannot be stored as it is."""
    check_fields(uow, record, validate_mapping_record(record), _UNIQUE)


def add(ws: Workspace, uow: UnitOfWork, record: R) -> R:
    """Validate, store and audit a new record inside the caller's unit of work."""
    record = dataclasses.replace(record, id=None)
    check(uow, record)
    stored = uow.records.add(record)
    append_audit(ws, uow, action="create", entity=entity_name(stored), entity_id=stored.id,
                 before=None, after=to_plain(stored))
    return stored


def change(ws: Workspace, uow: UnitOfWork, record: R) -> R:
    """Validate, store and audit a changed record inside the caller's unit of work."""
    before = _require(uow, type(record), record.id)
    check(uow, record)
    if before != record:
        record = uow.records.update(record)
        append_audit(ws, uow, action="update", entity=entity_name(record), entity_id=record.id,
                     before=to_plain(before), after=to_plain(record))
    return record


def remove(ws: Workspace, uow: UnitOfWork, kind: type[StoredRecord], record_id: int) -> None:
    """Delete a record and what hangs off it (levels, components, mappings), each audited."""
    before = _require(uow, kind, record_id)
    for child_kind, key in _CHILDREN.get(kind, ()):
        for child in uow.records.list(child_kind, **{key: record_id}):
            remove(ws, uow, child_kind, stored_id(child))
    uow.records.delete(kind, record_id)
    append_audit(ws, uow, action="delete", entity=entity_name(kind), entity_id=record_id,
                 before=to_plain(before), after=None)


def _require(uow: UnitOfWork, kind: type[R], record_id: int | None) -> R:
    found = uow.records.get(kind, record_id) if record_id is not None else None
    if found is None:
        raise NotFoundError(f"There is no {entity_name(kind).replace('_', ' ')} with id {record_id}; "
                            "it may have been deleted — refresh the page.")
    return found


# --- one user action each ---------------------------------------------------------------------------
@retry_when_busy
def create_target(ws: Workspace, target: EndToEndTarget) -> EndToEndTarget:
    """Store a new end-to-end target; its business unit defaults to the service's."""
    with ws.unit_of_work() as uow:
        if not target.business_unit_id:
            service = _require(uow, Service, target.service_id)
            target = dataclasses.replace(target, business_unit_id=service.business_unit_id)
        stored = add(ws, uow, target)
        uow.commit()
    return stored


@retry_when_busy
def save_target_details(ws: Workspace, target: EndToEndTarget,
                        escalation: list[EscalationLevel]) -> tuple[EndToEndTarget, list[EscalationLevel]]:
    """Store a target's fields (assumptions…) and replace its escalation path, in one action."""
    with ws.unit_of_work() as uow:
        target = change(ws, uow, target)
        levels = [dataclasses.replace(level, target_id=stored_id(target), level=n)
                  for n, level in enumerate(escalation, start=1)]
        old = {level.level: level for level in uow.records.list(EscalationLevel, target_id=target.id)}
        for level in old.values():
            if level.level > len(levels):
                remove(ws, uow, EscalationLevel, stored_id(level))
        stored = []
        for level in levels:
            if level.level in old:
                # the path goes with its target, whose version was checked above
                current = old[level.level]
                stored.append(change(ws, uow, dataclasses.replace(level, id=current.id, version=current.version)))
            else:
                stored.append(add(ws, uow, level))
        uow.commit()
    return target, stored


@retry_when_busy
def delete_target(ws: Workspace, target_id: int) -> None:
    with ws.unit_of_work() as uow:
        remove(ws, uow, EndToEndTarget, target_id)
        uow.commit()


@retry_when_busy
def save_component(ws: Workspace, component: Component) -> Component:
    """Create (id None) or update a component of a chain."""
    with ws.unit_of_work() as uow:
        stored = add(ws, uow, component) if component.id is None else change(ws, uow, component)
        uow.commit()
    return stored


@retry_when_busy
def delete_component(ws: Workspace, component_id: int) -> None:
    with ws.unit_of_work() as uow:
        remove(ws, uow, Component, component_id)
        uow.commit()


@retry_when_busy
def map_component(ws: Workspace, component_id: int, contract_target_id: int, note: str = "") -> ComponentMapping:
    """Claim that a contract target covers a component."""
    with ws.unit_of_work() as uow:
        _require(uow, Component, component_id)
        _require(uow, ContractTarget, contract_target_id)
        stored = add(ws, uow, ComponentMapping(component_id, contract_target_id, note))
        uow.commit()
    return stored


@retry_when_busy
def unmap_component(ws: Workspace, mapping_id: int) -> None:
    with ws.unit_of_work() as uow:
        remove(ws, uow, ComponentMapping, mapping_id)
        uow.commit()


@retry_when_busy
def unmap_contract_target(ws: Workspace, component_id: int, contract_target_id: int) -> None:
    """Withdraw a contract target's claim on a component (undo of an assignment)."""
    with ws.unit_of_work() as uow:
        for m in uow.records.list(ComponentMapping, component_id=component_id, contract_target_id=contract_target_id):
            remove(ws, uow, ComponentMapping, stored_id(m))
        uow.commit()


@retry_when_busy
def create_contract_target_for(ws: Workspace, component_id: int, target: ContractTarget) -> ComponentMapping:
    """Add a target to a contract and map it onto a component (closing a gap), in one action."""
    with ws.unit_of_work() as uow:
        _require(uow, Component, component_id)
        _require(uow, Contract, target.contract_id)
        stored = add(ws, uow, target)
        mapping = add(ws, uow, ComponentMapping(component_id, stored_id(stored), "created to close a gap"))
        uow.commit()
    return mapping


def list_chain(ws: Workspace, target_id: int) -> tuple[list[Component], list[ComponentMapping]]:
    """A target's components (in chain order) and their mappings."""
    with ws.unit_of_work() as uow:
        components = sorted(uow.records.list(Component, target_id=target_id), key=lambda c: (c.stage, c.id))
        mappings = [m for c in components for m in uow.records.list(ComponentMapping, component_id=c.id)]
    return components, mappings


def escalation_path(ws: Workspace, target_id: int) -> list[EscalationLevel]:
    with ws.unit_of_work() as uow:
        return sorted(uow.records.list(EscalationLevel, target_id=target_id), key=lambda lv: lv.level)


# --- deletes that undo can take back ----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class RemovedComponent:
    """A deleted component and the contract targets' claims on it, as they were (for undo)."""

    record: Component
    mappings: tuple[ComponentMapping, ...]


def remove_component(ws: Workspace, component_id: int) -> RemovedComponent:
    """Withdraw every contract target's claim on a component, then delete it; the contract targets stay."""
    record = get_record(ws, Component, component_id)
    mappings = tuple(m for m in list_records(ws, ComponentMapping) if m.component_id == record.id)
    for m in mappings:
        unmap_component(ws, stored_id(m))
    delete_component(ws, stored_id(record))
    return RemovedComponent(record, mappings)


def put_back_component(ws: Workspace, removed: RemovedComponent) -> None:
    """Undo of remove_component: the component under its old id, and its claims."""
    restore_record(ws, removed.record)
    for m in removed.mappings:
        map_component(ws, stored_id(removed.record), m.contract_target_id, m.note)


@dataclasses.dataclass(frozen=True)
class RemovedTarget:
    """A deleted end-to-end target and its escalation path, as they were (for undo)."""

    record: EndToEndTarget
    levels: tuple[EscalationLevel, ...]


def remove_end_to_end_target(ws: Workspace, target_id: int) -> RemovedTarget:
    """Delete an end-to-end target without components, its escalation path with it."""
    record = get_record(ws, EndToEndTarget, target_id)
    levels = tuple(lvl for lvl in list_records(ws, EscalationLevel) if lvl.target_id == record.id)
    save_target_details(ws, record, [])
    delete_target(ws, stored_id(record))
    return RemovedTarget(record, levels)


def put_back_end_to_end_target(ws: Workspace, removed: RemovedTarget) -> None:
    """Undo of remove_end_to_end_target."""
    restore_record(ws, removed.record)
    save_target_details(ws, removed.record, list(removed.levels))


def remove_created_contract_target(ws: Workspace, mapping: ComponentMapping) -> ContractTarget:
    """Undo of create_contract_target_for: the claim and the contract target go; returns the target (for redo)."""
    target = get_record(ws, ContractTarget, mapping.contract_target_id)
    unmap_contract_target(ws, mapping.component_id, mapping.contract_target_id)
    delete_record(ws, ContractTarget, mapping.contract_target_id)
    return target


def put_back_created_contract_target(ws: Workspace, mapping: ComponentMapping, target: ContractTarget) -> None:
    """Redo of create_contract_target_for after its undo: the contract target under its old id, mapped again."""
    restore_record(ws, target)
    map_component(ws, mapping.component_id, mapping.contract_target_id, mapping.note)
