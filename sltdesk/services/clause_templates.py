"""Clause templates (resources/clauses/*.json) and clause files: read, map onto a contract's targets, store.

A template names "slots" (the availability target, the resolution target…) instead of targets; applying it
fills each slot with a target of the contract — the one the user names, else the first unused target of
the slot's metric — and stores the clauses with the template's source and date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from sltdesk.domain.penalties import Clause, terms_from_plain, terms_to_plain
from sltdesk.domain.register import Contract, ContractTarget
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError
from sltdesk.services.imports import find_contract
from sltdesk.services.penalties import ClauseError, ClauseView, add_clauses, resolve_targets
from sltdesk.services.ports import Workspace


@dataclass(frozen=True)
class ClauseTemplate:
    name: str
    title: str
    description: str
    source: dict
    slots: dict
    clauses: tuple[dict, ...]

    @property
    def citation(self) -> str:
        """'Amazon Web Services, Amazon Compute Service Level Agreement …, Last Updated: May 5, 2022, <url>'."""
        parts = [self.source.get(k, "") for k in ("publisher", "document", "version", "url")]
        return ", ".join(p for p in parts if p)


def list_templates() -> list[ClauseTemplate]:
    folder = resources.files("resources").joinpath("clauses")
    found = [_template(json.loads(item.read_text("utf-8"))) for item in folder.iterdir() if item.name.endswith(".json")]
    return sorted(found, key=lambda t: t.name)


def get_template(name: str) -> ClauseTemplate:
    for template in list_templates():
        if template.name == name:
            return template
    known = ", ".join(t.name for t in list_templates())
    raise NotFoundError(f"There is no clause template '{name}'; the templates are: {known}.")


def _template(plain: dict) -> ClauseTemplate:
    return ClauseTemplate(plain["name"], plain["title"], plain.get("description", ""), plain.get("source", {}),
                          plain.get("slots", {}), tuple(plain["clauses"]))


def fill_slots(template: ClauseTemplate, targets: list[ContractTarget], chosen: dict[str, int]) -> dict[str, int]:
    """Slot → target id: the user's choice, else the first unused target of the slot's metric (in order)."""
    filled = dict(chosen)
    for slot, spec in template.slots.items():
        if slot in filled:
            continue
        metrics = {spec.get("metric"), *spec.get("alternatives", [])}
        used = set(filled.values())
        match = next((t for t in targets if t.metric.value in metrics and t.id not in used), None)
        if match is not None:
            filled[slot] = stored_id(match)
        elif not spec.get("optional"):
            raise ClauseError(f"No target fits the template's '{slot}' ({spec.get('description', '')}); name one "
                              f"with --target {slot}=NAME.")
    return filled


def template_clauses(template: ClauseTemplate, contract: Contract, slots: dict[str, int]) -> list[Clause]:
    """The template's clauses for a contract; clauses of slots left empty are skipped."""
    source = f"template {template.name} ({template.source.get('table_date', '')}): {template.citation}"
    out = []
    for item in template.clauses:
        slot = item.get("slot")
        if slot is not None and slot not in slots:
            continue
        out.append(Clause(stored_id(contract), terms_from_plain(item["kind"], item["parameters"]),
                          target_id=slots.get(slot) if slot else None, source=source[:1000]))
    return out


def apply_template(ws: Workspace, contract_ref: str, name: str, *, targets: dict[str, str] | None = None,
                   replace_existing: bool = False) -> tuple[dict[str, str], list[Clause]]:
    """Store a template's clauses on a contract; returns slot → target name, and the stored clauses."""
    template = get_template(name)
    contract = find_contract(ws, contract_ref)
    unknown = set(targets or {}) - set(template.slots)
    if unknown:
        raise ClauseError(f"The template {name} has no slot '{sorted(unknown)[0]}'; its slots are: "
                          f"{', '.join(template.slots)}.")
    with ws.unit_of_work() as uow:
        contract_targets = uow.records.list(ContractTarget, contract_id=contract.id)
    slots = fill_slots(template, contract_targets, resolve_targets(ws, contract, targets or {}))
    stored = add_clauses(ws, contract.ref, template_clauses(template, contract, slots),
                         replace_existing=replace_existing, action="apply-template")
    names = {t.id: t.name for t in contract_targets}
    return {slot: names[tid] for slot, tid in slots.items()}, stored


def clauses_from_file(ws: Workspace, contract_ref: str, document: dict) -> list[Clause]:
    """Clauses written as {"clauses": [{"kind", "target" (name), "parameters", "source"}]}; an entry with the
    "id" and "version" `clauses export` wrote stands for that stored clause (add_clauses changes it in place)."""
    contract = find_contract(ws, contract_ref)
    items = document.get("clauses") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ClauseError('A clause file is a JSON object with a list "clauses"; see `sltdesk clauses export`.')
    names = {str(i): item["target"] for i, item in enumerate(items) if isinstance(item, dict) and item.get("target")}
    ids = resolve_targets(ws, contract, names)
    written_for = str(document.get("contract") or contract.ref)
    same_contract = written_for.casefold() == contract.ref.casefold()  # another contract's file adds its clauses
    out = []
    for i, item in enumerate(items):
        try:
            terms = terms_from_plain(item["kind"], item.get("parameters", {}))
        except (KeyError, ValueError, TypeError) as error:
            raise ClauseError(f"Clause {i + 1} of the file: {error}.") from None
        out.append(Clause(stored_id(contract), terms, target_id=ids.get(str(i)), source=str(item.get("source", "")),
                          **(_identity(item, i + 1) if same_contract else {})))
    return out


def _identity(item: dict, number: int) -> dict:
    """{"id", "version"} of an exported clause, {} for a new one; both or neither, as whole numbers."""
    if "id" not in item and "version" not in item:
        return {}
    found = {k: item.get(k) for k in ("id", "version")}
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in found.values()):
        raise ClauseError(f"Clause {number} of the file: \"id\" and \"version\" are the whole numbers "
                          "`sltdesk clauses export` wrote; give both, or neither for a new clause.")
    return found


def clauses_to_file(views: list[ClauseView], contract_ref: str = "") -> dict:
    """The clause-file form of a contract's clauses (targets by name), for editing and loading back: each carries
    its id and version, so a load into the same contract changes it in place unless someone changed it since
    (loaded into another contract, the clauses are added)."""
    clauses = [{"id": v.clause.id, "version": v.clause.version, "kind": v.kind,
                **({"target": v.target} if v.target else {}),
                "parameters": terms_to_plain(v.clause.terms), "source": v.clause.source} for v in views]
    return {**({"contract": contract_ref} if contract_ref else {}), "clauses": clauses}
