"""Did a done improvement action move its target? The monthly figures before it was opened against those after
it was done (the test: sltdesk/rules/action_effect.py), for the backlog, the review, the pack and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC

from sltdesk.domain.period import months_between, shift
from sltdesk.domain.register import Contract, ContractTarget
from sltdesk.domain.reviews import ActionStatus, ImprovementAction
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError
from sltdesk.rules.action_effect import WINDOW, ActionEffect, Figure, assess_effect
from sltdesk.services.attainment import attainment_history
from sltdesk.services.ports import Workspace
from sltdesk.services.reviews import BacklogItem


@dataclass(frozen=True)
class ActionEffectView:
    action: ImprovementAction
    target: str  # "ST-2024-003 Availability VM Cluster FRA" or ""
    effect: ActionEffect | None  # None: nothing to test (see `note`)
    note: str = ""  # "not done yet", "not linked to a target", …

    @property
    def verdict(self) -> str:
        return self.effect.verdict if self.effect is not None else self.note

    @property
    def summary(self) -> str:
        return self.effect.summary if self.effect is not None else self.note


def last_full_month(ws: Workspace) -> str:
    """The month before the one the workspace is read on: its reference date (the demo's), else today."""
    from sltdesk.services.reference_date import reference_date

    day = reference_date(ws) or ws.now().astimezone(UTC).date()
    return shift(f"{day:%Y-%m}", -1)


def effects_of(ws: Workspace, actions: Sequence[ImprovementAction], *, last: str | None = None
               ) -> dict[int, ActionEffectView]:
    """action id -> its effect, for each action given; figures up to the month `last` (default: last_full_month)."""
    end = last or last_full_month(ws)
    with ws.unit_of_work() as uow:
        targets = {stored_id(t): t for a in actions if a.target_id is not None
                   for t in [uow.records.get(ContractTarget, a.target_id)] if t is not None}
        contracts = {stored_id(c): c for t in targets.values()
                     for c in [uow.records.get(Contract, t.contract_id)] if c is not None}
    out = {}
    for action in actions:
        target = targets.get(action.target_id) if action.target_id is not None else None
        contract = contracts.get(target.contract_id) if target is not None else None
        label = f"{contract.ref} {target.name}" if contract and target else ""
        note = _why_not(action, target)
        if note or target is None or contract is None or action.opened_on is None or action.closed_on is None:
            out[stored_id(action)] = ActionEffectView(action, label, None, note or "not linked to a target")
            continue
        first = max(f"{contract.start_date:%Y-%m}", shift(f"{action.opened_on:%Y-%m}", -WINDOW))
        final = min(end, f"{contract.end_date:%Y-%m}", shift(f"{action.closed_on:%Y-%m}", WINDOW))
        months = months_between(first, final)
        results = attainment_history(ws, stored_id(contract), months).get(stored_id(target), []) if months else []
        figures = [Figure(r.period, r.achieved, r.met) for r in results if r.achieved is not None and r.met is not None]
        effect = assess_effect(figures, comparison=target.comparison, opened_on=action.opened_on,
                               closed_on=action.closed_on)
        out[stored_id(action)] = ActionEffectView(action, label, effect)
    return out


def with_effects(ws: Workspace, items: Sequence[BacklogItem], *, last: str | None = None
                 ) -> tuple[BacklogItem, ...]:
    """The backlog items, each done action linked to a target with its before/after test (figures up to the
    month `last`; default: last_full_month)."""
    done = [i.action for i in items if i.action.status is ActionStatus.DONE and i.action.target_id is not None]
    effects = effects_of(ws, done, last=last) if done else {}
    return tuple(replace(i, effect=effects[i.action.id].summary) if i.action.id in effects else i for i in items)


def action_effect(ws: Workspace, action_id: int, *, last: str | None = None) -> ActionEffectView:
    with ws.unit_of_work() as uow:
        action = uow.records.get(ImprovementAction, action_id)
    if action is None:
        raise NotFoundError(f"There is no action A-{action_id}; list them with `sltdesk actions list`.")
    return effects_of(ws, [action], last=last)[action_id]


def _why_not(action: ImprovementAction, target: ContractTarget | None) -> str:
    if action.status is not ActionStatus.DONE:
        return "dropped: nothing to test" if action.status is ActionStatus.DROPPED else "not done yet"
    if target is None:
        return "not linked to a target"
    if action.opened_on is None:
        return "the day it was opened is not known"
    return ""
