"""Team mode on the local PostgreSQL: roles, an append-only audit trail, separation of duties, upgrades.

Each test gets its own database (team init works on a whole database) and its own logins; both go at the end.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from sltdesk.cli import main
from tests.team_db import Team, make_demo_team, make_team, needs_postgresql, open_as

pytestmark = needs_postgresql


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def team():
    yield from make_team()


@pytest.fixture
def demo_team(team):
    return make_demo_team(team)


def refused(call) -> str:
    from sltdesk.errors import PermissionRefusedError

    with pytest.raises(PermissionRefusedError) as caught:
        call()
    return str(caught.value)


def test_team_init_makes_the_owner_own_every_table_and_the_app_roles_none(team):
    code, out, err = cli("team", "init", team.admin_url)
    assert code == 0 and "Team workspace created" in out, err
    owners = dict(team.admin_sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"))
    assert set(owners.values()) == {"sltdesk_owner"}
    assert {"audit_entry", "workspace_info", "contract", "force_majeure", "period_mark"} <= set(owners)
    from models.team import workspace_tables

    assert sorted(owners) == workspace_tables()  # the README's grant list names exactly these tables
    logins = team.admin_sql("SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'sltdesk_%' ORDER BY 1")
    assert logins == [("sltdesk_approver", False), ("sltdesk_editor", False), ("sltdesk_owner", False),
                      ("sltdesk_viewer", False)]


def test_team_init_twice_is_refused_without_upgrade_existing(team):
    assert cli("team", "init", team.admin_url)[0] == 0
    code, _, err = cli("team", "init", team.admin_url)
    assert code == 1 and "is a team database already" in err and "--upgrade-existing" in err
    code, out, err = cli("team", "init", team.admin_url, "--upgrade-existing")
    assert code == 0 and "Grants and triggers applied again" in out, err


def test_team_init_refuses_a_workspace_new_made_without_upgrade_existing(team):
    assert cli("new", team.admin_url)[0] == 0
    code, _, err = cli("team", "init", team.admin_url)
    assert code == 1 and "made with `sltdesk new`" in err and "--upgrade-existing" in err
    owners = {o for (o,) in team.admin_sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}
    assert owners != {"sltdesk_owner"}  # refused: nothing changed hands


def test_a_viewer_reads_but_cannot_write(demo_team):
    from sltdesk.domain.register import Supplier
    from sltdesk.domain.team import Permission, Role
    from sltdesk.services.register import create_record

    viewer = demo_team.grant("vera", "viewer")
    ws = open_as(demo_team, viewer)
    try:
        assert (ws.user, ws.role) == (viewer, Role.VIEWER)
        assert ws.allows(Permission.READ) and not ws.allows(Permission.EDIT)
        with ws.unit_of_work() as uow:
            assert uow.records.count(Supplier) == 8
        sentence = refused(lambda: create_record(ws, Supplier(name="Sneaky Ltd")))
        assert "needs the sltdesk_editor role" in sentence and "Nothing of it was saved" in sentence
        with ws.unit_of_work() as uow:
            assert uow.records.count(Supplier) == 8
    finally:
        ws.close()
    with pytest.raises(DBAPIError, match="permission denied for table supplier"):
        demo_team.sql(viewer, "INSERT INTO supplier (name, category, criticality, notes) "
                              "VALUES ('Raw', 'other', 'low', '')")


def test_the_audit_trail_is_append_only_by_the_database_itself(demo_team):
    from sltdesk.domain.register import Supplier
    from sltdesk.services.audit import audit_head, verify_audit
    from sltdesk.services.register import create_record

    editor = demo_team.grant("eddie", "editor")
    ws = open_as(demo_team, editor)
    try:
        create_record(ws, Supplier(name="Acme Support Ltd"))  # the editor's own change is audited
        report = verify_audit(ws)
        head = audit_head(ws)
    finally:
        ws.close()
    assert report.ok and (head.entries, head.head) == (report.entries, report.head)  # the trigger kept the head
    last = demo_team.admin_sql("SELECT os_user, db_user, action FROM audit_entry ORDER BY seq DESC LIMIT 1")
    assert last == [(editor, editor, "create")]
    for statement in ("UPDATE audit_entry SET action = 'nothing' WHERE seq = 1",
                      "DELETE FROM audit_entry WHERE seq = 1",
                      "TRUNCATE audit_entry",
                      "UPDATE workspace_info SET value = 'x' WHERE key = 'audit_head'"):
        with pytest.raises(DBAPIError, match="permission denied") as caught:
            demo_team.sql(editor, statement)
        assert caught.value.orig.sqlstate == "42501"
    # Even the owner of the table cannot change or cut it: the trigger refuses whatever the role.
    for statement in ("UPDATE audit_entry SET action = 'nothing' WHERE seq = 1", "DELETE FROM audit_entry",
                      "TRUNCATE audit_entry"):
        with pytest.raises(DBAPIError, match="The audit trail is append-only"):
            demo_team.admin_sql("SET LOCAL ROLE sltdesk_owner", statement)
    assert demo_team.admin_sql("SELECT count(*) FROM audit_entry") == [(report.entries,)]


def test_a_requester_cannot_approve_their_own_exception_even_through_sql(demo_team):
    from sltdesk.services.exceptions import SelfApprovalError, decide_exception, request_exception
    from sltdesk.services.imports import find_contract

    alice = demo_team.grant("alice", "approver")
    carol = demo_team.grant("carol", "approver")
    eddie = demo_team.grant("eddie", "editor")
    ws = open_as(demo_team, alice)
    try:
        contract = find_contract(ws, "NW-2025-014")
        fm = request_exception(ws, contract=contract, start=1_767_225_600, end=1_767_229_200, reason="Storm")
        assert fm.requested_by == alice
        with pytest.raises(SelfApprovalError):
            decide_exception(ws, fm.id, approve=True)  # the app says no first
    finally:
        ws.close()
    # Around the app, straight to the table: the database says no, naming why.
    with pytest.raises(DBAPIError, match="requested FM-.* and so cannot decide it") as caught:
        demo_team.sql(alice, "UPDATE force_majeure SET status = 'approved', decided_by = :other WHERE id = :id",
                      other=carol, id=fm.id)
    assert caught.value.orig.sqlstate == "42501"
    # Filing a request in another person's name does not work either: the database stamps the requester.
    demo_team.sql(alice, "INSERT INTO force_majeure (contract_id, target_id, start, \"end\", reason, requested_by, "
                         "requested_at, status, decided_by, decided_at, decision_note) VALUES (:c, NULL, 1, 2, 'x', "
                         ":other, '2026-12-06T09:00:00Z', 'requested', '', '', '')", c=contract.id, other=carol)
    stamped = demo_team.admin_sql("SELECT requested_by FROM force_majeure ORDER BY id DESC LIMIT 1")
    assert stamped == [(alice,)]
    with pytest.raises(DBAPIError, match="needs the sltdesk_approver role"):  # an editor may not decide at all
        demo_team.sql(eddie, "UPDATE force_majeure SET status = 'rejected' WHERE id = :id", id=fm.id)
    ws = open_as(demo_team, carol)
    try:
        decided = decide_exception(ws, fm.id, approve=True, note="checked the Met Office warning")
    finally:
        ws.close()
    assert decided.decided_by == carol
    assert demo_team.admin_sql(f"SELECT status, decided_by FROM force_majeure WHERE id = {fm.id}") == [
        ("approved", carol)]


def test_marking_periods_complete_and_settling_claims_need_the_approver(demo_team):
    from sltdesk.domain.reconciliation import ClaimStatus
    from sltdesk.services.periods import mark_complete
    from sltdesk.services.reconciliation import set_status

    eddie = demo_team.grant("eddie", "editor")
    alice = demo_team.grant("alice", "approver")
    ws = open_as(demo_team, eddie)
    try:
        sentence = refused(lambda: mark_complete(ws, "NW-2025-014", "2026-03", reason="vendor e-mail of 2 April"))
        assert "changing period_mark needs the sltdesk_approver role" in sentence
        set_status(ws, "NW-2025-014", "2026-03", ClaimStatus.CLAIMED, on=date(2026, 4, 5))  # an editor claims
        sentence = refused(lambda: set_status(ws, "NW-2025-014", "2026-03", ClaimStatus.SETTLED, on=date(2026, 5, 1)))
        assert sentence.startswith("Settling a credit claim, or taking a settlement back, needs the sltdesk_approver")
    finally:
        ws.close()
    ws = open_as(demo_team, alice)
    try:
        mark_complete(ws, "NW-2025-014", "2026-03", reason="vendor e-mail of 2 April")
        settled = set_status(ws, "NW-2025-014", "2026-03", ClaimStatus.SETTLED, on=date(2026, 5, 1))
    finally:
        ws.close()
    assert settled.status is ClaimStatus.SETTLED
    ws = open_as(demo_team, eddie)
    try:  # and an editor cannot take the settlement back
        refused(lambda: set_status(ws, "NW-2025-014", "2026-03", ClaimStatus.DISPUTED, on=date(2026, 5, 2)))
    finally:
        ws.close()


def _previous(revision: str) -> str:
    from alembic.script import ScriptDirectory

    from models.workspace import alembic_config

    down = ScriptDirectory.from_config(alembic_config()).get_revision(revision).down_revision
    assert isinstance(down, str)
    return down


def _one_revision_back(team: Team) -> None:
    """What a team database made by the previous version looks like: the newest revision not yet applied."""
    from alembic import command

    from models.workspace import alembic_config

    engine = sa.create_engine(team.admin_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL ROLE sltdesk_owner")
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "-1")
    finally:
        engine.dispose()


def test_an_editor_opening_a_team_database_one_revision_behind_gets_the_upgrade_sentence(team):
    from models.workspace import head_revisions
    from sltdesk.errors import UpgradeNeededError

    assert cli("team", "init", team.admin_url)[0] == 0
    eddie = team.grant("eddie", "editor")
    _one_revision_back(team)
    revisions = {r for (r,) in team.admin_sql("SELECT version_num FROM alembic_version")}
    [head] = head_revisions()
    assert revisions == {_previous(head)} and revisions != {head}  # exactly one revision behind
    with pytest.raises(UpgradeNeededError, match="This workspace needs an upgrade: ask the administrator to run "
                                                 "`sltdesk upgrade "):
        open_as(team, eddie)
    assert {r for (r,) in team.admin_sql("SELECT version_num FROM alembic_version")} == revisions  # not migrated
    code, _, err = cli("upgrade", team.url_of(eddie))  # and an editor cannot do it
    assert code == 1 and "Only the administrator" in err
    code, out, err = cli("upgrade", team.admin_url)
    assert code == 0 and "grants and triggers applied again" in out, err
    ws = open_as(team, eddie)
    try:
        assert ws.schema_revision() == "+".join(sorted(head_revisions()))
    finally:
        ws.close()
    assert team.admin_sql("SELECT action FROM audit_entry ORDER BY seq DESC LIMIT 1") == [("upgrade",)]


def test_grant_revoke_and_members(team):
    assert cli("team", "init", team.admin_url)[0] == 0
    user = team.login("dana")
    code, out, err = cli("team", "grant", user, "viewer", "-w", team.admin_url)
    assert code == 0 and f"{user} is now a member of sltdesk_viewer" in out and "without a password" in out, err
    assert cli("team", "grant", user, "editor", "-w", team.admin_url)[0] == 0
    code, out, _ = cli("team", "members", "-w", team.admin_url, "--json")
    mine = [m for m in json.loads(out)["members"] if m["user"] == user]  # roles are the server's: others may show
    assert mine == [{"user": user, "role": "sltdesk_editor"}, {"user": user, "role": "sltdesk_viewer"}]
    code, out, _ = cli("info", "-w", team.url_of(user))
    assert code == 0 and f"You        {user} (sltdesk_editor)" in out
    assert cli("team", "revoke", user, "editor", "-w", team.admin_url)[0] == 0
    assert cli("team", "revoke", user, "viewer", "-w", team.admin_url)[0] == 0
    code, _, err = cli("info", "-w", team.url_of(user))
    assert code == 1 and f"{user} may not connect to the team database" in err and "team grant" in err
    code, _, err = cli("team", "grant", user, "boss", "-w", team.admin_url)
    assert code != 0


def test_an_editor_imports_a_vendor_file_and_removes_the_batch(demo_team, tmp_path):
    eddie = demo_team.grant("eddie", "editor")
    url = demo_team.url_of(eddie)
    log = tmp_path / "outages.csv"
    log.write_text("Outage ID,Service,Start,End,Impact %\n"
                   "INC-1,VM Cluster FRA,2026-03-10 10:00,2026-03-10 10:30,100\n"
                   "INC-2,VM Cluster FRA,2026-03-20 22:00,2026-03-20 22:05,100\n", encoding="utf-8")
    code, out, err = cli("import", "outages", log, "-w", url, "--contract", "ST-2024-003", "--timezone", "UTC",
                         "--json")
    assert code == 0, err
    stored = json.loads(out)
    assert stored["stored"] == 2
    assert demo_team.admin_sql("SELECT count(*) FROM raw_outage") == [(2,)]
    code, out, err = cli("imports", "remove", str(stored["batch_id"]), "-w", url)
    assert code == 0, err
    assert demo_team.admin_sql("SELECT count(*) FROM raw_outage") == [(0,)]
    actions = [a for (a,) in demo_team.admin_sql("SELECT action FROM audit_entry WHERE db_user = "
                                                  f"'{eddie}' ORDER BY seq")]
    assert actions[0] == "import" and actions[-1] == "remove-import"
