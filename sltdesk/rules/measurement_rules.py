"""Measurement rules as plain data: the form `sltdesk rules export` writes and `sltdesk rules load` reads.

One entry per contract target: {"target": NAME, "source": "tickets", "priority": "P1", ...}. Every field of
MeasurementRule may be given; a field left out takes its default (the README lists them). Each problem is a
sentence that names the target and the field, so a file with twenty rules says which line to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from typing import Any

from sltdesk.domain.measurement import Budgeting, MeasurementRule, MissingData, Source
from sltdesk.domain.money import Rounding
from sltdesk.rules.seasons import TIER_PRICING, parse_seasons, seasons_text

STOPS = ("responded", "resolved", "closed")
STARTS = ("opened", "assigned")
RESPONSES = ("auto", "state", "assignment")
FIELDS = tuple(f.name for f in fields(MeasurementRule) if f.name not in ("target_id", "id", "version"))
MAX_PLACES = 10


def rule_to_plain(rule: MeasurementRule, target: str) -> dict[str, Any]:
    """The rule as JSON-ready data: Decimals as strings, enumerations as their words, lists for states."""
    out: dict[str, Any] = {"target": target}
    for name in FIELDS:
        value = getattr(rule, name)
        if isinstance(value, Decimal):
            value = format(value, "f")
        elif isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "value"):
            value = value.value
        out[name] = value
    return out


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("is text")
    return value.strip()


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value).lower()
        if text not in options:
            raise ValueError(f"is one of {', '.join(options)}")
        return text

    return parse


def _enum(kind) -> Callable[[Any], Any]:
    def parse(value: Any):
        try:
            return kind(_text(value).lower())
        except ValueError:
            raise ValueError(f"is one of {', '.join(k.value for k in kind)}") from None

    return parse


def _decimal(low: Decimal, high: Decimal | None) -> Callable[[Any], Decimal]:
    def parse(value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise ValueError("is a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError("is a number") from None
        if not number.is_finite() or number < low or (high is not None and number > high):
            raise ValueError(f"is a number from {low}" + (f" to {high}" if high is not None else " up"))
        return number

    return parse


def _integer(low: int, high: int | None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("is a whole number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError("is a whole number") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError("is a whole number")
        whole = int(number)
        if whole < low or (high is not None and whole > high):
            raise ValueError(f"is a whole number from {low}" + (f" to {high}" if high is not None else " up"))
        return whole

    return parse


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ValueError("is true or false")


def _states(value: Any) -> tuple[str, ...]:
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ValueError("is a list of state names (or one text with names separated by ';')")
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def _places(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _integer(0, MAX_PLACES)(value)


def _seasons(value: Any) -> str:
    if value is None:
        return ""
    return seasons_text(parse_seasons(_text(value)))  # written one way, so an equal text is an equal rule


def _optional_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _decimal(Decimal(0), None)(value)


PARSERS: dict[str, Callable[[Any], Any]] = {
    "source": _enum(Source), "priority": _text, "stop": _choice(STOPS), "start": _choice(STARTS),
    "limit_minutes": _decimal(Decimal(0), None), "percentile": _integer(1, 100), "business_clock": _boolean,
    "pause_states": _states, "initial_states": _states, "response_on": _choice(RESPONSES),
    "weighted_by_impact": _boolean, "error_limit_percent": _decimal(Decimal(0), Decimal(100)),
    "missing_data": _enum(MissingData), "budgeting": _enum(Budgeting), "interval_seconds": _integer(1, 86_400),
    "probe": _text, "service": _text, "maintenance_notice_days": _integer(0, 3650), "report_name": _text,
    "compare_places": _places, "compare_rounding": _enum(Rounding),
    "seasons": _seasons, "tier_calendar": _text, "tier_threshold": _optional_decimal,
    "tier_pricing": _choice(TIER_PRICING),
}
assert set(PARSERS) == set(FIELDS), "every field of MeasurementRule has a parser"


def rule_from_plain(plain: Mapping[str, Any], target_id: int, *,
                    cycle_time: bool = False) -> tuple[MeasurementRule | None, list[str]]:
    """The rule an entry describes, or None and every problem with it (each naming the target and field).
    `cycle_time`: the target compares a percentile of elapsed time, so a ticket rule needs no time limit."""
    name = str(plain.get("target", "")).strip() or "(no target)"
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key in plain:
        if key not in ("target", "version") and key not in PARSERS:  # the version is the loader's to check
            problems.append(f"{name}: '{key}' is not a field of a measurement rule; the fields are "
                            f"{', '.join(FIELDS)}.")
    if "source" not in plain:
        problems.append(f"{name}: source is missing; it is one of {', '.join(s.value for s in Source)}.")
    for key, parse in PARSERS.items():
        if key not in plain:
            continue
        try:
            values[key] = parse(plain[key])
        except ValueError as error:
            problems.append(f"{name}: {key} {error} (got {plain[key]!r}).")
    if not problems:
        problems += _combination(name, values, cycle_time)
    if problems:
        return None, problems
    return MeasurementRule(target_id=target_id, **values), []


def lacks_time_limit(source: Source | str, limit_minutes: Decimal, *, cycle_time: bool) -> bool:
    """A ticket target compares each ticket's time with a limit, so it needs one — unless the target measures a
    percentile of the elapsed time (a cycle time), whose threshold is the limit."""
    return str(source) == Source.TICKETS.value and not cycle_time and limit_minutes <= 0


def _combination(name: str, values: dict[str, Any], cycle_time: bool) -> list[str]:
    """What no single field shows: a ticket rule needs its time limit (unless it measures a cycle time)."""
    source = values["source"]
    out = []
    if lacks_time_limit(source, values.get("limit_minutes", Decimal(0)), cycle_time=cycle_time):
        out.append(f"{name}: limit_minutes is missing; a ticket target needs its time limit in minutes.")
    if source is not Source.TICKETS and values.get("business_clock"):
        out.append(f"{name}: business_clock applies to tickets only; this rule measures {source.value}.")
    if bool(values.get("tier_calendar")) != (values.get("tier_threshold") is not None):
        out.append(f"{name}: a core-hours tier needs both tier_calendar and tier_threshold.")
    return out


def rule_field_errors(rule: MeasurementRule) -> dict[str, str]:
    """field -> what is wrong with it, for a rule built elsewhere (a workbook row, a form). The time limit a
    ticket target needs is checked where the target's metric is known (`rule_from_plain`)."""
    plain = rule_to_plain(rule, "")
    errors: dict[str, str] = {}
    for key, parse in PARSERS.items():
        try:
            parse(plain[key])
        except ValueError as error:
            errors[key] = f"{key.replace('_', ' ').capitalize()} {error} (got {plain[key]!r})."
    source = PARSERS["source"](plain["source"]) if "source" not in errors else None
    if source is not None and source is not Source.TICKETS and rule.business_clock is True:
        errors["business_clock"] = f"Business clock applies to tickets only; this rule measures {source.value}."
    if "tier_threshold" not in errors and bool(rule.tier_calendar) != (rule.tier_threshold is not None):
        errors["tier_threshold"] = "A core-hours tier needs both its calendar and its threshold."
    return errors
