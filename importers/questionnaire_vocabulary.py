"""Vocabularies of foreign questionnaires: answers (Yes / Partial / No / N/A, levels 0-5) and their scores,
weights (numbers or high/medium/low; blank = not scored unless told) and criticality words."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from importers.questionnaire_sheets import QuestionnaireImportError
from sltdesk.domain.questionnaires import NOT_APPLICABLE, AnswerOption, AnswerScale, QuestionCriticality, ScaleKind
from sltdesk.domain.questionnaires import Severity as _Severity

# canonical label, score (None = not applicable), spellings seen in real questionnaires
DEFAULT_ANSWERS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("Yes", "1", ("yes", "y", "true", "implemented", "fully implemented", "compliant", "in place", "done", "ja")),
    ("Partial", "0.5", ("partial", "partially", "partly", "partially implemented", "in progress",
                        "partially compliant", "teilweise")),
    ("No", "0", ("no", "n", "false", "not implemented", "non compliant", "non-compliant", "not in place", "nein")),
    (NOT_APPLICABLE, None, ("n/a", "na", "n.a.", "not applicable", "-", "not relevant", "entfällt")),
)
_WEIGHT_WORDS = {"high": Decimal(3), "medium": Decimal(2), "low": Decimal(1), "hoch": Decimal(3),
                 "mittel": Decimal(2), "niedrig": Decimal(1)}
CRITICALITY_WORDS: dict[QuestionCriticality, frozenset[str]] = {
    QuestionCriticality.CRITICAL: frozenset({
        "critical", "critical importance", "very high", "high", "required", "mandatory", "must", "must have",
        "essential", "key", "yes", "y", "x", "true", "kritisch", "hoch", "pflicht"}),
    QuestionCriticality.STANDARD: frozenset({
        "standard", "normal", "medium", "moderate", "important", "should", "recommended", "no", "n", "false",
        "mittel"}),
    QuestionCriticality.MINOR: frozenset({
        "minor", "low", "very low", "optional", "nice to have", "may", "informational", "info", "niedrig"}),
}


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class Vocabulary:
    """Maps answer spellings to options; `with_overrides` adds the user's labels (score 0..1 or 'na')."""

    def __init__(self, options: list[tuple[AnswerOption, set[str]]]):
        self._options = options

    @classmethod
    def with_overrides(cls, values: dict[str, str]) -> Vocabulary:
        options = [(AnswerOption(label, None if score is None else Decimal(score)), {_key(s) for s in spellings}
                    | {_key(label)}) for label, score, spellings in DEFAULT_ANSWERS]
        for label, text in values.items():
            option = AnswerOption(label.strip(), _score(label, text))
            options = [(o, s - {_key(label)}) for o, s in options if _key(o.label) != _key(label)]
            options.append((option, {_key(label)}))
        return cls(options)

    def option(self, raw: str) -> AnswerOption | None:
        wanted = _key(raw)
        for option, spellings in self._options:
            if wanted in spellings:
                return option
        if wanted in {"0", "1", "2", "3", "4", "5"}:  # a maturity level typed as a number
            return AnswerOption(wanted, Decimal(wanted) / 5)
        return None

    def scale(self, used_labels: Iterable[str]) -> AnswerScale:
        """The vocabulary's options, plus the levels 0-5 when answers used them."""
        used = set(used_labels)
        options = [o for o, _ in self._options]
        options += [AnswerOption(str(n), Decimal(n) / 5) for n in range(6) if str(n) in used]
        return AnswerScale(ScaleKind.CUSTOM, tuple(options))


def _score(label: str, text: str) -> Decimal | None:
    if _key(text) in {"na", "n/a", "", "none", "not applicable"}:
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not 0 <= value <= 1:
        raise QuestionnaireImportError(f"The score for answer '{label}' must be between 0 and 1, or 'na' for "
                                       f"not applicable (got '{text}').")
    return value


def parse_weight(text: str, collect: Any, row: int) -> Decimal | None:
    """A weight from a number (0 = not scored) or high/medium/low; None when blank or unreadable (with a finding)."""
    if not text:
        return None
    if _key(text) in _WEIGHT_WORDS:
        return _WEIGHT_WORDS[_key(text)]
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if value >= 0:
        return value
    collect.add(_Severity.WARNING, "bad-weight", f"Row {row}: weight '{text}' is not a number of 0 or more; "
                "it is read as a blank weight.", row=row)
    return None


class Criticalities:
    """Maps criticality words ("Critical Importance", "High", "Required", ...) to critical / standard / minor;
    `with_overrides` adds the user's labels (--value criticality:LABEL=critical)."""

    def __init__(self, words: dict[str, QuestionCriticality]):
        self._words = words

    @classmethod
    def with_overrides(cls, values: dict[str, str]) -> Criticalities:
        words = {word: level for level, spellings in CRITICALITY_WORDS.items() for word in spellings}
        for label, text in values.items():
            try:
                words[_key(label)] = QuestionCriticality(_key(text))
            except ValueError:
                raise QuestionnaireImportError(
                    f"The criticality for '{label}' must be critical, standard or minor (got '{text}').") from None
        return cls(words)

    def level(self, text: str) -> QuestionCriticality | None:
        """The criticality a cell names; STANDARD when blank, None when the word is not known."""
        key = _key(text)
        return QuestionCriticality.STANDARD if not key else self._words.get(key)
