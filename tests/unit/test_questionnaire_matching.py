"""Which stored template a filled copy belongs to: matched by id, then by text; attached at 80 % or more."""

from __future__ import annotations

from decimal import Decimal

from sltdesk.domain.questionnaires import Question, QuestionnaireTemplate, Section, yes_no_scale
from sltdesk.rules.questionnaire_matching import closest_template, compare


def _template(questions: list[tuple[str, str]], *, name: str = "t", version: int = 1,
              created: str = "2026-01-01T00:00:00Z") -> QuestionnaireTemplate:
    return QuestionnaireTemplate(name=name, title=name, sections=(Section("A", "A"),), version=version,
                                 created_at=created, questions=tuple(
                                     Question(code, "A", text, yes_no_scale()) for code, text in questions))


STORED = [(f"Q{n}", f"Is control {n} in place?") for n in range(1, 11)]  # ten questions


def test_a_copy_with_one_question_removed_and_one_reworded_is_described_as_such():
    copy = [q for q in STORED if q[0] != "Q4"]
    copy[0] = ("Q1", "Is control 1 documented and in place?")
    found = compare(_template(STORED), _template(copy))
    assert (found.added, found.removed, found.reworded) == ((), ("Q4",), ("Q1",))
    assert found.share == Decimal("0.9")  # 9 of the template's 10 questions
    assert found.summary() == "1 question removed (Q4), 1 reworded (Q1)"


def test_renumbered_questions_are_matched_by_their_text():
    shifted = [(f"R{n + 3}", text) for n, (_code, text) in enumerate(STORED)]  # ids from row numbers
    found = compare(_template(STORED), _template(shifted))
    assert found.matched["R3"] == "Q1" and not (found.added or found.removed or found.reworded)
    assert not found.same_questions  # the ids differ: the answers must be moved onto the template's ids


def test_a_copy_attaches_from_eight_in_ten_shared_questions_and_not_below():
    eight = STORED[:8] + [("X1", "Is something else in place?"), ("X2", "Is another thing in place?")]
    seven = STORED[:7] + [("X1", "Is something else in place?"), ("X2", "Is another thing in place?"),
                          ("X3", "Is a third thing in place?")]
    assert closest_template([_template(STORED)], _template(eight)).share == Decimal("0.8")
    assert closest_template([_template(STORED)], _template(seven)) is None


def test_the_closest_template_wins_and_the_newest_on_a_tie():
    other = _template(STORED[:9] + [("Z", "Is zeta in place?")], name="other", created="2026-03-01T00:00:00Z")
    older = _template(STORED, name="t", version=1, created="2026-01-01T00:00:00Z")
    newer = _template(STORED, name="t", version=2, created="2026-02-01T00:00:00Z")
    found = closest_template([other, newer, older], _template(STORED))
    assert (found.template.name, found.template.version, found.same_questions) == ("t", 2, True)
