"""What a ticket event log (one row per update) says about when a ticket was first responded to.

"Responded" is the first event that leaves the target's initial states (New and Unassigned unless the
target names others), or, where the log names an assignee, the first event that does. The first event of
a ticket counts too: a log whose first row is already "Active" says the ticket was taken up when it was
opened, not at its next update. A time the vendor's file gives explicitly (a "first response" column)
wins over both. Which rule a target uses is its `response_on`: "state", "assignment", or "auto"
(assignment for the tickets whose events name an assignee, the state rule for the others).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sltdesk.domain.measurement import DEFAULT_INITIAL_STATES, MeasurementRule

NA_TIME = np.iinfo(np.int64).min


def norm(text: object) -> str:
    """'Awaiting_Customer ' -> 'awaiting customer' (labels compared without case, '-' or '_')."""
    return " ".join(str(text).lower().replace("-", " ").replace("_", " ").split())


def normed(labels: pd.Series) -> pd.Series:
    """Every label normalised, each distinct one once (a log repeats a handful of states a million times)."""
    texts = labels.fillna("").astype(str)
    lookup = {label: norm(label) for label in texts.unique()}
    return texts.map(lookup)


def in_order(events: pd.DataFrame, ids: set | None = None) -> pd.DataFrame:
    """The events of the given tickets, by ticket and time; events at the same instant keep file order."""
    frame = events if ids is None else events[events["ticket_id"].isin(ids)]
    keys = ["ticket_id", "changed_at"] + (["source_row"] if "source_row" in frame else [])
    return frame.sort_values(keys, kind="stable")


def responded_times(tickets: pd.DataFrame, events: pd.DataFrame | None, rule: MeasurementRule) -> np.ndarray:
    """Each ticket's response instant: the file's own where it has one, else derived from its events."""
    given = tickets["responded_at"].to_numpy(np.int64) if "responded_at" in tickets else \
        np.full(len(tickets), NA_TIME, dtype=np.int64)
    if events is None or not len(events) or not len(tickets):
        return given
    ev = in_order(events, set(tickets["ticket_id"]))
    initial = {norm(s) for s in (rule.initial_states or DEFAULT_INITIAL_STATES)}
    leaves = ~normed(ev["state"]).isin(initial).to_numpy(bool)
    by_state = _first(ev, leaves)
    derived = by_state
    if rule.response_on != "state" and "assignee" in ev:
        named = ev["assignee"].fillna("").astype(str).str.strip().ne("").to_numpy(bool)
        by_assignment = _first(ev, named)
        if rule.response_on == "assignment":
            derived = by_assignment
        else:  # auto: the first assignment where the ticket's events name anyone, else the state rule
            index = by_state.index.union(by_assignment.index)
            assigned = by_assignment.reindex(index)
            derived = assigned.where(assigned.notna(), by_state.reindex(index))
    found = derived.reindex(tickets["ticket_id"].to_numpy()).to_numpy(dtype=float)
    derived_times = np.where(np.isnan(found), NA_TIME, found).astype(np.int64)
    return np.where(given != NA_TIME, given, derived_times)


def _first(ev: pd.DataFrame, hits: np.ndarray) -> pd.Series:
    """ticket id -> the time of its first event where `hits` holds (tickets without one are absent)."""
    chosen = ev[hits]
    return chosen.groupby("ticket_id", sort=False)["changed_at"].first().astype(float)
