"""Demo: credit clauses for every contract (varied kinds; Northwind, Stratus and PayFlow as their contract
excerpts say), and credit notes from three suppliers — one correct, one short, one missing — written as
files and imported like a user's, with amounts taken from the engine over the demo's own attainment."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pandas as pd

from sltdesk.domain.penalties import (
    Allocation,
    AtRiskPool,
    Band,
    Bonus,
    BusinessImpact,
    Cap,
    CapScope,
    ClaimWindow,
    Clause,
    EarnBack,
    EarnBackMode,
    FixedCredit,
    Multiplier,
    PerUnitCredit,
    TerminationTrigger,
    Terms,
    TieredCredit,
    Unit,
)
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.reconciliation import ClaimStatus
from sltdesk.domain.register import ContractTarget
from sltdesk.rules.penalty_steps import last_day
from sltdesk.services.clause_templates import apply_template
from sltdesk.services.penalties import add_clauses, credits_between
from sltdesk.services.ports import Workspace
from sltdesk.services.reconciliation import set_status

D = Decimal
FIRST, LAST = "2025-05", "2026-10"  # the demo's 18 months: credit notes are for the latest credit in them
SETTLED_UNTIL = "2025-12"  # credits up to here were claimed and settled at service reviews


def _bands(*rows: tuple[str, str]) -> tuple[Band, ...]:
    return tuple(Band(D(bound), percent=D(share)) for bound, share in rows)


def _specs() -> dict[str, list[tuple[str | None, Terms, str]]]:
    """contract → (target name or None, terms, source) in the order the contract states them."""
    nw = "Schedule 4 (Service Levels and Service Credits), NW-2025-014"
    return {
        "NW-2025-014": [
            (None, AtRiskPool(D(12)), nw + " §4.1: at-risk amount 12 % of the monthly charges"),
            ("SL1 Availability", Allocation(D(40), tier_pricing="worse"), nw + " §4.2"),  # core hours: 99.99 %
            ("SL2 P1 response", Allocation(D(20)), nw + " §4.2"),
            ("SL3 P1 resolution", Allocation(D(25)), nw + " §4.2"),
            ("SL4 P2 resolution", Allocation(D(15)), nw + " §4.2"),
            (None, Multiplier(((2, D(2)),)), nw + " §4.3: a miss in two consecutive months doubles the credit"),
            (None, EarnBack(3), nw + " §4.4: returned if the SL is met in each of the following three months"),
            ("SL1 Availability", TerminationTrigger(3, 6), nw + " §4.5: three SL1 misses in any six months"),
            (None, ClaimWindow(days=60), nw + " §4.6: claims within 60 days of month end"),
            ("SL1 Availability", BusinessImpact(Unit.DOWNTIME_MINUTE, D("150.00"), D(60)),
             "Contoso estimate: lost store sales £150 a minute, 60 % of stores without 4G backup"),
        ],
        "ST-2024-003": [
            ("Availability VM Cluster FRA", TieredCredit(_bands(("99.9", "5"), ("99.5", "10"), ("99.0", "25")))
             , "ST-2024-003 Annex 2 §3: credits as a share of the month's charges"),
            (None, Cap(CapScope.PERIOD, percent=D(25)), "ST-2024-003 Annex 2 §3: at most 25 % a month"),
            (None, Cap(CapScope.YEAR, percent=D(10)), "ST-2024-003 Annex 2 §3: at most 10 % of annual charges"),
        ],
        "PF-2025-007": [
            ("Availability", TieredCredit(_bands(("99.9", "10"), ("99.0", "25"))),
             "PF-2025-007 SLA §5: 10 % below 99.9 %, 25 % below 99.0 %"),
            ("Availability", BusinessImpact(Unit.BAD_INTERVAL, D("1200.00"), D(100)),
             "Contoso estimate: card sales lost in a failed 5-minute interval"),
        ],
        "NW-2025-019": [
            ("Internet availability", PerUnitCredit(Unit.BAD_INTERVAL, D("150.00"), D(2)),
             "NW-2025-019 §6.1: £150 per hour with failed probes, the first two hours a month free"),
            ("Latency p95", FixedCredit(D("500.00")), "NW-2025-019 §6.2: £500 for each month the latency is missed"),
            (None, Cap(CapScope.PERIOD, percent=D(20)), "NW-2025-019 §6.3: at most 20 % of the monthly charges"),
            (None, ClaimWindow(days=30), "NW-2025-019 §6.4"),
        ],
        "FS-2024-017": [
            ("P1 resolution", FixedCredit(D("2500.00")),
             "FS-2024-017 §9.1: €2,500 per month with P1 resolution missed"),
            ("P2 resolution", Bonus((Band(D("99"), amount=D("1000.00")),), netted=False),
             "FS-2024-017 §9.3: €1,000 bonus when 99 % of P2s are fixed in time, invoiced separately"),
            (None, ClaimWindow(days=45), "FS-2024-017 §9.4"),
        ],
        "ST-2025-011": [
            ("Backup success", FixedCredit(D("640.00")), "ST-2025-011 §4: 10 % of the month's charges per miss"),
            (None, ClaimWindow(days=30), "ST-2025-011 §4"),
        ],
        "RC-2025-002": [
            ("Availability", TieredCredit(_bands(("99.5", "10"), ("99.0", "25"))), "Relata CRM SLA, section 3"),
            (None, EarnBack(2, EarnBackMode.WAIVE), "Relata CRM SLA, section 3.4: waived after two good months"),
            (None, ClaimWindow(days=30), "Relata CRM SLA, section 3.5"),
        ],
    }


def build_penalties(ws: Workspace, rng: random.Random, ids: dict,
                    raw_importer: Callable[[Workspace, object], int] | None = None) -> int:
    """Clauses for all ten contracts; with the raw data imported, three suppliers' credit notes. Returns records."""
    own = random.Random(rng.getrandbits(64))  # this step's draws do not shift when other steps change
    made = 0
    for ref, specs in _specs().items():
        with ws.unit_of_work() as uow:
            names = {t.name: t.id for t in uow.records.list(ContractTarget, contract_id=ids[("contract", ref)])}
        clauses = [Clause(ids[("contract", ref)], terms, names[name] if name else None, source)
                   for name, terms, source in specs]
        made += len(add_clauses(ws, ref, clauses))
    made += len(apply_template(ws, "IV-2022-005", "cloud-compute-region-level")[1])
    made += len(apply_template(ws, "SP-2023-021", "logistics-per-shipment")[1])
    made += len(apply_template(ws, "HP-2024-009", "it-outsourcing-at-risk-pool")[1])
    with ws.unit_of_work() as uow:
        p3 = next(t.id for t in uow.records.list(ContractTarget, contract_id=ids[("contract", "HP-2024-009")])
                  if t.name == "P3 resolution")
    made += len(add_clauses(ws, "HP-2024-009", [Clause(ids[("contract", "HP-2024-009")], Bonus(
        (Band(D("99.5"), percent=D(1)),), netted=True), p3, "HP-2024-009 Schedule 2 §7: 1 % bonus, netted")]))
    if raw_importer is None:
        return made
    from sltdesk.services.attainment import attainment_history

    return made + _credit_notes(ws, own, raw_importer, attainment_history) + _fresh_outage(ws, raw_importer)


def _credit_notes(ws: Workspace, rng: random.Random, importer, history) -> int:
    """Older credits were settled at service reviews; of the latest ones, Ironvault credits the right amount,
    Northwind too little and PayFlow nothing yet (its claim is still open)."""
    from sltdesk.services.demo_raw import DemoFile

    made = 0
    for ref in ("ST-2024-003", "NW-2025-014", "PF-2025-007", "HP-2024-009"):
        settled = [c for c in credits_between(ws, ref, FIRST, SETTLED_UNTIL, history=history) if c.total > 0]
        notes = []
        for credits in settled:
            end = last_day(credits.period)
            number = f"INV-{ref[:2]}-{credits.period.replace('-', '')}"
            notes.append(_note_frame(credits, number, short=False, every_line=True))
            set_status(ws, ref, credits.period, ClaimStatus.CLAIMED, on=end + timedelta(days=6), credits=credits)
            set_status(ws, ref, credits.period, ClaimStatus.SETTLED, on=end + timedelta(days=45),
                       note=f"settled at the quarterly service review (credited on invoice {number})")
        if notes:  # the credits on the invoices that settled them
            made += importer(ws, DemoFile(f"{ref.lower()}_invoice_credits_{FIRST}_{SETTLED_UNTIL}.csv",
                                          RecordKind.CREDIT_NOTES, ref, pd.concat(notes, ignore_index=True), "UTC"))
    for ref, how, prefix in (("IV-2022-005", "correct", "IVD-CN"), ("NW-2025-014", "short", "CN"),
                             ("PF-2025-007", "missing", "PF-CR")):
        owed = [c for c in credits_between(ws, ref, FIRST, LAST, history=history) if c.total > 0]
        if not owed:
            continue
        credits = owed[-1]
        end = last_day(credits.period)
        set_status(ws, ref, credits.period, ClaimStatus.CLAIMED, on=end + timedelta(days=6),
                   note="claimed by e-mail to the account manager", credits=credits)
        if how == "missing":
            continue
        number = f"{prefix}-{credits.period.replace('-', '')}-{rng.randint(100, 999)}"
        frame = _note_frame(credits, number, short=how == "short")
        made += importer(ws, DemoFile(f"{ref.lower()}_credit_note_{credits.period}.csv", RecordKind.CREDIT_NOTES,
                                      ref, frame, "UTC"))
        if how == "short":
            set_status(ws, ref, credits.period, ClaimStatus.DISPUTED, on=end + timedelta(days=24),
                       note=f"{number} credits less than Schedule 4 gives; disputed with the account manager")
        else:
            set_status(ws, ref, credits.period, ClaimStatus.ISSUED, on=end + timedelta(days=19), note=number)
    return made


def _fresh_outage(ws: Workspace, importer) -> int:
    """A power outage at Ironvault in October 2026, reported after the credit notes above: its credit is still
    to claim on the demo's reference date (the cloud table's window closes at the end of December)."""
    from sltdesk.services.demo_raw import DemoFile

    frame = pd.DataFrame([("PO-0101", "Power A+B", "14/10/2026 02:10", "14/10/2026 02:52", 100, "no",
                           "Feed A breaker trip; B did not take the load")],
                         columns=["Outage", "Service", "Start", "End", "Impact %", "Planned", "Note"])
    return importer(ws, DemoFile("ironvault_outages_2026-10_addendum.csv", RecordKind.OUTAGES, "IV-2022-005",
                                 frame, "Europe/London"))


def _note_frame(credits, number: str, *, short: bool, every_line: bool = False) -> pd.DataFrame:
    """The supplier's credit note: one line per credited target (a short note leaves the largest one out);
    `every_line`: netted bonuses and earn-backs too (as negative lines), so the note adds up to the total."""
    lines = [ln for ln in credits.lines if ln.amount > 0 or (every_line and ln.amount < 0)]
    if short and len(lines) > 1:
        lines = [ln for ln in lines if ln is not max(lines, key=lambda x: x.amount)]
    rows = [(number, credits.period, str(i), f"Service credit — {ln.target}",
             str((ln.amount / 2).quantize(D("1")) if short and len(lines) == 1 else ln.amount), credits.currency)
            for i, ln in enumerate(lines, start=1)]
    return pd.DataFrame(rows, columns=["Credit note", "Period", "Line", "Description", "Amount", "Currency"])
