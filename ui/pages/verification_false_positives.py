"""False positives: the flags with their status, a dialog to flag an outage, a ticket, a span or a target's breach,
approve and reject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from sltdesk.domain.measurement import FlagSubject
from sltdesk.domain.register import Contract
from sltdesk.services.false_positives import (
    FlagRequest,
    OutageChoice,
    decide_false_positive,
    outage_choices,
    request_false_positive,
)
from sltdesk.services.ports import Workspace
from sltdesk.services.verification import FlagRow, VerificationData
from ui.context import WorkspaceContext
from ui.pages.verification_exceptions import STATUS_COLOR, ExceptionsPanel, RequestDialog, wall_clock
from ui.table_model import Column
from ui.workers import run_in_background


@dataclass(frozen=True)
class FlagFiling:
    """What the dialog collected: the contract, the flag and the evidence files' paths."""

    contract: Contract
    request: FlagRequest
    files: tuple[str, ...]


def file_flag(ws: Workspace, filing: FlagFiling):
    """Runs on a worker: read the evidence files and file the flag as the workspace's user."""
    evidence = [(Path(p).name, Path(p).read_bytes()) for p in filing.files]
    return request_false_positive(ws, contract=filing.contract, request=filing.request, evidence=evidence)


def flag_columns() -> list[Column]:
    return [
        Column("ID", lambda r: r.record.id, display=lambda r: r.ref),
        Column("Contract", "contract"),
        Column("Target", "target"),
        Column("Flagged", "what"),
        Column("Monitor", "probe"),
        Column("When (local)", lambda r: r.start.isoformat() if r.start else "",
               display=lambda r: f"{r.start:%Y-%m-%d %H:%M}" if r.start else ""),
        Column("Status", "status", color=lambda r: STATUS_COLOR.get(r.status)),
        Column("Requested by", "requested_by"),
        Column("Decided by", "decided_by"),
        Column("Reason", "reason", tooltip=True),
        Column("Evidence", "evidence", tooltip=True),
    ]


class FalsePositivesPanel(ExceptionsPanel):
    """Every false positive of the workspace; flag one, or decide the selected pending one."""

    placeholder = "Filter false positives"
    intro_text = ("Only approved false positives count, and they count as good: up for availability, met for a "
                  "ticket; the time stays in the measured time. The requester cannot decide their own flag: "
                  "another person approves or rejects it. Every step is in the audit log.")

    def __init__(self, ctx: WorkspaceContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.request_button.setText("Flag false positive…")
        self.cell: tuple[int, str] | None = None  # the grid's current (target, period): a breach to flag

    @staticmethod
    def columns() -> list[Column]:
        return flag_columns()

    def rows(self, data: VerificationData | None) -> list:
        return data.flags if data else []

    def open_request_dialog(self) -> None:
        if self.data is None or not self.data.contracts:
            return
        self.dialog = FlagDialog(self.data, self.contract_id, parent=self, ws=self.ctx.workspace, cell=self.cell)
        self.dialog.accepted.connect(self._file)
        self.dialog.open()

    def decide(self, approve: bool) -> None:
        row: FlagRow | None = self.table.current()
        if row is None or self.ctx.workspace is None or row.status != "requested":
            return
        run_in_background(decide_false_positive, self.ctx.workspace, row.record.id, approve=approve,
                          note=self.note.text().strip(), on_done=self._done)

    def _file(self) -> None:
        if not isinstance(self.dialog, FlagDialog) or self.ctx.workspace is None:
            return
        run_in_background(file_flag, self.ctx.workspace, self.dialog.filing(), on_done=self._done)

    def _done(self, _record: object) -> None:
        self.note.clear()
        self.ctx.notify_changed("false_positive")  # the page reloads the list and recomputes

    def describe(self, row) -> str:
        """A flag in one line: what, why, who asked, who decided, the evidence."""
        record = row.record
        decided = (f" · {row.status} by {record.decided_by} at {record.decided_at}"
                   + (f": “{record.decision_note}”" if record.decision_note else "")) if record.decided_by else ""
        return (f"{row.ref} ({row.contract}, {row.target}): {row.what} — {row.reason} — requested by "
                f"{record.requested_by} at {record.requested_at}{decided}. Evidence: {row.evidence or 'none'}.")


class FlagDialog(RequestDialog):
    """What to flag (an outage picked from the contract's stored ones, a ticket, a span, or a target's breach in a
    period), the monitor, the reason and evidence."""

    def __init__(self, data: VerificationData, contract_id: int | None, parent: QWidget | None = None,
                 ws: Workspace | None = None, cell: tuple[int, str] | None = None):
        self.ws = ws
        self._loaded: dict[int, list[OutageChoice]] = {}
        super().__init__(data, contract_id, parent)
        self.setWindowTitle("Flag a false positive")
        self.reason.setPlaceholderText("Why it had no real effect (e.g. the probe was blocked, not the service)")
        self.buttons.button(self.buttons.StandardButton.Ok).setText("Flag")
        if cell is not None:  # the grid's current cell: its target and period, ready for a breach
            self.target.setCurrentIndex(max(self.target.findData(cell[0]), 0))
            self.period.setText(cell[1])
        self.subject.currentIndexChanged.connect(self._subject_chosen)
        self._subject_chosen()

    def _lay_out(self) -> None:
        """The base dialog's form, with what to flag, its reference and the monitor (made here: the base lays out
        before a subclass's own __init__ runs on)."""
        self.subject = QComboBox()
        for subject, words in ((FlagSubject.OUTAGE, "An outage"), (FlagSubject.TICKET, "A ticket"),
                               (FlagSubject.SPAN, "A span of bad intervals"),
                               (FlagSubject.BREACH, "A target's whole breach in one period")):
            self.subject.addItem(words, subject)
        self.outage = QComboBox()
        self.outage.setMinimumContentsLength(40)
        self.outage.setToolTip("The contract's stored outages, newest first: number (as the evidence table shows "
                               "it), the vendor's id, local start, length and service")
        self.reference = QLineEdit(placeholderText="The ticket's id, e.g. INC0012345")
        self.period = QLineEdit(placeholderText="The period the target was missed in, e.g. 2026-03")
        self.probe = QLineEdit(placeholderText="The monitor that raised it, e.g. eu-west (optional)")
        super()._lay_out()
        self.form.insertRow(2, "&Flag", self.subject)
        self.form.insertRow(3, "O&utage", self.outage)
        self.form.insertRow(4, "T&icket", self.reference)
        self.form.insertRow(5, "&Period", self.period)
        self.form.insertRow(6, "&Monitor", self.probe)

    def _subject_chosen(self, *_args: object) -> None:
        subject = FlagSubject(self.subject.currentData())
        for field, shown in ((self.outage, subject is FlagSubject.OUTAGE),
                             (self.reference, subject is FlagSubject.TICKET),
                             (self.period, subject is FlagSubject.BREACH),
                             (self.start, subject is FlagSubject.SPAN), (self.end, subject is FlagSubject.SPAN),
                             (self.probe, subject in (FlagSubject.OUTAGE, FlagSubject.SPAN))):
            self.form.setRowVisible(field, shown)
        if subject is FlagSubject.BREACH and self.target.currentData() is None and self.target.count() > 1:
            self.target.setCurrentIndex(1)  # a breach is one target's
        self.adjustSize()

    def _contract_chosen(self, *_args: object) -> None:
        super()._contract_chosen()
        contract_id = self.contract.currentData()
        if contract_id in self._loaded:
            self._show_outages(contract_id, self._loaded[contract_id])
        elif self.ws is not None and contract_id is not None:
            self.outage.clear()
            self.outage.addItem("Loading the contract's outages…", None)
            run_in_background(outage_choices, self.ws, contract_id, on_done=partial(self._show_outages, contract_id))

    def _show_outages(self, contract_id: int, found: list[OutageChoice]) -> None:
        self._loaded[contract_id] = found
        if contract_id != self.contract.currentData():
            return  # the user moved on to another contract meanwhile
        zone = ZoneInfo(self.zone_name())
        self.outage.clear()
        if not found:
            self.outage.addItem("The contract has no stored outages", None)
        for o in found:
            local = datetime.fromtimestamp(o.start, UTC).astimezone(zone)
            self.outage.addItem(f"#{o.number}  {o.label or '(no id)'}  {local:%Y-%m-%d %H:%M}  {o.minutes} min"
                                + (f"  {o.service}" if o.service else ""), str(o.number))

    def filing(self) -> FlagFiling:
        zone = ZoneInfo(self.zone_name())
        start, end = wall_clock(self.start, zone), wall_clock(self.end, zone)
        files = tuple(self.files.item(i).text() for i in range(self.files.count()))
        contract = self.data.contract(self.contract.currentData())
        assert contract is not None  # one of the contracts the dialog offers
        subject = FlagSubject(self.subject.currentData())  # Qt hands the enum back as its text
        span = subject is FlagSubject.SPAN
        reference = {FlagSubject.OUTAGE: self.outage.currentData() or "", FlagSubject.TICKET: self.reference.text(),
                     FlagSubject.BREACH: self.period.text()}.get(subject, "").strip()
        request = FlagRequest(subject, self.reason.toPlainText().strip(), reference=reference,
                              start=int(start.timestamp()) if span else 0, end=int(end.timestamp()) if span else 0,
                              probe=self.probe.text().strip() if subject in (FlagSubject.OUTAGE, FlagSubject.SPAN)
                              else "", target_id=self.target.currentData())
        return FlagFiling(contract, request, files)

    def accept(self) -> None:
        """Say what is missing instead of closing; the service checks the same again."""
        request = self.filing().request
        if not request.reason:
            self.problem.setText("Say why it had no real effect: the reason is required.")
        elif request.subject is FlagSubject.SPAN and request.end <= request.start:
            self.problem.setText("The span must end after it starts.")
        elif request.subject is FlagSubject.BREACH and request.target_id is None:
            self.problem.setText("A breach is one target's miss: choose the target.")
        elif request.subject is FlagSubject.OUTAGE and not request.reference:
            self.problem.setText("Choose the outage to flag.")
        elif request.subject is not FlagSubject.SPAN and not request.reference:
            self.problem.setText("Name the period the target was missed in." if request.subject is FlagSubject.BREACH
                                 else f"Name the {request.subject.value} to flag.")
        else:
            super(RequestDialog, self).accept()
