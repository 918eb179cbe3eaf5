"""The demo's verification story: maintenance windows, force majeure, and vendor self-reports.

Most vendors report honestly; HelpPoint flatters its P2 resolution (turning two misses into 'met')
and PayFlow rounds its availability up. Stratus publishes its change calendar as .ics; Northwind
sends a maintenance sheet, where one window was announced too late to be excluded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.period import months_between
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.stored import stored_id
from sltdesk.services.attainment import attainment_history
from sltdesk.services.demo_raw import FIRST_MONTH, MONTHS, DemoFile
from sltdesk.services.exceptions import decide_exception, request_exception
from sltdesk.services.imports import find_contract
from sltdesk.services.ports import UnitOfWork, Workspace

LAST_MONTH = months_between(FIRST_MONTH, "2030-01")[MONTHS - 1]
FLATTERERS = {("HP-2024-009", "P2 resolution"): Decimal("4.5"), ("PF-2025-007", "Availability"): Decimal("0.04")}
REPORTED = ("NW-2025-014", "ST-2024-003", "PF-2025-007", "HP-2024-009")


@dataclass(frozen=True)
class TextFile:
    """A demo file whose content is text (an .ics calendar) rather than a table."""

    name: str
    kind: RecordKind
    contract: str
    text: str
    timezone: str


class _Colleague:
    """The same workspace, as another user (the one who approves a force-majeure request)."""

    def __init__(self, ws: Workspace, user: str):
        self._ws, self.user, self.location = ws, user, ws.location

    def unit_of_work(self) -> UnitOfWork:
        return self._ws.unit_of_work()

    def read_records(self, *kinds: type) -> dict[type, list]:
        return self._ws.read_records(*kinds)

    def batch(self):
        return self._ws.batch()

    def shared_reads(self):
        return self._ws.shared_reads()

    def now(self) -> datetime:
        return self._ws.now()

    def schema_revision(self) -> str:
        return self._ws.schema_revision()


def build_verification(ws: Workspace, seed: int, importer: Callable[[Workspace, object], int]) -> int:
    del seed
    count = importer(ws, _stratus_calendar()) + importer(ws, _northwind_windows())
    count += _exceptions(ws)
    for ref in REPORTED:
        count += importer(ws, _vendor_report(ws, ref))
    return count + _false_positives(ws)  # after the reports: the vendor's figures never knew of our flags


def _stratus_calendar() -> TextFile:
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Stratus Hosting//Change Calendar//EN\r\n"
            "BEGIN:VEVENT\r\nUID:chg-weekly@stratus.example\r\nDTSTAMP:20250401T090000Z\r\n"
            "SUMMARY:Weekly patching window — VM Cluster FRA\r\n"
            "DTSTART;TZID=Europe/Berlin:20250504T020000\r\nDTEND;TZID=Europe/Berlin:20250504T040000\r\n"
            "RRULE:FREQ=WEEKLY;BYDAY=SU;UNTIL=20261101T000000Z\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:chg-2026-0311@stratus.example\r\nDTSTAMP:20260220T100000Z\r\n"
            "SUMMARY:Storage firmware upgrade — VM Cluster FRA (CAB-2026-031)\r\n"
            "DTSTART:20260311T220000Z\r\nDTEND:20260312T010000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    return TextFile("stratus_change_calendar.ics", RecordKind.MAINTENANCE, "ST-2024-003", text, "Europe/Berlin")


def _northwind_windows() -> DemoFile:
    rows = []
    start = datetime(2025, 5, 13, 23, 0)  # noqa: DTZ001 - the vendor writes London wall times
    for month in range(MONTHS):
        begin = start + timedelta(days=30 * month)
        notified = begin - timedelta(days=2 if month == 10 else 14)  # one announced only two days ahead
        rows.append({"Reference": f"NW-CHG-{month + 1:03d}", "Service": "MPLS WAN core",
                     "Start": begin.strftime("%d/%m/%Y %H:%M"), "End": (begin + timedelta(hours=3)).strftime(
                         "%d/%m/%Y %H:%M"), "Notified": notified.strftime("%d/%m/%Y %H:%M")})
    return DemoFile("northwind_maintenance.csv", RecordKind.MAINTENANCE, "NW-2025-014", pd.DataFrame(rows),
                    "Europe/London")


def _exceptions(ws: Workspace) -> int:
    northwind = find_contract(ws, "NW-2025-014")
    storm = request_exception(ws, contract=northwind, reason="Storm Éowyn: power lost at the Slough exchange",
                              start=int(datetime(2026, 1, 24, 5, tzinfo=UTC).timestamp()),
                              end=int(datetime(2026, 1, 24, 17, tzinfo=UTC).timestamp()),
                              evidence=[("met-office-red-warning.txt", b"Met Office red warning, 24 Jan 2026.")])
    decide_exception(_Colleague(ws, "procurement.lead"), stored_id(storm), approve=True,
                     note="Red weather warning and the exchange operator's incident report")
    stratus = find_contract(ws, "ST-2024-003")
    request_exception(ws, contract=stratus, reason="Upstream carrier fibre cut near Frankfurt",
                      start=int(datetime(2026, 9, 14, 8, tzinfo=UTC).timestamp()),
                      end=int(datetime(2026, 9, 14, 11, tzinfo=UTC).timestamp()))
    return 2


# PayFlow's probe eu-west raises alarms the gateway never felt: four approved, one (in a missed month) pending.
NOISY_PROBE = ("PF-2025-007", "eu-west")
_APPROVED = (("2025-11", 0, "Probe blocked by a firewall change at the monitoring site; payments flowed"),
             ("2025-11", 1, "Same firewall change: the probe's own requests were refused"),
             ("2026-03", 0, "Probe agent restarted during an OS patch; no customer saw an error"),
             ("2026-05", 0, "DNS cache on the probe host expired; the gateway answered every real request"))
_PENDING = ("2026-07", 0, "Vendor says the probe's certificate had expired, not the gateway's")


def _false_positives(ws: Workspace) -> int:
    from sltdesk.domain.measurement import FlagSubject
    from sltdesk.domain.raw_records import RawOutage
    from sltdesk.services.false_positives import FlagRequest, decide_false_positive, request_false_positive

    ref, probe = NOISY_PROBE
    contract = find_contract(ws, ref)
    with ws.unit_of_work() as uow:
        outages = sorted((o.start_at, number) for number, _b, o in uow.raw.records(RawOutage,
                                                                                   contract_id=stored_id(contract)))
    by_month: dict[str, list[int]] = {}
    for start, number in outages:
        by_month.setdefault(f"{datetime.fromtimestamp(start, UTC):%Y-%m}", []).append(number)
    approver = _Colleague(ws, "procurement.lead")
    for month, index, reason in _APPROVED:
        flag = request_false_positive(ws, contract=contract, request=FlagRequest(
            FlagSubject.OUTAGE, reason, reference=str(by_month[month][index]), probe=probe),
            evidence=[("probe-log.txt", f"{probe}: {reason}".encode())])
        decide_false_positive(approver, stored_id(flag), approve=True, note="Gateway logs show no failed payments")
    month, index, reason = _PENDING
    request_false_positive(ws, contract=contract, request=FlagRequest(
        FlagSubject.OUTAGE, reason, reference=str(by_month[month][index]), probe=probe))
    return len(_APPROVED) + 1


def _vendor_report(ws: Workspace, ref: str) -> DemoFile:
    """The vendor's monthly figures for 18 months, as fractions like their tool exports them."""
    contract = find_contract(ws, ref)
    history = attainment_history(ws, stored_id(contract), months_between(FIRST_MONTH, LAST_MONTH))
    with ws.unit_of_work() as uow:
        names = {r.target_id: r.report_name for r in uow.records.list(MeasurementRule) if r.report_name}
    rows = []
    for target_id, results in history.items():
        for result in results:
            if result.achieved is None:
                continue
            claimed = result.achieved + FLATTERERS.get((ref, result.target), Decimal(0))
            claimed = min(claimed, Decimal(100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            met = result.comparison.holds(claimed, result.threshold)
            rows.append({"Month": result.period, "Service Level": names.get(target_id, result.target),
                         "Target": float(result.threshold / 100), "Achieved": float(claimed / 100),
                         "Met?": "Yes" if met else "No"})
    return DemoFile(f"{ref.lower()}_sla_report.csv", RecordKind.VENDOR_REPORT, ref, pd.DataFrame(rows), "UTC")
