"""Which stretch of time an import covers, and whether a target's period is covered completely.

Data that was never imported is not downtime: a period is judged only when the union of its imports'
coverage holds the whole period (or a person marked it complete as imported). Each batch of tickets,
outages or samples covers, in this order of preference:

1. the period given with `--period` (a period or a span, 2025-05..2026-10);
2. the period the file states: a title cell in its first rows or its sheet name (importers/stated_period.py);
3. samples: from the first sample's interval start to the last sample's interval end;
4. tickets and outage logs (sparse by nature): whole days in the contract's zone from the first record's
   day to the last record's.

A period still running at the "as of" instant is in progress, whatever its data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

DAY = 86_400


class Completeness(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    IN_PROGRESS = "in progress"


@dataclass(frozen=True)
class Coverage:
    """The stretch of time one import batch covers, [start, end) in UTC epoch seconds, and how it was decided."""

    start: int
    end: int
    how: str
    label: str = ""  # the period or span it covers ("2026-03", "2025-05..2026-10"): each target reads it in its zone


def batch_coverage(*, given: tuple[int, int, str] | None = None, stated: tuple[int, int, str] | None = None,
                   samples: tuple[int, int, int] | None = None, records: tuple[int, int] | None = None,
                   zone: str = "UTC") -> Coverage | None:
    """What a batch covers: `given` (start, end, label) from --period, else `stated` (start, end, "label where")
    by the file, else `samples` (first time, last time, interval), else `records` (first, last instant)."""
    if given is not None:
        return Coverage(given[0], given[1], f"the period given with --period ({given[2]})", given[2])
    if stated is not None:
        label, where = stated[2].split(" ", 1) if " " in stated[2] else (stated[2], stated[2])
        return Coverage(stated[0], stated[1], f"the period the file states ({where})", label)
    if samples is not None:
        first, last, step = samples
        start, end = first // step * step, last // step * step + step  # whole intervals of the epoch-aligned grid
        return Coverage(start, end, f"the samples' first interval to their last ({step // 60 or 1}-minute "
                                    "intervals)" if step >= 60 else "the samples' first to their last")
    if records is not None:
        start, end = whole_days(records[0], records[1], zone)
        return Coverage(start, end, "whole days from the first record's day to the last record's (give --period "
                                    "when the export covers more)")
    return None


def whole_days(first: int, last: int, zone: str) -> tuple[int, int]:
    """00:00 of `first`'s local day to 00:00 of the day after `last`'s local day, in UTC epoch seconds."""
    tz = ZoneInfo(zone)
    a = datetime.fromtimestamp(first, UTC).astimezone(tz).date()
    b = datetime.fromtimestamp(last, UTC).astimezone(tz).date() + timedelta(days=1)
    return int(datetime.combine(a, time(), tz).timestamp()), int(datetime.combine(b, time(), tz).timestamp())


def sample_step(blocks: Iterable[tuple[int, int, int]]) -> int:
    """The interval of a sample series from its blocks' (first, last, count): the median spacing, in seconds
    (300 when no block holds two samples)."""
    steps = sorted(round((last - first) / (count - 1)) for first, last, count in blocks if count > 1 and last > first)
    return int(steps[len(steps) // 2]) if steps else 300


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined; empty ones dropped."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def covered_part(spans: Iterable[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) the spans cover, merged."""
    return merged((max(a, start), min(b, end)) for a, b in spans if b > start and a < end)


def assess(spans: Sequence[tuple[int, int]], start: int, end: int, *, as_of: int,
           marked: bool = False) -> tuple[Completeness, list[tuple[int, int]]]:
    """In progress while `as_of` is before the end; else complete when the spans (or a mark) hold all of it."""
    covered = [(start, end)] if marked else covered_part(spans, start, end)
    if as_of < end:
        return Completeness.IN_PROGRESS, covered
    whole = covered == [(start, end)]
    return (Completeness.COMPLETE if whole else Completeness.INCOMPLETE), covered


def coverage_text(covered: Sequence[tuple[int, int]], label: str, zone: str) -> str:
    """'data covers 1 Nov 00:00 – 1 Nov 01:00 of 2026-11' (local times), or 'no data imported for 2026-11'."""
    tz = ZoneInfo(zone)

    def at(t: int) -> str:
        local = datetime.fromtimestamp(t, UTC).astimezone(tz)
        return f"{local.day} {local:%b %H:%M}"

    if not covered:
        return f"no data imported for {label}"
    parts = ", ".join(f"{at(a)} – {at(b)}" for a, b in covered)
    return f"data covers {parts} of {label}"
