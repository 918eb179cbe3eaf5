"""Help: the user guide shipped with the app (offline), the keyboard shortcuts, "What's this figure?" links."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.register import MetricKind

# Which section of the guide explains a figure of each metric.
METRIC_SECTIONS = {MetricKind.AVAILABILITY: "availability", MetricKind.RESPONSE_TIME: "tickets",
                   MetricKind.RESOLUTION_TIME: "tickets", MetricKind.CYCLE_TIME_PERCENTILE: "tickets",
                   MetricKind.LATENCY_PERCENTILE: "samples", MetricKind.ERROR_RATE: "samples"}

# Shortcuts that live on widgets rather than on the window's actions.
WIDGET_SHORTCUTS = [("Ctrl+F", "Put the cursor in the current page's filter box"),
                    ("Ctrl+C", "Copy the selected row of a table as tab-separated text"),
                    ("Del", "Delete the selected record (register tables; asks first)"),
                    ("Enter", "Drill down into the selected cell of the Verification grid"),
                    ("F5", "Recompute the Verification page"),
                    ("Esc", "Close a dialog without saving")]


def guide_html() -> str:
    return resources.files("resources").joinpath("guide/guide.html").read_text(encoding="utf-8")


def figure_link(metric: MetricKind | None, *, incomplete: bool = False) -> str:
    """The rich-text link a page puts beside a figure."""
    section = "complete" if incomplete else METRIC_SECTIONS.get(metric, "figures") if metric else "figures"
    return f'<a href="guide:{section}">What\'s this figure?</a>'


class GuideDialog(QDialog):
    """The guide in a browser of its own, with a find box; links inside it move within it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("SLT Desk — user guide")
        self.resize(760, 680)
        self.find_box = QLineEdit(placeholderText="Find in the guide (Enter for the next match)",
                                  clearButtonEnabled=True)
        self.find_box.returnPressed.connect(self.find_next)
        self.browser = QTextBrowser(openExternalLinks=False, openLinks=True)
        self.browser.setHtml(guide_html())
        layout = QVBoxLayout(self)
        layout.addWidget(self.find_box)
        layout.addWidget(self.browser, 1)

    def show_section(self, anchor: str) -> None:
        if anchor:
            self.browser.scrollToAnchor(anchor)
        self.show()
        self.raise_()
        self.activateWindow()

    def find_next(self) -> bool:
        text = self.find_box.text()
        if not text:
            return False
        if self.browser.find(text):
            return True
        self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)  # wrap around once
        return self.browser.find(text)


_guide: GuideDialog | None = None


def show_guide(parent: QWidget, anchor: str = "") -> GuideDialog:
    """Open (or bring forward) the guide at a section; `anchor` may be 'guide:availability' or 'availability'."""
    global _guide
    window = parent.window()
    if _guide is None or _guide.parent() is not window:
        _guide = GuideDialog(window)
    _guide.show_section(anchor.removeprefix("guide:"))
    return _guide


def link_opener(parent: QWidget):
    """For QLabel.linkActivated: guide links open the guide, anything else the system's browser."""

    def open_link(link: str) -> None:
        if link.startswith("guide:"):
            show_guide(parent, link)
        else:
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl(link))

    return open_link


class ShortcutsDialog(QDialog):
    """Every shortcut of the window's menus, then those that belong to tables and pages."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 560)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for r, (keys, text) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what) for every window action with a shortcut, in menu order, then the widget shortcuts."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for action in window.actions():
        if not isinstance(action, QAction):
            continue
        for sequence in action.shortcuts():
            keys = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if keys and keys not in seen:
                seen.add(keys)
                rows.append((keys, action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
                             .rstrip("…").strip()))
    rows += [(keys, text) for keys, text in WIDGET_SHORTCUTS if keys not in seen]
    return rows


def help_actions(window: QWidget) -> dict[str, QAction]:
    """The Help menu's actions (the caller adds About)."""
    guide = QAction("&User guide", window, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents))
    guide.triggered.connect(lambda: show_guide(window))
    keys = QAction("&Keyboard shortcuts", window)
    keys.triggered.connect(lambda: ShortcutsDialog(window).exec())
    guide.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    return {"guide": guide, "shortcuts": keys}
