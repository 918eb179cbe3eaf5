"""The README quotes the SQL `team init` runs; the roles nest and say what each may do."""

from __future__ import annotations

from pathlib import Path

from models.team import TEAM_KEY, TEAM_MARK, grant_statements, team_sql, workspace_tables
from sltdesk.domain.team import Permission, Role, allows, needed_role, refusal

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_exactly_the_sql_team_init_runs():
    assert team_sql("sltdesk", "public", workspace_tables()) in README.read_text(encoding="utf-8")


def test_the_app_roles_get_no_update_on_the_audit_trail_or_the_workspace_facts():
    statements = grant_statements("public", workspace_tables())
    editor_tables = next(s for s in statements if s.startswith("GRANT INSERT, UPDATE, DELETE ON TABLE")
                         and s.endswith("TO sltdesk_editor"))
    for table in ("audit_entry", "workspace_info", "alembic_version", "period_mark"):
        assert f'"public"."{table}"' not in editor_tables
    assert 'GRANT INSERT ON TABLE "public"."audit_entry" TO sltdesk_editor' in statements
    assert 'GRANT INSERT, UPDATE, DELETE ON TABLE "public"."period_mark" TO sltdesk_approver' in statements
    assert '"public"."contract"' in editor_tables and '"public"."force_majeure"' in editor_tables


def test_roles_nest_viewer_in_editor_in_approver():
    assert [allows(Role.VIEWER, p) for p in Permission] == [True, False, False]
    assert [allows(Role.EDITOR, p) for p in Permission] == [True, True, False]
    assert [allows(Role.APPROVER, p) for p in Permission] == [True, True, True]
    assert needed_role(Permission.APPROVE) is Role.APPROVER and needed_role(Permission.EDIT) is Role.EDITOR
    assert refusal(Permission.EDIT, Role.VIEWER, "vera") == (
        "Needs the sltdesk_editor role; you (vera) have sltdesk_viewer. Ask the administrator to run "
        "`sltdesk team grant vera sltdesk_editor`.")


def test_the_team_mark_writes_the_key_a_team_database_is_known_by():
    assert f"VALUES ('{TEAM_KEY}', 'roles')" in TEAM_MARK
