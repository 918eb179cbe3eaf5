"""Dashboard: what needs attention today across the portfolio, a suppliers × months heat map, the register's
size and the recent changes. Every row opens the page and record behind it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from models.workspace import SqlWorkspace
from sltdesk.domain.audit import AuditEntry
from sltdesk.rules.attention import AttentionItem, Urgency
from sltdesk.services.audit import recent_audit
from sltdesk.services.views import DashboardView, dashboard_view
from ui.context import WorkspaceContext, local_today
from ui.pages.audit_log import summary
from ui.pages.base import Page
from ui.pages.heat_map import HeatMap, preferred_width
from ui.style import section_heading
from ui.table_model import Column
from ui.table_panel import TablePanel

if TYPE_CHECKING:
    from sltdesk.services.attention import AttentionView

RECENT_CHANGES = 8
RED, AMBER = "#b3261e", "#8a5a00"
BANNER_STYLE = "background: #e8f1fb; color: #1f3b5c; padding: 6px 10px; border: 1px solid #b6cde8; border-radius: 4px;"


@dataclass(frozen=True)
class DashboardData:
    view: DashboardView
    attention: AttentionView
    recent: list[AuditEntry]


def _recent_columns() -> list[Column]:
    return [
        Column("Time (UTC)", "at_utc", display=lambda e: e.at_utc[:19].replace("T", " ")),
        Column("User", "os_user"),
        Column("Action", "action"),
        Column("Entity", "entity", display=lambda e: e.entity.replace("_", " ")),
        Column("Change", summary, tooltip=True),
    ]


def _urgency_colour(item: AttentionItem) -> str | None:
    return RED if item.red or item.urgency is Urgency.OVERDUE else AMBER if item.urgency is Urgency.SOON else None


def _days(item: AttentionItem) -> str:
    if item.days_left is None:
        return ""
    return "today" if item.days_left == 0 else f"{item.days_left}" if item.days_left > 0 else f"{-item.days_left} ago"


def attention_columns() -> list[Column]:
    return [
        Column("Urgency", lambda i: (i.urgency.rank, i.urgency.value), display=lambda i: i.urgency.value,
               color=_urgency_colour),
        Column("What", lambda i: i.kind.value),
        Column("Days", lambda i: i.days_left if i.days_left is not None else 10**6, display=_days,
               color=lambda i: RED if i.red else None,
               align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        Column("Item", "sentence", tooltip=True, color=lambda i: RED if i.red else None),
    ]


class Tile(QFrame):
    """A number with a caption underneath."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tile")
        self.number = QLabel("–")
        self.number.setObjectName("tileNumber")
        self.caption = QLabel(caption)
        self.caption.setObjectName("tileCaption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set_value(self, value: int | None) -> None:
        self.number.setText("–" if value is None else f"{value:,}")


class DashboardPage(Page):
    title = "Dashboard"
    contract_requested = Signal(int)  # kept for callers that open a contract
    item_requested = Signal(object)  # an AttentionItem the user opened
    cell_requested = Signal(int, int, str)  # a heat-map cell: contract id, target id, period

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.data: DashboardData | None = None
        self.banner = QLabel(wordWrap=True)
        self.banner.setObjectName("referenceBanner")
        self.banner.setVisible(False)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.tiles: dict[str, Tile] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        captions = ("suppliers", "contracts", "contract targets", "contingency plans", "imported records")
        for column, caption in enumerate(captions):
            self.tiles[caption] = Tile(caption.capitalize())
            grid.addWidget(self.tiles[caption], 0, column)
        self.items_heading = QLabel("Needs attention")
        self.items_heading.setObjectName("sectionHeading")
        self.items = TablePanel(attention_columns(), placeholder="Filter: a supplier, a contract, 'overdue'…")
        self.items.view.doubleClicked.connect(self._open_item)
        self.items.view.activated.connect(self._open_item)
        self.heat = HeatMap()
        self.heat.cell_requested.connect(self.cell_requested)
        self.heat_note = QLabel("Green met · red missed · grey incomplete; a click opens the month on the "
                                "Verification page.", wordWrap=True)
        self.heat_note.setObjectName("rowCount")
        self.recent = TablePanel(_recent_columns(), placeholder="Filter recent changes", stretch=4)
        self.recent.filter.hide()
        split = QSplitter(childrenCollapsible=False)
        split.addWidget(self._column(self.items_heading, self.items))
        split.addWidget(self._column(section_heading("Targets by supplier and month"),
                                     self.heat, self.heat_note))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.split = split
        self.body.addWidget(self.banner)
        self.body.addLayout(grid)
        self.body.addWidget(split, 4)
        self.body.addWidget(section_heading("Recent changes"))
        self.body.addWidget(self.recent, 1)

    @staticmethod
    def _column(*widgets: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget, 1 if not isinstance(widget, QLabel) else 0)
        return box

    @staticmethod
    def load(ws: SqlWorkspace) -> DashboardData:
        today = local_today()
        from sltdesk.services.attention import attention  # pandas and the measurement: on the worker, not at start

        return DashboardData(dashboard_view(ws, today=today), attention(ws, today=today),
                             recent_audit(ws, RECENT_CHANGES))

    def show_data(self, loaded: DashboardData | None) -> None:
        self.data = loaded
        self.recent.set_rows(loaded.recent if loaded else [])
        for caption, tile in self.tiles.items():
            tile.set_value(loaded.view.counts.get(caption) if loaded else None)
        view = loaded.attention if loaded else None
        self.banner.setVisible(bool(view and view.from_reference))
        if view and view.from_reference:
            self.banner.setText(f"Demo workspace: shown as of its reference date, {view.as_of:%d %b %Y} — the end of "
                                "its data plus five weeks — so that its deadlines and months read as they were "
                                "meant to.")
        self.items.set_rows(list(view.items) if view else [])
        overdue = sum(1 for i in view.items if i.urgency is Urgency.OVERDUE) if view else 0
        self.items_heading.setText(
            f"Needs attention — {len(view.items)} items, {overdue} overdue, as of {view.as_of:%d %b %Y}" if view
            else "Needs attention")
        self.heat.show_rows(view.months if view else (), view.heat if view else ())
        self._fit_heat_map()

    def _fit_heat_map(self) -> None:
        """Give the heat map what its months need and the list the rest."""
        total = sum(self.split.sizes()) or self.split.width()
        wanted = min(preferred_width(self.heat), int(total * 0.5))  # twelve months whole at 1280×800
        self.split.setSizes([max(total - wanted, 1), wanted])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_heat_map()

    def focus_filter(self) -> None:
        self.items.focus_filter()

    def _open_item(self, _index: QModelIndex) -> None:
        item = self.items.current()
        if item is not None:
            self.item_requested.emit(item)
