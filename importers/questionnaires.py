"""Questionnaire workbooks -> a template, answers and findings: our fillable XLSX, or anyone else's.

Our own files carry a hidden sheet with the template they were made from, so the import recognises
them, puts each answer on its question by the hidden key, and warns when an id or a question text
was changed. Foreign files are read through a sheet, a header row and a column mapping (suggested
from the header names, or given), with sections from a column or from the id prefix (A&A-01.1 -> A&A)
and the answer vocabulary (Yes / Partial / No / N/A, levels 0-5, or the user's own) mapped to scores.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from importers.questionnaire_sheets import (
    EMPTY_RUN_LIMIT,
    QuestionnaireImportError,
    column_letter,
    file_sha256,
    find_header,
    iter_text_rows,
    open_book,
    sheet_visibility,
    suggest_mapping,
)
from importers.questionnaire_vocabulary import Vocabulary, parse_criticality, parse_weight
from sltdesk.domain.questionnaires import (
    FILLABLE_COLUMNS,
    FILLABLE_COMPLETED_CELL,
    FILLABLE_MARKER,
    FILLABLE_META_SHEET,
    Answer,
    ImportFinding,
    Question,
    QuestionnaireFile,
    QuestionnaireTemplate,
    Section,
    Severity,
    spreadsheet_plain,
    template_from_plain,
)

Progress = Callable[[int, str], None]
_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z&]*|\d+)(?=[-_.\s]?\d)")
MAX_ROW_FINDINGS = 50


@dataclass
class _Collector:
    sheet: str
    findings: list[ImportFinding] = field(default_factory=list)
    row_findings: int = 0

    def add(self, severity: Severity, code: str, message: str, *, row: int | None = None, column: str = "") -> None:
        if row is not None:
            self.row_findings += 1
            if self.row_findings > MAX_ROW_FINDINGS:
                return
        self.findings.append(ImportFinding(severity, code, message, self.sheet, row, column))


def read_questionnaire(path: str | Path, *, sheet: str | None = None, header_row: int | None = None,
                       mapping: dict[str, str] | None = None, values: dict[str, str] | None = None,
                       progress: Progress | None = None) -> QuestionnaireFile:
    """Read a questionnaire workbook; `mapping` is field -> header text or column letter."""
    path = Path(path)
    report = progress or (lambda _p, _m: None)
    report(0, f"Checking {path.name}…")
    book = open_book(path)
    sha = file_sha256(path)
    if FILLABLE_META_SHEET in book.sheet_names and not (sheet or header_row or mapping):
        meta = _meta(book)
        if meta.get("marker") == FILLABLE_MARKER:
            return _read_ours(book, path, sha, meta, report)
    return _read_foreign(book, path, sha, sheet=sheet, header_row=header_row, mapping=mapping or {},
                         vocabulary=Vocabulary.with_overrides(values or {}), report=report)


# --- our fillable workbook --------------------------------------------------------------------


def _meta(book) -> dict[str, str]:
    meta: dict[str, str] = {}
    parts: list[str] = []
    for _number, cells in iter_text_rows(book, FILLABLE_META_SHEET, limit=10_000):
        key, value = (cells + ["", ""])[:2]
        if key == "template_json":
            parts.append(value)
        elif key:
            meta[key] = spreadsheet_plain(value)
    meta["template_json"] = "".join(parts)
    return meta


def _read_ours(book, path: Path, sha: str, meta: dict[str, str], report: Progress) -> QuestionnaireFile:
    collect = _Collector(meta.get("sheet", ""))
    try:
        template = template_from_plain(json.loads(meta["template_json"]), version=int(meta.get("version", 0)))
    except (ValueError, KeyError, TypeError):
        raise QuestionnaireImportError(f"{path.name} looks like an SLT Desk questionnaire but its hidden template "
                                       "sheet is damaged; export a fresh template and copy the answers over.") from None
    if template.fingerprint != meta.get("fingerprint"):
        collect.add(Severity.WARNING, "template-edited", "The hidden description of the template was edited; "
                    "the questions are read as they are in the file.")
    header = int(meta.get("header_row", "5"))
    col = {name: i for i, name in enumerate(FILLABLE_COLUMNS)}
    answers: dict[str, Answer] = {}
    completed: date | None = None
    for number, cells in iter_text_rows(book, collect.sheet):
        cells = cells + [""] * (len(FILLABLE_COLUMNS) - len(cells))
        if number == FILLABLE_COMPLETED_CELL[0]:
            completed = _date(cells[FILLABLE_COMPLETED_CELL[1] - 1], collect, number)
        if number <= header:
            continue
        _our_row(template, cells, col, number, answers, collect)
    for q in template.questions:
        if q.code not in answers:
            collect.add(Severity.WARNING, "question-missing", f"Question {q.code} is missing from the file; "
                        "it counts as unanswered.")
    report(100, f"Read {len(answers)} questions.")
    ordered = tuple(answers.get(q.code, Answer(q.code)) for q in template.questions)
    return QuestionnaireFile("sltdesk", path.name, sha, collect.sheet, header, template, ordered,
                             tuple(collect.findings), supplier_name=meta.get("supplier", ""), completed_on=completed)


def _our_row(template: QuestionnaireTemplate, cells: list[str], col: dict[str, int], number: int,
             answers: dict[str, Answer], collect: _Collector) -> None:
    key = spreadsheet_plain(cells[col["key"]])
    question = template.question(key)
    if question is None:
        if any(cells[col[c]] for c in ("answer", "evidence", "comment")):
            collect.add(Severity.WARNING, "unknown-row", f"Row {number} has no known question key ('{key}'); "
                        "its answer is ignored.", row=number)
        return
    shown_id, shown_text = spreadsheet_plain(cells[col["id"]]), spreadsheet_plain(cells[col["question"]])
    if shown_id != question.code:
        collect.add(Severity.WARNING, "id-changed", f"The id of question {question.code} was changed to "
                    f"'{shown_id}' on row {number}; the answer is kept for {question.code}.",
                    row=number, column=column_letter(col["id"]))
    if " ".join(shown_text.split()) != " ".join(question.text.split()):
        collect.add(Severity.WARNING, "text-changed", f"The text of question {question.code} was changed on row "
                    f"{number}; the answer is kept against the template's text.",
                    row=number, column=column_letter(col["question"]))
    raw = cells[col["answer"]]
    answer, comment = raw, spreadsheet_plain(cells[col["comment"]])
    if raw and question.scale.option(raw) is None:
        collect.add(Severity.WARNING, "answer-not-on-scale", f"Row {number}: '{raw}' is not an option for "
                    f"{question.code} ({', '.join(question.scale.labels)}); it counts as unanswered.",
                    row=number, column=column_letter(col["answer"]))
        answer, comment = "", f"(answered '{raw}') {comment}".strip()
    elif raw:
        answer = question.scale.option(raw).label
    answers[question.code] = Answer(question.code, answer, spreadsheet_plain(cells[col["evidence"]]), comment)


def _date(text: str, collect: _Collector, row: int) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        collect.add(Severity.WARNING, "bad-date", f"'{text}' is not a date (write 2026-03-31); the import date "
                    "is used instead.", row=row)
        return None


# --- anyone else's workbook -------------------------------------------------------------------


def _read_foreign(book, path: Path, sha: str, *, sheet: str | None, header_row: int | None,
                  mapping: dict[str, str], vocabulary: Vocabulary, report: Progress) -> QuestionnaireFile:
    sheet = sheet or _choose_sheet(book, path)
    if sheet not in book.sheet_names:
        raise QuestionnaireImportError(f"{path.name} has no sheet '{sheet}'; its sheets are: "
                                       f"{', '.join(book.sheet_names)}.")
    collect = _Collector(sheet)
    for other in book.sheet_names:
        if other != sheet:
            collect.add(Severity.INFO, "sheet-skipped", f"Sheet '{other}' was skipped.")
    head_rows = dict(iter_text_rows(book, sheet, limit=header_row or 40))
    header = header_row or find_header(head_rows)[0]
    if header not in head_rows:
        raise QuestionnaireImportError(f"No header row with a question column was found on sheet '{sheet}'; "
                                       "give it with --header-row N (and --map question=COLUMN).")
    columns = suggest_mapping(head_rows[header], mapping)
    if "question" not in columns:
        raise QuestionnaireImportError(f"No question column was recognised in row {header} of '{sheet}'; "
                                       "name it with --map question=COLUMN.")
    reader = _ForeignRows(columns, vocabulary, collect)
    for number, cells in iter_text_rows(book, sheet):
        if number > header:
            reader.add(number, cells)
            if number % 500 == 0:
                report(min(95, number // 100), f"Read {number:,} rows…")
    template = reader.template(path.stem, sheet)
    report(100, f"Read {len(template.questions)} questions.")
    letters = {name: column_letter(index) for name, index in columns.items()}
    return QuestionnaireFile("foreign", path.name, sha, sheet, header, template, tuple(reader.answers),
                             tuple(collect.findings), mapping=letters)


def _choose_sheet(book, path: Path) -> str:
    visible = sheet_visibility(book)
    best, best_score = "", 0
    for name in book.sheet_names:
        if not visible.get(name, True):
            continue
        _row, score = find_header(dict(iter_text_rows(book, name, limit=40)))
        if score > best_score:
            best, best_score = name, score
    if not best:
        raise QuestionnaireImportError(f"No sheet of {path.name} has a header row with a question column; "
                                       "choose the sheet with --sheet and the header row with --header-row.")
    return best


class _ForeignRows:
    """Collects questions, sections and answers row by row."""

    def __init__(self, columns: dict[str, int], vocabulary: Vocabulary, collect: _Collector):
        self.columns, self.vocabulary, self.collect = columns, vocabulary, collect
        self.questions: list[dict] = []
        self.answers: list[Answer] = []
        self._last_section: tuple[str, str] = ("", "")  # (id prefix, section title)

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return spreadsheet_plain(cells[index]) if index is not None and index < len(cells) else ""

    def add(self, number: int, cells: list[str]) -> None:
        text, code = self.cell(cells, "question"), self.cell(cells, "question_id")
        if not text:
            if code:
                self.collect.add(Severity.INFO, "not-a-question", f"Row {number} ('{code[:40]}') has no question "
                                 "text and was skipped.", row=number)
            return
        code = self._unique(code or f"R{number}", number)
        prefix = _prefix(code)
        title = self._title(self.cell(cells, "section"), prefix)
        raw = self.cell(cells, "answer")
        option = self.vocabulary.option(raw) if raw else None
        comment = self.cell(cells, "comment")
        if raw and option is None:
            self.collect.add(Severity.WARNING, "unknown-answer", f"Row {number}: answer '{raw[:40]}' to {code} is "
                             "not in the answer vocabulary; map it with --value answer:LABEL=SCORE. It counts as "
                             "unanswered.", row=number, column=column_letter(self.columns["answer"]))
            comment = f"(answered '{raw}') {comment}".strip()
        self.questions.append({"code": code, "prefix": prefix, "title": title, "text": text,
                               "weight": parse_weight(self.cell(cells, "weight"), self.collect, number),
                               "criticality": parse_criticality(self.cell(cells, "criticality"))})
        self.answers.append(Answer(code, option.label if option else "", "", comment))

    def _unique(self, code: str, number: int) -> str:
        taken = {q["code"] for q in self.questions}
        if code not in taken:
            return code
        n = 2
        while f"{code}#{n}" in taken:
            n += 1
        self.collect.add(Severity.WARNING, "duplicate-id", f"Question id {code} appears again on row {number}; "
                         f"this one is stored as {code}#{n}.", row=number)
        return f"{code}#{n}"

    def _title(self, given: str, prefix: str) -> str:
        """The section column; a blank cell continues the section above while the id prefix stays the same."""
        if "section" not in self.columns:
            return ""
        last_prefix, last_title = self._last_section
        title = given or (last_title if prefix == last_prefix else "")
        self._last_section = (prefix, title)
        return title

    def _sections(self) -> tuple[list[str], dict[str, str]]:
        """Each question's section code, and code -> title: by section title, coded by its id prefix when the
        prefix and the title go together one to one; by id prefix (A&A-01.1 -> A&A) without titles."""
        titles = {q["title"] for q in self.questions if q["title"]}
        if not titles:
            codes = [q["prefix"] or "General" for q in self.questions]
            return codes, {c: c for c in dict.fromkeys(codes)}
        prefixes: dict[str, set[str]] = {}
        owners: dict[str, set[str]] = {}
        for q in self.questions:
            title = q["title"] or "General"
            prefixes.setdefault(title, set()).add(q["prefix"])
            owners.setdefault(q["prefix"], set()).add(title)
        code_of = {t: next(iter(p)) if len(p) == 1 and next(iter(p)) and len(owners[next(iter(p))]) == 1 else t
                   for t, p in prefixes.items()}
        codes = [code_of[q["title"] or "General"] for q in self.questions]
        return codes, {code_of[t]: t for t in dict.fromkeys(q["title"] or "General" for q in self.questions)}

    def template(self, stem: str, sheet: str) -> QuestionnaireTemplate:
        if not self.questions:
            raise QuestionnaireImportError(f"No question was found on sheet '{sheet}' below the header row; "
                                           "check --sheet, --header-row and --map question=COLUMN.")
        scale = self.vocabulary.scale(a.answer for a in self.answers)
        codes, titles = self._sections()
        questions = tuple(Question(code=q["code"], section=section, text=q["text"], scale=scale,
                                   weight=q["weight"], criticality=q["criticality"])
                          for q, section in zip(self.questions, codes, strict=True))
        sections = tuple(Section(code, title) for code, title in titles.items())
        return QuestionnaireTemplate(name=_slug(stem), title=f"{stem} — {sheet}", sections=sections,
                                     questions=questions, source=f"imported from {stem} (sheet {sheet})")


def _prefix(code: str) -> str:
    match = _PREFIX.match(code)
    return match.group(1) if match else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-.") or "questionnaire"


__all__ = ["EMPTY_RUN_LIMIT", "QuestionnaireImportError", "read_questionnaire"]
