"""A contract's measurement rules as data: list, export and load (all or nothing, each change audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import Contract, ContractTarget, MetricKind
from sltdesk.domain.serial import to_plain
from sltdesk.errors import SltDeskError
from sltdesk.rules.measurement_rules import rule_from_plain, rule_to_plain
from sltdesk.services.audit import append_audit
from sltdesk.services.imports import find_contract
from sltdesk.services.ports import Workspace
from sltdesk.services.retry import retry_when_busy


class RuleError(SltDeskError):
    """A rule file that cannot be loaded; every problem names the target and the field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" ({len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


def contract_rules(ws: Workspace, contract_ref: str) -> tuple[Contract, list[tuple[ContractTarget,
                                                                                  MeasurementRule | None]]]:
    """Every target of the contract with its rule (None: the target is not measured yet)."""
    contract = find_contract(ws, contract_ref)
    with ws.unit_of_work() as uow:
        targets = uow.records.list(ContractTarget, contract_id=contract.id)
        rules = {r.target_id: r for r in uow.records.list(MeasurementRule)}
    return contract, [(t, rules.get(t.id)) for t in targets]


def export_rules(ws: Workspace, contract_ref: str) -> dict[str, Any]:
    """{"contract": REF, "rules": [{"target", "source", …}]}: the file `load_rules` reads back."""
    contract, pairs = contract_rules(ws, contract_ref)
    return {"contract": contract.ref, "rules": [rule_to_plain(rule, target.name) for target, rule in pairs if rule]}


@retry_when_busy
def load_rules(ws: Workspace, contract_ref: str, entries: Sequence[Any], *,
               replace_existing: bool = False) -> list[MeasurementRule]:
    """Store the rules of `entries` (one per target, by name): all of them or, on any problem, none. A target's
    rule is replaced by the new one; with `replace_existing`, targets the file leaves out lose theirs."""
    contract, pairs = contract_rules(ws, contract_ref)
    by_name = {t.name: t for t, _ in pairs}
    current = {t.id: r for t, r in pairs if r is not None}
    problems: list[str] = []
    parsed: list[MeasurementRule] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"rule {position}: an entry is an object with \"target\" and the rule's fields.")
            continue
        name = str(entry.get("target", "")).strip()
        target = by_name.get(name)
        if target is None:
            known = ", ".join(by_name) or "none yet"
            problems.append(f"rule {position}: target '{name}' is not a target of {contract.ref}; its targets are: "
                            f"{known}." if name else f"rule {position}: target is missing.")
            continue
        if name in seen:
            problems.append(f"{name}: the file gives this target two rules; keep one.")
            continue
        seen.add(name)
        rule, found = rule_from_plain(entry, target.id, cycle_time=target.metric is MetricKind.CYCLE_TIME_PERCENTILE)
        problems += found
        if rule is not None:
            parsed.append(rule)
    if problems:
        raise RuleError([f"{contract.ref} {p}" for p in problems])
    names = {t.id: t.name for t, _ in pairs}
    stored = []
    with ws.unit_of_work() as uow:
        for rule in parsed:
            before = current.get(rule.target_id)
            if before is not None:
                rule = replace(rule, id=before.id)
                if rule == before:
                    stored.append(before)
                    continue
                uow.records.update(rule)
                action = "update"
            else:
                rule = uow.records.add(rule)
                action = "create"
            append_audit(ws, uow, action=action, entity="measurement_rule", entity_id=rule.id,
                         before=None if before is None else _audit(before, names, contract.ref),
                         after=_audit(rule, names, contract.ref))
            stored.append(rule)
        if replace_existing:
            for target_id, old in current.items():
                if target_id not in {r.target_id for r in parsed}:
                    uow.records.delete(MeasurementRule, old.id)
                    append_audit(ws, uow, action="delete", entity="measurement_rule", entity_id=old.id,
                                 before=_audit(old, names, contract.ref), after=None)
        uow.commit()
    return stored


def _audit(rule: MeasurementRule, names: dict[int, str], ref: str) -> dict:
    return {"contract": ref, "target": names.get(rule.target_id, ""), **to_plain(rule)}


def preview_rule(ws: Workspace, target_id: int, rule: MeasurementRule, *, as_of: int | None = None,
                 months: int = 24) -> str:
    """One sentence: the latest complete month's figure under `rule` (a rule being edited, not yet stored), beside
    the stored rule's; or why there is none."""
    from datetime import UTC, datetime

    from sltdesk.domain.period import Period
    from sltdesk.services.attainment import ContractData

    with ws.unit_of_work() as uow:
        target = uow.records.get(ContractTarget, target_id)
    if target is None:
        return "Save the target first; then its figure can be previewed."
    now = int(ws.now().timestamp()) if as_of is None else as_of
    today = datetime.fromtimestamp(now, UTC).date()
    index = today.year * 12 + today.month - 1
    labels = [f"{i // 12}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]
    data = ContractData.load(ws, target.contract_id, labels, as_of=now)
    stored = data.rules.get(target.id)
    data.use_rule(target.id, rule)
    for label in reversed(labels):
        result = data.measure(target, label)
        if result.completeness != "complete" or result.achieved is None:
            continue
        verdict = "met" if result.met else "missed"
        text = f"{Period.parse(label).label} under this rule: {result.achieved_text} {target.unit} — {verdict}"
        if stored is not None and stored != data.rules[target.id]:
            data.use_rule(target.id, stored)
            before = data.measure(target, label)
            if before.achieved is not None:
                text += f" (the stored rule gives {before.achieved_text} {target.unit})"
        return text + "."
    return (f"No complete month in the last {months} to preview: import this target's {rule.source.value} with "
            "--period (or mark a month complete as imported).")
