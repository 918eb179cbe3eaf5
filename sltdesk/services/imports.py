"""Use cases of the raw-data import: prepare options, store a parsed file all-or-nothing, remove it again."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import lru_cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from sltdesk.domain.period import Span
from sltdesk.domain.raw import Finding, ImportOptions, ParsedImport, RecordKind, Severity
from sltdesk.domain.register import Contract, ContractTarget, ServiceCalendar, Supplier
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, SltDeskError
from sltdesk.rules.completeness import Coverage, batch_coverage, sample_step
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import Workspace
from sltdesk.services.register import require_record
from sltdesk.services.result_cache import after_write
from sltdesk.services.retry import retry_when_busy


class ImportRefused(SltDeskError):
    """The file cannot go in; `report` says why."""

    def __init__(self, message: str, report: ImportReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class ImportReport:
    kind: str
    file: str
    sha256: str
    sheet: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    findings: tuple[Finding, ...]
    batch_id: int | None = None
    stored: int = 0
    skipped: int = 0
    replaced: int = 0
    dry_run: bool = False
    mapping: dict[str, str] = field(default_factory=dict)
    mapping_why: dict[str, str] = field(default_factory=dict)  # field -> exact header, synonym, partial, chosen
    coverage: Coverage | None = None  # the stretch of time the batch covers, and how that was decided
    timezone: str = "UTC"
    held: tuple[dict, ...] = ()  # records of the same stored type the file's period held already, per batch
    replace_period: bool = False  # those records are replaced by this file's (--replace-period)
    superseded: int = 0  # how many stored records the replacement took out
    periods: tuple[str, ...] = ()  # the months (contract's zone) whose figures this import changes
    preset: str = ""  # the mapping preset the file was read with ("" = none)
    preset_why: str = ""

    def as_json(self) -> dict:
        covers = None if self.coverage is None else {
            "start": _iso(self.coverage.start), "end": _iso(self.coverage.end), "how": self.coverage.how}
        return {"batch_id": self.batch_id, "kind": self.kind, "file": self.file, "sha256": self.sha256,
                "sheet": self.sheet, "rows_read": self.rows_read, "rows_accepted": self.rows_accepted,
                "rows_rejected": self.rows_rejected, "stored": self.stored, "skipped_as_already_imported":
                self.skipped, "replaced": self.replaced, "dry_run": self.dry_run, "mapping": self.mapping,
                "columns": [{"field": f, "column": c, "why": self.mapping_why.get(f, "")}
                            for f, c in self.mapping.items()],
                "covers": covers, "preset": {"name": self.preset, "why": self.preset_why} if self.preset else None,
                "period_holds": list(self.held), "replace_period": self.replace_period,
                "superseded": self.superseded, "periods": list(self.periods),
                "findings": [f.as_dict() for f in self.findings]}

    @property
    def coverage_text(self) -> str:
        """'covers 1 Mar 2026 00:00 – 1 Apr 2026 00:00 (Europe/London): the period given with --period (2026-03)'."""
        if self.coverage is None:
            return ""
        zone = ZoneInfo(self.timezone)
        a, b = (f"{local.day} {local:%b %Y %H:%M}" for local in (
            datetime.fromtimestamp(t, UTC).astimezone(zone) for t in (self.coverage.start, self.coverage.end)))
        return f"covers {a} – {b} ({self.timezone}): {self.coverage.how}"


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


COVERED_KINDS = (RecordKind.TICKETS, RecordKind.TICKET_EVENTS, RecordKind.OUTAGES, RecordKind.SAMPLES)


def coverage_of(parsed: ParsedImport, options: ImportOptions, home_zone: str) -> Coverage | None:
    """What a parsed file covers (see sltdesk/rules/completeness.py for the order of the rules); periods and
    whole days are the contract's, in its zone (`home_zone`)."""
    if parsed.kind not in COVERED_KINDS or parsed.fatal:
        return None
    given = (options.period_start, options.period_end, options.period_label) \
        if options.period_start is not None and options.period_end is not None else None
    stated = None
    if parsed.stated_period:
        start, end = period_bounds(parsed.stated_period, home_zone)
        stated = (start, end, f"{parsed.stated_period} {parsed.stated_where}")
    samples = records = None
    if parsed.kind is RecordKind.SAMPLES and parsed.blocks:
        spans = [(int(b.first_at), int(b.last_at), int(b.count)) for b in parsed.blocks]
        samples = (min(s[0] for s in spans), max(s[1] for s in spans), sample_step(spans))
    elif parsed.kind is not RecordKind.SAMPLES and len(parsed.frame):
        first_field, last_field = ("start", "end") if parsed.kind is RecordKind.OUTAGES else ("opened_at", "opened_at")
        records = (int(parsed.frame[first_field].min()), int(parsed.frame[last_field].max()))
    return batch_coverage(given=given, stated=stated, samples=samples, records=records, zone=home_zone)


def find_contract(ws: Workspace, ref: str) -> Contract:
    with ws.unit_of_work() as uow:
        found = uow.records.list(Contract, ref=ref)
        if not found:
            refs = ", ".join(c.ref for c in uow.records.list(Contract)) or "none yet"
            raise NotFoundError(f"There is no contract '{ref}'; the contracts are: {refs}.")
        return found[0]


def contract_timezone(ws: Workspace, contract: Contract) -> str:
    """The zone of the calendar most of the contract's targets use (UTC when none)."""
    with ws.unit_of_work() as uow:
        targets = uow.records.list(ContractTarget, contract_id=contract.id)
        calendars = {c.id: c.timezone for c in uow.records.list(ServiceCalendar)}
    zones = Counter(calendars[t.calendar_id] for t in targets if t.calendar_id in calendars)
    return zones.most_common(1)[0][0] if zones else "UTC"


@lru_cache(maxsize=8192)  # a pure function of its text, asked for again for every target, period and batch
def period_bounds(label: str, timezone: str) -> tuple[int, int]:
    """A period's (or a span's, 2025-05..2026-10) start and end as UTC epoch seconds, in the given zone."""
    period = Span.parse(label)
    zone = ZoneInfo(timezone)
    start = datetime.combine(period.start, time(), zone)
    end = datetime.combine(period.end, time(), zone)
    return int(start.timestamp()), int(end.timestamp())


def build_options(ws: Workspace, *, kind: RecordKind, contract: Contract | None, timezone: str | None = None,
                  sheet: str | None = None, header_row: int | None = None, mapping: dict[str, str] | None = None,
                  value_map: list[tuple[str, str, str]] | None = None, dayfirst: bool | None = None,
                  period: str | None = None, null_markers: list[str] | None = None,
                  preset: str = "") -> ImportOptions:
    """Options for the parser: defaults from the contract, explicit choices on top."""
    home = contract_timezone(ws, contract) if contract else "UTC"
    zone = timezone or home
    try:
        ZoneInfo(zone)
    except (KeyError, ValueError):
        raise SltDeskError(f"'{zone}' is not an IANA time zone such as Europe/London.") from None
    bounds = period_bounds(period, home) if period else (None, None)  # a period of the contract: in its zone
    expand: tuple[int | None, int | None] = (None, None)
    if contract is not None:  # a calendar without --period: the contract's term and one renewal term after it
        tz = ZoneInfo(home)
        renewed = contract.end_date + (contract.end_date - contract.start_date)
        expand = (int(datetime.combine(contract.start_date, time(), tz).timestamp()),
                  int(datetime.combine(renewed, time(), tz).timestamp()))
    return ImportOptions(kind=kind, timezone=zone, sheet=sheet, header_row=header_row,
                         mapping=tuple(sorted((mapping or {}).items())), value_map=tuple(value_map or ()),
                         dayfirst=dayfirst, period_start=bounds[0], period_end=bounds[1], period_label=period or "",
                         exported_at=int(ws.now().timestamp()), expand_start=expand[0], expand_end=expand[1],
                         null_markers=tuple(null_markers or ()), preset=preset or "")


def plan_rows(*args, **kwargs):
    """sltdesk/services/import_rows.py's plan (loaded with numpy and pandas when an import is stored)."""
    from sltdesk.services.import_rows import plan_rows as plan

    return plan(*args, **kwargs)


@retry_when_busy
def store_import(ws: Workspace, parsed: ParsedImport, *, contract: Contract, options: ImportOptions,
                 dry_run: bool = False, replace_period: bool = False) -> ImportReport:
    """Store every accepted row in one transaction with its provenance and an audit entry — or nothing.

    Records of the same stored type that the file's period holds already from other files stay, and a warning
    says so; with `replace_period` they are taken out first, in the same transaction, and the audit entry
    lists them per batch (see sltdesk/services/import_periods.py)."""
    from sltdesk.services import batch_content as content
    from sltdesk.services import import_periods as periods  # these load numpy and pandas: only when storing

    home = contract_timezone(ws, contract)
    report = _with(_report(parsed, dry_run=dry_run), coverage=coverage_of(parsed, options, home), timezone=home,
                   replace_period=replace_period)
    if parsed.fatal:
        raise ImportRefused(_first_error(parsed) or "The file cannot be imported.", report)
    if not parsed.rows_accepted:  # an empty batch would only look like "nothing happened in that period"
        raise ImportRefused(_nothing_to_store(parsed), report)
    if replace_period:
        _check_replaceable(parsed, report)
    contract_id = stored_id(contract)
    with ws.unit_of_work() as uow:
        uow.audit.queue()  # before asking whether the file is new: two writers importing it at once take turns
        earlier = identical_batch(uow.raw, parsed.kind, contract_id, parsed.sha256)
        if earlier is not None:
            raise ImportRefused(identical_message(parsed.file_name, earlier), report)
        found = periods.holdings(uow.raw, parsed, contract_id, report.coverage)
        gone: dict = {}  # per earlier batch, the content hash of the records this import takes out of it
        if replace_period and found is not None:
            gone = content.taken_out(uow.raw, contract_id, periods.targets(found),
                                     partial(periods.remove, uow.raw, found))
        plan = plan_rows(uow.raw, parsed.kind, parsed.frame, parsed.events, contract_id, parsed.blocks)
        extra = [periods.replacing_finding(found, home)] if replace_period else [periods.beside_finding(found, home)]
        findings = tuple(parsed.findings) + tuple(plan.findings) + tuple(f for f in extra if f is not None)
        held_times = [t for h in (found.held if replace_period and found else []) for t in h.times]
        touched = periods.periods_touched(periods.new_times(parsed), home, also=held_times)
        report = _with(report, findings=findings, stored=plan.stored, skipped=plan.skipped, replaced=plan.replaced,
                       held=tuple(found.as_json()) if found else (), periods=tuple(touched),
                       superseded=found.records if replace_period and found else 0)
        if dry_run:
            return report  # the unit of work rolls back: nothing was removed or stored
        batch_id = uow.raw.add_batch(_batch_values(ws, parsed, contract, options, findings, report.coverage))
        targets = content.plan_targets(plan.deletes, plan.updates)
        gone = content.merged(gone, content.taken_out(uow.raw, contract_id, targets,
                                                      partial(_apply_removals, uow.raw, plan)))
        plan.store(uow.raw, batch_id=batch_id, contract_id=contract_id)
        replaced: dict[str, Any] = {  # the audit entry's account of what was replaced (plain JSON)
            "content": content.new_batch_digest(uow.raw, plan, batch_id=batch_id, contract_id=contract_id).as_audit(),
                    **({"content_removed": content.removed_audit(gone)} if gone else {})}
        if replace_period and found:
            replaced |= {"replaced_period": {"start": _iso(found.coverage.start), "end": _iso(found.coverage.end),
                                             "label": periods.period_words(found.coverage, home)},
                         "superseded": [h.as_audit() for h in found.held]}
        if plan.superseded:  # newer versions of tickets stored before: the old versions are superseded too
            updated = [{**periods.Held(batch, (uow.raw.batch(batch) or {}).get("file_name", ""), ids, rows)
                        .as_audit(), "newer_version": True} for batch, (ids, rows) in sorted(plan.superseded.items())]
            replaced = {**replaced, "superseded": replaced.get("superseded", []) + updated}
        append_audit(ws, uow, action="import", entity="import_batch", entity_id=batch_id, before=None, after={
            "kind": parsed.kind.value, "file": parsed.file_name, "sha256": parsed.sha256, "sheet": parsed.sheet,
            "contract": contract.ref, "rows_read": parsed.rows_read, "rows_accepted": parsed.rows_accepted,
            "rows_rejected": parsed.rows_rejected, "stored": plan.stored, "skipped": plan.skipped,
            "replaced": plan.replaced, "periods": touched, **replaced})
        uow.commit()
    after_write(ws, [stored_id(contract)])
    return _with(report, batch_id=batch_id)


def _apply_removals(raw, plan) -> None:
    """What the plan takes out of stored batches: rows deleted, blocks rewritten without the records it replaces."""
    from sltdesk.services import batch_content as content

    for kind, ids in plan.deletes:
        content.delete(raw, kind, ids)
    for _kind, block_id, remaining in plan.updates:  # ticket blocks (none left: the block goes)
        raw.rewrite_ticket_block(block_id, remaining)


FAMILY = {RecordKind.TICKETS: (RecordKind.TICKETS, RecordKind.TICKET_EVENTS),
          RecordKind.TICKET_EVENTS: (RecordKind.TICKET_EVENTS, RecordKind.TICKETS)}


def identical_batch(raw, kind: RecordKind, contract_id: int, sha256: str) -> dict | None:
    """The batch that brought this very file (same SHA-256) into the contract as records of this stored type."""
    for each in FAMILY.get(kind, (kind,)):
        found = raw.batch_with_hash(kind=each.value, contract_id=contract_id, sha256=sha256)
        if found is not None:
            return found
    return None


def identical_message(file_name: str, batch: dict) -> str:
    return f"{file_name} was imported already (batch {batch['id']}, {_when(batch)} UTC); nothing was stored twice."


def find_identical(ws: Workspace, kind: RecordKind, contract_id: int, sha256: str) -> str:
    """The sentence saying this file is in the workspace already ("" when it is not): the wizard's first page."""
    with ws.unit_of_work() as uow:
        earlier = identical_batch(uow.raw, kind, contract_id, sha256)
    if earlier is None:
        return ""
    return (f"{earlier['file_name']} (the same SHA-256) was imported for this contract as batch {earlier['id']} on "
            f"{_when(earlier)} UTC.")


def _when(batch: dict) -> str:
    """When a batch was imported, to the minute: '2026-12-06 06:12'."""
    return batch["imported_at"][:16].replace("T", " ")


WHY_EMPTY = ("outside-window", "unreadable-event")  # findings that say why a calendar gave no windows


def _nothing_to_store(parsed: ParsedImport) -> str:
    """Why a file that was read gives nothing to store, and what to do instead."""
    if parsed.is_calendar:  # events, not a header and rows
        why = next((f.message for f in parsed.findings if f.code in WHY_EMPTY), "")
        return (f"{parsed.file_name} has no maintenance windows to store; nothing was stored."
                + (f" {why[0].upper()}{why[1:]}." if why else ""))
    text = f"{parsed.file_name} has a header but no rows that could be read; nothing was stored."
    if parsed.kind in COVERED_KINDS:
        text += (" If the period truly had none, mark it complete instead (sltdesk periods mark-complete "
                 "--contract REF --period P --reason '…', or on the Verification page).")
    return text


def _check_replaceable(parsed: ParsedImport, report: ImportReport) -> None:
    from sltdesk.services import import_periods as periods

    if periods.stored_table(parsed.kind) is None:
        raise ImportRefused(f"--replace-period replaces tickets, outages or samples within the file's period; "
                            f"{parsed.kind.value} are matched record by record instead (import without it).", report)
    if report.coverage is None:
        raise ImportRefused(f"{parsed.file_name} has no records with times, so it has no period to replace; "
                            "give the period with --period.", report)


@retry_when_busy
def remove_import(ws: Workspace, batch_id: int) -> dict[str, int]:
    """Delete a batch and its rows (audited); returns what was removed. Records the batch replaced when it came in
    are not restored (`not_restored_warning` says so); its audit entry names them."""
    lost = not_restored(ws, batch_id)
    with ws.unit_of_work() as uow:
        batch = uow.raw.batch(batch_id)
        if batch is None:
            raise NotFoundError(f"There is no import batch {batch_id}; list them with `sltdesk imports list` "
                                "or on the Imports page.")
        removed = uow.raw.remove_batch(batch_id)
        append_audit(ws, uow, action="remove-import", entity="import_batch", entity_id=batch_id,
                     before={k: batch[k] for k in ("kind", "file_name", "sha256", "sheet", "rows_accepted")},
                     after={"removed": removed, **({"not_restored": [
                         {k: h[k] for k in ("batch", "file", "records")} for h in lost]} if lost else {})})
        uow.commit()
    after_write(ws, [batch["contract_id"]] if batch.get("contract_id") else None)
    return removed


@dataclass(frozen=True)
class BatchView:
    id: int
    kind: str
    contract: str
    file_name: str
    sha256: str
    sheet: str
    imported_at: str
    imported_by: str
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    findings: tuple[Finding, ...]
    stored: int | None = None  # records the batch added (None: not on record)
    skipped: int | None = None  # accepted rows that were in the workspace already
    superseded: tuple[tuple[int, int], ...] = ()  # (later batch, records of this one it replaced)
    replaced_held: tuple[dict, ...] = ()  # what this batch replaced: {batch, file, records, period} per batch

    def superseded_text(self, existing: set[int] | None = None) -> str:
        """'3,100 of 4,000 records superseded by batch 19' ("" when none were); `existing`: batch ids still there."""
        if not self.superseded:
            return ""
        parts = [f"batch {by}" + ("" if existing is None or by in existing else " (since removed)")
                 for by in dict.fromkeys(by for by, _n in self.superseded)]
        total = sum(n for _by, n in self.superseded)
        of = f" of {self.stored:,}" if self.stored is not None else ""
        return f"{total:,}{of} records superseded by {', '.join(parts)}"


def relying_batches(batches: list[BatchView], batch: BatchView) -> list[BatchView]:
    """Later batches of the same contract and records that skipped some of theirs as already imported: those
    records were this batch's, so removing it removes them for the later batches too."""
    family = {"ticket-events": "tickets"}
    return [b for b in batches if b.id > batch.id and b.contract == batch.contract
            and family.get(b.kind, b.kind) == family.get(batch.kind, batch.kind)
            and any(f.code == "already-imported" for f in b.findings)]


def relying_warning(later: list[BatchView]) -> str:
    """The sentence that goes with removing a batch that later batches relied on ("" when none did)."""
    if not later:
        return ""
    ids = ", ".join(str(b.id) for b in later)
    plural = len(later) > 1
    return (f"Batch{'es' if plural else ''} {ids} skipped records this batch had brought in (already imported); "
            f"removing it deletes them as well. To have them back, remove batch{'es' if plural else ''} {ids} too "
            f"and import {'their files' if plural else 'its file'} again.")


def list_batches(ws: Workspace) -> list[BatchView]:
    with ws.unit_of_work() as uow:
        refs = {c.id: c.ref for c in uow.records.list(Contract)}
        batches = uow.raw.batches()
        # What each import stored and skipped is in its audit entry (the newest entry of an id counts).
        counts = {e.entity_id: e.after or {} for e in uow.audit.entries_of("import_batch", "import")}
    superseded: dict[int, list[tuple[int, int]]] = {}
    for by, after in counts.items():
        for held in after.get("superseded", ()):
            superseded.setdefault(int(held["batch"]), []).append((int(by), int(held["records"])))
    return [BatchView(b["id"], b["kind"], refs.get(b["contract_id"], ""), b["file_name"], b["sha256"], b["sheet"],
                      b["imported_at"], b["imported_by"], b["rows_read"], b["rows_accepted"], b["rows_rejected"],
                      _findings_of(b),
                      counts.get(str(b["id"]), {}).get("stored"), counts.get(str(b["id"]), {}).get("skipped"),
                      tuple(sorted(superseded.get(b["id"], ()))), _replaced_held(counts.get(str(b["id"]), {})))
            for b in batches]


def _replaced_held(after: dict) -> tuple[dict, ...]:
    label = (after.get("replaced_period") or {}).get("label", "")
    return tuple({"batch": int(h["batch"]), "file": h["file"], "records": int(h["records"]),
                  "period": "" if h.get("newer_version") else label} for h in after.get("superseded", ()))


def lost_records(batch: BatchView, batches: list[BatchView]) -> list[dict]:
    """What removing `batch` does not restore: the records it replaced, per batch, and whether that batch is
    still stored (its file must then be imported again after removing it)."""
    existing = {b.id for b in batches}
    return [{**held, "still_stored": held["batch"] in existing} for held in batch.replaced_held]


def superseded_rows(ws: Workspace, batch_id: int) -> set[int]:
    """The source rows of a batch whose records later imports replaced: a check of the batch leaves them out."""
    from sltdesk.services import import_periods as periods

    rows: set[int] = set()
    with ws.unit_of_work() as uow:
        for entry in uow.audit.entries_of("import_batch", "import"):
            for held in (entry.after or {}).get("superseded", ()):
                if int(held["batch"]) == batch_id:
                    rows |= periods.rows_of(held["rows"])
    return rows


def not_restored(ws: Workspace, batch_id: int) -> list[dict]:
    """What a batch replaced when it came in ({batch, file, records, period, still_stored}): removing it does not
    restore them."""
    batches = list_batches(ws)
    this = next((b for b in batches if b.id == batch_id), None)
    return [] if this is None else lost_records(this, batches)


def not_restored_warning(batch_id: int, lost: list[dict]) -> str:
    """The sentence that goes with removing a batch that replaced a period ("" when it replaced nothing)."""
    if not lost:
        return ""
    what = "; ".join(f"{h['records']:,} record{'' if h['records'] == 1 else 's'} of batch {h['batch']} ({h['file']})"
                     + (f" in {h['period']}" if h["period"] else " (older versions of the same records)")
                     for h in lost)
    again = "; ".join(dict.fromkeys(
        (f"remove batch {h['batch']} and import {h['file']} again" if h["still_stored"] else
         f"import {h['file']} again (batch {h['batch']} is removed already)") for h in lost))
    return (f"Batch {batch_id} replaced {what}. Removing it does not bring them back: the workspace will hold "
            f"none of those records. To have them again, {again}.")


def load_profile(ws: Workspace, *, supplier_id: int | None, kind: RecordKind, name: str) -> dict | None:
    with ws.unit_of_work() as uow:
        found = uow.raw.profile(supplier_id=supplier_id, kind=kind.value, name=name)
    return found["options"] if found else None


@retry_when_busy
def save_profile(ws: Workspace, *, supplier_id: int | None, kind: RecordKind, name: str, options: dict) -> None:
    """Remember a mapping (audited) so the next file from this supplier needs no choices."""
    with ws.unit_of_work() as uow:
        before = uow.raw.profile(supplier_id=supplier_id, kind=kind.value, name=name)
        uow.raw.save_profile(supplier_id=supplier_id, kind=kind.value, name=name, options=options,
                             at=ws.now().astimezone(UTC).isoformat())
        append_audit(ws, uow, action="save-profile", entity="import_profile", entity_id=f"{kind.value}:{name}",
                     before=before["options"] if before else None, after=options)
        uow.commit()


def supplier_of(ws: Workspace, contract: Contract) -> Supplier:
    with ws.unit_of_work() as uow:
        return require_record(uow, Supplier, contract.supplier_id)


def _report(parsed: ParsedImport, *, dry_run: bool) -> ImportReport:
    return ImportReport(kind=parsed.kind.value, file=parsed.file_name, sha256=parsed.sha256, sheet=parsed.sheet,
                        rows_read=parsed.rows_read, rows_accepted=parsed.rows_accepted,
                        rows_rejected=parsed.rows_rejected, findings=tuple(parsed.findings), dry_run=dry_run,
                        mapping=dict(parsed.mapping), mapping_why=dict(parsed.mapping_why), preset=parsed.preset,
                        preset_why=parsed.preset_why)


def _with(report: ImportReport, **changes) -> ImportReport:
    from dataclasses import replace

    return replace(report, **changes)


def _first_error(parsed: ParsedImport) -> str:
    error = next((f for f in parsed.findings if f.severity is Severity.ERROR and f.row is None or
                  f.code in ("missing-column", "unknown-column", "ambiguous-dates", "event-log-as-tickets",
                             "preset-kind", "unknown-preset")), None)
    return error.message if error else ""


def _batch_values(ws: Workspace, parsed: ParsedImport, contract: Contract, options: ImportOptions,
                  findings: tuple[Finding, ...], coverage: Coverage | None) -> dict:
    return {"kind": parsed.kind.value, "contract_id": contract.id, "file_name": parsed.file_name,
            "sha256": parsed.sha256, "sheet": parsed.sheet, "header_row": parsed.header_row,
            "mapping_json": json.dumps(parsed.mapping, sort_keys=True),
            "options_json": json.dumps({"timezone": options.timezone, "dayfirst": options.dayfirst,
                                        "period": options.period_label, "sheet": options.sheet,
                                        **({"unreadable": parsed.emptied} if parsed.emptied else {})},
                                       sort_keys=True),
            "imported_at": ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "imported_by": ws.user,
            "rows_read": parsed.rows_read, "rows_accepted": parsed.rows_accepted,
            "rows_rejected": parsed.rows_rejected,
            "findings_json": json.dumps([f.as_dict() for f in findings]),
            "covers_start": coverage.start if coverage else None, "covers_end": coverage.end if coverage else None,
            "covers_how": coverage.how if coverage else "", "covers_label": coverage.label if coverage else ""}


def _findings_of(batch: dict) -> tuple[Finding, ...]:
    """A batch's stored findings; findings damaged outside the app are one finding saying so, not a crash."""
    try:
        return tuple(_finding(f) for f in json.loads(batch["findings_json"]))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        return (Finding(Severity.ERROR, "damaged-findings", f"The findings stored with batch {batch['id']} cannot "
                        f"be read ({type(error).__name__}); they were changed or damaged outside SLT Desk."),)


def _finding(data: dict) -> Finding:
    return Finding(Severity(data["severity"]), data["code"], data["message"], data.get("sheet", ""),
                   data.get("row"), data.get("column", ""))
