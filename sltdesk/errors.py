"""Errors a user can act on: each carries one sentence that says what to do."""

from __future__ import annotations


class SltDeskError(Exception):
    """A problem the user can fix; `str(error)` is shown as it is."""


class WorkspaceError(SltDeskError):
    """The workspace cannot be opened or created."""


class NotFoundError(SltDeskError):
    """A record the user named does not exist."""


class ValidationError(SltDeskError):
    """A record has invalid fields; `fields` maps each field to its message."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        super().__init__(" ".join(fields.values()))


class InUseError(SltDeskError):
    """A record cannot be deleted while others refer to it."""


class BusyError(SltDeskError):
    """Another change was being saved at the same moment; nothing of this one was saved."""

    def __init__(self, detail: str):
        super().__init__(f"The workspace was busy saving another change ({detail}); nothing of this change was "
                         "saved. Try again in a moment.")
