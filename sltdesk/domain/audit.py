"""Audit trail entries: who changed what, when, from which value to which."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    """One link of the hash chain, as stored."""

    seq: int
    at_utc: str  # ISO-8601 with a Z: text, so the hashed bytes never depend on the database
    os_user: str
    action: str  # create | update | delete | import | remove-import | ...
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    app_version: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    """The outcome of recomputing the chain."""

    ok: bool
    entries: int
    head: str
    first_bad_seq: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class Anchor:
    """The head of the trail at one moment, kept outside the workspace (an e-mail, a signed file)."""

    entries: int | None  # None: only the hash was given
    head: str
    at_utc: str = ""  # ISO-8601 with a Z ("" when only the hash was given)
