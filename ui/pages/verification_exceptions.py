"""Force majeure: the requests with their status, a dialog to file one with evidence, approve and reject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sltdesk.domain.register import Contract
from sltdesk.domain.team import Permission
from sltdesk.services.exceptions import decide_exception, request_exception
from sltdesk.services.ports import Workspace
from sltdesk.services.verification import ExceptionRow, VerificationData
from ui.context import WorkspaceContext, local_today
from ui.table_model import Column
from ui.table_panel import TablePanel
from ui.workers import run_in_background

STATUS_COLOR = {"requested": "#8a5a00", "approved": "#1e6b35", "rejected": "#b3261e"}


def choose_evidence_files(parent: QWidget | None) -> list[str]:
    """Files to attach as evidence (tests replace this function)."""
    paths, _ = QFileDialog.getOpenFileNames(parent, "Attach evidence", "", "All files (*)")
    return paths


@dataclass(frozen=True)
class ExceptionRequest:
    """What the dialog collected; start and end are UTC epoch seconds."""

    contract: Contract
    target_id: int | None
    start: int
    end: int
    reason: str
    files: tuple[str, ...]


def file_request(ws: Workspace, request: ExceptionRequest):
    """Runs on a worker: read the evidence files and file the request as the workspace's user."""
    evidence = [(Path(p).name, Path(p).read_bytes()) for p in request.files]
    return request_exception(ws, contract=request.contract, start=request.start, end=request.end,
                             reason=request.reason, target_id=request.target_id, evidence=evidence)


def exception_columns() -> list[Column]:
    when = "{:%Y-%m-%d %H:%M}".format
    return [
        Column("ID", lambda r: r.record.id, display=lambda r: r.ref),
        Column("Contract", "contract"),
        Column("Target", "target"),
        Column("From (local)", "start", display=lambda r: when(r.start)),
        Column("To (local)", "end", display=lambda r: when(r.end)),
        Column("Status", "status", color=lambda r: STATUS_COLOR.get(r.status)),
        Column("Requested by", "requested_by"),
        Column("Decided by", "decided_by"),
        Column("Reason", "reason", tooltip=True),
        Column("Evidence", "evidence", tooltip=True),
    ]


class ExceptionsPanel(QWidget):
    """Every exception of the workspace; request one, or decide the selected pending one."""

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: VerificationData | None = None
        self.contract_id: int | None = None
        self.dialog: RequestDialog | None = None
        self.table = TablePanel(self.columns(), placeholder=self.placeholder, stretch=8)
        self.table.current_changed.connect(self._show_current)
        self.request_button = QPushButton("Request exception…")
        self.approve_button = QPushButton("Approve")
        self.reject_button = QPushButton("Reject")
        self.note = QLineEdit(placeholderText="Decision note (optional)")
        self.detail = QLabel(wordWrap=True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_button.clicked.connect(self.open_request_dialog)
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        ctx.gate(self.request_button, Permission.EDIT)
        ctx.gate(self.approve_button, Permission.APPROVE)
        ctx.gate(self.reject_button, Permission.APPROVE)
        buttons = QHBoxLayout()
        buttons.addWidget(self.request_button)
        buttons.addStretch(1)
        buttons.addWidget(self.note, 2)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        self.intro = QLabel(self.intro_text, wordWrap=True)
        self.intro.setObjectName("rowCount")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self._show_current(None)

    placeholder = "Filter exceptions"
    intro_text = ("Only approved exceptions exclude anything. The requester cannot decide their own request: "
                  "another person approves or rejects it. Every step is in the audit log.")

    @staticmethod
    def columns() -> list[Column]:
        return exception_columns()

    def rows(self, data: VerificationData | None) -> list:
        """The rows this panel lists (a subclass lists other requests)."""
        return data.exceptions if data else []

    def describe(self, row) -> str:
        return request_text(row)

    def show_data(self, data: VerificationData | None, contract_id: int | None) -> None:
        self.data, self.contract_id = data, contract_id
        wanted = getattr(self.table.current(), "ref", None)
        self.table.set_rows(self.rows(data), keep=lambda r: r.ref == wanted)
        self.request_button.setEnabled(bool(data and data.contracts))

    def pending(self) -> int:
        return sum(r.status == "requested" for r in self.rows(self.data))

    def open_request_dialog(self) -> None:
        if self.data is None or not self.data.contracts:
            return
        self.dialog = RequestDialog(self.data, self.contract_id, parent=self)
        self.dialog.accepted.connect(self._file)
        self.dialog.open()

    def decide(self, approve: bool) -> None:
        row: ExceptionRow | None = self.table.current()
        if row is None or self.ctx.workspace is None or row.status != "requested":
            return
        run_in_background(decide_exception, self.ctx.workspace, row.record.id, approve=approve,
                          note=self.note.text().strip(), on_done=self._done)

    def _file(self) -> None:
        if self.dialog is None or self.ctx.workspace is None:
            return
        run_in_background(file_request, self.ctx.workspace, self.dialog.request(), on_done=self._done)

    def _done(self, _record: object) -> None:
        self.note.clear()
        self.ctx.notify_changed("force_majeure")  # the page reloads the list and recomputes

    def _show_current(self, row: ExceptionRow | None) -> None:  # or another panel's row
        pending = row is not None and row.status == "requested"
        self.approve_button.setEnabled(pending)
        self.reject_button.setEnabled(pending)
        self.detail.setText(self.describe(row) if row else "Select a request to approve or reject it.")


class RequestDialog(QDialog):
    """Contract, optional target, local start and end, the reason and evidence files."""

    def __init__(self, data: VerificationData, contract_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Request a force-majeure exception")
        self.data = data
        self.contract = QComboBox()
        for contract in data.contracts:
            self.contract.addItem(f"{contract.ref} — {contract.title}", contract.id)
        self.target = QComboBox()
        self.zone = QLabel()
        self.zone.setObjectName("rowCount")
        today = datetime.combine(local_today(), time(8))
        self.start = _datetime_edit(today)
        self.end = _datetime_edit(today + timedelta(hours=4))
        self.reason = QPlainTextEdit(placeholderText="What happened, and why it was beyond the supplier's control")
        self.reason.setFixedHeight(70)
        self.files = QListWidget()
        self.files.setFixedHeight(64)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Request")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.contract.currentIndexChanged.connect(self._contract_chosen)
        index = self.contract.findData(contract_id)
        self.contract.setCurrentIndex(max(index, 0))
        self._contract_chosen()
        self.resize(520, self.sizeHint().height())

    def _lay_out(self) -> None:
        add, remove = QPushButton("Attach files…"), QPushButton("Remove")
        add.clicked.connect(self._add_files)
        remove.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(add)
        file_buttons.addWidget(remove)
        file_buttons.addStretch(1)
        form = self.form = QFormLayout(self)
        for label, field in (("&Contract", self.contract), ("&Target", self.target), ("", self.zone),
                             ("&From", self.start), ("T&o", self.end), ("&Reason", self.reason),
                             ("&Evidence", self.files), ("", file_buttons)):
            form.addRow(label, field)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def zone_name(self) -> str:
        return self.data.zones.get(self.contract.currentData(), "UTC")

    def request(self) -> ExceptionRequest:
        zone = ZoneInfo(self.zone_name())
        start, end = wall_clock(self.start, zone), wall_clock(self.end, zone)
        files = tuple(self.files.item(i).text() for i in range(self.files.count()))
        contract = self.data.contract(self.contract.currentData())
        assert contract is not None  # one of the contracts the dialog offers
        return ExceptionRequest(contract, self.target.currentData(),
                                int(start.timestamp()), int(end.timestamp()), self.reason.toPlainText().strip(),
                                files)

    def accept(self) -> None:
        """Say what is missing instead of closing; the service checks the same again."""
        request = self.request()
        if not request.reason:
            self.problem.setText("Say what happened: the reason is required.")
        elif request.end <= request.start:
            self.problem.setText("The exception must end after it starts.")
        else:
            super().accept()

    def _contract_chosen(self, *_args: object) -> None:
        self.target.clear()
        self.target.addItem("All targets of the contract", None)
        for target in self.data.targets:
            if target.contract_id == self.contract.currentData():
                self.target.addItem(target.name, target.id)
        self.zone.setText(f"Times are local to the contract: {self.zone_name()}")

    def _add_files(self) -> None:
        for path in choose_evidence_files(self):
            self.files.addItem(path)


def _datetime_edit(value: datetime) -> QDateTimeEdit:
    """Wall-clock digits kept in UTC so the machine's own DST never shifts them; the contract's zone applies."""
    edit = QDateTimeEdit(calendarPopup=True)
    edit.setTimeZone(QTimeZone.utc())
    set_wall_clock(edit, value)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def set_wall_clock(edit: QDateTimeEdit, value: datetime) -> None:
    edit.setDateTime(QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute),
                               QTimeZone.utc()))


def wall_clock(edit: QDateTimeEdit, zone: ZoneInfo) -> datetime:
    """The digits the user sees, as a time in `zone`."""
    shown = edit.dateTime()
    day, clock = shown.date(), shown.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=zone)


def request_text(row: ExceptionRow) -> str:
    """A force-majeure request in one line: what, who asked, who decided, the evidence."""
    record = row.record
    decided = (f" · {row.status} by {record.decided_by} at {record.decided_at}"
               + (f": “{record.decision_note}”" if record.decision_note else "")) if record.decided_by else ""
    return (f"{row.ref} ({row.contract}, {row.target}): {row.reason} — requested by {record.requested_by} at "
            f"{record.requested_at}{decided}. Evidence: {row.evidence or 'none attached'}.")
