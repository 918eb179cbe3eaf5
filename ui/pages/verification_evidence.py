"""The rows behind one figure (tickets, outages or intervals) as a sortable, filterable table, worst rows marked."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.table_actions import add_table_actions
from ui.table_model import RIGHT, Column, RowFilterProxy, RowTableModel

Index = QModelIndex | QPersistentModelIndex
FLAGGED_BACKGROUND, FLAGGED_TEXT = "#fde3df", "#8c1d18"
NA_TIME = np.iinfo(np.int64).min


@dataclass(frozen=True)
class EvidenceRow:
    values: tuple
    flagged: bool  # a missed ticket, an outage with downtime, a bad interval


@dataclass(frozen=True)
class EvidenceTable:
    """Column headers with their kind ('text', 'time', 'number', 'int'), the rows, and what a flag means."""

    kind: str  # "tickets" | "outages" | "intervals"
    headers: tuple[tuple[str, str], ...]
    rows: list[EvidenceRow]
    flag_name: str

    @property
    def flagged(self) -> int:
        return sum(r.flagged for r in self.rows)


def evidence_table(frame: pd.DataFrame | None, zone: ZoneInfo) -> EvidenceTable | None:
    """Tickets, outages or intervals with their times as local date-times in the target's calendar zone."""
    if frame is None:
        return None
    if "ticket_id" in frame:
        return _tickets(frame, zone)
    if "outage_id" in frame:
        return _outages(frame, zone)
    return _intervals(frame, zone)


def _times(values: Any, zone: ZoneInfo) -> list[datetime | None]:
    stamps = pd.Series(values).to_numpy(dtype=np.float64, na_value=np.nan)
    return [None if math.isnan(s) or s <= NA_TIME + 1 else datetime.fromtimestamp(s, zone) for s in stamps]


def _numbers(values: Any, digits: int = 1) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), digits) for v in values]


def _build(kind: str, flag_name: str, columns: list[tuple[str, str, list]], flagged: np.ndarray) -> EvidenceTable:
    headers = tuple((h, k) for h, k, _ in columns)
    rows = [EvidenceRow(values, bool(flag)) for values, flag in zip(
        zip(*(v for _, _, v in columns), strict=True), flagged, strict=True)] if len(flagged) else []
    return EvidenceTable(kind, headers, rows, flag_name)


def _tickets(frame: pd.DataFrame, zone: ZoneInfo) -> EvidenceTable:
    columns: list[tuple[str, str, list]] = [("Ticket", "text", frame["ticket_id"].astype(str).tolist()),
                                            ("Priority", "text", frame["priority"].fillna("").tolist())]
    for name, header in (("opened_at", "Opened"), ("assigned_at", "Assigned"), ("responded_at", "Responded"),
                         ("resolved_at", "Resolved"), ("closed_at", "Closed")):
        times = _times(frame[name], zone) if name in frame else []
        if any(t is not None for t in times) or name == "opened_at":
            columns.append((header, "time", times))
    if "elapsed_minutes" in frame:
        judged = frame["judged"].to_numpy(bool)
        met = frame["met"].to_numpy(bool)
        excluded = frame["excluded_by"].fillna("").tolist() if "excluded_by" in frame else [""] * len(frame)
        columns += [("Clock min", "number", _numbers(frame["elapsed_minutes"])),
                    ("Paused min", "number", _numbers(frame["paused_minutes"])),
                    ("Result", "text", [f"excluded — {x}" if x else "met" if m else "missed" if j else
                                        "open, within time" for m, j, x in zip(met, judged, excluded, strict=True)])]
        flagged = judged & ~met & ~np.array([bool(x) for x in excluded], dtype=bool)
    else:
        columns.append(("Elapsed h", "number", _numbers(frame["elapsed_hours"], 2)))
        flagged = np.zeros(len(frame), dtype=bool)
    columns += [("Service", "text", frame["service"].fillna("").tolist()),
                ("Status", "text", frame["status"].fillna("").tolist()),
                ("Source row", "int", frame["source_row"].tolist())]
    return _build("tickets", "missed tickets", columns, flagged)


def _outages(frame: pd.DataFrame, zone: ZoneInfo) -> EvidenceTable:
    lasted = (frame["end"].to_numpy(np.int64) - frame["start"].to_numpy(np.int64)) / 60
    columns = [("Outage", "text", frame["outage_id"].fillna("").astype(str).tolist()),
               ("Start", "time", _times(frame["start"], zone)), ("End", "time", _times(frame["end"], zone)),
               ("Lasted min", "number", _numbers(lasted)),
               ("Impact %", "number", _numbers(frame["impact_percent"], 0)),
               ("Downtime min", "number", _numbers(frame["downtime_minutes"], 2)),
               ("Planned", "text", ["yes" if p is True else "no" if p is False else "" for p in frame["planned"]]),
               ("Service", "text", frame["service"].fillna("").tolist()),
               ("Note", "text", frame["note"].fillna("").tolist()),
               ("Source row", "int", frame["source_row"].tolist())]
    return _build("outages", "outages with downtime", columns, frame["downtime_minutes"].to_numpy(float) > 0)


def _intervals(frame: pd.DataFrame, zone: ZoneInfo) -> EvidenceTable:
    requests, errors = frame["requests"].to_numpy(float), frame["errors"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(requests > 0, errors / requests * 100, np.nan)
    bad, missing, excluded = (frame[c].to_numpy(bool) for c in ("bad", "missing", "excluded"))
    result = np.where(excluded, "excluded", np.where(missing & bad, "no data (unavailable)",
                      np.where(missing, "no data", np.where(bad, "bad", "good"))))
    columns = [("Interval", "time", _times(frame["t"], zone)), ("Requests", "int", _numbers(requests, 0)),
               ("Errors", "int", _numbers(errors, 0)), ("Error %", "number", _numbers(ratio, 2)),
               ("Latency ms", "number", _numbers(frame["latency"], 0)), ("Result", "text", result.tolist())]
    return _build("intervals", "bad intervals", columns, bad & ~excluded)


# --- the widget --------------------------------------------------------------------------------------------------
def _display(kind: str, i: int) -> Callable[[EvidenceRow], str]:
    def text(row: EvidenceRow) -> str:
        value = row.values[i]
        if value is None:
            return ""
        if kind == "time":
            return f"{value:%Y-%m-%d %H:%M}"
        if kind == "int":
            return f"{int(value):,}"
        if kind == "number":
            return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
        return str(value)
    return text


def evidence_columns(table: EvidenceTable) -> list[Column]:
    return [Column(header, (lambda r, i=i: r.values[i]), display=_display(kind, i),
                   align=RIGHT if kind in ("int", "number") else None, tooltip=header in ("Note", "Service"))
            for i, (header, kind) in enumerate(table.headers)]


class EvidenceModel(RowTableModel):
    """Evidence rows; flagged ones (missed, down, bad) on a red background."""

    def set_table(self, columns: list[Column], rows: list[EvidenceRow]) -> None:
        """New columns and rows at once (another target's evidence has other columns)."""
        self.beginResetModel()
        self.columns, self._rows = list(columns), list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if self.row_at(index.row()).flagged:
                return QColor(FLAGGED_BACKGROUND if role == Qt.ItemDataRole.BackgroundRole else FLAGGED_TEXT)
            return None
        return super().data(index, role)


class FlaggedProxy(RowFilterProxy):
    """The text filter, and optionally only the flagged rows."""

    only_flagged = False

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self.sourceModel()
        if self.only_flagged and not source.row_at(source_row).flagged:
            return False
        return super().filterAcceptsRow(source_row, source_parent)


class EvidencePanel(QWidget):
    """Filter box, 'only the flagged rows' switch, the table and its row count."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table: EvidenceTable | None = None
        self.model = EvidenceModel([], parent=self)
        self.proxy = FlaggedProxy(self.model, self)
        self.filter = QLineEdit(placeholderText="Filter evidence", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.only_flagged = QCheckBox("Only flagged rows")
        self.only_flagged.toggled.connect(self._set_only_flagged)
        self.view = _evidence_view(self.proxy)
        add_table_actions(self.view, "evidence")
        self.count = QLabel(objectName="rowCount")
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.only_flagged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self.setFocusProxy(self.view)

    def show_table(self, table: EvidenceTable | None) -> None:
        self.table = table
        self.model.set_table(evidence_columns(table) if table else [], table.rows if table else [])
        self.only_flagged.setText(f"Only {table.flag_name} ({table.flagged:,})" if table else "Only flagged rows")
        if table:
            self.view.resizeColumnsToContents()

    def rows(self) -> list[EvidenceRow]:
        """The rows as shown (filtered and sorted)."""
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def _set_only_flagged(self, on: bool) -> None:
        self.proxy.beginFilterChange()
        self.proxy.only_flagged = on
        self.proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        if self.table is None:
            self.count.setText("")
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        what = f"{total:,} {self.table.kind}" if shown == total else f"{shown:,} of {total:,} {self.table.kind}"
        self.count.setText(f"{what} · {self.table.flagged:,} {self.table.flag_name} (highlighted)")


def _evidence_view(proxy: FlaggedProxy) -> QTableView:
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order (by time) until a header is clicked
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(200)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view
