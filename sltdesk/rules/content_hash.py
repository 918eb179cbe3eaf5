"""Content hashes of imported batches that stay checkable after some of their records were superseded.

Design. A batch's content hash is a multiset hash: the sum of the SHA-256 digests of its stored units, each
digest read as four 64-bit numbers and each of the four summed modulo 2^64, with the number of records beside
it. A unit is a row of the plain tables (outages, events, report lines, credit-note lines, windows: the digest
covers the table and every stored field including the source row) or a whole stored block of the block tables
(a contract's tickets of one month, a probe's samples of one day: the digest covers the table, the block's key
and its exact bytes, so nothing is decoded and an import pays a few hundredths of a second for it). The sum
does not depend on the order the units are read in.

Because the sum is additive, units can be taken out of it: when an audited import supersedes records of an
earlier batch (--replace-period, or newer versions of tickets), it measures the rows and blocks it deletes or
rewrites, per batch, before and after, and writes the difference into its own audit entry (a rewritten block
counts as its old digest out and its new digest in). The check then expects

    sum(stored records of the batch) == sum at import − Σ sums removed by later audited imports   (per lane)

and the same for the record counts. The sums live in the audit entries, so the hash chain protects them; an
edit of a stored record (or a block) outside the app changes the left side and nothing changes the right.

The sum of digests is a tamper check against edits made by hand or by a script, not a signature: someone who
can rewrite the database and forge audit entries can also forge these sums (the chain and an anchor catch that).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np

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
    if type(value) is str:  # most fields, first (the checks below leave a str as it is)
        return value
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
    """Records given as tuples of their fields in a fixed column order: each one's digest covers the table and
    its fields as `_text` writes them, joined. The fields are written column by column (a column of text alone
    or of whole numbers alone in one step: 300,000 events' 1.5 million fields were a call each)."""
    return columns_digest(table, list(zip(*rows, strict=True)))


def columns_digest(table: str, columns: Sequence[Sequence]) -> Digest:
    """`rows_digest` of records given as their columns (each field's values, in the fixed column order)."""
    texts = [_texts(column) for column in columns]
    prefix, sha256 = f"{table}\x1e", hashlib.sha256
    return _sum([sha256((prefix + "\x1f".join(fields)).encode("utf-8")).digest()
                 for fields in zip(*texts, strict=True)])


def _texts(column: Sequence) -> Sequence[str]:
    """`_text` of every value of a column."""
    kinds = set(map(type, column))
    if kinds <= {str}:
        return column
    if kinds <= {str, type(None)}:
        return ["\x00" if value is None else value for value in column]
    if kinds <= {int}:  # not bool (True is no "1"): its type is bool
        return list(map(str, column))
    return list(map(_text, column))


def block_digest(table: str, key: object, count: int, payload: bytes) -> Digest:
    """One stored block (a contract's tickets of a month, a probe's samples of a day) as one unit: a SHA-256
    digest over its table, its key (month or probe) and its exact stored bytes, counted as its `count` records.
    A block is never read back for this, so an import of 200,000 tickets or a million samples pays a few
    hundredths of a second. When an import rewrites a block (records superseded), it measures the block before
    and after, so the difference is what it took out (see the module docstring)."""
    digest = hashlib.sha256(f"{table}\x1e{_text(key)}\x1e".encode() + bytes(payload)).digest()
    return Digest(_packed(np.frombuffer(digest, dtype="<u8")), int(count))


def blocks_digest(table: str, blocks: Iterable[tuple[object, int, Any]]) -> Digest:
    """The sum of `block_digest` over (key, count, payload) blocks, the lanes summed in one step (a million
    samples are 3,500 blocks: adding them one Digest at a time took longer than hashing them)."""
    digests, records = [], 0
    for key, count, payload in blocks:
        digest = hashlib.sha256(f"{table}\x1e{_text(key)}\x1e".encode())
        digest.update(payload)
        digests.append(digest.digest())
        records += int(count)
    return replace(_sum(digests), records=records) if digests else Digest()
