"""Audit log: every change, newest first, and a check that nobody rewrote the chain."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.audit import AuditEntry, ChainReport
from sltdesk.services.audit import recent_audit, verify_audit
from ui.context import WorkspaceContext
from ui.pages.base import Page
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background

OK_STYLE = "color: #1e6b35;"
BAD_STYLE = "color: #b3261e; font-weight: bold;"
_NAMED = ("ref", "name", "title", "action", "decision", "text", "topic", "agenda_item", "reason", "description",
          "summary", "label")


def summary(entry: AuditEntry) -> str:
    """What changed: 'title: Hosting → Hosting EU' for an update, the record's name otherwise."""
    before, after = entry.before or {}, entry.after or {}
    if before and after:
        changed = [k for k in after if k not in ("id", "version") and before.get(k) != after.get(k)]
        return "; ".join(f"{k}: {_short(before.get(k))} → {_short(after.get(k))}" for k in changed) or "no change"
    record = after or before
    name = next((record[k] for k in _NAMED if record.get(k)), "")
    if not name:  # records without a name: their first short text field says what they are
        name = next((v for k, v in record.items() if isinstance(v, str) and v and k not in ("id",)), "")
    return _short(name)


def _short(value: Any, limit: int = 60) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _time(entry: AuditEntry) -> str:
    return entry.at_utc[:19].replace("T", " ")


def report_text(report: ChainReport) -> str:
    if report.ok:
        return f"OK — {report.entries:,} entries, head {report.head}"
    where = f" at entry {report.first_bad_seq}" if report.first_bad_seq is not None else ""
    return f"Chain broken{where}: {report.problem}"


class AuditLogPage(Page):
    title = "Audit log"

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self._verified_head: str | None = None
        self.table = TablePanel(self._columns(), placeholder="Filter entries", stretch=6)
        self.verify_button = QPushButton("Verify chain")
        self.verify_button.setToolTip("Recompute every hash of the audit trail")
        self.verify_button.clicked.connect(self.verify)
        self.result = QLabel(wordWrap=True)
        self.result.setObjectName("verifyResult")
        self.result.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.actions_row.addWidget(self.verify_button)
        self.body.addWidget(self.result)
        self.body.addWidget(self.table, 1)

    @staticmethod
    def load(ws: SqlWorkspace) -> list[AuditEntry]:
        return recent_audit(ws)

    def show_data(self, data: list[AuditEntry] | None) -> None:
        head = data[0].hash if data else None
        if head != self._verified_head:  # the chain grew (or another workspace opened): old verdict is stale
            self.result.clear()
        self.table.set_rows(data or [])

    def verify(self) -> None:
        """Recompute the chain in the background and show the outcome beside the button."""
        if self.ctx.workspace is None:
            return
        self.verify_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText("Verifying…")
        run_in_background(verify_audit, self.ctx.workspace, on_done=self._show_report, on_error=self._failed)

    def focus_filter(self) -> None:
        self.table.focus_filter()

    def _show_report(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        self._verified_head = report.head if report.ok else None
        self.result.setText(report_text(report))
        self.result.setStyleSheet(OK_STYLE if report.ok else BAD_STYLE)

    def _failed(self, error: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.result.setText(f"Could not verify: {error}")
        self.result.setStyleSheet(BAD_STYLE)

    def _columns(self) -> list[Column]:
        return [
            Column("#", "seq"),
            Column("Time (UTC)", "at_utc", display=_time),
            Column("User", "os_user"),
            Column("Action", "action"),
            Column("Entity", "entity", display=lambda e: e.entity.replace("_", " ")),
            Column("Id", lambda e: int(e.entity_id) if e.entity_id.isdigit() else e.entity_id,
                   display=lambda e: e.entity_id),
            Column("Change", summary, tooltip=True),
            Column("Hash", "hash", display=lambda e: e.hash[:12], mono=True, tooltip=True),
        ]
