"""A workspace file as the first version of SLT Desk wrote it (schema 0001), to test upgrades."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from models.workspace import _sqlite_engine, alembic_config


def first_version_file(path: Path, *statements: str) -> Path:
    """Schema 0001 with its application marker, plus any rows the test inserts."""
    engine = _sqlite_engine(path)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql("INSERT INTO workspace_info VALUES ('application', 'SLT Desk')")
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()
    return path
