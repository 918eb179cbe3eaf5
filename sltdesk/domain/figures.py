"""Exact figures, and how they are written so that what is shown never contradicts the verdict.

An attainment figure is carried exactly: a ratio of integer counts (or of integer seconds) divided in a
50-digit context. That is exact for every comparison the product makes: a bound has at most a few
decimals, so a figure that differs from it differs by at least 1 / (denominator × 10^decimals), far above
the 10^-48 the division can be off by; and a figure equal to a bound terminates within those digits, so the
division gives it exactly. Nothing is rounded before it is compared with a target, a credit band, a bonus
band or a minimum level. Rounding happens only when a figure is written, and then with as many decimals as
it takes for the written figure not to land on an edge the exact figure is not on: 260 s down in a 30-day
month is 99.989969…, written 99.98997 (not 99.9900, which would read as "met" against "< 99.99").
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal

EXACT = Context(prec=50, rounding=ROUND_HALF_EVEN)
MAX_PLACES = 12  # beyond this a figure is written in full


def ratio(numerator: int | Decimal, denominator: int | Decimal, *, scale: int = 1) -> Decimal | None:
    """numerator × scale / denominator in the exact context; None when there is nothing to divide by."""
    if not denominator:
        return None
    return EXACT.divide(EXACT.multiply(Decimal(numerator), Decimal(scale)), Decimal(denominator))


def percent(good: int | Decimal, total: int | Decimal) -> Decimal | None:
    """good / total as an exact percentage (see the module's docstring); None when there is nothing to count."""
    return ratio(good, total, scale=100)


def places_for(unit: str) -> int:
    """The decimals a figure of this unit is written with at least: 4 for percentages, 2 otherwise."""
    return 4 if unit.strip() == "%" else 2


def rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=EXACT)


def shown(value: Decimal | None, edges: Iterable[Decimal | None] = (), *, places: int = 4, pad: bool = True) -> str:
    """`value` with `places` decimals, or more where fewer would put it on another side of an edge.

    The written figure compares with every edge (a threshold, a band's bound) as the exact one does:
    below, equal or above. 99.989969… against 99.99 is written 99.98997, never 99.9900. Without `pad`,
    a figure that already has no more than `places` decimals is written as it is (98.5, not 98.5000).
    """
    if value is None:
        return "—"
    if not pad and value == rounded(value, places):  # short enough already: as it is (98.5, 99.90, 100)
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)  # finite: it equals its rounding
        return format(value, "f") if exponent <= 0 else format(value.quantize(Decimal(1)), "f")
    digits = decimals_needed(value, edges, places=places)
    return format(rounded(value, digits), "f") if digits <= MAX_PLACES else format(value.normalize(EXACT), "f")


def decimals_needed(value: Decimal, edges: Iterable[Decimal | None] = (), *, places: int = 4) -> int:
    """The fewest decimals (at least `places`) that keep `value` on its side of every edge once rounded;
    more than MAX_PLACES when none up to it do."""
    marks = [Decimal(e) for e in edges if e is not None]
    digits = places
    while digits <= MAX_PLACES:
        candidate = rounded(value, digits)
        if all(candidate.compare(e) == value.compare(e) for e in marks):
            return digits
        digits += 1
    return digits


def decimals_for_any_edge(value: Decimal, *, places: int = 4) -> int:
    """Decimals that keep `value` on its side of every number with fewer than `places` decimals, i.e. of
    any edge a contract writes (99.99, 99.5, 95): for a table that does not know the row's edges."""
    return decimals_needed(value, (rounded(value, places - 1),), places=places)


def shown_with_unit(value: Decimal | None, unit: str, edges: Iterable[Decimal | None] = (), *,
                    pad: bool = True) -> str:
    """'99.98997 %', '31.25 ms', or '—' when there is no figure."""
    if value is None:
        return "—"
    return f"{shown(value, edges, places=places_for(unit), pad=pad)} {unit}".rstrip()


def signed(value: Decimal | None, *, places: int = 4) -> str:
    """A difference written with its sign and the same decimals as the figures ('+30.3333', '-0.0012');
    one that is not zero is never written as zero."""
    if value is None:
        return ""
    text = shown(value, (Decimal(0),), places=places)
    return text if text.startswith("-") or not value else f"+{text}"


def figure_text(value: Decimal | None, threshold: Decimal | None, unit: str, *, places: int | None = None) -> str:
    """An attainment figure in a table that does not know the clause's band edges: on its side of the threshold
    and of every edge a contract writes (a number with fewer decimals than shown: 99.99, 99.5, 95)."""
    if value is None:
        return "—"
    places = places_for(unit) if places is None else places
    return shown(value, (threshold, rounded(value, places - 1) if places > 0 else None), places=places)
