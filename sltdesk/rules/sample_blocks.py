"""Samples are kept in blocks: a probe's samples of one UTC day form one block.

A block's samples are a structured array of DTYPE (time, requests, errors, ok, latency, source row),
sorted by time; float32 holds every whole number of requests per interval below 16.7 million exactly,
and latency in ms. How a block is written down is the storage adapter's business
(sltdesk/codecs/sample_blocks.py, used by models/raw_repository.py and, to pack samples beside the
validation, by the importer); what a block holds is decided here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sltdesk.domain.raw_records import DaySamples

LAYOUT = (("t", "<i8"), ("requests", "<f4"), ("errors", "<f4"), ("ok", "i1"), ("latency_ms", "<f4"), ("row", "<i4"))
DTYPE = np.dtype(list(LAYOUT))
DAY = 86_400


Columns = dict[str, np.ndarray]  # one contiguous array per field of DTYPE


def as_columns(data: np.ndarray | Columns) -> Columns:
    """A structured block's fields (or a dict of arrays) as contiguous arrays of the layout's dtypes."""
    return {name: np.ascontiguousarray(data[name], dtype=dtype) for name, dtype in LAYOUT}


def take(columns: Columns, which: np.ndarray | slice) -> Columns:
    """The rows `which` (an index, a mask or a slice) of every column."""
    return {name: values[which] for name, values in columns.items()}


def columns_of(frame: pd.DataFrame) -> Columns:
    """The samples frame (timestamp, requests, errors, ok, latency_ms, source_row) as block columns."""
    n = len(frame)
    out: Columns = {"t": frame["timestamp"].to_numpy(dtype=np.int64), "row": frame["source_row"].to_numpy()}
    for name in ("requests", "errors", "latency_ms"):
        out[name] = frame[name].to_numpy(dtype=np.float32) if name in frame else np.full(n, np.nan, np.float32)
    if "ok" in frame:
        ok = frame["ok"].to_numpy(dtype=object)
        out["ok"] = np.where(pd.isna(ok), -1, np.where(ok == True, 1, 0))  # noqa: E712 - an object array of bools
    else:
        out["ok"] = np.full(n, -1, dtype=np.int8)
    return as_columns(out)


def split_days(probes: pd.Series | None, columns: Columns) -> tuple[Columns, list[tuple[str, int, int, int]]]:
    """The samples sorted by probe and time, and (probe, day, start, end) for every probe-day in them
    ("" for samples without a probe)."""
    t = columns["t"]
    if probes is None:
        codes, names = np.zeros(len(t), dtype=np.int64), [""]
    else:
        found, uniques = pd.factorize(probes, use_na_sentinel=True)  # -1: no probe named
        names = [str(u) for u in uniques] + [""]
        codes = np.asarray(found, dtype=np.int64)
        codes[codes < 0] = len(names) - 1
    key = codes * (1 << 40)  # probe first, then time: one integer to sort (made in place: a million samples'
    key += t  # blocks are made beside the validation, and every array they take counts)
    if (key[1:] < key[:-1]).any():
        order = np.argsort(key, kind="stable")
        codes, columns = codes[order], take(columns, order)
        t = columns["t"]
    del key
    days = t // DAY
    change = np.flatnonzero((codes[1:] != codes[:-1]) | (days[1:] != days[:-1])) + 1
    starts = np.concatenate(([0], change)).tolist()
    ends = np.concatenate((change, [len(t)])).tolist()
    spans = [(names[codes[a]], int(days[a]), a, b) for a, b in zip(starts, ends, strict=True) if b > a]
    return columns, spans


def day_samples(frame: pd.DataFrame) -> list[DaySamples]:
    """A samples frame as one array per probe and UTC day, each sorted by time."""
    columns, spans = split_days(frame["probe"] if "probe" in frame else None, columns_of(frame))
    return [DaySamples(probe, day, structured(take(columns, slice(a, b)))) for probe, day, a, b in spans]


def structured(columns: Columns) -> np.ndarray:
    """Block columns as one structured array of DTYPE."""
    out = np.empty(len(columns["t"]), dtype=DTYPE)
    for name, _ in LAYOUT:
        out[name] = columns[name]
    return out
