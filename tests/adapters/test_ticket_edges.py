"""Ticket clocks at their edges, from a ticket file or an event log to `attainment --json` and `penalties --json`.

"Within 240 minutes" includes 240:00 exactly. Business hours are [08:00, 18:00): the opening minute counts, the
closing one does not. A ticket with no resolution in the data is judged at the end of its period: missed when
its limit has already passed by then, otherwise left out as still open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays
import pytest
from edge_setup import ALWAYS, OFFICE, attainment, clauses, contract, csv_file, import_file, penalties

from sltdesk.domain.register import MetricKind
from tests.exact import exactly

LONDON = ZoneInfo("Europe/London")
TICKETS = ["Ticket", "Priority", "Opened", "Resolved"]
EVENTS = ["Ticket", "Priority", "State", "Changed at"]
FIXED = {"kind": "fixed per breach", "target": "Target", "parameters": {"amount": "500"}}


def _resolution(tmp_path, *, limit: int, business: bool = False, rows: list[list]) -> str:
    rule = {"source": "tickets", "priority": "P1", "limit_minutes": str(limit), "business_clock": business}
    path = contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90", rule=rule, zone="Europe/London",
                    hours=OFFICE if business else ALWAYS, holidays=("GB", "ENG") if business else ("", ""))
    clauses(path, FIXED)
    import_file(path, "tickets", csv_file(tmp_path / "tickets.csv", TICKETS, rows), "--timezone", "Europe/London",
                "--period", "2026-06")
    return path


@pytest.mark.parametrize(("resolved", "met", "amount"), [
    ("2026-06-10 13:59:59", True, "0.00"),  # 239 min 59 s
    ("2026-06-10 14:00:00", True, "0.00"),  # exactly 240 min: within
    ("2026-06-10 14:00:01", False, "500.00"),  # 240 min 1 s: over
])
def test_a_ticket_exactly_at_its_limit_is_within_it(tmp_path, resolved, met, amount):
    path = _resolution(tmp_path, limit=240, rows=[["INC-1", "P1", "2026-06-10 10:00:00", resolved]])
    figure = attainment(path, "2026-06")
    assert (figure["met"], figure["counts"]["tickets"]) == (met, 1)
    assert penalties(path, "2026-06")["total"] == amount


@pytest.mark.parametrize(("opened", "resolved", "met"), [
    ("2026-06-08 17:00", "2026-06-09 08:00", True),  # 17:00–18:00 Monday: 60 min
    ("2026-06-08 17:00", "2026-06-09 08:01", False),  # …and Tuesday's opening minute: 61
    ("2026-06-08 17:01", "2026-06-09 08:01", True),  # 59 + 1
    ("2026-06-08 18:00", "2026-06-09 09:00", True),  # the closing minute is not business time: 60
    ("2026-06-08 18:00", "2026-06-09 09:01", False),
    ("2026-06-09 07:59", "2026-06-09 09:00", True),  # before the opening minute: 60
    ("2026-06-09 07:59", "2026-06-09 09:01", False),
])
def test_the_opening_minute_of_business_hours_counts_and_the_closing_one_does_not(tmp_path, opened, resolved, met):
    path = _resolution(tmp_path, limit=60, business=True, rows=[["INC-1", "P1", opened, resolved]])
    assert attainment(path, "2026-06")["met"] is met


def test_a_ticket_still_open_at_the_end_of_its_period_is_judged_there(tmp_path):
    """Both opened on 30 June, never resolved in the data, 180 minutes allowed: INC-1 has had exactly 180 minutes
    by midnight and is left out as still open; INC-2, opened a minute earlier, has had 181 and is missed."""
    rows = [["INC-1", "P1", "2026-06-30 21:00", ""], ["INC-2", "P1", "2026-06-30 20:59", ""],
            ["INC-3", "P1", "2026-06-10 10:00", "2026-06-10 11:00"]]
    path = _resolution(tmp_path, limit=180, rows=rows)
    figure = attainment(path, "2026-06")
    assert (figure["counts"]["tickets"], figure["counts"]["missed"]) == (2, 1)
    assert exactly(figure["achieved"], 1, 2)
    assert [(e["kind"], e["tickets"]) for e in figure["exclusions"]] == [("open", 1)]
    assert "still open at the end of the period" in figure["exclusions"][0]["reason"]
    assert figure["explanation"] == ("1 of 2 P1 tickets resolved within 180 calendar minutes; 1 still open at the "
                                     "end of the period and already over the limit (missed); 1 still open at the "
                                     "end of the period and within it (left out)")


def _business_minutes(start: datetime, end: datetime, pauses: list[tuple[datetime, datetime]]) -> int:
    """Business minutes Mon–Fri 08:00–18:00 London, England's bank holidays off, minus pauses: counted day by
    day with zoneinfo and the holidays package (none of SLT Desk's code)."""
    off = holidays.country_holidays("GB", subdiv="ENG", years=range(start.year, end.year + 1))
    total = 0
    day = start.astimezone(LONDON).date()
    while day <= end.astimezone(LONDON).date():
        if day.weekday() < 5 and day not in off:
            spans = [(max(datetime(day.year, day.month, day.day, 8, tzinfo=LONDON), start),
                      min(datetime(day.year, day.month, day.day, 18, tzinfo=LONDON), end))]
            for p_start, p_end in pauses:  # cut each pause out of the day's span
                spans = [part for a, b in spans for part in ((a, min(b, p_start)), (max(a, p_end), b))]
            total += sum(max((b - a).total_seconds(), 0) for a, b in spans)
        day += timedelta(days=1)
    assert total % 60 == 0
    return int(total // 60)


@pytest.mark.parametrize("extra", [0, -1])
def test_a_ticket_paused_six_weeks_and_resolved_three_months_later_gets_its_full_business_time(tmp_path, extra):
    opened = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)
    paused, resumed = datetime(2026, 1, 20, 10, 0, tzinfo=LONDON), datetime(2026, 3, 3, 10, 0, tzinfo=LONDON)
    resolved = datetime(2026, 4, 7, 11, 0, tzinfo=LONDON)  # Good Friday and Easter Monday fall in between
    assert resumed - paused == timedelta(weeks=6) and resolved - opened > timedelta(days=90)
    expected = _business_minutes(opened, resolved, [(paused, resumed)])
    rule = {"source": "tickets", "priority": "P1", "limit_minutes": str(expected + extra), "business_clock": True,
            "pause_states": ("Awaiting Customer",)}
    path = contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90", rule=rule, zone="Europe/London",
                    hours=OFFICE, holidays=("GB", "ENG"))
    events = [["INC-9", "P1", state, f"{when:%Y-%m-%d %H:%M}"] for state, when in (
        ("New", opened), ("In Progress", opened + timedelta(minutes=30)), ("Awaiting Customer", paused),
        ("In Progress", resumed), ("Resolved", resolved))]
    import_file(path, "ticket-events", csv_file(tmp_path / "events.csv", EVENTS, events), "--timezone",
                "Europe/London", "--period", "2026-01")
    figure = attainment(path, "2026-01")
    assert figure["counts"]["tickets"] == 1
    assert figure["met"] is (extra == 0), f"limit {expected + extra} business minutes"
    assert Decimal(figure["counts"]["paused_minutes"]) == _business_minutes(paused, resumed, [])


def _event_log(tmp_path, rows: list[list], *, header: list[str] = EVENTS, options: tuple[str, ...] = (),
               **rule) -> str:
    values = {"source": "tickets", "priority": "P1", "limit_minutes": "15", **rule}
    path = contract(tmp_path, metric=MetricKind.RESPONSE_TIME if values.get("stop") == "responded"
                    else MetricKind.RESOLUTION_TIME, threshold="90", rule=values, zone="Europe/London")
    import_file(path, "ticket-events", csv_file(tmp_path / "events.csv", header, rows), "--timezone",
                "Europe/London", "--period", "2026-06", *options)
    return path


def test_responded_is_the_first_event_out_of_the_initial_states_even_when_it_is_the_first_row(tmp_path):
    """By hand, 15 minutes allowed: A's log starts at 'Active' (taken up as it was opened: 0 min, met); B goes
    New → Active after 20 min (missed); C goes New → Unassigned → Work in progress after 14 min (met): 2 of 3."""
    rows = [["A", "P1", "Active", "2026-06-10 09:00"], ["A", "P1", "Resolved", "2026-06-10 10:00"],
            ["B", "P1", "New", "2026-06-10 09:00"], ["B", "P1", "Active", "2026-06-10 09:20"],
            ["B", "P1", "Resolved", "2026-06-10 10:00"],
            ["C", "P1", "New", "2026-06-10 09:00"], ["C", "P1", "Unassigned", "2026-06-10 09:05"],
            ["C", "P1", "Work in progress", "2026-06-10 09:14"], ["C", "P1", "Resolved", "2026-06-10 12:00"]]
    figure = attainment(_event_log(tmp_path, rows, stop="responded"), "2026-06")
    assert (figure["counts"]["tickets"], figure["counts"]["met"]) == (3, 2)
    assert exactly(figure["achieved"], 2, 3)


def test_a_target_can_name_its_own_initial_states(tmp_path):
    """With 'New' and 'Triage' as the initial states, C's response is its move to 'Work in progress' (20 min)."""
    rows = [["C", "P1", "New", "2026-06-10 09:00"], ["C", "P1", "Triage", "2026-06-10 09:05"],
            ["C", "P1", "Work in progress", "2026-06-10 09:20"], ["C", "P1", "Resolved", "2026-06-10 12:00"]]
    assert attainment(_event_log(tmp_path, rows, stop="responded"), "2026-06")["met"] is True  # Triage at 5 min
    own = attainment(_event_log(tmp_path / "own", rows, stop="responded", initial_states=("New", "Triage")),
                     "2026-06")
    assert own["met"] is False and own["counts"]["missed"] == 1


@pytest.mark.parametrize(("response_on", "met"), [("auto", True), ("assignment", True), ("state", False)])
def test_where_the_log_names_an_assignee_the_first_assignment_is_the_response(tmp_path, response_on, met):
    """D stays 'New' when Alice is assigned after 5 minutes and goes 'In Progress' after 30."""
    rows = [["D", "P1", "New", "2026-06-10 09:00", ""], ["D", "P1", "New", "2026-06-10 09:05", "Alice"],
            ["D", "P1", "In Progress", "2026-06-10 09:30", "Alice"],
            ["D", "P1", "Resolved", "2026-06-10 11:00", "Alice"]]
    path = _event_log(tmp_path / response_on, rows, header=[*EVENTS, "Assigned to"], stop="responded",
                      response_on=response_on)
    assert attainment(path, "2026-06")["met"] is met


def test_pause_states_that_no_event_uses_give_a_figure(tmp_path):
    rows = [["E", "P1", "New", "2026-06-10 09:00"], ["E", "P1", "Resolved", "2026-06-10 09:10"]]
    figure = attainment(_event_log(tmp_path, rows, pause_states=("Awaiting Vendor",)), "2026-06")
    assert (figure["met"], figure["counts"]["paused_minutes"]) == (True, "0.00")


def test_a_label_mapping_decides_which_events_pause_the_clock(tmp_path):
    """F waits on the customer from 09:10 to 10:10 and is resolved at 10:20: 80 minutes open, 20 without the
    wait. The target pauses in 'Awaiting Customer'; the vendor's log says 'Waiting on customer'."""
    rows = [["F", "P1", "New", "2026-06-10 09:00"], ["F", "P1", "Waiting on customer", "2026-06-10 09:10"],
            ["F", "P1", "In Progress", "2026-06-10 10:10"], ["F", "P1", "Resolved", "2026-06-10 10:20"]]
    rule = {"limit_minutes": "30", "pause_states": ("Awaiting Customer",)}
    as_is = attainment(_event_log(tmp_path / "as-is", rows, **rule), "2026-06")
    mapped = attainment(_event_log(tmp_path / "mapped", rows, options=(
        "--value", "state:waiting on Customer=Awaiting Customer"), **rule), "2026-06")
    assert (as_is["met"], as_is["counts"]["paused_minutes"]) == (False, "0.00")  # 80 minutes > 30
    assert (mapped["met"], mapped["counts"]["paused_minutes"]) == (True, "60.00")  # 20 minutes
