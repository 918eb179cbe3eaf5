"""File -> ParsedImport: read, find the header, map columns, convert, validate. No database here.

`parse_sheet` runs a sheet through STAGES in order. Each stage is a function of one `Sheet`, the context
that holds what the stages before it found (the header, the preset, the columns, the rows, the typed
frame, the rejected rows) and the ParsedImport being built; a stage that finds the file cannot be imported
raises `Refused`, and the import comes back fatal with that one sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from importers import columnar, presets
from importers import events as event_logs
from importers.body import Body, Cells, read_body
from importers.dates import DateColumn
from importers.mapping import SYNONYMS, find_header_row, normalise, suggest_mapping
from importers.nulls import null_markers
from importers.reading import RawSheet, column_letter, file_sha256, read_table, uncached_formulas
from importers.sandbox import in_reader
from importers.stated_period import stated_period
from importers.typed_columns import Column, Reading, emptied, has_blank, typed
from importers.values import NA_TIME, Problem, is_blank, to_number
from sltdesk.codecs import sample_blocks
from sltdesk.domain.raw import FIELDS, FieldType, Finding, ImportOptions, ParsedImport, RecordKind, Severity
from sltdesk.rules.data_quality import validate

MAX_FINDINGS_PER_CODE = 500
PREVIEW_ROWS = 1000  # accepted samples kept as rows beside their blocks, for the wizard's preview
STOP_FIELDS = ("responded_at", "resolved_at", "closed_at")
_PERIOD_IN_TEXT = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|"
                             r"\b\d{4}-(0[1-9]|1[0-2])\b|\bQ[1-4]\s+\d{4}\b", re.IGNORECASE)
_ROW_REF = re.compile(r"\brow (\d+)\b")
_PARALLEL_FROM = 20_000  # rows: a longer CSV body converts two columns at a time (see convert)
_LEFT_FOR_THE_END: list[Any] = []  # in a reader process: what each parse made (see parse_sheet)


class Refused(Exception):
    """The file cannot be imported at all: one finding (an error with this code and sentence) says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclasses.dataclass(eq=False)
class Sheet:
    """One sheet on its way to a ParsedImport: what the stages so far found, for the stages after them."""

    raw: RawSheet
    options: ImportOptions  # the user's, with a chosen preset's columns, labels and null markers beneath
    result: ParsedImport  # what parse_sheet returns; its `findings` are every stage's findings
    header: int  # the header's index in raw.rows
    headers: list[str]  # the header row's cells as text
    preset: presets.Preset | None = None
    columns: dict[str, int] = dataclasses.field(default_factory=dict)  # field -> column index (-1: title rows)
    why: dict[str, str] = dataclasses.field(default_factory=dict)  # field -> why that column
    turned_down: list[tuple[str, int, Any]] = dataclasses.field(default_factory=list)  # field, column, a value
    constants: dict[str, tuple[int, Any]] = dataclasses.field(default_factory=dict)  # field -> (row, value)
    _body: Body | None = dataclasses.field(default=None, init=False, repr=False)  # see `body`
    _frame: pd.DataFrame | None = dataclasses.field(default=None, init=False, repr=False)  # see `frame`
    rejected: set[int] = dataclasses.field(default_factory=set)  # positions of the rows left out
    unreadable: set[tuple[int, str]] = dataclasses.field(default_factory=set)  # (position, field) read as empty

    @property
    def body(self) -> Body:
        """The data rows under the header, from the read_rows stage on."""
        if self._body is None:
            raise RuntimeError("the data rows are read by the read_rows stage, which has not run yet")
        return self._body

    @body.setter
    def body(self, body: Body) -> None:
        self._body = body

    @property
    def frame(self) -> pd.DataFrame:
        """One typed column per mapped field, every data row, from the convert stage on."""
        if self._frame is None:
            raise RuntimeError("the typed columns are made by the convert stage, which has not run yet")
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    @property
    def kind(self) -> RecordKind:
        return self.result.kind

    @property
    def findings(self) -> list[Finding]:
        return self.result.findings

    def note(self, severity: Severity, code: str, message: str, *, row: int | None = None,
             column: str = "") -> None:
        """A finding about this sheet."""
        self.findings.append(Finding(severity, code, message, self.raw.name, row, column))

    def column_name(self, field_name: str) -> str:
        """Where a field's values are: "C 'Opened'", or the letter alone for a column without a header."""
        index = self.columns.get(field_name)
        if index is None:
            return field_name
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{column_letter(index)} '{header}'" if header else column_letter(index)


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
    """A sheet through every stage; a refused file comes back fatal with its one error."""
    sheet = start(raw, options, file_name=file_name, sha256=sha256)
    try:
        for stage in STAGES:
            stage(sheet)
    except Refused as refused:
        sheet.result.fatal = True
        sheet.note(Severity.ERROR, refused.code, refused.message, row=sheet.result.header_row)
    if in_reader() and sheet.raw.csv_path is None:  # a workbook's cells (Python objects) are left for the reader
        _LEFT_FOR_THE_END.append(sheet)  # process's end, not freed one by one before it sends its result (200,000
        # tickets: a twentieth of a second); a CSV's columns go back at once, and their memory with them
    return sheet.result


# --- header detection ------------------------------------------------------------------------------------

def start(raw: RawSheet, options: ImportOptions, *, file_name: str, sha256: str) -> Sheet:
    """Header detection: the header row (the user's, or the one that names the kind's fields best)."""
    if options.header_row is not None:
        header = max(0, options.header_row - raw.first_row)
    else:
        header = find_header_row(raw, options.kind)
    headers = [_header_text(c) for c in (raw.rows[header] if header < len(raw.rows) else [])]
    result = ParsedImport(kind=options.kind, file_name=file_name, sha256=sha256, sheet=raw.name,
                          header_row=raw.first_row + header, mapping={}, frame=pd.DataFrame(), rows_read=0,
                          rows_rejected=0, findings=[], headers=headers, notes=list(raw.notes))
    return Sheet(raw=raw, options=options, result=result, header=header, headers=headers)


def check_text(sheet: Sheet) -> None:
    """A sheet without a single cell of text is refused (and has no header either)."""
    if not any(str(cell).strip() for row in sheet.raw.rows for cell in row if cell is not None):
        sheet.result.header_row = None
        raise Refused("no-text", f"{sheet.result.file_name} holds no text: there is nothing to import.")


def _header_text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


# --- mapping ---------------------------------------------------------------------------------------------

def choose_preset(sheet: Sheet) -> None:
    """The preset named, or the one the header matches: its columns, labels, null markers and kind."""
    try:
        choice = presets.choose(sheet.options.preset, sheet.headers, sheet.kind)
    except KeyError as error:
        raise Refused("unknown-preset", str(error.args[0])) from None
    if choice.problem:
        raise Refused("preset-kind", choice.problem[0].upper() + choice.problem[1:] + ".")
    preset = sheet.preset = choice.preset
    if preset is None:
        return
    sheet.options = _with_preset(sheet.options, preset, sheet.headers)
    sheet.result.kind = preset.kind
    sheet.result.preset, sheet.result.preset_why = preset.name, choice.why
    sheet.note(Severity.INFO, "preset", f"preset {preset.name}: {choice.why}", row=sheet.result.header_row)


def _with_preset(options: ImportOptions, preset: presets.Preset, headers: list[str]) -> ImportOptions:
    """The options with the preset's columns, labels, null markers and date order under the user's own."""
    return dataclasses.replace(
        options, mapping=tuple({**presets.mapping_for(preset, headers), **dict(options.mapping)}.items()),
        value_map=(*preset.values, *options.value_map), null_markers=(*preset.nulls, *options.null_markers),
        dayfirst=preset.dayfirst if options.dayfirst is None else options.dayfirst)


def map_columns(sheet: Sheet) -> None:
    """Mapping: each field's column, by header and checked by type. A ticket file whose ids repeat beside a
    state column is read as an event log; one that only looks like an event log, and samples without a
    measure, are refused."""
    try:
        _suggest(sheet)
        if sheet.kind is RecordKind.TICKETS and event_logs.looks_like_event_log(
                sheet.raw.rows[sheet.header + 1:], sheet.headers, sheet.columns):
            sheet.result.kind = RecordKind.TICKET_EVENTS
            _suggest(sheet)
            sheet.note(Severity.INFO, "event-log", "ticket ids repeat and a state column exists: read as an "
                       "event log, one row per ticket update")
    except KeyError as error:
        raise Refused("unknown-column", str(error.args[0])) from None
    _refuse_unusable(sheet)
    _record_mapping(sheet)


def _suggest(sheet: Sheet) -> None:
    sheet.turned_down.clear()
    sheet.why.clear()
    sheet.columns = suggest_mapping(sheet.headers, sheet.kind, dict(sheet.options.mapping),
                                    accepts=_type_check(sheet), why=sheet.why)


def _refuse_unusable(sheet: Sheet) -> None:
    """Tickets that are an event log's columns, and samples without anything measured, cannot be read."""
    if sheet.kind is RecordKind.TICKETS:
        body = sheet.raw.rows[sheet.header + 1:sheet.header + 2001]
        sentence = event_logs.event_log_signature(body, sheet.headers, sheet.columns)
        if sentence:
            raise Refused("event-log-as-tickets", sentence[0].upper() + sentence[1:])
    if sheet.kind is RecordKind.SAMPLES and not {"requests", "errors", "ok", "latency_ms"} & set(sheet.columns):
        raise Refused("no-measure", "No measure column found: a sample needs at least one of requests, errors, "
                      "ok or latency_ms (a timestamp alone says nothing); the columns in row "
                      f"{sheet.result.header_row} are: {_columns_text(sheet.headers)}. Map one with --map "
                      "FIELD=COLUMN.")


def _record_mapping(sheet: Sheet) -> None:
    """The mapping as headers, why each column, and each column the type check turned down."""
    result, headers = sheet.result, sheet.headers
    result.mapping = {name: headers[i] if i < len(headers) else column_letter(i) for name, i in sheet.columns.items()}
    result.mapping_why = {name: sheet.why[name] for name in sheet.columns if name in sheet.why}
    if sheet.preset is not None:  # the preset's columns, unless the user (or the profile) chose another
        result.mapping_why.update({name: f"preset {sheet.preset.name}" for name, header in
                                   presets.columns_in(sheet.preset, headers).items()
                                   if result.mapping.get(name) == header})
    for name, index, example in sheet.turned_down:
        kind_word = "dates" if next(f for f in FIELDS[sheet.kind] if f.name == name).type is FieldType.DATETIME \
            else "numbers"
        sheet.note(Severity.INFO, "type-check", f"column '{headers[index]}' was not used for {name}: most of its "
                   f"values are not {kind_word} (e.g. '{example}')", row=result.header_row, column=headers[index])


def _type_check(sheet: Sheet) -> Callable[[str, int, str], bool]:
    """accepts(field, column, tier): a date or number field takes a suggested column only when most of the
    sampled non-empty values in it read as its type (assigned_at never takes 'Group 56') — an optional field
    always, a required one when only part of the header names it (opened_at never takes 'opened_by'). Explicit
    maps are not checked; what is turned down goes to sheet.turned_down."""
    specs = {f.name: f for f in FIELDS[sheet.kind]}
    markers = null_markers(sheet.options.null_markers)
    sample = sheet.raw.rows[sheet.header + 1:sheet.header + 51]

    def accepts(name: str, index: int, tier: str) -> bool:
        spec = specs[name]
        if (spec.required and tier != "partial") or spec.type not in (FieldType.DATETIME, FieldType.NUMBER):
            return True
        values = [row[index] for row in sample if index < len(row) and not is_blank(row[index])
                  and not (isinstance(row[index], str) and row[index].strip().casefold() in markers)]
        if not values:
            return True
        problems = _problems(sheet, spec.type, values)
        if (len(values) - len(problems)) * 2 > len(values):
            return True
        sheet.turned_down.append((name, index, values[problems[0][0]] if problems else values[0]))
        return False

    return accepts


def _problems(sheet: Sheet, kind: FieldType, values: list) -> list[Problem]:
    """The values a date or number column could not read."""
    if kind is FieldType.DATETIME:
        dates = DateColumn(timezone=sheet.options.timezone, dayfirst=sheet.options.dayfirst,
                           date1904=sheet.raw.date1904)
        return dates.convert(values)[1]
    return to_number(values, decimal_comma=sheet.raw.decimal_comma)[1]


# --- constants -------------------------------------------------------------------------------------------

def take_constants(sheet: Sheet) -> None:
    """Constants: the period the file states, and fields stated above the table instead of in a column; then
    every required field must have a column, or the file is refused."""
    raw, result = sheet.raw, sheet.result
    result.stated_period, result.stated_where = stated_period(raw.rows, sheet.header, raw.name,
                                                              first_row=raw.first_row)
    sheet.constants = title_values(raw.rows[:sheet.header], sheet.kind, set(sheet.columns), raw.first_row,
                                   sheet.options.period_label)
    for name, (row, value) in sheet.constants.items():
        sheet.columns[name] = -1
        result.mapping[name] = f"title row {row}" if row else "--period"
        sheet.note(Severity.INFO, "title-value", f"{name.replace('_', ' ')} '{value}' taken from "
                   + ("the title rows above the header" if row else "the chosen period"), row=row or None)
    unused = [h if i not in sheet.columns.values() else "" for i, h in enumerate(sheet.headers)]
    if any(unused):  # worth a look: a column of the wrong kind of file, or one the mapping missed
        sheet.note(Severity.INFO, "unused-columns", "columns not imported: " + _columns_text(unused),
                   row=result.header_row)
    missing = [f.name for f in FIELDS[sheet.kind] if f.required and f.name not in sheet.columns
               and not (f.name == "end" and "duration_minutes" in sheet.columns)]
    if missing:
        raise Refused("missing-column", f"No column found for {', '.join(missing)}; the columns in row "
                      f"{result.header_row} are: {_columns_text(sheet.headers)}. Map them with --map "
                      "FIELD=COLUMN.")


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


# --- the rows --------------------------------------------------------------------------------------------

def read_rows(sheet: Sheet) -> None:
    """The data rows under the header: a total row and the rows a preset says are no records left out."""
    result = sheet.result
    body = sheet.body = _kept(sheet, read_body(sheet.raw, sheet.header, numbers=_number_columns(sheet)))
    if body.total_row is not None:
        sheet.note(Severity.INFO, "total-row", "a total row at the end of the data: skipped", row=body.total_row)
    result.rows_read, result.preview = len(body), [sheet.headers] + body.preview
    for row, sentence in body.warnings:
        sheet.note(Severity.WARNING, "unclosed-quote", sentence, row=row)
    if not len(body):
        sheet.note(Severity.WARNING, "no-rows", f"there are no data rows under the header in row "
                   f"{result.header_row}", row=result.header_row)


def _number_columns(sheet: Sheet) -> frozenset[int]:
    """The columns of number fields a CSV body may read as numbers straight away: every sampled cell is a plain
    finite number (or empty), no decimal comma, and no null marker reads as a number (see body._csv_body)."""
    raw, markers = sheet.raw, null_markers(sheet.options.null_markers)
    if raw.csv_path is None or raw.decimal_comma or columnar.read_as_numbers(markers):
        return frozenset()
    sample = raw.rows[sheet.header + 1:sheet.header + 51]
    # a column mapped to a number field and to another stays text
    wanted = [i for i, types in _column_types(sheet).items() if types == {FieldType.NUMBER}]
    return frozenset(i for i in wanted if columnar.all_plain_numbers([r[i] for r in sample if i < len(r)]))


def _kept(sheet: Sheet, body: Body) -> Body:
    """The body without the rows a preset says are no records (UptimeRobot's Up and Started events); the rows
    kept keep their sheet row numbers."""
    preset, headers = sheet.preset, sheet.headers
    index = presets.keep_index(preset, headers)
    if preset is None or preset.keep is None or index is None:  # no rule, or the file lacks its column
        return body
    kept = presets.kept_rows(preset, headers, body.column(index))
    if kept.mask is None or kept.mask.all():
        return body
    mask = kept.mask
    columns: list[Cells] = [c.filter(mask) if columnar.is_series(c) else [v for v, k in zip(c, mask, strict=True) if k]
               for c in body.columns]
    left = ", ".join(f"{n:,} '{label}'" for label, n in sorted(kept.left_out.items(), key=lambda i: -i[1]))
    sheet.note(Severity.INFO, "rows-left-out", f"{int((~mask).sum()):,} rows are no records for the preset "
               f"{preset.name} (only {', '.join(preset.keep[1])} in '{headers[index]}' are): left out ({left})",
               column=headers[index])
    return dataclasses.replace(body, columns=columns, rows=body.rows[mask])


# --- conversion ------------------------------------------------------------------------------------------

def convert(sheet: Sheet) -> None:
    """Conversion: one typed column per mapped field. An unreadable cell rejects its row when its field is
    required, and is left empty (with one warning for the column) when it is optional."""
    body = sheet.body
    data: dict[str, Any] = {"source_row": body.rows}
    columns = _columns(sheet, data)
    reading = Reading.of(sheet.raw, sheet.options, body.rows)
    # Text columns from a CSV are converted by polars, which lets go of the GIL: two columns at a time.
    parallel = len(body) > _PARALLEL_FROM and sum(columnar.is_series(c.cells) for c in columns) > 1
    with ThreadPoolExecutor(max_workers=2 if parallel else 1) as pool:
        if parallel:  # repetitive labels (probes, priorities) as categoricals first: each label read once
            labels = _label_columns(sheet)
            compacted = [sheet.columns[c.spec.name] in labels for c in columns]
            done = list(pool.map(partial(_converted, reading=reading), columns, compacted))
            columns, converted = [c for c, _ in done], [typed_column for _, typed_column in done]
            for column, now in zip(columns, compacted, strict=True):
                if now:  # the body shows the same cells, in less memory
                    body.columns[sheet.columns[column.spec.name]] = column.cells
            # from here on the text cells are only shown (`finish`): kept in less memory
            body.columns = list(pool.map(columnar.compact, body.columns))
        else:
            converted = [typed(column, reading) for column in columns]
    for column, (values, problems, notes) in zip(columns, converted, strict=True):
        sheet.findings.extend(notes)
        data[column.spec.name] = values
        if column.spec.required:  # only a required field rejects its row
            _reject_unreadable(sheet, column, problems)
        elif problems:
            data[column.spec.name] = _empty_unreadable(sheet, column, values, problems)
    sheet.rejected |= _uncached(sheet, data)
    sheet.frame = pd.DataFrame(data, copy=False)  # no copy into consolidated blocks
    _after_conversion(sheet)


def _converted(column: Column, compact: bool, reading: Reading) -> tuple[Column, tuple[Any, list[Problem],
                                                                                  list[Finding]]]:
    """`typed` of a column; a label column's cells kept as a categorical first, on the converting thread (beside
    the other columns' conversion), so each of its labels is read once."""
    if compact:
        column = dataclasses.replace(column, cells=columnar.compact(column.cells))
    return column, typed(column, reading)


def _label_columns(sheet: Sheet) -> set[int]:
    """The columns mapped to label fields only (not to a date, number or money field)."""
    reads = {FieldType.DATETIME, FieldType.NUMBER, FieldType.MONEY}
    return {i for i, types in _column_types(sheet).items() if not types & reads}


def _column_types(sheet: Sheet) -> dict[int, set[FieldType]]:
    """Each mapped column's field types (a column may stand for more than one field)."""
    kinds: dict[int, set[FieldType]] = {}
    for spec in FIELDS[sheet.kind]:
        if sheet.columns.get(spec.name, -1) >= 0:
            kinds.setdefault(sheet.columns[spec.name], set()).add(spec.type)
    return kinds


def _columns(sheet: Sheet, data: dict[str, Any]) -> list[Column]:
    """The cells of each mapped field (a title row's value repeated); an unmapped time field is all empty."""
    body, columns = sheet.body, []
    for spec in FIELDS[sheet.kind]:
        if spec.name not in sheet.columns:
            if spec.type is FieldType.DATETIME:
                data[spec.name] = np.full(len(body), NA_TIME, dtype=np.int64)
            continue
        index = sheet.columns[spec.name]
        cells, where = body.column(index), sheet.column_name(spec.name)
        if index < 0:  # a value from the title rows, the same for every row
            row, value = sheet.constants[spec.name]
            cells, where = [value] * len(body), f"title row {row}"
        columns.append(Column(spec, cells, where))
    return columns


def _reject_unreadable(sheet: Sheet, column: Column, problems: list[Problem]) -> None:
    rows = sheet.body.rows
    for pos, code, message in problems:
        sheet.note(Severity.ERROR, code, message, row=int(rows[pos]), column=column.where)
        sheet.rejected.add(pos)
        sheet.unreadable.add((pos, column.spec.name))


def _empty_unreadable(sheet: Sheet, column: Column, values: Any, problems: list[Problem]) -> Any:
    """An optional field's unreadable cells left empty, with one warning for the column."""
    rows, positions = sheet.body.rows, [pos for pos, _code, _message in problems]
    sheet.body.emptied[column.spec.name] = positions
    listed = ", ".join(str(int(rows[pos])) for pos in positions[:10])
    more = f" and {len(problems) - 10:,} more" if len(problems) > 10 else ""
    sheet.note(Severity.WARNING, "optional-unreadable", f"{len(problems):,} value{'s' if len(problems) > 1 else ''}"
               f" of the optional field {column.spec.name} could not be read and "
               f"{'were' if len(problems) > 1 else 'was'} left empty (rows {listed}{more}); the first: "
               f"{problems[0][2]}", column=column.where)
    return emptied(values, positions)


def _uncached(sheet: Sheet, data: dict[str, Any]) -> set[int]:
    """Rows whose mapped cell holds a formula without a saved value (read as empty, so look only then)."""
    raw, columns = sheet.raw, sheet.columns
    if raw.xlsx_path is None or not any(has_blank(data[name]) for name, i in columns.items() if i >= 0):
        return set()
    position = {row: pos for pos, row in enumerate(sheet.body.rows.tolist())}
    by_column = {raw.first_col + i: name for name, i in columns.items()}
    rejected: set[int] = set()
    for row, col in uncached_formulas(raw):
        if row in position and col in by_column:
            sheet.note(Severity.ERROR, "formula-without-value", "a formula without a saved result: open the file "
                       "in Excel and save it again so its values are stored", row=row,
                       column=sheet.column_name(by_column[col]))
            rejected.add(position[row])
    return rejected


def _after_conversion(sheet: Sheet) -> None:
    """An outage's end from its duration; the stop times nobody could read; ambiguous dates make it fatal."""
    frame, columns = sheet.frame, sheet.columns
    if sheet.kind is RecordKind.OUTAGES and "end" not in columns and "duration_minutes" in columns:
        _end_from_duration(sheet)
    if sheet.kind is RecordKind.TICKETS and "ticket_id" in frame:  # stop times a file held but nobody could read
        sheet.result.emptied = {name: sorted({str(t) for t in frame["ticket_id"].iloc[positions] if t is not None})
                                for name, positions in sheet.body.emptied.items() if name in STOP_FIELDS}
    sheet.result.fatal = any(f.code == "ambiguous-dates" for f in sheet.findings)


def _end_from_duration(sheet: Sheet) -> None:
    """An outage's end from its start and its duration in minutes (UptimeRobot's logs give no end)."""
    frame = sheet.frame
    start, minutes = frame["start"].to_numpy(), frame["duration_minutes"].to_numpy(dtype=float)
    known = (start != NA_TIME) & ~np.isnan(minutes)
    end = np.full(len(frame), NA_TIME, dtype=np.int64)
    end[known] = start[known] + np.round(minutes[known] * 60).astype(np.int64)
    frame["end"] = end
    sheet.note(Severity.INFO, "end-from-duration", "the file gives no end time: each end is the start plus the "
               "duration in minutes", column=sheet.column_name("duration_minutes"))


# --- validation and block building -----------------------------------------------------------------------

def check_rows(sheet: Sheet) -> None:
    """Validation; the rejected rows leave the frame. Samples are then packed into their stored blocks, after
    the text cells are let go (see `_let_cells_go`)."""
    _validate(sheet)
    _dst_explained(sheet.findings)
    frame = sheet.frame
    if sheet.rejected:
        keep = np.ones(len(frame), dtype=bool)
        keep[list(sheet.rejected)] = False
        frame = frame[keep].reset_index(drop=True)
    sheet.result.frame, sheet.result.rows_rejected = frame, len(sheet.rejected)
    if sheet.kind is RecordKind.SAMPLES and not sheet.result.fatal:
        _let_cells_go(sheet)
        # Samples are stored as compressed probe-day blocks: they are made here and sent back instead of the rows
        # (a frame of a million samples is ten times their blocks' size). A list display: ParsedImport.blocks is
        # typed list[tuple], and a SampleBlock is one.
        sheet.result.blocks = [*sample_blocks.frame_blocks(frame)]
        sheet.result.accepted, sheet.result.frame = len(frame), frame.head(PREVIEW_ROWS)


def _let_cells_go(sheet: Sheet) -> None:
    """The body's text cells kept only for the rows `finish` shows (the first rows and those a finding names):
    a million samples' text is ~100 MB that would otherwise stand beside their blocks being made. For samples
    every finding with a row is made by now (the stages after this one add none), so `finish` shows exactly the
    rows it would have shown from the whole body."""
    body = sheet.body
    wanted = _shown_rows(body, _capped(sheet.findings))
    positions = np.flatnonzero(np.isin(body.rows, wanted))
    columns: list[Cells] = [c.gather(positions) if columnar.is_series(c) else [c[int(p)] for p in positions]
                            for c in body.columns]
    sheet.body = dataclasses.replace(body, columns=columns, rows=body.rows[positions])


def _validate(sheet: Sheet) -> None:
    """The checks' findings; a cell that could not be read was reported already, not again as empty."""
    options = sheet.options
    start, end = options.period_start, options.period_end  # set together, from the chosen period
    period = (start, end, options.period_label) if start and end is not None else None
    source_rows = sheet.frame["source_row"].to_numpy()
    names: dict[str, str] = {}
    for pos, severity, code, column, message in validate(sheet.frame, sheet.kind, exported_at=options.exported_at,
                                                           period=period):
        if code == "missing-value" and (pos, column) in sheet.unreadable:
            continue
        if column not in names:
            names[column] = sheet.column_name(column)
        sheet.note(severity, code, message, row=int(source_rows[pos]), column=names[column])
        if severity is Severity.ERROR or code == "duplicate-row":
            sheet.rejected.add(pos)


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


# --- event reduction, percent rescaling, the end ---------------------------------------------------------

def reduce_events(sheet: Sheet) -> None:
    """Event reduction: an event log's updates kept as its events, and reduced to one row per ticket."""
    if sheet.kind is not RecordKind.TICKET_EVENTS:
        return
    sheet.result.events = _objects(sheet.result.frame)  # the reduction groups by the labels themselves
    sheet.result.frame = event_logs.reduce_to_tickets(sheet.result.events)


def _objects(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical label columns as plain text (None when empty); the other columns shared, not copied (pandas
    copies a column on write)."""
    out = frame.copy(deep=False)
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            values = out[name].astype(object)
            out[name] = values.where(values.notna(), None)
    return out


def rescale_percents(sheet: Sheet) -> None:
    """Percent rescaling: vendor summaries often hold 0.9995 for 99.95 %; read fractions as percentages, and
    say so."""
    if sheet.kind is not RecordKind.VENDOR_REPORT:
        return
    frame = sheet.result.frame
    numbers = [c for c in ("target_value", "achieved") if c in frame]
    values = pd.concat([frame[c] for c in numbers]).dropna()
    if len(values) and (values.abs() <= 1).all() and (values != 0).any():
        for column in numbers:
            frame[column] = frame[column].map(lambda v: None if pd.isna(v) else float(f"{v * 100:.10g}"))
        sheet.note(Severity.INFO, "fractions-as-percent", "targets and results are fractions (0.9995): read as "
                   "percentages (99.95 %)")


def finish(sheet: Sheet) -> None:
    """At most MAX_FINDINGS_PER_CODE findings of a code, and the cells of the rows they name."""
    sheet.result.findings = _capped(sheet.findings)
    sheet.result.source_rows = _source_rows(sheet.body, sheet.result.findings)


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


def _source_rows(body: Body, findings: list[Finding]) -> dict[int, list]:
    """The cells of the first rows and of every row a finding names (at most `most` rows)."""
    rows = body.rows
    positions = np.flatnonzero(np.isin(rows, _shown_rows(body, findings)))
    return {int(rows[p]): body.shown(int(p)) for p in positions}


def _shown_rows(body: Body, findings: list[Finding], *, first: int = 20, most: int = 1000) -> list[int]:
    """The sheet rows `_source_rows` shows: the first rows and every row a finding names, at most `most`."""
    return sorted(set(body.rows[:first].tolist()) | {f.row for f in findings if f.row is not None})[:most]


STAGES: tuple[Callable[[Sheet], None], ...] = (
    check_text, choose_preset, map_columns, take_constants, read_rows, convert, check_rows, reduce_events,
    rescale_percents, finish,
)
