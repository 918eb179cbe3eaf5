"""The storage port of imported raw data (implemented in models/raw_repository.py as `uow.raw`).

Records cross it as the typed rows of sltdesk/domain/raw_records.py, tickets as DataFrames and samples as
arrays: no table names, no column lists, no storage encodings. The adapter writes tickets and samples as
compressed blocks and money as exact text; the core never sees either.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sltdesk.domain.raw_records import (
    BatchReach,
    BlockBytes,
    DaySamples,
    R,
    SampleBlock,
    Stored,
    StoredSampleBlock,
    StoredTicketBlock,
)

if TYPE_CHECKING:  # only annotations: a command that never touches tickets or samples loads neither
    import numpy as np
    import pandas as pd


class RawData(Protocol):
    # import batches (provenance) and remembered column mappings
    def batch_with_hash(self, *, kind: str, contract_id: int | None, sha256: str) -> dict | None: ...
    def add_batch(self, values: dict[str, Any]) -> int: ...
    def batches(self, *, contract_id: int | None = None) -> list[dict]: ...  # newest first; one contract's
    def batch(self, batch_id: int) -> dict | None: ...
    def remove_batch(self, batch_id: int) -> dict[str, int]: ...  # the batch and its records; counts by kind
    def record_counts(self) -> dict[str, int]: ...
    def batch_reach(self, *, contract_id: int) -> list[BatchReach]: ...  # batches with the contract's records
    def batch_reaches(self, *, contract_id: int | None = None) -> dict[int, list[BatchReach]]: ...  # per contract
    def profile(self, *, supplier_id: int | None, kind: str, name: str) -> dict | None: ...
    def profiles(self, *, supplier_id: int | None = None, kind: str | None = None) -> list[dict]: ...
    def save_profile(self, *, supplier_id: int | None, kind: str, name: str, options: dict, at: str) -> None: ...

    # records kept one per row: ticket events, outages, report lines, credit-note lines, maintenance windows
    def records(self, kind: type[R], *, contract_id: int, batch_id: int | None = None,
                ids: Sequence[int] | None = None) -> list[Stored[R]]: ...
    # the same records as columns (field name -> values, in the order `records` gives them): no object per row
    def record_columns(self, kind: type[R], *, contract_id: int) -> dict[str, list]: ...
    def add_records(self, kind: type[R], records: Sequence[R], *, batch_id: int, contract_id: int) -> None: ...
    def delete_records(self, kind: type[R], ids: Iterable[int]) -> None: ...
    def ticket_event_ids(self, *, contract_id: int, ticket_ids: Sequence[str]) -> list[int]: ...

    # tickets, kept in blocks of a contract's month (by when they were opened)
    def ticket_blocks(self, *, contract_id: int, months: Sequence[int] | None = None) -> list[StoredTicketBlock]: ...
    def add_tickets(self, tickets: pd.DataFrame, *, batch_id: int, contract_id: int) -> None: ...
    def rewrite_ticket_block(self, block_id: int, tickets: pd.DataFrame) -> None: ...  # none left: deleted
    def delete_ticket_blocks(self, ids: Iterable[int]) -> None: ...

    # samples, kept in blocks of a probe's UTC day
    def sample_blocks(self, *, contract_id: int, probes: Sequence[str] | None = None,
                      days: Sequence[int] | None = None) -> list[StoredSampleBlock]: ...
    def add_samples(self, blocks: Sequence[SampleBlock | DaySamples], *, batch_id: int, contract_id: int) -> None: ...
    def samples_in(self, block: SampleBlock) -> np.ndarray: ...  # an importer's block, unpacked
    def rewrite_sample_block(self, block_id: int, samples: np.ndarray) -> None: ...
    def delete_sample_blocks(self, ids: Iterable[int]) -> None: ...

    # blocks as stored bytes, for content hashes (either the batch's blocks, or these blocks)
    def ticket_block_bytes(self, *, contract_id: int, batch_id: int | None = None,
                           ids: Sequence[int] | None = None) -> list[BlockBytes]: ...
    def sample_block_bytes(self, *, contract_id: int, batch_id: int | None = None,
                           ids: Sequence[int] | None = None) -> list[BlockBytes]: ...
