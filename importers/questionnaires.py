"""Questionnaire workbooks -> a template, answers and findings: our fillable XLSX, or anyone else's.

Our own files carry a hidden sheet with the template they were made from, so the import recognises
them, puts each answer on its question by the hidden key, and warns when an id or a question text
was changed. Foreign files are read through one or several sheets, a header row and a column mapping
(suggested from the header names, or given) in `questionnaire_foreign`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from importers.questionnaire_foreign import Collector, Progress, ReadOptions, read_foreign
from importers.questionnaire_sheets import (
    EMPTY_RUN_LIMIT,
    QuestionnaireImportError,
    column_letter,
    file_sha256,
    iter_text_rows,
    open_book,
)
from importers.questionnaire_vocabulary import Criticalities, Vocabulary
from sltdesk.domain.questionnaires import (
    FILLABLE_COLUMNS,
    FILLABLE_COMPLETED_CELL,
    FILLABLE_MARKER,
    FILLABLE_META_SHEET,
    Answer,
    QuestionnaireFile,
    QuestionnaireTemplate,
    Severity,
    spreadsheet_plain,
    template_from_plain,
)


def read_questionnaire(  # noqa: PLR0913 - one positional parameter; the rest are the reader's keyword-only options
        path: str | Path, *, sheet: str | None = None, sheets: Sequence[str] = (),
        header_row: int | dict[str, int] | None = None, mapping: dict[str, str] | None = None,
        values: dict[str, str] | None = None, criticality: dict[str, str] | None = None,
        blank_weight: Decimal | None = None, progress: Progress | None = None) -> QuestionnaireFile:
    """Read a questionnaire workbook; `mapping` is field -> header text or column letter, `sheets` the sheets
    read into one template (none: chosen by the layout), `header_row` one row for all of them or one per sheet,
    `values` answer label -> score, `criticality` label -> critical/standard/minor, `blank_weight` the weight
    of a blank weight cell (default: not scored)."""
    path = Path(path)
    report = progress or (lambda _p, _m: None)
    report(0, f"Checking {path.name}…")
    book = open_book(path)
    sha = file_sha256(path)
    sheets = tuple(sheets) or ((sheet,) if sheet else ())
    if FILLABLE_META_SHEET in book.sheet_names and not (sheets or header_row or mapping):
        meta = _meta(book)
        if meta.get("marker") == FILLABLE_MARKER:
            return _read_ours(book, path, sha, meta, report)
    options = ReadOptions(sheets=sheets, header_row=header_row, mapping=mapping or {},
                          vocabulary=Vocabulary.with_overrides(values or {}),
                          criticalities=Criticalities.with_overrides(criticality or {}), blank_weight=blank_weight)
    return read_foreign(book, path, sha, options, report)


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
    collect = Collector(meta.get("sheet", ""))
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
        answer = _our_row(template, cells, col, number, collect)
        if answer is not None:
            answers[answer.question] = answer
    for q in template.questions:
        if q.code not in answers:
            collect.add(Severity.WARNING, "question-missing", f"Question {q.code} is missing from the file; "
                        "it counts as unanswered.")
    report(100, f"Read {len(answers)} questions.")
    ordered = tuple(answers.get(q.code, Answer(q.code)) for q in template.questions)
    return QuestionnaireFile("sltdesk", path.name, sha, collect.sheet, header, template, ordered,
                             tuple(collect.findings), supplier_name=meta.get("supplier", ""), completed_on=completed)


def _our_row(template: QuestionnaireTemplate, cells: list[str], col: dict[str, int], number: int,
             collect: Collector) -> Answer | None:
    """The answer on row `number` of our own fillable sheet (None for a row without a known question key)."""
    key = spreadsheet_plain(cells[col["key"]])
    question = template.question(key)
    if question is None:
        if any(cells[col[c]] for c in ("answer", "evidence", "comment")):
            collect.add(Severity.WARNING, "unknown-row", f"Row {number} has no known question key ('{key}'); "
                        "its answer is ignored.", row=number)
        return None
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
    option = question.scale.option(raw) if raw else None
    if raw and option is None:
        collect.add(Severity.WARNING, "answer-not-on-scale", f"Row {number}: '{raw}' is not an option for "
                    f"{question.code} ({', '.join(question.scale.labels)}); it counts as unanswered.",
                    row=number, column=column_letter(col["answer"]))
        answer, comment = "", f"(answered '{raw}') {comment}".strip()
    elif option is not None:
        answer = option.label
    return Answer(question.code, answer, spreadsheet_plain(cells[col["evidence"]]), comment)


def _date(text: str, collect: Collector, row: int) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        collect.add(Severity.WARNING, "bad-date", f"'{text}' is not a date (write 2026-03-31); the import date "
                    "is used instead.", row=row)
        return None


__all__ = ["EMPTY_RUN_LIMIT", "QuestionnaireImportError", "read_questionnaire"]
