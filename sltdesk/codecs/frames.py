"""How a block of tickets (a DataFrame) is stored: a compact, exact, safe encoding (no pickle: a tampered file
cannot run code).

Layout: b"FB2" + zstd( JSON header + b"\\0" + column bytes ). Text columns are JSON arrays (null for
missing) or, when they repeat a few labels, the labels as JSON and an int32 code per row; numeric
columns are the raw little-endian bytes of their dtype. Blocks written before (b"FB1": the same inside
zlib) still read.
"""

from __future__ import annotations

import json
import zlib

import numpy as np
import pandas as pd
import zstandard

from sltdesk.errors import DamagedDataError

_MAGIC = b"FB2"
_MAGIC_ZLIB = b"FB1"
_NUMERIC = {"int64": "<i8", "int32": "<i4", "float64": "<f8", "float32": "<f4", "int8": "i1", "bool": "?"}


def encode_frame(frame: pd.DataFrame) -> bytes:
    header: list[dict] = []
    chunks: list[bytes] = []
    for name in frame.columns:
        column = frame[name]
        kind = str(column.dtype)
        if kind in _NUMERIC:
            data = np.ascontiguousarray(column.to_numpy(), dtype=_NUMERIC[kind]).tobytes()
            header.append({"name": name, "dtype": kind, "bytes": len(data)})
        elif (labelled := _as_labels(column)) is not None:  # few distinct labels: stored once, a code per row
            codes, uniques = labelled
            labels = json.dumps([str(u) for u in uniques], ensure_ascii=False, separators=(",", ":"))
            data = labels.encode("utf-8") + b"\0" + codes.astype("<i4").tobytes()
            header.append({"name": name, "dtype": "labels", "bytes": len(data)})
        else:
            values = column.tolist()
            if not set(map(type, values)) <= {str, type(None)}:
                values = [None if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in values]
            data = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            header.append({"name": name, "dtype": "text", "bytes": len(data)})
        chunks.append(data)
    head = json.dumps({"rows": len(frame), "columns": header}).encode("utf-8")
    return _MAGIC + zstandard.ZstdCompressor(level=1).compress(head + b"\0" + b"".join(chunks))


def _as_labels(column: pd.Series) -> tuple[np.ndarray, pd.Index] | None:
    """A code per row and the labels, when a text column repeats few labels (stored once each); else None."""
    if isinstance(column.dtype, pd.CategoricalDtype):  # labels read once already: their codes as they are
        codes, uniques = column.cat.codes.to_numpy(), column.cat.categories
    elif len(set(column.iloc[:2000].tolist())) > 1000:  # ids: all different, no labels to gather
        return None
    else:
        codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    return (codes, uniques) if len(uniques) * 2 < len(column) else None


def decode_frame(payload: bytes) -> pd.DataFrame:
    """A stored block as a frame; a damaged block is a DamagedDataError (one sentence), never a traceback."""
    try:
        return _decode_frame(payload)
    except Exception as error:
        raise DamagedDataError("A block of tickets", error) from error


def _decode_frame(payload: bytes) -> pd.DataFrame:
    if payload.startswith(_MAGIC):
        raw = zstandard.ZstdDecompressor().decompress(payload[len(_MAGIC):])
    elif payload.startswith(_MAGIC_ZLIB):
        raw = zlib.decompress(payload[len(_MAGIC_ZLIB):])
    else:
        raise ValueError("not a data block")
    split = raw.index(b"\0")
    header = json.loads(raw[:split])
    offset = split + 1
    data: dict[str, object] = {}
    for column in header["columns"]:
        chunk = raw[offset:offset + column["bytes"]]
        offset += column["bytes"]
        if column["dtype"] == "text":
            data[column["name"]] = pd.Series(json.loads(chunk), dtype=object)
        elif column["dtype"] == "labels":
            split = chunk.index(b"\0")
            labels = np.array(json.loads(chunk[:split]) + [None], dtype=object)  # code -1 → the None at the end
            data[column["name"]] = pd.Series(labels[np.frombuffer(chunk[split + 1:], dtype="<i4")], dtype=object)
        else:
            data[column["name"]] = np.frombuffer(chunk, dtype=_NUMERIC[column["dtype"]]).astype(column["dtype"])
    return pd.DataFrame(data, index=pd.RangeIndex(header["rows"]))
