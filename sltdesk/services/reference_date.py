"""The day a workspace's figures are best read on, when it has one: the demo's reference date.

The demo's data ends on a fixed day; read on today's date, a demo built long ago would show every deadline as
passed and every month since as missing. So the demo stores its reference date (the end of its data plus five
weeks), and the Dashboard and `sltdesk attention` use it as their default "as of" — saying so.
"""

from __future__ import annotations

from datetime import date

from sltdesk.services.ports import Workspace

REFERENCE_KEY = "demo_reference_date"


def reference_date(ws: Workspace) -> date | None:
    """The workspace's stored reference date (the demo's), or None for an ordinary workspace."""
    with ws.unit_of_work() as uow:
        info = getattr(uow, "info", None)
        text = info.get(REFERENCE_KEY) if info is not None else None
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def store_reference_date(ws: Workspace, day: date) -> None:
    """Record the reference date (the demo does, before a team is set up: app roles may not write it)."""
    with ws.unit_of_work() as uow:
        uow.info.set(REFERENCE_KEY, day.isoformat())
        uow.commit()
