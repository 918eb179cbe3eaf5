"""The background side of the raw-data import wizard: what the user chose, and the jobs run off the GUI thread.

Parsing goes through sltdesk.wiring.parse_isolated (a child process the Cancel button kills); storing goes
through the import service inside a workspace whose commit refuses once the user cancelled, so a cancelled
store rolls back and leaves nothing behind. Jobs never touch widgets; they return plain data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from sltdesk.domain.raw import ImportOptions, ParsedImport, RecordKind
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services import imports
from sltdesk.services.imports import ImportReport
from sltdesk.services.ports import Workspace
from sltdesk.services.register import list_records
from ui.workers import Cancelled, Tagged, Worker, start, tagged

PROFILE = "default"  # the CLI's profile name: the GUI and `sltdesk import` share what they learn
DEBOUNCE_MS = 350


@dataclass(frozen=True)
class ContractChoice:
    """A contract the records can belong to, with what the wizard shows and defaults from it."""

    contract: Contract
    supplier: str
    timezone: str

    @property
    def label(self) -> str:
        return f"{self.contract.ref} — {self.contract.title} ({self.supplier})"


def contract_choices(ws: Workspace) -> list[ContractChoice]:
    """Every contract of the register with its supplier's name and its calendar's time zone."""
    suppliers = {s.id: s.name for s in list_records(ws, Supplier)}
    contracts = sorted(list_records(ws, Contract), key=lambda c: c.ref.casefold())
    return [ContractChoice(c, suppliers.get(c.supplier_id, ""), imports.contract_timezone(ws, c)) for c in contracts]


@dataclass(frozen=True)
class ImportChoices:
    """Everything the user decided (or the saved profile said) about one file."""

    path: Path
    kind: RecordKind
    contract: ContractChoice
    timezone: str
    period: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # field -> header text or column letter
    value_map: tuple[tuple[str, str, str], ...] = ()
    dayfirst: bool | None = None
    preset: str = ""  # a preset by name; "" = the one the header row matches, "none" = none

    def options(self, ws: Workspace) -> ImportOptions:
        return imports.build_options(ws, kind=self.kind, contract=self.contract.contract, timezone=self.timezone,
                                     sheet=self.sheet, header_row=self.header_row, mapping=self.mapping,
                                     value_map=list(self.value_map), dayfirst=self.dayfirst, period=self.period,
                                     preset=self.preset)

    def profile_options(self, parsed: ParsedImport) -> dict:
        """What `sltdesk import` saves after a successful import (the same keys, so both reuse it)."""
        used = {f: h for f, h in parsed.mapping.items() if not h.startswith(("title row", "--"))}
        zone = None if self.timezone == self.contract.timezone else self.timezone
        return {"mapping": used, "value_map": [list(v) for v in self.value_map], "timezone": zone,
                "sheet": self.sheet, "header_row": self.header_row, "dayfirst": self.dayfirst,
                "preset": parsed.preset or self.preset}


def saved_profile(ws: Workspace, supplier_id: int | None, kind: RecordKind) -> dict:
    """The supplier's remembered choices for this kind of file ({} the first time)."""
    return imports.load_profile(ws, supplier_id=supplier_id, kind=kind, name=PROFILE) or {}


def list_sheets(path: Path) -> list[str]:
    """The sheets to choose from; the safety checks run first (UnsafeFileError names the problem)."""
    from importers.reading import list_sheets as sheets_of

    return sheets_of(path)


@dataclass(frozen=True)
class Parsed:
    """A parse and the options it ran with (the store needs both)."""

    options: ImportOptions
    parsed: ParsedImport


def parse_choices(ws: Workspace, choices: ImportChoices, *, cancelled: Callable[[], bool]) -> Parsed:
    """Runs on a worker: read the file in the memory-limited child process that Cancel kills."""
    from sltdesk.wiring import parse_isolated

    options = choices.options(ws)
    return Parsed(options, parse_isolated(choices.path, options, cancelled=cancelled))


def identical_file(ws: Workspace, path: Path, kind: RecordKind, contract_id: int) -> str:
    """Runs on a worker: the sentence saying this very file was imported for the contract already ("" if not)."""
    from importers.reading import file_sha256

    return imports.find_identical(ws, kind, contract_id, file_sha256(path))


def check_store(ws: Workspace, choices: ImportChoices, options: ImportOptions, parsed: ParsedImport, *,
                replace_period: bool = False) -> ImportReport:
    """Runs on a worker: what Finish would store (a dry run; ImportRefused when it would be refused)."""
    return imports.store_import(ws, parsed, contract=choices.contract.contract, options=options, dry_run=True,
                                replace_period=replace_period)


def store_choices(ws: Workspace, choices: ImportChoices, options: ImportOptions, parsed: ParsedImport, *,
                  cancelled: Callable[[], bool], replace_period: bool = False) -> ImportReport:
    """Runs on a worker: store the batch all-or-nothing, then remember the choices as the supplier's profile."""
    report = imports.store_import(_CancellableWorkspace(ws, cancelled), parsed, contract=choices.contract.contract,
                                  options=options, replace_period=replace_period)
    imports.save_profile(ws, supplier_id=choices.contract.contract.supplier_id, kind=choices.kind, name=PROFILE,
                         options=choices.profile_options(parsed))
    return report


class _CancellableWorkspace:
    """The workspace, except that a commit after the user pressed Cancel raises instead (and rolls back)."""

    def __init__(self, ws: Workspace, cancelled: Callable[[], bool]):
        self._ws, self._cancelled = ws, cancelled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)

    def unit_of_work(self) -> _CancellableUnit:
        return _CancellableUnit(self._ws.unit_of_work(), self._cancelled)


class _CancellableUnit:
    def __init__(self, inner: Any, cancelled: Callable[[], bool]):
        self._inner, self._cancelled = inner, cancelled

    def __enter__(self) -> _CancellableUnit:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def commit(self) -> None:
        if self._cancelled():
            raise Cancelled()
        self._inner.commit()


class ParseRunner(QObject):
    """One parse at a time: a newer request (or Cancel) stops the running child and drops its answer."""

    started = Signal()
    finished = Signal(object)  # Parsed
    failed = Signal(object)  # the exception, including ParseCancelled when the user cancelled

    def __init__(self, ws: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.ws = ws
        self.running = False
        self._token = 0
        self._stop: threading.Event | None = None
        self._pending: ImportChoices | None = None
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)

    def request(self, choices: ImportChoices, *, delay: bool = True) -> None:
        """Parse these choices (after a short pause, so quick successive changes parse once)."""
        self._stop_running()
        self._pending = choices
        self.running = True
        self.started.emit()
        if delay:
            self._timer.start()
        else:
            self._timer.stop()
            self._start()

    def cancel(self) -> None:
        """The user pressed Cancel (or closed the wizard): kill the child; nothing was stored."""
        if not self.running:
            return
        from importers.sandbox import ParseCancelled

        self._stop_running()
        self.running = False
        self.failed.emit(ParseCancelled("Reading the file was cancelled; nothing was stored."))

    def _stop_running(self) -> None:
        self._timer.stop()
        self._token += 1
        if self._stop is not None:
            self._stop.set()
            self._stop = None

    def _start(self) -> None:
        if self._pending is None:
            return
        choices, self._pending = self._pending, None
        self._stop = threading.Event()
        worker = Worker(tagged, self._token, parse_choices, self.ws, choices, cancelled=self._stop.is_set)
        worker.signals.finished.connect(self._on_done)
        start(worker)

    def _on_done(self, answer: Tagged) -> None:
        if answer.token != self._token or not self.running:
            return  # superseded or cancelled: the answer is no longer wanted
        self.running = False
        self._stop = None
        if answer.error is not None:
            self.failed.emit(answer.error)
        else:
            self.finished.emit(answer.value)
