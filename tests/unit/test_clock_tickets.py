"""Tickets within T: who counts, when the clock runs, what the verdict, explanation and budget say."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import MeasurementRule, Source, Window
from sltdesk.rules import ticket_clock
from sltdesk.rules.calendars import ALWAYS, BusinessClock
from sltdesk.rules.event_log import NA_TIME
from tests.exact import exactly

LONDON = ZoneInfo("Europe/London")
MIN = 60
H = 3600
DAY = 86_400
START = int(datetime(2026, 6, 1, tzinfo=LONDON).timestamp())  # the period: 1 to 11 June 2026
END = START + 10 * DAY
COLUMNS = ["ticket_id", "priority", "service", "opened_at", "assigned_at", "responded_at", "resolved_at",
           "closed_at"]
EVIDENCE = COLUMNS + ["elapsed_minutes", "paused_minutes", "met", "judged"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(id, priority, service, opened, resolved[, responded[, assigned]]) rows as a ticket frame."""
    full = [(r[0], r[1], r[2], r[3], r[6] if len(r) > 6 else NA_TIME, r[5] if len(r) > 5 else NA_TIME, r[4],
             NA_TIME) for r in rows]
    return pd.DataFrame(full, columns=COLUMNS).astype({c: np.int64 for c in COLUMNS[3:]})


def events(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["ticket_id", "state", "changed_at"])
    return table.assign(source_row=range(2, len(table) + 2))


def rule(**values) -> MeasurementRule:
    return MeasurementRule(target_id=1, source=Source.TICKETS, **({"limit_minutes": Decimal(60)} | values))


def clock() -> BusinessClock:
    return BusinessClock(ALWAYS, START - DAY, END + DAY)


def within(tickets, log, the_rule, threshold="75", windows=()):
    return ticket_clock.within(tickets, log, list(windows), clock(), START, END, the_rule, Decimal(threshold))


# --- within: verdict, counts, explanation, evidence -------------------------------------------------------


def test_a_period_with_open_tickets_says_which_were_missed_and_which_are_left_out():
    """A met (30 min); B took 100 min less 30 paused = 70: missed; C and D are open and within 60 min at the end:
    left out; E is open and 120 min old: missed. F opens at the period end, G is a P2: neither counts."""
    tickets = frame([("A", "P1", "desk", START, START + 30 * MIN),
                     ("B", "P1", "desk", START + H, START + H + 100 * MIN),
                     ("C", "P1", "desk", END - 30 * MIN, NA_TIME), ("D", "P1", "desk", END - 20 * MIN, NA_TIME),
                     ("E", "P1", "desk", END - 2 * H, NA_TIME), ("F", "P1", "desk", END, END + MIN),
                     ("G", "P2", "desk", START + H, START + 3 * H)])
    log = events([("B", "New", START + H), ("B", "Awaiting_Vendor", START + H + 20 * MIN),
                  ("B", "Active", START + H + 50 * MIN)])
    the_rule = rule(priority="P1", pause_states=("Awaiting customer", "Awaiting vendor"))
    result = within(tickets, log, the_rule)
    assert exactly(result.achieved, 1, 3)
    assert result.counts == {"tickets": 3, "met": 1, "missed": 2, "excluded": 2, "paused_minutes": Decimal("30.00")}
    assert result.exclusions == [Exclusion("still open at the end of the period and within 60 min", "open",
                                           tickets=2)]
    assert result.explanation == (
        "1 of 3 P1 tickets resolved within 60 calendar minutes, clock paused in Awaiting customer, Awaiting vendor; "
        "1 still open at the end of the period and already over the limit (missed); "
        "2 still open at the end of the period and within it (left out)")
    assert result.budget == "2 tickets over the allowance"  # 25 % of 3 is 0 whole tickets; 2 missed
    evidence = ticket_clock.ticket_evidence(result)
    assert list(evidence.columns) == EVIDENCE
    assert evidence["ticket_id"].tolist() == ["A", "B", "C", "D", "E"]
    assert evidence["elapsed_minutes"].tolist() == [30.0, 70.0, 30.0, 20.0, 120.0]
    assert evidence["paused_minutes"].tolist() == [0.0, 30.0, 0.0, 0.0, 0.0]
    assert evidence["met"].tolist() == [True, False, True, True, False]
    assert evidence["judged"].tolist() == [True, True, False, False, True]
    assert evidence.index.tolist() == [0, 1, 2, 3, 4]


def test_a_period_with_every_ticket_resolved_says_so_in_one_plain_sentence():
    tickets = frame([("A", "P1", "desk", START, START + 30 * MIN), ("B", "P2", "desk", START, START + 50 * MIN)])
    result = within(tickets, None, rule(limit_minutes=Decimal(240), business_clock=True))
    assert result.explanation == "2 of 2 all tickets resolved within 240 business minutes"
    assert result.exclusions == []
    assert result.counts == {"tickets": 2, "met": 2, "missed": 0, "excluded": 0, "paused_minutes": Decimal("0.00")}
    calendar = within(tickets, None, rule(priority="P2"))
    assert calendar.explanation == "1 of 1 P2 tickets resolved within 60 calendar minutes"


@pytest.mark.parametrize(("met", "missed", "threshold", "budget"), [
    (7, 1, "75", "1 more ticket may miss"),  # 25 % of 8 = 2 may miss, 1 did
    (8, 0, "75", "2 more tickets may miss"),
    (6, 2, "75", "0 more tickets may miss"),
    (5, 3, "75", "1 ticket over the allowance"),
    (4, 4, "75", "2 tickets over the allowance"),
    (39, 0, "95", "1 more ticket may miss"),  # 5 % of 39 = 1.95: one whole ticket
    (10, 0, "90", "1 more ticket may miss"),  # 10 % of 10 is exactly 1 (in floats 0.9999…, which would say 0)
    (9, 1, "90", "0 more tickets may miss"),
])
def test_the_budget_says_how_many_more_tickets_may_miss_or_how_many_are_over(met, missed, threshold, budget):
    rows = [(f"M{n}", "P1", "desk", START + n * MIN, START + n * MIN + 10 * MIN) for n in range(met)]
    rows += [(f"X{n}", "P1", "desk", START + n * MIN, START + n * MIN + 100 * MIN) for n in range(missed)]
    result = within(frame(rows), None, rule(), threshold)
    assert (result.counts["tickets"], result.counts["met"], result.counts["missed"]) == (met + missed, met, missed)
    assert result.budget == budget


def test_force_majeure_removes_the_tickets_opened_in_it_and_maintenance_removes_none():
    """FM-1 runs from before the period into it: it takes B (opened at the period start), not A (opened before
    the period); C opens at FM-1's end and counts. FM-2 takes D, opened at its start; E (before FM-2) and X
    (in a maintenance window, listed first) count; Z opens at the period end."""
    fm1 = Window(START - H, START + H, "force-majeure", "FM-1", "approved force majeure FM-1")
    fm2 = Window(START + 5 * H, START + 6 * H, "force-majeure", "FM-2", "approved force majeure FM-2")
    upkeep = Window(START + 2 * H, START + 3 * H, "maintenance", "CHG-7", "planned maintenance CHG-7")
    tickets = frame([("A", "P1", "desk", START - 30 * MIN, START + 10 * MIN),
                     ("B", "P1", "desk", START, START + 10 * MIN),
                     ("C", "P1", "desk", START + H, START + H + 10 * MIN),
                     ("X", "P1", "desk", START + 2 * H + 30 * MIN, START + 3 * H),
                     ("E", "P1", "desk", START + 5 * H - 1, START + 5 * H + 10 * MIN),
                     ("D", "P1", "desk", START + 5 * H, START + 5 * H + 10 * MIN),
                     ("Z", "P1", "desk", END, END + 10 * MIN)])
    result = within(tickets, None, rule(), windows=[upkeep, fm1, fm2])
    assert result.exclusions == [Exclusion("approved force majeure FM-1", "force-majeure", tickets=1, reference="FM-1"),
                                 Exclusion("approved force majeure FM-2", "force-majeure", tickets=1, reference="FM-2")]
    assert ticket_clock.ticket_evidence(result)["ticket_id"].tolist() == ["C", "X", "E"]
    assert result.counts == {"tickets": 3, "met": 3, "missed": 0, "excluded": 2, "paused_minutes": Decimal("0.00")}


def test_only_tickets_of_the_rules_priority_and_service_count():
    """The service is matched without case, '-' or '_'; a ticket without a service never matches."""
    tickets = frame([("S1", "P1", "service_desk", START, START + 10 * MIN),
                     ("S2", "P1", "Network", START, START + 10 * MIN),
                     ("S3", "P2", "Service-Desk", START, START + 10 * MIN),
                     ("S4", "P1", None, START, START + 10 * MIN)])
    result = within(tickets, None, rule(priority="P1", service="Service Desk"))
    assert ticket_clock.ticket_evidence(result)["ticket_id"].tolist() == ["S1"]
    assert result.counts["tickets"] == 1


def test_a_response_read_from_the_event_log_is_the_one_the_evidence_shows():
    """A was taken up 10 min after opening (its file has no response time); B's file says 20 min: missed;
    C opened 5 min before the period end and nobody responded: left out."""
    tickets = frame([("A", "P1", "desk", START, START + 5 * H), ("B", "P1", "desk", START, START + 5 * H,
                                                                   START + 20 * MIN),
                     ("C", "P1", "desk", END - 5 * MIN, NA_TIME)])
    log = events([("A", "New", START), ("A", "Active", START + 10 * MIN), ("B", "New", START)])
    result = within(tickets, log, rule(stop="responded", limit_minutes=Decimal(15)), "50")
    assert (result.counts["tickets"], result.counts["met"], result.counts["excluded"]) == (2, 1, 1)
    assert result.explanation.startswith("1 of 2 all tickets responded within 15 calendar minutes; ")
    evidence = ticket_clock.ticket_evidence(result)
    assert evidence["responded_at"].tolist() == [START + 10 * MIN, START + 20 * MIN, NA_TIME]
    assert evidence["responded_at"].dtype == np.int64
    assert evidence["elapsed_minutes"].tolist() == [10.0, 20.0, 5.0]


def test_a_resolution_target_leaves_the_files_response_times_as_they_are():
    tickets = frame([("A", "P1", "desk", START, START + 30 * MIN, START + 4 * MIN)])
    result = within(tickets, None, rule())
    assert ticket_clock.ticket_evidence(result)["responded_at"].tolist() == [START + 4 * MIN]


def test_the_stop_time_for_a_response_target_comes_from_the_event_log():
    tickets = frame([("A", "P1", "desk", START, START + 5 * H)])
    log = events([("A", "New", START), ("A", "In progress", START + 7 * MIN)])
    assert ticket_clock.stop_times(tickets, log, rule(stop="responded")).tolist() == [START + 7 * MIN]
    assert ticket_clock.stop_times(tickets, log, rule(stop="resolved")).tolist() == [START + 5 * H]


# --- elapsed_seconds ---------------------------------------------------------------------------------------


def elapsed(tickets, log, the_rule, **values):
    spent, paused, stopped = ticket_clock.elapsed_seconds(tickets, log, clock(), the_rule, until=END, **values)
    assert spent.dtype == np.int64 and paused.dtype == np.int64  # whole seconds
    return spent.tolist(), paused.tolist(), stopped.tolist()


def test_an_opened_clock_ignores_a_later_assignment():
    tickets = frame([("A", "P1", "desk", START, START + H, NA_TIME, START + 20 * MIN)])
    assert elapsed(tickets, None, rule()) == ([H], [0], [True])
    assert elapsed(tickets, None, rule(start="assigned")) == ([40 * MIN], [0], [True])


def test_the_callers_stop_times_are_used_when_given():
    tickets = frame([("A", "P1", "desk", START, NA_TIME)])
    assert elapsed(tickets, None, rule(), stops=np.array([START + 25 * MIN])) == ([25 * MIN], [0], [True])
    assert elapsed(tickets, None, rule()) == ([10 * DAY], [0], [False])  # open: runs until the period end


def test_a_response_clock_without_given_stops_reads_the_event_log():
    tickets = frame([("A", "P1", "desk", START, START + 5 * H)])
    log = events([("A", "Unassigned", START), ("A", "Active", START + 12 * MIN)])
    assert elapsed(tickets, log, rule(stop="responded")) == ([12 * MIN], [0], [True])


def test_pause_states_without_an_event_log_pause_nothing():
    tickets = frame([("A", "P1", "desk", START, START + H)])
    assert elapsed(tickets, None, rule(pause_states=("Awaiting customer",))) == ([H], [0], [True])
    assert elapsed(tickets, events([]), rule(pause_states=("Awaiting customer",))) == ([H], [0], [True])


def test_a_log_without_the_pause_states_pauses_nothing():
    tickets = frame([("A", "P1", "desk", START, START + H)])
    log = events([("A", "New", START), ("A", "Active", START + 10 * MIN)])
    assert elapsed(tickets, log, rule(pause_states=("Awaiting customer",))) == ([H], [0], [True])


def test_a_ticket_resolved_the_moment_it_opened_took_no_time():
    tickets = frame([("A", "P1", "desk", START + H, START + H)])
    assert elapsed(tickets, None, rule()) == ([0], [0], [True])


def test_each_ticket_keeps_its_own_pauses_and_other_tickets_in_the_log_are_ignored():
    """A is paused 15 min; B, last in the frame, never; Z is not among the tickets measured."""
    tickets = frame([("A", "P1", "desk", START, START + H), ("B", "P1", "desk", START, START + H)])
    log = events([("A", "New", START), ("A", "Awaiting customer", START + 5 * MIN), ("A", "Active", START + 20 * MIN),
                  ("Z", "Awaiting customer", START), ("Z", "Active", START + 30 * MIN)])
    assert elapsed(tickets, log, rule(pause_states=("Awaiting customer",))) == (
        [45 * MIN, H], [15 * MIN, 0], [True, True])


@pytest.mark.parametrize("later", [0, 1, 30 * DAY])
def test_an_open_tickets_pauses_are_counted_up_to_the_end_of_its_period_whatever_is_measured_with_it(later):
    """Ticket O opens an hour before the end of the period and is paused 30 minutes later, until well after the
    period (or still): in the period it has 30 minutes of clock and 30 paused, whether the series runs to the end of
    the period or on into later periods (a stored figure is measured with other months than a fresh one)."""
    tickets = frame([("O", "P1", "desk", END - H, NA_TIME)])
    log = events([("O", "New", END - H), ("O", "Awaiting customer", END - 30 * MIN), ("O", "Active", END + 40 * DAY)])
    the_rule = rule(pause_states=("Awaiting customer",))
    wide = BusinessClock(ALWAYS, START - DAY, END + 60 * DAY)
    series = ticket_clock.TicketSeries(tickets, log, wide, the_rule, until=END + later)
    positions, spent, paused, _exclusions = series.period([], START, END)
    assert positions.tolist() == [0] and spent.tolist() == [30 * MIN] and paused.tolist() == [30 * MIN]
    measured = ticket_clock.within(tickets, log, [], wide, START, END, the_rule, Decimal("75"), series=series)
    assert measured.counts["paused_minutes"] == Decimal(30)
