"""What the services need from storage: a workspace, units of work, repositories."""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:  # annotations only: a command that reads the register does not import every feature's domain
    from sltdesk.domain.audit import AuditEntry
    from sltdesk.domain.results import StoredResult
    from sltdesk.services.questionnaire_ports import QuestionnaireRepository
    from sltdesk.services.raw_ports import RawData

R = TypeVar("R")


class RecordRepository(Protocol):
    """Register records of every kind, addressed by their dataclass type."""

    def get(self, kind: type[R], record_id: int) -> R | None: ...
    def list(self, kind: type[R], **equals: Any) -> builtins.list[R]: ...  # `list` is this method here
    def count(self, kind: type) -> int: ...
    def add(self, record: R) -> R: ...
    def add_many(self, records: Sequence[R]) -> Sequence[R]: ...  # new records of one kind, one INSERT; with ids
    def update(self, record: R) -> R: ...  # at its next version; StaleRecordError if it moved on
    def delete(self, kind: type, record_id: int) -> None: ...
    def references(self, kind: type, record_id: int) -> builtins.list[str]: ...


class AuditRepository(Protocol):
    """The append-only hash chain."""

    def queue(self) -> None: ...  # wait for the writers before us; hold later ones off until commit
    def last(self) -> AuditEntry | None: ...  # read in the queue
    def append(self, entry: AuditEntry) -> None: ...
    def entries(self) -> Iterator[AuditEntry]: ...
    def entries_of(self, entity: str, action: str) -> list[AuditEntry]: ...  # oldest first
    def recent(self, limit: int) -> list[AuditEntry]: ...
    def recorded_head(self) -> tuple[int, str] | None: ...


class InfoRepository(Protocol):
    """Workspace facts kept as key/value text (e.g. the demo's reference date)."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class EvidenceRepository(Protocol):
    """Files kept as evidence of a force-majeure exception or a false positive (their bytes, in the workspace)."""

    def add(self, *, exception_id: int, file_name: str, sha256: str, content: bytes, added_by: str,
            added_at: str) -> int: ...
    def listing(self, exception_id: int) -> list[dict]: ...  # id, file_name, sha256, size
    def content(self, evidence_id: int) -> bytes | None: ...


class ResultStore(Protocol):
    """Each target's figure for a period, kept under the fingerprint of its inputs (services/result_cache.py)."""

    def stored(self, *, contract_id: int, periods: Sequence[str]) -> list[StoredResult]: ...
    def stored_by_contract(self, *, periods: Sequence[str]) -> dict[int, list[StoredResult]]: ...  # every contract's
    def fingerprints(self, *, contract_id: int) -> dict[tuple[int, str], str]: ...
    def put(self, *, contract_id: int, results: Sequence[StoredResult], at: str) -> None: ...
    def count(self) -> int: ...


class UnitOfWork(Protocol):
    """One user action: `with ws.unit_of_work() as uow: ...; uow.commit()`. Every repository the services use
    is listed here (the storage adapter provides them all, models/repository.py and its REPOSITORIES)."""

    # Read-only members (properties): an adapter may hold a subtype of each, e.g. its SQL audit repository.
    @property
    def records(self) -> RecordRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def info(self) -> InfoRepository: ...
    @property
    def raw(self) -> RawData: ...  # imported vendor data (sltdesk/services/raw_ports.py)
    @property
    def questionnaires(self) -> QuestionnaireRepository: ...  # templates and assessments (questionnaire_ports.py)
    @property
    def evidence(self) -> EvidenceRepository: ...
    @property
    def flag_evidence(self) -> EvidenceRepository: ...  # evidence files of false-positive flags
    @property
    def results(self) -> ResultStore: ...  # stored results (models/tables_results.py)

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None, /) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class Workspace(Protocol):
    """An open workspace: where it is, who works in it, and how to start a unit of work."""

    location: str
    user: str

    def unit_of_work(self) -> UnitOfWork: ...
    # every record of these register kinds, by id, in one read: for a view that only lists them (imports no ORM)
    def read_records(self, *kinds: type) -> dict[type, builtins.list]: ...
    # `with ws.batch():` the units of work inside share one transaction, committed once (each is a savepoint)
    def batch(self) -> AbstractContextManager[None]: ...
    # `with ws.shared_reads():` a read of many parts (a pack) reads a contract's raw records of a kind once: the
    # units of work this thread opens inside share what they read (nothing is written meanwhile: it is a read)
    def shared_reads(self) -> AbstractContextManager[None]: ...
    def now(self) -> datetime: ...
    def schema_revision(self) -> str: ...
