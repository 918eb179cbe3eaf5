"""Demo: six suppliers answer the default maturity questionnaire (two of them twice), and 18 months of
met/missed results per contract target.

The per-period results are synthetic: each target's chance of being met is drawn around
0.50 + 0.45 x the supplier's true maturity with noise, so maturity carries real but imperfect
information — the benchmark measures how much of it the prediction recovers.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from sltdesk.domain.period import Period
from sltdesk.domain.questionnaires import Answer, Assessment, QuestionCriticality, TargetPeriodResult
from sltdesk.domain.register import ChargesPeriod, Comparison, Contract, ContractTarget
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import Workspace
from sltdesk.services.questionnaire_ports import questionnaires_of
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
    """Assessments for six suppliers and per-period target results; returns how many records were made."""
    own = random.Random(rng.getrandbits(64))  # this step's draws do not shift when other steps change
    template = get_template(ws, DEFAULT_TEMPLATE)
    made = 0
    for supplier, rounds in ASSESSMENTS.items():
        for assessed_on, maturity in rounds:
            record_assessment(ws, Assessment(
                supplier_id=ids[("supplier", supplier)], template_id=template.id,
                assessed_on=date.fromisoformat(assessed_on), answers=_answers(template, maturity, own),
                assessor=own.choice(ASSESSORS), source="demo"))
            made += 1
    return made + _history(ws, own, ids)


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


def _history(ws: Workspace, rng: random.Random, ids: dict) -> int:
    with ws.unit_of_work() as uow:
        repo = questionnaires_of(uow)
        count = 0
        for contract in uow.records.list(Contract):
            supplier = next(name for (kind, name), value in ids.items()
                            if kind == "supplier" and value == contract.supplier_id)
            for target in uow.records.list(ContractTarget, contract_id=contract.id):
                for result in _target_results(contract, target, supplier, rng):
                    repo.put_result(result)
                    count += 1
        append_audit(ws, uow, action="import", entity="target_period_result", entity_id="demo", before=None,
                     after={"results": count, "periods": f"{_months()[0]}..{_months()[-1]}", "source": "demo"})
        uow.commit()
    return count


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
                    rng: random.Random) -> list[TargetPeriodResult]:
    offset = rng.gauss(0, 0.10)  # targets differ: some are easy for this supplier, some hard
    results = []
    for period in _periods(target, contract):
        chance = min(0.99, max(0.15, 0.50 + 0.45 * _true_maturity(supplier, period.start) + offset))
        met = rng.random() < chance
        results.append(TargetPeriodResult(target.id, period.label, met, _achieved(target, met, rng), "demo"))
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


def _achieved(target: ContractTarget, met: bool, rng: random.Random) -> Decimal:
    """A plausible achieved value on the right side of the threshold."""
    threshold = target.threshold
    at_least = target.comparison in (Comparison.AT_LEAST, Comparison.MORE_THAN)
    if target.unit == "%" and at_least:
        room = Decimal(100) - threshold
        step = Decimal(str(rng.uniform(0.05, 0.95)))
        value = threshold + room * step if met else threshold - max(room, Decimal("0.5")) * step * 2
    else:
        factor = Decimal(str(rng.uniform(0.55, 0.98) if met == (not at_least) else rng.uniform(1.02, 1.6)))
        value = threshold * factor
    places = Decimal("0.001") if threshold.as_tuple().exponent <= -2 else Decimal("0.01")
    return value.quantize(places, ROUND_HALF_EVEN)
