"""Planned maintenance windows from an iCalendar (.ics) file: recurrences expanded, zones honoured."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from sltdesk.domain.raw import Finding, ImportOptions, ParsedImport, RecordKind, Severity
from sltdesk.rules.data_quality import validate

_OFFSET = re.compile(r"^(?:UTC|GMT)\s*([+-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)
MAX_OCCURRENCES = 20_000


def parse_ics(path: Path, options: ImportOptions, sha256: str) -> ParsedImport:
    """One row per occurrence of every VEVENT; 'row' in findings is the event's position in the file."""
    findings: list[Finding] = []
    result = ParsedImport(kind=RecordKind.MAINTENANCE, file_name=path.name, sha256=sha256, sheet="VEVENT",
                          header_row=None, mapping={"start": "DTSTART", "end": "DTEND", "reference": "UID",
                                                    "service": "SUMMARY", "notified_at": "DTSTAMP/CREATED"},
                          frame=pd.DataFrame(), rows_read=0, rows_rejected=0, findings=findings)
    calendar = _calendar(path, findings)
    if calendar is None:
        result.fatal = True
        return result
    expansion = _Expansion(options=options, window=_window(options), zones=calendar.walk("VTIMEZONE"),
                           findings=findings)
    events = calendar.walk("VEVENT")
    expansion.events = len(events)
    position = {id(event): number for number, event in enumerate(events, start=1)}
    for group in _by_uid(events):
        master = next((e for e in group if e.get("RECURRENCE-ID") is None), group[0])
        _expand(expansion, group, master, position[id(master)])
    frame = _validated(result, expansion)
    _summarise(expansion, frame)
    return result


@dataclass(eq=False)
class _Expansion:
    """The calendar's events expanded over the window, one event (with its moved occurrences) at a time."""

    options: ImportOptions
    window: tuple[datetime, datetime]
    zones: list  # the calendar's VTIMEZONEs
    findings: list[Finding]
    events: int = 0  # VEVENTs in the file
    rows: list[dict] = field(default_factory=list)  # one per occurrence in the window
    backwards: int = 0  # events left out: they end before they start
    endless: int = 0  # events that repeat without end
    outside: list[tuple[int, int]] = field(default_factory=list)  # first and last start of each event left out


def _calendar(path: Path, findings: list[Finding]):
    """The parsed calendar, or None (and an error) for a file that is no calendar or cannot be read."""
    import icalendar

    data = path.read_bytes()
    if b"<!ENTITY" in data[:4096] or b"BEGIN:VCALENDAR" not in data[:2048]:
        findings.append(Finding(Severity.ERROR, "not-a-calendar", f"{path.name} is not an iCalendar file"))
        return None
    try:
        return icalendar.Calendar.from_ical(_tolerant(data))
    except Exception as error:  # malformed input also raises AttributeError, KeyError… inside icalendar
        findings.append(Finding(Severity.ERROR, "bad-calendar", f"the calendar cannot be read: {_one_line(error)}"))
        return None


def _expand(expansion: _Expansion, group: list, master, number: int) -> None:
    """One event's occurrences in the window as rows; an event that ends before it starts is left out."""
    zone = _event_zone(master, expansion.options, expansion.findings, number)
    start, end = master.get("DTSTART"), master.get("DTEND")
    if start is not None and end is not None and _epoch(end.dt, zone) < _epoch(start.dt, zone):
        expansion.findings.append(Finding(Severity.ERROR, "negative-duration", f"event {number} "
                                          f"('{master.get('SUMMARY', '')}') ends before it starts (DTEND before "
                                          "DTSTART): left out", "VEVENT", number, "DTEND"))
        expansion.backwards += 1
        return
    rule = master.get("RRULE")
    expansion.endless += bool(rule is not None and not ({"COUNT", "UNTIL"} & {k.upper() for k in rule}))
    occurrences = _occurrences(expansion, group, master, number)
    if occurrences is None:
        return
    if not occurrences and start is not None:
        expansion.outside.append(_span_of(master, zone))
    for occurrence in occurrences:
        expansion.rows.append(_row(occurrence, master, zone, number))


def _occurrences(expansion: _Expansion, group: list, master, number: int) -> list | None:
    """The event's occurrences in the window, cancelled ones left out; None (and a finding) when there are none
    to keep: the expander cannot read the event, or it repeats too often."""
    import recurring_ical_events

    try:
        occurrences = recurring_ical_events.of(_calendar_of(expansion.zones, group)).between(*expansion.window)
    except Exception as error:  # a group the expander cannot read: skipped, named, the rest imports
        expansion.findings.append(Finding(Severity.WARNING, "unreadable-event", f"event {number} (UID "
                                          f"'{master.get('UID', '')}', '{master.get('SUMMARY', '')}') cannot be "
                                          f"expanded and is left out: {_cause(error)}", "VEVENT", number))
        return None
    occurrences = [o for o in occurrences if str(o.get("STATUS", "")).upper() != "CANCELLED"]
    if len(occurrences) > MAX_OCCURRENCES:
        expansion.findings.append(Finding(Severity.ERROR, "too-many-occurrences", f"event {number} repeats more "
                                          f"than {MAX_OCCURRENCES:,} times in the chosen window", "VEVENT", number))
        return None
    return occurrences


def _validated(result: ParsedImport, expansion: _Expansion) -> pd.DataFrame:
    """The occurrences checked as maintenance windows: the result keeps those without an error. Returns them all."""
    result.rows_read = len(expansion.rows) + expansion.backwards
    frame = pd.DataFrame(expansion.rows, columns=["source_row", "start", "end", "service", "reference", "notified_at"])
    for column in ("source_row", "start", "end", "notified_at"):
        frame[column] = frame[column].astype(np.int64)
    issues = validate(frame, RecordKind.MAINTENANCE, exported_at=None)
    bad = {pos for pos, severity, *_ in issues if severity is Severity.ERROR}
    source_rows = frame["source_row"].to_numpy()
    for pos, severity, code, column, message in issues:
        result.findings.append(Finding(severity, code, message, "VEVENT", int(source_rows[pos]), column))
    result.frame = frame.drop(index=list(bad)).reset_index(drop=True)
    result.rows_rejected = len(bad) + expansion.backwards
    return frame


def _summarise(expansion: _Expansion, frame: pd.DataFrame) -> None:
    """How many windows from how many events, and the events the window left out or cut short."""
    findings, window, outside, endless = expansion.findings, expansion.window, expansion.outside, expansion.endless
    span = (f", from {_day(frame['start'].min())} to {_day(frame['end'].max())}" if len(frame) else "")
    findings.append(Finding(Severity.INFO, "recurrences", f"{len(expansion.rows)} windows from "
                            f"{expansion.events} events{span}", "VEVENT"))
    if outside:
        first, last = min(a for a, _ in outside), max(b for _, b in outside)
        findings.append(Finding(Severity.WARNING, "outside-window", f"{len(outside)} event"
                                f"{'s' if len(outside) > 1 else ''} fall{'' if len(outside) > 1 else 's'} wholly "
                                f"outside {window[0]:%d %b %Y} – {window[1]:%d %b %Y} and "
                                f"{'were' if len(outside) > 1 else 'was'} not imported (they start between "
                                f"{_day(first)} and {_day(last)}); choose their span with --period, e.g. "
                                f"--period {_year(first)}" + (f"..{_year(last)}" if _year(last) != _year(first)
                                                               else ""), "VEVENT"))
    if endless:
        findings.append(Finding(Severity.INFO, "endless-recurrence", f"{endless} event{'s' if endless > 1 else ''} "
                                f"repeat{'' if endless > 1 else 's'} without end: expanded from {window[0]:%d %b %Y} "
                                f"to {window[1]:%d %b %Y} (choose another span with --period)", "VEVENT"))


def _day(epoch: int) -> str:
    return f"{datetime.fromtimestamp(int(epoch), UTC):%d %b %Y}"


def _year(epoch: int) -> str:
    return f"{datetime.fromtimestamp(int(epoch), UTC):%Y}"


def _window(options: ImportOptions) -> tuple[datetime, datetime]:
    """--period when given; else the span the caller chose (the contract's term plus one renewal); else now ± 2
    years."""
    for start, end in ((options.period_start, options.period_end), (options.expand_start, options.expand_end)):
        if start is not None and end is not None:
            return datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC)
    now = datetime.now(UTC)
    return datetime(now.year - 2, 1, 1, tzinfo=UTC), datetime(now.year + 2, 1, 1, tzinfo=UTC)


_RULE_LINE = re.compile(r"(?m)^((?:RRULE|EXRULE)[;:])(.*)$")


def _tolerant(data: bytes) -> str:
    """The calendar's text, unfolded, with the spaces real clients put in rule lists taken out
    (Exchange writes BYDAY=MO, TU, WE)."""
    text = data.decode("utf-8-sig", errors="replace")
    text = re.sub(r"\r?\n[ \t]", "", text)
    return _RULE_LINE.sub(lambda m: m[1] + re.sub(r"\s*([,;=])\s*", r"\1", m[2]).strip(), text)


def _by_uid(events: list) -> list[list]:
    """VEVENTs grouped by UID (a master with its RECURRENCE-ID overrides), in file order; no UID: its own group."""
    groups: dict[object, list] = {}
    for number, event in enumerate(events):
        key = str(event.get("UID")) if event.get("UID") is not None else ("no-uid", number)
        groups.setdefault(key, []).append(event)
    return list(groups.values())


def _calendar_of(zones: list, group: list):
    """A calendar holding one UID's events (and the zones), so each series is expanded with its overrides."""
    import icalendar

    one = icalendar.Calendar()
    for component in zones:
        one.add_component(component)
    for event in group:
        one.add_component(event)
    return one


def _cause(error: BaseException) -> str:
    text = str(error).replace("\\", "")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _span_of(event, zone) -> tuple[int, int]:
    """First and last start of an event series (its UNTIL, or its start when it does not repeat or never ends)."""
    first = _epoch(event["DTSTART"].dt, zone)
    rule = event.get("RRULE")
    until = rule.get("UNTIL") if rule is not None else None
    return first, (_epoch(until[0], zone) if until else first)


def _event_zone(event, options: ImportOptions, findings: list[Finding], number: int):
    start = event.get("DTSTART")
    if start is None:
        return ZoneInfo(options.timezone)
    tzid = start.params.get("TZID")
    if getattr(start.dt, "tzinfo", None) is not None or tzid is None:
        return ZoneInfo(options.timezone)
    match = _OFFSET.match(str(tzid))
    if match:
        sign = 1 if match[1] == "+" else -1
        offset = timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3] or 0)))
        findings.append(Finding(Severity.WARNING, "fixed-offset-zone", f"event {number} uses the fixed offset "
                                f"'{tzid}', not a time zone with summer time: its times are read at that offset "
                                "all year", "VEVENT", number, "DTSTART"))
        return offset
    try:
        return ZoneInfo(str(tzid))
    except (ZoneInfoNotFoundError, ValueError):
        findings.append(Finding(Severity.WARNING, "unknown-zone", f"event {number}: unknown time zone '{tzid}', "
                                f"read in {options.timezone}", "VEVENT", number, "DTSTART"))
        return ZoneInfo(options.timezone)


def _row(occurrence, event, zone, number: int) -> dict:
    start, end = occurrence["DTSTART"].dt, occurrence.get("DTEND")
    end = end.dt if end is not None else start + (occurrence.get("DURATION").dt if occurrence.get("DURATION")
                                                  else timedelta(0))
    stamp = event.get("DTSTAMP") or event.get("CREATED")
    return {"source_row": number, "start": _epoch(start, zone), "end": _epoch(end, zone),
            "service": str(event.get("SUMMARY", "")), "reference": str(event.get("UID", f"event-{number}")),
            "notified_at": _epoch(stamp.dt, UTC) if stamp is not None else np.iinfo(np.int64).min}


def _epoch(value, zone) -> int:
    if not isinstance(value, datetime):  # an all-day date
        value = datetime(value.year, value.month, value.day, tzinfo=zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return int(value.timestamp())


def _one_line(error: BaseException, limit: int = 160) -> str:
    """A library's message as one line (icalendar quotes the file's lines in it), cut at `limit` characters."""
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"

