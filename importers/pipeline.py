"""File -> ParsedImport: read, find the header, map columns, convert, validate. No database here."""

from __future__ import annotations

import dataclasses
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from importers import columnar, presets
from importers import events as event_logs
from importers.body import Body, read_body
from importers.dates import DateColumn
from importers.mapping import SYNONYMS, find_header_row, normalise, suggest_mapping
from importers.nulls import blank_nulls, null_markers
from importers.reading import RawSheet, column_letter, file_sha256, read_table, uncached_formulas
from importers.stated_period import stated_period
from importers.values import (
    NA_TIME,
    is_blank,
    relabel,
    to_bool,
    to_money,
    to_number,
    to_period,
    to_priority,
    to_text,
)
from sltdesk.codecs import sample_blocks
from sltdesk.domain.raw import FIELDS, FieldType, Finding, ImportOptions, ParsedImport, RecordKind, Severity
from sltdesk.rules.data_quality import validate

MAX_FINDINGS_PER_CODE = 500
PREVIEW_ROWS = 1000  # accepted samples kept as rows beside their blocks, for the wizard's preview
_PERIOD_IN_TEXT = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|"
                             r"\b\d{4}-(0[1-9]|1[0-2])\b|\bQ[1-4]\s+\d{4}\b", re.IGNORECASE)


def parse_file(path: str | Path, options: ImportOptions) -> ParsedImport:
    """Everything an import needs to know about a file, before anything is stored."""
    path = Path(path)
    if options.kind is RecordKind.MAINTENANCE and path.suffix.lower() == ".ics":
        from importers.ics import parse_ics

        return parse_ics(path, options, file_sha256(path))
    with ThreadPoolExecutor(max_workers=1) as helper:
        digest = helper.submit(file_sha256, path)  # hashing lets go of the GIL: it runs beside the reading
        raw = read_table(path, sheet=options.sheet)
        result = parse_sheet(raw, options, file_name=path.name, sha256="")
        result.sha256 = digest.result()
    return result


def parse_sheet(raw: RawSheet, options: ImportOptions, *, file_name: str, sha256: str) -> ParsedImport:
    kind = options.kind
    findings: list[Finding] = []
    header = _header_index(raw, options, kind)
    headers = [_header_text(c) for c in (raw.rows[header] if header < len(raw.rows) else [])]
    result = ParsedImport(kind=kind, file_name=file_name, sha256=sha256, sheet=raw.name,
                          header_row=raw.first_row + header, mapping={}, frame=pd.DataFrame(), rows_read=0,
                          rows_rejected=0, findings=findings, headers=headers, notes=list(raw.notes))
    if not any(str(cell).strip() for row in raw.rows for cell in row if cell is not None):
        result.header_row = None  # no header either
        return _fatal(result, "no-text", f"{file_name} holds no text: there is nothing to import.", raw.name)
    try:
        choice = presets.choose(options.preset, headers, kind)
    except KeyError as error:
        return _fatal(result, "unknown-preset", str(error.args[0]), raw.name)
    if choice.problem:
        return _fatal(result, "preset-kind", choice.problem[0].upper() + choice.problem[1:] + ".", raw.name)
    preset = choice.preset
    if preset is not None:
        options = _with_preset(options, preset, headers)
        kind = result.kind = preset.kind
        result.preset, result.preset_why = preset.name, choice.why
        findings.append(Finding(Severity.INFO, "preset", f"preset {preset.name}: {choice.why}", raw.name,
                                result.header_row))
    turned_down: list[tuple[str, int, Any]] = []
    why: dict[str, str] = {}
    try:
        columns = suggest_mapping(headers, kind, dict(options.mapping),
                                  accepts=_type_check(raw, header, kind, options, turned_down), why=why)
        if kind is RecordKind.TICKETS and event_logs.looks_like_event_log(raw.rows[header + 1:], headers, columns):
            kind = result.kind = RecordKind.TICKET_EVENTS
            turned_down.clear()
            why.clear()
            columns = suggest_mapping(headers, kind, dict(options.mapping),
                                      accepts=_type_check(raw, header, kind, options, turned_down), why=why)
            findings.append(Finding(Severity.INFO, "event-log", "ticket ids repeat and a state column exists: "
                                    "read as an event log, one row per ticket update", raw.name))
    except KeyError as error:
        return _fatal(result, "unknown-column", str(error.args[0]), raw.name)
    if kind is RecordKind.TICKETS:
        sentence = event_logs.event_log_signature(raw.rows[header + 1:header + 2001], headers, columns)
        if sentence:
            return _fatal(result, "event-log-as-tickets", sentence[0].upper() + sentence[1:], raw.name)
    if kind is RecordKind.SAMPLES and not {"requests", "errors", "ok", "latency_ms"} & set(columns):
        return _fatal(result, "no-measure", "No measure column found: a sample needs at least one of requests, "
                      "errors, ok or latency_ms (a timestamp alone says nothing); the columns in row "
                      f"{result.header_row} are: {_columns_text(headers)}. Map one with --map FIELD=COLUMN.",
                      raw.name)
    result.mapping = {name: headers[i] if i < len(headers) else column_letter(i) for name, i in columns.items()}
    result.mapping_why = {name: why[name] for name in columns if name in why}
    if preset is not None:  # the preset's columns, unless the user (or the profile) chose another
        result.mapping_why.update({name: f"preset {preset.name}" for name, header in
                                   presets.columns_in(preset, headers).items() if result.mapping.get(name) == header})
    for name, index, example in turned_down:
        kind_word = "dates" if next(f for f in FIELDS[kind] if f.name == name).type is FieldType.DATETIME \
            else "numbers"
        findings.append(Finding(Severity.INFO, "type-check", f"column '{headers[index]}' was not used for {name}: "
                                f"most of its values are not {kind_word} (e.g. '{example}')", raw.name,
                                result.header_row, headers[index]))
    result.stated_period, result.stated_where = stated_period(raw.rows, header, raw.name, first_row=raw.first_row)
    constants = _constants(raw, header, kind, columns, options, result)
    unused = [h if i not in columns.values() else "" for i, h in enumerate(headers)]
    if any(unused):  # worth a look: a column of the wrong kind of file, or one the mapping missed
        findings.append(Finding(Severity.INFO, "unused-columns", "columns not imported: " + _columns_text(unused),
                                raw.name, result.header_row))
    missing = [f.name for f in FIELDS[kind] if f.required and f.name not in columns
               and not (f.name == "end" and "duration_minutes" in columns)]
    if missing:
        shown = _columns_text(headers)
        return _fatal(result, "missing-column", f"No column found for {', '.join(missing)}; the columns in row "
                      f"{result.header_row} are: {shown}. Map them with --map FIELD=COLUMN.", raw.name)
    body = _kept(read_body(raw, header), preset, headers, findings, raw.name)
    if body.total_row is not None:
        findings.append(Finding(Severity.INFO, "total-row", "a total row at the end of the data: skipped",
                                raw.name, body.total_row))
    result.rows_read, result.preview = len(body), [headers] + body.preview
    findings += [Finding(Severity.WARNING, "unclosed-quote", sentence, raw.name, row)
                 for row, sentence in body.warnings]
    if not len(body):
        findings.append(Finding(Severity.WARNING, "no-rows", f"there are no data rows under the header in row "
                                f"{result.header_row}", raw.name, result.header_row))
    frame, rejected, unreadable = _convert(body, columns, headers, raw, options, kind, findings, constants)
    if kind is RecordKind.OUTAGES and "end" not in columns and "duration_minutes" in columns:
        _end_from_duration(frame, findings, raw.name, _column_name("duration_minutes", columns, headers))
    if kind is RecordKind.TICKETS and "ticket_id" in frame:  # stop times a file held but nobody could read
        result.emptied = {name: sorted({str(t) for t in frame["ticket_id"].iloc[positions] if t is not None})
                          for name, positions in body.emptied.items() if name in STOP_FIELDS}
    result.fatal = any(f.code == "ambiguous-dates" for f in findings)
    with ThreadPoolExecutor(max_workers=1) as helper:
        # Samples are stored as compressed probe-day blocks: they are made here, beside the validation, and
        # sent back instead of the rows (a frame of a million samples is ten times their blocks' size).
        blocks = None
        if kind is RecordKind.SAMPLES:  # the helper gets its own arrays: nothing of `frame` is shared
            probes = frame["probe"].copy() if "probe" in frame else None
            blocks = helper.submit(sample_blocks.blocks_of, probes, sample_blocks.columns_of(frame))
        _validate(frame, kind, options, columns, headers, raw.name, findings, rejected, unreadable)
        _dst_explained(findings)
        if rejected:
            keep = np.ones(len(frame), dtype=bool)
            keep[list(rejected)] = False
            frame = frame[keep].reset_index(drop=True)
        result.frame, result.rows_rejected = frame, len(rejected)
        if blocks is not None and not result.fatal:
            result.blocks = blocks.result() if not rejected else sample_blocks.frame_blocks(frame)
            result.accepted, result.frame = len(frame), frame.head(PREVIEW_ROWS)
    if kind is RecordKind.TICKET_EVENTS:
        result.events = result.frame = _objects(result.frame)  # the reduction groups by the labels themselves
        result.frame = event_logs.reduce_to_tickets(result.events)
    if kind is RecordKind.VENDOR_REPORT:
        _percent_scale(result)
    result.findings = _capped(findings)
    result.source_rows = _source_rows(body, result.findings)
    return result


def _with_preset(options: ImportOptions, preset: presets.Preset, headers: list[str]) -> ImportOptions:
    """The options with the preset's columns, labels, null markers and date order under the user's own."""
    return dataclasses.replace(
        options, mapping=tuple({**presets.mapping_for(preset, headers), **dict(options.mapping)}.items()),
        value_map=(*preset.values, *options.value_map), null_markers=(*preset.nulls, *options.null_markers),
        dayfirst=preset.dayfirst if options.dayfirst is None else options.dayfirst)


def _kept(body: Body, preset: presets.Preset | None, headers: list[str], findings: list[Finding],
          sheet: str) -> Body:
    """The body without the rows a preset says are no records (UptimeRobot's Up and Started events); the rows
    kept keep their sheet row numbers."""
    index = presets.keep_index(preset, headers)
    kept = presets.kept_rows(preset, headers, body.column(index) if index is not None else None)
    if kept.mask is None or kept.mask.all():
        return body
    mask = kept.mask
    columns = [c.filter(mask) if columnar.is_series(c) else [v for v, k in zip(c, mask, strict=True) if k]
               for c in body.columns]
    left = ", ".join(f"{n:,} '{label}'" for label, n in sorted(kept.left_out.items(), key=lambda i: -i[1]))
    findings.append(Finding(Severity.INFO, "rows-left-out", f"{int((~mask).sum()):,} rows are no records for the "
                            f"preset {preset.name} (only {', '.join(preset.keep[1])} in '{headers[index]}' are): "
                            f"left out ({left})", sheet, None, headers[index]))
    return dataclasses.replace(body, columns=columns, rows=body.rows[mask])


def _end_from_duration(frame: pd.DataFrame, findings: list[Finding], sheet: str, where: str) -> None:
    """An outage's end from its start and its duration in minutes (UptimeRobot's logs give no end)."""
    start, minutes = frame["start"].to_numpy(), frame["duration_minutes"].to_numpy(dtype=float)
    known = (start != NA_TIME) & ~np.isnan(minutes)
    end = np.full(len(frame), NA_TIME, dtype=np.int64)
    end[known] = start[known] + np.round(minutes[known] * 60).astype(np.int64)
    frame["end"] = end
    findings.append(Finding(Severity.INFO, "end-from-duration", "the file gives no end time: each end is the start "
                            "plus the duration in minutes", sheet, None, where))


def _columns_text(headers: list[str]) -> str:
    """"A 'Ticket', B 'Opened'" — a merged cell repeated across columns once, as "A–H 'Title'"."""
    parts, start = [], 0
    for i in range(1, len(headers) + 1):
        if i == len(headers) or headers[i] != headers[start]:
            if headers[start]:
                span = column_letter(start) + (f"–{column_letter(i - 1)}" if i - 1 > start else "")
                parts.append(f"{span} '{headers[start]}'")
            start = i
    return ", ".join(parts)


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical label columns as plain text (None when empty)."""
    out = frame.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            values = out[name].astype(object)
            out[name] = values.where(values.notna(), None)
    return out


def _source_rows(body: Body, findings: list[Finding], *, first: int = 20, most: int = 1000) -> dict[int, list]:
    """The cells of the first rows and of every row a finding names (at most `most` rows)."""
    wanted = sorted(set(body.rows[:first].tolist()) | {f.row for f in findings if f.row is not None})[:most]
    rows = body.rows
    positions = np.flatnonzero(np.isin(rows, wanted))
    return {int(rows[p]): [_plain(column[int(p)]) for column in body.columns] for p in positions}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _constants(raw: RawSheet, header: int, kind: RecordKind, columns: dict[str, int], options: ImportOptions,
               result: ParsedImport) -> dict[str, tuple[int, Any]]:
    constants = title_values(raw.rows[:header], kind, set(columns), raw.first_row, options.period_label)
    for name, (row, value) in constants.items():
        columns[name] = -1
        result.mapping[name] = f"title row {row}" if row else "--period"
        result.findings.append(Finding(
            Severity.INFO, "title-value", f"{name.replace('_', ' ')} '{value}' taken from "
            + ("the title rows above the header" if row else "the chosen period"), raw.name, row or None))
    return constants


def _validate(frame: pd.DataFrame, kind: RecordKind, options: ImportOptions, columns: dict[str, int],
              headers: list[str], sheet: str, findings: list[Finding], rejected: set[int],
              unreadable: set[tuple[int, str]]) -> None:
    """The checks' findings; a cell that could not be read was reported already, not again as empty."""
    period = (options.period_start, options.period_end, options.period_label) if options.period_start else None
    source_rows = frame["source_row"].to_numpy()
    names: dict[str, str] = {}
    for pos, severity, code, column, message in validate(frame, kind, exported_at=options.exported_at,
                                                           period=period):
        if code == "missing-value" and (pos, column) in unreadable:
            continue
        if column not in names:
            names[column] = _column_name(column, columns, headers)
        findings.append(Finding(severity, code, message, sheet, int(source_rows[pos]), names[column]))
        if severity is Severity.ERROR or code == "duplicate-row":
            rejected.add(pos)


def title_values(title_rows: list[list], kind: RecordKind, mapped: set[str], first_row: int,
                 period_label: str) -> dict[str, tuple[int, Any]]:
    """Fields missing from the table but stated above it ("Currency: GBP", "Report — March 2026")."""
    wanted = {f.name for f in FIELDS[kind]} - mapped
    found: dict[str, tuple[int, Any]] = {}
    for offset, row in enumerate(title_rows):
        cells = [c for c in row if c not in ("", None)]
        if len(cells) >= 2 and isinstance(cells[0], str):
            label = normalise(cells[0].rstrip(":"))
            for name in wanted - set(found):
                if label in SYNONYMS.get(name, ()) or label == name.replace("_", " "):
                    found[name] = (first_row + offset, cells[1])
        if "period" in wanted and "period" not in found:
            for cell in cells:
                match = isinstance(cell, str) and _PERIOD_IN_TEXT.search(cell)
                if match:
                    found["period"] = (first_row + offset, match.group(0))
                    break
    if "period" in wanted and "period" not in found and period_label and ".." not in period_label:
        found["period"] = (0, period_label)
    return found


def _header_index(raw: RawSheet, options: ImportOptions, kind: RecordKind) -> int:
    if options.header_row is not None:
        return max(0, options.header_row - raw.first_row)
    return find_header_row(raw, kind)


def _header_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _convert(body: Body, columns, headers, raw: RawSheet, options: ImportOptions, kind: RecordKind,
             findings: list[Finding], constants: dict[str, tuple[int, Any]]
             ) -> tuple[pd.DataFrame, set[int], set[tuple[int, str]]]:
    """One typed column per mapped field; unreadable cells reject their row (and are returned as (row
    position, field))."""
    rows = body.rows
    data: dict[str, Any] = {"source_row": rows}
    rejected: set[int] = set()
    unreadable: set[tuple[int, str]] = set()
    emptied = body.emptied  # optional field -> positions of the cells left empty because unreadable
    value_map: dict[str, dict[str, str]] = {}
    for field_name, label, value in options.value_map:
        value_map.setdefault(field_name, {})[label] = value
    jobs = []
    for spec in FIELDS[kind]:
        if spec.name not in columns:
            if spec.type is FieldType.DATETIME:
                data[spec.name] = np.full(len(body), NA_TIME, dtype=np.int64)
            continue
        index = columns[spec.name]
        cells = body.column(index)
        where = _column_name(spec.name, columns, headers)
        if index < 0:  # a value from the title rows, the same for every row
            cells, where = [constants[spec.name][1]] * len(body), f"title row {constants[spec.name][0]}"
        jobs.append((spec, cells, where))

    markers = null_markers(options.null_markers)

    def typed(job) -> tuple:
        spec, cells, where = job
        notes: list[Finding] = []
        cells, nulls, seen = blank_nulls(cells, markers)
        if nulls:
            notes.append(Finding(Severity.INFO, "null-marker", f"{nulls:,} cell{'s' if nulls > 1 else ''} holding a "
                                 f"null marker ({', '.join(sorted(seen))}) read as empty", raw.name, None, where))
        return (*_typed(spec.type, spec.name, cells, rows, raw, options, value_map, notes, where), notes)

    # Text columns from a CSV are converted by polars, which lets go of the GIL: two columns at a time.
    parallel = len(body) > 20_000 and sum(columnar.is_series(cells) for _, cells, _ in jobs) > 1
    with ThreadPoolExecutor(max_workers=2 if parallel else 1) as pool:
        results = list(pool.map(typed, jobs)) if parallel else [typed(job) for job in jobs]
    for (spec, _cells, where), (values, problems, notes) in zip(jobs, results, strict=True):
        findings.extend(notes)
        data[spec.name] = values
        if spec.required:  # only a required field rejects its row
            for pos, code, message in problems:
                findings.append(Finding(Severity.ERROR, code, message, raw.name, int(rows[pos]), where))
                rejected.add(pos)
                unreadable.add((pos, spec.name))
        elif problems:  # an optional field left empty, with one warning for the column
            data[spec.name] = _emptied(values, [pos for pos, _code, _message in problems])
            emptied[spec.name] = [pos for pos, _code, _message in problems]
            listed = ", ".join(str(int(rows[pos])) for pos, _c, _m in problems[:10])
            more = f" and {len(problems) - 10:,} more" if len(problems) > 10 else ""
            findings.append(Finding(Severity.WARNING, "optional-unreadable", f"{len(problems):,} value"
                                    f"{'s' if len(problems) > 1 else ''} of the optional field {spec.name} could "
                                    f"not be read and {'were' if len(problems) > 1 else 'was'} left empty (rows "
                                    f"{listed}{more}); the first: {problems[0][2]}", raw.name, None, where))
    rejected |= _uncached(raw, body, columns, headers, findings, data)
    return pd.DataFrame(data, copy=False), rejected, unreadable  # no copy into consolidated blocks


STOP_FIELDS = ("responded_at", "resolved_at", "closed_at")


def _type_check(raw: RawSheet, header: int, kind: RecordKind, options: ImportOptions,
                turned_down: list[tuple[str, int, Any]]):
    """accepts(field, column, tier): a date or number field takes a suggested column only when most of the
    sampled non-empty values in it read as its type (assigned_at never takes 'Group 56') — an optional field
    always, a required one when only part of the header names it (opened_at never takes 'opened_by'). Explicit
    maps are not checked; what is turned down is noted."""
    specs = {f.name: f for f in FIELDS[kind]}
    markers = null_markers(options.null_markers)
    sample = raw.rows[header + 1:header + 51]

    def accepts(name: str, index: int, tier: str) -> bool:
        spec = specs[name]
        if (spec.required and tier != "partial") or spec.type not in (FieldType.DATETIME, FieldType.NUMBER):
            return True
        values = [row[index] for row in sample if index < len(row) and not is_blank(row[index])
                  and not (isinstance(row[index], str) and row[index].strip().casefold() in markers)]
        if not values:
            return True
        if spec.type is FieldType.DATETIME:
            converter = DateColumn(timezone=options.timezone, dayfirst=options.dayfirst, date1904=raw.date1904)
            problems = converter.convert(values)[1]
        else:
            problems = to_number(values, decimal_comma=raw.decimal_comma)[1]
        if (len(values) - len(problems)) * 2 > len(values):
            return True
        turned_down.append((name, index, values[problems[0][0]] if problems else values[0]))
        return False

    return accepts


def _emptied(values: Any, positions: list[int]) -> Any:
    """The column with the cells at `positions` empty (no time, NaN, no label)."""
    if isinstance(values, np.ndarray):
        out = values.copy()
        out[positions] = NA_TIME if out.dtype == np.int64 else (np.nan if out.dtype.kind == "f" else None)
        return out
    if isinstance(values, pd.Categorical):
        codes = values.codes.copy()
        codes[positions] = -1
        return pd.Categorical.from_codes(codes, categories=values.categories)
    out = list(values)
    for pos in positions:
        out[pos] = None
    return out


def _typed(kind: FieldType, name: str, cells: list, rows: list[int], raw: RawSheet, options: ImportOptions,
           value_map: dict[str, dict[str, str]], findings: list[Finding], where: str):
    if kind is FieldType.DATETIME:
        converter = DateColumn(timezone=options.timezone, dayfirst=options.dayfirst, date1904=raw.date1904)
        values, problems = converter.convert(cells)
        if converter.decision:
            findings.append(Finding(Severity.INFO, "date-order", converter.decision, raw.name, None, where))
        if converter.ambiguous_order:
            findings.append(Finding(Severity.ERROR, "ambiguous-dates", "every text date could be day-first or "
                                    "month-first (e.g. 03/04/2026); choose with --dayfirst or --no-dayfirst",
                                    raw.name, None, where))
        for pos, sentence in converter.shifted:
            findings.append(Finding(Severity.WARNING, "dst-local-time", sentence, raw.name, int(rows[pos]), where))
        return values, problems
    if kind is FieldType.NUMBER:
        if columnar.is_series(cells):
            return columnar.numbers(cells, decimal_comma=raw.decimal_comma)
        return to_number(cells, decimal_comma=raw.decimal_comma)
    if kind is FieldType.MONEY:
        return to_money(cells.to_list() if columnar.is_series(cells) else cells, decimal_comma=raw.decimal_comma)
    return _by_distinct_value(kind, name, cells, value_map)


def _by_distinct_value(kind: FieldType, name: str, cells, value_map: dict[str, dict[str, str]]):
    """Columns that repeat a few labels (priority, service, status, probe) are converted once per label."""
    if columnar.is_series(cells):
        found = columnar.factorised(cells, most=len(cells) // 4) if len(cells) > 5000 else None
        if found is None:
            return _labels(kind, name, cells.to_list(), value_map)
        uniques, codes = found
        return _expand(kind, *_labels(kind, name, uniques, value_map), codes)
    if len(cells) > 5000 and len(set(cells[:2000])) < 500:  # ticket ids are all different: no gain there
        codes, uniques = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=False)
        if len(uniques) * 4 < len(cells):
            return _expand(kind, *_labels(kind, name, list(uniques), value_map), codes)
    return _labels(kind, name, cells, value_map)


def _expand(kind: FieldType, values: list, problems: list, codes: np.ndarray) -> tuple[Any, list]:
    """Per-label results back to one per row: text labels as a categorical column (a code per row)."""
    expanded = []
    if problems:  # the rows of each troublesome label, found with one sort (there may be many such labels)
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        for index, code, message in problems:
            start, end = np.searchsorted(ordered, [index, index + 1])
            expanded += [(int(pos), code, message) for pos in order[start:end]]
    if kind is FieldType.BOOL:
        return np.asarray(values, dtype=object)[codes].tolist(), sorted(expanded)
    labels = sorted({v for v in values if v is not None})
    where = {label: i for i, label in enumerate(labels)}
    recode = np.asarray([where.get(v, -1) if v is not None else -1 for v in values], dtype=np.int64)
    return pd.Categorical.from_codes(recode[codes], categories=labels), sorted(expanded)


def _labels(kind: FieldType, name: str, cells, value_map: dict[str, dict[str, str]]):
    if kind is FieldType.BOOL:
        labels = {k: v.lower() in ("true", "yes", "1") for k, v in value_map.get(name, {}).items()}
        return to_bool(cells, labels)
    if kind is FieldType.PRIORITY:
        return to_priority(cells, value_map.get(name))
    if kind is FieldType.PERIOD:
        return to_period(cells)
    texts, problems = to_text(cells)
    return relabel(texts, value_map.get(name)), problems


def _uncached(raw: RawSheet, body: Body, columns: dict[str, int], headers: list[str], findings: list[Finding],
              data: dict[str, Any]) -> set[int]:
    """Rows whose mapped cell holds a formula without a saved value (read as empty, so look only then)."""
    if raw.xlsx_path is None or not any(_has_blank(data[name]) for name, i in columns.items() if i >= 0):
        return set()
    position = {row: pos for pos, row in enumerate(body.rows.tolist())}
    by_column = {raw.first_col + i: name for name, i in columns.items()}
    rejected: set[int] = set()
    for row, col in uncached_formulas(raw):
        if row in position and col in by_column:
            findings.append(Finding(Severity.ERROR, "formula-without-value", "a formula without a saved result: "
                                    "open the file in Excel and save it again so its values are stored",
                                    raw.name, row, _column_name(by_column[col], columns, headers)))
            rejected.add(position[row])
    return rejected


def _has_blank(values: Any) -> bool:
    """Whether a converted column has an empty value (an unreadable cell reads as one too)."""
    if isinstance(values, np.ndarray):
        if values.dtype == np.int64:
            return bool((values == NA_TIME).any())
        if values.dtype.kind == "f":
            return bool(np.isnan(values).any())
    if isinstance(values, pd.Categorical):
        return bool((values.codes < 0).any())
    return any(v is None for v in values)


def _column_name(field_name: str, columns: dict[str, int], headers: list[str]) -> str:
    index = columns.get(field_name)
    if index is None:
        return field_name
    header = headers[index] if index < len(headers) else ""
    return f"{column_letter(index)} '{header}'" if header else column_letter(index)


def _percent_scale(result: ParsedImport) -> None:
    """Vendor summaries often hold 0.9995 for 99.95 %: read fractions as percentages, and say so."""
    frame = result.frame
    numbers = [c for c in ("target_value", "achieved") if c in frame]
    values = pd.concat([frame[c] for c in numbers]).dropna()
    if len(values) and (values.abs() <= 1).all() and (values != 0).any():
        for column in numbers:
            frame[column] = frame[column].map(lambda v: None if pd.isna(v) else float(f"{v * 100:.10g}"))
        result.findings.append(Finding(Severity.INFO, "fractions-as-percent", "targets and results are "
                                       "fractions (0.9995): read as percentages (99.95 %)", result.sheet))


_ROW_REF = re.compile(r"\brow (\d+)\b")


def _dst_explained(findings: list[Finding]) -> None:
    """A series that repeats a time or jumps at a clock change is a DST gap or repeat in a local-time export,
    not a wrong clock: say so, naming the zone and the date."""
    shifted = {f.row: f.message for f in findings if f.code == "dst-local-time" and f.row is not None}
    if not shifted:
        return
    for i, finding in enumerate(findings):
        if finding.code not in ("series-backwards", "series-gap", "clock-skew"):
            continue
        rows = {finding.row, *(int(r) for r in _ROW_REF.findall(finding.message))}
        cause = next((shifted[r] for r in sorted(rows, key=lambda r: r or 0) if r in shifted), None)
        if cause is not None:
            head = finding.message.split(":", 1)[0] if finding.message.startswith("probe ") else ""
            findings[i] = dataclasses.replace(finding, message=(f"{head}: " if head else "") +
                                              f"a clock change, not a wrong clock — {cause}")


def _fatal(result: ParsedImport, code: str, message: str, sheet: str) -> ParsedImport:
    result.fatal = True
    result.findings.append(Finding(Severity.ERROR, code, message, sheet, result.header_row))
    return result


def _capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_FINDINGS_PER_CODE findings of one code, then one that counts the rest."""
    seen: dict[str, int] = {}
    out: list[Finding] = []
    for finding in findings:
        seen[finding.code] = seen.get(finding.code, 0) + 1
        if seen[finding.code] <= MAX_FINDINGS_PER_CODE:
            out.append(finding)
    for code, count in seen.items():
        if count > MAX_FINDINGS_PER_CODE:
            example = next(f for f in findings if f.code == code)
            out.append(Finding(example.severity, code, f"… and {count - MAX_FINDINGS_PER_CODE:,} more like this",
                               example.sheet))
    return out
