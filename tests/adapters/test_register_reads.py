"""The register read with SQLAlchemy Core alone (models/register_reads.py, for the list commands) gives the same
records as the unit of work's ORM read, for every register kind, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

from models.register_reads import TABLES
from models.repository import ROW_TYPES
from sltdesk.domain.register import ServiceCalendar
from sltdesk.services.demo import build_demo
from sltdesk.services.register import create_record, update_record


def test_every_register_kind_reads_the_same_without_the_orm(workspace):
    build_demo(workspace, seed=7)
    closed = create_record(workspace, ServiceCalendar(
        "Plant hours", timezone="Europe/Berlin", hours=(("mon", "06:00-22:00"), ("sat", "")),
        holiday_country="DE", holiday_subdivision="BY", closure_days=(date(2026, 12, 24), date(2026, 12, 31))))
    update_record(workspace, dataclasses.replace(closed, name="Plant hours (winter)"))  # a version above 1
    kinds = list(TABLES)
    read = workspace.read_records(*kinds)
    with workspace.unit_of_work() as uow:
        for kind in kinds:
            assert read[kind] == uow.records.list(kind), kind.__name__
            assert read[kind], f"the demo has {kind.__name__} records"
    plant = next(c for c in read[ServiceCalendar] if c.name == "Plant hours (winter)")
    assert plant.closure_days == (date(2026, 12, 24), date(2026, 12, 31)) and plant.version == 2
    assert plant.hours == (("mon", "06:00-22:00"), ("sat", ""))


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
