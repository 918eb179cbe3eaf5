"""What the administrator of a team database runs: `team init`, `team grant/revoke` and `upgrade`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from models.revisions import current_revisions
from models.team import (
    APP_ROLE_NAMES,
    TEAM_MARK,
    _ident,
    apply_owner_part,
    current_schema,
    identify,
    is_team,
    role_statements,
)
from models.workspace import (
    APPLICATION,
    _check_known,
    _current_revisions,
    _label,
    alembic_config,
    head_revisions,
    open_workspace,
)
from sltdesk import __version__
from sltdesk.domain.team import OWNER_ROLE, Role
from sltdesk.errors import WorkspaceError


@dataclass(frozen=True)
class TeamInit:
    location: str
    database: str
    schema: str
    converted: bool      # an existing workspace (made by `new`) became a team database
    reapplied: bool      # it was a team database already: grants and triggers applied again
    revision: str


@dataclass(frozen=True)
class Upgrade:
    location: str
    before: str
    after: str
    team: bool
    backup_path: Path | None = None


def _engine(url: str) -> tuple[Engine, str]:
    if "://" not in url:
        raise WorkspaceError("Team mode needs a PostgreSQL database URL such as postgresql+psycopg://admin@host/db; "
                             "a workspace file has no roles.")
    engine = create_engine(url, pool_pre_ping=True)
    location = engine.url.render_as_string(hide_password=True)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise WorkspaceError(f"Team mode needs PostgreSQL; {location} is {engine.dialect.name}.")
    return engine, location


def _tables(conn: Connection) -> list[str]:
    return sorted(inspect(conn).get_table_names(schema=current_schema(conn)))


def _migrate(conn: Connection) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "heads")


def init_team(url: str, *, upgrade_existing: bool = False, clock: Callable[[], datetime] | None = None) -> TeamInit:
    """Roles, the schema owned by sltdesk_owner, grants and triggers, all in one transaction."""
    engine, location = _engine(url)
    clock = clock or (lambda: datetime.now(UTC))
    try:
        try:
            with engine.connect() as conn:
                tables = set(_tables(conn))
                team = bool(tables) and "workspace_info" in tables and is_team(conn)
        except SQLAlchemyError as error:
            raise WorkspaceError(f"Cannot reach the database {location}: {error.__class__.__name__}; check the URL "
                                 "and that the server is running.") from None
        existing = bool(tables)
        if existing and not {"alembic_version", "workspace_info"} <= tables:
            raise WorkspaceError(f"The database {location} holds other tables and is not an SLT Desk workspace; "
                                 "team init needs an empty database or an SLT Desk workspace.")
        if existing and not upgrade_existing:
            what = "a team database already" if team else "an SLT Desk workspace made with `sltdesk new`"
            raise WorkspaceError(f"The database {location} is {what}; run `sltdesk team init {location} "
                                 "--upgrade-existing` to make it (again) a team database, keeping what it holds.")
        if existing:
            _check_known(_current_revisions(engine), location)
        with engine.begin() as conn:
            database = conn.execute(text("SELECT current_database()")).scalar_one()
            schema = current_schema(conn)
            for statement in role_statements(database, schema):
                conn.exec_driver_sql(statement)
            if existing:  # the administrator hands the tables (and their sequences) to the owner role
                for table in _tables(conn):
                    conn.exec_driver_sql(f"ALTER TABLE {_ident(schema)}.{_ident(table)} OWNER TO {OWNER_ROLE}")
            conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
            _migrate(conn)
            conn.exec_driver_sql(TEAM_MARK)
            facts = {} if existing else {"application": APPLICATION, "created_at": clock().astimezone(UTC).isoformat(),
                                         "created_by_version": __version__}
            for key, value in facts.items():
                conn.execute(text("INSERT INTO workspace_info (key, value) VALUES (:k, :v) "
                                  "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"), {"k": key, "v": value})
            apply_owner_part(conn, _tables(conn))
    except SQLAlchemyError as error:
        raise WorkspaceError(_admin_refusal(error, location, "team init")) from None
    finally:
        engine.dispose()
    return TeamInit(location, database, schema, converted=existing and not team, reapplied=team,
                    revision=_label(head_revisions()))


def _admin_refusal(error: SQLAlchemyError, location: str, what: str) -> str:
    detail = str(getattr(error, "orig", error)).strip().splitlines()[0]
    if getattr(getattr(error, "orig", None), "sqlstate", "") == "42501" or "must be" in detail:
        return (f"{what} on {location} needs an administrator (a superuser, or the database owner with CREATEROLE); "
                f"the database said: {detail}. Nothing was changed.")
    return f"{what} on {location} failed: {detail}. Nothing was changed."


def _normal_role(role: str) -> str:
    name = role if role.startswith("sltdesk_") else f"sltdesk_{role}"
    if name not in APP_ROLE_NAMES:
        raise WorkspaceError(f"'{role}' is not a team role; choose one of {', '.join(APP_ROLE_NAMES)}.")
    return name


def _team_engine(url: str) -> tuple[Engine, str]:
    engine, location = _engine(url)
    try:
        with engine.connect() as conn:
            if "workspace_info" not in _tables(conn) or not is_team(conn):
                raise WorkspaceError(f"{location} is not a team database; run `sltdesk team init {location}` first.")
    except SQLAlchemyError as error:
        engine.dispose()
        raise WorkspaceError(f"Cannot reach the database {location}: {error.__class__.__name__}.") from None
    except Exception:
        engine.dispose()
        raise
    return engine, location


def grant(url: str, user: str, role: str) -> tuple[str, bool]:
    """Make USER a member of ROLE; a login role is created (without a password) when USER does not exist.
    Returns the role's full name and whether the login was created."""
    name = _normal_role(role)
    engine, location = _team_engine(url)
    try:
        with engine.begin() as conn:
            created = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": user}).first() is None
            if created:
                conn.exec_driver_sql(f"CREATE ROLE {_ident(user)} LOGIN")
            conn.exec_driver_sql(f"GRANT {name} TO {_ident(user)}")
    except SQLAlchemyError as error:
        raise WorkspaceError(_admin_refusal(error, location, "team grant")) from None
    finally:
        engine.dispose()
    return name, created


def revoke(url: str, user: str, role: str) -> str:
    name = _normal_role(role)
    engine, location = _team_engine(url)
    try:
        with engine.begin() as conn:
            if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": user}).first() is None:
                raise WorkspaceError(f"There is no database user {user}.")
            conn.exec_driver_sql(f"REVOKE {name} FROM {_ident(user)}")
    except SQLAlchemyError as error:
        raise WorkspaceError(_admin_refusal(error, location, "team revoke")) from None
    finally:
        engine.dispose()
    return name


def members(url: str) -> list[tuple[str, str]]:
    """(user, role) for every login holding one of the app's roles directly."""
    engine, _location = _team_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT m.rolname, r.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid "
                "JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ANY(:roles) AND m.rolcanlogin "
                "ORDER BY m.rolname, r.rolname"), {"roles": list(APP_ROLE_NAMES)}).all()
    finally:
        engine.dispose()
    return [(user, role) for user, role in rows]


def upgrade(target: str) -> Upgrade:
    """Run the migrations: a file upgrades as it opens (after a backup copy); a team database as sltdesk_owner,
    with its grants and triggers applied again, by its administrator only."""
    if "://" not in target:
        ws = open_workspace(Path(target).expanduser().resolve())
        try:
            after = ws.schema_revision()  # an older file was upgraded as it opened, after a backup copy of it
            was = _label(_revisions_of_file(ws.backup_path)) if ws.backup_path else after
            return Upgrade(ws.location, was, after, team=False, backup_path=ws.backup_path)
        finally:
            ws.close()
    engine = create_engine(target, pool_pre_ping=True)
    location = engine.url.render_as_string(hide_password=True)
    try:
        try:
            with engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
                if not {"alembic_version", "workspace_info"} <= tables:
                    raise WorkspaceError(f"The database {location} is not an SLT Desk workspace.")
                team = is_team(conn)
                who = identify(conn) if team else None
        except SQLAlchemyError as error:
            raise WorkspaceError(f"Cannot reach the database {location}: {error.__class__.__name__}.") from None
        before = _current_revisions(engine)
        _check_known(before, location)
        if who is not None and who.role is not Role.ADMINISTRATOR:
            raise WorkspaceError(f"Only the administrator (a member of {OWNER_ROLE}) may upgrade {location}; "
                                 f"{who.user} has {who.role.value}.")
        with engine.begin() as conn:
            if team:
                conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
            _migrate(conn)
            if team:
                apply_owner_part(conn, _tables(conn))
        return Upgrade(location, _label(before), _label(_current_revisions(engine)), team=team)
    except SQLAlchemyError as error:
        raise WorkspaceError(_admin_refusal(error, location, "upgrade")) from None
    finally:
        engine.dispose()


def _revisions_of_file(path: Path) -> frozenset[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return current_revisions(engine)
    finally:
        engine.dispose()
