"""Widgets and cell texts the import wizard and the Imports page share: findings, previews, a busy bar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from importers.reading import column_letter
from sltdesk.domain.raw import FIELDS, FieldType, Finding, ParsedImport, RecordKind, Severity
from sltdesk.errors import SltDeskError
from ui.errors import report_exception
from ui.table_model import RIGHT, Column, RowTableModel
from ui.table_panel import TablePanel

ERROR_STYLE = "color: #b3261e;"
SEVERITY_COLOURS = {Severity.ERROR: "#b3261e", Severity.WARNING: "#9a6700", Severity.INFO: "#475467"}
_NOUNS = {Severity.ERROR: ("error", "errors"), Severity.WARNING: ("warning", "warnings"),
          Severity.INFO: ("note", "notes")}
_NA_TIME = -(2**63)  # how a missing time travels in a parsed frame
_TIME_FIELDS = {spec.name for specs in FIELDS.values() for spec in specs if spec.type is FieldType.DATETIME}


def counts_text(findings: Sequence[Finding]) -> str:
    """'3 errors, 2 warnings, 5 notes' (every severity named, so a zero is visible too)."""
    parts = []
    for severity, (one, many) in _NOUNS.items():
        count = sum(1 for f in findings if f.severity is severity)
        parts.append(f"{count:,} {one if count == 1 else many}")
    return ", ".join(parts)


def finding_columns() -> list[Column]:
    return [
        Column("Severity", lambda f: f.severity.value, color=lambda f: SEVERITY_COLOURS.get(f.severity)),
        Column("Code", "code"),
        Column("Sheet", "sheet"),
        Column("Row", "row", align=RIGHT),
        Column("Column", "column"),
        Column("Message", "message", tooltip=True),
    ]


class FindingsPanel(QWidget):
    """Findings filterable by severity (with counts) and by text; double-click emits `finding_activated`."""

    finding_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._all: list[Finding] = []
        self.severity = QComboBox()
        self.severity.setToolTip("Show the findings of one severity")
        for text, value in (("All findings", ""), ("Errors", "error"), ("Warnings", "warning"), ("Notes", "info")):
            self.severity.addItem(text, value)
        self.severity.currentIndexChanged.connect(self._apply)
        self.counts = QLabel()
        self.counts.setObjectName("findingCounts")
        self.table = TablePanel(finding_columns(), placeholder="Filter findings")
        self.table.view.doubleClicked.connect(self._on_double_click)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.counts, 1)
        top.addWidget(self.severity)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

    def set_findings(self, findings: Sequence[Finding]) -> None:
        self._all = list(findings)
        self.counts.setText(counts_text(self._all) if self._all else "No findings.")
        for index in range(self.severity.count()):
            wanted = self.severity.itemData(index)
            shown = sum(1 for f in self._all if not wanted or f.severity.value == wanted)
            self.severity.setItemText(index, f"{self.severity.itemText(index).split(' (')[0]} ({shown:,})")
        self._apply()

    def shown(self) -> list[Finding]:
        return self.table.model.rows()

    def _apply(self, *_args: Any) -> None:
        wanted = self.severity.currentData()
        self.table.set_rows([f for f in self._all if not wanted or f.severity.value == wanted])
        view = self.table.view
        view.setColumnHidden(2, len({f.sheet for f in self._all}) <= 1)  # one sheet (or a CSV): said elsewhere
        for section in range(len(self.table.model.columns) - 1):  # the message column takes the rest
            view.resizeColumnToContents(section)
            view.setColumnWidth(section, min(view.columnWidth(section) + 10, 260))

    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self.finding_activated.emit(self.table.model.row_at(self.table.proxy.mapToSource(index).row()))


class BusyBar(QWidget):
    """A sentence, and while something runs in the background a moving bar with a Cancel button."""

    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = QLabel(wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar(minimum=0, maximum=0, textVisible=False)
        self.bar.setMaximumHeight(14)
        self.bar.setVisible(False)
        self.cancel = QPushButton("Cancel")
        self.cancel.setVisible(False)
        self.cancel.setToolTip("Stop reading the file")
        self.cancel.clicked.connect(self.cancel_requested)
        self.retry = QPushButton("Read again")
        self.retry.setVisible(False)
        self.retry.clicked.connect(self.retry_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        layout.addWidget(self.retry)

    def busy(self, sentence: str, *, cancellable: bool = True) -> None:
        self.text.setStyleSheet("")
        self.text.setText(sentence)
        self.bar.setVisible(True)
        self.cancel.setVisible(cancellable)
        self.retry.setVisible(False)

    def done(self, sentence: str = "", *, error: bool = False, retry: bool = False) -> None:
        self.bar.setVisible(False)
        self.cancel.setVisible(False)
        self.retry.setVisible(retry)
        self.text.setStyleSheet(ERROR_STYLE if error else "")
        self.text.setText(sentence)

    @property
    def is_busy(self) -> bool:
        return self.bar.isVisible()


def is_calendar(parsed: ParsedImport) -> bool:
    """An iCalendar file (see ParsedImport.is_calendar)."""
    return parsed.is_calendar


def local_and_utc(seconds: int, zone: ZoneInfo) -> str:
    """'2026-03-03 10:00 (09:00 UTC)': the time as the vendor meant it, and as it is stored."""
    utc = datetime.fromtimestamp(seconds, UTC)
    local = utc.astimezone(zone)
    clock = "%H:%M:%S" if utc.second else "%H:%M"
    same_day = local.date() == utc.date()
    return f"{local.strftime('%Y-%m-%d ' + clock)} ({utc.strftime(clock if same_day else '%Y-%m-%d ' + clock)} UTC)"


def _stored_text(name: str, value: Any, zone: ZoneInfo) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if name in _TIME_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
        return "" if int(value) == _NA_TIME else local_and_utc(int(value), zone)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, Decimal):
        return f"{value:,f}"
    return str(value)


def stored_preview(parsed: ParsedImport, timezone: str, *, limit: int = 20) -> tuple[list[Column], list[tuple]]:
    """The first accepted rows as they will be stored: typed, times in the chosen zone and in UTC."""
    frame = parsed.frame
    # An event log is stored as tickets (with their state history beside them): preview the tickets.
    kind = RecordKind.TICKETS if parsed.kind is RecordKind.TICKET_EVENTS else parsed.kind
    names = [spec.name for spec in FIELDS[kind]]  # unmapped fields too: they are stored empty
    zone = ZoneInfo(timezone)
    records = frame.head(limit).to_dict("records") if "source_row" in getattr(frame, "columns", ()) else []
    rows = [(int(r["source_row"]), *(_stored_text(n, _plain(r.get(n)), zone) for n in names)) for r in records]
    columns = [Column("Row", lambda r: r[0], align=RIGHT)]
    columns += [Column(_label(n), itemgetter(i + 1)) for i, n in enumerate(names)]
    return columns, rows


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") and not isinstance(value, str | bytes) else value


def _label(name: str) -> str:
    return name.replace("_", " ")


def source_preview(parsed: ParsedImport) -> tuple[list[Column], list[tuple]]:
    """The header and the first data rows as the file holds them, each with its row number in the sheet."""
    if not parsed.preview:
        return [Column("Row", lambda r: r[0], align=RIGHT)], []
    if parsed.source_rows:  # the first rows and every row a finding names, numbered as in the sheet
        table = [parsed.preview[0], *(cells for _, cells in sorted(parsed.source_rows.items()))]
        numbers = [parsed.header_row or 1, *sorted(parsed.source_rows)]
        width = max(len(r) for r in table)
        rows = [(number, *(_cell_text(c) for c in cells), *([""] * (width - len(cells))))
                for number, cells in zip(numbers, table, strict=True)]
        columns = [Column("Row", lambda r: r[0], align=RIGHT)]
        return columns + [Column(column_letter(i), itemgetter(i + 1)) for i in range(width)], rows
    numbers = [parsed.header_row or 1, *preview_row_numbers(parsed)]
    width = max(len(r) for r in parsed.preview)
    rows = [(number, *(_cell_text(c) for c in cells), *([""] * (width - len(cells))))
            for number, cells in zip(numbers, parsed.preview, strict=False)]
    columns = [Column("Row", lambda r: r[0], align=RIGHT)]
    columns += [Column(column_letter(i), itemgetter(i + 1)) for i in range(width)]
    return columns, rows


def preview_row_numbers(parsed: ParsedImport) -> list[int]:
    """Sheet rows of the preview's data rows: accepted rows' source rows with the rejected rows' findings.

    Blank lines inside the data are skipped by the reader, so the numbers are not simply consecutive.
    """
    count = len(parsed.preview) - 1
    first = (parsed.header_row or 0) + 1
    frame = parsed.events if parsed.events is not None else parsed.frame
    kept: list[int] = []
    if count > 0 and "source_row" in getattr(frame, "columns", ()):
        kept = sorted(int(r) for r in frame["source_row"].nsmallest(count))
    rejected = {f.row for f in parsed.findings if f.row and f.row >= first and f.code != "total-row"
                and (f.severity is Severity.ERROR or f.code == "duplicate-row")}
    rows = sorted(set(kept) | rejected)[:max(count, 0)]
    return rows if len(rows) == count else list(range(first, first + max(count, 0)))


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else f"{cell:.10g}"
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


class PreviewTable(QTableView):
    """A read-only table whose columns change with every parse (a fresh model each time)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(RowTableModel([], parent=self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.horizontalHeader().setStretchLastSection(True)

    def set_table(self, columns: list[Column], rows: list[tuple]) -> None:
        old = self.model()
        self.setModel(RowTableModel(columns, rows, parent=self))
        old.deleteLater()
        self.resizeColumnsToContents()
        for section in range(len(columns)):
            self.setColumnWidth(section, min(self.columnWidth(section) + 8, 320))

    def table_model(self) -> RowTableModel:
        model = self.model()
        assert isinstance(model, RowTableModel)  # set_table sets one
        return model

    def select_row_number(self, number: int) -> bool:
        """Make the row with this sheet row number (the first column) current; False when it is not shown."""
        found = self.table_model().find(lambda r: r[0] == number)
        if found < 0:
            self.clearSelection()
            return False
        index = self.model().index(found, 0)
        self.selectRow(found)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True


def result_text(report: Any) -> str:
    """'Imported outages.csv as batch 4: 417 stored (3 already imported).' — an ImportReport in one sentence."""
    extra = [f"{n:,} {what}" for n, what in ((report.skipped, "already imported"), (report.replaced, "updated"))
             if n]
    rejected = f"; {report.rows_rejected:,} rejected rows left out" if report.rows_rejected else ""
    covers = f" It {report.coverage_text}." if getattr(report, "coverage_text", "") else ""
    return (f"Imported {report.file} as batch {report.batch_id}: {report.stored:,} stored"
            + (f" ({', '.join(extra)})" if extra else "") + rejected + "." + covers)


def error_sentence(error: BaseException) -> str:
    """A sentence for the page; unexpected errors also go to the one handler (log + dialog)."""
    if isinstance(error, SltDeskError | ValueError):  # UnsafeFileError is a ValueError with a sentence
        return str(error)
    if type(error).__name__ == "ParseCancelled":
        return f"{error} Press Read again, or change a choice, to read the file again."
    report_exception(error)
    return "The file could not be read; the details were written to the log."
