"""Maturity questionnaires: templates (sections, questions, answer scales), assessments and answers.

A template is immutable once stored: a changed template is stored as a new version, and every
assessment keeps the version it was answered against.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

NOT_APPLICABLE = "N/A"
_NA_SPELLINGS = {"n/a", "na", "n.a.", "not applicable", "not relevant"}


class ScaleKind(StrEnum):
    MATURITY = "maturity"  # levels 0..5, each with a descriptor
    YES_NO = "yes/no"  # Yes / No / N/A
    CUSTOM = "custom"  # a list of options, each with its own score


class QuestionCriticality(StrEnum):
    CRITICAL = "critical"
    STANDARD = "standard"
    MINOR = "minor"


@dataclass(frozen=True)
class AnswerOption:
    """One choice of a scale; `score` in 0..1, None for "not applicable"."""

    label: str
    score: Decimal | None
    description: str = ""

    @property
    def applicable(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class AnswerScale:
    kind: ScaleKind
    options: tuple[AnswerOption, ...]

    def option(self, answer: str) -> AnswerOption | None:
        """The option an answer names: its label, the level number before " – ", or an N/A spelling."""
        wanted = answer.strip().casefold()
        if not wanted:
            return None
        for option in self.options:
            label = option.label.casefold()
            if wanted == label or wanted == label.split(" – ")[0]:
                return option
        if wanted in _NA_SPELLINGS:
            return next((o for o in self.options if not o.applicable), None)
        return None

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.options)


def maturity_scale(descriptors: tuple[str, ...], *, names: tuple[str, ...], allow_na: bool = True) -> AnswerScale:
    """Levels 0..5 scored level/5; `names` are the short level names shown in the dropdown."""
    options = [AnswerOption(f"{level} – {names[level]}", Decimal(level) / 5, descriptors[level])
               for level in range(6)]
    if allow_na:
        options.append(AnswerOption(NOT_APPLICABLE, None, "The practice does not apply to this service."))
    return AnswerScale(ScaleKind.MATURITY, tuple(options))


def yes_no_scale(*, allow_na: bool = True) -> AnswerScale:
    options = [AnswerOption("Yes", Decimal(1)), AnswerOption("No", Decimal(0))]
    if allow_na:
        options.append(AnswerOption(NOT_APPLICABLE, None))
    return AnswerScale(ScaleKind.YES_NO, tuple(options))


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    weight: Decimal = Decimal(1)
    description: str = ""


@dataclass(frozen=True)
class Question:
    code: str  # the question id, e.g. "INC-01" or "A&A-01.1"
    section: str  # the section code
    text: str
    scale: AnswerScale
    guidance: str = ""
    weight: Decimal = Decimal(1)
    evidence_requested: bool = False
    criticality: QuestionCriticality = QuestionCriticality.STANDARD


@dataclass(frozen=True)
class QuestionnaireTemplate:
    name: str  # stable name, e.g. "supplier-process-maturity"
    title: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    description: str = ""
    version: int = 0  # 0 until stored; then 1, 2, ...
    source: str = ""
    created_at: str = ""  # UTC, ISO 8601
    id: int | None = None

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the content (not name/version/id): equal content, equal fingerprint."""
        content = template_content(self)
        return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Answer:
    question: str  # question code
    answer: str = ""  # the option label; "" = unanswered
    evidence: str = ""
    comment: str = ""


@dataclass(frozen=True)
class Assessment:
    supplier_id: int
    template_id: int
    assessed_on: date
    answers: tuple[Answer, ...] = ()
    assessor: str = ""
    source: str = ""  # file name and SHA-256, or "demo", or "entered"
    notes: str = ""
    id: int | None = None

    def answer(self, code: str) -> Answer | None:
        return next((a for a in self.answers if a.question == code), None)


@dataclass(frozen=True)
class AssessmentHeader:
    """An assessment without its answers (the register's view, e.g. for "in use" checks)."""

    supplier_id: int
    template_id: int
    assessed_on: date
    assessor: str = ""
    source: str = ""
    notes: str = ""
    id: int | None = None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class ImportFinding:
    severity: Severity
    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


@dataclass(frozen=True)
class SheetRead:
    """One sheet a foreign questionnaire was read from: its header row, columns and question count."""

    name: str
    header_row: int
    mapping: dict[str, str]  # field -> column letter
    questions: int


@dataclass(frozen=True)
class QuestionnaireFile:
    """What an importer read from a questionnaire workbook, before anything is stored."""

    origin: str  # "sltdesk" (our fillable template) or "foreign"
    file_name: str
    sha256: str
    sheet: str
    header_row: int
    template: QuestionnaireTemplate  # for our files: the template embedded in the file
    answers: tuple[Answer, ...]
    findings: tuple[ImportFinding, ...] = ()
    supplier_name: str = ""  # the supplier our file was prepared for
    completed_on: date | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column letter (foreign files)
    sheets: tuple[SheetRead, ...] = ()  # every sheet read, in order (foreign files)
    sheet_choice: str = ""  # why the import chose these sheets; "" when they were given

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.answer)


# --- plain (JSON) form of a template: the resource file, the hidden sheet, the fingerprint ----------


def template_content(template: QuestionnaireTemplate) -> dict[str, Any]:
    """The content that versions a template: title, description, sections and questions."""
    return {
        "title": template.title,
        "description": template.description,
        "sections": [{"code": s.code, "title": s.title, "weight": str(s.weight), "description": s.description}
                     for s in template.sections],
        "questions": [_question_plain(q) for q in template.questions],
    }


def template_to_plain(template: QuestionnaireTemplate) -> dict[str, Any]:
    return {"name": template.name, **template_content(template)}


def _question_plain(q: Question) -> dict[str, Any]:
    return {
        "code": q.code, "section": q.section, "text": q.text, "guidance": q.guidance, "weight": str(q.weight),
        "evidence_requested": q.evidence_requested, "criticality": q.criticality.value,
        "scale": scale_to_plain(q.scale),
    }


def scale_to_plain(scale: AnswerScale) -> dict[str, Any]:
    return {"kind": scale.kind.value,
            "options": [{"label": o.label, "score": None if o.score is None else str(o.score),
                         "description": o.description} for o in scale.options]}


def scale_from_plain(plain: dict[str, Any]) -> AnswerScale:
    return AnswerScale(ScaleKind(plain["kind"]), tuple(
        AnswerOption(str(o["label"]), None if o.get("score") is None else Decimal(str(o["score"])),
                     str(o.get("description", ""))) for o in plain["options"]))


def template_from_plain(plain: dict[str, Any], **extra: Any) -> QuestionnaireTemplate:
    """A template from its plain form; `extra` sets name/version/source/id when given."""
    sections = tuple(Section(str(s["code"]), str(s.get("title") or s["code"]), Decimal(str(s.get("weight", 1))),
                             str(s.get("description", ""))) for s in plain["sections"])
    questions = tuple(Question(
        code=str(q["code"]), section=str(q["section"]), text=str(q["text"]), scale=scale_from_plain(q["scale"]),
        guidance=str(q.get("guidance", "")), weight=Decimal(str(q.get("weight", 1))),
        evidence_requested=bool(q.get("evidence_requested", False)),
        criticality=QuestionCriticality(q.get("criticality", "standard"))) for q in plain["questions"])
    values = {"name": str(plain.get("name", "")), "title": str(plain.get("title", "")),
              "description": str(plain.get("description", "")), **extra}
    return QuestionnaireTemplate(sections=sections, questions=questions, **values)


# --- the fillable workbook's layout, shared by the writer (reports) and the reader (importers) -------

FILLABLE_MARKER = "sltdesk-questionnaire"
FILLABLE_FORMAT = "1"
FILLABLE_META_SHEET = "_sltdesk"
FILLABLE_SHEET = "Questionnaire"
FILLABLE_HEADER_ROW = 5
FILLABLE_COMPLETED_CELL = (3, 3)  # row 3, column C: "Completed on"
FILLABLE_COLUMNS = ("section", "id", "question", "guidance", "options", "evidence_requested", "criticality",
                    "answer", "evidence", "comment", "key")
FILLABLE_HEADERS = ("Section", "ID", "Question", "Guidance", "Answer options", "Evidence requested",
                    "Criticality", "Answer", "Evidence notes", "Comment", "Key (do not edit)")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(text: str) -> str:
    """Untrusted text for a cell: a leading ' keeps = + - @ tab CR LF from starting a formula."""
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def spreadsheet_plain(text: str) -> str:
    """The text spreadsheet_safe was given."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text
