"""Reliability prediction backtest on a synthetic history: maturity prior vs the history-only baseline.

The history is drawn from the demo suppliers' true maturity (sltdesk/services/demo_questionnaires.py,
`synthetic_history`), so how much of that information the prediction recovers can be measured; the
workspace itself stores no history (the outlook reads the verdicts computed from the raw data).

Walk forward through every target's periods: predict period t from periods before t (and, for the
maturity model, the latest assessment dated before the period starts), then compare with what
happened. Brier score = mean squared error of the probabilities (lower is better; 0.25 = a coin).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from models.workspace import open_workspace
from sltdesk.domain.period import Period
from sltdesk.domain.register import Contract, ContractTarget
from sltdesk.rules.prediction import brier_score, predict
from sltdesk.services.demo import build_demo
from sltdesk.services.demo_questionnaires import synthetic_history
from sltdesk.services.questionnaires import scored

EARLY = 6  # periods of history below which the prior matters most


def backtest(ws, seed: int = 7) -> dict[str, list[tuple[float, bool]]]:
    """(probability, outcome) pairs per model and history length bucket."""
    by_supplier: dict[int, list] = {}
    for item in scored(ws):
        by_supplier.setdefault(item.assessment.supplier_id, []).append(item)
    with ws.unit_of_work() as uow:
        contracts = {c.id: c for c in uow.records.list(Contract)}
        targets = uow.records.list(ContractTarget)
    results = synthetic_history(ws, seed)
    pairs: dict[str, list[tuple[float, bool]]] = {k: [] for k in ("maturity", "history", "maturity early",
                                                                   "history early")}
    for target in targets:
        history = results[target.id]
        assessments = by_supplier.get(contracts[target.contract_id].supplier_id, [])
        for t, (period, met) in enumerate(history):
            start = Period.parse(period).start
            known = [a for a in assessments if a.assessment.assessed_on < start and a.card.overall is not None]
            prior = known[-1].card.overall if known else None
            past = [m for _, m in history[:t]]
            for model, score in (("maturity", prior), ("history", None)):
                pair = (predict(past, prior_score=score).probability, met)
                pairs[model].append(pair)
                if t < EARLY:
                    pairs[f"{model} early"].append(pair)
    return pairs


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        ws = open_workspace(Path(folder) / "bench.sltdesk", create=True)
        build_demo(ws, seed=7)
        pairs = backtest(ws)
        ws.close()
    brier = {name: brier_score(p) for name, p in pairs.items()}
    ratio = brier["maturity"] / brier["history"]
    early = brier["maturity early"] / brier["history early"]
    return [
        {"name": "prediction: Brier, maturity prior", "value": brier["maturity"], "unit": "", "bound": None,
         "ok": True},
        {"name": "prediction: Brier, history only", "value": brier["history"], "unit": "", "bound": None, "ok": True},
        {"name": f"prediction: Brier ratio (n={len(pairs['maturity'])})", "value": ratio, "unit": "x",
         "bound": 1.0, "ok": ratio <= 1.0},
        {"name": "prediction: Brier, maturity, first 6 periods", "value": brier["maturity early"], "unit": "",
         "bound": None, "ok": True},
        {"name": "prediction: Brier, history, first 6 periods", "value": brier["history early"], "unit": "",
         "bound": None, "ok": True},
        {"name": f"prediction: Brier ratio, first 6 (n={len(pairs['maturity early'])})", "value": early,
         "unit": "x", "bound": 1.0, "ok": early <= 1.0},
    ]
