"""Unsaved edits: before a form's typing would be dropped (another row, another page, another workspace, closing
the window), ask whether to save it, discard it or stay."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from ui import dialogs

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


@dataclass(frozen=True)
class Edits:
    """One form's unsaved typing: what it is (for the question), whether there is any, and how to store or drop it."""

    what: Callable[[], str]
    dirty: Callable[[], bool]
    save: Callable[[], bool]  # False when the save was refused (its messages are shown): the user stays
    discard: Callable[[], None]


def may_leave(parent: QWidget | None, edits: Sequence[Edits]) -> bool:
    """True when the caller may go on: nothing unsaved, or the user saved (successfully) or discarded it."""
    pending = [e for e in edits if e.dirty()]
    if not pending:
        return True
    names = " and ".join(e.what() for e in pending)
    answer = dialogs.ask_unsaved(parent, f"You have changed {names} without saving. Save the changes?")
    if answer == CANCEL:
        return False
    for edit in pending:
        if answer == SAVE and not edit.save():
            return False
        if answer == DISCARD:
            edit.discard()
    return True
