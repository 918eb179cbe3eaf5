"""Dashboard: how big the register is, and which contracts need a decision soon."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.audit import AuditEntry
from sltdesk.rules.renewals import RenewalAlert
from sltdesk.services.audit import recent_audit
from sltdesk.services.views import DashboardView, dashboard_view
from ui.context import WorkspaceContext, local_today
from ui.pages.audit_log import summary
from ui.pages.base import Page
from ui.table_model import Column
from ui.table_panel import TablePanel

HORIZON_DAYS = 90
RECENT_CHANGES = 12


@dataclass(frozen=True)
class DashboardData:
    view: DashboardView
    recent: list[AuditEntry]


def _urgency(alert: RenewalAlert) -> str | None:
    return "#b3261e" if alert.days_left <= 30 else "#8a5a00" if alert.days_left <= 60 else None


def _recent_columns() -> list[Column]:
    return [
        Column("Time (UTC)", "at_utc", display=lambda e: e.at_utc[:19].replace("T", " ")),
        Column("User", "os_user"),
        Column("Action", "action"),
        Column("Entity", "entity", display=lambda e: e.entity.replace("_", " ")),
        Column("Change", summary, tooltip=True),
    ]


class Tile(QFrame):
    """A number with a caption underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent, objectName="tile")
        self.number = QLabel("–", objectName="tileNumber")
        self.caption = QLabel(caption, objectName="tileCaption")
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set_value(self, value: int | None) -> None:
        self.number.setText("–" if value is None else f"{value:,}")


class DashboardPage(Page):
    title = "Dashboard"
    contract_requested = Signal(int)  # the user double-clicked an alert

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        captions = ("business units", "services", "suppliers", "contracts", "contract targets", "contingency plans")
        for column, caption in enumerate(captions):
            self.tiles[caption] = Tile(caption.capitalize())
            grid.addWidget(self.tiles[caption], 0, column)
        self.alerts_heading = QLabel(objectName="sectionHeading")
        self.empty = QLabel(f"No renewal or notice deadline falls in the next {HORIZON_DAYS} days.", visible=False)
        self.alerts = TablePanel(self._columns(), placeholder="Filter alerts")
        self.alerts.view.doubleClicked.connect(self._open_alert)
        self.recent = TablePanel(_recent_columns(), placeholder="Filter recent changes", stretch=4)
        self.recent.filter.hide()
        self.body.addLayout(grid)
        self.body.addSpacing(12)
        self.body.addWidget(self.alerts_heading)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.alerts, 3)
        self.body.addSpacing(8)
        self.body.addWidget(QLabel("Recent changes", objectName="sectionHeading"))
        self.body.addWidget(self.recent, 2)

    @staticmethod
    def load(ws: SqlWorkspace) -> DashboardData:
        view = dashboard_view(ws, today=local_today(), horizon_days=HORIZON_DAYS)
        return DashboardData(view, recent_audit(ws, RECENT_CHANGES))

    def show_data(self, loaded: DashboardData | None) -> None:
        data = loaded.view if loaded else None
        self.recent.set_rows(loaded.recent if loaded else [])
        for caption, tile in self.tiles.items():
            tile.set_value(data.counts.get(caption) if data else None)
        alerts = data.alerts if data else []
        when = f"{data.today:%d %b %Y}" if data else "today"
        self.alerts_heading.setText(f"Renewals and notice deadlines — next {HORIZON_DAYS} days from {when}")
        self.empty.setVisible(data is not None and not alerts)
        self.alerts.set_rows(alerts)

    def focus_filter(self) -> None:
        self.alerts.focus_filter()

    def _columns(self) -> list[Column]:
        return [
            Column("Due", "due"),
            Column("Days left", "days_left", color=_urgency),
            Column("Contract", "contract_ref"),
            Column("What", "kind"),
            Column("Alert", "sentence", tooltip=True),
        ]

    def _open_alert(self, index: QModelIndex) -> None:
        alert = self.alerts.current()
        if alert is not None and alert.contract_id:
            self.contract_requested.emit(alert.contract_id)

