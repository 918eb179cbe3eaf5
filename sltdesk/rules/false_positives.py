"""Approved false positives: what monitoring raised without a real effect counts as good.

Unlike maintenance or force majeure, a false positive takes nothing out of the measured time: a flagged outage is
time up (its downtime is not counted), a flagged span's bad intervals are good intervals, a flagged ticket is met.
A flagged breach (one target's miss in one period) is all of these at once for that period: its outage time is up,
its bad intervals are good and the tickets opened in it are met. The caller passes only the approved flags that
apply to the target; each one the period touches is named in the exclusions (kind "false-positive", reference
"FP-<id>") and in the explanation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from sltdesk.domain.attainment import Exclusion
from sltdesk.domain.measurement import FalsePositive, FlagSubject

KIND = "false-positive"


_TIME = (FlagSubject.SPAN, FlagSubject.BREACH)


def spans(flags: Sequence[FalsePositive], *, probe: str = "") -> list[FalsePositive]:
    """The flags that stand for a time span on interval samples: spans, breaches, and flagged outages by their own
    span (a probe's bad intervals behind a vendor's outage). A flag naming another probe than the rule's is left
    out."""
    return [f for f in flags if f.subject in (*_TIME, FlagSubject.OUTAGE) and f.end > f.start
            and (not f.probe or not probe or f.probe == probe)]


def time_spans(flags: Sequence[FalsePositive], start: int, end: int) -> list[FalsePositive]:
    """The flags whose whole span counts as up on outages (spans and breaches) that reach into [start, end)."""
    return [f for f in flags if f.subject in _TIME and f.end > start and f.start < end]


def in_zone(flags: Sequence[FalsePositive], bounds: Callable[[str], tuple[int, int]]) -> list[FalsePositive]:
    """The flags with each breach's span laid out again by `bounds` (its period label -> the measured period's
    start and end): the target's calendar, or a core-hours tier's, may be in another zone than the one the flag
    was requested in, or have moved since, and a breach waives exactly the period measured."""
    out = []
    for flag in flags:
        if flag.subject is FlagSubject.BREACH and flag.reference:
            start, end = bounds(flag.reference)
            flag = replace(flag, start=start, end=end)
        out.append(flag)
    return out


def breaches(flags: Sequence[FalsePositive], start: int, end: int) -> list[FalsePositive]:
    """The flagged breaches whose period reaches into [start, end): the tickets opened in them count as met."""
    return [f for f in flags if f.subject is FlagSubject.BREACH and f.end > start and f.start < end]


def outage_records(flags: Sequence[FalsePositive]) -> dict[int, FalsePositive]:
    """Stored outage record number -> its flag."""
    return {int(f.reference): f for f in flags if f.subject is FlagSubject.OUTAGE and f.reference.isdigit()}


def tickets(flags: Sequence[FalsePositive]) -> dict[str, FalsePositive]:
    """Ticket id -> its flag."""
    return {f.reference: f for f in flags if f.subject is FlagSubject.TICKET and f.reference}


def exclusion(flag: FalsePositive, *, minutes: Decimal = Decimal(0), tickets: int = 0) -> Exclusion:
    """The flag as the trace names it: its reason and approver; `minutes` (or `tickets`) it turned good."""
    return Exclusion(f"{flag.words} (approved by {flag.decided_by}; counted as good, not removed from the "
                     "measured time)", KIND, minutes, tickets, flag.ref)


def explanation(named: Sequence[Exclusion], good: str) -> str:
    """'; false positives counted as up: FP-3, FP-4' (empty without any)."""
    refs = [e.reference for e in named if e.kind == KIND]
    if not refs:
        return ""
    plural = "s" if len(refs) != 1 else ""
    return f"; false positive{plural} counted as {good}: {', '.join(refs)}"
