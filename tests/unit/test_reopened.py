"""Reopen events, read column-wise, are those the event-by-event reading finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sltdesk.services.indicators import RESOLVED, reopened
from tests.budget import examples


def one_by_one(tickets, times, states) -> list[int]:
    """The plain reading: events in (ticket, time, state) order, a ticket's last state remembered."""
    out, last = [], {}
    for ticket, at, state in sorted(zip(tickets, times, states, strict=True)):
        done = state.strip().casefold().startswith(RESOLVED)
        if last.get(ticket) is True and not done:
            out.append(at)
        last[ticket] = done
    return out


STATES = st.sampled_from(["New", "In Progress", "Resolved", " resolved ", "Closed", "Gelöst", "GESCHLOSSEN",
                          "Closed Complete", "On Hold", "Reopened", "Resolvedx", "unresolved"])
EVENTS = st.lists(st.tuples(st.sampled_from(["INC1", "INC2", "INC10", "CHG1"]), st.integers(0, 6), STATES),
                  max_size=40)


@settings(max_examples=examples(300), deadline=None)
@given(EVENTS)
def test_reopen_events_read_column_wise_are_the_ones_read_event_by_event(events):
    tickets, times, states = (list(c) for c in zip(*events, strict=True)) if events else ([], [], [])
    assert reopened(tickets, times, states).tolist() == one_by_one(tickets, times, states)


def test_a_ticket_resolved_reopened_and_resolved_again_counts_one_reopen_at_the_moment_it_left_resolved():
    tickets = ["INC2", "INC1", "INC1", "INC1", "INC1", "INC2"]
    times = [50, 10, 20, 30, 40, 60]
    states = ["Closed", "New", "Resolved", "In Progress", "Closed", "Work in progress"]
    assert reopened(tickets, times, states).tolist() == [30, 60]
    assert reopened([], [], []).dtype == np.int64 and not len(reopened([], [], []))
