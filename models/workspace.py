"""Opening, creating and upgrading a workspace (a SQLite file or a database URL)."""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import sqlite3
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from models.revisions import VERSION_TABLE, current_revisions, head_revisions, known_revisions, sqlite_revisions
from sltdesk import __version__
from sltdesk.domain.team import Permission, Role, allows
from sltdesk.errors import (
    DiskFullError,
    ReadOnlyWorkspaceError,
    UpgradeNeededError,
    WorkspaceError,
    disk_full_sentence,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import sessionmaker

    from models.repository import SqlUnitOfWork

# The ORM (sqlalchemy.orm, the mapped classes, the unit of work) is imported with the first unit of work: a command
# that only lists the register reads it with Core alone (read_records) and never loads it. A workspace file that is
# up to date opens without SQLAlchemy at all: its revisions are read on a sqlite3 connection, and the engine is made
# when first used; a command that only lists the register reads it on a sqlite3 connection and never makes one.

APPLICATION = "SLT Desk"
SQLITE_MAGIC = b"SQLite format 3\x00"
_MAGICS = {b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive or an Office document",
           b"\xd0\xcf\x11\xe0": "an old Office document", b"{": "a JSON or text file"}


log = logging.getLogger("sltdesk.workspace")


def alembic_config() -> Config:
    """Alembic's configuration, loaded only to upgrade: an up-to-date workspace opens without Alembic."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "models:migrations")
    return config


def _label(revisions: frozenset[str]) -> str:
    return "+".join(sorted(revisions))


class SqlWorkspace:
    """An open workspace: engine, sessions, who works in it and what time it is."""

    def __init__(self, engine: Engine | Callable[[], Engine], location: str, *, user: str,
                 clock: Callable[[], datetime], role: Role = Role.SOLO):
        """`engine` is the engine, or for a workspace file how to make it when first used."""
        self._engine: Engine | None = None if callable(engine) else engine
        self._make_engine = engine if callable(engine) else None
        self._making = threading.Lock()  # the engine and the session factory are made once, whichever thread asks
        self.location = location
        self.user = user
        self.role = role  # SOLO unless a team database: then the database user's highest SLT Desk role
        self._clock = clock
        # The session knows a team database: there the audit head is kept by the owner's trigger, not the app.
        self._session_factory: sessionmaker | None = None  # made with the first unit of work (_sessions)
        self.backup_path: Path | None = None
        self.read_only = False
        self._batch = threading.local()  # the session of this thread's batch, while one is open
        self._shared = threading.local()  # what this thread's units of work read, within shared_reads()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._making:
                if self._engine is None:  # another thread may have made it meanwhile
                    assert self._make_engine is not None
                    self._engine = self._make_engine()
        return self._engine

    @property
    def team(self) -> bool:
        return self.role is not Role.SOLO

    def allows(self, permission: Permission) -> bool:
        """Whether this user may do it here (a read-only file allows reading only)."""
        if self.read_only:
            return permission is Permission.READ
        return allows(self.role, permission)

    @property
    def _sessions(self) -> sessionmaker:
        if self._session_factory is None:
            from sqlalchemy.orm import sessionmaker

            import models.info_repository  # noqa: F401  (uow.info; the other features load on first use)

            engine = self.engine
            with self._making:
                if self._session_factory is None:
                    self._session_factory = sessionmaker(engine, expire_on_commit=False, info={"team": self.team})
        return self._session_factory

    def unit_of_work(self) -> SqlUnitOfWork:
        from models.repository import SqlUnitOfWork

        return SqlUnitOfWork(self._sessions, shared=getattr(self._batch, "session", None),
                             reads=getattr(self._shared, "reads", None))

    def read_records(self, *kinds: type) -> dict[type, list]:
        """Every record of these register kinds (Supplier, Contract...), by id, read in one transaction with
        SQLAlchemy Core alone: for a command that only lists them (models/register_reads.py)."""
        from models.register_reads import read_records

        session = getattr(self._batch, "session", None)
        if session is not None:  # inside this thread's batch: in its transaction, which sees what it wrote
            return read_records(session.connection(), kinds)
        if self._engine is None:  # a file nothing has needed the engine for yet: sqlite3 alone
            from models.register_reads import read_sqlite_records

            plain = _plain_connection(Path(self.location), read_only=self.read_only)
            try:
                plain.execute("BEGIN")  # one snapshot for every table
                return read_sqlite_records(plain, kinds)
            except sqlite3.DatabaseError as error:
                raise _read_failure(error, Path(self.location)) from None
            finally:
                plain.close()
        with self.engine.connect() as connection, connection.begin():
            return read_records(connection, kinds)

    @contextmanager
    def shared_reads(self) -> Iterator[None]:
        """The units of work this thread opens inside share the raw record columns and ticket blocks they read (a
        pack reads a contract's tickets and ticket events for its figures, their evidence and its leading
        indicators): each contract's and kind's once. For reads only: a write inside would not be seen by a later
        read of the same records."""
        if getattr(self._shared, "reads", None) is not None:  # inside one already: part of that one
            yield
            return
        self._shared.reads = {}
        try:
            yield
        finally:
            self._shared.reads = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every unit of work this thread opens inside shares one transaction, committed once at the end, or
        rolled back whole when an exception leaves the block. Each unit of work is a savepoint of it (its own
        rollback undoes only itself). A file commits with synchronous=FULL, so each commit waits for the disk:
        hundreds of small ones (the demo) cost far more wall time than CPU time. Other threads are not in it."""
        if getattr(self._batch, "session", None) is not None:  # inside a batch already: part of that one
            yield
            return
        from models.repository import write_pending_audit

        session = self._sessions()
        self._batch.session = session
        try:
            yield
            write_pending_audit(session)
            session.commit()
        finally:
            self._batch.session = None
            session.rollback()  # nothing, after a commit
            session.close()

    def now(self) -> datetime:
        return self._clock()

    def reader(self) -> Callable[[], SqlWorkspace] | None:
        """How another process opens this workspace read-only, to measure results beside this one (a picklable
        call); None where it could not see what this one sees: a database URL (its password is not kept), a
        workspace open read-only, or inside a batch whose writes are not committed yet."""
        if "://" in self.location or self.read_only or getattr(self._batch, "session", None) is not None:
            return None
        return partial(open_workspace, self.location, user=self.user, read_only=True)

    def release_connections(self) -> None:
        """Close the pooled connections (they reopen on the next unit of work): before a fork, so that no SQLite
        connection, nor SQLite's per-file lock bookkeeping, is inherited by the child."""
        with self._making:
            if self._engine is not None:
                self._engine.dispose()

    def schema_revision(self) -> str:
        """The revision(s) the workspace is at, e.g. '0002' or '0003a+0003b'."""
        return _label(_current_revisions(self.engine))

    def close(self) -> None:
        with self._making:
            if self._engine is not None:
                self._engine.dispose()


def open_workspace(target: str | Path, *, create: bool = False, user: str | None = None,
                   clock: Callable[[], datetime] | None = None, read_only: bool | None = None) -> SqlWorkspace:
    """Open (or with `create`, make) a workspace, upgrading its schema after a backup copy; logged.

    A file this process may not write (or `read_only=True`) opens read-only: nothing is upgraded or
    backed up, and every write is refused with a sentence."""
    started = time.perf_counter()
    try:
        workspace = _open(target, create=create, user=user, clock=clock, read_only=read_only)
    except Exception as error:
        log.info("workspace %s not opened (%.2f s): %s", _shown(target), time.perf_counter() - started, error)
        raise
    how = "created" if create else "opened read-only" if workspace.read_only else "opened"
    upgraded = f"; upgraded, the old file kept as {workspace.backup_path.name}" if workspace.backup_path else ""
    log.info("workspace %s: %s as %s (%s) in %.2f s%s", how, workspace.location, workspace.user,
             workspace.role.value, time.perf_counter() - started, upgraded)
    return workspace


def _shown(target: str | Path) -> str:
    """The workspace as the log may name it: a database URL without its password."""
    text = str(target)
    if "://" not in text:
        return text
    from sqlalchemy.engine import make_url

    try:
        return make_url(text).render_as_string(hide_password=True)
    except Exception:  # not even a URL: name its scheme only
        return text.split("://", 1)[0] + "://…"


def _open(target: str | Path, *, create: bool, user: str | None, clock: Callable[[], datetime] | None,
          read_only: bool | None) -> SqlWorkspace:
    user = user or _os_user()
    clock = clock or (lambda: datetime.now(UTC))
    text = str(target)
    if "://" in text:
        from sqlalchemy import create_engine

        engine = create_engine(text, pool_pre_ping=True)
        location = engine.url.render_as_string(hide_password=True)
        try:
            identity = _prepare_url_database(engine, location, clock, create=create)
        except Exception:
            engine.dispose()
            raise
        if identity is None:
            return SqlWorkspace(engine, location, user=user, clock=clock)
        # On a team database you are who the database says you are: the login, not the OS account.
        return SqlWorkspace(engine, location, user=identity.user, clock=clock, role=identity.role)
    path = Path(text).expanduser().resolve()
    if create:
        if path.exists():
            raise WorkspaceError(f"{path} already exists; choose another name or open it instead.")
        if not path.parent.is_dir():
            raise WorkspaceError(f"The folder {path.parent} does not exist; create it first.")
    else:
        _probe_sqlite_file(path)
        if read_only or (read_only is None and not _writable(path)):
            return _open_read_only(path, user, clock)
    workspace = SqlWorkspace(partial(_file_engine, path), str(path), user=user, clock=clock)
    try:
        if create:
            _create_at_head(workspace.engine, clock)
        else:
            workspace.backup_path = _upgrade_existing_file(workspace, path, clock)
    except Exception as error:
        workspace.close()
        if not create and read_only is None and _database_error(error) and _cannot_write(error):
            return _open_read_only(path, user, clock)  # e.g. a read-only mount os.access missed
        if isinstance(error, sqlite3.DatabaseError):  # read on sqlite3 (the revisions): said as the probe says it
            raise _read_failure(error, path) from None
        raise
    return workspace


def _file_engine(path: Path) -> Engine:
    """A writable workspace file's engine (made when first used)."""
    engine = _sqlite_engine(path)
    _say_what_went_wrong(engine, path, read_only=False)
    return engine


def _database_error(error: BaseException) -> bool:
    """The database refused (sqlite3's own error, or SQLAlchemy's around one), not our code."""
    if isinstance(error, sqlite3.Error):
        return True
    exc = sys.modules.get("sqlalchemy.exc")  # SQLAlchemy is not imported for a file that is up to date
    return exc is not None and isinstance(error, exc.SQLAlchemyError)


def _writable(path: Path) -> bool:
    """Whether this process may change the file (SQLite also writes its -wal and -shm beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _cannot_write(error: BaseException) -> bool:
    text = str(getattr(error, "orig", error)).lower()
    return "readonly database" in text or "unable to open database file" in text


def _open_read_only(path: Path, user: str, clock: Callable[[], datetime]) -> SqlWorkspace:
    """The file as it is, read-only: no upgrade, no backup, no -wal or -shm created when none exists."""
    connection = _plain_connection(path, read_only=True)
    try:
        revisions = sqlite_revisions(connection)
    except sqlite3.Error as error:
        raise _read_failure(error, path) from None
    finally:
        connection.close()
    _check_known(revisions, path.name)
    if revisions != head_revisions():
        raise WorkspaceError(f"{path.name} is read-only here and needs an upgrade (schema {_label(revisions)}, "
                             f"this version uses {_label(head_revisions())}); copy it to a folder you may "
                             "write to and open the copy.")
    workspace = SqlWorkspace(partial(_read_only_engine, path), str(path), user=user, clock=clock)
    workspace.read_only = True
    return workspace


def _read_uri(path: Path) -> str:
    """The file read-only: with no -wal beside it, immutable (SQLite creates no -wal or -shm then)."""
    has_wal = Path(f"{path}-wal").exists()
    return f"{path.as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")


def _plain_connection(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A sqlite3 connection to the file, with the engine's busy timeout (`timeout` sets it); autocommit (the caller
    BEGINs)."""
    if read_only:
        return sqlite3.connect(_read_uri(path), uri=True, timeout=10, isolation_level=None)
    return sqlite3.connect(path, timeout=10, isolation_level=None)


def _read_failure(error: sqlite3.Error, path: Path) -> Exception:
    """What a failed read on a sqlite3 connection is called (the probe's, or the engine's handler's words)."""
    if _disk_full(error, path):
        return DiskFullError(disk_full_sentence(path))
    if isinstance(error, sqlite3.OperationalError):  # the disk or the system said no: not the file's fault
        return WorkspaceError(f"{path.name} cannot be read here ({error}); check the disk and the file's "
                              "permissions, then try again.")
    return WorkspaceError(f"{path.name} is damaged or not a workspace ({error}).")


def _read_only_engine(path: Path) -> Engine:
    """A read-only workspace file's engine (made when first used)."""
    from sqlalchemy import create_engine, event

    uri = _read_uri(path)
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False,
                                                                        timeout=10))

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        for pragma in ("foreign_keys=ON", "query_only=ON", "busy_timeout=10000"):
            dbapi_connection.execute(f"PRAGMA {pragma}")
        dbapi_connection.isolation_level = None  # we BEGIN ourselves (below), as for a writable file

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # a unit of work reads one snapshot (WAL): without it every query would see whatever was committed at that
        # moment, and a worker measuring beside a writer could mix a target read before a write with a mark after
        conn.exec_driver_sql("BEGIN")

    _say_what_went_wrong(engine, path, read_only=True)
    return engine


def _say_what_went_wrong(engine: Engine, path: Path, *, read_only: bool) -> None:
    """A full disk or a refused write becomes a sentence; SQLite rolls the transaction back either way."""
    from sqlalchemy import event

    @event.listens_for(engine, "handle_error")
    def _sentence(context):
        if _disk_full(context.original_exception, path):
            raise DiskFullError(disk_full_sentence(path)) from None
        text = str(context.original_exception).lower()
        if read_only and ("readonly database" in text or "query_only" in text):
            raise ReadOnlyWorkspaceError(f"{path.name} is open read-only (the file or its folder may not be "
                                         "written here); nothing was changed.") from None


def _os_user() -> str:
    """Who works in the workspace: the OS user, or SLTDESK_USER on a machine people share."""
    import os

    if os.environ.get("SLTDESK_USER"):
        return os.environ["SLTDESK_USER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# Every writable connection to a workspace file: the engine's, and the check of its revisions on opening.
PRAGMAS = ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000")


def _read_only_refusal(error: BaseException) -> bool:
    """SQLite refused a write lock because the file may only be read ("attempt to write a readonly database")."""
    return "readonly" in str(error).replace("-", "").replace(" ", "")


def _sqlite_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import OperationalError

    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False, "timeout": 10})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()
        # pysqlite would BEGIN only before the first INSERT/UPDATE, so reads ran outside the transaction and
        # two writers could both compute the same next id or audit number; we emit BEGIN ourselves (below).
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn):
        # SQLAlchemy's documented pysqlite recipe, with IMMEDIATE: a transaction takes the write lock as it
        # starts (waiting up to busy_timeout), so writers queue instead of failing mid-way on a stale snapshot.
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except OperationalError as error:
            if not _read_only_refusal(error):
                raise
            conn.exec_driver_sql("BEGIN")  # a read-only file: it can only be read, and reads need no lock

    return engine


def _probe_sqlite_file(path: Path) -> None:
    """Refuse anything that is not a workspace, without writing a byte to it."""
    if not path.exists():
        raise WorkspaceError(f"{path} does not exist; check the path, or create a new workspace with "
                             f"`sltdesk new {path.name}`.")
    if not path.is_file():
        raise WorkspaceError(f"{path} is a folder, not a workspace file.")
    size = path.stat().st_size
    if size == 0:
        raise WorkspaceError(f"{path.name} is an empty file, not an SLT Desk workspace.")
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header.startswith(SQLITE_MAGIC):
        kind = next((what for magic, what in _MAGICS.items() if header.startswith(magic)), "some other file")
        raise WorkspaceError(f"{path.name} is not an SLT Desk workspace: it looks like {kind}.")
    if len(header) < 100:
        raise WorkspaceError(f"{path.name} is truncated: it is too short to be a workspace.")
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", header[28:32])[0]
    if size < page_size * pages:
        raise WorkspaceError(f"{path.name} is truncated ({size:,} of {page_size * pages:,} bytes); "
                             "open a backup copy instead.")
    tables = _read_only_tables(path)
    if "alembic_version" not in tables or "workspace_info" not in tables:
        raise WorkspaceError(f"{path.name} is a SQLite database but not an SLT Desk workspace.")


def _read_only_tables(path: Path) -> set[str]:
    # immutable=1 guarantees no -wal/-shm is created; with a -wal beside it, plain read-only mode.
    try:
        conn = sqlite3.connect(_read_uri(path), uri=True)
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise _read_failure(error, path) from None
    return {name for (name,) in rows}


def _disk_full(error: BaseException, path: Path) -> bool:
    """SQLite says "database or disk is full"; a failed write of its -shm or -wal on a full disk may only
    say "disk I/O error", so then the free space decides."""
    text = str(error).lower()
    if "database or disk is full" in text or "no space left" in text:
        return True
    if "disk i/o error" not in text:
        return False
    try:
        return shutil.disk_usage(path.parent).free < _NEARLY_FULL
    except OSError:
        return False


_NEARLY_FULL = 1 << 20


def _current_revisions(engine: Engine) -> frozenset[str]:
    return current_revisions(engine)


def _check_known(revisions: frozenset[str], location: str) -> None:
    unknown = revisions - known_revisions()
    if unknown:
        raise WorkspaceError(f"{location} was written by a newer version of SLT Desk (schema {_label(unknown)}); "
                             f"this is version {__version__}: install the newer version to open it.")


def _create_at_head(engine: Engine, clock: Callable[[], datetime]) -> None:
    """A new workspace: every table as the models declare it, the version table at the head revision(s) and the
    workspace's facts, in one transaction. The migrations from an empty database give exactly these tables (a test
    compares the two on each backend); creating them directly spares loading Alembic and its scripts and running
    every migration in turn (0.9 s of a new workspace's first second, and 0.2 s of each one after it). The
    database is known to hold no tables, so none is looked for first (on PostgreSQL that look would also see a
    table of another schema on the search path)."""
    from sqlalchemy import insert

    import models.schema  # noqa: F401  (every feature's tables)
    from models.tables import Base, WorkspaceInfo

    created = clock().astimezone(UTC).isoformat()
    with engine.begin() as conn:
        Base.metadata.create_all(conn, checkfirst=False)
        versions = alembic_version_table()
        versions.create(conn, checkfirst=False)
        conn.execute(versions.insert(), [{"version_num": revision} for revision in sorted(head_revisions())])
        conn.execute(insert(WorkspaceInfo), [
            {"key": key, "value": value} for key, value in (
                ("application", APPLICATION), ("created_at", created), ("created_by_version", __version__))])


def alembic_version_table():
    """Alembic's version table, as Alembic itself creates it (a later upgrade reads and moves it)."""
    from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table

    return Table(VERSION_TABLE, MetaData(), Column("version_num", String(32), nullable=False),
                 PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"))


def _upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")


def _upgrade_existing_file(workspace: SqlWorkspace, path: Path, clock: Callable[[], datetime]) -> Path | None:
    revisions = _writable_file_revisions(path)
    _check_known(revisions, path.name)
    if revisions == head_revisions():
        return None
    stamp = clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.bak-{stamp}")
    _backup_sqlite(path, backup)
    _upgrade(workspace.engine)
    return backup


def _writable_file_revisions(path: Path) -> frozenset[str]:
    """The file's revisions, read as the engine's first connection would: its pragmas, then a transaction that
    takes the write lock (a file SQLite may not write refuses here, and the workspace opens read-only)."""
    connection = _plain_connection(path, read_only=False)
    try:
        for pragma in PRAGMAS:
            connection.execute(f"PRAGMA {pragma}")
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # as the engine's BEGIN does (_sqlite_engine)
            if not _read_only_refusal(error):
                raise
            connection.execute("BEGIN")
        try:
            return sqlite_revisions(connection)
        finally:
            connection.execute("ROLLBACK")
    except sqlite3.Error as error:
        if _disk_full(error, path):
            raise DiskFullError(disk_full_sentence(path)) from None
        raise
    finally:
        connection.close()


def _backup_sqlite(path: Path, backup: Path) -> None:
    """A consistent copy through SQLite's backup API (includes anything still in the WAL)."""
    source = sqlite3.connect(path)
    target = sqlite3.connect(backup)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    shutil.copymode(path, backup)


def _prepare_url_database(engine: Engine, location: str, clock: Callable[[], datetime], *, create: bool):
    """A new workspace goes only into a database that holds no tables; an existing one is opened (and
    upgraded) only when it is one. Opening never creates tables: an empty database is not a workspace.

    Returns who is connected when the database is a team database (None otherwise). A team database behind
    this version's schema is not upgraded here: its administrator runs `sltdesk upgrade`."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    try:
        tables = set(inspect(engine).get_table_names())
    except SQLAlchemyError as error:
        if "permission denied for database" in str(getattr(error, "orig", error)):
            user = engine.url.username or "this user"
            raise WorkspaceError(f"{user} may not connect to the team database {location}: ask the administrator "
                                 f"to run `sltdesk team grant {user} sltdesk_viewer` (or editor, approver).") from None
        raise WorkspaceError(f"Cannot reach the workspace database {location}: {error.__class__.__name__}; "
                             "check the URL and that the server is running.") from None
    if create:
        if tables:
            raise WorkspaceError(f"The database {location} already holds tables; a new workspace needs an empty "
                                 "database (or open the workspace it holds).")
        _create_at_head(engine, clock)
        return
    if not tables:
        raise WorkspaceError(f"The database {location} holds no tables: it is not an SLT Desk workspace yet. "
                             f"Create one with `sltdesk new {location}`.")
    if "alembic_version" not in tables or "workspace_info" not in tables:
        raise WorkspaceError(f"The database {location} holds other tables and is not an SLT Desk workspace.")
    revisions = _current_revisions(engine)
    _check_known(revisions, location)
    from models.team import identify, is_team

    with engine.connect() as conn:
        identity = identify(conn) if is_team(conn) else None
    if revisions != head_revisions():
        if identity is not None:
            raise UpgradeNeededError(
                f"This workspace needs an upgrade: ask the administrator to run `sltdesk upgrade {location}` "
                f"(it is at schema {_label(revisions)}; this version of SLT Desk uses {_label(head_revisions())}).")
        _upgrade(engine)  # a server database is backed up by its administrator, not by us
    if identity is not None and identity.role is Role.SOLO:
        raise WorkspaceError(f"{identity.user} has no SLT Desk role in the team database {location}: ask the "
                             f"administrator to run `sltdesk team grant {identity.user} sltdesk_viewer` (or "
                             "sltdesk_editor, sltdesk_approver).")
    return identity


def save_copy(workspace: SqlWorkspace, destination: str | Path) -> Path:
    """Write a consistent copy of a SQLite workspace to another file (File → Save a copy…)."""
    if "://" in workspace.location:
        raise WorkspaceError("Only a workspace file can be saved as a copy; ask the database administrator "
                             "for a copy of a server database.")
    target = Path(destination).expanduser().resolve()
    if target == Path(workspace.location):
        raise WorkspaceError("Choose a different file name for the copy.")
    if target.exists():
        target.unlink()
    _backup_sqlite(Path(workspace.location), target)
    return target
