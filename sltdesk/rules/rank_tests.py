"""The Mann–Whitney U test, exact and two-sided, in pure Python (scipy is not a runtime dependency).

Approach: pool both samples, rank them (tied values share the mean of their ranks, the mid-rank), and count,
for every way of choosing which `len(x)` of the pooled observations belong to the first sample, the rank sum
it would give. The counts come from the standard recurrence, one observation at a time:

    N(k, s) over the first i observations = N(k, s) over the first i-1  +  N(k-1, s - rank_i) over the first i-1

(take the i-th observation into the first sample or leave it out). Ranks are doubled so that mid-ranks stay
whole numbers and the counts stay exact integers. Without ties this is the classic distribution of U (the
one `scipy.stats.mannwhitneyu(..., method="exact")` uses). With ties, scipy's exact method ignores them; we
count under the tie pattern actually observed instead (the permutation distribution of the mid-rank sum), so
the p-value stays exact and the test keeps its size. That distribution need not be symmetric, so the two-sided
p is twice the smaller tail, at most 1 — which is also scipy's definition when there are no ties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

MAX_POOLED = 400  # the counts grow as n1 × n2 × N; a few hundred observations take well under a second


@dataclass(frozen=True)
class MannWhitney:
    """The outcome of one exact two-sided test of x against y."""

    u_x: float  # U of the first sample: pairs (a in x, b in y) with a > b, ties counted one half
    u_y: float  # n_x × n_y − u_x
    p: float  # exact two-sided p-value
    n_x: int
    n_y: int
    ties: bool  # some values were tied: the exact distribution is the one under that tie pattern

    @property
    def n(self) -> int:
        return self.n_x + self.n_y

    @property
    def y_tends_higher(self) -> bool:
        """The second sample tends to take the larger values (more pairs with y above x than below)."""
        return self.u_y > self.u_x


def mid_ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..N of the values, ties given the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def rank_sum_counts(doubled_ranks: Sequence[int], size: int) -> dict[int, int]:
    """How many ways `size` of the observations can be chosen with each (doubled) rank sum."""
    counts: list[dict[int, int]] = [{0: 1}] + [{} for _ in range(size)]
    for rank in doubled_ranks:
        for k in range(size, 0, -1):  # downwards: each observation is taken at most once
            below, here = counts[k - 1], counts[k]
            for total, ways in below.items():
                here[total + rank] = here.get(total + rank, 0) + ways
    return counts[size]


def mann_whitney_exact(x: Sequence[float], y: Sequence[float]) -> MannWhitney:
    """The exact two-sided Mann–Whitney U test of x against y (each at least one value)."""
    if not x or not y:
        raise ValueError("each sample needs at least one value")
    if len(x) + len(y) > MAX_POOLED:
        raise ValueError(f"an exact test takes at most {MAX_POOLED} values in all")
    pooled = [float(v) for v in (*x, *y)]
    doubled = [round(2 * r) for r in mid_ranks(pooled)]
    n_x, n_y = len(x), len(y)
    observed = sum(doubled[:n_x])
    counts = rank_sum_counts(doubled, n_x)
    total = sum(counts.values())
    below = sum(w for s, w in counts.items() if s <= observed)
    above = sum(w for s, w in counts.items() if s >= observed)
    p = min(Fraction(1), 2 * Fraction(min(below, above), total))
    u_x = observed / 2 - n_x * (n_x + 1) / 2
    return MannWhitney(u_x, n_x * n_y - u_x, float(p), n_x, n_y, len(set(pooled)) < len(pooled))
