"""Content hashes of imported batches that stay checkable after some of their records were superseded.

Design. A batch's content hash is a multiset hash: the sum, modulo 2^256, of the SHA-256 digests of its
records, one digest per record (a ticket or a sample inside a block counts as one record). The digest covers
the record's table and every stored field including its source row, so two records never share one by
accident, and the sum does not depend on the order or on the blocks the records sit in.

Because the sum is additive, records can be taken out of it: when an audited import supersedes records of an
earlier batch (--replace-period, or newer versions of tickets), it sums the digests of the records it removes,
per batch, *before* removing them, and writes those sums into its own audit entry. The check then expects

    sum(stored records of the batch) == sum at import − Σ sums removed by later audited imports   (mod 2^256)

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

MODULUS = 1 << 256


@dataclass(frozen=True)
class Digest:
    """The multiset hash of some records and how many there are."""

    total: int = 0
    records: int = 0

    def __add__(self, other: Digest) -> Digest:
        return Digest((self.total + other.total) % MODULUS, self.records + other.records)

    def __sub__(self, other: Digest) -> Digest:
        return Digest((self.total - other.total) % MODULUS, self.records - other.records)

    @property
    def hex(self) -> str:
        return f"{self.total:064x}"

    def as_audit(self) -> dict:
        return {"sum": self.hex, "records": self.records}

    @classmethod
    def from_audit(cls, data: dict) -> Digest:
        return cls(int(data["sum"], 16), int(data["records"]))


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


def _sum(digests: Iterable[bytes]) -> Digest:
    total = count = 0
    for digest in digests:
        total += int.from_bytes(digest, "big")
        count += 1
    return Digest(total % MODULUS, count)


def rows_digest(table: str, rows: Iterable[tuple]) -> Digest:
    """Records given as tuples of their fields in a fixed column order."""
    prefix = f"{table}\x1e"
    return _sum(hashlib.sha256((prefix + "\x1f".join(map(_text, row))).encode("utf-8")).digest() for row in rows)


def frame_digest(table: str, frame: pd.DataFrame, columns: Iterable[str]) -> Digest:
    """Records of a decoded block (one per frame row), over the given columns."""
    present = [frame[c].tolist() if c in frame else [None] * len(frame) for c in columns]
    return rows_digest(table, zip(*present, strict=True))


def samples_digest(probe: str, block: np.ndarray) -> Digest:
    """Samples of one decoded probe-day block: each record's fixed-width little-endian bytes and its probe."""
    prefix = f"samples\x1e{probe}\x1e".encode()
    data = np.ascontiguousarray(block).tobytes()
    size = block.dtype.itemsize
    return _sum(hashlib.sha256(prefix + data[at:at + size]).digest() for at in range(0, len(data), size))
