"""The audit trail's recorded head (workspace_info) moves with every write, as seen from the same session too:
the demo's build is one transaction whose units of work share a session, and the stored results' marks read the
head there (sltdesk/services/result_cache.audit_mark)."""

from __future__ import annotations

from models.tables import WorkspaceInfo
from sltdesk.domain.register import Supplier
from sltdesk.services.audit import append_audit
from sltdesk.services.register import create_record
from sltdesk.services.result_cache import audit_mark


def test_the_head_read_in_a_batch_follows_each_write_and_is_what_the_trail_ends_with(workspace):
    marks = []
    with workspace.batch():
        for name in ("Northwind Networks", "Stratus Hosting", "PayFlow"):
            with workspace.unit_of_work() as uow:
                marks.append(audit_mark(uow))  # holds the head's rows as objects of the batch's session
            create_record(workspace, Supplier(name=name))
        with workspace.unit_of_work() as uow:
            marks.append(audit_mark(uow))
            newest = uow.audit.last()
    assert len(set(marks)) == 4  # every write moved it
    assert newest is not None and marks[-1] == f"{newest.seq}:{newest.hash}"
    with workspace.unit_of_work() as uow:  # committed: a new session reads the same from the table
        assert audit_mark(uow) == marks[-1]


def test_the_head_read_again_in_the_unit_of_work_that_wrote_it_is_the_new_one(workspace):
    """Within one unit of work the session keeps the head's rows as objects: a commit that writes entries must leave
    them holding what the table now holds (a mark read there is compared with the one read before measuring)."""
    create_record(workspace, Supplier(name="Northwind Networks"))  # the head's rows exist: later writes update them
    for batched in (False, True):
        with workspace.batch() if batched else _nothing(), workspace.unit_of_work() as uow:
            before = audit_mark(uow)
            held = [uow.session.get(WorkspaceInfo, key) for key in ("audit_count", "audit_head")]  # kept as objects
            entry = append_audit(workspace, uow, action="note", entity="supplier", entity_id=1, before=None,
                                 after={"batched": batched})
            uow.commit()
            assert audit_mark(uow) == f"{entry.seq}:{entry.hash}" != before
            assert [row.value for row in held] == [str(entry.seq), entry.hash]
        with workspace.unit_of_work() as uow:
            assert audit_mark(uow) == f"{entry.seq}:{entry.hash}"


def _nothing():
    import contextlib

    return contextlib.nullcontext()


def test_a_head_written_in_a_savepoint_that_is_rolled_back_reads_as_before(workspace):
    """In a batch a unit of work is a savepoint: when it is rolled back after writing entries and the head, the
    head read in the same session (from rows it holds as objects) is the one from before, never half of each."""
    create_record(workspace, Supplier(name="Northwind Networks"))
    with workspace.batch(), workspace.unit_of_work() as uow:
        before = audit_mark(uow)
        held = [uow.session.get(WorkspaceInfo, key) for key in ("audit_count", "audit_head")]
        append_audit(workspace, uow, action="note", entity="supplier", entity_id=1, before=None, after={})
        uow.audit.write()  # the entry and the new head, in this savepoint
        assert audit_mark(uow) != before
        uow.rollback()
        assert audit_mark(uow) == before and f"{held[0].value}:{held[1].value}" == before
