"""A small supplier with raw data, clauses and reviews: enough for a real pack in well under a second.

"S&P Hosting" has one contract (GBP 10,000.00 a month) with two targets:
- "Availability" >= 99.9 % from outages, 24x7 UTC. Outages: March 10 min (met), April 60 min (99.8611 %),
  May 60 min (99.8656 %), June 50 min (99.8843 %): missed three months in a row (a root cause is due).
  Credit: < 99.9 % → 10 % of the charges = 1,000.00.
- "a < b P1 response" >= 95 % of P1 tickets responded within 15 minutes. June: 2 tickets, one late → 50 %.
  Credit: 500.00 for each month missed.
June's credits: 1,000.00 + 500.00 = 1,500.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from importers.pipeline import parse_file
from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.domain.penalties import Band, Clause, FixedCredit, TieredCredit
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.register import WEEKDAYS, Contract, ContractTarget, MetricKind, ServiceCalendar, Supplier
from sltdesk.domain.reviews import ActionStatus, AgendaItem, Side
from sltdesk.services import imports
from sltdesk.services import reviews as svc
from sltdesk.services.penalties import add_clauses
from sltdesk.services.register import create_record
from tests.importfiles import write_csv

SUPPLIER = "S&P Hosting"
HOSTILE = ("a < b", "S&P", "</para>", "<img src='http://127.0.0.1:9/x.png'/>")
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"
OUTAGES = ("Outage,Service,Start,End,Impact %\n"
           "O-1,Hosting,2026-03-05 10:00,2026-03-05 10:10,100\n"
           "O-2,Hosting,2026-04-07 02:00,2026-04-07 03:00,100\n"
           "O-3,Hosting,2026-05-12 09:00,2026-05-12 10:00,100\n"
           "O-4,Hosting,2026-06-09 14:00,2026-06-09 14:50,100\n")
TICKETS = ("Ticket,Sev,Opened,First Response\n"
           "T-1,P1,2026-06-02 10:00,2026-06-02 10:10\n"
           "T-2,P1,2026-06-20 08:00,2026-06-20 09:00\n"
           "T-3,P1,2026-05-04 08:00,2026-05-04 08:05\n")


def _import(ws, contract, path, kind) -> None:
    options = imports.build_options(ws, kind=kind, contract=contract, timezone="UTC", period="2026-01..2026-06")
    imports.store_import(ws, parse_file(path, options), contract=contract, options=options)


def small_supplier(ws, folder, name: str = SUPPLIER) -> dict:
    """The supplier, contract, targets, rules, clauses and raw data; returns their ids."""
    supplier = create_record(ws, Supplier(name))
    calendar = create_record(ws, ServiceCalendar("24x7 UTC", "UTC", tuple((d, "00:00-24:00") for d in WEEKDAYS)))
    contract = create_record(ws, Contract("SP-1", supplier.id, "Hosting", date(2025, 1, 1), date(2027, 12, 31), "GBP",
                                          Decimal("10000.00")))
    availability = create_record(ws, ContractTarget(contract.id, "Availability", MetricKind.AVAILABILITY,
                                                    Decimal("99.9"), calendar_id=calendar.id))
    response = create_record(ws, ContractTarget(contract.id, "a < b P1 response", MetricKind.RESPONSE_TIME,
                                                Decimal(95), calendar_id=calendar.id))
    create_record(ws, MeasurementRule(availability.id, Source.OUTAGES, weighted_by_impact=True))
    create_record(ws, MeasurementRule(response.id, Source.TICKETS, priority="P1", stop="responded",
                                      limit_minutes=Decimal(15)))
    add_clauses(ws, "SP-1", [
        Clause(contract.id, TieredCredit((Band(Decimal("99.9"), percent=Decimal(10)),
                                          Band(Decimal("99.0"), percent=Decimal(25)))), availability.id, "§1"),
        Clause(contract.id, FixedCredit(Decimal("500.00")), response.id, "§2 S&P <terms>")])
    _import(ws, contract, write_csv(folder / "outages.csv", OUTAGES), RecordKind.OUTAGES)
    _import(ws, contract, write_csv(folder / "tickets.csv", TICKETS), RecordKind.TICKETS)
    return {"supplier": supplier.id, "contract": contract.id, "availability": availability.id,
            "response": response.id}


def two_reviews(ws, ids: dict) -> dict:
    """A May review with three actions (one done, one dropped, one with hostile text left open), then June's."""
    may = svc.create_review(ws, supplier=SUPPLIER, period="2026-05", held_on=date(2026, 6, 10))
    svc.add_attendee(ws, may.id, "Ann Lee", side=Side.OURS, role="Vendor manager")
    svc.add_attendee(ws, may.id, "Bo S&P", side=Side.SUPPLIER, role="Account manager </para>")
    done = svc.add_action(ws, may.id, "Patch the storage firmware", owner="Bo", due_on=date(2026, 6, 1),
                          target_id=ids["availability"], breach_period="2026-05")
    dropped = svc.add_action(ws, may.id, "Move to another rack", owner="Bo")
    kept = svc.add_action(ws, may.id, f"{FORMULA} {HOSTILE[3]}", owner="Ann", due_on=date(2026, 6, 30))
    svc.update_action(ws, _with(done, ActionStatus.DONE), on=date(2026, 6, 20))
    svc.update_action(ws, _with(dropped, ActionStatus.DROPPED), on=date(2026, 6, 21))
    june = svc.create_review(ws, supplier=SUPPLIER, period="2026-06", held_on=date(2026, 7, 8))
    svc.set_note(ws, june.id, AgendaItem.PERFORMANCE, f"{HOSTILE[0]} and {HOSTILE[2]}")
    svc.add_decision(ws, june.id, f"{HOSTILE[1]} keeps the target", owner="Ann")
    return {"may": may.id, "june": june.id, "done": done.id, "dropped": dropped.id, "kept": kept.id}


def _with(action, status):
    from dataclasses import replace

    return replace(action, status=status)


LONG = "Unterbrechungsfreie" * 158  # one 3,002-character word
CJK = "服务器维护 サーバー保守 서버 유지보수"
HEBREW, ARABIC = "שלום עולם", "مرحبا بالعالم"
EMOJI = "🔥🚀 ✅ 👍🏽 ❤️ 😀"
UNKNOWN = "\U0001fae8"  # SHAKING FACE (Unicode 15): none of the shipped fonts has it
ODD_SUPPLIER = f"S&P {CJK[:5]} {HEBREW} {EMOJI[:2]}"


def odd_review(ws, folder) -> None:
    """The small supplier under an odd name, with a June review whose text is odd everywhere: an open action
    without a due date, a 3,000-character word, CJK, Hebrew, Arabic, emoji and a character no font has."""
    small_supplier(ws, folder, ODD_SUPPLIER)
    june = svc.create_review(ws, supplier=ODD_SUPPLIER, period="2026-06", held_on=date(2026, 7, 8))
    svc.add_attendee(ws, june.id, f"王小明 {ARABIC}", side=Side.OURS, role=EMOJI)
    svc.add_attendee(ws, june.id, "דוד כהן", side=Side.SUPPLIER, role=CJK)
    svc.add_action(ws, june.id, f"No due date {EMOJI} {UNKNOWN}", owner=HEBREW)
    svc.add_action(ws, june.id, LONG, owner="Ann", due_on=date(2026, 8, 1))
    svc.add_action(ws, june.id, f"{CJK} {HEBREW} {ARABIC} {EMOJI}", owner=CJK, due_on=date(2026, 8, 2))
    svc.set_note(ws, june.id, AgendaItem.PERFORMANCE, f"{LONG} {CJK} {ARABIC} {EMOJI}")
    svc.add_decision(ws, june.id, f"{HEBREW} decision {EMOJI}", owner=ARABIC)
