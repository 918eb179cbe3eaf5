"""Ctrl+K: find a supplier, contract, target, review or action by any of its words, and open it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from sltdesk.services.search import SearchHit, search
from ui.workers import run_in_background

KIND_LABELS = {"supplier": "Supplier", "contract": "Contract", "target": "Target", "review": "Review",
               "action": "Action"}


def _search(token: int, ws, text: str) -> tuple[int, list[SearchHit]]:
    return token, search(ws, text)


class SearchDialog(QDialog):
    """Type; the results follow (searched off the GUI thread); Enter or a double click opens the record."""

    chosen = Signal(object)  # the SearchHit
    answered = Signal()      # results shown for the latest text (tests wait for it)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Search")
        self.resize(640, 420)
        self.query = QLineEdit(placeholderText="Search suppliers, contracts, targets, reviews, actions…",
                               clearButtonEnabled=True)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSpacing(2)
        self.status = QLabel("Type a name, a reference or any word of a note.")
        self.status.setObjectName("rowCount")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._token = 0
        self._timer = QTimer(self, singleShot=True, interval=120)  # search once the typing pauses
        self._timer.timeout.connect(self._start)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self.open_current)
        self.results.itemActivated.connect(lambda _item: self.open_current())
        self.query.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        """Up and Down in the search box move through the results."""
        if watched is self.query and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.results.count():
            row = self.results.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
            return True
        return super().eventFilter(watched, event)

    def _start(self) -> None:
        self._token += 1
        text, ws = self.query.text(), self.ctx.workspace
        if ws is None or not text.strip():
            self._show(self._token, [])
            return
        self.status.setText("Searching…")
        run_in_background(_search, self._token, ws, text, on_done=lambda answer: self._show(*answer))

    def _show(self, token: int, hits: list[SearchHit]) -> None:
        if token != self._token:
            return  # an older search, overtaken by the typing
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(f"{KIND_LABELS[hit.kind]}  ·  {hit.title}\n{hit.detail}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        text = self.query.text().strip()
        self.status.setText("" if not text else f"{len(hits)} found; Enter opens the selected one." if hits
                            else f"Nothing matches “{text}”.")
        self.answered.emit()

    def open_current(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()
