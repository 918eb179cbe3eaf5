"""Checking a figure against a ratio worked out by hand, exactly (fractions, never floats)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

# A figure is carried to 50 significant digits (sltdesk.domain.figures); closer than this it is the ratio.
TOLERANCE = Fraction(1, 10**45)


def exactly(value: Decimal | str | None, numerator: int, denominator: int, *, scale: int = 100) -> bool:
    """Whether `value` is numerator × scale / denominator (a percentage unless `scale` says otherwise)."""
    if value is None:
        return False
    return abs(Fraction(Decimal(value)) - Fraction(numerator * scale, denominator)) < TOLERANCE
