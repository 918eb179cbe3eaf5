"""Workspace facts kept as key/value text in workspace_info (e.g. the demo's reference date)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.repository import REPOSITORIES
from models.tables import WorkspaceInfo


class SqlWorkspaceInfo:
    """Read and write one workspace_info key (on a team database only its owner may write)."""

    def __init__(self, session: Session):
        self._s = session

    def get(self, key: str) -> str | None:
        row = self._s.get(WorkspaceInfo, key)
        return None if row is None else row.value

    def set(self, key: str, value: str) -> None:
        self._s.merge(WorkspaceInfo(key=key, value=value))


REPOSITORIES["info"] = SqlWorkspaceInfo
