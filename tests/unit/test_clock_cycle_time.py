"""Cycle time: the chosen percentile of the finished tickets' elapsed hours, worked out by hand."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import MeasurementRule, Source, Window
from sltdesk.rules import ticket_clock
from sltdesk.rules.calendars import ALWAYS, BusinessClock
from sltdesk.rules.event_log import NA_TIME

LONDON = ZoneInfo("Europe/London")
H = 3600
DAY = 86_400
START = int(datetime(2026, 6, 1, tzinfo=LONDON).timestamp())
END = START + 10 * DAY
COLUMNS = ["ticket_id", "priority", "service", "opened_at", "resolved_at"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS).astype({"opened_at": np.int64, "resolved_at": np.int64})


def rule(**values) -> MeasurementRule:
    return MeasurementRule(target_id=1, source=Source.TICKETS, **values)


def cycle(tickets, the_rule, log=None, windows=()):
    clock = BusinessClock(ALWAYS, START - DAY, END + DAY)
    return ticket_clock.cycle_time(tickets, log, list(windows), clock, START, END, the_rule)


def test_the_median_of_the_finished_p1_tickets_with_pauses_taken_out():
    """Finished P1 tickets of the period take 1, 2, 4 (5 less 1 paused) and 3 h: sorted 1, 2, 3, 4, the median
    lies halfway between 2 and 3 h = 2.5 h. T5 is still open (1 h at the period end), T6 opens at the end, T7
    before the start and T8 is a P2: none of those is a finished item of the period."""
    tickets = frame([("T1", "P1", "desk", START, START + H), ("T2", "P1", "desk", START + H, START + 3 * H),
                     ("T3", "P1", "desk", START + 2 * H, START + 7 * H),
                     ("T4", "P1", "desk", START + 3 * H, START + 6 * H),
                     ("T5", "P1", "desk", END - H, NA_TIME), ("T6", "P1", "desk", END, END + H),
                     ("T7", "P1", "desk", START - 1, START + H), ("T8", "P2", "desk", START, START + 9 * H)])
    log = pd.DataFrame({"ticket_id": ["T3", "T3"], "state": ["Awaiting customer", "Active"],
                        "changed_at": [START + 3 * H, START + 4 * H]})
    result = cycle(tickets, rule(priority="P1", percentile=50, pause_states=("Awaiting customer",)), log)
    assert result.achieved == Decimal("2.5")
    assert result.counts == {"tickets": 4, "open": 1}
    assert result.explanation == "p50 of 4 finished items: 2.50 h"
    assert result.exclusions == []
    assert list(result.evidence.columns) == COLUMNS + ["elapsed_hours"]
    assert result.evidence["ticket_id"].tolist() == ["T1", "T2", "T3", "T4", "T5"]
    assert result.evidence["elapsed_hours"].tolist() == [1.0, 2.0, 4.0, 3.0, 1.0]
    assert result.evidence.index.tolist() == [0, 1, 2, 3, 4]


def test_the_95th_percentile_interpolates_between_the_two_longest():
    """Of 1, 2, 3 and 4 h the 95th percentile sits 0.85 of the way from 3 to 4 h: 3.85 h."""
    tickets = frame([(f"T{n}", "P1", "desk", START, START + n * H) for n in (4, 1, 3, 2)])
    result = cycle(tickets, rule())
    assert result.achieved == Decimal("3.85")
    assert result.explanation == "p95 of 4 finished items: 3.85 h"


def test_force_majeure_drops_the_tickets_opened_in_it_once_even_where_windows_overlap():
    """FM-1 [2 h, 4 h) takes F1 (opened at its start) and F2; FM-2 [3 h, 5 h) overlaps it and takes only F3,
    F2 being gone already. K1 opens at FM-2's end and counts; K2 in the maintenance window counts too."""
    upkeep = Window(START, START + H, "maintenance", "CHG-1", "planned maintenance CHG-1")
    fm1 = Window(START + 2 * H, START + 4 * H, "force-majeure", "FM-1", "approved force majeure FM-1")
    fm2 = Window(START + 3 * H, START + 5 * H, "force-majeure", "FM-2", "approved force majeure FM-2")
    tickets = frame([("K2", "P1", "desk", START + 30 * 60, START + H), ("F1", "P1", "desk", START + 2 * H, END),
                     ("F2", "P1", "desk", START + 3 * H + 1, END), ("F3", "P1", "desk", START + 4 * H, END),
                     ("K1", "P1", "desk", START + 5 * H, START + 7 * H)])
    result = cycle(tickets, rule(percentile=50), windows=[upkeep, fm1, fm2])
    assert result.exclusions == [Exclusion("approved force majeure FM-1", "force-majeure", tickets=2, reference="FM-1"),
                                 Exclusion("approved force majeure FM-2", "force-majeure", tickets=1, reference="FM-2")]
    assert result.evidence["ticket_id"].tolist() == ["K2", "K1"]
    assert result.achieved == Decimal("1.25")  # halfway between 0.5 h and 2 h


def test_a_window_from_before_the_period_takes_only_the_periods_tickets():
    fm = Window(START - DAY, START + H, "force-majeure", "FM-9", "approved force majeure FM-9")
    tickets = frame([("A", "P1", "desk", START - H, START + 2 * H), ("B", "P1", "desk", START, START + 2 * H),
                     ("C", "P1", "desk", START + H, START + 3 * H)])
    result = cycle(tickets, rule(), windows=[fm])
    assert result.exclusions == [Exclusion("approved force majeure FM-9", "force-majeure", tickets=1, reference="FM-9")]
    assert result.evidence["ticket_id"].tolist() == ["C"]
    assert (result.achieved, result.counts) == (Decimal("2"), {"tickets": 1, "open": 0})


def test_only_tickets_of_the_rules_priority_and_service_are_timed():
    tickets = frame([("S1", "P1", "service_desk", START, START + H), ("S2", "P1", "Network", START, START + 2 * H),
                     ("S3", "P2", "Service-Desk", START, START + 3 * H), ("S4", "P1", None, START, START + 4 * H)])
    result = cycle(tickets, rule(priority="P1", service="Service Desk"))
    assert result.evidence["ticket_id"].tolist() == ["S1"]
    assert (result.achieved, result.counts) == (Decimal("1"), {"tickets": 1, "open": 0})
