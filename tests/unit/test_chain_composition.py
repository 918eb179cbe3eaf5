"""Composition edge cases: empty chains, missing branches of error and weighted chains, rounding direction."""

from __future__ import annotations

from decimal import Decimal as D

from sltdesk.domain.mapping import CompositionRule
from sltdesk.domain.register import Comparison
from sltdesk.rules.composition import compose, guaranteed, weakest

PRODUCT, ERROR, WEIGHTED = CompositionRule.PRODUCT, CompositionRule.ERROR, CompositionRule.WEIGHTED
AT_LEAST, AT_MOST = Comparison.AT_LEAST, Comparison.AT_MOST


def test_a_chain_without_stages_has_no_composed_figure():
    assert compose(PRODUCT, []) is None
    assert compose(PRODUCT, [[D("99.9")], []]) is None


def test_an_error_branch_without_a_commitment_fails_every_request_it_gets():
    # the redundant branch counts as 100 % failing: 2 % × 100 % = 2 %
    assert compose(ERROR, [[D("2"), None]]) == D("2")
    assert compose(ERROR, [[None], [D("0.5")]]) is None  # a stage with no commitment at all leaves it open


def test_a_weighted_average_without_weights_weighs_every_component_equally():
    # (90 + 80 + 85) / 3 = 85
    assert compose(WEIGHTED, [[D(90)], [D(80), D(85)]]) == D(85)


def test_a_weighted_average_is_open_when_a_figure_is_missing_or_the_weights_do_not_fit():
    assert compose(WEIGHTED, [[D(90)], [None]], [[D(1)], [D(1)]]) is None
    assert compose(WEIGHTED, [[D(90)], [D(85)]], [[D(1)]]) is None  # one weight for two figures
    assert compose(WEIGHTED, [[D(90)], [D(85)]], [[D(0)], [D(0)]]) is None  # nothing to divide by
    # the smallest positive total still divides: (90 × 0.01 + 85 × 0) / 0.01 = 90
    assert compose(WEIGHTED, [[D(90)], [D(85)]], [[D("0.01")], [D(0)]]) == D(90)


def test_a_composed_at_most_figure_is_rounded_up_and_an_at_least_figure_down():
    assert guaranteed(D("0.5995001"), AT_MOST) == D("0.599501")
    assert guaranteed(D("0.5995001"), AT_LEAST) == D("0.5995")
    assert guaranteed(D("0.5995"), AT_MOST) == D("0.5995")  # already six places: unchanged


def test_the_weakest_commitment_is_the_lowest_floor_or_the_highest_ceiling():
    assert weakest([D("99.95"), D("99.9"), D("99.99")], AT_LEAST) == D("99.9")
    assert weakest([D(800), D(2000), D(650)], AT_MOST) == D(2000)
