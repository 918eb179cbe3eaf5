"""The register's records read with SQLAlchemy Core alone, for the commands that only list them.

`sltdesk list contracts` spent most of its time importing: SQLAlchemy itself, then its ORM and the register's
mapped classes (about 0.07 s of 0.33 s). This module reads a register table's rows as the database driver
returns them and builds the records with the same `from_plain` the audit trail reads its payloads with; it
imports no ORM and no mapped class. The unit of work's `records.list` stays the one way to read for any
command that goes on to write; tests hold the two to the same records for every register kind, on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Sequence
from typing import Any

from sqlalchemy import column, literal_column, select, table
from sqlalchemy.engine import Connection

from sltdesk.domain import register as reg
from sltdesk.domain.serial import from_plain

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
    found: dict[type, list[Any]] = {}
    for kind in kinds:
        # every column as the driver returns it (no column types here: from_plain reads the values)
        rows = connection.execute(
            select(literal_column("*")).select_from(table(TABLES[kind])).order_by(column("id"))).mappings()
        decode = _json_fields(kind)
        found[kind] = [from_plain(kind, _decoded(dict(row), decode)) for row in rows]
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
