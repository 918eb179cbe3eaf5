"""Renewal alerts at the edges of their horizon, the reliability prediction's edges and fields, and the scoring
of a maturity assessment, pinned by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sltdesk.domain.questionnaires import (
    Answer,
    AnswerOption,
    AnswerScale,
    Question,
    QuestionCriticality,
    QuestionnaireTemplate,
    ScaleKind,
    Section,
    maturity_scale,
    yes_no_scale,
)
from sltdesk.domain.register import Contract, RenewalType
from sltdesk.rules.prediction import beta_cdf, brier_score, predict, prior_mean
from sltdesk.rules.renewals import RenewalAlert, renewal_alerts
from sltdesk.rules.scoring import (
    AnswerStatus,
    RedFlag,
    SectionResult,
    maturity_level,
    rate_answers,
    score_assessment,
    template_problems,
    weighted_mean,
)

D = Decimal

# --- renewals ------------------------------------------------------------------------------------------------------

TODAY = date(2026, 1, 1)  # the default 90-day horizon ends on 1 April 2026


def contract(ref: str, end: date, renewal: RenewalType, notice_days: int = 90, id: int | None = None) -> Contract:
    return Contract(ref, 1, "Managed WAN", date(2024, 1, 1), end, "GBP", D("1000"), renewal_type=renewal,
                    notice_days=notice_days, id=id)


def test_alerts_include_deadlines_and_ends_from_today_up_to_the_last_day_of_the_horizon():
    contracts = [
        contract("A-90", date(2026, 6, 30), RenewalType.EXPRESS),  # notice by 1 April: day 90 of 90
        contract("B-91", date(2026, 7, 1), RenewalType.TACIT),  # notice by 2 April: day 91, too far
        contract("C-0", date(2026, 4, 1), RenewalType.TACIT, id=7),  # notice by today, ends on day 90
        contract("D-end", date(2026, 1, 1), RenewalType.NEVER),  # ends today, never renews
        contract("E", date(2026, 4, 2), RenewalType.NEVER, id=9),  # ends on day 91
    ]
    assert renewal_alerts(contracts, today=TODAY) == [
        RenewalAlert(7, "C-0", "notice deadline", date(2026, 1, 1), 0,
                     "C-0: renews by itself on 02 Apr 2026 unless notice is given by 01 Jan 2026 (today)."),
        RenewalAlert(0, "D-end", "contract end", date(2026, 1, 1), 0, "D-end: ends on 01 Jan 2026 (0 days)."),
        RenewalAlert(0, "A-90", "notice deadline", date(2026, 4, 1), 90,
                     "A-90: ends on 30 Jun 2026 unless renewed expressly; decide by 01 Apr 2026 (90 days left)."),
    ]  # C-0 renews by itself: no "contract end" alert for it


# --- prediction ----------------------------------------------------------------------------------------------------


def test_a_maturity_score_outside_0_to_1_is_held_at_the_nearest_end():
    assert prior_mean(D("1.2")) == pytest.approx(0.95)
    assert prior_mean(D("-0.3")) == pytest.approx(0.55)


def test_a_prediction_carries_its_prior_its_interval_and_the_maturity_index_to_one_decimal():
    p = predict([True, True, True, False], prior_score=D("0.686"))
    # prior 0.55 + 0.40 x 0.686 = 0.8244; alpha = 0.8244 x 6 + 3 = 7.9464, beta = 0.1756 x 6 + 1 = 2.0536
    assert p.probability == pytest.approx(7.9464 / 10)
    assert (p.interval, p.prior_mean, p.prior_strength) == (0.90, pytest.approx(0.8244), 6.0)
    assert (p.maturity_index, p.met, p.periods) == (3.4, 3, 4)  # 5 x 0.686 = 3.43
    assert p.low < p.probability < p.high
    assert p.explanation.startswith("history 3 of 4 periods met; maturity 3.4 → prior 0.82; predicted 0.79, "
                                    "90 % interval ")


def test_without_history_or_assessment_the_prediction_is_a_coin_with_the_uniform_interval():
    p = predict([], prior_score=None)
    assert p.explanation == ("no history yet; no maturity assessment → uniform prior 0.50; predicted 0.50, "
                             "90 % interval 0.05–0.95")
    assert (p.probability, p.prior_mean, p.prior_strength, p.maturity_index) == (0.5, 0.5, 2.0, None)


def test_a_100_percent_interval_runs_from_0_to_1_even_after_a_long_run_of_met_periods():
    p = predict([True] * 60, prior_score=None, interval=1.0)  # Beta(61, 1)
    assert p.low == pytest.approx(0.0, abs=1e-12) and p.high == pytest.approx(1.0)
    assert p.probability == pytest.approx(61 / 62)


def test_the_beta_cdf_is_0_at_and_below_0_and_1_at_and_above_1():
    assert beta_cdf(0.0, 2, 3) == 0.0 and beta_cdf(-0.1, 2, 3) == 0.0
    assert beta_cdf(1.0, 2, 3) == 1.0 and beta_cdf(1.5, 2, 3) == 1.0


def test_the_beta_cdf_of_a_narrow_posterior_is_a_half_at_its_centre_and_certain_far_above_it():
    assert beta_cdf(0.5, 50, 50) == pytest.approx(0.5)  # symmetric
    assert beta_cdf(0.9, 50, 50) == pytest.approx(1.0)  # P(rate > 0.9) for Beta(50, 50) is below 1e-15


def test_a_brier_score_of_nothing_says_what_it_needs():
    with pytest.raises(ValueError, match="^a Brier score needs at least one prediction$"):
        brier_score([])


# --- scoring -------------------------------------------------------------------------------------------------------

LEVELS = maturity_scale(tuple(f"level {n}" for n in range(6)),
                        names=("Absent", "Initial", "Repeatable", "Defined", "Measured", "Optimising"))
TEMPLATE = QuestionnaireTemplate(
    name="supplier-maturity", title="Supplier maturity",
    sections=(Section("A", "Alpha", D(2)), Section("B", "Beta", D(1))),
    questions=(
        Question("A1", "A", "Incidents are logged", LEVELS, weight=D(2)),
        Question("A2", "A", "Changes are approved", yes_no_scale()),
        Question("A3", "A", "Releases are tested", yes_no_scale()),
        Question("B1", "B", "Backups are restored and tested", LEVELS, criticality=QuestionCriticality.CRITICAL),
        Question("B2", "B", "Capacity is reviewed", yes_no_scale()),
        Question("B3", "B", "Suppliers are audited", yes_no_scale()),
    ))
ANSWERS = (Answer("A1", "4"), Answer("A2", " No "), Answer("A3", "N/A"), Answer("B1", "1 – Initial"),
           Answer("B2", "Maybe"))


def test_each_section_counts_its_rated_na_and_unanswered_questions():
    alpha, beta = score_assessment(TEMPLATE, ANSWERS).sections
    # Alpha (2 x 0.8 + 1 x 0) / 3; A3 is N/A. Beta: B1 level 1 = 0.2; B2 off the scale and B3 unanswered.
    assert alpha == SectionResult("A", "Alpha", D(2), D("0.5333"), rated=2, not_applicable=1, unanswered=0, total=3)
    assert beta == SectionResult("B", "Beta", D(1), D("0.2000"), rated=1, not_applicable=0, unanswered=2, total=3)


def test_answers_are_kept_trimmed_and_a_missing_answer_is_unanswered():
    results = {r.code: r for r in rate_answers(TEMPLATE, ANSWERS)}
    assert (results["A2"].answer, results["A2"].status, results["A2"].rating) == ("No", AnswerStatus.ANSWERED, D(0))
    assert (results["B3"].answer, results["B3"].status, results["B3"].rating) == ("", AnswerStatus.UNANSWERED, None)
    assert results["B2"].status is AnswerStatus.INVALID


def test_a_red_flag_names_the_question_the_answer_and_the_rating():
    assert score_assessment(TEMPLATE, ANSWERS).red_flags == (RedFlag(
        "B1", "Backups are restored and tested", "1 – Initial",
        "critical question answered '1 – Initial' (rating 0.20)"),)


def test_an_assessment_with_nothing_answered_is_not_rated():
    card = score_assessment(TEMPLATE, ())
    assert (card.overall, card.level, card.level_name) == (None, None, "not rated")


def test_a_score_below_zero_is_still_the_first_level():
    assert maturity_level(D("-0.1")) == (1, "Initial")


def test_a_weighted_mean_of_nothing_or_of_zero_weights_is_none():
    assert weighted_mean([]) is None
    assert weighted_mean([(D(0), D("0.8")), (D(0), D("0.4"))]) is None
    assert weighted_mean([(D(1), D("0.8")), (D(3), D("0.4"))]) == D("0.5")


def test_a_template_without_a_name_or_questions_is_told_what_is_missing():
    assert template_problems(QuestionnaireTemplate(name="  ", title="T", sections=(), questions=())) == [
        "The template needs a name.", "The template has no questions."]


def test_repeated_question_ids_are_listed_five_at_most():
    questions = tuple(Question(code, "A", "q", yes_no_scale()) for code in "ABCDEF" * 2)
    template = QuestionnaireTemplate(name="t", title="T", sections=(Section("A", "Alpha"),), questions=questions)
    assert template_problems(template) == ["Question ids must be unique; repeated: A, B, C, D, E."]


def test_a_question_needs_an_option_with_a_score_and_scores_within_0_and_1():
    only_na = AnswerScale(ScaleKind.CUSTOM, (AnswerOption("N/A", None),))
    too_high = AnswerScale(ScaleKind.CUSTOM, (AnswerOption("Always", D("1.01")), AnswerOption("Never", D(0))))
    edges = AnswerScale(ScaleKind.CUSTOM, (AnswerOption("Always", D(1)), AnswerOption("Never", D(0))))
    template = QuestionnaireTemplate(name="t", title="T", sections=(Section("A", "Alpha"),), questions=(
        Question("Q1", "A", "q1", only_na), Question("Q2", "A", "q2", too_high), Question("Q3", "A", "q3", edges)))
    assert template_problems(template) == ["Question Q1 has no option with a score.",
                                           "Question Q2 has an option scored outside 0..1."]
