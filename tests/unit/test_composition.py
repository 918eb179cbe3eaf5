"""Composition of supplier commitments, pinned to hand calculations."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sltdesk.domain.mapping import CompositionRule
from sltdesk.domain.register import Comparison
from sltdesk.rules.composition import compose, convert, guaranteed, required_allocation, shortfall

PRODUCT, BUDGET, ERROR, WEIGHTED = (CompositionRule.PRODUCT, CompositionRule.BUDGET, CompositionRule.ERROR,
                                    CompositionRule.WEIGHTED)
AT_LEAST, AT_MOST = Comparison.AT_LEAST, Comparison.AT_MOST


def test_serial_availabilities_multiply():
    # 0.9995 × 0.999 = 0.9985005
    assert compose(PRODUCT, [[D("99.95")], [D("99.9")]]) == D("99.85005")


def test_three_serial_components_at_99_9_give_99_7002999_rounded_down():
    # 0.999³ = 0.997002999; six places, rounded against the supplier
    exact = compose(PRODUCT, [[D("99.9")]] * 3)
    assert exact == D("99.7002999")
    assert guaranteed(exact, AT_LEAST) == D("99.700299")


def test_the_demo_web_shop_chain_falls_short_of_99_9_by_0_209671():
    # 0.999 × 0.999 × 0.9999 × 0.999 = 0.9969032987001
    exact = compose(PRODUCT, [[D("99.9")], [D("99.9")], [D("99.99")], [D("99.9")]])
    assert guaranteed(exact, AT_LEAST) == D("99.690329")
    assert shortfall(AT_LEAST, D("99.9"), D("99.690329")) == D("0.209671")


def test_parallel_redundancy_is_one_minus_the_product_of_the_downtimes():
    # 1 − 0.01 × 0.01 = 0.9999
    assert compose(PRODUCT, [[D("99"), D("99")]]) == D("99.99")


def test_a_mixed_chain_multiplies_a_redundant_stage_with_a_serial_one():
    # (1 − 0.001 × 0.005) × 0.9999 = 0.999995 × 0.9999 = 0.9998950005
    exact = compose(PRODUCT, [[D("99.9"), D("99.5")], [D("99.99")]])
    assert exact == D("99.98950005")
    assert guaranteed(exact, AT_LEAST) == D("99.9895")


def test_a_redundant_branch_without_commitment_adds_nothing_but_an_empty_stage_leaves_it_open():
    assert compose(PRODUCT, [[D("99.9"), None]]) == D("99.9")
    assert compose(PRODUCT, [[None, None], [D("99.9")]]) is None
    assert compose(PRODUCT, [[D("99.9")], [None]]) is None


def test_latency_budgets_add_along_the_serial_path_and_take_the_slowest_parallel_branch():
    # 35 ms + max(800 ms, 650 ms) + 0.12 s = 35 + 800 + 120 = 955 ms
    stages = [[D(35)], [D(800), D(650)], [convert(D("0.12"), "s", "ms")]]
    assert compose(BUDGET, stages) == D(955)
    assert compose(BUDGET, [[D(30)], [None]]) is None


def test_cycle_time_budgets_convert_between_units_and_refuse_percentages():
    assert convert(D(30), "h", "min") == D(1800)
    assert convert(D(90), "min", "h") == D("1.5")
    assert convert(D(99), "%", "ms") is None
    # courier 30 h + warehouse 18 h against a 48 h order cycle time: exactly on budget
    assert shortfall(AT_MOST, D(48), compose(BUDGET, [[D(18)], [D(30)]])) == 0
    assert shortfall(AT_MOST, D(48), compose(BUDGET, [[D(20)], [D(30)]])) == D(2)


def test_serial_error_rates_combine_as_one_minus_the_product_of_the_successes():
    # 1 − 0.995 × 0.999 = 1 − 0.994005 = 0.005995 → 0.5995 %
    assert compose(ERROR, [[D("0.5")], [D("0.1")]]) == D("0.5995")
    # redundant branches fail together only: 0.02 × 0.05 = 0.001 → 0.1 %
    assert compose(ERROR, [[D("2"), D("5")]]) == D("0.1")


def test_a_composite_score_is_the_weighted_average():
    # 0.7 × 90 + 0.3 × 85 = 88.5
    assert compose(WEIGHTED, [[D(90)], [D(85)]], [[D("0.7")], [D("0.3")]]) == D("88.5")
    assert shortfall(AT_LEAST, D(90), D("88.5")) == D("1.5")


def test_three_serial_components_need_99_9667_each_for_99_9():
    # 0.999^(1/3) = 0.99966655549…, rounded up so the rounded figure still composes to 99.9 %
    required = required_allocation(PRODUCT, threshold=D("99.9"), comparison=AT_LEAST, stage_sizes=[1, 1, 1])
    assert required == [D("99.966656")] * 3
    assert round(required[0], 4) == D("99.9667")
    assert compose(PRODUCT, [[r] for r in required]) >= D("99.9")


def test_redundant_branches_need_far_less_than_a_serial_component():
    # stage share √0.999 = 0.99949987…; each of two branches: 1 − √(1 − 0.99949987…) = 0.97763652…
    required = required_allocation(PRODUCT, threshold=D("99.9"), comparison=AT_LEAST, stage_sizes=[1, 2])
    assert required == [D("99.949988"), D("97.763653")]


def test_budgets_and_error_rates_are_shared_equally_and_rounded_down():
    assert required_allocation(BUDGET, threshold=D(48), comparison=AT_MOST, stage_sizes=[1, 2]) == [D(24), D(24)]
    assert required_allocation(BUDGET, threshold=D(100), comparison=AT_MOST, stage_sizes=[1, 1, 1]) == \
        [D("33.333333")] * 3
    # 1 − √0.99 = 1 − 0.99498743710… = 0.0050125628… → 0.501256 %
    assert required_allocation(ERROR, threshold=D(1), comparison=AT_MOST, stage_sizes=[1, 1]) == \
        [D("0.501256")] * 2
    assert required_allocation(WEIGHTED, threshold=D(90), comparison=AT_LEAST, stage_sizes=[1, 1]) == [D(90)] * 2


def test_a_met_target_has_no_shortfall():
    assert shortfall(AT_LEAST, D("99.8"), D("99.8001")) == 0
    assert shortfall(AT_MOST, D("0.6"), D("0.5")) == 0


@pytest.mark.parametrize("sizes", [[1], [1, 1], [1, 1, 1, 1], [2, 1], [1, 3, 1]])
def test_the_required_allocation_always_composes_to_at_least_the_target(sizes):
    required = required_allocation(PRODUCT, threshold=D("99.95"), comparison=AT_LEAST, stage_sizes=sizes)
    assert compose(PRODUCT, [[r] * k for r, k in zip(required, sizes, strict=True)]) >= D("99.95")


@given(st.lists(st.decimals(min_value=90, max_value=100, places=3), min_size=1, max_size=5))
def test_a_serial_chain_is_never_better_than_its_weakest_component(figures):
    assert compose(PRODUCT, [[f] for f in figures]) <= min(figures)
