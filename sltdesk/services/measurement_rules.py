"""A contract's measurement rules as data: list, export and load (all or nothing, each change audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.period import shift, span
from sltdesk.domain.register import Contract, ContractTarget, MetricKind
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import SltDeskError, StaleRecordError
from sltdesk.rules.measurement_rules import rule_from_plain, rule_to_plain
from sltdesk.services.audit import append_audit
from sltdesk.services.imports import find_contract
from sltdesk.services.ports import Workspace
from sltdesk.services.result_cache import after_write
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
    return contract, [(t, rules.get(stored_id(t))) for t in targets]


def export_rules(ws: Workspace, contract_ref: str) -> dict[str, Any]:
    """{"contract": REF, "rules": [{"target", "source", …, "version"}]}: the file `load_rules` reads back; the
    version makes the load refuse a rule someone changed in between."""
    contract, pairs = contract_rules(ws, contract_ref)
    return {"contract": contract.ref, "rules": [{**rule_to_plain(rule, target.name), "version": rule.version}
                                                for target, rule in pairs if rule]}


@retry_when_busy
def load_rules(ws: Workspace, contract_ref: str, entries: Sequence[Any], *,
               replace_existing: bool = False) -> list[MeasurementRule]:
    """Store the rules of `entries` (one per target, by name): all of them or, on any problem, none. A target's
    rule is replaced by the new one; with `replace_existing`, targets the file leaves out lose theirs. An entry
    with the "version" `export_rules` wrote changes the rule only if it is still at that version: otherwise
    StaleRecordError names the target, and nothing is stored."""
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
        rule, found = rule_from_plain(entry, stored_id(target),
                                      cycle_time=target.metric is MetricKind.CYCLE_TIME_PERCENTILE)
        version, wrong = _version(entry, name, current.get(target.id))
        problems += found + wrong
        if rule is not None and not wrong:
            parsed.append(replace(rule, version=version))
    if problems:
        raise RuleError([f"{contract.ref} {p}" for p in problems])
    names = {stored_id(t): t.name for t, _ in pairs}
    stored = []
    with ws.unit_of_work() as uow:
        for rule in parsed:
            before = current.get(rule.target_id)
            if before is not None:
                rule = replace(rule, id=before.id)
                if rule == before:
                    stored.append(before)
                    continue
                rule = _update(uow, rule, f"The rule of {contract.ref} {names[rule.target_id]}")
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
                    uow.records.delete(MeasurementRule, stored_id(old))
                    append_audit(ws, uow, action="delete", entity="measurement_rule", entity_id=old.id,
                                 before=_audit(old, names, contract.ref), after=None)
        uow.commit()
    after_write(ws, [stored_id(contract)])
    return stored


def _version(entry: dict, name: str, current: MeasurementRule | None) -> tuple[int, list[str]]:
    """The version the entry was exported at (the current one when it gives none), or the problem with it."""
    if "version" not in entry:
        return (current.version if current else 1), []
    version = entry["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return 0, [f"{name}: version is the whole number `sltdesk rules export` wrote (got {version!r}); leave it "
                   "out to replace the rule as it is now."]
    if current is None:
        return 0, [f"{name}: its rule was removed after the file was exported; leave \"version\" out to set it "
                   "again."]
    return version, []


def _update(uow, rule: MeasurementRule, what: str) -> MeasurementRule:
    try:
        return uow.records.update(rule)
    except StaleRecordError as error:
        raise StaleRecordError(what, changed_by=error.changed_by, changed_at=error.changed_at,
                               version=error.version) from None


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
    this_month = f"{today.year}-{today.month:02d}"
    labels = span(shift(this_month, 1 - months), this_month)
    data = ContractData.load(ws, target.contract_id, labels, as_of=now)
    target_id = stored_id(target)
    stored = data.rules.get(target_id)
    data.use_rule(target_id, rule)
    for label in reversed(labels):
        result = data.measure(target, label)
        if result.completeness != "complete" or result.achieved is None:
            continue
        verdict = "met" if result.met else "missed"
        text = f"{Period.parse(label).label} under this rule: {result.achieved_text} {target.unit} — {verdict}"
        if stored is not None and stored != data.rules[target_id]:
            data.use_rule(target_id, stored)
            before = data.measure(target, label)
            if before.achieved is not None:
                text += f" (the stored rule gives {before.achieved_text} {target.unit})"
        return text + "."
    return (f"No complete month in the last {months} to preview: import this target's {rule.source.value} with "
            "--period (or mark a month complete as imported).")
