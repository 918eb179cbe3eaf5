"""The register read without the ORM (models/register_reads.py, for the list commands) gives the same records as
the unit of work's ORM read, for every register kind: with SQLAlchemy Core on SQLite and PostgreSQL, and on a plain
sqlite3 connection for a workspace file opened afresh (writable or read-only)."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest

import models.register_reads as register_reads
from models.register_reads import TABLES
from models.repository import ROW_TYPES
from models.workspace import open_workspace
from sltdesk.domain.register import ServiceCalendar
from sltdesk.services.demo import build_demo
from sltdesk.services.register import create_record, update_record


def _add_plant_hours(ws) -> None:
    """A calendar with every kind of field a register read decodes (JSON lists, dates), at version 2."""
    closed = create_record(ws, ServiceCalendar(
        "Plant hours", timezone="Europe/Berlin", hours=(("mon", "06:00-22:00"), ("sat", "")),
        holiday_country="DE", holiday_subdivision="BY", closure_days=(date(2026, 12, 24), date(2026, 12, 31))))
    update_record(ws, dataclasses.replace(closed, name="Plant hours (winter)"))  # a version above 1


def _same_as_the_orms(ws, read: dict) -> None:
    with ws.unit_of_work() as uow:
        for kind in TABLES:
            assert read[kind] == uow.records.list(kind), kind.__name__
            assert read[kind], f"the demo has {kind.__name__} records"
    plant = next(c for c in read[ServiceCalendar] if c.name == "Plant hours (winter)")
    assert plant.closure_days == (date(2026, 12, 24), date(2026, 12, 31)) and plant.version == 2
    assert plant.hours == (("mon", "06:00-22:00"), ("sat", ""))


def test_every_register_kind_reads_the_same_without_the_orm(workspace):
    build_demo(workspace, seed=7)
    _add_plant_hours(workspace)
    _same_as_the_orms(workspace, workspace.read_records(*TABLES))


def test_an_empty_register_reads_as_empty_lists(workspace):
    read = workspace.read_records(*TABLES)
    assert read == dict.fromkeys(TABLES, [])


def test_the_core_read_names_every_register_table_as_the_mapped_classes_do():
    assert {kind: ROW_TYPES[kind].__tablename__ for kind in TABLES} == TABLES
    assert set(TABLES) == {kind for kind in ROW_TYPES if kind.__module__ == "sltdesk.domain.register"}


def test_inside_a_batch_the_read_sees_what_the_batch_wrote(workspace):
    """A batch holds one transaction (on SQLite, the write lock): the read goes through it and sees its writes."""
    with workspace.batch():
        create_record(workspace, ServiceCalendar("Night shift", hours=(("mon", "22:00-24:00"),)))
        names = [c.name for c in workspace.read_records(ServiceCalendar)[ServiceCalendar]]
        assert names == ["Night shift"]
    assert [c.name for c in workspace.read_records(ServiceCalendar)[ServiceCalendar]] == ["Night shift"]


@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_opened_afresh_reads_the_same_on_sqlite3(demo_file, tmp_path, monkeypatch, read_only):
    """No unit of work yet, so no engine: the list commands read on sqlite3 and never import SQLAlchemy."""
    path = tmp_path / "copy.sltdesk"
    shutil.copy(demo_file, path)
    ws = open_workspace(path)
    _add_plant_hours(ws)
    ws.close()

    def no_core(*_args):
        raise AssertionError("read with SQLAlchemy Core, not on sqlite3")

    fresh = open_workspace(path, read_only=read_only)
    try:
        monkeypatch.setattr(register_reads, "read_records", no_core)
        read = fresh.read_records(*TABLES)
        monkeypatch.undo()
        _same_as_the_orms(fresh, read)
        # once the engine is made (the unit of work above), the read goes through it
        assert fresh.read_records(ServiceCalendar)[ServiceCalendar] == read[ServiceCalendar]
    finally:
        fresh.close()
    assert fresh.read_only is read_only
