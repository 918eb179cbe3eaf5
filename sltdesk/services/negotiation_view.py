"""A negotiation as written: the texts the command line, the Negotiation panel and the brief all show, built once
from the Negotiation, so the screen, the paper and `--json` agree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sltdesk.domain.figures import shown_with_unit
from sltdesk.domain.money import format_money
from sltdesk.services.negotiation import Candidate, Negotiation

MARK = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


@dataclass(frozen=True)
class BriefView:
    title: str
    subtitle: str
    distribution: tuple[tuple[str, str], ...]  # (name, figure as written)
    candidate_headers: tuple[str, ...]
    candidate_rows: tuple[tuple[str, ...], ...]
    month_headers: tuple[str, ...]
    month_rows: tuple[tuple[str, ...], ...]
    suggestion: str  # "≥ 99.90 %"
    rule: str
    trend: str
    notes: tuple[str, ...]


def figure(n: Negotiation, value: Decimal) -> str:
    """A figure as written: on its side of the contractual threshold."""
    return shown_with_unit(value, n.unit, (n.threshold,), pad=True)


def threshold_text(n: Negotiation, value: Decimal) -> str:
    return f"{MARK.get(n.comparison.value, n.comparison.value)} {value.normalize():f} {n.unit}".rstrip()


def candidate_name(n: Negotiation, c: Candidate) -> str:
    return threshold_text(n, c.threshold) + (f" ({c.label})" if c.label else "")


def money(n: Negotiation, amount: Decimal) -> str:
    return format_money(amount, n.currency).split(" ", 1)[1]


def candidate_row(n: Negotiation, c: Candidate) -> tuple[str, ...]:
    return (candidate_name(n, c), f"{c.missed} of {len(c.per_period)}", money(n, c.total), money(n, c.average))


def brief_view(n: Negotiation) -> BriefView:
    d = n.distribution
    months = len(d.months)
    shown = rows_of(n)
    return BriefView(
        title=f"{n.contract} — {n.target}: negotiating the threshold",
        subtitle=(f"Contractual threshold {threshold_text(n, n.threshold)}; {months} complete periods, "
                  f"{d.months[0]} to {d.months[-1]}; as of {n.as_of.isoformat()}."),
        distribution=(("Median", figure(n, d.median)), ("10th percentile", figure(n, d.p10)),
                      ("90th percentile", figure(n, d.p90)),
                      ("Worst month", f"{figure(n, d.worst)} ({d.worst_month})")),
        candidate_headers=("Threshold", "Missed", f"Total ({n.currency})", "Per month (average)"),
        candidate_rows=tuple(candidate_row(n, c) for c in shown),
        month_headers=("Month", "Figure", *(threshold_text(n, c.threshold) for c in shown)),
        month_rows=tuple((p, figure(n, v), *(money(n, c.per_period[i][1]) for c in shown))
                         for i, (p, v) in enumerate(zip(d.months, d.figures, strict=True))),
        suggestion=threshold_text(n, n.suggestion.threshold),
        rule=n.suggestion.rule, trend=d.trend.text, notes=n.notes)


def rows_of(n: Negotiation) -> list[Candidate]:
    """The candidates a view lists: the current threshold, the asked ones, and the suggestion."""
    shown = [n.current, *(c for c in n.candidates if c.threshold != n.current.threshold)]
    if all(c.threshold != n.suggested.threshold for c in shown):
        shown.append(n.suggested)
    return shown
