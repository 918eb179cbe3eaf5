"""Samples grouped into probe-day blocks: a compact, exact encoding of interval measurements."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

# float32 holds every whole number of requests per interval below 16.7 million exactly, and latency in ms.
DTYPE = np.dtype([("t", "<i8"), ("requests", "<f4"), ("errors", "<f4"), ("ok", "i1"), ("latency_ms", "<f4"),
                  ("row", "<i4")])
_MAGIC = b"SB2"
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
    codes, names = pd.factorize(probes)
    key = codes.astype(np.int64) * (1 << 40) + data["t"]  # probe first, then time: one integer to sort
    if (np.diff(key) < 0).any():
        order = np.argsort(key, kind="stable")
        codes, data = codes[order], data[order]
    days = data["t"] // DAY
    change = np.flatnonzero((codes[1:] != codes[:-1]) | (days[1:] != days[:-1])) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [len(data)]))
    return [(str(names[codes[a]]), int(days[a]), data[a:b]) for a, b in zip(starts, ends, strict=True) if b > a]
