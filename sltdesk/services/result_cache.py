"""Results kept, not recomputed: each target's figure for a period, stored under the fingerprint of its inputs.

- **Read** (`stored_history`, what `attainment_history` is): the fingerprints are computed from the workspace's
  metadata (the contract, its targets, rules, calendars, exceptions, false positives, marks and the batches that
  reach each period; sltdesk/rules/result_keys.py), never from the raw records. A stored result whose fingerprint
  matches is used; every other one is measured from the raw data in memory. A read never writes: on a read-only
  workspace, for a viewer, or before the next write, a result measured in memory is counted "not stored".
  Within a process, measured results are also kept in memory under their fingerprint, so a page visited twice
  is measured once.
- **Write** (`refresh_results`): the actions that change inputs (an import or its removal, a complete-period
  mark, an exception decision, a rule or register change, the demo, `sltdesk results refresh`) call it when
  they have committed. It measures what changed and stores it in one transaction; a failure there leaves only
  a slower read, never a wrong figure, because a read checks every fingerprint.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.measurement import ExceptionStatus, FalsePositive, ForceMajeure, MeasurementRule, PeriodMark
from sltdesk.domain.penalties import ClauseRecord
from sltdesk.domain.period import Period, months_between, quarter_of, shift
from sltdesk.domain.raw import RecordKind
from sltdesk.domain.raw_records import BatchReach, RawReportLine
from sltdesk.domain.register import ChargesPeriod, Contract, ContractTarget, ServiceCalendar
from sltdesk.domain.results import StoredResult
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.domain.team import Permission
from sltdesk.errors import NotFoundError
from sltdesk.rules import result_keys
from sltdesk.rules.seasons import priced_by_clauses, tier_calendar
from sltdesk.services.ports import UnitOfWork, Workspace

if TYPE_CHECKING:
    from sltdesk.services.vendor_reports import ReportLines

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
# How far back `refresh_results` stores, the running month included: the attention list (the Dashboard) looks 24
# months back for runs of misses, and judges its last 12 months with the early warnings of the 12 months up to each
# (as the pack does); the Verification grid shows 18 months, the board fewer. An older period is measured when it
# is asked for.
# A month before a contract's data is cheap to store, and dear to measure on a read (it loads the raw data).
STORED_MONTHS = 36
_MEMORY_LIMIT = 200_000
RUNNING = "running:"


@functools.cache
def code_version() -> str:
    """A hash of the source that measures a figure: the domain, the rules and the measuring services."""
    here = Path(__file__).resolve().parent
    files = [*here.parent.joinpath("domain").glob("*.py"), *here.parent.joinpath("rules").glob("*.py"),
             *(here / name for name in ("attainment.py", "raw_data.py", "vendor_reports.py", "imports.py"))]
    return result_keys.code_version(files)


@functools.cache
def holiday_data_version() -> str:
    try:
        import holidays
    except ImportError:  # pragma: no cover - a dependency
        return ""
    return str(getattr(holidays, "__version__", ""))


@dataclass
class CacheCounts:
    """What the reads of this thread found: stored results used, results kept in memory, and results measured."""

    stored: int = 0
    remembered: int = 0
    measured: int = 0

    @property
    def not_stored(self) -> int:
        """Every result a read measured: a read never stores one (read-only, a viewer, or not yet refreshed)."""
        return self.measured

    def text(self) -> str:
        parts = [f"{self.stored} read from the stored results"]
        if self.remembered:
            parts.append(f"{self.remembered} kept from earlier in this session")
        if self.measured:
            parts.append(f"{self.measured} measured now from the raw data (not stored: a read never writes; an "
                         "import, a mark or `sltdesk results refresh` stores them)")
        return f"Figures: {', '.join(parts)}."


@dataclass
class _Memory:
    results: dict[tuple[str, str], AttainmentResult] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_MEMORY = _Memory()
_COUNTS = threading.local()  # each thread its own: a page's background load counts what it read


def counts() -> CacheCounts:
    """This thread's counts since its last `reset_counts()` (the board shows them beside its figures)."""
    if not hasattr(_COUNTS, "value"):
        _COUNTS.value = CacheCounts()
    return _COUNTS.value


def reset_counts() -> CacheCounts:
    _COUNTS.value = CacheCounts()
    return _COUNTS.value


def forget() -> None:
    """Drop what this process remembers (tests; another workspace opened)."""
    with _MEMORY.lock:
        _MEMORY.results.clear()


REPORTS = RecordKind.VENDOR_REPORT.value


@dataclass(frozen=True)
class Inputs:
    """A contract's metadata every fingerprint is computed from: no raw record is read."""

    contract: Contract
    targets: list[ContractTarget]
    rules: dict[int, MeasurementRule]
    calendars: dict[int, ServiceCalendar]
    exceptions: list[ForceMajeure]
    marks: list[str]
    kinds: list[str]
    covers: list[tuple[int, str, int | None, int | None, str]]  # batch id, kind, start, end, label
    reach: list[BatchReach]
    flags: list[FalsePositive] = field(default_factory=list)  # false positives: approved and pending ones count
    head: str = ""  # the audit trail's count and head when these were read: every write of an input moves it
    reports: bool = False  # whether the contract has vendor reports (laid over its results as they are read)

    @classmethod
    def load(cls, ws: Workspace, contract_id: int) -> Inputs:
        """One contract's inputs; within `one_read`, every contract's, loaded once in bulk (or, in a read of a few
        contracts, each contract's once)."""
        scope = getattr(_SCOPE, "inputs", None)
        if scope is None:
            found = cls.load_all(ws, contract_id).get(contract_id)
        elif not getattr(_SCOPE, "bulk", True):
            if (ws.location, contract_id) not in scope:
                scope[(ws.location, contract_id)] = cls.load_all(ws, contract_id).get(contract_id)
            found = scope[(ws.location, contract_id)]
        else:
            if ws.location not in scope:
                scope[ws.location] = cls.load_all(ws)
            found = scope[ws.location].get(contract_id)
        if found is None:
            raise NotFoundError(f"There is no contract with id {contract_id}.")
        return found

    @classmethod
    def load_all(cls, ws: Workspace, contract_id: int | None = None) -> dict[int, Inputs]:
        """contract id -> its inputs, for every contract (or one), in one unit of work and a few queries."""
        one = {} if contract_id is None else {"contract_id": contract_id}
        with ws.unit_of_work() as uow:
            # the mark first: where a query sees later commits than the one before it (PostgreSQL's read committed),
            # a write landing while these are read leaves an older mark than the inputs, never a newer one, so what
            # is measured from them is not stored (the mark has moved by then)
            head = audit_mark(uow)
            if contract_id is None:
                contracts = uow.records.list(Contract)
            else:
                contracts = [c for c in [uow.records.get(Contract, contract_id)] if c is not None]
            targets = uow.records.list(ContractTarget, **one)
            ids = {stored_id(t) for t in targets}
            rules = ([r for t in ids for r in uow.records.list(MeasurementRule, target_id=t)] if one
                     else uow.records.list(MeasurementRule))
            clauses = uow.records.list(ClauseRecord, **one)  # a clause's tier pricing prices the tiers (see seasons)
            calendars = {stored_id(c): c for c in uow.records.list(ServiceCalendar)}
            exceptions = uow.records.list(ForceMajeure, **one)
            marks = uow.records.list(PeriodMark, **one)
            flags = [f for f in uow.records.list(FalsePositive, **one) if f.status is not ExceptionStatus.REJECTED]
            batches = uow.raw.batches(**one)
            reaches = uow.raw.batch_reaches(**one)
        out = {}
        for contract in contracts:
            cid = stored_id(contract)
            own = [t for t in targets if t.contract_id == cid]
            own_ids = {stored_id(t) for t in own}
            # credit notes never enter a figure: not their batches, nor their kind, nor the period they cover
            mine = [b for b in batches if b["contract_id"] == cid and b["kind"] not in result_keys.NO_FIGURE_KINDS]
            priced = priced_by_clauses({r.target_id: r for r in rules if r.target_id in own_ids},
                                       [c for c in clauses if c.contract_id == cid])
            out[cid] = cls(contract, own, priced, calendars,
                           [e for e in exceptions if e.contract_id == cid],
                           sorted(m.period for m in marks if m.contract_id == cid),
                           sorted({b["kind"] for b in mine}),
                           [(b["id"], b["kind"], b.get("covers_start"), b.get("covers_end"),
                             b.get("covers_label") or "") for b in mine], reaches.get(cid, []),
                           [f for f in flags if f.contract_id == cid], head,
                           any(b["contract_id"] == cid and b["kind"] == REPORTS for b in batches))
        return out

    def keys(self, periods: Iterable[str], as_of: int) -> dict[tuple[int, str], str]:
        """(target id, period) -> the fingerprint of its inputs, judged as of `as_of` (prefixed RUNNING for a period
        not over by then: measured each time, never stored)."""
        contract = self.contract
        common = {"code": code_version(), "holidays": holiday_data_version(), "kinds": self.kinds,
                  "contract": [contract.id, contract.ref, str(contract.start_date), str(contract.end_date)]}
        in_zone: dict[tuple[str, str], tuple[dict[str, str], int]] = {}
        out: dict[tuple[int, str], str] = {}
        for target in self.targets:
            target_id = stored_id(target)
            calendar = self.calendars.get(target.calendar_id) if target.calendar_id is not None else None
            zone = calendar.timezone if calendar else "UTC"
            rule = self.rules.get(target_id)
            tier = tier_calendar(self.calendars.values(), rule.tier_calendar) if rule is not None else None
            own = {**common, "target": _measured_part(target), "calendar": to_plain(calendar) if calendar else None,
                   "rule": to_plain(rule) if rule is not None else None,
                   "tier_calendar": to_plain(tier) if tier is not None else None,
                   "exceptions": [to_plain(e) for e in self.exceptions if e.target_id in (None, target.id)],
                   "false_positives": [to_plain(f) for f in self.flags if f.target_id in (None, target.id)]}
            written = _Written(own)
            for period in periods:
                if (zone, period) not in in_zone:  # the same for every target in that zone
                    in_zone[(zone, period)] = self._period_parts(period, zone, as_of)
                parts, end = in_zone[(zone, period)]
                key = written.fingerprint(parts)
                out[(target_id, period)] = key if as_of >= end else RUNNING + key
        return out

    def _period_parts(self, period: str, zone: str, as_of: int) -> tuple[dict[str, str], int]:
        """The parts of a fingerprint that depend on the period (read in `zone`), written as JSON; and its end."""
        from sltdesk.services.imports import period_bounds

        start, end = period_bounds(period, zone)
        marks = [m for m in self.marks if _overlaps(period_bounds(m, zone), start, end)]
        covers = sorted([i, kind, a, b, label] for i, kind, a, b, label in self.covers
                        if _covers(label, a, b, zone, start, end))
        parts = {"period": period, "marks": marks, "covers": covers,
                 "batches": result_keys.batch_parts(self.reach, start, end),
                 "judged": result_keys.judged_when(end, as_of)}
        return {name: _canonical(value) for name, value in parts.items()}, end


def _canonical(value: object) -> str:
    """A value as result_keys.fingerprint writes it: canonical JSON (sorted keys; Decimals and dates as text)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


class _Written:
    """result_keys.fingerprint of a target's parts with a period's parts added, for many periods: the target's
    parts are written once. The text hashed is the one `fingerprint` writes (the JSON object of sorted keys: each
    key and ':' and its value written as JSON, joined by ','), so the hash is the same. Kept here, not in the
    rules: the rules' source is an input of every fingerprint (`code_version`), and a new one drops them all."""

    def __init__(self, own: Mapping[str, object]):
        self.own = {name: f"{_canonical(name)}:{_canonical(value)}" for name, value in own.items()}
        self.names: list[str] | None = None  # every part's name, sorted (on the first period's parts)
        self.heads: dict[str, str] = {}

    def fingerprint(self, parts: dict[str, str]) -> str:
        if self.names is None:
            self.names = sorted([*self.own, *parts])
            self.heads = {name: _canonical(name) + ":" for name in parts}
        pieces = [self.own[n] if n in self.own else self.heads[n] + parts[n] for n in self.names]
        return hashlib.sha256(("{" + ",".join(pieces) + "}").encode()).hexdigest()


REVIEW_FIELDS = ("review_by", "reviewed_on", "expected_volume", "volume_margin")


def _measured_part(target: ContractTarget) -> dict:
    """The target as its figures see it: its review cycle changes no figure, so an edit of it keeps them stored."""
    plain = to_plain(target)
    return {k: v for k, v in plain.items() if k not in REVIEW_FIELDS}


def audit_mark(uow: UnitOfWork) -> str:
    """Where the audit trail stands (its count and head): every write of an input of a result appends to it, so a
    figure measured between two equal marks was measured from the inputs the first mark saw."""
    return f"{uow.info.get('audit_count')}:{uow.info.get('audit_head')}"


def _mark_now(ws: Workspace) -> str:
    with ws.unit_of_work() as uow:
        return audit_mark(uow)


_SCOPE = threading.local()


@contextlib.contextmanager
def one_read(ws: Workspace, *, bulk: bool = True) -> Iterator[None]:
    """One page's or one command's read: within it, the fingerprint inputs of every contract are loaded once, in
    bulk, and reused (nothing is written meanwhile that they depend on: a read never writes); so are the stored
    results of the periods asked for (`_stored`). `bulk=False`: a read of a few contracts (a supplier's pack)
    loads each contract's inputs the first time it is asked for, and reads each contract's stored results."""
    if getattr(_SCOPE, "inputs", None) is not None:
        yield
        return
    _SCOPE.inputs, _SCOPE.bulk, _SCOPE.stored, _SCOPE.reports = {}, bulk, {}, {}
    try:
        yield
    finally:
        _SCOPE.inputs, _SCOPE.bulk, _SCOPE.stored, _SCOPE.reports = None, True, None, None


def _overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    return span[0] < end and span[1] > start


def _covers(label: str, a: int | None, b: int | None, zone: str, start: int, end: int) -> bool:
    """Whether a batch's stated coverage (a label read in the target's zone, or a span) touches the period."""
    from sltdesk.services.imports import period_bounds

    if label:
        return _overlaps(period_bounds(label, zone), start, end)
    return a is not None and b is not None and _overlaps((int(a), int(b)), start, end)


def stored_history(ws: Workspace, contract_id: int, periods: list[str], *,
                   as_of: int | None = None) -> dict[int, list[AttainmentResult]]:
    """target id -> its results in the order of `periods`: stored ones whose fingerprint still matches, the others
    measured now (in memory; a read never writes)."""
    now = int(ws.now().timestamp()) if as_of is None else as_of
    inputs = Inputs.load(ws, contract_id)
    wanted = list(dict.fromkeys(periods))
    keys = inputs.keys(wanted, now)
    found = _remembered(ws, keys)
    remembered = len(found)
    if len(found) < len(keys):
        for row in _stored(ws, contract_id, wanted):
            at = (row.target_id, row.period)
            if at not in found and keys.get(at) == row.fingerprint:
                found[at] = result_keys.decode(row.payload)
                _remember(ws, row.fingerprint, found[at])
    from_store = len(found) - remembered
    ids = [stored_id(t) for t in inputs.targets]
    missing = [p for p in wanted if any((t, p) not in found for t in ids)]
    measured = 0
    if missing:
        from sltdesk.services.attainment import measured_history  # the measurement (pandas): only when needed

        fresh = {}
        for target_id, results in measured_history(ws, contract_id, missing, as_of=now).items():
            for period, result in zip(missing, results, strict=True):
                if (target_id, period) not in found:
                    fresh[(target_id, period)] = result
        found.update(fresh)
        measured = len(fresh)
        if _mark_now(ws) == inputs.head:  # nothing was written meanwhile: the figures are those of the keys
            for at, result in fresh.items():
                key = keys.get(at)  # None: a target added meanwhile
                if key is not None and not key.startswith(RUNNING):
                    _remember(ws, key, result)
        ids = [t for t in ids if all((t, p) in found for p in wanted)]  # a target deleted meanwhile is gone
    c = counts()
    c.stored, c.remembered, c.measured = c.stored + from_store, c.remembered + remembered, c.measured + measured
    return with_reports(ws, inputs, {t: [found[(t, p)] for p in periods] for t in ids}, periods)


def with_reports(ws: Workspace, inputs: Inputs, results: dict[int, list[AttainmentResult]], periods: list[str]
                 ) -> dict[int, list[AttainmentResult]]:
    """The results with the vendor's figures as the contract's vendor reports say them now. A vendor report enters
    no measured figure (result_keys.NO_FIGURE_KINDS): a stored or remembered result may carry the figures of the
    reports there were when it was measured, and they are matched again here exactly as the measurement matches them
    (sltdesk/services/attainment.py, `ContractData._judged`: the target under the threshold its result was judged
    against, which a season may have changed; a tier's result carries none)."""
    from sltdesk.services.vendor_reports import match_report

    lines = _report_lines(ws, stored_id(inputs.contract)) if inputs.reports else None
    targets = {stored_id(t): t for t in inputs.targets}
    for target_id, found in results.items():
        target, rule = targets.get(target_id), inputs.rules.get(target_id)
        if target is None:  # a target added while these were read: its results were measured with the reports
            continue
        for index, (period, result) in enumerate(zip(periods, found, strict=True)):
            said = (match_report(lines, replace(target, threshold=result.threshold), rule, period)
                    if lines is not None else (None, None))
            if said != (result.reported, result.reported_met):
                found[index] = replace(result, reported=said[0], reported_met=said[1])
    return results


def _report_lines(ws: Workspace, contract_id: int) -> ReportLines:
    """The contract's vendor-report lines; within `one_read`, read once."""
    from sltdesk.services.vendor_reports import ReportLines

    scope = getattr(_SCOPE, "reports", None)
    if scope is not None and (ws.location, contract_id) in scope:
        return scope[(ws.location, contract_id)]
    with ws.unit_of_work() as uow:
        lines = ReportLines(r for _id, _batch, r in uow.raw.records(RawReportLine, contract_id=contract_id))
    if scope is not None:
        scope[(ws.location, contract_id)] = lines
    return lines


def _stored(ws: Workspace, contract_id: int, periods: list[str]) -> list[StoredResult]:
    """The contract's stored results in these periods; within a bulk `one_read`, every contract's are read at once
    (one query for the periods not read yet in it). Whatever was read when, a row is used only if its fingerprint
    is the one of the inputs read for this read."""
    scope = getattr(_SCOPE, "stored", None)
    if scope is None or not getattr(_SCOPE, "bulk", True):
        with ws.unit_of_work() as uow:
            return uow.results.stored(contract_id=contract_id, periods=periods)
    rows, read = scope.setdefault(ws.location, ({}, set()))
    unread = [p for p in periods if p not in read]
    if unread:
        with ws.unit_of_work() as uow:
            for cid, found in uow.results.stored_by_contract(periods=unread).items():
                rows.setdefault(cid, []).extend(found)
        read.update(unread)
    wanted = set(periods)
    return [r for r in rows.get(contract_id, ()) if r.period in wanted]


def _remembered(ws: Workspace, keys: dict[tuple[int, str], str]) -> dict[tuple[int, str], AttainmentResult]:
    """What this process measured or read before under the same fingerprint, in the same workspace (ids are a
    workspace's own: another workspace's batch 3 is another batch)."""
    with _MEMORY.lock:
        return {at: _MEMORY.results[(ws.location, key)] for at, key in keys.items()
                if (ws.location, key) in _MEMORY.results}


def _remember(ws: Workspace, key: str, result: AttainmentResult) -> None:
    with _MEMORY.lock:
        if len(_MEMORY.results) >= _MEMORY_LIMIT:
            _MEMORY.results.clear()
        _MEMORY.results[(ws.location, key)] = result


# --- writing -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: results measured and stored, results already current."""

    contracts: int
    stored: int
    current: int
    skipped: str = ""  # why nothing was stored (a read-only workspace, a viewer)

    def text(self) -> str:
        if self.skipped:
            return f"Results not stored: {self.skipped}."
        return (f"{self.stored} results measured and stored for {self.contracts} contracts; "
                f"{self.current} were current.")


def can_store(ws: Workspace) -> str:
    """'' when this user may store results here, else why not."""
    allows = getattr(ws, "allows", None)
    if getattr(ws, "read_only", False):
        return "the workspace is open read-only"
    if allows is not None and not allows(Permission.EDIT):
        return "your role may only read"
    return ""


def stored_periods(contract: Contract, targets: list[ContractTarget], today: date,
                   months: int = STORED_MONTHS) -> list[str]:
    """The periods `refresh_results` keeps: the last `months` months up to `today`'s (the running month's key
    says it is running: it is not stored), and their quarters where a target is measured per quarter. Months
    outside the contract's term are kept too: the board and the grid show them, and measuring one would load
    the contract's raw data to say it lies outside the term."""
    last = Period.month(today.year, today.month).label
    labels = months_between(shift(last, 1 - months), last)
    if any(t.measurement_period is ChargesPeriod.QUARTER for t in targets):
        labels += sorted({quarter_of(m) for m in labels})
    return labels


def refresh_results(ws: Workspace, contract_ids: Iterable[int] | None = None, *,
                    progress: Progress | None = None) -> Refreshed:
    """Measure and store every result of these contracts (default: all) whose inputs changed since it was
    stored. Called after an action that changed inputs has committed; one transaction per contract. A large
    portfolio is measured in two processes (sltdesk/services/result_workers.py); this one stores it all."""
    from sltdesk.services.result_workers import measured_in_turn

    why = can_store(ws)
    if why:
        return Refreshed(0, 0, 0, why)
    as_of = int(ws.now().timestamp())
    today = ws.now().astimezone(UTC).date()
    with ws.unit_of_work() as uow:
        ids = ([stored_id(c) for c in uow.records.list(Contract)] if contract_ids is None
               else list(dict.fromkeys(contract_ids)))
    stored = current = 0
    # each contract's inputs read afresh, just before it is measured (serially: after the one before was stored)
    with contextlib.closing(measured_in_turn(ws, ids, as_of, today)) as turns:  # closed: its workers stop
        for index, measurement in enumerate(turns):
            if progress:
                progress(int(100 * index / max(len(ids), 1)),
                         f"Refreshing the stored results ({index + 1} of {len(ids)} contracts)…")
            made, kept = _store_one(ws, measurement)
            stored, current = stored + made, current + kept
    if progress:
        progress(100, "Stored results are current.")
    return Refreshed(len(ids), stored, current)


@dataclass(frozen=True)
class Measurement:
    """One contract's results measured by `refresh_results`, not yet stored: the rows to store, how many were
    current, the audit mark its inputs were read at, and (measured in this process) the results themselves."""

    contract_id: int
    head: str
    rows: list[StoredResult]
    current: int
    results: dict[str, AttainmentResult] = field(default_factory=dict)  # fingerprint -> result, to remember


def measure_one(ws: Workspace, contract_id: int, as_of: int, today: date, *, keep: bool = True
                ) -> Measurement | None:
    """One contract of `refresh_results`, measured (None: no such contract any more). `keep`: return the
    results too, to remember them in this process."""
    from sltdesk.services.attainment import measured_history

    try:
        inputs = Inputs.load(ws, contract_id)
    except NotFoundError:
        return None
    periods = stored_periods(inputs.contract, inputs.targets, today)
    keys = {at: key for at, key in inputs.keys(periods, as_of).items() if not key.startswith(RUNNING)}
    with ws.unit_of_work() as uow:
        have = uow.results.fingerprints(contract_id=contract_id)
    targets = [stored_id(t) for t in inputs.targets]
    stale = [p for p in periods if any(have.get((t, p)) != keys.get((t, p)) for t in targets)]
    current = sum(1 for at, key in keys.items() if have.get(at) == key)
    rows, measured = [], {}
    if stale:
        wanted = {(t, p): keys[(t, p)] for p in stale for t in targets
                  if (t, p) in keys and have.get((t, p)) != keys[(t, p)]}
        known = _remembered(ws, wanted)  # measured (or read) before in this process under the same fingerprint
        fresh = [p for p in stale if any((t, p) in wanted and (t, p) not in known for t in targets)]
        found = measured_history(ws, contract_id, fresh, as_of=as_of) if fresh else {t: [] for t in targets}
        for target_id, results in found.items():
            of_period = dict(zip(fresh, results, strict=True))
            for period in stale:
                key = wanted.get((target_id, period))
                if key is not None:
                    result = known[(target_id, period)] if (target_id, period) in known else of_period[period]
                    rows.append(StoredResult(target_id, period, key, result_keys.encode(result)))
                    if keep:
                        measured[key] = result
    return Measurement(contract_id, inputs.head, rows, current, measured)


def _store_one(ws: Workspace, measurement: Measurement | None) -> tuple[int, int]:
    """Store one contract's measured results: (results stored, results already current)."""
    if measurement is None:
        return 0, 0
    contract_id, rows, current = measurement.contract_id, measurement.rows, measurement.current
    if not rows:
        return 0, current
    with ws.unit_of_work() as uow:
        uow.audit.queue()  # writers wait for this transaction, and it for them
        if audit_mark(uow) != measurement.head:
            # Something was written since the inputs were read: the figures may come from other inputs than their
            # keys say (even if a later write undid it). That write refreshes them itself; store nothing here.
            log.info("Results of contract %s not stored: the workspace changed while they were measured", contract_id)
            return 0, current
        at = ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        uow.results.put(contract_id=contract_id, results=rows, at=at)
        uow.commit()
    for key, result in measurement.results.items():
        _remember(ws, key, result)
    return len(rows), current


def refresh_quietly(ws: Workspace, contract_ids: Iterable[int] | None = None) -> Refreshed | None:
    """`refresh_results` after a write that has committed: a failure is logged, never raised (the write stands,
    and a read measures what was not stored)."""
    try:
        return refresh_results(ws, contract_ids)
    except Exception:
        log.warning("Could not store the refreshed results", exc_info=True)
        return None


_HELD = threading.local()


@contextlib.contextmanager
def held(ws: Workspace) -> Iterator[None]:
    """Within it, `after_write` only collects the contracts; they are refreshed once at the end (the demo and
    other builders make many writes in a row). Meanwhile a contract's tickets and ticket events are read once for
    as long as their batches are unchanged (sltdesk/services/raw_data.py: `kept_frames`)."""
    from sltdesk.services.raw_data import kept_frames

    outer = getattr(_HELD, "pending", None)
    if outer is not None:
        yield
        return
    with kept_frames():
        _HELD.pending = set()
        try:
            yield
        finally:
            pending, _HELD.pending = _HELD.pending, None
        if pending:
            refresh_quietly(ws, None if ALL in pending else sorted(pending))
            _act(ws, None if ALL in pending else sorted(pending))


ALL = -1  # "every contract", for a change whose reach is not one contract (the register)


def after_write(ws: Workspace, contract_ids: Iterable[int] | None) -> None:
    """Called by a write that changed results' inputs, once it has committed: refresh those contracts' stored
    results (None: every contract), now or at the end of `held`; then open or extend the actions their runs of
    misses call for (sltdesk/services/breach_actions.py)."""
    pending = getattr(_HELD, "pending", None)
    if pending is not None:
        pending.update([ALL] if contract_ids is None else contract_ids)
        return
    ids = None if contract_ids is None else list(contract_ids)
    refresh_quietly(ws, ids)
    _act(ws, ids)


def _act(ws: Workspace, contract_ids: list[int] | None) -> None:
    """A write, not a read or a recompute: the runs of misses its results show open or extend their actions."""
    from sltdesk.services.breach_actions import act_quietly

    act_quietly(ws, contract_ids)


def result_status(ws: Workspace) -> dict[str, int]:
    """How many results are stored, and of the target-months `refresh_results` keeps, how many are current."""
    now = ws.now()
    with ws.unit_of_work() as uow:
        ids = [stored_id(c) for c in uow.records.list(Contract)]
        stored = uow.results.count()
    expected = current = out_of_date = 0
    with one_read(ws):
        loaded = [Inputs.load(ws, contract_id) for contract_id in ids]
    for contract_id, inputs in zip(ids, loaded, strict=True):
        periods = stored_periods(inputs.contract, inputs.targets, now.astimezone(UTC).date())
        keys = {at: k for at, k in inputs.keys(periods, int(now.timestamp())).items() if not k.startswith(RUNNING)}
        with ws.unit_of_work() as uow:
            have = uow.results.fingerprints(contract_id=contract_id)
        expected += len(keys)
        current += sum(1 for at, k in keys.items() if have.get(at) == k)
        out_of_date += sum(1 for at, k in keys.items() if at in have and have[at] != k)
    return {"stored": stored, "expected": expected, "current": current, "out_of_date": out_of_date,
            "missing": expected - current - out_of_date}
