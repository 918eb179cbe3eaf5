"""Demo: two past joint service reviews with each main supplier (Stratus, Northwind, PayFlow), their attendees,
notes and decisions, improvement actions in every state (done, in progress, open and overdue, dropped) carried
from the first review to the second, and root-cause records (Stratus's availability run of three misses has a
Five Whys chain; its P2 resolution run is left open, so the pack shows it as due).

On purpose, one action whose target improves: Stratus's storage firmware upgrade was opened after the breaches
of summer 2025 and done in the change window of 11 March 2026 (CAB-2026-031 in its change calendar); it is
recorded on the backlog at the first review, with the day it was opened. Its availability before (May –
September 2025) against after (April – October 2026) tests "effective"."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from sltdesk.domain.register import ContractTarget
from sltdesk.domain.reviews import ActionStatus, AgendaItem, ImprovementAction, Review, RootCause, RootCauseMethod, Side
from sltdesk.domain.stored import stored_id
from sltdesk.services import reviews as svc
from sltdesk.services.ports import Workspace

FIRST, SECOND = ("2026-06", date(2026, 7, 14)), ("2026-09", date(2026, 10, 13))
PEOPLE = {  # supplier -> (ours, theirs): (name, role)
    "Stratus Hosting": ([("Tom Berger", "Contract owner"), ("Priya Natarajan", "Vendor manager")],
                        [("Lena Vogt", "Service delivery manager")]),
    "Northwind Networks": ([("Alan Hughes", "Contract owner"), ("Priya Natarajan", "Vendor manager")],
                           [("Graham Pike", "Account manager"), ("Sam Reid", "NOC lead")]),
    "PayFlow": ([("Tom Berger", "Contract owner")], [("Inès Laurent", "Customer success")]),
}
# supplier -> actions raised at the first review: (text, owner, due, target or None, breach, status by the second)
FIRST_ACTIONS = {
    "Stratus Hosting": [
        ("Upgrade the storage controller firmware on VM Cluster FRA", "Lena Vogt", date(2026, 3, 31),
         ("ST-2024-003", "Availability VM Cluster FRA"), "2025-09", ActionStatus.DONE),
        ("Staff a second P2 resolver group during German business hours", "Lena Vogt", date(2026, 9, 30),
         ("ST-2024-003", "P2 resolution"), "2026-06", ActionStatus.IN_PROGRESS),
        ("Send the weekly change calendar as .ics, not PDF", "Lena Vogt", date(2026, 7, 31), None, "",
         ActionStatus.DONE),
    ],
    "Northwind Networks": [
        ("Report SL1 availability to four decimals; 99.95 is not 99.9483", "Graham Pike", date(2026, 8, 15),
         ("NW-2025-014", "SL1 Availability"), "2026-04", ActionStatus.OPEN),
        ("Test the 4G backup failover at the ten largest stores", "Alan Hughes", date(2026, 9, 1), None, "",
         ActionStatus.OPEN),
        ("Replace the ageing CPE at the Leeds depot", "Sam Reid", date(2026, 8, 31), None, "", ActionStatus.DROPPED),
    ],
    "PayFlow": [
        ("Share the probe definitions behind the availability report", "Inès Laurent", date(2026, 7, 31),
         ("PF-2025-007", "Availability"), "2026-06", ActionStatus.DONE),
        ("Agree a latency alert at 700 ms p95", "Tom Berger", date(2026, 10, 31), None, "",
         ActionStatus.IN_PROGRESS),
    ],
}
# actions opened (and done) before the review that recorded them: text -> (opened on, done on)
EARLIER = {"Upgrade the storage controller firmware on VM Cluster FRA": (date(2025, 10, 6), date(2026, 3, 12))}
SECOND_ACTIONS = {
    "Stratus Hosting": [("Root-cause analysis of the P1 response misses in August and September", "Lena Vogt",
                         date(2026, 11, 13), ("ST-2024-003", "P1 response"), "2026-09")],
    "Northwind Networks": [("Credit note for the remaining SL1 credit of 2026-09", "Graham Pike", date(2026, 11, 15),
                            ("NW-2025-014", "SL1 Availability"), "2026-09")],
    "PayFlow": [("Add the failed-interval list to the monthly report", "Inès Laurent", date(2026, 11, 30),
                 ("PF-2025-007", "Availability"), "")],
}
NOTES = {
    AgendaItem.PERFORMANCE: "Figures recomputed from the raw exports were walked through target by target.",
    AgendaItem.BREACHES: "Breaches of the quarter discussed with their duration and business impact.",
    AgendaItem.DATA_QUALITY: "Daylight-saving duplicates in the ticket export flagged; the supplier will send UTC.",
    AgendaItem.CREDITS: "Credits as computed under the contract's clauses; the reconciliation status was agreed.",
}
DECISIONS = {
    "Stratus Hosting": [("Keep the P2 resolution target at 90 %; no change to the contract", "Tom Berger"),
                        ("Monthly operational review until P1 response is back in control", "Lena Vogt")],
    "Northwind Networks": [("Vendor reports move to four decimals from the October report", "Graham Pike"),
                           ("The SL1 credit for 2026-09 is claimed in full; the short credit note is disputed",
                            "Alan Hughes")],
    "PayFlow": [("The secondary PSP stays warm until the Q4 peak is over", "Tom Berger"),
                ("Latency alerting is agreed at 700 ms p95 from November", "Inès Laurent")],
}


def build_reviews(ws: Workspace, _rng: random.Random, ids: dict) -> int:
    """Two reviews per main supplier, their actions and root causes; returns the reviews, actions and root causes."""
    for supplier, (ours, theirs) in PEOPLE.items():
        targets = _targets(ws, ids)
        first_id = stored_id(svc.create_review(ws, supplier=supplier, period=FIRST[0], held_on=FIRST[1]))
        for name, role in ours:
            svc.add_attendee(ws, first_id, name, side=Side.OURS, role=role)
        for name, role in theirs:
            svc.add_attendee(ws, first_id, name, side=Side.SUPPLIER, role=role)
        for item, note in NOTES.items():
            svc.set_note(ws, first_id, item, note)
        raised = []
        for text, owner, due, target, breach, later in FIRST_ACTIONS[supplier]:
            action = svc.add_action(ws, first_id, text, owner=owner, due_on=due,
                                    target_id=targets[target] if target else None, breach_period=breach,
                                    opened_on=EARLIER[text][0] if text in EARLIER else None)
            raised.append((action, later))
        _decide(ws, first_id, DECISIONS[supplier][:1])
        for action, later in raised:  # what happened between the two reviews (or before, for EARLIER ones)
            if later is not ActionStatus.OPEN:
                done = EARLIER[action.text][1] if action.text in EARLIER else date(2026, 9, 20)
                svc.update_action(ws, replace(action, status=later), on=done)
        second_id = stored_id(svc.create_review(ws, supplier=supplier, period=SECOND[0], held_on=SECOND[1]))
        for item, note in list(NOTES.items())[:2]:
            svc.set_note(ws, second_id, item, note)
        for text, owner, due, target, breach in SECOND_ACTIONS[supplier]:
            svc.add_action(ws, second_id, text, owner=owner, due_on=due, target_id=targets[target],
                           breach_period=breach)
        _decide(ws, second_id, DECISIONS[supplier][1:])
    _root_causes(ws, _targets(ws, ids))
    with ws.unit_of_work() as uow:
        return sum(uow.records.count(kind) for kind in (Review, ImprovementAction, RootCause))


def _targets(ws: Workspace, ids: dict) -> dict[tuple[str, str], int]:
    refs = {ref for actions in FIRST_ACTIONS.values() for _, _, _, t, _, _ in actions if t for ref in [t[0]]}
    with ws.unit_of_work() as uow:
        return {(ref, t.name): stored_id(t) for ref in refs
                for t in uow.records.list(ContractTarget, contract_id=ids[("contract", ref)])}


def _decide(ws: Workspace, review_id: int, decisions: list[tuple[str, str]]) -> None:
    for text, owner in decisions:
        svc.add_decision(ws, review_id, text, owner=owner)


def _root_causes(ws: Workspace, targets: dict[tuple[str, str], int]) -> None:
    stratus = svc.find_review(ws, "Stratus Hosting", FIRST[0])
    northwind = svc.find_review(ws, "Northwind Networks", FIRST[0])
    assert stratus is not None and northwind is not None  # build_reviews made them
    svc.record_root_cause(ws, RootCause(
        targets[("ST-2024-003", "Availability VM Cluster FRA")], "2025-09", RootCauseMethod.FIVE_WHYS,
        "VM Cluster FRA below 99.9 % in July, August and September 2025",
        whys=("Virtual machines lost their disks for 20 to 40 minutes at a time",
              "The storage controllers failed over to the standby controller",
              "The active controller hung on a firmware watchdog",
              "Firmware 7.2 has a known watchdog defect under snapshot load",
              "The upgrade to 7.4 was postponed twice for lack of a change window"),
        root_cause="Known firmware defect left unpatched", countermeasure="Upgrade to 7.4 in a planned window; "
        "monthly patch review", recorded_by="Lena Vogt", recorded_on=FIRST[1], review_id=stratus.id))
    svc.record_root_cause(ws, RootCause(
        targets[("NW-2025-014", "SL1 Availability")], "2026-04", RootCauseMethod.CAUSE_AND_EFFECT,
        "SL1 availability 99.91 % in April 2026 (target 99.95 %)",
        causes=(("equipment", "Core router line card failed in the Manchester PoP"),
                ("method", "Spare parts held at the central depot, four hours away"),
                ("people", "Night shift NOC not trained on the line-card swap"),
                ("measurement", "Vendor report rounds 99.9483 up to 99.95")),
        root_cause="No local spares for the core PoPs", countermeasure="Hold spare line cards at each core PoP",
        recorded_by="Graham Pike", recorded_on=FIRST[1], review_id=northwind.id))
