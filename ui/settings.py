"""What the app remembers between runs (QSettings under the organisation "SLT Desk")."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings()


def recent_workspaces() -> list[str]:
    """Most recently opened first."""
    value = settings().value("recent/workspaces", [])
    if isinstance(value, str):  # QSettings returns a lone string for a one-element list
        value = [value]
    return [str(v) for v in value if v] if isinstance(value, list) else []


def remember_workspace(location: str) -> list[str]:
    """Move a workspace to the top of the recent list; returns the new list."""
    recent = [location] + [p for p in recent_workspaces() if p != location]
    recent = recent[:MAX_RECENT]
    settings().setValue("recent/workspaces", recent)
    return recent


def forget_workspace(location: str) -> None:
    settings().setValue("recent/workspaces", [p for p in recent_workspaces() if p != location])


def window_geometry() -> QByteArray | None:
    value = settings().value("window/geometry")
    return value if isinstance(value, QByteArray) else None


def save_window_geometry(geometry: QByteArray) -> None:
    settings().setValue("window/geometry", geometry)


def last_page() -> int:
    value = settings().value("window/page", 0)  # an int, or its text (QSettings keeps what the backend stored)
    try:
        return int(value) if isinstance(value, int | float | str) else 0
    except ValueError:
        return 0


def save_last_page(index: int) -> None:
    settings().setValue("window/page", index)
