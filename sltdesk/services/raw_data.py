"""Reading imported raw records back for measurement, drill-down and exports (as DataFrames)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator

import numpy as np
import pandas as pd

from sltdesk.services.import_rows import TICKET_COLUMNS
from sltdesk.services.ports import Workspace


def load_tickets(ws: Workspace, contract_id: int, *, months: list[int] | None = None) -> pd.DataFrame:
    """The contract's tickets (one row each, times in UTC epoch seconds), with the batch they came from."""
    with ws.unit_of_work() as uow:
        stored = uow.raw.ticket_blocks(contract_id=contract_id, months=months)
    frames = []
    for block in stored:
        frame = block.tickets
        frame["batch_id"] = block.batch_id
        frames.append(frame)
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in (*TICKET_COLUMNS, "batch_id")})
    return pd.concat(frames, ignore_index=True).sort_values(["opened_at", "ticket_id"], ignore_index=True)


def load_samples(ws: Workspace, contract_id: int, *, days: list[int] | None = None) -> pd.DataFrame:
    """The contract's interval samples: probe, t (UTC epoch s), requests, errors, ok, latency_ms, row, batch."""
    with ws.unit_of_work() as uow:
        stored = uow.raw.sample_blocks(contract_id=contract_id, days=days)
    if not stored:
        return pd.DataFrame(columns=["probe", "t", "requests", "errors", "ok", "latency_ms", "row", "batch_id"])
    sizes = [len(b.samples) for b in stored]
    data = np.concatenate([b.samples for b in stored])
    out = pd.DataFrame({name: data[name] for name in data.dtype.names or ()})  # a structured array: named
    out.insert(0, "probe", np.repeat([b.probe for b in stored], sizes))
    out["batch_id"] = np.repeat([b.batch_id for b in stored], sizes)
    return out.sort_values(["probe", "t"], ignore_index=True)


# Within `kept_frames` (a builder's many writes in a row: the demo), a contract's tickets and ticket events are read
# once for as long as the batches that can write them are unchanged. Only an import of tickets or ticket events
# stores, rewrites or deletes them (a superseding import or a --replace-period is one), and its batch, or the
# removal of one, changes that list.
_TICKET_KINDS = ("tickets", "ticket-events")
_KEPT = threading.local()


@contextlib.contextmanager
def kept_frames() -> Iterator[None]:
    """Within it (on this thread), `kept_tickets` finds what `keep_tickets` kept."""
    if getattr(_KEPT, "frames", None) is not None:
        yield
        return
    _KEPT.frames = {}
    try:
        yield
    finally:
        _KEPT.frames = None


def _ticket_key(ws: Workspace, contract_id: int, batches: list[dict]) -> tuple:
    mine = [b for b in batches if b.get("kind") in _TICKET_KINDS]
    return ws.location, contract_id, json.dumps(sorted(mine, key=lambda b: b["id"]), sort_keys=True, default=str)


def kept_tickets(ws: Workspace, contract_id: int, batches: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(tickets, events) read before within `kept_frames` from the same batches (`batches`: the contract's, as
    `batches()` gives them, read in the same unit of work as what is measured), or None."""
    frames = getattr(_KEPT, "frames", None)
    found = None if frames is None else frames.get(_ticket_key(ws, contract_id, batches))
    return None if found is None else (found[0].copy(deep=False), found[1].copy(deep=False))  # copy-on-write


def keep_tickets(ws: Workspace, contract_id: int, batches: list[dict], tickets: pd.DataFrame,
                 events: pd.DataFrame) -> None:
    frames = getattr(_KEPT, "frames", None)
    if frames is not None:
        frames[_ticket_key(ws, contract_id, batches)] = (tickets.copy(deep=False), events.copy(deep=False))
