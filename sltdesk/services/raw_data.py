"""Reading imported raw records back for measurement, drill-down and exports (as DataFrames)."""

from __future__ import annotations

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
