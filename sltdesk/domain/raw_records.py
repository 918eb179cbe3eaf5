"""Imported raw records as they cross the storage port (services <-> models/raw_repository.py).

Row kinds are NamedTuples: typed fields, and still tuples, so a record's fields in their declared order are
what its content hash covers (sltdesk/rules/content_hash.py) and a hundred thousand of them stay cheap.
Money is Decimal here; the storage adapter decides how to write it. Tickets and samples are kept in blocks
(tickets: a contract's month, as a DataFrame; samples: a probe's UTC day, as a structured array); how a
block is written down is the adapter's business, and the core only ever holds its bytes to hash them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar


class RawTicketEvent(NamedTuple):
    ticket_id: str
    state: str
    changed_at: int  # UTC epoch seconds
    source_row: int
    assignee: str | None


class RawOutage(NamedTuple):
    outage_id: str | None
    service: str | None
    start_at: int
    end_at: int
    impact_percent: float | None
    planned: bool | None
    note: str | None
    source_row: int


class RawReportLine(NamedTuple):
    """A line of the vendor's own attainment report."""

    target_name: str
    period: str | None
    target_value: Decimal | None
    achieved: Decimal
    met: bool | None
    source_row: int


class RawCreditNoteLine(NamedTuple):
    document_id: str | None
    period: str | None
    line: str | None
    description: str | None
    amount: Decimal
    currency: str | None
    source_row: int


class RawMaintenanceWindow(NamedTuple):
    start_at: int
    end_at: int
    service: str | None
    reference: str | None
    notified_at: int | None
    source_row: int | None


RawRecord = RawTicketEvent | RawOutage | RawReportLine | RawCreditNoteLine | RawMaintenanceWindow
R = TypeVar("R", RawTicketEvent, RawOutage, RawReportLine, RawCreditNoteLine, RawMaintenanceWindow)


class Stored(NamedTuple, Generic[R]):
    """A stored record with its row id and the import batch that brought it."""

    id: int
    batch_id: int
    record: R


class SampleBlock(NamedTuple):
    """A probe's samples of one UTC day in their stored form, as the importer makes them (in its reader
    process, beside the validation): `payload` is opaque to the core, which only counts and hashes it."""

    probe: str
    day: int  # days since 1970-01-01 (UTC)
    first_at: int
    last_at: int
    count: int  # type: ignore[assignment]  # the stored column's name; shadows tuple.count, which is never used
    payload: bytes


class DaySamples(NamedTuple):
    """A probe's samples of one UTC day as an array (sltdesk.rules.sample_blocks.DTYPE), still to be stored."""

    probe: str
    day: int
    samples: Any  # numpy structured array


class StoredTicketBlock(NamedTuple):
    """A contract's stored tickets opened in one UTC month (yyyymm), read back as a DataFrame."""

    id: int
    batch_id: int
    month: int
    tickets: Any  # pandas.DataFrame, one row per ticket


class StoredSampleBlock(NamedTuple):
    """A probe's stored samples of one UTC day, read back as a structured array."""

    id: int
    batch_id: int
    probe: str
    day: int
    samples: Any  # numpy structured array (sltdesk.rules.sample_blocks.DTYPE)


class BlockBytes(NamedTuple):
    """A stored block as bytes, for its content hash: the batch, its key (month or probe) and its record count."""

    batch_id: int
    key: int | str
    count: int  # type: ignore[assignment]  # the stored column's name; shadows tuple.count, which is never used
    payload: bytes


@dataclass(frozen=True)
class BatchReach:
    """What a batch contributes to a fingerprint: which batch, its content, and the time its records cover."""

    batch_id: int
    kind: str
    sha256: str
    records: int
    first: int | None  # None: unknown or unbounded
    last: int | None
    imported_at: str = ""  # with the id: one import, even where a file was imported twice with other options
    stored_bytes: int = 0  # the size of its compressed blocks (tickets, samples): a block rewritten or damaged
    #                        outside the app changes it, so a result stored before is not used
