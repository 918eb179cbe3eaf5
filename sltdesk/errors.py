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


class StaleRecordError(SltDeskError):
    """A change was made from a version of a record that someone else has changed since; nothing was saved.

    `changed_by` and `changed_at` ('2026-12-06 09:14 UTC') come from the newest audit entry of the record; when
    none names it, the sentence gives the version the record has now."""

    def __init__(self, what: str, *, changed_by: str = "", changed_at: str = "", version: int = 0):
        self.what, self.changed_by, self.changed_at, self.version = what, changed_by, changed_at, version
        who = f"by {changed_by} at {changed_at}" if changed_by else f"(it is at version {version} now)"
        super().__init__(f"{what} was changed {who} after you opened it; reload it to see the change, then make "
                         "yours again.")


class BusyError(SltDeskError):
    """Another change was being saved at the same moment; nothing of this one was saved."""

    def __init__(self, detail: str):
        super().__init__(f"The workspace was busy saving another change ({detail}); nothing of this change was "
                         "saved. Try again in a moment.")


class ReadOnlyWorkspaceError(WorkspaceError):
    """A change was asked of a workspace that is open read-only."""


class PermissionRefusedError(SltDeskError):
    """The database refused a change the user's role may not make (team mode); nothing was saved."""


class UpgradeNeededError(WorkspaceError):
    """A team database is behind this version's schema; only its administrator may upgrade it."""


class DiskFullError(SltDeskError):
    """The disk filled up during a write; the transaction was rolled back."""


def disk_full_sentence(path: object) -> str:
    """'No space left on DEVICE; nothing was changed.', naming the mount point that holds `path`."""
    import os

    folder = os.path.abspath(str(path or "."))
    while not os.path.ismount(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return f"No space left on {folder}; nothing was changed. Free some space there and try again."


class DamagedDataError(SltDeskError):
    """Stored records cannot be read back: the workspace's content was changed or damaged outside the app."""

    def __init__(self, what: str, cause: BaseException):
        super().__init__(f"{what} stored in the workspace cannot be read ({type(cause).__name__}: {cause}); it was "
                         "changed or damaged outside SLT Desk. Nothing was changed. `sltdesk audit verify --deep` "
                         "names what differs from the audit trail; remove that batch and import its file again.")
