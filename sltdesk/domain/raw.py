"""Raw vendor records: kinds, canonical fields, findings and the parsed result of an import.

Parsed records travel as a pandas DataFrame with one column per canonical field, times as int64
UTC epoch seconds (NaN-free: missing is -1 sentinel replaced by None on storage), and `source_row`
(the 1-based row in the sheet). Columnar, so 200,000 rows move without a Python loop per row.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sltdesk.domain.raw_records import SampleBlock


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class RecordKind(StrEnum):
    TICKETS = "tickets"
    TICKET_EVENTS = "ticket-events"
    OUTAGES = "outages"
    SAMPLES = "samples"
    VENDOR_REPORT = "vendor-report"
    CREDIT_NOTES = "credit-notes"
    MAINTENANCE = "maintenance"


class FieldType(StrEnum):
    TEXT = "text"
    DATETIME = "datetime"
    NUMBER = "number"
    MONEY = "money"
    BOOL = "bool"
    PRIORITY = "priority"
    PERIOD = "period"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    required: bool = False
    label: str = ""


def _f(name: str, kind: FieldType, required: bool = False) -> FieldSpec:
    return FieldSpec(name, kind, required, name.replace("_", " "))


TICKET_FIELDS = (
    _f("ticket_id", FieldType.TEXT, True), _f("priority", FieldType.PRIORITY, True), _f("service", FieldType.TEXT),
    _f("category", FieldType.TEXT), _f("status", FieldType.TEXT), _f("opened_at", FieldType.DATETIME, True),
    _f("assigned_at", FieldType.DATETIME), _f("responded_at", FieldType.DATETIME),
    _f("resolved_at", FieldType.DATETIME), _f("closed_at", FieldType.DATETIME),
)

FIELDS: dict[RecordKind, tuple[FieldSpec, ...]] = {
    RecordKind.TICKETS: TICKET_FIELDS,
    RecordKind.TICKET_EVENTS: (
        _f("ticket_id", FieldType.TEXT, True), _f("state", FieldType.TEXT, True),
        _f("changed_at", FieldType.DATETIME, True),
        *(f for f in TICKET_FIELDS if f.name not in ("ticket_id", "opened_at")),
        _f("opened_at", FieldType.DATETIME), _f("assignee", FieldType.TEXT),
    ),
    RecordKind.OUTAGES: (
        _f("outage_id", FieldType.TEXT), _f("service", FieldType.TEXT), _f("start", FieldType.DATETIME, True),
        _f("end", FieldType.DATETIME, True), _f("impact_percent", FieldType.NUMBER),
        _f("planned", FieldType.BOOL), _f("note", FieldType.TEXT),
        _f("duration_minutes", FieldType.NUMBER),  # gives the end when the file has none (UptimeRobot's logs)
    ),
    RecordKind.SAMPLES: (
        _f("timestamp", FieldType.DATETIME, True), _f("probe", FieldType.TEXT), _f("requests", FieldType.NUMBER),
        _f("errors", FieldType.NUMBER), _f("ok", FieldType.BOOL), _f("latency_ms", FieldType.NUMBER),
    ),
    RecordKind.VENDOR_REPORT: (
        _f("target_name", FieldType.TEXT, True), _f("period", FieldType.PERIOD), _f("target_value", FieldType.NUMBER),
        _f("achieved", FieldType.NUMBER, True), _f("met", FieldType.BOOL),
    ),
    RecordKind.CREDIT_NOTES: (
        _f("document_id", FieldType.TEXT), _f("period", FieldType.PERIOD), _f("line", FieldType.TEXT),
        _f("description", FieldType.TEXT), _f("amount", FieldType.MONEY, True), _f("currency", FieldType.TEXT),
    ),
    RecordKind.MAINTENANCE: (
        _f("start", FieldType.DATETIME, True), _f("end", FieldType.DATETIME, True), _f("service", FieldType.TEXT),
        _f("reference", FieldType.TEXT), _f("notified_at", FieldType.DATETIME),
    ),
}

# Natural keys: a record with the same key from another batch is the same record.
NATURAL_KEYS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.TICKETS: ("ticket_id",),
    RecordKind.TICKET_EVENTS: ("ticket_id",),
    RecordKind.OUTAGES: ("outage_id", "service", "start"),
    RecordKind.SAMPLES: ("probe", "timestamp"),
    RecordKind.VENDOR_REPORT: ("target_name", "period"),
    RecordKind.CREDIT_NOTES: ("document_id", "line"),
    RecordKind.MAINTENANCE: ("reference", "start"),
}


@dataclass(frozen=True)
class Finding:
    """One problem or remark about the file, located as precisely as the file allows."""

    severity: Severity
    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"severity": self.severity.value, "code": self.code, "sheet": self.sheet, "row": self.row,
                "column": self.column, "message": self.message}


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose (or the saved profile said) for reading a file."""

    kind: RecordKind
    timezone: str = "UTC"
    sheet: str | None = None
    header_row: int | None = None  # 1-based
    mapping: tuple[tuple[str, str], ...] = ()  # field -> column header or letter
    value_map: tuple[tuple[str, str, str], ...] = ()  # field, label, value
    dayfirst: bool | None = None
    period_start: int | None = None  # epoch seconds UTC, inclusive
    period_end: int | None = None  # exclusive
    period_label: str = ""
    exported_at: int | None = None  # timestamps after this are impossible
    expand_start: int | None = None  # calendars: the span recurrences are expanded over without --period
    expand_end: int | None = None
    null_markers: tuple[str, ...] = ()  # cell texts read as empty beyond the usual ones (?, NULL, N/A, -, …)
    preset: str = ""  # a mapping preset by name (importers/presets.py); "" = the one the header matches, "none"


@dataclass
class ParsedImport:
    """What an importer made of a file: accepted rows, rejected rows' findings, and how it read it."""

    kind: RecordKind
    file_name: str
    sha256: str
    sheet: str
    header_row: int | None
    mapping: dict[str, str]  # field -> the header it came from
    frame: Any  # pandas.DataFrame of accepted rows
    rows_read: int
    rows_rejected: int
    findings: list[Finding] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    preview: list[list[Any]] = field(default_factory=list)  # first raw rows, for the wizard
    fatal: bool = False  # the file cannot be imported at all (e.g. a required column is missing)
    events: Any = None  # ticket event logs: the state history behind `frame`'s tickets
    source_rows: dict[int, list[Any]] = field(default_factory=dict)  # sheet row -> cells: the first rows and
    # every row a finding points to, so a finding can be shown in the file as read
    notes: list[str] = field(default_factory=list)  # how the file was read, in words
    mapping_why: dict[str, str] = field(default_factory=dict)  # field -> why that column (exact header, synonym…)
    preset: str = ""  # the mapping preset used ("" = none)
    preset_why: str = ""  # why: detected from which headers, or chosen by name
    emptied: dict[str, list[str]] = field(default_factory=dict)  # stop field -> ticket ids whose value was unreadable
    blocks: list[SampleBlock] | None = None  # samples: the accepted rows as stored blocks (frame then holds the first)
    accepted: int | None = None  # how many rows `blocks` hold
    stated_period: str = ""  # the period the file says it covers (a title cell, its sheet name): "2026-03"
    stated_where: str = ""  # where it says so: "sheet name 'March 2026'"

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickled (protocol 5) with the blocks' payloads joined in one buffer: a million samples' 3,500 blocks
        travel from the reader process beside the pickle, in its spill file (importers/sandbox.py)."""
        if not isinstance(protocol, int) or protocol < 5 or not self.blocks:
            return super().__reduce_ex__(protocol)
        state = dict(self.__dict__)
        payloads = [block.payload for block in self.blocks]
        state["blocks"] = ([tuple(block[:-1]) for block in self.blocks], pickle.PickleBuffer(
            bytearray(b"".join(payloads))), [len(p) for p in payloads])
        return _unfilled, (type(self),), state

    def __setstate__(self, state: dict[str, Any]) -> None:
        blocks = state.get("blocks")
        if isinstance(blocks, tuple):
            heads, joined, sizes = blocks  # the buffer: a memoryview out of band, else a bytearray
            whole, at, out = memoryview(joined), 0, []
            for head, size in zip(heads, sizes, strict=True):
                out.append(SampleBlock._make((*head, bytes(whole[at:at + size]))))
                at += size
            state = {**state, "blocks": out}
        self.__dict__.update(state)

    @property
    def is_calendar(self) -> bool:
        """An iCalendar file: fixed fields (DTSTART, DTEND, …), no sheet, header row or columns to choose."""
        return self.header_row is None and not self.headers

    @property
    def rows_accepted(self) -> int:
        """Rows of the file that passed (for an event log: updates, not the tickets made of them)."""
        if self.fatal:
            return 0
        if self.accepted is not None:
            return self.accepted
        return len(self.events) if self.events is not None else len(self.frame)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out


def _unfilled(kind: type[ParsedImport]) -> ParsedImport:
    """An instance whose fields unpickling sets (see ParsedImport.__reduce_ex__)."""
    return object.__new__(kind)
