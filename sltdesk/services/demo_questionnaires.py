"""Demo: six suppliers answer the default maturity questionnaire (two of them twice).

The workspace stores no met/missed history: the outlook reads the verdicts computed from the raw data,
like every other page. `synthetic_history` draws 18 months of met/missed per target for the prediction
benchmark (benchmarks/bench_prediction.py), where the truth must be known: each target's chance of being
met is drawn around 0.50 + 0.45 x the supplier's true maturity with noise, so maturity carries real but
imperfect information — the benchmark measures how much of it the prediction recovers.
"""

from __future__ import annotations

import random
from datetime import date

from sltdesk.domain.period import Period
from sltdesk.domain.questionnaires import Answer, Assessment, QuestionCriticality
from sltdesk.domain.register import ChargesPeriod, Contract, ContractTarget, Supplier
from sltdesk.domain.stored import stored_id
from sltdesk.services.ports import Workspace
from sltdesk.services.questionnaires import DEFAULT_TEMPLATE, get_template, record_assessment

FIRST_MONTH = (2025, 5)  # 18 months: 2025-05 .. 2026-10
MONTHS = 18
# supplier -> ((assessed on, true maturity 0..1), ...): Swift Parcel declines, HelpPoint improves.
ASSESSMENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "Stratus Hosting": (("2025-04-14", 0.74),),
    "Northwind Networks": (("2025-04-22", 0.61),),
    "PayFlow": (("2025-04-08", 0.84),),
    "Swift Parcel": (("2025-04-29", 0.72), ("2026-04-20", 0.47)),
    "HelpPoint Services": (("2025-04-16", 0.38), ("2026-04-09", 0.66)),
    "Relata CRM": (("2025-04-25", 0.52),),
}
UNASSESSED_MATURITY = {"Ironvault Data Centres": 0.68, "Fabrikam Software": 0.45}
ASSESSORS = ("Priya Natarajan", "Tom Berger", "Jo Okafor")
EVIDENCE = ("Process document v3.2, section 4", "Export of last month's tickets (attached)",
            "Screenshot of the monitoring dashboard", "Test report, April run", "Audit report ISO 20000, 2025",
            "Runbook in the shared folder")


def build_questionnaires(ws: Workspace, rng: random.Random, ids: dict) -> int:
    """Assessments for six suppliers; returns how many were made."""
    own = random.Random(rng.getrandbits(64))  # this step's draws do not shift when other steps change
    template = get_template(ws, DEFAULT_TEMPLATE)
    made = 0
    for supplier, rounds in ASSESSMENTS.items():
        for assessed_on, maturity in rounds:
            record_assessment(ws, Assessment(
                supplier_id=ids[("supplier", supplier)], template_id=stored_id(template),
                assessed_on=date.fromisoformat(assessed_on), answers=_answers(template, maturity, own),
                assessor=own.choice(ASSESSORS), source="demo"))
            made += 1
    return made


def _answers(template, maturity: float, rng: random.Random) -> tuple[Answer, ...]:
    answers = []
    for q in template.questions:
        roll = rng.random()
        if roll < 0.03:
            continue  # left unanswered
        if roll < 0.06 and q.criticality is not QuestionCriticality.CRITICAL:
            answers.append(Answer(q.code, "N/A", "", "Not part of the contracted service."))
            continue
        level = min(5, max(0, round(rng.gauss(maturity * 5, 0.9))))
        option = next(o for o in q.scale.options if o.label.startswith(f"{level} "))
        evidence = rng.choice(EVIDENCE) if q.evidence_requested and level >= 2 else ""
        answers.append(Answer(q.code, option.label, evidence))
    return tuple(answers)


def synthetic_history(ws: Workspace, seed: int) -> dict[int, list[tuple[str, bool]]]:
    """target id -> (period, met) drawn for 2025-05 .. 2026-10 from the suppliers' true maturity (not stored)."""
    rng = random.Random(seed)
    with ws.unit_of_work() as uow:
        names = {s.id: s.name for s in uow.records.list(Supplier)}
        contracts = uow.records.list(Contract)
        targets = {c.id: uow.records.list(ContractTarget, contract_id=c.id) for c in contracts}
    history = {}
    for contract in contracts:
        for target in targets[contract.id]:
            history[stored_id(target)] = _target_results(contract, target, names[contract.supplier_id], rng)
    return history


def _months() -> list[Period]:
    year, month = FIRST_MONTH
    return [Period.month(year + (month - 1 + i) // 12, (month - 1 + i) % 12 + 1) for i in range(MONTHS)]


def _periods(target: ContractTarget, contract: Contract) -> list[Period]:
    months = [m for m in _months() if contract.start_date <= m.start and m.end <= contract.end_date]
    if target.measurement_period is ChargesPeriod.MONTH:
        return months
    quarters = {Period.parse(f"{m.start.year}-Q{(m.start.month - 1) // 3 + 1}") for m in months}
    return sorted(q for q in quarters if q.end <= months[-1].end and q.start >= months[0].start)


def _target_results(contract: Contract, target: ContractTarget, supplier: str,
                    rng: random.Random) -> list[tuple[str, bool]]:
    offset = rng.gauss(0, 0.10)  # targets differ: some are easy for this supplier, some hard
    results = []
    for period in _periods(target, contract):
        chance = min(0.99, max(0.15, 0.50 + 0.45 * _true_maturity(supplier, period.start) + offset))
        results.append((period.label, rng.random() < chance))
    return results


def _true_maturity(supplier: str, day: date) -> float:
    """The supplier's maturity on a day: between two assessments it moves linearly from one to the next."""
    rounds = [(date.fromisoformat(d), m) for d, m in ASSESSMENTS.get(supplier, ())]
    if not rounds:
        return UNASSESSED_MATURITY.get(supplier, 0.55)
    if len(rounds) == 1 or day <= rounds[0][0]:
        return rounds[0][1]
    (d0, m0), (d1, m1) = rounds[0], rounds[-1]
    share = min(1.0, (day - d0).days / (d1 - d0).days)
    return m0 + (m1 - m0) * share
