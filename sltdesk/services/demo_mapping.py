"""The demo's end-to-end targets for its five services, mapped onto the supplier contracts.

Chosen so that a new user meets every finding on day one: a gap (nobody commits to warehouse
dispatch), partials (a CRM measured in US hours, a WMS vendor measured per quarter, a gateway whose
latency is a share of intervals rather than milliseconds), an overlap (carrier NOC and service desk
both claim store-network P1 response) and composition shortfalls (four 99.9 % suppliers cannot make
a 99.9 % web shop: 99.690329 %).
"""

from __future__ import annotations

import random
from decimal import Decimal

from sltdesk.domain.mapping import Component, CompositionRule, EndToEndTarget, EscalationLevel, TargetKind
from sltdesk.domain.register import ChargesPeriod, Comparison, ContractTarget, MetricKind
from sltdesk.domain.stored import stored_id
from sltdesk.services.mapping import create_target, map_component, save_component, save_target_details
from sltdesk.services.ports import Workspace
from sltdesk.services.register import list_records

SLA, OLA, UC = TargetKind.CUSTOMER_SLA, TargetKind.OPERATIONAL, TargetKind.UNDERPINNING

TARGETS = (
    # service, name, metric, comparison, threshold, unit, calendar, kind, tier, product line, rule
    ("Online order fulfilment", "Web shop availability", "availability", ">=", "99.9", "%", "24x7 London", SLA,
     "24x7", "Web shop", CompositionRule.PRODUCT),
    ("Card payments", "Card payment availability", "availability", ">=", "99.8", "%", "24x7 London", SLA,
     "24x7", "Checkout", CompositionRule.PRODUCT),
    ("Card payments", "Payment error rate", "error rate", "<=", "0.6", "%", "24x7 Frankfurt", UC,
     "", "Checkout", CompositionRule.ERROR),
    ("Card payments", "Checkout latency p95", "latency percentile", "<=", "2000", "ms", "24x7 London", SLA,
     "", "Checkout", CompositionRule.BUDGET),
    ("Store connectivity", "Store network availability", "availability", ">=", "99.9", "%", "24x7 London", OLA,
     "24x7", "Stores", CompositionRule.PRODUCT),
    ("Store connectivity", "Store network P1 response", "response time", ">=", "95", "%", "24x7 London", OLA,
     "", "Stores", CompositionRule.PRODUCT),
    ("Home delivery", "Delivery cycle time p95", "cycle time percentile", "<=", "48", "h", "UK business hours",
     SLA, "core hours", "Parcels", CompositionRule.BUDGET),
    ("Customer service", "CRM availability", "availability", ">=", "99.5", "%", "UK business hours", OLA,
     "core hours", "Contact centre", CompositionRule.PRODUCT),
    ("Customer service", "Ticket resolution in time", "resolution time", ">=", "90", "%", "UK business hours", SLA,
     "core hours", "Contact centre", CompositionRule.WEIGHTED),
)

CHAINS = {
    # target name: (stage, component, weight, [(contract ref, contract target name)])
    "Web shop availability": (
        (1, "Internet breakout", "1", [("NW-2025-019", "Internet availability")]),
        (2, "Web shop hosting", "1", [("ST-2024-003", "Availability VM Cluster FRA")]),
        (3, "Order management colocation", "1", [("IV-2022-005", "Power availability")]),
        (4, "Payment gateway", "1", [("PF-2025-007", "Availability")])),
    "Card payment availability": (
        (1, "Payment gateway", "1", [("PF-2025-007", "Availability")]),
        (2, "Web shop hosting", "1", [("ST-2024-003", "Availability VM Cluster FRA")])),
    "Payment error rate": (
        (1, "Payment gateway", "1", [("PF-2025-007", "Error rate")]),),
    "Checkout latency p95": (
        (1, "Internet breakout", "1", [("NW-2025-019", "Latency p95")]),
        (2, "Payment gateway", "1", [("PF-2025-007", "Latency p95")])),
    "Store network availability": (
        (1, "MPLS WAN", "1", [("NW-2025-014", "SL1 Availability")]),
        (1, "Internet VPN backup", "1", [("NW-2025-019", "Internet availability")]),
        (2, "Data centre power", "1", [("IV-2022-005", "Power availability")])),
    "Store network P1 response": (
        (1, "P1 first response", "1", [("NW-2025-014", "SL2 P1 response"), ("HP-2024-009", "P1 response")]),),
    "Delivery cycle time p95": (
        (1, "Warehouse pick & dispatch", "1", []),
        (2, "Courier transit", "1", [("SP-2023-021", "Delivery cycle time p95")])),
    "CRM availability": (
        (1, "Office network", "1", [("NW-2025-014", "SL1 Availability")]),
        (2, "CRM SaaS", "1", [("RC-2025-002", "Availability")])),
    "Ticket resolution in time": (
        (1, "Service desk (P2)", "0.7", [("HP-2024-009", "P2 resolution")]),
        (1, "WMS software fixes", "0.3", [("FS-2024-017", "P2 resolution")])),
}

DETAILS = {
    # target name: (data owner, source system, volume, volume unit, dependencies, assumptions, weights rationale)
    "Web shop availability": ("Priya Natarajan", "Synthetic monitoring (1-minute checks)", "18000",
                              "orders per day", ("Northwind internet breakout", "Stratus VM Cluster FRA",
                                                 "Ironvault colocation", "PayFlow gateway"),
                              "Peak of 3x the daily average in the two weeks before Christmas; planned maintenance "
                              "announced five days ahead is excluded.", ""),
    "Delivery cycle time p95": ("Maria Rossi", "Warehouse management system + courier tracking feed", "6500",
                                "parcels per day", ("Swift Parcel",),
                                "Orders placed before 20:00 are picked the same evening.", ""),
    "CRM availability": ("Jo Okafor", "Relata status page and agent complaints log", "140", "agents",
                         ("Relata CRM (US-hosted)", "Northwind office WAN"), "Agents work 08:00-18:00 UK time.", ""),
    "Ticket resolution in time": ("Jo Okafor", "HelpPoint ITSM export", "2400", "P2 tickets per month",
                                  ("HelpPoint Services", "Fabrikam Software"), "",
                                  "Share of 2025 P2 tickets each resolver group closed: 70 % service desk, "
                                  "30 % WMS vendor."),
}

ESCALATION = {
    # target name: ((role, person, decision authority, channel, minutes, steps), …)
    "Web shop availability": (
        ("Digital operations duty manager", "On-call rota", "Open a P1 with the failing supplier; put the shop "
         "into browse-only mode", "PagerDuty, then the Teams P1 bridge", 15,
         ("Confirm the outage from two monitoring locations", "Open a P1 with the supplier", "Start the bridge")),
        ("Head of Digital Commerce", "Priya Natarajan", "Approve failover to the DR cluster", "Phone", 30,
         ("Decide on failover", "Inform customer service")),
        ("Chief Information Officer", "Dana Whitfield", "Customer communication; invoke contingency plans; "
         "claim service credits", "Phone and e-mail", 60, ("Brief the executive team",))),
    "Store network availability": (
        ("Network operations lead", "Alan Hughes", "Trigger 4G failover for affected stores", "Phone", 15, ()),
        ("Head of Stores IT", "Alan Hughes", "Escalate to Northwind's service delivery manager", "E-mail", 60, ())),
    "Delivery cycle time p95": (
        ("Warehouse shift lead", "", "Reprioritise picking waves", "Warehouse radio", 30, ()),
        ("Head of Logistics", "Maria Rossi", "Book the backup courier", "Phone", 120,
         ("Check collections at every warehouse", "Book the backup courier"))),
}


def build_mapping(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    """Create the end-to-end targets, their chains, mappings, assumptions and escalation paths."""
    contract_targets = {(t.contract_id, t.name): stored_id(t) for t in list_records(ws, ContractTarget)}
    created = 0
    for service, name, metric, comparison, threshold, unit, calendar, kind, tier, line, rule in TARGETS:
        owner, source, volume, volume_unit, deps, assumptions, rationale = DETAILS.get(
            name, ("", "", None, "", (), "", ""))
        target = create_target(ws, EndToEndTarget(
            service_id=ids[("service", service)], business_unit_id=0, name=name, metric=MetricKind(metric),
            comparison=Comparison(comparison), threshold=Decimal(threshold), unit=unit,
            measurement_period=ChargesPeriod.MONTH, calendar_id=ids[("calendar", calendar)], tier=tier, kind=kind,
            composition=rule, weights_rationale=rationale, product_line=line, data_owner=owner,
            source_system=source, expected_volume=Decimal(volume) if volume else None, volume_unit=volume_unit,
            third_party_dependencies=deps, assumptions=assumptions))
        levels = [EscalationLevel(stored_id(target), n, role, person, authority, channel, minutes, steps)
                  for n, (role, person, authority, channel, minutes, steps) in
                  enumerate(ESCALATION.get(name, ()), start=1)]
        if levels:
            save_target_details(ws, target, levels)
        created += 1 + len(levels)
        for stage, component_name, weight, claims in CHAINS[name]:
            component = save_component(ws, Component(stored_id(target), component_name, stage, Decimal(weight)))
            created += 1
            for ref, target_name in claims:
                map_component(ws, stored_id(component), contract_targets[(ids[("contract", ref)], target_name)])
                created += 1
    return created
