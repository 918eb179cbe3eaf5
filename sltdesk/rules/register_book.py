"""Records ↔ workbook rows, and the natural keys that tie the rows of the contract register together."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from sltdesk.domain.mapping import MetricKind, default_rule
from sltdesk.domain.register_book import (
    ENTITY_ORDER,
    KEY_FIELDS,
    REFERENCES,
    BookEntry,
    BookSheet,
    RegisterBook,
)
from sltdesk.domain.serial import from_plain

Key = tuple[Any, ...]


def natural_key(entry: BookEntry) -> Key:
    """('NW-2025-014', 'SL1 Availability') for a contract target, ('Card payments',) for a service…"""
    ref_fields, own_fields = KEY_FIELDS[entry.entity]
    parts: list[Any] = []
    for fk in ref_fields:
        parts.extend(entry.refs.get(fk, ()))
    parts.extend(getattr(entry.record, name) for name in own_fields)
    return tuple(parts)


def sort_key(key: Key) -> tuple:
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part).casefold()) for part in key)


def book_from_records(records: Mapping[str, Iterable[Any]]) -> RegisterBook:
    """The workbook entries of stored records (each kind by entity name), foreign keys turned into names."""
    keys: dict[str, dict[int, Key]] = {}
    entries: list[BookEntry] = []
    for entity in ENTITY_ORDER:
        found = []
        for record in records.get(entity, ()):
            refs = {}
            for fk, target in REFERENCES.get(entity, {}).items():
                value = getattr(record, fk)
                if value is not None and value in keys.get(target, {}):
                    refs[fk] = keys[target][value]
            entry = BookEntry(entity, record, refs)
            keys.setdefault(entity, {})[record.id] = natural_key(entry)
            found.append(entry)
        entries.extend(sorted(found, key=lambda e: sort_key(natural_key(e))))
    return RegisterBook(tuple(entries))


def row_values(sheet: BookSheet, entry: BookEntry) -> list[Any]:
    """One value per column: text, Decimal, int, date, a list (lines / dates) or None."""
    record = entry.record
    hours = dict(getattr(record, "hours", ()))
    values: list[Any] = []
    for column in sheet.columns:
        if column.field.startswith("@"):
            fk, _, part = column.field[1:].partition(":")
            names = entry.refs.get(fk)
            values.append(names[int(part or 0)] if names else None)
        elif column.field.startswith("hours:"):
            values.append(hours.get(column.field[6:], "") or None)
        else:
            values.append(_plain(getattr(record, column.field)))
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    if value == "":
        return None
    return value


def entry_from_row(sheet: BookSheet, values: Mapping[str, Any], row: int) -> BookEntry:
    """A record from a row's typed values by field (None for an empty cell: the record's default).

    Foreign keys hold 0 until the names in `refs` are resolved against the workbook and workspace.
    """
    plain: dict[str, Any] = {}
    refs: dict[str, list[Any]] = {}
    hours: list[tuple[str, str]] = []
    for column in sheet.columns:
        value = values.get(column.field)
        if column.field.startswith("@"):
            fk, _, _part = column.field[1:].partition(":")
            refs.setdefault(fk, []).append(value)
        elif column.field.startswith("hours:"):
            hours.append((column.field[6:], value or ""))
        elif value is not None:
            plain[column.field] = value
    if hours:
        plain["hours"] = tuple(hours)
    hints = typing.get_type_hints(sheet.kind)
    for fk in refs:
        plain[fk] = None if type(None) in typing.get_args(hints[fk]) else 0
    if sheet.entity == "end_to_end_target" and "composition" not in plain and "metric" in plain:
        plain["composition"] = default_rule(MetricKind(plain["metric"]), plain.get("unit", "%"))
    names = {fk: tuple(parts) for fk, parts in refs.items() if any(p not in (None, "") for p in parts)}
    return BookEntry(sheet.entity, from_plain(sheet.kind, plain), names, row)


def with_ids(entry: BookEntry, ids: Mapping[str, int | None]) -> Any:
    """The entry's record with its foreign keys (and id) filled in."""
    return dataclasses.replace(entry.record, **ids)


def same_content(first: Any, second: Any) -> bool:
    """Equal in every field but the id and version (Decimals compare by value: 95 equals 95.0)."""
    return _bare(first) == _bare(second)


def _bare(record: Any) -> Any:
    names = {f.name for f in dataclasses.fields(record)}
    return dataclasses.replace(record, id=None, **({"version": 1} if "version" in names else {}))
