"""How a probe-day block of samples is stored: a compact, exact encoding of interval measurements.

A block (b"SB3" + zstd) holds a head (count, first time, first row) and then each column's bytes in
turn, times and rows as differences. Blocks written before (b"SB2": zlib over the rows) still read.
What a block holds (sltdesk/rules/sample_blocks.py) is the core's; this format is the storage's: the
models adapter reads and writes it, and the importer packs samples into it in its reader process,
beside the validation, so a million samples travel back as a few MB.
"""

from __future__ import annotations

import threading
import zlib

import numpy as np
import pandas as pd
import zstandard

from sltdesk.domain.raw_records import SampleBlock
from sltdesk.errors import DamagedDataError
from sltdesk.rules.sample_blocks import DTYPE, LAYOUT, Columns, as_columns, columns_of, split_days

__all__ = ["blocks_of", "columns_of", "decode", "encode", "encode_arrays", "encode_many", "frame_blocks"]
_MAGIC = b"SB2"
_MAGIC_V3 = b"SB3"
_local = threading.local()
BATCH = 1024  # blocks laid out and compressed at a time


def encode(block: np.ndarray) -> bytes:
    return encode_many(as_columns(block), [(0, len(block))])[0]


def encode_many(columns: Columns, spans: list[tuple[int, int]]) -> list[bytes]:
    """One payload per (start, end) slice of the columns, column by column with times and rows as
    differences (steady 5-minute times and counting row numbers compress to almost nothing, and quickly).

    The blocks are laid out and compressed BATCH at a time: a million samples' uncompressed bytes (25 MB)
    never stand in memory at once, only a batch's."""
    t, row = columns["t"], columns["row"]
    parts = [np.diff(t, prepend=t[:1])] + [columns[name] for name, _ in LAYOUT[1:-1]] + [
        np.diff(row, prepend=row[:1])]
    parts = [np.ascontiguousarray(part, dtype=dtype) for part, (_, dtype) in zip(parts, LAYOUT, strict=True)]
    starts = np.asarray([a for a, _b in spans], dtype=np.int64)
    parts[0][starts] = parts[-1][starts] = 0  # the head of each block carries its first time and row
    heads = np.column_stack([[b - a for a, b in spans], t[starts], row[starts]]).astype("<i8") if spans else ()
    packer = zstandard.ZstdCompressor(level=1)
    threaded = len(spans) > 64 and hasattr(packer, "multi_compress_to_buffer")  # the C backend: on two cores
    out: list[bytes] = []
    for first in range(0, len(spans), BATCH):
        plain = [head.tobytes() + b"".join(part[a:b].tobytes() for part in parts)
                 for head, (a, b) in zip(heads[first:first + BATCH], spans[first:first + BATCH], strict=True)]
        out += _compressed(packer, plain, threaded=threaded)
    return out


def encode_arrays(arrays: list[np.ndarray]) -> list[bytes]:
    """One payload per structured array, packed together (as `encode_many` packs the spans of one set)."""
    if not arrays:
        return []
    bounds = np.cumsum([0] + [len(a) for a in arrays]).tolist()
    return encode_many(as_columns(np.concatenate(arrays)), list(zip(bounds[:-1], bounds[1:], strict=True)))


def _compressed(packer: zstandard.ZstdCompressor, chunks: list[bytes], *, threaded: bool) -> list[bytes]:
    """Each chunk as a stored payload (the magic, then its zstd frame)."""
    if threaded:
        data: list[bytes | bytearray | memoryview] = list(chunks)  # the list type the method is declared with
        packed = packer.multi_compress_to_buffer(data, threads=2)
        return [_MAGIC_V3 + packed[i].tobytes() for i in range(len(packed))]
    return [_MAGIC_V3 + packer.compress(chunk) for chunk in chunks]


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
    for name, dtype in LAYOUT:
        values = np.frombuffer(raw, dtype=dtype, count=n, offset=offset)
        offset += n * values.itemsize
        if name in ("t", "row"):  # differences from the first value (which the head holds)
            values = np.cumsum(values, dtype=np.int64) + (first_t if name == "t" else first_row)
        out[name] = values
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
