"""The one result per target-period (sltdesk/domain/results.py), computed in one place.

The figure comes from the measurement (`attainment_history`, the same every page reads), the status from
the one at-risk rule over the twelve periods up to it, and the credit lines from the contract's clauses
(`penalties`, the same the Penalties page, the board and the pack read). Nothing is cached: a result is
judged as of an instant (`as_of`, default now), and only whether a period is in progress depends on it.
"""

from __future__ import annotations

from functools import partial

from sltdesk.domain.penalties import ClauseRecord
from sltdesk.domain.period import Period, shift
from sltdesk.domain.results import TargetPeriodResult
from sltdesk.domain.stored import stored_id
from sltdesk.rules.at_risk import WINDOW, status, with_warnings
from sltdesk.services.imports import find_contract
from sltdesk.services.penalties import HistoryFn, penalties
from sltdesk.services.ports import Workspace


def target_results(ws: Workspace, contract_ref: str, period: str, *,
                   as_of: int | None = None) -> list[TargetPeriodResult]:
    """Every target of the contract in one period (month, quarter or year), in the register's order."""
    from sltdesk.services.attainment import attainment_history  # the measurement (pandas): when it is asked for

    contract = find_contract(ws, contract_ref)
    label = Period.parse(period).label
    history = attainment_history if as_of is None else partial(attainment_history, as_of=as_of)
    labels = [shift(label, k) for k in range(1 - WINDOW, 1)]
    found = history(ws, stored_id(contract), labels)
    with ws.unit_of_work() as uow:
        has_clauses = bool(uow.records.list(ClauseRecord, contract_id=contract.id))
    lines = penalties(ws, contract.ref, label, history=history).lines if has_clauses else ()
    out = []
    for target_id, results in found.items():
        last = with_warnings(labels, results, start=len(labels) - 1)[0]
        own = tuple(line for line in lines if line.target_id == target_id)  # they add up to the total
        out.append(TargetPeriodResult(last, status(last), own))
    return out


def results_over(ws: Workspace, contract_id: int, labels: list[str], *,
                 history: HistoryFn) -> dict[int, list[TargetPeriodResult]]:
    """Every target's result in each of `labels` (consecutive periods, oldest first): the figure, and the status
    drawn with the early warnings of the WINDOW periods up to each — as `target_results` and the Verification
    grid judge them. Without credit lines: the credits of a range are the reconciliation board's."""
    earlier = [shift(labels[0], -k) for k in range(WINDOW - 1, 0, -1)]
    every = earlier + list(labels)
    found = history(ws, contract_id, every)
    out = {}
    for target_id, results in found.items():  # the earlier periods are only the history the labels look back on
        out[target_id] = [TargetPeriodResult(r, status(r)) for r in with_warnings(every, results, start=len(earlier))]
    return out
