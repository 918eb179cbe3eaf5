"""Samples grouped into probe-day blocks: a compact, exact encoding of interval measurements."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

DTYPE = np.dtype([("t", "<i8"), ("requests", "<f8"), ("errors", "<f8"), ("ok", "i1"), ("latency_ms", "<f8"),
                  ("row", "<i4")])
_MAGIC = b"SB1"
DAY = 86_400


def encode(block: np.ndarray) -> bytes:
    return _MAGIC + zlib.compress(np.ascontiguousarray(block, dtype=DTYPE).tobytes(), 1)


def decode(payload: bytes) -> np.ndarray:
    if not payload.startswith(_MAGIC):
        raise ValueError("not a sample block")
    return np.frombuffer(zlib.decompress(payload[len(_MAGIC):]), dtype=DTYPE)


def to_structured(frame: pd.DataFrame) -> np.ndarray:
    """The samples frame (timestamp, requests, errors, ok, latency_ms, source_row) as one structured array."""
    n = len(frame)
    out = np.empty(n, dtype=DTYPE)
    out["t"] = frame["timestamp"].to_numpy(dtype=np.int64)
    for name in ("requests", "errors", "latency_ms"):
        out[name] = frame[name].to_numpy(dtype=float) if name in frame else np.nan
    if "ok" in frame:
        ok = frame["ok"].to_numpy(dtype=object)
        out["ok"] = np.where(pd.isna(ok), -1, np.where(ok == True, 1, 0))  # noqa: E712 - object array of bools
    else:
        out["ok"] = -1
    out["row"] = frame["source_row"].to_numpy(dtype=np.int32)
    return out


def split_days(probes: np.ndarray, data: np.ndarray) -> list[tuple[str, int, np.ndarray]]:
    """(probe, day, block) for every probe-day, each block sorted by time."""
    days = data["t"] // DAY
    order = np.lexsort((data["t"], days, probes))
    probes, days, data = probes[order], days[order], data[order]
    change = np.flatnonzero((probes[1:] != probes[:-1]) | (days[1:] != days[:-1])) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(data)]))
    return [(str(probes[a]), int(days[a]), data[a:b]) for a, b in zip(starts, ends, strict=True) if b > a]
