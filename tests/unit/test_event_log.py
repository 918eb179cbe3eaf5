"""Reading "responded" and pauses out of a ticket event log, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.rules import ticket_clock
from sltdesk.rules.calendars import ALWAYS, BusinessClock
from sltdesk.rules.event_log import NA_TIME, in_order, norm, responded_times

T0 = 1_780_000_000  # a Wednesday in June 2026, 09:00 London give or take; only differences matter here
MIN = 60


def _tickets(*ids: str, responded: list[int] | None = None) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({"ticket_id": list(ids), "priority": ["P1"] * n, "opened_at": [T0] * n,
                         "assigned_at": [NA_TIME] * n, "responded_at": responded or [NA_TIME] * n,
                         "resolved_at": [T0 + 600 * MIN] * n, "closed_at": [NA_TIME] * n})


def _events(rows: list[tuple], assignee: bool = False) -> pd.DataFrame:
    columns = ["ticket_id", "state", "changed_at"] + (["assignee"] if assignee else [])
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(source_row=range(2, len(frame) + 2))


def _rule(**values) -> MeasurementRule:
    return MeasurementRule(target_id=1, source=Source.TICKETS, priority="P1", stop="responded",
                           limit_minutes=Decimal(15), **values)


def test_labels_are_compared_without_case_hyphens_or_underscores():
    assert norm("  Awaiting_Customer ") == "awaiting customer" and norm("In-Progress") == "in progress"


def test_the_first_row_already_out_of_the_initial_states_is_the_response():
    events = _events([("A", "Active", T0), ("A", "Resolved", T0 + 60 * MIN),
                      ("B", "New", T0), ("B", "Active", T0 + 20 * MIN),
                      ("C", "New", T0), ("C", "Unassigned", T0 + 5 * MIN), ("C", "Work in progress", T0 + 14 * MIN)])
    found = responded_times(_tickets("A", "B", "C"), events, _rule())
    assert ((found - T0) // MIN).tolist() == [0, 20, 14]


def test_a_ticket_that_never_leaves_the_initial_states_has_no_response():
    events = _events([("A", "New", T0), ("A", "unassigned", T0 + 5 * MIN)])
    assert responded_times(_tickets("A"), events, _rule()).tolist() == [NA_TIME]


def test_the_targets_own_initial_states_replace_the_default():
    events = _events([("C", "New", T0), ("C", "Triage", T0 + 5 * MIN), ("C", "Active", T0 + 20 * MIN)])
    assert ((responded_times(_tickets("C"), events, _rule()) - T0) // MIN).tolist() == [5]
    own = responded_times(_tickets("C"), events, _rule(initial_states=("new", "TRIAGE")))
    assert ((own - T0) // MIN).tolist() == [20]


def test_a_response_time_the_file_gives_wins():
    events = _events([("A", "New", T0), ("A", "Active", T0 + 20 * MIN)])
    given = responded_times(_tickets("A", responded=[T0 + 3 * MIN]), events, _rule())
    assert ((given - T0) // MIN).tolist() == [3]


def test_without_events_the_files_own_times_stand():
    tickets = _tickets("A", "B", responded=[T0 + 7 * MIN, NA_TIME])
    assert responded_times(tickets, None, _rule()).tolist() == [T0 + 7 * MIN, NA_TIME]
    assert responded_times(tickets, _events([]), _rule()).tolist() == [T0 + 7 * MIN, NA_TIME]
    assert responded_times(tickets.drop(columns="responded_at"), None, _rule()).tolist() == [NA_TIME, NA_TIME]


def test_an_assignment_is_the_response_where_the_log_names_assignees():
    rows = [("D", "New", T0, None), ("D", "New", T0 + 5 * MIN, "Alice"), ("D", "In Progress", T0 + 30 * MIN, "Alice"),
            ("E", "New", T0, ""), ("E", "In Progress", T0 + 12 * MIN, " ")]  # E never names anyone
    events = _events(rows, assignee=True)
    tickets = _tickets("D", "E")
    minutes = {mode: ((responded_times(tickets, events, _rule(response_on=mode)) - T0) // MIN).tolist()
               for mode in ("auto", "state")}
    assert minutes == {"auto": [5, 12], "state": [30, 12]}
    assignment = responded_times(tickets, events, _rule(response_on="assignment"))
    assert assignment[0] == T0 + 5 * MIN and assignment[1] == NA_TIME


def test_events_at_the_same_instant_keep_the_order_of_the_file():
    events = _events([("A", "Active", T0 + 60), ("A", "New", T0 + 60), ("A", "Closed", T0 + 120)])
    ordered = in_order(events.iloc[::-1])
    assert ordered["state"].tolist() == ["Active", "New", "Closed"]
    assert in_order(events, {"B"}).empty


def _clock() -> BusinessClock:
    return BusinessClock(ALWAYS, T0 - 86_400, T0 + 86_400)


def test_only_the_rules_pause_states_stop_the_clock_and_a_last_pause_runs_to_the_stop():
    events = _events([("A", "New", T0), ("A", "Awaiting customer", T0 + 10 * MIN), ("A", "Active", T0 + 40 * MIN),
                      ("A", "Awaiting vendor", T0 + 50 * MIN), ("A", "Active", T0 + 70 * MIN),
                      ("A", "Awaiting_Customer", T0 + 100 * MIN)])
    tickets = _tickets("A").assign(resolved_at=[T0 + 130 * MIN])
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, priority="P1", limit_minutes=Decimal(240),
                           pause_states=("Awaiting Customer",))
    spent, paused, stopped = ticket_clock.elapsed_seconds(tickets, events, _clock(), rule, until=T0 + 86_400)
    assert (spent[0] // MIN, paused[0] // MIN, bool(stopped[0])) == (70, 60, True)  # 30 + 30 paused of 130


def test_a_pause_state_no_event_uses_pauses_nothing():
    events = _events([("A", "New", T0), ("A", "Resolved", T0 + 30 * MIN)])
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, priority="P1", limit_minutes=Decimal(240),
                           pause_states=("Awaiting Vendor",))
    tickets = _tickets("A").assign(resolved_at=[T0 + 30 * MIN])
    spent, paused, _ = ticket_clock.elapsed_seconds(tickets, events, _clock(), rule, until=T0 + 86_400)
    assert (spent[0], paused[0]) == (30 * MIN, 0)


def test_the_clock_starts_at_assignment_when_the_rule_says():
    tickets = _tickets("A", "B").assign(assigned_at=[T0 + 10 * MIN, NA_TIME], resolved_at=[T0 + 60 * MIN] * 2)
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, priority="P1", start="assigned",
                           limit_minutes=Decimal(240))
    spent, _, _ = ticket_clock.elapsed_seconds(tickets, None, _clock(), rule, until=T0 + 86_400)
    assert (spent // MIN).tolist() == [50, 60]  # B was never assigned: from its opening


def test_a_fractional_limit_is_floored_to_whole_seconds():
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, limit_minutes=Decimal("0.999"))
    assert ticket_clock.limit_seconds(rule) == 59
    assert ticket_clock.limit_seconds(MeasurementRule(target_id=1, source=Source.TICKETS,
                                                      limit_minutes=Decimal(240))) == 14_400


def test_open_tickets_are_judged_at_the_period_end_with_their_pauses_up_to_then():
    """A opened 100 min before the end, paused 40 of them, never resolved: 60 min of 60 allowed (left out);
    B opened 61 min before the end: missed; a pause after the period end does not count for the period."""
    end = T0 + 1000 * MIN
    tickets = _tickets("A", "B").assign(opened_at=[end - 100 * MIN, end - 61 * MIN],
                                        resolved_at=[NA_TIME, NA_TIME])
    events = _events([("A", "New", end - 100 * MIN), ("A", "Awaiting customer", end - 80 * MIN),
                      ("A", "Active", end - 40 * MIN), ("B", "New", end - 61 * MIN),
                      ("B", "Awaiting customer", end + 10 * MIN)])
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, priority="P1", limit_minutes=Decimal(60),
                           pause_states=("Awaiting Customer",))
    series = ticket_clock.TicketSeries(tickets, events, _clock(), rule, until=end + 86_400)
    result = ticket_clock.within(tickets, events, [], _clock(), end - 2000 * MIN, end, rule, Decimal(90),
                                 series=series)
    assert (result.counts["tickets"], result.counts["missed"], result.achieved) == (1, 1, 0)
    assert [(e.kind, e.tickets) for e in result.exclusions] == [("open", 1)]
    assert "1 still open at the end of the period and already over the limit (missed)" in result.explanation
    evidence = ticket_clock.ticket_evidence(result)
    assert evidence["elapsed_minutes"].tolist() == [60.0, 61.0]
    assert np.array_equal(evidence["judged"].to_numpy(), [False, True])
