"""Samples grouped into probe-day blocks: a compact, exact encoding of interval measurements.

A block (b"SB3" + zstd) holds a head (count, first time, first row) and then each column's bytes in
turn, times and rows as differences. Blocks written before (b"SB2": zlib over the rows) still read.
"""

from __future__ import annotations

import threading
import zlib

import numpy as np
import pandas as pd
import zstandard

from sltdesk.domain.raw_records import DaySamples, SampleBlock
from sltdesk.errors import DamagedDataError

# float32 holds every whole number of requests per interval below 16.7 million exactly, and latency in ms.
_LAYOUT = (("t", "<i8"), ("requests", "<f4"), ("errors", "<f4"), ("ok", "i1"), ("latency_ms", "<f4"), ("row", "<i4"))
DTYPE = np.dtype(list(_LAYOUT))
_MAGIC = b"SB2"
_MAGIC_V3 = b"SB3"
_local = threading.local()
DAY = 86_400


Columns = dict[str, np.ndarray]  # one contiguous array per field of DTYPE


def encode(block: np.ndarray) -> bytes:
    return encode_many(_columns(block), [(0, len(block))])[0]


def encode_many(columns: Columns, spans: list[tuple[int, int]]) -> list[bytes]:
    """One payload per (start, end) slice of the columns, column by column with times and rows as
    differences (steady 5-minute times and counting row numbers compress to almost nothing, and quickly)."""
    t, row = columns["t"], columns["row"]
    parts = [np.diff(t, prepend=t[:1])] + [columns[name] for name, _ in _LAYOUT[1:-1]] + [
        np.diff(row, prepend=row[:1])]
    parts = [np.ascontiguousarray(part, dtype=dtype) for part, (_, dtype) in zip(parts, _LAYOUT, strict=True)]
    starts = np.asarray([a for a, _b in spans], dtype=np.int64)
    parts[0][starts] = parts[-1][starts] = 0  # the head of each block carries its first time and row
    heads = np.column_stack([[b - a for a, b in spans], t[starts], row[starts]]).astype("<i8") if spans else []
    plain = [head.tobytes() + b"".join(part[a:b].tobytes() for part in parts)
             for head, (a, b) in zip(heads, spans, strict=True)]
    return [_MAGIC_V3 + payload for payload in _compressed(plain)]


def encode_arrays(arrays: list[np.ndarray]) -> list[bytes]:
    """One payload per structured array, packed together (as `encode_many` packs the spans of one set)."""
    if not arrays:
        return []
    bounds = np.cumsum([0] + [len(a) for a in arrays]).tolist()
    return encode_many(_columns(np.concatenate(arrays)), list(zip(bounds[:-1], bounds[1:], strict=True)))


def _columns(data: np.ndarray | Columns) -> Columns:
    """A structured block's fields (or a dict of arrays) as contiguous arrays of the layout's dtypes."""
    return {name: np.ascontiguousarray(data[name], dtype=dtype) for name, dtype in _LAYOUT}


def take(columns: Columns, which: np.ndarray) -> Columns:
    """The rows `which` (an index or a mask) of every column."""
    return {name: values[which] for name, values in columns.items()}


def _compressed(chunks: list[bytes]) -> list[bytes]:
    packer = zstandard.ZstdCompressor(level=1)
    if len(chunks) > 64 and hasattr(packer, "multi_compress_to_buffer"):  # the C backend: on two cores
        return [bytes(part) for part in packer.multi_compress_to_buffer(chunks, threads=2)]
    return [packer.compress(chunk) for chunk in chunks]


def decode(payload: bytes) -> np.ndarray:
    """A stored block's samples; a damaged block is a DamagedDataError (one sentence), never a traceback."""
    try:
        return _decode(payload)
    except Exception as error:
        raise DamagedDataError("A block of samples", error) from error


def _decode(payload: bytes) -> np.ndarray:
    if payload.startswith(_MAGIC_V3):
        return _decode_v3(_unpacker().decompress(payload[len(_MAGIC_V3):]))
    if not payload.startswith(_MAGIC):
        raise ValueError("not a sample block")
    return np.frombuffer(zlib.decompress(payload[len(_MAGIC):]), dtype=DTYPE)  # written before SB3


def _unpacker() -> zstandard.ZstdDecompressor:
    """A decompressor per thread (they are not thread-safe, and cheaper kept than made per block)."""
    found = getattr(_local, "unpacker", None)
    if found is None:
        found = _local.unpacker = zstandard.ZstdDecompressor()
    return found


def _decode_v3(raw: bytes) -> np.ndarray:
    n, first_t, first_row = np.frombuffer(raw[:24], dtype="<i8")
    n = int(n)
    out = np.empty(n, dtype=DTYPE)
    offset = 24
    for name, dtype in _LAYOUT:
        values = np.frombuffer(raw, dtype=dtype, count=n, offset=offset)
        offset += n * values.itemsize
        if name in ("t", "row"):  # differences from the first value (which the head holds)
            values = np.cumsum(values, dtype=np.int64) + (first_t if name == "t" else first_row)
        out[name] = values
    return out


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
        out["ok"] = np.full(n, -1)
    return _columns(out)


def split_days(probes: pd.Series | None, columns: Columns) -> tuple[Columns, list[tuple[str, int, int, int]]]:
    """The samples sorted by probe and time, and (probe, day, start, end) for every probe-day in them
    ("" for samples without a probe)."""
    t = columns["t"]
    if probes is None:
        codes, names = np.zeros(len(t), dtype=np.int64), [""]
    else:
        codes, uniques = pd.factorize(probes, use_na_sentinel=True)  # -1: no probe named
        names = [str(u) for u in uniques] + [""]
        codes = np.where(codes < 0, len(names) - 1, codes)
    key = codes.astype(np.int64) * (1 << 40) + t  # probe first, then time: one integer to sort
    if (np.diff(key) < 0).any():
        order = np.argsort(key, kind="stable")
        codes, columns = codes[order], take(columns, order)
        t = columns["t"]
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
    for name in DTYPE.names:
        out[name] = columns[name]
    return out


def frame_blocks(frame: pd.DataFrame) -> list[SampleBlock]:
    """A samples frame as stored blocks, one per probe and UTC day."""
    return blocks_of(frame["probe"] if "probe" in frame else None, columns_of(frame))


def blocks_of(probes: pd.Series | None, columns: Columns) -> list[SampleBlock]:
    columns, spans = split_days(probes, columns)
    payloads = encode_many(columns, [(a, b) for _, _, a, b in spans])
    t = columns["t"]
    return [SampleBlock(probe, day, int(t[a]), int(t[b - 1]), b - a, payload)
            for (probe, day, a, b), payload in zip(spans, payloads, strict=True)]
