"""Scoring pinned by hand: weights, N/A left out, red flags, level thresholds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sltdesk.domain.questionnaires import (
    Answer,
    Question,
    QuestionCriticality,
    QuestionnaireTemplate,
    Section,
    maturity_scale,
    yes_no_scale,
)
from sltdesk.rules.scoring import AnswerStatus, maturity_level, score_assessment, template_problems

LEVELS = maturity_scale(tuple(f"level {n}" for n in range(6)),
                        names=("Absent", "Initial", "Repeatable", "Defined", "Measured", "Optimising"))


def _template(a2_criticality=QuestionCriticality.STANDARD) -> QuestionnaireTemplate:
    return QuestionnaireTemplate(
        name="t", title="T",
        sections=(Section("A", "Alpha", Decimal(2)), Section("B", "Beta", Decimal(1))),
        questions=(
            Question("A1", "A", "a1", LEVELS, weight=Decimal(2)),
            Question("A2", "A", "a2", yes_no_scale(), criticality=a2_criticality),
            Question("A3", "A", "a3", yes_no_scale()),
            Question("B1", "B", "b1", LEVELS, criticality=QuestionCriticality.CRITICAL),
            Question("B2", "B", "b2", yes_no_scale(), weight=Decimal(3)),
        ))


ANSWERS = (Answer("A1", "4"), Answer("A2", "No"), Answer("A3", "N/A"), Answer("B1", "1 – Initial"))


def test_sections_are_weighted_means_of_their_rated_questions_and_overall_of_the_sections():
    card = score_assessment(_template(), ANSWERS)
    alpha, beta = card.sections
    assert alpha.score == Decimal("0.5333")  # (2 x 0.8 + 1 x 0) / 3; A3 is N/A and leaves the denominator
    assert beta.score == Decimal("0.2000")  # B1 level 1 = 0.2; B2 unanswered and left out
    assert card.overall == Decimal("0.4222")  # (2 x 0.53333 + 1 x 0.2) / 3
    assert (card.level, card.level_name, card.maturity_index) == (2, "Repeatable", Decimal("2.1"))


def test_answered_counts_include_na_and_unanswered_counts_empty_and_invalid_answers():
    card = score_assessment(_template(), ANSWERS + (Answer("B2", "Maybe"),))
    assert (card.answered, card.not_applicable, card.unanswered, card.total) == (4, 1, 1, 5)
    statuses = {q.code: q.status for q in card.questions}
    assert statuses["A3"] is AnswerStatus.NOT_APPLICABLE and statuses["B2"] is AnswerStatus.INVALID
    assert card.overall == Decimal("0.4222")  # an answer off the scale does not count either


def test_a_section_answered_only_na_drops_out_of_the_overall_score():
    answers = (Answer("A1", "N/A"), Answer("A2", "N/A"), Answer("A3", "n/a"), Answer("B1", "5"), Answer("B2", "No"))
    card = score_assessment(_template(), answers)
    assert card.sections[0].score is None
    assert card.sections[1].score == Decimal("0.2500")  # (1 x 1.0 + 3 x 0) / 4
    assert card.overall == Decimal("0.2500") and card.level == 1


def test_critical_questions_answered_no_or_at_level_one_are_red_flags_whatever_the_score():
    card = score_assessment(_template(a2_criticality=QuestionCriticality.CRITICAL), ANSWERS)
    assert [f.code for f in card.red_flags] == ["A2", "B1"]
    good = score_assessment(_template(), (Answer("A1", "5"), Answer("A2", "Yes"), Answer("B1", "2"),
                                          Answer("B2", "Yes")))
    assert good.red_flags == () and good.level == 5
    low_but_standard = score_assessment(_template(), (Answer("A1", "0"),))
    assert low_but_standard.red_flags == () and low_but_standard.overall == Decimal("0.0000")


@pytest.mark.parametrize("score, level", [
    ("1", 5), ("0.85", 5), ("0.8499", 4), ("0.70", 4), ("0.6999", 3), ("0.50", 3), ("0.4999", 2), ("0.30", 2),
    ("0.2999", 1), ("0", 1),
])
def test_the_maturity_level_thresholds_are_30_50_70_and_85_percent(score, level):
    assert maturity_level(Decimal(score))[0] == level


def test_nothing_answered_gives_no_score_and_no_level():
    card = score_assessment(_template(), ())
    assert card.overall is None and card.level is None and card.unanswered == 5 and card.maturity_index is None


def test_answers_are_matched_by_label_by_level_number_and_by_na_spelling():
    scale = _template().questions[0].scale
    assert scale.option("3").label == "3 – Defined"
    assert scale.option(" 3 – defined ").score == Decimal("0.6")
    assert scale.option("not applicable").score is None
    assert scale.option("6") is None


def test_a_template_with_repeated_ids_unknown_sections_or_negative_weights_is_refused():
    bad = QuestionnaireTemplate(name="x", title="X", sections=(Section("A", "A", Decimal(0)),), questions=(
        Question("Q1", "A", "q", yes_no_scale()), Question("Q1", "Z", "q", yes_no_scale(), weight=Decimal(-1))))
    problems = " ".join(template_problems(bad))
    assert "repeated: Q1" in problems and "section 'Z'" in problems
    assert "Question Q1 needs a weight of 0 (not scored) or more" in problems
    assert "Section A needs a weight above 0" in problems
    assert template_problems(_template()) == []


def test_a_question_weighted_0_is_not_scored_but_still_raises_its_red_flag():
    section = (Section("A", "A"),)
    template = QuestionnaireTemplate(name="x", title="X", sections=section, questions=(
        Question("Q1", "A", "q1", yes_no_scale(), weight=Decimal(2)),
        Question("Q2", "A", "q2", yes_no_scale()),
        Question("Q3", "A", "q3", yes_no_scale(), weight=Decimal(0), criticality=QuestionCriticality.CRITICAL)))
    card = score_assessment(template, [Answer("Q1", "Yes"), Answer("Q2", "No"), Answer("Q3", "No")])
    assert card.overall == Decimal("0.6667")  # (2 x 1 + 1 x 0) / 3: Q3's No weighs nothing
    assert card.answered == 3 and [f.code for f in card.red_flags] == ["Q3"]
    unscored = QuestionnaireTemplate(name="x", title="X", sections=section, questions=(
        Question("Q1", "A", "q1", yes_no_scale(), weight=Decimal(0)),))
    assert "Every question is weighted 0" in " ".join(template_problems(unscored))
    assert score_assessment(unscored, [Answer("Q1", "Yes")]).overall is None
