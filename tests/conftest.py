"""Shared fixtures: workspaces on SQLite and, when SLTDESK_TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings

from tests.budget import MUTATION, examples

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if MUTATION:  # `make mutation`: property tests without their own budget draw a fifth of the default
    settings.register_profile("mutation", max_examples=examples(100))
    settings.load_profile("mutation")

PG_URL = os.environ.get("SLTDESK_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session", autouse=True)
def log_folder(tmp_path_factory) -> Iterator[Path]:
    """The command line's log file (platformdirs' state folder) in the run's own folder, never the user's;
    tests/ui/conftest.py moves every user folder per test."""
    folder = tmp_path_factory.mktemp("state")
    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = before


class FixedClock:
    """A clock that ticks one second per reading, so audit times are predictable."""

    def __init__(self, start: datetime = datetime(2026, 4, 30, 22, 0, tzinfo=UTC)):  # March is over, April not
        self.current = start

    def __call__(self) -> datetime:
        self.current = self.current.replace(second=(self.current.second + 1) % 60)
        return self.current


@pytest.fixture(params=BACKENDS)
def db_target(request, tmp_path) -> Iterator[str]:
    """A place for a new workspace: a SQLite file path, or a fresh schema in the PostgreSQL test database."""
    with _place(request.param, tmp_path / "test.sltdesk") as target:
        yield target


@pytest.fixture
def second_db_target(db_target, tmp_path) -> Iterator[str]:
    """Another place for a new workspace, on db_target's backend."""
    with _place("postgresql" if "://" in db_target else "sqlite", tmp_path / "second.sltdesk") as target:
        yield target


@contextmanager
def _place(backend: str, path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(path)
        return
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def workspace(db_target):
    """A new, empty workspace at head, on each backend."""
    from models.workspace import open_workspace

    ws = open_workspace(db_target, create=True, user="alice", clock=FixedClock())
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> str:
    """The demo portfolio built once per test run (read-only use: copy it before changing it)."""
    from models.workspace import open_workspace
    from sltdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sltdesk"
    ws = open_workspace(path, create=True, user="demo")
    build_demo(ws, seed=7)
    ws.close()
    return str(path)


@pytest.fixture(scope="session")
def raw_demo_file(tmp_path_factory) -> str:
    """The demo portfolio with its 18 months of raw data imported, built once per test run (copy it before
    changing it)."""
    from models.workspace import open_workspace
    from sltdesk.services.demo import build_demo
    from sltdesk.wiring import demo_raw_importer

    path = tmp_path_factory.mktemp("demo-raw") / "demo.sltdesk"
    ws = open_workspace(path, create=True, user="demo")
    build_demo(ws, seed=7, raw_importer=demo_raw_importer)
    ws.close()
    return str(path)
