"""Scoring an assessment: ratings per question, weighted section and overall scores, level, red flags.

- A question's rating is its answer option's score in 0..1 (maturity level n scores n/5, Yes 1, No 0).
- Only answered, applicable questions count: N/A and unanswered questions leave the denominator.
- A question weighted 0 is not scored (HECVAT's blank weight): it is answered and counted, never in a mean;
  a section whose rated questions all weigh 0 is not rated. It can still be a red flag.
- Section score = weighted mean of its rated questions; overall = weighted mean of the rated sections.
- Maturity level 1-5 from the overall score (LEVELS); scores are rounded half-even to 4 places.
- A critical question rated at most 0.2 (answered "No", or level 0 or 1) is a red flag whatever the score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import overload

from sltdesk.domain.questionnaires import Answer, QuestionCriticality, QuestionnaireTemplate

PLACES = Decimal("0.0001")
RED_FLAG_AT_MOST = Decimal("0.2")
# (lowest overall score, level, name): the first row the score reaches is its level.
LEVELS: tuple[tuple[Decimal, int, str], ...] = (
    (Decimal("0.85"), 5, "Optimising"),
    (Decimal("0.70"), 4, "Managed"),
    (Decimal("0.50"), 3, "Defined"),
    (Decimal("0.30"), 2, "Repeatable"),
    (Decimal("0"), 1, "Initial"),
)


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    NOT_APPLICABLE = "not applicable"
    UNANSWERED = "unanswered"
    INVALID = "not on the scale"


@dataclass(frozen=True)
class QuestionResult:
    code: str
    section: str
    answer: str
    status: AnswerStatus
    rating: Decimal | None
    weight: Decimal


@dataclass(frozen=True)
class SectionResult:
    code: str
    title: str
    weight: Decimal
    score: Decimal | None  # None when no question of the section was rated
    rated: int
    not_applicable: int
    unanswered: int
    total: int


@dataclass(frozen=True)
class RedFlag:
    code: str
    text: str
    answer: str
    reason: str


@dataclass(frozen=True)
class ScoreCard:
    overall: Decimal | None
    level: int | None
    level_name: str
    sections: tuple[SectionResult, ...]
    questions: tuple[QuestionResult, ...]
    red_flags: tuple[RedFlag, ...]
    answered: int  # answered with an option of the scale, N/A included
    not_applicable: int
    unanswered: int  # empty or not on the scale
    total: int

    @property
    def maturity_index(self) -> Decimal | None:
        """The overall score on the 0-5 scale of the levels, one decimal (0.68 -> 3.4)."""
        return None if self.overall is None else (self.overall * 5).quantize(Decimal("0.1"), ROUND_HALF_EVEN)


def maturity_level(score: Decimal) -> tuple[int, str]:
    """The level (1-5) and its name that an overall score in 0..1 reaches."""
    for lowest, level, name in LEVELS:
        if score >= lowest:
            return level, name
    return LEVELS[-1][1], LEVELS[-1][2]


def weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """sum(w * v) / sum(w) over (weight, value) pairs; None when there are none."""
    pairs = list(pairs)
    total = sum((w for w, _ in pairs), Decimal(0))
    if not pairs or total == 0:
        return None
    return sum((w * v for w, v in pairs), Decimal(0)) / total


def rate_answers(template: QuestionnaireTemplate, answers: Iterable[Answer]) -> tuple[QuestionResult, ...]:
    """Each question of the template with its answer's status and rating."""
    given = {a.question: a.answer for a in answers}
    results = []
    for q in template.questions:
        text = given.get(q.code, "").strip()
        option = q.scale.option(text) if text else None
        if not text:
            status, rating = AnswerStatus.UNANSWERED, None
        elif option is None:
            status, rating = AnswerStatus.INVALID, None
        elif option.score is None:
            status, rating = AnswerStatus.NOT_APPLICABLE, None
        else:
            status, rating = AnswerStatus.ANSWERED, option.score
        results.append(QuestionResult(q.code, q.section, text, status, rating, q.weight))
    return tuple(results)


def score_assessment(template: QuestionnaireTemplate, answers: Iterable[Answer]) -> ScoreCard:
    """The score card of one assessment against its template version."""
    rated = rate_answers(template, answers)
    raw = [_section(template, s.code, [r for r in rated if r.section == s.code]) for s in template.sections]
    sections = tuple(section for section, _ in raw)
    overall = weighted_mean((section.weight, mean) for section, mean in raw if mean is not None)
    level, name = maturity_level(_round(overall)) if overall is not None else (None, "not rated")
    counts = {status: sum(1 for r in rated if r.status is status) for status in AnswerStatus}
    return ScoreCard(
        overall=_round(overall), level=level, level_name=name, sections=sections, questions=rated,
        red_flags=red_flags(template, rated), answered=counts[AnswerStatus.ANSWERED] + counts[
            AnswerStatus.NOT_APPLICABLE], not_applicable=counts[AnswerStatus.NOT_APPLICABLE],
        unanswered=counts[AnswerStatus.UNANSWERED] + counts[AnswerStatus.INVALID], total=len(rated))


def red_flags(template: QuestionnaireTemplate, rated: Iterable[QuestionResult]) -> tuple[RedFlag, ...]:
    """Critical questions rated at most 0.2: they are listed whatever the overall score."""
    flags = []
    for result in rated:
        question = template.question(result.code)
        if question is None or question.criticality is not QuestionCriticality.CRITICAL:
            continue
        if result.rating is not None and result.rating <= RED_FLAG_AT_MOST:
            flags.append(RedFlag(result.code, question.text, result.answer,
                                 f"critical question answered '{result.answer}' (rating {result.rating:.2f})"))
    return tuple(flags)


def template_problems(template: QuestionnaireTemplate) -> list[str]:
    """Sentences naming what makes a template unusable; empty when it may be stored."""
    problems: list[str] = []
    codes = [q.code for q in template.questions]
    sections = {s.code for s in template.sections}
    if not template.name.strip():
        problems.append("The template needs a name.")
    if not codes:
        problems.append("The template has no questions.")
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        problems.append(f"Question ids must be unique; repeated: {', '.join(duplicates[:5])}.")
    for q in template.questions:
        if q.section not in sections:
            problems.append(f"Question {q.code} names section '{q.section}', which the template does not have.")
        if q.weight < 0:
            problems.append(f"Question {q.code} needs a weight of 0 (not scored) or more.")
        if not any(o.applicable for o in q.scale.options):
            problems.append(f"Question {q.code} has no option with a score.")
        if any(o.score is not None and not 0 <= o.score <= 1 for o in q.scale.options):
            problems.append(f"Question {q.code} has an option scored outside 0..1.")
    if codes and all(q.weight == 0 for q in template.questions):
        problems.append("Every question is weighted 0 (not scored); give at least one a weight above 0.")
    problems.extend(f"Section {s.code} needs a weight above 0." for s in template.sections if s.weight <= 0)
    return problems


def _section(template: QuestionnaireTemplate, code: str,
             results: list[QuestionResult]) -> tuple[SectionResult, Decimal | None]:
    """The section's result (score rounded) and its unrounded mean, which the overall score uses."""
    section = template.section(code)
    mean = weighted_mean((r.weight, r.rating) for r in results if r.rating is not None)
    return SectionResult(
        code=code, title=section.title if section else code, weight=section.weight if section else Decimal(1),
        score=_round(mean), rated=sum(1 for r in results if r.rating is not None),
        not_applicable=sum(1 for r in results if r.status is AnswerStatus.NOT_APPLICABLE),
        unanswered=sum(1 for r in results if r.status in (AnswerStatus.UNANSWERED, AnswerStatus.INVALID)),
        total=len(results)), mean


@overload
def _round(value: Decimal) -> Decimal: ...
@overload
def _round(value: Decimal | None) -> Decimal | None: ...
def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES, ROUND_HALF_EVEN)
