"""The demo's measurement rules: how each contract target is computed from the raw data."""

from __future__ import annotations

import random
from decimal import Decimal

from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.domain.register import Contract, ContractTarget
from sltdesk.domain.stored import stored_id
from sltdesk.services.ports import Workspace
from sltdesk.services.register import create_record

# contract, target name -> rule parameters (the contract excerpts in shared/data/README.md for the first three)
RULES: dict[tuple[str, str], dict] = {
    ("ST-2024-003", "Availability VM Cluster FRA"): dict(source=Source.OUTAGES, service="VM Cluster FRA"),
    ("ST-2024-003", "P1 response"): dict(source=Source.TICKETS, priority="P1", stop="responded", limit_minutes=30),
    ("ST-2024-003", "P2 resolution"): dict(source=Source.TICKETS, priority="P2", limit_minutes=480,
                                           business_clock=True),
    ("NW-2025-014", "SL1 Availability"): dict(source=Source.OUTAGES, service="MPLS WAN", maintenance_notice_days=7,
                                              report_name="MPLS WAN availability (24x7)",
                                              tier_calendar="UK business hours",
                                              tier_threshold="99.99"),  # 99.99 % in core hours, the worse tier
                                              # priced (the credit clause says so: demo_penalties)
    ("NW-2025-014", "SL2 P1 response"): dict(source=Source.TICKETS, priority="P1", stop="responded",
                                             limit_minutes=15, report_name="P1 response within 15 min"),
    ("NW-2025-014", "SL3 P1 resolution"): dict(source=Source.TICKETS, priority="P1", limit_minutes=240,
                                               report_name="P1 resolution within 4 h"),
    ("NW-2025-014", "SL4 P2 resolution"): dict(source=Source.TICKETS, priority="P2", limit_minutes=480,
                                               business_clock=True, pause_states=("Awaiting Customer",),
                                               report_name="P2 resolution within 8 h"),
    ("PF-2025-007", "Availability"): dict(source=Source.SAMPLES, error_limit_percent=5,
                                         seasons="15 Nov-15 Jan: 99.95"),  # peak season: Christmas trading
    ("PF-2025-007", "Latency p95"): dict(source=Source.SAMPLES, limit_minutes=800),
    ("PF-2025-007", "Error rate"): dict(source=Source.SAMPLES),
    ("HP-2024-009", "P1 response"): dict(source=Source.TICKETS, priority="P1", stop="responded", limit_minutes=10,
                                         business_clock=True),
    ("HP-2024-009", "P2 resolution"): dict(source=Source.TICKETS, priority="P2", limit_minutes=480,
                                           business_clock=True),
    ("HP-2024-009", "P3 resolution"): dict(source=Source.TICKETS, priority="P3", limit_minutes=1800,
                                           business_clock=True),
    ("IV-2022-005", "Power availability"): dict(source=Source.OUTAGES),
    ("FS-2024-017", "P1 resolution"): dict(source=Source.TICKETS, priority="P1", limit_minutes=540,
                                           business_clock=True),
    ("FS-2024-017", "P2 resolution"): dict(source=Source.TICKETS, priority="P2", limit_minutes=2700,
                                           business_clock=True),
    ("NW-2025-019", "Internet availability"): dict(source=Source.SAMPLES, interval_seconds=3600),
    ("NW-2025-019", "Latency p95"): dict(source=Source.SAMPLES, interval_seconds=3600),
}


def build_rules(ws: Workspace, _rng: random.Random, _ids: dict) -> int:
    """A measurement rule for every demo target that has raw data behind it."""
    with ws.unit_of_work() as uow:
        refs = {c.id: c.ref for c in uow.records.list(Contract)}
        targets = uow.records.list(ContractTarget)
    count = 0
    for target in targets:
        params = RULES.get((refs[target.contract_id], target.name))
        if params is None:
            continue
        params = {k: Decimal(v) if k in ("limit_minutes", "error_limit_percent", "tier_threshold") else v
                  for k, v in params.items()}
        create_record(ws, MeasurementRule(target_id=stored_id(target), **params))
        count += 1
    return count
