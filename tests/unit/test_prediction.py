"""Reliability prediction pinned by hand: the beta-binomial update, its interval and the Brier score."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.rules.prediction import beta_cdf, beta_quantile, brier_score, predict, prior_mean


def test_maturity_sets_the_prior_between_055_and_095():
    assert prior_mean(Decimal("0")) == pytest.approx(0.55)
    assert prior_mean(Decimal("0.68")) == pytest.approx(0.822)  # maturity 3.4 -> 0.82
    assert prior_mean(Decimal("1")) == pytest.approx(0.95)


def test_history_updates_the_maturity_prior_worth_six_periods():
    p = predict([True] * 10 + [False] * 2, prior_score=Decimal("0.68"))
    # alpha = 0.822 x 6 + 10 = 14.932, beta = 0.178 x 6 + 2 = 3.068
    assert p.probability == pytest.approx(14.932 / 18)
    assert (p.met, p.periods, p.maturity_index) == (10, 12, 3.4)
    assert p.explanation == ("history 10 of 12 periods met; maturity 3.4 → prior 0.82; predicted 0.83, "
                             "90 % interval 0.67–0.95")


def test_without_an_assessment_the_prediction_is_laplaces_rule():
    p = predict([True, True, True, False], prior_score=None)
    assert p.probability == pytest.approx(4 / 6)
    assert p.explanation.startswith("history 3 of 4 periods met; no maturity assessment → uniform prior 0.50")


def test_the_interval_is_the_equal_tailed_90_percent_interval_of_the_posterior():
    none = predict([], prior_score=None)  # Beta(1, 1): uniform
    assert (none.low, none.high) == (pytest.approx(0.05), pytest.approx(0.95))
    one = predict([True], prior_score=None)  # Beta(2, 1): CDF x^2, quantile sqrt(p)
    assert (one.low, one.high) == (pytest.approx(0.05 ** 0.5), pytest.approx(0.95 ** 0.5))


def test_the_incomplete_beta_function_matches_closed_forms():
    assert beta_cdf(0.5, 1, 2) == pytest.approx(0.75)  # 1 - (1 - x)^2
    assert beta_cdf(0.5, 2, 3) == pytest.approx(11 / 16)
    assert beta_quantile(0.25, 1, 3) == pytest.approx(1 - 0.75 ** (1 / 3))


def test_more_history_narrows_the_interval_and_more_maturity_raises_the_prediction():
    short = predict([True, False] * 2, prior_score=Decimal("0.5"))
    long = predict([True, False] * 12, prior_score=Decimal("0.5"))
    assert long.high - long.low < short.high - short.low
    assert predict([True] * 3, prior_score=Decimal("0.9")).probability > predict([True] * 3,
                                                                                  prior_score=Decimal("0.3")).probability


def test_the_brier_score_is_the_mean_squared_error_of_the_probabilities():
    assert brier_score([(0.8, True), (0.3, False)]) == pytest.approx((0.04 + 0.09) / 2)
    with pytest.raises(ValueError):
        brier_score([])
