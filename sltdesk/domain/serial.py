"""Records to plain JSON-safe dicts and back (audit payloads, storage, exports)."""

from __future__ import annotations

import dataclasses
import functools
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Any


def to_plain(record: Any, *, native: bool = False) -> dict[str, Any]:
    """A dict of the record's fields; dates and Decimals become text unless `native`."""
    return {f.name: _plain_value(getattr(record, f.name), native) for f in dataclasses.fields(record)}


def _plain_value(value: Any, native: bool) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain_value(v, False) for v in value]
    if isinstance(value, Decimal | date | datetime) and not native:
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def from_plain(kind: type, values: dict[str, Any]) -> Any:
    """Build a record of `kind` from a plain or native dict; unknown keys are ignored."""
    hints = _hints(kind)
    kwargs = {name: _typed(hints[name], values[name]) for name in hints if name in values}
    return kind(**kwargs)


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(kind)}
    return {k: v for k, v in typing.get_type_hints(kind).items() if k in names}


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (UnionType, typing.Union):
        options = [a for a in typing.get_args(hint) if a is not NoneType]
        return _typed(options[0], value)
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        return tuple(_typed(inner, v) for v in value)
    if hint is Decimal:
        if isinstance(value, float):
            raise TypeError("a Decimal field was given a float")
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if hint is date:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if hint is int:
        return int(value)
    if hint is str:
        return str(value)
    return value
