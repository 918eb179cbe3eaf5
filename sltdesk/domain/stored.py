"""Records read back from the store carry their id. `stored_id` says so where an id is needed (the type
checker sees `int | None` on every record), and fails loudly on a record that was never stored."""

from __future__ import annotations

from dataclasses import Field
from typing import Any, ClassVar, Protocol


class Identified(Protocol):
    """Anything with an `id` (None until stored)."""

    @property
    def id(self) -> int | None: ...


class StoredRecord(Identified, Protocol):
    """A record kind the repositories store: a dataclass with an `id`."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


def stored_id(record: Identified) -> int:
    """The id of a stored record; ValueError for one that has not been stored yet (a bug in the caller)."""
    if record.id is None:
        raise ValueError(f"this {type(record).__name__} has not been stored yet, so it has no id")
    return record.id
