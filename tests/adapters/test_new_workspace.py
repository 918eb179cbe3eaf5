"""`sltdesk new` makes an empty workspace; every other command opens only existing ones, and an empty
database is not one (it is left without a table)."""

from __future__ import annotations

import io
import json
import os
import uuid
from contextlib import redirect_stderr, redirect_stdout
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from sltdesk.cli import main

PG_URL = os.environ.get("SLTDESK_TEST_DATABASE_URL", "")


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_new_creates_an_empty_workspace_file_and_refuses_an_existing_one(tmp_path):
    path = tmp_path / "mine.sltdesk"
    code, out, err = cli("new", path)
    assert code == 0 and f"Empty workspace created: {path}" in out, err
    code, out, _ = cli("list", "suppliers", "-w", path, "--json")
    assert code == 0 and out.strip() == "[]"
    code, _, err = cli("new", path)
    assert code != 0 and "already exists" in err


def test_a_missing_workspace_file_names_sltdesk_new(tmp_path):
    code, _, err = cli("info", "-w", tmp_path / "nothing.sltdesk")
    assert code != 0 and "does not exist" in err and "`sltdesk new nothing.sltdesk`" in err
    assert not (tmp_path / "nothing.sltdesk").exists()


@pytest.fixture
def empty_database():
    """A fresh schema of the PostgreSQL test database, holding no tables."""
    if not PG_URL:
        pytest.skip("no PostgreSQL: set SLTDESK_TEST_DATABASE_URL (.ci/run does when a server answers)")
    admin = sa.create_engine(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}"

    def tables() -> list[str]:
        return sa.inspect(admin).get_table_names(schema=schema)

    yield url, tables
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_an_empty_database_is_refused_by_every_command_but_new_and_keeps_no_table(empty_database, tmp_path):
    url, tables = empty_database
    csv = tmp_path / "outages.csv"
    csv.write_text("Outage ID,Service,Start,End\nO-1,VM,2026-03-02 10:00,2026-03-02 10:30\n", encoding="utf-8")
    for command in (("info", "-w", url), ("list", "contracts", "-w", url),
                    ("import", "outages", csv, "-w", url, "--contract", "X-1")):
        code, _, err = cli(*command)
        assert code != 0 and "not an SLT Desk workspace yet" in err and "sltdesk new" in err, (command, err)
        assert tables() == [], command
    code, out, err = cli("new", url)
    assert code == 0, err
    assert "workspace_info" in tables() and "alembic_version" in tables()
    code, _, err = cli("list", "contracts", "-w", url)
    assert code == 0, err
    code, _, err = cli("new", url)
    assert code != 0 and "already holds tables" in err


def test_the_demo_goes_into_an_empty_database_too(empty_database):
    url, tables = empty_database
    code, out, err = cli("demo", url, "--no-gui", "--register-only")
    assert code == 0 and "Demo portfolio written to" in out, err
    code, out, _ = cli("list", "contracts", "-w", url, "--json")
    assert code == 0 and len(json.loads(out)) >= 10
