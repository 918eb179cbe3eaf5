"""Validation of parsed raw records (pure, vectorised): what is impossible, suspicious or duplicated.

Each check returns issues as (row position, severity, code, column, message); a row with an error
is rejected, warnings are reported and the row is kept.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sltdesk.domain.raw import FIELDS, NATURAL_KEYS, FieldType, RecordKind, Severity

NA_TIME = np.iinfo(np.int64).min
Issue = tuple[int, Severity, str, str, str]


def validate(frame: pd.DataFrame, kind: RecordKind, *, exported_at: int | None = None,
             period: tuple[int, int, str] | None = None) -> list[Issue]:
    """Every issue of the frame (positions are 0-based row positions in the frame)."""
    issues = _missing(frame, kind) + _duplicates(frame, kind)
    times = [f.name for f in FIELDS[kind] if f.type is FieldType.DATETIME and f.name in frame]
    if exported_at is not None:
        for name in times:
            values = frame[name].to_numpy()
            for pos in np.flatnonzero((values != NA_TIME) & (values > exported_at)):
                issues.append((int(pos), Severity.ERROR, "in-the-future", name,
                               f"{name.replace('_', ' ')} lies after the file was exported"))
    issues += _CHECKS.get(kind, lambda _f: [])(frame)
    if period is not None:
        issues += _outside_period(frame, kind, period)
    return issues


def _missing(frame: pd.DataFrame, kind: RecordKind) -> list[Issue]:
    issues: list[Issue] = []
    for spec in FIELDS[kind]:
        if not spec.required or spec.name not in frame:
            continue
        column = frame[spec.name]
        empty = (column.to_numpy() == NA_TIME) if spec.type is FieldType.DATETIME else column.isna().to_numpy()
        for pos in np.flatnonzero(empty):
            issues.append((int(pos), Severity.ERROR, "missing-value", spec.name,
                           f"{spec.label.capitalize()} is required but empty"))
    return issues


def _duplicates(frame: pd.DataFrame, kind: RecordKind) -> list[Issue]:
    """Exact duplicates are dropped with a warning; the same key with other content is an error."""
    if kind is RecordKind.TICKET_EVENTS:
        return []
    key = [k for k in NATURAL_KEYS[kind] if k in frame and frame[k].notna().any()]
    if not key or len(frame) < 2:
        return []
    same_key = _same_key(frame, key)
    if not same_key.any():  # the common case: no key repeats, so no row can be a copy of another
        return []
    content = [c for c in frame.columns if c != "source_row"]
    suspects = frame[same_key]
    exact = np.zeros(len(frame), dtype=bool)
    exact[same_key] = suspects.duplicated(subset=content, keep="first").to_numpy()
    repeated = np.zeros(len(frame), dtype=bool)
    repeated[same_key] = suspects.duplicated(subset=key, keep="first").to_numpy()
    repeated &= ~exact
    issues: list[Issue] = []
    first_row = _first_rows(frame, key)
    for pos in np.flatnonzero(exact):
        issues.append((int(pos), Severity.WARNING, "duplicate-row", key[0],
                       f"an exact copy of row {first_row[pos]}: skipped"))
    for pos in np.flatnonzero(repeated):
        issues.append((int(pos), Severity.ERROR, "duplicate-key", key[0],
                       f"{' + '.join(key).replace('_', ' ')} {frame[key[0]].iloc[pos]} also stands in row "
                       f"{first_row[pos]} with other values"))
    return issues


def _same_key(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Rows whose key another row has too. Integer and label keys are packed into one integer first: a
    series in file order (each probe's times rising) then shows it has no repeats without hashing. The packing
    works in place, so a million rows' key costs two arrays, not six."""
    packed: np.ndarray | None = None
    room = 1 << 62
    for name in key:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            values = np.asarray(pd.factorize(column, use_na_sentinel=False)[0], dtype=np.int64)  # order of appearance
        elif column.dtype.kind in "iu":
            values = column.to_numpy(dtype=np.int64)  # perhaps the frame's own array: only read
        else:
            return frame.duplicated(subset=key, keep=False).to_numpy()
        low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
        span = high - low + 1
        if room // span < 1:
            return frame.duplicated(subset=key, keep=False).to_numpy()
        room //= span
        if packed is None:  # packed * span + (values - low), as the one before
            packed = values - low
        else:
            packed *= span
            packed += values
            packed -= low
    if packed is None:
        packed = np.zeros(len(frame), dtype=np.int64)
    if (packed[1:] > packed[:-1]).all():
        return np.zeros(len(frame), dtype=bool)
    return pd.Series(packed).duplicated(keep=False).to_numpy()


def _first_rows(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    first = frame.groupby(key, sort=False, dropna=False)["source_row"].transform("first")
    return first.to_numpy()


def _order(frame: pd.DataFrame, earlier: str, later: str, code: str, sentence: str) -> list[Issue]:
    if earlier not in frame or later not in frame:
        return []
    a, b = frame[earlier].to_numpy(), frame[later].to_numpy()
    bad = (a != NA_TIME) & (b != NA_TIME) & (b < a)
    return [(int(pos), Severity.ERROR, code, later, sentence) for pos in np.flatnonzero(bad)]


def _tickets(frame: pd.DataFrame) -> list[Issue]:
    issues = _order(frame, "opened_at", "resolved_at", "resolved-before-opened", "resolved before it was opened")
    issues += _order(frame, "opened_at", "responded_at", "responded-before-opened", "responded to before it was opened")
    issues += _order(frame, "opened_at", "closed_at", "closed-before-opened", "closed before it was opened")
    issues += _order(frame, "resolved_at", "closed_at", "closed-before-resolved", "closed before it was resolved")
    return issues


def _outages(frame: pd.DataFrame) -> list[Issue]:
    issues = _order(frame, "start", "end", "negative-duration", "ends before it starts (negative duration)")
    if "impact_percent" in frame:
        impact = frame["impact_percent"].to_numpy(dtype=float)
        for pos in np.flatnonzero((impact > 100) | (impact < 0)):
            issues.append((int(pos), Severity.ERROR, "out-of-range", "impact_percent",
                           f"impact {impact[pos]:g} % lies outside 0–100 %"))
    return issues


def _maintenance(frame: pd.DataFrame) -> list[Issue]:
    return _order(frame, "start", "end", "negative-duration", "ends before it starts")


def _samples(frame: pd.DataFrame) -> list[Issue]:
    issues: list[Issue] = []
    for name in ("requests", "errors", "latency_ms"):
        if name in frame:
            values = frame[name].to_numpy(dtype=float)
            for pos in np.flatnonzero(values < 0):
                issues.append((int(pos), Severity.ERROR, "out-of-range", name, f"{name} cannot be negative"))
    if "requests" in frame and "errors" in frame:
        req, err = frame["requests"].to_numpy(dtype=float), frame["errors"].to_numpy(dtype=float)
        for pos in np.flatnonzero(err > req):
            issues.append((int(pos), Severity.ERROR, "out-of-range", "errors", "more errors than requests"))
    if "probe" in frame:
        codes, uniques = pd.factorize(frame["probe"], use_na_sentinel=True)  # -1: no probe named
        names = [str(u) for u in uniques]
    else:
        codes, names = np.full(len(frame), -1, dtype=np.int64), []
    stamps, rows = frame["timestamp"].to_numpy(), frame["source_row"].to_numpy()
    for code in _in_order_of_appearance(codes, len(names)):
        positions = np.flatnonzero(codes == code)
        issues += series_issues(stamps[positions], rows[positions], positions, names[code] if code >= 0 else "")
    return issues


def _in_order_of_appearance(codes: np.ndarray, count: int) -> list[int]:
    """The distinct codes pd.factorize gave (0 … count-1 in order of appearance, -1 for no value), in order of
    appearance, as pd.unique gives them — without hashing a million codes (that took a table of 30 MB)."""
    order = list(range(count))
    missing = np.flatnonzero(codes < 0)
    if len(missing):  # -1 stands after the codes that appeared before it
        first = int(missing[0])
        order.insert(int(codes[:first].max()) + 1 if first else 0, -1)
    return order


# A series with more than one step back in time in this many, and more than this few, is not in its probe's
# recording order: a clock that ran ahead and came back takes one step back each time it happens; a file sorted by
# another column, about half of its steps; a file newest first, all of them.
OUT_OF_ORDER_SHARE = 10
OUT_OF_ORDER_FEWEST = 3


def series_issues(stamps: np.ndarray, rows: np.ndarray, positions: np.ndarray, probe: str) -> list[Issue]:
    """Gaps, clock offsets from the interval grid, and time running backwards in one probe's series."""
    valid = stamps != NA_TIME
    stamps, rows, positions = stamps[valid], rows[valid], positions[valid]
    if len(stamps) < 3:
        return []
    steps = np.diff(stamps)
    who = f"probe {probe}: " if probe else ""
    issues: list[Issue] = []
    backwards = int(np.count_nonzero(steps < 0))
    in_order = backwards < OUT_OF_ORDER_FEWEST or backwards * OUT_OF_ORDER_SHARE <= len(steps)
    if not in_order:  # the rows are not the probe's recording order: check the series in time order
        order = np.argsort(stamps, kind="stable")
        stamps, rows, positions = stamps[order], rows[order], positions[order]
        steps = np.diff(stamps)
        issues.append((int(positions[0]), Severity.WARNING, "series-unordered", "timestamp",
                       f"{who}the rows are not in time order ({backwards} of {len(steps)} steps go back in time, "
                       f"as in a file sorted by another column or newest first): the series was checked in time "
                       f"order, where a clock that ran ahead and came back cannot be seen"))
    interval = int(np.median(steps[steps > 0])) if (steps > 0).any() else 0
    if interval <= 0:
        return issues
    skewed = _skew_segments(steps, interval) if in_order else []
    explained = {k for a, b in skewed for k in (a, b)}
    for a, b in skewed:  # their times are wrong: the rows are left out (an error each), not counted twice
        ahead = steps[a] - interval
        sentence = (f"{who}the clock ran {_span(abs(ahead))} {'ahead' if ahead > 0 else 'behind'} "
                    f"from row {rows[a + 1]} to row {rows[b]}: those {b - a} samples carry wrong times")
        for i in range(a + 1, b + 1):
            issues.append((int(positions[i]), Severity.ERROR, "clock-skew", "timestamp",
                           sentence if i == a + 1 else f"{who}wrong time (the clock ran ahead, see row {rows[a + 1]})"))
    for k in np.flatnonzero(steps > 1.5 * interval):
        if k in explained:
            continue
        missing = int(round(steps[k] / interval)) - 1
        issues.append((int(positions[k + 1]), Severity.WARNING, "series-gap", "timestamp",
                       f"{who}gap of {_span(steps[k] - interval)} after row {rows[k]} "
                       f"({missing} interval{'s' if missing != 1 else ''} of {_span(interval)} without data)"))
    for k in np.flatnonzero(steps <= 0):
        if k in explained:
            continue
        what = "repeats the time of" if steps[k] == 0 else f"goes back {_span(-steps[k])} behind"
        issues.append((int(positions[k + 1]), Severity.WARNING, "series-backwards", "timestamp",
                       f"{who}time {what} row {rows[k]}: the probe's clock was wrong before this row"))
    inside = np.zeros(len(stamps), dtype=bool)
    for a, b in skewed:
        inside[a + 1:b + 1] = True
    offset = (stamps - stamps[0]) % interval
    off_grid = np.flatnonzero((offset != 0) & ~inside)
    if len(off_grid):
        for run in np.split(off_grid, np.flatnonzero(np.diff(off_grid) != 1) + 1):
            shift = int(offset[run[0]])
            shift = shift - interval if shift > interval / 2 else shift
            issues.append((int(positions[run[0]]), Severity.WARNING, "clock-skew", "timestamp",
                           f"{who}rows {rows[run[0]]}–{rows[run[-1]]} are {_span(abs(shift))} "
                           f"{'after' if shift > 0 else 'before'} the {_span(interval)} grid: clock skew"))
    return issues


def _skew_segments(steps: np.ndarray, interval: int) -> list[tuple[int, int]]:
    """(jump, return) step pairs: the clock jumped by X and later came back by about X.

    Each step back (smaller than half the interval) pairs with the last jump (over 1.5 intervals) before it that
    comes after the previous pair's return, when the two are about the same size. One pass over the steps back,
    each finding its jump by bisection: a series out of time order has thousands of both (it used to compare
    every step back with every jump and every pair so far, and 30,000 shuffled rows took over a quarter of an
    hour)."""
    segments: list[tuple[int, int]] = []
    jumps = np.flatnonzero(steps > 1.5 * interval)
    for back in np.flatnonzero(steps < interval / 2):
        before = int(np.searchsorted(jumps, back)) - 1  # the last jump before this step back
        if before < 0 or (segments and jumps[before] <= segments[-1][1]):
            continue
        jump = int(jumps[before])
        ahead, returned = steps[jump] - interval, interval - steps[back]
        if abs(ahead - returned) <= interval:
            segments.append((jump, int(back)))
    return segments


def _span(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes:02d} min" if hours and minutes else
             (f"{minutes} min" if minutes else ""), f"{secs} s" if secs else ""]
    return " ".join(p for p in parts if p) or "0 s"


def _outside_period(frame: pd.DataFrame, kind: RecordKind, period: tuple[int, int, str]) -> list[Issue]:
    """Records that do not belong to the chosen period: tickets opened outside it (an event log's updates
    go with their ticket, so a March ticket resolved in April keeps its April update), outages and
    maintenance windows that do not overlap it, samples taken outside it."""
    start, end, label = period
    column = {RecordKind.TICKETS: "opened_at", RecordKind.TICKET_EVENTS: "changed_at", RecordKind.OUTAGES: "start",
              RecordKind.SAMPLES: "timestamp", RecordKind.MAINTENANCE: "start"}.get(kind)
    if column is None or column not in frame:
        return []
    values = frame[column].to_numpy()
    if kind is RecordKind.TICKET_EVENTS and "ticket_id" in frame:
        known = pd.Series(np.where(values != NA_TIME, values, np.iinfo(np.int64).max))
        values = known.groupby(frame["ticket_id"].to_numpy()).transform("min").to_numpy()  # the ticket's opening
        values = np.where(values == np.iinfo(np.int64).max, NA_TIME, values)
    ends = frame["end"].to_numpy() if kind in (RecordKind.OUTAGES, RecordKind.MAINTENANCE) and "end" in frame \
        else values + 1
    ends = np.where(ends != NA_TIME, ends, values + 1)
    outside = (values != NA_TIME) & ((ends <= start) | (values >= end))
    return [(int(pos), Severity.ERROR, "outside-period", column, f"outside the chosen period {label}")
            for pos in np.flatnonzero(outside)]


_CHECKS: dict[RecordKind, Callable[[pd.DataFrame], list[Issue]]] = {
    RecordKind.TICKETS: _tickets,
    RecordKind.OUTAGES: _outages,
    RecordKind.SAMPLES: _samples,
    RecordKind.MAINTENANCE: _maintenance,
}
