"""Undoable register changes: each step calls a service, so each undo is audited too."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from sltdesk.domain.register import entity_name
from sltdesk.errors import SltDeskError
from sltdesk.services.register import (
    create_record,
    delete_record,
    refresh_after_edit,
    restore_record,
    update_record,
)
from ui.context import WorkspaceContext
from ui.errors import report_exception
from ui.workers import run_in_background


def label(record: Any) -> str:
    """'contract NW-2025-014' — how a record is named in the Edit menu."""
    name = getattr(record, "ref", None) or getattr(record, "name", None) or getattr(record, "title", "")
    return f"{entity_name(record).replace('_', ' ')} {name}".strip()


class VersionChain:
    """Undo and redo of an edit each store their values over the version the step before left, so they pass the
    version check themselves and are refused (StaleRecordError) only when someone else changed the record since."""

    def __init__(self, save: Callable[..., Any], stored: Any):
        self._save = save
        self.version = stored.version

    def put(self, values: Any, *more: Any) -> Any:
        """Store `values` over the current version; `save` returns the stored record (or a tuple led by it)."""
        stored = self._save(dataclasses.replace(values, version=self.version), *more)
        self.version = (stored[0] if isinstance(stored, tuple) else stored).version
        return stored


class _RecordCommand(QUndoCommand):
    """Performed once before it is pushed, so the first redo() only marks it done."""

    def __init__(self, ctx: WorkspaceContext, text: str):
        super().__init__(text)
        self.ctx = ctx
        self._workspace = ctx.open_workspace()  # where the change was just made
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._step(self.do)

    def undo(self) -> None:
        self._step(self.undo_step)

    def _step(self, action: Callable[[], str]) -> None:
        try:
            if self.ctx.workspace is not self._workspace:
                raise SltDeskError("This change belongs to a workspace that is no longer open.")
            entity = action()
        except SltDeskError as error:
            # The register moved on (e.g. someone deleted the record): drop this step from history.
            self.setObsolete(True)
            report_exception(error)
            return
        self.ctx.notify_changed(entity)

    def do(self) -> str:
        raise NotImplementedError

    def undo_step(self) -> str:
        raise NotImplementedError


class EditCommand(_RecordCommand):
    """redo stores the changed values, undo the values before them, each over the version the other stored."""

    def __init__(self, ctx: WorkspaceContext, before: Any, after: Any):
        super().__init__(ctx, f"Edit {label(after)}")
        self.before, self.after = before, after
        self.chain = VersionChain(lambda record: update_record(self._workspace, record), after)

    def do(self) -> str:
        self.chain.put(self.after)
        refresh_results_of(self.ctx, self.after)
        return entity_name(self.after)

    def undo_step(self) -> str:
        self.chain.put(self.before)
        refresh_results_of(self.ctx, self.before)
        return entity_name(self.before)


class CreateCommand(_RecordCommand):
    """undo deletes the new record, redo restores it under the same id."""

    def __init__(self, ctx: WorkspaceContext, stored: Any):
        super().__init__(ctx, f"Create {label(stored)}")
        self.stored = stored

    def do(self) -> str:
        restore_record(self._workspace, self.stored)
        refresh_results_of(self.ctx, self.stored)
        return entity_name(self.stored)

    def undo_step(self) -> str:
        delete_record(self._workspace, type(self.stored), self.stored.id)
        refresh_results_of(self.ctx, self.stored)
        return entity_name(self.stored)


class DeleteCommand(_RecordCommand):
    """redo deletes the record, undo restores it under its old id."""

    def __init__(self, ctx: WorkspaceContext, deleted: Any):
        super().__init__(ctx, f"Delete {label(deleted)}")
        self.deleted = deleted

    def do(self) -> str:
        delete_record(self._workspace, type(self.deleted), self.deleted.id)
        refresh_results_of(self.ctx, self.deleted)
        return entity_name(self.deleted)

    def undo_step(self) -> str:
        restore_record(self._workspace, self.deleted)
        refresh_results_of(self.ctx, self.deleted)
        return entity_name(self.deleted)


def refresh_results_of(ctx: WorkspaceContext, record: Any) -> None:
    """The stored results an edit of a rule, target, contract or calendar changed, refreshed in the background."""
    ws = ctx.workspace
    if ws is not None:
        run_in_background(refresh_after_edit, ws, record, on_done=lambda _none: None)


def save_record(ctx: WorkspaceContext, before: Any | None, after: Any) -> Any:
    """Create or update through the services, then push the undo step; raises ValidationError."""
    ws = ctx.open_workspace()
    if before is None:
        stored = create_record(ws, after)
        ctx.undo_stack.push(CreateCommand(ctx, stored))
        refresh_results_of(ctx, stored)
    else:
        stored = update_record(ws, after)
        if stored != before:
            ctx.undo_stack.push(EditCommand(ctx, before, stored))
            refresh_results_of(ctx, stored)
    ctx.notify_changed(entity_name(stored))
    return stored


def remove_record(ctx: WorkspaceContext, record: Any) -> Any:
    """Delete through the service and push the undo step; raises InUseError."""
    deleted = delete_record(ctx.open_workspace(), type(record), record.id)
    ctx.undo_stack.push(DeleteCommand(ctx, deleted))
    refresh_results_of(ctx, deleted)
    ctx.notify_changed(entity_name(deleted))
    return deleted
