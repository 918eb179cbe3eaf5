"""A fresh PostgreSQL database per test for team mode, with logins made for the test (both dropped after)."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("SLTDESK_TEST_DATABASE_URL", "")
needs_postgresql = pytest.mark.skipif(not PG_URL, reason="team mode needs PostgreSQL: set SLTDESK_TEST_DATABASE_URL "
                                                         "(.ci/run does when a server answers)")


class Team:
    """A fresh database on the test server, the administrator's URL to it, and logins made for the test."""

    def __init__(self):
        self.name = f"sltdesk_team_{uuid.uuid4().hex[:10]}"
        self.tag = uuid.uuid4().hex[:6]
        self.server = make_url(PG_URL)
        self.admin_url = self.server.set(database=self.name).render_as_string(hide_password=False)
        self.logins: list[str] = []

    def login(self, name: str) -> str:
        user = f"t{self.tag}_{name}"
        self.logins.append(user)
        return user

    def url_of(self, user: str) -> str:
        return self.server.set(database=self.name, username=user, password=None).render_as_string(hide_password=False)

    def grant(self, name: str, role: str) -> str:
        from models.team_admin import grant

        user = self.login(name)
        grant(self.admin_url, user, role)
        return user

    def sql(self, user: str, statement: str, **params) -> None:
        """One statement as that login, outside the app."""
        engine = sa.create_engine(self.url_of(user))
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(statement), params)
        finally:
            engine.dispose()

    def admin_sql(self, *statements: str) -> list[tuple]:
        """Statements in one transaction as the administrator; the rows of the last (if it returns any)."""
        engine = sa.create_engine(self.admin_url)
        try:
            with engine.begin() as conn:
                for statement in statements:
                    result = conn.execute(sa.text(statement))
                return [tuple(r) for r in result.all()] if result.returns_rows else []
        finally:
            engine.dispose()


def make_team():
    server = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    t = Team()
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{t.name}"'))
    yield t
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{t.name}" WITH (FORCE)'))
        for user in t.logins:
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{user}"'))
    server.dispose()


def make_demo_team(team):
    """The demo register, built as a plain workspace and then made a team database (--upgrade-existing)."""
    from models.team_admin import init_team
    from models.workspace import open_workspace
    from sltdesk.services.demo import build_demo

    ws = open_workspace(team.admin_url, create=True, user="demo")
    build_demo(ws, seed=7)
    ws.close()
    done = init_team(team.admin_url, upgrade_existing=True)
    assert done.converted and not done.reapplied
    return team




def open_as(team: Team, user: str):
    from models.workspace import open_workspace

    return open_workspace(team.url_of(user))
