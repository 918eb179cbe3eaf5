"""Content hashes of imported batches that stay checkable after some of their records were superseded.

Design. A batch's content hash is a multiset hash: the sum of the SHA-256 digests of its records, one digest
per record (a ticket or a sample inside a block counts as one record), each digest read as four 64-bit
numbers and each of the four summed modulo 2^64 (numpy adds a million digests at once). The digest covers
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
    """Records of a decoded block (one per frame row), over the given columns: each column made text at once."""
    texts = [_column_text(frame[c]) if c in frame else ["\x00"] * len(frame) for c in columns]
    prefix = f"{table}\x1e"
    sha = hashlib.sha256
    return _sum([sha((prefix + "\x1f".join(row)).encode("utf-8")).digest() for row in zip(*texts, strict=True)])


def _column_text(column: pd.Series) -> list[str]:
    """The same text `_text` gives each value, for a whole column (whole numbers through numpy)."""
    if column.dtype.kind in "iu":
        return column.to_numpy().astype(str).tolist()
    return [v if type(v) is str else _text(v) for v in column.tolist()]


def samples_digest(probe: str, block: np.ndarray) -> Digest:
    """Samples of one decoded probe-day block: each record's fixed-width little-endian bytes and its probe."""
    base = hashlib.sha256(f"samples\x1e{probe}\x1e".encode())
    data = memoryview(np.ascontiguousarray(block).tobytes())
    size = block.dtype.itemsize
    digests = []
    for at in range(0, len(data), size):
        h = base.copy()
        h.update(data[at:at + size])
        digests.append(h.digest())
    return _sum(digests)
