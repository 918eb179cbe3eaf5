"""The schema revisions this version knows, read from the migration scripts' text, and the revisions a
workspace is at, read from its `alembic_version` table: opening a workspace that is up to date needs no
Alembic (loading it and its scripts took a third of a short command's time).

The scripts stay the single source: each one's `revision = "…"` and `down_revision = …` lines are read
as Python literals, never executed. tests/adapters/test_startup_imports.py holds the answer equal to Alembic's
`ScriptDirectory.get_heads()` and `walk_revisions()`, so the two cannot drift.
"""

from __future__ import annotations

import ast
import functools
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
VERSION_TABLE = "alembic_version"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


@functools.cache
def revision_graph(versions: Path = VERSIONS) -> dict[str, tuple[str, ...]]:
    """Every known revision and the revisions it follows (none for the base)."""
    graph: dict[str, tuple[str, ...]] = {}
    for script in sorted(versions.glob("*.py")):
        if script.name.startswith("__"):
            continue
        revision, down = _read(script)
        if revision in graph:
            raise RuntimeError(f"Two migration scripts say they are revision {revision} ({script.name}).")
        graph[revision] = down
    return graph


def _read(script: Path) -> tuple[str, tuple[str, ...]]:
    found = {name: value for name, value in _ASSIGNMENT.findall(script.read_text(encoding="utf-8"))}
    try:
        revision = ast.literal_eval(found["revision"])
        down = ast.literal_eval(found["down_revision"])
    except (KeyError, ValueError, SyntaxError):
        raise RuntimeError(f"{script.name} does not say its revision and down_revision on one line each, as "
                           "literals (revision = \"x\", down_revision = \"y\" or (\"y\", \"z\") or None).") from None
    if not isinstance(revision, str):
        raise RuntimeError(f"{script.name}: revision must be a string.")
    downs = () if down is None else (down,) if isinstance(down, str) else tuple(down)
    return revision, downs


def known_revisions(versions: Path = VERSIONS) -> frozenset[str]:
    return frozenset(revision_graph(versions))


def head_revisions(versions: Path = VERSIONS) -> frozenset[str]:
    """The heads of the migration graph: the revisions no other follows (features branch off a common one)."""
    graph = revision_graph(versions)
    followed = {down for downs in graph.values() for down in downs}
    return frozenset(graph) - followed


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revision(s) the database is at, as Alembic stores them (none when it has no version table)."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return frozenset()
        return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def sqlite_revisions(connection: sqlite3.Connection) -> frozenset[str]:
    """`current_revisions` read on a plain sqlite3 connection (a workspace file is checked on opening without
    SQLAlchemy, which a command listing the register never loads)."""
    found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (VERSION_TABLE,)).fetchone()
    if found is None:
        return frozenset()
    return frozenset(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))
