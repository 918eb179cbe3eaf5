"""Team mode on PostgreSQL: roles, grants, and the triggers that keep the audit trail append-only.

`sltdesk team init` runs, in one transaction: `role_statements` as the administrator who connects, then
`SET LOCAL ROLE sltdesk_owner`, the migrations, `grant_statements` and `trigger_statements`. `sltdesk upgrade`
runs the last three again. The README quotes `team_sql()`; a test keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from sltdesk.domain.team import OWNER_ROLE, Role

TEAM_KEY = "team_mode"
VIEWER, EDITOR, APPROVER = Role.VIEWER.value, Role.EDITOR.value, Role.APPROVER.value
APP_ROLE_NAMES = (VIEWER, EDITOR, APPROVER)

# Who writes what. Every table may be read by a viewer; an editor writes the working tables; the approver
# alone marks periods complete; nobody but the owner's triggers writes the workspace facts or the schema
# revision; the audit trail takes INSERTs only.
APPROVER_TABLES = ("period_mark",)
OWNER_ONLY_TABLES = ("alembic_version", "workspace_info")
APPEND_ONLY_TABLES = ("audit_entry",)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def needed_for_table(table: str) -> str:
    """'needs the sltdesk_editor role', or why no role may write it."""
    if table in APPEND_ONLY_TABLES:
        return "is refused to every role: the audit trail is append-only"
    if table in OWNER_ONLY_TABLES:
        return "is kept by the database itself, not by any role"
    return f"needs the {APPROVER if table in APPROVER_TABLES else EDITOR} role"


def role_statements(database: str, schema: str) -> list[str]:
    """Run by the administrator (a superuser, or the database owner with CREATEROLE): roles and membership."""
    create = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {0}) THEN CREATE ROLE {1} NOLOGIN; " \
             "END IF; END $$"
    statements = [create.format(_literal(role), role) for role in (OWNER_ROLE, *APP_ROLE_NAMES)]
    statements += [
        f"GRANT {VIEWER} TO {EDITOR}",
        f"GRANT {EDITOR} TO {APPROVER}",
        f"GRANT {OWNER_ROLE} TO CURRENT_USER",
        f"REVOKE ALL ON DATABASE {_ident(database)} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {_ident(database)} TO {OWNER_ROLE}, {VIEWER}",
        f"REVOKE CREATE ON SCHEMA {_ident(schema)} FROM PUBLIC",
        f"GRANT USAGE, CREATE ON SCHEMA {_ident(schema)} TO {OWNER_ROLE}",
        f"GRANT USAGE ON SCHEMA {_ident(schema)} TO {VIEWER}",
    ]
    return statements


def grant_statements(schema: str, tables: list[str]) -> list[str]:
    """Run as sltdesk_owner after every migration: the app's roles own nothing and get only these rights."""
    everyone = ", ".join(APP_ROLE_NAMES)
    working = [t for t in sorted(tables) if t not in (*APPROVER_TABLES, *OWNER_ONLY_TABLES, *APPEND_ONLY_TABLES)]
    qualified = ", ".join(f"{_ident(schema)}.{_ident(t)}" for t in working)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {_ident(schema)} FROM {everyone}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_ident(schema)} FROM {everyone}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {_ident(schema)} TO {VIEWER}",
        f"GRANT INSERT, UPDATE, DELETE ON TABLE {qualified} TO {EDITOR}",
        *(f"GRANT INSERT ON TABLE {_ident(schema)}.{_ident(t)} TO {EDITOR}" for t in APPEND_ONLY_TABLES),
        *(f"GRANT INSERT, UPDATE, DELETE ON TABLE {_ident(schema)}.{_ident(t)} TO {APPROVER}"
          for t in APPROVER_TABLES),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_ident(schema)} TO {EDITOR}",
    ]


_AUDIT_HEAD_BODY = """BEGIN
  INSERT INTO workspace_info (key, value) VALUES ('audit_count', NEW.seq::text)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
  INSERT INTO workspace_info (key, value) VALUES ('audit_head', NEW.hash)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
  RETURN NULL;
END $$"""

# Marks the database as a team database; runs in the schema being set up (it is the session's own).
TEAM_MARK = ("INSERT INTO workspace_info (key, value) VALUES ('team_mode', 'roles') "
             "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")


def trigger_statements(schema: str) -> list[str]:
    """Run as sltdesk_owner: the functions are the owner's, so no app role can replace or drop them."""
    s = _ident(schema)
    refuse = "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE ="
    approver = f"pg_has_role(session_user, {_literal(APPROVER)}, 'MEMBER')"
    return [
        # The audit trail: stamped with the database user, never changed, never cut.
        f"""CREATE OR REPLACE FUNCTION {s}.sltdesk_audit_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.db_user := session_user;
  RETURN NEW;
END $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.sltdesk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {refuse} 'The audit trail is append-only: the database refuses to ' || lower(TG_OP)
    || ' its entries, whatever the role.';
END $$""",
        # The recorded head, kept by the owner (SECURITY DEFINER): the app's roles may not write workspace_info.
        # Its body is a constant: the function's own search_path names the schema.
        "\n".join((f"CREATE OR REPLACE FUNCTION {s}.sltdesk_audit_head() RETURNS trigger LANGUAGE plpgsql",
                   f"SECURITY DEFINER SET search_path = {s}, pg_temp AS $$", _AUDIT_HEAD_BODY)),
        f"DROP TRIGGER IF EXISTS sltdesk_audit_stamp ON {s}.audit_entry",
        f"CREATE TRIGGER sltdesk_audit_stamp BEFORE INSERT ON {s}.audit_entry "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.sltdesk_audit_stamp()",
        f"DROP TRIGGER IF EXISTS sltdesk_audit_append_only ON {s}.audit_entry",
        f"CREATE TRIGGER sltdesk_audit_append_only BEFORE UPDATE OR DELETE ON {s}.audit_entry "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.sltdesk_audit_append_only()",
        f"DROP TRIGGER IF EXISTS sltdesk_audit_no_truncate ON {s}.audit_entry",
        f"CREATE TRIGGER sltdesk_audit_no_truncate BEFORE TRUNCATE ON {s}.audit_entry "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {s}.sltdesk_audit_append_only()",
        f"DROP TRIGGER IF EXISTS sltdesk_audit_head ON {s}.audit_entry",
        f"CREATE TRIGGER sltdesk_audit_head AFTER INSERT ON {s}.audit_entry "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.sltdesk_audit_head()",
        # Separation of duties: a request is the requester's; deciding it needs another person, an approver.
        *_duties(s, "force_majeure", "A force-majeure exception", "force-majeure request", "FM-"),
        *_duties(s, "false_positive", "A false positive", "false positive", "FP-"),
        # Settling a claim (or taking a settlement back) is the approver's.
        f"""CREATE OR REPLACE FUNCTION {s}.sltdesk_claim_settlement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.status = 'settled' OR (TG_OP = 'UPDATE' AND OLD.status = 'settled'))
     AND (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status) AND NOT {approver} THEN
    {refuse} 'Settling a credit claim, or taking a settlement back, needs the {APPROVER} role.';
  END IF;
  RETURN NEW;
END $$""",
        f"DROP TRIGGER IF EXISTS sltdesk_claim_settlement ON {s}.credit_claim",
        f"CREATE TRIGGER sltdesk_claim_settlement BEFORE INSERT OR UPDATE ON {s}.credit_claim "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.sltdesk_claim_settlement()",
    ]


def _duties(s: str, table: str, filed: str, decided: str, prefix: str) -> list[str]:
    """A request table's trigger: filed by the session user as a request; decided only by another approver."""
    refuse = "RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE ="
    approver = f"pg_has_role(session_user, {_literal(APPROVER)}, 'MEMBER')"
    return [
        f"""CREATE OR REPLACE FUNCTION {s}.sltdesk_{table}_duties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.requested_by := session_user;
    IF NEW.status <> 'requested' THEN
      {refuse} '{filed} is filed as a request; deciding it needs another person with the '
        || '{APPROVER} role.';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.requested_by IS DISTINCT FROM OLD.requested_by THEN
    {refuse} 'The requester of {prefix}' || OLD.id || ' cannot be changed.';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status OR NEW.decided_by IS DISTINCT FROM OLD.decided_by THEN
    IF NOT {approver} THEN
      {refuse} 'Approving or rejecting a {decided} needs the {APPROVER} role.';
    END IF;
    IF OLD.requested_by = session_user THEN
      {refuse} session_user || ' requested {prefix}' || OLD.id || ' and so cannot decide it; another person with the '
        || '{APPROVER} role must.';
    END IF;
    NEW.decided_by := session_user;
  END IF;
  RETURN NEW;
END $$""",
        f"DROP TRIGGER IF EXISTS sltdesk_{table}_duties ON {s}.{table}",
        f"CREATE TRIGGER sltdesk_{table}_duties BEFORE INSERT OR UPDATE ON {s}.{table} "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.sltdesk_{table}_duties()",
    ]


def workspace_tables() -> list[str]:
    """The tables of a workspace at this version's head (the schema's own metadata, plus alembic's table)."""
    import models.schema  # noqa: F401  (every feature's tables)
    from models.tables import Base

    return sorted([*Base.metadata.tables, "alembic_version"])


def team_sql(database: str, schema: str, tables: list[str]) -> str:
    """Every statement `team init` runs, in order, as one script (the migrations stand as a comment)."""
    parts = [*role_statements(database, schema), f"SET LOCAL ROLE {OWNER_ROLE}",
             "-- the schema migrations run here (alembic upgrade heads), creating the tables as sltdesk_owner",
             TEAM_MARK,
             *grant_statements(schema, tables), *trigger_statements(schema)]
    return "\n".join(p if p.startswith("--") else p + ";" for p in parts) + "\n"


@dataclass(frozen=True)
class Identity:
    """Who is connected to a team database, and as what."""

    user: str
    role: Role


def identify(conn: Connection) -> Identity:
    """The session user and the highest of the app's roles they hold (superusers and owners administer)."""
    row = conn.execute(text(
        "SELECT session_user, r.rolsuper, "
        "pg_has_role(session_user, :owner, 'MEMBER'), pg_has_role(session_user, :approver, 'MEMBER'), "
        "pg_has_role(session_user, :editor, 'MEMBER'), pg_has_role(session_user, :viewer, 'MEMBER') "
        "FROM pg_roles r WHERE r.rolname = session_user"),
        {"owner": OWNER_ROLE, "approver": APPROVER, "editor": EDITOR, "viewer": VIEWER}).one()
    user, superuser, owner, approver, editor, viewer = row
    if superuser or owner:
        return Identity(user, Role.ADMINISTRATOR)
    for held, role in ((approver, Role.APPROVER), (editor, Role.EDITOR), (viewer, Role.VIEWER)):
        if held:
            return Identity(user, role)
    return Identity(user, Role.SOLO)


def is_team(conn: Connection) -> bool:
    return conn.execute(text("SELECT 1 FROM workspace_info WHERE key = :key"), {"key": TEAM_KEY}).first() is not None


def current_schema(conn: Connection) -> str:
    return conn.execute(text("SELECT current_schema()")).scalar_one()


def apply_owner_part(conn: Connection, tables: list[str]) -> None:
    """Grants and triggers, as sltdesk_owner, inside the caller's transaction (after the migrations)."""
    schema = current_schema(conn)
    for statement in (*grant_statements(schema, tables), *trigger_statements(schema)):
        conn.exec_driver_sql(statement)
