"""Matching the vendor's self-reported lines to our contract targets."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.period import Period
from sltdesk.domain.raw_records import RawReportLine
from sltdesk.domain.register import ContractTarget

if TYPE_CHECKING:
    import pandas as pd  # the measurement's frame; reading stored results imports no pandas

_WORD = re.compile(r"[a-z0-9]+")
_NOISE = {"within", "of", "the", "for", "in", "h", "min", "minutes", "hours", "sl", "sla", "target", "x", "24x7",
          "service", "level", "incidents", "tickets", "p"}


def words(text: str) -> set[str]:
    found = set(_WORD.findall(str(text).lower()))
    return {w for w in found if w not in _NOISE and not re.fullmatch(r"sl\d+", w)}


class ReportLines:
    """A contract's vendor-report lines grouped by period once (each figure of a run looks up its own period
    instead of filtering the whole frame: at ten contracts' worth of targets the filter was a third of a full
    recompute): from the measurement's frame, or from the stored records themselves (reading stored results lays
    the vendor's figures over them without pandas doing anything)."""

    def __init__(self, reports: pd.DataFrame | Iterable[RawReportLine]):
        # a frame's rows as match_report has always read them, or each record as a dict of the values a frame holds
        lines: Iterable[Any] = ((line for _, line in reports.iterrows()) if hasattr(reports, "iterrows")
                                else (record._asdict() for record in reports))
        self.by_period: dict[str | None, list[Any]] = {}  # period -> lines
        for line in lines:
            self.by_period.setdefault(line["period"], []).append(line)


def match_report(reports: pd.DataFrame | ReportLines, target: ContractTarget, rule: MeasurementRule | None,
                 period: str) -> tuple[Decimal | None, bool | None]:
    """The vendor's figure and 'met' for this target and period, or (None, None) when not reported."""
    grouped = reports if isinstance(reports, ReportLines) else ReportLines(reports)
    lines = grouped.by_period.get(Period.parse(period).label, [])
    if not lines:
        return None, None
    best, best_score = None, 0.0
    ours = words(rule.report_name if rule and rule.report_name else target.name)
    for line in lines:
        if rule and rule.report_name:
            score = 10.0 if words(line["target_name"]) == ours else 0.0
        else:
            theirs = words(line["target_name"])
            priorities = {w for w in ours | theirs if re.fullmatch(r"p\d", w)}
            if priorities and not priorities <= (ours & theirs):
                continue  # a P1 line never stands for a P2 target
            score = len(ours & theirs) + (0.5 if _same_value(line["target_value"], target.threshold) else 0)
        if score > best_score:
            best, best_score = line, score
    if best is None or best_score < 1:
        return None, None
    met = None if _missing(best["met"]) else bool(best["met"])
    return Decimal(str(best["achieved"])), met


def _missing(value: object) -> bool:
    """No value: None, or the NaN a frame may hold for it."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _same_value(value, threshold: Decimal) -> bool:
    try:
        return Decimal(str(value)) == threshold
    except ArithmeticError:
        return False
