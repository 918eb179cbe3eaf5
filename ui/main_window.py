"""The main window: sidebar navigation, the pages, the status bar and the open workspace."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.workspace import SqlWorkspace, open_workspace
from sltdesk.errors import WorkspaceError
from sltdesk.services.audit import AuditHead, audit_head
from ui import dialogs, settings
from ui.context import WorkspaceContext
from ui.file_actions import FileActions
from ui.pages.base import Page
from ui.permissions import banner_text, role_text
from ui.style import STYLE_SHEET
from ui.workers import run_in_background, wait_for_workers

if TYPE_CHECKING:
    from ui.pages.audit_log import AuditLogPage
    from ui.pages.contracts import ContractsPage
    from ui.pages.dashboard import DashboardPage
    from ui.pages.imports import ImportsPage
    from ui.pages.reviews import ReviewsPage
    from ui.pages.suppliers import SuppliersPage
    from ui.pages.targets import TargetsPage

P = TypeVar("P", bound=Page)

# The pages in sidebar order: (title, module, class). A page is built (and its module imported) when it is first
# shown or asked for, so the window paints before the heavy pages' libraries (pandas, matplotlib) are loaded.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("Dashboard", "ui.pages.dashboard", "DashboardPage"),
    ("Suppliers", "ui.pages.suppliers", "SuppliersPage"),
    ("Contracts", "ui.pages.contracts", "ContractsPage"),
    ("Targets", "ui.pages.targets", "TargetsPage"),
    ("Contacts", "ui.pages.supplier_people", "ContactsPage"),
    ("Contingency plans", "ui.pages.supplier_people", "ContingencyPlansPage"),
    ("Services & mapping", "ui.pages.mapping", "MappingPage"),
    ("Imports", "ui.pages.imports", "ImportsPage"),
    ("Questionnaires", "ui.pages.questionnaires", "QuestionnairesPage"),
    ("Penalties", "ui.pages.penalties", "PenaltiesPage"),
    ("Reconciliation", "ui.pages.reconciliation", "ReconciliationPage"),
    ("Verification", "ui.pages.verification", "VerificationPage"),
    ("Reviews", "ui.pages.reviews", "ReviewsPage"),
    ("Audit log", "ui.pages.audit_log", "AuditLogPage"),
)
TITLES = tuple(title for title, _module, _name in PAGES)

SIDEBAR_WIDTH = 214
COMPACT_SIDEBAR_WIDTH = 178  # below COMPACT_BELOW pixels of window width the sidebar gives the page more room
COMPACT_BELOW = 1200


def _head_of(ws: SqlWorkspace) -> tuple[SqlWorkspace, AuditHead]:
    return ws, audit_head(ws)


def window_title(ws: SqlWorkspace | None) -> str:
    if ws is None:
        return "SLT Desk"
    return f"SLT Desk — {Path(ws.location).name}" + (" (read-only)" if ws.read_only else "")


def workspace_banner(ws: SqlWorkspace | None) -> str:
    """The yellow line over the pages: a read-only file, or a viewer on a team database ('' otherwise)."""
    if ws is not None and ws.read_only:
        return (f"Read-only: {Path(ws.location).name} is open read-only, because the file or its folder may not be "
                "written here. You can look, export and make packs; every change is refused and nothing in the file "
                "is changed. To work in it, copy it to a folder you may write to and open the copy.")
    return banner_text(ws)


READ_ONLY_STYLE = "background: #fff4ce; color: #4d3b00; padding: 6px 12px; border-bottom: 1px solid #e0c060;"


class MainWindow(QMainWindow):
    """One window per workspace; File → Open switches the workspace it shows."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = WorkspaceContext(self)
        self._built: dict[int, Page] = {}
        self.sidebar = self._make_sidebar()
        self.stack = QStackedWidget()
        for _title in TITLES:  # a stand-in until the page is first shown
            self.stack.addWidget(QWidget())
        self.outer = QStackedWidget()
        self.outer.addWidget(self._make_empty_state())
        self.outer.addWidget(self._make_content())
        self.setCentralWidget(self.outer)
        self._make_status_bar()
        self.files = FileActions(self)
        self.files.build_menus()
        self.ctx.workspace_changed.connect(self._on_workspace_changed)
        self.ctx.records_changed.connect(self._refresh_audit_head)
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1280, 800)
        self._restore_settings()
        self._on_workspace_changed()

    # --- workspace --------------------------------------------------------------------------
    def open_location(self, location: str, *, create: bool = False) -> bool:
        """Open (or create) a workspace; on failure say why and keep the current one open."""
        if self.ctx.workspace is not None and not self.current_page().may_leave():
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            workspace = open_workspace(location, create=create)
        except WorkspaceError as error:
            QGuiApplication.restoreOverrideCursor()
            dialogs.warn(self, str(error))
            return False
        QGuiApplication.restoreOverrideCursor()
        self.ctx.set_workspace(workspace)
        settings.remember_workspace(workspace.location)
        if workspace.backup_path:
            self.statusBar().showMessage(f"Upgraded the workspace; the old version was kept as "
                                         f"{workspace.backup_path.name}.", 15000)
        return True

    # --- pages ------------------------------------------------------------------------------
    def page_at(self, index: int) -> Page:
        """The page at this sidebar position, built (and its module imported) the first time it is asked for."""
        if index not in self._built:
            _title, module, name = PAGES[index]
            page: Page = getattr(importlib.import_module(module), name)(self.ctx)
            self._built[index] = page
            current = self.stack.currentIndex()
            stand_in = self.stack.widget(index)
            self.stack.insertWidget(index, _scrolling(page))
            if stand_in is not None:
                self.stack.removeWidget(stand_in)
                stand_in.deleteLater()
            self.stack.setCurrentIndex(current)
            if name == "DashboardPage":
                self._connect_dashboard(page)
        return self._built[index]

    def page_of(self, kind: type[P]) -> P:
        """The window's page of this class (built if it was not yet)."""
        index = next(i for i, (_t, module, name) in enumerate(PAGES)
                     if (module, name) == (kind.__module__, kind.__name__))
        page = self.page_at(index)
        assert isinstance(page, kind)
        return page

    def index_of(self, page: Page) -> int:
        return next(i for i, built in self._built.items() if built is page)

    @property
    def pages(self) -> list[Page]:
        """Every page, built (tests and screenshots walk them all; the app builds each when first shown)."""
        return [self.page_at(i) for i in range(len(PAGES))]

    @property
    def dashboard(self) -> DashboardPage:
        from ui.pages.dashboard import DashboardPage

        return self.page_of(DashboardPage)

    @property
    def suppliers(self) -> SuppliersPage:
        from ui.pages.suppliers import SuppliersPage

        return self.page_of(SuppliersPage)

    @property
    def contracts(self) -> ContractsPage:
        from ui.pages.contracts import ContractsPage

        return self.page_of(ContractsPage)

    @property
    def targets(self) -> TargetsPage:
        from ui.pages.targets import TargetsPage

        return self.page_of(TargetsPage)

    @property
    def imports(self) -> ImportsPage:
        from ui.pages.imports import ImportsPage

        return self.page_of(ImportsPage)

    @property
    def reviews(self) -> ReviewsPage:
        from ui.pages.reviews import ReviewsPage

        return self.page_of(ReviewsPage)

    @property
    def audit_log(self) -> AuditLogPage:
        from ui.pages.audit_log import AuditLogPage

        return self.page_of(AuditLogPage)

    def _connect_dashboard(self, dashboard: Page) -> None:
        from ui import navigation
        from ui.pages.dashboard import DashboardPage

        assert isinstance(dashboard, DashboardPage)
        dashboard.contract_requested.connect(self.show_contract)
        dashboard.item_requested.connect(lambda item: navigation.open_item(self, item))
        dashboard.cell_requested.connect(lambda *cell: navigation.open_cell(self, *cell))

    def show_page(self, index: int) -> bool:
        """Show a page; False when the user chose to stay on the current one (unsaved typing)."""
        self.sidebar.setCurrentRow(index)
        return self.stack.currentIndex() == index

    def current_page(self) -> Page:
        return self.page_at(self.stack.currentIndex())

    def show_contract(self, contract_id: int) -> None:
        """Jump from a dashboard alert to the contract's form."""
        contracts = self.contracts
        if self.show_page(self.index_of(contracts)):
            contracts.select_record(contract_id)

    def open_search(self) -> None:
        """Ctrl+K: the global search; the record chosen is shown on its page."""
        from ui.search_dialog import SearchDialog

        if self.ctx.workspace is None:
            return
        self.search_dialog = SearchDialog(self.ctx, self)
        self.search_dialog.chosen.connect(self.open_hit)
        self.search_dialog.open()

    def open_hit(self, hit) -> None:
        """Show a search result: the page of its kind with the record selected."""
        from ui.navigation import open_search_hit

        open_search_hit(self, hit)

    def _on_workspace_changed(self) -> None:
        ws = self.ctx.workspace
        self.outer.setCurrentIndex(0 if ws is None else 1)
        self.setWindowTitle(window_title(ws))
        self.read_only_banner.setText(workspace_banner(ws))
        self.read_only_banner.setVisible(bool(self.read_only_banner.text()))
        self.path_label.setText(ws.location if ws else "No workspace open")
        self._show_role(ws)
        self.audit_label.setText("")
        self.files.update_enabled()
        self._refresh_audit_head()

    def _show_role(self, ws: SqlWorkspace | None) -> None:
        self.role_label.setText(role_text(ws))
        self.role_label.setVisible(bool(self.role_label.text()))
        self.role_label.setToolTip("Who you are in this team database, and your role (set by its administrator "
                                   "with `sltdesk team grant`)." if ws is not None and ws.team else "")

    def _refresh_audit_head(self, *_args: object) -> None:
        if self.ctx.workspace is not None:
            run_in_background(_head_of, self.ctx.workspace, on_done=self._show_audit_head)

    def _show_audit_head(self, result: tuple[SqlWorkspace, AuditHead]) -> None:
        ws, head = result
        if ws is not self.ctx.workspace:
            return
        self.ctx.set_audit_head(head)
        self.audit_label.setText(f"Audit trail: {head.entries:,} entries · head {head.head[:12]}")
        self.audit_label.setToolTip(head.head)

    # --- layout ---------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_sidebar()

    def _fit_sidebar(self) -> None:
        """A narrower sidebar with tighter items on a small screen, so the page keeps its columns."""
        compact = self.width() < COMPACT_BELOW
        if self.sidebar.property("compact") != compact:
            self.sidebar.setProperty("compact", compact)
            self.sidebar.style().unpolish(self.sidebar)
            self.sidebar.style().polish(self.sidebar)
            self.sidebar.setFixedWidth(COMPACT_SIDEBAR_WIDTH if compact else SIDEBAR_WIDTH)

    def _make_sidebar(self) -> QListWidget:
        sidebar = QListWidget()
        sidebar.setObjectName("sidebar")
        sidebar.addItems(list(TITLES))
        sidebar.setFixedWidth(SIDEBAR_WIDTH)
        sidebar.setProperty("compact", False)
        sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        sidebar.currentRowChanged.connect(self._on_page_chosen)
        return sidebar

    def _on_page_chosen(self, index: int) -> None:
        current = self.stack.currentIndex()
        if index != current and self.ctx.workspace is not None and not self.current_page().may_leave():
            blocked = self.sidebar.blockSignals(True)  # stay: the sidebar shows the page still being edited
            self.sidebar.setCurrentRow(current)
            self.sidebar.blockSignals(blocked)
            return
        if 0 <= index < len(PAGES):
            self.page_at(index)
            self.stack.setCurrentIndex(index)
            settings.save_last_page(index)

    def _make_content(self) -> QWidget:
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.read_only_banner = QLabel(wordWrap=True)
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setStyleSheet(READ_ONLY_STYLE)
        self.read_only_banner.hide()
        column.addWidget(self.read_only_banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        column.addLayout(layout, 1)
        return content

    def _make_empty_state(self) -> QWidget:
        box = QWidget()
        box.setObjectName("emptyState")
        layout = QVBoxLayout(box)
        layout.addStretch(1)
        title = QLabel("No workspace is open", alignment=Qt.AlignmentFlag.AlignCenter)
        title.setObjectName("pageHeading")
        text = QLabel("A workspace is one portfolio of suppliers, contracts and targets, kept in a single "
                      "*.sltdesk file.\nCreate one, open one, or explore the demo portfolio.",
                      alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        layout.addWidget(title)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.empty_buttons: dict[str, QPushButton] = {}
        for key, caption in (("new", "New workspace…"), ("open", "Open…"), ("demo", "Open demo")):
            self.empty_buttons[key] = QPushButton(caption)
            buttons.addWidget(self.empty_buttons[key])
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return box

    def _make_status_bar(self) -> None:
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.audit_label = QLabel()
        self.audit_label.setObjectName("auditLabel")
        self.role_label = QLabel()
        self.role_label.setObjectName("roleLabel")
        self.role_label.setVisible(False)
        self.role_label.setStyleSheet("font-weight: 600; padding: 0 8px;")
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.role_label)
        self.statusBar().addPermanentWidget(self.audit_label)

    # --- settings -------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.sidebar.setCurrentRow(min(max(settings.last_page(), 0), len(PAGES) - 1))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.workspace is not None and not self.current_page().may_leave():
            event.ignore()
            return
        settings.save_window_geometry(self.saveGeometry())
        wait_for_workers()
        self.ctx.set_workspace(None)
        wait_for_workers()
        super().closeEvent(event)


def _scrolling(page: Page) -> QScrollArea:
    """The page fills the window and scrolls, rather than growing the window, when the window is smaller than
    the page's minimum size (a laptop at 1000×650)."""
    area = QScrollArea(widgetResizable=True)
    area.setObjectName("pageScroll")
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area
