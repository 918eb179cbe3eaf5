"""How the Verification page words a result: our figure, the threshold's symbol, a cell's tooltip, the summary
line over the grid. The states, markers and counts come from sltdesk.services.verification."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.figures import figure_text as figure
from sltdesk.domain.figures import places_for, signed
from sltdesk.domain.register import Comparison
from sltdesk.services.verification import Computation


def figure_text(value: Decimal | None, result: AttainmentResult) -> str:
    """Our figure with one more decimal than the threshold (at least two for %): 99.998 against 99.95;
    more where that would not do (99.98997 against 99.99, never 99.990)."""
    if value is None:
        return "–"
    exponent = result.threshold.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite threshold
    places = max(-exponent, 0) + 1
    places = max(places, 2) if result.unit == "%" else places
    text = figure(value, result.threshold, result.unit, places=places)  # more where fewer would cross an edge
    return text if result.unit == "%" else f"{text} {result.unit}"


def symbol(comparison: Comparison) -> str:
    """'≥' for '>=': how the threshold reads."""
    return {Comparison.AT_LEAST: "≥", Comparison.AT_MOST: "≤"}.get(comparison, comparison.value)


def met_text(met: bool | None) -> str:
    return "–" if met is None else "met" if met else "missed"


def tooltip(result: AttainmentResult) -> str:
    """Ours against the vendor's, the difference, and how ours was computed."""
    lines = [f"{result.target} · {result.period}",
             f"Ours: {figure_text(result.achieved, result)} ({met_text(result.met)}; "
             f"target {symbol(result.comparison)} {result.threshold:f} {result.unit})"]
    if result.threshold_note:
        lines.append(result.threshold_note.capitalize())
    if result.tier is not None:  # the service level's core-hours tier: one term, two verdicts
        tier = result.tier
        lines.append(f"{tier.target}: {figure_text(tier.achieved, tier)} ({met_text(tier.met)}; target "
                     f"{symbol(tier.comparison)} {tier.threshold:f} {tier.unit}); the clause prices "
                     f"{'the worse of the two tiers' if result.tier_pricing == 'worse' else 'each tier separately'}")
    if result.reported is not None:
        lines.append(f"Vendor reported: {result.reported:f} ({met_text(result.reported_met)})")
    if result.difference is not None:
        lines.append(f"Difference (vendor − ours): {signed(result.difference, places=places_for(result.unit))} points")
    if result.met_flips:
        lines.append("⚠ 'met' flips: the vendor's verdict is not ours")
    lines.append(result.explanation)
    if result.error_budget:
        lines.append(f"Error budget: {result.error_budget}")
    return "\n".join(lines)


def summary_text(computation: Computation, seconds: float) -> str:
    """One line over the grid: how many misses, near-misses and flips, and how long computing them took."""
    tally = computation.tally()
    targets, months = len(computation.targets), len(computation.periods)
    return (f"{computation.contract.ref}: {targets} target{'s' * (targets != 1)} × {months} "
            f"month{'s' * (months != 1)}, "
            f"from the raw data (stored results where current) in {seconds:.1f} s — {tally.missed} missed, "
            f"{tally.at_risk} at risk, {tally.flips} where the vendor's “met” flips. "
            "Hover a cell for ours against the vendor's figure; select it for the evidence.")
