"""The register's records read without the ORM, for the commands that only list them.

`sltdesk list contracts` spent most of its time importing: SQLAlchemy itself, then its ORM and the register's
mapped classes (about 0.07 s of 0.33 s). This module reads a register table's rows as the database driver
returns them and builds the records with the same `from_plain` the audit trail reads its payloads with; it
imports no ORM and no mapped class. On a connection SQLAlchemy already holds it reads with SQLAlchemy Core
(`read_records`); a workspace file whose engine is not made yet is read on a plain sqlite3 connection
(`read_sqlite_records`), so such a command never imports SQLAlchemy (about 0.11 s, a third of it). Both run
the same query, `SELECT * FROM <table> ORDER BY id`, and get the driver's own values (no column types are
applied). The unit of work's `records.list` stays the one way to read for any command that goes on to write;
tests hold the three to the same records for every register kind, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sltdesk.domain import register as reg
from sltdesk.domain.serial import from_plain

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Executable

# The register's tables (models/tables.py; tests/adapters/test_register_reads.py holds the two together).
TABLES: dict[type, str] = {
    reg.BusinessUnit: "business_unit",
    reg.Service: "service",
    reg.Supplier: "supplier",
    reg.SupplierContact: "supplier_contact",
    reg.ServiceCalendar: "service_calendar",
    reg.Contract: "contract",
    reg.ContractTarget: "contract_target",
    reg.ContingencyPlan: "contingency_plan",
}


def read_records(connection: Connection, kinds: Sequence[type]) -> dict[type, list[Any]]:
    """Every record of each register kind (a key of TABLES), by id, read on this connection (in its transaction)."""
    from sqlalchemy import column, literal_column, select, table

    def rows(name: str) -> Iterable[dict[str, Any]]:
        # every column as the driver returns it (no column types here: from_plain reads the values)
        query: Executable = select(literal_column("*")).select_from(table(name)).order_by(column("id"))
        return (dict(row) for row in connection.execute(query).mappings())

    return _records(rows, kinds)


def read_sqlite_records(connection: sqlite3.Connection, kinds: Sequence[type]) -> dict[type, list[Any]]:
    """`read_records` on a plain sqlite3 connection, in the transaction the caller has begun."""
    def rows(name: str) -> Iterable[dict[str, Any]]:
        cursor = connection.execute(f'SELECT * FROM "{name}" ORDER BY id')  # noqa: S608 (a name of TABLES)
        names = [d[0] for d in cursor.description]
        return (dict(zip(names, row, strict=True)) for row in cursor)

    return _records(rows, kinds)


def _records(rows: Callable[[str], Iterable[dict[str, Any]]], kinds: Sequence[type]) -> dict[type, list[Any]]:
    found: dict[type, list[Any]] = {}
    for kind in kinds:
        decode = _json_fields(kind)
        found[kind] = [from_plain(kind, _decoded(row, decode)) for row in rows(TABLES[kind])]
    return found


def _decoded(values: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """A JSON column comes back as its text from SQLite (PostgreSQL's driver decodes it itself)."""
    for name in fields:
        if isinstance(values.get(name), str):
            values[name] = json.loads(values[name])
    return values


def _json_fields(kind: type) -> frozenset[str]:
    """The fields stored as JSON: those holding a tuple or a list."""
    hints = typing.get_type_hints(kind)
    return frozenset(f.name for f in dataclasses.fields(kind)
                     if typing.get_origin(hints[f.name]) in (tuple, list))
