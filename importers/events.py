"""Ticket event logs (one row per update) reduced to one ticket each, keeping the state history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from importers.mapping import normalise
from importers.values import NA_TIME

RESOLVED = {"resolved", "solved", "fixed", "restored", "gelost", "behoben", "resolu", "resuelto", "done"}
CLOSED = {"closed", "geschlossen", "ferme", "cerrado", "cancelled", "canceled"}
ASSIGNED = {"assigned", "zugewiesen", "dispatched", "queued"}


def looks_like_event_log(body: list[list], headers: list[str], columns: dict[str, int]) -> bool:
    """Ticket ids repeat and there is a state column and a change-time column."""
    index = columns.get("ticket_id")
    normal = [normalise(h) for h in headers]
    has_state = any(h in ("state", "new state", "to state", "status neu", "new status") for h in normal)
    has_time = any(h in ("changed", "changed at", "updated", "updated at", "timestamp", "event time",
                         "geandert", "zeitpunkt", "modified") for h in normal)
    if index is None or not (has_state and has_time):
        return False
    ids = [r[index] for r in body if index < len(r)]
    return len(set(ids)) < len(ids)


def event_log_signature(body: list[list], headers: list[str], columns: dict[str, int]) -> str | None:
    """Why a file offered as tickets is an event log — ids that repeat, a state column and an update-time column
    under any name (incident_state, sys_updated_on) — as a sentence; None when it is not one."""
    index = columns.get("ticket_id")
    if index is None:
        return None
    normal = [normalise(h) for h in headers]
    state = next((headers[i] for i, h in enumerate(normal) if i != index and ("state" in h.split() or
                  h.endswith(" state") or h.endswith("status") or "state" in h.replace(" ", "_").split("_"))), None)
    when = next((headers[i] for i, h in enumerate(normal) if any(w in h.split() for w in (
        "updated", "changed", "modified", "update", "change")) or h.startswith("sys updated")), None)
    if state is None or when is None:
        return None
    ids = [r[index] for r in body if index < len(r) and r[index] not in (None, "")]
    counts: dict = {}
    for value in ids:
        counts[value] = counts.get(value, 0) + 1
    repeated = {k: n for k, n in counts.items() if n > 1}
    if not repeated or len(repeated) * 5 < len(counts):  # a few repeats are duplicates, not an event log
        return None
    example, times = max(repeated.items(), key=lambda item: item[1])
    return (f"ticket ids repeat ({example} appears {times} times; {len(repeated):,} of {len(counts):,} ids repeat) "
            f"and the file has a state column ('{state}') and an update-time column ('{when}'): it is an event "
            "log, one row per ticket update. Import it as ticket-events (sltdesk import ticket-events FILE …), "
            "mapping ticket_id, state and changed_at with --map where their names are not recognised.")


def reduce_to_tickets(events: pd.DataFrame) -> pd.DataFrame:
    """One row per ticket: opened = first event, resolved/closed = first event in such a state."""
    frame = events.sort_values(["ticket_id", "changed_at", "source_row"], kind="stable")
    state = frame["state"].fillna("").map(normalise)
    grouped = frame.groupby("ticket_id", sort=False)
    tickets = pd.DataFrame({"ticket_id": grouped["ticket_id"].first()})
    tickets["source_row"] = grouped["source_row"].min().to_numpy()
    for name in ("priority", "service", "category"):
        if name in frame:
            tickets[name] = grouped[name].last().to_numpy()
    tickets["status"] = grouped["state"].last().to_numpy()
    first_change = grouped["changed_at"].min().to_numpy()
    tickets["opened_at"] = _explicit_or(frame, grouped, "opened_at", first_change, "min")  # by name: cythonised
    tickets["assigned_at"] = _first_in(frame, state, ASSIGNED, tickets.index, "assigned_at")
    # "responded" is read at measurement time, under each target's own rule (sltdesk/rules/event_log.py);
    # only a time the file gives explicitly is kept here
    tickets["responded_at"] = _explicit(frame, "responded_at", tickets.index)
    tickets["resolved_at"] = _first_in(frame, state, RESOLVED | CLOSED, tickets.index, "resolved_at")
    tickets["closed_at"] = _first_in(frame, state, CLOSED, tickets.index, "closed_at")
    return tickets.reset_index(drop=True)


def _explicit_or(frame: pd.DataFrame, grouped, name: str, fallback: np.ndarray, reducer: str) -> np.ndarray:
    if name not in frame:
        return fallback
    explicit = frame[name].where(frame[name] != NA_TIME)
    values = explicit.groupby(frame["ticket_id"], sort=False).agg(reducer).to_numpy()
    return np.where(np.isnan(values), fallback, values).astype(np.int64)


def _first_in(frame: pd.DataFrame, state: pd.Series, states: set[str], ids: pd.Index, column: str) -> np.ndarray:
    """First change into one of `states`; a time the file gives in its own column wins."""
    found = frame.loc[state.isin(states)].groupby("ticket_id", sort=False)["changed_at"].min()
    values = found.reindex(ids).to_numpy()
    out = np.where(np.isnan(values.astype(float)), NA_TIME, values).astype(np.int64)
    explicit = _explicit(frame, column, ids)
    return np.where(explicit != NA_TIME, explicit, out).astype(np.int64)


def _explicit(frame: pd.DataFrame, column: str, ids: pd.Index) -> np.ndarray:
    """The earliest time the file's own column gives per ticket (NA_TIME where it gives none)."""
    if column not in frame:
        return np.full(len(ids), NA_TIME, dtype=np.int64)
    explicit = frame[column].where(frame[column] != NA_TIME).groupby(frame["ticket_id"], sort=False).min()
    values = explicit.reindex(ids).to_numpy(dtype=float)
    return np.where(np.isnan(values), NA_TIME, values).astype(np.int64)
