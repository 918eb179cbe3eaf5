"""Reading imported raw records back for measurement, drill-down and exports (as DataFrames)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sltdesk.rules import blocks, sample_blocks
from sltdesk.services.import_rows import TICKET_COLUMNS
from sltdesk.services.ports import Workspace


def load_tickets(ws: Workspace, contract_id: int, *, months: list[int] | None = None) -> pd.DataFrame:
    """The contract's tickets (one row each, times in UTC epoch seconds), with the batch they came from."""
    with ws.unit_of_work() as uow:
        equals = {"month": months} if months is not None else {}
        stored = uow.raw.select("ticket_blocks", ("batch_id", "payload"), contract_id=contract_id, **equals)
    frames = []
    for batch_id, payload in stored:
        frame = blocks.decode_frame(payload)
        frame["batch_id"] = batch_id
        frames.append(frame)
    if not frames:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in (*TICKET_COLUMNS, "batch_id")})
    return pd.concat(frames, ignore_index=True).sort_values(["opened_at", "ticket_id"], ignore_index=True)


def load_samples(ws: Workspace, contract_id: int, *, days: list[int] | None = None) -> pd.DataFrame:
    """The contract's interval samples: probe, t (UTC epoch s), requests, errors, ok, latency_ms, row, batch."""
    with ws.unit_of_work() as uow:
        equals = {"day": days} if days is not None else {}
        stored = uow.raw.select("sample_blocks", ("probe", "batch_id", "payload"), contract_id=contract_id, **equals)
    if not stored:
        return pd.DataFrame(columns=["probe", "t", "requests", "errors", "ok", "latency_ms", "row", "batch_id"])
    arrays = [sample_blocks.decode(payload) for _, _, payload in stored]
    sizes = [len(a) for a in arrays]
    data = np.concatenate(arrays)
    out = pd.DataFrame({name: data[name] for name in data.dtype.names})
    out.insert(0, "probe", np.repeat([probe for probe, _, _ in stored], sizes))
    out["batch_id"] = np.repeat([batch for _, batch, _ in stored], sizes)
    return out.sort_values(["probe", "t"], ignore_index=True)
