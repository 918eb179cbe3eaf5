"""Which stored template a filled copy of a questionnaire belongs to, and how the copy differs from it.

A file's question matches a template's question by its id, else by its text (ignoring case and
spacing); a matched question whose text differs is *reworded*. Questions of the file that match none
are *added*, the template's that no question of the file matches are *removed*. A copy "differs
slightly" when at least ATTACH_AT_LEAST of the questions on each side match: it is read against that
template instead of becoming a new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sltdesk.domain.questionnaires import QuestionnaireTemplate

ATTACH_AT_LEAST = Decimal("0.8")


@dataclass(frozen=True)
class TemplateDifference:
    template: QuestionnaireTemplate  # the stored template compared with
    matched: dict[str, str]  # the file's question code -> the template's
    added: tuple[str, ...]  # the file's codes the template does not have
    removed: tuple[str, ...]  # the template's codes the file does not have
    reworded: tuple[str, ...]  # the template's codes whose text the file changed

    @property
    def same_questions(self) -> bool:
        return not (self.added or self.removed or self.reworded) and all(k == v for k, v in self.matched.items())

    @property
    def share(self) -> Decimal:
        """The smaller of the shares of matched questions on each side (0..1)."""
        sides = (len(self.matched) + len(self.added), len(self.matched) + len(self.removed))
        return min(Decimal(len(self.matched)) / n for n in sides) if min(sides) else Decimal(0)

    def summary(self) -> str:
        """'1 question added (X-9), 1 removed (A-3), 2 reworded (A-1, B-2)'; 'no question changed' when none."""
        parts = [f"{len(codes)} {word} ({_listed(codes)})" for word, codes in (
            ("added", self.added), ("removed", self.removed), ("reworded", self.reworded)) if codes]
        if not parts:
            return "no question changed"
        first = parts[0].split(" ", 1)
        parts[0] = f"{first[0]} question{'s' if first[0] != '1' else ''} {first[1]}"
        return ", ".join(parts)


def compare(template: QuestionnaireTemplate, copy: QuestionnaireTemplate) -> TemplateDifference:
    """How `copy` (read from a file) differs from the stored `template`."""
    by_code = {q.code: q for q in template.questions}
    by_text: dict[str, str] = {}
    for q in template.questions:
        by_text.setdefault(_plain(q.text), q.code)
    matched: dict[str, str] = {}
    # the same id and text first, then the same text (renumbered), then the same id (reworded)
    for finder in (lambda q: q.code if q.code in by_code and _plain(by_code[q.code].text) == _plain(q.text) else None,
                   lambda q: by_text.get(_plain(q.text)),
                   lambda q: q.code if q.code in by_code else None):
        for q in copy.questions:
            code = None if q.code in matched else finder(q)
            if code is not None and code not in matched.values():
                matched[q.code] = code
    texts = {q.code: _plain(q.text) for q in copy.questions}
    reworded = tuple(theirs for ours, theirs in matched.items() if _plain(by_code[theirs].text) != texts[ours])
    taken = set(matched.values())
    return TemplateDifference(template, matched, tuple(q.code for q in copy.questions if q.code not in matched),
                              tuple(q.code for q in template.questions if q.code not in taken), reworded)


def closest_template(templates: Iterable[QuestionnaireTemplate],
                     copy: QuestionnaireTemplate) -> TemplateDifference | None:
    """The stored template the copy differs least from (the newest on a tie), if it differs only slightly."""
    best: TemplateDifference | None = None
    for template in templates:
        found = compare(template, copy)
        if found.share < ATTACH_AT_LEAST:
            continue
        if best is None or (found.share, _age(found.template)) >= (best.share, _age(best.template)):
            best = found
    return best


def _age(template: QuestionnaireTemplate) -> tuple[str, int, int]:
    return template.created_at or "", template.version, template.id or 0


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def _listed(codes: tuple[str, ...], shown: int = 10) -> str:
    return ", ".join(codes[:shown]) + (f" and {len(codes) - shown} more" if len(codes) > shown else "")
