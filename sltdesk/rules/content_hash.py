"""Content hashes of imported batches that stay checkable after some of their records were superseded.

Design. A batch's content hash is a multiset hash: the sum of a 256-bit digest of each of its records (a ticket
or a sample inside a block counts as one record), read as four 64-bit numbers, each of the four summed modulo
2^64 (numpy adds a million digests at once). Rows of the plain tables get a SHA-256 digest each; the records
inside ticket and sample blocks, which come by the hundred thousand, get four keyed SipHash values computed a
column at a time (`_vector_digest`). The digest covers
the record's table and every stored field including its source row, so two records never share one by
accident, and the sum does not depend on the order or on the blocks the records sit in.

Because the sum is additive, records can be taken out of it: when an audited import supersedes records of an
earlier batch (--replace-period, or newer versions of tickets), it sums the digests of the records it removes,
per batch, *before* removing them, and writes those sums into its own audit entry. The check then expects

    sum(stored records of the batch) == sum at import − Σ sums removed by later audited imports   (per lane)

and the same for the record counts. The sums live in the audit entries, so the hash chain protects them; an
edit of a stored record (or a block) outside the app changes the left side and nothing changes the right.

The sum of digests is a tamper check against edits made by hand or by a script, not a signature: someone who
can rewrite the database and forge audit entries can also forge these sums (the chain and an anchor catch that).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

LANES = 4  # a SHA-256 digest read as four little-endian 64-bit numbers, each summed modulo 2^64
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class Digest:
    """The multiset hash of some records (its four lanes packed into one number) and how many there are."""

    total: int = 0
    records: int = 0

    def __add__(self, other: Digest) -> Digest:
        return Digest(_lanewise(self.total, other.total, 1), self.records + other.records)

    def __sub__(self, other: Digest) -> Digest:
        return Digest(_lanewise(self.total, other.total, -1), self.records - other.records)

    @property
    def hex(self) -> str:
        return f"{self.total:064x}"

    def as_audit(self) -> dict:
        return {"sum": self.hex, "records": self.records}

    @classmethod
    def from_audit(cls, data: dict) -> Digest:
        return cls(int(data["sum"], 16), int(data["records"]))


def _lanes(total: int) -> list[int]:
    return [(total >> (64 * i)) & _MASK for i in range(LANES)]


def _packed(lanes) -> int:
    return sum((int(v) & _MASK) << (64 * i) for i, v in enumerate(lanes))


def _lanewise(a: int, b: int, sign: int) -> int:
    return _packed((x + sign * y) & _MASK for x, y in zip(_lanes(a), _lanes(b), strict=True))


def _text(value: object) -> str:
    """One field as stable text: the same for a value read from SQLite, PostgreSQL or a decoded block."""
    if value is None or (isinstance(value, float | np.floating) and value != value):
        return "\x00"
    if isinstance(value, bool | np.bool_):
        return "T" if value else "F"
    if isinstance(value, np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _sum(digests: list[bytes]) -> Digest:
    """Vectorised: the digests as rows of four uint64, summed per lane (numpy wraps modulo 2^64)."""
    if not digests:
        return Digest()
    lanes = np.frombuffer(b"".join(digests), dtype="<u8").reshape(-1, LANES).sum(axis=0, dtype=np.uint64)
    return Digest(_packed(lanes), len(digests))


def rows_digest(table: str, rows: Iterable[tuple]) -> Digest:
    """Records given as tuples of their fields in a fixed column order."""
    prefix = f"{table}\x1e"
    return _sum([hashlib.sha256((prefix + "\x1f".join(map(_text, row))).encode("utf-8")).digest() for row in rows])


def frame_digest(table: str, frame: pd.DataFrame, columns: Iterable[str]) -> Digest:
    """Records of a decoded block (one per frame row), over the given columns, hashed column-wise (see
    `_vector_digest`)."""
    columns = list(columns)
    data = {c: frame[c] if c in frame else pd.Series([None] * len(frame), dtype=object, index=frame.index)
            for c in columns}
    return _vector_digest(table, pd.DataFrame(data, index=frame.index))


def samples_digest(probe: str, block: np.ndarray) -> Digest:
    """Samples of one probe (decoded blocks): each sample's fixed-width bytes (every field) as four 64-bit words,
    folded through splitmix64's finaliser with the probe mixed in — numpy only, a million samples in a few
    hundredths of a second."""
    if not len(block):
        return Digest()
    raw = np.ascontiguousarray(block).view(np.uint8).reshape(len(block), block.dtype.itemsize)
    words = np.zeros((len(block), 32), dtype=np.uint8)
    words[:, :raw.shape[1]] = raw
    words = words.view("<u8")
    with np.errstate(over="ignore"):
        first = np.full(len(block), _salt(f"samples\x1e{probe}"), dtype=np.uint64)
        for i in range(4):
            first = _splitmix(first ^ words[:, i], _MIX[0])
    return _lanes_digest(first)


_KEY = "sltdesk-records1"  # the fixed 16-byte SipHash key
_MIX = (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB)  # splitmix64's constants


def _vector_digest(label: str, frame: pd.DataFrame) -> Digest:
    """The block tables' records (tickets: up to hundreds of thousands per import) are hashed a column at a
    time instead of one SHA-256 per record: pandas' vectorised SipHash-2-4 (`hash_pandas_object`, every field
    in column order, the table's label mixed in) gives each record a 64-bit value. Any change of one field
    changes it; like the sum itself, it is a tamper check, not a signature."""
    if not len(frame):
        return Digest()
    first = pd.util.hash_pandas_object(frame, index=False, hash_key=_KEY).to_numpy(dtype=np.uint64) ^ _salt(label)
    return _lanes_digest(first)


def _salt(label: str) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.sha256(label.encode("utf-8")).digest()[:8], "little"))


def _splitmix(z: np.ndarray, offset: int) -> np.ndarray:
    z = z + np.uint64(offset)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX[1])
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX[2])
    return z ^ (z >> np.uint64(31))


def _lanes_digest(first: np.ndarray) -> Digest:
    """Each record's 64-bit value is the first lane; the other three are that value through splitmix64's
    finaliser with three different offsets, so the four sums are not linear in one another."""
    with np.errstate(over="ignore"):
        lanes = [first.sum(dtype=np.uint64)] + [_splitmix(first, offset).sum(dtype=np.uint64) for offset in _MIX]
    return Digest(_packed(lanes), len(first))
