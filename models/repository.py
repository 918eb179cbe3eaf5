"""Repositories and the unit of work over a SQLAlchemy session. Repositories never commit."""

from __future__ import annotations

import builtins
import dataclasses
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from sqlalchemy import CursorResult, FromClause, Table, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, Session
from sqlalchemy.orm.util import identity_key

from models.tables import (
    AuditEntryRow,
    BusinessUnitRow,
    ContingencyPlanRow,
    ContractRow,
    ContractTargetRow,
    ServiceCalendarRow,
    ServiceRow,
    SupplierContactRow,
    SupplierRow,
    Versioned,
    WorkspaceInfo,
)
from sltdesk.domain import register as reg
from sltdesk.domain.audit import AuditEntry
from sltdesk.domain.register import ENTITY_NAMES
from sltdesk.domain.serial import from_plain, to_plain
from sltdesk.errors import BusyError, NotFoundError, PermissionRefusedError, StaleRecordError


class RecordRow(Protocol):
    """What SqlRecords needs of a mapped row type: its table and an integer `id` (most are also Versioned)."""

    __tablename__: str
    __table__: ClassVar[FromClause]
    id: ClassVar[Mapped[int]]

    def __init__(self, **values: Any) -> None: ...


class VersionedRow(RecordRow, Protocol):
    """A row type that SqlRecords.update can change: a RecordRow that is also Versioned."""

    version: ClassVar[Mapped[int]]


class _RowTypes(dict[type, type[RecordRow]]):
    """The row type of every record kind. The register's are here from the start; a feature's kind (a claim, a
    rule...) registers when its tables module is imported, which the first lookup of such a kind does (see
    load_features): a command that only reads the register does not pay for loading every feature's tables."""

    def __missing__(self, kind: type) -> type[RecordRow]:
        load_features()
        if dict.__contains__(self, kind):
            return dict.__getitem__(self, kind)
        raise KeyError(kind)


def load_features() -> None:
    """Import every feature's tables and repositories (models/schema.py lists them); once per process."""
    import models.schema  # noqa: F401


ROW_TYPES: dict[type, type[RecordRow]] = _RowTypes({
    reg.BusinessUnit: BusinessUnitRow,
    reg.Service: ServiceRow,
    reg.Supplier: SupplierRow,
    reg.SupplierContact: SupplierContactRow,
    reg.ServiceCalendar: ServiceCalendarRow,
    reg.Contract: ContractRow,
    reg.ContractTarget: ContractTargetRow,
    reg.ContingencyPlan: ContingencyPlanRow,
})
_PLURALS = {"business_unit": "services", "supplier_contact": "contacts", "contract": "contracts",
            "contract_target": "contract targets", "contingency_plan": "contingency plans",
            "service": "services"}


def _to_record(kind: type, row: Any) -> Any:
    return from_plain(kind, {c.key: getattr(row, c.key) for c in row.__table__.columns})


def _column_values(record: Any) -> dict[str, Any]:
    values = to_plain(record, native=True)
    return {k: v for k, v in values.items() if not (k == "id" and v is None)}


class SqlRecords:
    """Register records of every kind, addressed by dataclass type."""

    def __init__(self, session: Session):
        self._s = session

    def get(self, kind: type, record_id: int) -> Any:
        row = self._s.get(ROW_TYPES[kind], record_id)
        return None if row is None else _to_record(kind, row)

    def list(self, kind: type, **equals: Any) -> list[Any]:
        row_type = ROW_TYPES[kind]
        query = select(row_type).order_by(row_type.id)
        for name, value in equals.items():
            query = query.where(getattr(row_type, name) == _plain(value))
        return [_to_record(kind, row) for row in self._s.scalars(query)]

    def count(self, kind: type) -> int:
        return self._s.scalar(select(func.count()).select_from(ROW_TYPES[kind])) or 0

    def add(self, record: Any) -> Any:
        row = ROW_TYPES[type(record)](**_column_values(record))
        self._s.add(row)
        self._s.flush()
        return _to_record(type(record), row)

    def add_many(self, records: Sequence[Any]) -> Sequence[Any]:
        """Store new records of one kind with one INSERT of many rows; returns them with their ids, in order (as
        `add` one by one would)."""
        if not records:
            return []
        kind = type(records[0])
        table = cast(Table, ROW_TYPES[kind].__table__)  # a declarative class's table is a Table
        values = [_column_values(record) for record in records]
        if any(type(record) is not kind or "id" in row for record, row in zip(records, values, strict=True)):
            raise ValueError("add_many stores new records (without ids) of one kind")
        ids = self._s.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).all()
        return [from_plain(kind, {**{c.key: row.get(c.key) for c in table.columns}, "id": new_id})
                for row, new_id in zip(values, ids, strict=True)]

    def update(self, record: Any) -> Any:
        """Store a record changed from its `version`; returns it at the next version. The comparison is part of
        the UPDATE (WHERE id AND version), so of two writers starting from one version only the first passes;
        the other gets StaleRecordError, saying who changed the record and when."""
        row_type = ROW_TYPES[type(record)]
        values = _column_values(record)
        values.pop("id", None)
        seen = values.pop("version")
        if not issubclass(row_type, Versioned):
            raise TypeError(f"{row_type.__tablename__} rows have no version to update from")
        # An UPDATE's result is a CursorResult (with rowcount); Session.execute is typed as returning Result.
        done = cast(CursorResult[Any], self._s.execute(
            update(row_type).where(row_type.id == record.id, row_type.version == seen)
            .values(**values, version=seen + 1)))
        if done.rowcount != 1:
            raise self._stale(type(record), row_type, record.id)
        return dataclasses.replace(record, version=seen + 1)

    def _stale(self, kind: type, row_type: type[VersionedRow], record_id: int) -> Exception:
        write_pending_audit(self._s)
        query = select(row_type).where(row_type.id == record_id).execution_options(populate_existing=True)
        row = self._s.scalars(query).first()
        entity = ENTITY_NAMES.get(kind, row_type.__tablename__)
        noun = entity.replace("_", " ").capitalize()
        if row is None:
            return NotFoundError(f"{noun} {record_id} was deleted after you opened it; refresh the list.")
        what = _what(noun, _to_record(kind, row))
        entry = self._s.scalars(select(AuditEntryRow).where(AuditEntryRow.entity == entity,
                                                            AuditEntryRow.entity_id == str(record_id))
                                .order_by(AuditEntryRow.seq.desc()).limit(1)).first()
        # The entry names who made the version stored now (entries from before versions were kept: version 1)
        after = json.loads(entry.after_json) if entry is not None and entry.after_json else {}
        if entry is None or after.get("version", 1) != row.version:
            return StaleRecordError(what, version=row.version)
        return StaleRecordError(what, changed_by=entry.os_user, changed_at=_readable(entry.at_utc),
                                version=row.version)

    def delete(self, kind: type, record_id: int) -> None:
        self._s.delete(self._s.get(ROW_TYPES[kind], record_id))
        self._s.flush()

    def references(self, kind: type, record_id: int) -> builtins.list[str]:
        """'3 contracts', '1 contingency plans'… for every table pointing at this record."""
        table = ROW_TYPES[kind].__table__
        found: builtins.list[str] = []
        load_features()  # a feature's table may point at a register record
        for row_type in ROW_TYPES.values():
            for fk in row_type.__table__.foreign_keys:
                if fk.column.table is table:
                    n = self._s.scalar(select(func.count()).where(fk.parent == record_id)) or 0
                    if n:
                        found.append(f"{n} {_PLURALS.get(row_type.__tablename__, row_type.__tablename__)}")
        return found


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


def _what(noun: str, record: Any) -> str:
    """"Contract 'NW-2025-014'", "Credit clause 12 (tiered credit)": how a refusal names the record."""
    name = getattr(record, "ref", None) or getattr(record, "name", None) or getattr(record, "title", None)
    if name:
        return f"{noun} '{name}'"
    kind = getattr(record, "kind", None)
    return f"{noun} {record.id}" + (f" ({kind})" if isinstance(kind, str) and kind else "")


def _readable(at_utc: str) -> str:
    """'2026-12-06T09:14:03.120000Z' → '2026-12-06 09:14 UTC'."""
    try:
        moment = datetime.fromisoformat(at_utc.replace("Z", "+00:00"))
    except ValueError:
        return at_utc
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


AUDIT_LOCK_KEY = 0x534C54_4175646974  # "SLT" "Audit": the PostgreSQL advisory lock every audit append takes


class SqlAudit:
    """The append-only hash chain plus its recorded head in workspace_info.

    Entries are sealed in memory (each links to the one before it, kept here) and written together, one
    INSERT of many rows and the head once, when the unit of work commits or before the trail is read: an
    import that creates two hundred records writes their two hundred entries at once. The buffer belongs to
    the session, so every repository of the unit of work (and the savepoints of a batch) shares it."""

    def __init__(self, session: Session):
        self._s = session
        self._buffer: _AuditBuffer = session.info.setdefault("audit_buffer", _AuditBuffer())

    def queue(self) -> None:
        """Wait until no other writer is between its audit append and its commit, and hold them off until ours."""
        if self._s.get_bind().dialect.name == "postgresql":
            # A transaction-scoped lock (team mode denies UPDATE on the audit tables, so no row lock is taken);
            # on SQLite, BEGIN IMMEDIATE has queued the writers already.
            self._s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})

    def last(self) -> AuditEntry | None:
        """The newest entry, read in the queue: the caller is about to seal the next one."""
        buffer = self._buffer
        if not buffer.known:
            self.queue()
            row = self._s.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).first()
            buffer.newest, buffer.known = (None if row is None else _entry(row)), True
        return buffer.newest

    def append(self, entry: AuditEntry) -> None:
        """Keep a sealed entry to write with the others (see `write`)."""
        self._buffer.pending.append(entry)
        self._buffer.newest, self._buffer.known = entry, True

    def write(self) -> None:
        """Write the entries sealed so far in one INSERT of many rows, and the recorded head once."""
        pending = self._buffer.pending
        if not pending:
            return
        self._s.execute(insert(cast(Table, AuditEntryRow.__table__)), [_row(entry) for entry in pending])
        if not self._s.info.get("team"):  # on a team database the owner's AFTER INSERT trigger keeps the head
            self._record_head(pending[-1])
        pending.clear()

    def _record_head(self, newest: AuditEntry) -> None:
        """The head in workspace_info, by a plain UPDATE of the table (every unit of work that writes runs this
        twice: the ORM's UPDATE, which evaluates its condition against the session's objects, took three times
        as long); a row the session holds as an object is expired, so it reads the table again when next used
        (after this write, or after a savepoint that rolled it back)."""
        head = {"audit_count": str(newest.seq), "audit_head": newest.hash}
        table = cast(Table, WorkspaceInfo.__table__)
        changed = 0
        for key, value in head.items():
            done = self._s.execute(update(table).where(table.c.key == key).values(value=value))
            changed += cast(CursorResult, done).rowcount
            held = self._s.identity_map.get(identity_key(WorkspaceInfo, key))
            if held is not None:
                self._s.expire(held, ["value"])
        if changed < len(head):  # the trail's first entries: the head is not recorded yet
            for key, value in head.items():
                self._s.merge(WorkspaceInfo(key=key, value=value))
            self._s.flush()

    def entries(self) -> Iterator[AuditEntry]:
        self.write()
        query = select(AuditEntryRow).order_by(AuditEntryRow.seq).execution_options(yield_per=2000)
        for row in self._s.scalars(query):
            yield _entry(row)

    def entries_of(self, entity: str, action: str) -> list[AuditEntry]:
        self.write()
        query = select(AuditEntryRow).where(AuditEntryRow.entity == entity, AuditEntryRow.action == action)
        return [_entry(row) for row in self._s.scalars(query.order_by(AuditEntryRow.seq))]

    def recent(self, limit: int) -> list[AuditEntry]:
        self.write()
        query = select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(limit)
        return [_entry(row) for row in self._s.scalars(query)]

    def recorded_head(self) -> tuple[int, str] | None:
        self.write()
        count = self._s.get(WorkspaceInfo, "audit_count")
        head = self._s.get(WorkspaceInfo, "audit_head")
        return (int(count.value), head.value) if count and head else None


class _AuditBuffer:
    """A session's sealed entries not written yet, and the newest entry of its chain (once read)."""

    def __init__(self) -> None:
        self.pending: list[AuditEntry] = []
        self.newest: AuditEntry | None = None
        self.known = False  # whether `newest` is the chain's newest entry as this transaction sees it

    def forget(self) -> None:
        """After a commit (other writers may append before our next transaction) or a rollback: nothing pending,
        and the newest entry is read again when it is needed."""
        self.pending.clear()
        self.newest, self.known = None, False


def write_pending_audit(session: Session) -> None:
    """Write the audit entries a unit of work has sealed but not written yet: before SQL that reads the trail."""
    SqlAudit(session).write()


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "at_utc": entry.at_utc, "os_user": entry.os_user, "action": entry.action,
            "entity": entry.entity, "entity_id": entry.entity_id, "before_json": _dump(entry.before),
            "after_json": _dump(entry.after), "app_version": entry.app_version, "prev_hash": entry.prev_hash,
            "hash": entry.hash, "db_user": None}


def _dump(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq, at_utc=row.at_utc, os_user=row.os_user, action=row.action, entity=row.entity,
        entity_id=row.entity_id, before=None if row.before_json is None else json.loads(row.before_json),
        after=None if row.after_json is None else json.loads(row.after_json),
        app_version=row.app_version, prev_hash=row.prev_hash, hash=row.hash)


# Feature repositories: a feature's models module adds `REPOSITORIES["name"] = Factory` and its
# services then use `uow.name`. models/schema.py imports every feature module so they register; the unit of work
# makes a repository on first use (`__getattr__`), loading the feature modules then if they are not yet.
REPOSITORIES: dict[str, Callable[[Session], Any]] = {}


def register_row_type(kind: type, row_type: type[RecordRow]) -> None:
    """Make a feature's record kind available through the generic `uow.records`."""
    ROW_TYPES[kind] = row_type


if TYPE_CHECKING:  # the feature repositories register themselves in REPOSITORIES (they import this module)
    from models.info_repository import SqlWorkspaceInfo
    from models.raw_repository import SqlRawData
    from models.tables_false_positives import SqlFlagEvidence
    from models.tables_measurement import SqlEvidence
    from models.tables_questionnaires import SqlQuestionnaires
    from models.tables_results import SqlResults


class SqlUnitOfWork:
    """One session, one transaction; rolled back unless `commit()` was called.

    Inside a batch (SqlWorkspace.batch) the unit of work is a savepoint of the batch's one transaction instead:
    its commit keeps its changes for the batch's single commit, its rollback undoes only itself."""

    # Made on first use from REPOSITORIES (__getattr__); declared so a type checker holds this class to the port.
    session: Session
    records: SqlRecords
    audit: SqlAudit
    info: SqlWorkspaceInfo
    raw: SqlRawData
    questionnaires: SqlQuestionnaires
    evidence: SqlEvidence
    flag_evidence: SqlFlagEvidence
    results: SqlResults

    def __init__(self, session_factory, *, shared: Session | None = None, reads: dict | None = None):
        self._factory = session_factory
        self._shared = shared
        self._reads = reads  # within SqlWorkspace.shared_reads: what the raw repository read, to read it once

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._shared if self._shared is not None else self._factory()
        self.records = SqlRecords(self.session)
        self.audit = SqlAudit(self.session)
        if self._shared is not None:
            self.audit.write()  # an enclosing unit of work's entries stay when this savepoint is rolled back
            self._buffer = self.session.info["audit_buffer"]
            self._savepoint = self.session.begin_nested()
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if self._shared is not None:
            self._end_savepoint()
        else:
            self.session.rollback()
            self.session.close()
        detail = busy_detail(error)
        if detail:  # rolled back above: nothing of this unit of work was saved, so it may run again
            raise BusyError(detail) from error
        refused = refusal_sentence(error)
        if refused:
            raise PermissionRefusedError(refused) from error

    def __getattr__(self, name: str) -> Any:
        """A feature repository (`uow.raw`, `uow.results`...), made on first use in this unit of work."""
        if name.startswith("_") or "session" not in self.__dict__:
            raise AttributeError(name)
        if name not in REPOSITORIES:
            load_features()
        if name not in REPOSITORIES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        repository = REPOSITORIES[name](self.session)
        if name == "raw":
            repository.shared = self._reads
        setattr(self, name, repository)
        return repository

    def commit(self) -> None:
        self.audit.write()
        if self._shared is not None:
            self._savepoint.commit()
            self._savepoint = self.session.begin_nested()  # what follows is this unit of work's again
            return
        self.session.commit()
        self.session.info["audit_buffer"].forget()

    def rollback(self) -> None:
        if self._shared is not None:  # as leaving the unit of work undoes it (what the savepoint wrote with plain
            self._end_savepoint()  # SQL, the audit head, is read again), then a savepoint for what follows
            self._savepoint = self.session.begin_nested()
            return
        self.session.rollback()
        self.session.info["audit_buffer"].forget()

    def _end_savepoint(self) -> None:
        """Undo what was not committed; the session goes on, as seen by a new unit of work (nothing cached)."""
        if self._savepoint.is_active:
            self._savepoint.rollback()
        self._buffer.forget()
        self.session.expire_all()


# SQLSTATEs after which PostgreSQL rolled the transaction back and a re-run may succeed.
# A unique violation (23505) too: the unit of work checked first, so another writer stored the same key after
# that check (read committed); run again, the check sees that record and answers in a sentence.
_PG_RETRY = {"40001": "a serialization failure", "40P01": "a deadlock", "55P03": "a lock wait timed out",
             "23505": "another writer stored the same record at the same moment"}


def refusal_sentence(error: BaseException | None) -> str:
    """The team database's refusal (SQLSTATE 42501) as one sentence naming the role needed ('' otherwise)."""
    if not isinstance(error, DBAPIError) or getattr(error.orig, "sqlstate", None) != "42501":
        return ""
    from models.team import needed_for_table

    diag = getattr(error.orig, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(error.orig)).strip()
    prefix = "permission denied for table "
    if not message.startswith(prefix):
        return message + " Nothing of this change was saved."  # one of the team triggers: a sentence already
    table = message[len(prefix):].strip().strip('"')
    return (f"The database refused this change: changing {table} {needed_for_table(table)}. Nothing of it was "
            "saved.")


def busy_detail(error: BaseException | None) -> str:
    """Why the database refused to go ahead because of another writer ('' for any other error)."""
    if not isinstance(error, DBAPIError) or error.orig is None:
        return ""
    state = getattr(error.orig, "sqlstate", None)
    if state in _PG_RETRY:
        return _PG_RETRY[state]
    name = getattr(error.orig, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(error.orig):
        return "the file stayed locked by another writer"
    return ""
