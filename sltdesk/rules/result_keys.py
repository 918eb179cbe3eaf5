"""The fingerprint a stored result is kept under, and a result as plain JSON and back.

A target's figure for a period (an AttainmentResult) is a function of its inputs; the fingerprint is a hash of
exactly those inputs, so a stored result is used only while every one of them is what it was when the result
was computed. Nothing has to remember to invalidate anything: an import, an edit, an approval or a mark changes
an input, and the fingerprint with it. The inputs (sltdesk/services/result_cache.py gathers them):

- the code: a hash of the source of the modules that measure (`code_version`);
- the contract's term, the target, its measurement rule and its calendar, and the holiday data's version;
- the approved or pending force-majeure exceptions that may apply to the target;
- the approved or pending false positives that may apply to the target;
- the periods marked complete as imported that overlap the period;
- the kinds of data ever imported for the contract (the first outage file changes what every period says),
  credit notes aside: they never enter a figure;
- every import batch of the contract that may reach into the period (`reaches`): its id, kind, content hash,
  record count and the span of time its records cover;
- when the result is judged: a period over by then is judged the same at any later instant (`judged_when`);
  one still running depends on the exact instant.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sltdesk.domain.attainment import AttainmentResult, Exclusion
from sltdesk.domain.raw_records import BatchReach
from sltdesk.domain.register import Comparison, MetricKind

# Batches of these kinds are read whole by every period: a ticket's clock runs across periods, and an event of
# April can pause a ticket opened in March.
WHOLE_KINDS = frozenset({"tickets", "ticket-events"})
# Batches of these kinds enter no measured figure, so no fingerprint: credit notes (the reconciliation reads them),
# and the vendor's own reports, whose figures are laid over the results as they are read
# (sltdesk/services/result_cache.py: `with_reports`), so importing one leaves every stored result current.
NO_FIGURE_KINDS = frozenset({"credit-notes", "vendor-report"})
# The records of one period can be read against a neighbouring day (a local period in another zone, a sample
# interval straddling midnight): a batch reaching within a day of the period counts for it.
MARGIN = 86_400


def reaches(batch: BatchReach, start: int, end: int) -> bool:
    """Whether the batch's records may count for the period [start, end) (UTC seconds)."""
    if batch.kind in NO_FIGURE_KINDS:
        return False
    if batch.kind in WHOLE_KINDS or batch.first is None or batch.last is None:
        return True
    return batch.first < end + MARGIN and batch.last > start - MARGIN


def judged_when(period_end: int, as_of: int) -> str:
    """The part of the key that depends on when the result is judged."""
    return "over" if as_of >= period_end else f"running at {as_of}"


def fingerprint(parts: dict[str, Any]) -> str:
    """A SHA-256 of the inputs, written as canonical JSON (sorted keys; Decimals and dates as text)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def batch_parts(batches: Iterable[BatchReach], start: int, end: int) -> list[list]:
    return sorted([b.batch_id, b.kind, b.sha256, b.records, b.first, b.last, b.imported_at, b.stored_bytes]
                  for b in batches if reaches(b, start, end))


def run_keys(common: dict[str, Any], per_period: Sequence[Sequence[str]]) -> list[str]:
    """One key per period of a credit run: the common inputs (the contract, its clauses, the code) and the
    figures of that period and every earlier one of the run (a credit may count earlier misses, never later
    ones). A change in period k changes the keys of k and after, not before."""
    digest = hashlib.sha256(json.dumps(common, sort_keys=True, separators=(",", ":"), default=str).encode())
    keys = []
    for figures in per_period:
        for text in figures:
            digest.update(text.encode())
        keys.append(digest.copy().hexdigest())
    return keys


def code_version(files: Sequence[Path]) -> str:
    """A hash of the source of the modules that compute a figure: results stored by other code are not used."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- a result as JSON and back --------------------------------------------------------------------------


def encode(result: AttainmentResult) -> str:
    """The result as JSON text; `decode` gives back an equal result."""
    return json.dumps(_plain(result), separators=(",", ":"))


def _plain(result: AttainmentResult) -> dict[str, Any]:
    return {
        "contract_id": result.contract_id, "contract_ref": result.contract_ref, "target_id": result.target_id,
        "target": result.target, "metric": result.metric.value, "period": result.period,
        "threshold": str(result.threshold), "comparison": result.comparison.value, "unit": result.unit,
        "achieved": _text(result.achieved), "met": result.met,
        "counts": {k: ["i", v] if isinstance(v, int) else ["d", str(v)] for k, v in result.counts.items()},
        "exclusions": [[e.reason, e.kind, str(e.minutes), e.tickets, e.reference] for e in result.exclusions],
        "reported": _text(result.reported), "reported_met": result.reported_met,
        "explanation": result.explanation, "error_budget": result.error_budget,
        "unrounded": _text(result.unrounded), "rounding_rule": result.rounding_rule,
        "completeness": result.completeness, "coverage": result.coverage, "warnings": list(result.warnings),
        "threshold_note": result.threshold_note, "tier_pricing": result.tier_pricing,
        "tier": None if result.tier is None else _plain(result.tier),
    }


def decode(text: str) -> AttainmentResult:
    return _result(json.loads(text))


def _result(d: dict[str, Any]) -> AttainmentResult:
    return AttainmentResult(
        contract_id=d["contract_id"], contract_ref=d["contract_ref"], target_id=d["target_id"], target=d["target"],
        metric=MetricKind(d["metric"]), period=d["period"], threshold=Decimal(d["threshold"]),
        comparison=Comparison(d["comparison"]), unit=d["unit"], achieved=_number(d["achieved"]), met=d["met"],
        counts={k: int(v) if tag == "i" else Decimal(v) for k, (tag, v) in d["counts"].items()},
        exclusions=tuple(Exclusion(reason, kind, Decimal(minutes), tickets, reference)
                         for reason, kind, minutes, tickets, reference in d["exclusions"]),
        reported=_number(d["reported"]), reported_met=d["reported_met"], explanation=d["explanation"],
        error_budget=d["error_budget"], unrounded=_number(d["unrounded"]), rounding_rule=d["rounding_rule"],
        completeness=d["completeness"], coverage=d["coverage"], warnings=tuple(d["warnings"]),
        threshold_note=d.get("threshold_note", ""), tier_pricing=d.get("tier_pricing", ""),
        tier=None if d.get("tier") is None else _result(d["tier"]))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
